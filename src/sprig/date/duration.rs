//! Go's `time.Duration`: `String`, `ParseDuration`, `Round`, `Truncate` (time/time.go, format.go).
//!
//! A duration is an `i64` count of nanoseconds; arithmetic wraps like Go's.

pub(crate) const NANOSECOND: i64 = 1;
pub(crate) const MICROSECOND: i64 = 1_000;
pub(crate) const MILLISECOND: i64 = 1_000_000;
pub(crate) const SECOND: i64 = 1_000_000_000;
pub(crate) const MINUTE: i64 = 60 * SECOND;
pub(crate) const HOUR: i64 = 60 * MINUTE;

pub(crate) const MIN_DURATION: i64 = i64::MIN;
pub(crate) const MAX_DURATION: i64 = i64::MAX;

/// `Duration.String`: `1h2m3.5s`, `1.5ms`, `0s`.
pub(crate) fn format_duration(d: i64) -> String {
    let mut buf = [0u8; 32];
    let mut w = buf.len();
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    if u < SECOND as u64 {
        w -= 1;
        buf[w] = b's';
        w -= 1;
        let prec;
        if u == 0 {
            buf[w] = b'0';
            return String::from_utf8_lossy(&buf[w..]).into_owned();
        } else if u < MICROSECOND as u64 {
            prec = 0;
            buf[w] = b'n';
        } else if u < MILLISECOND as u64 {
            prec = 3;
            // U+00B5 micro sign, two bytes
            w -= 1;
            buf[w] = 0xC2;
            buf[w + 1] = 0xB5;
        } else {
            prec = 6;
            buf[w] = b'm';
        }
        let (nw, nu) = fmt_frac(&mut buf[..w], u, prec);
        w = fmt_int(&mut buf[..nw], nu);
    } else {
        w -= 1;
        buf[w] = b's';
        let (nw, nu) = fmt_frac(&mut buf[..w], u, 9);
        u = nu;
        w = fmt_int(&mut buf[..nw], u % 60);
        u /= 60;
        if u > 0 {
            w -= 1;
            buf[w] = b'm';
            w = fmt_int(&mut buf[..w], u % 60);
            u /= 60;
            if u > 0 {
                w -= 1;
                buf[w] = b'h';
                w = fmt_int(&mut buf[..w], u);
            }
        }
    }
    if neg {
        w -= 1;
        buf[w] = b'-';
    }
    String::from_utf8_lossy(&buf[w..]).into_owned()
}

/// The fraction of `v / 10^prec` written into the tail of `buf` without trailing zeros (and
/// without the point when the fraction is 0); returns the start index and `v / 10^prec`.
fn fmt_frac(buf: &mut [u8], mut v: u64, prec: usize) -> (usize, u64) {
    let mut w = buf.len();
    let mut print = false;
    for _ in 0..prec {
        let digit = (v % 10) as u8;
        print = print || digit != 0;
        if print {
            w -= 1;
            buf[w] = digit + b'0';
        }
        v /= 10;
    }
    if print {
        w -= 1;
        buf[w] = b'.';
    }
    (w, v)
}

fn fmt_int(buf: &mut [u8], mut v: u64) -> usize {
    let mut w = buf.len();
    if v == 0 {
        w -= 1;
        buf[w] = b'0';
    } else {
        while v > 0 {
            w -= 1;
            buf[w] = (v % 10) as u8 + b'0';
            v /= 10;
        }
    }
    w
}

/// Go's time-package `quote` (used in time's error messages): ASCII printable characters as
/// they are (with `"` and `\` escaped), every byte of other characters as `\xNN`.
pub(crate) fn time_quote(s: impl AsRef<[u8]>) -> String {
    use std::fmt::Write;
    let s = s.as_ref();
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            if (c as u32) >= 0x80 || c < ' ' {
                let mut b = [0u8; 4];
                for byte in c.encode_utf8(&mut b).bytes() {
                    let _ = write!(out, "\\x{byte:02x}");
                }
            } else {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out.push('"');
    out
}

/// `time.ParseDuration`: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` with Go's exact error texts.
pub(crate) fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", time_quote(orig));
    let mut s = orig.as_bytes();
    let mut d: u64 = 0;
    let mut neg = false;
    if let Some(&c) = s.first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = &s[1..];
        }
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    while !s.is_empty() {
        if !(s[0] == b'.' || s[0].is_ascii_digit()) {
            return Err(invalid());
        }
        let pl = s.len();
        let (mut v, rest) = leading_int(s).ok_or_else(invalid)?;
        s = rest;
        let pre = pl != s.len();
        let mut post = false;
        let mut f: u64 = 0;
        let mut scale: f64 = 1.0;
        if s.first() == Some(&b'.') {
            s = &s[1..];
            let pl = s.len();
            let (ff, sc, rest) = leading_fraction(s);
            f = ff;
            scale = sc;
            s = rest;
            post = pl != s.len();
        }
        if !pre && !post {
            return Err(invalid());
        }
        let i = s
            .iter()
            .position(|&c| c == b'.' || c.is_ascii_digit())
            .unwrap_or(s.len());
        if i == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                time_quote(orig)
            ));
        }
        let u = &s[..i];
        s = &s[i..];
        let unit: u64 = match u {
            b"ns" => NANOSECOND as u64,
            b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => MICROSECOND as u64,
            b"ms" => MILLISECOND as u64,
            b"s" => SECOND as u64,
            b"m" => MINUTE as u64,
            b"h" => HOUR as u64,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    time_quote(u),
                    time_quote(orig)
                ))
            }
        };
        if v > (1u64 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v = v.wrapping_add((f as f64 * (unit as f64 / scale)) as u64);
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        d = d.wrapping_add(v);
        if d > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > (1u64 << 63) - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// `leadingInt`: the leading `[0-9]*` (None on overflow past 1<<63).
pub(crate) fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if !c.is_ascii_digit() {
            break;
        }
        if x > (1u64 << 63) / 10 {
            return None;
        }
        x = x * 10 + (c - b'0') as u64;
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// `leadingFraction`: digits after the point, stopping accumulation (not failing) on overflow.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let mut i = 0;
    let mut x: u64 = 0;
    let mut scale = 1.0;
    let mut overflow = false;
    while i < s.len() {
        let c = s[i];
        if !c.is_ascii_digit() {
            break;
        }
        i += 1;
        if overflow {
            continue;
        }
        if x > ((1u64 << 63) - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + (c - b'0') as u64;
        if y > 1 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[i..])
}

fn less_than_half(x: i64, y: i64) -> bool {
    (x as u64).wrapping_add(x as u64) < y as u64
}

/// `Duration.Round(m)`: halfway values round away from zero; saturates on overflow.
pub(crate) fn round_duration(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let mut r = d % m;
    if d < 0 {
        r = -r;
        if less_than_half(r, m) {
            return d + r;
        }
        let d1 = d.wrapping_sub(m).wrapping_add(r);
        if d1 < d {
            return d1;
        }
        return MIN_DURATION;
    }
    if less_than_half(r, m) {
        return d - r;
    }
    let d1 = d.wrapping_add(m).wrapping_sub(r);
    if d1 > d {
        return d1;
    }
    MAX_DURATION
}

/// `Duration.Truncate(m)`: rounds toward zero.
pub(crate) fn truncate_duration(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    d - d % m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(95 * SECOND), "1m35s");
        assert_eq!(format_duration(3600 * SECOND), "1h0m0s");
        assert_eq!(format_duration(-61 * SECOND), "-1m1s");
        assert_eq!(format_duration(1500 * MILLISECOND), "1.5s");
        assert_eq!(format_duration(1500 * MICROSECOND), "1.5ms");
        assert_eq!(format_duration(39058), "39.058µs");
        assert_eq!(format_duration(7), "7ns");
        assert_eq!(format_duration(8760 * HOUR), "8760h0m0s");
        assert_eq!(format_duration(i64::MAX), "2562047h47m16.854775807s");
        assert_eq!(format_duration(i64::MIN), "-2562047h47m16.854775808s");
    }

    #[test]
    fn parses_like_go() {
        assert_eq!(parse_duration("+1h30m"), Ok(90 * MINUTE));
        assert_eq!(parse_duration("-48h"), Ok(-48 * HOUR));
        assert_eq!(parse_duration("1.5s"), Ok(1500 * MILLISECOND));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("-0"), Ok(0));
        assert_eq!(parse_duration("1µs"), Ok(1000));
        assert_eq!(parse_duration(".5m"), Ok(30 * SECOND));
        assert_eq!(
            parse_duration("bad"),
            Err("time: invalid duration \"bad\"".into())
        );
        assert_eq!(
            parse_duration("1d"),
            Err("time: unknown unit \"d\" in duration \"1d\"".into())
        );
        assert_eq!(
            parse_duration("10"),
            Err("time: missing unit in duration \"10\"".into())
        );
        assert_eq!(
            parse_duration(""),
            Err("time: invalid duration \"\"".into())
        );
        assert_eq!(
            parse_duration("."),
            Err("time: invalid duration \".\"".into())
        );
        assert_eq!(
            parse_duration("9999999999h"),
            Err("time: invalid duration \"9999999999h\"".into())
        );
        assert_eq!(parse_duration("-9223372036854775808ns"), Ok(i64::MIN));
        assert_eq!(
            parse_duration("9223372036854775808ns"),
            Err("time: invalid duration \"9223372036854775808ns\"".into())
        );
        assert_eq!(
            parse_duration("1ü"),
            Err("time: unknown unit \"\\xc3\\xbc\" in duration \"1\\xc3\\xbc\"".into())
        );
    }

    #[test]
    fn rounds_like_go() {
        assert_eq!(round_duration(1500 * MILLISECOND, SECOND), 2 * SECOND);
        assert_eq!(round_duration(-1500 * MILLISECOND, SECOND), -2 * SECOND);
        assert_eq!(round_duration(1499 * MILLISECOND, SECOND), SECOND);
        assert_eq!(round_duration(i64::MAX, SECOND), i64::MAX);
        assert_eq!(truncate_duration(1999 * MILLISECOND, SECOND), SECOND);
    }
}
