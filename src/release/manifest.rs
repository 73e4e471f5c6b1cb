//! Helm's releaseutil (pkg/release/v1/util manifest.go, manifest_sorter.go, kind_sorter.go):
//! splitting rendered YAML on `---` lines with Helm's regexp, reading each document's head
//! (apiVersion, kind, name, annotations) the way `sigs.k8s.io/yaml.Unmarshal` into `SimpleHead`
//! does, separating hooks (`helm.sh/hook`, weight, delete and output-log policies) from plain
//! manifests, and ordering both by kind for install or uninstall.

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
    items.sort_by(|x, y| {
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

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(_) => "object",
        Value::List(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Nil => "null",
        _ => "number",
    }
}

/// encoding/json's case-insensitive key folding (ASCII plus the Kelvin sign and long s).
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{212A}' => 'k',
            '\u{17F}' => 's',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn lookup(m: &crate::engine::Map, name: &str) -> Option<Value> {
    if let Some(v) = m.get(name) {
        return Some(v);
    }
    let f = fold(name);
    let mut found = None;
    for (k, v) in m.entries() {
        if fold(&k) == f {
            found = Some(v);
        }
    }
    found
}

/// `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest digits that round-trip a float32, in
/// `%e` form when the exponent is below -4 or at least 6 (Go's precision for that decision when
/// the digits are the shortest), else in `%f` form.
fn format_float32_g(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // shortest round-trip digits of the float32 via Rust's formatter
    let e = format!("{x:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let nd = digits.len() as i32;
    let eprec = 6;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if exp < -4 || exp >= eprec {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
        return out;
    }
    // %f with the shortest digits
    let dp = exp + 1; // digits before the decimal point
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(&digits);
    } else if dp >= nd {
        out.push_str(&digits);
        for _ in 0..(dp - nd) {
            out.push('0');
        }
    } else {
        out.push_str(&digits[..dp as usize]);
        out.push('.');
        out.push_str(&digits[dp as usize..]);
    }
    out
}

/// sigs.k8s.io/yaml's coercion of a YAML scalar bound for a Go `string`: numbers and booleans
/// become their text. YAML integers print in decimal; the JSON value no longer says whether a
/// number was an int, so integral values within ±2^53 are taken as ints (go-yaml resolves
/// those as ints unless written with a dot or exponent) and others as floats (`%g` at float32
/// precision, which is what the coercion uses for floats).
fn coerce_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_string()),
        Value::Bool(b) => Some(if *b { "true".into() } else { "false".into() }),
        Value::Int(i) | Value::Int64(i) => Some(i.to_string()),
        Value::Uint(u) => Some(u.to_string()),
        Value::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                Some(format!("{}", *f as i64))
            } else {
                Some(format_float32_g(*f))
            }
        }
        _ => None,
    }
}

fn field_err(v: &Value, st: &str, field: &str, ty: &str) -> String {
    format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {st}.{field} of type {ty}",
        json_kind(v)
    )
}

fn head_string(v: Option<Value>, st: &str, field: &str) -> Result<String, String> {
    match v {
        None | Some(Value::Nil) => Ok(String::new()),
        Some(v) => coerce_string(&v).ok_or_else(|| field_err(&v, st, field, "string")),
    }
}

const METADATA_TYPE: &str =
    "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }";

/// `sigs.k8s.io/yaml.Unmarshal(doc, &SimpleHead{})`, with Helm's error texts.
pub fn parse_head(doc: &str) -> Result<SimpleHead, String> {
    let v = crate::yaml::parse(doc).map_err(|e| e.to_string())?;
    let m = match v {
        Value::Nil => return Ok(SimpleHead::default()),
        Value::Map(m) => m,
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type util.SimpleHead",
                json_kind(&other)
            ))
        }
    };
    let version = head_string(lookup(&m, "apiVersion"), "SimpleHead", "apiVersion")?;
    let kind = head_string(lookup(&m, "kind"), "SimpleHead", "kind")?;
    let metadata = match lookup(&m, "metadata") {
        None | Some(Value::Nil) => None,
        Some(Value::Map(md)) => {
            let name = head_string(lookup(&md, "name"), "", "metadata.name")?;
            let annotations = match lookup(&md, "annotations") {
                None | Some(Value::Nil) => None,
                Some(Value::Map(a)) => {
                    let mut out = BTreeMap::new();
                    for (k, v) in a.entries() {
                        let s = match &v {
                            Value::Nil => String::new(),
                            v => coerce_string(v).ok_or_else(|| {
                                field_err(v, "", "metadata.annotations", "string")
                            })?,
                        };
                        out.insert(k.to_string(), s);
                    }
                    Some(out)
                }
                Some(v) => {
                    return Err(field_err(
                        &v,
                        "",
                        "metadata.annotations",
                        "map[string]string",
                    ))
                }
            };
            Some(HeadMetadata { name, annotations })
        }
        Some(v) => return Err(field_err(&v, "SimpleHead", "metadata", METADATA_TYPE)),
    };
    Ok(SimpleHead {
        version,
        kind,
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
        ks.sort_by(|a, b| {
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
    fn float32_g() {
        assert_eq!(format_float32_g(1.5), "1.5");
        assert_eq!(format_float32_g(0.1), "0.1");
        assert_eq!(format_float32_g(1e21), "1e+21");
        assert_eq!(format_float32_g(123456789.0), "1.2345679e+08");
        assert_eq!(format_float32_g(123456.5), "123456.5");
        assert_eq!(format_float32_g(0.00001), "1e-05");
        assert_eq!(format_float32_g(-2.25), "-2.25");
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
