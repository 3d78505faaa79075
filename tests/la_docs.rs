//! Oracle's command reference examples (queries/la-docs/): each file names the page it
//! comes from and says how it was adapted to flow records; each runs over the fixed
//! data set and its CSV output must equal the reviewed file in tests/golden/la-docs/
//! (`FLOWQ_BLESS=1` rewrites them; review the diff).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

fn examples() -> Vec<PathBuf> {
    common::query_files_in("queries/la-docs")
}

#[test]
fn every_example_names_its_page() {
    let files = examples();
    assert!(files.len() >= 15, "queries/la-docs holds Oracle's examples");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            text.lines().any(|l| l.starts_with("# Oracle: https://docs.oracle.com/")),
            "{} names no Oracle page",
            f.display()
        );
        assert!(text.contains("# As published"), "{} does not quote the example as published", f.display());
    }
}

#[test]
fn every_example_runs_and_matches_its_golden_output() {
    let failures = common::golden_differences(&examples(), "golden/la-docs", true);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An example as its page prints it: the `# As published…:` line and its `#   `
/// continuation lines, with the words between `As published` and the colon.
fn as_published(text: &str) -> (String, String) {
    let mut lines = text.lines().skip_while(|l| !l.starts_with("# As published"));
    let first = lines.next().unwrap_or_default();
    let (how, q) = first.split_once(": ").unwrap_or_default();
    let mut query = q.to_string();
    for l in lines.take_while(|l| l.starts_with("#   ")) {
        query.push('\n');
        query.push_str(&l[4..]);
    }
    (how.trim_start_matches("# As published").trim().to_string(), query)
}

/// Oracle's examples exactly as published (the corpus of docs/LANGUAGE.md's
/// measurement): each parses and plans, or fails only because it names a field or a
/// lookup table that flow logs cannot hold; the counts are the ones the docs state.
#[test]
fn published_examples_plan_but_for_fields_no_flow_log_holds() {
    let lookups = flowq::lookup::Lookups::default();
    let (mut queries, mut planned, mut other) = (0, 0, Vec::new());
    for f in examples() {
        let (how, q) = as_published(&std::fs::read_to_string(&f).unwrap());
        if how.contains("not a query") || how.contains("not a whole query") {
            continue;
        }
        queries += 1;
        match flowq::session::check_with(&q, &lookups) {
            Ok(_) => planned += 1,
            Err(e) if common::names_what_flow_logs_lack(&e.error.message) => {}
            // A page's own typo is kept as published: the query must fail to parse.
            Err(_) if how.contains("with the page's") && flowq::syntax::parse(&q).is_err() => {}
            Err(e) => other.push(format!("{}: {}", f.display(), e.error.message)),
        }
    }
    assert!(other.is_empty(), "{}", other.join("\n"));
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/LANGUAGE.md")).unwrap();
    let claim = format!("{planned} of the {queries} examples");
    assert!(docs.contains(&claim), "docs/LANGUAGE.md should say \"{claim}\"");
}
