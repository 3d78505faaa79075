//! Every saved query in queries/ runs over the fixed data set and its CSV output must
//! equal the reviewed golden file in tests/golden/. After a deliberate change, rerun
//! with `FLOWQ_BLESS=1` and review the diff of tests/golden/.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

fn query_files() -> Vec<PathBuf> {
    common::query_files_in("queries")
}

#[test]
fn every_saved_query_matches_its_golden_output() {
    let files = query_files();
    assert!(files.len() >= 6, "queries/ holds the article's query and at least five more");
    let failures = common::golden_differences(&files, "golden", false);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_saved_query_checks_clean() {
    for f in query_files() {
        let (code, _, err) = common::run(&["check", "--deny-warnings", f.to_str().unwrap()]);
        assert_eq!(code, 0, "{}: {err}", f.display());
    }
}

/// Loading only the fields a query reads must not change its answer.
#[test]
fn reading_only_the_needed_fields_gives_the_same_answers() {
    use flowq::ingest::LoadOptions;
    use flowq::session::{check_with, Session};
    let mut text = Vec::new();
    flowq::gen::generate(&common::fixed_opts(), &mut text).unwrap();
    text.extend_from_slice(b"2 2001:db8::1 2001:db8::2 53 5353 17 1 120 1749000000 1749000001 ACCEPT OK\n");
    // The saved queries' lookup tables (queries/lookups/).
    let with_tables = |mut s: Session| {
        s.lookups.add_folder(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("queries/lookups")).unwrap();
        s
    };
    let full = with_tables(Session::from_text("fixed", &text).unwrap());
    let mut queries: Vec<String> = query_files()
        .iter()
        .map(|f| flowq::params::substitute(&std::fs::read_to_string(f).unwrap(), &[]).unwrap().0)
        .collect();
    for q in [
        "*",
        "* | head 3",
        "* | fields 'Protocol Name', Action",
        "* | fields Source*",
        "accept 10.0.0.5 | stats count",
        "* | where 'Original Log Content' like '%REJECT%' | stats count",
        "* | stats count by 'Protocol Name'",
        "* | link Action | stats avg(Packets) as P",
        "* | rename Status as S | stats count by S",
        "* | eval x = Packets * 2 | stats sum(x) by 'Source IP' | sort -'sum(x)' | head 3",
        "* | sort -'Flow End Time' | head 2 | fields Version, 'Log Source'",
    ] {
        queries.push(q.to_string());
    }
    let csv = |s: &Session, q: &str| {
        let t = s.run(q).unwrap().table;
        let mut out = Vec::new();
        flowq::output::csv::write(&t, false, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    for q in &queries {
        let needed = check_with(q, &full.lookups).unwrap().needed;
        let opts = LoadOptions { fields: needed, ..LoadOptions::default() };
        let part = with_tables(Session::from_text_with("fixed", &text, opts).unwrap());
        assert_eq!(csv(&part, q), csv(&full, q), "{q}");
    }
}

/// Every prefix of every saved query (a user typing it) plans or fails with a
/// diagnostic that points inside the text: never a panic.
#[test]
fn every_prefix_of_every_saved_query_gets_an_answer_or_a_diagnostic() {
    for f in query_files().into_iter().chain(common::query_files_in("queries/la-docs")) {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, _) in text.char_indices() {
            let prefix = &text[..i];
            if let Err(fail) = flowq::session::check(prefix) {
                if let Some(span) = fail.error.span {
                    assert!(span.start <= prefix.len(), "{}: span past the end for {prefix:?}", f.display());
                }
                assert!(!fail.error.message.is_empty());
                let src = flowq::diag::Source { name: "q", text: prefix };
                assert!(flowq::diag::render(&fail.error, Some(&src), false).contains("error: "));
            }
        }
    }
}

/// Saved queries with random edits (characters dropped, doubled or replaced by query
/// punctuation) either run over data or fail with a diagnostic: never a panic.
#[test]
fn mutated_queries_never_panic() {
    let mut text = Vec::new();
    flowq::gen::generate(&flowq::gen::GenOptions { records: 300, days: 2, ..common::fixed_opts() }, &mut text).unwrap();
    let session = flowq::session::Session::from_text("small", &text).unwrap();
    let pieces = ["|", "(", ")", "'", "\"", ",", "=", " ", "-", "*", "by", "as", "span=", "null", "1e309", "%", "0"];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    // The saved queries and Oracle's examples (every newer command among them).
    for f in query_files().into_iter().chain(common::query_files_in("queries/la-docs")) {
        let original: Vec<char> = std::fs::read_to_string(&f).unwrap().chars().collect();
        for _ in 0..150 {
            let mut q = original.clone();
            for _ in 0..1 + next(3) {
                let at = next(q.len());
                match next(3) {
                    0 => {
                        q.remove(at.min(q.len() - 1));
                    }
                    1 => q.insert(at, q[at.min(q.len() - 1)]),
                    _ => {
                        for (k, c) in pieces[next(pieces.len())].chars().enumerate() {
                            q.insert(at + k, c);
                        }
                    }
                }
            }
            let q: String = q.into_iter().collect();
            let _ = session.run(&q);
        }
    }
}
