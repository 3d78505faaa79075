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

/// Compile `plan` for `target` (asking `server`, when given, what depends on the data),
/// or say why the query cannot run on ClickHouse at all.
pub fn compile(
    plan: &Plan,
    target: &Target,
    window: TimeWindow,
    server: Option<&Endpoint>,
) -> Result<Compiled, Diagnostic> {
    let ask = |statement: &str| server.map(|e| e.execute(statement).map_err(|d| d.message));
    let probe = |statement: &str| ask(statement).unwrap_or_else(|| Err("no server".into()));
    let probe: Option<sql::Probe<'_>> = if server.is_some() { Some(&probe) } else { None };
    sql::compile_with(plan, target, window, probe).map_err(|why| {
        Diagnostic::query(format!("this query cannot run on ClickHouse: {why}"))
            .help("run it with the local engine (without --engine clickhouse)")
    })
}

impl Engine {
    /// Parse, plan and run a query: the pushed-down part on ClickHouse, the rest here.
    pub fn run(&self, text: &str, lookups: &Lookups, window: TimeWindow) -> Result<QueryOutput, QueryFailure> {
        let plan = session::check_with(text, lookups)?;
        let fail = |error: Diagnostic| QueryFailure { error, warnings: plan.warnings.clone() };
        // Lookup uploads get names of their own, so runs side by side do not collide.
        let mut target = self.target.clone();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        target.scratch = format!("flowq_lookup_{}_{nanos}", std::process::id());
        let compiled = compile(&plan, &target, window, Some(&self.endpoint)).map_err(fail)?;
        let table = self.fetch(&compiled).map_err(fail)?;
        let rest = Plan { ops: plan.ops[compiled.pushed..].to_vec(), ..plan.clone() };
        let n = table.len() as u32;
        let frame = Frame { table, rows: (0..n).collect(), natural_order: compiled.natural_order, members: None };
        let table = exec::run(&rest, frame).map_err(fail)?;
        Ok(QueryOutput { table: session::finish_table(&plan, table), warnings: plan.warnings })
    }

    /// Run a compiled statement and read its answer: first the lookups it joins are
    /// resolved and uploaded (to tables dropped again afterwards).
    pub fn fetch(&self, compiled: &Compiled) -> Result<crate::store::Table, Diagnostic> {
        let mut made = Vec::new();
        let answer = self.upload_lookups(compiled, &mut made).and_then(|()| {
            let statement = format!("{}\nFORMAT TabSeparatedWithNames", compiled.sql);
            let body = self.endpoint.post(&[], statement.as_bytes())?;
            result::read_tsv(body.inner, &compiled.columns)
        });
        for table in made {
            let _ = self.endpoint.execute(&format!("DROP TABLE IF EXISTS {table}"));
        }
        answer
    }

    fn upload_lookups(&self, compiled: &Compiled, made: &mut Vec<String>) -> Result<(), Diagnostic> {
        for step in &compiled.lookups {
            let matched;
            let (rows, keys) = match (&step.upload, &step.probe) {
                (Some((rows, _)), _) => (rows, 0),
                (None, Some(probe)) => {
                    matched = self.match_keys(step, probe)?;
                    (&matched, step.keys.len())
                }
                (None, None) => continue,
            };
            let columns: Vec<String> =
                step.columns.iter().map(|(name, ty)| format!("{} {ty}", sql::quote::ident(name))).collect();
            self.endpoint.execute(&format!("DROP TABLE IF EXISTS {}", step.table))?;
            self.endpoint.execute(&format!("CREATE TABLE {} ({}) ENGINE = Memory", step.table, columns.join(", ")))?;
            made.push(step.table.clone());
            load::insert_rows(&self.endpoint, &step.table, rows, keys)?;
        }
        Ok(())
    }

    /// The matches of the distinct keys `probe` reads, as the local engine finds them.
    fn match_keys(&self, step: &sql::LookupStep, probe: &str) -> Result<crate::store::Table, Diagnostic> {
        let body = self.endpoint.post(&[], format!("{probe}\nFORMAT TabSeparatedWithNames").as_bytes())?;
        let keys = result::read_tsv(body.inner, &step.keys)?;
        let n = keys.len() as u32;
        let frame = Frame { table: keys, rows: (0..n).collect(), natural_order: false, members: None };
        Ok(exec::apply(&crate::plan::Op::Lookup(step.op.clone()), frame)?.into_table())
    }
}
