//! The terminal: a transcript of commands and what they printed (text only), the prompt, an
//! input line with the command history on up/down — a function of what it shows, like the
//! views. It runs nothing itself: `on_submit` gets the line (the releases panel sends it to
//! the shared command layer in the worker).

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::playground::releases::TermEntry;

pub const ID_TERMINAL: &str = "terminal";
pub const ID_TERMINAL_INPUT: &str = "terminal-input";

/// The terminal's screen; `screen` is its element (the caller scrolls it to the newest
/// output). `on_history` gets -1 for the previous command, +1 for the next.
#[allow(clippy::too_many_arguments)]
pub fn terminal(
    screen: &NodeRef,
    entries: &[TermEntry],
    prompt: &str,
    input: &str,
    busy: bool,
    on_input: &Callback<String>,
    on_submit: &Callback<String>,
    on_history: &Callback<i32>,
) -> Html {
    let oninput = {
        let cb = on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                cb.emit(i.value());
            }
        })
    };
    let onkeydown = {
        let (submit, history) = (on_submit.clone(), on_history.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                if busy {
                    return;
                }
                if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                    submit.emit(i.value());
                }
            }
            "ArrowUp" => {
                e.prevent_default();
                history.emit(-1);
            }
            "ArrowDown" => {
                e.prevent_default();
                history.emit(1);
            }
            _ => {}
        })
    };
    // a click on the screen's background goes to the input line (clicks on output leave it
    // selectable)
    let focus = Callback::from(move |e: MouseEvent| {
        if e.target() == e.current_target() {
            let input = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(ID_TERMINAL_INPUT))
                .and_then(|el| el.dyn_into::<HtmlInputElement>().ok());
            if let Some(i) = input {
                let _ = i.focus();
            }
        }
    });
    html! {
        <div id={ID_TERMINAL} class="terminal" ref={screen.clone()} onclick={focus} aria-label="terminal">
            { for entries.iter().map(|e| html! {
                <div class="term-entry" data-status={e.status.to_string()}>
                    if !e.command.is_empty() || !e.prompt.is_empty() {
                        <div class="term-line"><span class="term-prompt">{ e.prompt.clone() }</span><span class="term-cmd">{ e.command.clone() }</span></div>
                    }
                    if let Some(out) = &e.output {
                        <pre class="term-out">{ out.clone() }</pre>
                    } else {
                        <pre class="term-out muted">{ "…" }</pre>
                    }
                </div>
            }) }
            <div class="term-line term-input-line">
                <label class="term-prompt" for={ID_TERMINAL_INPUT}>{ prompt.to_string() }</label>
                <input id={ID_TERMINAL_INPUT} type="text" spellcheck="false" autocomplete="off"
                    value={input.to_string()} {oninput} {onkeydown} aria-label="command" />
            </div>
        </div>
    }
}
