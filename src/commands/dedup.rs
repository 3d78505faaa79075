//! `dedup [count=<n>] [includenulls=true|false] [consecutive=true|false] <field>, ...`:
//! keep the first rows of each combination of the fields (Oracle's dedup page).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::plan::{DedupOp, Op, Planner};
use crate::syntax::parts::{options_and_fields, Parts};
use crate::syntax::{Name, OptionArg, Stage};

const COUNT: OptionDef = OptionDef::new("count", OptionKind::Count, "rows kept of each combination (default 1)");
const INCLUDE_NULLS: OptionDef = OptionDef::new(
    "includenulls",
    OptionKind::Bool,
    "keep rows with a null in the fields, a combination of their own (default false: dropped)",
);
const CONSECUTIVE: OptionDef =
    OptionDef::new("consecutive", OptionKind::Bool, "remove only repeats that follow each other (default false)");

pub const DEF: CommandDef = CommandDef {
    name: "dedup",
    syntax: "dedup [count=<n>] [includenulls=true|false] [consecutive=true|false] <field>, ...",
    about: "keep the first row (count=n: rows) of each combination of the fields, with all columns, in the current order; rows with a null in the fields are dropped unless includenulls=true; consecutive=true removes only repeats that follow each other",
    options: &[COUNT, INCLUDE_NULLS, CONSECUTIVE],
    phrases: &[],
    examples: &[
        ("* | dedup Protocol | fields Protocol, 'Source Port'", "Protocol,Source Port\n17,5353\n6,1521\n"),
        (
            "* | dedup includenulls=true count=2 Protocol | fields Protocol, 'Source Port'",
            "Protocol,Source Port\n17,5353\n17,53\n6,1521\n,\n6,40001\n",
        ),
    ],
    build,
};

#[derive(Clone, Debug)]
pub struct Dedup {
    pub options: Vec<OptionArg>,
    pub fields: Vec<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let (options, fields) = options_and_fields(p.rest)?;
    Ok(Box::new(Dedup { options, fields }))
}

impl Args for Dedup {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let flag = |d: &OptionDef| options::find(&self.options, d).map(options::boolean).transpose();
        let count = options::find(&self.options, &COUNT).map(|o| options::count(o, 1)).transpose()?.unwrap_or(1);
        let (include_nulls, consecutive) =
            (flag(&INCLUDE_NULLS)?.unwrap_or(false), flag(&CONSECUTIVE)?.unwrap_or(false));
        let cols = p.fields_of(&self.fields)?;
        p.ops.push(Op::Dedup(DedupOp { cols, count, include_nulls, consecutive }));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
