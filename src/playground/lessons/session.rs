//! The lesson panel's session, as the page talks to it: one [`ShellWorld`] (terminal,
//! workspace, simulated cluster) and the learner's [`Progress`], driven by JSON requests. In the
//! browser it lives in the Web Worker that holds the release code (`chartlab-worker`), so the
//! page's own download stays small; natively the tests drive it directly.
//!
//! | op | fields | does |
//! | --- | --- | --- |
//! | `lab.open` | `saved` (the saved progress), `lesson` or `lab` (index or number), `step` (index) | sets the session up at the step (a link's, else the saved one) |
//! | `lab.goto` | `lesson`, `step` | sets the session up at that step |
//! | `lab.reset` | — | sets the session up again at the step under way |
//! | `lab.run` | `line`, `sync` | runs a terminal line, then checks the step |
//! | `lab.show` | — | "show me": applies the step's change, then checks it |
//! | `lab.check` | `sync` | checks the step (after an edit) |
//! | `lab.preview` | `action` (`upgrade`/`rollback`), `revision` | the diff an upgrade or a rollback would make, before it happens |
//! | `lab.apply` | `action`, `revision`, `sync` | runs `helm upgrade --install …` or `helm rollback … N` in the terminal |
//!
//! `sync` (on any op but the three that set the session up) is the editor's chart
//! (`{path: text}`, relative to the lesson's chart folder), written there before the op when the
//! folder exists. Every answer is the [`View`]: the position, the
//! step's checks with their reasons, the progress to save, the lines the op ran with their
//! output, the prompt, the release's revisions, the last rollout report and the chart's files
//! for the editor.

use crate::engine::sort::SliceSort;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value as J};

use super::check::{project_dir, StepReport};
use super::runner::{show_me, Progress};
use super::world::{
    files_under, read_file, release_history, write_file, ActionRecord, LabWorld, RevisionInfo,
    ShellWorld, Sources,
};
use super::{lessons, Lesson};
use crate::engine::Map;
use crate::kube::cluster::Action as ObjAction;
use crate::release::action::{Configuration, DryRun};
use crate::release::diff::{diff_revisions, explain_diff};
use crate::release::rollback::Rollback;
use crate::release::storage::DriverKind;
use crate::release::upgrade::Upgrade;

/// Most files of the chart sent to the editor.
const MAX_CHART_FILES: usize = 2000;
/// Most bytes of one answer's terminal output (each line's start is kept).
const MAX_TRANSCRIPT: usize = 512 << 10;

/// One line the op ran, as the terminal shows it.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Ran {
    pub prompt: String,
    pub line: String,
    pub output: String,
    pub status: i32,
}

/// One check's verdict.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct CheckView {
    pub ok: bool,
    pub reason: String,
}

/// What every answer carries.
#[derive(Clone, Debug, Serialize)]
pub struct View {
    pub ok: bool,
    /// Why the op failed (a "show me" that could not apply, a bad request), if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Every lesson: number, title, summary, step count.
    pub lessons: Vec<LessonInfo>,
    /// The lesson under way's texts.
    pub guide: Option<Guide>,
    pub lesson: usize,
    /// The step under way (the step count once the lesson is complete).
    pub step: usize,
    /// Per lesson, the steps done (indices).
    pub done: Vec<Vec<usize>>,
    /// The checks of the step under way (empty once the lesson is complete).
    pub checks: Vec<CheckView>,
    /// The progress as saved in the browser (not `progress`: the worker's messages use that
    /// name for the progress lines of hook waits).
    pub saved: String,
    pub ran: Vec<Ran>,
    pub prompt: String,
    pub revisions: Vec<RevisionView>,
    /// The release's revisions as `helm history -o json` prints them, oldest first (what the
    /// releases panel's timeline shows).
    pub history: J,
    /// The command whose release action the rollout report is about.
    pub rollout_command: String,
    /// The rollout report of the release's last action in this session.
    pub rollout: String,
    /// The chart's files (text), `None` while the chart's folder does not exist.
    pub files: Option<BTreeMap<String, String>>,
    /// A preview's text (`lab.preview`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
}

/// A lesson in the list.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LessonInfo {
    pub number: u32,
    pub title: String,
    pub summary: String,
    pub steps: usize,
}

/// One step's text, for the guide.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct StepText {
    pub title: String,
    pub text: String,
    pub commands: Vec<String>,
    pub hints: Vec<String>,
    pub then: String,
}

/// The texts of the lesson under way (the page keeps no copy of the lessons: they are read
/// here, where the checks run).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Guide {
    pub number: u32,
    pub title: String,
    pub intro: String,
    pub release: String,
    /// The chart's folder, relative to the project (`charts/myapi`).
    pub chart: String,
    pub steps: Vec<StepText>,
}

impl From<&Lesson> for Guide {
    fn from(l: &Lesson) -> Self {
        Guide {
            number: l.number,
            title: l.title.clone(),
            intro: l.intro.clone(),
            release: l.release.clone(),
            chart: l.chart.clone(),
            steps: l
                .steps
                .iter()
                .map(|s| StepText {
                    title: s.title.clone(),
                    text: s.text.clone(),
                    commands: s.commands.clone(),
                    hints: s.hints.clone(),
                    then: s.then.clone(),
                })
                .collect(),
        }
    }
}

/// One revision for the timeline.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RevisionView {
    pub revision: i64,
    pub status: String,
    pub description: String,
    pub chart: String,
}

impl From<RevisionInfo> for RevisionView {
    fn from(r: RevisionInfo) -> Self {
        RevisionView {
            revision: r.revision,
            status: r.status,
            description: r.description,
            chart: r.chart,
        }
    }
}

/// The session behind the lesson panel.
pub struct LabSession {
    world: ShellWorld,
    progress: Progress,
    /// The report of the step under way, as last evaluated.
    report: Option<StepReport>,
}

fn object_word(a: ObjAction) -> &'static str {
    match a {
        ObjAction::Created => "created",
        ObjAction::Configured => "configured",
        ObjAction::Unchanged => "unchanged",
        ObjAction::Deleted => "deleted",
    }
}

/// A release action's rollout report in plain words: the objects it wrote and, for each
/// Deployment, whether its pods rolled and why.
pub fn rollout_text(a: &ActionRecord) -> String {
    let mut out = format!(
        "Revision {} of {} ({}):\n",
        a.revision, a.release, a.description
    );
    for (kind, name, act) in &a.report.objects {
        out.push_str(&format!("{kind} {name}: {}\n", object_word(*act)));
        if kind == "Deployment" {
            match a.report.rollouts.iter().find(|r| r.deployment == *name) {
                Some(r) => out.push_str(&format!("  {}\n", r.summary())),
                None => out.push_str("  pods roll: no (the pod template did not change)\n"),
            }
        }
    }
    out
}

fn cut(mut s: String) -> String {
    if s.len() > MAX_TRANSCRIPT {
        let mut at = MAX_TRANSCRIPT;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
        s.push_str("\n… (output cut)\n");
    }
    s
}

fn index(req: &J, key: &str) -> Option<usize> {
    req.get(key)
        .and_then(J::as_u64)
        .and_then(|n| usize::try_from(n).ok())
}

impl LabSession {
    pub fn new(sources: Sources) -> LabSession {
        let world = ShellWorld::new(sources);
        LabSession {
            progress: Progress::new(lessons()),
            world,
            report: None,
        }
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    pub fn world(&self) -> &ShellWorld {
        &self.world
    }

    fn lesson(&self) -> Option<&'static Lesson> {
        lessons().get(self.progress.lesson)
    }

    /// The terminal's prompt: `~/k8s-summit-2024$ `.
    pub fn prompt(&self) -> String {
        self.prompt_at(&self.world.shell().fs.cwd())
    }

    /// The prompt in a working directory (`$HOME` shown as `~`).
    fn prompt_at(&self, cwd: &str) -> String {
        let home = self.world.shell().fs.home();
        let shown = match cwd.strip_prefix(home.as_str()) {
            Some("") => "~".to_string(),
            Some(rest) if rest.starts_with('/') => format!("~{rest}"),
            _ => cwd.to_string(),
        };
        format!("{shown}$ ")
    }

    fn chart_dir(&self) -> Option<String> {
        let l = self.lesson()?;
        Some(format!("{}/{}", project_dir(&self.world, l), l.chart))
    }

    /// The editor's chart written into the lesson's chart folder (when it exists): changed and
    /// new files written, text files the editor no longer has removed.
    fn sync(&mut self, files: &J) -> Result<(), String> {
        let Some(map) = files.as_object() else {
            return Ok(());
        };
        let Some(dir) = self.chart_dir() else {
            return Ok(());
        };
        if !self.world.shell().fs.metadata(&dir).is_ok_and(|m| m.is_dir) {
            return Ok(());
        }
        if map.len() > MAX_CHART_FILES {
            return Err(format!("the chart has more than {MAX_CHART_FILES} files"));
        }
        for (rel, text) in map {
            let Some(text) = text.as_str() else { continue };
            crate::playground::workspace::check_path(rel)?;
            let abs = format!("{dir}/{rel}");
            if read_file(&self.world, &abs).as_deref() != Some(text.as_bytes()) {
                write_file(&mut self.world, &abs, text.as_bytes())?;
            }
        }
        for rel in files_under(&self.world, &dir, MAX_CHART_FILES) {
            let abs = format!("{dir}/{rel}");
            let is_text = read_file(&self.world, &abs)
                .is_some_and(|d| crate::playground::workspace::is_text(&d));
            if is_text && !map.contains_key(&rel) {
                let _ = self.world.shell_mut().fs.remove_file(&abs);
            }
        }
        Ok(())
    }

    fn chart_files(&self) -> Option<BTreeMap<String, String>> {
        let dir = self.chart_dir()?;
        if !self.world.shell().fs.metadata(&dir).is_ok_and(|m| m.is_dir) {
            return None;
        }
        let mut out = BTreeMap::new();
        for rel in files_under(&self.world, &dir, MAX_CHART_FILES) {
            if let Some(d) = read_file(&self.world, &format!("{dir}/{rel}")) {
                if crate::playground::workspace::is_text(&d) {
                    out.insert(rel, String::from_utf8_lossy(&d).into_owned());
                }
            }
        }
        Some(out)
    }

    /// Runs a line as the learner would, recording it for the transcript.
    fn run_line(&mut self, line: &str, ran: &mut Vec<Ran>) {
        let prompt = self.prompt();
        let r = self.world.run(line);
        ran.push(Ran {
            prompt,
            line: line.to_string(),
            output: cut(format!("{}{}", r.stdout, r.stderr)),
            status: r.status,
        });
    }

    fn refresh(&mut self) {
        self.report = self.progress.refresh(lessons(), &mut self.world);
    }

    fn prepare(&mut self, lesson: usize, step: usize) -> Result<(), String> {
        let r = self
            .progress
            .prepare(lessons(), &mut self.world, lesson, step);
        self.refresh();
        r
    }

    /// What a one-click upgrade or rollback would change, before it happens.
    pub fn preview(&mut self, action: &str, revision: i64) -> Result<String, String> {
        let l = self.lesson().ok_or("no lesson")?;
        let shell = self.world.shell();
        let mut cfg = Configuration::new(
            shell.cluster.clone(),
            &l.namespace,
            DriverKind::Secret,
            shell.env.clone(),
        );
        let current = cfg
            .release_content(&l.release, 0)
            .map_err(|e| format!("{}: {}", l.release, e.message))?;
        match action {
            "upgrade" => {
                let dir = self.chart_dir().ok_or("no chart")?;
                let files: crate::chart::FileMap = files_under(&self.world, &dir, 20_000)
                    .into_iter()
                    .filter_map(|rel| {
                        read_file(&self.world, &format!("{dir}/{rel}")).map(|d| (rel, d))
                    })
                    .collect();
                let chart = crate::chart::load_files(&files)?;
                let up = Upgrade {
                    dry_run: DryRun::Client,
                    ..Upgrade::default()
                };
                let next = up
                    .run(&mut cfg, &l.release, &chart, &Map::new())
                    .map_err(|e| format!("Error: UPGRADE FAILED: {}", e.message))?;
                let d = diff_revisions(&current, &next);
                Ok(format!(
                    "helm upgrade --install {} ./{} would make revision {}.\n{}\n{}",
                    l.release,
                    l.chart,
                    current.version + 1,
                    explain_diff(&d),
                    if d.manifest.is_empty() {
                        "The manifest would not change.\n".to_string()
                    } else {
                        d.manifest
                    }
                ))
            }
            "rollback" => {
                let target = cfg
                    .release_content(&l.release, revision)
                    .map_err(|e| format!("Error: {}", e.message))?;
                // a dry run checks what Helm would refuse (a missing revision, …)
                Rollback {
                    version: revision,
                    dry_run: DryRun::Client,
                    ..Rollback::default()
                }
                .run(&mut cfg, &l.release)
                .map_err(|e| format!("Error: {}", e.message))?;
                let d = diff_revisions(&current, &target);
                Ok(format!(
                    "helm rollback {} {revision} would make revision {} with revision {revision}'s manifest.\n{}\n{}",
                    l.release,
                    current.version + 1,
                    explain_diff(&d),
                    if d.manifest.is_empty() {
                        "The manifest would not change.\n".to_string()
                    } else {
                        d.manifest
                    }
                ))
            }
            other => Err(format!("unknown action {other:?}")),
        }
    }

    /// Answers one request (see the module's table).
    pub fn handle(&mut self, req: &J) -> View {
        let op = req.get("op").and_then(J::as_str).unwrap_or("");
        let mut ran = Vec::new();
        let mut preview = None;
        let result: Result<(), String> = (|| {
            // the editor's chart goes in first, except where the session is set up anew
            if !matches!(op, "lab.open" | "lab.goto" | "lab.reset") {
                if let Some(s) = req.get("sync") {
                    self.sync(s)?;
                }
            }
            match op {
                "lab.open" => {
                    let ls = lessons();
                    if let Some(saved) = req.get("saved").and_then(J::as_str) {
                        if let Ok(p) = Progress::from_json(saved, ls) {
                            self.progress = p;
                        }
                    }
                    // a link names the lab by its number
                    let by_number = req
                        .get("lab")
                        .and_then(J::as_u64)
                        .and_then(|n| ls.iter().position(|l| u64::from(l.number) == n));
                    let lesson = index(req, "lesson")
                        .or(by_number)
                        .unwrap_or(self.progress.lesson);
                    let step = index(req, "step").unwrap_or(self.progress.step);
                    let lesson = lesson.min(ls.len().saturating_sub(1));
                    self.prepare(lesson, step)
                }
                "lab.goto" => {
                    let lesson = index(req, "lesson").ok_or("which lesson?")?;
                    let step = index(req, "step").unwrap_or(0);
                    if lesson >= lessons().len() {
                        return Err(format!("there is no lesson {}", lesson + 1));
                    }
                    self.prepare(lesson, step)
                }
                "lab.reset" => self.prepare(self.progress.lesson, self.progress.step),
                "lab.run" => {
                    let line = req.get("line").and_then(J::as_str).unwrap_or("");
                    if !line.trim().is_empty() {
                        self.run_line(line, &mut ran);
                    }
                    self.refresh();
                    Ok(())
                }
                "lab.check" => {
                    self.refresh();
                    Ok(())
                }
                "lab.show" => {
                    let l = self.lesson().ok_or("no lesson")?;
                    let step = self.progress.step;
                    let first = self.world.commands().last().map_or(0, |c| c.seq);
                    let r = show_me(l, step, &mut self.world);
                    // the lines show me ran, for the terminal
                    for c in self.world.commands().iter().filter(|c| c.seq > first) {
                        ran.push(Ran {
                            prompt: self.prompt_at(&c.cwd),
                            line: c.line.clone(),
                            output: cut(format!("{}{}", c.stdout, c.stderr)),
                            status: c.status,
                        });
                    }
                    self.refresh();
                    r
                }
                "lab.preview" => {
                    let action = req.get("action").and_then(J::as_str).unwrap_or("");
                    let revision = req.get("revision").and_then(J::as_i64).unwrap_or(0);
                    preview = Some(self.preview(action, revision)?);
                    Ok(())
                }
                "lab.apply" => {
                    let l = self.lesson().ok_or("no lesson")?;
                    let line = match req.get("action").and_then(J::as_str).unwrap_or("") {
                        "upgrade" => format!("helm upgrade --install {} ./{}", l.release, l.chart),
                        "rollback" => {
                            let n = req.get("revision").and_then(J::as_i64).unwrap_or(0);
                            format!("helm rollback {} {n}", l.release)
                        }
                        other => return Err(format!("unknown action {other:?}")),
                    };
                    let project = project_dir(&self.world, l);
                    if self.world.shell().fs.cwd() != project {
                        self.run_line(&format!("cd ~/{}", l.project), &mut ran);
                    }
                    self.run_line(&line, &mut ran);
                    self.refresh();
                    Ok(())
                }
                other => Err(format!("unknown request {other:?}")),
            }
        })();
        self.view(result.err(), ran, preview)
    }

    fn view(&self, error: Option<String>, ran: Vec<Ran>, preview: Option<String>) -> View {
        let ls = lessons();
        let p = &self.progress;
        let done = ls
            .iter()
            .enumerate()
            .map(|(i, l)| (0..l.steps.len()).filter(|s| p.is_done(i, *s)).collect())
            .collect();
        let checks = self
            .report
            .as_ref()
            .map(|r| {
                r.checks
                    .iter()
                    .map(|c| CheckView {
                        ok: c.ok,
                        reason: c.reason.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let history = self
            .lesson()
            .map(|l| {
                let shell = self.world.shell();
                let mut cfg = Configuration::new(
                    shell.cluster.clone(),
                    &l.namespace,
                    DriverKind::Secret,
                    shell.env.clone(),
                );
                let mut h =
                    crate::release::query::history(&mut cfg, &l.release).unwrap_or_default();
                h.sort_stable_by_key(|r| r.version);
                crate::release::cli::history(&h, crate::release::cli::Format::Json)
                    .ok()
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .unwrap_or(J::Array(Vec::new()))
            })
            .unwrap_or(J::Array(Vec::new()));
        let rollout_command = self
            .lesson()
            .and_then(|l| {
                let a = self
                    .world
                    .actions()
                    .iter()
                    .rev()
                    .find(|a| a.release == l.release && a.namespace == l.namespace)?;
                self.world
                    .commands()
                    .iter()
                    .find(|c| c.seq == a.seq)
                    .map(|c| c.line.clone())
            })
            .unwrap_or_default();
        let (revisions, rollout) = match self.lesson() {
            Some(l) => (
                release_history(self.world.shell(), &l.namespace, &l.release)
                    .into_iter()
                    .map(RevisionView::from)
                    .collect(),
                self.world
                    .actions()
                    .iter()
                    .rev()
                    .find(|a| a.release == l.release && a.namespace == l.namespace)
                    .map(rollout_text)
                    .unwrap_or_default(),
            ),
            None => (Vec::new(), String::new()),
        };
        View {
            ok: error.is_none(),
            error,
            lessons: ls
                .iter()
                .map(|l| LessonInfo {
                    number: l.number,
                    title: l.title.clone(),
                    summary: l.summary.clone(),
                    steps: l.steps.len(),
                })
                .collect(),
            guide: self.lesson().map(Guide::from),
            lesson: p.lesson,
            step: p.step,
            done,
            checks,
            saved: p.to_json(ls),
            ran,
            prompt: self.prompt(),
            revisions,
            history,
            rollout_command,
            rollout,
            files: self.chart_files(),
            preview,
        }
    }

    /// [`LabSession::handle`] with JSON in and out (the worker's messages).
    pub fn handle_json(&mut self, req: &J) -> J {
        serde_json::to_value(self.handle(req))
            .unwrap_or_else(|e| json!({"ok": false, "error": e.to_string()}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_514_400;

    fn session() -> LabSession {
        LabSession::new(Sources::fixed(NOW, 7))
    }

    #[test]
    fn a_lesson_through_requests() {
        let mut s = session();
        let v = s.handle(&json!({"op": "lab.open", "lesson": 0, "step": 0}));
        assert!(v.ok, "{:?}", v.error);
        assert_eq!((v.lesson, v.step), (0, 0));
        assert_eq!(
            v.lessons
                .iter()
                .map(|l| (l.number, l.steps))
                .collect::<Vec<_>>(),
            [(1, 7), (2, 8), (3, 8), (4, 6)]
        );
        let guide = v.guide.as_ref().expect("guide");
        assert_eq!(
            (guide.number, guide.steps[0].title.as_str()),
            (1, "Make a project folder")
        );
        assert_eq!(
            v.checks,
            vec![CheckView {
                ok: false,
                reason: ".git/HEAD does not exist yet".into()
            }]
        );
        assert_eq!(v.prompt, "~$ ");
        assert!(v.files.is_none());
        let v = s.handle(&json!({"op": "lab.run", "line": "mkdir k8s-summit-2024 && cd k8s-summit-2024 && git init -q"}));
        assert!(v.ok, "{:?}", v.error);
        assert_eq!(v.ran.len(), 1);
        assert_eq!(v.ran[0].prompt, "~$ ");
        assert_eq!(v.prompt, "~/k8s-summit-2024$ ");
        assert_eq!((v.step, v.done[0].clone()), (1, vec![0]));
        // show me runs the step's commands and shows them as typed
        let v = s.handle(&json!({"op": "lab.show"}));
        assert!(v.ok, "{:?}", v.error);
        assert_eq!(
            v.ran
                .iter()
                .map(|r| (r.prompt.as_str(), r.line.as_str()))
                .collect::<Vec<_>>(),
            [
                ("~/k8s-summit-2024$ ", "mkdir -p charts"),
                ("~/k8s-summit-2024$ ", "helm create charts/myapi")
            ]
        );
        assert_eq!(v.ran[1].output, "Creating charts/myapi\n");
        assert_eq!(v.step, 2);
        let files = v.files.expect("chart files");
        assert!(files["values.yaml"].contains("repository: nginx"));
        // an edit from the editor goes into the chart before the check
        let mut edited = files.clone();
        edited.insert("NOTE.txt".into(), "mine\n".into());
        let v = s.handle(&json!({"op": "lab.check", "sync": edited}));
        assert!(v.files.expect("files").contains_key("NOTE.txt"));
        // the progress is what the page saves; a new session opens where it was
        let saved = v.saved.clone();
        let mut again = session();
        let v = again.handle(&json!({"op": "lab.open", "saved": saved.clone()}));
        assert_eq!((v.lesson, v.step), (0, 2));
        // a teacher's link: lab 2, step 3 (by the lab's number)
        let mut linked = session();
        let w = linked.handle(&json!({"op": "lab.open", "saved": saved, "lab": 2, "step": 2}));
        assert_eq!((w.lesson, w.step), (1, 2));
        assert_eq!(w.done[0].len(), 7);
        assert_eq!(w.guide.expect("guide").number, 2);
        assert_eq!(v.done[0], vec![0, 1]);
        assert_eq!(v.prompt, "~/k8s-summit-2024$ ");
        // unknown ops say so
        let v = again.handle(&json!({"op": "lab.nope"}));
        assert_eq!(v.error.as_deref(), Some("unknown request \"lab.nope\""));
    }

    #[test]
    fn instructor_previews_and_applies_an_upgrade_and_a_rollback() {
        let mut s = session();
        // lab 2, step 4: the chart is the API, revision 1 is the scaffold
        let v = s.handle(&json!({"op": "lab.goto", "lesson": 1, "step": 3}));
        assert!(v.ok, "{:?}", v.error);
        assert_eq!(v.revisions.len(), 1);
        let v = s.handle(&json!({"op": "lab.preview", "action": "upgrade"}));
        let text = v.preview.expect("preview");
        assert!(
            text.starts_with("helm upgrade --install myapi-release ./charts/myapi would make revision 2.\nFrom revision 1 to revision 2:\n"),
            "{text}"
        );
        assert!(
            text.contains("- ConfigMap myapi-release: added\n"),
            "{text}"
        );
        assert!(
            text.contains("- Deployment myapi-release: pods roll, because"),
            "{text}"
        );
        assert!(
            text.contains(
                "+          image: \"tiangolo/uvicorn-gunicorn-fastapi:python3.11-slim\""
            ),
            "{text}"
        );
        // nothing happened
        assert_eq!(s.handle(&json!({"op": "lab.check"})).revisions.len(), 1);
        let v = s.handle(&json!({"op": "lab.apply", "action": "upgrade"}));
        assert!(v.ok, "{:?}", v.error);
        assert_eq!(
            v.ran.last().map(|r| r.line.as_str()),
            Some("helm upgrade --install myapi-release ./charts/myapi")
        );
        assert_eq!(v.revisions.len(), 2);
        assert_eq!(v.history[1]["description"], "Upgrade complete");
        assert_eq!(v.history[1]["app_version"], "1.16.0");
        assert_eq!(
            v.rollout_command,
            "helm upgrade --install myapi-release ./charts/myapi"
        );
        assert!(
            v.rollout
                .starts_with("Revision 2 of myapi-release (Upgrade complete):\n"),
            "{}",
            v.rollout
        );
        assert!(
            v.rollout.contains("ConfigMap myapi-release: created\n"),
            "{}",
            v.rollout
        );
        assert!(
            v.rollout.contains("  pods roll: yes, because"),
            "{}",
            v.rollout
        );
        assert_eq!(v.step, 4, "the upgrade was the step");
        let v = s.handle(&json!({"op": "lab.preview", "action": "rollback", "revision": 1}));
        let text = v.preview.expect("preview");
        assert!(text.starts_with("helm rollback myapi-release 1 would make revision 3 with revision 1's manifest.\nFrom revision 2 to revision 1:\n"), "{text}");
        assert!(
            text.contains("- ConfigMap myapi-release: removed\n"),
            "{text}"
        );
        let v = s.handle(&json!({"op": "lab.preview", "action": "rollback", "revision": 9}));
        assert_eq!(v.error.as_deref(), Some("Error: release: not found"));
        let v = s.handle(&json!({"op": "lab.apply", "action": "rollback", "revision": 1}));
        assert_eq!(
            v.ran.last().map(|r| r.output.as_str()),
            Some("Rollback was a success! Happy Helming!\n")
        );
        assert_eq!(
            v.revisions
                .iter()
                .map(|r| (r.revision, r.status.as_str(), r.description.as_str()))
                .collect::<Vec<_>>(),
            [
                (1, "superseded", "Install complete"),
                (2, "superseded", "Upgrade complete"),
                (3, "deployed", "Rollback to 1")
            ]
        );
        assert!(
            v.rollout.contains("ConfigMap myapi-release: deleted\n"),
            "{}",
            v.rollout
        );
    }
}
