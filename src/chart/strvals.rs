//! `--set` and friends (Helm's pkg/strvals parser.go and literal_parser.go): `a.b[0].c=1,d={x,y}`
//! lines parsed into values with Helm's type inference (`true`/`false`/`null`, int64 for decimal
//! integers not starting with `0`), escapes, list indexes, nesting limits and error texts.
//!
//! The parsers write into an existing map (Helm's ParseInto*), sharing nested maps like Go does.
//! Go panics that strvals recovers from (type assertions on existing values) become the same
//! "unable to parse key: interface conversion: …" errors.

use crate::engine::{Map, Value};

/// strvals.MaxIndex.
pub const MAX_INDEX: usize = 65536;
/// strvals.MaxNestedNameLevel.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// Why a read stopped: Go's io.EOF, or an error text.
#[derive(Clone, Debug, PartialEq)]
enum Stop {
    Eof,
    NotList,
    Err(String),
}

impl From<String> for Stop {
    fn from(s: String) -> Stop {
        Stop::Err(s)
    }
}

/// Reads a value's runes into a value (Go's RunesValueReader).
pub type ValueReader<'a> = dyn FnMut(&str) -> Result<Value, String> + 'a;

enum Mode<'r, 'a> {
    Typed { string_only: bool },
    Json,
    Reader(&'r mut ValueReader<'a>),
}

struct Parser<'r, 'a> {
    src: Vec<char>,
    pos: usize,
    mode: Mode<'r, 'a>,
}

/// Helm's strvals.Parse: a new map from a `--set` line.
pub fn parse(s: &str) -> Result<Map, String> {
    let m = Map::new();
    parse_into(s, &m)?;
    Ok(m)
}

/// Helm's strvals.ParseInto (`--set`).
pub fn parse_into(s: &str, dest: &Map) -> Result<(), String> {
    run(s, dest, Mode::Typed { string_only: false })
}

/// Helm's strvals.ParseString: values stay strings.
pub fn parse_string(s: &str) -> Result<Map, String> {
    let m = Map::new();
    parse_into_string(s, &m)?;
    Ok(m)
}

/// Helm's strvals.ParseIntoString (`--set-string`).
pub fn parse_into_string(s: &str, dest: &Map) -> Result<(), String> {
    run(s, dest, Mode::Typed { string_only: true })
}

/// Helm's strvals.ParseJSON (`--set-json key=JSON`): each value is one JSON document.
pub fn parse_json(s: &str, dest: &Map) -> Result<(), String> {
    run(s, dest, Mode::Json)
}

/// Helm's strvals.ParseIntoFile (`--set-file`): `reader` turns each value (a path) into a value.
pub fn parse_into_file(s: &str, dest: &Map, reader: &mut ValueReader<'_>) -> Result<(), String> {
    run(s, dest, Mode::Reader(reader))
}

fn run(s: &str, dest: &Map, mode: Mode<'_, '_>) -> Result<(), String> {
    let mut p = Parser {
        src: s.chars().collect(),
        pos: 0,
        mode,
    };
    loop {
        match p.key(dest, 0) {
            Ok(()) => continue,
            Err(Stop::Eof) => return Ok(()),
            Err(Stop::NotList) => return Err("not a list".into()),
            Err(Stop::Err(e)) => return Err(e),
        }
    }
}

/// Go's `%q` of a rune slice as strvals prints keys.
fn q(s: &str) -> String {
    crate::engine::printf::quote(s)
}

/// Go's `%q` of a []rune: each rune quoted as a character literal.
fn q_runes(s: &str) -> String {
    let items: Vec<String> = s
        .chars()
        .map(|c| {
            let q = q(&c.to_string());
            let inner = &q[1..q.len() - 1];
            match c {
                '\'' => "'\\''".to_string(),
                '"' => "'\"'".to_string(),
                _ => format!("'{inner}'"),
            }
        })
        .collect();
    format!("[{}]", items.join(" "))
}

/// The text of a failed Go type assertion `x.(T)`.
fn conversion_panic(v: &Value, want: &str) -> String {
    let have = match v {
        Value::Nil => "nil".to_string(),
        other => other.type_name(),
    };
    format!("unable to parse key: interface conversion: interface {{}} is {have}, not {want}")
}

const LIST_T: &str = "[]interface {}";
const MAP_T: &str = "map[string]interface {}";

fn as_list(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) if l.ty() == LIST_T => Some(l.to_vec()),
        _ => None,
    }
}

fn as_map(v: &Value) -> Option<Map> {
    match v {
        Value::Map(m) if m.ty() == MAP_T => Some(m.clone()),
        _ => None,
    }
}

fn set(data: &Map, key: &str, val: Value) {
    if !key.is_empty() {
        data.insert(key, val);
    }
}

fn set_index(mut list: Vec<Value>, index: i64, val: Value) -> (Vec<Value>, Result<(), Stop>) {
    if index < 0 {
        return (
            list,
            Err(format!("negative {index} index not allowed").into()),
        );
    }
    if index as u64 > MAX_INDEX as u64 {
        return (
            list,
            Err(
                format!("index of {index} is greater than maximum supported index of {MAX_INDEX}")
                    .into(),
            ),
        );
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = val;
    (list, Ok(()))
}

/// Go's strconv.Atoi error texts.
fn atoi(s: &str) -> Result<i64, String> {
    let (neg, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.Atoi: parsing {}: invalid syntax", q(s)));
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        n = match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(i64::from(b - b'0')))
        {
            Some(n) => n,
            None => {
                // i64::MIN parses; everything past it is out of range.
                if neg && digits.trim_start_matches('0') == "9223372036854775808" {
                    return Ok(i64::MIN);
                }
                return Err(format!(
                    "strconv.Atoi: parsing {}: value out of range",
                    q(s)
                ));
            }
        };
    }
    Ok(if neg { -n } else { n })
}

/// Helm's typedVal: `--set`'s type inference.
pub fn typed_val(val: &str, string_only: bool) -> Value {
    if string_only {
        return Value::str(val);
    }
    if val.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if val.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if val.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if val == "0" {
        return Value::Int64(0);
    }
    if !val.is_empty() && !val.starts_with('0') {
        if let Some(i) = parse_int64(val) {
            return Value::Int64(i);
        }
    }
    Value::str(val)
}

/// strconv.ParseInt(s, 10, 64) success cases.
fn parse_int64(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

impl Parser<'_, '_> {
    fn read(&mut self) -> Option<char> {
        let c = self.src.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    /// Go's runesUntil (with `\` escapes unless `literal`): the runes before a stop rune, and the
    /// stop rune; Eof when the input ends first.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(r) if stop.contains(&r) => return (v, Some(r)),
                Some('\\') => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(r) => v.push(r),
            }
        }
    }

    fn read_value(&mut self, rs: &str) -> Result<Value, String> {
        match &mut self.mode {
            Mode::Typed { string_only } => Ok(typed_val(rs, *string_only)),
            Mode::Reader(r) => r(rs),
            Mode::Json => Ok(Value::str(rs)),
        }
    }

    fn is_json(&self) -> bool {
        matches!(self.mode, Mode::Json)
    }

    fn key(&mut self, data: &Map, mut level: usize) -> Result<(), Stop> {
        let (k, last) = self.until(&['=', '[', ',', '.']);
        match last {
            None => {
                if k.is_empty() {
                    return Err(Stop::Eof);
                }
                Err(format!("key {} has no value", q(&k)).into())
            }
            Some('[') => {
                let i = self.key_index()?;
                let list = match data.get(&k) {
                    None => Vec::new(),
                    Some(v) => match as_list(&v) {
                        Some(l) => l,
                        None => return Err(conversion_panic(&v, LIST_T).into()),
                    },
                };
                let (list, r) = self.list_item(list, i, level);
                set(data, &k, Value::list(list));
                r
            }
            Some('=') => {
                if self.is_json() {
                    if self.empty_val() {
                        set(data, &k, Value::Nil);
                        return Ok(());
                    }
                    let v = self.json_value()?;
                    set(data, &k, v);
                    self.empty_val();
                    return Ok(());
                }
                match self.val_list() {
                    Ok(vl) => {
                        set(data, &k, Value::list(vl));
                        Ok(())
                    }
                    Err(Stop::Eof) => {
                        set(data, &k, Value::str(""));
                        Err(Stop::Eof)
                    }
                    Err(Stop::NotList) => {
                        let rs = self.val();
                        let v = self.read_value(&rs)?;
                        set(data, &k, v);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            Some(',') => {
                set(data, &k, Value::str(""));
                Err(format!("key {} has no value (cannot end with ,)", q(&k)).into())
            }
            Some(_) => {
                // '.'
                level += 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )
                    .into());
                }
                let inner = match data.get(&k) {
                    None => Map::new(),
                    Some(v) => match as_map(&v) {
                        Some(m) => m,
                        None => return Err(conversion_panic(&v, MAP_T).into()),
                    },
                };
                let e = self.key(&inner, level);
                if e.is_ok() && inner.is_empty() {
                    return Err(format!("key map {} has no value", q(&k)).into());
                }
                if !inner.is_empty() {
                    set(data, &k, Value::Map(inner));
                }
                e
            }
        }
    }

    fn key_index(&mut self) -> Result<i64, Stop> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            // "error parsing index: EOF" wraps io.EOF, which ends parsing quietly.
            return Err(Stop::Eof);
        }
        atoi(&v).map_err(|e| Stop::Err(format!("error parsing index: {e}")))
    }

    fn list_item(
        &mut self,
        list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Vec<Value>, Result<(), Stop>) {
        if i < 0 {
            return (list, Err(format!("negative {i} index not allowed").into()));
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return (
                list,
                Err(format!("unexpected data at end of array index: {}", q_runes(&k)).into()),
            );
        }
        match last {
            None => (list, Err(Stop::Eof)),
            Some('=') => {
                if self.is_json() {
                    if self.empty_val() {
                        return set_index(list, i, Value::Nil);
                    }
                    let v = match self.json_value() {
                        Ok(v) => v,
                        Err(e) => return (list, Err(e)),
                    };
                    let (list, r) = set_index(list, i, v);
                    if r.is_err() {
                        return (list, r);
                    }
                    self.empty_val();
                    return (list, Ok(()));
                }
                match self.val_list() {
                    Ok(vl) => set_index(list, i, Value::list(vl)),
                    Err(Stop::Eof) => set_index(list, i, Value::str("")),
                    Err(Stop::NotList) => {
                        let rs = self.val();
                        match self.read_value(&rs) {
                            Ok(v) => set_index(list, i, v),
                            Err(e) => (list, Err(e.into())),
                        }
                    }
                    Err(e) => (list, Err(e)),
                }
            }
            Some('[') => {
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => return (list, Err(e)),
                };
                let mut crt = Vec::new();
                if let Some(existing) = list.get(i as usize) {
                    if !existing.is_nil() {
                        match as_list(existing) {
                            Some(l) => crt = l,
                            None => {
                                let e = conversion_panic(existing, LIST_T);
                                return (list, Err(e.into()));
                            }
                        }
                    }
                }
                let (list2, r) = self.list_item(crt, next, level);
                if r.is_err() {
                    return (list, r);
                }
                set_index(list, i, Value::list(list2))
            }
            Some(_) => {
                // '.'
                let mut list = list;
                let inner = match list.get(i as usize) {
                    None => Map::new(),
                    Some(v) => match as_map(v) {
                        Some(m) => m,
                        None => {
                            let m = Map::new();
                            list[i as usize] = Value::Map(m.clone());
                            m
                        }
                    },
                };
                if let Err(e) = self.key(&inner, level) {
                    return (list, Err(e));
                }
                set_index(list, i, Value::Map(inner))
            }
        }
    }

    /// Helm's emptyVal: skips blanks; true at a comma (consumed) or the end.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.read() {
                None => return true,
                Some(',') => return true,
                Some(r) if r.is_whitespace() => continue,
                Some(_) => {
                    self.unread();
                    return false;
                }
            }
        }
    }

    fn val(&mut self) -> String {
        self.until(&[',']).0
    }

    fn val_list(&mut self) -> Result<Vec<Value>, Stop> {
        match self.read() {
            None => return Err(Stop::Eof),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(Stop::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => return Err("list must terminate with '}'".to_string().into()),
                Some('}') => {
                    if let Some(r) = self.read() {
                        if r != ',' {
                            self.unread();
                        }
                    }
                    let v = self.read_value(&rs)?;
                    list.push(v);
                    return Ok(list);
                }
                Some(_) => {
                    let v = self.read_value(&rs)?;
                    list.push(v);
                }
            }
        }
    }

    /// One JSON document at the current position, like Go's json.Decoder.Decode followed by
    /// skipping InputOffset runes.
    fn json_value(&mut self) -> Result<Value, Stop> {
        let rest: String = self.src[self.pos..].iter().collect();
        let (v, used) = json_prefix(&rest).map_err(Stop::Err)?;
        self.pos += rest[..used].chars().count();
        Ok(v)
    }
}

/// Decodes the first JSON value of `s` as Go's json.Decoder does (numbers are float64): the value
/// and how many bytes it used. Text after the value is left alone.
pub fn json_prefix(s: &str) -> Result<(Value, usize), String> {
    let (j, used) = super::jsontext::parse_prefix(s)?;
    Ok((j.to_value(), used))
}

/// Helm's ParseLiteralInto (`--set-literal`): the whole rest after `=` is the string value.
pub fn parse_literal_into(s: &str, dest: &Map) -> Result<(), String> {
    let mut p = LiteralParser {
        src: s.chars().collect(),
        pos: 0,
    };
    loop {
        match p.key(dest, 0) {
            Ok(()) => continue,
            Err(Stop::Eof) => return Ok(()),
            Err(Stop::NotList) => return Err("not a list".into()),
            Err(Stop::Err(e)) => return Err(e),
        }
    }
}

/// Helm's ParseLiteral.
pub fn parse_literal(s: &str) -> Result<Map, String> {
    let m = Map::new();
    parse_literal_into(s, &m)?;
    Ok(m)
}

struct LiteralParser {
    src: Vec<char>,
    pos: usize,
}

impl LiteralParser {
    /// runesUntilLiteral: no escapes.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        while let Some(&r) = self.src.get(self.pos) {
            self.pos += 1;
            if stop.contains(&r) {
                return (v, Some(r));
            }
            v.push(r);
        }
        (v, None)
    }

    fn key_index(&mut self) -> Result<i64, Stop> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            // "error parsing index: EOF" wraps io.EOF, which ends parsing quietly.
            return Err(Stop::Eof);
        }
        atoi(&v).map_err(|e| Stop::Err(format!("error parsing index: {e}")))
    }

    fn key(&mut self, data: &Map, mut level: usize) -> Result<(), Stop> {
        let (k, last) = self.until(&['=', '[', '.']);
        match last {
            None => {
                if k.is_empty() {
                    return Err(Stop::Eof);
                }
                Err(format!("key {} has no value", q(&k)).into())
            }
            Some('=') => {
                let (value, _) = self.until(&[]);
                set(data, &k, Value::string(value));
                Ok(())
            }
            Some('.') => {
                level += 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )
                    .into());
                }
                let inner = match data.get(&k) {
                    None => Map::new(),
                    Some(v) => match as_map(&v) {
                        Some(m) => m,
                        None => return Err(conversion_panic(&v, MAP_T).into()),
                    },
                };
                let e = self.key(&inner, level);
                if e.is_ok() && inner.is_empty() {
                    return Err(format!("key map {} has no value", q(&k)).into());
                }
                if !inner.is_empty() {
                    set(data, &k, Value::Map(inner));
                }
                e
            }
            Some(_) => {
                let i = self.key_index()?;
                let list = match data.get(&k) {
                    None => Vec::new(),
                    Some(v) => match as_list(&v) {
                        Some(l) => l,
                        None => return Err(conversion_panic(&v, LIST_T).into()),
                    },
                };
                let (list, r) = self.list_item(list, i, level);
                set(data, &k, Value::list(list));
                r
            }
        }
    }

    fn list_item(
        &mut self,
        list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Vec<Value>, Result<(), Stop>) {
        if i < 0 {
            return (list, Err(format!("negative {i} index not allowed").into()));
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return (
                list,
                Err(format!("unexpected data at end of array index: {}", q_runes(&k)).into()),
            );
        }
        match last {
            None => (list, Err(Stop::Eof)),
            Some('=') => {
                let (value, _) = self.until(&[]);
                set_index(list, i, Value::string(value))
            }
            Some('.') => {
                let mut list = list;
                let inner = match list.get(i as usize) {
                    None => Map::new(),
                    Some(v) => match as_map(v) {
                        Some(m) => m,
                        None => {
                            let m = Map::new();
                            list[i as usize] = Value::Map(m.clone());
                            m
                        }
                    },
                };
                if let Err(e) = self.key(&inner, level) {
                    return (list, Err(e));
                }
                set_index(list, i, Value::Map(inner))
            }
            Some(_) => {
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => return (list, Err(e)),
                };
                let mut crt = Vec::new();
                if let Some(existing) = list.get(i as usize) {
                    if !existing.is_nil() {
                        match as_list(existing) {
                            Some(l) => crt = l,
                            None => {
                                let e = conversion_panic(existing, LIST_T);
                                return (list, Err(e.into()));
                            }
                        }
                    }
                }
                let (list2, r) = self.list_item(crt, next, level);
                if r.is_err() {
                    return (list, r);
                }
                set_index(list, i, Value::list(list2))
            }
        }
    }
}
