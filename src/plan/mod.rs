//! AST → operator pipeline. Names are resolved against the fields in scope at each
//! stage ("did you mean" when they are not), types are checked, and every stage
//! becomes an [`Op`] that `exec` runs.

mod calls;
mod cexpr;
pub mod explain;
pub mod expr;
mod ops;
pub mod physical;
pub mod scope;

pub use crate::commands::{HIGHLIGHT_COLORS, HIGHLIGHT_COLUMN};
use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::funcs::aggregate::{self, AggKind};
use crate::lookup::Lookups;
use crate::schema;
use crate::store::time::Span as TimeSpan;
use crate::store::{DataType, Field};
use crate::syntax::{AggItem, Expr, ExprKind, Name, Query};
pub use expr::CExpr;
use expr::Compiler;
pub use ops::*;
pub use scope::{FrameKind, Scope};

/// A planned query.
#[derive(Clone, Debug)]
pub struct Plan {
    pub ops: Vec<Op>,
    pub warnings: Vec<Diagnostic>,
    /// The fields of the result.
    pub output: Scope,
    /// The record fields the query reads; a load for it alone may skip the others.
    pub needed: crate::schema::FieldMask,
    /// Result fields to leave out when they hold no value: format-specific record
    /// fields that the query did not name (records shown whole, or picked by a
    /// pattern), so OCI records do not come with forty empty AWS columns.
    pub droppable: Vec<String>,
    /// For each op, the stage it came from: 0 for the search clause, n for the n-th
    /// `| command`.
    pub stage_of: Vec<usize>,
}

/// Planning failed: the error, and the warnings found before it.
#[derive(Debug)]
pub struct PlanError {
    pub error: Diagnostic,
    pub warnings: Vec<Diagnostic>,
}

type R<T> = Result<T, Diagnostic>;

/// Plan `query` (whose text is `text`) over input with the fields of `input`.
pub fn plan(query: &Query, text: &str, input: Scope, lookups: &Lookups) -> Result<Plan, PlanError> {
    let implicit = if matches!(input.kind, FrameKind::Records) {
        schema::FLOW_FIELDS[schema::FIRST_EXTRA..].iter().map(|f| f.name.to_string()).collect()
    } else {
        Vec::new()
    };
    let mut p = Planner {
        text,
        scope: input,
        ops: Vec::new(),
        warnings: Vec::new(),
        implicit,
        link_span: None,
        link_keys: Vec::new(),
        timestats: None,
        last_timestats: None,
        stage_of: Vec::new(),
        lookups,
    };
    match p.query(query) {
        Ok(()) => {
            // Records shown as they are show every field but their text (which repeats
            // them); their order needs Time.
            if matches!(p.scope.kind, FrameKind::Records) {
                for f in &p.scope.fields {
                    if !schema::shown_when_named(&f.name) && !p.scope.hidden.contains(&f.name) {
                        p.scope.mark(&f.name);
                    }
                }
            }
            p.scope.mark("Time");
            p.stage_of.resize(p.ops.len(), 0);
            let needed = p.scope.used_fields();
            let droppable = if matches!(p.scope.kind, FrameKind::Records) { p.implicit } else { Vec::new() };
            Ok(Plan { ops: p.ops, warnings: p.warnings, output: p.scope, needed, droppable, stage_of: p.stage_of })
        }
        Err(error) => Err(PlanError { error, warnings: p.warnings }),
    }
}

/// The state of planning one query, which each command's [`crate::commands::Args::plan`]
/// advances: the scope, the operators so far, the warnings.
pub struct Planner<'t> {
    pub(crate) text: &'t str,
    pub(crate) scope: Scope,
    pub(crate) ops: Vec<Op>,
    pub(crate) warnings: Vec<Diagnostic>,
    /// Format-specific record fields in the frame that no stage named (see
    /// [`Plan::droppable`]).
    pub(crate) implicit: Vec<String>,
    /// The span of the last `link` (the bucket size of `trend`).
    pub(crate) link_span: Option<TimeSpan>,
    /// The names of the last `link`'s fields (`compare` matches groups by them).
    pub(crate) link_keys: Vec<String>,
    /// Set by `timestats` (and `timecompare`): the time column, the by-columns and the
    /// aggregate columns of its result.
    pub(crate) timestats: Option<(usize, Vec<usize>, Vec<usize>)>,
    /// What the stage just before this one left in `timestats`.
    pub(crate) last_timestats: Option<(usize, Vec<usize>, Vec<usize>)>,
    stage_of: Vec<usize>,
    pub(crate) lookups: &'t Lookups,
}

impl Planner<'_> {
    fn query(&mut self, q: &Query) -> R<()> {
        if let Some(e) = &q.search.expr {
            let c = self.search_compiler().condition(e)?;
            self.push_filter(c);
        }
        for (n, stage) in q.stages.iter().enumerate() {
            self.stage_of.resize(self.ops.len(), 0);
            let first_op = self.ops.len();
            self.last_timestats = self.timestats.take();
            crate::commands::options::check(stage.command, stage.args.options())?;
            stage.args.plan(self, stage)?;
            self.stage_of.resize(first_op, 0);
            self.stage_of.resize(self.ops.len(), n + 1);
        }
        Ok(())
    }

    pub(crate) fn push_filter(&mut self, c: CExpr) {
        // A condition that is constantly true keeps everything: no need to run it.
        if !matches!(c, CExpr::Lit(crate::store::Value::Bool(true))) {
            self.ops.push(Op::Filter(c));
        }
    }

    /// Expressions over the current scope.
    pub(crate) fn compiler(&mut self) -> Compiler<'_> {
        Compiler { scope: &self.scope, warnings: &mut self.warnings, search: false }
    }

    /// Conditions in the search clause's rules (bare words match the record text).
    pub(crate) fn search_compiler(&mut self) -> Compiler<'_> {
        Compiler { scope: &self.scope, warnings: &mut self.warnings, search: true }
    }

    /// The columns of fields that must exist.
    pub(crate) fn fields_of(&mut self, names: &[Name]) -> R<Vec<usize>> {
        names.iter().map(|n| self.field(n)).collect()
    }

    /// Aggregates over the rows of the current scope, with their output fields.
    pub(crate) fn aggs_here(&mut self, aggs: &[AggItem]) -> R<(Vec<AggSpec>, Vec<Field>)> {
        let input = self.scope.clone();
        let mut specs = Vec::new();
        let mut fields = Vec::new();
        for a in aggs {
            let (spec, t) = self.agg(a, &input)?;
            fields.push(agg_field(&spec, t, &input));
            specs.push(spec);
        }
        Ok((specs, fields))
    }

    /// Add a field that must not exist yet.
    pub(crate) fn push_field(&mut self, f: Field) -> R<()> {
        if let Some(i) = self.scope.resolve(&f.name) {
            return Err(Diagnostic::query(format!("a field named '{}' exists already", self.scope.fields[i].name))
                .help("name the new one with as"));
        }
        self.scope.fields.push(f);
        Ok(())
    }

    /// A name in a position that can only hold a field.
    pub(crate) fn field(&mut self, n: &Name) -> R<usize> {
        match self.scope.resolve(&n.text) {
            Some(i) => Ok(i),
            None => Err(self.unknown_field(n)),
        }
    }

    pub(crate) fn unknown_field(&self, n: &Name) -> Diagnostic {
        if let Some(field) = schema::la_only_field(&n.text) {
            return expr::la_only_field_error(field, n);
        }
        let names = self.scope.names();
        let mut d = Diagnostic::query(format!("unknown field '{}'", n.text)).at(n.span).label("not a field here");
        if let Some(s) = did_you_mean(&n.text, names.iter().copied()) {
            d = d.help(format!("did you mean '{s}'?"));
        } else if !matches!(self.scope.kind, FrameKind::Records) {
            d = d.note(format!("the fields here are: {}", names.join(", ")));
        }
        d
    }

    pub(crate) fn source(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

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
        if kind == AggKind::Trend {
            return self.trend(item, over);
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
            AggKind::Values | AggKind::Unique => AggParam::Delimiter(match second {
                None => ", ".to_string(),
                Some(e) => match &e.kind {
                    ExprKind::Str(s) => s.clone(),
                    ExprKind::Name(n) if over.resolve(&n.text).is_none() => n.text.clone(),
                    _ => return Err(Diagnostic::query("the delimiter must be quoted text, such as ' | '").at(e.span)),
                },
            }),
            AggKind::Earliest | AggKind::Latest => AggParam::Time(time_column(over).ok_or_else(|| {
                Diagnostic::query(format!("{} needs rows with a Time field", item.func.text.to_lowercase()))
                    .at(item.span)
                    .help("use it on records, or after link")
            })?),
            _ => AggParam::None,
        })
    }

    /// `trend(agg)`: the inner aggregate per time bucket of each group.
    fn trend(&mut self, item: &AggItem, over: &Scope) -> R<(AggSpec, DataType)> {
        let inner = match item.args.first().map(|a| &a.kind) {
            // Oracle's bare `trend`: of the number of records.
            None => AggItem {
                func: crate::syntax::Name { text: "count".into(), quoted: false, span: item.func.span },
                args: Vec::new(),
                alias: None,
                span: item.span,
            },
            Some(ExprKind::Call { func, args }) if aggregate::is_aggregate(&func.text) => {
                AggItem { func: func.clone(), args: args.clone(), alias: None, span: item.args[0].span }
            }
            Some(ExprKind::Name(n)) if n.text.eq_ignore_ascii_case("count") => {
                AggItem { func: n.clone(), args: Vec::new(), alias: None, span: n.span }
            }
            _ => {
                return Err(Diagnostic::query("trend takes an aggregate, such as trend(sum('Content Size Out'))")
                    .at(item.args.first().map_or(item.span, |a| a.span)))
            }
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

/// The column of `scope` that is the records' Time.
pub(crate) fn time_column(scope: &Scope) -> Option<usize> {
    match scope.resolve("Time") {
        Some(i) if scope.fields[i].dtype == DataType::Time => Some(i),
        _ => None,
    }
}
