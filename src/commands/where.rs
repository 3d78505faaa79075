//! `where <condition>`: keep the rows where the condition is true.

use super::{Args, CommandDef, R};
use crate::plan::Planner;
use crate::syntax::parts::{expr, Parts};
use crate::syntax::{Expr, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "where",
    syntax: "where <condition>",
    about: "keep the rows where the condition is true (records, stats rows or link groups)",
    options: &[],
    phrases: &[],
    examples: &[("* | where Packets > 10 | fields Packets", "Packets\n50\n12\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Where(pub Expr);

fn build(mut p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(Where(expr(p.arg()?)?)))
}

impl Args for Where {
    fn order_free(&self) -> bool {
        true
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        p.push_condition(&self.0, false)?;
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
