//! GCP VPC Flow Logs and Azure NSG / VNet flow logs: the samples of tests/samples with
//! every value of every record (tests/golden/clouds/, checked by hand against the
//! entries and tuples they come from), the edge cases each cloud documents, damaged
//! records counted with their place, and a tree that mixes every format.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{run, scratch, write};

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples").join(name).display().to_string()
}

fn golden(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/clouds").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const AZURE_FIELDS: &str = "* | fields Version, Time, 'Source IP', 'Source Port', 'Destination IP', \
    'Destination Port', Protocol, Action, 'Flow Direction', 'Flow State', 'Flow Encryption', Packets, \
    'Content Size Out', Rule, 'MAC Address', 'ACL ID', 'Resource ID', Entity, 'Entity Type', 'Log Source' \
    | sort Time, 'Source IP', 'Source Port'";

const GCP_FIELDS: &str = "* | fields Time, 'Flow End Time', 'Source IP', 'Source Port', 'Destination IP', \
    'Destination Port', Protocol, Packets, 'Content Size Out', Reporter, RTT, 'Source VM', 'Destination VM', \
    'Source VPC', 'Destination VPC', 'Source Country', 'Destination Country', 'Project ID', Action, Status, \
    'Log Source' | sort Time, Reporter";

/// `query` over `inputs` as CSV, checked to succeed with nothing skipped.
fn csv(inputs: &[&str], query: &str) -> String {
    let mut args = vec!["run", "-f", "csv", "-c", query];
    for i in inputs {
        args.extend(["-i", i]);
    }
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("skipped"), "{err}");
    out
}

#[test]
fn azure_nsg_version_2_every_value() {
    // Two records of one blob on separate lines; denies and B tuples without counters
    // are one record each, tuples with traffic back are two (the reply turned round).
    assert_eq!(csv(&[&sample("azure-nsg-v2.json")], AZURE_FIELDS), golden("azure-nsg-v2.csv"));
}

#[test]
fn azure_nsg_version_1_every_value() {
    // Version 1 tuples have no state or counters; a rule with no flows holds nothing.
    assert_eq!(csv(&[&sample("azure-nsg-v1.json")], AZURE_FIELDS), golden("azure-nsg-v1.csv"));
}

#[test]
fn azure_vnet_version_4_every_value() {
    // Pretty-printed, millisecond times, IANA protocol numbers, encryption, D denies.
    assert_eq!(csv(&[&sample("azure-vnet-v4.json")], AZURE_FIELDS), golden("azure-vnet-v4.csv"));
}

#[test]
fn gcp_vpc_flow_logs_every_value() {
    // One entry with only the destination's instance details (traffic from outside),
    // one flow reported by both ends, IPv6, and the newer networkmanagement log name.
    assert_eq!(csv(&[&sample("gcp-vpc-flows.jsonl")], GCP_FIELDS), golden("gcp-vpc-flows.csv"));
}

#[test]
fn bytes_between_two_hosts_match_the_tuples() {
    // 10.5.16.4 sent 16978 + 66 + 8489 + 1460 + 140 bytes out and received the replies'
    // 14008 + 66 + 7054 + 11840: each direction a record, as in AWS and OCI.
    let q = "'Source IP' = '10.5.16.4' | stats sum('Content Size Out') as Out";
    assert_eq!(csv(&[&sample("azure-nsg-v2.json")], q), "Out\n27133\n");
    let q = "'Destination IP' = '10.5.16.4' and Action = ACCEPT | stats sum('Content Size Out') as Received";
    assert_eq!(csv(&[&sample("azure-nsg-v2.json")], q), "Received\n32968\n");
    // GCP: the flow reported by both ends counts once per reporter.
    let q = "'Source IP' = '10.128.0.2' and Reporter = SRC | stats sum('Content Size Out') as B";
    assert_eq!(csv(&[&sample("gcp-vpc-flows.jsonl")], q), "B\n64000\n");
}

#[test]
fn formats_are_detected_and_named() {
    let (code, out, err) = run(&[
        "inspect",
        "-i",
        &sample("azure-nsg-v2.json"),
        "-i",
        &sample("azure-vnet-v4.json"),
        "-i",
        &sample("gcp-vpc-flows.jsonl"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("azure-nsg-v2.json (Azure NSG flow logs)\n  records        13"), "{out}");
    assert!(out.contains("azure-vnet-v4.json (Azure VNet flow logs)\n  records        7"), "{out}");
    assert!(out.contains("gcp-vpc-flows.jsonl (GCP VPC Flow Logs JSON)\n  records        4"), "{out}");
    // Each is a value of --input-format.
    for name in ["azure-nsg", "azure-vnet", "gcp-json"] {
        let (code, _, err) =
            run(&["run", "--input-format", name, "-i", &sample("azure-nsg-v1.json"), "-c", "* | stats count"]);
        assert_eq!(code, 0, "{name}: {err}");
    }
}

/// (records, skipped, stderr) of `stats count` over `path`.
fn count(path: &Path) -> (String, String) {
    let (code, out, err) = run(&["run", "-f", "csv", "-i", &path.display().to_string(), "-c", "* | stats count"]);
    assert_eq!(code, 0, "{err}");
    (out, err)
}

#[test]
fn damaged_tuples_and_entries_are_counted_with_their_place() {
    let dir = scratch("clouds-damaged");
    let tuples = [
        "1542110377,10.5.16.4,13.67.143.118,59831,443,T,O,A,B,,,,",
        "1542110377,10.5.16.999,13.67.143.118,59831,443,T,O,A,B,,,,",
        "1542110377,10.5.16.4,13.67.143.118,59831,443,T,O,Q,B,,,,",
        "1542110377,10.5.16.4,13.67.143.118,59831",
        "1542110377,10.5.16.4,13.67.143.118,59831,443,T,O,A,E,x,1,1,1",
        "1542110377,10.5.16.4,13.67.143.118,59831,443,T,O,A,E,1,99999999999999999999,1,1",
    ];
    let blob = format!(
        "{{\"records\":[{{\"resourceId\":\"/NSG\",\"properties\":{{\"Version\":2,\"flows\":[{{\"rule\":\"r\",\
         \"flows\":[{{\"mac\":\"M\",\"flowTuples\":[{}]}}]}}]}}}}]}}\n",
        tuples.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(",")
    );
    let p = write(&dir, "nsg.json", &blob);
    let (out, err) = count(&p);
    assert_eq!(out, "Count\n1\n");
    assert!(err.contains("skipped 5 malformed lines in"), "{err}");
    assert!(err.contains("flowTuples[1] \"1542110377,10.5.16.999"), "{err}");
    assert!(err.contains("source address: '10.5.16.999' is not an IP address"), "{err}");
    assert!(err.contains("decision: 'Q' is not A or D"), "{err}");
    assert!(err.contains("expected 8 or 13 comma-separated fields, found 4"), "{err}");
    // --strict makes the first one fatal.
    let (code, _, err) = run(&["run", "--strict", "-i", &p.display().to_string(), "-c", "* | stats count"]);
    assert_ne!(code, 0);
    assert!(err.contains("flowTuples[1]"), "{err}");

    let gcp = [
        r#"{"jsonPayload":{"connection":{"src_ip":"10.0.0.1","src_port":1,"dest_ip":"10.0.0.2","dest_port":2,"protocol":6},"bytes_sent":"10"}}"#,
        r#"{"jsonPayload":{"connection":{"src_ip":"10.0.0.1","src_port":70000,"dest_ip":"10.0.0.2","dest_port":2,"protocol":6}}}"#,
        r#"{"jsonPayload":{"connection":{"src_ip":"10.0.0.1"},"bytes_sent":"ten"}}"#,
        r#"{"jsonPayload":{"message":"not a flow"}}"#,
    ];
    let p = write(&dir, "gcp.jsonl", &(gcp.join("\n") + "\n"));
    let (out, err) = count(&p);
    assert_eq!(out, "Count\n1\n");
    assert!(err.contains("skipped 3 malformed lines"), "{err}");
    assert!(err.contains("line 2 (src_port: 70000 is not a port (0-65535))"), "{err}");
    assert!(err.contains("line 3 (bytes_sent: \"ten\" is not a number)"), "{err}");
    assert!(err.contains("line 4 (no flow log fields in this entry's jsonPayload)"), "{err}");
}

#[test]
fn a_record_is_a_record_whatever_the_query_reads() {
    // The count and a query reading every field agree on damaged cloud inputs.
    let dir = scratch("clouds-whatever");
    let nsg = "{\"records\":[{\"properties\":{\"Version\":2,\"flows\":[{\"rule\":\"r\",\"flows\":[{\"mac\":\"M\",\
               \"flowTuples\":[\"1,1.1.1.1,2.2.2.2,1,2,T,O,A,B,,,,\",\"1,1.1.1.x,2.2.2.2,1,2,T,O,A,B,,,,\"]}]}]}}]}";
    let gcp = "{\"jsonPayload\":{\"connection\":{\"src_ip\":\"1.1.1.1\"},\"reporter\":\"SRC\"}}\n\
               {\"jsonPayload\":{\"connection\":{\"src_ip\":\"1.1.1.x\"},\"reporter\":\"SRC\"}}\n";
    for (name, text) in [("n.json", nsg), ("g.jsonl", gcp)] {
        let p = write(&dir, name, text).display().to_string();
        let (_, a, ea) = run(&["run", "-f", "csv", "-i", &p, "-c", "* | stats count"]);
        let (_, b, eb) =
            run(&["run", "-f", "csv", "-i", &p, "-c", "* | stats count, distinctcount('Original Log Content')"]);
        assert_eq!(a, "Count\n1\n", "{name}: {ea}");
        assert!(b.starts_with("Count,") && b.ends_with("\n1,1\n"), "{name}: {b} {eb}");
        assert_eq!(ea, eb, "{name}: the same line is skipped");
    }
}

fn gzip_to(src: &str, dst: &Path) {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&std::fs::read(src).unwrap()).unwrap();
    std::fs::write(dst, e.finish().unwrap()).unwrap();
}

#[test]
fn a_tree_of_every_format_plain_and_gzipped() {
    let dir = scratch("clouds-tree");
    let deep: PathBuf = dir.join("AWSLogs/2026/11/27");
    std::fs::create_dir_all(&deep).unwrap();
    for f in ["oci-vcn-text.log", "oci-logging.jsonl", "aws-v2-default.log", "azure-nsg-v2.json", "gcp-vpc-flows.jsonl"]
    {
        std::fs::copy(sample(f), dir.join(f)).unwrap();
    }
    gzip_to(&sample("azure-vnet-v4.json"), &deep.join("vnet.json.gz"));
    gzip_to(&sample("azure-nsg-v1.json"), &deep.join("nsg1.json.gz"));
    gzip_to(&sample("gcp-vpc-flows.jsonl"), &deep.join("gcp.jsonl.gz"));
    gzip_to(&sample("aws-v5-custom-header.log"), &deep.join("aws5.log.gz"));
    let out = csv(
        &[&dir.display().to_string()],
        "* | stats count, sum('Content Size Out') as Bytes by 'Log Source' | sort 'Log Source'",
    );
    // Each line is the sum of its samples' counts and bytes (every value checked in
    // their own tests): AWS v2 (7 records) + v5; NSG v2 (13) + v1 (2); GCP twice; VNet once.
    let aws5 = csv(&[&sample("aws-v5-custom-header.log")], "* | stats count, sum('Content Size Out') as Bytes");
    let aws2 = csv(&[&sample("aws-v2-default.log")], "* | stats count, sum('Content Size Out') as Bytes");
    let num = |s: &str, i: usize| s.lines().nth(1).unwrap().split(',').nth(i).unwrap().parse::<i64>().unwrap_or(0);
    let aws = (num(&aws2, 0) + num(&aws5, 0), num(&aws2, 1) + num(&aws5, 1));
    let want = format!(
        "Log Source,Count,Bytes\n\
         AWS VPC Flow Logs,{},{}\n\
         Azure NSG Flow Logs,15,60101\n\
         Azure VNet Flow Logs,7,7621\n\
         GCP VPC Flow Logs,8,268964\n\
         OCI VCN Flow Logs,4,17904\n\
         OCI VCN Flow Unified Schema Logs,3,21246\n",
        aws.0, aws.1
    );
    assert_eq!(out, want);
}

#[test]
fn third_party_gcp_fixtures_parse_as_their_authors_expect() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples/third-party/sekoia-intake-formats/google-vpc-flow-logs");
    let scratch = scratch("clouds-sekoia");
    for name in ["flow_logs_gke.json", "flow_logs_gke2.json"] {
        let fixture: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        let p = write(&scratch, name, fixture["input"]["message"].as_str().unwrap());
        let e = &fixture["expected"];
        let out = csv(
            &[&p.display().to_string()],
            "* | fields 'Source IP', 'Source Port', 'Destination IP', 'Destination Port', Protocol, \
             'Content Size Out', Packets, Time, 'Flow End Time'",
        );
        let row: Vec<&str> = out.lines().nth(1).unwrap().split(',').collect();
        let ms = |t: &str| t[..23].to_string() + "Z"; // flowq holds milliseconds
        assert_eq!(
            row,
            [
                e["source"]["ip"].as_str().unwrap().to_string(),
                e["source"]["port"].to_string(),
                e["destination"]["ip"].as_str().unwrap().to_string(),
                e["destination"]["port"].to_string(),
                e["network"]["iana_number"].as_str().unwrap().to_string(),
                e["network"]["bytes"].to_string(),
                e["network"]["packets"].to_string(),
                ms(e["event"]["start"].as_str().unwrap()),
                ms(e["event"]["end"].as_str().unwrap()),
            ],
            "{name}"
        );
    }
}

#[test]
fn generated_clouds_hold_the_same_flows() {
    // `flowq gen -f gcp-json|azure-vnet` writes the records of the OCI text that carry
    // traffic (GCP and Azure log no NODATA): the same counts and sums, read back.
    let dir = scratch("clouds-gen");
    let file = |f: &str| {
        let p = dir.join(format!("g.{f}")).display().to_string();
        let (code, _, err) = run(&["gen", "--records", "5000", "--seed", "3", "-f", f, "-o", &p]);
        assert_eq!(code, 0, "{err}");
        p
    };
    let (oci, gcp, azure) = (file("oci"), file("gcp-json"), file("azure-vnet"));
    let sums = "| stats count, sum('Content Size Out') as B, sum(Packets) as P, distinctcount('Source IP') as S";
    let want = csv(&[&oci], &format!("isnotnull(Protocol) {sums}"));
    assert_eq!(csv(&[&gcp], &format!("* {sums}")), want);
    assert_eq!(csv(&[&azure], &format!("* {sums}")), want);
    let by_action = "| stats count, sum('Content Size Out') by Action";
    assert_eq!(csv(&[&azure], &format!("* {by_action}")), csv(&[&oci], &format!("isnotnull(Protocol) {by_action}")));
    // AWS text, the default 14 fields and the 29 of version 5 behind their header, holds
    // every record, NODATA too.
    let (aws, aws_v5) = (file("aws"), file("aws-v5"));
    let all = format!("* {sums}, max('Flow End Time') as E, sum(Protocol) as R by Status");
    assert_eq!(csv(&[&aws], &all), csv(&[&oci], &all));
    assert_eq!(csv(&[&aws_v5], &all), csv(&[&oci], &all));
    assert!(std::fs::read_to_string(&aws_v5).unwrap().starts_with("version srcaddr dstaddr"));
    // The version 5 fields are read: ingress is traffic to the VCN's own addresses.
    let inbound = "isnotnull(Protocol) | eval Dir = if(cidrmatch('Destination IP', '10.0.0.0/8'), ingress, egress) | stats count by Dir";
    let direction = "isnotnull(Protocol) | stats count by 'Flow Direction'";
    assert_eq!(csv(&[&aws_v5], direction).replace("Flow Direction", "Dir"), csv(&[&oci], inbound));
    let v5 = "* | stats distinctcount('Traffic Type') as T, distinctcount('Interface ID') as I, sum('Traffic Path') as P, max(Version) as V";
    let out = csv(&[&aws_v5], v5);
    assert!(out.starts_with("T,I,P,V\n1,") && out.trim_end().ends_with(",5"), "{out}");
}
