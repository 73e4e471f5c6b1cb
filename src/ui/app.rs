//! The page: toolbar, message line, file tree, editor (or the release settings) and the live
//! output; where the work comes from on load (a shared link, the autosave, or the scaffold);
//! dropping a chart (`.tgz` or folder) or files onto the page; Ctrl+Enter renders now.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, KeyboardEvent};
use yew::prelude::*;

use super::dom;
use super::editor::{Editor, Text};
use super::file_tree::FileTree;
use super::hooks::{render_now, use_autosave, use_live_render, use_url_state};
use super::notice::NoticeBar;
use super::output::Output;
use super::settings::Settings;
use super::store::{Ctx, Store};
use super::toolbar::{import_files, Toolbar};
use crate::playground::examples::ExampleId;
use crate::playground::render::ErrorMark;
use crate::playground::state::{reduce, Action, Notice, NoticeKind, Selection, Snapshot, State};
use crate::playground::{autosave, share, workspace};

pub const ID_EDITOR: &str = "editor";

/// The chart's files for the cluster panel (text; binary files as lossy UTF-8).
fn cluster_files(st: &State) -> Rc<std::collections::BTreeMap<String, String>> {
    Rc::new(
        st.doc
            .workspace
            .files()
            .map(|(p, b)| (p.to_string(), String::from_utf8_lossy(b).into_owned()))
            .collect(),
    )
}

/// The state the page starts with: a link in the URL wins (the autosaved work goes to Undo),
/// then the autosave, then the scaffold. A link that cannot be read says why.
pub fn initial_state() -> State {
    let saved = dom::storage_get(autosave::STORAGE_KEY).map(|t| autosave::load(&t));
    let (saved, saved_error) = match saved {
        Some(Ok(r)) => (Some(r.state), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let hash = dom::location_hash();
    let mut state = if let Some(link) = super::lessons::link_from_fragment(&hash) {
        // a teacher's hand-written link (`#lab=2&step=3`): the labs open there
        let mut s = saved.unwrap_or_else(autosave::fresh);
        match link {
            Ok(l) => s.lesson = Some(l),
            Err(e) => s.notice = Some(error(format!("The link could not be opened: {e}"))),
        }
        s
    } else if let Some(key) = hash.strip_prefix("example=") {
        match ExampleId::from_key(key) {
            Some(id) => with_undo(State::from_example(id), saved, "Opened an example link"),
            None => {
                let mut s = saved.unwrap_or_else(autosave::fresh);
                s.notice = Some(error(format!("There is no example named {key:?}")));
                s
            }
        }
    } else if !hash.is_empty() {
        match share::decode(&hash) {
            Ok(shared) => {
                let same = saved.as_ref().is_some_and(|s| s.doc == shared.doc);
                let s = State::from_shared(shared, None);
                if same {
                    s
                } else {
                    with_undo(s, saved, "Opened a shared link")
                }
            }
            Err(e) => {
                let mut s = saved.unwrap_or_else(autosave::fresh);
                s.notice = Some(error(format!("The link could not be opened: {e}")));
                s
            }
        }
    } else {
        saved.unwrap_or_else(autosave::fresh)
    };
    if let (Some(e), None) = (saved_error, &state.notice) {
        state.notice = Some(error(format!("Your saved work could not be restored: {e}")));
    }
    state
}

fn error(text: String) -> Notice {
    Notice {
        kind: NoticeKind::Error,
        text,
        undo: false,
    }
}

/// Keeps the autosaved work (if any) as the Undo of a state opened from a link.
fn with_undo(mut s: State, saved: Option<State>, reason: &str) -> State {
    if let Some(prev) = saved {
        s.undo = Some(Box::new(Snapshot {
            doc: prev.doc,
            origin: prev.origin,
            selection: prev.selection,
            reason: reason.to_string(),
        }));
        s.notice = Some(Notice {
            kind: NoticeKind::Info,
            text: format!("{reason}: Undo brings back the chart you were working on"),
            undo: true,
        });
    }
    s
}

/// The marks of the last failed render that fall in `path`.
fn marks_for(state: &State, path: &str) -> Rc<Vec<ErrorMark>> {
    Rc::new(
        state
            .render
            .as_ref()
            .and_then(|r| r.result.as_ref().err())
            .map(|f| f.marks.iter().filter(|m| m.path == path).cloned().collect())
            .unwrap_or_default(),
    )
}

#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(|| {
        // The first render is part of the first paint (instead of an effect after it, which
        // would build the page twice before the output shows).
        let mut state = initial_state();
        let report = render_now(&state);
        reduce(&mut state, Action::Rendered(Rc::new(report)));
        Store(Rc::new(state))
    });
    let live = use_live_render(&store);
    use_autosave(&store);
    use_url_state(&store);
    let ctx = Ctx::new(&store);
    let dragging = use_state(|| false);
    // The connected-mode panel's copy of the files, made once per document revision: a
    // keystroke builds the page twice (the edit, then its render), and a fresh copy each time
    // would copy every file (10 MB after a big paste) and rebuild that panel on both.
    let files = {
        let st = store.0.clone();
        use_memo(store.0.doc_rev, move |_| cluster_files(&st))
    };

    {
        let render = live.render.clone();
        use_effect_with((), move |_| {
            let listener = dom::window().map(|w| {
                EventListener::new(&w, "keydown", move |e| {
                    let Some(k) = e.dyn_ref::<KeyboardEvent>() else {
                        return;
                    };
                    if (k.ctrl_key() || k.meta_key()) && k.key() == "Enter" {
                        k.prevent_default();
                        render.emit(());
                    }
                })
            });
            move || drop(listener)
        });
    }

    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let ctx = ctx.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let Some(dt) = e.data_transfer() else { return };
            let ctx = ctx.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match dom::read_drop(&dt, workspace::MAX_FILES).await {
                    Ok(d) if d.files.is_empty() => {}
                    Ok(d) => {
                        let one_archive = d.files.len() == 1
                            && (d.files[0].0.ends_with(".tgz")
                                || d.files[0].0.ends_with(".tar.gz"));
                        let is_chart = d.had_folder
                            && d.files
                                .iter()
                                .any(|(p, _)| p.split('/').nth(1) == Some("Chart.yaml"));
                        if one_archive || is_chart {
                            let source = d.files[0].0.split('/').next().unwrap_or("").to_string();
                            import_files(&ctx, d.files, source);
                        } else {
                            let dir = ctx
                                .state()
                                .selected_file()
                                .and_then(workspace::parent)
                                .unwrap_or("")
                                .to_string();
                            ctx.dispatch(Action::Upload {
                                dir,
                                files: d.files,
                            });
                        }
                    }
                    Err(e) => ctx.dispatch(Action::Notify {
                        error: true,
                        text: format!("Reading what was dropped failed: {e}"),
                    }),
                }
            });
        })
    };

    let st = ctx.state();
    let main_pane = match (&st.selection, st.selected_file()) {
        (Some(Selection::Settings), _) => html! { <Settings ctx={ctx.clone()} /> },
        (_, Some(path)) => {
            let path = path.to_string();
            let text = Text(
                st.doc
                    .workspace
                    .file_rc(&path)
                    .unwrap_or_else(|| Rc::from(&b""[..])),
            );
            let binary = !workspace::is_text(&text.0);
            let marks = marks_for(st, &path);
            let on_change = {
                let ctx = ctx.clone();
                let path = path.clone();
                Callback::from(move |text: String| {
                    ctx.dispatch(Action::Edit {
                        path: path.clone(),
                        text,
                    })
                })
            };
            html! {
                <section class="pane editor-pane" aria-label="editor">
                    <div class="pane-head">
                        <span class="pane-title file-path">{ path.clone() }</span>
                        if !marks.is_empty() {
                            <span class="badge error">{ format!("error on line {}", marks[0].line) }</span>
                        }
                    </div>
                    if binary {
                        <p class="muted pane-body">{ format!("{path} is a binary file ({} bytes): it is kept as it is, and templates can read it through .Files.", text.0.len()) }</p>
                    } else {
                        <Editor id={ID_EDITOR} path={path.clone()} epoch={st.load_epoch} {text} {marks}
                            {on_change} label={format!("contents of {path}")} />
                    }
                </section>
            }
        }
        _ => html! {
            <section class="pane editor-pane"><p class="muted pane-body">{ "Pick a file on the left, or add one." }</p></section>
        },
    };

    let lesson = st.lesson;
    html! {
        <div class={classes!("app", (*dragging).then_some("dragging"),
            (st.releases.open && lesson.is_none()).then_some("releases-open"), lesson.map(|_| "with-lessons"),
            lesson.filter(|l| l.instructor).map(|_| "instructor"))} {ondragover} {ondragleave} {ondrop}>
            <Toolbar ctx={ctx.clone()} />
            <NoticeBar ctx={ctx.clone()} />
            <main class="panes">
                <FileTree ctx={ctx.clone()} />
                { main_pane }
                <Output ctx={ctx.clone()} live={live.clone()} />
            </main>
            // the lesson panel has a session of its own: it takes the releases panel's place
            if lesson.is_some() {
                <super::lessons::LessonPanel ctx={ctx.clone()} />
            } else {
                <super::releases::ReleasesPanel ctx={ctx.clone()} />
            }
            // connected mode: shown only when the page may be served by kubectl proxy
            <super::cluster::panel::ClusterPanel files={(*files).clone()}
                values={st.doc.overrides.values.clone()} />
            if super::bench::requested() {
                <super::bench::BenchReport />
            }
        </div>
    }
}
