//! `flowq explain`: run one query and show its pipeline, plan and per-step costs.

use std::path::PathBuf;

use clap::Args;

use super::{report, QueryText};
use flowq::diag::Diagnostic;
use flowq::session::Session;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    input: super::inputs::InputArgs,
    #[command(flatten)]
    query: super::query_args::QueryArgs,
    /// The query to explain
    #[arg(short = 'c', long = "command", value_name = "QUERY", conflicts_with = "file")]
    command: Option<String>,
    /// A query file (.q) to explain
    #[arg(value_name = "QUERY_FILE")]
    file: Option<PathBuf>,
}

pub fn explain(args: ExplainArgs) -> Result<u8, Diagnostic> {
    let q = match (&args.command, &args.file) {
        (Some(c), _) => QueryText { name: "-c".into(), text: c.clone() },
        (None, Some(f)) => super::read_query_file(f)?,
        (None, None) => {
            return Err(Diagnostic::usage("no query to explain")
                .help("flowq explain -c \"Action = reject | stats count by 'Destination Port'\""))
        }
    };
    let window = args.query.window()?;
    let color = super::stderr_color();
    let (q, _) = match args.query.fill(&q) {
        Ok(filled) => filled,
        Err(e) => {
            super::report(std::slice::from_ref(&e), &q, color);
            return Ok(e.exit_code() as u8);
        }
    };
    let files: Vec<PathBuf> = args.file.iter().cloned().collect();
    let lookups = args.query.lookups.registry(&files)?;
    let fields = match flowq::session::check_with(&q.text, &lookups) {
        Ok(mut plan) => {
            plan.needed.insert(flowq::schema::Col::Time);
            plan.needed
        }
        Err(f) => {
            report(&f.warnings, &q, color);
            report(std::slice::from_ref(&f.error), &q, color);
            return Ok(f.error.exit_code() as u8);
        }
    };
    let mut session = if args.input.inputs.is_empty() {
        Session::demo_for(fields)?
    } else {
        Session::load(&args.input.inputs, args.input.load_options(fields)?)?
    };
    session.lookups = lookups;
    match flowq::explain::explain(&session, &q.text, window) {
        Ok((text, result)) => {
            report(&result.warnings, &q, color);
            print!("{}", flowq::escape::escape_lines(text.as_bytes()));
            super::inputs::warn(&session.report);
            Ok(0)
        }
        Err(f) => {
            report(&f.warnings, &q, color);
            report(std::slice::from_ref(&f.error), &q, color);
            Ok(f.error.exit_code() as u8)
        }
    }
}
