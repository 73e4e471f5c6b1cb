//! go-yaml's implicit typing of plain scalars (resolve.go): YAML 1.1 for v2 (`yes`/`no`/`on`/
//! `off` are bools, `0755` is octal), the YAML 1.2-ish table of v3 for `toYamlPretty`'s quoting,
//! timestamps (`time.Parse` with go-yaml's four layouts) and the base-60 check the encoders use.

use crate::json::number::{
    parse_float, parse_int_base0, parse_int_radix, parse_uint_base0_pub, parse_uint_radix,
};

pub const STR_TAG: &str = "tag:yaml.org,2002:str";
pub const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
pub const INT_TAG: &str = "tag:yaml.org,2002:int";
pub const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
pub const NULL_TAG: &str = "tag:yaml.org,2002:null";
pub const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
pub const MERGE_TAG: &str = "tag:yaml.org,2002:merge";
pub const BINARY_TAG: &str = "tag:yaml.org,2002:binary";

const LONG_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// `!!str` for `tag:yaml.org,2002:str`, other tags unchanged.
pub fn short_tag(tag: &str) -> String {
    match tag.strip_prefix(LONG_TAG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

/// What a scalar resolved to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    /// Go `int` (64-bit).
    Int(i64),
    /// Go `uint64` (integers above MaxInt64).
    Uint(u64),
    Float(f64),
    /// A string (also a timestamp kept as its text, and `<<`).
    Str(String),
}

/// Which implicit-typing table to use.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// go-yaml v2 (YAML 1.1): Helm's values, `fromYaml`, `toYaml`.
    V2,
    /// go-yaml v3: `toYamlPretty`.
    V3,
}

fn resolvable_tag(tag: &str) -> bool {
    matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG
    )
}

fn lookup(schema: Schema, s: &str) -> Option<(&'static str, Resolved)> {
    let v2_only = schema == Schema::V2;
    Some(match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" if v2_only => {
            (BOOL_TAG, Resolved::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" if v2_only => {
            (BOOL_TAG, Resolved::Bool(false))
        }
        "true" | "True" | "TRUE" => (BOOL_TAG, Resolved::Bool(true)),
        "false" | "False" | "FALSE" => (BOOL_TAG, Resolved::Bool(false)),
        "" | "~" | "null" | "Null" | "NULL" => (NULL_TAG, Resolved::Null),
        ".nan" | ".NaN" | ".NAN" => (FLOAT_TAG, Resolved::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            (FLOAT_TAG, Resolved::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => (FLOAT_TAG, Resolved::Float(f64::NEG_INFINITY)),
        "<<" => (MERGE_TAG, Resolved::Str("<<".into())),
        _ => return None,
    })
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

fn hint(s: &str) -> u8 {
    match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        _ => 0,
    }
}

fn int_result(v: i64) -> (&'static str, Resolved) {
    (INT_TAG, Resolved::Int(v))
}

/// go-yaml's `resolve(tag, in)`: the resolved tag and value, or the decode error text
/// (`cannot decode !!str `abc` as a !!int`) when an explicit tag does not fit.
pub fn resolve(schema: Schema, tag: &str, input: &str) -> Result<(String, Resolved), String> {
    if !resolvable_tag(tag) {
        return Ok((tag.to_string(), Resolved::Str(input.to_string())));
    }
    let (rtag, out) = resolve_inner(schema, tag, input);
    // The deferred check in Go.
    if tag.is_empty() || tag == rtag || tag == STR_TAG || tag == BINARY_TAG {
        return Ok((rtag.to_string(), out));
    }
    if tag == FLOAT_TAG && rtag == INT_TAG {
        if let Resolved::Int(i) = out {
            return Ok((FLOAT_TAG.to_string(), Resolved::Float(i as f64)));
        }
    }
    Err(format!(
        "cannot decode {} `{}` as a {}",
        short_tag(rtag),
        input,
        short_tag(tag)
    ))
}

fn resolve_inner(schema: Schema, tag: &str, input: &str) -> (&'static str, Resolved) {
    let h = hint(input);
    if h != 0 && tag != STR_TAG && tag != BINARY_TAG {
        if let Some(item) = lookup(schema, input) {
            return item;
        }
        match h {
            b'.' => {
                if let Some(f) = parse_float(input) {
                    return (FLOAT_TAG, Resolved::Float(f));
                }
            }
            b'D' | b'S' => {
                if (tag.is_empty() || tag == TIMESTAMP_TAG) && parse_timestamp(input) {
                    return (TIMESTAMP_TAG, Resolved::Str(input.to_string()));
                }
                let plain: String = input.chars().filter(|&c| c != '_').collect();
                if let Some(i) = parse_int_base0(&plain) {
                    return int_result(i);
                }
                if let Some(u) = parse_uint_base0_pub(&plain) {
                    return (INT_TAG, Resolved::Uint(u));
                }
                if yaml_style_float(&plain) {
                    if let Some(f) = parse_float(&plain) {
                        return (FLOAT_TAG, Resolved::Float(f));
                    }
                }
                if let Some(rest) = plain.strip_prefix("0b") {
                    if let Some(i) = parse_int_radix(rest, 2) {
                        return int_result(i);
                    }
                    if let Some(u) = parse_uint_radix(rest, 2) {
                        return (INT_TAG, Resolved::Uint(u));
                    }
                } else if let Some(rest) = plain.strip_prefix("-0b") {
                    if let Some(i) = parse_int_radix(&format!("-{rest}"), 2) {
                        return int_result(i);
                    }
                }
                if schema == Schema::V3 {
                    if let Some(rest) = plain.strip_prefix("0o") {
                        if let Some(i) = parse_int_radix(rest, 8) {
                            return int_result(i);
                        }
                        if let Some(u) = parse_uint_radix(rest, 8) {
                            return (INT_TAG, Resolved::Uint(u));
                        }
                    } else if let Some(rest) = plain.strip_prefix("-0o") {
                        if let Some(i) = parse_int_radix(&format!("-{rest}"), 8) {
                            return int_result(i);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    (STR_TAG, Resolved::Str(input.to_string()))
}

/// The encoders' `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else {
        return false;
    };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    let mut i = 0;
    if b[0] == b'+' || b[0] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        // [0-5]?[0-9]
        if i + 1 < b.len() && (b'0'..=b'5').contains(&b[i]) && b[i + 1].is_ascii_digit() {
            i += 2;
        } else if i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        } else {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml v3's `isOldBool`: YAML 1.1 booleans v3 still quotes on output.
pub fn is_old_bool(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "off"
            | "Off"
            | "OFF"
    )
}

// ---------------------------------------------------------------- timestamps

/// go-yaml's `parseTimestamp`: whether `time.Parse` accepts `s` with one of
/// `2006-1-2T15:4:5.999999999Z07:00`, `2006-1-2t15:4:5.999999999Z07:00`,
/// `2006-1-2 15:4:5.999999999`, `2006-1-2`.
pub fn parse_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    layout_datetime(b, Some(b'T'), true)
        || layout_datetime(b, Some(b't'), true)
        || layout_datetime(b, Some(b' '), false)
        || layout_datetime(b, None, false)
}

/// Go's `getnum(s, false)`: one or two digits.
fn getnum(b: &[u8], i: &mut usize) -> Option<u32> {
    let d0 = *b.get(*i)?;
    if !d0.is_ascii_digit() {
        return None;
    }
    *i += 1;
    match b.get(*i) {
        Some(d1) if d1.is_ascii_digit() => {
            *i += 1;
            Some((d0 - b'0') as u32 * 10 + (d1 - b'0') as u32)
        }
        _ => Some((d0 - b'0') as u32),
    }
}

fn days_in(month: u32, year: i64) -> u32 {
    match month {
        2 => {
            if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn layout_datetime(b: &[u8], sep: Option<u8>, zone: bool) -> bool {
    // 2006: exactly four digits
    if b.len() < 4 || !b[..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let year: i64 = b[..4].iter().fold(0, |a, &d| a * 10 + (d - b'0') as i64);
    let mut i = 4;
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(month) = getnum(b, &mut i) else {
        return false;
    };
    if !(1..=12).contains(&month) {
        return false;
    }
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = getnum(b, &mut i) else {
        return false;
    };
    let Some(sep) = sep else {
        return i == b.len() && day >= 1 && day <= days_in(month, year);
    };
    // separator; a space in the layout matches one or more spaces
    if sep == b' ' {
        if b.get(i) != Some(&b' ') {
            return false;
        }
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
    } else {
        if b.get(i) != Some(&sep) {
            return false;
        }
        i += 1;
    }
    let Some(hour) = getnum(b, &mut i) else {
        return false;
    };
    if hour >= 24 {
        return false;
    }
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(min) = getnum(b, &mut i) else {
        return false;
    };
    if min >= 60 {
        return false;
    }
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(sec) = getnum(b, &mut i) else {
        return false;
    };
    if sec >= 60 {
        return false;
    }
    // .999999999: optional fraction (period or comma, then at least one digit)
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if zone {
        match b.get(i) {
            Some(b'Z') => i += 1,
            Some(b'+' | b'-') => {
                // ±hh:mm
                if b.len() < i + 6 || b[i + 3] != b':' {
                    return false;
                }
                let two = |x: &[u8]| -> Option<u32> {
                    if x[0].is_ascii_digit() && x[1].is_ascii_digit() {
                        Some((x[0] - b'0') as u32 * 10 + (x[1] - b'0') as u32)
                    } else {
                        None
                    }
                };
                let (Some(hh), Some(mm)) = (two(&b[i + 1..i + 3]), two(&b[i + 4..i + 6])) else {
                    return false;
                };
                if hh > 24 || mm > 60 {
                    return false;
                }
                i += 6;
            }
            _ => return false,
        }
    }
    i == b.len() && day >= 1 && day <= days_in(month, year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Resolved {
        resolve(Schema::V2, "", s)
            .map(|x| x.1)
            .unwrap_or(Resolved::Null)
    }

    #[test]
    fn yaml11_table() {
        for s in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
        ] {
            assert_eq!(r(s), Resolved::Bool(true), "{s}");
        }
        for s in [
            "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
        ] {
            assert_eq!(r(s), Resolved::Bool(false), "{s}");
        }
        for s in ["yEs", "oN", "nO", "TRue"] {
            assert_eq!(r(s), Resolved::Str(s.into()), "{s}");
        }
        for s in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(r(s), Resolved::Null, "{s}");
        }
        assert_eq!(r("0755"), Resolved::Int(493));
        assert_eq!(r("0x1F"), Resolved::Int(31));
        assert_eq!(r("0o17"), Resolved::Int(15));
        assert_eq!(r("0b101"), Resolved::Int(5));
        assert_eq!(r("-0b101"), Resolved::Int(-5));
        assert_eq!(r("1_000"), Resolved::Int(1000));
        assert_eq!(r("09"), Resolved::Float(9.0));
        assert_eq!(r("1e3"), Resolved::Float(1000.0));
        assert_eq!(r("1e400"), Resolved::Str("1e400".into()));
        assert_eq!(r(".5"), Resolved::Float(0.5));
        assert_eq!(r("18446744073709551615"), Resolved::Uint(u64::MAX));
        assert_eq!(r("190:20:30"), Resolved::Str("190:20:30".into()));
        assert_eq!(r("2001-12-14"), Resolved::Str("2001-12-14".into()));
        assert!(matches!(r(".inf"), Resolved::Float(f) if f.is_infinite()));
        assert_eq!(
            resolve(Schema::V3, "", "yes").unwrap().1,
            Resolved::Str("yes".into())
        );
    }

    #[test]
    fn explicit_tags() {
        assert_eq!(
            resolve(Schema::V2, INT_TAG, "abc").unwrap_err(),
            "cannot decode !!str `abc` as a !!int"
        );
        assert_eq!(
            resolve(Schema::V2, FLOAT_TAG, "1").unwrap().1,
            Resolved::Float(1.0)
        );
        assert_eq!(
            resolve(Schema::V2, STR_TAG, "1").unwrap().1,
            Resolved::Str("1".into())
        );
        assert_eq!(resolve(Schema::V2, "!foo", "1").unwrap().0, "!foo");
    }

    #[test]
    fn timestamps() {
        for s in [
            "2001-12-14",
            "2001-1-2",
            "2001-12-14T21:59:43.10Z",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10",
            "2001-12-14   21:59:43",
            "2024-02-29",
        ] {
            assert!(parse_timestamp(s), "{s}");
        }
        for s in [
            "2001-12-14 21:59:43.10 -5",
            "2001-13-01",
            "2023-02-29",
            "20011-01-01",
            "2001-12-14T21:59:43",
        ] {
            assert!(!parse_timestamp(s), "{s}");
        }
    }

    #[test]
    fn base60() {
        assert!(is_base60_float("190:20:30"));
        assert!(is_base60_float("1:2"));
        assert!(is_base60_float("-1:20.5"));
        assert!(!is_base60_float("1:60"));
        assert!(!is_base60_float("a:1"));
        assert!(!is_base60_float("12:"));
    }
}
