//! `stats <aggregate> [as <name>], ... [by <field>, ...]`: one row per by-tuple, or
//! after `link` one new column per group.

use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{agg_field, FrameKind, Op, Planner};
use crate::store::Field;
use crate::syntax::parts::{stats_parts, Parts};
use crate::syntax::{AggItem, Name, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "stats",
    syntax: "stats <aggregate> [as <name>], ... [by <field>, ...]",
    about: "one row per distinct by-tuple (nulls form their own group); after link, one new column per group instead",
    options: &[],
    phrases: &[],
    examples: &[(
        "* | stats count, sum(Packets) as Packets by Protocol",
        "Protocol,Count,Packets\n6,6,82\n17,2,2\n,1,\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct Stats {
    pub aggs: Vec<AggItem>,
    pub by: Vec<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let parts = stats_parts(p.rest)?;
    Ok(Box::new(Stats { aggs: parts.aggs, by: parts.by }))
}

impl Args for Stats {
    fn order_free(&self) -> bool {
        true
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        if let FrameKind::Groups(records) = &p.scope.kind {
            if let Some(b) = self.by.first() {
                return Err(Diagnostic::query("stats ... by is not allowed after link")
                    .at(b.span)
                    .help("after link, stats adds one column per group; list the fields in link instead"));
            }
            let records = (**records).clone();
            let mut specs = Vec::new();
            for a in &self.aggs {
                let (spec, t) = p.agg(a, &records)?;
                p.scope.fields.push(agg_field(&spec, t, &records));
                specs.push(spec);
            }
            p.ops.push(Op::GroupStats(specs));
            return Ok(());
        }
        let by = p.fields_of(&self.by)?;
        let mut fields: Vec<Field> = by.iter().map(|&i| p.scope.fields[i].clone()).collect();
        let (specs, agg_fields) = p.aggs_here(&self.aggs)?;
        fields.extend(agg_fields);
        p.stats_keys = Some(by.iter().map(|&i| p.scope.fields[i].name.clone()).collect());
        p.ops.push(Op::Stats { aggs: specs, by });
        p.scope = p.scope.derived(fields, FrameKind::Rows);
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
