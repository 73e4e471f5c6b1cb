//! The benchmark report (`?bench` in the page URL): what a learner's browser measures of this
//! build — the bytes it downloaded (gzip, as served), the time until the first render was on
//! screen, the scaffold's render time in wasm, and the share-link length of the scaffold with
//! one edit — as JSON in `#bench` for tests/e2e.rs, and as a table for people.

use crate::engine::sort::SliceSort;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::dom;
use super::hooks::browser_env;
use crate::playground::examples::{self, ExampleId};
use crate::playground::render::render_document;
use crate::playground::share::{self, Shared};

pub const ID_BENCH: &str = "bench";
/// The performance mark set when the first render is on screen.
pub const FIRST_RENDER_MARK: &str = "chartlab:first-render";
/// The performance mark set when the wasm module has started (downloaded, compiled,
/// instantiated), before the page is built.
pub const WASM_START_MARK: &str = "chartlab:wasm-start";
/// The performance mark set when the code editor has been created (it is created in the task
/// after the first paint).
pub const EDITOR_READY_MARK: &str = "chartlab:editor-ready";

/// Whether the page was opened as the benchmark page.
pub fn requested() -> bool {
    dom::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|s| {
            s.split(['?', '&'])
                .any(|p| p == "bench" || p.starts_with("bench="))
        })
}

fn get_f64(o: &JsValue, key: &str) -> f64 {
    js_sys::Reflect::get(o, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

fn get_str(o: &JsValue, key: &str) -> String {
    js_sys::Reflect::get(o, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Figures {
    /// (kind, bytes on the wire, bytes decoded) per wasm/js/css resource.
    resources: Vec<(String, f64, f64)>,
    first_render_ms: f64,
    wasm_start_ms: f64,
    editor_ready_ms: f64,
    scaffold_render_ms: f64,
    scaffold_render_median_ms: f64,
    scaffold_render_min_ms: f64,
    share_link_chars: usize,
}

impl Figures {
    fn transfer_total(&self) -> f64 {
        self.resources.iter().map(|r| r.1).sum()
    }

    fn json(&self) -> String {
        serde_json::json!({
            "transfer_bytes": self.transfer_total(),
            "resources": self.resources.iter().map(|(n, t, d)| serde_json::json!({
                "name": n, "transfer_bytes": t, "decoded_bytes": d,
            })).collect::<Vec<_>>(),
            "first_render_ms": self.first_render_ms,
            "wasm_start_ms": self.wasm_start_ms,
            "editor_ready_ms": self.editor_ready_ms,
            "scaffold_render_ms": self.scaffold_render_ms,
            "scaffold_render_median_ms": self.scaffold_render_median_ms,
            "scaffold_render_min_ms": self.scaffold_render_min_ms,
            "share_link_chars": self.share_link_chars,
        })
        .to_string()
    }
}

fn measure() -> Figures {
    let mut f = Figures::default();
    if let Some(perf) = dom::window().and_then(|w| w.performance()) {
        for e in perf.get_entries_by_type("resource").iter() {
            let name = get_str(&e, "name");
            let path = name.split(['?', '#']).next().unwrap_or("");
            if [".wasm", ".js", ".css"].iter().any(|x| path.ends_with(x)) {
                let file = path.rsplit('/').next().unwrap_or(path).to_string();
                f.resources.push((
                    file,
                    get_f64(&e, "transferSize"),
                    get_f64(&e, "decodedBodySize"),
                ));
            }
        }
        if let Some(m) = perf.get_entries_by_name(FIRST_RENDER_MARK).iter().next() {
            f.first_render_ms = get_f64(&m, "startTime");
        }
        if let Some(m) = perf.get_entries_by_name(WASM_START_MARK).iter().next() {
            f.wasm_start_ms = get_f64(&m, "startTime");
        }
        if let Some(m) = perf.get_entries_by_name(EDITOR_READY_MARK).iter().next() {
            f.editor_ready_ms = get_f64(&m, "startTime");
        }
    }
    // The scaffold rendered as the page renders it (load the chart, coalesce, render, print),
    // after a warm-up; the mean of many runs, since one is near the timer's resolution (0.1 ms
    // in a page that is not cross-origin isolated), and their median, which a busy machine's
    // pauses do not move.
    let doc = examples::build(ExampleId::Scaffold);
    let env = browser_env();
    for _ in 0..20 {
        let _ = render_document(&doc, &env);
    }
    const RUNS: usize = 200;
    let mut times = Vec::with_capacity(RUNS);
    let start = dom::now_ms();
    for _ in 0..RUNS {
        let t = dom::now_ms();
        let _ = render_document(&doc, &env);
        times.push(dom::now_ms() - t);
    }
    f.scaffold_render_ms = (dom::now_ms() - start) / RUNS as f64;
    times.sort_stable_by(f64::total_cmp);
    f.scaffold_render_min_ms = times.first().copied().unwrap_or(0.0);
    f.scaffold_render_median_ms = times.get(RUNS / 2).copied().unwrap_or(0.0);
    // the scaffold with one edit, as a link to this page
    let mut edited = doc;
    if let Some(v) = edited.workspace.text("values.yaml").map(|t| t.into_owned()) {
        let _ = edited.workspace.write(
            "values.yaml",
            v.replacen("replicaCount: 1", "replicaCount: 3", 1)
                .into_bytes(),
        );
    }
    let link = format!(
        "{}#{}",
        dom::page_url().split('?').next().unwrap_or(""),
        share::encode(&Shared {
            doc: edited,
            origin: Some(ExampleId::Scaffold),
            selected: Some("values.yaml".into()),
            lesson: None,
        })
    );
    f.share_link_chars = link.len();
    f
}

#[function_component(BenchReport)]
pub fn bench_report() -> Html {
    let figures = use_state(|| None::<Rc<Figures>>);
    {
        let figures = figures.clone();
        use_effect_with((), move |_| {
            // after the page's own first render
            let t = gloo::timers::callback::Timeout::new(300, move || {
                figures.set(Some(Rc::new(measure())));
            });
            move || drop(t)
        });
    }
    let Some(f) = (*figures).clone() else {
        return html! { <section class="bench"><p>{ "Measuring…" }</p></section> };
    };
    let kib = |b: f64| format!("{:.1} KiB", b / 1024.0);
    html! {
        <section class="bench" aria-label="benchmark">
            <h2>{ "This build, measured in this browser" }</h2>
            <table>
                <tr><th>{ "Downloaded (wasm + js + css, as transferred)" }</th><td>{ kib(f.transfer_total()) }</td></tr>
                { for f.resources.iter().map(|(n, t, d)| html! {
                    <tr class="sub"><th>{ n.clone() }</th><td>{ format!("{} ({} decoded)", kib(*t), kib(*d)) }</td></tr>
                }) }
                <tr><th>{ "First render on screen (from navigation start)" }</th><td>{ format!("{:.0} ms", f.first_render_ms) }</td></tr>
                <tr><th>{ "Wasm started (from navigation start)" }</th><td>{ format!("{:.0} ms", f.wasm_start_ms) }</td></tr>
                <tr><th>{ "Code editor ready (from navigation start)" }</th><td>{ format!("{:.0} ms", f.editor_ready_ms) }</td></tr>
                <tr><th>{ "Scaffold render in wasm (median of 200; mean; fastest)" }</th><td>{ format!("{:.3} ms; {:.3} ms; {:.3} ms", f.scaffold_render_median_ms, f.scaffold_render_ms, f.scaffold_render_min_ms) }</td></tr>
                <tr><th>{ "Share link, scaffold with one edit" }</th><td>{ format!("{} characters", f.share_link_chars) }</td></tr>
            </table>
            <pre id={ID_BENCH} hidden=true>{ f.json() }</pre>
        </section>
    }
}
