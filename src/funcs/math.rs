//! The numeric functions: abs, ceil, floor, round, power, sqrt, log, exp, max, min.

use std::cmp::Ordering;

use crate::store::value::compare;
use crate::store::Value;

/// Apply `int` to integer-like values and `float` to the rest; text that reads as a
/// number counts as one.
pub(super) fn numeric(v: &Value, int: fn(i64) -> Option<i64>, float: fn(f64) -> f64) -> Value<'static> {
    match v {
        Value::Int(i) => int(*i).map_or(Value::Null, Value::Int),
        Value::Duration(d) => int(*d).map_or(Value::Null, Value::Duration),
        Value::Float(f) => Value::Float(float(*f)),
        Value::Str(s) => match crate::store::value::parse_number(s) {
            Some(n) => numeric(&n, int, float),
            None => Value::Null,
        },
        _ => Value::Null,
    }
}

pub(super) fn float_arg(v: &Value) -> Option<f64> {
    match v {
        Value::Int(_) | Value::Float(_) | Value::Duration(_) | Value::Str(_) => v.as_f64(),
        _ => None,
    }
}

pub(super) fn float_result(f: Option<f64>) -> Value<'static> {
    match f {
        Some(f) if f.is_finite() => Value::Float(f),
        _ => Value::Null,
    }
}

pub(super) fn to_int(f: f64) -> Value<'static> {
    if f.is_finite() && f.abs() < 9.0e18 {
        Value::Int(f as i64)
    } else {
        Value::Null
    }
}

pub(super) fn abs(a: &[Value]) -> Value<'static> {
    numeric(&a[0], i64::checked_abs, f64::abs)
}

pub(super) fn ceil(a: &[Value]) -> Value<'static> {
    match numeric(&a[0], Some, f64::ceil) {
        Value::Float(f) => to_int(f),
        v => v,
    }
}

pub(super) fn floor(a: &[Value]) -> Value<'static> {
    match numeric(&a[0], Some, f64::floor) {
        Value::Float(f) => to_int(f),
        v => v,
    }
}

pub(super) fn round(a: &[Value]) -> Value<'static> {
    let digits = match a.get(1) {
        None => 0,
        Some(v) => match float_arg(v) {
            Some(d) => d as i32,
            None => return Value::Null,
        },
    };
    match &a[0] {
        Value::Int(i) if digits >= 0 => Value::Int(*i),
        v => match float_arg(v) {
            None => Value::Null,
            Some(f) if digits == 0 => to_int(f.round()),
            Some(f) => {
                let m = 10f64.powi(digits);
                float_result(Some((f * m).round() / m))
            }
        },
    }
}

pub(super) fn power(a: &[Value]) -> Value<'static> {
    float_result(float_arg(&a[0]).zip(float_arg(&a[1])).map(|(b, e)| b.powf(e)))
}

pub(super) fn sqrt(a: &[Value]) -> Value<'static> {
    float_result(float_arg(&a[0]).filter(|f| *f >= 0.0).map(f64::sqrt))
}

pub(super) fn log(a: &[Value]) -> Value<'static> {
    let x = float_arg(&a[0]).filter(|f| *f > 0.0);
    match a.get(1) {
        None => float_result(x.map(f64::ln)),
        Some(b) => float_result(x.zip(float_arg(b).filter(|b| *b > 0.0 && *b != 1.0)).map(|(x, b)| x.log(b))),
    }
}

pub(super) fn exp(a: &[Value]) -> Value<'static> {
    float_result(float_arg(&a[0]).map(f64::exp))
}

pub(super) fn pick(a: &[Value], want: Ordering) -> Value<'static> {
    match compare(&a[0], &a[1]) {
        Some(o) if o == want || o == Ordering::Equal => a[0].clone().into_owned(),
        Some(_) => a[1].clone().into_owned(),
        None => Value::Null,
    }
}

pub(super) fn max2(a: &[Value]) -> Value<'static> {
    pick(a, Ordering::Greater)
}

pub(super) fn min2(a: &[Value]) -> Value<'static> {
    pick(a, Ordering::Less)
}
