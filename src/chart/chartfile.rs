//! Chart.yaml, requirements.yaml and Chart.lock as Helm reads and writes them: sigs.k8s.io/yaml's
//! Unmarshal into Helm's structs (YAML → JSON → encoding/json), with its quirks — numbers and
//! booleans written where a string field is expected become strings (`appVersion: 1.10` is "1.1",
//! floats printed with float32 precision), keys match field names case-insensitively, the first
//! type mismatch is reported in encoding/json's words — then Metadata.Validate with its
//! sanitizing. Writing goes the other way (json tags, omitempty) for `helm package` and
//! `helm dependency update`.

use crate::engine::{Map, Value};
use crate::yaml::{GoStruct, GoType};

use super::model::{Dependency, Lock, Maintainer, Metadata};

/// Helm's chart.Maintainer.
static MAINTAINER: GoStruct = GoStruct {
    go_name: "v2.Maintainer",
    name: "Maintainer",
    fields: &[
        ("name", GoType::String),
        ("email", GoType::String),
        ("url", GoType::String),
    ],
};

/// Helm's chart.Dependency.
static DEPENDENCY: GoStruct = GoStruct {
    go_name: "v2.Dependency",
    name: "Dependency",
    fields: &[
        ("name", GoType::String),
        ("version", GoType::String),
        ("repository", GoType::String),
        ("condition", GoType::String),
        ("tags", GoType::Slice(&GoType::String)),
        ("enabled", GoType::Bool),
        ("import-values", GoType::Slice(&GoType::Any)),
        ("alias", GoType::String),
    ],
};

/// Helm v4.2.3's chart.Metadata (pkg/chart/v2/metadata.go).
static METADATA: GoStruct = GoStruct {
    go_name: "v2.Metadata",
    name: "Metadata",
    fields: &[
        ("name", GoType::String),
        ("home", GoType::String),
        ("sources", GoType::Slice(&GoType::String)),
        ("version", GoType::String),
        ("description", GoType::String),
        ("keywords", GoType::Slice(&GoType::String)),
        (
            "maintainers",
            GoType::Slice(&GoType::Ptr(&GoType::Struct(&MAINTAINER))),
        ),
        ("icon", GoType::String),
        ("apiVersion", GoType::String),
        ("condition", GoType::String),
        ("tags", GoType::String),
        ("appVersion", GoType::String),
        ("deprecated", GoType::Bool),
        ("annotations", GoType::Map(&GoType::String)),
        ("kubeVersion", GoType::String),
        (
            "dependencies",
            GoType::Slice(&GoType::Ptr(&GoType::Struct(&DEPENDENCY))),
        ),
        ("type", GoType::String),
    ],
};

/// Helm's chart.Lock (`generated` is a time.Time, which takes no string coercion).
static LOCK: GoStruct = GoStruct {
    go_name: "v2.Lock",
    name: "Lock",
    fields: &[
        ("generated", GoType::Any),
        ("digest", GoType::String),
        (
            "dependencies",
            GoType::Slice(&GoType::Ptr(&GoType::Struct(&DEPENDENCY))),
        ),
    ],
};

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        _ => String::new(),
    }
}

fn texts(v: &Value) -> Vec<String> {
    v.as_list()
        .map(|l| l.iter().map(text).collect())
        .unwrap_or_default()
}

fn dependency_from(m: &Map) -> Dependency {
    let get = |k: &str| m.get(k).unwrap_or_default();
    Dependency {
        name: text(&get("name")),
        version: text(&get("version")),
        repository: text(&get("repository")),
        condition: text(&get("condition")),
        tags: texts(&get("tags")),
        enabled: matches!(get("enabled"), Value::Bool(true)),
        import_values: get("import-values")
            .as_list()
            .map(|l| l.to_vec())
            .unwrap_or_default(),
        alias: text(&get("alias")),
    }
}

/// A decoded `[]*Dependency`, and where its first null entry was.
fn dependencies_from(v: &Value) -> (Vec<Dependency>, Option<usize>) {
    let mut out = Vec::new();
    let mut null_at = None;
    for e in v.as_list().map(|l| l.to_vec()).unwrap_or_default() {
        match e {
            Value::Map(m) => out.push(dependency_from(&m)),
            _ => {
                if null_at.is_none() {
                    null_at = Some(out.len());
                }
            }
        }
    }
    (out, null_at)
}

/// sigs.k8s.io/yaml.Unmarshal of Chart.yaml (or requirements.yaml) text into `md`: the fields
/// the document has overwrite (requirements.yaml is decoded into the same Metadata). Errors in
/// sigs.k8s.io/yaml's and encoding/json's words.
pub fn decode_metadata_into(md: &mut Metadata, text_in: &str) -> Result<(), String> {
    let v = crate::yaml::unmarshal_typed(text_in.as_bytes(), &GoType::Struct(&METADATA))
        .map_err(|e| e.to_string())?;
    let Value::Map(m) = v else {
        return Ok(());
    };
    for (k, v) in m.entries() {
        match &*k {
            "name" => md.name = text(&v),
            "home" => md.home = text(&v),
            "sources" => md.sources = texts(&v),
            "version" => md.version = text(&v),
            "description" => md.description = text(&v),
            "keywords" => md.keywords = texts(&v),
            "maintainers" => {
                md.maintainers = Vec::new();
                md.null_maintainer = false;
                for e in v.as_list().map(|l| l.to_vec()).unwrap_or_default() {
                    match e {
                        Value::Map(mm) => {
                            let g = |k: &str| text(&mm.get(k).unwrap_or_default());
                            md.maintainers.push(Maintainer {
                                name: g("name"),
                                email: g("email"),
                                url: g("url"),
                            });
                        }
                        _ => md.null_maintainer = true,
                    }
                }
            }
            "icon" => md.icon = text(&v),
            "apiVersion" => md.api_version = text(&v),
            "condition" => md.condition = text(&v),
            "tags" => md.tags = text(&v),
            "appVersion" => md.app_version = text(&v),
            "deprecated" => md.deprecated = matches!(v, Value::Bool(true)),
            "annotations" => {
                // Decoding into an existing map adds to it, as encoding/json does.
                let mut ann = md.annotations.take().unwrap_or_default();
                if let Value::Map(a) = &v {
                    for (ak, av) in a.entries() {
                        ann.insert(ak.to_string(), text(&av));
                    }
                }
                md.annotations = Some(ann);
            }
            "kubeVersion" => md.kube_version = text(&v),
            "dependencies" => {
                let (deps, null_at) = dependencies_from(&v);
                md.dependencies = Some(deps);
                md.null_dependency = null_at;
            }
            "type" => md.type_ = text(&v),
            _ => {}
        }
    }
    Ok(())
}

/// Parses Chart.yaml text into Metadata (without validation): Helm's `yaml.Unmarshal` step of
/// LoadFiles, errors in its words (without the "cannot load Chart.yaml: " prefix).
pub fn parse_metadata(text_in: &str) -> Result<Metadata, String> {
    let mut md = Metadata::default();
    decode_metadata_into(&mut md, text_in)?;
    Ok(md)
}

/// Whether `s` is RFC 3339 as Go's time.Time JSON decoding accepts it.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !(digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(b.get(10), Some(b'T' | b't'))
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19))
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            digits(i + 1..i + 3)
                && b.get(i + 3) == Some(&b':')
                && digits(i + 4..i + 6)
                && i + 6 == b.len()
        }
        _ => false,
    }
}

/// Parses Chart.lock / requirements.lock text.
pub fn parse_lock(text_in: &str) -> Result<Lock, String> {
    let v = crate::yaml::unmarshal_typed(text_in.as_bytes(), &GoType::Struct(&LOCK))
        .map_err(|e| e.to_string())?;
    let mut lock = Lock::default();
    let Value::Map(m) = v else {
        return Ok(lock);
    };
    if let Some(g) = m.get("generated") {
        match g {
            Value::String(s) if is_rfc3339(&s) => lock.generated = s.to_string(),
            Value::String(s) => {
                let q = crate::engine::printf::quote(&s);
                return Err(format!(
                    "error unmarshaling JSON: while decoding JSON: parsing time {q} as \"2006-01-02T15:04:05Z07:00\": cannot parse {q} as \"2006\""
                ));
            }
            _ => {
                return Err("error unmarshaling JSON: while decoding JSON: Time.UnmarshalJSON: input is not a JSON string".into())
            }
        }
    }
    lock.digest = text(&m.get("digest").unwrap_or_default());
    lock.dependencies = dependencies_from(&m.get("dependencies").unwrap_or_default()).0;
    Ok(lock)
}

/// Helm's sanitizeString: white space becomes a space, unprintable characters go.
pub fn sanitize_string(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() || is_go_space(c) {
                Some(' ')
            } else if crate::engine::printf::is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// unicode.IsSpace beyond Rust's White_Space: U+0085 and U+00A0 are both in Go's list and Rust's,
/// so this only documents the equivalence.
fn is_go_space(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{A0}')
}

/// Helm's `^[a-zA-Z0-9_-]+$` for aliases.
fn valid_alias(a: &str) -> bool {
    !a.is_empty()
        && a.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Helm's Metadata.Validate (the text after "validation: "), sanitizing strings in place.
pub fn validate(md: &mut Metadata) -> Result<(), String> {
    for s in [
        &mut md.name,
        &mut md.description,
        &mut md.home,
        &mut md.icon,
        &mut md.condition,
        &mut md.tags,
        &mut md.app_version,
        &mut md.kube_version,
    ] {
        *s = sanitize_string(s);
    }
    for s in md.sources.iter_mut().chain(md.keywords.iter_mut()) {
        *s = sanitize_string(s);
    }
    if md.api_version.is_empty() {
        return Err("chart.metadata.apiVersion is required".into());
    }
    if md.name.is_empty() {
        return Err("chart.metadata.name is required".into());
    }
    let q = crate::engine::printf::quote;
    if md.name == "." || md.name == ".." {
        return Err(format!(
            "chart.metadata.name {} is not allowed",
            q(&md.name)
        ));
    }
    if md.name != super::ignore::go_base(&md.name) {
        return Err(format!("chart.metadata.name {} is invalid", q(&md.name)));
    }
    if md.version.is_empty() {
        return Err("chart.metadata.version is required".into());
    }
    if !super::semver::is_valid_version(&md.version) {
        return Err(format!(
            "chart.metadata.version {} is invalid",
            q(&md.version)
        ));
    }
    if !matches!(md.type_.as_str(), "" | "application" | "library") {
        return Err("chart.metadata.type must be application or library".into());
    }
    if md.null_maintainer {
        return Err("maintainers must not contain empty or null nodes".into());
    }
    for m in &mut md.maintainers {
        m.name = sanitize_string(&m.name);
        m.email = sanitize_string(&m.email);
        m.url = sanitize_string(&m.url);
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(deps) = &mut md.dependencies {
        for (i, d) in deps.iter_mut().enumerate() {
            if md.null_dependency == Some(i) {
                return Err("dependencies must not contain empty or null nodes".into());
            }
            d.name = sanitize_string(&d.name);
            d.version = sanitize_string(&d.version);
            d.repository = sanitize_string(&d.repository);
            d.condition = sanitize_string(&d.condition);
            for t in &mut d.tags {
                *t = sanitize_string(t);
            }
            if !d.alias.is_empty() && !valid_alias(&d.alias) {
                return Err(format!(
                    "dependency {} has disallowed characters in the alias",
                    q(&d.name)
                ));
            }
            let key = if d.alias.is_empty() {
                d.name.clone()
            } else {
                d.alias.clone()
            };
            if !seen.insert(key.clone()) {
                return Err(format!(
                    "more than one dependency with name or alias {}",
                    q(&key)
                ));
            }
        }
        if md.null_dependency.is_some() {
            return Err("dependencies must not contain empty or null nodes".into());
        }
    }
    Ok(())
}

fn put_str(m: &Map, key: &str, v: &str) {
    if !v.is_empty() {
        m.insert(key, Value::str(v));
    }
}

fn put_strings(m: &Map, key: &str, v: &[String]) {
    if !v.is_empty() {
        m.insert(key, Value::list(v.iter().map(|s| Value::str(s)).collect()));
    }
}

/// A Dependency as encoding/json marshals it (name and repository always present).
pub fn dependency_value(d: &Dependency) -> Value {
    let m = Map::new();
    m.insert("name", Value::str(&d.name));
    put_str(&m, "version", &d.version);
    m.insert("repository", Value::str(&d.repository));
    put_str(&m, "condition", &d.condition);
    put_strings(&m, "tags", &d.tags);
    if d.enabled {
        m.insert("enabled", Value::Bool(true));
    }
    if !d.import_values.is_empty() {
        m.insert("import-values", Value::list(d.import_values.clone()));
    }
    put_str(&m, "alias", &d.alias);
    Value::Map(m)
}

/// Metadata as encoding/json marshals it (json tags, omitempty): what Helm writes as Chart.yaml
/// when packaging (apiVersion v1 charts without their dependencies).
pub fn metadata_value(md: &Metadata) -> Value {
    let m = Map::new();
    put_str(&m, "name", &md.name);
    put_str(&m, "home", &md.home);
    put_strings(&m, "sources", &md.sources);
    put_str(&m, "version", &md.version);
    put_str(&m, "description", &md.description);
    put_strings(&m, "keywords", &md.keywords);
    if !md.maintainers.is_empty() {
        m.insert(
            "maintainers",
            Value::list(
                md.maintainers
                    .iter()
                    .map(|mt| {
                        let mm = Map::new();
                        put_str(&mm, "name", &mt.name);
                        put_str(&mm, "email", &mt.email);
                        put_str(&mm, "url", &mt.url);
                        Value::Map(mm)
                    })
                    .collect(),
            ),
        );
    }
    put_str(&m, "icon", &md.icon);
    put_str(&m, "apiVersion", &md.api_version);
    put_str(&m, "condition", &md.condition);
    put_str(&m, "tags", &md.tags);
    put_str(&m, "appVersion", &md.app_version);
    if md.deprecated {
        m.insert("deprecated", Value::Bool(true));
    }
    if let Some(a) = &md.annotations {
        if !a.is_empty() {
            let am = Map::new();
            for (k, v) in a {
                am.insert(k.as_str(), Value::str(v));
            }
            m.insert("annotations", Value::Map(am));
        }
    }
    put_str(&m, "kubeVersion", &md.kube_version);
    if md.api_version != "v1" {
        if let Some(deps) = &md.dependencies {
            if !deps.is_empty() {
                m.insert(
                    "dependencies",
                    Value::list(deps.iter().map(dependency_value).collect()),
                );
            }
        }
    }
    put_str(&m, "type", &md.type_);
    Value::Map(m)
}

/// A Lock as encoding/json marshals it.
pub fn lock_value(lock: &Lock) -> Value {
    let m = Map::new();
    m.insert("generated", Value::str(&lock.generated));
    m.insert("digest", Value::str(&lock.digest));
    m.insert(
        "dependencies",
        if lock.dependencies.is_empty() {
            Value::Nil
        } else {
            Value::list(lock.dependencies.iter().map(dependency_value).collect())
        },
    );
    Value::Map(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_chart_yaml_like_helm() {
        // What real Helm shows for these (tests/data/charts/chart-yaml-quirks has the rest).
        let md = parse_metadata(
            "APIVERSION: v2\nname: a\nName: b\nversion: 1.0\nappVersion: 1.10\nkeywords: [1, true, null]\n",
        )
        .unwrap();
        assert_eq!(md.api_version, "v2");
        assert_eq!(md.name, "a");
        assert_eq!(md.version, "1");
        assert_eq!(md.app_version, "1.1");
        assert_eq!(md.keywords, vec!["1", "true", ""]);
        assert_eq!(
            parse_metadata("maintainers: [{name: [1]}]\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Maintainer.maintainers.name of type string"
        );
        assert_eq!(
            parse_metadata("dependencies: x\n").unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.dependencies of type []*v2.Dependency"
        );
        let md =
            parse_metadata("dependencies: [{name: a, import-values: [x, 3]}, null]\n").unwrap();
        assert_eq!(md.null_dependency, Some(1));
        assert_eq!(
            md.dependencies.unwrap()[0].import_values,
            vec![Value::str("x"), Value::Float(3.0)]
        );
    }

    #[test]
    fn rfc3339_times() {
        assert!(is_rfc3339("2024-01-02T03:04:05Z"));
        assert!(is_rfc3339("2024-01-02T03:04:05.123456789+02:00"));
        assert!(!is_rfc3339("2024-01-02 03:04:05Z"));
        assert!(!is_rfc3339("yesterday"));
    }
}
