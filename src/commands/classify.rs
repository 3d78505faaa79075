//! `classify [topcount=<n>] <field>, ... [correlate = <field>, ...] [as <name>]`: the
//! article's Analyze step over link groups (LANGUAGE.md section 10, docs/ANALYZE.md).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{ClassifyOp, FrameKind, Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, names_after_keyword, option, Parts, Rule};
use crate::syntax::{Name, OptionArg, Stage};

const TOPCOUNT: OptionDef =
    OptionDef::new("topcount", OptionKind::Count, "show the n largest clusters (and every anomalous one)");

pub const DEF: CommandDef = CommandDef {
    name: "classify",
    syntax: "classify [topcount=<n>] <field>, ... [correlate = <field>, ...] [as <name>]",
    about: "after link: cluster the groups by the fields (text values as context, numbers cut where they leave gaps, byte counts on a log scale, times in four periods); one row per cluster with its ranges, an Anomaly flag for small clusters far from the rest, and the values that characterise each cluster in the correlated fields",
    options: &[TOPCOUNT],
    phrases: &[(Rule::classify_correlate, "correlate = <field>, ...")],
    examples: &[(
        "* | link 'Source IP' | stats sum('Content Size Out') as Bytes | classify Bytes correlate = 'Source IP'",
        "Id,Group Count,Percentage,Bytes Min,Bytes Max,Anomaly,Source IP\n1,4,66.67,80,360,false,\n2,1,16.67,12000,12000,false,10.0.0.5\n3,1,16.67,90000,90000,false,10.0.1.10\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct Classify {
    pub options: Vec<OptionArg>,
    pub fields: Vec<Name>,
    pub correlate: Vec<Name>,
    pub alias: Option<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut out = Classify { options: Vec::new(), fields: Vec::new(), correlate: Vec::new(), alias: None };
    let mut after_as = false;
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::classify_correlate => out.correlate = names_after_keyword(part)?,
            Rule::kw_as => after_as = true,
            Rule::field_name if after_as => out.alias = Some(name(part)?),
            Rule::field_name => out.fields.push(name(part)?),
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

impl Args for Classify {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        if !matches!(p.scope.kind, FrameKind::Groups(_)) {
            return Err(Diagnostic::query("classify works on the groups of link").at(s.name_span).help(
                "* | link 'Source IP', 'Destination IP' | stats sum('Content Size Out') as Bytes | classify Bytes",
            ));
        }
        let topcount = options::find(&self.options, &TOPCOUNT).map(|o| options::count(o, 1)).transpose()?;
        let id_name = self.alias.as_ref().map_or("Id".to_string(), |a| a.text.clone());
        let mut out = vec![
            Field::new(id_name.clone(), DataType::Int),
            Field::new("Group Count", DataType::Int),
            Field::new("Percentage", DataType::Float),
        ];
        let mut props = Vec::new();
        for f in &self.fields {
            let c = p.field(f)?;
            let field = p.scope.fields[c].clone();
            let numeric = matches!(field.dtype, DataType::Int | DataType::Float | DataType::Duration | DataType::Time);
            if numeric {
                out.push(field.renamed(format!("{} Min", field.name)));
                out.push(field.renamed(format!("{} Max", field.name)));
            } else {
                out.push(Field::new(field.name.clone(), DataType::Str));
            }
            props.push((c, numeric));
        }
        out.push(Field::new("Anomaly", DataType::Bool));
        let mut cols = Vec::new();
        for f in &self.correlate {
            let c = p.field(f)?;
            let name = p.scope.fields[c].name.clone();
            if out.iter().any(|o| o.name.eq_ignore_ascii_case(&name)) {
                return Err(
                    Diagnostic::query(format!("'{name}' is a property already; correlate other fields")).at(f.span)
                );
            }
            out.push(Field::new(name, DataType::Str));
            cols.push(c);
        }
        p.ops.push(Op::Classify(ClassifyOp { props, correlate: cols, topcount, id_name }));
        p.scope = p.scope.derived(out, FrameKind::Rows);
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
