//! The nine-record fixture of the language tests and helpers that run queries on it.
#![allow(dead_code)]

use flowq::diag::Diagnostic;
use flowq::session::Session;
use flowq::store::Table;

/// The records every example of the language reference runs on.
pub use flowq::reference::EXAMPLE_RECORDS as FIXTURE;

pub fn session() -> Session {
    Session::from_text("fixture.log", FIXTURE.as_bytes()).unwrap()
}

pub fn text(t: &Table, c: usize, r: usize) -> String {
    let mut s = String::new();
    flowq::output::csv::cell(t, c, r, &mut s);
    if !t.column(c).is_valid(r) {
        return "null".into();
    }
    s
}

/// The result as rows of text (null as "null"), header first.
pub fn rows(q: &str) -> Vec<Vec<String>> {
    let out = session().run(q).unwrap_or_else(|f| panic!("{q}: {}", f.error.message));
    let t = out.table;
    let mut v = vec![t.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>()];
    for r in 0..t.len() {
        v.push((0..t.fields.len()).map(|c| text(&t, c, r)).collect());
    }
    v
}

/// The first column of the result, without the header.
pub fn col(q: &str) -> Vec<String> {
    rows(q).into_iter().skip(1).map(|r| r[0].clone()).collect()
}

pub fn one(q: &str) -> String {
    let c = col(q);
    assert_eq!(c.len(), 1, "{q}: {c:?}");
    c[0].clone()
}

/// Rows in the result of `q`.
pub fn count(q: &str) -> usize {
    rows(q).len() - 1
}

pub fn value(expr: &str) -> String {
    one(&format!("* | head 1 | eval x = {expr} | fields x"))
}

pub fn error(q: &str) -> Diagnostic {
    match session().run(q) {
        Ok(_) => panic!("{q} should fail"),
        Err(f) => f.error,
    }
}

pub fn warnings(q: &str) -> Vec<Diagnostic> {
    session().run(q).unwrap().warnings
}
