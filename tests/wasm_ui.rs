//! The playground page (`chartlab::ui::App`) mounted in a real browser by wasm-bindgen-test.
//! Without the CodeMirror bundle the editor is its `<textarea>` stand-in, which these tests type
//! into; every expectation is what the native playground code computes for the same document.
//! Run: `cargo test-wasm` (.cargo/config.toml alias).
#![cfg(target_arch = "wasm32")]

use chartlab::engine::Env;
use chartlab::playground::examples::{self, ExampleId};
use chartlab::playground::render::render_document;
use chartlab::playground::share::{self, Shared};
use chartlab::playground::Document;
use chartlab::ui::{App, ID_EDITOR, ID_ERROR, ID_NAME_INPUT, ID_OUTPUT, ID_STATUS, ID_TREE};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Document as DomDocument, Element, EventInit, HtmlElement, HtmlInputElement,
    HtmlTextAreaElement, InputEvent, KeyboardEvent, KeyboardEventInit,
};
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

fn dom() -> DomDocument {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document")
}

/// A fresh page: no saved work, no link in the URL (or the one given).
fn reset_page(hash: Option<&str>) {
    let w = web_sys::window().expect("window");
    if let Ok(Some(s)) = w.local_storage() {
        let _ = s.clear();
    }
    let href = w.location().href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or("").to_string();
    let url = match hash {
        Some(h) => format!("{base}#{h}"),
        None => base,
    };
    let _ = w.history().expect("history").replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some(&url),
    );
}

struct Mounted {
    root: Element,
    app: Option<AppHandle<App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// Mounts a fresh `App` in its own `<div>` and waits for its first render to finish.
async fn mount(hash: Option<&str>) -> Mounted {
    reset_page(hash);
    let doc = dom();
    let root = doc.create_element("div").expect("create <div>");
    doc.body()
        .expect("<body>")
        .append_child(&root)
        .expect("append root");
    let app = yew::Renderer::<App>::with_root(root.clone()).render();
    let m = Mounted {
        root,
        app: Some(app),
    };
    wait_until("the first render", || {
        find(&m.root, &format!("#{ID_STATUS}")).is_some_and(|s| {
            !s.text_content()
                .unwrap_or_default()
                .starts_with("Rendering")
        })
    })
    .await;
    m
}

fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

fn by(root: &Element, selector: &str) -> Element {
    find(root, selector).unwrap_or_else(|| panic!("{selector} is on the page"))
}

fn text_of(root: &Element, selector: &str) -> String {
    find(root, selector)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// Yew renders asynchronously: give the scheduler a moment.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

/// Polls `cond` for up to 10 s (a busy machine must not fail the test).
async fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..500 {
        if cond() {
            return;
        }
        settle().await;
    }
    panic!("{what}: not within 10 s");
}

/// The text the output pane must show for `doc`: the manifest, or `Error: …`.
fn expected_output(doc: &Document) -> (String, String) {
    match render_document(doc, &Env::default()) {
        Ok(out) => (format!("#{ID_OUTPUT}"), out.text),
        Err(f) => (format!("#{ID_ERROR}"), format!("Error: {}", f.message)),
    }
}

async fn expect_output(root: &Element, doc: &Document) {
    let (selector, want) = expected_output(doc);
    wait_until(&format!("{selector} showing the native render"), || {
        text_of(root, &selector) == want
    })
    .await;
}

/// Sets the editor's text and fires the `input` event typing would.
fn type_into_editor(root: &Element, text: &str) {
    let area: HtmlTextAreaElement = by(root, &format!("#{ID_EDITOR} textarea"))
        .dyn_into()
        .expect("a <textarea>");
    area.set_value(text);
    fire_input(&area);
}

fn fire_input(el: &web_sys::EventTarget) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init.unchecked_into())
        .expect("create InputEvent");
    el.dispatch_event(&event).expect("dispatch input");
}

fn click(root: &Element, selector: &str) {
    by(root, selector)
        .dyn_into::<HtmlElement>()
        .expect("an element")
        .click();
}

fn editor_text(root: &Element) -> String {
    by(root, &format!("#{ID_EDITOR} textarea"))
        .dyn_into::<HtmlTextAreaElement>()
        .expect("a <textarea>")
        .value()
}

#[wasm_bindgen_test]
async fn starts_with_the_scaffold_rendered_as_natively() {
    let m = mount(None).await;
    let scaffold = examples::build(ExampleId::Scaffold);
    let values = scaffold.workspace.text("values.yaml").expect("values.yaml");
    assert_eq!(editor_text(&m.root), values);
    assert!(find(
        &m.root,
        &format!("#{ID_TREE} [data-path='templates/_helpers.tpl']")
    )
    .is_some());
    expect_output(&m.root, &scaffold).await;
}

#[wasm_bindgen_test]
async fn editing_values_rerenders() {
    let m = mount(None).await;
    let mut doc = examples::build(ExampleId::Scaffold);
    let edited = doc
        .workspace
        .text("values.yaml")
        .expect("values.yaml")
        .replace("replicaCount: 1", "replicaCount: 4");
    doc.workspace
        .write("values.yaml", edited.clone().into_bytes())
        .expect("write");
    type_into_editor(&m.root, &edited);
    expect_output(&m.root, &doc).await;
}

#[wasm_bindgen_test]
async fn a_template_error_is_shown_and_its_line_marked() {
    let m = mount(None).await;
    click(&m.root, "[data-path='templates/service.yaml'] .tree-open");
    wait_until("service.yaml open", || {
        by(&m.root, &format!("#{ID_EDITOR}"))
            .get_attribute("data-path")
            .as_deref()
            == Some("templates/service.yaml")
    })
    .await;
    let broken = "kind: Service\nmetadata:\n  name: {{ .Values.nope | notAFunction }}\n";
    type_into_editor(&m.root, broken);
    let mut doc = examples::build(ExampleId::Scaffold);
    doc.workspace
        .write("templates/service.yaml", broken.as_bytes().to_vec())
        .expect("write");
    expect_output(&m.root, &doc).await;
    let failure = render_document(&doc, &Env::default()).expect_err("a broken template fails");
    if let Some(mark) = failure
        .marks
        .iter()
        .find(|m| m.path == "templates/service.yaml")
    {
        let shown = text_of(&m.root, &format!("#{ID_EDITOR} .mark"));
        assert!(
            shown.starts_with(&format!("line {}: ", mark.line)),
            "the editor marks {shown:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn the_file_tree_adds_renames_and_deletes() {
    let m = mount(None).await;
    click(&m.root, "[data-path='templates/service.yaml'] .tree-open");
    settle().await;
    click(&m.root, ".tree-pane .pane-head button[title^='New file']");
    wait_until("the name field", || {
        find(&m.root, &format!("#{ID_NAME_INPUT}")).is_some()
    })
    .await;
    let input: HtmlInputElement = by(&m.root, &format!("#{ID_NAME_INPUT}"))
        .dyn_into()
        .expect("an input");
    input.set_value("configmap.yaml");
    let init = KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let enter = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("key");
    input.dispatch_event(&enter).expect("dispatch");
    wait_until("the new file open", || {
        by(&m.root, &format!("#{ID_EDITOR}"))
            .get_attribute("data-path")
            .as_deref()
            == Some("templates/configmap.yaml")
    })
    .await;
    assert!(find(&m.root, "[data-path='templates/configmap.yaml']").is_some());
    click(
        &m.root,
        "button[aria-label='Delete templates/configmap.yaml']",
    );
    wait_until("the file gone", || {
        find(&m.root, "[data-path='templates/configmap.yaml']").is_none()
    })
    .await;
    click(&m.root, "#undo");
    wait_until("the file back", || {
        find(&m.root, "[data-path='templates/configmap.yaml']").is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn release_settings_change_the_command_line() {
    let m = mount(None).await;
    click(&m.root, ".settings-row .tree-open");
    wait_until("the settings", || find(&m.root, "#release-name").is_some()).await;
    let name: HtmlInputElement = by(&m.root, "#release-name").dyn_into().expect("input");
    name.set_value("workshop");
    fire_input(&name);
    wait_until("the command line", || {
        text_of(&m.root, ".command code").starts_with("helm template workshop ./myapi")
    })
    .await;
    let mut doc = examples::build(ExampleId::Scaffold);
    doc.release.name = "workshop".into();
    expect_output(&m.root, &doc).await;
}

#[wasm_bindgen_test]
async fn reset_to_the_example_can_be_undone() {
    let m = mount(None).await;
    let original = editor_text(&m.root);
    let edited = original.replace("nginx", "httpd");
    type_into_editor(&m.root, &edited);
    wait_until("reset enabled", || {
        !by(&m.root, "#reset").has_attribute("disabled")
    })
    .await;
    click(&m.root, "#reset");
    wait_until("the example back", || editor_text(&m.root) == original).await;
    click(&m.root, "#undo");
    wait_until("the edit back", || editor_text(&m.root) == edited).await;
}

#[wasm_bindgen_test]
async fn a_share_link_in_the_url_opens_its_chart() {
    let mut doc = examples::build(ExampleId::Api);
    let values = doc
        .workspace
        .text("values.yaml")
        .expect("values")
        .into_owned();
    doc.workspace
        .write(
            "values.yaml",
            values
                .replace("containerPort: 8080", "containerPort: 9090")
                .into_bytes(),
        )
        .expect("write");
    let link = share::encode(&Shared {
        doc: doc.clone(),
        origin: Some(ExampleId::Api),
        selected: Some("values.yaml".into()),
        lesson: None,
    });
    let m = mount(Some(&link)).await;
    assert!(editor_text(&m.root).contains("containerPort: 9090"));
    expect_output(&m.root, &doc).await;
}

#[wasm_bindgen_test]
async fn a_damaged_link_is_refused_with_a_message() {
    let m = mount(Some("v1.AAAA-broken")).await;
    wait_until("the message", || {
        text_of(&m.root, "#notice").contains("The link could not be opened")
    })
    .await;
    // the page still works on the scaffold
    let scaffold = examples::build(ExampleId::Scaffold);
    expect_output(&m.root, &scaffold).await;
}
