//! Times are i64 milliseconds since the Unix epoch, UTC. Formatting is done by hand
//! (civil-from-days) because output of millions of rows must not go through a
//! general-purpose date library.

use std::fmt::Write as _;

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) to days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const MS_PER_DAY: i64 = 86_400_000;

fn split(ms: i64) -> ((i64, u32, u32), u32, u32, u32, u32) {
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY);
    let secs = (rem / 1000) as u32;
    (civil_from_days(days), secs / 3600, (secs / 60) % 60, secs % 60, (rem % 1000) as u32)
}

/// `2020-07-26T22:55:00Z` (milliseconds shown only when not zero).
pub fn write_rfc3339(out: &mut String, ms: i64) {
    let ((y, mo, d), h, mi, s, frac) = split(ms);
    let _ = write!(out, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
    if frac != 0 {
        let _ = write!(out, ".{frac:03}");
    }
    out.push('Z');
}

/// `2020-07-26 22:55:00`, the table form.
pub fn write_table(out: &mut String, ms: i64) {
    let ((y, mo, d), h, mi, s, frac) = split(ms);
    let _ = write!(out, "{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
    if frac != 0 {
        let _ = write!(out, ".{frac:03}");
    }
}

pub fn rfc3339(ms: i64) -> String {
    let mut s = String::new();
    write_rfc3339(&mut s, ms);
    s
}

/// A duration in milliseconds, humanised: `1h 5m`, `3d 2h`, `45s`, `350ms`, `0s`.
pub fn write_duration(out: &mut String, ms: i64) {
    if ms < 0 {
        out.push('-');
    }
    let ms = ms.unsigned_abs();
    if ms == 0 {
        out.push_str("0s");
        return;
    }
    if ms < 1000 {
        let _ = write!(out, "{ms}ms");
        return;
    }
    let secs = ms / 1000;
    let parts = [(secs / 86_400, "d"), ((secs / 3600) % 24, "h"), ((secs / 60) % 60, "m"), (secs % 60, "s")];
    // The two most significant non-zero units are enough for a reader.
    let first = parts.iter().position(|p| p.0 != 0).unwrap_or(3);
    let mut written = 0;
    for (v, unit) in &parts[first..(first + 2).min(4)] {
        if *v == 0 {
            continue;
        }
        if written > 0 {
            out.push(' ');
        }
        let _ = write!(out, "{v}{unit}");
        written += 1;
    }
}

/// Parse a time literal: RFC 3339, or `YYYY-MM-DD[ HH:MM[:SS]]` (also with `T`), UTC.
pub fn parse(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp_millis());
    }
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut ms = days_from_civil(y as i64, mo, d) * MS_PER_DAY;
    if b.len() == 10 {
        return Some(ms);
    }
    if b[10] != b' ' && b[10] != b'T' {
        return None;
    }
    let h = num(11..13)?;
    if b.get(13) != Some(&b':') {
        return None;
    }
    let mi = num(14..16)?;
    let sec = match b.len() {
        16 => 0,
        19 if b[16] == b':' => num(17..19)?,
        _ => return None,
    };
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    ms += (h as i64 * 3600 + mi as i64 * 60 + sec as i64) * 1000;
    Some(ms)
}

/// A time span from the language: fixed milliseconds, or calendar months (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Millis(i64),
    Months(i64),
}

/// The longest span taken: ten thousand years. Longer ones would overflow the
/// arithmetic of bucketing (times are milliseconds in an i64) and mean nothing.
pub const MAX_SPAN_MONTHS: i64 = 12 * 10_000;

impl Span {
    /// Parse `<integer><unit>` (`5min`, `1day`, `2mon`, `1y`); `m` is minutes. Spans
    /// longer than [`MAX_SPAN_MONTHS`] are refused.
    pub fn parse(s: &str) -> Option<Span> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = s.split_at(split);
        let n: i64 = n.parse().ok()?;
        if n <= 0 {
            return None;
        }
        let unit = unit.to_ascii_lowercase();
        let ms = match unit.as_str() {
            "ms" => 1,
            "s" | "sec" | "secs" | "second" | "seconds" => 1000,
            "m" | "min" | "mins" | "minute" | "minutes" => 60_000,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3_600_000,
            "d" | "day" | "days" => MS_PER_DAY,
            "w" | "week" | "weeks" => 7 * MS_PER_DAY,
            "mon" | "month" | "months" => return Some(Span::Months(n)).filter(|_| n <= MAX_SPAN_MONTHS),
            "y" | "year" | "years" => return n.checked_mul(12).filter(|&m| m <= MAX_SPAN_MONTHS).map(Span::Months),
            _ => return None,
        };
        n.checked_mul(ms).filter(|&w| w <= MAX_SPAN_MONTHS * 31 * MS_PER_DAY).map(Span::Millis)
    }

    /// The start of the span-aligned bucket holding `ms` (epoch-aligned, UTC).
    pub fn floor(&self, ms: i64) -> i64 {
        match *self {
            Span::Millis(w) => ms.div_euclid(w) * w,
            Span::Months(n) => {
                let (y, m, _) = civil_from_days(ms.div_euclid(MS_PER_DAY));
                let months = y * 12 + (m as i64 - 1) - 1970 * 12;
                let start = months.div_euclid(n) * n + 1970 * 12;
                days_from_civil(start.div_euclid(12), (start.rem_euclid(12) + 1) as u32, 1) * MS_PER_DAY
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bounded() {
        assert_eq!(Span::parse("10000y"), Some(Span::Months(120_000)));
        assert_eq!(Span::parse("10001y"), None);
        assert_eq!(Span::parse("4611686018427387904y"), None);
        assert_eq!(Span::parse("9223372036854775807ms"), None);
        assert_eq!(Span::parse("120001mon"), None);
        assert_eq!(Span::parse("5min"), Some(Span::Millis(300_000)));
        // The widest spans still floor without overflow.
        let wide = Span::parse("10000y").unwrap();
        assert!(wide.floor(1_600_000_000_000) <= 1_600_000_000_000);
        let wide = Span::parse("3650000d").unwrap();
        assert!(wide.floor(-1_600_000_000_000) <= -1_600_000_000_000);
    }

    #[test]
    fn format_and_parse() {
        assert_eq!(rfc3339(1_595_804_100_000), "2020-07-26T22:55:00Z");
        assert_eq!(rfc3339(1_595_804_100_250), "2020-07-26T22:55:00.250Z");
        let mut s = String::new();
        write_table(&mut s, 0);
        assert_eq!(s, "1970-01-01 00:00:00");
        assert_eq!(parse("2020-07-26T22:55:00Z"), Some(1_595_804_100_000));
        assert_eq!(parse("2020-07-26 22:55"), Some(1_595_804_100_000));
        assert_eq!(parse("2020-07-26"), Some(1_595_721_600_000));
        assert_eq!(parse("2020-13-26"), None);
        assert_eq!(parse("yesterday"), None);
        for d in [-800_000i64, -1, 0, 1, 18_000, 2_932_896] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn durations() {
        let f = |ms| {
            let mut s = String::new();
            write_duration(&mut s, ms);
            s
        };
        assert_eq!(f(0), "0s");
        assert_eq!(f(350), "350ms");
        assert_eq!(f(45_000), "45s");
        assert_eq!(f(3_900_000), "1h 5m");
        assert_eq!(f(3_600_000), "1h");
        assert_eq!(f(266_400_000), "3d 2h");
    }

    #[test]
    fn spans() {
        assert_eq!(Span::parse("1day"), Some(Span::Millis(86_400_000)));
        assert_eq!(Span::parse("5m"), Some(Span::Millis(300_000)));
        assert_eq!(Span::parse("2mon"), Some(Span::Months(2)));
        assert_eq!(Span::parse("1fortnight"), None);
        assert_eq!(Span::parse("0d"), None);
        let t = parse("2020-07-26T22:55:00Z").unwrap();
        assert_eq!(Span::Millis(86_400_000).floor(t), parse("2020-07-26").unwrap());
        assert_eq!(Span::Months(1).floor(t), parse("2020-07-01").unwrap());
        assert_eq!(Span::Months(12).floor(t), parse("2020-01-01").unwrap());
    }
}
