//! Kubernetes objects as `serde_json::Value` (document order kept): `apiVersion`/`kind`
//! parsing (`schema.GroupVersionKind`), `metadata` accessors (`metav1.Object`), owner
//! references, and the key order the API server writes objects in (Go struct field order).

use crate::engine::sort::SliceSort;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// `schema.GroupVersion`. The core group is `""`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct GroupVersion {
    pub group: String,
    pub version: String,
}

impl GroupVersion {
    pub fn new(group: &str, version: &str) -> GroupVersion {
        GroupVersion {
            group: group.to_string(),
            version: version.to_string(),
        }
    }

    /// `schema.ParseGroupVersion`: `v1` → core, `apps/v1` → apps. Errors with Go's text.
    pub fn parse(api_version: &str) -> Result<GroupVersion, String> {
        if api_version.is_empty() || api_version == "/" {
            return Ok(GroupVersion::default());
        }
        match api_version.matches('/').count() {
            0 => Ok(GroupVersion::new("", api_version)),
            1 => {
                let (g, v) = api_version.split_once('/').unwrap_or(("", api_version));
                Ok(GroupVersion::new(g, v))
            }
            _ => Err(format!("unexpected GroupVersion string: {api_version}")),
        }
    }

    /// The `apiVersion` string: `v1`, `apps/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The path prefix of this group version: `/api/v1`, `/apis/apps/v1`.
    pub fn path_prefix(&self) -> String {
        if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        }
    }
}

impl fmt::Display for GroupVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.api_version())
    }
}

/// `schema.GroupVersionKind`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct GroupVersionKind {
    pub group: String,
    pub version: String,
    pub kind: String,
}

impl GroupVersionKind {
    pub fn new(group: &str, version: &str, kind: &str) -> GroupVersionKind {
        GroupVersionKind {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
        }
    }

    /// From an object's `apiVersion` and `kind`.
    pub fn of(obj: &Value) -> Result<GroupVersionKind, String> {
        let gv = GroupVersion::parse(api_version(obj))?;
        Ok(GroupVersionKind {
            group: gv.group,
            version: gv.version,
            kind: kind(obj).to_string(),
        })
    }

    pub fn group_version(&self) -> GroupVersion {
        GroupVersion::new(&self.group, &self.version)
    }

    pub fn api_version(&self) -> String {
        self.group_version().api_version()
    }

    /// `GroupKind.String()`: `Deployment.apps`, `Pod`.
    pub fn group_kind(&self) -> String {
        if self.group.is_empty() {
            self.kind.clone()
        } else {
            format!("{}.{}", self.kind, self.group)
        }
    }
}

impl fmt::Display for GroupVersionKind {
    /// `schema.GroupVersionKind.String()`: `apps/v1, Kind=Deployment`, `/v1, Kind=Pod`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}, Kind={}", self.group, self.version, self.kind)
    }
}

/// `schema.GroupVersionResource`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct GroupVersionResource {
    pub group: String,
    pub version: String,
    pub resource: String,
}

impl GroupVersionResource {
    pub fn new(group: &str, version: &str, resource: &str) -> GroupVersionResource {
        GroupVersionResource {
            group: group.into(),
            version: version.into(),
            resource: resource.into(),
        }
    }

    pub fn group_version(&self) -> GroupVersion {
        GroupVersion::new(&self.group, &self.version)
    }

    /// `schema.GroupResource.String()`: `deployments.apps`, `secrets` — the word API errors use.
    pub fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        }
    }
}

impl fmt::Display for GroupVersionResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}, Resource={}",
            self.group, self.version, self.resource
        )
    }
}

/// One object's address: resource, namespace (empty for cluster-scoped), name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct ObjectRef {
    pub gvr: GroupVersionResource,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let gk = if self.gvr.group.is_empty() {
            self.kind.to_lowercase()
        } else {
            format!("{}.{}", self.kind.to_lowercase(), self.gvr.group)
        };
        write!(f, "{}/{}", gk, self.name)
    }
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The object's `apiVersion` (empty when absent).
pub fn api_version(obj: &Value) -> &str {
    str_at(obj, "apiVersion")
}

/// The object's `kind` (empty when absent).
pub fn kind(obj: &Value) -> &str {
    str_at(obj, "kind")
}

/// `metadata` (or `Null`).
pub fn metadata(obj: &Value) -> &Value {
    obj.get("metadata").unwrap_or(&Value::Null)
}

/// `metadata.name`.
pub fn name(obj: &Value) -> &str {
    str_at(metadata(obj), "name")
}

/// `metadata.namespace`.
pub fn namespace(obj: &Value) -> &str {
    str_at(metadata(obj), "namespace")
}

/// `metadata.uid`.
pub fn uid(obj: &Value) -> &str {
    str_at(metadata(obj), "uid")
}

/// `metadata.resourceVersion`.
pub fn resource_version(obj: &Value) -> &str {
    str_at(metadata(obj), "resourceVersion")
}

/// `metadata.generation` (0 when unset).
pub fn generation(obj: &Value) -> i64 {
    metadata(obj)
        .get("generation")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// `metadata.creationTimestamp` parsed.
pub fn creation_timestamp(obj: &Value) -> Option<crate::kube::time::Time> {
    metadata(obj)
        .get("creationTimestamp")
        .and_then(Value::as_str)
        .and_then(crate::kube::time::Time::parse_rfc3339)
}

/// `metadata.deletionTimestamp` is set.
pub fn is_deleting(obj: &Value) -> bool {
    metadata(obj)
        .get("deletionTimestamp")
        .map(|v| !v.is_null())
        .unwrap_or(false)
}

fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(m)) = v {
        for (k, v) in m {
            if let Some(s) = v.as_str() {
                out.insert(k.clone(), s.to_string());
            }
        }
    }
    out
}

/// `metadata.labels` as a sorted map (non-string values ignored).
pub fn labels(obj: &Value) -> BTreeMap<String, String> {
    string_map(metadata(obj).get("labels"))
}

/// `metadata.annotations` as a sorted map.
pub fn annotations(obj: &Value) -> BTreeMap<String, String> {
    string_map(metadata(obj).get("annotations"))
}

/// A string map at a path (`spec.selector` of a Service, `nodeSelector`, …).
pub fn string_map_at(obj: &Value, path: &[&str]) -> BTreeMap<String, String> {
    string_map(get_path(obj, path))
}

/// The value at `path` (object keys only).
pub fn get_path<'a>(obj: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = obj;
    for p in path {
        cur = cur.get(*p)?;
    }
    Some(cur)
}

/// A string at `path`, or `""`.
pub fn str_path<'a>(obj: &'a Value, path: &[&str]) -> &'a str {
    get_path(obj, path).and_then(Value::as_str).unwrap_or("")
}

/// An integer at `path` (JSON integers and integral floats).
pub fn int_path(obj: &Value, path: &[&str]) -> Option<i64> {
    let v = get_path(obj, path)?;
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

/// The map at `path`, created (replacing non-maps) as needed. `obj` itself becomes a map
/// if it is not one.
pub fn ensure_map<'a>(obj: &'a mut Value, path: &[&str]) -> &'a mut Map<String, Value> {
    let mut cur = obj;
    for p in path {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let m = match cur {
            Value::Object(m) => m,
            _ => unreachable_map(),
        };
        let entry = m
            .entry(p.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        cur = entry;
    }
    if !cur.is_object() {
        *cur = Value::Object(Map::new());
    }
    match cur {
        Value::Object(m) => m,
        _ => unreachable_map(),
    }
}

#[cold]
fn unreachable_map() -> ! {
    // Every branch above makes the value a map first.
    unreachable!("value was just made a map")
}

/// Sets `path` to `v`, creating maps on the way.
pub fn set_path(obj: &mut Value, path: &[&str], v: Value) {
    if let Some((last, parents)) = path.split_last() {
        ensure_map(obj, parents).insert(last.to_string(), v);
    }
}

/// Removes `path`; returns the old value.
pub fn remove_path(obj: &mut Value, path: &[&str]) -> Option<Value> {
    let (last, parents) = path.split_last()?;
    let mut cur = obj;
    for p in parents {
        cur = cur.get_mut(*p)?;
    }
    cur.as_object_mut()?.shift_remove(*last)
}

/// Sets one label.
pub fn set_label(obj: &mut Value, key: &str, value: &str) {
    ensure_map(obj, &["metadata", "labels"]).insert(key.into(), Value::String(value.into()));
}

/// Sets one annotation.
pub fn set_annotation(obj: &mut Value, key: &str, value: &str) {
    ensure_map(obj, &["metadata", "annotations"]).insert(key.into(), Value::String(value.into()));
}

/// One `metadata.ownerReferences` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerReference {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    #[serde(
        rename = "blockOwnerDeletion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub block_owner_deletion: Option<bool>,
}

impl OwnerReference {
    /// A controller reference to `owner` (`controller: true`, `blockOwnerDeletion: true`).
    pub fn controller_of(owner: &Value) -> OwnerReference {
        OwnerReference {
            api_version: api_version(owner).to_string(),
            kind: kind(owner).to_string(),
            name: name(owner).to_string(),
            uid: uid(owner).to_string(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        }
    }

    /// As JSON in the API's key order.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("apiVersion".into(), Value::String(self.api_version.clone()));
        m.insert("kind".into(), Value::String(self.kind.clone()));
        m.insert("name".into(), Value::String(self.name.clone()));
        m.insert("uid".into(), Value::String(self.uid.clone()));
        if let Some(c) = self.controller {
            m.insert("controller".into(), Value::Bool(c));
        }
        if let Some(b) = self.block_owner_deletion {
            m.insert("blockOwnerDeletion".into(), Value::Bool(b));
        }
        Value::Object(m)
    }
}

/// `metadata.ownerReferences` (malformed entries skipped).
pub fn owner_references(obj: &Value) -> Vec<OwnerReference> {
    metadata(obj)
        .get("ownerReferences")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| serde_json::from_value(r.clone()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// `metav1.GetControllerOf`: the owner reference with `controller: true`.
pub fn controller_of(obj: &Value) -> Option<OwnerReference> {
    owner_references(obj)
        .into_iter()
        .find(|r| r.controller == Some(true))
}

/// The order of `ObjectMeta`'s fields in Go, which is the order the API server writes them.
const META_ORDER: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

/// Reorders an object the way the API server serializes a typed object: `kind`,
/// `apiVersion`, `metadata` (in `ObjectMeta` field order), then the rest as they were, with
/// `status` last.
pub fn server_order(obj: &mut Value) {
    let Value::Object(m) = obj else { return };
    let mut out = Map::new();
    for k in ["kind", "apiVersion"] {
        if let Some(v) = m.shift_remove(k) {
            out.insert(k.into(), v);
        }
    }
    if let Some(mut meta) = m.shift_remove("metadata") {
        if let Value::Object(mm) = &mut meta {
            let mut ordered = Map::new();
            for k in META_ORDER {
                if let Some(v) = mm.shift_remove(*k) {
                    ordered.insert((*k).into(), v);
                }
            }
            for (k, v) in std::mem::take(mm) {
                ordered.insert(k, v);
            }
            *mm = ordered;
        }
        out.insert("metadata".into(), meta);
    }
    let status = m.shift_remove("status");
    for (k, v) in std::mem::take(m) {
        out.insert(k, v);
    }
    if let Some(s) = status {
        out.insert("status".into(), s);
    }
    *m = out;
}

/// Recursively sorts map keys, as `kubectl -o json`/`-o yaml` print (Go maps are sorted when
/// marshalled).
pub fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_stable();
            let mut out = Map::new();
            for k in keys {
                if let Some(x) = m.get(k) {
                    out.insert(k.clone(), sorted(x));
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Drops `metadata.managedFields`, as `kubectl get -o yaml|json` does unless
/// `--show-managed-fields` is given.
pub fn without_managed_fields(obj: &Value) -> Value {
    let mut v = obj.clone();
    if let Some(Value::Object(m)) = v.get_mut("metadata") {
        m.shift_remove("managedFields");
    }
    if let Some(Value::Array(items)) = v.get_mut("items") {
        for it in items {
            if let Some(Value::Object(m)) = it.get_mut("metadata") {
                m.shift_remove("managedFields");
            }
        }
    }
    v
}

/// A `v1` `List` of `items`, as kubectl builds for `get` of several objects.
pub fn list_of(items: Vec<Value>) -> Value {
    let mut m = Map::new();
    m.insert("apiVersion".into(), Value::String("v1".into()));
    m.insert("items".into(), Value::Array(items));
    m.insert("kind".into(), Value::String("List".into()));
    let mut meta = Map::new();
    meta.insert("resourceVersion".into(), Value::String(String::new()));
    m.insert("metadata".into(), Value::Object(meta));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn group_versions() {
        assert_eq!(
            GroupVersion::parse("v1").unwrap(),
            GroupVersion::new("", "v1")
        );
        assert_eq!(
            GroupVersion::parse("apps/v1").unwrap().path_prefix(),
            "/apis/apps/v1"
        );
        assert_eq!(
            GroupVersion::parse("a/b/c").unwrap_err(),
            "unexpected GroupVersion string: a/b/c"
        );
        let gvk =
            GroupVersionKind::of(&json!({"apiVersion": "apps/v1", "kind": "Deployment"})).unwrap();
        assert_eq!(gvk.to_string(), "apps/v1, Kind=Deployment");
        assert_eq!(gvk.group_kind(), "Deployment.apps");
        assert_eq!(
            GroupVersionResource::new("", "v1", "secrets").group_resource(),
            "secrets"
        );
    }

    #[test]
    fn paths_and_order() {
        let mut o = json!({"spec": {}, "status": {"a": 1}, "metadata": {"labels": {"x": "y"}, "name": "n"}, "kind": "K", "apiVersion": "v1"});
        server_order(&mut o);
        let keys: Vec<&String> = o.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["kind", "apiVersion", "metadata", "spec", "status"]);
        let mkeys: Vec<&String> = o["metadata"].as_object().unwrap().keys().collect();
        assert_eq!(mkeys, ["name", "labels"]);
        set_path(&mut o, &["spec", "replicas"], json!(3));
        assert_eq!(int_path(&o, &["spec", "replicas"]), Some(3));
        assert_eq!(remove_path(&mut o, &["spec", "replicas"]), Some(json!(3)));
        assert_eq!(labels(&o).get("x").map(String::as_str), Some("y"));
        set_annotation(&mut o, "a", "b");
        assert_eq!(annotations(&o).len(), 1);
    }
}
