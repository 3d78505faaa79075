//! Compiled expressions ([`CExpr`]) as ClickHouse SQL with the language's semantics:
//! comparisons with null are false (not null), `=` on text ignores case, division by
//! zero is null. Anything that cannot be written with the same answer is refused with
//! the reason, and the stage runs locally instead.

use super::quote;
use crate::plan::CExpr;
use crate::store::ip::{self, Cidr};
use crate::store::{DataType, Value};
use crate::syntax::BinOp;

/// Why a stage cannot run on ClickHouse.
pub type Refusal = String;

/// A column of a SQL layer: its alias, its type in the language, and whether the
/// frame shows it (hidden columns carry sort keys and link aggregates).
#[derive(Clone, Debug)]
pub struct SqlCol {
    /// The generated alias in SQL.
    pub name: String,
    /// The field name the frame shows.
    pub display: String,
    pub dtype: DataType,
    pub visible: bool,
}

/// An expression written as SQL: its text, its type, and whether it can be null.
#[derive(Clone, Debug)]
pub struct Sql {
    pub text: String,
    pub dtype: DataType,
    pub nullable: bool,
}

impl Sql {
    fn new(text: String, dtype: DataType, nullable: bool) -> Sql {
        Sql { text, dtype, nullable }
    }

    fn boolean(text: String) -> Sql {
        Sql::new(text, DataType::Bool, false)
    }

    /// As a condition that is never null (null counts as false).
    fn truth(self) -> String {
        if self.nullable {
            format!("ifNull({}, 0)", self.text)
        } else {
            self.text
        }
    }
}

/// Writes expressions over the visible columns of one layer.
pub struct ExprWriter<'a> {
    pub cols: &'a [SqlCol],
}

type R<T> = Result<T, Refusal>;

/// A 16-byte address literal in the table's IPv6 (IPv4-mapped) form.
pub fn ip_literal(a: u128) -> String {
    format!("toFixedString(unhex('{a:032x}'), 16)")
}

/// A literal value.
pub fn literal(v: &Value) -> R<Sql> {
    Ok(match v {
        Value::Null => Sql::new("NULL".into(), DataType::Null, true),
        Value::Int(i) => Sql::new(format!("toInt64({i})"), DataType::Int, false),
        Value::Duration(i) => Sql::new(format!("toInt64({i})"), DataType::Duration, false),
        Value::Time(i) => Sql::new(format!("toInt64({i})"), DataType::Time, false),
        Value::Float(f) if f.is_finite() => Sql::new(format!("toFloat64({f:?})"), DataType::Float, false),
        Value::Float(_) => return Err("a non-finite number".into()),
        Value::Str(s) => Sql::new(quote::string(s), DataType::Str, false),
        Value::Bool(b) => Sql::boolean(if *b { "1" } else { "0" }.into()),
        Value::Ip(a) => Sql::new(ip_literal(*a), DataType::Ip, false),
    })
}

/// The SQL LIKE pattern (lower case, for a lower-cased value) of a language `like`
/// pattern, read back from the regex the planner made of it (`(?is)^...$`: `.*` any
/// run, `.` one character, `\\x` a literal character). ClickHouse 18.16 ignores the
/// case flag in match(), so LIKE on lower-cased text it is.
pub fn like_pattern(re: &str) -> Option<String> {
    let body = re.strip_prefix("(?is)^")?.strip_suffix('$')?;
    let mut out = String::new();
    let mut it = body.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '.' if it.peek() == Some(&'*') => {
                it.next();
                out.push('%');
            }
            '.' => out.push('_'),
            '\\' => {
                let lit = it.next()?;
                literal_like(lit, &mut out);
            }
            c => literal_like(c, &mut out),
        }
    }
    Some(out)
}

fn literal_like(c: char, out: &mut String) {
    if matches!(c, '%' | '_' | '\\') {
        out.push('\\');
    }
    out.extend(c.to_lowercase());
}

fn cmp_symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Eq => "=",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        _ => ">=",
    }
}

fn numeric(t: DataType) -> bool {
    matches!(t, DataType::Int | DataType::Float | DataType::Duration)
}

impl ExprWriter<'_> {
    fn col(&self, i: usize) -> R<&SqlCol> {
        self.cols.iter().filter(|c| c.visible).nth(i).ok_or_else(|| format!("no column {i}"))
    }

    /// Any expression.
    pub fn write(&self, e: &CExpr) -> R<Sql> {
        Ok(match e {
            CExpr::Col(i) => {
                let c = self.col(*i)?;
                Sql::new(quote::ident(&c.name), c.dtype, true)
            }
            CExpr::Lit(v) => literal(v)?,
            CExpr::Neg(a) => {
                let a = self.write(a)?;
                if !numeric(a.dtype) {
                    return Err(format!("negating a {} value", a.dtype.name()));
                }
                Sql::new(format!("(-{})", a.text), a.dtype, a.nullable)
            }
            CExpr::Not(a) => {
                let a = self.write(a)?;
                Sql::new(format!("(NOT {})", a.text), DataType::Bool, a.nullable)
            }
            CExpr::And(a, b) | CExpr::Or(a, b) => {
                let word = if matches!(e, CExpr::And(..)) { "AND" } else { "OR" };
                let (a, b) = (self.write(a)?, self.write(b)?);
                Sql::boolean(format!("({} {word} {})", a.truth(), b.truth()))
            }
            CExpr::Arith(op, a, b) => self.arith(*op, self.write(a)?, self.write(b)?)?,
            CExpr::Concat(a, b) => {
                let (a, b) = (self.text(self.write(a)?)?, self.text(self.write(b)?)?);
                Sql::new(format!("concat({}, {})", a.text, b.text), DataType::Str, a.nullable || b.nullable)
            }
            CExpr::Cmp(op, a, b) => self.compare(*op, self.write(a)?, self.write(b)?)?,
            CExpr::IsNull(a, want_null) => {
                let a = self.write(a)?;
                Sql::boolean(format!("{}({})", if *want_null { "isNull" } else { "isNotNull" }, a.text))
            }
            CExpr::Like { expr, patterns, negated } => {
                let x = self.text(self.write(expr)?)?;
                let mut tests = Vec::new();
                for p in patterns {
                    let like = like_pattern(p.as_str()).ok_or("this like pattern")?;
                    tests.push(format!("lowerUTF8({}) LIKE {}", x.text, quote::string(&like)));
                }
                let any = tests.join(" OR ");
                let test = if *negated { format!("NOT ({any})") } else { format!("({any})") };
                Sql::boolean(format!("ifNull({test}, 0)"))
            }
            CExpr::In { expr, list, negated } => {
                let x = self.write(expr)?;
                let mut tests = Vec::new();
                for item in list {
                    tests.push(self.compare(BinOp::Eq, x.clone(), self.write(item)?)?.text);
                }
                let any = if tests.is_empty() { "0".to_string() } else { tests.join(" OR ") };
                let test = if *negated { format!("NOT ({any})") } else { format!("({any})") };
                Sql::boolean(format!("(isNotNull({}) AND {test})", x.text))
            }
            CExpr::Between { expr, low, high, negated } => {
                let x = self.write(expr)?;
                let lo = self.compare(BinOp::Ge, x.clone(), self.write(low)?)?.text;
                let hi = self.compare(BinOp::Le, x.clone(), self.write(high)?)?.text;
                // Null anywhere makes between false, negated or not.
                let known = format!(
                    "isNotNull({}) AND isNotNull({}) AND isNotNull({})",
                    x.text,
                    self.write(low)?.text,
                    self.write(high)?.text
                );
                let test = if *negated { format!("NOT ({lo} AND {hi})") } else { format!("({lo} AND {hi})") };
                Sql::boolean(format!("({known} AND {test})"))
            }
            CExpr::Contains { .. } => return Err("free-text search (the records' text is not stored)".into()),
            CExpr::CidrMatch { ip, cidr } => {
                let a = self.write(ip)?;
                if a.dtype != DataType::Ip {
                    return Err("cidrmatch on text".into());
                }
                Sql::new(self.cidr_test(&a.text, cidr), DataType::Bool, a.nullable)
            }
            CExpr::Call { name, args, .. } => super::funcs::call(self, name, args)?,
            CExpr::Regex { expr, re, extract: false } => {
                let x = self.write(expr)?;
                if x.dtype != DataType::Str {
                    return Err(format!("a regular expression on a {} value", x.dtype.name()));
                }
                // Inline flags: ClickHouse 18.16 prefilters on literal text and ignores
                // a case flag; such patterns run locally.
                // `(?:` is a group, not a flag (regex wraps every pattern in one).
                if re.as_str().replace("(?:", "").contains("(?") {
                    return Err("a regular expression with inline flags".into());
                }
                Sql::new(format!("match({}, {})", x.text, quote::string(re.as_str())), DataType::Bool, x.nullable)
            }
            CExpr::Regex { extract: true, .. } => return Err("extractfirst".into()),
            CExpr::If { branches, default } => {
                let mut t = DataType::Null;
                let mut parts = Vec::new();
                let mut values = Vec::new();
                for (c, v) in branches {
                    parts.push(self.write(c)?.truth());
                    values.push(self.write(v)?);
                }
                let default = match default {
                    Some(d) => self.write(d)?,
                    None => literal(&Value::Null)?,
                };
                values.push(default);
                for v in &values {
                    if v.dtype == DataType::Null {
                        continue;
                    }
                    if t != DataType::Null && t != v.dtype {
                        return Err("if/case with values of different types".into());
                    }
                    t = v.dtype;
                }
                let mut text = String::from("multiIf(");
                let default = values.pop().map(|v| v.text).unwrap_or_default();
                for (c, v) in parts.iter().zip(&values) {
                    text.push_str(&format!("{c}, {}, ", v.text));
                }
                text.push_str(&default);
                text.push(')');
                Sql::new(text, t, true)
            }
        })
    }

    /// `ip` (16 bytes) inside `cidr`: a range test on the byte strings.
    pub fn cidr_test(&self, ip: &str, cidr: &Cidr) -> String {
        let high = cidr.network | !ip::mask(cidr.prefix);
        format!("({ip} >= {} AND {ip} <= {})", ip_literal(cidr.network), ip_literal(high))
    }

    /// A value as text, the way the language turns it into text; only text and
    /// integers are written here.
    pub fn text(&self, a: Sql) -> R<Sql> {
        match a.dtype {
            DataType::Str | DataType::Null => Ok(a),
            DataType::Int => Ok(Sql::new(format!("toString({})", a.text), DataType::Str, a.nullable)),
            other => Err(format!("a {} value as text", other.name())),
        }
    }

    fn arith(&self, op: BinOp, a: Sql, b: Sql) -> R<Sql> {
        use DataType::*;
        let ok = |t: DataType| matches!(t, Int | Float | Duration | Time | Null);
        if !ok(a.dtype) || !ok(b.dtype) {
            return Err(format!("arithmetic on {} and {} values", a.dtype.name(), b.dtype.name()));
        }
        let t = crate::plan::expr::arith_type(op, a.dtype, b.dtype);
        // What the local engine makes of other arithmetic on times is not written here.
        if (a.dtype == Time || b.dtype == Time) && !matches!(t, Time | Duration) {
            return Err("this arithmetic on times".into());
        }
        let nullable = a.nullable || b.nullable;
        let (x, y) = (&a.text, &b.text);
        let text = match op {
            BinOp::Add => format!("({x} + {y})"),
            BinOp::Sub => format!("({x} - {y})"),
            BinOp::Mul => format!("({x} * {y})"),
            BinOp::Div => format!("if({y} = 0, NULL, toFloat64({x}) / {y})"),
            _ => format!("if({y} = 0, NULL, {x} % if({y} = 0, 1, {y}))"),
        };
        let nullable = nullable || matches!(op, BinOp::Div | BinOp::Rem);
        let text = if t == Int || t == Duration || t == Time { format!("toInt64({text})") } else { text };
        Ok(Sql::new(text, t, nullable))
    }

    /// A comparison by the language's rules, never null.
    pub fn compare(&self, op: BinOp, a: Sql, b: Sql) -> R<Sql> {
        use DataType::*;
        let sym = cmp_symbol(op);
        let text = match (a.dtype, b.dtype) {
            (Null, _) | (_, Null) => "0".to_string(),
            (Str, Str) if matches!(op, BinOp::Eq | BinOp::Ne) => {
                format!("ifNull(lowerUTF8({}) {sym} lowerUTF8({}), 0)", a.text, b.text)
            }
            (Str, Str) => format!("ifNull(lowerUTF8({}) {sym} lowerUTF8({}), 0)", a.text, b.text),
            (x, y) if numeric(x) && numeric(y) => format!("ifNull({} {sym} {}, 0)", a.text, b.text),
            (Time, Time) | (Ip, Ip) | (Bool, Bool) | (Time, Int) | (Int, Time) => {
                format!("ifNull({} {sym} {}, 0)", a.text, b.text)
            }
            (x, y) => return Err(format!("comparing a {} value with a {} value", x.name(), y.name())),
        };
        Ok(Sql::boolean(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_read_back_from_their_regex() {
        for (like, sql) in [("rej%", "rej%"), ("10.0.?.*", "10.0._.%"), ("A_b", "a_b"), ("50\\%", "50\\\\%")] {
            let re = crate::plan::expr::like_regex(like).unwrap();
            assert_eq!(like_pattern(re.as_str()).as_deref(), Some(sql), "{like}");
        }
    }
}
