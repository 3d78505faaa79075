//! `link [span=<span>] [includenulls=true|false] <field>, ...`: group records into one
//! row per combination; the groups keep their member records.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Span;
use crate::plan::{FrameKind, LinkOp, Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, option, span, Parts, Rule};

use super::cluster;
use crate::syntax::{Name, OptionArg, Stage};

const SPAN: OptionDef = OptionDef::new("span", OptionKind::Span, "floor time keys to buckets of this span");
const INCLUDE_NULLS: OptionDef =
    OptionDef::new("includenulls", OptionKind::Bool, "keep records whose key fields are null (default false)");

const INCLUDE_TRENDS: OptionDef = OptionDef::new(
    "includetrends",
    OptionKind::Bool,
    "Oracle's histogram data for its console's chart: accepted; flowq's trend(...) in stats draws one",
);
const INCLUDE_INFO: OptionDef = OptionDef::new(
    "includeinfo",
    OptionKind::Bool,
    "Oracle's query metadata table: accepted; flowq explain shows how a query ran",
);

pub const DEF: CommandDef = CommandDef {
    name: "link",
    syntax: "link [span=<span>] [includenulls=true|false] [includetrends=true|false] [includeinfo=true|false] [<field> | cluster(), ...]",
    about: "group records into one row per combination (Count, Start Time, End Time, Group Duration); groups keep their records",
    options: &[SPAN, INCLUDE_NULLS, INCLUDE_TRENDS, INCLUDE_INFO],
    phrases: &[(Rule::link_item, "a field or cluster()"), (Rule::cluster_call, "cluster()")],
    examples: &[(
        "* | link 'Source IP' | where Count > 1 | fields 'Source IP', Count, 'Group Duration'",
        "Source IP,Count,Group Duration\n10.0.0.5,2,60000\n198.51.100.9,2,100000\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct Link {
    pub options: Vec<OptionArg>,
    pub fields: Vec<Name>,
    /// Where `cluster()` stands among the fields, if it does.
    pub cluster: Option<(usize, Span)>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut out = Link { options: Vec::new(), fields: Vec::new(), cluster: None };
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::field_name => out.fields.push(name(part)?),
            Rule::cluster_call => out.cluster = Some((out.fields.len(), span(&part))),
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

impl Args for Link {
    fn order_free(&self) -> bool {
        true
    }

    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let span = options::find(&self.options, &SPAN).map(options::span).transpose()?;
        let include_nulls = options::find(&self.options, &INCLUDE_NULLS).map(options::boolean).transpose()?;
        // Console options of Oracle's: checked, nothing to do locally.
        for d in [&INCLUDE_TRENDS, &INCLUDE_INFO] {
            options::find(&self.options, d).map(options::boolean).transpose()?;
        }
        p.link_span = span;
        let mut keys = p.fields_of(&self.fields)?;
        if let Some((at, call)) = self.cluster {
            // Oracle's link by cluster: each record's signature sample (and whether it
            // is a potential issue) is a link field.
            let cols = cluster::tag_records(p, call)?;
            keys.splice(at..at, cols);
        }
        let records = p.scope.clone();
        let floor = keys.iter().map(|&k| if records.fields[k].dtype == DataType::Time { span } else { None }).collect();
        let time = records.resolve("Time").filter(|&i| records.fields[i].dtype == DataType::Time);
        let mut fields: Vec<Field> = keys.iter().map(|&k| records.fields[k].clone()).collect();
        p.link_keys = fields.iter().map(|f| f.name.clone()).collect();
        fields.push(Field::new("Count", DataType::Int));
        fields.push(Field::new("Start Time", DataType::Time));
        fields.push(Field::new("End Time", DataType::Time));
        fields.push(Field::new("Group Duration", DataType::Duration));
        p.ops.push(Op::Link(LinkOp { keys, floor, include_nulls: include_nulls.unwrap_or(false), time }));
        p.scope = p.scope.derived(fields, FrameKind::Groups(Box::new(records)));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
