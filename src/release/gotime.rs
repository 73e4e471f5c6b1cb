//! The few `time.Time` behaviours Helm's release records and CLI depend on (Go's time/format.go):
//! `MarshalJSON` (RFC 3339 with nanoseconds, trailing zeros dropped), `UnmarshalJSON` (strict
//! RFC 3339), `Format(time.ANSIC)`, `Format(time.RFC3339)`, `Time.String()`, `Unix()` and the
//! zero time (January 1, year 1, UTC).
//!
//! Times are [`Timestamp`]s: Unix seconds, nanoseconds, a UTC offset and the zone name Go would
//! print (`UTC`, `CET`; empty for a fixed offset parsed from text, which Go prints as `+0100`).

use std::rc::Rc;

use crate::engine::Timestamp;

/// Seconds from January 1, year 1 to the Unix epoch.
const UNIX_TO_INTERNAL: i64 = 62_135_596_800;

/// Go's zero `time.Time` (`0001-01-01T00:00:00Z`).
pub fn zero() -> Timestamp {
    Timestamp::utc(-UNIX_TO_INTERNAL, 0)
}

/// `t.IsZero()`.
pub fn is_zero(t: &Timestamp) -> bool {
    t.secs == -UNIX_TO_INTERNAL && t.nanos == 0
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month 1-12, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// The wall clock of `t` in its own zone.
struct Wall {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    weekday: usize,
}

fn wall(t: &Timestamp) -> Wall {
    let local = t.secs.saturating_add(i64::from(t.offset));
    let days = local.div_euclid(86_400);
    let rem = local.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Wall {
        year,
        month,
        day,
        hour: rem / 3600,
        min: rem / 60 % 60,
        sec: rem % 60,
        // 1970-01-01 was a Thursday
        weekday: (days + 4).rem_euclid(7) as usize,
    }
}

fn year_str(y: i64) -> String {
    if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else {
        y.to_string()
    }
}

/// `.999999999`: the fraction without trailing zeros, nothing when zero.
fn frac_trimmed(nanos: u32) -> String {
    if nanos == 0 {
        return String::new();
    }
    let s = format!(".{nanos:09}");
    s.trim_end_matches('0').to_string()
}

/// `Z07:00`: `Z` for UTC, else `+hh:mm`.
fn offset_colon(offset: i32) -> String {
    if offset == 0 {
        return "Z".into();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let o = offset.unsigned_abs();
    format!("{sign}{:02}:{:02}", o / 3600, o / 60 % 60)
}

/// `-0700`.
fn offset_plain(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let o = offset.unsigned_abs();
    format!("{sign}{:02}{:02}", o / 3600, o / 60 % 60)
}

fn date_time(t: &Timestamp, sep: char) -> String {
    let w = wall(t);
    format!(
        "{}-{:02}-{:02}{sep}{:02}:{:02}:{:02}",
        year_str(w.year),
        w.month,
        w.day,
        w.hour,
        w.min,
        w.sec
    )
}

/// `t.Format(time.RFC3339Nano)`, which is what `t.MarshalJSON()` writes (without the quotes).
pub fn rfc3339_nano(t: &Timestamp) -> String {
    format!(
        "{}{}{}",
        date_time(t, 'T'),
        frac_trimmed(t.nanos),
        offset_colon(t.offset)
    )
}

/// `t.Format(time.RFC3339)`.
pub fn rfc3339(t: &Timestamp) -> String {
    format!("{}{}", date_time(t, 'T'), offset_colon(t.offset))
}

/// `t.Format(time.ANSIC)`: `Mon Jan _2 15:04:05 2006`.
pub fn ansic(t: &Timestamp) -> String {
    let w = wall(t);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        DAYS[w.weekday],
        MONTHS[(w.month - 1).clamp(0, 11) as usize],
        w.day,
        w.hour,
        w.min,
        w.sec,
        year_str(w.year)
    )
}

/// `t.String()` for a time without a monotonic reading:
/// `2006-01-02 15:04:05.999999999 -0700 MST` (a nameless zone prints its offset as the name).
pub fn go_string(t: &Timestamp) -> String {
    let zone = if t.zone.is_empty() {
        offset_plain(t.offset)
    } else {
        t.zone.to_string()
    };
    format!(
        "{}{} {} {}",
        date_time(t, ' '),
        frac_trimmed(t.nanos),
        offset_plain(t.offset),
        zone
    )
}

/// `t.Format(layout)` for any Go layout (`helm list --time-format`).
pub fn format_layout(t: &Timestamp, layout: &str) -> String {
    crate::sprig::date::Time::now(t).format(layout)
}

/// `t.Unix()`.
pub fn unix(t: &Timestamp) -> i64 {
    t.secs
}

/// The zone a parsed offset belongs to: Go gives the local zone when the offset matches it,
/// else a nameless fixed zone.
#[derive(Clone, Debug, Default)]
pub struct LocalZone {
    pub offset: i32,
    pub name: Rc<str>,
}

impl LocalZone {
    /// UTC as the local zone (what a server, or the playground by default, runs in).
    pub fn utc() -> LocalZone {
        LocalZone {
            offset: 0,
            name: Rc::from("UTC"),
        }
    }

    /// The zone of a clock reading.
    pub fn of(t: &Timestamp) -> LocalZone {
        LocalZone {
            offset: t.offset,
            name: t.zone.clone(),
        }
    }
}

fn digits(b: &[u8], from: usize, n: usize) -> Option<i64> {
    let part = b.get(from..from + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        part.iter()
            .fold(0i64, |acc, c| acc * 10 + i64::from(c - b'0')),
    )
}

/// `time.Time.UnmarshalJSON`'s strict RFC 3339 parse of the text between the quotes. The error is
/// Go's (`parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`), reduced
/// to the common shape.
pub fn parse_rfc3339(s: &str, local: &LocalZone) -> Result<Timestamp, String> {
    let bad = || {
        format!(
            "parsing time {} as \"2006-01-02T15:04:05Z07:00\": cannot parse {} as \"2006\"",
            go_quote(s),
            go_quote(s)
        )
    };
    let b = s.as_bytes();
    if b.len() < 20 {
        return Err(bad());
    }
    let (year, month, day) = (
        digits(b, 0, 4).ok_or_else(bad)?,
        digits(b, 5, 2).ok_or_else(bad)?,
        digits(b, 8, 2).ok_or_else(bad)?,
    );
    let (hour, min, sec) = (
        digits(b, 11, 2).ok_or_else(bad)?,
        digits(b, 14, 2).ok_or_else(bad)?,
        digits(b, 17, 2).ok_or_else(bad)?,
    );
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' {
        return Err(bad());
    }
    if b[16] != b':' {
        return Err(bad());
    }
    let range_err = |what: &str| format!("parsing time {}: {what} out of range", go_quote(s));
    if !(1..=12).contains(&month) {
        return Err(range_err("month"));
    }
    let dim = match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > dim {
        return Err(range_err("day"));
    }
    if hour > 23 {
        return Err(range_err("hour"));
    }
    if min > 59 {
        return Err(range_err("minute"));
    }
    if sec > 59 {
        return Err(range_err("second"));
    }
    let mut i = 19;
    let mut nanos: u32 = 0;
    if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let n = i - start;
        if n == 0 || n > 9 {
            return Err(bad());
        }
        let mut v: u32 = 0;
        for c in &b[start..i] {
            v = v * 10 + u32::from(c - b'0');
        }
        nanos = v * 10u32.pow((9 - n) as u32);
    }
    let rest = &s[i..];
    let offset: i32 = match rest {
        "Z" | "z" => 0,
        _ => {
            let rb = rest.as_bytes();
            if rb.len() != 6 || !matches!(rb[0], b'+' | b'-') || rb[3] != b':' {
                return Err(bad());
            }
            let h = digits(rb, 1, 2).ok_or_else(bad)?;
            let m = digits(rb, 4, 2).ok_or_else(bad)?;
            if h > 23 || m > 59 {
                return Err(format!(
                    "parsing time {}: time zone offset out of range",
                    go_quote(s)
                ));
            }
            let o = (h * 3600 + m * 60) as i32;
            if rb[0] == b'-' {
                -o
            } else {
                o
            }
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + min * 60 + sec - i64::from(offset);
    let zone: Rc<str> = if rest == "Z" || rest == "z" {
        Rc::from("UTC")
    } else if offset == local.offset {
        local.name.clone()
    } else {
        Rc::from("")
    };
    Ok(Timestamp {
        secs,
        nanos,
        offset,
        zone,
    })
}

/// Go's `strconv.Quote` for the ASCII texts in time errors.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        parse_rfc3339(s, &LocalZone::utc()).unwrap()
    }

    #[test]
    fn json_times_round_trip_like_go() {
        // values from the release fixtures (Helm's own json.Marshal output)
        for s in [
            "2026-11-24T07:26:37.109529706Z",
            "2026-11-24T07:24:20.01813749Z",
            "2026-11-24T07:26:13.894342157Z",
            "0001-01-01T00:00:00Z",
            "1977-09-02T22:04:05Z",
            "2016-01-16T00:00:00Z",
        ] {
            assert_eq!(rfc3339_nano(&ts(s)), s);
        }
        assert!(is_zero(&ts("0001-01-01T00:00:00Z")));
        assert_eq!(rfc3339_nano(&zero()), "0001-01-01T00:00:00Z");
        assert_eq!(ts("2026-11-24T07:26:37.109529706Z").secs, 1_795_505_197);
    }

    #[test]
    fn cli_layouts() {
        // helm-golden: history/status print ANSIC, list prints Time.String()
        assert_eq!(
            ansic(&ts("1977-09-02T22:04:05Z")),
            "Fri Sep  2 22:04:05 1977"
        );
        assert_eq!(
            ansic(&ts("2016-01-16T00:00:00Z")),
            "Sat Jan 16 00:00:00 2016"
        );
        assert_eq!(
            ansic(&ts("2006-01-02T15:04:05Z")),
            "Mon Jan  2 15:04:05 2006"
        );
        assert_eq!(
            go_string(&ts("2016-01-16T00:00:01Z")),
            "2016-01-16 00:00:01 +0000 UTC"
        );
        assert_eq!(
            go_string(&ts("2026-11-24T07:26:37.109529706Z")),
            "2026-11-24 07:26:37.109529706 +0000 UTC"
        );
        assert_eq!(
            rfc3339(&ts("2026-11-24T07:26:37.109529706Z")),
            "2026-11-24T07:26:37Z"
        );
    }

    #[test]
    fn offsets_and_zones() {
        let local = LocalZone {
            offset: 3600,
            name: Rc::from("CET"),
        };
        let t = parse_rfc3339("2026-01-05T10:00:00.5+01:00", &local).unwrap();
        assert_eq!(&*t.zone, "CET");
        assert_eq!(rfc3339_nano(&t), "2026-01-05T10:00:00.5+01:00");
        assert_eq!(go_string(&t), "2026-01-05 10:00:00.5 +0100 CET");
        let f = parse_rfc3339("2026-01-05T10:00:00-05:30", &local).unwrap();
        assert_eq!(go_string(&f), "2026-01-05 10:00:00 -0530 -0530");
        assert_eq!(ansic(&f), "Mon Jan  5 10:00:00 2026");
    }

    #[test]
    fn bad_times() {
        assert!(parse_rfc3339("", &LocalZone::utc()).is_err());
        assert!(parse_rfc3339("2026-13-01T00:00:00Z", &LocalZone::utc()).is_err());
        assert!(parse_rfc3339("2026-02-30T00:00:00Z", &LocalZone::utc()).is_err());
        assert!(parse_rfc3339("2026-01-01 00:00:00Z", &LocalZone::utc()).is_err());
        assert!(parse_rfc3339("2026-01-01T00:00:00.Z", &LocalZone::utc()).is_err());
        assert!(parse_rfc3339("2026-01-01T00:00:00+0100", &LocalZone::utc()).is_err());
    }
}
