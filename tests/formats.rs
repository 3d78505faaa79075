//! Reading every input format: the shared samples with their exact values, the
//! third-party fixtures against their authors' expected parse, gzip, directories,
//! patterns, stdin, mixed formats, and damaged inputs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::{run, scratch, write};
use flowq::ingest::formats;
use flowq::ingest::{layout, LoadOptions, Loader};
use flowq::session::Session;
use flowq::store::Table;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples")
}

fn load(paths: &[PathBuf], opts: LoadOptions) -> Session {
    Session::load(paths, opts).unwrap_or_else(|e| panic!("{}: {:?}", e.message, e.notes))
}

fn sample(name: &str) -> Session {
    load(&[samples().join(name)], LoadOptions::default())
}

/// Field `name` of row `row` as text (`null` for null).
fn cell(t: &Table, row: usize, name: &str) -> String {
    let i = t.index_of(name).unwrap_or_else(|| panic!("no field {name}"));
    t.get(i, row).to_text().map_or("null".to_string(), |s| s.into_owned())
}

/// Check a row against `field=value` pairs.
fn expect_row(t: &Table, row: usize, pairs: &[(&str, &str)]) {
    for (f, v) in pairs {
        assert_eq!(cell(t, row, f), *v, "row {row}, field {f}");
    }
}

#[test]
fn oci_vcn_text_sample() {
    let s = sample("oci-vcn-text.log");
    let t = &s.records;
    assert_eq!(t.len(), 4);
    assert_eq!(s.report.inputs[0].format, "OCI VCN text");
    expect_row(
        t,
        0,
        &[
            ("Log Source", "OCI VCN Flow Logs"),
            ("Version", "2"),
            ("Source IP", "172.16.2.139"),
            ("Destination IP", "172.16.1.107"),
            ("Source Port", "73"),
            ("Destination Port", "89"),
            ("Protocol", "11"),
            ("Protocol Name", "NVP-II"),
            ("Packets", "102"),
            ("Content Size Out", "349"),
            ("Time", "2019-05-09T17:54:22Z"),
            ("Flow End Time", "2019-05-09T17:55:10Z"),
            ("Action", "ALLOW"),
            ("Status", "OK"),
            ("Original Log Content", "2 172.16.2.139 172.16.1.107 73 89 11 102 349 1557424462 1557424510 ALLOW OK"),
            ("VPC ID", "null"),
        ],
    );
    expect_row(
        t,
        3,
        &[
            ("Source IP", "null"),
            ("Source Port", "null"),
            ("Action", "null"),
            ("Status", "NODATA"),
            ("Time", "2020-08-31T23:52:49Z"),
        ],
    );
}

#[test]
fn oci_logging_json_sample() {
    let s = sample("oci-logging.jsonl");
    let t = &s.records;
    assert_eq!(t.len(), 3);
    assert_eq!(s.report.inputs[0].format, "OCI Logging JSON");
    expect_row(
        t,
        0,
        &[
            ("Log Source", "OCI VCN Flow Unified Schema Logs"),
            ("Version", "2"),
            ("Source IP", "123.0.0.1"),
            ("Destination IP", "10.0.99.4"),
            ("Source Port", "443"),
            ("Destination Port", "36266"),
            ("Protocol", "6"),
            ("Protocol Name", "TCP"),
            ("Packets", "250"),
            ("Content Size Out", "17114"),
            ("Time", "2020-08-31T23:52:49Z"),
            ("Flow End Time", "2020-08-31T23:52:50Z"),
            ("Action", "ACCEPT"),
            ("Status", "OK"),
            ("Flow ID", "a6a73770"),
            ("VNIC OCID", "ocid1.vnic.oc1.phx.aaaa"),
            ("Subnet OCID", "ocid1.subnet.oc1.phx.aaaa"),
            ("Compartment OCID", "ocid1.compartment.oc1..aaaa"),
            ("Log Group", "ocid1.loggroup.oc1.phx.aaaa"),
            ("Entity", "ocid1.vnic.oc1.phx.aaaa"),
            ("Entity Type", "OCI VNIC"),
        ],
    );
    // The Service Connector envelope, with its extra key.
    expect_row(
        t,
        1,
        &[
            ("Source IP", "10.0.0.1"),
            ("Destination Port", "443"),
            ("Content Size Out", "4132"),
            ("Time", "2023-07-11T20:41:30Z"),
            ("Flow ID", "75d72a74"),
            ("VNIC OCID", "ocid1.vnic.oc1.phx..."),
        ],
    );
    assert!(cell(t, 1, "Original Log Content").starts_with("{\"datetime\":1689108090000,\"logContent\":"));
    // NODATA: nulls but times, status and version.
    expect_row(
        t,
        2,
        &[
            ("Source IP", "null"),
            ("Action", "null"),
            ("Packets", "null"),
            ("Protocol Name", "null"),
            ("Status", "NODATA"),
            ("Version", "2"),
            ("Flow End Time", "2020-08-31T23:52:50Z"),
            ("Compartment OCID", "null"),
            ("Log Group", "null"),
            ("Entity", "ocid1.vnic.oc1.phx.aaaa"),
        ],
    );
}

#[test]
fn aws_default_format_sample() {
    let s = sample("aws-v2-default.log");
    let t = &s.records;
    assert_eq!(t.len(), 7);
    assert_eq!(s.report.inputs[0].format, "AWS VPC text");
    expect_row(
        t,
        0,
        &[
            ("Log Source", "AWS VPC Flow Logs"),
            ("Version", "2"),
            ("Account ID", "123456789010"),
            ("Interface ID", "eni-1235b8ca123456789"),
            ("Source IP", "172.31.16.139"),
            ("Destination IP", "172.31.16.21"),
            ("Source Port", "20641"),
            ("Destination Port", "22"),
            ("Protocol", "6"),
            ("Packets", "20"),
            ("Content Size Out", "4249"),
            ("Time", "2014-12-14T04:06:50Z"),
            ("Flow End Time", "2014-12-14T04:07:50Z"),
            ("Action", "ACCEPT"),
            ("Status", "OK"),
        ],
    );
    expect_row(t, 3, &[("Interface ID", "eni-11111111aaaaaaaaa"), ("Source IP", "null"), ("Status", "SKIPDATA")]);
    expect_row(t, 4, &[("Protocol Name", "ICMP"), ("Source Port", "0")]);
    expect_row(
        t,
        6,
        &[
            ("Source IP", "2001:db8:1234:a100:8d6e:3477:df66:f105"),
            ("Destination IP", "2001:db8:1234:a102:3304:8879:34cf:4071"),
        ],
    );
}

#[test]
fn aws_custom_formats_by_header() {
    // Version 3: bytes before packets, and one line with a double space.
    let s = sample("aws-v3-custom-header.log");
    let t = &s.records;
    assert_eq!(t.len(), 8);
    assert_eq!(s.report.skipped(), 0);
    expect_row(
        t,
        0,
        &[
            ("VPC ID", "vpc-abcdefab012345678"),
            ("Subnet ID", "subnet-aaaaaaaa012345678"),
            ("Instance ID", "i-01234567890123456"),
            ("Interface ID", "eni-1235b8ca123456789"),
            ("Traffic Type", "IPv4"),
            ("Source IP", "52.213.180.42"),
            ("Packet Source IP", "52.213.180.42"),
            ("Content Size Out", "568"),
            ("Packets", "8"),
            ("TCP Flags", "2"),
            ("Time", "2019-08-26T19:47:55Z"),
        ],
    );
    expect_row(t, 1, &[("TCP Flags", "18"), ("Content Size Out", "376"), ("Packets", "7")]);

    let t = sample("aws-tgw-custom-header.log").records;
    assert_eq!(t.len(), 4);
    expect_row(
        &t,
        2,
        &[
            ("Interface ID", "eni-11111111111111111"),
            ("Instance ID", "null"),
            ("Source IP", "10.40.1.175"),
            ("Packet Source IP", "10.20.33.164"),
            ("TCP Flags", "3"),
            ("Time", "null"),
            ("Content Size Out", "null"),
        ],
    );

    let t = sample("aws-v5-custom-header.log").records;
    assert_eq!(t.len(), 2);
    expect_row(
        &t,
        0,
        &[
            ("Version", "5"),
            ("Region", "ap-southeast-2"),
            ("AZ ID", "apse2-az3"),
            ("Sublocation Type", "null"),
            ("Source AWS Service", "S3"),
            ("Destination AWS Service", "null"),
            ("Traffic Path", "null"),
            ("Flow Direction", "ingress"),
            ("Packets", "14"),
            ("Content Size Out", "15044"),
        ],
    );
    expect_row(&t, 1, &[("Destination AWS Service", "S3"), ("Traffic Path", "8"), ("Flow Direction", "egress")]);
}

#[test]
fn aws_without_header_needs_its_format() {
    let path = samples().join("aws-nat-custom-noheader.log");
    let e = Session::load(std::slice::from_ref(&path), LoadOptions::default()).unwrap_err();
    assert!(e.message.contains("without a header line"), "{}", e.message);
    let spec = "instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr";
    for spec in [spec.to_string(), spec.split(' ').map(|f| format!("${{{f}}}")).collect::<Vec<_>>().join(" ")] {
        let fields = layout::parse_aws_format(&spec).unwrap();
        let s = load(std::slice::from_ref(&path), LoadOptions { aws_format: Some(fields), ..LoadOptions::default() });
        let t = &s.records;
        assert_eq!(t.len(), 4);
        expect_row(
            t,
            0,
            &[
                ("Instance ID", "null"),
                ("Interface ID", "eni-1235b8ca123456789"),
                ("Source IP", "10.0.1.5"),
                ("Destination IP", "10.0.0.220"),
                ("Packet Source IP", "10.0.1.5"),
                ("Packet Destination IP", "203.0.113.5"),
                ("Version", "null"),
                ("Log Source", "AWS VPC Flow Logs"),
            ],
        );
    }
}

/// The third-party fixtures: each `input.message` is a record as it would be in a
/// file; the fields flowq reads must equal what the fixture's authors expect.
#[test]
fn third_party_aws_fixtures_parse_as_their_authors_expect() {
    let dir = samples().join("third-party/sekoia-intake-formats/aws-flow-logs");
    let scratch = scratch("sekoia");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 9);
    for f in files {
        let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let message = fixture["input"]["message"].as_str().unwrap();
        let e = &fixture["expected"];
        let input = write(&scratch, "record.log", message);
        let t = load(&[input], LoadOptions::default()).records;
        assert_eq!(t.len(), 1, "{}", f.display());
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::Null => "null".to_string(),
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => {
                let x = n.as_f64().unwrap();
                format!("{}", x as i64)
            }
            other => other.to_string(),
        };
        let check = |field: &str, want: &serde_json::Value| {
            assert_eq!(cell(&t, 0, field), text(want), "{name}: {field}");
        };
        check("Source IP", &e["source"]["ip"]);
        check("Destination IP", &e["destination"]["ip"]);
        check("Source Port", &e["source"]["port"]);
        check("Destination Port", &e["destination"]["port"]);
        check("Time", &e["event"]["start"]);
        check("Flow End Time", &e["event"]["end"]);
        check("Account ID", &e["cloud"]["account"]["id"]);
        check("Interface ID", &e["observer"]["ingress"]["interface"]["name"]);
        if let Some(n) = e["network"]["iana_number"].as_str() {
            assert_eq!(cell(&t, 0, "Protocol"), format!("{}", n.parse::<f64>().unwrap() as i64), "{name}");
        }
        if let Some(a) = e["action"]["name"].as_str() {
            assert_eq!(cell(&t, 0, "Action").to_lowercase(), a, "{name}");
        }
        let status = e["action"]["outcome"].as_str().unwrap();
        assert_eq!(cell(&t, 0, "Status").to_lowercase(), status, "{name}");
        if let Some(aws) = e.get("aws").map(|a| &a["flowlogs"]) {
            check("VPC ID", &aws["vpc"]["id"]);
            check("Subnet ID", &aws["subnet"]["id"]);
            check("TCP Flags", &aws["tcp_flags"]);
        }
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[test]
fn gzip_directories_patterns_and_mixed_formats() {
    let dir = scratch("inputs");
    let oci = std::fs::read(samples().join("oci-vcn-text.log")).unwrap();
    let aws = std::fs::read(samples().join("aws-v2-default.log")).unwrap();
    let json = std::fs::read(samples().join("oci-logging.jsonl")).unwrap();
    std::fs::create_dir_all(dir.join("logs/2025/06")).unwrap();
    // gzip is found by its magic bytes: one file has no .gz in its name.
    std::fs::write(dir.join("logs/2025/06/a.log.gz"), gzip(&oci)).unwrap();
    std::fs::write(dir.join("logs/2025/06/b.log"), gzip(&aws)).unwrap();
    std::fs::write(dir.join("logs/2025/c.jsonl"), &json).unwrap();
    // Concatenated gzip members are one stream.
    let mut two = gzip(&oci);
    two.extend(gzip(&oci));
    std::fs::write(dir.join("two.gz"), two).unwrap();

    let s = load(&[dir.join("logs")], LoadOptions::default());
    let names: Vec<String> =
        s.report.inputs.iter().map(|i| i.name.strip_prefix(&dir.display().to_string()).unwrap().to_string()).collect();
    assert_eq!(names, ["/logs/2025/06/a.log.gz", "/logs/2025/06/b.log", "/logs/2025/c.jsonl"]);
    assert!(s.report.inputs[0].compressed && s.report.inputs[1].compressed && !s.report.inputs[2].compressed);
    let formats: Vec<&str> = s.report.inputs.iter().map(|i| i.format).collect();
    assert_eq!(formats, ["OCI VCN text", "AWS VPC text", "OCI Logging JSON"]);
    let t = &s.records;
    assert_eq!(t.len(), 4 + 7 + 3);
    // Columns a format lacks are null; each record keeps its own Log Source.
    expect_row(t, 0, &[("Log Source", "OCI VCN Flow Logs"), ("Account ID", "null"), ("Flow ID", "null")]);
    expect_row(t, 4, &[("Log Source", "AWS VPC Flow Logs"), ("Account ID", "123456789010"), ("Flow ID", "null")]);
    expect_row(t, 11, &[("Log Source", "OCI VCN Flow Unified Schema Logs"), ("Flow ID", "a6a73770")]);

    let pattern = dir.join("logs/*/06/*").display().to_string();
    let s = load(&[PathBuf::from(pattern)], LoadOptions::default());
    assert_eq!(s.records.len(), 11);
    let s = load(&[dir.join("two.gz")], LoadOptions::default());
    assert_eq!(s.records.len(), 8);

    // The same through the command line, with stdin as one of the inputs.
    let out = common::flowq()
        .args(["run", "-i", dir.join("logs").to_str().unwrap(), "-i", "-", "-f", "csv"])
        .args(["-c", "* | stats count by 'Log Source' | sort 'Log Source'"])
        .stdin(std::fs::File::open(samples().join("aws-v3-custom-header.log")).unwrap())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Log Source,Count\nAWS VPC Flow Logs,15\nOCI VCN Flow Logs,4\nOCI VCN Flow Unified Schema Logs,3\n"
    );
}

#[test]
fn byte_order_marks_and_crlf_line_ends() {
    let dir = scratch("bom");
    let aws = std::fs::read_to_string(samples().join("aws-v3-custom-header.log")).unwrap();
    let text = format!("\u{feff}{}", aws.replace('\n', "\r\n"));
    let s = load(&[write(&dir, "bom.log", &text)], LoadOptions::default());
    assert_eq!(s.report.inputs[0].format, "AWS VPC text");
    assert_eq!(s.report.skipped(), 0, "{:?}", s.report.inputs[0].examples);
    assert_eq!(s.records.len(), 8);
    expect_row(&s.records, 1, &[("TCP Flags", "18"), ("Status", "OK"), ("Version", "3")]);
    let json = format!(
        "\u{feff}{}",
        std::fs::read_to_string(samples().join("oci-logging.jsonl")).unwrap().replace('\n', "\r\n")
    );
    let s = load(&[write(&dir, "bom.json", &json)], LoadOptions::default());
    assert_eq!((s.records.len(), s.report.skipped()), (3, 0));
}

#[test]
fn forced_formats() {
    let dir = scratch("forced");
    let line = "2 1.2.3.4 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK\n";
    let p = write(&dir, "x.log", line);
    let opts = |f| LoadOptions { format: Some(f), ..LoadOptions::default() };
    assert_eq!(load(std::slice::from_ref(&p), opts(formats::find("oci").unwrap())).records.len(), 1);
    // Read as AWS, twelve fields are no AWS layout: the line is skipped, and a file
    // with nothing readable is an error.
    let e = Session::load(std::slice::from_ref(&p), opts(formats::find("aws").unwrap())).unwrap_err();
    assert!(e.message.contains("cannot read"), "{}", e.message);
    let (code, _, err) = run(&["run", "-i", p.to_str().unwrap(), "--input-format", "aws", "-c", "*"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("expected 14 fields"), "{err}");
    let (code, _, err) = run(&["run", "-i", p.to_str().unwrap(), "--aws-format", "version srcadr", "-c", "*"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad --aws-format: 'srcadr' is not an AWS VPC flow log field (did you mean 'srcaddr'?)"),
        "{err}"
    );
}

/// JSON in every framing: lines, an array, pretty-printed objects one after another,
/// AWS records with underscore keys (floats, "-" and null), message-wrapped lines.
#[test]
fn json_framings_and_aws_json() {
    let dir = scratch("json");
    let rec = |port: u32| {
        format!(
            r#"{{"data": {{"sourceAddress": "10.0.0.{port}", "destinationPort": {port}, "startTime": 1700000000, "action": "ACCEPT", "unknown": [1, {{"x": "}}"}}]}}, "oracle": {{"vnicocid": "v{port}"}}}}"#
        )
    };
    let lines = format!("{}\n{}\n", rec(1), rec(2));
    let array = format!("[{}, {}]", rec(1), rec(2));
    let pretty = format!("{}\n\n{}\n", rec(1).replace(", ", ",\n  "), rec(2).replace(", ", ",\n  "));
    for (name, text) in [("lines.json", lines), ("array.json", array), ("pretty.json", pretty)] {
        let p = write(&dir, name, &text);
        let s = load(&[p], LoadOptions::default());
        let t = &s.records;
        assert_eq!(t.len(), 2, "{name}");
        assert_eq!(s.report.skipped(), 0, "{name}");
        expect_row(
            t,
            1,
            &[
                ("Source IP", "10.0.0.2"),
                ("Destination Port", "2"),
                ("VNIC OCID", "v2"),
                ("Time", "2023-11-14T22:13:20Z"),
            ],
        );
    }
    let aws = r#"{"version": 5, "account_id": "1", "srcaddr": "1.2.3.4", "dstport": 8080.0, "protocol": "6", "bytes": "-", "packets": null, "start": 1700000000, "log_status": "OK", "traffic_path": null}
{"message": "2 123456789010 eni-1 1.1.1.1 2.2.2.2 1 2 6 3 4 1700000000 1700000060 REJECT OK"}
{"message": "{\"version\":2,\"srcaddr\":\"5.6.7.8\",\"action\":\"ACCEPT\"}"}
"#;
    let s = load(&[write(&dir, "aws.json", aws)], LoadOptions::default());
    assert_eq!(s.report.inputs[0].format, "AWS VPC JSON");
    let t = &s.records;
    assert_eq!(t.len(), 3);
    expect_row(
        t,
        0,
        &[
            ("Log Source", "AWS VPC Flow Logs"),
            ("Version", "5"),
            ("Source IP", "1.2.3.4"),
            ("Destination Port", "8080"),
            ("Protocol", "6"),
            ("Content Size Out", "null"),
            ("Packets", "null"),
            ("Traffic Path", "null"),
            ("Status", "OK"),
        ],
    );
    expect_row(t, 1, &[("Interface ID", "eni-1"), ("Action", "REJECT"), ("Flow End Time", "2023-11-14T22:14:20Z")]);
    assert_eq!(
        cell(t, 1, "Original Log Content"),
        "2 123456789010 eni-1 1.1.1.1 2.2.2.2 1 2 6 3 4 1700000000 1700000060 REJECT OK"
    );
    expect_row(t, 2, &[("Source IP", "5.6.7.8"), ("Action", "ACCEPT"), ("Version", "2")]);
}

/// Damaged inputs of every kind: never a panic, every bad line counted with its
/// line number, and good lines around them kept.
#[test]
fn damaged_inputs_are_counted_never_fatal() {
    let dir = scratch("damaged");
    let good = "2 1.2.3.4 5.6.7.8 1 2 6 1 1 1700000000 1700000060 ACCEPT OK\n";
    let mut oci = good.as_bytes().to_vec();
    oci.extend_from_slice(b"2 1.2.3.4 5.6.7.8 1 2 6 1 1 17000\n"); // truncated
    oci.extend_from_slice(b"2 1.2.3.4 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK extra\n"); // too many
    oci.extend_from_slice(b"2 1.2.3.999 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK\n"); // bad IP
    oci.extend_from_slice(b"2 1.2.3.4 5.6.7.8 1 2 6 1 12x 1 1 ACCEPT OK\n"); // bad number
    oci.extend_from_slice(b"2 1.2.3.4 5.6.7.8 1 2 6 1 1 1 1 \xff\xfeACCEPT OK\n"); // invalid UTF-8 (kept: text)
    oci.extend_from_slice(b"\x00\x01\x02\x03 binary \x7f garbage\n");
    oci.extend_from_slice(good.as_bytes());
    let p = dir.join("damaged.log");
    std::fs::write(&p, &oci).unwrap();
    let s = load(std::slice::from_ref(&p), LoadOptions::default());
    let r = &s.report.inputs[0];
    assert_eq!(s.records.len(), 3);
    assert_eq!(r.skipped, 5);
    let lines: Vec<u64> = r.examples.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 7]);
    assert_eq!(r.examples[2].reason, "field 2 (srcaddr): '1.2.3.999' is not an IP address");
    assert_eq!(cell(&s.records, 1, "Action"), "\u{fffd}\u{fffd}ACCEPT");

    // An empty file holds no records and is no error.
    let empty = write(&dir, "empty.log", "");
    assert_eq!(load(&[empty], LoadOptions::default()).records.len(), 0);
    // Binary garbage is not a format.
    let bin = dir.join("bin.dat");
    std::fs::write(&bin, (0..=255u8).cycle().take(5000).collect::<Vec<u8>>()).unwrap();
    assert!(Session::load(&[bin], LoadOptions::default()).unwrap_err().message.contains("cannot read"));
    // A truncated gzip file: what came before the cut is kept, and the cut is said.
    let gz = gzip(&good.repeat(20_000).into_bytes());
    let cut = dir.join("cut.gz");
    std::fs::write(&cut, &gz[..gz.len() / 2]).unwrap();
    let s = load(std::slice::from_ref(&cut), LoadOptions::default());
    assert!(s.records.len() > 1000 && s.records.len() < 20_000, "{}", s.records.len());
    assert!(s.report.inputs[0].cut_short.is_some());
    assert!(
        s.report.warnings().iter().any(|w| w.contains("cut.gz") && w.contains("kept the")),
        "{:?}",
        s.report.warnings()
    );
    let strict = Session::load(&[cut], LoadOptions { strict: true, ..LoadOptions::default() });
    assert!(strict.is_err());
    // Damaged JSON lines: each broken line is skipped, the rest read.
    let json = "{\"data\": {\"action\": \"ACCEPT\"}}\n{\"data\": {\"sourcePort\": \"x\"}}\n{\"data\": \nnot json\n{\"data\": {\"status\": \"OK\"}}\n{\"data\": {";
    let s = load(&[write(&dir, "bad.json", json)], LoadOptions::default());
    assert_eq!(s.records.len(), 2, "{:?}", s.report.inputs[0].examples);
    let lines: Vec<u64> = s.report.inputs[0].examples.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 3, 4, 6], "{:?}", s.report.inputs[0].examples);
    assert_eq!(s.report.inputs[0].examples[0].reason, "sourcePort: \"x\" is not a port (0-65535)");
    // Pretty-printed records: a broken one is skipped up to the next line that opens a record.
    let json = "{\n \"data\": {\"action\": \"ACCEPT\"}\n}\n{\n \"data\": \nnot json\n{\"data\": {\"status\": \"OK\"}}\n{\"data\": {";
    let s = load(&[write(&dir, "bad-pretty.json", json)], LoadOptions::default());
    assert_eq!(s.records.len(), 2, "{:?}", s.report.inputs[0].examples);
    let lines: Vec<u64> = s.report.inputs[0].examples.iter().map(|e| e.line).collect();
    assert_eq!(lines, [4, 8], "{:?}", s.report.inputs[0].examples);
}

/// The random corpus: cut and spliced sample lines in every format never panic, and
/// every line is either a record or counted as skipped.
#[test]
fn spliced_lines_never_panic() {
    let mut corpus = Vec::new();
    for f in [
        "oci-vcn-text.log",
        "aws-v2-default.log",
        "aws-v5-custom-header.log",
        "oci-logging.jsonl",
        "gcp-vpc-flows.jsonl",
        "azure-nsg-v2.json",
        "azure-nsg-v1.json",
        "azure-vnet-v4.json",
    ] {
        corpus.push(std::fs::read(samples().join(f)).unwrap());
    }
    let mut seed = 11u64;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n.max(1)
    };
    for round in 0..400 {
        let base = &corpus[round % corpus.len()];
        let mut data = base.clone();
        for _ in 0..3 {
            let at = next(data.len());
            match next(3) {
                0 => data.truncate(at),
                1 => data.insert(at, [b' ', b'\n', b'"', b'{', b'-', 0xff][next(6)]),
                _ => {
                    let from = next(base.len());
                    let len = next(40).min(base.len() - from);
                    data.splice(at..at, base[from..from + len].iter().copied());
                }
            }
        }
        let mut l = Loader::new(LoadOptions { threads: 2, ..LoadOptions::default() });
        if l.add_bytes("spliced", &data).is_ok() {
            let (t, r) = l.finish();
            assert_eq!(t.len() as u64, r.records());
        }
    }
}

/// Parallel parsing agrees with one thread on every format, including AWS files that
/// change layout half way (concatenated files repeat their header).
#[test]
fn parallel_and_single_threaded_loads_agree() {
    let mut aws = String::new();
    for part in 0..2 {
        aws.push_str(if part == 0 {
            "version srcaddr dstaddr srcport dstport action log-status\n"
        } else {
            "dstport srcport log-status action dstaddr srcaddr version account-id\n"
        });
        for i in 0..20_000 {
            let (a, b) = (format!("10.0.{}.{}", i / 250, i % 250), "192.0.2.1");
            aws.push_str(&if part == 0 {
                format!("3 {a} {b} {} 443 ACCEPT OK\n", 1000 + i)
            } else {
                format!("443 {} OK REJECT {b} {a} 3 acct{i}\n", 1000 + i)
            });
        }
    }
    let json: String = (0..20_000)
        .map(|i| format!("{{\"data\": {{\"sourcePort\": {i}, \"action\": \"ACCEPT\"}}, \"oracle\": {{\"vnicocid\": \"v{}\"}}}}\n", i % 7))
        .collect();
    for data in [aws, json] {
        let table = |threads| {
            let mut l = Loader::new(LoadOptions { threads, ..LoadOptions::default() });
            l.add_bytes("x", data.as_bytes()).unwrap();
            l.finish()
        };
        let (a, ra) = table(1);
        let (b, rb) = table(3);
        assert_eq!(a.len(), 40_000.min(a.len()).max(20_000));
        assert_eq!(a.len(), b.len());
        assert_eq!(ra.skipped(), 0);
        assert_eq!(rb.skipped(), 0);
        for row in (0..a.len()).step_by(37) {
            for c in 0..a.fields.len() {
                assert_eq!(a.get(c, row), b.get(c, row), "row {row} field {}", a.fields[c].name);
            }
        }
    }
}

#[test]
fn inspect_describes_each_input() {
    let dir = scratch("inspect");
    let gz = dir.join("aws.log.gz");
    std::fs::write(&gz, gzip(&std::fs::read(samples().join("aws-v5-custom-header.log")).unwrap())).unwrap();
    let bad = write(&dir, "bad.log", "2 1.2.3.4 5.6.7.8 1 2 6 1 1 1700000000 1700000060 ACCEPT OK\n2 x\n");
    let (code, out, err) = run(&[
        "inspect",
        "-i",
        samples().join("oci-logging.jsonl").to_str().unwrap(),
        "-i",
        gz.to_str().unwrap(),
        "-i",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let blocks: Vec<&str> = out.split("\n\n").collect();
    assert_eq!(blocks.len(), 3, "{out}");
    assert!(blocks[0].contains("oci-logging.jsonl (OCI Logging JSON)"), "{out}");
    assert!(blocks[0].contains("records        3"), "{out}");
    assert!(blocks[0].contains("time           2020-08-31T23:52:49Z .. 2023-07-11T20:41:30Z"), "{out}");
    let line = |b: &str, f: &str| {
        b.lines().find(|l| l.trim_start().starts_with(f)).map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    assert_eq!(line(blocks[0], "Source IP").as_deref(), Some("Source IP ip 2"));
    assert_eq!(line(blocks[0], "VNIC OCID").as_deref(), Some("VNIC OCID string 3"));
    assert_eq!(line(blocks[0], "Region"), None);
    assert!(blocks[1].contains("aws.log.gz (AWS VPC text, gzip)"), "{out}");
    assert_eq!(line(blocks[1], "Traffic Path").as_deref(), Some("Traffic Path integer 1"));
    assert_eq!(line(blocks[1], "Flow ID"), None);
    assert!(blocks[2].contains("lines skipped  1"), "{out}");
    assert!(blocks[2].contains("line 2: expected 12 fields, found 2"), "{out}");
    assert!(err.contains("skipped 1 malformed line in"), "{err}");
}

#[test]
fn upload_name_is_the_input_of_each_record() {
    let dir = scratch("upload-name");
    let line = "2 1.2.3.4 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK\n";
    let a = write(&dir, "a.log", &line.repeat(2));
    let b = write(&dir, "b.log", &line.repeat(3));
    let s = Session::load(&[a.clone(), b.clone()], LoadOptions::default()).unwrap();
    let out = s.run("* | stats count by 'Upload Name'").unwrap();
    let names: Vec<String> =
        (0..out.table.len()).map(|r| out.table.get(0, r).to_text().unwrap().into_owned()).collect();
    let counts: Vec<String> =
        (0..out.table.len()).map(|r| out.table.get(1, r).to_text().unwrap().into_owned()).collect();
    assert_eq!(names, [a.display().to_string(), b.display().to_string()]);
    assert_eq!(counts, ["2", "3"]);
    // Not in a listing of whole records unless named.
    let out = s.run("* | head 1").unwrap();
    assert!(out.table.index_of("Upload Name").is_none());
}

/// How many records `path` holds when a load reads only `fields` (none: `stats count`).
fn records_reading(path: &Path, fields: &[flowq::schema::Col]) -> (usize, u64) {
    let mut mask = flowq::schema::FieldMask::NONE;
    for &c in fields {
        mask.insert(c);
    }
    let s = load(&[path.to_path_buf()], LoadOptions { fields: mask, ..LoadOptions::default() });
    (s.records.len(), s.report.inputs[0].skipped)
}

#[test]
fn a_record_is_a_record_whatever_the_query_reads() {
    use flowq::schema::Col;
    let dir = scratch("records-whatever-read");
    let good = "2 1.2.3.4 5.6.7.8 1 2 6 1 1 1700000000 1700000060 ACCEPT OK\n";
    let cases: &[(&str, String, usize)] = &[
        // Damage in a field the count does not read: still not a record.
        ("bad-ip.log", format!("{good}2 1.2.3.999 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK\n"), 1),
        ("bad-port.log", format!("{good}2 1.2.3.4 5.6.7.8 70000 2 6 1 1 1 1 ACCEPT OK\n"), 1),
        // 19 digits: i64::MAX is a count; past it, the line is damage, never the file's.
        ("max.log", format!("2 1.2.3.4 5.6.7.8 1 2 6 9223372036854775807 1 1 1 ACCEPT OK\n{good}"), 2),
        ("past-max.log", format!("2 1.2.3.4 5.6.7.8 1 2 6 18446744073709551615 1 1 1 ACCEPT OK\n{good}"), 1),
        (
            "past-max.json",
            "{\"data\":{\"packets\":99999999999999999999,\"action\":\"ACCEPT\"}}\n{\"data\":{\"action\":\"ACCEPT\"}}\n"
                .into(),
            1,
        ),
        ("bad-json-port.json", "{\"data\":{\"sourcePort\":\"x\"}}\n{\"data\":{\"action\":\"ACCEPT\"}}\n".into(), 1),
        // An OCI object with no flow field in it holds no record.
        ("empty-data.json", "{\"data\":{}}\n{\"data\":{\"action\":\"ACCEPT\"}}\n".into(), 1),
        ("empty-data-array.json", "[{\"data\":{\"action\":\"ACCEPT\"}},{\"data\":{\"bad\":1}}]\n".into(), 1),
        ("aws.json", "{\"srcaddr\":\"1.2.3.x\",\"action\":\"ACCEPT\"}\n{\"srcaddr\":\"1.2.3.4\"}\n".into(), 1),
    ];
    for (name, text, want) in cases {
        let p = write(&dir, name, text);
        let count = records_reading(&p, &[]);
        let action = records_reading(&p, &[Col::Action]);
        let all = records_reading(&p, &flowq::schema::FieldMask::all().iter().collect::<Vec<_>>());
        assert_eq!(count.0, *want, "{name}: records read by a count");
        assert_eq!((count, action), (all, all), "{name}: (records, skipped) by what is read");
    }
    let s = load(
        &[write(&dir, "max2.log", &"2 1.2.3.4 5.6.7.8 1 2 6 9223372036854775807 1 1 1 ACCEPT OK\n".repeat(2))],
        LoadOptions::default(),
    );
    assert_eq!(cell(&s.records, 0, "Packets"), "9223372036854775807");
    let out = s.run("* | stats sum(Packets) as P").unwrap();
    assert_eq!(
        out.table.get(0, 0).to_text().unwrap(),
        "18446744073709552000",
        "a sum past 64 bits is a fraction, never wrapped"
    );
}

#[test]
fn entity_is_the_interface_whichever_cloud_names_it() {
    let s = load(
        &[
            samples().join("aws-v5-custom-header.log"),
            samples().join("oci-logging.jsonl"),
            samples().join("oci-vcn-text.log"),
        ],
        LoadOptions::default(),
    );
    let out = s.run("* | stats count by 'Entity Type', Entity | sort 'Entity Type', Entity").unwrap();
    let rows: Vec<String> = (0..out.table.len())
        .map(|r| {
            (0..3)
                .map(|c| out.table.get(c, r).to_text().map_or("null".into(), |v| v.into_owned()))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert_eq!(
        rows,
        [
            "AWS Network Interface|eni-1235b8ca123456789|2",
            "OCI VNIC|ocid1.vnic.oc1.phx...|1",
            "OCI VNIC|ocid1.vnic.oc1.phx.aaaa|2",
            "null|null|4",
        ]
    );
    // Named only: a listing of whole records leaves them out.
    let out = s.run("'Log Source' = 'OCI VCN Flow Unified Schema Logs' | head 1").unwrap();
    for f in ["Entity", "Entity Type", "Log Group"] {
        assert!(out.table.index_of(f).is_none(), "{f}");
    }
}

#[test]
fn jsonextract_reads_the_records_own_json() {
    let s = sample("oci-logging.jsonl");
    let count = |q: &str| s.run(q).unwrap().table.get(0, 0).to_text().unwrap().into_owned();
    // Where a record has an action, it is at $.data.action (or, in Logging's export
    // form, $.logContent.data.action); the flow id likewise.
    let with_action = count("* | where Action != null | stats count");
    let q = "* | jsonextract A = '$.data.action', B = '$.logContent.data.action' | where A = Action or B = Action | stats count";
    assert_eq!(count(q), with_action);
    let q = "* | jsonextract F = '$.data.flowid', G = \"$['logContent']['data']['flowid']\" \
             | where F = 'Flow ID' or G = 'Flow ID' | stats count";
    assert_eq!(count(q), count("'Flow ID' != null | stats count"));
    assert_eq!(count("* | jsonextract A = '$.data.action' | where A != null and Action = null | stats count"), "0");
    let e = s.run("* | jsonextract A = 'data.action'").unwrap_err();
    assert!(e.error.message.contains("bad JSON path"), "{}", e.error.message);
}

#[cfg(unix)]
#[test]
fn directories_are_walked_once_per_real_file() {
    use std::os::unix::fs::symlink;
    let dir = scratch("walk-once");
    let logs = dir.join("logs");
    std::fs::create_dir_all(logs.join("sub")).unwrap();
    let line = "2 1.2.3.4 5.6.7.8 1 2 6 1 1 1700000000 1700000060 ACCEPT OK\n";
    std::fs::write(logs.join("a.log"), line.repeat(5)).unwrap();
    symlink(logs.join("a.log"), logs.join("alias.log")).unwrap(); // the same file again
    symlink(&logs, logs.join("sub/loop")).unwrap(); // a loop back up
    symlink(&dir, logs.join("sub/loop2")).unwrap(); // a second loop, through the parent
    symlink("/dev/null", logs.join("dev")).unwrap(); // a device
    let fifo = logs.join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let s = load(std::slice::from_ref(&logs), LoadOptions::default());
    assert_eq!(s.records.len(), 5, "{:?}", s.report.passed_over);
    let why = s.report.warnings().join("\n");
    for (path, reason) in [
        ("alias.log", "the same file as one already read"),
        ("loop", "a directory already read"),
        ("dev", "not a regular file"),
        ("pipe", "not a regular file"),
    ] {
        assert!(why.lines().any(|l| l.contains(path) && l.contains(reason)), "{path}: {why}");
    }
    // Named on its own, a link is read as asked.
    let s = load(&[logs.join("a.log"), logs.join("alias.log")], LoadOptions::default());
    assert_eq!(s.records.len(), 10);
}

#[cfg(unix)]
#[test]
fn a_file_that_shrinks_while_read_is_an_error_never_a_crash() {
    use std::os::unix::process::ExitStatusExt;
    let dir = scratch("shrinks");
    let line = "2 1.2.3.4 5.6.7.8 1 2 6 1 1 1700000000 1700000060 ACCEPT OK\n";
    let body = line.repeat(600_000);
    for attempt in 0..4 {
        let p = dir.join(format!("big{attempt}.log"));
        std::fs::write(&p, &body).unwrap();
        let child = common::flowq()
            .args(["run", "-i", p.to_str().unwrap(), "-c", "* | stats count by 'Source IP', 'Source Port'"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5 + 10 * attempt));
        std::fs::OpenOptions::new().write(true).open(&p).unwrap().set_len(100).unwrap();
        let out = child.wait_with_output().unwrap();
        // Whenever the cut lands, the run ends by itself: never by a signal.
        assert_eq!(out.status.signal(), None, "{:?}", out.status);
        let err = String::from_utf8_lossy(&out.stderr);
        if out.status.code() == Some(1) && err.contains("shrank") {
            assert!(err.contains(&format!("'{}'", p.display())), "{err}");
            assert!(err.contains("--no-mmap"), "{err}");
        }
    }
}
