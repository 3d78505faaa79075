//! A session: the loaded records and the one entry point that runs a query over them,
//! shared by the CLI, the tests (and later the REPL).

use std::path::Path;

use crate::diag::Diagnostic;
use crate::exec::{self, Frame};
use crate::gen::{self, GenOptions};
use crate::ingest::{LoadOptions, LoadReport, Loader};
use crate::lookup::Lookups;
use crate::plan::{self, Plan, Scope};
use crate::store::Table;
use crate::syntax;
use crate::window::TimeWindow;

/// The answer to a query, with the warnings it raised.
#[derive(Debug)]
pub struct QueryOutput {
    pub table: Table,
    pub warnings: Vec<Diagnostic>,
}

/// A query that did not run: why, and the warnings found before.
#[derive(Debug)]
pub struct QueryFailure {
    pub error: Diagnostic,
    pub warnings: Vec<Diagnostic>,
}

impl From<Diagnostic> for QueryFailure {
    fn from(error: Diagnostic) -> Self {
        QueryFailure { error, warnings: Vec::new() }
    }
}

/// Parse and plan `text` against the flow record fields and the built-in lookup
/// tables, without data.
pub fn check(text: &str) -> Result<Plan, QueryFailure> {
    static BUILT_IN: std::sync::OnceLock<Lookups> = std::sync::OnceLock::new();
    check_with(text, BUILT_IN.get_or_init(Lookups::with_built_ins))
}

/// Parse and plan `text` against the flow record fields and `lookups`, without data.
pub fn check_with(text: &str, lookups: &Lookups) -> Result<Plan, QueryFailure> {
    let query = syntax::parse(text)?;
    plan::plan(&query, text, Scope::records(), lookups)
        .map_err(|e| QueryFailure { error: e.error, warnings: e.warnings })
}

/// The last touches of a result, whichever engine made it: format-specific fields
/// nobody named show only when they hold values, the record text only when named (it
/// repeats the other fields), and display units (unit()) come from the plan's fields.
pub fn finish_table(plan: &Plan, mut table: Table) -> Table {
    table.retain_columns(|f, c| {
        !(plan.droppable.contains(&f.name) && (c.is_all_null() || crate::schema::shown_when_named(&f.name)))
            && !plan.output.hidden.contains(&f.name)
    });
    for f in &mut table.fields {
        f.unit = plan.output.fields.iter().find(|o| o.name == f.name).and_then(|o| o.unit);
    }
    table
}

#[derive(Debug)]
pub struct Session {
    pub records: Table,
    pub report: LoadReport,
    /// The lookup tables queries can name (the built-in ones unless more are added).
    pub lookups: Lookups,
}

impl Session {
    /// Load flow log files.
    pub fn load(paths: &[impl AsRef<Path>], opts: LoadOptions) -> Result<Session, Diagnostic> {
        let (records, report) = crate::ingest::load_paths(paths, opts)?;
        Ok(Session { records, report, lookups: Lookups::with_built_ins() })
    }

    /// Load flow log text held in memory.
    pub fn from_text(name: &str, text: &[u8]) -> Result<Session, Diagnostic> {
        Self::from_text_with(name, text, LoadOptions::default())
    }

    /// Load flow log text held in memory, with options (such as the fields to read).
    pub fn from_text_with(name: &str, text: &[u8], opts: LoadOptions) -> Result<Session, Diagnostic> {
        let mut l = Loader::new(opts);
        l.add_bytes(name, text)?;
        let (records, report) = l.finish();
        Ok(Session { records, report, lookups: Lookups::with_built_ins() })
    }

    /// The built-in demo data set: `flowq gen` with its defaults, made in memory.
    pub fn demo() -> Result<Session, Diagnostic> {
        Self::generated(&GenOptions::default())
    }

    /// The demo data set with only the record fields `fields` read (what the queries
    /// to run need).
    pub fn demo_for(fields: crate::schema::FieldMask) -> Result<Session, Diagnostic> {
        Self::generated_with(&GenOptions::default(), LoadOptions { fields, ..LoadOptions::default() })
    }

    /// Generated data, as `flowq gen` with `opts` would write it.
    pub fn generated(opts: &GenOptions) -> Result<Session, Diagnostic> {
        Self::generated_with(opts, LoadOptions::default())
    }

    /// Generated data, loaded with `load`.
    pub fn generated_with(opts: &GenOptions, load: LoadOptions) -> Result<Session, Diagnostic> {
        let mut text = Vec::with_capacity(opts.records as usize * 80);
        gen::generate(opts, &mut text)
            .map_err(|e| Diagnostic::runtime(format!("cannot generate the demo data: {e}")))?;
        Self::from_text_with("demo data", &text, load)
    }

    /// Parse, plan and run a query over all records.
    pub fn run(&self, text: &str) -> Result<QueryOutput, QueryFailure> {
        self.run_in(text, TimeWindow::default())
    }

    /// Parse, plan and run a query over the records in `window`.
    pub fn run_in(&self, text: &str, window: TimeWindow) -> Result<QueryOutput, QueryFailure> {
        self.run_observed(text, window, |_, _| {})
    }

    /// The records in `window`, as the frame a query starts from.
    pub fn frame(&self, window: TimeWindow) -> Frame {
        let mut f = Frame::records(self.records.clone());
        if window.is_all() {
            return f;
        }
        match self.records.index_of("Time").map(|i| self.records.column(i)) {
            Some(c) => match &c.data {
                crate::store::ColumnData::Time(t) => {
                    f.rows.retain(|&r| c.is_valid(r as usize) && window.contains(t[r as usize]));
                }
                _ => f.rows.clear(),
            },
            None => f.rows.clear(),
        }
        f
    }

    /// Run a query, calling `each(what the step did, the time it took)` after each step
    /// of the local engine (`flowq explain`).
    pub fn run_observed(
        &self,
        text: &str,
        window: TimeWindow,
        mut each: impl FnMut(exec::Ran<'_>, std::time::Duration),
    ) -> Result<QueryOutput, QueryFailure> {
        let mut plan = check_with(text, &self.lookups)?;
        let frame = self.frame(window);
        if frame.rows.is_empty() && !self.records.is_empty() {
            plan.warnings.push(Diagnostic::warning(format!(
                "no record is in the time window ({}); the {} records span {}",
                window.describe(),
                self.records.len(),
                self.time_range().map_or("no time".into(), |(a, b)| format!(
                    "{} to {}",
                    crate::store::time::rfc3339(a),
                    crate::store::time::rfc3339(b)
                ))
            )));
        }
        let mut last = std::time::Instant::now();
        let table = exec::run_in_window(&plan, frame, window, |ran| {
            each(ran, last.elapsed());
            last = std::time::Instant::now();
        })
        .map_err(|error| QueryFailure { error, warnings: plan.warnings.clone() })?;
        Ok(QueryOutput { table: finish_table(&plan, table), warnings: plan.warnings })
    }

    /// The oldest and newest record time.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        let c = self.records.column(self.records.index_of("Time")?);
        let crate::store::ColumnData::Time(t) = &c.data else { return None };
        let valid = (0..t.len()).filter(|&r| c.is_valid(r)).map(|r| t[r]);
        valid.fold(None, |acc, x| Some(acc.map_or((x, x), |(a, b): (i64, i64)| (a.min(x), b.max(x)))))
    }
}
