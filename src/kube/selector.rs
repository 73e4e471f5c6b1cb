//! Label selectors (`k8s.io/apimachinery/pkg/labels`): the lexer and parser of the selector
//! syntax (`=`, `==`, `!=`, `in`, `notin`, `gt`/`lt`, exists, `!key`) with their exact error
//! texts, matching, `String()`, `metav1.LabelSelector` conversion and `FormatLabelSelector`;
//! plus field selectors (`k8s.io/apimachinery/pkg/fields`).

use crate::engine::sort::SliceSort;
use crate::kube::validation::{is_label_key, is_label_value};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// `selection.Operator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// One requirement: `key op values`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub op: Operator,
    /// Sorted and de-duplicated for set operators (Go's `sets.String.List()`).
    pub values: Vec<String>,
}

impl Requirement {
    /// `Requirement.Matches`.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self.op {
            Operator::In | Operator::Equals | Operator::DoubleEquals => labels
                .get(&self.key)
                .map(|v| self.values.contains(v))
                .unwrap_or(false),
            Operator::NotIn | Operator::NotEquals => labels
                .get(&self.key)
                .map(|v| !self.values.contains(v))
                .unwrap_or(true),
            Operator::Exists => labels.contains_key(&self.key),
            Operator::DoesNotExist => !labels.contains_key(&self.key),
            Operator::GreaterThan | Operator::LessThan => {
                let Some(v) = labels.get(&self.key) else {
                    return false;
                };
                let Ok(lv) = v.parse::<i64>() else {
                    return false;
                };
                let [rv] = self.values.as_slice() else {
                    return false;
                };
                let Ok(rv) = rv.parse::<i64>() else {
                    return false;
                };
                if self.op == Operator::GreaterThan {
                    lv > rv
                } else {
                    lv < rv
                }
            }
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.op == Operator::DoesNotExist {
            f.write_str("!")?;
        }
        f.write_str(&self.key)?;
        let op = match self.op {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => " in ",
            Operator::NotIn => " notin ",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
            Operator::Exists | Operator::DoesNotExist => return Ok(()),
        };
        f.write_str(op)?;
        let set = matches!(self.op, Operator::In | Operator::NotIn);
        if set {
            f.write_str("(")?;
        }
        let mut vals = self.values.clone();
        vals.sort_stable();
        f.write_str(&vals.join(","))?;
        if set {
            f.write_str(")")?;
        }
        Ok(())
    }
}

/// A parsed selector: requirements ANDed, sorted by key. Empty matches everything;
/// [`Selector::nothing`] matches nothing.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Selector {
    pub requirements: Vec<Requirement>,
    nothing: bool,
}

impl Selector {
    /// Matches everything.
    pub fn everything() -> Selector {
        Selector::default()
    }

    /// `labels.Nothing()`: matches nothing, prints as `""`.
    pub fn nothing() -> Selector {
        Selector {
            requirements: Vec::new(),
            nothing: true,
        }
    }

    /// Whether this is `labels.Nothing()`.
    pub fn is_nothing(&self) -> bool {
        self.nothing
    }

    /// `labels.SelectorFromSet`: `k=v` for each entry.
    pub fn from_set(set: &BTreeMap<String, String>) -> Selector {
        Selector {
            requirements: set
                .iter()
                .map(|(k, v)| Requirement {
                    key: k.clone(),
                    op: Operator::Equals,
                    values: vec![v.clone()],
                })
                .collect(),
            nothing: false,
        }
    }

    /// `labels.Parse`.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut p = Parser {
            items: lex(s),
            pos: 0,
        };
        let mut reqs = p.parse()?;
        reqs.sort_stable_by(|a, b| a.key.cmp(&b.key));
        Ok(Selector {
            requirements: reqs,
            nothing: false,
        })
    }

    /// `Matches`.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        !self.nothing && self.requirements.iter().all(|r| r.matches(labels))
    }

    /// Whether the selector has no requirements (and is not `Nothing`).
    pub fn is_empty(&self) -> bool {
        !self.nothing && self.requirements.is_empty()
    }

    /// `metav1.LabelSelectorAsSelector`: `null` → nothing, `{}` → everything.
    pub fn from_label_selector(ls: Option<&Value>) -> Result<Selector, String> {
        let Some(ls) = ls.filter(|v| !v.is_null()) else {
            return Ok(Selector::nothing());
        };
        let mut reqs = Vec::new();
        if let Some(Value::Object(ml)) = ls.get("matchLabels") {
            for (k, v) in ml {
                let v = v.as_str().unwrap_or_default().to_string();
                reqs.push(new_requirement(k, Operator::Equals, vec![v], "")?);
            }
        }
        if let Some(Value::Array(exprs)) = ls.get("matchExpressions") {
            for e in exprs {
                let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
                let op_s = e
                    .get("operator")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let vals: Vec<String> = e
                    .get("values")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let op = match op_s {
                    "In" => Operator::In,
                    "NotIn" => Operator::NotIn,
                    "Exists" => Operator::Exists,
                    "DoesNotExist" => Operator::DoesNotExist,
                    other => {
                        return Err(format!("{other:?} is not a valid label selector operator"))
                    }
                };
                let mut vals = vals;
                if matches!(op, Operator::In | Operator::NotIn) {
                    vals.sort_stable();
                    vals.dedup();
                }
                reqs.push(new_requirement(key, op, vals, "")?);
            }
        }
        reqs.sort_stable_by(|a, b| a.key.cmp(&b.key));
        Ok(Selector {
            requirements: reqs,
            nothing: false,
        })
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.requirements.iter().map(|r| r.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

/// `metav1.FormatLabelSelector`: the selector's string, `<none>` when empty, `<error>` when
/// invalid.
pub fn format_label_selector(ls: Option<&Value>) -> String {
    match Selector::from_label_selector(ls) {
        Ok(s) => {
            let t = s.to_string();
            if t.is_empty() {
                "<none>".into()
            } else {
                t
            }
        }
        Err(_) => "<error>".into(),
    }
}

/// `labels.FormatLabels`: `a=b,c=d` sorted by key, `<none>` when empty.
pub fn format_labels(m: &BTreeMap<String, String>) -> String {
    if m.is_empty() {
        return "<none>".into();
    }
    m.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `NewRequirement`'s validation, with its `field.ErrorList` aggregate message. `path` is the
/// field path the parser was given (none for `labels.Parse`, printed `<nil>`).
fn new_requirement(
    key: &str,
    op: Operator,
    vals: Vec<String>,
    path: &str,
) -> Result<Requirement, String> {
    let mut errs: Vec<String> = Vec::new();
    let field = |name: &str| {
        if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    let key_errs = is_label_key(key);
    if !key_errs.is_empty() {
        errs.push(format!(
            "{}: Invalid value: {}: {}",
            field("key"),
            crate::kube::gofmt::quote(key),
            key_errs.join("; ")
        ));
    }
    let values_json = || Value::Array(vals.iter().cloned().map(Value::String).collect());
    match op {
        Operator::In | Operator::NotIn if vals.is_empty() => errs.push(format!(
            "{}: Invalid value: {}: for 'in', 'notin' operators, values set can't be empty",
            field("values"),
            crate::kube::gofmt::json_marshal(&values_json())
        )),
        Operator::Equals | Operator::DoubleEquals | Operator::NotEquals if vals.len() != 1 => errs
            .push(format!(
                "{}: Invalid value: {}: exact-match compatibility requires one single value",
                field("values"),
                crate::kube::gofmt::json_marshal(&values_json())
            )),
        Operator::Exists | Operator::DoesNotExist if !vals.is_empty() => errs.push(format!(
            "{}: Invalid value: {}: values set must be empty for exists and does not exist",
            field("values"),
            crate::kube::gofmt::json_marshal(&values_json())
        )),
        Operator::GreaterThan | Operator::LessThan => {
            if vals.len() != 1 {
                errs.push(format!(
                    "{}: Invalid value: {}: for 'Gt', 'Lt' operators, exactly one value is required",
                    field("values"),
                    crate::kube::gofmt::json_marshal(&values_json())
                ));
            }
            for (i, v) in vals.iter().enumerate() {
                if v.parse::<i64>().is_err() {
                    errs.push(format!(
                        "{}[{i}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                        field("values"),
                        crate::kube::gofmt::quote(v)
                    ));
                }
            }
        }
        _ => {}
    }
    for (i, v) in vals.iter().enumerate() {
        let ve = is_label_value(v);
        if !ve.is_empty() {
            errs.push(format!(
                "{}[{i}][{key}]: Invalid value: {}: {}",
                field("values"),
                crate::kube::gofmt::quote(v),
                ve.join("; ")
            ));
        }
    }
    if errs.is_empty() {
        return Ok(Requirement {
            key: key.to_string(),
            op,
            values: vals,
        });
    }
    errs.dedup();
    if errs.len() == 1 {
        Err(errs.remove(0))
    } else {
        Err(format!("[{}]", errs.join(", ")))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Error,
    End,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

fn token_of(s: &str) -> Option<Tok> {
    Some(match s {
        ")" => Tok::ClosedPar,
        "," => Tok::Comma,
        "!" => Tok::DoesNotExist,
        "==" => Tok::DoubleEquals,
        "=" => Tok::Equals,
        ">" => Tok::GreaterThan,
        "in" => Tok::In,
        "<" => Tok::LessThan,
        "!=" => Tok::NotEquals,
        "notin" => Tok::NotIn,
        "(" => Tok::OpenPar,
        _ => return None,
    })
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(c: u8) -> bool {
    matches!(c, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// The Go lexer, byte-wise (it reads bytes; a NUL byte ends the input as in Go).
fn lex(s: &str) -> Vec<(Tok, String)> {
    let b = s.as_bytes();
    let mut pos = 0usize;
    let mut out = Vec::new();
    loop {
        while pos < b.len() && is_ws(b[pos]) {
            pos += 1;
        }
        if pos >= b.len() || b[pos] == 0 {
            out.push((Tok::End, String::new()));
            return out;
        }
        if is_special(b[pos]) {
            let mut buf: Vec<u8> = Vec::new();
            let mut last: Option<(Tok, String)> = None;
            while pos < b.len() && b[pos] != 0 {
                let c = b[pos];
                if !is_special(c) {
                    break;
                }
                buf.push(c);
                let as_s = String::from_utf8_lossy(&buf).into_owned();
                if let Some(t) = token_of(&as_s) {
                    last = Some((t, as_s));
                    pos += 1;
                } else if last.is_some() {
                    buf.pop();
                    break;
                } else {
                    pos += 1;
                }
            }
            match last {
                Some(t) => out.push(t),
                None => {
                    out.push((
                        Tok::Error,
                        format!(
                            "error expected: keyword found '{}'",
                            String::from_utf8_lossy(&buf)
                        ),
                    ));
                }
            }
        } else {
            let start = pos;
            while pos < b.len() && b[pos] != 0 && !is_special(b[pos]) && !is_ws(b[pos]) {
                pos += 1;
            }
            let word = String::from_utf8_lossy(&b[start..pos]).into_owned();
            match token_of(&word) {
                Some(t) => out.push((t, word)),
                None => out.push((Tok::Identifier, word)),
            }
        }
        if out.len() > 100_000 {
            out.push((Tok::End, String::new()));
            return out;
        }
    }
}

struct Parser {
    items: Vec<(Tok, String)>,
    pos: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    KeyAndOperator,
    Values,
}

impl Parser {
    fn at(&self, i: usize, ctx: Ctx) -> (Tok, String) {
        let (t, l) = self
            .items
            .get(i)
            .cloned()
            .unwrap_or((Tok::End, String::new()));
        let t = if ctx == Ctx::Values && matches!(t, Tok::In | Tok::NotIn) {
            Tok::Identifier
        } else {
            t
        };
        (t, l)
    }
    fn lookahead(&self, ctx: Ctx) -> (Tok, String) {
        self.at(self.pos, ctx)
    }
    fn consume(&mut self, ctx: Ctx) -> (Tok, String) {
        let r = self.at(self.pos, ctx);
        if self.pos < self.items.len() {
            self.pos += 1;
        }
        r
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, String> {
        let mut reqs = Vec::new();
        loop {
            let (tok, lit) = self.lookahead(Ctx::Values);
            match tok {
                Tok::Identifier | Tok::DoesNotExist => {
                    let r = self
                        .parse_requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    reqs.push(r);
                    let (t, l) = self.consume(Ctx::Values);
                    match t {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => {
                            let (t2, l2) = self.lookahead(Ctx::Values);
                            if t2 != Tok::Identifier && t2 != Tok::DoesNotExist {
                                return Err(format!(
                                    "found '{l2}', expected: identifier after ','"
                                ));
                            }
                        }
                        _ => return Err(format!("found '{l}', expected: ',' or 'end of string'")),
                    }
                }
                Tok::End => return Ok(reqs),
                _ => {
                    return Err(format!(
                        "found '{lit}', expected: !, identifier, or 'end of string'"
                    ))
                }
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, String> {
        let (key, op) = self.parse_key_and_infer_operator()?;
        if let Some(op @ (Operator::Exists | Operator::DoesNotExist)) = op {
            return new_requirement(&key, op, Vec::new(), "");
        }
        let op = self.parse_operator()?;
        let values = match op {
            Operator::In | Operator::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        new_requirement(&key, op, values, "")
    }

    fn parse_key_and_infer_operator(&mut self) -> Result<(String, Option<Operator>), String> {
        let mut op = None;
        let (mut tok, mut lit) = self.consume(Ctx::Values);
        if tok == Tok::DoesNotExist {
            op = Some(Operator::DoesNotExist);
            (tok, lit) = self.consume(Ctx::Values);
        }
        if tok != Tok::Identifier {
            return Err(format!("found '{lit}', expected: identifier"));
        }
        let errs = is_label_key(&lit);
        if !errs.is_empty() {
            return Err(format!(
                "<nil>: Invalid value: {}: {}",
                crate::kube::gofmt::quote(&lit),
                errs.join("; ")
            ));
        }
        let (t, _) = self.lookahead(Ctx::Values);
        if (t == Tok::End || t == Tok::Comma) && op != Some(Operator::DoesNotExist) {
            op = Some(Operator::Exists);
        }
        Ok((lit, op))
    }

    fn parse_operator(&mut self) -> Result<Operator, String> {
        let (tok, lit) = self.consume(Ctx::KeyAndOperator);
        Ok(match tok {
            Tok::In => Operator::In,
            Tok::Equals => Operator::Equals,
            Tok::DoubleEquals => Operator::DoubleEquals,
            Tok::GreaterThan => Operator::GreaterThan,
            Tok::LessThan => Operator::LessThan,
            Tok::NotIn => Operator::NotIn,
            Tok::NotEquals => Operator::NotEquals,
            _ => {
                return Err(format!(
                    "found '{lit}', expected: in, notin, =, ==, !=, gt, lt"
                ))
            }
        })
    }

    fn parse_values(&mut self) -> Result<Vec<String>, String> {
        let (tok, lit) = self.consume(Ctx::Values);
        if tok != Tok::OpenPar {
            return Err(format!("found '{lit}' expected: '('"));
        }
        let (tok, lit) = self.lookahead(Ctx::Values);
        match tok {
            Tok::Identifier | Tok::Comma => {
                let s = self.parse_identifiers_list()?;
                let (t, _) = self.consume(Ctx::Values);
                if t != Tok::ClosedPar {
                    return Err(format!("found '{lit}', expected: ')'"));
                }
                Ok(s)
            }
            Tok::ClosedPar => {
                self.consume(Ctx::Values);
                Ok(vec![String::new()])
            }
            _ => Err(format!("found '{lit}', expected: ',', ')' or identifier")),
        }
    }

    fn parse_identifiers_list(&mut self) -> Result<Vec<String>, String> {
        let mut s: Vec<String> = Vec::new();
        let insert = |s: &mut Vec<String>, v: String| {
            if !s.contains(&v) {
                s.push(v);
            }
        };
        loop {
            let (tok, lit) = self.consume(Ctx::Values);
            match tok {
                Tok::Identifier => {
                    insert(&mut s, lit);
                    let (t2, l2) = self.lookahead(Ctx::Values);
                    match t2 {
                        Tok::Comma => continue,
                        Tok::ClosedPar => break,
                        _ => return Err(format!("found '{l2}', expected: ',' or ')'")),
                    }
                }
                Tok::Comma => {
                    if s.is_empty() {
                        insert(&mut s, String::new());
                    }
                    let (t2, _) = self.lookahead(Ctx::Values);
                    if t2 == Tok::ClosedPar {
                        insert(&mut s, String::new());
                        break;
                    }
                    if t2 == Tok::Comma {
                        insert(&mut s, String::new());
                    }
                }
                _ => return Err(format!("found '{lit}', expected: ',', or identifier")),
            }
        }
        s.sort_stable();
        Ok(s)
    }

    fn parse_exact_value(&mut self) -> Result<Vec<String>, String> {
        let (tok, _) = self.lookahead(Ctx::Values);
        if tok == Tok::End || tok == Tok::Comma {
            return Ok(vec![String::new()]);
        }
        let (tok, lit) = self.consume(Ctx::Values);
        if tok == Tok::Identifier {
            return Ok(vec![lit]);
        }
        Err(format!("found '{lit}', expected: identifier"))
    }
}

/// One field selector term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldTerm {
    pub field: String,
    pub not: bool,
    pub value: String,
}

/// A parsed field selector (`fields.ParseSelector`): terms ANDed.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FieldSelector {
    pub terms: Vec<FieldTerm>,
}

impl FieldSelector {
    /// `fields.ParseSelector`, with its error text.
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut parts = split_terms(s);
        parts.sort_stable();
        let mut terms = Vec::new();
        for part in parts {
            if part.is_empty() {
                continue;
            }
            let Some((lhs, not, rhs)) = split_term(&part) else {
                return Err(format!(
                    "invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            let value = unescape_field_value(&rhs)?;
            terms.push(FieldTerm {
                field: lhs,
                not,
                value,
            });
        }
        Ok(FieldSelector { terms })
    }

    /// Checks the fields against what the resource supports (`metadata.name`,
    /// `metadata.namespace` plus `extra`), with the API server's message.
    pub fn check_supported(&self, extra: &[&str]) -> Result<(), String> {
        for t in &self.terms {
            if t.field != "metadata.name"
                && t.field != "metadata.namespace"
                && !extra.contains(&t.field.as_str())
            {
                let mut only = vec![
                    "\"metadata.name\"".to_string(),
                    "\"metadata.namespace\"".to_string(),
                ];
                only.extend(extra.iter().map(|e| format!("\"{e}\"")));
                return Err(format!(
                    "{:?} is not a known field selector: only {}",
                    t.field,
                    only.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// Whether `obj` matches (fields read by dotted path; missing reads as `""`).
    pub fn matches(&self, obj: &Value) -> bool {
        self.terms.iter().all(|t| {
            let mut cur = Some(obj);
            for p in t.field.split('.') {
                cur = cur.and_then(|c| c.get(p));
            }
            let got = match cur {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Bool(b)) => b.to_string(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            (got == t.value) != t.not
        })
    }
}

fn split_terms(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            cur.push(c);
            escaped = true;
        } else if c == ',' {
            terms.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    terms.push(cur);
    terms
}

fn split_term(term: &str) -> Option<(String, bool, String)> {
    let mut escaped = false;
    let b = term.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if escaped {
            escaped = false;
        } else if b[i] == b'\\' {
            escaped = true;
        } else {
            for (op, not) in [("!=", true), ("==", false), ("=", false)] {
                if term[i..].starts_with(op) {
                    return Some((term[..i].to_string(), not, term[i + op.len()..].to_string()));
                }
            }
        }
        i += 1;
    }
    None
}

fn unescape_field_value(s: &str) -> Result<String, String> {
    if !s.contains('\\') && !s.contains(',') && !s.contains('=') {
        return Ok(s.to_string());
    }
    let mut out = String::new();
    let mut escaped = false;
    for c in s.chars() {
        if escaped {
            match c {
                '\\' | ',' | '=' => out.push(c),
                other => return Err(format!("invalid escape sequence: \\{other}")),
            }
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' || c == '=' {
            return Err(format!("unescaped {c} in value"));
        } else {
            out.push(c);
        }
    }
    if escaped {
        return Err("unterminated escape sequence".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parse_and_match_full_syntax() {
        let l = set(&[
            ("owner", "helm"),
            ("name", "demo"),
            ("status", "deployed"),
            ("version", "3"),
        ]);
        for (sel, want) in [
            ("owner=helm,name=demo", true),
            ("owner==helm", true),
            ("owner!=helm", false),
            ("missing!=x", true),
            ("status in (deployed,superseded)", true),
            ("status notin (deployed)", false),
            ("missing notin (a)", true),
            ("name", true),
            ("!name", false),
            ("!missing", true),
            ("version>2", true),
            ("version<3", false),
            ("", true),
            ("  owner = helm ,  name in ( demo ) ", true),
            ("app.kubernetes.io/instance=myapi-release", false),
        ] {
            let s = Selector::parse(sel).unwrap_or_else(|e| panic!("{sel}: {e}"));
            assert_eq!(s.matches(&l), want, "{sel}");
        }
    }

    #[test]
    fn strings_sorted_by_key() {
        let s = Selector::parse("x in (b,a), !c, a=1,b").unwrap();
        assert_eq!(s.to_string(), "a=1,b,!c,x in (a,b)");
        assert_eq!(
            Selector::parse("x in (a,,b)").unwrap().requirements[0].values,
            vec!["", "a", "b"]
        );
        assert_eq!(
            Selector::parse("x in ()").unwrap().requirements[0].values,
            vec![""]
        );
        assert_eq!(
            Selector::parse("x=").unwrap().requirements[0].values,
            vec![""]
        );
        // `in` is an identifier in value position
        assert_eq!(
            Selector::parse("x in (in)").unwrap().to_string(),
            "x in (in)"
        );
    }

    #[test]
    fn parse_errors_exact() {
        let cases = [
            ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
            ("component not in (a)", "unable to parse requirement: found 'not', expected: in, notin, =, ==, !=, gt, lt"),
            ("x in a", "unable to parse requirement: found 'a' expected: '('"),
            ("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
            (",a", "found ',', expected: !, identifier, or 'end of string'"),
            ("a,", "found '', expected: identifier after ','"),
            ("x=a=b", "found '=', expected: ',' or 'end of string'"),
            ("x>a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"),
            ("!=x", "found '!=', expected: !, identifier, or 'end of string'"),
            ("!!x", "unable to parse requirement: found '!', expected: identifier"),
        ];
        for (sel, want) in cases {
            assert_eq!(Selector::parse(sel).unwrap_err(), want, "{sel}");
        }
        let e = Selector::parse("x=-bad").unwrap_err();
        assert!(e.starts_with("unable to parse requirement: values[0][x]: Invalid value: \"-bad\": a valid label must be"), "{e}");
        let e = Selector::parse("Bad_/x").unwrap_err();
        assert!(e.starts_with("unable to parse requirement: <nil>: Invalid value: \"Bad_/x\": prefix part a lowercase RFC 1123"), "{e}");
    }

    #[test]
    fn label_selector_objects() {
        let ls = json!({"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}]});
        assert_eq!(format_label_selector(Some(&ls)), "app=web,tier in (a,b)");
        assert_eq!(format_label_selector(Some(&json!({}))), "<none>");
        assert_eq!(format_label_selector(None), "<none>");
        assert!(Selector::from_label_selector(None).unwrap().is_nothing());
        assert!(!Selector::from_label_selector(None)
            .unwrap()
            .matches(&BTreeMap::new()));
        assert_eq!(format_labels(&set(&[("b", "2"), ("a", "1")])), "a=1,b=2");
        assert_eq!(format_labels(&BTreeMap::new()), "<none>");
    }

    #[test]
    fn field_selectors() {
        let f = FieldSelector::parse("status.phase=Running,metadata.name!=x").unwrap();
        assert!(f.matches(&json!({"metadata": {"name": "p"}, "status": {"phase": "Running"}})));
        assert_eq!(
            FieldSelector::parse("foo.bar=baz").unwrap().check_supported(&[]).unwrap_err(),
            "\"foo.bar\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
        assert_eq!(
            FieldSelector::parse("abc").unwrap_err(),
            "invalid selector: 'abc'; can't understand 'abc'"
        );
    }
}
