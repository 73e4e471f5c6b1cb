//! BurntSushi/toml v1.6.0's encoder (encode.go) over engine values: what Helm's `toToml` and
//! `mustToToml` write.
//!
//! Keys of a table are written sorted, plain values first and sub-tables after (`[a]`,
//! `[[list]]` with two-space indentation per level); floats always carry a decimal point
//! (`8080.0`); nil map entries are skipped; an array holding nil fails with
//! `toml: cannot encode array with nil element`; a nil document makes the encoder panic.

use super::time::TomlTime;
use crate::engine::{Map, Value};
use crate::json::number::format_float;

/// Why encoding failed: an encoder error (returned) or a panic escaping the encoder.
#[derive(Debug, PartialEq, Eq)]
pub enum EncodeError {
    Error(String),
    Panic(String),
}

type E<T> = Result<T, EncodeError>;

/// ChartLab's bound on table/array nesting (Go has none; deeper values would overflow the
/// browser's stack).
const MAX_DEPTH: usize = 200;

#[derive(Clone, Copy, PartialEq, Eq)]
enum TomlType {
    Bool,
    Integer,
    Float,
    String,
    Datetime,
    Array,
    Hash,
    ArrayHash,
}

/// The encoder's `dblQuotedReplacer`.
pub fn dbl_quoted_replace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

fn err(msg: &str) -> EncodeError {
    EncodeError::Error(msg.to_string())
}

fn is_nil(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Map(m) => m.is_nil(),
        Value::List(l) => l.is_nil(),
        _ => false,
    }
}

/// Objects other than TOML's own times are encoded through their JSON view.
fn resolve_object(v: &Value) -> Value {
    match v {
        Value::Object(o) if o.as_any().downcast_ref::<TomlTime>().is_none() => {
            o.marshal().unwrap_or_else(|| Value::Map(Map::new()))
        }
        other => other.clone(),
    }
}

fn is_time(v: &Value) -> Option<&TomlTime> {
    v.downcast::<TomlTime>()
}

fn toml_type(v: &Value, depth: usize) -> E<Option<TomlType>> {
    if depth > MAX_DEPTH {
        return Err(err(
            "toml: nesting deeper than 200 levels (ChartLab's limit)",
        ));
    }
    let v = resolve_object(v);
    if is_nil(&v) {
        return Ok(None);
    }
    Ok(Some(match &v {
        Value::Object(_) => TomlType::Datetime,
        Value::Bool(_) => TomlType::Bool,
        Value::Int(_) | Value::Int64(_) | Value::Uint(_) => TomlType::Integer,
        Value::Float(_) => TomlType::Float,
        Value::String(_) => TomlType::String,
        // []byte: an array of integers
        Value::Bytes(_) => TomlType::Array,
        Value::List(l) => {
            if is_table_array(l, depth)? {
                TomlType::ArrayHash
            } else {
                TomlType::Array
            }
        }
        Value::Map(_) => TomlType::Hash,
        Value::Complex(..) => return Err(err("unsupported type: complex128")),
        Value::Nil => return Ok(None),
    }))
}

fn is_table_array(l: &[Value], depth: usize) -> E<bool> {
    if l.is_empty() {
        return Ok(false);
    }
    let mut ret = true;
    for x in l {
        match toml_type(x, depth + 1)? {
            None => return Err(err("toml: cannot encode array with nil element")),
            Some(t) => {
                if t != TomlType::Hash {
                    ret = false;
                }
            }
        }
    }
    Ok(ret)
}

fn is_table(t: Option<TomlType>) -> bool {
    matches!(t, Some(TomlType::Hash | TomlType::ArrayHash))
}

struct Encoder {
    out: String,
    has_written: bool,
}

/// `toml.NewEncoder(w).Encode(v)`: the TOML text, or what went wrong.
pub fn to_toml(v: &Value) -> Result<String, EncodeError> {
    if v.is_nil() {
        return Err(EncodeError::Panic(
            "reflect: call of reflect.Value.Type on zero Value".into(),
        ));
    }
    let mut e = Encoder {
        out: String::new(),
        has_written: false,
    };
    e.encode(&[], v, 0)?;
    Ok(e.out)
}

impl Encoder {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.has_written = true;
    }

    fn newline(&mut self) {
        if self.has_written {
            self.write("\n");
        }
    }

    fn indent_str(key: &[String]) -> String {
        "  ".repeat(key.len().saturating_sub(1))
    }

    fn encode(&mut self, key: &[String], v: &Value, depth: usize) -> E<()> {
        if depth > MAX_DEPTH {
            return Err(err(
                "toml: nesting deeper than 200 levels (ChartLab's limit)",
            ));
        }
        if is_time(v).is_some() {
            return self.write_key_value(key, v, false, depth);
        }
        let v = resolve_object(v);
        match &v {
            Value::Bool(_)
            | Value::Int(_)
            | Value::Int64(_)
            | Value::Uint(_)
            | Value::Float(_)
            | Value::String(_) => self.write_key_value(key, &v, false, depth),
            Value::List(l) => {
                if toml_type(&v, depth)? == Some(TomlType::ArrayHash) {
                    self.array_of_tables(key, l, depth)
                } else {
                    self.write_key_value(key, &v, false, depth)
                }
            }
            Value::Bytes(_) => {
                toml_type(&v, depth)?;
                self.write_key_value(key, &v, false, depth)
            }
            Value::Map(m) => {
                if m.is_nil() {
                    return Ok(());
                }
                self.table(key, m, depth)
            }
            Value::Nil => Ok(()),
            Value::Complex(..) => Err(err(&format!(
                "unsupported type for key '{}': complex128",
                super::parse::key_string(key)
            ))),
            Value::Object(_) => self.write_key_value(key, &v, false, depth),
        }
    }

    fn element(&mut self, v: &Value, depth: usize) -> E<()> {
        if depth > MAX_DEPTH {
            return Err(err(
                "toml: nesting deeper than 200 levels (ChartLab's limit)",
            ));
        }
        if let Some(t) = is_time(v) {
            let s = t.toml_text();
            self.write(&s);
            return Ok(());
        }
        let v = resolve_object(v);
        match &v {
            Value::String(s) => {
                let q = format!("\"{}\"", dbl_quoted_replace(s));
                self.write(&q);
            }
            Value::Bool(b) => self.write(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.write(&i.to_string()),
            Value::Uint(u) => self.write(&u.to_string()),
            Value::Float(f) => {
                if f.is_nan() {
                    if f.is_sign_negative() {
                        self.write("-");
                    }
                    self.write("nan");
                } else if f.is_infinite() {
                    if f.is_sign_negative() {
                        self.write("-");
                    }
                    self.write("inf");
                } else {
                    let mut s = format_float(*f, 'g', false);
                    if !s.contains('e') && !s.contains('.') {
                        s.push_str(".0");
                    }
                    self.write(&s);
                }
            }
            Value::List(l) => {
                self.write("[");
                for (i, x) in l.iter().enumerate() {
                    self.element(x, depth + 1)?;
                    if i != l.len() - 1 {
                        self.write(", ");
                    }
                }
                self.write("]");
            }
            Value::Bytes(b) => {
                self.write("[");
                for (i, x) in b.iter().enumerate() {
                    self.write(&x.to_string());
                    if i != b.len() - 1 {
                        self.write(", ");
                    }
                }
                self.write("]");
            }
            Value::Map(m) => self.map(&[], m, true, depth + 1)?,
            Value::Complex(..) => return Err(err("unexpected type: complex128")),
            Value::Nil => {
                return Err(EncodeError::Panic(
                    "reflect: call of reflect.Value.Interface on zero Value".into(),
                ))
            }
            Value::Object(_) => {}
        }
        Ok(())
    }

    fn array_of_tables(&mut self, key: &[String], l: &[Value], depth: usize) -> E<()> {
        if key.is_empty() {
            return Err(err("toml: top-level values must be Go maps or structs"));
        }
        for x in l {
            let x = resolve_object(x);
            if is_nil(&x) {
                continue;
            }
            self.newline();
            let header = format!(
                "{}[[{}]]",
                Self::indent_str(key),
                super::parse::key_string(key)
            );
            self.write(&header);
            self.newline();
            if let Value::Map(m) = &x {
                self.map(key, m, false, depth + 1)?;
            }
        }
        Ok(())
    }

    fn table(&mut self, key: &[String], m: &Map, depth: usize) -> E<()> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            let header = format!(
                "{}[{}]",
                Self::indent_str(key),
                super::parse::key_string(key)
            );
            self.write(&header);
            self.newline();
        }
        self.map(key, m, false, depth + 1)
    }

    fn map(&mut self, key: &[String], m: &Map, inline: bool, depth: usize) -> E<()> {
        let entries = m.entries();
        let mut direct: Vec<(String, Value)> = Vec::new();
        let mut sub: Vec<(String, Value)> = Vec::new();
        for (k, v) in entries {
            if is_table(toml_type(&v, depth)?) {
                sub.push((k.to_string(), v));
            } else {
                direct.push((k.to_string(), v));
            }
        }
        if inline {
            self.write("{");
        }
        let trail = !sub.is_empty();
        self.write_map_keys(key, &direct, trail, inline, depth)?;
        self.write_map_keys(key, &sub, false, inline, depth)?;
        if inline {
            self.write("}");
        }
        Ok(())
    }

    fn write_map_keys(
        &mut self,
        key: &[String],
        keys: &[(String, Value)],
        trail: bool,
        inline: bool,
        depth: usize,
    ) -> E<()> {
        for (i, (k, v)) in keys.iter().enumerate() {
            if is_nil(&resolve_object(v)) {
                continue;
            }
            if inline {
                self.write_key_value(std::slice::from_ref(k), v, true, depth)?;
                if trail || i != keys.len() - 1 {
                    self.write(", ");
                }
            } else {
                let mut sub = key.to_vec();
                sub.push(k.clone());
                self.encode(&sub, v, depth + 1)?;
            }
        }
        Ok(())
    }

    fn write_key_value(&mut self, key: &[String], v: &Value, inline: bool, depth: usize) -> E<()> {
        let Some(last) = key.last() else {
            return self.element(v, depth);
        };
        let prefix = format!(
            "{}{} = ",
            Self::indent_str(key),
            super::parse::maybe_quoted(last)
        );
        self.write(&prefix);
        self.element(v, depth)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }
}
