//! `outlier [action=filter|annotate] [remove=true|false] <field>, ... [as <name>]`:
//! rows whose values are far from the rest (Oracle's outlier; the test is in
//! `exec/outlier.rs`).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{Op, OutlierOp, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, option, Parts, Rule};
use crate::syntax::{Name, OptionArg, Stage};

const ACTION: OptionDef = OptionDef::new(
    "action",
    OptionKind::Text,
    "filter (keep only the outliers, the default) or annotate (keep every row, with a true/false column)",
);
const REMOVE: OptionDef = OptionDef::new("remove", OptionKind::Bool, "drop the outliers instead (default false)");

pub const DEF: CommandDef = CommandDef {
    name: "outlier",
    syntax: "outlier [action=filter|annotate] [remove=true|false] <field>, ... [as <name>]",
    about: "rows with a value far from the rest: modified z-score |x - median| / (1.4826 × median absolute deviation) over 3.5 in any of the fields (numbers); action=annotate adds a column Outlier (or the as name) instead of keeping only them; remove=true drops them",
    options: &[ACTION, REMOVE],
    phrases: &[],
    examples: &[(
        "* | link 'Source IP' | stats sum('Content Size Out') as Bytes | outlier action = annotate Bytes | fields 'Source IP', Bytes, Outlier",
        "Source IP,Bytes,Outlier\n10.0.0.5,12000,true\n10.0.1.10,90000,true\n10.0.3.20,80,false\n198.51.100.9,360,false\n203.0.113.7,300,false\n2001:db8::1,120,false\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct Outlier {
    pub options: Vec<OptionArg>,
    pub fields: Vec<Name>,
    pub alias: Option<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut out = Outlier { options: Vec::new(), fields: Vec::new(), alias: None };
    let mut after_as = false;
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::kw_as => after_as = true,
            Rule::field_name if after_as => out.alias = Some(name(part)?),
            Rule::field_name => out.fields.push(name(part)?),
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

impl Args for Outlier {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let annotate = match options::find(&self.options, &ACTION) {
            None => false,
            Some(o) if o.value.eq_ignore_ascii_case("filter") => false,
            Some(o) if o.value.eq_ignore_ascii_case("annotate") => true,
            Some(o) => {
                return Err(
                    Diagnostic::query(format!("action = {}: write filter or annotate", o.value)).at(o.value_span)
                )
            }
        };
        let remove = options::find(&self.options, &REMOVE).map(options::boolean).transpose()?.unwrap_or(false);
        let cols = p.fields_of(&self.fields)?;
        for (&c, n) in cols.iter().zip(&self.fields) {
            let t = p.scope.fields[c].dtype;
            if !matches!(t, DataType::Int | DataType::Float | DataType::Duration | DataType::Null) {
                return Err(Diagnostic::query(format!("outlier compares numbers; '{}' holds {}", n.text, t.a_value()))
                    .at(n.span));
            }
        }
        let name = self.alias.as_ref().map_or("Outlier".to_string(), |a| a.text.clone());
        if annotate {
            let at = self.alias.as_ref().map_or(self.fields[0].span, |a| a.span);
            p.push_field(Field::new(name.clone(), DataType::Bool)).map_err(|e| e.at(at))?;
        }
        p.ops.push(Op::Outlier(OutlierOp { cols, annotate, remove, name }));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
