//! `kubectl describe` (k8s.io/kubectl `pkg/describe/describe.go` v0.36): the describers of
//! Pod, Deployment, ReplicaSet, Service, Secret, ConfigMap, Job, ServiceAccount, Namespace,
//! and the generic one for everything else; events; name-prefix matching; `tabbedString`'s
//! tab writer `(0, 8, 2, ' ', 0)`.

use crate::engine::sort::SliceSort;
use std::collections::BTreeMap;

use serde_json::Value;

use super::{parse_flags, rfc1123z, select, Failure, Kubectl, R};
use crate::kube::cluster::ListOptions;
use crate::kube::object::{self, get_path, str_path};
use crate::kube::resources::ResourceInfo;
use crate::kube::selector::{format_label_selector, format_labels};
use crate::kube::time::human_duration;
use crate::shell::flags::{self, Flag};
use crate::shell::io::Ctx;
use crate::shell::tabwriter::{tabwrite, Settings};

const FLAGS: &[Flag] = &[
    flags::v("selector", Some('l')),
    flags::b("all-namespaces", Some('A')),
    flags::opt("show-events", None, "true"),
    flags::v("filename", Some('f')),
    flags::b("recursive", Some('R')),
    flags::v("chunk-size", None),
];

const DESCRIBE: Settings = Settings {
    minwidth: 0,
    padding: 2,
};

/// kubectl's prefix writer: two spaces per level, terminal escapes neutralized.
struct W {
    buf: String,
}

impl W {
    fn w(&mut self, level: usize, s: &str) {
        for _ in 0..level {
            self.buf.push_str("  ");
        }
        self.buf
            .push_str(&s.replace('\x1b', "^[").replace('\r', "\\r"));
    }
    fn line(&mut self, s: &str) {
        self.w(0, s);
        self.buf.push('\n');
    }
}

/// What describing needs besides the object.
struct Cx<'a, 'b> {
    k: &'a mut Kubectl<'b>,
    now: i64,
    offset: i32,
    events: bool,
}

/// `kubectl describe`.
pub(super) fn describe(k: &mut Kubectl, args: &[String], ctx: &mut Ctx) -> R<i32> {
    let p = parse_flags(k, args, FLAGS)?;
    let all_ns = p.bool("all-namespaces");
    let selector = p.get("selector").unwrap_or("").to_string();
    let reg = k.registry()?;
    if p.args.is_empty() && p.all("filename").is_empty() {
        return Err(Failure::Raw("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n".into()));
    }
    let explicit_events = p.has("show-events");
    let mut show_events = p.get("show-events").map(|v| v == "true").unwrap_or(true);
    let mut targets: Vec<(ResourceInfo, Value)> = Vec::new();
    let mut errors: Vec<Failure> = Vec::new();
    let files = p.all("filename");
    let sel = if files.is_empty() {
        Some(select(&reg, &p.args, false)?)
    } else {
        for d in super::cmds::read_manifests(k, &files)? {
            let Some(info) = super::info_of(&reg, &d) else {
                continue;
            };
            let saved = k.namespace.clone();
            if !object::namespace(&d).is_empty() {
                k.namespace = object::namespace(&d).to_string();
            }
            match k.get(&info, object::name(&d)) {
                Ok(o) => targets.push((info, o)),
                Err(e) => errors.push(e),
            }
            k.namespace = saved;
        }
        None
    };
    if let Some(sel) = &sel {
        for (info, names) in &sel.items {
            match names {
                None => {
                    let opts = ListOptions {
                        label_selector: selector.clone(),
                        field_selector: String::new(),
                    };
                    match k.list(info, all_ns, &opts) {
                        Ok(items) => targets.extend(items.into_iter().map(|o| (info.clone(), o))),
                        Err(e) => errors.push(e),
                    }
                }
                Some(names) => {
                    for n in names {
                        match k.get(info, n) {
                            Ok(o) => targets.push((info.clone(), o)),
                            Err(e) => errors.push(e),
                        }
                    }
                }
            }
        }
    }
    if (!errors.is_empty() || targets.len() > 1) && !explicit_events {
        show_events = false;
    }
    let now = k.sh.now().0;
    let offset = k.sh.env.clock.now().offset;
    // `kubectl describe TYPE PREFIX`: when the name is not found, describe every object whose
    // name starts with it.
    if let (Some(sel), [_, prefix]) = (&sel, p.args.as_slice()) {
        if targets.is_empty()
            && errors.len() == 1
            && matches!(&errors[0], Failure::Api(a) if a.is_not_found())
        {
            if let Some((info, _)) = sel.items.first() {
                let items = k.list(info, false, &ListOptions::default())?;
                let matching: Vec<Value> = items
                    .into_iter()
                    .filter(|o| object::name(o).starts_with(prefix.as_str()))
                    .collect();
                if matching.is_empty() {
                    return Err(errors.remove(0));
                }
                let mut cx = Cx {
                    k,
                    now,
                    offset,
                    events: show_events,
                };
                for o in matching {
                    let s = describe_one(&mut cx, info, &o)?;
                    ctx.out(format!("{s}\n"));
                }
                return Ok(0);
            }
        }
    }
    let mut cx = Cx {
        k,
        now,
        offset,
        events: show_events,
    };
    let mut first = true;
    for (info, o) in &targets {
        let s = describe_one(&mut cx, info, o)?;
        if first {
            ctx.out(s);
            first = false;
        } else {
            ctx.out(format!("\n\n{s}"));
        }
    }
    if targets.is_empty() && errors.is_empty() {
        if all_ns {
            ctx.err("No resources found\n");
        } else {
            ctx.err(format!(
                "No resources found in {} namespace.\n",
                cx.k.namespace
            ));
        }
    }
    if errors.is_empty() {
        Ok(0)
    } else {
        let mut text = String::new();
        for e in errors {
            match e {
                Failure::Api(a) => text.push_str(&a.kubectl_text()),
                Failure::Client(m) => text.push_str(&format!("error: {m}\n")),
                Failure::Raw(r) => text.push_str(&r),
            }
        }
        Err(Failure::Raw(text))
    }
}

fn describe_one(cx: &mut Cx, info: &ResourceInfo, o: &Value) -> R<String> {
    let mut w = W { buf: String::new() };
    match (info.group.as_str(), info.kind.as_str()) {
        ("", "Pod") => describe_pod(cx, o, &mut w)?,
        ("apps", "Deployment") => describe_deployment(cx, o, &mut w)?,
        ("apps", "ReplicaSet") => describe_replicaset(cx, o, &mut w)?,
        ("", "Service") => describe_service(cx, o, &mut w)?,
        ("", "Secret") => describe_secret(o, &mut w),
        ("", "ConfigMap") => describe_configmap(cx, o, &mut w)?,
        ("batch", "Job") => describe_job(cx, o, &mut w)?,
        ("", "ServiceAccount") => describe_service_account(cx, o, &mut w)?,
        ("", "Namespace") => describe_namespace(cx, o, &mut w)?,
        _ => describe_generic(cx, o, &mut w)?,
    }
    Ok(tabwrite(&w.buf, DESCRIBE))
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    str_path(v, path)
}

fn int(v: &Value, path: &[&str]) -> i64 {
    object::int_path(v, path).unwrap_or(0)
}

fn arr<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get_path(v, path)
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or(&[])
}

fn map_at(v: &Value, path: &[&str]) -> BTreeMap<String, String> {
    object::string_map_at(v, path)
}

/// `printLabelsMultiline`.
fn labels_multiline(w: &mut W, title: &str, labels: &BTreeMap<String, String>) {
    labels_multiline_indent(w, "", title, "\t", labels);
}

fn labels_multiline_indent(
    w: &mut W,
    initial: &str,
    title: &str,
    inner: &str,
    labels: &BTreeMap<String, String>,
) {
    w.w(0, &format!("{initial}{title}:{inner}"));
    if labels.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.w(0, initial);
            w.w(0, inner);
        }
        w.w(0, &format!("{k}={v}\n"));
    }
}

/// `printAnnotationsMultiline` (last-applied-configuration skipped, long or multi-line values
/// shortened to 140 characters per line).
fn annotations_multiline(w: &mut W, title: &str, ann: &BTreeMap<String, String>) {
    w.w(0, &format!("{title}:\t"));
    let keys: Vec<&String> = ann
        .keys()
        .filter(|k| *k != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    let indent = "\t";
    for (i, k) in keys.iter().enumerate() {
        if i != 0 {
            w.w(0, indent);
        }
        let value = ann[*k].strip_suffix('\n').unwrap_or(&ann[*k]);
        if value.len() + k.len() + 2 > 140 || value.contains('\n') {
            w.w(0, &format!("{k}:\n"));
            for line in value.split('\n') {
                let short = if line.len() > 138 {
                    let mut end = 138;
                    while !line.is_char_boundary(end) {
                        end -= 1;
                    }
                    format!("{}...", &line[..end])
                } else {
                    line.to_string()
                };
                w.w(0, &format!("{indent}  {short}\n"));
            }
        } else {
            w.w(0, &format!("{k}: {value}\n"));
        }
    }
}

fn controlled_by(o: &Value) -> Option<String> {
    object::controller_of(o).map(|r| format!("{}/{}", r.kind, r.name))
}

fn since(cx: &Cx, t: &str) -> String {
    match crate::kube::time::Time::parse_rfc3339(t) {
        Some(tt) => human_duration(cx.now - tt.0),
        None => "<unknown>".into(),
    }
}

fn time_str(cx: &Cx, t: &str) -> String {
    match crate::kube::time::Time::parse_rfc3339(t) {
        Some(tt) => rfc1123z(tt.0, cx.offset),
        None => t.to_string(),
    }
}

/// The events about an object (`searchEvents`), oldest first.
fn events_for(cx: &mut Cx, o: &Value) -> R<Option<Vec<Value>>> {
    if !cx.events {
        return Ok(None);
    }
    let ns = object::namespace(o).to_string();
    let fs = format!(
        "involvedObject.name={},involvedObject.namespace={},involvedObject.kind={},involvedObject.uid={}",
        object::name(o),
        ns,
        object::kind(o),
        object::uid(o)
    );
    let info = crate::kube::resources::builtin_by_plural("", "events");
    let Some(info) = info else {
        return Ok(Some(Vec::new()));
    };
    let saved = cx.k.namespace.clone();
    cx.k.namespace = if ns.is_empty() { "default".into() } else { ns };
    let r = cx.k.list(
        &info,
        false,
        &ListOptions {
            label_selector: String::new(),
            field_selector: fs,
        },
    );
    cx.k.namespace = saved;
    let mut evs = r.unwrap_or_default();
    evs.sort_stable_by_key(|e| {
        let t = s(e, &["lastTimestamp"]);
        if t.is_empty() {
            s(e, &["eventTime"]).to_string()
        } else {
            t.to_string()
        }
    });
    Ok(Some(evs))
}

/// `DescribeEvents`.
fn describe_events(cx: &Cx, evs: &[Value], w: &mut W) {
    if evs.is_empty() {
        w.w(0, "Events:\t<none>\n");
        return;
    }
    w.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.w(1, "----\t------\t----\t----\t-------\n");
    for e in evs {
        let first = {
            let et = s(e, &["eventTime"]);
            if et.is_empty() {
                since(cx, s(e, &["firstTimestamp"]))
            } else {
                since(cx, et)
            }
        };
        let count = int(e, &["count"]);
        let interval = if get_path(e, &["series"]).is_some_and(|v| !v.is_null()) {
            format!(
                "{} (x{} over {first})",
                since(cx, s(e, &["series", "lastObservedTime"])),
                int(e, &["series", "count"])
            )
        } else if count > 1 {
            format!(
                "{} (x{count} over {first})",
                since(cx, s(e, &["lastTimestamp"]))
            )
        } else {
            first
        };
        let mut source = s(e, &["source", "component"]).to_string();
        if source.is_empty() {
            source = s(e, &["reportingComponent"]).to_string();
        }
        let mut message = s(e, &["message"]).trim().to_string();
        let fp = s(e, &["involvedObject", "fieldPath"]);
        if !fp.is_empty() {
            message = format!("{fp}: {message}");
        }
        w.w(
            1,
            &format!(
                "{}\t{}\t{interval}\t{source}\t{message}\n",
                s(e, &["type"]),
                s(e, &["reason"])
            ),
        );
    }
}

fn bool_word(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// An `IntOrString` as Go's `String()` prints it.
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => "0".into(),
    }
}

/// `DescribeProbe`.
fn probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        int(p, &["initialDelaySeconds"]),
        int(p, &["timeoutSeconds"]),
        int(p, &["periodSeconds"]),
        int(p, &["successThreshold"]),
        int(p, &["failureThreshold"])
    );
    if let Some(ex) = get_path(p, &["exec"]) {
        let cmd: Vec<&str> = arr(ex, &["command"])
            .iter()
            .filter_map(Value::as_str)
            .collect();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = get_path(p, &["httpGet"]) {
        let scheme = s(h, &["scheme"]).to_lowercase();
        let port = int_or_string(get_path(h, &["port"]));
        let hostname = s(h, &["host"]);
        let host = if port.is_empty() {
            hostname.to_string()
        } else if hostname.contains(':') {
            format!("[{hostname}]:{port}")
        } else {
            format!("{hostname}:{port}")
        };
        let mut url = String::new();
        if !scheme.is_empty() {
            url.push_str(&scheme);
            url.push(':');
        }
        if !scheme.is_empty() || !host.is_empty() {
            url.push_str("//");
            url.push_str(&host);
        }
        let path = s(h, &["path"]);
        if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
            url.push('/');
        }
        url.push_str(path);
        return format!("http-get {url} {attrs}");
    }
    if let Some(t) = get_path(p, &["tcpSocket"]) {
        return format!(
            "tcp-socket {}:{} {attrs}",
            s(t, &["host"]),
            int_or_string(get_path(t, &["port"]))
        );
    }
    if let Some(g) = get_path(p, &["grpc"]) {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            int(g, &["port"]),
            s(g, &["service"])
        );
    }
    format!("unknown {attrs}")
}

fn ports_string(ports: &[Value], host: bool) -> String {
    ports
        .iter()
        .map(|p| {
            let num = if host {
                int(p, &["hostPort"])
            } else {
                int(p, &["containerPort"])
            };
            let mut s2 = format!("{num}/{}", s(p, &["protocol"]));
            let name = s(p, &["name"]);
            if !name.is_empty() {
                s2 = format!("{s2} ({name})");
            }
            s2
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s.to_string()
    }
}

fn resources(r: Option<&Value>, w: &mut W, level: usize) {
    let Some(r) = r else { return };
    for (title, key) in [("Limits", "limits"), ("Requests", "requests")] {
        let m = map_at(r, &[key]);
        if m.is_empty() {
            continue;
        }
        w.w(level, &format!("{title}:\n"));
        for (k, v) in m {
            w.w(level + 1, &format!("{k}:\t{v}\n"));
        }
    }
}

fn describe_status(cx: &Cx, name: &str, state: &Value, w: &mut W) {
    if let Some(r) = get_path(state, &["running"]) {
        w.w(2, &format!("{name}:\tRunning\n"));
        w.w(
            3,
            &format!("Started:\t{}\n", time_str(cx, s(r, &["startedAt"]))),
        );
    } else if let Some(wt) = get_path(state, &["waiting"]) {
        w.w(2, &format!("{name}:\tWaiting\n"));
        let reason = s(wt, &["reason"]);
        if !reason.is_empty() {
            w.w(3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(t) = get_path(state, &["terminated"]) {
        w.w(2, &format!("{name}:\tTerminated\n"));
        let reason = s(t, &["reason"]);
        if !reason.is_empty() {
            w.w(3, &format!("Reason:\t{reason}\n"));
        }
        let msg = s(t, &["message"]);
        if !msg.is_empty() {
            w.w(3, &format!("Message:\t{msg}\n"));
        }
        w.w(3, &format!("Exit Code:\t{}\n", int(t, &["exitCode"])));
        let sig = int(t, &["signal"]);
        if sig > 0 {
            w.w(3, &format!("Signal:\t{sig}\n"));
        }
        w.w(
            3,
            &format!("Started:\t{}\n", time_str(cx, s(t, &["startedAt"]))),
        );
        w.w(
            3,
            &format!("Finished:\t{}\n", time_str(cx, s(t, &["finishedAt"]))),
        );
    } else {
        w.w(2, &format!("{name}:\tWaiting\n"));
    }
}

/// `describeContainers`.
fn describe_containers(
    cx: &Cx,
    label: &str,
    containers: &[Value],
    statuses: Option<&[Value]>,
    pod: Option<&Value>,
    w: &mut W,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.w(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let name = s(c, &["name"]);
        let status = statuses.and_then(|st| st.iter().find(|x| s(x, &["name"]) == name));
        w.w(1, &format!("{name_indent}{name}:\n"));
        if let Some(st) = status {
            w.w(2, &format!("Container ID:\t{}\n", s(st, &["containerID"])));
        }
        w.w(2, &format!("Image:\t{}\n", s(c, &["image"])));
        if let Some(st) = status {
            w.w(2, &format!("Image ID:\t{}\n", s(st, &["imageID"])));
        }
        let ports = arr(c, &["ports"]);
        let ps = ports_string(ports, false);
        if ps.contains(',') {
            w.w(2, &format!("Ports:\t{ps}\n"));
        } else {
            w.w(2, &format!("Port:\t{}\n", or_none(&ps)));
        }
        let hps = ports_string(ports, true);
        if hps.contains(',') {
            w.w(2, &format!("Host Ports:\t{hps}\n"));
        } else {
            w.w(2, &format!("Host Port:\t{}\n", or_none(&hps)));
        }
        if let Some(sp) = get_path(c, &["securityContext", "seccompProfile"]) {
            w.w(2, &format!("SeccompProfile:\t{}\n", s(sp, &["type"])));
            if s(sp, &["type"]) == "Localhost" {
                w.w(
                    3,
                    &format!("LocalhostProfile:\t{}\n", s(sp, &["localhostProfile"])),
                );
            }
        }
        for (title, key) in [("Command", "command"), ("Args", "args")] {
            let items = arr(c, &[key]);
            if !items.is_empty() {
                w.w(2, &format!("{title}:\n"));
                for it in items {
                    for line in it.as_str().unwrap_or("").split('\n') {
                        w.w(3, &format!("{line}\n"));
                    }
                }
            }
        }
        if let Some(st) = status {
            describe_status(cx, "State", st.get("state").unwrap_or(&Value::Null), w);
            if let Some(last) = get_path(st, &["lastState"]) {
                if get_path(last, &["terminated"]).is_some() {
                    describe_status(cx, "Last State", last, w);
                }
            }
            w.w(
                2,
                &format!(
                    "Ready:\t{}\n",
                    bool_word(st.get("ready") == Some(&Value::Bool(true)))
                ),
            );
            w.w(
                2,
                &format!("Restart Count:\t{}\n", int(st, &["restartCount"])),
            );
        }
        resources(c.get("resources"), w, 2);
        for (title, key) in [
            ("Liveness", "livenessProbe"),
            ("Readiness", "readinessProbe"),
            ("Startup", "startupProbe"),
        ] {
            if let Some(p) = c.get(key) {
                w.w(2, &format!("{title}:\t{}\n", probe(p)));
            }
        }
        let env_from = arr(c, &["envFrom"]);
        if !env_from.is_empty() {
            w.w(2, "Environment Variables from:\n");
            for e in env_from {
                let (from, name, optional) = if let Some(r) = e.get("configMapRef") {
                    (
                        "ConfigMap",
                        s(r, &["name"]),
                        r.get("optional") == Some(&Value::Bool(true)),
                    )
                } else if let Some(r) = e.get("secretRef") {
                    (
                        "Secret",
                        s(r, &["name"]),
                        r.get("optional") == Some(&Value::Bool(true)),
                    )
                } else {
                    ("", "", false)
                };
                let prefix = s(e, &["prefix"]);
                if prefix.is_empty() {
                    w.w(3, &format!("{name}\t{from}\tOptional: {optional}\n"));
                } else {
                    w.w(
                        3,
                        &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"),
                    );
                }
            }
        }
        let env = arr(c, &["env"]);
        w.w(
            2,
            &format!(
                "Environment:{}\n",
                if env.is_empty() { "\t<none>" } else { "" }
            ),
        );
        for e in env {
            let name = s(e, &["name"]);
            match e.get("valueFrom") {
                None => {
                    for (i, line) in s(e, &["value"]).split('\n').enumerate() {
                        if i == 0 {
                            w.w(3, &format!("{name}:\t{line}\n"));
                        } else {
                            w.w(3, &format!("\t{line}\n"));
                        }
                    }
                }
                Some(vf) => {
                    if let Some(f) = vf.get("fieldRef") {
                        let fp = s(f, &["fieldPath"]);
                        let value = pod.map(|p| field_value(p, fp)).unwrap_or_default();
                        w.w(
                            3,
                            &format!("{name}:\t{value} ({}:{fp})\n", s(f, &["apiVersion"])),
                        );
                    } else if let Some(r) = vf.get("resourceFieldRef") {
                        w.w(3, &format!("{name}:\t ({})\n", s(r, &["resource"])));
                    } else if let Some(r) = vf.get("secretKeyRef") {
                        let optional = r.get("optional") == Some(&Value::Bool(true));
                        w.w(3, &format!("{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {optional}\n", s(r, &["key"]), s(r, &["name"])));
                    } else if let Some(r) = vf.get("configMapKeyRef") {
                        let optional = r.get("optional") == Some(&Value::Bool(true));
                        w.w(3, &format!("{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {optional}\n", s(r, &["key"]), s(r, &["name"])));
                    }
                }
            }
        }
        let mut mounts: Vec<&Value> = arr(c, &["volumeMounts"]).iter().collect();
        w.w(
            2,
            &format!(
                "Mounts:{}\n",
                if mounts.is_empty() { "\t<none>" } else { "" }
            ),
        );
        mounts.sort_stable_by(|a, b| s(a, &["mountPath"]).cmp(s(b, &["mountPath"])));
        for m in mounts {
            let mut flags = vec![if m.get("readOnly") == Some(&Value::Bool(true)) {
                "ro".to_string()
            } else {
                "rw".to_string()
            }];
            let sub = s(m, &["subPath"]);
            if !sub.is_empty() {
                flags.push(format!("path={}", crate::kube::gofmt::quote(sub)));
            }
            w.w(
                3,
                &format!(
                    "{} from {} ({})\n",
                    s(m, &["mountPath"]),
                    s(m, &["name"]),
                    flags.join(",")
                ),
            );
        }
    }
}

/// The value a `fieldRef` env var resolves to for a pod.
fn field_value(pod: &Value, fp: &str) -> String {
    match fp {
        "metadata.name" => object::name(pod).to_string(),
        "metadata.namespace" => object::namespace(pod).to_string(),
        "metadata.uid" => object::uid(pod).to_string(),
        "spec.nodeName" => s(pod, &["spec", "nodeName"]).to_string(),
        "spec.serviceAccountName" => s(pod, &["spec", "serviceAccountName"]).to_string(),
        "status.hostIP" => s(pod, &["status", "hostIP"]).to_string(),
        "status.podIP" => s(pod, &["status", "podIP"]).to_string(),
        other => {
            if let Some(k) = other
                .strip_prefix("metadata.labels['")
                .and_then(|r| r.strip_suffix("']"))
            {
                return object::labels(pod).get(k).cloned().unwrap_or_default();
            }
            if let Some(k) = other
                .strip_prefix("metadata.annotations['")
                .and_then(|r| r.strip_suffix("']"))
            {
                return object::annotations(pod).get(k).cloned().unwrap_or_default();
            }
            String::new()
        }
    }
}

/// `describeVolumes`.
fn describe_volumes(vols: &[Value], w: &mut W, space: &str) {
    if vols.is_empty() {
        w.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.w(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        w.w(1, &format!("{name_indent}{}:\n", s(v, &["name"])));
        let opt = |x: &Value| x.get("optional") == Some(&Value::Bool(true));
        if let Some(cm) = v.get("configMap") {
            w.w(2, &format!("Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n", s(cm, &["name"]), opt(cm)));
        } else if let Some(sec) = v.get("secret") {
            w.w(2, &format!("Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n", s(sec, &["secretName"]), opt(sec)));
        } else if let Some(ed) = v.get("emptyDir") {
            let size = s(ed, &["sizeLimit"]);
            w.w(2, &format!("Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{}\n", s(ed, &["medium"]), if size.is_empty() || size == "0" { "<unset>" } else { size }));
        } else if let Some(hp) = v.get("hostPath") {
            let t = s(hp, &["type"]);
            w.w(2, &format!("Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n", s(hp, &["path"]), if hp.get("type").is_some() { t } else { "<none>" }));
        } else if let Some(pvc) = v.get("persistentVolumeClaim") {
            w.w(2, &format!("Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n", s(pvc, &["claimName"]), pvc.get("readOnly") == Some(&Value::Bool(true))));
        } else if let Some(pr) = v.get("projected") {
            w.w(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for src in arr(pr, &["sources"]) {
                if let Some(sec) = src.get("secret") {
                    w.w(
                        2,
                        &format!(
                            "SecretName:\t{}\n    Optional:\t{}\n",
                            s(sec, &["name"]),
                            opt(sec)
                        ),
                    );
                } else if src.get("downwardAPI").is_some() {
                    w.w(2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = src.get("configMap") {
                    w.w(
                        2,
                        &format!(
                            "ConfigMapName:\t{}\n    Optional:\t{}\n",
                            s(cm, &["name"]),
                            opt(cm)
                        ),
                    );
                } else if let Some(t) = src.get("serviceAccountToken") {
                    w.w(
                        2,
                        &format!(
                            "TokenExpirationSeconds:\t{}\n",
                            int(t, &["expirationSeconds"])
                        ),
                    );
                }
            }
        } else if let Some(d) = v.get("downwardAPI") {
            w.w(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
            for it in arr(d, &["items"]) {
                if let Some(f) = it.get("fieldRef") {
                    w.w(
                        3,
                        &format!("{} -> {}\n", s(f, &["fieldPath"]), s(it, &["path"])),
                    );
                }
                if let Some(r) = it.get("resourceFieldRef") {
                    w.w(
                        3,
                        &format!("{} -> {}\n", s(r, &["resource"]), s(it, &["path"])),
                    );
                }
            }
        } else {
            w.w(1, "<unknown>\n");
        }
    }
}

/// `printTolerationsMultilineWithIndent`.
fn tolerations(w: &mut W, initial: &str, title: &str, tols: &[Value]) {
    w.w(0, &format!("{initial}{title}:\t"));
    if tols.is_empty() {
        w.line("<none>");
        return;
    }
    let mut tols: Vec<&Value> = tols.iter().collect();
    tols.sort_stable_by(|a, b| s(a, &["key"]).cmp(s(b, &["key"])));
    for (i, t) in tols.iter().enumerate() {
        if i != 0 {
            w.w(0, initial);
            w.w(0, "\t");
        }
        let key = s(t, &["key"]);
        let value = s(t, &["value"]);
        let effect = s(t, &["effect"]);
        let mut line = key.to_string();
        if !value.is_empty() {
            line.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            line.push_str(&format!(":{effect}"));
        }
        if s(t, &["operator"]) == "Exists" && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                line.push_str(" op=Exists");
            } else {
                line.push_str("op=Exists");
            }
        }
        if let Some(secs) = object::int_path(t, &["tolerationSeconds"]) {
            line.push_str(&format!(" for {secs}s"));
        }
        w.w(0, &format!("{line}\n"));
    }
}

/// `qos.GetPodQOS`.
fn qos(pod: &Value) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    let mut containers: Vec<&Value> = arr(pod, &["spec", "containers"]).iter().collect();
    containers.extend(arr(pod, &["spec", "initContainers"]).iter());
    for c in containers {
        let req = map_at(c, &["resources", "requests"]);
        let lim = map_at(c, &["resources", "limits"]);
        let relevant = |m: &BTreeMap<String, String>| {
            m.iter()
                .filter(|(k, v)| {
                    (k.as_str() == "cpu" || k.as_str() == "memory") && v.as_str() != "0"
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<String, String>>()
        };
        let (r, l) = (relevant(&req), relevant(&lim));
        if !r.is_empty() || !l.is_empty() {
            any = true;
        }
        if l.len() < 2 {
            guaranteed = false;
        }
        for (k, v) in &r {
            if l.get(k) != Some(v) {
                guaranteed = false;
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn describe_pod(cx: &mut Cx, pod: &Value, w: &mut W) -> R<()> {
    let evs = events_for(cx, pod)?;
    w.w(0, &format!("Name:\t{}\n", object::name(pod)));
    w.w(0, &format!("Namespace:\t{}\n", object::namespace(pod)));
    if let Some(p) = object::int_path(pod, &["spec", "priority"]) {
        w.w(0, &format!("Priority:\t{p}\n"));
    }
    let pcn = s(pod, &["spec", "priorityClassName"]);
    if !pcn.is_empty() {
        w.w(0, &format!("Priority Class Name:\t{pcn}\n"));
    }
    let rcn = s(pod, &["spec", "runtimeClassName"]);
    if !rcn.is_empty() {
        w.w(0, &format!("Runtime Class Name:\t{rcn}\n"));
    }
    let sa = s(pod, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(0, &format!("Service Account:\t{sa}\n"));
    }
    let node = s(pod, &["spec", "nodeName"]);
    if node.is_empty() {
        w.w(0, "Node:\t<none>\n");
    } else {
        w.w(
            0,
            &format!("Node:\t{node}/{}\n", s(pod, &["status", "hostIP"])),
        );
    }
    let st = s(pod, &["status", "startTime"]);
    if !st.is_empty() {
        w.w(0, &format!("Start Time:\t{}\n", time_str(cx, st)));
    }
    labels_multiline(w, "Labels", &object::labels(pod));
    annotations_multiline(w, "Annotations", &object::annotations(pod));
    let phase = s(pod, &["status", "phase"]);
    let deletion = s(pod, &["metadata", "deletionTimestamp"]);
    if !deletion.is_empty() && phase != "Failed" && phase != "Succeeded" {
        w.w(
            0,
            &format!("Status:\tTerminating (lasts {})\n", since(cx, deletion)),
        );
        w.w(
            0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                int(pod, &["metadata", "deletionGracePeriodSeconds"])
            ),
        );
    } else {
        w.w(0, &format!("Status:\t{phase}\n"));
    }
    for (t, key) in [("Reason", "reason"), ("Message", "message")] {
        let v = s(pod, &["status", key]);
        if !v.is_empty() {
            w.w(0, &format!("{t}:\t{v}\n"));
        }
    }
    if let Some(sp) = get_path(pod, &["spec", "securityContext", "seccompProfile"]) {
        w.w(0, &format!("SeccompProfile:\t{}\n", s(sp, &["type"])));
        if s(sp, &["type"]) == "Localhost" {
            w.w(
                0,
                &format!("LocalhostProfile:\t{}\n", s(sp, &["localhostProfile"])),
            );
        }
    }
    w.w(0, &format!("IP:\t{}\n", s(pod, &["status", "podIP"])));
    let ips = arr(pod, &["status", "podIPs"]);
    if ips.is_empty() {
        w.w(0, "IPs:\t<none>\n");
    } else {
        w.w(0, "IPs:\n");
        for ip in ips {
            w.w(1, &format!("IP:\t{}\n", s(ip, &["ip"])));
        }
    }
    if let Some(c) = controlled_by(pod) {
        w.w(0, &format!("Controlled By:\t{c}\n"));
    }
    let nn = s(pod, &["status", "nominatedNodeName"]);
    if !nn.is_empty() {
        w.w(0, &format!("NominatedNodeName:\t{nn}\n"));
    }
    if let Some(r) = get_path(pod, &["spec", "resources"]) {
        w.w(0, "Resources:\n");
        resources(Some(r), w, 1);
    }
    let inits = arr(pod, &["spec", "initContainers"]);
    if !inits.is_empty() {
        describe_containers(
            cx,
            "Init Containers",
            inits,
            Some(arr(pod, &["status", "initContainerStatuses"])),
            Some(pod),
            w,
            "",
        );
    }
    describe_containers(
        cx,
        "Containers",
        arr(pod, &["spec", "containers"]),
        Some(arr(pod, &["status", "containerStatuses"])),
        Some(pod),
        w,
        "",
    );
    let gates = arr(pod, &["spec", "readinessGates"]);
    if !gates.is_empty() {
        w.w(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let ct = s(g, &["conditionType"]);
            let status = arr(pod, &["status", "conditions"])
                .iter()
                .find(|c| s(c, &["type"]) == ct)
                .map(|c| s(c, &["status"]).to_string())
                .unwrap_or_else(|| "<none>".into());
            w.w(1, &format!("{ct} \t{status} \n"));
        }
    }
    let conds = arr(pod, &["status", "conditions"]);
    if !conds.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in conds {
            w.w(
                1,
                &format!("{} \t{} \n", s(c, &["type"]), s(c, &["status"])),
            );
        }
    }
    describe_volumes(arr(pod, &["spec", "volumes"]), w, "");
    w.w(0, &format!("QoS Class:\t{}\n", qos(pod)));
    labels_multiline(w, "Node-Selectors", &map_at(pod, &["spec", "nodeSelector"]));
    tolerations(w, "", "Tolerations", arr(pod, &["spec", "tolerations"]));
    if let Some(evs) = evs {
        describe_events(cx, &evs, w);
    }
    Ok(())
}

/// `DescribePodTemplate`.
fn describe_pod_template(cx: &Cx, t: &Value, w: &mut W) {
    w.w(0, "Pod Template:\n");
    labels_multiline(w, "  Labels", &map_at(t, &["metadata", "labels"]));
    let ann = map_at(t, &["metadata", "annotations"]);
    if !ann.is_empty() {
        annotations_multiline(w, "  Annotations", &ann);
    }
    let sa = s(t, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(1, &format!("Service Account:\t{sa}\n"));
    }
    let inits = arr(t, &["spec", "initContainers"]);
    if !inits.is_empty() {
        describe_containers(cx, "Init Containers", inits, None, None, w, "  ");
    }
    describe_containers(
        cx,
        "Containers",
        arr(t, &["spec", "containers"]),
        None,
        None,
        w,
        "  ",
    );
    describe_volumes(arr(t, &["spec", "volumes"]), w, "  ");
    let pcn = s(t, &["spec", "priorityClassName"]);
    if !pcn.is_empty() {
        w.w(1, &format!("Priority Class Name:\t{pcn}\n"));
    }
    labels_multiline(w, "  Node-Selectors", &map_at(t, &["spec", "nodeSelector"]));
    tolerations(w, "  ", "Tolerations", arr(t, &["spec", "tolerations"]));
}

fn conditions_table(o: &Value, w: &mut W) {
    let conds = arr(o, &["status", "conditions"]);
    if conds.is_empty() {
        return;
    }
    w.w(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.w(1, "----\t------\t------\n");
    for c in conds {
        w.w(
            1,
            &format!(
                "{} \t{}\t{}\n",
                s(c, &["type"]),
                s(c, &["status"]),
                s(c, &["reason"])
            ),
        );
    }
}

/// The ReplicaSets a Deployment owns: (old ones with pods or history, the new one).
fn replicasets_of(cx: &mut Cx, d: &Value) -> R<(Vec<Value>, Option<Value>)> {
    let Some(info) = crate::kube::resources::builtin_by_plural("apps", "replicasets") else {
        return Ok((Vec::new(), None));
    };
    let saved = cx.k.namespace.clone();
    cx.k.namespace = object::namespace(d).to_string();
    let all = cx.k.list(&info, false, &ListOptions::default());
    cx.k.namespace = saved;
    let uid = object::uid(d);
    let mut owned: Vec<Value> = all?
        .into_iter()
        .filter(|rs| object::controller_of(rs).is_some_and(|r| r.uid == uid))
        .collect();
    owned.sort_stable_by_key(|rs| object::creation_timestamp(rs).map(|t| t.0).unwrap_or(0));
    // the new ReplicaSet has the deployment's template (ignoring pod-template-hash)
    let strip = |t: &Value| {
        let mut t = t.clone();
        if let Some(Value::Object(l)) = t.get_mut("metadata").and_then(|m| m.get_mut("labels")) {
            l.shift_remove("pod-template-hash");
        }
        t
    };
    let want = strip(get_path(d, &["spec", "template"]).unwrap_or(&Value::Null));
    let new_idx = owned
        .iter()
        .position(|rs| strip(get_path(rs, &["spec", "template"]).unwrap_or(&Value::Null)) == want);
    let new = new_idx.map(|i| owned.remove(i));
    Ok((owned, new))
}

fn rs_list(rss: &[&Value]) -> String {
    let v: Vec<String> = rss
        .iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                object::name(rs),
                int(rs, &["status", "replicas"]),
                int(rs, &["spec", "replicas"])
            )
        })
        .collect();
    if v.is_empty() {
        "<none>".into()
    } else {
        v.join(", ")
    }
}

fn describe_deployment(cx: &mut Cx, d: &Value, w: &mut W) -> R<()> {
    let evs = events_for(cx, d)?;
    let (old, new) = replicasets_of(cx, d)?;
    w.w(0, &format!("Name:\t{}\n", object::name(d)));
    w.w(0, &format!("Namespace:\t{}\n", object::namespace(d)));
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            time_str(cx, s(d, &["metadata", "creationTimestamp"]))
        ),
    );
    labels_multiline(w, "Labels", &object::labels(d));
    annotations_multiline(w, "Annotations", &object::annotations(d));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(get_path(d, &["spec", "selector"]))
        ),
    );
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            int(d, &["spec", "replicas"]),
            int(d, &["status", "updatedReplicas"]),
            int(d, &["status", "replicas"]),
            int(d, &["status", "availableReplicas"]),
            int(d, &["status", "unavailableReplicas"])
        ),
    );
    w.w(
        0,
        &format!("StrategyType:\t{}\n", s(d, &["spec", "strategy", "type"])),
    );
    w.w(
        0,
        &format!(
            "MinReadySeconds:\t{}\n",
            int(d, &["spec", "minReadySeconds"])
        ),
    );
    if let Some(ru) = get_path(d, &["spec", "strategy", "rollingUpdate"]) {
        w.w(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(ru.get("maxUnavailable")),
                int_or_string(ru.get("maxSurge"))
            ),
        );
    }
    describe_pod_template(
        cx,
        get_path(d, &["spec", "template"]).unwrap_or(&Value::Null),
        w,
    );
    conditions_table(d, w);
    if !old.is_empty() || new.is_some() {
        // kubectl lists old ReplicaSets that still have pods (FindOldReplicaSets' "old" list is
        // every other one; describe shows them all).
        let olds: Vec<&Value> = old.iter().collect();
        w.w(0, &format!("OldReplicaSets:\t{}\n", rs_list(&olds)));
        let news: Vec<&Value> = new.iter().collect();
        w.w(0, &format!("NewReplicaSet:\t{}\n", rs_list(&news)));
    }
    if let Some(evs) = evs {
        describe_events(cx, &evs, w);
    }
    Ok(())
}

/// Pods of a controller by phase: running, waiting, succeeded, failed.
fn pod_counts(
    cx: &mut Cx,
    owner: &Value,
    selector: Option<&Value>,
) -> R<(usize, usize, usize, usize)> {
    let Some(info) = crate::kube::resources::builtin_by_plural("", "pods") else {
        return Ok((0, 0, 0, 0));
    };
    let sel = crate::kube::selector::Selector::from_label_selector(selector)
        .map(|s| s.to_string())
        .unwrap_or_default();
    let saved = cx.k.namespace.clone();
    cx.k.namespace = object::namespace(owner).to_string();
    let pods = cx.k.list(
        &info,
        false,
        &ListOptions {
            label_selector: sel,
            field_selector: String::new(),
        },
    );
    cx.k.namespace = saved;
    let uid = object::uid(owner);
    let mut c = (0, 0, 0, 0);
    for p in pods? {
        if object::controller_of(&p).is_none_or(|r| r.uid != uid) {
            continue;
        }
        match s(&p, &["status", "phase"]) {
            "Running" => c.0 += 1,
            "Pending" => c.1 += 1,
            "Succeeded" => c.2 += 1,
            "Failed" => c.3 += 1,
            _ => {}
        }
    }
    Ok(c)
}

fn describe_replicaset(cx: &mut Cx, rs: &Value, w: &mut W) -> R<()> {
    let (r, wt, sc, f) = pod_counts(cx, rs, get_path(rs, &["spec", "selector"]))?;
    let evs = events_for(cx, rs)?;
    w.w(0, &format!("Name:\t{}\n", object::name(rs)));
    w.w(0, &format!("Namespace:\t{}\n", object::namespace(rs)));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(get_path(rs, &["spec", "selector"]))
        ),
    );
    labels_multiline(w, "Labels", &object::labels(rs));
    annotations_multiline(w, "Annotations", &object::annotations(rs));
    if let Some(c) = controlled_by(rs) {
        w.w(0, &format!("Controlled By:\t{c}\n"));
    }
    w.w(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            int(rs, &["status", "replicas"]),
            int(rs, &["spec", "replicas"])
        ),
    );
    w.w(0, "Pods Status:\t");
    w.w(
        0,
        &format!("{r} Running / {wt} Waiting / {sc} Succeeded / {f} Failed\n"),
    );
    describe_pod_template(
        cx,
        get_path(rs, &["spec", "template"]).unwrap_or(&Value::Null),
        w,
    );
    conditions_table(rs, w);
    if let Some(evs) = evs {
        describe_events(cx, &evs, w);
    }
    Ok(())
}

fn describe_job(cx: &mut Cx, job: &Value, w: &mut W) -> R<()> {
    let evs = events_for(cx, job)?;
    w.w(0, &format!("Name:\t{}\n", object::name(job)));
    w.w(0, &format!("Namespace:\t{}\n", object::namespace(job)));
    match crate::kube::selector::Selector::from_label_selector(get_path(job, &["spec", "selector"]))
    {
        Ok(sel) => w.w(0, &format!("Selector:\t{sel}\n")),
        Err(e) => w.w(0, &format!("Selector:\tFailed to get selector: {e}\n")),
    }
    labels_multiline(w, "Labels", &object::labels(job));
    annotations_multiline(w, "Annotations", &object::annotations(job));
    if let Some(c) = controlled_by(job) {
        w.w(0, &format!("Controlled By:\t{c}\n"));
    }
    if let Some(p) = object::int_path(job, &["spec", "parallelism"]) {
        w.w(0, &format!("Parallelism:\t{p}\n"));
    }
    match object::int_path(job, &["spec", "completions"]) {
        Some(c) => w.w(0, &format!("Completions:\t{c}\n")),
        None => w.w(0, "Completions:\t<unset>\n"),
    }
    let cm = s(job, &["spec", "completionMode"]);
    if !cm.is_empty() {
        w.w(0, &format!("Completion Mode:\t{cm}\n"));
    }
    if let Some(Value::Bool(b)) = get_path(job, &["spec", "suspend"]) {
        w.w(0, &format!("Suspend:\t{b}\n"));
    }
    if let Some(b) = object::int_path(job, &["spec", "backoffLimit"]) {
        w.w(0, &format!("Backoff Limit:\t{b}\n"));
    }
    if let Some(t) = object::int_path(job, &["spec", "ttlSecondsAfterFinished"]) {
        w.w(0, &format!("TTL Seconds After Finished:\t{t}\n"));
    }
    let start = s(job, &["status", "startTime"]);
    let done = s(job, &["status", "completionTime"]);
    if !start.is_empty() {
        w.w(0, &format!("Start Time:\t{}\n", time_str(cx, start)));
    }
    if !done.is_empty() {
        w.w(0, &format!("Completed At:\t{}\n", time_str(cx, done)));
    }
    if let (Some(a), Some(b)) = (
        crate::kube::time::Time::parse_rfc3339(start),
        crate::kube::time::Time::parse_rfc3339(done),
    ) {
        w.w(0, &format!("Duration:\t{}\n", human_duration(b.0 - a.0)));
    }
    if let Some(a) = object::int_path(job, &["spec", "activeDeadlineSeconds"]) {
        w.w(0, &format!("Active Deadline Seconds:\t{a}s\n"));
    }
    let (active, succ, failed) = (
        int(job, &["status", "active"]),
        int(job, &["status", "succeeded"]),
        int(job, &["status", "failed"]),
    );
    match object::int_path(job, &["status", "ready"]) {
        None => w.w(0, &format!("Pods Statuses:\t{active} Active / {succ} Succeeded / {failed} Failed\n")),
        Some(r) => w.w(0, &format!("Pods Statuses:\t{active} Active ({r} Ready) / {succ} Succeeded / {failed} Failed\n")),
    }
    if cm == "Indexed" {
        let ci = s(job, &["status", "completedIndexes"]);
        w.w(0, &format!("Completed Indexes:\t{}\n", or_none(ci)));
    }
    describe_pod_template(
        cx,
        get_path(job, &["spec", "template"]).unwrap_or(&Value::Null),
        w,
    );
    if let Some(evs) = evs {
        describe_events(cx, &evs, w);
    }
    Ok(())
}

fn describe_secret(sec: &Value, w: &mut W) {
    w.w(0, &format!("Name:\t{}\n", object::name(sec)));
    w.w(0, &format!("Namespace:\t{}\n", object::namespace(sec)));
    labels_multiline(w, "Labels", &object::labels(sec));
    annotations_multiline(w, "Annotations", &object::annotations(sec));
    let ty = s(sec, &["type"]);
    w.w(0, &format!("\nType:\t{ty}\n"));
    w.w(0, "\nData\n====\n");
    if let Some(Value::Object(data)) = sec.get("data") {
        let mut keys: Vec<&String> = data.keys().collect();
        keys.sort_stable();
        for k in keys {
            use base64::Engine;
            let raw = base64::engine::general_purpose::STANDARD
                .decode(data[k].as_str().unwrap_or("").as_bytes())
                .unwrap_or_default();
            if k == "token" && ty == "kubernetes.io/service-account-token" {
                w.w(0, &format!("{k}:\t{}\n", String::from_utf8_lossy(&raw)));
            } else {
                w.w(0, &format!("{k}:\t{} bytes\n", raw.len()));
            }
        }
    }
}

fn describe_configmap(cx: &mut Cx, cm: &Value, w: &mut W) -> R<()> {
    w.w(0, &format!("Name:\t{}\n", object::name(cm)));
    w.w(0, &format!("Namespace:\t{}\n", object::namespace(cm)));
    labels_multiline(w, "Labels", &object::labels(cm));
    annotations_multiline(w, "Annotations", &object::annotations(cm));
    w.w(0, "\nData\n====\n");
    let data = map_at(cm, &["data"]);
    for (k, v) in &data {
        w.w(0, &format!("{k}:\n----\n"));
        w.w(0, &format!("{v}\n"));
        w.w(0, "\n");
    }
    w.w(0, "\nBinaryData\n====\n");
    if let Some(Value::Object(bd)) = cm.get("binaryData") {
        let mut keys: Vec<&String> = bd.keys().collect();
        keys.sort_stable();
        for k in keys {
            use base64::Engine;
            let n = base64::engine::general_purpose::STANDARD
                .decode(bd[k].as_str().unwrap_or("").as_bytes())
                .map(|d| d.len())
                .unwrap_or(0);
            w.w(0, &format!("{k}: {n} bytes\n"));
        }
    }
    w.w(0, "\n");
    if let Some(evs) = events_for(cx, cm)? {
        describe_events(cx, &evs, w);
    }
    Ok(())
}

fn describe_service(cx: &mut Cx, svc: &Value, w: &mut W) -> R<()> {
    // EndpointSlices of the service
    let slices =
        match crate::kube::resources::builtin_by_plural("discovery.k8s.io", "endpointslices") {
            Some(info) => {
                let saved = cx.k.namespace.clone();
                cx.k.namespace = object::namespace(svc).to_string();
                let r = cx.k.list(
                    &info,
                    false,
                    &ListOptions {
                        label_selector: format!("kubernetes.io/service-name={}", object::name(svc)),
                        field_selector: String::new(),
                    },
                );
                cx.k.namespace = saved;
                r.unwrap_or_default()
            }
            None => Vec::new(),
        };
    // The simulated cluster keeps Endpoints but no EndpointSlices: describe from the
    // equivalent slices (what the EndpointSlice controller would have written).
    let slices = if slices.is_empty() {
        endpoints_as_slices(cx, svc)
    } else {
        slices
    };
    let evs = events_for(cx, svc)?;
    w.w(0, &format!("Name:\t{}\n", object::name(svc)));
    w.w(0, &format!("Namespace:\t{}\n", object::namespace(svc)));
    labels_multiline(w, "Labels", &object::labels(svc));
    annotations_multiline(w, "Annotations", &object::annotations(svc));
    w.w(
        0,
        &format!(
            "Selector:\t{}\n",
            format_labels(&map_at(svc, &["spec", "selector"]))
        ),
    );
    w.w(0, &format!("Type:\t{}\n", s(svc, &["spec", "type"])));
    let ifp = s(svc, &["spec", "ipFamilyPolicy"]);
    if !ifp.is_empty() {
        w.w(0, &format!("IP Family Policy:\t{ifp}\n"));
    }
    let fams: Vec<&str> = arr(svc, &["spec", "ipFamilies"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    w.w(
        0,
        &format!(
            "IP Families:\t{}\n",
            if fams.is_empty() {
                "<none>".to_string()
            } else {
                fams.join(",")
            }
        ),
    );
    w.w(0, &format!("IP:\t{}\n", s(svc, &["spec", "clusterIP"])));
    let ips: Vec<&str> = arr(svc, &["spec", "clusterIPs"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    w.w(
        0,
        &format!(
            "IPs:\t{}\n",
            if ips.is_empty() {
                "<none>".to_string()
            } else {
                ips.join(",")
            }
        ),
    );
    let ext: Vec<&str> = arr(svc, &["spec", "externalIPs"])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !ext.is_empty() {
        w.w(0, &format!("External IPs:\t{}\n", ext.join(",")));
    }
    let lbip = s(svc, &["spec", "loadBalancerIP"]);
    if !lbip.is_empty() {
        w.w(0, &format!("Desired LoadBalancer IP:\t{lbip}\n"));
    }
    let en = s(svc, &["spec", "externalName"]);
    if !en.is_empty() {
        w.w(0, &format!("External Name:\t{en}\n"));
    }
    let ingress = arr(svc, &["status", "loadBalancer", "ingress"]);
    if !ingress.is_empty() {
        let list: Vec<String> = ingress
            .iter()
            .map(|i| {
                let ip = s(i, &["ip"]);
                if !ip.is_empty() {
                    let mode = s(i, &["ipMode"]);
                    if mode.is_empty() {
                        ip.to_string()
                    } else {
                        format!("{ip} ({mode})")
                    }
                } else {
                    s(i, &["hostname"]).to_string()
                }
            })
            .collect();
        w.w(0, &format!("LoadBalancer Ingress:\t{}\n", list.join(", ")));
    }
    for sp in arr(svc, &["spec", "ports"]) {
        let name = s(sp, &["name"]);
        let shown = if name.is_empty() { "<unset>" } else { name };
        let proto = s(sp, &["protocol"]);
        w.w(
            0,
            &format!("Port:\t{shown}\t{}/{proto}\n", int(sp, &["port"])),
        );
        w.w(
            0,
            &format!(
                "TargetPort:\t{}/{proto}\n",
                int_or_string(sp.get("targetPort"))
            ),
        );
        let ap = s(sp, &["appProtocol"]);
        if !ap.is_empty() {
            w.w(0, &format!("AppProtocol:\t{ap}\n"));
        }
        let np = int(sp, &["nodePort"]);
        if np != 0 {
            w.w(0, &format!("NodePort:\t{shown}\t{np}/{proto}\n"));
        }
        w.w(
            0,
            &format!("Endpoints:\t{}\n", endpoints_text(&slices, name)),
        );
    }
    w.w(
        0,
        &format!(
            "Session Affinity:\t{}\n",
            s(svc, &["spec", "sessionAffinity"])
        ),
    );
    let etp = s(svc, &["spec", "externalTrafficPolicy"]);
    if !etp.is_empty() {
        w.w(0, &format!("External Traffic Policy:\t{etp}\n"));
    }
    let itp = s(svc, &["spec", "internalTrafficPolicy"]);
    if !itp.is_empty() {
        w.w(0, &format!("Internal Traffic Policy:\t{itp}\n"));
    }
    let hc = int(svc, &["spec", "healthCheckNodePort"]);
    if hc != 0 {
        w.w(0, &format!("HealthCheck NodePort:\t{hc}\n"));
    }
    let td = s(svc, &["spec", "trafficDistribution"]);
    if !td.is_empty() {
        w.w(0, &format!("Traffic Distribution:\t{td}\n"));
    }
    if let Some(evs) = evs {
        describe_events(cx, &evs, w);
    }
    Ok(())
}

/// The EndpointSlices a Service's Endpoints object corresponds to.
fn endpoints_as_slices(cx: &mut Cx, svc: &Value) -> Vec<Value> {
    let Some(info) = crate::kube::resources::builtin_by_plural("", "endpoints") else {
        return Vec::new();
    };
    let saved = cx.k.namespace.clone();
    cx.k.namespace = object::namespace(svc).to_string();
    let ep = cx.k.get(&info, object::name(svc));
    cx.k.namespace = saved;
    let Ok(ep) = ep else { return Vec::new() };
    let mut out = Vec::new();
    for subset in arr(&ep, &["subsets"]) {
        let ports: Vec<Value> = arr(subset, &["ports"])
            .iter()
            .map(|p| serde_json::json!({"name": s(p, &["name"]), "port": int(p, &["port"]), "protocol": s(p, &["protocol"])}))
            .collect();
        let mut endpoints: Vec<Value> = Vec::new();
        for (key, ready) in [("addresses", true), ("notReadyAddresses", false)] {
            for a in arr(subset, &[key]) {
                endpoints.push(serde_json::json!({"addresses": [s(a, &["ip"])], "conditions": {"ready": ready}}));
            }
        }
        out.push(serde_json::json!({"ports": ports, "endpoints": endpoints}));
    }
    out
}

/// `formatEndpointSlices` for one port name.
fn endpoints_text(slices: &[Value], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".into();
    }
    let mut list: Vec<String> = Vec::new();
    let max = 3;
    let mut more = false;
    let mut count = 0;
    for sl in slices {
        let ports = arr(sl, &["ports"]);
        let eps = arr(sl, &["endpoints"]);
        let ready = |e: &Value| get_path(e, &["conditions", "ready"]) != Some(&Value::Bool(false));
        if ports.is_empty() {
            for e in eps {
                if list.len() == max {
                    more = true;
                }
                if !ready(e) {
                    continue;
                }
                if !more {
                    list.push(
                        arr(e, &["addresses"])
                            .first()
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                    );
                }
                count += 1;
            }
        } else {
            for p in ports {
                if s(p, &["name"]) != port_name {
                    continue;
                }
                for e in eps {
                    if list.len() == max {
                        more = true;
                    }
                    if !ready(e) {
                        continue;
                    }
                    if !more {
                        let addr = arr(e, &["addresses"])
                            .first()
                            .and_then(Value::as_str)
                            .unwrap_or("");
                        let port = int(p, &["port"]);
                        if addr.contains(':') {
                            list.push(format!("[{addr}]:{port}"));
                        } else {
                            list.push(format!("{addr}:{port}"));
                        }
                    }
                    count += 1;
                }
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

fn describe_service_account(cx: &mut Cx, sa: &Value, w: &mut W) -> R<()> {
    let evs = events_for(cx, sa)?;
    w.w(0, &format!("Name:\t{}\n", object::name(sa)));
    w.w(0, &format!("Namespace:\t{}\n", object::namespace(sa)));
    labels_multiline(w, "Labels", &object::labels(sa));
    annotations_multiline(w, "Annotations", &object::annotations(sa));
    let pulls: Vec<&str> = arr(sa, &["imagePullSecrets"])
        .iter()
        .map(|s2| s(s2, &["name"]))
        .collect();
    if pulls.is_empty() {
        w.w(0, "Image pull secrets:\t<none>\n");
    } else {
        let mut prefix = "Image pull secrets:";
        for n in pulls {
            w.w(0, &format!("{prefix}\t{n}\n"));
            prefix = "                   ";
        }
    }
    if let Some(evs) = evs {
        describe_events(cx, &evs, w);
    }
    Ok(())
}

fn describe_namespace(cx: &mut Cx, ns: &Value, w: &mut W) -> R<()> {
    w.w(0, &format!("Name:\t{}\n", object::name(ns)));
    labels_multiline(w, "Labels", &object::labels(ns));
    annotations_multiline(w, "Annotations", &object::annotations(ns));
    w.w(0, &format!("Status:\t{}\n", s(ns, &["status", "phase"])));
    let conds = arr(ns, &["status", "conditions"]);
    if !conds.is_empty() {
        w.w(0, "Conditions:\n");
        w.w(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.w(1, "----\t------\t------------------\t------\t-------\n");
        for c in conds {
            w.w(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    s(c, &["type"]),
                    s(c, &["status"]),
                    time_str(cx, s(c, &["lastTransitionTime"])),
                    s(c, &["reason"]),
                    s(c, &["message"])
                ),
            );
        }
    }
    let saved = cx.k.namespace.clone();
    cx.k.namespace = object::name(ns).to_string();
    let quotas = crate::kube::resources::builtin_by_plural("", "resourcequotas")
        .map(|i| {
            cx.k.list(&i, false, &ListOptions::default())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let limits = crate::kube::resources::builtin_by_plural("", "limitranges")
        .map(|i| {
            cx.k.list(&i, false, &ListOptions::default())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    cx.k.namespace = saved;
    w.w(0, "\n");
    if quotas.is_empty() {
        w.w(0, "No resource quota.\n");
    } else {
        w.w(0, "Resource Quotas\n");
        for q in &quotas {
            w.w(1, &format!("Name:\t{}\n", object::name(q)));
            w.w(1, "Resource\tUsed\tHard\n");
            w.w(1, "--------\t---\t---\n");
            let hard = map_at(q, &["status", "hard"]);
            let used = map_at(q, &["status", "used"]);
            for (k, h) in &hard {
                w.w(
                    1,
                    &format!(
                        "{k}\t{}\t{h}\n",
                        used.get(k).cloned().unwrap_or_else(|| "0".into())
                    ),
                );
            }
        }
    }
    w.w(0, "\n");
    if limits.is_empty() {
        w.w(0, "No LimitRange resource.\n");
    } else {
        w.w(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
        w.w(
            0,
            " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
        );
        for l in &limits {
            for item in arr(l, &["spec", "limits"]) {
                let ty = s(item, &["type"]);
                let mut names: Vec<String> = Vec::new();
                for key in [
                    "min",
                    "max",
                    "default",
                    "defaultRequest",
                    "maxLimitRequestRatio",
                ] {
                    for k in map_at(item, &[key]).keys() {
                        if !names.contains(k) {
                            names.push(k.clone());
                        }
                    }
                }
                names.sort_stable();
                for n in names {
                    let g = |key: &str| {
                        map_at(item, &[key])
                            .get(&n)
                            .cloned()
                            .unwrap_or_else(|| "-".into())
                    };
                    w.w(
                        0,
                        &format!(
                            " {ty}\t{n}\t{}\t{}\t{}\t{}\t{}\n",
                            g("min"),
                            g("max"),
                            g("defaultRequest"),
                            g("default"),
                            g("maxLimitRequestRatio")
                        ),
                    );
                }
            }
        }
    }
    Ok(())
}

/// `smartLabelFor`: `camelCase` fields as `Camel Case`, acronyms kept.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !(c.is_alphabetic() || c == '-')) {
        return field.to_string();
    }
    // camelcase.Split: runs of lowercase, uppercase (an upper run before a lower starts a new
    // word at its last letter), digits, others
    let chars: Vec<char> = field.chars().collect();
    let mut parts: Vec<String> = Vec::new();
    let class = |c: char| -> u8 {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0u8;
    for &c in &chars {
        let cl = class(c);
        if cl == last {
            if let Some(r) = runs.last_mut() {
                r.push(c);
            }
        } else {
            runs.push(vec![c]);
        }
        last = cl;
    }
    for i in 0..runs.len().saturating_sub(1) {
        if runs[i].first().is_some_and(|c| c.is_uppercase())
            && runs[i + 1].first().is_some_and(|c| c.is_lowercase())
        {
            if let Some(c) = runs[i].pop() {
                runs[i + 1].insert(0, c);
            }
        }
    }
    for r in runs {
        if !r.is_empty() {
            parts.push(r.into_iter().collect());
        }
    }
    let mut merged: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let part = &parts[i];
        if i + 1 < parts.len() {
            let next = &parts[i + 1];
            let all_upper = part.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
            if part.chars().count() >= 2
                && all_upper
                && next.chars().next().is_some_and(|c| c.is_uppercase())
            {
                merged.push(format!("{part}{next}"));
                i += 2;
                continue;
            }
        }
        merged.push(part.clone());
        i += 1;
    }
    let mut out: Vec<String> = Vec::new();
    for p in merged {
        if p == "_" {
            continue;
        }
        if ["API", "URL", "UID", "GUID"].contains(&p.to_uppercase().as_str()) {
            out.push(p.to_uppercase());
        } else if p.to_lowercase() == p {
            let mut cs = p.chars();
            let first = cs
                .next()
                .map(|c| c.to_uppercase().collect::<String>())
                .unwrap_or_default();
            out.push(format!("{first}{}", cs.as_str()));
        } else {
            out.push(p);
        }
    }
    out.join(" ")
}

fn print_unstructured(
    w: &mut W,
    level: usize,
    content: &serde_json::Map<String, Value>,
    prefix: &str,
    skip: &[&str],
) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort_stable();
    for f in fields {
        let expr = format!("{prefix}.{f}");
        if skip.contains(&expr.as_str()) {
            continue;
        }
        match &content[f] {
            Value::Object(m) => {
                w.w(level, &format!("{}:\n", smart_label(f)));
                print_unstructured(w, level + 1, m, &expr, skip);
            }
            Value::Array(a) => {
                w.w(level, &format!("{}:\n", smart_label(f)));
                for c in a {
                    match c {
                        Value::Object(m) => print_unstructured(w, level + 1, m, &expr, skip),
                        other => w.w(
                            level + 1,
                            &format!("{}\n", crate::kube::gofmt::sprint(other)),
                        ),
                    }
                }
            }
            other => w.w(
                level,
                &format!(
                    "{}:\t{}\n",
                    smart_label(f),
                    crate::kube::gofmt::sprint(other)
                ),
            ),
        }
    }
}

fn describe_generic(cx: &mut Cx, o: &Value, w: &mut W) -> R<()> {
    let evs = events_for(cx, o)?;
    w.w(0, &format!("Name:\t{}\n", object::name(o)));
    w.w(0, &format!("Namespace:\t{}\n", object::namespace(o)));
    labels_multiline(w, "Labels", &object::labels(o));
    annotations_multiline(w, "Annotations", &object::annotations(o));
    if let Value::Object(m) = o {
        print_unstructured(
            w,
            0,
            m,
            "",
            &[
                ".metadata.managedFields",
                ".metadata.name",
                ".metadata.namespace",
                ".metadata.labels",
                ".metadata.annotations",
            ],
        );
    }
    if let Some(evs) = evs {
        describe_events(cx, &evs, w);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smart_labels_like_kubectl() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("creationTimestamp"), "Creation Timestamp");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("kind"), "Kind");
        assert_eq!(smart_label("clusterIP"), "Cluster IP");
        assert_eq!(smart_label("a_b"), "a_b");
    }

    #[test]
    fn probes_like_kubectl() {
        let p = serde_json::json!({"httpGet": {"path": "/", "port": "http", "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3});
        assert_eq!(
            probe(&p),
            "http-get http://:http/ delay=0s timeout=1s period=10s #success=1 #failure=3"
        );
    }
}
