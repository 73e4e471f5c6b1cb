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
    let json =
        crate::json::to_json(v, true).map_err(|e| format!("error marshaling into JSON: {e}"))?;
    // JSONToYAML: go-yaml v2 reads the JSON back (integers become ints again).
    let y = decode::decode(json.as_bytes()).map_err(|f| format!("yaml: {}", f.message))?;
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
