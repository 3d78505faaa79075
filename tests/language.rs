//! The language on fixed records: every command, function, aggregate and error path
//! of LANGUAGE.md sections 1-3 and 7, checked by value.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::*;

#[test]
fn search_clause_comparisons() {
    assert_eq!(count("*"), 9);
    assert_eq!(count("Action = accept"), 6);
    assert_eq!(count("action = REJECT"), 2);
    assert_eq!(count("search Action = reject"), 2);
    assert_eq!(count("Action != reject"), 6);
    assert_eq!(count("Action = reject or 'Destination Port' = 53"), 3);
    assert_eq!(count("Action = accept and 'Source Port' = 443"), 2);
    assert_eq!(count("Action = accept 'Source Port' = 443"), 2);
    assert_eq!(count("not Action = accept"), 3);
    assert_eq!(count("Packets >= 10 and not (Packets > 12)"), 2);
}

#[test]
fn free_text_search_matches_the_log_line() {
    assert_eq!(count("REJECT"), 2);
    assert_eq!(count("nodata"), 1);
    assert_eq!(count("accept 203.0.113.7"), 3);
    assert_eq!(count("'2001:db8::1'"), 1);
    assert_eq!(count("* | where 'Original Log Content' like '%NODATA%'"), 1);
    assert_eq!(
        one("'Destination Port' = 22 | fields 'Original Log Content'"),
        "2 198.51.100.9 10.0.0.6 40000 22 6 3 180 1600003600 1600003600 REJECT OK"
    );
}

#[test]
fn ip_and_time_comparisons() {
    assert_eq!(count("'Source IP' = '10.0.0.5'"), 2);
    assert_eq!(count("'Destination IP' = 10.0.0.5"), 1);
    assert_eq!(count("'Source IP' < '10.0.1.0'"), 2);
    assert_eq!(count("'Source IP' = '2001:db8::1'"), 1);
    assert_eq!(count("Time >= '2020-09-14'"), 4);
    assert_eq!(count("Time < '2020-09-13T12:27:40Z'"), 2);
    assert_eq!(count("Time < 1600000060000"), 2);
    assert_eq!(count("Time = '2020-09-13 12:26:40'"), 2);
    let w = warnings("'Source IP' = 'server-1'");
    assert!(w[0].message.contains("is not an IP address"), "{w:?}");
}

#[test]
fn like_in_between_and_nulls() {
    assert_eq!(count("'Source IP' like '10.0.%'"), 4);
    assert_eq!(count("Action like 'acc*'"), 6);
    assert_eq!(count("Action like 'R_JECT'"), 2);
    assert_eq!(count("Action like 'R?JECT'"), 2);
    assert_eq!(count("Action not like 'acc%'"), 2);
    assert_eq!(count("Action like in ('rej%', 'x')"), 2);
    assert_eq!(count("'Destination Port' in (22, 3389)"), 2);
    assert_eq!(count("'Destination Port' not in (22, 3389)"), 6);
    assert_eq!(count("Action in ('Reject')"), 2);
    assert_eq!(count("'Content Size Out' between 180 and 300"), 3);
    assert_eq!(count("'Content Size Out' not between 180 and 300"), 5);
    assert_eq!(count("'Source IP' = null"), 1);
    assert_eq!(count("Action != null"), 8);
    assert_eq!(count("Packets > 0"), 8);
    assert_eq!(count("not (Packets > 0)"), 1);
    assert_eq!(count("isnull(Packets)"), 1);
}

#[test]
fn expressions_follow_precedence_and_null_rules() {
    assert_eq!(value("1 + 2 * 3"), "7");
    assert_eq!(value("(1 + 2) * 3"), "9");
    assert_eq!(value("10 / 4"), "2.5");
    assert_eq!(value("7 % 3"), "1");
    assert_eq!(value("5 / 0"), "null");
    assert_eq!(value("5 % 0"), "null");
    assert_eq!(value("'port ' || 1 + 2"), "port 3");
    assert_eq!(value("-Packets"), "-1");
    assert_eq!(value("Packets + null"), "null");
    assert_eq!(value("1e3 + 0.5"), "1000.5");
    assert_eq!(value("'it''s'"), "it's");
    assert_eq!(value("\"it's\""), "it's");
    assert_eq!(value("\"a\\\"b\""), "a\"b");
    assert_eq!(value("literal('Source IP')"), "Source IP");
    assert_eq!(value("'Source IP'"), "10.0.3.20");
    assert_eq!(value("'Flow End Time' - Time"), "0");
    assert_eq!(value("true and 1 = 1"), "true");
    assert_eq!(value("3 > 2 or 1 / 0 > 1"), "true");
}

#[test]
fn every_function_example_holds() {
    for f in flowq::funcs::scalars() {
        for (expr, want) in f.examples {
            assert_eq!(&value(expr), want, "{expr}");
        }
    }
}

#[test]
fn functions_on_fields() {
    assert_eq!(count("cidrmatch('Source IP', '10.0.0.0/16')"), 4);
    assert_eq!(count("cidrmatch('10.0.0.0/16', 'Source IP')"), 4);
    assert_eq!(count("cidrmatch('Source IP', '2001:db8::/32')"), 1);
    assert_eq!(count("isprivate('Source IP')"), 4);
    assert_eq!(count("not isprivate('Source IP')"), 4);
    assert_eq!(
        col("* | sort Time | head 3 | eval P = if('Source Port' = 443, HTTPS, 'Source Port' = 22, SSH, Unknown) | fields P"),
        ["HTTPS", "Unknown", "HTTPS"]
    );
    assert_eq!(col("* | where 'Destination Port' = 22 | eval P = if(Action = accept, yes) | fields P"), ["null"]);
    assert_eq!(col("* | where 'Destination Port' = 22 | eval P = case(Action = reject, no, yes) | fields P"), ["no"]);
    assert_eq!(
        col("* | where Status = nodata | eval a = coalesce(Action, 'none'), b = nvl(Packets, 0) | fields a, b"),
        ["none"]
    );
    assert_eq!(
        rows("* | where Status = nodata | eval a = coalesce(Action, 'none'), b = nvl(Packets, 0) | fields a, b")[1][1],
        "0"
    );
    assert_eq!(value("upper(lower(Action))"), "ACCEPT");
    assert_eq!(value("length('Source IP')"), "9");
    assert_eq!(value("concat('Source IP', ':', 'Source Port')"), "10.0.3.20:5353");
    assert_eq!(value("substr('Source IP', 3)"), "0.3.20");
    assert_eq!(value("ipnum('Source IP')"), "167772948");
    assert_eq!(value("round('Content Size Out' / 3, 1)"), "26.7");
    assert_eq!(value("max(Packets, 7)"), "7");
}

#[test]
fn eval_assigns_left_to_right_and_overwrites() {
    let r = rows("* | head 1 | eval a = Packets + 1, b = a * 2, Packets = b | fields a, b, Packets");
    assert_eq!(r[1], ["2", "4", "4"]);
    assert_eq!(rows("* | head 1 | eval 'New Field' = 1 | fields 'new field'")[0], ["New Field"]);
}

#[test]
fn stats_aggregates_and_groups() {
    let r = rows("* | stats count, count(Action), sum(Packets), avg(Packets), min('Source IP'), max(Time), distinctcount('Source IP')");
    assert_eq!(
        r[0],
        [
            "Count",
            "count(Action)",
            "sum(Packets)",
            "avg(Packets)",
            "min(Source IP)",
            "max(Time)",
            "distinctcount(Source IP)"
        ]
    );
    assert_eq!(r[1], ["9", "8", "84", "10.5", "10.0.0.5", "2020-09-14T13:30:00Z", "6"]);
    let r = rows("* | stats count, sum('Content Size Out') as Bytes by Action");
    assert_eq!(r[0], ["Action", "Count", "Bytes"]);
    assert_eq!(
        &r[1..],
        [["ACCEPT", "6", "102500"], ["REJECT", "1", "180"], ["reject", "1", "180"], ["null", "1", "null"]]
    );
    let r = rows("* | stats count by Protocol, 'Protocol Name'");
    assert_eq!(&r[1..], [["6", "TCP", "6"], ["17", "UDP", "2"], ["null", "null", "1"]]);
    let r = rows("Action = nothing | stats count, sum(Packets), distinctcount(Action)");
    assert_eq!(r[1], ["0", "null", "0"]);
    assert_eq!(rows("Action = nothing | stats count by Action").len(), 1);
    assert_eq!(one("* | stats min(Action)"), "ACCEPT");
    assert_eq!(one("* | stats max(Action)"), "reject");
    assert_eq!(one("* | stats sum(Packets * 2) as Twice"), "168");
    assert_eq!(rows("* | stats sum(Packets * 2)")[0], ["sum(Packets * 2)"]);
    let r = rows("* | stats count by Action | stats count as Kinds");
    assert_eq!(r[1], ["4"]);
}

#[test]
fn link_groups_records_with_times() {
    let r = rows("* | link span=1day Time, 'Source IP', 'Source Port', 'Destination IP', 'Destination Port' | sort -Count, 'Source IP' | head 2");
    assert_eq!(
        r[0],
        [
            "Time",
            "Source IP",
            "Source Port",
            "Destination IP",
            "Destination Port",
            "Count",
            "Start Time",
            "End Time",
            "Group Duration"
        ]
    );
    assert_eq!(
        r[1],
        [
            "2020-09-13T00:00:00Z",
            "10.0.0.5",
            "443",
            "203.0.113.7",
            "51000",
            "2",
            "2020-09-13T12:26:40Z",
            "2020-09-13T12:27:40Z",
            "60000"
        ]
    );
    assert_eq!(count("* | link 'Source IP', 'Destination IP'"), 6);
    assert_eq!(count("* | link includenulls=true 'Source IP', 'Destination IP'"), 7);
    assert_eq!(col("* | link span=1day Time"), ["2020-09-13T00:00:00Z", "2020-09-14T00:00:00Z"]);
    assert_eq!(col("* | link span=1hour Time | fields Count"), ["3", "2", "4"]);
    // Calendar and week spans: months start on the 1st, weeks on the epoch's weekday.
    assert_eq!(col("* | link span=1mon Time"), ["2020-09-01T00:00:00Z"]);
    assert_eq!(col("* | link span=1y Time | fields Count"), ["9"]);
    assert_eq!(col("* | link span=1w Time"), ["2020-09-10T00:00:00Z"]);
    assert_eq!(col("* | link span=30min Time, Action | sort Time, Action | head 1 | fields Count"), ["3"]);
    // Without Time among the fields, span changes nothing.
    assert_eq!(col("* | link span=1day Action | fields Count"), ["6", "1", "1"]);
}

#[test]
fn commands_after_link_work_on_groups() {
    let q = "* | link 'Source IP', 'Destination IP' | stats sum('Content Size Out') as Bytes, avg(Packets) as P";
    let r = rows(&format!("{q} | sort -Bytes | head 1"));
    assert_eq!(
        r[0],
        ["Source IP", "Destination IP", "Count", "Start Time", "End Time", "Group Duration", "Bytes", "P"]
    );
    assert_eq!(r[1][..3], ["10.0.1.10", "10.0.3.20", "1"]);
    assert_eq!(r[1][6..], ["90000", "50"]);
    let r = rows(&format!("{q} | where Count > 1"));
    assert_eq!(r.len(), 3);
    assert_eq!(r[1][6], "12000");
    assert_eq!(r[2][6], "360");
    assert_eq!(rows(&format!("{q} | where Count > 1 | eval Avg = Bytes / Count | fields Avg"))[1], ["6000"]);
    assert_eq!(col(&format!("{q} | sort Bytes | tail 1 | rename 'Source IP' as Src | fields Src")), ["10.0.1.10"]);
    assert_eq!(
        rows(&format!("{q} | fields -Start*, -End*, -'Group Duration'"))[0],
        ["Source IP", "Destination IP", "Count", "Bytes", "P"]
    );
    // stats after link adds columns and never collapses the groups.
    assert_eq!(count(q), 6);
    let r = rows(&format!("{q} | where Count > 1 | stats count as N | fields Count, N"));
    assert_eq!(&r[1..], [["2", "2"], ["2", "2"]]);
    let e = error("* | link Action | stats count by Action");
    assert!(e.message.contains("not allowed after link"), "{}", e.message);
}

#[test]
fn sort_head_tail_and_natural_order() {
    // Records without a sort come newest first.
    assert_eq!(one("* | head 1 | fields 'Destination Port'"), "53");
    assert_eq!(one("* | tail 1 | fields 'Source Port'"), "51000");
    // ... also when Time is projected away or renamed before the rows are cut.
    assert_eq!(one("* | fields 'Destination Port' | head 1"), "53");
    assert_eq!(one("* | rename Time as T | head 1 | fields 'Destination Port'"), "53");
    assert_eq!(one("* | fields 'Source Port' | tail 1"), "51000");
    assert_eq!(col("* | head limit=2 | fields Packets"), ["1", "1"]);
    assert_eq!(count("* | head"), 9);
    assert_eq!(count("* | head 0"), 0);
    assert_eq!(
        col("* | sort Action | fields Action"),
        ["ACCEPT", "ACCEPT", "ACCEPT", "ACCEPT", "ACCEPT", "ACCEPT", "REJECT", "reject", "null"]
    );
    assert_eq!(col("* | sort -Action | fields Action")[..3], ["reject", "REJECT", "ACCEPT"]);
    assert_eq!(col("* | sort -Action | fields Action")[8], "null");
    assert_eq!(col("* | sort 'Source IP' | fields 'Source IP'")[..3], ["10.0.0.5", "10.0.0.5", "10.0.1.10"]);
    assert_eq!(col("* | sort -'Source IP' | fields 'Source IP'")[0], "2001:db8::1");
    assert_eq!(col("* | sort +Packets, -'Content Size Out' | fields 'Content Size Out'")[..3], ["120", "80", "180"]);
}

#[test]
fn fields_and_rename() {
    assert_eq!(rows("* | head 1 | fields Source*")[0], ["Source IP", "Source Port"]);
    assert_eq!(rows("* | head 1 | fields %Port")[0], ["Source Port", "Destination Port"]);
    assert_eq!(rows("* | head 1 | fields Action as A, Status")[0], ["A", "Status"]);
    // Format-specific fields show when named, or when a pattern picks them and they hold values.
    assert_eq!(rows("* | head 1 | fields 'VPC ID', Action")[0], ["VPC ID", "Action"]);
    assert_eq!(rows("* | head 1 | fields 'VPC ID', Action")[1], ["null", "ACCEPT"]);
    assert_eq!(rows("* | head 1")[0].len(), 14);
    assert_eq!(rows("* | head 1 | fields Action, 'Original Log Content'")[0], ["Action", "Original Log Content"]);
    assert_eq!(
        rows("* | head 1 | fields -*IP, -*Port, -Proto*, -*Time, -Log*, -Version, -Packets")[0],
        ["Content Size Out", "Action", "Status"]
    );
    assert_eq!(rows("* | stats count by Action | rename Count as N, Action as What")[0], ["What", "N"]);
    // Onto a name that is taken, the renamed field takes its place (Oracle's dashboards).
    assert_eq!(rows("* | stats count by Action | rename Count as Action | sort -Action")[..2], [["Action"], ["6"]]);
    let e = error("* | fields Nothing*");
    assert!(e.message.contains("matches no field"), "{}", e.message);
}

#[test]
fn names_keywords_aliases_and_comments() {
    assert_eq!(count("ACTION = reject | WHERE 'destination port' = 22 | STATS COUNT BY action | Head 5"), 1);
    assert_eq!(count("'Protocol Number' = 17"), 2);
    assert_eq!(count("'Protocol (Transport)' = udp"), 2);
    assert_eq!(count("'Packets In' > 40"), 1);
    assert_eq!(count("# all the rejects\nAction = reject # even lower-case ones\n| where Packets = 3 # both"), 2);
    assert_eq!(count("Action = 'it''s # not a comment'"), 0);
}

// The diagnostics of mistakes, rendered whole, are in tests/cases/errors.case.

#[test]
fn unknown_names_on_the_left_warn() {
    let w = warnings("Acton = reject");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].message, "'Acton' is not a field; it is compared as text");
    assert_eq!(w[0].help, ["did you mean 'Action'?"]);
    assert!(warnings("Action = reject").is_empty());
    assert!(warnings("* | eval x = if('Source Port' = 22, SSH, Unknown)").is_empty());
}

#[test]
fn the_language_reference_documents_every_command_function_and_aggregate() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/LANGUAGE.md")).unwrap();
    // Functions and aggregates one by one are in docs/REFERENCE.md, generated from the
    // registry (tests/reference.rs); this page must point there.
    assert!(doc.contains("REFERENCE.md"));
    for c in flowq::commands::names() {
        assert!(doc.contains(&format!("`{c}`")), "docs/LANGUAGE.md lacks {c}");
    }
    for f in flowq::schema::FLOW_FIELDS {
        assert!(doc.contains(&format!("`{}`", f.name)), "docs/LANGUAGE.md lacks {}", f.name);
    }
}

#[test]
fn functions_of_null_give_null_and_types_are_checked() {
    use flowq::store::Value;
    for f in flowq::funcs::scalars() {
        let Some(eval) = f.eval else { continue };
        if matches!(f.group, "null" | "conditional") || f.min_args == 0 {
            continue;
        }
        let args = vec![Value::Null; f.min_args];
        assert_eq!(eval(&args), Value::Null, "{}(null, ...)", f.name);
    }
    let cases = [
        ("* | eval x = formatdate('Source IP')", "formatdate expects a time, found an ip value"),
        ("* | eval x = datediff(Time, 'Source IP')", "datediff expects a time, found an ip value"),
        ("* | eval x = dateadd(Time, day, Action = accept)", "dateadd expects a number, found a boolean value"),
        ("* | eval x = formatduration('Source IP')", "formatduration expects a duration, found an ip value"),
        ("* | eval x = trim()", "trim takes 1 to 2 arguments, found 0"),
        ("* | eval x = unit(Packets, parsec)", "'parsec' is not a unit"),
        ("* | eval x = extractfirst(Action, '[')", "bad regular expression: error: unclosed character class"),
    ];
    for (q, msg) in cases {
        let e = error(q);
        assert_eq!(e.message, msg, "{q}");
        assert!(e.span.is_some(), "{q}");
    }
}

#[test]
fn the_table_of_oracle_commands_matches_the_registry() {
    // Each command flowq runs is a row marked supported or with a difference; each row
    // marked so is a command flowq runs.
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/LANGUAGE.md")).unwrap();
    let section = doc.split("## Oracle's commands in flowq").nth(1).unwrap().split("\n## ").next().unwrap();
    let mut runnable = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = cells[1].trim_matches('`');
        if cells[2].starts_with("supported") || cells[2].starts_with("difference") {
            runnable.push(name.to_string());
        }
    }
    let mut registry: Vec<String> = flowq::commands::names().map(str::to_string).collect();
    runnable.sort();
    registry.sort();
    assert_eq!(runnable, registry);
    // Every other row is not applicable, with why; those are the commands whose error
    // gives that reason, and no row is left undecided.
    let mut elsewhere = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = cells[1].trim_matches('`');
        if !runnable.iter().any(|r| r == name) {
            assert!(cells[2].starts_with("not applicable: "), "{name}: {}", cells[2]);
            elsewhere.push(name.to_string());
        }
    }
    let mut listed: Vec<String> = flowq::commands::elsewhere::ELSEWHERE.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(elsewhere, listed);
}

#[test]
fn the_table_of_oracle_functions_matches_the_registry() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/LANGUAGE.md")).unwrap();
    let section = doc.split("### Oracle's functions in flowq").nth(1).unwrap().split("\nDecisions").next().unwrap();
    let mut rows = Vec::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let status = cells[2];
        assert!(
            ["supported", "difference: ", "ours: "].iter().any(|p| status.starts_with(p)),
            "{}: {status}",
            cells[1]
        );
        rows.push(cells[1].trim_matches('`').to_ascii_lowercase());
    }
    let mut registry: Vec<String> = flowq::funcs::all_names().map(str::to_ascii_lowercase).collect();
    registry.sort();
    registry.dedup();
    rows.sort();
    assert_eq!(rows, registry);
}

#[test]
fn an_oracle_command_flowq_does_not_run_says_why() {
    for (q, why) in [
        ("* | link Entity | anomaly | stats count", "publishes no syntax"),
        ("* | delete", "deletes logs stored in Logging Analytics"),
    ] {
        let e = flowq::syntax::parse(q).unwrap_err();
        assert!(e.message.contains("a command of Oracle's that flowq does not run"), "{q}: {}", e.message);
        assert!(e.notes.iter().any(|n| n.contains(why)), "{q}: {:?}", e.notes);
    }
}
