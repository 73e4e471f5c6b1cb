//! The placeholder page (`chartlab::ui::App`) mounted in a real browser by wasm-bindgen-test:
//! typing into the template or values textarea re-renders `#output` through
//! `playground::preview_render`. Run: `cargo test-wasm` (.cargo/config.toml alias).
#![cfg(target_arch = "wasm32")]

use chartlab::playground::preview_render;
use chartlab::ui::{
    App, ID_ERROR, ID_OUTPUT, ID_TEMPLATE, ID_VALUES, SAMPLE_TEMPLATE, SAMPLE_VALUES,
};
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, Element, EventInit, HtmlTextAreaElement, InputEvent};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document")
}

/// Mounts a fresh `App` in its own `<div>` and returns that root once the page is there.
async fn mount() -> Element {
    let doc = document();
    let root = doc.create_element("div").expect("create <div>");
    doc.body()
        .expect("<body>")
        .append_child(&root)
        .expect("append root");
    yew::Renderer::<App>::with_root(root.clone()).render();
    for _ in 0..250 {
        if let Ok(Some(_)) = root.query_selector(&format!("#{ID_OUTPUT}")) {
            return root;
        }
        settle().await;
    }
    panic!("the app did not mount within 5 s");
}

fn by_id(root: &Element, id: &str) -> Element {
    root.query_selector(&format!("#{id}"))
        .expect("valid selector")
        .unwrap_or_else(|| panic!("#{id} is on the page"))
}

/// Yew renders asynchronously: give the scheduler a moment.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

/// Waits (up to 5 s, so a busy machine does not fail the test) until `#id`'s text is `want`.
async fn expect_text(root: &Element, id: &str, want: &str) {
    for _ in 0..250 {
        if text_of(root, id) == want {
            return;
        }
        settle().await;
    }
    assert_eq!(text_of(root, id), want, "#{id} after 5 s");
}

/// Sets a textarea's text and fires the bubbling `input` event a user's typing would.
fn type_into(root: &Element, id: &str, text: &str) {
    let area: HtmlTextAreaElement = by_id(root, id).dyn_into().expect("a <textarea>");
    area.set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = InputEvent::new_with_event_init_dict("input", &init.unchecked_into())
        .expect("create InputEvent");
    area.dispatch_event(&event).expect("dispatch input");
}

fn text_of(root: &Element, id: &str) -> String {
    by_id(root, id).text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn shows_the_sample_rendered_on_load() {
    let root = mount().await;
    let area: HtmlTextAreaElement = by_id(&root, ID_TEMPLATE).dyn_into().expect("a <textarea>");
    assert_eq!(area.value(), SAMPLE_TEMPLATE);
    let values: HtmlTextAreaElement = by_id(&root, ID_VALUES).dyn_into().expect("a <textarea>");
    assert_eq!(values.value(), SAMPLE_VALUES);
    let expected = preview_render(SAMPLE_TEMPLATE, SAMPLE_VALUES).unwrap_or_default();
    expect_text(&root, ID_OUTPUT, &expected).await;
    assert!(by_id(&root, ID_ERROR).has_attribute("hidden"));
    root.remove();
}

#[wasm_bindgen_test]
async fn typing_a_template_rerenders_the_output() {
    let root = mount().await;
    let template = "kind: ConfigMap\nmetadata:\n  name: typed-in-the-browser\n";
    type_into(&root, ID_TEMPLATE, template);
    let expected = preview_render(template, SAMPLE_VALUES).unwrap_or_default();
    expect_text(&root, ID_OUTPUT, &expected).await;
    assert!(text_of(&root, ID_OUTPUT).contains("typed-in-the-browser"));
    root.remove();
}

#[wasm_bindgen_test]
async fn editing_values_rerenders_with_the_current_template() {
    let root = mount().await;
    let values = "greeting: Bonjour\nreplicas: 3\n";
    type_into(&root, ID_VALUES, values);
    let expected = match preview_render(SAMPLE_TEMPLATE, values) {
        Ok(text) => text,
        Err(message) => panic!("the sample renders with other values: {message}"),
    };
    expect_text(&root, ID_OUTPUT, &expected).await;
    root.remove();
}
