//! The formats `gen` writes its OCI text lines in.

use std::io::{self, Write};

use super::GenFormat;
use crate::store::time;

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
                // One interface per server address keeps the interface ids realistic.
                let eni = src.bytes().chain(dst.bytes()).fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
                let _ = writeln!(
                    buf,
                    "2 123456789012 eni-{:017x} {src} {dst} {sport} {dport} {proto} {packets} {bytes} {start} {end} {action} {status}",
                    eni & 0xfff_ffff_ffff_ffff
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

/// One Azure VNet flow log blob of one record holding `tuples` (which it empties).
fn azure_record(buf: &mut Vec<u8>, tuples: &mut Vec<String>) {
    let _ = writeln!(
        buf,
        "{{\"records\":[{{\"time\":\"2025-06-01T00:00:00Z\",\"flowLogVersion\":4,\"macAddress\":\"00224871C205\",\"category\":\"FlowLogFlowEvent\",\"targetResourceID\":\"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet\",\"operationName\":\"FlowLogFlowEvent\",\"flowRecords\":{{\"flows\":[{{\"aclID\":\"acl-1\",\"flowGroups\":[{{\"rule\":\"DefaultRule_AllowInternetOutBound\",\"flowTuples\":[{}]}}]}}]}}}}]}}",
        tuples.join(",")
    );
    tuples.clear();
}
