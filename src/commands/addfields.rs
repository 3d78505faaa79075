//! `addfields [ <condition> | stats <aggregate> as <name>, ... ], ...`: after `link`,
//! aggregates over the member records that match each condition.

use super::createtable::{self, CreateTable};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::expr::Compiler;
use crate::plan::{agg_field, AggSpec, CExpr, FrameKind, Op, Planner, Scope};
use crate::syntax::parts::{expr, next, search_condition, span, stats_parts_with, Pair, Parts, Rule};
use crate::syntax::{Stage, SubStats};

pub const DEF: CommandDef = CommandDef {
    name: "addfields",
    syntax: "addfields [ <condition> [| where <condition>] | stats <aggregate> as <name>, ... ], ... | addfields [ * | where <condition> | eventstats <aggregate> as <name>, ... [by <field>, ...] ] | addfields [ * | where <condition> | createtable name=<name> select <field>, ... ]",
    about: "after link: per group, aggregate only the member records matching the condition (* for all; none gives 0 for counts, null otherwise); with eventstats, aggregate across the groups matching it and attach to every group; with createtable (Oracle's dashboards), the named table is not shown and the groups go on unchanged, with a warning",
    options: &[],
    phrases: &[],
    examples: &[(
        "* | link 'Destination IP' | addfields [ Action = reject | stats count as Rejected ] | where Rejected > 0 | fields 'Destination IP', Count, Rejected",
        "Destination IP,Count,Rejected\n10.0.0.6,2,2\n",
    )],
    build,
};

/// Each bracket, and the table it makes when it ends with `createtable`.
#[derive(Clone, Debug)]
pub struct AddFields(pub Vec<(SubStats, Option<CreateTable>)>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(AddFields(p.rest.map(sub_stats).collect::<R<_>>()?)))
}

fn sub_stats(p: Pair<Rule>) -> R<(SubStats, Option<CreateTable>)> {
    let sp = span(&p);
    let mut it = p.clone().into_inner();
    let filter = search_condition(next(&mut it, &p)?)?;
    let (mut where_, mut over_groups, mut table) = (None, false, None);
    let parts = stats_parts_with(it, |part| {
        Ok(match part.as_rule() {
            Rule::sub_where => {
                let mut inner = part.clone().into_inner();
                inner.next();
                where_ = Some(expr(next(&mut inner, part)?)?);
                true
            }
            Rule::kw_eventstats => {
                over_groups = true;
                true
            }
            Rule::createtable_cmd => {
                let mut rest = part.clone().into_inner();
                let word = next(&mut rest, part)?;
                table = Some(createtable::parse(Parts { cmd: part.clone(), word, rest })?);
                true
            }
            _ => false,
        })
    })?;
    Ok((SubStats { filter, where_, over_groups, aggs: parts.aggs, by: parts.by, span: sp }, table))
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
        for (sub, table) in &self.0 {
            if let Some(table) = table {
                // Over the groups where the condition holds, as Oracle's dashboards use
                // it: the table is not shown, its condition and columns are checked.
                let groups = p.scope.clone();
                sub_condition(p, &groups, sub)?;
                table.not_shown(p, sub.span, sub.span)?;
                continue;
            }
            if sub.over_groups {
                // The columns come in the order the brackets name them.
                if !out.is_empty() {
                    p.ops.push(Op::AddFields(std::mem::take(&mut out)));
                }
                plan_over_groups(p, sub)?;
                continue;
            }
            if let Some(b) = sub.by.first() {
                return Err(Diagnostic::query("a stats bracket of addfields takes no by: it is per group")
                    .at(b.span)
                    .help("[ * | where <condition> | eventstats <aggregate> by <field> ] aggregates across groups"));
            }
            let filter = sub_condition(p, &records, sub)?;
            let specs = plan_aggs(p, sub, &records)?;
            out.push((filter, specs));
        }
        if !out.is_empty() {
            p.ops.push(Op::AddFields(out));
        }
        Ok(())
    }
}

/// The bracket's aggregates over `scope`, their columns added to the frame's fields.
fn plan_aggs(p: &mut Planner<'_>, sub: &SubStats, scope: &Scope) -> R<Vec<AggSpec>> {
    let mut specs = Vec::new();
    for a in &sub.aggs {
        let (spec, t) = p.agg(a, scope)?;
        p.push_field_replacing(agg_field(&spec, t, scope)).map_err(|e| e.at(a.span))?;
        specs.push(spec);
    }
    Ok(specs)
}

/// The bracket's condition: its search terms and its `where`, both true.
fn sub_condition(p: &mut Planner<'_>, scope: &Scope, sub: &SubStats) -> R<Option<CExpr>> {
    let mut compiler = Compiler { scope, warnings: &mut p.warnings, search: true };
    let filter = sub.filter.as_ref().map(|e| compiler.condition(e)).transpose()?;
    compiler.search = false;
    let where_ = sub.where_.as_ref().map(|e| compiler.condition(e)).transpose()?;
    Ok(match (filter, where_) {
        (Some(a), Some(b)) => Some(CExpr::And(Box::new(a), Box::new(b))),
        (a, b) => a.or(b),
    })
}

/// `[ <cond> | where <expr> | eventstats ... ]`: Oracle's form for the fields the groups
/// themselves hold (made by stats, eventstats or eval after link): the aggregates over
/// the groups where the condition holds, attached to every group (of the by-value).
fn plan_over_groups(p: &mut Planner<'_>, sub: &SubStats) -> R<()> {
    let groups = p.scope.clone();
    let by = p.fields_of(&sub.by)?;
    let only = sub_condition(p, &groups, sub)?;
    let aggs = plan_aggs(p, sub, &groups)?;
    p.ops.push(Op::EventStats { aggs, by, only });
    Ok(())
}

crate::commands::examples_test!(DEF);
