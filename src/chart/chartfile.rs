//! Chart.yaml, requirements.yaml and Chart.lock as Helm reads and writes them: sigs.k8s.io/yaml's
//! Unmarshal into Helm's structs (YAML → JSON → encoding/json), with its quirks — numbers and
//! booleans written where a string field is expected become strings (`appVersion: 1.10` is "1.1",
//! floats printed with float32 precision), keys match field names case-insensitively, the first
//! type mismatch is reported in encoding/json's words — then Metadata.Validate with its
//! sanitizing. Writing goes the other way (json tags, omitempty) for `helm package` and
//! `helm dependency update`.

use std::collections::BTreeMap;

use crate::engine::{Map, Value};

use super::model::{Dependency, Lock, Maintainer, Metadata};

/// sigs.k8s.io/yaml's wording around a decode error.
fn json_error(msg: &str) -> String {
    format!("error unmarshaling JSON: while decoding JSON: json: {msg}")
}

/// The JSON kind encoding/json names in type errors.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "null",
        Value::Bool(_) => "bool",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::Int(_) | Value::Int64(_) | Value::Uint(_) | Value::Float(_) => "number",
        Value::List(_) => "array",
        _ => "object",
    }
}

/// strconv.FormatFloat(f, 'g', -1, 32): the shortest digits that identify the float32.
pub fn format_float32_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    let f32v = f as f32;
    if f32v.is_infinite() {
        return if f32v > 0.0 { "+Inf" } else { "-Inf" }.into();
    }
    if f32v == 0.0 {
        return if f32v.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.6777216e7", "-1e-7".
    let e = format!("{f32v:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

/// What a field of one of Helm's structs is, for decoding and error messages.
#[derive(Clone, Copy)]
enum Ty {
    String,
    Bool,
    Strings,
    StringMap,
    Any,
    Anys,
    Time,
}

impl Ty {
    fn go_name(self) -> &'static str {
        match self {
            Ty::String => "string",
            Ty::Bool => "bool",
            Ty::Strings => "[]string",
            Ty::StringMap => "map[string]string",
            Ty::Any => "interface {}",
            Ty::Anys => "[]interface {}",
            Ty::Time => "time.Time",
        }
    }
}

/// encoding/json decoding state: the first error wins, decoding goes on.
struct Dec {
    err: Option<String>,
}

impl Dec {
    fn type_error(&mut self, got: &Value, strukt: &str, path: &str, ty: &str) {
        if self.err.is_none() {
            self.err = Some(format!(
                "cannot unmarshal {} into Go struct field {strukt}.{path} of type {ty}",
                kind(got)
            ));
        }
    }

    /// sigs.k8s.io/yaml's conversion of a scalar decoded into a string field, then JSON's.
    fn string(&mut self, v: &Value, strukt: &str, path: &str) -> Option<String> {
        match v {
            Value::String(s) => Some(s.to_string()),
            Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            Value::Int(i) | Value::Int64(i) => Some(i.to_string()),
            Value::Uint(u) => Some(u.to_string()),
            Value::Float(f) => Some(format_float32_g(*f)),
            Value::Bool(b) => Some(b.to_string()),
            Value::Nil => None,
            other => {
                self.type_error(other, strukt, path, "string");
                None
            }
        }
    }

    fn bool(&mut self, v: &Value, strukt: &str, path: &str) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            Value::Nil => None,
            other => {
                self.type_error(other, strukt, path, "bool");
                None
            }
        }
    }

    /// A `[]string`: None for null (nil slice).
    fn strings(&mut self, v: &Value, strukt: &str, path: &str) -> Option<Vec<String>> {
        match v {
            Value::List(l) => Some(
                l.iter()
                    .map(|e| self.string(e, strukt, path).unwrap_or_default())
                    .collect(),
            ),
            Value::Nil => None,
            other => {
                self.type_error(other, strukt, path, "[]string");
                None
            }
        }
    }

    fn string_map(
        &mut self,
        v: &Value,
        into: Option<BTreeMap<String, String>>,
        strukt: &str,
        path: &str,
    ) -> Option<BTreeMap<String, String>> {
        match v {
            Value::Map(m) => {
                let mut out = into.unwrap_or_default();
                for (k, e) in m.entries() {
                    let s = self.string(&e, strukt, path).unwrap_or_default();
                    out.insert(k.to_string(), s);
                }
                Some(out)
            }
            Value::Nil => None,
            other => {
                self.type_error(other, strukt, path, "map[string]string");
                into
            }
        }
    }

    /// JSON into `interface{}`: every number a float64.
    fn any(v: &Value) -> Value {
        match v {
            Value::Int(i) | Value::Int64(i) => Value::Float(*i as f64),
            Value::Uint(u) => Value::Float(*u as f64),
            Value::List(l) => Value::list(l.iter().map(Dec::any).collect()),
            Value::Map(m) => Value::Map(Map::from_entries(
                m.entries().into_iter().map(|(k, e)| (k, Dec::any(&e))),
            )),
            other => other.clone(),
        }
    }
}

/// Field lookup like encoding/json: an exact match of the JSON name wins, else a
/// case-insensitive one.
fn field<'a>(fields: &'a [(&'a str, Ty)], key: &str) -> Option<(&'a str, Ty)> {
    if let Some(f) = fields.iter().find(|(n, _)| *n == key) {
        return Some(*f);
    }
    let lower = key.to_lowercase();
    fields
        .iter()
        .find(|(n, _)| n.to_lowercase() == lower)
        .copied()
}

const METADATA_FIELDS: &[(&str, Ty)] = &[
    ("name", Ty::String),
    ("home", Ty::String),
    ("sources", Ty::Strings),
    ("version", Ty::String),
    ("description", Ty::String),
    ("keywords", Ty::Strings),
    ("maintainers", Ty::Any),
    ("icon", Ty::String),
    ("apiVersion", Ty::String),
    ("condition", Ty::String),
    ("tags", Ty::String),
    ("appVersion", Ty::String),
    ("deprecated", Ty::Bool),
    ("annotations", Ty::StringMap),
    ("kubeVersion", Ty::String),
    ("dependencies", Ty::Any),
    ("type", Ty::String),
];

const MAINTAINER_FIELDS: &[(&str, Ty)] = &[
    ("name", Ty::String),
    ("email", Ty::String),
    ("url", Ty::String),
];

const DEPENDENCY_FIELDS: &[(&str, Ty)] = &[
    ("name", Ty::String),
    ("version", Ty::String),
    ("repository", Ty::String),
    ("condition", Ty::String),
    ("tags", Ty::Strings),
    ("enabled", Ty::Bool),
    ("import-values", Ty::Anys),
    ("alias", Ty::String),
];

const LOCK_FIELDS: &[(&str, Ty)] = &[
    ("generated", Ty::Time),
    ("digest", Ty::String),
    ("dependencies", Ty::Any),
];

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

fn set_string(dec: &mut Dec, slot: &mut String, v: &Value, strukt: &str, path: &str) {
    if let Some(s) = dec.string(v, strukt, path) {
        *slot = s;
    }
}

fn decode_maintainer(dec: &mut Dec, m: &Map, prefix: &str) -> Maintainer {
    let mut out = Maintainer::default();
    for (k, v) in m.entries() {
        let Some((name, _)) = field(MAINTAINER_FIELDS, &k) else {
            continue;
        };
        let path = join(prefix, name);
        let slot = match name {
            "name" => &mut out.name,
            "email" => &mut out.email,
            _ => &mut out.url,
        };
        set_string(dec, slot, &v, "Maintainer", &path);
    }
    out
}

fn decode_dependency(dec: &mut Dec, m: &Map, prefix: &str) -> Dependency {
    let mut d = Dependency::default();
    for (k, v) in m.entries() {
        let Some((name, _)) = field(DEPENDENCY_FIELDS, &k) else {
            continue;
        };
        let path = join(prefix, name);
        match name {
            "name" => set_string(dec, &mut d.name, &v, "Dependency", &path),
            "version" => set_string(dec, &mut d.version, &v, "Dependency", &path),
            "repository" => set_string(dec, &mut d.repository, &v, "Dependency", &path),
            "condition" => set_string(dec, &mut d.condition, &v, "Dependency", &path),
            "alias" => set_string(dec, &mut d.alias, &v, "Dependency", &path),
            "tags" => d.tags = dec.strings(&v, "Dependency", &path).unwrap_or_default(),
            "enabled" => {
                if let Some(b) = dec.bool(&v, "Dependency", &path) {
                    d.enabled = b;
                }
            }
            _ => match &v {
                Value::List(l) => d.import_values = l.iter().map(Dec::any).collect(),
                Value::Nil => d.import_values = Vec::new(),
                other => dec.type_error(other, "Dependency", &path, Ty::Anys.go_name()),
            },
        }
    }
    d
}

/// Decodes a `[]*Dependency` field; `null_entry` records where the first null element was.
fn decode_dependencies(
    dec: &mut Dec,
    v: &Value,
    strukt: &str,
    path: &str,
    null_entry: &mut Option<usize>,
) -> Option<Vec<Dependency>> {
    match v {
        Value::List(l) => {
            let mut out = Vec::new();
            for e in l.iter() {
                match e {
                    Value::Map(m) => out.push(decode_dependency(dec, m, path)),
                    Value::Nil => {
                        if null_entry.is_none() {
                            *null_entry = Some(out.len());
                        }
                    }
                    other => dec.type_error(other, strukt, path, "v2.Dependency"),
                }
            }
            Some(out)
        }
        Value::Nil => None,
        other => {
            dec.type_error(other, strukt, path, "[]*v2.Dependency");
            None
        }
    }
}

fn top_level_map(v: &Value, go_type: &str) -> Result<Option<Map>, String> {
    match v {
        Value::Map(m) => Ok(Some(m.clone())),
        Value::Nil => Ok(None),
        other => Err(json_error(&format!(
            "cannot unmarshal {} into Go value of type {go_type}",
            kind(other)
        ))),
    }
}

/// sigs.k8s.io/yaml.Unmarshal of a parsed document into `md` (fields present overwrite, like
/// decoding into an existing struct; requirements.yaml is decoded into the same Metadata).
pub fn decode_metadata_into(md: &mut Metadata, doc: &Value) -> Result<(), String> {
    let Some(m) = top_level_map(doc, "v2.Metadata")? else {
        return Ok(());
    };
    let mut dec = Dec { err: None };
    for (k, v) in m.entries() {
        let Some((name, _)) = field(METADATA_FIELDS, &k) else {
            continue;
        };
        let slot: &mut String = match name {
            "name" => &mut md.name,
            "home" => &mut md.home,
            "version" => &mut md.version,
            "description" => &mut md.description,
            "icon" => &mut md.icon,
            "apiVersion" => &mut md.api_version,
            "condition" => &mut md.condition,
            "tags" => &mut md.tags,
            "appVersion" => &mut md.app_version,
            "kubeVersion" => &mut md.kube_version,
            "type" => &mut md.type_,
            "sources" => {
                md.sources = dec.strings(&v, "Metadata", name).unwrap_or_default();
                continue;
            }
            "keywords" => {
                md.keywords = dec.strings(&v, "Metadata", name).unwrap_or_default();
                continue;
            }
            "deprecated" => {
                if let Some(b) = dec.bool(&v, "Metadata", name) {
                    md.deprecated = b;
                }
                continue;
            }
            "annotations" => {
                md.annotations = dec.string_map(&v, md.annotations.take(), "Metadata", name);
                continue;
            }
            "maintainers" => {
                md.null_maintainer = false;
                md.maintainers = match &v {
                    Value::List(l) => {
                        let mut out = Vec::new();
                        for e in l.iter() {
                            match e {
                                Value::Map(mm) => out.push(decode_maintainer(&mut dec, mm, name)),
                                Value::Nil => md.null_maintainer = true,
                                other => dec.type_error(other, "Metadata", name, "v2.Maintainer"),
                            }
                        }
                        out
                    }
                    Value::Nil => Vec::new(),
                    other => {
                        dec.type_error(other, "Metadata", name, "[]*v2.Maintainer");
                        continue;
                    }
                };
                continue;
            }
            _ => {
                // dependencies
                md.null_dependency = None;
                md.dependencies =
                    decode_dependencies(&mut dec, &v, "Metadata", name, &mut md.null_dependency);
                continue;
            }
        };
        set_string(&mut dec, slot, &v, "Metadata", name);
    }
    match dec.err {
        Some(e) => Err(json_error(&e)),
        None => Ok(()),
    }
}

/// Parses Chart.yaml text into Metadata (without validation): Helm's `yaml.Unmarshal` step of
/// LoadFiles, errors in its words (without the "cannot load Chart.yaml: " prefix).
pub fn parse_metadata(text: &str) -> Result<Metadata, String> {
    let mut md = Metadata::default();
    let doc = crate::yaml::parse(text).map_err(|e| e.to_string())?;
    decode_metadata_into(&mut md, &doc)?;
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
pub fn parse_lock(text: &str) -> Result<Lock, String> {
    let doc = crate::yaml::parse(text).map_err(|e| e.to_string())?;
    let mut lock = Lock::default();
    let Some(m) = top_level_map(&doc, "v2.Lock")? else {
        return Ok(lock);
    };
    let mut dec = Dec { err: None };
    let mut null_dep = None;
    for (k, v) in m.entries() {
        let Some((name, _)) = field(LOCK_FIELDS, &k) else {
            continue;
        };
        match name {
            "digest" => set_string(&mut dec, &mut lock.digest, &v, "Lock", name),
            "generated" => match &v {
                Value::String(s) if is_rfc3339(s) => lock.generated = s.to_string(),
                Value::String(s) => {
                    if dec.err.is_none() {
                        dec.err = Some(format!(
                            "parsing time {} as \"2006-01-02T15:04:05Z07:00\": cannot parse {} as \"2006\"",
                            crate::engine::printf::quote(s),
                            crate::engine::printf::quote(s)
                        ));
                    }
                }
                Value::Nil => {}
                _ => {
                    if dec.err.is_none() {
                        dec.err = Some("Time.UnmarshalJSON: input is not a JSON string".into());
                    }
                }
            },
            _ => {
                lock.dependencies = decode_dependencies(&mut dec, &v, "Lock", name, &mut null_dep)
                    .unwrap_or_default()
            }
        }
    }
    match dec.err {
        Some(e) => Err(json_error(&e)),
        None => Ok(lock),
    }
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
    fn float32_g_like_go() {
        // Outputs of strconv.FormatFloat(f, 'g', -1, 32), seen through Helm (.Chart.AppVersion).
        assert_eq!(format_float32_g(1.1), "1.1");
        assert_eq!(format_float32_g(0.1234567891), "0.12345679");
        assert_eq!(format_float32_g(16777217.0), "1.6777216e+07");
        assert_eq!(format_float32_g(1e-7), "1e-07");
        assert_eq!(format_float32_g(1000.0), "1000");
        assert_eq!(format_float32_g(1e6), "1e+06");
        assert_eq!(format_float32_g(1.0), "1");
        assert_eq!(format_float32_g(f64::INFINITY), "+Inf");
        assert_eq!(format_float32_g(0.0001), "0.0001");
        assert_eq!(format_float32_g(123456.0), "123456");
    }

    fn map(pairs: &[(&str, Value)]) -> Value {
        let m = Map::new();
        for (k, v) in pairs {
            m.insert(*k, v.clone());
        }
        Value::Map(m)
    }

    #[test]
    fn decodes_like_encoding_json() {
        let doc = map(&[
            ("APIVERSION", Value::str("v2")),
            ("name", Value::str("a")),
            ("Name", Value::str("b")),
            ("appVersion", Value::Float(1.1)),
            (
                "keywords",
                Value::list(vec![Value::Float(1.0), Value::Bool(true), Value::Nil]),
            ),
        ]);
        let mut md = Metadata::default();
        decode_metadata_into(&mut md, &doc).unwrap();
        assert_eq!(md.api_version, "v2");
        assert_eq!(md.name, "a");
        assert_eq!(md.app_version, "1.1");
        assert_eq!(md.keywords, vec!["1", "true", ""]);
        let doc = map(&[(
            "maintainers",
            Value::list(vec![map(&[("name", Value::list(vec![Value::Float(1.0)]))])]),
        )]);
        assert_eq!(
            decode_metadata_into(&mut Metadata::default(), &doc).unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field Maintainer.maintainers.name of type string"
        );
        let doc = map(&[("dependencies", Value::str("x"))]);
        assert_eq!(
            decode_metadata_into(&mut Metadata::default(), &doc).unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.dependencies of type []*v2.Dependency"
        );
        assert_eq!(
            decode_metadata_into(&mut Metadata::default(), &Value::list(vec![])).unwrap_err(),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type v2.Metadata"
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
