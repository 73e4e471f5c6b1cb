//! Helm's releaseutil (pkg/release/v1/util manifest.go, manifest_sorter.go, kind_sorter.go):
//! splitting rendered YAML on `---` lines with Helm's regexp, reading each document's head
//! (apiVersion, kind, name, annotations) the way `sigs.k8s.io/yaml.Unmarshal` into `SimpleHead`
//! does, separating hooks (`helm.sh/hook`, weight, delete and output-log policies) from plain
//! manifests, and ordering both by kind for install or uninstall.

use crate::engine::sort::SliceSort;
use std::collections::BTreeMap;

use super::model::{Hook, HookEvent, HookExecution};
use crate::engine::Value;

/// `SimpleHead`: what Helm reads of a manifest before sending it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimpleHead {
    pub version: String,
    pub kind: String,
    pub metadata: Option<HeadMetadata>,
}

/// `SimpleHead.Metadata`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeadMetadata {
    pub name: String,
    /// `None`: no `annotations` (Go's nil map).
    pub annotations: Option<BTreeMap<String, String>>,
}

impl SimpleHead {
    pub fn name(&self) -> &str {
        self.metadata
            .as_ref()
            .map(|m| m.name.as_str())
            .unwrap_or("")
    }

    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.metadata
            .as_ref()
            .and_then(|m| m.annotations.as_ref())
            .and_then(|a| a.get(key))
            .map(String::as_str)
    }

    fn has_any_annotation(&self) -> bool {
        self.metadata
            .as_ref()
            .and_then(|m| m.annotations.as_ref())
            .is_some_and(|a| !a.is_empty())
    }
}

/// `releaseutil.Manifest`: one document, the file it came from, its head.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub name: String,
    pub content: String,
    pub head: SimpleHead,
}

/// Go's `unicode.IsSpace`.
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// RE2's `\s`: `[\t\n\f\r ]`.
fn is_re_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The spans Helm's separator `(?:^|\s*\n)---\s*` matches in `s`, leftmost-first.
fn separator_matches(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let n = b.len();
    let mut out = Vec::new();
    let mut pos = 0;
    // end of `---\s*` starting at `dash`
    let finish = |dash: usize| {
        let mut e = dash + 3;
        while e < n && is_re_space(b[e]) {
            e += 1;
        }
        e
    };
    while pos < n {
        let mut found = None;
        let mut start = pos;
        while start < n {
            if start == 0 && b[start..].starts_with(b"---") {
                found = Some((0, finish(0)));
                break;
            }
            if is_re_space(b[start]) {
                // the whitespace run from `start`; a match needs it to end in `\n` + `---`
                let mut e = start;
                while e < n && is_re_space(b[e]) {
                    e += 1;
                }
                if e > start && b[e - 1] == b'\n' && b[e..].starts_with(b"---") {
                    found = Some((start, finish(e)));
                    break;
                }
                // no match can start inside this run either: skip past it
                start = e;
                continue;
            }
            start += 1;
        }
        match found {
            Some(m) => {
                out.push(m);
                pos = m.1;
            }
            None => break,
        }
    }
    out
}

/// `SplitManifests`, in order (the `manifest-N` keys' numeric order): documents split on
/// `---` lines, whitespace-only ones dropped, leading whitespace trimmed.
pub fn split_manifests(big: &str) -> Vec<String> {
    let trimmed = big.trim_start_matches(is_space);
    let mut docs = Vec::new();
    let mut beg = 0;
    for (s, e) in separator_matches(trimmed) {
        docs.push(&trimmed[beg..s]);
        beg = e;
    }
    docs.push(&trimmed[beg..]);
    docs.into_iter()
        .filter(|d| !d.trim_matches(is_space).is_empty())
        .map(|d| d.trim_start_matches(is_space).to_string())
        .collect()
}

/// `SplitManifests` as Helm's map: `manifest-N` → document.
pub fn split_manifests_map(big: &str) -> BTreeMap<String, String> {
    split_manifests(big)
        .into_iter()
        .enumerate()
        .map(|(i, d)| (format!("manifest-{i}"), d))
        .collect()
}

/// `InstallOrder`.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// `UninstallOrder`.
pub const UNINSTALL_ORDER: &[&str] = &[
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "Ingress",
    "IngressClass",
    "Service",
    "CronJob",
    "Job",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "Deployment",
    "ReplicaSet",
    "ReplicationController",
    "Pod",
    "DaemonSet",
    "RoleBindingList",
    "RoleBinding",
    "RoleList",
    "Role",
    "ClusterRoleBindingList",
    "ClusterRoleBinding",
    "ClusterRoleList",
    "ClusterRole",
    "CustomResourceDefinition",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "ConfigMap",
    "SecretList",
    "Secret",
    "ServiceAccount",
    "PodDisruptionBudget",
    "PodSecurityPolicy",
    "LimitRange",
    "ResourceQuota",
    "NetworkPolicy",
    "Namespace",
    "PriorityClass",
];

/// `lessByKind`: known kinds by their place in `order`, unknown kinds last and alphabetical.
pub fn less_by_kind(a: &str, b: &str, order: &[&str]) -> bool {
    let pa = order.iter().position(|k| *k == a);
    let pb = order.iter().position(|k| *k == b);
    match (pa, pb) {
        (None, None) => a < b,
        (None, Some(_)) => false,
        (Some(_), None) => true,
        (Some(x), Some(y)) => x < y,
    }
}

fn stable_sort_by_kind<T>(items: &mut [T], kind: impl Fn(&T) -> &str, order: &[&str]) {
    items.sort_stable_by(|x, y| {
        if less_by_kind(kind(x), kind(y), order) {
            std::cmp::Ordering::Less
        } else if less_by_kind(kind(y), kind(x), order) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
}

/// `sortManifestsByKind` (stable).
pub fn sort_manifests_by_kind(m: &mut [Manifest], order: &[&str]) {
    stable_sort_by_kind(m, |x| x.head.kind.as_str(), order);
}

/// `sortHooksByKind` (stable).
pub fn sort_hooks_by_kind(h: &mut [Hook], order: &[&str]) {
    stable_sort_by_kind(h, |x| x.kind.as_str(), order);
}

// ---------------------------------------------------------------------------------------------
// SimpleHead from YAML

use crate::yaml::{GoStruct, GoType};

/// `SimpleHead.Metadata`'s anonymous struct, as Go names it in errors.
static HEAD_METADATA: GoStruct = GoStruct {
    go_name: "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
    name: "",
    fields: &[
        ("name", GoType::String),
        ("annotations", GoType::Map(&GoType::String)),
    ],
};

/// `util.SimpleHead`.
static SIMPLE_HEAD: GoStruct = GoStruct {
    go_name: "util.SimpleHead",
    name: "SimpleHead",
    fields: &[
        ("apiVersion", GoType::String),
        ("kind", GoType::String),
        ("metadata", GoType::Ptr(&GoType::Struct(&HEAD_METADATA))),
    ],
};

fn str_field(m: &crate::engine::Map, k: &str) -> String {
    m.get(k)
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `sigs.k8s.io/yaml.Unmarshal(doc, &SimpleHead{})`: YAML numbers and booleans become the
/// strings the fields want, names match case-insensitively, anything else fails with
/// encoding/json's error text.
pub fn parse_head(doc: &str) -> Result<SimpleHead, String> {
    // A re-render after an edit sorts mostly the same documents again: each distinct document
    // is decoded once (the result depends on the text alone).
    HEAD_MEMO.with(|m| m.borrow_mut().get_or(doc, decode_head))
}

thread_local! {
    static HEAD_MEMO: std::cell::RefCell<crate::chart::memo::TextMemo<Result<SimpleHead, String>>> =
        std::cell::RefCell::new(Default::default());
}

fn decode_head(doc: &str) -> Result<SimpleHead, String> {
    let v = crate::yaml::unmarshal_typed(doc.as_bytes(), &GoType::Struct(&SIMPLE_HEAD))
        .map_err(|e| e.to_string())?;
    let Value::Map(m) = v else {
        return Ok(SimpleHead::default());
    };
    let metadata = match m.get("metadata") {
        Some(Value::Map(md)) => Some(HeadMetadata {
            name: str_field(&md, "name"),
            annotations: match md.get("annotations") {
                Some(Value::Map(a)) => Some(
                    a.entries()
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.as_str().unwrap_or("").to_string()))
                        .collect(),
                ),
                _ => None,
            },
        }),
        _ => None,
    };
    Ok(SimpleHead {
        version: str_field(&m, "apiVersion"),
        kind: str_field(&m, "kind"),
        metadata,
    })
}

// ---------------------------------------------------------------------------------------------
// SortManifests

/// A failed `SortManifests`: the error and what was sorted before it.
#[derive(Clone, Debug)]
pub struct SortError {
    pub message: String,
    pub hooks: Vec<Hook>,
    pub manifests: Vec<Manifest>,
}

/// Go's `strconv.Atoi` (base 10, optional sign, no spaces), `None` on any error.
fn atoi(s: &str) -> Option<i64> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut v: i64 = 0;
    for c in digits.bytes() {
        v = v.checked_mul(10)?;
        let d = i64::from(c - b'0');
        v = if neg {
            v.checked_sub(d)?
        } else {
            v.checked_add(d)?
        };
    }
    Some(v)
}

fn split_policies(s: &str) -> Vec<String> {
    s.split(',').map(|p| p.trim().to_lowercase()).collect()
}

/// Sorts one file's documents into hooks and plain manifests (`manifestFile.sort`).
fn sort_file(
    path: &str,
    content: &str,
    hooks: &mut Vec<Hook>,
    generic: &mut Vec<Manifest>,
) -> Result<(), String> {
    for m in split_manifests(content) {
        let head = parse_head(&m).map_err(|e| format!("YAML parse error on {path}: {e}"))?;
        let hook_types = if head.has_any_annotation() {
            head.annotation("helm.sh/hook").map(str::to_string)
        } else {
            None
        };
        let Some(hook_types) = hook_types else {
            generic.push(Manifest {
                name: path.to_string(),
                content: m,
                head,
            });
            continue;
        };
        let weight = head
            .annotation("helm.sh/hook-weight")
            .and_then(atoi)
            .unwrap_or(0);
        let mut events = Vec::new();
        let mut unknown = false;
        for t in hook_types.split(',') {
            match HookEvent::from_annotation(&t.trim().to_lowercase()) {
                Some(e) => events.push(e),
                None => {
                    unknown = true;
                    break;
                }
            }
        }
        if unknown {
            // Helm logs "skipping unknown hooks" and drops the document entirely
            continue;
        }
        hooks.push(Hook {
            name: head.name().to_string(),
            kind: head.kind.clone(),
            path: path.to_string(),
            manifest: m.clone(),
            events,
            last_run: HookExecution::default(),
            weight,
            delete_policies: head
                .annotation("helm.sh/hook-delete-policy")
                .map(split_policies)
                .unwrap_or_default(),
            output_log_policies: head
                .annotation("helm.sh/hook-output-log-policy")
                .map(split_policies)
                .unwrap_or_default(),
        });
    }
    Ok(())
}

/// `SortManifests`: every file in path order (partials `_*` and blank files skipped), split,
/// each document a hook or a manifest; both lists sorted by kind in `order`.
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
    order: &[&str],
) -> Result<(Vec<Hook>, Vec<Manifest>), SortError> {
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    for (path, content) in files {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || content.trim_matches(is_space).is_empty() {
            continue;
        }
        if let Err(message) = sort_file(path, content, &mut hooks, &mut generic) {
            return Err(SortError {
                message,
                hooks,
                manifests: generic,
            });
        }
    }
    sort_hooks_by_kind(&mut hooks, order);
    sort_manifests_by_kind(&mut generic, order);
    Ok((hooks, generic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_helms_regexp() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), ["a: 1", "b: 2\n"]);
        // leading separator, whitespace before and after `---`; the whitespace after one
        // separator is eaten, so a `---` right after it stays in the next document (checked
        // against Helm: `a\n---\n\n---\nb` gives a document `---\nb`)
        assert_eq!(
            split_manifests("---\na: 1\n  \n---   \n\n---\n  b: 2"),
            ["a: 1", "---\n  b: 2"]
        );
        assert_eq!(
            split_manifests("---\na: 1\n---\n \n---\nb: 2"),
            ["a: 1", "---\nb: 2"]
        );
        assert_eq!(split_manifests("a: 1\n  \n---\nb: 2"), ["a: 1", "b: 2"]);
        // `---` glued to the next line is still split (the leniency Helm documents)
        assert_eq!(
            split_manifests("a: 1\n---apiVersion: v1"),
            ["a: 1", "apiVersion: v1"]
        );
        // `---` not at a line start does not split
        assert_eq!(split_manifests("a: b---c\n"), ["a: b---c\n"]);
        // the hook manifest of the fixtures: the document before `---` loses its newline
        assert_eq!(
            split_manifests("kind: Job\n---\nkind: ConfigMap\ndata:\n  x: \"1\"\n"),
            ["kind: Job", "kind: ConfigMap\ndata:\n  x: \"1\"\n"]
        );
        assert!(split_manifests(" \n\t").is_empty());
        assert_eq!(split_manifests("----\nx"), ["-\nx"]);
        let m = split_manifests_map(
            "a\n---\nb\n---\nc\n---\nd\n---\ne\n---\nf\n---\ng\n---\nh\n---\ni\n---\nj\n---\nk",
        );
        assert_eq!(m.len(), 11);
        assert_eq!(m["manifest-10"], "k");
    }

    #[test]
    fn kind_order() {
        let mut ks = vec![
            "Deployment",
            "Zebra",
            "Service",
            "Apple",
            "Secret",
            "Namespace",
        ];
        ks.sort_stable_by(|a, b| {
            if less_by_kind(a, b, INSTALL_ORDER) {
                std::cmp::Ordering::Less
            } else if less_by_kind(b, a, INSTALL_ORDER) {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        });
        assert_eq!(
            ks,
            [
                "Namespace",
                "Secret",
                "Service",
                "Deployment",
                "Apple",
                "Zebra"
            ]
        );
        assert!(less_by_kind("Service", "ConfigMap", UNINSTALL_ORDER));
        assert!(!less_by_kind("Foo", "Foo", UNINSTALL_ORDER));
    }

    #[test]
    fn atoi_like_go() {
        assert_eq!(atoi("-5"), Some(-5));
        assert_eq!(atoi("+5"), Some(5));
        assert_eq!(atoi(" 5"), None);
        assert_eq!(atoi("5.0"), None);
        assert_eq!(atoi("99999999999999999999"), None);
    }
}

#[cfg(test)]
mod head_tests {
    use super::*;

    /// Texts from real Helm (a client-side dry-run install of a one-template chart).
    #[test]
    fn simple_head_like_sigs_yaml() {
        let err = |doc: &str| parse_head(doc).unwrap_err();
        let pre = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal";
        assert_eq!(parse_head("kind: 5\n").unwrap().kind, "5");
        assert_eq!(parse_head("metadata:\n  name: 5\n").unwrap().name(), "5");
        let h = parse_head("metadata:\n  annotations:\n    helm.sh/hook-weight: 5\n    helm.sh/hook: pre-install\n").unwrap();
        assert_eq!(h.annotation("helm.sh/hook-weight"), Some("5"));
        let h = parse_head("KIND: Pod\nApiVersion: v1\nmetadata:\n  NAME: x\n").unwrap();
        assert_eq!(
            (h.kind.as_str(), h.version.as_str(), h.name()),
            ("Pod", "v1", "x")
        );
        assert_eq!(
            parse_head("# only comment\n").unwrap(),
            SimpleHead::default()
        );
        assert_eq!(
            err("metadata: x\n"),
            format!("{pre} string into Go struct field SimpleHead.metadata of type struct {{ Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }}")
        );
        assert_eq!(
            err("- a\n"),
            format!("{pre} array into Go value of type util.SimpleHead")
        );
        assert_eq!(
            err("hello\n"),
            format!("{pre} string into Go value of type util.SimpleHead")
        );
        assert_eq!(
            err("metadata:\n  name: [1]\n"),
            format!("{pre} array into Go struct field .metadata.name of type string")
        );
        assert_eq!(
            err("metadata:\n  annotations:\n    a: [1]\n"),
            format!("{pre} array into Go struct field .metadata.annotations of type string")
        );
        assert_eq!(
            err("metadata:\n  annotations: 5\n"),
            format!(
                "{pre} number into Go struct field .metadata.annotations of type map[string]string"
            )
        );
        assert_eq!(
            err("apiVersion: {a: 1}\n"),
            format!("{pre} object into Go struct field SimpleHead.apiVersion of type string")
        );
        assert_eq!(
            err("kind: [1]\n"),
            format!("{pre} array into Go struct field SimpleHead.kind of type string")
        );
        assert_eq!(
            err("a: [\n"),
            "error converting YAML to JSON: yaml: line 1: did not find expected node content"
        );
    }
}
