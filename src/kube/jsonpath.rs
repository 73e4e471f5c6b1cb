//! Kubernetes JSONPath (`k8s.io/client-go/util/jsonpath`): the template parser (`{.a.b}`,
//! `{.items[0]}`, slices, unions, `{range}`…`{end}`, filters `[?(@.x=="y")]`, `..`, `*`,
//! quoted literals) and evaluator with its exact error texts, the printing rules of
//! `PrintResults` (strings raw, maps and lists as compact JSON, results of one expression
//! joined by spaces) and kubectl's `-o jsonpath` wrapper (`error parsing jsonpath …`,
//! `error executing jsonpath …`). Go iterates maps in random order for `*` and `..`; here
//! keys are visited in sorted order.

use crate::engine::sort::SliceSort;
use crate::kube::gofmt;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    Identifier(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array([Param; 3]),
    Union(Vec<Vec<Node>>),
    Filter {
        left: Vec<Node>,
        right: Vec<Node>,
        op: String,
    },
    Wildcard,
    Recursive,
}

const EOF: Option<char> = None;

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    width: usize,
    depth: usize,
}

fn is_terminator(r: Option<char>) -> bool {
    match r {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// `%#U`: `U+0023 '#'`.
fn go_sharp_u(c: char) -> String {
    let mut s = format!("U+{:04X}", c as u32);
    if !c.is_control() {
        s.push_str(&format!(" '{c}'"));
    }
    s
}

impl<'a> Parser<'a> {
    fn new(input: &'a str, depth: usize) -> Parser<'a> {
        Parser {
            input,
            pos: 0,
            start: 0,
            width: 0,
            depth,
        }
    }

    fn next(&mut self) -> Option<char> {
        match self.input[self.pos..].chars().next() {
            None => {
                self.width = 0;
                EOF
            }
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
        }
    }

    fn peek(&mut self) -> Option<char> {
        let r = self.next();
        self.backup();
        r
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    fn consume(&mut self) -> String {
        let v = self.input[self.start..self.pos].to_string();
        self.start = self.pos;
        v
    }

    fn rest(&self) -> &str {
        &self.input[self.pos..]
    }

    /// `Parse`: the root list (text and action lists).
    fn parse(&mut self) -> Result<Vec<Node>, String> {
        if self.depth > 16 {
            return Err("invalid syntax".into());
        }
        let mut root = Vec::new();
        loop {
            // parseText
            loop {
                if self.rest().starts_with('{') {
                    break;
                }
                if self.next() == EOF {
                    if self.pos > self.start {
                        root.push(Node::Text(self.consume()));
                    }
                    return Ok(root);
                }
            }
            if self.pos > self.start {
                root.push(Node::Text(self.consume()));
            }
            // parseLeftDelim
            self.pos += 1;
            self.consume();
            let mut cur = Vec::new();
            let r = self.parse_inside_action(&mut cur);
            root.push(Node::List(cur));
            r?;
        }
    }

    fn parse_inside_action(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            if self.rest().starts_with('}') {
                self.pos += 1;
                self.consume();
                return Ok(());
            }
            if self.rest().starts_with("[?(") {
                self.parse_filter(cur)?;
                continue;
            }
            if self.rest().starts_with("..") {
                if matches!(cur.last(), Some(Node::Recursive)) {
                    return Err("invalid multiple recursive descent".into());
                }
                self.pos += 2;
                self.consume();
                cur.push(Node::Recursive);
                if self.peek().map(is_alnum).unwrap_or(false) {
                    self.parse_field(cur);
                }
                continue;
            }
            match self.next() {
                None | Some('\r') | Some('\n') => return Err("unclosed action".into()),
                Some(' ') | Some('@') | Some('$') => {
                    self.consume();
                }
                Some('[') => self.parse_array(cur)?,
                Some(q @ ('"' | '\'')) => self.parse_quote(cur, q)?,
                Some('.') => self.parse_field(cur),
                Some(c) if c == '+' || c == '-' || c.is_numeric() => {
                    self.backup();
                    self.parse_number(cur)?;
                }
                Some(c) if is_alnum(c) => {
                    self.backup();
                    self.parse_identifier(cur);
                }
                Some(c) => {
                    return Err(format!(
                        "unrecognized character in action: {}",
                        go_sharp_u(c)
                    ))
                }
            }
        }
    }

    fn parse_identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let v = self.consume();
        match v.as_str() {
            "true" => cur.push(Node::Bool(true)),
            "false" => cur.push(Node::Bool(false)),
            _ => cur.push(Node::Identifier(v)),
        }
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            let r = self.next();
            if !matches!(r, Some(c) if c == '.' || c.is_numeric()) {
                self.backup();
                break;
            }
        }
        let v = self.consume();
        if let Some(i) = go_atoi(&v) {
            cur.push(Node::Int(i));
            return Ok(());
        }
        if let Some(f) = go_parse_float(&v) {
            cur.push(Node::Float(f));
            return Ok(());
        }
        Err(format!("cannot parse number {v}"))
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                _ => {}
            }
        }
        let text = self.consume();
        let mut text = text[1..text.len() - 1].to_string();
        if text == "*" {
            text = ":".into();
        }
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() > 1 {
            let mut union = Vec::new();
            for p in parts {
                union.push(parse_action(
                    &format!("[{}]", p.trim_matches(' ')),
                    self.depth + 1,
                )?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        // dict key: ['name']
        if text.len() >= 2
            && text.starts_with('\'')
            && text.ends_with('\'')
            && !text[1..text.len() - 1].contains('\'')
        {
            let nodes = parse_action(&format!(".{}", &text[1..text.len() - 1]), self.depth + 1)?;
            cur.extend(nodes);
            return Ok(());
        }
        let Some(groups) = slice_groups(&text) else {
            return Err(format!("invalid array index {text}"));
        };
        let mut params = [Param {
            value: 0,
            known: false,
            derived: false,
        }; 3];
        for i in 0..3 {
            let g = &groups[i];
            if !g.is_empty() {
                let v = if i > 0 { &g[1..] } else { g.as_str() };
                if i > 0 && v.is_empty() {
                    params[i].known = false;
                } else {
                    params[i].known = true;
                    params[i].value =
                        go_atoi(v).ok_or_else(|| format!("array index {v} is not a number"))?;
                }
            } else if i == 1 {
                params[i] = Param {
                    value: params[0].value + 1,
                    known: true,
                    derived: true,
                };
            } else {
                params[i] = Param {
                    value: 0,
                    known: false,
                    derived: false,
                };
            }
        }
        cur.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let mut begin = false;
        let mut end = false;
        let mut pair = '\0';
        loop {
            let r = self.next();
            match r {
                None | Some('\n') => return Err("unterminated filter".into()),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    if self.input.as_bytes().get(self.pos.wrapping_sub(2)) != Some(&b'\\')
                        && q == pair
                    {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let text = self.consume();
        let text = &text[..text.len() - 2];
        match split_filter(text) {
            None => {
                let left = parse_action(text, self.depth + 1)?;
                cur.push(Node::Filter {
                    left,
                    right: Vec::new(),
                    op: "exists".into(),
                });
            }
            Some((l, op, r)) => {
                let left = parse_action(l, self.depth + 1)?;
                let right = parse_action(r, self.depth + 1)?;
                cur.push(Node::Filter {
                    left,
                    right,
                    op: op.to_string(),
                });
            }
        }
        Ok(())
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some(c)
                    if c == end
                        && self.input.as_bytes().get(self.pos.wrapping_sub(2)) != Some(&b'\\') =>
                {
                    break
                }
                _ => {}
            }
        }
        let v = self.consume();
        let s = unquote_extend(&v).map_err(|e| format!("unquote string {v} error {e}"))?;
        cur.push(Node::Text(s));
        Ok(())
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume();
        loop {
            let r = self.next();
            if r == Some('\\') {
                self.next();
            } else if is_terminator(r) {
                self.backup();
                break;
            }
        }
        let v = self.consume();
        if v == "*" {
            cur.push(Node::Wildcard);
        } else {
            cur.push(Node::Field(v.replace('\\', "")));
        }
    }
}

/// `parseAction`: parses `{text}` and returns its action list.
fn parse_action(text: &str, depth: usize) -> Result<Vec<Node>, String> {
    let wrapped = format!("{{{text}}}");
    let mut p = Parser::new(&wrapped, depth);
    let root = p.parse()?;
    match root.into_iter().next() {
        Some(Node::List(l)) => Ok(l),
        _ => Ok(Vec::new()),
    }
}

/// `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` → the three groups (empty when absent).
fn slice_groups(text: &str) -> Option<[String; 3]> {
    fn digits(s: &str) -> usize {
        s.bytes().take_while(u8::is_ascii_digit).count()
    }
    let mut rest = text;
    let mut groups: [String; 3] = Default::default();
    let neg = usize::from(rest.starts_with('-'));
    let n = neg + digits(&rest[neg..]);
    groups[0] = rest[..n].to_string();
    rest = &rest[n..];
    for g in groups.iter_mut().skip(1) {
        if let Some(after) = rest.strip_prefix(':') {
            let neg = usize::from(after.starts_with('-'));
            let n = 1 + neg + digits(&after[neg..]);
            *g = rest[..n].to_string();
            rest = &rest[n..];
        }
    }
    if rest.is_empty() {
        Some(groups)
    } else {
        None
    }
}

/// `^([^!<>=]+)([!<>=]+)(.+?)$`.
fn split_filter(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let i = text.find(is_op)?;
    if i == 0 {
        return None;
    }
    let after = &text[i..];
    let j = after.find(|c: char| !is_op(c)).unwrap_or(after.len());
    let (op, right) = after.split_at(j);
    if right.is_empty() {
        return None;
    }
    Some((&text[..i], op, right))
}

/// `strconv.Atoi`.
fn go_atoi(s: &str) -> Option<i64> {
    let b = s.strip_prefix('+').unwrap_or(s);
    if b.is_empty() || b.starts_with('+') || b == "-" {
        return None;
    }
    let digits = b.strip_prefix('-').unwrap_or(b);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    b.parse().ok()
}

/// `strconv.ParseFloat` for the shapes the number scanner produces (`1.5`, `+.5`, `-2.`).
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s);
    if b.is_empty()
        || b == "."
        || b.matches('.').count() > 1
        || !b.bytes().all(|c| c.is_ascii_digit() || c == b'.')
    {
        return None;
    }
    let v: f64 = b.parse().ok()?;
    Some(if s.starts_with('-') { -v } else { v })
}

/// `UnquoteExtend`: `strconv.Unquote` that also accepts single-quoted strings.
fn unquote_extend(s: &str) -> Result<String, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 2 {
        return Err(SYNTAX);
    }
    let quote = chars[0];
    if quote != chars[chars.len() - 1] || (quote != '"' && quote != '\'') {
        return Err(SYNTAX);
    }
    let inner = &chars[1..chars.len() - 1];
    if !inner.contains(&'\\') && !inner.contains(&quote) {
        return Ok(inner.iter().collect());
    }
    let mut out = String::new();
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        if c == quote {
            return Err(SYNTAX);
        }
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let Some(&e) = inner.get(i) else {
            return Err(SYNTAX);
        };
        i += 1;
        let hex = |n: usize, i: &mut usize| -> Result<u32, &'static str> {
            let s: String = inner.get(*i..*i + n).ok_or(SYNTAX)?.iter().collect();
            *i += n;
            u32::from_str_radix(&s, 16).map_err(|_| SYNTAX)
        };
        match e {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '\'' | '"' => {
                if e != quote {
                    return Err(SYNTAX);
                }
                out.push(e);
            }
            'x' => {
                let v = hex(2, &mut i)?;
                // A byte; as a rune only when it is ASCII (Go would write the raw byte).
                out.push(char::from_u32(v).ok_or(SYNTAX)?);
            }
            'u' => out.push(char::from_u32(hex(4, &mut i)?).ok_or(SYNTAX)?),
            'U' => out.push(char::from_u32(hex(8, &mut i)?).ok_or(SYNTAX)?),
            '0'..='7' => {
                let s: String = std::iter::once(e)
                    .chain(inner.get(i..i + 2).ok_or(SYNTAX)?.iter().copied())
                    .collect();
                i += 2;
                let v = u32::from_str_radix(&s, 8).map_err(|_| SYNTAX)?;
                if v > 255 {
                    return Err(SYNTAX);
                }
                out.push(char::from_u32(v).ok_or(SYNTAX)?);
            }
            _ => return Err(SYNTAX),
        }
    }
    Ok(out)
}

/// A parsed JSONPath template.
#[derive(Clone, Debug)]
pub struct JsonPath {
    root: Vec<Node>,
    raw: String,
}

/// Evaluation state (`JSONPath`'s range bookkeeping).
struct Eval<'r> {
    root: &'r [Node],
    allow_missing: bool,
    begin_range: i64,
    in_range: i64,
    end_range: i64,
    last_end: Option<usize>,
    steps: usize,
}

const MAX_STEPS: usize = 1_000_000;

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() => "int64",
        Value::Number(_) => "float64",
        Value::Null => "interface {}",
    }
}

/// Children visited by `*` and `..`: map values (sorted keys), list items, string bytes.
fn children(v: &Value) -> Vec<Value> {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_stable();
            keys.into_iter().filter_map(|k| m.get(k).cloned()).collect()
        }
        Value::Array(a) => a.clone(),
        Value::String(s) => s.bytes().map(|b| Value::from(u64::from(b))).collect(),
        _ => Vec::new(),
    }
}

#[derive(PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Float,
    Str,
}

fn basic_kind(v: &Value) -> Result<Kind, String> {
    match v {
        Value::Bool(_) => Ok(Kind::Bool),
        Value::Number(n) if n.is_i64() => Ok(Kind::Int),
        Value::Number(_) => Ok(Kind::Float),
        Value::String(_) => Ok(Kind::Str),
        _ => Err("invalid type for comparison".into()),
    }
}

fn go_equal(a: &Value, b: &Value) -> Result<bool, String> {
    let (ka, kb) = (basic_kind(a)?, basic_kind(b)?);
    if ka != kb {
        return Err("incompatible types for comparison".into());
    }
    Ok(match ka {
        Kind::Bool => a.as_bool() == b.as_bool(),
        Kind::Int => a.as_i64() == b.as_i64(),
        Kind::Float => a.as_f64() == b.as_f64(),
        Kind::Str => a.as_str() == b.as_str(),
    })
}

fn go_less(a: &Value, b: &Value) -> Result<bool, String> {
    let (ka, kb) = (basic_kind(a)?, basic_kind(b)?);
    if ka != kb {
        return Err("incompatible types for comparison".into());
    }
    match ka {
        Kind::Bool => Err("invalid type for comparison".into()),
        Kind::Int => Ok(a.as_i64() < b.as_i64()),
        Kind::Float => Ok(a.as_f64().unwrap_or(0.0) < b.as_f64().unwrap_or(0.0)),
        Kind::Str => Ok(a.as_str() < b.as_str()),
    }
}

impl Eval<'_> {
    fn tick(&mut self) -> Result<(), String> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err("jsonpath evaluation is too large".into());
        }
        Ok(())
    }

    fn find_results(
        &mut self,
        data: Option<&Value>,
        start: usize,
        depth: usize,
    ) -> Result<Vec<Vec<Value>>, String> {
        if depth > 64 {
            return Err("jsonpath ranges are nested too deeply".into());
        }
        // An empty range still walks its body once over "nothing" (Go's invalid value).
        let cur: Vec<Value> = vec![data.cloned().unwrap_or(Value::Null)];
        let mut full = Vec::new();
        let mut i = start;
        while i < self.root.len() {
            self.tick()?;
            let node = self.root[i].clone();
            let results = self.walk(&cur, &node)?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end = Some(i);
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                if !results.is_empty() {
                    for v in &results {
                        let next = self.find_results(Some(v), i + 1, depth + 1)?;
                        full.extend(next);
                    }
                } else {
                    self.find_results(None, i + 1, depth + 1)?;
                }
                self.in_range -= 1;
                if let Some(le) = self.last_end {
                    if le > i && le < self.root.len() {
                        i = le;
                    }
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn walk(&mut self, input: &[Value], node: &Node) -> Result<Vec<Value>, String> {
        self.tick()?;
        match node {
            Node::List(nodes) => self.eval_list(input, nodes),
            Node::Text(t) => Ok(vec![Value::String(t.clone())]),
            Node::Field(f) => self.eval_field(input, f),
            Node::Array(p) => self.eval_array(input, *p),
            Node::Filter { left, right, op } => self.eval_filter(input, left, right, op),
            Node::Int(i) => Ok(input.iter().map(|_| Value::from(*i)).collect()),
            Node::Float(f) => Ok(input
                .iter()
                .map(|_| {
                    serde_json::Number::from_f64(*f)
                        .map(Value::Number)
                        .unwrap_or(Value::Null)
                })
                .collect()),
            Node::Bool(b) => Ok(input.iter().map(|_| Value::Bool(*b)).collect()),
            Node::Wildcard => Ok(input
                .iter()
                .filter(|v| !v.is_null())
                .flat_map(children)
                .collect()),
            Node::Recursive => Ok(self.eval_recursive(input, 0)),
            Node::Union(lists) => {
                let mut out = Vec::new();
                for l in lists {
                    out.extend(self.eval_list(input, l)?);
                }
                Ok(out)
            }
            Node::Identifier(name) => match name.as_str() {
                "range" => {
                    self.begin_range += 1;
                    Ok(input.to_vec())
                }
                "end" => {
                    if self.in_range > 0 {
                        self.end_range += 1;
                        Ok(Vec::new())
                    } else {
                        Err("not in range, nothing to end".into())
                    }
                }
                other => Err(format!("unrecognized identifier {other}")),
            },
        }
    }

    fn eval_list(&mut self, input: &[Value], nodes: &[Node]) -> Result<Vec<Value>, String> {
        let mut cur = input.to_vec();
        for n in nodes {
            cur = self.walk(&cur, n)?;
        }
        Ok(cur)
    }

    fn eval_field(&mut self, input: &[Value], name: &str) -> Result<Vec<Value>, String> {
        if input.is_empty() {
            return Ok(Vec::new());
        }
        let results: Vec<Value> = input
            .iter()
            .filter_map(|v| match v {
                Value::Object(m) => m.get(name).cloned(),
                _ => None,
            })
            .collect();
        if results.is_empty() && !self.allow_missing {
            return Err(format!("{name} is not found"));
        }
        Ok(results)
    }

    fn eval_array(
        &mut self,
        input: &[Value],
        node_params: [Param; 3],
    ) -> Result<Vec<Value>, String> {
        let mut result = Vec::new();
        for v in input {
            if v.is_null() {
                continue;
            }
            let Value::Array(a) = v else {
                return Err(format!("{} is not array or slice", type_name(v)));
            };
            let len = a.len() as i64;
            let mut p = node_params;
            if !p[0].known {
                p[0].value = 0;
            }
            if p[0].value < 0 {
                p[0].value += len;
            }
            if !p[1].known {
                p[1].value = len;
            }
            if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
                p[1].value += len;
            }
            if p[1].value != p[0].value {
                if p[0].value >= len || p[0].value < 0 {
                    return Err(format!(
                        "array index out of bounds: index {}, length {}",
                        p[0].value, len
                    ));
                }
                if p[1].value > len || p[1].value < 0 {
                    return Err(format!(
                        "array index out of bounds: index {}, length {}",
                        p[1].value - 1,
                        len
                    ));
                }
                if p[0].value > p[1].value {
                    return Err(format!(
                        "starting index {} is greater than ending index {}",
                        p[0].value, p[1].value
                    ));
                }
            } else {
                return Ok(result);
            }
            let step = if p[2].known {
                if p[2].value <= 0 {
                    return Err("step must be > 0".into());
                }
                p[2].value as usize
            } else {
                1
            };
            let slice = &a[p[0].value as usize..p[1].value as usize];
            result.extend(slice.iter().step_by(step).cloned());
        }
        Ok(result)
    }

    fn eval_recursive(&mut self, input: &[Value], depth: usize) -> Vec<Value> {
        let mut out = Vec::new();
        if depth > 128 {
            return out;
        }
        for v in input {
            if v.is_null() {
                continue;
            }
            let kids = children(v);
            if !kids.is_empty() {
                out.push(v.clone());
                out.extend(self.eval_recursive(&kids, depth + 1));
            }
        }
        out
    }

    fn eval_filter(
        &mut self,
        input: &[Value],
        left: &[Node],
        right: &[Node],
        op: &str,
    ) -> Result<Vec<Value>, String> {
        let mut results = Vec::new();
        for v in input {
            let Value::Array(items) = v else {
                return Err(format!(
                    "{} is not array or slice and cannot be filtered",
                    gofmt::sprint(v)
                ));
            };
            for it in items {
                let temp = [it.clone()];
                let lefts = self.eval_list(&temp, left);
                if op == "exists" {
                    if lefts.map(|l| !l.is_empty()).unwrap_or(false) {
                        results.push(it.clone());
                    }
                    continue;
                }
                let lefts = lefts?;
                let l = match lefts.len() {
                    0 => continue,
                    1 => &lefts[0],
                    _ => return Err("can only compare one element at a time".into()),
                };
                let rights = self.eval_list(&temp, right)?;
                let r = match rights.len() {
                    0 => continue,
                    1 => &rights[0],
                    _ => return Err("can only compare one element at a time".into()),
                };
                let pass = match op {
                    "<" => go_less(l, r)?,
                    ">" => !(go_less(l, r)? || go_equal(l, r)?),
                    "==" => go_equal(l, r)?,
                    "!=" => !go_equal(l, r)?,
                    "<=" => go_less(l, r)? || go_equal(l, r)?,
                    ">=" => !go_less(l, r)?,
                    other => return Err(format!("unrecognized filter operator {other}")),
                };
                if pass {
                    results.push(it.clone());
                }
            }
        }
        Ok(results)
    }
}

/// `PrintResults` for one result: maps and lists as compact JSON, `null`, strings raw,
/// numbers and bools as Go prints them.
fn result_text(v: &Value) -> String {
    match v {
        Value::Object(_) | Value::Array(_) => gofmt::json_marshal(v),
        Value::Null => "null".into(),
        other => gofmt::sprint(other),
    }
}

impl JsonPath {
    /// Parses a template; errors are the parser's texts (`unclosed action`, …).
    pub fn parse(template: &str) -> Result<JsonPath, String> {
        let mut p = Parser::new(template, 0);
        let root = p.parse()?;
        Ok(JsonPath {
            root,
            raw: template.to_string(),
        })
    }

    /// The template as given.
    pub fn template(&self) -> &str {
        &self.raw
    }

    /// The results of each expression (`FindResults`).
    pub fn find_results(
        &self,
        data: &Value,
        allow_missing_keys: bool,
    ) -> Result<Vec<Vec<Value>>, String> {
        let mut ev = Eval {
            root: &self.root,
            allow_missing: allow_missing_keys,
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            last_end: None,
            steps: 0,
        };
        ev.find_results(Some(data), 0, 0)
    }

    /// `Execute`: the printed output.
    pub fn execute(&self, data: &Value, allow_missing_keys: bool) -> Result<String, String> {
        let mut out = String::new();
        for results in self.find_results(data, allow_missing_keys)? {
            let texts: Vec<String> = results.iter().map(result_text).collect();
            out.push_str(&texts.join(" "));
        }
        Ok(out)
    }
}

/// `kubectl … -o jsonpath=TEMPLATE` on `obj` (kubectl allows missing keys by default). `Err`
/// holds kubectl's error message (print it as `error: ` + message, adding a newline if it
/// has none).
pub fn kubectl_jsonpath(
    template: &str,
    obj: &Value,
    allow_missing_keys: bool,
) -> Result<String, String> {
    let jp = JsonPath::parse(template)
        .map_err(|e| format!("error parsing jsonpath {template}, {e}\n"))?;
    jp.execute(obj, allow_missing_keys).map_err(|e| {
        format!(
            "error executing jsonpath {}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
            gofmt::quote(template),
            gofmt::go_syntax(obj)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cm() -> Value {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "default", "labels": {"b": "2", "a": "1"}}, "data": {"k": "v", "n": "3"}})
    }

    fn run(t: &str, v: &Value) -> String {
        kubectl_jsonpath(t, v, true).unwrap_or_else(|e| panic!("{t}: {e}"))
    }

    /// Outputs checked against kubectl v1.32 (`kubectl patch --local -f cm.json -p '{}' -o
    /// jsonpath=…`, and `kubectl get pods -o jsonpath=…` against a test API server).
    #[test]
    fn outputs_like_kubectl() {
        let v = cm();
        assert_eq!(run("{.metadata.labels} {.data.k} {.metadata}{\"\\n\"}", &v), "{\"a\":\"1\",\"b\":\"2\"} v {\"labels\":{\"a\":\"1\",\"b\":\"2\"},\"name\":\"x\",\"namespace\":\"default\"}\n");
        assert_eq!(
            run(
                "{.data.k}{range .data.*}[{@}]{end}{\"\\n\"}{.nope}|{.metadata.labels.a.b}|{..a}",
                &v
            ),
            "v[v][3]\n||1"
        );
        assert_eq!(run("{.data.missing}", &v), "");
        assert_eq!(run("name: {.metadata.name}", &v), "name: x");
    }

    #[test]
    fn lists_ranges_filters() {
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app": "web"}}, "spec": {"containers": [{"name": "c1", "ports": [{"containerPort": 80}]}]}, "status": {"phase": "Running"}},
            {"metadata": {"name": "b", "labels": {"app": "db"}}, "spec": {"containers": [{"name": "c2", "ports": [{"containerPort": 5432}]}]}, "status": {"phase": "Pending"}}
        ]});
        assert_eq!(run("{.items[0].metadata.name}", &list), "a");
        assert_eq!(run("{.items[*].metadata.name}", &list), "a b");
        assert_eq!(run("{.items[-1].metadata.name}", &list), "b");
        assert_eq!(run("{.items[0:1].metadata.name}", &list), "a");
        assert_eq!(run("{.items[0,1].metadata.name}", &list), "a b");
        assert_eq!(
            run(
                "{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}",
                &list
            ),
            "a\tRunning\nb\tPending\n"
        );
        assert_eq!(
            run(
                "{.items[?(@.status.phase==\"Running\")].metadata.name}",
                &list
            ),
            "a"
        );
        assert_eq!(
            run(
                "{.items[?(@.metadata.labels.app!='web')].metadata.name}",
                &list
            ),
            "b"
        );
        assert_eq!(
            run(
                "{.items[?(@.spec.containers[0].ports[0].containerPort>100)].metadata.name}",
                &list
            ),
            "b"
        );
        assert_eq!(
            run("{.items[?(@.status.phase)].metadata.name}", &list),
            "a b"
        );
        assert_eq!(
            run(
                "{.items[*].spec.containers[*].ports[0].containerPort}",
                &list
            ),
            "80 5432"
        );
        assert_eq!(run("{..containerPort}", &list), "80 5432");
        assert_eq!(run("{.items[*]['metadata']['name']}", &list), "a b");
        assert_eq!(
            run("{.items[0].spec.containers}", &list),
            "[{\"name\":\"c1\",\"ports\":[{\"containerPort\":80}]}]"
        );
        // The workshop's NOTES commands.
        assert_eq!(
            run(
                "{.items[0].spec.containers[0].ports[0].containerPort}",
                &list
            ),
            "80"
        );
    }

    #[test]
    fn parse_errors_exact() {
        let v = cm();
        let cases = [
            (
                "{.data.missing",
                "error parsing jsonpath {.data.missing, unclosed action\n",
            ),
            (
                "{#}",
                "error parsing jsonpath {#}, unrecognized character in action: U+0023 '#'\n",
            ),
            (
                "{.a[}",
                "error parsing jsonpath {.a[}, unterminated array\n",
            ),
            (
                "{.a[x]}",
                "error parsing jsonpath {.a[x]}, invalid array index x\n",
            ),
            (
                "{.a[?(@.x}",
                "error parsing jsonpath {.a[?(@.x}, unterminated filter\n",
            ),
            (
                "{\"a}",
                "error parsing jsonpath {\"a}, unterminated quoted string\n",
            ),
            (
                "{....a}",
                "error parsing jsonpath {....a}, invalid multiple recursive descent\n",
            ),
            (
                "{1.2.3}",
                "error parsing jsonpath {1.2.3}, cannot parse number 1.2.3\n",
            ),
        ];
        for (t, want) in cases {
            assert_eq!(kubectl_jsonpath(t, &v, true).unwrap_err(), want, "{t}");
        }
    }

    #[test]
    fn execution_errors_exact() {
        let v = cm();
        let e = kubectl_jsonpath("{.data[0]}", &v, true).unwrap_err();
        assert_eq!(
            e,
            "error executing jsonpath \"{.data[0]}\": Error executing template: map[string]interface {} is not array or slice. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.data[0]}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"apiVersion\":\"v1\", \"data\":map[string]interface {}{\"k\":\"v\", \"n\":\"3\"}, \"kind\":\"ConfigMap\", \"metadata\":map[string]interface {}{\"labels\":map[string]interface {}{\"a\":\"1\", \"b\":\"2\"}, \"name\":\"x\", \"namespace\":\"default\"}}\n\n\n"
        );
        let e = kubectl_jsonpath("{.data[?(@.x)]}", &v, true).unwrap_err();
        assert!(e.contains("Error executing template: map[k:v n:3] is not array or slice and cannot be filtered."), "{e}");
        let e = kubectl_jsonpath("{end}", &v, true).unwrap_err();
        assert!(
            e.contains("Error executing template: not in range, nothing to end."),
            "{e}"
        );
        let jp = JsonPath::parse("{.data.missing}").unwrap();
        assert_eq!(jp.execute(&v, false).unwrap_err(), "missing is not found");
        let l = json!({"items": [1]});
        assert_eq!(
            JsonPath::parse("{.items[3]}")
                .unwrap()
                .execute(&l, true)
                .unwrap_err(),
            "array index out of bounds: index 3, length 1"
        );
        assert_eq!(
            JsonPath::parse("{.items[0:1:0]}")
                .unwrap()
                .execute(&l, true)
                .unwrap_err(),
            "step must be > 0"
        );
        let s = json!({"items": [{"a": 1}]});
        assert_eq!(
            JsonPath::parse("{.items[?(@.a==\"1\")]}")
                .unwrap()
                .execute(&s, true)
                .unwrap_err(),
            "incompatible types for comparison"
        );
    }

    #[test]
    fn values_print_like_go() {
        let v = json!({"f": 1.5, "big": 1e6, "t": true, "n": null, "s": "a<b", "l": ["<"]});
        assert_eq!(
            run("{.f} {.big} {.t} {.n} {.s} {.l}", &v),
            "1.5 1e+06 true null a<b [\"\\u003c\"]"
        );
        // the `release` data of a Helm release Secret comes out raw
        let sec = json!({"data": {"release": "SDRzSUFBQUFBQUFDLzdS"}});
        assert_eq!(run("{.data.release}", &sec), "SDRzSUFBQUFBQUFDLzdS");
    }
}
