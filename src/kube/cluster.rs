//! The `Cluster` trait: what Helm's kube client and kubectl ask of an API server, as plain data
//! ([`Request`] in, JSON or a [`ApiError`] out), with typed helpers on top; and the "what
//! happened" record ([`Change`], [`Rollout`]) a cluster can report after writes, used by the
//! release layer for rollout reports ("pods roll: yes, because …").

use crate::engine::sort::SliceSort;
use crate::kube::object::{GroupVersion, GroupVersionResource, ObjectRef};
use crate::kube::resources::{Registry, ResourceInfo};
use crate::kube::status::ApiError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// `metav1.DeletionPropagation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Propagation {
    /// Delete the object now; the garbage collector deletes dependents afterwards.
    Background,
    /// Delete dependents first, then the object.
    Foreground,
    /// Delete the object and leave dependents without this owner.
    Orphan,
}

impl Propagation {
    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Propagation::Background => "Background",
            Propagation::Foreground => "Foreground",
            Propagation::Orphan => "Orphan",
        }
    }
    pub fn parse(s: &str) -> Option<Propagation> {
        match s {
            "Background" => Some(Propagation::Background),
            "Foreground" => Some(Propagation::Foreground),
            "Orphan" => Some(Propagation::Orphan),
            _ => None,
        }
    }
}

/// Options of a list call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Label selector in the full syntax (`owner=helm,name=demo`, `x in (a,b)`, `!k`).
    pub label_selector: String,
    /// Field selector (`metadata.name=x`, `involvedObject.name=y`).
    pub field_selector: String,
}

/// Options of a create (POST) or update (PUT).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Recorded in `managedFields` as an `Update` manager (empty: not recorded).
    pub field_manager: String,
    /// `dryRun=All`: validate and default, store nothing.
    pub dry_run: bool,
}

/// Options of a server-side apply (PATCH `application/apply-patch+yaml`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// Required: the manager that owns what it applies (Helm 4: `helm`).
    pub field_manager: String,
    /// Take over fields other managers own instead of failing with a conflict.
    pub force: bool,
    pub dry_run: bool,
    /// `fieldValidation` (`Strict`, `Warn`, `Ignore`; Helm 4 sends `Strict`). Passed on by
    /// REST clients; the simulated cluster has no schemas and does not check unknown fields.
    pub field_validation: String,
}

/// Options of a delete.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// `None`: the resource's default (orphan for `batch/v1` Jobs, background otherwise).
    pub propagation: Option<Propagation>,
    pub dry_run: bool,
}

/// The discovery endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiscoveryPath {
    /// `/version`
    Version,
    /// `/api`
    Api,
    /// `/apis`
    Apis,
    /// `/apis/{group}`
    Group(String),
    /// `/api/v1`, `/apis/{group}/{version}`
    GroupVersion(GroupVersion),
    /// `/api` or `/apis` with the aggregated (`apidiscovery.k8s.io/v2`) media type.
    Aggregated { core: bool },
}

/// One API call, as data: what a REST client would send, what the simulated cluster serves.
/// Namespaces are `""` for cluster-scoped resources.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    Discovery(DiscoveryPath),
    Get {
        gvr: GroupVersionResource,
        namespace: String,
        name: String,
    },
    /// `namespace: None` lists across all namespaces.
    List {
        gvr: GroupVersionResource,
        namespace: Option<String>,
        options: ListOptions,
    },
    Create {
        gvr: GroupVersionResource,
        namespace: String,
        body: Value,
        options: WriteOptions,
    },
    Update {
        gvr: GroupVersionResource,
        namespace: String,
        name: String,
        body: Value,
        options: WriteOptions,
    },
    Apply {
        gvr: GroupVersionResource,
        namespace: String,
        name: String,
        body: Value,
        options: ApplyOptions,
    },
    Delete {
        gvr: GroupVersionResource,
        namespace: String,
        name: String,
        options: DeleteOptions,
    },
    /// `GET …/pods/{name}/log`: the response is a JSON string.
    Logs {
        namespace: String,
        name: String,
        container: Option<String>,
    },
}

/// A wait in progress on a live cluster: Helm waiting for a hook or a resource to become
/// ready (or to go away), how long it has waited and its deadline (`--timeout`).
#[derive(Clone, Debug, PartialEq)]
pub struct WaitProgress {
    pub gvr: GroupVersionResource,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// The kstatus message of the last check (`Job in progress`).
    pub status: String,
    pub waited_ms: u64,
    pub timeout_ms: u64,
}

impl WaitProgress {
    /// `waiting for Job default/demo-db-migrate: Job in progress (3s of 5m0s)`.
    pub fn describe(&self) -> String {
        let ns = if self.namespace.is_empty() {
            String::new()
        } else {
            format!("{}/", self.namespace)
        };
        format!(
            "waiting for {} {ns}{}: {} ({} of {})",
            self.kind,
            self.name,
            self.status,
            go_duration_secs(self.waited_ms / 1000),
            go_duration_secs(self.timeout_ms / 1000)
        )
    }
}

/// Go's `time.Duration` text for whole seconds: `0s`, `45s`, `5m0s`, `1h2m3s`.
pub fn go_duration_secs(s: u64) -> String {
    let (h, m, sec) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}h{m}m{sec}s")
    } else if m > 0 {
        format!("{m}m{sec}s")
    } else {
        format!("{sec}s")
    }
}

/// An API server. One required method takes a [`Request`] and returns the response body as
/// JSON (an object, a list, a `Status`, a discovery document, or a string for logs); the
/// typed helpers build requests. Synchronous: the simulated cluster answers at once; a
/// REST implementation behind `kubectl proxy` uses [`crate::kube::rest`] to turn requests into
/// HTTP and responses back (see the module documentation for how an async one fits).
pub trait Cluster {
    /// Performs one API call.
    fn call(&mut self, req: Request) -> Result<Value, ApiError>;

    /// What the writes since the last call did (objects created, configured, unchanged,
    /// deleted; Deployment rollouts). Clusters that cannot tell return nothing.
    fn take_changes(&mut self) -> Vec<Change> {
        Vec::new()
    }

    /// Whether the cluster changes on its own between calls (a real API server, whose
    /// controllers run elsewhere). Waits on a live cluster poll until their timeout; on the
    /// simulated cluster, whose controllers have already run, one look is final.
    fn is_live(&self) -> bool {
        false
    }

    /// Lets time pass while `progress` is awaited (a live cluster pauses about a second, with
    /// the server's help where the client cannot sleep) and returns the milliseconds that
    /// passed. Clusters that are not live return 0 at once.
    fn wait_for_change(&mut self, progress: &WaitProgress) -> u64 {
        let _ = progress;
        0
    }

    /// The served resources, from discovery (`/api/v1`, `/apis`, `/apis/G/V`).
    fn registry(&mut self) -> Result<Registry, ApiError> {
        let mut lists = Vec::new();
        if let Ok(v1) = self.call(Request::Discovery(DiscoveryPath::GroupVersion(
            GroupVersion::new("", "v1"),
        ))) {
            lists.push(v1);
        }
        let apis = self.call(Request::Discovery(DiscoveryPath::Apis))?;
        for g in apis
            .get("groups")
            .and_then(Value::as_array)
            .map(|a| a.as_slice())
            .unwrap_or(&[])
        {
            for v in g
                .get("versions")
                .and_then(Value::as_array)
                .map(|a| a.as_slice())
                .unwrap_or(&[])
            {
                let gv = GroupVersion::parse(
                    v.get("groupVersion").and_then(Value::as_str).unwrap_or(""),
                );
                if let Ok(gv) = gv {
                    if let Ok(list) = self.call(Request::Discovery(DiscoveryPath::GroupVersion(gv)))
                    {
                        lists.push(list);
                    }
                }
            }
        }
        Ok(registry_from_resource_lists(&lists))
    }

    /// `GET /version`.
    fn version(&mut self) -> Result<Value, ApiError> {
        self.call(Request::Discovery(DiscoveryPath::Version))
    }

    fn get(
        &mut self,
        gvr: &GroupVersionResource,
        namespace: &str,
        name: &str,
    ) -> Result<Value, ApiError> {
        self.call(Request::Get {
            gvr: gvr.clone(),
            namespace: namespace.into(),
            name: name.into(),
        })
    }

    fn list(
        &mut self,
        gvr: &GroupVersionResource,
        namespace: Option<&str>,
        options: &ListOptions,
    ) -> Result<Value, ApiError> {
        self.call(Request::List {
            gvr: gvr.clone(),
            namespace: namespace.map(String::from),
            options: options.clone(),
        })
    }

    fn create(
        &mut self,
        gvr: &GroupVersionResource,
        namespace: &str,
        body: Value,
        options: &WriteOptions,
    ) -> Result<Value, ApiError> {
        self.call(Request::Create {
            gvr: gvr.clone(),
            namespace: namespace.into(),
            body,
            options: options.clone(),
        })
    }

    fn update(
        &mut self,
        gvr: &GroupVersionResource,
        namespace: &str,
        body: Value,
        options: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let name = crate::kube::object::name(&body).to_string();
        self.call(Request::Update {
            gvr: gvr.clone(),
            namespace: namespace.into(),
            name,
            body,
            options: options.clone(),
        })
    }

    fn apply(
        &mut self,
        gvr: &GroupVersionResource,
        namespace: &str,
        body: Value,
        options: &ApplyOptions,
    ) -> Result<Value, ApiError> {
        let name = crate::kube::object::name(&body).to_string();
        self.call(Request::Apply {
            gvr: gvr.clone(),
            namespace: namespace.into(),
            name,
            body,
            options: options.clone(),
        })
    }

    fn delete(
        &mut self,
        gvr: &GroupVersionResource,
        namespace: &str,
        name: &str,
        options: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        self.call(Request::Delete {
            gvr: gvr.clone(),
            namespace: namespace.into(),
            name: name.into(),
            options: options.clone(),
        })
    }

    /// The events about one object, oldest first (`involvedObject` field selector).
    fn events_for(
        &mut self,
        namespace: &str,
        kind: &str,
        name: &str,
    ) -> Result<Vec<Value>, ApiError> {
        let opts = ListOptions {
            label_selector: String::new(),
            field_selector: format!("involvedObject.kind={kind},involvedObject.name={name}"),
        };
        let list = self.list(
            &GroupVersionResource::new("", "v1", "events"),
            Some(namespace),
            &opts,
        )?;
        let mut items: Vec<Value> = list
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        items.sort_stable_by_key(|e| {
            e.get("lastTimestamp")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        });
        Ok(items)
    }

    /// A pod's log.
    fn logs(
        &mut self,
        namespace: &str,
        name: &str,
        container: Option<&str>,
    ) -> Result<String, ApiError> {
        let v = self.call(Request::Logs {
            namespace: namespace.into(),
            name: name.into(),
            container: container.map(String::from),
        })?;
        Ok(v.as_str().unwrap_or("").to_string())
    }
}

/// Builds a [`Registry`] from `APIResourceList` documents (subresources skipped). Printer
/// columns of custom resources are not in discovery; read them from the CRDs.
pub fn registry_from_resource_lists(lists: &[Value]) -> Registry {
    let mut resources: Vec<ResourceInfo> = Vec::new();
    for l in lists {
        let Ok(gv) =
            GroupVersion::parse(l.get("groupVersion").and_then(Value::as_str).unwrap_or(""))
        else {
            continue;
        };
        let items = l
            .get("resources")
            .and_then(Value::as_array)
            .map(|a| a.as_slice())
            .unwrap_or(&[]);
        for r in items {
            let name = r.get("name").and_then(Value::as_str).unwrap_or("");
            if name.is_empty() {
                continue;
            }
            let strs = |k: &str| -> Vec<String> {
                r.get(k)
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            if let Some((base, sub)) = name.split_once('/') {
                if let Some(parent) = resources
                    .iter_mut()
                    .find(|p| p.plural == base && p.group == gv.group && p.version == gv.version)
                {
                    parent.subresources.push(sub.to_string());
                    if sub == "status" {
                        parent.has_status = true;
                    }
                }
                continue;
            }
            let kind = r
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let singular = match r.get("singularName").and_then(Value::as_str) {
                Some(s) if !s.is_empty() => s.to_string(),
                _ => kind.to_lowercase(),
            };
            resources.push(ResourceInfo {
                group: gv.group.clone(),
                version: gv.version.clone(),
                kind,
                plural: name.to_string(),
                singular,
                namespaced: r
                    .get("namespaced")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                short_names: strs("shortNames"),
                categories: strs("categories"),
                verbs: strs("verbs"),
                subresources: Vec::new(),
                printer_columns: Vec::new(),
                has_status: false,
            });
        }
    }
    Registry { resources }
}

/// What a write did to one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Created,
    /// Changed (kubectl's `configured`).
    Configured,
    /// Written with no effect (kubectl's `unchanged`).
    Unchanged,
    Deleted,
}

/// One entry of the "what happened" record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub action: Action,
    pub object: ObjectRef,
    /// Set for Deployments whose write the deployment controller acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollout: Option<Rollout>,
    /// Objects the garbage collector or a controller removed because of this change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cascade: Vec<ObjectRef>,
}

/// What the deployment controller did after a Deployment was written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rollout {
    pub namespace: String,
    pub deployment: String,
    /// First ReplicaSet of a new Deployment.
    pub initial: bool,
    /// The pod template changed: a new (or older, on rollback) ReplicaSet took over and the
    /// pods were replaced.
    pub pods_rolled: bool,
    /// An older ReplicaSet with the same template was scaled back up (a rollback).
    pub reused_replicaset: bool,
    /// What differs between the previous and the new pod template.
    pub reasons: Vec<TemplateChange>,
    /// `deployment.kubernetes.io/revision` after the change.
    pub revision: i64,
    pub new_replicaset: String,
    /// ReplicaSets scaled down to zero.
    pub old_replicasets: Vec<String>,
    pub pods_created: Vec<String>,
    pub pods_deleted: Vec<String>,
    /// Replica count changes without a template change (`scaled from a to b`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaled: Option<(i64, i64)>,
}

impl Rollout {
    /// One line for learners: `pods roll: yes, because pod annotation checksum/config changed`
    /// or `pods roll: no (the pod template did not change)`.
    pub fn summary(&self) -> String {
        if self.initial {
            return format!(
                "deployment {} created ReplicaSet {} (revision {}) and {} pod(s)",
                self.deployment,
                self.new_replicaset,
                self.revision,
                self.pods_created.len()
            );
        }
        if !self.pods_rolled {
            let mut s = "pods roll: no (the pod template did not change".to_string();
            if let Some((a, b)) = self.scaled {
                s.push_str(&format!("; replicas scaled from {a} to {b}"));
            }
            s.push(')');
            return s;
        }
        let why: Vec<String> = self.reasons.iter().map(TemplateChange::describe).collect();
        let mut s = format!(
            "pods roll: yes, because {}",
            if why.is_empty() {
                "the pod template changed".into()
            } else {
                why.join("; ")
            }
        );
        if self.reused_replicaset {
            s.push_str(&format!(
                " (back to the template of ReplicaSet {}, now revision {})",
                self.new_replicaset, self.revision
            ));
        }
        s
    }
}

/// How a template field changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One difference between two pod templates. `path` names list items by their key:
/// `metadata.annotations[checksum/config]`, `spec.containers[web].image`,
/// `spec.containers[web].env[PASSCODE]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateChange {
    pub path: String,
    pub kind: ChangeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

impl TemplateChange {
    /// `pod annotation checksum/config changed`, `container web: image nginx:1.25 → nginx:1.26`.
    pub fn describe(&self) -> String {
        let verb = match self.kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        };
        let short = |v: &Option<Value>| match v {
            Some(Value::String(s)) if s.len() <= 60 => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        };
        if let Some(rest) = self.path.strip_prefix("metadata.annotations[") {
            return format!("pod annotation {} {verb}", rest.trim_end_matches(']'));
        }
        if let Some(rest) = self.path.strip_prefix("metadata.labels[") {
            return format!("pod label {} {verb}", rest.trim_end_matches(']'));
        }
        for list in ["spec.containers[", "spec.initContainers["] {
            if let Some(rest) = self.path.strip_prefix(list) {
                if let Some((name, field)) = rest.split_once("].") {
                    let what = if list.contains("init") {
                        "init container"
                    } else {
                        "container"
                    };
                    let (b, a) = (short(&self.before), short(&self.after));
                    if self.kind == ChangeKind::Changed && !b.is_empty() && !a.is_empty() {
                        return format!("{what} {name}: {field} {b} → {a}");
                    }
                    return format!("{what} {name}: {field} {verb}");
                }
            }
        }
        format!("pod template {} {verb}", self.path)
    }
}

/// The keys list items are matched by when diffing pod templates.
fn item_name(item: &Value) -> Option<String> {
    for k in ["name", "mountPath", "containerPort", "ip", "devicePath"] {
        if let Some(v) = item.get(k) {
            return Some(match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        }
    }
    None
}

/// The differences between two pod templates (`spec.template` of a Deployment), with the
/// `pod-template-hash` label ignored. At most 50 entries.
pub fn pod_template_diff(old: &Value, new: &Value) -> Vec<TemplateChange> {
    let strip = |t: &Value| {
        let mut t = t.clone();
        if let Some(Value::Object(l)) = t.get_mut("metadata").and_then(|m| m.get_mut("labels")) {
            l.shift_remove("pod-template-hash");
        }
        t
    };
    let mut out = Vec::new();
    diff_into(&strip(old), &strip(new), "", &mut out, 0);
    out
}

fn diff_into(a: &Value, b: &Value, path: &str, out: &mut Vec<TemplateChange>, depth: usize) {
    if a == b || out.len() >= 50 {
        return;
    }
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    let in_string_map = path.ends_with("annotations")
        || path.ends_with("labels")
        || path.ends_with("nodeSelector")
        || path.ends_with(".data");
    match (a, b) {
        (Value::Object(am), Value::Object(bm)) if depth < 32 => {
            let empty = Value::Object(serde_json::Map::new());
            let string_map = |k: &str| matches!(k, "annotations" | "labels" | "nodeSelector");
            for (k, av) in am {
                let p = if in_string_map {
                    format!("{path}[{k}]")
                } else {
                    join(k)
                };
                match bm.get(k) {
                    Some(bv) => diff_into(av, bv, &p, out, depth + 1),
                    None if string_map(k) && av.is_object() => {
                        diff_into(av, &empty, &p, out, depth + 1)
                    }
                    None => out.push(TemplateChange {
                        path: p,
                        kind: ChangeKind::Removed,
                        before: Some(av.clone()),
                        after: None,
                    }),
                }
            }
            for (k, bv) in bm {
                if !am.contains_key(k) {
                    let p = if in_string_map {
                        format!("{path}[{k}]")
                    } else {
                        join(k)
                    };
                    if string_map(k) && bv.is_object() {
                        diff_into(&empty, bv, &p, out, depth + 1);
                    } else {
                        out.push(TemplateChange {
                            path: p,
                            kind: ChangeKind::Added,
                            before: None,
                            after: Some(bv.clone()),
                        });
                    }
                }
            }
        }
        (Value::Array(aa), Value::Array(ba))
            if depth < 32 && aa.iter().chain(ba.iter()).all(|x| item_name(x).is_some()) =>
        {
            for ai in aa {
                let n = item_name(ai).unwrap_or_default();
                let p = format!("{path}[{n}]");
                match ba
                    .iter()
                    .find(|bi| item_name(bi).as_deref() == Some(n.as_str()))
                {
                    Some(bi) => diff_into(ai, bi, &p, out, depth + 1),
                    None => out.push(TemplateChange {
                        path: p,
                        kind: ChangeKind::Removed,
                        before: Some(ai.clone()),
                        after: None,
                    }),
                }
            }
            for bi in ba {
                let n = item_name(bi).unwrap_or_default();
                if !aa
                    .iter()
                    .any(|ai| item_name(ai).as_deref() == Some(n.as_str()))
                {
                    out.push(TemplateChange {
                        path: format!("{path}[{n}]"),
                        kind: ChangeKind::Added,
                        before: None,
                        after: Some(bi.clone()),
                    });
                }
            }
        }
        _ => out.push(TemplateChange {
            path: path.to_string(),
            kind: ChangeKind::Changed,
            before: Some(a.clone()),
            after: Some(b.clone()),
        }),
    }
}

/// Re-adds `apiVersion`/`kind` to the items of a list response (the API server omits them
/// for built-in kinds; kubectl puts them back).
pub fn items_with_kind(list: &Value, api_version: &str, kind: &str) -> Vec<Value> {
    list.get("items")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|it| {
                    let mut it = it.clone();
                    if let Value::Object(m) = &mut it {
                        if !m.contains_key("kind") {
                            let mut out = serde_json::Map::new();
                            out.insert("apiVersion".into(), json!(api_version));
                            out.insert("kind".into(), json!(kind));
                            for (k, v) in std::mem::take(m) {
                                out.insert(k, v);
                            }
                            *m = out;
                        }
                    }
                    it
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_diffs_name_the_cause() {
        let old = json!({"metadata": {"labels": {"app": "a", "pod-template-hash": "x"}, "annotations": {"checksum/config": "111"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.25", "env": [{"name": "A", "value": "1"}]}]}});
        let new = json!({"metadata": {"labels": {"app": "a", "pod-template-hash": "y"}, "annotations": {"checksum/config": "222"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.26", "env": [{"name": "A", "value": "1"}, {"name": "PASSCODE", "valueFrom": {}}]}]}});
        let d = pod_template_diff(&old, &new);
        let described: Vec<String> = d.iter().map(TemplateChange::describe).collect();
        assert_eq!(
            described,
            [
                "pod annotation checksum/config changed",
                "container web: image nginx:1.25 → nginx:1.26",
                "container web: env[PASSCODE] added"
            ]
        );
        assert_eq!(d[0].path, "metadata.annotations[checksum/config]");
        assert!(pod_template_diff(&old, &old).is_empty());
    }

    #[test]
    fn registry_from_discovery_lists() {
        let reg = Registry::builtin();
        let lists: Vec<Value> = reg
            .group_versions()
            .iter()
            .filter_map(|gv| reg.api_resource_list_doc(gv))
            .collect();
        let back = registry_from_resource_lists(&lists);
        let d = back.resolve("deploy").unwrap();
        assert_eq!(d.kind, "Deployment");
        assert!(d.has_status && d.has_subresource("scale"));
        assert_eq!(back.resources.len(), reg.resources.len());
    }
}
