//! `delta [field=<previous field>] [step=<n>] <field> [as <name>]`: the difference from
//! an earlier row.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, option, Parts, Rule};
use crate::syntax::{Name, OptionArg, Stage};

const FIELD: OptionDef = OptionDef::new("field", OptionKind::Field, "the field of the earlier row subtracted");
const STEP: OptionDef = OptionDef::new("step", OptionKind::Count, "how many rows earlier (default 1)");

pub const DEF: CommandDef = CommandDef {
    name: "delta",
    syntax: "delta [field=<previous field>] [step=<n>] <field> [as <name>]",
    about:
        "the field minus the previous field of the row n rows earlier (in the current order); null for the first rows",
    options: &[FIELD, STEP],
    phrases: &[],
    examples: &[("Action = accept | sort Time | delta Time as Gap | head 3 | fields Gap", "Gap\n\"\"\n0\n60000\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Delta {
    pub options: Vec<OptionArg>,
    pub field: Name,
    pub alias: Option<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut options = Vec::new();
    let mut names = Vec::new();
    for part in p.rest {
        match part.as_rule() {
            Rule::option => options.push(option(part)?),
            Rule::field_name => names.push(name(part)?),
            Rule::kw_as => {}
            _ => return Err(internal(&part)),
        }
    }
    let mut names = names.into_iter();
    let field = names.next().ok_or_else(|| internal(&p.cmd))?;
    Ok(Box::new(Delta { options, field, alias: names.next() }))
}

impl Args for Delta {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let step = options::find(&self.options, &STEP).map(|o| options::count(o, 1)).transpose()?.unwrap_or(1);
        let col = p.field(&self.field)?;
        let prev = match options::find(&self.options, &FIELD) {
            Some(o) => p.field(&options::field_name(o))?,
            None => col,
        };
        let (a, b) = (p.scope.fields[col].dtype, p.scope.fields[prev].dtype);
        use DataType::*;
        let t = match (a, b) {
            (Time, Time) => Duration,
            (Time, Int | Duration) => Time,
            (Int, Int) => Int,
            (Duration, Duration | Int) | (Int, Duration) => Duration,
            (Int | Float | Null, Int | Float | Null) => Float,
            _ => {
                return Err(Diagnostic::query(format!(
                    "delta subtracts numbers or times; '{}' is {} and '{}' is {}",
                    p.scope.fields[col].name,
                    a.name(),
                    p.scope.fields[prev].name,
                    b.name()
                ))
                .at(self.field.span))
            }
        };
        let alias = self.alias.as_ref();
        let name = alias.map_or_else(|| format!("delta({})", p.scope.fields[col].name), |a| a.text.clone());
        p.push_field(Field::new(name.clone(), t)).map_err(|e| e.at(alias.map_or(self.field.span, |a| a.span)))?;
        p.ops.push(Op::Delta { col, prev, step, name });
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
