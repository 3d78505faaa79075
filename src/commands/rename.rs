//! `rename <field> as <name>, ...`: rename columns.

use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{Op, Planner};
use crate::syntax::parts::{internal, name, Parts, Rule};
use crate::syntax::{Name, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "rename",
    syntax: "rename <field> as <name>, ...",
    about: "rename columns",
    options: &[],
    phrases: &[(Rule::rename_item, "a rename (field as name)")],
    examples: &[("* | stats count by Action | rename Action as Verdict | head 1", "Verdict,Count\nACCEPT,6\n")],
    build,
};

/// (from, to) pairs.
#[derive(Clone, Debug)]
pub struct Rename(pub Vec<(Name, Name)>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let pairs = p
        .rest
        .map(|item| {
            let mut parts = item.clone().into_inner().filter(|x| x.as_rule() == Rule::field_name);
            let from = name(parts.next().ok_or_else(|| internal(&item))?)?;
            let to = name(parts.next().ok_or_else(|| internal(&item))?)?;
            Ok((from, to))
        })
        .collect::<R<_>>()?;
    Ok(Box::new(Rename(pairs)))
}

impl Args for Rename {
    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let mut out = Vec::new();
        for (from, to) in &self.0 {
            // Oracle's own example renames a Logging Analytics field the rows lack
            // (`stats count by 'Log Source' | rename 'Host IP Address (Client)' as
            // clientip`): for such a field it does nothing, said in a warning.
            if p.scope.resolve(&from.text).is_none() && crate::schema::la_only_field(&from.text).is_some() {
                p.warnings.push(
                    Diagnostic::warning(format!("'{}' is not in these rows: nothing to rename", from.text))
                        .at(from.span)
                        .note("it is a Logging Analytics field that flow logs do not hold"),
                );
                continue;
            }
            let i = p.field(from)?;
            // Onto a field that exists, as Oracle's dashboards do (`rename Source as
            // 'Source IP'`): the renamed field takes its place.
            if let Some(j) = p.scope.resolve(&to.text).filter(|&j| j != i) {
                p.displace(j);
            }
            let old = std::mem::replace(&mut p.scope.fields[i].name, to.text.clone());
            p.implicit.retain(|n| *n != old);
            out.push((i, to.text.clone()));
        }
        p.ops.push(Op::Rename(out));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
