//! A [`Cluster`] that is a real Kubernetes API server, reached over plain HTTP — in practice
//! through `kubectl proxy`, which adds the credentials (client-go's REST client and Helm's
//! `pkg/kube` over `rest.Config`). Requests are the [`Request`]s the release layer makes,
//! encoded by [`rest::encode_request`] as client-go sends them (Helm's release records as
//! protobuf, like Helm's typed Secret/ConfigMap client; everything else JSON); responses come
//! back through [`rest::decode_response`], so conflicts and validation errors reach the user in
//! the API's own words.
//!
//! The HTTP exchange itself is a [`Transport`]: [`TcpTransport`] here (a small blocking
//! HTTP/1.1 client over `std::net`, native only), and a synchronous `XMLHttpRequest` in a Web
//! Worker for the browser (in `ui`, the only module that may touch browser APIs). See the
//! module documentation of [`crate::kube`] for why the browser runs the release logic in a
//! worker instead of making it asynchronous.
//!
//! On top of the exchange [`HttpCluster`] keeps a log of what it sent (method, path, content
//! type, field manager, status) for the learner and for comparing with Helm's own request
//! log; uses aggregated discovery as Helm v4 does (two requests instead of one per group
//! version), falling back to the legacy documents; reports what writes did ([`Change`]:
//! created, configured, unchanged — told apart by the `resourceVersion`s it has seen — and
//! deleted); and pauses between the checks of a wait.

use std::collections::HashMap;

use serde_json::Value;

use crate::kube::cluster::{
    registry_from_resource_lists, Action, Change, Cluster, DiscoveryPath, Request, WaitProgress,
};
use crate::kube::object::{self, GroupVersion, GroupVersionResource, ObjectRef};
use crate::kube::protobuf;
use crate::kube::resources::{Registry, ResourceInfo};
use crate::kube::rest::{self, query_escape};
use crate::kube::status::ApiError;

/// An HTTP request as sent on the wire (the body may be binary).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireRequest {
    pub method: String,
    /// Path and query, relative to the server's base URL.
    pub path: String,
    pub content_type: Option<String>,
    pub accept: String,
    pub body: Vec<u8>,
}

/// An HTTP response as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireResponse {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Performs HTTP exchanges with one server, synchronously.
pub trait Transport {
    /// One request and its response; `Err` for a failed connection (the text says why).
    fn exchange(&mut self, req: &WireRequest) -> Result<WireResponse, String>;

    /// A monotonic clock in milliseconds (for the request log and waits).
    fn now_ms(&mut self) -> f64;

    /// Lets about `ms` milliseconds pass. `watch_path` is a watch request on what is being
    /// waited for, with `timeoutSeconds` set: a client that cannot sleep (a browser worker
    /// without shared memory) can send it and let the server hold the response that long.
    fn pause(&mut self, ms: u64, watch_path: &str);
}

/// One entry of the request log.
#[derive(Clone, Debug, PartialEq)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub content_type: Option<String>,
    pub accept: String,
    /// The `fieldManager` query parameter of a write.
    pub field_manager: Option<String>,
    /// The response status; 0 when the connection failed.
    pub status: u16,
    /// How long the exchange took.
    pub millis: f64,
}

/// How many entries the request log keeps (the oldest are dropped).
pub const LOG_LIMIT: usize = 5000;
/// How many `resourceVersion`s are remembered to tell `configured` from `unchanged`.
const SEEN_LIMIT: usize = 20_000;
/// The longest single pause of a wait.
pub const PAUSE_MS: u64 = 1000;

/// What [`HttpCluster::set_on_wait`] calls.
pub type OnWait = Box<dyn FnMut(&WaitProgress)>;

/// A Kubernetes API server over a [`Transport`].
pub struct HttpCluster<T: Transport> {
    transport: T,
    log: Vec<LoggedRequest>,
    changes: Vec<Change>,
    /// `group/resource/namespace/name` → the last `resourceVersion` seen.
    seen: HashMap<String, String>,
    on_wait: Option<OnWait>,
}

/// The `fieldManager` of a request path.
fn field_manager_of(path: &str) -> Option<String> {
    let q = path.split_once('?')?.1;
    q.split('&')
        .find_map(|kv| kv.strip_prefix("fieldManager=").map(rest::query_unescape))
}

/// Whether a create/update body is a Helm release record, which Helm's typed client sends as
/// protobuf.
fn is_release_record(body: &Value) -> bool {
    matches!(object::kind(body), "Secret" | "ConfigMap")
        && object::api_version(body) == "v1"
        && object::name(body).starts_with("sh.helm.release.v1.")
        && object::labels(body).get("owner").map(String::as_str) == Some("helm")
}

fn seen_key(gvr: &GroupVersionResource, namespace: &str, name: &str) -> String {
    format!("{}/{}/{namespace}/{name}", gvr.group, gvr.resource)
}

/// The wire form of a request: [`rest::encode_request`], with Helm's release records as
/// protobuf (`application/vnd.kubernetes.protobuf`) like Helm's storage drivers send them.
pub fn wire_request(req: &Request) -> WireRequest {
    let http = rest::encode_request(req);
    let body_obj = match req {
        Request::Create { body, .. } | Request::Update { body, .. } => Some(body),
        _ => None,
    };
    if let Some(pb) = body_obj
        .filter(|b| is_release_record(b))
        .and_then(protobuf::encode)
    {
        return WireRequest {
            method: http.method,
            path: http.path,
            content_type: Some(protobuf::MEDIA_TYPE.into()),
            accept: http.accept,
            body: pb,
        };
    }
    WireRequest {
        method: http.method,
        path: http.path,
        content_type: http.content_type,
        accept: http.accept,
        body: http.body.map(String::into_bytes).unwrap_or_default(),
    }
}

/// The registry from aggregated discovery documents (`apidiscovery.k8s.io/v2`
/// `APIGroupDiscoveryList` of `/api` and `/apis`), in discovery order.
pub fn registry_from_aggregated(docs: &[Value]) -> Registry {
    let mut resources = Vec::new();
    let arr = |v: &Value, k: &str| -> Vec<Value> {
        v.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let strs = |v: &Value, k: &str| -> Vec<String> {
        arr(v, k)
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect()
    };
    for doc in docs {
        for group in arr(doc, "items") {
            let g = object::str_path(&group, &["metadata", "name"]).to_string();
            for ver in arr(&group, "versions") {
                let v = ver.get("version").and_then(Value::as_str).unwrap_or("");
                if v.is_empty() {
                    continue;
                }
                for r in arr(&ver, "resources") {
                    let plural = r.get("resource").and_then(Value::as_str).unwrap_or("");
                    let kind = object::str_path(&r, &["responseKind", "kind"]);
                    if plural.is_empty() || kind.is_empty() {
                        continue;
                    }
                    let subresources: Vec<String> = arr(&r, "subresources")
                        .iter()
                        .filter_map(|s| s.get("subresource").and_then(Value::as_str))
                        .map(String::from)
                        .collect();
                    let singular = match r.get("singularResource").and_then(Value::as_str) {
                        Some(s) if !s.is_empty() => s.to_string(),
                        _ => kind.to_lowercase(),
                    };
                    resources.push(ResourceInfo {
                        group: g.clone(),
                        version: v.to_string(),
                        kind: kind.to_string(),
                        plural: plural.to_string(),
                        singular,
                        namespaced: r.get("scope").and_then(Value::as_str) == Some("Namespaced"),
                        short_names: strs(&r, "shortNames"),
                        categories: strs(&r, "categories"),
                        verbs: strs(&r, "verbs"),
                        has_status: subresources.iter().any(|s| s == "status"),
                        subresources,
                        printer_columns: Vec::new(),
                    });
                }
            }
        }
    }
    Registry { resources }
}

impl<T: Transport> HttpCluster<T> {
    pub fn new(transport: T) -> HttpCluster<T> {
        HttpCluster {
            transport,
            log: Vec::new(),
            changes: Vec::new(),
            seen: HashMap::new(),
            on_wait: None,
        }
    }

    /// Called before every pause of a wait, with what is awaited and for how long (the UI
    /// shows it; the CLI may print it).
    pub fn set_on_wait(&mut self, f: OnWait) {
        self.on_wait = Some(f);
    }

    /// The requests sent so far, oldest first (at most [`LOG_LIMIT`]).
    pub fn log(&self) -> &[LoggedRequest] {
        &self.log
    }

    /// Empties the request log and returns it.
    pub fn take_log(&mut self) -> Vec<LoggedRequest> {
        std::mem::take(&mut self.log)
    }

    pub fn transport(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Sends one wire request, logging it.
    pub fn send(&mut self, req: &WireRequest) -> Result<WireResponse, String> {
        let t0 = self.transport.now_ms();
        let res = self.transport.exchange(req);
        let millis = self.transport.now_ms() - t0;
        if self.log.len() >= LOG_LIMIT {
            self.log.drain(..LOG_LIMIT / 10);
        }
        self.log.push(LoggedRequest {
            method: req.method.clone(),
            path: req.path.clone(),
            content_type: req.content_type.clone(),
            accept: req.accept.clone(),
            field_manager: field_manager_of(&req.path),
            status: res.as_ref().map(|r| r.status).unwrap_or(0),
            millis,
        });
        res
    }

    fn remember(
        &mut self,
        gvr: &GroupVersionResource,
        namespace: &str,
        obj: &Value,
    ) -> Option<String> {
        let rv = object::resource_version(obj);
        if rv.is_empty() {
            return None;
        }
        if self.seen.len() >= SEEN_LIMIT {
            self.seen.clear();
        }
        let ns = if namespace.is_empty() {
            object::namespace(obj)
        } else {
            namespace
        };
        self.seen
            .insert(seen_key(gvr, ns, object::name(obj)), rv.to_string())
    }

    /// Records what a successful call did, as far as a client can tell.
    fn note(&mut self, req: &Request, status: u16, v: &Value) {
        let change =
            |action, gvr: &GroupVersionResource, ns: &str, name: &str, kind: &str| Change {
                action,
                object: ObjectRef {
                    gvr: gvr.clone(),
                    kind: kind.to_string(),
                    namespace: ns.to_string(),
                    name: name.to_string(),
                },
                rollout: None,
                cascade: Vec::new(),
            };
        match req {
            Request::Get { gvr, namespace, .. } => {
                self.remember(gvr, namespace, v);
            }
            Request::List { gvr, .. } => {
                for it in v
                    .get("items")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
                {
                    self.remember(gvr, "", &it);
                }
            }
            Request::Create {
                gvr,
                namespace,
                options,
                ..
            } if !options.dry_run => {
                self.remember(gvr, namespace, v);
                let c = change(
                    Action::Created,
                    gvr,
                    object::namespace(v),
                    object::name(v),
                    object::kind(v),
                );
                self.changes.push(c);
            }
            Request::Update {
                gvr,
                namespace,
                options,
                ..
            } if !options.dry_run => {
                let before = self.remember(gvr, namespace, v);
                let action = if before.as_deref() == Some(object::resource_version(v)) {
                    Action::Unchanged
                } else {
                    Action::Configured
                };
                let c = change(
                    action,
                    gvr,
                    object::namespace(v),
                    object::name(v),
                    object::kind(v),
                );
                self.changes.push(c);
            }
            Request::Apply {
                gvr,
                namespace,
                options,
                ..
            } if !options.dry_run => {
                let before = self.remember(gvr, namespace, v);
                let action = if status == 201 {
                    Action::Created
                } else if before.as_deref() == Some(object::resource_version(v)) {
                    Action::Unchanged
                } else {
                    Action::Configured
                };
                let c = change(
                    action,
                    gvr,
                    object::namespace(v),
                    object::name(v),
                    object::kind(v),
                );
                self.changes.push(c);
            }
            Request::Delete {
                gvr,
                namespace,
                name,
                options,
            } if !options.dry_run => {
                self.seen.remove(&seen_key(gvr, namespace, name));
                let kind = match object::kind(v) {
                    "Status" | "" => v
                        .get("details")
                        .and_then(|d| d.get("kind"))
                        .and_then(Value::as_str)
                        .unwrap_or(&gvr.resource)
                        .to_string(),
                    k => k.to_string(),
                };
                let c = change(Action::Deleted, gvr, namespace, name, &kind);
                self.changes.push(c);
            }
            _ => {}
        }
    }

    /// Discovery the way Helm v4 does it: the aggregated documents of `/api` and `/apis`.
    fn aggregated_registry(&mut self) -> Option<Registry> {
        let mut docs = Vec::new();
        for core in [true, false] {
            let v = self
                .call(Request::Discovery(DiscoveryPath::Aggregated { core }))
                .ok()?;
            if v.get("kind").and_then(Value::as_str) != Some("APIGroupDiscoveryList") {
                return None;
            }
            docs.push(v);
        }
        let reg = registry_from_aggregated(&docs);
        (!reg.resources.is_empty()).then_some(reg)
    }

    /// Discovery through the legacy documents (`/api/v1`, `/apis`, `/apis/G/V`), preferred
    /// versions first.
    fn legacy_registry(&mut self) -> Result<Registry, ApiError> {
        let mut lists = Vec::new();
        let core = self.call(Request::Discovery(DiscoveryPath::GroupVersion(
            GroupVersion::new("", "v1"),
        )))?;
        lists.push(core);
        let apis = self.call(Request::Discovery(DiscoveryPath::Apis))?;
        let groups = apis
            .get("groups")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for g in groups {
            for v in g
                .get("versions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
            {
                let Ok(gv) = GroupVersion::parse(
                    v.get("groupVersion").and_then(Value::as_str).unwrap_or(""),
                ) else {
                    continue;
                };
                if let Ok(list) = self.call(Request::Discovery(DiscoveryPath::GroupVersion(gv))) {
                    lists.push(list);
                }
            }
        }
        Ok(registry_from_resource_lists(&lists))
    }
}

impl<T: Transport> Cluster for HttpCluster<T> {
    fn call(&mut self, req: Request) -> Result<Value, ApiError> {
        let wire = wire_request(&req);
        let resp = self.send(&wire).map_err(|e| ApiError {
            code: 503,
            reason: "ServiceUnavailable".into(),
            message: e,
            details: None,
        })?;
        let body = String::from_utf8_lossy(&resp.body);
        let v = rest::decode_response(&req, resp.status, &body)?;
        self.note(&req, resp.status, &v);
        Ok(v)
    }

    fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    fn registry(&mut self) -> Result<Registry, ApiError> {
        match self.aggregated_registry() {
            Some(r) => Ok(r),
            None => self.legacy_registry(),
        }
    }

    fn is_live(&self) -> bool {
        true
    }

    fn wait_for_change(&mut self, progress: &WaitProgress) -> u64 {
        if let Some(f) = self.on_wait.as_mut() {
            f(progress);
        }
        let remaining = progress.timeout_ms.saturating_sub(progress.waited_ms);
        let ms = remaining.clamp(1, PAUSE_MS);
        let secs = ms.div_ceil(1000).max(1);
        let mut base = progress.gvr.group_version().path_prefix();
        if !progress.namespace.is_empty() {
            base.push_str("/namespaces/");
            base.push_str(&progress.namespace);
        }
        let watch_path = format!(
            "{base}/{}?fieldSelector={}&timeoutSeconds={secs}&watch=true",
            progress.gvr.resource,
            query_escape(&format!("metadata.name={}", progress.name))
        );
        let t0 = self.transport.now_ms();
        self.transport.pause(ms, &watch_path);
        let took = (self.transport.now_ms() - t0).max(0.0) as u64;
        took.max(1)
    }
}

// ----- the native transport -------------------------------------------------------------------

/// Where an `http://host:port/prefix` URL points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl {
    pub host: String,
    pub port: u16,
    /// A path prefix without the trailing slash (`""` for the root).
    pub prefix: String,
}

impl BaseUrl {
    /// Parses `http://127.0.0.1:8001`, `localhost:8001`, `http://h:8001/k8s/`. Only plain
    /// HTTP: TLS and credentials are `kubectl proxy`'s business.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let rest = if let Some(r) = url.strip_prefix("http://") {
            r
        } else if url.starts_with("https://") {
            return Err(format!(
                "{url}: only http:// is supported; run `kubectl proxy` and connect to it (it adds TLS and credentials)"
            ));
        } else if url.contains("://") {
            return Err(format!("{url}: not an http:// URL"));
        } else {
            url
        };
        let (hostport, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let (host, port) = if let Some(h) = hostport.strip_prefix('[') {
            let (h, after) = h
                .split_once(']')
                .ok_or_else(|| format!("{url}: unclosed [ in the host"))?;
            (format!("[{h}]"), after.strip_prefix(':').unwrap_or(""))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), p),
                None => (hostport.to_string(), ""),
            }
        };
        if host.is_empty() {
            return Err(format!("{url}: no host"));
        }
        let port = if port.is_empty() {
            80
        } else {
            port.parse::<u16>()
                .map_err(|_| format!("{url}: invalid port {port:?}"))?
        };
        Ok(BaseUrl {
            host,
            port,
            prefix: path.trim_end_matches('/').to_string(),
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::TcpTransport;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::{BaseUrl, Transport, WireRequest, WireResponse};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpStream;
    use std::time::{Duration, Instant};

    /// Largest response body accepted (release lists can be big; this is far beyond them).
    const MAX_BODY: usize = 512 << 20;
    const MAX_HEADER_LINE: usize = 64 << 10;
    const MAX_HEADERS: usize = 200;

    /// A blocking HTTP/1.1 client for one server, keeping one connection alive between
    /// requests.
    pub struct TcpTransport {
        base: BaseUrl,
        conn: Option<BufReader<TcpStream>>,
        start: Instant,
        timeout: Duration,
        user_agent: String,
    }

    fn line(r: &mut BufReader<TcpStream>) -> Result<String, String> {
        let mut buf = Vec::new();
        let n = r
            .by_ref()
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut buf)
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed by the server".into());
        }
        if !buf.ends_with(b"\n") {
            return Err("response header line too long".into());
        }
        Ok(String::from_utf8_lossy(&buf).trim_end().to_string())
    }

    impl TcpTransport {
        /// A transport for `url` (see [`BaseUrl::parse`]); nothing is connected yet.
        pub fn new(url: &str) -> Result<TcpTransport, String> {
            Ok(TcpTransport {
                base: BaseUrl::parse(url)?,
                conn: None,
                start: Instant::now(),
                timeout: Duration::from_secs(120),
                user_agent: format!("chartlab/{}", env!("CARGO_PKG_VERSION")),
            })
        }

        pub fn base(&self) -> &BaseUrl {
            &self.base
        }

        fn connect(&self) -> Result<BufReader<TcpStream>, String> {
            let addr = format!("{}:{}", self.base.host, self.base.port);
            let s = TcpStream::connect(&addr).map_err(|e| format!("dial tcp {addr}: {e}"))?;
            let _ = s.set_read_timeout(Some(self.timeout));
            let _ = s.set_write_timeout(Some(self.timeout));
            let _ = s.set_nodelay(true);
            Ok(BufReader::new(s))
        }

        fn round_trip(
            &self,
            conn: &mut BufReader<TcpStream>,
            req: &WireRequest,
        ) -> Result<(WireResponse, bool), (String, bool)> {
            let mut head = format!(
                "{} {}{} HTTP/1.1\r\nHost: {}:{}\r\nUser-Agent: {}\r\nAccept: {}\r\n",
                req.method,
                self.base.prefix,
                req.path,
                self.base.host,
                self.base.port,
                self.user_agent,
                req.accept
            );
            if let Some(ct) = &req.content_type {
                head.push_str(&format!("Content-Type: {ct}\r\n"));
            }
            if !req.body.is_empty() || matches!(req.method.as_str(), "POST" | "PUT" | "PATCH") {
                head.push_str(&format!("Content-Length: {}\r\n", req.body.len()));
            }
            head.push_str("\r\n");
            let mut out = head.into_bytes();
            out.extend_from_slice(&req.body);
            // failing before any response byte arrived: the connection may just have gone stale
            conn.get_mut()
                .write_all(&out)
                .map_err(|e| (e.to_string(), true))?;
            let status_line = line(conn).map_err(|e| (e, true))?;
            let mut parts = status_line.splitn(3, ' ');
            let proto = parts.next().unwrap_or("");
            let status: u16 = parts
                .next()
                .and_then(|s| s.parse().ok())
                .filter(|_| proto.starts_with("HTTP/1."))
                .ok_or_else(|| (format!("malformed HTTP response {status_line:?}"), false))?;
            let mut content_type = String::new();
            let mut length: Option<usize> = None;
            let mut chunked = false;
            let mut close = proto == "HTTP/1.0";
            for _ in 0..MAX_HEADERS {
                let h = line(conn).map_err(|e| (e, false))?;
                if h.is_empty() {
                    break;
                }
                let Some((k, v)) = h.split_once(':') else {
                    continue;
                };
                let v = v.trim();
                match k.trim().to_ascii_lowercase().as_str() {
                    "content-type" => content_type = v.to_string(),
                    "content-length" => length = v.parse().ok(),
                    "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
                    "connection" => {
                        if v.eq_ignore_ascii_case("close") {
                            close = true;
                        } else if v.eq_ignore_ascii_case("keep-alive") {
                            close = false;
                        }
                    }
                    _ => {}
                }
            }
            let mut body = Vec::new();
            let no_body = req.method == "HEAD" || status == 204 || status == 304;
            if no_body {
            } else if chunked {
                loop {
                    let size_line = line(conn).map_err(|e| (e, false))?;
                    let size =
                        usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
                            .map_err(|_| (format!("bad chunk size {size_line:?}"), false))?;
                    if size == 0 {
                        // trailers until the blank line
                        for _ in 0..MAX_HEADERS {
                            if line(conn).map_err(|e| (e, false))?.is_empty() {
                                break;
                            }
                        }
                        break;
                    }
                    if body.len() + size > MAX_BODY {
                        return Err(("response body too large".into(), false));
                    }
                    let at = body.len();
                    body.resize(at + size, 0);
                    conn.read_exact(&mut body[at..])
                        .map_err(|e| (e.to_string(), false))?;
                    let mut crlf = [0u8; 2];
                    conn.read_exact(&mut crlf)
                        .map_err(|e| (e.to_string(), false))?;
                }
            } else if let Some(n) = length {
                if n > MAX_BODY {
                    return Err(("response body too large".into(), false));
                }
                body.resize(n, 0);
                conn.read_exact(&mut body)
                    .map_err(|e| (e.to_string(), false))?;
            } else {
                close = true;
                conn.by_ref()
                    .take(MAX_BODY as u64)
                    .read_to_end(&mut body)
                    .map_err(|e| (e.to_string(), false))?;
            }
            Ok((
                WireResponse {
                    status,
                    content_type,
                    body,
                },
                close,
            ))
        }
    }

    impl Transport for TcpTransport {
        fn exchange(&mut self, req: &WireRequest) -> Result<WireResponse, String> {
            let reused = self.conn.is_some();
            let mut conn = match self.conn.take() {
                Some(c) => c,
                None => self.connect()?,
            };
            let (resp, close) = match self.round_trip(&mut conn, req) {
                Ok(r) => r,
                Err((_, true)) if reused => {
                    let mut fresh = self.connect()?;
                    let r = self.round_trip(&mut fresh, req).map_err(|(e, _)| e)?;
                    conn = fresh;
                    r
                }
                Err((e, _)) => return Err(e),
            };
            if !close {
                self.conn = Some(conn);
            }
            Ok(resp)
        }

        fn now_ms(&mut self) -> f64 {
            self.start.elapsed().as_secs_f64() * 1000.0
        }

        fn pause(&mut self, ms: u64, _watch_path: &str) {
            std::thread::sleep(Duration::from_millis(ms));
        }
    }
}

/// A cluster at `url` (the address `kubectl proxy` listens on, e.g. `http://127.0.0.1:8001`),
/// checked with `GET /version`.
#[cfg(not(target_arch = "wasm32"))]
pub fn connect(url: &str) -> Result<HttpCluster<TcpTransport>, String> {
    let mut c = HttpCluster::new(TcpTransport::new(url)?);
    c.version()
        .map_err(|e| format!("kubernetes cluster unreachable at {url}: {e}"))?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::cluster::{ApplyOptions, WriteOptions};
    use crate::kube::rest::AGGREGATED_ACCEPT;
    use crate::kube::sim::{SimCluster, SplitMix64};
    use crate::kube::time::{ManualClock, Time};
    use serde_json::json;

    /// A transport answering from a simulated cluster through the REST mapping, protobuf
    /// bodies decoded like the API server does.
    struct SimTransport {
        sim: SimCluster,
        clock: f64,
        paused: Vec<(u64, String)>,
    }

    impl Transport for SimTransport {
        fn exchange(&mut self, req: &WireRequest) -> Result<WireResponse, String> {
            let body = match req.content_type.as_deref() {
                Some(protobuf::MEDIA_TYPE) => Some(protobuf::decode(&req.body)?.to_string()),
                _ if req.body.is_empty() => None,
                _ => Some(String::from_utf8_lossy(&req.body).into_owned()),
            };
            let r = rest::serve(
                &mut self.sim,
                &rest::HttpRequest {
                    method: req.method.clone(),
                    path: req.path.clone(),
                    content_type: req.content_type.as_ref().map(|ct| {
                        if ct == protobuf::MEDIA_TYPE {
                            "application/json".into()
                        } else {
                            ct.clone()
                        }
                    }),
                    accept: req.accept.clone(),
                    body,
                },
            );
            self.clock += 2.0;
            Ok(WireResponse {
                status: r.status,
                content_type: r.content_type,
                body: r.body.into_bytes(),
            })
        }
        fn now_ms(&mut self) -> f64 {
            self.clock
        }
        fn pause(&mut self, ms: u64, watch_path: &str) {
            self.clock += ms as f64;
            self.paused.push((ms, watch_path.to_string()));
        }
    }

    fn cluster() -> HttpCluster<SimTransport> {
        let clock = ManualClock::new(Time(1_795_505_000));
        HttpCluster::new(SimTransport {
            sim: SimCluster::new(Box::new(clock), Box::new(SplitMix64(3))),
            clock: 0.0,
            paused: Vec::new(),
        })
    }

    #[test]
    fn urls() {
        assert_eq!(
            BaseUrl::parse("http://127.0.0.1:8001").unwrap(),
            BaseUrl {
                host: "127.0.0.1".into(),
                port: 8001,
                prefix: String::new()
            }
        );
        assert_eq!(
            BaseUrl::parse("localhost:8001/k8s/").unwrap().prefix,
            "/k8s"
        );
        assert_eq!(BaseUrl::parse("http://[::1]:9/").unwrap().host, "[::1]");
        assert_eq!(BaseUrl::parse("http://h").unwrap().port, 80);
        assert!(BaseUrl::parse("https://h:6443")
            .unwrap_err()
            .contains("kubectl proxy"));
        assert!(BaseUrl::parse("http://h:x").is_err());
        assert!(BaseUrl::parse("http://:80").is_err());
    }

    #[test]
    fn discovery_is_aggregated_and_matches_the_legacy_documents() {
        let mut c = cluster();
        let reg = c.registry().unwrap();
        assert_eq!(c.log().len(), 2);
        assert_eq!(c.log()[0].path, "/api");
        assert_eq!(c.log()[1].accept, AGGREGATED_ACCEPT);
        let legacy = c.legacy_registry().unwrap();
        assert_eq!(reg.resources.len(), legacy.resources.len());
        let d = reg.resolve("deploy").unwrap();
        assert_eq!((d.kind.as_str(), d.namespaced), ("Deployment", true));
        assert!(!reg.resolve("ns").unwrap().namespaced);
    }

    #[test]
    fn release_records_go_as_protobuf_and_writes_are_reported() {
        let mut c = cluster();
        let secrets = GroupVersionResource::new("", "v1", "secrets");
        let record = json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "sh.helm.release.v1.demo.v1", "labels": {"owner": "helm", "name": "demo"}},
            "data": {"release": "SDRzSQ=="}, "type": "helm.sh/release.v1"});
        let made = c
            .create(&secrets, "default", record, &WriteOptions::default())
            .unwrap();
        assert_eq!(made["data"]["release"], "SDRzSQ==");
        let last = c.log().last().unwrap().clone();
        assert_eq!(last.content_type.as_deref(), Some(protobuf::MEDIA_TYPE));
        assert_eq!(last.status, 201);
        // other objects are JSON; apply twice: configured then unchanged
        let cms = GroupVersionResource::new("", "v1", "configmaps");
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "1"}});
        let opts = ApplyOptions {
            field_manager: "helm".into(),
            ..Default::default()
        };
        c.apply(&cms, "default", cm.clone(), &opts).unwrap();
        c.apply(&cms, "default", cm, &opts).unwrap();
        let last = c.log().last().unwrap();
        assert_eq!(last.content_type.as_deref(), Some(rest::APPLY_PATCH_YAML));
        assert_eq!(last.field_manager.as_deref(), Some("helm"));
        let actions: Vec<Action> = c.take_changes().iter().map(|ch| ch.action).collect();
        // the simulated cluster answers 200 to an apply that creates (the API server: 201)
        assert_eq!(
            actions,
            [Action::Created, Action::Configured, Action::Unchanged]
        );
        // errors in the API's words
        let e = c.get(&cms, "default", "nope").unwrap_err();
        assert_eq!(e.to_string(), "configmaps \"nope\" not found");
    }

    #[test]
    fn pauses_name_a_watch_on_the_awaited_object() {
        let mut c = cluster();
        let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let s2 = seen.clone();
        c.set_on_wait(Box::new(move |p| s2.borrow_mut().push(p.describe())));
        let p = WaitProgress {
            gvr: GroupVersionResource::new("batch", "v1", "jobs"),
            kind: "Job".into(),
            namespace: "default".into(),
            name: "demo-db-migrate".into(),
            status: "Job in progress".into(),
            waited_ms: 2000,
            timeout_ms: 300_000,
        };
        assert_eq!(c.wait_for_change(&p), 1000);
        assert_eq!(
            c.transport().paused,
            [(1000, "/apis/batch/v1/namespaces/default/jobs?fieldSelector=metadata.name%3Ddemo-db-migrate&timeoutSeconds=1&watch=true".to_string())]
        );
        assert_eq!(
            seen.borrow().as_slice(),
            ["waiting for Job default/demo-db-migrate: Job in progress (2s of 5m0s)"]
        );
        assert!(c.is_live());
    }

    #[test]
    fn unreachable_servers_are_reported() {
        // a port nobody listens on (bound, then closed)
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let e = connect(&format!("http://127.0.0.1:{port}")).err().unwrap();
        assert!(
            e.starts_with("kubernetes cluster unreachable at http://127.0.0.1:"),
            "{e}"
        );
    }
}
