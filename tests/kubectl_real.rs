//! ChartLab's `kubectl` against the real kubectl binary on the same cluster state.
//!
//! The simulated cluster's state is served over HTTP (`kube::rest::serve`, plus the
//! `meta.k8s.io/v1` Table conversion kubectl asks for) on 127.0.0.1, and /usr/bin/kubectl is
//! pointed at it. Read-only commands (`get` in every output format, `describe`, `rollout
//! history`) must print the same bytes from both. Skipped when no kubectl binary is installed.
//! kubectl v1.32's texts equal v1.36's for these commands (checked in the v0.36 source);
//! `kubectl version` and `delete`'s message differ between the two and are not compared.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::rc::Rc;

use chartlab::engine::{Env, Timestamp};
use chartlab::kube::cluster::Cluster;
use chartlab::kube::resources::Registry;
use chartlab::kube::rest::{self, HttpRequest};
use chartlab::kube::sim::{ClusterState, SimCluster, SplitMix64};
use chartlab::kube::time::{ManualClock, Time};
use chartlab::shell::{Host, MemFs, Shell};
use serde_json::{json, Value};

const KUBECTL: &str = "/usr/bin/kubectl";

/// A metav1.Table for `objs` of the resource `info`, as the API server builds it.
fn table_json(info: &chartlab::kube::resources::ResourceInfo, objs: &[Value], now: Time) -> Value {
    let t = chartlab::kube::printers::table_for(info, objs, now, true);
    let cols: Vec<Value> = t
        .columns
        .iter()
        .map(|c| {
            json!({"name": c.name, "type": "string", "format": if c.is_name { "name" } else { "" },
                   "description": "", "priority": c.priority})
        })
        .collect();
    let rows: Vec<Value> = t
        .rows
        .iter()
        .zip(objs)
        .map(|(r, o)| {
            json!({"cells": r.cells, "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}})
        })
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": "1"}, "columnDefinitions": cols, "rows": rows})
}

fn serve(state: String, now: i64) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let st = ClusterState::from_json(&state).expect("state");
        let clock = Rc::new(ManualClock::new(Time(now)));
        let mut sim = SimCluster::from_state(st, Box::new(clock), Box::new(SplitMix64(1)));
        let reg: Registry = sim.resource_registry();
        for conn in listener.incoming() {
            let Ok(mut s) = conn else { continue };
            let mut r = BufReader::new(s.try_clone().expect("clone"));
            let mut line = String::new();
            if r.read_line(&mut line).is_err() {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() < 2 {
                continue;
            }
            let (method, path) = (parts[0].to_string(), parts[1].to_string());
            let mut accept = String::new();
            let mut ctype = None;
            let mut len = 0usize;
            loop {
                let mut h = String::new();
                if r.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap_or((&h, ""));
                let v = v.trim().to_string();
                match k.to_ascii_lowercase().as_str() {
                    "accept" => accept = v,
                    "content-type" => ctype = Some(v),
                    "content-length" => len = v.parse().unwrap_or(0),
                    _ => {}
                }
            }
            let mut body = vec![0u8; len];
            let _ = r.read_exact(&mut body);
            let req = HttpRequest {
                method: method.clone(),
                path: path.clone(),
                content_type: ctype,
                accept: accept.clone(),
                body: if len > 0 {
                    Some(String::from_utf8_lossy(&body).into_owned())
                } else {
                    None
                },
            };
            let mut resp = rest::serve(&mut sim, &req);
            if accept.contains("as=Table") && resp.status == 200 {
                if let Ok(parsed) = rest::parse_request(&req) {
                    let v: Value = serde_json::from_str(&resp.body).unwrap_or(Value::Null);
                    let gvr = match &parsed {
                        chartlab::kube::cluster::Request::Get { gvr, .. }
                        | chartlab::kube::cluster::Request::List { gvr, .. } => Some(gvr.clone()),
                        _ => None,
                    };
                    if let Some(info) = gvr.and_then(|g| reg.for_gvr(&g).cloned()) {
                        let objs: Vec<Value> = match v.get("items") {
                            Some(Value::Array(items)) => items.clone(),
                            _ => vec![v.clone()],
                        };
                        resp.body = table_json(&info, &objs, Time(now)).to_string();
                    }
                }
            }
            if accept.contains("as=APIGroupDiscoveryList")
                && matches!(path.split('?').next(), Some("/api") | Some("/apis"))
            {
                resp.content_type =
                    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList".into();
            }
            let reason = if resp.status < 300 { "OK" } else { "Error" };
            let out = format!(
                "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                resp.status,
                resp.content_type,
                resp.body.len(),
                resp.body
            );
            let _ = s.write_all(out.as_bytes());
        }
    });
    port
}

fn kubeconfig(port: u16) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("chartlab-kubectl-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let p = dir.join("config");
    std::fs::write(
        &p,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: chartlab\n  cluster:\n    server: http://127.0.0.1:{port}\ncontexts:\n- name: chartlab\n  context:\n    cluster: chartlab\n    user: chartlab\n    namespace: default\ncurrent-context: chartlab\nusers:\n- name: chartlab\n  user: {{}}\n"
        ),
    )
    .expect("write kubeconfig");
    p
}

/// Runs the real kubectl with a shell-like argument string (split by our own shell's rules:
/// the same words kubectl would get from bash).
fn real(cfg: &std::path::Path, words: &[String]) -> (String, String, i32) {
    let out = std::process::Command::new(KUBECTL)
        .arg(format!("--kubeconfig={}", cfg.display()))
        .args(words)
        .env("HOME", cfg.parent().expect("dir"))
        .env("TZ", "UTC")
        .output()
        .expect("run kubectl");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn kubectl_prints_what_real_kubectl_prints() {
    if !std::path::Path::new(KUBECTL).exists() {
        eprintln!("skipped: {KUBECTL} not installed");
        return;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let clock = Rc::new(ManualClock::new(Time(now)));
    let sim = Rc::new(RefCell::new(SimCluster::new(
        Box::new(clock),
        Box::new(SplitMix64(3)),
    )));
    let cluster: Rc<RefCell<dyn Cluster>> = sim.clone();
    let mut fs = MemFs::new("/home/student");
    fs.set_now(now);
    let mut sh = Shell::new(
        Box::new(fs),
        cluster,
        Env::fixed(Timestamp::utc(now, 0), 9),
        Host::Browser,
    );
    // The ConfigMap and Secret carry one key each: kubectl's describe walks
    // their data in Go's random map order.
    let setup = [
        "kubectl create deployment web --image=nginx:1.25 --port=80",
        "cat > app.yaml <<'EOF'\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: idle\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 8080\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: code\ndata:\n  main.py: |\n    print('hi')\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\ndata:\n  passcode: c2VjcmV0\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [\"true\"]\nEOF",
        "kubectl apply -f app.yaml",
        "kubectl create namespace team",
    ];
    for s in setup {
        let r = sh.run(s);
        assert_eq!(r.status, 0, "{s}: {}", r.output.text());
    }
    let state = sim.borrow().state().to_json();
    let port = serve(state, now);
    let cfg = kubeconfig(port);
    let cases = [
        "get pods",
        "get all",
        "get all -A",
        "get deploy,svc -o wide",
        "get pods --show-labels",
        "get svc web -o yaml",
        "get deployment web -o json",
        "get pods -o name",
        "get cm,secret -o name",
        "get secret creds -o jsonpath={.data.passcode}",
        "get pods -o jsonpath={.items[0].metadata.name}",
        "get deploy -o custom-columns=NAME:.metadata.name,IMAGE:.spec.template.spec.containers[0].image",
        "get svc web -o go-template={{.spec.clusterIP}}",
        "get nothere",
        "get pod missing",
        "get pods -n team",
        "get ns",
        "get events --field-selector involvedObject.kind=Job",
        "describe deployment web",
        "describe svc idle",
        "describe configmap code",
        "describe secret creds",
        "describe job once",
        "describe rs",
        "describe sa default",
        "describe ns team",
        "describe pods --show-events=false",
        "rollout history deployment/web",
        "rollout status deployment/web",
    ];
    if std::env::var("CHARTLAB_KUBECTL_DEBUG").is_ok() {
        let (o, e, _) = real(&cfg, &["get".into(), "pods".into(), "-v=8".into()]);
        eprintln!("{o}\n{e}");
    }
    let mut failures = Vec::new();
    for c in cases {
        let words: Vec<String> = c.split(' ').map(str::to_string).collect();
        let (ro, re, rc) = real(&cfg, &words);
        // klog lines (the bridge serves no watches) are not kubectl's output
        let re: String = re
            .split_inclusive('\n')
            .filter(|l| {
                !(l.starts_with('W') || l.starts_with('E') || l.starts_with('I'))
                    || !l[1..].starts_with(|c: char| c.is_ascii_digit())
            })
            .collect();
        let ro = event_ages(&to_v136(&ro));
        let mine = sh.run(&format!("kubectl {}", shell_quote(&words)));
        let (mo, me) = (
            event_ages(&mine.output.stdout_text()),
            mine.output.stderr_text(),
        );
        if ro != mo || rc != mine.status || re.trim_end() != me.trim_end() {
            failures.push(format!(
                "=== kubectl {c}\n--- real (rc {rc})\n{ro}{re}--- chartlab (rc {})\n{mo}{me}",
                mine.status
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// kubectl v1.32 → v1.36 differences in these outputs (both read in the kubectl source):
/// v1.36 no longer prints a service account's `Mountable secrets` and `Tokens` lines, and
/// prints a projected ConfigMap source's `Optional` as a bool.
fn to_v136(s: &str) -> String {
    s.split_inclusive('\n')
        .filter(|l| !l.starts_with("Mountable secrets:") && !l.starts_with("Tokens:"))
        .map(|l| {
            l.replace(
                "ConfigMapOptional:       <nil>",
                "Optional:                false",
            )
        })
        .collect()
}

/// The Age cells of describe's Events tables (real kubectl computes them with the wall clock,
/// a second or two after the simulated cluster's instant) as `AGE`, alignment kept.
fn event_ages(s: &str) -> String {
    let mut out = String::new();
    let mut in_events = false;
    for line in s.split_inclusive('\n') {
        if line.starts_with("Events:") {
            in_events = true;
        } else if !line.starts_with("  ") {
            in_events = false;
        }
        if in_events && (line.starts_with("  Normal ") || line.starts_with("  Warning ")) {
            // fields are separated by runs of at least two spaces
            let mut fields: Vec<(usize, usize)> = Vec::new();
            let b = line.as_bytes();
            let mut i = 2;
            while i < b.len() {
                let start = i;
                while i < b.len() && !(b[i] == b' ' && b.get(i + 1) == Some(&b' ')) && b[i] != b'\n'
                {
                    i += 1;
                }
                fields.push((start, i));
                while i < b.len() && (b[i] == b' ' || b[i] == b'\n') {
                    i += 1;
                }
            }
            if let Some(&(a, e)) = fields.get(2) {
                let w = e - a;
                let mut l = line.to_string();
                l.replace_range(a..e, &format!("{:<w$}", "AGE"));
                out.push_str(&l);
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

fn shell_quote(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}
