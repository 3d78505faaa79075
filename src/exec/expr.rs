//! Row-at-a-time evaluation of compiled expressions. Field reads borrow from the
//! column dictionaries, so comparing a string field allocates nothing.

use std::borrow::Cow;
use std::cell::Cell;
use std::cmp::Ordering;

use crate::plan::CExpr;
use crate::store::value::{compare, eq_ci};
use crate::store::{Table, Value};
use crate::syntax::BinOp;

fn truth(v: Option<bool>) -> Value<'static> {
    v.map_or(Value::Null, Value::Bool)
}

impl CExpr {
    /// The value of this expression for row `row` of `t`.
    pub fn eval<'a>(&'a self, t: &'a Table, row: usize) -> Value<'a> {
        match self {
            CExpr::Col(i) => t.get(*i, row),
            CExpr::Lit(v) => match v {
                Value::Str(s) => Value::Str(Cow::Borrowed(s.as_ref())),
                other => other.clone(),
            },
            CExpr::Neg(a) => match a.eval(t, row) {
                Value::Int(i) => i.checked_neg().map_or(Value::Null, Value::Int),
                Value::Duration(d) => Value::Duration(-d),
                v => v.as_f64().map_or(Value::Null, |f| Value::Float(-f)),
            },
            CExpr::Not(a) => match a.eval(t, row) {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::Null,
            },
            CExpr::And(a, b) => Value::Bool(a.eval(t, row).is_true() && b.eval(t, row).is_true()),
            CExpr::Or(a, b) => Value::Bool(a.eval(t, row).is_true() || b.eval(t, row).is_true()),
            CExpr::Arith(op, a, b) => arith(*op, a.eval(t, row), b.eval(t, row)),
            CExpr::Concat(a, b) => match (a.eval(t, row).to_text(), b.eval(t, row).to_text()) {
                (Some(x), Some(y)) => Value::Str(Cow::Owned(format!("{x}{y}"))),
                _ => Value::Null,
            },
            CExpr::Cmp(op, a, b) => {
                let (x, y) = (a.eval(t, row), b.eval(t, row));
                // A comparison with null is false, not null: `where` and `not` agree.
                let o = match (&x, &y) {
                    (Value::Str(p), Value::Str(q)) if matches!(op, BinOp::Eq | BinOp::Ne) => {
                        Some(if eq_ci(p, q) { Ordering::Equal } else { Ordering::Less })
                    }
                    _ => compare(&x, &y),
                };
                Value::Bool(match (op, o) {
                    (_, None) => false,
                    (BinOp::Eq, Some(o)) => o == Ordering::Equal,
                    (BinOp::Ne, Some(o)) => o != Ordering::Equal,
                    (BinOp::Lt, Some(o)) => o == Ordering::Less,
                    (BinOp::Le, Some(o)) => o != Ordering::Greater,
                    (BinOp::Gt, Some(o)) => o == Ordering::Greater,
                    (_, Some(o)) => o != Ordering::Less,
                })
            }
            CExpr::IsNull(a, want_null) => Value::Bool(a.eval(t, row).is_null() == *want_null),
            CExpr::Like { expr, patterns, negated } => match expr.eval(t, row).to_text() {
                None => Value::Bool(false),
                Some(s) => Value::Bool(patterns.iter().any(|p| p.is_match(&s)) != *negated),
            },
            CExpr::In { expr, list, negated } => {
                let x = expr.eval(t, row);
                if x.is_null() {
                    return Value::Bool(false);
                }
                let found = list.iter().any(|i| compare(&x, &i.eval(t, row)) == Some(Ordering::Equal));
                Value::Bool(found != *negated)
            }
            CExpr::Between { expr, low, high, negated } => {
                let x = expr.eval(t, row);
                let lo = compare(&x, &low.eval(t, row));
                let hi = compare(&x, &high.eval(t, row));
                match (lo, hi) {
                    (Some(l), Some(h)) => Value::Bool((l != Ordering::Less && h != Ordering::Greater) != *negated),
                    _ => Value::Bool(false),
                }
            }
            CExpr::Contains { expr, needle } => match expr.eval(t, row).to_text() {
                None => Value::Bool(false),
                Some(s) => Value::Bool(contains_ci(&s, needle)),
            },
            CExpr::CidrMatch { ip, cidr } => match ip.eval(t, row) {
                Value::Ip(a) => Value::Bool(cidr.contains(a)),
                Value::Str(s) => truth(crate::store::ip::parse(&s).map(|a| cidr.contains(a))),
                _ => Value::Null,
            },
            CExpr::Call { func, args, .. } => {
                let vals: Vec<Value> = args.iter().map(|a| a.eval(t, row)).collect();
                func(&vals)
            }
            CExpr::Regex { expr, re, extract } => {
                let v = expr.eval(t, row);
                if *extract {
                    crate::funcs::text::regex_extract(re, &v)
                } else {
                    crate::funcs::text::regex_matches(re, &v)
                }
            }
            CExpr::If { branches, default } => {
                for (c, v) in branches {
                    if c.eval(t, row).is_true() {
                        return v.eval(t, row);
                    }
                }
                default.as_ref().map_or(Value::Null, |d| d.eval(t, row))
            }
        }
    }
}

/// Case-insensitive substring search; `needle` is already lower case.
fn contains_ci(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b));
    }
    hay.to_lowercase().contains(needle)
}

/// An integer or time result that did not fit in 64 bits: `x op y`.
#[derive(Clone, Copy, Debug)]
pub struct Overflow {
    pub x: i64,
    pub op: BinOp,
    pub y: i64,
    /// Whether the result was a time (milliseconds since 1970).
    pub time: bool,
}

impl Overflow {
    /// The error of the stage `stage` (`eval x`, `where`) that computed it.
    pub fn diagnostic(&self, stage: &str) -> crate::diag::Diagnostic {
        let Overflow { x, op, y, time } = *self;
        let what = if time {
            "what a time holds (±9223372036854775807 ms around 1970)"
        } else {
            "the 64-bit integers (±9223372036854775807)"
        };
        let d = crate::diag::Diagnostic::runtime(format!("{stage}: {x} {} {y} is past {what}", op.symbol()));
        if time {
            d.help("a time holds about ±292 million years around 1970: check the span or the number added")
        } else {
            d.help("compute it as a fraction: 1.0 * <expression>, as a sum past 64 bits is")
        }
    }
}

thread_local! {
    /// The first integer or time result this thread computed that did not fit in 64
    /// bits: the stage that computed it makes it an error rather than a silent null
    /// (LANGUAGE.md, Expressions).
    static OVERFLOW: Cell<Option<Overflow>> = const { Cell::new(None) };
}

/// Note an overflow of `x op y`; its value is null.
#[cold]
fn overflowed(x: i64, op: BinOp, y: i64, time: bool) -> Value<'static> {
    note_overflow(Overflow { x, op, y, time });
    Value::Null
}

/// Note `o` on this thread unless an earlier overflow is noted; worker threads hand
/// theirs to the thread that runs the stage this way.
pub fn note_overflow(o: Overflow) {
    OVERFLOW.with(|c| {
        if c.get().is_none() {
            c.set(Some(o));
        }
    });
}

/// The first overflow since the last call (on this thread), clearing it.
pub fn take_overflow() -> Option<Overflow> {
    OVERFLOW.with(|o| o.take())
}

pub(crate) fn arith(op: BinOp, a: Value, b: Value) -> Value<'static> {
    use Value::*;
    match (op, &a, &b) {
        (_, Null, _) | (_, _, Null) => Null,
        (BinOp::Div, _, _) => match (a.as_f64(), b.as_f64()) {
            (Some(_), Some(0.0)) => Null,
            (Some(x), Some(y)) => Float(x / y),
            _ => Null,
        },
        // Past what an i64 of milliseconds holds there is no time: null, as for integers.
        (BinOp::Sub, Time(x), Time(y)) => x.checked_sub(*y).map_or_else(|| overflowed(*x, op, *y, false), Duration),
        (BinOp::Add, Time(x), Int(y) | Duration(y)) | (BinOp::Add, Int(y) | Duration(y), Time(x)) => {
            x.checked_add(*y).map_or_else(|| overflowed(*x, op, *y, true), Time)
        }
        (BinOp::Sub, Time(x), Int(y) | Duration(y)) => {
            x.checked_sub(*y).map_or_else(|| overflowed(*x, op, *y, true), Time)
        }
        (_, Int(x) | Duration(x), Int(y) | Duration(y)) => {
            let r = match op {
                BinOp::Add => x.checked_add(*y),
                BinOp::Sub => x.checked_sub(*y),
                BinOp::Mul => x.checked_mul(*y),
                _ => x.checked_rem(*y),
            };
            let dur = matches!(a, Duration(_)) || matches!(b, Duration(_));
            match r {
                Some(v) if dur => Duration(v),
                Some(v) => Int(v),
                // x % 0 is null, as x / 0 is; anything else that fails is an overflow.
                None if op == BinOp::Rem && *y == 0 => Null,
                None => overflowed(*x, op, *y, false),
            }
        }
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => {
                let r = match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                    _ if y == 0.0 => return Null,
                    _ => x % y,
                };
                if r.is_finite() {
                    Float(r)
                } else {
                    Null
                }
            }
            _ => Null,
        },
    }
}
