//! The API surface of a Kubernetes v1.36.0 API server with default settings (the version Helm
//! v4.2.3 assumes by default): every generally-available built-in resource with its kind,
//! plural/singular names, scope, short names, categories, verbs and subresources, in
//! discovery order; custom resources added from applied CRDs; the REST mapping kubectl and
//! Helm do (kind → resource, `deploy`/`deployments.apps` → resource); and the discovery
//! documents (`/api`, `/apis`, `/api/v1`, `/apis/G/V`, aggregated `apidiscovery.k8s.io/v2`,
//! `/version`).
//!
//! Only GA group versions are listed: since v1.24 new beta APIs are off by default, and the
//! alpha/beta versions an all-features test server lists are not served by a default cluster.

use crate::engine::sort::SliceSort;
use crate::kube::object::{GroupVersion, GroupVersionKind, GroupVersionResource};
use serde_json::{json, Map, Value};

/// The Kubernetes version the simulated cluster reports.
pub const KUBE_VERSION: &str = "v1.36.0";

/// One resource of one group version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceInfo {
    pub group: String,
    pub version: String,
    pub kind: String,
    /// Plural resource name, the path segment: `deployments`.
    pub plural: String,
    pub singular: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    pub verbs: Vec<String>,
    pub subresources: Vec<String>,
    /// Set for custom resources: the CRD's printer columns for this version.
    pub printer_columns: Vec<PrinterColumn>,
    /// Whether a custom resource has the status subresource.
    pub has_status: bool,
}

/// A CRD `additionalPrinterColumns` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrinterColumn {
    pub name: String,
    pub type_: String,
    pub json_path: String,
    pub priority: i64,
    pub format: String,
}

impl ResourceInfo {
    pub fn gvr(&self) -> GroupVersionResource {
        GroupVersionResource::new(&self.group, &self.version, &self.plural)
    }
    pub fn gvk(&self) -> GroupVersionKind {
        GroupVersionKind::new(&self.group, &self.version, &self.kind)
    }
    pub fn group_version(&self) -> GroupVersion {
        GroupVersion::new(&self.group, &self.version)
    }
    pub fn api_version(&self) -> String {
        self.group_version().api_version()
    }
    /// `GroupKind.String()` lowercased, kubectl's `kind/name` prefix: `deployment.apps`, `pod`.
    pub fn kind_prefix(&self) -> String {
        if self.group.is_empty() {
            self.kind.to_lowercase()
        } else {
            format!("{}.{}", self.kind.to_lowercase(), self.group)
        }
    }
    /// `deployments.apps`, `secrets`: the resource word API errors use.
    pub fn group_resource(&self) -> String {
        self.gvr().group_resource()
    }
    pub fn has_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == verb)
    }
    pub fn has_subresource(&self, sub: &str) -> bool {
        self.subresources.iter().any(|s| s == sub)
    }
    /// Whether this is a custom resource (from a CRD).
    pub fn is_custom(&self) -> bool {
        !BUILTIN
            .iter()
            .any(|b| b.0 == self.group && b.2 == self.kind)
    }
}

const ALL: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];
const NS_VERBS: &[&str] = &[
    "create", "delete", "get", "list", "patch", "update", "watch",
];
const CREATE: &[&str] = &["create"];
const GET_LIST: &[&str] = &["get", "list"];

type Row = (
    &'static str,            // group
    &'static str,            // version
    &'static str,            // kind
    &'static str,            // plural
    bool,                    // namespaced
    &'static [&'static str], // short names
    &'static [&'static str], // categories
    &'static [&'static str], // verbs
    &'static [&'static str], // subresources
);

/// Built-in resources in discovery order (group priority, then resource name).
const BUILTIN: &[Row] = &[
    ("", "v1", "Binding", "bindings", true, &[], &[], CREATE, &[]),
    (
        "",
        "v1",
        "ComponentStatus",
        "componentstatuses",
        false,
        &["cs"],
        &[],
        GET_LIST,
        &[],
    ),
    (
        "",
        "v1",
        "ConfigMap",
        "configmaps",
        true,
        &["cm"],
        &[],
        ALL,
        &[],
    ),
    (
        "",
        "v1",
        "Endpoints",
        "endpoints",
        true,
        &["ep"],
        &[],
        ALL,
        &[],
    ),
    ("", "v1", "Event", "events", true, &["ev"], &[], ALL, &[]),
    (
        "",
        "v1",
        "LimitRange",
        "limitranges",
        true,
        &["limits"],
        &[],
        ALL,
        &[],
    ),
    (
        "",
        "v1",
        "Namespace",
        "namespaces",
        false,
        &["ns"],
        &[],
        NS_VERBS,
        &["finalize", "status"],
    ),
    (
        "",
        "v1",
        "Node",
        "nodes",
        false,
        &["no"],
        &[],
        ALL,
        &["proxy", "status"],
    ),
    (
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        true,
        &["pvc"],
        &[],
        ALL,
        &["status"],
    ),
    (
        "",
        "v1",
        "PersistentVolume",
        "persistentvolumes",
        false,
        &["pv"],
        &[],
        ALL,
        &["status"],
    ),
    (
        "",
        "v1",
        "Pod",
        "pods",
        true,
        &["po"],
        &["all"],
        ALL,
        &[
            "attach",
            "binding",
            "ephemeralcontainers",
            "eviction",
            "exec",
            "log",
            "portforward",
            "proxy",
            "resize",
            "status",
        ],
    ),
    (
        "",
        "v1",
        "PodTemplate",
        "podtemplates",
        true,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "",
        "v1",
        "ReplicationController",
        "replicationcontrollers",
        true,
        &["rc"],
        &["all"],
        ALL,
        &["scale", "status"],
    ),
    (
        "",
        "v1",
        "ResourceQuota",
        "resourcequotas",
        true,
        &["quota"],
        &[],
        ALL,
        &["status"],
    ),
    ("", "v1", "Secret", "secrets", true, &[], &[], ALL, &[]),
    (
        "",
        "v1",
        "ServiceAccount",
        "serviceaccounts",
        true,
        &["sa"],
        &[],
        ALL,
        &["token"],
    ),
    (
        "",
        "v1",
        "Service",
        "services",
        true,
        &["svc"],
        &["all"],
        ALL,
        &["proxy", "status"],
    ),
    (
        "apiregistration.k8s.io",
        "v1",
        "APIService",
        "apiservices",
        false,
        &[],
        &["api-extensions"],
        ALL,
        &["status"],
    ),
    (
        "apps",
        "v1",
        "ControllerRevision",
        "controllerrevisions",
        true,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "apps",
        "v1",
        "DaemonSet",
        "daemonsets",
        true,
        &["ds"],
        &["all"],
        ALL,
        &["status"],
    ),
    (
        "apps",
        "v1",
        "Deployment",
        "deployments",
        true,
        &["deploy"],
        &["all"],
        ALL,
        &["scale", "status"],
    ),
    (
        "apps",
        "v1",
        "ReplicaSet",
        "replicasets",
        true,
        &["rs"],
        &["all"],
        ALL,
        &["scale", "status"],
    ),
    (
        "apps",
        "v1",
        "StatefulSet",
        "statefulsets",
        true,
        &["sts"],
        &["all"],
        ALL,
        &["scale", "status"],
    ),
    (
        "events.k8s.io",
        "v1",
        "Event",
        "events",
        true,
        &["ev"],
        &[],
        ALL,
        &[],
    ),
    (
        "authentication.k8s.io",
        "v1",
        "SelfSubjectReview",
        "selfsubjectreviews",
        false,
        &[],
        &[],
        CREATE,
        &[],
    ),
    (
        "authentication.k8s.io",
        "v1",
        "TokenReview",
        "tokenreviews",
        false,
        &[],
        &[],
        CREATE,
        &[],
    ),
    (
        "authorization.k8s.io",
        "v1",
        "LocalSubjectAccessReview",
        "localsubjectaccessreviews",
        true,
        &[],
        &[],
        CREATE,
        &[],
    ),
    (
        "authorization.k8s.io",
        "v1",
        "SelfSubjectAccessReview",
        "selfsubjectaccessreviews",
        false,
        &[],
        &[],
        CREATE,
        &[],
    ),
    (
        "authorization.k8s.io",
        "v1",
        "SelfSubjectRulesReview",
        "selfsubjectrulesreviews",
        false,
        &[],
        &[],
        CREATE,
        &[],
    ),
    (
        "authorization.k8s.io",
        "v1",
        "SubjectAccessReview",
        "subjectaccessreviews",
        false,
        &[],
        &[],
        CREATE,
        &[],
    ),
    (
        "autoscaling",
        "v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        true,
        &["hpa"],
        &["all"],
        ALL,
        &["status"],
    ),
    (
        "autoscaling",
        "v1",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        true,
        &["hpa"],
        &["all"],
        ALL,
        &["status"],
    ),
    (
        "batch",
        "v1",
        "CronJob",
        "cronjobs",
        true,
        &["cj"],
        &["all"],
        ALL,
        &["status"],
    ),
    (
        "batch",
        "v1",
        "Job",
        "jobs",
        true,
        &[],
        &["all"],
        ALL,
        &["status"],
    ),
    (
        "certificates.k8s.io",
        "v1",
        "CertificateSigningRequest",
        "certificatesigningrequests",
        false,
        &["csr"],
        &[],
        ALL,
        &["approval", "status"],
    ),
    (
        "networking.k8s.io",
        "v1",
        "IngressClass",
        "ingressclasses",
        false,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "networking.k8s.io",
        "v1",
        "Ingress",
        "ingresses",
        true,
        &["ing"],
        &[],
        ALL,
        &["status"],
    ),
    (
        "networking.k8s.io",
        "v1",
        "IPAddress",
        "ipaddresses",
        false,
        &["ip"],
        &[],
        ALL,
        &[],
    ),
    (
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
        &["netpol"],
        &[],
        ALL,
        &[],
    ),
    (
        "networking.k8s.io",
        "v1",
        "ServiceCIDR",
        "servicecidrs",
        false,
        &[],
        &[],
        ALL,
        &["status"],
    ),
    (
        "policy",
        "v1",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        true,
        &["pdb"],
        &[],
        ALL,
        &["status"],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        false,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
        false,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "RoleBinding",
        "rolebindings",
        true,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "Role",
        "roles",
        true,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "storage.k8s.io",
        "v1",
        "CSIDriver",
        "csidrivers",
        false,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "storage.k8s.io",
        "v1",
        "CSINode",
        "csinodes",
        false,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "storage.k8s.io",
        "v1",
        "CSIStorageCapacity",
        "csistoragecapacities",
        true,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "storage.k8s.io",
        "v1",
        "StorageClass",
        "storageclasses",
        false,
        &["sc"],
        &[],
        ALL,
        &[],
    ),
    (
        "storage.k8s.io",
        "v1",
        "VolumeAttachment",
        "volumeattachments",
        false,
        &[],
        &[],
        ALL,
        &["status"],
    ),
    (
        "storage.k8s.io",
        "v1",
        "VolumeAttributesClass",
        "volumeattributesclasses",
        false,
        &["vac"],
        &[],
        ALL,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        false,
        &[],
        &["api-extensions"],
        ALL,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingAdmissionPolicy",
        "validatingadmissionpolicies",
        false,
        &[],
        &["api-extensions"],
        ALL,
        &["status"],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingAdmissionPolicyBinding",
        "validatingadmissionpolicybindings",
        false,
        &[],
        &["api-extensions"],
        ALL,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        false,
        &[],
        &["api-extensions"],
        ALL,
        &[],
    ),
    (
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
        &["crd", "crds"],
        &["api-extensions"],
        ALL,
        &["status"],
    ),
    (
        "scheduling.k8s.io",
        "v1",
        "PriorityClass",
        "priorityclasses",
        false,
        &["pc"],
        &[],
        ALL,
        &[],
    ),
    (
        "coordination.k8s.io",
        "v1",
        "Lease",
        "leases",
        true,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "node.k8s.io",
        "v1",
        "RuntimeClass",
        "runtimeclasses",
        false,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "discovery.k8s.io",
        "v1",
        "EndpointSlice",
        "endpointslices",
        true,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "flowcontrol.apiserver.k8s.io",
        "v1",
        "FlowSchema",
        "flowschemas",
        false,
        &[],
        &[],
        ALL,
        &["status"],
    ),
    (
        "flowcontrol.apiserver.k8s.io",
        "v1",
        "PriorityLevelConfiguration",
        "prioritylevelconfigurations",
        false,
        &[],
        &[],
        ALL,
        &["status"],
    ),
    (
        "resource.k8s.io",
        "v1",
        "DeviceClass",
        "deviceclasses",
        false,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "resource.k8s.io",
        "v1",
        "ResourceClaim",
        "resourceclaims",
        true,
        &[],
        &[],
        ALL,
        &["status"],
    ),
    (
        "resource.k8s.io",
        "v1",
        "ResourceClaimTemplate",
        "resourceclaimtemplates",
        true,
        &[],
        &[],
        ALL,
        &[],
    ),
    (
        "resource.k8s.io",
        "v1",
        "ResourceSlice",
        "resourceslices",
        false,
        &[],
        &[],
        ALL,
        &[],
    ),
];

fn strings(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn row_info(r: &Row) -> ResourceInfo {
    ResourceInfo {
        group: r.0.into(),
        version: r.1.into(),
        kind: r.2.into(),
        plural: r.3.into(),
        singular: r.2.to_lowercase(),
        namespaced: r.4,
        short_names: strings(r.5),
        categories: strings(r.6),
        verbs: strings(r.7),
        subresources: strings(r.8),
        printer_columns: Vec::new(),
        has_status: r.8.contains(&"status"),
    }
}

fn builtin_infos() -> Vec<ResourceInfo> {
    BUILTIN.iter().map(row_info).collect()
}

/// The built-in resource (preferred version) of a group and kind.
pub fn builtin_by_kind(group: &str, kind: &str) -> Option<ResourceInfo> {
    BUILTIN
        .iter()
        .find(|r| r.0 == group && r.2 == kind)
        .map(row_info)
}

/// The built-in resource (preferred version) of a group and plural resource name.
pub fn builtin_by_plural(group: &str, plural: &str) -> Option<ResourceInfo> {
    BUILTIN
        .iter()
        .find(|r| r.0 == group && r.3 == plural)
        .map(row_info)
}

/// The resources a cluster serves: the built-ins plus the custom resources of its CRDs.
#[derive(Clone, Debug)]
pub struct Registry {
    /// In discovery order.
    pub resources: Vec<ResourceInfo>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry::builtin()
    }
}

impl Registry {
    /// The built-in resources only.
    pub fn builtin() -> Registry {
        Registry {
            resources: builtin_infos(),
        }
    }

    /// Built-ins plus the served versions of the given CRD objects (established ones).
    pub fn with_crds<'a>(crds: impl IntoIterator<Item = &'a Value>) -> Registry {
        let mut reg = Registry::builtin();
        let mut custom: Vec<ResourceInfo> = Vec::new();
        for crd in crds {
            custom.extend(crd_resources(crd));
        }
        // Aggregated discovery lists CRD groups after the built-ins, by group name.
        custom.sort_stable_by(|a, b| a.group.cmp(&b.group));
        for c in custom {
            if !reg
                .resources
                .iter()
                .any(|r| r.group == c.group && r.version == c.version && r.plural == c.plural)
            {
                reg.resources.push(c);
            }
        }
        reg
    }

    /// The resource for `kind` in `group/version` (the REST mapping of a manifest).
    pub fn for_gvk(&self, gvk: &GroupVersionKind) -> Option<&ResourceInfo> {
        self.resources
            .iter()
            .find(|r| r.group == gvk.group && r.version == gvk.version && r.kind == gvk.kind)
    }

    /// The resource for `group/version` + plural name.
    pub fn for_gvr(&self, gvr: &GroupVersionResource) -> Option<&ResourceInfo> {
        self.resources
            .iter()
            .find(|r| r.group == gvr.group && r.version == gvr.version && r.plural == gvr.resource)
    }

    /// The preferred version of a group/resource (first in discovery order).
    pub fn preferred(&self, group: &str, plural: &str) -> Option<&ResourceInfo> {
        self.resources
            .iter()
            .find(|r| r.group == group && r.plural == plural)
    }

    /// All versions of a group/kind.
    pub fn versions_of_kind(&self, group: &str, kind: &str) -> Vec<&ResourceInfo> {
        self.resources
            .iter()
            .filter(|r| r.group == group && r.kind == kind)
            .collect()
    }

    /// kubectl's resource argument resolution: `po`, `pods`, `pod`, `Pod`, `deploy`,
    /// `deployments.apps`, `deployments.v1.apps`, `deploy.apps`. Core wins over other groups
    /// (discovery order), the preferred version wins.
    pub fn resolve(&self, arg: &str) -> Option<&ResourceInfo> {
        let lower = arg.to_lowercase();
        let matches_name = |r: &ResourceInfo, n: &str| {
            r.plural == n
                || r.singular == n
                || r.short_names.iter().any(|s| s == n)
                || r.kind.to_lowercase() == n
        };
        // Plain name, any group in discovery order.
        if let Some(r) = self.resources.iter().find(|r| matches_name(r, &lower)) {
            return Some(r);
        }
        // resource.version.group
        let parts: Vec<&str> = lower.splitn(3, '.').collect();
        if parts.len() == 3 {
            if let Some(r) = self
                .resources
                .iter()
                .find(|r| matches_name(r, parts[0]) && r.version == parts[1] && r.group == parts[2])
            {
                return Some(r);
            }
        }
        // resource.group
        if let Some((name, group)) = lower.split_once('.') {
            if let Some(r) = self
                .resources
                .iter()
                .find(|r| matches_name(r, name) && r.group == group)
            {
                return Some(r);
            }
        }
        None
    }

    /// The resources of a category (`all`), one version per group/resource, in discovery order.
    pub fn category(&self, cat: &str) -> Vec<&ResourceInfo> {
        let mut out: Vec<&ResourceInfo> = Vec::new();
        for r in &self.resources {
            if r.categories.iter().any(|c| c == cat)
                && !out
                    .iter()
                    .any(|o| o.group == r.group && o.plural == r.plural)
            {
                out.push(r);
            }
        }
        out
    }

    /// Group versions in discovery order.
    pub fn group_versions(&self) -> Vec<GroupVersion> {
        let mut out: Vec<GroupVersion> = Vec::new();
        for r in &self.resources {
            let gv = r.group_version();
            if !out.contains(&gv) {
                out.push(gv);
            }
        }
        out
    }

    /// Groups in discovery order, each with its versions (preferred first).
    fn groups(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for gv in self.group_versions() {
            if gv.group.is_empty() {
                continue;
            }
            match out.iter_mut().find(|(g, _)| *g == gv.group) {
                Some((_, vs)) => vs.push(gv.version),
                None => out.push((gv.group, vec![gv.version])),
            }
        }
        out
    }

    /// Every `apiVersion` the server serves, as Helm's `.Capabilities.APIVersions` collects
    /// from discovery: each group version plus each `group/version/Kind`.
    pub fn api_versions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for gv in self.group_versions() {
            out.push(gv.api_version());
        }
        for r in &self.resources {
            out.push(format!("{}/{}", r.api_version(), r.kind));
        }
        out
    }

    /// `GET /api`.
    pub fn api_versions_doc(&self) -> Value {
        json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "172.18.0.2:6443"}]
        })
    }

    /// `GET /apis` (legacy `APIGroupList`).
    pub fn api_group_list_doc(&self) -> Value {
        let groups: Vec<Value> = self
            .groups()
            .into_iter()
            .map(|(g, vs)| {
                let versions: Vec<Value> = vs
                    .iter()
                    .map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
                    .collect();
                let preferred = versions.first().cloned().unwrap_or(Value::Null);
                json!({"name": g, "versions": versions, "preferredVersion": preferred})
            })
            .collect();
        json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
    }

    /// `GET /apis/G` (one `APIGroup`), `None` for an unknown group.
    pub fn api_group_doc(&self, group: &str) -> Option<Value> {
        let (g, vs) = self.groups().into_iter().find(|(g, _)| g == group)?;
        let versions: Vec<Value> = vs
            .iter()
            .map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
            .collect();
        let preferred = versions.first().cloned().unwrap_or(Value::Null);
        Some(
            json!({"kind": "APIGroup", "apiVersion": "v1", "name": g, "versions": versions, "preferredVersion": preferred}),
        )
    }

    /// `GET /api/v1`, `GET /apis/G/V` (`APIResourceList`), `None` when not served.
    pub fn api_resource_list_doc(&self, gv: &GroupVersion) -> Option<Value> {
        let rs: Vec<&ResourceInfo> = self
            .resources
            .iter()
            .filter(|r| r.group == gv.group && r.version == gv.version)
            .collect();
        if rs.is_empty() {
            return None;
        }
        let mut entries: Vec<(String, Value)> = Vec::new();
        for r in rs {
            let mut m = Map::new();
            m.insert("name".into(), json!(r.plural));
            m.insert("singularName".into(), json!(r.singular));
            m.insert("namespaced".into(), json!(r.namespaced));
            m.insert("kind".into(), json!(r.kind));
            m.insert("verbs".into(), json!(r.verbs));
            if !r.short_names.is_empty() {
                m.insert("shortNames".into(), json!(r.short_names));
            }
            if !r.categories.is_empty() {
                m.insert("categories".into(), json!(r.categories));
            }
            entries.push((r.plural.clone(), Value::Object(m)));
            for sub in &r.subresources {
                let (kind, verbs, group, version): (&str, Vec<&str>, Option<&str>, Option<&str>) =
                    match sub.as_str() {
                        "scale" => (
                            "Scale",
                            vec!["get", "patch", "update"],
                            Some("autoscaling"),
                            Some("v1"),
                        ),
                        "status" => (r.kind.as_str(), vec!["get", "patch", "update"], None, None),
                        "log" => ("Pod", vec!["get"], None, None),
                        "binding" => ("Binding", vec!["create"], None, None),
                        "eviction" => ("Eviction", vec!["create"], Some("policy"), Some("v1")),
                        "token" => (
                            "TokenRequest",
                            vec!["create"],
                            Some("authentication.k8s.io"),
                            Some("v1"),
                        ),
                        "ephemeralcontainers" | "resize" => {
                            (r.kind.as_str(), vec!["get", "patch", "update"], None, None)
                        }
                        "approval" => (r.kind.as_str(), vec!["get", "patch", "update"], None, None),
                        "finalize" => (r.kind.as_str(), vec!["update"], None, None),
                        "attach" | "exec" | "portforward" => {
                            ("PodAttachOptions", vec!["create", "get"], None, None)
                        }
                        _ => (
                            "",
                            vec!["create", "delete", "get", "patch", "update"],
                            None,
                            None,
                        ),
                    };
                let kind = match sub.as_str() {
                    "exec" => "PodExecOptions",
                    "portforward" => "PodPortForwardOptions",
                    "proxy" if r.kind == "Pod" => "PodProxyOptions",
                    "proxy" if r.kind == "Node" => "NodeProxyOptions",
                    "proxy" => "ServiceProxyOptions",
                    _ => kind,
                };
                let mut m = Map::new();
                m.insert("name".into(), json!(format!("{}/{}", r.plural, sub)));
                m.insert("singularName".into(), json!(""));
                m.insert("namespaced".into(), json!(r.namespaced));
                if let Some(g) = group {
                    m.insert("group".into(), json!(g));
                }
                if let Some(v) = version {
                    m.insert("version".into(), json!(v));
                }
                m.insert("kind".into(), json!(kind));
                m.insert("verbs".into(), json!(verbs));
                entries.push((format!("{}/{}", r.plural, sub), Value::Object(m)));
            }
        }
        entries.sort_stable_by(|a, b| a.0.cmp(&b.0));
        let resources: Vec<Value> = entries.into_iter().map(|(_, v)| v).collect();
        Some(
            json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv.api_version(), "resources": resources}),
        )
    }

    /// The aggregated discovery document (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`)
    /// for `/apis` (`core == false`) or `/api` (`core == true`).
    pub fn aggregated_doc(&self, core: bool) -> Value {
        let mut items: Vec<Value> = Vec::new();
        let groups: Vec<(String, Vec<String>)> = if core {
            vec![(String::new(), vec!["v1".to_string()])]
        } else {
            self.groups()
        };
        for (g, vs) in groups {
            let versions: Vec<Value> = vs
                .iter()
                .map(|v| {
                    let resources: Vec<Value> = self
                        .resources
                        .iter()
                        .filter(|r| r.group == g && r.version == *v)
                        .map(|r| {
                            let mut m = Map::new();
                            if !r.categories.is_empty() {
                                m.insert("categories".into(), json!(r.categories));
                            }
                            m.insert("resource".into(), json!(r.plural));
                            m.insert(
                                "responseKind".into(),
                                json!({"group": "", "kind": r.kind, "version": ""}),
                            );
                            m.insert(
                                "scope".into(),
                                json!(if r.namespaced {
                                    "Namespaced"
                                } else {
                                    "Cluster"
                                }),
                            );
                            if !r.short_names.is_empty() {
                                m.insert("shortNames".into(), json!(r.short_names));
                            }
                            m.insert("singularResource".into(), json!(r.singular));
                            m.insert("verbs".into(), json!(r.verbs));
                            Value::Object(m)
                        })
                        .collect();
                    json!({"freshness": "Current", "resources": resources, "version": v})
                })
                .collect();
            items.push(json!({"metadata": {"name": g}, "versions": versions}));
        }
        json!({"apiVersion": "apidiscovery.k8s.io/v2", "kind": "APIGroupDiscoveryList", "metadata": {}, "items": items})
    }
}

/// `GET /version` of the simulated cluster.
pub fn version_doc() -> Value {
    json!({
        "major": "1",
        "minor": "36",
        "emulationMajor": "1",
        "emulationMinor": "36",
        "minCompatibilityMajor": "1",
        "minCompatibilityMinor": "35",
        "gitVersion": KUBE_VERSION,
        "gitTreeState": "clean",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

/// The resources a CRD object defines (one per served version).
pub fn crd_resources(crd: &Value) -> Vec<ResourceInfo> {
    let spec = crd.get("spec").unwrap_or(&Value::Null);
    let names = spec.get("names").unwrap_or(&Value::Null);
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let list = |v: &Value, k: &str| -> Vec<String> {
        v.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let group = s(spec, "group");
    let kind = s(names, "kind");
    let plural = s(names, "plural");
    if group.is_empty() || kind.is_empty() || plural.is_empty() {
        return Vec::new();
    }
    let singular = {
        let x = s(names, "singular");
        if x.is_empty() {
            kind.to_lowercase()
        } else {
            x
        }
    };
    let namespaced = s(spec, "scope") != "Cluster";
    let mut out = Vec::new();
    for v in spec
        .get("versions")
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or(&[])
    {
        if v.get("served").and_then(Value::as_bool) == Some(false) {
            continue;
        }
        let version = s(v, "name");
        if version.is_empty() {
            continue;
        }
        let has_status = v
            .get("subresources")
            .and_then(|sr| sr.get("status"))
            .is_some();
        let has_scale = v
            .get("subresources")
            .and_then(|sr| sr.get("scale"))
            .is_some();
        let mut subresources = Vec::new();
        if has_scale {
            subresources.push("scale".to_string());
        }
        if has_status {
            subresources.push("status".to_string());
        }
        let printer_columns = v
            .get("additionalPrinterColumns")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|c| PrinterColumn {
                        name: s(c, "name"),
                        type_: s(c, "type"),
                        json_path: s(c, "jsonPath"),
                        priority: c.get("priority").and_then(Value::as_i64).unwrap_or(0),
                        format: s(c, "format"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(ResourceInfo {
            group: group.clone(),
            version,
            kind: kind.clone(),
            plural: plural.clone(),
            singular: singular.clone(),
            namespaced,
            short_names: list(names, "shortNames"),
            categories: list(names, "categories"),
            verbs: strings(ALL),
            subresources,
            printer_columns,
            has_status,
        });
    }
    // The storage/preferred version first: served versions sorted the way discovery sorts
    // them (kube-aware version priority).
    out.sort_stable_by_key(|a| version_priority(&a.version));
    out
}

/// Kube-aware version ordering (`version.CompareKubeAwareVersionStrings`): GA before beta
/// before alpha, higher numbers first, non-kube versions last alphabetically.
pub fn version_priority(v: &str) -> (u8, i64, i64, String) {
    let parse = |rest: &str| -> Option<(u8, i64, i64)> {
        let (major, tail) = match rest.find(|c: char| !c.is_ascii_digit()) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let major: i64 = major.parse().ok()?;
        if tail.is_empty() {
            return Some((0, -major, 0));
        }
        for (p, rank) in [("beta", 1u8), ("alpha", 2u8)] {
            if let Some(n) = tail.strip_prefix(p) {
                let n: i64 = n.parse().ok()?;
                return Some((rank, -major, -n));
            }
        }
        None
    };
    match v.strip_prefix('v').and_then(parse) {
        Some((r, a, b)) => (r, a, b, String::new()),
        None => (3, 0, 0, v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_and_resolution() {
        let reg = Registry::builtin();
        let d = reg
            .for_gvk(&GroupVersionKind::new("apps", "v1", "Deployment"))
            .unwrap();
        assert_eq!(d.plural, "deployments");
        assert!(d.namespaced);
        assert_eq!(reg.resolve("deploy").unwrap().kind, "Deployment");
        assert_eq!(reg.resolve("Deployment").unwrap().kind, "Deployment");
        assert_eq!(reg.resolve("deployments.apps").unwrap().kind, "Deployment");
        assert_eq!(
            reg.resolve("deployments.v1.apps").unwrap().kind,
            "Deployment"
        );
        assert_eq!(reg.resolve("po").unwrap().plural, "pods");
        assert_eq!(reg.resolve("secret").unwrap().plural, "secrets");
        // core events win over events.k8s.io; HPA resolves to the preferred v2
        assert_eq!(reg.resolve("events").unwrap().group, "");
        assert_eq!(
            reg.resolve("events.events.k8s.io").unwrap().group,
            "events.k8s.io"
        );
        assert_eq!(reg.resolve("hpa").unwrap().version, "v2");
        assert!(reg.resolve("nope").is_none());
        let all: Vec<String> = reg
            .category("all")
            .iter()
            .map(|r| r.kind_prefix())
            .collect();
        assert_eq!(
            all,
            [
                "pod",
                "replicationcontroller",
                "service",
                "daemonset.apps",
                "deployment.apps",
                "replicaset.apps",
                "statefulset.apps",
                "horizontalpodautoscaler.autoscaling",
                "cronjob.batch",
                "job.batch"
            ]
        );
    }

    #[test]
    fn discovery_documents() {
        let reg = Registry::builtin();
        let apis = reg.api_group_list_doc();
        let names: Vec<&str> = apis["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            &names[..3],
            ["apiregistration.k8s.io", "apps", "events.k8s.io"]
        );
        let auto = apis["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == "autoscaling")
            .unwrap();
        assert_eq!(auto["preferredVersion"]["groupVersion"], "autoscaling/v2");
        let v1 = reg
            .api_resource_list_doc(&GroupVersion::new("", "v1"))
            .unwrap();
        let pods = v1["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "pods")
            .unwrap();
        assert_eq!(pods["shortNames"], json!(["po"]));
        assert_eq!(pods["categories"], json!(["all"]));
        assert!(v1["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "pods/log"));
        let apps = reg
            .api_resource_list_doc(&GroupVersion::new("apps", "v1"))
            .unwrap();
        let scale = apps["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == "deployments/scale")
            .unwrap();
        assert_eq!(scale["group"], "autoscaling");
        assert!(reg
            .api_resource_list_doc(&GroupVersion::new("apps", "v1beta1"))
            .is_none());
        assert!(reg
            .api_versions()
            .contains(&"apps/v1/Deployment".to_string()));
        let agg = reg.aggregated_doc(false);
        assert_eq!(agg["items"][1]["metadata"]["name"], "apps");
    }

    #[test]
    fn crds_extend_the_registry() {
        let crd = json!({
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                "names": {"kind": "Widget", "plural": "widgets", "shortNames": ["wd"]},
                "versions": [
                    {"name": "v1alpha1", "served": true, "storage": false},
                    {"name": "v1", "served": true, "storage": true, "subresources": {"status": {}},
                     "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size"}]}
                ]}
        });
        let reg = Registry::with_crds([&crd]);
        let w = reg.resolve("wd").unwrap();
        assert_eq!(
            (w.version.as_str(), w.singular.as_str(), w.has_status),
            ("v1", "widget", true)
        );
        assert_eq!(w.printer_columns[0].json_path, ".spec.size");
        assert!(w.is_custom());
        assert!(reg
            .for_gvk(&GroupVersionKind::new("example.com", "v1alpha1", "Widget"))
            .is_some());
    }
}
