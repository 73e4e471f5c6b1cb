//! The simulated cluster: an in-memory Kubernetes API server (the storage, defaulting,
//! validation and server-side apply of `kube-apiserver`) with the controllers that make
//! workloads look alive (`kube-controller-manager`, scheduler and kubelet), run synchronously
//! after every write. Its state serializes to JSON so the CLI can keep it between calls.
//! Time and randomness are injected ([`Clock`], `rand_core::RngCore`): no `SystemTime`, which
//! panics on wasm.

mod controllers;
mod defaults;

use crate::kube::cluster::{
    Action, ApplyOptions, Change, Cluster, DeleteOptions, DiscoveryPath, ListOptions, Propagation,
    Request, WriteOptions,
};
use crate::kube::fieldpath::{self, Schema};
use crate::kube::object::{self, GroupVersion, GroupVersionResource, ObjectRef};
use crate::kube::resources::{version_doc, Registry, ResourceInfo};
use crate::kube::selector::{FieldSelector, Selector};
use crate::kube::status::{success_status, ApiError};
use crate::kube::time::{Clock, Time};
use crate::kube::validation::FieldError;
use rand_core::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

pub use controllers::pod_template_hash;

/// The node every pod runs on.
pub const NODE_NAME: &str = "chartlab-control-plane";
/// The node's address.
pub const NODE_IP: &str = "172.18.0.2";
/// The manager name controllers write with.
const KCM: &str = "kube-controller-manager";

/// The persistent part of the simulated cluster.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ClusterState {
    /// Format version of this document.
    pub format: u32,
    /// The last `resourceVersion` handed out.
    pub resource_version: u64,
    /// Every object, keyed `group/resource/namespace/name` (group `core` for the core group);
    /// the key order is the order lists return.
    pub objects: BTreeMap<String, Value>,
    /// `namespace/name` of Jobs (and standalone Pods) whose pods fail instead of succeeding.
    #[serde(default)]
    pub failing: BTreeSet<String>,
    /// Counter that keeps generated event names unique within one clock second.
    #[serde(default)]
    pub event_seq: u64,
}

impl ClusterState {
    /// The state as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
    /// Reads a state written by [`ClusterState::to_json`].
    pub fn from_json(s: &str) -> Result<ClusterState, String> {
        serde_json::from_str(s).map_err(|e| format!("invalid cluster state: {e}"))
    }
}

/// A small, seedable random source (SplitMix64) for callers without one, and for tests.
#[derive(Clone, Debug)]
pub struct SplitMix64(pub u64);

impl RngCore for SplitMix64 {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

/// k8s.io/apimachinery/pkg/util/rand's alphabet (no vowels, no confusable digits).
pub const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The simulated cluster. See the module documentation.
pub struct SimCluster {
    state: ClusterState,
    clock: Box<dyn Clock>,
    rng: Box<dyn RngCore>,
    changes: Vec<Change>,
    pod_log: Vec<controllers::PodLog>,
}

fn store_key(group: &str, plural: &str, ns: &str, name: &str) -> String {
    format!(
        "{}/{}/{}/{}",
        if group.is_empty() { "core" } else { group },
        plural,
        ns,
        name
    )
}

fn key_prefix(group: &str, plural: &str, ns: Option<&str>) -> String {
    match ns {
        Some(ns) => format!(
            "{}/{}/{}/",
            if group.is_empty() { "core" } else { group },
            plural,
            ns
        ),
        None => format!(
            "{}/{}/",
            if group.is_empty() { "core" } else { group },
            plural
        ),
    }
}

/// Kinds whose `metadata.generation` the API server maintains.
fn tracks_generation(info: &ResourceInfo) -> bool {
    info.is_custom()
        || matches!(
            info.kind.as_str(),
            "Deployment"
                | "ReplicaSet"
                | "StatefulSet"
                | "DaemonSet"
                | "Job"
                | "CronJob"
                | "ReplicationController"
                | "Ingress"
                | "NetworkPolicy"
                | "PodDisruptionBudget"
                | "HorizontalPodAutoscaler"
                | "CustomResourceDefinition"
                | "APIService"
                | "ValidatingAdmissionPolicy"
        )
}

/// Whether two versions of an object differ in anything but bookkeeping.
fn same_content(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(Value::Object(m)) = v.get_mut("metadata") {
            m.shift_remove("resourceVersion");
            m.shift_remove("managedFields");
        }
        v
    };
    strip(a) == strip(b)
}

/// Everything but metadata and status: what bumps `generation`.
fn spec_part(v: &Value) -> Value {
    let mut v = v.clone();
    if let Value::Object(m) = &mut v {
        m.shift_remove("metadata");
        m.shift_remove("status");
    }
    v
}

impl SimCluster {
    /// A new cluster: namespaces `default`, `kube-system`, `kube-public`, `kube-node-lease`,
    /// the node, the `kubernetes` and `kube-dns` Services, the system pods, a `default`
    /// ServiceAccount and `kube-root-ca.crt` ConfigMap per namespace.
    pub fn new(clock: Box<dyn Clock>, rng: Box<dyn RngCore>) -> SimCluster {
        let mut sim = SimCluster {
            state: ClusterState {
                format: 1,
                resource_version: 0,
                objects: BTreeMap::new(),
                failing: BTreeSet::new(),
                event_seq: 0,
            },
            clock,
            rng,
            changes: Vec::new(),
            pod_log: Vec::new(),
        };
        sim.bootstrap();
        sim.changes.clear();
        sim
    }

    /// A cluster continuing from a saved state.
    pub fn from_state(
        state: ClusterState,
        clock: Box<dyn Clock>,
        rng: Box<dyn RngCore>,
    ) -> SimCluster {
        SimCluster {
            state,
            clock,
            rng,
            changes: Vec::new(),
            pod_log: Vec::new(),
        }
    }

    /// The state (serialize it with [`ClusterState::to_json`]).
    pub fn state(&self) -> &ClusterState {
        &self.state
    }

    /// Gives the state back.
    pub fn into_state(self) -> ClusterState {
        self.state
    }

    /// Makes the pods of the Job (or the standalone Pod) `namespace/name` fail from now on;
    /// `false` makes them succeed again.
    pub fn set_failing(&mut self, namespace: &str, name: &str, fail: bool) {
        let k = format!("{namespace}/{name}");
        if fail {
            self.state.failing.insert(k);
        } else {
            self.state.failing.remove(&k);
        }
    }

    /// The served resources (built-ins plus established CRDs).
    pub fn resource_registry(&self) -> Registry {
        let prefix = key_prefix(
            "apiextensions.k8s.io",
            "customresourcedefinitions",
            Some(""),
        );
        Registry::with_crds(
            self.state
                .objects
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .map(|(_, v)| v),
        )
    }

    /// Runs the controllers until nothing changes (bounded).
    pub fn reconcile(&mut self) {
        for _ in 0..40 {
            if !self.reconcile_once() {
                break;
            }
        }
        self.finish_rollouts(0);
    }

    // ----- small helpers -------------------------------------------------------------------

    pub(crate) fn now(&self) -> Time {
        self.clock.now()
    }

    fn next_rv(&mut self) -> String {
        self.state.resource_version += 1;
        self.state.resource_version.to_string()
    }

    /// A random UUID v4 string.
    pub(crate) fn new_uid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.rng.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// `utilrand.String(n)`.
    pub(crate) fn rand_string(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| SAFE_ALPHABET[(self.rng.next_u32() as usize) % SAFE_ALPHABET.len()] as char)
            .collect()
    }

    pub(crate) fn rand_u32(&mut self) -> u32 {
        self.rng.next_u32()
    }

    pub(crate) fn rand_hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| format!("{:x}", self.rng.next_u32() % 16))
            .collect()
    }

    pub(crate) fn info(group: &str, kind: &str) -> ResourceInfo {
        // The controllers only ask for built-in kinds, which are always present.
        crate::kube::resources::builtin_by_kind(group, kind).unwrap_or_else(|| ResourceInfo {
            group: group.into(),
            version: "v1".into(),
            kind: kind.into(),
            plural: format!("{}s", kind.to_lowercase()),
            singular: kind.to_lowercase(),
            namespaced: true,
            short_names: vec![],
            categories: vec![],
            verbs: vec![],
            subresources: vec![],
            printer_columns: vec![],
            has_status: false,
        })
    }

    pub(crate) fn schema(info: &ResourceInfo) -> Schema<'_> {
        Schema {
            kind: &info.kind,
            custom: info.is_custom(),
            has_status: info.has_status,
        }
    }

    pub(crate) fn lookup(&self, info: &ResourceInfo, ns: &str, name: &str) -> Option<&Value> {
        let ns = if info.namespaced { ns } else { "" };
        self.state
            .objects
            .get(&store_key(&info.group, &info.plural, ns, name))
    }

    /// Objects of one resource, in one namespace or all (`None`).
    pub(crate) fn objects_of(&self, info: &ResourceInfo, ns: Option<&str>) -> Vec<Value> {
        let prefix = key_prefix(
            &info.group,
            &info.plural,
            if info.namespaced { ns } else { None },
        );
        self.state
            .objects
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn namespace_exists(&self, ns: &str) -> bool {
        self.state
            .objects
            .contains_key(&store_key("", "namespaces", "", ns))
    }

    /// An object as a client sees it: in the requested version, in the server's key order.
    fn view(obj: &Value, info: &ResourceInfo) -> Value {
        let mut v = obj.clone();
        if let Value::Object(m) = &mut v {
            m.insert("apiVersion".into(), json!(info.api_version()));
            m.insert("kind".into(), json!(info.kind));
        }
        object::server_order(&mut v);
        v
    }

    fn object_ref(info: &ResourceInfo, obj: &Value) -> ObjectRef {
        ObjectRef {
            gvr: info.gvr(),
            kind: info.kind.clone(),
            namespace: object::namespace(obj).to_string(),
            name: object::name(obj).to_string(),
        }
    }

    pub(crate) fn record(&mut self, action: Action, info: &ResourceInfo, obj: &Value) {
        self.changes.push(Change {
            action,
            object: Self::object_ref(info, obj),
            rollout: None,
            cascade: Vec::new(),
        });
    }

    /// Stores an object as written by `manager` (`Update` semantics): sets
    /// `resourceVersion`, system fields on create, `generation`, managed fields. Returns the
    /// stored object; does nothing and returns the old object when nothing changed.
    pub(crate) fn write(
        &mut self,
        info: &ResourceInfo,
        old: Option<&Value>,
        mut new: Value,
        manager: &str,
        subresource: &str,
    ) -> Value {
        let now = self.now();
        match old {
            None => {
                let uid = match object::uid(&new) {
                    "" => self.new_uid(),
                    u => u.to_string(),
                };
                let meta = object::ensure_map(&mut new, &["metadata"]);
                meta.insert("uid".into(), json!(uid));
                meta.insert("creationTimestamp".into(), json!(now.rfc3339()));
                if tracks_generation(info) {
                    meta.insert("generation".into(), json!(1));
                } else {
                    meta.shift_remove("generation");
                }
            }
            Some(o) => {
                if same_content(o, &new) {
                    return o.clone();
                }
                for k in ["uid", "creationTimestamp"] {
                    if let Some(v) = o.get("metadata").and_then(|m| m.get(k)) {
                        object::ensure_map(&mut new, &["metadata"]).insert(k.into(), v.clone());
                    }
                }
                if tracks_generation(info) {
                    let g = object::generation(o).max(1);
                    let g = if spec_part(o) != spec_part(&new) {
                        g + 1
                    } else {
                        g
                    };
                    object::ensure_map(&mut new, &["metadata"])
                        .insert("generation".into(), json!(g));
                }
            }
        }
        if !manager.is_empty() {
            let managed = fieldpath::update_managed(
                old,
                &new,
                manager,
                &info.api_version(),
                subresource,
                now,
                Self::schema(info),
            );
            fieldpath::write_managed(&mut new, managed);
        }
        let rv = self.next_rv();
        object::ensure_map(&mut new, &["metadata"]).insert("resourceVersion".into(), json!(rv));
        if let Value::Object(m) = &mut new {
            m.insert("apiVersion".into(), json!(info.api_version()));
            m.insert("kind".into(), json!(info.kind));
        }
        object::server_order(&mut new);
        let key = store_key(
            &info.group,
            &info.plural,
            if info.namespaced {
                object::namespace(&new)
            } else {
                ""
            },
            object::name(&new),
        );
        self.state.objects.insert(key, new.clone());
        new
    }

    /// Removes an object from the store (no cascading).
    pub(crate) fn remove(&mut self, info: &ResourceInfo, ns: &str, name: &str) -> Option<Value> {
        let ns = if info.namespaced { ns } else { "" };
        let r = self
            .state
            .objects
            .remove(&store_key(&info.group, &info.plural, ns, name));
        if r.is_some() {
            self.next_rv();
        }
        r
    }

    // ----- the API --------------------------------------------------------------------------

    fn resolve(&self, gvr: &GroupVersionResource) -> Result<ResourceInfo, ApiError> {
        self.resource_registry()
            .for_gvr(gvr)
            .cloned()
            .ok_or_else(ApiError::not_found_path)
    }

    fn discovery(&self, p: &DiscoveryPath) -> Result<Value, ApiError> {
        let reg = self.resource_registry();
        match p {
            DiscoveryPath::Version => Ok(version_doc()),
            DiscoveryPath::Api => Ok(reg.api_versions_doc()),
            DiscoveryPath::Apis => Ok(reg.api_group_list_doc()),
            DiscoveryPath::Group(g) => reg.api_group_doc(g).ok_or_else(ApiError::not_found_path),
            DiscoveryPath::GroupVersion(gv) => reg
                .api_resource_list_doc(gv)
                .ok_or_else(ApiError::not_found_path),
            DiscoveryPath::Aggregated { core } => Ok(reg.aggregated_doc(*core)),
        }
    }

    fn op_get(&self, gvr: &GroupVersionResource, ns: &str, name: &str) -> Result<Value, ApiError> {
        let info = self.resolve(gvr)?;
        match self.lookup(&info, ns, name) {
            Some(o) => Ok(Self::view(o, &info)),
            None => Err(ApiError::not_found(&info.gvr(), name)),
        }
    }

    fn op_list(
        &self,
        gvr: &GroupVersionResource,
        ns: Option<&str>,
        opts: &ListOptions,
    ) -> Result<Value, ApiError> {
        let info = self.resolve(gvr)?;
        if !info.has_verb("list") {
            return Err(ApiError::method_not_supported(&info.gvr(), "list"));
        }
        let sel = Selector::parse(&opts.label_selector).map_err(ApiError::bad_request)?;
        let fsel = FieldSelector::parse(&opts.field_selector).map_err(ApiError::bad_request)?;
        let fsel = self.check_field_selector(&info, fsel)?;
        let items: Vec<Value> = self
            .objects_of(&info, ns.filter(|n| !n.is_empty()))
            .into_iter()
            .filter(|o| sel.matches(&object::labels(o)) && fsel.matches(o))
            .map(|o| {
                let mut v = Self::view(&o, &info);
                if !info.is_custom() {
                    if let Value::Object(m) = &mut v {
                        m.shift_remove("kind");
                        m.shift_remove("apiVersion");
                    }
                }
                v
            })
            .collect();
        Ok(json!({
            "kind": format!("{}List", info.kind),
            "apiVersion": info.api_version(),
            "metadata": {"resourceVersion": self.state.resource_version.to_string()},
            "items": items
        }))
    }

    /// Field selectors per resource, with the API server's two error styles.
    fn check_field_selector(
        &self,
        info: &ResourceInfo,
        f: FieldSelector,
    ) -> Result<FieldSelector, ApiError> {
        let (extra, legacy): (&[&str], bool) = match (info.group.as_str(), info.plural.as_str()) {
            ("", "pods") => (
                &[
                    "spec.nodeName",
                    "spec.restartPolicy",
                    "spec.schedulerName",
                    "spec.serviceAccountName",
                    "spec.hostNetwork",
                    "status.phase",
                    "status.podIP",
                    "status.podIPs",
                    "status.nominatedNodeName",
                ],
                true,
            ),
            ("", "events") => (
                &[
                    "involvedObject.kind",
                    "involvedObject.namespace",
                    "involvedObject.name",
                    "involvedObject.uid",
                    "involvedObject.apiVersion",
                    "involvedObject.resourceVersion",
                    "involvedObject.fieldPath",
                    "reason",
                    "reportingComponent",
                    "source",
                    "type",
                ],
                true,
            ),
            ("", "secrets") => (&["type"], true),
            ("", "namespaces") => (&["status.phase"], true),
            ("", "nodes") => (&["spec.unschedulable"], true),
            ("", "replicationcontrollers") | ("apps", "replicasets") => {
                (&["status.replicas"], true)
            }
            ("", "services") => (&["spec.clusterIP", "spec.type"], true),
            ("batch", "jobs") => (&["status.successful"], true),
            ("", _) => (&[], true),
            _ => (&[], false),
        };
        for t in &f.terms {
            let ok = t.field == "metadata.name"
                || t.field == "metadata.namespace"
                || extra.contains(&t.field.as_str());
            if !ok {
                let msg = if legacy {
                    format!("field label not supported: {}", t.field)
                } else {
                    f.check_supported(extra).err().unwrap_or_default()
                };
                return Err(ApiError::bad_request(msg));
            }
        }
        // Map selector names onto object paths.
        let terms = f
            .terms
            .into_iter()
            .map(|mut t| {
                t.field = match t.field.as_str() {
                    "source" => "source.component".into(),
                    "status.successful" => "status.succeeded".into(),
                    "status.podIPs" => "status.podIP".into(),
                    other => other.to_string(),
                };
                t
            })
            .collect();
        Ok(FieldSelector { terms })
    }

    /// Namespace handling common to writes: fills/validates `metadata.namespace`.
    fn prepare_namespace(
        &self,
        info: &ResourceInfo,
        ns: &str,
        body: &mut Value,
    ) -> Result<String, ApiError> {
        if !info.namespaced {
            if let Some(Value::Object(m)) = body.get_mut("metadata") {
                m.shift_remove("namespace");
            }
            return Ok(String::new());
        }
        let body_ns = object::namespace(body).to_string();
        let ns = if ns.is_empty() {
            body_ns.clone()
        } else {
            ns.to_string()
        };
        if ns.is_empty() {
            return Err(ApiError::bad_request(
                "an empty namespace may not be set during creation",
            ));
        }
        if !body_ns.is_empty() && body_ns != ns {
            return Err(ApiError::bad_request("the namespace of the provided object does not match the namespace sent on the request"));
        }
        object::ensure_map(body, &["metadata"]).insert("namespace".into(), json!(ns));
        Ok(ns)
    }

    fn check_kind(info: &ResourceInfo, body: &Value) -> Result<(), ApiError> {
        let kind = object::kind(body);
        let av = object::api_version(body);
        if kind.is_empty() {
            return Err(ApiError::bad_request(
                "Object 'Kind' is missing in '".to_string()
                    + &crate::kube::gofmt::json_marshal(body)
                    + "'",
            ));
        }
        let gv = GroupVersion::parse(av).map_err(ApiError::bad_request)?;
        if kind != info.kind || gv.group != info.group {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({av}) does not match the expected API version ({})",
                info.api_version()
            )));
        }
        Ok(())
    }

    fn finish_create(
        &mut self,
        info: &ResourceInfo,
        ns: &str,
        mut obj: Value,
        manager: &str,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        if info.namespaced && !self.namespace_exists(ns) {
            return Err(ApiError::not_found(
                &GroupVersionResource::new("", "v1", "namespaces"),
                ns,
            ));
        }
        if info.namespaced && self.is_terminating(ns) {
            return Err(ApiError::forbidden(
                &info.gvr(),
                object::name(&obj),
                &format!(
                    "unable to create new content in namespace {ns} because it is being terminated"
                ),
            ));
        }
        let name = object::name(&obj).to_string();
        if name.is_empty() {
            let gen = object::str_path(&obj, &["metadata", "generateName"]).to_string();
            if gen.is_empty() {
                return Err(ApiError::invalid(
                    &info.group,
                    &info.kind,
                    "",
                    &[FieldError::required(
                        "metadata.name",
                        "name or generateName is required",
                    )],
                ));
            }
            let n = format!("{gen}{}", self.rand_string(5));
            object::ensure_map(&mut obj, &["metadata"]).insert("name".into(), json!(n));
        }
        let name = object::name(&obj).to_string();
        if self.lookup(info, ns, &name).is_some() {
            return Err(ApiError::already_exists(&info.gvr(), &name));
        }
        if info.has_status {
            if let Value::Object(m) = &mut obj {
                m.shift_remove("status");
            }
        }
        defaults::default_object(self, info, &mut obj, None);
        let errs = defaults::validate(info, &obj, None);
        if !errs.is_empty() {
            return Err(ApiError::invalid(&info.group, &info.kind, &name, &errs));
        }
        if dry_run {
            let now = self.now();
            let uid = self.new_uid();
            let meta = object::ensure_map(&mut obj, &["metadata"]);
            meta.insert("uid".into(), json!(uid));
            meta.insert("creationTimestamp".into(), json!(now.rfc3339()));
            return Ok(Self::view(&obj, info));
        }
        let stored = self.write(info, None, obj, manager, "");
        self.record(Action::Created, info, &stored);
        self.reconcile();
        Ok(Self::view(&stored, info))
    }

    fn op_create(
        &mut self,
        gvr: &GroupVersionResource,
        ns: &str,
        mut body: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let info = self.resolve(gvr)?;
        if !info.has_verb("create") {
            return Err(ApiError::method_not_supported(&info.gvr(), "create"));
        }
        Self::check_kind(&info, &body)?;
        let ns = self.prepare_namespace(&info, ns, &mut body)?;
        strip_system_fields(&mut body);
        self.finish_create(&info, &ns, body, &opts.field_manager, opts.dry_run)
    }

    fn op_update(
        &mut self,
        gvr: &GroupVersionResource,
        ns: &str,
        name: &str,
        mut body: Value,
        opts: &WriteOptions,
    ) -> Result<Value, ApiError> {
        let info = self.resolve(gvr)?;
        if !info.has_verb("update") {
            return Err(ApiError::method_not_supported(&info.gvr(), "update"));
        }
        Self::check_kind(&info, &body)?;
        let ns = self.prepare_namespace(&info, ns, &mut body)?;
        let body_name = object::name(&body).to_string();
        if body_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        let Some(old) = self.lookup(&info, &ns, name).cloned() else {
            return Err(ApiError::not_found(&info.gvr(), name));
        };
        let rv = object::resource_version(&body).to_string();
        if !rv.is_empty() && rv != object::resource_version(&old) {
            return Err(ApiError::stale(&info.gvr(), name));
        }
        strip_system_fields(&mut body);
        keep_system_metadata(&old, &mut body);
        if info.has_status {
            if let Value::Object(m) = &mut body {
                m.shift_remove("status");
                if let Some(st) = old.get("status") {
                    m.insert("status".into(), st.clone());
                }
            }
        }
        if let Some(mf) = old.get("metadata").and_then(|m| m.get("managedFields")) {
            object::ensure_map(&mut body, &["metadata"]).insert("managedFields".into(), mf.clone());
        }
        defaults::default_object(self, &info, &mut body, Some(&old));
        let errs = defaults::validate(&info, &body, Some(&old));
        if !errs.is_empty() {
            return Err(ApiError::invalid(&info.group, &info.kind, name, &errs));
        }
        if opts.dry_run {
            return Ok(Self::view(&body, &info));
        }
        let stored = self.write(&info, Some(&old), body, &opts.field_manager, "");
        let action = if object::resource_version(&stored) == object::resource_version(&old) {
            Action::Unchanged
        } else {
            Action::Configured
        };
        self.record(action, &info, &stored);
        if action == Action::Configured {
            self.reconcile();
        }
        Ok(Self::view(&stored, &info))
    }

    fn op_apply(
        &mut self,
        gvr: &GroupVersionResource,
        ns: &str,
        name: &str,
        mut body: Value,
        opts: &ApplyOptions,
    ) -> Result<Value, ApiError> {
        let info = self.resolve(gvr)?;
        if !info.has_verb("patch") {
            return Err(ApiError::method_not_supported(&info.gvr(), "patch"));
        }
        if opts.field_manager.is_empty() {
            return Err(ApiError::bad_request(
                "PATCH, application/apply-patch+yaml, fieldManager is required for apply requests",
            ));
        }
        Self::check_kind(&info, &body)?;
        let ns = self.prepare_namespace(&info, ns, &mut body)?;
        let body_name = object::name(&body).to_string();
        if body_name.is_empty() {
            object::ensure_map(&mut body, &["metadata"]).insert("name".into(), json!(name));
        } else if body_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        if let Some(Value::Object(m)) = body.get_mut("metadata") {
            m.shift_remove("managedFields");
            m.shift_remove("resourceVersion");
        }
        let old = self.lookup(&info, &ns, name).cloned();
        let now = self.now();
        let schema = Self::schema(&info);
        let result = fieldpath::apply(
            old.as_ref(),
            &body,
            &opts.field_manager,
            &info.api_version(),
            opts.force,
            now,
            schema,
        );
        let applied = match result {
            Ok(r) => r,
            Err(conflicts) => {
                let causes = conflicts
                    .iter()
                    .map(|c| crate::kube::status::StatusCause {
                        reason: "FieldManagerConflict".into(),
                        message: format!("conflict with {}", c.manager),
                        field: fieldpath::path_string(&c.path),
                    })
                    .collect();
                return Err(ApiError::apply_conflict(
                    causes,
                    fieldpath::conflict_message(&conflicts),
                ));
            }
        };
        let mut obj = applied.object;
        match old {
            None => {
                if info.has_status {
                    if let Value::Object(m) = &mut obj {
                        m.shift_remove("status");
                    }
                }
                fieldpath::write_managed(&mut obj, applied.managed);
                strip_system_fields_keep_managed(&mut obj);
                if info.namespaced && !self.namespace_exists(&ns) {
                    return Err(ApiError::not_found(
                        &GroupVersionResource::new("", "v1", "namespaces"),
                        &ns,
                    ));
                }
                defaults::default_object(self, &info, &mut obj, None);
                let errs = defaults::validate(&info, &obj, None);
                if !errs.is_empty() {
                    return Err(ApiError::invalid(&info.group, &info.kind, name, &errs));
                }
                if opts.dry_run {
                    let uid = self.new_uid();
                    let meta = object::ensure_map(&mut obj, &["metadata"]);
                    meta.insert("uid".into(), json!(uid));
                    meta.insert("creationTimestamp".into(), json!(now.rfc3339()));
                    return Ok(Self::view(&obj, &info));
                }
                let stored = self.write_applied(&info, None, obj);
                self.record(Action::Created, &info, &stored);
                self.reconcile();
                Ok(Self::view(&stored, &info))
            }
            Some(old) => {
                if info.has_status {
                    if let Value::Object(m) = &mut obj {
                        m.shift_remove("status");
                        if let Some(st) = old.get("status") {
                            m.insert("status".into(), st.clone());
                        }
                    }
                }
                keep_system_metadata(&old, &mut obj);
                fieldpath::write_managed(&mut obj, applied.managed);
                defaults::default_object(self, &info, &mut obj, Some(&old));
                let errs = defaults::validate(&info, &obj, Some(&old));
                if !errs.is_empty() {
                    return Err(ApiError::invalid(&info.group, &info.kind, name, &errs));
                }
                if opts.dry_run {
                    return Ok(Self::view(&obj, &info));
                }
                let stored = self.write_applied(&info, Some(&old), obj);
                let changed = object::resource_version(&stored) != object::resource_version(&old);
                self.record(
                    if changed {
                        Action::Configured
                    } else {
                        Action::Unchanged
                    },
                    &info,
                    &stored,
                );
                if changed {
                    self.reconcile();
                }
                Ok(Self::view(&stored, &info))
            }
        }
    }

    /// Stores the result of an apply (managed fields already computed). A no-op apply keeps
    /// the old object, `resourceVersion` and managed-field times included.
    fn write_applied(&mut self, info: &ResourceInfo, old: Option<&Value>, new: Value) -> Value {
        if let Some(o) = old {
            if same_content(o, &new) {
                return o.clone();
            }
        }
        self.write(info, old, new, "", "")
    }

    fn op_delete(
        &mut self,
        gvr: &GroupVersionResource,
        ns: &str,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        let info = self.resolve(gvr)?;
        if !info.has_verb("delete") {
            return Err(ApiError::method_not_supported(&info.gvr(), "delete"));
        }
        let Some(obj) = self.lookup(&info, ns, name).cloned() else {
            return Err(ApiError::not_found(&info.gvr(), name));
        };
        let uid = object::uid(&obj).to_string();
        if opts.dry_run {
            return Ok(success_status(&info.gvr(), name, &uid));
        }
        let policy = opts
            .propagation
            .unwrap_or(if info.group == "batch" && info.kind == "Job" {
                Propagation::Orphan
            } else {
                Propagation::Background
            });
        let before = self.changes.len();
        self.delete_object(&info, &obj, policy);
        self.reconcile();
        // Everything the garbage collector removed because of this delete.
        let cascade: Vec<ObjectRef> = self.changes[before..]
            .iter()
            .filter(|c| {
                c.action == Action::Deleted
                    && !(c.object.name == name && c.object.kind == info.kind)
            })
            .map(|c| c.object.clone())
            .collect();
        if let Some(c) = self.changes[before..]
            .iter_mut()
            .find(|c| c.object.name == name && c.object.kind == info.kind)
        {
            c.cascade = cascade;
        }
        if info.kind == "Pod" {
            let mut v = Self::view(&obj, &info);
            object::ensure_map(&mut v, &["metadata"])
                .insert("deletionTimestamp".into(), json!(self.now().rfc3339()));
            return Ok(v);
        }
        Ok(success_status(&info.gvr(), name, &uid))
    }

    /// Deletes one object with a propagation policy.
    pub(crate) fn delete_object(&mut self, info: &ResourceInfo, obj: &Value, policy: Propagation) {
        let ns = object::namespace(obj).to_string();
        let name = object::name(obj).to_string();
        let uid = object::uid(obj).to_string();
        match policy {
            Propagation::Orphan => {
                for (key, dep) in self.dependents_of(&uid) {
                    let mut d = dep.clone();
                    if let Some(Value::Array(refs)) = d
                        .get_mut("metadata")
                        .and_then(|m| m.get_mut("ownerReferences"))
                    {
                        refs.retain(|r| r.get("uid").and_then(Value::as_str) != Some(uid.as_str()));
                        if refs.is_empty() {
                            if let Some(Value::Object(m)) = d.get_mut("metadata") {
                                m.shift_remove("ownerReferences");
                            }
                        }
                    }
                    if let Some(dinfo) = self.info_for_key(&key) {
                        let old = dep.clone();
                        self.write(&dinfo, Some(&old), d, KCM, "");
                    }
                }
            }
            Propagation::Foreground => {
                for (key, dep) in self.dependents_of(&uid) {
                    if let Some(dinfo) = self.info_for_key(&key) {
                        self.delete_object(&dinfo, &dep, Propagation::Foreground);
                    }
                }
            }
            Propagation::Background => {}
        }
        if info.kind == "Namespace" && info.group.is_empty() {
            let keys: Vec<String> = self
                .state
                .objects
                .keys()
                .filter(|k| k.split('/').nth(2) == Some(name.as_str()))
                .cloned()
                .collect();
            for k in keys {
                if let (Some(v), Some(dinfo)) =
                    (self.state.objects.get(&k).cloned(), self.info_for_key(&k))
                {
                    if dinfo.namespaced {
                        self.state.objects.remove(&k);
                        self.record(Action::Deleted, &dinfo, &v);
                    }
                }
            }
        }
        if info.kind == "CustomResourceDefinition" && info.group == "apiextensions.k8s.io" {
            for r in crate::kube::resources::crd_resources(obj) {
                let prefix = key_prefix(&r.group, &r.plural, None);
                let keys: Vec<String> = self
                    .state
                    .objects
                    .keys()
                    .filter(|k| k.starts_with(&prefix))
                    .cloned()
                    .collect();
                for k in keys {
                    if let Some(v) = self.state.objects.remove(&k) {
                        self.record(Action::Deleted, &r, &v);
                    }
                }
            }
        }
        if self.remove(info, &ns, &name).is_some() {
            self.record(Action::Deleted, info, obj);
        }
    }

    /// Objects whose `ownerReferences` name `uid`.
    pub(crate) fn dependents_of(&self, uid: &str) -> Vec<(String, Value)> {
        if uid.is_empty() {
            return Vec::new();
        }
        self.state
            .objects
            .iter()
            .filter(|(_, v)| object::owner_references(v).iter().any(|r| r.uid == uid))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The resource of a store key.
    pub(crate) fn info_for_key(&self, key: &str) -> Option<ResourceInfo> {
        let mut parts = key.splitn(3, '/');
        let group = parts.next()?;
        let plural = parts.next()?;
        let group = if group == "core" { "" } else { group };
        crate::kube::resources::builtin_by_plural(group, plural)
            .or_else(|| self.resource_registry().preferred(group, plural).cloned())
    }

    fn is_terminating(&self, ns: &str) -> bool {
        self.state
            .objects
            .get(&store_key("", "namespaces", "", ns))
            .map(object::is_deleting)
            .unwrap_or(false)
    }

    fn op_logs(&self, ns: &str, name: &str, container: Option<&str>) -> Result<Value, ApiError> {
        let info = Self::info("", "Pod");
        let Some(pod) = self.lookup(&info, ns, name) else {
            return Err(ApiError::not_found(&info.gvr(), name));
        };
        let containers: Vec<String> = pod
            .get("spec")
            .and_then(|s| s.get("containers"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.get("name").and_then(Value::as_str).map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        match container {
            Some(c) if !containers.iter().any(|x| x == c) => Err(ApiError::bad_request(format!(
                "container {c} is not valid for pod {name}"
            ))),
            None if containers.len() > 1 => Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                containers.join(" ")
            ))),
            _ => Ok(Value::String(String::new())),
        }
    }
}

/// Drops what clients may not set (`uid`, `resourceVersion`, `creationTimestamp`, …) from a
/// create body; the server fills them in.
fn strip_system_fields(body: &mut Value) {
    if let Some(Value::Object(m)) = body.get_mut("metadata") {
        for k in [
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "generation",
            "selfLink",
            "deletionTimestamp",
            "managedFields",
        ] {
            m.shift_remove(k);
        }
    }
}

fn strip_system_fields_keep_managed(body: &mut Value) {
    if let Some(Value::Object(m)) = body.get_mut("metadata") {
        for k in [
            "uid",
            "resourceVersion",
            "creationTimestamp",
            "generation",
            "selfLink",
            "deletionTimestamp",
        ] {
            m.shift_remove(k);
        }
    }
}

/// Carries the server-owned metadata of `old` over to `new`.
fn keep_system_metadata(old: &Value, new: &mut Value) {
    let meta = object::ensure_map(new, &["metadata"]);
    for k in [
        "uid",
        "creationTimestamp",
        "generation",
        "deletionTimestamp",
        "resourceVersion",
    ] {
        meta.shift_remove(k);
        if let Some(v) = old.get("metadata").and_then(|m| m.get(k)) {
            meta.insert(k.into(), v.clone());
        }
    }
}

impl Cluster for SimCluster {
    fn call(&mut self, req: Request) -> Result<Value, ApiError> {
        match req {
            Request::Discovery(p) => self.discovery(&p),
            Request::Get {
                gvr,
                namespace,
                name,
            } => self.op_get(&gvr, &namespace, &name),
            Request::List {
                gvr,
                namespace,
                options,
            } => self.op_list(&gvr, namespace.as_deref(), &options),
            Request::Create {
                gvr,
                namespace,
                body,
                options,
            } => self.op_create(&gvr, &namespace, body, &options),
            Request::Update {
                gvr,
                namespace,
                name,
                body,
                options,
            } => self.op_update(&gvr, &namespace, &name, body, &options),
            Request::Apply {
                gvr,
                namespace,
                name,
                body,
                options,
            } => self.op_apply(&gvr, &namespace, &name, body, &options),
            Request::Delete {
                gvr,
                namespace,
                name,
                options,
            } => self.op_delete(&gvr, &namespace, &name, &options),
            Request::Logs {
                namespace,
                name,
                container,
            } => self.op_logs(&namespace, &name, container.as_deref()),
        }
    }

    fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    fn registry(&mut self) -> Result<Registry, ApiError> {
        Ok(self.resource_registry())
    }
}

/// Builds a map value in order.
pub(crate) fn obj(pairs: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        m.insert(k.to_string(), v);
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests;
