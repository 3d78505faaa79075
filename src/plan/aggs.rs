//! Planning aggregates: `count`, `sum(f)`, … and the ones that wrap another (`trend`,
//! `ifnull`), their extra arguments, and the field each makes.

use super::expr::Compiler;
use super::{time_column, AggParam, AggSpec, CExpr, Planner, Scope, TimeSpan, R};
use crate::diag::{did_you_mean, Diagnostic};
use crate::funcs::aggregate::{self, AggKind};
use crate::store::{DataType, Field, Value};
use crate::syntax::{AggItem, Expr, ExprKind};

impl Planner<'_> {
    pub(crate) fn agg(&mut self, item: &AggItem, over: &Scope) -> R<(AggSpec, DataType)> {
        let nargs = item.args.len();
        let Some(kind) = aggregate::lookup(&item.func.text, nargs) else {
            let d = Diagnostic::query(format!(
                "unknown aggregate '{}' with {nargs} argument{}",
                item.func.text,
                if nargs == 1 { "" } else { "s" }
            ))
            .at(item.func.span);
            return Err(if aggregate::is_aggregate(&item.func.text) {
                d.help(format!(
                    "usage: {}",
                    aggregate::AGGREGATES
                        .iter()
                        .find(|a| a.name.eq_ignore_ascii_case(&item.func.text))
                        .map_or("", |a| a.signature)
                ))
            } else {
                match did_you_mean(&item.func.text, aggregate::AGGREGATES.iter().map(|a| a.name)) {
                    Some(s) => d.help(format!("did you mean '{s}'?")),
                    None => d.note(format!(
                        "aggregates: {}",
                        aggregate::AGGREGATES.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
                    )),
                }
            });
        };
        let fname = item.func.text.to_lowercase();
        if matches!(kind, AggKind::Rate(_)) && !self.rates_allowed {
            return Err(Diagnostic::query(format!("{fname} is a timestats aggregate: a rate per time bucket"))
                .at(item.func.span)
                .help(format!("* | timestats span=1hour {fname}('Content Size Out')")));
        }
        if kind == AggKind::Trend {
            return self.trend(item, over);
        }
        if kind == AggKind::IfNull {
            return self.ifnull(item, over);
        }
        let (arg, arg_type, shown) = match item.args.first() {
            None => (None, DataType::Null, String::new()),
            Some(a) => {
                let (c, t, shown) = self.agg_arg(a, over)?;
                (Some(c), t, shown)
            }
        };
        let param = self.agg_param(kind, item, over)?;
        let t = aggregate::result_type(kind, arg_type).map_err(|want| {
            Diagnostic::query(format!("{fname} needs {want}, found {}", arg_type.a_value()))
                .at(item.args.first().map_or(item.span, |a| a.span))
        })?;
        let name = match (&item.alias, kind) {
            (Some(a), _) => a.text.clone(),
            (None, AggKind::Count) => "Count".to_string(),
            (None, _) => match item.args.get(1) {
                Some(extra) => format!("{fname}({shown}, {})", self.source(extra.span)),
                None => format!("{fname}({shown})"),
            },
        };
        Ok((AggSpec { kind, arg, name, param }, t))
    }

    /// The extra argument of pct, values and unique; the Time column of earliest and latest.
    /// The delimiter of `values` and `unique`: quoted text, or a bare word that is no field.
    /// The delimiter of `values` and `unique`: quoted text, or a bare word that is no field.
    fn delimiter(&self, second: Option<&Expr>, over: &Scope) -> R<String> {
        Ok(match second {
            None => ", ".to_string(),
            Some(e) => match &e.kind {
                ExprKind::Str(s) => s.clone(),
                ExprKind::Name(n) if over.resolve(&n.text).is_none() => n.text.clone(),
                _ => return Err(Diagnostic::query("the delimiter must be quoted text, such as ' | '").at(e.span)),
            },
        })
    }

    fn agg_param(&mut self, kind: AggKind, item: &AggItem, over: &Scope) -> R<AggParam> {
        let second = item.args.get(1);
        Ok(match kind {
            AggKind::Pct => {
                let Some(e) = second else { return Ok(AggParam::None) };
                let p = match &e.kind {
                    ExprKind::Int(i) => *i as f64,
                    ExprKind::Float(f) => *f,
                    _ => f64::NAN,
                };
                if !(0.0..=100.0).contains(&p) {
                    return Err(Diagnostic::query("pct needs a percentile from 0 to 100").at(e.span));
                }
                AggParam::Percentile(p)
            }
            AggKind::Values | AggKind::Unique => {
                // Listed in the order of the rows, which for records is by Time.
                over.mark("Time");
                AggParam::Delimiter(self.delimiter(second, over)?)
            }
            // Rows without a Time have their start as their time: a link group's Start
            // Time, a sequence match's Match Start (Oracle's dashboards `link … |
            // eventstats earliest('Start Time')`, `sequence … | stats latest(…)`).
            AggKind::Earliest | AggKind::Latest => {
                AggParam::Time(time_column(over).or_else(|| start_column(over)).ok_or_else(|| {
                    Diagnostic::query(format!("{} needs rows with a Time field", item.func.text.to_lowercase()))
                        .at(item.span)
                        .help("use it on records, or after link")
                })?)
            }
            _ => AggParam::None,
        })
    }

    /// `ifnull(agg, value)`: the inner aggregate with its nulls replaced.
    fn ifnull(&mut self, item: &AggItem, over: &Scope) -> R<(AggSpec, DataType)> {
        let inner = inner_aggregate(item).ok_or_else(|| {
            Diagnostic::query("ifnull takes an aggregate and a value, such as ifnull(avg(Packets), 0)")
                .at(item.args.first().map_or(item.span, |a| a.span))
        })?;
        let (inner, t) = self.agg(&inner, over)?;
        let e = &item.args[1];
        let default = match (&e.kind, t) {
            (ExprKind::Int(i), DataType::Float) => Value::Float(*i as f64),
            (ExprKind::Int(i), _) => Value::Int(*i),
            (ExprKind::Float(f), _) => Value::Float(*f),
            (ExprKind::Str(s), _) => Value::Str(s.clone().into()),
            (ExprKind::Name(n), _) if over.resolve(&n.text).is_none() => Value::Str(n.text.clone().into()),
            _ => return Err(Diagnostic::query("ifnull's value is a number or text, such as 0 or 'none'").at(e.span)),
        };
        let t = match (t, default.dtype()) {
            (a, b) if a == b || a == DataType::Null => b,
            (DataType::Float, DataType::Int) => DataType::Float,
            (a, b) => {
                return Err(Diagnostic::query(format!(
                    "ifnull's value is {} but {} gives {}",
                    b.a_value(),
                    inner.name,
                    a.a_value()
                ))
                .at(e.span))
            }
        };
        let name = match &item.alias {
            Some(a) => a.text.clone(),
            None => format!("ifnull({}, {})", inner.name, self.source(e.span)),
        };
        let param = AggParam::IfNull { inner: Box::new(inner), default };
        Ok((AggSpec { kind: AggKind::IfNull, arg: None, name, param }, t))
    }

    /// `trend(agg)`: the inner aggregate per time bucket of each group.
    fn trend(&mut self, item: &AggItem, over: &Scope) -> R<(AggSpec, DataType)> {
        let inner = match item.args.first() {
            // Oracle's bare `trend`: of the number of records.
            None => AggItem {
                func: crate::syntax::Name { text: "count".into(), quoted: false, span: item.func.span },
                args: Vec::new(),
                alias: None,
                span: item.span,
            },
            Some(a) => inner_aggregate(item).ok_or_else(|| {
                Diagnostic::query("trend takes an aggregate, such as trend(sum('Content Size Out'))").at(a.span)
            })?,
        };
        let (inner, t) = self.agg(&inner, over)?;
        if !(t.is_numeric() || t == DataType::Null) {
            return Err(Diagnostic::query(format!("trend draws numbers; {} gives {}", inner.name, t.a_value()))
                .at(item.args[0].span));
        }
        let time = time_column(over).ok_or_else(|| {
            Diagnostic::query("trend needs rows with a Time field").at(item.span).help("use it after link")
        })?;
        let name = match &item.alias {
            Some(a) => a.text.clone(),
            None => format!("trend({})", inner.name),
        };
        // Oracle's trend(aggregate, 1hour): the bucket span given; else link's.
        let span = match item.args.get(1) {
            None => self.link_span,
            Some(e) => {
                let text = match &e.kind {
                    ExprKind::Str(s) => Some(s.as_str()),
                    ExprKind::Name(n) => Some(n.text.as_str()),
                    _ => None,
                };
                Some(text.and_then(TimeSpan::parse).ok_or_else(|| {
                    Diagnostic::query("trend's second argument is a time span, such as 1hour").at(e.span)
                })?)
            }
        };
        let param = AggParam::Trend { inner: Box::new(inner), time, span };
        Ok((AggSpec { kind: AggKind::Trend, arg: None, name, param }, DataType::Str))
    }

    /// An aggregate's argument: a field (which must exist), or an expression.
    fn agg_arg(&mut self, a: &Expr, over: &Scope) -> R<(CExpr, DataType, String)> {
        if let ExprKind::Name(n) = &a.kind {
            return match over.resolve(&n.text) {
                Some(i) => Ok((CExpr::Col(i), over.fields[i].dtype, over.fields[i].name.clone())),
                None => {
                    let saved = std::mem::replace(&mut self.scope, over.clone());
                    let d = self.unknown_field(n);
                    self.scope = saved;
                    Err(d)
                }
            };
        }
        let (c, t) = Compiler { scope: over, warnings: &mut self.warnings, search: false }.compile(a)?;
        Ok((c, t, self.source(a.span).to_string()))
    }
}

/// The aggregate a wrapping aggregate (`trend`, `ifnull`) takes as its first argument.
fn inner_aggregate(item: &AggItem) -> Option<AggItem> {
    let first = item.args.first()?;
    match &first.kind {
        ExprKind::Call { func, args } if aggregate::is_aggregate(&func.text) => {
            Some(AggItem { func: func.clone(), args: args.clone(), alias: None, span: first.span })
        }
        ExprKind::Name(n) if n.text.eq_ignore_ascii_case("count") => {
            Some(AggItem { func: n.clone(), args: Vec::new(), alias: None, span: n.span })
        }
        _ => None,
    }
}

/// The field an aggregate makes: a sum, mean, extreme or percentile of a field with a
/// display unit keeps the unit.
pub(crate) fn agg_field(spec: &AggSpec, t: DataType, over: &Scope) -> Field {
    let unit = match (&spec.arg, spec.kind) {
        (
            Some(CExpr::Col(i)),
            AggKind::Sum
            | AggKind::Avg
            | AggKind::Min
            | AggKind::Max
            | AggKind::Median
            | AggKind::Pct
            | AggKind::Earliest
            | AggKind::Latest,
        ) => over.fields.get(*i).and_then(|f| f.unit),
        _ => None,
    };
    Field::new(spec.name.clone(), t).with_unit(unit)
}

/// The column of a time that starts each row, for rows without a Time.
fn start_column(over: &Scope) -> Option<usize> {
    ["Start Time", "Match Start"]
        .iter()
        .filter_map(|n| over.resolve(n))
        .find(|&i| over.fields[i].dtype == DataType::Time)
}
