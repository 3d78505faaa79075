//! `distinct <field>, ...`: the distinct combinations of the fields.

use super::{Args, CommandDef, R};
use crate::plan::{FrameKind, Op, Planner};
use crate::syntax::parts::{name, Parts};
use crate::syntax::{Name, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "distinct",
    syntax: "distinct <field>, ...",
    about: "the distinct combinations of the fields (only those columns), ordered by them",
    options: &[],
    phrases: &[],
    examples: &[("* | distinct Protocol", "Protocol\n6\n17\n\"\"\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Distinct(pub Vec<Name>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(Distinct(p.rest.map(name).collect::<R<_>>()?)))
}

impl Args for Distinct {
    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let by = p.fields_of(&self.0)?;
        let out = by.iter().map(|&i| p.scope.fields[i].clone()).collect();
        p.ops.push(Op::Stats { aggs: Vec::new(), by });
        p.scope = p.scope.derived(out, FrameKind::Rows);
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
