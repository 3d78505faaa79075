//! AST → operator pipeline. Names are resolved against the fields in scope at each
//! stage ("did you mean" when they are not), types are checked, and every stage
//! becomes an [`Op`] that `exec` runs.

mod classify;
mod commands;
pub mod explain;
pub mod expr;
pub(crate) mod lookups;
pub mod scope;

use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::funcs::aggregate::{self, AggKind};
use crate::lookup::Lookups;
use crate::schema;
use crate::store::time::Span as TimeSpan;
use crate::store::{DataType, Field};
use crate::syntax::{AggItem, Expr, ExprKind, FieldsItem, Name, OptionArg, Query, Stage, StageKind};
pub use commands::{HIGHLIGHT_COLORS, HIGHLIGHT_COLUMN};
pub use expr::CExpr;
use expr::Compiler;
pub use scope::{FrameKind, Scope};

/// One step of the pipeline.
#[derive(Clone, Debug)]
pub enum Op {
    Filter(CExpr),
    Eval(Vec<Assign>),
    /// Collapse rows into one row per by-tuple.
    Stats {
        aggs: Vec<AggSpec>,
        by: Vec<usize>,
    },
    /// After link: aggregate each group's member records into new group columns.
    GroupStats(Vec<AggSpec>),
    Link(LinkOp),
    Sort(Vec<SortSpec>),
    Head(usize),
    Tail(usize),
    /// The new columns: (source column, name).
    Project(Vec<(usize, String)>),
    Rename(Vec<(usize, String)>),
    TimeStats(TimeStatsOp),
    /// Aggregates across rows (per by-tuple) attached to every row.
    EventStats {
        aggs: Vec<AggSpec>,
        by: Vec<usize>,
    },
    /// After link: per group, aggregates over the member records matching each filter.
    AddFields(Vec<(Option<CExpr>, Vec<AggSpec>)>),
    /// Keep the first `n` rows of each by-tuple, in frame order.
    LimitPer {
        by: Vec<usize>,
        n: usize,
    },
    /// Keep the first row of each combination of the columns, in frame order.
    Dedup(Vec<usize>),
    Bucket(BucketOp),
    /// Named regex groups of column `col` into string columns (replace or append).
    Extract {
        col: usize,
        re: regex::Regex,
        targets: Vec<(String, Option<usize>)>,
    },
    /// `col` minus `prev` of the row `step` rows earlier, as column `name`.
    Delta {
        col: usize,
        prev: usize,
        step: usize,
        name: String,
    },
    TimeCompare(TimeCompareOp),
    Lookup(LookupOp),
    Classify(ClassifyOp),
    /// The rows of a lookup table replace the frame.
    SearchLookup(std::sync::Arc<crate::lookup::LookupTable>),
    /// Set column `Highlight` to `color` where `cond` holds (on the member records of
    /// each group for `groups`); `target` is an existing Highlight column.
    Highlight {
        cond: CExpr,
        color: String,
        groups: bool,
        target: Option<usize>,
    },
}

#[derive(Clone, Debug)]
pub struct TimeStatsOp {
    /// The time column bucketed.
    pub time: usize,
    /// `None`: chosen from the data so there are at most 200 buckets.
    pub span: Option<TimeSpan>,
    pub by: Vec<usize>,
    pub aggs: Vec<AggSpec>,
    /// `topcount=n` (true) / `bottomcount=n` (false): keep n by-tuples by their total.
    pub top: Option<(usize, bool)>,
}

#[derive(Clone, Debug)]
pub struct ClassifyOp {
    /// The properties: (group column, is a number or time).
    pub props: Vec<(usize, bool)>,
    pub correlate: Vec<usize>,
    /// Show the n largest clusters (and every anomalous one).
    pub topcount: Option<usize>,
    /// The name of the cluster number column.
    pub id_name: String,
}

#[derive(Clone, Debug)]
pub struct LookupOp {
    pub table: std::sync::Arc<crate::lookup::LookupTable>,
    /// (frame column, table column) pairs that must all match.
    pub keys: Vec<(usize, usize)>,
    /// (table column, output name, frame column it replaces).
    pub select: Vec<(usize, String, Option<usize>)>,
    pub max_matches: usize,
    pub default: Option<String>,
}

#[derive(Clone, Debug)]
pub struct BucketOp {
    pub col: usize,
    pub ranges: Vec<crate::syntax::BucketRange>,
    pub others: Option<String>,
    /// Auto buckets: a fixed width, or about this many between min and max.
    pub width: Option<f64>,
    pub max_buckets: usize,
}

#[derive(Clone, Debug)]
pub struct TimeCompareOp {
    pub time: usize,
    pub by: Vec<usize>,
    /// The aggregate columns and their shifted names, per shift 1..=count.
    pub columns: Vec<(usize, Vec<String>)>,
    pub shift: TimeSpan,
    pub count: usize,
}

/// `eval` target: replace column `target` or append a column `name`.
#[derive(Clone, Debug)]
pub struct Assign {
    pub target: Option<usize>,
    pub name: String,
    pub expr: CExpr,
}

#[derive(Clone, Debug)]
pub struct AggSpec {
    pub kind: AggKind,
    pub arg: Option<CExpr>,
    pub name: String,
    pub param: AggParam,
}

/// What some aggregates need besides their argument.
#[derive(Clone, Debug, Default)]
pub enum AggParam {
    #[default]
    None,
    /// `pct`: the percentile, 0-100.
    Percentile(f64),
    /// `values` / `unique`: the delimiter.
    Delimiter(String),
    /// `earliest` / `latest`: the input's Time column.
    Time(usize),
    /// `trend`: the aggregate per bucket, the input's Time column, the bucket span.
    Trend { inner: Box<AggSpec>, time: usize, span: Option<TimeSpan> },
}

#[derive(Clone, Debug)]
pub struct LinkOp {
    pub keys: Vec<usize>,
    /// Per key: the span its times are floored to.
    pub floor: Vec<Option<TimeSpan>>,
    pub include_nulls: bool,
    /// The record column that gives Start Time and End Time.
    pub time: Option<usize>,
}

#[derive(Clone, Copy, Debug)]
pub struct SortSpec {
    pub col: usize,
    pub descending: bool,
}

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
        timestats: None,
        stage_of: Vec::new(),
        lookups,
    };
    match p.query(query) {
        Ok(()) => {
            // Records shown as they are show every field but their text (which repeats
            // them); their order needs Time.
            if matches!(p.scope.kind, FrameKind::Records) {
                for f in &p.scope.fields {
                    if f.name != schema::ORIGINAL_LOG_CONTENT {
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

struct Planner<'t> {
    text: &'t str,
    scope: Scope,
    ops: Vec<Op>,
    warnings: Vec<Diagnostic>,
    /// Format-specific record fields in the frame that no stage named (see
    /// [`Plan::droppable`]).
    implicit: Vec<String>,
    /// The span of the last `link` (the bucket size of `trend`).
    link_span: Option<TimeSpan>,
    /// Set by `timestats` for a `timecompare` right after it: the time column, the
    /// by-columns and the aggregate columns of its result.
    timestats: Option<(usize, Vec<usize>, Vec<usize>)>,
    stage_of: Vec<usize>,
    lookups: &'t Lookups,
}

impl Planner<'_> {
    fn query(&mut self, q: &Query) -> R<()> {
        if let Some(e) = &q.search.expr {
            let c = Compiler { scope: &self.scope, warnings: &mut self.warnings, search: true }.condition(e)?;
            self.push_filter(c);
        }
        for (n, stage) in q.stages.iter().enumerate() {
            self.stage_of.resize(self.ops.len(), 0);
            let first_op = self.ops.len();
            let after_timestats = self.timestats.take();
            if matches!(stage.kind, StageKind::TimeCompare(_)) {
                self.timestats = after_timestats;
            }
            self.stage(stage)?;
            self.stage_of.resize(first_op, 0);
            self.stage_of.resize(self.ops.len(), n + 1);
        }
        Ok(())
    }

    fn push_filter(&mut self, c: CExpr) {
        // A condition that is constantly true keeps everything: no need to run it.
        if !matches!(c, CExpr::Lit(crate::store::Value::Bool(true))) {
            self.ops.push(Op::Filter(c));
        }
    }

    fn compiler(&mut self) -> Compiler<'_> {
        Compiler { scope: &self.scope, warnings: &mut self.warnings, search: false }
    }

    fn stage(&mut self, s: &Stage) -> R<()> {
        match &s.kind {
            StageKind::Where(e) => {
                let c = self.compiler().condition(e)?;
                self.push_filter(c);
            }
            StageKind::Eval(assigns) => {
                let mut out = Vec::new();
                for a in assigns {
                    // Each assignment sees the ones before it: plan them one op at a time.
                    let (c, t) = self.compiler().compile(&a.value)?;
                    let target = self.scope.resolve(&a.target.text);
                    let name = target.map_or(a.target.text.clone(), |i| self.scope.fields[i].name.clone());
                    let unit = expr::unit_of(&a.value, &self.scope);
                    match target {
                        Some(i) => {
                            self.scope.fields[i].dtype = t;
                            self.scope.fields[i].unit = unit;
                        }
                        None => self.scope.fields.push(Field::new(name.clone(), t).with_unit(unit)),
                    }
                    out.push(Assign { target, name, expr: c });
                    self.ops.push(Op::Eval(std::mem::take(&mut out)));
                }
            }
            StageKind::Stats { aggs, by } => self.stats(s, aggs, by)?,
            StageKind::Link { options, fields } => self.link(options, fields)?,
            StageKind::Sort(keys) => {
                let mut specs = Vec::new();
                for k in keys {
                    specs.push(SortSpec { col: self.field(&k.field)?, descending: k.descending });
                }
                self.ops.push(Op::Sort(specs));
            }
            StageKind::Head(l) | StageKind::Tail(l) => {
                let n = match l {
                    None => 10,
                    Some(l) if l.n < 0 => {
                        return Err(
                            Diagnostic::query(format!("{} needs a count of 0 or more", s.kind.command())).at(l.span)
                        )
                    }
                    Some(l) => l.n as usize,
                };
                self.ops.push(if matches!(s.kind, StageKind::Head(_)) { Op::Head(n) } else { Op::Tail(n) });
            }
            StageKind::Fields(items) => self.fields(items)?,
            StageKind::TimeStats { options, aggs, by } => self.timestats(options, aggs, by)?,
            StageKind::EventStats { aggs, by } => self.eventstats(aggs, by)?,
            StageKind::AddFields(subs) => self.addfields(s, subs)?,
            StageKind::Top { bottom, limit, fields, by } => self.top(*bottom, limit.as_ref(), fields, by)?,
            StageKind::Distinct(fields) => {
                let by = fields.iter().map(|f| self.field(f)).collect::<R<Vec<_>>>()?;
                let out = by.iter().map(|&i| self.scope.fields[i].clone()).collect();
                self.ops.push(Op::Stats { aggs: Vec::new(), by });
                self.scope = self.scope.derived(out, FrameKind::Rows);
            }
            StageKind::Dedup(fields) => {
                let cols = fields.iter().map(|f| self.field(f)).collect::<R<Vec<_>>>()?;
                self.ops.push(Op::Dedup(cols));
            }
            StageKind::Bucket { options, field, ranges, others } => self.bucket(options, field, ranges, others)?,
            StageKind::Regex { field, patterns, negated } => self.regex(field, patterns, *negated)?,
            StageKind::Extract { options, pattern, pattern_span } => self.extract(options, pattern, *pattern_span)?,
            StageKind::Delta { options, field, alias } => self.delta(options, field, alias.as_ref())?,
            StageKind::TimeCompare(options) => self.timecompare(s, options)?,
            StageKind::Highlight { groups, options, condition, keywords } => {
                self.highlight(s, *groups, options, condition, *keywords)?
            }
            StageKind::Lookup { options, select, using } => self.lookup(s, options, select, using)?,
            StageKind::SearchLookup(options) => self.searchlookup(s, options)?,
            StageKind::Classify { options, fields, correlate, alias } => {
                self.classify(s, options, fields, correlate, alias.as_ref())?
            }
            StageKind::Search(cond) => {
                if let Some(e) = cond {
                    let c = Compiler { scope: &self.scope, warnings: &mut self.warnings, search: true }.condition(e)?;
                    self.push_filter(c);
                }
            }
            StageKind::Rename(pairs) => {
                let mut out = Vec::new();
                for (from, to) in pairs {
                    let i = self.field(from)?;
                    if let Some(j) = self.scope.resolve(&to.text) {
                        if j != i {
                            return Err(Diagnostic::query(format!(
                                "a field named '{}' exists already",
                                self.scope.fields[j].name
                            ))
                            .at(to.span)
                            .help("rename or drop that field first"));
                        }
                    }
                    let old = std::mem::replace(&mut self.scope.fields[i].name, to.text.clone());
                    self.implicit.retain(|n| *n != old);
                    out.push((i, to.text.clone()));
                }
                self.ops.push(Op::Rename(out));
            }
        }
        Ok(())
    }

    /// A name in a position that can only hold a field.
    fn field(&mut self, n: &Name) -> R<usize> {
        match self.scope.resolve(&n.text) {
            Some(i) => Ok(i),
            None => Err(self.unknown_field(n)),
        }
    }

    fn unknown_field(&self, n: &Name) -> Diagnostic {
        let names = self.scope.names();
        let mut d = Diagnostic::query(format!("unknown field '{}'", n.text)).at(n.span).label("not a field here");
        if let Some(s) = did_you_mean(&n.text, names.iter().copied()) {
            d = d.help(format!("did you mean '{s}'?"));
        } else if !matches!(self.scope.kind, FrameKind::Records) {
            d = d.note(format!("the fields here are: {}", names.join(", ")));
        }
        d
    }

    fn source(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    fn agg(&mut self, item: &AggItem, over: &Scope) -> R<(AggSpec, DataType)> {
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
            Diagnostic::query(format!("{fname} needs {want}, found a {} value", arg_type.name()))
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
            return Err(Diagnostic::query(format!("trend draws numbers; {} gives a {} value", inner.name, t.name()))
                .at(item.args[0].span));
        }
        let time = time_column(over).ok_or_else(|| {
            Diagnostic::query("trend needs rows with a Time field").at(item.span).help("use it after link")
        })?;
        let name = match &item.alias {
            Some(a) => a.text.clone(),
            None => format!("trend({})", inner.name),
        };
        let param = AggParam::Trend { inner: Box::new(inner), time, span: self.link_span };
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

    fn stats(&mut self, s: &Stage, aggs: &[AggItem], by: &[Name]) -> R<()> {
        if let FrameKind::Groups(records) = &self.scope.kind {
            if let Some(b) = by.first() {
                return Err(Diagnostic::query("stats ... by is not allowed after link")
                    .at(b.span)
                    .help("after link, stats adds one column per group; list the fields in link instead"));
            }
            let records = (**records).clone();
            let mut specs = Vec::new();
            for a in aggs {
                let (spec, t) = self.agg(a, &records)?;
                self.scope.fields.push(agg_field(&spec, t, &records));
                specs.push(spec);
            }
            self.ops.push(Op::GroupStats(specs));
            return Ok(());
        }
        let _ = s;
        let mut by_cols = Vec::new();
        for b in by {
            by_cols.push(self.field(b)?);
        }
        let input = self.scope.clone();
        let mut fields: Vec<Field> = by_cols.iter().map(|&i| input.fields[i].clone()).collect();
        let mut specs = Vec::new();
        for a in aggs {
            let (spec, t) = self.agg(a, &input)?;
            fields.push(agg_field(&spec, t, &input));
            specs.push(spec);
        }
        self.ops.push(Op::Stats { aggs: specs, by: by_cols });
        self.scope = self.scope.derived(fields, FrameKind::Rows);
        Ok(())
    }

    fn link(&mut self, options: &[OptionArg], names: &[Name]) -> R<()> {
        let mut span = None;
        let mut include_nulls = false;
        for o in options {
            match o.name.text.to_ascii_lowercase().as_str() {
                "span" => {
                    span = Some(TimeSpan::parse(&o.value).ok_or_else(|| {
                        Diagnostic::query(format!("'{}' is not a time span", o.value))
                            .at(o.value_span)
                            .help("write a number and a unit: 30s, 5min, 1hour, 1day, 1week, 1month")
                    })?)
                }
                "includenulls" => {
                    include_nulls = match o.value.to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => return Err(Diagnostic::query("includenulls takes true or false").at(o.value_span)),
                    }
                }
                other => {
                    let d = Diagnostic::query(format!("link has no option '{other}'")).at(o.name.span);
                    return Err(match did_you_mean(other, ["span", "includenulls"]) {
                        Some(s) => d.help(format!("did you mean '{s}'?")),
                        None => d.note("link takes span= and includenulls="),
                    });
                }
            }
        }
        self.link_span = span;
        let mut keys = Vec::new();
        for n in names {
            keys.push(self.field(n)?);
        }
        let records = self.scope.clone();
        let floor = keys.iter().map(|&k| if records.fields[k].dtype == DataType::Time { span } else { None }).collect();
        let time = match records.resolve("Time") {
            Some(i) if records.fields[i].dtype == DataType::Time => Some(i),
            _ => None,
        };
        let mut fields: Vec<Field> = keys.iter().map(|&k| records.fields[k].clone()).collect();
        fields.push(Field::new("Count", DataType::Int));
        fields.push(Field::new("Start Time", DataType::Time));
        fields.push(Field::new("End Time", DataType::Time));
        fields.push(Field::new("Group Duration", DataType::Duration));
        self.ops.push(Op::Link(LinkOp { keys, floor, include_nulls, time }));
        self.scope = self.scope.derived(fields, FrameKind::Groups(Box::new(records)));
        Ok(())
    }

    fn fields(&mut self, items: &[FieldsItem]) -> R<()> {
        let keep_listed = items.iter().any(|i| !i.remove);
        let mut chosen: Vec<(usize, String)> = Vec::new();
        let mut removed: Vec<usize> = Vec::new();
        let mut named: Vec<usize> = Vec::new();
        for item in items {
            let matches = self.pattern(&item.pattern)?;
            if !item.remove && !is_wild(&item.pattern) {
                named.extend(&matches);
            }
            if item.remove {
                removed.extend(matches);
                continue;
            }
            if item.alias.is_some() && matches.len() != 1 {
                return Err(
                    Diagnostic::query("as renames one field; this pattern matches several").at(item.pattern.span)
                );
            }
            for m in matches {
                let name = item.alias.as_ref().map_or(self.scope.fields[m].name.clone(), |a| a.text.clone());
                if !chosen.iter().any(|(c, _)| *c == m) {
                    chosen.push((m, name));
                }
            }
        }
        if !keep_listed {
            chosen = self.scope.fields.iter().enumerate().map(|(i, f)| (i, f.name.clone())).collect();
        }
        chosen.retain(|(i, _)| !removed.contains(i));
        let implicit: Vec<String> = chosen
            .iter()
            .filter(|(i, n)| !named.contains(i) && *n == self.scope.fields[*i].name)
            .filter(|(i, _)| self.implicit.contains(&self.scope.fields[*i].name))
            .map(|(_, n)| n.clone())
            .collect();
        self.implicit = implicit;
        let fields = chosen.iter().map(|(i, n)| self.scope.fields[*i].renamed(n.clone())).collect();
        self.ops.push(Op::Project(chosen));
        self.scope.fields = fields;
        Ok(())
    }

    /// The fields a `fields` item names: one field, or all that a wildcard matches.
    fn pattern(&mut self, n: &Name) -> R<Vec<usize>> {
        if !is_wild(n) {
            return Ok(vec![self.field(n)?]);
        }
        let re = expr::like_regex(&n.text).map_err(|e| Diagnostic::query(format!("bad pattern: {e}")).at(n.span))?;
        let m: Vec<usize> =
            self.scope.fields.iter().enumerate().filter(|(_, f)| re.is_match(&f.name)).map(|(i, _)| i).collect();
        for &i in &m {
            self.scope.mark(&self.scope.fields[i].name);
        }
        if m.is_empty() {
            return Err(Diagnostic::query(format!("'{}' matches no field", n.text)).at(n.span));
        }
        Ok(m)
    }
}

/// The field an aggregate makes: a sum, mean, extreme or percentile of a field with a
/// display unit keeps the unit.
fn agg_field(spec: &AggSpec, t: DataType, over: &Scope) -> Field {
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
fn time_column(scope: &Scope) -> Option<usize> {
    match scope.resolve("Time") {
        Some(i) if scope.fields[i].dtype == DataType::Time => Some(i),
        _ => None,
    }
}

/// Whether a `fields` item is a pattern rather than a name.
fn is_wild(n: &Name) -> bool {
    !n.quoted && n.text.contains(['*', '%', '?'])
}
