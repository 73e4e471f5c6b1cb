//! The release settings and user values: what `helm template NAME CHART` is told besides the
//! chart — release name, namespace, revision, `--is-upgrade`, `--kube-version`,
//! `--api-versions`, a values file (`-f`) and the `--set` family — with the command line they
//! amount to.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::editor::{Editor, Text};
use super::store::Ctx;
use crate::playground::document::{SetEntry, SetKind};
use crate::playground::render::OVERRIDES_FILE;
use crate::playground::state::Action;

pub const ID_SETTINGS: &str = "settings";

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub ctx: Ctx,
}

fn input_value(e: &InputEvent) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|el| el.value())
        .unwrap_or_default()
}

#[function_component(Settings)]
pub fn settings(props: &SettingsProps) -> Html {
    let ctx = &props.ctx;
    let st = ctx.state();
    let r = &st.doc.release;
    let overrides_text = use_memo(st.doc.overrides.values.clone(), |v| {
        Text(Rc::from(v.as_bytes()))
    });
    let marks = Rc::new(
        st.render
            .as_ref()
            .and_then(|rep| rep.result.as_ref().err())
            .map(|f| {
                f.marks
                    .iter()
                    .filter(|m| m.path == OVERRIDES_FILE)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default(),
    );
    let text_field = |id: &str, label: &str, value: &str, f: fn(String) -> Action, hint: &str| {
        let oninput = ctx.callback(move |e: InputEvent| f(input_value(&e)));
        html! {
            <label class="field" for={id.to_string()}>
                <span>{ label }</span>
                <input id={id.to_string()} type="text" value={value.to_string()} {oninput}
                    placeholder={hint.to_string()} spellcheck="false" />
            </label>
        }
    };
    let set_rows = st.doc.overrides.set.iter().enumerate().map(|(i, e)| {
        let kind = e.kind;
        let expr = e.expr.clone();
        let onkind = {
            let expr = expr.clone();
            ctx.callback(move |ev: Event| {
                let flag = ev
                    .target_dyn_into::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default();
                Action::UpdateSet(
                    i,
                    SetEntry {
                        kind: SetKind::from_flag(&flag).unwrap_or(kind),
                        expr: expr.clone(),
                    },
                )
            })
        };
        let onexpr = ctx.callback(move |ev: InputEvent| {
            Action::UpdateSet(
                i,
                SetEntry {
                    kind,
                    expr: input_value(&ev),
                },
            )
        });
        let remove = ctx.callback(move |_: MouseEvent| Action::RemoveSet(i));
        html! {
            <li class="set-row">
                <select aria-label="flag" onchange={onkind}>
                    { for SetKind::ALL.iter().map(|k| html! {
                        <option value={k.flag()} selected={*k == kind}>{ k.flag() }</option>
                    }) }
                </select>
                <input type="text" class="code" value={expr} oninput={onexpr} spellcheck="false"
                    placeholder="key.path=value" aria-label={format!("{} value", kind.flag())} />
                <button class="icon" title="Remove" aria-label="Remove this flag" onclick={remove}>{ "✕" }</button>
            </li>
        }
    });
    let add_set = ctx.callback(|_: MouseEvent| {
        Action::AddSet(SetEntry {
            kind: SetKind::Set,
            expr: String::new(),
        })
    });
    let on_revision = ctx.callback(|e: InputEvent| {
        Action::SetRevision(input_value(&e).trim().parse::<i64>().unwrap_or(1))
    });
    let on_upgrade = ctx.callback(|e: Event| {
        Action::SetUpgrade(
            e.target_dyn_into::<HtmlInputElement>()
                .is_some_and(|el| el.checked()),
        )
    });
    let on_apis = ctx.callback(|e: InputEvent| {
        Action::SetApiVersions(
            e.target_dyn_into::<HtmlTextAreaElement>()
                .map(|el| el.value())
                .unwrap_or_default(),
        )
    });
    let on_values = ctx.callback(Action::SetValuesOverride);
    html! {
        <section id={ID_SETTINGS} class="pane settings" aria-label="release settings and values">
            <div class="pane-head"><span class="pane-title">{ "Release & values" }</span></div>
            <div class="pane-body settings-body">
                <p class="command"><code>{ st.doc.command_line() }</code></p>
                <fieldset>
                    <legend>{ "Release" }</legend>
                    { text_field("release-name", "Release name", &r.name, Action::SetReleaseName, "release-name") }
                    { text_field("namespace", "Namespace", &r.namespace, Action::SetNamespace, "default") }
                    <label class="field" for="revision">
                        <span>{ "Revision" }</span>
                        <input id="revision" type="number" min="1" value={r.revision.to_string()} oninput={on_revision} />
                    </label>
                    <label class="check" for="is-upgrade">
                        <input id="is-upgrade" type="checkbox" checked={r.is_upgrade} onchange={on_upgrade} />
                        <span>{ "--is-upgrade (.Release.IsUpgrade)" }</span>
                    </label>
                    { text_field("kube-version", "--kube-version", &r.kube_version, Action::SetKubeVersion, "Helm's default (v1.36.0)") }
                    <label class="field" for="api-versions">
                        <span>{ "--api-versions" }</span>
                        <textarea id="api-versions" rows="2" value={r.api_versions.join("\n")} oninput={on_apis}
                            placeholder="one per line, e.g. monitoring.coreos.com/v1" spellcheck="false" />
                    </label>
                </fieldset>
                <fieldset>
                    <legend>{ "--set flags (applied after -f, in Helm's order)" }</legend>
                    <ul class="set-list">{ for set_rows }</ul>
                    <button class="small" onclick={add_set}>{ "+ Add flag" }</button>
                </fieldset>
                <fieldset class="grow">
                    <legend>{ format!("-f {OVERRIDES_FILE} (user values over values.yaml)") }</legend>
                    <Editor id="overrides-editor" path={OVERRIDES_FILE} epoch={st.load_epoch}
                        text={(*overrides_text).clone()} marks={marks} on_change={on_values}
                        label="values file given with -f" />
                </fieldset>
            </div>
        </section>
    }
}
