//! The page's side of connected mode: starts the Web Worker that talks to the cluster and
//! exchanges JSON messages with it (see [`super::worker`]).
//!
//! The worker is the `chartlab-worker` binary, which trunk builds next to the page with a loader
//! script; messages sent before its wasm has loaded wait in the worker's queue.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{json, Value as J};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

type Reply = Box<dyn FnOnce(J)>;

/// A running cluster worker.
pub struct ClusterWorker {
    worker: Worker,
    pending: Rc<RefCell<BTreeMap<u64, Reply>>>,
    /// Requests sent before the worker said it is ready (its wasm still loading): a worker
    /// drops messages that arrive before it has a handler.
    queued: Rc<RefCell<Option<Vec<String>>>>,
    next: Cell<u64>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// The worker's loader script, next to the page (trunk's loader shim for `chartlab-worker`).
pub const WORKER_SCRIPT: &str = "./chartlab-worker_loader.js";

impl ClusterWorker {
    /// Starts the worker. `on_progress` receives the progress lines of waits.
    pub fn spawn(on_progress: Rc<dyn Fn(String)>) -> Result<ClusterWorker, String> {
        let worker =
            Worker::new(WORKER_SCRIPT).map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let pending: Rc<RefCell<BTreeMap<u64, Reply>>> = Rc::default();
        let queued: Rc<RefCell<Option<Vec<String>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let p2 = pending.clone();
        let (q2, w2) = (queued.clone(), worker.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let text = e.data().as_string().unwrap_or_default();
            let msg: J = serde_json::from_str(&text).unwrap_or(J::Null);
            if msg.get("ready").is_some() {
                for m in q2.borrow_mut().take().unwrap_or_default() {
                    let _ = w2.post_message(&JsValue::from_str(&m));
                }
                return;
            }
            if let Some(line) = msg.get("progress").and_then(J::as_str) {
                on_progress(line.to_string());
                return;
            }
            if let Some(fatal) = msg.get("fatal").and_then(J::as_str) {
                let waiting: Vec<Reply> = std::mem::take(&mut *p2.borrow_mut())
                    .into_values()
                    .collect();
                for reply in waiting {
                    reply(
                        json!({"ok": false, "error": format!("the cluster worker failed to start: {fatal}")}),
                    );
                }
                return;
            }
            let id = msg.get("id").and_then(J::as_u64).unwrap_or(0);
            let reply = p2.borrow_mut().remove(&id);
            if let Some(reply) = reply {
                reply(msg);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // the worker's script failed to load, or its code stopped: every waiting request hears it
        let p3 = pending.clone();
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(
            move |e: web_sys::ErrorEvent| {
                let waiting: Vec<Reply> = std::mem::take(&mut *p3.borrow_mut())
                    .into_values()
                    .collect();
                for reply in waiting {
                    reply(
                        json!({"ok": false, "error": format!("the worker stopped: {}", e.message())}),
                    );
                }
            },
        );
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(ClusterWorker {
            worker,
            pending,
            queued,
            next: Cell::new(1),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends one request; `done` gets the answer.
    pub fn call(&self, mut req: J, done: impl FnOnce(J) + 'static) {
        let id = self.next.get();
        self.next.set(id + 1);
        if let J::Object(m) = &mut req {
            m.insert("id".into(), json!(id));
        }
        self.pending.borrow_mut().insert(id, Box::new(done));
        if let Some(q) = self.queued.borrow_mut().as_mut() {
            q.push(req.to_string());
            return;
        }
        if self
            .worker
            .post_message(&JsValue::from_str(&req.to_string()))
            .is_err()
        {
            if let Some(reply) = self.pending.borrow_mut().remove(&id) {
                reply(json!({"ok": false, "error": "the cluster worker is gone"}));
            }
        }
    }
}

impl Drop for ClusterWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
