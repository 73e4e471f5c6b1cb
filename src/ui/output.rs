//! The output pane: what `helm template` prints for the document, re-rendered live — the
//! manifest with one section per file, NOTES, the computed values, warnings, the render time,
//! and on failure Helm's message with links to the places it points at. All of it is text:
//! nothing from a chart is ever interpreted as markup.

use yew::prelude::*;

use super::dom;
use super::hooks::LiveRender;
use super::store::Ctx;
use crate::playground::render::{RenderFailure, RenderOutput, Section};
use crate::playground::state::{Action, OutputTab};

/// Ids the browser tests use.
pub const ID_OUTPUT: &str = "output";
pub const ID_ERROR: &str = "error";
pub const ID_NOTES: &str = "notes";
pub const ID_VALUES: &str = "computed-values";
pub const ID_WARNINGS: &str = "warnings";
pub const ID_STATUS: &str = "render-status";

#[derive(Properties, PartialEq)]
pub struct OutputProps {
    pub ctx: Ctx,
    pub live: LiveRender,
}

fn sections_html(ctx: &Ctx, sections: &[Section]) -> Html {
    html! {
        { for sections.iter().map(|s| {
            let open = s.path.clone().map(|p| ctx.callback(move |_: MouseEvent| Action::Select(p.clone())));
            let source = format!("# Source: {}", s.source);
            html! {
                <>
                    <span class="doc-sep">{ "---\n" }</span>
                    { match open {
                        Some(onclick) => html! {
                            <button class="source" title="open this template" {onclick}>{ source }</button>
                        },
                        None => html! { <span class="source">{ source }</span> },
                    } }
                    { "\n" }
                    { s.text.clone() }
                    { "\n" }
                </>
            }
        }) }
    }
}

fn status_text(elapsed_ms: f64, ok: bool) -> String {
    let what = if ok { "Rendered" } else { "Failed" };
    if elapsed_ms < 10.0 {
        format!("{what} in {elapsed_ms:.2} ms")
    } else {
        format!("{what} in {elapsed_ms:.0} ms")
    }
}

fn failure_html(ctx: &Ctx, f: &RenderFailure) -> Html {
    html! {
        <div class="failure">
            <pre id={ID_ERROR} class="code error" role="alert">{ format!("Error: {}", f.message) }</pre>
            if !f.marks.is_empty() {
                <ul class="marks">
                    { for f.marks.iter().map(|m| {
                        let path = m.path.clone();
                        let onclick = ctx.callback(move |_: MouseEvent| {
                            if path == crate::playground::render::OVERRIDES_FILE {
                                Action::SelectSettings
                            } else {
                                Action::Select(path.clone())
                            }
                        });
                        html! {
                            <li><button class="goto" {onclick}>
                                { format!("{}:{}{}", m.path, m.line, if m.col > 0 { format!(":{}", m.col) } else { String::new() }) }
                            </button>{ " " }{ m.message.clone() }</li>
                        }
                    }) }
                </ul>
            }
        </div>
    }
}

/// The output pane.
#[function_component(Output)]
pub fn output(props: &OutputProps) -> Html {
    let ctx = &props.ctx;
    let st = ctx.state();
    let tab = st.tab;
    let report = st.render.clone();
    {
        // the benchmark's "first render on screen": effects run once the DOM shows it
        let shown = report.is_some();
        use_effect_with(shown, move |shown| {
            if *shown {
                if let Some(perf) = dom::window().and_then(|w| w.performance()) {
                    if perf
                        .get_entries_by_name(super::bench::FIRST_RENDER_MARK)
                        .length()
                        == 0
                    {
                        let _ = perf.mark(super::bench::FIRST_RENDER_MARK);
                    }
                }
            }
        });
    }
    let stale = st.render_is_stale();
    let (status, status_class) = match &report {
        None => ("Rendering…".to_string(), "pending"),
        Some(r) => match &r.result {
            Ok(_) => (status_text(r.elapsed_ms, true), "ok"),
            Err(_) => (status_text(r.elapsed_ms, false), "failed"),
        },
    };
    let tabs = OutputTab::ALL.iter().map(|&t| {
        let onclick = ctx.callback(move |_: MouseEvent| Action::SetTab(t));
        html! {
            <button role="tab" id={format!("tab-{}", t.key())} aria-selected={(t == tab).to_string()}
                class={classes!("tab", (t == tab).then_some("active"))} {onclick}>{ t.label() }</button>
        }
    });
    let download = {
        let report = report.clone();
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(Ok(out)) = report.as_ref().map(|r| &r.result) else {
                return;
            };
            let name = ctx
                .state()
                .doc
                .chart_name()
                .unwrap_or_else(|| "chart".into());
            if let Err(e) = dom::download(
                &format!("{name}-manifest.yaml"),
                "application/yaml",
                out.text.as_bytes(),
            ) {
                ctx.dispatch(Action::Notify {
                    error: true,
                    text: format!("Download failed: {e}"),
                });
            }
        })
    };
    let body = match report.as_ref().map(|r| &r.result) {
        None => html! { <p class="muted">{ "Rendering the chart…" }</p> },
        Some(Err(f)) => html! {
            <>
                { failure_html(ctx, f) }
                if !f.sections.is_empty() {
                    <p class="muted">{ "What was rendered (as helm template --debug prints it):" }</p>
                    <pre class="code manifest">{ sections_html(ctx, &f.sections) }</pre>
                }
            </>
        },
        Some(Ok(out)) => ok_html(ctx, tab, out),
    };
    html! {
        <section class="pane output-pane" aria-label="rendered output" data-stale={stale.to_string()}
            data-rev={st.doc_rev.to_string()}
            data-rendered-rev={report.as_ref().map_or(String::new(), |r| r.doc_rev.to_string())}>
            <div class="pane-head">
                <div role="tablist" class="tabs">{ for tabs }</div>
                <span id={ID_STATUS} class={classes!("status", status_class)} aria-live="polite">
                    { status }{ if stale && report.is_some() { " · updating" } else { "" } }
                </span>
                if props.live.paused {
                    <button class="primary" onclick={props.live.render.reform(|_: MouseEvent| ())}
                        title="Live rendering paused: the last render was slow (Ctrl+Enter)">{ "Render" }</button>
                }
                <button class="small" onclick={download} title="Download the manifest as YAML">{ "⬇ YAML" }</button>
            </div>
            <div class="pane-body">{ body }</div>
        </section>
    }
}

fn ok_html(ctx: &Ctx, tab: OutputTab, out: &RenderOutput) -> Html {
    let warnings = if out.warnings.is_empty() {
        html! {}
    } else {
        html! {
            <ul id={ID_WARNINGS} class="warnings" role="status">
                { for out.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
            </ul>
        }
    };
    let content = match tab {
        OutputTab::Manifest => html! {
            <pre id={ID_OUTPUT} class="code manifest">{ sections_html(ctx, &out.sections) }</pre>
        },
        OutputTab::Notes => {
            if out.notes.is_empty() {
                html! { <p id={ID_NOTES} class="muted">{ "This chart has no templates/NOTES.txt." }</p> }
            } else {
                html! { <pre id={ID_NOTES} class="code">{ out.notes.clone() }</pre> }
            }
        }
        OutputTab::Values => {
            html! { <pre id={ID_VALUES} class="code">{ out.values.clone() }</pre> }
        }
    };
    html! { <>{ warnings }{ content }</> }
}
