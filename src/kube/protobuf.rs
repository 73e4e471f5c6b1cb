//! The Kubernetes protobuf wire format (`application/vnd.kubernetes.protobuf`,
//! k8s.io/apimachinery/pkg/runtime/serializer/protobuf) for the two kinds Helm's typed client
//! writes with it: `v1.Secret` and `v1.ConfigMap`, the release records of the `secret` and
//! `configmap` storage drivers.
//!
//! A body is the magic `k8s\0` followed by a `runtime.Unknown` message (`typeMeta` with
//! `apiVersion` and `kind`, `raw` holding the object, empty `contentEncoding` and
//! `contentType`). The object is encoded as the gogo-protobuf code generated for k8s.io/api
//! writes it: fields in number order, every non-pointer string and integer of `ObjectMeta`
//! written even when empty, map entries sorted by key, nil pointers (`immutable`,
//! `deletionTimestamp`) left out. [`encode`] produces Helm's bytes exactly (checked against the
//! request bodies Helm v4.2.3 sent in the release fixtures); [`decode`] reads them back into the
//! JSON the API server would store, for the test API server and for reading request logs.
//!
//! `kubectl create namespace` sends a Namespace the same way; [`decode`] reads those too.
//! Only what release records use is covered: `ObjectMeta`'s scalar fields, labels,
//! annotations, finalizers and owner references; objects with other metadata (managed fields)
//! are not encoded ([`encode`] returns `None`, and callers send JSON instead).

use crate::engine::sort::SliceSort;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::kube::time::Time;

/// The media type.
pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";
/// The 4-byte prefix of every protobuf body.
pub const MAGIC: &[u8; 4] = b"k8s\x00";

/// Nesting and size bounds for decoding untrusted bodies.
const MAX_DEPTH: usize = 8;

// ----- writing --------------------------------------------------------------------------------

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_key(out: &mut Vec<u8>, field: u32, wire: u8) {
    put_varint(out, (u64::from(field) << 3) | u64::from(wire));
}

fn put_bytes(out: &mut Vec<u8>, field: u32, b: &[u8]) {
    put_key(out, field, 2);
    put_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn put_uint(out: &mut Vec<u8>, field: u32, v: u64) {
    put_key(out, field, 0);
    put_varint(out, v);
}

/// A `map<string, string|bytes>` entry.
fn put_entry(out: &mut Vec<u8>, field: u32, key: &str, value: &[u8]) {
    let mut e = Vec::with_capacity(key.len() + value.len() + 6);
    put_bytes(&mut e, 1, key.as_bytes());
    put_bytes(&mut e, 2, value);
    put_bytes(out, field, &e);
}

/// A JSON map of strings, sorted by key (Go's generated code sorts map keys).
fn string_map(v: Option<&Value>) -> Option<Vec<(String, String)>> {
    match v {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Object(m)) => {
            let mut out = Vec::with_capacity(m.len());
            for (k, v) in m {
                out.push((k.clone(), v.as_str()?.to_string()));
            }
            out.sort_stable();
            Some(out)
        }
        Some(_) => None,
    }
}

fn str_field<'a>(m: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    match m.get(k) {
        None | Some(Value::Null) => Some(""),
        Some(Value::String(s)) => Some(s),
        Some(_) => None,
    }
}

/// `ObjectMeta`, or `None` when it holds fields this encoder does not cover.
fn encode_meta(meta: Option<&Value>) -> Option<Vec<u8>> {
    let empty = Map::new();
    let m = match meta {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => return None,
    };
    const KNOWN: [&str; 11] = [
        "name",
        "generateName",
        "namespace",
        "selfLink",
        "uid",
        "resourceVersion",
        "generation",
        "creationTimestamp",
        "labels",
        "annotations",
        "finalizers",
    ];
    if m.keys().any(|k| !KNOWN.contains(&k.as_str())) {
        return None;
    }
    let mut out = Vec::new();
    for (i, k) in ["name", "generateName", "namespace", "selfLink", "uid"]
        .iter()
        .enumerate()
    {
        put_bytes(&mut out, i as u32 + 1, str_field(m, k)?.as_bytes());
    }
    put_bytes(&mut out, 6, str_field(m, "resourceVersion")?.as_bytes());
    let generation = match m.get("generation") {
        None | Some(Value::Null) => 0,
        Some(v) => v.as_i64()?,
    };
    put_uint(&mut out, 7, generation as u64);
    // metav1.Time as a Timestamp message: seconds (1) and nanos (2), zeros left out
    let mut ts = Vec::new();
    match str_field(m, "creationTimestamp")? {
        "" => {}
        s => {
            let t = Time::parse_rfc3339(s)?;
            if t.unix() != 0 {
                put_uint(&mut ts, 1, t.unix() as u64);
            }
        }
    }
    put_bytes(&mut out, 8, &ts);
    for (field, key) in [(11, "labels"), (12, "annotations")] {
        for (k, v) in string_map(m.get(key))? {
            put_entry(&mut out, field, &k, v.as_bytes());
        }
    }
    match m.get("finalizers") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) => {
            for f in a {
                put_bytes(&mut out, 14, f.as_str()?.as_bytes());
            }
        }
        Some(_) => return None,
    }
    Some(out)
}

/// The protobuf body for a `v1` Secret or ConfigMap given as JSON, exactly as client-go's
/// protobuf serializer writes it; `None` for other objects or fields this encoder does not
/// cover (send JSON then).
pub fn encode(obj: &Value) -> Option<Vec<u8>> {
    let o = obj.as_object()?;
    if o.get("apiVersion").and_then(Value::as_str) != Some("v1") {
        return None;
    }
    let kind = o.get("kind").and_then(Value::as_str)?;
    let mut raw = Vec::new();
    put_bytes(&mut raw, 1, &encode_meta(o.get("metadata"))?);
    match kind {
        "Secret" => {
            let allowed = [
                "apiVersion",
                "kind",
                "metadata",
                "data",
                "type",
                "stringData",
                "immutable",
            ];
            if o.keys().any(|k| !allowed.contains(&k.as_str())) {
                return None;
            }
            for (k, v) in string_map(o.get("data"))? {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(v.as_bytes())
                    .ok()?;
                put_entry(&mut raw, 2, &k, &bytes);
            }
            put_bytes(&mut raw, 3, str_field(o, "type")?.as_bytes());
            for (k, v) in string_map(o.get("stringData"))? {
                put_entry(&mut raw, 4, &k, v.as_bytes());
            }
            match o.get("immutable") {
                None | Some(Value::Null) => {}
                Some(v) => put_uint(&mut raw, 5, u64::from(v.as_bool()?)),
            }
        }
        "ConfigMap" => {
            let allowed = [
                "apiVersion",
                "kind",
                "metadata",
                "data",
                "binaryData",
                "immutable",
            ];
            if o.keys().any(|k| !allowed.contains(&k.as_str())) {
                return None;
            }
            for (k, v) in string_map(o.get("data"))? {
                put_entry(&mut raw, 2, &k, v.as_bytes());
            }
            for (k, v) in string_map(o.get("binaryData"))? {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(v.as_bytes())
                    .ok()?;
                put_entry(&mut raw, 3, &k, &bytes);
            }
            match o.get("immutable") {
                None | Some(Value::Null) => {}
                Some(v) => put_uint(&mut raw, 4, u64::from(v.as_bool()?)),
            }
        }
        _ => return None,
    }
    let mut type_meta = Vec::new();
    put_bytes(&mut type_meta, 1, b"v1");
    put_bytes(&mut type_meta, 2, kind.as_bytes());
    let mut out = MAGIC.to_vec();
    put_bytes(&mut out, 1, &type_meta);
    put_bytes(&mut out, 2, &raw);
    put_bytes(&mut out, 3, b"");
    put_bytes(&mut out, 4, b"");
    Some(out)
}

// ----- reading --------------------------------------------------------------------------------

/// One field of a message.
#[derive(Debug)]
enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

fn varint(b: &[u8], i: &mut usize) -> Result<u64, String> {
    let mut v: u64 = 0;
    for shift in (0..70).step_by(7) {
        let Some(&c) = b.get(*i) else {
            return Err("unexpected end of protobuf data".into());
        };
        *i += 1;
        if shift == 63 && c > 1 {
            return Err("protobuf varint overflows 64 bits".into());
        }
        v |= u64::from(c & 0x7f) << shift;
        if c & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("protobuf varint overflows 64 bits".into())
}

fn fields(b: &[u8]) -> Result<Vec<(u64, Field<'_>)>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let key = varint(b, &mut i)?;
        let (num, wire) = (key >> 3, key & 7);
        let f = match wire {
            0 => Field::Varint(varint(b, &mut i)?),
            2 => {
                let len = varint(b, &mut i)?;
                let end = usize::try_from(len)
                    .ok()
                    .and_then(|l| i.checked_add(l))
                    .filter(|&e| e <= b.len())
                    .ok_or("protobuf length runs past the end of the data")?;
                let s = &b[i..end];
                i = end;
                Field::Bytes(s)
            }
            1 | 5 => {
                let n = if wire == 1 { 8 } else { 4 };
                if i + n > b.len() {
                    return Err("unexpected end of protobuf data".into());
                }
                i += n;
                Field::Fixed
            }
            w => return Err(format!("unsupported protobuf wire type {w}")),
        };
        out.push((num, f));
    }
    Ok(out)
}

fn text(b: &[u8]) -> Result<String, String> {
    String::from_utf8(b.to_vec()).map_err(|_| "invalid UTF-8 in protobuf string".to_string())
}

/// A map entry: key and value bytes.
fn entry(b: &[u8]) -> Result<(String, Vec<u8>), String> {
    let mut k = String::new();
    let mut v = Vec::new();
    for (n, f) in fields(b)? {
        match (n, f) {
            (1, Field::Bytes(s)) => k = text(s)?,
            (2, Field::Bytes(s)) => v = s.to_vec(),
            _ => {}
        }
    }
    Ok((k, v))
}

fn map_insert(m: &mut Map<String, Value>, field: &str, k: String, v: Value) {
    if let Value::Object(inner) = m
        .entry(field.to_string())
        .or_insert_with(|| Value::Object(Map::new()))
    {
        inner.insert(k, v);
    }
}

fn decode_owner_ref(b: &[u8]) -> Result<Value, String> {
    let mut m = Map::new();
    for (n, f) in fields(b)? {
        match (n, f) {
            (5, Field::Bytes(s)) => {
                m.insert("apiVersion".into(), json!(text(s)?));
            }
            (1, Field::Bytes(s)) => {
                m.insert("kind".into(), json!(text(s)?));
            }
            (3, Field::Bytes(s)) => {
                m.insert("name".into(), json!(text(s)?));
            }
            (4, Field::Bytes(s)) => {
                m.insert("uid".into(), json!(text(s)?));
            }
            (6, Field::Varint(v)) => {
                m.insert("controller".into(), json!(v != 0));
            }
            (7, Field::Varint(v)) => {
                m.insert("blockOwnerDeletion".into(), json!(v != 0));
            }
            _ => {}
        }
    }
    Ok(Value::Object(m))
}

fn decode_meta(b: &[u8], depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("protobuf nesting too deep".into());
    }
    let mut m = Map::new();
    let names = [
        (1, "name"),
        (2, "generateName"),
        (3, "namespace"),
        (4, "selfLink"),
        (5, "uid"),
        (6, "resourceVersion"),
    ];
    for (n, f) in fields(b)? {
        match (n, f) {
            (n, Field::Bytes(s)) if n <= 6 => {
                let v = text(s)?;
                if !v.is_empty() {
                    if let Some((_, k)) = names.iter().find(|(i, _)| *i == n) {
                        m.insert((*k).into(), json!(v));
                    }
                }
            }
            (7, Field::Varint(v)) if v != 0 => {
                m.insert("generation".into(), json!(v as i64));
            }
            (8 | 9, Field::Bytes(s)) => {
                let mut secs = 0i64;
                for (tn, tf) in fields(s)? {
                    if let (1, Field::Varint(v)) = (tn, tf) {
                        secs = v as i64;
                    }
                }
                if secs != 0 {
                    let k = if n == 8 {
                        "creationTimestamp"
                    } else {
                        "deletionTimestamp"
                    };
                    m.insert(k.into(), json!(Time(secs).rfc3339()));
                }
            }
            (11 | 12, Field::Bytes(s)) => {
                let (k, v) = entry(s)?;
                let field = if n == 11 { "labels" } else { "annotations" };
                map_insert(&mut m, field, k, json!(text(&v)?));
            }
            (13, Field::Bytes(s)) => {
                let r = decode_owner_ref(s)?;
                if let Value::Array(a) = m
                    .entry("ownerReferences".to_string())
                    .or_insert_with(|| Value::Array(Vec::new()))
                {
                    a.push(r);
                }
            }
            (14, Field::Bytes(s)) => {
                let f = text(s)?;
                if let Value::Array(a) = m
                    .entry("finalizers".to_string())
                    .or_insert_with(|| Value::Array(Vec::new()))
                {
                    a.push(json!(f));
                }
            }
            _ => {}
        }
    }
    Ok(Value::Object(m))
}

/// Reads a protobuf body (Secret or ConfigMap) into the JSON object it stands for. Other kinds
/// are refused with the API server's words.
pub fn decode(body: &[u8]) -> Result<Value, String> {
    let rest = body.strip_prefix(MAGIC.as_slice()).ok_or(
        "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
    )?;
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), &[][..]);
    for (n, f) in fields(rest)? {
        match (n, f) {
            (1, Field::Bytes(tm)) => {
                for (tn, tf) in fields(tm)? {
                    match (tn, tf) {
                        (1, Field::Bytes(s)) => api_version = text(s)?,
                        (2, Field::Bytes(s)) => kind = text(s)?,
                        _ => {}
                    }
                }
            }
            (2, Field::Bytes(s)) => raw = s,
            _ => {}
        }
    }
    if api_version != "v1" || !matches!(kind.as_str(), "Secret" | "ConfigMap" | "Namespace") {
        return Err(format!(
            "no kind {kind:?} is registered for version {api_version:?} in the protobuf decoder"
        ));
    }
    let mut obj = Map::new();
    obj.insert("apiVersion".into(), json!(api_version));
    obj.insert("kind".into(), json!(kind));
    let b64 = |v: &[u8]| json!(base64::engine::general_purpose::STANDARD.encode(v));
    for (n, f) in fields(raw)? {
        match (kind.as_str(), n, f) {
            (_, 1, Field::Bytes(s)) => {
                obj.insert("metadata".into(), decode_meta(s, 1)?);
            }
            ("Secret", 2, Field::Bytes(s)) => {
                let (k, v) = entry(s)?;
                map_insert(&mut obj, "data", k, b64(&v));
            }
            ("Secret", 3, Field::Bytes(s)) => {
                let t = text(s)?;
                if !t.is_empty() {
                    obj.insert("type".into(), json!(t));
                }
            }
            ("Secret", 4, Field::Bytes(s)) => {
                let (k, v) = entry(s)?;
                map_insert(&mut obj, "stringData", k, json!(text(&v)?));
            }
            ("Secret", 5, Field::Varint(v)) | ("ConfigMap", 4, Field::Varint(v)) => {
                obj.insert("immutable".into(), json!(v != 0));
            }
            ("ConfigMap", 2, Field::Bytes(s)) => {
                let (k, v) = entry(s)?;
                map_insert(&mut obj, "data", k, json!(text(&v)?));
            }
            ("Namespace", 2, Field::Bytes(s)) => {
                // NamespaceSpec: finalizers (1)
                let mut fins = Vec::new();
                for (fnum, f) in fields(s)? {
                    if let (1, Field::Bytes(b)) = (fnum, f) {
                        fins.push(json!(text(b)?));
                    }
                }
                if !fins.is_empty() {
                    obj.insert("spec".into(), json!({"finalizers": fins}));
                }
            }
            ("ConfigMap", 3, Field::Bytes(s)) => {
                let (k, v) = entry(s)?;
                map_insert(&mut obj, "binaryData", k, b64(&v));
            }
            _ => {}
        }
    }
    Ok(Value::Object(obj))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(rel: &str) -> String {
        let p = format!(
            "{}/../shared/release-fixtures/{rel}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    /// The Secrets Helm v4.2.3 sent: decoding gives the object Helm built, and encoding that
    /// object gives Helm's bytes back, byte for byte.
    #[test]
    fn helm_secret_bodies_round_trip() {
        for step in ["1-POST-pending-install", "4-PUT-deployed"] {
            let b64 = fixture(&format!(
                "v4.2.3-secret-driver/secret-v1/{step}.protobuf-body.b64"
            ));
            let body = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .unwrap();
            let sent: Value = serde_json::from_str(&fixture(&format!(
                "v4.2.3-secret-driver/secret-v1/{step}.secret-as-sent.json"
            )))
            .unwrap();
            let decoded = decode(&body).unwrap();
            assert_eq!(decoded, sent, "{step}");
            assert_eq!(encode(&sent).unwrap(), body, "{step}");
        }
    }

    #[test]
    fn helm_configmap_body_round_trips() {
        let b64 = fixture("v4.2.3-kubectl-views/configmap-demo-v2.protobuf-body.b64");
        let body = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .unwrap();
        let sent: Value = serde_json::from_str(&fixture(
            "v4.2.3-kubectl-views/configmap-demo-v2.as-sent.json",
        ))
        .unwrap();
        assert_eq!(decode(&body).unwrap(), sent);
        assert_eq!(encode(&sent).unwrap(), body);
    }

    #[test]
    fn objects_outside_the_covered_fields_are_not_encoded() {
        assert!(encode(&json!({"apiVersion": "v1", "kind": "Pod", "metadata": {}})).is_none());
        assert!(encode(&json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"managedFields": []}}))
        .is_none());
        assert!(
            encode(&json!({"apiVersion": "v1", "kind": "Secret", "data": {"a": "!!"}})).is_none()
        );
        let full = json!({"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "s", "namespace": "ns", "uid": "u", "resourceVersion": "7",
                "generation": 2, "creationTimestamp": "2026-11-24T07:28:52Z",
                "labels": {"b": "2", "a": "1"}, "annotations": {"x": "y"}, "finalizers": ["f"]},
            "data": {"k": "dg=="}, "type": "Opaque", "stringData": {"s": "t"}, "immutable": true});
        let back = decode(&encode(&full).unwrap()).unwrap();
        assert_eq!(
            serde_json::to_string(&crate::kube::object::sorted(&back)).unwrap(),
            serde_json::to_string(&crate::kube::object::sorted(&full)).unwrap()
        );
    }

    #[test]
    fn hostile_bodies_fail_cleanly() {
        assert!(decode(b"nope").is_err());
        assert!(decode(b"k8s\x00\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01").is_err());
        assert!(decode(b"k8s\x00\x0a\x05ab").is_err());
        assert!(decode(b"k8s\x00\x0f").is_err());
        let mut ok = MAGIC.to_vec();
        ok.extend_from_slice(b"\x0a\x08\x0a\x02v1\x12\x02Xy");
        assert!(decode(&ok).unwrap_err().contains("no kind"));
    }
}
