//! `lookup table=<name> [maxmatches=<n>] [default=<value>] select <column> [as <field>],
//! ... using <field> [= <column>], ...`: add columns of a lookup table where its keys
//! match (LANGUAGE.md section 9).

use std::sync::Arc;

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::lookup::{default_fits, LookupTable};
use crate::plan::{LookupOp, Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name_pair, option, Parts, Rule};
use crate::syntax::{Name, OptionArg, Stage};

pub(super) const TABLE: OptionDef = OptionDef::new("table", OptionKind::Table, "the lookup table, by name");
const MAX_MATCHES: OptionDef =
    OptionDef::new("maxmatches", OptionKind::Count, "join up to n matching rows' values (default 1)");
const DEFAULT: OptionDef = OptionDef::new("default", OptionKind::Text, "the value where no row matches");

/// Warnings about one key column shown at most this many at a time.
const SHOWN_PROBLEMS: usize = 3;

pub const DEF: CommandDef = CommandDef {
    name: "lookup",
    syntax: "lookup table=<name> [maxmatches=<n>] [default=<value>] select <column> [as <field>], ... using <field> [= <column>], ...",
    about: "add columns of a CSV table where its key columns match: values, CIDR blocks or number ranges (the most specific wins); several using pairs must all match",
    options: &[TABLE, MAX_MATCHES, DEFAULT],
    phrases: &[(Rule::lookup_select, "a table column to select"), (Rule::lookup_using, "a field to match (field = column)")],
    examples: &[
        (
            "'Destination Port' = 22 | lookup table=ports select Service using 'Destination Port' = Port, 'Protocol Name' = Protocol | fields Service",
            "Service\nssh\n",
        ),
        (
            "* | lookup table=protocols default=none select Name as Transport using Protocol = Number | stats count by Transport",
            "Transport,Count\nnone,1\nTCP,6\nUDP,2\n",
        ),
    ],
    build,
};

#[derive(Clone, Debug)]
pub struct Lookup {
    pub options: Vec<OptionArg>,
    /// (table column, output field).
    pub select: Vec<(Name, Option<Name>)>,
    /// (field, table column).
    pub using: Vec<(Name, Option<Name>)>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut out = Lookup { options: Vec::new(), select: Vec::new(), using: Vec::new() };
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::lookup_select => out.select.push(name_pair(part)?),
            Rule::lookup_using => out.using.push(name_pair(part)?),
            Rule::kw_select | Rule::kw_using => {}
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

/// The table `table=` names (also for `searchlookup`).
pub(super) fn table(p: &Planner<'_>, s: &Stage, written: &[OptionArg]) -> R<Arc<LookupTable>> {
    let Some(o) = options::find(written, &TABLE) else {
        return Err(Diagnostic::query(format!("{} needs table=<name>", s.command.name)).at(s.name_span));
    };
    match p.lookups.get(&o.value) {
        Some(Ok(t)) => Ok(t),
        Some(Err(e)) => Err(e.at(o.value_span)),
        None => {
            let names = p.lookups.names();
            let d = Diagnostic::query(format!("unknown lookup table '{}'", o.value)).at(o.value_span);
            Err(match did_you_mean(&o.value, names.iter().copied()) {
                Some(n) => d.help(format!("did you mean '{n}'?")),
                None => d
                    .note(format!("the tables: {}", names.join(", ")))
                    .help("register one with --lookup NAME=file.csv, or put NAME.csv in a lookups/ folder"),
            })
        }
    }
}

fn table_column(t: &LookupTable, n: &Name) -> R<usize> {
    t.column_index(&n.text).ok_or_else(|| {
        let d = Diagnostic::query(format!("lookup table '{}' has no column '{}'", t.name, n.text)).at(n.span);
        match did_you_mean(&n.text, t.columns.iter().map(String::as_str)) {
            Some(c) => d.help(format!("did you mean '{c}'?")),
            None => d.note(format!("its columns: {}", t.columns.join(", "))),
        }
    })
}

impl Args for Lookup {
    fn order_free(&self) -> bool {
        true
    }

    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let table = table(p, s, &self.options)?;
        let max_matches =
            options::find(&self.options, &MAX_MATCHES).map(|o| options::count(o, 1)).transpose()?.unwrap_or(1);
        let default = options::find(&self.options, &DEFAULT).map(|o| o.value.clone());
        let mut keys = Vec::new();
        for (field, col) in &self.using {
            let (f, c) = match col {
                // Oracle writes the pair both ways (`'Source IP' = IP` in its article,
                // `error_id = ErrorCode` on its extract page): column = field is read
                // so when only that order names a field and a column.
                Some(col)
                    if p.scope.resolve(&field.text).is_none()
                        && table.column_index(&field.text).is_some()
                        && p.scope.resolve(&col.text).is_some()
                        && table.column_index(&col.text).is_none() =>
                {
                    (p.field(col)?, table_column(&table, field)?)
                }
                _ => (p.field(field)?, table_column(&table, col.as_ref().unwrap_or(field))?),
            };
            keys.push((f, c));
        }
        if max_matches == 1 {
            let cols: Vec<usize> = keys.iter().map(|&(_, c)| c).collect();
            let at = self.using.first().map_or(s.span, |(f, c)| f.span.to(c.as_ref().map_or(f.span, |c| c.span)));
            report_problems(p, &table, &cols, at);
        }
        let mut out = Vec::new();
        for (col, alias) in &self.select {
            let c = table_column(&table, col)?;
            let name = alias.as_ref().unwrap_or(col).text.clone();
            let mut t = if max_matches == 1 { table.output_type(c) } else { DataType::Str };
            if default.as_deref().is_some_and(|d| !default_fits(d, t)) {
                t = DataType::Str;
            }
            let target = match p.scope.resolve(&name) {
                Some(i) => {
                    p.scope.fields[i] = Field::new(p.scope.fields[i].name.clone(), t);
                    Some(i)
                }
                None => {
                    p.scope.fields.push(Field::new(name.clone(), t));
                    None
                }
            };
            out.push((c, name, target));
        }
        p.ops.push(Op::Lookup(LookupOp { table, keys, select: out, max_matches, default }));
        Ok(())
    }
}

/// Warn (not fail) about repeated keys and overlapping ranges in a key column.
fn report_problems(p: &mut Planner<'_>, t: &LookupTable, cols: &[usize], at: Span) {
    let problems = t.problems(cols);
    if problems.is_empty() {
        return;
    }
    let names: Vec<&str> = cols.iter().map(|&c| t.columns[c].as_str()).collect();
    let mut d = Diagnostic::warning(format!(
        "lookup table '{}' ({}), key {}: {}",
        t.name,
        t.source,
        names.join(", "),
        problems[0]
    ))
    .at(at);
    for problem in problems.iter().skip(1).take(SHOWN_PROBLEMS - 1) {
        d = d.note(problem.clone());
    }
    if problems.len() > SHOWN_PROBLEMS {
        d = d.note(format!("and {} more", problems.len() - SHOWN_PROBLEMS));
    }
    p.warnings.push(d);
}

crate::commands::examples_test!(DEF);
