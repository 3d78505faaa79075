//! The language reference: every example of the registry (commands, functions,
//! aggregates) gives its stated result, and docs/REFERENCE.md is the registry's text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::*;
use flowq::commands::REGISTRY;
use flowq::reference::markdown;

fn csv_of(q: &str) -> String {
    let out = session().run(q).unwrap_or_else(|f| panic!("{q}: {}", f.error.message));
    let mut buf = Vec::new();
    flowq::output::csv::write(&out.table, false, &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

/// Command examples run beside each command (src/commands/); these are the aggregates'.
#[test]
fn every_aggregate_example_gives_its_result() {
    let mut wrong = Vec::new();
    for (q, want) in flowq::funcs::aggregate::AGGREGATES.iter().flat_map(|a| a.examples.iter()) {
        let got = csv_of(q);
        if got != *want {
            wrong.push(format!("{q}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn docs_reference_is_the_registry() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/REFERENCE.md");
    let want = markdown();
    if std::env::var_os("FLOWQ_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "docs/REFERENCE.md is out of date: run FLOWQ_BLESS=1 cargo test --test reference");
}

#[test]
fn help_topics_cover_every_name() {
    for c in REGISTRY {
        assert!(flowq::reference::topic(c.name).unwrap().contains(c.syntax));
    }
    for f in flowq::funcs::scalars() {
        assert!(flowq::reference::topic(f.name).unwrap().contains(f.signature));
    }
    assert!(flowq::reference::topic("nosuch").is_none());
}
