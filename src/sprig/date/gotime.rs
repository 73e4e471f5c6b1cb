//! Go's `time.Time` and `time.Location`: the proleptic Gregorian calendar, zone lookups,
//! `Date`, `Add`/`Sub`/`Round`, and layout-based `Format` and `Parse` (time/time.go, format.go).
//!
//! A [`Time`] keeps Go's internal representation: seconds since January 1 of year 1 (UTC),
//! nanoseconds, a location and an optional monotonic clock reading (only `now` has one, and it
//! shows in `%v` as ` m=+0.000000000`).

use std::rc::Rc;

use super::duration::{time_quote, MAX_DURATION, MIN_DURATION, SECOND};
use super::tz::{load_tzdata, TzData, ZoneInfo, ALPHA, OMEGA};
use crate::engine::Timestamp;

/// Seconds from January 1, year 1 to the Unix epoch (Go's `unixToInternal`).
pub(crate) const UNIX_TO_INTERNAL: i64 = 62_135_596_800;
/// Seconds from January 1, year 1 to January 1, 1885 (the base of Go's monotonic wall encoding).
const WALL_TO_INTERNAL: i64 = 59_453_308_800;

// ---------------------------------------------------------------------------------------------
// Calendar

pub(crate) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1-12) of `year`.
pub(crate) fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12; day may overflow).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y.wrapping_sub(1) } else { y };
    let era = if y >= 0 { y } else { y.wrapping_sub(399) } / 400;
    let yoe = y.wrapping_sub(era.wrapping_mul(400));
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d.wrapping_sub(1);
    let doe = (yoe * 365 + yoe / 4 - yoe / 100).wrapping_add(doy);
    era.wrapping_mul(146_097)
        .wrapping_add(doe)
        .wrapping_sub(719_468)
}

/// The (year, month, day) of a day number since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z.wrapping_add(719_468);
    let era = if z >= 0 { z } else { z.wrapping_sub(146_096) } / 146_097;
    let doe = z.wrapping_sub(era.wrapping_mul(146_097));
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe.wrapping_add(era.wrapping_mul(400));
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y.wrapping_add(1) } else { y }, m, d)
}

pub(crate) const LONG_DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub(crate) const LONG_MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `Month.String`: the English name, `%!Month(13)` out of range.
pub(crate) fn month_name(m: i64) -> String {
    if (1..=12).contains(&m) {
        LONG_MONTH_NAMES[(m - 1) as usize].to_string()
    } else {
        format!("%!Month({m})")
    }
}

/// `Weekday.String`.
pub(crate) fn weekday_name(d: i64) -> String {
    if (0..=6).contains(&d) {
        LONG_DAY_NAMES[d as usize].to_string()
    } else {
        format!("%!Weekday({d})")
    }
}

// ---------------------------------------------------------------------------------------------
// Location

/// A `*time.Location`: UTC, the machine's `Local`, a fixed zone or an IANA zone.
#[derive(Clone)]
pub(crate) struct Location(Rc<LocInner>);

struct LocInner {
    name: String,
    /// `None` is Go's `utcLoc` (no zones).
    data: Option<Rc<TzData>>,
    local: bool,
}

thread_local! {
    static UTC_LOC: Location = Location(Rc::new(LocInner { name: "UTC".into(), data: None, local: false }));
}

impl Location {
    /// `time.UTC`.
    pub(crate) fn utc() -> Location {
        UTC_LOC.with(Location::clone)
    }

    /// `time.Local` for a machine whose zone is the timestamp's (its offset and abbreviation).
    pub(crate) fn local(ts: &Timestamp) -> Location {
        Location(Rc::new(LocInner {
            name: "Local".into(),
            data: Some(Rc::new(TzData::fixed(&ts.zone, ts.offset))),
            local: true,
        }))
    }

    /// `time.FixedZone(name, offset)`.
    pub(crate) fn fixed(name: &str, offset: i32) -> Location {
        Location(Rc::new(LocInner {
            name: name.into(),
            data: Some(Rc::new(TzData::fixed(name, offset))),
            local: false,
        }))
    }

    /// `time.LoadLocation(name)` with `local` as `Local`: Go's errors on failure.
    pub(crate) fn load(name: &str, local: &Location) -> Result<Location, String> {
        if name.is_empty() || name == "UTC" {
            return Ok(Location::utc());
        }
        if name == "Local" {
            return Ok(local.clone());
        }
        if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
            return Err("time: invalid location name".into());
        }
        if name == "localtime" {
            // /usr/share/zoneinfo/localtime is the machine's own zone file
            return Ok(Location(Rc::new(LocInner {
                name: name.into(),
                data: local.0.data.clone(),
                local: false,
            })));
        }
        match load_tzdata(name) {
            Some(data) => Ok(Location(Rc::new(LocInner {
                name: name.into(),
                data: Some(data),
                local: false,
            }))),
            None => Err(format!("unknown time zone {name}")),
        }
    }

    /// `Location.String`.
    pub(crate) fn name(&self) -> &str {
        &self.0.name
    }

    pub(crate) fn is_utc(&self) -> bool {
        self.0.data.is_none()
    }

    pub(crate) fn is_local(&self) -> bool {
        self.0.local
    }

    /// `Location.lookup` at Unix second `sec`.
    pub(crate) fn lookup(&self, sec: i64) -> ZoneInfo {
        match &self.0.data {
            None => ZoneInfo {
                name: Rc::from("UTC"),
                offset: 0,
                start: ALPHA,
                end: OMEGA,
                is_dst: false,
            },
            Some(d) => d.lookup(sec),
        }
    }

    fn lookup_name(&self, name: &str, unix: i64) -> Option<i32> {
        self.0.data.as_ref().and_then(|d| d.lookup_name(name, unix))
    }
}

// ---------------------------------------------------------------------------------------------
// Time

/// A Go `time.Time`.
#[derive(Clone)]
pub(crate) struct Time {
    /// Seconds since January 1, year 1, 00:00:00 UTC.
    sec: i64,
    nsec: u32,
    loc: Location,
    /// Monotonic clock reading in nanoseconds, when the time came from `time.Now`.
    mono: Option<i64>,
    /// The machine's `Local` zone, for the `Local` method.
    local: Location,
}

/// Go's `norm`: moves multiples of `base` from `lo` into `hi` so that 0 <= lo < base.
fn norm(hi: i64, lo: i64, base: i64) -> (i64, i64) {
    let (mut hi, mut lo) = (hi, lo);
    if lo < 0 {
        let n = (lo.wrapping_neg().wrapping_sub(1)) / base + 1;
        hi = hi.wrapping_sub(n);
        lo = lo.wrapping_add(n.wrapping_mul(base));
    }
    if lo >= base {
        let n = lo / base;
        hi = hi.wrapping_add(n);
        lo = lo.wrapping_sub(n.wrapping_mul(base));
    }
    (hi, lo)
}

/// Calendar fields of a time in its zone.
pub(crate) struct Fields {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub yday: i64,
    pub weekday: i64,
    pub hour: i64,
    pub min: i64,
    pub sec: i64,
    pub zone: Rc<str>,
    pub offset: i32,
}

impl Time {
    /// The zero `time.Time` (January 1, year 1, 00:00:00 UTC).
    pub(crate) fn zero() -> Time {
        Time {
            sec: 0,
            nsec: 0,
            loc: Location::utc(),
            mono: None,
            local: Location::utc(),
        }
    }

    /// The same time, knowing `local` as the machine's zone (for `Local`).
    pub(crate) fn with_local(mut self, local: &Location) -> Time {
        self.local = local.clone();
        self
    }

    /// The machine's zone this time knows (`time.Local`).
    pub(crate) fn local_location(&self) -> &Location {
        &self.local
    }

    /// `time.Now()` for the injected clock: in `Local`, with a monotonic reading of 0 (Go shows
    /// the process's running time there; ChartLab has no process start, so it is zero).
    pub(crate) fn now(ts: &Timestamp) -> Time {
        let mut t = Time::unix(ts.secs, ts.nanos as i64, Location::local(ts));
        if (0..=(1i64 << 33) - 1).contains(&t.sec.wrapping_sub(WALL_TO_INTERNAL)) {
            t.mono = Some(0);
        }
        t
    }

    /// `time.Unix(sec, nsec)` in `loc`.
    pub(crate) fn unix(sec: i64, nsec: i64, loc: Location) -> Time {
        let (mut sec, mut nsec) = (sec, nsec);
        if !(0..1_000_000_000).contains(&nsec) {
            let n = nsec / 1_000_000_000;
            sec = sec.wrapping_add(n);
            nsec -= n * 1_000_000_000;
            if nsec < 0 {
                nsec += 1_000_000_000;
                sec = sec.wrapping_sub(1);
            }
        }
        Time {
            sec: sec.wrapping_add(UNIX_TO_INTERNAL),
            nsec: nsec as u32,
            local: if loc.is_local() {
                loc.clone()
            } else {
                Location::utc()
            },
            loc,
            mono: None,
        }
    }

    /// `time.Date(year, month, day, hour, min, sec, nsec, loc)` with Go's normalization.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn date(
        year: i64,
        month: i64,
        day: i64,
        hour: i64,
        min: i64,
        sec: i64,
        nsec: i64,
        loc: Location,
    ) -> Time {
        let (year, m) = norm(year, month.wrapping_sub(1), 12);
        let month = m + 1;
        let (sec, nsec) = norm(sec, nsec, 1_000_000_000);
        let (min, sec) = norm(min, sec, 60);
        let (hour, min) = norm(hour, min, 60);
        let (day, hour) = norm(day, hour, 24);
        let days = days_from_civil(year, month, 1).wrapping_add(day.wrapping_sub(1));
        let mut unix = days.wrapping_mul(86_400).wrapping_add(
            hour.wrapping_mul(3600)
                .wrapping_add(min.wrapping_mul(60))
                .wrapping_add(sec),
        );
        let info = loc.lookup(unix);
        if info.offset != 0 {
            let utc = unix.wrapping_sub(info.offset as i64);
            let offset = if utc < info.start || utc >= info.end {
                loc.lookup(utc).offset
            } else {
                info.offset
            };
            unix = unix.wrapping_sub(offset as i64);
        }
        Time {
            sec: unix.wrapping_add(UNIX_TO_INTERNAL),
            nsec: nsec as u32,
            local: if loc.is_local() {
                loc.clone()
            } else {
                Location::utc()
            },
            loc,
            mono: None,
        }
    }

    pub(crate) fn location(&self) -> &Location {
        &self.loc
    }

    /// Seconds since the Unix epoch (`Unix`).
    pub(crate) fn unix_sec(&self) -> i64 {
        self.sec.wrapping_sub(UNIX_TO_INTERNAL)
    }

    pub(crate) fn nanosecond(&self) -> u32 {
        self.nsec
    }

    pub(crate) fn unix_milli(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000)
            .wrapping_add(self.nsec as i64 / 1_000_000)
    }

    pub(crate) fn unix_micro(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000_000)
            .wrapping_add(self.nsec as i64 / 1_000)
    }

    pub(crate) fn unix_nano(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000_000_000)
            .wrapping_add(self.nsec as i64)
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.sec == 0 && self.nsec == 0
    }

    /// The zone in effect at this instant in this time's location.
    pub(crate) fn zone(&self) -> ZoneInfo {
        self.loc.lookup(self.unix_sec())
    }

    /// Year, month, day, clock, weekday and year day in this time's zone.
    pub(crate) fn fields(&self) -> Fields {
        let info = self.zone();
        let local = self.unix_sec().wrapping_add(info.offset as i64);
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Fields {
            year,
            month,
            day,
            yday: days.wrapping_sub(days_from_civil(year, 1, 1)) + 1,
            weekday: (days.rem_euclid(7) + 4) % 7,
            hour: sod / 3600,
            min: sod % 3600 / 60,
            sec: sod % 60,
            zone: info.name,
            offset: info.offset,
        }
    }

    /// `t.In(loc)` (drops the monotonic reading, like Go).
    pub(crate) fn in_location(&self, loc: Location) -> Time {
        Time {
            sec: self.sec,
            nsec: self.nsec,
            loc,
            mono: None,
            local: self.local.clone(),
        }
    }

    fn add_sec(&mut self, d: i64) {
        if self.mono.is_some() {
            let wall = self.sec.wrapping_sub(WALL_TO_INTERNAL).wrapping_add(d);
            if !(0..=(1i64 << 33) - 1).contains(&wall) {
                self.mono = None;
            }
        }
        let sum = self.sec.wrapping_add(d);
        self.sec = if (sum > self.sec) == (d > 0) {
            sum
        } else if d > 0 {
            i64::MAX
        } else {
            -i64::MAX
        };
    }

    /// `t.Add(d)`.
    pub(crate) fn add(&self, d: i64) -> Time {
        let mut t = self.clone();
        let mut dsec = d / 1_000_000_000;
        let mut nsec = t.nsec as i64 + d % 1_000_000_000;
        if nsec >= 1_000_000_000 {
            dsec += 1;
            nsec -= 1_000_000_000;
        } else if nsec < 0 {
            dsec -= 1;
            nsec += 1_000_000_000;
        }
        t.nsec = nsec as u32;
        t.add_sec(dsec);
        if let Some(m) = t.mono {
            let te = m.wrapping_add(d);
            t.mono = if (d < 0 && te > m) || (d > 0 && te < m) {
                None
            } else {
                Some(te)
            };
        }
        t
    }

    /// `t.Sub(u)`, saturating at the Duration range.
    pub(crate) fn sub(&self, u: &Time) -> i64 {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            let d = a.wrapping_sub(b);
            if d < 0 && a > b {
                return MAX_DURATION;
            }
            if d > 0 && a < b {
                return MIN_DURATION;
            }
            return d;
        }
        let d = self
            .sec
            .wrapping_sub(u.sec)
            .wrapping_mul(SECOND)
            .wrapping_add(self.nsec as i64 - u.nsec as i64);
        let back = u.add(d);
        if back.sec == self.sec && back.nsec == self.nsec {
            d
        } else if self.before(u) {
            MIN_DURATION
        } else {
            MAX_DURATION
        }
    }

    /// `t.Compare(u)`: -1, 0 or +1 (monotonic readings when both have one).
    pub(crate) fn compare(&self, u: &Time) -> i64 {
        let ord = match (self.mono, u.mono) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => (self.sec, self.nsec).cmp(&(u.sec, u.nsec)),
        };
        ord as i64
    }

    pub(crate) fn before(&self, u: &Time) -> bool {
        self.compare(u) < 0
    }

    pub(crate) fn after(&self, u: &Time) -> bool {
        self.compare(u) > 0
    }

    pub(crate) fn equal(&self, u: &Time) -> bool {
        self.compare(u) == 0
    }

    /// The remainder of the time since year 1 modulo `d` (Go's `div`), for `Round`/`Truncate`.
    fn rem(&self, d: i64) -> i64 {
        let total = self.sec as i128 * 1_000_000_000 + self.nsec as i128;
        total.rem_euclid(d as i128) as i64
    }

    /// `t.Truncate(d)`.
    pub(crate) fn truncate(&self, d: i64) -> Time {
        let mut t = self.clone();
        t.mono = None;
        if d <= 0 {
            return t;
        }
        let r = self.rem(d);
        t.add(-r)
    }

    /// `t.Round(d)`.
    pub(crate) fn round(&self, d: i64) -> Time {
        let mut t = self.clone();
        t.mono = None;
        if d <= 0 {
            return t;
        }
        let r = self.rem(d);
        if (r as u64).wrapping_add(r as u64) < d as u64 {
            t.add(-r)
        } else {
            t.add(d - r)
        }
    }

    /// `t.AddDate(years, months, days)`.
    pub(crate) fn add_date(&self, years: i64, months: i64, days: i64) -> Time {
        let f = self.fields();
        Time::date(
            f.year.wrapping_add(years),
            f.month.wrapping_add(months),
            f.day.wrapping_add(days),
            f.hour,
            f.min,
            f.sec,
            self.nsec as i64,
            self.loc.clone(),
        )
        .with_local(&self.local)
    }

    /// `t.Format(layout)`.
    pub(crate) fn format(&self, layout: &str) -> String {
        let f = self.fields();
        let mut b: Vec<u8> = Vec::with_capacity(layout.len() + 10);
        let mut layout = layout.as_bytes();
        loop {
            let (prefix, std, suffix) = next_std_chunk(layout);
            b.extend_from_slice(prefix);
            if std == Std::None {
                break;
            }
            layout = suffix;
            match std {
                Std::None => {}
                Std::Year => append_int(&mut b, f.year.wrapping_abs() % 100, 2),
                Std::LongYear => append_int(&mut b, f.year, 4),
                Std::Month => {
                    b.extend_from_slice(&LONG_MONTH_NAMES[(f.month - 1) as usize].as_bytes()[..3])
                }
                Std::LongMonth => {
                    b.extend_from_slice(LONG_MONTH_NAMES[(f.month - 1) as usize].as_bytes())
                }
                Std::NumMonth => append_int(&mut b, f.month, 0),
                Std::ZeroMonth => append_int(&mut b, f.month, 2),
                Std::WeekDay => {
                    b.extend_from_slice(&LONG_DAY_NAMES[f.weekday as usize].as_bytes()[..3])
                }
                Std::LongWeekDay => {
                    b.extend_from_slice(LONG_DAY_NAMES[f.weekday as usize].as_bytes())
                }
                Std::Day => append_int(&mut b, f.day, 0),
                Std::UnderDay => {
                    if f.day < 10 {
                        b.push(b' ');
                    }
                    append_int(&mut b, f.day, 0);
                }
                Std::ZeroDay => append_int(&mut b, f.day, 2),
                Std::UnderYearDay => {
                    if f.yday < 100 {
                        b.push(b' ');
                        if f.yday < 10 {
                            b.push(b' ');
                        }
                    }
                    append_int(&mut b, f.yday, 0);
                }
                Std::ZeroYearDay => append_int(&mut b, f.yday, 3),
                Std::Hour => append_int(&mut b, f.hour, 2),
                Std::Hour12 | Std::ZeroHour12 => {
                    let hr = match f.hour % 12 {
                        0 => 12,
                        h => h,
                    };
                    append_int(&mut b, hr, if std == Std::Hour12 { 0 } else { 2 });
                }
                Std::Minute => append_int(&mut b, f.min, 0),
                Std::ZeroMinute => append_int(&mut b, f.min, 2),
                Std::Second => append_int(&mut b, f.sec, 0),
                Std::ZeroSecond => append_int(&mut b, f.sec, 2),
                Std::PM => b.extend_from_slice(if f.hour >= 12 { b"PM" } else { b"AM" }),
                Std::Pm => b.extend_from_slice(if f.hour >= 12 { b"pm" } else { b"am" }),
                Std::Tz(kind) => format_zone_offset(&mut b, kind, f.offset),
                Std::TzName => {
                    if !f.zone.is_empty() {
                        b.extend_from_slice(f.zone.as_bytes());
                    } else {
                        let mut zone = f.offset / 60;
                        if zone < 0 {
                            b.push(b'-');
                            zone = -zone;
                        } else {
                            b.push(b'+');
                        }
                        append_int(&mut b, (zone / 60) as i64, 2);
                        append_int(&mut b, (zone % 60) as i64, 2);
                    }
                }
                Std::Frac { trim, digits, sep } => {
                    append_nano(&mut b, self.nsec, trim, digits, sep)
                }
            }
        }
        String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// `t.String()`: `2006-01-02 15:04:05.999999999 -0700 MST` and ` m=±s.nnnnnnnnn`.
    pub(crate) fn go_string(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let m2 = m.unsigned_abs();
            let (m1, m2) = (m2 / 1_000_000_000, m2 % 1_000_000_000);
            let (m0, m1) = (m1 / 1_000_000_000, m1 % 1_000_000_000);
            s.push_str(" m=");
            s.push(sign);
            let mut buf = Vec::new();
            let mut wid = 0;
            if m0 != 0 {
                append_int(&mut buf, m0 as i64, 0);
                wid = 9;
            }
            append_int(&mut buf, m1 as i64, wid);
            buf.push(b'.');
            append_int(&mut buf, m2 as i64, 9);
            s.push_str(&String::from_utf8_lossy(&buf));
        }
        s
    }

    /// `t.GoString()`: `time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)`.
    pub(crate) fn go_syntax(&self) -> String {
        let f = self.fields();
        let loc = if self.loc.is_utc() {
            "time.UTC".to_string()
        } else if self.loc.is_local() {
            "time.Local".to_string()
        } else {
            format!("time.Location({})", time_quote(self.loc.name()))
        };
        format!(
            "time.Date({}, time.{}, {}, {}, {}, {}, {}, {})",
            f.year,
            LONG_MONTH_NAMES[(f.month - 1) as usize],
            f.day,
            f.hour,
            f.min,
            f.sec,
            self.nsec,
            loc
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Layouts

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum TzKind {
    Iso8601,
    Iso8601Seconds,
    Iso8601Short,
    Iso8601Colon,
    Iso8601ColonSeconds,
    Num,
    NumSeconds,
    NumShort,
    NumColon,
    NumColonSeconds,
}

impl TzKind {
    fn is_iso(self) -> bool {
        matches!(
            self,
            TzKind::Iso8601
                | TzKind::Iso8601Seconds
                | TzKind::Iso8601Short
                | TzKind::Iso8601Colon
                | TzKind::Iso8601ColonSeconds
        )
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Std {
    None,
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TzName,
    Tz(TzKind),
    Frac { trim: bool, digits: usize, sep: u8 },
}

fn starts_with_lower(s: &[u8]) -> bool {
    s.first().is_some_and(|c| c.is_ascii_lowercase())
}

/// Go's `nextStdChunk`: the text before the first layout element, the element, and the rest.
fn next_std_chunk(layout: &[u8]) -> (&[u8], Std, &[u8]) {
    let l = layout;
    let at = |i: usize, s: &[u8]| l.len() >= i + s.len() && &l[i..i + s.len()] == s;
    for i in 0..l.len() {
        match l[i] {
            b'J' if at(i, b"Jan") => {
                if at(i, b"January") {
                    return (&l[..i], Std::LongMonth, &l[i + 7..]);
                }
                if !starts_with_lower(&l[i + 3..]) {
                    return (&l[..i], Std::Month, &l[i + 3..]);
                }
            }
            b'M' if l.len() >= i + 3 => {
                if at(i, b"Mon") {
                    if at(i, b"Monday") {
                        return (&l[..i], Std::LongWeekDay, &l[i + 6..]);
                    }
                    if !starts_with_lower(&l[i + 3..]) {
                        return (&l[..i], Std::WeekDay, &l[i + 3..]);
                    }
                }
                if at(i, b"MST") {
                    return (&l[..i], Std::TzName, &l[i + 3..]);
                }
            }
            b'0' => {
                if l.len() >= i + 2 && (b'1'..=b'6').contains(&l[i + 1]) {
                    let std = [
                        Std::ZeroMonth,
                        Std::ZeroDay,
                        Std::ZeroHour12,
                        Std::ZeroMinute,
                        Std::ZeroSecond,
                        Std::Year,
                    ][(l[i + 1] - b'1') as usize];
                    return (&l[..i], std, &l[i + 2..]);
                }
                if at(i, b"002") {
                    return (&l[..i], Std::ZeroYearDay, &l[i + 3..]);
                }
            }
            b'1' => {
                if l.len() >= i + 2 && l[i + 1] == b'5' {
                    return (&l[..i], Std::Hour, &l[i + 2..]);
                }
                return (&l[..i], Std::NumMonth, &l[i + 1..]);
            }
            b'2' => {
                if at(i, b"2006") {
                    return (&l[..i], Std::LongYear, &l[i + 4..]);
                }
                return (&l[..i], Std::Day, &l[i + 1..]);
            }
            b'_' => {
                if l.len() >= i + 2 && l[i + 1] == b'2' {
                    if at(i + 1, b"2006") {
                        return (&l[..i + 1], Std::LongYear, &l[i + 5..]);
                    }
                    return (&l[..i], Std::UnderDay, &l[i + 2..]);
                }
                if at(i, b"__2") {
                    return (&l[..i], Std::UnderYearDay, &l[i + 3..]);
                }
            }
            b'3' => return (&l[..i], Std::Hour12, &l[i + 1..]),
            b'4' => return (&l[..i], Std::Minute, &l[i + 1..]),
            b'5' => return (&l[..i], Std::Second, &l[i + 1..]),
            b'P' if l.len() >= i + 2 && l[i + 1] == b'M' => {
                return (&l[..i], Std::PM, &l[i + 2..]);
            }
            b'p' if l.len() >= i + 2 && l[i + 1] == b'm' => {
                return (&l[..i], Std::Pm, &l[i + 2..]);
            }
            b'-' => {
                for (pat, kind) in [
                    (&b"-070000"[..], TzKind::NumSeconds),
                    (b"-07:00:00", TzKind::NumColonSeconds),
                    (b"-0700", TzKind::Num),
                    (b"-07:00", TzKind::NumColon),
                    (b"-07", TzKind::NumShort),
                ] {
                    if at(i, pat) {
                        return (&l[..i], Std::Tz(kind), &l[i + pat.len()..]);
                    }
                }
            }
            b'Z' => {
                for (pat, kind) in [
                    (&b"Z070000"[..], TzKind::Iso8601Seconds),
                    (b"Z07:00:00", TzKind::Iso8601ColonSeconds),
                    (b"Z0700", TzKind::Iso8601),
                    (b"Z07:00", TzKind::Iso8601Colon),
                    (b"Z07", TzKind::Iso8601Short),
                ] {
                    if at(i, pat) {
                        return (&l[..i], Std::Tz(kind), &l[i + pat.len()..]);
                    }
                }
            }
            c @ (b'.' | b',') if i + 1 < l.len() && (l[i + 1] == b'0' || l[i + 1] == b'9') => {
                let ch = l[i + 1];
                let mut j = i + 1;
                while j < l.len() && l[j] == ch {
                    j += 1;
                }
                if !(j < l.len() && l[j].is_ascii_digit()) {
                    let std = Std::Frac {
                        trim: ch == b'9',
                        digits: (j - (i + 1)) & 0xfff,
                        sep: c,
                    };
                    return (&l[..i], std, &l[j..]);
                }
            }
            _ => {}
        }
    }
    (l, Std::None, &[])
}

/// Go's `appendInt`: decimal, zero-padded to `width` digits (sign not counted).
fn append_int(b: &mut Vec<u8>, x: i64, width: usize) {
    if x < 0 {
        b.push(b'-');
    }
    let digits = x.unsigned_abs().to_string();
    for _ in digits.len()..width {
        b.push(b'0');
    }
    b.extend_from_slice(digits.as_bytes());
}

fn append_nano(b: &mut Vec<u8>, nanosec: u32, trim: bool, n: usize, sep: u8) {
    if trim && (n == 0 || nanosec == 0) {
        return;
    }
    b.push(sep);
    let start = b.len();
    append_int(b, nanosec as i64, 9);
    if n < 9 {
        b.truncate(start + n);
    }
    if trim {
        while b.last() == Some(&b'0') {
            b.pop();
        }
        if b.last() == Some(&sep) {
            b.pop();
        }
    }
}

fn format_zone_offset(b: &mut Vec<u8>, kind: TzKind, offset: i32) {
    if offset == 0 && kind.is_iso() {
        b.push(b'Z');
        return;
    }
    let mut zone = offset / 60;
    let mut absoffset = offset;
    if zone < 0 {
        b.push(b'-');
        zone = -zone;
        absoffset = -absoffset;
    } else {
        b.push(b'+');
    }
    append_int(b, (zone / 60) as i64, 2);
    if matches!(
        kind,
        TzKind::Iso8601Colon
            | TzKind::NumColon
            | TzKind::Iso8601ColonSeconds
            | TzKind::NumColonSeconds
    ) {
        b.push(b':');
    }
    if kind != TzKind::NumShort && kind != TzKind::Iso8601Short {
        append_int(b, (zone % 60) as i64, 2);
    }
    if matches!(
        kind,
        TzKind::Iso8601Seconds
            | TzKind::NumSeconds
            | TzKind::NumColonSeconds
            | TzKind::Iso8601ColonSeconds
    ) {
        if matches!(kind, TzKind::NumColonSeconds | TzKind::Iso8601ColonSeconds) {
            b.push(b':');
        }
        append_int(b, (absoffset % 60) as i64, 2);
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// A numeric zone offset split into sign, hours, minutes, seconds and the rest of the value.
type OffsetParts<'a> = (&'a [u8], &'a [u8], &'a [u8], &'a [u8], &'a [u8]);

const SHORT_DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Case-insensitive ASCII letter match of equal-length byte strings (Go's `match`).
fn match_fold(s1: &[u8], s2: &[u8]) -> bool {
    s1.iter().zip(s2).all(|(&a, &b)| {
        if a == b {
            return true;
        }
        let (a, b) = (a | 0x20, b | 0x20);
        a == b && a.is_ascii_lowercase()
    })
}

fn lookup_name<'a>(
    tab: &[&str],
    val: &'a [u8],
    prefix_len: Option<usize>,
) -> Option<(usize, &'a [u8])> {
    for (i, v) in tab.iter().enumerate() {
        let v = v.as_bytes();
        let v = &v[..prefix_len.unwrap_or(v.len()).min(v.len())];
        if val.len() >= v.len() && match_fold(&val[..v.len()], v) {
            return Some((i, &val[v.len()..]));
        }
    }
    None
}

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// `getnum`: one or two digits (`fixed`: exactly two).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    if !is_digit(s, 0) {
        return None;
    }
    if !is_digit(s, 1) {
        if fixed {
            return None;
        }
        return Some(((s[0] - b'0') as i64, &s[1..]));
    }
    Some((((s[0] - b'0') * 10 + (s[1] - b'0')) as i64, &s[2..]))
}

fn getnum3(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let mut n = 0i64;
    let mut i = 0;
    while i < 3 && is_digit(s, i) {
        n = n * 10 + (s[i] - b'0') as i64;
        i += 1;
    }
    if i == 0 || (fixed && i != 3) {
        return None;
    }
    Some((n, &s[i..]))
}

/// Go's time-package `atoi`: optional sign, then digits only.
fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, s) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (q, rem) = super::duration::leading_int(s)?;
    if !rem.is_empty() {
        return None;
    }
    let x = q as i64;
    Some(if neg { x.wrapping_neg() } else { x })
}

fn cutspace(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b' ').count();
    &s[n..]
}

/// `skip`: removes `prefix` from `value`, runs of spaces matching runs of spaces. On failure
/// returns the value where matching stopped.
fn skip<'a>(value: &'a [u8], prefix: &[u8]) -> Result<&'a [u8], &'a [u8]> {
    let (mut value, mut prefix) = (value, prefix);
    while !prefix.is_empty() {
        if prefix[0] == b' ' {
            if !value.is_empty() && value[0] != b' ' {
                return Err(value);
            }
            prefix = cutspace(prefix);
            value = cutspace(value);
            continue;
        }
        if value.is_empty() || value[0] != prefix[0] {
            return Err(value);
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Ok(value)
}

fn comma_or_period(b: u8) -> bool {
    b == b'.' || b == b','
}

/// `parseNanoseconds`: `value[0]` is the separator, then `nbytes-1` digits.
fn parse_nanoseconds(value: &[u8], nbytes: usize) -> Result<i64, Option<&'static str>> {
    if !comma_or_period(value[0]) {
        return Err(None);
    }
    let nbytes = nbytes.min(10);
    let value = &value[..nbytes.min(value.len())];
    let mut ns = atoi(&value[1..]).ok_or(None)?;
    if ns < 0 {
        return Err(Some("fractional second"));
    }
    for _ in 0..(10 - nbytes) {
        ns *= 10;
    }
    Ok(ns)
}

fn parse_signed_offset(value: &[u8]) -> usize {
    match value.first() {
        Some(b'-') | Some(b'+') => {}
        _ => return 0,
    }
    let Some((x, rem)) = super::duration::leading_int(&value[1..]) else {
        return 0;
    };
    if rem.len() == value.len() - 1 || x > 23 {
        return 0;
    }
    value.len() - rem.len()
}

/// `parseTimeZone`: the length of a zone abbreviation at the start of `value`.
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.len() >= 4 && (&value[..4] == b"ChST" || &value[..4] == b"MeST") {
        return Some(4);
    }
    if &value[..3] == b"GMT" {
        let rest = &value[3..];
        return Some(if rest.is_empty() {
            3
        } else {
            3 + parse_signed_offset(rest)
        });
    }
    if value[0] == b'+' || value[0] == b'-' {
        let n = parse_signed_offset(value);
        return if n > 0 { Some(n) } else { None };
    }
    let mut n_upper = 0;
    while n_upper < 6 {
        if n_upper >= value.len() || !value[n_upper].is_ascii_uppercase() {
            break;
        }
        n_upper += 1;
    }
    match n_upper {
        3 => Some(3),
        4 if value[3] == b'T' || &value[..4] == b"WITA" => Some(4),
        5 if value[4] == b'T' => Some(5),
        _ => None,
    }
}

fn parse_error(
    layout: &[u8],
    value: &[u8],
    layout_elem: &[u8],
    value_elem: &[u8],
    message: &str,
) -> String {
    if message.is_empty() {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            time_quote(value),
            time_quote(layout),
            time_quote(value_elem),
            time_quote(layout_elem)
        )
    } else {
        format!("parsing time {}{}", time_quote(value), message)
    }
}

/// `time.ParseInLocation(layout, value, loc)`.
/// `time.ParseInLocation(layout, value, loc)`; `local` is the machine's zone the result knows.
pub(crate) fn parse_in_location(
    layout: &str,
    value: &str,
    loc: &Location,
    local: &Location,
) -> Result<Time, String> {
    parse(layout.as_bytes(), value.as_bytes(), loc, loc).map(|t| t.with_local(local))
}

fn parse(
    alayout: &[u8],
    avalue: &[u8],
    default_loc: &Location,
    local: &Location,
) -> Result<Time, String> {
    let (mut layout, mut value) = (alayout, avalue);
    let mut range_err: Option<&'static str> = None;
    let (mut am_set, mut pm_set) = (false, false);
    let mut year: i64 = 0;
    let mut month: i64 = -1;
    let mut day: i64 = -1;
    let mut yday: i64 = -1;
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut z: Option<Location> = None;
    let mut zone_offset: i64 = -1;
    let mut zone_name: &[u8] = b"";

    loop {
        let (prefix, std, suffix) = next_std_chunk(layout);
        let stdstr = &layout[prefix.len()..layout.len() - suffix.len()];
        value = match skip(value, prefix) {
            Ok(v) => v,
            Err(v) => return Err(parse_error(alayout, avalue, prefix, v, "")),
        };
        if std == Std::None {
            if !value.is_empty() {
                return Err(parse_error(
                    alayout,
                    avalue,
                    b"",
                    value,
                    &format!(": extra text: {}", time_quote(value)),
                ));
            }
            break;
        }
        layout = suffix;
        let hold = value;
        let mut ok = true;
        match std {
            Std::None => {}
            Std::Year => {
                if value.len() < 2 {
                    ok = false;
                } else {
                    let p = &value[..2];
                    value = &value[2..];
                    match atoi(p) {
                        Some(y) => year = if y >= 69 { y + 1900 } else { y + 2000 },
                        None => ok = false,
                    }
                }
            }
            Std::LongYear => {
                if value.len() < 4 || !is_digit(value, 0) {
                    ok = false;
                } else {
                    let p = &value[..4];
                    value = &value[4..];
                    match atoi(p) {
                        Some(y) => year = y,
                        None => ok = false,
                    }
                }
            }
            Std::Month | Std::LongMonth => {
                let prefix_len = if std == Std::Month { Some(3) } else { None };
                match lookup_name(&LONG_MONTH_NAMES, value, prefix_len) {
                    Some((i, rest)) => {
                        month = i as i64 + 1;
                        value = rest;
                    }
                    None => {
                        ok = false;
                        month = 0;
                    }
                }
            }
            Std::NumMonth | Std::ZeroMonth => match getnum(value, std == Std::ZeroMonth) {
                Some((m, rest)) => {
                    month = m;
                    value = rest;
                    if month <= 0 || 12 < month {
                        range_err = Some("month");
                    }
                }
                None => {
                    ok = false;
                    month = 0;
                }
            },
            Std::WeekDay => match lookup_name(&SHORT_DAY_NAMES, value, None) {
                Some((_, rest)) => value = rest,
                None => ok = false,
            },
            Std::LongWeekDay => match lookup_name(&LONG_DAY_NAMES, value, None) {
                Some((_, rest)) => value = rest,
                None => ok = false,
            },
            Std::Day | Std::UnderDay | Std::ZeroDay => {
                if std == Std::UnderDay && value.first() == Some(&b' ') {
                    value = &value[1..];
                }
                match getnum(value, std == Std::ZeroDay) {
                    Some((d, rest)) => {
                        day = d;
                        value = rest;
                    }
                    None => {
                        ok = false;
                        day = 0;
                    }
                }
            }
            Std::UnderYearDay | Std::ZeroYearDay => {
                for _ in 0..2 {
                    if std == Std::UnderYearDay && value.first() == Some(&b' ') {
                        value = &value[1..];
                    }
                }
                match getnum3(value, std == Std::ZeroYearDay) {
                    Some((d, rest)) => {
                        yday = d;
                        value = rest;
                    }
                    None => {
                        ok = false;
                        yday = 0;
                    }
                }
            }
            Std::Hour => {
                match getnum(value, false) {
                    Some((h, rest)) => {
                        hour = h;
                        value = rest;
                    }
                    None => {
                        ok = false;
                        hour = 0;
                    }
                }
                if !(0..24).contains(&hour) {
                    range_err = Some("hour");
                }
            }
            Std::Hour12 | Std::ZeroHour12 => {
                match getnum(value, std == Std::ZeroHour12) {
                    Some((h, rest)) => {
                        hour = h;
                        value = rest;
                    }
                    None => {
                        ok = false;
                        hour = 0;
                    }
                }
                if !(0..=12).contains(&hour) {
                    range_err = Some("hour");
                }
            }
            Std::Minute | Std::ZeroMinute => {
                match getnum(value, std == Std::ZeroMinute) {
                    Some((m, rest)) => {
                        min = m;
                        value = rest;
                    }
                    None => {
                        ok = false;
                        min = 0;
                    }
                }
                if !(0..60).contains(&min) {
                    range_err = Some("minute");
                }
            }
            Std::Second | Std::ZeroSecond => match getnum(value, std == Std::ZeroSecond) {
                None => {
                    ok = false;
                    sec = 0;
                }
                Some((s, rest)) => {
                    sec = s;
                    value = rest;
                    if !(0..60).contains(&sec) {
                        range_err = Some("second");
                    } else if value.len() >= 2 && comma_or_period(value[0]) && is_digit(value, 1) {
                        let (_, next, _) = next_std_chunk(layout);
                        if !matches!(next, Std::Frac { .. }) {
                            let mut n = 2;
                            while n < value.len() && is_digit(value, n) {
                                n += 1;
                            }
                            match parse_nanoseconds(value, n) {
                                Ok(ns) => nsec = ns,
                                Err(Some(r)) => range_err = Some(r),
                                Err(None) => ok = false,
                            }
                            value = &value[n..];
                        }
                    }
                }
            },
            Std::PM | Std::Pm => {
                if value.len() < 2 {
                    ok = false;
                } else {
                    let p = &value[..2];
                    value = &value[2..];
                    let (pm, am): (&[u8], &[u8]) = if std == Std::PM {
                        (b"PM", b"AM")
                    } else {
                        (b"pm", b"am")
                    };
                    if p == pm {
                        pm_set = true;
                    } else if p == am {
                        am_set = true;
                    } else {
                        ok = false;
                    }
                }
            }
            Std::Tz(kind) => {
                if kind.is_iso() && value.first() == Some(&b'Z') {
                    value = &value[1..];
                    z = Some(Location::utc());
                } else {
                    let parts: Option<OffsetParts<'_>> = match kind {
                        TzKind::Iso8601Colon | TzKind::NumColon => {
                            if value.len() < 6 || value[3] != b':' {
                                None
                            } else {
                                Some((&value[0..1], &value[1..3], &value[4..6], b"00", &value[6..]))
                            }
                        }
                        TzKind::NumShort | TzKind::Iso8601Short => {
                            if value.len() < 3 {
                                None
                            } else {
                                Some((&value[0..1], &value[1..3], b"00", b"00", &value[3..]))
                            }
                        }
                        TzKind::Iso8601ColonSeconds | TzKind::NumColonSeconds => {
                            if value.len() < 9 || value[3] != b':' || value[6] != b':' {
                                None
                            } else {
                                Some((
                                    &value[0..1],
                                    &value[1..3],
                                    &value[4..6],
                                    &value[7..9],
                                    &value[9..],
                                ))
                            }
                        }
                        TzKind::Iso8601Seconds | TzKind::NumSeconds => {
                            if value.len() < 7 {
                                None
                            } else {
                                Some((
                                    &value[0..1],
                                    &value[1..3],
                                    &value[3..5],
                                    &value[5..7],
                                    &value[7..],
                                ))
                            }
                        }
                        TzKind::Iso8601 | TzKind::Num => {
                            if value.len() < 5 {
                                None
                            } else {
                                Some((&value[0..1], &value[1..3], &value[3..5], b"00", &value[5..]))
                            }
                        }
                    };
                    match parts {
                        None => ok = false,
                        Some((sign, h, m, s, rest)) => {
                            value = rest;
                            let num = |x: &[u8]| getnum(x, true).map(|(n, _)| n);
                            let (mut hr, mut mm, mut ss) = (0, 0, 0);
                            match num(h) {
                                None => ok = false,
                                Some(v) => {
                                    hr = v;
                                    match num(m) {
                                        None => ok = false,
                                        Some(v) => {
                                            mm = v;
                                            match num(s) {
                                                None => ok = false,
                                                Some(v) => ss = v,
                                            }
                                        }
                                    }
                                }
                            }
                            if hr > 24 {
                                range_err = Some("time zone offset hour");
                            }
                            if mm > 60 {
                                range_err = Some("time zone offset minute");
                            }
                            if ss > 60 {
                                range_err = Some("time zone offset second");
                            }
                            zone_offset = (hr * 60 + mm) * 60 + ss;
                            match sign[0] {
                                b'+' => {}
                                b'-' => zone_offset = -zone_offset,
                                _ => ok = false,
                            }
                        }
                    }
                }
            }
            Std::TzName => {
                if value.len() >= 3 && &value[..3] == b"UTC" {
                    z = Some(Location::utc());
                    value = &value[3..];
                } else {
                    match parse_time_zone(value) {
                        Some(n) => {
                            zone_name = &value[..n];
                            value = &value[n..];
                        }
                        None => ok = false,
                    }
                }
            }
            Std::Frac {
                trim: false,
                digits,
                ..
            } => {
                let ndigit = 1 + digits;
                if value.len() < ndigit {
                    ok = false;
                } else {
                    match parse_nanoseconds(value, ndigit) {
                        Ok(ns) => nsec = ns,
                        Err(Some(r)) => range_err = Some(r),
                        Err(None) => ok = false,
                    }
                    value = &value[ndigit..];
                }
            }
            Std::Frac { trim: true, .. } => {
                if value.len() >= 2 && comma_or_period(value[0]) && value[1].is_ascii_digit() {
                    let mut i = 0;
                    while i + 1 < value.len() && value[i + 1].is_ascii_digit() {
                        i += 1;
                    }
                    match parse_nanoseconds(value, 1 + i) {
                        Ok(ns) => nsec = ns,
                        Err(Some(r)) => range_err = Some(r),
                        Err(None) => ok = false,
                    }
                    value = &value[1 + i..];
                }
            }
        }
        if let Some(r) = range_err {
            return Err(parse_error(
                alayout,
                avalue,
                stdstr,
                value,
                &format!(": {r} out of range"),
            ));
        }
        if !ok {
            return Err(parse_error(alayout, avalue, stdstr, hold, ""));
        }
    }
    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }

    if yday >= 0 {
        let mut d = 0;
        let mut m = 0;
        if is_leap(year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return Err(parse_error(
                alayout,
                avalue,
                b"",
                value,
                ": day-of-year out of range",
            ));
        }
        if m == 0 {
            const BEFORE: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
            m = (yday - 1) / 31 + 1;
            if BEFORE[m as usize] < yday {
                m += 1;
            }
            d = yday - BEFORE[(m - 1) as usize];
        }
        if month >= 0 && month != m {
            return Err(parse_error(
                alayout,
                avalue,
                b"",
                value,
                ": day-of-year does not match month",
            ));
        }
        month = m;
        if day >= 0 && day != d {
            return Err(parse_error(
                alayout,
                avalue,
                b"",
                value,
                ": day-of-year does not match day",
            ));
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }

    if day < 1 || day > days_in(month, year) {
        return Err(parse_error(
            alayout,
            avalue,
            b"",
            value,
            ": day out of range",
        ));
    }

    if let Some(z) = z {
        return Ok(Time::date(year, month, day, hour, min, sec, nsec, z));
    }

    let zone_name_str = String::from_utf8_lossy(zone_name).into_owned();
    if zone_offset != -1 {
        let mut t = Time::date(year, month, day, hour, min, sec, nsec, Location::utc());
        t.sec = t.sec.wrapping_sub(zone_offset);
        let info = local.lookup(t.unix_sec());
        if info.offset as i64 == zone_offset
            && (zone_name.is_empty() || *info.name == *zone_name_str)
        {
            return Ok(t.in_location(local.clone()));
        }
        return Ok(t.in_location(Location::fixed(&zone_name_str, zone_offset as i32)));
    }

    if !zone_name.is_empty() {
        let t = Time::date(year, month, day, hour, min, sec, nsec, Location::utc());
        if let Some(offset) = local.lookup_name(&zone_name_str, t.unix_sec()) {
            let mut t = t;
            t.sec = t.sec.wrapping_sub(offset as i64);
            return Ok(t.in_location(local.clone()));
        }
        let mut offset = 0i64;
        if zone_name.len() > 3 && &zone_name[..3] == b"GMT" {
            offset = atoi(&zone_name[3..]).unwrap_or(0) * 3600;
        }
        return Ok(t.in_location(Location::fixed(&zone_name_str, offset as i32)));
    }

    Ok(Time::date(
        year,
        month,
        day,
        hour,
        min,
        sec,
        nsec,
        default_loc.clone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc_local() -> Location {
        Location::local(&Timestamp::utc(0, 0))
    }

    fn t(layout: &str, value: &str) -> Time {
        let l = utc_local();
        parse_in_location(layout, value, &l, &l).expect("parses")
    }

    #[test]
    fn calendar_round_trips() {
        for days in [-719_162, -1, 0, 1, 10_957, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
    }

    #[test]
    fn formats_every_element() {
        let ts = t(
            "2006-01-02 15:04:05.000000000",
            "2024-03-05 07:08:09.012345600",
        );
        assert_eq!(ts.format("2006-01-02"), "2024-03-05");
        assert_eq!(
            ts.format("Jan 2, 2006 at 3:04pm (Mon)"),
            "Mar 5, 2024 at 7:08am (Tue)"
        );
        assert_eq!(ts.format("15:04:05.000 PM"), "07:08:09.012 AM");
        assert_eq!(ts.format("Monday January _2 06"), "Tuesday March  5 24");
        assert_eq!(
            ts.format("__2 002 .999999999 ,000000"),
            " 65 065 .0123456 ,012345"
        );
        assert_eq!(ts.format("Z07:00 -07 Z0700 MST"), "Z +00 Z UTC");
        assert_eq!(ts.format("_2006"), "_2024");
        assert_eq!(ts.format("Month"), "Month");
        assert_eq!(
            ts.in_location(Location::fixed("", -18000))
                .format("MST -07:00:00 Z070000"),
            "-0500 -05:00:00 -050000"
        );
    }

    #[test]
    fn string_matches_go() {
        let ts = t("2006-01-02", "2020-01-01");
        assert_eq!(ts.go_string(), "2020-01-01 00:00:00 +0000 UTC");
        assert_eq!(Time::zero().go_string(), "0001-01-01 00:00:00 +0000 UTC");
        let now = Time::now(&Timestamp::utc(1_704_067_200, 123_000_000));
        assert_eq!(
            now.go_string(),
            "2024-01-01 00:00:00.123 +0000 UTC m=+0.000000000"
        );
        assert_eq!(
            now.add(3_600_000_000_000).go_string(),
            "2024-01-01 01:00:00.123 +0000 UTC m=+3600.000000000"
        );
        assert_eq!(
            ts.go_syntax(),
            "time.Date(2020, time.January, 1, 0, 0, 0, 0, time.Local)"
        );
    }

    #[test]
    fn parses_offsets_and_zones() {
        let x = t("2006-01-02T15:04:05Z07:00", "2024-07-04T12:00:00-05:00");
        assert_eq!(x.unix_sec(), 1_720_112_400);
        assert_eq!(x.go_string(), "2024-07-04 12:00:00 -0500 -0500");
        let x = t("2006-01-02T15:04:05Z07:00", "2024-01-01T00:00:00Z");
        assert_eq!(x.unix_sec(), 1_704_067_200);
        assert_eq!(x.location().name(), "UTC");
        let x = t("2006-01-02T15:04:05Z07:00", "2024-01-01T00:00:00+00:00");
        assert_eq!(x.location().name(), "Local");
        let x = t("2006-01-02 15:04 MST", "2023-11-14 22:13 JST");
        assert_eq!(x.go_string(), "2023-11-14 22:13:00 +0000 JST");
        let x = t("2006-01-02T15:04:05-0700", "2024-05-01T00:00:00+0530");
        assert_eq!(x.unix_sec(), 1_714_501_800);
        let x = t("Jan _2 15:04:05", "Feb  3 04:05:06.789");
        assert_eq!(x.go_string(), "0000-02-03 04:05:06.789 +0000 UTC");
    }

    #[test]
    fn parse_errors_match_go() {
        let e = |l: &str, v: &str| {
            parse_in_location(l, v, &utc_local(), &utc_local())
                .err()
                .expect("error")
        };
        assert_eq!(
            e("2006-01-02", "2024-13-01"),
            "parsing time \"2024-13-01\": month out of range"
        );
        assert_eq!(
            e("2006-01-02", "bad"),
            "parsing time \"bad\" as \"2006-01-02\": cannot parse \"bad\" as \"2006\""
        );
        assert_eq!(
            e("2006-01-02", "2024-01-01x"),
            "parsing time \"2024-01-01x\": extra text: \"x\""
        );
        assert_eq!(
            e("2006-01-02", "2023-02-29"),
            "parsing time \"2023-02-29\": day out of range"
        );
        assert_eq!(
            e("2006-01-02", "2024/01/01"),
            "parsing time \"2024/01/01\" as \"2006-01-02\": cannot parse \"/01/01\" as \"-\""
        );
        assert_eq!(
            e("15:04", "25:00"),
            "parsing time \"25:00\": hour out of range"
        );
        assert_eq!(
            e("2006 002", "2023 366"),
            "parsing time \"2023 366\": day-of-year out of range"
        );
    }

    #[test]
    fn zones_and_arithmetic() {
        let ny = Location::load("America/New_York", &utc_local()).expect("zone");
        let x = Time::unix(1_700_000_000, 0, utc_local()).in_location(ny);
        assert_eq!(
            x.format("2006-01-02 15:04 MST -0700"),
            "2023-11-14 17:13 EST -0500"
        );
        assert_eq!(
            Location::load("Not/AZone", &utc_local()).err().as_deref(),
            Some("unknown time zone Not/AZone")
        );
        assert_eq!(
            Location::load("../x", &utc_local()).err().as_deref(),
            Some("time: invalid location name")
        );
        let a = t("2006-01-02", "2000-02-28");
        assert_eq!(a.add_date(0, 0, 1).format("2006-01-02"), "2000-02-29");
        assert_eq!(a.add_date(0, 12, 0).format("2006-01-02"), "2001-02-28");
        let b = t("2006-01-02", "2000-03-01");
        assert_eq!(b.sub(&a), 2 * 86_400 * SECOND);
        assert_eq!(Time::zero().sub(&b), MIN_DURATION);
        let r = t("15:04:05.000", "10:00:01.500");
        assert_eq!(r.round(SECOND).format("15:04:05.000"), "10:00:02.000");
        assert_eq!(r.truncate(SECOND).format("15:04:05.000"), "10:00:01.000");
    }
}
