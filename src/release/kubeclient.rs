//! Helm's Kubernetes client (pkg/kube client.go, resource.go, statuswait.go and
//! internal/statusreaders) over a [`Cluster`]: building objects from a manifest the way
//! kubectl's resource builder does (YAML stream, validation messages, REST mapping, default
//! namespace, `List` flattening), server-side apply with Helm's field manager, the
//! create/update/delete passes of install/upgrade/uninstall, and the kstatus readiness checks
//! behind `--wait` and hook waiting — with Helm's error texts.
//!
//! The simulated cluster runs its controllers synchronously, so "waiting" reads the state once:
//! whatever is not ready then would never become ready, and is reported as Helm reports a
//! timeout. A live cluster ([`Cluster::is_live`]) is checked again after each pause
//! ([`Cluster::wait_for_change`]) until the configuration's timeout.

use crate::engine::sort::SliceSort;
use serde_json::{Map as JMap, Value as J};

use super::manifest::less_by_kind;
use crate::engine::Value;
use crate::kube::cluster::{ApplyOptions, Cluster, DeleteOptions, Propagation, WaitProgress};
use crate::kube::object::{GroupVersion, GroupVersionKind, ObjectRef};
use crate::kube::resources::{Registry, ResourceInfo};
use crate::kube::status::ApiError;

/// `resource.Info`: one object of a manifest, mapped to its resource.
#[derive(Clone, Debug)]
pub struct Resource {
    pub info: ResourceInfo,
    pub gvk: GroupVersionKind,
    pub namespace: String,
    pub name: String,
    pub object: J,
}

impl Resource {
    /// `Mapping.GroupVersionKind.String()`: `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`.
    pub fn gvk_string(&self) -> String {
        self.gvk.to_string()
    }

    /// upgrade.go's `objectKey`: `apps/v1/Deployment/ns/name`.
    pub fn object_key(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.gvk.group_version().api_version(),
            self.gvk.kind,
            self.namespace,
            self.name
        )
    }

    /// `isMatchingInfo`: same name, namespace, group and kind.
    pub fn same(&self, o: &Resource) -> bool {
        self.name == o.name
            && self.namespace == o.namespace
            && self.gvk.group == o.gvk.group
            && self.gvk.kind == o.gvk.kind
    }

    /// `resourceString`: `Deployment "x" in namespace "ns"`.
    pub fn describe(&self) -> String {
        format!(
            "{} {} in namespace {}",
            self.gvk.kind,
            quote(&self.name),
            quote(&self.namespace)
        )
    }

    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            gvr: self.info.gvr(),
            kind: self.gvk.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }

    fn gvr(&self) -> crate::kube::object::GroupVersionResource {
        self.info.gvr()
    }
}

/// Go's `%q`.
pub fn quote(s: &str) -> String {
    super::storage::go_quote(s)
}

/// Kubernetes' aggregate error text: one error as is, several as `[a, b]`.
pub fn aggregate(errs: &[String]) -> String {
    match errs.len() {
        0 => String::new(),
        1 => errs[0].clone(),
        _ => format!("[{}]", errs.join(", ")),
    }
}

/// The documents of a YAML stream as k8s' YAMLReader splits them: a line beginning with `---`
/// and nothing but whitespace after it ends a document.
pub fn yaml_documents(stream: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    for line in stream.split_inclusive('\n') {
        if let Some(after) = line.strip_prefix("---") {
            if after.trim_end().is_empty() {
                if !cur.is_empty() {
                    docs.push(std::mem::take(&mut cur));
                }
                continue;
            }
        }
        cur.push_str(line);
    }
    if !cur.is_empty() {
        docs.push(cur);
    }
    docs
}

/// An engine value (from sigs.k8s.io/yaml) as the unstructured JSON the API machinery holds:
/// integral numbers are integers again (YAMLToJSON keeps them; the float is exact below 2^53).
pub fn to_unstructured(v: &Value) -> J {
    match v {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) | Value::Int64(i) => J::from(*i),
        Value::Uint(u) => J::from(*u),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9.2e18 {
                J::from(*f as i64)
            } else {
                serde_json::Number::from_f64(*f)
                    .map(J::Number)
                    .unwrap_or(J::Null)
            }
        }
        Value::String(s) => J::String(s.to_string()),
        Value::Bytes(b) => J::String(String::from_utf8_lossy(b).into_owned()),
        Value::List(l) => J::Array(l.iter().map(to_unstructured).collect()),
        Value::Map(m) => J::Object(
            m.entries()
                .into_iter()
                .map(|(k, v)| (k.to_string(), to_unstructured(&v)))
                .collect(),
        ),
        other => J::String(other.to_v()),
    }
}

fn json_kind(v: &J) -> &'static str {
    match v {
        J::Object(_) => "object",
        J::Array(_) => "array",
        J::String(_) => "string",
        J::Bool(_) => "bool",
        J::Null => "null",
        J::Number(_) => "number",
    }
}

/// The client-side checks kubectl's validator makes (`apiVersion`/`kind` present and strings).
fn validate_doc(obj: &J) -> Vec<String> {
    let mut errs = Vec::new();
    for (field, label) in [("apiVersion", "apiVersion"), ("kind", "kind")] {
        match obj.get(field) {
            None | Some(J::Null) => errs.push(format!("{label} not set")),
            Some(J::String(s)) if s.is_empty() => errs.push(format!("{label} not set")),
            Some(J::String(_)) => {}
            Some(_) => errs.push(format!("{label} isn't string type")),
        }
    }
    errs
}

/// The typed `ObjectMeta` decode every object goes through.
fn check_object_meta(obj: &J) -> Result<(), String> {
    let Some(md) = obj.get("metadata") else {
        return Ok(());
    };
    let err = |v: &J, field: &str, ty: &str| {
        Err(format!(
            "json: cannot unmarshal {} into Go struct field ObjectMeta.metadata.{field} of type {ty}",
            json_kind(v)
        ))
    };
    let md = match md {
        J::Null => return Ok(()),
        J::Object(m) => m,
        v => {
            return Err(format!(
                "json: cannot unmarshal {} into Go struct field {}.metadata of type v1.ObjectMeta",
                json_kind(v),
                obj.get("kind").and_then(J::as_str).unwrap_or("")
            ))
        }
    };
    for f in [
        "name",
        "namespace",
        "generateName",
        "uid",
        "resourceVersion",
    ] {
        match md.get(f) {
            None | Some(J::Null) | Some(J::String(_)) => {}
            Some(v) => return err(v, f, "string"),
        }
    }
    for f in ["labels", "annotations"] {
        match md.get(f) {
            None | Some(J::Null) => {}
            Some(J::Object(m)) => {
                for v in m.values() {
                    match v {
                        J::String(_) | J::Null => {}
                        v => return err(v, f, "string"),
                    }
                }
            }
            Some(v) => return err(v, f, "map[string]string"),
        }
    }
    match md.get("finalizers") {
        None | Some(J::Null) => {}
        Some(J::Array(a)) => {
            for v in a {
                match v {
                    J::String(_) | J::Null => {}
                    v => return err(v, "finalizers", "string"),
                }
            }
        }
        Some(v) => return err(v, "finalizers", "[]string"),
    }
    Ok(())
}

fn str_of<'a>(obj: &'a J, path: &[&str]) -> &'a str {
    let mut cur = obj;
    for p in path {
        match cur.get(*p) {
            Some(v) => cur = v,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

/// `Client.Build`: the manifest's objects, mapped to their resources, namespaced ones given
/// `namespace` unless they name one (cluster-scoped ones lose theirs), `v1` `List`s flattened.
pub fn build(
    reg: &Registry,
    manifest: &str,
    namespace: &str,
    validate: bool,
) -> Result<Vec<Resource>, String> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for doc in yaml_documents(manifest) {
        let v = crate::yaml::parse(&doc).map_err(|e| e.to_string())?;
        let obj = to_unstructured(&v);
        if obj.is_null() {
            continue;
        }
        let J::Object(_) = obj else {
            errs.push(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                json_kind(&obj)
            ));
            continue;
        };
        if validate {
            let v = validate_doc(&obj);
            if !v.is_empty() {
                errs.push(format!(
                    "error validating \"\": error validating data: {}",
                    aggregate(&v)
                ));
                continue;
            }
        } else if str_of(&obj, &["kind"]).is_empty() {
            errs.push(format!(
                "unable to decode \"\": Object 'Kind' is missing in '{}'",
                super::model::serde_compact(&obj)
            ));
            continue;
        }
        if let Err(e) = check_object_meta(&obj) {
            errs.push(format!("unable to decode \"\": {e}"));
            continue;
        }
        let mut items = vec![obj];
        // Flatten(): a list kind's items are the objects
        if str_of(&items[0], &["kind"]).ends_with("List") {
            if let Some(J::Array(list)) = items[0].get("items").cloned() {
                items = list;
            }
        }
        for obj in items {
            match map_object(reg, obj, namespace) {
                Ok(r) => out.push(r),
                Err(e) => errs.push(e),
            }
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(aggregate(&errs))
    }
}

fn map_object(reg: &Registry, mut obj: J, namespace: &str) -> Result<Resource, String> {
    let api_version = str_of(&obj, &["apiVersion"]).to_string();
    let kind = str_of(&obj, &["kind"]).to_string();
    let name = str_of(&obj, &["metadata", "name"]).to_string();
    let obj_ns = str_of(&obj, &["metadata", "namespace"]).to_string();
    let gv =
        GroupVersion::parse(&api_version).map_err(|e| format!("unable to decode \"\": {e}"))?;
    let gvk = GroupVersionKind::new(&gv.group, &gv.version, &kind);
    let Some(info) = reg.for_gvk(&gvk).cloned() else {
        return Err(format!(
            "resource mapping not found for name: {} namespace: {} from \"\": no matches for kind {} in version {}\nensure CRDs are installed first",
            quote(&name),
            quote(&obj_ns),
            quote(&kind),
            quote(&api_version)
        ));
    };
    let ns = if info.namespaced {
        let ns = if obj_ns.is_empty() {
            namespace.to_string()
        } else {
            obj_ns
        };
        if let J::Object(m) = &mut obj {
            let md = m
                .entry("metadata")
                .or_insert_with(|| J::Object(JMap::new()));
            if let J::Object(md) = md {
                md.insert("namespace".into(), J::String(ns.clone()));
            }
        }
        ns
    } else {
        if let Some(J::Object(md)) = obj.get_mut("metadata") {
            md.shift_remove("namespace");
        }
        String::new()
    };
    Ok(Resource {
        info,
        gvk,
        namespace: ns,
        name,
        object: obj,
    })
}

/// Adds labels/annotations to an object (`mergeLabels`/`mergeAnnotations`).
pub fn merge_metadata_map(obj: &mut J, field: &str, add: &[(&str, &str)]) {
    let J::Object(m) = obj else {
        return;
    };
    let md = m
        .entry("metadata")
        .or_insert_with(|| J::Object(JMap::new()));
    let J::Object(md) = md else {
        return;
    };
    let target = md.entry(field).or_insert_with(|| J::Object(JMap::new()));
    if !target.is_object() {
        *target = J::Object(JMap::new());
    }
    if let J::Object(t) = target {
        for (k, v) in add {
            t.insert(k.to_string(), J::String(v.to_string()));
        }
    }
}

/// Sets a `metadata` field of an object.
pub fn merge_metadata_value(obj: &mut J, field: &str, v: J) {
    if let J::Object(m) = obj {
        let md = m
            .entry("metadata")
            .or_insert_with(|| J::Object(JMap::new()));
        if let J::Object(md) = md {
            md.insert(field.to_string(), v);
        }
    }
}

/// A string map at a path (`spec.selector.matchLabels`).
pub fn string_map_at(obj: &J, path: &[&str]) -> std::collections::BTreeMap<String, String> {
    let mut cur = obj;
    for p in path {
        match cur.get(*p) {
            Some(v) => cur = v,
            None => return Default::default(),
        }
    }
    cur.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Labels or annotations of an object.
pub fn string_map(obj: &J, field: &str) -> std::collections::BTreeMap<String, String> {
    obj.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(J::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// JSON objects with keys sorted, as `json.Marshal` of an unstructured map writes them.
pub fn sorted(v: &J) -> J {
    match v {
        J::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_stable();
            J::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&m[k])))
                    .collect(),
            )
        }
        J::Array(a) => J::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Server-side apply of one object (`patchResourceServerSide`), with Helm's error wording.
pub fn apply(
    cluster: &mut dyn Cluster,
    r: &Resource,
    field_manager: &str,
    force: bool,
) -> Result<J, String> {
    let res = cluster.apply(
        &r.gvr(),
        &r.namespace,
        sorted(&r.object),
        &ApplyOptions {
            field_manager: field_manager.to_string(),
            force,
            field_validation: "Strict".into(),
            ..Default::default()
        },
    );
    res.map_err(|e| {
        let what = format!("{}/{} {}", r.namespace, r.name, r.gvk_string());
        if e.code == 415 {
            format!("server-side apply not available on the server: {e}")
        } else if e.reason == "Conflict" {
            format!("conflict occurred while applying object {what}: {e}")
        } else {
            format!("server-side apply failed for object {what}: {e}")
        }
    })
}

/// A client-side create (`createResource`: POST with the field manager).
pub fn create(cluster: &mut dyn Cluster, r: &Resource, field_manager: &str) -> Result<J, String> {
    cluster
        .create(
            &r.gvr(),
            &r.namespace,
            sorted(&r.object),
            &crate::kube::cluster::WriteOptions {
                field_manager: field_manager.to_string(),
                dry_run: false,
            },
        )
        .map_err(|e| e.to_string())
}

/// A client-side update (`patchResourceClientSide`): the live object with the fields of the
/// new manifest set and those only the old manifest had removed (a JSON merge of the three),
/// written back with PUT. Kubernetes' strategic merge of lists by key is not modelled: lists
/// are replaced as a whole.
pub fn update_client_side(
    cluster: &mut dyn Cluster,
    original: Option<&J>,
    r: &Resource,
    field_manager: &str,
) -> Result<J, String> {
    let live = cluster.get(&r.gvr(), &r.namespace, &r.name).map_err(|e| {
        format!(
            "unable to get data for current object {}/{}: {e}",
            r.namespace, r.name
        )
    })?;
    let merged = merge3(original, &r.object, &live);
    if merged == live {
        return Ok(live);
    }
    cluster
        .update(
            &r.gvr(),
            &r.namespace,
            merged,
            &crate::kube::cluster::WriteOptions {
                field_manager: field_manager.to_string(),
                dry_run: false,
            },
        )
        .map_err(|e| {
            format!(
                "cannot patch {} with kind {}: {e}",
                quote(&r.name),
                r.gvk.kind
            )
        })
}

fn merge3(original: Option<&J>, target: &J, live: &J) -> J {
    match (target, live) {
        (J::Object(t), J::Object(l)) => {
            let mut out = l.clone();
            if let Some(J::Object(o)) = original {
                for k in o.keys() {
                    if !t.contains_key(k) {
                        out.shift_remove(k);
                    }
                }
            }
            for (k, tv) in t {
                let ov = original.and_then(|o| o.get(k));
                let merged = match out.get(k) {
                    Some(lv) => merge3(ov, tv, lv),
                    None => tv.clone(),
                };
                out.insert(k.clone(), merged);
            }
            J::Object(out)
        }
        _ => target.clone(),
    }
}

/// A GET of the object a resource names (`helper.Get`).
pub fn get(cluster: &mut dyn Cluster, r: &Resource) -> Result<J, ApiError> {
    if r.name.is_empty() {
        return Err(ApiError {
            code: 0,
            reason: String::new(),
            message: "resource name may not be empty".into(),
            details: None,
        });
    }
    cluster.get(&r.gvr(), &r.namespace, &r.name)
}

/// `deleteResource` with a propagation policy.
pub fn delete(
    cluster: &mut dyn Cluster,
    r: &Resource,
    propagation: Propagation,
) -> Result<(), ApiError> {
    cluster
        .delete(
            &r.gvr(),
            &r.namespace,
            &r.name,
            &DeleteOptions {
                propagation: Some(propagation),
                dry_run: false,
            },
        )
        .map(|_| ())
}

/// `Client.Delete`: every resource, not-found ignored; the errors of the others.
pub fn delete_all(
    cluster: &mut dyn Cluster,
    rs: &[Resource],
    propagation: Propagation,
) -> Result<Vec<Resource>, Vec<String>> {
    if rs.is_empty() {
        return Err(vec![
            "object not found, skipping delete: no objects visited".into(),
        ]);
    }
    let mut deleted = Vec::new();
    let mut errs = Vec::new();
    for r in rs {
        match delete(cluster, r, propagation) {
            Ok(()) => deleted.push(r.clone()),
            Err(e) if e.code == 404 => deleted.push(r.clone()),
            Err(e) => errs.push(e.to_string()),
        }
    }
    if errs.is_empty() {
        Ok(deleted)
    } else {
        Err(errs)
    }
}

// ---------------------------------------------------------------------------------------------
// Readiness (kstatus)

/// kstatus statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KStatus {
    InProgress,
    Failed,
    Current,
    Terminating,
    NotFound,
    Unknown,
}

impl KStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KStatus::InProgress => "InProgress",
            KStatus::Failed => "Failed",
            KStatus::Current => "Current",
            KStatus::Terminating => "Terminating",
            KStatus::NotFound => "NotFound",
            KStatus::Unknown => "Unknown",
        }
    }
}

fn int_at(obj: &J, path: &[&str], default: i64) -> i64 {
    let mut cur = obj;
    for p in path {
        match cur.get(*p) {
            Some(v) => cur = v,
            None => return default,
        }
    }
    cur.as_i64().unwrap_or(default)
}

fn conditions(obj: &J) -> Vec<(String, String, String, String)> {
    obj.get("status")
        .and_then(|s| s.get("conditions"))
        .and_then(J::as_array)
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        str_of(c, &["type"]).to_string(),
                        str_of(c, &["status"]).to_string(),
                        str_of(c, &["reason"]).to_string(),
                        str_of(c, &["message"]).to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Helm's custom Job reader (`jobConditions`).
fn job_status(obj: &J) -> (KStatus, String) {
    let parallelism = int_at(obj, &["spec", "parallelism"], 1);
    let completions = int_at(obj, &["spec", "completions"], parallelism);
    let succeeded = int_at(obj, &["status", "succeeded"], 0);
    let failed = int_at(obj, &["status", "failed"], 0);
    for (ty, st, _, _) in conditions(obj) {
        match ty.as_str() {
            "Complete" if st == "True" => {
                return (
                    KStatus::Current,
                    format!("Job Completed. succeeded: {succeeded}/{completions}"),
                )
            }
            "Failed" if st == "True" => {
                return (
                    KStatus::Failed,
                    format!("Job Failed. failed: {failed}/{completions}"),
                )
            }
            _ => {}
        }
    }
    (KStatus::InProgress, "Job in progress".into())
}

/// Helm's custom Pod reader (`podConditions`).
fn pod_status(obj: &J) -> (KStatus, String) {
    let name = str_of(obj, &["metadata", "name"]);
    match str_of(obj, &["status", "phase"]) {
        "Succeeded" => (KStatus::Current, format!("pod {name} succeeded")),
        "Failed" => (KStatus::Failed, format!("pod {name} failed")),
        _ => (KStatus::InProgress, "Pod in progress".into()),
    }
}

/// kstatus' generic readers for the built-in workload kinds (status.Compute).
fn generic_status(obj: &J) -> (KStatus, String) {
    if obj
        .get("metadata")
        .and_then(|m| m.get("deletionTimestamp"))
        .is_some_and(|d| !d.is_null())
    {
        return (
            KStatus::Terminating,
            "Resource scheduled for deletion".into(),
        );
    }
    let generation = int_at(obj, &["metadata", "generation"], 0);
    let observed = int_at(obj, &["status", "observedGeneration"], -1);
    let kind = str_of(obj, &["kind"]);
    let has_status = obj.get("status").is_some();
    if has_status && observed >= 0 && generation > observed {
        return (
            KStatus::InProgress,
            format!(
                "{kind} generation is {generation}, but latest observed generation is {observed}"
            ),
        );
    }
    match kind {
        "Deployment" => {
            let replicas = int_at(obj, &["spec", "replicas"], 1);
            let status_replicas = int_at(obj, &["status", "replicas"], 0);
            let updated = int_at(obj, &["status", "updatedReplicas"], 0);
            let ready = int_at(obj, &["status", "readyReplicas"], 0);
            let available = int_at(obj, &["status", "availableReplicas"], 0);
            let conds = conditions(obj);
            for (ty, st, reason, _) in &conds {
                if ty == "Progressing" && reason == "ProgressDeadlineExceeded" {
                    return (KStatus::Failed, "Progress deadline exceeded".into());
                }
                let _ = st;
            }
            if replicas > updated {
                return (
                    KStatus::InProgress,
                    format!("Updated: {updated}/{replicas}"),
                );
            }
            if status_replicas > updated {
                return (
                    KStatus::InProgress,
                    format!("Pending termination: {}", status_replicas - updated),
                );
            }
            if replicas > available {
                return (
                    KStatus::InProgress,
                    format!("Available: {available}/{replicas}"),
                );
            }
            if replicas > ready {
                return (KStatus::InProgress, format!("Ready: {ready}/{replicas}"));
            }
            (
                KStatus::Current,
                format!("Deployment is available. Replicas: {status_replicas}"),
            )
        }
        "StatefulSet" | "ReplicaSet" | "DaemonSet" => {
            let (want, ready) = if kind == "DaemonSet" {
                (
                    int_at(obj, &["status", "desiredNumberScheduled"], 0),
                    int_at(obj, &["status", "numberReady"], 0),
                )
            } else {
                (
                    int_at(obj, &["spec", "replicas"], 1),
                    int_at(obj, &["status", "readyReplicas"], 0),
                )
            };
            if want > ready {
                return (KStatus::InProgress, format!("Ready: {ready}/{want}"));
            }
            (
                KStatus::Current,
                format!("All replicas scheduled as expected. Replicas: {ready}"),
            )
        }
        "PersistentVolumeClaim" => {
            if str_of(obj, &["status", "phase"]) == "Bound" {
                (KStatus::Current, "PVC is Bound".into())
            } else {
                (KStatus::InProgress, "PVC is not Bound".into())
            }
        }
        "Pod" => {
            let phase = str_of(obj, &["status", "phase"]);
            match phase {
                "Succeeded" => (KStatus::Current, "Pod has completed successfully".into()),
                "Failed" => (
                    KStatus::Failed,
                    "Pod has completed, but not successfully".into(),
                ),
                "Running"
                    if conditions(obj)
                        .iter()
                        .any(|(t, s, _, _)| t == "Ready" && s == "True") =>
                {
                    (KStatus::Current, "Pod is Ready".into())
                }
                _ => (KStatus::InProgress, "Pod is not Ready".into()),
            }
        }
        "Job" => {
            for (ty, st, _, _) in conditions(obj) {
                if ty == "Failed" && st == "True" {
                    return (KStatus::Failed, "Job Failed".into());
                }
                if ty == "Complete" && st == "True" {
                    return (KStatus::Current, "Job Completed".into());
                }
            }
            (KStatus::Current, "Job in progress".into())
        }
        _ => (KStatus::Current, "Resource is current".into()),
    }
}

/// Which readers a wait uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitKind {
    /// `WatchUntilReady` (hooks): Helm's Job and Pod readers, everything else current.
    UntilReady,
    /// `Wait` (`--wait=watcher`).
    Ready,
    /// `WaitWithJobs` (`--wait-for-jobs`).
    ReadyWithJobs,
}

/// The kstatus of one resource for a wait.
pub fn resource_status(
    cluster: &mut dyn Cluster,
    r: &Resource,
    kind: WaitKind,
) -> (KStatus, String) {
    let obj = match get(cluster, r) {
        Ok(o) => o,
        Err(e) if e.code == 404 => return (KStatus::NotFound, "Resource not found".into()),
        Err(e) => return (KStatus::Unknown, e.to_string()),
    };
    match (kind, r.gvk.group.as_str(), r.gvk.kind.as_str()) {
        (WaitKind::UntilReady | WaitKind::ReadyWithJobs, "batch", "Job") => job_status(&obj),
        (WaitKind::UntilReady, "", "Pod") => pod_status(&obj),
        (WaitKind::UntilReady, _, _) => (KStatus::Current, "Resource is current".into()),
        _ => generic_status(&obj),
    }
}

/// How many checks a wait makes at most, whatever the cluster reports about time (a live
/// cluster that answers a pause at once must not spin forever).
fn max_rounds(timeout_ms: u64) -> u64 {
    timeout_ms / 200 + 20
}

/// One look at every resource of a wait: the `not ready` lines, whether something was still
/// in progress (not failed), and the first resource still in progress.
fn check_ready(
    cluster: &mut dyn Cluster,
    rs: &[Resource],
    kind: WaitKind,
) -> (Vec<String>, Option<(usize, String)>) {
    let mut errs = Vec::new();
    let mut pending = None;
    for (i, r) in rs.iter().enumerate() {
        if kind != WaitKind::UntilReady
            && r.gvk.kind == "Deployment"
            && r.object
                .get("spec")
                .and_then(|s| s.get("paused"))
                .and_then(J::as_bool)
                .unwrap_or(false)
        {
            continue;
        }
        let (st, msg) = resource_status(cluster, r, kind);
        if st == KStatus::Current {
            continue;
        }
        if st != KStatus::Failed && pending.is_none() {
            pending = Some((i, msg.clone()));
        }
        errs.push(format!(
            "resource {}/{}/{} not ready. status: {}, message: {}",
            r.gvk.kind,
            r.namespace,
            r.name,
            st.as_str(),
            msg
        ));
    }
    (errs, pending)
}

fn progress(r: &Resource, status: String, waited_ms: u64, timeout_ms: u64) -> WaitProgress {
    WaitProgress {
        gvr: r.gvr(),
        kind: r.gvk.kind.clone(),
        namespace: r.namespace.clone(),
        name: r.name.clone(),
        status,
        waited_ms,
        timeout_ms,
    }
}

/// `statusWaiter.wait`: every resource Current, or Helm's `not ready` errors (one per line,
/// plus the deadline error when something was still in progress). On a live cluster the
/// resources are checked again after each pause until they are ready, one fails, or
/// `timeout_ms` (Helm's `--timeout`) has passed; on the simulated cluster one look is final.
pub fn wait(
    cluster: &mut dyn Cluster,
    rs: &[Resource],
    kind: WaitKind,
    timeout_ms: u64,
) -> Result<(), String> {
    let mut waited = 0u64;
    for round in 0.. {
        let (mut errs, pending) = check_ready(cluster, rs, kind);
        let Some((i, msg)) = pending else {
            return if errs.is_empty() {
                Ok(())
            } else {
                Err(errs.join("\n"))
            };
        };
        if !cluster.is_live() || waited >= timeout_ms || round >= max_rounds(timeout_ms) {
            errs.push("context deadline exceeded".into());
            return Err(errs.join("\n"));
        }
        waited += cluster.wait_for_change(&progress(&rs[i], msg, waited, timeout_ms));
    }
    Ok(())
}

/// `statusWaiter.waitForDelete`, polling a live cluster like [`wait`].
pub fn wait_for_delete(
    cluster: &mut dyn Cluster,
    rs: &[Resource],
    timeout_ms: u64,
) -> Result<(), String> {
    let mut waited = 0u64;
    for round in 0.. {
        let mut errs = Vec::new();
        let mut pending = None;
        for (i, r) in rs.iter().enumerate() {
            let (st, msg) = resource_status(cluster, r, WaitKind::Ready);
            if matches!(st, KStatus::NotFound | KStatus::Unknown) {
                continue;
            }
            if pending.is_none() {
                pending = Some((i, msg.clone()));
            }
            errs.push(format!(
                "resource {}/{}/{} still exists. status: {}, message: {}",
                r.gvk.kind,
                r.namespace,
                r.name,
                st.as_str(),
                msg
            ));
        }
        let Some((i, msg)) = pending else {
            return Ok(());
        };
        if !cluster.is_live() || waited >= timeout_ms || round >= max_rounds(timeout_ms) {
            errs.push("context deadline exceeded".into());
            return Err(errs.join("\n"));
        }
        waited += cluster.wait_for_change(&progress(&rs[i], msg, waited, timeout_ms));
    }
    Ok(())
}

/// Sorts resources for an uninstall-style pass (kind order, stable).
pub fn sort_by_kind(rs: &mut [Resource], order: &[&str]) {
    rs.sort_stable_by(|a, b| {
        if less_by_kind(&a.gvk.kind, &b.gvk.kind, order) {
            std::cmp::Ordering::Less
        } else if less_by_kind(&b.gvk.kind, &a.gvk.kind, order) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k8s_yaml_reader_splits_on_separator_lines() {
        assert_eq!(yaml_documents("a: 1\n---\nb: 2\n"), ["a: 1\n", "b: 2\n"]);
        assert_eq!(yaml_documents("---\na: 1\n--- \n---\n"), ["a: 1\n"]);
        assert_eq!(
            yaml_documents("a: 1\n--- # x\nb: 2"),
            ["a: 1\n--- # x\nb: 2"]
        );
        assert_eq!(yaml_documents("a: |\n  ---\n"), ["a: |\n  ---\n"]);
    }

    #[test]
    fn aggregates() {
        assert_eq!(aggregate(&["a".into()]), "a");
        assert_eq!(aggregate(&["a".into(), "b".into()]), "[a, b]");
    }

    #[test]
    fn job_and_pod_readers() {
        let job = serde_json::json!({"kind": "Job", "spec": {}, "status": {"failed": 1, "conditions": [{"type": "Failed", "status": "True"}]}});
        assert_eq!(
            job_status(&job),
            (KStatus::Failed, "Job Failed. failed: 1/1".into())
        );
        let done = serde_json::json!({"kind": "Job", "spec": {"completions": 2}, "status": {"succeeded": 2, "conditions": [{"type": "Complete", "status": "True"}]}});
        assert_eq!(
            job_status(&done),
            (KStatus::Current, "Job Completed. succeeded: 2/2".into())
        );
        let pod = serde_json::json!({"metadata": {"name": "p"}, "status": {"phase": "Failed"}});
        assert_eq!(pod_status(&pod), (KStatus::Failed, "pod p failed".into()));
    }
}
