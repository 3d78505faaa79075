//! The classify chart opened in a real browser (headless Chromium, which .ci/run
//! installs): the page parses, and its DOM shows one bubble per cluster, the anomalies
//! marked. Outside CI, without Chromium, the test says so and passes; under CI=true a
//! missing browser fails it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

fn browser() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
fn the_bubble_chart_renders_in_chromium() {
    let Some(chromium) = browser() else {
        assert!(std::env::var_os("CI").is_none(), "CI needs Chromium for this test (.ci/run installs it)");
        eprintln!("skipped: no Chromium on this machine");
        return;
    };
    let dir = common::scratch("chart-browser");
    let data = common::fixed_file().to_str().unwrap().to_string();
    let page = dir.join("clusters.html");
    let q = concat!(env!("CARGO_MANIFEST_DIR"), "/queries/anomalies.q");
    let (code, out, err) = common::run(&["run", "-i", &data, "-f", "csv", q, "--chart", page.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let clusters = out.lines().count() - 1;
    let anomalies = out.lines().filter(|l| l.contains(",true,")).count();
    let dom = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<svg"), "the browser shows the chart: {dom}");
    assert_eq!(dom.matches("<circle class=\"bubble").count(), clusters, "one bubble per cluster");
    assert_eq!(dom.matches("<circle class=\"bubble anomaly\"").count(), anomalies, "the anomalies are marked");
    assert!(anomalies >= 1);
}
