//! The release views, each a function of what it shows and the callbacks it calls (no state of
//! its own, so an instructor view can reuse them, and each costs the page's download only its
//! markup): the action buttons, the revision timeline, the diff of two revisions, the rollout
//! report, the cluster view and the Secret inspector. All text is shown as text.

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

/// Install / Upgrade / Rollback to N / Uninstall. `commands` holds the command line of each
/// button (shown as its tooltip); `rollback_to` is the revision the Rollback button goes back
/// to, `on_rollback_to` is told when the user picks another.
pub fn release_buttons(
    revisions: &[Revision],
    busy: bool,
    rollback_to: i64,
    commands: &[(ReleaseOp, String)],
    on_op: &Callback<ReleaseOp>,
    on_rollback_to: &Callback<i64>,
) -> Html {
    let latest = revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    let title = |op: ReleaseOp| {
        commands
            .iter()
            .find(|(o, _)| *o == op)
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| op.label())
    };
    let button = |id: &'static str, op: ReleaseOp, primary: bool| {
        let on_op = on_op.clone();
        html! {
            <button {id} class={classes!(primary.then_some("primary"))} disabled={busy || (op == ReleaseOp::Rollback(0))}
                title={title(op)} onclick={Callback::from(move |_: MouseEvent| on_op.emit(op))}>
                { if matches!(op, ReleaseOp::Rollback(_)) { "Roll back to".to_string() } else { op.label() } }
            </button>
        }
    };
    let on_target = {
        let cb = on_rollback_to.clone();
        Callback::from(move |e: Event| cb.emit(select_value(&e).parse().unwrap_or(0)))
    };
    html! {
        <div class="rel-buttons">
            { button(ID_INSTALL, ReleaseOp::Install, latest == 0) }
            { button(ID_UPGRADE, ReleaseOp::Upgrade, latest > 0) }
            <span class="rel-rollback">
                { button(ID_ROLLBACK, ReleaseOp::Rollback(rollback_to), false) }
                <select id={ID_ROLLBACK_TO} aria-label="revision to roll back to" onchange={on_target} disabled={revisions.is_empty()}>
                    { for revisions.iter().map(|r| html! {
                        <option value={r.revision.to_string()} selected={r.revision == rollback_to}>{ r.revision }</option>
                    }) }
                </select>
            </span>
            { button(ID_UNINSTALL, ReleaseOp::Uninstall, false) }
        </div>
    }
}

/// The revision timeline, newest first, as `helm history` reports it.
pub fn timeline(revisions: &[Revision], release: &str) -> Html {
    if revisions.is_empty() {
        return html! {
            <p id={ID_TIMELINE} class="muted">{ format!("Release {release} has no revisions yet: Install it, or run helm install in the terminal.") }</p>
        };
    }
    html! {
        <table id={ID_TIMELINE} class="rel-table">
            <thead><tr>
                <th>{ "REVISION" }</th><th>{ "UPDATED" }</th><th>{ "STATUS" }</th>
                <th>{ "CHART" }</th><th>{ "APP VERSION" }</th><th>{ "DESCRIPTION" }</th>
            </tr></thead>
            <tbody>
                { for revisions.iter().rev().map(|r| html! {
                    <tr data-revision={r.revision.to_string()} class={format!("status-{}", r.status)}>
                        <td>{ r.revision }</td>
                        <td class="time">{ r.updated.replace('T', " ") }</td>
                        <td><span class="rel-status">{ r.status.clone() }</span></td>
                        <td class="nowrap">{ r.chart.clone() }</td>
                        <td>{ r.app_version.clone() }</td>
                        <td>{ r.description.clone() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
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

fn diff_section(title: &str, text: &str, same: &str) -> Html {
    html! {
        <>
            <h4>{ title }</h4>
            if text.is_empty() {
                <p class="muted">{ same }</p>
            } else {
                <pre class="code rel-diff-text">{ diff_lines(text) }</pre>
            }
        </>
    }
}

/// The difference between two revisions: in words (which Deployments roll their pods and
/// why), then the manifests and the values as unified diffs. `diff` is shown when it is of
/// the picked revisions.
pub fn revision_diff(
    revisions: &[Revision],
    pick: Option<(i64, i64)>,
    diff: Option<&DiffView>,
    on_pick: &Callback<(i64, i64)>,
) -> Html {
    let Some((from, to)) = pick else {
        return html! { <p id={ID_DIFF} class="muted">{ "A diff needs two revisions: Install, then Upgrade." }</p> };
    };
    let select = |id: &'static str, label: &'static str, value: i64, first: bool| {
        let on_pick = on_pick.clone();
        let onchange = Callback::from(move |e: Event| {
            let v = select_value(&e).parse().unwrap_or(0);
            on_pick.emit(if first { (v, to) } else { (from, v) });
        });
        html! {
            <label>{ label }
                <select {id} {onchange}>
                    { for revisions.iter().map(|r| html! {
                        <option value={r.revision.to_string()} selected={r.revision == value}>{ r.revision }</option>
                    }) }
                </select>
            </label>
        }
    };
    let body = match diff {
        Some(d) if d.from == from && d.to == to => html! {
            <>
                <pre class="code rel-explain">{ d.explain.clone() }</pre>
                { diff_section("Manifest", &d.manifest, "The manifests are identical.") }
                { diff_section("User-supplied values", &d.values, "The same.") }
                { diff_section("Computed values", &d.computed_values, "The same.") }
            </>
        },
        _ => html! { <p class="muted">{ "Loading…" }</p> },
    };
    html! {
        <div id={ID_DIFF} data-from={from.to_string()} data-to={to.to_string()}>
            <div class="rel-pick">
                { select(ID_DIFF_FROM, "From revision ", from, true) }
                { select(ID_DIFF_TO, " to revision ", to, false) }
            </div>
            { body }
        </div>
    }
}

/// What the cluster did on the last command that changed it: objects created, configured,
/// unchanged or deleted, and whether each Deployment's pods rolled, and why.
pub fn rollout_report(report: Option<&Report>) -> Html {
    match report {
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

/// The namespace's objects as `kubectl get all` prints them.
pub fn cluster_view(text: &str, namespace: &str) -> Html {
    html! {
        <div id={ID_CLUSTER_VIEW}>
            <p class="rel-cmd"><code>{ format!("$ kubectl get all --namespace {namespace}") }</code></p>
            <pre class="code">{ text.to_string() }</pre>
        </div>
    }
}

/// A release Secret (`sh.helm.release.v1.NAME.vN`) and each layer of decoding side by side:
/// base64 → base64 → gzip → JSON, exactly the bytes Helm stores.
pub fn secret_inspector(
    secrets: &[String],
    view: Option<&SecretView>,
    on_pick: &Callback<String>,
) -> Html {
    if secrets.is_empty() {
        return html! { <p id={ID_SECRET} class="muted">{ "Helm keeps each revision in a Secret named sh.helm.release.v1.NAME.vN: there is none yet." }</p> };
    }
    let onchange = {
        let cb = on_pick.clone();
        Callback::from(move |e: Event| cb.emit(select_value(&e)))
    };
    let current = view.map(|v| v.name.clone()).unwrap_or_default();
    html! {
        <div id={ID_SECRET} data-secret={current.clone()}>
            <label class="rel-pick">{ "Secret " }
                <select id={ID_SECRET_PICK} {onchange}>
                    if current.is_empty() {
                        <option value="" selected=true>{ "pick a revision's Secret" }</option>
                    }
                    { for secrets.iter().map(|s| html! {
                        <option value={s.clone()} selected={*s == current}>{ s.clone() }</option>
                    }) }
                </select>
            </label>
            if let Some(v) = view {
                <div class="layers">
                    { for v.layers.iter().enumerate().map(|(i, l)| html! {
                        <section class="layer" data-layer={i.to_string()}>
                            <h4>{ l.title.clone() }</h4>
                            <p class="rel-cmd"><code>{ l.step.clone() }</code>{ format!(" · {} bytes", l.bytes) }</p>
                            // one long line (base64, the record's JSON) wraps; documents keep their lines
                            <pre class={classes!("code", (!l.text.trim_end().contains('\n')).then_some("wrap"))}>{ l.text.clone() }</pre>
                        </section>
                    }) }
                </div>
            }
        </div>
    }
}
