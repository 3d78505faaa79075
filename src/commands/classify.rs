//! `classify [topcount=<n>] <field>, ... [correlate = <field>, ...] [as <name>]`: the
//! article's Analyze step over link groups (LANGUAGE.md section 10, docs/ANALYZE.md).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::expr::like_regex;
use crate::plan::{ClassifyOp, FrameKind, Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, option, Parts, Rule};
use crate::syntax::{FieldsItem, Name, OptionArg, Stage};

const TOPCOUNT: OptionDef =
    OptionDef::new("topcount", OptionKind::Count, "show the n largest clusters (and every anomalous one)");
const BOTTOMCOUNT: OptionDef =
    OptionDef::new("bottomcount", OptionKind::Count, "show the n smallest clusters (and every anomalous one)");

pub const DEF: CommandDef = CommandDef {
    name: "classify",
    syntax: "classify [topcount=<n>|bottomcount=<n>] [correlate = ...] <field>, ... [correlate = [+|-]<field or pattern>, ...] [as <name>]",
    about: "after link: cluster the groups by the fields (text values as context, numbers cut where they leave gaps, byte counts on a log scale, times in four periods); one row per cluster with its ranges, an Anomaly flag for small clusters far from the rest, and the values that characterise each cluster in the correlated fields (correlate lists them; a list that opens with a removal, as Oracle's `correlate = -*, 'Field'`, starts from every other field; as in Oracle's dashboards, correlate may come before the fields, its list ending at the first item without a comma before it)",
    options: &[TOPCOUNT, BOTTOMCOUNT],
    phrases: &[(Rule::classify_correlate, "correlate = <field>, ..."), (Rule::correlate_item, "a field to correlate, or -field")],
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
    /// Fields (or patterns) to add, or with `remove` to take away, in order.
    pub correlate: Vec<FieldsItem>,
    pub alias: Option<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut out = Classify { options: Vec::new(), fields: Vec::new(), correlate: Vec::new(), alias: None };
    let mut after_as = false;
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::classify_correlate => {
                for item in part.into_inner().filter(|x| x.as_rule() == Rule::correlate_item) {
                    let mut remove = false;
                    let mut pattern = None;
                    for piece in item.clone().into_inner() {
                        match piece.as_rule() {
                            Rule::sign => remove = piece.as_str() == "-",
                            _ => pattern = Some(name(piece)?),
                        }
                    }
                    let pattern = pattern.ok_or_else(|| internal(&item))?;
                    out.correlate.push(FieldsItem { pattern, remove, alias: None });
                }
            }
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
        let count = |d: &OptionDef| options::find(&self.options, d).map(|o| options::count(o, 1)).transpose();
        let (topcount, bottomcount) = (count(&TOPCOUNT)?, count(&BOTTOMCOUNT)?);
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
        let cols = correlated(p, &self.correlate, &props)?;
        for &c in &cols {
            let name = p.scope.fields[c].name.clone();
            if out.iter().any(|o| o.name.eq_ignore_ascii_case(&name)) {
                let at = self.correlate.iter().find(|i| i.pattern.text.eq_ignore_ascii_case(&name));
                return Err(Diagnostic::query(format!("'{name}' is a property already; correlate other fields"))
                    .at(at.map_or(s.name_span, |i| i.pattern.span)));
            }
            out.push(Field::new(name, DataType::Str));
        }
        p.ops.push(Op::Classify(ClassifyOp { props, correlate: cols, topcount, bottomcount, id_name }));
        p.scope = p.scope.derived(out, FrameKind::Rows);
        Ok(())
    }
}

/// The columns `correlate` names, in order: each item adds its field (or every field its
/// pattern matches) or, with `-`, takes it away. A list that opens with a removal starts
/// from every group field that is not a property, as Oracle's `correlate = -*, 'Field'`.
fn correlated(p: &mut Planner<'_>, items: &[FieldsItem], props: &[(usize, bool)]) -> R<Vec<usize>> {
    let mut cols: Vec<usize> = match items.first() {
        Some(first) if first.remove => {
            (0..p.scope.fields.len()).filter(|c| !props.iter().any(|(pc, _)| pc == c)).collect()
        }
        _ => Vec::new(),
    };
    for item in items {
        let wild = !item.pattern.quoted && item.pattern.text.contains(['*', '%', '?']);
        let matched: Vec<usize> = if wild {
            let re = like_regex(&item.pattern.text)
                .map_err(|e| Diagnostic::query(format!("bad pattern: {e}")).at(item.pattern.span))?;
            (0..p.scope.fields.len()).filter(|&c| re.is_match(&p.scope.fields[c].name)).collect()
        } else {
            let c = p.field(&item.pattern)?;
            if !item.remove && props.iter().any(|(pc, _)| *pc == c) {
                let name = &p.scope.fields[c].name;
                return Err(Diagnostic::query(format!("'{name}' is a property already; correlate other fields"))
                    .at(item.pattern.span));
            }
            vec![c]
        };
        if item.remove {
            cols.retain(|c| !matched.contains(c));
        } else {
            cols.extend(matched.into_iter().filter(|c| !props.iter().any(|(pc, _)| pc == c)));
        }
    }
    let mut seen = Vec::new();
    cols.retain(|c| {
        !seen.contains(c) && {
            seen.push(*c);
            true
        }
    });
    Ok(cols)
}

crate::commands::examples_test!(DEF);
