//! `fields [+|-]<field or pattern> [as <name>], ...`: choose, drop or reorder columns.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::expr::like_regex;
use crate::plan::{Op, Planner};
use crate::syntax::parts::{internal, name, option, Parts, Rule};
use crate::syntax::{FieldsItem, Name, OptionArg, Stage};

/// Oracle's dashboards write `fields target = ui …`: the choice is for the display, and
/// later commands still read every field. flowq's `fields` always works that way.
const TARGET: OptionDef = OptionDef::new(
    "target",
    OptionKind::Text,
    "ui (Oracle's dashboards): what is shown; flowq's fields always only chooses what is shown",
);

pub const DEF: CommandDef = CommandDef {
    name: "fields",
    syntax: "fields [target=ui] [+|-]<field or pattern> [as <name>], ...",
    about: "choose, drop (-) or reorder the columns shown (later commands still read the others); * % ? are wildcards in names; `field` is the same command",
    options: &[TARGET],
    phrases: &[
        (Rule::fields_item, "a field name or pattern"),
        (Rule::field_pattern, "a field name or pattern"),
        (Rule::wild_word, "a field name or pattern"),
    ],
    examples: &[("* | head 1 | fields Source*, -'Source Port'", "Source IP\n10.0.3.20\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Fields {
    pub options: Vec<OptionArg>,
    pub items: Vec<FieldsItem>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let (opts, items): (Vec<_>, Vec<_>) = p.rest.partition(|x| x.as_rule() == Rule::option);
    let options = opts.into_iter().map(option).collect::<R<_>>()?;
    let items = items
        .into_iter()
        .map(|item| {
            let mut remove = false;
            let mut pattern = None;
            let mut alias = None;
            for part in item.clone().into_inner() {
                match part.as_rule() {
                    Rule::sign => remove = part.as_str() == "-",
                    Rule::field_pattern => pattern = Some(name(part)?),
                    Rule::kw_as => {}
                    _ => alias = Some(name(part)?),
                }
            }
            Ok(FieldsItem { pattern: pattern.ok_or_else(|| internal(&item))?, remove, alias })
        })
        .collect::<R<_>>()?;
    Ok(Box::new(Fields { options, items }))
}

impl Args for Fields {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        if let Some(target) = options::find(&self.options, &TARGET) {
            let value = &target.value;
            if !value.eq_ignore_ascii_case("ui") {
                return Err(Diagnostic::query(format!("fields target= is ui (what is shown), not '{value}'"))
                    .at(target.value_span));
            }
        }
        plan_fields(p, &self.items)
    }
}

fn plan_fields(p: &mut Planner<'_>, items: &[FieldsItem]) -> R<()> {
    // Items apply left to right, as Oracle's `fields -*, errid, msg` (hide all, then
    // show two) needs: a list that starts with a `-` item starts from every field, one
    // that starts with a field to show starts from none.
    let mut chosen: Vec<(usize, String)> = match items.first() {
        Some(first) if first.remove => p.scope.fields.iter().enumerate().map(|(i, f)| (i, f.name.clone())).collect(),
        _ => Vec::new(),
    };
    let mut named: Vec<usize> = Vec::new();
    for item in items {
        // Oracle's dashboards hide the fields Logging Analytics adds (`fields -Entity,
        // -'Log Group', ...`); flow logs never have them, so there is nothing to hide.
        let absent = p.scope.resolve(&item.pattern.text).is_none();
        if item.remove && absent && crate::schema::la_only_field(&item.pattern.text).is_some() {
            continue;
        }
        // Hiding a field the rows do not have hides nothing, as in Oracle's dashboards
        // (`… | timestats … | fields -Status, -'Start Time'`): a warning, so a typo shows.
        if item.remove && absent && !is_wild(&item.pattern) {
            let mut w = p.unknown_field(&item.pattern);
            w.severity = crate::diag::Severity::Warning;
            w.message = format!("{}: fields -{} hides nothing", w.message, p.source(item.pattern.span));
            p.warnings.push(w);
            continue;
        }
        let matches = pattern(p, &item.pattern)?;
        if item.remove {
            chosen.retain(|(c, _)| !matches.contains(c));
            continue;
        }
        if !is_wild(&item.pattern) {
            named.extend(&matches);
        }
        if item.alias.is_some() && matches.len() != 1 {
            return Err(Diagnostic::query("as renames one field; this pattern matches several").at(item.pattern.span));
        }
        for m in matches {
            let name = item.alias.as_ref().map_or(p.scope.fields[m].name.clone(), |a| a.text.clone());
            match chosen.iter_mut().find(|(c, _)| *c == m) {
                Some(c) if item.alias.is_some() => c.1 = name,
                Some(_) => {}
                None => chosen.push((m, name)),
            }
        }
    }
    let implicit: Vec<String> = chosen
        .iter()
        .filter(|(i, n)| !named.contains(i) && *n == p.scope.fields[*i].name)
        .filter(|(i, _)| p.implicit.contains(&p.scope.fields[*i].name))
        .map(|(_, n)| n.clone())
        .collect();
    p.implicit = implicit;
    // The others stay behind the chosen ones, out of view: Oracle's `fields` chooses what
    // is shown, and later stages may still read the rest (`fields -Time | timestats`).
    // One that a chosen field is renamed onto is gone.
    let shown_name = |n: &str| chosen.iter().any(|(_, c)| c.eq_ignore_ascii_case(n));
    let kept: Vec<(usize, String)> = (0..p.scope.fields.len())
        .filter(|i| !chosen.iter().any(|(c, _)| c == i) && !shown_name(&p.scope.fields[*i].name))
        .map(|i| (i, p.scope.fields[i].name.clone()))
        .collect();
    let layout: Vec<(usize, String)> = chosen.iter().chain(&kept).cloned().collect();
    let fields = layout.iter().map(|(i, n)| p.scope.fields[*i].renamed(n.clone())).collect();
    p.ops.push(Op::Project(layout));
    p.scope.fields = fields;
    p.scope.hidden = kept.into_iter().map(|(_, n)| n).collect();
    Ok(())
}

/// The fields a `fields` item names: one field, or all that a wildcard matches.
fn pattern(p: &mut Planner<'_>, n: &Name) -> R<Vec<usize>> {
    if !is_wild(n) {
        return Ok(vec![p.field(n)?]);
    }
    let re = like_regex(&n.text).map_err(|e| Diagnostic::query(format!("bad pattern: {e}")).at(n.span))?;
    let m: Vec<usize> =
        p.scope.fields.iter().enumerate().filter(|(_, f)| re.is_match(&f.name)).map(|(i, _)| i).collect();
    for &i in &m {
        p.scope.mark(&p.scope.fields[i].name);
    }
    if m.is_empty() {
        return Err(Diagnostic::query(format!("'{}' matches no field", n.text)).at(n.span));
    }
    Ok(m)
}

/// Whether a `fields` item is a pattern rather than a name.
fn is_wild(n: &Name) -> bool {
    !n.quoted && n.text.contains(['*', '%', '?'])
}

crate::commands::examples_test!(DEF);
