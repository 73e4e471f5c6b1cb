//! The code editor: CodeMirror 6 (www/editor/main.js, bundled by scripts/build-editor) driven
//! through `window.ChartLabEditor`, with Helm's error marked on its line. Where the bundle is
//! not loaded (the component tests) a plain `<textarea>` stands in.
//!
//! The editor owns its text while the user types; it takes the text from the props only when
//! the file or the document's load epoch changes (a reset, an example, an undo), so typing never
//! round-trips through a re-render.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::playground::render::ErrorMark;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ChartLabEditor, js_name = create)]
    fn cm_create(
        parent: &HtmlElement,
        text: &str,
        lang: &str,
        read_only: bool,
        on_change: &js_sys::Function,
    ) -> JsValue;
    #[wasm_bindgen(js_namespace = ChartLabEditor, js_name = setText)]
    fn cm_set_text(handle: &JsValue, text: &str);
    #[wasm_bindgen(js_namespace = ChartLabEditor, js_name = setMarks)]
    fn cm_set_marks(handle: &JsValue, marks: &JsValue);
    #[wasm_bindgen(js_namespace = ChartLabEditor, js_name = setLanguage)]
    fn cm_set_language(handle: &JsValue, lang: &str);
    #[wasm_bindgen(js_namespace = ChartLabEditor, js_name = setReadOnly)]
    fn cm_set_read_only(handle: &JsValue, read_only: bool);
    #[wasm_bindgen(js_namespace = ChartLabEditor, js_name = destroy)]
    fn cm_destroy(handle: &JsValue);
}

/// Whether the CodeMirror bundle is on the page.
pub fn code_editor_loaded() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("ChartLabEditor")).ok())
        .is_some_and(|v| v.is_object())
}

/// The editor's language for a file: YAML with Go template actions for chart files, plain
/// text for anything else (code, docs).
pub fn language_for(path: &str) -> &'static str {
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    if matches!(ext, "yaml" | "yml" | "tpl" | "txt" | "json" | "lock") || !lower.contains('.') {
        "helm"
    } else {
        "plain"
    }
}

/// A file's bytes, compared by identity (a 10 MB file is never compared byte by byte on a
/// re-render).
#[derive(Clone)]
pub struct Text(pub Rc<[u8]>);

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct EditorProps {
    /// The DOM id of the editor's element (tests find it by this).
    pub id: AttrValue,
    /// What is being edited (a workspace path, or `overrides.yaml`).
    pub path: AttrValue,
    /// Bumped when the text is replaced from outside the editor.
    pub epoch: u64,
    pub text: Text,
    /// Places to mark in this file.
    pub marks: Rc<Vec<ErrorMark>>,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub read_only: bool,
    #[prop_or_default]
    pub label: AttrValue,
}

fn marks_js(marks: &[ErrorMark]) -> JsValue {
    let arr = js_sys::Array::new();
    for m in marks {
        let o = js_sys::Object::new();
        let len = m.span.map_or(0, |(a, b)| b.saturating_sub(a));
        for (k, v) in [
            ("line", JsValue::from_f64(m.line as f64)),
            ("col", JsValue::from_f64(m.col as f64)),
            ("len", JsValue::from_f64(len as f64)),
            ("message", JsValue::from_str(&m.message)),
        ] {
            let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &v);
        }
        arr.push(&o);
    }
    arr.into()
}

/// The JS callback CodeMirror calls with the new text.
type OnChange = Closure<dyn FnMut(String)>;

/// Marks when the first code editor is ready for typing (the benchmark page reports it).
fn mark_editor_ready() {
    if let Some(perf) = super::dom::window().and_then(|w| w.performance()) {
        if perf
            .get_entries_by_name(super::bench::EDITOR_READY_MARK)
            .length()
            == 0
        {
            let _ = perf.mark(super::bench::EDITOR_READY_MARK);
        }
    }
}

/// The code editor (or its textarea stand-in).
#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    let handle = use_mut_ref(|| None::<JsValue>);
    let on_change = use_mut_ref(|| props.on_change.clone());
    *on_change.borrow_mut() = props.on_change.clone();
    let loaded = code_editor_loaded();

    // What the editor shows when it is created: the latest props, since creation waits for
    // the page's first paint.
    let latest = use_mut_ref(|| props.clone());
    *latest.borrow_mut() = props.clone();
    {
        let host = host.clone();
        let handle = handle.clone();
        let on_change = on_change.clone();
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let keep: Rc<RefCell<Option<OnChange>>> = Rc::default();
            // CodeMirror is created in the task after the one that builds the page, so the
            // page (with the first render's output) is painted without waiting for it.
            let timer = loaded.then(|| {
                let handle = handle.clone();
                let keep = keep.clone();
                Timeout::new(0, move || {
                    let Some(el) = host.cast::<HtmlElement>() else {
                        return;
                    };
                    let p = latest.borrow().clone();
                    let cb = on_change.clone();
                    let closure = OnChange::new(move |text: String| {
                        let f: Callback<String> = cb.borrow().clone();
                        f.emit(text);
                    });
                    let h = cm_create(
                        &el,
                        &String::from_utf8_lossy(&p.text.0),
                        language_for(&p.path),
                        p.read_only,
                        closure.as_ref().unchecked_ref(),
                    );
                    if !p.marks.is_empty() {
                        cm_set_marks(&h, &marks_js(&p.marks));
                    }
                    *handle.borrow_mut() = Some(h);
                    *keep.borrow_mut() = Some(closure);
                    mark_editor_ready();
                })
            });
            let handle: Rc<RefCell<Option<JsValue>>> = handle;
            move || {
                drop(timer);
                if let Some(h) = handle.borrow_mut().take() {
                    cm_destroy(&h);
                }
                drop(keep.borrow_mut().take());
            }
        });
    }
    {
        let handle = handle.clone();
        let text = props.text.clone();
        let read_only = props.read_only;
        use_effect_with((props.path.clone(), props.epoch), move |(path, _)| {
            if let Some(h) = handle.borrow().as_ref() {
                cm_set_language(h, language_for(path));
                cm_set_text(h, &String::from_utf8_lossy(&text.0));
                cm_set_read_only(h, read_only);
            }
        });
    }
    {
        let handle = handle.clone();
        use_effect_with(props.marks.clone(), move |marks| {
            if let Some(h) = handle.borrow().as_ref() {
                cm_set_marks(h, &marks_js(marks));
            }
        });
    }

    if loaded {
        html! {
            <div id={props.id.clone()} class="code-editor" ref={host}
                 data-path={props.path.clone()} aria-label={props.label.clone()} />
        }
    } else {
        let cb = props.on_change.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                cb.emit(area.value());
            }
        });
        let marks = props.marks.clone();
        html! {
            <div id={props.id.clone()} class="code-editor plain" data-path={props.path.clone()}>
                <textarea class="code" spellcheck="false" autocomplete="off"
                    aria-label={props.label.clone()} readonly={props.read_only}
                    value={String::from_utf8_lossy(&props.text.0).into_owned()} {oninput} />
                { for marks.iter().map(|m| html! {
                    <p class="mark" role="alert">{ format!("line {}: {}", m.line, m.message) }</p>
                }) }
            </div>
        }
    }
}
