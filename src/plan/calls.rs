//! Function calls in expressions: scalar functions checked against their signatures,
//! the lazily evaluated conditionals (`if`, `case`), constant CIDR blocks parsed once.

use super::expr::{one_line, Compiler};
use super::CExpr;
use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::funcs::{self, aggregate};
use crate::store::ip::Cidr;
use crate::store::{DataType, Value};
use crate::syntax::{Expr, ExprKind, Name};

type R<T> = Result<T, Diagnostic>;

impl Compiler<'_> {
    pub(super) fn call(&mut self, func: &Name, args: &[Expr], span: Span) -> R<(CExpr, DataType)> {
        let Some(def) = funcs::scalar(&func.text) else {
            if aggregate::is_aggregate(&func.text) {
                return Err(Diagnostic::query(format!("'{}' is an aggregate: use it in stats", func.text))
                    .at(func.span)
                    .help(format!("* | stats {}(...)", func.text.to_lowercase())));
            }
            let d = Diagnostic::query(format!("unknown function '{}'", func.text)).at(func.span);
            return Err(match did_you_mean(&func.text, funcs::all_names()) {
                Some(s) => d.help(format!("did you mean '{s}'?")),
                None => d,
            });
        };
        let n = args.len();
        if n < def.min_args || def.max_args.is_some_and(|m| n > m) {
            let want = match def.max_args {
                Some(m) if m == def.min_args => format!("{m}"),
                Some(m) => format!("{} to {m}", def.min_args),
                None => format!("at least {}", def.min_args),
            };
            return Err(Diagnostic::query(format!(
                "{} takes {want} argument{}, found {n}",
                def.name,
                if want == "1" { "" } else { "s" }
            ))
            .at(span)
            .help(format!("usage: {}", def.signature)));
        }
        match def.name {
            "literal" => {
                let text = match &args[0].kind {
                    ExprKind::Name(n) => n.text.clone(),
                    ExprKind::Str(s) => s.clone(),
                    _ => return Err(Diagnostic::query("literal takes a name or quoted text").at(args[0].span)),
                };
                return Ok((CExpr::Lit(Value::Str(text.into())), DataType::Str));
            }
            "if" | "case" => return self.conditional(args),
            "unit" => {
                unit_of_call(args)?;
            }
            _ => {}
        }
        let mut compiled = Vec::with_capacity(n);
        let mut types = Vec::with_capacity(n);
        for (i, a) in args.iter().enumerate() {
            let (c, t) = self.compile(a)?;
            check_arg(def.group, def.name, i, t, a.span)?;
            compiled.push(c);
            types.push(t);
        }
        check_constant_spans(def.name, &compiled, args)?;
        if def.name == "cidrmatch" {
            if let Some(c) = constant_cidr(&compiled) {
                let (ip_arg, cidr) = c;
                return Ok((CExpr::CidrMatch { ip: Box::new(ip_arg), cidr }, DataType::Bool));
            }
        }
        if matches!(def.name, "matches" | "extractfirst" | "regexextract") {
            if let CExpr::Lit(Value::Str(p)) = &compiled[1] {
                let re = funcs::text::new_regex(p).map_err(|e| {
                    Diagnostic::query(format!("bad regular expression: {}", one_line(&e.to_string()))).at(args[1].span)
                })?;
                let extract = def.name != "matches";
                let expr = Box::new(compiled.swap_remove(0));
                return Ok((CExpr::Regex { expr, re, extract }, (def.returns)(&types)));
            }
        }
        let eval = def.eval.ok_or_else(|| Diagnostic::query(format!("{} cannot be called here", def.name)).at(span))?;
        Ok((CExpr::Call { name: def.name, func: eval, args: compiled }, (def.returns)(&types)))
    }

    fn conditional(&mut self, args: &[Expr]) -> R<(CExpr, DataType)> {
        let mut branches = Vec::new();
        let mut t = DataType::Null;
        let mut it = args.chunks(2);
        let mut default = None;
        for pair in &mut it {
            match pair {
                [c, v] => {
                    let cond = self.condition(c)?;
                    let (val, vt) = self.compile(v)?;
                    if t == DataType::Null {
                        t = vt;
                    }
                    branches.push((cond, val));
                }
                [d] => {
                    let (val, vt) = self.compile(d)?;
                    if t == DataType::Null {
                        t = vt;
                    }
                    default = Some(Box::new(val));
                }
                _ => {}
            }
        }
        Ok((CExpr::If { branches, default }, t))
    }
}

/// A numeric function given an IP, or a network function given a number, is an error
/// a user wants before the query runs.
pub(super) fn check_arg(group: &str, name: &str, index: usize, t: DataType, span: Span) -> R<()> {
    use DataType::*;
    let (ok, want) = match (group, name) {
        ("numeric", n) if !matches!(n, "max" | "min") => (matches!(t, Int | Float | Duration | Str | Null), "a number"),
        ("network", _) => (matches!(t, Ip | Str | Null), "an IP address"),
        // The times of the time functions: times, epoch milliseconds, or time text.
        ("time", "formatdate" | "dateadd" | "dateset" | "floortime") if index == 0 => {
            (matches!(t, Time | Int | Float | Str | Null), "a time")
        }
        ("time", "datediff") if index < 2 => (matches!(t, Time | Int | Float | Str | Null), "a time"),
        ("time", "formatduration") => (matches!(t, Duration | Int | Float | Str | Null), "a duration"),
        ("time", "dateadd") if index == 2 => (matches!(t, Int | Float | Str | Null), "a number"),
        _ => (true, ""),
    };
    if ok {
        Ok(())
    } else {
        Err(Diagnostic::query(format!("{name} expects {want}, found {}", t.a_value())).at(span))
    }
}

/// (the address argument, the parsed block) when one argument is constant CIDR text.
pub(super) fn constant_cidr(args: &[CExpr]) -> Option<(CExpr, Cidr)> {
    for (i, a) in args.iter().enumerate() {
        if let CExpr::Lit(Value::Str(s)) = a {
            if s.contains('/') {
                let cidr = Cidr::parse(s)?;
                return Some((args[1 - i].clone(), cidr));
            }
        }
    }
    None
}

/// The functions with a time-span argument, and its position.
const SPAN_ARGS: &[(&str, usize)] = &[("floortime", 1), ("daterelative", 0)];

/// A constant span argument that is no span is an error where it is written, not a
/// null in every row.
fn check_constant_spans(name: &str, compiled: &[CExpr], args: &[Expr]) -> R<()> {
    for &(_, i) in SPAN_ARGS.iter().filter(|(f, _)| *f == name) {
        if let Some(CExpr::Lit(Value::Str(s))) = compiled.get(i) {
            if crate::store::time::Span::parse(s.trim()).is_none() {
                return Err(Diagnostic::query(format!("'{s}' is not a time span"))
                    .at(args[i].span)
                    .help("a number and a unit, no space: 30s, 5min, 24h, 7day, 1month"));
            }
        }
    }
    Ok(())
}

/// The unit named by the second argument of `unit(x, <unit>)`.
pub fn unit_of_call(args: &[Expr]) -> R<crate::store::Unit> {
    let name = match args.get(1).map(|a| &a.kind) {
        Some(ExprKind::Name(n)) => n.text.as_str(),
        Some(ExprKind::Str(s)) => s.as_str(),
        _ => "",
    };
    crate::store::Unit::parse(name).ok_or_else(|| {
        Diagnostic::query(format!("'{name}' is not a unit"))
            .at(args.get(1).map_or(Span::new(0, 0), |a| a.span))
            .help(format!("unit takes one of: {}", crate::store::unit::UNIT_NAMES.join(", ")))
    })
}
