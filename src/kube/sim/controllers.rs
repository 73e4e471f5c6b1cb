//! The controllers of the simulated cluster, run synchronously after each write until nothing
//! changes: the deployment controller (a ReplicaSet per distinct pod template, named with a
//! `pod-template-hash`, revisions, history limit, status and conditions), the replica-set,
//! stateful-set, daemon-set and job controllers, the scheduler and kubelet (pods become
//! Running/Ready, or run to completion), the namespace controller (default ServiceAccount,
//! `kube-root-ca.crt`), the endpoints controller, and the garbage collector (owner references).
//! Events are recorded with the messages the real components use.

use super::{obj, SimCluster, KCM, NODE_IP, NODE_NAME, SAFE_ALPHABET};
use crate::engine::sort::SliceSort;
use crate::kube::cluster::{pod_template_diff, Propagation, Rollout};
use crate::kube::object::{self, OwnerReference};
use crate::kube::selector::Selector;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// `controller.ComputeHash`: FNV-32a of the pod template (here: its canonical JSON) and the
/// collision count, written with `rand.SafeEncodeString` over the decimal digits — so, as in
/// a real cluster, only the characters `4-9`, `b`, `c`, `d`, `f` appear, up to 10 of them.
pub fn pod_template_hash(template: &Value, collision_count: u32) -> String {
    let mut h: u32 = 2_166_136_261;
    let canonical = serde_json::to_string(&object::sorted(template)).unwrap_or_default();
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u32::from(*b);
            h = h.wrapping_mul(16_777_619);
        }
    };
    feed(canonical.as_bytes());
    if collision_count > 0 {
        feed(&collision_count.to_le_bytes());
    }
    h.to_string()
        .bytes()
        .map(|d| SAFE_ALPHABET[usize::from(d) % SAFE_ALPHABET.len()] as char)
        .collect()
}

/// A pod created or deleted by a ReplicaSet during one reconcile (for rollout reports).
#[derive(Clone, Debug)]
pub(super) struct PodLog {
    pub namespace: String,
    pub owner: String,
    pub pod: String,
    pub created: bool,
}

fn without_hash(t: &Value) -> Value {
    let mut t = t.clone();
    if let Some(Value::Object(l)) = t.get_mut("metadata").and_then(|m| m.get_mut("labels")) {
        l.shift_remove("pod-template-hash");
        if l.is_empty() {
            if let Some(Value::Object(m)) = t.get_mut("metadata") {
                m.shift_remove("labels");
            }
        }
    }
    t
}

fn revision_of(o: &Value) -> i64 {
    object::annotations(o)
        .get("deployment.kubernetes.io/revision")
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn int_or_percent(v: Option<&Value>, total: i64, round_up: bool) -> i64 {
    match v {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        Some(Value::String(s)) => match s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
            Some(p) => {
                let x = p.saturating_mul(total);
                if round_up {
                    x.saturating_add(99) / 100
                } else {
                    x / 100
                }
            }
            None => s.parse().unwrap_or(0),
        },
        _ => 0,
    }
}

fn is_ready(pod: &Value) -> bool {
    pod.get("status")
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter().any(|c| {
                c.get("type") == Some(&json!("Ready")) && c.get("status") == Some(&json!("True"))
            })
        })
        .unwrap_or(false)
}

fn phase(pod: &Value) -> &str {
    object::str_path(pod, &["status", "phase"])
}

fn cond(ty: &str, status: &str, t: &str, reason: Option<&str>, message: Option<&str>) -> Value {
    let mut c = serde_json::Map::new();
    c.insert("type".into(), json!(ty));
    c.insert("status".into(), json!(status));
    if let Some(r) = reason {
        c.insert("reason".into(), json!(r));
    }
    if let Some(m) = message {
        c.insert("message".into(), json!(m));
    }
    c.insert("lastProbeTime".into(), Value::Null);
    c.insert("lastTransitionTime".into(), json!(t));
    Value::Object(c)
}

/// Docker Hub names the way the container runtime reports them.
fn normalize_image(image: &str) -> String {
    let (name, tag) = match image.rsplit_once('@') {
        Some(_) => (image.to_string(), String::new()),
        None => {
            let last = image.rsplit('/').next().unwrap_or(image);
            if last.contains(':') {
                (image.to_string(), String::new())
            } else {
                (image.to_string(), ":latest".to_string())
            }
        }
    };
    let first = name.split('/').next().unwrap_or("");
    let has_registry =
        name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let full = if has_registry {
        name
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{full}{tag}")
}

/// A stable fake digest for an image.
fn digest_of(image: &str) -> String {
    let mut out = String::new();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for round in 0u8..4 {
        for b in image.bytes().chain([round]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

impl SimCluster {
    /// One pass of every controller; whether anything changed.
    pub(super) fn reconcile_once(&mut self) -> bool {
        let rv = self.state.resource_version;
        self.garbage_collect();
        self.namespace_controller();
        self.deployment_controller();
        self.replicaset_controller();
        self.statefulset_controller();
        self.daemonset_controller();
        self.job_controller();
        self.scheduler_and_kubelet();
        self.endpoints_controller();
        self.state.resource_version != rv
    }

    /// Records an event about `involved` (a core/v1 Event, as `client-go/tools/record` writes).
    pub(super) fn event(
        &mut self,
        involved: &Value,
        ty: &str,
        reason: &str,
        message: &str,
        component: &str,
        field_path: Option<&str>,
    ) {
        let info = Self::info("", "Event");
        let now = self.now();
        self.state.event_seq += 1;
        let nanos =
            (now.0 as u128) * 1_000_000_000 + u128::from(self.state.event_seq % 1_000_000_000);
        let ns = match object::namespace(involved) {
            "" => "default".to_string(),
            n => n.to_string(),
        };
        let mut io = serde_json::Map::new();
        io.insert("kind".into(), json!(object::kind(involved)));
        if !object::namespace(involved).is_empty() {
            io.insert("namespace".into(), json!(object::namespace(involved)));
        }
        io.insert("name".into(), json!(object::name(involved)));
        io.insert("uid".into(), json!(object::uid(involved)));
        io.insert("apiVersion".into(), json!(object::api_version(involved)));
        io.insert(
            "resourceVersion".into(),
            json!(object::resource_version(involved)),
        );
        if let Some(fp) = field_path {
            io.insert("fieldPath".into(), json!(fp));
        }
        let host = if component == "kubelet" {
            Some(NODE_NAME)
        } else {
            None
        };
        let mut source = serde_json::Map::new();
        source.insert("component".into(), json!(component));
        if let Some(h) = host {
            source.insert("host".into(), json!(h));
        }
        let ev = obj(vec![
            ("apiVersion", json!("v1")),
            ("kind", json!("Event")),
            (
                "metadata",
                json!({"name": format!("{}.{:x}", object::name(involved), nanos), "namespace": ns}),
            ),
            ("involvedObject", Value::Object(io)),
            ("reason", json!(reason)),
            ("message", json!(message)),
            ("source", Value::Object(source)),
            ("firstTimestamp", json!(now.rfc3339())),
            ("lastTimestamp", json!(now.rfc3339())),
            ("count", json!(1)),
            ("type", json!(ty)),
            ("eventTime", Value::Null),
            ("reportingComponent", json!(component)),
            ("reportingInstance", json!(host.unwrap_or(""))),
        ]);
        self.write(&info, None, ev, "", "");
    }

    fn owned_by<'a>(objs: &'a [Value], uid: &str) -> Vec<&'a Value> {
        objs.iter()
            .filter(|o| {
                object::controller_of(o)
                    .map(|r| r.uid == uid)
                    .unwrap_or(false)
            })
            .collect()
    }

    // ----- garbage collector ---------------------------------------------------------------

    fn garbage_collect(&mut self) {
        let uids: BTreeSet<String> = self
            .state
            .objects
            .values()
            .map(|o| object::uid(o).to_string())
            .collect();
        let with_owners: Vec<(String, Value)> = self
            .state
            .objects
            .iter()
            .filter(|(_, v)| !object::owner_references(v).is_empty())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (key, o) in with_owners {
            let refs = object::owner_references(&o);
            let alive: Vec<&OwnerReference> =
                refs.iter().filter(|r| uids.contains(&r.uid)).collect();
            let Some(info) = self.info_for_key(&key) else {
                continue;
            };
            if alive.is_empty() {
                if self.state.objects.contains_key(&key) {
                    self.delete_object(&info, &o, Propagation::Background);
                }
            } else if alive.len() < refs.len() {
                let mut n = o.clone();
                let kept: Vec<Value> = alive.iter().map(|r| r.to_value()).collect();
                object::ensure_map(&mut n, &["metadata"])
                    .insert("ownerReferences".into(), Value::Array(kept));
                self.write(&info, Some(&o), n, "", "");
            }
        }
    }

    // ----- namespaces ------------------------------------------------------------------------

    fn namespace_controller(&mut self) {
        let ns_info = Self::info("", "Namespace");
        let sa_info = Self::info("", "ServiceAccount");
        let cm_info = Self::info("", "ConfigMap");
        for ns in self.objects_of(&ns_info, None) {
            let name = object::name(&ns).to_string();
            if self.lookup(&sa_info, &name, "default").is_none() {
                let sa = obj(vec![
                    ("apiVersion", json!("v1")),
                    ("kind", json!("ServiceAccount")),
                    ("metadata", json!({"name": "default", "namespace": name})),
                ]);
                self.write(&sa_info, None, sa, KCM, "");
            }
            if self.lookup(&cm_info, &name, "kube-root-ca.crt").is_none() {
                let body: String = (0..16)
                    .map(|_| self.rand_string(64))
                    .collect::<Vec<_>>()
                    .join("\n");
                let cm = obj(vec![
                    ("apiVersion", json!("v1")),
                    ("kind", json!("ConfigMap")),
                    (
                        "metadata",
                        json!({"name": "kube-root-ca.crt", "namespace": name, "annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."}}),
                    ),
                    (
                        "data",
                        json!({"ca.crt": format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n")}),
                    ),
                ]);
                self.write(&cm_info, None, cm, KCM, "");
            }
        }
    }

    // ----- deployments -----------------------------------------------------------------------

    fn attach_rollout(&mut self, ns: &str, name: &str, rollout: Rollout) {
        if let Some(c) = self.changes.iter_mut().rev().find(|c| {
            c.object.kind == "Deployment" && c.object.namespace == ns && c.object.name == name
        }) {
            match &mut c.rollout {
                Some(existing) => {
                    existing.pods_rolled |= rollout.pods_rolled;
                    if rollout.pods_rolled {
                        existing.reasons = rollout.reasons;
                        existing.reused_replicaset = rollout.reused_replicaset;
                    }
                    existing.revision = rollout.revision;
                    existing.new_replicaset = rollout.new_replicaset;
                    for o in rollout.old_replicasets {
                        if !existing.old_replicasets.contains(&o) {
                            existing.old_replicasets.push(o);
                        }
                    }
                    if rollout.scaled.is_some() {
                        existing.scaled = rollout.scaled;
                    }
                }
                None => c.rollout = Some(rollout),
            }
        }
    }

    fn deployment_controller(&mut self) {
        let d_info = Self::info("apps", "Deployment");
        let rs_info = Self::info("apps", "ReplicaSet");
        for d in self.objects_of(&d_info, None) {
            if object::is_deleting(&d) {
                continue;
            }
            let ns = object::namespace(&d).to_string();
            let dname = object::name(&d).to_string();
            let uid = object::uid(&d).to_string();
            let Some(template) = object::get_path(&d, &["spec", "template"]).cloned() else {
                continue;
            };
            let replicas = object::int_path(&d, &["spec", "replicas"]).unwrap_or(1);
            let all_rs = self.objects_of(&rs_info, Some(&ns));
            let owned: Vec<Value> = Self::owned_by(&all_rs, &uid).into_iter().cloned().collect();
            let max_rev = owned.iter().map(revision_of).max().unwrap_or(0);
            let newest_active = owned
                .iter()
                .filter(|r| revision_of(r) == max_rev)
                .max_by_key(|r| object::int_path(r, &["spec", "replicas"]).unwrap_or(0))
                .cloned();
            let found = owned
                .iter()
                .find(|r| {
                    r.get("spec")
                        .and_then(|s| s.get("template"))
                        .map(without_hash)
                        == Some(without_hash(&template))
                })
                .cloned();
            let surge = int_or_percent(
                object::get_path(&d, &["spec", "strategy", "rollingUpdate", "maxSurge"]),
                replicas,
                true,
            );
            let max_replicas = if object::str_path(&d, &["spec", "strategy", "type"]) == "Recreate"
            {
                replicas
            } else {
                replicas.saturating_add(surge)
            };
            let mut rollout: Option<Rollout> = None;
            let new_rs = match found {
                None => {
                    let mut collision = object::int_path(&d, &["status", "collisionCount"])
                        .unwrap_or(0)
                        .max(0) as u32;
                    let mut hash = pod_template_hash(&template, collision);
                    let mut rs_name = format!("{dname}-{hash}");
                    let mut guard = 0;
                    while self.lookup(&rs_info, &ns, &rs_name).is_some() && guard < 20 {
                        collision += 1;
                        guard += 1;
                        hash = pod_template_hash(&template, collision);
                        rs_name = format!("{dname}-{hash}");
                    }
                    if collision > 0 {
                        let mut nd = d.clone();
                        object::ensure_map(&mut nd, &["status"])
                            .insert("collisionCount".into(), json!(collision));
                        self.write(&d_info, Some(&d), nd, KCM, "status");
                    }
                    let revision = max_rev + 1;
                    let mut tpl = template.clone();
                    object::ensure_map(&mut tpl, &["metadata", "labels"])
                        .insert("pod-template-hash".into(), json!(hash));
                    let mut labels = object::string_map_at(&template, &["metadata", "labels"]);
                    labels.insert("pod-template-hash".into(), hash.clone());
                    let mut annotations: serde_json::Map<String, Value> = object::annotations(&d)
                        .into_iter()
                        .filter(|(k, _)| {
                            !matches!(
                                k.as_str(),
                                "kubectl.kubernetes.io/last-applied-configuration"
                                    | "deployment.kubernetes.io/revision"
                                    | "deployment.kubernetes.io/revision-history"
                                    | "deployment.kubernetes.io/desired-replicas"
                                    | "deployment.kubernetes.io/max-replicas"
                                    | "deprecated.deployment.rollback.to"
                            )
                        })
                        .map(|(k, v)| (k, json!(v)))
                        .collect();
                    annotations.insert(
                        "deployment.kubernetes.io/desired-replicas".into(),
                        json!(replicas.to_string()),
                    );
                    annotations.insert(
                        "deployment.kubernetes.io/max-replicas".into(),
                        json!(max_replicas.to_string()),
                    );
                    annotations.insert(
                        "deployment.kubernetes.io/revision".into(),
                        json!(revision.to_string()),
                    );
                    let mut selector = object::get_path(&d, &["spec", "selector"])
                        .cloned()
                        .unwrap_or(json!({}));
                    object::ensure_map(&mut selector, &["matchLabels"])
                        .insert("pod-template-hash".into(), json!(hash));
                    let mut spec = obj(vec![("replicas", json!(replicas))]);
                    if let Some(mrs) = object::get_path(&d, &["spec", "minReadySeconds"]) {
                        object::set_path(&mut spec, &["minReadySeconds"], mrs.clone());
                    }
                    object::set_path(&mut spec, &["selector"], selector);
                    object::set_path(&mut spec, &["template"], tpl);
                    let rs = obj(vec![
                        ("apiVersion", json!("apps/v1")),
                        ("kind", json!("ReplicaSet")),
                        (
                            "metadata",
                            obj(vec![
                                ("name", json!(rs_name)),
                                ("namespace", json!(ns)),
                                ("labels", json!(labels)),
                                ("annotations", Value::Object(annotations)),
                                (
                                    "ownerReferences",
                                    json!([OwnerReference::controller_of(&d).to_value()]),
                                ),
                            ]),
                        ),
                        ("spec", spec),
                    ]);
                    let mut rs = rs;
                    super::defaults::default_object(self, &rs_info, &mut rs, None);
                    let stored = self.write(&rs_info, None, rs, KCM, "");
                    self.event(
                        &d,
                        "Normal",
                        "ScalingReplicaSet",
                        &format!("Scaled up replica set {rs_name} from 0 to {replicas}"),
                        "deployment-controller",
                        None,
                    );
                    let reasons = newest_active
                        .as_ref()
                        .and_then(|o| o.get("spec").and_then(|s| s.get("template")))
                        .map(|old_t| pod_template_diff(old_t, &template))
                        .unwrap_or_default();
                    rollout = Some(Rollout {
                        namespace: ns.clone(),
                        deployment: dname.clone(),
                        initial: newest_active.is_none(),
                        pods_rolled: newest_active.is_some(),
                        reused_replicaset: false,
                        reasons,
                        revision,
                        new_replicaset: rs_name.clone(),
                        old_replicasets: Vec::new(),
                        pods_created: Vec::new(),
                        pods_deleted: Vec::new(),
                        scaled: None,
                    });
                    stored
                }
                Some(rs) => {
                    let mut nrs = rs.clone();
                    let mut changed = false;
                    let rs_name = object::name(&rs).to_string();
                    let cur_rev = revision_of(&rs);
                    if cur_rev < max_rev {
                        // Rolling back to an older template: that ReplicaSet becomes the newest revision.
                        let mut history: Vec<String> = object::annotations(&rs)
                            .get("deployment.kubernetes.io/revision-history")
                            .map(|h| {
                                h.split(',')
                                    .filter(|s| !s.is_empty())
                                    .map(String::from)
                                    .collect()
                            })
                            .unwrap_or_default();
                        history.push(cur_rev.to_string());
                        object::set_annotation(
                            &mut nrs,
                            "deployment.kubernetes.io/revision",
                            &(max_rev + 1).to_string(),
                        );
                        object::set_annotation(
                            &mut nrs,
                            "deployment.kubernetes.io/revision-history",
                            &history.join(","),
                        );
                        changed = true;
                        let reasons = newest_active
                            .as_ref()
                            .and_then(|o| o.get("spec").and_then(|s| s.get("template")))
                            .map(|old_t| pod_template_diff(old_t, &template))
                            .unwrap_or_default();
                        rollout = Some(Rollout {
                            namespace: ns.clone(),
                            deployment: dname.clone(),
                            initial: false,
                            pods_rolled: true,
                            reused_replicaset: true,
                            reasons,
                            revision: max_rev + 1,
                            new_replicaset: rs_name.clone(),
                            old_replicasets: Vec::new(),
                            pods_created: Vec::new(),
                            pods_deleted: Vec::new(),
                            scaled: None,
                        });
                    }
                    let cur = object::int_path(&rs, &["spec", "replicas"]).unwrap_or(0);
                    if cur != replicas {
                        object::set_path(&mut nrs, &["spec", "replicas"], json!(replicas));
                        changed = true;
                        let dir = if cur < replicas { "up" } else { "down" };
                        self.event(
                            &d,
                            "Normal",
                            "ScalingReplicaSet",
                            &format!("Scaled {dir} replica set {rs_name} from {cur} to {replicas}"),
                            "deployment-controller",
                            None,
                        );
                        if rollout.is_none() && cur > 0 {
                            rollout = Some(Rollout {
                                namespace: ns.clone(),
                                deployment: dname.clone(),
                                initial: false,
                                pods_rolled: false,
                                reused_replicaset: false,
                                reasons: Vec::new(),
                                revision: revision_of(&nrs),
                                new_replicaset: rs_name.clone(),
                                old_replicasets: Vec::new(),
                                pods_created: Vec::new(),
                                pods_deleted: Vec::new(),
                                scaled: Some((cur, replicas)),
                            });
                        }
                    }
                    for (k, v) in [
                        ("deployment.kubernetes.io/desired-replicas", replicas),
                        ("deployment.kubernetes.io/max-replicas", max_replicas),
                    ] {
                        if object::annotations(&nrs).get(k) != Some(&v.to_string()) {
                            object::set_annotation(&mut nrs, k, &v.to_string());
                            changed = true;
                        }
                    }
                    if changed {
                        self.write(&rs_info, Some(&rs), nrs, KCM, "")
                    } else {
                        rs
                    }
                }
            };
            let new_name = object::name(&new_rs).to_string();
            // Old ReplicaSets go to zero.
            let mut old_names = Vec::new();
            for old in owned.iter().filter(|r| object::name(r) != new_name) {
                let cur = object::int_path(old, &["spec", "replicas"]).unwrap_or(0);
                if cur != 0 {
                    let mut n = old.clone();
                    object::set_path(&mut n, &["spec", "replicas"], json!(0));
                    self.write(&rs_info, Some(old), n, KCM, "");
                    let oname = object::name(old).to_string();
                    self.event(
                        &d,
                        "Normal",
                        "ScalingReplicaSet",
                        &format!("Scaled down replica set {oname} from {cur} to 0"),
                        "deployment-controller",
                        None,
                    );
                    old_names.push(oname);
                }
            }
            if let Some(mut r) = rollout.take() {
                r.old_replicasets = old_names;
                self.attach_rollout(&ns, &dname, r);
            }
            // History limit: oldest unused ReplicaSets beyond revisionHistoryLimit are deleted.
            let limit = object::int_path(&d, &["spec", "revisionHistoryLimit"])
                .unwrap_or(10)
                .max(0) as usize;
            let current: Vec<Value> = Self::owned_by(&self.objects_of(&rs_info, Some(&ns)), &uid)
                .into_iter()
                .cloned()
                .collect();
            let mut idle: Vec<Value> = current
                .into_iter()
                .filter(|r| object::name(r) != new_name)
                .filter(|r| {
                    object::int_path(r, &["spec", "replicas"]).unwrap_or(0) == 0
                        && object::int_path(r, &["status", "replicas"]).unwrap_or(0) == 0
                })
                .collect();
            idle.sort_stable_by_key(revision_of);
            if idle.len() > limit {
                let extra = idle.len() - limit;
                for r in idle.into_iter().take(extra) {
                    self.delete_object(&rs_info, &r, Propagation::Background);
                }
            }
            // The deployment's own revision annotation and status.
            let Some(d_now) = self.lookup(&d_info, &ns, &dname).cloned() else {
                continue;
            };
            let new_rs_now = self
                .lookup(&rs_info, &ns, &new_name)
                .cloned()
                .unwrap_or(new_rs);
            let rev = revision_of(&new_rs_now).to_string();
            let mut nd = d_now.clone();
            if object::annotations(&nd).get("deployment.kubernetes.io/revision") != Some(&rev) {
                object::set_annotation(&mut nd, "deployment.kubernetes.io/revision", &rev);
                nd = self.write(&d_info, Some(&d_now), nd, KCM, "");
            }
            let all_owned: Vec<Value> = Self::owned_by(&self.objects_of(&rs_info, Some(&ns)), &uid)
                .into_iter()
                .cloned()
                .collect();
            let sum = |f: &str| {
                all_owned
                    .iter()
                    .map(|r| object::int_path(r, &["status", f]).unwrap_or(0))
                    .sum::<i64>()
            };
            let total = sum("replicas");
            let ready = sum("readyReplicas");
            let available = sum("availableReplicas");
            let updated = object::int_path(&new_rs_now, &["status", "replicas"]).unwrap_or(0);
            let max_unavail = if object::str_path(&nd, &["spec", "strategy", "type"]) == "Recreate"
            {
                0
            } else {
                int_or_percent(
                    object::get_path(
                        &nd,
                        &["spec", "strategy", "rollingUpdate", "maxUnavailable"],
                    ),
                    replicas,
                    false,
                )
            };
            let now = self.now().rfc3339();
            let old_conds: Vec<Value> = object::get_path(&nd, &["status", "conditions"])
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let keep_time = |ty: &str, status: &str, reason: &str| -> (String, String) {
                match old_conds.iter().find(|c| c.get("type") == Some(&json!(ty))) {
                    Some(c) if c.get("status") == Some(&json!(status)) => {
                        let tr = c
                            .get("lastTransitionTime")
                            .and_then(Value::as_str)
                            .unwrap_or(&now)
                            .to_string();
                        let up = if c.get("reason") == Some(&json!(reason)) {
                            c.get("lastUpdateTime")
                                .and_then(Value::as_str)
                                .unwrap_or(&now)
                                .to_string()
                        } else {
                            now.clone()
                        };
                        (up, tr)
                    }
                    _ => (now.clone(), now.clone()),
                }
            };
            let avail_ok = available >= replicas - max_unavail;
            let (a_status, a_reason, a_msg) = if avail_ok {
                (
                    "True",
                    "MinimumReplicasAvailable",
                    "Deployment has minimum availability.".to_string(),
                )
            } else {
                (
                    "False",
                    "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.".to_string(),
                )
            };
            let complete = updated == replicas && total == replicas && available == replicas;
            let (p_reason, p_msg) = if complete {
                (
                    "NewReplicaSetAvailable",
                    format!("ReplicaSet \"{new_name}\" has successfully progressed."),
                )
            } else {
                (
                    "ReplicaSetUpdated",
                    format!("ReplicaSet \"{new_name}\" is progressing."),
                )
            };
            let (au, at) = keep_time("Available", a_status, a_reason);
            let (pu, pt) = keep_time("Progressing", "True", p_reason);
            let mut status = obj(vec![
                ("observedGeneration", json!(object::generation(&nd))),
                ("replicas", json!(total)),
                ("updatedReplicas", json!(updated)),
                ("readyReplicas", json!(ready)),
                ("availableReplicas", json!(available)),
            ]);
            let unavailable = (replicas - available).max(0);
            if unavailable > 0 {
                object::set_path(&mut status, &["unavailableReplicas"], json!(unavailable));
            }
            object::set_path(
                &mut status,
                &["conditions"],
                json!([
                    {"type": "Available", "status": a_status, "lastUpdateTime": au, "lastTransitionTime": at, "reason": a_reason, "message": a_msg},
                    {"type": "Progressing", "status": "True", "lastUpdateTime": pu, "lastTransitionTime": pt, "reason": p_reason, "message": p_msg}
                ]),
            );
            if let Some(cc) = object::get_path(&nd, &["status", "collisionCount"]) {
                object::set_path(&mut status, &["collisionCount"], cc.clone());
            }
            // Zero counts are omitted (omitempty), except that an empty status stays `{}`.
            if let Value::Object(m) = &mut status {
                for k in [
                    "replicas",
                    "updatedReplicas",
                    "readyReplicas",
                    "availableReplicas",
                ] {
                    if m.get(k) == Some(&json!(0)) {
                        m.shift_remove(k);
                    }
                }
            }
            if nd.get("status") != Some(&status) {
                let mut n2 = nd.clone();
                object::set_path(&mut n2, &["status"], status);
                self.write(&d_info, Some(&nd), n2, KCM, "status");
            }
        }
    }

    // ----- replica sets ----------------------------------------------------------------------

    /// A pod from a template, owned by `owner`.
    fn create_pod(
        &mut self,
        owner: &Value,
        template: &Value,
        name: &str,
        generate_name: Option<&str>,
        extra_labels: &[(&str, String)],
        spec_extra: &[(&str, Value)],
    ) -> Value {
        let pod_info = Self::info("", "Pod");
        let ns = object::namespace(owner).to_string();
        let mut meta = serde_json::Map::new();
        meta.insert("name".into(), json!(name));
        if let Some(g) = generate_name {
            meta.insert("generateName".into(), json!(g));
        }
        meta.insert("namespace".into(), json!(ns));
        let mut labels = object::get_path(template, &["metadata", "labels"])
            .cloned()
            .unwrap_or(json!({}));
        for (k, v) in extra_labels {
            object::ensure_map(&mut labels, &[]).insert((*k).to_string(), json!(v));
        }
        if labels.as_object().map(|m| !m.is_empty()).unwrap_or(false) {
            meta.insert("labels".into(), labels);
        }
        if let Some(a) = object::get_path(template, &["metadata", "annotations"]) {
            meta.insert("annotations".into(), a.clone());
        }
        meta.insert(
            "ownerReferences".into(),
            json!([OwnerReference::controller_of(owner).to_value()]),
        );
        let mut spec = template.get("spec").cloned().unwrap_or(json!({}));
        for (k, v) in spec_extra {
            object::set_path(&mut spec, &[k], v.clone());
        }
        let mut pod = obj(vec![
            ("apiVersion", json!("v1")),
            ("kind", json!("Pod")),
            ("metadata", Value::Object(meta)),
            ("spec", spec),
        ]);
        super::defaults::default_object(self, &pod_info, &mut pod, None);
        self.write(&pod_info, None, pod, KCM, "")
    }

    fn unique_pod_name(&mut self, prefix: &str, ns: &str) -> String {
        let pod_info = Self::info("", "Pod");
        for _ in 0..50 {
            let n = format!("{prefix}{}", self.rand_string(5));
            if self.lookup(&pod_info, ns, &n).is_none() {
                return n;
            }
        }
        format!("{prefix}{}", self.rand_string(8))
    }

    fn replicaset_controller(&mut self) {
        let rs_info = Self::info("apps", "ReplicaSet");
        let pod_info = Self::info("", "Pod");
        for rs in self.objects_of(&rs_info, None) {
            if object::is_deleting(&rs) {
                continue;
            }
            let ns = object::namespace(&rs).to_string();
            let name = object::name(&rs).to_string();
            let uid = object::uid(&rs).to_string();
            let desired = object::int_path(&rs, &["spec", "replicas"])
                .unwrap_or(1)
                .clamp(0, 50);
            let pods = self.objects_of(&pod_info, Some(&ns));
            let mut mine: Vec<Value> = Self::owned_by(&pods, &uid)
                .into_iter()
                .filter(|p| !matches!(phase(p), "Succeeded" | "Failed"))
                .cloned()
                .collect();
            let Some(template) = object::get_path(&rs, &["spec", "template"]).cloned() else {
                continue;
            };
            let have = mine.len() as i64;
            if have < desired {
                for _ in have..desired {
                    let pname = self.unique_pod_name(&format!("{name}-"), &ns);
                    let p = self.create_pod(
                        &rs,
                        &template,
                        &pname,
                        Some(&format!("{name}-")),
                        &[],
                        &[],
                    );
                    self.event(
                        &rs,
                        "Normal",
                        "SuccessfulCreate",
                        &format!("Created pod: {pname}"),
                        "replicaset-controller",
                        None,
                    );
                    self.pod_log.push(PodLog {
                        namespace: ns.clone(),
                        owner: name.clone(),
                        pod: pname,
                        created: true,
                    });
                    mine.push(p);
                }
            } else if have > desired {
                // Newest first, as the controller prefers deleting the youngest pods.
                mine.sort_stable_by(|a, b| {
                    object::str_path(b, &["metadata", "creationTimestamp"])
                        .cmp(object::str_path(a, &["metadata", "creationTimestamp"]))
                        .then(object::name(b).cmp(object::name(a)))
                });
                let extra = (have - desired) as usize;
                let doomed: Vec<Value> = mine.drain(..extra).collect();
                for p in doomed {
                    let pname = object::name(&p).to_string();
                    self.delete_object(&pod_info, &p, Propagation::Background);
                    self.event(
                        &rs,
                        "Normal",
                        "SuccessfulDelete",
                        &format!("Deleted pod: {pname}"),
                        "replicaset-controller",
                        None,
                    );
                    self.pod_log.push(PodLog {
                        namespace: ns.clone(),
                        owner: name.clone(),
                        pod: pname,
                        created: false,
                    });
                }
            }
            let ready = mine.iter().filter(|p| is_ready(p)).count() as i64;
            let mut status = obj(vec![("replicas", json!(mine.len()))]);
            if !mine.is_empty() {
                object::set_path(&mut status, &["fullyLabeledReplicas"], json!(mine.len()));
            }
            if ready > 0 {
                object::set_path(&mut status, &["readyReplicas"], json!(ready));
                object::set_path(&mut status, &["availableReplicas"], json!(ready));
            }
            object::set_path(
                &mut status,
                &["observedGeneration"],
                json!(object::generation(&rs)),
            );
            if let Some(cur) = self.lookup(&rs_info, &ns, &name).cloned() {
                if cur.get("status") != Some(&status) {
                    let mut n = cur.clone();
                    object::set_path(&mut n, &["status"], status);
                    self.write(&rs_info, Some(&cur), n, KCM, "status");
                }
            }
        }
    }

    // ----- stateful sets -----------------------------------------------------------------------

    fn ensure_revision(&mut self, owner: &Value, template: &Value, hash: &str) -> String {
        let cr_info = Self::info("apps", "ControllerRevision");
        let ns = object::namespace(owner).to_string();
        let name = format!("{}-{hash}", object::name(owner));
        if self.lookup(&cr_info, &ns, &name).is_none() {
            let uid = object::uid(owner).to_string();
            let revision = self
                .objects_of(&cr_info, Some(&ns))
                .iter()
                .filter(|c| {
                    object::controller_of(c)
                        .map(|r| r.uid == uid)
                        .unwrap_or(false)
                })
                .filter_map(|c| c.get("revision").and_then(Value::as_i64))
                .max()
                .unwrap_or(0)
                + 1;
            let mut tpl = template.clone();
            object::ensure_map(&mut tpl, &[]).insert("$patch".into(), json!("replace"));
            let mut labels = object::string_map_at(template, &["metadata", "labels"]);
            labels.insert("controller.kubernetes.io/hash".into(), hash.to_string());
            let cr = obj(vec![
                ("apiVersion", json!("apps/v1")),
                ("kind", json!("ControllerRevision")),
                (
                    "metadata",
                    json!({"name": name, "namespace": ns, "labels": labels, "ownerReferences": [OwnerReference::controller_of(owner).to_value()]}),
                ),
                ("data", json!({"spec": {"template": tpl}})),
                ("revision", json!(revision)),
            ]);
            self.write(&cr_info, None, cr, KCM, "");
        }
        name
    }

    fn statefulset_controller(&mut self) {
        let sts_info = Self::info("apps", "StatefulSet");
        let pod_info = Self::info("", "Pod");
        let pvc_info = Self::info("", "PersistentVolumeClaim");
        for sts in self.objects_of(&sts_info, None) {
            if object::is_deleting(&sts) {
                continue;
            }
            let ns = object::namespace(&sts).to_string();
            let name = object::name(&sts).to_string();
            let replicas = object::int_path(&sts, &["spec", "replicas"])
                .unwrap_or(1)
                .clamp(0, 50);
            let Some(template) = object::get_path(&sts, &["spec", "template"]).cloned() else {
                continue;
            };
            let hash = pod_template_hash(&template, 0);
            let rev = self.ensure_revision(&sts, &template, &hash);
            let claims: Vec<Value> = object::get_path(&sts, &["spec", "volumeClaimTemplates"])
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for i in 0..replicas {
                let pname = format!("{name}-{i}");
                let existing = self.lookup(&pod_info, &ns, &pname).cloned();
                if let Some(p) = &existing {
                    if object::labels(p).get("controller-revision-hash") == Some(&rev) {
                        continue;
                    }
                    self.delete_object(&pod_info, p, Propagation::Background);
                    self.event(
                        &sts,
                        "Normal",
                        "SuccessfulDelete",
                        &format!("delete Pod {pname} in StatefulSet {name} successful"),
                        "statefulset-controller",
                        None,
                    );
                }
                let mut volumes: Vec<Value> = object::get_path(&template, &["spec", "volumes"])
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for c in &claims {
                    let cname = object::name(c).to_string();
                    let claim_name = format!("{cname}-{name}-{i}");
                    if self.lookup(&pvc_info, &ns, &claim_name).is_none() {
                        let mut labels = object::string_map_at(&template, &["metadata", "labels"]);
                        labels.extend(object::labels(c));
                        let storage =
                            object::get_path(c, &["spec", "resources", "requests", "storage"])
                                .cloned()
                                .unwrap_or(json!("1Gi"));
                        let modes = object::get_path(c, &["spec", "accessModes"])
                            .cloned()
                            .unwrap_or(json!(["ReadWriteOnce"]));
                        let mut pvc = obj(vec![
                            ("apiVersion", json!("v1")),
                            ("kind", json!("PersistentVolumeClaim")),
                            (
                                "metadata",
                                json!({"name": claim_name, "namespace": ns, "labels": labels}),
                            ),
                            ("spec", c.get("spec").cloned().unwrap_or(json!({}))),
                        ]);
                        super::defaults::default_object(self, &pvc_info, &mut pvc, None);
                        let vol = format!("pvc-{}", self.new_uid());
                        object::set_path(&mut pvc, &["spec", "volumeName"], json!(vol));
                        object::set_path(
                            &mut pvc,
                            &["status"],
                            json!({"phase": "Bound", "accessModes": modes, "capacity": {"storage": storage}}),
                        );
                        self.write(&pvc_info, None, pvc, KCM, "");
                        self.event(&sts, "Normal", "SuccessfulCreate", &format!("create Claim {claim_name} Pod {pname} in StatefulSet {name} success"), "statefulset-controller", None);
                    }
                    volumes.retain(|v| v.get("name") != Some(&json!(cname)));
                    volumes.push(
                        json!({"name": cname, "persistentVolumeClaim": {"claimName": claim_name}}),
                    );
                }
                let mut extra_spec: Vec<(&str, Value)> = vec![("hostname", json!(pname))];
                let svc = object::str_path(&sts, &["spec", "serviceName"]).to_string();
                if !svc.is_empty() {
                    extra_spec.push(("subdomain", json!(svc)));
                }
                if !volumes.is_empty() {
                    extra_spec.push(("volumes", Value::Array(volumes)));
                }
                self.create_pod(
                    &sts,
                    &template,
                    &pname,
                    None,
                    &[
                        ("apps.kubernetes.io/pod-index", i.to_string()),
                        ("controller-revision-hash", rev.clone()),
                        ("statefulset.kubernetes.io/pod-name", pname.clone()),
                    ],
                    &extra_spec,
                );
                self.event(
                    &sts,
                    "Normal",
                    "SuccessfulCreate",
                    &format!("create Pod {pname} in StatefulSet {name} successful"),
                    "statefulset-controller",
                    None,
                );
            }
            let uid = object::uid(&sts).to_string();
            let pods = self.objects_of(&pod_info, Some(&ns));
            let mine: Vec<Value> = Self::owned_by(&pods, &uid).into_iter().cloned().collect();
            for p in &mine {
                let idx: i64 = object::labels(p)
                    .get("apps.kubernetes.io/pod-index")
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(-1);
                if idx >= replicas {
                    let pname = object::name(p).to_string();
                    self.delete_object(&pod_info, p, Propagation::Background);
                    self.event(
                        &sts,
                        "Normal",
                        "SuccessfulDelete",
                        &format!("delete Pod {pname} in StatefulSet {name} successful"),
                        "statefulset-controller",
                        None,
                    );
                }
            }
            let pods = self.objects_of(&pod_info, Some(&ns));
            let mine: Vec<&Value> = Self::owned_by(&pods, &uid);
            let ready = mine.iter().filter(|p| is_ready(p)).count() as i64;
            let updated = mine
                .iter()
                .filter(|p| object::labels(p).get("controller-revision-hash") == Some(&rev))
                .count() as i64;
            let mut status = obj(vec![
                ("observedGeneration", json!(object::generation(&sts))),
                ("replicas", json!(mine.len())),
                ("readyReplicas", json!(ready)),
                ("currentReplicas", json!(updated)),
                ("updatedReplicas", json!(updated)),
                ("currentRevision", json!(rev)),
                ("updateRevision", json!(rev)),
                ("collisionCount", json!(0)),
                ("availableReplicas", json!(ready)),
            ]);
            if let Value::Object(m) = &mut status {
                for k in ["readyReplicas", "currentReplicas", "updatedReplicas"] {
                    if m.get(k) == Some(&json!(0)) {
                        m.shift_remove(k);
                    }
                }
            }
            if let Some(cur) = self.lookup(&sts_info, &ns, &name).cloned() {
                if cur.get("status") != Some(&status) {
                    let mut n = cur.clone();
                    object::set_path(&mut n, &["status"], status);
                    self.write(&sts_info, Some(&cur), n, KCM, "status");
                }
            }
        }
    }

    // ----- daemon sets -------------------------------------------------------------------------

    fn daemonset_controller(&mut self) {
        let ds_info = Self::info("apps", "DaemonSet");
        let pod_info = Self::info("", "Pod");
        for ds in self.objects_of(&ds_info, None) {
            if object::is_deleting(&ds) {
                continue;
            }
            let ns = object::namespace(&ds).to_string();
            let name = object::name(&ds).to_string();
            let uid = object::uid(&ds).to_string();
            let Some(template) = object::get_path(&ds, &["spec", "template"]).cloned() else {
                continue;
            };
            let hash = pod_template_hash(&template, 0);
            self.ensure_revision(&ds, &template, &hash);
            let pods = self.objects_of(&pod_info, Some(&ns));
            let mine: Vec<Value> = Self::owned_by(&pods, &uid).into_iter().cloned().collect();
            let current = mine
                .iter()
                .find(|p| object::labels(p).get("controller-revision-hash") == Some(&hash))
                .cloned();
            for p in mine
                .iter()
                .filter(|p| object::labels(p).get("controller-revision-hash") != Some(&hash))
            {
                let pname = object::name(p).to_string();
                self.delete_object(&pod_info, p, Propagation::Background);
                self.event(
                    &ds,
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted pod: {pname}"),
                    "daemonset-controller",
                    None,
                );
            }
            if current.is_none() {
                let pname = self.unique_pod_name(&format!("{name}-"), &ns);
                let affinity = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [NODE_NAME]}]}]}}});
                self.create_pod(
                    &ds,
                    &template,
                    &pname,
                    Some(&format!("{name}-")),
                    &[
                        ("controller-revision-hash", hash.clone()),
                        (
                            "pod-template-generation",
                            object::generation(&ds).to_string(),
                        ),
                    ],
                    &[("affinity", affinity)],
                );
                self.event(
                    &ds,
                    "Normal",
                    "SuccessfulCreate",
                    &format!("Created pod: {pname}"),
                    "daemonset-controller",
                    None,
                );
            }
            let pods = self.objects_of(&pod_info, Some(&ns));
            let mine: Vec<&Value> = Self::owned_by(&pods, &uid);
            let ready = mine.iter().filter(|p| is_ready(p)).count() as i64;
            let status = obj(vec![
                ("currentNumberScheduled", json!(mine.len())),
                ("numberMisscheduled", json!(0)),
                ("desiredNumberScheduled", json!(1)),
                ("numberReady", json!(ready)),
                ("observedGeneration", json!(object::generation(&ds))),
                ("updatedNumberScheduled", json!(mine.len())),
                ("numberAvailable", json!(ready)),
            ]);
            if let Some(cur) = self.lookup(&ds_info, &ns, &name).cloned() {
                if cur.get("status") != Some(&status) {
                    let mut n = cur.clone();
                    object::set_path(&mut n, &["status"], status);
                    self.write(&ds_info, Some(&cur), n, KCM, "status");
                }
            }
        }
    }

    // ----- jobs --------------------------------------------------------------------------------

    fn job_controller(&mut self) {
        let job_info = Self::info("batch", "Job");
        let pod_info = Self::info("", "Pod");
        for job in self.objects_of(&job_info, None) {
            if object::is_deleting(&job) {
                continue;
            }
            let ns = object::namespace(&job).to_string();
            let name = object::name(&job).to_string();
            let uid = object::uid(&job).to_string();
            let conds: Vec<Value> = object::get_path(&job, &["status", "conditions"])
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let finished = conds.iter().any(|c| {
                matches!(
                    c.get("type").and_then(Value::as_str),
                    Some("Complete" | "Failed")
                ) && c.get("status") == Some(&json!("True"))
            });
            if finished {
                continue;
            }
            if object::get_path(&job, &["spec", "suspend"]).and_then(Value::as_bool) == Some(true) {
                continue;
            }
            let Some(template) = object::get_path(&job, &["spec", "template"]).cloned() else {
                continue;
            };
            let completions = object::int_path(&job, &["spec", "completions"])
                .unwrap_or(1)
                .clamp(1, 20);
            let backoff = object::int_path(&job, &["spec", "backoffLimit"])
                .unwrap_or(6)
                .clamp(0, 20);
            let pods = self.objects_of(&pod_info, Some(&ns));
            let mine: Vec<&Value> = Self::owned_by(&pods, &uid);
            let succeeded = mine.iter().filter(|p| phase(p) == "Succeeded").count() as i64;
            let failed = mine.iter().filter(|p| phase(p) == "Failed").count() as i64;
            let active = mine.len() as i64 - succeeded - failed;
            let now = self.now().rfc3339();
            let start = object::str_path(&job, &["status", "startTime"]).to_string();
            let start = if start.is_empty() { now.clone() } else { start };
            let mut status = obj(vec![]);
            if succeeded >= completions {
                let msg = "Reached expected number of succeeded pods";
                object::set_path(
                    &mut status,
                    &["conditions"],
                    json!([
                        {"type": "SuccessCriteriaMet", "status": "True", "lastProbeTime": now, "lastTransitionTime": now, "reason": "CompletionsReached", "message": msg},
                        {"type": "Complete", "status": "True", "lastProbeTime": now, "lastTransitionTime": now, "reason": "CompletionsReached", "message": msg}
                    ]),
                );
                object::set_path(&mut status, &["startTime"], json!(start));
                object::set_path(&mut status, &["completionTime"], json!(now));
                object::set_path(&mut status, &["succeeded"], json!(succeeded));
                if failed > 0 {
                    object::set_path(&mut status, &["failed"], json!(failed));
                }
                object::set_path(&mut status, &["terminating"], json!(0));
                object::set_path(&mut status, &["uncountedTerminatedPods"], json!({}));
                object::set_path(&mut status, &["ready"], json!(0));
                self.event(
                    &job,
                    "Normal",
                    "Completed",
                    "Job completed",
                    "job-controller",
                    None,
                );
            } else if failed > backoff {
                let msg = "Job has reached the specified backoff limit";
                object::set_path(
                    &mut status,
                    &["conditions"],
                    json!([
                        {"type": "FailureTarget", "status": "True", "lastProbeTime": now, "lastTransitionTime": now, "reason": "BackoffLimitExceeded", "message": msg},
                        {"type": "Failed", "status": "True", "lastProbeTime": now, "lastTransitionTime": now, "reason": "BackoffLimitExceeded", "message": msg}
                    ]),
                );
                object::set_path(&mut status, &["startTime"], json!(start));
                object::set_path(&mut status, &["failed"], json!(failed));
                object::set_path(&mut status, &["terminating"], json!(0));
                object::set_path(&mut status, &["uncountedTerminatedPods"], json!({}));
                object::set_path(&mut status, &["ready"], json!(0));
                self.event(
                    &job,
                    "Warning",
                    "BackoffLimitExceeded",
                    msg,
                    "job-controller",
                    None,
                );
            } else {
                if active == 0 && (mine.len() as i64) < completions + backoff + 1 {
                    let pname = self.unique_pod_name(&format!("{name}-"), &ns);
                    self.create_pod(&job, &template, &pname, Some(&format!("{name}-")), &[], &[]);
                    self.event(
                        &job,
                        "Normal",
                        "SuccessfulCreate",
                        &format!("Created pod: {pname}"),
                        "job-controller",
                        None,
                    );
                }
                object::set_path(&mut status, &["startTime"], json!(start));
                object::set_path(&mut status, &["active"], json!(active.max(1)));
                if failed > 0 {
                    object::set_path(&mut status, &["failed"], json!(failed));
                }
                object::set_path(&mut status, &["terminating"], json!(0));
                object::set_path(&mut status, &["uncountedTerminatedPods"], json!({}));
                object::set_path(&mut status, &["ready"], json!(0));
            }
            if let Some(cur) = self.lookup(&job_info, &ns, &name).cloned() {
                if cur.get("status") != Some(&status) {
                    let mut n = cur.clone();
                    object::set_path(&mut n, &["status"], status);
                    self.write(&job_info, Some(&cur), n, KCM, "status");
                }
            }
        }
    }

    // ----- scheduler and kubelet ---------------------------------------------------------------

    fn pod_fails(&self, pod: &Value) -> bool {
        let ns = object::namespace(pod);
        if self
            .state
            .failing
            .contains(&format!("{ns}/{}", object::name(pod)))
        {
            return true;
        }
        object::controller_of(pod)
            .filter(|r| r.kind == "Job")
            .map(|r| self.state.failing.contains(&format!("{ns}/{}", r.name)))
            .unwrap_or(false)
    }

    fn next_pod_ip(&self) -> String {
        let pod_info = Self::info("", "Pod");
        let used: BTreeSet<String> = self
            .objects_of(&pod_info, None)
            .iter()
            .filter(|p| !matches!(phase(p), "Succeeded" | "Failed"))
            .filter_map(|p| {
                object::get_path(p, &["status", "podIP"])
                    .and_then(Value::as_str)
                    .map(String::from)
            })
            .collect();
        let start = (self.state.resource_version % 250) as u32;
        for i in 0..250u32 {
            let cand = format!("10.244.0.{}", 2 + (start + i) % 250);
            if !used.contains(&cand) {
                return cand;
            }
        }
        "10.244.0.254".into()
    }

    fn scheduler_and_kubelet(&mut self) {
        let pod_info = Self::info("", "Pod");
        for pod in self.objects_of(&pod_info, None) {
            if object::is_deleting(&pod) {
                continue;
            }
            let ns = object::namespace(&pod).to_string();
            let name = object::name(&pod).to_string();
            let now = self.now().rfc3339();
            if object::str_path(&pod, &["spec", "nodeName"]).is_empty() {
                let mut n = pod.clone();
                object::set_path(&mut n, &["spec", "nodeName"], json!(NODE_NAME));
                let conds = json!([cond("PodScheduled", "True", &now, None, None)]);
                object::set_path(&mut n, &["status", "conditions"], conds);
                self.write(&pod_info, Some(&pod), n, "", "");
                self.event(
                    &pod,
                    "Normal",
                    "Scheduled",
                    &format!("Successfully assigned {ns}/{name} to {NODE_NAME}"),
                    "default-scheduler",
                    None,
                );
                continue;
            }
            if phase(&pod) != "Pending" {
                continue;
            }
            let run_once = object::str_path(&pod, &["spec", "restartPolicy"]) != "Always";
            let fails = run_once && self.pod_fails(&pod);
            let ip = self.next_pod_ip();
            let containers: Vec<Value> = object::get_path(&pod, &["spec", "containers"])
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut statuses = Vec::new();
            for c in &containers {
                let cname = c
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let image = c
                    .get("image")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let full = normalize_image(&image);
                let repo = full
                    .rsplit_once(':')
                    .filter(|(_, t)| !t.contains('/'))
                    .map(|(r, _)| r.to_string())
                    .unwrap_or(full.clone());
                let cid = format!("containerd://{}", self.rand_hex(64));
                let state = if run_once {
                    let (code, reason) = if fails {
                        (1, "Error")
                    } else {
                        (0, "Completed")
                    };
                    json!({"terminated": {"exitCode": code, "reason": reason, "startedAt": now, "finishedAt": now, "containerID": cid}})
                } else {
                    json!({"running": {"startedAt": now}})
                };
                let mut st = obj(vec![
                    ("containerID", json!(cid)),
                    ("image", json!(full)),
                    (
                        "imageID",
                        json!(format!("{repo}@sha256:{}", digest_of(&full))),
                    ),
                    ("lastState", json!({})),
                    ("name", json!(cname)),
                    ("ready", json!(!run_once)),
                    ("restartCount", json!(0)),
                    ("started", json!(!run_once)),
                    ("state", state),
                ]);
                if let Some(mounts) = c.get("volumeMounts").and_then(Value::as_array) {
                    let vm: Vec<Value> = mounts
                        .iter()
                        .map(|m| {
                            let mut o = obj(vec![
                                ("name", m.get("name").cloned().unwrap_or(Value::Null)),
                                (
                                    "mountPath",
                                    m.get("mountPath").cloned().unwrap_or(Value::Null),
                                ),
                            ]);
                            if m.get("readOnly") == Some(&json!(true)) {
                                object::set_path(&mut o, &["readOnly"], json!(true));
                                object::set_path(&mut o, &["recursiveReadOnly"], json!("Disabled"));
                            }
                            o
                        })
                        .collect();
                    object::set_path(&mut st, &["volumeMounts"], Value::Array(vm));
                }
                statuses.push(st);
                self.event(
                    &pod,
                    "Normal",
                    "Pulled",
                    &format!("Container image \"{image}\" already present on machine and can be accessed by the pod"),
                    "kubelet",
                    Some(&format!("spec.containers{{{cname}}}")),
                );
                self.event(
                    &pod,
                    "Normal",
                    "Created",
                    "Container created",
                    "kubelet",
                    Some(&format!("spec.containers{{{cname}}}")),
                );
                self.event(
                    &pod,
                    "Normal",
                    "Started",
                    "Container started",
                    "kubelet",
                    Some(&format!("spec.containers{{{cname}}}")),
                );
            }
            let scheduled_at = object::get_path(&pod, &["status", "conditions"])
                .and_then(Value::as_array)
                .and_then(|cs| {
                    cs.iter()
                        .find(|c| c.get("type") == Some(&json!("PodScheduled")))
                })
                .and_then(|c| c.get("lastTransitionTime"))
                .and_then(Value::as_str)
                .unwrap_or(&now)
                .to_string();
            let (phase_s, conds) = if run_once {
                let p = if fails { "Failed" } else { "Succeeded" };
                (
                    p,
                    json!([
                        cond("PodReadyToStartContainers", "False", &now, None, None),
                        cond("Initialized", "True", &now, Some("PodCompleted"), None),
                        cond("Ready", "False", &now, Some("PodCompleted"), None),
                        cond("ContainersReady", "False", &now, Some("PodCompleted"), None),
                        cond("PodScheduled", "True", &scheduled_at, None, None)
                    ]),
                )
            } else {
                (
                    "Running",
                    json!([
                        cond("PodReadyToStartContainers", "True", &now, None, None),
                        cond("Initialized", "True", &now, None, None),
                        cond("Ready", "True", &now, None, None),
                        cond("ContainersReady", "True", &now, None, None),
                        cond("PodScheduled", "True", &scheduled_at, None, None)
                    ]),
                )
            };
            let qos = object::str_path(&pod, &["status", "qosClass"]).to_string();
            let ip = if object::get_path(&pod, &["spec", "hostNetwork"]) == Some(&json!(true)) {
                NODE_IP.to_string()
            } else {
                ip
            };
            let status = obj(vec![
                ("phase", json!(phase_s)),
                ("conditions", conds),
                ("hostIP", json!(NODE_IP)),
                ("hostIPs", json!([{"ip": NODE_IP}])),
                ("podIP", json!(ip)),
                ("podIPs", json!([{"ip": ip}])),
                ("startTime", json!(now)),
                ("containerStatuses", Value::Array(statuses)),
                (
                    "qosClass",
                    json!(if qos.is_empty() {
                        "BestEffort".to_string()
                    } else {
                        qos
                    }),
                ),
            ]);
            let mut n = pod.clone();
            object::set_path(&mut n, &["status"], status);
            self.write(&pod_info, Some(&pod), n, "kubelet", "status");
        }
    }

    // ----- endpoints ---------------------------------------------------------------------------

    fn endpoints_controller(&mut self) {
        let svc_info = Self::info("", "Service");
        let ep_info = Self::info("", "Endpoints");
        let pod_info = Self::info("", "Pod");
        for svc in self.objects_of(&svc_info, None) {
            let ns = object::namespace(&svc).to_string();
            let name = object::name(&svc).to_string();
            let Some(sel_map) =
                object::get_path(&svc, &["spec", "selector"]).and_then(Value::as_object)
            else {
                continue;
            };
            let sel: std::collections::BTreeMap<String, String> = sel_map
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect();
            let selector = Selector::from_set(&sel);
            let pods: Vec<Value> = self
                .objects_of(&pod_info, Some(&ns))
                .into_iter()
                .filter(|p| {
                    selector.matches(&object::labels(p)) && phase(p) == "Running" && is_ready(p)
                })
                .collect();
            let addresses: Vec<Value> = pods
                .iter()
                .map(|p| {
                    json!({"ip": object::str_path(p, &["status", "podIP"]), "nodeName": NODE_NAME,
                        "targetRef": {"kind": "Pod", "namespace": ns, "name": object::name(p), "uid": object::uid(p)}})
                })
                .collect();
            let ports: Vec<Value> = object::get_path(&svc, &["spec", "ports"])
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|p| {
                            let mut o = serde_json::Map::new();
                            if let Some(n) = p.get("name") {
                                o.insert("name".into(), n.clone());
                            }
                            let port = match p.get("targetPort") {
                                Some(Value::Number(n)) => json!(n),
                                Some(Value::String(named)) => pods
                                    .first()
                                    .and_then(|pod| {
                                        object::get_path(pod, &["spec", "containers"])
                                            .and_then(Value::as_array)
                                            .and_then(|cs| {
                                                cs.iter()
                                                    .flat_map(|c| {
                                                        c.get("ports")
                                                            .and_then(Value::as_array)
                                                            .cloned()
                                                            .unwrap_or_default()
                                                    })
                                                    .find(|cp| {
                                                        cp.get("name") == Some(&json!(named))
                                                    })
                                                    .and_then(|cp| cp.get("containerPort").cloned())
                                            })
                                    })
                                    .unwrap_or(json!(0)),
                                _ => p.get("port").cloned().unwrap_or(json!(0)),
                            };
                            o.insert("port".into(), port);
                            o.insert(
                                "protocol".into(),
                                p.get("protocol").cloned().unwrap_or(json!("TCP")),
                            );
                            Value::Object(o)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut ep = obj(vec![
                ("apiVersion", json!("v1")),
                ("kind", json!("Endpoints")),
                (
                    "metadata",
                    json!({"name": name, "namespace": ns, "labels": object::labels(&svc)}),
                ),
            ]);
            if !addresses.is_empty() {
                object::set_path(
                    &mut ep,
                    &["subsets"],
                    json!([{"addresses": addresses, "ports": ports}]),
                );
            }
            if let Some(Value::Object(m)) = ep.get_mut("metadata") {
                if m.get("labels")
                    .map(|l| l.as_object().map(|x| x.is_empty()).unwrap_or(true))
                    .unwrap_or(true)
                {
                    m.shift_remove("labels");
                }
            }
            let existing = self.lookup(&ep_info, &ns, &name).cloned();
            match existing {
                None => {
                    self.write(&ep_info, None, ep, "kube-controller-manager", "");
                }
                Some(cur) => {
                    let mut cmp = cur.clone();
                    if let Some(Value::Object(m)) = cmp.get_mut("metadata") {
                        for k in [
                            "uid",
                            "resourceVersion",
                            "creationTimestamp",
                            "managedFields",
                        ] {
                            m.shift_remove(k);
                        }
                    }
                    let mut want = ep.clone();
                    object::server_order(&mut want);
                    object::server_order(&mut cmp);
                    if cmp != want {
                        let mut merged = ep.clone();
                        if let Some(Value::Object(m)) = merged.get_mut("metadata") {
                            for k in ["uid", "creationTimestamp"] {
                                if let Some(v) = cur.get("metadata").and_then(|x| x.get(k)) {
                                    m.insert(k.into(), v.clone());
                                }
                            }
                        }
                        self.write(&ep_info, Some(&cur), merged, "kube-controller-manager", "");
                    }
                }
            }
        }
    }

    /// Fills the pods created and deleted during the last reconcile into the rollouts recorded
    /// since `from` (index into the change log).
    pub(super) fn finish_rollouts(&mut self, from: usize) {
        let log = std::mem::take(&mut self.pod_log);
        for c in self.changes.iter_mut().skip(from) {
            if let Some(r) = &mut c.rollout {
                for e in log.iter().filter(|e| e.namespace == r.namespace) {
                    if e.created && e.owner == r.new_replicaset && !r.pods_created.contains(&e.pod)
                    {
                        r.pods_created.push(e.pod.clone());
                    }
                    if !e.created
                        && r.old_replicasets.contains(&e.owner)
                        && !r.pods_deleted.contains(&e.pod)
                    {
                        r.pods_deleted.push(e.pod.clone());
                    }
                }
            }
        }
    }

    /// The objects of a fresh cluster.
    pub(super) fn bootstrap(&mut self) {
        let ns_info = Self::info("", "Namespace");
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let mut n = obj(vec![
                ("apiVersion", json!("v1")),
                ("kind", json!("Namespace")),
                ("metadata", json!({"name": ns})),
            ]);
            super::defaults::default_object(self, &ns_info, &mut n, None);
            self.write(&ns_info, None, n, "kube-apiserver", "");
        }
        let node_info = Self::info("", "Node");
        let now = self.now().rfc3339();
        let node = obj(vec![
            ("apiVersion", json!("v1")),
            ("kind", json!("Node")),
            (
                "metadata",
                json!({"name": NODE_NAME, "labels": {
                    "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": NODE_NAME, "kubernetes.io/os": "linux",
                    "node-role.kubernetes.io/control-plane": ""},
                    "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}}),
            ),
            (
                "spec",
                json!({"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"], "providerID": format!("kind://docker/chartlab/{NODE_NAME}")}),
            ),
            (
                "status",
                json!({
                    "addresses": [{"address": NODE_IP, "type": "InternalIP"}, {"address": NODE_NAME, "type": "Hostname"}],
                    "allocatable": {"cpu": "4", "ephemeral-storage": "100Gi", "memory": "16Gi", "pods": "110"},
                    "capacity": {"cpu": "4", "ephemeral-storage": "100Gi", "memory": "16Gi", "pods": "110"},
                    "conditions": [
                        {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": now, "lastTransitionTime": now, "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available"},
                        {"type": "DiskPressure", "status": "False", "lastHeartbeatTime": now, "lastTransitionTime": now, "reason": "KubeletHasNoDiskPressure", "message": "kubelet has no disk pressure"},
                        {"type": "PIDPressure", "status": "False", "lastHeartbeatTime": now, "lastTransitionTime": now, "reason": "KubeletHasSufficientPID", "message": "kubelet has sufficient PID available"},
                        {"type": "Ready", "status": "True", "lastHeartbeatTime": now, "lastTransitionTime": now, "reason": "KubeletReady", "message": "kubelet is posting ready status"}
                    ],
                    "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                    "nodeInfo": {"architecture": "amd64", "bootID": self.new_uid(), "containerRuntimeVersion": "containerd://2.1.3",
                        "kernelVersion": "6.1.0-chartlab", "kubeProxyVersion": "", "kubeletVersion": crate::kube::resources::KUBE_VERSION,
                        "machineID": self.rand_hex(32), "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": self.new_uid()}
                }),
            ),
        ]);
        self.write(&node_info, None, node, "kubelet", "");
        let svc_info = Self::info("", "Service");
        let mut kubernetes = obj(vec![
            ("apiVersion", json!("v1")),
            ("kind", json!("Service")),
            (
                "metadata",
                json!({"name": "kubernetes", "namespace": "default", "labels": {"component": "apiserver", "provider": "kubernetes"}}),
            ),
            (
                "spec",
                json!({"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}]}),
            ),
        ]);
        super::defaults::default_object(self, &svc_info, &mut kubernetes, None);
        self.write(&svc_info, None, kubernetes, "kube-apiserver", "");
        let mut dns = obj(vec![
            ("apiVersion", json!("v1")),
            ("kind", json!("Service")),
            (
                "metadata",
                json!({"name": "kube-dns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
                    "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"}}),
            ),
            (
                "spec",
                json!({"clusterIP": "10.96.0.10", "selector": {"k8s-app": "kube-dns"}, "ports": [
                    {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                    {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                    {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}]}),
            ),
        ]);
        super::defaults::default_object(self, &svc_info, &mut dns, None);
        self.write(&svc_info, None, dns, "kubeadm", "");
        let d_info = Self::info("apps", "Deployment");
        let mut coredns = obj(vec![
            ("apiVersion", json!("apps/v1")),
            ("kind", json!("Deployment")),
            (
                "metadata",
                json!({"name": "coredns", "namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}}),
            ),
            (
                "spec",
                json!({"replicas": 2, "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
                    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                    "template": {"metadata": {"labels": {"k8s-app": "kube-dns"}}, "spec": {
                        "containers": [{"name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.12.1", "args": ["-conf", "/etc/coredns/Corefile"],
                            "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"}, {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"}, {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}],
                            "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}}}],
                        "dnsPolicy": "Default", "priorityClassName": "system-cluster-critical", "serviceAccountName": "coredns"}}}),
            ),
        ]);
        super::defaults::default_object(self, &d_info, &mut coredns, None);
        self.write(&d_info, None, coredns, "kubeadm", "");
        let ds_info = Self::info("apps", "DaemonSet");
        for (name, image, label) in [
            (
                "kube-proxy",
                format!(
                    "registry.k8s.io/kube-proxy:{}",
                    crate::kube::resources::KUBE_VERSION
                ),
                "kube-proxy",
            ),
            (
                "kindnet",
                "docker.io/kindest/kindnetd:v20250512-df8de77b".to_string(),
                "kindnet",
            ),
        ] {
            let mut ds = obj(vec![
                ("apiVersion", json!("apps/v1")),
                ("kind", json!("DaemonSet")),
                (
                    "metadata",
                    json!({"name": name, "namespace": "kube-system", "labels": {"k8s-app": label}}),
                ),
                (
                    "spec",
                    json!({"selector": {"matchLabels": {"k8s-app": label}}, "template": {"metadata": {"labels": {"k8s-app": label}}, "spec": {
                        "containers": [{"name": name, "image": image}], "hostNetwork": true, "priorityClassName": "system-node-critical", "serviceAccountName": name}}}),
                ),
            ]);
            super::defaults::default_object(self, &ds_info, &mut ds, None);
            self.write(&ds_info, None, ds, "kubeadm", "");
        }
        // Static control-plane pods (mirror pods of the kubelet).
        let pod_info = Self::info("", "Pod");
        for (comp, image) in [
            ("etcd", "registry.k8s.io/etcd:3.6.4-0".to_string()),
            (
                "kube-apiserver",
                format!(
                    "registry.k8s.io/kube-apiserver:{}",
                    crate::kube::resources::KUBE_VERSION
                ),
            ),
            (
                "kube-controller-manager",
                format!(
                    "registry.k8s.io/kube-controller-manager:{}",
                    crate::kube::resources::KUBE_VERSION
                ),
            ),
            (
                "kube-scheduler",
                format!(
                    "registry.k8s.io/kube-scheduler:{}",
                    crate::kube::resources::KUBE_VERSION
                ),
            ),
        ] {
            let pname = format!("{comp}-{NODE_NAME}");
            let mut p = obj(vec![
                ("apiVersion", json!("v1")),
                ("kind", json!("Pod")),
                (
                    "metadata",
                    json!({"name": pname, "namespace": "kube-system", "labels": {"component": comp, "tier": "control-plane"},
                    "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": NODE_NAME, "uid": self.node_uid(), "controller": true}]}),
                ),
                (
                    "spec",
                    json!({"containers": [{"name": comp, "image": image}], "hostNetwork": true, "nodeName": NODE_NAME,
                    "priorityClassName": "system-node-critical", "automountServiceAccountToken": false}),
                ),
            ]);
            super::defaults::default_object(self, &pod_info, &mut p, None);
            self.write(&pod_info, None, p, "kubelet", "");
        }
        self.reconcile();
    }

    fn node_uid(&self) -> String {
        let node_info = Self::info("", "Node");
        self.lookup(&node_info, "", NODE_NAME)
            .map(|n| object::uid(n).to_string())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_hash_is_safe_and_deterministic() {
        let t = json!({"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
        let h = pod_template_hash(&t, 0);
        assert!(!h.is_empty() && h.len() <= 10, "{h}");
        assert!(h.chars().all(|c| "456789bcdf".contains(c)), "{h}");
        assert_eq!(h, pod_template_hash(&t, 0));
        assert_ne!(h, pod_template_hash(&t, 1));
        let t2 = json!({"spec": {"containers": [{"image": "nginx", "name": "c"}]}, "metadata": {"labels": {"app": "a"}}});
        assert_eq!(h, pod_template_hash(&t2, 0), "key order does not matter");
    }

    #[test]
    fn images_as_the_runtime_reports_them() {
        assert_eq!(
            normalize_image("nginx:1.25"),
            "docker.io/library/nginx:1.25"
        );
        assert_eq!(normalize_image("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            normalize_image("tiangolo/uvicorn-gunicorn-fastapi:python3.11-slim"),
            "docker.io/tiangolo/uvicorn-gunicorn-fastapi:python3.11-slim"
        );
        assert_eq!(
            normalize_image("registry.k8s.io/etcd:3.6.4-0"),
            "registry.k8s.io/etcd:3.6.4-0"
        );
        assert_eq!(
            normalize_image("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
    }
}
