//! The commands of LANGUAGE.md section 6 beyond where/eval/stats/link/sort/head/fields:
//! results on the fixed records, nulls, empty input, after link, and their errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::fixture::*;

/// The fixed test data set (with `extra` lines appended) as a session.
fn fixed_session(extra: &[u8]) -> flowq::session::Session {
    let mut data = std::fs::read(common::fixed_file()).unwrap();
    data.extend_from_slice(extra);
    flowq::session::Session::from_text("fixed", &data).unwrap()
}

/// A query's answer as CSV.
fn csv_of(s: &flowq::session::Session, q: &str) -> String {
    let t = s.run(q).unwrap_or_else(|f| panic!("{q}: {}", f.error.message)).table;
    let mut out = Vec::new();
    flowq::output::csv::write(&t, false, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn strs(rows: &[Vec<String>]) -> Vec<Vec<&str>> {
    rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect()
}

#[test]
fn timestats_fills_empty_buckets() {
    let r = rows("* | timestats span=1day count, sum(Packets) as P, avg(Packets) as A by Action");
    assert_eq!(
        strs(&r),
        [
            vec!["Time", "Action", "Count", "P", "A"],
            vec!["2020-09-13T00:00:00Z", "ACCEPT", "3", "26", "8.666666666666666"],
            vec!["2020-09-13T00:00:00Z", "REJECT", "1", "3", "3"],
            vec!["2020-09-13T00:00:00Z", "reject", "1", "3", "3"],
            vec!["2020-09-13T00:00:00Z", "null", "0", "0", "null"],
            vec!["2020-09-14T00:00:00Z", "ACCEPT", "3", "52", "17.333333333333332"],
            vec!["2020-09-14T00:00:00Z", "REJECT", "0", "0", "null"],
            vec!["2020-09-14T00:00:00Z", "reject", "0", "0", "null"],
            // The NODATA record: a member, but no packets to sum.
            vec!["2020-09-14T00:00:00Z", "null", "1", "null", "null"],
        ]
    );
}

#[test]
fn timestats_default_span_and_options() {
    // The data spans 25 hours: the automatic span is the smallest usual one that gives at
    // most 200 buckets (10 minutes: 12:20 on the first day to 13:30 on the next).
    let c = col("* | timestats count");
    assert_eq!(c.len(), 152);
    assert_eq!(col("* | timestats count | head 1"), ["2020-09-13T12:20:00Z"]);
    assert_eq!(col("* | timestats span=1hour count | fields Count").iter().filter(|c| *c != "0").count(), 3);
    // field= buckets another time field; topcount keeps the by-values with the largest totals.
    assert_eq!(col("* | timestats span=1day field='Flow End Time' count | fields Count"), ["5", "4"]);
    let r = rows("* | timestats span=1day topcount=1 sum(Packets) by 'Source IP'");
    assert_eq!(r.len(), 3);
    assert_eq!(r[1][1], "10.0.1.10");
    let r = rows("* | timestats span=1day bottomcount=1 sum(Packets) by 'Source IP'");
    assert_eq!(r[1][1], "10.0.3.20");
    // Calendar months.
    assert_eq!(col("* | timestats span=1month count"), ["2020-09-01T00:00:00Z"]);
    // Nothing in: nothing out.
    assert_eq!(count("Action = none | timestats count"), 0);
}

#[test]
fn timecompare_shifts_back() {
    let r = rows("* | timestats span=1hour count | timecompare shift=1hour count=2 | head 3");
    assert_eq!(
        strs(&r),
        [
            vec!["Time", "Count", "Count -1hour", "Count -2hour"],
            vec!["2020-09-13T12:00:00Z", "3", "null", "null"],
            vec!["2020-09-13T13:00:00Z", "2", "3", "null"],
            vec!["2020-09-13T14:00:00Z", "0", "2", "3"],
        ]
    );
    let r = rows("* | timestats span=1day count by Action | timecompare shift=1day | where Action = ACCEPT");
    assert_eq!(r[2], ["2020-09-14T00:00:00Z", "ACCEPT", "3", "3"]);
}

#[test]
fn eventstats_attaches_totals() {
    let r = rows("Action = accept | eventstats sum('Content Size Out') as Total, count by Protocol | eval Share = round(100 * 'Content Size Out' / Total) | sort -Share | fields Protocol, Total, Count, Share");
    assert_eq!(
        strs(&r[..3]),
        [vec!["Protocol", "Total", "Count", "Share"], vec!["6", "102300", "4", "88"], vec!["17", "200", "2", "60"]]
    );
    // Across link groups.
    let r = rows("* | link 'Source IP' | eventstats max(Count) as Most | fields 'Source IP', Most | head 1");
    assert_eq!(r[1][1], "2");
}

#[test]
fn addfields_aggregates_filtered_members() {
    let r = rows("* | link 'Destination IP' | addfields [ Action = reject | stats count as Rejected, sum(Packets) as RP ], [ * | stats max(Packets) as Top ] | fields 'Destination IP', Count, Rejected, RP, Top");
    let by_ip = |ip: &str| r.iter().find(|row| row[0] == ip).cloned().unwrap();
    assert_eq!(by_ip("10.0.0.6"), ["10.0.0.6", "2", "2", "6", "3"]);
    // No matching member: a count of 0, null for the rest.
    assert_eq!(by_ip("203.0.113.7"), ["203.0.113.7", "2", "0", "null", "12"]);
    // The rejected share per conversation.
    let r = rows("* | link 'Destination IP' | addfields [ reject | stats count as R ] | eval Share = R / Count | where Share > 0 | fields Share");
    assert_eq!(r[1], ["1"]);
    let e = error("* | addfields [ * | stats count as n ]");
    assert_eq!(e.message, "addfields works on the groups of link");
    // A bracket's aggregate named as a field replaces it, as eventstats does.
    assert_eq!(
        rows("* | link Action | addfields [ Protocol = 17 | stats count as Count ] | fields Action, Count")[1],
        ["ACCEPT", "2"]
    );
}

#[test]
fn top_and_bottom() {
    assert_eq!(strs(&rows("* | top 1 'Source IP'")), [vec!["Source IP", "Count"], vec!["10.0.0.5", "2"]]);
    assert_eq!(rows("* | top limit=2 Action").len(), 3);
    assert_eq!(rows("* | top limit=-1 Action").len(), 5);
    assert_eq!(rows("* | top Action").len(), 5);
    let r = rows("* | top 1 'Destination Port' by Protocol");
    assert_eq!(strs(&r[1..]), [vec!["6", "51000", "2"], vec!["17", "53", "1"], vec!["null", "null", "1"]]);
    // After stats: rows with the largest (smallest) value, all columns kept.
    let r = rows("* | stats sum(Packets) as P by 'Source IP' | top 2 P");
    assert_eq!(strs(&r), [vec!["Source IP", "P"], vec!["10.0.1.10", "50"], vec!["10.0.0.5", "22"]]);
    let r = rows("* | stats sum(Packets) as P by 'Source IP' | bottom limit=1 P");
    assert_eq!(r[1][1], "1");
    let r = rows("* | link Protocol, 'Source IP' | top 1 Count by Protocol | fields Protocol, 'Source IP'");
    assert_eq!(r[1], ["6", "10.0.0.5"]);
    assert_eq!(error("* | top -2 Action").message, "top needs a count of 0 or more (or -1 for all)");
}

#[test]
fn distinct_and_dedup() {
    assert_eq!(
        strs(&rows("* | distinct Protocol, Status")),
        [vec!["Protocol", "Status"], vec!["6", "OK"], vec!["17", "OK"], vec!["null", "NODATA"]]
    );
    // dedup keeps every column of the first (newest) row of each value; as in Oracle's
    // dedup, rows whose fields are null go unless includenulls=true.
    let r = rows("* | dedup Protocol | fields Protocol, 'Source Port'");
    assert_eq!(strs(&r[1..]), [vec!["17", "5353"], vec!["6", "1521"]]);
    let r = rows("* | dedup includenulls=true Protocol | fields Protocol, 'Source Port'");
    assert_eq!(strs(&r[1..]), [vec!["17", "5353"], vec!["6", "1521"], vec!["null", "null"]]);
    assert_eq!(count("Action = none | dedup Action"), 0);
    // count=n keeps n of each; consecutive=true only removes repeats that follow each other.
    assert_eq!(count("* | dedup count=3 Protocol"), 5);
    assert_eq!(
        col("* | sort Time | dedup consecutive=true Action | fields Action"),
        ["ACCEPT", "REJECT", "reject", "ACCEPT"]
    );
    assert_eq!(col("* | sort Time | dedup Action | fields Action"), ["ACCEPT", "REJECT", "reject"]);
    assert_eq!(col("* | sort Time | dedup consecutive=true count=2 Action | fields Action").len(), 6);
}

#[test]
fn bucket_ranges() {
    let r = rows("* | bucket 'Content Size Out' | stats count by 'Content Size Out'");
    assert_eq!(strs(&r[1..]), [vec!["0 - 10000", "7"], vec!["90000 - 100000", "1"], vec!["null", "1"]]);
    let r = rows("* | bucket span=100 Packets | stats count by Packets");
    assert_eq!(strs(&r[1..]), [vec!["0 - 100", "8"], vec!["null", "1"]]);
    let r = rows("* | bucket maxbuckets=2 Packets | stats count by Packets");
    assert_eq!(strs(&r[1..]), [vec!["0 - 50", "7"], vec!["50 - 100", "1"], vec!["null", "1"]]);
    let r = rows("* | bucket Packets small = 0 - 5, 'mid size' = 6 - 20, others = large | stats count by Packets");
    assert_eq!(strs(&r[1..]), [vec!["large", "1"], vec!["mid size", "2"], vec!["small", "5"], vec!["null", "1"]]);
    let r = rows("* | bucket Packets small = 0 - 5 | stats count by Packets");
    assert_eq!(strs(&r[1..]), [vec!["small", "5"], vec!["null", "4"]]);
    assert_eq!(error("* | bucket Action").message, "bucket needs a numeric field; 'Action' is string");
    assert_eq!(error("* | bucket Packets a = 5 - 1").message, "the range of 'a' ends before it starts");
    assert_eq!(error("* | bucket spam=3 Packets").help, ["did you mean 'span'?"]);
}

#[test]
fn regex_filters() {
    assert_eq!(count("* | regex 'Source IP' = '10\\..*'"), 4);
    assert_eq!(count("* | regex 'Source IP' != '10\\..*'"), 4);
    // The whole value must match (Oracle's regex page): a part of it does not.
    assert_eq!(count("* | regex 'Source IP' = '10\\.'"), 0);
    assert_eq!(count("* | regex Action in ('REJ.*', '.*EPT')"), 7);
    assert_eq!(count("* | regex Action not in ('REJ.*', '.*EPT')"), 1);
    // Case matters unless the pattern says otherwise.
    assert_eq!(count("* | regex Action = '(?i)rej.*'"), 2);
    assert_eq!(error("* | regex Action = '('").message, "bad regular expression: error: unclosed group");
}

#[test]
fn extract_named_groups() {
    let r = rows("'Destination Port' = 22 | extract '^\\d+ (?P<Src>[\\d.]+) (?P<Dst>[\\d.]+)' | fields Src, Dst");
    assert_eq!(r[1], ["198.51.100.9", "10.0.0.6"]);
    let r = rows(
        "* | eval s = concat(Action, '/', Status) | extract field=s '(?P<Verdict>\\w+)/OK' | stats count by Verdict",
    );
    assert_eq!(strs(&r[1..]), [vec!["ACCEPT", "6"], vec!["REJECT", "1"], vec!["reject", "1"], vec!["null", "1"]]);
    assert_eq!(error("* | extract '(\\d+)'").message, "the pattern has no named group");
    assert_eq!(error("* | stats count by Action | extract '(?P<X>.)'").message, "extract needs field=<field> here");
}

#[test]
fn delta_between_rows() {
    let r = rows("* | sort Time | delta Time as Gap | delta step=2 Packets | head 4 | fields Gap, 'delta(Packets)'");
    assert_eq!(strs(&r[1..]), [vec!["null", "null"], vec!["0", "null"], vec!["60000", "2"], vec!["3540000", "-1"]]);
    let r = rows("* | sort Time | delta field='Flow End Time' Time as Wait | head 2 | fields Wait");
    assert_eq!(r[2], ["-60000"]);
    assert_eq!(
        error("* | delta Action").message,
        "delta subtracts numbers or times; 'Action' is string and 'Action' is string"
    );
}

#[test]
fn highlighting_marks_rows_and_groups() {
    let r = rows("* | highlightrows color=red reject, nodata | where Highlight = red | fields Action");
    assert_eq!(r.len(), 4);
    let r = rows("* | stats count by Action | highlightrows ACCEPT | fields Action, Highlight");
    assert_eq!(r[1], ["ACCEPT", "yellow"]);
    assert_eq!(r[2], ["REJECT", "null"]);
    // A later highlight keeps the earlier colour where it does not match.
    let r = rows(
        "* | highlightrows [ Packets > 10 ] | highlightrows color=blue [ Packets = 50 ] | stats count by Highlight",
    );
    assert_eq!(strs(&r[1..]), [vec!["blue", "1"], vec!["yellow", "1"], vec!["null", "7"]]);
    let r = rows("* | link 'Destination IP' | highlightgroups color=cyan [ Action = reject ] | where Highlight = cyan | fields 'Destination IP'");
    assert_eq!(r[1..], [vec!["10.0.0.6".to_string()]]);
    let e = error("* | highlightrows color=pink x");
    assert_eq!(e.message, "'pink' is not a highlight colour");
    assert_eq!(e.notes, ["colours: red, green, yellow, blue, magenta, cyan"]);
    assert_eq!(error("* | highlightgroups x").message, "highlightgroups works on groups: of link, stats or timestats");
}

#[test]
fn search_stage_and_free_text() {
    assert_eq!(count("* | search REJECT"), 2);
    assert_eq!(count("* | search Action = accept 'Source Port' = 443"), 2);
    assert_eq!(count("* | search *"), 9);
    assert_eq!(count("search 203.0.113.7"), 3);
}

/// `link span=<fixed> Time | stats` runs fused in one pass when nothing later reads the
/// groups' records; it must give what the general path gives (forced here by an
/// addfields that needs the members).
#[test]
fn fused_time_link_equals_the_general_path() {
    let s = fixed_session(b"");
    let csv = |q: &str| csv_of(&s, q);
    for span in ["1hour", "5min", "1day", "7d"] {
        let q = format!(
            "* | link span={span} Time | stats sum('Content Size Out') as B, count, count(Packets) as N, avg(Packets) as A, min(Packets) as Lo, max('Content Size Out') as Hi"
        );
        let general = csv(&format!("{q} | addfields [ * | stats count as X ] | fields -X"));
        assert_eq!(csv(&q), general, "{span}");
        let one = format!("* | link span={span} Time | stats sum(Packets) as P");
        assert_eq!(csv(&one), csv(&format!("{one} | addfields [ * | stats count as X ] | fields -X")), "{span}");
    }
    // Nothing in: nothing out.
    assert_eq!(
        csv("Action = none | link span=1hour Time | stats sum(Packets) as P"),
        "Time,Count,Start Time,End Time,Group Duration,P\n"
    );
}

/// `stats <simple aggregates> by <one field>` is folded into per-key slots; it must
/// give what the general grouping gives (forced here by a second, constant key).
#[test]
fn one_key_stats_equals_the_general_path() {
    let s = fixed_session(b"2 - - - - - - - 1749000000 1749000001 - NODATA\n");
    let csv = |q: &str| csv_of(&s, q);
    let aggs = "sum('Content Size Out') as B, count, count(Packets) as N, avg(Packets) as A, min(Packets) as Lo, max('Source Port') as Hi";
    for key in ["'Source IP'", "'Destination Port'", "Action", "Status", "'Protocol Name'", "Time"] {
        let fused = csv(&format!("* | stats {aggs} by {key}"));
        let general = csv(&format!("* | stats {aggs} by {key}, Version | fields -Version"));
        assert_eq!(fused, general, "{key}");
    }
}

#[test]
fn new_commands_at_their_limits_answer_or_explain() {
    // Extreme and empty values for the options added with rare, dedup and jsonextract:
    // each query gives an answer or a diagnostic, never a panic.
    let queries = [
        "* | rare limit=-1 Action",
        "* | rare limit=0 Action",
        "* | rare limit=9223372036854775807 Action",
        "* | rare limit=99999999999999999999 Action",
        "* | rare limit=-2 Action",
        "Action = none | rare showcount=true showpercent=true Action",
        "* | dedup count=9223372036854775807 Action",
        "* | dedup count=0 Action",
        "* | dedup includenulls=maybe Action",
        "Action = none | dedup consecutive=true Action",
        "* | jsonextract field = Action X = '$'",
        "* | jsonextract X = '$[99999999999999999999]'",
        "* | jsonextract X = ''",
        "Action = none | jsonextract field = Action X = '$.a'",
        "* | stats count by Action | rare Count",
        "* | link Action | rare showpercent=true Count",
        "* | link Action | stats count as N | trend(count, 9223372036854775807ms)",
        "* | link Action | stats trend(count, 1fortnight) as T",
    ];
    for q in queries {
        match session().run(q) {
            Ok(_) => {}
            Err(f) => assert!(!f.error.message.is_empty(), "{q}"),
        }
    }
    assert!(error("* | rare limit=-2 Action").message.contains("whole number"));
    assert!(error("* | dedup count=0 Action").message.contains("1 or more"));
    assert!(error("* | jsonextract X = ''").message.contains("bad JSON path"));
    assert_eq!(count("* | jsonextract field = Action X = '$' | where X != null"), 0);
}

#[test]
fn compare_cluster_and_the_other_new_commands_at_their_limits_answer_or_explain() {
    // Extreme, empty and hostile values for the options of compare, the cluster family,
    // timecluster, geostats, fieldsummary, outlier, nlp, xmlextract and ifnull: each
    // query gives an answer or a diagnostic, never a panic.
    let deep_xml = format!("{}x{}", "<a>".repeat(5000), "</a>".repeat(5000));
    let deep = format!("* | head 1 | eval X = '{deep_xml}' | xmlextract field = X T = '//a/text()' | fields T");
    let queries = [
        "* | link Action | stats count as N | compare timeshift = -9223372036854775807d",
        "* | link Action | stats count as N | compare timeshift = -10000y count = 100",
        "* | link Action | stats count as N | compare timeshift = +1ms size = 10000y",
        "* | link Action | stats count as N | compare timerange = '0001-01-01' to '9999-12-31' as All",
        "Action = none | link Action | stats count as N | compare timeshift = auto count = 3",
        "* | cluster similarity = 0",
        "* | cluster similarity = 1 field = Action",
        "Action = none | cluster",
        "* | clustersplit id in (9223372036854775807, -9223372036854775808)",
        "* | clusterdetails id = 99999999999999999999",
        "* | clustercompare timeshift = -10000y",
        "* | clustercompare starttime = '0001-01-01' endtime = '0001-01-02' span = 1ms",
        "* | timecluster maxvalues = 0 count by Action",
        "* | timecluster span = 1ms count by Action",
        "Action = none | timecluster count by Action",
        "* | geostats include = custom city = Action count by Status",
        "Action = none | geostats include = custom country = Action count",
        "* | fieldsummary maxvalues = 9223372036854775807 Action",
        "* | fieldsummary maxvalues = 0 includenulls = true Action",
        "Action = none | fieldsummary Action",
        "Action = none | outlier Packets",
        "* | outlier action = annotate remove = true Packets, 'Content Size Out' as Odd",
        "* | nlp wordcount = 9223372036854775807 keywords(Action)",
        "* | nlp similarity = 0 cluster('Original Log Content')",
        "* | stats ifnull(avg(Packets), 9223372036854775807) as A, ifnull(min(Action), '') as B by Protocol",
        deep.as_str(),
    ];
    for q in queries {
        match session().run(q) {
            Ok(_) => {}
            Err(f) => assert!(!f.error.message.is_empty(), "{q}"),
        }
    }
    let id = error("* | clusterdetails id = 99999999999999999999");
    assert!(id.message.contains("whole number"), "{}", id.message);
    assert!(error("* | compare timeshift = -1d").message.contains("groups of link"));
}
