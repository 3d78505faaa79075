//! `flowq repl` (and bare `flowq` on a terminal): load once, then ask and refine.

mod helper;
mod meta;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::Instant;

use clap::Args;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};

use super::{report, ColorChoice, QueryText};
use flowq::diag::{render, Diagnostic};
use flowq::exec::CANCEL;
use flowq::output::{self, Format, TableStyle};
use flowq::repl::complete::{Vocabulary, META_COMMANDS};
use flowq::session::Session;
use flowq::window::TimeWindow;
use helper::QueryHelper;

/// Rows a result shows before its "more rows" footer.
const SHOWN_ROWS: usize = 50;

#[derive(Args, Debug, Default)]
pub struct ReplArgs {
    #[command(flatten)]
    input: super::inputs::InputArgs,
    #[command(flatten)]
    lookups: super::query_args::LookupArgs,
    #[command(flatten)]
    engine: super::clickhouse::EngineArgs,
    /// Colour the prompt, the queries and the tables
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

struct Repl {
    session: Session,
    /// Queries run on ClickHouse when set (`--engine clickhouse`).
    engine: Option<flowq::clickhouse::Engine>,
    /// What was loaded, to load again with more fields or to report.
    inputs: Vec<PathBuf>,
    input: super::inputs::InputArgs,
    format: Format,
    timing: bool,
    color: bool,
    last_query: Option<String>,
    /// The last answer, for `:chart`.
    last_table: Option<flowq::store::Table>,
}

/// Where history is kept: `$FLOWQ_HISTORY`, else the user's data directory.
fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("FLOWQ_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("flowq").join("history"))
}

pub fn repl(args: ReplArgs) -> Result<u8, Diagnostic> {
    let color = args.color.enabled(std::io::stdout().is_terminal());
    let lookups = args.lookups.registry(&[])?;
    let engine = args.engine.engine(&args.input.inputs)?;
    let session = if engine.is_some() {
        let mut s = Session::from_text("no records", b"")?;
        s.lookups = lookups;
        s
    } else {
        let mut s = load(&args.input.inputs, &args.input)?;
        s.lookups = lookups;
        s
    };
    let mut state = Repl {
        session,
        engine,
        inputs: args.input.inputs.clone(),
        input: args.input,
        format: Format::Table,
        timing: false,
        color,
        last_query: None,
        last_table: None,
    };
    // Ctrl-C while a query runs stops the query, not flowq (at the prompt, rustyline
    // reads it as a key and clears the line).
    let _ = ctrlc::set_handler(|| CANCEL.store(true, Ordering::Relaxed));
    let config = Config::builder().auto_add_history(false).max_history_size(10_000).map_err(readline_error)?.build();
    let mut rl: Editor<QueryHelper, DefaultHistory> = Editor::with_config(config).map_err(readline_error)?;
    rl.set_helper(Some(QueryHelper { vocab: state.vocabulary(), color }));
    let history = history_path();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    eprintln!("{}", state.summary());
    eprintln!("Type a query, :help for help, :quit or Ctrl-D to leave.");
    let prompt = if color { "\x1b[1;36mflowq>\x1b[0m " } else { "flowq> " };
    loop {
        match rl.readline(prompt) {
            Ok(line) => {
                let text = line.trim();
                if text.is_empty() {
                    continue;
                }
                // Leaving is not worth recalling.
                if !matches!(text, ":quit" | ":q" | ":exit") {
                    let _ = rl.add_history_entry(text);
                }
                if let Some(h) = &history {
                    if let Some(dir) = h.parent() {
                        let _ = std::fs::create_dir_all(dir);
                    }
                    let _ = rl.save_history(h);
                }
                // `help`, `help url`, `quit` and `exit`, as typed in other consoles, are
                // the meta commands, not free-text searches for those words.
                let meta = bare_meta(text);
                let text = meta.as_deref().unwrap_or(text);
                if text.starts_with(':') {
                    match guarded(|| state.meta(text)).and_then(|r| r) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(d) => eprint!("{}", render(&d, None, color)),
                    }
                    if let Some(h) = rl.helper_mut() {
                        h.vocab = state.vocabulary();
                    }
                } else if let Err(d) = guarded(|| state.query(text)) {
                    eprint!("{}", render(&d, None, color));
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(readline_error(e)),
        }
    }
    Ok(0)
}

/// A line that is `help [topic]`, `quit` or `exit` as its meta command (`:help topic`).
fn bare_meta(text: &str) -> Option<String> {
    let mut words = text.split_whitespace();
    let first = words.next()?.to_ascii_lowercase();
    let rest: Vec<&str> = words.collect();
    match (first.as_str(), rest.as_slice()) {
        ("help", []) => Some(":help".to_string()),
        ("help", [topic]) => Some(format!(":help {topic}")),
        ("quit" | "exit", []) => Some(":quit".to_string()),
        _ => None,
    }
}

fn readline_error(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::runtime(format!("the terminal: {e}"))
}

/// Run one line's work so that nothing in it, not even a bug in flowq, ends the
/// session: a panic becomes an error to show, and the loaded data stay.
fn guarded<T>(work: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|cause| {
        let what = cause
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| cause.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        CANCEL.store(false, Ordering::Relaxed);
        Diagnostic::runtime(format!("internal error in flowq: {what}"))
            .note("this is a bug in flowq; the session and its data are unchanged")
    })
}

/// Load `inputs` (the demo data when none) with every record field but the text.
fn load(inputs: &[PathBuf], args: &super::inputs::InputArgs) -> Result<Session, Diagnostic> {
    let mut fields = flowq::schema::FieldMask::all();
    fields.remove(flowq::schema::Col::OriginalLogContent);
    if inputs.is_empty() {
        Session::demo_for(fields)
    } else {
        super::progress::load(inputs, args.load_options(fields)?)
    }
}

impl Repl {
    fn vocabulary(&self) -> Vocabulary {
        Vocabulary {
            fields: self.session.records.fields.iter().map(|f| f.name.clone()).collect(),
            tables: self.session.lookups.names().iter().map(|s| s.to_string()).collect(),
        }
    }

    fn summary(&self) -> String {
        if let Some(e) = &self.engine {
            let table = flowq::sql::model::table_ref(e.target.database.as_deref(), &e.target.table);
            let count = e
                .endpoint
                .execute(&format!("SELECT count() FROM {table} FORMAT TabSeparated"))
                .map(|c| c.trim().to_string())
                .unwrap_or_else(|d| format!("? ({})", d.message));
            return format!("Connected to ClickHouse at {}: {count} records in {table}.", e.endpoint.url);
        }
        let what = if self.inputs.is_empty() {
            "the demo data".to_string()
        } else {
            self.inputs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        };
        let span = self.session.time_range().map_or(String::new(), |(a, b)| {
            format!(", {} to {}", flowq::store::time::rfc3339(a), flowq::store::time::rfc3339(b))
        });
        format!(
            "Loaded {} records from {what}{span}{}.",
            flowq::output::terminal::group_digits(self.session.report.records() as usize),
            match self.session.report.skipped() {
                0 => String::new(),
                n => format!(" ({n} lines skipped)"),
            }
        )
    }

    fn style(&self) -> TableStyle {
        let terminal = std::io::stdout().is_terminal();
        TableStyle {
            color: self.color,
            max_rows: terminal.then_some(SHOWN_ROWS),
            width: if terminal {
                terminal_size::terminal_size().map(|(w, _)| w.0 as usize).filter(|w| *w >= 20)
            } else {
                None
            },
            terminal,
            csv_guard: false,
        }
    }

    /// Run a query and print its answer (or its error, pointing into the query).
    fn query(&mut self, text: &str) {
        self.last_query = Some(text.to_string());
        // Oracle's `init { $name = … }` variables, as a pasted dashboard query has them.
        let expanded = match flowq::init_vars::expand(text) {
            Ok(t) => t,
            Err(d) => {
                let q = QueryText { name: "query".into(), text: text.to_string() };
                report(std::slice::from_ref(&d), &q, self.color);
                return;
            }
        };
        let text = expanded.as_str();
        let q = QueryText { name: "query".into(), text: text.to_string() };
        // A query that reads the record text needs it loaded: load again, with it.
        if let (None, Ok(plan)) = (&self.engine, flowq::session::check_with(text, &self.session.lookups)) {
            let has_text = self.session.records.index_of(flowq::schema::ORIGINAL_LOG_CONTENT).is_some();
            if plan.needed.contains(flowq::schema::Col::OriginalLogContent) && !has_text && !self.inputs.is_empty() {
                eprintln!("(loading the records' text for this query)");
                match self
                    .input
                    .load_options(flowq::schema::FieldMask::all())
                    .and_then(|o| super::progress::load(&self.inputs, o))
                {
                    Ok(mut s) => {
                        s.lookups = std::mem::take(&mut self.session.lookups);
                        self.session = s;
                    }
                    Err(d) => {
                        eprint!("{}", render(&d, None, self.color));
                        return;
                    }
                }
            }
        }
        CANCEL.store(false, Ordering::Relaxed);
        let t0 = Instant::now();
        let result = match &self.engine {
            Some(e) => e.run(text, &self.session.lookups, TimeWindow::default()),
            None => self.session.run_in(text, TimeWindow::default()),
        };
        let elapsed = t0.elapsed();
        match result {
            Ok(out) => {
                report(&out.warnings, &q, self.color);
                let stdout = std::io::stdout();
                let mut w = stdout.lock();
                let _ = output::write(&out.table, self.format, self.style(), &mut w);
                let _ = w.flush();
                if self.timing {
                    eprintln!("({:.3} s, {} rows)", elapsed.as_secs_f64(), out.table.len());
                }
                self.last_table = Some(out.table);
            }
            Err(f) => {
                report(&f.warnings, &q, self.color);
                report(std::slice::from_ref(&f.error), &q, self.color);
            }
        }
        CANCEL.store(false, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn help_quit_and_exit_typed_bare_are_meta_commands() {
        assert_eq!(super::bare_meta("help").as_deref(), Some(":help"));
        assert_eq!(super::bare_meta("HELP url").as_deref(), Some(":help url"));
        assert_eq!(super::bare_meta("exit").as_deref(), Some(":quit"));
        assert_eq!(super::bare_meta("help me please"), None);
        assert_eq!(super::bare_meta("* | stats count"), None);
    }

    use super::guarded;

    #[test]
    fn a_panic_in_a_line_becomes_an_error() {
        let mut kept = vec![1, 2, 3];
        let e = guarded(|| {
            kept.push(4);
            if kept.len() > 3 {
                panic!("index out of bounds");
            }
        })
        .unwrap_err();
        assert!(e.message.contains("internal error in flowq: index out of bounds"), "{}", e.message);
        assert_eq!(kept, [1, 2, 3, 4]);
        assert_eq!(guarded(|| 7).unwrap(), 7);
    }
}
