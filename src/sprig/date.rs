//! Sprig's date functions (date.go) over Go's `time` package, and `time.Time` as templates see it.
//!
//! [`Time`] is the engine object for a Go `time.Time` (`%v` prints `2024-01-01 00:00:00 +0000
//! UTC`, templates call its methods: `.Year`, `.Format "2006"`, `.Unix`, `.UTC`, `.Add`, …). Other
//! layers use it too (Helm's release times). Helm runs in the machine's zone: `Local` is the
//! injected clock's zone (`Timestamp::offset`/`zone`, one fixed offset). IANA zones for
//! `dateInZone` come from an embedded copy of the time zone database.

#[cfg(test)]
mod conformance;
mod duration;
mod gotime;
mod tz;

use std::any::Any;

use crate::engine::func::Signature;
use crate::engine::value::{Kind, Object};
use crate::engine::{CallCtx, FnResult, FuncMap, Map, Ty, Value};

pub(crate) use duration::{format_duration, parse_duration, round_duration, truncate_duration};
pub(crate) use gotime::{month_name, parse_in_location, weekday_name, Location, Time};

pub(crate) use duration::{HOUR, MICROSECOND, MILLISECOND, MINUTE, SECOND};

/// `time.Local` for the current call (the injected clock's zone).
fn local(ctx: &CallCtx<'_>) -> Location {
    Location::local(&ctx.now())
}

/// `time.Now()`.
fn now_time(ctx: &CallCtx<'_>) -> Time {
    Time::now(&ctx.now())
}

/// The time Sprig's `dateInZone`/`ago` take from an `interface{}`: a time.Time, Unix seconds
/// as int or int64, and anything else means "now".
fn time_arg(ctx: &CallCtx<'_>, v: &Value) -> Time {
    match v {
        Value::Object(_) => match v.downcast::<Time>() {
            Some(t) => t.clone(),
            None => now_time(ctx),
        },
        Value::Int(n) | Value::Int64(n) => Time::unix(*n, 0, local(ctx)),
        _ => now_time(ctx),
    }
}

fn expect_time(v: &Value) -> Result<&Time, String> {
    v.downcast::<Time>().ok_or_else(|| {
        format!(
            "wrong type for value; expected time.Time; got {}",
            v.type_name()
        )
    })
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// `dateInZone(fmt string, date interface{}, zone string) string`; unknown zones are UTC.
pub(crate) fn date_in_zone(ctx: &CallCtx<'_>, layout: &str, date: &Value, zone: &str) -> String {
    let t = time_arg(ctx, date);
    let loc = Location::load(zone, &local(ctx)).unwrap_or_else(|_| Location::utc());
    t.in_location(loc).format(layout)
}

fn f_date(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(date_in_zone(
        ctx,
        str_arg(&a[0]),
        &a[1],
        "Local",
    )))
}

fn f_date_in_zone(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(date_in_zone(
        ctx,
        str_arg(&a[0]),
        &a[1],
        str_arg(&a[2]),
    )))
}

fn f_html_date(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(date_in_zone(
        ctx,
        "2006-01-02",
        &a[0],
        "Local",
    )))
}

fn f_html_date_in_zone(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(date_in_zone(
        ctx,
        "2006-01-02",
        &a[0],
        str_arg(&a[1]),
    )))
}

fn f_date_modify(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let t = expect_time(&a[1])?;
    Ok(match parse_duration(str_arg(&a[0])) {
        Ok(d) => Value::object(t.add(d)),
        Err(_) => a[1].clone(),
    })
}

fn f_must_date_modify(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let t = expect_time(&a[1])?;
    let d = parse_duration(str_arg(&a[0]))?;
    Ok(Value::object(t.add(d)))
}

fn f_ago(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let t = match &a[0] {
        Value::Int(n) | Value::Int64(n) => Time::unix(*n, 0, local(ctx)),
        v => match v.downcast::<Time>() {
            Some(t) => t.clone(),
            None => now_time(ctx),
        },
    };
    let d = now_time(ctx).sub(&t);
    Ok(Value::string(format_duration(round_duration(d, SECOND))))
}

/// `strconv.ParseInt(s, 10, 64)` as Sprig's `duration` uses it: syntax errors give 0, range
/// errors the clamped value (Go returns both the bound and the error; Sprig ignores the error).
fn parse_int10_clamped(s: &str) -> i64 {
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return 0;
    }
    let mut v: u128 = 0;
    for &c in digits {
        v = (v * 10 + (c - b'0') as u128).min(1 << 64);
    }
    if neg {
        if v > 1 << 63 {
            i64::MIN
        } else {
            (v as i128).wrapping_neg() as i64
        }
    } else if v > i64::MAX as u128 {
        i64::MAX
    } else {
        v as i64
    }
}

fn f_duration(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let n = match &a[0] {
        Value::String(s) => parse_int10_clamped(s),
        Value::Int64(n) => *n,
        _ => 0,
    };
    Ok(Value::string(format_duration(n.wrapping_mul(SECOND))))
}

fn f_duration_round(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let d = match &a[0] {
        Value::String(s) => parse_duration(s).unwrap_or(0),
        Value::Int64(n) => *n,
        v => match v.downcast::<Time>() {
            Some(t) => now_time(ctx).sub(t),
            None => 0,
        },
    };
    let u = d.unsigned_abs();
    let year = HOUR as u64 * 24 * 365;
    let month = HOUR as u64 * 24 * 30;
    let day = HOUR as u64 * 24;
    let (hour, minute, second) = (HOUR as u64, MINUTE as u64, SECOND as u64);
    let s = if u > year {
        format!("{}y", u / year)
    } else if u > month {
        format!("{}mo", u / month)
    } else if u > day {
        format!("{}d", u / day)
    } else if u > hour {
        format!("{}h", u / hour)
    } else if u > minute {
        format!("{}m", u / minute)
    } else if u > second {
        format!("{}s", u / second)
    } else {
        "0s".to_string()
    };
    Ok(Value::string(s))
}

fn f_to_date(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let l = local(ctx);
    let t = parse_in_location(str_arg(&a[0]), str_arg(&a[1]), &l, &l)
        .unwrap_or_else(|_| Time::zero().with_local(&l));
    Ok(Value::object(t))
}

fn f_must_to_date(ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    let l = local(ctx);
    Ok(Value::object(parse_in_location(
        str_arg(&a[0]),
        str_arg(&a[1]),
        &l,
        &l,
    )?))
}

fn f_unix_epoch(_ctx: &mut CallCtx<'_>, a: &[Value]) -> FnResult {
    Ok(Value::string(expect_time(&a[0])?.unix_sec().to_string()))
}

fn f_now(ctx: &mut CallCtx<'_>, _a: &[Value]) -> FnResult {
    Ok(Value::object(now_time(ctx)))
}

pub(crate) fn register(m: &mut FuncMap) {
    const ANY: Signature = Signature::fixed(&[Ty::Any]);
    const S_ANY: Signature = Signature::fixed(&[Ty::String, Ty::Any]);
    const S_ANY_S: Signature = Signature::fixed(&[Ty::String, Ty::Any, Ty::String]);
    const ANY_S: Signature = Signature::fixed(&[Ty::Any, Ty::String]);
    const S_TIME: Signature = Signature::fixed(&[Ty::String, Ty::Time]);
    const S_S: Signature = Signature::fixed(&[Ty::String, Ty::String]);
    m.add("ago", ANY, f_ago);
    m.add("date", S_ANY, f_date);
    m.add("date_in_zone", S_ANY_S, f_date_in_zone);
    m.add("date_modify", S_TIME, f_date_modify);
    m.add("dateInZone", S_ANY_S, f_date_in_zone);
    m.add("dateModify", S_TIME, f_date_modify);
    m.add("duration", ANY, f_duration);
    m.add("durationRound", ANY, f_duration_round);
    m.add("htmlDate", ANY, f_html_date);
    m.add("htmlDateInZone", ANY_S, f_html_date_in_zone);
    m.add("must_date_modify", S_TIME, f_must_date_modify);
    m.add("mustDateModify", S_TIME, f_must_date_modify);
    m.add("mustToDate", S_S, f_must_to_date);
    m.add("now", Signature::fixed(&[]), f_now);
    m.add("toDate", S_S, f_to_date);
    m.add("unixEpoch", Signature::fixed(&[Ty::Time]), f_unix_epoch);
}

// ---------------------------------------------------------------------------------------------
// Engine objects

/// A `time.Duration` value (`.Sub`, `now.Sub`); prints as `1h0m0s`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GoDuration(pub i64);

/// A `time.Month` (`.Month`); prints its English name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GoMonth(pub i64);

/// A `time.Weekday` (`.Weekday`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GoWeekday(pub i64);

/// A duration parameter: Go converts a constant to `time.Duration`; a Duration value passes as is.
fn duration_arg(v: &Value) -> i64 {
    match v {
        Value::Int(n) | Value::Int64(n) => *n,
        Value::Uint(n) => *n as i64,
        Value::Float(f) => *f as i64,
        other => other.downcast::<GoDuration>().map_or(0, |d| d.0),
    }
}

const NO_ARGS: Signature = Signature::fixed(&[]);
const DURATION_ARG: Signature = Signature::fixed(&[Ty::Int64]);
const TIME_ARG: Signature = Signature::fixed(&[Ty::Time]);

impl Object for Time {
    fn type_name(&self) -> &str {
        "time.Time"
    }
    fn kind(&self) -> Kind {
        Kind::Struct
    }
    fn method(&self, name: &str) -> Option<Signature> {
        Some(match name {
            "Day" | "Hour" | "Minute" | "Second" | "Nanosecond" | "Year" | "YearDay" | "Month"
            | "Weekday" | "Unix" | "UnixMilli" | "UnixMicro" | "UnixNano" | "IsZero" | "IsDST"
            | "String" | "GoString" | "UTC" | "Local" | "Location" | "MarshalJSON"
            | "MarshalText" => NO_ARGS,
            "Format" => Signature::fixed(&[Ty::String]),
            "AppendFormat" => Signature::fixed(&[Ty::Bytes, Ty::String]),
            "Add" | "Round" | "Truncate" => DURATION_ARG,
            "Sub" | "Equal" | "Before" | "After" | "Compare" => TIME_ARG,
            "AddDate" => Signature::fixed(&[Ty::Int, Ty::Int, Ty::Int]),
            "In" => Signature::fixed(&[Ty::Named("*time.Location")]),
            _ => return None,
        })
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let time_at = |i: usize| -> Result<&Time, String> {
            args.get(i)
                .and_then(|v| v.downcast::<Time>())
                .ok_or_else(|| "wrong type for value; expected time.Time".to_string())
        };
        let int_at = |i: usize| match args.get(i) {
            Some(Value::Int(n) | Value::Int64(n)) => *n,
            _ => 0,
        };
        let f = || self.fields();
        Ok(match name {
            "Day" => Value::Int(f().day),
            "Hour" => Value::Int(f().hour),
            "Minute" => Value::Int(f().min),
            "Second" => Value::Int(f().sec),
            "Nanosecond" => Value::Int(self.nanosecond() as i64),
            "Year" => Value::Int(f().year),
            "YearDay" => Value::Int(f().yday),
            "Month" => Value::object(GoMonth(f().month)),
            "Weekday" => Value::object(GoWeekday(f().weekday)),
            "Unix" => Value::Int64(self.unix_sec()),
            "UnixMilli" => Value::Int64(self.unix_milli()),
            "UnixMicro" => Value::Int64(self.unix_micro()),
            "UnixNano" => Value::Int64(self.unix_nano()),
            "IsZero" => Value::Bool(self.is_zero()),
            "IsDST" => Value::Bool(self.zone().is_dst),
            "String" => Value::string(self.go_string()),
            "GoString" => Value::string(self.go_syntax()),
            "UTC" => Value::object(self.in_location(Location::utc())),
            "Local" => Value::object(self.in_location(self.local_location().clone())),
            "Location" => Value::object(self.location().clone()),
            "MarshalJSON" => Value::Bytes(
                format!("\"{}\"", self.format(RFC3339_NANO))
                    .into_bytes()
                    .into(),
            ),
            "MarshalText" => Value::Bytes(self.format(RFC3339_NANO).into_bytes().into()),
            "Format" => {
                Value::string(self.format(args.first().and_then(Value::as_str).unwrap_or("")))
            }
            "AppendFormat" => {
                let mut b = match args.first() {
                    Some(Value::Bytes(b)) => b.to_vec(),
                    _ => Vec::new(),
                };
                b.extend_from_slice(
                    self.format(args.get(1).and_then(Value::as_str).unwrap_or(""))
                        .as_bytes(),
                );
                Value::Bytes(b.into())
            }
            "Add" => Value::object(self.add(duration_arg(args.first().unwrap_or(&Value::Nil)))),
            "Round" => Value::object(self.round(duration_arg(args.first().unwrap_or(&Value::Nil)))),
            "Truncate" => {
                Value::object(self.truncate(duration_arg(args.first().unwrap_or(&Value::Nil))))
            }
            "Sub" => Value::object(GoDuration(self.sub(time_at(0)?))),
            "Equal" => Value::Bool(self.equal(time_at(0)?)),
            "Before" => Value::Bool(self.before(time_at(0)?)),
            "After" => Value::Bool(self.after(time_at(0)?)),
            "Compare" => Value::Int(self.compare(time_at(0)?)),
            "AddDate" => Value::object(self.add_date(int_at(0), int_at(1), int_at(2))),
            "In" => match args.first().and_then(|v| v.downcast::<Location>()) {
                Some(loc) => Value::object(self.in_location(loc.clone())),
                // Go panics on a nil *Location
                None => return Err("time: missing Location in call to Time.In".into()),
            },
            _ => return Err(format!("no method {name}")),
        })
    }
    fn write_v(&self, out: &mut String, _plus: bool) {
        out.push_str(&self.go_string());
    }
    fn marshal(&self) -> Option<Value> {
        Some(Value::string(self.format(RFC3339_NANO)))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Go's `time.RFC3339Nano`, which `MarshalJSON` uses.
pub(crate) const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

impl Object for GoDuration {
    fn as_int(&self) -> Option<i64> {
        Some(self.0)
    }
    fn type_name(&self) -> &str {
        "time.Duration"
    }
    fn kind(&self) -> Kind {
        Kind::Int64
    }
    fn method(&self, name: &str) -> Option<Signature> {
        Some(match name {
            "Hours" | "Minutes" | "Seconds" | "Milliseconds" | "Microseconds" | "Nanoseconds"
            | "String" | "Abs" => NO_ARGS,
            "Round" | "Truncate" => DURATION_ARG,
            _ => return None,
        })
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, String> {
        let d = self.0;
        let split = |unit: i64| (d / unit) as f64 + (d % unit) as f64 / unit as f64;
        Ok(match name {
            "Hours" => Value::Float(split(HOUR)),
            "Minutes" => Value::Float(split(MINUTE)),
            "Seconds" => Value::Float(split(SECOND)),
            "Milliseconds" => Value::Int64(d / MILLISECOND),
            "Microseconds" => Value::Int64(d / MICROSECOND),
            "Nanoseconds" => Value::Int64(d),
            "String" => Value::string(format_duration(d)),
            "Abs" => Value::object(GoDuration(if d >= 0 {
                d
            } else if d == i64::MIN {
                i64::MAX
            } else {
                -d
            })),
            "Round" => Value::object(GoDuration(round_duration(
                d,
                duration_arg(args.first().unwrap_or(&Value::Nil)),
            ))),
            "Truncate" => Value::object(GoDuration(truncate_duration(
                d,
                duration_arg(args.first().unwrap_or(&Value::Nil)),
            ))),
            _ => return Err(format!("no method {name}")),
        })
    }
    fn write_v(&self, out: &mut String, _plus: bool) {
        out.push_str(&format_duration(self.0));
    }
    fn marshal(&self) -> Option<Value> {
        Some(Value::Int64(self.0))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for GoMonth {
    fn as_int(&self) -> Option<i64> {
        Some(self.0)
    }
    fn type_name(&self) -> &str {
        "time.Month"
    }
    fn kind(&self) -> Kind {
        Kind::Int
    }
    fn method(&self, name: &str) -> Option<Signature> {
        (name == "String").then_some(NO_ARGS)
    }
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        match name {
            "String" => Ok(Value::string(month_name(self.0))),
            _ => Err(format!("no method {name}")),
        }
    }
    fn write_v(&self, out: &mut String, _plus: bool) {
        out.push_str(&month_name(self.0));
    }
    fn marshal(&self) -> Option<Value> {
        Some(Value::Int(self.0))
    }
    fn truth(&self) -> bool {
        self.0 != 0
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for GoWeekday {
    fn as_int(&self) -> Option<i64> {
        Some(self.0)
    }
    fn type_name(&self) -> &str {
        "time.Weekday"
    }
    fn kind(&self) -> Kind {
        Kind::Int
    }
    fn method(&self, name: &str) -> Option<Signature> {
        (name == "String").then_some(NO_ARGS)
    }
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        match name {
            "String" => Ok(Value::string(weekday_name(self.0))),
            _ => Err(format!("no method {name}")),
        }
    }
    fn write_v(&self, out: &mut String, _plus: bool) {
        out.push_str(&weekday_name(self.0));
    }
    fn marshal(&self) -> Option<Value> {
        Some(Value::Int(self.0))
    }
    fn truth(&self) -> bool {
        self.0 != 0
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Object for Location {
    fn type_name(&self) -> &str {
        "*time.Location"
    }
    fn kind(&self) -> Kind {
        Kind::Ptr
    }
    fn method(&self, name: &str) -> Option<Signature> {
        (name == "String").then_some(NO_ARGS)
    }
    fn call_method(&self, name: &str, _args: &[Value]) -> Result<Value, String> {
        match name {
            "String" => Ok(Value::str(self.name())),
            _ => Err(format!("no method {name}")),
        }
    }
    fn write_v(&self, out: &mut String, _plus: bool) {
        out.push_str(self.name());
    }
    fn marshal(&self) -> Option<Value> {
        // a struct of unexported fields marshals as {}
        Some(Value::Map(Map::new()))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Env, Timestamp};

    fn call_at(now: Timestamp, name: &str, args: &[Value]) -> FnResult {
        let mut m = FuncMap::new();
        register(&mut m);
        let env = Env::fixed(now, 1);
        let f = m.get(name).expect("registered");
        CallCtx::with_env(&env, |ctx| (f.imp)(ctx, args))
    }

    fn call(name: &str, args: &[Value]) -> FnResult {
        call_at(Timestamp::utc(1_704_067_200, 0), name, args)
    }

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    fn out(name: &str, args: &[Value]) -> String {
        call(name, args).expect("ok").to_v()
    }

    fn to_date(layout: &str, value: &str) -> Value {
        call("toDate", &[s(layout), s(value)]).expect("ok")
    }

    const RFC3339: &str = "2006-01-02T15:04:05Z07:00";

    #[test]
    fn fn_date_case() {
        let t = to_date("2006-01-02 15:04:05", "2024-03-05 07:08:09");
        assert_eq!(out("date", &[s("2006-01-02"), t.clone()]), "2024-03-05");
        assert_eq!(
            out("date", &[s("Jan 2, 2006 at 3:04pm (Mon)"), t.clone()]),
            "Mar 5, 2024 at 7:08am (Tue)"
        );
        assert_eq!(
            out("date", &[s("15:04:05.000 PM"), t.clone()]),
            "07:08:09.000 AM"
        );
        assert_eq!(
            out("date", &[s("20060102150405"), t.clone()]),
            "20240305070809"
        );
        assert_eq!(
            out("date", &[s("Monday January _2 06"), t]),
            "Tuesday March  5 24"
        );
        assert_eq!(
            out(
                "date",
                &[s("2006-01-02"), to_date("2006-01-02", "1970-01-01")]
            ),
            "1970-01-01"
        );
    }

    #[test]
    fn fn_date_in_zone_case() {
        let dz = |l: &str, d: Value, z: &str| out("dateInZone", &[s(l), d, s(z)]);
        assert_eq!(dz(RFC3339, Value::Int(0), "UTC"), "1970-01-01T00:00:00Z");
        assert_eq!(
            dz("2006-01-02 15:04 MST", Value::Int(1_700_000_000), "UTC"),
            "2023-11-14 22:13 UTC"
        );
        assert_eq!(
            dz(
                "2006-01-02 15:04 MST",
                Value::Int64(1_700_000_000),
                "Asia/Tokyo"
            ),
            "2023-11-15 07:13 JST"
        );
        assert_eq!(
            dz(
                "2006-01-02 15:04 MST -0700",
                Value::Int(1_700_000_000),
                "America/New_York"
            ),
            "2023-11-14 17:13 EST -0500"
        );
        assert_eq!(
            dz(
                "2006-01-02 15:04 MST",
                Value::Int(1_700_000_000),
                "Not/AZone"
            ),
            "2023-11-14 22:13 UTC"
        );
        assert_eq!(
            dz(
                "Mon Jan 2 15:04:05 2006",
                to_date(RFC3339, "2024-07-04T12:00:00-05:00"),
                "UTC"
            ),
            "Thu Jul 4 17:00:00 2024"
        );
        assert_eq!(dz("15:04:05", Value::Int(97), "UTC"), "00:01:37");
        // a float64 or a string is not a time: now is used
        assert_eq!(dz("2006", Value::Float(978_307_200.0), "UTC"), "2024");
        assert_eq!(dz("2006", Value::Int64(978_307_200), "UTC"), "2001");
        assert_eq!(dz("2006", s("2001-01-01"), "UTC"), "2024");
        assert_eq!(
            out(
                "date_in_zone",
                &[s("2006-01-02 15:04:05"), Value::Int(86400), s("UTC")]
            ),
            "1970-01-02 00:00:00"
        );
        assert_eq!(
            out(
                "date_in_zone",
                &[
                    s("Jan 2 15:04 MST"),
                    to_date(RFC3339, "2020-02-29T12:00:00Z"),
                    s("Europe/Berlin")
                ]
            ),
            "Feb 29 13:00 CET"
        );
    }

    #[test]
    fn fn_html_date_cases() {
        assert_eq!(
            out(
                "htmlDate",
                &[to_date("2006-01-02 15:04", "2024-03-05 23:59")]
            ),
            "2024-03-05"
        );
        assert_eq!(
            out("htmlDate", &[to_date("02.01.2006", "31.12.1999")]),
            "1999-12-31"
        );
        let h = |d: Value, z: &str| out("htmlDateInZone", &[d, s(z)]);
        assert_eq!(h(Value::Int(1_700_000_000), "UTC"), "2023-11-14");
        assert_eq!(
            h(Value::Int(1_700_000_000), "Pacific/Kiritimati"),
            "2023-11-15"
        );
        assert_eq!(h(Value::Int(0), "America/Los_Angeles"), "1969-12-31");
        assert_eq!(
            h(to_date(RFC3339, "2024-01-01T23:30:00Z"), "Asia/Kolkata"),
            "2024-01-02"
        );
    }

    #[test]
    fn fn_date_modify_cases() {
        let t = to_date(RFC3339, "2024-01-31T10:00:00Z");
        let dm = |d: &str| call("dateModify", &[s(d), t.clone()]).expect("ok");
        let fmt = |v: Value, l: &str| out("dateInZone", &[s(l), v, s("UTC")]);
        assert_eq!(fmt(dm("+1h30m"), "2006-01-02 15:04"), "2024-01-31 11:30");
        assert_eq!(fmt(dm("-48h"), "2006-01-02 15:04"), "2024-01-29 10:00");
        assert_eq!(fmt(dm("bad"), "2006-01-02 15:04"), "2024-01-31 10:00");
        assert_eq!(
            fmt(dm("1.5s"), "2006-01-02 15:04:05.000"),
            "2024-01-31 10:00:01.500"
        );
        let e = dm("720h");
        assert_eq!(
            e.downcast::<Time>().expect("time").format("2006-01-02"),
            "2024-03-01"
        );
        assert_eq!(out("unixEpoch", &[dm("-1m")]), "1706695140");

        let t = to_date(RFC3339, "2000-02-28T23:00:00Z");
        let m = call("date_modify", &[s("2h"), t.clone()]).expect("ok");
        assert_eq!(fmt(m, "2006-01-02 15:04"), "2000-02-29 01:00");
        assert_eq!(
            fmt(
                call("date_modify", &[s("nope"), t]).expect("ok"),
                "2006-01-02"
            ),
            "2000-02-28"
        );
    }

    #[test]
    fn fn_must_date_modify_cases() {
        let t = to_date(RFC3339, "2024-12-31T23:59:00Z");
        let m = call("mustDateModify", &[s("1m"), t.clone()]).expect("ok");
        assert_eq!(
            out("dateInZone", &[s("2006-01-02 15:04"), m, s("UTC")]),
            "2025-01-01 00:00"
        );
        assert_eq!(
            out(
                "unixEpoch",
                &[call("mustDateModify", &[s("-1h"), t]).expect("ok")]
            ),
            "1735685940"
        );
        let t = to_date("2006", "2020");
        assert_eq!(
            call("mustDateModify", &[s("bad"), t.clone()])
                .err()
                .as_deref(),
            Some("time: invalid duration \"bad\"")
        );
        assert_eq!(
            call("must_date_modify", &[s("1d"), t]).err().as_deref(),
            Some("time: unknown unit \"d\" in duration \"1d\"")
        );
        let t = to_date(RFC3339, "2024-06-01T12:00:00Z");
        assert_eq!(
            out(
                "unixEpoch",
                &[call("must_date_modify", &[s("10m"), t]).expect("ok")]
            ),
            "1717243800"
        );
    }

    #[test]
    fn fn_to_date_cases() {
        let t = to_date("2006-01-02 15:04", "2024-03-05 07:08");
        assert_eq!(out("date", &[s("2006-01-02T15:04"), t]), "2024-03-05T07:08");
        assert_eq!(
            out(
                "dateInZone",
                &[
                    s(RFC3339),
                    to_date(RFC3339, "2024-01-01T12:00:00+02:00"),
                    s("UTC")
                ]
            ),
            "2024-01-01T10:00:00Z"
        );
        assert_eq!(
            out("unixEpoch", &[to_date(RFC3339, "2024-01-01T00:00:00Z")]),
            "1704067200"
        );
        assert_eq!(
            out(
                "dateInZone",
                &[
                    s("2006-01-02 15:04:05"),
                    to_date("2006-01-02", "bad"),
                    s("UTC")
                ]
            ),
            "0001-01-01 00:00:00"
        );
        assert_eq!(
            out("unixEpoch", &[to_date("2006-01-02", "not a date")]),
            "-62135596800"
        );
        assert_eq!(to_date("2006", "2020").type_name(), "time.Time");
        let t = to_date(RFC3339, "2024-02-29T23:59:59Z");
        let o = t.downcast::<Time>().expect("time");
        assert_eq!(
            o.call_method("Weekday", &[]).expect("ok").to_v(),
            "Thursday"
        );
        let t = to_date("02/01/2006", "25/12/2023");
        assert_eq!(
            t.downcast::<Time>()
                .expect("time")
                .call_method("YearDay", &[])
                .expect("ok")
                .to_v(),
            "359"
        );
        assert_eq!(
            call("mustToDate", &[s("2006-01-02"), s("2024-13-01")])
                .err()
                .as_deref(),
            Some("parsing time \"2024-13-01\": month out of range")
        );
        assert_eq!(
            out(
                "unixEpoch",
                &[call("mustToDate", &[s(RFC3339), s("2023-06-15T08:30:00-04:00")]).expect("ok")]
            ),
            "1686832200"
        );
        assert_eq!(
            out(
                "date",
                &[
                    s("Jan 2 2006"),
                    call("mustToDate", &[s("2006-01-02"), s("1999-12-31")]).expect("ok")
                ]
            ),
            "Dec 31 1999"
        );
    }

    #[test]
    fn fn_unix_epoch_cases() {
        assert_eq!(
            out("unixEpoch", &[to_date(RFC3339, "1970-01-01T00:00:00Z")]),
            "0"
        );
        assert_eq!(
            out("unixEpoch", &[to_date(RFC3339, "2038-01-19T03:14:08Z")]),
            "2147483648"
        );
        assert_eq!(
            out("unixEpoch", &[to_date(RFC3339, "1969-12-31T23:59:59Z")]),
            "-1"
        );
        assert_eq!(
            out(
                "unixEpoch",
                &[to_date(
                    "2006-01-02T15:04:05-0700",
                    "2024-05-01T00:00:00+0530"
                )]
            ),
            "1714501800"
        );
    }

    #[test]
    fn fn_duration_cases() {
        let d = |v: Value| out("duration", &[v]);
        assert_eq!(d(s("95")), "1m35s");
        assert_eq!(d(Value::Int64(3600)), "1h0m0s");
        assert_eq!(d(s("0")), "0s");
        assert_eq!(d(s("-61")), "-1m1s");
        assert_eq!(d(Value::Int(95)), "0s");
        assert_eq!(d(Value::Float(95.0)), "0s");
        assert_eq!(d(s("1.5")), "0s");
        assert_eq!(d(s("abc")), "0s");
        assert_eq!(d(s("86400")), "24h0m0s");
        assert_eq!(d(s("31536000")), "8760h0m0s");
    }

    #[test]
    fn fn_duration_round_cases() {
        let d = |v: Value| out("durationRound", &[v]);
        let line = |xs: &[&str]| xs.iter().map(|x| d(s(x))).collect::<Vec<_>>().join(" ");
        assert_eq!(
            line(&["2h10m5s", "400h", "10s", "1s", "0s"]),
            "2h 16d 10s 0s 0s"
        );
        assert_eq!(
            line(&["-3h", "24h", "25h", "8760h", "8761h"]),
            "3h 24h 1d 12mo 1y"
        );
        assert_eq!(d(Value::Int64(90_000_000_000)), "1m");
        assert_eq!(d(Value::Int(5)), "0s");
        assert_eq!(line(&["bad", "1m1s", "1500ms", "721h"]), "0s 1m 1s 1mo");
    }

    #[test]
    fn fn_ago_and_now_cases() {
        assert_eq!(out("ago", &[call("now", &[]).expect("ok")]), "0s");
        assert_eq!(
            out("ago", &[to_date(RFC3339, "2000-01-01T00:00:00Z")]),
            "210384h0m0s"
        );
        assert_eq!(out("ago", &[Value::Int(97)]), "473351h58m23s");
        let now = call("now", &[]).expect("ok");
        assert_eq!(now.type_name(), "time.Time");
        assert_eq!(now.to_v(), "2024-01-01 00:00:00 +0000 UTC m=+0.000000000");
        assert_eq!(out("date", &[s("2006"), now.clone()]), "2024");
        assert_eq!(out("htmlDate", std::slice::from_ref(&now)), "2024-01-01");
        assert_eq!(out("unixEpoch", &[now]), "1704067200");
    }

    #[test]
    fn local_is_the_clock_zone() {
        let cet = Timestamp {
            secs: 1_704_067_200,
            nanos: 0,
            offset: 3600,
            zone: "CET".into(),
        };
        let now = call_at(cet.clone(), "now", &[]).expect("ok");
        assert_eq!(now.to_v(), "2024-01-01 01:00:00 +0100 CET m=+0.000000000");
        let t = call_at(cet.clone(), "toDate", &[s("2006-01-02"), s("2024-03-05")]).expect("ok");
        assert_eq!(t.to_v(), "2024-03-05 00:00:00 +0100 CET");
        let o = t.downcast::<Time>().expect("time");
        assert_eq!(
            o.call_method("UTC", &[]).expect("ok").to_v(),
            "2024-03-04 23:00:00 +0000 UTC"
        );
        let utc = o.call_method("UTC", &[]).expect("ok");
        let back = utc
            .downcast::<Time>()
            .expect("time")
            .call_method("Local", &[])
            .expect("ok");
        assert_eq!(back.to_v(), "2024-03-05 00:00:00 +0100 CET");
        assert_eq!(
            call_at(cet, "date", &[s("15:04 MST"), Value::Int(0)])
                .expect("ok")
                .to_v(),
            "01:00 CET"
        );
    }

    #[test]
    fn time_methods() {
        let t = to_date(RFC3339, "2024-02-29T23:59:59Z");
        let o = t.downcast::<Time>().expect("time");
        let m = |name: &str, args: &[Value]| o.call_method(name, args).expect("ok");
        assert_eq!(m("Year", &[]).type_name(), "int");
        assert_eq!(m("Month", &[]).to_v(), "February");
        assert_eq!(m("Month", &[]).type_name(), "time.Month");
        assert_eq!(m("Unix", &[]).type_name(), "int64");
        assert_eq!(m("Format", &[s("2006")]).to_v(), "2024");
        assert_eq!(
            m("Add", &[Value::Int64(SECOND)]).to_v(),
            "2024-03-01 00:00:00 +0000 UTC"
        );
        assert_eq!(
            m("AddDate", &[Value::Int(1), Value::Int(0), Value::Int(0)]).to_v(),
            "2025-03-01 23:59:59 +0000 UTC"
        );
        assert_eq!(m("Location", &[]).to_v(), "UTC");
        let later = to_date(RFC3339, "2024-03-01T01:00:00Z");
        let d = later
            .downcast::<Time>()
            .expect("time")
            .call_method("Sub", std::slice::from_ref(&t))
            .expect("ok");
        assert_eq!(d.to_v(), "1h0m1s");
        assert_eq!(d.type_name(), "time.Duration");
        assert_eq!(
            d.downcast::<GoDuration>()
                .expect("d")
                .call_method("Minutes", &[])
                .expect("ok")
                .to_v(),
            "60.016666666666666"
        );
        assert_eq!(
            m("MarshalJSON", &[]).to_v(),
            "[34 50 48 50 52 45 48 50 45 50 57 84 50 51 58 53 57 58 53 57 90 34]"
        );
        assert_eq!(
            t.downcast::<Time>()
                .expect("t")
                .marshal()
                .expect("json")
                .to_v(),
            "2024-02-29T23:59:59Z"
        );
        assert!(o.method("Zone").is_none());
    }
    /// `toDate LAYOUT VALUE` printed as `{{ $t }}|{{ $t.Unix }}|{{ $t.Location }}` by real Helm
    /// (machine zone UTC); failures give the zero time.
    #[test]
    fn to_date_oracle_table() {
        let table: &[(&str, &str, &str)] = &[
            (
                "2006-01-02 15:04:05",
                "2024-03-05 07:08:09.123456",
                "2024-03-05 07:08:09.123456 +0000 UTC|1709622489|Local",
            ),
            (
                "2006-01-02 15:04:05.000",
                "2024-03-05 07:08:09.1",
                "0001-01-01 00:00:00 +0000 UTC|-62135596800|UTC",
            ),
            (
                "2006-01-02 15:04:05.999",
                "2024-03-05 07:08:09",
                "2024-03-05 07:08:09 +0000 UTC|1709622489|Local",
            ),
            (
                "2006-01-02 15:04:05,000",
                "2024-03-05 07:08:09,123",
                "2024-03-05 07:08:09.123 +0000 UTC|1709622489|Local",
            ),
            (
                "3:04PM",
                "12:30AM",
                "0000-01-01 00:30:00 +0000 UTC|-62167217400|Local",
            ),
            (
                "3:04pm",
                "12:30pm",
                "0000-01-01 12:30:00 +0000 UTC|-62167174200|Local",
            ),
            (
                "03:04 PM Jan 2",
                "11:59 PM Feb 29",
                "0000-02-29 23:59:00 +0000 UTC|-62162035260|Local",
            ),
            (
                "Mon Jan _2 15:04:05 2006",
                "Tue Mar  5 07:08:09 2024",
                "2024-03-05 07:08:09 +0000 UTC|1709622489|Local",
            ),
            (
                "Monday, 02-Jan-06 15:04:05 MST",
                "Tuesday, 05-Mar-24 07:08:09 PST",
                "2024-03-05 07:08:09 +0000 PST|1709622489|PST",
            ),
            (
                "2006-01-02T15:04:05Z07",
                "2024-03-05T07:08:09+05",
                "2024-03-05 07:08:09 +0500 +0500|1709604489|",
            ),
            (
                "2006-01-02T15:04:05-07:00:00",
                "2024-03-05T07:08:09-01:30:15",
                "2024-03-05 07:08:09 -0130 -0130|1709627904|",
            ),
            (
                "2006-01-02 MST",
                "2024-03-05 GMT+3",
                "2024-03-05 03:00:00 +0300 GMT+3|1709596800|GMT+3",
            ),
            (
                "2006-01-02 MST",
                "2024-03-05 UTC",
                "2024-03-05 00:00:00 +0000 UTC|1709596800|UTC",
            ),
            (
                "2006-01-02 MST",
                "2024-03-05 CEST",
                "2024-03-05 00:00:00 +0000 CEST|1709596800|CEST",
            ),
            (
                "2006-01-02 MST",
                "2024-03-05 +0530",
                "0001-01-01 00:00:00 +0000 UTC|-62135596800|UTC",
            ),
            (
                "2006 002",
                "2024 060",
                "2024-02-29 00:00:00 +0000 UTC|1709164800|Local",
            ),
            (
                "2006 __2",
                "2024  60",
                "2024-02-29 00:00:00 +0000 UTC|1709164800|Local",
            ),
            (
                "2006 002",
                "2023 366",
                "0001-01-01 00:00:00 +0000 UTC|-62135596800|UTC",
            ),
            (
                "2006-01-02 002",
                "2024-03-01 061",
                "2024-03-01 00:00:00 +0000 UTC|1709251200|Local",
            ),
            (
                "06-01-02",
                "69-01-02",
                "1969-01-02 00:00:00 +0000 UTC|-31449600|Local",
            ),
            (
                "06-01-02",
                "68-01-02",
                "2068-01-02 00:00:00 +0000 UTC|3092688000|Local",
            ),
            (
                "Jan 2006",
                "sep 2024",
                "2024-09-01 00:00:00 +0000 UTC|1725148800|Local",
            ),
            (
                "January 2006",
                "SEPTEMBER 2024",
                "2024-09-01 00:00:00 +0000 UTC|1725148800|Local",
            ),
            (
                "2006-01-02",
                "2024-1-2",
                "0001-01-01 00:00:00 +0000 UTC|-62135596800|UTC",
            ),
            (
                "2006-1-2",
                "2024-1-2",
                "2024-01-02 00:00:00 +0000 UTC|1704153600|Local",
            ),
            (
                "2006-01-02 15:04:05 -0700",
                "2024-03-05 07:08:09 +2500",
                "0001-01-01 00:00:00 +0000 UTC|-62135596800|UTC",
            ),
            (
                "15:04:05",
                "24:00:00",
                "0001-01-01 00:00:00 +0000 UTC|-62135596800|UTC",
            ),
            (
                "2006-01-02T15:04:05.999999999Z07:00",
                "2024-03-05T07:08:09.123456789123Z",
                "2024-03-05 07:08:09.123456789 +0000 UTC|1709622489|UTC",
            ),
            (
                "2006",
                "+024",
                "0001-01-01 00:00:00 +0000 UTC|-62135596800|UTC",
            ),
            (
                "Jan _2",
                "Feb 29",
                "0000-02-29 00:00:00 +0000 UTC|-62162121600|Local",
            ),
            (
                "2006-01-02",
                "0000-00-00",
                "0001-01-01 00:00:00 +0000 UTC|-62135596800|UTC",
            ),
        ];
        for (layout, value, want) in table {
            let t = to_date(layout, value);
            let o = t.downcast::<Time>().expect("time");
            let got = format!(
                "{}|{}|{}",
                t.to_v(),
                o.call_method("Unix", &[]).expect("unix").to_v(),
                o.call_method("Location", &[]).expect("loc").to_v()
            );
            assert_eq!(&got, want, "{layout} / {value}");
        }
    }
    /// `dateInZone "2006-01-02T15:04:05 MST -07:00" (int64 T) ZONE` from real Helm (Debian's
    /// tzdata): historical LMT offsets, DST rules, half-hour zones, dates past 2037.
    #[test]
    fn zone_oracle_table() {
        let times: [i64; 13] = [
            -2208988800,
            -1000000000,
            0,
            946684800,
            1111111111,
            1300000000,
            1700000000,
            1719792000,
            2000000000,
            2240611200,
            4102444800,
            4118083200,
            7258118400,
        ];
        let table: &[(&str, &[&str])] = &[
            (
                "UTC",
                &[
                    "1900-01-01T00:00:00 UTC +00:00",
                    "1938-04-24T22:13:20 UTC +00:00",
                    "1970-01-01T00:00:00 UTC +00:00",
                    "2000-01-01T00:00:00 UTC +00:00",
                    "2005-03-18T01:58:31 UTC +00:00",
                    "2011-03-13T07:06:40 UTC +00:00",
                    "2023-11-14T22:13:20 UTC +00:00",
                    "2024-07-01T00:00:00 UTC +00:00",
                    "2033-05-18T03:33:20 UTC +00:00",
                    "2041-01-01T00:00:00 UTC +00:00",
                    "2100-01-01T00:00:00 UTC +00:00",
                    "2100-07-01T00:00:00 UTC +00:00",
                    "2200-01-01T00:00:00 UTC +00:00",
                ],
            ),
            (
                "America/New_York",
                &[
                    "1899-12-31T19:00:00 EST -05:00",
                    "1938-04-24T18:13:20 EDT -04:00",
                    "1969-12-31T19:00:00 EST -05:00",
                    "1999-12-31T19:00:00 EST -05:00",
                    "2005-03-17T20:58:31 EST -05:00",
                    "2011-03-13T03:06:40 EDT -04:00",
                    "2023-11-14T17:13:20 EST -05:00",
                    "2024-06-30T20:00:00 EDT -04:00",
                    "2033-05-17T23:33:20 EDT -04:00",
                    "2040-12-31T19:00:00 EST -05:00",
                    "2099-12-31T19:00:00 EST -05:00",
                    "2100-06-30T20:00:00 EDT -04:00",
                    "2199-12-31T19:00:00 EST -05:00",
                ],
            ),
            (
                "Europe/Berlin",
                &[
                    "1900-01-01T01:00:00 CET +01:00",
                    "1938-04-24T23:13:20 CET +01:00",
                    "1970-01-01T01:00:00 CET +01:00",
                    "2000-01-01T01:00:00 CET +01:00",
                    "2005-03-18T02:58:31 CET +01:00",
                    "2011-03-13T08:06:40 CET +01:00",
                    "2023-11-14T23:13:20 CET +01:00",
                    "2024-07-01T02:00:00 CEST +02:00",
                    "2033-05-18T05:33:20 CEST +02:00",
                    "2041-01-01T01:00:00 CET +01:00",
                    "2100-01-01T01:00:00 CET +01:00",
                    "2100-07-01T02:00:00 CEST +02:00",
                    "2200-01-01T01:00:00 CET +01:00",
                ],
            ),
            (
                "Asia/Kolkata",
                &[
                    "1900-01-01T05:21:10 MMT +05:21",
                    "1938-04-25T03:43:20 IST +05:30",
                    "1970-01-01T05:30:00 IST +05:30",
                    "2000-01-01T05:30:00 IST +05:30",
                    "2005-03-18T07:28:31 IST +05:30",
                    "2011-03-13T12:36:40 IST +05:30",
                    "2023-11-15T03:43:20 IST +05:30",
                    "2024-07-01T05:30:00 IST +05:30",
                    "2033-05-18T09:03:20 IST +05:30",
                    "2041-01-01T05:30:00 IST +05:30",
                    "2100-01-01T05:30:00 IST +05:30",
                    "2100-07-01T05:30:00 IST +05:30",
                    "2200-01-01T05:30:00 IST +05:30",
                ],
            ),
            (
                "Asia/Kathmandu",
                &[
                    "1900-01-01T05:41:16 LMT +05:41",
                    "1938-04-25T03:43:20 +0530 +05:30",
                    "1970-01-01T05:30:00 +0530 +05:30",
                    "2000-01-01T05:45:00 +0545 +05:45",
                    "2005-03-18T07:43:31 +0545 +05:45",
                    "2011-03-13T12:51:40 +0545 +05:45",
                    "2023-11-15T03:58:20 +0545 +05:45",
                    "2024-07-01T05:45:00 +0545 +05:45",
                    "2033-05-18T09:18:20 +0545 +05:45",
                    "2041-01-01T05:45:00 +0545 +05:45",
                    "2100-01-01T05:45:00 +0545 +05:45",
                    "2100-07-01T05:45:00 +0545 +05:45",
                    "2200-01-01T05:45:00 +0545 +05:45",
                ],
            ),
            (
                "Pacific/Chatham",
                &[
                    "1900-01-01T12:15:00 +1215 +12:15",
                    "1938-04-25T10:28:20 +1215 +12:15",
                    "1970-01-01T12:45:00 +1245 +12:45",
                    "2000-01-01T13:45:00 +1345 +13:45",
                    "2005-03-18T15:43:31 +1345 +13:45",
                    "2011-03-13T20:51:40 +1345 +13:45",
                    "2023-11-15T11:58:20 +1345 +13:45",
                    "2024-07-01T12:45:00 +1245 +12:45",
                    "2033-05-18T16:18:20 +1245 +12:45",
                    "2041-01-01T13:45:00 +1345 +13:45",
                    "2100-01-01T13:45:00 +1345 +13:45",
                    "2100-07-01T12:45:00 +1245 +12:45",
                    "2200-01-01T13:45:00 +1345 +13:45",
                ],
            ),
            (
                "America/St_Johns",
                &[
                    "1899-12-31T20:29:08 NST -03:30",
                    "1938-04-24T18:43:20 NST -03:30",
                    "1969-12-31T20:30:00 NST -03:30",
                    "1999-12-31T20:30:00 NST -03:30",
                    "2005-03-17T22:28:31 NST -03:30",
                    "2011-03-13T04:36:40 NDT -02:30",
                    "2023-11-14T18:43:20 NST -03:30",
                    "2024-06-30T21:30:00 NDT -02:30",
                    "2033-05-18T01:03:20 NDT -02:30",
                    "2040-12-31T20:30:00 NST -03:30",
                    "2099-12-31T20:30:00 NST -03:30",
                    "2100-06-30T21:30:00 NDT -02:30",
                    "2199-12-31T20:30:00 NST -03:30",
                ],
            ),
            (
                "Australia/Lord_Howe",
                &[
                    "1900-01-01T10:00:00 AEST +10:00",
                    "1938-04-25T08:13:20 AEST +10:00",
                    "1970-01-01T10:00:00 AEST +10:00",
                    "2000-01-01T11:00:00 +11 +11:00",
                    "2005-03-18T12:58:31 +11 +11:00",
                    "2011-03-13T18:06:40 +11 +11:00",
                    "2023-11-15T09:13:20 +11 +11:00",
                    "2024-07-01T10:30:00 +1030 +10:30",
                    "2033-05-18T14:03:20 +1030 +10:30",
                    "2041-01-01T11:00:00 +11 +11:00",
                    "2100-01-01T11:00:00 +11 +11:00",
                    "2100-07-01T10:30:00 +1030 +10:30",
                    "2200-01-01T11:00:00 +11 +11:00",
                ],
            ),
            (
                "Europe/Dublin",
                &[
                    "1899-12-31T23:34:39 DMT -00:25",
                    "1938-04-24T23:13:20 IST +01:00",
                    "1970-01-01T01:00:00 IST +01:00",
                    "2000-01-01T00:00:00 GMT +00:00",
                    "2005-03-18T01:58:31 GMT +00:00",
                    "2011-03-13T07:06:40 GMT +00:00",
                    "2023-11-14T22:13:20 GMT +00:00",
                    "2024-07-01T01:00:00 IST +01:00",
                    "2033-05-18T04:33:20 IST +01:00",
                    "2041-01-01T00:00:00 GMT +00:00",
                    "2100-01-01T00:00:00 GMT +00:00",
                    "2100-07-01T01:00:00 IST +01:00",
                    "2200-01-01T00:00:00 GMT +00:00",
                ],
            ),
            (
                "Africa/Casablanca",
                &[
                    "1899-12-31T23:29:40 LMT -00:30",
                    "1938-04-24T22:13:20 +00 +00:00",
                    "1970-01-01T00:00:00 +00 +00:00",
                    "2000-01-01T00:00:00 +00 +00:00",
                    "2005-03-18T01:58:31 +00 +00:00",
                    "2011-03-13T07:06:40 +00 +00:00",
                    "2023-11-14T23:13:20 +01 +01:00",
                    "2024-07-01T01:00:00 +01 +01:00",
                    "2033-05-18T04:33:20 +01 +01:00",
                    "2041-01-01T01:00:00 +01 +01:00",
                    "2100-01-01T01:00:00 +01 +01:00",
                    "2100-07-01T01:00:00 +01 +01:00",
                    "2200-01-01T01:00:00 +01 +01:00",
                ],
            ),
            (
                "America/Sao_Paulo",
                &[
                    "1899-12-31T20:53:32 LMT -03:06",
                    "1938-04-24T19:13:20 -03 -03:00",
                    "1969-12-31T21:00:00 -03 -03:00",
                    "1999-12-31T22:00:00 -02 -02:00",
                    "2005-03-17T22:58:31 -03 -03:00",
                    "2011-03-13T04:06:40 -03 -03:00",
                    "2023-11-14T19:13:20 -03 -03:00",
                    "2024-06-30T21:00:00 -03 -03:00",
                    "2033-05-18T00:33:20 -03 -03:00",
                    "2040-12-31T21:00:00 -03 -03:00",
                    "2099-12-31T21:00:00 -03 -03:00",
                    "2100-06-30T21:00:00 -03 -03:00",
                    "2199-12-31T21:00:00 -03 -03:00",
                ],
            ),
            (
                "Australia/Sydney",
                &[
                    "1900-01-01T10:00:00 AEST +10:00",
                    "1938-04-25T08:13:20 AEST +10:00",
                    "1970-01-01T10:00:00 AEST +10:00",
                    "2000-01-01T11:00:00 AEDT +11:00",
                    "2005-03-18T12:58:31 AEDT +11:00",
                    "2011-03-13T18:06:40 AEDT +11:00",
                    "2023-11-15T09:13:20 AEDT +11:00",
                    "2024-07-01T10:00:00 AEST +10:00",
                    "2033-05-18T13:33:20 AEST +10:00",
                    "2041-01-01T11:00:00 AEDT +11:00",
                    "2100-01-01T11:00:00 AEDT +11:00",
                    "2100-07-01T10:00:00 AEST +10:00",
                    "2200-01-01T11:00:00 AEDT +11:00",
                ],
            ),
            (
                "Europe/London",
                &[
                    "1900-01-01T00:00:00 GMT +00:00",
                    "1938-04-24T23:13:20 BST +01:00",
                    "1970-01-01T01:00:00 BST +01:00",
                    "2000-01-01T00:00:00 GMT +00:00",
                    "2005-03-18T01:58:31 GMT +00:00",
                    "2011-03-13T07:06:40 GMT +00:00",
                    "2023-11-14T22:13:20 GMT +00:00",
                    "2024-07-01T01:00:00 BST +01:00",
                    "2033-05-18T04:33:20 BST +01:00",
                    "2041-01-01T00:00:00 GMT +00:00",
                    "2100-01-01T00:00:00 GMT +00:00",
                    "2100-07-01T01:00:00 BST +01:00",
                    "2200-01-01T00:00:00 GMT +00:00",
                ],
            ),
            (
                "Asia/Tokyo",
                &[
                    "1900-01-01T09:00:00 JST +09:00",
                    "1938-04-25T07:13:20 JST +09:00",
                    "1970-01-01T09:00:00 JST +09:00",
                    "2000-01-01T09:00:00 JST +09:00",
                    "2005-03-18T10:58:31 JST +09:00",
                    "2011-03-13T16:06:40 JST +09:00",
                    "2023-11-15T07:13:20 JST +09:00",
                    "2024-07-01T09:00:00 JST +09:00",
                    "2033-05-18T12:33:20 JST +09:00",
                    "2041-01-01T09:00:00 JST +09:00",
                    "2100-01-01T09:00:00 JST +09:00",
                    "2100-07-01T09:00:00 JST +09:00",
                    "2200-01-01T09:00:00 JST +09:00",
                ],
            ),
            (
                "America/Los_Angeles",
                &[
                    "1899-12-31T16:00:00 PST -08:00",
                    "1938-04-24T14:13:20 PST -08:00",
                    "1969-12-31T16:00:00 PST -08:00",
                    "1999-12-31T16:00:00 PST -08:00",
                    "2005-03-17T17:58:31 PST -08:00",
                    "2011-03-12T23:06:40 PST -08:00",
                    "2023-11-14T14:13:20 PST -08:00",
                    "2024-06-30T17:00:00 PDT -07:00",
                    "2033-05-17T20:33:20 PDT -07:00",
                    "2040-12-31T16:00:00 PST -08:00",
                    "2099-12-31T16:00:00 PST -08:00",
                    "2100-06-30T17:00:00 PDT -07:00",
                    "2199-12-31T16:00:00 PST -08:00",
                ],
            ),
            (
                "Pacific/Apia",
                &[
                    "1899-12-31T12:33:04 LMT -11:26",
                    "1938-04-24T10:43:20 -1130 -11:30",
                    "1969-12-31T13:00:00 -11 -11:00",
                    "1999-12-31T13:00:00 -11 -11:00",
                    "2005-03-17T14:58:31 -11 -11:00",
                    "2011-03-12T21:06:40 -10 -10:00",
                    "2023-11-15T11:13:20 +13 +13:00",
                    "2024-07-01T13:00:00 +13 +13:00",
                    "2033-05-18T16:33:20 +13 +13:00",
                    "2041-01-01T13:00:00 +13 +13:00",
                    "2100-01-01T13:00:00 +13 +13:00",
                    "2100-07-01T13:00:00 +13 +13:00",
                    "2200-01-01T13:00:00 +13 +13:00",
                ],
            ),
            (
                "Etc/GMT-14",
                &[
                    "1900-01-01T14:00:00 +14 +14:00",
                    "1938-04-25T12:13:20 +14 +14:00",
                    "1970-01-01T14:00:00 +14 +14:00",
                    "2000-01-01T14:00:00 +14 +14:00",
                    "2005-03-18T15:58:31 +14 +14:00",
                    "2011-03-13T21:06:40 +14 +14:00",
                    "2023-11-15T12:13:20 +14 +14:00",
                    "2024-07-01T14:00:00 +14 +14:00",
                    "2033-05-18T17:33:20 +14 +14:00",
                    "2041-01-01T14:00:00 +14 +14:00",
                    "2100-01-01T14:00:00 +14 +14:00",
                    "2100-07-01T14:00:00 +14 +14:00",
                    "2200-01-01T14:00:00 +14 +14:00",
                ],
            ),
            (
                "Europe/Moscow",
                &[
                    "1900-01-01T02:30:17 MMT +02:30",
                    "1938-04-25T01:13:20 MSK +03:00",
                    "1970-01-01T03:00:00 MSK +03:00",
                    "2000-01-01T03:00:00 MSK +03:00",
                    "2005-03-18T04:58:31 MSK +03:00",
                    "2011-03-13T10:06:40 MSK +03:00",
                    "2023-11-15T01:13:20 MSK +03:00",
                    "2024-07-01T03:00:00 MSK +03:00",
                    "2033-05-18T06:33:20 MSK +03:00",
                    "2041-01-01T03:00:00 MSK +03:00",
                    "2100-01-01T03:00:00 MSK +03:00",
                    "2100-07-01T03:00:00 MSK +03:00",
                    "2200-01-01T03:00:00 MSK +03:00",
                ],
            ),
            (
                "Asia/Tehran",
                &[
                    "1900-01-01T03:25:44 LMT +03:25",
                    "1938-04-25T01:43:20 +0330 +03:30",
                    "1970-01-01T03:30:00 +0330 +03:30",
                    "2000-01-01T03:30:00 +0330 +03:30",
                    "2005-03-18T05:28:31 +0330 +03:30",
                    "2011-03-13T10:36:40 +0330 +03:30",
                    "2023-11-15T01:43:20 +0330 +03:30",
                    "2024-07-01T03:30:00 +0330 +03:30",
                    "2033-05-18T07:03:20 +0330 +03:30",
                    "2041-01-01T03:30:00 +0330 +03:30",
                    "2100-01-01T03:30:00 +0330 +03:30",
                    "2100-07-01T03:30:00 +0330 +03:30",
                    "2200-01-01T03:30:00 +0330 +03:30",
                ],
            ),
            (
                "America/Caracas",
                &[
                    "1899-12-31T19:32:20 CMT -04:27",
                    "1938-04-24T17:43:20 -0430 -04:30",
                    "1969-12-31T20:00:00 -04 -04:00",
                    "1999-12-31T20:00:00 -04 -04:00",
                    "2005-03-17T21:58:31 -04 -04:00",
                    "2011-03-13T02:36:40 -0430 -04:30",
                    "2023-11-14T18:13:20 -04 -04:00",
                    "2024-06-30T20:00:00 -04 -04:00",
                    "2033-05-17T23:33:20 -04 -04:00",
                    "2040-12-31T20:00:00 -04 -04:00",
                    "2099-12-31T20:00:00 -04 -04:00",
                    "2100-06-30T20:00:00 -04 -04:00",
                    "2199-12-31T20:00:00 -04 -04:00",
                ],
            ),
        ];
        for (zone, wants) in table {
            for (t, want) in times.iter().zip(wants.iter()) {
                let got = out(
                    "dateInZone",
                    &[
                        s("2006-01-02T15:04:05 MST -07:00"),
                        Value::Int64(*t),
                        s(zone),
                    ],
                );
                assert_eq!(&got, want, "{zone} at {t}");
            }
        }
    }
}
