//! Conversion and time functions (LANGUAGE.md section 4). Times are UTC milliseconds;
//! date patterns use Java's letters (`yyyy-MM-dd HH:mm:ss`), as Oracle's do.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};

pub use super::convert::parse_duration;
use super::convert::{toduration, tonumber, tostring};
pub use super::date_patterns::{java_to_chrono, parse_with};
use super::{def, owned, str_type, FuncDef};
use crate::store::time::{self, Span};
use crate::store::{DataType, Value};

fn datetime(ms: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_millis(ms).map(|d| d.naive_utc())
}

fn to_ms(dt: NaiveDateTime) -> i64 {
    dt.and_utc().timestamp_millis()
}

fn time_arg(v: &Value) -> Option<i64> {
    match v {
        Value::Time(t) => Some(*t),
        Value::Int(i) => Some(*i),
        Value::Float(f) => Some(*f as i64),
        Value::Str(s) => time::parse(s),
        _ => None,
    }
}

fn todate(a: &[Value]) -> Value<'static> {
    let t = match (&a[0], a.get(1)) {
        (Value::Null, _) => None,
        (v, None) => time_arg(v),
        (v, Some(p)) => match (v.to_text(), p.to_text()) {
            (Some(s), Some(p)) => parse_with(s.trim(), &p),
            _ => None,
        },
    };
    t.map_or(Value::Null, Value::Time)
}

fn now(_: &[Value]) -> Value<'static> {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(Value::Null, |d| Value::Time(d.as_millis() as i64))
}

/// `dateRelative(24h)`: the time that span before now, as Oracle's queries scope
/// `Time > dateRelative(7day)`; months and years by the calendar.
fn daterelative(a: &[Value]) -> Value<'static> {
    let (Value::Time(now), Some(span)) = (now(&[]), a[0].to_text().and_then(|s| Span::parse(s.trim()))) else {
        return Value::Null;
    };
    shift(now, span, -1).map_or(Value::Null, Value::Time)
}

fn formatdate(a: &[Value]) -> Value<'static> {
    let Some(dt) = time_arg(&a[0]).and_then(datetime) else { return Value::Null };
    let pattern = match a.get(1) {
        None => Cow::Borrowed("yyyy-MM-dd HH:mm:ss"),
        Some(p) => match p.to_text() {
            Some(p) => p,
            None => return Value::Null,
        },
    };
    let fmt = java_to_chrono(&pattern);
    let mut out = String::new();
    // A pattern chrono cannot render is an error value (null), never a panic.
    match std::fmt::write(&mut out, format_args!("{}", dt.and_utc().format(&fmt))) {
        Ok(()) => owned(out),
        Err(_) => Value::Null,
    }
}

/// The calendar unit named by `s` (`hour`, `d`, `months`, ...).
fn unit(v: &Value) -> Option<Span> {
    Span::parse(&format!("1{}", v.to_text()?.trim()))
}

/// `t` moved by `n` units; months and years are calendar moves (day clamped).
pub fn shift(t: i64, u: Span, n: i64) -> Option<i64> {
    match u {
        Span::Millis(ms) => t.checked_add(ms.checked_mul(n)?),
        Span::Months(m) => {
            let dt = datetime(t)?;
            let total = (dt.year() as i64 * 12 + dt.month0() as i64).checked_add(m.checked_mul(n)?)?;
            let (y, mo) = (i32::try_from(total.div_euclid(12)).ok()?, total.rem_euclid(12) as u32 + 1);
            let last = (28..=31).rev().find(|&d| NaiveDate::from_ymd_opt(y, mo, d).is_some())?;
            let date = NaiveDate::from_ymd_opt(y, mo, dt.day().min(last))?;
            Some(to_ms(date.and_time(dt.time())))
        }
    }
}

fn dateadd(a: &[Value]) -> Value<'static> {
    let (Some(t), Some(u), Some(n)) = (time_arg(&a[0]), unit(&a[1]), a[2].as_f64()) else { return Value::Null };
    shift(t, u, n as i64).map_or(Value::Null, Value::Time)
}

/// Set named components: `dateset(Time, 'hour', 0, 'minute', 0)`.
fn dateset(a: &[Value]) -> Value<'static> {
    let Some(mut dt) = time_arg(&a[0]).and_then(datetime) else { return Value::Null };
    for pair in a[1..].chunks(2) {
        let (Some(name), Some(n)) = (pair[0].to_text(), pair.get(1).and_then(Value::as_f64)) else {
            return Value::Null;
        };
        let n = n as i64;
        let u = u32::try_from(n).ok();
        let next = match name.trim().to_ascii_lowercase().as_str() {
            "year" | "years" | "y" => i32::try_from(n).ok().and_then(|y| dt.with_year(y)),
            "month" | "months" | "mon" => u.and_then(|m| dt.with_month(m)),
            "day" | "days" | "d" => u.and_then(|d| dt.with_day(d)),
            "hour" | "hours" | "h" => u.and_then(|h| dt.with_hour(h)),
            "minute" | "minutes" | "min" | "m" => u.and_then(|m| dt.with_minute(m)),
            "second" | "seconds" | "sec" | "s" => u.and_then(|s| dt.with_second(s)),
            "millisecond" | "milliseconds" | "ms" => u.and_then(|ms| dt.with_nanosecond(ms.checked_mul(1_000_000)?)),
            _ => None,
        };
        match next {
            Some(d) => dt = d,
            None => return Value::Null,
        }
    }
    Value::Time(to_ms(dt))
}

/// `t1 - t2`: a duration, or whole units (truncated toward zero) when a unit is given.
fn datediff(a: &[Value]) -> Value<'static> {
    let (Some(t1), Some(t2)) = (time_arg(&a[0]), time_arg(&a[1])) else { return Value::Null };
    // Times near the ends of what 64 bits of milliseconds hold are further apart than
    // any duration: null, never a wrapped difference.
    let Some(diff) = t1.checked_sub(t2) else { return Value::Null };
    match a.get(1 + 1) {
        None => Value::Duration(diff),
        Some(u) => match unit(u) {
            Some(Span::Millis(ms)) => Value::Int(diff / ms),
            Some(Span::Months(m)) => {
                let (Some(d1), Some(d2)) = (datetime(t1), datetime(t2)) else { return Value::Null };
                let mut months = (d1.year() as i64 - d2.year() as i64) * 12 + d1.month() as i64 - d2.month() as i64;
                // A month counts once the day and time of month have been reached.
                let (a1, a2) = ((d1.day(), d1.time()), (d2.day(), d2.time()));
                if months > 0 && a1 < a2 {
                    months -= 1;
                } else if months < 0 && a1 > a2 {
                    months += 1;
                }
                Value::Int(months / m)
            }
            None => Value::Null,
        },
    }
}

fn floortime(a: &[Value]) -> Value<'static> {
    let span = a[1].to_text().and_then(|s| Span::parse(&s));
    match (time_arg(&a[0]), span) {
        (Some(t), Some(s)) => Value::Time(s.floor(t)),
        _ => Value::Null,
    }
}

fn formatduration(a: &[Value]) -> Value<'static> {
    let ms = match &a[0] {
        Value::Duration(d) | Value::Int(d) => Some(*d),
        v => v.as_f64().map(|f| f as i64),
    };
    ms.map_or(Value::Null, |ms| {
        let mut s = String::new();
        time::write_duration(&mut s, ms);
        owned(s)
    })
}

/// `unit(x, mb)`: x itself; the planner gives the column the unit (LANGUAGE.md section 4).
fn unit_fn(a: &[Value]) -> Value<'static> {
    a[0].clone().into_owned()
}

fn same_type(t: &[DataType]) -> DataType {
    t.first().copied().unwrap_or(DataType::Null)
}

fn number_type(t: &[DataType]) -> DataType {
    match t.first() {
        Some(DataType::Float) => DataType::Float,
        Some(DataType::Str | DataType::Null) => DataType::Float,
        _ => DataType::Int,
    }
}

fn time_type(_: &[DataType]) -> DataType {
    DataType::Time
}

fn duration_type(_: &[DataType]) -> DataType {
    DataType::Duration
}

fn diff_type(t: &[DataType]) -> DataType {
    if t.len() > 2 {
        DataType::Int
    } else {
        DataType::Duration
    }
}

pub const FUNCTIONS: &[FuncDef] = &[
    def(
        "tonumber",
        "conversion",
        1,
        Some(1),
        "tonumber(s)",
        "s as a number: decimal, 0x hex or 0-prefixed octal; null if it is none",
        &[
            ("tonumber('0x1F')", "31"),
            ("tonumber('017')", "15"),
            ("tonumber('2.5')", "2.5"),
            ("tonumber('n/a')", "null"),
        ],
        Some(tonumber),
        number_type,
    ),
    def(
        "tostring",
        "conversion",
        1,
        Some(1),
        "tostring(x)",
        "x as text (times in RFC 3339)",
        &[("tostring(22)", "22"), ("tostring(todate('2020-07-26'))", "2020-07-26T00:00:00Z")],
        Some(tostring),
        str_type,
    ),
    def(
        "todate",
        "conversion",
        1,
        Some(2),
        "todate(s [, 'pattern'])",
        "text (RFC 3339, YYYY-MM-DD[ HH:MM[:SS]], or the Java-style pattern) or epoch milliseconds as a time",
        &[
            ("todate('26/07/2020 22:55', 'dd/MM/yyyy HH:mm')", "2020-07-26T22:55:00Z"),
            ("todate(0)", "1970-01-01T00:00:00Z"),
        ],
        Some(todate),
        time_type,
    ),
    def(
        "toduration",
        "conversion",
        1,
        Some(1),
        "toduration(s)",
        "text such as 1h30m, 90s or 250ms as a duration (milliseconds)",
        &[("toduration('1h30m')", "5400000"), ("toduration('2d 4h')", "187200000")],
        Some(toduration),
        duration_type,
    ),
    def(
        "now",
        "time",
        0,
        Some(0),
        "now()",
        "the time the query started",
        &[("now() > todate('2020-01-01')", "true")],
        Some(now),
        time_type,
    ),
    def(
        "daterelative",
        "time",
        1,
        Some(1),
        "dateRelative(span)",
        "the time span before now (24h, 7day, 1month): Oracle's Time > dateRelative(7day)",
        &[("dateRelative(1day) < now()", "true"), ("dateRelative(24h) > dateRelative(7day)", "true")],
        Some(daterelative),
        time_type,
    ),
    def(
        "formatdate",
        "time",
        1,
        Some(2),
        "formatdate(t [, 'pattern'])",
        "t as text in a Java-style pattern (default yyyy-MM-dd HH:mm:ss), UTC",
        &[
            ("formatdate(todate('2020-07-26T22:55:00Z'))", "2020-07-26 22:55:00"),
            ("formatdate(todate('2020-07-26'), 'EEE d MMM yyyy')", "Sun 26 Jul 2020"),
        ],
        Some(formatdate),
        str_type,
    ),
    def(
        "dateadd",
        "time",
        3,
        Some(3),
        "dateadd(t, unit, n)",
        "t moved by n units (second, minute, hour, day, week, month, year; n may be negative)",
        &[
            ("dateadd(todate('2020-01-31'), month, 1)", "2020-02-29T00:00:00Z"),
            ("dateadd(todate('2020-07-26'), hour, -2)", "2020-07-25T22:00:00Z"),
        ],
        Some(dateadd),
        time_type,
    ),
    def(
        "dateset",
        "time",
        3,
        None,
        "dateset(t, unit, n [, unit, n ...])",
        "t with the named parts (year, month, day, hour, minute, second, millisecond) set",
        &[("dateset(todate('2020-07-26T22:55:00Z'), hour, 0, minute, 0)", "2020-07-26T00:00:00Z")],
        Some(dateset),
        time_type,
    ),
    def(
        "datediff",
        "time",
        2,
        Some(3),
        "datediff(t1, t2 [, unit])",
        "t1 - t2 as a duration, or in whole units (truncated toward zero)",
        &[
            ("datediff(todate('2020-07-26'), todate('2020-07-24'), day)", "2"),
            ("datediff(todate('2020-07-26 01:00'), todate('2020-07-26'))", "3600000"),
        ],
        Some(datediff),
        diff_type,
    ),
    def(
        "floortime",
        "time",
        2,
        Some(2),
        "floortime(t, span)",
        "the start of the span-aligned bucket holding t (UTC, epoch-aligned)",
        &[("floortime(todate('2020-07-26T22:55:00Z'), 1hour)", "2020-07-26T22:00:00Z")],
        Some(floortime),
        time_type,
    ),
    def(
        "formatduration",
        "time",
        1,
        Some(1),
        "formatduration(ms)",
        "a duration (or milliseconds) as readable text",
        &[("formatduration(3900000)", "1h 5m")],
        Some(formatduration),
        str_type,
    ),
    def(
        "unit",
        "units",
        2,
        Some(2),
        "unit(x, byte|kb|mb|gb|tb|ms|sec|min|hour)",
        "x unchanged, in that unit: terminal tables show it humanised (77.6 MB, 1h 5m), CSV and JSON the number",
        &[("unit(2048, kb)", "2048")],
        Some(unit_fn),
        same_type,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_patterns() {
        assert_eq!(java_to_chrono("yyyy-MM-dd HH:mm:ss"), "%Y-%m-%d %H:%M:%S");
        assert_eq!(java_to_chrono("d MMM yy 'at' h a"), "%-d %b %y at %-I %p");
        assert_eq!(java_to_chrono("HH:mm:ss.SSS 100%"), "%H:%M:%S.%3f 100%%");
        assert_eq!(java_to_chrono("'It''s' yyyy"), "It's %Y");
        assert_eq!(java_to_chrono("h''mm"), "%-I'%M");
        assert_eq!(java_to_chrono("'open"), "open");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("250ms"), Some(250));
        assert_eq!(parse_duration("1x"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("1mon"), None);
    }

    #[test]
    fn differences_past_64_bits_are_null() {
        let d = datediff(&[Value::Time(i64::MIN + 1000), Value::Time(i64::MAX - 1000)]);
        assert_eq!(d, Value::Null);
        assert_eq!(datediff(&[Value::Time(5000), Value::Time(2000)]), Value::Duration(3000));
    }

    #[test]
    fn calendar_shifts_past_any_date_are_null_never_wrapped() {
        assert_eq!(shift(0, Span::Months(1), i64::MAX), None);
        assert_eq!(shift(0, Span::Months(i64::MAX), -1), None);
        assert_eq!(shift(0, Span::Months(12), 1 << 40), None);
        assert_eq!(shift(0, Span::Millis(i64::MAX), 2), None);
        assert_eq!(shift(0, Span::Months(1), 1), Some(31 * 86_400_000));
    }
}
