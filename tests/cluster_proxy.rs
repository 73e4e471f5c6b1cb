//! ChartLab's connected mode against a Kubernetes API test server of our own
//! (tests/apiserver): the server's fidelity checked with the real kubectl (server-side apply,
//! conflicts, label selectors, deletes, `kubectl proxy` in front of it); ChartLab's releases
//! made through `kubectl proxy` with `kube::http::HttpCluster`; real Helm (helm-python-sdk,
//! Helm v4.2.3) reading ChartLab's release Secrets and ChartLab reading Helm's; and the
//! requests ChartLab sends compared with real Helm's request log in
//! ../shared/release-fixtures/.
//!
//! Needs /usr/bin/kubectl (Debian's `kubectl`) and the helm-python-sdk venv
//! (~/.cache/helm-conformance/venv), both installed by scripts/bootstrap.sh; without them the
//! tests fail unless `CHARTLAB_SKIP_CLUSTER=1`.
#![cfg(not(target_arch = "wasm32"))]

mod apiserver;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use apiserver::{have_kubectl, ApiServer, Logged, COMPLETE_AFTER};
use chartlab::chart::{self, Chart};
use chartlab::engine::env::FnClock;
use chartlab::engine::{Env, Map, Timestamp};
use chartlab::kube::cluster::{Cluster, WaitProgress};
use chartlab::kube::http::{self, HttpCluster, TcpTransport};
use chartlab::release::action::Configuration;
use chartlab::release::install::Install;
use chartlab::release::model::Release;
use chartlab::release::query;
use chartlab::release::rollback::Rollback;
use chartlab::release::storage::{decode_release, DriverKind};
use chartlab::release::upgrade::Upgrade;
use serde_json::{json, Value};

const SKIP_VAR: &str = "CHARTLAB_SKIP_CLUSTER";

fn skipped() -> bool {
    if std::env::var(SKIP_VAR).is_ok_and(|v| v == "1") {
        eprintln!("cluster_proxy: skipped because {SKIP_VAR}=1 (the cluster tests did NOT run)");
        return true;
    }
    assert!(
        have_kubectl(),
        "cluster_proxy: /usr/bin/kubectl is missing: run scripts/bootstrap.sh (apt-get install kubectl), \
         or set {SKIP_VAR}=1 to skip the cluster tests"
    );
    false
}

fn helm_python() -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_default();
    let cache = std::env::var("XDG_CACHE_HOME").unwrap_or_else(|_| format!("{home}/.cache"));
    let py = PathBuf::from(cache).join("helm-conformance/venv/bin/python");
    assert!(
        py.exists(),
        "cluster_proxy: {} is missing: run scripts/bootstrap.sh (it makes the helm-python-sdk venv), \
         or set {SKIP_VAR}=1",
        py.display()
    );
    py
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/release-fixtures")
}

fn system_env() -> Env {
    let now = || {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp::utc(d.as_secs() as i64, d.subsec_nanos())
    };
    Env {
        clock: Rc::new(FnClock(Box::new(now))),
        ..Env::fixed(now(), 11)
    }
}

type Live = Rc<RefCell<HttpCluster<TcpTransport>>>;

fn connect(url: &str) -> Live {
    Rc::new(RefCell::new(http::connect(url).expect("connect")))
}

fn config(c: &Live, namespace: &str, driver: DriverKind) -> Configuration {
    let cluster: Rc<RefCell<dyn Cluster>> = c.clone();
    Configuration::new(cluster, namespace, driver, system_env())
}

fn values(v: Value) -> Map {
    match chartlab::json::parse(&v.to_string()).expect("json") {
        chartlab::engine::Value::Map(m) => m,
        _ => Map::new(),
    }
}

/// A small chart with a pre-install/pre-upgrade hook Job that the test server keeps running
/// for `hook_secs` seconds, a ConfigMap whose content follows the values, and a Deployment.
fn slow_hook_chart(dir: &Path, hook_secs: u32) -> Chart {
    let c = dir.join("slow");
    std::fs::create_dir_all(c.join("templates")).expect("chart dir");
    std::fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: slow\nversion: 0.1.0\n",
    )
    .expect("write");
    std::fs::write(c.join("values.yaml"), "greeting: hello\nreplicas: 1\n").expect("write");
    std::fs::write(
        c.join("templates/config.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  greeting: {{ .Values.greeting | quote }}\n",
    )
    .expect("write");
    std::fs::write(
        c.join("templates/deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  replicas: {{ .Values.replicas }}\n  selector:\n    matchLabels:\n      app: {{ .Release.Name }}-web\n  template:\n    metadata:\n      labels:\n        app: {{ .Release.Name }}-web\n      annotations:\n        checksum/config: {{ .Values.greeting | sha256sum }}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n",
    )
    .expect("write");
    std::fs::write(
        c.join("templates/hook.yaml"),
        format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{{{ .Release.Name }}}}-migrate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n    {COMPLETE_AFTER}: \"{hook_secs}\"\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: migrate\n        image: busybox\n        command: [\"true\"]\n"),
    )
    .expect("write");
    chart::load::load_dir(&c).expect("load chart")
}

fn records(s: &ApiServer, namespace: &str) -> Vec<Value> {
    s.objects("core/secrets", namespace)
        .into_iter()
        .filter(|o| o["type"] == "helm.sh/release.v1")
        .collect()
}

/// The release inside a record Secret (two base64 layers, gzip, JSON).
fn decode_record(secret: &Value) -> Release {
    use base64::Engine as _;
    let data = secret["data"]["release"].as_str().expect("release data");
    let inner = base64::engine::general_purpose::STANDARD
        .decode(data)
        .expect("base64");
    decode_release(
        &String::from_utf8(inner).expect("utf8"),
        &chartlab::release::gotime::LocalZone::utc(),
    )
    .expect("decode release")
}

/// Runs real Helm (helm-python-sdk) against the server. Helm's field manager is its program's
/// name (`filepath.Base(os.Args[0])`): with `as_cli` the Python process is started as
/// `…/venv/bin/helm`, so the SDK applies as `helm` like the helm CLI (and ChartLab) do;
/// otherwise as `python`.
fn helm(s: &ApiServer, namespace: &str, as_cli: bool, ops: Value) -> Vec<Value> {
    helm_with(s, namespace, "secret", as_cli, ops)
}

fn helm_with(s: &ApiServer, namespace: &str, driver: &str, as_cli: bool, ops: Value) -> Vec<Value> {
    use std::os::unix::process::CommandExt as _;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/apiserver/helm_sdk.py");
    let req = json!({"kubeconfig": s.kubeconfig_text(namespace), "namespace": namespace,
        "driver": driver, "ops": ops});
    let py = helm_python();
    let mut cmd = std::process::Command::new(&py);
    if as_cli {
        cmd.arg0(py.with_file_name("helm"));
    }
    let out = cmd
        .arg(script)
        .arg(req.to_string())
        .env("HOME", s.dir())
        .env("TZ", "UTC")
        .output()
        .expect("run helm-python-sdk");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "helm_sdk.py: {e}\nstdout: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn description(r: &Release) -> &str {
    r.info
        .as_ref()
        .map(|i| i.description.as_str())
        .unwrap_or("")
}

fn ok(r: &Value) -> &Value {
    assert_eq!(r["ok"], true, "helm failed: {r}");
    &r["result"]
}

#[test]
fn kubectl_drives_the_test_server() {
    if skipped() {
        return;
    }
    let s = ApiServer::start();
    let write = |name: &str, text: &str| {
        let p = s.dir().join(name);
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    };
    let cm = write(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels:\n    app: demo\ndata:\n  a: \"1\"\n  b: \"2\"\n",
    );
    let other = write(
        "other.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\ndata:\n  a: \"9\"\n",
    );
    let fewer = write(
        "fewer.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels:\n    app: demo\ndata:\n  b: \"2\"\n",
    );
    let run = |args: &[&str]| s.kubectl(args);

    let (out, err, code) = run(&["apply", "--server-side", "-f", &cm]);
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("configmap/demo serverside-applied\n", "", 0)
    );
    // another manager changing a field kubectl owns: the API server's conflict, in its words
    let (_, err, code) = run(&[
        "apply",
        "--server-side",
        "--field-manager=other",
        "-f",
        &other,
    ]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with(
            "error: Apply failed with 1 conflict: conflict with \"kubectl\": .data.a\n"
        ),
        "{err}"
    );
    let (_, _, code) = run(&[
        "apply",
        "--server-side",
        "--field-manager=other",
        "--force-conflicts",
        "-f",
        &other,
    ]);
    assert_eq!(code, 0);
    let (out, _, _) = run(&["get", "cm", "demo", "-o", "jsonpath={.data}"]);
    assert_eq!(out, r#"{"a":"9","b":"2"}"#);
    // kubectl stops applying .data.a but `other` still owns it: it stays
    let (_, _, code) = run(&["apply", "--server-side", "-f", &fewer]);
    assert_eq!(code, 0);
    let (out, _, _) = run(&["get", "cm", "demo", "-o", "jsonpath={.data}"]);
    assert_eq!(out, r#"{"a":"9","b":"2"}"#);
    let (out, _, _) = run(&[
        "get",
        "cm",
        "demo",
        "-o",
        "jsonpath={range .metadata.managedFields[*]}{.manager}:{.operation} {end}",
    ]);
    assert_eq!(out, "kubectl:Apply other:Apply ");
    // label selectors, server-side tables
    let (out, _, _) = run(&["get", "cm", "-l", "app=demo"]);
    assert!(
        out.starts_with("NAME   DATA   AGE\ndemo   2      "),
        "{out}"
    );
    let (out, err, code) = run(&["get", "cm", "-l", "app=nothing"]);
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("", "No resources found in default namespace.\n", 0)
    );
    let (_, err, code) = run(&["get", "cm", "-l", "app in (a"]);
    assert_eq!(code, 1);
    assert!(err.contains("unable to parse requirement"), "{err}");
    // a Deployment through server-side apply: the controllers make its ReplicaSet and pods
    let deploy = write(
        "deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n",
    );
    let (_, err, code) = run(&["apply", "--server-side", "-f", &deploy]);
    assert_eq!(code, 0, "{err}");
    let (out, _, _) = run(&["get", "pods", "-l", "app=web", "-o", "name"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    // validation errors in the API's words
    let bad = write(
        "bad.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata: {}\n",
    );
    let (_, err, code) = run(&["apply", "--server-side", "-f", &bad]);
    assert_eq!(code, 1);
    assert!(
        err.contains(
            "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\""
        ),
        "{err}"
    );
    // delete with propagation: the ReplicaSet and pods go too
    let (out, _, code) = run(&["delete", "deployment", "web", "--cascade=foreground"]);
    assert_eq!(
        (out.as_str(), code),
        ("deployment.apps \"web\" deleted\n", 0)
    );
    let (out, _, _) = run(&["get", "rs,pods", "-l", "app=web", "-o", "name"]);
    assert_eq!(out, "");
    let (out, _, code) = run(&["delete", "cm", "demo"]);
    assert_eq!((out.as_str(), code), ("configmap \"demo\" deleted\n", 0));
    let (_, err, code) = run(&["get", "cm", "demo"]);
    assert_eq!(
        (err.as_str(), code),
        (
            "Error from server (NotFound): configmaps \"demo\" not found\n",
            1
        )
    );

    // what kubectl sent: aggregated discovery, SSA with its field manager, Strict validation
    let reqs = s.requests();
    let patch = reqs.iter().find(|r| r.method == "PATCH").expect("a PATCH");
    assert_eq!(
        patch.content_type.as_deref(),
        Some("application/apply-patch+yaml")
    );
    assert_eq!(
        patch.path,
        "/api/v1/namespaces/default/configmaps/demo?fieldManager=kubectl&fieldValidation=Strict&force=false"
    );
    assert!(reqs
        .iter()
        .any(|r| r.path.starts_with("/apis?") && r.accept.contains("as=APIGroupDiscoveryList")));
    assert!(reqs
        .iter()
        .any(|r| r.method == "PATCH" && r.path.contains("force=true")));
}

#[test]
fn resource_version_conflicts_and_watches() {
    if skipped() {
        return;
    }
    let s = ApiServer::start();
    let p = s.proxy(None);
    let c = connect(&p.url());
    let cms = chartlab::kube::object::GroupVersionResource::new("", "v1", "configmaps");
    let opts = chartlab::kube::cluster::WriteOptions {
        field_manager: "test".into(),
        dry_run: false,
    };
    let made = c
        .borrow_mut()
        .create(
            &cms,
            "default",
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "rv"}, "data": {"a": "1"}}),
            &opts,
        )
        .expect("create");
    let mut stale = made.clone();
    let mut fresh = made.clone();
    fresh["data"]["a"] = json!("2");
    c.borrow_mut()
        .update(&cms, "default", fresh, &opts)
        .expect("update at the current resourceVersion");
    stale["data"]["a"] = json!("3");
    let e = c
        .borrow_mut()
        .update(&cms, "default", stale, &opts)
        .expect_err("a stale resourceVersion conflicts");
    assert_eq!(e.code, 409);
    assert_eq!(
        e.to_string(),
        "Operation cannot be fulfilled on configmaps \"rv\": the object has been modified; please apply your changes to the latest version and try again"
    );
    let e = c
        .borrow_mut()
        .create(
            &cms,
            "default",
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "rv"}}),
            &opts,
        )
        .expect_err("exists");
    assert_eq!(e.to_string(), "configmaps \"rv\" already exists");

    // a watch through the proxy: WatchList's initial events and bookmark, then changes
    let rv: u64 = made["metadata"]["resourceVersion"]
        .as_str()
        .and_then(|r| r.parse().ok())
        .expect("rv");
    let mut t = TcpTransport::new(&p.url()).expect("transport");
    use chartlab::kube::http::{Transport, WireRequest};
    let watch = |t: &mut TcpTransport, q: &str| {
        let r = t
            .exchange(&WireRequest {
                method: "GET".into(),
                path: format!("/api/v1/namespaces/default/configmaps?{q}"),
                content_type: None,
                accept: "application/json".into(),
                body: Vec::new(),
            })
            .expect("watch");
        let text = String::from_utf8(r.body).expect("utf8");
        text.lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("event"))
            .map(|e| {
                format!(
                    "{} {} {}",
                    e["type"].as_str().unwrap_or(""),
                    e["object"]["metadata"]["name"].as_str().unwrap_or(""),
                    e["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"]
                        .as_str()
                        .unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
    };
    let evs = watch(
        &mut t,
        "allowWatchBookmarks=true&fieldSelector=metadata.name%3Drv&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&timeoutSeconds=1&watch=true",
    );
    assert_eq!(evs, ["ADDED rv ", "BOOKMARK  true"]);
    let evs = watch(
        &mut t,
        &format!(
            "fieldSelector=metadata.name%3Drv&resourceVersion={rv}&timeoutSeconds=1&watch=true"
        ),
    );
    assert_eq!(evs, ["MODIFIED rv "]);
}

#[test]
fn releases_through_kubectl_proxy_wait_for_hooks_and_helm_reads_them() {
    if skipped() {
        return;
    }
    let s = ApiServer::start();
    let p = s.proxy(None);
    let c = connect(&p.url());
    let waits: Rc<RefCell<Vec<WaitProgress>>> = Rc::default();
    {
        let w = waits.clone();
        c.borrow_mut()
            .set_on_wait(Box::new(move |p| w.borrow_mut().push(p.clone())));
    }
    let chart = slow_hook_chart(s.dir(), 2);

    // install: the hook Job runs for 2 s and Helm's wait sees it through
    let t0 = Instant::now();
    let rel = Install {
        release_name: "demo".into(),
        ..Default::default()
    }
    .run(
        &mut config(&c, "default", DriverKind::Secret),
        &chart,
        &Map::new(),
    )
    .expect("install");
    assert!(t0.elapsed().as_secs_f64() >= 1.5, "{:?}", t0.elapsed());
    assert_eq!(rel.status().as_str(), "deployed");
    {
        let w = waits.borrow();
        assert!(!w.is_empty());
        assert_eq!(w[0].kind, "Job");
        assert_eq!(w[0].name, "demo-migrate");
        assert_eq!(w[0].timeout_ms, 300_000);
        assert!(
            w[0].describe()
                .starts_with("waiting for Job default/demo-migrate: "),
            "{}",
            w[0].describe()
        );
    }
    // the hook was deleted after it succeeded (hook-succeeded)
    assert!(s.objects("batch/jobs", "default").is_empty());

    // upgrade with new values, then roll back to revision 1
    Upgrade::default()
        .run(
            &mut config(&c, "default", DriverKind::Secret),
            "demo",
            &chart,
            &values(json!({"greeting": "bonjour"})),
        )
        .expect("upgrade");
    let cm = s.objects("core/configmaps", "default");
    assert!(cm.iter().any(|o| o["data"]["greeting"] == "bonjour"));
    Rollback {
        version: 1,
        ..Default::default()
    }
    .run(&mut config(&c, "default", DriverKind::Secret), "demo")
    .expect("rollback");
    let cm = s.objects("core/configmaps", "default");
    assert!(cm.iter().any(|o| o["data"]["greeting"] == "hello"));

    // the server holds Helm-format release Secrets
    let recs = records(&s, "default");
    let names: Vec<&str> = recs
        .iter()
        .map(|r| r["metadata"]["name"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        names,
        [
            "sh.helm.release.v1.demo.v1",
            "sh.helm.release.v1.demo.v2",
            "sh.helm.release.v1.demo.v3"
        ]
    );
    for (i, r) in recs.iter().enumerate() {
        let l = &r["metadata"]["labels"];
        assert_eq!(l["owner"], "helm");
        assert_eq!(l["name"], "demo");
        assert_eq!(l["version"], (i + 1).to_string());
        // an update replaces the labels: `createdAt` gives way to `modifiedAt`, as in Helm
        assert!(l["modifiedAt"].is_string(), "{l}");
        assert_eq!(decode_record(r).version as usize, i + 1);
    }
    assert_eq!(recs[2]["metadata"]["labels"]["status"], "deployed");
    assert_eq!(description(&decode_record(&recs[2])), "Rollback to 1");

    // real Helm reads them
    let res = helm(
        &s,
        "default",
        true,
        json!([{"op": "history", "name": "demo"}, {"op": "status", "name": "demo"},
               {"op": "get_values", "name": "demo", "revision": 2}, {"op": "list"}]),
    );
    let hist = ok(&res[0]).as_array().expect("history list");
    let summary: Vec<(i64, String, String)> = hist
        .iter()
        .map(|h| {
            (
                h["revision"].as_i64().unwrap_or(0),
                h["status"].as_str().unwrap_or("").to_string(),
                h["chart_name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, "superseded".to_string(), "slow".to_string()),
            (2, "superseded".to_string(), "slow".to_string()),
            (3, "deployed".to_string(), "slow".to_string())
        ],
        "{}",
        res[0]
    );
    let st = ok(&res[1]);
    assert_eq!(st["name"], "demo", "{st}");
    assert_eq!(st["revision"], 3, "{st}");
    assert!(
        st["manifest"]
            .as_str()
            .unwrap_or("")
            .contains("greeting: \"hello\""),
        "{st}"
    );
    assert_eq!(ok(&res[2])["greeting"], "bonjour", "{}", res[2]);
    let listed = ok(&res[3]).as_array().expect("list");
    assert_eq!(listed.len(), 1);

    // and real Helm can roll ChartLab's release back, which ChartLab then reads
    let res = helm(
        &s,
        "default",
        true,
        json!([{"op": "rollback", "name": "demo", "version": 2}]),
    );
    ok(&res[0]);
    let hist =
        query::history(&mut config(&c, "default", DriverKind::Secret), "demo").expect("history");
    let last = hist.iter().max_by_key(|r| r.version).expect("revisions");
    assert_eq!((last.version, last.status().as_str()), (4, "deployed"));
    assert_eq!(description(last), "Rollback to 2");
}

#[test]
fn chartlab_reads_releases_real_helm_made() {
    if skipped() {
        return;
    }
    let s = ApiServer::start();
    let p = s.proxy(None);
    let demo = shared().join("chart-demo");
    let demo = demo.to_str().expect("path");
    let (_, err, code) = s.kubectl(&["create", "namespace", "team"]);
    assert_eq!(code, 0, "{err}");
    let res = helm(
        &s,
        "team",
        false,
        json!([
            {"op": "install", "chart": demo, "name": "web", "values": {"greeting": "hi"}},
            {"op": "upgrade", "chart": demo, "name": "web", "values": {"greeting": "hello again", "image": {"tag": "1.26"}}},
        ]),
    );
    ok(&res[0]);
    ok(&res[1]);
    // the records Helm wrote (protobuf bodies) are stored as Secrets
    assert_eq!(records(&s, "team").len(), 2);
    let sent_protobuf = s.requests().iter().any(|r| {
        r.method == "POST"
            && r.content_type.as_deref() == Some("application/vnd.kubernetes.protobuf")
            && r.user_agent.starts_with("Helm/")
    });
    assert!(sent_protobuf);

    let c = connect(&p.url());
    let mut cfg = config(&c, "team", DriverKind::Secret);
    let hist = query::history(&mut cfg, "web").expect("history");
    let versions: Vec<(i64, String)> = hist
        .iter()
        .map(|r| (r.version, r.status().as_str().to_string()))
        .collect();
    assert_eq!(
        versions,
        [(1, "superseded".to_string()), (2, "deployed".to_string())]
    );
    let d = chartlab::release::diff::diff_revisions(&hist[0], &hist[1]);
    assert!(d.values.contains("+greeting: hello again"), "{}", d.values);
    assert!(
        d.manifest.contains("+          image: \"nginx:1.26\""),
        "{}",
        d.manifest
    );
    let web = d
        .rollouts
        .iter()
        .find(|r| r.name == "web-web")
        .expect("the Deployment rolls");
    assert!(web.pods_roll);
    // helm list / status as ChartLab prints them
    let listed = query::List::default().run(&mut cfg).expect("list");
    assert_eq!(listed.len(), 1);
    let st = query::status(&mut cfg, "web", 0).expect("status");
    assert_eq!(description(&st), "Upgrade complete");

    // ChartLab (field manager `helm`) upgrading what the Go SDK applied as `python`: the
    // API server refuses, in its words; forcing the conflicts (only when asked) takes over
    let chart = chart::load::load_dir(&shared().join("chart-demo")).expect("chart");
    let e = Upgrade {
        reuse_values: true,
        ..Default::default()
    }
    .run(&mut cfg, "web", &chart, &values(json!({"replicaCount": 2})))
    .expect_err("a conflict with the other manager");
    assert!(
        e.message.contains("conflict occurred while applying object team/web-web apps/v1, Kind=Deployment: Apply failed with 2 conflicts: conflicts with \"python\":\n- .spec.replicas\n"),
        "{}",
        e.message
    );
    Upgrade {
        reuse_values: true,
        force_conflicts: true,
        ..Default::default()
    }
    .run(&mut cfg, "web", &chart, &values(json!({"replicaCount": 2})))
    .expect("ChartLab upgrade of Helm's release, conflicts forced");
    let deploy = s.objects("apps/deployments", "team");
    assert_eq!(deploy[0]["spec"]["replicas"], 2);
    let res = helm(&s, "team", false, json!([{"op": "history", "name": "web"}]));
    let hist = ok(&res[0]).as_array().expect("history");
    let statuses: Vec<&str> = hist
        .iter()
        .map(|h| h["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        statuses,
        ["superseded", "superseded", "failed", "deployed"],
        "{}",
        res[0]
    );
}

/// What a request is, for comparing with Helm's log: method, path without its volatile
/// query parameters, content type, field manager (the Go SDK used from Python names itself
/// `python`; the helm CLI and ChartLab say `helm`).
fn shape(method: &str, path: &str, ct: Option<&str>, fm: Option<String>) -> String {
    let bare = path.split('?').next().unwrap_or("");
    let keep: Vec<&str> = path
        .split_once('?')
        .map(|(_, q)| {
            q.split('&')
                .filter(|kv| {
                    kv.starts_with("labelSelector=")
                        || kv.starts_with("fieldValidation=")
                        || kv.starts_with("force=")
                })
                .collect()
        })
        .unwrap_or_default();
    let fm = fm.map(|f| if f == "python" { "helm".to_string() } else { f });
    format!(
        "{method} {bare}{}{} {} {}",
        if keep.is_empty() { "" } else { "?" },
        keep.join("&"),
        ct.unwrap_or("-"),
        fm.unwrap_or_else(|| "-".into())
    )
}

/// Helm's requests per step from the fixture log: resource requests only (no discovery,
/// OpenAPI, /version), watches and the GETs that replace them left out.
fn helm_steps() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(shared().join("v4.2.3-secret-driver/requests.jsonl"))
        .expect("fixture log");
    let mut steps: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        let r: Value = serde_json::from_str(line).expect("json line");
        let path = r["path"].as_str().unwrap_or("");
        if let Some(step) = path.strip_prefix("/__marker?step=") {
            steps.push((step.to_string(), Vec::new()));
            continue;
        }
        let Some(cur) = steps.last_mut() else {
            continue;
        };
        let method = r["method"].as_str().unwrap_or("");
        if is_noise(method, path) {
            continue;
        }
        let fm = path.split_once('?').and_then(|(_, q)| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("fieldManager=").map(String::from))
        });
        cur.1
            .push(shape(method, path, r["content_type"].as_str(), fm));
    }
    steps
}

fn is_noise(method: &str, path: &str) -> bool {
    let bare = path.split('?').next().unwrap_or("");
    bare == "/version"
        || bare == "/api"
        || bare == "/apis"
        || bare.starts_with("/openapi")
        || (method == "GET" && bare.split('/').count() <= 4 && !bare.contains("namespaces"))
        || path.contains("watch=")
}

/// Helm applies and deletes the objects of one kind concurrently (pkg/kube `batchPerform`):
/// within a run of requests with the same method on the same resource their order is not
/// Helm's, so each run is sorted.
fn same_kind_runs_sorted(v: Vec<String>) -> Vec<String> {
    let key = |l: &str| -> String {
        let mut w = l.split(' ');
        let method = w.next().unwrap_or("");
        let path = w.next().unwrap_or("").split('?').next().unwrap_or("");
        let collection = path.rsplit_once('/').map(|(c, _)| c).unwrap_or(path);
        format!("{method} {collection}")
    };
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    let mut start = 0;
    for i in 0..=v.len() {
        if i == v.len() || (i > start && key(&v[i]) != key(&v[start])) {
            let mut run = v[start..i].to_vec();
            if run.len() > 1 && !run[0].contains("sh.helm.release.v1.") {
                run.sort();
            }
            out.extend(run);
            start = i;
        }
    }
    out
}

fn chartlab_shape(r: &Logged) -> String {
    shape(
        &r.method,
        &r.path,
        r.content_type.as_deref(),
        r.field_manager(),
    )
}

/// The fixture's install → upgrade → … → rollback sequence (steps 01–06) replayed by ChartLab
/// through kubectl proxy: every write request (method, path, content type, field manager) in
/// the order Helm sent them, and the same reads, apart from Helm's watches, for which ChartLab
/// reads the hook objects (GET) — on this server the hooks are done at the first look.
#[test]
fn requests_match_real_helms_for_install_upgrade_rollback() {
    if skipped() {
        return;
    }
    let s = ApiServer::start();
    let p = s.proxy(None);
    let c = connect(&p.url());
    let chart = chart::load::load_dir(&shared().join("chart-demo")).expect("chart");
    let cfg = || config(&c, "default", DriverKind::Secret);
    type Step<'a> = (&'a str, Box<dyn Fn() -> Result<(), String> + 'a>);
    let steps: Vec<Step> = vec![
        (
            "01-install",
            Box::new(|| {
                Install {
                    release_name: "demo".into(),
                    ..Default::default()
                }
                .run(&mut cfg(), &chart, &values(json!({"greeting": "hi"})))
                .map(|_| ())
                .map_err(|e| e.message)
            }),
        ),
        (
            "02-upgrade-set-values",
            Box::new(|| {
                Upgrade::default()
                    .run(
                        &mut cfg(),
                        "demo",
                        &chart,
                        &values(json!({"greeting": "hello again", "image": {"tag": "1.26"}})),
                    )
                    .map(|_| ())
                    .map_err(|e| e.message)
            }),
        ),
        (
            "03-upgrade-no-values",
            Box::new(|| {
                Upgrade::default()
                    .run(&mut cfg(), "demo", &chart, &Map::new())
                    .map(|_| ())
                    .map_err(|e| e.message)
            }),
        ),
        (
            "04-upgrade-reuse-values",
            Box::new(|| {
                Upgrade {
                    reuse_values: true,
                    ..Default::default()
                }
                .run(
                    &mut cfg(),
                    "demo",
                    &chart,
                    &values(json!({"replicaCount": 2})),
                )
                .map(|_| ())
                .map_err(|e| e.message)
            }),
        ),
        (
            "05-upgrade-reset-values",
            Box::new(|| {
                Upgrade {
                    reset_values: true,
                    ..Default::default()
                }
                .run(&mut cfg(), "demo", &chart, &Map::new())
                .map(|_| ())
                .map_err(|e| e.message)
            }),
        ),
        (
            "06-rollback-to-2",
            Box::new(|| {
                Rollback {
                    version: 2,
                    ..Default::default()
                }
                .run(&mut cfg(), "demo")
                .map_err(|e| e.message)
            }),
        ),
    ];
    let helm = helm_steps();
    let mut compared = 0;
    for (name, run) in &steps {
        s.clear_requests();
        run().unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours: Vec<String> = s
            .requests()
            .iter()
            .filter(|r| r.marker.is_none() && !is_noise(&r.method, &r.path))
            .map(chartlab_shape)
            .collect();
        let theirs = &helm
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no step {name} in the fixture"))
            .1;
        let writes = |v: &[String]| -> Vec<String> {
            same_kind_runs_sorted(
                v.iter()
                    .filter(|l| !l.starts_with("GET "))
                    .cloned()
                    .collect(),
            )
        };
        assert_eq!(writes(&ours), writes(theirs), "{name}: write requests");
        // reads: Helm's, plus ChartLab's GETs of the hooks it waited for
        let reads = |v: &[String]| -> Vec<String> {
            v.iter()
                .filter(|l| l.starts_with("GET "))
                .cloned()
                .collect()
        };
        let mut extra: Vec<String> = reads(&ours);
        for r in reads(theirs) {
            let i = extra
                .iter()
                .position(|x| *x == r)
                .unwrap_or_else(|| panic!("{name}: ChartLab did not send {r}\nours: {ours:#?}"));
            extra.remove(i);
        }
        for x in &extra {
            assert!(
                x.contains("/jobs/demo-db-migrate")
                    || x.contains("/configmaps/demo-post-hook")
                    || x.contains("/pods/demo-test-connection"),
                "{name}: ChartLab sent {x}, Helm did not"
            );
        }
        compared += ours.len();
    }
    assert!(compared > 100, "{compared}");
}

/// The ConfigMap driver, through the same messages the browser's worker handles
/// (`playground::connected::Session`): records Helm reads back with its configmap driver.
#[test]
fn configmap_driver_records_through_the_session_messages() {
    if skipped() {
        return;
    }
    let s = ApiServer::start();
    let p = s.proxy(None);
    let c = connect(&p.url());
    let cluster: Rc<RefCell<dyn Cluster>> = c.clone();
    let mut session = chartlab::playground::connected::Session::new(cluster, system_env());
    let files = json!({"Chart.yaml": "apiVersion: v2\nname: cmdemo\nversion: 0.2.0\n",
        "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-data\ndata:\n  count: {{ .Values.count | quote }}\n  systemUid: {{ (lookup \"v1\" \"Namespace\" \"\" \"kube-system\").metadata.uid | quote }}\n"});
    for n in ["1", "2"] {
        let a = session.handle(
            &json!({"op": "apply", "namespace": "default", "name": "cmrel",
            "driver": "configmap", "files": files, "values": format!("count: {n}\n")}),
        );
        assert_eq!(a["ok"], true, "{a}");
    }
    let recs: Vec<Value> = s
        .objects("core/configmaps", "default")
        .into_iter()
        .filter(|o| o["metadata"]["labels"]["owner"] == "helm")
        .collect();
    assert_eq!(recs.len(), 2);
    assert!(s.requests().iter().any(|r| r.method == "PUT"
        && r.path
            .starts_with("/api/v1/namespaces/default/configmaps/sh.helm.release.v1.cmrel.v1")
        && r.content_type.as_deref() == Some("application/vnd.kubernetes.protobuf")));
    assert!(records(&s, "default").is_empty(), "no Secret records");
    // `lookup` answered from the live cluster
    let data = s
        .objects("core/configmaps", "default")
        .into_iter()
        .find(|o| o["metadata"]["name"] == "cmrel-data")
        .expect("the release's ConfigMap");
    let kube_system = s
        .objects("core/namespaces", "")
        .into_iter()
        .find(|o| o["metadata"]["name"] == "kube-system")
        .expect("kube-system");
    assert_eq!(data["data"]["systemUid"], kube_system["metadata"]["uid"]);
    let res = helm_with(
        &s,
        "default",
        "configmap",
        true,
        json!([{"op": "history", "name": "cmrel"},
        {"op": "get_values", "name": "cmrel"}]),
    );
    let revs: Vec<(i64, &str)> = ok(&res[0])
        .as_array()
        .expect("history")
        .iter()
        .map(|h| {
            (
                h["revision"].as_i64().unwrap_or(0),
                h["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(revs, [(1, "superseded"), (2, "deployed")]);
    // (a key `n` would be YAML 1.1's `false` for go-yaml v2, in Helm and in ChartLab alike)
    assert_eq!(ok(&res[1])["count"], 2, "{}", res[1]);
    let h = session.handle(
        &json!({"op": "history", "namespace": "default", "name": "cmrel", "driver": "configmap"}),
    );
    assert!(
        h["diffs"][0]["values"]
            .as_str()
            .unwrap_or("")
            .contains("+count: 2"),
        "{h}"
    );
}

/// `chartlab sh --cluster URL`: the native terminal's helm and kubectl against the live cluster
/// behind `kubectl proxy`; real Helm then reads the release it made.
#[test]
fn native_shell_talks_to_the_cluster_through_the_proxy() {
    if skipped() {
        return;
    }
    let s = ApiServer::start();
    let p = s.proxy(None);
    let (_, err, code) = s.kubectl(&["create", "namespace", "team"]);
    assert_eq!(code, 0, "{err}");
    let demo = shared().join("chart-demo");
    let script = format!(
        "helm install web {} -n team --set greeting=hi && helm list -n team -o json | jq -r '.[0].status' \
         && kubectl get secret -n team -l owner=helm -o name",
        demo.display()
    );
    let work = s.dir().join("sh-work");
    std::fs::create_dir_all(&work).expect("work dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_chartlab"))
        .args(["sh", "--cluster", &p.url(), "-c", &script])
        .current_dir(&work)
        .output()
        .expect("run chartlab sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stdout.contains("NAME: web\n"), "{stdout}");
    assert!(
        stdout.contains("\ndeployed\nsecret/sh.helm.release.v1.web.v1\n"),
        "{stdout}"
    );
    // connected mode keeps nothing locally
    assert!(!work.join(".chartlab").exists());
    assert_eq!(records(&s, "team").len(), 1);
    let res = helm(&s, "team", false, json!([{"op": "history", "name": "web"}]));
    let hist = ok(&res[0]).as_array().expect("history");
    assert_eq!(hist.len(), 1);
    assert_eq!(hist[0]["status"], "deployed", "{}", res[0]);

    // an unreachable proxy is an error in words, not a hang or a panic
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_chartlab"))
        .args(["sh", "--cluster", "http://127.0.0.1:9", "-c", "helm list"])
        .current_dir(&work)
        .output()
        .expect("run chartlab sh");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("Error: kubernetes cluster unreachable at http://127.0.0.1:9: "),
        "{stderr}"
    );
}
