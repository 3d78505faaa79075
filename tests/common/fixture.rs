//! The nine-record fixture of the language tests and helpers that run queries on it.
#![allow(dead_code)]

use flowq::diag::Diagnostic;
use flowq::session::Session;
use flowq::store::Table;

/// Nine records: a conversation over two minutes, its reply, two rejects (one written
/// in lower case), a record on the next day, a NODATA record, IPv6 and DNS.
pub const FIXTURE: &str = "\
2 10.0.0.5 203.0.113.7 443 51000 6 10 5000 1600000000 1600000060 ACCEPT OK
2 203.0.113.7 10.0.0.5 51000 443 6 4 300 1600000000 1600000060 ACCEPT OK
2 10.0.0.5 203.0.113.7 443 51000 6 12 7000 1600000060 1600000120 ACCEPT OK
2 198.51.100.9 10.0.0.6 40000 22 6 3 180 1600003600 1600003600 REJECT OK
2 198.51.100.9 10.0.0.6 40001 3389 6 3 180 1600003700 1600003700 reject OK
2 10.0.1.10 10.0.3.20 1521 45000 6 50 90000 1600090000 1600090050 ACCEPT OK
2 - - - - - - - 1600090000 1600090060 - NODATA
2 2001:db8::1 2001:db8::2 53 5353 17 1 120 1600090100 1600090100 ACCEPT OK
2 10.0.3.20 10.0.0.2 5353 53 17 1 80 1600090200 1600090200 ACCEPT OK
";

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
