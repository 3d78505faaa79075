//! Every saved query in queries/ runs over the fixed data set and its CSV output must
//! equal the reviewed golden file in tests/golden/. After a deliberate change, rerun
//! with `UPDATE_GOLDEN=1` and review the diff of tests/golden/.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

fn query_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "q"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_saved_query_matches_its_golden_output() {
    let data = common::fixed_file().to_str().unwrap().to_string();
    let files = query_files();
    assert!(files.len() >= 6, "queries/ holds the article's query and at least five more");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for f in &files {
        let (code, out, err) = common::run(&["run", "-i", &data, "-f", "csv", f.to_str().unwrap()]);
        assert_eq!(code, 0, "{} failed: {err}", f.display());
        assert!(!err.contains("warning"), "{} warns: {err}", f.display());
        let stem = f.file_stem().unwrap().to_str().unwrap();
        let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{stem}.csv"));
        if update {
            std::fs::write(&golden, &out).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(want) if want == out => {}
            Ok(_) => failures.push(format!("{stem}: output differs from {}", golden.display())),
            Err(_) => failures.push(format!("{stem}: no golden file {} (run with UPDATE_GOLDEN=1)", golden.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_saved_query_checks_clean() {
    for f in query_files() {
        let (code, _, err) = common::run(&["check", "--deny-warnings", f.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {err}", f.display());
    }
}
