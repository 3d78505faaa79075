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

/// Run each query file over the fixed data set and compare its CSV with
/// `tests/<golden>/<stem>.csv` (`FLOWQ_BLESS=1` writes them instead); a warning on
/// stderr fails too unless `warnings_allowed`. The differences, one line each.
#[allow(dead_code)]
pub fn golden_differences(files: &[PathBuf], golden: &str, warnings_allowed: bool) -> Vec<String> {
    let data = fixed_file().to_str().expect("a UTF-8 path").to_string();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join(golden);
    let update = std::env::var_os("FLOWQ_BLESS").is_some();
    if update {
        std::fs::create_dir_all(&dir).expect("the golden folder");
    }
    let mut failures = Vec::new();
    for f in files {
        let (code, out, err) = run(&["run", "-i", &data, "-f", "csv", f.to_str().expect("a UTF-8 path")]);
        assert_eq!(code, 0, "{} failed: {err}", f.display());
        assert!(warnings_allowed || !err.contains("warning"), "{} warns: {err}", f.display());
        let stem = f.file_stem().and_then(|s| s.to_str()).expect("a file name");
        let want = dir.join(format!("{stem}.csv"));
        if update {
            std::fs::write(&want, &out).expect("the golden file");
            continue;
        }
        match std::fs::read_to_string(&want) {
            Ok(w) if w == out => {}
            Ok(_) => failures.push(format!("{stem}: output differs from {}", want.display())),
            Err(_) => failures.push(format!("{stem}: no golden file {} (run with FLOWQ_BLESS=1)", want.display())),
        }
    }
    failures
}

/// Whether a planning error says only that the query names what flow logs cannot hold:
/// a Logging Analytics field, a lookup table of Oracle's tenancy, a geolocation table
/// (loaded by the user as `geo`). Published queries measured against flow records may
/// fail so and no other way (docs/LANGUAGE.md).
pub fn names_what_flow_logs_lack(message: &str) -> bool {
    [
        "unknown field",
        "is a Logging Analytics field",
        "is not a field of the groups' records",
        "unknown lookup table",
        "matches no field",
        "needs a geolocation table",
    ]
    .iter()
    .any(|a| message.contains(a))
}
