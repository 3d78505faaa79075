//! Running a plan: each [`Op`] takes a [`Frame`] and returns the next. Operators work
//! on a selection vector of row ids over shared columns, so a filter copies no data.

mod across;
pub mod aggregate;
mod classify;
mod cluster;
pub(crate) mod compare;
mod distribution;
pub mod expr;
mod fieldsummary;
pub mod group;
pub mod link;
pub(crate) mod lookup;
mod nlp;
mod outlier;
mod par_filter;
pub(crate) mod picks;
pub mod predicate;
pub(crate) mod rows;
mod sequence;
pub mod sort;
mod subquery;
pub(crate) mod timestats;
mod view;

use std::sync::atomic::{AtomicBool, Ordering};

use crate::diag::Diagnostic;
use crate::plan::physical::{self, Step};
use crate::plan::{Op, Plan};
use crate::store::DataType;
use crate::store::{ColumnBuilder, Table};
use crate::window::TimeWindow;
use group::Groups;
pub(crate) use par_filter::par_filter;

/// The member records of each link group: group `g` (row `g` of the frame's table)
/// holds the rows of `records` whose `groups.gid` is `g`.
#[derive(Clone, Debug)]
pub struct Members {
    pub records: Table,
    pub groups: Groups,
}

/// The data between two operators.
#[derive(Clone, Debug)]
pub struct Frame {
    pub table: Table,
    /// The rows of `table` that are in the frame, in frame order.
    pub rows: Vec<u32>,
    /// Rows are records in input order, not yet put newest first (LANGUAGE.md 1).
    pub natural_order: bool,
    pub members: Option<Members>,
}

/// Set to stop a running query (Ctrl-C in the REPL): operators check it between
/// operators and, in their long loops, every [`CHECK_EVERY`] rows.
pub static CANCEL: AtomicBool = AtomicBool::new(false);

/// Rows between two looks at [`CANCEL`] in per-row loops.
pub const CHECK_EVERY: usize = 1 << 16;

fn interrupted() -> Diagnostic {
    Diagnostic::runtime("query interrupted")
}

impl Frame {
    /// All rows of a record table.
    pub fn records(table: Table) -> Frame {
        let rows = crate::parallel::build(table.len(), |r| r as u32);
        Frame { table, rows, natural_order: true, members: None }
    }

    /// Put records newest first, by `Time`, if nothing has ordered them yet.
    fn ensure_order(&mut self) {
        if !self.natural_order {
            return;
        }
        self.natural_order = false;
        if let Some(t) =
            self.table.index_of("Time").filter(|&i| self.table.fields[i].dtype == crate::store::DataType::Time)
        {
            sort::sort_rows(&self.table, &mut self.rows, &[(t, true)]);
        }
    }

    /// Make the selected rows the whole table (rows become 0..n).
    fn compact(&mut self) {
        let identity = self.rows.len() == self.table.len() && self.rows.iter().enumerate().all(|(i, &r)| i as u32 == r);
        if identity {
            return;
        }
        self.table = self.table.gather(&self.rows);
        if let Some(m) = &mut self.members {
            m.groups = m.groups.select(&self.rows);
        }
        self.rows = (0..self.table.len() as u32).collect();
    }

    /// The frame as a table of its rows, in order.
    pub fn into_table(mut self) -> Table {
        self.ensure_order();
        self.compact();
        self.table
    }
}

/// Run `plan` over `input`; the result is the table the query answers with.
pub fn run(plan: &Plan, input: Frame) -> Result<Table, Diagnostic> {
    run_with_stats(plan, input, |_| {})
}

/// What one step did, for `flowq explain`.
pub struct Ran<'a> {
    pub index: usize,
    pub step: &'a Step,
    pub frame: &'a Frame,
    /// Why a fused step ran its operators one by one instead, if it did.
    pub fell_back: Option<&'static str>,
}

/// What a run started from, for operators that look past the frame in hand:
/// `compare` runs the query again over records outside the time window.
pub(crate) struct Start {
    /// The first frame: every record in its table, those in the window selected.
    pub input: Frame,
    pub window: TimeWindow,
}

/// Run `plan`'s steps ([`crate::plan::physical`]), calling `each` after every one.
pub fn run_with_stats(plan: &Plan, input: Frame, each: impl FnMut(Ran<'_>)) -> Result<Table, Diagnostic> {
    run_in_window(plan, input, TimeWindow::default(), each)
}

/// [`run_with_stats`] over `input`, the records of the time window `window`.
pub fn run_in_window(
    plan: &Plan,
    input: Frame,
    window: TimeWindow,
    each: impl FnMut(Ran<'_>),
) -> Result<Table, Diagnostic> {
    let start = plan.ops.iter().any(Op::needs_start).then(|| Start { input: input.clone(), window });
    Ok(run_ops(&plan.ops, input, start.as_ref(), each)?.into_table())
}

/// Run `ops` over `f`, calling `each` after every step.
pub(crate) fn run_ops(
    ops: &[Op],
    mut f: Frame,
    start: Option<&Start>,
    mut each: impl FnMut(Ran<'_>),
) -> Result<Frame, Diagnostic> {
    let steps = physical::steps(ops);
    for (index, step) in steps.iter().enumerate() {
        if CANCEL.load(Ordering::Relaxed) {
            return Err(interrupted());
        }
        // Whatever stage computes past 64 bits (where, stats arguments, sort by an
        // expression) fails, as eval does, rather than reading the overflow as null.
        expr::take_overflow();
        let (next, fell_back) = run_step(step, ops, f, start)?;
        if let Some(o) = expr::take_overflow() {
            return Err(o.diagnostic(ops[step.ops()][0].name()));
        }
        f = next;
        each(Ran { index, step, frame: &f, fell_back });
    }
    if CANCEL.load(Ordering::Relaxed) {
        return Err(interrupted());
    }
    Ok(f)
}

/// Run one step: its fused form where the data allow, else its operators in turn.
fn run_step(
    step: &Step,
    ops: &[Op],
    f: Frame,
    start: Option<&Start>,
) -> Result<(Frame, Option<&'static str>), Diagnostic> {
    let one_by_one = |f: Frame| -> Result<Frame, Diagnostic> { step.ops().try_fold(f, |f, i| apply(&ops[i], f)) };
    Ok(match (step, &ops[step.ops()]) {
        (_, [op]) if op.needs_start() => {
            let Some(start) = start else {
                return Err(Diagnostic::runtime(format!("{} needs the run's records (a bug in flowq)", op.name())));
            };
            match op {
                Op::Cluster(c @ crate::plan::ClusterOp { output: crate::plan::ClusterOutput::Compare(b), .. }) => {
                    (cluster::compare(c, b, f, start)?, None)
                }
                Op::Compare(c) => (compare::compare(c, f, start)?, None),
                Op::InQuery { value, sub, negated } => (subquery::in_query(value, sub, *negated, f, start)?, None),
                _ => return Err(Diagnostic::runtime(format!("{} has no runner (a bug in flowq)", op.name()))),
            }
        }
        (Step::TopN { n, .. }, [Op::Sort(keys), _]) => (sort_top(keys, f, *n), None),
        (Step::LinkStats { .. }, [Op::Link(l), Op::GroupStats(aggs)]) => {
            match group::time_buckets::link_stats(l, aggs, &f) {
                Some(done) => (done, None),
                None => {
                    (one_by_one(f)?, Some("the data need more time buckets than one pass holds, or hold null times"))
                }
            }
        }
        (Step::StatsByKey(_), [Op::Stats { aggs, by }]) => match group::slots::stats_by_one(aggs, by[0], &f) {
            Some(done) => (done, None),
            None => (one_by_one(f)?, Some("the key's column is of a kind the slots do not fold")),
        },
        _ => (one_by_one(f)?, None),
    })
}

/// The first `n` rows of `sort keys` (the rows after them are not needed).
fn sort_top(keys: &[crate::plan::SortSpec], mut f: Frame, n: usize) -> Frame {
    let mut keys: Vec<(usize, bool)> = keys.iter().map(|k| (k.col, k.descending)).collect();
    if f.natural_order {
        // Ties keep the newest-first order of records.
        f.natural_order = false;
        if let Some(t) = f.table.index_of("Time").filter(|&i| f.table.fields[i].dtype == DataType::Time) {
            keys.push((t, true));
        }
    }
    sort::top_rows(&f.table, &mut f.rows, &keys, n);
    f
}

pub(crate) fn apply(op: &Op, mut f: Frame) -> Result<Frame, Diagnostic> {
    Ok(match op {
        Op::Filter(c) => {
            let t = &f.table;
            f.rows = match predicate::dict_predicate(c, t) {
                Some(p) => par_filter(&f.rows, |r| p.test(r as usize)),
                None => par_filter(&f.rows, |r| c.eval(t, r as usize).is_true()),
            };
            f
        }
        Op::Eval(assigns) => {
            f.compact();
            for a in assigns {
                expr::take_overflow();
                let mut b = ColumnBuilder::new(f.table.len());
                for r in 0..f.table.len() {
                    // A stopped query leaves the column short; the run ends after this op.
                    if r % CHECK_EVERY == 0 && CANCEL.load(Ordering::Relaxed) {
                        break;
                    }
                    b.push(a.expr.eval(&f.table, r));
                }
                if CANCEL.load(Ordering::Relaxed) {
                    return Err(interrupted());
                }
                if let Some(o) = expr::take_overflow() {
                    return Err(o.diagnostic(&format!("eval {}", a.name)));
                }
                let col = b.finish();
                match a.target {
                    Some(i) => f.table.replace(i, col),
                    None => f.table.push(a.name.clone(), col),
                }
            }
            f
        }
        Op::Stats { aggs, by } => {
            // values and unique list values in the order of the rows: records newest
            // first, as every listing of records shows them (LANGUAGE.md, Aggregates).
            if aggs.iter().any(|a| {
                matches!(a.kind, crate::funcs::aggregate::AggKind::Values | crate::funcs::aggregate::AggKind::Unique)
            }) {
                f.ensure_order();
            }
            let groups = if by.is_empty() {
                Groups::single(std::mem::take(&mut f.rows))
            } else {
                let keys: Vec<_> = by.iter().map(|&b| group::Key::plain(f.table.column(b))).collect();
                group::group_by(&keys, std::mem::take(&mut f.rows))
            };
            let mut out = Table::new(groups.len());
            for &b in by {
                out.push(f.table.fields[b].name.clone(), f.table.column(b).gather(&groups.first));
            }
            for a in aggs {
                out.push(a.name.clone(), aggregate::aggregate(a, &f.table, &groups));
            }
            let n = out.len() as u32;
            Frame { table: out, rows: (0..n).collect(), natural_order: false, members: None }
        }
        Op::GroupStats(aggs) => {
            if let Some(m) = &f.members {
                let cols: Vec<_> =
                    aggs.iter().map(|a| (a.name.clone(), aggregate::aggregate(a, &m.records, &m.groups))).collect();
                for (name, c) in cols {
                    f.table.push(name, c);
                }
            }
            f
        }
        Op::Link(l) => link::link(l, f),
        Op::Sort(keys) => {
            f.ensure_order();
            let keys: Vec<(usize, bool)> = keys.iter().map(|k| (k.col, k.descending)).collect();
            sort::sort_rows(&f.table, &mut f.rows, &keys);
            f
        }
        Op::Head(n) => {
            if f.natural_order {
                // Only the newest `n` records are wanted: select them, sort only those.
                f.natural_order = false;
                if let Some(t) = f.table.index_of("Time").filter(|&i| f.table.fields[i].dtype == DataType::Time) {
                    sort::top_rows(&f.table, &mut f.rows, &[(t, true)], *n);
                }
            }
            f.rows.truncate(*n);
            f
        }
        Op::Tail(n) => {
            f.ensure_order();
            let skip = f.rows.len().saturating_sub(*n);
            f.rows.drain(..skip);
            f
        }
        Op::Project(cols) => {
            // Records keep their newest-first order by Time: fix it now if Time goes.
            let time = f.table.index_of("Time");
            if !cols.iter().any(|(i, name)| Some(*i) == time && name == "Time") {
                f.ensure_order();
            }
            let mut t = Table::new(f.table.len());
            for (i, name) in cols {
                t.fields.push(f.table.fields[*i].renamed(name.clone()));
                t.columns.push(f.table.columns[*i].clone());
            }
            f.table = t;
            f
        }
        Op::Rename(pairs) => {
            if pairs.iter().any(|(i, _)| Some(*i) == f.table.index_of("Time")) {
                f.ensure_order();
            }
            for (i, name) in pairs {
                f.table.fields[*i].name = name.clone();
            }
            f
        }
        Op::TimeStats(t) => timestats::timestats(t, f)?,
        Op::TimeCompare(t) => timestats::timecompare(t, f),
        Op::EventStats { aggs, by, only } => across::eventstats(aggs, by, only.as_ref(), f),
        Op::MemberEventStats { aggs, by, .. } => across::member_eventstats(aggs, by, f),
        Op::AddFields(subs) => across::addfields(subs, f),
        Op::LimitPer { by, n } => rows::limit_per(by, *n, f),
        Op::Dedup(d) => rows::dedup(d, f),
        Op::Bucket(b) => rows::bucket(b, f),
        Op::Extract { col, re, targets } => rows::extract(*col, re, targets, f),
        Op::PathExtract { col, targets } => rows::path_extract(*col, targets, f),
        Op::Delta { col, prev, step, name } => rows::delta(*col, *prev, *step, name, f),
        Op::Highlight { cond, color, groups, target, name } => {
            rows::highlight(cond, color, (*groups, *target), name, f)
        }
        Op::Lookup(l) => lookup::lookup(l, f),
        Op::SearchLookup(t) => lookup::searchlookup(t),
        Op::Classify(c) => classify::classify(c, f),
        Op::Cluster(c) => cluster::cluster(c, f)?,
        Op::FieldSummary(s) => fieldsummary::fieldsummary(s, f),
        Op::Outlier(o) => outlier::outlier(o, f),
        Op::Nlp(n) => nlp::nlp(n, f),
        Op::TimeCluster { by, value, name } => cluster::series::timecluster(by, *value, name, f),
        Op::MultiSearch(m) => subquery::multisearch(m, f)?,
        Op::Map(m) => view::map(m, f)?,
        Op::LinkDetails { attach } => subquery::link_details(attach, f)?,
        Op::Sequence(q) => sequence::sequence(q, f)?,
        Op::Compare(_) | Op::InQuery { .. } => {
            return Err(Diagnostic::runtime(format!("{} runs as a step of its own (a bug in flowq)", op.name())))
        }
    })
}

/// For each position of `rows`, the number of its group by `cols` (groups in key order).
fn group_ids(t: &Table, cols: &[usize], rows: &[u32]) -> (Groups, Vec<u32>) {
    let groups = if cols.is_empty() {
        Groups::single(rows.to_vec())
    } else {
        let keys: Vec<_> = cols.iter().map(|&c| group::Key::plain(t.column(c))).collect();
        group::group_by(&keys, rows.to_vec())
    };
    let mut of_row = vec![u32::MAX; t.len()];
    for (&r, &g) in groups.rows.iter().zip(&groups.gid) {
        of_row[r as usize] = g;
    }
    let ids = rows.iter().map(|&r| of_row[r as usize]).collect();
    (groups, ids)
}
