//! The article's query (queries/network-traffic.q) checked against values computed
//! here, independently of the query engine, straight from the log lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use flowq::gen::{generate, GenOptions};

fn port_name(p: u32) -> &'static str {
    match p {
        21 => "FTP",
        22 => "SSH",
        53 => "DNS",
        80 => "HTTP",
        443 => "HTTPS",
        1521 => "Oracle Database",
        3306 => "MySQL",
        7001 => "WebLogic",
        _ => "Unknown",
    }
}

fn server(src: &str, dst: &str) -> &'static str {
    let either = |ip: &str| src == ip || dst == ip;
    if either("10.0.0.5") {
        "Application Server 1"
    } else if either("10.0.0.6") {
        "Application Server 2"
    } else if either("10.0.0.7") {
        "Application Server 3"
    } else if either("10.0.1.10") || either("10.0.1.11") {
        "Database Server"
    } else if either("10.0.2.2") {
        "Bastion"
    } else {
        "Unknown"
    }
}

/// RFC 3339 UTC of epoch seconds, computed with chrono (not flowq's formatter).
fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[derive(Default)]
struct Group {
    count: u64,
    start: i64,
    end: i64,
    bytes: i64,
}

#[test]
fn article_query_matches_an_independent_computation() {
    let dir = common::scratch("article");
    let opts = GenOptions { records: 20_000, seed: 9, days: 5, ..GenOptions::default() };
    let mut text = Vec::new();
    generate(&opts, &mut text).unwrap();
    // A malformed line in the middle must be skipped and reported, not break the answer.
    let mut lines: Vec<&[u8]> = text.split(|&c| c == b'\n').collect();
    lines.insert(100, b"2 10.0.0.5 this line is broken");
    let with_bad = lines.join(&b'\n');
    let log = dir.join("flows.log");
    std::fs::write(&log, &with_bad).unwrap();

    let mut groups: BTreeMap<(i64, String, u32, String, u32), Group> = BTreeMap::new();
    for line in String::from_utf8(text).unwrap().lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f[1] == "-" || f[2] == "-" || f[3] == "-" || f[4] == "-" {
            continue; // link drops records with null keys
        }
        let start: i64 = f[8].parse().unwrap();
        let key = (
            start - start.rem_euclid(86_400),
            f[1].to_string(),
            f[3].parse().unwrap(),
            f[2].to_string(),
            f[4].parse().unwrap(),
        );
        let g = groups.entry(key).or_insert(Group { start: i64::MAX, end: i64::MIN, ..Group::default() });
        g.count += 1;
        g.start = g.start.min(start);
        g.end = g.end.max(start);
        g.bytes += f[7].parse::<i64>().unwrap();
    }
    let mut expected: Vec<Vec<String>> = groups
        .iter()
        .map(|((day, src, sport, dst, dport), g)| {
            vec![
                rfc3339(*day),
                src.clone(),
                sport.to_string(),
                dst.clone(),
                dport.to_string(),
                g.count.to_string(),
                rfc3339(g.start),
                rfc3339(g.end),
                ((g.end - g.start) * 1000).to_string(),
                g.bytes.to_string(),
                port_name(*sport).to_string(),
                port_name(*dport).to_string(),
                server(src, dst).to_string(),
            ]
        })
        .collect();

    let q = concat!(env!("CARGO_MANIFEST_DIR"), "/queries/network-traffic.q");
    let (code, out, err) = common::run(&["run", "-i", log.to_str().unwrap(), "-f", "csv", q]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("skipped 1 malformed line in"), "{err}");
    assert!(err.contains("flows.log: line 101 (expected 12 fields, found 6)"), "{err}");
    let mut rows = common::csv_rows(&out);
    let header = rows.remove(0);
    assert_eq!(
        header,
        [
            "Time",
            "Source IP",
            "Source Port",
            "Destination IP",
            "Destination Port",
            "Count",
            "Start Time",
            "End Time",
            "Group Duration",
            "Bytes Transferred",
            "Traffic From",
            "Traffic To",
            "Server"
        ]
    );
    // Sorted by bytes, largest first.
    let bytes: Vec<i64> = rows.iter().map(|r| r[9].parse().unwrap()).collect();
    assert!(bytes.windows(2).all(|w| w[0] >= w[1]));
    // The planted anomalies lead.
    assert_eq!(rows[0][9], "77012345");
    assert_eq!(rows[0][12], "Application Server 1");
    assert_eq!(rows[0][10], "HTTP");
    // Same groups with the same values, in any order.
    rows.sort();
    expected.sort();
    assert_eq!(rows.len(), expected.len());
    for (got, want) in rows.iter().zip(&expected) {
        assert_eq!(got, want);
    }
}
