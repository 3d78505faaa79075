//! `sequence name=<name> [field=] [span=] [maxpause=] <rules> [select <field> [as <name>], ...]`:
//! after `link`, the runs of each group's records that follow a pattern (Oracle's
//! sequence). The matching itself is in `exec/sequence.rs`.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::{Diagnostic, Span};
use crate::plan::expr::Compiler;
use crate::plan::{FrameKind, Op, Planner, SequenceOp, SequenceRule};
use crate::store::time::Span as TimeSpan;
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name_pair, option, search_condition, span, Pair, Parts, Rule};
use crate::syntax::{Expr, Name, OptionArg, Stage};

const NAME: OptionDef =
    OptionDef::new("name", OptionKind::Text, "the sequence's name, shown in column Sequence (required)");
const FIELD: OptionDef =
    OptionDef::new("field", OptionKind::Field, "the time field that orders each group's records (default Time)");
const SPAN: OptionDef = OptionDef::new(
    "span",
    OptionKind::Span,
    "a match lasts at most this long, first record to last (default: no limit)",
);
const MAXPAUSE: OptionDef =
    OptionDef::new("maxpause", OptionKind::Span, "at most this long between two matched records (default: no limit)");

pub const DEF: CommandDef = CommandDef {
    name: "sequence",
    syntax: "sequence name=<name> [field=<time field>] [span=<span>] [maxpause=<span>] \
             [<condition>]{min[,max]} then [<condition>]{min[,max]} ... | between [<condition>]{..} and [<condition>]{..} \
             [select <field> [as <name>], ...]",
    about: "after link: in each group, the runs of records (oldest first) that meet the bracketed conditions in turn, \
            each as often as its {min,max} says ({5,}: five or more; {2}: exactly two); a record meeting no \
            condition is passed over. One row per run: the link fields, Sequence, Match Start, Match End, Match \
            Duration, Records (the records matched; with between, every record from the first to the last) and \
            the selected fields of the run's first record",
    options: &[NAME, FIELD, SPAN, MAXPAUSE],
    phrases: &[
        (Rule::sequence_rule, "[<condition>]{min[,max]}"),
        (Rule::sequence_between, "between [..]{..} and [..]{..}"),
        (Rule::sequence_select, "select <field>, ..."),
        (Rule::kw_then, "then"),
        (Rule::sequence_comma, ","),
    ],
    examples: &[(
        "* | link 'Source IP' | sequence name = Probe maxpause = 5min [ Action = reject ]{2,} \
         select 'Destination Port' as 'First Port' | fields 'Source IP', Sequence, Records, 'First Port'",
        "Source IP,Sequence,Records,First Port\n198.51.100.9,Probe,2,22\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct Sequence {
    pub options: Vec<OptionArg>,
    pub rules: Vec<Rule1>,
    pub between: bool,
    pub select: Vec<(Name, Option<Name>)>,
}

/// One `[ <condition> ]{min[,max]}` as written.
#[derive(Clone, Debug)]
pub struct Rule1 {
    pub cond: Option<Expr>,
    pub min: i64,
    /// `None` for `{min,}`.
    pub max: Option<i64>,
    pub span: Span,
}

fn rule(p: Pair<Rule>) -> R<Rule1> {
    let sp = span(&p);
    let mut it = p.clone().into_inner();
    let cond = search_condition(it.next().ok_or_else(|| internal(&p))?)?;
    let mut bounds = Vec::new();
    let mut open = false;
    for part in it {
        match part.as_rule() {
            Rule::integer => bounds.push(part.as_str().parse::<i64>().map_err(|_| {
                Diagnostic::query(format!("{} is not a count flowq holds", part.as_str())).at(span(&part))
            })?),
            Rule::sequence_comma => open = true,
            _ => return Err(internal(&part)),
        }
    }
    let min = bounds.first().copied().ok_or_else(|| internal(&p))?;
    let max = match (bounds.get(1), open) {
        (Some(&m), _) => Some(m),
        (None, true) => None,
        (None, false) => Some(min),
    };
    Ok(Rule1 { cond, min, max, span: sp })
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut out = Sequence { options: Vec::new(), rules: Vec::new(), between: false, select: Vec::new() };
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::sequence_rule => out.rules.push(rule(part)?),
            Rule::sequence_between => {
                out.between = true;
                for r in part.into_inner().filter(|x| x.as_rule() == Rule::sequence_rule) {
                    out.rules.push(rule(r)?);
                }
            }
            Rule::sequence_select => {
                for s in part.into_inner().filter(|x| x.as_rule() == Rule::lookup_select) {
                    out.select.push(name_pair(s)?);
                }
            }
            Rule::kw_then => {}
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

/// A span option as milliseconds (months have no fixed length: refused).
fn millis(o: Option<&OptionArg>) -> R<Option<i64>> {
    let Some(o) = o else { return Ok(None) };
    match options::span(o)? {
        TimeSpan::Millis(ms) => Ok(Some(ms)),
        TimeSpan::Months(_) => {
            Err(Diagnostic::query(format!("{} = {}: months have no fixed length", o.name.text, o.value))
                .at(o.value_span)
                .help("write it in days: 30day"))
        }
    }
}

impl Args for Sequence {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let FrameKind::Groups(records) = &p.scope.kind else {
            return Err(Diagnostic::query("sequence works on the groups of link").at(s.name_span).help(
                "* | link 'Source IP' | sequence name = Probe [ Action = reject ]{3,} select 'Destination Port'",
            ));
        };
        let records = (**records).clone();
        let Some(name) = options::find(&self.options, &NAME) else {
            return Err(Diagnostic::query("sequence needs name = <name>").at(s.name_span));
        };
        let time_name = match options::find(&self.options, &FIELD) {
            Some(o) => options::field_name(o),
            None => Name { text: "Time".into(), quoted: true, span: s.name_span },
        };
        let time = match records.resolve(&time_name.text) {
            Some(i) if records.fields[i].dtype == DataType::Time => i,
            Some(_) => return Err(Diagnostic::query(format!("'{}' is not a time", time_name.text)).at(time_name.span)),
            None => return Err(p.unknown_field(&time_name)),
        };
        let mut rules = Vec::new();
        for r in &self.rules {
            if r.min < 1 || r.max.is_some_and(|m| m < r.min) {
                return Err(Diagnostic::query("a rule's {min,max} needs 1 ≤ min ≤ max")
                    .at(r.span)
                    .help("{1,} is once or more, {3} exactly three times, {2,5} two to five times"));
            }
            let cond = match &r.cond {
                None => None,
                Some(e) => Some(Compiler { scope: &records, warnings: &mut p.warnings, search: true }.condition(e)?),
            };
            rules.push(SequenceRule { cond, min: r.min as usize, max: r.max.map(|m| m as usize) });
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut keys = Vec::new();
        for k in p.link_keys.clone() {
            if let Some(i) = p.scope.resolve(&k) {
                keys.push(i);
                fields.push(p.scope.fields[i].clone());
            }
        }
        fields.push(Field::new("Sequence", DataType::Str));
        fields.push(Field::new("Match Start", DataType::Time));
        fields.push(Field::new("Match End", DataType::Time));
        fields.push(Field::new("Match Duration", DataType::Duration));
        fields.push(Field::new("Records", DataType::Int));
        let mut select = Vec::new();
        for (field, alias) in &self.select {
            let Some(c) = records.resolve(&field.text) else {
                let d = Diagnostic::query(format!("'{}' is not a field of the groups' records", field.text))
                    .at(field.span)
                    .label("select takes the fields of the records");
                return Err(match crate::diag::did_you_mean(&field.text, records.names()) {
                    Some(s) => d.help(format!("did you mean '{s}'?")),
                    None => d,
                });
            };
            let out = alias.as_ref().unwrap_or(field);
            let name = if alias.is_some() { out.text.clone() } else { records.fields[c].name.clone() };
            // A link field selected as itself is the group's value already, one per group
            // (Oracle's dashboards `link … Action | sequence … select Action`).
            let is_key = fields[..keys.len()].iter().any(|f| f.name.eq_ignore_ascii_case(&name));
            if alias.is_none() && is_key {
                continue;
            }
            if fields.iter().any(|f| f.name.eq_ignore_ascii_case(&name)) {
                return Err(Diagnostic::query(format!("a field named '{name}' exists already"))
                    .at(out.span)
                    .help("name the selected field with as"));
            }
            fields.push(records.fields[c].renamed(name.clone()));
            select.push((c, name));
        }
        let op = SequenceOp {
            name: name.value.clone(),
            time,
            span: millis(options::find(&self.options, &SPAN))?,
            max_pause: millis(options::find(&self.options, &MAXPAUSE))?,
            rules,
            between: self.between,
            keys,
            select,
        };
        p.ops.push(Op::Sequence(op));
        p.scope = p.scope.derived(fields, FrameKind::Rows);
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
