//! `linkdetails`: after `link`, the member records of the groups left (Oracle's
//! linkdetails, which shows the records behind link groups).

use super::options::{OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{FrameKind, Op, Planner};
use crate::syntax::parts::{option, Parts};
use crate::syntax::{OptionArg, Stage};

const COLLECTION: OptionDef = OptionDef::new(
    "collection",
    OptionKind::Text,
    "a link collection saved in Logging Analytics: accepted; the groups of this query are used",
);

pub const DEF: CommandDef = CommandDef {
    name: "linkdetails",
    syntax: "linkdetails [collection=<name>]",
    about: "after link: the member records of the groups still in the result (after where, head, …), as records again",
    options: &[COLLECTION],
    phrases: &[],
    examples: &[(
        "* | link 'Source IP' | where Count = 2 and 'Source IP' = 198.51.100.9 | linkdetails | fields 'Destination Port'",
        "Destination Port\n3389\n22\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct LinkDetails(pub Vec<OptionArg>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(LinkDetails(p.rest.map(option).collect::<R<_>>()?)))
}

impl Args for LinkDetails {
    fn options(&self) -> &[OptionArg] {
        &self.0
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let FrameKind::Groups(records) = &p.scope.kind else {
            return Err(Diagnostic::query("linkdetails works on the groups of link")
                .at(s.name_span)
                .help("* | link 'Source IP' | where Count > 100 | linkdetails"));
        };
        p.scope = (**records).clone();
        p.ops.push(Op::LinkDetails { attach: Vec::new() });
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
