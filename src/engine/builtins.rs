//! text/template's built-in functions (Go's funcs.go): and, or, not, len, index, slice, call,
//! print, printf, println, html, js, urlquery, eq, ne, lt, le, gt, ge.
//!
//! They take Go `reflect.Value`s, so they see the executor's [`Rv`] (invalid vs nil interface vs
//! concrete), which changes their errors ("len of nil pointer", "index of untyped nil").

use super::exec::Rv;
use super::func::{Signature, Ty};
use super::value::{types, Kind, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Builtin {
    And,
    Or,
    Not,
    Len,
    Index,
    Slice,
    Call,
    Print,
    Printf,
    Println,
    Html,
    Js,
    Urlquery,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

const R1: &[Ty] = &[Ty::Any];
const R2: &[Ty] = &[Ty::Any, Ty::Any];
const S1: &[Ty] = &[Ty::String];

pub(crate) fn lookup(name: &str) -> Option<Builtin> {
    Some(match name {
        "and" => Builtin::And,
        "or" => Builtin::Or,
        "not" => Builtin::Not,
        "len" => Builtin::Len,
        "index" => Builtin::Index,
        "slice" => Builtin::Slice,
        "call" => Builtin::Call,
        "print" => Builtin::Print,
        "printf" => Builtin::Printf,
        "println" => Builtin::Println,
        "html" => Builtin::Html,
        "js" => Builtin::Js,
        "urlquery" => Builtin::Urlquery,
        "eq" => Builtin::Eq,
        "ne" => Builtin::Ne,
        "lt" => Builtin::Lt,
        "le" => Builtin::Le,
        "gt" => Builtin::Gt,
        "ge" => Builtin::Ge,
        _ => return None,
    })
}

pub(crate) fn is_builtin(name: &str) -> bool {
    lookup(name).is_some()
}

impl Builtin {
    /// The Go signature's shape (reflect.Value parameters are shown as `Any`; see `arg_ty`).
    pub(crate) fn signature(self) -> Signature {
        use Builtin::*;
        match self {
            And | Or | Index | Slice | Call | Eq => Signature::variadic(R1, Ty::Any),
            Not | Len => Signature::fixed(R1),
            Ne | Lt | Le | Gt | Ge => Signature::fixed(R2),
            Print | Println | Html | Js | Urlquery => Signature::variadic(&[], Ty::Any),
            Printf => Signature::variadic(S1, Ty::Any),
        }
    }

    /// The declared type of argument `i`; `None` for a `reflect.Value` parameter.
    pub(crate) fn arg_ty(self, i: usize) -> Option<Ty> {
        use Builtin::*;
        match self {
            Print | Println | Html | Js | Urlquery => Some(Ty::Any),
            Printf => Some(if i == 0 { Ty::String } else { Ty::Any }),
            _ => None,
        }
    }

    pub(crate) fn variadic_ty(self) -> Option<Ty> {
        use Builtin::*;
        match self {
            Print | Println | Html | Js | Urlquery | Printf => Some(Ty::Any),
            _ => None,
        }
    }
}

/// truth(indirectInterface(v)).
pub(crate) fn truth(v: &Rv) -> bool {
    v.concrete().is_some_and(Value::truthy)
}

/// Go's `call`: Helm's data never holds functions, so this can only fail.
pub(crate) fn call(name: &str, argv: &[Rv]) -> Result<Rv, String> {
    match argv.first().and_then(Rv::concrete) {
        None => Err("call of nil".into()),
        Some(v) => Err(format!("non-function {name} of type {}", v.type_name())),
    }
}

pub(crate) fn call_builtin(b: Builtin, argv: &[Rv]) -> Result<Rv, String> {
    use Builtin::*;
    let bool_rv = |b: bool| Rv::Val(Value::Bool(b));
    match b {
        And | Or | Call => unreachable!("handled by the executor"),
        Not => Ok(bool_rv(!truth(&argv[0]))),
        Len => length(&argv[0]).map(|n| Rv::Val(Value::Int(n as i64))),
        Index => index(&argv[0], &argv[1..]),
        Slice => slice(&argv[0], &argv[1..]),
        Print => Ok(Rv::Val(Value::string(super::printf::sprint(&values(argv))))),
        Println => Ok(Rv::Val(Value::string(super::printf::sprintln(&values(
            argv,
        ))))),
        Printf => {
            let vals = values(argv);
            let format = match &vals[0] {
                Value::String(s) => s.clone(),
                _ => "".into(),
            };
            Ok(Rv::Val(Value::string(super::printf::sprintf(
                &format,
                &vals[1..],
            ))))
        }
        Html => Ok(Rv::Val(Value::string(super::escape::html_escape(
            &eval_args(argv),
        )))),
        Js => Ok(Rv::Val(Value::string(super::escape::js_escape(
            &eval_args(argv),
        )))),
        Urlquery => Ok(Rv::Val(Value::string(super::escape::url_query_escape(
            &eval_args(argv),
        )))),
        Eq => eq(&argv[0], &argv[1..]).map(bool_rv),
        Ne => eq(&argv[0], &argv[1..2]).map(|b| bool_rv(!b)),
        Lt => lt(&argv[0], &argv[1]).map(bool_rv),
        Le => le(&argv[0], &argv[1]).map(bool_rv),
        Gt => le(&argv[0], &argv[1]).map(|b| bool_rv(!b)),
        Ge => lt(&argv[0], &argv[1]).map(|b| bool_rv(!b)),
    }
}

fn values(argv: &[Rv]) -> Vec<Value> {
    argv.iter().map(Rv::to_value).collect()
}

/// text/template's evalArgs: nil arguments print as `<no value>`.
fn eval_args(argv: &[Rv]) -> String {
    let vals: Vec<Value> = argv
        .iter()
        .map(|a| match a.to_value() {
            Value::Nil => Value::str("<no value>"),
            v => v,
        })
        .collect();
    super::escape::eval_args_string(&vals)
}

fn length(item: &Rv) -> Result<usize, String> {
    let v = match item {
        Rv::Invalid => return Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Rv::Iface(Value::Nil) => return Err("len of nil pointer".into()),
        Rv::Iface(v) | Rv::Val(v) => v,
    };
    match v {
        Value::String(s) => Ok(super::gostr::go_len(s)),
        Value::List(l) => Ok(l.len()),
        Value::Bytes(b) => Ok(b.len()),
        Value::Map(m) => Ok(m.len()),
        Value::Object(o) if o.kind() == Kind::Map => match o.marshal() {
            Some(Value::Map(m)) => Ok(m.len()),
            _ => Ok(0),
        },
        other => Err(format!("len of type {}", other.type_name())),
    }
}

fn index_arg(index: Option<&Value>, cap: usize) -> Result<usize, String> {
    let x: i128 = match index {
        Some(Value::Int(i) | Value::Int64(i)) => *i as i128,
        Some(Value::Uint(u)) => *u as i128,
        None => return Err("cannot index slice/array with nil".into()),
        Some(other) => {
            return Err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            ))
        }
    };
    if x < 0 || x > cap as i128 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

fn elem_rv(list: &super::value::List, i: usize) -> Rv {
    let v = list[i].clone();
    if list.ty() == types::LIST || list.elem_ty() == types::IFACE {
        Rv::Iface(v)
    } else {
        Rv::Val(v)
    }
}

fn index(item: &Rv, indexes: &[Rv]) -> Result<Rv, String> {
    let Some(first) = item.concrete() else {
        return Err("index of untyped nil".into());
    };
    let mut item = Rv::Val(first.clone());
    for index in indexes {
        let index = index.concrete();
        let v = match &item {
            Rv::Iface(Value::Nil) | Rv::Invalid => return Err("index of nil pointer".into()),
            Rv::Iface(v) | Rv::Val(v) => v.clone(),
        };
        item = match &v {
            Value::List(l) => {
                let x = index_arg(index, l.len())?;
                if x >= l.len() {
                    return Err("reflect: slice index out of range".into());
                }
                elem_rv(l, x)
            }
            Value::Bytes(b) => {
                let x = index_arg(index, b.len())?;
                if x >= b.len() {
                    return Err("reflect: slice index out of range".into());
                }
                Rv::Val(Value::Uint(b[x] as u64))
            }
            Value::String(s) => {
                let bytes = super::gostr::to_bytes(s);
                let x = index_arg(index, bytes.len())?;
                if x >= bytes.len() {
                    return Err("reflect: string index out of range".into());
                }
                Rv::Val(Value::Uint(bytes[x] as u64))
            }
            Value::Map(m) => {
                let key = match index {
                    None => return Err("value is nil; should be of type string".into()),
                    Some(Value::String(k)) => k.clone(),
                    Some(other) => {
                        return Err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        ));
                    }
                };
                let iface = m.ty() != types::STRING_MAP;
                match m.get(&key) {
                    Some(v) if iface => Rv::Iface(v),
                    Some(v) => Rv::Val(v),
                    None if iface => Rv::Iface(Value::Nil),
                    None => Rv::Val(Value::str("")),
                }
            }
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice(item: &Rv, indexes: &[Rv]) -> Result<Rv, String> {
    let Some(v) = item.concrete() else {
        return Err("slice of untyped nil".into());
    };
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let (len, cap) = match v {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            let n = super::gostr::go_len(s);
            (n, n)
        }
        Value::List(l) => (l.len(), l.len()),
        Value::Bytes(b) => (b.len(), b.len()),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0usize, len, 0];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index.concrete(), cap)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let (i, j) = (idx[0], idx[1]);
    Ok(Rv::Val(match v {
        Value::String(s) => {
            Value::string(super::gostr::from_bytes(&super::gostr::to_bytes(s)[i..j]))
        }
        Value::List(l) => Value::List(super::value::List::typed(l.ty(), l[i..j].to_vec())),
        Value::Bytes(b) => Value::Bytes(std::rc::Rc::from(&b[i..j])),
        _ => unreachable!("checked above"),
    }))
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum BasicKind {
    Invalid,
    Bool,
    Complex,
    Int,
    Float,
    String,
    Uint,
}

fn basic_kind(v: Option<&Value>) -> BasicKind {
    match v {
        Some(Value::Object(o)) if o.as_int().is_some() => BasicKind::Int,
        Some(Value::Bool(_)) => BasicKind::Bool,
        Some(Value::Int(_) | Value::Int64(_)) => BasicKind::Int,
        Some(Value::Uint(_)) => BasicKind::Uint,
        Some(Value::Float(_)) => BasicKind::Float,
        Some(Value::Complex(..)) => BasicKind::Complex,
        Some(Value::String(_)) => BasicKind::String,
        _ => BasicKind::Invalid,
    }
}

fn int_of(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Int(i) | Value::Int64(i)) => *i,
        Some(Value::Object(o)) => o.as_int().unwrap_or(0),
        _ => 0,
    }
}

fn uint_of(v: Option<&Value>) -> u64 {
    match v {
        Some(Value::Uint(u)) => *u,
        _ => 0,
    }
}

fn incompatible(a: &Value, b: &Value) -> String {
    format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    )
}

fn go_comparable(v: &Value) -> bool {
    !matches!(v, Value::List(_) | Value::Map(_) | Value::Bytes(_))
}

fn eq(arg1: &Rv, rest: &[Rv]) -> Result<bool, String> {
    let a1 = arg1.concrete();
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a1);
    for arg in rest {
        let a = arg.concrete();
        let k2 = basic_kind(a);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (BasicKind::Int, BasicKind::Uint) => {
                    int_of(a1) >= 0 && int_of(a1) as u64 == uint_of(a)
                }
                (BasicKind::Uint, BasicKind::Int) => {
                    int_of(a) >= 0 && uint_of(a1) == int_of(a) as u64
                }
                _ => {
                    if let (Some(x), Some(y)) = (a1, a) {
                        return Err(incompatible(x, y));
                    }
                    false
                }
            }
        } else {
            match (a1, a) {
                (Some(Value::Bool(x)), Some(Value::Bool(y))) => x == y,
                (Some(Value::Complex(a, b)), Some(Value::Complex(c, d))) => a == c && b == d,
                (Some(Value::Float(x)), Some(Value::Float(y))) => x == y,
                (Some(x), Some(y)) if k1 == BasicKind::Int => int_of(Some(x)) == int_of(Some(y)),
                (Some(Value::String(x)), Some(Value::String(y))) => x == y,
                (Some(Value::Uint(x)), Some(Value::Uint(y))) => x == y,
                (x, y) => {
                    let can_compare = match (x, y) {
                        (Some(x), Some(y)) => x.kind() == y.kind(),
                        _ => true,
                    };
                    if !can_compare {
                        let (x, y) = (
                            x.cloned().unwrap_or_default(),
                            y.cloned().unwrap_or_default(),
                        );
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            super::printf::sprintf("%s", std::slice::from_ref(&x)),
                            x.type_name(),
                            y.type_name(),
                            y.to_v()
                        ));
                    }
                    match (x, y) {
                        (None, None) => true,
                        (None, Some(_)) | (Some(_), None) => false,
                        (Some(x), Some(y)) => {
                            if !go_comparable(y) {
                                return Err(format!(
                                    "non-comparable type {}: {}",
                                    super::printf::sprintf("%s", std::slice::from_ref(y)),
                                    y.type_name()
                                ));
                            }
                            match (x, y) {
                                (Value::Object(p), Value::Object(q)) => {
                                    std::rc::Rc::ptr_eq(p, q)
                                        || (p.kind() == Kind::Struct && x.deep_equal(y))
                                }
                                _ => x.deep_equal(y),
                            }
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(arg1: &Rv, arg2: &Rv) -> Result<bool, String> {
    let a1 = arg1.concrete();
    let k1 = basic_kind(a1);
    if k1 == BasicKind::Invalid {
        return Err("invalid type for comparison".into());
    }
    let a2 = arg2.concrete();
    let k2 = basic_kind(a2);
    if k2 == BasicKind::Invalid {
        return Err("invalid type for comparison".into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (BasicKind::Int, BasicKind::Uint) => {
                Ok(int_of(a1) < 0 || (int_of(a1) as u64) < uint_of(a2))
            }
            (BasicKind::Uint, BasicKind::Int) => {
                Ok(int_of(a2) >= 0 && uint_of(a1) < int_of(a2) as u64)
            }
            _ => match (a1, a2) {
                (Some(x), Some(y)) => Err(incompatible(x, y)),
                _ => Err("invalid type for comparison".into()),
            },
        };
    }
    match (a1, a2) {
        (Some(Value::Float(x)), Some(Value::Float(y))) => Ok(x < y),
        (Some(x), Some(y)) if k1 == BasicKind::Int => Ok(int_of(Some(x)) < int_of(Some(y))),
        (Some(Value::String(x)), Some(Value::String(y))) => Ok(x < y),
        (Some(Value::Uint(x)), Some(Value::Uint(y))) => Ok(x < y),
        _ => Err("invalid type for comparison".into()),
    }
}

fn le(arg1: &Rv, arg2: &Rv) -> Result<bool, String> {
    if lt(arg1, arg2)? {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}
