//! Conversions: text to numbers and durations, values to text.

use super::owned;
use crate::store::time::Span;
use crate::store::Value;

/// Text that reads as a number: decimal, `0x` hex or `0`-prefixed octal.
pub(super) fn tonumber(a: &[Value]) -> Value<'static> {
    match &a[0] {
        Value::Str(s) => {
            let t = s.trim();
            let (neg, body) = match t.strip_prefix('-') {
                Some(b) => (true, b),
                None => (false, t),
            };
            let radix = if body.len() > 2 && (body.starts_with("0x") || body.starts_with("0X")) {
                Some((16, &body[2..]))
            } else if body.len() > 1 && body.starts_with('0') && body.bytes().all(|b| b.is_ascii_digit()) {
                Some((8, &body[1..]))
            } else {
                None
            };
            match radix {
                Some((r, digits)) => {
                    i64::from_str_radix(digits, r).map_or(Value::Null, |v| Value::Int(if neg { -v } else { v }))
                }
                None => crate::store::value::parse_number(t).unwrap_or(Value::Null),
            }
        }
        Value::Int(i) | Value::Time(i) | Value::Duration(i) => Value::Int(*i),
        Value::Float(f) => Value::Float(*f),
        Value::Bool(b) => Value::Int(*b as i64),
        _ => Value::Null,
    }
}

pub(super) fn tostring(a: &[Value]) -> Value<'static> {
    a[0].to_text().map_or(Value::Null, |t| owned(t.into_owned()))
}

/// `1h30m`, `90s`, `2d 4h`, `250ms`: the sum of number+unit parts, in milliseconds.
pub fn parse_duration(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    let mut total: i64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let after = &rest[digits..];
        let unit_len = after.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(after.len());
        if unit_len == 0 {
            return None;
        }
        let part = &rest[..digits + unit_len];
        let ms = match Span::parse(part)? {
            Span::Millis(ms) => ms,
            Span::Months(_) => return None,
        };
        total = total.checked_add(ms)?;
        rest = &after[unit_len..];
    }
    Some(total)
}

pub(super) fn toduration(a: &[Value]) -> Value<'static> {
    match &a[0] {
        Value::Duration(d) => Value::Duration(*d),
        Value::Int(i) => Value::Duration(*i),
        Value::Float(f) => Value::Duration(*f as i64),
        v => v.to_text().and_then(|t| parse_duration(&t)).map_or(Value::Null, Value::Duration),
    }
}
