//! What a lesson's checks look at and its "show me" actions change: the learner's session — a
//! terminal ([`Shell`]) over the workspace and the simulated cluster, the commands typed so far
//! and what each release action (install, upgrade, rollback) did to the cluster.
//!
//! [`LabWorld`] is that session seen from the lessons. [`ShellWorld`] implements it natively
//! (the lesson tests run on it); the page's own session implements the same trait, so the
//! checks and the runner never depend on where the session lives.

use crate::engine::sort::SliceSort;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::engine::{Env, Timestamp};
use crate::kube::cluster::{Change, Cluster, ListOptions, Request};
use crate::kube::object::GroupVersionResource;
use crate::kube::resources::Registry;
use crate::kube::sim::{SimCluster, SplitMix64};
use crate::kube::status::ApiError;
use crate::kube::time::{Clock as KubeClock, Time};
use crate::release::action::Configuration;
use crate::release::diff::RolloutReport;
use crate::release::storage::DriverKind;
use crate::shell::fs::{self as shfs, Fs};
use crate::shell::{Host, MemFs, Shell};

/// The learner's home directory in the browser's workspace.
pub const HOME: &str = "/home/student";

/// Most commands kept in a world's history (older ones are dropped first).
pub const MAX_HISTORY: usize = 500;
/// Most bytes of one command's output kept for checks (its start).
pub const MAX_RECORDED_OUTPUT: usize = 256 << 10;

/// One input run in the terminal and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandRecord {
    /// Increases with every command of the session (never reused, also across resets).
    pub seq: u64,
    pub line: String,
    /// The working directory it ran in (absolute).
    pub cwd: String,
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

/// What one release action did: the revision it stored and the cluster's own report of the
/// objects written and the Deployments rolled.
#[derive(Clone, Debug)]
pub struct ActionRecord {
    /// The command (or button) that ran it.
    pub seq: u64,
    pub namespace: String,
    pub release: String,
    pub revision: i64,
    /// The revision's status label (`deployed`, `failed`, …).
    pub status: String,
    /// The revision's description (`Install complete`, `Upgrade complete`, `Rollback to 1`).
    pub description: String,
    pub report: RolloutReport,
}

/// One stored revision of a release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionInfo {
    pub revision: i64,
    pub status: String,
    pub description: String,
    /// `NAME-VERSION` of the chart.
    pub chart: String,
}

/// The session the lessons work on.
pub trait LabWorld {
    /// The terminal: its files, variables, cluster and clock.
    fn shell(&self) -> &Shell;
    fn shell_mut(&mut self) -> &mut Shell;
    /// Runs an input as if the learner typed it: it is recorded in the history, and the
    /// release actions it runs are recorded with their reports.
    fn run(&mut self, line: &str) -> CommandRecord;
    /// The commands run so far, oldest first (at most [`MAX_HISTORY`]).
    fn commands(&self) -> &[CommandRecord];
    /// The release actions run so far, oldest first.
    fn actions(&self) -> &[ActionRecord];
    /// The `seq` the next command will get.
    fn next_seq(&self) -> u64;
    /// Starts over: empty workspace and cluster, no history (sequence numbers keep growing).
    fn reset(&mut self);
}

/// The latest revision of each release in the cluster: (namespace, name) → (revision, status),
/// read from the labels of Helm's storage objects (Secrets and ConfigMaps with `owner=helm`).
pub fn release_heads(cluster: &mut dyn Cluster) -> BTreeMap<(String, String), (i64, String)> {
    let mut out: BTreeMap<(String, String), (i64, String)> = BTreeMap::new();
    let opts = ListOptions {
        label_selector: "owner=helm".into(),
        field_selector: String::new(),
    };
    for resource in ["secrets", "configmaps"] {
        let gvr = GroupVersionResource::new("", "v1", resource);
        let Ok(list) = cluster.list(&gvr, None, &opts) else {
            continue;
        };
        let items = list
            .get("items")
            .and_then(|i| i.as_array())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for item in items {
            let labels = crate::kube::object::labels(item);
            let ns = item
                .get("metadata")
                .and_then(|m| m.get("namespace"))
                .and_then(|n| n.as_str())
                .unwrap_or("")
                .to_string();
            let (Some(name), Some(version)) = (
                labels.get("name"),
                labels.get("version").and_then(|v| v.parse::<i64>().ok()),
            ) else {
                continue;
            };
            let status = labels.get("status").cloned().unwrap_or_default();
            let e = out
                .entry((ns, name.clone()))
                .or_insert((version, status.clone()));
            if version > e.0 {
                *e = (version, status);
            }
        }
    }
    out
}

/// Every stored revision of a release, oldest first.
pub fn release_history(shell: &Shell, namespace: &str, name: &str) -> Vec<RevisionInfo> {
    let mut cfg = Configuration::new(
        shell.cluster.clone(),
        namespace,
        DriverKind::Secret,
        shell.env.clone(),
    );
    let mut revs: Vec<RevisionInfo> = crate::release::query::history(&mut cfg, name)
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let (status, description) = r
                .info
                .as_ref()
                .map(|i| (i.status.as_str().to_string(), i.description.clone()))
                .unwrap_or_default();
            let chart = r
                .chart
                .as_ref()
                .and_then(|c| c.metadata.as_ref())
                .map(|m| format!("{}-{}", m.name, m.version))
                .unwrap_or_default();
            RevisionInfo {
                revision: r.version,
                status,
                description,
                chart,
            }
        })
        .collect();
    revs.sort_stable_by_key(|r| r.revision);
    revs
}

/// The action records for the revisions a command made: every release whose latest revision
/// is newer than before, with the cluster changes the command caused.
pub fn new_actions(
    shell: &Shell,
    seq: u64,
    before: &BTreeMap<(String, String), (i64, String)>,
    after: &BTreeMap<(String, String), (i64, String)>,
    changes: &[Change],
) -> Vec<ActionRecord> {
    let mut out = Vec::new();
    for ((ns, name), (rev, status)) in after {
        let newer = before.get(&(ns.clone(), name.clone())).map(|(r, _)| *r) < Some(*rev);
        if !newer {
            continue;
        }
        let description = release_history(shell, ns, name)
            .into_iter()
            .find(|r| r.revision == *rev)
            .map(|r| r.description)
            .unwrap_or_default();
        let own: Vec<Change> = changes
            .iter()
            .filter(|c| c.object.namespace == *ns || c.object.namespace.is_empty())
            .cloned()
            .collect();
        out.push(ActionRecord {
            seq,
            namespace: ns.clone(),
            release: name.clone(),
            revision: *rev,
            status: status.clone(),
            description,
            report: RolloutReport::from_changes(*rev, &own),
        });
    }
    out
}

/// The simulated cluster, keeping a copy of every change the actions take from it.
struct Recorder {
    sim: SimCluster,
    log: Vec<Change>,
}

/// At most this many changes are kept between two commands.
const MAX_LOGGED_CHANGES: usize = 10_000;

impl Cluster for Recorder {
    fn call(&mut self, req: Request) -> Result<serde_json::Value, ApiError> {
        self.sim.call(req)
    }

    fn take_changes(&mut self) -> Vec<Change> {
        let c = self.sim.take_changes();
        if self.log.len() < MAX_LOGGED_CHANGES {
            self.log.extend(c.iter().cloned());
        }
        c
    }

    fn registry(&mut self) -> Result<Registry, ApiError> {
        self.sim.registry()
    }
}

/// A clock shared by the cluster of every reset.
struct SharedClock(Rc<dyn KubeClock>);

impl KubeClock for SharedClock {
    fn now(&self) -> Time {
        self.0.now()
    }
}

/// Where a [`ShellWorld`] takes time and randomness from.
#[derive(Clone)]
pub struct Sources {
    /// Rendering and release times, template randomness.
    pub env: Env,
    /// The cluster's clock (creation times, AGE).
    pub clock: Rc<dyn KubeClock>,
    /// Seeds the cluster's names and addresses.
    pub seed: u64,
}

impl Sources {
    /// Reproducible sources: a clock standing at `unix_secs`, seeded randomness.
    pub fn fixed(unix_secs: i64, seed: u64) -> Sources {
        Sources {
            env: Env::fixed(Timestamp::utc(unix_secs, 0), seed),
            clock: Rc::new(move || Time(unix_secs)),
            seed,
        }
    }
}

/// A session of its own: the browser's in-memory workspace under [`HOME`], a simulated
/// cluster, the terminal over both.
pub struct ShellWorld {
    sources: Sources,
    shell: Shell,
    recorder: Rc<RefCell<Recorder>>,
    history: Vec<CommandRecord>,
    actions: Vec<ActionRecord>,
    next_seq: u64,
}

fn fresh(sources: &Sources) -> (Shell, Rc<RefCell<Recorder>>) {
    let sim = SimCluster::new(
        Box::new(SharedClock(sources.clock.clone())),
        Box::new(SplitMix64(sources.seed)),
    );
    let recorder = Rc::new(RefCell::new(Recorder {
        sim,
        log: Vec::new(),
    }));
    let cluster: Rc<RefCell<dyn Cluster>> = recorder.clone();
    let mut fs = MemFs::new(HOME);
    fs.set_now(sources.clock.now().0);
    let shell = Shell::new(Box::new(fs), cluster, sources.env.clone(), Host::Browser);
    (shell, recorder)
}

impl ShellWorld {
    pub fn new(sources: Sources) -> ShellWorld {
        let (shell, recorder) = fresh(&sources);
        ShellWorld {
            sources,
            shell,
            recorder,
            history: Vec::new(),
            actions: Vec::new(),
            next_seq: 1,
        }
    }
}

/// Cuts a command's output to what checks keep.
fn keep(mut s: String) -> String {
    if s.len() > MAX_RECORDED_OUTPUT {
        let mut cut = MAX_RECORDED_OUTPUT;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

impl LabWorld for ShellWorld {
    fn shell(&self) -> &Shell {
        &self.shell
    }

    fn shell_mut(&mut self) -> &mut Shell {
        &mut self.shell
    }

    fn run(&mut self, line: &str) -> CommandRecord {
        let seq = self.next_seq;
        self.next_seq += 1;
        let cwd = self.shell.fs.cwd();
        let before = release_heads(&mut *self.shell.cluster.borrow_mut());
        self.recorder.borrow_mut().log.clear();
        let r = self.shell.run(line);
        // what the actions did not collect themselves
        let _ = self.recorder.borrow_mut().take_changes();
        let changes = std::mem::take(&mut self.recorder.borrow_mut().log);
        let after = release_heads(&mut *self.shell.cluster.borrow_mut());
        let made = new_actions(&self.shell, seq, &before, &after, &changes);
        self.actions.extend(made);
        let rec = CommandRecord {
            seq,
            line: line.to_string(),
            cwd,
            stdout: keep(r.output.stdout_text()),
            stderr: keep(r.output.stderr_text()),
            status: r.status,
        };
        if self.history.len() >= MAX_HISTORY {
            self.history.remove(0);
        }
        if self.actions.len() > MAX_HISTORY {
            self.actions.remove(0);
        }
        self.history.push(rec.clone());
        rec
    }

    fn commands(&self) -> &[CommandRecord] {
        &self.history
    }

    fn actions(&self) -> &[ActionRecord] {
        &self.actions
    }

    fn next_seq(&self) -> u64 {
        self.next_seq
    }

    fn reset(&mut self) {
        let (shell, recorder) = fresh(&self.sources);
        self.shell = shell;
        self.recorder = recorder;
        self.history.clear();
        self.actions.clear();
    }
}

/// Reads a file of the world (`path` absolute).
pub fn read_file(world: &dyn LabWorld, path: &str) -> Option<Vec<u8>> {
    world.shell().fs.read(path).ok()
}

/// Writes a file of the world, creating its folders (`mkdir -p`).
pub fn write_file(world: &mut dyn LabWorld, path: &str, data: &[u8]) -> Result<(), String> {
    let fs = &mut world.shell_mut().fs;
    let parent = shfs::parent(path).to_string();
    make_dirs(fs.as_mut(), &parent)?;
    fs.write(path, data).map_err(|e| format!("{path}: {e}"))
}

fn make_dirs(fs: &mut dyn Fs, dir: &str) -> Result<(), String> {
    let mut p = String::new();
    for part in dir.split('/').filter(|s| !s.is_empty()) {
        p.push('/');
        p.push_str(part);
        match fs.metadata(&p) {
            Ok(m) if m.is_dir => {}
            Ok(_) => return Err(format!("{p}: Not a directory")),
            Err(_) => fs.mkdir(&p).map_err(|e| format!("{p}: {e}"))?,
        }
    }
    Ok(())
}

/// Every file under `dir` (paths relative to it), at most `limit`; none if `dir` is missing or
/// holds more.
pub fn files_under(world: &dyn LabWorld, dir: &str, limit: usize) -> Vec<String> {
    shfs::walk_files(world.shell().fs.as_ref(), dir, limit).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_commands_and_release_actions() {
        let mut w = ShellWorld::new(Sources::fixed(1_795_514_400, 7));
        let r = w.run("mkdir -p p/charts && cd p && helm create charts/myapi");
        assert_eq!((r.seq, r.status), (1, 0));
        assert_eq!(r.stdout, "Creating charts/myapi\n");
        assert_eq!(r.cwd, HOME);
        assert!(w.actions().is_empty());
        let r = w.run("helm install myapi-release ./charts/myapi");
        assert_eq!(r.status, 0, "{}", r.stderr);
        assert_eq!(r.cwd, format!("{HOME}/p"));
        let a = &w.actions()[0];
        assert_eq!(
            (a.seq, a.release.as_str(), a.revision, a.status.as_str()),
            (2, "myapi-release", 1, "deployed")
        );
        assert_eq!(a.description, "Install complete");
        assert!(a.report.rollouts.iter().any(|r| r.initial));
        assert!(a
            .report
            .objects
            .iter()
            .any(|(k, n, _)| k == "Deployment" && n == "myapi-release"));
        // an upgrade of the same chart: nothing rolls
        w.run("helm upgrade myapi-release ./charts/myapi");
        let a = &w.actions()[1];
        assert_eq!(
            (a.revision, a.description.as_str()),
            (2, "Upgrade complete")
        );
        assert!(a.report.rollouts.iter().all(|r| !r.pods_rolled));
        let h = release_history(w.shell(), "default", "myapi-release");
        assert_eq!(
            h.iter()
                .map(|r| (r.revision, r.status.as_str()))
                .collect::<Vec<_>>(),
            [(1, "superseded"), (2, "deployed")]
        );
        assert_eq!(h[1].chart, "myapi-0.1.0");
        // reading does not make actions; the sequence goes on after a reset
        w.run("helm list");
        assert_eq!(w.actions().len(), 2);
        w.reset();
        assert!(w.commands().is_empty() && w.actions().is_empty());
        assert_eq!(w.next_seq(), 5);
        assert!(release_heads(&mut *w.shell().cluster.borrow_mut()).is_empty());
        write_file(&mut w, &format!("{HOME}/a/b/c.txt"), b"x").expect("write");
        assert_eq!(
            read_file(&w, &format!("{HOME}/a/b/c.txt")).as_deref(),
            Some(&b"x"[..])
        );
        assert_eq!(files_under(&w, HOME, 10), vec!["a/b/c.txt".to_string()]);
    }
}
