//! sigs.k8s.io/yaml's YAML → JSON step (`convertToJSONableObject`, then `json.Marshal` and
//! `json.Unmarshal`), done directly on values.
//!
//! Keys become strings (`1` → "1", `true`/`on` → "true", floats with float32 precision: `0.1`,
//! `1e+20`, `.inf`), a `null` or uint64 key fails (`unsupported map key of type: <nil>, …`);
//! NaN/Inf values fail the JSON encoding (`json: unsupported value: NaN`); every number becomes a
//! float64 (the JSON round trip), every map `map[string]interface {}`.

use super::decode::{go_sharp_v, YValue};
use crate::engine::value::types;
use crate::engine::{List, Map, Str, Value};
use crate::json::number::{format_float, format_g};

/// Converts a map key as `convertToJSONableObject` does.
fn key_string(k: &YValue, v: &YValue) -> Result<String, String> {
    Ok(match k {
        YValue::Str(s) => s.clone(),
        YValue::Int(i) => i.to_string(),
        YValue::Float(f) => {
            let s = format_float(*f, 'g', true);
            match s.as_str() {
                "+Inf" => ".inf".into(),
                "-Inf" => "-.inf".into(),
                "NaN" => ".nan".into(),
                _ => s,
            }
        }
        YValue::Bool(b) => if *b { "true" } else { "false" }.into(),
        YValue::Null => {
            return Err(format!(
                "unsupported map key of type: %!s(<nil>), key: <nil>, value: {}",
                go_sharp_v(v)
            ))
        }
        YValue::Uint(_) => {
            return Err(format!(
                "unsupported map key of type: uint64, key: {}, value: {}",
                go_sharp_v(k),
                go_sharp_v(v)
            ))
        }
        YValue::Seq(_) | YValue::Map(_) => {
            return Err(format!(
                "unsupported map key of type: {}, key: {}, value: {}",
                if matches!(k, YValue::Seq(_)) {
                    "[]interface {}"
                } else {
                    "map[interface {}]interface {}"
                },
                go_sharp_v(k),
                go_sharp_v(v)
            ))
        }
    })
}

/// The string a map key becomes, if it has one (what typed targets match field names with).
pub(super) fn key_text(k: &YValue) -> Option<String> {
    key_string(k, &YValue::Null).ok()
}

fn to_value(v: &YValue) -> Result<Value, String> {
    Ok(match v {
        YValue::Null => Value::Nil,
        YValue::Bool(b) => Value::Bool(*b),
        YValue::Int(i) => Value::Float(*i as f64),
        YValue::Uint(u) => Value::Float(*u as f64),
        YValue::Float(f) => Value::Float(*f),
        YValue::Str(s) => Value::String(Str::from(s.as_str())),
        YValue::Seq(items) => Value::List(List::new(
            items.iter().map(to_value).collect::<Result<_, _>>()?,
        )),
        YValue::Map(m) => {
            let mut entries = std::collections::BTreeMap::new();
            for (k, x) in &m.entries {
                let ks = key_string(k, x)?;
                entries.insert(Str::from(ks), to_value(x)?);
            }
            Value::Map(Map::typed(types::MAP, entries))
        }
    })
}

/// The first value `json.Marshal` would reject, in its traversal order (sorted map keys).
fn unsupported(v: &Value) -> Option<String> {
    match v {
        Value::Float(f) if !f.is_finite() => {
            Some(format!("json: unsupported value: {}", format_g(*f)))
        }
        Value::List(l) => l.iter().find_map(unsupported),
        Value::Map(m) => m.borrow().entries.values().find_map(unsupported),
        _ => None,
    }
}

/// The JSON-compatible value sigs.k8s.io/yaml would hand to `json.Unmarshal`, or the text of
/// the conversion/encoding error (to be prefixed with `error converting YAML to JSON: `).
pub fn to_json_value(v: Option<&YValue>) -> Result<Value, String> {
    let Some(v) = v else {
        return Ok(Value::Nil);
    };
    let out = to_value(v)?;
    if let Some(e) = unsupported(&out) {
        return Err(e);
    }
    Ok(out)
}
