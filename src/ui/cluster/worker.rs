//! The Web Worker side of connected mode: a [`Transport`] over synchronous `XMLHttpRequest`
//! (allowed in workers, unlike on the page) to the origin that served the page — `kubectl
//! proxy`, which sends no CORS headers, so the API must be same-origin — and the dispatcher
//! of the page's requests ([`crate::playground::connected::Session`]).
//!
//! The worker is its own wasm binary (`chartlab-worker`, started by [`serve`]), so the page
//! does not download the release code unless the user connects. It holds one connection; every
//! request runs to completion before the next, exactly like the synchronous release code
//! expects. The lesson panel's requests (`lab.*`) go to a [`LabSession`] over a simulated
//! cluster of its own, which needs no connection. While Helm waits for hooks, progress lines are posted to the page as
//! `{"progress": "waiting for Job default/x: Job in progress (3s of 5m0s)"}`.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Value as J};
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, XmlHttpRequest};

use crate::engine::env::FnClock;
use crate::engine::{Env, Timestamp};
use crate::kube::cluster::Cluster;
use crate::kube::http::{HttpCluster, Transport, WireRequest, WireResponse};
use crate::kube::time::Time;
use crate::playground::connected::Session;
use crate::playground::lessons::session::LabSession;
use crate::playground::lessons::world::Sources;
use crate::playground::sandbox::Sandbox;

/// Synchronous XHR to the page's origin. A worker made from a `Blob` has a `blob:` base URL,
/// so requests carry the origin explicitly (`http://127.0.0.1:8001` + `/api/v1/…`).
pub struct XhrTransport {
    pub origin: String,
}

fn js_err(e: wasm_bindgen::JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|x| String::from(x.message()))
        })
        .unwrap_or_else(|| "request failed".into())
}

impl Transport for XhrTransport {
    fn exchange(&mut self, req: &WireRequest) -> Result<WireResponse, String> {
        let xhr = XmlHttpRequest::new().map_err(js_err)?;
        let url = format!("{}{}", self.origin, req.path);
        xhr.open_with_async(&req.method, &url, false)
            .map_err(js_err)?;
        xhr.set_request_header("Accept", &req.accept)
            .map_err(js_err)?;
        if let Some(ct) = &req.content_type {
            xhr.set_request_header("Content-Type", ct).map_err(js_err)?;
        }
        let sent = if req.body.is_empty() {
            xhr.send()
        } else {
            xhr.send_with_opt_u8_array(Some(&req.body))
        };
        sent.map_err(|e| format!("{} {}: {}", req.method, req.path, js_err(e)))?;
        let status = xhr.status().map_err(js_err)?;
        if status == 0 {
            return Err(format!(
                "{} {}: the connection to the proxy failed (is kubectl proxy still running?)",
                req.method, req.path
            ));
        }
        Ok(WireResponse {
            status,
            content_type: xhr
                .get_response_header("content-type")
                .ok()
                .flatten()
                .unwrap_or_default(),
            body: xhr
                .response_text()
                .ok()
                .flatten()
                .unwrap_or_default()
                .into_bytes(),
        })
    }

    fn now_ms(&mut self) -> f64 {
        js_sys::Date::now()
    }

    /// A worker has no sleep without shared memory: the watch on the awaited object is sent
    /// instead, and the server holds it for its `timeoutSeconds` (the XHR's own timeout bounds
    /// it should the server not close it).
    fn pause(&mut self, ms: u64, watch_path: &str) {
        let Ok(xhr) = XmlHttpRequest::new() else {
            return;
        };
        let url = format!("{}{watch_path}", self.origin);
        if xhr.open_with_async("GET", &url, false).is_err() {
            return;
        }
        xhr.set_timeout((ms as u32).saturating_add(5000));
        let _ = xhr.set_request_header("Accept", "application/json");
        let _ = xhr.send();
    }
}

struct WorkerState {
    cluster: Rc<RefCell<HttpCluster<XhrTransport>>>,
    session: Session,
}

thread_local! {
    static STATE: RefCell<Option<WorkerState>> = const { RefCell::new(None) };
}

/// Real time and randomness for release records and template functions.
fn browser_env() -> Env {
    let now = || {
        let ms = js_sys::Date::now();
        let secs = (ms / 1000.0).floor();
        Timestamp::utc(secs as i64, ((ms - secs * 1000.0) * 1e6) as u32)
    };
    let seed = (js_sys::Math::random() * 9.0e15) as u64;
    Env {
        clock: Rc::new(FnClock(Box::new(now))),
        ..Env::fixed(now(), seed)
    }
}

fn post(msg: &J) {
    if let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() {
        let _ = scope.post_message(&wasm_bindgen::JsValue::from_str(&msg.to_string()));
    }
}

thread_local! {
    /// The releases panel's simulated cluster and terminal (made on its first request).
    static SANDBOX: RefCell<Option<Sandbox>> = const { RefCell::new(None) };
}

/// The simulated cluster's clock: the browser's, in seconds.
fn sim_clock() -> Box<dyn crate::kube::time::Clock> {
    Box::new(|| crate::kube::time::Time((js_sys::Date::now() / 1000.0).floor() as i64))
}

/// A request of the releases panel (`"sandbox": true`), answered by its [`Sandbox`].
fn sandbox(req: &J) -> J {
    SANDBOX.with(|sb| {
        let mut sb = sb.borrow_mut();
        let s = sb.get_or_insert_with(|| {
            let seed = (js_sys::Math::random() * 9.0e15) as u64;
            Sandbox::new(Rc::new(sim_clock), browser_env(), seed)
        });
        s.handle(req)
    })
}

/// Answers one message from the page: `{"id": n, "op": …}` → `{"id": n, "ok": …, …}`.
/// Requests with `"sandbox": true` go to the simulated cluster of the releases panel
/// ([`crate::playground::sandbox`]), `lab.*` requests to the lesson panel's [`LabSession`].
/// `connect` (with the page's `origin`) opens the connection and answers like `info`;
/// `requests` returns the request log; every other op goes to [`Session::handle`].
pub fn handle(msg: &str) -> String {
    let req: J = match serde_json::from_str(msg) {
        Ok(v) => v,
        Err(e) => return json!({"ok": false, "error": format!("bad message: {e}")}).to_string(),
    };
    let id = req.get("id").cloned().unwrap_or(J::Null);
    let op = req.get("op").and_then(J::as_str).unwrap_or("");
    if op.starts_with("lab.") {
        let mut out = lab(&req);
        if let J::Object(m) = &mut out {
            m.insert("id".into(), id);
        }
        return out.to_string();
    }
    if req.get("sandbox") == Some(&J::Bool(true)) {
        let mut out = sandbox(&req);
        if let J::Object(m) = &mut out {
            m.insert("id".into(), id);
        }
        return out.to_string();
    }
    let mut out = STATE.with(|st| {
        let mut st = st.borrow_mut();
        if op == "connect" {
            let origin = req
                .get("origin")
                .and_then(J::as_str)
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string();
            let mut cluster = HttpCluster::new(XhrTransport { origin });
            cluster.set_on_wait(Box::new(|p| post(&json!({"progress": p.describe()}))));
            let cluster = Rc::new(RefCell::new(cluster));
            let dyn_cluster: Rc<RefCell<dyn Cluster>> = cluster.clone();
            let mut session = Session::new(dyn_cluster, browser_env());
            let info = session.handle(&json!({"op": "info"}));
            if info.get("ok") == Some(&J::Bool(true)) {
                *st = Some(WorkerState { cluster, session });
            }
            return info;
        }
        let Some(state) = st.as_mut() else {
            return json!({"ok": false, "error": "not connected"});
        };
        if op == "requests" {
            let log: Vec<J> = state
                .cluster
                .borrow()
                .log()
                .iter()
                .map(|r| {
                    json!({"method": r.method, "path": r.path, "contentType": r.content_type,
                        "fieldManager": r.field_manager, "status": r.status, "ms": r.millis})
                })
                .collect();
            return json!({"ok": true, "requests": log});
        }
        state.session.handle(&req)
    });
    if let J::Object(m) = &mut out {
        m.insert("id".into(), id);
    }
    out.to_string()
}

thread_local! {
    static LAB: RefCell<Option<LabSession>> = const { RefCell::new(None) };
}

/// The lesson panel's requests (`lab.*`): one [`LabSession`] over a simulated cluster, made on
/// the first request, with the browser's time and randomness.
fn lab(req: &J) -> J {
    LAB.with(|l| {
        let mut l = l.borrow_mut();
        let session = l.get_or_insert_with(|| {
            let env = browser_env();
            let seed = (js_sys::Math::random() * 9.0e15) as u64;
            LabSession::new(Sources {
                env,
                clock: Rc::new(|| Time((js_sys::Date::now() / 1000.0).floor() as i64)),
                seed,
            })
        });
        session.handle_json(req)
    })
}

/// The worker's main loop: every message from the page is answered by [`handle`].
pub fn serve() {
    use wasm_bindgen::prelude::Closure;
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        return;
    };
    // a panic aborts the worker: the page hears why instead of waiting forever
    std::panic::set_hook(Box::new(|info| post(&json!({"fatal": info.to_string()}))));
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let msg = e.data().as_string().unwrap_or_default();
            let out = handle(&msg);
            let _ = reply_to.post_message(&wasm_bindgen::JsValue::from_str(&out));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // the handler lives as long as the worker
    on_message.forget();
    post(&json!({"ready": true}));
}
