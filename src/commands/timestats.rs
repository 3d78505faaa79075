//! `timestats [span=] [field=] [topcount=|bottomcount=] <aggregate>, ... [by ...]`:
//! aggregates per time bucket.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::{Diagnostic, Span};
use crate::plan::{AggSpec, FrameKind, Op, Planner, TimeStatsOp};
use crate::store::{DataType, Field};
use crate::syntax::parts::{stats_parts, Parts};
use crate::syntax::{AggItem, Name, OptionArg, Stage};

const SPAN: OptionDef = OptionDef::new("span", OptionKind::Span, "the bucket width (default: at most 200 buckets)");
const FIELD: OptionDef = OptionDef::new("field", OptionKind::Field, "the time field bucketed (default Time)");
const TOPCOUNT: OptionDef =
    OptionDef::new("topcount", OptionKind::Count, "keep the n by-values with the largest totals");
const BOTTOMCOUNT: OptionDef =
    OptionDef::new("bottomcount", OptionKind::Count, "keep the n by-values with the smallest totals");

const MAXVALUES: OptionDef = OptionDef::new(
    "maxvalues",
    OptionKind::Count,
    "Oracle's limit on the series shown: the n by-values with the largest totals, as topcount",
);

const NAME: OptionDef = OptionDef::new(
    "name",
    OptionKind::Text,
    "Oracle's chart title: accepted; a chart file (-o chart.html) takes its title from its file name",
);

pub const DEF: CommandDef = CommandDef {
    name: "timestats",
    syntax: "timestats [span=<span>] [field=<time field>] [topcount=<n>|bottomcount=<n>|maxvalues=<n>] [name=<title>] <aggregate> [as <name>], ... [by <field>, ...]",
    about: "aggregates per time bucket (and by-value), empty buckets included (0 for counts and sums); default span: at most 200 buckets",
    options: &[SPAN, FIELD, TOPCOUNT, BOTTOMCOUNT, MAXVALUES, NAME],
    phrases: &[],
    examples: &[(
        "* | timestats span=1day count, sum('Content Size Out') as Bytes",
        "Time,Count,Bytes\n2020-09-13T00:00:00Z,5,12660\n2020-09-14T00:00:00Z,4,90200\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct TimeStats {
    pub options: Vec<OptionArg>,
    pub aggs: Vec<AggItem>,
    pub by: Vec<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let parts = stats_parts(p.rest)?;
    Ok(Box::new(TimeStats { options: parts.options, aggs: parts.aggs, by: parts.by }))
}

impl Args for TimeStats {
    fn order_free(&self) -> bool {
        true
    }

    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let mut span = None;
        let mut time_name: Option<Name> = None;
        let mut top = None;
        let mut maxvalues = None;
        for o in &self.options {
            if SPAN.is(&o.name.text) {
                span = Some(options::span(o)?);
            } else if FIELD.is(&o.name.text) {
                time_name = Some(options::field_name(o));
            } else if MAXVALUES.is(&o.name.text) {
                maxvalues = Some(options::count(o, 1)?);
            } else if TOPCOUNT.is(&o.name.text) {
                top = Some((options::count(o, 1)?, true));
            } else if BOTTOMCOUNT.is(&o.name.text) {
                top = Some((options::count(o, 1)?, false));
            }
        }
        // After link, a field only the member records hold makes the records (each with
        // its group's fields) the rows bucketed, as Oracle's link | timestats does.
        let (ops, scope) = (p.ops.len(), p.scope.clone());
        let (time, by, specs, agg_fields) = match self.inputs(p, time_name.as_ref()) {
            Err(e) if p.members_with_group_fields().is_some() => self.inputs(p, time_name.as_ref()).map_err(|_| {
                p.ops.truncate(ops);
                p.scope = scope;
                e
            })?,
            r => r?,
        };
        // One series needs no limit on the series.
        if top.is_none() && !by.is_empty() {
            top = maxvalues.map(|n| (n, true));
        }
        if top.is_some() && by.is_empty() {
            return Err(Diagnostic::query("topcount and bottomcount rank the by-values: add by <field>").at(self
                .options
                .iter()
                .find(|o| o.name.text.ends_with("count"))
                .map_or(Span::new(0, 0), |o| o.name.span)));
        }
        let mut fields = vec![Field::new("Time", DataType::Time)];
        fields.extend(by.iter().map(|&i| p.scope.fields[i].clone()));
        fields.extend(agg_fields);
        let nby = by.len();
        p.ops.push(Op::TimeStats(TimeStatsOp { time, span, by, aggs: specs, top }));
        p.scope = p.scope.derived(fields, FrameKind::Rows);
        let aggs_out = (1 + nby..p.scope.fields.len()).collect();
        p.timestats = Some((0, (1..1 + nby).collect(), aggs_out));
        Ok(())
    }
}

/// What timestats reads, resolved: the time column, the by-columns, the aggregates and
/// the fields they make.
type Inputs = (usize, Vec<usize>, Vec<AggSpec>, Vec<Field>);

impl TimeStats {
    /// The time field, the by-fields and the aggregates, resolved in the current scope.
    fn inputs(&self, p: &mut Planner<'_>, time_name: Option<&Name>) -> R<Inputs> {
        let time = match time_name {
            Some(n) => p.field(n)?,
            None => match ["Time", "Start Time"].iter().find_map(|n| p.scope.resolve(n)) {
                Some(i) => i,
                None => {
                    return Err(Diagnostic::query("timestats needs a time field")
                        .help("name one with field=, e.g. timestats field='Flow End Time' count"))
                }
            },
        };
        if p.scope.fields[time].dtype != DataType::Time {
            let sp = time_name.map_or(Span::new(0, 0), |n| n.span);
            return Err(Diagnostic::query(format!("'{}' is not a time field", p.scope.fields[time].name)).at(sp));
        }
        let by = p.fields_of(&self.by)?;
        p.rates_allowed = true;
        let aggs = p.aggs_here(&self.aggs);
        p.rates_allowed = false;
        let (specs, agg_fields) = aggs?;
        Ok((time, by, specs, agg_fields))
    }
}

crate::commands::examples_test!(DEF);
