//! `flowq check`: parse and plan query files without data.

use std::path::PathBuf;

use clap::Args;

use flowq::diag::Diagnostic;
use flowq::session;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Query files (.q) to check
    #[arg(required_unless_present = "saved_searches", value_name = "QUERY_FILE")]
    files: Vec<PathBuf>,
    /// A saved search or dashboard exported from Logging Analytics (JSON): check every
    /// query in it (its queryString values), named by their display names
    #[arg(long = "saved-search", value_name = "FILE.json")]
    saved_searches: Vec<PathBuf>,
    /// Treat warnings (such as a comparison with a name that is not a field) as errors
    #[arg(long)]
    deny_warnings: bool,
    /// Set a query parameter (parameters not set take their defaults)
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = flowq::params::parse_assignment)]
    params: Vec<(String, String)>,
    #[command(flatten)]
    lookups: super::query_args::LookupArgs,
}

/// Exit 0 when every file plans, 2 when any has an error.
pub fn check(args: CheckArgs) -> Result<u8, Diagnostic> {
    let color = super::stderr_color();
    let mut failed = 0;
    let lookups = args.lookups.registry(&args.files)?;
    let mut queries = Vec::new();
    for path in &args.files {
        queries.push(super::read_query_file(path)?);
    }
    for path in &args.saved_searches {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::usage(format!("cannot read {}: {e}", path.display())))?;
        let found = flowq::saved_search::queries(&text)
            .map_err(|why| Diagnostic::usage(format!("{}: {why}", path.display())))?;
        for (name, text) in found {
            queries.push(super::QueryText { name: format!("{} ({name})", path.display()), text });
        }
    }
    for q in queries {
        let q = match flowq::params::substitute(&q.text, &args.params) {
            Ok((text, _)) => super::QueryText { name: q.name, text },
            Err(e) => {
                super::report(&[e], &q, color);
                failed += 1;
                continue;
            }
        };
        match session::check_with(&q.text, &lookups) {
            Ok(plan) => {
                super::report(&plan.warnings, &q, color);
                if args.deny_warnings && !plan.warnings.is_empty() {
                    failed += 1;
                } else {
                    eprintln!("{}: ok", q.name);
                }
            }
            Err(f) => {
                super::report(&f.warnings, &q, color);
                super::report(&[f.error], &q, color);
                failed += 1;
            }
        }
    }
    Ok(if failed > 0 { 2 } else { 0 })
}
