//! Forms Oracle's command pages use that flowq once read differently: timestats over the
//! member records after link and its rate aggregates, `fields -*, …`, `rename` of a
//! field Logging Analytics adds, the lookup pair written column = field, highlightgroups'
//! subquery and `as`, rare's `as`, and regex matching the whole value.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::*;

fn strs(rows: &[Vec<String>]) -> Vec<Vec<&str>> {
    rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect()
}

#[test]
fn timestats_after_link_buckets_member_records_for_their_fields() {
    // Packets is a record field: the records of each group are bucketed by their own
    // Time, each carrying its group's fields (here the group's Actions).
    let r = rows(
        "* | link 'Source IP' | stats unique(Action) as Actions | timestats span=1day sum(Packets) as P by Actions",
    );
    assert_eq!(
        strs(&r),
        [
            vec!["Time", "Actions", "P"],
            vec!["2020-09-13T00:00:00Z", "ACCEPT", "26"],
            vec!["2020-09-13T00:00:00Z", "REJECT, reject", "6"],
            vec!["2020-09-14T00:00:00Z", "ACCEPT", "52"],
            vec!["2020-09-14T00:00:00Z", "REJECT, reject", "0"],
        ]
    );
    // A group field alone keeps bucketing the groups by their Start Time.
    assert_eq!(col("* | link 'Source IP' | timestats span=1day sum(Count) as Groups | fields Groups"), ["5", "3"]);
    // A field neither holds is still an error about the groups.
    assert!(error("* | link 'Source IP' | timestats sum(Nope)").message.contains("unknown field 'Nope'"));
}

#[test]
fn rate_aggregates_divide_each_bucket_by_its_length() {
    let r = rows("* | timestats span=1hour persecond(Packets) as R, perminute(Packets) as M, sum(Packets) as S");
    // The first hour holds 10 + 4 + 12 packets.
    assert_eq!(strs(&r)[1], ["2020-09-13T12:00:00Z", &(26.0 / 3600.0).to_string(), &(26.0 / 60.0).to_string(), "26"]);
    assert_eq!(col("* | timestats span=1day perday(Packets) as D | fields D"), ["32", "52"]);
    let e = error("* | stats perhour(Packets)");
    assert!(e.message.contains("timestats aggregate"), "{}", e.message);
}

#[test]
fn rates_over_month_buckets_divide_by_each_months_own_length_and_never_overflow() {
    // Two OCI records: 3100 bytes on 10 January 2021, 2800 on 10 February.
    let jan = 1_610_236_800; // 2021-01-10T00:00:00Z
    let feb = 1_612_915_200; // 2021-02-10T00:00:00Z
    let text = format!(
        "2 10.0.0.5 203.0.113.7 443 51000 6 10 3100 {jan} {} ACCEPT OK\n2 10.0.0.5 203.0.113.7 443 51000 6 10 2800 {feb} {} ACCEPT OK\n",
        jan + 60,
        feb + 60
    );
    let s = flowq::session::Session::from_text("months.log", text.as_bytes()).unwrap();
    let t = s.run("* | timestats span=1month perday('Content Size Out') as D").unwrap().table;
    let days: Vec<String> = (0..t.len()).map(|r| format!("{:?}", t.get(1, r))).collect();
    // January has 31 days, February 2021 has 28.
    assert_eq!(
        days,
        [format!("{:?}", flowq::store::Value::Float(100.0)), format!("{:?}", flowq::store::Value::Float(100.0))]
    );
    // A span as long as a time can reach: one bucket, a rate, no overflow.
    let t = s.run("* | timestats span=10000y persecond('Content Size Out') as R").unwrap().table;
    assert_eq!(t.len(), 1);
    assert!(matches!(t.get(1, 0), flowq::store::Value::Float(x) if x > 0.0 && x.is_finite()));
}

#[test]
fn maxvalues_keeps_the_largest_series() {
    let r = rows("* | timestats span=1day maxvalues=1 count by Action");
    assert_eq!(
        col("* | timestats span=1day maxvalues=1 count by Action"),
        ["2020-09-13T00:00:00Z", "2020-09-14T00:00:00Z"]
    );
    assert!(r.iter().skip(1).all(|row| row[1] == "ACCEPT"));
    // Without by there is one series: nothing to limit.
    assert_eq!(count("* | timestats span=1day maxvalues=1 count"), 2);
}

#[test]
fn fields_items_apply_left_to_right() {
    assert_eq!(rows("* | head 1 | fields -*, Action, Packets")[0], ["Action", "Packets"]);
    assert_eq!(rows("* | head 1 | fields 'Source IP', Action, -Action")[0], ["Source IP"]);
    let all = rows("* | head 1")[0].len();
    assert_eq!(rows("* | head 1 | fields -Action, Action")[0].len(), all);
}

#[test]
fn rename_of_a_logging_analytics_field_the_rows_lack_does_nothing() {
    let q = "* | stats count by 'Log Source' | rename 'Host IP Address (Client)' as clientip";
    assert_eq!(rows(q)[0], ["Log Source", "Count"]);
    assert!(warnings(q).iter().any(|w| w.message.contains("nothing to rename")));
    // Any other unknown field is still an error.
    assert!(error("* | rename Nope as x").message.contains("unknown field"));
}

#[test]
fn lookup_pairs_read_either_way_when_only_one_way_names_a_field_and_a_column() {
    let q = |using: &str| {
        col(&format!("'Destination Port' = 22 | lookup table=ports select Service using {using} | fields Service"))
    };
    assert_eq!(q("'Destination Port' = Port, 'Protocol Name' = Protocol"), ["ssh"]);
    assert_eq!(q("Port = 'Destination Port', 'Protocol Name' = Protocol"), ["ssh"]);
}

#[test]
fn highlightgroups_takes_a_subquery_a_name_and_a_priority() {
    let q = "* | stats sum(Packets) as P by Action | highlightgroups color = red [ * | where P > 50 ] as Big | fields Action, Big";
    assert_eq!(strs(&rows(q))[1], ["ACCEPT", "red"]);
    let q = "* | link Action | highlightgroups priority = low [ * | where Count = 1 ] | where Highlight = green | fields Action";
    assert_eq!(col(q), ["REJECT", "reject"]);
    // Without the subquery form the condition is over the member records.
    let q = "* | link 'Destination IP' | highlightgroups [ Action = reject ] | where Highlight != null | fields 'Destination IP'";
    assert_eq!(col(q), ["10.0.0.6"]);
    assert!(error("* | highlightgroups REJECT").message.contains("works on groups"));
    assert!(error("* | stats count by Action | highlightgroups priority = top REJECT")
        .message
        .contains("not a priority"));
}

#[test]
fn rare_names_its_count() {
    assert_eq!(rows("* | rare showcount=true limit=1 Protocol as Flows")[0], ["Protocol", "Flows"]);
}

#[test]
fn regex_matches_the_whole_value() {
    assert_eq!(count("* | regex Action = 'ACC'"), 0);
    assert_eq!(count("* | regex Action = 'ACC.*'"), 6);
    assert_eq!(count("* | regex Action = 'ACCEPT?'"), 6);
}
