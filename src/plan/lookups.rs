//! Planning `lookup` and `searchlookup` (LANGUAGE.md section 9).

use std::sync::Arc;

use super::{FrameKind, LookupOp, Op, Planner, R};
use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::lookup::LookupTable;
use crate::store::{DataType, Field};
use crate::syntax::{Name, OptionArg, Stage};

/// Warnings about one key column shown at most this many at a time.
const SHOWN_PROBLEMS: usize = 3;

impl Planner<'_> {
    /// The table `table=` names.
    fn lookup_table(&self, s: &Stage, options: &[OptionArg]) -> R<Arc<LookupTable>> {
        let Some(o) = options.iter().find(|o| o.name.text.eq_ignore_ascii_case("table")) else {
            return Err(Diagnostic::query(format!("{} needs table=<name>", s.kind.command())).at(s.name_span));
        };
        match self.lookups.get(&o.value) {
            Some(Ok(t)) => Ok(t),
            Some(Err(e)) => Err(e.at(o.value_span)),
            None => {
                let names = self.lookups.names();
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

    pub(super) fn lookup(
        &mut self,
        s: &Stage,
        options: &[OptionArg],
        select: &[(Name, Option<Name>)],
        using: &[(Name, Option<Name>)],
    ) -> R<()> {
        let table = self.lookup_table(s, options)?;
        let mut max_matches = 1;
        let mut default = None;
        for o in options {
            match o.name.text.to_ascii_lowercase().as_str() {
                "table" => {}
                "maxmatches" => match o.value.parse::<usize>() {
                    Ok(n) if n >= 1 => max_matches = n,
                    _ => return Err(Diagnostic::query("maxmatches needs a whole number of 1 or more").at(o.value_span)),
                },
                "default" => default = Some(o.value.clone()),
                other => {
                    let d = Diagnostic::query(format!("lookup has no option '{other}'")).at(o.name.span);
                    return Err(match did_you_mean(other, ["table", "maxmatches", "default"]) {
                        Some(n) => d.help(format!("did you mean '{n}'?")),
                        None => d.note("lookup takes table=, maxmatches= and default="),
                    });
                }
            }
        }
        let mut keys = Vec::new();
        for (field, col) in using {
            let f = self.field(field)?;
            let c = Self::table_column(&table, col.as_ref().unwrap_or(field))?;
            keys.push((f, c));
        }
        if max_matches == 1 {
            let cols: Vec<usize> = keys.iter().map(|&(_, c)| c).collect();
            let at = using.first().map_or(s.span, |(f, c)| f.span.to(c.as_ref().map_or(f.span, |c| c.span)));
            self.report_problems(&table, &cols, at);
        }
        let mut out = Vec::new();
        for (col, alias) in select {
            let c = Self::table_column(&table, col)?;
            let name = alias.as_ref().unwrap_or(col).text.clone();
            let mut t = if max_matches == 1 { table.output_type(c) } else { DataType::Str };
            if let Some(d) = &default {
                if !default_fits(d, t) {
                    t = DataType::Str;
                }
            }
            let target = match self.scope.resolve(&name) {
                Some(i) => {
                    self.scope.fields[i] = Field::new(self.scope.fields[i].name.clone(), t);
                    Some(i)
                }
                None => {
                    self.scope.fields.push(Field::new(name.clone(), t));
                    None
                }
            };
            out.push((c, name, target));
        }
        self.ops.push(Op::Lookup(LookupOp { table, keys, select: out, max_matches, default }));
        Ok(())
    }

    /// Warn (not fail) about repeated keys and overlapping ranges in a key column.
    fn report_problems(&mut self, t: &LookupTable, cols: &[usize], at: Span) {
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
        for p in problems.iter().skip(1).take(SHOWN_PROBLEMS - 1) {
            d = d.note(p.clone());
        }
        if problems.len() > SHOWN_PROBLEMS {
            d = d.note(format!("and {} more", problems.len() - SHOWN_PROBLEMS));
        }
        self.warnings.push(d);
    }

    pub(super) fn searchlookup(&mut self, s: &Stage, options: &[OptionArg]) -> R<()> {
        let table = self.lookup_table(s, options)?;
        if let Some(o) = options.iter().find(|o| !o.name.text.eq_ignore_ascii_case("table")) {
            return Err(Diagnostic::query(format!("searchlookup has no option '{}'", o.name.text))
                .at(o.name.span)
                .note("searchlookup takes table="));
        }
        let fields =
            (0..table.columns.len()).map(|c| Field::new(table.columns[c].clone(), table.output_type(c))).collect();
        self.ops.push(Op::SearchLookup(table));
        self.scope = self.scope.derived(fields, FrameKind::Rows);
        Ok(())
    }
}

/// Whether a `default=` value can be held by a column of type `t`.
pub(crate) fn default_fits(d: &str, t: DataType) -> bool {
    match t {
        DataType::Int => d.trim().parse::<i64>().is_ok(),
        DataType::Float => d.trim().parse::<f64>().is_ok(),
        DataType::Ip => crate::store::ip::parse(d).is_some(),
        _ => true,
    }
}
