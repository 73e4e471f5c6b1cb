//! What the API server adds to and checks on objects before storing them: the defaulting
//! functions of `pkg/apis/*/v1/defaults.go` for the kinds charts render (so `kubectl get -o
//! yaml` shows `strategy`, `imagePullPolicy`, `terminationMessagePath`, Service `clusterIP`s,
//! …), ClusterIP/NodePort allocation, and the validation errors learners meet most often
//! (names, labels, selector/template mismatch, missing containers, Job restart policy,
//! immutable fields), with the API's messages.

use super::SimCluster;
use crate::kube::object;
use crate::kube::resources::ResourceInfo;
use crate::kube::selector::Selector;
use crate::kube::validation::{
    is_dns1035_label, is_dns1123_label, is_dns1123_subdomain, is_label_key, is_label_value,
    FieldError,
};
use base64::Engine;
use serde_json::{json, Map, Value};

fn map_mut<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Map<String, Value>> {
    v.get_mut(key).and_then(Value::as_object_mut)
}

fn set_default(m: &mut Map<String, Value>, key: &str, v: Value) {
    if m.get(key).map(Value::is_null).unwrap_or(true) {
        m.insert(key.into(), v);
    }
}

/// `Always` for `:latest` or untagged images, `IfNotPresent` otherwise.
fn pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => "Always",
        Some((_, "latest")) => "Always",
        Some(_) => "IfNotPresent",
    }
}

fn default_probe(p: &mut Value) {
    let Some(m) = p.as_object_mut() else { return };
    set_default(m, "timeoutSeconds", json!(1));
    set_default(m, "periodSeconds", json!(10));
    set_default(m, "successThreshold", json!(1));
    set_default(m, "failureThreshold", json!(3));
    if let Some(h) = m.get_mut("httpGet").and_then(Value::as_object_mut) {
        set_default(h, "scheme", json!("HTTP"));
    }
}

fn default_container(c: &mut Value) {
    let Some(m) = c.as_object_mut() else { return };
    let image = m
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    set_default(m, "imagePullPolicy", json!(pull_policy(&image)));
    set_default(m, "resources", json!({}));
    set_default(m, "terminationMessagePath", json!("/dev/termination-log"));
    set_default(m, "terminationMessagePolicy", json!("File"));
    if let Some(Value::Array(ports)) = m.get_mut("ports") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            set_default(p, "protocol", json!("TCP"));
        }
    }
    if let Some(Value::Array(env)) = m.get_mut("env") {
        for e in env.iter_mut() {
            if let Some(fr) = e
                .get_mut("valueFrom")
                .and_then(|v| v.get_mut("fieldRef"))
                .and_then(Value::as_object_mut)
            {
                set_default(fr, "apiVersion", json!("v1"));
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = m.get_mut(probe) {
            default_probe(p);
        }
    }
}

/// `SetDefaults_PodSpec` and the container defaults.
pub(super) fn default_pod_spec(spec: &mut Value) {
    let Some(m) = spec.as_object_mut() else {
        return;
    };
    for list in ["containers", "initContainers"] {
        if let Some(Value::Array(cs)) = m.get_mut(list) {
            for c in cs.iter_mut() {
                default_container(c);
            }
        }
    }
    set_default(m, "dnsPolicy", json!("ClusterFirst"));
    set_default(m, "restartPolicy", json!("Always"));
    set_default(m, "schedulerName", json!("default-scheduler"));
    set_default(m, "securityContext", json!({}));
    set_default(m, "terminationGracePeriodSeconds", json!(30));
    if let Some(Value::Array(vols)) = m.get_mut("volumes") {
        for v in vols.iter_mut().filter_map(Value::as_object_mut) {
            for src in ["configMap", "secret", "projected", "downwardAPI"] {
                if let Some(s) = v.get_mut(src).and_then(Value::as_object_mut) {
                    set_default(s, "defaultMode", json!(420));
                }
            }
        }
    }
}

fn default_template(obj: &mut Value, path: &[&str]) {
    let mut cur = Some(&mut *obj);
    for p in path {
        cur = cur.and_then(|c| c.get_mut(*p));
    }
    if let Some(spec) = cur {
        default_pod_spec(spec);
    }
}

/// Applies the API server's defaults for `info`'s kind. `old` is the stored object on
/// updates (allocated IPs and ports are kept).
pub(super) fn default_object(
    sim: &mut SimCluster,
    info: &ResourceInfo,
    obj: &mut Value,
    old: Option<&Value>,
) {
    match (info.group.as_str(), info.kind.as_str()) {
        ("apps", "Deployment") => {
            if let Some(spec) = map_mut(obj, "spec") {
                set_default(spec, "replicas", json!(1));
                set_default(spec, "revisionHistoryLimit", json!(10));
                set_default(spec, "progressDeadlineSeconds", json!(600));
                let st = spec.entry("strategy").or_insert_with(|| json!({}));
                if let Some(st) = st.as_object_mut() {
                    set_default(st, "type", json!("RollingUpdate"));
                    if st.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
                        let ru = st.entry("rollingUpdate").or_insert_with(|| json!({}));
                        if let Some(ru) = ru.as_object_mut() {
                            set_default(ru, "maxUnavailable", json!("25%"));
                            set_default(ru, "maxSurge", json!("25%"));
                        }
                    }
                }
            }
            default_template(obj, &["spec", "template", "spec"]);
            if old.is_none() {
                object::ensure_map(obj, &["status"]);
            }
        }
        ("apps", "ReplicaSet") => {
            if let Some(spec) = map_mut(obj, "spec") {
                set_default(spec, "replicas", json!(1));
            }
            default_template(obj, &["spec", "template", "spec"]);
        }
        ("apps", "StatefulSet") => {
            if let Some(spec) = map_mut(obj, "spec") {
                set_default(spec, "replicas", json!(1));
                set_default(spec, "podManagementPolicy", json!("OrderedReady"));
                set_default(spec, "revisionHistoryLimit", json!(10));
                set_default(
                    spec,
                    "persistentVolumeClaimRetentionPolicy",
                    json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
                );
                let us = spec.entry("updateStrategy").or_insert_with(|| json!({}));
                if let Some(us) = us.as_object_mut() {
                    set_default(us, "type", json!("RollingUpdate"));
                    if us.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
                        let ru = us.entry("rollingUpdate").or_insert_with(|| json!({}));
                        if let Some(ru) = ru.as_object_mut() {
                            set_default(ru, "partition", json!(0));
                        }
                    }
                }
                if let Some(Value::Array(vcts)) = spec.get_mut("volumeClaimTemplates") {
                    for t in vcts.iter_mut() {
                        if let Some(s) = map_mut(t, "spec") {
                            set_default(s, "volumeMode", json!("Filesystem"));
                        }
                        if let Some(m) = t.as_object_mut() {
                            set_default(m, "apiVersion", json!("v1"));
                            set_default(m, "kind", json!("PersistentVolumeClaim"));
                            set_default(m, "status", json!({"phase": "Pending"}));
                        }
                    }
                }
            }
            default_template(obj, &["spec", "template", "spec"]);
        }
        ("apps", "DaemonSet") => {
            if let Some(spec) = map_mut(obj, "spec") {
                set_default(spec, "revisionHistoryLimit", json!(10));
                let us = spec.entry("updateStrategy").or_insert_with(|| json!({}));
                if let Some(us) = us.as_object_mut() {
                    set_default(us, "type", json!("RollingUpdate"));
                    if us.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
                        let ru = us.entry("rollingUpdate").or_insert_with(|| json!({}));
                        if let Some(ru) = ru.as_object_mut() {
                            set_default(ru, "maxUnavailable", json!(1));
                            set_default(ru, "maxSurge", json!(0));
                        }
                    }
                }
            }
            default_template(obj, &["spec", "template", "spec"]);
        }
        ("batch", "Job") => default_job(sim, obj, old, &["spec"]),
        ("batch", "CronJob") => {
            if let Some(spec) = map_mut(obj, "spec") {
                set_default(spec, "concurrencyPolicy", json!("Allow"));
                set_default(spec, "suspend", json!(false));
                set_default(spec, "successfulJobsHistoryLimit", json!(3));
                set_default(spec, "failedJobsHistoryLimit", json!(1));
            }
            if let Some(jt) = obj
                .get_mut("spec")
                .and_then(|s| s.get_mut("jobTemplate"))
                .and_then(|t| t.get_mut("spec"))
                .and_then(Value::as_object_mut)
            {
                set_default(jt, "backoffLimit", json!(6));
                set_default(jt, "completionMode", json!("NonIndexed"));
                set_default(jt, "suspend", json!(false));
                set_default(jt, "podReplacementPolicy", json!("TerminatingOrFailed"));
            }
            default_template(obj, &["spec", "jobTemplate", "spec", "template", "spec"]);
        }
        ("", "Pod") => {
            if let Some(spec) = obj.get_mut("spec") {
                default_pod_spec(spec);
                if let Some(m) = spec.as_object_mut() {
                    set_default(m, "enableServiceLinks", json!(true));
                    set_default(m, "preemptionPolicy", json!("PreemptLowerPriority"));
                    set_default(m, "priority", json!(0));
                    set_default(m, "serviceAccountName", json!("default"));
                    let sa = m
                        .get("serviceAccountName")
                        .cloned()
                        .unwrap_or(json!("default"));
                    set_default(m, "serviceAccount", sa);
                    set_default(
                        m,
                        "tolerations",
                        json!([
                            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
                        ]),
                    );
                }
            }
            if old.is_none() {
                add_service_account_volume(sim, obj);
                let qos = qos_class(obj);
                let status = object::ensure_map(obj, &["status"]);
                set_default(status, "phase", json!("Pending"));
                set_default(status, "qosClass", json!(qos));
            }
        }
        ("", "Service") => default_service(sim, obj, old),
        ("", "Secret") => {
            if let Some(m) = obj.as_object_mut() {
                if let Some(Value::Object(sd)) = m.shift_remove("stringData") {
                    let data = m.entry("data").or_insert_with(|| json!({}));
                    if let Some(d) = data.as_object_mut() {
                        for (k, v) in sd {
                            let s = v.as_str().unwrap_or("").to_string();
                            d.insert(
                                k,
                                json!(
                                    base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
                                ),
                            );
                        }
                    }
                }
                set_default(m, "type", json!("Opaque"));
            }
        }
        ("", "Namespace") => {
            let name = object::name(obj).to_string();
            object::set_label(obj, "kubernetes.io/metadata.name", &name);
            if let Some(m) = obj.as_object_mut() {
                set_default(m, "spec", json!({"finalizers": ["kubernetes"]}));
                if old.is_none() {
                    set_default(m, "status", json!({"phase": "Active"}));
                }
            }
        }
        ("", "PersistentVolumeClaim") => {
            if let Some(spec) = map_mut(obj, "spec") {
                set_default(spec, "volumeMode", json!("Filesystem"));
                set_default(spec, "storageClassName", json!("standard"));
            }
            if old.is_none() {
                object::ensure_map(obj, &["status"]).insert("phase".into(), json!("Pending"));
            }
        }
        ("", "ReplicationController") => default_template(obj, &["spec", "template", "spec"]),
        ("", "PodTemplate") => default_template(obj, &["template", "spec"]),
        ("networking.k8s.io", "Ingress") if old.is_none() => {
            object::ensure_map(obj, &["status", "loadBalancer"]);
        }
        ("autoscaling", "HorizontalPodAutoscaler") if info.version == "v2" => {
            if let Some(spec) = map_mut(obj, "spec") {
                set_default(spec, "minReplicas", json!(1));
            }
        }
        ("policy", "PodDisruptionBudget") => {}
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => {
            if let Some(Value::Array(subjects)) = obj.get_mut("subjects") {
                for s in subjects.iter_mut().filter_map(Value::as_object_mut) {
                    let kind = s
                        .get("kind")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string();
                    if kind == "User" || kind == "Group" {
                        set_default(s, "apiGroup", json!("rbac.authorization.k8s.io"));
                    }
                }
            }
        }
        _ => {}
    }
}

fn default_job(sim: &mut SimCluster, obj: &mut Value, old: Option<&Value>, spec_path: &[&str]) {
    let uid = match old {
        Some(o) => object::uid(o).to_string(),
        None => {
            let existing = object::uid(obj).to_string();
            if existing.is_empty() {
                let u = sim.new_uid();
                object::ensure_map(obj, &["metadata"]).insert("uid".into(), json!(u));
                u
            } else {
                existing
            }
        }
    };
    let name = object::name(obj).to_string();
    let mut tpath: Vec<&str> = spec_path.to_vec();
    if let Some(spec) = obj.get_mut(spec_path[0]).and_then(Value::as_object_mut) {
        set_default(spec, "backoffLimit", json!(6));
        set_default(spec, "completionMode", json!("NonIndexed"));
        set_default(spec, "completions", json!(1));
        set_default(spec, "parallelism", json!(1));
        set_default(spec, "suspend", json!(false));
        set_default(spec, "podReplacementPolicy", json!("TerminatingOrFailed"));
        let manual = spec.get("manualSelector").and_then(Value::as_bool) == Some(true);
        if !manual && spec.get("selector").is_none() {
            spec.insert(
                "selector".into(),
                json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}),
            );
        }
    }
    tpath.extend(["template", "metadata", "labels"]);
    let labels = object::ensure_map(obj, &tpath);
    for (k, v) in [
        ("batch.kubernetes.io/controller-uid", uid.as_str()),
        ("batch.kubernetes.io/job-name", name.as_str()),
        ("controller-uid", uid.as_str()),
        ("job-name", name.as_str()),
    ] {
        labels.entry(k.to_string()).or_insert_with(|| json!(v));
    }
    default_template(obj, &["spec", "template", "spec"]);
    if old.is_none() {
        object::ensure_map(obj, &["status"]);
    }
}

fn add_service_account_volume(sim: &mut SimCluster, pod: &mut Value) {
    if object::get_path(pod, &["spec", "automountServiceAccountToken"]).and_then(Value::as_bool)
        == Some(false)
    {
        return;
    }
    let vol_name = format!("kube-api-access-{}", sim.rand_string(5));
    let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    let vols = spec.entry("volumes").or_insert_with(|| json!([]));
    if let Some(vols) = vols.as_array_mut() {
        vols.push(json!({
            "name": vol_name,
            "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                ]
            }
        }));
    }
    for list in ["containers", "initContainers"] {
        if let Some(Value::Array(cs)) = spec.get_mut(list) {
            for c in cs.iter_mut().filter_map(Value::as_object_mut) {
                let mounts = c.entry("volumeMounts").or_insert_with(|| json!([]));
                if let Some(m) = mounts.as_array_mut() {
                    m.push(json!({"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": vol_name, "readOnly": true}));
                }
            }
        }
    }
}

/// `qos.GetPodQOS`.
pub(super) fn qos_class(pod: &Value) -> &'static str {
    let containers: Vec<&Value> = ["containers", "initContainers"]
        .iter()
        .filter_map(|l| object::get_path(pod, &["spec", l]).and_then(Value::as_array))
        .flatten()
        .collect();
    let mut any = false;
    let mut guaranteed = !containers.is_empty();
    for c in &containers {
        let req = c
            .get("resources")
            .and_then(|r| r.get("requests"))
            .and_then(Value::as_object);
        let lim = c
            .get("resources")
            .and_then(|r| r.get("limits"))
            .and_then(Value::as_object);
        if req.map(|m| !m.is_empty()).unwrap_or(false)
            || lim.map(|m| !m.is_empty()).unwrap_or(false)
        {
            any = true;
        }
        for res in ["cpu", "memory"] {
            let l = lim.and_then(|m| m.get(res));
            let r = req.and_then(|m| m.get(res)).or(l);
            if l.is_none() || r != l {
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

fn ip_string(n: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        n >> 24,
        (n >> 16) & 255,
        (n >> 8) & 255,
        n & 255
    )
}

fn default_service(sim: &mut SimCluster, obj: &mut Value, old: Option<&Value>) {
    let svc_info = SimCluster::info("", "Service");
    let used_ips: Vec<String> = sim
        .objects_of(&svc_info, None)
        .iter()
        .filter_map(|s| {
            object::get_path(s, &["spec", "clusterIP"])
                .and_then(Value::as_str)
                .map(String::from)
        })
        .collect();
    let used_ports: Vec<i64> = sim
        .objects_of(&svc_info, None)
        .iter()
        .flat_map(|s| {
            object::get_path(s, &["spec", "ports"])
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
        .collect();
    let old_spec = old
        .and_then(|o| o.get("spec"))
        .cloned()
        .unwrap_or(Value::Null);
    let Some(spec) = map_mut(obj, "spec") else {
        return;
    };
    set_default(spec, "type", json!("ClusterIP"));
    let ty = spec
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_string();
    set_default(spec, "sessionAffinity", json!("None"));
    if ty != "ExternalName" {
        set_default(spec, "internalTrafficPolicy", json!("Cluster"));
        set_default(spec, "ipFamilies", json!(["IPv4"]));
        set_default(spec, "ipFamilyPolicy", json!("SingleStack"));
        // Keep an allocated IP across updates; allocate one for new services.
        let want = spec
            .get("clusterIP")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let ip = if !want.is_empty() {
            want
        } else if let Some(o) = old_spec.get("clusterIP").and_then(Value::as_str) {
            o.to_string()
        } else {
            let base: u32 = 10 << 24 | 96 << 16;
            let mut ip = String::new();
            for _ in 0..1000 {
                let off = 2 + sim.rand_u32() % ((1 << 20) - 3);
                let cand = ip_string(base + off);
                if !used_ips.contains(&cand) {
                    ip = cand;
                    break;
                }
            }
            ip
        };
        spec.insert("clusterIP".into(), json!(ip));
        spec.insert("clusterIPs".into(), json!([ip]));
    }
    if matches!(ty.as_str(), "NodePort" | "LoadBalancer") {
        set_default(spec, "externalTrafficPolicy", json!("Cluster"));
    }
    if ty == "LoadBalancer" {
        set_default(spec, "allocateLoadBalancerNodePorts", json!(true));
    }
    let old_ports: Vec<Value> = old_spec
        .get("ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(Value::Array(ports)) = spec.get_mut("ports") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            set_default(p, "protocol", json!("TCP"));
            if let Some(port) = p.get("port").cloned() {
                set_default(p, "targetPort", port);
            }
            if matches!(ty.as_str(), "NodePort" | "LoadBalancer") && p.get("nodePort").is_none() {
                let same = old_ports
                    .iter()
                    .find(|op| {
                        op.get("port") == p.get("port") && op.get("protocol") == p.get("protocol")
                    })
                    .and_then(|op| op.get("nodePort").cloned());
                let np = match same {
                    Some(np) => np,
                    None => {
                        let mut chosen = 30000;
                        for _ in 0..1000 {
                            let c = 30000 + i64::from(sim.rand_u32() % 2768);
                            if !used_ports.contains(&c) {
                                chosen = c;
                                break;
                            }
                        }
                        json!(chosen)
                    }
                };
                p.insert("nodePort".into(), np);
            }
        }
    }
    if old.is_none() {
        let st = object::ensure_map(obj, &["status"]);
        set_default(st, "loadBalancer", json!({}));
    }
}

fn name_errors(info: &ResourceInfo, name: &str) -> Vec<String> {
    match (info.group.as_str(), info.kind.as_str()) {
        ("", "Namespace") => is_dns1123_label(name),
        ("", "Service") => is_dns1035_label(name),
        ("rbac.authorization.k8s.io", _) => {
            // Path segment names: anything but "." / ".." / containing "/" or "%".
            if name == "." || name == ".." {
                vec![format!("may not be '{name}'")]
            } else if name.contains('/') {
                vec!["may not contain '/'".into()]
            } else if name.contains('%') {
                vec!["may not contain '%'".into()]
            } else {
                Vec::new()
            }
        }
        _ => is_dns1123_subdomain(name),
    }
}

fn validate_meta(info: &ResourceInfo, obj: &Value, errs: &mut Vec<FieldError>) {
    let name = object::name(obj);
    for msg in name_errors(info, name) {
        errs.push(FieldError::invalid("metadata.name", json!(name), &msg));
    }
    validate_labels(object::metadata(obj).get("labels"), "metadata.labels", errs);
    if let Some(Value::Object(a)) = object::metadata(obj).get("annotations") {
        for k in a.keys() {
            for msg in is_label_key(k) {
                errs.push(FieldError::invalid("metadata.annotations", json!(k), &msg));
            }
        }
    }
}

fn validate_labels(labels: Option<&Value>, field: &str, errs: &mut Vec<FieldError>) {
    if let Some(Value::Object(l)) = labels {
        for (k, v) in l {
            for msg in is_label_key(k) {
                errs.push(FieldError::invalid(field, json!(k), &msg));
            }
            let vs = v.as_str().unwrap_or("");
            for msg in is_label_value(vs) {
                errs.push(FieldError::invalid(field, json!(vs), &msg));
            }
        }
    }
}

fn validate_pod_spec(spec: Option<&Value>, path: &str, errs: &mut Vec<FieldError>) {
    let containers = spec
        .and_then(|s| s.get("containers"))
        .and_then(Value::as_array);
    match containers {
        None => errs.push(FieldError::required(&format!("{path}.containers"), "")),
        Some(cs) if cs.is_empty() => {
            errs.push(FieldError::required(&format!("{path}.containers"), ""))
        }
        Some(cs) => {
            let mut seen: Vec<&str> = Vec::new();
            for (i, c) in cs.iter().enumerate() {
                let name = c.get("name").and_then(Value::as_str).unwrap_or("");
                if name.is_empty() {
                    errs.push(FieldError::required(
                        &format!("{path}.containers[{i}].name"),
                        "",
                    ));
                } else {
                    for msg in is_dns1123_label(name) {
                        errs.push(FieldError::invalid(
                            &format!("{path}.containers[{i}].name"),
                            json!(name),
                            &msg,
                        ));
                    }
                    if seen.contains(&name) {
                        errs.push(FieldError {
                            field: format!("{path}.containers[{i}].name"),
                            kind: crate::kube::validation::FieldErrorType::Duplicate,
                            bad_value: Some(json!(name)),
                            detail: String::new(),
                        });
                    }
                    seen.push(name);
                }
                if c.get("image")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .unwrap_or("")
                    .is_empty()
                {
                    errs.push(FieldError::required(
                        &format!("{path}.containers[{i}].image"),
                        "",
                    ));
                }
            }
        }
    }
}

/// Validation of `info`'s kind; `old` is set on updates (immutable fields).
pub(super) fn validate(info: &ResourceInfo, obj: &Value, old: Option<&Value>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    validate_meta(info, obj, &mut errs);
    match (info.group.as_str(), info.kind.as_str()) {
        ("apps", "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet") => {
            let sel = object::get_path(obj, &["spec", "selector"]);
            match sel {
                None | Some(Value::Null) => errs.push(FieldError::required("spec.selector", "")),
                Some(s) => match Selector::from_label_selector(Some(s)) {
                    Ok(sel) => {
                        if sel.is_empty() {
                            errs.push(FieldError::invalid(
                                "spec.selector",
                                s.clone(),
                                "empty selector is invalid for deployment",
                            ));
                        }
                        let tl =
                            object::string_map_at(obj, &["spec", "template", "metadata", "labels"]);
                        if !sel.matches(&tl) {
                            errs.push(FieldError::invalid(
                                "spec.template.metadata.labels",
                                object::get_path(obj, &["spec", "template", "metadata", "labels"])
                                    .cloned()
                                    .unwrap_or(json!({})),
                                "`selector` does not match template `labels`",
                            ));
                        }
                    }
                    Err(e) => errs.push(FieldError::invalid("spec.selector", s.clone(), &e)),
                },
            }
            validate_labels(
                object::get_path(obj, &["spec", "template", "metadata", "labels"]),
                "spec.template.metadata.labels",
                &mut errs,
            );
            validate_pod_spec(
                object::get_path(obj, &["spec", "template", "spec"]),
                "spec.template.spec",
                &mut errs,
            );
            if let Some(r) = object::get_path(obj, &["spec", "replicas"]).and_then(Value::as_i64) {
                if r < 0 {
                    errs.push(FieldError::invalid(
                        "spec.replicas",
                        json!(r),
                        "must be greater than or equal to 0",
                    ));
                }
            }
            if let Some(o) = old {
                let was = object::get_path(o, &["spec", "selector"]);
                if was.is_some() && was != sel {
                    errs.push(FieldError::invalid(
                        "spec.selector",
                        sel.cloned().unwrap_or(Value::Null),
                        "field is immutable",
                    ));
                }
                if info.kind == "StatefulSet" {
                    let mut a = o.get("spec").cloned().unwrap_or(json!({}));
                    let mut b = obj.get("spec").cloned().unwrap_or(json!({}));
                    for k in [
                        "replicas",
                        "ordinals",
                        "template",
                        "updateStrategy",
                        "persistentVolumeClaimRetentionPolicy",
                        "minReadySeconds",
                    ] {
                        if let (Some(am), Some(bm)) = (a.as_object_mut(), b.as_object_mut()) {
                            am.shift_remove(k);
                            bm.shift_remove(k);
                        }
                    }
                    if a != b {
                        errs.push(FieldError::forbidden(
                            "spec",
                            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
                        ));
                    }
                }
            }
        }
        ("batch", "Job") => {
            validate_pod_spec(
                object::get_path(obj, &["spec", "template", "spec"]),
                "spec.template.spec",
                &mut errs,
            );
            let rp = object::str_path(obj, &["spec", "template", "spec", "restartPolicy"]);
            if rp != "OnFailure" && rp != "Never" {
                errs.push(FieldError::not_supported(
                    "spec.template.spec.restartPolicy",
                    json!(rp),
                    &["OnFailure", "Never"],
                ));
            }
            if let Some(o) = old {
                if o.get("spec").and_then(|s| s.get("template"))
                    != obj.get("spec").and_then(|s| s.get("template"))
                {
                    errs.push(FieldError::invalid(
                        "spec.template",
                        obj.get("spec")
                            .and_then(|s| s.get("template"))
                            .cloned()
                            .unwrap_or(Value::Null),
                        "field is immutable",
                    ));
                }
                let (a, b) = (
                    object::get_path(o, &["spec", "selector"]),
                    object::get_path(obj, &["spec", "selector"]),
                );
                if a != b {
                    errs.push(FieldError::invalid(
                        "spec.selector",
                        b.cloned().unwrap_or(Value::Null),
                        "field is immutable",
                    ));
                }
            }
        }
        ("batch", "CronJob") => {
            if object::str_path(obj, &["spec", "schedule"]).is_empty() {
                errs.push(FieldError::required("spec.schedule", ""));
            }
            validate_pod_spec(
                object::get_path(obj, &["spec", "jobTemplate", "spec", "template", "spec"]),
                "spec.jobTemplate.spec.template.spec",
                &mut errs,
            );
        }
        ("", "Pod") => {
            validate_pod_spec(obj.get("spec"), "spec", &mut errs);
        }
        ("", "Service") => {
            let ty = object::str_path(obj, &["spec", "type"]);
            let ports = object::get_path(obj, &["spec", "ports"]).and_then(Value::as_array);
            let headless = object::str_path(obj, &["spec", "clusterIP"]) == "None";
            if ty != "ExternalName" && !headless && ports.map(|p| p.is_empty()).unwrap_or(true) {
                errs.push(FieldError::required("spec.ports", ""));
            }
            for (i, p) in ports
                .map(|a| a.as_slice())
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                match p.get("port").and_then(Value::as_i64) {
                    None => errs.push(FieldError::required(&format!("spec.ports[{i}].port"), "")),
                    Some(n) if !(1..=65535).contains(&n) => errs.push(FieldError::invalid(
                        &format!("spec.ports[{i}].port"),
                        json!(n),
                        "must be between 1 and 65535, inclusive",
                    )),
                    _ => {}
                }
                if ports.map(|a| a.len()).unwrap_or(0) > 1
                    && p.get("name")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .is_empty()
                {
                    errs.push(FieldError::required(&format!("spec.ports[{i}].name"), ""));
                }
            }
            if let Some(o) = old {
                let (a, b) = (
                    object::str_path(o, &["spec", "clusterIP"]),
                    object::str_path(obj, &["spec", "clusterIP"]),
                );
                if !a.is_empty() && a != b {
                    errs.push(FieldError::invalid(
                        "spec.clusterIPs[0]",
                        json!([b]),
                        "may not change once set",
                    ));
                }
            }
        }
        ("", "ConfigMap") | ("", "Secret") => {
            for field in ["data", "binaryData", "stringData"] {
                if let Some(Value::Object(d)) = obj.get(field) {
                    for k in d.keys() {
                        let ok = !k.is_empty()
                            && k.len() <= 253
                            && k.chars()
                                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
                        if !ok {
                            errs.push(FieldError::invalid(
                                &format!("{field}[{k}]"),
                                json!(k),
                                "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
                            ));
                        }
                    }
                }
            }
            if let Some(o) = old {
                if o.get("immutable").and_then(Value::as_bool) == Some(true)
                    && o.get("data") != obj.get("data")
                {
                    errs.push(FieldError::forbidden(
                        "data",
                        "field is immutable when `immutable` is set",
                    ));
                }
                if info.kind == "Secret" && o.get("type") != obj.get("type") {
                    errs.push(FieldError::invalid(
                        "type",
                        obj.get("type").cloned().unwrap_or(Value::Null),
                        "field is immutable",
                    ));
                }
            }
        }
        _ => {}
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policies() {
        assert_eq!(pull_policy("nginx"), "Always");
        assert_eq!(pull_policy("nginx:latest"), "Always");
        assert_eq!(pull_policy("nginx:1.25"), "IfNotPresent");
        assert_eq!(pull_policy("localhost:5000/app"), "Always");
        assert_eq!(pull_policy("nginx@sha256:abc"), "IfNotPresent");
    }

    #[test]
    fn qos() {
        assert_eq!(
            qos_class(&json!({"spec": {"containers": [{"name": "a"}]}})),
            "BestEffort"
        );
        assert_eq!(
            qos_class(
                &json!({"spec": {"containers": [{"resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}})
            ),
            "Guaranteed"
        );
        assert_eq!(
            qos_class(
                &json!({"spec": {"containers": [{"resources": {"requests": {"cpu": "1"}}}]}})
            ),
            "Burstable"
        );
    }
}
