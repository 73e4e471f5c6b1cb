//! Connected mode in the browser: when `kubectl proxy --www=<built app> --www-prefix=/chartlab/`
//! serves ChartLab, the Kubernetes API is on the same origin (the proxy sends no CORS headers,
//! so it has to be), and ChartLab can apply what it renders to that cluster.
//!
//! - [`panel::ClusterPanel`]: the connect dialog, the server-side dry-run preview, apply,
//!   history with diffs and rollback — the element ids in [`panel`] are stable for the tests;
//! - [`client::ClusterWorker`]: the page's side of the Web Worker;
//! - [`worker`]: inside the worker (the `chartlab-worker` binary), a synchronous-
//!   `XMLHttpRequest` transport for `kube::http::HttpCluster` and the message dispatcher.
//!
//! Why a worker: the release code (`release::*`, Helm's actions) calls the cluster
//! synchronously, and a page cannot block on HTTP; a dedicated worker may use synchronous
//! XHR, so the same code runs unchanged there (see the module documentation of
//! `crate::kube` for the measurements behind the choice).
//!
//! Safety: nothing is sent to the cluster until the user clicks "Connect…" and confirms;
//! changes need a preview first and apply exactly what was previewed; rollbacks ask again;
//! nothing in a shared link (URL) ever starts a cluster action.

pub mod client;
pub mod panel;
pub mod worker;

/// The API address when the page may be served by `kubectl proxy` (a path below the root of a
/// loopback or other host: the proxy serves `--www` under a prefix, `/static/` by default, and
/// the API at `/`): the page's origin. Sends no request.
pub fn proxy_candidate() -> Option<String> {
    let loc = web_sys::window()?.location();
    let path = loc.pathname().ok()?;
    let origin = loc.origin().ok()?;
    let protocol = loc.protocol().ok()?;
    if protocol != "http:" && protocol != "https:" {
        return None;
    }
    let root = path.trim_start_matches('/').is_empty() || path == "/index.html";
    (!root).then_some(origin)
}
