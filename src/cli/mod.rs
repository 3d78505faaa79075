//! Command-line interface: `flowq run`, `flowq check`, `flowq gen`.

mod check;
mod clickhouse;
mod explain;
mod gen;
mod inputs;
mod inspect;
mod progress;
mod query_args;
mod reference;
mod repl;
mod run;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use flowq::diag::{render, Diagnostic, Source};

#[derive(Parser, Debug)]
#[command(
    name = "flowq",
    version,
    about = "Query network flow logs (OCI VCN, AWS VPC, GCP VPC, Azure NSG/VNet) with the pipe language of Oracle Logging Analytics",
    long_about = "Query network flow logs (OCI VCN, AWS VPC, GCP VPC, Azure NSG/VNet) with the pipe language of Oracle Logging Analytics.\n\n\
                  Without -i, queries run over a built-in demo data set (a generated month of flow logs).",
    after_help = "Examples:\n  \
                  flowq run -c \"* | stats count by Action\"\n  \
                  flowq run -i flows.log queries/network-traffic.q -f csv -o traffic.csv\n  \
                  flowq run -i 'logs/2025/*.gz' -c \"Action = reject | stats count by 'Destination Port'\"\n  \
                  flowq inspect -i vpc-flow-logs/\n  \
                  flowq check queries/*.q\n  \
                  flowq explain -c \"Action = reject | top 5 'Destination Port'\"\n  \
                  flowq reference timestats\n  \
                  flowq sql queries/network-traffic.q\n  \
                  flowq run --engine clickhouse --url http://localhost:8123 queries/network-traffic.q\n  \
                  flowq gen --records 1000000 -o flows.log"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run queries over flow logs (or the demo data) and print the results
    Run(run::RunArgs),
    /// Ask questions interactively over data loaded once (the demo data without -i);
    /// also what bare `flowq` does on a terminal
    Repl(repl::ReplArgs),
    /// Show how a query runs: the parsed pipeline, the plan with resolved fields and
    /// types, and rows in and out and time per step (it runs the query)
    Explain(explain::ExplainArgs),
    /// Parse and plan query files against the flow record fields, without data
    Check(check::CheckArgs),
    /// Show how flowq reads its inputs: format, records, skipped lines, time range, fields
    Inspect(inspect::InspectArgs),
    /// The query language: every command, function and aggregate, or one with examples
    Reference(reference::ReferenceArgs),
    /// Write synthetic OCI VCN flow logs (deterministic per seed)
    Gen(gen::GenArgs),
    /// Compile a query to ClickHouse SQL and show which stages run locally
    Sql(clickhouse::SqlArgs),
    /// Scale out: create the flow table in ClickHouse, load flow logs into it
    Clickhouse(clickhouse::ClickhouseArgs),
}

/// When to colour terminal output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour on a terminal unless NO_COLOR is set (https://no-color.org).
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}

pub fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let result = match cli.command {
        Some(Command::Run(args)) => run::run(args, sub(&matches, "run")),
        Some(Command::Check(args)) => check::check(args),
        Some(Command::Explain(args)) => explain::explain(args),
        Some(Command::Inspect(args)) => inspect::inspect(args),
        Some(Command::Gen(args)) => gen::gen(args),
        Some(Command::Reference(args)) => reference::reference(args),
        Some(Command::Repl(args)) => repl::repl(args),
        Some(Command::Sql(args)) => clickhouse::sql(args),
        Some(Command::Clickhouse(args)) => clickhouse::clickhouse(args),
        None if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() => {
            repl::repl(repl::ReplArgs::default())
        }
        None => {
            let _ = Cli::command().print_help();
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(d) => {
            eprint!("{}", render(&d, None, color));
            ExitCode::from(d.exit_code() as u8)
        }
    }
}

fn sub<'a>(m: &'a ArgMatches, name: &str) -> Option<&'a ArgMatches> {
    m.subcommand_matches(name)
}

/// A query to run: its text and the name to show in messages.
pub struct QueryText {
    pub name: String,
    pub text: String,
}

/// Queries from standard input (`flowq run -`): separated by `;` or blank lines.
pub fn read_stdin_queries() -> Result<Vec<QueryText>, Diagnostic> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| Diagnostic::usage(format!("cannot read queries from standard input: {e}")))?;
    let pieces = flowq::params::split_queries(&text);
    let many = pieces.len() > 1;
    Ok(pieces
        .into_iter()
        .enumerate()
        .map(|(n, text)| QueryText { name: if many { format!("stdin #{}", n + 1) } else { "stdin".into() }, text })
        .collect())
}

/// Read a query file.
pub fn read_query_file(path: &PathBuf) -> Result<QueryText, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::usage(format!("cannot read query file '{}': {e}", path.display())))?;
    Ok(QueryText { name: path.display().to_string(), text })
}

/// Print diagnostics about a query to stderr.
pub fn report(diags: &[Diagnostic], q: &QueryText, color: bool) {
    for d in diags {
        eprint!("{}", render(d, Some(&Source { name: &q.name, text: &q.text }), color));
    }
}

pub fn stderr_color() -> bool {
    ColorChoice::Auto.enabled(std::io::stderr().is_terminal())
}
