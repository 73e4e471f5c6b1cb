//! Time for the simulated cluster: `metav1.Time` (RFC 3339, second precision, always UTC as the
//! API server writes it), an injected [`Clock`] (no `SystemTime` here: wasm panics on it), and
//! `k8s.io/apimachinery/pkg/util/duration`'s `HumanDuration` / `ShortHumanDuration`, which
//! kubectl uses for every AGE column.

use std::cell::Cell;
use std::fmt;

/// A point in time, seconds since the Unix epoch (UTC), the precision of `metav1.Time`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub i64);

impl Time {
    /// The Unix seconds.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// `t + secs`.
    pub fn plus(self, secs: i64) -> Time {
        Time(self.0.saturating_add(secs))
    }

    /// RFC 3339 in UTC with a `Z`, as `metav1.Time` marshals: `2026-11-24T07:28:52Z`.
    pub fn rfc3339(self) -> String {
        let days = self.0.div_euclid(86_400);
        let secs = self.0.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            y,
            m,
            d,
            secs / 3600,
            (secs / 60) % 60,
            secs % 60
        )
    }

    /// Parses RFC 3339 (`2026-11-24T07:28:52Z`, with optional fractional seconds and a numeric
    /// offset), the forms `metav1.Time` accepts. Fractions are truncated to seconds.
    pub fn parse_rfc3339(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        if b.len() < 20 {
            return None;
        }
        let num = |from: usize, len: usize| -> Option<i64> {
            let part = s.get(from..from + len)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let y = num(0, 4)?;
        let mo = num(5, 2)?;
        let d = num(8, 2)?;
        let h = num(11, 2)?;
        let mi = num(14, 2)?;
        let se = num(17, 2)?;
        if b[4] != b'-'
            || b[7] != b'-'
            || (b[10] != b'T' && b[10] != b't')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
            return None;
        }
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        let offset = match b.get(i) {
            Some(b'Z') | Some(b'z') if i + 1 == b.len() => 0,
            Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
                let oh = num(i + 1, 2)?;
                let om = num(i + 4, 2)?;
                let o = oh * 3600 + om * 60;
                if *sign == b'+' {
                    o
                } else {
                    -o
                }
            }
            _ => return None,
        };
        let days = days_from_civil(y, mo, d);
        Some(Time(days * 86_400 + h * 3600 + mi * 60 + se - offset))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) → days since 1970-01-01.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The injected wall clock. The simulated cluster never reads the system time itself.
pub trait Clock {
    /// Now, in Unix seconds.
    fn now(&self) -> Time;
}

impl<F: Fn() -> Time> Clock for F {
    fn now(&self) -> Time {
        self()
    }
}

/// A clock that only moves when told to: for tests and for replaying a session.
#[derive(Debug, Default)]
pub struct ManualClock(Cell<i64>);

impl ManualClock {
    /// A clock standing at `t`.
    pub fn new(t: Time) -> ManualClock {
        ManualClock(Cell::new(t.0))
    }
    /// Moves the clock forward by `secs` seconds.
    pub fn advance(&self, secs: i64) {
        self.0.set(self.0.get().saturating_add(secs));
    }
    /// Sets the clock to `t`.
    pub fn set(&self, t: Time) {
        self.0.set(t.0);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Time {
        Time(self.0.get())
    }
}

impl Clock for std::rc::Rc<ManualClock> {
    fn now(&self) -> Time {
        Time(self.0.get())
    }
}

/// `duration.HumanDuration(d)` for `d` in whole seconds: `5s`, `3m2s`, `17m`, `5h3m`, `2d5h`, `3y12d`.
/// Kubectl's AGE column.
pub fn human_duration(secs: i64) -> String {
    if secs < -1 {
        return "<invalid>".to_string();
    }
    if secs < 0 {
        return "0s".to_string();
    }
    if secs < 60 * 2 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{}h", hours / 24, h);
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

/// `duration.ShortHumanDuration(d)`: one unit only (`45s`, `3m`, `5h`, `2d`, `1y`).
pub fn short_human_duration(secs: i64) -> String {
    if secs < -1 {
        "<invalid>".to_string()
    } else if secs < 0 {
        "0s".to_string()
    } else if secs < 60 {
        format!("{secs}s")
    } else if secs / 60 < 60 {
        format!("{}m", secs / 60)
    } else if secs / 3600 < 24 {
        format!("{}h", secs / 3600)
    } else if secs / 3600 < 24 * 365 {
        format!("{}d", secs / 3600 / 24)
    } else {
        format!("{}y", secs / 3600 / 24 / 365)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip() {
        // 1795505197 is a `createdAt` label Helm wrote in the fixtures (2026-11-24 UTC).
        let t = Time(1_795_505_197);
        assert_eq!(t.rfc3339(), "2026-11-24T07:26:37Z");
        assert_eq!(Time::parse_rfc3339("2026-11-24T07:26:37Z"), Some(t));
        assert_eq!(Time(0).rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(Time(951_782_400).rfc3339(), "2000-02-29T00:00:00Z");
        assert_eq!(
            Time::parse_rfc3339("2026-11-24T08:26:37.123+01:00"),
            Some(t)
        );
        assert_eq!(Time::parse_rfc3339("2026-11-24 08:26:37Z"), None);
        assert_eq!(Time::parse_rfc3339("garbage"), None);
        assert_eq!(Time(-1).rfc3339(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn human_durations_match_apimachinery() {
        // Cases from k8s.io/apimachinery/pkg/util/duration/duration_test.go.
        let cases: &[(i64, &str)] = &[
            (-2, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (1, "1s"),
            (59, "59s"),
            (60, "60s"),
            (119, "119s"),
            (120, "2m"),
            (121, "2m1s"),
            (182, "3m2s"),
            (599, "9m59s"),
            (600, "10m"),
            (60 * 179, "179m"),
            (60 * 180, "3h"),
            (60 * 181, "3h1m"),
            (3600 * 7 + 60 * 59, "7h59m"),
            (3600 * 8, "8h"),
            (3600 * 47, "47h"),
            (3600 * 48, "2d"),
            (3600 * 53, "2d5h"),
            (3600 * 24 * 7 + 3600 * 23, "7d23h"),
            (3600 * 24 * 8, "8d"),
            (3600 * 24 * 729, "729d"),
            (3600 * 24 * 730, "2y"),
            (3600 * 24 * (730 + 12), "2y12d"),
            (3600 * 24 * 365 * 8, "8y"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(*secs), *want, "{secs}");
        }
        assert_eq!(short_human_duration(59), "59s");
        assert_eq!(short_human_duration(3600 * 5), "5h");
        assert_eq!(short_human_duration(3600 * 24 * 400), "1y");
    }
}
