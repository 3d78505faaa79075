//! Scalar functions (LANGUAGE.md section 4): conditional, null, numeric, network and
//! string groups. `if`, `case` and `literal` are compiled by the planner (their
//! arguments are not all evaluated), the rest evaluate here.

use super::math::*;
use super::net::*;
use super::{owned, str_type, FuncDef};
use crate::store::{DataType, Value};

fn num_type(t: &[DataType]) -> DataType {
    match t.first() {
        Some(DataType::Int) => DataType::Int,
        Some(DataType::Duration) => DataType::Duration,
        _ => DataType::Float,
    }
}

fn first_type(t: &[DataType]) -> DataType {
    t.iter().copied().find(|t| *t != DataType::Null).unwrap_or(DataType::Null)
}

fn is_null(a: &[Value]) -> Value<'static> {
    Value::Bool(a[0].is_null())
}

fn is_not_null(a: &[Value]) -> Value<'static> {
    Value::Bool(!a[0].is_null())
}

fn coalesce(a: &[Value]) -> Value<'static> {
    a.iter().find(|v| !v.is_null()).cloned().map_or(Value::Null, Value::into_owned)
}

fn concat(a: &[Value]) -> Value<'static> {
    let mut out = String::new();
    for v in a {
        match v.to_text() {
            Some(t) => out.push_str(&t),
            None => return Value::Null,
        }
    }
    owned(out)
}

fn text_fn(v: &Value, f: impl Fn(&str) -> Value<'static>) -> Value<'static> {
    v.to_text().map_or(Value::Null, |t| f(&t))
}

fn lower(a: &[Value]) -> Value<'static> {
    text_fn(&a[0], |t| owned(t.to_lowercase()))
}

fn upper(a: &[Value]) -> Value<'static> {
    text_fn(&a[0], |t| owned(t.to_uppercase()))
}

fn length(a: &[Value]) -> Value<'static> {
    text_fn(&a[0], |t| Value::Int(t.chars().count() as i64))
}

fn substr(a: &[Value]) -> Value<'static> {
    let start = match float_arg(&a[1]) {
        Some(s) => s.max(0.0) as usize,
        None => return Value::Null,
    };
    let end = match a.get(2) {
        None => None,
        Some(v) => match float_arg(v) {
            Some(e) => Some(e.max(0.0) as usize),
            None => return Value::Null,
        },
    };
    text_fn(&a[0], |t| {
        let n = end.map_or(usize::MAX, |e| e.saturating_sub(start));
        owned(t.chars().skip(start).take(n).collect())
    })
}

fn bool_type(_: &[DataType]) -> DataType {
    DataType::Bool
}

fn int_type(_: &[DataType]) -> DataType {
    DataType::Int
}

fn float_type(_: &[DataType]) -> DataType {
    DataType::Float
}

pub const FUNCTIONS: &[FuncDef] = &[
    FuncDef {
        name: "if",
        group: "conditional",
        min_args: 2,
        max_args: None,
        signature: "if(cond1, value1 [, cond2, value2 ...] [, default])",
        about: "the value of the first true condition; the default (or null) when none is true",
        examples: &[("if(1 = 2, a, 2 = 2, b, c)", "b"), ("if(1 = 2, a)", "null")],
        eval: None,
        returns: first_type,
    },
    FuncDef {
        name: "case",
        group: "conditional",
        min_args: 2,
        max_args: None,
        signature: "case(cond1, value1 [, cond2, value2 ...] [, default])",
        about: "the same as if",
        examples: &[("case(3 > 2, yes, no)", "yes")],
        eval: None,
        returns: first_type,
    },
    FuncDef {
        name: "isnull",
        group: "null",
        min_args: 1,
        max_args: Some(1),
        signature: "isnull(x)",
        about: "true when x is null",
        examples: &[("isnull(null)", "true"), ("isnull(1)", "false")],
        eval: Some(is_null),
        returns: bool_type,
    },
    FuncDef {
        name: "isnotnull",
        group: "null",
        min_args: 1,
        max_args: Some(1),
        signature: "isnotnull(x)",
        about: "true when x is not null",
        examples: &[("isnotnull(null)", "false")],
        eval: Some(is_not_null),
        returns: bool_type,
    },
    FuncDef {
        name: "coalesce",
        group: "null",
        min_args: 1,
        max_args: None,
        signature: "coalesce(a, b, ...)",
        about: "the first argument that is not null",
        examples: &[("coalesce(null, null, 3)", "3")],
        eval: Some(coalesce),
        returns: first_type,
    },
    FuncDef {
        name: "ifnull",
        group: "null",
        min_args: 2,
        max_args: Some(2),
        signature: "ifnull(a, b)",
        about: "a, or b when a is null (as nvl; in stats, ifnull(aggregate, value) is the aggregate's)",
        examples: &[("ifnull(null, 0)", "0")],
        eval: Some(coalesce),
        returns: first_type,
    },
    FuncDef {
        name: "nvl",
        group: "null",
        min_args: 2,
        max_args: Some(2),
        signature: "nvl(a, b)",
        about: "a, or b when a is null",
        examples: &[("nvl(null, 'none')", "none")],
        eval: Some(coalesce),
        returns: first_type,
    },
    FuncDef {
        name: "abs",
        group: "numeric",
        min_args: 1,
        max_args: Some(1),
        signature: "abs(n)",
        about: "absolute value",
        examples: &[("abs(-4)", "4")],
        eval: Some(abs),
        returns: num_type,
    },
    FuncDef {
        name: "ceil",
        group: "numeric",
        min_args: 1,
        max_args: Some(1),
        signature: "ceil(n)",
        about: "smallest integer not below n",
        examples: &[("ceil(2.1)", "3")],
        eval: Some(ceil),
        returns: int_type,
    },
    FuncDef {
        name: "floor",
        group: "numeric",
        min_args: 1,
        max_args: Some(1),
        signature: "floor(n)",
        about: "largest integer not above n",
        examples: &[("floor(2.9)", "2")],
        eval: Some(floor),
        returns: int_type,
    },
    FuncDef {
        name: "round",
        group: "numeric",
        min_args: 1,
        max_args: Some(2),
        signature: "round(n [, digits])",
        about: "n rounded half away from zero to digits decimals (default 0: an integer)",
        examples: &[("round(2.5)", "3"), ("round(3.14159, 2)", "3.14")],
        eval: Some(round),
        returns: |t| {
            if t.len() > 1 {
                DataType::Float
            } else {
                DataType::Int
            }
        },
    },
    FuncDef {
        name: "power",
        group: "numeric",
        min_args: 2,
        max_args: Some(2),
        signature: "power(n, p)",
        about: "n to the power p",
        examples: &[("power(2, 10)", "1024")],
        eval: Some(power),
        returns: float_type,
    },
    FuncDef {
        name: "sqrt",
        group: "numeric",
        min_args: 1,
        max_args: Some(1),
        signature: "sqrt(n)",
        about: "square root; null for negative n",
        examples: &[("sqrt(16)", "4")],
        eval: Some(sqrt),
        returns: float_type,
    },
    FuncDef {
        name: "log",
        group: "numeric",
        min_args: 1,
        max_args: Some(2),
        signature: "log(n [, base])",
        about: "natural logarithm, or the logarithm to base; null for n <= 0",
        examples: &[("log(100, 10)", "2")],
        eval: Some(log),
        returns: float_type,
    },
    FuncDef {
        name: "exp",
        group: "numeric",
        min_args: 1,
        max_args: Some(1),
        signature: "exp(n)",
        about: "e to the power n",
        examples: &[("exp(0)", "1")],
        eval: Some(exp),
        returns: float_type,
    },
    FuncDef {
        name: "max",
        group: "numeric",
        min_args: 2,
        max_args: Some(2),
        signature: "max(a, b)",
        about: "the larger of a and b (with one argument, in stats, the aggregate)",
        examples: &[("max(3, 7)", "7")],
        eval: Some(max2),
        returns: first_type,
    },
    FuncDef {
        name: "min",
        group: "numeric",
        min_args: 2,
        max_args: Some(2),
        signature: "min(a, b)",
        about: "the smaller of a and b (with one argument, in stats, the aggregate)",
        examples: &[("min(3, 7)", "3")],
        eval: Some(min2),
        returns: first_type,
    },
    FuncDef {
        name: "cidrmatch",
        group: "network",
        min_args: 2,
        max_args: Some(2),
        signature: "cidrmatch(ip, 'cidr')",
        about: "true when ip is in the block; either order, IPv4 and IPv6",
        examples: &[
            ("cidrmatch('10.0.3.7', '10.0.0.0/16')", "true"),
            ("cidrmatch('2001:db8::/32', '2001:db9::1')", "false"),
        ],
        eval: Some(cidrmatch),
        returns: bool_type,
    },
    FuncDef {
        name: "isprivate",
        group: "network",
        min_args: 1,
        max_args: Some(1),
        signature: "isprivate(ip)",
        about: "true for RFC 1918, RFC 4193, loopback and link-local addresses",
        examples: &[("isprivate('192.168.1.20')", "true"), ("isprivate('8.8.8.8')", "false")],
        eval: Some(isprivate),
        returns: bool_type,
    },
    FuncDef {
        name: "ipnum",
        group: "network",
        min_args: 1,
        max_args: Some(1),
        signature: "ipnum(ip)",
        about: "the address as a number (IPv4 exactly; IPv6 as an approximate float)",
        examples: &[("ipnum('10.0.0.1')", "167772161")],
        eval: Some(ipnum),
        returns: int_type,
    },
    FuncDef {
        name: "concat",
        group: "string",
        min_args: 1,
        max_args: None,
        signature: "concat(a, b, ...)",
        about: "the arguments as text, joined; null if any is null",
        examples: &[("concat('port ', 22)", "port 22")],
        eval: Some(concat),
        returns: str_type,
    },
    FuncDef {
        name: "lower",
        group: "string",
        min_args: 1,
        max_args: Some(1),
        signature: "lower(s)",
        about: "s in lower case",
        examples: &[("lower('ACCEPT')", "accept")],
        eval: Some(lower),
        returns: str_type,
    },
    FuncDef {
        name: "upper",
        group: "string",
        min_args: 1,
        max_args: Some(1),
        signature: "upper(s)",
        about: "s in upper case",
        examples: &[("upper('reject')", "REJECT")],
        eval: Some(upper),
        returns: str_type,
    },
    FuncDef {
        name: "length",
        group: "string",
        min_args: 1,
        max_args: Some(1),
        signature: "length(s)",
        about: "number of characters in s",
        examples: &[("length('flowq')", "5")],
        eval: Some(length),
        returns: int_type,
    },
    FuncDef {
        name: "substr",
        group: "string",
        min_args: 2,
        max_args: Some(3),
        signature: "substr(s, start [, end])",
        about: "characters start (0-based) up to end (exclusive)",
        examples: &[("substr('10.0.0.5', 0, 4)", "10.0"), ("substr('REJECT', 2)", "JECT")],
        eval: Some(substr),
        returns: str_type,
    },
    FuncDef {
        name: "literal",
        group: "string",
        min_args: 1,
        max_args: Some(1),
        signature: "literal(name)",
        about: "the name as text, even when a field has that name",
        examples: &[("literal('Source IP')", "Source IP")],
        eval: None,
        returns: str_type,
    },
];
