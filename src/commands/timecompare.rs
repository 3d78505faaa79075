//! `timecompare shift=<span> [count=<n>]`: right after `timestats`, each aggregate as it
//! was 1..n shifts earlier.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{Op, Planner, TimeCompareOp};
use crate::store::Field;
use crate::syntax::parts::{option, span, Parts, Rule};
use crate::syntax::{Name, OptionArg, Stage};

const SHIFT: OptionDef = OptionDef::new("shift", OptionKind::Span, "how far back each comparison looks");
/// The most shifts one timecompare makes (as compare's ranges; USER_GUIDE.md, Limits).
const MAX_SHIFTS: usize = 100;

const COUNT: OptionDef = OptionDef::new("count", OptionKind::Count, "how many shifts (default 1)");

pub const DEF: CommandDef = CommandDef {
    name: "timecompare",
    syntax: "timecompare shift=<span> [count=<n> | <n>]",
    about: "right after timestats: add each aggregate as it was 1..n shifts earlier (null before the first bucket)",
    options: &[SHIFT, COUNT],
    phrases: &[(Rule::timecompare_count, "a count of shifts")],
    examples: &[(
        "* | timestats span=1day count | timecompare shift=1day",
        "Time,Count,Count -1day\n2020-09-13T00:00:00Z,5,\n2020-09-14T00:00:00Z,4,5\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct TimeCompare(pub Vec<OptionArg>);

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut options = Vec::new();
    for part in p.rest {
        if part.as_rule() == Rule::timecompare_count {
            // The bare count is count= written short.
            let sp = span(&part);
            let name = Name { text: COUNT.name.to_string(), quoted: false, span: sp };
            options.push(OptionArg { name, value: part.as_str().trim().to_string(), value_span: sp });
        } else {
            options.push(option(part)?);
        }
    }
    Ok(Box::new(TimeCompare(options)))
}

impl Args for TimeCompare {
    fn options(&self) -> &[OptionArg] {
        &self.0
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let Some((time, by, aggs)) = p.last_timestats.clone() else {
            return Err(Diagnostic::query("timecompare goes right after timestats")
                .at(s.name_span)
                .help("* | timestats span=1hour count | timecompare shift=1day"));
        };
        let Some(shift_opt) = options::find(&self.0, &SHIFT) else {
            return Err(Diagnostic::query("timecompare needs shift=<span>").at(s.name_span).help("e.g. shift=1day"));
        };
        let shift = options::span(shift_opt)?;
        let count_opt = options::find(&self.0, &COUNT);
        let count = count_opt.map(|o| options::count(o, 1)).transpose()?.unwrap_or(1);
        if let Some(o) = count_opt.filter(|_| count > MAX_SHIFTS) {
            return Err(Diagnostic::query(format!("timecompare count = {count}: at most {MAX_SHIFTS} shifts"))
                .at(o.value_span)
                .help("each shift is a column per aggregate; compare fewer periods"));
        }
        let shift_text = &shift_opt.value;
        let digits = shift_text.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        let (n, unit) = (shift_text[..digits].parse::<u64>().unwrap_or(1), &shift_text[digits..]);
        let mut columns = Vec::new();
        for &a in &aggs {
            let base = p.scope.fields[a].name.clone();
            let dtype = p.scope.fields[a].dtype;
            let mut names = Vec::new();
            for k in 1..=count as u64 {
                let name = format!("{base} -{}{unit}", n * k);
                p.push_field(Field::new(name.clone(), dtype)).map_err(|e| e.at(s.span))?;
                names.push(name);
            }
            columns.push((a, names));
        }
        p.ops.push(Op::TimeCompare(TimeCompareOp { time, by: by.clone(), columns, shift, count }));
        p.timestats = Some((time, by, aggs));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
