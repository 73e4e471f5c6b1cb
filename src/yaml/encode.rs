//! go-yaml's encoders (encode.go): Go values → events, v2 for `toYaml`, v3 for `toYamlPretty`.
//!
//! `toYaml` is `sigs.k8s.io/yaml.Marshal`: `json.Marshal` the value, parse that JSON with go-yaml
//! v2 (here: ChartLab's port, so even its limits and errors carry over), then encode with v2:
//! map keys in go-yaml's natural order, a string is plain unless it would read back as
//! something else (`"yes"`, `"1.0"`, `"2001-12-14"`, `"1:20"`) or contains characters plain
//! style cannot hold, strings with a newline become literal block scalars, floats use `%g`
//! (`1e-07`), empty collections are `[]`/`{}`, nested block sequences are not indented.
//! `toYamlPretty` is go-yaml v3's `Encoder` with `SetIndent(2)` on the Go values themselves.

use super::decode::{self, YValue};
use super::emitter::{EmitEvent, Emitter};
use super::resolve::{is_base60_float, is_old_bool, resolve, Schema, STR_TAG};
use super::scanner::ScalarStyle;
use super::sort::{go_sort, key_less, SortKey};
use crate::engine::Value;
use crate::json::number::format_float;

/// ChartLab's bound on nesting while encoding (cycles and runaway values).
const MAX_ENCODE_DEPTH: usize = 2000;

/// `sigs.k8s.io/yaml.Marshal(v)`: the YAML text (ending in a newline) or the error text
/// (`error marshaling into JSON: json: unsupported value: NaN`, `yaml: …`).
pub fn to_yaml(v: &Value) -> Result<String, String> {
    // The JSON text and its YAML reading are skipped when the value tree can be read off
    // directly (almost always); anything unusual takes the literal path below.
    let y = match json_view(v, 0) {
        Some(y) => Some(y),
        None => to_yaml_input_slow(v)?,
    };
    emit_v2(y)
}

/// What sigs.k8s.io/yaml.Marshal hands go-yaml: `json.Marshal(v)` read back by go-yaml v2.
pub(crate) fn to_yaml_input_slow(v: &Value) -> Result<Option<YValue>, String> {
    let json =
        crate::json::to_json(v, true).map_err(|e| format!("error marshaling into JSON: {e}"))?;
    // JSONToYAML: go-yaml v2 reads the JSON back (integers become ints again).
    decode::decode(json.as_bytes()).map_err(|f| format!("yaml: {}", f.message))
}

/// The same tree as `to_yaml_input_slow`, built from the value directly: JSON's number text read
/// back with go-yaml's int/float resolution, byte slices as base64, nil slices and maps as null,
/// struct objects through their JSON view. `None` for anything whose JSON or YAML reading is not
/// plain (unsupported values, characters go-yaml's reader rejects, very deep nesting): the caller
/// then takes the literal path, which also produces the exact error.
pub(crate) fn json_view(v: &Value, depth: usize) -> Option<YValue> {
    if depth > 200 {
        return None;
    }
    Some(match v {
        Value::Nil => YValue::Null,
        Value::Bool(b) => YValue::Bool(*b),
        Value::Int(i) | Value::Int64(i) => YValue::Int(*i),
        Value::Uint(u) => {
            if *u <= i64::MAX as u64 {
                YValue::Int(*u as i64)
            } else {
                YValue::Uint(*u)
            }
        }
        Value::Float(f) => {
            if !f.is_finite() {
                return None;
            }
            let text = crate::json::number::format_json(*f);
            if let Ok(i) = text.parse::<i64>() {
                YValue::Int(i)
            } else if let Ok(u) = text.parse::<u64>() {
                YValue::Uint(u)
            } else {
                YValue::Float(text.parse::<f64>().ok()?)
            }
        }
        Value::Complex(..) => return None,
        Value::String(s) => YValue::Str(json_string(s)?),
        Value::Bytes(b) => {
            use base64::Engine as _;
            YValue::Str(base64::engine::general_purpose::STANDARD.encode(b))
        }
        Value::List(l) => {
            if l.is_nil() {
                YValue::Null
            } else {
                let mut items = Vec::with_capacity(l.len());
                for x in l.iter() {
                    items.push(json_view(x, depth + 1)?);
                }
                YValue::Seq(items)
            }
        }
        Value::Map(m) => {
            if m.is_nil() {
                YValue::Null
            } else {
                let d = m.borrow();
                let mut entries = Vec::with_capacity(d.entries.len());
                for (k, x) in d.entries.iter() {
                    entries.push((YValue::Str(json_string(k)?), json_view(x, depth + 1)?));
                }
                YValue::Map(decode::YMap::from_unique_entries(entries))
            }
        }
        Value::Object(o) => match o.marshal_ordered() {
            Some(fields) => {
                let mut entries = Vec::with_capacity(fields.len());
                for (k, x) in &fields {
                    entries.push((YValue::Str(json_string(k)?), json_view(x, depth + 1)?));
                }
                YValue::Map(decode::YMap::from_unique_entries(entries))
            }
            None => match o.marshal() {
                Some(inner) => json_view(&inner, depth + 1)?,
                None => YValue::Map(decode::YMap::new()),
            },
        },
    })
}

/// A string after a JSON round trip (raw bytes become U+FFFD), or `None` when go-yaml's reader
/// would not read the unescaped JSON text back as the same string (DEL and C1 controls, which
/// its reader rejects or, for NEL, reads as a line break; U+FFFE/U+FFFF).
fn json_string(s: &str) -> Option<String> {
    for c in s.chars() {
        let n = c as u32;
        if n == 0x7f || (0x80..0xa0).contains(&n) || n == 0xfffe || n == 0xffff {
            return None;
        }
    }
    Some(crate::engine::gostr::to_output(s).into_owned())
}

pub(crate) fn emit_v2(y: Option<YValue>) -> Result<String, String> {
    let mut events = vec![EmitEvent::StreamStart, EmitEvent::DocumentStart];
    match &y {
        Some(y) => encode_v2(y, &mut events, 0)?,
        None => events.push(EmitEvent::Scalar("null".into(), ScalarStyle::Plain)),
    }
    events.push(EmitEvent::DocumentEnd);
    events.push(EmitEvent::StreamEnd);
    Emitter::new(false, 2).emit_all(&events)
}

fn float_text(f: f64) -> String {
    let s = format_float(f, 'g', false);
    match s.as_str() {
        "+Inf" => ".inf".into(),
        "-Inf" => "-.inf".into(),
        "NaN" => ".nan".into(),
        _ => s,
    }
}

fn sort_key(k: &YValue) -> SortKey {
    match k {
        YValue::Bool(b) => SortKey::Bool(*b),
        YValue::Int(i) => SortKey::Int(*i),
        YValue::Uint(u) => SortKey::Uint(*u),
        YValue::Float(f) => SortKey::Float(*f),
        YValue::Str(s) => SortKey::Str(s.clone()),
        // reflect.Interface (a nil interface), Slice, Map
        YValue::Null => SortKey::Other(20),
        YValue::Seq(_) => SortKey::Other(23),
        YValue::Map(_) => SortKey::Other(21),
    }
}

/// go-yaml v2's `stringv` style choice.
fn string_style_v2(s: &str) -> ScalarStyle {
    let can_use_plain = match resolve(Schema::V2, "", s) {
        Ok((tag, _)) => tag == STR_TAG && !is_base60_float(s),
        Err(_) => false,
    };
    if s.contains('\n') {
        ScalarStyle::Literal
    } else if can_use_plain {
        ScalarStyle::Plain
    } else {
        ScalarStyle::DoubleQuoted
    }
}

fn depth_error() -> String {
    format!("yaml: nesting deeper than {MAX_ENCODE_DEPTH} levels (ChartLab's limit)")
}

fn encode_v2(v: &YValue, out: &mut Vec<EmitEvent>, depth: usize) -> Result<(), String> {
    if depth > MAX_ENCODE_DEPTH {
        return Err(depth_error());
    }
    match v {
        YValue::Null => out.push(EmitEvent::Scalar("null".into(), ScalarStyle::Plain)),
        YValue::Bool(b) => out.push(EmitEvent::Scalar(
            if *b { "true" } else { "false" }.into(),
            ScalarStyle::Plain,
        )),
        YValue::Int(i) => out.push(EmitEvent::Scalar(i.to_string(), ScalarStyle::Plain)),
        YValue::Uint(u) => out.push(EmitEvent::Scalar(u.to_string(), ScalarStyle::Plain)),
        YValue::Float(f) => out.push(EmitEvent::Scalar(float_text(*f), ScalarStyle::Plain)),
        YValue::Str(s) => out.push(EmitEvent::Scalar(s.clone(), string_style_v2(s))),
        YValue::Seq(items) => {
            out.push(EmitEvent::SequenceStart { flow: false });
            for x in items {
                encode_v2(x, out, depth + 1)?;
            }
            out.push(EmitEvent::SequenceEnd);
        }
        YValue::Map(m) => {
            out.push(EmitEvent::MappingStart { flow: false });
            let mut keyed: Vec<(SortKey, &(YValue, YValue))> =
                m.entries.iter().map(|e| (sort_key(&e.0), e)).collect();
            go_sort(&mut keyed, &|a, b| key_less(&a.0, &b.0, false));
            for (_, (k, x)) in keyed {
                encode_v2(k, out, depth + 1)?;
                encode_v2(x, out, depth + 1)?;
            }
            out.push(EmitEvent::MappingEnd);
        }
    }
    Ok(())
}

/// Helm's `toYamlPretty`: go-yaml v3's `Encoder` with `SetIndent(2)`, one `Encode` call (no
/// `Close`), on the value itself. Returns the text (ending in a newline) or the error text.
///
/// Objects are encoded through [`Object::marshal`](crate::engine::Object::marshal) (their JSON
/// view); Go would use the struct's yaml tags or lowercased field names instead.
pub fn to_yaml_pretty(v: &Value) -> Result<String, String> {
    let mut events = vec![EmitEvent::StreamStart, EmitEvent::DocumentStart];
    encode_v3(v, &mut events, 0)?;
    events.push(EmitEvent::DocumentEnd);
    Emitter::new(true, 2).emit_all(&events)
}

/// go-yaml v3's `stringv` style choice.
fn string_style_v3(s: &str) -> ScalarStyle {
    let can_use_plain = match resolve(Schema::V3, "", s) {
        Ok((tag, _)) => tag == STR_TAG && !(is_base60_float(s) || is_old_bool(s)),
        Err(_) => false,
    };
    if s.contains('\n') {
        ScalarStyle::Literal
    } else if can_use_plain {
        ScalarStyle::Plain
    } else {
        ScalarStyle::DoubleQuoted
    }
}

fn encode_v3(v: &Value, out: &mut Vec<EmitEvent>, depth: usize) -> Result<(), String> {
    if depth > MAX_ENCODE_DEPTH {
        return Err(depth_error());
    }
    match v {
        Value::Nil => out.push(EmitEvent::Scalar("null".into(), ScalarStyle::Plain)),
        Value::Bool(b) => out.push(EmitEvent::Scalar(
            if *b { "true" } else { "false" }.into(),
            ScalarStyle::Plain,
        )),
        Value::Int(i) | Value::Int64(i) => {
            out.push(EmitEvent::Scalar(i.to_string(), ScalarStyle::Plain))
        }
        Value::Uint(u) => out.push(EmitEvent::Scalar(u.to_string(), ScalarStyle::Plain)),
        Value::Float(f) => out.push(EmitEvent::Scalar(float_text(*f), ScalarStyle::Plain)),
        // go-yaml panics, and text/template turns the panic into the call's error
        Value::Complex(..) => return Err("cannot marshal type: complex128".into()),
        Value::String(s) => out.push(EmitEvent::Scalar(s.to_string(), string_style_v3(s))),
        // []byte is a slice of uint8 to go-yaml v3
        Value::Bytes(b) => {
            out.push(EmitEvent::SequenceStart { flow: false });
            for byte in b.iter() {
                out.push(EmitEvent::Scalar(byte.to_string(), ScalarStyle::Plain));
            }
            out.push(EmitEvent::SequenceEnd);
        }
        Value::List(l) => {
            out.push(EmitEvent::SequenceStart { flow: false });
            for x in l.iter() {
                encode_v3(x, out, depth + 1)?;
            }
            out.push(EmitEvent::SequenceEnd);
        }
        Value::Map(m) => {
            out.push(EmitEvent::MappingStart { flow: false });
            let mut keyed: Vec<(SortKey, (crate::engine::Str, Value))> = m
                .entries()
                .into_iter()
                .map(|(k, x)| (SortKey::Str(k.to_string()), (k, x)))
                .collect();
            go_sort(&mut keyed, &|a, b| key_less(&a.0, &b.0, true));
            for (_, (k, x)) in keyed {
                out.push(EmitEvent::Scalar(k.to_string(), string_style_v3(&k)));
                encode_v3(&x, out, depth + 1)?;
            }
            out.push(EmitEvent::MappingEnd);
        }
        Value::Object(o) => match o.marshal() {
            Some(inner) => encode_v3(&inner, out, depth + 1)?,
            None => {
                out.push(EmitEvent::MappingStart { flow: false });
                out.push(EmitEvent::MappingEnd);
            }
        },
    }
    Ok(())
}
