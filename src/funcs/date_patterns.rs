//! Date patterns in Java's letters (`yyyy-MM-dd HH:mm:ss`, as Oracle writes them) read
//! into chrono's, and text parsed with them.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// A Java date pattern as a chrono format string (`'quoted'` text kept literally).
pub fn java_to_chrono(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut run = 1;
        while i + run < chars.len() && chars[i + run] == c {
            run += 1;
        }
        if c == '\'' {
            // `''` is a quote, inside quoted text or out; otherwise a quote opens
            // literal text up to the next lone quote (Java's SimpleDateFormat).
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            while j < chars.len() {
                match (chars[j], chars.get(j + 1)) {
                    ('\'', Some('\'')) => {
                        out.push('\'');
                        j += 2;
                    }
                    ('\'', _) => break,
                    (x, _) => {
                        push_literal(&mut out, x);
                        j += 1;
                    }
                }
            }
            i = j + 1;
            continue;
        }
        let spec = match (c, run) {
            ('y', 2) => "%y",
            ('y', _) => "%Y",
            ('M', 1) => "%-m",
            ('M', 2) => "%m",
            ('M', 3) => "%b",
            ('M', _) => "%B",
            ('d', 1) => "%-d",
            ('d', _) => "%d",
            ('H', 1) => "%-H",
            ('H', _) => "%H",
            ('h', 1) => "%-I",
            ('h', _) => "%I",
            ('m', 1) => "%-M",
            ('m', _) => "%M",
            ('s', 1) => "%-S",
            ('s', _) => "%S",
            ('S', _) => "%3f",
            ('a', _) => "%p",
            ('E', 1..=3) => "%a",
            ('E', _) => "%A",
            ('D', _) => "%j",
            ('Z' | 'X' | 'x', _) => "%z",
            ('z', _) => "UTC",
            _ => {
                for _ in 0..run {
                    push_literal(&mut out, c);
                }
                i += run;
                continue;
            }
        };
        out.push_str(spec);
        i += run;
    }
    out
}

fn push_literal(out: &mut String, c: char) {
    if c == '%' {
        out.push_str("%%");
    } else {
        out.push(c);
    }
}

/// Text in `pattern` (Java letters) as a time; a date alone is midnight UTC.
pub fn parse_with(text: &str, pattern: &str) -> Option<i64> {
    let fmt = java_to_chrono(pattern);
    if let Ok(dt) = DateTime::parse_from_str(text, &fmt) {
        return Some(dt.timestamp_millis());
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(text, &fmt) {
        return Some(dt.and_utc().timestamp_millis());
    }
    NaiveDate::parse_from_str(text, &fmt)
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc().timestamp_millis())
}
