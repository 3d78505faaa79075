//! Helpers shared by the integration tests: the built binary, generated inputs, and
//! small flow log fixtures.
#![allow(dead_code)]

pub mod fixture;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use flowq::gen::{generate, GenOptions};

pub fn flowq() -> Command {
    Command::new(env!("CARGO_BIN_EXE_flowq"))
}

/// Run flowq with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out: Output = flowq().args(args).env("NO_COLOR", "1").output().expect("flowq runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowq-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p
}

/// The fixed data set the saved queries are checked on: 3,000 generated records
/// over 3 days (seed 42), with the planted transfers.
pub fn fixed_opts() -> GenOptions {
    GenOptions { records: 3000, seed: 42, days: 3, ..GenOptions::default() }
}

/// The fixed data set written to a file once per test binary.
pub fn fixed_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = scratch("fixed");
        let p = dir.join("fixed.log");
        let mut buf = Vec::new();
        generate(&fixed_opts(), &mut buf).expect("generate");
        std::fs::write(&p, buf).expect("write fixed data");
        p
    })
}

/// Parse CSV text into rows of fields (header first).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    r.records().map(|rec| rec.expect("valid csv").iter().map(str::to_string).collect()).collect()
}

/// The `.q` files of a folder of the repository (not its subfolders), sorted.
#[allow(dead_code)]
pub fn query_files_in(folder: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the folder exists")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "q"))
        .collect();
    files.sort();
    files
}
