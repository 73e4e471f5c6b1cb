//! The release views as components taking props (so an instructor view can reuse them): the
//! action buttons, the revision timeline, the diff of two revisions, the rollout report, the
//! cluster view and the Secret inspector. All text is shown as text.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::playground::releases::{DiffView, ReleaseOp, Report, Revision, SecretView};

pub const ID_INSTALL: &str = "rel-install";
pub const ID_UPGRADE: &str = "rel-upgrade";
pub const ID_UNINSTALL: &str = "rel-uninstall";
pub const ID_ROLLBACK: &str = "rel-rollback";
pub const ID_ROLLBACK_TO: &str = "rel-rollback-to";
pub const ID_TIMELINE: &str = "rel-timeline";
pub const ID_DIFF: &str = "rel-diff";
pub const ID_DIFF_FROM: &str = "rel-diff-from";
pub const ID_DIFF_TO: &str = "rel-diff-to";
pub const ID_REPORT: &str = "rel-report";
pub const ID_CLUSTER_VIEW: &str = "rel-cluster";
pub const ID_SECRET: &str = "rel-secret";
pub const ID_SECRET_PICK: &str = "rel-secret-pick";

fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

#[derive(Properties, PartialEq)]
pub struct ButtonsProps {
    /// The release's revisions (rollback offers each).
    pub revisions: Rc<Vec<Revision>>,
    pub busy: bool,
    /// The command each button runs, shown as its tooltip.
    pub commands: Rc<Vec<(ReleaseOp, String)>>,
    pub on_op: Callback<ReleaseOp>,
}

/// Install / Upgrade / Rollback to N / Uninstall.
#[function_component(ReleaseButtons)]
pub fn release_buttons(p: &ButtonsProps) -> Html {
    let latest = p.revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    let target = use_state(|| 0i64);
    // the default rollback target: the revision before the latest
    let chosen = if *target > 0 && p.revisions.iter().any(|r| r.revision == *target) {
        *target
    } else {
        (latest - 1).max(0)
    };
    let title = |op: ReleaseOp| {
        p.commands
            .iter()
            .find(|(o, _)| *o == op)
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| op.label())
    };
    let button = |id: &'static str, op: ReleaseOp, primary: bool| {
        let on_op = p.on_op.clone();
        html! {
            <button {id} class={classes!(primary.then_some("primary"))} disabled={p.busy}
                title={title(op)} onclick={Callback::from(move |_: MouseEvent| on_op.emit(op))}>
                { op.label() }
            </button>
        }
    };
    let on_target = {
        let target = target.clone();
        Callback::from(move |e: Event| target.set(select_value(&e).parse().unwrap_or(0)))
    };
    html! {
        <div class="rel-buttons">
            { button(ID_INSTALL, ReleaseOp::Install, latest == 0) }
            { button(ID_UPGRADE, ReleaseOp::Upgrade, latest > 0) }
            <span class="rel-rollback">
                <button id={ID_ROLLBACK} disabled={p.busy || chosen == 0}
                    title={title(ReleaseOp::Rollback(chosen))}
                    onclick={{ let on_op = p.on_op.clone(); Callback::from(move |_: MouseEvent| on_op.emit(ReleaseOp::Rollback(chosen))) }}>
                    { "Roll back to" }
                </button>
                <select id={ID_ROLLBACK_TO} aria-label="revision to roll back to" onchange={on_target} disabled={p.revisions.is_empty()}>
                    { for p.revisions.iter().map(|r| html! {
                        <option value={r.revision.to_string()} selected={r.revision == chosen}>{ r.revision }</option>
                    }) }
                </select>
            </span>
            { button(ID_UNINSTALL, ReleaseOp::Uninstall, false) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub revisions: Rc<Vec<Revision>>,
    pub release: AttrValue,
}

/// The revision timeline, newest first, as `helm history` reports it.
#[function_component(Timeline)]
pub fn timeline(p: &TimelineProps) -> Html {
    if p.revisions.is_empty() {
        return html! {
            <p id={ID_TIMELINE} class="muted">{ format!("Release {} has no revisions yet: Install it, or run helm install in the terminal.", p.release) }</p>
        };
    }
    html! {
        <table id={ID_TIMELINE} class="rel-table">
            <thead><tr>
                <th>{ "REVISION" }</th><th>{ "UPDATED" }</th><th>{ "STATUS" }</th>
                <th>{ "CHART" }</th><th>{ "APP VERSION" }</th><th>{ "DESCRIPTION" }</th>
            </tr></thead>
            <tbody>
                { for p.revisions.iter().rev().map(|r| html! {
                    <tr data-revision={r.revision.to_string()} class={classes!("status-".to_string() + &r.status)}>
                        <td>{ r.revision }</td>
                        <td class="time">{ r.updated.replace('T', " ") }</td>
                        <td><span class="rel-status">{ r.status.clone() }</span></td>
                        <td>{ r.chart.clone() }</td>
                        <td>{ r.app_version.clone() }</td>
                        <td>{ r.description.clone() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
pub struct DiffProps {
    pub revisions: Rc<Vec<Revision>>,
    pub pick: Option<(i64, i64)>,
    pub diff: Option<Rc<DiffView>>,
    pub on_pick: Callback<(i64, i64)>,
}

/// Lines of a unified diff, coloured by their first character.
fn diff_lines(text: &str) -> Html {
    text.split_inclusive('\n')
        .map(|l| {
            let class = if l.starts_with("+++") || l.starts_with("---") {
                "d-file"
            } else if l.starts_with('+') {
                "d-add"
            } else if l.starts_with('-') {
                "d-del"
            } else if l.starts_with("@@") {
                "d-hunk"
            } else {
                ""
            };
            html! { <span class={class}>{ l }</span> }
        })
        .collect()
}

/// The difference between two revisions: in words (which Deployments roll their pods and
/// why), then the manifests and the values as unified diffs.
#[function_component(RevisionDiff)]
pub fn revision_diff(p: &DiffProps) -> Html {
    let Some((from, to)) = p.pick else {
        return html! { <p id={ID_DIFF} class="muted">{ "A diff needs two revisions: Install, then Upgrade." }</p> };
    };
    let pick = |id: &'static str, label: &'static str, value: i64, first: bool| {
        let on_pick = p.on_pick.clone();
        let onchange = Callback::from(move |e: Event| {
            let v = select_value(&e).parse().unwrap_or(0);
            on_pick.emit(if first { (v, to) } else { (from, v) });
        });
        html! {
            <label>{ label }
                <select {id} {onchange}>
                    { for p.revisions.iter().map(|r| html! {
                        <option value={r.revision.to_string()} selected={r.revision == value}>{ r.revision }</option>
                    }) }
                </select>
            </label>
        }
    };
    let body = match &p.diff {
        Some(d) if d.from == from && d.to == to => html! {
            <>
                <pre class="code rel-explain">{ d.explain.clone() }</pre>
                <h4>{ "Manifest" }</h4>
                if d.manifest.is_empty() {
                    <p class="muted">{ "The manifests are identical." }</p>
                } else {
                    <pre class="code rel-diff-text">{ diff_lines(&d.manifest) }</pre>
                }
                <h4>{ "User-supplied values" }</h4>
                if d.values.is_empty() {
                    <p class="muted">{ "The same." }</p>
                } else {
                    <pre class="code rel-diff-text">{ diff_lines(&d.values) }</pre>
                }
                <h4>{ "Computed values" }</h4>
                if d.computed_values.is_empty() {
                    <p class="muted">{ "The same." }</p>
                } else {
                    <pre class="code rel-diff-text">{ diff_lines(&d.computed_values) }</pre>
                }
            </>
        },
        _ => html! { <p class="muted">{ "Loading…" }</p> },
    };
    html! {
        <div id={ID_DIFF} data-from={from.to_string()} data-to={to.to_string()}>
            <div class="rel-pick">
                { pick(ID_DIFF_FROM, "From revision ", from, true) }
                { pick(ID_DIFF_TO, " to revision ", to, false) }
            </div>
            { body }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub report: Option<Rc<Report>>,
}

/// What the cluster did on the last command that changed it: objects created, configured,
/// unchanged or deleted, and whether each Deployment's pods rolled, and why.
#[function_component(RolloutReport)]
pub fn rollout_report(p: &ReportProps) -> Html {
    match &p.report {
        None => {
            html! { <p id={ID_REPORT} class="muted">{ "Nothing changed the cluster yet." }</p> }
        }
        Some(r) => html! {
            <div id={ID_REPORT}>
                <p class="rel-cmd"><code>{ format!("$ {}", r.command) }</code></p>
                <pre class="code">{ r.text.clone() }</pre>
            </div>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub text: AttrValue,
    pub namespace: AttrValue,
}

/// The namespace's objects as `kubectl get all` prints them.
#[function_component(ClusterView)]
pub fn cluster_view(p: &ClusterProps) -> Html {
    html! {
        <div id={ID_CLUSTER_VIEW}>
            <p class="rel-cmd"><code>{ format!("$ kubectl get all --namespace {}", p.namespace) }</code></p>
            <pre class="code">{ p.text.to_string() }</pre>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SecretProps {
    pub secrets: Rc<Vec<String>>,
    pub view: Option<Rc<SecretView>>,
    pub on_pick: Callback<String>,
}

/// A release Secret (`sh.helm.release.v1.NAME.vN`) and each layer of decoding side by side:
/// base64 → base64 → gzip → JSON, exactly the bytes Helm stores.
#[function_component(SecretInspector)]
pub fn secret_inspector(p: &SecretProps) -> Html {
    if p.secrets.is_empty() {
        return html! { <p id={ID_SECRET} class="muted">{ "Helm keeps each revision in a Secret named sh.helm.release.v1.NAME.vN: there is none yet." }</p> };
    }
    let on_pick = {
        let cb = p.on_pick.clone();
        Callback::from(move |e: Event| cb.emit(select_value(&e)))
    };
    let current = p.view.as_ref().map(|v| v.name.clone()).unwrap_or_default();
    html! {
        <div id={ID_SECRET} data-secret={current.clone()}>
            <label class="rel-pick">{ "Secret " }
                <select id={ID_SECRET_PICK} onchange={on_pick}>
                    if current.is_empty() {
                        <option value="" selected=true>{ "pick a revision's Secret" }</option>
                    }
                    { for p.secrets.iter().map(|s| html! {
                        <option value={s.clone()} selected={*s == current}>{ s.clone() }</option>
                    }) }
                </select>
            </label>
            if let Some(v) = &p.view {
                <div class="layers">
                    { for v.layers.iter().enumerate().map(|(i, l)| html! {
                        <section class="layer" data-layer={i.to_string()}>
                            <h4>{ l.title.clone() }</h4>
                            <p class="rel-cmd"><code>{ l.step.clone() }</code>{ format!(" · {} bytes", l.bytes) }</p>
                            <pre class="code wrap">{ l.text.clone() }</pre>
                        </section>
                    }) }
                </div>
            }
        </div>
    }
}
