//! The built-in objects that are Go structs or named types in Helm: `.Capabilities` (with
//! `KubeVersion`, `APIVersions`, `HelmVersion`) and `.Files` (pkg/chart/common/capabilities.go,
//! pkg/engine/files.go).

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;

use base64::Engine as _;

use crate::engine::func::{Signature, Ty};
use crate::engine::value::{types, Kind};
use crate::engine::{List, Map, Object, Str, Value};

use super::model::File;

/// Helm's `common.VersionSet` type name (a `[]string` with a `Has` method).
pub const VERSION_SET: &str = "common.VersionSet";

/// The API versions client-go v0.36 registers (Helm's DefaultVersionSet), in Helm's order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// Helm's KubeVersion struct.
#[derive(Clone, Debug, PartialEq)]
pub struct KubeVersion {
    pub version: String,
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    /// Helm's ParseKubeVersion (k8s ParseGeneric: `v`-prefix optional, at least major.minor).
    pub fn parse(input: &str) -> Result<KubeVersion, String> {
        let s = input.strip_prefix('v').unwrap_or(input);
        let end = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let (nums, _rest) = s.split_at(end);
        let parts: Vec<&str> = nums.split('.').collect();
        if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) || nums.ends_with('.') {
            return Err(format!("could not parse {input:?} as version"));
        }
        let mut comps = Vec::new();
        for p in &parts {
            if p.len() > 1 && p.starts_with('0') {
                return Err(format!(
                    "illegal zero-prefixed version component {p:?} in {input:?}"
                ));
            }
            comps.push(
                p.parse::<u64>()
                    .map_err(|e| format!("illegal version component {p:?}: {e}"))?,
            );
        }
        let normalized = format!(
            "v{}",
            comps
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(".")
        );
        let version = if input.starts_with('v') {
            input.to_string()
        } else {
            format!("v{input}")
        };
        Ok(KubeVersion {
            version,
            normalized,
            major: comps[0].to_string(),
            minor: comps[1].to_string(),
        })
    }

    fn string(&self) -> String {
        if self.normalized.is_empty() {
            self.version.clone()
        } else {
            self.normalized.clone()
        }
    }
}

impl Default for KubeVersion {
    fn default() -> Self {
        KubeVersion {
            version: "v1.36.0".into(),
            normalized: "v1.36.0".into(),
            major: "1".into(),
            minor: "36".into(),
        }
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::str(match name {
            "Version" => &self.version,
            "Major" => &self.major,
            "Minor" => &self.minor,
            _ => return None,
        }))
    }
    fn method(&self, name: &str) -> Option<Signature> {
        matches!(name, "String" | "GitVersion").then_some(Signature::fixed(&[]))
    }
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        Ok(Value::string(match name {
            "GitVersion" => self.version.clone(),
            _ => self.string(),
        }))
    }
    fn write_v(&self, out: &mut String, plus: bool) {
        if plus {
            out.push_str(&format!(
                "{{Version:{} normalizedVersion:{} Major:{} Minor:{}}}",
                self.version, self.normalized, self.major, self.minor
            ));
        } else {
            out.push_str(&format!(
                "{{{} {} {} {}}}",
                self.version, self.normalized, self.major, self.minor
            ));
        }
    }
    /// A template prints the field through `(*KubeVersion).String`.
    fn write_print(&self, out: &mut String) {
        out.push_str(&self.string());
    }
    fn marshal(&self) -> Option<Value> {
        let m = Map::new();
        for (k, v) in self.marshal_ordered().unwrap_or_default() {
            m.insert(k, v);
        }
        Some(Value::Map(m))
    }
    fn marshal_ordered(&self) -> Option<Vec<(Str, Value)>> {
        Some(vec![
            (Str::from("Version"), Value::str(&self.version)),
            (Str::from("Major"), Value::str(&self.major)),
            (Str::from("Minor"), Value::str(&self.minor)),
        ])
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Helm's version.BuildInfo (what `.Capabilities.HelmVersion` holds).
#[derive(Clone, Debug, PartialEq)]
pub struct BuildInfo {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
    pub kube_client_version: String,
}

impl Default for BuildInfo {
    /// The Helm release ChartLab follows.
    fn default() -> Self {
        BuildInfo {
            version: "v4.2.3".into(),
            git_commit: "43e8b7feece8beb0fcba47059ec9b522fd929a64".into(),
            git_tree_state: "clean".into(),
            go_version: "go1.26.6".into(),
            kube_client_version: "v1.36".into(),
        }
    }
}

impl Object for BuildInfo {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::str(match name {
            "Version" => &self.version,
            "GitCommit" => &self.git_commit,
            "GitTreeState" => &self.git_tree_state,
            "GoVersion" => &self.go_version,
            "KubeClientVersion" => &self.kube_client_version,
            _ => return None,
        }))
    }
    fn write_v(&self, out: &mut String, plus: bool) {
        if plus {
            out.push_str(&format!(
                "{{Version:{} GitCommit:{} GitTreeState:{} GoVersion:{} KubeClientVersion:{}}}",
                self.version,
                self.git_commit,
                self.git_tree_state,
                self.go_version,
                self.kube_client_version
            ));
        } else {
            out.push_str(&format!(
                "{{{} {} {} {} {}}}",
                self.version,
                self.git_commit,
                self.git_tree_state,
                self.go_version,
                self.kube_client_version
            ));
        }
    }
    fn marshal(&self) -> Option<Value> {
        let m = Map::new();
        for (k, v) in self.marshal_ordered().unwrap_or_default() {
            m.insert(k, v);
        }
        Some(Value::Map(m))
    }
    /// BuildInfo's json tags; `omitempty` drops empty commit/tree state.
    fn marshal_ordered(&self) -> Option<Vec<(Str, Value)>> {
        let mut f = vec![(Str::from("version"), Value::str(&self.version))];
        if !self.git_commit.is_empty() {
            f.push((Str::from("git_commit"), Value::str(&self.git_commit)));
        }
        if !self.git_tree_state.is_empty() {
            f.push((
                Str::from("git_tree_state"),
                Value::str(&self.git_tree_state),
            ));
        }
        f.push((Str::from("go_version"), Value::str(&self.go_version)));
        f.push((
            Str::from("kube_client_version"),
            Value::str(&self.kube_client_version),
        ));
        Some(f)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `.Capabilities` (`*common.Capabilities`). Cloning is cheap (the version list is shared).
#[derive(Clone, Debug)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    /// `.Capabilities.APIVersions` (use [`Capabilities::add_api_versions`] to extend it).
    pub api_versions: Rc<Vec<String>>,
    pub helm_version: BuildInfo,
    /// The APIVersions list value, built once.
    list: std::cell::OnceCell<List>,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities::new(
            KubeVersion::default(),
            DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect(),
        )
    }
}

impl Capabilities {
    pub fn new(kube_version: KubeVersion, api_versions: Vec<String>) -> Capabilities {
        Capabilities {
            kube_version,
            api_versions: Rc::new(api_versions),
            helm_version: BuildInfo::default(),
            list: std::cell::OnceCell::new(),
        }
    }

    /// Adds API versions (like `--api-versions`).
    pub fn add_api_versions<I: IntoIterator<Item = String>>(&mut self, more: I) {
        Rc::make_mut(&mut self.api_versions).extend(more);
        self.list = std::cell::OnceCell::new();
    }

    fn api_versions_value(&self) -> Value {
        Value::List(
            self.list
                .get_or_init(|| {
                    List::typed(
                        VERSION_SET,
                        self.api_versions.iter().map(|s| Value::str(s)).collect(),
                    )
                })
                .clone(),
        )
    }
    fn write_fields(&self, out: &mut String, plus: bool) {
        out.push('{');
        if plus {
            out.push_str("KubeVersion:");
        }
        self.kube_version.write_v(out, plus);
        out.push(' ');
        if plus {
            out.push_str("APIVersions:");
        }
        self.api_versions_value().write_v(out, plus);
        out.push(' ');
        if plus {
            out.push_str("HelmVersion:");
        }
        self.helm_version.write_v(out, plus);
        out.push('}');
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }
    fn kind(&self) -> Kind {
        Kind::Ptr
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::object(self.kube_version.clone())),
            "APIVersions" => Some(self.api_versions_value()),
            "HelmVersion" => Some(Value::object(self.helm_version.clone())),
            _ => None,
        }
    }
    fn method(&self, name: &str) -> Option<Signature> {
        (name == "Copy").then_some(Signature::fixed(&[]))
    }
    fn call_method(&self, _name: &str, _args: &[Value]) -> Result<Value, String> {
        Ok(Value::object(self.clone()))
    }
    fn write_v(&self, out: &mut String, plus: bool) {
        out.push('&');
        self.write_fields(out, plus);
    }
    fn write_print(&self, out: &mut String) {
        self.write_fields(out, false);
    }
    fn marshal(&self) -> Option<Value> {
        let m = Map::new();
        for (k, v) in self.marshal_ordered().unwrap_or_default() {
            m.insert(k, v);
        }
        Some(Value::Map(m))
    }
    fn marshal_ordered(&self) -> Option<Vec<(Str, Value)>> {
        Some(vec![
            (
                Str::from("KubeVersion"),
                Value::object(self.kube_version.clone()),
            ),
            (Str::from("APIVersions"), self.api_versions_value()),
            (
                Str::from("HelmVersion"),
                Value::object(self.helm_version.clone()),
            ),
        ])
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `.Files` (Helm's `engine.files`, a `map[string][]byte` with methods).
#[derive(Clone, Debug, Default)]
pub struct Files {
    pub files: Rc<BTreeMap<String, Rc<[u8]>>>,
}

impl Files {
    pub fn new(from: &[File]) -> Files {
        Files {
            files: Rc::new(
                from.iter()
                    .map(|f| (f.name.clone(), f.data.clone()))
                    .collect(),
            ),
        }
    }

    fn get_bytes(&self, name: &str) -> Rc<[u8]> {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| Rc::from(&[][..]))
    }

    fn as_string_map(&self, f: impl Fn(&[u8]) -> String) -> Value {
        let m = Map::typed(types::STRING_MAP, BTreeMap::new());
        for (k, v) in self.files.iter() {
            let base = k.rsplit('/').next().unwrap_or(k);
            m.insert(base, Value::string(f(v)));
        }
        Value::Map(m)
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    fn kind(&self) -> Kind {
        Kind::Map
    }
    /// A field of a map type is a key lookup: a missing file is an empty `[]byte`.
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::Bytes(self.get_bytes(name)))
    }
    fn method(&self, name: &str) -> Option<Signature> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some(Signature::fixed(&[Ty::String])),
            "AsConfig" | "AsSecrets" => Some(Signature::fixed(&[])),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let arg = args.first().and_then(Value::as_str).unwrap_or("");
        match name {
            "Get" => Ok(Value::string(crate::engine::gostr::from_bytes(
                &self.get_bytes(arg),
            ))),
            "GetBytes" => Ok(Value::Bytes(self.get_bytes(arg))),
            "Glob" => {
                let g =
                    super::glob::Glob::compile(arg).unwrap_or_else(|_| super::glob::Glob::any());
                let files: BTreeMap<String, Rc<[u8]>> = self
                    .files
                    .iter()
                    .filter(|(k, _)| g.matches(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Ok(Value::object(Files {
                    files: Rc::new(files),
                }))
            }
            "Lines" => {
                let Some(data) = self.files.get(arg) else {
                    return Ok(Value::strings(Vec::<&str>::new()));
                };
                if data.is_empty() {
                    return Err("runtime error: index out of range [-1]".into());
                }
                let s = String::from_utf8_lossy(data);
                let s = s.strip_suffix('\n').unwrap_or(&s);
                Ok(Value::strings(s.split('\n')))
            }
            "AsConfig" => Ok(Value::string(super::funcs::to_yaml_or_empty(
                &self.as_string_map(crate::engine::gostr::from_bytes),
            ))),
            "AsSecrets" => Ok(Value::string(super::funcs::to_yaml_or_empty(
                &self.as_string_map(|d| base64::engine::general_purpose::STANDARD.encode(d)),
            ))),
            _ => Err(format!("no method {name}")),
        }
    }
    fn write_v(&self, out: &mut String, plus: bool) {
        let m = Map::new();
        for (k, v) in self.files.iter() {
            m.insert(Str::from(k.as_str()), Value::Bytes(v.clone()));
        }
        Value::Map(m).write_v(out, plus);
    }
    fn marshal(&self) -> Option<Value> {
        let m = Map::new();
        for (k, v) in self.files.iter() {
            m.insert(Str::from(k.as_str()), Value::Bytes(v.clone()));
        }
        Some(Value::Map(m))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_version_parses_like_helm() {
        let v = KubeVersion::parse("1.33.4-gke.1245000").unwrap();
        assert_eq!(v.version, "v1.33.4-gke.1245000");
        assert_eq!(v.normalized, "v1.33.4");
        assert_eq!((v.major.as_str(), v.minor.as_str()), ("1", "33"));
        assert!(KubeVersion::parse("abc").is_err());
    }

    #[test]
    fn capabilities_print_like_go() {
        let c = Capabilities::default();
        let mut s = String::new();
        c.kube_version.write_v(&mut s, false);
        assert_eq!(s, "{v1.36.0 v1.36.0 1 36}");
        let mut p = String::new();
        c.kube_version.write_print(&mut p);
        assert_eq!(p, "v1.36.0");
        assert_eq!(c.api_versions.len(), 55);
    }
}
