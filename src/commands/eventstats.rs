//! `eventstats <aggregate>, ... [by ...]`: aggregates across rows attached to every row.

use super::{Args, CommandDef, R};
use crate::plan::{Op, Planner};
use crate::syntax::parts::{stats_parts, Parts};
use crate::syntax::{AggItem, Name, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "eventstats",
    syntax: "eventstats <aggregate> [as <name>], ... [by <field>, ...]",
    about: "aggregate across rows (or link groups) and attach the result to every row, without collapsing",
    options: &[],
    phrases: &[],
    examples: &[(
        "Protocol = 17 | eventstats sum('Content Size Out') as Total | eval Share = 'Content Size Out' / Total | fields 'Source Port', Share",
        "Source Port,Share\n5353,0.4\n53,0.6\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct EventStats {
    pub aggs: Vec<AggItem>,
    pub by: Vec<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let parts = stats_parts(p.rest)?;
    Ok(Box::new(EventStats { aggs: parts.aggs, by: parts.by }))
}

impl Args for EventStats {
    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let by = p.fields_of(&self.by)?;
        let (specs, fields) = p.aggs_here(&self.aggs)?;
        for f in fields {
            p.push_field(f)?;
        }
        p.ops.push(Op::EventStats { aggs: specs, by });
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
