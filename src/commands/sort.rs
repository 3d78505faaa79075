//! `sort [+|-]<field>, ...`: order the rows.

use super::{Args, CommandDef, R};
use crate::plan::{Op, Planner, SortSpec};
use crate::syntax::parts::{internal, name, Parts, Rule};
use crate::syntax::{SortKey, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "sort",
    syntax: "sort [+|-]<field>, ...",
    about: "order rows (- descending); numbers and IPs by value, text ignoring case; nulls last; stable",
    options: &[],
    phrases: &[(Rule::sort_key, "a field to sort by")],
    examples: &[("* | sort -Packets | head 2 | fields Packets", "Packets\n50\n12\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Sort(pub Vec<SortKey>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let keys = p
        .rest
        .map(|k| {
            let mut descending = false;
            let mut field = None;
            for part in k.clone().into_inner() {
                match part.as_rule() {
                    Rule::sign => descending = part.as_str() == "-",
                    _ => field = Some(name(part)?),
                }
            }
            Ok(SortKey { field: field.ok_or_else(|| internal(&k))?, descending })
        })
        .collect::<R<_>>()?;
    Ok(Box::new(Sort(keys)))
}

impl Args for Sort {
    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let mut specs = Vec::new();
        for k in &self.0 {
            specs.push(SortSpec { col: p.field(&k.field)?, descending: k.descending });
        }
        p.ops.push(Op::Sort(specs));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
