//! INTERIM COPY of src/sprig/semver/constraints.rs from the sprig-crypto branch (commit f258493);
//! delete once crate::sprig::semver is on main.
//!
//! Masterminds/semver v3 `Constraints`: `NewConstraint` (hyphen ranges, `||`, `,`/space AND,
//! `^`, `~`, `x`/`*` wildcards), `Check` with its prerelease rule, and `Validate`'s messages.
//!
//! The library parses with regular expressions (`cvRegex` and friends); these are matched here by
//! hand with the same leftmost-first results, including their quirks (the version character class
//! also admits `|`, and a range is rewritten by plain text replacement).

use std::fmt;

use super::version::{go_quote, match_dotted_idents, Version};

/// The operators in the order the library's regular expression tries them (`""` is second).
const OPS: [&str; 12] = [
    "=", "", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^",
];

fn is_space(c: u8) -> bool {
    // RE2's \s
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    i
}

fn is_cv_num(c: u8) -> bool {
    c.is_ascii_digit() || matches!(c, b'|' | b'x' | b'X' | b'*')
}

/// A match of `cvRegex` with its groups (byte ranges into the matched text).
#[derive(Clone, Copy, Debug)]
struct Cv {
    start: usize,
    end: usize,
    major: (usize, usize),
    /// `.N` including the dot.
    minor: Option<(usize, usize)>,
    patch: Option<(usize, usize)>,
    /// `-pre` including the dash.
    pre: Option<(usize, usize)>,
}

/// Greedy `v?([0-9|x|X|*]+)(\.[…]+)?(\.[…]+)?(-…)?(\+…)?` at `s[i..]`.
fn match_cv(s: &[u8], i: usize) -> Option<Cv> {
    let start = i;
    let mut i = i;
    if s.get(i) == Some(&b'v') && s.get(i + 1).is_some_and(|&c| is_cv_num(c)) {
        i += 1;
    }
    let ms = i;
    while i < s.len() && is_cv_num(s[i]) {
        i += 1;
    }
    if i == ms {
        return None;
    }
    let major = (ms, i);
    let mut parts = [None, None];
    for slot in parts.iter_mut() {
        if s.get(i) == Some(&b'.') && s.get(i + 1).is_some_and(|&c| is_cv_num(c)) {
            let st = i;
            i += 1;
            while i < s.len() && is_cv_num(s[i]) {
                i += 1;
            }
            *slot = Some((st, i));
        } else {
            break;
        }
    }
    let mut pre = None;
    if s.get(i) == Some(&b'-') {
        if let Some(e) = match_dotted_idents(s, i + 1) {
            pre = Some((i, e));
            i = e;
        }
    }
    if s.get(i) == Some(&b'+') {
        if let Some(e) = match_dotted_idents(s, i + 1) {
            i = e;
        }
    }
    Some(Cv {
        start,
        end: i,
        major,
        minor: parts[0],
        patch: parts[1],
        pre,
    })
}

/// `(ops)\s*(cv)` at `s[i..]`: the operator and the version.
fn match_op_cv(s: &[u8], i: usize) -> Option<(&'static str, Cv)> {
    OPS.iter().find_map(|&op| {
        if !s[i..].starts_with(op.as_bytes()) {
            return None;
        }
        let j = skip_ws(s, i + op.len());
        match_cv(s, j).map(|cv| (op, cv))
    })
}

/// `validConstraintRegex`: `^(\s*op\s*cv\s*)((?:\s+|,\s*)op\s*cv\s*)*$`.
fn valid_constraint(s: &[u8]) -> bool {
    let mut i = skip_ws(s, 0);
    let Some((_, cv)) = match_op_cv(s, i) else {
        return false;
    };
    i = cv.end;
    loop {
        let ws_start = i;
        i = skip_ws(s, i);
        if i == s.len() {
            return true;
        }
        if s[i] == b',' {
            i = skip_ws(s, i + 1);
        } else if i == ws_start {
            return false;
        }
        match match_op_cv(s, i) {
            Some((_, cv)) => i = cv.end,
            None => return false,
        }
    }
}

/// `findConstraintRegex.FindAllString`: each `(ops)\s*(cv)` from left to right.
fn find_constraints(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match match_op_cv(b, i) {
            Some((_, cv)) => {
                out.push(&s[i..cv.end]);
                i = cv.end;
            }
            None => i += 1,
        }
    }
    out
}

/// `rewriteRange`: every `A - B` becomes `>= A, <= B ` (by replacing the first occurrence of
/// the matched text, as the library does).
fn rewrite_range(input: &str) -> String {
    let b = input.as_bytes();
    let mut matches: Vec<(String, String, String)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let m = (|| {
            let j = skip_ws(b, i);
            let a = match_cv(b, j)?;
            let k = skip_ws(b, a.end);
            if k == a.end || b.get(k) != Some(&b'-') {
                return None;
            }
            let l = skip_ws(b, k + 1);
            if l == k + 1 {
                return None;
            }
            let c = match_cv(b, l)?;
            let end = skip_ws(b, c.end);
            Some((end, a, c))
        })();
        match m {
            Some((end, a, c)) => {
                matches.push((
                    input[i..end].to_string(),
                    input[a.start..a.end].to_string(),
                    input[c.start..c.end].to_string(),
                ));
                i = end;
            }
            None => i += 1,
        }
    }
    let mut out = input.to_string();
    for (whole, a, c) in matches {
        out = out.replacen(&whole, &format!(">= {a}, <= {c} "), 1);
    }
    out
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

/// One parsed constraint such as `>=1.2` or `~1.x`.
#[derive(Clone, Debug)]
struct Constraint {
    con: Version,
    orig: String,
    op: &'static str,
    minor_dirty: bool,
    dirty: bool,
    patch_dirty: bool,
}

fn parse_constraint(c: &str) -> Result<Constraint, String> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::new(0, 0, 0, "", ""),
            orig: String::new(),
            op: "",
            minor_dirty: false,
            dirty: true,
            patch_dirty: false,
        });
    }
    let b = c.as_bytes();
    let start = skip_ws(b, 0);
    let m = OPS.iter().find_map(|&op| {
        if !b[start..].starts_with(op.as_bytes()) {
            return None;
        }
        let cv = match_cv(b, skip_ws(b, start + op.len()))?;
        (skip_ws(b, cv.end) == b.len()).then_some((op, cv))
    });
    let Some((op, cv)) = m else {
        return Err(format!("improper constraint: {}", go_quote(c)));
    };
    let text = |r: Option<(usize, usize)>| r.map_or("", |(s, e)| &c[s..e]);
    let major = &c[cv.major.0..cv.major.1];
    let minor = text(cv.minor);
    let patch = text(cv.patch);
    let pre = text(cv.pre);
    let orig = &c[cv.start..cv.end];
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let ver = if is_x(major) {
        dirty = true;
        format!("0.0.0{pre}")
    } else if minor.is_empty() || is_x(&minor[1..]) {
        minor_dirty = true;
        dirty = true;
        format!("{major}.0.0{pre}")
    } else if patch.is_empty() || is_x(&patch[1..]) {
        dirty = true;
        patch_dirty = true;
        format!("{major}{minor}.0{pre}")
    } else {
        orig.to_string()
    };
    let con = Version::parse(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint {
        con,
        orig: orig.to_string(),
        op,
        minor_dirty,
        dirty,
        patch_dirty,
    })
}

/// A version range (`*semver.Constraints`).
#[derive(Clone, Debug)]
pub(crate) struct Constraints {
    groups: Vec<Vec<Constraint>>,
    contains_pre: Vec<bool>,
    /// `IncludePrerelease`: prereleases satisfy ranges that do not name one.
    pub include_prerelease: bool,
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub(crate) fn parse(c: &str) -> Result<Constraints, String> {
        let c = rewrite_range(c);
        let mut groups = Vec::new();
        let mut contains_pre = Vec::new();
        for v in c.split("||") {
            if !valid_constraint(v.as_bytes()) {
                return Err(format!("improper constraint: {}", go_quote(v)));
            }
            let mut cs = find_constraints(v);
            if cs.is_empty() {
                cs.push(v);
            }
            let mut group = Vec::with_capacity(cs.len());
            let mut has_pre = false;
            for s in cs {
                let pc = parse_constraint(s)?;
                if !pc.con.prerelease().is_empty() {
                    has_pre = true;
                }
                group.push(pc);
            }
            groups.push(group);
            contains_pre.push(has_pre);
        }
        Ok(Constraints {
            groups,
            contains_pre,
            include_prerelease: false,
        })
    }

    /// `Check`: whether any `||` group is satisfied by every constraint in it.
    pub(crate) fn check(&self, v: &Version) -> bool {
        self.groups.iter().enumerate().any(|(i, group)| {
            let include_pre = self.include_prerelease || self.contains_pre[i];
            group.iter().all(|c| check_one(v, c, include_pre).is_ok())
        })
    }

    /// `Validate`: like `Check`, plus the reasons a version fails.
    pub(crate) fn validate(&self, v: &Version) -> (bool, Vec<String>) {
        let mut errs = Vec::new();
        let mut pre_reported = false;
        for (i, group) in self.groups.iter().enumerate() {
            let include_pre = self.include_prerelease || self.contains_pre[i];
            let mut joy = true;
            for c in group {
                if !include_pre && !v.prerelease().is_empty() {
                    if !pre_reported {
                        errs.push(prerelease_message(v));
                        pre_reported = true;
                    }
                    joy = false;
                } else if let Err(e) = check_one(v, c, include_pre) {
                    errs.push(e);
                    joy = false;
                }
            }
            if joy {
                return (true, Vec::new());
            }
        }
        (false, errs)
    }
}

/// `Constraints.String`: the constraints as parsed, AND groups space-separated.
impl fmt::Display for Constraints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|c| format!("{}{}", c.op, c.orig))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        f.write_str(&groups.join(" || "))
    }
}

fn q(v: &Version) -> String {
    go_quote(&v.to_string())
}

fn prerelease_message(v: &Version) -> String {
    format!(
        "{} is a prerelease version and the constraint is only looking for release versions",
        q(v)
    )
}

fn check_one(v: &Version, c: &Constraint, include_pre: bool) -> Result<(), String> {
    if !v.prerelease().is_empty() && !include_pre {
        return Err(prerelease_message(v));
    }
    let orig = go_quote(&c.orig);
    let fail = |what: &str| Err(format!("{} {what} {orig}", q(v)));
    match c.op {
        "" | "=" => {
            if c.dirty {
                return tilde(v, c);
            }
            if v.equal(&c.con) {
                Ok(())
            } else {
                fail("is not equal to")
            }
        }
        "!=" => {
            if c.dirty {
                if c.con.major() != v.major() {
                    return Ok(());
                }
                if c.con.minor() != v.minor() && !c.minor_dirty {
                    return Ok(());
                } else if c.minor_dirty {
                    return fail("is equal to");
                } else if c.con.patch() != v.patch() && !c.patch_dirty {
                    return Ok(());
                } else if c.patch_dirty {
                    if (!v.prerelease().is_empty() || !c.con.prerelease().is_empty())
                        && super::version::compare_prerelease(v.prerelease(), c.con.prerelease())
                            != std::cmp::Ordering::Equal
                    {
                        return Ok(());
                    }
                    return fail("is equal to");
                }
            }
            if v.equal(&c.con) {
                fail("is equal to")
            } else {
                Ok(())
            }
        }
        ">" => {
            let gt = v.compare(&c.con) == std::cmp::Ordering::Greater;
            if !c.dirty {
                return if gt {
                    Ok(())
                } else {
                    fail("is less than or equal to")
                };
            }
            if v.major() > c.con.major() {
                Ok(())
            } else if v.major() < c.con.major() || c.minor_dirty {
                fail("is less than or equal to")
            } else if c.patch_dirty {
                if v.minor() > c.con.minor() {
                    Ok(())
                } else {
                    fail("is less than or equal to")
                }
            } else if gt {
                Ok(())
            } else {
                fail("is less than or equal to")
            }
        }
        "<" => {
            if v.less_than(&c.con) {
                Ok(())
            } else {
                fail("is greater than or equal to")
            }
        }
        ">=" | "=>" => {
            if !v.less_than(&c.con) {
                Ok(())
            } else {
                fail("is less than")
            }
        }
        "<=" | "=<" => {
            if !c.dirty {
                return if v.compare(&c.con) != std::cmp::Ordering::Greater {
                    Ok(())
                } else {
                    fail("is greater than")
                };
            }
            if v.major() > c.con.major()
                || (v.major() == c.con.major() && v.minor() > c.con.minor() && !c.minor_dirty)
            {
                fail("is greater than")
            } else {
                Ok(())
            }
        }
        "~" | "~>" => tilde(v, c),
        "^" => caret(v, c),
        _ => fail("is not equal to"),
    }
}

fn tilde(v: &Version, c: &Constraint) -> Result<(), String> {
    let orig = go_quote(&c.orig);
    if v.less_than(&c.con) {
        return Err(format!("{} is less than {orig}", q(v)));
    }
    if c.con.major() == 0
        && c.con.minor() == 0
        && c.con.patch() == 0
        && !c.minor_dirty
        && !c.patch_dirty
    {
        return Ok(());
    }
    if v.major() != c.con.major() {
        return Err(format!(
            "{} does not have same major version as {orig}",
            q(v)
        ));
    }
    if v.minor() != c.con.minor() && !c.minor_dirty {
        return Err(format!(
            "{} does not have same major and minor version as {orig}",
            q(v)
        ));
    }
    Ok(())
}

fn caret(v: &Version, c: &Constraint) -> Result<(), String> {
    let orig = go_quote(&c.orig);
    if v.less_than(&c.con) {
        return Err(format!("{} is less than {orig}", q(v)));
    }
    if c.con.major() > 0 || c.minor_dirty {
        return if v.major() == c.con.major() {
            Ok(())
        } else {
            Err(format!(
                "{} does not have same major version as {orig}",
                q(v)
            ))
        };
    }
    if c.con.major() == 0 && v.major() > 0 {
        return Err(format!(
            "{} does not have same major version as {orig}",
            q(v)
        ));
    }
    if c.con.minor() > 0 || c.patch_dirty {
        return if v.minor() == c.con.minor() {
            Ok(())
        } else {
            Err(format!(
                "{} does not have same minor version as {orig}. Expected minor versions to match when constraint major version is 0",
                q(v)
            ))
        };
    }
    if c.con.minor() == 0 && v.minor() > 0 {
        return Err(format!(
            "{} does not have same minor version as {orig}",
            q(v)
        ));
    }
    if c.con.patch() == v.patch() {
        Ok(())
    } else {
        Err(format!(
            "{} does not equal {orig}. Expect version and constraint to equal when major and minor versions are 0",
            q(v)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        Constraints::parse(c)
            .expect("constraint")
            .check(&Version::parse(v).expect("version"))
    }

    #[test]
    fn fn_semver_compare_case() {
        let row = |xs: &[(&str, &str)]| xs.iter().map(|(c, v)| check(c, v)).collect::<Vec<_>>();
        assert_eq!(
            row(&[(">=1.2.0", "1.2.3"), ("^1.3", "1.2.9"), ("~1.2.0", "1.2.7")]),
            [true, false, true]
        );
        assert_eq!(
            row(&[
                (">=1.20-0", "v1.21.3-gke.100"),
                (">=1.20", "1.21.0-rc.1"),
                ("<1.19", "1.18.0")
            ]),
            [true, false, true]
        );
        assert_eq!(
            row(&[
                ("1.x", "1.9.9"),
                (">1.0.0 <2.0.0", "1.5.0"),
                ("1.0 || 2.0", "2.0.0")
            ]),
            [true, true, true]
        );
        assert_eq!(
            row(&[("*", "0.0.1"), ("!=1.0.0", "1.0.0"), ("=1.0.0", "v1.0.0")]),
            [true, false, true]
        );
        assert_eq!(
            row(&[("1.2.3 - 1.4.5", "1.4.5"), (">=1.0.0, <1.1", "1.0.9")]),
            [true, true]
        );
        assert!(check(">=1.19-0", "v1.36.0"));
    }

    #[test]
    fn constraint_errors() {
        let e = |c: &str| Constraints::parse(c).expect_err("error");
        assert_eq!(e("abc"), "improper constraint: \"abc\"");
        assert_eq!(e(""), "improper constraint: \"\"");
        assert_eq!(e("1.0 ||"), "improper constraint: \"\"");
        assert_eq!(e("1|2"), "constraint parser error");
        assert_eq!(e("==1.0"), "improper constraint: \"==1.0\"");
        assert_eq!(
            e(">= 1.2.3 - 1.4.5"),
            "improper constraint: \">=>= 1.2.3, <= 1.4.5 \""
        );
        assert_eq!(e(">1.0<2.0"), "improper constraint: \">1.0<2.0\"");
    }

    #[test]
    fn validate_messages() {
        let c = Constraints::parse(">=1.2, <2").expect("c");
        let (ok, errs) = c.validate(&Version::parse("2.1.0").expect("v"));
        assert!(!ok);
        assert_eq!(errs, ["\"2.1.0\" is greater than or equal to \"2\""]);
        let (_, errs) = c.validate(&Version::parse("1.5.0-rc.1").expect("v"));
        assert_eq!(
            errs,
            ["\"1.5.0-rc.1\" is a prerelease version and the constraint is only looking for release versions"]
        );
        assert_eq!(c.to_string(), ">=1.2 <2");
    }
    /// Results real Helm (semver v3.5.0) gave for these pairs.
    #[test]
    fn oracle_table() {
        let table: &[(&str, &str, bool)] = &[
            ("^0.2.3", "0.2.9", true),
            ("^0.2.3", "0.3.0", false),
            ("^0.0.3", "0.0.3", true),
            ("^0.0.3", "0.0.4", false),
            ("^0.0", "0.0.5", true),
            ("^0", "0.9.0", true),
            ("^0.x", "0.5.0", true),
            ("~1", "1.9.0", true),
            ("~1.2", "1.3.0", false),
            ("~0", "0.5.0", true),
            ("~0.0.0", "5.0.0", true),
            (">11", "12.0.0", true),
            (">11", "11.1.0", false),
            (">11.1", "11.1.5", false),
            (">11.1", "11.2.0", true),
            ("<=1.2", "1.2.9", true),
            ("<=1.2", "1.3.0", false),
            ("<=1.x", "1.9.0", true),
            ("!=1.x", "2.0.0", true),
            ("!=1.x", "1.5.0", false),
            ("!=1.2.x", "1.2.5", false),
            ("!=1.2.x", "1.3.0", true),
            ("1.2.3-0 - 1.2.3", "1.2.3-beta", true),
            ("=>1.0, =<2.0", "1.5.0", true),
            ("~>1.2", "1.2.5", true),
            ("  >= 1.0  ", "1.0.0", true),
            (">=1.0,<2.0", "1.5.0", true),
            (">=1.0 , <2.0", "1.5.0", true),
            (">= 1.0 <2.0", "2.0.0", false),
            ("1.2.x", "1.2.99", true),
            ("x", "0.0.0", true),
            ("*", "1.0.0-rc1", false),
            (">=0.0.0-0", "1.0.0-rc1", true),
            (">1.0.0-alpha", "1.0.0-beta", true),
            (">1.0.0-alpha", "1.0.1-beta", true),
            ("<1.0.0", "1.0.0-rc.1", false),
            ("<1.0.0-0", "1.0.0-rc.1", false),
            ("1.0.0 - 2.0.0 || 3.x", "3.5.0", true),
            ("v1.0", "1.0.0", true),
            ("=v1.0.0", "1.0.0", true),
            ("1.0.0+meta", "1.0.0", true),
            ("1.0.0", "1.0.0+other", true),
            (">= 1.x", "2.0.0", true),
            ("> 1.x", "2.0.0", true),
            ("> 1.x", "1.9.0", false),
            ("<1.x", "0.9.0", true),
            ("<1.x", "1.0.0", false),
            ("^1.x", "1.5.0", true),
            ("^*", "3.0.0", false),
            ("~*", "3.0.0", true),
            (">=1.2.3 <=1.2.3", "1.2.3", true),
            ("1 - 2", "2.5.0", true),
            ("1 - 2", "3.0.0", false),
            ("1.2 - 1.3", "1.3.5", true),
            (">=1.20-0", "v1.21.3-gke.100", true),
            (">=1.20", "1.21.0-rc.1", false),
            ("<1.19", "1.18.0", true),
        ];
        for (c, v, want) in table {
            assert_eq!(check(c, v), *want, "{c} {v}");
        }
    }
}
