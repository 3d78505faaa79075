//! The REPL driven in a real pseudo-terminal: a query and its table, Tab completion of
//! a quoted field, a query over two lines, history recalled in a second session,
//! Ctrl-C stopping a long query, `:help` and `:fields`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{scratch, write};
use rexpect::session::{spawn_command, PtySession};

const PROMPT: &str = "flowq> ";

fn start(data: Option<&Path>, history: &Path) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flowq"));
    // Bare `flowq` on a terminal is the console over the demo data.
    if let Some(d) = data {
        cmd.args(["repl", "-i", d.to_str().unwrap()]);
    }
    cmd.env("FLOWQ_HISTORY", history).env("NO_COLOR", "1").env("TERM", "xterm").env("COLUMNS", "120");
    let mut p = spawn_command(cmd, Some(60_000)).expect("the REPL starts");
    p.exp_string(PROMPT).expect("a prompt");
    p
}

fn fixture(dir: &Path) -> std::path::PathBuf {
    write(dir, "f.log", common::fixture::FIXTURE)
}

#[test]
fn a_query_and_its_table_then_help_and_fields() {
    let dir = scratch("repl-basic");
    let data = fixture(&dir);
    let mut p = start(Some(&data), &dir.join("history"));
    p.send_line("* | stats count by Action").unwrap();
    p.exp_string("ACCEPT").unwrap();
    p.exp_string("4 rows").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":help timestats").unwrap();
    p.exp_string("timestats (command)").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":fields").unwrap();
    p.exp_string("Destination Port").unwrap();
    p.exp_string("integer").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":help").unwrap();
    p.exp_string(":lookup").unwrap();
    p.exp_string(PROMPT).unwrap();
    // A mistake is an error pointing into the query; the REPL goes on.
    p.send_line("* | stats count by Acton").unwrap();
    p.exp_string("did you mean 'Action'?").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn tab_completes_a_quoted_field_and_queries_span_lines() {
    let dir = scratch("repl-complete");
    let data = fixture(&dir);
    let mut p = start(Some(&data), &dir.join("history"));
    p.send("* | stats count by 'Destination P").unwrap();
    p.send("\t").unwrap();
    p.send_line("").unwrap();
    p.exp_string("Destination Port  Count").unwrap();
    p.exp_string(PROMPT).unwrap();
    // An open pipe goes on to the next line.
    p.send_line("Action = reject |").unwrap();
    p.send_line("stats count as Rejected").unwrap();
    p.exp_string("Rejected").unwrap();
    p.exp_string("1 row").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn history_is_kept_across_sessions() {
    let dir = scratch("repl-history");
    let data = fixture(&dir);
    let history = dir.join("history");
    let mut p = start(Some(&data), &history);
    p.send_line("* | stats sum(Packets) as TotalPackets").unwrap();
    p.exp_string("84").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
    assert!(std::fs::read_to_string(&history).unwrap().contains("TotalPackets"));

    let mut p = start(Some(&data), &history);
    // Up arrow, then Enter: the query of the first session again.
    p.send("\x1b[A").unwrap();
    p.send_line("").unwrap();
    p.exp_string("TotalPackets").unwrap();
    p.exp_string("84").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn ctrl_c_stops_a_long_query_not_the_repl() {
    let dir = scratch("repl-cancel");
    let mut p = start(None, &dir.join("history"));
    let slow: String = (0..40).map(|i| format!(" | eval h{i} = sha256(concat(Time, {i}))")).collect();
    p.send_line(&format!("*{slow} | stats count")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    p.send_control('c').unwrap();
    p.exp_string("query interrupted").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("* | stats count").unwrap();
    p.exp_string("700000").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn a_failed_load_or_a_failing_query_keeps_the_session_and_its_tables() {
    let dir = scratch("repl-keep");
    let data = fixture(&dir);
    let table = write(&dir, "servers.csv", "IP,Name\n10.0.0.6,db\n");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flowq"));
    cmd.args(["repl", "-i", data.to_str().unwrap(), "--lookup", &format!("servers={}", table.display())]);
    cmd.env("FLOWQ_HISTORY", dir.join("history")).env("NO_COLOR", "1").env("TERM", "xterm").env("COLUMNS", "120");
    let mut p = spawn_command(cmd, Some(60_000)).expect("the REPL starts");
    p.exp_string(PROMPT).unwrap();
    // Each step waits for its own answer before the next line is sent: the prompt is
    // also redrawn while a line is typed, and a line typed before the console reads
    // again can be discarded when it sets the terminal back up.
    p.send_line(":load /no/such/flows.log").unwrap();
    p.exp_string("no such file").unwrap();
    p.exp_string(PROMPT).unwrap();
    // Whatever this query does (an error, or a bug caught), the session goes on.
    p.send_line("* | timestats span=4611686018427387904y count").unwrap();
    p.exp_string("is not a time span").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line("* | lookup table=servers select Name using 'Destination IP' = IP | where Name = db | stats count")
        .unwrap();
    p.exp_string("Count").unwrap();
    p.exp_string("2").unwrap();
    p.exp_string(PROMPT).unwrap();
    p.send_line(":quit").unwrap();
    p.exp_eof().unwrap();
}
