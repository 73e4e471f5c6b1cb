//! Connected mode: the playground's requests to a real cluster, as JSON messages, so the browser
//! can run them in a Web Worker (over a synchronous `XMLHttpRequest` cluster) and native code
//! and tests can run the very same ones (over `kube::http::TcpTransport`).
//!
//! A [`Session`] holds the cluster and a clock; [`Session::handle`] takes one request object
//! `{"op": …}` and returns `{"ok": true, …}` or `{"ok": false, "error": …}`:
//!
//! | op | fields | answer |
//! | --- | --- | --- |
//! | `info` | — | `version` (the server's `/version`), `namespaces` |
//! | `releases` | `namespace` | `releases`: name, revision, status, chart, updated (every state) |
//! | `history` | `namespace`, `name` | `revisions` (oldest first) and `diffs` between neighbours |
//! | `preview` | `namespace`, `name`, `files`, `values`, `force_conflicts` | `plan` (see `release::preview`) and its `text` |
//! | `apply` | same | what `helm upgrade --install` prints (`stdout`, `stderr`, `error`) |
//! | `rollback` | `namespace`, `name`, `revision` | what `helm rollback` prints |
//! | `uninstall` | `namespace`, `name` | what `helm uninstall` prints |
//! | `test` | `namespace`, `name` | what `helm test` prints |
//!
//! Every request may name the storage `driver` (`secret`, Helm's default, or `configmap`).
//! `files` maps chart paths to their text (`Chart.yaml`, `templates/…`); `values` is a YAML
//! document of user values (`-f values.yaml`). Nothing here runs unless a request asks for it:
//! the UI sends requests only after the user connected and confirmed.

use crate::engine::sort::SliceSort;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{json, Value as J};

use crate::chart::load::{load_files, FileMap};
use crate::engine::{Env, Map};
use crate::kube::cluster::{Cluster, ListOptions};
use crate::kube::object::GroupVersionResource;
use crate::release::action::Configuration;
use crate::release::cli::Format;
use crate::release::commands::{self, Output};
use crate::release::diff::{diff_revisions, explain_diff};
use crate::release::install::Install;
use crate::release::model::Release;
use crate::release::preview;
use crate::release::query::{self, ReleaseTesting};
use crate::release::rollback::Rollback;
use crate::release::storage::DriverKind;
use crate::release::uninstall::Uninstall;
use crate::release::upgrade::Upgrade;

/// Largest chart accepted in one request (files, bytes).
const MAX_FILES: usize = 2000;
const MAX_BYTES: usize = 32 << 20;

/// A connection to one cluster.
pub struct Session {
    cluster: Rc<RefCell<dyn Cluster>>,
    env: Env,
    /// The storage driver (`secret`, Helm's default, or `configmap`).
    pub driver: DriverKind,
}

fn err(msg: impl Into<String>) -> J {
    json!({"ok": false, "error": msg.into()})
}

fn str_field<'a>(req: &'a J, k: &str) -> &'a str {
    req.get(k).and_then(J::as_str).unwrap_or("")
}

fn output(o: Output) -> J {
    json!({"ok": o.error.is_none(), "stdout": o.stdout, "stderr": o.stderr,
        "error": o.error, "terminal": o.terminal()})
}

fn release_summary(r: &Release) -> J {
    let info = r.info.as_ref();
    let (chart, app) = r
        .chart
        .as_ref()
        .and_then(|c| c.metadata.as_ref())
        .map(|m| (format!("{}-{}", m.name, m.version), m.app_version.clone()))
        .unwrap_or_default();
    json!({
        "name": r.name,
        "namespace": r.namespace,
        "revision": r.version,
        "status": r.status().as_str(),
        "description": info.map(|i| i.description.clone()).unwrap_or_default(),
        "chart": chart,
        "app_version": app,
        "updated": info.map(|i| i.last_deployed.secs).unwrap_or(0),
    })
}

/// The chart files a page's request carries under `files` (path → text), refused when there
/// are more than `MAX_FILES` of them or more than `MAX_BYTES` of text; `missing` is the error
/// when the request has none. Shared with the sandbox, which syncs the same payload.
pub(crate) fn request_files<'a>(
    req: &'a J,
    missing: &str,
) -> Result<Vec<(&'a str, &'a str)>, String> {
    let files = req
        .get("files")
        .and_then(J::as_object)
        .ok_or_else(|| missing.to_string())?;
    if files.len() > MAX_FILES {
        return Err(format!("the chart has more than {MAX_FILES} files"));
    }
    let mut out = Vec::with_capacity(files.len());
    let mut total = 0usize;
    for (path, text) in files {
        let t = text.as_str().unwrap_or("");
        total += t.len();
        if total > MAX_BYTES {
            return Err("the chart is too large".into());
        }
        out.push((path.as_str(), t));
    }
    Ok(out)
}

/// The chart of a request's `files`.
fn chart_of(req: &J) -> Result<crate::chart::Chart, String> {
    let mut map = FileMap::new();
    for (path, text) in request_files(req, "the request has no chart files")? {
        map.insert(path.to_string(), text.as_bytes().to_vec());
    }
    load_files(&map)
}

fn values_of(req: &J) -> Result<Map, String> {
    let text = str_field(req, "values");
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    crate::yaml::read_values(text).map_err(|e| format!("failed to parse values: {e}"))
}

impl Session {
    pub fn new(cluster: Rc<RefCell<dyn Cluster>>, env: Env) -> Session {
        Session {
            cluster,
            env,
            driver: DriverKind::Secret,
        }
    }

    fn config(&self, namespace: &str, driver: DriverKind) -> Configuration {
        let ns = if namespace.is_empty() {
            "default"
        } else {
            namespace
        };
        Configuration::new(self.cluster.clone(), ns, driver, self.env.clone())
    }

    /// Answers one request (see the module documentation).
    pub fn handle(&mut self, req: &J) -> J {
        let ns = str_field(req, "namespace");
        let name = str_field(req, "name");
        let driver = match str_field(req, "driver") {
            "" => self.driver,
            d => match DriverKind::parse(d) {
                Ok(k) => k,
                Err(e) => return err(e),
            },
        };
        match str_field(req, "op") {
            "info" => self.info(),
            "releases" => {
                let mut cfg = self.config(ns, driver);
                let list = query::List {
                    all: true,
                    ..Default::default()
                };
                match list.run(&mut cfg) {
                    Ok(rs) => json!({"ok": true,
                        "releases": rs.iter().map(release_summary).collect::<Vec<_>>()}),
                    Err(e) => err(e.message),
                }
            }
            "history" => self.history(ns, name, driver),
            "preview" => {
                let (chart, vals) = match chart_of(req).and_then(|c| Ok((c, values_of(req)?))) {
                    Ok(x) => x,
                    Err(e) => return err(e),
                };
                let force = req
                    .get("force_conflicts")
                    .and_then(J::as_bool)
                    .unwrap_or(false);
                match preview::plan(&mut self.config(ns, driver), name, &chart, &vals, force) {
                    Ok(p) => json!({"ok": true, "text": p.describe(), "plan": {
                        "release": p.release, "namespace": p.namespace, "upgrade": p.upgrade,
                        "revision": p.revision, "hooks": p.hooks, "notes": p.notes,
                        "changes": p.changes_anything(),
                        "objects": p.objects.iter().map(|o| json!({
                            "apiVersion": o.api_version, "kind": o.kind, "namespace": o.namespace,
                            "name": o.name, "action": o.action.as_str(), "diff": o.diff,
                            "error": o.error})).collect::<Vec<_>>()}}),
                    Err(e) => err(e.message),
                }
            }
            "apply" => {
                let (chart, vals) = match chart_of(req).and_then(|c| Ok((c, values_of(req)?))) {
                    Ok(x) => x,
                    Err(e) => return err(e),
                };
                let force = req
                    .get("force_conflicts")
                    .and_then(J::as_bool)
                    .unwrap_or(false);
                let up = Upgrade {
                    force_conflicts: force,
                    ..Default::default()
                };
                let inst = Install {
                    release_name: name.to_string(),
                    force_conflicts: force,
                    ..Default::default()
                };
                output(commands::upgrade(
                    &mut self.config(ns, driver),
                    name,
                    &chart,
                    &vals,
                    &up,
                    Some(&inst),
                    Format::Table,
                    false,
                    false,
                ))
            }
            "rollback" => {
                let version = req.get("revision").and_then(J::as_i64).unwrap_or(0);
                output(commands::rollback(
                    &mut self.config(ns, driver),
                    name,
                    &Rollback {
                        version,
                        ..Default::default()
                    },
                ))
            }
            "uninstall" => output(commands::uninstall(
                &mut self.config(ns, driver),
                &[name.to_string()],
                &Uninstall::default(),
            )),
            "test" => output(commands::test(
                &mut self.config(ns, driver),
                name,
                &ReleaseTesting::default(),
                false,
                Format::Table,
            )),
            "" => err("the request names no op"),
            other => err(format!("unknown op {other:?}")),
        }
    }

    fn info(&mut self) -> J {
        let mut c = match self.cluster.try_borrow_mut() {
            Ok(c) => c,
            Err(_) => return err("the cluster is busy"),
        };
        let version = match c.version() {
            Ok(v) => v,
            Err(e) => return err(format!("kubernetes cluster unreachable: {e}")),
        };
        let namespaces: Vec<String> = c
            .list(
                &GroupVersionResource::new("", "v1", "namespaces"),
                None,
                &ListOptions::default(),
            )
            .ok()
            .and_then(|l| l.get("items").and_then(J::as_array).cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|n| {
                n.get("metadata")
                    .and_then(|m| m.get("name"))
                    .and_then(J::as_str)
                    .map(String::from)
            })
            .collect();
        json!({"ok": true, "version": version, "namespaces": namespaces})
    }

    fn history(&mut self, ns: &str, name: &str, driver: DriverKind) -> J {
        let mut cfg = self.config(ns, driver);
        let mut hist = match query::history(&mut cfg, name) {
            Ok(h) => h,
            Err(e) => return err(e.message),
        };
        hist.sort_stable_by_key(|r| r.version);
        let diffs: Vec<J> = hist
            .windows(2)
            .map(|w| {
                let d = diff_revisions(&w[0], &w[1]);
                json!({"from": d.from, "to": d.to, "manifest": d.manifest, "values": d.values,
                    "explain": explain_diff(&d)})
            })
            .collect();
        let mut by_rev: BTreeMap<i64, J> = BTreeMap::new();
        for r in &hist {
            by_rev.insert(r.version, release_summary(r));
        }
        json!({"ok": true, "revisions": by_rev.into_values().collect::<Vec<_>>(), "diffs": diffs})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::sim::{SimCluster, SplitMix64};
    use crate::kube::time::{ManualClock, Time};

    fn session() -> Session {
        let sim = SimCluster::new(
            Box::new(ManualClock::new(Time(1_795_505_000))),
            Box::new(SplitMix64(9)),
        );
        Session::new(Rc::new(RefCell::new(sim)), Env::default())
    }

    fn files(greeting: &str) -> J {
        json!({"Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
            "templates/cm.yaml": format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ .Release.Name }}}}-config\ndata:\n  greeting: {greeting}\n  from: {{{{ .Values.from | quote }}}}\n")})
    }

    #[test]
    fn install_upgrade_rollback_as_messages() {
        let mut s = session();
        let info = s.handle(&json!({"op": "info"}));
        assert_eq!(info["ok"], true);
        assert!(info["namespaces"]
            .as_array()
            .unwrap()
            .contains(&json!("default")));
        let p = s.handle(
            &json!({"op": "preview", "name": "demo", "namespace": "default",
            "files": files("hi"), "values": "from: me\n"}),
        );
        assert_eq!(p["ok"], true, "{p}");
        assert_eq!(p["plan"]["objects"][0]["action"], "create");
        let a = s.handle(
            &json!({"op": "apply", "name": "demo", "namespace": "default",
            "files": files("hi"), "values": "from: me\n"}),
        );
        assert_eq!(a["ok"], true, "{a}");
        assert!(a["stdout"]
            .as_str()
            .unwrap()
            .starts_with("Release \"demo\" does not exist. Installing it now.\nNAME: demo\n"));
        let a = s.handle(
            &json!({"op": "apply", "name": "demo", "namespace": "default",
            "files": files("hello"), "values": ""}),
        );
        assert!(a["stdout"]
            .as_str()
            .unwrap()
            .starts_with("Release \"demo\" has been upgraded. Happy Helming!\n"));
        let r = s.handle(
            &json!({"op": "rollback", "name": "demo", "namespace": "default", "revision": 1}),
        );
        assert_eq!(r["stdout"], "Rollback was a success! Happy Helming!\n");
        let h = s.handle(&json!({"op": "history", "name": "demo", "namespace": "default"}));
        let revs: Vec<(i64, &str)> = h["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["revision"].as_i64().unwrap(),
                    r["status"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            revs,
            [(1, "superseded"), (2, "superseded"), (3, "deployed")]
        );
        assert!(h["diffs"][0]["manifest"]
            .as_str()
            .unwrap()
            .contains("+  greeting: hello"));
        let l = s.handle(&json!({"op": "releases", "namespace": "default"}));
        assert_eq!(l["releases"][0]["revision"], 3);
        assert_eq!(
            s.handle(&json!({"op": "nope"}))["error"],
            "unknown op \"nope\""
        );
        let bad = s.handle(&json!({"op": "apply", "name": "x", "files": {}}));
        assert_eq!(bad["ok"], false);
    }
}
