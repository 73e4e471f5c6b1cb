//! Conversions Sprig shares between families: `strval` and spf13/cast's `ToInt64`/`ToFloat64`/`ToInt`.

use crate::engine::Value;

/// Sprig's `strval`: strings as they are, `[]byte` as text, everything else as `fmt.Sprintf("%v")`.
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => other.to_v(),
    }
}

/// spf13/cast's `trimZeroDecimal`: "12.000" → "12" (only when every decimal is zero).
fn trim_zero_decimal(s: &str) -> &str {
    if let Some(dot) = s.rfind('.') {
        let (int, frac) = (&s[..dot], &s[dot + 1..]);
        if !int.is_empty() && !frac.is_empty() && frac.bytes().all(|b| b == b'0') {
            return int;
        }
    }
    s
}

/// `strconv.ParseInt(s, 0, 64)`: optional sign, `0x`/`0o`/`0b`/leading-`0` prefixes, underscores
/// only with a prefix.
pub(crate) fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    if digits.contains('_') {
        // Go accepts underscores only between digits and only with a base prefix.
        if !prefixed || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
            return None;
        }
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() {
        return None;
    }
    let mag = u64::from_str_radix(&digits, radix).ok()?;
    if neg {
        if mag > i64::MAX as u64 + 1 {
            None
        } else {
            Some((mag as i64).wrapping_neg())
        }
    } else if mag > i64::MAX as u64 {
        None
    } else {
        Some(mag as i64)
    }
}

/// `cast.ToInt64E`; `None` where cast returns an error (Sprig then uses 0).
pub(crate) fn to_int64_e(v: &Value) -> Option<i64> {
    match v {
        Value::Nil => Some(0),
        Value::Bool(b) => Some(*b as i64),
        Value::Int(i) | Value::Int64(i) => Some(*i),
        Value::Uint(u) => Some(*u as i64),
        Value::Float(f) => Some(go_float_to_int(*f)),
        Value::String(s) => parse_int_base0(trim_zero_decimal(s)),
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

/// `cast.ToFloat64E`; `None` where cast returns an error.
pub(crate) fn to_float64_e(v: &Value) -> Option<f64> {
    match v {
        Value::Nil => Some(0.0),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        Value::Int(i) | Value::Int64(i) => Some(*i as f64),
        Value::Uint(u) => Some(*u as f64),
        Value::Float(f) => Some(*f),
        Value::String(s) => parse_float_go(s),
        _ => None,
    }
}

/// `cast.ToFloat64` (errors become 0).
pub(crate) fn to_float64(v: &Value) -> f64 {
    to_float64_e(v).unwrap_or(0.0)
}

/// `strconv.ParseFloat(s, 64)` for the forms Go accepts (decimal, exponent, inf/nan, hex floats,
/// underscores between digits).
pub(crate) fn parse_float_go(s: &str) -> Option<f64> {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = t.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity") {
        return Some(if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower == "nan" {
        return Some(f64::NAN);
    }
    if lower.starts_with("0x") {
        return parse_hex_float(s);
    }
    if s.contains('_') {
        return None;
    }
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    s.parse::<f64>().ok()
}

fn parse_hex_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let body = body.get(2..)?.replace('_', "");
    let (mant, exp) = match body.find(['p', 'P']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i32>().ok()?),
        None => (body.as_str(), 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    let v = v * 2f64.powi(exp);
    Some(if neg { -v } else { v })
}

/// Go's float64 → int64 conversion as amd64 does it: truncation, and 0x8000000000000000 for NaN
/// and out-of-range values.
pub(crate) fn go_float_to_int(f: f64) -> i64 {
    if f.is_nan() || f >= 9.223_372_036_854_775_807e18 || f < -9.223_372_036_854_775_808e18 {
        i64::MIN
    } else {
        f as i64
    }
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
        assert_eq!(to_int64(&Value::str("abc")), 0);
        assert_eq!(to_int64(&Value::Float(3.9)), 3);
        assert_eq!(to_int64(&Value::Float(-3.9)), -3);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
        assert_eq!(to_int64(&Value::Nil), 0);
    }

    #[test]
    fn strval_prints_like_sprintf_v() {
        assert_eq!(strval(&Value::Nil), "<nil>");
        assert_eq!(strval(&Value::str("x")), "x");
    }
}
