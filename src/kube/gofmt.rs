//! How Go prints the `interface{}` values kubectl holds after decoding JSON into
//! `unstructured` maps: `fmt.Sprint` (`%v`), `fmt.Sprintf("%#v")`, `strconv.Quote` and
//! `encoding/json.Marshal` (sorted keys, HTML escaping, Go's float forms). Used by the JSONPath
//! printer and by error texts that embed values.

use crate::engine::sort::SliceSort;
use serde_json::Value;

/// The shortest decimal digits of a finite, non-zero `f` and the decimal point position, Go's
/// `decimal{d, dp}` convention: `f = 0.d1d2d3… × 10^dp`.
fn shortest_digits(f: f64) -> (String, i32) {
    let s = format!("{:e}", f.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let e: i32 = exp.parse().unwrap_or(0);
    (digits.to_string(), e + 1)
}

fn fmt_e(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    let exp = dp - 1;
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

fn fmt_f(neg: bool, digits: &str, dp: i32) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dp <= 0 {
        out.push_str("0.");
        for _ in 0..(-dp) {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        let dp = dp as usize;
        if digits.len() <= dp {
            out.push_str(digits);
            for _ in digits.len()..dp {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..dp]);
            out.push('.');
            out.push_str(&digits[dp..]);
        }
    }
    out
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`, which is what `fmt` prints for `%v` of a float64.
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let (digits, dp) = shortest_digits(f);
    let exp = dp - 1;
    if !(-4..6).contains(&exp) {
        fmt_e(f < 0.0, &digits, dp)
    } else {
        fmt_f(f < 0.0, &digits, dp)
    }
}

/// How `encoding/json` writes a float64: `'f'` form, `'e'` below 1e-6 or from 1e21 on, with
/// `e-07` shortened to `e-7`.
pub fn format_float_json(f: f64) -> String {
    if !f.is_finite() {
        return "null".into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let (digits, dp) = shortest_digits(f);
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let mut s = fmt_e(f < 0.0, &digits, dp);
        let n = s.len();
        let b = s.as_bytes();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            s.remove(n - 2);
        }
        s
    } else {
        fmt_f(f < 0.0, &digits, dp)
    }
}

/// A JSON number as Go holds it in `unstructured` content: int64 when it has no fraction or
/// exponent, float64 otherwise.
fn number_sprint(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        // Beyond int64: the unstructured decoder falls back to float64.
        format_float_g(u as f64)
    } else {
        format_float_g(n.as_f64().unwrap_or(0.0))
    }
}

/// `fmt.Sprint(v)` for a decoded JSON value: strings raw, `map[a:1 b:2]` with sorted keys,
/// `[a b]` for slices, `<nil>` for null.
pub fn sprint(v: &Value) -> String {
    let mut out = String::new();
    sprint_into(v, &mut out);
    out
}

fn sprint_into(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_sprint(n)),
        Value::String(s) => out.push_str(s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                sprint_into(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push_str("map[");
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_stable();
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                if let Some(x) = m.get(*k) {
                    sprint_into(x, out);
                }
            }
            out.push(']');
        }
    }
}

/// `strconv.Quote(s)`: Go-syntax double-quoted string.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if is_go_unprintable(c) => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The runes `strconv.IsPrint` rejects that matter in practice: C1 controls, non-ASCII spaces,
/// the line/paragraph separators, format characters, private use and noncharacters.
fn is_go_unprintable(c: char) -> bool {
    let u = c as u32;
    (0x80..=0xa0).contains(&u)
        || u == 0xad
        || u == 0x1680
        || (0x2000..=0x200f).contains(&u)
        || (0x2028..=0x202f).contains(&u)
        || (0x205f..=0x206f).contains(&u)
        || u == 0x3000
        || u == 0xfeff
        || (0xfff9..=0xfffb).contains(&u)
        || (0xe000..=0xf8ff).contains(&u)
        || u == 0xfffe
        || u == 0xffff
}

/// `fmt.Sprintf("%#v", v)` for a decoded JSON value:
/// `map[string]interface {}{"a":"b", "n":1}`, `[]interface {}{"x"}`, `interface {}(nil)`.
pub fn go_syntax(v: &Value) -> String {
    let mut out = String::new();
    go_syntax_into(v, &mut out, true);
    out
}

fn go_syntax_into(v: &Value, out: &mut String, top: bool) {
    match v {
        Value::Null => out.push_str(if top { "<nil>" } else { "interface {}(nil)" }),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_sprint(n)),
        Value::String(s) => out.push_str(&quote(s)),
        Value::Array(a) => {
            out.push_str("[]interface {}{");
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                go_syntax_into(x, out, false);
            }
            out.push('}');
        }
        Value::Object(m) => {
            out.push_str("map[string]interface {}{");
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_stable();
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&quote(k));
                out.push(':');
                if let Some(x) = m.get(*k) {
                    go_syntax_into(x, out, false);
                }
            }
            out.push('}');
        }
    }
}

/// `encoding/json.Marshal(v)` of a decoded value: compact, keys sorted, `<`, `>`, `&`,
/// U+2028 and U+2029 escaped, Go's float forms.
pub fn json_marshal(v: &Value) -> String {
    let mut out = String::new();
    json_into(v, &mut out, None, 0);
    out
}

/// `json.MarshalIndent(v, "", indent)`.
pub fn json_marshal_indent(v: &Value, indent: &str) -> String {
    let mut out = String::new();
    json_into(v, &mut out, Some(indent), 0);
    out
}

fn newline(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(ind);
        }
    }
}

fn json_into(v: &Value, out: &mut String, indent: Option<&str>, depth: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&format_float_json(u as f64));
            } else {
                out.push_str(&format_float_json(n.as_f64().unwrap_or(0.0)));
            }
        }
        Value::String(s) => json_string(s, out),
        Value::Array(a) => {
            if a.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                json_into(x, out, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.push(']');
        }
        Value::Object(m) => {
            if m.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_stable();
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, depth + 1);
                json_string(k, out);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                if let Some(x) = m.get(*k) {
                    json_into(x, out, indent, depth + 1);
                }
            }
            newline(out, indent, depth);
            out.push('}');
        }
    }
}

/// A JSON string the way `encoding/json` escapes it (HTML-safe).
pub fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_like_go() {
        // fmt.Sprint
        assert_eq!(format_float_g(1.5), "1.5");
        assert_eq!(format_float_g(1e6), "1e+06");
        assert_eq!(format_float_g(123456.0), "123456");
        assert_eq!(format_float_g(1234567.0), "1.234567e+06");
        assert_eq!(format_float_g(0.0001), "0.0001");
        assert_eq!(format_float_g(0.00001), "1e-05");
        assert_eq!(format_float_g(-2.5e-10), "-2.5e-10");
        // encoding/json
        assert_eq!(format_float_json(1.5), "1.5");
        assert_eq!(format_float_json(1e20), "100000000000000000000");
        assert_eq!(format_float_json(1e21), "1e+21");
        assert_eq!(format_float_json(1.5e-7), "1.5e-7");
        assert_eq!(format_float_json(0.000001), "0.000001");
    }

    #[test]
    fn sprint_and_go_syntax() {
        let v = json!({"b": [1, "x", null], "a": {"k": true}, "f": 2.5});
        assert_eq!(sprint(&v), "map[a:map[k:true] b:[1 x <nil>] f:2.5]");
        assert_eq!(
            go_syntax(&v),
            r#"map[string]interface {}{"a":map[string]interface {}{"k":true}, "b":[]interface {}{1, "x", interface {}(nil)}, "f":2.5}"#
        );
        assert_eq!(quote("a\"b\n\u{7f}é"), r#""a\"b\n\x7fé""#);
    }

    #[test]
    fn json_like_go() {
        let v = json!({"z": "<a&b>", "a": [1, 2.0, 1e-7], "e": {}, "l": []});
        assert_eq!(
            json_marshal(&v),
            r#"{"a":[1,2,1e-7],"e":{},"l":[],"z":"\u003ca\u0026b\u003e"}"#
        );
        assert_eq!(
            json_marshal_indent(&json!({"a": [1], "b": {}}), "    "),
            "{\n    \"a\": [\n        1\n    ],\n    \"b\": {}\n}"
        );
    }
}
