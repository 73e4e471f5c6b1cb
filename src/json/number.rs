//! Go's `strconv` number formatting and parsing, as far as encoding/json and go-yaml use it.
//!
//! Both libraries print floats with the shortest digits that round-trip
//! (`strconv.FormatFloat(f, fmt, -1, bits)`), then lay them out in `e`, `f` or `g` form; go-yaml's
//! resolver parses integers with `strconv.ParseInt(s, 0, 64)` (base prefixes, octal `0755`) and
//! floats with `strconv.ParseFloat`. Rust's `{:e}` already yields the shortest round-trip digits
//! (the same digits Go's Ryū-based algorithm picks), so only the layout is Go's own.

/// Shortest decimal digits of `|f|`: `digits` without leading/trailing zeros and the decimal point
/// position `dp` (value = 0.digits × 10^dp). Zero has no digits and `dp == 0`.
struct Decimal {
    digits: Vec<u8>,
    dp: i32,
}

fn shortest(f: f64, bits32: bool) -> Decimal {
    let s = if bits32 {
        format!("{:e}", (f as f32).abs())
    } else {
        format!("{:e}", f.abs())
    };
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits.is_empty() {
        return Decimal { digits, dp: 0 };
    }
    Decimal {
        digits,
        dp: exp + 1,
    }
}

fn special(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f == f64::INFINITY {
        Some("+Inf")
    } else if f == f64::NEG_INFINITY {
        Some("-Inf")
    } else {
        None
    }
}

fn fmt_e(out: &mut String, d: &Decimal, prec: usize) {
    out.push(d.digits.first().map_or('0', |&c| c as char));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(d.digits.get(i).map_or('0', |&c| c as char));
        }
    }
    out.push('e');
    let mut exp = if d.digits.is_empty() { 0 } else { d.dp - 1 };
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

fn fmt_f(out: &mut String, d: &Decimal, prec: usize) {
    if d.dp > 0 {
        let dp = d.dp as usize;
        for i in 0..dp {
            out.push(d.digits.get(i).map_or('0', |&c| c as char));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec as i64 {
            let j = d.dp as i64 + i - 1;
            let c = if j >= 0 {
                d.digits.get(j as usize).map_or('0', |&c| c as char)
            } else {
                '0'
            };
            out.push(c);
        }
    }
}

/// `strconv.FormatFloat(f, fmt, -1, bits)` for `fmt` in `e`, `f`, `g` (shortest representation).
pub(crate) fn format_float(f: f64, fmt: char, bits32: bool) -> String {
    if let Some(s) = special(if bits32 { f as f32 as f64 } else { f }) {
        return s.to_string();
    }
    let d = shortest(f, bits32);
    let mut out = String::new();
    let neg = if bits32 {
        (f as f32).is_sign_negative()
    } else {
        f.is_sign_negative()
    };
    if neg {
        out.push('-');
    }
    let nd = d.digits.len();
    match fmt {
        'e' => fmt_e(&mut out, &d, nd.saturating_sub(1)),
        'f' => fmt_f(&mut out, &d, (nd as i32 - d.dp).max(0) as usize),
        _ => {
            let exp = d.dp - 1;
            if !(-4..6).contains(&exp) {
                fmt_e(&mut out, &d, nd.saturating_sub(1));
            } else {
                fmt_f(&mut out, &d, (nd as i32 - d.dp).max(0) as usize);
            }
        }
    }
    out
}

/// `strconv.FormatFloat(f, 'g', -1, 64)`: `%v` of a float64 (`1e+06`, `0.1`, `NaN`, `+Inf`).
pub fn format_g(f: f64) -> String {
    format_float(f, 'g', false)
}

/// encoding/json's float layout: `f` form unless the exponent is < -6 or >= 21, then `e` form
/// with a one-digit negative exponent cleaned (`1e-7`, `1e+21`). The caller rejects NaN/Inf.
pub fn format_json(f: f64) -> String {
    let abs = f.abs();
    let use_e = abs != 0.0 && !(1e-6..1e21).contains(&abs);
    if !use_e {
        return format_float(f, 'f', false);
    }
    let mut s = format_float(f, 'e', false);
    // clean up e-09 to e-9
    let b = s.as_bytes();
    let n = b.len();
    if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
        let last = b[n - 1] as char;
        s.truncate(n - 2);
        s.push(last);
    }
    s
}

/// Go's `underscoreOK`: underscores only between digits, or between a base prefix and a digit.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') {
        i = 1;
    }
    let mut hex = false;
    if b.len() >= i + 2 && b[i] == b'0' && matches!(b[i + 1] | 0x20, b'b' | b'o' | b'x') {
        hex = b[i + 1] | 0x20 == b'x';
        i += 2;
        saw = b'0';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseUint(s, 0, 64)` (sign not allowed); `None` on syntax or range error.
fn parse_uint_base0(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (base, digits, prefixed): (u32, &[u8], bool) = if b[0] == b'0' {
        if b.len() >= 3 && b[1] | 0x20 == b'b' {
            (2, &b[2..], true)
        } else if b.len() >= 3 && b[1] | 0x20 == b'o' {
            (8, &b[2..], true)
        } else if b.len() >= 3 && b[1] | 0x20 == b'x' {
            (16, &b[2..], true)
        } else {
            (8, &b[1..], true)
        }
    } else {
        (10, b, false)
    };
    let _ = prefixed;
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        if c == b'_' {
            underscores = true;
            continue;
        }
        let d = (c as char).to_digit(base)?;
        n = n.checked_mul(base as u64)?.checked_add(d as u64)?;
    }
    if underscores && !underscore_ok(s) {
        return None;
    }
    Some(n)
}

/// `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint_base0(rest)?;
    if neg {
        if u > 1u64 << 63 {
            None
        } else {
            Some((u as i64).wrapping_neg())
        }
    } else if u >= 1u64 << 63 {
        None
    } else {
        Some(u as i64)
    }
}

/// `strconv.ParseUint(s, 0, 64)` (go-yaml tries it after ParseInt fails).
pub(crate) fn parse_uint_base0_pub(s: &str) -> Option<u64> {
    parse_uint_base0(s)
}

/// `strconv.ParseInt(s, base, 64)` for an explicit base (go-yaml's `0b` handling).
pub(crate) fn parse_int_radix(s: &str, base: u32) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = parse_uint_radix(rest, base)?;
    if neg {
        if u > 1u64 << 63 {
            None
        } else {
            Some((u as i64).wrapping_neg())
        }
    } else if u >= 1u64 << 63 {
        None
    } else {
        Some(u as i64)
    }
}

/// `strconv.ParseUint(s, base, 64)` for an explicit base (no underscores allowed).
pub(crate) fn parse_uint_radix(s: &str, base: u32) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for c in s.chars() {
        let d = c.to_digit(base)?;
        n = n.checked_mul(base as u64)?.checked_add(d as u64)?;
    }
    Some(n)
}

/// `strconv.ParseFloat(s, 64)` for decimal syntax (with Go's underscore rule), `Inf`/`NaN`
/// spellings and hexadecimal floats. `None` on syntax error or overflow to ±Inf (ErrRange).
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, body) = match b.first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower == "nan" {
        return Some(f64::NAN);
    }
    if let Some(hex) = lower.strip_prefix("0x") {
        return parse_hex_float(hex, s).map(|v| if neg { -v } else { v });
    }
    // decimal: digits [. digits] [e [sign] digits], underscores allowed between digits
    let bb = body.as_bytes();
    let mut i = 0;
    let mut mant_digits = 0;
    let mut underscores = false;
    let mut clean = String::with_capacity(body.len());
    while i < bb.len() && (bb[i].is_ascii_digit() || bb[i] == b'_') {
        if bb[i] == b'_' {
            underscores = true;
        } else {
            mant_digits += 1;
            clean.push(bb[i] as char);
        }
        i += 1;
    }
    if i < bb.len() && bb[i] == b'.' {
        clean.push('.');
        i += 1;
        while i < bb.len() && (bb[i].is_ascii_digit() || bb[i] == b'_') {
            if bb[i] == b'_' {
                underscores = true;
            } else {
                mant_digits += 1;
                clean.push(bb[i] as char);
            }
            i += 1;
        }
    }
    if mant_digits == 0 {
        return None;
    }
    if i < bb.len() && (bb[i] | 0x20) == b'e' {
        clean.push('e');
        i += 1;
        if i < bb.len() && (bb[i] == b'+' || bb[i] == b'-') {
            clean.push(bb[i] as char);
            i += 1;
        }
        let mut exp_digits = 0;
        while i < bb.len() && (bb[i].is_ascii_digit() || bb[i] == b'_') {
            if bb[i] == b'_' {
                underscores = true;
            } else {
                exp_digits += 1;
                clean.push(bb[i] as char);
            }
            i += 1;
        }
        if exp_digits == 0 {
            return None;
        }
    }
    if i != bb.len() {
        return None;
    }
    if underscores && !underscore_ok(s) {
        return None;
    }
    let v: f64 = clean.parse().ok()?;
    if v.is_infinite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

fn parse_hex_float(hex: &str, orig: &str) -> Option<f64> {
    // 0x mantissa [. mantissa] p [sign] exponent — the exponent is mandatory in Go.
    let (mant, exp) = hex.split_once('p')?;
    let mut value: f64 = 0.0;
    let mut scale: i32 = 0;
    let mut seen_dot = false;
    let mut digits = 0;
    let mut underscores = false;
    for c in mant.chars() {
        if c == '_' {
            underscores = true;
            continue;
        }
        if c == '.' {
            if seen_dot {
                return None;
            }
            seen_dot = true;
            continue;
        }
        let d = c.to_digit(16)?;
        value = value * 16.0 + d as f64;
        digits += 1;
        if seen_dot {
            scale -= 4;
        }
    }
    if digits == 0 {
        return None;
    }
    let exp_clean: String = exp.chars().filter(|&c| c != '_').collect();
    if exp.contains('_') {
        underscores = true;
    }
    let e: i32 = exp_clean.parse().ok()?;
    if underscores && !underscore_ok(orig) {
        return None;
    }
    let v = value * 2f64.powi(e.saturating_add(scale));
    if v.is_infinite() {
        return None;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_go() {
        // strconv.FormatFloat(x, 'g', -1, 64)
        let cases = [
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (1e6, "1e+06"),
            (999999.0, "999999"),
            (123456789.0, "1.23456789e+08"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e-7, "1e-07"),
            (1e21, "1e+21"),
            (1e100, "1e+100"),
            (0.1, "0.1"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (12345678901.0, "1.2345678901e+10"),
        ];
        for (f, want) in cases {
            assert_eq!(format_g(f), want, "{f}");
        }
    }

    #[test]
    fn g32_format() {
        assert_eq!(format_float(0.1, 'g', true), "0.1");
        assert_eq!(
            format_float(0.333_333_333_333_333_3, 'g', true),
            "0.33333334"
        );
        assert_eq!(format_float(1000.0, 'g', true), "1000");
        assert_eq!(format_float(1e20, 'g', true), "1e+20");
    }

    #[test]
    fn json_format_matches_go() {
        let cases = [
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (1e6, "1000000"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.2e-10, "1.2e-10"),
            (123456789012.0, "123456789012"),
            (0.1, "0.1"),
        ];
        for (f, want) in cases {
            assert_eq!(format_json(f), want, "{f}");
        }
    }

    #[test]
    fn parse_int_base0_like_go() {
        assert_eq!(parse_int_base0("0755"), Some(493));
        assert_eq!(parse_int_base0("0x1F"), Some(31));
        assert_eq!(parse_int_base0("0o17"), Some(15));
        assert_eq!(parse_int_base0("0b101"), Some(5));
        assert_eq!(parse_int_base0("+12"), Some(12));
        assert_eq!(parse_int_base0("-0"), Some(0));
        assert_eq!(parse_int_base0("09"), None);
        assert_eq!(parse_int_base0("0x"), None);
        assert_eq!(parse_int_base0("0"), Some(0));
        assert_eq!(parse_int_base0("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_int_base0("9223372036854775808"), None);
        assert_eq!(parse_int_base0("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_uint_base0("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_uint_base0("18446744073709551616"), None);
    }

    #[test]
    fn parse_float_like_go() {
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float(".5_5"), Some(0.55));
        assert_eq!(parse_float("._5"), None);
        assert_eq!(parse_float("1e400"), None);
        assert_eq!(parse_float("1e-400"), Some(0.0));
        assert_eq!(parse_float("+1.5e3"), Some(1500.0));
        assert_eq!(parse_float("."), None);
        assert_eq!(parse_float("0x1p-2"), Some(0.25));
        assert_eq!(parse_float("1."), Some(1.0));
    }
}
