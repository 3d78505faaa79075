//! `searchlookup table=<name>`: the rows of a lookup table as the result.

use super::{Args, CommandDef, R};
use crate::plan::{FrameKind, Op, Planner};
use crate::store::Field;
use crate::syntax::parts::{option, Parts};
use crate::syntax::{OptionArg, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "searchlookup",
    syntax: "searchlookup table=<name>",
    about: "the rows of a lookup table as the result",
    options: &[super::lookup::TABLE],
    phrases: &[],
    examples: &[("* | searchlookup table=protocols | where Number < 2", "Number,Name\n0,HOPOPT\n1,ICMP\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct SearchLookup(pub Vec<OptionArg>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(SearchLookup(p.rest.map(option).collect::<R<_>>()?)))
}

impl Args for SearchLookup {
    fn options(&self) -> &[OptionArg] {
        &self.0
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let table = super::lookup::table(p, s, &self.0)?;
        let fields =
            (0..table.columns.len()).map(|c| Field::new(table.columns[c].clone(), table.output_type(c))).collect();
        p.ops.push(Op::SearchLookup(table));
        p.scope = p.scope.derived(fields, FrameKind::Rows);
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
