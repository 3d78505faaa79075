//! `classify` (issue 8): on the demo data, the article's pipeline reduces hundreds of
//! thousands of conversations to a few clusters, and the one anomalous cluster holds
//! exactly the two planted ~77 MB HTTP transfers, correlated with their server and
//! addresses.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::*;
use flowq::session::Session;

const ARTICLE: &str = "'Log Source' = 'OCI VCN Flow Logs'
| link span=1day Time, 'Source IP', 'Source Port', 'Destination IP', 'Destination Port'
| stats sum('Content Size Out') as 'Bytes Transferred'
| eval 'Traffic From' = if('Source Port' = 21, FTP, 'Source Port' = 22, SSH, 'Source Port' = 53, DNS,
                           'Source Port' = 80, HTTP, 'Source Port' = 443, HTTPS, 'Source Port' = 1521, 'Oracle Database', Unknown)
| eval 'Traffic To' = if('Destination Port' = 21, FTP, 'Destination Port' = 22, SSH, 'Destination Port' = 53, DNS,
                         'Destination Port' = 80, HTTP, 'Destination Port' = 443, HTTPS, 'Destination Port' = 1521, 'Oracle Database', Unknown)
| eval Server = if('Source IP' = '10.0.0.5' or 'Destination IP' = '10.0.0.5', 'Application Server 1', Unknown)
| classify 'Start Time', 'Traffic From', 'Bytes Transferred', 'Traffic To' correlate = 'Source IP', 'Destination IP', Server";

#[test]
fn the_planted_transfers_are_the_anomaly() {
    let s = Session::demo().unwrap();
    let out = s.run(ARTICLE).unwrap();
    let t = out.table;
    let col = |name: &str| t.index_of(name).unwrap_or_else(|| panic!("no column {name}"));
    let anomalies: Vec<usize> = (0..t.len()).filter(|&r| t.get(col("Anomaly"), r).is_true()).collect();
    assert_eq!(anomalies.len(), 1, "one anomalous cluster");
    let r = anomalies[0];
    let text = |c: &str| text(&t, col(c), r);
    assert_eq!(text("Group Count"), "2");
    assert_eq!(text("Traffic From"), "HTTP");
    // The two planted transfers (flowq::gen::planted) and nothing else.
    let planted = flowq::gen::planted(&flowq::gen::GenOptions::default());
    let bytes: Vec<i64> = planted.iter().map(|p| p.bytes).collect();
    assert_eq!(text("Bytes Transferred Min"), bytes.iter().min().unwrap().to_string());
    assert_eq!(text("Bytes Transferred Max"), bytes.iter().max().unwrap().to_string());
    assert_eq!(text("Source IP"), "10.0.0.5");
    assert_eq!(text("Destination IP"), "203.0.113.77");
    assert_eq!(text("Server"), "Application Server 1");
    assert!(text("Start Time Min").starts_with("2025-06-17T22:4"), "{}", text("Start Time Min"));
    // A few bubbles out of hundreds of thousands of conversations, covering them all.
    assert!(t.len() < 100, "{} clusters", t.len());
    let covered: i64 = (0..t.len())
        .map(|r| match t.get(col("Group Count"), r) {
            flowq::store::Value::Int(n) => n,
            _ => 0,
        })
        .sum();
    assert!(covered > 400_000, "{covered}");
    // The same input gives the same clusters.
    let again = s.run(ARTICLE).unwrap().table;
    assert_eq!(format!("{:?}", again.columns), format!("{:?}", t.columns));
}

#[test]
fn classify_options_and_errors() {
    let s = session();
    let q = "* | link 'Source IP' | stats sum('Content Size Out') as Bytes | classify topcount=1 Bytes as Cluster";
    let r = rows(q);
    assert_eq!(r[0][..3], ["Cluster", "Group Count", "Percentage"]);
    assert_eq!(r.len(), 2);
    let err = |q: &str| s.run(q).err().unwrap().error.message;
    assert_eq!(err("* | classify Packets"), "classify works on the groups of link");
    assert_eq!(err("* | link Action | classify Bytes"), "unknown field 'Bytes'");
    assert_eq!(err("* | link Action | classify topcount=0 Count"), "topcount needs a whole number of 1 or more");
    assert_eq!(
        err("* | link Action | classify Action correlate = Action"),
        "'Action' is a property already; correlate other fields"
    );
    // No groups: no clusters.
    assert_eq!(count("Action = none | link Action | classify Count"), 0);
}
