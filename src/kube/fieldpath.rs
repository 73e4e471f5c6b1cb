//! Server-side apply as `sigs.k8s.io/structured-merge-diff` does it for the paths charts use:
//! field sets (`fieldpath.Set`) and their `FieldsV1` encoding (`f:`, `k:`, `v:`, `i:`, `.`),
//! `managedFields` entries per manager and operation, conflicts between managers (with the
//! API's `Apply failed with N conflict(s)` texts), merging an applied configuration into the
//! live object, and removing the fields a manager stopped applying.
//!
//! The schema knowledge is the part of the Kubernetes OpenAPI that matters for merging:
//! associative lists (`x-kubernetes-list-type: map` with their keys, e.g. containers by
//! `name`, container ports by `containerPort`+`protocol`, env by `name`, Service ports by
//! `port`+`protocol`), sets (`finalizers`) and atomic structs/maps (label selectors,
//! `nodeSelector`, `*KeyRef`). Every other list is atomic and every other map granular —
//! also for custom resources, whose CRD schemas are not consulted (a documented limit).

use crate::engine::sort::SliceSort;
use crate::kube::time::Time;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathElement {
    /// A map key / struct field: `f:name`.
    Field(String),
    /// An associative list item by its key fields (sorted by field name): `k:{"name":"web"}`.
    Key(Vec<(String, Value)>),
    /// A set item: `v:"x"`.
    Value(Value),
    /// An atomic-list index: `i:0` (only for lists SMD treats as indexed).
    Index(usize),
}

/// Sort key of a path element: fields, then keys, then values, then indexes (SMD's order).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct PathElementKey(u8, String);

impl PathElement {
    fn sort_key(&self) -> PathElementKey {
        match self {
            PathElement::Field(f) => PathElementKey(0, f.clone()),
            PathElement::Key(k) => PathElementKey(1, key_json(k)),
            PathElement::Value(v) => PathElementKey(2, v.to_string()),
            PathElement::Index(i) => PathElementKey(3, format!("{i:020}")),
        }
    }

    /// The `FieldsV1` key: `f:name`, `k:{"name":"web"}`, `v:"x"`, `i:0`.
    pub fn encode(&self) -> String {
        match self {
            PathElement::Field(f) => format!("f:{f}"),
            PathElement::Key(k) => format!("k:{}", key_json(k)),
            PathElement::Value(v) => format!("v:{}", compact(v)),
            PathElement::Index(i) => format!("i:{i}"),
        }
    }

    /// Parses a `FieldsV1` key.
    pub fn decode(s: &str) -> Option<PathElement> {
        if let Some(f) = s.strip_prefix("f:") {
            return Some(PathElement::Field(f.to_string()));
        }
        if let Some(k) = s.strip_prefix("k:") {
            let v: Value = serde_json::from_str(k).ok()?;
            let m = v.as_object()?;
            let mut fields: Vec<(String, Value)> =
                m.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            fields.sort_stable_by(|a, b| a.0.cmp(&b.0));
            return Some(PathElement::Key(fields));
        }
        if let Some(v) = s.strip_prefix("v:") {
            return serde_json::from_str(v).ok().map(PathElement::Value);
        }
        if let Some(i) = s.strip_prefix("i:") {
            return i.parse().ok().map(PathElement::Index);
        }
        None
    }

    /// The element as `fieldpath.Path.String()` prints it: `.name`, `[name="web"]`, `[=x]`, `[0]`.
    pub fn display(&self) -> String {
        match self {
            PathElement::Field(f) => format!(".{f}"),
            PathElement::Key(k) => {
                let parts: Vec<String> = k
                    .iter()
                    .map(|(n, v)| format!("{n}={}", compact(v)))
                    .collect();
                format!("[{}]", parts.join(","))
            }
            PathElement::Value(v) => format!("[={}]", compact(v)),
            PathElement::Index(i) => format!("[{i}]"),
        }
    }
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn key_json(k: &[(String, Value)]) -> String {
    let mut m = Map::new();
    for (n, v) in k {
        m.insert(n.clone(), v.clone());
    }
    compact(&Value::Object(m))
}

/// A path as `fieldpath.Path.String()` prints it: `.spec.template.spec.containers[name="web"].image`.
pub fn path_string(path: &[PathElement]) -> String {
    path.iter().map(PathElement::display).collect()
}

/// A set of field paths, as a tree. `member` marks the node itself as owned (`.` in
/// `FieldsV1` when the node also has children).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldSet {
    pub member: bool,
    pub children: Vec<(PathElement, FieldSet)>,
}

impl FieldSet {
    pub fn is_empty(&self) -> bool {
        !self.member && self.children.iter().all(|(_, c)| c.is_empty())
    }

    fn child_mut(&mut self, pe: &PathElement) -> &mut FieldSet {
        let idx = match self.children.iter().position(|(p, _)| p == pe) {
            Some(i) => i,
            None => {
                self.children.push((pe.clone(), FieldSet::default()));
                self.children.len() - 1
            }
        };
        &mut self.children[idx].1
    }

    fn child(&self, pe: &PathElement) -> Option<&FieldSet> {
        self.children.iter().find(|(p, _)| p == pe).map(|(_, c)| c)
    }

    /// Adds a path as a member.
    pub fn insert(&mut self, path: &[PathElement]) {
        match path.split_first() {
            None => self.member = true,
            Some((first, rest)) => self.child_mut(first).insert(rest),
        }
    }

    /// Whether `path` is a member.
    pub fn has(&self, path: &[PathElement]) -> bool {
        match path.split_first() {
            None => self.member,
            Some((first, rest)) => self.child(first).map(|c| c.has(rest)).unwrap_or(false),
        }
    }

    /// Whether `path` or anything below it is a member.
    pub fn has_prefix(&self, path: &[PathElement]) -> bool {
        match path.split_first() {
            None => !self.is_empty(),
            Some((first, rest)) => self
                .child(first)
                .map(|c| c.has_prefix(rest))
                .unwrap_or(false),
        }
    }

    /// All member paths (depth first, children in set order).
    pub fn members(&self) -> Vec<Vec<PathElement>> {
        let mut out = Vec::new();
        self.collect(&mut Vec::new(), &mut out);
        out
    }

    fn collect(&self, prefix: &mut Vec<PathElement>, out: &mut Vec<Vec<PathElement>>) {
        if self.member {
            out.push(prefix.clone());
        }
        for (pe, c) in &self.children {
            prefix.push(pe.clone());
            c.collect(prefix, out);
            prefix.pop();
        }
    }

    /// `self ∪ other`.
    pub fn union(&self, other: &FieldSet) -> FieldSet {
        let mut out = self.clone();
        for p in other.members() {
            out.insert(&p);
        }
        out
    }

    /// `self \ other` (members only).
    pub fn difference(&self, other: &FieldSet) -> FieldSet {
        let mut out = FieldSet::default();
        for p in self.members() {
            if !other.has(&p) {
                out.insert(&p);
            }
        }
        out
    }

    /// Removes one member path (keeps the tree tidy).
    pub fn remove(&mut self, path: &[PathElement]) {
        match path.split_first() {
            None => self.member = false,
            Some((first, rest)) => {
                if let Some(i) = self.children.iter().position(|(p, _)| p == first) {
                    self.children[i].1.remove(rest);
                    if self.children[i].1.is_empty() {
                        self.children.remove(i);
                    }
                }
            }
        }
    }

    /// The `FieldsV1` JSON of this set.
    pub fn to_fields_v1(&self) -> Value {
        let mut m = Map::new();
        if self.member && !self.children.is_empty() {
            m.insert(".".into(), json!({}));
        }
        let mut kids: Vec<&(PathElement, FieldSet)> = self
            .children
            .iter()
            .filter(|(_, c)| !c.is_empty())
            .collect();
        kids.sort_stable_by_key(|a| a.0.sort_key());
        for (pe, c) in kids {
            m.insert(pe.encode(), c.to_fields_v1());
        }
        Value::Object(m)
    }

    /// Reads `FieldsV1` JSON (unknown keys ignored).
    pub fn from_fields_v1(v: &Value) -> FieldSet {
        let mut out = FieldSet::default();
        let Some(m) = v.as_object() else { return out };
        if m.is_empty() {
            out.member = true;
            return out;
        }
        for (k, c) in m {
            if k == "." {
                out.member = true;
                continue;
            }
            if let Some(pe) = PathElement::decode(k) {
                let child = FieldSet::from_fields_v1(c);
                out.children.push((pe, child));
            }
        }
        out
    }
}

/// How a list at some path merges.
#[derive(Clone, Debug, PartialEq)]
pub enum ListType {
    Atomic,
    Set,
    /// Associative list keyed by these fields, with defaults for absent key fields.
    Map(Vec<(&'static str, Option<Value>)>),
}

/// Where the pod spec sits in objects of `kind`.
fn pod_spec_prefix(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pod" => &["spec"],
        "Deployment"
        | "ReplicaSet"
        | "StatefulSet"
        | "DaemonSet"
        | "Job"
        | "ReplicationController" => &["spec", "template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        "PodTemplate" => &["template", "spec"],
        _ => &[],
    }
}

const CONTAINER_LISTS: &[&str] = &["containers", "initContainers", "ephemeralContainers"];

/// The list type of the list at `path` (field names only) in an object of `kind`.
pub fn list_type(kind: &str, path: &[&str], custom: bool) -> ListType {
    let tcp = || Some(json!("TCP"));
    if custom {
        return match path {
            ["metadata", "finalizers"] => ListType::Set,
            ["metadata", "ownerReferences"] => ListType::Map(vec![("uid", None)]),
            _ => ListType::Atomic,
        };
    }
    match path {
        ["metadata", "finalizers"] | ["spec", "finalizers"] => return ListType::Set,
        ["metadata", "ownerReferences"] => return ListType::Map(vec![("uid", None)]),
        [.., "status", "conditions"] => return ListType::Map(vec![("type", None)]),
        _ => {}
    }
    if kind == "Service" && path == ["spec", "ports"] {
        return ListType::Map(vec![("port", None), ("protocol", tcp())]);
    }
    if kind == "ServiceAccount" && path == ["secrets"] {
        return ListType::Map(vec![("name", None)]);
    }
    let prefix = pod_spec_prefix(kind);
    if !prefix.is_empty() && path.len() > prefix.len() && path[..prefix.len()] == *prefix {
        let rel = &path[prefix.len()..];
        return match rel {
            [c] if CONTAINER_LISTS.contains(c) => ListType::Map(vec![("name", None)]),
            ["volumes"] | ["imagePullSecrets"] | ["schedulingGates"] | ["resourceClaims"] => {
                ListType::Map(vec![("name", None)])
            }
            ["hostAliases"] => ListType::Map(vec![("ip", None)]),
            ["topologySpreadConstraints"] => {
                ListType::Map(vec![("topologyKey", None), ("whenUnsatisfiable", None)])
            }
            [c, "ports"] if CONTAINER_LISTS.contains(c) => {
                ListType::Map(vec![("containerPort", None), ("protocol", tcp())])
            }
            [c, "env"] if CONTAINER_LISTS.contains(c) => ListType::Map(vec![("name", None)]),
            [c, "volumeMounts"] if CONTAINER_LISTS.contains(c) => {
                ListType::Map(vec![("mountPath", None)])
            }
            [c, "volumeDevices"] if CONTAINER_LISTS.contains(c) => {
                ListType::Map(vec![("devicePath", None)])
            }
            [c, "resources", "claims"] if CONTAINER_LISTS.contains(c) => {
                ListType::Map(vec![("name", None)])
            }
            _ => ListType::Atomic,
        };
    }
    ListType::Atomic
}

/// Whether the map/struct at `path` is atomic (replaced as a whole, owned as one field).
pub fn is_atomic_map(path: &[&str], custom: bool) -> bool {
    if custom {
        return false;
    }
    let Some(last) = path.last() else {
        return false;
    };
    match *last {
        "selector" | "podSelector" | "namespaceSelector" | "labelSelector" | "nodeSelector" => true,
        "configMapKeyRef" | "secretKeyRef" | "fieldRef" | "resourceFieldRef" | "fileKeyRef" => true,
        "requiredDuringSchedulingIgnoredDuringExecution" => {
            path.len() >= 2 && path[path.len() - 2] == "nodeAffinity"
        }
        _ => false,
    }
}

/// The key of an associative-list item, defaults filled in; `None` if a key field is missing
/// and has no default.
fn item_key(item: &Value, keys: &[(&'static str, Option<Value>)]) -> Option<Vec<(String, Value)>> {
    let mut out = Vec::new();
    for (k, default) in keys {
        match item
            .get(*k)
            .filter(|v| !v.is_null())
            .cloned()
            .or_else(|| default.clone())
        {
            Some(v) => out.push((k.to_string(), v)),
            None => return None,
        }
    }
    out.sort_stable_by(|a, b| a.0.cmp(&b.0));
    Some(out)
}

/// The fields stripped from every manager's set (`stripmeta.go`), and `status` on the main
/// resource of kinds with a status subresource.
fn stripped(path: &[&str], has_status: bool) -> bool {
    matches!(
        path,
        ["apiVersion"]
            | ["kind"]
            | ["metadata", "name"]
            | ["metadata", "namespace"]
            | ["metadata", "creationTimestamp"]
            | ["metadata", "selfLink"]
            | ["metadata", "uid"]
            | ["metadata", "clusterName"]
            | ["metadata", "generation"]
            | ["metadata", "managedFields"]
            | ["metadata", "resourceVersion"]
            | ["metadata", "deletionTimestamp"]
            | ["metadata", "deletionGracePeriodSeconds"]
    ) || (has_status && path == ["status"])
}

/// Schema context for walking one object.
#[derive(Clone, Copy, Debug)]
pub struct Schema<'a> {
    pub kind: &'a str,
    pub custom: bool,
    /// The resource has a status subresource (status is not owned through the main resource).
    pub has_status: bool,
}

/// The field set of an object (`ToFieldSet`): every leaf, atomic value and associative-list
/// item, minus the stripped metadata.
pub fn field_set(obj: &Value, schema: Schema<'_>) -> FieldSet {
    let mut set = FieldSet::default();
    let mut names: Vec<&str> = Vec::new();
    walk_set(obj, schema, &mut names, &mut Vec::new(), &mut set, 0);
    set
}

/// The field set of the `status` of an object (what a status-subresource writer owns).
pub fn status_field_set(obj: &Value, schema: Schema<'_>) -> FieldSet {
    let mut set = FieldSet::default();
    if let Some(st) = obj.get("status") {
        let mut names = vec!["status"];
        let mut path = vec![PathElement::Field("status".into())];
        walk_set(st, schema, &mut names, &mut path, &mut set, 1);
    }
    set
}

const MAX_DEPTH: usize = 64;

fn walk_set<'v>(
    v: &'v Value,
    schema: Schema<'_>,
    names: &mut Vec<&'v str>,
    path: &mut Vec<PathElement>,
    set: &mut FieldSet,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        set.insert(path);
        return;
    }
    match v {
        Value::Object(m) => {
            if !path.is_empty() && (m.is_empty() || is_atomic_map(names, schema.custom)) {
                set.insert(path);
                return;
            }
            for (k, child) in m {
                names.push(k.as_str());
                if !stripped(names, schema.has_status) {
                    path.push(PathElement::Field(k.clone()));
                    walk_set(child, schema, names, path, set, depth + 1);
                    path.pop();
                }
                names.pop();
            }
        }
        Value::Array(items) => match list_type(schema.kind, names, schema.custom) {
            ListType::Atomic => set.insert(path),
            ListType::Set => {
                if items.is_empty() {
                    set.insert(path);
                }
                for it in items {
                    path.push(PathElement::Value(it.clone()));
                    set.insert(path);
                    path.pop();
                }
            }
            ListType::Map(keys) => {
                if items.is_empty() {
                    set.insert(path);
                }
                for it in items {
                    match item_key(it, &keys) {
                        Some(k) => {
                            path.push(PathElement::Key(k));
                            set.insert(path);
                            if let Value::Object(im) = it {
                                for (f, fv) in im {
                                    names.push(f.as_str());
                                    path.push(PathElement::Field(f.clone()));
                                    walk_set(fv, schema, names, path, set, depth + 1);
                                    path.pop();
                                    names.pop();
                                }
                            }
                            path.pop();
                        }
                        None => {
                            // An item without its key cannot be tracked separately; own the list.
                            set.insert(path);
                        }
                    }
                }
            }
        },
        _ => set.insert(path),
    }
}

/// The value at a field path (`None` if absent).
pub fn value_at<'v>(obj: &'v Value, path: &[PathElement], schema: Schema<'_>) -> Option<&'v Value> {
    let mut cur = obj;
    let mut names: Vec<String> = Vec::new();
    for pe in path {
        match pe {
            PathElement::Field(f) => {
                cur = cur.get(f)?;
                names.push(f.clone());
            }
            PathElement::Key(k) => {
                let n: Vec<&str> = names.iter().map(String::as_str).collect();
                let ListType::Map(keys) = list_type(schema.kind, &n, schema.custom) else {
                    return None;
                };
                cur = cur
                    .as_array()?
                    .iter()
                    .find(|it| item_key(it, &keys).as_ref() == Some(k))?;
            }
            PathElement::Value(v) => {
                cur = cur.as_array()?.iter().find(|it| *it == v)?;
            }
            PathElement::Index(i) => cur = cur.as_array()?.get(*i)?,
        }
    }
    Some(cur)
}

/// Removes the value at `path` from `obj`; returns whether something was removed.
fn remove_at(
    obj: &mut Value,
    path: &[PathElement],
    schema: Schema<'_>,
    names: &mut Vec<String>,
) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    match first {
        PathElement::Field(f) => {
            let Value::Object(m) = obj else { return false };
            if rest.is_empty() {
                return m.shift_remove(f).is_some();
            }
            let Some(child) = m.get_mut(f) else {
                return false;
            };
            names.push(f.clone());
            let r = remove_at(child, rest, schema, names);
            names.pop();
            r
        }
        PathElement::Key(k) => {
            let n: Vec<&str> = names.iter().map(String::as_str).collect();
            let ListType::Map(keys) = list_type(schema.kind, &n, schema.custom) else {
                return false;
            };
            let Value::Array(items) = obj else {
                return false;
            };
            let Some(i) = items
                .iter()
                .position(|it| item_key(it, &keys).as_ref() == Some(k))
            else {
                return false;
            };
            if rest.is_empty() {
                items.remove(i);
                return true;
            }
            remove_at(&mut items[i], rest, schema, names)
        }
        PathElement::Value(v) => {
            let Value::Array(items) = obj else {
                return false;
            };
            let before = items.len();
            items.retain(|it| it != v);
            before != items.len()
        }
        PathElement::Index(i) => {
            let Value::Array(items) = obj else {
                return false;
            };
            if rest.is_empty() {
                if *i < items.len() {
                    items.remove(*i);
                    return true;
                }
                return false;
            }
            match items.get_mut(*i) {
                Some(it) => remove_at(it, rest, schema, names),
                None => false,
            }
        }
    }
}

/// Drops maps and lists left empty by field removal below `obj` (a round trip through Go
/// structs with `omitempty` does the same for built-in kinds).
fn prune_empty(v: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) => {
            for (_, c) in m.iter_mut() {
                prune_empty(c, depth + 1);
            }
            m.retain(|_, c| {
                !matches!(c, Value::Object(x) if x.is_empty())
                    && !matches!(c, Value::Array(x) if x.is_empty())
            });
        }
        Value::Array(a) => {
            for c in a.iter_mut() {
                prune_empty(c, depth + 1);
            }
        }
        _ => {}
    }
}

/// Merges an applied configuration into the live object.
pub fn merge(live: &Value, applied: &Value, schema: Schema<'_>) -> Value {
    let mut names = Vec::new();
    merge_at(Some(live), applied, schema, &mut names, 0)
}

fn merge_at(
    live: Option<&Value>,
    applied: &Value,
    schema: Schema<'_>,
    names: &mut Vec<String>,
    depth: usize,
) -> Value {
    let n: Vec<&str> = names.iter().map(String::as_str).collect();
    match (live, applied) {
        (Some(Value::Object(lm)), Value::Object(am))
            if depth < MAX_DEPTH && (names.is_empty() || !is_atomic_map(&n, schema.custom)) =>
        {
            let mut out = lm.clone();
            for (k, av) in am {
                names.push(k.clone());
                let merged = merge_at(lm.get(k), av, schema, names, depth + 1);
                names.pop();
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Some(Value::Array(la)), Value::Array(aa)) if depth < MAX_DEPTH => {
            match list_type(schema.kind, &n, schema.custom) {
                ListType::Atomic => applied.clone(),
                ListType::Set => {
                    let mut out = la.clone();
                    for it in aa {
                        if !out.contains(it) {
                            out.push(it.clone());
                        }
                    }
                    Value::Array(out)
                }
                ListType::Map(keys) => {
                    let akeys: Vec<Option<Vec<(String, Value)>>> =
                        aa.iter().map(|it| item_key(it, &keys)).collect();
                    let mut out: Vec<Value> = Vec::new();
                    let mut next_applied = 0usize;
                    let merged_item = |ai: usize, names: &mut Vec<String>| -> Value {
                        let lk = akeys[ai].as_ref();
                        let lv = lk.and_then(|k| {
                            la.iter().find(|it| item_key(it, &keys).as_ref() == Some(k))
                        });
                        merge_at(lv, &aa[ai], schema, names, depth + 1)
                    };
                    for lit in la {
                        let lk = item_key(lit, &keys);
                        match akeys.iter().position(|ak| ak.is_some() && *ak == lk) {
                            None => out.push(lit.clone()),
                            Some(ai) => {
                                while next_applied <= ai {
                                    out.push(merged_item(next_applied, names));
                                    next_applied += 1;
                                }
                            }
                        }
                    }
                    while next_applied < aa.len() {
                        out.push(merged_item(next_applied, names));
                        next_applied += 1;
                    }
                    Value::Array(out)
                }
            }
        }
        _ => applied.clone(),
    }
}

/// One `managedFields` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct ManagedEntry {
    pub manager: String,
    /// `Apply` or `Update`.
    pub operation: String,
    pub api_version: String,
    pub time: Option<Time>,
    pub subresource: String,
    pub fields: FieldSet,
}

impl ManagedEntry {
    /// The manager's identity (entries are per manager, operation and subresource).
    fn same_identity(&self, other: &ManagedEntry) -> bool {
        self.manager == other.manager
            && self.operation == other.operation
            && self.subresource == other.subresource
    }

    /// `printManager`: `"helm"`, `"kubectl" with subresource "scale" using apps/v1`.
    pub fn describe(&self) -> String {
        let mut s = crate::kube::gofmt::quote(&self.manager);
        if !self.subresource.is_empty() {
            s = format!(
                "{s} with subresource {}",
                crate::kube::gofmt::quote(&self.subresource)
            );
        }
        if self.operation == "Update" {
            s = format!("{s} using {}", self.api_version);
        }
        s
    }

    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("manager".into(), json!(self.manager));
        m.insert("operation".into(), json!(self.operation));
        m.insert("apiVersion".into(), json!(self.api_version));
        if let Some(t) = self.time {
            m.insert("time".into(), json!(t.rfc3339()));
        }
        m.insert("fieldsType".into(), json!("FieldsV1"));
        m.insert("fieldsV1".into(), self.fields.to_fields_v1());
        if !self.subresource.is_empty() {
            m.insert("subresource".into(), json!(self.subresource));
        }
        Value::Object(m)
    }

    pub fn from_value(v: &Value) -> Option<ManagedEntry> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        Some(ManagedEntry {
            manager: s("manager"),
            operation: s("operation"),
            api_version: s("apiVersion"),
            time: v
                .get("time")
                .and_then(Value::as_str)
                .and_then(Time::parse_rfc3339),
            subresource: s("subresource"),
            fields: FieldSet::from_fields_v1(v.get("fieldsV1")?),
        })
    }
}

/// Reads `metadata.managedFields`.
pub fn read_managed(obj: &Value) -> Vec<ManagedEntry> {
    obj.get("metadata")
        .and_then(|m| m.get("managedFields"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(ManagedEntry::from_value).collect())
        .unwrap_or_default()
}

/// Writes `metadata.managedFields`, dropping empty entries and sorting like the API server
/// (operation, time, manager, apiVersion, subresource).
pub fn write_managed(obj: &mut Value, mut entries: Vec<ManagedEntry>) {
    entries.retain(|e| !e.fields.is_empty());
    entries.sort_stable_by(|a, b| {
        a.operation
            .cmp(&b.operation)
            .then(
                a.time
                    .map(|t| t.0)
                    .unwrap_or(0)
                    .cmp(&b.time.map(|t| t.0).unwrap_or(0)),
            )
            .then(a.manager.cmp(&b.manager))
            .then(a.api_version.cmp(&b.api_version))
            .then(a.subresource.cmp(&b.subresource))
    });
    let arr: Vec<Value> = entries.iter().map(ManagedEntry::to_value).collect();
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        if arr.is_empty() {
            meta.shift_remove("managedFields");
        } else {
            meta.insert("managedFields".into(), Value::Array(arr));
        }
    }
}

/// One apply conflict.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub manager: String,
    pub path: Vec<PathElement>,
}

/// `getConflictMessage`.
pub fn conflict_message(conflicts: &[Conflict]) -> String {
    if conflicts.len() == 1 {
        return format!(
            "Apply failed with 1 conflict: conflict with {}: {}",
            conflicts[0].manager,
            path_string(&conflicts[0].path)
        );
    }
    let mut by_manager: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in conflicts {
        by_manager
            .entry(c.manager.as_str())
            .or_default()
            .push(path_string(&c.path));
    }
    let mut lines = Vec::new();
    for (m, paths) in by_manager {
        lines.push(format!("conflicts with {m}:"));
        for p in paths {
            lines.push(format!("- {p}"));
        }
    }
    format!(
        "Apply failed with {} conflicts: {}",
        conflicts.len(),
        lines.join("\n")
    )
}

/// The outcome of a server-side apply.
pub struct ApplyResult {
    pub object: Value,
    pub managed: Vec<ManagedEntry>,
}

/// Server-side apply of `applied` by `manager` onto `live` (or onto nothing, for a create).
/// `Err` carries the conflicts when `force` is off.
pub fn apply(
    live: Option<&Value>,
    applied: &Value,
    manager: &str,
    api_version: &str,
    force: bool,
    now: Time,
    schema: Schema<'_>,
) -> Result<ApplyResult, Vec<Conflict>> {
    let empty = json!({});
    let live_v = live.unwrap_or(&empty);
    let mut managed = live.map(read_managed).unwrap_or_default();
    let me = ManagedEntry {
        manager: manager.into(),
        operation: "Apply".into(),
        api_version: api_version.into(),
        time: Some(now),
        subresource: String::new(),
        fields: FieldSet::default(),
    };
    let new_set = field_set(applied, schema);
    let old_set = managed
        .iter()
        .find(|e| e.same_identity(&me))
        .map(|e| e.fields.clone())
        .unwrap_or_default();

    // Conflicts: fields others own whose value this apply changes.
    let mut conflicts = Vec::new();
    for e in managed.iter().filter(|e| !e.same_identity(&me)) {
        for p in new_set.members() {
            if e.fields.has(&p) && value_at(live_v, &p, schema) != value_at(applied, &p, schema) {
                conflicts.push(Conflict {
                    manager: e.describe(),
                    path: p,
                });
            }
        }
    }
    if !conflicts.is_empty() && !force {
        return Err(conflicts);
    }
    if force {
        for e in managed.iter_mut().filter(|e| !e.same_identity(&me)) {
            for c in &conflicts {
                e.fields.remove(&c.path);
            }
        }
    }

    let mut merged = merge(live_v, applied, schema);
    // Fields this manager applied before but no longer does, and nobody else owns, go away.
    let others = managed
        .iter()
        .filter(|e| !e.same_identity(&me))
        .fold(FieldSet::default(), |acc, e| acc.union(&e.fields));
    let mut removed_any = false;
    for p in old_set.difference(&new_set).members() {
        if others.has_prefix(&p) || new_set.has_prefix(&p) {
            continue;
        }
        removed_any |= remove_at(&mut merged, &p, schema, &mut Vec::new());
    }
    if removed_any && !schema.custom {
        prune_empty(&mut merged, 0);
    }

    managed.retain(|e| !e.same_identity(&me));
    managed.push(ManagedEntry {
        fields: new_set,
        ..me
    });
    Ok(ApplyResult {
        object: merged,
        managed,
    })
}

/// Field ownership after a non-apply write (`Update`: POST, PUT, controller writes): the
/// writer gains the fields it added or changed, others lose them; removed fields leave every
/// set. `status_only` limits the comparison to `status` (a status-subresource write).
pub fn update_managed(
    old: Option<&Value>,
    new: &Value,
    manager: &str,
    api_version: &str,
    subresource: &str,
    now: Time,
    schema: Schema<'_>,
) -> Vec<ManagedEntry> {
    let status_write = subresource == "status";
    let full = |v: &Value| {
        if status_write {
            status_field_set(v, schema)
        } else {
            field_set(v, schema)
        }
    };
    let new_set = full(new);
    let mut managed = old.map(read_managed).unwrap_or_default();
    let (changed, removed) = match old {
        None => (new_set.clone(), FieldSet::default()),
        Some(o) => {
            let old_set = full(o);
            let mut changed = FieldSet::default();
            for p in new_set.members() {
                if !old_set.has(&p) || value_at(o, &p, schema) != value_at(new, &p, schema) {
                    changed.insert(&p);
                }
            }
            (changed, old_set.difference(&new_set))
        }
    };
    let me_id = |e: &ManagedEntry| {
        e.manager == manager && e.operation == "Update" && e.subresource == subresource
    };
    for e in managed.iter_mut() {
        for p in removed.members() {
            e.fields.remove(&p);
        }
        if !me_id(e) {
            for p in changed.members() {
                e.fields.remove(&p);
            }
        }
    }
    if changed.is_empty() && managed.iter().any(me_id) {
        return managed;
    }
    let mut mine = managed
        .iter()
        .find(|e| me_id(e))
        .map(|e| e.fields.clone())
        .unwrap_or_default();
    mine = mine.union(&changed);
    managed.retain(|e| !me_id(e));
    if !mine.is_empty() {
        managed.push(ManagedEntry {
            manager: manager.into(),
            operation: "Update".into(),
            api_version: api_version.into(),
            time: Some(now),
            subresource: subresource.into(),
            fields: mine,
        });
    }
    managed
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOY: Schema<'static> = Schema {
        kind: "Deployment",
        custom: false,
        has_status: true,
    };

    fn helm_deploy(image: &str, with_sidecar: bool) -> Value {
        let mut containers =
            vec![json!({"name": "web", "image": image, "ports": [{"containerPort": 80}]})];
        if with_sidecar {
            containers.push(json!({"name": "side", "image": "busybox"}));
        }
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "demo-web", "namespace": "default", "labels": {"app": "demo-web"}},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "demo-web"}},
                "template": {"metadata": {"labels": {"app": "demo-web"}}, "spec": {"containers": containers}}}
        })
    }

    #[test]
    fn fields_v1_like_the_api_server() {
        let set = field_set(&helm_deploy("nginx:1.25", false), DEPLOY);
        assert_eq!(
            set.to_fields_v1(),
            json!({
                "f:metadata": {"f:labels": {"f:app": {}}},
                "f:spec": {
                    "f:replicas": {},
                    "f:selector": {},
                    "f:template": {
                        "f:metadata": {"f:labels": {"f:app": {}}},
                        "f:spec": {"f:containers": {"k:{\"name\":\"web\"}": {
                            ".": {}, "f:image": {}, "f:name": {},
                            "f:ports": {"k:{\"containerPort\":80,\"protocol\":\"TCP\"}": {".": {}, "f:containerPort": {}}}
                        }}}
                    }
                }
            })
        );
        let back = FieldSet::from_fields_v1(&set.to_fields_v1());
        assert_eq!(back.to_fields_v1(), set.to_fields_v1());
    }

    #[test]
    fn apply_removes_dropped_fields_and_keeps_others() {
        let now = Time(100);
        let first = apply(
            None,
            &helm_deploy("nginx:1.25", true),
            "helm",
            "apps/v1",
            false,
            now,
            DEPLOY,
        )
        .unwrap();
        let mut live = first.object;
        write_managed(&mut live, first.managed);
        // another manager adds an annotation through an update
        let mut edited = live.clone();
        edited["metadata"]["annotations"] = json!({"team": "blue"});
        let m = update_managed(
            Some(&live),
            &edited,
            "kubectl-edit",
            "apps/v1",
            "",
            now,
            DEPLOY,
        );
        write_managed(&mut edited, m);
        // helm applies again without the sidecar
        let second = apply(
            Some(&edited),
            &helm_deploy("nginx:1.26", false),
            "helm",
            "apps/v1",
            false,
            Time(200),
            DEPLOY,
        )
        .unwrap();
        let obj = second.object;
        let containers = obj["spec"]["template"]["spec"]["containers"]
            .as_array()
            .unwrap();
        assert_eq!(containers.len(), 1);
        assert_eq!(containers[0]["image"], "nginx:1.26");
        assert_eq!(obj["metadata"]["annotations"]["team"], "blue");
        let managers: Vec<&str> = second.managed.iter().map(|e| e.manager.as_str()).collect();
        assert_eq!(managers, ["kubectl-edit", "helm"]);
    }

    #[test]
    fn conflicts_with_other_managers() {
        let now = Time(100);
        let first = apply(
            None,
            &helm_deploy("nginx:1.25", false),
            "helm",
            "apps/v1",
            false,
            now,
            DEPLOY,
        )
        .unwrap();
        let mut live = first.object;
        write_managed(&mut live, first.managed);
        let mut scaled = live.clone();
        scaled["spec"]["replicas"] = json!(3);
        let m = update_managed(
            Some(&live),
            &scaled,
            "kubectl",
            "apps/v1",
            "scale",
            now,
            DEPLOY,
        );
        write_managed(&mut scaled, m);
        let mut other = helm_deploy("nginx:1.25", false);
        other["spec"]["replicas"] = json!(1);
        let err = apply(Some(&scaled), &other, "helm", "apps/v1", false, now, DEPLOY)
            .err()
            .unwrap();
        assert_eq!(
            conflict_message(&err),
            "Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas"
        );
        // same value: shared ownership, no conflict
        let mut same = helm_deploy("nginx:1.25", false);
        same["spec"]["replicas"] = json!(3);
        assert!(apply(Some(&scaled), &same, "helm", "apps/v1", false, now, DEPLOY).is_ok());
        // force takes the field over
        let forced = apply(Some(&scaled), &other, "helm", "apps/v1", true, now, DEPLOY)
            .ok()
            .unwrap();
        assert_eq!(forced.object["spec"]["replicas"], 1);
        assert!(!forced
            .managed
            .iter()
            .any(|e| e.manager == "kubectl"
                && e.fields.has_prefix(&[PathElement::Field("spec".into())])));
        let two = vec![
            Conflict {
                manager: "\"b\"".into(),
                path: vec![PathElement::Field("x".into())],
            },
            Conflict {
                manager: "\"a\"".into(),
                path: vec![PathElement::Field("y".into())],
            },
        ];
        assert_eq!(conflict_message(&two), "Apply failed with 2 conflicts: conflicts with \"a\":\n- .y\nconflicts with \"b\":\n- .x");
    }

    #[test]
    fn paths_print_like_fieldpath() {
        let p = vec![
            PathElement::Field("spec".into()),
            PathElement::Field("containers".into()),
            PathElement::Key(vec![("name".into(), json!("web"))]),
            PathElement::Field("image".into()),
        ];
        assert_eq!(path_string(&p), ".spec.containers[name=\"web\"].image");
        assert_eq!(PathElement::Value(json!("x")).encode(), "v:\"x\"");
    }
}
