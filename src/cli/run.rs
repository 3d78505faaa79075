//! `flowq run`: load inputs once, run each query in order, write the results.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{ArgMatches, Args};

use super::{report, ColorChoice, QueryText};
use flowq::diag::Diagnostic;
use flowq::output::{self, Format, TableStyle};
use flowq::schema::FieldMask;
use flowq::session::Session;

/// Rows a terminal table shows before its "... more rows" footer.
const TERMINAL_ROWS: usize = 100;

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    input: super::inputs::InputArgs,
    #[command(flatten)]
    query: super::query_args::QueryArgs,
    #[command(flatten)]
    engine: super::clickhouse::EngineArgs,
    /// After each query, print its plan and the rows and time of each step to standard error
    #[arg(long)]
    explain: bool,
    /// Draw the last result as a chart: FILE.html (a page) or FILE.svg. classify results
    /// are bubbles, timestats results lines, geostats results (with coordinates) a map
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    /// A query to run (repeatable; runs in order with the query files)
    #[arg(short = 'c', long = "command", value_name = "QUERY")]
    commands: Vec<String>,
    /// Query files (.q) to run; - reads queries from standard input, separated by ; or
    /// blank lines
    #[arg(value_name = "QUERY_FILE")]
    files: Vec<PathBuf>,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write results to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print load and per-query times to standard error
    #[arg(long)]
    timing: bool,
    /// Colour the table output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    /// Rows a table shows before a "more rows" footer (default: 100 on a terminal, all otherwise)
    #[arg(long, value_name = "N")]
    max_rows: Option<usize>,
    /// CSV for spreadsheets: put ' before text cells that begin with = + - @ (a
    /// spreadsheet would run them as formulas); without it CSV holds the exact text
    #[arg(long)]
    csv_guard: bool,
}

/// The queries in command-line order: -c texts and files interleaved as given.
fn queries(args: &RunArgs, m: Option<&ArgMatches>) -> Result<Vec<QueryText>, Diagnostic> {
    let idx = |id: &str| -> Vec<usize> { m.and_then(|m| m.indices_of(id)).map(|i| i.collect()).unwrap_or_default() };
    let (ci, fi) = (idx("commands"), idx("files"));
    let mut items: Vec<(usize, QueryText)> = Vec::new();
    for (n, text) in args.commands.iter().enumerate() {
        let name = if args.commands.len() == 1 { "-c".to_string() } else { format!("-c #{}", n + 1) };
        items.push((ci.get(n).copied().unwrap_or(n), QueryText { name, text: text.clone() }));
    }
    for (n, path) in args.files.iter().enumerate() {
        let at = fi.get(n).copied().unwrap_or(usize::MAX - args.files.len() + n);
        if path.as_os_str() == "-" {
            items.extend(super::read_stdin_queries()?.into_iter().map(|q| (at, q)));
        } else {
            items.push((at, super::read_query_file(path)?));
        }
    }
    items.sort_by_key(|(i, _)| *i);
    Ok(items.into_iter().map(|(_, q)| q).collect())
}

pub fn run(args: RunArgs, m: Option<&ArgMatches>) -> Result<u8, Diagnostic> {
    let queries = queries(&args, m)?;
    if queries.is_empty() {
        return Err(Diagnostic::usage("no query to run")
            .help("give one with -c, e.g. flowq run -c \"* | stats count by Action\", or name a .q file"));
    }
    let window = args.query.window()?;
    // Parameters are filled in before anything runs: a missing or ill-typed one stops
    // the run with nothing written.
    let mut filled = Vec::new();
    let mut unused: Option<Vec<String>> = None;
    for q in &queries {
        let (q, u) = match args.query.fill(q) {
            Ok(filled) => filled,
            // Shown against the query, so a bad `init` block or `$name` is pointed at.
            Err(e) => {
                super::report(std::slice::from_ref(&e), q, super::stderr_color());
                return Ok(e.exit_code() as u8);
            }
        };
        unused = Some(match unused {
            None => u,
            Some(prev) => prev.into_iter().filter(|n| u.contains(n)).collect(),
        });
        filled.push(q);
    }
    let queries = filled;
    if args.format == Format::Parquet {
        if queries.len() > 1 {
            return Err(Diagnostic::usage(format!(
                "-f parquet writes one result, and {} queries are given",
                queries.len()
            ))
            .help("run each query on its own, with its own -o FILE.parquet"));
        }
        if args.output.is_none() && std::io::stdout().is_terminal() {
            return Err(Diagnostic::usage("Parquet is binary: it is not shown on a terminal")
                .help("write it to a file with -o FILE.parquet, or to a pipe"));
        }
    }
    for name in unused.unwrap_or_default() {
        eprintln!("warning: --param {name}: no query uses ${name}");
    }
    let diag_color = super::stderr_color();
    let started = Instant::now();
    // Read only the record fields some query uses (a query that does not plan reads
    // nothing; it fails below with its error).
    let lookups = args.query.lookups.registry(&args.files)?;
    let mut fields = queries
        .iter()
        .filter_map(|q| flowq::session::check_with(&q.text, &lookups).ok())
        .fold(FieldMask::NONE, |m, p| m.union(p.needed));
    if !window.is_all() {
        fields.insert(flowq::schema::Col::Time);
    }
    let engine = args.engine.engine(&args.input.inputs)?;
    if engine.is_some() && args.explain {
        return Err(Diagnostic::usage("--explain shows the local engine's steps")
            .help("see what ClickHouse runs with flowq sql"));
    }
    let mut session = if engine.is_some() {
        Session::from_text("no records", b"")?
    } else if args.input.inputs.is_empty() {
        Session::demo_for(fields)?
    } else {
        super::progress::load(&args.input.inputs, args.input.load_options(fields)?)?
    };
    session.lookups = lookups;
    if args.timing && engine.is_none() {
        eprintln!(
            "load: {:.3} s ({} records, {:.1} MB)",
            started.elapsed().as_secs_f64(),
            session.report.records(),
            session.report.bytes() as f64 / 1e6
        );
    }

    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let style = TableStyle {
        color: args.output.is_none() && args.color.enabled(to_terminal),
        max_rows: args.max_rows.or(if to_terminal { Some(TERMINAL_ROWS) } else { None }),
        width: if to_terminal {
            terminal_size::terminal_size().map(|(w, _)| w.0 as usize).filter(|w| *w >= 20)
        } else {
            None
        },
        terminal: to_terminal,
        csv_guard: args.csv_guard,
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::with_capacity(
            1 << 20,
            File::create(p).map_err(|e| Diagnostic::runtime(format!("cannot create '{}': {e}", p.display())))?,
        )),
        None => Box::new(BufWriter::with_capacity(1 << 20, std::io::stdout().lock())),
    };

    let mut code = 0u8;
    let mut written = 0;
    let mut last: Option<flowq::store::Table> = None;
    for (n, q) in queries.iter().enumerate() {
        let t0 = Instant::now();
        let answer = if args.explain {
            flowq::explain::explain(&session, &q.text, window).map(|(text, result)| {
                eprint!("{}:\n{}", q.name, flowq::escape::escape_lines(text.as_bytes()));
                result
            })
        } else if let Some(e) = &engine {
            e.run(&q.text, &session.lookups, window)
        } else {
            session.run_in(&q.text, window)
        };
        match answer {
            Ok(result) => {
                report(&result.warnings, q, diag_color);
                if args.timing {
                    eprintln!("query {}: {:.3} s ({} rows)", n + 1, t0.elapsed().as_secs_f64(), result.table.len());
                }
                if written > 0 && matches!(args.format, Format::Table | Format::Csv) {
                    write_or_pipe(out.write_all(b"\n"))?;
                }
                if queries.len() > 1 && args.format == Format::Table {
                    write_or_pipe(writeln!(out, "{}:", q.name))?;
                }
                if !write_or_pipe(output::write(&result.table, args.format, style, &mut out))? {
                    return Ok(0);
                }
                written += 1;
                last = Some(result.table);
            }
            Err(f) => {
                report(&f.warnings, q, diag_color);
                report(std::slice::from_ref(&f.error), q, diag_color);
                if code == 0 {
                    code = f.error.exit_code() as u8;
                }
            }
        }
    }
    if !write_or_pipe(out.flush())? {
        return Ok(0);
    }
    if let (Some(path), Some(table)) = (&args.chart, &last) {
        write_chart(path, table)?;
    }
    super::inputs::warn(&session.report);
    // The process ends next: handing gigabytes of records back to the system page by
    // page would only delay the exit.
    std::mem::forget(last);
    std::mem::forget(session);
    Ok(code)
}

/// Draw `table` into `path` (.html or .svg).
pub fn write_chart(path: &std::path::Path, table: &flowq::store::Table) -> Result<(), Diagnostic> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let title = path.file_stem().map_or("flowq chart".into(), |s| s.to_string_lossy().into_owned());
    let text = match ext.as_str() {
        "html" | "htm" => output::chart::html(table, &title),
        "svg" => output::chart::svg(table),
        _ => return Err(Diagnostic::usage(format!("--chart {}: name a .html or .svg file", path.display()))),
    }
    .map_err(|e| Diagnostic::usage(format!("--chart: {e}")))?;
    std::fs::write(path, text).map_err(|e| Diagnostic::runtime(format!("cannot write '{}': {e}", path.display())))
}

/// `Ok(false)` when the reader went away (`flowq run ... | head`): stop quietly.
fn write_or_pipe(r: std::io::Result<()>) -> Result<bool, Diagnostic> {
    match r {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Diagnostic::runtime(format!("cannot write the results: {e}"))),
    }
}
