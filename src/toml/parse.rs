//! BurntSushi/toml v1.6.0's parser (parse.go): items → a tree of Go values, with its checks
//! (duplicate keys, tables redefined, invalid numbers and datetimes) and error texts.
//!
//! Tables are shared references as Go maps are, because the parser fills the same table
//! through several paths (inline tables, dotted keys, arrays of tables).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::lex::{is_hex, quote_str, Item, ItemType, Lexer};
use super::time::{parse_datetime, TomlTime};
use super::Position;
use crate::json::number::{parse_float, parse_int_base0};

pub type Table = Rc<RefCell<HashMap<String, TVal>>>;

#[derive(Clone, Debug)]
pub enum TVal {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Time(TomlTime),
    Array(Vec<TVal>),
    Table(Table),
    /// `[]map[string]interface {}` (arrays of tables).
    TableArray(Vec<Table>),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TType {
    Integer,
    Float,
    Datetime,
    String,
    Bool,
    Array,
    Hash,
    ArrayHash,
}

/// A parse failure: Go's ParseError (a message for `Error()`), or a parser BUG panic.
#[derive(Debug)]
pub enum Fail {
    Parse {
        message: String,
        position: Position,
        last_key: String,
    },
    Bug(String),
}

impl Fail {
    pub fn text(&self) -> String {
        match self {
            Fail::Parse {
                message,
                position,
                last_key,
            } => {
                if last_key.is_empty() {
                    format!("toml: line {}: {}", position.line, message)
                } else {
                    format!(
                        "toml: line {} (last key {}): {}",
                        position.line,
                        quote_str(last_key),
                        message
                    )
                }
            }
            Fail::Bug(s) => s.clone(),
        }
    }
}

type Key = Vec<String>;

/// `Key.String()`: dotted, each part quoted when it is not a bare key.
pub fn key_string(k: &[String]) -> String {
    let mut out = String::new();
    for (i, part) in k.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(&maybe_quoted(part));
    }
    out
}

/// `Key.maybeQuoted`.
pub fn maybe_quoted(part: &str) -> String {
    if part.is_empty() {
        return "\"\"".into();
    }
    if part
        .chars()
        .all(|r| r.is_ascii_alphanumeric() || r == '_' || r == '-')
    {
        return part.to_string();
    }
    format!("\"{}\"", super::encode::dbl_quoted_replace(part))
}

/// ChartLab's bound on array/inline-table nesting (BurntSushi/toml has none).
const MAX_DEPTH: usize = 200;

struct Parser<'a> {
    lx: Lexer<'a>,
    depth: usize,
    context: Key,
    current_key: String,
    pos: Position,
    key_info: HashMap<String, TType>,
    mapping: Table,
    implicits: std::collections::HashSet<String>,
}

type P<T> = Result<T, Fail>;

fn new_table() -> Table {
    Rc::new(RefCell::new(HashMap::new()))
}

/// `parse(data)`: the top-level table.
pub fn parse(data: &str) -> P<Table> {
    let data = data.strip_prefix("\u{FEFF}").unwrap_or(data);
    let ex = data.len().min(6);
    if let Some(i) = data.as_bytes()[..ex].iter().position(|&b| b == 0) {
        return Err(Fail::Parse {
            message:
                "files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8"
                    .into(),
            position: Position {
                line: 1,
                col: 1,
                start: i,
                len: 1,
            },
            last_key: String::new(),
        });
    }
    let mut p = Parser {
        lx: Lexer::new(data),
        depth: 0,
        context: Vec::new(),
        current_key: String::new(),
        pos: Position::default(),
        key_info: HashMap::new(),
        mapping: new_table(),
        implicits: Default::default(),
    };
    loop {
        let item = p.next()?;
        if item.typ == ItemType::Eof {
            break;
        }
        p.top_level(item)?;
    }
    Ok(p.mapping)
}

fn bug<T>(msg: String) -> P<T> {
    Err(Fail::Bug(format!("BUG: {msg}\n\n")))
}

impl Parser<'_> {
    fn with_col(&self, p: Position) -> Position {
        p.with_col(self.lx.input)
    }

    fn fail_item(&self, it: &Item, message: String) -> Fail {
        Fail::Parse {
            message,
            position: self.with_col(it.pos),
            last_key: self.current(),
        }
    }

    fn failf(&self, message: String) -> Fail {
        Fail::Parse {
            message,
            position: self.with_col(self.pos),
            last_key: self.current(),
        }
    }

    fn next(&mut self) -> P<Item> {
        let it = self.lx.next_item();
        if it.typ == ItemType::Error {
            let msg = it.err.clone().unwrap_or_else(|| it.val.clone());
            return Err(self.fail_item(&it, msg));
        }
        Ok(it)
    }

    fn next_pos(&mut self) -> P<Item> {
        let it = self.next()?;
        self.pos = it.pos;
        Ok(it)
    }

    fn expect(&mut self, typ: ItemType) -> P<Item> {
        let it = self.next()?;
        if it.typ != typ {
            return bug(format!("Expected '{typ:?}' but got '{:?}'.", it.typ));
        }
        Ok(it)
    }

    fn read_key(&mut self, first: Item, end: ItemType) -> P<Key> {
        let mut key = Vec::new();
        let mut name = first;
        while name.typ != end && name.typ != ItemType::Eof {
            key.push(self.key_string_of(&name)?);
            name = self.next()?;
        }
        if name.typ != end {
            return bug(format!("Expected '{end:?}' but got '{:?}'.", name.typ));
        }
        Ok(key)
    }

    fn top_level(&mut self, item: Item) -> P<()> {
        match item.typ {
            ItemType::CommentStart => {
                self.expect(ItemType::Text)?;
            }
            ItemType::TableStart => {
                let name = self.next_pos()?;
                let key = self.read_key(name, ItemType::TableEnd)?;
                self.add_context(&key, false)?;
                self.set_type("", TType::Hash);
            }
            ItemType::ArrayTableStart => {
                let name = self.next_pos()?;
                let key = self.read_key(name, ItemType::ArrayTableEnd)?;
                self.add_context(&key, true)?;
                self.set_type("", TType::ArrayHash);
            }
            ItemType::KeyStart => {
                let outer = self.context.clone();
                let k = self.next_pos()?;
                let key = self.read_key(k, ItemType::KeyEnd)?;
                self.current_key = key.last().cloned().unwrap_or_default();
                let parent = &key[..key.len().saturating_sub(1)];
                for part in parent {
                    let mut ctx = self.context.clone();
                    ctx.push(part.clone());
                    self.add_implicit_context(&ctx)?;
                }
                let v_item = self.next()?;
                let (val, typ) = self.value(v_item, false)?;
                let ck = self.current_key.clone();
                self.set_value(&ck, val)?;
                self.set_type(&ck, typ);
                self.context = outer;
                self.current_key = String::new();
            }
            other => return bug(format!("Unexpected type at top level: {other:?}")),
        }
        Ok(())
    }

    fn key_string_of(&mut self, it: &Item) -> P<String> {
        match it.typ {
            ItemType::Text => Ok(it.val.clone()),
            ItemType::String
            | ItemType::StringEsc
            | ItemType::MultilineString
            | ItemType::RawString
            | ItemType::RawMultilineString => match self.value(it.clone(), false)? {
                (TVal::Str(s), _) => Ok(s),
                _ => bug("Unexpected key type".into()),
            },
            other => bug(format!("Unexpected key type: {other:?}")),
        }
    }

    fn value(&mut self, it: Item, parent_is_array: bool) -> P<(TVal, TType)> {
        match it.typ {
            ItemType::String => Ok((TVal::Str(it.val), TType::String)),
            ItemType::StringEsc => Ok((
                TVal::Str(self.replace_escapes(&it, &it.val)?),
                TType::String,
            )),
            ItemType::MultilineString => {
                let s = strip_escaped_newlines(strip_first_newline(&it.val));
                Ok((TVal::Str(self.replace_escapes(&it, &s)?), TType::String))
            }
            ItemType::RawString => Ok((TVal::Str(it.val), TType::String)),
            ItemType::RawMultilineString => Ok((
                TVal::Str(strip_first_newline(&it.val).to_string()),
                TType::String,
            )),
            ItemType::Integer => self.value_integer(&it),
            ItemType::Float => self.value_float(&it),
            ItemType::Bool => match it.val.as_str() {
                "true" => Ok((TVal::Bool(true), TType::Bool)),
                "false" => Ok((TVal::Bool(false), TType::Bool)),
                _ => bug(format!("Expected boolean value, but got '{}'.", it.val)),
            },
            ItemType::Datetime => self.value_datetime(&it),
            ItemType::Array | ItemType::InlineTableStart => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.fail_item(
                        &it,
                        format!("nesting deeper than {MAX_DEPTH} levels (ChartLab's limit)"),
                    ));
                }
                let r = if it.typ == ItemType::Array {
                    self.value_array()
                } else {
                    self.value_inline_table(parent_is_array)
                };
                self.depth -= 1;
                r
            }
            other => bug(format!("Unexpected value type: {other:?}")),
        }
    }

    fn value_integer(&mut self, it: &Item) -> P<(TVal, TType)> {
        if !num_underscores_ok(&it.val) {
            return Err(self.fail_item(
                it,
                format!(
                    "Invalid integer {}: underscores must be surrounded by digits",
                    quote_str(&it.val)
                ),
            ));
        }
        if num_has_leading_zero(&it.val) {
            return Err(self.fail_item(
                it,
                format!(
                    "Invalid integer {}: cannot have leading zeroes",
                    quote_str(&it.val)
                ),
            ));
        }
        match parse_int_base0(&it.val) {
            Some(n) => Ok((TVal::Int(n), TType::Integer)),
            None => {
                if is_int_syntax(&it.val) {
                    Err(self.fail_item(it, format!("{} is out of range for int64", it.val)))
                } else {
                    bug(format!("Expected integer value, but got '{}'.", it.val))
                }
            }
        }
    }

    fn value_float(&mut self, it: &Item) -> P<(TVal, TType)> {
        let parts: Vec<&str> = it
            .val
            .split(['.', 'e', 'E'])
            .filter(|s| !s.is_empty())
            .collect();
        for part in &parts {
            if !num_underscores_ok(part) {
                return Err(self.fail_item(
                    it,
                    format!(
                        "Invalid float {}: underscores must be surrounded by digits",
                        quote_str(&it.val)
                    ),
                ));
            }
        }
        if parts.first().is_some_and(|p| num_has_leading_zero(p)) {
            return Err(self.fail_item(
                it,
                format!(
                    "Invalid float {}: cannot have leading zeroes",
                    quote_str(&it.val)
                ),
            ));
        }
        if !num_periods_ok(&it.val) {
            return Err(self.fail_item(
                it,
                format!(
                    "Invalid float {}: '.' must be followed by one or more digits",
                    quote_str(&it.val)
                ),
            ));
        }
        let mut val: String = it.val.replace('_', "");
        let mut signbit = false;
        if val == "+nan" || val == "-nan" {
            signbit = val == "-nan";
            val = "nan".into();
        }
        let num = match parse_float(&val) {
            Some(n) => n,
            None => {
                // strconv's ErrRange (the syntax was fine, the value overflowed) or bad syntax
                if val.parse::<f64>().is_ok_and(f64::is_infinite) {
                    return Err(
                        self.fail_item(it, format!("{} is out of range for float64", it.val))
                    );
                }
                return Err(
                    self.fail_item(it, format!("Invalid float value: {}", quote_str(&it.val)))
                );
            }
        };
        let num = if signbit { -num.abs() } else { num };
        Ok((TVal::Float(num), TType::Float))
    }

    fn value_datetime(&mut self, it: &Item) -> P<(TVal, TType)> {
        let val: String = it
            .val
            .chars()
            .map(|c| match c {
                'z' => 'Z',
                't' | ' ' => 'T',
                c => c,
            })
            .collect();
        match parse_datetime(&val) {
            Some(t) => Ok((TVal::Time(t), TType::Datetime)),
            None => Err(self.fail_item(it, format!("invalid datetime: {}", quote_str(&val)))),
        }
    }

    fn value_array(&mut self) -> P<(TVal, TType)> {
        let ck = self.current_key.clone();
        self.set_type(&ck, TType::Array);
        let mut array = Vec::new();
        loop {
            let it = self.next()?;
            if it.typ == ItemType::ArrayEnd {
                break;
            }
            if it.typ == ItemType::CommentStart {
                self.expect(ItemType::Text)?;
                continue;
            }
            let (val, _) = self.value(it, true)?;
            array.push(val);
        }
        Ok((TVal::Array(array), TType::Array))
    }

    fn value_inline_table(&mut self, parent_is_array: bool) -> P<(TVal, TType)> {
        let top_hash = new_table();
        let outer_context = self.context.clone();
        let outer_key = self.current_key.clone();
        self.context.push(self.current_key.clone());
        let prev_context = self.context.clone();
        self.current_key = String::new();
        let ctx = self.context.clone();
        self.add_implicit(&ctx);
        self.add_context(&ctx, parent_is_array)?;
        loop {
            let it = self.next()?;
            if it.typ == ItemType::InlineTableEnd {
                break;
            }
            if it.typ == ItemType::CommentStart {
                self.expect(ItemType::Text)?;
                continue;
            }
            let k = self.next_pos()?;
            let key = self.read_key(k, ItemType::KeyEnd)?;
            self.current_key = key.last().cloned().unwrap_or_default();
            let parent: Vec<String> = key[..key.len().saturating_sub(1)].to_vec();
            for part in &parent {
                let mut c = self.context.clone();
                c.push(part.clone());
                self.add_implicit_context(&c)?;
            }
            let v_item = self.next()?;
            let (val, typ) = self.value(v_item, false)?;
            let ck = self.current_key.clone();
            self.set_value(&ck, val.clone())?;
            self.set_type(&ck, typ);
            let mut hash = top_hash.clone();
            for c in &parent {
                let existing = hash.borrow().get(c).cloned();
                let h = match existing {
                    Some(h) => h,
                    None => {
                        let t = new_table();
                        hash.borrow_mut().insert(c.clone(), TVal::Table(t.clone()));
                        TVal::Table(t)
                    }
                };
                match h {
                    TVal::Table(t) => hash = t,
                    _ => {
                        return Err(self.failf(format!(
                            "{} is not a table",
                            quote_str(&key_string(&self.context))
                        )))
                    }
                }
            }
            hash.borrow_mut().insert(ck, val);
            self.context = prev_context.clone();
        }
        self.context = outer_context;
        self.current_key = outer_key;
        Ok((TVal::Table(top_hash), TType::Hash))
    }

    fn add_context(&mut self, key: &[String], array: bool) -> P<()> {
        let mut hash_context = self.mapping.clone();
        let mut key_context: Key = Vec::new();
        let parent = &key[..key.len().saturating_sub(1)];
        for k in parent {
            key_context.push(k.clone());
            let exists = hash_context.borrow().contains_key(k);
            if !exists {
                self.add_implicit(&key_context);
                hash_context
                    .borrow_mut()
                    .insert(k.clone(), TVal::Table(new_table()));
            }
            let next = match hash_context.borrow().get(k) {
                Some(TVal::TableArray(t)) => t.last().cloned(),
                Some(TVal::Table(t)) => Some(t.clone()),
                _ => None,
            };
            match next {
                Some(t) => hash_context = t,
                None => {
                    return Err(self.failf(format!(
                        "Key '{}' was already created as a hash.",
                        key_string(&key_context)
                    )))
                }
            }
        }
        self.context = key_context;
        let last = key.last().cloned().unwrap_or_default();
        if array {
            let mut hc = hash_context.borrow_mut();
            let entry = hc
                .entry(last.clone())
                .or_insert_with(|| TVal::TableArray(Vec::new()));
            match entry {
                TVal::TableArray(v) => v.push(new_table()),
                _ => {
                    drop(hc);
                    return Err(self.failf(format!(
                        "Key '{}' was already created and cannot be used as an array.",
                        key_string(key)
                    )));
                }
            }
        } else {
            self.set_value(&last, TVal::Table(new_table()))?;
        }
        self.context.push(last);
        Ok(())
    }

    fn set_value(&mut self, key: &str, value: TVal) -> P<()> {
        let mut hash = self.mapping.clone();
        let mut key_context: Key = Vec::new();
        for k in self.context.clone() {
            key_context.push(k.clone());
            let tmp = hash.borrow().get(&k).cloned();
            match tmp {
                None => {
                    return bug(format!(
                        "Context for key '{}' has not been established.",
                        key_string(&key_context)
                    ))
                }
                Some(TVal::TableArray(t)) => match t.last() {
                    Some(last) => hash = last.clone(),
                    None => return bug("empty array of tables".into()),
                },
                Some(TVal::Table(t)) => hash = t,
                Some(_) => {
                    return Err(self.failf(format!(
                        "Key '{}' has already been defined.",
                        key_string(&key_context)
                    )))
                }
            }
        }
        key_context.push(key.to_string());
        let exists = hash.borrow().contains_key(key);
        if exists {
            if self.is_array(&key_context) {
                if !self.is_implicit(&key_context) {
                    return Err(self.failf(format!(
                        "Key '{}' has already been defined.",
                        key_string(&key_context)
                    )));
                }
                self.remove_implicit(&key_context);
                hash.borrow_mut().insert(key.to_string(), value);
                return Ok(());
            }
            if self.is_implicit(&key_context) {
                self.remove_implicit(&key_context);
                return Ok(());
            }
            return Err(self.failf(format!(
                "Key '{}' has already been defined.",
                key_string(&key_context)
            )));
        }
        hash.borrow_mut().insert(key.to_string(), value);
        Ok(())
    }

    fn set_type(&mut self, key: &str, typ: TType) {
        let mut key_context = self.context.clone();
        if !key.is_empty() {
            key_context.push(key.to_string());
        }
        if key_context.is_empty() {
            key_context = vec![String::new()];
        }
        self.key_info.insert(key_string(&key_context), typ);
    }

    fn add_implicit(&mut self, key: &[String]) {
        self.implicits.insert(key_string(key));
    }
    fn remove_implicit(&mut self, key: &[String]) {
        self.implicits.remove(&key_string(key));
    }
    fn is_implicit(&self, key: &[String]) -> bool {
        self.implicits.contains(&key_string(key))
    }
    fn is_array(&self, key: &[String]) -> bool {
        self.key_info.get(&key_string(key)) == Some(&TType::Array)
    }
    fn add_implicit_context(&mut self, key: &[String]) -> P<()> {
        self.add_implicit(key);
        self.add_context(key, false)
    }

    /// The last key, for error messages.
    fn current(&self) -> String {
        if self.current_key.is_empty() {
            return key_string(&self.context);
        }
        if self.context.is_empty() {
            return self.current_key.clone();
        }
        format!("{}.{}", key_string(&self.context), self.current_key)
    }

    fn replace_escapes(&self, it: &Item, s: &str) -> P<String> {
        let mut out = String::with_capacity(s.len());
        let b = s.as_bytes();
        let mut skip = 0usize;
        for (i, c) in s.char_indices() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(&e) = b.get(i + 1) else {
                return bug("Escape sequence at end of string.".into());
            };
            match e {
                b' ' | b'\t' => {
                    return Err(self.fail_item(it, format!("invalid escape: '\\{}'", e as char)));
                }
                b'b' => out.push('\u{8}'),
                b't' => out.push('\t'),
                b'n' => out.push('\n'),
                b'f' => out.push('\u{c}'),
                b'r' => out.push('\r'),
                b'e' => out.push('\u{1b}'),
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'x' | b'u' | b'U' => {
                    let n = match e {
                        b'x' => 2,
                        b'u' => 4,
                        _ => 8,
                    };
                    let hex = s.get(i + 2..i + 2 + n).unwrap_or("");
                    out.push(self.ascii_escape_to_unicode(it, hex)?);
                    skip = n;
                }
                other => {
                    return bug(format!(
                        "Expected valid escape code after \\, but got {}.",
                        other as char
                    ))
                }
            }
            skip += 1;
        }
        Ok(out)
    }

    fn ascii_escape_to_unicode(&self, it: &Item, s: &str) -> P<char> {
        if s.is_empty() || !s.chars().all(is_hex) {
            return bug(format!(
                "Could not parse '{s}' as a hexadecimal number, but the lexer claims it's OK"
            ));
        }
        let v = u32::from_str_radix(s, 16).unwrap_or(u32::MAX);
        match char::from_u32(v) {
            Some(c) => Ok(c),
            None => Err(self.fail_item(
                it,
                format!("Escaped character '\\u{s}' is not valid UTF-8."),
            )),
        }
    }
}

/// Whether `strconv.ParseInt(s, 0, 64)` failed on range rather than syntax.
fn is_int_syntax(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (base, digits) = match t.get(..2) {
        Some("0x") | Some("0X") => (16, &t[2..]),
        Some("0o") | Some("0O") => (8, &t[2..]),
        Some("0b") | Some("0B") => (2, &t[2..]),
        _ => (10, t),
    };
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    !digits.is_empty() && digits.chars().all(|c| c.is_digit(base))
}

fn num_has_leading_zero(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > 1 && b[0] == b'0' && !matches!(b[1], b'b' | b'o' | b'x') {
        return true;
    }
    b.len() > 2 && (b[0] == b'-' || b[0] == b'+') && b[1] == b'0'
}

fn num_underscores_ok(s: &str) -> bool {
    if matches!(s, "nan" | "+nan" | "-nan" | "inf" | "-inf" | "+inf") {
        return true;
    }
    let mut accept = false;
    for r in s.chars() {
        if r == '_' && !accept {
            return false;
        }
        accept = is_hex(r);
    }
    accept
}

fn num_periods_ok(s: &str) -> bool {
    let mut period = false;
    for r in s.chars() {
        if period && !r.is_ascii_digit() {
            return false;
        }
        period = r == '.';
    }
    !period
}

fn strip_first_newline(s: &str) -> &str {
    if let Some(r) = s.strip_prefix('\n') {
        return r;
    }
    if let Some(r) = s.strip_prefix("\r\n") {
        return r;
    }
    s
}

fn strip_escaped_newlines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut s = s.to_string();
    let mut i = 0usize;
    loop {
        let Some(ix) = s.get(i..).and_then(|rest| rest.find('\\')) else {
            out.push_str(&s);
            return out;
        };
        i += ix;
        let b = s.as_bytes();
        if b.len() > i + 1 && b[i + 1] == b'\\' {
            i += 2;
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
            j += 1;
        }
        if j == i + 1 {
            i += 1;
            continue;
        }
        if !s[i..j].contains('\n') {
            i += 1;
            continue;
        }
        out.push_str(&s[..i]);
        s = s[j..].to_string();
        i = 0;
    }
}
