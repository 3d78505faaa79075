//! `eval <field> = <expression>, ...`: add or overwrite columns, left to right.

use super::{Args, CommandDef, R};
use crate::plan::{expr::unit_of, Assign, Op, Planner};
use crate::store::Field;
use crate::syntax::parts::{expr, name, next, Parts, Rule};
use crate::syntax::{Assignment, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "eval",
    syntax: "eval <field> = <expression> [, <field> = <expression> ...]",
    about: "add or overwrite columns, left to right",
    options: &[],
    phrases: &[(Rule::assignment, "an assignment (field = expression)")],
    examples: &[(
        "'Destination Port' = 22 | eval Service = if('Destination Port' = 22, SSH, Other), KB = 'Content Size Out' / 1000 | fields Service, KB",
        "Service,KB\nSSH,0.18\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct Eval(pub Vec<Assignment>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let assigns = p
        .rest
        .map(|a| {
            let mut parts = a.clone().into_inner();
            let target = name(next(&mut parts, &a)?)?;
            let value = expr(next(&mut parts, &a)?)?;
            Ok(Assignment { target, value })
        })
        .collect::<R<_>>()?;
    Ok(Box::new(Eval(assigns)))
}

impl Args for Eval {
    fn order_free(&self) -> bool {
        true
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        for a in &self.0 {
            // Each assignment sees the ones before it: plan them one op at a time.
            let (c, t) = p.compiler().compile(&a.value)?;
            let target = p.scope.resolve(&a.target.text);
            let name = target.map_or(a.target.text.clone(), |i| p.scope.fields[i].name.clone());
            // A field eval writes is shown, even one `fields` had taken out of view.
            p.scope.hidden.retain(|h| *h != name);
            let unit = unit_of(&a.value, &p.scope);
            match target {
                Some(i) => {
                    p.scope.fields[i].dtype = t;
                    p.scope.fields[i].unit = unit;
                }
                None => p.scope.fields.push(Field::new(name.clone(), t).with_unit(unit)),
            }
            p.ops.push(Op::Eval(vec![Assign { target, name, expr: c }]));
        }
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
