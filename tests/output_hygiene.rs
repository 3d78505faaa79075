//! Nothing from the data or the query reaches a terminal raw: tables, CSV and JSON on a
//! terminal, every message on standard error, and the charts escape control and
//! text-reordering characters; files and pipes get the exact bytes; `--csv-guard`
//! keeps spreadsheets from running cells as formulas.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{run, scratch, write};
use flowq::output::{self, Format, TableStyle};
use flowq::session::Session;

/// A record whose Action holds an escape sequence, a C1 control and a bidi override.
const HOSTILE: &str =
    "2 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 1600000060 \x1b]0;owned\x07\u{9b}31m\u{202e}txt.exe OK\n";

/// Whether `s` holds a character a terminal would act on.
fn raw(s: &str) -> bool {
    s.chars().any(|c| (c.is_control() && c != '\n') || flowq::escape::is_bidi_control(c))
}

fn style(terminal: bool) -> TableStyle {
    TableStyle { color: false, max_rows: None, width: None, terminal, csv_guard: false }
}

#[test]
fn csv_and_json_on_a_terminal_are_escaped_and_exact_elsewhere() {
    let s = Session::from_text("hostile.log", HOSTILE.as_bytes()).unwrap();
    let t = s.run("* | fields Action").unwrap().table;
    for format in [Format::Table, Format::Csv, Format::Json, Format::Ndjson] {
        let mut shown = Vec::new();
        output::write(&t, format, style(true), &mut shown).unwrap();
        let shown = String::from_utf8(shown).unwrap();
        assert!(!raw(&shown), "{format:?} on a terminal: {shown:?}");
        assert!(shown.contains("]0;owned"), "{format:?}: {shown:?}");
    }
    let mut exact = Vec::new();
    output::write(&t, Format::Csv, style(false), &mut exact).unwrap();
    assert!(String::from_utf8(exact).unwrap().contains("\x1b]0;owned\x07\u{9b}31m\u{202e}txt.exe"));
}

#[test]
fn messages_on_stderr_are_escaped() {
    let dir = scratch("hygiene-stderr");
    // A skipped line, a first line and a query, all holding escapes.
    let log = write(&dir, "bad.log", &format!("{HOSTILE}2 \x1b[2J 10.0.0.2 1 2 6 1 1 1 1 ACCEPT OK\n"));
    let (code, _, err) = run(&["run", "-i", log.to_str().unwrap(), "-c", "* | stats count"]);
    assert_eq!(code, 0);
    assert!(err.contains("\\x1b[2J") && !raw(&err), "{err:?}");
    let junk = write(&dir, "junk.log", "\x1b[31mnot a flow log\u{202e}\n");
    let (code, _, err) = run(&["run", "-i", junk.to_str().unwrap(), "-c", "* | stats count"]);
    assert_eq!(code, 1);
    assert!(err.contains("first line: \\x1b[31m") && !raw(&err), "{err:?}");
    let (code, _, err) = run(&["run", "-i", log.to_str().unwrap(), "-c", "* | eval x = 'a\x1b[5mb' | bogus"]);
    assert_eq!(code, 2);
    assert!(err.contains("'a\\x1b[5mb'") && !raw(&err), "{err:?}");
}

#[test]
fn a_long_query_line_is_shown_around_the_caret() {
    let q = format!("* | where {}", vec!["Packets = 1"; 3000].join(" or "));
    let (code, _, err) = run(&["run", "-c", &q]);
    assert_eq!(code, 2);
    assert!(err.lines().all(|l| l.chars().count() < 400), "{err}");
    assert!(err.contains('…') && err.contains('^'), "{err}");
}

#[test]
fn csv_guard_defuses_formulas_for_spreadsheets() {
    let dir = scratch("hygiene-csv-guard");
    let log = write(&dir, "f.log", "2 10.0.0.1 10.0.0.2 1 2 6 1 1 1600000000 1600000060 =HYPERLINK(x) OK\n");
    let q = "* | eval Bytes = -5, Note = '+1 call' | fields Action, Note, Bytes";
    let (_, plain, _) = run(&["run", "-i", log.to_str().unwrap(), "-f", "csv", "-c", q]);
    assert_eq!(plain, "Action,Note,Bytes\n=HYPERLINK(x),+1 call,-5\n");
    let (_, guarded, _) = run(&["run", "-i", log.to_str().unwrap(), "-f", "csv", "--csv-guard", "-c", q]);
    // Text is defused; numbers stay numbers.
    assert_eq!(guarded, "Action,Note,Bytes\n'=HYPERLINK(x),'+1 call,-5\n");
}

#[test]
fn charts_hold_no_control_characters() {
    let dir = scratch("hygiene-chart");
    let log = write(&dir, "c.log", HOSTILE);
    for ext in ["svg", "html"] {
        let chart = dir.join(format!("c.{ext}"));
        let q = "* | timestats span=1hour count by Action";
        let (code, _, err) =
            run(&["run", "-i", log.to_str().unwrap(), "-c", q, "-o", "/dev/null", "--chart", chart.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        let text = std::fs::read_to_string(&chart).unwrap();
        assert!(!raw(&text.replace(['\t', '\r'], "")), "{ext}");
        assert!(text.contains("\\x1b]0;owned"), "{ext}");
    }
}

#[test]
fn url_cells_are_hyperlinks_only_in_colour_and_hostile_links_stay_text() {
    let s = Session::from_text("hostile.log", HOSTILE.as_bytes()).unwrap();
    let q = "* | eval Link = url(concat('https://ipinfo.io/', 'Source IP'), 'Source IP') | fields Link";
    let t = s.run(q).unwrap().table;
    let mut coloured = Vec::new();
    let colour = TableStyle { color: true, ..style(true) };
    output::write(&t, Format::Table, colour, &mut coloured).unwrap();
    let coloured = String::from_utf8(coloured).unwrap();
    assert!(coloured.contains("\x1b]8;;https://ipinfo.io/10.0.0.1\x1b\\10.0.0.1\x1b]8;;\x1b\\"), "{coloured:?}");
    let mut plain = Vec::new();
    output::write(&t, Format::Table, style(true), &mut plain).unwrap();
    let plain = String::from_utf8(plain).unwrap();
    assert!(plain.contains("[10.0.0.1](https://ipinfo.io/10.0.0.1)") && !raw(&plain), "{plain:?}");
    // A link holding control characters is shown escaped, never as a live sequence.
    let t = s.run("* | eval Link = url(concat('https://x/', Action), 'go') | fields Link").unwrap().table;
    let mut shown = Vec::new();
    output::write(&t, Format::Table, colour, &mut shown).unwrap();
    let shown = String::from_utf8(shown).unwrap();
    assert!(!shown.contains("\x1b]8;;") && !shown.contains("\x07"), "{shown:?}");
}
