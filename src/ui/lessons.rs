//! The lesson panel: the workshop's labs as guided steps beside a terminal — each step with its
//! text, the commands it asks for, done / not yet with the check's reason, hints, "show me" and
//! "reset step" — and the release's revision timeline and rollout report. The instructor's view
//! (for a projector) makes the type larger, keeps the timeline and the report in view, and
//! offers one-click upgrade and rollback, each showing its diff before it happens.
//!
//! The session (terminal, files, simulated cluster, checks) runs in the Web Worker that holds
//! the release code (`lab.*` requests, [`crate::playground::lessons::session`]); this component
//! shows its answers. The editor shows the lesson's chart: the worker's files come into the
//! document, and the editor's changes go with the next request. Progress is kept in the
//! browser's storage; the position (lab, step, instructor view) is in the page's link.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{json, Value as J};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::cluster::client::ClusterWorker;
use super::dom;
use super::releases::terminal::terminal;
use super::releases::views::{release_buttons, rollout_report, timeline};
use super::store::Ctx;
use crate::playground::lessons::text::{blocks, inlines, Block, Inline};
use crate::playground::releases::{ReleaseOp, Report, Revision, TermEntry};
use crate::playground::share::LessonLink;
use crate::playground::state::Action;
use crate::playground::workspace;

pub const ID_LESSONS: &str = "lessons";
pub const ID_OPEN_LESSONS: &str = "open-lessons";
pub const ID_LESSON_SELECT: &str = "lesson-select";
pub const ID_STEPS: &str = "lesson-steps";
pub const ID_STEP: &str = "lesson-step";
pub const ID_CHECKS: &str = "lesson-checks";
pub const ID_SHOW: &str = "lesson-show";
pub const ID_RESET: &str = "lesson-reset";
pub const ID_HINT: &str = "lesson-hint";
pub const ID_PREVIEW: &str = "lesson-preview";
pub const ID_APPLY: &str = "lesson-apply";
pub const ID_INSTRUCTOR: &str = "lesson-instructor";
pub const ID_CLOSE: &str = "lesson-close";
pub const ID_ERROR: &str = "lesson-error";

/// Where the progress is saved in the browser (the session's JSON).
pub const STORAGE_KEY: &str = "chartlab.lessons";
/// Where the position is saved (`LAB,STEP`), for the toolbar's button.
pub const POSITION_KEY: &str = "chartlab.lessons.at";
/// Most terminal entries kept on screen.
const MAX_TRANSCRIPT: usize = 300;

/// An upgrade or rollback waiting for the instructor's go, with its diff.
#[derive(Clone, PartialEq)]
struct Pending {
    action: &'static str,
    revision: i64,
    text: String,
}

/// What a request sends besides its own fields.
type Send = Rc<dyn Fn(J)>;

/// The chart's text files as the editor has them.
fn doc_files(ctx: &Ctx) -> BTreeMap<String, String> {
    ctx.state()
        .doc
        .workspace
        .files()
        .filter(|(_, d)| workspace::is_text(d))
        .map(|(p, d)| (p.to_string(), String::from_utf8_lossy(d).into_owned()))
        .collect()
}

fn inline_html(parts: &[Inline]) -> Html {
    parts
        .iter()
        .map(|p| match p {
            Inline::Text(t) => html! { { t.clone() } },
            Inline::Code(c) => html! { <code>{ c.clone() }</code> },
            Inline::Bold(b) => html! { <strong>{ b.clone() }</strong> },
        })
        .collect()
}

fn text_html(text: &str) -> Html {
    blocks(text)
        .iter()
        .map(|b| match b {
            Block::Para(p) => html! { <p>{ inline_html(p) }</p> },
            Block::Code(c) => html! { <pre class="code">{ c.clone() }</pre> },
            Block::List(items) => html! {
                <ul>{ for items.iter().map(|i| html! { <li>{ inline_html(i) }</li> }) }</ul>
            },
        })
        .collect()
}

/// Where the labs open from the toolbar: the saved position, else lab 1's first step.
pub fn saved_link() -> LessonLink {
    let at = dom::storage_get(POSITION_KEY).unwrap_or_default();
    let mut parts = at.split(',').map(|p| p.trim().parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(lab), Some(step)) if (1..1000).contains(&lab) && (1..1000).contains(&step) => {
            LessonLink {
                lab,
                step,
                instructor: false,
            }
        }
        _ => LessonLink {
            lab: 1,
            step: 1,
            instructor: false,
        },
    }
}

/// The position a hand-written link names (`#lab=2&step=3`, `&view=instructor`); a lab or step
/// beyond the lessons' opens at the nearest one the session has.
pub fn link_from_fragment(fragment: &str) -> Option<Result<LessonLink, String>> {
    use crate::playground::lessons::runner::parse_fragment;
    if !fragment.starts_with("lab=") {
        return None;
    }
    Some(parse_fragment(fragment).and_then(|p| match p.lab {
        Some(lab) if lab >= 1 => Ok(LessonLink {
            lab,
            step: p.step.unwrap_or(1).clamp(1, 999) as u32,
            instructor: p.instructor,
        }),
        _ => Err("the link names no lab".to_string()),
    }))
}

/// The position of an answer for the link: the lab's number and the 1-based step.
fn link_for(v: &J, instructor: bool) -> Option<LessonLink> {
    let info = v["lessons"].get(v["lesson"].as_u64()? as usize)?;
    let steps = info["steps"].as_u64()?.max(1);
    Some(LessonLink {
        lab: info["number"].as_u64()? as u32,
        step: (v["step"].as_u64()?.min(steps - 1) + 1) as u32,
        instructor,
    })
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub ctx: Ctx,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &Props) -> Html {
    let ctx = props.ctx.clone();
    let link = ctx.state().lesson.unwrap_or(LessonLink {
        lab: 1,
        step: 1,
        instructor: false,
    });
    let instructor = link.instructor;
    let worker: Rc<RefCell<Option<ClusterWorker>>> = use_mut_ref(|| None);
    let view: UseStateHandle<Option<J>> = use_state(|| None);
    let transcript: UseStateHandle<Rc<Vec<TermEntry>>> = use_state(|| Rc::new(Vec::new()));
    let input = use_state(String::new);
    let history: Rc<RefCell<(Vec<String>, usize)>> = use_mut_ref(|| (Vec::new(), 0));
    let hints = use_state(|| 0usize);
    let busy = use_state(|| false);
    let error = use_state(String::new);
    let pending: UseStateHandle<Option<Pending>> = use_state(|| None);
    // the chart as the worker last sent it: the editor's changes since go with the next request
    let last_files: Rc<RefCell<Option<BTreeMap<String, String>>>> = use_mut_ref(|| None);
    // the latest context for answers that arrive after a re-render
    let latest = use_mut_ref(|| ctx.clone());
    *latest.borrow_mut() = ctx.clone();

    // takes an answer: the view, the terminal, the editor's files, the saved progress, the link
    let on_answer: Rc<dyn Fn(J)> = {
        let (view, transcript, error, last_files, latest, hints) = (
            view.clone(),
            transcript.clone(),
            error.clone(),
            last_files.clone(),
            latest.clone(),
            hints.clone(),
        );
        Rc::new(move |ans: J| {
            let ctx = latest.borrow().clone();
            error.set(ans["error"].as_str().unwrap_or("").to_string());
            if let Some(ran) = ans["ran"].as_array().filter(|r| !r.is_empty()) {
                let mut t: Vec<TermEntry> = (**transcript).clone();
                for r in ran {
                    t.push(TermEntry {
                        prompt: r["prompt"].as_str().unwrap_or("").to_string(),
                        command: r["line"].as_str().unwrap_or("").to_string(),
                        output: Some(r["output"].as_str().unwrap_or("").to_string()),
                        status: r["status"].as_i64().unwrap_or(0) as i32,
                    });
                }
                let over = t.len().saturating_sub(MAX_TRANSCRIPT);
                t.drain(..over);
                transcript.set(Rc::new(t));
            }
            if let Some(files) = ans["files"].as_object() {
                let files: BTreeMap<String, String> = files
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect();
                if doc_files(&ctx) != files {
                    ctx.dispatch(Action::LessonFiles(files.clone()));
                }
                *last_files.borrow_mut() = Some(files);
            } else {
                *last_files.borrow_mut() = None;
            }
            if let Some(p) = ans["saved"].as_str() {
                let _ = dom::storage_set(STORAGE_KEY, p);
            }
            let prev = view
                .as_ref()
                .map(|v| (v["lesson"].clone(), v["step"].clone()));
            if prev != Some((ans["lesson"].clone(), ans["step"].clone())) {
                hints.set(0);
            }
            let instructor = ctx.state().lesson.is_some_and(|l| l.instructor);
            let want = link_for(&ans, instructor);
            if let Some(w) = want {
                let _ = dom::storage_set(POSITION_KEY, &format!("{},{}", w.lab, w.step));
                if ctx.state().lesson != want {
                    ctx.dispatch(Action::SetLesson(want));
                }
            }
            view.set(Some(ans));
        })
    };

    // sends a request with the editor's changes; the answer goes to `on_answer`
    let send: Send = {
        let (worker, busy, error, on_answer, last_files, latest) = (
            worker.clone(),
            busy.clone(),
            error.clone(),
            on_answer.clone(),
            last_files.clone(),
            latest.clone(),
        );
        Rc::new(move |mut req: J| {
            let w = worker.borrow();
            let Some(w) = w.as_ref() else {
                error.set("the lesson session has not started".into());
                return;
            };
            let files = doc_files(&latest.borrow());
            if let Some(last) = last_files.borrow().as_ref() {
                if *last != files {
                    req["sync"] = json!(files);
                }
            }
            busy.set(true);
            let (busy, on_answer) = (busy.clone(), on_answer.clone());
            w.call(req, move |ans| {
                busy.set(false);
                on_answer(ans);
            });
        })
    };

    // start the session once: at the link's step, with the saved progress
    {
        let (worker, error, send) = (worker.clone(), error.clone(), send.clone());
        let start = ctx.state().lesson;
        use_effect_with((), move |_| {
            match ClusterWorker::spawn(Rc::new(|_| {})) {
                Ok(w) => {
                    *worker.borrow_mut() = Some(w);
                    let mut req = json!({"op": "lab.open"});
                    if let Some(saved) = dom::storage_get(STORAGE_KEY) {
                        req["saved"] = json!(saved);
                    }
                    if let Some(l) = start {
                        req["lab"] = json!(l.lab);
                        req["step"] = json!(l.step.saturating_sub(1));
                    }
                    send(req);
                }
                Err(e) => error.set(e),
            }
            || ()
        });
    }

    // an edit in the editor is checked once typing pauses
    {
        let (send, last_files, latest) = (send.clone(), last_files.clone(), latest.clone());
        let rev = ctx.state().doc_rev;
        use_effect_with(rev, move |_| {
            let timer = gloo::timers::callback::Timeout::new(700, move || {
                let changed = last_files
                    .borrow()
                    .as_ref()
                    .is_some_and(|l| *l != doc_files(&latest.borrow()));
                if changed {
                    send(json!({"op": "lab.check"}));
                }
            });
            move || drop(timer)
        });
    }

    // the terminal keeps its last line in view
    let term_ref = use_node_ref();
    {
        let term_ref = term_ref.clone();
        use_effect_with(Rc::as_ptr(&*transcript) as usize, move |_| {
            if let Some(el) = term_ref.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
            || ()
        });
    }

    let v = (*view).clone().unwrap_or(J::Null);
    let started = view.is_some();
    let lesson_i = v["lesson"].as_u64().unwrap_or(0) as usize;
    let step_i = v["step"].as_u64().unwrap_or(0) as usize;
    let guide = &v["guide"];
    let infos: Vec<J> = v["lessons"].as_array().cloned().unwrap_or_default();
    let strs = |x: &J| -> Vec<String> {
        x.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let steps_v: Vec<J> = guide["steps"].as_array().cloned().unwrap_or_default();
    let number = guide["number"].as_u64().unwrap_or(u64::from(link.lab));
    let release = guide["release"].as_str().unwrap_or("").to_string();
    let (release_name, chart_dir) = (
        release.clone(),
        guide["chart"].as_str().unwrap_or("").to_string(),
    );
    let done_here: Vec<usize> = v["done"][lesson_i]
        .as_array()
        .map(|a| a.iter().filter_map(J::as_u64).map(|n| n as usize).collect())
        .unwrap_or_default();

    let goto = |lesson: usize, step: usize| {
        let send = send.clone();
        Callback::from(move |_: MouseEvent| {
            send(json!({"op": "lab.goto", "lesson": lesson, "step": step}))
        })
    };
    let on_select = {
        let send = send.clone();
        Callback::from(move |e: Event| {
            let i = e
                .target_dyn_into::<HtmlSelectElement>()
                .and_then(|s| s.value().parse::<usize>().ok())
                .unwrap_or(0);
            send(json!({"op": "lab.goto", "lesson": i, "step": 0}))
        })
    };
    let on_show = {
        let send = send.clone();
        Callback::from(move |_: MouseEvent| send(json!({"op": "lab.show"})))
    };
    let on_reset = {
        let send = send.clone();
        Callback::from(move |_: MouseEvent| send(json!({"op": "lab.reset"})))
    };
    let on_hint = {
        let hints = hints.clone();
        Callback::from(move |_: MouseEvent| hints.set(*hints + 1))
    };
    let on_input = {
        let input = input.clone();
        Callback::from(move |v: String| input.set(v))
    };
    let on_submit = {
        let (input, history, send) = (input.clone(), history.clone(), send.clone());
        Callback::from(move |line: String| {
            if line.trim().is_empty() {
                return;
            }
            {
                let mut h = history.borrow_mut();
                if h.0.last() != Some(&line) {
                    h.0.push(line.clone());
                }
                h.1 = h.0.len();
            }
            input.set(String::new());
            send(json!({"op": "lab.run", "line": line}));
        })
    };
    let on_history = {
        let (input, history) = (input.clone(), history.clone());
        Callback::from(move |dir: i32| {
            let mut h = history.borrow_mut();
            let n = h.0.len();
            h.1 = if dir < 0 {
                h.1.saturating_sub(1)
            } else {
                (h.1 + 1).min(n)
            };
            input.set(h.0.get(h.1).cloned().unwrap_or_default());
        })
    };
    let type_command = |cmd: String| {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| input.set(cmd.clone()))
    };
    let on_instructor = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            ctx.dispatch(Action::SetLesson(Some(LessonLink {
                instructor: !instructor,
                ..link
            })))
        })
    };
    let on_close = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| ctx.dispatch(Action::SetLesson(None)))
    };
    // instructor: preview first, then apply exactly that action
    let preview = |action: &'static str, revision: i64| {
        let (worker, pending, error, latest, last_files) = (
            worker.clone(),
            pending.clone(),
            error.clone(),
            latest.clone(),
            last_files.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let w = worker.borrow();
            let Some(w) = w.as_ref() else { return };
            let mut req = json!({"op": "lab.preview", "action": action, "revision": revision});
            let files = doc_files(&latest.borrow());
            if last_files.borrow().as_ref().is_some_and(|l| *l != files) {
                req["sync"] = json!(files);
            }
            let (pending, error) = (pending.clone(), error.clone());
            w.call(req, move |ans| match ans["preview"].as_str() {
                Some(text) => {
                    error.set(String::new());
                    pending.set(Some(Pending {
                        action,
                        revision,
                        text: text.to_string(),
                    }))
                }
                None => error.set(ans["error"].as_str().unwrap_or("").to_string()),
            });
        })
    };
    // the instructor's buttons (the releases panel's): upgrade and rollback show their diff
    // first; install and uninstall run at once
    let rollback_to = use_state(|| 0i64);
    let on_op = {
        let (upgrade, send) = (preview("upgrade", 0), send.clone());
        let worker_preview = {
            let (worker, pending, error) = (worker.clone(), pending.clone(), error.clone());
            Rc::new(move |revision: i64| {
                let w = worker.borrow();
                let Some(w) = w.as_ref() else { return };
                let (pending, error) = (pending.clone(), error.clone());
                w.call(
                    json!({"op": "lab.preview", "action": "rollback", "revision": revision}),
                    move |ans| match ans["preview"].as_str() {
                        Some(text) => {
                            error.set(String::new());
                            pending.set(Some(Pending {
                                action: "rollback",
                                revision,
                                text: text.to_string(),
                            }))
                        }
                        None => error.set(ans["error"].as_str().unwrap_or("").to_string()),
                    },
                );
            })
        };
        let (release, chart) = (release_name.clone(), chart_dir.clone());
        Callback::from(move |op: ReleaseOp| match op {
            ReleaseOp::Upgrade => {
                if let Ok(e) = web_sys::MouseEvent::new("click") {
                    upgrade.emit(e);
                }
            }
            ReleaseOp::Rollback(n) => worker_preview(n),
            ReleaseOp::Install => {
                send(json!({"op": "lab.run", "line": format!("helm install {release} ./{chart}")}))
            }
            ReleaseOp::Uninstall => {
                send(json!({"op": "lab.run", "line": format!("helm uninstall {release}")}))
            }
        })
    };
    let on_rollback_to = {
        let rollback_to = rollback_to.clone();
        Callback::from(move |n: i64| rollback_to.set(n))
    };
    let on_apply = {
        let (send, pending) = (send.clone(), pending.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(p) = (*pending).clone() {
                pending.set(None);
                send(json!({"op": "lab.apply", "action": p.action, "revision": p.revision}));
            }
        })
    };
    let on_cancel = {
        let pending = pending.clone();
        Callback::from(move |_: MouseEvent| pending.set(None))
    };

    let complete = started && step_i >= steps_v.len();
    let steps: Html = steps_v
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let done = done_here.contains(&i);
            let class = classes!(
                "lesson-step-item",
                done.then_some("done"),
                (i == step_i).then_some("current")
            );
            html! {
                <li class={class} data-step={(i + 1).to_string()} data-done={done.to_string()}>
                    <button class="link" onclick={goto(lesson_i, i)} disabled={*busy}
                        title="Start this step (the session is set up with every step before it)">
                        <span class="mark" aria-label={if done { "done" } else { "not yet" }}>{ if done { "✓" } else { "○" } }</span>
                        { format!("{}. {}", i + 1, s["title"].as_str().unwrap_or("")) }
                    </button>
                </li>
            }
        })
        .collect();
    let checks: Html = v["checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    let ok = c["ok"].as_bool().unwrap_or(false);
                    html! {
                        <li class={classes!("check-item", if ok { "ok" } else { "notyet" })}>
                            <span class="mark">{ if ok { "✓ done" } else { "… not yet" } }</span>
                            { " " }{ c["reason"].as_str().unwrap_or("") }
                        </li>
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let then_of = |i: usize| {
        steps_v
            .get(i)
            .and_then(|s| s["then"].as_str())
            .unwrap_or("")
            .to_string()
    };
    let step_body = match steps_v.get(step_i) {
        Some(s) => {
            let commands = strs(&s["commands"]);
            let hint_list = strs(&s["hints"]);
            let then = if step_i > 0 {
                then_of(step_i - 1)
            } else {
                String::new()
            };
            html! {
            <div id={ID_STEP} class="step-body" data-step={(step_i + 1).to_string()}>
                <h3>{ format!("Step {} of {}: {}", step_i + 1, steps_v.len(), s["title"].as_str().unwrap_or("")) }</h3>
                { text_html(s["text"].as_str().unwrap_or("")) }
                if !commands.is_empty() {
                    <div class="step-commands">
                        { for commands.iter().map(|c| html! {
                            <button class="cmd code" title="Put it in the terminal" onclick={type_command(c.clone())}>{ c.clone() }</button>
                        }) }
                    </div>
                }
                <ul id={ID_CHECKS} class="checks">{ checks }</ul>
                <div class="step-actions">
                    <button id={ID_SHOW} onclick={on_show} disabled={*busy || !started}
                        title="Make this step's change for you (its edits, its commands)">{ "Show me" }</button>
                    <button id={ID_RESET} onclick={on_reset} disabled={*busy || !started}
                        title="Set the session back to how this step began">{ "Reset step" }</button>
                    if *hints < hint_list.len() {
                        <button id={ID_HINT} onclick={on_hint}>{ "Hint" }</button>
                    }
                </div>
                if *hints > 0 {
                    <ul class="hints">{ for hint_list.iter().take(*hints).map(|h| html! { <li>{ inline_html(&inlines(h)) }</li> }) }</ul>
                }
                if !then.is_empty() {
                    <div class="then"><strong>{ format!("Step {step_i} done. ") }</strong>{ text_html(&then) }</div>
                }
            </div>
            }
        }
        None if complete => html! {
            <div id={ID_STEP} class="step-body" data-step="done">
                <h3>{ format!("Lab {number} complete") }</h3>
                { text_html(&then_of(steps_v.len().saturating_sub(1))) }
                if let Some(next) = infos.get(lesson_i + 1) {
                    <button onclick={goto(lesson_i + 1, 0)}>{ format!("On to lab {}: {}", next["number"], next["title"].as_str().unwrap_or("")) }</button>
                }
            </div>
        },
        None => html! { <p class="muted">{ "Starting the lab's session…" }</p> },
    };
    let revisions: Vec<Revision> = v["history"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| Revision {
                    revision: r["revision"].as_i64().unwrap_or(0),
                    updated: r["updated"].as_str().unwrap_or("").to_string(),
                    status: r["status"].as_str().unwrap_or("").to_string(),
                    chart: r["chart"].as_str().unwrap_or("").to_string(),
                    app_version: r["app_version"].as_str().unwrap_or("").to_string(),
                    description: r["description"].as_str().unwrap_or("").to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let latest_rev = revisions.last().map_or(0, |r| r.revision);
    // the rollback target: the one picked, else the one before the latest
    let target = if *rollback_to > 0 && *rollback_to < latest_rev {
        *rollback_to
    } else {
        (latest_rev - 1).max(0)
    };
    let report = v["rollout"]
        .as_str()
        .filter(|t| !t.is_empty())
        .map(|t| Report {
            command: v["rollout_command"].as_str().unwrap_or("").to_string(),
            text: t.to_string(),
        });
    let buttons: Vec<(ReleaseOp, String)> = vec![
        (
            ReleaseOp::Install,
            format!("helm install {release_name} ./{chart_dir}"),
        ),
        (
            ReleaseOp::Upgrade,
            format!("helm upgrade --install {release_name} ./{chart_dir} (the diff shows first)"),
        ),
        (
            ReleaseOp::Rollback(target),
            format!("helm rollback {release_name} {target} (the diff shows first)"),
        ),
        (
            ReleaseOp::Uninstall,
            format!("helm uninstall {release_name}"),
        ),
    ];
    let prompt = v["prompt"].as_str().unwrap_or("~$ ").to_string();
    let total_done: usize = done_here.len();
    let intro = guide["intro"].as_str().unwrap_or("").to_string();

    html! {
        <section id={ID_LESSONS} class={classes!("pane", "lessons", instructor.then_some("instructor"))} aria-label="guided labs">
            <div class="pane-head">
                <label class="inline" for={ID_LESSON_SELECT}>
                    <span class="sr">{ "Lab" }</span>
                    <select id={ID_LESSON_SELECT} onchange={on_select} disabled={*busy}>
                        { for infos.iter().enumerate().map(|(i, l)| html! {
                            <option value={i.to_string()} selected={i == lesson_i} title={l["summary"].as_str().unwrap_or("").to_string()}>
                                { format!("Lab {}: {}", l["number"], l["title"].as_str().unwrap_or("")) }
                            </option>
                        }) }
                    </select>
                </label>
                if started {
                    <span class="status">{ format!("{total_done} of {} steps done", steps_v.len()) }</span>
                }
                if *busy { <span class="status">{ "working…" }</span> }
                <span class="spacer" />
                <button id={ID_INSTRUCTOR} aria-pressed={instructor.to_string()} onclick={on_instructor}
                    title="Larger type for a projector; timeline, rollout report, one-click upgrade and rollback">
                    { if instructor { "Instructor view: on" } else { "Instructor view" } }</button>
                <button id={ID_CLOSE} class="icon" aria-label="Close the labs" onclick={on_close}>{ "✕" }</button>
            </div>
            if !error.is_empty() {
                <pre id={ID_ERROR} class="error code" role="alert">{ (*error).clone() }</pre>
            }
            <div class="lessons-grid">
                <div class="lesson-guide">
                    if step_i == 0 && !intro.is_empty() && !complete {
                        <div class="intro">{ text_html(&intro) }</div>
                    }
                    <ol id={ID_STEPS} class="steps">{ steps }</ol>
                    { step_body }
                </div>
                // requests queue in the worker, so a line typed while a check runs is kept
                { terminal(&term_ref, &transcript, &prompt, &input, !started, &on_input, &on_submit, &on_history) }
                <div class="lesson-release">
                    <div class="release-head">
                        <strong>{ format!("Release {release}") }</strong>
                    </div>
                    if instructor {
                        { release_buttons(&revisions, *busy || !started, target, &buttons, &on_op, &on_rollback_to) }
                    }
                    if let Some(p) = &*pending {
                        <div id={ID_PREVIEW} class="confirm preview" role="dialog">
                            <pre class="code">{ p.text.clone() }</pre>
                            <div class="step-actions">
                                <button id={ID_APPLY} class="primary" onclick={on_apply} disabled={*busy}>
                                    { if p.action == "upgrade" { "Run the upgrade".to_string() } else { format!("Roll back to {}", p.revision) } }</button>
                                <button onclick={on_cancel}>{ "Cancel" }</button>
                            </div>
                        </div>
                    }
                    { timeline(&revisions, &release) }
                    <h4>{ "Rollout report" }</h4>
                    { rollout_report(report.as_ref()) }
                </div>
            </div>
        </section>
    }
}
