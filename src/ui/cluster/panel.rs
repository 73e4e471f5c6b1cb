//! The cluster panel: connect (with confirmation), namespace and release name, a server-side
//! dry-run preview, apply (only what was previewed), the release's history with diffs, and
//! rollback (confirmed). Progress of hook waits shows while an action runs.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{json, Value as J};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::client::ClusterWorker;

pub const ID_PANEL: &str = "cluster";
pub const ID_CONNECT: &str = "cluster-connect";
pub const ID_CONFIRM: &str = "cluster-confirm";
pub const ID_CANCEL: &str = "cluster-cancel";
pub const ID_STATUS: &str = "cluster-status";
pub const ID_NAMESPACE: &str = "cluster-namespace";
pub const ID_RELEASE: &str = "cluster-release";
pub const ID_PREVIEW: &str = "cluster-preview";
pub const ID_PLAN: &str = "cluster-plan";
pub const ID_APPLY: &str = "cluster-apply";
pub const ID_OUTPUT: &str = "cluster-output";
pub const ID_PROGRESS: &str = "cluster-progress";
pub const ID_HISTORY: &str = "cluster-history";
pub const ID_DIFF: &str = "cluster-diff";
/// Rollback buttons carry this class and `data-revision`.
pub const CLASS_ROLLBACK: &str = "cluster-rollback";
pub const ID_ROLLBACK_CONFIRM: &str = "cluster-rollback-confirm";

/// Sends a request to the worker and hands the answer on.
type Runner = Rc<dyn Fn(J, Box<dyn FnOnce(J)>)>;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The chart's files (path → text), as `helm` would read them from disk.
    pub files: Rc<BTreeMap<String, String>>,
    /// User-supplied values (YAML, like `-f values.yaml`).
    pub values: String,
}

#[derive(Clone, PartialEq)]
enum Phase {
    /// Not connected; `confirming` while the dialog is open.
    Offline {
        confirming: bool,
    },
    Connecting,
    Connected {
        version: String,
    },
}

fn input_value(e: &InputEvent) -> Option<String> {
    e.target_dyn_into::<HtmlInputElement>().map(|i| i.value())
}

#[function_component(ClusterPanel)]
pub fn cluster_panel(props: &Props) -> Html {
    let candidate = use_memo((), |_| super::proxy_candidate());
    let phase = use_state(|| Phase::Offline { confirming: false });
    let worker: Rc<RefCell<Option<ClusterWorker>>> = use_mut_ref(|| None);
    let namespace = use_state(|| "default".to_string());
    let release = use_state(|| "demo".to_string());
    let busy = use_state(|| false);
    let progress = use_state(String::new);
    let output = use_state(String::new);
    let error = use_state(String::new);
    // the plan text and the exact request it was made for (apply sends that request)
    let plan: UseStateHandle<Option<(String, J)>> = use_state(|| None);
    let history: UseStateHandle<Vec<J>> = use_state(Vec::new);
    let diffs: UseStateHandle<Vec<J>> = use_state(Vec::new);
    let rollback_to: UseStateHandle<Option<i64>> = use_state(|| None);

    let Some(origin) = (*candidate).clone() else {
        return html! {};
    };

    let request_for = {
        let (files, values) = (props.files.clone(), props.values.clone());
        let (ns, rel) = ((*namespace).clone(), (*release).clone());
        move |op: &str| -> J {
            json!({"op": op, "namespace": ns, "name": rel, "files": *files, "values": values})
        }
    };

    // runs `req` in the worker; `then` gets the answer
    let run: Runner = {
        let (worker, busy, progress, error) = (
            worker.clone(),
            busy.clone(),
            progress.clone(),
            error.clone(),
        );
        Rc::new(move |req: J, then: Box<dyn FnOnce(J)>| {
            let w = worker.borrow();
            let Some(w) = w.as_ref() else {
                error.set("not connected".into());
                return;
            };
            busy.set(true);
            progress.set(String::new());
            let (busy, error) = (busy.clone(), error.clone());
            w.call(req, move |ans| {
                busy.set(false);
                if ans["ok"] == false && ans.get("stdout").is_none() {
                    error.set(ans["error"].as_str().unwrap_or("failed").to_string());
                } else {
                    error.set(String::new());
                }
                then(ans);
            });
        })
    };

    let refresh_history: Rc<dyn Fn()> = {
        let (run, history, diffs) = (run.clone(), history.clone(), diffs.clone());
        let (ns, rel) = ((*namespace).clone(), (*release).clone());
        Rc::new(move || {
            let (history, diffs) = (history.clone(), diffs.clone());
            run(
                json!({"op": "history", "namespace": ns, "name": rel}),
                Box::new(move |ans| {
                    history.set(ans["revisions"].as_array().cloned().unwrap_or_default());
                    diffs.set(ans["diffs"].as_array().cloned().unwrap_or_default());
                }),
            );
        })
    };

    let on_connect = {
        let phase = phase.clone();
        Callback::from(move |_| phase.set(Phase::Offline { confirming: true }))
    };
    let on_cancel = {
        let phase = phase.clone();
        Callback::from(move |_| phase.set(Phase::Offline { confirming: false }))
    };
    let on_confirm = {
        let (phase, worker, progress, error) = (
            phase.clone(),
            worker.clone(),
            progress.clone(),
            error.clone(),
        );
        let refresh = refresh_history.clone();
        let origin = origin.clone();
        Callback::from(move |_| {
            let p = progress.clone();
            let on_progress: Rc<dyn Fn(String)> = Rc::new(move |line| p.set(line));
            match ClusterWorker::spawn(on_progress) {
                Ok(w) => {
                    phase.set(Phase::Connecting);
                    let (phase, error, refresh) = (phase.clone(), error.clone(), refresh.clone());
                    w.call(json!({"op": "connect", "origin": origin}), move |ans| {
                        if ans["ok"] == true {
                            let v = ans["version"]["gitVersion"]
                                .as_str()
                                .unwrap_or("")
                                .to_string();
                            phase.set(Phase::Connected { version: v });
                            error.set(String::new());
                            refresh();
                        } else {
                            phase.set(Phase::Offline { confirming: false });
                            error.set(ans["error"].as_str().unwrap_or("failed").to_string());
                        }
                    });
                    *worker.borrow_mut() = Some(w);
                }
                Err(e) => error.set(e),
            }
        })
    };
    let on_preview = {
        let (run, plan, request_for) = (run.clone(), plan.clone(), request_for.clone());
        Callback::from(move |_| {
            let req = request_for("preview");
            let plan = plan.clone();
            let sent = req.clone();
            run(
                req,
                Box::new(move |ans| {
                    if ans["ok"] == true {
                        plan.set(Some((ans["text"].as_str().unwrap_or("").to_string(), sent)));
                    } else {
                        plan.set(None);
                    }
                }),
            );
        })
    };
    // apply is offered only for a plan made from the current chart, values and names
    let current_plan = plan.as_ref().filter(|(_, sent)| {
        let mut now = request_for("preview");
        if let (J::Object(a), J::Object(b)) = (&mut now, sent) {
            a.remove("op");
            let mut b = b.clone();
            b.remove("op");
            return *a == b;
        }
        false
    });
    let on_apply = {
        let (run, plan, output, refresh) = (
            run.clone(),
            plan.clone(),
            output.clone(),
            refresh_history.clone(),
        );
        let planned = current_plan.map(|(_, sent)| sent.clone());
        Callback::from(move |_| {
            let Some(mut req) = planned.clone() else {
                return;
            };
            req["op"] = json!("apply");
            let (output, plan, refresh) = (output.clone(), plan.clone(), refresh.clone());
            run(
                req,
                Box::new(move |ans| {
                    output.set(ans["terminal"].as_str().unwrap_or("").to_string());
                    plan.set(None);
                    refresh();
                }),
            );
        })
    };
    let on_rollback_confirm = {
        let (run, output, refresh, rollback_to) = (
            run.clone(),
            output.clone(),
            refresh_history.clone(),
            rollback_to.clone(),
        );
        let (ns, rel) = ((*namespace).clone(), (*release).clone());
        Callback::from(move |_| {
            let Some(rev) = *rollback_to else {
                return;
            };
            rollback_to.set(None);
            let (output, refresh) = (output.clone(), refresh.clone());
            run(
                json!({"op": "rollback", "namespace": ns, "name": rel, "revision": rev}),
                Box::new(move |ans| {
                    output.set(ans["terminal"].as_str().unwrap_or("").to_string());
                    refresh();
                }),
            );
        })
    };
    let on_namespace = {
        let namespace = namespace.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                namespace.set(v);
            }
        })
    };
    let on_release = {
        let release = release.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                release.set(v);
            }
        })
    };

    let body = match &*phase {
        Phase::Offline { confirming: false } => html! {
            <>
                <p>{ "This page may be served by kubectl proxy: ChartLab can install what it renders into the cluster behind it. Nothing is sent to the cluster until you connect." }</p>
                <button id={ID_CONNECT} onclick={on_connect}>{ "Connect to this cluster…" }</button>
            </>
        },
        Phase::Offline { confirming: true } => html! {
            <div class="confirm" role="dialog">
                <p>{ format!("Connect ChartLab to the Kubernetes API at {origin}? It will read releases there; it changes the cluster only when you preview and then apply, or confirm a rollback.") }</p>
                <button id={ID_CONFIRM} onclick={on_confirm}>{ "Connect" }</button>
                <button id={ID_CANCEL} onclick={on_cancel}>{ "Cancel" }</button>
            </div>
        },
        Phase::Connecting => html! { <p id={ID_STATUS}>{ "Connecting…" }</p> },
        Phase::Connected { version } => {
            let rows: Html = history
                .iter()
                .map(|r| {
                    let rev = r["revision"].as_i64().unwrap_or(0);
                    let onclick = {
                        let rollback_to = rollback_to.clone();
                        Callback::from(move |_| rollback_to.set(Some(rev)))
                    };
                    html! {
                        <tr>
                            <td>{ rev }</td>
                            <td>{ r["status"].as_str().unwrap_or("") }</td>
                            <td>{ r["chart"].as_str().unwrap_or("") }</td>
                            <td>{ r["description"].as_str().unwrap_or("") }</td>
                            <td><button class={CLASS_ROLLBACK} data-revision={rev.to_string()}
                                disabled={*busy} {onclick}>{ "Roll back to this" }</button></td>
                        </tr>
                    }
                })
                .collect();
            let diff_text: String = diffs
                .iter()
                .map(|d| {
                    format!(
                        "# revision {} → {}\n{}{}",
                        d["from"],
                        d["to"],
                        d["explain"].as_str().unwrap_or(""),
                        d["manifest"].as_str().unwrap_or("")
                    )
                })
                .collect::<Vec<_>>()
                .join("\n");
            html! {
                <>
                    <p id={ID_STATUS}>{ format!("Connected to Kubernetes {version} at {origin}") }</p>
                    <label>{ "Namespace " }<input id={ID_NAMESPACE} value={(*namespace).clone()} oninput={on_namespace} /></label>
                    <label>{ " Release " }<input id={ID_RELEASE} value={(*release).clone()} oninput={on_release} /></label>
                    <div class="actions">
                        <button id={ID_PREVIEW} onclick={on_preview} disabled={*busy}>{ "Preview (server-side dry run)" }</button>
                        if current_plan.is_some() {
                            <button id={ID_APPLY} onclick={on_apply} disabled={*busy}>{ "Apply to the cluster" }</button>
                        }
                    </div>
                    if let Some((text, _)) = current_plan {
                        <pre id={ID_PLAN} class="code">{ text.clone() }</pre>
                    }
                    if *busy {
                        <p id={ID_PROGRESS} aria-live="polite">{ if progress.is_empty() { "Working…".to_string() } else { (*progress).clone() } }</p>
                    }
                    if let Some(rev) = *rollback_to {
                        <div class="confirm" role="dialog">
                            <p>{ format!("Roll release {} back to revision {rev}? This changes the cluster.", *release) }</p>
                            <button id={ID_ROLLBACK_CONFIRM} onclick={on_rollback_confirm}>{ "Roll back" }</button>
                            <button onclick={ { let r = rollback_to.clone(); Callback::from(move |_| r.set(None)) } }>{ "Cancel" }</button>
                        </div>
                    }
                    <pre id={ID_OUTPUT} class="code">{ (*output).clone() }</pre>
                    <table id={ID_HISTORY}>
                        <thead><tr><th>{ "REVISION" }</th><th>{ "STATUS" }</th><th>{ "CHART" }</th><th>{ "DESCRIPTION" }</th><th></th></tr></thead>
                        <tbody>{ rows }</tbody>
                    </table>
                    <pre id={ID_DIFF} class="code">{ diff_text }</pre>
                </>
            }
        }
    };
    html! {
        <section id={ID_PANEL} class="pane cluster">
            <h2>{ "Cluster" }</h2>
            { body }
            if !error.is_empty() {
                <pre class="code" role="alert">{ (*error).clone() }</pre>
            }
        </section>
    }
}
