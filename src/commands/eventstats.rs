//! `eventstats <aggregate>, ... [by ...]`: aggregates across rows attached to every row.

use super::{Args, CommandDef, R};
use crate::plan::{agg_field, AggSpec, FrameKind, Op, Planner};
use crate::store::Field;
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
    fn order_free(&self) -> bool {
        true
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let by = p.fields_of(&self.by)?;
        let FrameKind::Groups(records) = &p.scope.kind else {
            let (specs, fields) = p.aggs_here(&self.aggs)?;
            for f in fields {
                p.push_field_replacing(f)?;
            }
            p.ops.push(Op::EventStats { aggs: specs, by, only: None });
            return Ok(());
        };
        // After link, an aggregate of a field the groups lack but their records hold
        // is over the member records (Oracle's second-level aggregation).
        let (groups, records) = (p.scope.clone(), (**records).clone());
        let (mut here, mut over_members) = (Vec::new(), Vec::new());
        for a in &self.aggs {
            match p.agg(a, &groups) {
                Ok((spec, t)) => here.push((agg_field(&spec, t, &groups), spec)),
                Err(e) => {
                    let (spec, t) = p.agg(a, &records).map_err(|_| e)?;
                    over_members.push((agg_field(&spec, t, &records), spec));
                }
            }
        }
        let by_names = by.iter().map(|&i| p.scope.fields[i].name.clone()).collect();
        let push = |p: &mut Planner<'_>, aggs: Vec<(Field, AggSpec)>| -> R<Vec<AggSpec>> {
            let mut specs = Vec::new();
            for (field, spec) in aggs {
                p.push_field_replacing(field)?;
                specs.push(spec);
            }
            Ok(specs)
        };
        if !here.is_empty() {
            let aggs = push(p, here)?;
            p.ops.push(Op::EventStats { aggs, by: by.clone(), only: None });
        }
        if !over_members.is_empty() {
            let aggs = push(p, over_members)?;
            p.ops.push(Op::MemberEventStats { aggs, by, by_names });
        }
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
