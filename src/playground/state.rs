//! The app's state machine (in the style of yew's todomvc): every change the UI makes is an
//! [`Action`], and [`reduce`] applies it to the [`State`]. Nothing here touches the browser, so
//! every interaction is tested natively; the yew components only show the state and dispatch.
//!
//! Work is never lost silently: whatever replaces the whole document (an example, a reset, an
//! imported chart, an opened link) first keeps the current one, and [`Action::Undo`] brings it
//! back.

use std::rc::Rc;

use super::document::{Document, ReleaseSettings, SetEntry};
use super::examples::{self, ExampleId};
use super::releases::{Releases, ReleasesAction};
use super::render::RenderReport;
use super::share::{LessonLink, Shared};
use super::workspace::{self, Workspace};
use crate::chart::FileMap;

/// The output pane's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputTab {
    /// What `helm template` prints: one section per rendered file.
    Manifest,
    /// The rendered NOTES.txt.
    Notes,
    /// The computed values (chart defaults coalesced with the user's).
    Values,
}

impl OutputTab {
    pub const ALL: [OutputTab; 3] = [OutputTab::Manifest, OutputTab::Notes, OutputTab::Values];

    pub fn label(self) -> &'static str {
        match self {
            OutputTab::Manifest => "Manifest",
            OutputTab::Notes => "NOTES",
            OutputTab::Values => "Computed values",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            OutputTab::Manifest => "manifest",
            OutputTab::Notes => "notes",
            OutputTab::Values => "values",
        }
    }
}

/// What the left pane edits besides chart files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// A file of the chart.
    File(String),
    /// The release settings and user values (`helm template NAME … -f … --set …`).
    Settings,
}

/// A message for the user (shown until dismissed or replaced).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// Whether an Undo is offered with it.
    pub undo: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// The document as it was before something replaced it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub doc: Document,
    pub origin: Option<ExampleId>,
    pub selection: Option<Selection>,
    /// What replaced it ("reset to the example", "opened a shared link", …).
    pub reason: String,
}

/// Everything the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub doc: Document,
    /// The example the document was made from (reset goes back to it; links are encoded as
    /// the difference from it).
    pub origin: Option<ExampleId>,
    pub selection: Option<Selection>,
    pub tab: OutputTab,
    /// Bumped on every change of the document: the UI renders (debounced) and autosaves when it
    /// moves.
    pub doc_rev: u64,
    /// Bumped when the document is replaced from outside the editor (example, reset, undo,
    /// import, link): the editor then takes the new text instead of keeping its own.
    pub load_epoch: u64,
    /// The last finished render (possibly of an older `doc_rev` while typing).
    pub render: Option<Rc<RenderReport>>,
    /// The guided lessons' position while the lesson panel is open (kept in the link).
    pub lesson: Option<LessonLink>,
    /// What Undo restores.
    pub undo: Option<Box<Snapshot>>,
    pub notice: Option<Notice>,
    /// The releases panel: terminal, timeline, diff, rollout report, cluster, Secret.
    pub releases: Releases,
}

impl Default for State {
    fn default() -> Self {
        State::from_example(ExampleId::Scaffold)
    }
}

impl State {
    /// A fresh state showing an example.
    pub fn from_example(id: ExampleId) -> State {
        State {
            doc: examples::build(id),
            origin: Some(id),
            selection: Some(Selection::File(id.first_file().to_string())),
            tab: OutputTab::Manifest,
            doc_rev: 1,
            load_epoch: 1,
            render: None,
            lesson: None,
            undo: None,
            notice: None,
            releases: Releases::default(),
        }
    }

    /// A state restored from a link or an autosave (no undo: nothing was there before).
    pub fn from_shared(shared: Shared, undo: Option<Snapshot>) -> State {
        let selection = shared
            .selected
            .map(Selection::File)
            .or_else(|| first_file(&shared.doc.workspace).map(Selection::File));
        State {
            doc: shared.doc,
            origin: shared.origin,
            selection,
            tab: OutputTab::Manifest,
            doc_rev: 1,
            load_epoch: 1,
            render: None,
            lesson: shared.lesson,
            undo: undo.map(Box::new),
            notice: None,
            releases: Releases::default(),
        }
    }

    /// The document and open file as a link or autosave carries them.
    pub fn shared(&self) -> Shared {
        Shared {
            doc: self.doc.clone(),
            origin: self.origin,
            selected: self.selected_file().map(str::to_string),
            lesson: self.lesson,
        }
    }

    /// The file open in the editor, if a file is selected and exists.
    pub fn selected_file(&self) -> Option<&str> {
        match &self.selection {
            Some(Selection::File(p)) if self.doc.workspace.is_file(p) => Some(p),
            _ => None,
        }
    }

    /// Whether the output shown is older than the document.
    pub fn render_is_stale(&self) -> bool {
        self.render
            .as_ref()
            .is_none_or(|r| r.doc_rev != self.doc_rev)
    }

    /// Whether the document differs from the example it came from.
    pub fn differs_from_origin(&self) -> bool {
        match self.origin {
            Some(id) => examples::build(id) != self.doc,
            None => true,
        }
    }

    fn changed(&mut self) {
        self.doc_rev += 1;
    }

    fn replaced(&mut self) {
        self.doc_rev += 1;
        self.load_epoch += 1;
    }

    fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            undo: false,
        });
    }

    fn info(&mut self, text: impl Into<String>, undo: bool) {
        self.notice = Some(Notice {
            kind: NoticeKind::Info,
            text: text.into(),
            undo,
        });
    }

    /// Replaces the document, keeping the current one for Undo.
    fn replace(
        &mut self,
        doc: Document,
        origin: Option<ExampleId>,
        selection: Option<Selection>,
        reason: &str,
    ) {
        let before = Snapshot {
            doc: std::mem::replace(&mut self.doc, doc),
            origin: std::mem::replace(&mut self.origin, origin),
            selection: std::mem::replace(&mut self.selection, selection),
            reason: reason.to_string(),
        };
        self.undo = Some(Box::new(before));
        self.replaced();
        self.info(
            format!("{reason}: Undo brings your previous chart back"),
            true,
        );
    }

    fn edit_workspace(&mut self, f: impl FnOnce(&mut Workspace) -> Result<(), String>) -> bool {
        match f(&mut self.doc.workspace) {
            Ok(()) => {
                self.changed();
                true
            }
            Err(e) => {
                self.error(e);
                false
            }
        }
    }

    fn edit_release(&mut self, f: impl FnOnce(&mut ReleaseSettings)) {
        let before = self.doc.release.clone();
        f(&mut self.doc.release);
        if self.doc.release != before {
            self.changed();
        }
    }
}

/// The first file worth opening: values.yaml, else Chart.yaml, else any.
fn first_file(ws: &Workspace) -> Option<String> {
    ["values.yaml", "Chart.yaml"]
        .into_iter()
        .find(|p| ws.is_file(p))
        .map(str::to_string)
        .or_else(|| ws.file_paths().next().map(str::to_string))
}

/// Everything the UI can do to the state.
#[derive(Clone, Debug)]
pub enum Action {
    /// Open a file (or folder: only selects it) in the editor.
    Select(String),
    /// Show the release settings and user values.
    SelectSettings,
    /// The editor's text of a file changed.
    Edit {
        path: String,
        text: String,
    },
    /// Make an empty file (the path as the user typed it).
    CreateFile(String),
    /// Make an empty folder.
    CreateDir(String),
    Rename {
        from: String,
        to: String,
    },
    Delete(String),
    /// Files added from the user's disk: each written (created or replaced) under `dir`.
    Upload {
        dir: String,
        files: Vec<(String, Vec<u8>)>,
    },
    /// Replace the whole chart with an imported one (an unpacked `.tgz`, a dropped folder).
    Import {
        files: FileMap,
        dirs: Vec<String>,
        source: String,
    },
    SetReleaseName(String),
    SetNamespace(String),
    SetRevision(i64),
    SetUpgrade(bool),
    SetKubeVersion(String),
    /// The `--api-versions` list, one per line or comma-separated.
    SetApiVersions(String),
    /// The `-f` values file's text.
    SetValuesOverride(String),
    AddSet(SetEntry),
    UpdateSet(usize, SetEntry),
    RemoveSet(usize),
    /// Replace the chart with a built-in example.
    LoadExample(ExampleId),
    /// Go back to the example the chart came from.
    ResetToExample,
    /// Undo the last replacement of the whole document.
    Undo,
    /// A shared link opened while the page runs (the current work goes to Undo).
    OpenShared(Shared),
    /// The lesson panel opened, moved (lab, step, instructor view) or closed.
    SetLesson(Option<LessonLink>),
    /// The lesson's chart as its session left it (text files, paths relative to the chart):
    /// the editor shows it.
    LessonFiles(std::collections::BTreeMap<String, String>),
    SetTab(OutputTab),
    /// A render finished.
    Rendered(Rc<RenderReport>),
    DismissNotice,
    /// Something outside the state went wrong or finished (saving, copying a link, a download).
    Notify {
        error: bool,
        text: String,
    },
    /// The releases panel (its terminal may change the chart's files).
    Releases(ReleasesAction),
}

/// Puts the chart's text files as a terminal command left them into the document (files that
/// are not text stay as they are).
fn take_terminal_files(state: &mut State, files: std::collections::BTreeMap<String, String>) {
    put_text_files(state, files, None);
}

/// Puts the lesson's chart into the document: its text files written, text files it no
/// longer has removed; files that are not text stay. The chart counts as replaced from outside
/// the editor, so the editor takes the new text.
fn lesson_files(state: &mut State, files: std::collections::BTreeMap<String, String>) {
    // every lesson's chart grows from `helm create`'s: links stay short as its difference
    put_text_files(state, files, Some(ExampleId::Scaffold));
}

/// Makes the chart's text files exactly `files` (writing changed ones, removing text files not
/// in it; other files stay). When anything changed, the document counts as replaced from
/// outside the editor, derived from `origin` if one is given.
fn put_text_files(
    state: &mut State,
    files: std::collections::BTreeMap<String, String>,
    origin: Option<ExampleId>,
) {
    let mut ws = state.doc.workspace.clone();
    let gone: Vec<String> = ws
        .files()
        .filter(|(p, d)| workspace::is_text(d) && !files.contains_key(*p))
        .map(|(p, _)| p.to_string())
        .collect();
    for p in gone {
        if let Err(e) = ws.remove(&p) {
            return state.error(format!("{p}: {e}"));
        }
    }
    for (p, text) in files {
        if ws.file(&p) != Some(text.as_bytes()) {
            if let Err(e) = ws.write(&p, text.into_bytes()) {
                return state.error(format!("{p}: {e}"));
            }
        }
    }
    if ws != state.doc.workspace {
        state.doc.workspace = ws;
        if origin.is_some() {
            state.origin = origin;
        }
        state.replaced();
        if state.selected_file().is_none() {
            state.selection = first_file(&state.doc.workspace).map(Selection::File);
        }
    }
}

/// Applies an action.
pub fn reduce(state: &mut State, action: Action) {
    match action {
        Action::Releases(a) => {
            if let Some(files) = state.releases.reduce(a) {
                take_terminal_files(state, files);
            }
        }
        Action::Select(path) => {
            state.selection = Some(Selection::File(path));
        }
        Action::SelectSettings => state.selection = Some(Selection::Settings),
        Action::Edit { path, text } => {
            if !state.doc.workspace.is_file(&path) {
                state.error(format!("{path} is no longer in the chart"));
                return;
            }
            if state.doc.workspace.file(&path) == Some(text.as_bytes()) {
                return;
            }
            state.edit_workspace(|ws| ws.write(&path, text.into_bytes()));
        }
        Action::CreateFile(input) => {
            let path = match workspace::normalize_path(&input) {
                Ok(p) => p,
                Err(e) => return state.error(e),
            };
            if state.edit_workspace(|ws| ws.create_file(&path, Vec::new())) {
                state.selection = Some(Selection::File(path));
                state.notice = None;
            }
        }
        Action::CreateDir(input) => {
            let path = match workspace::normalize_path(&input) {
                Ok(p) => p,
                Err(e) => return state.error(e),
            };
            if state.doc.workspace.exists(&path) {
                return state.error(format!("{path:?} already exists"));
            }
            if state.edit_workspace(|ws| ws.create_dir(&path)) {
                state.notice = None;
            }
        }
        Action::Rename { from, to } => {
            let to = match workspace::normalize_path(&to) {
                Ok(p) => p,
                Err(e) => return state.error(e),
            };
            if state.edit_workspace(|ws| ws.rename(&from, &to)) {
                // keep the open file open under its new name
                if let Some(Selection::File(sel)) = &state.selection {
                    let moved = if *sel == from {
                        Some(to.clone())
                    } else {
                        sel.strip_prefix(&format!("{from}/"))
                            .map(|rest| format!("{to}/{rest}"))
                    };
                    if let Some(m) = moved {
                        state.selection = Some(Selection::File(m));
                        state.load_epoch += 1;
                    }
                }
                state.notice = None;
            }
        }
        Action::Delete(path) => {
            let before = Snapshot {
                doc: state.doc.clone(),
                origin: state.origin,
                selection: state.selection.clone(),
                reason: format!("Deleted {path}"),
            };
            if state.edit_workspace(|ws| ws.remove(&path)) {
                state.undo = Some(Box::new(before));
                if let Some(Selection::File(sel)) = &state.selection {
                    if *sel == path || sel.starts_with(&format!("{path}/")) {
                        state.selection = first_file(&state.doc.workspace).map(Selection::File);
                    }
                }
                state.info(format!("Deleted {path}"), true);
            }
        }
        Action::Upload { dir, files } => {
            let dir = dir.trim().trim_matches('/').to_string();
            let mut ws = state.doc.workspace.clone();
            let mut last = None;
            for (name, data) in files {
                let joined = if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                };
                let path = match workspace::normalize_path(&joined) {
                    Ok(p) => p,
                    Err(e) => return state.error(e),
                };
                if let Err(e) = ws.write(&path, data) {
                    return state.error(format!("{path}: {e}"));
                }
                last = Some(path);
            }
            state.doc.workspace = ws;
            state.replaced();
            if let Some(p) = last {
                state.selection = Some(Selection::File(p));
            }
            state.notice = None;
        }
        Action::Import {
            files,
            dirs,
            source,
        } => {
            let dirs: Vec<&str> = dirs.iter().map(String::as_str).collect();
            match Workspace::from_parts(files, dirs) {
                Ok(ws) => {
                    if !ws.is_file("Chart.yaml") {
                        return state.error(format!(
                            "{source} has no Chart.yaml at its top: is it a chart?"
                        ));
                    }
                    let doc = Document {
                        workspace: ws,
                        ..state.doc.clone()
                    };
                    let sel = first_file(&doc.workspace).map(Selection::File);
                    state.replace(doc, None, sel, &format!("Imported {source}"));
                }
                Err(e) => state.error(format!("cannot import {source}: {e}")),
            }
        }
        Action::SetReleaseName(v) => state.edit_release(|r| r.name = v),
        Action::SetNamespace(v) => state.edit_release(|r| r.namespace = v),
        Action::SetRevision(v) => state.edit_release(|r| r.revision = v),
        Action::SetUpgrade(v) => state.edit_release(|r| r.is_upgrade = v),
        Action::SetKubeVersion(v) => state.edit_release(|r| r.kube_version = v.trim().to_string()),
        Action::SetApiVersions(text) => {
            let list: Vec<String> = text
                .split([',', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            state.edit_release(|r| r.api_versions = list);
        }
        Action::SetValuesOverride(text) => {
            if state.doc.overrides.values != text {
                state.doc.overrides.values = text;
                state.changed();
            }
        }
        Action::AddSet(entry) => {
            if state.doc.overrides.set.len() >= super::document::MAX_SET_ENTRIES {
                return state.error("that is as many --set entries as ChartLab keeps");
            }
            state.doc.overrides.set.push(entry);
            state.changed();
        }
        Action::UpdateSet(i, entry) => {
            if let Some(e) = state.doc.overrides.set.get_mut(i) {
                if *e != entry {
                    *e = entry;
                    state.changed();
                }
            }
        }
        Action::RemoveSet(i) => {
            if i < state.doc.overrides.set.len() {
                state.doc.overrides.set.remove(i);
                state.changed();
            }
        }
        Action::LoadExample(id) => {
            let doc = examples::build(id);
            let sel = Some(Selection::File(id.first_file().to_string()));
            state.replace(doc, Some(id), sel, &format!("Loaded “{}”", id.info().title));
        }
        Action::ResetToExample => {
            let Some(id) = state.origin else {
                return state.error(
                    "this chart did not come from an example; load one from the examples menu",
                );
            };
            let doc = examples::build(id);
            if doc == state.doc {
                return state.info("the chart is already the example, unchanged", false);
            }
            let sel = state
                .selected_file()
                .filter(|p| doc.workspace.is_file(p))
                .map(|p| Selection::File(p.to_string()))
                .or_else(|| Some(Selection::File(id.first_file().to_string())));
            state.replace(doc, Some(id), sel, "Reset to the example");
        }
        Action::Undo => {
            let Some(snap) = state.undo.take() else {
                return state.error("nothing to undo");
            };
            let snap = *snap;
            // the undone state can itself be undone (redo)
            let redo = Snapshot {
                doc: std::mem::replace(&mut state.doc, snap.doc),
                origin: std::mem::replace(&mut state.origin, snap.origin),
                selection: std::mem::replace(&mut state.selection, snap.selection),
                reason: format!("Undid: {}", snap.reason),
            };
            state.undo = Some(Box::new(redo));
            state.replaced();
            state.info(format!("Undid: {}", snap.reason), true);
        }
        Action::OpenShared(shared) => {
            let sel = shared
                .selected
                .clone()
                .map(Selection::File)
                .or_else(|| first_file(&shared.doc.workspace).map(Selection::File));
            state.replace(shared.doc, shared.origin, sel, "Opened a shared link");
            state.lesson = shared.lesson;
        }
        Action::SetLesson(lesson) => state.lesson = lesson,
        Action::LessonFiles(files) => lesson_files(state, files),
        Action::SetTab(tab) => state.tab = tab,
        Action::Rendered(report) => {
            let newer = state
                .render
                .as_ref()
                .is_none_or(|r| report.doc_rev >= r.doc_rev);
            if newer && report.doc_rev <= state.doc_rev {
                state.render = Some(report);
            }
        }
        Action::DismissNotice => state.notice = None,
        Action::Notify { error, text } => {
            if error {
                state.error(text);
            } else {
                state.info(text, false);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::document::SetKind;

    fn run(state: &mut State, actions: impl IntoIterator<Item = Action>) {
        for a in actions {
            reduce(state, a);
        }
    }

    fn values(state: &State) -> String {
        state
            .doc
            .workspace
            .text("values.yaml")
            .expect("values.yaml")
            .into_owned()
    }

    #[test]
    fn editing_bumps_the_revision_only_on_change() {
        let mut s = State::default();
        let rev = s.doc_rev;
        let text = values(&s);
        reduce(
            &mut s,
            Action::Edit {
                path: "values.yaml".into(),
                text: text.clone(),
            },
        );
        assert_eq!(s.doc_rev, rev);
        reduce(
            &mut s,
            Action::Edit {
                path: "values.yaml".into(),
                text: text.replace("replicaCount: 1", "replicaCount: 2"),
            },
        );
        assert_eq!(s.doc_rev, rev + 1);
        assert_eq!(s.load_epoch, 1, "typing does not reload the editor");
        assert!(values(&s).contains("replicaCount: 2"));
        assert!(s.differs_from_origin());
    }

    #[test]
    fn reset_to_example_can_be_undone_and_redone() {
        let mut s = State::default();
        let edited = values(&s).replace("nginx", "httpd");
        run(
            &mut s,
            [Action::Edit {
                path: "values.yaml".into(),
                text: edited.clone(),
            }],
        );
        let epoch = s.load_epoch;
        reduce(&mut s, Action::ResetToExample);
        assert!(!s.differs_from_origin());
        assert!(s.load_epoch > epoch);
        assert!(s.notice.as_ref().is_some_and(|n| n.undo));
        reduce(&mut s, Action::Undo);
        assert_eq!(values(&s), edited);
        reduce(&mut s, Action::Undo);
        assert!(!s.differs_from_origin());
        // resetting an unchanged chart keeps the undo
        let undo_before = s.undo.clone();
        reduce(&mut s, Action::ResetToExample);
        assert_eq!(s.undo, undo_before);
    }

    #[test]
    fn loading_an_example_keeps_the_old_chart_for_undo() {
        let mut s = State::default();
        reduce(&mut s, Action::LoadExample(ExampleId::Secret));
        assert_eq!(s.origin, Some(ExampleId::Secret));
        assert_eq!(s.selected_file(), Some("templates/secret.yaml"));
        reduce(&mut s, Action::Undo);
        assert_eq!(s.origin, Some(ExampleId::Scaffold));
        assert!(!s.doc.workspace.is_file("templates/secret.yaml"));
    }

    #[test]
    fn file_tree_actions() {
        let mut s = State::default();
        reduce(
            &mut s,
            Action::CreateFile(" templates/configmap.yaml ".into()),
        );
        assert_eq!(s.selected_file(), Some("templates/configmap.yaml"));
        reduce(
            &mut s,
            Action::CreateFile("templates/configmap.yaml".into()),
        );
        assert_eq!(s.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Error));
        reduce(&mut s, Action::CreateFile("../escape".into()));
        assert!(s.notice.as_ref().is_some_and(|n| n.text.contains("..")));
        reduce(
            &mut s,
            Action::Rename {
                from: "templates".into(),
                to: "tpl".into(),
            },
        );
        assert_eq!(s.selected_file(), Some("tpl/configmap.yaml"));
        reduce(&mut s, Action::Delete("tpl".into()));
        assert!(!s.doc.workspace.exists("tpl"));
        assert_eq!(s.selected_file(), Some("values.yaml"));
        reduce(&mut s, Action::Undo);
        assert!(s.doc.workspace.is_file("tpl/configmap.yaml"));
        reduce(&mut s, Action::Delete("tpl".into()));
        reduce(&mut s, Action::CreateDir("crds".into()));
        assert!(s.doc.workspace.is_dir("crds"));
        reduce(
            &mut s,
            Action::Upload {
                dir: "crds".into(),
                files: vec![(
                    "a.yaml".into(),
                    b"kind: CustomResourceDefinition\n".to_vec(),
                )],
            },
        );
        assert_eq!(s.selected_file(), Some("crds/a.yaml"));
        reduce(
            &mut s,
            Action::Upload {
                dir: "".into(),
                files: vec![("../x".into(), vec![])],
            },
        );
        assert!(!s.doc.workspace.exists("x"));
    }

    #[test]
    fn importing_needs_a_chart_and_can_be_undone() {
        let mut s = State::default();
        let mut files = FileMap::new();
        files.insert("templates/a.yaml".into(), b"a: 1\n".to_vec());
        reduce(
            &mut s,
            Action::Import {
                files: files.clone(),
                dirs: vec![],
                source: "x.tgz".into(),
            },
        );
        assert!(s
            .notice
            .as_ref()
            .is_some_and(|n| n.text.contains("Chart.yaml")));
        assert!(s.doc.workspace.is_file("values.yaml"));
        files.insert(
            "Chart.yaml".into(),
            b"apiVersion: v2\nname: x\nversion: 1.0.0\n".to_vec(),
        );
        reduce(
            &mut s,
            Action::Import {
                files,
                dirs: vec!["charts".into()],
                source: "x.tgz".into(),
            },
        );
        assert_eq!(s.origin, None);
        assert_eq!(s.selected_file(), Some("Chart.yaml"));
        assert!(s.doc.workspace.is_dir("charts"));
        reduce(&mut s, Action::ResetToExample);
        assert_eq!(s.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Error));
        reduce(&mut s, Action::Undo);
        assert_eq!(s.origin, Some(ExampleId::Scaffold));
    }

    #[test]
    fn settings_and_overrides() {
        let mut s = State::default();
        let rev = s.doc_rev;
        run(
            &mut s,
            [
                Action::SetReleaseName("demo".into()),
                Action::SetNamespace("team".into()),
                Action::SetRevision(3),
                Action::SetUpgrade(true),
                Action::SetKubeVersion(" v1.29.0 ".into()),
                Action::SetApiVersions("a/v1, b/v2\n\nc/v3".into()),
                Action::SetValuesOverride("replicaCount: 4\n".into()),
                Action::AddSet(SetEntry {
                    kind: SetKind::Set,
                    expr: "image.tag=x".into(),
                }),
                Action::UpdateSet(
                    0,
                    SetEntry {
                        kind: SetKind::SetString,
                        expr: "image.tag=1".into(),
                    },
                ),
                Action::UpdateSet(
                    7,
                    SetEntry {
                        kind: SetKind::Set,
                        expr: "ignored=1".into(),
                    },
                ),
            ],
        );
        let r = &s.doc.release;
        assert_eq!(
            (
                r.name.as_str(),
                r.namespace.as_str(),
                r.revision,
                r.is_upgrade
            ),
            ("demo", "team", 3, true)
        );
        assert_eq!(r.kube_version, "v1.29.0");
        assert_eq!(r.api_versions, vec!["a/v1", "b/v2", "c/v3"]);
        assert_eq!(s.doc.overrides.set.len(), 1);
        assert_eq!(s.doc.overrides.set[0].kind, SetKind::SetString);
        assert_eq!(s.doc_rev, rev + 9);
        reduce(&mut s, Action::RemoveSet(0));
        assert!(s.doc.overrides.set.is_empty());
    }

    #[test]
    fn stale_render_reports_are_dropped() {
        let mut s = State::default();
        let report = |rev| Rc::new(RenderReport::for_test(rev));
        reduce(&mut s, Action::Rendered(report(1)));
        assert!(!s.render_is_stale());
        reduce(&mut s, Action::SetReleaseName("x".into()));
        assert!(s.render_is_stale());
        reduce(&mut s, Action::Rendered(report(2)));
        reduce(&mut s, Action::Rendered(report(1)));
        assert_eq!(s.render.as_ref().map(|r| r.doc_rev), Some(2));
        reduce(&mut s, Action::Rendered(report(99)));
        assert_eq!(s.render.as_ref().map(|r| r.doc_rev), Some(2));
    }

    #[test]
    fn opening_a_link_keeps_the_work_for_undo() {
        let mut s = State::default();
        reduce(&mut s, Action::SetReleaseName("mine".into()));
        let mut other = State::from_example(ExampleId::Api).shared();
        other.selected = Some("values.yaml".into());
        reduce(&mut s, Action::OpenShared(other));
        assert_eq!(s.origin, Some(ExampleId::Api));
        assert_eq!(s.selected_file(), Some("values.yaml"));
        reduce(&mut s, Action::Undo);
        assert_eq!(s.doc.release.name, "mine");
    }

    #[test]
    fn lesson_files_replace_the_chart_and_the_position_is_kept() {
        let mut s = State::from_example(ExampleId::Api);
        let epoch = s.load_epoch;
        s.doc
            .workspace
            .write("files/logo.png", vec![0u8, 159, 146, 150])
            .expect("binary");
        let mut files: std::collections::BTreeMap<String, String> =
            State::from_example(ExampleId::Scaffold)
                .doc
                .workspace
                .files()
                .filter(|(_, d)| workspace::is_text(d))
                .map(|(p, d)| (p.to_string(), String::from_utf8_lossy(d).into_owned()))
                .collect();
        files.insert("templates/extra.yaml".into(), "x: 1\n".into());
        reduce(&mut s, Action::LessonFiles(files));
        assert!(s
            .doc
            .workspace
            .text("values.yaml")
            .expect("values")
            .contains("repository: nginx"));
        assert!(!s.doc.workspace.is_file("templates/configmap.yaml"));
        assert!(s.doc.workspace.is_file("templates/extra.yaml"));
        assert!(s.doc.workspace.is_file("files/logo.png"), "not text: kept");
        assert_eq!(s.load_epoch, epoch + 1);
        assert_eq!(s.origin, Some(ExampleId::Scaffold));
        let link = LessonLink {
            lab: 2,
            step: 3,
            instructor: false,
        };
        reduce(&mut s, Action::SetLesson(Some(link)));
        assert_eq!(s.shared().lesson, Some(link));
        let mut t = State::default();
        reduce(&mut t, Action::OpenShared(s.shared()));
        assert_eq!(t.lesson, Some(link));
        reduce(&mut t, Action::SetLesson(None));
        assert_eq!(t.shared().lesson, None);
    }
}
