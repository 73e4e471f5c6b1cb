//! Conversions between engine values and `serde_json::Value` (with `preserve_order`), for the
//! layers that keep JSON documents (release records, `kubectl -o json`, jq).
//!
//! Going out follows `json.Marshal`: maps in sorted key order, `[]byte` as base64, objects
//! through [`Object::marshal`](crate::engine::Object::marshal), NaN/Inf rejected with Go's error.
//! Coming in follows `json.Unmarshal` into `interface{}`: every number becomes float64, objects
//! become `map[string]interface {}` (so key order is Go's sorted order again).

use base64::Engine as _;

use super::number::format_g;
use crate::engine::value::types;
use crate::engine::{List, Map, Str, Value};

/// The value as `json.Marshal` would see it, as a serde_json tree.
pub fn to_serde(v: &Value) -> Result<serde_json::Value, String> {
    to_serde_depth(v, 0)
}

fn to_serde_depth(v: &Value, depth: usize) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    if depth > 10_000 {
        return Err(
            "json: unsupported value: nesting deeper than 10000 levels (ChartLab's limit)".into(),
        );
    }
    Ok(match v {
        Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) | Value::Int64(i) => J::from(*i),
        Value::Uint(u) => J::from(*u),
        Value::Float(f) => match serde_json::Number::from_f64(*f) {
            Some(n) => J::Number(n),
            None => return Err(format!("json: unsupported value: {}", format_g(*f))),
        },
        Value::Complex(..) => return Err("json: unsupported type: complex128".into()),
        Value::List(l) if l.is_nil() => J::Null,
        Value::Map(m) if m.is_nil() => J::Null,
        Value::String(s) => J::String(s.to_string()),
        Value::Bytes(b) => J::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::List(l) => J::Array(
            l.iter()
                .map(|x| to_serde_depth(x, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(m) => {
            let mut obj = serde_json::Map::new();
            for (k, x) in m.entries() {
                obj.insert(k.to_string(), to_serde_depth(&x, depth + 1)?);
            }
            J::Object(obj)
        }
        Value::Object(o) => match o.marshal() {
            Some(inner) => to_serde_depth(&inner, depth + 1)?,
            None => J::Object(serde_json::Map::new()),
        },
    })
}

/// The value `json.Unmarshal` into `interface{}` would produce from this JSON tree.
pub fn from_serde(j: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match j {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
        J::String(s) => Value::String(Str::from(s.as_str())),
        J::Array(a) => Value::List(List::new(a.iter().map(from_serde).collect())),
        J::Object(o) => Value::Map(Map::typed(
            types::MAP,
            o.iter()
                .map(|(k, x)| (Str::from(k.as_str()), from_serde(x)))
                .collect(),
        )),
    }
}
