//! Oracle's own dashboards, pasted: every query (`queryString`) of the Logging Analytics
//! dashboards Oracle publishes in its quickstart repositories (tests/corpus/README.md
//! says which and how they were gathered). Each must parse, and plan or stop only at a
//! field or table that flow logs cannot hold; the counts are the ones docs/LANGUAGE.md
//! states.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[derive(serde::Deserialize)]
struct Entry {
    source: String,
    query: String,
}

fn corpus() -> Vec<Entry> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/oracle-dashboards.jsonl");
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn oracles_dashboard_queries_plan_but_for_what_flow_logs_lack() {
    let lookups = flowq::lookup::Lookups::default();
    let entries = corpus();
    let (mut planned, mut lacking, mut other) = (0, 0, Vec::new());
    for e in &entries {
        // As the CLI does: Oracle's `init { $var = … }` variables are filled in first.
        let text = match flowq::params::substitute(&e.query, &[]) {
            Ok((t, _)) => t,
            Err(d) => {
                other.push(format!("{}: {}\n  {}", e.source, d.message, e.query));
                continue;
            }
        };
        if let Err(d) = flowq::syntax::parse(&text) {
            other.push(format!("{}: {}\n  {}", e.source, d.message, e.query));
            continue;
        }
        match flowq::session::check_with(&text, &lookups) {
            Ok(_) => planned += 1,
            Err(f) if common::names_what_flow_logs_lack(&f.error.message) => lacking += 1,
            Err(f) => other.push(format!("{}: {}\n  {}", e.source, f.error.message, e.query)),
        }
    }
    assert!(other.is_empty(), "{} queries fail for another reason:\n{}", other.len(), other.join("\n"));
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/LANGUAGE.md")).unwrap();
    let claim = format!(
        "Of its {} queries, every one parses; {planned} plan as published and {lacking} stop only at a field or table flow logs cannot hold.",
        entries.len()
    );

    assert!(docs.contains(&claim), "docs/LANGUAGE.md should say \"{claim}\"");
}

#[test]
fn the_corpus_is_distinct_queries_each_with_its_source() {
    let entries = corpus();
    assert!(entries.len() >= 400, "the corpus holds Oracle's dashboard queries");
    let mut seen = std::collections::HashSet::new();
    for e in &entries {
        assert!(e.source.starts_with("oracle-quickstart/"), "{}", e.source);
        assert!(seen.insert(e.query.as_str()), "{} repeats a query", e.source);
    }
}

/// The forms these dashboards taught flowq, run over records (not only planned).
#[test]
fn dashboard_forms_run_over_records() {
    let s = flowq::session::Session::generated(&common::fixed_opts()).unwrap();
    let count = |q: &str| {
        let text = flowq::params::substitute(q, &[]).unwrap().0;
        let out = s.run(&text).unwrap_or_else(|f| panic!("{q}: {}", f.error.message));
        format!("{:?}", out.table.get(0, 0))
    };
    // A bracketed query alone in the search clause is `<its first column> in [ … ]`.
    assert_eq!(
        count("'Destination Port' = 443 and [ * | where 'Destination Port' = 22 | distinct 'Source IP' ] | stats count"),
        count("'Destination Port' = 443 and 'Source IP' in [ * | where 'Destination Port' = 22 | distinct 'Source IP' ] | stats count"),
    );
    // init variables, inside quotes too.
    assert_eq!(
        count("init { $p = 443 } init { $a = 'ACC' || 'EPT' } 'Destination Port' = $p and Action = '$a' | stats count"),
        count("'Destination Port' = 443 and Action = ACCEPT | stats count"),
    );
    // Time between * and *: every record with a time.
    assert_eq!(count("Time between * and * | stats count"), count("* | stats count"));
    // field is fields; fields target = ui chooses what is shown.
    assert_eq!(count("* | field -Action | stats count"), count("* | stats count"));
    assert_eq!(
        count("* | fields target = ui -Action | where Action = ACCEPT | stats count"),
        count("Action = ACCEPT | stats count")
    );
}

#[test]
fn compare_right_after_stats_matches_rows_by_its_by_fields() {
    let s = flowq::session::Session::generated(&common::fixed_opts()).unwrap();
    let run = |q: &str| s.run(q).unwrap_or_else(|f| panic!("{q}: {}", f.error.message)).table;
    // The records' last day (the run's window) against the day before it, by hand and
    // with compare.
    let (lo, hi) = s.time_range().unwrap();
    let day = 86_400_000;
    let last = flowq::window::TimeWindow { from: Some(hi + 1 - day), to: Some(hi + 1) };
    let t = s.run_in("* | stats count by Action | compare timeshift = -1day | sort Action", last).unwrap().table;
    assert_eq!(t.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["Action", "Count", "Count -1day"]);
    assert!(lo < hi + 1 - 2 * day, "the fixed data spans three days");
    let day_before = flowq::window::TimeWindow { from: Some(hi + 1 - 2 * day), to: Some(hi + 1 - day) };
    let before = s.run_in("* | stats count by Action | sort Action", day_before).unwrap().table;
    assert!(t.len() > 1);
    for r in 0..t.len() {
        let action = t.get(0, r);
        let want = (0..before.len()).find(|&b| before.get(0, b) == action).map(|b| before.get(1, b));
        assert_eq!(Some(t.get(2, r)), want, "row {r}");
    }
    // With no by-fields the one row matches the one row.
    let one = run("* | stats count, trend(count) | compare timeshift = auto");
    assert_eq!(one.len(), 1);
    assert!(one.fields.iter().any(|f| f.name == "Count previous"), "{:?}", one.fields);
    // Anywhere else compare still needs link groups.
    let e = s.run("* | stats count | sort Count | compare timeshift = auto").unwrap_err();
    assert!(e.error.message.contains("right after stats"), "{}", e.error.message);
}

#[test]
fn classify_correlate_may_come_before_the_fields() {
    let s = flowq::session::Session::generated(&common::fixed_opts()).unwrap();
    let q = |c: &str| {
        s.run(&format!("* | link 'Source IP', Action | stats sum('Content Size Out') as Bytes | {c}"))
            .unwrap_or_else(|f| panic!("{c}: {}", f.error.message))
            .table
    };
    let before = q("classify topcount = 5 correlate = -*, Action Bytes");
    let after = q("classify topcount = 5 Bytes correlate = -*, Action");
    assert_eq!(before.fields, after.fields);
    assert_eq!(before.len(), after.len());
    assert!(before.fields.iter().any(|f| f.name == "Action"), "{:?}", before.fields);
}

#[test]
fn clustercompare_size_is_the_baseline_length_and_needs_timeshift() {
    let s = flowq::session::Session::generated(&common::fixed_opts()).unwrap();
    let full = s.run("* | clustercompare timeshift = -1day | stats count").unwrap().table;
    let sized = s.run("* | clustercompare timeshift = -1day size = 1hour | stats count").unwrap().table;
    assert_eq!(full.len(), 1);
    assert_eq!(sized.len(), 1);
    let e = s.run("* | clustercompare size = 1hour").unwrap_err();
    assert!(e.error.message.contains("give timeshift too"), "{}", e.error.message);
    let e = s.run("* | fields target = console Action").unwrap_err();
    assert!(e.error.message.contains("target= is ui"), "{}", e.error.message);
}

/// A dashboard with Oracle's `init` variables, as exported: `flowq check --saved-search`
/// and `flowq run -c` fill them in; a broken block is an error pointing at it.
#[test]
fn the_cli_fills_init_variables_and_points_at_a_bad_block() {
    let dir = common::scratch("init-vars");
    let export = common::write(
        &dir,
        "dashboard.json",
        r#"{"queryString": "init { $port = 443 } init { $a = 'ACC' || 'EPT' } 'Destination Port' = $port and Action = '$a' | stats count"}"#,
    );
    let (code, _, err) = common::run(&["check", "--saved-search", export.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let fixed = common::fixed_file().to_str().unwrap().to_string();
    let csv = |q: &str| common::run(&["run", "-f", "csv", "-i", &fixed, "-c", q]);
    let query = "init { $port = 443 } init { $a = 'ACC' || 'EPT' } 'Destination Port' = $port and Action = '$a'";
    let (code, with_init, err) = csv(&format!("{query} | stats count"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(with_init, csv("'Destination Port' = 443 and Action = ACCEPT | stats count").1);
    let (code, _, err) = common::run(&["run", "-i", &fixed, "-c", "init { $port = } * | stats count"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("quoted text, a number or a $variable") && err.contains("-c:1:"), "{err}");
}

/// The name a planning error says flow records lack, if it says so of a field.
fn lacking_field(message: &str) -> Option<&str> {
    let quoted = |m: &'static str| message.split_once(m).map(|(_, rest)| rest);
    let name = if let Some(rest) = quoted("unknown field '") {
        rest.split('\'').next()
    } else if message.contains("is a Logging Analytics field") || message.contains("is not a field of the groups") {
        message.strip_prefix('\'').and_then(|m| m.split('\'').next())
    } else {
        None
    };
    name.filter(|n| !n.is_empty())
}

/// Past the first missing field: each query planned again over records that also hold
/// every field it was refused for (as text), until it plans or stops at something else.
/// What is left over is what flowq itself lacks to run Oracle's dashboards once the
/// records have Logging Analytics' fields (docs/LANGUAGE.md states the counts).
#[test]
fn with_the_fields_they_name_oracles_queries_plan() {
    let lookups = flowq::lookup::Lookups::default();
    let (mut planned, mut tables, mut other) = (0, 0, Vec::new());
    for e in corpus() {
        let text = flowq::params::substitute(&e.query, &[]).unwrap().0;
        let query = flowq::syntax::parse(&text).unwrap();
        let mut scope = flowq::plan::scope::Scope::records();
        let outcome = loop {
            match flowq::plan::plan(&query, &text, scope.clone(), &lookups) {
                Ok(_) => break Ok(()),
                Err(f) => match lacking_field(&f.error.message) {
                    Some(name) if scope.resolve(name).is_none() && scope.fields.len() < 400 => {
                        scope.fields.push(flowq::store::Field::new(name, flowq::store::DataType::Null));
                    }
                    _ => break Err(f.error.message),
                },
            }
        };
        match outcome {
            Ok(()) => planned += 1,
            Err(m) if m.contains("unknown lookup table") || m.contains("needs a geolocation table") => tables += 1,
            Err(m) => other.push(format!("{}: {m}\n  {}", e.source, e.query)),
        }
    }
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/LANGUAGE.md")).unwrap();
    let claim = format!(
        "With every field a query is refused for added to the records, {planned} plan, {tables} stop at a lookup table of Oracle's tenancy, and {} at what flowq does not do:",
        other.len()
    );
    assert!(docs.contains(&claim), "docs/LANGUAGE.md should say \"{claim}\"; those left:\n{}", other.join("\n"));
}
