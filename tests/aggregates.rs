//! The aggregates of LANGUAGE.md section 5 on the fixed records: values, nulls, empty
//! input, and after link.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::*;

#[test]
fn distribution_aggregates() {
    // Packets of the eight records that have them: 1 1 3 3 4 10 12 50.
    let r = rows("* | stats median(Packets), pct(Packets, 90), pct(Packets, 0), pct(Packets, 100), stddev(Packets), variance(Packets)");
    assert_eq!(
        r[0],
        [
            "median(Packets)",
            "pct(Packets, 90)",
            "pct(Packets, 0)",
            "pct(Packets, 100)",
            "stddev(Packets)",
            "variance(Packets)"
        ]
    );
    assert_eq!(r[1][..4], ["3.5", "23.4", "1", "50"]);
    let var: f64 = r[1][5].parse().unwrap();
    assert!((var - 271.142857).abs() < 1e-4, "{var}");
    let sd: f64 = r[1][4].parse().unwrap();
    assert!((sd - var.sqrt()).abs() < 1e-9);
    // One value: a median, no spread.
    assert_eq!(
        rows("Packets = 50 | stats median(Packets), stddev(Packets), variance(Packets)")[1],
        ["50", "null", "null"]
    );
    // Times stay times; durations stay durations.
    assert_eq!(one("* | stats median(Time)"), "2020-09-13T13:28:20Z");
    assert_eq!(one("* | stats pct('Flow End Time' - Time, 50) as d"), "50000");
}

#[test]
fn distribution_by_group_and_on_nothing() {
    let r = rows("* | stats median('Content Size Out') as m, count by Action");
    assert_eq!(
        r[1..],
        [
            vec!["ACCEPT", "2650", "6"],
            vec!["REJECT", "180", "1"],
            vec!["reject", "180", "1"],
            vec!["null", "null", "1"]
        ]
    );
    assert_eq!(rows("Action = none | stats median(Packets), stddev(Packets), count")[1], ["null", "null", "0"]);
}

#[test]
fn values_and_unique() {
    assert_eq!(one("* | stats values(Action)"), "ACCEPT, ACCEPT, ACCEPT, reject, REJECT, ACCEPT, ACCEPT, ACCEPT");
    assert_eq!(one("* | stats unique(Action, ' | ')"), "ACCEPT | reject | REJECT", "newest first, as records list");
    assert_eq!(
        rows("'Source IP' = '198.51.100.9' | stats unique('Destination Port') as p by 'Source IP'")[1],
        ["198.51.100.9", "3389, 22"]
    );
    // At most ten values.
    let many = one("* | eval n = Packets | stats values(Time) as v");
    assert_eq!(many.split(", ").count(), 9);
    assert_eq!(one("Action = none | stats values(Action)"), "null");
}

#[test]
fn earliest_and_latest_follow_time_not_row_order() {
    assert_eq!(one("* | stats earliest('Content Size Out')"), "5000");
    assert_eq!(one("* | stats latest('Source IP')"), "10.0.3.20");
    // Nulls are skipped: the newest record with an Action is the DNS reply.
    assert_eq!(one("* | stats latest(Action)"), "ACCEPT");
    assert_eq!(
        rows("* | link 'Source IP' | stats earliest(Packets) as e, latest(Packets) as l | where 'Source IP' = '10.0.0.5' | fields e, l")[1],
        ["10", "12"]
    );
}

#[test]
fn trend_draws_each_group_over_shared_buckets() {
    let r = rows(
        "* | link span=1day 'Source IP' | stats trend(count) as c, trend(sum(Packets)) as p | fields 'Source IP', c, p",
    );
    // Two days: the first day's talkers have a bar on the left, the second day's on the right.
    let by_ip = |ip: &str| r.iter().find(|row| row[0] == ip).cloned().unwrap();
    assert_eq!(by_ip("10.0.0.5")[1..], ["█▁", "█▁"]);
    assert_eq!(by_ip("10.0.1.10")[1..], ["▁█", "▁█"]);
    assert_eq!(rows("* | link 'Source IP' | stats trend(sum(Packets))")[0][5], "trend(sum(Packets))");
}

/// Ten byte counts of 10^18 − 1 (AWS bytes are 64-bit counters): their sum is past what
/// a 64-bit integer holds, and every engine (plain grouping, the one-key slots, the
/// fused time buckets, link members, timestats) gives it as a fraction instead of
/// wrapping to a negative number.
#[test]
fn sums_past_64_bits_do_not_wrap() {
    let line = "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 999999999999999999 1600000000 1600000001 ACCEPT OK\n";
    let s = flowq::session::Session::from_text("big", line.repeat(10).as_bytes()).unwrap();
    let total = |q: &str| -> f64 {
        let t = s.run(q).unwrap_or_else(|f| panic!("{q}: {}", f.error.message)).table;
        let c = t.index_of("S").unwrap();
        t.get(c, 0).as_f64().unwrap()
    };
    for q in [
        "* | stats sum('Content Size Out') as S",
        "* | stats sum('Content Size Out') as S by Action",
        "* | stats sum('Content Size Out') as S by Action, Status",
        "* | link span=1h Time | stats sum('Content Size Out') as S",
        "* | link 'Source IP' | stats sum('Content Size Out') as S",
        "* | timestats span=1h sum('Content Size Out') as S",
        "* | eventstats sum('Content Size Out') as S",
    ] {
        let got = total(q);
        assert_eq!(got, 9_999_999_999_999_999_990_i128 as f64, "{q}");
    }
    // The mean of them is exact enough, and a sum that fits stays a whole number.
    let t = s.run("* | stats avg('Content Size Out') as A, sum(Packets) as P").unwrap().table;
    assert_eq!(t.get(0, 0).as_f64(), Some(999999999999999999.0));
    assert!(matches!(t.get(1, 0), flowq::store::Value::Int(10)));
}
