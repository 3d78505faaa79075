//! The time window of a run (`--from` inclusive, `--to` exclusive): kept outside the
//! query text, as in Oracle's console (LANGUAGE.md section 1).

use crate::diag::Diagnostic;
use crate::store::time::{self, Span};

/// Records whose `Time` is in `[from, to)`; either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeWindow {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl TimeWindow {
    pub fn is_all(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    pub fn contains(&self, ms: i64) -> bool {
        self.from.is_none_or(|f| ms >= f) && self.to.is_none_or(|t| ms < t)
    }

    /// Parse the two ends; `now` (epoch ms) anchors relative times such as `-24h`.
    pub fn parse(from: Option<&str>, to: Option<&str>, now: i64) -> Result<TimeWindow, Diagnostic> {
        let w = TimeWindow {
            from: from.map(|s| parse_bound(s, now, "--from")).transpose()?,
            to: to.map(|s| parse_bound(s, now, "--to")).transpose()?,
        };
        if let (Some(f), Some(t)) = (w.from, w.to) {
            if f >= t {
                return Err(Diagnostic::usage(format!(
                    "the time window is empty: --from {} is not before --to {}",
                    time::rfc3339(f),
                    time::rfc3339(t)
                )));
            }
        }
        Ok(w)
    }

    /// The window in words, for messages.
    pub fn describe(&self) -> String {
        match (self.from, self.to) {
            (Some(f), Some(t)) => format!("from {} to {}", time::rfc3339(f), time::rfc3339(t)),
            (Some(f), None) => format!("from {}", time::rfc3339(f)),
            (None, Some(t)) => format!("before {}", time::rfc3339(t)),
            (None, None) => "all time".to_string(),
        }
    }
}

/// RFC 3339, `YYYY-MM-DD[ HH:MM[:SS]]` (UTC), `now`, or `-<n><unit>` before now.
pub fn parse_bound(s: &str, now: i64, option: &str) -> Result<i64, Diagnostic> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Some(rel) = t.strip_prefix('-') {
        if let Some(span) = Span::parse(rel) {
            return crate::funcs::dates::shift(now, span, -1)
                .ok_or_else(|| Diagnostic::usage(format!("{option} {s}: out of range")));
        }
    }
    time::parse(t).ok_or_else(|| {
        Diagnostic::usage(format!("{option}: '{s}' is not a time")).help(
            "write 2020-07-26, '2020-07-26 22:00', 2020-07-26T22:00:00Z, or a time before now such as -24h or -7d",
        )
    })
}

/// Now, in epoch milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        let now = time::parse("2020-07-26T12:00:00Z").unwrap();
        assert_eq!(parse_bound("-24h", now, "--from").unwrap(), time::parse("2020-07-25T12:00:00Z").unwrap());
        assert_eq!(parse_bound("-1mon", now, "--from").unwrap(), time::parse("2020-06-26T12:00:00Z").unwrap());
        assert_eq!(parse_bound("2020-07-01", now, "--from").unwrap(), time::parse("2020-07-01").unwrap());
        assert_eq!(parse_bound("now", now, "--to").unwrap(), now);
        assert!(parse_bound("yesterday", now, "--from").is_err());
        assert!(TimeWindow::parse(Some("2020-07-02"), Some("2020-07-01"), now).is_err());
        let w = TimeWindow::parse(Some("2020-07-01"), Some("2020-07-02"), now).unwrap();
        assert!(w.contains(time::parse("2020-07-01").unwrap()));
        assert!(!w.contains(time::parse("2020-07-02").unwrap()));
    }
}
