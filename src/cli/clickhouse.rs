//! The ClickHouse side of the CLI: `flowq sql`, `flowq clickhouse ddl|load`, and the
//! `--engine clickhouse` options `run` and `repl` share.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::QueryText;
use flowq::clickhouse::{self, Endpoint, Engine};
use flowq::diag::Diagnostic;
use flowq::sql::{model, Target};

/// Where queries run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum EngineKind {
    /// Load the inputs (or the demo data) into memory here
    #[default]
    Local,
    /// The records are in a ClickHouse table (--url, --database, --table)
    Clickhouse,
}

/// The table the records are in.
#[derive(Args, Debug, Clone)]
pub struct TargetArgs {
    /// ClickHouse database of the flow table (default: the server's current database)
    #[arg(long, value_name = "DB")]
    pub database: Option<String>,
    /// ClickHouse table of flow records
    #[arg(long, value_name = "NAME", default_value = "flows")]
    pub table: String,
}

impl Default for TargetArgs {
    fn default() -> Self {
        TargetArgs { database: None, table: "flows".into() }
    }
}

impl TargetArgs {
    pub fn target(&self) -> Target {
        Target::new(self.database.clone(), self.table.clone())
    }
}

/// `--url`: the user and password come from the environment.
#[derive(Args, Debug, Clone, Default)]
pub struct UrlArg {
    /// ClickHouse HTTP interface, e.g. http://localhost:8123 (user and password from
    /// CLICKHOUSE_USER and CLICKHOUSE_PASSWORD)
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

impl UrlArg {
    pub fn endpoint(&self) -> Result<Endpoint, Diagnostic> {
        let url = self
            .url
            .as_deref()
            .ok_or_else(|| Diagnostic::usage("ClickHouse needs --url").help("e.g. --url http://localhost:8123"))?;
        Endpoint::new(url)
    }
}

#[derive(Args, Debug, Clone, Default)]
pub struct EngineArgs {
    /// Where queries run: local, or clickhouse (the records are in a ClickHouse table)
    #[arg(long, value_enum, default_value_t = EngineKind::Local, value_name = "ENGINE")]
    pub engine: EngineKind,
    #[command(flatten)]
    pub url: UrlArg,
    #[command(flatten)]
    pub target: TargetArgs,
}

impl EngineArgs {
    /// The ClickHouse engine, when chosen; inputs make no sense with it.
    pub fn engine(&self, inputs: &[PathBuf]) -> Result<Option<Engine>, Diagnostic> {
        if self.engine == EngineKind::Local {
            if self.url.url.is_some() {
                return Err(Diagnostic::usage("--url is for --engine clickhouse"));
            }
            return Ok(None);
        }
        if !inputs.is_empty() {
            return Err(Diagnostic::usage("with --engine clickhouse the records come from the table, not -i")
                .help("put files into the table first: flowq clickhouse load -i FILE --url URL"));
        }
        Ok(Some(Engine { endpoint: self.url.endpoint()?, target: self.target.target() }))
    }
}

#[derive(Args, Debug)]
pub struct SqlArgs {
    /// A query to compile
    #[arg(short = 'c', long = "command", value_name = "QUERY", conflicts_with = "file")]
    command: Option<String>,
    /// A query file (.q) to compile
    #[arg(value_name = "QUERY_FILE", required_unless_present = "command")]
    file: Option<PathBuf>,
    #[command(flatten)]
    target: TargetArgs,
    /// Ask this ClickHouse about what depends on the data (the automatic span of
    /// timestats); without it such stages are shown as running locally
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    #[command(flatten)]
    query: super::query_args::QueryArgs,
}

/// `flowq sql`: the statement ClickHouse runs, and where the pipeline is cut.
pub fn sql(args: SqlArgs) -> Result<u8, Diagnostic> {
    let q = match (&args.command, &args.file) {
        (Some(c), _) => QueryText { name: "-c".into(), text: c.clone() },
        (None, Some(f)) => super::read_query_file(f)?,
        (None, None) => return Err(Diagnostic::usage("give a query with -c or a .q file")),
    };
    let (q, _) = args.query.fill(&q)?;
    let files: Vec<PathBuf> = args.file.iter().cloned().collect();
    let lookups = args.query.lookups.registry(&files)?;
    let color = super::stderr_color();
    let plan = match flowq::session::check_with(&q.text, &lookups) {
        Ok(p) => p,
        Err(f) => {
            super::report(&f.warnings, &q, color);
            super::report(&[f.error], &q, color);
            return Ok(2);
        }
    };
    super::report(&plan.warnings, &q, color);
    let server = args.url.as_deref().map(Endpoint::new).transpose()?;
    let compiled = clickhouse::compile(&plan, &args.target.target(), args.query.window()?, server.as_ref())?;
    let names = |ops: &[flowq::plan::Op]| ops.iter().map(flowq::plan::Op::name).collect::<Vec<_>>().join(", ");
    let (pushed, local) = plan.ops.split_at(compiled.pushed);
    println!("-- flowq: {}", q.name);
    println!("-- ClickHouse runs: {}", if pushed.is_empty() { "reading the records".into() } else { names(pushed) });
    match &compiled.refusal {
        None => println!("-- runs locally: nothing"),
        Some(why) => println!("-- runs locally: {} (because {why})", names(local)),
    }
    for (n, step) in compiled.lookups.iter().enumerate() {
        match (&step.upload, &step.probe) {
            (Some((_, what)), _) => println!(
                "-- lookup {}: flowq uploads, of table '{}', {what}; to {} (dropped after the run)",
                n + 1,
                step.op.table.name,
                step.table
            ),
            (None, Some(probe)) => {
                println!(
                    "-- lookup {}: flowq reads the distinct keys with this statement, matches each with its \
                     table '{}' as the local engine does, and uploads the matches to {} (dropped after the run):",
                    n + 1,
                    step.op.table.name,
                    step.table
                );
                println!("{probe};");
            }
            (None, None) => {}
        }
    }
    if !compiled.lookups.is_empty() {
        println!("-- the query:");
    }
    println!("{};", compiled.sql);
    Ok(0)
}

#[derive(Args, Debug)]
pub struct ClickhouseArgs {
    #[command(subcommand)]
    command: ClickhouseCommand,
}

#[derive(Subcommand, Debug)]
enum ClickhouseCommand {
    /// Print the SQL that creates the flow table (run it with clickhouse-client --multiquery)
    Ddl {
        #[command(flatten)]
        target: TargetArgs,
        /// Create the table on every node of this cluster, with a Distributed table over them
        #[arg(long, value_name = "NAME")]
        cluster: Option<String>,
    },
    /// Read flow logs (any input flowq reads) and insert them into the flow table
    Load {
        #[command(flatten)]
        input: super::inputs::InputArgs,
        #[command(flatten)]
        url: UrlArg,
        #[command(flatten)]
        target: TargetArgs,
    },
}

pub fn clickhouse(args: ClickhouseArgs) -> Result<u8, Diagnostic> {
    match args.command {
        ClickhouseCommand::Ddl { target, cluster } => {
            print!("{}", model::ddl(target.database.as_deref(), &target.table, cluster.as_deref()));
            Ok(0)
        }
        ClickhouseCommand::Load { input, url, target } => load(input, url, target),
    }
}

fn load(input: super::inputs::InputArgs, url: UrlArg, target: TargetArgs) -> Result<u8, Diagnostic> {
    let endpoint = url.endpoint()?;
    let mut fields = flowq::schema::FieldMask::all();
    fields.remove(flowq::schema::Col::OriginalLogContent);
    // Without -i, the demo data: a table to try the engine on.
    let session = if input.inputs.is_empty() {
        flowq::session::Session::demo_for(fields)?
    } else {
        super::progress::load(&input.inputs, input.load_options(fields)?)?
    };
    let total = session.records.len();
    let bar = super::progress::rows_bar(total as u64, "inserting");
    let started = std::time::Instant::now();
    let inserted = clickhouse::load::insert(&endpoint, &target.target(), &session.records, |done| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    });
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let inserted = inserted?;
    eprintln!(
        "inserted {} records into {} in {:.1} s",
        flowq::output::terminal::group_digits(inserted),
        model::table_ref(target.database.as_deref(), &target.table),
        started.elapsed().as_secs_f64()
    );
    super::inputs::warn(&session.report);
    Ok(0)
}
