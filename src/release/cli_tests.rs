//! Helm's own CLI golden files (release-fixtures/helm-golden/v4.2.3, from pkg/cmd/testdata)
//! reproduced with the releases Helm's tests use (pkg/release/v1 mock.go and the test tables),
//! stored and read back through the memory driver as Helm's tests do.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use super::action::{Configuration, DryRun};
use super::cli::{self, Format, ListPrint, StatusPrint};
use super::fixture_tests::read;
use super::gotime::{self, LocalZone};
use super::install::Install;
use super::model::{
    Hook, HookEvent, HookExecution, HookPhase, Info, Release, ReleaseChart, Status,
};
use super::query;
use super::storage::DriverKind;
use super::timeline_tests::{new_cluster, TestClock};
use crate::chart::model::{Dependency, Metadata};
use crate::engine::{Map, Timestamp, Value};
use crate::kube::cluster::Cluster;

fn golden(name: &str) -> String {
    read(&format!("helm-golden/v4.2.3/{name}"))
}

fn t(secs: i64) -> Timestamp {
    Timestamp::utc(secs, 0)
}

fn config(env_at: i64) -> Configuration {
    let clock = TestClock(Rc::new(Cell::new((env_at, 0))));
    let rec = new_cluster(&clock);
    let cluster: Rc<RefCell<dyn Cluster>> = rec;
    Configuration::new(cluster, "default", DriverKind::Memory, clock.env())
}

fn store(cfg: &mut Configuration, rels: &[Release]) {
    for r in rels {
        let saved = cfg.releases.namespace.clone();
        cfg.store(|s, c| s.create(c, r)).unwrap();
        cfg.releases.namespace = saved;
    }
}

/// `release.Mock`.
fn mock(name: &str, version: i64, status: Status, labels: &[(&str, &str)]) -> Release {
    let date = t(242_085_845);
    let mut ann = BTreeMap::new();
    ann.insert("category".to_string(), "web-apps".to_string());
    ann.insert("supported".to_string(), "true".to_string());
    let md = Metadata {
        name: "foo".into(),
        version: "0.1.0-beta.1".into(),
        app_version: "1.0".into(),
        annotations: Some(ann),
        dependencies: Some(vec![
            Dependency {
                name: "cool-plugin".into(),
                version: "1.0.0".into(),
                repository: "https://coolplugin.io/charts".into(),
                condition: "coolPlugin.enabled".into(),
                enabled: true,
                ..Default::default()
            },
            Dependency {
                name: "crds".into(),
                version: "2.7.1".into(),
                condition: "crds.enabled".into(),
                ..Default::default()
            },
        ]),
        ..Default::default()
    };
    let config = Map::new();
    config.insert("name", Value::str("value"));
    Release {
        name: name.into(),
        info: Some(Info {
            first_deployed: date.clone(),
            last_deployed: date,
            status,
            description: "Release mock".into(),
            notes: "Some mock release notes!".into(),
            ..Info::default()
        }),
        chart: Some(ReleaseChart {
            metadata: Some(md),
            ..ReleaseChart::default()
        }),
        config,
        version,
        namespace: "default".into(),
        hooks: vec![Hook {
            name: "pre-install-hook".into(),
            kind: "Job".into(),
            path: "pre-install-hook.yaml".into(),
            manifest: "apiVersion: v1\nkind: Job\nmetadata:\n  annotations:\n    \"helm.sh/hook\": pre-install\n".into(),
            events: vec![HookEvent::PreInstall],
            ..Hook::default()
        }],
        manifest: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: fixture\n".into(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Release::default()
    }
}

fn simple(
    name: &str,
    version: i64,
    ns: &str,
    secs: i64,
    status: Status,
    chart: (&str, &str, &str),
) -> Release {
    Release {
        name: name.into(),
        version,
        namespace: ns.into(),
        info: Some(Info {
            last_deployed: t(secs),
            status,
            ..Info::default()
        }),
        chart: Some(ReleaseChart {
            metadata: Some(Metadata {
                name: chart.0.into(),
                version: chart.1.into(),
                app_version: chart.2.into(),
                ..Default::default()
            }),
            ..ReleaseChart::default()
        }),
        ..Release::default()
    }
}

#[test]
fn history_goldens() {
    let mut cfg = config(0);
    let rels: Vec<Release> = [
        (4, Status::Deployed),
        (3, Status::Superseded),
        (2, Status::Superseded),
        (1, Status::Superseded),
    ]
    .iter()
    .map(|(v, s)| mock("angry-bird", *v, s.clone(), &[]))
    .collect();
    store(&mut cfg, &rels);
    let h = query::history_for_cli(&mut cfg, "angry-bird", 256).unwrap();
    assert_eq!(
        cli::history(&h, Format::Table).unwrap(),
        golden("history.txt")
    );
    let mut cfg = config(0);
    store(&mut cfg, &rels[..2]);
    let h = query::history_for_cli(&mut cfg, "angry-bird", 2).unwrap();
    assert_eq!(
        cli::history(&h, Format::Table).unwrap(),
        golden("history-limit.txt")
    );
    assert_eq!(
        cli::history(&h, Format::Json).unwrap(),
        golden("history.json")
    );
    assert_eq!(
        cli::history(&h, Format::Yaml).unwrap(),
        golden("history.yaml")
    );
}

#[test]
fn list_goldens() {
    let base = 1_452_902_400;
    let ch = ("chickadee", "1.0.0", "0.0.1");
    let fixture = vec![
        simple("starlord", 1, "default", base + 1, Status::Superseded, ch),
        simple("starlord", 2, "default", base + 1, Status::Deployed, ch),
        simple("groot", 1, "default", base + 1, Status::Uninstalled, ch),
        simple("gamora", 1, "default", base + 1, Status::Superseded, ch),
        simple("rocket", 1, "default", base + 2, Status::Failed, ch),
        simple("drax", 1, "default", base + 1, Status::Uninstalling, ch),
        simple("thanos", 1, "default", base + 1, Status::PendingInstall, ch),
        simple("hummingbird", 1, "default", base + 3, Status::Deployed, ch),
        simple("iguana", 2, "default", base + 4, Status::Deployed, ch),
        simple("starlord", 2, "milano", base + 1, Status::Deployed, ch),
    ];
    let mut cfg = config(0);
    store(&mut cfg, &fixture);
    cfg.releases.namespace = "default".into();
    let all = query::List::default().run(&mut cfg).unwrap();
    assert_eq!(
        cli::list(&all, Format::Table, &ListPrint::default()).unwrap(),
        golden("list-all.txt")
    );
    let df = query::List {
        deployed: true,
        failed: true,
        ..Default::default()
    }
    .run(&mut cfg)
    .unwrap();
    assert_eq!(
        cli::list(&df, Format::Table, &ListPrint::default()).unwrap(),
        golden("list.txt")
    );
    let filtered = query::List {
        filter: ".*".into(),
        ..Default::default()
    }
    .run(&mut cfg)
    .unwrap();
    assert_eq!(
        cli::list(&filtered, Format::Table, &ListPrint::default()).unwrap(),
        golden("list-all.txt")
    );

    let one = vec![simple(
        "test-release",
        1,
        "default",
        base,
        Status::Deployed,
        ("test-chart", "1.0.0", "0.0.1"),
    )];
    let mut cfg = config(0);
    store(&mut cfg, &one);
    let l = query::List::default().run(&mut cfg).unwrap();
    assert_eq!(
        cli::list(&l, Format::Json, &ListPrint::default()).unwrap(),
        golden("list-json.txt")
    );
    assert_eq!(
        cli::list(&l, Format::Yaml, &ListPrint::default()).unwrap(),
        golden("list-yaml.txt")
    );
    let tf = ListPrint {
        time_format: "2006-01-02 15:04:05".into(),
        ..Default::default()
    };
    assert_eq!(
        cli::list(&l, Format::Table, &tf).unwrap(),
        golden("list-time-format.txt")
    );
}

fn status_mock(info: Info, hooks: Vec<Hook>) -> Release {
    Release {
        name: "flummoxed-chickadee".into(),
        namespace: "default".into(),
        info: Some(Info {
            last_deployed: t(1_452_902_400),
            ..info
        }),
        chart: Some(ReleaseChart {
            metadata: Some(Metadata {
                name: "name".into(),
                version: "1.2.3".into(),
                app_version: "3.2.1".into(),
                ..Default::default()
            }),
            ..ReleaseChart::default()
        }),
        hooks,
        ..Release::default()
    }
}

fn run_status(rel: Release, format: Format) -> String {
    let mut cfg = config(0);
    store(&mut cfg, &[rel]);
    let mut r = query::status(&mut cfg, "flummoxed-chickadee", 0).unwrap();
    r.chart = None;
    cli::status(&r, format, &StatusPrint::default()).unwrap()
}

#[test]
fn status_goldens() {
    let deployed = Info {
        status: Status::Deployed,
        ..Info::default()
    };
    assert_eq!(
        run_status(status_mock(deployed.clone(), vec![]), Format::Table),
        golden("status.txt")
    );
    let desc = Info {
        status: Status::Deployed,
        description: "Mock description".into(),
        ..Info::default()
    };
    assert_eq!(
        run_status(status_mock(desc, vec![]), Format::Table),
        golden("status-with-desc.txt")
    );
    let notes = Info {
        status: Status::Deployed,
        notes: "release notes".into(),
        ..Info::default()
    };
    assert_eq!(
        run_status(status_mock(notes.clone(), vec![]), Format::Table),
        golden("status-with-notes.txt")
    );
    assert_eq!(
        run_status(status_mock(notes, vec![]), Format::Json),
        golden("status.json")
    );
    let p = |s: &str| gotime::parse_rfc3339(s, &LocalZone::utc()).unwrap();
    let run = |name: &str, ev: HookEvent, started: &str, done: &str, phase: &str| Hook {
        name: name.into(),
        events: vec![ev],
        last_run: HookExecution {
            started_at: p(started),
            completed_at: p(done),
            phase: HookPhase::new(phase),
        },
        ..Hook::default()
    };
    let hooks = vec![
        Hook {
            name: "never-run-test".into(),
            events: vec![HookEvent::Test],
            ..Hook::default()
        },
        run(
            "passing-test",
            HookEvent::Test,
            "2006-01-02T15:04:05Z",
            "2006-01-02T15:04:07Z",
            "Succeeded",
        ),
        run(
            "failing-test",
            HookEvent::Test,
            "2006-01-02T15:10:05Z",
            "2006-01-02T15:10:07Z",
            "Failed",
        ),
        run(
            "passing-pre-install",
            HookEvent::PreInstall,
            "2006-01-02T15:00:05Z",
            "2006-01-02T15:00:07Z",
            "Succeeded",
        ),
    ];
    assert_eq!(
        run_status(status_mock(deployed, hooks), Format::Table),
        golden("status-with-test-suite.txt")
    );
}

#[test]
fn get_goldens() {
    let mut cfg = config(0);
    store(
        &mut cfg,
        &[mock(
            "thomas-guide",
            1,
            Status::Deployed,
            &[("key1", "value1")],
        )],
    );
    let rel = query::get(&mut cfg, "thomas-guide", 0).unwrap();
    assert_eq!(cli::get_hooks(&rel), golden("get-hooks.txt"));
    assert_eq!(cli::get_manifest(&rel), golden("get-manifest.txt"));
    assert_eq!(cli::get_notes(&rel), golden("get-notes.txt"));
    assert_eq!(cli::get_all(&rel).unwrap(), golden("get-release.txt"));
    let v = query::get_values(&mut cfg, "thomas-guide", 0, false).unwrap();
    assert_eq!(
        cli::get_values(&v, false, Format::Table).unwrap(),
        golden("get-values.txt")
    );
    let v = query::get_values(&mut cfg, "thomas-guide", 0, true).unwrap();
    assert_eq!(
        cli::get_values(&v, true, Format::Table).unwrap(),
        golden("get-values-all.txt")
    );
    let md = query::get_metadata(&mut cfg, "thomas-guide", 0).unwrap();
    assert_eq!(
        cli::get_metadata(&md, Format::Table).unwrap(),
        golden("get-metadata.txt")
    );
    assert_eq!(
        cli::get_metadata(&md, Format::Json).unwrap(),
        golden("get-metadata.json")
    );
}

fn chart_of(files: &[(&str, &str)]) -> crate::chart::Chart {
    let fm: crate::chart::FileMap = files
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
    crate::chart::load_files(&fm).unwrap()
}

#[test]
fn install_goldens() {
    let mut cfg = config(242_085_845);
    let empty = chart_of(&[
        (
            "Chart.yaml",
            "apiVersion: v1\nname: empty\nversion: 0.1.0\n",
        ),
        ("values.yaml", "# empty\n"),
        (
            "templates/empty.yaml",
            "# This file is intentionally blank\n",
        ),
    ]);
    let rel = Install {
        release_name: "aeneas".into(),
        ..Default::default()
    }
    .run(&mut cfg, &empty, &Map::new())
    .unwrap();
    assert_eq!(
        cli::status(&rel, Format::Table, &StatusPrint::default()).unwrap(),
        golden("install.txt")
    );

    let secret = chart_of(&[
        ("Chart.yaml", "apiVersion: v2\ndescription: Chart with Kubernetes Secret\nname: chart-with-secret\nversion: 0.0.1\n"),
        ("templates/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: test-secret\nstringData:\n  foo: bar\n"),
        ("templates/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test-configmap\ndata:\n  foo: bar\n"),
    ]);
    let rel = Install {
        release_name: "secrets".into(),
        dry_run: DryRun::Client,
        ..Default::default()
    }
    .run(&mut cfg, &secret, &Map::new())
    .unwrap();
    assert_eq!(
        cli::status(&rel, Format::Table, &StatusPrint::default()).unwrap(),
        golden("install-dry-run-with-secret.txt")
    );
}

#[test]
fn one_line_goldens() {
    assert_eq!(cli::ROLLBACK_SUCCESS, golden("rollback.txt"));
    assert_eq!(cli::uninstalled("aeneas", ""), golden("uninstall.txt"));
    assert_eq!(
        format!(
            "{}{}",
            cli::uninstalled("aeneas", ""),
            cli::uninstalled("aeneas2", "")
        ),
        golden("uninstall-multiple.txt")
    );
    assert_eq!(
        cli::error_line("release has no 3 version"),
        golden("rollback-non-existent-version.txt")
    );
    assert_eq!(
        cli::error_line("UPGRADE FAILED: \"funny-bunny\" has no deployed releases"),
        golden("upgrade-with-bad-or-missing-existing-release.txt")
    );
}

#[test]
fn upgrade_command_goldens() {
    use super::commands;
    use super::upgrade::Upgrade;
    let chart = chart_of(&[(
        "Chart.yaml",
        "apiVersion: v1\ndescription: A Helm chart for Kubernetes\nname: testUpgradeChart\nversion: 0.1.3\n",
    )]);
    let run = |stored: Option<Status>, install: bool| {
        let mut cfg = config(242_085_845);
        if let Some(st) = stored {
            store(&mut cfg, &[mock("funny-bunny", 2, st, &[])]);
        }
        let inst = Install::default();
        let out = commands::upgrade(
            &mut cfg,
            "funny-bunny",
            &chart,
            &Map::new(),
            &Upgrade::default(),
            install.then_some(&inst),
            Format::Table,
            false,
            false,
        );
        out.terminal()
    };
    assert_eq!(run(Some(Status::Deployed), false), golden("upgrade.txt"));
    assert_eq!(run(Some(Status::Failed), false), golden("upgrade.txt"));
    assert_eq!(
        run(Some(Status::PendingInstall), false),
        golden("upgrade-with-pending-install.txt")
    );
    assert_eq!(
        run(None, false),
        golden("upgrade-with-bad-or-missing-existing-release.txt")
    );
    assert_eq!(
        run(Some(Status::Uninstalled), true),
        golden("upgrade-uninstalled-with-keep-history.txt")
    );
}
