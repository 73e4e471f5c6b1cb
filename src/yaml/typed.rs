//! `sigs.k8s.io/yaml.Unmarshal` into a typed Go target (Chart.yaml into `chart.Metadata`,
//! Chart.lock, requirements.yaml): the string coercion of `convertToJSONableObject` and the
//! type checks of `json.Unmarshal` into a struct.
//!
//! sigs.k8s.io/yaml turns YAML numbers and bools into strings wherever the Go field is a
//! string (`version: 1.10` → `"1.1"`, floats with float32 precision: `1.123456789` →
//! `"1.1234568"`, `010` → `"8"`), matching field names exactly or else case-insensitively.
//! encoding/json then rejects what still does not fit (`json: cannot unmarshal array into Go
//! struct field Maintainer.maintainers.name of type string`), keeps the first such error and
//! goes on. The result is a map keyed by the fields' JSON names.

use super::decode::YValue;
use crate::engine::value::types;
use crate::engine::{List, Map, Str, Value};
use crate::json::number::{format_float, format_json};

/// A Go type as the typed decoder needs it.
#[derive(Clone, Copy, Debug)]
pub enum GoType {
    /// `interface{}`: anything, numbers as float64.
    Any,
    String,
    Bool,
    Int,
    Float64,
    /// `[]T`.
    Slice(&'static GoType),
    /// `map[string]T`.
    Map(&'static GoType),
    /// `*T` (a JSON `null` leaves it nil).
    Ptr(&'static GoType),
    Struct(&'static GoStruct),
}

/// A Go struct: its type as `%v` of reflect.Type prints it (`v2.Metadata`), its bare name
/// (`Metadata`, used in error paths), and its fields by JSON name.
#[derive(Debug)]
pub struct GoStruct {
    pub go_name: &'static str,
    pub name: &'static str,
    pub fields: &'static [(&'static str, GoType)],
}

impl GoType {
    /// The type as Go's `reflect.Type.String()` prints it.
    pub fn go_name(&self) -> String {
        match self {
            GoType::Any => "interface {}".into(),
            GoType::String => "string".into(),
            GoType::Bool => "bool".into(),
            GoType::Int => "int".into(),
            GoType::Float64 => "float64".into(),
            GoType::Slice(e) => format!("[]{}", e.go_name()),
            GoType::Map(e) => format!("map[string]{}", e.go_name()),
            GoType::Ptr(e) => format!("*{}", e.go_name()),
            GoType::Struct(s) => s.go_name.into(),
        }
    }

    /// Through pointers to the value type (the decoder's `indirect`).
    pub(super) fn deref(&self) -> &GoType {
        match self {
            GoType::Ptr(inner) => inner.deref(),
            other => other,
        }
    }
}

/// Case-insensitive match as encoding/json's folded names do.
fn fold_eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || a.to_lowercase() == b.to_lowercase()
}

fn find_field<'s>(s: &'s GoStruct, key: &str) -> Option<&'s (&'static str, GoType)> {
    s.fields
        .iter()
        .find(|(name, _)| *name == key)
        .or_else(|| s.fields.iter().find(|(name, _)| fold_eq(name, key)))
}

/// `convertToJSONableObject` with a JSON target: YAML numbers/bools become strings where the
/// target is a string. Keys follow the untyped conversion (see convert.rs).
pub(super) fn coerce(v: &YValue, target: Option<&GoType>) -> YValue {
    let target = target.map(GoType::deref);
    // Without a typed target nothing below changes (and the recursion stays as shallow as the
    // Go type, whatever the document's depth).
    if matches!(target, None | Some(GoType::Any)) {
        return v.clone();
    }
    match v {
        YValue::Map(m) => {
            let mut out = super::decode::YMap::new();
            for (k, x) in &m.entries {
                // keys are converted to strings first, then matched against the fields
                let sub = match target {
                    Some(GoType::Struct(s)) => {
                        super::convert::key_text(k).and_then(|t| find_field(s, &t).map(|f| &f.1))
                    }
                    Some(GoType::Map(elem)) => Some(*elem),
                    _ => None,
                };
                out.set(k.clone(), coerce(x, sub));
            }
            YValue::Map(out)
        }
        YValue::Seq(items) => {
            let elem = match target {
                Some(GoType::Slice(e)) => Some(*e),
                _ => None,
            };
            YValue::Seq(items.iter().map(|x| coerce(x, elem)).collect())
        }
        YValue::Int(i) if matches!(target, Some(GoType::String)) => YValue::Str(i.to_string()),
        YValue::Uint(u) if matches!(target, Some(GoType::String)) => YValue::Str(u.to_string()),
        YValue::Float(f) if matches!(target, Some(GoType::String)) => {
            YValue::Str(format_float(*f, 'g', true))
        }
        YValue::Bool(b) if matches!(target, Some(GoType::String)) => {
            YValue::Str(if *b { "true" } else { "false" }.into())
        }
        other => other.clone(),
    }
}

/// encoding/json's decoding of a JSON-shaped value into `ty`.
pub(super) struct TypedDecoder {
    /// The first error (`saveError`), without the `json: ` context added by callers.
    pub error: Option<String>,
    struct_name: Option<&'static str>,
    field_stack: Vec<&'static str>,
}

fn json_kind(v: &Value) -> String {
    match v {
        Value::Map(_) => "object".into(),
        Value::List(_) => "array".into(),
        Value::String(_) => "string".into(),
        Value::Bool(_) => "bool".into(),
        _ => "number".into(),
    }
}

impl TypedDecoder {
    pub fn new() -> TypedDecoder {
        TypedDecoder {
            error: None,
            struct_name: None,
            field_stack: Vec::new(),
        }
    }

    fn type_error(&mut self, what: String, ty: &GoType) {
        if self.error.is_some() {
            return;
        }
        let msg = match self.struct_name {
            Some(s) if !self.field_stack.is_empty() => format!(
                "json: cannot unmarshal {what} into Go struct field {s}.{} of type {}",
                self.field_stack.join("."),
                ty.go_name()
            ),
            _ => format!(
                "json: cannot unmarshal {what} into Go value of type {}",
                ty.go_name()
            ),
        };
        self.error = Some(msg);
    }

    /// The decoded value (Go's zero value where nothing fit: `Value::Nil`).
    pub fn decode(&mut self, v: &Value, ty: &GoType) -> Value {
        if v.is_nil() {
            return Value::Nil;
        }
        let inner = ty.deref();
        match inner {
            GoType::Any => v.clone(),
            GoType::String => match v {
                Value::String(_) => v.clone(),
                other => {
                    self.type_error(json_kind(other), inner);
                    Value::Nil
                }
            },
            GoType::Bool => match v {
                Value::Bool(_) => v.clone(),
                other => {
                    self.type_error(json_kind(other), inner);
                    Value::Nil
                }
            },
            GoType::Int => match v {
                Value::Float(f) => {
                    let text = format_json(*f);
                    match text.parse::<i64>() {
                        Ok(n) => Value::Int(n),
                        Err(_) => {
                            self.type_error(format!("number {text}"), inner);
                            Value::Nil
                        }
                    }
                }
                other => {
                    self.type_error(json_kind(other), inner);
                    Value::Nil
                }
            },
            GoType::Float64 => match v {
                Value::Float(_) => v.clone(),
                other => {
                    self.type_error(json_kind(other), inner);
                    Value::Nil
                }
            },
            GoType::Slice(elem) => match v {
                Value::List(l) => {
                    let items = l.iter().map(|x| self.decode(x, elem)).collect();
                    let ty = if matches!(elem, GoType::String) {
                        types::STRINGS
                    } else {
                        types::LIST
                    };
                    Value::List(List::typed(ty, items))
                }
                other => {
                    self.type_error(json_kind(other), inner);
                    Value::Nil
                }
            },
            GoType::Map(elem) => match v {
                Value::Map(m) => {
                    let out = Map::typed(
                        if matches!(elem, GoType::String) {
                            types::STRING_MAP
                        } else {
                            types::MAP
                        },
                        Default::default(),
                    );
                    for (k, x) in m.entries() {
                        let d = self.decode(&x, elem);
                        out.insert(k, d);
                    }
                    Value::Map(out)
                }
                other => {
                    self.type_error(json_kind(other), inner);
                    Value::Nil
                }
            },
            GoType::Struct(s) => match v {
                Value::Map(m) => {
                    let out = Map::new();
                    for (k, x) in m.entries() {
                        let Some((name, fty)) = find_field(s, &k) else {
                            continue;
                        };
                        let saved_struct = self.struct_name;
                        let depth = self.field_stack.len();
                        self.struct_name = Some(s.name);
                        self.field_stack.push(name);
                        let d = self.decode(&x, fty);
                        self.field_stack.truncate(depth);
                        self.struct_name = saved_struct;
                        if !d.is_nil() {
                            out.insert(Str::from(*name), d);
                        } else if x.is_nil()
                            && matches!(fty.deref(), GoType::Slice(_) | GoType::Map(_))
                        {
                            // null sets a slice or map field to nil
                            out.remove(name);
                        }
                    }
                    Value::Map(out)
                }
                other => {
                    self.type_error(json_kind(other), inner);
                    Value::Nil
                }
            },
            GoType::Ptr(_) => Value::Nil,
        }
    }
}
