//! `compare` over a time window: the ranges it compares are outside the window (the
//! run's records are still all there), time link fields line up across the shift, and
//! a query with compare is not sent to ClickHouse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use flowq::session::Session;
use flowq::window::TimeWindow;

/// 10.0.0.1 sends on three Sundays (20, 100, 300 bytes); 10.0.0.3 only on the middle
/// one, 10.0.0.2 only on the last.
const WEEKS: &str = "\
2 123456789012 eni-1 10.0.0.1 10.0.9.9 443 5000 6 1 100 1600000000 1600000010 ACCEPT OK
2 123456789012 eni-1 10.0.0.3 10.0.9.9 443 5000 6 1 50 1600000100 1600000110 ACCEPT OK
2 123456789012 eni-1 10.0.0.1 10.0.9.9 443 5000 6 1 300 1600604800 1600604810 ACCEPT OK
2 123456789012 eni-1 10.0.0.2 10.0.9.9 443 5000 6 1 700 1600604900 1600604910 ACCEPT OK
2 123456789012 eni-1 10.0.0.1 10.0.9.9 443 5000 6 1 20 1599395200 1599395210 ACCEPT OK
";

fn csv(q: &str, window: TimeWindow) -> String {
    let s = Session::from_text("weeks", WEEKS.as_bytes()).unwrap();
    let t = s.run_in(q, window).unwrap_or_else(|f| panic!("{q}: {}", f.error.message)).table;
    let mut out = Vec::new();
    flowq::output::csv::write(&t, false, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// The last Sunday, as `--from 2020-09-20 --to 2020-09-21`.
fn last_sunday() -> TimeWindow {
    TimeWindow::parse(Some("2020-09-20"), Some("2020-09-21"), 0).unwrap()
}

#[test]
fn timeshift_reads_records_before_the_window() {
    let q = "* | link 'Source IP' | stats sum('Content Size Out') as Bytes \
             | compare fields = Bytes timeshift = -7d count = 2 | fields 'Source IP', Bytes, 'Bytes -7d', 'Bytes -14d'";
    assert_eq!(csv(q, last_sunday()), "Source IP,Bytes,Bytes -7d,Bytes -14d\n10.0.0.1,300,100,20\n10.0.0.2,700,,\n");
}

#[test]
fn time_link_fields_line_up_across_the_shift() {
    let q = "* | link span=1day Time, 'Source IP' | stats sum('Content Size Out') as Bytes \
             | compare fields = Bytes timeshift = -1w | fields Time, 'Source IP', Bytes, 'Bytes -1w'";
    assert_eq!(
        csv(q, last_sunday()),
        "Time,Source IP,Bytes,Bytes -1w\n2020-09-20T00:00:00Z,10.0.0.1,300,100\n2020-09-20T00:00:00Z,10.0.0.2,700,\n"
    );
}

#[test]
fn size_and_auto_set_the_ranges() {
    // From noon, a week back: 10.0.0.1's 100 bytes are 26 minutes into it.
    let noon = TimeWindow::parse(Some("2020-09-20 12:00"), Some("2020-09-21"), 0).unwrap();
    let sized = |size: &str| {
        format!(
            "* | link 'Source IP' | stats sum('Content Size Out') as Bytes \
             | compare fields = Bytes timeshift = -7d size = {size} | fields 'Source IP', 'Bytes -7d'"
        )
    };
    assert_eq!(csv(&sized("1h"), noon), "Source IP,Bytes -7d\n10.0.0.1,100\n10.0.0.2,\n");
    assert_eq!(csv(&sized("10min"), noon), "Source IP,Bytes -7d\n10.0.0.1,\n10.0.0.2,\n");
    // auto over a one-week window: the week before it.
    let week = TimeWindow::parse(Some("2020-09-14"), Some("2020-09-21"), 0).unwrap();
    let q = "* | link 'Source IP' | stats sum('Content Size Out') as Bytes | compare fields = Bytes timeshift = auto count = 2 \
             | fields 'Source IP', 'Bytes previous', 'Bytes previous 2'";
    assert_eq!(csv(q, week), "Source IP,Bytes previous,Bytes previous 2\n10.0.0.1,100,20\n10.0.0.2,,\n");
}

#[test]
fn a_filter_before_link_applies_to_the_compared_ranges_too() {
    let q = "'Content Size Out' > 60 | link 'Source IP' | stats count as N | compare fields = N timeshift = -7d \
             | fields 'Source IP', N, 'N -7d'";
    assert_eq!(csv(q, last_sunday()), "Source IP,N,N -7d\n10.0.0.1,1,1\n10.0.0.2,1,\n");
}

#[test]
fn compare_and_clustercompare_stay_off_clickhouse() {
    for (q, name) in [
        ("* | link 'Source IP' | stats count as N | compare timeshift = -1d", "compare"),
        ("* | clustercompare timeshift = -1d", "clustercompare"),
    ] {
        let plan = flowq::session::check(q).unwrap();
        let target = flowq::sql::Target::default();
        let why = flowq::sql::compile(&plan, &target, TimeWindow::default()).unwrap_err();
        assert!(why.starts_with(name), "{why}");
    }
}

#[test]
fn clustercompare_reads_a_baseline_before_the_window() {
    // The last Sunday's records against the week before: with every word compared
    // (similarity 1) and the addresses masked, both weeks have the one pattern.
    let q = "* | clustercompare timeshift = -7d similarity = 1 | fields Collection, Count";
    assert_eq!(csv(q, last_sunday()), "Collection,Count\n");
    // A baseline query that matches nothing there leaves the current cluster alone.
    let q = "* | clustercompare timeshift = -7d [ 'Source IP' = 10.0.0.2 ] | fields Collection, Count";
    assert_eq!(csv(q, last_sunday()), "Collection,Count\ncurrent,2\n");
}
