//! Parquet: AWS's S3 delivery (tests/samples/aws-vpc-flows.parquet, the AWS text samples
//! as AWS's Parquet columns: see tests/samples/README.md), Hive-partitioned trees, and
//! `-f parquet` read back by flowq with every value as the text it came from.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{fixed_file, run, scratch};

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples").join(name).display().to_string()
}

/// `query` over `inputs` as CSV, checked to succeed; returns (stdout, stderr).
fn csv(inputs: &[&str], query: &str) -> (String, String) {
    let mut args = vec!["run", "-f", "csv", "-c", query];
    for i in inputs {
        args.extend(["-i", i]);
    }
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    (out, err)
}

/// Every AWS field, in a stable order.
const AWS_LISTING: &str = "* | fields Version, 'Account ID', 'Interface ID', 'Source IP', 'Destination IP', \
    'Source Port', 'Destination Port', Protocol, 'Protocol Name', Packets, 'Content Size Out', Time, \
    'Flow End Time', Action, Status, 'VPC ID', 'Subnet ID', 'Instance ID', 'TCP Flags', 'Traffic Type', \
    'Packet Source IP', 'Packet Destination IP', Region, 'AZ ID', 'Sublocation Type', 'Sublocation ID', \
    'Source AWS Service', 'Destination AWS Service', 'Flow Direction', 'Traffic Path', Entity, 'Log Source' \
    | sort Time, 'Source IP', 'Interface ID'";

#[test]
fn aws_parquet_holds_the_records_of_its_text() {
    // The Parquet sample is the v2 default and v5 custom text samples in AWS's Parquet
    // columns (int versions and ports, bigint counters and epoch seconds, nulls for `-`),
    // gzip-compressed, four rows a row group: every value reads as from the text.
    let (text, _) = csv(&[&sample("aws-v2-default.log"), &sample("aws-v5-custom-header.log")], AWS_LISTING);
    let (parquet, err) = csv(&[&sample("aws-vpc-flows.parquet")], AWS_LISTING);
    assert_eq!(parquet, text);
    assert_eq!(parquet.lines().count(), 10, "9 records and the header");
    assert!(!err.contains("skipped"), "{err}");
    let (code, out, _) = run(&["inspect", "-i", &sample("aws-vpc-flows.parquet")]);
    assert_eq!(code, 0);
    assert!(out.contains("(AWS VPC Parquet)\n  records        9\n"), "{out}");
}

#[test]
fn hive_partitioned_trees_are_directories() {
    let dir = scratch("parquet-hive");
    let mut n = 0;
    for hour in ["09", "10", "11"] {
        let leaf: PathBuf = dir.join(format!(
            "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=11/day=27/hour={hour}"
        ));
        std::fs::create_dir_all(&leaf).unwrap();
        std::fs::copy(
            sample("aws-vpc-flows.parquet"),
            leaf.join(format!("123456789012_vpcflowlogs_{hour}.log.parquet")),
        )
        .unwrap();
        n += 1;
    }
    let (out, _) = csv(&[&dir.join("AWSLogs").display().to_string()], "* | stats count, sum('Content Size Out') as B");
    assert_eq!(out, format!("Count,B\n{},{}\n", 9 * n, 33540 * n));
}

#[test]
fn parquet_written_reads_back_as_its_text() {
    let dir = scratch("parquet-round-trip");
    let file = dir.join("day.parquet").display().to_string();
    let fixed = fixed_file().display().to_string();
    let (code, _, err) = run(&["run", "-i", &fixed, "-c", "* | fields *", "-f", "parquet", "-o", &file]);
    assert_eq!(code, 0, "{err}");
    // Records: every field of every record, the same from the text and from Parquet.
    let listing = "* | fields *, 'Upload Name' | fields -'Upload Name' | sort Time, 'Source IP', 'Source Port', \
                   'Destination IP', 'Destination Port', 'Content Size Out', Packets";
    let (a, _) = csv(&[&fixed], listing);
    let (b, _) = csv(&[&file], listing);
    assert_eq!(a.lines().count(), 3001);
    assert_eq!(a, b);
    // A result of every kind of value (times, durations, fractions, nulls) keeps its
    // values: read back through flowq's own record fields where it names them.
    let q = "* | link 'Source IP' | stats sum('Content Size Out') as Bytes \
             | eval Share = 1.0 * Bytes / 1000, Late = 'End Time' > 'Start Time'";
    let out = dir.join("groups.parquet").display().to_string();
    let (code, _, err) = run(&["run", "-i", &fixed, "-c", q, "-f", "parquet", "-o", &out]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
}

#[test]
fn parquet_output_goes_to_a_file_and_one_result_at_a_time() {
    let (code, _, err) = run(&["run", "-c", "* | head 1", "-c", "* | head 2", "-f", "parquet"]);
    assert_eq!(code, 2);
    assert!(err.contains("-f parquet writes one result, and 2 queries are given"), "{err}");
}

#[test]
fn bad_values_are_skipped_records_and_damage_is_an_error() {
    let dir = scratch("parquet-bad");
    let fixed = fixed_file().display().to_string();
    // A port past 65535 and an address that is none, written by flowq's own writer as
    // the record fields they claim to be.
    let file = dir.join("bad.parquet").display().to_string();
    let q = "* | head 10 | eval 'Source Port' = if('Destination Port' = 1521, 70000, 'Source Port') \
             | eval 'Source IP' = if('Destination Port' = 443, 'not-an-ip', 'Source IP') | fields *";
    let (code, _, err) = run(&["run", "-i", &fixed, "-c", q, "-f", "parquet", "-o", &file]);
    assert_eq!(code, 0, "{err}");
    let (all, _) =
        csv(&[&fixed], "* | head 10 | where 'Destination Port' != 1521 and 'Destination Port' != 443 | stats count");
    let (out, err) = csv(&[&file], "* | stats count");
    assert_eq!(out, all, "{err}");
    assert!(err.contains("malformed records in"), "{err}");
    assert!(err.contains("Source Port: 70000 is not a port (0-65535)"), "{err}");
    assert!(err.contains("Source IP: 'not-an-ip' is not an IP address"), "{err}");
    // The count and a query reading every field agree.
    let (every, err2) = csv(&[&file], "* | stats count, distinctcount('Original Log Content')");
    assert!(
        every.starts_with("Count,") && every.lines().nth(1).unwrap().starts_with(all.lines().nth(1).unwrap()),
        "{every}"
    );
    assert_eq!(err, err2);
    // --strict: the first is fatal, with its record number.
    let (code, _, err) = run(&["run", "--strict", "-i", &file, "-c", "* | stats count"]);
    assert_eq!(code, 1);
    assert!(err.contains("malformed record"), "{err}");

    // Damage: cut in half, or its bytes changed, is an error naming the file.
    let good = std::fs::read(sample("aws-vpc-flows.parquet")).unwrap();
    let cut = dir.join("cut.parquet");
    std::fs::write(&cut, &good[..good.len() / 2]).unwrap();
    let (code, _, err) = run(&["run", "-i", &cut.display().to_string(), "-c", "* | stats count"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cut.parquet' as Parquet"), "{err}");
    let mut seed = 5u64;
    for round in 0..40 {
        let mut bytes = good.clone();
        for _ in 0..8 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let at = 4 + (seed >> 33) as usize % (bytes.len() - 8);
            bytes[at] = (seed >> 17) as u8;
        }
        let p = dir.join(format!("flipped-{round}.parquet"));
        std::fs::write(&p, &bytes).unwrap();
        let (code, _, err) = run(&["run", "-i", &p.display().to_string(), "-c", "* | stats count"]);
        assert!(code == 0 || (code == 1 && err.contains("error:")), "round {round}: {code} {err}");
        assert!(!err.contains("panicked"), "round {round}: {err}");
    }
}

#[test]
fn findings_of_the_parquet_fuzz_target_are_errors() {
    // A footer with a negative column offset (the decoder would assert on it).
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let (code, _, err) = run(&[
        "run",
        "-i",
        &dir.join("parquet-negative-offset.parquet").display().to_string(),
        "-c",
        "* | stats count",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("outside the file") && !err.contains("panicked"), "{err}");
    // A value cut short: the decoder's own debug check (on in test builds) panics, which
    // flowq makes an error of the file; a release build reads the records. Never a crash.
    let (code, _, err) =
        run(&["run", "-i", &dir.join("parquet-short-value.parquet").display().to_string(), "-c", "* | stats count"]);
    assert!(code == 0 || (code == 1 && err.contains("as Parquet: row group 0 is damaged")), "{code}: {err}");
}

/// An AWS Parquet file of four records, one with an address that is none, written with
/// dictionary pages or with plain ones (as writers fall back to when a dictionary grows).
fn four_records(path: &Path, dictionary: bool) {
    use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    use std::sync::Arc;
    let schema = "message flows { required binary srcaddr (UTF8); required int32 dstport; required int64 bytes; }";
    let schema = Arc::new(parse_message_type(schema).unwrap());
    let props = Arc::new(WriterProperties::builder().set_dictionary_enabled(dictionary).build());
    let mut w = SerializedFileWriter::new(std::fs::File::create(path).unwrap(), schema, props).unwrap();
    let mut group = w.next_row_group().unwrap();
    let addresses: Vec<ByteArray> = ["10.0.0.1", "10.0.0.2", "not-an-ip", "10.0.0.1"].map(ByteArray::from).to_vec();
    let mut column = 0;
    while let Some(mut col) = group.next_column().unwrap() {
        match column {
            0 => col.typed::<ByteArrayType>().write_batch(&addresses, None, None),
            1 => col.typed::<Int32Type>().write_batch(&[443, 22, 80, 443], None, None),
            _ => col.typed::<Int64Type>().write_batch(&[100, 200, 400, 800], None, None),
        }
        .unwrap();
        col.close().unwrap();
        column += 1;
    }
    group.close().unwrap();
    w.close().unwrap();
}

#[test]
fn a_bad_address_is_skipped_whether_the_query_reads_its_column_or_not() {
    // A column the query does not read is checked from its dictionary when it has one
    // (each distinct value once), else row by row: either way the same record is skipped.
    let dir = scratch("parquet-checked");
    for dictionary in [true, false] {
        let file = dir.join(format!("four-{dictionary}.parquet"));
        four_records(&file, dictionary);
        let file = file.display().to_string();
        let (out, err) = csv(&[&file], "* | stats count, sum('Content Size Out') as Bytes");
        assert_eq!(out, "Count,Bytes\n3,1100\n", "dictionary {dictionary}: {err}");
        assert!(err.contains("srcaddr: 'not-an-ip' is not an IP address"), "{err}");
        let (out, err2) = csv(&[&file], "* | stats count, distinctcount('Source IP') as Sources");
        assert_eq!(out, "Count,Sources\n3,2\n", "dictionary {dictionary}: {err2}");
        assert_eq!(err, err2, "the same report whichever columns are read");
    }
}
