//! The page's hooks: live rendering (debounced by how long the last render took), autosave to
//! `localStorage`, the document kept in the URL fragment, and the environment renders run in.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use rand_core::RngCore;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::dom;
use super::store::Store;
use crate::engine::env::{FnClock, SeededRng};
use crate::engine::{Env, Timestamp};
use crate::playground::render::{browser_limits, render_document, RenderFailure, RenderReport};
use crate::playground::state::{Action, State};
use crate::playground::{autosave, share};

/// A render slower than this stops live rendering (the page offers "Render" instead).
pub const PAUSE_AFTER_MS: f64 = 1_000.0;
/// Live rendering, paused after a slow render, resumes once the document is smaller than this.
pub const RESUME_BELOW_BYTES: usize = 512 << 10;
/// Links longer than this are not mirrored into the address bar (autosave still keeps the work).
pub const MAX_URL_CODE: usize = 64 << 10;

/// The clock and randomness of a render in the browser: the real time (UTC, as on a server
/// without a time zone) and a fresh random seed, like every run of `helm template`.
pub fn browser_env() -> Env {
    let seed = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    let mut rng = SeededRng::new(seed ^ dom::now_ms().to_bits());
    let _ = rng.next_u64();
    Env {
        clock: Rc::new(FnClock(Box::new(|| {
            let ms = js_sys::Date::now();
            let secs = (ms / 1000.0).floor();
            Timestamp::utc(secs as i64, ((ms - secs * 1000.0) * 1e6) as u32)
        }))),
        rng: Rc::new(RefCell::new(rng)),
        limits: browser_limits(),
    }
}

#[wasm_bindgen(
    inline_js = "export function chartlab_guard(f) { try { f(); return undefined; } catch (e) { return String((e && e.message) || e); } }"
)]
extern "C" {
    /// Runs `f`, returning what it threw: the JS engine's "Maximum call stack size exceeded"
    /// unwinds through wasm frames as an exception, which must end one render, not the page.
    fn chartlab_guard(f: &mut dyn FnMut()) -> Option<String>;
}

/// Renders the document now and reports it.
pub fn render_now(state: &State) -> RenderReport {
    let env = browser_env();
    let start = dom::now_ms();
    let mut result = None;
    let thrown = chartlab_guard(&mut || result = Some(render_document(&state.doc, &env)));
    let result = match (result, thrown) {
        (Some(r), None) => r,
        (_, thrown) => Err(RenderFailure {
            message: format!(
                "ChartLab stopped this render: {} (the browser's stack ran out: the chart nests \
                 templates deeper than a browser allows; Helm itself would go on). Your work is saved; \
                 reload the page if anything looks wrong.",
                thrown.unwrap_or_else(|| "no result".into())
            ),
            ..RenderFailure::default()
        }),
    };
    RenderReport {
        doc_rev: state.doc_rev,
        elapsed_ms: dom::now_ms() - start,
        result,
    }
}

/// What the live renderer tells the page.
#[derive(Clone, PartialEq)]
pub struct LiveRender {
    /// Live rendering stopped after a slow render; `render` resumes it.
    pub paused: bool,
    pub render: Callback<()>,
}

/// Re-renders on every document change: at once when renders are fast (a keystroke's output
/// is painted in the same frame), after a pause proportional to the last render's time when they
/// are slow, and not at all after one took longer than [`PAUSE_AFTER_MS`] until asked.
#[hook]
pub fn use_live_render(store: &UseReducerHandle<Store>) -> LiveRender {
    let last_ms = use_mut_ref(|| 0.0f64);
    let paused = use_state(|| false);
    let latest = use_mut_ref(|| store.clone());
    *latest.borrow_mut() = store.clone();
    let rev = store.0.doc_rev;
    {
        let store = store.clone();
        let last_ms = last_ms.clone();
        let paused = paused.clone();
        use_effect_with(rev, move |_| {
            let up_to_date = store.0.render.as_ref().is_some_and(|r| r.doc_rev == rev);
            // a document back to a small size renders live again
            let doc = &store.0.doc;
            let small =
                doc.workspace.total_bytes() + doc.overrides.values.len() < RESUME_BELOW_BYTES;
            let timer = if (*paused && !small) || up_to_date {
                None
            } else {
                let last = *last_ms.borrow();
                let run = move || {
                    let report = render_now(&store.0);
                    *last_ms.borrow_mut() = report.elapsed_ms;
                    paused.set(report.elapsed_ms > PAUSE_AFTER_MS);
                    store.dispatch(Action::Rendered(Rc::new(report)));
                };
                if last < 8.0 {
                    // fast renders happen right away: the keystroke's output is in its frame
                    run();
                    None
                } else {
                    let delay = (last * 1.5).clamp(30.0, 600.0) as u32;
                    Some(Timeout::new(delay, run))
                }
            };
            move || drop(timer)
        });
    }
    let render = {
        let paused = paused.clone();
        Callback::from(move |()| {
            let store = latest.borrow().clone();
            let report = render_now(&store.0);
            *last_ms.borrow_mut() = report.elapsed_ms;
            paused.set(report.elapsed_ms > PAUSE_AFTER_MS);
            store.dispatch(Action::Rendered(Rc::new(report)));
        })
    };
    LiveRender {
        paused: *paused,
        render,
    }
}

/// Saves the work to `localStorage` shortly after every change, and at once when the page is
/// hidden or closed.
#[hook]
pub fn use_autosave(store: &UseReducerHandle<Store>) {
    let latest = use_mut_ref(|| None::<UseReducerHandle<Store>>);
    *latest.borrow_mut() = Some(store.clone());
    let rev = store.0.doc_rev;
    let failed = use_mut_ref(|| false);
    {
        let store = store.clone();
        use_effect_with(rev, move |_| {
            let timer = Timeout::new(400, move || save(&store, &failed));
            move || drop(timer)
        });
    }
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let listener = dom::window().map(|w| {
                EventListener::new(&w, "pagehide", move |_| {
                    if let Some(store) = latest.borrow().as_ref() {
                        let _ = dom::storage_set(
                            autosave::STORAGE_KEY,
                            &autosave::save(&store.0, js_sys::Date::now()),
                        );
                    }
                })
            });
            move || drop(listener)
        });
    }
}

fn save(store: &UseReducerHandle<Store>, failed: &Rc<RefCell<bool>>) {
    let text = autosave::save(&store.0, js_sys::Date::now());
    match dom::storage_set(autosave::STORAGE_KEY, &text) {
        Ok(()) => *failed.borrow_mut() = false,
        Err(e) => {
            // say it once, not on every keystroke
            if !*failed.borrow() {
                *failed.borrow_mut() = true;
                store.dispatch(Action::Notify {
                    error: true,
                    text: format!(
                        "Your work could not be saved in this browser ({e}); export the chart to keep it"
                    ),
                });
            }
        }
    }
}

/// Keeps the document in the address bar (`#v1.…`, replaced, not pushed) so a reload or a
/// bookmark brings it back, and opens a link pasted into the address bar while the page runs.
#[hook]
pub fn use_url_state(store: &UseReducerHandle<Store>) {
    let rev = store.0.doc_rev;
    let sel = store.0.selected_file().map(str::to_string);
    let lesson = store.0.lesson;
    let written = use_mut_ref(String::new);
    {
        let store = store.clone();
        let written = written.clone();
        use_effect_with((rev, sel, lesson), move |_| {
            let timer = Timeout::new(600, move || {
                let code = share::encode(&store.0.shared());
                if code.len() <= MAX_URL_CODE {
                    dom::replace_hash(Some(&code));
                    *written.borrow_mut() = code;
                } else {
                    dom::replace_hash(None);
                    written.borrow_mut().clear();
                }
            });
            move || drop(timer)
        });
    }
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener = dom::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    let hash = dom::location_hash();
                    if hash.is_empty() || *written.borrow() == hash {
                        return;
                    }
                    match share::decode(&hash) {
                        Ok(shared) => store.dispatch(Action::OpenShared(shared)),
                        Err(e) => store.dispatch(Action::Notify {
                            error: true,
                            text: format!("The link could not be opened: {e}"),
                        }),
                    }
                })
            });
            move || drop(listener)
        });
    }
}
