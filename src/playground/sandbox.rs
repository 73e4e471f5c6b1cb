//! The releases side of the playground: one simulated cluster (`kube::sim::SimCluster`) and one
//! terminal session (`shell::Shell` over an in-memory workspace) that the page's buttons and
//! its terminal both drive — Helm's `helm install/upgrade/rollback/uninstall` and `kubectl`,
//! as the learner would type them. In the browser a [`Sandbox`] lives in the Web Worker that
//! holds the release code (`chartlab-worker`), so the page's own download stays small; the
//! page talks to it with JSON messages ([`Sandbox::handle`]) and keeps what it shows in
//! [`super::releases`].
//!
//! | op | fields | answer |
//! | --- | --- | --- |
//! | `run` | `line`, `sync` | `output` (stdout and stderr as the terminal shows them), `status`, `prompt`, `report`, `files` |
//! | `view` | `namespace`, `name` | `revisions` (`helm history -o json`, oldest first), `cluster` (`kubectl get all`), `secrets` |
//! | `diff` | `namespace`, `name`, `from`, `to` | `manifest`, `values`, `computed_values`, `explain` |
//! | `secret` | `namespace`, `secret` | `layers`: the Secret's `.data.release` and each decoding step |
//! | `save` | — | `state`: the cluster as JSON (the page autosaves it) |
//! | `restore` | `state` | a cluster continuing from a saved state |
//! | `reset` | — | a fresh cluster |
//!
//! `sync` (optional on `run`) is the editor's chart: `{"dir": "myapi", "files": {path: text},
//! "overrides": "…"}`; it is written to `~/DIR` (and the `-f` file to `~/overrides.yaml`)
//! before the line runs, so `helm install x ./myapi` installs what is being edited. If the
//! command changed files under `~/DIR`, the answer's `files` holds the chart's new text files
//! for the editor.
//!
//! The rollout report of a `run` is what the cluster did ([`crate::release::diff::explain_changes`]):
//! objects created, configured, unchanged, deleted, and for each Deployment whether its pods
//! rolled and why.

use crate::engine::sort::SliceSort;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use base64::Engine as _;
use serde_json::{json, Value as J};

use crate::engine::Env;
use crate::kube::cluster::{Change, Cluster, Request, WaitProgress};
use crate::kube::object::GroupVersionResource;
use crate::kube::resources::Registry;
use crate::kube::sim::{ClusterState, SimCluster, SplitMix64};
use crate::kube::status::ApiError;
use crate::kube::time::Clock;
use crate::release::action::Configuration;
use crate::release::cli::{self, Format};
use crate::release::diff::{diff_revisions, explain_changes, explain_diff};
use crate::release::query;
use crate::release::storage::DriverKind;
use crate::shell::{Host, MemFs, Shell};

/// The learner's home directory in the terminal.
pub const HOME: &str = "/home/student";
/// The `-f` file the buttons pass (as `Document::command_line` names it).
pub const OVERRIDES_FILE: &str = "overrides.yaml";
/// Largest chart a `sync` may carry (files, bytes).
const MAX_FILES: usize = 2000;
const MAX_BYTES: usize = 32 << 20;
/// Most text one answer carries per field (a `cat` of a huge file is cut, saying so).
pub const MAX_OUTPUT: usize = 1 << 20;

/// The simulated cluster, keeping what each action did: the release code takes the changes it
/// collects, and the sandbox wants them too for the rollout report.
pub struct Journal {
    pub sim: SimCluster,
    log: Vec<Change>,
}

impl Journal {
    /// Everything the cluster did since the last call.
    fn drain(&mut self) -> Vec<Change> {
        let rest = self.sim.take_changes();
        self.log.extend(rest);
        std::mem::take(&mut self.log)
    }
}

impl Cluster for Journal {
    fn call(&mut self, req: Request) -> Result<J, ApiError> {
        self.sim.call(req)
    }

    fn take_changes(&mut self) -> Vec<Change> {
        let c = self.sim.take_changes();
        self.log.extend(c.iter().cloned());
        c
    }

    fn is_live(&self) -> bool {
        self.sim.is_live()
    }

    fn wait_for_change(&mut self, progress: &WaitProgress) -> u64 {
        self.sim.wait_for_change(progress)
    }

    fn registry(&mut self) -> Result<Registry, ApiError> {
        self.sim.registry()
    }
}

/// A cluster and a terminal session for one page.
pub struct Sandbox {
    cluster: Rc<RefCell<Journal>>,
    shell: Shell,
    env: Env,
    make_clock: Rc<dyn Fn() -> Box<dyn Clock>>,
    seed: u64,
    /// The chart directory last written by a `sync` (under the home), and its files.
    synced: Option<(String, BTreeMap<String, String>)>,
}

fn err(msg: impl Into<String>) -> J {
    json!({"ok": false, "error": msg.into()})
}

fn str_field<'a>(req: &'a J, k: &str) -> &'a str {
    req.get(k).and_then(J::as_str).unwrap_or("")
}

/// Cuts `s` to [`MAX_OUTPUT`] bytes at a character boundary, saying so.
fn bounded(mut s: String) -> String {
    if s.len() > MAX_OUTPUT {
        let mut end = MAX_OUTPUT;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push_str("\n… (cut: more than 1 MiB)\n");
    }
    s
}

/// Whether a chart-relative path is one a `sync` may write (no escapes from the chart dir).
fn safe_rel(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Whether `dir` is a plain directory name.
fn safe_dir(d: &str) -> bool {
    !d.is_empty() && d.len() <= 255 && d != "." && d != ".." && !d.contains('/')
}

impl Sandbox {
    /// A fresh cluster. `make_clock` gives the cluster its clock (again on `reset`); `env` is
    /// the clock and randomness of rendering and release records.
    pub fn new(make_clock: Rc<dyn Fn() -> Box<dyn Clock>>, env: Env, seed: u64) -> Sandbox {
        let sim = SimCluster::new(make_clock(), Box::new(SplitMix64(seed)));
        Sandbox::over(sim, make_clock, env, seed)
    }

    fn over(
        sim: SimCluster,
        make_clock: Rc<dyn Fn() -> Box<dyn Clock>>,
        env: Env,
        seed: u64,
    ) -> Sandbox {
        let cluster = Rc::new(RefCell::new(Journal {
            sim,
            log: Vec::new(),
        }));
        let dyn_cluster: Rc<RefCell<dyn Cluster>> = cluster.clone();
        let shell = Shell::new(
            Box::new(MemFs::new(HOME)),
            dyn_cluster,
            env.clone(),
            Host::Browser,
        );
        Sandbox {
            cluster,
            shell,
            env,
            make_clock,
            seed,
            synced: None,
        }
    }

    /// Replaces the cluster (keeping the terminal session and its files).
    fn set_cluster(&mut self, sim: SimCluster) {
        self.cluster.borrow_mut().sim = sim;
        self.cluster.borrow_mut().log.clear();
    }

    /// The cluster's state, to save.
    pub fn save(&self) -> String {
        self.cluster.borrow().sim.state().to_json()
    }

    /// The prompt bash would show now.
    pub fn prompt(&self) -> String {
        self.shell.prompt()
    }

    /// Writes the editor's chart to `~/DIR` (removing files a previous sync wrote there that
    /// are gone now) and the `-f` file to `~/overrides.yaml`.
    fn sync(&mut self, sync: &J) -> Result<(), String> {
        let dir = str_field(sync, "dir");
        if !safe_dir(dir) {
            return Err(format!("cannot use {dir:?} as the chart's directory"));
        }
        let mut map = BTreeMap::new();
        for (p, t) in super::connected::request_files(sync, "the chart has no files")? {
            if !safe_rel(p) {
                return Err(format!("the chart path {p:?} is not allowed"));
            }
            map.insert(p.to_string(), t.to_string());
        }
        let root = format!("{HOME}/{dir}");
        let fs = &mut self.shell.fs;
        if let Some((old_dir, old)) = &self.synced {
            if *old_dir == root && *old == map && fs.metadata(&root).is_ok() {
                // unchanged since the last sync, and the terminal did not change it either
                if read_tree(fs.as_ref(), &root) == map {
                    return self.write_overrides(sync);
                }
            }
            // files this page wrote before and no longer has
            for p in old.keys() {
                if !map.contains_key(p) {
                    let _ = fs.remove_file(&format!("{old_dir}/{p}"));
                }
            }
        }
        for (p, t) in &map {
            let abs = format!("{root}/{p}");
            mkdir_all(fs.as_mut(), parent_of(&abs))?;
            if fs.read(&abs).ok().as_deref() != Some(t.as_bytes()) {
                fs.write(&abs, t.as_bytes())
                    .map_err(|e| format!("{abs}: {e}"))?;
            }
        }
        // files that are not text (a dependency's .tgz in charts/), as base64; the text's size
        // counts towards the same limit
        let mut total: usize = map.values().map(String::len).sum();
        if let Some(bin) = sync.get("binary").and_then(J::as_object) {
            for (p, b) in bin {
                if !safe_rel(p) {
                    return Err(format!("the chart path {p:?} is not allowed"));
                }
                let data = base64::engine::general_purpose::STANDARD
                    .decode(b.as_str().unwrap_or(""))
                    .map_err(|e| format!("{p}: {e}"))?;
                total += data.len();
                if total > MAX_BYTES {
                    return Err("the chart is too large".into());
                }
                let abs = format!("{root}/{p}");
                mkdir_all(fs.as_mut(), parent_of(&abs))?;
                fs.write(&abs, &data).map_err(|e| format!("{abs}: {e}"))?;
            }
        }
        self.synced = Some((root, map));
        self.write_overrides(sync)
    }

    fn write_overrides(&mut self, sync: &J) -> Result<(), String> {
        let text = str_field(sync, "overrides");
        let path = format!("{HOME}/{OVERRIDES_FILE}");
        let fs = &mut self.shell.fs;
        if text.trim().is_empty() {
            let _ = fs.remove_file(&path);
            return Ok(());
        }
        if fs.read(&path).ok().as_deref() != Some(text.as_bytes()) {
            fs.write(&path, text.as_bytes())
                .map_err(|e| format!("{path}: {e}"))?;
        }
        Ok(())
    }

    /// Runs one terminal line (after an optional sync).
    pub fn run(&mut self, line: &str, sync: Option<&J>) -> J {
        if let Some(s) = sync {
            if let Err(e) = self.sync(s) {
                return err(e);
            }
        }
        self.cluster.borrow_mut().drain();
        let res = self.shell.run(line);
        let mut text = Vec::new();
        // after a `clear`, only what followed it
        let from = if res.output.clear {
            res.output.clear_at.min(res.output.chunks.len())
        } else {
            0
        };
        for c in &res.output.chunks[from..] {
            text.extend_from_slice(&c.data);
        }
        let changes = self.cluster.borrow_mut().drain();
        let report = explain_changes(&changes);
        // files the command changed in the chart's directory go back to the editor
        let files = self.synced.as_ref().and_then(|(root, before)| {
            let now = read_tree(self.shell.fs.as_ref(), root);
            (now != *before && !now.is_empty()).then_some((root.clone(), now))
        });
        let files_json = match files {
            Some((root, now)) => {
                let j = json!(now);
                self.synced = Some((root, now));
                j
            }
            None => J::Null,
        };
        json!({
            "ok": true,
            "output": bounded(String::from_utf8_lossy(&text).into_owned()),
            "status": res.status,
            "exit": res.exit,
            "clear": res.output.clear,
            "prompt": self.shell.prompt(),
            "report": report,
            "files": files_json,
        })
    }

    fn config(&self, namespace: &str) -> Configuration {
        let ns = if namespace.is_empty() {
            "default"
        } else {
            namespace
        };
        let c: Rc<RefCell<dyn Cluster>> = self.cluster.clone();
        Configuration::new(c, ns, DriverKind::Secret, self.env.clone())
    }

    /// The release's revisions (as `helm history -o json` prints them, oldest first), the
    /// namespace's objects as `kubectl get all` prints them, and the release's storage Secrets.
    pub fn view(&mut self, namespace: &str, name: &str) -> J {
        let ns = if namespace.is_empty() {
            "default"
        } else {
            namespace
        };
        let revisions = if name.is_empty() {
            J::Array(Vec::new())
        } else {
            let mut cfg = self.config(ns);
            match query::history(&mut cfg, name) {
                Ok(mut h) => {
                    h.sort_stable_by_key(|r| r.version);
                    cli::history(&h, Format::Json)
                        .ok()
                        .and_then(|t| serde_json::from_str(&t).ok())
                        .unwrap_or(J::Array(Vec::new()))
                }
                Err(_) => J::Array(Vec::new()),
            }
        };
        // a session of its own, so `$?` and the directory of the learner's stay as they are
        let c: Rc<RefCell<dyn Cluster>> = self.cluster.clone();
        let mut viewer = Shell::new(
            Box::new(MemFs::new(HOME)),
            c,
            self.env.clone(),
            Host::Browser,
        );
        viewer.set_terminal(false);
        let q = crate::playground::document::shell_word(ns);
        let out = viewer.run(&format!("kubectl get all --namespace {q}"));
        let mut cluster = out.output.stdout_text();
        cluster.push_str(&out.output.stderr_text());
        let secrets = self.release_secrets(ns, name);
        self.cluster.borrow_mut().drain();
        json!({"ok": true, "revisions": revisions, "cluster": bounded(cluster), "secrets": secrets})
    }

    /// The names of the release's storage Secrets (`sh.helm.release.v1.NAME.vN`), by revision.
    fn release_secrets(&mut self, ns: &str, name: &str) -> Vec<String> {
        let prefix = format!("sh.helm.release.v1.{name}.v");
        let list = self.cluster.borrow_mut().sim.list(
            &GroupVersionResource::new("", "v1", "secrets"),
            Some(ns),
            &Default::default(),
        );
        let mut names: Vec<(i64, String)> = list
            .ok()
            .and_then(|l| l.get("items").and_then(J::as_array).cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|s| s.pointer("/metadata/name").and_then(J::as_str))
            .filter_map(|n| {
                let v = n.strip_prefix(&prefix)?.parse::<i64>().ok()?;
                Some((v, n.to_string()))
            })
            .collect();
        names.sort_stable();
        names.into_iter().map(|(_, n)| n).collect()
    }

    /// The difference between two revisions of a release.
    pub fn diff(&mut self, namespace: &str, name: &str, from: i64, to: i64) -> J {
        let mut cfg = self.config(namespace);
        let hist = match query::history(&mut cfg, name) {
            Ok(h) => h,
            Err(e) => return err(e.message),
        };
        let find = |v: i64| hist.iter().find(|r| r.version == v);
        let (Some(a), Some(b)) = (find(from), find(to)) else {
            return err(format!(
                "release {name} has no revision {}",
                if find(from).is_none() { from } else { to }
            ));
        };
        let d = diff_revisions(a, b);
        json!({"ok": true, "from": from, "to": to, "manifest": bounded(d.manifest.clone()),
            "values": d.values.clone(), "computed_values": bounded(d.computed_values.clone()),
            "explain": explain_diff(&d)})
    }

    /// A release Secret and each layer of its `release` key: what the API returns (base64 of
    /// what Helm stored), what Helm stored (base64 of gzip), the gzip stream, and the release
    /// record as JSON.
    pub fn secret(&mut self, namespace: &str, secret: &str) -> J {
        let ns = if namespace.is_empty() {
            "default"
        } else {
            namespace
        };
        let got = self.cluster.borrow_mut().sim.get(
            &GroupVersionResource::new("", "v1", "secrets"),
            ns,
            secret,
        );
        let obj = match got {
            Ok(o) => o,
            Err(e) => return err(format!("Error from server ({}): {}", e.reason, e.message)),
        };
        match secret_layers(&obj) {
            Ok(layers) => json!({"ok": true, "secret": secret, "layers": layers}),
            Err(e) => err(e),
        }
    }

    /// Answers one request (see the module documentation).
    pub fn handle(&mut self, req: &J) -> J {
        let ns = str_field(req, "namespace");
        let name = str_field(req, "name");
        match str_field(req, "op") {
            "run" => self.run(
                str_field(req, "line"),
                req.get("sync").filter(|s| !s.is_null()),
            ),
            "view" => self.view(ns, name),
            "diff" => {
                let n = |k: &str| req.get(k).and_then(J::as_i64).unwrap_or(0);
                self.diff(ns, name, n("from"), n("to"))
            }
            "secret" => self.secret(ns, str_field(req, "secret")),
            "save" => json!({"ok": true, "state": self.save()}),
            "restore" => match ClusterState::from_json(str_field(req, "state")) {
                Ok(st) => {
                    let sim = SimCluster::from_state(
                        st,
                        (self.make_clock)(),
                        Box::new(SplitMix64(self.seed ^ 0x9e37_79b9)),
                    );
                    self.set_cluster(sim);
                    json!({"ok": true})
                }
                Err(e) => err(e),
            },
            "reset" => {
                let sim = SimCluster::new((self.make_clock)(), Box::new(SplitMix64(self.seed)));
                self.set_cluster(sim);
                json!({"ok": true})
            }
            "prompt" => json!({"ok": true, "prompt": self.prompt()}),
            "" => err("the request names no op"),
            other => err(format!("unknown op {other:?}")),
        }
    }
}

fn parent_of(p: &str) -> &str {
    match p.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &p[..i],
    }
}

fn mkdir_all(fs: &mut dyn crate::shell::Fs, dir: &str) -> Result<(), String> {
    let mut cur = String::new();
    for part in dir.split('/').filter(|s| !s.is_empty()) {
        cur.push('/');
        cur.push_str(part);
        match fs.metadata(&cur) {
            Ok(m) if m.is_dir => {}
            Ok(_) => return Err(format!("{cur}: Not a directory")),
            Err(_) => fs.mkdir(&cur).map_err(|e| format!("{cur}: {e}"))?,
        }
    }
    Ok(())
}

/// The text files under `root`, relative paths (bounded).
fn read_tree(fs: &dyn crate::shell::Fs, root: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_string()];
    let mut total = 0usize;
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs.list(&dir) else {
            continue;
        };
        for e in entries {
            let abs = format!("{dir}/{}", e.name);
            if e.is_dir {
                stack.push(abs);
                continue;
            }
            if out.len() >= MAX_FILES || total > MAX_BYTES {
                return out;
            }
            if let Ok(data) = fs.read(&abs) {
                if let Ok(text) = String::from_utf8(data) {
                    total += text.len();
                    let rel = abs[root.len() + 1..].to_string();
                    out.insert(rel, text);
                }
            }
        }
    }
    out
}

/// A hex dump like `xxd` of the first bytes of `data`.
pub fn hex_dump(data: &[u8], max: usize) -> String {
    let mut s = String::new();
    for (i, row) in data[..data.len().min(max)].chunks(16).enumerate() {
        s.push_str(&format!("{:08x}:", i * 16));
        let mut hex = String::new();
        for pair in row.chunks(2) {
            hex.push(' ');
            for b in pair {
                hex.push_str(&format!("{b:02x}"));
            }
        }
        // 8 groups of " xxxx", then two spaces before the text
        s.push_str(&format!("{hex:<40}  "));
        for &b in row {
            s.push(if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '.'
            });
        }
        s.push('\n');
    }
    if data.len() > max {
        s.push_str(&format!("… {} bytes in all\n", data.len()));
    }
    s
}

/// The decoding layers of a release Secret's `release` key.
pub fn secret_layers(obj: &J) -> Result<J, String> {
    let name = obj
        .pointer("/metadata/name")
        .and_then(J::as_str)
        .unwrap_or("");
    let data = obj
        .pointer("/data/release")
        .and_then(J::as_str)
        .ok_or_else(|| format!("secret {name} has no release key: is it a Helm release?"))?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let helm_stored = b64
        .decode(data)
        .map_err(|e| format!("base64 -d: invalid input ({e})"))?;
    let gz = b64
        .decode(&helm_stored)
        .map_err(|e| format!("the second base64 -d: invalid input ({e})"))?;
    let mut json_bytes = Vec::new();
    {
        use std::io::Read;
        let dec = flate2::read::GzDecoder::new(&gz[..]);
        dec.take(64 << 20)
            .read_to_end(&mut json_bytes)
            .map_err(|e| format!("gunzip: {e}"))?;
    }
    let json_text = String::from_utf8_lossy(&json_bytes).into_owned();
    let record: J = serde_json::from_slice(&json_bytes).unwrap_or(J::Null);
    let manifest = record
        .get("manifest")
        .and_then(J::as_str)
        .unwrap_or("")
        .to_string();
    let pretty = serde_json::to_string_pretty(&record).unwrap_or_default();
    Ok(json!([
        {"title": ".data.release (what the API returns)", "step": "kubectl get secret … -o jsonpath='{.data.release}'",
            "bytes": data.len(), "text": bounded(data.to_string())},
        {"title": "what Helm stored: base64 of gzip", "step": "| base64 -d",
            "bytes": helm_stored.len(), "text": bounded(String::from_utf8_lossy(&helm_stored).into_owned())},
        {"title": "gzip stream", "step": "| base64 -d",
            "bytes": gz.len(), "text": hex_dump(&gz, 512)},
        {"title": "the release record (JSON)", "step": "| gunzip",
            "bytes": json_bytes.len(), "text": bounded(json_text)},
        {"title": "formatted", "step": "| jq .",
            "bytes": pretty.len(), "text": bounded(pretty)},
        {"title": "manifest", "step": "| jq -r .manifest",
            "bytes": manifest.len(), "text": bounded(manifest)},
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Timestamp;
    use crate::kube::time::{ManualClock, Time};

    const T0: i64 = 1_795_505_000;

    fn sandbox() -> Sandbox {
        let make: Rc<dyn Fn() -> Box<dyn Clock>> =
            Rc::new(|| Box::new(ManualClock::new(Time(T0))) as Box<dyn Clock>);
        Sandbox::new(make, Env::fixed(Timestamp::utc(T0, 0), 5), 11)
    }

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: \"nginx:{{ .Values.tag }}\"\n";

    fn sync(tag: &str) -> J {
        json!({"dir": "demo", "overrides": "", "files": {
            "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
            "values.yaml": format!("tag: \"{tag}\"\n"),
            "templates/deploy.yaml": DEPLOY,
        }})
    }

    fn run(s: &mut Sandbox, line: &str, sync: Option<J>) -> J {
        let a = s.handle(&json!({"op": "run", "line": line, "sync": sync}));
        assert_eq!(a["ok"], true, "{a}");
        a
    }

    #[test]
    fn buttons_and_terminal_share_one_cluster() {
        let mut s = sandbox();
        let a = run(&mut s, "helm install web ./demo", Some(sync("1.25")));
        let out = a["output"].as_str().unwrap();
        assert!(out.starts_with("NAME: web\nLAST DEPLOYED: "), "{out}");
        assert!(out.contains("\nSTATUS: deployed\nREVISION: 1\n"), "{out}");
        assert_eq!(a["status"], 0);
        assert_eq!(a["prompt"], "student@chartlab:~$ ");
        let report = a["report"].as_str().unwrap();
        assert!(
            report.starts_with("Deployment web: created\n  deployment web created ReplicaSet web-"),
            "{report}"
        );

        // an upgrade with a new image rolls the pods, and the report says why
        let a = run(&mut s, "helm upgrade web ./demo", Some(sync("1.26")));
        assert!(a["output"]
            .as_str()
            .unwrap()
            .starts_with("Release \"web\" has been upgraded. Happy Helming!\n"));
        let report = a["report"].as_str().unwrap();
        assert!(report.contains("Deployment web: configured\n  pods roll: yes, because container web: image nginx:1.25 → nginx:1.26"), "{report}");

        // the terminal sees what the button made
        let a = run(&mut s, "helm ls", None);
        let out = a["output"].as_str().unwrap();
        assert!(
            out.starts_with("NAME\tNAMESPACE\tREVISION\tUPDATED"),
            "{out}"
        );
        assert!(out.contains("web \tdefault  \t2       \t"), "{out}");

        let a = run(&mut s, "helm rollback web 1", None);
        assert_eq!(a["output"], "Rollback was a success! Happy Helming!\n");
        let v = s.handle(&json!({"op": "view", "namespace": "default", "name": "web"}));
        let revs: Vec<(i64, &str, &str)> = v["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["revision"].as_i64().unwrap(),
                    r["status"].as_str().unwrap(),
                    r["description"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            revs,
            [
                (1, "superseded", "Install complete"),
                (2, "superseded", "Upgrade complete"),
                (3, "deployed", "Rollback to 1")
            ]
        );
        assert_eq!(v["revisions"][0]["chart"], "demo-0.1.0");
        assert_eq!(
            v["secrets"],
            json!([
                "sh.helm.release.v1.web.v1",
                "sh.helm.release.v1.web.v2",
                "sh.helm.release.v1.web.v3"
            ])
        );
        let cluster = v["cluster"].as_str().unwrap();
        assert!(
            cluster.contains("deployment.apps/web   1/1     1            1"),
            "{cluster}"
        );
        assert!(cluster.contains("service/kubernetes"), "{cluster}");

        let d = s.handle(
            &json!({"op": "diff", "namespace": "default", "name": "web", "from": 1, "to": 2}),
        );
        assert!(
            d["manifest"]
                .as_str()
                .unwrap()
                .contains("-          image: \"nginx:1.25\"\n+          image: \"nginx:1.26\"\n"),
            "{d}"
        );
        assert_eq!(d["values"], "");
        assert!(d["explain"].as_str().unwrap().contains("- Deployment web: pods roll, because container web: image nginx:1.25 → nginx:1.26\n"), "{d}");
        let d = s.handle(
            &json!({"op": "diff", "namespace": "default", "name": "web", "from": 1, "to": 9}),
        );
        assert_eq!(d["error"], "release web has no revision 9");

        let a = run(&mut s, "helm uninstall web", None);
        assert_eq!(a["output"], "release \"web\" uninstalled\n");
        assert!(a["report"]
            .as_str()
            .unwrap()
            .contains("Deployment web: deleted\n"));
    }

    #[test]
    fn helm_errors_are_helms() {
        let mut s = sandbox();
        let a = run(&mut s, "helm upgrade web ./demo", Some(sync("1")));
        assert_eq!(
            a["output"],
            "Error: UPGRADE FAILED: \"web\" has no deployed releases\n"
        );
        assert_eq!(a["status"], 1);
        let a = run(&mut s, "helm rollback web 3", None);
        assert_eq!(a["output"], "Error: release: not found\n");
        let a = run(&mut s, "helm install web ./nope", None);
        assert_eq!(
            a["output"],
            "Error: INSTALLATION FAILED: path \"./nope\" not found\n"
        );
    }

    #[test]
    fn lab2_decode_pipeline_and_the_secret_layers_agree() {
        let mut s = sandbox();
        run(&mut s, "helm install web ./demo", Some(sync("1.25")));
        let a = run(
            &mut s,
            "kubectl get secret sh.helm.release.v1.web.v1 -o jsonpath='{.data.release}' | base64 -d | base64 -d | gunzip | jq -r .manifest",
            None,
        );
        let manifest = a["output"].as_str().unwrap().to_string();
        assert!(manifest.starts_with("---\n# Source: demo/templates/deploy.yaml\napiVersion: apps/v1\nkind: Deployment\n"), "{manifest}");
        let helm = run(&mut s, "helm get manifest web", None);
        assert_eq!(
            manifest.trim_end(),
            helm["output"].as_str().unwrap().trim_end()
        );

        let sec = s.handle(
            &json!({"op": "secret", "namespace": "default", "secret": "sh.helm.release.v1.web.v1"}),
        );
        assert_eq!(sec["ok"], true, "{sec}");
        let layers = sec["layers"].as_array().unwrap();
        assert_eq!(layers.len(), 6);
        // each layer is the one before, decoded: compare with the terminal's own pipeline
        let l0 = run(
            &mut s,
            "kubectl get secret sh.helm.release.v1.web.v1 -o jsonpath='{.data.release}'",
            None,
        );
        assert_eq!(layers[0]["text"], l0["output"]);
        let l1 = run(&mut s, "kubectl get secret sh.helm.release.v1.web.v1 -o jsonpath='{.data.release}' | base64 -d", None);
        assert_eq!(layers[1]["text"], l1["output"]);
        assert!(
            layers[2]["text"]
                .as_str()
                .unwrap()
                .starts_with("00000000: 1f8b 08"),
            "{}",
            layers[2]["text"]
        );
        let l3 = run(&mut s, "kubectl get secret sh.helm.release.v1.web.v1 -o jsonpath='{.data.release}' | base64 -d | base64 -d | gunzip", None);
        assert_eq!(layers[3]["text"], l3["output"]);
        assert!(layers[3]["text"]
            .as_str()
            .unwrap()
            .starts_with("{\"name\":\"web\",\"info\":{"));
        // jq -r prints the string and a newline
        assert_eq!(
            format!("{}\n", layers[5]["text"].as_str().unwrap()),
            manifest
        );

        let missing = s.handle(&json!({"op": "secret", "namespace": "default", "secret": "nope"}));
        assert_eq!(
            missing["error"],
            "Error from server (NotFound): secrets \"nope\" not found"
        );
    }

    #[test]
    fn terminal_edits_of_the_chart_go_back_to_the_editor() {
        let mut s = sandbox();
        let a = run(
            &mut s,
            "echo 'tag: \"2\"' > demo/values.yaml",
            Some(sync("1")),
        );
        assert_eq!(a["files"]["values.yaml"], "tag: \"2\"\n");
        assert_eq!(
            a["files"]["Chart.yaml"],
            "apiVersion: v2\nname: demo\nversion: 0.1.0\n"
        );
        // nothing changed: nothing sent back
        let a = run(&mut s, "ls demo", None);
        assert_eq!(a["output"], "Chart.yaml  templates  values.yaml\n");
        assert_eq!(a["files"], J::Null);
        // a sync removes what the editor deleted
        let mut sy = sync("1");
        sy["files"].as_object_mut().unwrap().remove("values.yaml");
        let a = run(&mut s, "ls demo", Some(sy));
        assert_eq!(a["output"], "Chart.yaml  templates\n");
        // paths that would leave the chart's directory are refused
        let bad = json!({"dir": "demo", "files": {"../x": "y"}});
        let a = s.handle(&json!({"op": "run", "line": "true", "sync": bad}));
        assert_eq!(a["error"], "the chart path \"../x\" is not allowed");
        let bad = json!({"dir": "..", "files": {}});
        let a = s.handle(&json!({"op": "run", "line": "true", "sync": bad}));
        assert_eq!(a["ok"], false);
    }

    #[test]
    fn the_cluster_survives_save_and_restore() {
        let mut s = sandbox();
        run(&mut s, "helm install web ./demo", Some(sync("1")));
        let saved = s.handle(&json!({"op": "save"}));
        let state = saved["state"].as_str().unwrap().to_string();
        let mut t = sandbox();
        assert_eq!(
            t.handle(&json!({"op": "restore", "state": state}))["ok"],
            true
        );
        let a = run(&mut t, "helm ls -q", None);
        assert_eq!(a["output"], "web\n");
        assert_eq!(t.handle(&json!({"op": "reset"}))["ok"], true);
        let a = run(&mut t, "helm ls -q", None);
        assert_eq!(a["output"], "");
        let bad = t.handle(&json!({"op": "restore", "state": "{"}));
        assert_eq!(bad["ok"], false);
        assert_eq!(t.handle(&json!({"op": "x"}))["error"], "unknown op \"x\"");
    }

    /// Lab 3: a new random passcode changes the Secret on every upgrade, yet no pod rolls;
    /// with a checksum annotation of the Secret in the pod template, every upgrade rolls.
    #[test]
    fn lab3_why_my_secret_is_not_updated() {
        let secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  passcode: {{ randAlphaNum 10 | b64enc }}\n";
        let deploy = DEPLOY.replace(
            "          image: \"nginx:{{ .Values.tag }}\"\n",
            "          image: \"nginx:{{ .Values.tag }}\"\n          env:\n            - name: PASSCODE\n              valueFrom:\n                secretKeyRef:\n                  name: {{ .Release.Name }}\n                  key: passcode\n",
        );
        let chart = |deploy: &str| {
            json!({"dir": "demo", "overrides": "", "files": {
                "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
                "values.yaml": "tag: \"1.25\"\n",
                "templates/deploy.yaml": deploy,
                "templates/secret.yaml": secret,
            }})
        };
        let mut s = sandbox();
        run(
            &mut s,
            "helm upgrade --install web ./demo",
            Some(chart(&deploy)),
        );
        let a = run(
            &mut s,
            "helm upgrade --install web ./demo",
            Some(chart(&deploy)),
        );
        let report = a["report"].as_str().unwrap();
        assert!(report.contains("Secret web: configured\n"), "{report}");
        assert!(report.contains("Deployment web: unchanged\n"), "{report}");
        assert!(!report.contains("pods roll: yes"), "{report}");
        let d = s.handle(&json!({"op": "diff", "name": "web", "from": 1, "to": 2}));
        let explain = d["explain"].as_str().unwrap();
        assert!(explain.contains("- Secret web: changed\n"), "{explain}");
        assert!(
            explain
                .contains("- Deployment web: pods do not roll (the pod template did not change)\n"),
            "{explain}"
        );
        // the fix: a checksum of the Secret in the pod template
        let fixed = deploy.replace(
            "    metadata:\n      labels:\n        app: web\n",
            "    metadata:\n      annotations:\n        checksum/secret: {{ include (print $.Template.BasePath \"/secret.yaml\") . | sha256sum }}\n      labels:\n        app: web\n",
        );
        run(
            &mut s,
            "helm upgrade --install web ./demo",
            Some(chart(&fixed)),
        );
        let a = run(
            &mut s,
            "helm upgrade --install web ./demo",
            Some(chart(&fixed)),
        );
        let report = a["report"].as_str().unwrap();
        assert!(
            report.contains("pods roll: yes, because pod annotation checksum/secret changed"),
            "{report}"
        );
    }

    #[test]
    fn hex_dump_reads_like_xxd() {
        assert_eq!(
            hex_dump(b"\x1f\x8b\x08\x00hello world, this!", 64),
            "00000000: 1f8b 0800 6865 6c6c 6f20 776f 726c 642c  ....hello world,\n00000010: 2074 6869 7321                            this!\n"
        );
        // both checked against xxd 2022-01-14 (Debian)
        assert_eq!(
            hex_dump(b"abc", 64),
            "00000000: 6162 63                                  abc\n"
        );
    }
}
