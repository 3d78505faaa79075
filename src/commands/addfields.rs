//! `addfields [ <condition> | stats <aggregate> as <name>, ... ], ...`: after `link`,
//! aggregates over the member records that match each condition.

use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::expr::Compiler;
use crate::plan::{agg_field, FrameKind, Op, Planner};
use crate::syntax::parts::{next, search_condition, span, stats_parts, Pair, Parts, Rule};
use crate::syntax::{Stage, SubStats};

pub const DEF: CommandDef = CommandDef {
    name: "addfields",
    syntax: "addfields [ <condition> | stats <aggregate> as <name>, ... ], ...",
    about: "after link: per group, aggregate only the member records matching the condition (* for all); none gives 0 for counts, null otherwise",
    options: &[],
    phrases: &[],
    examples: &[(
        "* | link 'Destination IP' | addfields [ Action = reject | stats count as Rejected ] | where Rejected > 0 | fields 'Destination IP', Count, Rejected",
        "Destination IP,Count,Rejected\n10.0.0.6,2,2\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct AddFields(pub Vec<SubStats>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(AddFields(p.rest.map(sub_stats).collect::<R<_>>()?)))
}

fn sub_stats(p: Pair<Rule>) -> R<SubStats> {
    let sp = span(&p);
    let mut it = p.clone().into_inner();
    let filter = search_condition(next(&mut it, &p)?)?;
    let parts = stats_parts(it)?;
    Ok(SubStats { filter, aggs: parts.aggs, span: sp })
}

impl Args for AddFields {
    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let FrameKind::Groups(records) = &p.scope.kind else {
            return Err(Diagnostic::query("addfields works on the groups of link").at(s.name_span).help(
                "put it after link: * | link 'Source IP' | addfields [ Action = reject | stats count as Rejected ]",
            ));
        };
        let records = (**records).clone();
        let mut out = Vec::new();
        for sub in &self.0 {
            let filter = match &sub.filter {
                None => None,
                Some(e) => Some(Compiler { scope: &records, warnings: &mut p.warnings, search: true }.condition(e)?),
            };
            let mut specs = Vec::new();
            for a in &sub.aggs {
                let (spec, t) = p.agg(a, &records)?;
                p.push_field(agg_field(&spec, t, &records)).map_err(|e| e.at(a.span))?;
                specs.push(spec);
            }
            out.push((filter, specs));
        }
        p.ops.push(Op::AddFields(out));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
