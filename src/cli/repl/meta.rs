//! The console's own `:commands`: help, fields, load, lookup, format, timing, explain,
//! save, chart and quit.

use super::*;

impl Repl {
    /// A `:command`; `Ok(false)` to leave.
    pub(super) fn meta(&mut self, line: &str) -> Result<bool, Diagnostic> {
        let (cmd, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        match cmd {
            ":quit" | ":q" | ":exit" => return Ok(false),
            ":help" | ":h" => {
                if rest.is_empty() {
                    let mut out = flowq::reference::summary();
                    out.push_str("\nREPL commands:\n");
                    for (m, about) in META_COMMANDS {
                        out.push_str(&format!("  {m:<16} {about}\n"));
                    }
                    out.push_str("\nTab completes commands, fields, functions and options; a query goes on to the next\nline while a quote or bracket is open or it stops short (ends with |, by, = ...). Ctrl-C\nstops a running query or clears the line.\n");
                    print!("{out}");
                } else {
                    match flowq::reference::topic(rest) {
                        Some(t) => print!("{t}"),
                        None => {
                            return Err(Diagnostic::usage(format!(
                                "no command, function or aggregate is called '{rest}'"
                            )))
                        }
                    }
                }
            }
            ":fields" => self.fields(),
            ":load" | ":explain" if self.engine.is_some() => {
                return Err(Diagnostic::usage(format!(
                "{cmd} works on records loaded here; these queries run on ClickHouse (flowq sql shows its statements)"
            )))
            }
            ":load" => {
                if rest.is_empty() {
                    return Err(Diagnostic::usage(":load takes the paths of flow logs"));
                }
                let paths: Vec<PathBuf> = rest.split_whitespace().map(PathBuf::from).collect();
                // A load that fails leaves the session as it was: records and tables.
                let mut s = load(&paths, &self.input)?;
                s.lookups = std::mem::take(&mut self.session.lookups);
                self.session = s;
                self.inputs = paths;
                super::super::inputs::warn(&self.session.report);
                eprintln!("{}", self.summary());
            }
            ":lookup" => {
                let mut parts = rest.split_whitespace();
                match (parts.next(), parts.next()) {
                    (Some(name), Some(path)) => {
                        self.session.lookups.add_file(name, std::path::Path::new(path))?;
                        eprintln!("lookup table '{name}' is {path}");
                    }
                    _ => {
                        return Err(Diagnostic::usage(
                            ":lookup takes a name and a CSV file: :lookup servers servers.csv",
                        ))
                    }
                }
            }
            ":format" => {
                self.format = match rest {
                    "table" => Format::Table,
                    "csv" => Format::Csv,
                    "json" => Format::Json,
                    "ndjson" => Format::Ndjson,
                    _ => return Err(Diagnostic::usage(":format takes table, csv, json or ndjson")),
                }
            }
            ":timing" => {
                self.timing = match rest {
                    "on" => true,
                    "off" => false,
                    _ => return Err(Diagnostic::usage(":timing takes on or off")),
                }
            }
            ":explain" => {
                let text = if rest.is_empty() { self.last_query.clone().unwrap_or_default() } else { rest.to_string() };
                if text.is_empty() {
                    return Err(Diagnostic::usage(":explain takes a query"));
                }
                let q = QueryText { name: "query".into(), text: text.clone() };
                match flowq::explain::explain(&self.session, &text, TimeWindow::default()) {
                    Ok((t, out)) => {
                        report(&out.warnings, &q, self.color);
                        print!("{t}");
                    }
                    Err(f) => report(std::slice::from_ref(&f.error), &q, self.color),
                }
            }
            ":chart" => {
                let Some(t) = &self.last_table else { return Err(Diagnostic::usage("no result to chart yet")) };
                if rest.is_empty() {
                    return Err(Diagnostic::usage(":chart takes a file name: :chart clusters.html (or .svg)"));
                }
                super::super::run::write_chart(std::path::Path::new(rest), t)?;
                eprintln!("chart written to {rest}");
            }
            ":save" => {
                let Some(q) = &self.last_query else { return Err(Diagnostic::usage("no query to save yet")) };
                if rest.is_empty() {
                    return Err(Diagnostic::usage(":save takes a file name, such as :save rejects.q"));
                }
                std::fs::write(rest, format!("{q}\n"))
                    .map_err(|e| Diagnostic::runtime(format!("cannot write '{rest}': {e}")))?;
                eprintln!("saved to {rest}");
            }
            other => {
                let names = META_COMMANDS.iter().map(|(m, _)| *m);
                let d = Diagnostic::usage(format!("unknown REPL command '{other}'"));
                return Err(match flowq::diag::did_you_mean(other, names) {
                    Some(s) => d.help(format!("did you mean '{s}'?")),
                    None => d.help(":help lists them"),
                });
            }
        }
        Ok(true)
    }

    /// `:fields`: every loaded field, its type and how many records hold a value.
    fn fields(&self) {
        let t = &self.session.records;
        let mut names = flowq::store::ColumnBuilder::new(t.fields.len());
        let mut types = flowq::store::ColumnBuilder::new(t.fields.len());
        let mut counts = flowq::store::ColumnBuilder::new(t.fields.len());
        for (i, f) in t.fields.iter().enumerate() {
            let c = t.column(i);
            let present = c.valid.as_ref().map_or(c.len(), |b| b.count_set());
            if present == 0 {
                continue;
            }
            names.push(flowq::store::Value::Str(f.name.clone().into()));
            types.push(flowq::store::Value::Str(f.dtype.name().into()));
            counts.push(flowq::store::Value::Int(present as i64));
        }
        let (names, types, counts) = (names.finish(), types.finish(), counts.finish());
        let mut out = flowq::store::Table::new(names.len());
        out.push("Field", names);
        out.push("Type", types);
        out.push("Records", counts);
        let _ = output::write(&out, Format::Table, self.style(), &mut std::io::stdout().lock());
    }
}
