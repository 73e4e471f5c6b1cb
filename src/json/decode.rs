//! Go's `json.Unmarshal` into `interface{}`, `map[string]interface{}` or `[]interface{}`.
//!
//! Go first runs its byte-level scanner over the whole input (`checkValid`), so a syntax error
//! anywhere wins and reads exactly like Go's (`invalid character 'x' looking for beginning of
//! value`, `unexpected end of JSON input`, nesting over 10000 levels: `invalid character '['
//! exceeded max depth`). Only valid input is decoded: numbers become float64 (out of range:
//! `json: cannot unmarshal number 1e400 into Go value of type float64`, the value stays nil and
//! decoding goes on), strings are unquoted with Go's surrogate handling, a top-level value of
//! the wrong kind gives `json: cannot unmarshal array into Go value of type …`.

use crate::engine::value::types;
use crate::engine::{List, Map, Str, Value};

/// Go's `maxNestingDepth`.
const MAX_NESTING_DEPTH: usize = 10_000;
/// ChartLab's bound on nesting (Go's 10000 levels would overflow the browser's stack when the
/// value is later printed, copied or dropped).
pub const CHARTLAB_MAX_DEPTH: usize = 1000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum St {
    BeginValue,
    BeginValueOrEmpty,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    EscU,
    EscU1,
    EscU12,
    EscU123,
    Neg,
    One,
    Zero,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    T,
    Tr,
    Tru,
    F,
    Fa,
    Fal,
    Fals,
    N,
    Nu,
    Nul,
    Error,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parse {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

#[derive(PartialEq, Eq)]
enum Op {
    Continue,
    End,
    Error,
}

/// encoding/json's scanner, used only to validate (checkValid).
struct Scanner {
    step: St,
    end_top: bool,
    stack: Vec<Parse>,
    err: Option<String>,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Go's `quoteChar`: the byte as a quoted character literal (`'x'`, `'\n'`, `'\u0080'`).
pub(crate) fn quote_char(c: u8) -> String {
    match c {
        b'\'' => return "'\\''".into(),
        b'"' => return "'\"'".into(),
        _ => {}
    }
    let r = c as u32;
    let body = match c {
        0x07 => "\\a".to_string(),
        0x08 => "\\b".to_string(),
        0x0c => "\\f".to_string(),
        b'\n' => "\\n".to_string(),
        b'\r' => "\\r".to_string(),
        b'\t' => "\\t".to_string(),
        0x0b => "\\v".to_string(),
        b'\\' => "\\\\".to_string(),
        _ if r < 0x20 || r == 0x7f => format!("\\x{r:02x}"),
        // U+0080..U+009F are controls, U+00A0 a non-ASCII space, U+00AD a format character:
        // not printable for strconv.Quote.
        _ if (0x80..=0xa0).contains(&r) || r == 0xad => format!("\\u{r:04x}"),
        _ => char::from_u32(r).map(String::from).unwrap_or_default(),
    };
    format!("'{body}'")
}

impl Scanner {
    fn new() -> Scanner {
        Scanner {
            step: St::BeginValue,
            end_top: false,
            stack: Vec::new(),
            err: None,
        }
    }

    fn error(&mut self, c: u8, context: &str) -> Op {
        self.step = St::Error;
        self.err = Some(format!("invalid character {} {}", quote_char(c), context));
        Op::Error
    }

    fn push(&mut self, c: u8, p: Parse) -> Op {
        self.stack.push(p);
        if self.stack.len() > CHARTLAB_MAX_DEPTH && self.stack.len() <= MAX_NESTING_DEPTH {
            return self.error(
                c,
                &format!("exceeded max depth of {CHARTLAB_MAX_DEPTH} (ChartLab's limit; Go allows {MAX_NESTING_DEPTH})"),
            );
        }
        if self.stack.len() <= MAX_NESTING_DEPTH {
            Op::Continue
        } else {
            self.error(c, "exceeded max depth")
        }
    }

    fn pop(&mut self) {
        self.stack.pop();
        if self.stack.is_empty() {
            self.step = St::EndTop;
            self.end_top = true;
        } else {
            self.step = St::EndValue;
        }
    }

    fn eof(&mut self) -> Op {
        if self.err.is_some() {
            return Op::Error;
        }
        if self.end_top {
            return Op::End;
        }
        self.feed(b' ');
        if self.end_top {
            return Op::End;
        }
        if self.err.is_none() {
            self.err = Some("unexpected end of JSON input".into());
        }
        Op::Error
    }

    fn begin_value(&mut self, c: u8) -> Op {
        if is_space(c) {
            return Op::Continue;
        }
        match c {
            b'{' => {
                self.step = St::BeginStringOrEmpty;
                self.push(c, Parse::ObjectKey)
            }
            b'[' => {
                self.step = St::BeginValueOrEmpty;
                self.push(c, Parse::ArrayValue)
            }
            b'"' => {
                self.step = St::InString;
                Op::Continue
            }
            b'-' => {
                self.step = St::Neg;
                Op::Continue
            }
            b'0' => {
                self.step = St::Zero;
                Op::Continue
            }
            b't' => {
                self.step = St::T;
                Op::Continue
            }
            b'f' => {
                self.step = St::F;
                Op::Continue
            }
            b'n' => {
                self.step = St::N;
                Op::Continue
            }
            b'1'..=b'9' => {
                self.step = St::One;
                Op::Continue
            }
            _ => self.error(c, "looking for beginning of value"),
        }
    }

    fn end_value(&mut self, c: u8) -> Op {
        let Some(&ps) = self.stack.last() else {
            self.step = St::EndTop;
            self.end_top = true;
            return self.end_top_state(c);
        };
        if is_space(c) {
            self.step = St::EndValue;
            return Op::Continue;
        }
        match ps {
            Parse::ObjectKey => {
                if c == b':' {
                    if let Some(top) = self.stack.last_mut() {
                        *top = Parse::ObjectValue;
                    }
                    self.step = St::BeginValue;
                    return Op::Continue;
                }
                self.error(c, "after object key")
            }
            Parse::ObjectValue => {
                if c == b',' {
                    if let Some(top) = self.stack.last_mut() {
                        *top = Parse::ObjectKey;
                    }
                    self.step = St::BeginString;
                    return Op::Continue;
                }
                if c == b'}' {
                    self.pop();
                    return Op::Continue;
                }
                self.error(c, "after object key:value pair")
            }
            Parse::ArrayValue => {
                if c == b',' {
                    self.step = St::BeginValue;
                    return Op::Continue;
                }
                if c == b']' {
                    self.pop();
                    return Op::Continue;
                }
                self.error(c, "after array element")
            }
        }
    }

    fn end_top_state(&mut self, c: u8) -> Op {
        if !is_space(c) {
            // Complain about the non-space byte on the next call.
            self.error(c, "after top-level value");
        }
        Op::End
    }

    fn hex(&mut self, c: u8, next: St) -> Op {
        if c.is_ascii_hexdigit() {
            self.step = next;
            Op::Continue
        } else {
            self.error(c, "in \\u hexadecimal character escape")
        }
    }

    fn lit(&mut self, c: u8, want: u8, next: St, ctx: &str) -> Op {
        if c == want {
            self.step = next;
            Op::Continue
        } else {
            self.error(c, ctx)
        }
    }

    fn feed(&mut self, c: u8) -> Op {
        match self.step {
            St::Error => Op::Error,
            St::BeginValue => self.begin_value(c),
            St::BeginValueOrEmpty => {
                if is_space(c) {
                    return Op::Continue;
                }
                if c == b']' {
                    return self.end_value(c);
                }
                self.begin_value(c)
            }
            St::BeginStringOrEmpty => {
                if is_space(c) {
                    return Op::Continue;
                }
                if c == b'}' {
                    if let Some(top) = self.stack.last_mut() {
                        *top = Parse::ObjectValue;
                    }
                    return self.end_value(c);
                }
                self.begin_string(c)
            }
            St::BeginString => self.begin_string(c),
            St::EndValue => self.end_value(c),
            St::EndTop => self.end_top_state(c),
            St::InString => {
                if c == b'"' {
                    self.step = St::EndValue;
                    Op::Continue
                } else if c == b'\\' {
                    self.step = St::InStringEsc;
                    Op::Continue
                } else if c < 0x20 {
                    self.error(c, "in string literal")
                } else {
                    Op::Continue
                }
            }
            St::InStringEsc => match c {
                b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                    self.step = St::InString;
                    Op::Continue
                }
                b'u' => {
                    self.step = St::EscU;
                    Op::Continue
                }
                _ => self.error(c, "in string escape code"),
            },
            St::EscU => self.hex(c, St::EscU1),
            St::EscU1 => self.hex(c, St::EscU12),
            St::EscU12 => self.hex(c, St::EscU123),
            St::EscU123 => self.hex(c, St::InString),
            St::Neg => match c {
                b'0' => {
                    self.step = St::Zero;
                    Op::Continue
                }
                b'1'..=b'9' => {
                    self.step = St::One;
                    Op::Continue
                }
                _ => self.error(c, "in numeric literal"),
            },
            St::One => {
                if c.is_ascii_digit() {
                    Op::Continue
                } else {
                    self.zero(c)
                }
            }
            St::Zero => self.zero(c),
            St::Dot => {
                if c.is_ascii_digit() {
                    self.step = St::Dot0;
                    Op::Continue
                } else {
                    self.error(c, "after decimal point in numeric literal")
                }
            }
            St::Dot0 => {
                if c.is_ascii_digit() {
                    Op::Continue
                } else if c == b'e' || c == b'E' {
                    self.step = St::E;
                    Op::Continue
                } else {
                    self.end_value(c)
                }
            }
            St::E => {
                if c == b'+' || c == b'-' {
                    self.step = St::ESign;
                    Op::Continue
                } else {
                    self.e_sign(c)
                }
            }
            St::ESign => self.e_sign(c),
            St::E0 => {
                if c.is_ascii_digit() {
                    Op::Continue
                } else {
                    self.end_value(c)
                }
            }
            St::T => self.lit(c, b'r', St::Tr, "in literal true (expecting 'r')"),
            St::Tr => self.lit(c, b'u', St::Tru, "in literal true (expecting 'u')"),
            St::Tru => self.lit(c, b'e', St::EndValue, "in literal true (expecting 'e')"),
            St::F => self.lit(c, b'a', St::Fa, "in literal false (expecting 'a')"),
            St::Fa => self.lit(c, b'l', St::Fal, "in literal false (expecting 'l')"),
            St::Fal => self.lit(c, b's', St::Fals, "in literal false (expecting 's')"),
            St::Fals => self.lit(c, b'e', St::EndValue, "in literal false (expecting 'e')"),
            St::N => self.lit(c, b'u', St::Nu, "in literal null (expecting 'u')"),
            St::Nu => self.lit(c, b'l', St::Nul, "in literal null (expecting 'l')"),
            St::Nul => self.lit(c, b'l', St::EndValue, "in literal null (expecting 'l')"),
        }
    }

    fn begin_string(&mut self, c: u8) -> Op {
        if is_space(c) {
            return Op::Continue;
        }
        if c == b'"' {
            self.step = St::InString;
            return Op::Continue;
        }
        self.error(c, "looking for beginning of object key string")
    }

    fn zero(&mut self, c: u8) -> Op {
        if c == b'.' {
            self.step = St::Dot;
            Op::Continue
        } else if c == b'e' || c == b'E' {
            self.step = St::E;
            Op::Continue
        } else {
            self.end_value(c)
        }
    }

    fn e_sign(&mut self, c: u8) -> Op {
        if c.is_ascii_digit() {
            self.step = St::E0;
            Op::Continue
        } else {
            self.error(c, "in exponent of numeric literal")
        }
    }
}

/// Go's `checkValid`: the syntax error of the first bad byte, or of a premature end.
pub(crate) fn check_valid(data: &[u8]) -> Result<(), String> {
    let mut s = Scanner::new();
    for &c in data {
        if s.feed(c) == Op::Error {
            return Err(s.err.unwrap_or_default());
        }
    }
    if s.eof() == Op::Error {
        return Err(s.err.unwrap_or_default());
    }
    Ok(())
}

/// `json.Valid`-style check with Go's error text (`unexpected end of JSON input`, …).
pub fn check_valid_text(data: &str) -> Result<(), String> {
    check_valid(data.as_bytes())
}

/// The Go type a top-level JSON value is decoded into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `interface{}` (Sprig's `mustFromJson`).
    Any,
    /// A map type with `interface{}` elements, named as Go prints it
    /// (`map[string]interface {}`, `common.Values`).
    Map(&'static str),
    /// `[]interface {}`.
    List,
}

/// The outcome of an unmarshal: the value as far as it was decoded, and Go's error, if any.
/// For `Target::Map`/`Target::List` a JSON `null` yields a nil map/slice (Go sets the target to
/// nil); a type mismatch at the top leaves the target empty.
pub struct Decoded {
    pub value: Value,
    pub error: Option<String>,
}

/// `json.Unmarshal(data, &target)`.
pub fn unmarshal(data: &str, target: Target) -> Decoded {
    if let Err(e) = check_valid(data.as_bytes()) {
        return Decoded {
            value: empty_target(target),
            error: Some(e),
        };
    }
    let mut d = Decoder {
        b: data.as_bytes(),
        pos: 0,
        saved: None,
    };
    let v = d.value_iter();
    let value = match target {
        Target::Any => v,
        Target::Map(ty) => match v {
            Value::Map(m) => Value::Map(m.with_type(ty)),
            // JSON null sets the map to nil
            Value::Nil => Value::Map(Map::nil(ty)),
            other => {
                d.save(type_error(json_kind(&other), ty));
                empty_target(target)
            }
        },
        Target::List => match v {
            Value::List(_) => v,
            Value::Nil => Value::List(List::nil(types::LIST)),
            other => {
                d.save(type_error(json_kind(&other), types::LIST));
                empty_target(target)
            }
        },
    };
    Decoded {
        value,
        error: d.saved,
    }
}

/// `json.Unmarshal` into `interface{}`: the value, or Go's first error.
pub fn parse(data: &str) -> Result<Value, String> {
    let d = unmarshal(data, Target::Any);
    match d.error {
        Some(e) => Err(e),
        None => Ok(d.value),
    }
}

fn empty_target(t: Target) -> Value {
    match t {
        Target::Any => Value::Nil,
        Target::Map(ty) => Value::Map(Map::typed(ty, Default::default())),
        Target::List => Value::list(Vec::new()),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(_) => "object",
        Value::List(_) => "array",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

fn type_error(kind: &str, ty: &str) -> String {
    format!("json: cannot unmarshal {kind} into Go value of type {ty}")
}

struct Decoder<'a> {
    b: &'a [u8],
    pos: usize,
    saved: Option<String>,
}

enum Frame {
    List(Vec<Value>),
    Map(std::collections::BTreeMap<Str, Value>, Option<Str>),
}

impl Decoder<'_> {
    fn save(&mut self, e: String) {
        if self.saved.is_none() {
            self.saved = Some(e);
        }
    }

    fn skip_space(&mut self) {
        while self.pos < self.b.len() && is_space(self.b[self.pos]) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> u8 {
        self.b.get(self.pos).copied().unwrap_or(0)
    }

    /// Decodes one value of already-validated input without recursion.
    fn value_iter(&mut self) -> Value {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            self.skip_space();
            // Parse a value start.
            let mut done: Option<Value> = match self.peek() {
                b'{' => {
                    self.pos += 1;
                    self.skip_space();
                    if self.peek() == b'}' {
                        self.pos += 1;
                        Some(Value::Map(Map::new()))
                    } else {
                        let key = self.string();
                        self.skip_space();
                        self.pos += 1; // ':'
                        stack.push(Frame::Map(Default::default(), Some(key)));
                        None
                    }
                }
                b'[' => {
                    self.pos += 1;
                    self.skip_space();
                    if self.peek() == b']' {
                        self.pos += 1;
                        Some(Value::list(Vec::new()))
                    } else {
                        stack.push(Frame::List(Vec::new()));
                        None
                    }
                }
                b'"' => Some(Value::String(self.string())),
                b't' => {
                    self.pos += 4;
                    Some(Value::Bool(true))
                }
                b'f' => {
                    self.pos += 5;
                    Some(Value::Bool(false))
                }
                b'n' => {
                    self.pos += 4;
                    Some(Value::Nil)
                }
                _ => Some(self.number()),
            };
            // Attach finished values to their containers.
            while let Some(v) = done.take() {
                let Some(top) = stack.last_mut() else {
                    return v;
                };
                self.skip_space();
                let c = self.peek();
                self.pos += 1;
                match top {
                    Frame::List(items) => {
                        items.push(v);
                        if c == b']' {
                            if let Some(Frame::List(items)) = stack.pop() {
                                done = Some(Value::List(List::new(items)));
                            }
                        }
                    }
                    Frame::Map(entries, key) => {
                        if let Some(k) = key.take() {
                            entries.insert(k, v);
                        }
                        if c == b'}' {
                            if let Some(Frame::Map(entries, _)) = stack.pop() {
                                done = Some(Value::Map(Map::typed(types::MAP, entries)));
                            }
                        } else {
                            self.skip_space();
                            let k = self.string();
                            self.skip_space();
                            self.pos += 1; // ':'
                            if let Some(Frame::Map(_, key)) = stack.last_mut() {
                                *key = Some(k);
                            }
                        }
                    }
                }
            }
        }
    }

    fn number(&mut self) -> Value {
        let start = self.pos;
        while self.pos < self.b.len()
            && matches!(
                self.b[self.pos],
                b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
            )
        {
            self.pos += 1;
        }
        let s = std::str::from_utf8(&self.b[start..self.pos]).unwrap_or("0");
        match s.parse::<f64>() {
            Ok(f) if f.is_finite() => Value::Float(f),
            _ => {
                self.save(format!(
                    "json: cannot unmarshal number {s} into Go value of type float64"
                ));
                Value::Nil
            }
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let h = self.b.get(at..at + 4)?;
        let s = std::str::from_utf8(h).ok()?;
        u32::from_str_radix(s, 16).ok()
    }

    /// Reads a validated string literal at `pos` (Go's `unquote`).
    fn string(&mut self) -> Str {
        self.pos += 1; // opening quote
        let mut out: Vec<u8> = Vec::new();
        while self.pos < self.b.len() {
            let c = self.b[self.pos];
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    let e = self.b.get(self.pos + 1).copied().unwrap_or(0);
                    self.pos += 2;
                    let simple = match e {
                        b'b' => Some(0x08),
                        b'f' => Some(0x0c),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'\\' | b'/' | b'"' => Some(e),
                        _ => None,
                    };
                    if let Some(ch) = simple {
                        out.push(ch);
                        continue;
                    }
                    // \uXXXX
                    let r = self.hex4(self.pos).unwrap_or(0xFFFD);
                    self.pos += 4;
                    let mut ch = r;
                    if (0xD800..0xE000).contains(&r) {
                        ch = 0xFFFD;
                        if (0xD800..0xDC00).contains(&r)
                            && self.b.get(self.pos) == Some(&b'\\')
                            && self.b.get(self.pos + 1) == Some(&b'u')
                        {
                            if let Some(r2) = self.hex4(self.pos + 2) {
                                if (0xDC00..0xE000).contains(&r2) {
                                    ch = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00);
                                    self.pos += 6;
                                }
                            }
                        }
                    }
                    let chr = char::from_u32(ch).unwrap_or('\u{FFFD}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(chr.encode_utf8(&mut buf).as_bytes());
                }
                _ => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        match String::from_utf8(out) {
            Ok(s) => Str::from(s),
            Err(e) => Str::from(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> String {
        parse(s).err().unwrap_or_default()
    }

    #[test]
    fn syntax_errors_read_like_go() {
        assert_eq!(
            err("{bad"),
            "invalid character 'b' looking for beginning of object key string"
        );
        assert_eq!(err(""), "unexpected end of JSON input");
        assert_eq!(err("[1,"), "unexpected end of JSON input");
        assert_eq!(
            err("x"),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(err("[1 2]"), "invalid character '2' after array element");
        assert_eq!(err("{\"a\" 1}"), "invalid character '1' after object key");
        assert_eq!(
            err("{\"a\":1 \"b\"}"),
            "invalid character '\"' after object key:value pair"
        );
        assert_eq!(err("1 2"), "invalid character '2' after top-level value");
        assert_eq!(err("1x"), "invalid character 'x' after top-level value");
        // Go's eof() feeds a space, so truncated literals blame that space.
        assert_eq!(
            err("tru"),
            "invalid character ' ' in literal true (expecting 'e')"
        );
        assert_eq!(
            err("n"),
            "invalid character ' ' in literal null (expecting 'u')"
        );
        assert_eq!(err("-"), "invalid character ' ' in numeric literal");
        assert_eq!(
            err("1e"),
            "invalid character ' ' in exponent of numeric literal"
        );
        assert_eq!(err("\"abc"), "unexpected end of JSON input");
        assert_eq!(err("{\"a\":"), "unexpected end of JSON input");
        assert_eq!(
            err("\u{1}"),
            "invalid character '\\x01' looking for beginning of value"
        );
        assert_eq!(
            err("\u{7f}"),
            "invalid character '\\x7f' looking for beginning of value"
        );
        assert_eq!(
            err("\u{a0}"),
            "invalid character 'Â' looking for beginning of value"
        );
        assert_eq!(
            err("trux"),
            "invalid character 'x' in literal true (expecting 'e')"
        );
        assert_eq!(err("\"a\nb\""), "invalid character '\\n' in string literal");
        assert_eq!(
            err("\"\\q\""),
            "invalid character 'q' in string escape code"
        );
        assert_eq!(
            err("\"\\u12x4\""),
            "invalid character 'x' in \\u hexadecimal character escape"
        );
        assert_eq!(err("01"), "invalid character '1' after top-level value");
        assert_eq!(
            err("1."),
            "invalid character ' ' after decimal point in numeric literal"
        );
        assert_eq!(
            err("1.x"),
            "invalid character 'x' after decimal point in numeric literal"
        );
        assert_eq!(
            err("1ex"),
            "invalid character 'x' in exponent of numeric literal"
        );
        assert_eq!(err("-x"), "invalid character 'x' in numeric literal");
        assert_eq!(
            err("é"),
            "invalid character 'Ã' looking for beginning of value"
        );
        assert_eq!(
            err("'a'"),
            "invalid character '\\'' looking for beginning of value"
        );
        let deep = "[".repeat(1001);
        assert_eq!(
            err(&deep),
            "invalid character '[' exceeded max depth of 1000 (ChartLab's limit; Go allows 10000)"
        );
    }

    #[test]
    fn values_decode_as_go() {
        let v = parse(r#"{"b":[1,2.5,"x",true,null,{}],"a":"\u00e9\ud83d\ude00\ud800x"}"#).unwrap();
        assert_eq!(
            crate::json::to_json(&v, false).unwrap(),
            r#"{"a":"é😀�x","b":[1,2.5,"x",true,null,{}]}"#
        );
        assert_eq!(
            parse("12345678901234567890").unwrap().type_name(),
            "float64"
        );
    }

    #[test]
    fn typed_targets() {
        let d = unmarshal("[1]", Target::Map(types::MAP));
        assert_eq!(
            d.error.as_deref(),
            Some("json: cannot unmarshal array into Go value of type map[string]interface {}")
        );
        let d = unmarshal("{}", Target::List);
        assert_eq!(
            d.error.as_deref(),
            Some("json: cannot unmarshal object into Go value of type []interface {}")
        );
        let d = unmarshal(r#"{"a": 1e400, "b": 2}"#, Target::Map(types::MAP));
        assert_eq!(
            d.error.as_deref(),
            Some("json: cannot unmarshal number 1e400 into Go value of type float64")
        );
        assert_eq!(
            crate::json::to_json(&d.value, true).unwrap(),
            r#"{"a":null,"b":2}"#
        );
        let nil = unmarshal("null", Target::Map(types::MAP)).value;
        assert!(nil.as_map().is_some_and(Map::is_nil));
        assert_eq!(crate::json::to_json(&nil, true).unwrap(), "null");
    }
}
#[cfg(test)]
mod deep_tests {
    /// The deepest value the decoders accept can be encoded and dropped without exhausting a
    /// 2 MiB (test-thread) stack, even in debug builds.
    #[test]
    fn deepest_values_are_safe() {
        let n = super::CHARTLAB_MAX_DEPTH;
        let text = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let v = super::parse(&text).unwrap();
        assert_eq!(crate::json::to_json(&v, true).unwrap(), text);
        assert!(crate::json::to_json_indent(&v, "", "  ").is_ok());
        assert!(crate::json::to_serde(&v).is_ok());
        assert!(crate::yaml::to_yaml_pretty(&v).is_ok());
        // toYaml reads the JSON back with go-yaml, whose ChartLab bound is the same
        assert!(crate::yaml::to_yaml(&v).is_ok());
        let obj = format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
        let v = super::parse(&obj).unwrap();
        assert!(crate::yaml::to_yaml(&v).is_ok());
        // TOML has its own, lower bound
        assert_eq!(
            crate::toml::to_toml(&v).unwrap_err(),
            crate::toml::EncodeError::Error(
                "toml: nesting deeper than 200 levels (ChartLab's limit)".into()
            )
        );
        // YAML at its own bound: parse, convert, encode both ways, drop
        let y = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let v = crate::yaml::parse(&y).unwrap();
        assert!(crate::yaml::to_yaml(&v).is_ok() && crate::yaml::to_yaml_pretty(&v).is_ok());
        let block: String = (0..n).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let v = crate::yaml::parse(&block).unwrap();
        assert!(crate::json::to_json(&v, true).is_ok());
        let deep_toml = format!("a = {}{}", "[".repeat(5000), "]".repeat(5000));
        let (_, e) = crate::toml::from_toml(&deep_toml).unwrap();
        assert_eq!(
            e.as_deref(),
            Some(
                "toml: line 1 (last key \"a\"): nesting deeper than 200 levels (ChartLab's limit)"
            )
        );
        drop(v);
    }
}
