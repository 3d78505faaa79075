//! The formats `gen` writes its OCI text lines in.

use std::io::{self, Write};

use super::GenFormat;
use crate::store::time;

/// The header line that begins a file of `format`, if it has one.
pub(super) fn header(format: GenFormat) -> Option<&'static str> {
    (format == GenFormat::AwsV5).then_some(AWS_V5_HEADER)
}

/// AWS's version 5 custom format in the order of AWS's own example (FORMATS.md, the
/// aws-v5-custom-header sample): 29 fields, as S3 delivers them, behind a header.
const AWS_V5_HEADER: &str = "version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status\n";

/// Write OCI text lines of `text` to `out` in `format`; returns how many records the
/// format cannot hold and so were left out.
pub(super) fn write_as(text: &[u8], format: GenFormat, out: &mut impl Write) -> io::Result<u64> {
    if format == GenFormat::Oci {
        return out.write_all(text).map(|_| 0);
    }
    let mut left_out = 0;
    let mut buf = Vec::with_capacity(text.len() * 3);
    let mut tuples: Vec<String> = Vec::new();
    for line in text.split(|&c| c == b'\n').filter(|l| !l.is_empty()) {
        let f: Vec<&str> = std::str::from_utf8(line).unwrap_or("").split(' ').collect();
        let [_, src, dst, sport, dport, proto, packets, bytes, start, end, action, status] = f[..] else { continue };
        let traffic = src != "-" && proto != "-";
        match format {
            GenFormat::GcpJson if traffic => {
                let t = |s: &str| time::rfc3339(s.parse::<i64>().unwrap_or(0) * 1000);
                let _ = writeln!(
                    buf,
                    "{{\"insertId\":\"{start}{sport}\",\"jsonPayload\":{{\"connection\":{{\"src_ip\":\"{src}\",\"src_port\":{sport},\"dest_ip\":\"{dst}\",\"dest_port\":{dport},\"protocol\":{proto}}},\"bytes_sent\":\"{bytes}\",\"packets_sent\":\"{packets}\",\"reporter\":\"SRC\",\"start_time\":\"{}\",\"end_time\":\"{}\"}},\"logName\":\"projects/acme/logs/compute.googleapis.com%2Fvpc_flows\",\"resource\":{{\"type\":\"gce_subnetwork\",\"labels\":{{\"project_id\":\"acme\"}}}}}}",
                    t(start),
                    t(end)
                );
            }
            GenFormat::AzureVnet if traffic => {
                let state = if action == "REJECT" { "D" } else { "E" };
                tuples.push(format!(
                    "\"{start}000,{src},{dst},{sport},{dport},{proto},O,{state},NX,{packets},{bytes},0,0\""
                ));
                if tuples.len() == 100 {
                    azure_record(&mut buf, &mut tuples);
                }
            }
            GenFormat::GcpJson | GenFormat::AzureVnet => left_out += 1,
            GenFormat::Aws => {
                let _ = writeln!(
                    buf,
                    "2 123456789012 eni-{:017x} {src} {dst} {sport} {dport} {proto} {packets} {bytes} {start} {end} {action} {status}",
                    interface(src, dst)
                );
            }
            GenFormat::AwsV5 => {
                let eni = interface(src, dst);
                // Traffic to the VCN's own addresses comes in; the rest goes out (path 8:
                // through an internet gateway).
                let inbound = dst.starts_with("10.") || dst.starts_with("fd00:");
                let (direction, path) = if inbound { ("ingress", "-") } else { ("egress", "8") };
                let kind = if !traffic {
                    "-"
                } else if src.contains(':') {
                    "IPv6"
                } else {
                    "IPv4"
                };
                let flags = match (proto, action) {
                    ("6", "ACCEPT") => "19",
                    ("6", _) => "2",
                    _ => "0",
                };
                let (flags, direction, path) = if traffic { (flags, direction, path) } else { ("-", "-", "-") };
                let _ = writeln!(
                    buf,
                    "5 {src} {dst} {sport} {dport} {proto} {start} {end} {kind} {packets} {bytes} 123456789012 vpc-0a1b2c3d4e5f67890 subnet-{:017x} i-{:017x} eni-{eni:017x} us-east-1 use1-az{} - - {action} {flags} {src} {dst} - - {path} {direction} {status}",
                    eni % 7,
                    eni >> 4,
                    1 + eni % 3
                );
            }
            _ => {
                let q = |v: &str| if v == "-" { "null".to_string() } else { format!("\"{v}\"") };
                let n = |v: &str| if v == "-" { "null".to_string() } else { v.to_string() };
                let _ = writeln!(
                    buf,
                    "{{\"data\":{{\"action\":{},\"bytesOut\":{},\"destinationAddress\":{},\"destinationPort\":{},\"endTime\":{end},\"packets\":{},\"protocol\":{},\"sourceAddress\":{},\"sourcePort\":{},\"startTime\":{start},\"status\":\"{status}\",\"version\":\"2\"}},\"oracle\":{{\"vnicocid\":\"ocid1.vnic.oc1.phx.{}\"}},\"type\":\"com.oraclecloud.vcn.flowlogs.DataEvent\"}}",
                    q(action),
                    n(bytes),
                    q(dst),
                    n(dport),
                    n(packets),
                    n(proto),
                    q(src),
                    n(sport),
                    src.rsplit('.').next().unwrap_or("0"),
                );
            }
        }
    }
    if !tuples.is_empty() {
        azure_record(&mut buf, &mut tuples);
    }
    out.write_all(&buf).map(|_| left_out)
}

/// The interface id of a record's pair of addresses: one per server address keeps the
/// interface ids realistic.
fn interface(src: &str, dst: &str) -> u64 {
    let h = src.bytes().chain(dst.bytes()).fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
    h & 0xfff_ffff_ffff_ffff
}

/// One Azure VNet flow log blob of one record holding `tuples` (which it empties).
fn azure_record(buf: &mut Vec<u8>, tuples: &mut Vec<String>) {
    let _ = writeln!(
        buf,
        "{{\"records\":[{{\"time\":\"2025-06-01T00:00:00Z\",\"flowLogVersion\":4,\"macAddress\":\"00224871C205\",\"category\":\"FlowLogFlowEvent\",\"targetResourceID\":\"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet\",\"operationName\":\"FlowLogFlowEvent\",\"flowRecords\":{{\"flows\":[{{\"aclID\":\"acl-1\",\"flowGroups\":[{{\"rule\":\"DefaultRule_AllowInternetOutBound\",\"flowTuples\":[{}]}}]}}]}}}}]}}",
        tuples.join(",")
    );
    tuples.clear();
}
