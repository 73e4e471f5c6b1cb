//! What the page's releases panel shows and how it changes (no upstream counterpart): the
//! terminal's transcript and command history, the release's revision timeline (as `helm
//! history` reports it), the diff between two revisions, the rollout report of the last
//! action, the cluster view (`kubectl get all`) and the Secret inspector. The cluster itself
//! runs in the Web Worker ([`super::sandbox::Sandbox`]); this is the page's side, part of
//! [`super::state::State`], changed only through [`ReleasesAction`]s and tested natively.
//!
//! The buttons are `helm` commands ([`ReleaseOp::command`]), run in the same terminal session
//! as what the learner types, so what a button does is always shown as the command that did it.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{json, Value as J};

use super::document::{shell_word, Document};
use super::sandbox::OVERRIDES_FILE;

/// Most transcript entries kept (older ones scroll away).
pub const MAX_TRANSCRIPT: usize = 200;
/// Most commands kept for up/down.
pub const MAX_HISTORY: usize = 500;
/// Longest output kept per transcript entry.
pub const MAX_ENTRY_OUTPUT: usize = 256 << 10;

/// A button of the panel: the `helm` command it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseOp {
    Install,
    Upgrade,
    /// `helm rollback NAME N`.
    Rollback(i64),
    Uninstall,
}

/// The directory the editor's chart is written to in the terminal's home (`~/NAME`, NAME as
/// Chart.yaml says, like `helm create NAME` makes it; `chart` if it cannot be read).
pub fn chart_dir(doc: &Document) -> String {
    doc.chart_name().unwrap_or_else(|| "chart".to_string())
}

impl ReleaseOp {
    /// The command line, with the release name and namespace of the settings and, for
    /// install and upgrade, the chart being edited and the user values (`-f overrides.yaml`,
    /// the `--set` family).
    pub fn command(self, doc: &Document) -> String {
        let r = &doc.release;
        let name = shell_word(&r.name);
        let mut cmd = match self {
            ReleaseOp::Install => format!("helm install {name} ./{}", chart_dir(doc)),
            ReleaseOp::Upgrade => format!("helm upgrade {name} ./{}", chart_dir(doc)),
            ReleaseOp::Rollback(n) => format!("helm rollback {name} {n}"),
            ReleaseOp::Uninstall => format!("helm uninstall {name}"),
        };
        if r.namespace != "default" && !r.namespace.is_empty() {
            cmd.push_str(&format!(" --namespace {}", shell_word(&r.namespace)));
        }
        if matches!(self, ReleaseOp::Install | ReleaseOp::Upgrade) {
            if !doc.overrides.values.trim().is_empty() {
                cmd.push_str(&format!(" -f {OVERRIDES_FILE}"));
            }
            for e in &doc.overrides.set {
                cmd.push_str(&format!(" {} {}", e.kind.flag(), shell_word(&e.expr)));
            }
        }
        cmd
    }

    pub fn label(self) -> String {
        match self {
            ReleaseOp::Install => "Install".into(),
            ReleaseOp::Upgrade => "Upgrade".into(),
            ReleaseOp::Rollback(n) => format!("Roll back to {n}"),
            ReleaseOp::Uninstall => "Uninstall".into(),
        }
    }
}

/// The editor's chart as a `run` request's `sync` (see [`super::sandbox`]): text files as
/// text, others (a dependency's `.tgz`) as base64.
pub fn sync_payload(doc: &Document) -> J {
    let mut files = serde_json::Map::new();
    let mut binary = serde_json::Map::new();
    for (p, data) in doc.workspace.files() {
        match std::str::from_utf8(data) {
            Ok(t) => {
                files.insert(p.to_string(), J::String(t.to_string()));
            }
            Err(_) => {
                binary.insert(
                    p.to_string(),
                    J::String(base64::engine::general_purpose::STANDARD.encode(data)),
                );
            }
        }
    }
    json!({"dir": chart_dir(doc), "files": files, "binary": binary,
        "overrides": doc.overrides.values})
}

/// The panel's views besides the terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ReleasesTab {
    #[default]
    Timeline,
    Diff,
    Report,
    Cluster,
    Secret,
}

impl ReleasesTab {
    pub const ALL: [ReleasesTab; 5] = [
        ReleasesTab::Timeline,
        ReleasesTab::Diff,
        ReleasesTab::Report,
        ReleasesTab::Cluster,
        ReleasesTab::Secret,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ReleasesTab::Timeline => "Revisions",
            ReleasesTab::Diff => "Diff",
            ReleasesTab::Report => "Rollout report",
            ReleasesTab::Cluster => "Cluster",
            ReleasesTab::Secret => "Release Secret",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ReleasesTab::Timeline => "timeline",
            ReleasesTab::Diff => "diff",
            ReleasesTab::Report => "report",
            ReleasesTab::Cluster => "cluster",
            ReleasesTab::Secret => "secret",
        }
    }
}

/// One command in the terminal and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermEntry {
    pub prompt: String,
    pub command: String,
    /// stdout and stderr, interleaved as printed; `None` while it runs.
    pub output: Option<String>,
    pub status: i32,
}

/// One revision, as `helm history` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub revision: i64,
    /// RFC 3339, as `helm history -o json` prints it.
    pub updated: String,
    pub status: String,
    pub chart: String,
    pub app_version: String,
    pub description: String,
}

/// The difference between two revisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffView {
    pub from: i64,
    pub to: i64,
    pub manifest: String,
    pub values: String,
    pub computed_values: String,
    /// In words: objects added/removed/changed, which Deployments roll their pods and why.
    pub explain: String,
}

/// What the cluster did on the last command that changed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub command: String,
    pub text: String,
}

/// One decoding step of a release Secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    pub title: String,
    /// The command step that produces it (`| base64 -d`).
    pub step: String,
    pub bytes: u64,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretView {
    pub name: String,
    pub layers: Vec<Layer>,
}

/// The answer to a `run` request.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Ran {
    pub output: String,
    pub status: i32,
    pub prompt: String,
    pub report: String,
    pub clear: bool,
    /// The chart's text files after the command, when it changed them.
    pub files: Option<BTreeMap<String, String>>,
}

/// The releases panel's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Releases {
    /// The panel is open (its worker started).
    pub open: bool,
    pub tab: ReleasesTab,
    pub transcript: Vec<TermEntry>,
    /// The terminal's input line.
    pub input: String,
    /// Commands typed, oldest first.
    pub history: Vec<String>,
    /// Where up/down is in `history` (`None`: editing a new line).
    pub history_pos: Option<usize>,
    /// The new line kept while browsing the history.
    pub draft: String,
    pub prompt: String,
    /// A command runs (buttons and the input wait).
    pub busy: bool,
    pub revisions: Vec<Revision>,
    pub cluster: String,
    pub secrets: Vec<String>,
    /// The two revisions compared (from, to).
    pub diff_pick: Option<(i64, i64)>,
    /// The revision the Rollback button goes back to, if the user picked one.
    pub rollback_pick: Option<i64>,
    pub diff: Option<DiffView>,
    pub report: Option<Report>,
    pub secret: Option<SecretView>,
    /// A request that failed (not a command's own error, which the transcript shows).
    pub error: Option<String>,
}

impl Default for Releases {
    fn default() -> Self {
        Releases {
            open: false,
            tab: ReleasesTab::Timeline,
            transcript: Vec::new(),
            input: String::new(),
            history: Vec::new(),
            history_pos: None,
            draft: String::new(),
            prompt: "student@chartlab:~$ ".into(),
            busy: false,
            revisions: Vec::new(),
            cluster: String::new(),
            secrets: Vec::new(),
            diff_pick: None,
            rollback_pick: None,
            diff: None,
            report: None,
            secret: None,
            error: None,
        }
    }
}

/// What the releases panel can do to the state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReleasesAction {
    /// Show or hide the panel.
    Open(bool),
    SetTab(ReleasesTab),
    /// The terminal's input line changed.
    Input(String),
    /// Up (-1) or down (+1) in the command history.
    History(i32),
    /// A command was sent to the worker; `typed`: from the terminal (kept in the history).
    Started {
        command: String,
        typed: bool,
    },
    /// The command finished.
    Finished(Ran),
    /// A request failed.
    Failed(String),
    /// The timeline, cluster view and Secrets were read again.
    Viewed {
        revisions: Vec<Revision>,
        cluster: String,
        secrets: Vec<String>,
    },
    /// Compare these two revisions.
    PickDiff(i64, i64),
    /// The Rollback button goes back to this revision.
    PickRollback(i64),
    DiffLoaded(DiffView),
    SecretLoaded(SecretView),
    /// `clear`, or the Clear button.
    ClearTerminal,
}

fn s(j: &J, k: &str) -> String {
    match j.get(k) {
        Some(J::String(s)) => s.clone(),
        Some(J::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn n(j: &J, k: &str) -> i64 {
    j.get(k).and_then(J::as_i64).unwrap_or(0)
}

/// Cuts `text` to at most `max` bytes at a character boundary.
fn cut(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str("\n… (cut)\n");
    }
    text
}

impl ReleasesAction {
    /// The action for a worker's answer to `run`.
    pub fn from_run(ans: &J) -> ReleasesAction {
        if ans.get("ok") != Some(&J::Bool(true)) {
            return ReleasesAction::Failed(s(ans, "error"));
        }
        let files = ans.get("files").and_then(J::as_object).map(|m| {
            let mut files = BTreeMap::new();
            for (k, v) in m {
                if let Some(t) = v.as_str() {
                    files.insert(k.clone(), t.to_string());
                }
            }
            files
        });
        ReleasesAction::Finished(Ran {
            output: s(ans, "output"),
            status: n(ans, "status") as i32,
            prompt: s(ans, "prompt"),
            report: s(ans, "report"),
            clear: ans.get("clear") == Some(&J::Bool(true)),
            files,
        })
    }

    /// The action for a worker's answer to `view`.
    pub fn from_view(ans: &J) -> ReleasesAction {
        if ans.get("ok") != Some(&J::Bool(true)) {
            return ReleasesAction::Failed(s(ans, "error"));
        }
        let revisions = ans
            .get("revisions")
            .and_then(J::as_array)
            .map(|a| {
                a.iter()
                    .map(|r| Revision {
                        revision: n(r, "revision"),
                        updated: s(r, "updated"),
                        status: s(r, "status"),
                        chart: s(r, "chart"),
                        app_version: s(r, "app_version"),
                        description: s(r, "description"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let secrets = ans
            .get("secrets")
            .and_then(J::as_array)
            .map(|a| a.iter().filter_map(J::as_str).map(String::from).collect())
            .unwrap_or_default();
        ReleasesAction::Viewed {
            revisions,
            cluster: s(ans, "cluster"),
            secrets,
        }
    }

    /// The action for a worker's answer to `diff`.
    pub fn from_diff(ans: &J) -> ReleasesAction {
        if ans.get("ok") != Some(&J::Bool(true)) {
            return ReleasesAction::Failed(s(ans, "error"));
        }
        ReleasesAction::DiffLoaded(DiffView {
            from: n(ans, "from"),
            to: n(ans, "to"),
            manifest: s(ans, "manifest"),
            values: s(ans, "values"),
            computed_values: s(ans, "computed_values"),
            explain: s(ans, "explain"),
        })
    }

    /// The action for a worker's answer to `secret`.
    pub fn from_secret(ans: &J) -> ReleasesAction {
        if ans.get("ok") != Some(&J::Bool(true)) {
            return ReleasesAction::Failed(s(ans, "error"));
        }
        let layers = ans
            .get("layers")
            .and_then(J::as_array)
            .map(|a| {
                a.iter()
                    .map(|l| Layer {
                        title: s(l, "title"),
                        step: s(l, "step"),
                        bytes: l.get("bytes").and_then(J::as_u64).unwrap_or(0),
                        text: s(l, "text"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        ReleasesAction::SecretLoaded(SecretView {
            name: s(ans, "secret"),
            layers,
        })
    }
}

impl Releases {
    /// The request that reads the timeline, the cluster view and the Secrets again.
    pub fn view_request(doc: &Document) -> J {
        json!({"op": "view", "namespace": doc.release.namespace, "name": doc.release.name})
    }

    /// The request for the diff picked (or the last two revisions).
    pub fn diff_request(&self, doc: &Document) -> Option<J> {
        let (from, to) = self.diff_pick?;
        Some(json!({"op": "diff", "namespace": doc.release.namespace,
            "name": doc.release.name, "from": from, "to": to}))
    }

    /// The request that runs `line` with the editor's chart synced first.
    pub fn run_request(doc: &Document, line: &str) -> J {
        json!({"op": "run", "line": line, "sync": sync_payload(doc)})
    }

    /// The latest revision, if the release has any.
    pub fn latest(&self) -> Option<&Revision> {
        self.revisions.iter().max_by_key(|r| r.revision)
    }

    /// The revision the Rollback button goes back to: the one picked while it exists, else
    /// the one before the latest (0: none).
    pub fn rollback_target(&self) -> i64 {
        match self.rollback_pick {
            Some(n) if self.revisions.iter().any(|r| r.revision == n) => n,
            _ => self.latest().map_or(0, |r| r.revision - 1).max(0),
        }
    }

    /// Applies an action; returns the chart's files the terminal changed, for the editor.
    pub fn reduce(&mut self, action: ReleasesAction) -> Option<BTreeMap<String, String>> {
        match action {
            ReleasesAction::Open(o) => self.open = o,
            ReleasesAction::SetTab(t) => self.tab = t,
            ReleasesAction::Input(t) => {
                self.input = t;
                self.history_pos = None;
            }
            ReleasesAction::History(dir) => {
                if self.history.is_empty() {
                    return None;
                }
                let last = self.history.len() - 1;
                let pos = match (self.history_pos, dir < 0) {
                    (None, true) => {
                        self.draft = self.input.clone();
                        Some(last)
                    }
                    (None, false) => None,
                    (Some(p), true) => Some(p.saturating_sub(1)),
                    (Some(p), false) if p >= last => None,
                    (Some(p), false) => Some(p + 1),
                };
                self.history_pos = pos;
                self.input = match pos {
                    Some(p) => self.history[p].clone(),
                    None => std::mem::take(&mut self.draft),
                };
            }
            ReleasesAction::Started { command, typed } => {
                if typed {
                    self.input.clear();
                    self.draft.clear();
                    self.history_pos = None;
                    if !command.trim().is_empty()
                        && self.history.last().map(String::as_str) != Some(command.as_str())
                    {
                        self.history.push(command.clone());
                        if self.history.len() > MAX_HISTORY {
                            self.history.remove(0);
                        }
                    }
                }
                self.transcript.push(TermEntry {
                    prompt: self.prompt.clone(),
                    command,
                    output: None,
                    status: 0,
                });
                if self.transcript.len() > MAX_TRANSCRIPT {
                    let extra = self.transcript.len() - MAX_TRANSCRIPT;
                    self.transcript.drain(..extra);
                }
                self.busy = true;
                self.error = None;
            }
            ReleasesAction::Finished(ran) => {
                self.busy = false;
                if ran.clear {
                    let keep = self.transcript.pop();
                    self.transcript.clear();
                    if let Some(mut e) = keep {
                        e.command.clear();
                        e.prompt.clear();
                        self.transcript.push(e);
                    }
                }
                let command = match self.transcript.last_mut() {
                    Some(e) if e.output.is_none() => {
                        e.output = Some(cut(ran.output, MAX_ENTRY_OUTPUT));
                        e.status = ran.status;
                        e.command.clone()
                    }
                    _ => String::new(),
                };
                if !ran.prompt.is_empty() {
                    self.prompt = ran.prompt;
                }
                if !ran.report.is_empty() {
                    self.report = Some(Report {
                        command,
                        text: ran.report,
                    });
                }
                return ran.files;
            }
            ReleasesAction::Failed(e) => {
                self.busy = false;
                if let Some(last) = self.transcript.last_mut() {
                    if last.output.is_none() {
                        last.output = Some(String::new());
                        last.status = 1;
                    }
                }
                self.error = Some(e);
            }
            ReleasesAction::Viewed {
                revisions,
                cluster,
                secrets,
            } => {
                let known = |v: i64| revisions.iter().any(|r| r.revision == v);
                // keep the pick while both revisions exist; else the last two
                let keep = self.diff_pick.filter(|(a, b)| known(*a) && known(*b));
                self.diff_pick = keep.or_else(|| {
                    // the two newest revisions
                    let newest = revisions.iter().map(|r| r.revision).max()?;
                    let before = revisions
                        .iter()
                        .map(|r| r.revision)
                        .filter(|v| *v < newest)
                        .max()?;
                    Some((before, newest))
                });
                if self.diff_pick.is_none() {
                    self.diff = None;
                }
                if self
                    .secret
                    .as_ref()
                    .is_some_and(|s| !secrets.contains(&s.name))
                {
                    self.secret = None;
                }
                self.revisions = revisions;
                self.cluster = cluster;
                self.secrets = secrets;
            }
            ReleasesAction::PickDiff(a, b) => self.diff_pick = Some((a, b)),
            ReleasesAction::PickRollback(n) => self.rollback_pick = Some(n),
            ReleasesAction::DiffLoaded(d) => {
                self.diff_pick = Some((d.from, d.to));
                self.diff = Some(d);
            }
            ReleasesAction::SecretLoaded(v) => self.secret = Some(v),
            ReleasesAction::ClearTerminal => self.transcript.clear(),
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::document::{SetEntry, SetKind};
    use crate::playground::examples::{self, ExampleId};

    #[test]
    fn buttons_are_helm_commands() {
        let mut doc = examples::build(ExampleId::Scaffold);
        doc.release.name = "myapi-release".into();
        assert_eq!(chart_dir(&doc), "myapi");
        assert_eq!(
            ReleaseOp::Install.command(&doc),
            "helm install myapi-release ./myapi"
        );
        doc.release.namespace = "team a".into();
        doc.overrides.values = "replicaCount: 2\n".into();
        doc.overrides.set.push(SetEntry {
            kind: SetKind::Set,
            expr: "image.tag=1.27".into(),
        });
        assert_eq!(
            ReleaseOp::Upgrade.command(&doc),
            "helm upgrade myapi-release ./myapi --namespace 'team a' -f overrides.yaml --set image.tag=1.27"
        );
        assert_eq!(
            ReleaseOp::Rollback(2).command(&doc),
            "helm rollback myapi-release 2 --namespace 'team a'"
        );
        assert_eq!(
            ReleaseOp::Uninstall.command(&doc),
            "helm uninstall myapi-release --namespace 'team a'"
        );
        let p = sync_payload(&doc);
        assert_eq!(p["dir"], "myapi");
        assert_eq!(p["overrides"], "replicaCount: 2\n");
        assert!(p["files"]["Chart.yaml"]
            .as_str()
            .unwrap()
            .contains("name: myapi"));
    }

    fn started(r: &mut Releases, c: &str) {
        r.reduce(ReleasesAction::Started {
            command: c.into(),
            typed: true,
        });
    }

    #[test]
    fn terminal_history_goes_up_and_down() {
        let mut r = Releases::default();
        started(&mut r, "helm ls");
        started(&mut r, "kubectl get pods");
        started(&mut r, "kubectl get pods");
        assert_eq!(r.history, ["helm ls", "kubectl get pods"]);
        r.reduce(ReleasesAction::Input("hel".into()));
        r.reduce(ReleasesAction::History(-1));
        assert_eq!(r.input, "kubectl get pods");
        r.reduce(ReleasesAction::History(-1));
        assert_eq!(r.input, "helm ls");
        r.reduce(ReleasesAction::History(-1));
        assert_eq!(r.input, "helm ls");
        r.reduce(ReleasesAction::History(1));
        assert_eq!(r.input, "kubectl get pods");
        r.reduce(ReleasesAction::History(1));
        assert_eq!(r.input, "hel");
        assert_eq!(r.history_pos, None);
    }

    #[test]
    fn answers_fill_the_transcript_report_and_views() {
        let mut r = Releases::default();
        r.reduce(ReleasesAction::Started {
            command: "helm install web ./demo".into(),
            typed: false,
        });
        assert!(r.busy);
        assert!(r.history.is_empty(), "buttons are not typed history");
        let files = r.reduce(ReleasesAction::from_run(&json!({"ok": true,
            "output": "NAME: web\n", "status": 0, "prompt": "student@chartlab:~/x$ ",
            "report": "Deployment web: created\n", "files": null})));
        assert_eq!(files, None);
        assert!(!r.busy);
        assert_eq!(r.transcript[0].output.as_deref(), Some("NAME: web\n"));
        assert_eq!(r.prompt, "student@chartlab:~/x$ ");
        assert_eq!(
            r.report,
            Some(Report {
                command: "helm install web ./demo".into(),
                text: "Deployment web: created\n".into()
            })
        );
        let v = json!({"ok": true, "revisions": [
            {"revision": 1, "updated": "2026-11-24T13:00:00Z", "status": "superseded", "chart": "demo-0.1.0", "app_version": "1.0", "description": "Install complete"},
            {"revision": 2, "updated": "2026-11-24T13:01:00Z", "status": "deployed", "chart": "demo-0.1.0", "app_version": "1.0", "description": "Upgrade complete"}],
            "cluster": "NAME ...\n", "secrets": ["sh.helm.release.v1.web.v1", "sh.helm.release.v1.web.v2"]});
        r.reduce(ReleasesAction::from_view(&v));
        assert_eq!(r.diff_pick, Some((1, 2)));
        assert_eq!(r.latest().map(|l| l.revision), Some(2));
        assert_eq!(r.rollback_target(), 1);
        r.reduce(ReleasesAction::PickRollback(2));
        assert_eq!(r.rollback_target(), 2);
        r.reduce(ReleasesAction::PickRollback(7));
        assert_eq!(
            r.rollback_target(),
            1,
            "a revision that does not exist is not offered"
        );
        assert_eq!(r.revisions[1].description, "Upgrade complete");
        r.reduce(ReleasesAction::PickDiff(2, 1));
        r.reduce(ReleasesAction::from_view(&v));
        assert_eq!(
            r.diff_pick,
            Some((2, 1)),
            "a pick of existing revisions stays"
        );
        r.reduce(ReleasesAction::from_view(
            &json!({"ok": true, "revisions": [], "cluster": "", "secrets": []}),
        ));
        assert_eq!(r.diff_pick, None);

        r.reduce(ReleasesAction::Started {
            command: "echo x > demo/a.txt".into(),
            typed: true,
        });
        let files = r.reduce(ReleasesAction::from_run(
            &json!({"ok": true, "output": "", "status": 0, "files": {"a.txt": "x\n"}}),
        ));
        assert_eq!(files.unwrap()["a.txt"], "x\n");
        r.reduce(ReleasesAction::Started {
            command: "x".into(),
            typed: true,
        });
        r.reduce(ReleasesAction::from_run(
            &json!({"ok": false, "error": "the cluster worker is gone"}),
        ));
        assert_eq!(r.error.as_deref(), Some("the cluster worker is gone"));
        assert_eq!(r.transcript.last().unwrap().status, 1);
        r.reduce(ReleasesAction::Started {
            command: "clear".into(),
            typed: true,
        });
        r.reduce(ReleasesAction::from_run(
            &json!({"ok": true, "output": "", "status": 0, "clear": true}),
        ));
        assert_eq!(r.transcript.len(), 1);
        assert_eq!(r.transcript[0].command, "");
    }

    #[test]
    fn transcript_is_bounded() {
        let mut r = Releases::default();
        for i in 0..(MAX_TRANSCRIPT + 10) {
            started(&mut r, &format!("echo {i}"));
        }
        assert_eq!(r.transcript.len(), MAX_TRANSCRIPT);
        assert_eq!(r.transcript[0].command, "echo 10");
    }

    #[test]
    fn diff_and_secret_answers() {
        let mut r = Releases::default();
        r.reduce(ReleasesAction::from_diff(&json!({"ok": true, "from": 1, "to": 3,
            "manifest": "--- revision 1\n", "values": "", "computed_values": "", "explain": "From revision 1 to revision 3:\n"})));
        assert_eq!(r.diff_pick, Some((1, 3)));
        assert_eq!(r.diff.as_ref().unwrap().manifest, "--- revision 1\n");
        r.reduce(ReleasesAction::from_secret(
            &json!({"ok": true, "secret": "sh.helm.release.v1.web.v1",
            "layers": [{"title": "t", "step": "| base64 -d", "bytes": 12, "text": "abc"}]}),
        ));
        let sv = r.secret.as_ref().unwrap();
        assert_eq!(sv.layers[0].bytes, 12);
        assert_eq!(sv.name, "sh.helm.release.v1.web.v1");
    }
}
