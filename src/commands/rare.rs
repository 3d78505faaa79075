//! `rare [limit=<n>] [showcount=true|false] [showpercent=true|false] <field>, ... [by <field>, ...]`:
//! the least frequent values of the fields among the rows (records, stats rows or link
//! groups), the mirror of `top` (Oracle's rare page); `frequent`, the most frequent.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::funcs::aggregate::AggKind;
use crate::plan::{AggSpec, Assign, CExpr, FrameKind, Op, Planner, SortSpec};
use crate::store::{DataType, Field, Value};
use crate::syntax::parts::{internal, name, names_after_keyword, option, Parts, Rule};
use crate::syntax::{BinOp, Name, OptionArg, Stage};

const LIMIT: OptionDef = OptionDef::new("limit", OptionKind::Count, "how many values (default 10; -1 for all)");
const SHOWCOUNT: OptionDef = OptionDef::new("showcount", OptionKind::Bool, "add the Count of each (default false)");
const SHOWPERCENT: OptionDef =
    OptionDef::new("showpercent", OptionKind::Bool, "add each one's Percent of the rows (default false)");

pub const DEF: CommandDef = CommandDef {
    name: "rare",
    syntax: "rare [limit=<n>] [showcount=true|false] [showpercent=true|false] <field>, ... [as <count name>] [by <field>, ...]",
    about: "the n least frequent combinations of the fields among the rows (records, stats rows or link groups), least first; n per by-value; the mirror of top",
    options: &[LIMIT, SHOWCOUNT, SHOWPERCENT],
    phrases: &[(Rule::rare_as, "as and a name for the count")],
    examples: &[
        ("* | rare limit=2 Action", "Action\nREJECT\nreject\n"),
        ("* | rare showcount=true showpercent=true limit=1 Protocol", "Protocol,Count,Percent\n,1,11.11\n"),
    ],
    build,
};

pub const FREQUENT: CommandDef = CommandDef {
    name: "frequent",
    syntax: "frequent [limit=<n>] [showcount=true|false] [showpercent=true|false] <field>, ... [as <count name>] [by <field>, ...]",
    about: "the n most frequent combinations of the fields among the rows (records, stats rows or link groups), most first; n per by-value; rare's mirror, with its options and defaults",
    options: &[LIMIT, SHOWCOUNT, SHOWPERCENT],
    phrases: &[],
    examples: &[("* | frequent showcount=true limit=2 Action", "Action,Count\nACCEPT,6\nREJECT,1\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct Rare {
    pub options: Vec<OptionArg>,
    pub fields: Vec<Name>,
    pub by: Vec<Name>,
    /// `frequent`: most frequent first.
    pub most: bool,
    /// `as <name>`: the name of the count column (default Count).
    pub count_name: Option<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let most = p.word.as_rule() == Rule::kw_frequent;
    let mut out = Rare { options: Vec::new(), fields: Vec::new(), by: Vec::new(), most, count_name: None };
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::field_name => out.fields.push(name(part)?),
            Rule::by_clause => out.by = names_after_keyword(part)?,
            Rule::rare_as => {
                let n = part.clone().into_inner().find(|x| x.as_rule() == Rule::field_name);
                out.count_name = Some(name(n.ok_or_else(|| internal(&part))?)?);
            }
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

impl Args for Rare {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let n = match options::find(&self.options, &LIMIT) {
            None => 10,
            Some(o) if o.value.trim() == "-1" => usize::MAX,
            Some(o) => options::count(o, 0)?,
        };
        let flag = |d: &OptionDef| options::find(&self.options, d).map(options::boolean).transpose();
        let (show_count, show_percent) = (flag(&SHOWCOUNT)?.unwrap_or(false), flag(&SHOWPERCENT)?.unwrap_or(false));
        let by = p.fields_of(&self.by)?;
        let fields = p.fields_of(&self.fields)?;
        let mut keys = by.clone();
        keys.extend(&fields);
        let mut out: Vec<Field> = keys.iter().map(|&i| p.scope.fields[i].clone()).collect();
        if out.iter().any(|f| f.name == "Count" || f.name == "Percent") {
            let cmd = if self.most { "frequent" } else { "rare" };
            return Err(Diagnostic::query(format!(
                "{cmd} adds Count and Percent: rename the field of that name first"
            ))
            .at(self.fields[0].span));
        }
        // Count each combination, least first (ties in key order), n per by-value.
        let count_col = keys.len();
        let count = AggSpec { kind: AggKind::Count, arg: None, name: "Count".into(), param: Default::default() };
        p.ops.push(Op::Stats { aggs: vec![count], by: keys.clone() });
        out.push(Field::new("Count", DataType::Int));
        let nby = by.len();
        if show_percent {
            // Each combination's share of the rows (of its by-value's rows).
            let total = AggSpec {
                kind: AggKind::Sum,
                arg: Some(CExpr::Col(count_col)),
                name: "rare total".into(),
                param: Default::default(),
            };
            p.ops.push(Op::EventStats { aggs: vec![total], by: (0..nby).collect(), only: None });
            let share = CExpr::Arith(
                BinOp::Mul,
                Box::new(CExpr::Arith(
                    BinOp::Div,
                    Box::new(CExpr::Col(count_col)),
                    Box::new(CExpr::Col(count_col + 1)),
                )),
                Box::new(CExpr::Lit(Value::Float(100.0))),
            );
            let round = crate::funcs::scalar("round").and_then(|f| f.eval).ok_or_else(|| internal_error("round"))?;
            let rounded = CExpr::Call { name: "round", func: round, args: vec![share, CExpr::Lit(Value::Int(2))] };
            p.ops.push(Op::Eval(vec![Assign { target: None, name: "Percent".into(), expr: rounded }]));
        }
        let mut sort: Vec<SortSpec> = (0..nby).map(|col| SortSpec { col, descending: false }).collect();
        sort.push(SortSpec { col: count_col, descending: self.most });
        sort.extend((nby..count_col).map(|col| SortSpec { col, descending: false }));
        p.ops.push(Op::Sort(sort));
        p.ops.push(Op::LimitPer { by: (0..nby).collect(), n });
        // The columns shown: the fields, then Count and Percent when asked for.
        let mut shown: Vec<(usize, String)> =
            out[..count_col].iter().enumerate().map(|(i, f)| (i, f.name.clone())).collect();
        if show_count {
            let named = self.count_name.as_ref().map_or("Count", |n| n.text.as_str());
            shown.push((count_col, named.to_string()));
        }
        if show_percent {
            shown.push((count_col + 2, "Percent".into()));
            out.push(Field::new("rare total", DataType::Int));
            out.push(Field::new("Percent", DataType::Float));
        }
        p.scope = p.scope.derived(out.clone(), FrameKind::Rows);
        p.ops.push(Op::Project(shown.clone()));
        p.scope.fields = shown.iter().map(|(i, n)| out[*i].renamed(n.clone())).collect();
        Ok(())
    }
}

fn internal_error(what: &str) -> Diagnostic {
    Diagnostic::query(format!("internal error: the function {what} is missing"))
}

crate::commands::examples_test!(DEF, FREQUENT);
