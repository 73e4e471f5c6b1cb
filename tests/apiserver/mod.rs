//! A Kubernetes API test server of our own, for the tests of ChartLab's connected mode (no
//! real `kube-apiserver` can be installed on these machines).
//!
//! The store, defaulting, validation, label/field selectors, server-side apply (field
//! ownership, conflicts, merge) and `resourceVersion` conflicts are the simulated cluster's
//! (`kube::sim::SimCluster`), reached through the same REST mapping ChartLab's clients use
//! (`kube::rest::serve`). Around it this server adds what real clients — kubectl and Helm's Go
//! client — ask of an API server over HTTP/1.1:
//!
//! - the protobuf bodies (`application/vnd.kubernetes.protobuf`) Helm's typed client sends for
//!   its release Secrets and ConfigMaps (`kube::protobuf::decode`);
//! - watches: `?watch=true` from a `resourceVersion`, or the current objects first, and the
//!   WatchList form client-go uses (`sendInitialEvents=true`: the current objects as `ADDED`,
//!   then a `BOOKMARK` annotated `k8s.io/initial-events-end`), streamed as chunked JSON lines
//!   until `timeoutSeconds`, from an event log the server derives from the store after every
//!   write;
//! - aggregated discovery with its response media type (client-go tells the two discovery
//!   formats apart by it), `meta.k8s.io/v1` `Table`s for `kubectl get`, the OpenAPI v3
//!   documents kubectl and Helm read to learn that PATCH takes `fieldValidation`;
//! - `201 Created` for a server-side apply that creates;
//! - slow hooks: a Job or Pod annotated `chartlab.test/complete-after: "N"` stays in progress
//!   for N seconds before the simulated kubelet's outcome shows, so waits really wait.
//!
//! Every request is logged (method, path, content type, accept, user agent, decoded body) for
//! the tests to compare with the request log of real Helm in ../shared/release-fixtures/.
//!
//! The store lives on one thread (the simulated cluster is not `Send`); connection threads
//! hand it requests over a channel. Everything listens on 127.0.0.1 only and stops when the
//! server is dropped.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chartlab::kube::cluster::{Cluster, Request};
use chartlab::kube::object::{self, GroupVersionResource};
use chartlab::kube::protobuf;
use chartlab::kube::resources::Registry;
use chartlab::kube::rest::{self, HttpRequest};
use chartlab::kube::selector::{FieldSelector, Selector};
use chartlab::kube::sim::{ClusterState, SimCluster, SplitMix64};
use chartlab::kube::time::Time;
use serde_json::{json, Value};

/// The annotation that keeps a Job or Pod in progress for some seconds.
pub const COMPLETE_AFTER: &str = "chartlab.test/complete-after";
/// The longest a watch stays open.
const MAX_WATCH: Duration = Duration::from_secs(60);
const MAX_BODY: usize = 64 << 20;
const MAX_EVENTS: usize = 20_000;

/// One logged request.
#[derive(Clone, Debug)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub content_type: Option<String>,
    pub accept: String,
    pub user_agent: String,
    /// The body as JSON (protobuf bodies decoded); `None` for no or unreadable bodies.
    pub body: Option<Value>,
    /// A step marker set by the test (`ApiServer::mark`), not a request.
    pub marker: Option<String>,
}

impl Logged {
    /// The `fieldManager` query parameter.
    pub fn field_manager(&self) -> Option<String> {
        let q = self.path.split_once('?')?.1;
        q.split('&')
            .find_map(|kv| kv.strip_prefix("fieldManager=").map(rest::query_unescape))
    }
    /// The path without its query.
    pub fn bare_path(&self) -> &str {
        self.path.split('?').next().unwrap_or("")
    }
    pub fn is_watch(&self) -> bool {
        self.path.contains("watch=true") || self.path.contains("watch=1")
    }
}

struct Incoming {
    method: String,
    path: String,
    content_type: Option<String>,
    accept: String,
    user_agent: String,
    body: Vec<u8>,
}

struct Outgoing {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

/// What a watch selects.
#[derive(Clone)]
struct WatchFilter {
    /// `group/plural/` (`core` for the core group).
    prefix: String,
    namespace: Option<String>,
    labels: Selector,
    fields: FieldSelector,
}

impl WatchFilter {
    fn matches(&self, key: &str, obj: &Value) -> bool {
        key.starts_with(&self.prefix)
            && self
                .namespace
                .as_deref()
                .map(|ns| object::namespace(obj) == ns)
                .unwrap_or(true)
            && self.labels.matches(&object::labels(obj))
            && self.fields.matches(obj)
    }
}

/// Watch events after a resource version (rv, type, object), and the newest rv.
type EventBatch = (Vec<(u64, String, Value)>, u64);

enum Job {
    Http(Incoming, Sender<Outgoing>),
    /// The objects a watch starts with, and the resource version they are at.
    Initial(WatchFilter, Sender<(Vec<Value>, u64)>),
    /// Events after a resource version: (rv, type, object), and the newest rv.
    Events(WatchFilter, u64, Sender<EventBatch>),
    State(Sender<String>),
    Mark(String),
}

fn system_now() -> Time {
    Time(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    )
}

/// The store thread: the simulated cluster, its event log, the pending slow completions.
struct Store {
    sim: Option<SimCluster>,
    seed: u64,
    /// Store key → (resourceVersion, object) as of the last write.
    last: BTreeMap<String, (String, Value)>,
    events: Vec<(u64, String, String, Value)>,
    /// (when, store key, the status to restore).
    pending: Vec<(Instant, String, Value)>,
    log: Arc<Mutex<Vec<Logged>>>,
}

impl Store {
    fn sim(&mut self) -> &mut SimCluster {
        if self.sim.is_none() {
            self.seed += 1;
            self.sim = Some(SimCluster::new(
                Box::new(system_now as fn() -> Time),
                Box::new(SplitMix64(self.seed)),
            ));
        }
        self.sim.as_mut().expect("present")
    }

    fn state(&mut self) -> &ClusterState {
        self.sim().state()
    }

    /// Changes the stored objects directly (status updates the simulated controllers do not
    /// make), bumping their resource version.
    fn edit(&mut self, f: impl FnOnce(&mut ClusterState)) {
        let sim = self.sim.take().expect("present");
        let mut st = sim.into_state();
        f(&mut st);
        self.seed += 1;
        self.sim = Some(SimCluster::from_state(
            st,
            Box::new(system_now as fn() -> Time),
            Box::new(SplitMix64(self.seed.wrapping_mul(0x9E37_79B9))),
        ));
    }

    /// Appends the events of what changed since the last look.
    fn record_events(&mut self) {
        let rv_now = self.state().resource_version;
        let objects = self.state().objects.clone();
        let mut events = Vec::new();
        for (k, v) in &objects {
            let rv = object::resource_version(v).to_string();
            match self.last.get(k) {
                None => events.push((rv.parse().unwrap_or(rv_now), "ADDED", k.clone(), v.clone())),
                Some((old, _)) if *old != rv => events.push((
                    rv.parse().unwrap_or(rv_now),
                    "MODIFIED",
                    k.clone(),
                    v.clone(),
                )),
                _ => {}
            }
        }
        for (k, (_, v)) in &self.last {
            if !objects.contains_key(k) {
                let mut v = v.clone();
                object::ensure_map(&mut v, &["metadata"])
                    .insert("resourceVersion".into(), json!(rv_now.to_string()));
                events.push((rv_now, "DELETED", k.clone(), v));
            }
        }
        events.sort_by_key(|e| e.0);
        for (rv, t, k, v) in events {
            self.events.push((rv, t.to_string(), k, v));
        }
        if self.events.len() > MAX_EVENTS {
            self.events.drain(..MAX_EVENTS / 4);
        }
        self.last = objects
            .into_iter()
            .map(|(k, v)| (k, (object::resource_version(&v).to_string(), v)))
            .collect();
    }

    /// Holds slow Jobs and Pods in progress and schedules their real outcome.
    fn hold_slow(&mut self, since: &BTreeMap<String, (String, Value)>) {
        let mut held = Vec::new();
        for (k, v) in &self.state().objects {
            if since.contains_key(k) {
                continue;
            }
            let kind = object::kind(v);
            if kind != "Job" && kind != "Pod" {
                continue;
            }
            let Some(secs) = object::annotations(v)
                .get(COMPLETE_AFTER)
                .and_then(|s| s.parse::<u64>().ok())
            else {
                continue;
            };
            held.push((k.clone(), kind.to_string(), secs.min(120)));
        }
        if held.is_empty() {
            return;
        }
        let now = Instant::now();
        let mut pending = Vec::new();
        self.edit(|st| {
            for (k, kind, secs) in &held {
                let Some(obj) = st.objects.get_mut(k) else {
                    continue;
                };
                let done = obj.get("status").cloned().unwrap_or(json!({}));
                let running = if kind == "Job" {
                    json!({"active": 1, "ready": 0, "startTime": system_now().rfc3339()})
                } else {
                    json!({"phase": "Running", "startTime": system_now().rfc3339()})
                };
                if let Value::Object(m) = obj {
                    m.insert("status".into(), running);
                }
                st.resource_version += 1;
                object::ensure_map(obj, &["metadata"]).insert(
                    "resourceVersion".into(),
                    json!(st.resource_version.to_string()),
                );
                pending.push((now + Duration::from_secs(*secs), k.clone(), done));
            }
        });
        self.pending.extend(pending);
    }

    /// Restores the outcome of slow Jobs and Pods whose time has come.
    fn release_due(&mut self) {
        let now = Instant::now();
        let (due, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|(t, _, _)| *t <= now);
        self.pending = rest;
        if due.is_empty() {
            return;
        }
        self.edit(|st| {
            for (_, k, status) in due {
                if let Some(obj) = st.objects.get_mut(&k) {
                    if let Value::Object(m) = obj {
                        m.insert("status".into(), status);
                    }
                    st.resource_version += 1;
                    object::ensure_map(obj, &["metadata"]).insert(
                        "resourceVersion".into(),
                        json!(st.resource_version.to_string()),
                    );
                }
            }
        });
        self.record_events();
    }

    fn log_request(&self, inc: &Incoming, body: Option<Value>) {
        if let Ok(mut l) = self.log.lock() {
            l.push(Logged {
                method: inc.method.clone(),
                path: inc.path.clone(),
                content_type: inc.content_type.clone(),
                accept: inc.accept.clone(),
                user_agent: inc.user_agent.clone(),
                body,
                marker: None,
            });
        }
    }

    fn handle(&mut self, inc: Incoming) -> Outgoing {
        let ct = inc.content_type.clone().unwrap_or_default();
        let body_text: Result<Option<String>, String> = if inc.body.is_empty() {
            Ok(None)
        } else if ct.starts_with(protobuf::MEDIA_TYPE) {
            protobuf::decode(&inc.body).map(|v| Some(v.to_string()))
        } else {
            Ok(Some(String::from_utf8_lossy(&inc.body).into_owned()))
        };
        let logged_body = body_text
            .as_ref()
            .ok()
            .and_then(|b| b.as_deref())
            .and_then(|b| serde_json::from_str(b).ok());
        if !inc.path.starts_with("/watch-only") {
            self.log_request(&inc, logged_body);
        }
        let path = inc.path.split('?').next().unwrap_or("").to_string();
        match path.as_str() {
            "/healthz" | "/livez" | "/readyz" => return text(200, "ok"),
            "/openapi/v2" => {
                return json_out(
                    404,
                    &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": "the server could not find the requested resource", "reason": "NotFound", "code": 404}),
                )
            }
            _ => {}
        }
        if let Some(rest_path) = path.strip_prefix("/openapi/v3") {
            return self.openapi(rest_path);
        }
        let body_text = match body_text {
            Ok(b) => b,
            Err(e) => {
                return json_out(
                    400,
                    &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": e, "reason": "BadRequest", "code": 400}),
                )
            }
        };
        let http = HttpRequest {
            method: inc.method.clone(),
            path: inc.path.clone(),
            content_type: inc.content_type.as_ref().map(|c| {
                if c.starts_with(protobuf::MEDIA_TYPE) {
                    "application/json".to_string()
                } else {
                    c.clone()
                }
            }),
            accept: inc.accept.clone(),
            body: body_text,
        };
        let parsed = rest::parse_request(&http);
        let existed = match &parsed {
            Ok(Request::Apply {
                gvr,
                namespace,
                name,
                ..
            }) => self.sim().get(gvr, namespace, name).is_ok(),
            _ => true,
        };
        let before = self.last.clone();
        let mut resp = rest::serve(self.sim(), &http);
        if inc.method != "GET" {
            self.hold_slow(&before);
            self.record_events();
        }
        if !existed && resp.status == 200 {
            if let Ok(Request::Apply { options, .. }) = &parsed {
                if !options.dry_run {
                    resp.status = 201;
                }
            }
        }
        // client-go tells aggregated discovery from the legacy documents by the media type
        if inc.accept.contains("as=APIGroupDiscoveryList")
            && (path == "/api" || path == "/apis")
            && resp.status == 200
        {
            resp.content_type =
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList".into();
        }
        if inc.accept.contains("as=Table") && resp.status == 200 {
            if let Ok(Request::Get { gvr, .. } | Request::List { gvr, .. }) = &parsed {
                let reg: Registry = self.sim().resource_registry();
                if let Some(info) = reg.for_gvr(gvr).cloned() {
                    let v: Value = serde_json::from_str(&resp.body).unwrap_or(Value::Null);
                    let objs: Vec<Value> = match v.get("items") {
                        Some(Value::Array(items)) => items.clone(),
                        _ => vec![v.clone()],
                    };
                    let t = chartlab::kube::printers::table_for(&info, &objs, system_now(), true);
                    let cols: Vec<Value> = t
                        .columns
                        .iter()
                        .map(|c| json!({"name": c.name, "type": "string",
                            "format": if c.is_name { "name" } else { "" }, "description": "", "priority": c.priority}))
                        .collect();
                    let rows: Vec<Value> = t
                        .rows
                        .iter()
                        .zip(&objs)
                        .map(|(r, o)| {
                            json!({"cells": r.cells, "object": {"kind": "PartialObjectMetadata",
                            "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}})
                        })
                        .collect();
                    let rv = v
                        .get("metadata")
                        .and_then(|m| m.get("resourceVersion"))
                        .cloned()
                        .unwrap_or(json!(""));
                    resp.body = json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1",
                        "metadata": {"resourceVersion": rv}, "columnDefinitions": cols, "rows": rows})
                    .to_string();
                }
            }
        }
        Outgoing {
            status: resp.status,
            content_type: resp.content_type,
            body: resp.body.into_bytes(),
        }
    }

    /// `/openapi/v3` and its group-version documents: every path of every resource, with
    /// the query parameters writes take (what kubectl's and Helm's `fieldValidation`
    /// detection reads), and one schema per kind that accepts any object.
    fn openapi(&mut self, rest_path: &str) -> Outgoing {
        let reg = self.sim().resource_registry();
        let gvs = reg.group_versions();
        let rel = rest_path.trim_matches('/');
        if rel.is_empty() {
            let mut paths = serde_json::Map::new();
            for gv in &gvs {
                let p = gv.path_prefix().trim_start_matches('/').to_string();
                let hash = format!("{:016X}", fnv(&p));
                paths.insert(
                    p.clone(),
                    json!({"serverRelativeURL": format!("/openapi/v3/{p}?hash={hash}")}),
                );
            }
            return json_out(200, &json!({"paths": paths}));
        }
        let Some(gv) = gvs
            .iter()
            .find(|gv| gv.path_prefix().trim_start_matches('/') == rel)
        else {
            return json_out(
                404,
                &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": "the server could not find the requested resource", "reason": "NotFound", "code": 404}),
            );
        };
        let params = json!([
            {"name": "dryRun", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
            {"name": "fieldManager", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
            {"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
            {"name": "force", "in": "query", "schema": {"type": "boolean", "uniqueItems": true}}
        ]);
        let mut paths = serde_json::Map::new();
        let mut schemas = serde_json::Map::new();
        for r in reg
            .resources
            .iter()
            .filter(|r| r.group == gv.group && r.version == gv.version)
        {
            let gvk = json!([{"group": r.group, "kind": r.kind, "version": r.version}]);
            let pkg = if r.group.is_empty() {
                "core".to_string()
            } else {
                r.group.split('.').next().unwrap_or("").to_string()
            };
            schemas.insert(
                format!("io.k8s.api.{pkg}.{}.{}", r.version, r.kind),
                json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true,
                    "x-kubernetes-group-version-kind": gvk}),
            );
            let base = format!(
                "{}{}/{}",
                gv.path_prefix(),
                if r.namespaced {
                    "/namespaces/{namespace}"
                } else {
                    ""
                },
                r.plural
            );
            let op = json!({"x-kubernetes-group-version-kind": gvk[0], "parameters": params,
                "responses": {"200": {"description": "OK"}}});
            paths.insert(base.clone(), json!({"post": op, "get": op}));
            paths.insert(
                format!("{base}/{{name}}"),
                json!({"put": op, "patch": op, "get": op, "delete": op}),
            );
        }
        json_out(
            200,
            &json!({"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": chartlab::kube::resources::KUBE_VERSION},
                "paths": paths, "components": {"schemas": schemas}}),
        )
    }

    fn initial(&mut self, f: &WatchFilter) -> (Vec<Value>, u64) {
        let st = self.state();
        let items = st
            .objects
            .iter()
            .filter(|(k, v)| f.matches(k, v))
            .map(|(_, v)| v.clone())
            .collect();
        (items, st.resource_version)
    }

    fn events_after(&mut self, f: &WatchFilter, rv: u64) -> EventBatch {
        let now = self.state().resource_version;
        let evs = self
            .events
            .iter()
            .filter(|(r, _, k, v)| *r > rv && f.matches(k, v))
            .map(|(r, t, _, v)| (*r, t.clone(), v.clone()))
            .collect();
        (evs, now)
    }
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

fn json_out(status: u16, v: &Value) -> Outgoing {
    Outgoing {
        status,
        content_type: "application/json".into(),
        body: v.to_string().into_bytes(),
    }
}

fn text(status: u16, s: &str) -> Outgoing {
    Outgoing {
        status,
        content_type: "text/plain; charset=utf-8".into(),
        body: s.as_bytes().to_vec(),
    }
}

fn store_thread(jobs: Receiver<Job>, log: Arc<Mutex<Vec<Logged>>>, stop: Arc<AtomicBool>) {
    let mut store = Store {
        sim: None,
        seed: 1,
        last: BTreeMap::new(),
        events: Vec::new(),
        pending: Vec::new(),
        log,
    };
    store.sim();
    store.record_events();
    store.events.clear();
    while !stop.load(Ordering::Relaxed) {
        let job = match jobs.recv_timeout(Duration::from_millis(50)) {
            Ok(j) => j,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                store.release_due();
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        store.release_due();
        match job {
            Job::Http(inc, reply) => {
                let _ = reply.send(store.handle(inc));
            }
            Job::Initial(f, reply) => {
                let _ = reply.send(store.initial(&f));
            }
            Job::Events(f, rv, reply) => {
                let _ = reply.send(store.events_after(&f, rv));
            }
            Job::State(reply) => {
                let _ = reply.send(store.state().to_json());
            }
            Job::Mark(step) => {
                if let Ok(mut l) = store.log.lock() {
                    l.push(Logged {
                        method: String::new(),
                        path: String::new(),
                        content_type: None,
                        accept: String::new(),
                        user_agent: String::new(),
                        body: None,
                        marker: Some(step),
                    });
                }
            }
        }
    }
}

// ----- HTTP/1.1 ---------------------------------------------------------------------------------

fn read_line(r: &mut BufReader<TcpStream>) -> Option<String> {
    let mut buf = Vec::new();
    let n = r.by_ref().take(64 << 10).read_until(b'\n', &mut buf).ok()?;
    if n == 0 {
        return None;
    }
    Some(String::from_utf8_lossy(&buf).trim_end().to_string())
}

/// Reads one request; `None` at the end of the connection or on malformed input.
fn read_request(r: &mut BufReader<TcpStream>) -> Option<(Incoming, bool)> {
    let first = read_line(r)?;
    let mut parts = first.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let proto = parts.next().unwrap_or("HTTP/1.1");
    let mut close = proto == "HTTP/1.0";
    let (mut ct, mut accept, mut ua, mut len, mut chunked) =
        (None, String::new(), String::new(), 0usize, false);
    for _ in 0..200 {
        let h = read_line(r)?;
        if h.is_empty() {
            break;
        }
        let Some((k, v)) = h.split_once(':') else {
            continue;
        };
        let v = v.trim().to_string();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => ct = Some(v),
            "accept" => accept = v,
            "user-agent" => ua = v,
            "content-length" => len = v.parse().unwrap_or(0),
            "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
            "connection" => close = v.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let size = usize::from_str_radix(read_line(r)?.split(';').next()?.trim(), 16).ok()?;
            if size == 0 {
                while !read_line(r)?.is_empty() {}
                break;
            }
            if body.len() + size > MAX_BODY {
                return None;
            }
            let at = body.len();
            body.resize(at + size, 0);
            r.read_exact(&mut body[at..]).ok()?;
            read_line(r)?;
        }
    } else if len > 0 {
        if len > MAX_BODY {
            return None;
        }
        body.resize(len, 0);
        r.read_exact(&mut body).ok()?;
    }
    Some((
        Incoming {
            method,
            path,
            content_type: ct,
            accept,
            user_agent: ua,
            body,
        },
        close,
    ))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        410 => "Gone",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        _ => "Status",
    }
}

fn write_response(s: &mut TcpStream, out: &Outgoing) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache, private\r\n\r\n",
        out.status,
        reason(out.status),
        out.content_type,
        out.body.len()
    );
    // one write: a head and a body in two small segments would wait for a delayed ACK
    let mut buf = head.into_bytes();
    buf.extend_from_slice(&out.body);
    s.write_all(&buf)?;
    s.flush()
}

fn write_chunk(s: &mut TcpStream, data: &[u8]) -> std::io::Result<()> {
    let mut buf = format!("{:x}\r\n", data.len()).into_bytes();
    buf.extend_from_slice(data);
    buf.extend_from_slice(b"\r\n");
    s.write_all(&buf)?;
    s.flush()
}

fn query(path: &str) -> BTreeMap<String, String> {
    path.split_once('?')
        .map(|(_, q)| {
            q.split('&')
                .filter_map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    (!k.is_empty()).then(|| (rest::query_unescape(k), rest::query_unescape(v)))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Streams a watch: the initial objects (for no/zero resourceVersion or WatchList), the
/// initial-events-end bookmark (WatchList), then the events until the timeout.
fn serve_watch(
    s: &mut TcpStream,
    inc: &Incoming,
    jobs: &Sender<Job>,
    log: &Arc<Mutex<Vec<Logged>>>,
    stop: &Arc<AtomicBool>,
) -> std::io::Result<()> {
    if let Ok(mut l) = log.lock() {
        l.push(Logged {
            method: inc.method.clone(),
            path: inc.path.clone(),
            content_type: inc.content_type.clone(),
            accept: inc.accept.clone(),
            user_agent: inc.user_agent.clone(),
            body: None,
            marker: None,
        });
    }
    let q = query(&inc.path);
    let probe = HttpRequest {
        method: "GET".into(),
        path: inc.path.split('?').next().unwrap_or("").to_string(),
        content_type: None,
        accept: String::new(),
        body: None,
    };
    let filter = match rest::parse_request(&probe) {
        Ok(Request::List { gvr, namespace, .. }) => {
            let labels = Selector::parse(q.get("labelSelector").map(String::as_str).unwrap_or(""));
            let fields =
                FieldSelector::parse(q.get("fieldSelector").map(String::as_str).unwrap_or(""));
            match (labels, fields) {
                (Ok(labels), Ok(fields)) => Some((gvr, namespace, labels, fields)),
                _ => None,
            }
        }
        _ => None,
    };
    let Some((gvr, namespace, labels, fields)) = filter else {
        let out = json_out(
            400,
            &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "invalid watch request", "reason": "BadRequest", "code": 400}),
        );
        return write_response(s, &out);
    };
    let gvr: GroupVersionResource = gvr;
    let f = WatchFilter {
        prefix: format!(
            "{}/{}/",
            if gvr.group.is_empty() {
                "core"
            } else {
                &gvr.group
            },
            gvr.resource
        ),
        namespace,
        labels,
        fields,
    };
    let timeout = q
        .get("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(MAX_WATCH)
        .min(MAX_WATCH);
    let deadline = Instant::now() + timeout;
    s.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache, private\r\n\r\n",
    )?;
    s.flush()?;
    let rv_param = q.get("resourceVersion").cloned().unwrap_or_default();
    let watch_list = q.get("sendInitialEvents").map(String::as_str) == Some("true");
    let mut since: u64 = rv_param.parse().unwrap_or(0);
    if watch_list || rv_param.is_empty() || rv_param == "0" {
        let (tx, rx) = mpsc::channel();
        if jobs.send(Job::Initial(f.clone(), tx)).is_err() {
            return Ok(());
        }
        let Ok((items, rv)) = rx.recv() else {
            return Ok(());
        };
        for it in items {
            write_chunk(
                s,
                format!("{}\n", json!({"type": "ADDED", "object": it})).as_bytes(),
            )?;
        }
        since = rv;
        if watch_list {
            let gvk_obj = json!({"kind": "", "apiVersion": "", "metadata": {"resourceVersion": rv.to_string(),
                "annotations": {"k8s.io/initial-events-end": "true"}}});
            write_chunk(
                s,
                format!("{}\n", json!({"type": "BOOKMARK", "object": gvk_obj})).as_bytes(),
            )?;
        }
    }
    while Instant::now() < deadline && !stop.load(Ordering::Relaxed) {
        let (tx, rx) = mpsc::channel();
        if jobs.send(Job::Events(f.clone(), since, tx)).is_err() {
            break;
        }
        let Ok((evs, now)) = rx.recv() else {
            break;
        };
        for (rv, t, obj) in evs {
            write_chunk(
                s,
                format!("{}\n", json!({"type": t, "object": obj})).as_bytes(),
            )?;
            since = since.max(rv);
        }
        since = since.max(now);
        std::thread::sleep(Duration::from_millis(40));
    }
    s.write_all(b"0\r\n\r\n")?;
    s.flush()
}

fn serve_connection(
    stream: TcpStream,
    jobs: Sender<Job>,
    log: Arc<Mutex<Vec<Logged>>>,
    stop: Arc<AtomicBool>,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
    let _ = stream.set_nodelay(true);
    let Ok(mut w) = stream.try_clone() else {
        return;
    };
    let mut r = BufReader::new(stream);
    for _ in 0..100_000 {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let Some((inc, close)) = read_request(&mut r) else {
            return;
        };
        let q = query(&inc.path);
        let watch =
            inc.method == "GET" && matches!(q.get("watch").map(String::as_str), Some("true" | "1"));
        let res = if watch {
            serve_watch(&mut w, &inc, &jobs, &log, &stop)
        } else {
            let (tx, rx) = mpsc::channel();
            if jobs.send(Job::Http(inc, tx)).is_err() {
                return;
            }
            match rx.recv() {
                Ok(out) => write_response(&mut w, &out),
                Err(_) => return,
            }
        };
        if res.is_err() || close {
            return;
        }
    }
}

/// The running test server.
pub struct ApiServer {
    pub port: u16,
    jobs: Sender<Job>,
    log: Arc<Mutex<Vec<Logged>>>,
    stop: Arc<AtomicBool>,
    dir: PathBuf,
}

impl ApiServer {
    /// Starts a server with a fresh cluster on a free port of 127.0.0.1.
    pub fn start() -> ApiServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let (tx, rx) = mpsc::channel::<Job>();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let (log, stop) = (log.clone(), stop.clone());
            std::thread::spawn(move || store_thread(rx, log, stop));
        }
        {
            let (tx, log, stop) = (tx.clone(), log.clone(), stop.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (tx, log, stop) = (tx.clone(), log.clone(), stop.clone());
                    std::thread::spawn(move || serve_connection(conn, tx, log, stop));
                }
            });
        }
        let dir =
            std::env::temp_dir().join(format!("chartlab-apiserver-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        ApiServer {
            port,
            jobs: tx,
            log,
            stop,
            dir,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A scratch directory for this server's kubeconfig, HOME and files; removed on drop.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A kubeconfig pointing at this server (plain HTTP, a token as kubectl proxy would
    /// add), namespace `namespace`.
    pub fn kubeconfig_text(&self, namespace: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: {}\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: test\n    namespace: {namespace}\ncurrent-context: test\nusers:\n- name: test\n  user:\n    token: test-token\n",
            self.url()
        )
    }

    pub fn kubeconfig(&self) -> PathBuf {
        let p = self.dir.join("kubeconfig");
        std::fs::write(&p, self.kubeconfig_text("default")).expect("write kubeconfig");
        p
    }

    /// The requests so far.
    pub fn requests(&self) -> Vec<Logged> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn clear_requests(&self) {
        if let Ok(mut l) = self.log.lock() {
            l.clear();
        }
    }

    /// Puts a step marker into the request log.
    pub fn mark(&self, step: &str) {
        let _ = self.jobs.send(Job::Mark(step.to_string()));
        // let the marker land before the next request
        let _ = self.state();
    }

    /// The cluster state as JSON.
    pub fn state(&self) -> ClusterState {
        let (tx, rx) = mpsc::channel();
        self.jobs.send(Job::State(tx)).expect("store running");
        ClusterState::from_json(&rx.recv().expect("state")).expect("state json")
    }

    /// The stored objects of one resource (`core/secrets`, `batch/jobs`) in a namespace.
    pub fn objects(&self, group_plural: &str, namespace: &str) -> Vec<Value> {
        let prefix = format!("{group_plural}/{namespace}/");
        self.state()
            .objects
            .into_iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v)
            .collect()
    }

    /// Runs the real kubectl against this server; (stdout, stderr, exit code).
    pub fn kubectl(&self, args: &[&str]) -> (String, String, i32) {
        let cfg = self.kubeconfig();
        let out = Command::new(KUBECTL)
            .arg(format!("--kubeconfig={}", cfg.display()))
            .args(args)
            .env("HOME", &self.dir)
            .env("TZ", "UTC")
            .output()
            .expect("run kubectl");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        )
    }

    /// Starts `kubectl proxy` in front of this server (optionally serving `www` under
    /// `prefix`, like `--www=dist --www-prefix=/chartlab/`).
    pub fn proxy(&self, www: Option<(&Path, &str)>) -> Proxy {
        let cfg = self.kubeconfig();
        let mut cmd = Command::new(KUBECTL);
        cmd.arg(format!("--kubeconfig={}", cfg.display()))
            .args(["proxy", "--port=0", "--address=127.0.0.1"])
            .env("HOME", &self.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some((dir, prefix)) = www {
            cmd.arg(format!("--www={}", dir.display()))
                .arg(format!("--www-prefix={prefix}"));
        }
        let mut child = cmd.spawn().expect("start kubectl proxy");
        let stdout = child.stdout.take().expect("proxy stdout");
        let mut r = BufReader::new(stdout);
        let mut line = String::new();
        let _ = r.read_line(&mut line);
        // "Starting to serve on 127.0.0.1:PORT"
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse::<u16>().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kubectl proxy did not start: {line:?}");
        };
        Proxy { child, port }
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // wake the accept loop
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The real kubectl (Debian's package).
pub const KUBECTL: &str = "/usr/bin/kubectl";

/// Whether the real kubectl is installed (scripts/bootstrap.sh installs it).
pub fn have_kubectl() -> bool {
    Path::new(KUBECTL).exists()
}

/// A running `kubectl proxy`, stopped on drop.
pub struct Proxy {
    child: Child,
    pub port: u16,
}

impl Proxy {
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
