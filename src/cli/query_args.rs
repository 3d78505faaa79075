//! The options `run` and `explain` share: the time window and query parameters.

use std::path::{Path, PathBuf};

use clap::Args;

use super::QueryText;
use flowq::diag::Diagnostic;
use flowq::lookup::Lookups;
use flowq::params;
use flowq::window::{now_ms, TimeWindow};

#[derive(Args, Debug, Default)]
pub struct QueryArgs {
    /// Only records at or after this time: RFC 3339, YYYY-MM-DD['T'HH:MM[:SS]] (UTC), or
    /// relative to now such as -24h, -7d
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Only records before this time (same forms as --from, and now)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub to: Option<String>,
    /// Set a query parameter: --param days=30 fills $days (repeatable)
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = params::parse_assignment)]
    pub params: Vec<(String, String)>,
    #[command(flatten)]
    pub lookups: LookupArgs,
}

#[derive(Args, Debug, Default)]
pub struct LookupArgs {
    /// Register a CSV lookup table (repeatable): NAME=table.csv, or a path named by its
    /// file stem. The *.csv of a lookups/ folder in the working directory and beside each
    /// query file are registered too; these override them and the built-in tables.
    /// Two names mean more: geo (address blocks and places, for geostats) and labels
    /// (label rules, columns Label and Condition, that give the field Label)
    #[arg(long = "lookup", value_name = "NAME=PATH")]
    pub lookups: Vec<String>,
}

impl LookupArgs {
    /// Built-in tables, then lookups/ in the working directory, then lookups/ beside each
    /// query file, then --lookup: a later one of the same name wins.
    pub fn registry(&self, query_files: &[PathBuf]) -> Result<Lookups, Diagnostic> {
        let mut l = Lookups::with_built_ins();
        l.add_folder(Path::new("lookups"))?;
        for f in query_files {
            let dir = f.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            if dir != Path::new(".") {
                l.add_folder(&dir.join("lookups"))?;
            }
        }
        for a in &self.lookups {
            l.add_argument(a)?;
        }
        Ok(l)
    }
}

impl QueryArgs {
    pub fn window(&self) -> Result<TimeWindow, Diagnostic> {
        TimeWindow::parse(self.from.as_deref(), self.to.as_deref(), now_ms())
    }

    /// The query with its `$name` placeholders filled in; a parameter given but used by
    /// no placeholder is reported (the others may run other queries of the same run).
    pub fn fill(&self, q: &QueryText) -> Result<(QueryText, Vec<String>), Diagnostic> {
        let (text, unused) = params::substitute(&q.text, &self.params)?;
        Ok((QueryText { name: q.name.clone(), text }, unused))
    }
}
