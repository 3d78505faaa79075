//! Display units (`unit(field, mb)`): the value stays as it is; terminal tables show it
//! humanised (`77.6 MB`, `1h 5m`). CSV and JSON keep the plain number.

use super::time;

/// What a number measures, and how many base units (bytes, milliseconds) one is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Bytes(u64),
    Millis(u64),
    /// A percentage: `45.2` shows as `45.2%` (Oracle's `unit(x, pct)`).
    Percent,
    /// Text made by `url(link, label)`: terminal tables show the label as a hyperlink.
    Link,
}

/// The unit names `unit()` takes.
pub const UNIT_NAMES: &[&str] = &["byte", "kb", "mb", "gb", "tb", "ms", "sec", "min", "hour", "pct"];

impl Unit {
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "b" | "byte" | "bytes" => Unit::Bytes(1),
            "kb" => Unit::Bytes(1_000),
            "mb" => Unit::Bytes(1_000_000),
            "gb" => Unit::Bytes(1_000_000_000),
            "tb" => Unit::Bytes(1_000_000_000_000),
            "ms" | "millisecond" | "milliseconds" => Unit::Millis(1),
            "s" | "sec" | "second" | "seconds" => Unit::Millis(1_000),
            "min" | "minute" | "minutes" => Unit::Millis(60_000),
            "h" | "hour" | "hours" => Unit::Millis(3_600_000),
            "pct" | "percent" | "%" => Unit::Percent,
            _ => return None,
        })
    }

    /// `v` (in this unit) as readable text.
    pub fn humanise(self, v: f64, out: &mut String) {
        match self {
            Unit::Bytes(scale) => {
                let bytes = v * scale as f64;
                const NAMES: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
                let mut x = bytes;
                let mut i = 0;
                while x.abs() >= 1000.0 && i < NAMES.len() - 1 {
                    x /= 1000.0;
                    i += 1;
                }
                if i == 0 {
                    out.push_str(&format!("{} B", super::value::format_float(x.round())));
                } else {
                    out.push_str(&format!("{x:.1} {}", NAMES[i]));
                }
            }
            Unit::Millis(scale) => time::write_duration(out, (v * scale as f64).round() as i64),
            // Links are text, never humanised as numbers.
            Unit::Link => out.push_str(&super::value::format_float(v)),
            Unit::Percent => {
                out.push_str(&super::value::format_float((v * 100.0).round() / 100.0));
                out.push('%');
            }
        }
    }
}

/// (label, link) of the text `url(link, label)` makes: `[label](link)`, the label's `]`
/// written `\]`. `None` for any other text.
pub fn link_parts(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('[')?.strip_suffix(')')?;
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            ']' if !escaped => {
                let link = body[i + 1..].strip_prefix('(')?;
                return Some((body[..i].replace("\\]", "]"), link));
            }
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(u: &str, v: f64) -> String {
        let mut s = String::new();
        Unit::parse(u).unwrap().humanise(v, &mut s);
        s
    }

    #[test]
    fn link_text_splits_into_label_and_link() {
        assert_eq!(link_parts("[report](https://x/a?b=(1))"), Some(("report".into(), "https://x/a?b=(1)")));
        assert_eq!(link_parts("[a\\]b](https://x)"), Some(("a]b".into(), "https://x")));
        assert_eq!(link_parts("https://x"), None);
        assert_eq!(link_parts("[no link]"), None);
    }

    #[test]
    fn humanised() {
        assert_eq!(h("byte", 77_612_345.0), "77.6 MB");
        assert_eq!(h("byte", 512.0), "512 B");
        assert_eq!(h("kb", 1500.0), "1.5 MB");
        assert_eq!(h("sec", 3900.0), "1h 5m");
        assert_eq!(h("ms", 350.0), "350ms");
        assert_eq!(h("pct", 45.678), "45.68%");
        assert_eq!(h("pct", 100.0), "100%");
        assert!(Unit::parse("parsec").is_none());
    }
}
