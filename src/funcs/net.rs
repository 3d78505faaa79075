//! The network functions: cidrmatch, isprivate, ipnum.

use crate::store::ip::{self, Cidr};
use crate::store::Value;

pub(super) fn as_ip(v: &Value) -> Option<u128> {
    match v {
        Value::Ip(a) => Some(*a),
        Value::Str(s) => ip::parse(s),
        _ => None,
    }
}

pub(super) fn cidrmatch(a: &[Value]) -> Value<'static> {
    if a[0].is_null() || a[1].is_null() {
        return Value::Null;
    }
    // Either order: the argument with a '/' is the block.
    let is_block = |v: &Value| matches!(v, Value::Str(s) if s.contains('/'));
    let (addr, block) = if is_block(&a[0]) && !is_block(&a[1]) { (&a[1], &a[0]) } else { (&a[0], &a[1]) };
    let cidr = match block {
        Value::Str(s) => Cidr::parse(s),
        Value::Ip(x) => Some(Cidr { network: *x, prefix: 128 }),
        _ => None,
    };
    match (as_ip(addr), cidr) {
        (Some(x), Some(c)) => Value::Bool(c.contains(x)),
        _ => Value::Bool(false),
    }
}

pub(super) fn isprivate(a: &[Value]) -> Value<'static> {
    match &a[0] {
        Value::Null => Value::Null,
        v => as_ip(v).map_or(Value::Null, |x| Value::Bool(ip::is_private(x))),
    }
}

pub(super) fn ipnum(a: &[Value]) -> Value<'static> {
    match as_ip(&a[0]) {
        None => Value::Null,
        Some(x) => match ip::as_v4(x) {
            Some(v4) => Value::Int(v4 as i64),
            None => Value::Float(x as f64),
        },
    }
}
