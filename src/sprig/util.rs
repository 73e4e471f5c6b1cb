//! Conversions Sprig shares between families: `strval`, Go's `strconv` number parsing
//! (`ParseInt`, `ParseUint`, `Atoi`, `ParseFloat`) and spf13/cast v1.7.0's `ToInt64`/`ToFloat64`/`ToInt`,
//! plus the reflect-level helpers Sprig's list and default functions lean on (slice items, emptiness).

use std::borrow::Cow;

use crate::engine::value::Kind;
use crate::engine::Value;

/// Sprig's `strval`: strings as they are, `[]byte` as text, everything else as `fmt.Sprintf("%v")`
/// (which is also what a `fmt.Stringer` or `error` prints).
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => other.to_v(),
    }
}

/// [`strval`] as a template value, sharing the string when the value already is one.
pub(crate) fn strval_value(v: &Value) -> Value {
    match v {
        Value::String(_) => v.clone(),
        other => Value::string(strval(other)),
    }
}

/// Why a `strconv` parse failed (Go's `ErrSyntax` / `ErrRange`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumErr {
    Syntax,
    Range,
}

/// Go's `strconv.underscoreOK`: underscores only between digits, or between a base prefix and
/// a digit.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let b = match b.first() {
        Some(b'-' | b'+') => &b[1..],
        _ => b,
    };
    // saw: b'^' start, b'0' digit or prefix, b'_' underscore, b'!' anything else
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = b[1].eq_ignore_ascii_case(&b'x');
    }
    while i < b.len() {
        let c = b[i];
        i += 1;
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// `strconv.ParseUint(s, base, bits)`: base 0 reads Go's prefixes (`0x`, `0o`, `0b`, a leading
/// `0` for octal) and allows underscores. On a range error the value is the maximum, as in Go.
pub(crate) fn parse_uint(s: &str, base: u32, bits: u32) -> Result<u64, (u64, NumErr)> {
    if s.is_empty() {
        return Err((0, NumErr::Syntax));
    }
    let base0 = base == 0;
    let mut digits = s.as_bytes();
    let mut base = base as u64;
    if base0 {
        base = 10;
        if digits[0] == b'0' {
            let prefix = if digits.len() >= 3 {
                digits[1].to_ascii_lowercase()
            } else {
                0
            };
            match prefix {
                b'b' => (base, digits) = (2, &digits[2..]),
                b'o' => (base, digits) = (8, &digits[2..]),
                b'x' => (base, digits) = (16, &digits[2..]),
                _ => (base, digits) = (8, &digits[1..]),
            }
        }
    } else if !(2..=36).contains(&base) {
        return Err((0, NumErr::Syntax));
    }
    let bits = if bits == 0 { 64 } else { bits.min(64) };
    let max_val: u64 = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let cutoff = u64::MAX / base + 1;
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        let d = match c {
            b'_' if base0 => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => (c - b'0') as u64,
            _ if c.is_ascii_alphabetic() => (c.to_ascii_lowercase() - b'a') as u64 + 10,
            _ => return Err((0, NumErr::Syntax)),
        };
        if d >= base {
            return Err((0, NumErr::Syntax));
        }
        if n >= cutoff {
            return Err((max_val, NumErr::Range));
        }
        n *= base;
        match n.checked_add(d) {
            Some(n1) if n1 <= max_val => n = n1,
            _ => return Err((max_val, NumErr::Range)),
        }
    }
    if underscores && !underscore_ok(s) {
        return Err((0, NumErr::Syntax));
    }
    Ok(n)
}

/// `strconv.ParseInt(s, base, bits)`; on a range error the value is clamped, as in Go.
pub(crate) fn parse_int(s: &str, base: u32, bits: u32) -> Result<i64, (i64, NumErr)> {
    let (neg, body) = match s.as_bytes().first() {
        None => return Err((0, NumErr::Syntax)),
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let un = match parse_uint(body, base, bits) {
        Ok(u) => u,
        Err((u, NumErr::Range)) => u,
        Err((_, e)) => return Err((0, e)),
    };
    let bits = if bits == 0 { 64 } else { bits.min(64) };
    let cutoff: u64 = 1u64 << (bits - 1);
    if !neg && un >= cutoff {
        return Err(((cutoff - 1) as i64, NumErr::Range));
    }
    if neg && un > cutoff {
        return Err(((cutoff as i64).wrapping_neg(), NumErr::Range));
    }
    let n = un as i64;
    Ok(if neg { n.wrapping_neg() } else { n })
}

/// `strconv.Atoi`: base 10, optional sign, no underscores; on a range error Go returns the
/// clamped value alongside the error (Sprig's `atoi` ignores the error and keeps the value).
pub(crate) fn atoi(s: &str) -> Result<i64, (i64, NumErr)> {
    if !s.is_empty() && s.len() < 19 {
        let b = s.as_bytes();
        let digits = if matches!(b[0], b'-' | b'+') {
            &b[1..]
        } else {
            b
        };
        if digits.is_empty() {
            return Err((0, NumErr::Syntax));
        }
        let mut n: i64 = 0;
        for &c in digits {
            if !c.is_ascii_digit() {
                return Err((0, NumErr::Syntax));
            }
            n = n * 10 + (c - b'0') as i64;
        }
        return Ok(if b[0] == b'-' { -n } else { n });
    }
    parse_int(s, 10, 0)
}

/// `strconv.ParseInt(s, 0, 64)` when it succeeds.
#[allow(dead_code)] // shared helper for the other Sprig families
pub(crate) fn parse_int_base0(s: &str) -> Option<i64> {
    parse_int(s, 0, 64).ok()
}

/// Go's `strconv` special values: `inf`, `infinity` (optionally signed) and unsigned `nan`,
/// ignoring case; returns the value and how many bytes it took.
fn parse_special(s: &str) -> Option<(f64, usize)> {
    fn common_prefix_ignore_case(s: &[u8], prefix: &[u8]) -> usize {
        s.iter()
            .zip(prefix)
            .take_while(|(a, b)| a.to_ascii_lowercase() == **b)
            .count()
    }
    let b = s.as_bytes();
    let (sign, nsign, rest) = match b.first()? {
        b'+' => (1.0, 1, &b[1..]),
        b'-' => (-1.0, 1, &b[1..]),
        b'n' | b'N' => {
            return (common_prefix_ignore_case(b, b"nan") == 3).then_some((f64::NAN, 3));
        }
        _ => (1.0, 0, b),
    };
    let mut n = common_prefix_ignore_case(rest, b"infinity");
    if 3 < n && n < 8 {
        n = 3;
    }
    (n == 3 || n == 8).then_some((sign * f64::INFINITY, nsign + n))
}

/// What Go's `readFloat` found at the start of a string.
struct FloatParts {
    mantissa: u64,
    exp: i64,
    neg: bool,
    trunc: bool,
    hex: bool,
    /// Bytes consumed.
    len: usize,
}

/// Go's `strconv.readFloat`: sign, decimal or `0x` hexadecimal mantissa with an optional point,
/// exponent (`e`, or the mandatory `p` for hex), underscores checked by [`underscore_ok`].
fn read_float(s: &str) -> Option<FloatParts> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    match b.first()? {
        b'+' => i += 1,
        b'-' => {
            i += 1;
            neg = true;
        }
        _ => {}
    }
    let mut base: u64 = 10;
    let mut max_mant_digits = 19;
    let mut exp_char = b'e';
    let mut hex = false;
    if i + 2 < b.len() && b[i] == b'0' && b[i + 1].eq_ignore_ascii_case(&b'x') {
        base = 16;
        max_mant_digits = 16;
        i += 2;
        exp_char = b'p';
        hex = true;
    }
    let mut underscores = false;
    let (mut sawdot, mut sawdigits) = (false, false);
    let (mut nd, mut nd_mant, mut dp): (i64, i64, i64) = (0, 0, 0);
    let mut mantissa: u64 = 0;
    let mut trunc = false;
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            underscores = true;
        } else if c == b'.' {
            if sawdot {
                break;
            }
            sawdot = true;
            dp = nd;
        } else if c.is_ascii_digit() || base == 16 && c.is_ascii_hexdigit() {
            sawdigits = true;
            if c == b'0' && nd == 0 {
                dp -= 1;
            } else {
                nd += 1;
                if nd_mant < max_mant_digits {
                    let d = (c as char).to_digit(16).unwrap_or(0) as u64;
                    mantissa = mantissa * base + d;
                    nd_mant += 1;
                } else if c != b'0' {
                    trunc = true;
                }
            }
        } else {
            break;
        }
        i += 1;
    }
    if !sawdigits {
        return None;
    }
    if !sawdot {
        dp = nd;
    }
    if base == 16 {
        dp *= 4;
        nd_mant *= 4;
    }
    if i < b.len() && b[i].to_ascii_lowercase() == exp_char {
        i += 1;
        let mut esign = 1;
        match b.get(i)? {
            b'+' => i += 1,
            b'-' => {
                i += 1;
                esign = -1;
            }
            _ => {}
        }
        if !b.get(i)?.is_ascii_digit() {
            return None;
        }
        let mut e: i64 = 0;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            if b[i] == b'_' {
                underscores = true;
            } else if e < 10000 {
                e = e * 10 + (b[i] - b'0') as i64;
            }
            i += 1;
        }
        dp += e * esign;
    } else if base == 16 {
        return None;
    }
    let exp = if mantissa != 0 { dp - nd_mant } else { 0 };
    if underscores && !underscore_ok(&s[..i]) {
        return None;
    }
    Some(FloatParts {
        mantissa,
        exp,
        neg,
        trunc,
        hex,
        len: i,
    })
}

/// Go's `atofHex` for float64: rounds a hexadecimal mantissa × 2^exp to the nearest float64.
fn atof_hex(p: &FloatParts) -> (f64, Option<NumErr>) {
    const MANT_BITS: u32 = 52;
    const BIAS: i64 = -1023;
    let max_exp = (1i64 << 11) + BIAS - 2;
    let min_exp = BIAS + 1;
    let mut mantissa = p.mantissa;
    let mut exp = p.exp + MANT_BITS as i64;
    while mantissa != 0 && mantissa >> (MANT_BITS + 2) == 0 {
        mantissa <<= 1;
        exp -= 1;
    }
    if p.trunc {
        mantissa |= 1;
    }
    while mantissa >> (1 + MANT_BITS + 2) != 0 {
        mantissa = mantissa >> 1 | mantissa & 1;
        exp += 1;
    }
    while mantissa > 1 && exp < min_exp - 2 {
        mantissa = mantissa >> 1 | mantissa & 1;
        exp += 1;
    }
    let mut round = mantissa & 3;
    mantissa >>= 2;
    round |= mantissa & 1;
    exp += 2;
    if round == 3 {
        mantissa += 1;
        if mantissa == 1 << (1 + MANT_BITS) {
            mantissa >>= 1;
            exp += 1;
        }
    }
    if mantissa >> MANT_BITS == 0 {
        exp = BIAS;
    }
    let mut err = None;
    if exp > max_exp {
        mantissa = 1 << MANT_BITS;
        exp = max_exp + 1;
        err = Some(NumErr::Range);
    }
    let mut bits = mantissa & ((1 << MANT_BITS) - 1);
    bits |= (((exp - BIAS) & 0x7FF) as u64) << MANT_BITS;
    if p.neg {
        bits |= 1 << 63;
    }
    (f64::from_bits(bits), err)
}

/// `strconv.ParseFloat(s, 64)`: Go's float literal syntax (decimal, `0x…p…` hex, underscores
/// between digits, `inf`/`infinity`/`nan`). A range error gives ±Inf with `NumErr::Range`.
pub(crate) fn parse_float(s: &str) -> Result<f64, (f64, NumErr)> {
    if let Some((v, n)) = parse_special(s) {
        return if n == s.len() {
            Ok(v)
        } else {
            Err((0.0, NumErr::Syntax))
        };
    }
    let Some(parts) = read_float(s) else {
        return Err((0.0, NumErr::Syntax));
    };
    if parts.len != s.len() {
        return Err((0.0, NumErr::Syntax));
    }
    if parts.hex {
        return match atof_hex(&parts) {
            (f, None) => Ok(f),
            (f, Some(e)) => Err((f, e)),
        };
    }
    // The syntax is Go's; Rust's parser rounds the same digits to the same nearest float.
    let cleaned: Cow<str> = if s.contains('_') {
        Cow::Owned(s.replace('_', ""))
    } else {
        Cow::Borrowed(s)
    };
    match cleaned.parse::<f64>() {
        Ok(f) if f.is_infinite() => Err((f, NumErr::Range)),
        Ok(f) => Ok(f),
        Err(_) => Err((0.0, NumErr::Syntax)),
    }
}

/// `strconv.ParseFloat(s, 64)` when it succeeds.
#[allow(dead_code)] // shared helper for the other Sprig families
pub(crate) fn parse_float_go(s: &str) -> Option<f64> {
    parse_float(s).ok()
}

/// spf13/cast's `trimZeroDecimal`: "12.000" → "12", "1.0.0" → "1.0"; anything else unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, c) in s.bytes().enumerate().rev() {
        match c {
            b'.' if found_zero => return &s[..i],
            b'.' => {}
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `cast.ToInt64E`; `None` where cast returns an error (Sprig then uses 0).
pub(crate) fn to_int64_e(v: &Value) -> Option<i64> {
    match v {
        Value::Nil => Some(0),
        Value::Bool(b) => Some(*b as i64),
        Value::Int(i) | Value::Int64(i) => Some(*i),
        Value::Uint(u) => Some(*u as i64),
        Value::Float(f) => Some(go_float_to_int(*f)),
        Value::String(s) => parse_int(trim_zero_decimal(s), 0, 0).ok(),
        _ => None,
    }
}

/// `cast.ToInt64` (errors become 0), which Sprig's arithmetic uses.
pub(crate) fn to_int64(v: &Value) -> i64 {
    to_int64_e(v).unwrap_or(0)
}

/// `cast.ToInt`: the same rules as ToInt64 on a 64-bit platform.
pub(crate) fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// `cast.ToFloat64E`; `None` where cast returns an error (including ParseFloat's range errors).
pub(crate) fn to_float64_e(v: &Value) -> Option<f64> {
    match v {
        Value::Nil => Some(0.0),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Int(i) | Value::Int64(i) => Some(*i as f64),
        Value::Uint(u) => Some(*u as f64),
        Value::Float(f) => Some(*f),
        Value::String(s) => parse_float(s).ok(),
        _ => None,
    }
}

/// `cast.ToFloat64` (errors become 0).
pub(crate) fn to_float64(v: &Value) -> f64 {
    to_float64_e(v).unwrap_or(0.0)
}

/// Go's float64 → int64 conversion as amd64 does it: truncation, and 0x8000000000000000 for NaN
/// and out-of-range values.
pub(crate) fn go_float_to_int(f: f64) -> i64 {
    // 2^63, exactly representable
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// The elements of a slice-kind value as `reflect.Value.Index(i).Interface()` yields them, or
/// `None` when the value is not a slice. `[]byte` elements become unsigned integers.
pub(crate) fn slice_items(v: &Value) -> Option<Cow<'_, [Value]>> {
    match v {
        Value::List(l) => Some(Cow::Borrowed(l.items())),
        Value::Bytes(b) => Some(Cow::Owned(
            b.iter().map(|&x| Value::Uint(x as u64)).collect(),
        )),
        _ => None,
    }
}

/// The reflect kind name of a value as Sprig's `%s` of `reflect.TypeOf(v).Kind()` prints it, or
/// Go's nil-pointer panic for the nil interface (`reflect.TypeOf(nil).Kind()`).
pub(crate) fn kind_or_nil_panic(v: &Value) -> Result<&'static str, String> {
    match v.kind() {
        Kind::Invalid => Err(NIL_DEREF.to_string()),
        k => Ok(k.name()),
    }
}

/// Go's runtime panic text for a nil pointer dereference.
pub(crate) const NIL_DEREF: &str =
    "runtime error: invalid memory address or nil pointer dereference";

/// Sprig's `empty`: the zero value of its type (nil, false, 0, 0.0, "", empty slice or map);
/// structs and non-nil pointers are never empty. This is exactly text/template's falsiness.
pub(crate) fn empty(v: &Value) -> bool {
    !v.truthy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cast_to_int64_follows_spf13_cast() {
        assert_eq!(to_int64(&Value::str("12.000")), 12);
        assert_eq!(to_int64(&Value::str("12.5")), 0);
        assert_eq!(to_int64(&Value::str("0x1F")), 31);
        assert_eq!(to_int64(&Value::str("010")), 8);
        assert_eq!(to_int64(&Value::str("08")), 0);
        assert_eq!(to_int64(&Value::str("abc")), 0);
        assert_eq!(to_int64(&Value::str("1_000")), 1000);
        assert_eq!(to_int64(&Value::str("0o17")), 15);
        assert_eq!(to_int64(&Value::str("0b101")), 5);
        assert_eq!(to_int64(&Value::str("9223372036854775807")), i64::MAX);
        assert_eq!(to_int64(&Value::str("9223372036854775808")), 0);
        assert_eq!(to_int64(&Value::str(" 5")), 0);
        assert_eq!(to_int64(&Value::str("")), 0);
        assert_eq!(to_int64(&Value::Float(3.9)), 3);
        assert_eq!(to_int64(&Value::Float(-3.9)), -3);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
        assert_eq!(to_int64(&Value::Nil), 0);
        assert_eq!(to_int64(&Value::list(vec![])), 0);
    }

    #[test]
    fn trim_zero_decimal_scans_like_cast() {
        assert_eq!(trim_zero_decimal("12.000"), "12");
        assert_eq!(trim_zero_decimal("1.0.0"), "1.0");
        assert_eq!(trim_zero_decimal("12.5"), "12.5");
        assert_eq!(trim_zero_decimal("10."), "10.");
        assert_eq!(trim_zero_decimal(".0"), "");
    }

    #[test]
    fn parse_int_matches_strconv() {
        assert_eq!(parse_int("-0x10", 0, 64), Ok(-16));
        assert_eq!(parse_int("0x_1F", 0, 64), Ok(31));
        assert_eq!(parse_int("1__0", 0, 64), Err((0, NumErr::Syntax)));
        assert_eq!(parse_int("_10", 0, 64), Err((0, NumErr::Syntax)));
        assert_eq!(parse_int("10_", 0, 64), Err((0, NumErr::Syntax)));
        assert_eq!(parse_int("+-5", 0, 64), Err((0, NumErr::Syntax)));
        assert_eq!(parse_int("0", 0, 64), Ok(0));
        assert_eq!(parse_int("0x", 0, 64), Err((0, NumErr::Syntax)));
        assert_eq!(parse_int("-9223372036854775808", 0, 64), Ok(i64::MIN));
        assert_eq!(
            parse_int("-9223372036854775809", 10, 64),
            Err((i64::MIN, NumErr::Range))
        );
        assert_eq!(parse_int("0777", 8, 64), Ok(511));
        assert_eq!(parse_int("0o17", 8, 64), Err((0, NumErr::Syntax)));
        assert_eq!(parse_int("1_0", 10, 64), Err((0, NumErr::Syntax)));
        // Checked against Helm v4.2.3 (`int "…"`).
        assert_eq!(parse_int("0_7", 0, 64), Ok(7));
        assert_eq!(parse_int("0X1f", 0, 64), Ok(31));
        assert_eq!(parse_int("0B11", 0, 64), Ok(3));
        assert_eq!(parse_int("00", 0, 64), Ok(0));
    }

    #[test]
    fn atoi_matches_strconv() {
        // From the fn-atoi conformance case.
        assert_eq!(atoi("42"), Ok(42));
        assert_eq!(atoi("+5"), Ok(5));
        assert_eq!(atoi("007"), Ok(7));
        assert_eq!(atoi(" 42").unwrap_or_else(|e| e.0), 0);
        assert_eq!(atoi("1_000").unwrap_or_else(|e| e.0), 0);
        assert_eq!(atoi("0x10").unwrap_or_else(|e| e.0), 0);
        assert_eq!(atoi("99999999999999999999"), Err((i64::MAX, NumErr::Range)));
        assert_eq!(
            atoi("99999999999999999999x"),
            Err((i64::MAX, NumErr::Range))
        );
        assert_eq!(atoi("-"), Err((0, NumErr::Syntax)));
        assert_eq!(atoi("+"), Err((0, NumErr::Syntax)));
        assert_eq!(
            atoi("-99999999999999999999"),
            Err((i64::MIN, NumErr::Range))
        );
    }

    #[test]
    fn parse_float_matches_strconv() {
        // From the fn-float64 conformance case.
        assert_eq!(parse_float_go("1.25"), Some(1.25));
        assert_eq!(parse_float_go("1e3"), Some(1000.0));
        assert_eq!(parse_float_go("0x10"), None);
        assert_eq!(parse_float_go(" 1"), None);
        assert_eq!(parse_float_go("1_000.5"), Some(1000.5));
        assert_eq!(parse_float_go("Inf"), Some(f64::INFINITY));
        assert!(parse_float_go("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_float("1e400"), Err((f64::INFINITY, NumErr::Range)));
        assert_eq!(
            parse_float("-1e400"),
            Err((f64::NEG_INFINITY, NumErr::Range))
        );
        assert_eq!(parse_float_go("-0").map(f64::is_sign_negative), Some(true));
        // Go's other accepted and rejected forms.
        assert_eq!(parse_float_go("0x1p-2"), Some(0.25));
        assert_eq!(parse_float_go("0x1.8p1"), Some(3.0));
        assert_eq!(parse_float_go("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_float_go("+nan"), None);
        assert_eq!(parse_float_go("infin"), None);
        assert_eq!(parse_float_go(".5"), Some(0.5));
        assert_eq!(parse_float_go("5."), Some(5.0));
        assert_eq!(parse_float_go("."), None);
        assert_eq!(parse_float_go("1e"), None);
        assert_eq!(parse_float_go("1__0"), None);
        assert_eq!(parse_float_go("1e-400"), Some(0.0));
        // Checked against Helm v4.2.3 (`float64 "…"`).
        assert_eq!(parse_float_go("1e99999999999999999999"), None);
        assert_eq!(parse_float_go("0x1p1025"), None);
        assert_eq!(parse_float_go("0x1.fffffffffffff8p1023"), None);
        assert_eq!(parse_float_go("0x1p-1075"), Some(0.0));
        assert_eq!(parse_float_go("0x3p-1075"), Some(1e-323));
        assert_eq!(parse_float_go("1_0e1_0"), Some(1e11));
        assert_eq!(parse_float_go("0x_1p0"), Some(1.0));
        assert_eq!(parse_float_go("1.5e"), None);
        assert_eq!(parse_float_go("4.9e-324"), Some(5e-324));
        assert_eq!(parse_float_go("2.4703282292062327e-324"), Some(0.0));
    }

    #[test]
    fn strval_prints_like_sprintf_v() {
        assert_eq!(strval(&Value::Nil), "<nil>");
        assert_eq!(strval(&Value::str("x")), "x");
        assert_eq!(strval(&Value::Bytes(b"hi".as_slice().into())), "hi");
        assert_eq!(strval(&Value::Int(-5)), "-5");
    }
}

/// The data families through the real text/template executor, on the conformance cases that need
/// nothing beyond them (no values file, no JSON/YAML): output and error texts as Helm v4.2.3's.
#[cfg(test)]
mod through_the_engine {
    use std::path::PathBuf;

    use crate::engine::value::types;
    use crate::engine::{Env, Map, Templates, Value};

    fn case_dir(case: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/conformance/cases")
            .join(case)
    }

    /// Renders the case's single template like Helm's engine (`<no value>` removed).
    fn render(case: &str) -> Result<String, String> {
        let name = "demo/templates/t.yaml";
        let text = std::fs::read_to_string(case_dir(case).join("chart/templates/t.yaml"))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        let mut t = Templates::new("gotpl", crate::sprig::funcs());
        t.parse(name, &text).map_err(|e| e.to_string())?;
        let values = Value::Map(Map::typed(types::VALUES, Default::default()));
        let top = Value::Map(Map::from_entries([("Values".into(), values)]));
        t.execute(name, &top, &Env::default())
            .map(|out| out.replace("<no value>", ""))
            .map_err(|e| e.to_string())
    }

    fn expected(case: &str) -> Result<String, String> {
        let dir = case_dir(case);
        if let Ok(err) = std::fs::read_to_string(dir.join("expected_error.txt")) {
            return Err(err.trim_end().to_string());
        }
        let json = std::fs::read_to_string(dir.join("expected.json"))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        let map: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        Ok(map["demo/templates/t.yaml"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    fn render_text(text: &str) -> Result<String, String> {
        let mut t = Templates::new("gotpl", crate::sprig::funcs());
        t.parse("t", text).map_err(|e| e.to_string())?;
        let values = Value::Map(Map::typed(types::VALUES, Default::default()));
        let top = Value::Map(Map::from_entries([("Values".into(), values)]));
        t.execute("t", &top, &Env::default())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn nil_literal_for_a_map_is_a_nil_map() {
        // Checked against Helm v4.2.3.
        assert_eq!(
            render_text(r#"{{ set nil "a" 1 }}"#).unwrap_err(),
            r#"template: t:1:3: executing "t" at <set nil "a" 1>: error calling set: assignment to entry in nil map"#
        );
        assert_eq!(
            render_text(r#"{{ unset nil "a" }} {{ merge nil nil }} [{{ get nil "a" }}]"#),
            Ok("map[] map[] []".to_string())
        );
        assert_eq!(
            render_text(
                r#"{{ dig "x" "y" "none" (mergeOverwrite .Values (dict "x" (dict "y" 1))) }}"#
            ),
            Ok("1".to_string())
        );
    }

    #[test]
    fn conformance_cases_render_like_helm() {
        let cases = [
            "fn-chunk-err",
            "fn-compact-err",
            "fn-concat-err",
            "fn-dig-err",
            "fn-div-err",
            "fn-divf-err",
            "fn-has-err",
            "fn-initial-err",
            "fn-last-err",
            "fn-mod-err",
            "fn-mustAppend-err",
            "fn-mustChunk-err",
            "fn-mustCompact-err",
            "fn-mustDeepCopy-err",
            "fn-mustFirst",
            "fn-mustFirst-err",
            "fn-mustHas-err",
            "fn-mustInitial-err",
            "fn-mustLast",
            "fn-mustLast-err",
            "fn-mustPrepend-err",
            "fn-mustPush-err",
            "fn-mustRest-err",
            "fn-mustReverse-err",
            "fn-mustSlice-err",
            "fn-mustUniq-err",
            "fn-mustWithout-err",
            "fn-prepend-err",
            "fn-push-err",
            "fn-rest-err",
            "fn-reverse-err",
            "fn-slice-err",
            "fn-uniq-err",
            "fn-without-err",
            "sprig-list-basic",
            "sprig-math-int",
            "sprig-math-round",
        ];
        let mut failures = Vec::new();
        for case in cases {
            let (got, want) = (render(case), expected(case));
            if got != want {
                failures.push(format!("{case}:\n  got  {got:?}\n  want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
