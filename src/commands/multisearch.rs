//! `multisearch [ <query> ], [ <query> ], ...`: several queries over the same records,
//! their rows together (Oracle's multisearch).

use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{FrameKind, MultiSearchOp, Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, subquery, Parts, Rule};
use crate::syntax::{Stage, SubQuery};

pub const DEF: CommandDef = CommandDef {
    name: "multisearch",
    syntax: "multisearch [ <query> ], [ <query> ], ...",
    about: "run each bracketed query over the same rows (first in a query: every record) and keep all their rows, \
            one query's after another; a field one query lacks is null in its rows; rows that are records stay \
            records (newest first)",
    options: &[],
    phrases: &[],
    examples: &[(
        "multisearch [ Action = reject | eval Kind = rejected ], [ 'Destination Port' = 53 | eval Kind = dns ] \
         | fields Kind, 'Source IP'",
        "Kind,Source IP\ndns,10.0.3.20\nrejected,198.51.100.9\nrejected,198.51.100.9\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct MultiSearch(pub Vec<SubQuery>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let subs = p.rest.map(|q| if q.as_rule() == Rule::subquery { subquery(q) } else { Err(internal(&q)) });
    Ok(Box::new(MultiSearch(subs.collect::<R<_>>()?)))
}

impl Args for MultiSearch {
    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        if p.scope.is_groups() {
            return Err(Diagnostic::query("multisearch runs over records or rows, not link groups")
                .at(s.name_span)
                .help("put it first: multisearch [ … ], [ … ] | link …"));
        }
        let mut subs = Vec::new();
        for q in &self.0 {
            let input = p.scope.clone();
            subs.push(p.subplan(q, input, false)?);
        }
        let mut fields: Vec<Field> = Vec::new();
        for (sub, q) in subs.iter().zip(&self.0) {
            for f in &sub.fields {
                match fields.iter_mut().find(|g| g.name.eq_ignore_ascii_case(&f.name)) {
                    None => fields.push(f.clone()),
                    Some(g) if g.dtype == f.dtype || f.dtype == DataType::Null => {}
                    Some(g) if g.dtype == DataType::Null => g.dtype = f.dtype,
                    Some(g) if is_number(g.dtype) && is_number(f.dtype) => g.dtype = DataType::Float,
                    Some(g) => {
                        return Err(Diagnostic::query(format!(
                            "field '{}' is {} in one subquery and {} in another",
                            f.name,
                            g.dtype.name(),
                            f.dtype.name()
                        ))
                        .at(q.span)
                        .help("rename one of them, or convert it with tostring() or tonumber()"))
                    }
                }
            }
        }
        // A field stays out of view only where every subquery holding it hid it.
        let hidden = fields
            .iter()
            .filter(|f| {
                subs.iter()
                    .filter(|s| s.fields.iter().any(|g| g.name.eq_ignore_ascii_case(&f.name)))
                    .all(|s| s.hidden.iter().any(|h| h.eq_ignore_ascii_case(&f.name)))
            })
            .map(|f| f.name.clone())
            .collect();
        let records = subs.iter().all(|s| s.records);
        p.ops.push(Op::MultiSearch(MultiSearchOp { subs, fields: fields.clone(), records }));
        let kind = if records { FrameKind::Records } else { FrameKind::Rows };
        p.scope = p.scope.derived(fields, kind);
        p.scope.hidden = hidden;
        Ok(())
    }
}

fn is_number(t: DataType) -> bool {
    matches!(t, DataType::Int | DataType::Float)
}

crate::commands::examples_test!(DEF);
