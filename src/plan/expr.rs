//! Expressions compiled against a scope: names resolved to column indices, constants
//! folded, literal text converted to IPs and times where it is compared with them.

use regex::Regex;

pub use super::calls::unit_of_call;
pub use super::cexpr::CExpr;
use super::scope::Scope;
use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::store::{ip, time, DataType, Value};
use crate::syntax::{BinOp, Expr, ExprKind, Name};

/// Compiles AST expressions against one scope.
pub struct Compiler<'a> {
    pub scope: &'a Scope,
    pub warnings: &'a mut Vec<Diagnostic>,
    /// In the search clause, a lone word that is not a field is a free-text search.
    pub search: bool,
}

type R<T> = Result<T, Diagnostic>;

/// A condition: where and the search clause keep rows where it is true.
pub fn check_condition(t: DataType, span: Span) -> R<()> {
    match t {
        DataType::Bool | DataType::Null => Ok(()),
        other => Err(Diagnostic::query(format!("expected a condition, found {}", other.a_value()))
            .at(span)
            .help("compare it with something, e.g. 'Source Port' = 22")),
    }
}

impl Compiler<'_> {
    /// Compile an expression that must be a condition.
    pub fn condition(&mut self, e: &Expr) -> R<CExpr> {
        if self.search {
            if let Some(needle) = self.keyword(e) {
                let line = self.original_line(e.span)?;
                return Ok(CExpr::Contains { expr: Box::new(line), needle: needle.to_lowercase() });
            }
        }
        let (c, t) = match &e.kind {
            ExprKind::Binary(BinOp::And, a, b) => {
                let (a, b) = (self.condition(a)?, self.condition(b)?);
                (CExpr::And(Box::new(a), Box::new(b)), DataType::Bool)
            }
            ExprKind::Binary(BinOp::Or, a, b) => {
                let (a, b) = (self.condition(a)?, self.condition(b)?);
                (CExpr::Or(Box::new(a), Box::new(b)), DataType::Bool)
            }
            ExprKind::Not(a) => (CExpr::Not(Box::new(self.condition(a)?)), DataType::Bool),
            _ => self.compile(e)?,
        };
        check_condition(t, e.span)?;
        Ok(c.fold())
    }

    /// A free-text term: a word or quoted phrase that names no field.
    fn keyword<'e>(&self, e: &'e Expr) -> Option<&'e str> {
        match &e.kind {
            ExprKind::Name(n) if self.scope.resolve(&n.text).is_none() => Some(&n.text),
            ExprKind::Str(s) => Some(s),
            _ => None,
        }
    }

    fn original_line(&self, span: Span) -> R<CExpr> {
        match self.scope.resolve(crate::schema::ORIGINAL_LOG_CONTENT) {
            Some(i) => Ok(CExpr::Col(i)),
            None => Err(Diagnostic::query("free-text search needs the records' Original Log Content")
                .at(span)
                .help("compare a field instead, e.g. Action = reject")),
        }
    }

    /// Compile any expression; returns it with its type.
    pub fn compile(&mut self, e: &Expr) -> R<(CExpr, DataType)> {
        let (c, t) = self.compile_inner(e)?;
        Ok((c.fold(), t))
    }

    fn compile_inner(&mut self, e: &Expr) -> R<(CExpr, DataType)> {
        Ok(match &e.kind {
            ExprKind::Name(n) => self.name(n),
            ExprKind::Str(s) => (CExpr::Lit(Value::Str(s.clone().into())), DataType::Str),
            ExprKind::Int(i) => (CExpr::Lit(Value::Int(*i)), DataType::Int),
            ExprKind::Float(f) => (CExpr::Lit(Value::Float(*f)), DataType::Float),
            ExprKind::Bool(b) => (CExpr::Lit(Value::Bool(*b)), DataType::Bool),
            ExprKind::Null => (CExpr::Lit(Value::Null), DataType::Null),
            ExprKind::Neg(a) => {
                let (c, t) = self.compile(a)?;
                if !matches!(t, DataType::Int | DataType::Float | DataType::Duration | DataType::Null | DataType::Str) {
                    return Err(Diagnostic::query(format!("cannot negate a {} value", t.name())).at(a.span));
                }
                (CExpr::Neg(Box::new(c)), if t == DataType::Str { DataType::Float } else { t })
            }
            ExprKind::Not(_) | ExprKind::Binary(BinOp::And | BinOp::Or, ..) => (self.condition(e)?, DataType::Bool),
            ExprKind::Binary(op, a, b) if op.is_comparison() => self.comparison(*op, a, b)?,
            ExprKind::Binary(BinOp::Concat, a, b) => {
                let (a, _) = self.compile(a)?;
                let (b, _) = self.compile(b)?;
                (CExpr::Concat(Box::new(a), Box::new(b)), DataType::Str)
            }
            ExprKind::Binary(op, a, b) => self.arithmetic(*op, a, b)?,
            ExprKind::Like { expr, patterns, negated } => {
                self.refuse_la_only_field(expr)?;
                let (x, _) = self.compile(expr)?;
                let patterns = patterns.iter().map(|p| self.like_pattern(p)).collect::<R<Vec<_>>>()?;
                (CExpr::Like { expr: Box::new(x), patterns, negated: *negated }, DataType::Bool)
            }
            ExprKind::In { expr, list, negated } => {
                self.refuse_la_only_field(expr)?;
                let (x, t) = self.compile(expr)?;
                let list =
                    list.iter().map(|i| self.compile(i).map(|(c, _)| coerce_literal(c, t))).collect::<R<Vec<_>>>()?;
                (CExpr::In { expr: Box::new(x), list, negated: *negated }, DataType::Bool)
            }
            ExprKind::InQuery { .. } => {
                return Err(Diagnostic::query("a subquery in `in [ … ]` must be a condition of its own")
                    .at(e.span)
                    .help("join it to the rest of the condition with and (not or, not under not)"))
            }
            ExprKind::Between { expr, low, high, negated } => {
                self.refuse_la_only_field(expr)?;
                let (x, t) = self.compile(expr)?;
                let (lo, _) = self.compile(low)?;
                let (hi, _) = self.compile(high)?;
                let (lo, hi) = (coerce_literal(lo, t), coerce_literal(hi, t));
                (
                    CExpr::Between { expr: Box::new(x), low: Box::new(lo), high: Box::new(hi), negated: *negated },
                    DataType::Bool,
                )
            }
            ExprKind::Call { func, args } => self.call(func, args, e.span)?,
        })
    }

    fn name(&self, n: &Name) -> (CExpr, DataType) {
        match self.scope.resolve(&n.text) {
            Some(i) => (CExpr::Col(i), self.scope.fields[i].dtype),
            None => (CExpr::Lit(Value::Str(n.text.clone().into())), DataType::Str),
        }
    }

    fn comparison(&mut self, op: BinOp, a: &Expr, b: &Expr) -> R<(CExpr, DataType)> {
        self.refuse_la_only_field(a)?;
        self.warn_if_not_field(a);
        let (ca, ta) = self.compile(a)?;
        let (cb, tb) = self.compile(b)?;
        if matches!(op, BinOp::Eq | BinOp::Ne) {
            let null_side = match (&ca, &cb) {
                (_, CExpr::Lit(Value::Null)) => Some(ca.clone()),
                (CExpr::Lit(Value::Null), _) => Some(cb.clone()),
                _ => None,
            };
            if let Some(x) = null_side {
                return Ok((CExpr::IsNull(Box::new(x), op == BinOp::Eq), DataType::Bool));
            }
        }
        let cb = self.coerce_checked(cb, ta, b);
        let ca = self.coerce_checked(ca, tb, a);
        Ok((CExpr::Cmp(op, Box::new(ca), Box::new(cb)), DataType::Bool))
    }

    /// Convert literal text compared with an IP or time, warning when it cannot be.
    fn coerce_checked(&mut self, c: CExpr, other: DataType, e: &Expr) -> CExpr {
        let out = coerce_literal(c, other);
        if let CExpr::Lit(Value::Str(s)) = &out {
            let what = match other {
                DataType::Ip => Some("an IP address"),
                DataType::Time => Some("a time (RFC 3339 or YYYY-MM-DD [HH:MM[:SS]])"),
                _ => None,
            };
            if let Some(what) = what {
                self.warnings.push(
                    Diagnostic::warning(format!("'{s}' is not {what}, so this comparison is never true"))
                        .at(e.span)
                        .label("compared as text"),
                );
            }
        }
        out
    }

    /// A field of Logging Analytics that flow logs lack, compared: an error saying so
    /// (comparing its name as text would quietly match nothing).
    fn refuse_la_only_field(&self, e: &Expr) -> R<()> {
        let ExprKind::Name(n) = &e.kind else { return Ok(()) };
        match crate::schema::la_only_field(&n.text).filter(|_| self.scope.resolve(&n.text).is_none()) {
            Some(field) => Err(la_only_field_error(field, n)),
            None => Ok(()),
        }
    }

    /// LANGUAGE.md section 2: a name on the left of a comparison that is not a field is
    /// text, but almost always a typo; say so.
    fn warn_if_not_field(&mut self, e: &Expr) {
        let ExprKind::Name(n) = &e.kind else { return };
        if self.scope.resolve(&n.text).is_some() {
            return;
        }
        let mut d = Diagnostic::warning(format!("'{}' is not a field; it is compared as text", n.text))
            .at(n.span)
            .label("not a field");
        if let Some(s) = did_you_mean(&n.text, self.scope.names()) {
            d = d.help(format!("did you mean '{s}'?"));
        }
        self.warnings.push(d);
    }

    fn arithmetic(&mut self, op: BinOp, a: &Expr, b: &Expr) -> R<(CExpr, DataType)> {
        let (ca, ta) = self.compile(a)?;
        let (cb, tb) = self.compile(b)?;
        use DataType::*;
        let bad = |t: DataType| matches!(t, Ip | Bool);
        if bad(ta) || bad(tb) {
            let (t, span) = if bad(ta) { (ta, a.span) } else { (tb, b.span) };
            return Err(Diagnostic::query(format!("'{}' needs numbers, found {}", op.symbol(), t.a_value())).at(span));
        }
        Ok((CExpr::Arith(op, Box::new(ca), Box::new(cb)), arith_type(op, ta, tb)))
    }

    fn like_pattern(&mut self, p: &Expr) -> R<Regex> {
        let text = match &p.kind {
            ExprKind::Str(s) => s.clone(),
            ExprKind::Name(n) if self.scope.resolve(&n.text).is_none() => n.text.clone(),
            _ => return Err(Diagnostic::query("a like pattern must be text, such as '%.5'").at(p.span)),
        };
        like_regex(&text).map_err(|e| Diagnostic::query(format!("bad like pattern: {e}")).at(p.span))
    }
}

/// The type of `a op b` for the arithmetic operators: times and durations keep their
/// kind, integers stay integers, division and the rest give fractional numbers.
pub fn arith_type(op: BinOp, a: DataType, b: DataType) -> DataType {
    use DataType::*;
    match (op, a, b) {
        (BinOp::Div, _, _) => Float,
        (BinOp::Sub, Time, Time) => Duration,
        (BinOp::Add | BinOp::Sub, Time, Int | Duration) | (BinOp::Add, Int | Duration, Time) => Time,
        (_, Duration, Int | Duration) | (_, Int, Duration) => Duration,
        (_, Int, Int) => Int,
        (_, Null, x) | (_, x, Null) if x == Int => Int,
        _ => Float,
    }
}

/// The display unit of an expression's value: `unit(x, mb)`, or a field that has one.
pub fn unit_of(e: &Expr, scope: &Scope) -> Option<crate::store::Unit> {
    match &e.kind {
        ExprKind::Call { func, args } if func.text.eq_ignore_ascii_case("unit") => unit_of_call(args).ok(),
        ExprKind::Call { func, .. } if func.text.eq_ignore_ascii_case("url") => Some(crate::store::Unit::Link),
        ExprKind::Name(n) => match scope.resolve(&n.text) {
            Some(i) => scope.fields[i].unit,
            None => None,
        },
        _ => None,
    }
}

/// The last line of a regex error (the one that says what is wrong).
pub fn one_line(msg: &str) -> String {
    msg.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(msg).trim().to_string()
}

/// Literal text compared with an IP or time column becomes an IP or time literal.
pub fn coerce_literal(c: CExpr, other: DataType) -> CExpr {
    match (&c, other) {
        (CExpr::Lit(Value::Str(s)), DataType::Ip) => ip::parse(s).map_or(c.clone(), |a| CExpr::Lit(Value::Ip(a))),
        (CExpr::Lit(Value::Str(s)), DataType::Time) => time::parse(s).map_or(c.clone(), |t| CExpr::Lit(Value::Time(t))),
        _ => c,
    }
}

/// `like` pattern → anchored, case-insensitive regex: `%`/`*` any run, `_`/`?` one char.
pub fn like_regex(pattern: &str) -> Result<Regex, regex::Error> {
    let mut re = String::from("(?is)^");
    for ch in pattern.chars() {
        match ch {
            '%' | '*' => re.push_str(".*"),
            '_' | '?' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    Regex::new(&re)
}

/// The error for a Logging Analytics field that the loaded flow logs do not hold.
pub fn la_only_field_error((name, source): (&str, &str), at: &Name) -> Diagnostic {
    Diagnostic::query(format!("'{name}' is a Logging Analytics field that flow log files do not hold"))
        .at(at.span)
        .label("not in these records")
        .note(format!("Logging Analytics takes it from {source}"))
        .help("leave it out of the query, or use a field the records have (flowq inspect and :fields list them)")
}
