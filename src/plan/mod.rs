//! AST → operator pipeline. Names are resolved against the fields in scope at each
//! stage ("did you mean" when they are not), types are checked, and every stage
//! becomes an [`Op`] that `exec` runs.

mod aggs;
pub(crate) use aggs::agg_field;
mod calls;
mod cexpr;
pub mod explain;
pub mod expr;
mod labels;
mod op_info;
mod ops;
pub mod physical;
pub mod scope;
mod subplan;

pub use crate::commands::{HIGHLIGHT_COLORS, HIGHLIGHT_COLUMN};
use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::lookup::Lookups;
use crate::schema;
use crate::store::time::Span as TimeSpan;
use crate::store::{DataType, Field};
use crate::syntax::{AggItem, Name, Query};
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
    let mut p = Planner::new(text, input, lookups);
    p.implicit = implicit;
    let labelled = match lookups.get(labels::LABELS_TABLE) {
        Some(table) if matches!(p.scope.kind, FrameKind::Records) && labels::named_in(text) => {
            table.and_then(|t| labels::plan(&mut p, &t))
        }
        _ => Ok(()),
    };
    match labelled.and_then(|()| p.query(query)) {
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
    /// Set by `stats` over rows: the names of its by-fields (`compare` right after it
    /// matches rows by them).
    pub(crate) stats_keys: Option<Vec<String>>,
    /// What the stage just before this one left in `stats_keys`.
    pub(crate) last_stats_keys: Option<Vec<String>>,
    /// Whether the stage being planned is the query's (or subquery's) last.
    pub(crate) last_stage: bool,
    /// `createview`'s views: name, query, and how many operators stood before it.
    pub(crate) views: Vec<(String, SubPlan, usize)>,
    stage_of: Vec<usize>,
    pub(crate) lookups: &'t Lookups,
    /// The scope of the run's first frame: what a subquery in `x in [ … ]` runs over.
    pub(crate) input: Scope,
    /// Set while `timestats` plans its aggregates: the rate aggregates (`persecond`, …)
    /// have a meaning only per time bucket.
    pub(crate) rates_allowed: bool,
}

impl<'t> Planner<'t> {
    fn new(text: &'t str, input: Scope, lookups: &'t Lookups) -> Planner<'t> {
        Planner {
            text,
            scope: input.clone(),
            ops: Vec::new(),
            warnings: Vec::new(),
            implicit: Vec::new(),
            link_span: None,
            link_keys: Vec::new(),
            timestats: None,
            last_timestats: None,
            stats_keys: None,
            last_stats_keys: None,
            last_stage: false,
            views: Vec::new(),
            stage_of: Vec::new(),
            lookups,
            input,
            rates_allowed: false,
        }
    }
}

impl Planner<'_> {
    fn query(&mut self, q: &Query) -> R<()> {
        if let Some(e) = &q.search.expr {
            self.push_condition(e, true)?;
        }
        for (n, stage) in q.stages.iter().enumerate() {
            self.stage_of.resize(self.ops.len(), 0);
            let first_op = self.ops.len();
            self.last_timestats = self.timestats.take();
            self.last_stats_keys = self.stats_keys.take();
            self.last_stage = n + 1 == q.stages.len();
            crate::commands::options::check(stage.command, stage.args.options())?;
            if matches!(self.scope.kind, FrameKind::Records) && !stage.args.order_free() {
                // Records are newest first by Time: a stage that keeps, drops or shows
                // rows by their place needs it read, whatever the query names.
                self.scope.mark("Time");
            }
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

    /// After link: make the member records, each with the columns of its group that
    /// the records lack, the rows from here on (`timestats` over a field only the
    /// records hold). `None`, with nothing changed, when the rows are not link groups.
    pub(crate) fn members_with_group_fields(&mut self) -> Option<()> {
        let FrameKind::Groups(records) = &self.scope.kind else { return None };
        let mut scope = (**records).clone();
        let mut attach = Vec::new();
        for (i, f) in self.scope.fields.iter().enumerate() {
            if scope.resolve(&f.name).is_none() {
                attach.push(i);
                scope.fields.push(f.clone());
            }
        }
        self.ops.push(Op::LinkDetails { attach });
        self.scope = scope;
        Some(())
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

    /// Add `f`; a field of its name that exists goes out of view: Oracle's `eventstats …
    /// as <name>` and `rename … as <name>` replace a field of that name.
    pub(crate) fn push_field_replacing(&mut self, f: Field) -> R<()> {
        if let Some(j) = self.scope.resolve(&f.name) {
            self.displace(j);
        }
        self.push_field(f)
    }

    /// Rename field `j` out of view: no query can name it, the result leaves it out.
    pub(crate) fn displace(&mut self, j: usize) {
        let gone = format!("\u{1}replaced {j}");
        let old = std::mem::replace(&mut self.scope.fields[j].name, gone.clone());
        self.implicit.retain(|n| *n != old);
        self.scope.hidden.push(gone.clone());
        self.ops.push(Op::Rename(vec![(j, gone)]));
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
}

/// The column of `scope` that is the records' Time.
pub(crate) fn time_column(scope: &Scope) -> Option<usize> {
    match scope.resolve("Time") {
        Some(i) if scope.fields[i].dtype == DataType::Time => Some(i),
        _ => None,
    }
}
