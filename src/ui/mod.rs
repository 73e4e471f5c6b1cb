//! The browser UI (yew, wasm32 only): the page a learner types a Helm template into.
//!
//! For now a placeholder for the playground app: one template and its values (YAML), rendered
//! live on every keystroke through [`crate::playground::preview_render`], the way
//! `helm template` would render that one file. The element ids below are stable: the browser
//! tests (tests/wasm_ui.rs, tests/e2e.rs) drive the page through them.

use crate::playground::preview_render;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Id of the template `<textarea>`.
pub const ID_TEMPLATE: &str = "template";
/// Id of the values `<textarea>` (YAML, like `helm template -f values.yaml`).
pub const ID_VALUES: &str = "values";
/// Id of the `<pre>` holding the rendered output (empty while there is an error).
pub const ID_OUTPUT: &str = "output";
/// Id of the `<pre>` holding the render error (empty and hidden when rendering succeeded).
pub const ID_ERROR: &str = "error";

/// The template shown on first load.
pub const SAMPLE_TEMPLATE: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  greeting: {{ .Values.greeting | quote }}
  replicas: {{ .Values.replicas | default 1 }}
";

/// The values shown on first load.
pub const SAMPLE_VALUES: &str = "greeting: Hello, Helm
replicas: 2
";

/// Reads the text of the `<textarea>` an input event came from.
fn textarea_value(event: &InputEvent) -> Option<String> {
    event
        .target_dyn_into::<HtmlTextAreaElement>()
        .map(|area| area.value())
}

/// A callback storing the edited text of a textarea into `state`.
fn on_edit(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |event: InputEvent| {
        if let Some(text) = textarea_value(&event) {
            state.set(text);
        }
    })
}

/// The root component: editors on the left, the rendered output (or the error) on the right.
#[function_component(App)]
pub fn app() -> Html {
    let template = use_state(|| SAMPLE_TEMPLATE.to_string());
    let values = use_state(|| SAMPLE_VALUES.to_string());
    let result = preview_render(&template, &values);
    let (output, error) = match &result {
        Ok(text) => (text.as_str(), ""),
        Err(message) => ("", message.as_str()),
    };
    let status = if result.is_ok() { "ok" } else { "failed" };

    html! {
        <div class="page">
            <header>
                <h1>{ "ChartLab" }</h1>
                <p class="tagline">{ "A Helm playground: edit a template and its values, see what Helm renders." }</p>
            </header>
            <main class="panes">
                <section class="pane editors">
                    <label for={ID_TEMPLATE}>{ "templates/demo.yaml" }</label>
                    <textarea id={ID_TEMPLATE} class="code" spellcheck="false" autocomplete="off"
                        rows="14" value={(*template).clone()} oninput={on_edit(&template)} />
                    <label for={ID_VALUES}>{ "values.yaml" }</label>
                    <textarea id={ID_VALUES} class="code" spellcheck="false" autocomplete="off"
                        rows="8" value={(*values).clone()} oninput={on_edit(&values)} />
                </section>
                <section class="pane result" data-status={status}>
                    <h2>{ "Rendered" }</h2>
                    <pre id={ID_OUTPUT} class="code" aria-live="polite">{ output }</pre>
                    <pre id={ID_ERROR} class="code" role="alert" hidden={error.is_empty()}>{ error }</pre>
                </section>
            </main>
        </div>
    }
}

/// Mounts [`App`] on the page's `<body>`; called by the `chartlab-web` binary.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
