//! The options `run` and `explain` share: the time window and query parameters.

use clap::Args;

use super::QueryText;
use flowq::diag::Diagnostic;
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
