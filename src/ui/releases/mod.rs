//! The releases panel: Install / Upgrade / Rollback / Uninstall buttons and a terminal running
//! the shared command layer (`helm …`, `kubectl …`, pipes), both driving one simulated cluster
//! ([`crate::playground::sandbox::Sandbox`], in the `chartlab-worker` Web Worker so the page's
//! download stays small), with the revision timeline, the diff of two revisions, the rollout
//! report, the cluster view and the Secret inspector ([`views`], [`terminal`]: components
//! taking props, reusable elsewhere). What it shows is [`crate::playground::releases::Releases`]
//! in the page's state; the cluster is autosaved in `localStorage` ([`CLUSTER_KEY`]).

pub mod terminal;
pub mod views;

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Value as J};
use yew::prelude::*;

use super::cluster::client::ClusterWorker;
use super::dom;
use super::store::Ctx;
use crate::playground::releases::{ReleaseOp, Releases, ReleasesAction, ReleasesTab};
use crate::playground::state::Action;

pub const ID_RELEASES: &str = "releases";
pub const ID_RELEASES_TOGGLE: &str = "releases-toggle";
pub const ID_RESET_CLUSTER: &str = "rel-reset-cluster";
/// The `localStorage` key of the simulated cluster (`kube::sim::ClusterState` as JSON).
pub const CLUSTER_KEY: &str = "chartlab.cluster";

type Worker = Rc<RefCell<Option<ClusterWorker>>>;

/// Sends a request to the releases sandbox in the worker.
fn call(worker: &Worker, mut req: J, then: impl FnOnce(J) + 'static) {
    req["sandbox"] = json!(true);
    match worker.borrow().as_ref() {
        Some(w) => w.call(req, then),
        None => then(json!({"ok": false, "error": "the cluster worker is not running"})),
    }
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub ctx: Ctx,
}

#[function_component(ReleasesPanel)]
pub fn releases_panel(p: &PanelProps) -> Html {
    let ctx = p.ctx.clone();
    let st = ctx.state();
    let rs = &st.releases;
    let worker: Worker = use_mut_ref(|| None);
    let d = ctx.dispatcher.clone();
    let dispatch = Rc::new(move |a: ReleasesAction| d.dispatch(Action::Releases(a)));

    // reads the timeline, cluster view and Secrets again
    let refresh: Rc<dyn Fn()> = {
        let (worker, dispatch) = (worker.clone(), dispatch.clone());
        let req = Releases::view_request(&st.doc);
        Rc::new(move || {
            let dispatch = dispatch.clone();
            call(&worker, req.clone(), move |ans| {
                dispatch(ReleasesAction::from_view(&ans))
            });
        })
    };
    let save: Rc<dyn Fn()> = {
        let worker = worker.clone();
        Rc::new(move || {
            call(&worker, json!({"op": "save"}), |ans| {
                if let Some(s) = ans.get("state").and_then(J::as_str) {
                    let _ = dom::storage_set(CLUSTER_KEY, s);
                }
            })
        })
    };
    // runs one command line (typed, or a button's) with the editor's chart synced first
    let exec: Rc<dyn Fn(String, bool)> = {
        let (worker, dispatch) = (worker.clone(), dispatch.clone());
        let (refresh, save) = (refresh.clone(), save.clone());
        let req_doc = Rc::new(st.doc.clone());
        Rc::new(move |line: String, typed: bool| {
            dispatch(ReleasesAction::Started {
                command: line.clone(),
                typed,
            });
            let (dispatch, refresh, save) = (dispatch.clone(), refresh.clone(), save.clone());
            call(
                &worker,
                Releases::run_request(&req_doc, &line),
                move |ans| {
                    dispatch(ReleasesAction::from_run(&ans));
                    refresh();
                    save();
                },
            );
        })
    };

    let load_secret: Rc<dyn Fn(String)> = {
        let (worker, dispatch) = (worker.clone(), dispatch.clone());
        let ns = st.doc.release.namespace.clone();
        Rc::new(move |name: String| {
            if name.is_empty() {
                return;
            }
            let dispatch = dispatch.clone();
            call(
                &worker,
                json!({"op": "secret", "namespace": ns, "secret": name}),
                move |ans| dispatch(ReleasesAction::from_secret(&ans)),
            );
        })
    };
    // the worker starts when the panel first opens (the saved cluster comes back); the
    // timeline is read on opening and for another release name or namespace
    {
        let (worker, refresh, dispatch) = (worker.clone(), refresh.clone(), dispatch.clone());
        let key = (
            rs.open,
            st.doc.release.name.clone(),
            st.doc.release.namespace.clone(),
        );
        use_effect_with(key, move |(open, _, _)| {
            if !*open {
                return;
            }
            if worker.borrow().is_none() {
                match ClusterWorker::spawn(Rc::new(|_| {})) {
                    Ok(w) => {
                        *worker.borrow_mut() = Some(w);
                        if let Some(saved) = dom::storage_get(CLUSTER_KEY) {
                            let d2 = dispatch.clone();
                            call(
                                &worker,
                                json!({"op": "restore", "state": saved}),
                                move |ans| {
                                    if ans["ok"] != true {
                                        d2(ReleasesAction::Failed(format!(
                                            "The saved cluster could not be restored: {}",
                                            ans["error"].as_str().unwrap_or("")
                                        )));
                                    }
                                },
                            );
                        }
                    }
                    Err(e) => return dispatch(ReleasesAction::Failed(e)),
                }
            }
            refresh();
        });
    }
    // when the revisions (or the pick) change: the diff of the picked revisions, and the
    // Secret shown read again (Helm rewrites older records' status; the newest comes first)
    {
        let (worker, dispatch, load) = (worker.clone(), dispatch.clone(), load_secret.clone());
        let req = rs.diff_request(&st.doc);
        let secret = rs
            .secret
            .as_ref()
            .map(|s| s.name.clone())
            .or_else(|| rs.secrets.last().cloned());
        use_effect_with((rs.diff_pick, rs.revisions.clone()), move |_| {
            if let Some(req) = req {
                call(&worker, req, move |ans| {
                    dispatch(ReleasesAction::from_diff(&ans))
                });
            }
            if let Some(n) = secret {
                load(n);
            }
        });
    }
    // the terminal keeps its newest output in view
    let screen = use_node_ref();
    {
        let screen = screen.clone();
        let key = (
            rs.transcript.len(),
            rs.transcript.last().is_some_and(|e| e.output.is_some()),
        );
        use_effect_with(key, move |_| {
            if let Some(el) = screen.cast::<web_sys::HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    if !rs.open {
        return html! {};
    }

    let commands: Rc<Vec<(ReleaseOp, String)>> = Rc::new(
        [
            ReleaseOp::Install,
            ReleaseOp::Upgrade,
            ReleaseOp::Rollback(rs.rollback_target()),
            ReleaseOp::Uninstall,
        ]
        .into_iter()
        .map(|op| (op, op.command(&st.doc)))
        .collect(),
    );
    let on_op = {
        let (exec, commands) = (exec.clone(), commands.clone());
        Callback::from(move |op: ReleaseOp| {
            if let Some((_, c)) = commands.iter().find(|(o, _)| *o == op) {
                exec(c.clone(), false);
            }
        })
    };
    let on_submit = {
        let exec = exec.clone();
        Callback::from(move |line: String| exec(line, true))
    };
    let on_reset = {
        let (worker, refresh, dispatch) = (worker.clone(), refresh.clone(), dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let (refresh, dispatch) = (refresh.clone(), dispatch.clone());
            call(&worker, json!({"op": "reset"}), move |ans| {
                if ans["ok"] == true {
                    if let Some(s) = dom::window().and_then(|w| w.local_storage().ok().flatten()) {
                        let _ = s.remove_item(CLUSTER_KEY);
                    }
                    refresh();
                } else {
                    dispatch(ReleasesAction::from_run(&ans));
                }
            });
        })
    };
    let d = dispatch.clone();
    let tab_button = move |t: ReleasesTab| {
        let d = d.clone();
        html! {
            <button class={classes!("tab", (rs.tab == t).then_some("active"))} data-tab={t.key()}
                onclick={Callback::from(move |_: MouseEvent| d(ReleasesAction::SetTab(t)))}>{ t.label() }</button>
        }
    };
    let view = match rs.tab {
        ReleasesTab::Timeline => views::timeline(&rs.revisions, &st.doc.release.name),
        ReleasesTab::Diff => {
            let d = dispatch.clone();
            let on_pick = Callback::from(move |(a, b)| d(ReleasesAction::PickDiff(a, b)));
            views::revision_diff(&rs.revisions, rs.diff_pick, rs.diff.as_ref(), &on_pick)
        }
        ReleasesTab::Report => views::rollout_report(rs.report.as_ref()),
        ReleasesTab::Cluster => views::cluster_view(&rs.cluster, &st.doc.release.namespace),
        ReleasesTab::Secret => {
            let load = load_secret.clone();
            let on_pick = Callback::from(move |n: String| load(n));
            views::secret_inspector(&rs.secrets, rs.secret.as_ref(), &on_pick)
        }
    };
    let on_rollback_to = {
        let d = dispatch.clone();
        Callback::from(move |n| d(ReleasesAction::PickRollback(n)))
    };
    let buttons = views::release_buttons(
        &rs.revisions,
        rs.busy,
        rs.rollback_target(),
        &commands,
        &on_op,
        &on_rollback_to,
    );
    let on_input = {
        let d = dispatch.clone();
        Callback::from(move |t| d(ReleasesAction::Input(t)))
    };
    let on_history = {
        let d = dispatch.clone();
        Callback::from(move |dir| d(ReleasesAction::History(dir)))
    };
    html! {
        <section id={ID_RELEASES} class="pane releases" aria-label="releases" data-busy={rs.busy.to_string()}>
            <div class="pane-head">
                <span class="pane-title">{ format!("Release {} in namespace {} · simulated cluster", st.doc.release.name, st.doc.release.namespace) }</span>
                { buttons }
                <button id={ID_RESET_CLUSTER} class="small" disabled={rs.busy} onclick={on_reset}
                    title="Start again with an empty cluster">{ "Reset cluster" }</button>
            </div>
            if let Some(e) = &rs.error {
                <pre class="code error" role="alert">{ e.clone() }</pre>
            }
            <div class="releases-body">
                { terminal::terminal(&screen, &rs.transcript, &rs.prompt, &rs.input, rs.busy,
                    &on_input, &on_submit, &on_history) }
                <div class="rel-views">
                    <div class="tabs rel-tabs">{ for ReleasesTab::ALL.into_iter().map(tab_button) }</div>
                    <div class="rel-view pane-body" data-tab={rs.tab.key()}>{ view }</div>
                </div>
            </div>
        </section>
    }
}
