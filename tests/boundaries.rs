//! Boundary values and generated queries through the whole front end and engine: every
//! example of the registry (commands, functions, aggregates), every saved query and
//! every query of tests/cases,
//! with its numbers and spans replaced by the limits of 64 bits and its text cut and
//! spliced, must end in an answer or an error: never a panic. Tests build in the dev
//! profile, where integer overflow panics, so an unchecked `+` or `*` anywhere on the
//! way shows up here. (`fuzz/` runs the same front end under libFuzzer for longer.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::session;
use flowq::commands::REGISTRY;

/// Numbers and spans at and past every limit.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "18446744073709551615",
    "99999999999999999999999",
    "1e308",
    "-1e308",
    "0.0000001",
];
const SPANS: &[&str] =
    &["0s", "1ms", "4611686018427387904y", "9223372036854775807ms", "10000y", "10001y", "1mon", "0d"];

/// The registry's example queries and the saved queries.
fn seeds() -> Vec<String> {
    let mut out: Vec<String> = REGISTRY.iter().flat_map(|c| c.examples.iter().map(|(q, _)| q.to_string())).collect();
    for f in flowq::funcs::scalars() {
        out.extend(f.examples.iter().map(|(e, _)| format!("* | eval x = {e} | fields x")));
    }
    for a in flowq::funcs::aggregate::AGGREGATES {
        out.extend(a.examples.iter().map(|(q, _)| q.to_string()));
    }
    // The queries of tests/cases: the lines after `query` or `error`, up to `----`.
    let cases = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases");
    for e in std::fs::read_dir(cases).unwrap().flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let mut lines = text.lines();
        while let Some(l) = lines.next() {
            if l.starts_with("query") || l == "error" {
                out.push(lines.by_ref().take_while(|l| *l != "----").collect::<Vec<_>>().join("\n"));
            }
        }
    }
    // Oracle's dashboard queries (tests/corpus), `init` blocks and all.
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/oracle-dashboards.jsonl");
    for l in std::fs::read_to_string(corpus).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        out.push(v["query"].as_str().unwrap().to_string());
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/queries");
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "q") {
                let text = std::fs::read_to_string(&p).unwrap();
                // Saved queries' parameters take their defaults from the comment lines;
                // the bare text with $names left in is a query to survive too.
                out.push(text.lines().filter(|l| !l.trim_start().starts_with('#')).collect::<Vec<_>>().join("\n"));
            }
        }
    }
    out
}

/// Each number-like word of `q` replaced by `with` (one at a time: `which`).
fn replace_number(q: &str, which: usize, with: &str) -> Option<String> {
    let bytes = q.as_bytes();
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() {
        let starts =
            bytes[i].is_ascii_digit() && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'));
        if starts {
            let mut j = i;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'.') {
                j += 1;
            }
            if seen == which {
                return Some(format!("{}{with}{}", &q[..i], &q[j..]));
            }
            seen += 1;
            i = j;
        } else {
            i += 1;
        }
    }
    None
}

/// Run `q`; a panic anywhere fails the test, naming the query.
fn survives(q: &str) {
    let s = session();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // As the CLI reads a query: `init` variables and parameters first.
        let filled = flowq::params::substitute(q, &[]).map(|(t, _)| t);
        let q = filled.as_deref().unwrap_or(q);
        let _ = s.run(q);
        if let Ok(plan) = flowq::session::check(q) {
            let _ = flowq::sql::compile(&plan, &flowq::sql::Target::default(), flowq::window::TimeWindow::default());
        }
    }));
    assert!(result.is_ok(), "panicked on: {q:?}");
}

#[test]
fn every_example_survives_boundary_numbers_and_spans() {
    for q in seeds() {
        for which in 0..6 {
            let values: Vec<&str> = NUMBERS.iter().chain(SPANS).copied().collect();
            let mut any = false;
            for v in &values {
                if let Some(m) = replace_number(&q, which, v) {
                    survives(&m);
                    any = true;
                }
            }
            if !any {
                break;
            }
        }
    }
}

#[test]
fn cut_and_spliced_queries_survive() {
    let seeds = seeds();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n.max(1) as u64) as usize
    };
    const PIECES: &[&str] = &[
        "(", ")", "[", "]", "|", "'", "\"", "\\", "\\é", "=", " or ", " not ", ",", "*", "-", "$x", "\u{202e}",
        "\u{0}", "é",
    ];
    for round in 0..3_000 {
        let base = &seeds[round % seeds.len()];
        let mut q: Vec<char> = base.chars().collect();
        for _ in 0..1 + next(3) {
            let at = next(q.len() + 1);
            match next(4) {
                0 => {
                    q.truncate(at);
                }
                1 => {
                    let piece: Vec<char> = PIECES[next(PIECES.len())].chars().collect();
                    q.splice(at..at, piece);
                }
                2 => {
                    let end = (at + 1 + next(8)).min(q.len());
                    if at < end {
                        q.drain(at..end);
                    }
                }
                _ => {
                    let other: Vec<char> = seeds[next(seeds.len())].chars().collect();
                    let from = next(other.len());
                    let len = next(30).min(other.len() - from);
                    q.splice(at..at, other[from..from + len].iter().copied());
                }
            }
        }
        survives(&q.into_iter().collect::<String>());
    }
}

#[test]
fn long_chains_and_deep_nesting_are_errors_not_crashes() {
    for op in [" + ", " or ", " and ", " * ", " || "] {
        survives(&format!("* | eval x = {}", vec!["1"; 20_000].join(op)));
        survives(&format!("* | where {}", vec!["Packets = 1"; 20_000].join(op)));
    }
    survives(&format!("* | eval x = {}1{}", "concat(".repeat(5_000), ", 1)".repeat(5_000)));
    survives(&format!("* | eval x = {}1{}", "(".repeat(5_000), ")".repeat(5_000)));
    survives(&format!("* | eval x = {}1", "-".repeat(20_000)));
    survives(&format!("* | where {}Packets = 1", "not ".repeat(20_000)));
    survives(&format!("{} | stats count", vec!["reject"; 20_000].join(" ")));
    survives(&format!("'a\\'' {}", "(".repeat(2_000)));
    // Unclosed brackets in an unknown command's words: once exponential (2^n retries;
    // found by the query fuzz target), now linear.
    survives(&format!("* | st{}ats pctPacke", "[".repeat(40)));
    survives(&format!("* | where Action in [ {} ]", "* | where Action in [ ".repeat(300)));
}
