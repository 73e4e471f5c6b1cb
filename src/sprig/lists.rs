//! Sprig v3.3.0's list functions (list.go, plus `until`/`untilStep`/`seq` from numeric.go).
//!
//! Sprig works on any slice through reflection: `reflect.TypeOf(list).Kind()` picks the slice case
//! and anything else gets an error naming the reflect kind ("Cannot push on type map"). The nil
//! interface has no type, so `reflect.TypeOf(nil).Kind()` is Go's nil-pointer panic, which is what
//! text/template reports for `first .Values.missing`. The plain names panic with the error their
//! `must` twin returns; text/template turns both into the same "error calling NAME: …" text.

use crate::engine::sort::SliceSort;
use crate::engine::value::{types, List};
use crate::engine::{CallCtx, FnResult, FuncMap, Signature, Ty, Value};

use super::util::{empty, kind_or_nil_panic, slice_items, strval, to_int};

const ANY1: Signature = Signature::fixed(&[Ty::Any]);
const ANY2: Signature = Signature::fixed(&[Ty::Any, Ty::Any]);
const ANY_VARIADIC: Signature = Signature::variadic(&[], Ty::Any);
const ANY_THEN_VARIADIC: Signature = Signature::variadic(&[Ty::Any], Ty::Any);

/// The most elements `until`, `untilStep` and `seq` produce. Go would allocate whatever is asked
/// (`until 1000000000` builds an 8 GB slice, and a step that overflows int loops forever);
/// in a browser tab that would freeze or crash, so ChartLab stops with an error instead.
/// A million entries is far above any real chart's loop and still cheap to build and range over.
pub(crate) const MAX_SEQUENCE_LEN: usize = 1_000_000;

pub(crate) fn register(m: &mut FuncMap) {
    m.add("list", ANY_VARIADIC, list);
    m.add("tuple", ANY_VARIADIC, list);
    m.add("append", ANY2, push);
    m.add("push", ANY2, push);
    m.add("mustAppend", ANY2, push);
    m.add("mustPush", ANY2, push);
    m.add("prepend", ANY2, prepend);
    m.add("mustPrepend", ANY2, prepend);
    m.add("first", ANY1, first);
    m.add("mustFirst", ANY1, first);
    m.add("rest", ANY1, rest);
    m.add("mustRest", ANY1, rest);
    m.add("last", ANY1, last);
    m.add("mustLast", ANY1, last);
    m.add("initial", ANY1, initial);
    m.add("mustInitial", ANY1, initial);
    m.add("reverse", ANY1, reverse);
    m.add("mustReverse", ANY1, reverse);
    m.add("uniq", ANY1, uniq);
    m.add("mustUniq", ANY1, uniq);
    m.add("without", ANY_THEN_VARIADIC, without);
    m.add("mustWithout", ANY_THEN_VARIADIC, without);
    m.add("has", ANY2, has);
    m.add("mustHas", ANY2, has);
    m.add("compact", ANY1, compact);
    m.add("mustCompact", ANY1, compact);
    m.add("slice", ANY_THEN_VARIADIC, slice);
    m.add("mustSlice", ANY_THEN_VARIADIC, slice);
    m.add("concat", ANY_VARIADIC, concat);
    m.add("chunk", Signature::fixed(&[Ty::Int, Ty::Any]), chunk);
    m.add("mustChunk", Signature::fixed(&[Ty::Int, Ty::Any]), chunk);
    m.add("sortAlpha", ANY1, sort_alpha);
    m.add("until", Signature::fixed(&[Ty::Int]), until);
    m.add(
        "untilStep",
        Signature::fixed(&[Ty::Int, Ty::Int, Ty::Int]),
        until_step,
    );
    m.add("seq", Signature::variadic(&[], Ty::Int), seq);
}

fn arg(args: &[Value], i: usize) -> &Value {
    args.get(i).unwrap_or(&Value::Nil)
}

fn int_arg(args: &[Value], i: usize) -> i64 {
    match arg(args, i) {
        Value::Int(n) | Value::Int64(n) => *n,
        other => to_int(other),
    }
}

/// The slice's elements, or Sprig's error `"{prefix} {kind}"` (or the nil-pointer panic).
fn items_or<'a>(v: &'a Value, prefix: &str) -> Result<std::borrow::Cow<'a, [Value]>, String> {
    match slice_items(v) {
        Some(items) => Ok(items),
        None => Err(format!("{prefix} {}", kind_or_nil_panic(v)?)),
    }
}

/// `list`/`tuple`: the arguments as a `[]interface {}` (never nil, even when empty).
fn list(_: &mut CallCtx, args: &[Value]) -> FnResult {
    Ok(Value::list(args.to_vec()))
}

/// `push`/`append`: a new `[]interface {}` with `v` after the elements.
fn push(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot push on type")?;
    let mut out = Vec::with_capacity(items.len() + 1);
    out.extend_from_slice(&items);
    out.push(arg(args, 1).clone());
    Ok(Value::list(out))
}

/// `prepend`: a new `[]interface {}` with `v` before the elements.
fn prepend(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot prepend on type")?;
    let mut out = Vec::with_capacity(items.len() + 1);
    out.push(arg(args, 1).clone());
    out.extend_from_slice(&items);
    Ok(Value::list(out))
}

/// `first`: the first element, nil for an empty list.
fn first(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot find first on type")?;
    Ok(items.first().cloned().unwrap_or(Value::Nil))
}

/// `last`: the last element, nil for an empty list.
fn last(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot find last on type")?;
    Ok(items.last().cloned().unwrap_or(Value::Nil))
}

/// `rest`: all but the first element; a nil slice for an empty list.
fn rest(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot find rest on type")?;
    Ok(match items.split_first() {
        None => Value::List(List::nil(types::LIST)),
        Some((_, tail)) => Value::list(tail.to_vec()),
    })
}

/// `initial`: all but the last element; a nil slice for an empty list.
fn initial(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot find initial on type")?;
    Ok(match items.split_last() {
        None => Value::List(List::nil(types::LIST)),
        Some((_, init)) => Value::list(init.to_vec()),
    })
}

/// `reverse`: a new `[]interface {}` in reverse order.
fn reverse(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot find reverse on type")?;
    Ok(Value::list(items.iter().rev().cloned().collect()))
}

/// `uniq`: the elements without later `reflect.DeepEqual` duplicates (1 and 1.0 differ).
fn uniq(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot find uniq on type")?;
    let mut out: Vec<Value> = Vec::new();
    for item in items.iter() {
        if !out.iter().any(|seen| item.deep_equal(seen)) {
            out.push(item.clone());
        }
    }
    Ok(Value::list(out))
}

/// `without`: the elements not deeply equal to any of the omitted values.
fn without(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot find without on type")?;
    let omit = args.get(1..).unwrap_or(&[]);
    let out = items
        .iter()
        .filter(|item| !omit.iter().any(|o| item.deep_equal(o)))
        .cloned()
        .collect();
    Ok(Value::list(out))
}

/// `has needle haystack`: whether an element is deeply equal to the needle; false for a nil
/// haystack.
fn has(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let (needle, haystack) = (arg(args, 0), arg(args, 1));
    if haystack.is_nil() {
        return Ok(Value::Bool(false));
    }
    let items = items_or(haystack, "Cannot find has on type")?;
    Ok(Value::Bool(
        items.iter().any(|item| needle.deep_equal(item)),
    ))
}

/// `compact`: the elements that are not empty (see Sprig's `empty`).
fn compact(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let items = items_or(arg(args, 0), "Cannot compact on type")?;
    Ok(Value::list(
        items.iter().filter(|v| !empty(v)).cloned().collect(),
    ))
}

/// Sprig's `slice list [start [end]]` (replacing Go's builtin): `reflect.Value.Slice`, so the
/// result keeps the slice's type; nil for an empty list; strings are rejected. Indices go through
/// cast's ToInt. The capacity of a ChartLab list is its length, so `end` may not exceed it.
fn slice(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let list = arg(args, 0);
    let len = match list {
        Value::List(l) => l.len(),
        Value::Bytes(b) => b.len(),
        other => {
            return Err(format!(
                "list should be type of slice or array but {}",
                kind_or_nil_panic(other)?
            ))
        }
    };
    if len == 0 {
        return Ok(Value::Nil);
    }
    let start = if args.len() > 1 { int_arg(args, 1) } else { 0 };
    let end = if args.len() > 2 {
        int_arg(args, 2)
    } else {
        len as i64
    };
    if start < 0 || end < start || end > len as i64 {
        return Err("reflect.Value.Slice: slice index out of bounds".into());
    }
    let (start, end) = (start as usize, end as usize);
    Ok(match list {
        Value::Bytes(b) => Value::Bytes(b[start..end].into()),
        Value::List(l) => Value::List(List::typed(l.ty(), l[start..end].to_vec())),
        _ => Value::Nil,
    })
}

/// `concat`: the elements of every list in one `[]interface {}` (nil when there are none).
fn concat(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let mut out = Vec::new();
    for list in args {
        match slice_items(list) {
            Some(items) => out.extend_from_slice(&items),
            None => {
                return Err(format!(
                    "Cannot concat type {} as list",
                    kind_or_nil_panic(list)?
                ))
            }
        }
    }
    Ok(if out.is_empty() {
        Value::List(List::nil(types::LIST))
    } else {
        Value::list(out)
    })
}

/// `chunk size list`: `[][]interface {}` of `size`-long pieces. Sprig sizes the result with float
/// math (`int(math.Floor(float64(l-1)/float64(size)) + 1)`), so a size of 0 or a negative size that
/// makes a negative length is Go's makeslice panic, exactly as here.
fn chunk(_: &mut CallCtx, args: &[Value]) -> FnResult {
    const MAKESLICE: &str = "runtime error: makeslice: len out of range";
    let size = int_arg(args, 0);
    let items = items_or(arg(args, 1), "Cannot chunk type")?;
    let l = items.len() as i64;
    let chunks = super::util::go_float_to_int(((l - 1) as f64 / size as f64).floor() + 1.0);
    if chunks < 0 {
        return Err(MAKESLICE.into());
    }
    let mut out = Vec::with_capacity(chunks.min(l.max(1)) as usize);
    for i in 0..chunks {
        let mut clen = size;
        if i == chunks - 1 {
            clen = super::util::go_float_to_int((l as f64 % size as f64).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(MAKESLICE.into());
        }
        let mut piece = Vec::with_capacity(clen.min(l) as usize);
        for j in 0..clen {
            let ix = i.wrapping_mul(size).wrapping_add(j);
            match usize::try_from(ix).ok().and_then(|ix| items.get(ix)) {
                Some(v) => piece.push(v.clone()),
                None => return Err("reflect: slice index out of range".into()),
            }
        }
        out.push(Value::list(piece));
    }
    Ok(Value::List(List::typed(types::LISTS, out)))
}

/// `sortAlpha`: the elements as strings (nils dropped), sorted by bytes; anything that is not a
/// slice becomes a one-element list of its string form.
///
/// Go sorts a `[]string` argument in place (the caller's variable changes too); ChartLab's lists
/// are immutable values, so only the returned list is sorted.
fn sort_alpha(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let v = arg(args, 0);
    let mut out: Vec<Value> = match slice_items(v) {
        Some(items) => match v {
            Value::List(l) if l.ty() == types::STRINGS => items.to_vec(),
            _ => items
                .iter()
                .filter(|x| !x.is_nil())
                .map(|x| Value::string(strval(x)))
                .collect(),
        },
        None => return Ok(Value::strings([strval(v)])),
    };
    out.sort_stable_by(|a, b| a.as_str().unwrap_or("").cmp(b.as_str().unwrap_or("")));
    Ok(Value::List(List::typed(types::STRINGS, out)))
}

/// Sprig's `untilStep` loop with Go's wrapping int arithmetic, stopped at [`MAX_SEQUENCE_LEN`].
fn until_step_ints(name: &str, start: i64, stop: i64, step: i64) -> Result<Vec<i64>, String> {
    let mut out = Vec::new();
    let down = stop < start;
    if (down && step >= 0) || (!down && step <= 0) {
        return Ok(out);
    }
    let mut i = start;
    while if down { i > stop } else { i < stop } {
        if out.len() == MAX_SEQUENCE_LEN {
            return Err(format!(
                "{name}: the sequence would have more than {MAX_SEQUENCE_LEN} elements \
                 (ChartLab's limit; Helm would try to build it all)"
            ));
        }
        out.push(i);
        i = i.wrapping_add(step);
    }
    Ok(out)
}

fn ints(v: Vec<i64>) -> Value {
    Value::List(List::typed(
        types::INTS,
        v.into_iter().map(Value::Int).collect(),
    ))
}

/// `until n`: `[]int` from 0 towards n (counting down for negative n).
fn until(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let count = int_arg(args, 0);
    let step = if count < 0 { -1 } else { 1 };
    Ok(ints(until_step_ints("until", 0, count, step)?))
}

/// `untilStep start stop step`: `[]int` from start while short of stop; empty when the step
/// points away from stop or is 0.
fn until_step(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let (start, stop, step) = (int_arg(args, 0), int_arg(args, 1), int_arg(args, 2));
    Ok(ints(until_step_ints("untilStep", start, stop, step)?))
}

/// `seq`, after GNU seq: `seq END` (from 1, counting down to END when it is below 1, so `seq 0`
/// is "1 0"), `seq START END`, `seq START STEP END`; the numbers joined by spaces. Other
/// argument counts give "".
fn seq(_: &mut CallCtx, args: &[Value]) -> FnResult {
    let p: Vec<i64> = (0..args.len()).map(|i| int_arg(args, i)).collect();
    let numbers = match p.as_slice() {
        [end] => {
            let inc = if *end < 1 { -1 } else { 1 };
            until_step_ints("seq", 1, end.wrapping_add(inc), inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step_ints("seq", *start, end.wrapping_add(step), step)?
        }
        [start, step, end] => {
            let mut inc = 1;
            if end < start {
                inc = -1;
                if *step > 0 {
                    return Ok(Value::str(""));
                }
            }
            until_step_ints("seq", *start, end.wrapping_add(inc), *step)?
        }
        _ => Vec::new(),
    };
    let mut out = String::new();
    for (i, n) in numbers.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&n.to_string());
    }
    Ok(Value::string(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Env, Map};

    fn call(name: &str, args: &[Value]) -> FnResult {
        let mut m = FuncMap::new();
        register(&mut m);
        let f = m.get(name).unwrap_or_else(|| panic!("no function {name}"));
        CallCtx::with_env(&Env::default(), |ctx| (f.imp)(ctx, args))
    }

    fn ok(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn err(name: &str, args: &[Value]) -> String {
        match call(name, args) {
            Ok(v) => panic!("{name}: expected an error, got {v:?}"),
            Err(e) => e,
        }
    }

    fn i(n: i64) -> Value {
        Value::Int(n)
    }
    fn f(x: f64) -> Value {
        Value::Float(x)
    }
    fn s(x: &str) -> Value {
        Value::str(x)
    }
    fn l(items: Vec<Value>) -> Value {
        Value::list(items)
    }
    fn words() -> Value {
        l(vec![s("b"), s("a"), s("c")])
    }
    fn split(parts: &[&str]) -> Value {
        Value::strings(parts)
    }
    fn dict(pairs: &[(&str, Value)]) -> Value {
        Value::Map(Map::from_entries(
            pairs.iter().map(|(k, v)| ((*k).into(), v.clone())),
        ))
    }
    /// `%v` of a value as text/template prints it, with `<nil>` for the nil interface.
    fn v(x: &Value) -> String {
        x.to_v()
    }
    fn is_nil_list(x: &Value) -> bool {
        x.as_list()
            .is_some_and(|l| l.is_nil() && l.ty() == types::LIST)
    }

    #[test]
    fn list_and_tuple() {
        // fn-list, fn-tuple
        let a = ok(
            "list",
            &[i(1), s("two"), f(3.5), Value::Bool(true), Value::Nil],
        );
        assert_eq!(v(&a), "[1 two 3.5 true <nil>]");
        let e = ok("tuple", &[]);
        assert_eq!(e.type_name(), "[]interface {}");
        assert!(!e.as_list().unwrap().is_nil());
        assert_eq!(ok("tuple", &[i(1), i(2)]).as_list().unwrap().len(), 2);
    }

    #[test]
    fn first_last_rest_initial() {
        // fn-first, fn-last, fn-rest, fn-initial (and their must twins)
        assert_eq!(v(&ok("first", &[l(vec![i(1), i(2), i(3)])])), "1");
        assert!(ok("first", &[l(vec![])]).is_nil());
        assert_eq!(v(&ok("first", &[words()])), "b");
        assert_eq!(v(&ok("first", &[split(&["x", "y"])])), "x");
        assert!(ok("mustFirst", &[l(vec![Value::Nil, i(1)])]).is_nil());
        assert_eq!(v(&ok("last", &[l(vec![i(1), i(2), i(3)])])), "3");
        assert!(ok("mustLast", &[l(vec![])]).is_nil());
        assert_eq!(v(&ok("last", &[split(&["a", "b", "c"])])), "c");
        assert_eq!(v(&ok("rest", &[l(vec![i(1), i(2), i(3)])])), "[2 3]");
        let one = ok("rest", &[l(vec![i(1)])]);
        assert!(one.as_list().is_some_and(|l| l.is_empty() && !l.is_nil()));
        assert!(is_nil_list(&ok("rest", &[l(vec![])])));
        assert!(is_nil_list(&ok("mustRest", &[l(vec![])])));
        assert_eq!(v(&ok("rest", &[words()])), "[a c]");
        assert_eq!(v(&ok("initial", &[l(vec![i(1), i(2), i(3)])])), "[1 2]");
        assert!(is_nil_list(&ok("mustInitial", &[l(vec![])])));
        assert_eq!(v(&ok("initial", &[words()])), "[b a]");
    }

    #[test]
    fn kind_errors_read_like_sprig() {
        // fn-*-err conformance cases
        assert_eq!(
            err("first", &[Value::Nil]),
            "runtime error: invalid memory address or nil pointer dereference"
        );
        assert_eq!(
            err("mustFirst", &[s("abc")]),
            "Cannot find first on type string"
        );
        assert_eq!(err("rest", &[i(5)]), "Cannot find rest on type int");
        assert_eq!(
            err("mustRest", &[Value::empty_map()]),
            "Cannot find rest on type map"
        );
        assert_eq!(err("last", &[s("abc")]), "Cannot find last on type string");
        assert_eq!(
            err("mustLast", &[Value::Bool(true)]),
            "Cannot find last on type bool"
        );
        assert_eq!(
            err("initial", &[s("abc")]),
            "Cannot find initial on type string"
        );
        assert_eq!(
            err("mustInitial", &[f(1.5)]),
            "Cannot find initial on type float64"
        );
        assert_eq!(
            err("append", &[dict(&[("k", s("v"))]), i(1)]),
            "Cannot push on type map"
        );
        assert_eq!(
            err("push", &[s("abc"), s("d")]),
            "Cannot push on type string"
        );
        assert_eq!(
            err("mustAppend", &[s("abc"), s("d")]),
            "Cannot push on type string"
        );
        assert_eq!(err("mustPush", &[i(5), i(6)]), "Cannot push on type int");
        assert_eq!(
            err("prepend", &[dict(&[("a", i(1))]), i(0)]),
            "Cannot prepend on type map"
        );
        assert_eq!(
            err("mustPrepend", &[s("s"), i(1)]),
            "Cannot prepend on type string"
        );
        assert_eq!(
            err("concat", &[l(vec![i(1)]), s("abc")]),
            "Cannot concat type string as list"
        );
        assert_eq!(
            err("reverse", &[s("abc")]),
            "Cannot find reverse on type string"
        );
        assert_eq!(
            err("mustReverse", &[dict(&[("a", i(1))])]),
            "Cannot find reverse on type map"
        );
        assert_eq!(err("uniq", &[s("aab")]), "Cannot find uniq on type string");
        assert_eq!(err("mustUniq", &[i(7)]), "Cannot find uniq on type int");
        assert_eq!(
            err("without", &[s("abc"), s("a")]),
            "Cannot find without on type string"
        );
        assert_eq!(
            err("mustWithout", &[Value::empty_map(), s("a")]),
            "Cannot find without on type map"
        );
        assert_eq!(
            err("has", &[s("a"), s("abc")]),
            "Cannot find has on type string"
        );
        assert_eq!(
            err("mustHas", &[i(1), s("abc")]),
            "Cannot find has on type string"
        );
        assert_eq!(err("compact", &[s("abc")]), "Cannot compact on type string");
        assert_eq!(err("mustCompact", &[i(3)]), "Cannot compact on type int");
        assert_eq!(
            err("mustSlice", &[s("abc"), i(1)]),
            "list should be type of slice or array but string"
        );
        assert_eq!(
            err("slice", &[l(vec![i(1), i(2), i(3)]), i(2), i(1)]),
            "reflect.Value.Slice: slice index out of bounds"
        );
        assert_eq!(
            err("mustChunk", &[i(2), s("abc")]),
            "Cannot chunk type string"
        );
        assert_eq!(
            err("chunk", &[i(0), l(vec![i(1)])]),
            "runtime error: makeslice: len out of range"
        );
    }

    #[test]
    fn append_push_prepend_copy() {
        // fn-append, fn-push, fn-prepend
        let base = l(vec![i(1), i(2)]);
        assert_eq!(v(&ok("append", &[base.clone(), i(3)])), "[1 2 3]");
        assert_eq!(v(&base), "[1 2]");
        assert_eq!(v(&ok("append", &[l(vec![]), s("x")])), "[x]");
        let nested = ok("append", &[l(vec![f(1.0), f(2.0), f(3.0)]), l(vec![i(9)])]);
        assert_eq!(v(&nested), "[1 2 3 [9]]");
        let e = ok("append", &[split(&["a", "b"]), s("c")]);
        assert_eq!(e.type_name(), "[]interface {}");
        assert_eq!(v(&e), "[a b c]");
        assert_eq!(v(&ok("append", &[base.clone(), Value::Nil])), "[1 2 <nil>]");
        assert_eq!(v(&ok("push", &[words(), s("z")])), "[b a c z]");
        assert_eq!(v(&ok("mustPush", &[l(vec![i(1), i(2)]), i(3)])), "[1 2 3]");
        assert_eq!(v(&ok("prepend", &[base.clone(), i(0)])), "[0 1 2]");
        assert_eq!(
            v(&ok("prepend", &[words(), l(vec![s("p")])])),
            "[[p] b a c]"
        );
        assert_eq!(
            v(&ok("mustPrepend", &[split(&["b", "c"]), s("a")])),
            "[a b c]"
        );
    }

    #[test]
    fn concat_reverse_uniq_without_has_compact() {
        // fn-concat
        assert_eq!(
            v(&ok("concat", &[l(vec![i(1), i(2)]), l(vec![i(3)])])),
            "[1 2 3]"
        );
        assert!(is_nil_list(&ok("concat", &[])));
        assert!(is_nil_list(&ok("concat", &[l(vec![]), l(vec![])])));
        assert_eq!(
            v(&ok("concat", &[l(vec![i(1)]), l(vec![l(vec![i(2)])])])),
            "[1 [2]]"
        );
        assert_eq!(
            v(&ok("concat", &[l(vec![f(1.0)]), split(&["x", "y"])])),
            "[1 x y]"
        );
        // fn-reverse
        assert_eq!(v(&ok("reverse", &[l(vec![i(1), i(2), i(3)])])), "[3 2 1]");
        let empty_rev = ok("reverse", &[l(vec![])]);
        assert!(empty_rev.as_list().is_some_and(|l| !l.is_nil()));
        assert_eq!(v(&ok("mustReverse", &[split(&["x", "y"])])), "[y x]");
        // fn-uniq
        let u = ok("uniq", &[l(vec![i(1), i(1), i(2), s("1"), f(1.0), i(2)])]);
        assert_eq!(
            u.as_list()
                .unwrap()
                .iter()
                .map(Value::type_name)
                .collect::<Vec<_>>(),
            ["int", "int", "string", "float64"]
        );
        let lists = ok(
            "uniq",
            &[l(vec![
                l(vec![i(1)]),
                l(vec![i(1)]),
                dict(&[("a", i(1))]),
                dict(&[("a", i(1))]),
            ])],
        );
        assert_eq!(v(&lists), "[[1] map[a:1]]");
        assert_eq!(
            v(&ok(
                "uniq",
                &[l(vec![s("a"), s("b"), s("a"), f(1.0), f(1.0)])]
            )),
            "[a b 1]"
        );
        assert_eq!(
            v(&ok("uniq", &[l(vec![Value::Nil, Value::Nil, s("")])])),
            "[<nil> ]"
        );
        // a nil slice and an empty slice are different to reflect.DeepEqual
        let nil_and_empty = l(vec![ok("rest", &[l(vec![])]), l(vec![])]);
        assert_eq!(ok("uniq", &[nil_and_empty]).as_list().unwrap().len(), 2);
        // fn-without
        assert_eq!(
            v(&ok("without", &[l(vec![i(1), i(2), i(3), i(2)]), i(2)])),
            "[1 3]"
        );
        assert_eq!(
            v(&ok("without", &[l(vec![i(1), i(2), i(3)]), i(1), i(3)])),
            "[2]"
        );
        let floats = l(vec![f(1.0), f(2.0), f(3.0)]);
        assert_eq!(v(&ok("without", &[floats.clone(), i(1)])), "[1 2 3]");
        assert_eq!(v(&ok("without", &[floats, f(1.0)])), "[2 3]");
        assert_eq!(v(&ok("mustWithout", &[l(vec![i(1), i(2)])])), "[1 2]");
        // fn-has
        let t = Value::Bool(true);
        let fl = Value::Bool(false);
        assert!(ok("has", &[i(2), l(vec![i(1), i(2)])]).deep_equal(&t));
        assert!(ok("has", &[s("2"), l(vec![i(1), i(2)])]).deep_equal(&fl));
        assert!(ok("has", &[i(1), l(vec![f(1.0), f(2.0)])]).deep_equal(&fl));
        assert!(ok("has", &[f(1.0), l(vec![f(1.0), f(2.0)])]).deep_equal(&t));
        assert!(ok("has", &[Value::Nil, l(vec![Value::Nil])]).deep_equal(&t));
        assert!(ok("has", &[s("a"), Value::Nil]).deep_equal(&fl));
        assert!(ok("mustHas", &[s("x"), Value::Nil]).deep_equal(&fl));
        assert!(ok("has", &[s("b"), split(&["a", "b"])]).deep_equal(&t));
        assert!(ok("has", &[l(vec![i(1)]), l(vec![l(vec![i(1)])])]).deep_equal(&t));
        // fn-compact
        let mixed = l(vec![
            i(1),
            i(0),
            s(""),
            Value::Nil,
            fl.clone(),
            s("a"),
            l(vec![]),
            Value::empty_map(),
            f(0.0),
            s("0"),
        ]);
        assert_eq!(v(&ok("compact", &[mixed])), "[1 a 0]");
        let c = ok("compact", &[l(vec![])]);
        assert!(c.as_list().is_some_and(|l| l.is_empty() && !l.is_nil()));
        assert_eq!(
            v(&ok("mustCompact", &[l(vec![i(1), s(""), i(2)])])),
            "[1 2]"
        );
    }

    #[test]
    fn slice_keeps_type_and_bounds() {
        // fn-slice, fn-mustSlice
        let l123 = l(vec![i(1), i(2), i(3)]);
        assert_eq!(
            v(&ok("slice", &[l(vec![i(1), i(2), i(3), i(4)]), i(1), i(3)])),
            "[2 3]"
        );
        assert_eq!(v(&ok("slice", &[l123.clone(), i(1)])), "[2 3]");
        assert_eq!(v(&ok("slice", std::slice::from_ref(&l123))), "[1 2 3]");
        assert!(ok("slice", &[l(vec![])]).is_nil());
        let g = ok("slice", &[l123.clone(), i(3)]);
        assert!(g.as_list().is_some_and(|l| l.is_empty() && !l.is_nil()));
        let sub = ok("slice", &[split(&["a", "b", "c"]), i(1)]);
        assert_eq!(sub.type_name(), "[]string");
        assert_eq!(v(&sub), "[b c]");
        assert_eq!(v(&ok("slice", &[l123.clone(), s("1")])), "[2 3]");
        assert_eq!(v(&ok("mustSlice", &[l123.clone(), i(0), i(2)])), "[1 2]");
        assert_eq!(v(&ok("mustSlice", &[l(vec![s("x")]), i(1)])), "[]");
        assert!(call("slice", &[l123.clone(), i(-1)]).is_err());
        assert!(call("slice", &[l123, i(0), i(4)]).is_err());
    }

    #[test]
    fn chunk_sizes() {
        // fn-chunk, fn-mustChunk
        let five = l((1..=5).map(i).collect());
        assert_eq!(v(&ok("chunk", &[i(2), five])), "[[1 2] [3 4] [5]]");
        assert_eq!(
            v(&ok("chunk", &[i(3), l(vec![i(1), i(2), i(3)])])),
            "[[1 2 3]]"
        );
        assert_eq!(v(&ok("chunk", &[i(5), l(vec![i(1), i(2)])])), "[[1 2]]");
        let none = ok("chunk", &[i(1), l(vec![])]);
        assert_eq!(none.type_name(), "[][]interface {}");
        assert!(none.as_list().is_some_and(|l| l.is_empty()));
        assert_eq!(
            v(&ok("chunk", &[i(2), split(&["a", "b", "c"])])),
            "[[a b] [c]]"
        );
        assert_eq!(
            v(&ok("mustChunk", &[i(2), l(vec![i(1), i(2), i(3)])])),
            "[[1 2] [3]]"
        );
        // negative sizes, checked against Helm v4.2.3
        assert_eq!(v(&ok("chunk", &[i(-10), l(vec![i(1), i(2), i(3)])])), "[]");
        assert_eq!(v(&ok("chunk", &[i(-5), l(vec![i(1)])])), "[[1]]");
        assert!(call("chunk", &[i(-1), l(vec![i(1)])]).is_err());
        assert!(call("chunk", &[i(0), l(vec![])]).is_err());
    }

    #[test]
    fn sort_alpha_sorts_bytes() {
        // fn-sortAlpha
        let a = ok("sortAlpha", &[l(vec![s("c"), s("a"), s("B"), s("b")])]);
        assert_eq!(a.type_name(), "[]string");
        assert_eq!(v(&a), "[B a b c]");
        assert_eq!(
            v(&ok("sortAlpha", &[l(vec![i(10), i(9), i(100), s("a")])])),
            "[10 100 9 a]"
        );
        assert_eq!(v(&ok("sortAlpha", &[l(vec![])])), "[]");
        assert_eq!(v(&ok("sortAlpha", &[s("solo")])), "[solo]");
        assert_eq!(
            v(&ok("sortAlpha", &[l(vec![s("b"), f(3.0), s("a"), f(1.5)])])),
            "[1.5 3 a b]"
        );
        assert_eq!(
            v(&ok(
                "sortAlpha",
                &[l(["é", "e", "z", "Z", "10", "9"].map(s).to_vec())]
            )),
            "[10 9 Z e z é]"
        );
        assert_eq!(v(&ok("sortAlpha", &[Value::Nil])), "[<nil>]");
        assert_eq!(v(&ok("sortAlpha", &[dict(&[("a", i(1))])])), "[map[a:1]]");
        assert_eq!(
            v(&ok("sortAlpha", &[l(vec![Value::Nil, s("b"), s("a")])])),
            "[a b]"
        );
    }

    #[test]
    fn until_untilstep_seq() {
        // fn-until
        assert_eq!(v(&ok("until", &[i(5)])), "[0 1 2 3 4]");
        // Sprig's list functions on a []int (checked against Helm v4.2.3)
        let sub = ok("slice", &[ok("until", &[i(5)]), i(1), i(3)]);
        assert_eq!(
            (sub.type_name(), v(&sub)),
            ("[]int".to_string(), "[1 2]".to_string())
        );
        assert_eq!(ok("first", &[ok("until", &[i(3)])]).type_name(), "int");
        assert_eq!(
            v(&ok("sortAlpha", &[ok("until", &[i(12)])])),
            "[0 1 10 11 2 3 4 5 6 7 8 9]"
        );
        assert_eq!(
            ok("reverse", &[ok("until", &[i(2)])]).type_name(),
            "[]interface {}"
        );
        assert_eq!(v(&ok("until", &[i(0)])), "[]");
        assert_eq!(v(&ok("until", &[i(-3)])), "[0 -1 -2]");
        assert_eq!(ok("until", &[i(2)]).type_name(), "[]int");
        // fn-untilStep
        assert_eq!(v(&ok("untilStep", &[i(0), i(10), i(3)])), "[0 3 6 9]");
        assert_eq!(v(&ok("untilStep", &[i(10), i(0), i(-4)])), "[10 6 2]");
        assert_eq!(v(&ok("untilStep", &[i(0), i(10), i(0)])), "[]");
        assert_eq!(v(&ok("untilStep", &[i(0), i(10), i(-1)])), "[]");
        assert_eq!(v(&ok("untilStep", &[i(5), i(5), i(1)])), "[]");
        assert_eq!(v(&ok("untilStep", &[i(-5), i(5), i(5)])), "[-5 0]");
        assert_eq!(v(&ok("untilStep", &[i(3), i(0), i(1)])), "[]");
        // the cap: a huge count and a step that overflows int both stop with an error
        assert!(err("until", &[i(1 << 40)]).contains("1000000"));
        assert!(call("untilStep", &[i(0), i(i64::MAX), i(i64::MAX / 2 + 1)]).is_err());
        assert_eq!(
            ok("until", &[i(MAX_SEQUENCE_LEN as i64)])
                .as_list()
                .unwrap()
                .len(),
            MAX_SEQUENCE_LEN
        );
        // fn-seq
        let seq_of = |a: &[i64]| -> String {
            let args: Vec<Value> = a.iter().map(|&n| i(n)).collect();
            ok("seq", &args).as_str().unwrap().to_string()
        };
        assert_eq!(seq_of(&[5]), "1 2 3 4 5");
        assert_eq!(seq_of(&[-3]), "1 0 -1 -2 -3");
        assert_eq!(seq_of(&[2, 5]), "2 3 4 5");
        assert_eq!(seq_of(&[5, 2]), "5 4 3 2");
        assert_eq!(seq_of(&[0, 3, 10]), "0 3 6 9");
        assert_eq!(seq_of(&[10, -3, 1]), "10 7 4 1");
        assert_eq!(seq_of(&[1, -1, 5]), "");
        assert_eq!(seq_of(&[5, 1, 1]), "");
        assert_eq!(seq_of(&[]), "");
        assert_eq!(seq_of(&[1, 2, 3, 4]), "");
        assert_eq!(seq_of(&[0]), "1 0");
        assert_eq!(seq_of(&[1]), "1");
        // further cases checked against Helm v4.2.3
        assert_eq!(seq_of(&[3, -1, 1]), "3 2 1");
        assert_eq!(seq_of(&[1, 1]), "1");
        assert_eq!(seq_of(&[-1]), "1 0 -1");
        assert_eq!(seq_of(&[2, 0, 2]), "");
    }
}
