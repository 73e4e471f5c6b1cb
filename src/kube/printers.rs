//! `kubectl get` tables: the server-side column definitions and cell values of
//! `pkg/printers/internalversion/printers.go` (pods, deployments, replica sets, services,
//! secrets, config maps, jobs, cron jobs, stateful sets, daemon sets, ingresses, service
//! accounts, namespaces, events, nodes, endpoints, volumes, HPAs, PDBs, bindings, …), the
//! API server's default table (`NAME`, `CREATED AT`) and CRD printer columns; kubectl's table
//! decoration (`NAMESPACE`, `kind/name`, `LABELS`, `-L`, wide columns), `text/tabwriter` with
//! kubectl's settings, and `kubectl get`'s grouping (blank line between kinds, `No resources
//! found in default namespace.`). AGE cells use `duration.HumanDuration` from an injected now.

use crate::kube::jsonpath::JsonPath;
use crate::kube::object;
use crate::kube::resources::ResourceInfo;
use crate::kube::selector::{format_label_selector, format_labels, Selector};
use crate::kube::time::{human_duration, Time};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A table column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// 0: always shown; otherwise only with `-o wide`.
    pub priority: i64,
    /// `format: name` (where kubectl puts the `kind/` prefix).
    pub is_name: bool,
}

/// One row: cells for every column, plus what kubectl's decoration needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<String>,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
}

/// A `metav1.Table`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

fn col(name: &str) -> Column {
    Column {
        name: name.into(),
        priority: 0,
        is_name: false,
    }
}
fn wide(name: &str) -> Column {
    Column {
        name: name.into(),
        priority: 1,
        is_name: false,
    }
}
fn name_col() -> Column {
    Column {
        name: "Name".into(),
        priority: 0,
        is_name: true,
    }
}

fn age(obj: &Value, now: Time) -> String {
    match object::creation_timestamp(obj) {
        Some(t) => human_duration(now.0 - t.0),
        None => "<unknown>".into(),
    }
}

fn since(ts: Option<&Value>, now: Time) -> String {
    match ts.and_then(Value::as_str).and_then(Time::parse_rfc3339) {
        Some(t) => human_duration(now.0 - t.0),
        None => "<unknown>".into(),
    }
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    object::str_path(v, path)
}

fn n(v: &Value, path: &[&str]) -> i64 {
    object::int_path(v, path).unwrap_or(0)
}

fn arr<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    object::get_path(v, path)
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or(&[])
}

/// `layoutContainerCells`.
fn containers_cells(v: &Value, spec_path: &[&str]) -> (String, String) {
    let mut p: Vec<&str> = spec_path.to_vec();
    p.push("containers");
    let cs = arr(v, &p);
    let names: Vec<&str> = cs.iter().map(|c| s(c, &["name"])).collect();
    let images: Vec<&str> = cs.iter().map(|c| s(c, &["image"])).collect();
    (names.join(","), images.join(","))
}

fn has_condition(v: &Value, path: &[&str], ty: &str) -> bool {
    arr(v, path)
        .iter()
        .any(|c| s(c, &["type"]) == ty && s(c, &["status"]) == "True")
}

fn quantity(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "0".into(),
    }
}

/// `printPod`.
fn pod_cells(p: &Value, now: Time, wide_out: bool) -> Vec<String> {
    let spec_containers = arr(p, &["spec", "containers"]);
    let init_specs = arr(p, &["spec", "initContainers"]);
    let restartable_init = |name: &str| {
        init_specs
            .iter()
            .any(|c| s(c, &["name"]) == name && s(c, &["restartPolicy"]) == "Always")
    };
    let total = spec_containers.len() as i64
        + init_specs
            .iter()
            .filter(|c| s(c, &["restartPolicy"]) == "Always")
            .count() as i64;
    let mut ready = 0i64;
    let mut restarts = 0i64;
    let mut restartable_restarts = 0i64;
    let mut last_restart: Option<Time> = None;
    let mut last_restartable: Option<Time> = None;
    let phase = s(p, &["status", "phase"]);
    let mut reason = if !s(p, &["status", "reason"]).is_empty() {
        s(p, &["status", "reason"]).to_string()
    } else {
        phase.to_string()
    };
    if arr(p, &["status", "conditions"])
        .iter()
        .any(|c| s(c, &["type"]) == "PodScheduled" && s(c, &["reason"]) == "SchedulingGated")
    {
        reason = "SchedulingGated".into();
    }
    let finished_at = |c: &Value| {
        object::get_path(c, &["lastState", "terminated", "finishedAt"])
            .and_then(Value::as_str)
            .and_then(Time::parse_rfc3339)
    };
    let mut initializing = false;
    let init_statuses = arr(p, &["status", "initContainerStatuses"]);
    for (i, c) in init_statuses.iter().enumerate() {
        restarts += n(c, &["restartCount"]);
        if let Some(t) = finished_at(c) {
            if last_restart.map(|l| l < t).unwrap_or(true) {
                last_restart = Some(t);
            }
        }
        let cname = s(c, &["name"]);
        if restartable_init(cname) {
            restartable_restarts += n(c, &["restartCount"]);
            if let Some(t) = finished_at(c) {
                if last_restartable.map(|l| l < t).unwrap_or(true) {
                    last_restartable = Some(t);
                }
            }
        }
        let term = object::get_path(c, &["state", "terminated"]);
        let wait_reason = s(c, &["state", "waiting", "reason"]);
        if term.is_some() && n(c, &["state", "terminated", "exitCode"]) == 0 {
            continue;
        }
        if restartable_init(cname) && object::get_path(c, &["started"]) == Some(&Value::Bool(true))
        {
            if object::get_path(c, &["ready"]) == Some(&Value::Bool(true)) {
                ready += 1;
            }
            continue;
        }
        if term.is_some() {
            let r = s(c, &["state", "terminated", "reason"]);
            reason = if r.is_empty() {
                let sig = n(c, &["state", "terminated", "signal"]);
                if sig != 0 {
                    format!("Init:Signal:{sig}")
                } else {
                    format!(
                        "Init:ExitCode:{}",
                        n(c, &["state", "terminated", "exitCode"])
                    )
                }
            } else {
                format!("Init:{r}")
            };
            initializing = true;
        } else if !wait_reason.is_empty() && wait_reason != "PodInitializing" {
            reason = format!("Init:{wait_reason}");
            initializing = true;
        } else {
            reason = format!("Init:{}/{}", i, init_specs.len());
            initializing = true;
        }
        break;
    }
    let initialized = has_condition(p, &["status", "conditions"], "Initialized");
    if !initializing || initialized {
        restarts = restartable_restarts;
        last_restart = last_restartable;
        let mut has_running = false;
        for c in arr(p, &["status", "containerStatuses"]).iter().rev() {
            restarts += n(c, &["restartCount"]);
            if let Some(t) = finished_at(c) {
                if last_restart.map(|l| l < t).unwrap_or(true) {
                    last_restart = Some(t);
                }
            }
            let wr = s(c, &["state", "waiting", "reason"]);
            let term = object::get_path(c, &["state", "terminated"]);
            let tr = s(c, &["state", "terminated", "reason"]);
            if !wr.is_empty() {
                reason = wr.to_string();
            } else if term.is_some() && !tr.is_empty() {
                reason = tr.to_string();
            } else if term.is_some() {
                let sig = n(c, &["state", "terminated", "signal"]);
                reason = if sig != 0 {
                    format!("Signal:{sig}")
                } else {
                    format!("ExitCode:{}", n(c, &["state", "terminated", "exitCode"]))
                };
            } else if object::get_path(c, &["ready"]) == Some(&Value::Bool(true))
                && object::get_path(c, &["state", "running"]).is_some()
            {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if has_condition(p, &["status", "conditions"], "Ready") {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if object::is_deleting(p) && s(p, &["status", "reason"]) == "NodeLost" {
        reason = "Unknown".into();
    } else if object::is_deleting(p) && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }
    let restarts_s = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", human_duration(now.0 - t.0)),
        _ => restarts.to_string(),
    };
    let mut cells = vec![
        object::name(p).to_string(),
        format!("{ready}/{total}"),
        reason,
        restarts_s,
        age(p, now),
    ];
    if wide_out {
        let ip = arr(p, &["status", "podIPs"])
            .first()
            .map(|x| s(x, &["ip"]).to_string())
            .unwrap_or_default();
        let or_none = |x: String| {
            if x.is_empty() {
                "<none>".to_string()
            } else {
                x
            }
        };
        let gates = arr(p, &["spec", "readinessGates"]);
        let gates_s = if gates.is_empty() {
            "<none>".to_string()
        } else {
            let t = gates
                .iter()
                .filter(|g| {
                    let ct = s(g, &["conditionType"]);
                    arr(p, &["status", "conditions"])
                        .iter()
                        .find(|c| s(c, &["type"]) == ct)
                        .map(|c| s(c, &["status"]) == "True")
                        .unwrap_or(false)
                })
                .count();
            format!("{t}/{}", gates.len())
        };
        cells.push(or_none(ip));
        cells.push(or_none(s(p, &["spec", "nodeName"]).to_string()));
        cells.push(or_none(s(p, &["status", "nominatedNodeName"]).to_string()));
        cells.push(gates_s);
    }
    cells
}

/// The first `n` bytes (Go slices bytes), cut back to a character boundary.
fn byte_prefix(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn service_external_ip(svc: &Value, wide_out: bool) -> String {
    let ext: Vec<&str> = arr(svc, &["spec", "externalIPs"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    match s(svc, &["spec", "type"]) {
        "ClusterIP" | "NodePort" | "" => {
            if ext.is_empty() {
                "<none>".into()
            } else {
                ext.join(",")
            }
        }
        "LoadBalancer" => {
            let mut ips: BTreeSet<String> = BTreeSet::new();
            for i in arr(svc, &["status", "loadBalancer", "ingress"]) {
                if !s(i, &["ip"]).is_empty() {
                    ips.insert(s(i, &["ip"]).to_string());
                } else if !s(i, &["hostname"]).is_empty() {
                    ips.insert(s(i, &["hostname"]).to_string());
                }
            }
            let mut lb = ips.into_iter().collect::<Vec<_>>().join(",");
            if !wide_out && lb.len() > 16 {
                lb = format!("{}...", byte_prefix(&lb, 13));
            }
            if !ext.is_empty() {
                let mut all: Vec<String> = if lb.is_empty() {
                    Vec::new()
                } else {
                    lb.split(',').map(String::from).collect()
                };
                all.extend(ext.iter().map(|x| x.to_string()));
                return all.join(",");
            }
            if lb.is_empty() {
                "<pending>".into()
            } else {
                lb
            }
        }
        "ExternalName" => s(svc, &["spec", "externalName"]).to_string(),
        _ => "<unknown>".into(),
    }
}

fn port_string(svc: &Value) -> String {
    let pieces: Vec<String> = arr(svc, &["spec", "ports"])
        .iter()
        .map(|p| {
            let proto = s(p, &["protocol"]);
            let np = n(p, &["nodePort"]);
            if np > 0 {
                format!("{}:{}/{}", n(p, &["port"]), np, proto)
            } else {
                format!("{}/{}", n(p, &["port"]), proto)
            }
        })
        .collect();
    if pieces.is_empty() {
        "<none>".into()
    } else {
        pieces.join(",")
    }
}

fn job_cells(j: &Value, now: Time, wide_out: bool) -> Vec<String> {
    let succeeded = n(j, &["status", "succeeded"]);
    let completions = match object::get_path(j, &["spec", "completions"]).and_then(Value::as_i64) {
        Some(c) => format!("{succeeded}/{c}"),
        None => {
            let par = n(j, &["spec", "parallelism"]);
            if par > 1 {
                format!("{succeeded}/1 of {par}")
            } else {
                format!("{succeeded}/1")
            }
        }
    };
    let start = object::get_path(j, &["status", "startTime"])
        .and_then(Value::as_str)
        .and_then(Time::parse_rfc3339);
    let end = object::get_path(j, &["status", "completionTime"])
        .and_then(Value::as_str)
        .and_then(Time::parse_rfc3339);
    let duration = match (start, end) {
        (None, _) => String::new(),
        (Some(st), None) => human_duration(now.0 - st.0),
        (Some(st), Some(en)) => human_duration(en.0 - st.0),
    };
    let conds = ["status", "conditions"];
    let status = if has_condition(j, &conds, "Complete") {
        "Complete"
    } else if has_condition(j, &conds, "Failed") {
        "Failed"
    } else if object::is_deleting(j) {
        "Terminating"
    } else if has_condition(j, &conds, "Suspended") {
        "Suspended"
    } else if has_condition(j, &conds, "FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    };
    let mut cells = vec![
        object::name(j).to_string(),
        status.into(),
        completions,
        duration,
        age(j, now),
    ];
    if wide_out {
        let (c, i) = containers_cells(j, &["spec", "template", "spec"]);
        cells.extend([
            c,
            i,
            format_label_selector(object::get_path(j, &["spec", "selector"])),
        ]);
    }
    cells
}

fn event_source(ev: &Value) -> String {
    let comp = match s(ev, &["source", "component"]) {
        "" => s(ev, &["reportingComponent"]),
        c => c,
    };
    let inst = match s(ev, &["source", "host"]) {
        "" => s(ev, &["reportingInstance"]),
        h => h,
    };
    if inst.is_empty() {
        comp.to_string()
    } else {
        format!("{comp}, {inst}")
    }
}

fn event_cells(ev: &Value, now: Time, wide_out: bool) -> Vec<String> {
    let first = if s(ev, &["firstTimestamp"]).is_empty() {
        since(ev.get("eventTime"), now)
    } else {
        since(ev.get("firstTimestamp"), now)
    };
    let mut last = if s(ev, &["lastTimestamp"]).is_empty() {
        first.clone()
    } else {
        since(ev.get("lastTimestamp"), now)
    };
    let mut count = n(ev, &["count"]);
    if let Some(series) = ev.get("series").filter(|x| !x.is_null()) {
        last = since(series.get("lastObservedTime"), now);
        count = n(series, &["count"]);
    } else if count == 0 {
        count = 1;
    }
    let kind = s(ev, &["involvedObject", "kind"]).to_lowercase();
    let target = match s(ev, &["involvedObject", "name"]) {
        "" => kind,
        name => format!("{kind}/{name}"),
    };
    let msg = s(ev, &["message"]).trim().to_string();
    if wide_out {
        vec![
            last,
            s(ev, &["type"]).to_string(),
            s(ev, &["reason"]).to_string(),
            target,
            s(ev, &["involvedObject", "fieldPath"]).to_string(),
            event_source(ev),
            msg,
            first,
            count.to_string(),
            object::name(ev).to_string(),
        ]
    } else {
        vec![
            last,
            s(ev, &["type"]).to_string(),
            s(ev, &["reason"]).to_string(),
            target,
            msg,
        ]
    }
}

fn node_cells(nd: &Value, now: Time, wide_out: bool) -> Vec<String> {
    let mut status: Vec<String> = Vec::new();
    if let Some(c) = arr(nd, &["status", "conditions"])
        .iter()
        .find(|c| s(c, &["type"]) == "Ready")
    {
        status.push(if s(c, &["status"]) == "True" {
            "Ready".into()
        } else {
            "NotReady".into()
        });
    }
    if status.is_empty() {
        status.push("Unknown".into());
    }
    if object::get_path(nd, &["spec", "unschedulable"]) == Some(&Value::Bool(true)) {
        status.push("SchedulingDisabled".into());
    }
    let mut roles: BTreeSet<String> = BTreeSet::new();
    for (k, v) in object::labels(nd) {
        if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
            if !r.is_empty() {
                roles.insert(r.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.insert(v);
        }
    }
    let roles_s = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.into_iter().collect::<Vec<_>>().join(",")
    };
    let mut cells = vec![
        object::name(nd).to_string(),
        status.join(","),
        roles_s,
        age(nd, now),
        s(nd, &["status", "nodeInfo", "kubeletVersion"]).to_string(),
    ];
    if wide_out {
        let addr = |t: &str| {
            arr(nd, &["status", "addresses"])
                .iter()
                .find(|a| s(a, &["type"]) == t)
                .map(|a| s(a, &["address"]).to_string())
                .unwrap_or_else(|| "<none>".into())
        };
        let unk = |x: &str| {
            if x.is_empty() {
                "<unknown>".to_string()
            } else {
                x.to_string()
            }
        };
        cells.extend([
            addr("InternalIP"),
            addr("ExternalIP"),
            unk(s(nd, &["status", "nodeInfo", "osImage"])),
            unk(s(nd, &["status", "nodeInfo", "kernelVersion"])),
            unk(s(nd, &["status", "nodeInfo", "containerRuntimeVersion"])),
        ]);
    }
    cells
}

fn endpoints_cell(ep: &Value) -> String {
    let subsets = arr(ep, &["subsets"]);
    if subsets.is_empty() {
        return "<none>".into();
    }
    let mut list: Vec<String> = Vec::new();
    let max = 3;
    let mut more = false;
    let mut count = 0;
    for ss in subsets {
        let addrs = arr(ss, &["addresses"]);
        let ports = arr(ss, &["ports"]);
        if ports.is_empty() {
            count += addrs.len();
            for a in addrs {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(s(a, &["ip"]).to_string());
            }
            continue;
        }
        for p in ports {
            count += addrs.len();
            for a in addrs {
                if list.len() == max {
                    more = true;
                    break;
                }
                let ip = s(a, &["ip"]);
                let host = if ip.contains(':') {
                    format!("[{ip}]")
                } else {
                    ip.to_string()
                };
                list.push(format!("{host}:{}", n(p, &["port"])));
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - max)
    } else {
        ret
    }
}

fn access_modes(v: &[Value]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for (mode, short) in [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ] {
        if v.iter().any(|m| m.as_str() == Some(mode)) {
            out.push(short);
        }
    }
    out.join(",")
}

fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "N/A".into(),
    }
}

fn subjects(b: &Value) -> (String, String, String) {
    let (mut u, mut g, mut sa) = (Vec::new(), Vec::new(), Vec::new());
    for sub in arr(b, &["subjects"]) {
        match s(sub, &["kind"]) {
            "User" => u.push(s(sub, &["name"]).to_string()),
            "Group" => g.push(s(sub, &["name"]).to_string()),
            "ServiceAccount" => {
                sa.push(format!("{}/{}", s(sub, &["namespace"]), s(sub, &["name"])))
            }
            _ => {}
        }
    }
    (u.join(", "), g.join(", "), sa.join(", "))
}

/// The columns and cells of one kind (`None` for kinds the API server prints with its
/// default table).
fn builtin_table(
    info: &ResourceInfo,
    objs: &[Value],
    now: Time,
    w: bool,
) -> Option<(Vec<Column>, Vec<Vec<String>>)> {
    let rows = |f: &dyn Fn(&Value) -> Vec<String>| objs.iter().map(f).collect::<Vec<_>>();
    let nm = |o: &Value| object::name(o).to_string();
    Some(match (info.group.as_str(), info.kind.as_str()) {
        ("", "Pod") => (
            vec![
                name_col(),
                col("Ready"),
                col("Status"),
                col("Restarts"),
                col("Age"),
                wide("IP"),
                wide("Node"),
                wide("Nominated Node"),
                wide("Readiness Gates"),
            ],
            rows(&|o| pod_cells(o, now, w)),
        ),
        ("apps", "Deployment") => (
            vec![
                name_col(),
                col("Ready"),
                col("Up-to-date"),
                col("Available"),
                col("Age"),
                wide("Containers"),
                wide("Images"),
                wide("Selector"),
            ],
            rows(&|d| {
                let mut c = vec![
                    nm(d),
                    format!(
                        "{}/{}",
                        n(d, &["status", "readyReplicas"]),
                        n(d, &["spec", "replicas"])
                    ),
                    n(d, &["status", "updatedReplicas"]).to_string(),
                    n(d, &["status", "availableReplicas"]).to_string(),
                    age(d, now),
                ];
                if w {
                    let (cn, im) = containers_cells(d, &["spec", "template", "spec"]);
                    let sel = match Selector::from_label_selector(object::get_path(
                        d,
                        &["spec", "selector"],
                    )) {
                        Ok(s) => s.to_string(),
                        Err(_) => "<invalid>".into(),
                    };
                    c.extend([cn, im, sel]);
                }
                c
            }),
        ),
        ("apps", "ReplicaSet") | ("", "ReplicationController") => (
            vec![
                name_col(),
                col("Desired"),
                col("Current"),
                col("Ready"),
                col("Age"),
                wide("Containers"),
                wide("Images"),
                wide("Selector"),
            ],
            rows(&|r| {
                let mut c = vec![
                    nm(r),
                    n(r, &["spec", "replicas"]).to_string(),
                    n(r, &["status", "replicas"]).to_string(),
                    n(r, &["status", "readyReplicas"]).to_string(),
                    age(r, now),
                ];
                if w {
                    let (cn, im) = containers_cells(r, &["spec", "template", "spec"]);
                    let sel = if info.kind == "ReplicaSet" {
                        format_label_selector(object::get_path(r, &["spec", "selector"]))
                    } else {
                        format_labels(&object::string_map_at(r, &["spec", "selector"]))
                    };
                    c.extend([cn, im, sel]);
                }
                c
            }),
        ),
        ("", "Service") => (
            vec![
                name_col(),
                col("Type"),
                col("Cluster-IP"),
                col("External-IP"),
                col("Port(s)"),
                col("Age"),
                wide("Selector"),
            ],
            rows(&|v| {
                let ip = arr(v, &["spec", "clusterIPs"])
                    .first()
                    .and_then(Value::as_str)
                    .unwrap_or("<none>")
                    .to_string();
                let mut c = vec![
                    nm(v),
                    s(v, &["spec", "type"]).to_string(),
                    ip,
                    service_external_ip(v, w),
                    port_string(v),
                    age(v, now),
                ];
                if w {
                    c.push(format_labels(&object::string_map_at(
                        v,
                        &["spec", "selector"],
                    )));
                }
                c
            }),
        ),
        ("", "Secret") => (
            vec![name_col(), col("Type"), col("Data"), col("Age")],
            rows(&|v| {
                let data = v
                    .get("data")
                    .and_then(Value::as_object)
                    .map(|m| m.len())
                    .unwrap_or(0);
                vec![
                    nm(v),
                    s(v, &["type"]).to_string(),
                    data.to_string(),
                    age(v, now),
                ]
            }),
        ),
        ("", "ConfigMap") => (
            vec![name_col(), col("Data"), col("Age")],
            rows(&|v| {
                let count = ["data", "binaryData"]
                    .iter()
                    .map(|k| {
                        v.get(*k)
                            .and_then(Value::as_object)
                            .map(|m| m.len())
                            .unwrap_or(0)
                    })
                    .sum::<usize>();
                vec![nm(v), count.to_string(), age(v, now)]
            }),
        ),
        ("batch", "Job") => (
            vec![
                name_col(),
                col("Status"),
                col("Completions"),
                col("Duration"),
                col("Age"),
                wide("Containers"),
                wide("Images"),
                wide("Selector"),
            ],
            rows(&|j| job_cells(j, now, w)),
        ),
        ("batch", "CronJob") => (
            vec![
                name_col(),
                col("Schedule"),
                col("Timezone"),
                col("Suspend"),
                col("Active"),
                col("Last Schedule"),
                col("Age"),
                wide("Containers"),
                wide("Images"),
                wide("Selector"),
            ],
            rows(&|c| {
                let last = if s(c, &["status", "lastScheduleTime"]).is_empty() {
                    "<none>".to_string()
                } else {
                    since(object::get_path(c, &["status", "lastScheduleTime"]), now)
                };
                let tz = match s(c, &["spec", "timeZone"]) {
                    "" => "<none>".to_string(),
                    t => t.to_string(),
                };
                let suspend =
                    match object::get_path(c, &["spec", "suspend"]).and_then(Value::as_bool) {
                        Some(b) => b.to_string(),
                        None => "<unset>".into(),
                    };
                let mut cells = vec![
                    nm(c),
                    s(c, &["spec", "schedule"]).to_string(),
                    tz,
                    suspend,
                    arr(c, &["status", "active"]).len().to_string(),
                    last,
                    age(c, now),
                ];
                if w {
                    let (cn, im) =
                        containers_cells(c, &["spec", "jobTemplate", "spec", "template", "spec"]);
                    cells.extend([
                        cn,
                        im,
                        format_label_selector(object::get_path(
                            c,
                            &["spec", "jobTemplate", "spec", "selector"],
                        )),
                    ]);
                }
                cells
            }),
        ),
        ("apps", "StatefulSet") => (
            vec![
                name_col(),
                col("Ready"),
                col("Age"),
                wide("Containers"),
                wide("Images"),
            ],
            rows(&|v| {
                let mut c = vec![
                    nm(v),
                    format!(
                        "{}/{}",
                        n(v, &["status", "readyReplicas"]),
                        n(v, &["spec", "replicas"])
                    ),
                    age(v, now),
                ];
                if w {
                    let (cn, im) = containers_cells(v, &["spec", "template", "spec"]);
                    c.extend([cn, im]);
                }
                c
            }),
        ),
        ("apps", "DaemonSet") => (
            vec![
                name_col(),
                col("Desired"),
                col("Current"),
                col("Ready"),
                col("Up-to-date"),
                col("Available"),
                col("Node Selector"),
                col("Age"),
                wide("Containers"),
                wide("Images"),
                wide("Selector"),
            ],
            rows(&|v| {
                let mut c = vec![
                    nm(v),
                    n(v, &["status", "desiredNumberScheduled"]).to_string(),
                    n(v, &["status", "currentNumberScheduled"]).to_string(),
                    n(v, &["status", "numberReady"]).to_string(),
                    n(v, &["status", "updatedNumberScheduled"]).to_string(),
                    n(v, &["status", "numberAvailable"]).to_string(),
                    format_labels(&object::string_map_at(
                        v,
                        &["spec", "template", "spec", "nodeSelector"],
                    )),
                    age(v, now),
                ];
                if w {
                    let (cn, im) = containers_cells(v, &["spec", "template", "spec"]);
                    c.extend([
                        cn,
                        im,
                        format_label_selector(object::get_path(v, &["spec", "selector"])),
                    ]);
                }
                c
            }),
        ),
        ("networking.k8s.io", "Ingress") => (
            vec![
                name_col(),
                col("Class"),
                col("Hosts"),
                col("Address"),
                col("Ports"),
                col("Age"),
            ],
            rows(&|v| {
                let class = match s(v, &["spec", "ingressClassName"]) {
                    "" => "<none>".to_string(),
                    c => c.to_string(),
                };
                let rules = arr(v, &["spec", "rules"]);
                let mut hosts: Vec<&str> = Vec::new();
                let mut more = false;
                for r in rules {
                    if hosts.len() == 3 {
                        more = true;
                    }
                    if !more && !s(r, &["host"]).is_empty() {
                        hosts.push(s(r, &["host"]));
                    }
                }
                let hosts_s = if hosts.is_empty() {
                    "*".to_string()
                } else if more {
                    format!("{} + {} more...", hosts.join(","), rules.len() - 3)
                } else {
                    hosts.join(",")
                };
                let mut addrs: BTreeSet<String> = BTreeSet::new();
                for i in arr(v, &["status", "loadBalancer", "ingress"]) {
                    if !s(i, &["ip"]).is_empty() {
                        addrs.insert(s(i, &["ip"]).to_string());
                    } else if !s(i, &["hostname"]).is_empty() {
                        addrs.insert(s(i, &["hostname"]).to_string());
                    }
                }
                let mut addr = addrs.into_iter().collect::<Vec<_>>().join(",");
                if !w && addr.len() > 16 {
                    addr = format!("{}...", byte_prefix(&addr, 13));
                }
                let ports = if arr(v, &["spec", "tls"]).is_empty() {
                    "80"
                } else {
                    "80, 443"
                };
                vec![nm(v), class, hosts_s, addr, ports.into(), age(v, now)]
            }),
        ),
        ("networking.k8s.io", "IngressClass") => (
            vec![name_col(), col("Controller"), col("Parameters"), col("Age")],
            rows(&|v| {
                let params = match object::get_path(v, &["spec", "parameters"]) {
                    Some(p) if !p.is_null() => {
                        let mut x = s(p, &["kind"]).to_string();
                        if !s(p, &["apiGroup"]).is_empty() {
                            x = format!("{x}.{}", s(p, &["apiGroup"]));
                        }
                        format!("{x}/{}", s(p, &["name"]))
                    }
                    _ => "<none>".into(),
                };
                vec![
                    nm(v),
                    s(v, &["spec", "controller"]).to_string(),
                    params,
                    age(v, now),
                ]
            }),
        ),
        ("", "ServiceAccount") => (
            vec![name_col(), col("Secrets"), col("Age")],
            rows(&|v| vec![nm(v), arr(v, &["secrets"]).len().to_string(), age(v, now)]),
        ),
        ("", "Namespace") => (
            vec![name_col(), col("Status"), col("Age")],
            rows(&|v| vec![nm(v), s(v, &["status", "phase"]).to_string(), age(v, now)]),
        ),
        ("", "Event") => (
            vec![
                col("Last Seen"),
                col("Type"),
                col("Reason"),
                col("Object"),
                wide("Subobject"),
                wide("Source"),
                col("Message"),
                wide("First Seen"),
                wide("Count"),
                Column {
                    name: "Name".into(),
                    priority: 1,
                    is_name: true,
                },
            ],
            rows(&|e| event_cells(e, now, w)),
        ),
        ("", "Node") => (
            vec![
                name_col(),
                col("Status"),
                col("Roles"),
                col("Age"),
                col("Version"),
                wide("Internal-IP"),
                wide("External-IP"),
                wide("OS-Image"),
                wide("Kernel-Version"),
                wide("Container-Runtime"),
            ],
            rows(&|v| node_cells(v, now, w)),
        ),
        ("", "Endpoints") => (
            vec![name_col(), col("Endpoints"), col("Age")],
            rows(&|v| vec![nm(v), endpoints_cell(v), age(v, now)]),
        ),
        ("", "PersistentVolumeClaim") => (
            vec![
                name_col(),
                col("Status"),
                col("Volume"),
                col("Capacity"),
                col("Access Modes"),
                col("StorageClass"),
                col("VolumeAttributesClass"),
                col("Age"),
                wide("VolumeMode"),
            ],
            rows(&|v| {
                let phase = if object::is_deleting(v) {
                    "Terminating".to_string()
                } else {
                    s(v, &["status", "phase"]).to_string()
                };
                let bound = !s(v, &["spec", "volumeName"]).is_empty();
                let (cap, modes) = if bound {
                    (
                        quantity(object::get_path(v, &["status", "capacity", "storage"])),
                        access_modes(arr(v, &["status", "accessModes"])),
                    )
                } else {
                    (String::new(), String::new())
                };
                let vac = match s(v, &["spec", "volumeAttributesClassName"]) {
                    "" => "<unset>".to_string(),
                    x => x.to_string(),
                };
                let vm = match s(v, &["spec", "volumeMode"]) {
                    "" => "<unset>".to_string(),
                    x => x.to_string(),
                };
                let mut c = vec![
                    nm(v),
                    phase,
                    s(v, &["spec", "volumeName"]).to_string(),
                    cap,
                    modes,
                    s(v, &["spec", "storageClassName"]).to_string(),
                    vac,
                    age(v, now),
                ];
                if w {
                    c.push(vm);
                }
                c
            }),
        ),
        ("", "PersistentVolume") => (
            vec![
                name_col(),
                col("Capacity"),
                col("Access Modes"),
                col("Reclaim Policy"),
                col("Status"),
                col("Claim"),
                col("StorageClass"),
                col("VolumeAttributesClass"),
                col("Reason"),
                col("Age"),
                wide("VolumeMode"),
            ],
            rows(&|v| {
                let claim = match object::get_path(v, &["spec", "claimRef"]) {
                    Some(c) if !c.is_null() => {
                        format!("{}/{}", s(c, &["namespace"]), s(c, &["name"]))
                    }
                    _ => String::new(),
                };
                let phase = if object::is_deleting(v) {
                    "Terminating".to_string()
                } else {
                    s(v, &["status", "phase"]).to_string()
                };
                let vac = match s(v, &["spec", "volumeAttributesClassName"]) {
                    "" => "<unset>".to_string(),
                    x => x.to_string(),
                };
                let mut c = vec![
                    nm(v),
                    quantity(object::get_path(v, &["spec", "capacity", "storage"])),
                    access_modes(arr(v, &["spec", "accessModes"])),
                    s(v, &["spec", "persistentVolumeReclaimPolicy"]).to_string(),
                    phase,
                    claim,
                    s(v, &["spec", "storageClassName"]).to_string(),
                    vac,
                    s(v, &["status", "reason"]).to_string(),
                    age(v, now),
                ];
                if w {
                    c.push(match s(v, &["spec", "volumeMode"]) {
                        "" => "<unset>".to_string(),
                        x => x.to_string(),
                    });
                }
                c
            }),
        ),
        ("autoscaling", "HorizontalPodAutoscaler") => (
            vec![
                name_col(),
                col("Reference"),
                col("Targets"),
                col("MinPods"),
                col("MaxPods"),
                col("Replicas"),
                col("Age"),
            ],
            rows(&|v| {
                let reference = format!(
                    "{}/{}",
                    s(v, &["spec", "scaleTargetRef", "kind"]),
                    s(v, &["spec", "scaleTargetRef", "name"])
                );
                let min = match object::int_path(v, &["spec", "minReplicas"]) {
                    Some(m) => m.to_string(),
                    None => "<unset>".into(),
                };
                vec![
                    nm(v),
                    reference,
                    hpa_targets(v),
                    min,
                    n(v, &["spec", "maxReplicas"]).to_string(),
                    n(v, &["status", "currentReplicas"]).to_string(),
                    age(v, now),
                ]
            }),
        ),
        ("policy", "PodDisruptionBudget") => (
            vec![
                name_col(),
                col("Min Available"),
                col("Max Unavailable"),
                col("Allowed Disruptions"),
                col("Age"),
            ],
            rows(&|v| {
                vec![
                    nm(v),
                    int_or_string(object::get_path(v, &["spec", "minAvailable"])),
                    int_or_string(object::get_path(v, &["spec", "maxUnavailable"])),
                    n(v, &["status", "disruptionsAllowed"]).to_string(),
                    age(v, now),
                ]
            }),
        ),
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => (
            vec![
                name_col(),
                col("Role"),
                col("Age"),
                wide("Users"),
                wide("Groups"),
                wide("ServiceAccounts"),
            ],
            rows(&|v| {
                let mut c = vec![
                    nm(v),
                    format!(
                        "{}/{}",
                        s(v, &["roleRef", "kind"]),
                        s(v, &["roleRef", "name"])
                    ),
                    age(v, now),
                ];
                if w {
                    let (u, g, sa) = subjects(v);
                    c.extend([u, g, sa]);
                }
                c
            }),
        ),
        ("networking.k8s.io", "NetworkPolicy") => (
            vec![name_col(), col("Pod-Selector"), col("Age")],
            rows(&|v| {
                vec![
                    nm(v),
                    format_label_selector(
                        object::get_path(v, &["spec", "podSelector"])
                            .or(Some(&Value::Object(Default::default()))),
                    ),
                    age(v, now),
                ]
            }),
        ),
        ("storage.k8s.io", "StorageClass") => (
            vec![
                name_col(),
                col("Provisioner"),
                col("ReclaimPolicy"),
                col("VolumeBindingMode"),
                col("AllowVolumeExpansion"),
                col("Age"),
            ],
            rows(&|v| {
                let default = object::annotations(v)
                    .get("storageclass.kubernetes.io/is-default-class")
                    .map(|x| x == "true")
                    .unwrap_or(false)
                    || object::annotations(v)
                        .get("storageclass.beta.kubernetes.io/is-default-class")
                        .map(|x| x == "true")
                        .unwrap_or(false);
                let name = if default {
                    format!("{} (default)", nm(v))
                } else {
                    nm(v)
                };
                let rp = match s(v, &["reclaimPolicy"]) {
                    "" => "Delete",
                    x => x,
                };
                let vbm = match s(v, &["volumeBindingMode"]) {
                    "" => "Immediate",
                    x => x,
                };
                let ave = object::get_path(v, &["allowVolumeExpansion"])
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                vec![
                    name,
                    s(v, &["provisioner"]).to_string(),
                    rp.into(),
                    vbm.into(),
                    ave.to_string(),
                    age(v, now),
                ]
            }),
        ),
        ("apps", "ControllerRevision") => (
            vec![name_col(), col("Controller"), col("Revision"), col("Age")],
            rows(&|v| {
                let controller = match object::controller_of(v) {
                    Some(r) => {
                        let group = crate::kube::object::GroupVersion::parse(&r.api_version)
                            .map(|g| g.group)
                            .unwrap_or_default();
                        if group.is_empty() {
                            format!("{}/{}", r.kind.to_lowercase(), r.name)
                        } else {
                            format!("{}.{}/{}", r.kind.to_lowercase(), group, r.name)
                        }
                    }
                    None => "<none>".into(),
                };
                vec![
                    nm(v),
                    controller,
                    n(v, &["revision"]).to_string(),
                    age(v, now),
                ]
            }),
        ),
        ("coordination.k8s.io", "Lease") => (
            vec![name_col(), col("Holder"), col("Age")],
            rows(&|v| {
                vec![
                    nm(v),
                    s(v, &["spec", "holderIdentity"]).to_string(),
                    age(v, now),
                ]
            }),
        ),
        ("scheduling.k8s.io", "PriorityClass") => (
            vec![
                name_col(),
                col("Value"),
                col("Global-Default"),
                col("Age"),
                wide("PreemptionPolicy"),
            ],
            rows(&|v| {
                let mut c = vec![
                    nm(v),
                    n(v, &["value"]).to_string(),
                    object::get_path(v, &["globalDefault"])
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                        .to_string(),
                    age(v, now),
                ];
                if w {
                    c.push(s(v, &["preemptionPolicy"]).to_string());
                }
                c
            }),
        ),
        ("discovery.k8s.io", "EndpointSlice") => (
            vec![
                name_col(),
                col("AddressType"),
                col("Ports"),
                col("Endpoints"),
                col("Age"),
            ],
            rows(&|v| {
                let more_list = |list: Vec<String>, count: usize| {
                    let max = 3;
                    if count > max {
                        format!("{} + {} more...", list[..max].join(","), count - max)
                    } else if list.is_empty() {
                        "<unset>".to_string()
                    } else {
                        list.join(",")
                    }
                };
                let ports: Vec<String> = arr(v, &["ports"])
                    .iter()
                    .map(
                        |p| match object::get_path(p, &["port"]).and_then(Value::as_i64) {
                            Some(x) => x.to_string(),
                            None => match s(p, &["name"]) {
                                "" => "*".into(),
                                nme => nme.to_string(),
                            },
                        },
                    )
                    .collect();
                let addrs: Vec<String> = arr(v, &["endpoints"])
                    .iter()
                    .flat_map(|e| {
                        arr(e, &["addresses"])
                            .iter()
                            .filter_map(Value::as_str)
                            .map(String::from)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let (pc, ac) = (ports.len(), addrs.len());
                vec![
                    nm(v),
                    s(v, &["addressType"]).to_string(),
                    more_list(ports, pc),
                    more_list(addrs, ac),
                    age(v, now),
                ]
            }),
        ),
        ("", "ResourceQuota") | ("", "LimitRange") | ("", "PodTemplate") => return None,
        _ => return None,
    })
}

fn hpa_targets(v: &Value) -> String {
    let specs = arr(v, &["spec", "metrics"]);
    if specs.is_empty() {
        return "<none>".into();
    }
    let statuses = arr(v, &["status", "currentMetrics"]);
    let mut list = Vec::new();
    for (i, m) in specs.iter().enumerate() {
        let st = statuses.get(i);
        match s(m, &["type"]) {
            "Resource" | "ContainerResource" => {
                let key = if s(m, &["type"]) == "Resource" {
                    "resource"
                } else {
                    "containerResource"
                };
                let name = s(m, &[key, "name"]);
                if let Some(av) = object::get_path(m, &[key, "target", "averageValue"]) {
                    let cur = st
                        .and_then(|x| object::get_path(x, &[key, "current", "averageValue"]))
                        .map(|q| quantity(Some(q)))
                        .unwrap_or_else(|| "<unknown>".into());
                    list.push(format!("{name}: {cur}/{}", quantity(Some(av))));
                } else {
                    let cur = st
                        .and_then(|x| {
                            object::get_path(x, &[key, "current", "averageUtilization"])
                                .and_then(Value::as_i64)
                        })
                        .map(|u| format!("{u}%"))
                        .unwrap_or_else(|| "<unknown>".into());
                    let target = object::get_path(m, &[key, "target", "averageUtilization"])
                        .and_then(Value::as_i64)
                        .map(|u| format!("{u}%"))
                        .unwrap_or_else(|| "<auto>".into());
                    list.push(format!("{name}: {cur}/{target}"));
                }
            }
            "Pods" => {
                let cur = st
                    .and_then(|x| object::get_path(x, &["pods", "current", "averageValue"]))
                    .map(|q| quantity(Some(q)))
                    .unwrap_or_else(|| "<unknown>".into());
                list.push(format!(
                    "{cur}/{}",
                    quantity(object::get_path(m, &["pods", "target", "averageValue"]))
                ));
            }
            "Object" | "External" => {
                let key = if s(m, &["type"]) == "Object" {
                    "object"
                } else {
                    "external"
                };
                if let Some(av) = object::get_path(m, &[key, "target", "averageValue"]) {
                    let cur = st
                        .and_then(|x| object::get_path(x, &[key, "current", "averageValue"]))
                        .map(|q| quantity(Some(q)))
                        .unwrap_or_else(|| "<unknown>".into());
                    list.push(format!("{cur}/{} (avg)", quantity(Some(av))));
                } else {
                    let cur = st
                        .and_then(|x| object::get_path(x, &[key, "current", "value"]))
                        .map(|q| quantity(Some(q)))
                        .unwrap_or_else(|| "<unknown>".into());
                    list.push(format!(
                        "{cur}/{}",
                        quantity(object::get_path(m, &[key, "target", "value"]))
                    ));
                }
            }
            _ => list.push("<unknown type>".into()),
        }
    }
    if list.len() > 2 {
        let count = list.len();
        list.truncate(2);
        return format!("{} + {} more...", list.join(", "), count - 2);
    }
    list.join(", ")
}

/// The table the API server returns for `objs` of one resource (`Accept: …as=Table`).
pub fn table_for(info: &ResourceInfo, objs: &[Value], now: Time, wide_out: bool) -> Table {
    let meta_rows = |cells: Vec<Vec<String>>| -> Vec<Row> {
        objs.iter()
            .zip(cells)
            .map(|(o, c)| Row {
                cells: c,
                namespace: object::namespace(o).to_string(),
                labels: object::labels(o),
            })
            .collect()
    };
    if info.is_custom() {
        // CRD printer columns, or the default `Age` column.
        let mut columns = vec![name_col()];
        let pcs = &info.printer_columns;
        if pcs.is_empty() {
            columns.push(col("Age"));
        }
        for pc in pcs {
            columns.push(Column {
                name: pc.name.clone(),
                priority: pc.priority,
                is_name: false,
            });
        }
        let cells: Vec<Vec<String>> = objs
            .iter()
            .map(|o| {
                let mut c = vec![object::name(o).to_string()];
                if pcs.is_empty() {
                    c.push(age(o, now));
                }
                for pc in pcs {
                    if pc.priority != 0 && !wide_out {
                        c.push(String::new());
                        continue;
                    }
                    let tmpl = format!("{{{}}}", pc.json_path);
                    let results = JsonPath::parse(&tmpl)
                        .ok()
                        .and_then(|jp| jp.find_results(o, true).ok());
                    let value = results.and_then(|r| r.into_iter().flatten().next());
                    c.push(match value {
                        None | Some(Value::Null) => "<none>".into(),
                        Some(v) if pc.type_ == "date" => since(Some(&v), now),
                        Some(Value::String(s)) => s,
                        Some(other) => crate::kube::gofmt::sprint(&other),
                    });
                }
                c
            })
            .collect();
        return Table {
            columns,
            rows: meta_rows(cells),
        };
    }
    match builtin_table(info, objs, now, wide_out) {
        Some((columns, cells)) => Table {
            columns,
            rows: meta_rows(cells),
        },
        None => {
            // The API server's default table convertor.
            let columns = vec![name_col(), col("Created At")];
            let cells = objs
                .iter()
                .map(|o| {
                    let created = object::creation_timestamp(o)
                        .map(|t| t.rfc3339())
                        .unwrap_or_default();
                    vec![object::name(o).to_string(), created]
                })
                .collect();
            Table {
                columns,
                rows: meta_rows(cells),
            }
        }
    }
}

/// kubectl's human-readable print options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrintOptions {
    /// `-o wide`
    pub wide: bool,
    /// `-A` (a `NAMESPACE` column for namespaced resources).
    pub all_namespaces: bool,
    /// `--show-kind` (also on when several resource types are printed).
    pub show_kind: bool,
    /// `--show-labels`
    pub show_labels: bool,
    /// `--no-headers`
    pub no_headers: bool,
    /// `-L key` label columns.
    pub label_columns: Vec<String>,
}

/// `text/tabwriter` as kubectl configures it (minwidth 6, tabwidth 4, padding 3, pad with
/// spaces, no flags): aligns tab-separated cells; the last cell of a line is not padded.
pub fn tabwrite(text: &str) -> String {
    const MINWIDTH: usize = 6;
    const PADDING: usize = 3;
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::new();
    // A line with a single cell ends a formatting block (Go flushes there).
    let mut start = 0;
    for i in 0..lines.len() {
        if lines[i].len() == 1 && i + 1 < lines.len() {
            format_block(
                &lines,
                start,
                i + 1,
                MINWIDTH,
                PADDING,
                &mut Vec::new(),
                &mut out,
                lines.len(),
            );
            start = i + 1;
        }
    }
    format_block(
        &lines,
        start,
        lines.len(),
        MINWIDTH,
        PADDING,
        &mut Vec::new(),
        &mut out,
        lines.len(),
    );
    out
}

fn cell_width(s: &str) -> usize {
    s.chars().count()
}

#[allow(clippy::too_many_arguments)]
fn format_block(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    minw: usize,
    pad: usize,
    widths: &mut Vec<usize>,
    out: &mut String,
    total: usize,
) {
    let column = widths.len();
    let mut line0 = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out, total);
        line0 = this;
        let mut width = minw;
        while this < line1 {
            let line = &lines[this];
            if column + 1 >= line.len() {
                break;
            }
            let w = cell_width(line[column]) + pad;
            if w > width {
                width = w;
            }
            this += 1;
        }
        widths.push(width);
        format_block(lines, line0, this, minw, pad, widths, out, total);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out, total);
}

fn write_lines(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &[usize],
    out: &mut String,
    total: usize,
) {
    for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, c) in line.iter().enumerate() {
            out.push_str(c);
            if j < widths.len() && j + 1 < line.len() {
                let w = cell_width(c);
                for _ in w..widths[j] {
                    out.push(' ');
                }
            }
        }
        if i + 1 < total {
            out.push('\n');
        }
    }
}

/// `WriteEscaped` plus the cut at the first line break kubectl applies to string cells.
fn cell_text(c: &str) -> String {
    let (cut, truncated) = match c.find(['\n', '\r', '\x0c']) {
        Some(i) => (&c[..i], true),
        None => (c, false),
    };
    let mut s = cut.replace('\x1b', "^[").replace('\r', "\\r");
    if truncated {
        s.push_str("...");
    }
    s
}

/// The table as kubectl prints it (before the tab writer): decoration with `NAMESPACE`,
/// `kind/` prefix, label columns, `LABELS`; wide columns only with `-o wide`; nothing at all
/// for an empty table.
pub fn table_text(
    table: &Table,
    info: &ResourceInfo,
    opts: &PrintOptions,
    with_kind: bool,
) -> String {
    if table.rows.is_empty() {
        return String::new();
    }
    let with_ns = opts.all_namespaces && info.namespaced;
    let shown: Vec<usize> = (0..table.columns.len())
        .filter(|i| opts.wide || table.columns[*i].priority == 0)
        .collect();
    let name_idx = table.columns.iter().position(|c| c.is_name);
    let mut out = String::new();
    if !opts.no_headers {
        let mut heads: Vec<String> = Vec::new();
        if with_ns {
            heads.push("NAMESPACE".into());
        }
        heads.extend(shown.iter().map(|i| table.columns[*i].name.to_uppercase()));
        for l in &opts.label_columns {
            heads.push(l.rsplit('/').next().unwrap_or(l).to_uppercase());
        }
        if opts.show_labels {
            heads.push("LABELS".into());
        }
        out.push_str(&heads.join("\t"));
        out.push('\n');
    }
    for row in &table.rows {
        let mut cells: Vec<String> = Vec::new();
        if with_ns {
            cells.push(row.namespace.clone());
        }
        for i in &shown {
            let mut c = row.cells.get(*i).cloned().unwrap_or_default();
            if with_kind && Some(*i) == name_idx {
                c = format!("{}/{}", info.kind_prefix(), c);
            }
            cells.push(cell_text(&c));
        }
        for l in &opts.label_columns {
            cells.push(row.labels.get(l).cloned().unwrap_or_default());
        }
        if opts.show_labels {
            cells.push(format_labels(&row.labels));
        }
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// What `kubectl get` writes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GetOutput {
    pub stdout: String,
    pub stderr: String,
}

/// `kubectl get` of one or more resource types (in request order, empty ones included):
/// one aligned table per type, a blank line between printed types, `kind/name` when more
/// than one type was asked for, and `No resources found …` on stderr when nothing printed.
/// `namespace` is the namespace listed (for the message).
pub fn print_get(
    groups: &[(ResourceInfo, Vec<Value>)],
    opts: &PrintOptions,
    now: Time,
    namespace: &str,
) -> GetOutput {
    let tables: Vec<(ResourceInfo, Table)> = groups
        .iter()
        .map(|(info, objs)| (info.clone(), table_for(info, objs, now, opts.wide)))
        .collect();
    print_tables(&tables, opts, namespace)
}

/// [`print_get`] for tables already built (e.g. received from a real API server).
pub fn print_tables(
    tables: &[(ResourceInfo, Table)],
    opts: &PrintOptions,
    namespace: &str,
) -> GetOutput {
    let kinds: BTreeSet<(String, String)> = tables
        .iter()
        .map(|(i, _)| (i.group.clone(), i.kind.clone()))
        .collect();
    let with_kind = opts.show_kind || kinds.len() > 1;
    let mut stdout = String::new();
    let mut written_any = false;
    for (info, table) in tables {
        let text = table_text(table, info, opts, with_kind);
        if text.is_empty() {
            continue;
        }
        if written_any && !opts.no_headers {
            stdout.push('\n');
        }
        stdout.push_str(&tabwrite(&text));
        written_any = true;
    }
    let mut stderr = String::new();
    if !written_any {
        let all_namespaced = !opts.all_namespaces && tables.iter().all(|(i, _)| i.namespaced);
        if all_namespaced {
            stderr = format!("No resources found in {namespace} namespace.\n");
        } else {
            stderr = "No resources found\n".into();
        }
    }
    GetOutput { stdout, stderr }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::cluster::{ApplyOptions, Cluster, ListOptions};
    use crate::kube::object::{GroupVersionKind, GroupVersionResource};
    use crate::kube::resources::Registry;
    use crate::kube::sim::{SimCluster, SplitMix64};
    use crate::kube::time::{Clock, ManualClock};
    use serde_json::json;
    use std::rc::Rc;

    fn info(group: &str, kind: &str) -> ResourceInfo {
        Registry::builtin()
            .resources
            .into_iter()
            .find(|r| r.group == group && r.kind == kind)
            .unwrap()
    }

    #[test]
    fn tabwriter_like_go() {
        // cells padded to max width + 3, at least 6; the last column is not padded
        assert_eq!(
            tabwrite("NAME\tAGE\na\t5s\nlonger-name\t3m2s\n"),
            "NAME          AGE\na             5s\nlonger-name   3m2s\n"
        );
        assert_eq!(
            tabwrite("A\tB\tC\nx\ty\tz\n"),
            "A     B     C\nx     y     z\n"
        );
        // a line without tabs ends the block
        assert_eq!(
            tabwrite("a\tb\n\nlong-cell\tc\n"),
            "a     b\n\nlong-cell   c\n"
        );
    }

    #[test]
    fn table_cells() {
        let now = Time(1000);
        let pod = json!({"metadata": {"name": "web-7d4b9c8f5b-x2x9z", "namespace": "default", "creationTimestamp": Time(1000 - 182).rfc3339()},
            "spec": {"containers": [{"name": "web"}], "nodeName": "n1"},
            "status": {"phase": "Running", "podIPs": [{"ip": "10.244.0.5"}], "conditions": [{"type": "Ready", "status": "True"}],
                "containerStatuses": [{"name": "web", "ready": true, "restartCount": 0, "state": {"running": {}}}]}});
        let t = table_for(&info("", "Pod"), std::slice::from_ref(&pod), now, true);
        assert_eq!(
            t.rows[0].cells,
            [
                "web-7d4b9c8f5b-x2x9z",
                "1/1",
                "Running",
                "0",
                "3m2s",
                "10.244.0.5",
                "n1",
                "<none>",
                "<none>"
            ]
        );
        let done = json!({"metadata": {"name": "job-abcde", "creationTimestamp": Time(0).rfc3339()}, "spec": {"containers": [{"name": "c"}]},
            "status": {"phase": "Succeeded", "containerStatuses": [{"name": "c", "ready": false, "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}});
        let t = table_for(&info("", "Pod"), &[done], now, false);
        assert_eq!(
            t.rows[0].cells,
            ["job-abcde", "0/1", "Completed", "0", "16m"]
        );
        let svc = json!({"metadata": {"name": "demo", "creationTimestamp": Time(1000 - 3600 * 53).rfc3339()},
            "spec": {"type": "ClusterIP", "clusterIPs": ["10.96.12.34"], "ports": [{"port": 80, "protocol": "TCP"}], "selector": {"app": "demo"}}});
        let t = table_for(&info("", "Service"), &[svc], now, true);
        assert_eq!(
            t.rows[0].cells,
            [
                "demo",
                "ClusterIP",
                "10.96.12.34",
                "<none>",
                "80/TCP",
                "2d5h",
                "app=demo"
            ]
        );
        let sec = json!({"metadata": {"name": "sh.helm.release.v1.demo.v1", "creationTimestamp": Time(995).rfc3339()}, "type": "helm.sh/release.v1", "data": {"release": "x"}});
        let t = table_for(&info("", "Secret"), &[sec], now, false);
        assert_eq!(
            t.rows[0].cells,
            [
                "sh.helm.release.v1.demo.v1",
                "helm.sh/release.v1",
                "1",
                "5s"
            ]
        );
        let role = json!({"metadata": {"name": "r", "creationTimestamp": Time(0).rfc3339()}});
        let t = table_for(
            &info("rbac.authorization.k8s.io", "Role"),
            &[role],
            now,
            false,
        );
        assert_eq!(
            t.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["Name", "Created At"]
        );
        assert_eq!(t.rows[0].cells, ["r", "1970-01-01T00:00:00Z"]);
    }

    fn demo_cluster() -> (SimCluster, Rc<ManualClock>) {
        let clock = Rc::new(ManualClock::new(Time(1_795_505_000)));
        let mut sim = SimCluster::new(Box::new(clock.clone()), Box::new(SplitMix64(3)));
        let labels = json!({"app.kubernetes.io/instance": "myapi-release", "app.kubernetes.io/name": "myapi"});
        let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "myapi-release", "namespace": "default", "labels": labels},
            "spec": {"replicas": 1, "selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels},
                "spec": {"containers": [{"name": "myapi", "image": "nginx:1.16.0", "ports": [{"containerPort": 80, "name": "http"}]}]}}}});
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "myapi-release", "namespace": "default", "labels": labels},
            "spec": {"type": "ClusterIP", "selector": labels, "ports": [{"port": 80, "targetPort": "http", "protocol": "TCP", "name": "http"}]}});
        for o in [deploy, svc] {
            let gvk = GroupVersionKind::of(&o).unwrap();
            let gvr = sim.resource_registry().for_gvk(&gvk).unwrap().gvr();
            sim.apply(
                &gvr,
                "default",
                o,
                &ApplyOptions {
                    field_manager: "helm".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        }
        (sim, clock)
    }

    fn get(
        sim: &mut SimCluster,
        resources: &[&str],
        selector: &str,
        now: Time,
        opts: &PrintOptions,
    ) -> GetOutput {
        let reg = sim.resource_registry();
        let mut groups = Vec::new();
        for r in resources {
            let infos: Vec<ResourceInfo> = if *r == "all" {
                reg.category("all").into_iter().cloned().collect()
            } else {
                vec![reg.resolve(r).unwrap().clone()]
            };
            for info in infos {
                let list = sim
                    .list(
                        &info.gvr(),
                        if info.namespaced && !opts.all_namespaces {
                            Some("default")
                        } else {
                            None
                        },
                        &ListOptions {
                            label_selector: selector.into(),
                            field_selector: String::new(),
                        },
                    )
                    .unwrap();
                groups.push((info, list["items"].as_array().unwrap().clone()));
            }
        }
        print_get(&groups, opts, now, "default")
    }

    /// `kubectl get all -l app.kubernetes.io/instance=myapi-release` (workshop lab 1).
    #[test]
    fn get_all_groups_kinds() {
        let (mut sim, clock) = demo_cluster();
        clock.advance(42);
        let now = clock.now();
        let out = get(
            &mut sim,
            &["all"],
            "app.kubernetes.io/instance=myapi-release",
            now,
            &PrintOptions::default(),
        );
        let pod = sim
            .list(
                &GroupVersionResource::new("", "v1", "pods"),
                Some("default"),
                &ListOptions::default(),
            )
            .unwrap()["items"][0]["metadata"]["name"]
            .as_str()
            .unwrap()
            .to_string();
        let rs = pod.rsplit_once('-').unwrap().0.to_string();
        let svc = sim
            .get(
                &GroupVersionResource::new("", "v1", "services"),
                "default",
                "myapi-release",
            )
            .unwrap();
        let ip = svc["spec"]["clusterIP"].as_str().unwrap();
        let pad = |s: &str, w: usize| format!("{s:<w$}");
        let pw = 4 + pod.len() + 3;
        let rw = "replicaset.apps/".len() + rs.len() + 3;
        let sw = "service/myapi-release".len() + 3;
        let ipw = ip.len().max(10) + 3;
        let expected = format!(
            "{}READY   STATUS    RESTARTS   AGE\n{}1/1     Running   0          42s\n\n{}TYPE        {}EXTERNAL-IP   PORT(S)   AGE\n{}ClusterIP   {}<none>        80/TCP    42s\n\n{}READY   UP-TO-DATE   AVAILABLE   AGE\n{}1/1     1            1           42s\n\n{}DESIRED   CURRENT   READY   AGE\n{}1         1         1       42s\n",
            pad("NAME", pw),
            pad(&format!("pod/{pod}"), pw),
            pad("NAME", sw),
            pad("CLUSTER-IP", ipw),
            pad("service/myapi-release", sw),
            pad(ip, ipw),
            pad("NAME", "deployment.apps/myapi-release".len() + 3),
            pad("deployment.apps/myapi-release", "deployment.apps/myapi-release".len() + 3),
            pad("NAME", rw),
            pad(&format!("replicaset.apps/{rs}"), rw),
        );
        assert_eq!(out.stdout, expected);
        assert_eq!(out.stderr, "");

        let none = get(
            &mut sim,
            &["all"],
            "app=nothing",
            now,
            &PrintOptions::default(),
        );
        assert_eq!(
            none,
            GetOutput {
                stdout: String::new(),
                stderr: "No resources found in default namespace.\n".into()
            }
        );
        let nodes = get(&mut sim, &["nodes"], "x=y", now, &PrintOptions::default());
        assert_eq!(nodes.stderr, "No resources found\n");
    }

    #[test]
    fn get_secrets_and_wide_pods() {
        let (mut sim, clock) = demo_cluster();
        clock.advance(3600 * 5 + 60 * 3);
        let now = clock.now();
        let out = get(&mut sim, &["secrets"], "", now, &PrintOptions::default());
        assert_eq!(out.stderr, "No resources found in default namespace.\n");
        let sa = get(&mut sim, &["sa"], "", now, &PrintOptions::default());
        assert_eq!(
            sa.stdout,
            "NAME      SECRETS   AGE\ndefault   0         5h3m\n"
        );
        let ns = get(&mut sim, &["ns"], "", now, &PrintOptions::default());
        assert_eq!(
            ns.stdout,
            "NAME              STATUS   AGE\ndefault           Active   5h3m\nkube-node-lease   Active   5h3m\nkube-public       Active   5h3m\nkube-system       Active   5h3m\n"
        );
        let pods = get(
            &mut sim,
            &["pods"],
            "app.kubernetes.io/name=myapi",
            now,
            &PrintOptions {
                wide: true,
                show_labels: true,
                ..Default::default()
            },
        );
        let line = pods.stdout.lines().nth(1).unwrap().to_string();
        assert!(line.contains("1/1     Running   0          5h3m"), "{line}");
        assert!(line.contains(crate::kube::sim::NODE_NAME), "{line}");
        assert!(line.ends_with("app.kubernetes.io/instance=myapi-release,app.kubernetes.io/name=myapi,pod-template-hash=") || line.contains(",pod-template-hash="), "{line}");
        assert!(pods.stdout.starts_with("NAME "));
        assert!(pods
            .stdout
            .lines()
            .next()
            .unwrap()
            .ends_with("NOMINATED NODE   READINESS GATES   LABELS"));
        let all_ns = get(
            &mut sim,
            &["deploy"],
            "",
            now,
            &PrintOptions {
                all_namespaces: true,
                ..Default::default()
            },
        );
        assert!(
            all_ns.stdout.starts_with(
                "NAMESPACE     NAME            READY   UP-TO-DATE   AVAILABLE   AGE\n"
            ),
            "{}",
            all_ns.stdout
        );
    }

    fn row(ns: &str, labels: &[(&str, &str)], cells: &[&str]) -> Row {
        Row {
            cells: cells.iter().map(|c| c.to_string()).collect(),
            namespace: ns.into(),
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// The same server tables given to kubectl v1.32 (`kubectl get …` against a test server
    /// returning `meta.k8s.io/v1` Tables) print exactly like this.
    #[test]
    fn kubectl_client_side_rendering() {
        let pods = Table {
            columns: vec![
                name_col(),
                col("Ready"),
                col("Status"),
                col("Restarts"),
                col("Age"),
                wide("IP"),
                wide("Node"),
                wide("Nominated Node"),
                wide("Readiness Gates"),
            ],
            rows: vec![row(
                "default",
                &[("app", "myapi"), ("pod-template-hash", "7d4b9c8f5b")],
                &[
                    "myapi-release-7d4b9c8f5b-x2x9z",
                    "1/1",
                    "Running",
                    "0",
                    "42s",
                    "10.244.0.5",
                    "chartlab-control-plane",
                    "<none>",
                    "<none>",
                ],
            )],
        };
        let mut pods_all = pods.clone();
        pods_all.rows.push(row(
            "kube-system",
            &[("k8s-app", "kube-dns")],
            &[
                "coredns-6f6b679f8f-abcde",
                "1/1",
                "Running",
                "0",
                "5h3m",
                "10.244.0.2",
                "chartlab-control-plane",
                "<none>",
                "<none>",
            ],
        ));
        let svcs = Table {
            columns: vec![
                name_col(),
                col("Type"),
                col("Cluster-IP"),
                col("External-IP"),
                col("Port(s)"),
                col("Age"),
                wide("Selector"),
            ],
            rows: vec![row(
                "default",
                &[],
                &[
                    "myapi-release",
                    "ClusterIP",
                    "10.96.123.45",
                    "<none>",
                    "80/TCP",
                    "42s",
                    "app=myapi",
                ],
            )],
        };
        let events = Table {
            columns: vec![
                col("Last Seen"),
                col("Type"),
                col("Reason"),
                col("Object"),
                wide("Subobject"),
                wide("Source"),
                col("Message"),
                wide("First Seen"),
                wide("Count"),
                Column {
                    name: "Name".into(),
                    priority: 1,
                    is_name: true,
                },
            ],
            rows: vec![row(
                "default",
                &[],
                &[
                    "5s",
                    "Normal",
                    "Scheduled",
                    "pod/web",
                    "",
                    "default-scheduler",
                    "Successfully assigned default/web to n",
                    "5s",
                    "1",
                    "web.1",
                ],
            )],
        };
        let (pod, svc, ev, sec, node) = (
            info("", "Pod"),
            info("", "Service"),
            info("", "Event"),
            info("", "Secret"),
            info("", "Node"),
        );
        let d = PrintOptions::default();
        let out = |t: &[(ResourceInfo, Table)], o: &PrintOptions| {
            let r = print_tables(t, o, "default");
            format!("{}{}", r.stdout, r.stderr)
        };
        assert_eq!(
            out(&[(pod.clone(), pods.clone())], &d),
            "NAME                             READY   STATUS    RESTARTS   AGE\nmyapi-release-7d4b9c8f5b-x2x9z   1/1     Running   0          42s\n"
        );
        assert_eq!(
            out(&[(pod.clone(), pods.clone())], &PrintOptions { wide: true, ..Default::default() }),
            "NAME                             READY   STATUS    RESTARTS   AGE   IP           NODE                     NOMINATED NODE   READINESS GATES\nmyapi-release-7d4b9c8f5b-x2x9z   1/1     Running   0          42s   10.244.0.5   chartlab-control-plane   <none>           <none>\n"
        );
        assert_eq!(
            out(&[(pod.clone(), pods.clone()), (svc.clone(), svcs.clone())], &d),
            "NAME                                 READY   STATUS    RESTARTS   AGE\npod/myapi-release-7d4b9c8f5b-x2x9z   1/1     Running   0          42s\n\nNAME                    TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE\nservice/myapi-release   ClusterIP   10.96.123.45   <none>        80/TCP    42s\n"
        );
        assert_eq!(
            out(&[(pod.clone(), pods_all.clone())], &PrintOptions { all_namespaces: true, ..Default::default() }),
            "NAMESPACE     NAME                             READY   STATUS    RESTARTS   AGE\ndefault       myapi-release-7d4b9c8f5b-x2x9z   1/1     Running   0          42s\nkube-system   coredns-6f6b679f8f-abcde         1/1     Running   0          5h3m\n"
        );
        assert_eq!(
            out(&[(pod.clone(), pods.clone())], &PrintOptions { show_labels: true, label_columns: vec!["app".into()], ..Default::default() }),
            "NAME                             READY   STATUS    RESTARTS   AGE   APP     LABELS\nmyapi-release-7d4b9c8f5b-x2x9z   1/1     Running   0          42s   myapi   app=myapi,pod-template-hash=7d4b9c8f5b\n"
        );
        assert_eq!(
            out(&[(ev.clone(), events.clone())], &d),
            "LAST SEEN   TYPE     REASON      OBJECT    MESSAGE\n5s          Normal   Scheduled   pod/web   Successfully assigned default/web to n\n"
        );
        assert_eq!(
            out(&[(ev.clone(), events.clone())], &PrintOptions { wide: true, ..Default::default() }),
            "LAST SEEN   TYPE     REASON      OBJECT    SUBOBJECT   SOURCE              MESSAGE                                  FIRST SEEN   COUNT   NAME\n5s          Normal   Scheduled   pod/web               default-scheduler   Successfully assigned default/web to n   5s           1       web.1\n"
        );
        assert_eq!(
            out(&[(sec, Table::default())], &d),
            "No resources found in default namespace.\n"
        );
        assert_eq!(out(&[(node, Table::default())], &d), "No resources found\n");
        assert_eq!(
            out(&[(pod.clone(), pods.clone()), (svc.clone(), Table { columns: svcs.columns.clone(), rows: vec![] })], &d),
            "NAME                                 READY   STATUS    RESTARTS   AGE\npod/myapi-release-7d4b9c8f5b-x2x9z   1/1     Running   0          42s\n"
        );
        assert_eq!(
            out(
                &[(pod.clone(), pods.clone())],
                &PrintOptions {
                    no_headers: true,
                    ..Default::default()
                }
            ),
            "myapi-release-7d4b9c8f5b-x2x9z   1/1   Running   0     42s\n"
        );
        assert_eq!(
            out(&[(svc.clone(), svcs.clone())], &PrintOptions { show_kind: true, ..Default::default() }),
            "NAME                    TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE\nservice/myapi-release   ClusterIP   10.96.123.45   <none>        80/TCP    42s\n"
        );
        assert_eq!(
            out(&[(pod, pods_all), (svc, svcs)], &PrintOptions { all_namespaces: true, ..Default::default() }),
            "NAMESPACE     NAME                                 READY   STATUS    RESTARTS   AGE\ndefault       pod/myapi-release-7d4b9c8f5b-x2x9z   1/1     Running   0          42s\nkube-system   pod/coredns-6f6b679f8f-abcde         1/1     Running   0          5h3m\n\nNAMESPACE   NAME                    TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE\ndefault     service/myapi-release   ClusterIP   10.96.123.45   <none>        80/TCP    42s\n"
        );
    }
}
