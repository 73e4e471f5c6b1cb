//! The release fixtures' scenario (install → upgrades → rollback → test → failing upgrade →
//! history-max → rollback → uninstall --keep-history → … → uninstall) replayed over the
//! simulated cluster, with every storage write compared to what Helm v4.2.3 wrote
//! (storage-timeline.json): order, verb, record, labels, status, description, values,
//! manifest, notes and hook phases.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::Value as J;

use super::action::{Configuration, DryRun};
use super::fixture_tests::{fixtures, read};
use super::gotime::{self, LocalZone};
use super::install::Install;
use super::model::{self, ChartTimes, Release};
use super::query;
use super::rollback::Rollback;
use super::storage::{decode_release, DriverKind};
use super::uninstall::Uninstall;
use super::upgrade::Upgrade;
use crate::chart;
use crate::engine::env::FnClock;
use crate::engine::{Env, Map, Timestamp};
use crate::kube::cluster::{Change, Cluster, Request};
use crate::kube::sim::{SimCluster, SplitMix64};
use crate::kube::status::ApiError;
use crate::kube::time::Time;

/// One storage write as the test saw it.
#[derive(Debug)]
pub(crate) struct Write {
    pub step: String,
    pub verb: &'static str,
    pub name: String,
    pub labels: Option<J>,
    pub release: Option<Release>,
}

/// A cluster that records the release-record writes going through it.
pub(crate) struct Recording {
    pub sim: SimCluster,
    pub step: String,
    pub writes: Vec<Write>,
}

impl Recording {
    fn record(&mut self, verb: &'static str, body: Option<&J>, name: &str) {
        if !name.starts_with("sh.helm.release.v1.") {
            return;
        }
        let rel = body.and_then(|b| {
            let data = b.get("data")?.get("release")?.as_str()?;
            use base64::Engine as _;
            let inner = base64::engine::general_purpose::STANDARD
                .decode(data)
                .ok()?;
            decode_release(&String::from_utf8(inner).ok()?, &LocalZone::utc()).ok()
        });
        self.writes.push(Write {
            step: self.step.clone(),
            verb,
            name: name.to_string(),
            labels: body.and_then(|b| b.get("metadata")?.get("labels").cloned()),
            release: rel,
        });
    }
}

impl Cluster for Recording {
    fn call(&mut self, req: Request) -> Result<J, ApiError> {
        match &req {
            Request::Create { gvr, body, .. } if gvr.resource == "secrets" => {
                let name = body["metadata"]["name"].as_str().unwrap_or("").to_string();
                self.record("POST", Some(body), &name);
            }
            Request::Update {
                gvr, body, name, ..
            } if gvr.resource == "secrets" => {
                let name = name.clone();
                self.record("PUT", Some(body), &name);
            }
            Request::Delete { gvr, name, .. } if gvr.resource == "secrets" => {
                let name = name.clone();
                self.record("DELETE", None, &name);
            }
            _ => {}
        }
        self.sim.call(req)
    }

    fn take_changes(&mut self) -> Vec<Change> {
        self.sim.take_changes()
    }
}

/// A clock both the cluster and the actions read, set per step.
#[derive(Clone)]
pub(crate) struct TestClock(pub Rc<Cell<(i64, u32)>>);

impl TestClock {
    pub fn set(&self, t: &Timestamp) {
        self.0.set((t.secs, t.nanos));
    }
    pub fn env(&self) -> Env {
        let c = self.0.clone();
        Env {
            clock: Rc::new(FnClock(Box::new(move || {
                let (s, n) = c.get();
                Timestamp::utc(s, n)
            }))),
            ..Env::default()
        }
    }
}

pub(crate) fn new_cluster(clock: &TestClock) -> Rc<RefCell<Recording>> {
    let c = clock.0.clone();
    let sim = SimCluster::new(Box::new(move || Time(c.get().0)), Box::new(SplitMix64(7)));
    Rc::new(RefCell::new(Recording {
        sim,
        step: String::new(),
        writes: Vec::new(),
    }))
}

fn vals(json: &str) -> Map {
    match crate::json::parse(json).unwrap() {
        crate::engine::Value::Map(m) => m,
        _ => Map::new(),
    }
}

fn ts(s: &str) -> Timestamp {
    gotime::parse_rfc3339(s, &LocalZone::utc()).unwrap()
}

/// `helm history`, `helm list` and `helm status` (without RESOURCES) as the fixtures'
/// rendered-cli-outputs.txt lays them out.
fn cli_snapshot(cfg: &mut Configuration, label: &str) -> String {
    use super::cli::{self, Format, ListPrint, StatusPrint};
    let h = query::history_for_cli(cfg, "demo", 256).unwrap();
    let l = query::List::default().run(cfg).unwrap();
    let mut st = cfg.release_content("demo", 0).unwrap();
    st.chart = None;
    format!(
        "## {label}\n$ helm history demo\n{}$ helm list\n{}$ helm status demo   (RESOURCES section omitted)\n{}",
        cli::history(&h, Format::Table).unwrap(),
        cli::list(&l, Format::Table, &ListPrint::default()).unwrap(),
        cli::status(&st, Format::Table, &StatusPrint::default()).unwrap()
    )
}

/// Runs the fixture scenario; returns the recorded writes, the per-step results and CLI
/// snapshots at the points rendered-cli-outputs.txt shows.
pub(crate) type Scenario = (
    Vec<Write>,
    Vec<(String, Result<String, String>)>,
    Vec<String>,
);

pub(crate) fn run_scenario() -> Scenario {
    let chart = chart::load::load_dir(&fixtures().join("chart-demo")).unwrap();
    run_scenario_with(&chart, &ChartTimes::default())
}

/// The scenario with a given chart and file times.
pub(crate) fn run_scenario_with(chart: &chart::Chart, times: &ChartTimes) -> Scenario {
    let clock = TestClock(Rc::new(Cell::new((0, 0))));
    let rec = new_cluster(&clock);
    let cluster: Rc<RefCell<dyn Cluster>> = rec.clone();
    let mut results = Vec::new();
    let mut snaps = Vec::new();
    let new_cfg =
        || Configuration::new(cluster.clone(), "default", DriverKind::Secret, clock.env());
    let step = |name: &str, at: &str| {
        rec.borrow_mut().step = name.to_string();
        clock.set(&ts(at));
    };
    let ok = |r: Result<Release, super::action::ActionError>| -> Result<String, String> {
        r.map(|r| format!("{} {}", r.version, r.status()))
            .map_err(|e| e.message)
    };

    step("01-install", "2026-11-24T07:26:37.109529706Z");
    let install = Install {
        release_name: "demo".into(),
        chart_times: times.clone(),
        ..Default::default()
    };
    results.push((
        "01".into(),
        ok(install.run(&mut new_cfg(), chart, &vals(r#"{"greeting":"hi"}"#))),
    ));

    snaps.push(cli_snapshot(&mut new_cfg(), "after 01-install"));
    step("02-upgrade-set-values", "2026-11-24T07:26:42.740829158Z");
    let up = Upgrade {
        chart_times: times.clone(),
        ..Default::default()
    };
    results.push((
        "02".into(),
        ok(up.run(
            &mut new_cfg(),
            "demo",
            chart,
            &vals(r#"{"greeting":"hello again","image":{"tag":"1.26"}}"#),
        )),
    ));

    step("03-upgrade-no-values", "2026-11-24T07:26:43.976167939Z");
    results.push((
        "03".into(),
        ok(up.run(&mut new_cfg(), "demo", chart, &Map::new())),
    ));

    step("04-upgrade-reuse-values", "2026-11-24T07:26:46.327758513Z");
    let reuse = Upgrade {
        reuse_values: true,
        chart_times: times.clone(),
        ..Default::default()
    };
    results.push((
        "04".into(),
        ok(reuse.run(
            &mut new_cfg(),
            "demo",
            chart,
            &vals(r#"{"replicaCount":2}"#),
        )),
    ));

    step("05-upgrade-reset-values", "2026-11-24T07:26:48.690135009Z");
    let reset = Upgrade {
        reset_values: true,
        chart_times: times.clone(),
        ..Default::default()
    };
    results.push((
        "05".into(),
        ok(reset.run(&mut new_cfg(), "demo", chart, &Map::new())),
    ));

    step("06-rollback-to-2", "2026-11-24T07:26:51.027943077Z");
    let rb = Rollback {
        version: 2,
        ..Default::default()
    };
    results.push((
        "06".into(),
        rb.run(&mut new_cfg(), "demo")
            .map(|_| "ok".into())
            .map_err(|e| e.message),
    ));

    step("07-test", "2026-11-24T07:26:53.396255272Z");
    let t = query::ReleaseTesting::default();
    let mut cfg = new_cfg();
    let out = t.run(&mut cfg, "demo").unwrap();
    super::hooks::shutdown(&mut cfg, &out.release, out.shutdown.clone()).unwrap();
    results.push((
        "07".into(),
        match out.error {
            None => Ok(format!("{} {}", out.release.version, out.release.status())),
            Some(e) => Err(e),
        },
    ));

    snaps.push(cli_snapshot(&mut new_cfg(), "after 07-test"));
    step("08-upgrade-failing-hook", "2026-11-24T07:26:55.635049122Z");
    rec.borrow_mut()
        .sim
        .set_failing("default", "demo-fail-check", true);
    results.push((
        "08".into(),
        ok(up.run(
            &mut new_cfg(),
            "demo",
            chart,
            &vals(r#"{"failUpgradeHook":true}"#),
        )),
    ));

    snaps.push(cli_snapshot(&mut new_cfg(), "after 08 (failed upgrade)"));
    step("09-upgrade-after-failure", "2026-11-24T07:27:00.191752604Z");
    results.push((
        "09".into(),
        ok(up.run(
            &mut new_cfg(),
            "demo",
            chart,
            &vals(r#"{"greeting":"fixed"}"#),
        )),
    ));

    step("10-upgrade-history-max-3", "2026-11-24T07:27:01.442041573Z");
    let capped = Upgrade {
        max_history: 3,
        chart_times: times.clone(),
        ..Default::default()
    };
    results.push((
        "10".into(),
        ok(capped.run(
            &mut new_cfg(),
            "demo",
            chart,
            &vals(r#"{"greeting":"pruned"}"#),
        )),
    ));

    snaps.push(cli_snapshot(&mut new_cfg(), "after 10 (--history-max 3)"));
    step("11-rollback-previous", "2026-11-24T07:27:06.018827359Z");
    results.push((
        "11".into(),
        Rollback::default()
            .run(&mut new_cfg(), "demo")
            .map(|_| "ok".into())
            .map_err(|e| e.message),
    ));

    step(
        "12-uninstall-keep-history",
        "2026-11-24T07:27:07.186361155Z",
    );
    let keep = Uninstall {
        keep_history: true,
        ..Default::default()
    };
    results.push((
        "12".into(),
        keep.run(&mut new_cfg(), "demo")
            .map(|r| format!("{:?}", r.and_then(|r| r.release).map(|r| r.status())))
            .map_err(|e| e.message),
    ));

    snaps.push(cli_snapshot(
        &mut new_cfg(),
        "after 12 (uninstall --keep-history)",
    ));
    step("13-upgrade-uninstalled", "2026-11-24T07:27:10.000000000Z");
    results.push((
        "13".into(),
        ok(up.run(&mut new_cfg(), "demo", chart, &Map::new())),
    ));

    step(
        "14-rollback-from-uninstalled",
        "2026-11-24T07:27:13.868783971Z",
    );
    let rb9 = Rollback {
        version: 9,
        ..Default::default()
    };
    results.push((
        "14".into(),
        rb9.run(&mut new_cfg(), "demo")
            .map(|_| "ok".into())
            .map_err(|e| e.message),
    ));

    snaps.push(cli_snapshot(
        &mut new_cfg(),
        "after 14 (rollback from uninstalled)",
    ));
    step("15-uninstall", "2026-11-24T07:27:18.356178296Z");
    results.push((
        "15".into(),
        Uninstall::default()
            .run(&mut new_cfg(), "demo")
            .map(|r| format!("{:?}", r.and_then(|r| r.release).map(|r| r.status())))
            .map_err(|e| e.message),
    ));
    results.push((
        "15-history".into(),
        query::history(&mut new_cfg(), "demo")
            .map(|h| h.len().to_string())
            .map_err(|e| e.message),
    ));

    step(
        "16-install-dry-run-server",
        "2026-11-24T07:27:20.000000000Z",
    );
    let dry = Install {
        release_name: "demo".into(),
        dry_run: DryRun::Server,
        ..Default::default()
    };
    results.push((
        "16s".into(),
        ok(dry.run(&mut new_cfg(), chart, &vals(r#"{"greeting":"dry"}"#))),
    ));
    let dryc = Install {
        release_name: "demo".into(),
        dry_run: DryRun::Client,
        ..Default::default()
    };
    results.push((
        "16c".into(),
        ok(dryc.run(&mut new_cfg(), chart, &vals(r#"{"greeting":"dry"}"#))),
    ));

    let writes = std::mem::take(&mut rec.borrow_mut().writes);
    (writes, results, snaps)
}

fn hooks_summary(r: &J) -> Vec<(String, String, Vec<String>)> {
    r["hooks"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| {
                    (
                        h["name"].as_str().unwrap_or("").to_string(),
                        h["last_run"]["phase"].as_str().unwrap_or("").to_string(),
                        h["delete_policies"]
                            .as_array()
                            .map(|p| {
                                p.iter()
                                    .filter_map(|x| x.as_str().map(String::from))
                                    .collect()
                            })
                            .unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Equal labels, with `createdAt`/`modifiedAt` allowed one second apart: Helm reads the clock
/// again for them, a few milliseconds after the release time this test fixes per step.
fn labels_match(got: Option<&J>, want: Option<&J>) -> bool {
    let (Some(J::Object(g)), Some(J::Object(w))) = (got, want) else {
        return got == want;
    };
    if g.len() != w.len() {
        return false;
    }
    g.iter().all(|(k, v)| match w.get(k) {
        Some(x) if k == "createdAt" || k == "modifiedAt" => {
            let a: i64 = v.as_str().and_then(|s| s.parse().ok()).unwrap_or(0);
            let b: i64 = x.as_str().and_then(|s| s.parse().ok()).unwrap_or(-9);
            (a - b).abs() <= 1
        }
        Some(x) => x == v,
        None => false,
    })
}

/// Differences between our storage writes and Helm's timeline entries.
fn compare_writes(writes: &[Write], expected: &[J]) -> Vec<String> {
    let mut problems = Vec::new();
    if writes.len() != expected.len() {
        problems.push(format!(
            "{} writes, Helm made {}",
            writes.len(),
            expected.len()
        ));
    }
    for (i, (w, e)) in writes.iter().zip(expected.iter()).enumerate() {
        let verb = e["http"].as_str().unwrap().split(' ').next().unwrap();
        let here = format!("write {} ({} {} {})", i + 1, e["step"], verb, e["name"]);
        if w.step != e["step"].as_str().unwrap()
            || w.verb != verb
            || w.name != e["name"].as_str().unwrap()
        {
            problems.push(format!("{here}: got {} {} {}", w.step, w.verb, w.name));
            continue;
        }
        if verb == "DELETE" {
            continue;
        }
        if !labels_match(w.labels.as_ref(), e.get("labels")) {
            problems.push(format!("{here}: labels {:?} vs {}", w.labels, e["labels"]));
        }
        let Some(rel) = &w.release else {
            problems.push(format!("{here}: no release decoded"));
            continue;
        };
        let got: J = serde_json::from_str(&model::to_json(rel).unwrap()).unwrap();
        let want = &e["release"];
        for field in ["version", "config", "manifest", "namespace", "apply_method"] {
            if got.get(field) != want.get(field) {
                problems.push(format!(
                    "{here}: {field}: {:?} vs {:?}",
                    got.get(field),
                    want.get(field)
                ));
            }
        }
        for field in ["status", "description", "notes"] {
            if got["info"].get(field) != want["info"].get(field) {
                problems.push(format!(
                    "{here}: info.{field}: {:?} vs {:?}",
                    got["info"].get(field),
                    want["info"].get(field)
                ));
            }
        }
        if hooks_summary(&got) != hooks_summary(want) {
            problems.push(format!(
                "{here}: hooks {:?} vs {:?}",
                hooks_summary(&got),
                hooks_summary(want)
            ));
        }
        if got["chart"]["values"] != want["chart"]["values"] {
            problems.push(format!(
                "{here}: chart.values {} vs {}",
                got["chart"]["values"], want["chart"]["values"]
            ));
        }
    }
    problems
}

#[test]
fn storage_timeline_matches_helm() {
    let (writes, results, snaps) = run_scenario();
    // the CLI texts at six points of the scenario
    let rendered = read("v4.2.3-secret-driver/rendered-cli-outputs.txt");
    for snap in &snaps {
        let label = snap.lines().next().unwrap();
        let start = rendered.find(&format!("{label}\n")).unwrap();
        let rest = &rendered[start..];
        let end = rest.find("\n=====").map(|i| i + 1).unwrap_or(rest.len());
        assert_eq!(snap, &rest[..end], "{label}");
    }
    assert_eq!(snaps.len(), 6);
    let expected: Vec<J> =
        serde_json::from_str(&read("v4.2.3-secret-driver/storage-timeline.json")).unwrap();
    let outcome: Vec<(String, Result<String, String>)> = results;
    let get = |k: &str| {
        outcome
            .iter()
            .find(|(s, _)| s == k)
            .map(|(_, r)| r.clone())
            .unwrap()
    };
    assert_eq!(get("01"), Ok("1 deployed".into()));
    assert_eq!(
        get("08"),
        Err("pre-upgrade hooks failed: resource Job/default/demo-fail-check not ready. status: Failed, message: Job Failed. failed: 1/1".into())
    );
    assert_eq!(get("13"), Err("\"demo\" has no deployed releases".into()));
    assert_eq!(get("15-history"), Err("release: not found".into()));
    assert_eq!(get("16s"), Ok("1 pending-install".into()));
    assert_eq!(get("16c"), Ok("1 pending-install".into()));
    let problems = compare_writes(&writes, &expected);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The chart of the fixture records (templates, values, files and their times from the
/// stored revision 1) with the subchart from chart-demo/ (Helm does not store subcharts).
fn chart_from_record() -> (chart::Chart, ChartTimes) {
    let text = read("v4.2.3-secret-driver/releases/demo.v1.last-write.compact.json");
    let rel = model::from_json(text.trim_end(), &LocalZone::utc()).unwrap();
    let rc = rel.chart.unwrap();
    let mut c = rc.to_chart();
    c.values_present = true;
    let sub = chart::load::load_dir(&fixtures().join("chart-demo/charts/sub")).unwrap();
    c.dependencies.push(sub);
    c.set_root();
    let mut times = ChartTimes {
        chart: Some(rc.modtime.clone()),
        ..Default::default()
    };
    for f in rc
        .templates
        .iter()
        .flatten()
        .chain(rc.files.iter().flatten())
    {
        times.files.insert(f.name.clone(), f.modtime.clone());
    }
    (c, times)
}

/// Copies the times Helm recorded (it reads the clock many times within a step) into `ours`.
fn patch_times(ours: &mut Release, helm: &Release) {
    if let (Some(o), Some(h)) = (ours.info.as_mut(), helm.info.as_ref()) {
        o.first_deployed = h.first_deployed.clone();
        o.last_deployed = h.last_deployed.clone();
        o.deleted = h.deleted.clone();
    }
    for oh in &mut ours.hooks {
        if let Some(hh) = helm.hooks.iter().find(|x| x.name == oh.name) {
            oh.last_run.started_at = hh.last_run.started_at.clone();
            oh.last_run.completed_at = hh.last_run.completed_at.clone();
        }
    }
}

#[test]
fn release_json_matches_helm_byte_for_byte() {
    let (chart, times) = chart_from_record();
    let (writes, _, _) = run_scenario_with(&chart, &times);
    for v in 1..=11 {
        let key = format!("sh.helm.release.v1.demo.v{v}");
        let last = writes
            .iter()
            .rev()
            .find(|w| w.name == key && w.release.is_some())
            .unwrap_or_else(|| panic!("no write of {key}"));
        let mut ours = last.release.clone().unwrap();
        let want = read(&format!(
            "v4.2.3-secret-driver/releases/demo.v{v}.last-write.compact.json"
        ));
        let want = want.trim_end();
        let helm = model::from_json(want, &LocalZone::utc()).unwrap();
        patch_times(&mut ours, &helm);
        assert_eq!(model::to_json(&ours).unwrap(), want, "revision {v}");
    }
}

#[test]
fn edge_case_timeline_matches_helm() {
    let clock = TestClock(Rc::new(Cell::new((0, 0))));
    let rec = new_cluster(&clock);
    let cluster: Rc<RefCell<dyn Cluster>> = rec.clone();
    let chart = chart::load::load_dir(&fixtures().join("chart-demo")).unwrap();
    let new_cfg =
        || Configuration::new(cluster.clone(), "default", DriverKind::Secret, clock.env());
    let step = |name: &str, secs: i64| {
        rec.borrow_mut().step = name.to_string();
        clock.set(&Timestamp::utc(secs, 0));
    };
    let base = 1_795_505_560;
    let labels = |k: &str, v: &str| {
        let mut m = std::collections::BTreeMap::new();
        m.insert(k.to_string(), v.to_string());
        m
    };
    let hist = |c: &mut Configuration, n: &str| -> Vec<(i64, String)> {
        let mut h = query::history(c, n).unwrap();
        super::util::sort_by_revision(&mut h);
        h.iter()
            .map(|r| (r.version, r.status().to_string()))
            .collect()
    };

    step("e1-install-failing-hook", base);
    rec.borrow_mut()
        .sim
        .set_failing("default", "broken-fail-install", true);
    let i = Install {
        release_name: "broken".into(),
        ..Default::default()
    };
    let e = i
        .run(&mut new_cfg(), &chart, &vals(r#"{"failInstallHook":true}"#))
        .unwrap_err();
    assert_eq!(
        e.message,
        "failed pre-install: resource Job/default/broken-fail-install not ready. status: Failed, message: Job Failed. failed: 1/1"
    );
    assert_eq!(hist(&mut new_cfg(), "broken"), [(1, "failed".to_string())]);

    step("e2-install-same-name-again", base + 2);
    let e = i.run(&mut new_cfg(), &chart, &Map::new()).unwrap_err();
    assert_eq!(
        e.message,
        "release name check failed: cannot reuse a name that is still in use"
    );

    step("e3-upgrade-failed-install", base + 3);
    let r = Upgrade::default()
        .run(&mut new_cfg(), "broken", &chart, &Map::new())
        .unwrap();
    assert_eq!((r.version, r.status()), (2, super::model::Status::Deployed));
    assert_eq!(
        hist(&mut new_cfg(), "broken"),
        [(1, "superseded".to_string()), (2, "deployed".to_string())]
    );

    step("e4-rollback-missing-revision", base + 5);
    let e = Rollback {
        version: 42,
        ..Default::default()
    }
    .run(&mut new_cfg(), "broken")
    .unwrap_err();
    assert_eq!(e.message, "release has no 42 version");

    step("e5-rollback-to-failed-rev1", base + 7);
    Rollback {
        version: 1,
        ..Default::default()
    }
    .run(&mut new_cfg(), "broken")
    .unwrap();
    assert_eq!(
        hist(&mut new_cfg(), "broken"),
        [
            (1, "superseded".to_string()),
            (2, "superseded".to_string()),
            (3, "deployed".to_string())
        ]
    );

    step("e6-install-with-labels", base + 9);
    let r = Install {
        release_name: "labelled".into(),
        labels: labels("team", "blue"),
        ..Default::default()
    }
    .run(&mut new_cfg(), &chart, &Map::new())
    .unwrap();
    assert_eq!(r.labels, labels("team", "blue"));
    step("e6-upgrade-with-labels", base + 10);
    Upgrade {
        labels: labels("tier", "web"),
        ..Default::default()
    }
    .run(&mut new_cfg(), "labelled", &chart, &Map::new())
    .unwrap();
    step("e6-system-label-rejected", base + 11);
    let e = Upgrade {
        labels: labels("owner", "me"),
        ..Default::default()
    }
    .run(&mut new_cfg(), "labelled", &chart, &Map::new())
    .unwrap_err();
    assert_eq!(
        e.message,
        "user supplied labels contains system reserved label name. System labels: [name owner status version createdAt modifiedAt]"
    );

    let writes = std::mem::take(&mut rec.borrow_mut().writes);
    let expected: Vec<J> =
        serde_json::from_str(&read("v4.2.3-edge-cases/storage-timeline.json")).unwrap();
    let problems = compare_writes(&writes, &expected);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn configmap_driver_writes_the_record_helm_writes() {
    use crate::kube::object::GroupVersionResource;
    let clock = TestClock(Rc::new(Cell::new((0, 0))));
    let rec = new_cluster(&clock);
    let cluster: Rc<RefCell<dyn Cluster>> = rec.clone();
    clock.set(&ts("2026-11-24T07:29:00Z"));
    rec.borrow_mut()
        .sim
        .create(
            &GroupVersionResource::new("", "v1", "namespaces"),
            "",
            serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "cmdemo"}}),
            &Default::default(),
        )
        .unwrap();
    let chart = chart::load::load_dir(&fixtures().join("chart-demo")).unwrap();
    let new_cfg = || {
        Configuration::new(
            cluster.clone(),
            "cmdemo",
            DriverKind::ConfigMap,
            clock.env(),
        )
    };
    clock.set(&ts("2026-11-24T07:29:03.348602075Z"));
    Install {
        release_name: "demo".into(),
        ..Default::default()
    }
    .run(&mut new_cfg(), &chart, &vals(r#"{"greeting":"hi"}"#))
    .unwrap();
    clock.set(&ts("2026-11-24T07:29:08.94744552Z"));
    Upgrade::default()
        .run(
            &mut new_cfg(),
            "demo",
            &chart,
            &vals(r#"{"greeting":"hello again","image":{"tag":"1.26"}}"#),
        )
        .unwrap();
    let got = rec
        .borrow_mut()
        .sim
        .get(
            &GroupVersionResource::new("", "v1", "configmaps"),
            "cmdemo",
            "sh.helm.release.v1.demo.v2",
        )
        .unwrap();
    let want: J =
        serde_json::from_str(&read("v4.2.3-kubectl-views/configmap-demo-v2.as-sent.json")).unwrap();
    assert_eq!(got["metadata"]["labels"], want["metadata"]["labels"]);
    assert!(got.get("type").is_none());
    let ours = decode_release(got["data"]["release"].as_str().unwrap(), &LocalZone::utc()).unwrap();
    let mut helm =
        decode_release(want["data"]["release"].as_str().unwrap(), &LocalZone::utc()).unwrap();
    // the chart times are the fixture machine's file times; the rest must match
    helm.chart = ours.chart.clone();
    let mut ours = ours;
    patch_times(&mut ours, &helm);
    assert_eq!(
        model::to_json(&ours).unwrap(),
        model::to_json(&helm).unwrap()
    );
}

#[test]
fn rollout_reports_explain_what_the_cluster_did() {
    let clock = TestClock(Rc::new(Cell::new((1_795_505_000, 0))));
    let rec = new_cluster(&clock);
    let cluster: Rc<RefCell<dyn Cluster>> = rec.clone();
    let chart = chart::load::load_dir(&fixtures().join("chart-demo")).unwrap();
    let new_cfg =
        || Configuration::new(cluster.clone(), "default", DriverKind::Secret, clock.env());
    let mut cfg = new_cfg();
    Install {
        release_name: "demo".into(),
        ..Default::default()
    }
    .run(&mut cfg, &chart, &Map::new())
    .unwrap();
    let installed = super::diff::explain_changes(&cfg.changes);
    assert!(
        installed.contains("Deployment demo-web: created\n"),
        "{installed}"
    );
    assert!(
        installed.contains("ConfigMap demo-config: created\n"),
        "{installed}"
    );

    clock.0.set((1_795_505_060, 0));
    let mut cfg = new_cfg();
    Upgrade::default()
        .run(
            &mut cfg,
            "demo",
            &chart,
            &vals(r#"{"image":{"tag":"1.26"},"greeting":"hey"}"#),
        )
        .unwrap();
    let up = super::diff::explain_changes(&cfg.changes);
    let report = super::diff::RolloutReport::from_changes(2, &cfg.changes);
    assert_eq!(report.rollouts.len(), 1);
    assert!(report.rollouts[0].pods_rolled);
    assert!(report.objects.iter().any(|(k, n, a)| k == "Service"
        && n == "demo-web"
        && *a == crate::kube::cluster::Action::Unchanged));
    assert!(
        up.contains("Deployment demo-web: configured\n  pods roll: yes, because pod annotation checksum/config changed; container web: image nginx:1.25 → nginx:1.26"),
        "{up}"
    );
    assert!(up.contains("ConfigMap demo-config: configured\n"), "{up}");
    assert!(up.contains("Service demo-web: unchanged\n"), "{up}");

    clock.0.set((1_795_505_120, 0));
    let mut cfg = new_cfg();
    Upgrade {
        reuse_values: true,
        ..Default::default()
    }
    .run(&mut cfg, "demo", &chart, &vals(r#"{"replicaCount":3}"#))
    .unwrap();
    let scaled = super::diff::explain_changes(&cfg.changes);
    assert!(
        scaled.contains(
            "pods roll: no (the pod template did not change; replicas scaled from 1 to 3)"
        ),
        "{scaled}"
    );
    // the same story from the stored revisions
    let mut cfg = new_cfg();
    let r2 = cfg.release_content("demo", 2).unwrap();
    let r3 = cfg.release_content("demo", 3).unwrap();
    let words = super::diff::explain_diff(&super::diff::diff_revisions(&r2, &r3));
    assert!(words.contains("- Deployment demo-web: pods do not roll (the pod template did not change)\n  replicas: 1 → 3\n"), "{words}");
}

#[test]
fn status_command_prints_resources() {
    let clock = TestClock(Rc::new(Cell::new((1_795_505_000, 0))));
    let rec = new_cluster(&clock);
    let cluster: Rc<RefCell<dyn Cluster>> = rec.clone();
    let chart = chart::load::load_dir(&fixtures().join("chart-demo")).unwrap();
    let mut cfg = Configuration::new(cluster.clone(), "default", DriverKind::Secret, clock.env());
    Install {
        release_name: "demo".into(),
        ..Default::default()
    }
    .run(&mut cfg, &chart, &Map::new())
    .unwrap();
    clock.0.set((1_795_505_090, 0));
    let out = super::commands::status(&mut cfg, "demo", 0, super::cli::Format::Table);
    assert!(out.error.is_none());
    // one table per object, as Helm's printer writes them (so rows of a kind need not align)
    assert!(
        out.stdout.contains(
            "DESCRIPTION: Install complete\nRESOURCES:\n==> v1/ConfigMap\nNAME       DATA   AGE\ndemo-sub   1      90s\ndemo-config   1     90s\n\n==> v1/Deployment\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\n\n==> v1/Pod(related)\nNAME "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("80/TCP    90s\n\n\nNOTES:\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn removed_objects_are_deleted_unless_kept() {
    use crate::kube::object::GroupVersionResource;
    let clock = TestClock(Rc::new(Cell::new((1_795_505_000, 0))));
    let rec = new_cluster(&clock);
    let cluster: Rc<RefCell<dyn Cluster>> = rec.clone();
    let mk = |with_extra: bool| {
        let mut fm = chart::FileMap::new();
        fm.insert(
            "Chart.yaml".into(),
            b"apiVersion: v2\nname: k\nversion: 0.1.0\n".to_vec(),
        );
        fm.insert(
            "templates/keep.yaml".into(),
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    helm.sh/resource-policy: keep\n".to_vec(),
        );
        if with_extra {
            fm.insert(
                "templates/extra.yaml".into(),
                b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n".to_vec(),
            );
        }
        chart::load_files(&fm).unwrap()
    };
    let cms = GroupVersionResource::new("", "v1", "configmaps");
    let exists = |name: &str| rec.borrow_mut().sim.get(&cms, "default", name).is_ok();
    let new_cfg =
        || Configuration::new(cluster.clone(), "default", DriverKind::Secret, clock.env());
    Install {
        release_name: "k".into(),
        ..Default::default()
    }
    .run(&mut new_cfg(), &mk(true), &Map::new())
    .unwrap();
    assert!(exists("kept") && exists("extra"));
    Upgrade::default()
        .run(&mut new_cfg(), "k", &mk(false), &Map::new())
        .unwrap();
    assert!(
        exists("kept") && !exists("extra"),
        "upgrade deletes what left the manifest"
    );
    let out = super::commands::uninstall(&mut new_cfg(), &["k".to_string()], &Uninstall::default());
    assert_eq!(
        out.stdout,
        "These resources were kept due to the resource policy:\n[ConfigMap] kept\n\nrelease \"k\" uninstalled\n"
    );
    assert!(exists("kept"), "kept by policy");
    let h = query::history(&mut new_cfg(), "k").unwrap_err();
    assert_eq!(h.message, "release: not found");
}

#[test]
fn rollback_on_failure_undoes_failed_installs_and_upgrades() {
    let clock = TestClock(Rc::new(Cell::new((1_795_505_000, 0))));
    let rec = new_cluster(&clock);
    let cluster: Rc<RefCell<dyn Cluster>> = rec.clone();
    let chart = chart::load::load_dir(&fixtures().join("chart-demo")).unwrap();
    let new_cfg =
        || Configuration::new(cluster.clone(), "default", DriverKind::Secret, clock.env());
    rec.borrow_mut()
        .sim
        .set_failing("default", "demo-fail-install", true);
    rec.borrow_mut()
        .sim
        .set_failing("default", "demo-fail-check", true);
    let atomic = Install {
        release_name: "demo".into(),
        rollback_on_failure: true,
        ..Default::default()
    };
    let e = atomic
        .run(&mut new_cfg(), &chart, &vals(r#"{"failInstallHook":true}"#))
        .unwrap_err();
    assert_eq!(
        e.message,
        "release demo failed, and has been uninstalled due to rollback-on-failure being set: failed pre-install: resource Job/default/demo-fail-install not ready. status: Failed, message: Job Failed. failed: 1/1"
    );
    assert!(
        query::history(&mut new_cfg(), "demo")
            .unwrap_err()
            .not_found
    );

    atomic.run(&mut new_cfg(), &chart, &Map::new()).unwrap();
    clock.0.set((1_795_505_100, 0));
    let e = Upgrade {
        rollback_on_failure: true,
        ..Default::default()
    }
    .run(
        &mut new_cfg(),
        "demo",
        &chart,
        &vals(r#"{"failUpgradeHook":true}"#),
    )
    .unwrap_err();
    assert!(e.message.starts_with(
        "release demo failed, and has been rolled back due to rollback-on-failure being set: pre-upgrade hooks failed: "
    ));
    let mut h = query::history(&mut new_cfg(), "demo").unwrap();
    super::util::sort_by_revision(&mut h);
    let got: Vec<(i64, String, String)> = h
        .iter()
        .map(|r| {
            (
                r.version,
                r.status().to_string(),
                r.info.clone().unwrap().description,
            )
        })
        .collect();
    assert_eq!(got[0], (1, "superseded".into(), "Install complete".into()));
    assert_eq!(got[1].1, "failed");
    assert_eq!(got[2], (3, "deployed".into(), "Rollback to 1".into()));
}
