//! The page's side of connected mode: starts the Web Worker that talks to the cluster and
//! exchanges JSON messages with it (see [`super::worker`]).
//!
//! The worker is a module worker made from a small script (a `Blob` URL) that imports the
//! app's own wasm-bindgen glue and wasm file — the URLs trunk put in the page's
//! `<link rel="modulepreload">` and `<link rel="preload">` — so no second build is needed.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{json, Value as J};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker, WorkerOptions, WorkerType};

type Reply = Box<dyn FnOnce(J)>;

/// A running cluster worker.
pub struct ClusterWorker {
    worker: Worker,
    pending: Rc<RefCell<BTreeMap<u64, Reply>>>,
    next: Cell<u64>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// The absolute URL of the first `<link>` matching `selector`.
fn link_href(selector: &str) -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let el = doc.query_selector(selector).ok()??;
    let href = el.get_attribute("href")?;
    let base = doc.base_uri().ok()??;
    Url::new_with_base(&href, &base).ok().map(|u| u.href())
}

/// The app's wasm-bindgen glue and wasm file, as trunk linked them.
fn asset_urls() -> Result<(String, String), String> {
    let glue = link_href("link[rel=modulepreload][href$='.js']")
        .ok_or("the page does not link its JavaScript glue (link rel=modulepreload)")?;
    let wasm = link_href("link[rel=preload][href$='.wasm']")
        .ok_or("the page does not link its wasm file (link rel=preload)")?;
    Ok((glue, wasm))
}

impl ClusterWorker {
    /// Starts the worker. `on_progress` receives the progress lines of waits.
    pub fn spawn(on_progress: Rc<dyn Fn(String)>) -> Result<ClusterWorker, String> {
        let (glue, wasm) = asset_urls()?;
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let src = format!(
            "import init, {{ chartlab_worker_call }} from {};\n\
             const ready = init({{ module_or_path: {} }});\n\
             self.onmessage = async (e) => {{\n\
               try {{ await ready; }} catch (err) {{ self.postMessage(JSON.stringify({{ fatal: String(err) }})); return; }}\n\
               self.postMessage(chartlab_worker_call(e.data));\n\
             }};\n",
            q(&glue),
            q(&wasm)
        );
        let parts = js_sys::Array::of1(&JsValue::from_str(&src));
        let bag = BlobPropertyBag::new();
        bag.set_type("text/javascript");
        let blob = Blob::new_with_str_sequence_and_options(&parts, &bag)
            .map_err(|_| "cannot make the worker script")?;
        let url = Url::create_object_url_with_blob(&blob)
            .map_err(|_| "cannot make the worker script URL")?;
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(&url, &opts)
            .map_err(|e| format!("cannot start the worker: {e:?}"))?;
        let pending: Rc<RefCell<BTreeMap<u64, Reply>>> = Rc::default();
        let p2 = pending.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let text = e.data().as_string().unwrap_or_default();
            let msg: J = serde_json::from_str(&text).unwrap_or(J::Null);
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
        Ok(ClusterWorker {
            worker,
            pending,
            next: Cell::new(1),
            _on_message: on_message,
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
