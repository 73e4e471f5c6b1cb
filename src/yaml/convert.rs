//! sigs.k8s.io/yaml's YAML → JSON step (`convertToJSONableObject`, then `json.Marshal` and
//! `json.Unmarshal`), done directly on values.
//!
//! Keys become strings (`1` → "1", `true`/`on` → "true", floats with float32 precision: `0.1`,
//! `1e+20`, `.inf`), a `null` or uint64 key fails (`unsupported map key of type: <nil>, …`);
//! NaN/Inf values fail the JSON encoding (`json: unsupported value: NaN`); every number becomes a
//! float64 (the JSON round trip), every map `map[string]interface {}`.

use std::collections::BTreeMap;

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

/// Converts without recursion (documents may nest up to the decoder's bound).
fn to_value(v: &YValue) -> Result<Value, String> {
    enum Frame<'a> {
        Seq(&'a [YValue], usize, Vec<Value>),
        Map(
            &'a [(YValue, YValue)],
            usize,
            BTreeMap<Str, Value>,
            Option<Str>,
        ),
    }
    fn leaf(v: &YValue) -> Option<Value> {
        Some(match v {
            YValue::Null => Value::Nil,
            YValue::Bool(b) => Value::Bool(*b),
            YValue::Int(i) => Value::Float(*i as f64),
            YValue::Uint(u) => Value::Float(*u as f64),
            YValue::Float(f) => Value::Float(*f),
            YValue::Str(s) => Value::String(Str::from(s.as_str())),
            YValue::Seq(_) | YValue::Map(_) => return None,
        })
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut next: Option<&YValue> = Some(v);
    loop {
        let mut done: Option<Value> = None;
        if let Some(cur) = next.take() {
            match (leaf(cur), cur) {
                (Some(x), _) => done = Some(x),
                (None, YValue::Seq(items)) => {
                    stack.push(Frame::Seq(items, 0, Vec::with_capacity(items.len())))
                }
                (None, YValue::Map(m)) => {
                    stack.push(Frame::Map(&m.entries, 0, BTreeMap::new(), None))
                }
                (None, _) => done = Some(Value::Nil),
            }
        }
        loop {
            let Some(top) = stack.last_mut() else {
                return Ok(done.unwrap_or(Value::Nil));
            };
            match top {
                Frame::Seq(items, i, out) => {
                    if let Some(x) = done.take() {
                        out.push(x);
                    }
                    if let Some(item) = items.get(*i) {
                        *i += 1;
                        next = Some(item);
                        break;
                    }
                    let Some(Frame::Seq(_, _, out)) = stack.pop() else {
                        return Ok(Value::Nil);
                    };
                    done = Some(Value::List(List::new(out)));
                }
                Frame::Map(entries, i, out, key) => {
                    if let (Some(x), Some(k)) = (done.take(), key.take()) {
                        out.insert(k, x);
                    }
                    if let Some((k, x)) = entries.get(*i) {
                        *i += 1;
                        *key = Some(Str::from(key_string(k, x)?));
                        next = Some(x);
                        break;
                    }
                    let Some(Frame::Map(_, _, out, _)) = stack.pop() else {
                        return Ok(Value::Nil);
                    };
                    done = Some(Value::Map(Map::typed(types::MAP, out)));
                }
            }
        }
    }
}

/// The first value `json.Marshal` would reject, in its traversal order (sorted map keys).
fn unsupported(v: &Value) -> Option<String> {
    let mut todo: Vec<Value> = vec![v.clone()];
    while let Some(x) = todo.pop() {
        match x {
            Value::Float(f) if !f.is_finite() => {
                return Some(format!("json: unsupported value: {}", format_g(f)))
            }
            Value::List(l) => todo.extend(l.iter().rev().cloned()),
            Value::Map(m) => todo.extend(m.borrow().entries.values().rev().cloned()),
            _ => {}
        }
    }
    None
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
