//! `tail [[limit=]<n>]`: the last n rows.

use super::head::row_count;
use super::{Args, CommandDef, R};
use crate::plan::{Op, Planner};
use crate::syntax::parts::{limit, Parts};
use crate::syntax::{Limit, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "tail",
    syntax: "tail [[limit=]<n>]",
    about: "the last n rows (default 10)",
    options: &[],
    phrases: &[],
    examples: &[("* | tail 1 | fields Time", "Time\n2020-09-13T12:26:40Z\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Tail(pub Option<Limit>);

fn build(mut p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(Tail(p.rest.next().map(limit).transpose()?)))
}

impl Args for Tail {
    fn plan(&self, p: &mut Planner<'_>, stage: &Stage) -> R<()> {
        p.ops.push(Op::Tail(row_count(self.0.as_ref(), stage)?));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
