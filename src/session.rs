//! A session: the loaded records and the one entry point that runs a query over them,
//! shared by the CLI, the tests (and later the REPL).

use std::path::Path;

use crate::diag::Diagnostic;
use crate::exec::{self, Frame};
use crate::gen::{self, GenOptions};
use crate::ingest::{LoadOptions, LoadReport, Loader};
use crate::plan::{self, Plan, Scope};
use crate::store::Table;
use crate::syntax;

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

/// Parse and plan `text` against the flow record fields, without data.
pub fn check(text: &str) -> Result<Plan, QueryFailure> {
    let query = syntax::parse(text)?;
    plan::plan(&query, text, Scope::records()).map_err(|e| QueryFailure { error: e.error, warnings: e.warnings })
}

#[derive(Debug)]
pub struct Session {
    pub records: Table,
    pub report: LoadReport,
}

impl Session {
    /// Load flow log files.
    pub fn load(paths: &[impl AsRef<Path>], opts: LoadOptions) -> Result<Session, Diagnostic> {
        let (records, report) = crate::ingest::load_paths(paths, opts)?;
        Ok(Session { records, report })
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
        Ok(Session { records, report })
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

    /// Parse, plan and run a query.
    pub fn run(&self, text: &str) -> Result<QueryOutput, QueryFailure> {
        let plan = check(text)?;
        let mut table = exec::run(&plan, Frame::records(self.records.clone()))
            .map_err(|error| QueryFailure { error, warnings: plan.warnings.clone() })?;
        // Format-specific fields nobody named show only when they hold values; the
        // record text only when named (it repeats the other fields).
        table.retain_columns(|f, c| {
            !(plan.droppable.contains(&f.name) && (c.is_all_null() || f.name == crate::schema::ORIGINAL_LOG_CONTENT))
        });
        Ok(QueryOutput { table, warnings: plan.warnings })
    }
}
