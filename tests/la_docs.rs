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
