//! A JSON reader for the places Helm decodes JSON text itself: `--set-json` values (Go's
//! json.Decoder reading one value from a longer line) and values.schema.json (jsonschema's
//! UnmarshalJSON, numbers kept as their text like `UseNumber`). Errors read like encoding/json's.

use crate::engine::{Map, Value};

/// A JSON document: object members in document order (a repeated key keeps its first position
/// and its last value, as decoding into a Go map does), numbers as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Go's interface{} decoding: numbers become float64.
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Nil,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Float(n.parse::<f64>().unwrap_or(0.0)),
            Json::String(s) => Value::str(s),
            Json::Array(a) => Value::list(a.iter().map(Json::to_value).collect()),
            Json::Object(o) => {
                let m = Map::new();
                for (k, v) in o {
                    m.insert(k.as_str(), v.to_value());
                }
                Value::Map(m)
            }
        }
    }
}

/// The first JSON value of `s`, as json.Decoder.Decode reads it, and how many bytes it used
/// (leading white space included; what follows the value is left alone).
pub fn parse_prefix(s: &str) -> Result<(Json, usize), String> {
    let mut d = Dec {
        b: s.as_bytes(),
        pos: 0,
        depth: 0,
    };
    d.ws();
    if d.pos >= d.b.len() {
        return Err("EOF".into());
    }
    let v = d.value()?;
    Ok((v, d.pos))
}

/// A whole JSON document as jsonschema.UnmarshalJSON reads it: one value, then only white space.
pub fn parse_document(s: &str) -> Result<Json, String> {
    let (v, used) = parse_prefix(s)?;
    if !s[used..].trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Err("invalid character after top-level value".into());
    }
    Ok(v)
}

/// encoding/json's quoteChar.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".to_string(),
        b'"' => "'\"'".to_string(),
        c => {
            let q = crate::engine::printf::quote(&(c as char).to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

struct Dec<'a> {
    b: &'a [u8],
    pos: usize,
    depth: usize,
}

/// encoding/json's nesting limit.
const MAX_DEPTH: usize = 10000;

impl Dec<'_> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn invalid(&self, context: &str) -> String {
        match self.b.get(self.pos) {
            None => "unexpected EOF".to_string(),
            Some(&c) => format!("invalid character {} {context}", quote_char(c)),
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("exceeded max depth".into());
        }
        let r = match self.b.get(self.pos) {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.lit("true", Json::Bool(true)),
            Some(b'f') => self.lit("false", Json::Bool(false)),
            Some(b'n') => self.lit("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.invalid("looking for beginning of value")),
        };
        self.depth -= 1;
        r
    }

    fn lit(&mut self, word: &str, v: Json) -> Result<Json, String> {
        for w in word.bytes() {
            if self.b.get(self.pos) != Some(&w) {
                let ctx = format!("in literal {word} (expecting {})", quote_char(w));
                return Err(self.invalid(&ctx));
            }
            self.pos += 1;
        }
        Ok(v)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.b.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.pos;
        if self.b[self.pos] == b'-' {
            self.pos += 1;
        }
        match self.b.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.invalid("in numeric literal")),
        }
        if self.b.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.invalid("after decimal point in numeric literal"));
            }
        }
        if matches!(self.b.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.b.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.invalid("in exponent of numeric literal"));
            }
        }
        let text = String::from_utf8_lossy(&self.b[start..self.pos]).into_owned();
        Ok(Json::Number(text))
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.b.get(self.pos..self.pos + 4)?;
        let s = std::str::from_utf8(h).ok()?;
        let v = u32::from_str_radix(s, 16).ok()?;
        self.pos += 4;
        Some(v)
    }

    fn string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(&c) = self.b.get(self.pos) else {
                return Err("unexpected EOF".into());
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let Some(&e) = self.b.get(self.pos) else {
                        return Err("unexpected EOF".into());
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let Some(u) = self.hex4() else {
                                return Err(self.invalid("in \\u hexadecimal character escape"));
                            };
                            if (0xD800..0xDC00).contains(&u)
                                && self.b.get(self.pos..self.pos + 2) == Some(b"\\u")
                            {
                                let save = self.pos;
                                self.pos += 2;
                                match self.hex4() {
                                    Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                                        let cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                                        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                                        continue;
                                    }
                                    _ => self.pos = save,
                                }
                            }
                            out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.invalid("in string escape code"));
                        }
                    }
                }
                c if c < 0x20 => return Err(self.invalid("in string literal")),
                _ => {
                    let start = self.pos;
                    while let Some(&c) = self.b.get(self.pos) {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    out.push_str(&String::from_utf8_lossy(&self.b[start..self.pos]));
                }
            }
        }
    }

    fn array(&mut self) -> Result<Json, String> {
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.b.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.ws();
            items.push(self.value()?);
            self.ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.invalid("after array element")),
            }
        }
    }

    fn object(&mut self) -> Result<Json, String> {
        self.pos += 1;
        let mut members: Vec<(String, Json)> = Vec::new();
        self.ws();
        if self.b.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.ws();
            if self.b.get(self.pos) != Some(&b'"') {
                return Err(self.invalid("looking for beginning of object key string"));
            }
            let k = self.string()?;
            self.ws();
            if self.b.get(self.pos) != Some(&b':') {
                return Err(self.invalid("after object key"));
            }
            self.pos += 1;
            self.ws();
            let v = self.value()?;
            match members.iter_mut().find(|(mk, _)| *mk == k) {
                Some(slot) => slot.1 = v,
                None => members.push((k, v)),
            }
            self.ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.invalid("after object key:value pair")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_like_go_decoder() {
        assert_eq!(parse_prefix("1,b=2").unwrap().1, 1);
        assert_eq!(parse_prefix("  [1, 2] ,x").unwrap().1, 8);
        assert_eq!(parse_prefix("1x").unwrap().0, Json::Number("1".into()));
        assert_eq!(parse_prefix("").unwrap_err(), "EOF");
        assert_eq!(
            parse_prefix("{bad").unwrap_err(),
            "invalid character 'b' looking for beginning of object key string"
        );
        assert_eq!(parse_prefix("[1").unwrap_err(), "unexpected EOF");
        assert_eq!(
            parse_document("{} x").unwrap_err(),
            "invalid character after top-level value"
        );
        let doc = parse_document(r#"{"b": 1.50, "a": "\u00e9\ud83d\ude00", "b": 2}"#).unwrap();
        assert_eq!(
            doc,
            Json::Object(vec![
                ("b".into(), Json::Number("2".into())),
                ("a".into(), Json::String("é😀".into()))
            ])
        );
    }
}
