//! Go's `json.Marshal` / `json.MarshalIndent` / `json.Encoder` over engine values.
//!
//! Rules (encoding/json, Go 1.26): map keys sorted by bytes; strings escaped with `\"`, `\\`,
//! `\b`, `\f`, `\n`, `\r`, `\t`, other control bytes as `\u00XX`, U+2028/U+2029 always, and
//! `<`, `>`, `&` as `\u003c`… unless HTML escaping is off (`Encoder.SetEscapeHTML(false)`, Sprig's
//! `toRawJson`); `[]byte` as standard base64; nil as `null`; floats in the `f` form unless the
//! exponent is < -6 or >= 21; NaN and ±Inf fail with `json: unsupported value: NaN`; a map that
//! contains itself fails with Go's `encountered a cycle via map[string]interface {}` (Go notices
//! only past 1000 levels; the outcome, an error and no output, is the same); struct objects keep
//! their field order ([`Object::marshal_ordered`](crate::engine::Object::marshal_ordered)).

use base64::Engine as _;

use super::number::{format_g, format_json};
use crate::engine::{List, Map, Object, Str, Value};

/// ChartLab's hard bound on nesting (Go's stack would grow; ours would overflow).
const MAX_DEPTH: usize = 2000;

struct Encoder<'a> {
    out: String,
    escape_html: bool,
    indent: Option<(&'a str, &'a str)>,
    depth: usize,
    /// Maps on the current path (for cycle detection).
    path: Vec<Map>,
}

/// `json.Marshal(v)` (HTML-escaping) or, with `escape_html == false`, what an `Encoder` with
/// `SetEscapeHTML(false)` writes (without its trailing newline).
pub fn to_json(v: &Value, escape_html: bool) -> Result<String, String> {
    let mut e = Encoder {
        out: String::new(),
        escape_html,
        indent: None,
        depth: 0,
        path: Vec::new(),
    };
    e.value(v)?;
    Ok(e.out)
}

/// `json.MarshalIndent(v, prefix, indent)` (Sprig's `toPrettyJson` uses `""`, `"  "`).
pub fn to_json_indent(v: &Value, prefix: &str, indent: &str) -> Result<String, String> {
    let mut e = Encoder {
        out: String::new(),
        escape_html: true,
        indent: Some((prefix, indent)),
        depth: 0,
        path: Vec::new(),
    };
    e.value(v)?;
    Ok(e.out)
}

/// Appends `s` as a JSON string literal the way encoding/json does.
pub fn write_string(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let esc: Option<&str> = match c {
            '\\' => Some("\\\\"),
            '"' => Some("\\\""),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        // a raw (invalid UTF-8) byte: Go's encoder writes \ufffd
        let raw = crate::engine::gostr::raw_byte(c).is_some();
        let needs = raw
            || esc.is_some()
            || (c as u32) < 0x20
            || escape_html && matches!(c, '<' | '>' | '&')
            || c == '\u{2028}'
            || c == '\u{2029}';
        if !needs {
            continue;
        }
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None if raw => out.push_str("\\ufffd"),
            None => {
                let n = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((n >> shift) & 0xF) as usize] as char);
                }
            }
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

impl Encoder<'_> {
    fn newline(&mut self) {
        if let Some((prefix, indent)) = self.indent {
            self.out.push('\n');
            self.out.push_str(prefix);
            for _ in 0..self.depth {
                self.out.push_str(indent);
            }
        }
    }

    fn enter(&mut self, id: Option<&Map>, ty: &str) -> Result<(), String> {
        self.depth += 1;
        if let Some(id) = id {
            if self.path.iter().any(|m| m.ptr_eq(id)) {
                return Err(format!(
                    "json: unsupported value: encountered a cycle via {ty}"
                ));
            }
            self.path.push(id.clone());
        }
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "json: unsupported value: nesting deeper than {MAX_DEPTH} levels (ChartLab's limit)"
            ));
        }
        Ok(())
    }

    fn leave(&mut self, id: Option<&Map>) {
        if id.is_some() {
            self.path.pop();
        }
        self.depth -= 1;
    }

    fn value(&mut self, v: &Value) -> Result<(), String> {
        match v {
            Value::Nil => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.out.push_str(&i.to_string()),
            Value::Uint(u) => self.out.push_str(&u.to_string()),
            Value::Float(f) => {
                if !f.is_finite() {
                    return Err(format!("json: unsupported value: {}", format_g(*f)));
                }
                self.out.push_str(&format_json(*f));
            }
            Value::Complex(..) => return Err("json: unsupported type: complex128".into()),
            Value::String(s) => write_string(&mut self.out, s, self.escape_html),
            Value::Bytes(b) => {
                self.out.push('"');
                self.out
                    .push_str(&base64::engine::general_purpose::STANDARD.encode(b));
                self.out.push('"');
            }
            Value::List(l) if l.is_nil() => self.out.push_str("null"),
            Value::Map(m) if m.is_nil() => self.out.push_str("null"),
            Value::List(l) => self.array(l)?,
            Value::Map(m) => self.map(m)?,
            Value::Object(o) => self.object(o.as_ref())?,
        }
        Ok(())
    }

    #[inline(never)]
    fn array(&mut self, l: &List) -> Result<(), String> {
        self.enter(None, l.ty())?;
        self.out.push('[');
        for (i, item) in l.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.newline();
            self.value(item)?;
        }
        self.close(!l.is_empty(), ']');
        self.leave(None);
        Ok(())
    }

    #[inline(never)]
    fn map(&mut self, m: &Map) -> Result<(), String> {
        self.enter(Some(m), m.ty())?;
        self.fields(&m.entries())?;
        self.leave(Some(m));
        Ok(())
    }

    #[inline(never)]
    fn object(&mut self, o: &dyn Object) -> Result<(), String> {
        match o.marshal_ordered() {
            // a struct: fields in declaration order
            Some(fields) => {
                self.enter(None, o.type_name())?;
                self.fields(&fields)?;
                self.leave(None);
            }
            None => match o.marshal() {
                Some(inner) => self.value(&inner)?,
                // A struct without exported fields marshals as an empty object.
                None => self.out.push_str("{}"),
            },
        }
        Ok(())
    }

    /// `{"k":v,...}` in the given order.
    fn fields(&mut self, entries: &[(Str, Value)]) -> Result<(), String> {
        self.out.push('{');
        for (i, (k, item)) in entries.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.newline();
            write_string(&mut self.out, k, self.escape_html);
            self.out.push(':');
            if self.indent.is_some() {
                self.out.push(' ');
            }
            self.value(item)?;
        }
        self.close(!entries.is_empty(), '}');
        Ok(())
    }

    /// The closing bracket, on its own line (one level out) when indenting a non-empty value.
    fn close(&mut self, non_empty: bool, c: char) {
        self.depth -= 1;
        if non_empty {
            self.newline();
        }
        self.depth += 1;
        self.out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{List, Map};

    fn sample() -> Value {
        let inner = Map::new();
        inner.insert("z", Value::Float(1e-7));
        inner.insert(
            "a",
            Value::list(vec![Value::Int(1), Value::Nil, Value::Bool(true)]),
        );
        let m = Map::new();
        m.insert(
            "html",
            Value::str("<a href=\"x\">&</a>\u{2028}\u{8}\u{c}\u{1}"),
        );
        m.insert("nested", Value::Map(inner));
        m.insert("empty", Value::Map(Map::new()));
        m.insert("list", Value::List(List::new(vec![])));
        m.insert("bytes", Value::Bytes(std::rc::Rc::from(&b"hi!"[..])));
        m.insert("big", Value::Float(1e21));
        m.insert("uint", Value::Uint(u64::MAX));
        Value::Map(m)
    }

    #[test]
    fn marshal_like_go() {
        assert_eq!(
            to_json(&sample(), true).unwrap(),
            r#"{"big":1e+21,"bytes":"aGkh","empty":{},"html":"\u003ca href=\"x\"\u003e\u0026\u003c/a\u003e\u2028\b\f\u0001","list":[],"nested":{"a":[1,null,true],"z":1e-7},"uint":18446744073709551615}"#
        );
        assert_eq!(
            to_json(&Value::str("<&>\u{2029}"), false).unwrap(),
            r#""<&>\u2029""#
        );
    }

    #[test]
    fn marshal_indent_like_go() {
        let m = Map::new();
        m.insert("a", Value::list(vec![Value::Int(1), Value::list(vec![])]));
        m.insert("b", Value::Map(Map::new()));
        assert_eq!(
            to_json_indent(&Value::Map(m), "", "  ").unwrap(),
            "{\n  \"a\": [\n    1,\n    []\n  ],\n  \"b\": {}\n}"
        );
        assert_eq!(
            to_json_indent(&Value::list(vec![]), "", "  ").unwrap(),
            "[]"
        );
    }

    #[test]
    fn unsupported_values() {
        assert_eq!(
            to_json(&Value::Float(f64::NAN), true).unwrap_err(),
            "json: unsupported value: NaN"
        );
        let m = Map::new();
        m.insert("x", Value::Float(f64::NEG_INFINITY));
        assert_eq!(
            to_json(&Value::Map(m), true).unwrap_err(),
            "json: unsupported value: -Inf"
        );
    }

    /// A struct like Helm's chartutil.KubeVersion (no json tags): `Version`, `Major`, `Minor`.
    struct KubeVersion;
    impl crate::engine::Object for KubeVersion {
        fn type_name(&self) -> &str {
            "*common.KubeVersion"
        }
        fn write_v(&self, out: &mut String, _plus: bool) {
            out.push_str("v1.36.0");
        }
        fn marshal_ordered(&self) -> Option<Vec<(Str, Value)>> {
            Some(vec![
                (Str::from("Version"), Value::str("v1.36.0")),
                (Str::from("Major"), Value::str("1")),
                (Str::from("Minor"), Value::str("36")),
            ])
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    #[test]
    fn structs_keep_field_order() {
        // oracle: toJson .Capabilities.KubeVersion
        let v = Value::object(KubeVersion);
        assert_eq!(
            to_json(&v, true).unwrap(),
            r#"{"Version":"v1.36.0","Major":"1","Minor":"36"}"#
        );
        assert_eq!(
            crate::json::to_serde(&v).unwrap().to_string(),
            r#"{"Version":"v1.36.0","Major":"1","Minor":"36"}"#
        );
        // toYaml goes through JSON and go-yaml's sorted map keys
        assert_eq!(
            crate::yaml::to_yaml(&v).unwrap(),
            "Major: \"1\"\nMinor: \"36\"\nVersion: v1.36.0\n"
        );
    }

    #[test]
    fn cycles_are_reported() {
        let m = Map::new();
        m.insert(Str::from("self"), Value::Map(m.clone()));
        assert_eq!(
            to_json(&Value::Map(m.clone()), true).unwrap_err(),
            "json: unsupported value: encountered a cycle via map[string]interface {}"
        );
        // break the cycle so the test does not leak
        m.remove("self");
    }
}
