//! The command line, run as a user would: exit codes, messages, formats, files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{run, scratch, write};

/// OCI VCN text lines: Oracle's 2020 samples (ALLOW), an ACCEPT, a NODATA, and IPv6.
const SAMPLE: &str = "\
2 172.16.2.139 172.16.1.107 73 89 11 102 349 1557424462 1557424510 ALLOW OK
2 172.16.2.145 172.16.2.179 82 64 13 112 441 1557424462 1557424486 REJECT OK
2 123.0.0.1 10.0.99.4 443 36266 6 250 17114 1598917969 1598917970 ACCEPT OK
2 - - - - - - - 1598917969 1598917970 - NODATA
2 2001:db8::5 2001:db8::99 443 50000 6 3 900 1598917980 1598917990 ACCEPT OK
";

#[test]
fn check_suggests_the_field_with_a_caret() {
    let dir = scratch("check");
    let q = write(&dir, "typo.q", "* | link 'Sorce IP', 'Destination IP'\n");
    let (code, _, err) = run(&["check", q.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("error: unknown field 'Sorce IP'"), "{err}");
    assert!(err.contains("typo.q:1:10"), "{err}");
    assert!(err.contains("1 | * | link 'Sorce IP', 'Destination IP'"), "{err}");
    assert!(err.contains("  |          ^^^^^^^^^^"), "{err}");
    assert!(err.contains("did you mean 'Source IP'?"), "{err}");

    let ok = write(&dir, "ok.q", "Action = reject | stats count by 'Destination Port'\n");
    let (code, _, err) = run(&["check", ok.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    let syntax = write(&dir, "syntax.q", "* | stats count by\n");
    let (code, _, err) = run(&["check", syntax.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("syntax.q:2:1") || err.contains("syntax.q:1:19"), "{err}");
    assert!(err.contains("expected"), "{err}");
}

#[test]
fn check_reads_the_queries_of_a_saved_search_export() {
    let dir = scratch("saved-search");
    let export = write(
        &dir,
        "dashboard.json",
        r#"{"dashboards": [{"savedSearches": [
            {"display-name": "Talkers", "ui-config": {"queryString": "'Log Source' = 'OCI VCN Flow Logs'\n| link 'Source IP'\n| stats sum('Content Size Out') as Bytes"}},
            {"displayName": "Typo", "uiConfig": {"queryString": "* | stats count by Acton"}}]}]}"#,
    );
    let (code, _, err) = run(&["check", "--saved-search", export.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("dashboard.json (Talkers): ok"), "{err}");
    assert!(err.contains("dashboard.json (Typo):1:20"), "{err}");
    assert!(err.contains("did you mean 'Action'?"), "{err}");
    let not_json = write(&dir, "bad.json", "{ nope");
    let (code, _, err) = run(&["check", "--saved-search", not_json.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.json: not JSON"), "{err}");
}

#[test]
fn check_warns_about_a_compared_non_field() {
    let dir = scratch("warn");
    let q = write(&dir, "w.q", "Acton = reject\n");
    let (code, _, err) = run(&["check", q.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(err.contains("warning: 'Acton' is not a field; it is compared as text"), "{err}");
    assert!(err.contains("did you mean 'Action'?"), "{err}");
    let (code, _, _) = run(&["check", "--deny-warnings", q.to_str().unwrap()]);
    assert_eq!(code, 2);
}

#[test]
fn formats_render_times_nulls_and_numbers() {
    let dir = scratch("formats");
    let log = write(&dir, "s.log", SAMPLE);
    let log = log.to_str().unwrap();
    let q = "* | sort Time, 'Source IP' | fields Time, 'Source IP', 'Source Port', Action, 'Protocol Name'";
    let (code, out, err) = run(&["run", "-i", log, "-c", q, "-f", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "Time,Source IP,Source Port,Action,Protocol Name\n\
         2019-05-09T17:54:22Z,172.16.2.139,73,ALLOW,NVP-II\n\
         2019-05-09T17:54:22Z,172.16.2.145,82,REJECT,ARGUS\n\
         2020-08-31T23:52:49Z,123.0.0.1,443,ACCEPT,TCP\n\
         2020-08-31T23:52:49Z,,,,\n\
         2020-08-31T23:53:00Z,2001:db8::5,443,ACCEPT,TCP\n"
    );
    let (_, out, _) = run(&["run", "-i", log, "-c", q, "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 5);
    assert_eq!(v[0]["Time"], "2019-05-09T17:54:22Z");
    assert_eq!(v[0]["Source Port"], 73);
    assert_eq!(v[3]["Source IP"], serde_json::Value::Null);
    let (_, out, _) = run(&["run", "-i", log, "-c", q, "-f", "ndjson"]);
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4]["Source IP"], "2001:db8::5");
    let (_, out, _) = run(&["run", "-i", log, "-c", "* | link 'Source IP' | sort 'Source IP' | head 1", "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["Group Duration"], 0);
    let (_, out, _) = run(&["run", "-i", log, "-c", "* | where false", "-f", "json"]);
    assert_eq!(out, "[]\n");
}

#[test]
fn table_output_is_aligned_with_a_row_count() {
    let dir = scratch("table");
    let log = write(&dir, "s.log", SAMPLE);
    let (code, out, _) = run(&["run", "-i", log.to_str().unwrap(), "-c", "* | stats count by Status"]);
    assert_eq!(code, 0);
    assert_eq!(out, "Status  Count\n──────  ─────\nNODATA      1\nOK          4\n2 rows\n");
    let (_, out, _) = run(&["run", "-i", log.to_str().unwrap(), "-c", "*", "--max-rows", "2"]);
    assert!(out.ends_with("... 3 more rows (use --format csv or head)\n"), "{out}");
}

#[test]
fn queries_run_in_command_line_order_and_errors_set_the_exit_code() {
    let dir = scratch("order");
    let log = write(&dir, "s.log", SAMPLE);
    let q = write(&dir, "count.q", "* | stats count as FromFile\n");
    let (code, out, err) = run(&[
        "run",
        "-i",
        log.to_str().unwrap(),
        "-c",
        "* | stats count as First",
        q.to_str().unwrap(),
        "-c",
        "* | stats count as Third",
        "-c",
        "* | bogus",
        "-f",
        "csv",
    ]);
    assert_eq!(code, 2, "{err}");
    let a = out.find("First").unwrap();
    let b = out.find("FromFile").unwrap();
    let c = out.find("Third").unwrap();
    assert!(a < b && b < c, "{out}");
    assert!(err.contains("unknown command 'bogus'"), "{err}");
}

#[test]
fn output_file_and_timing() {
    let dir = scratch("output");
    let log = write(&dir, "s.log", SAMPLE);
    let target = dir.join("out.csv");
    let (code, out, err) = run(&[
        "run",
        "-i",
        log.to_str().unwrap(),
        "-c",
        "* | stats count",
        "-f",
        "csv",
        "-o",
        target.to_str().unwrap(),
        "--timing",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "Count\n5\n");
    assert!(err.contains("load: ") && err.contains("(5 records, "), "{err}");
    assert!(err.contains("query 1: ") && err.contains("(1 rows)"), "{err}");
}

#[test]
fn bad_inputs_are_named_and_fail() {
    let dir = scratch("bad");
    let (code, _, err) = run(&["run", "-i", dir.join("missing.log").to_str().unwrap(), "-c", "*"]);
    assert_eq!(code, 1);
    assert!(err.contains("missing.log") && err.contains("no such file"), "{err}");

    let json = write(&dir, "x.json", "{\"hello\": \"world\"}\n");
    let (code, _, err) = run(&["run", "-i", json.to_str().unwrap(), "-c", "*"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot read") && err.contains("x.json") && err.contains("first line: {\"hello\": \"world\"}"),
        "{err}"
    );

    let mixed = write(
        &dir,
        "m.log",
        &format!("{SAMPLE}2 1.2.3.4 5.6.7.8 1 2 6 1\n2 1.2.3.4 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK\n"),
    );
    let (code, out, err) = run(&["run", "-i", mixed.to_str().unwrap(), "-c", "* | stats count", "-f", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(out, "Count\n6\n");
    assert!(
        err.contains("skipped 1 malformed line in") && err.contains("line 6 (expected 12 fields, found 7)"),
        "{err}"
    );
    let (code, _, err) = run(&["run", "--strict", "-i", mixed.to_str().unwrap(), "-c", "*"]);
    assert_eq!(code, 1);
    assert!(err.contains("m.log:6: malformed line"), "{err}");

    let (code, _, err) = run(&["run", "-i", mixed.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("no query to run"), "{err}");
    let (code, _, _) = run(&["run", "--format", "xml", "-c", "*"]);
    assert_eq!(code, 2);
    let (code, _, err) = run(&["run", "-c", "*", dir.join("nope.q").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read query file"), "{err}");
}

#[test]
fn standard_input_is_read_with_a_dash() {
    use std::io::Write;
    let mut child = common::flowq()
        .args(["run", "-i", "-", "-c", "* | stats count by Status", "-f", "csv"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(SAMPLE.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Status,Count\nNODATA,1\nOK,4\n");
}

#[test]
fn mapped_and_read_files_answer_alike() {
    // 20,000 records (1.5 MB) is over the size from which files are mapped.
    let dir = scratch("mmap");
    let log = dir.join("flows.log");
    let (code, _, err) = run(&["gen", "--records", "20000", "-o", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::metadata(&log).unwrap().len() > 1 << 20);
    let q = "* | stats count, sum('Content Size Out') as B by Action, 'Destination Port' | sort -B | head 5";
    let (code, mapped, err) = run(&["run", "-i", log.to_str().unwrap(), "-f", "csv", "-c", q]);
    assert_eq!(code, 0, "{err}");
    let (code, read, err) = run(&["run", "--no-mmap", "-i", log.to_str().unwrap(), "-f", "csv", "-c", q]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(mapped, read);
    assert_eq!(mapped.lines().count(), 6);
    let (_, total, _) = run(&["run", "-i", log.to_str().unwrap(), "-f", "csv", "-c", "* | stats count"]);
    assert_eq!(total, "Count\n20000\n");
}

#[test]
fn gen_is_deterministic_and_sized() {
    let dir = scratch("gen");
    let a = dir.join("a.log");
    let (code, _, err) = run(&["gen", "--records", "2500", "--seed", "3", "-o", a.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("wrote 2500 records"), "{err}");
    let (_, b, _) = run(&["gen", "--records", "2500", "--seed", "3"]);
    let a = std::fs::read_to_string(&a).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.lines().count(), 2500);
    let (_, c, _) = run(&["gen", "--records", "2500", "--seed", "4"]);
    assert_ne!(a, c);
    let (code, _, err) = run(&["gen", "--start", "June"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a date"), "{err}");
}

#[test]
fn gen_shapes_are_read_back_whole() {
    let dir = scratch("gen-shapes");
    let (_, plain, _) = run(&["gen", "--records", "2000"]);
    let (_, default, _) = run(&["gen", "--records", "2000", "--shape", "default"]);
    assert_eq!(plain, default, "the default shape is what gen always wrote");
    for (shape, query, expected) in [
        // Half the addresses IPv6, every one read (no line skipped).
        ("ipv6", "* | stats count, distinctcount('Source IP') as S", "Count,S\n2000,"),
        // Almost every record its own group by 4-tuple.
        ("near-unique", "* | link 'Source IP', 'Source Port', 'Destination IP', 'Destination Port' | stats count as n | eventstats count as Groups | head 1 | fields Groups", "Groups\n19"),
    ] {
        let file = dir.join(format!("{shape}.log"));
        let (code, _, err) = run(&["gen", "--records", "2000", "--shape", shape, "-o", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        let (code, out, err) = run(&["run", "-i", file.to_str().unwrap(), "-f", "csv", "-c", query]);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with(expected), "{shape}: {out}");
        assert!(!err.contains("skipped"), "{shape}: {err}");
    }
    let (_, v6, _) = run(&["gen", "--records", "2000", "--shape", "ipv6"]);
    assert!(v6.contains(" 2001:db8:") && v6.contains(" fd00::"), "IPv6 outside and inside");
    let (code, _, err) = run(&["gen", "--shape", "square"]);
    assert_eq!(code, 2);
    assert!(err.contains("near-unique"), "the shapes are listed: {err}");
}

#[test]
fn demo_data_is_used_without_inputs() {
    let (code, out, err) = run(&["run", "-c", "* | stats count, distinctcount(Action) as Actions", "-f", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "Count,Actions\n700000,2\n");
    let (code, out, _) = run(&["run", "-c", "'Content Size Out' > 50000000 | stats count as Planted", "-f", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(out, "Planted\n2\n");
}

#[test]
fn help_lists_the_commands() {
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for c in ["run", "check", "gen"] {
        assert!(out.contains(c), "{out}");
    }
    let (code, out, _) = run(&["run", "--help"]);
    assert_eq!(code, 0);
    for o in ["--input", "--command", "--format", "--output", "--strict", "--timing"] {
        assert!(out.contains(o), "{out}");
    }
}

#[test]
fn time_window_keeps_from_inclusive_to_exclusive() {
    let dir = scratch("window");
    let log = write(&dir, "s.log", SAMPLE);
    let log = log.to_str().unwrap();
    let count = |extra: &[&str]| {
        let mut args = vec!["run", "-i", log, "-f", "csv", "-c", "* | stats count"];
        args.extend_from_slice(extra);
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        (out.lines().nth(1).unwrap().to_string(), err)
    };
    assert_eq!(count(&[]).0, "5");
    assert_eq!(count(&["--from", "2020-01-01"]).0, "3");
    assert_eq!(count(&["--to", "2020-08-31T23:52:49Z"]).0, "2");
    assert_eq!(count(&["--from", "2020-08-31T23:52:49Z", "--to", "2020-08-31T23:53:00Z"]).0, "2");
    // Relative to now: these records are years old.
    let (n, err) = count(&["--from", "-7d"]);
    assert_eq!(n, "0");
    assert!(err.contains("warning: no record is in the time window"), "{err}");
    assert!(err.contains("the 5 records span 2019-05-09T17:54:22Z to 2020-08-31T23:53:00Z"), "{err}");
    let (code, _, err) = run(&["run", "-i", log, "-c", "*", "--from", "last tuesday"]);
    assert_eq!(code, 2);
    assert!(err.contains("--from: 'last tuesday' is not a time"), "{err}");
    let (code, _, err) = run(&["run", "-i", log, "-c", "*", "--from", "2021-01-01", "--to", "2020-01-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("the time window is empty"), "{err}");
}

#[test]
fn parameters_fill_placeholders() {
    let dir = scratch("params");
    let log = write(&dir, "s.log", SAMPLE);
    let log = log.to_str().unwrap();
    let q = write(
        &dir,
        "p.q",
        "# Records to a port.\n# @param port: int\n# @param action = 'accept'\n\
         Action = $action and 'Destination Port' = $port | stats count\n",
    );
    let q = q.to_str().unwrap();
    let (code, out, err) = run(&["run", "-i", log, "-f", "csv", q, "--param", "port=36266"]);
    assert_eq!((code, out.as_str()), (0, "Count\n1\n"), "{err}");
    let (code, out, _) = run(&["run", "-i", log, "-f", "csv", q, "--param", "port=50000", "--param", "action=accept"]);
    assert_eq!((code, out.as_str()), (0, "Count\n1\n"));
    let (code, _, err) = run(&["run", "-i", log, q]);
    assert_eq!(code, 2);
    assert!(err.contains("the parameter $port has no value"), "{err}");
    assert!(err.contains("--param port=<an integer>"), "{err}");
    let (code, _, err) = run(&["run", "-i", log, q, "--param", "port=https"]);
    assert_eq!(code, 2);
    assert!(err.contains("--param port=https: 'port' is an integer"), "{err}");
    let (code, _, err) = run(&["run", "-i", log, q, "--param", "prt=1"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean 'port'?"), "{err}");
    // -c queries declare nothing: values fill the placeholders as they read.
    let (code, out, err) = run(&[
        "run",
        "-i",
        log,
        "-f",
        "csv",
        "-c",
        "Action = $a | head $n | fields Action",
        "--param",
        "a=REJECT",
        "--param",
        "n=1",
    ]);
    assert_eq!((code, out.as_str()), (0, "Action\nREJECT\n"), "{err}");
    let (code, _, err) = run(&["check", q]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&["check", q, "--param", "port=22"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn explain_shows_pipeline_plan_and_counts() {
    let dir = scratch("explain");
    let log = write(&dir, "s.log", SAMPLE);
    let log = log.to_str().unwrap();
    let (code, out, err) =
        run(&["explain", "-i", log, "-c", "Action = accept | stats count by 'Source IP' | sort -Count | head 1"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("  0  search clause  Action = accept"), "{out}");
    assert!(out.contains("  1  stats          stats count by 'Source IP'"), "{out}");
    let step =
        |what: &str| out.lines().find(|l| l.contains(what)).unwrap_or_else(|| panic!("{what}: {out}")).to_string();
    // The last columns: rows in, rows out, time ("0.1 ms").
    let counts = |line: String| -> Vec<String> {
        let w: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        w[w.len() - 4..w.len() - 2].to_vec()
    };
    assert_eq!(counts(step("filter Action = 'accept'")), ["5", "2"]);
    // The steps are what ran: stats by one key in per-key slots, sort | head as top-n.
    assert_eq!(counts(step("group count as 'Count' by 'Source IP' (one slot per key value)")), ["2", "2"]);
    assert_eq!(counts(step("top 1: sort -Count, only the first 1 put in order")), ["2", "1"]);
    assert!(step("top 1:").split_whitespace().nth(1) == Some("2-3"), "{out}");
    assert!(out.contains("result: 1 rows; Source IP (ip), Count (integer)"), "{out}");
    // run --explain writes the same to stderr beside the answer.
    let (code, out, err) = run(&["run", "-i", log, "-f", "csv", "--explain", "-c", "* | stats count"]);
    assert_eq!((code, out.as_str()), (0, "Count\n5\n"));
    assert!(err.contains("group count as 'Count'"), "{err}");
    let (code, _, err) = run(&["explain", "-i", log, "-c", "* | stats count by Acton"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown field 'Acton'"), "{err}");
}

#[test]
fn reference_prints_the_registry() {
    let (code, out, _) = run(&["reference"]);
    assert_eq!(code, 0);
    for name in ["timestats", "addfields", "extractfirst", "pct", "trend"] {
        assert!(out.lines().any(|l| l.trim_start().starts_with(name)), "{name}: {out}");
    }
    let (code, out, _) = run(&["reference", "bucket"]);
    assert_eq!(code, 0);
    assert!(out.contains("bucket [span=<n>] [maxbuckets=<n>] <field>"), "{out}");
    let (code, out, _) = run(&["reference", "--markdown"]);
    assert_eq!(code, 0);
    assert_eq!(out, flowq::reference::markdown());
    let (code, _, err) = run(&["reference", "tmestats"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean 'timestats'?"), "{err}");
}

#[test]
fn units_show_humanised_in_tables_only() {
    let dir = scratch("units");
    let log = write(&dir, "s.log", SAMPLE);
    let log = log.to_str().unwrap();
    let q = "* | stats sum('Content Size Out') as Bytes | eval Bytes = unit(Bytes, byte), Took = unit(90, sec)";
    let (code, out, err) = run(&["run", "-i", log, "-c", q]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("18.8 KB  1m 30s"), "{out}");
    let (code, out, _) = run(&["run", "-i", log, "-f", "csv", "-c", q]);
    assert_eq!((code, out.as_str()), (0, "Bytes,Took\n18804,90\n"));
    // The unit follows the column through link and stats.
    let q = "* | eval B = unit('Content Size Out', kb) | link Action | stats max(B) as Most | sort -Most | head 1 | fields Most";
    let (_, out, _) = run(&["run", "-i", log, "-c", q]);
    assert!(out.contains("17.1 MB"), "{out}");
    // Oracle's unit(x, pct): the number with a percent sign.
    let q = "* | stats count as N | eval Share = unit(N * 100 / 7, pct) | fields Share";
    let (_, out, _) = run(&["run", "-i", log, "-c", q]);
    assert!(out.contains("71.43%"), "{out}");
}

#[test]
fn highlighted_rows_are_coloured_in_tables_only() {
    let dir = scratch("highlight");
    let log = write(&dir, "s.log", SAMPLE);
    let log = log.to_str().unwrap();
    let q = "* | stats count by Action | highlightrows color=red [ Action = reject ]";
    let (code, out, err) = run(&["run", "-i", log, "--color", "always", "-c", q]);
    assert_eq!(code, 0, "{err}");
    let reject = out.lines().find(|l| l.contains("REJECT")).unwrap();
    assert!(reject.starts_with("\x1b[31m") && reject.ends_with("\x1b[39m"), "{reject:?}");
    let accept = out.lines().find(|l| l.contains("ACCEPT")).unwrap();
    assert!(!accept.contains('\x1b'), "{accept:?}");
    let (_, out, _) = run(&["run", "-i", log, "-f", "csv", "-c", q]);
    assert!(out.contains("REJECT,1,red\n"), "{out}");
    assert!(!out.contains('\x1b'));
}

#[test]
fn run_reads_queries_from_stdin() {
    use std::io::Write;
    let dir = scratch("stdin-queries");
    let log = write(&dir, "s.log", SAMPLE);
    let mut child = common::flowq()
        .args(["run", "-i", log.to_str().unwrap(), "-f", "csv", "-"])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"* | stats count;\n# a comment\nAction = reject\n| stats count by Acton\n\n* | sort Time | head 1 | fields Action\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stdout, "Count\n5\n\nAction\nALLOW\n");
    assert!(stderr.contains("--> stdin #2:3:18"), "{stderr}");
    assert!(stderr.contains("did you mean 'Action'?"), "{stderr}");
}

#[test]
fn charts_draw_classify_bubbles_and_timestats_lines() {
    let dir = scratch("charts");
    let data = common::fixed_file().to_str().unwrap().to_string();
    let html = dir.join("clusters.html");
    let q = concat!(env!("CARGO_MANIFEST_DIR"), "/queries/anomalies.q");
    let (code, out, err) = run(&["run", "-i", &data, "-f", "csv", q, "--chart", html.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let rows = out.lines().count() - 1;
    let anomalies = out.lines().filter(|l| l.contains(",true,")).count();
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains("<svg"), "{page}");
    // Nothing to fetch: the only address is the SVG namespace.
    assert_eq!(page.matches("http").count(), 1, "{page}");
    assert!(!page.contains("<script"), "self-contained, no scripts");
    // One bubble per cluster; the anomalies ringed and marked.
    assert_eq!(page.matches("<circle class=\"bubble").count(), rows);
    assert_eq!(page.matches("class=\"bubble anomaly\"").count(), anomalies);
    assert!(anomalies >= 1);
    assert!(page.contains("203.0.113.77"), "tooltips carry the cluster's details");
    // timestats: one line per by-value.
    let svg = dir.join("t.svg");
    let (code, _, err) = run(&[
        "run",
        "-i",
        &data,
        "-c",
        "* | timestats span=6h count by Action",
        "-o",
        "/dev/null",
        "--chart",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let svg = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(svg.matches("<polyline").count(), 3);
    let (code, _, err) =
        run(&["run", "-i", &data, "-c", "* | stats count by Action", "-o", "/dev/null", "--chart", "x.html"]);
    assert_eq!(code, 2);
    assert!(err.contains("charts draw the results of classify (bubbles), timestats (lines) and geostats"), "{err}");
}

/// A stage that keeps rows by their place (head, tail, dedup, fields, sort ties) sees
/// records newest first even when the query names no time: the load reads Time for it.
/// (Found writing the Parquet tests: `head 10 | where …` took the file's first ten.)
#[test]
fn stages_by_place_see_records_newest_first_whatever_the_query_names() {
    let fixed = common::fixed_file().display().to_string();
    let count = |q: &str| {
        let (code, out, err) = common::run(&["run", "-f", "csv", "-i", &fixed, "-c", q]);
        assert_eq!(code, 0, "{err}");
        out.lines().nth(1).unwrap_or_default().split(',').next().unwrap_or_default().to_string()
    };
    for (plain, with_time) in [
        (
            "* | head 10 | where 'Destination Port' = 443 | stats count",
            "* | head 10 | where 'Destination Port' = 443 | stats count, max(Time)",
        ),
        (
            "* | tail 25 | where Action = REJECT | stats count",
            "* | tail 25 | where Action = REJECT | stats count, min(Time)",
        ),
        (
            "* | dedup 'Source IP' | head 40 | stats distinctcount('Destination Port')",
            "* | dedup 'Source IP' | head 40 | stats distinctcount('Destination Port'), max(Time)",
        ),
    ] {
        assert_eq!(count(plain), count(with_time), "{plain}");
    }
    let (_, a, _) = common::run(&["run", "-f", "csv", "-i", &fixed, "-c", "* | fields 'Source Port' | head 5"]);
    let (_, b, _) = common::run(&[
        "run",
        "-f",
        "csv",
        "-i",
        &fixed,
        "-c",
        "* | fields 'Source Port', Time | head 5 | fields 'Source Port'",
    ]);
    assert_eq!(a, b);
}
