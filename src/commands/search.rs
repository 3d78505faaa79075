//! `| search <condition>`: the search clause's rules later in the pipeline. (The first
//! stage, `[search] * | <condition>`, is the search clause itself; its examples are here.)

use super::{Args, CommandDef, R};
use crate::plan::Planner;
use crate::syntax::parts::{search_condition, Parts};
use crate::syntax::{Expr, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "search",
    syntax: "[search] * | <condition>  (first stage; also | search <condition> later)",
    about: "keep records where the condition holds; bare words and 'phrases' that are not fields match the record text",
    options: &[],
    phrases: &[],
    examples: &[
        ("Action = reject | fields 'Destination Port'", "Destination Port\n3389\n22\n"),
        ("* | search nodata | fields Status", "Status\nNODATA\n"),
    ],
    build,
};

/// `None` for `*`.
#[derive(Clone, Debug)]
pub struct Search(pub Option<Expr>);

fn build(mut p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(Search(search_condition(p.arg()?)?)))
}

impl Args for Search {
    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        if let Some(e) = &self.0 {
            p.push_condition(e, true)?;
        }
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
