//! Sprig's strings family (strings.go and the string entries of functions.go): Go's `strings`
//! functions with Sprig's argument order, goutils' byte-based helpers, `quote`/`squote`/`cat`,
//! `indent`, `split*`/`join`, `substr`/`trunc` and `fail`.
//!
//! Go strings are byte strings and several of these functions cut them at byte offsets
//! (`substr`, `trunc`, `abbrev`, `wrap`); a cut inside a multi-byte character leaves bytes that are
//! not UTF-8, which ChartLab's strings cannot hold, so each such byte becomes U+FFFD — what Helm's
//! JSON output shows for them.

use std::collections::BTreeMap;

use super::case;
use super::unicode::{go_lossy, is_space};
use super::util::strval;
use crate::engine::printf;
use crate::engine::value::types;
use crate::engine::{CallCtx, FnResult, FuncMap, List, Map, Signature, Str, Ty, Value};

const S: Ty = Ty::String;
const I: Ty = Ty::Int;

pub(crate) fn register(m: &mut FuncMap) {
    m.add("hello", Signature::fixed(&[]), |_, _| {
        Ok(Value::str("Hello!"))
    });
    m.add("abbrev", Signature::fixed(&[I, S]), abbrev);
    m.add("abbrevboth", Signature::fixed(&[I, I, S]), abbrevboth);
    m.add("trunc", Signature::fixed(&[I, S]), trunc);
    m.add("trim", Signature::fixed(&[S]), |_, a| {
        map_str(a, |s| s.trim_matches(is_space).into())
    });
    m.add("upper", Signature::fixed(&[S]), |_, a| {
        map_str(a, case::upper)
    });
    m.add("lower", Signature::fixed(&[S]), |_, a| {
        map_str(a, case::lower)
    });
    m.add("title", Signature::fixed(&[S]), |_, a| {
        map_str(a, case::title)
    });
    m.add("untitle", Signature::fixed(&[S]), |_, a| {
        map_str(a, case::untitle)
    });
    m.add("substr", Signature::fixed(&[I, I, S]), substr);
    m.add("repeat", Signature::fixed(&[I, S]), repeat);
    m.add("trimall", Signature::fixed(&[S, S]), trim_all);
    m.add("trimAll", Signature::fixed(&[S, S]), trim_all);
    m.add("trimSuffix", Signature::fixed(&[S, S]), |_, a| {
        let (suffix, s) = (str_arg(a, 0)?, str_arg(a, 1)?);
        Ok(Value::str(s.strip_suffix(suffix).unwrap_or(s)))
    });
    m.add("trimPrefix", Signature::fixed(&[S, S]), |_, a| {
        let (prefix, s) = (str_arg(a, 0)?, str_arg(a, 1)?);
        Ok(Value::str(s.strip_prefix(prefix).unwrap_or(s)))
    });
    m.add("nospace", Signature::fixed(&[S]), |_, a| {
        map_str(a, case::delete_white_space)
    });
    m.add("initials", Signature::fixed(&[S]), |_, a| {
        map_str(a, case::initials)
    });
    m.add("swapcase", Signature::fixed(&[S]), |_, a| {
        map_str(a, case::swap_case)
    });
    m.add("shuffle", Signature::fixed(&[S]), shuffle);
    m.add("snakecase", Signature::fixed(&[S]), |_, a| {
        map_str(a, |s| case::to_lower_words(s, '_'))
    });
    m.add("camelcase", Signature::fixed(&[S]), |_, a| {
        map_str(a, case::to_pascal_case)
    });
    m.add("kebabcase", Signature::fixed(&[S]), |_, a| {
        map_str(a, |s| case::to_lower_words(s, '-'))
    });
    m.add("wrap", Signature::fixed(&[I, S]), |ctx, a| {
        wrap(ctx, int_arg(a, 0)?, "", str_arg(a, 1)?, false)
    });
    m.add("wrapWith", Signature::fixed(&[I, S, S]), |ctx, a| {
        wrap(ctx, int_arg(a, 0)?, str_arg(a, 1)?, str_arg(a, 2)?, true)
    });
    m.add("contains", Signature::fixed(&[S, S]), |_, a| {
        Ok(Value::Bool(str_arg(a, 1)?.contains(str_arg(a, 0)?)))
    });
    m.add("hasPrefix", Signature::fixed(&[S, S]), |_, a| {
        Ok(Value::Bool(str_arg(a, 1)?.starts_with(str_arg(a, 0)?)))
    });
    m.add("hasSuffix", Signature::fixed(&[S, S]), |_, a| {
        Ok(Value::Bool(str_arg(a, 1)?.ends_with(str_arg(a, 0)?)))
    });
    m.add("quote", Signature::variadic(&[], Ty::Any), quote);
    m.add("squote", Signature::variadic(&[], Ty::Any), squote);
    m.add("cat", Signature::variadic(&[], Ty::Any), cat);
    m.add("indent", Signature::fixed(&[I, S]), |ctx, a| {
        indent(ctx, int_arg(a, 0)?, str_arg(a, 1)?, false)
    });
    m.add("nindent", Signature::fixed(&[I, S]), |ctx, a| {
        indent(ctx, int_arg(a, 0)?, str_arg(a, 1)?, true)
    });
    m.add("replace", Signature::fixed(&[S, S, S]), replace);
    m.add("plural", Signature::fixed(&[S, S, I]), |_, a| {
        let (one, many) = (&a[0], &a[1]);
        Ok(if int_arg(a, 2)? == 1 {
            one.clone()
        } else {
            many.clone()
        })
    });
    m.add("split", Signature::fixed(&[S, S]), |_, a| {
        Ok(split_map(split_n(str_arg(a, 1)?, str_arg(a, 0)?, -1)))
    });
    m.add("splitList", Signature::fixed(&[S, S]), |_, a| {
        Ok(string_list(split_n(str_arg(a, 1)?, str_arg(a, 0)?, -1)))
    });
    m.add("splitn", Signature::fixed(&[S, I, S]), |_, a| {
        Ok(split_map(split_n(
            str_arg(a, 2)?,
            str_arg(a, 0)?,
            int_arg(a, 1)?,
        )))
    });
    m.add("join", Signature::fixed(&[S, Ty::Any]), join);
    m.add("fail", Signature::fixed(&[S]), |_, a| {
        Err(str_arg(a, 0)?.to_owned())
    });
}

/// The string argument `i` (the executor has converted it to the declared `string` type).
pub(super) fn str_arg(args: &[Value], i: usize) -> Result<&str, String> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s),
        other => Err(format!(
            "internal error: argument {i} is {other:?}, not a string"
        )),
    }
}

/// The `int` argument `i`.
pub(super) fn int_arg(args: &[Value], i: usize) -> Result<i64, String> {
    match args.get(i) {
        Some(Value::Int(n)) | Some(Value::Int64(n)) => Ok(*n),
        other => Err(format!(
            "internal error: argument {i} is {other:?}, not an int"
        )),
    }
}

fn map_str(args: &[Value], f: impl Fn(&str) -> String) -> FnResult {
    let s = str_arg(args, 0)?;
    let out = f(s);
    // keep the shared string when nothing changed
    if out == s {
        Ok(args[0].clone())
    } else {
        Ok(Value::string(out))
    }
}

/// A `[]string` value.
pub(super) fn string_list(items: Vec<&str>) -> Value {
    Value::List(List::typed(
        types::STRINGS,
        items
            .into_iter()
            .map(|s| Value::String(Str::from(s)))
            .collect(),
    ))
}

/// Refuses to build a string longer than the execution's output limit: Go would allocate it (and
/// Helm would print it), a browser tab would die.
pub(super) fn check_len(ctx: &CallCtx<'_>, len: u128) -> Result<(), String> {
    let limit = ctx.env().limits.max_output as u128;
    if len > limit {
        Err(format!(
            "ChartLab limit: the result would be {len} bytes, more than the {limit}-byte output limit"
        ))
    } else {
        Ok(())
    }
}

fn wrap(ctx: &CallCtx<'_>, width: i64, sep: &str, s: &str, wrap_long: bool) -> FnResult {
    let limit = ctx.env().limits.max_output;
    match case::wrap_custom(s, width, sep, wrap_long, limit) {
        Ok(out) => Ok(Value::string(out)),
        Err(len) => check_len(ctx, len as u128).map(|_| Value::Nil),
    }
}

/// `strings.Repeat`, with Go's panics.
pub(super) fn go_repeat(ctx: &CallCtx<'_>, s: &str, count: i64) -> Result<String, String> {
    match count {
        0 => return Ok(String::new()),
        1 => return Ok(s.to_owned()),
        c if c < 0 => return Err("strings: negative Repeat count".into()),
        _ => {}
    }
    let total = s.len() as u128 * count as u128;
    if total > i64::MAX as u128 {
        return Err("strings: Repeat output length overflow".into());
    }
    check_len(ctx, total)?;
    Ok(s.repeat(count as usize))
}

/// Go's `s[lo:hi]` on a string's bytes (the caller has checked the bounds).
fn byte_slice(s: &str, lo: usize, hi: usize) -> String {
    match s.get(lo..hi) {
        Some(t) => t.to_owned(),
        None => go_lossy(&s.as_bytes()[lo..hi]),
    }
}

fn abbreviate_full(s: &str, offset: i64, max_width: i64) -> String {
    let len = s.len() as i64;
    if len == 0 || max_width < 4 {
        // goutils returns "" with an error for a width below 4; Sprig never passes one
        return String::new();
    }
    if len <= max_width {
        return s.to_owned();
    }
    let mut offset = offset.min(len);
    if len - offset < max_width - 3 {
        offset = len - (max_width - 3);
    }
    if offset <= 4 {
        return byte_slice(s, 0, (max_width - 3) as usize) + "...";
    }
    if max_width < 7 {
        return String::new();
    }
    if offset + max_width - 3 < len {
        let rest = &s.as_bytes()[offset as usize..];
        let width = max_width - 3;
        let inner = if rest.len() as i64 <= width {
            go_lossy(rest)
        } else {
            go_lossy(&rest[..(width - 3) as usize]) + "..."
        };
        return format!("...{inner}");
    }
    format!(
        "...{}",
        byte_slice(s, (len - (max_width - 3)) as usize, len as usize)
    )
}

fn abbrev(_: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let (width, s) = (int_arg(a, 0)?, str_arg(a, 1)?);
    if width < 4 {
        return Ok(a[1].clone());
    }
    Ok(Value::string(abbreviate_full(s, 0, width)))
}

fn abbrevboth(_: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let (left, right, s) = (int_arg(a, 0)?, int_arg(a, 1)?, str_arg(a, 2)?);
    if right < 4 || left > 0 && right < 7 {
        return Ok(a[2].clone());
    }
    Ok(Value::string(abbreviate_full(s, left, right)))
}

fn trunc(_: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let (c, s) = (int_arg(a, 0)?, str_arg(a, 1)?);
    let len = s.len() as i64;
    if c < 0 && len + c > 0 {
        return Ok(Value::string(byte_slice(s, (len + c) as usize, s.len())));
    }
    if c >= 0 && len > c {
        return Ok(Value::string(byte_slice(s, 0, c as usize)));
    }
    Ok(a[1].clone())
}

/// Sprig's `substring`, with the runtime panics Go's slicing raises.
fn substr(_: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let (start, end, s) = (int_arg(a, 0)?, int_arg(a, 1)?, str_arg(a, 2)?);
    let len = s.len() as i64;
    if start < 0 {
        // s[:end]
        if end < 0 {
            return Err(format!("runtime error: slice bounds out of range [:{end}]"));
        }
        if end > len {
            return Err(format!(
                "runtime error: slice bounds out of range [:{end}] with length {len}"
            ));
        }
        return Ok(Value::string(byte_slice(s, 0, end as usize)));
    }
    if end < 0 || end > len {
        // s[start:]
        if start > len {
            return Err(format!(
                "runtime error: slice bounds out of range [{start}:{len}]"
            ));
        }
        return Ok(Value::string(byte_slice(s, start as usize, s.len())));
    }
    if start > end {
        return Err(format!(
            "runtime error: slice bounds out of range [{start}:{end}]"
        ));
    }
    Ok(Value::string(byte_slice(s, start as usize, end as usize)))
}

fn repeat(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let (count, s) = (int_arg(a, 0)?, str_arg(a, 1)?);
    Ok(Value::string(go_repeat(ctx, s, count)?))
}

fn trim_all(_: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let (cutset, s) = (str_arg(a, 0)?, str_arg(a, 1)?);
    let out = if cutset.len() == 1 && cutset.is_ascii() {
        let b = cutset.as_bytes()[0] as char;
        s.trim_matches(b)
    } else {
        s.trim_matches(|c| cutset.contains(c))
    };
    if out.len() == s.len() {
        Ok(a[1].clone())
    } else {
        Ok(Value::str(out))
    }
}

fn shuffle(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let s = str_arg(a, 0)?;
    if s.is_empty() {
        return Ok(a[0].clone());
    }
    let mut runes: Vec<char> = s.chars().collect();
    ctx.with_rng(|rng| {
        // xstrings.Shuffle: Fisher–Yates from the end, index drawn from [0, i]
        for i in (1..runes.len()).rev() {
            let j = uniform(rng, i as u64 + 1) as usize;
            runes.swap(i, j);
        }
    });
    Ok(Value::string(runes.into_iter().collect()))
}

/// A uniformly distributed integer in `[0, n)` (n > 0), without modulo bias.
pub(super) fn uniform(rng: &mut dyn rand_core::RngCore, n: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX - n + 1) % n;
    loop {
        let v = rng.next_u64();
        if v <= zone {
            return v % n;
        }
    }
}

/// Sprig's `quote`: `%q` of each non-nil argument's `strval`, space separated.
fn quote(_: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    if let [Value::String(s)] = a {
        return Ok(Value::string(printf::quote(s)));
    }
    let mut out = String::new();
    for v in a.iter().filter(|v| !v.is_nil()) {
        if !out.is_empty() {
            out.push(' ');
        }
        match v {
            Value::String(s) => out.push_str(&printf::quote(s)),
            other => out.push_str(&printf::quote(&strval(other))),
        }
    }
    Ok(Value::string(out))
}

/// Sprig's `squote`: `'%v'` of each non-nil argument (no escaping at all).
fn squote(_: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let mut out = String::new();
    for v in a.iter().filter(|v| !v.is_nil()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('\'');
        v.write_v(&mut out, false);
        out.push('\'');
    }
    Ok(Value::string(out))
}

/// Sprig's `cat`: the non-nil arguments printed with `%v`, space separated.
fn cat(_: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let mut out = String::new();
    for (i, v) in a.iter().filter(|v| !v.is_nil()).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        v.write_v(&mut out, false);
    }
    Ok(Value::string(out))
}

fn indent(ctx: &CallCtx<'_>, spaces: i64, s: &str, newline: bool) -> FnResult {
    let pad = go_repeat(ctx, " ", spaces)?;
    let lines = s.bytes().filter(|&b| b == b'\n').count() as u128;
    check_len(ctx, s.len() as u128 + (lines + 1) * pad.len() as u128 + 1)?;
    let mut out = String::with_capacity(s.len() + (lines as usize + 1) * pad.len() + 1);
    if newline {
        out.push('\n');
    }
    out.push_str(&pad);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    Ok(Value::string(out))
}

/// `strings.Replace(src, old, new, -1)`; an empty `old` inserts `new` around every rune.
fn replace(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let (old, new, src) = (str_arg(a, 0)?, str_arg(a, 1)?, str_arg(a, 2)?);
    if old == new {
        return Ok(a[2].clone());
    }
    if old.is_empty() {
        let n = src.chars().count() as u128 + 1;
        check_len(ctx, src.len() as u128 + n * new.len() as u128)?;
        let mut out = String::with_capacity(src.len() + n as usize * new.len());
        out.push_str(new);
        for c in src.chars() {
            out.push(c);
            out.push_str(new);
        }
        return Ok(Value::string(out));
    }
    let n = src.matches(old).count() as u128;
    if n == 0 {
        return Ok(a[2].clone());
    }
    if new.len() > old.len() {
        check_len(ctx, src.len() as u128 + n * (new.len() - old.len()) as u128)?;
    }
    Ok(Value::string(src.replace(old, new)))
}

/// `strings.SplitN(s, sep, n)` (n < 0: all; n == 0: none).
pub(super) fn split_n<'a>(s: &'a str, sep: &str, n: i64) -> Vec<&'a str> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        // explode: one element per rune, the last one holding the rest when n is reached
        let total = s.chars().count();
        let n = if n < 0 || n as u64 > total as u64 {
            total
        } else {
            n as usize
        };
        let mut out = Vec::with_capacity(n);
        let mut rest = s;
        while out.len() + 1 < n {
            let w = rest.chars().next().map_or(0, char::len_utf8);
            out.push(&rest[..w]);
            rest = &rest[w..];
        }
        if n > 0 {
            out.push(rest);
        }
        return out;
    }
    if n < 0 {
        s.split(sep).collect()
    } else {
        // more parts than bytes is the same as all of them (and fits a 32-bit usize)
        s.splitn(n.min(s.len() as i64 + 1) as usize, sep).collect()
    }
}

/// Sprig's `split`/`splitn` result: `map[string]string` with keys `_0`, `_1`, ….
fn split_map(parts: Vec<&str>) -> Value {
    let entries: BTreeMap<Str, Value> = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (Str::from(format!("_{i}")), Value::str(p)))
        .collect();
    Value::Map(Map::typed(types::STRING_MAP, entries))
}

/// Sprig's `strslice`: the strings `join` joins.
fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::Nil => Vec::new(),
        Value::List(l) => l.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Bytes(b) => b.iter().map(|x| x.to_string()).collect(),
        other => vec![strval(other)],
    }
}

fn join(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let sep = str_arg(a, 0)?;
    let parts = strslice(&a[1]);
    let total: u128 = parts.iter().map(|p| p.len() as u128).sum::<u128>()
        + parts.len().saturating_sub(1) as u128 * sep.len() as u128;
    check_len(ctx, total)?;
    Ok(Value::string(parts.join(sep)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sort::SliceSort;
    use crate::engine::Env;

    pub(crate) fn call(name: &str, args: &[Value]) -> FnResult {
        let mut m = FuncMap::new();
        register(&mut m);
        let f = m
            .get(name)
            .unwrap_or_else(|| panic!("{name} not registered"));
        CallCtx::with_env(&Env::default(), |ctx| (f.imp)(ctx, args))
    }

    fn s(v: &str) -> Value {
        Value::str(v)
    }
    fn i(n: i64) -> Value {
        Value::Int(n)
    }
    fn ok(name: &str, args: &[Value]) -> String {
        match call(name, args) {
            Ok(v) => v.to_v(),
            Err(e) => panic!("{name}: {e}"),
        }
    }
    fn err(name: &str, args: &[Value]) -> String {
        call(name, args).expect_err(name)
    }

    // Expected values below are Helm v4.2.3's output (conformance cases fn-* and oracle runs).

    #[test]
    fn abbrev_cases() {
        let hw = s("hello world");
        assert_eq!(ok("abbrev", &[i(5), hw.clone()]), "he...");
        assert_eq!(ok("abbrev", &[i(3), hw.clone()]), "hello world");
        assert_eq!(ok("abbrev", &[i(4), hw.clone()]), "h...");
        assert_eq!(ok("abbrev", &[i(20), s("hello")]), "hello");
        assert_eq!(ok("abbrev", &[i(10), s("")]), "");
        assert_eq!(
            ok("abbrev", &[i(10), s("piped long sentence")]),
            "piped l..."
        );
        assert_eq!(ok("abbrev", &[i(7), s("héllo wörld")]), "hél...");
        assert_eq!(ok("abbrev", &[i(11), hw]), "hello world");
        // a cut inside é: Helm's bytes "\xc3..." show as U+FFFD
        assert_eq!(ok("abbrev", &[i(5), s("éééééé")]), "é...");
    }

    #[test]
    fn abbrevboth_cases() {
        assert_eq!(
            ok("abbrevboth", &[i(5), i(10), s("1234 5678 9123")]),
            "...5678..."
        );
        assert_eq!(
            ok("abbrevboth", &[i(0), i(8), s("abcdefghijklmno")]),
            "abcde..."
        );
        assert_eq!(
            ok("abbrevboth", &[i(1), i(6), s("abcdefghijklmno")]),
            "abcdefghijklmno"
        );
        assert_eq!(ok("abbrevboth", &[i(10), i(20), s("short")]), "short");
        assert_eq!(
            ok("abbrevboth", &[i(2), i(3), s("abcdefghij")]),
            "abcdefghij"
        );
        assert_eq!(
            ok("abbrevboth", &[i(4), i(7), s("abcdefghijklmnop")]),
            "abcd..."
        );
        assert_eq!(
            ok(
                "abbrevboth",
                &[i(20), i(10), s("abcdefghijklmnopqrstuvwxyz")]
            ),
            "...tuvwxyz"
        );
        assert_eq!(ok("abbrevboth", &[i(1), i(8), s("")]), "");
    }

    #[test]
    fn cat_quote_squote() {
        assert_eq!(
            ok("cat", &[s("a"), Value::Nil, s("b"), Value::Nil, s("c")]),
            "a b c"
        );
        assert_eq!(ok("cat", &[]), "");
        assert_eq!(
            ok("cat", &[s("a"), s("b"), i(3), Value::Nil, s("c")]),
            "a b 3 c"
        );
        assert_eq!(
            ok("cat", &[s("start"), s("mid"), s("end")]),
            "start mid end"
        );
        assert_eq!(ok("cat", &[Value::Nil]), "");
        assert_eq!(ok("cat", &[s(""), s("")]), " ");
        assert_eq!(
            ok("cat", &[i(1), Value::Float(2.5), Value::Bool(true)]),
            "1 2.5 true"
        );
        let l = Value::list(vec![i(1), i(2)]);
        let d = Value::Map(Map::from_entries([(Str::from("k"), s("v"))]));
        assert_eq!(ok("cat", &[l.clone(), d.clone()]), "[1 2] map[k:v]");

        assert_eq!(ok("quote", &[s("x")]), "\"x\"");
        assert_eq!(ok("quote", &[s("a"), s("b"), i(1)]), "\"a\" \"b\" \"1\"");
        assert_eq!(
            ok("quote", &[i(12), Value::Float(1.5), Value::Bool(true)]),
            "\"12\" \"1.5\" \"true\""
        );
        assert_eq!(
            ok("quote", &[s("with \"inner\" quotes")]),
            "\"with \\\"inner\\\" quotes\""
        );
        assert_eq!(ok("quote", &[Value::Nil]), "");
        assert_eq!(ok("quote", &[]), "");
        assert_eq!(
            ok(
                "quote",
                &[s("tab\there"), s("new\nline"), s("é ☃"), s("\x01")]
            ),
            r#""tab\there" "new\nline" "é ☃" "\x01""#
        );
        assert_eq!(ok("quote", &[l.clone(), d]), "\"[1 2]\" \"map[k:v]\"");
        assert_eq!(ok("quote", &[s("a"), Value::Nil, s("b")]), "\"a\" \"b\"");
        assert_eq!(ok("quote", &[s("back\\slash")]), r#""back\\slash""#);
        assert_eq!(
            ok("quote", &[s("\u{a0} \u{200b} \x7f \u{1F600} \u{FFFD}")]),
            "\"\\u00a0 \\u200b \\x7f \u{1F600} \u{FFFD}\""
        );
        assert_eq!(ok("quote", &[s("\x07\x08\x0c\x0b")]), r#""\a\b\f\v""#);
        assert_eq!(ok("quote", &[s("\u{FFFFF}")]), r#""\U000fffff""#);

        assert_eq!(ok("squote", &[s("x")]), "'x'");
        assert_eq!(ok("squote", &[s("it's")]), "'it's'");
        assert_eq!(
            ok("squote", &[i(12), Value::Float(1.5), Value::Bool(false)]),
            "'12' '1.5' 'false'"
        );
        assert_eq!(ok("squote", &[Value::Nil]), "");
        assert_eq!(ok("squote", &[Value::Nil, s("a")]), "'a'");
        assert_eq!(ok("squote", &[s("a"), s("b")]), "'a' 'b'");
        assert_eq!(ok("squote", &[s("tab\tkept")]), "'tab\tkept'");
        assert_eq!(ok("squote", &[l]), "'[1 2]'");
        assert_eq!(
            ok("squote", &[Value::Bytes(b"hi"[..].into())]),
            "'[104 105]'"
        );
    }

    #[test]
    fn contains_prefix_suffix() {
        assert_eq!(ok("contains", &[s("cat"), s("catch")]), "true");
        assert_eq!(ok("contains", &[s("dog"), s("catch")]), "false");
        assert_eq!(ok("contains", &[s(""), s("")]), "true");
        assert_eq!(ok("contains", &[s("a"), s("")]), "false");
        assert_eq!(ok("contains", &[s("Cat"), s("catch")]), "false");
        assert_eq!(ok("hasPrefix", &[s("cat"), s("catch")]), "true");
        assert_eq!(ok("hasPrefix", &[s("ch"), s("catch")]), "false");
        assert_eq!(ok("hasPrefix", &[s("abc"), s("")]), "false");
        assert_eq!(ok("hasSuffix", &[s("ch"), s("catch")]), "true");
        assert_eq!(ok("hasSuffix", &[s(""), s("x")]), "true");
        assert_eq!(ok("hasSuffix", &[s("Yaml"), s("file.yaml")]), "false");
        assert_eq!(ok("hello", &[]), "Hello!");
    }

    #[test]
    fn indent_nindent() {
        assert_eq!(
            ok("indent", &[i(4), s("x\ny\n\nz")]),
            "    x\n    y\n    \n    z"
        );
        assert_eq!(ok("indent", &[i(2), s("")]), "  ");
        assert_eq!(ok("indent", &[i(0), s("k")]), "k");
        assert_eq!(ok("indent", &[i(2), s("trailing\n")]), "  trailing\n  ");
        assert_eq!(
            ok("indent", &[i(3), s("crlf\r\nline")]),
            "   crlf\r\n   line"
        );
        assert_eq!(
            err("indent", &[i(-1), s("x")]),
            "strings: negative Repeat count"
        );
        assert_eq!(ok("nindent", &[i(4), s("x\ny")]), "\n    x\n    y");
        assert_eq!(ok("nindent", &[i(2), s("")]), "\n  ");
        assert_eq!(ok("nindent", &[i(0), s("k")]), "\nk");
        assert_eq!(ok("nindent", &[i(2), s("t\n")]), "\n  t\n  ");
        assert!(err("indent", &[i(1 << 40), s("x")]).starts_with("ChartLab limit"));
    }

    #[test]
    fn lower_upper_title_untitle() {
        assert_eq!(ok("lower", &[s("HeLLo WORLD")]), "hello world");
        assert_eq!(ok("lower", &[s("ΟΔΟΣ")]), "οδοσ");
        assert_eq!(ok("lower", &[s("İSTANBUL")]), "istanbul");
        assert_eq!(ok("lower", &[s("ÀÉÎÕÜ 123")]), "àéîõü 123");
        assert_eq!(ok("upper", &[s("hello World 123")]), "HELLO WORLD 123");
        assert_eq!(ok("upper", &[s("straße ñandú ǆ ﬁ")]), "STRAßE ÑANDÚ Ǆ ﬁ");
        assert_eq!(ok("upper", &[s("")]), "");
        assert_eq!(ok("title", &[s("hello wide world")]), "Hello Wide World");
        assert_eq!(
            ok("title", &[s("hello_world foo-bar")]),
            "Hello_world Foo-Bar"
        );
        assert_eq!(ok("title", &[s("o'neil mcdonald")]), "O'Neil Mcdonald");
        assert_eq!(
            ok("title", &[s("o'neil mcdonald-smith")]),
            "O'Neil Mcdonald-Smith"
        );
        assert_eq!(ok("title", &[s("ñandú élan")]), "Ñandú Élan");
        assert_eq!(ok("title", &[s("ALREADY UP")]), "ALREADY UP");
        assert_eq!(ok("title", &[s("a.b c,d 3rd x1y")]), "A.B C,D 3rd X1y");
        assert_eq!(ok("title", &[s("ǆemal ᾳ ა ß ﬁx")]), "ǅemal ᾼ ა ß ﬁx");
        assert_eq!(ok("title", &[s("héllo wörld-ñ")]), "Héllo Wörld-Ñ");
        assert_eq!(ok("untitle", &[s("Hello World")]), "hello world");
        assert_eq!(ok("untitle", &[s("HELLO WORLD")]), "hELLO wORLD");
        assert_eq!(ok("untitle", &[s("Élan Vital")]), "élan vital");
        assert_eq!(ok("untitle", &[s("  Leading Spaces")]), "  leading spaces");
        assert_eq!(ok("untitle", &[s("Tab\tSeparated")]), "tab\tseparated");
        assert_eq!(ok("untitle", &[s("ǅemal Ǆ")]), "ǆemal ǆ");
    }

    #[test]
    fn initials_nospace_swapcase() {
        assert_eq!(ok("initials", &[s("First Try")]), "FT");
        assert_eq!(ok("initials", &[s("  many   spaces here ")]), "msh");
        assert_eq!(ok("initials", &[s("")]), "");
        assert_eq!(ok("initials", &[s("élan vital")]), "Ãv");
        assert_eq!(ok("initials", &[s("a-b c_d")]), "ac");
        assert_eq!(ok("initials", &[s("àb çd")]), "ÃbÃ");
        assert_eq!(ok("nospace", &[s("h e l l o")]), "hello");
        assert_eq!(ok("nospace", &[s(" \t a\nb\r\nc ")]), "abc");
        // byte-wise: the NBSP's second byte and nothing of U+3000 is white space
        assert_eq!(
            ok("nospace", &[s("a\u{a0}b\u{3000}c")]),
            "aÂbã\u{80}\u{80}c"
        );
        assert_eq!(ok("nospace", &[s("héllo")]), "héllo");
        // fn-nospace e: no byte of U+2003 is white space on its own, so nothing changes
        assert_eq!(ok("nospace", &[s("x\u{2003}y")]), "x\u{2003}y");
        assert_eq!(ok("nospace", &[s("h e l l o\tw")]), "hellow");
        assert_eq!(ok("nospace", &[s("hé llo")]), "hÃ\u{a9}llo");
        assert_eq!(ok("swapcase", &[s("Hello World")]), "hELLO wORLD");
        assert_eq!(ok("swapcase", &[s("hELLO wORLD")]), "Hello World");
        assert_eq!(ok("swapcase", &[s("i am here")]), "I AM HERE");
        assert_eq!(ok("swapcase", &[s("123 abc DEF")]), "123 ABC def");
        assert_eq!(ok("swapcase", &[s("Ǆemal ǅemal")]), "ǆEMAL ǆEMAL");
        assert_eq!(ok("swapcase", &[s("ßtraße")]), "ßTRAßE");
        assert_eq!(ok("swapcase", &[s("ǅ ა Ა ᾳ ᾼ")]), "ǆ ა ა ᾼ ᾳ");
    }

    #[test]
    fn plural_repeat_replace() {
        let p = |n| ok("plural", &[s("one"), s("many"), i(n)]);
        assert_eq!([p(1), p(0), p(2), p(-1)], ["one", "many", "many", "many"]);
        assert_eq!(ok("repeat", &[i(3), s("ab")]), "ababab");
        assert_eq!(ok("repeat", &[i(0), s("x")]), "");
        assert_eq!(ok("repeat", &[i(2), s("é")]), "éé");
        assert_eq!(ok("repeat", &[i(5), s("")]), "");
        assert_eq!(
            err("repeat", &[i(-1), s("x")]),
            "strings: negative Repeat count"
        );
        assert_eq!(
            err("repeat", &[i(i64::MAX), s("ab")]),
            "strings: Repeat output length overflow"
        );
        assert!(err("repeat", &[i(1 << 40), s("ab")]).starts_with("ChartLab limit"));
        assert_eq!(ok("replace", &[s(" "), s("-"), s("a b c")]), "a-b-c");
        assert_eq!(ok("replace", &[s(""), s("-"), s("abc")]), "-a-b-c-");
        assert_eq!(ok("replace", &[s("aa"), s("b"), s("aaaaa")]), "bba");
        assert_eq!(ok("replace", &[s("x"), s(""), s("axbxc")]), "abc");
        assert_eq!(
            ok("replace", &[s("I"), s("me"), s("I Am Henry VIII")]),
            "me Am Henry Vmememe"
        );
        assert_eq!(
            ok("replace", &[s("é"), s("e"), s("café crème")]),
            "cafe crème"
        );
        assert_eq!(ok("replace", &[s("zz"), s("y"), s("abc")]), "abc");
    }

    #[test]
    fn substr_and_trunc() {
        let hw = s("hello world");
        assert_eq!(ok("substr", &[i(0), i(5), hw.clone()]), "hello");
        assert_eq!(ok("substr", &[i(6), i(-1), hw.clone()]), "world");
        assert_eq!(ok("substr", &[i(-1), i(5), hw]), "hello");
        assert_eq!(ok("substr", &[i(3), i(100), s("abc")]), "");
        assert_eq!(ok("substr", &[i(0), i(0), s("abc")]), "");
        assert_eq!(ok("substr", &[i(1), i(3), s("héllo")]), "é");
        assert_eq!(ok("substr", &[i(2), i(4), s("abcdef")]), "cd");
        assert_eq!(ok("substr", &[i(-3), i(2), s("abc")]), "ab");
        // a cut inside a character keeps the raw byte, as Go's byte slicing does
        assert_eq!(
            &*crate::engine::gostr::to_bytes(&ok("substr", &[i(0), i(1), s("é")])),
            &[0xc3][..]
        );
        assert_eq!(
            err("substr", &[i(4), i(10), s("abc")]),
            "runtime error: slice bounds out of range [4:3]"
        );
        assert_eq!(
            err("substr", &[i(-1), i(5), s("abc")]),
            "runtime error: slice bounds out of range [:5] with length 3"
        );
        assert_eq!(
            err("substr", &[i(-1), i(-2), s("abc")]),
            "runtime error: slice bounds out of range [:-2]"
        );
        assert_eq!(
            err("substr", &[i(2), i(1), s("abc")]),
            "runtime error: slice bounds out of range [2:1]"
        );
        assert_eq!(
            err("substr", &[i(5), i(-1), s("abc")]),
            "runtime error: slice bounds out of range [5:3]"
        );

        assert_eq!(ok("trunc", &[i(5), s("hello world")]), "hello");
        assert_eq!(ok("trunc", &[i(-5), s("hello world")]), "world");
        assert_eq!(ok("trunc", &[i(0), s("abc")]), "");
        assert_eq!(ok("trunc", &[i(10), s("abc")]), "abc");
        assert_eq!(ok("trunc", &[i(-10), s("abc")]), "abc");
        assert_eq!(ok("trunc", &[i(3), s("héllo")]), "hé");
        assert_eq!(ok("trunc", &[i(-3), s("")]), "");
        assert_eq!(
            &*crate::engine::gostr::to_bytes(&ok("trunc", &[i(4), s("☃☃")])),
            b"\xe2\x98\x83\xe2"
        );
        assert_eq!(
            ok("trunc", &[i(63), s("a-very-long-release-name-that-exceeds-the-sixty-three-character-limit-for-names")]),
            "a-very-long-release-name-that-exceeds-the-sixty-three-character"
        );
    }

    #[test]
    fn trims() {
        assert_eq!(ok("trim", &[s("  hi there \n")]), "hi there");
        assert_eq!(ok("trim", &[s("\t\r\n x \r\n\t")]), "x");
        assert_eq!(ok("trim", &[s("   ")]), "");
        assert_eq!(ok("trim", &[s("\u{a0}x\u{3000}")]), "x");
        assert_eq!(ok("trimAll", &[s("$"), s("$$5.00$")]), "5.00");
        assert_eq!(ok("trimAll", &[s(""), s("  abc  ")]), "  abc  ");
        assert_eq!(ok("trimAll", &[s(" -"), s(" - a-b - ")]), "a-b");
        assert_eq!(ok("trimAll", &[s("é"), s("ééaéé")]), "a");
        assert_eq!(ok("trimAll", &[s("abc"), s("")]), "");
        assert_eq!(ok("trimall", &[s("ab"), s("abcba")]), "c");
        assert_eq!(ok("trimall", &[s("x"), s("xxx")]), "");
        assert_eq!(ok("trimPrefix", &[s("v"), s("v1.2.3")]), "1.2.3");
        assert_eq!(ok("trimPrefix", &[s("a"), s("aaa")]), "aa");
        assert_eq!(ok("trimPrefix", &[s(""), s("abc")]), "abc");
        assert_eq!(ok("trimPrefix", &[s("é"), s("éa")]), "a");
        assert_eq!(ok("trimSuffix", &[s(".yaml"), s("file.yaml")]), "file");
        assert_eq!(ok("trimSuffix", &[s("a"), s("aaa")]), "aa");
        assert_eq!(ok("trimSuffix", &[s("abc"), s("abc")]), "");
    }

    #[test]
    fn wrap_and_wrap_with() {
        let q = |w, t: &str| ok("wrap", &[i(w), s(t)]);
        assert_eq!(
            q(10, "the quick brown fox jumps over the lazy dog"),
            "the quick\nbrown fox\njumps over\nthe lazy\ndog"
        );
        assert_eq!(q(3, "abcdefgh ij"), "abcdefgh\nij");
        assert_eq!(q(80, "short"), "short");
        assert_eq!(q(5, ""), "");
        assert_eq!(q(5, "a\nbcdefg hi"), "a\nbcdefg\nhi");
        assert_eq!(q(0, "a b c"), "a\nb\nc");
        assert_eq!(q(6, "one  two   three"), "one \ntwo  \nthree");
        assert_eq!(q(3, "ééé ééé"), "ééé\nééé");
        let w = |n, sep: &str, t: &str| ok("wrapWith", &[i(n), s(sep), s(t)]);
        assert_eq!(w(5, "\n", "Hello World"), "Hello\nWorld");
        assert_eq!(w(3, "|", "abcdefgh"), "abc|def|gh");
        assert_eq!(
            w(10, "<br>", "the quick brown fox jumps"),
            "the quick<br>brown fox<br>jumps"
        );
        assert_eq!(w(20, "\t", "short"), "short");
        assert_eq!(w(4, ",", ""), "");
        assert_eq!(w(5, "\t", "Hello World"), "Hello\tWorld");
        assert_eq!(
            q(10, "the quick brown fox jumps over"),
            "the quick\nbrown fox\njumps over"
        );
        // byte-wise cuts through é (Helm: base64 w6nDfKnDqXzDqQ==)
        {
            use base64::Engine as _;
            let cut = w(3, "|", "éééé");
            let b64 = base64::engine::general_purpose::STANDARD
                .encode(crate::engine::gostr::to_bytes(&cut));
            assert_eq!(b64, "w6nDfKnDqXzDqQ==");
        }
        let big = "x".repeat(1 << 16);
        let limited = |r: FnResult| matches!(r, Err(e) if e.starts_with("ChartLab limit"));
        assert!(limited(call("wrapWith", &[i(1), s(&big), s(&big)])));
        assert!(limited(call("replace", &[s("x"), s(&big), s(&big)])));
        let many = Value::list((0..1 << 11).map(|_| s("")).collect());
        assert!(limited(call("join", &[s(&big), many])));
    }

    #[test]
    fn case_conversions() {
        let c = |t: &str| ok("camelcase", &[s(t)]);
        assert_eq!(
            [
                c("http_server"),
                c("foo-bar baz"),
                c("helloWorld"),
                c("a_b_c"),
                c("_leading_under")
            ],
            [
                "HttpServer",
                "FooBarBaz",
                "HelloWorld",
                "ABC",
                "_LeadingUnder"
            ]
        );
        assert_eq!(
            [
                c("HTTP_SERVER"),
                c(""),
                c("x"),
                c("123abc"),
                c("snake__double")
            ],
            ["HttpServer", "", "X", "123abc", "Snake_Double"]
        );
        assert_eq!(c("ǆemal_ǅ"), "ǄemalǄ");
        let k = |t: &str| ok("kebabcase", &[s(t)]);
        assert_eq!(
            [
                k("FirstName"),
                k("someHTTPThing"),
                k("snake_case_here"),
                k("already-kebab"),
                k("With Spaces")
            ],
            [
                "first-name",
                "some-http-thing",
                "snake-case-here",
                "already-kebab",
                "with-spaces"
            ]
        );
        assert_eq!([k(""), k("ABC"), k("v2Alpha1")], ["", "abc", "v2-alpha1"]);
        let sn = |t: &str| ok("snakecase", &[s(t)]);
        assert_eq!(
            [
                sn("FirstName"),
                sn("HTTPServer"),
                sn("firstName"),
                sn("first name"),
                sn("first-name")
            ],
            [
                "first_name",
                "http_server",
                "first_name",
                "first_name",
                "first_name"
            ]
        );
        assert_eq!(
            [
                sn("already_snake"),
                sn("ID"),
                sn("a1B2"),
                sn("Version2Beta"),
                sn("")
            ],
            ["already_snake", "id", "a1_b2", "version2_beta", ""]
        );
        assert_eq!(
            [sn("ÜberCool"), sn("  spaced  Out  ")],
            ["über_cool", "__spaced__out__"]
        );
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let out = ok("shuffle", &[s("hello")]);
        let mut a: Vec<char> = out.chars().collect();
        a.sort_stable();
        assert_eq!(a.into_iter().collect::<String>(), "ehllo");
        assert_eq!(ok("shuffle", &[s("aaaa")]), "aaaa");
        assert_eq!(ok("shuffle", &[s("")]), "");
        assert_eq!(ok("shuffle", &[s("☃é")]).chars().count(), 2);
    }

    #[test]
    fn split_family_and_join() {
        let split = call("split", &[s("."), s("a.b.c")]).unwrap();
        assert_eq!(split.type_name(), "map[string]string");
        assert_eq!(split.to_v(), "map[_0:a _1:b _2:c]");
        assert_eq!(ok("split", &[s(","), s("")]), "map[_0:]");
        assert_eq!(ok("split", &[s(""), s("abc")]), "map[_0:a _1:b _2:c]");
        assert_eq!(ok("split", &[s("::"), s("a::b::")]), "map[_0:a _1:b _2:]");
        let list = call("splitList", &[s(","), s("a,b,,c")]).unwrap();
        assert_eq!(list.type_name(), "[]string");
        assert_eq!(list.to_v(), "[a b  c]");
        assert_eq!(ok("splitList", &[s(","), s("")]), "[]");
        assert_eq!(
            call("splitList", &[s(","), s("")])
                .unwrap()
                .as_list()
                .map(|l| l.len()),
            Some(1)
        );
        assert_eq!(ok("splitList", &[s(""), s("héllo")]), "[h é l l o]");
        assert_eq!(
            call("splitList", &[s(""), s("")])
                .unwrap()
                .as_list()
                .map(|l| l.len()),
            Some(0)
        );
        assert_eq!(
            call("splitList", &[s("\n"), s("l1\nl2\n")])
                .unwrap()
                .as_list()
                .map(|l| l.len()),
            Some(3)
        );
        assert_eq!(
            ok("splitn", &[s("="), i(2), s("k=v=w")]),
            "map[_0:k _1:v=w]"
        );
        assert_eq!(ok("splitn", &[s(","), i(1), s("a,b,c")]), "map[_0:a,b,c]");
        assert_eq!(ok("splitn", &[s(","), i(0), s("a,b,c")]), "map[]");
        assert_eq!(
            ok("splitn", &[s(","), i(-1), s("a,b,c")]),
            "map[_0:a _1:b _2:c]"
        );
        assert_eq!(
            ok("splitn", &[s(":"), i(2), s("host:port:extra")]),
            "map[_0:host _1:port:extra]"
        );
        assert_eq!(ok("splitn", &[s(","), i(5), s("a,b")]), "map[_0:a _1:b]");
        assert_eq!(ok("splitn", &[s(""), i(2), s("abc")]), "map[_0:a _1:bc]");

        let l = |items: Vec<Value>| Value::list(items);
        assert_eq!(
            ok("join", &[s(","), l(vec![s("a"), s("b"), s("c")])]),
            "a,b,c"
        );
        assert_eq!(
            ok(
                "join",
                &[
                    s("-"),
                    l(vec![i(1), i(2), s("x"), Value::Bool(true), Value::Nil])
                ]
            ),
            "1-2-x-true"
        );
        assert_eq!(ok("join", &[s(","), l(vec![])]), "");
        assert_eq!(ok("join", &[s(","), s("single")]), "single");
        assert_eq!(ok("join", &[s(","), Value::Nil]), "");
        assert_eq!(
            ok("join", &[s(","), Value::Bytes(b"hi"[..].into())]),
            "104,105"
        );
        assert_eq!(
            ok(
                "join",
                &[
                    s(","),
                    l(vec![s("one"), Value::Float(2.0), Value::Float(3.5)])
                ]
            ),
            "one,2,3.5"
        );
    }

    #[test]
    fn fail_returns_its_message() {
        assert_eq!(
            err("fail", &[s("custom failure message")]),
            "custom failure message"
        );
    }
}
