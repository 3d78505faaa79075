//! `timecluster [span=] [field=] [maxvalues=] [name=] <aggregate>, ... by <field>, ...`:
//! timestats' series, grouped by how alike their shapes are (Oracle's timecluster).

use super::options::{OptionDef, OptionKind};
use super::timestats::TimeStats;
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{stats_parts, Parts};
use crate::syntax::{AggItem, Name, OptionArg, Stage};

const SPAN: OptionDef = OptionDef::new("span", OptionKind::Span, "the bucket width (default: at most 200 buckets)");
const FIELD: OptionDef =
    OptionDef::new("field", OptionKind::Field, "the time field bucketed (default Time, or Start Time after link)");
const MAXVALUES: OptionDef =
    OptionDef::new("maxvalues", OptionKind::Count, "keep the n by-values with the largest totals");
const NAME: OptionDef = OptionDef::new("name", OptionKind::Text, "Oracle's chart title: accepted");

/// The column that holds each row's cluster.
pub const CLUSTER_COLUMN: &str = "Cluster";

pub const DEF: CommandDef = CommandDef {
    name: "timecluster",
    syntax: "timecluster [span=<span>] [field=<time field>] [maxvalues=<n>] [name=<title>] <aggregate> [as <name>], ... by <field>, ...",
    about: "timestats' rows (a series per by-value), each with the Cluster of its series: series of the first aggregate scaled to their own peak and grouped when they stay within 0.2 of each other (root mean square), numbered by size",
    options: &[SPAN, FIELD, MAXVALUES, NAME],
    phrases: &[],
    examples: &[(
        "* | timecluster span=1day count by Action | sort Cluster, Action, Time",
        "Time,Action,Count,Cluster\n2020-09-13T00:00:00Z,REJECT,1,1\n2020-09-14T00:00:00Z,REJECT,0,1\n2020-09-13T00:00:00Z,reject,1,1\n2020-09-14T00:00:00Z,reject,0,1\n2020-09-13T00:00:00Z,ACCEPT,3,2\n2020-09-14T00:00:00Z,ACCEPT,3,2\n2020-09-13T00:00:00Z,,0,3\n2020-09-14T00:00:00Z,,1,3\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct TimeCluster {
    pub options: Vec<OptionArg>,
    pub aggs: Vec<AggItem>,
    pub by: Vec<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let parts = stats_parts(p.rest)?;
    Ok(Box::new(TimeCluster { options: parts.options, aggs: parts.aggs, by: parts.by }))
}

impl Args for TimeCluster {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        if self.by.is_empty() {
            return Err(Diagnostic::query("timecluster groups the series of by-values: add by <field>")
                .at(s.name_span)
                .help("* | link 'Source IP' | stats sum('Content Size Out') as Bytes | timecluster avg(Bytes) by 'Source IP'"));
        }
        // timestats does the bucketing; maxvalues is its topcount.
        let mut options = Vec::new();
        for o in &self.options {
            if MAXVALUES.is(&o.name.text) {
                let mut top = o.clone();
                top.name.text = "topcount".into();
                options.push(top);
            } else if !NAME.is(&o.name.text) {
                options.push(o.clone());
            }
        }
        TimeStats { options, aggs: self.aggs.clone(), by: self.by.clone() }.plan(p, s)?;
        let Some((_, by, aggs)) = p.timestats.clone() else {
            return Err(Diagnostic::query("timecluster: timestats left no series (a bug in flowq)"));
        };
        let value = aggs[0];
        p.push_field(Field::new(CLUSTER_COLUMN, DataType::Int)).map_err(|e| e.at(s.span))?;
        p.ops.push(Op::TimeCluster { by, value, name: CLUSTER_COLUMN.into() });
        p.timestats = None;
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
