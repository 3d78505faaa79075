//! ClickHouse as the engine: a query's pushed-down prefix runs there as one SQL
//! statement (see [`crate::sql`]), its answer streams back over HTTP, and the stages
//! ClickHouse cannot run go on locally, so results look exactly as the local engine's.

pub mod http;
pub mod load;
pub mod result;

use crate::diag::Diagnostic;
use crate::exec::{self, Frame};
use crate::lookup::Lookups;
use crate::plan::Plan;
use crate::session::{self, QueryFailure, QueryOutput};
use crate::sql::{self, Compiled, Target};
use crate::window::TimeWindow;
pub use http::Endpoint;

/// A ClickHouse server and the table the records are in.
#[derive(Clone, Debug)]
pub struct Engine {
    pub endpoint: Endpoint,
    pub target: Target,
}

/// Compile `plan` for `target`, or say why the query cannot run on ClickHouse at all.
pub fn compile(plan: &Plan, target: &Target, window: TimeWindow) -> Result<Compiled, Diagnostic> {
    sql::compile(plan, target, window).map_err(|why| {
        Diagnostic::query(format!("this query cannot run on ClickHouse: {why}"))
            .help("run it with the local engine (without --engine clickhouse)")
    })
}

impl Engine {
    /// Parse, plan and run a query: the pushed-down part on ClickHouse, the rest here.
    pub fn run(&self, text: &str, lookups: &Lookups, window: TimeWindow) -> Result<QueryOutput, QueryFailure> {
        let plan = session::check_with(text, lookups)?;
        let fail = |error: Diagnostic| QueryFailure { error, warnings: plan.warnings.clone() };
        let compiled = compile(&plan, &self.target, window).map_err(fail)?;
        let table = self.fetch(&compiled).map_err(fail)?;
        let rest = Plan { ops: plan.ops[compiled.pushed..].to_vec(), ..plan.clone() };
        let n = table.len() as u32;
        let frame = Frame { table, rows: (0..n).collect(), natural_order: compiled.natural_order, members: None };
        let table = exec::run_with_stats(&rest, frame, |_, _| {}).map_err(fail)?;
        Ok(QueryOutput { table: session::finish_table(&plan, table), warnings: plan.warnings })
    }

    /// Run a compiled statement and read its answer.
    pub fn fetch(&self, compiled: &Compiled) -> Result<crate::store::Table, Diagnostic> {
        let statement = format!("{}\nFORMAT TabSeparatedWithNames", compiled.sql);
        let body = self.endpoint.post(&[], statement.as_bytes())?;
        result::read_tsv(body.inner, &compiled.columns)
    }
}
