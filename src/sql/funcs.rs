//! The scalar functions that ClickHouse computes with the same answers as the local
//! engine. A function missing here makes its stage run locally; docs/SCALE_OUT.md
//! lists what is pushed down.

use super::expr::{ExprWriter, Refusal, Sql};
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
];

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
        _ => return refuse(),
    })
}
