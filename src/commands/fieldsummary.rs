//! `fieldsummary [maxvalues=<n>] [includenulls=b] [includetrends=b] <field>, ...`: each
//! field's distinct values with their counts and trends (Oracle's fieldsummary).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::plan::{time_column, FieldSummaryOp, FrameKind, Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{options_and_fields, Parts};
use crate::syntax::{Name, OptionArg, Stage};

const MAXVALUES: OptionDef =
    OptionDef::new("maxvalues", OptionKind::Count, "how many distinct values of each field (default 100; -1 for all)");
const INCLUDENULLS: OptionDef =
    OptionDef::new("includenulls", OptionKind::Bool, "add a row for each field's nulls (default false)");
const INCLUDETRENDS: OptionDef =
    OptionDef::new("includetrends", OptionKind::Bool, "add the Trend of each value over time (default true)");

pub const DEF: CommandDef = CommandDef {
    name: "fieldsummary",
    syntax: "fieldsummary [maxvalues=<n>] [includenulls=true|false] [includetrends=true|false] <field>, ...",
    about: "for each field in turn, its most common values: Field, Value (as text), Count, and Trend (a sparkline of those rows over the time range); most common first",
    options: &[MAXVALUES, INCLUDENULLS, INCLUDETRENDS],
    phrases: &[],
    examples: &[(
        "* | fieldsummary maxvalues = 2 includetrends = false Action, Protocol",
        "Field,Value,Count\nAction,ACCEPT,6\nAction,REJECT,1\nProtocol,6,6\nProtocol,17,2\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct FieldSummary {
    pub options: Vec<OptionArg>,
    pub fields: Vec<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let (options, fields) = options_and_fields(p.rest)?;
    Ok(Box::new(FieldSummary { options, fields }))
}

impl Args for FieldSummary {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let max_values = match options::find(&self.options, &MAXVALUES) {
            None => 100,
            Some(o) if o.value.trim() == "-1" => usize::MAX,
            Some(o) => options::count(o, 0)?,
        };
        let flag = |d: &OptionDef| options::find(&self.options, d).map(options::boolean).transpose();
        let include_nulls = flag(&INCLUDENULLS)?.unwrap_or(false);
        let include_trends = flag(&INCLUDETRENDS)?.unwrap_or(true);
        let cols = p.fields_of(&self.fields)?;
        let time = time_column(&p.scope);
        p.ops.push(Op::FieldSummary(FieldSummaryOp { cols, max_values, include_nulls, include_trends, time }));
        let mut fields = vec![
            Field::new("Field", DataType::Str),
            Field::new("Value", DataType::Str),
            Field::new("Count", DataType::Int),
        ];
        if include_trends {
            fields.push(Field::new("Trend", DataType::Str));
        }
        p.scope = p.scope.derived(fields, FrameKind::Rows);
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
