//! `cargo bench`: the hot paths of the issue-3 queries, in process, without the
//! file system: ingest (bytes → columns) and each query over loaded records.
//!
//!   cargo bench                      # 2,000,000 records
//!   FLOWQ_BENCH_RECORDS=10000000 cargo bench
//!
//! Each measurement is the best of five runs (the machine is shared; the best is the
//! least disturbed). The end-to-end comparison with DuckDB and Polars is
//! `bench/compare.sh`; docs/PERFORMANCE.md records both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use flowq::gen::{generate, GenOptions};
use flowq::ingest::LoadOptions;
use flowq::session::{check, Session};

// The binary's allocator, so the numbers are the shipped program's.
#[global_allocator]
static ALLOCATOR: flowq::alloc::HugePageAlloc = flowq::alloc::HugePageAlloc;

const QUERIES: [&str; 4] = [
    "* | link span=1day Time, 'Source IP', 'Source Port', 'Destination IP', 'Destination Port' | stats sum('Content Size Out') as B",
    "* | stats sum('Content Size Out') as B by 'Source IP' | sort -B | head 10",
    "Action = reject | stats count by 'Destination Port' | sort -Count | head 20",
    "* | link span=1hour Time | stats sum('Content Size Out') as B",
];

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let t0 = Instant::now();
        let out = f();
        best = best.min(t0.elapsed());
        last = Some(out);
    }
    (best, last.unwrap())
}

fn main() {
    // `cargo test --benches` runs this with `--test`: a quick check that it works.
    let smoke = std::env::args().any(|a| a == "--test");
    let records: u64 = if smoke {
        20_000
    } else {
        std::env::var("FLOWQ_BENCH_RECORDS").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000_000)
    };
    let runs = if smoke { 1 } else { 5 };
    let mut text = Vec::new();
    generate(&GenOptions { records, ..GenOptions::default() }, &mut text).unwrap();
    let mb = text.len() as f64 / 1e6;
    println!("{records} records of OCI VCN text ({mb:.0} MB), {} threads", flowq::parallel::threads());
    println!("{:<44} {:>10} {:>12}", "what", "best s", "per record");

    let report = |name: &str, d: Duration| {
        println!("{name:<44} {:>10.3} {:>9.1} ns", d.as_secs_f64(), d.as_nanos() as f64 / records as f64);
    };
    for (i, q) in QUERIES.iter().enumerate() {
        let fields = check(q).unwrap().needed;
        let (d, _) = best_of(runs, || {
            Session::from_text_with("bench", &text, LoadOptions { fields, ..LoadOptions::default() }).unwrap()
        });
        report(&format!("ingest: the fields of query {}", i + 1), d);
    }
    // What the REPL loads: every field but the record text.
    let mut all = flowq::schema::FieldMask::all();
    all.remove(flowq::schema::Col::OriginalLogContent);
    let (d, session) = best_of(runs, || {
        Session::from_text_with("bench", &text, LoadOptions { fields: all, ..LoadOptions::default() }).unwrap()
    });
    report("ingest: every field but the record text", d);
    for (i, q) in QUERIES.iter().enumerate() {
        let (d, out) = best_of(runs, || session.run(q).unwrap());
        report(&format!("query {} in memory ({} rows)", i + 1, out.table.len()), d);
    }
}
