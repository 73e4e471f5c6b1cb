//! The message line: what just happened (with Undo when it replaced the chart) or what went
//! wrong, until dismissed.

use yew::prelude::*;

use super::store::Ctx;
use crate::playground::state::{Action, NoticeKind};

pub const ID_NOTICE: &str = "notice";

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub ctx: Ctx,
}

#[function_component(NoticeBar)]
pub fn notice_bar(props: &NoticeProps) -> Html {
    let ctx = &props.ctx;
    let Some(n) = ctx.state().notice.clone() else {
        return html! { <div id={ID_NOTICE} class="notice empty" aria-live="polite" /> };
    };
    let (class, role) = match n.kind {
        NoticeKind::Info => ("info", "status"),
        NoticeKind::Error => ("error", "alert"),
    };
    html! {
        <div id={ID_NOTICE} class={classes!("notice", class)} role={role}>
            <span class="text">{ n.text }</span>
            if n.undo && ctx.state().undo.is_some() {
                <button class="small" onclick={ctx.callback(|_: MouseEvent| Action::Undo)}>{ "Undo" }</button>
            }
            <button class="icon" aria-label="Dismiss" onclick={ctx.callback(|_: MouseEvent| Action::DismissNotice)}>{ "✕" }</button>
        </div>
    }
}
