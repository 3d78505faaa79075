//! Scalar values and the comparison rules of the language (LANGUAGE.md section 3).

use std::borrow::Cow;
use std::cmp::Ordering;

use super::{ip, time};

/// The type of a column or expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataType {
    /// Only nulls seen so far (an empty column, a `null` literal).
    Null,
    Bool,
    Int,
    Float,
    Str,
    Time,
    /// Milliseconds; shown humanised in tables.
    Duration,
    Ip,
}

impl DataType {
    /// The type of a column holding values of both types, as `ColumnBuilder` builds it:
    /// integers among fractions are fractions, other mixtures text.
    pub fn together(self, other: DataType) -> DataType {
        match (self, other) {
            (a, b) if a == b => a,
            (DataType::Null, t) | (t, DataType::Null) => t,
            (DataType::Int, DataType::Float) | (DataType::Float, DataType::Int) => DataType::Float,
            _ => DataType::Str,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DataType::Null => "null",
            DataType::Bool => "boolean",
            DataType::Int => "integer",
            DataType::Float => "number",
            DataType::Str => "string",
            DataType::Time => "time",
            DataType::Duration => "duration",
            DataType::Ip => "ip",
        }
    }

    /// "a string value", "an integer value": the type in a sentence.
    pub fn a_value(self) -> String {
        let n = self.name();
        let article = if n.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {n} value")
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, DataType::Int | DataType::Float | DataType::Duration)
    }
}

/// One value. Strings borrow from a column dictionary or a literal when they can.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Time(i64),
    Duration(i64),
    Ip(u128),
}

impl<'a> Value<'a> {
    pub fn dtype(&self) -> DataType {
        match self {
            Value::Null => DataType::Null,
            Value::Bool(_) => DataType::Bool,
            Value::Int(_) => DataType::Int,
            Value::Float(_) => DataType::Float,
            Value::Str(_) => DataType::Str,
            Value::Time(_) => DataType::Time,
            Value::Duration(_) => DataType::Duration,
            Value::Ip(_) => DataType::Ip,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn str(s: &'a str) -> Self {
        Value::Str(Cow::Borrowed(s))
    }

    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Float(f),
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Time(t) => Value::Time(t),
            Value::Duration(d) => Value::Duration(d),
            Value::Ip(i) => Value::Ip(i),
        }
    }

    /// The value as a number, for arithmetic. Strings that parse as numbers count.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) | Value::Time(i) | Value::Duration(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Str(s) => parse_number(s).map(|n| match n {
                Value::Int(i) => i as f64,
                Value::Float(f) => f,
                _ => 0.0,
            }),
            _ => None,
        }
    }

    /// The value as text (for string functions and concatenation); `None` for null.
    pub fn to_text(&self) -> Option<Cow<'_, str>> {
        Some(match self {
            Value::Null => return None,
            Value::Str(s) => Cow::Borrowed(s.as_ref()),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Duration(i) => Cow::Owned(i.to_string()),
            Value::Float(f) => Cow::Owned(format_float(*f)),
            Value::Time(t) => Cow::Owned(time::rfc3339(*t)),
            Value::Ip(a) => Cow::Owned(ip::to_string(*a)),
        })
    }

    /// True only for boolean true: the rule for `where` and conditions.
    pub fn is_true(&self) -> bool {
        matches!(self, Value::Bool(true))
    }
}

/// Shortest text that reads back as the same float.
pub fn format_float(f: f64) -> String {
    if f.is_finite() && f == f.trunc() && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Parse `42`, `-7`, `0.67`, `1e6` (surrounding spaces allowed).
pub fn parse_number(s: &str) -> Option<Value<'static>> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(Value::Int(i));
    }
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() && t.bytes().any(|c| c.is_ascii_digit()) => Some(Value::Float(f)),
        _ => None,
    }
}

/// Case-insensitive string order.
pub fn cmp_ci(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        let (x, y) = (a.as_bytes(), b.as_bytes());
        for (p, q) in x.iter().zip(y) {
            match p.to_ascii_lowercase().cmp(&q.to_ascii_lowercase()) {
                Ordering::Equal => {}
                o => return o,
            }
        }
        return x.len().cmp(&y.len());
    }
    a.chars().flat_map(char::to_lowercase).cmp(b.chars().flat_map(char::to_lowercase))
}

/// Case-insensitive order with ties broken case-sensitively: the sort order of strings.
pub fn cmp_sort_str(a: &str, b: &str) -> Ordering {
    cmp_ci(a, b).then_with(|| a.cmp(b))
}

pub fn eq_ci(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        cmp_ci(a, b) == Ordering::Equal
    }
}

fn cmp_f64(a: f64, b: f64) -> Option<Ordering> {
    a.partial_cmp(&b)
}

/// Compare two values by the language's rules; `None` when either is null or they
/// cannot be compared (a comparison with null, or text that is not an IP, is false).
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    use Value::*;
    match (a, b) {
        (Null, _) | (_, Null) => None,
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (Str(x), Str(y)) => Some(cmp_ci(x, y)),
        (Ip(x), Ip(y)) => Some(x.cmp(y)),
        (Time(x), Time(y)) | (Duration(x), Duration(y)) => Some(x.cmp(y)),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Int(_) | Float(_) | Duration(_), Int(_) | Float(_) | Duration(_)) => cmp_f64(a.as_f64()?, b.as_f64()?),
        (Ip(x), Str(s)) => ip::parse(s).map(|y| x.cmp(&y)),
        (Time(x), Str(s)) => time::parse(s).map(|y| x.cmp(&y)),
        (Time(x), Int(y)) => Some(x.cmp(y)),
        (Time(x), Float(y)) => cmp_f64(*x as f64, *y),
        (Int(_) | Float(_) | Duration(_), Str(s)) => cmp_f64(a.as_f64()?, parse_number(s)?.as_f64()?),
        (Bool(x), Str(s)) => match s.to_ascii_lowercase().as_str() {
            "true" => Some(x.cmp(&true)),
            "false" => Some(x.cmp(&false)),
            _ => None,
        },
        (Str(_), Ip(_) | Time(_) | Int(_) | Float(_) | Duration(_) | Bool(_)) | (Int(_) | Float(_), Time(_)) => {
            compare(b, a).map(Ordering::reverse)
        }
        _ => None,
    }
}

/// Equality by the language's rules (case-insensitive for strings).
pub fn equals(a: &Value, b: &Value) -> bool {
    compare(a, b) == Some(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_follow_the_language() {
        assert!(equals(&Value::str("REJECT"), &Value::str("reject")));
        assert!(equals(&Value::Ip(ip::parse("10.0.0.5").unwrap()), &Value::str("10.0.0.5")));
        assert_eq!(compare(&Value::str("10.0.0.5"), &Value::Ip(ip::parse("10.0.1.0").unwrap())), Some(Ordering::Less));
        assert!(equals(&Value::Int(22), &Value::str(" 22 ")));
        assert!(!equals(&Value::Int(22), &Value::str("ssh")));
        assert!(equals(&Value::Int(2), &Value::Float(2.0)));
        assert_eq!(compare(&Value::Null, &Value::Null), None);
        assert!(equals(&Value::Time(1_595_721_600_000), &Value::str("2020-07-26")));
        assert_eq!(cmp_sort_str("abc", "ABD"), Ordering::Less);
        assert_eq!(cmp_sort_str("ABC", "abc"), Ordering::Less);
    }

    #[test]
    fn numbers_parse() {
        assert_eq!(parse_number(" 42 "), Some(Value::Int(42)));
        assert_eq!(parse_number("1e6"), Some(Value::Float(1e6)));
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(format_float(2.0), "2");
        assert_eq!(format_float(0.25), "0.25");
    }
}
