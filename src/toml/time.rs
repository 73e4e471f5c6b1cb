//! TOML datetimes as Go `time.Time` values (what BurntSushi/toml decodes them into).
//!
//! Parsing is `time.ParseInLocation` with the decoder's seven layouts plus its leading-zero
//! check; the value keeps its wall-clock fields and zone, as Go's `time.Time` does, so it prints
//! like Go (`1979-05-27 07:32:00 +0000 UTC`), marshals to JSON as RFC 3339 with nanoseconds
//! (`"1979-05-27T07:32:00Z"`), and re-encodes to TOML in its own form (local dates stay dates).
//! The process's local zone is taken to be UTC (the usual container setting), so an offset of
//! `+00:00` reads as UTC, as it does for Helm there.

use std::any::Any;

use crate::engine::value::Kind;
use crate::engine::{Object, Value};

/// Which TOML datetime form the value came from (BurntSushi's `internal.Local*` zones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeKind {
    /// Offset datetime (zone UTC or a fixed offset).
    Offset,
    LocalDatetime,
    LocalDate,
    LocalTime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TomlTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub nsec: u32,
    /// Seconds east of UTC.
    pub offset: i32,
    /// The zone name Go prints (`UTC`, `datetime-local`, or empty for a bare offset).
    pub zone: String,
    pub kind: TimeKind,
    /// The text said `Z` (Go's parser then uses UTC; a numeric offset may use `Local`).
    pub zulu: bool,
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

/// Go's `getnum(s, fixed)`.
fn getnum(b: &[u8], i: &mut usize, fixed: bool) -> Option<u32> {
    let d0 = *b.get(*i)?;
    if !d0.is_ascii_digit() {
        return None;
    }
    match b.get(*i + 1) {
        Some(d1) if d1.is_ascii_digit() => {
            *i += 2;
            Some((d0 - b'0') as u32 * 10 + (d1 - b'0') as u32)
        }
        _ => {
            if fixed {
                return None;
            }
            *i += 1;
            Some((d0 - b'0') as u32)
        }
    }
}

#[derive(Clone, Copy)]
enum Tok {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Frac,
    Zone,
    Lit(u8),
}

struct Parsed {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    min: u32,
    sec: u32,
    nsec: u32,
    zone: Option<i32>,
    zulu: bool,
}

/// A subset of Go's `time.Parse` for the layouts BurntSushi/toml uses.
fn go_parse(layout: &[Tok], s: &str) -> Option<Parsed> {
    let b = s.as_bytes();
    let mut i = 0usize;
    let mut p = Parsed {
        year: 0,
        month: 1,
        day: 1,
        hour: 0,
        min: 0,
        sec: 0,
        nsec: 0,
        zone: None,
        zulu: false,
    };
    let mut have_month = false;
    let mut have_day = false;
    for tok in layout {
        match *tok {
            Tok::Lit(c) => {
                if b.get(i) != Some(&c) {
                    return None;
                }
                i += 1;
            }
            Tok::Year => {
                let d = b.get(i..i + 4)?;
                if !d[0].is_ascii_digit() || !d.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                p.year = d.iter().fold(0i64, |a, &c| a * 10 + (c - b'0') as i64);
                i += 4;
            }
            Tok::Month => {
                p.month = getnum(b, &mut i, true)?;
                if !(1..=12).contains(&p.month) {
                    return None;
                }
                have_month = true;
            }
            Tok::Day => {
                p.day = getnum(b, &mut i, true)?;
                have_day = true;
            }
            Tok::Hour => {
                p.hour = getnum(b, &mut i, false)?;
                if p.hour >= 24 {
                    return None;
                }
            }
            Tok::Minute => {
                p.min = getnum(b, &mut i, true)?;
                if p.min >= 60 {
                    return None;
                }
            }
            Tok::Second => {
                p.sec = getnum(b, &mut i, true)?;
                if p.sec >= 60 {
                    return None;
                }
            }
            Tok::Frac => {
                if matches!(b.get(i), Some(b'.' | b','))
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                {
                    let start = i + 1;
                    let mut j = start;
                    while b.get(j).is_some_and(u8::is_ascii_digit) {
                        j += 1;
                    }
                    let digits = &b[start..j.min(start + 9)];
                    let mut ns: u32 = 0;
                    for k in 0..9 {
                        ns = ns * 10 + digits.get(k).map_or(0, |&c| (c - b'0') as u32);
                    }
                    p.nsec = ns;
                    i = j;
                }
            }
            Tok::Zone => {
                if b.get(i) == Some(&b'Z') {
                    i += 1;
                    p.zone = Some(0);
                    p.zulu = true;
                } else {
                    let z = b.get(i..i + 6)?;
                    if z[3] != b':' || !matches!(z[0], b'+' | b'-') {
                        return None;
                    }
                    let two = |x: &[u8]| -> Option<i32> {
                        (x[0].is_ascii_digit() && x[1].is_ascii_digit())
                            .then(|| (x[0] - b'0') as i32 * 10 + (x[1] - b'0') as i32)
                    };
                    let hh = two(&z[1..3])?;
                    let mm = two(&z[4..6])?;
                    if hh > 24 || mm > 60 {
                        return None;
                    }
                    let mut off = (hh * 60 + mm) * 60;
                    if z[0] == b'-' {
                        off = -off;
                    }
                    p.zone = Some(off);
                    i += 6;
                }
            }
        }
    }
    if i != b.len() {
        return None;
    }
    let _ = have_month;
    let _ = have_day;
    if p.day < 1 || p.day > days_in(p.month, p.year) {
        return None;
    }
    Some(p)
}

/// BurntSushi's `missingLeadingZero(d, l)`.
fn missing_leading_zero(d: &str, l: &str) -> bool {
    let db = d.as_bytes();
    for (i, &c) in l.as_bytes().iter().enumerate() {
        if c == b'.' || c == b'Z' {
            return false;
        }
        if !c.is_ascii_digit() && db.get(i) != Some(&c) {
            return true;
        }
    }
    false
}

/// The decoder's `valueDatetime` after its `z`/`t`/space replacement: the time, or `None` for
/// `invalid datetime`.
pub fn parse_datetime(s: &str) -> Option<TomlTime> {
    use Tok::*;
    const DATE: [Tok; 5] = [Year, Lit(b'-'), Month, Lit(b'-'), Day];
    let rfc3339: Vec<Tok> = [
        &DATE[..],
        &[
            Lit(b'T'),
            Hour,
            Lit(b':'),
            Minute,
            Lit(b':'),
            Second,
            Frac,
            Zone,
        ],
    ]
    .concat();
    let local_dt: Vec<Tok> = [
        &DATE[..],
        &[Lit(b'T'), Hour, Lit(b':'), Minute, Lit(b':'), Second, Frac],
    ]
    .concat();
    let local_t: Vec<Tok> = vec![Hour, Lit(b':'), Minute, Lit(b':'), Second, Frac];
    let rfc_min: Vec<Tok> = [&DATE[..], &[Lit(b'T'), Hour, Lit(b':'), Minute, Zone]].concat();
    let local_dt_min: Vec<Tok> = [&DATE[..], &[Lit(b'T'), Hour, Lit(b':'), Minute]].concat();
    let local_t_min: Vec<Tok> = vec![Hour, Lit(b':'), Minute];
    let layouts: [(&[Tok], &str, TimeKind); 7] = [
        (
            &rfc3339,
            "2006-01-02T15:04:05.999999999Z07:00",
            TimeKind::Offset,
        ),
        (
            &local_dt,
            "2006-01-02T15:04:05.999999999",
            TimeKind::LocalDatetime,
        ),
        (&DATE, "2006-01-02", TimeKind::LocalDate),
        (&local_t, "15:04:05.999999999", TimeKind::LocalTime),
        (&rfc_min, "2006-01-02T15:04Z07:00", TimeKind::Offset),
        (&local_dt_min, "2006-01-02T15:04", TimeKind::LocalDatetime),
        (&local_t_min, "15:04", TimeKind::LocalTime),
    ];
    for (layout, text, kind) in layouts {
        if let Some(p) = go_parse(layout, s) {
            if missing_leading_zero(s, text) {
                return None;
            }
            let (offset, zone) = match kind {
                TimeKind::Offset => {
                    let off = p.zone.unwrap_or(0);
                    (
                        off,
                        if off == 0 {
                            "UTC".to_string()
                        } else {
                            String::new()
                        },
                    )
                }
                TimeKind::LocalDatetime => (0, "datetime-local".into()),
                TimeKind::LocalDate => (0, "date-local".into()),
                TimeKind::LocalTime => (0, "time-local".into()),
            };
            return Some(TomlTime {
                year: p.year,
                month: p.month,
                day: p.day,
                hour: p.hour,
                min: p.min,
                sec: p.sec,
                nsec: p.nsec,
                offset,
                zone,
                kind,
                zulu: p.zulu,
            });
        }
    }
    None
}

impl TomlTime {
    fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn clock(&self) -> String {
        let mut s = format!("{:02}:{:02}:{:02}", self.hour, self.min, self.sec);
        if self.nsec != 0 {
            let frac = format!("{:09}", self.nsec);
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        s
    }

    fn offset_colon(&self) -> String {
        if self.offset == 0 {
            return "Z".into();
        }
        let (sign, o) = if self.offset < 0 {
            ('-', -self.offset)
        } else {
            ('+', self.offset)
        };
        format!("{sign}{:02}:{:02}", o / 3600, (o / 60) % 60)
    }

    /// `Format(time.RFC3339Nano)`.
    pub fn rfc3339_nano(&self) -> String {
        format!("{}T{}{}", self.date(), self.clock(), self.offset_colon())
    }

    /// How BurntSushi/toml's encoder writes the value.
    pub fn toml_text(&self) -> String {
        match self.kind {
            TimeKind::Offset => self.rfc3339_nano(),
            TimeKind::LocalDatetime => format!("{}T{}", self.date(), self.clock()),
            TimeKind::LocalDate => self.date(),
            TimeKind::LocalTime => self.clock(),
        }
    }

    /// `time.Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
    pub fn go_string(&self) -> String {
        let (sign, o) = if self.offset < 0 {
            ('-', -self.offset)
        } else {
            ('+', self.offset)
        };
        let num = format!("{sign}{:02}{:02}", o / 3600, (o / 60) % 60);
        let zone = if self.zone.is_empty() {
            num.clone()
        } else {
            self.zone.clone()
        };
        format!("{} {} {} {}", self.date(), self.clock(), num, zone)
    }
}

impl Object for TomlTime {
    fn type_name(&self) -> &str {
        "time.Time"
    }
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    fn write_v(&self, out: &mut String, _plus: bool) {
        out.push_str(&self.go_string());
    }
    /// `time.Time.MarshalJSON`: the RFC 3339 text.
    fn marshal(&self) -> Option<Value> {
        Some(Value::string(self.rfc3339_nano()))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_parse_like_go() {
        let t = parse_datetime("1979-05-27T07:32:00Z").unwrap();
        assert_eq!(t.rfc3339_nano(), "1979-05-27T07:32:00Z");
        assert_eq!(t.go_string(), "1979-05-27 07:32:00 +0000 UTC");
        let t = parse_datetime("1979-05-27T00:32:00.999999-07:00").unwrap();
        assert_eq!(t.rfc3339_nano(), "1979-05-27T00:32:00.999999-07:00");
        assert_eq!(t.go_string(), "1979-05-27 00:32:00.999999 -0700 -0700");
        let t = parse_datetime("1979-05-27").unwrap();
        assert_eq!(t.toml_text(), "1979-05-27");
        assert_eq!(t.go_string(), "1979-05-27 00:00:00 +0000 date-local");
        let t = parse_datetime("07:32:00").unwrap();
        assert_eq!(t.rfc3339_nano(), "0000-01-01T07:32:00Z");
        assert!(parse_datetime("1979-05-27T7:32:00Z").is_none());
        assert!(parse_datetime("1979-02-30").is_none());
        assert!(parse_datetime("1979-05-27T07:32").is_some());
    }
}
