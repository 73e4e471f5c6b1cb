//! The top bar: the examples, reset and undo, the share link, importing a chart (`.tgz` or a
//! folder) and exporting it, and the colour theme.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::dom;
use super::store::Ctx;
use crate::playground::archive;
use crate::playground::examples::{ExampleId, EXAMPLES};
use crate::playground::releases::ReleasesAction;
use crate::playground::share;
use crate::playground::state::Action;

pub const ID_SHARE: &str = "share";
pub const ID_SHARE_LINK: &str = "share-link";
pub const ID_EXAMPLES: &str = "examples";
pub const THEME_KEY: &str = "chartlab.theme";

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub ctx: Ctx,
}

/// Imports picked files: one `.tgz` is unpacked as Helm loads an archive; files picked from a
/// folder lose their top folder (the chart's own directory).
pub fn import_files(ctx: &Ctx, files: Vec<(String, Vec<u8>)>, source: String) {
    let single_archive =
        files.len() == 1 && (files[0].0.ends_with(".tgz") || files[0].0.ends_with(".tar.gz"));
    let result = if single_archive {
        archive::unpack(&files[0].1).map_err(|e| format!("{}: {e}", files[0].0))
    } else {
        archive::strip_top_folder(files)
    };
    match result {
        Ok(files) => ctx.dispatch(Action::Import {
            files,
            dirs: Vec::new(),
            source,
        }),
        Err(e) => ctx.dispatch(Action::Notify {
            error: true,
            text: format!("Import failed: {e}"),
        }),
    }
}

fn picker(ctx: &Ctx) -> Callback<Event> {
    let ctx = ctx.clone();
    Callback::from(move |e: Event| {
        let Some(el) = e.target_dyn_into::<HtmlInputElement>() else {
            return;
        };
        let Some(list) = el.files() else { return };
        let ctx = ctx.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match dom::read_file_list(&list).await {
                Ok(files) if !files.is_empty() => {
                    let source = files
                        .first()
                        .map(|(p, _)| p.split('/').next().unwrap_or(p).to_string())
                        .unwrap_or_default();
                    import_files(&ctx, files, source);
                }
                Ok(_) => {}
                Err(e) => ctx.dispatch(Action::Notify {
                    error: true,
                    text: format!("Reading the files failed: {e}"),
                }),
            }
        });
        el.set_value("");
    })
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let ctx = &props.ctx;
    let st = ctx.state();
    let link = use_state(|| None::<String>);
    let theme = use_state(|| dom::storage_get(THEME_KEY).unwrap_or_else(|| "auto".into()));
    let tgz_input = use_node_ref();
    let dir_input = use_node_ref();
    {
        use_effect_with((*theme).clone(), |t| dom::apply_theme(t));
    }
    {
        // webkitdirectory has no yew attribute: set it on the element
        let dir_input = dir_input.clone();
        use_effect_with((), move |_| {
            if let Some(el) = dir_input.cast::<HtmlInputElement>() {
                let _ = el.set_attribute("webkitdirectory", "");
            }
        });
    }

    let on_example = ctx.callback(|e: Event| {
        let key = e
            .target_dyn_into::<HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        match ExampleId::from_key(&key) {
            Some(id) => Action::LoadExample(id),
            None => Action::DismissNotice,
        }
    });
    let share_click = {
        let ctx = ctx.clone();
        let link = link.clone();
        Callback::from(move |_: MouseEvent| {
            let url = format!(
                "{}#{}",
                dom::page_url(),
                share::encode(&ctx.state().shared())
            );
            link.set(Some(url.clone()));
            let ctx = ctx.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let text = match dom::copy_text(&url).await {
                    Ok(()) => format!("Link copied ({} characters)", url.len()),
                    Err(_) => format!(
                        "Link ready below ({} characters): copy it with Ctrl+C",
                        url.len()
                    ),
                };
                ctx.dispatch(Action::Notify { error: false, text });
            });
        })
    };
    let export = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            let now = (js_sys::Date::now() / 1000.0) as i64;
            let result = archive::pack(&ctx.state().doc.workspace, now)
                .and_then(|a| dom::download(&a.file_name, "application/gzip", &a.data));
            if let Err(e) = result {
                ctx.dispatch(Action::Notify {
                    error: true,
                    text: format!("Export (helm package) failed: {e}"),
                });
            }
        })
    };
    let click = |r: &NodeRef| {
        let r = r.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = r.cast::<HtmlInputElement>() {
                el.click();
            }
        })
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_else(|| "auto".into());
            let _ = dom::storage_set(THEME_KEY, &v);
            theme.set(v);
        })
    };
    let current = st.origin.map(|o| o.key()).unwrap_or("");
    let can_reset = st.origin.is_some() && st.differs_from_origin();
    let undo_title = st.undo.as_ref().map_or_else(
        || "Nothing to undo".to_string(),
        |s| format!("Undo: {}", s.reason),
    );
    html! {
        <header class="toolbar">
            <h1 class="brand">{ "ChartLab" }<span class="tag">{ "Helm v4.2.3 in your browser" }</span></h1>
            <label class="inline" for={ID_EXAMPLES}>
                <span class="sr">{ "Example" }</span>
                <select id={ID_EXAMPLES} onchange={on_example} title="Load an example (your chart goes to Undo)">
                    if current.is_empty() {
                        <option value="" selected=true>{ "Your chart" }</option>
                    }
                    { for EXAMPLES.iter().map(|e| html! {
                        <option value={e.key} selected={e.key == current} title={e.summary}>{ e.title }</option>
                    }) }
                </select>
            </label>
            <button id="reset" disabled={!can_reset} onclick={ctx.callback(|_: MouseEvent| Action::ResetToExample)}
                title="Reset the chart to the example (undoable)">{ "Reset" }</button>
            <button id="undo" disabled={st.undo.is_none()} onclick={ctx.callback(|_: MouseEvent| Action::Undo)}
                title={undo_title}>{ "Undo" }</button>
            <button id={super::releases::ID_RELEASES_TOGGLE} aria-pressed={st.releases.open.to_string()}
                class={classes!(st.releases.open.then_some("primary"))}
                onclick={{ let open = st.releases.open; ctx.callback(move |_: MouseEvent| Action::Releases(ReleasesAction::Open(!open))) }}
                title="Install, upgrade and roll back this chart in a simulated cluster, with a terminal">{ "Releases" }</button>
            <button id={super::lessons::ID_OPEN_LESSONS} disabled={st.lesson.is_some()}
                onclick={ctx.callback(|_: MouseEvent| Action::SetLesson(Some(super::lessons::saved_link())))}
                title="The workshop's four labs, step by step, with a terminal and checks">{ "Guided labs" }</button>
            <span class="spacer" />
            <button onclick={click(&tgz_input)} title="Open a chart archive (.tgz from helm package or helm pull)">{ "Import .tgz" }</button>
            <input ref={tgz_input} type="file" accept=".tgz,.tar.gz,application/gzip" hidden=true onchange={picker(ctx)} />
            <button onclick={click(&dir_input)} title="Open a chart folder from your disk">{ "Import folder" }</button>
            <input ref={dir_input} type="file" hidden=true onchange={picker(ctx)} />
            <button onclick={export} title="Download the chart as NAME-VERSION.tgz, as helm package names it">{ "Export .tgz" }</button>
            <button id={ID_SHARE} class="primary" onclick={share_click} title="Copy a link that opens this chart">{ "Share" }</button>
            <label class="inline" for="theme">
                <span class="sr">{ "Theme" }</span>
                <select id="theme" onchange={on_theme} title="Colour theme">
                    { for [("auto", "Auto theme"), ("light", "Light"), ("dark", "Dark")].iter().map(|(v, l)| html! {
                        <option value={*v} selected={*theme == *v}>{ *l }</option>
                    }) }
                </select>
            </label>
            if let Some(url) = &*link {
                <div class="share-box">
                    <input id={ID_SHARE_LINK} type="text" readonly=true value={url.clone()} aria-label="share link"
                        onfocus={Callback::from(|e: FocusEvent| if let Some(el) = e.target_dyn_into::<HtmlInputElement>() { el.select(); })} />
                    <button class="icon" aria-label="Close" onclick={{ let link = link.clone(); Callback::from(move |_: MouseEvent| link.set(None)) }}>{ "✕" }</button>
                </div>
            }
        </header>
    }
}
