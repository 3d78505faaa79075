//! Query cases as data (`tests/cases/*.case`), as DataFusion's `.slt` files and PRQL's
//! snapshots keep them: each case is a query over the nine example records and what it
//! must give: a CSV result (and its warnings), or the rendered diagnostic with its exit
//! code.
//!
//! ```text
//! # What the case shows (comment lines are kept when blessing).
//! query [rowsort]          (or: error)
//! * | stats count by Action
//! ----
//! Action,Count
//! ...
//! ====
//! ```
//!
//! `rowsort` compares the rows in sorted order (for results whose order the language
//! leaves open). `FLOWQ_BLESS=1 cargo test --test cases` writes what flowq gives into
//! the files (review the diff). `known-poor.case` holds diagnostics known to be poor,
//! kept on purpose so that improving one shows up as a change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::fixture::session;
use flowq::diag::{render, Source};

/// One case of a file.
struct Case {
    /// The comment lines before the case.
    preamble: Vec<String>,
    expect_error: bool,
    rowsort: bool,
    query: String,
    expected: String,
    /// Where the case starts (1-based), for messages.
    line: usize,
}

fn parse(path: &Path, text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    let mut preamble = Vec::new();
    while let Some((n, line)) = lines.next() {
        let header = line.split_whitespace().collect::<Vec<_>>();
        match header.first() {
            Some(&"query") | Some(&"error") => {
                let mut query = Vec::new();
                for (_, l) in lines.by_ref() {
                    if l == "----" {
                        break;
                    }
                    query.push(l);
                }
                let mut expected = String::new();
                let mut closed = false;
                for (_, l) in lines.by_ref() {
                    if l == "====" {
                        closed = true;
                        break;
                    }
                    expected.push_str(l);
                    expected.push('\n');
                }
                assert!(closed, "{}:{}: the case has no closing ====", path.display(), n + 1);
                cases.push(Case {
                    preamble: std::mem::take(&mut preamble),
                    expect_error: header[0] == "error",
                    rowsort: header.contains(&"rowsort"),
                    query: query.join("\n"),
                    expected,
                    line: n + 1,
                });
            }
            _ if line.trim().is_empty() || line.starts_with('#') => preamble.push(line.to_string()),
            _ => panic!("{}:{}: expected a comment, 'query' or 'error', found {line:?}", path.display(), n + 1),
        }
    }
    assert!(preamble.iter().all(|l| l.trim().is_empty()), "{}: text after the last case", path.display());
    cases
}

/// What flowq gives for a case, in the form of its expected block, and whether it failed.
fn actual(case: &Case) -> (String, bool) {
    let text = match session().run(&case.query) {
        Ok(out) => {
            let mut buf = Vec::new();
            flowq::output::csv::write(&out.table, false, &mut buf).unwrap();
            let mut text = String::from_utf8(buf).unwrap();
            if case.rowsort {
                let mut lines: Vec<&str> = text.lines().collect();
                lines[1..].sort_unstable();
                text = lines.iter().map(|l| format!("{l}\n")).collect();
            }
            // Warnings come after the rows, rendered as the console shows them.
            let source = Source { name: "query", text: &case.query };
            for w in &out.warnings {
                text.push_str(&render(w, Some(&source), false));
            }
            text
        }
        Err(failure) => {
            let source = Source { name: "query", text: &case.query };
            let mut out = render(&failure.error, Some(&source), false);
            let _ = writeln!(out, "(exit {})", failure.error.exit_code());
            return (out, true);
        }
    };
    (text, false)
}

/// The lines of `want` and `got` side by side where they differ.
fn diff(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut out = String::new();
    for i in 0..w.len().max(g.len()) {
        match (w.get(i), g.get(i)) {
            (Some(a), Some(b)) if a == b => {
                let _ = writeln!(out, "   {a}");
            }
            (a, b) => {
                if let Some(a) = a {
                    let _ = writeln!(out, " - {a}");
                }
                if let Some(b) = b {
                    let _ = writeln!(out, " + {b}");
                }
            }
        }
    }
    out
}

fn write_back(cases: &[(Case, String, bool)], path: &Path) {
    let mut text = String::new();
    for (case, got, failed) in cases {
        for l in &case.preamble {
            text.push_str(l);
            text.push('\n');
        }
        let header = match (failed, case.rowsort) {
            (true, _) => "error",
            (false, true) => "query rowsort",
            (false, false) => "query",
        };
        let _ = write!(text, "{header}\n{}\n----\n{got}====\n", case.query);
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn every_case_gives_its_expected_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let bless = std::env::var_os("FLOWQ_BLESS").is_some();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "case"));
    files.sort();
    assert!(files.len() >= 2, "no case files in {}", dir.display());
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let cases = parse(&path, &text);
        let mut results = Vec::new();
        for case in cases {
            let (got, failed) = actual(&case);
            ran += 1;
            if got != case.expected || failed != case.expect_error {
                let kind = if case.expect_error { "an error" } else { "a result" };
                failures.push(format!(
                    "{}:{}: {}\n(expected {kind}; - expected, + got)\n{}",
                    path.display(),
                    case.line,
                    case.query,
                    diff(&case.expected, &got)
                ));
            }
            results.push((case, got, failed));
        }
        if bless {
            write_back(&results, &path);
        }
    }
    assert!(ran > 0);
    assert!(
        failures.is_empty() || bless,
        "{} of {ran} cases differ (FLOWQ_BLESS=1 cargo test --test cases rewrites them):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
