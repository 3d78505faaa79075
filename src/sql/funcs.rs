//! The scalar functions that ClickHouse computes with the same answers as the local
//! engine. A function missing here makes its stage run locally; docs/SCALE_OUT.md
//! lists what is pushed down.

use super::expr::{ExprWriter, Refusal, Sql};
use super::quote;
use crate::plan::CExpr;
use crate::store::ip::Cidr;
use crate::store::DataType;

/// Functions written here, for the docs and `flowq sql`.
pub const PUSHED_FUNCTIONS: &[&str] = &[
    "isnull",
    "isnotnull",
    "coalesce",
    "nvl",
    "abs",
    "ceil",
    "floor",
    "round",
    "sqrt",
    "log",
    "max",
    "min",
    "isprivate",
    "concat",
    "lower",
    "upper",
    "length",
    "unit",
    "contains",
    "reverse",
    "replace",
    "trim",
    "ltrim",
    "rtrim",
    "capitalize",
    "substr",
    "indexof",
    "md5",
    "sha1",
    "sha256",
    "power",
    "exp",
    "tostring",
    "floortime",
    "dateadd",
    "datediff",
];

/// Rust's `char::is_whitespace` (the White_Space property) as an RE2 class body.
const WHITESPACE: &str = r"\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}";

/// The blocks `isprivate` tests (crate::store::ip::is_private).
const PRIVATE_BLOCKS: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "fc00::/7",
    "::1/128",
    "fe80::/10",
];

/// Rounding half away from zero, as Rust's f64::round (ClickHouse's round() rounds
/// half to even): the fraction `y - trunc(y)` is exact, so the tie test is too.
fn half_away(y: &str) -> String {
    format!("if(abs({y} - trunc({y})) >= 0.5, trunc({y}) + if({y} > 0, 1., -1.), trunc({y}))")
}

fn sql(text: String, dtype: DataType, nullable: bool) -> Sql {
    Sql { text, dtype, nullable }
}

/// `name(args)` as SQL, or why not.
pub fn call(w: &ExprWriter, name: &str, args: &[CExpr]) -> Result<Sql, Refusal> {
    let a = args.iter().map(|x| w.write(x)).collect::<Result<Vec<_>, _>>()?;
    let refuse = || Err(format!("{name}() with these arguments"));
    let first = |a: &[Sql]| a[0].clone();
    Ok(match (name, a.len()) {
        ("isnull", 1) => sql(format!("isNull({})", a[0].text), DataType::Bool, false),
        ("isnotnull", 1) => sql(format!("isNotNull({})", a[0].text), DataType::Bool, false),
        ("coalesce" | "nvl", _) => {
            let mut t = DataType::Null;
            for x in &a {
                if x.dtype != DataType::Null {
                    if t != DataType::Null && t != x.dtype {
                        return refuse();
                    }
                    t = x.dtype;
                }
            }
            let list = a.iter().map(|x| x.text.as_str()).collect::<Vec<_>>().join(", ");
            sql(format!("coalesce({list})"), t, a.iter().all(|x| x.nullable))
        }
        ("abs", 1) => match a[0].dtype {
            DataType::Int | DataType::Duration => sql(format!("toInt64(abs({}))", a[0].text), a[0].dtype, true),
            DataType::Float => sql(format!("abs({})", a[0].text), DataType::Float, a[0].nullable),
            _ => return refuse(),
        },
        ("ceil" | "floor", 1) => match a[0].dtype {
            DataType::Int | DataType::Duration => first(&a),
            DataType::Float => sql(format!("toInt64({name}({}))", a[0].text), DataType::Int, a[0].nullable),
            _ => return refuse(),
        },
        ("round", 1) => match a[0].dtype {
            DataType::Int => first(&a),
            DataType::Float => sql(format!("toInt64({})", half_away(&a[0].text)), DataType::Int, a[0].nullable),
            _ => return refuse(),
        },
        ("round", 2) => match (a[0].dtype, &args[1]) {
            (DataType::Int, CExpr::Lit(crate::store::Value::Int(d))) if *d >= 0 => first(&a),
            (DataType::Float, CExpr::Lit(crate::store::Value::Int(d))) if (1..=15).contains(d) => {
                // As the local engine: (x * 10^d).round() / 10^d, with the same f64 factor.
                let m = format!("toFloat64({:?})", 10f64.powi(*d as i32));
                let y = format!("({} * {m})", a[0].text);
                sql(format!("({} / {m})", half_away(&y)), DataType::Float, a[0].nullable)
            }
            _ => return refuse(),
        },
        ("sqrt", 1) if a[0].dtype.is_numeric() => {
            let x = &a[0].text;
            sql(format!("if({x} >= 0, sqrt(toFloat64({x})), NULL)"), DataType::Float, true)
        }
        ("log", 1) if a[0].dtype.is_numeric() => {
            let x = &a[0].text;
            sql(format!("if({x} > 0, log(toFloat64({x})), NULL)"), DataType::Float, true)
        }
        ("max" | "min", 2) if a[0].dtype == a[1].dtype && matches!(a[0].dtype, DataType::Int | DataType::Float) => {
            let (x, y) = (&a[0].text, &a[1].text);
            let op = if name == "max" { ">=" } else { "<=" };
            sql(format!("if(isNull({x}) OR isNull({y}), NULL, if({x} {op} {y}, {x}, {y}))"), a[0].dtype, true)
        }
        ("isprivate", 1) if a[0].dtype == DataType::Ip => {
            let tests = PRIVATE_BLOCKS
                .iter()
                .filter_map(|b| Cidr::parse(b))
                .map(|c| w.cidr_test(&a[0].text, &c))
                .collect::<Vec<_>>()
                .join(" OR ");
            sql(format!("if(isNull({}), NULL, {tests})", a[0].text), DataType::Bool, true)
        }
        ("concat", _) => {
            let parts = a.into_iter().map(|x| w.text(x)).collect::<Result<Vec<_>, _>>()?;
            let nullable = parts.iter().any(|p| p.nullable);
            let list = parts.iter().map(|x| x.text.as_str()).collect::<Vec<_>>().join(", ");
            // concat() of one argument is an error in ClickHouse.
            let list = if parts.len() == 1 { format!("{list}, ''") } else { list };
            sql(format!("concat({list})"), DataType::Str, nullable)
        }
        ("lower" | "upper", 1) if a[0].dtype == DataType::Str => {
            sql(format!("{name}UTF8({})", a[0].text), DataType::Str, a[0].nullable)
        }
        ("length", 1) if a[0].dtype == DataType::Str => {
            sql(format!("toInt64(lengthUTF8({}))", a[0].text), DataType::Int, a[0].nullable)
        }
        // The display unit lives in the result's fields; the value is the number.
        ("unit", 2) => first(&a),
        _ => return more(name, args, a),
    })
}

/// A constant text argument.
fn text_lit(e: &CExpr) -> Option<&str> {
    match e {
        CExpr::Lit(crate::store::Value::Str(s)) => Some(s),
        _ => None,
    }
}

/// A constant integer argument.
fn int_lit(e: &CExpr) -> Option<i64> {
    match e {
        CExpr::Lit(crate::store::Value::Int(i)) => Some(*i),
        CExpr::Lit(crate::store::Value::Float(f)) if f.is_finite() => Some(*f as i64),
        _ => None,
    }
}

/// A fixed span named by a constant argument (`1hour`, `'5min'`, `day`).
fn fixed_span(e: &CExpr, with_count: bool) -> Option<i64> {
    let text = text_lit(e)?;
    let text = if with_count { text.trim().to_string() } else { format!("1{}", text.trim()) };
    match crate::store::time::Span::parse(&text)? {
        crate::store::time::Span::Millis(w) => Some(w),
        crate::store::time::Span::Months(_) => None,
    }
}

/// An RE2 character class body holding exactly `chars`.
fn class_of(chars: &str) -> String {
    let mut out = String::new();
    for c in chars.chars() {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    }
    out
}

/// The string, hash and time functions.
fn more(name: &str, args: &[CExpr], a: Vec<Sql>) -> Result<Sql, Refusal> {
    let refuse = || Err(format!("{name}() with these arguments"));
    let text = |i: usize| a.get(i).is_some_and(|x| x.dtype == DataType::Str);
    let nullable = a.iter().any(|x| x.nullable);
    let s = |t: String, d: DataType| sql(t, d, nullable);
    Ok(match (name, a.len()) {
        ("contains", 2) if text(0) && text(1) => {
            s(format!("positionCaseInsensitiveUTF8({}, {}) > 0", a[0].text, a[1].text), DataType::Bool)
        }
        ("reverse", 1) if text(0) => s(format!("reverseUTF8({})", a[0].text), DataType::Str),
        ("replace", n) if text(0) && n % 2 == 1 => {
            let mut out = a[0].text.clone();
            for pair in args[1..].chunks(2) {
                let (Some(from), Some(to)) = (text_lit(&pair[0]), text_lit(&pair[1])) else { return refuse() };
                if !from.is_empty() {
                    out = format!("replaceAll({out}, {}, {})", quote::string(from), quote::string(to));
                }
            }
            s(out, DataType::Str)
        }
        ("trim" | "ltrim" | "rtrim", 1 | 2) if text(0) => {
            let class = match args.get(1) {
                None => WHITESPACE.to_string(),
                Some(set) => match text_lit(set) {
                    Some("") => return Ok(a[0].clone()),
                    Some(chars) => class_of(chars),
                    None => return refuse(),
                },
            };
            let mut out = a[0].text.clone();
            if name != "rtrim" {
                out = format!("replaceRegexpOne({out}, {}, '')", quote::string(&format!("^[{class}]+")));
            }
            if name != "ltrim" {
                out = format!("replaceRegexpOne({out}, {}, '')", quote::string(&format!("[{class}]+$")));
            }
            s(out, DataType::Str)
        }
        ("capitalize", 1) if text(0) => {
            let x = &a[0].text;
            s(
                format!("concat(upperUTF8(substringUTF8({x}, 1, 1)), lowerUTF8(substringUTF8({x}, 2, 4294967295)))"),
                DataType::Str,
            )
        }
        // Character positions from 0, the end exclusive.
        ("substr", 2 | 3) if text(0) => {
            let Some(start) = int_lit(&args[1]) else { return refuse() };
            let start = start.max(0);
            match args.get(2).map(int_lit) {
                // ClickHouse 18.16 wants a constant length: one longer than any text.
                None => s(format!("substringUTF8({}, {}, 4294967295)", a[0].text, start + 1), DataType::Str),
                Some(Some(end)) => {
                    let len = (end.max(0) - start).max(0);
                    s(format!("substringUTF8({}, {}, {len})", a[0].text, start + 1), DataType::Str)
                }
                Some(None) => return refuse(),
            }
        }
        ("indexof", 2) if text(0) && text(1) => {
            s(format!("toInt64(positionUTF8({}, {})) - 1", a[0].text, a[1].text), DataType::Int)
        }
        ("md5" | "sha1" | "sha256", 1) if text(0) => {
            let f = match name {
                "md5" => "MD5",
                "sha1" => "SHA1",
                _ => "SHA256",
            };
            s(format!("lower(hex({f}({})))", a[0].text), DataType::Str)
        }
        // Non-finite results are null, as locally.
        ("power", 2) if a[0].dtype.is_numeric() && a[1].dtype.is_numeric() => {
            let v = format!("pow(toFloat64({}), toFloat64({}))", a[0].text, a[1].text);
            sql(format!("if(isFinite({v}), {v}, NULL)"), DataType::Float, true)
        }
        ("exp", 1) if a[0].dtype.is_numeric() => {
            let v = format!("exp(toFloat64({}))", a[0].text);
            sql(format!("if(isFinite({v}), {v}, NULL)"), DataType::Float, true)
        }
        ("tostring", 1) if text(0) => a[0].clone(),
        ("tostring", 1) if a[0].dtype == DataType::Int => s(format!("toString({})", a[0].text), DataType::Str),
        ("floortime", 2) if a[0].dtype == DataType::Time => {
            let Some(w) = fixed_span(&args[1], true) else { return refuse() };
            s(euclid_floor(&a[0].text, w), DataType::Time)
        }
        ("dateadd", 3) if a[0].dtype == DataType::Time => {
            let (Some(w), Some(n)) = (fixed_span(&args[1], false), int_lit(&args[2])) else { return refuse() };
            s(format!("toInt64({} + {})", a[0].text, w.saturating_mul(n)), DataType::Time)
        }
        ("datediff", 2) if a[0].dtype == DataType::Time && a[1].dtype == DataType::Time => {
            s(format!("toInt64({} - {})", a[0].text, a[1].text), DataType::Duration)
        }
        // Whole units, truncated toward zero.
        ("datediff", 3) if a[0].dtype == DataType::Time && a[1].dtype == DataType::Time => {
            let Some(w) = fixed_span(&args[2], false) else { return refuse() };
            let d = format!("({} - {})", a[0].text, a[1].text);
            s(format!("toInt64(if({d} >= 0, intDiv({d}, {w}), -intDiv(-{d}, {w})))"), DataType::Int)
        }
        _ => return refuse(),
    })
}

/// `t` floored to a multiple of `w` (toward minus infinity, for times before 1970 too).
pub fn euclid_floor(t: &str, w: i64) -> String {
    format!("toInt64({t} - ((({t} % {w}) + {w}) % {w}))")
}

/// Months from 1970-01 to the month of time `t` (milliseconds, UTC).
fn month_index(t: &str) -> String {
    let dt = format!("toDateTime(intDiv({t}, 1000), 'UTC')");
    format!("((toYear({dt}) - 1970) * 12 + toMonth({dt}) - 1)")
}

/// The month index of `t` floored to a multiple of `n` months (as Span::Months floors).
pub fn month_floor_index(t: &str, n: i64) -> String {
    let m = month_index(t);
    format!("toInt64({m} - ((({m} % {n}) + {n}) % {n}))")
}

/// The first millisecond (UTC) of month index `k`.
pub fn month_start(k: &str) -> String {
    format!(
        "toInt64((toRelativeDayNum(addMonths(toDate('1970-01-01'), toInt32({k}))) \
         - toRelativeDayNum(toDate('1970-01-01'))) * 86400000)"
    )
}

/// `t` floored to the start of its span: a multiple of `w` milliseconds, or of `n`
/// calendar months.
pub fn span_floor(t: &str, span: crate::store::time::Span) -> String {
    match span {
        crate::store::time::Span::Millis(w) => euclid_floor(t, w),
        crate::store::time::Span::Months(n) => month_start(&month_floor_index(t, n)),
    }
}
