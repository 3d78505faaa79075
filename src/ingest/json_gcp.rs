//! GCP VPC Flow Logs: Cloud Logging entries whose `jsonPayload` holds the flow
//! (`connection`, `bytes_sent`, `reporter`, the instance, VPC and location of each end),
//! as exported to files, Cloud Storage or BigQuery JSON. Each entry is one record.

use super::json_cursor::{Reader, R};
use super::json_fields::{looked_at, Found};
use super::layout::{Kind, NUMBER, PORT, PROTOCOL};
use crate::schema::{Col, FieldMask};

/// Fields directly under `jsonPayload`. Counters are JSON strings in GCP's export
/// (int64 as text), read like numbers.
const PAYLOAD: [(&str, Col, Kind); 6] = [
    ("bytes_sent", Col::ContentSizeOut, NUMBER),
    ("packets_sent", Col::Packets, NUMBER),
    ("start_time", Col::Time, Kind::Time),
    ("end_time", Col::FlowEndTime, Kind::Time),
    ("reporter", Col::Reporter, Kind::Text),
    ("rtt_msec", Col::Rtt, NUMBER),
];

/// Fields one object down in `jsonPayload`: (object, key, field, kind).
const NESTED: [(&str, &str, Col, Kind); 11] = [
    ("connection", "src_ip", Col::SourceIp, Kind::Ip),
    ("connection", "dest_ip", Col::DestinationIp, Kind::Ip),
    ("connection", "src_port", Col::SourcePort, PORT),
    ("connection", "dest_port", Col::DestinationPort, PORT),
    ("connection", "protocol", Col::Protocol, PROTOCOL),
    ("src_instance", "vm_name", Col::SourceVm, Kind::Text),
    ("dest_instance", "vm_name", Col::DestinationVm, Kind::Text),
    ("src_vpc", "vpc_name", Col::SourceVpc, Kind::Text),
    ("dest_vpc", "vpc_name", Col::DestinationVpc, Kind::Text),
    ("src_location", "country", Col::SourceCountry, Kind::Text),
    ("dest_location", "country", Col::DestinationCountry, Kind::Text),
];

/// The record fields GCP's entries hold.
pub fn gcp_fields() -> impl Iterator<Item = Col> {
    PAYLOAD.iter().map(|f| f.1).chain(NESTED.iter().map(|f| f.2)).chain([Col::ProjectId])
}

/// Read the `jsonPayload` object at the cursor into `found`; returns whether it held
/// any flow field (wanted or not).
pub(super) fn read_payload<'a>(r: &mut Reader<'a>, found: &mut Found<'a>, mask: FieldMask) -> R<bool> {
    let mut any = false;
    r.object(|k, r| {
        if let Some(&(name, col, kind)) = PAYLOAD.iter().find(|f| f.0.as_bytes() == k) {
            any = true;
            let v = r.value()?;
            if looked_at(mask, col, kind) {
                found.push((col, v, kind, name, mask.contains(col)));
            }
            return Ok(());
        }
        let parent = NESTED.iter().find(|f| f.0.as_bytes() == k).map(|f| f.0);
        let (Some(parent), Some(b'{')) = (parent, r.peek()) else {
            r.value()?;
            return Ok(());
        };
        r.object(|k, r| {
            let v = r.value()?;
            if let Some(&(_, name, col, kind)) = NESTED.iter().find(|f| f.0 == parent && f.1.as_bytes() == k) {
                any = true;
                if looked_at(mask, col, kind) {
                    found.push((col, v, kind, name, mask.contains(col)));
                }
            }
            Ok(())
        })
    })?;
    Ok(any)
}

/// Read the entry's `resource` object at the cursor: the project of its subnet.
pub(super) fn read_resource<'a>(r: &mut Reader<'a>, found: &mut Found<'a>, mask: FieldMask) -> R<()> {
    r.object(|k, r| {
        if k != b"labels" || r.peek() != Some(b'{') {
            r.value()?;
            return Ok(());
        }
        r.object(|k, r| {
            let v = r.value()?;
            if k == b"project_id" && mask.contains(Col::ProjectId) {
                found.push((Col::ProjectId, v, Kind::Text, "resource.labels.project_id", true));
            }
            Ok(())
        })
    })
}
