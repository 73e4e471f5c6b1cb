//! The terminal: a transcript of commands and what they printed (text only), the prompt, an
//! input line with the command history on up/down. It runs nothing itself: `on_submit` gets
//! the line (the releases panel sends it to the shared command layer in the worker).

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::playground::releases::TermEntry;

pub const ID_TERMINAL: &str = "terminal";
pub const ID_TERMINAL_INPUT: &str = "terminal-input";

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub entries: Rc<Vec<TermEntry>>,
    pub prompt: AttrValue,
    pub input: AttrValue,
    pub busy: bool,
    pub on_input: Callback<String>,
    pub on_submit: Callback<String>,
    /// -1: the previous command, +1: the next.
    pub on_history: Callback<i32>,
}

#[function_component(Terminal)]
pub fn terminal(p: &TerminalProps) -> Html {
    let screen = use_node_ref();
    let input_ref = use_node_ref();
    {
        // keep the newest output in view
        let screen = screen.clone();
        let n = p.entries.len();
        let last_done = p.entries.last().map(|e| e.output.is_some());
        use_effect_with((n, last_done), move |_| {
            if let Some(el) = screen.cast::<HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let oninput = {
        let cb = p.on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                cb.emit(i.value());
            }
        })
    };
    let onkeydown = {
        let (submit, history) = (p.on_submit.clone(), p.on_history.clone());
        let busy = p.busy;
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
    let focus = {
        let input_ref = input_ref.clone();
        Callback::from(move |e: MouseEvent| {
            // a click on the screen's background goes to the input line (clicks on output
            // leave it selectable)
            if e.target() == e.current_target() {
                if let Some(i) = input_ref.cast::<HtmlInputElement>() {
                    let _ = i.focus();
                }
            }
        })
    };
    html! {
        <div id={ID_TERMINAL} class="terminal" ref={screen} onclick={focus} aria-label="terminal">
            { for p.entries.iter().map(|e| html! {
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
                <label class="term-prompt" for={ID_TERMINAL_INPUT}>{ p.prompt.clone() }</label>
                <input id={ID_TERMINAL_INPUT} ref={input_ref} type="text" spellcheck="false" autocomplete="off"
                    value={p.input.clone()} {oninput} {onkeydown}
                    aria-label="command" />
            </div>
        </div>
    }
}
