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
    let data = common::fixed_file().to_str().unwrap().to_string();
    let golden_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/la-docs");
    let update = std::env::var_os("FLOWQ_BLESS").is_some();
    if update {
        std::fs::create_dir_all(&golden_dir).unwrap();
    }
    let mut failures = Vec::new();
    for f in examples() {
        let (code, out, err) = common::run(&["run", "-i", &data, "-f", "csv", f.to_str().unwrap()]);
        assert_eq!(code, 0, "{} failed: {err}", f.display());
        let stem = f.file_stem().unwrap().to_str().unwrap();
        let golden = golden_dir.join(format!("{stem}.csv"));
        if update {
            std::fs::write(&golden, &out).unwrap();
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(want) if want == out => {}
            Ok(_) => failures.push(format!("{stem}: output differs from {}", golden.display())),
            Err(_) => failures.push(format!("{stem}: no golden file {} (run with FLOWQ_BLESS=1)", golden.display())),
        }
        assert!(!out.trim().is_empty(), "{stem} gives nothing");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
