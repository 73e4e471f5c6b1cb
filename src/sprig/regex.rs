//! Sprig's regex family (regex.go) over Go's `regexp` package: `regexMatch`, `regexFind`,
//! `regexFindAll`, `regexReplaceAll`, `regexReplaceAllLiteral`, `regexSplit`, their `must*`
//! variants, and `regexQuoteMeta`.
//!
//! Patterns are parsed with Go's RE2 syntax ([`super::re2`]) and matched leftmost-first. The
//! iteration over successive matches (`FindAllString`, `Split`, `ReplaceAllString`) and the `$`
//! expansion of replacements are Go's own loops, including their handling of empty matches. The
//! non-`must` variants use `regexp.MustCompile`, so a bad pattern panics with
//! `regexp: Compile(\`…\`): error parsing regexp: …`; `regexMatch` swallows the error.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use regex_automata::meta;
use regex_automata::util::captures::Captures;
use regex_automata::Input;

use super::re2;
use super::strings::{int_arg, str_arg, string_list};
use super::unicode::{is_digit, is_letter};
use crate::engine::printf;
use crate::engine::value::types;
use crate::engine::{CallCtx, FnResult, FuncMap, List, Signature, Ty, Value};

const S: Ty = Ty::String;
const I: Ty = Ty::Int;

pub(crate) fn register(m: &mut FuncMap) {
    m.add("regexMatch", Signature::fixed(&[S, S]), |_, a| {
        let (re, s) = (str_arg(a, 0)?, str_arg(a, 1)?);
        Ok(Value::Bool(
            compile(re).map(|r| r.is_match(s)).unwrap_or(false),
        ))
    });
    m.add("mustRegexMatch", Signature::fixed(&[S, S]), |_, a| {
        let (re, s) = (str_arg(a, 0)?, str_arg(a, 1)?);
        Ok(Value::Bool(compile(re)?.is_match(s)))
    });
    m.add("regexFindAll", Signature::fixed(&[S, S, I]), |_, a| {
        let re = must_compile(str_arg(a, 0)?)?;
        Ok(find_all(&re, str_arg(a, 1)?, int_arg(a, 2)?))
    });
    m.add("mustRegexFindAll", Signature::fixed(&[S, S, I]), |_, a| {
        let re = compile(str_arg(a, 0)?)?;
        Ok(find_all(&re, str_arg(a, 1)?, int_arg(a, 2)?))
    });
    m.add("regexFind", Signature::fixed(&[S, S]), |_, a| {
        let re = must_compile(str_arg(a, 0)?)?;
        Ok(find(&re, &a[1]))
    });
    m.add("mustRegexFind", Signature::fixed(&[S, S]), |_, a| {
        let re = compile(str_arg(a, 0)?)?;
        Ok(find(&re, &a[1]))
    });
    m.add("regexReplaceAll", Signature::fixed(&[S, S, S]), |ctx, a| {
        let re = must_compile(str_arg(a, 0)?)?;
        replace_all(ctx, &re, &a[1], str_arg(a, 2)?, true)
    });
    m.add(
        "mustRegexReplaceAll",
        Signature::fixed(&[S, S, S]),
        |ctx, a| {
            let re = compile(str_arg(a, 0)?)?;
            replace_all(ctx, &re, &a[1], str_arg(a, 2)?, true)
        },
    );
    m.add(
        "regexReplaceAllLiteral",
        Signature::fixed(&[S, S, S]),
        |ctx, a| {
            let re = must_compile(str_arg(a, 0)?)?;
            replace_all(ctx, &re, &a[1], str_arg(a, 2)?, false)
        },
    );
    m.add(
        "mustRegexReplaceAllLiteral",
        Signature::fixed(&[S, S, S]),
        |ctx, a| {
            let re = compile(str_arg(a, 0)?)?;
            replace_all(ctx, &re, &a[1], str_arg(a, 2)?, false)
        },
    );
    m.add("regexSplit", Signature::fixed(&[S, S, I]), |_, a| {
        let re = must_compile(str_arg(a, 0)?)?;
        Ok(split(&re, str_arg(a, 1)?, int_arg(a, 2)?))
    });
    m.add("mustRegexSplit", Signature::fixed(&[S, S, I]), |_, a| {
        let re = compile(str_arg(a, 0)?)?;
        Ok(split(&re, str_arg(a, 1)?, int_arg(a, 2)?))
    });
    m.add("regexQuoteMeta", Signature::fixed(&[S]), |_, a| {
        let s = str_arg(a, 0)?;
        let q = re2::quote_meta(s);
        Ok(if q.len() == s.len() {
            a[0].clone()
        } else {
            Value::string(q)
        })
    });
}

/// A compiled Go regexp.
pub(crate) struct Regexp {
    expr: Box<str>,
    re: meta::Regex,
    /// `SubexpNames`: "" for the whole match and unnamed groups.
    names: Vec<String>,
}

/// Compiled patterns, reused across calls (templates call these in loops).
const CACHE_SIZE: usize = 128;

thread_local! {
    static CACHE: RefCell<HashMap<Box<str>, Rc<Regexp>>> = RefCell::new(HashMap::new());
}

/// `regexp.Compile`; `Err` is the error's text.
pub(crate) fn compile(expr: &str) -> Result<Rc<Regexp>, String> {
    if let Some(re) = CACHE.with(|c| c.borrow().get(expr).cloned()) {
        return Ok(re);
    }
    let parsed = re2::parse(expr).map_err(|e| e.to_string())?;
    let config = meta::Config::new()
        .utf8_empty(true)
        .nfa_size_limit(Some(64 << 20))
        .hybrid_cache_capacity(2 << 20);
    let re = meta::Builder::new()
        .configure(config)
        .build_from_hir(&parsed.hir)
        .map_err(|e| {
            format!("ChartLab limit: the regular expression is too large to compile here ({e})")
        })?;
    let re = Rc::new(Regexp {
        expr: expr.into(),
        re,
        names: parsed.names,
    });
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_SIZE {
            c.clear();
        }
        c.insert(expr.into(), re.clone());
    });
    Ok(re)
}

/// `regexp.MustCompile`: the panic message for a bad pattern.
fn must_compile(expr: &str) -> Result<Rc<Regexp>, String> {
    compile(expr).map_err(|e| format!("regexp: Compile({}): {e}", quote_pattern(expr)))
}

/// regexp's `quote`: backquoted when `strconv.CanBackquote`, else `strconv.Quote`.
fn quote_pattern(s: &str) -> String {
    if printf::can_backquote(s) {
        format!("`{s}`")
    } else {
        printf::quote(s)
    }
}

impl Regexp {
    pub(crate) fn is_match(&self, s: &str) -> bool {
        self.re.is_match(Input::new(s))
    }

    /// The leftmost match starting the search at byte `pos` (context before `pos` still counts).
    fn find_at(&self, s: &str, pos: usize) -> Option<(usize, usize)> {
        self.re
            .search(&Input::new(s).span(pos..s.len()))
            .map(|m| (m.start(), m.end()))
    }

    fn captures_at(&self, s: &str, pos: usize, caps: &mut Captures) -> Option<(usize, usize)> {
        self.re
            .search_captures(&Input::new(s).span(pos..s.len()), caps);
        caps.get_match().map(|m| (m.start(), m.end()))
    }

    /// Go's `allMatches`: successive matches, at most `n`, skipping an empty match right after a
    /// previous match.
    fn all_matches(&self, s: &str, n: i64, mut deliver: impl FnMut(usize, usize)) {
        let n = if n < 0 { s.len() as i64 + 1 } else { n };
        let (mut pos, mut i, mut prev_end) = (0usize, 0i64, None::<usize>);
        while i < n && pos <= s.len() {
            let Some((start, end)) = self.find_at(s, pos) else {
                break;
            };
            let mut accept = true;
            if end == pos {
                // an empty match
                if Some(start) == prev_end {
                    accept = false;
                }
                match s[pos..].chars().next() {
                    Some(c) => pos += c.len_utf8(),
                    None => pos = s.len() + 1,
                }
            } else {
                pos = end;
            }
            prev_end = Some(end);
            if accept {
                deliver(start, end);
                i += 1;
            }
        }
    }
}

/// `FindString`.
fn find(re: &Regexp, s: &Value) -> Value {
    let text = s.as_str().unwrap_or("");
    match re.find_at(text, 0) {
        Some((a, b)) if a == 0 && b == text.len() => s.clone(),
        Some((a, b)) => Value::str(&text[a..b]),
        None => Value::str(""),
    }
}

/// `FindAllString`: a nil `[]string` when nothing matches.
fn find_all(re: &Regexp, s: &str, n: i64) -> Value {
    let mut out = Vec::new();
    re.all_matches(s, n, |a, b| out.push(&s[a..b]));
    if out.is_empty() {
        Value::List(List::nil(types::STRINGS))
    } else {
        string_list(out)
    }
}

/// `Split`.
fn split(re: &Regexp, s: &str, n: i64) -> Value {
    if n == 0 {
        return Value::List(List::nil(types::STRINGS));
    }
    if !re.expr.is_empty() && s.is_empty() {
        return string_list(vec![""]);
    }
    let mut matches = Vec::new();
    re.all_matches(s, n, |a, b| matches.push((a, b)));
    let mut out = Vec::with_capacity(matches.len() + 1);
    let (mut beg, mut end) = (0, 0);
    for (a, b) in matches {
        if n > 0 && out.len() as i64 >= n - 1 {
            break;
        }
        end = a;
        if b != 0 {
            out.push(&s[beg..end]);
        }
        beg = b;
    }
    if end != s.len() {
        out.push(&s[beg..]);
    }
    string_list(out)
}

/// `ReplaceAllString` (`expand`: `$` templates) or `ReplaceAllLiteralString`.
fn replace_all(
    ctx: &CallCtx<'_>,
    re: &Regexp,
    src_v: &Value,
    repl: &str,
    expand: bool,
) -> FnResult {
    let src = src_v.as_str().unwrap_or("");
    let expand = expand && repl.contains('$');
    let mut caps = re.re.create_captures();
    let mut buf = String::new();
    let (mut last_end, mut search) = (0usize, 0usize);
    let mut replaced = false;
    while search <= src.len() {
        let found = if expand {
            re.captures_at(src, search, &mut caps)
        } else {
            re.find_at(src, search)
        };
        let Some((a, b)) = found else { break };
        buf.push_str(&src[last_end..a]);
        // no replacement for an empty match right after the previous match
        if b > last_end || a == 0 {
            if expand {
                expand_template(&mut buf, repl, re, src, &caps);
            } else {
                buf.push_str(repl);
            }
            replaced = true;
            super::strings::check_len(ctx, buf.len() as u128)?;
        }
        last_end = b;
        let width = src[search..].chars().next().map_or(0, char::len_utf8);
        if search + width > b {
            search += width;
        } else if search + 1 > b {
            search += 1;
        } else {
            search = b;
        }
    }
    if !replaced {
        return Ok(src_v.clone());
    }
    buf.push_str(&src[last_end..]);
    Ok(Value::string(buf))
}

/// Go's `Regexp.expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`; the longest name wins (`$1x` is
/// `${1x}`), unknown or unmatched groups are empty, a malformed `$` is kept as is.
fn expand_template(dst: &mut String, mut template: &str, re: &Regexp, src: &str, caps: &Captures) {
    let group = |i: usize| caps.get_group(i).map(|sp| &src[sp.start..sp.end]);
    while let Some(i) = template.find('$') {
        dst.push_str(&template[..i]);
        template = &template[i + 1..];
        if let Some(rest) = template.strip_prefix('$') {
            dst.push('$');
            template = rest;
            continue;
        }
        let Some((name, num, rest)) = extract(template) else {
            dst.push('$');
            continue;
        };
        template = rest;
        let text = match num {
            Some(n) => group(n),
            None => re
                .names
                .iter()
                .enumerate()
                .filter(|(_, n)| n.as_str() == name)
                .find_map(|(i, _)| group(i)),
        };
        if let Some(t) = text {
            dst.push_str(t);
        }
    }
    dst.push_str(template);
}

/// Go's `extract`: the name in a leading `name` or `{name}`, its number if purely numeric (no
/// leading zero, below 1e8), and the rest.
fn extract(s: &str) -> Option<(&str, Option<usize>, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let len: usize = body
        .chars()
        .take_while(|&c| is_letter(c) || is_digit(c) || c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let rest = if brace {
        body[len..].strip_prefix('}')?
    } else {
        &body[len..]
    };
    let mut num: Option<usize> = Some(0);
    for b in name.bytes() {
        match num {
            Some(n) if b.is_ascii_digit() && n < 100_000_000 => {
                num = Some(n * 10 + (b - b'0') as usize)
            }
            _ => {
                num = None;
                break;
            }
        }
    }
    if name.starts_with('0') && name.len() > 1 {
        num = None;
    }
    Some((name, num, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Env;

    fn call(name: &str, args: &[Value]) -> FnResult {
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
    fn ok(name: &str, args: &[Value]) -> Value {
        call(name, args).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
    fn v(name: &str, args: &[Value]) -> String {
        ok(name, args).to_v()
    }
    /// The result as toJson would print a []string (null for a nil slice).
    fn json(name: &str, args: &[Value]) -> String {
        match ok(name, args) {
            Value::List(l) if l.is_nil() => "null".into(),
            Value::List(l) => {
                let items: Vec<String> = l
                    .iter()
                    .map(|x| format!("{:?}", x.as_str().unwrap_or("")))
                    .collect();
                format!("[{}]", items.join(","))
            }
            other => panic!("not a list: {other:?}"),
        }
    }

    // Expected values are Helm v4.2.3's (conformance fn-regex* cases and oracle runs).

    #[test]
    fn match_and_find() {
        assert_eq!(v("regexMatch", &[s("^[a-z]+[0-9]$"), s("abc1")]), "true");
        assert_eq!(v("regexMatch", &[s("^x"), s("abc")]), "false");
        assert_eq!(
            v("regexMatch", &[s(r"^\d{3}-\d{4}$"), s("555-1234")]),
            "true"
        );
        assert_eq!(v("regexMatch", &[s(""), s("")]), "true");
        assert_eq!(v("regexMatch", &[s(r"^\p{Greek}+$"), s("αβγ")]), "true");
        assert_eq!(v("regexMatch", &[s("(?i)HELLO"), s("hello")]), "true");
        assert_eq!(v("regexMatch", &[s("["), s("x")]), "false");
        assert_eq!(v("regexMatch", &[s("b"), s("abc")]), "true");
        assert_eq!(v("mustRegexMatch", &[s("^a"), s("abc")]), "true");
        assert_eq!(v("mustRegexMatch", &[s("z"), s("abc")]), "false");
        assert_eq!(
            call("mustRegexMatch", &[s("("), s("x")]).unwrap_err(),
            "error parsing regexp: missing closing ): `(`"
        );
        // \d \w \s \b are ASCII in Go
        assert_eq!(v("regexMatch", &[s(r"\d"), s("٣")]), "false");
        assert_eq!(v("regexMatch", &[s(r"^\w+$"), s("é")]), "false");
        assert_eq!(v("regexMatch", &[s(r"\s"), s("\u{a0}")]), "false");
        assert_eq!(v("regexMatch", &[s(r"(?i)\W"), s("s")]), "false");
        assert_eq!(v("regexMatch", &[s(r"(?i)[^\w]"), s("ſ")]), "false");
        assert_eq!(v("regexMatch", &[s(r"\B"), s("é")]), "true");

        assert_eq!(v("regexFind", &[s("[0-9]+"), s("ab123cd45")]), "123");
        assert_eq!(v("regexFind", &[s("z"), s("abc")]), "");
        assert_eq!(v("regexFind", &[s("a.c"), s("xxabcxx")]), "abc");
        assert_eq!(v("regexFind", &[s("(?s)a.c"), s("a\nc")]), "a\nc");
        assert_eq!(v("regexFind", &[s(r"\bfoo\w*"), s("seafood fool")]), "fool");
        assert_eq!(v("mustRegexFind", &[s("b+"), s("abbbc")]), "bbb");
        assert_eq!(
            call("regexFind", &[s("["), s("x")]).unwrap_err(),
            "regexp: Compile(`[`): error parsing regexp: missing closing ]: `[`"
        );
        assert_eq!(
            call("mustRegexFind", &[s("a{2,1}"), s("x")]).unwrap_err(),
            "error parsing regexp: invalid repeat count: `{2,1}`"
        );
    }

    #[test]
    fn find_all_and_split() {
        assert_eq!(
            json(
                "regexFindAll",
                &[s("[0-9]+"), s("a1b22c333"), Value::Int(-1)]
            ),
            r#"["1","22","333"]"#
        );
        assert_eq!(
            json(
                "regexFindAll",
                &[s("[0-9]+"), s("a1b22c333"), Value::Int(2)]
            ),
            r#"["1","22"]"#
        );
        assert_eq!(
            json(
                "regexFindAll",
                &[s("[0-9]+"), s("a1b22c333"), Value::Int(0)]
            ),
            "null"
        );
        assert_eq!(
            json("regexFindAll", &[s("x"), s("abc"), Value::Int(-1)]),
            "null"
        );
        assert_eq!(
            json("regexFindAll", &[s("a*"), s("baaab"), Value::Int(-1)]),
            r#"["","aaa",""]"#
        );
        assert_eq!(
            json("regexFindAll", &[s(r"\B"), s("éa"), Value::Int(-1)]),
            r#"[""]"#
        );
        assert_eq!(
            json("regexFindAll", &[s(""), s("éa"), Value::Int(-1)]),
            r#"["","",""]"#
        );
        assert_eq!(
            json("mustRegexFindAll", &[s("."), s("abc"), Value::Int(2)]),
            r#"["a","b"]"#
        );
        assert_eq!(
            call("regexFindAll", &[s("*"), s("x"), Value::Int(-1)]).unwrap_err(),
            "regexp: Compile(`*`): error parsing regexp: missing argument to repetition operator: `*`"
        );
        assert_eq!(
            call("mustRegexFindAll", &[s("(?P<x"), s("x"), Value::Int(-1)]).unwrap_err(),
            "error parsing regexp: invalid named capture: `(?P<x`"
        );
        assert_eq!(
            ok("regexFindAll", &[s("."), s("ab"), Value::Int(-1)]).type_name(),
            "[]string"
        );

        assert_eq!(
            json("regexSplit", &[s("z+"), s("pizza-zzz"), Value::Int(-1)]),
            r#"["pi","a-",""]"#
        );
        assert_eq!(
            json("regexSplit", &[s(","), s("a,b,c"), Value::Int(2)]),
            r#"["a","b,c"]"#
        );
        assert_eq!(
            json("regexSplit", &[s(","), s("a,b,c"), Value::Int(0)]),
            "null"
        );
        assert_eq!(
            json("regexSplit", &[s(""), s("abc"), Value::Int(-1)]),
            r#"["a","b","c"]"#
        );
        assert_eq!(
            json("regexSplit", &[s("x"), s(""), Value::Int(-1)]),
            r#"[""]"#
        );
        assert_eq!(json("regexSplit", &[s(""), s(""), Value::Int(-1)]), "[]");
        assert_eq!(
            json("regexSplit", &[s("a*"), s("abaabaccadaaae"), Value::Int(5)]),
            r#"["","b","b","c","cadaaae"]"#
        );
        assert_eq!(
            json("mustRegexSplit", &[s("[,;]"), s("a,b;c"), Value::Int(-1)]),
            r#"["a","b","c"]"#
        );
        assert_eq!(
            call("regexSplit", &[s(")"), s("x"), Value::Int(-1)]).unwrap_err(),
            "regexp: Compile(`)`): error parsing regexp: unexpected ): `)`"
        );
        assert_eq!(
            call("mustRegexSplit", &[s("x**"), s("x"), Value::Int(-1)]).unwrap_err(),
            "error parsing regexp: invalid nested repetition operator: `**`"
        );
    }

    #[test]
    fn replace_all_and_expand() {
        let r = |re: &str, src: &str, repl: &str| v("regexReplaceAll", &[s(re), s(src), s(repl)]);
        assert_eq!(r("a(x*)b", "-ab-axxb-", "${1}W"), "-W-xxW-");
        assert_eq!(r("a(x*)b", "-ab-axxb-", "$1W"), "---");
        assert_eq!(
            r(r"(?P<first>\w+) (?P<last>\w+)", "Jane Doe", "$last, $first"),
            "Doe, Jane"
        );
        assert_eq!(r(r"\s+", "a  b \t c", " "), "a b c");
        assert_eq!(r("", "abc", "-"), "-a-b-c-");
        assert_eq!(r("[^a-z0-9-]", "my_release.name", "-"), "my-release-name");
        assert_eq!(r("o", "foo", "0"), "f00");
        assert_eq!(r("a*", "baaab", "-"), "-b-b-");
        assert_eq!(r("(a)", "a", "$$1 $01 ${1 $x $"), "$1  ${1  $");
        assert_eq!(r("(?P<n>a)(?P<n>b)?", "a", "[$n]"), "[a]");
        let l = |re: &str, src: &str, repl: &str| {
            v("regexReplaceAllLiteral", &[s(re), s(src), s(repl)])
        };
        assert_eq!(l("a(x*)b", "-ab-axxb-", "${1}"), "-${1}-${1}-");
        assert_eq!(l(r"\.", "a.b.c", "$"), "a$b$c");
        assert_eq!(
            v("mustRegexReplaceAllLiteral", &[s("x"), s("axa"), s("$0")]),
            "a$0a"
        );
        assert_eq!(v("mustRegexReplaceAll", &[s("o"), s("foo"), s("0")]), "f00");
        assert_eq!(
            call("regexReplaceAll", &[s("("), s("x"), s("y")]).unwrap_err(),
            "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"
        );
        assert_eq!(
            call("regexReplaceAllLiteral", &[s("\\"), s("x"), s("y")]).unwrap_err(),
            "regexp: Compile(`\\`): error parsing regexp: trailing backslash at end of expression: ``"
        );
        assert_eq!(
            call("mustRegexReplaceAll", &[s("[z-a]"), s("x"), s("y")]).unwrap_err(),
            "error parsing regexp: invalid character class range: `z-a`"
        );
        assert_eq!(
            call("mustRegexReplaceAllLiteral", &[s("+"), s("x"), s("y")]).unwrap_err(),
            "error parsing regexp: missing argument to repetition operator: `+`"
        );
    }

    #[test]
    fn quote_meta_and_pattern_quoting() {
        assert_eq!(v("regexQuoteMeta", &[s("1.2.3+[x]")]), r"1\.2\.3\+\[x\]");
        assert_eq!(
            v("regexQuoteMeta", &[s(r"\^$.|?*+()[]{}")]),
            r"\\\^\$\.\|\?\*\+\(\)\[\]\{\}"
        );
        assert_eq!(v("regexQuoteMeta", &[s("")]), "");
        assert_eq!(v("regexQuoteMeta", &[s("plain")]), "plain");
        assert_eq!(quote_pattern("a`b"), "\"a`b\"");
        assert_eq!(quote_pattern("a\nb"), "\"a\\nb\"");
        assert_eq!(quote_pattern("a\tb"), "`a\tb`");
    }
}
