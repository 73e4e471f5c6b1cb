//! The chart's file tree: open a file, add files and folders, rename, delete (undoable), upload
//! files from disk into the chosen folder, and the entry for the release settings and values.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::dom;
use super::store::Ctx;
use crate::playground::state::{Action, Selection};
use crate::playground::workspace::{base_name, parent};

pub const ID_TREE: &str = "file-tree";
pub const ID_NAME_INPUT: &str = "tree-name";

#[derive(Clone, PartialEq)]
enum Mode {
    Idle,
    NewFile,
    NewDir,
    Rename(String),
}

#[derive(Properties, PartialEq)]
pub struct FileTreeProps {
    pub ctx: Ctx,
}

/// The folder new files go into: the selected folder, or the open file's folder.
fn target_dir(folder: &Option<String>, selected: Option<&str>) -> String {
    folder
        .clone()
        .or_else(|| selected.and_then(parent).map(str::to_string))
        .unwrap_or_default()
}

#[function_component(FileTree)]
pub fn file_tree(props: &FileTreeProps) -> Html {
    let ctx = &props.ctx;
    let st = ctx.state();
    let mode = use_state(|| Mode::Idle);
    let folder = use_state(|| None::<String>);
    let input = use_node_ref();
    let upload = use_node_ref();
    let selected = st.selected_file();
    let dir = target_dir(&folder, selected);
    let tree = st.doc.workspace.tree();

    {
        let input = input.clone();
        use_effect_with((*mode).clone(), move |m| {
            if *m != Mode::Idle {
                if let Some(el) = input.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                    el.select();
                }
            }
        });
    }

    let start = |m: Mode| {
        let mode = mode.clone();
        Callback::from(move |_: MouseEvent| mode.set(m.clone()))
    };
    let commit = {
        let mode = mode.clone();
        let ctx = ctx.clone();
        let dir = dir.clone();
        let input = input.clone();
        Callback::from(move |_: ()| {
            let Some(el) = input.cast::<HtmlInputElement>() else {
                return;
            };
            let name = el.value();
            let name = name.trim();
            if name.is_empty() {
                mode.set(Mode::Idle);
                return;
            }
            let within = |n: &str| {
                if dir.is_empty() || n.starts_with('/') {
                    n.trim_start_matches('/').to_string()
                } else {
                    format!("{dir}/{n}")
                }
            };
            match &*mode {
                Mode::NewFile => ctx.dispatch(Action::CreateFile(within(name))),
                Mode::NewDir => ctx.dispatch(Action::CreateDir(within(name))),
                Mode::Rename(from) => {
                    let to = match parent(from) {
                        Some(p) if !name.contains('/') => format!("{p}/{name}"),
                        _ => name.to_string(),
                    };
                    ctx.dispatch(Action::Rename {
                        from: from.clone(),
                        to,
                    });
                }
                Mode::Idle => {}
            }
            mode.set(Mode::Idle);
        })
    };
    let onkeydown = {
        let commit = commit.clone();
        let mode = mode.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                commit.emit(());
            }
            "Escape" => mode.set(Mode::Idle),
            _ => {}
        })
    };
    let on_upload = {
        let ctx = ctx.clone();
        let dir = dir.clone();
        Callback::from(move |e: Event| {
            let Some(el) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(list) = el.files() else { return };
            let ctx = ctx.clone();
            let dir = dir.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match dom::read_file_list(&list).await {
                    Ok(files) if !files.is_empty() => ctx.dispatch(Action::Upload { dir, files }),
                    Ok(_) => {}
                    Err(e) => ctx.dispatch(Action::Notify {
                        error: true,
                        text: format!("Reading the files failed: {e}"),
                    }),
                }
            });
            el.set_value("");
        })
    };
    let pick_upload = {
        let upload = upload.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = upload.cast::<HtmlInputElement>() {
                el.click();
            }
        })
    };

    let name_row = |placeholder: String, value: String| {
        let onblur = {
            let mode = mode.clone();
            Callback::from(move |_: FocusEvent| mode.set(Mode::Idle))
        };
        html! {
            <li class="tree-input">
                <input id={ID_NAME_INPUT} ref={input.clone()} type="text" {placeholder} {value}
                    aria-label={placeholder_label(&mode)} onkeydown={onkeydown.clone()} {onblur} />
            </li>
        }
    };

    let settings_selected = st.selection == Some(Selection::Settings);
    let rows = tree.iter().map(|e| {
        let path = e.path.clone();
        let indent = format!("padding-left: {}rem", 0.6 + e.depth as f64 * 0.9);
        if *mode == Mode::Rename(path.clone()) {
            return name_row("new name".into(), e.name.clone());
        }
        let is_sel = if e.is_dir {
            folder.as_deref() == Some(path.as_str())
        } else {
            selected == Some(path.as_str()) && !settings_selected
        };
        let onclick = if e.is_dir {
            let folder = folder.clone();
            let p = path.clone();
            Callback::from(move |_: MouseEvent| {
                let now = if folder.as_deref() == Some(p.as_str()) { None } else { Some(p.clone()) };
                folder.set(now);
            })
        } else {
            let folder = folder.clone();
            let p = path.clone();
            let ctx = ctx.clone();
            Callback::from(move |_: MouseEvent| {
                folder.set(None);
                ctx.dispatch(Action::Select(p.clone()));
            })
        };
        let rename = start(Mode::Rename(path.clone()));
        let delete = {
            let p = path.clone();
            ctx.callback(move |_: MouseEvent| Action::Delete(p.clone()))
        };
        let icon = if e.is_dir { "▾ " } else { "" };
        html! {
            <li role="treeitem" aria-level={(e.depth + 1).to_string()} aria-selected={is_sel.to_string()}
                class={classes!("tree-row", e.is_dir.then_some("dir"), is_sel.then_some("selected"))}
                data-path={path.clone()}>
                <button class="tree-open" style={indent} {onclick} title={path.clone()}>
                    { icon }{ base_name(&e.name).to_string() }{ if e.is_dir { "/" } else { "" } }
                </button>
                <span class="tree-actions">
                    <button class="icon" title={format!("Rename {path}")} aria-label={format!("Rename {path}")} onclick={rename}>{ "✎" }</button>
                    <button class="icon" title={format!("Delete {path}")} aria-label={format!("Delete {path}")} onclick={delete}>{ "✕" }</button>
                </span>
            </li>
        }
    });
    let adding = matches!(*mode, Mode::NewFile | Mode::NewDir);
    let where_ = if dir.is_empty() {
        "the chart's top folder".to_string()
    } else {
        format!("{dir}/")
    };
    html! {
        <nav class="pane tree-pane" aria-label="chart files">
            <div class="pane-head">
                <span class="pane-title">{ "Chart" }</span>
                <button class="small" title={format!("New file in {where_}")} onclick={start(Mode::NewFile)}>{ "+ File" }</button>
                <button class="small" title={format!("New folder in {where_}")} onclick={start(Mode::NewDir)}>{ "+ Folder" }</button>
                <button class="small" title={format!("Upload files into {where_}")} onclick={pick_upload}>{ "⬆ Upload" }</button>
                <input ref={upload} type="file" multiple=true hidden=true onchange={on_upload} />
            </div>
            <ul id={ID_TREE} role="tree" class="tree">
                <li class={classes!("tree-row", "settings-row", settings_selected.then_some("selected"))}>
                    <button class="tree-open" onclick={ctx.callback(|_: MouseEvent| Action::SelectSettings)}>
                        { "⚙ Release & values" }
                    </button>
                </li>
                if adding {
                    { name_row(
                        if *mode == Mode::NewFile { format!("file name in {where_}") } else { format!("folder name in {where_}") },
                        String::new(),
                    ) }
                }
                { for rows }
            </ul>
        </nav>
    }
}

fn placeholder_label(mode: &Mode) -> String {
    match mode {
        Mode::NewFile => "new file name".into(),
        Mode::NewDir => "new folder name".into(),
        Mode::Rename(p) => format!("new name for {p}"),
        Mode::Idle => String::new(),
    }
}
