//! `head [[limit=]<n>]`: the first n rows.

use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{Op, Planner};
use crate::syntax::parts::{limit, Parts};
use crate::syntax::{Limit, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "head",
    syntax: "head [[limit=]<n>]",
    about: "the first n rows (default 10); records come newest first",
    options: &[],
    phrases: &[],
    examples: &[("* | head limit=2 | fields Time", "Time\n2020-09-14T13:30:00Z\n2020-09-14T13:28:20Z\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Head(pub Option<Limit>);

fn build(mut p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(Head(p.rest.next().map(limit).transpose()?)))
}

/// The count of `head` and `tail`: 10 unless given, never negative.
pub(super) fn row_count(l: Option<&Limit>, stage: &Stage) -> R<usize> {
    match l {
        None => Ok(10),
        Some(l) if l.n < 0 => {
            Err(Diagnostic::query(format!("{} needs a count of 0 or more", stage.command.name)).at(l.span))
        }
        Some(l) => Ok(l.n as usize),
    }
}

impl Args for Head {
    fn plan(&self, p: &mut Planner<'_>, stage: &Stage) -> R<()> {
        p.ops.push(Op::Head(row_count(self.0.as_ref(), stage)?));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
