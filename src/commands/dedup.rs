//! `dedup <field>, ...`: keep the first row of each combination of the fields.

use super::{Args, CommandDef, R};
use crate::plan::{Op, Planner};
use crate::syntax::parts::{name, Parts};
use crate::syntax::{Name, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "dedup",
    syntax: "dedup <field>, ...",
    about: "keep the first row of each combination of the fields, with all columns",
    options: &[],
    phrases: &[],
    examples: &[("* | dedup Protocol | fields Protocol, 'Source Port'", "Protocol,Source Port\n17,5353\n6,1521\n,\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Dedup(pub Vec<Name>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(Dedup(p.rest.map(name).collect::<R<_>>()?)))
}

impl Args for Dedup {
    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let cols = p.fields_of(&self.0)?;
        p.ops.push(Op::Dedup(cols));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
