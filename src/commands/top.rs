//! `top` and `bottom [[limit=]<n>] <field>, ... [by <field>, ...]`: the most (least)
//! frequent values of records, or the rows with the largest (smallest) values.

use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::funcs::aggregate::AggKind;
use crate::plan::{AggSpec, FrameKind, Op, Planner, SortSpec};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, limit, name, names_after_keyword, Parts, Rule};
use crate::syntax::{Limit, Name, Stage};

pub const TOP: CommandDef = CommandDef {
    name: "top",
    syntax: "top [[limit=]<n>] <field>, ... [by <field>, ...]",
    about: "on records: the n most frequent values with a Count; on stats or link rows: the n rows with the largest value; n per by-value; limit=-1 for all",
    options: &[],
    phrases: &[],
    examples: &[
        ("* | top 2 'Destination Port'", "Destination Port,Count\n51000,2\n22,1\n"),
        ("* | stats sum(Packets) as P by 'Source IP' | top 1 P", "Source IP,P\n10.0.1.10,50\n"),
    ],
    build,
};

pub const BOTTOM: CommandDef = CommandDef {
    name: "bottom",
    syntax: "bottom [[limit=]<n>] <field>, ... [by <field>, ...]",
    about: "as top, smallest first",
    options: &[],
    phrases: &[],
    examples: &[("* | stats sum(Packets) as P by Protocol | bottom 1 P", "Protocol,P\n17,2\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Top {
    pub bottom: bool,
    pub limit: Option<Limit>,
    pub fields: Vec<Name>,
    pub by: Vec<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut out = Top { bottom: p.word.as_rule() == Rule::kw_bottom, limit: None, fields: Vec::new(), by: Vec::new() };
    for part in p.rest {
        match part.as_rule() {
            Rule::limit => out.limit = Some(limit(part)?),
            Rule::field_name => out.fields.push(name(part)?),
            Rule::by_clause => out.by = names_after_keyword(part)?,
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

impl Args for Top {
    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let bottom = self.bottom;
        let n = match &self.limit {
            None => 10,
            Some(l) if l.n == -1 => usize::MAX,
            Some(l) if l.n < 0 => {
                return Err(Diagnostic::query(format!("{} needs a count of 0 or more (or -1 for all)", s.command.name))
                    .at(l.span))
            }
            Some(l) => l.n as usize,
        };
        let by = p.fields_of(&self.by)?;
        let cols = p.fields_of(&self.fields)?;
        if matches!(p.scope.kind, FrameKind::Records) {
            // The most frequent values: count each combination, largest counts first.
            let mut keys = by.clone();
            keys.extend(&cols);
            let mut out: Vec<Field> = keys.iter().map(|&i| p.scope.fields[i].clone()).collect();
            out.push(Field::new("Count", DataType::Int));
            let count = AggSpec { kind: AggKind::Count, arg: None, name: "Count".into(), param: Default::default() };
            p.ops.push(Op::Stats { aggs: vec![count], by: keys.clone() });
            let nby = by.len();
            let mut sort: Vec<SortSpec> = (0..nby).map(|col| SortSpec { col, descending: false }).collect();
            sort.push(SortSpec { col: keys.len(), descending: !bottom });
            p.ops.push(Op::Sort(sort));
            p.ops.push(Op::LimitPer { by: (0..nby).collect(), n });
            p.scope = p.scope.derived(out, FrameKind::Rows);
            return Ok(());
        }
        // Rows of stats or link: the rows with the largest (smallest) values.
        let mut sort: Vec<SortSpec> = by.iter().map(|&col| SortSpec { col, descending: false }).collect();
        sort.extend(cols.iter().map(|&col| SortSpec { col, descending: !bottom }));
        p.ops.push(Op::Sort(sort));
        p.ops.push(Op::LimitPer { by, n });
        Ok(())
    }
}

crate::commands::examples_test!(TOP, BOTTOM);
