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

/// The value as `json.Marshal` would see it, as a serde_json tree (built without recursion, so
/// deep values are safe).
pub fn to_serde(v: &Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    enum Frame {
        List(Vec<Value>, usize, Vec<J>),
        Map(
            Vec<(crate::engine::Str, Value)>,
            usize,
            serde_json::Map<String, J>,
        ),
    }
    fn leaf(v: &Value) -> Result<Option<J>, String> {
        Ok(Some(match v {
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
            Value::List(_) | Value::Map(_) | Value::Object(_) => return Ok(None),
        }))
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut next: Option<Value> = Some(v.clone());
    loop {
        // Descend into `next` if there is one.
        let mut done: Option<J> = None;
        if let Some(cur) = next.take() {
            let ordered = match &cur {
                Value::Object(o) => o.marshal_ordered(),
                _ => None,
            };
            let cur = match cur {
                // a struct: fields in declaration order (serde_json keeps insertion order)
                Value::Object(_) if ordered.is_some() => Value::Nil,
                Value::Object(o) => o
                    .marshal()
                    .unwrap_or_else(|| Value::Map(crate::engine::Map::new())),
                other => other,
            };
            if let Some(fields) = ordered {
                if stack.len() > 10_000 {
                    return Err("json: unsupported value: nesting deeper than 10000 levels (ChartLab's limit)".into());
                }
                stack.push(Frame::Map(fields, 0, serde_json::Map::new()));
            } else {
                match leaf(&cur)? {
                    Some(j) => done = Some(j),
                    None => {
                        if stack.len() > 10_000 {
                            return Err("json: unsupported value: nesting deeper than 10000 levels (ChartLab's limit)".into());
                        }
                        match cur {
                            Value::List(l) => stack.push(Frame::List(l.to_vec(), 0, Vec::new())),
                            Value::Map(m) => {
                                stack.push(Frame::Map(m.entries(), 0, serde_json::Map::new()))
                            }
                            _ => done = Some(J::Null),
                        }
                    }
                }
            }
        }
        // Hand a finished value to its parent, then pick the parent's next child.
        loop {
            let Some(top) = stack.last_mut() else {
                return Ok(done.unwrap_or(J::Null));
            };
            match top {
                Frame::List(items, i, out) => {
                    if let Some(j) = done.take() {
                        out.push(j);
                    }
                    if *i < items.len() {
                        next = Some(std::mem::take(&mut items[*i]));
                        *i += 1;
                        break;
                    }
                    let Some(Frame::List(_, _, out)) = stack.pop() else {
                        unreachable_frame();
                        return Ok(J::Null);
                    };
                    done = Some(J::Array(out));
                }
                Frame::Map(entries, i, out) => {
                    if let Some(j) = done.take() {
                        if let Some((k, _)) = entries.get(*i - 1) {
                            out.insert(k.to_string(), j);
                        }
                    }
                    if *i < entries.len() {
                        next = Some(std::mem::take(&mut entries[*i].1));
                        *i += 1;
                        break;
                    }
                    let Some(Frame::Map(_, _, out)) = stack.pop() else {
                        unreachable_frame();
                        return Ok(J::Null);
                    };
                    done = Some(J::Object(out));
                }
            }
        }
    }
}

fn unreachable_frame() {}

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
