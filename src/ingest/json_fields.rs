//! The JSON keys flowq reads as record fields, and how each value converts: OCI's
//! `data` and `oracle` keys, and (through the AWS text layout) AWS's.

use super::columns::Sink;
use super::json_cursor::{Val, R};
use super::layout::Kind;
use super::text::{self, Parsed};
use crate::schema::{Col, FieldMask};

/// The OCI fields under `data`.
pub(super) const OCI_DATA: [(&str, Col, Kind); 13] = [
    ("version", Col::Version, Kind::Int { max: i64::MAX, what: "a number" }),
    ("sourceAddress", Col::SourceIp, Kind::Ip),
    ("destinationAddress", Col::DestinationIp, Kind::Ip),
    ("sourcePort", Col::SourcePort, Kind::Int { max: 65_535, what: "a port (0-65535)" }),
    ("destinationPort", Col::DestinationPort, Kind::Int { max: 65_535, what: "a port (0-65535)" }),
    ("protocol", Col::Protocol, Kind::Int { max: 255, what: "a protocol number (0-255)" }),
    ("packets", Col::Packets, Kind::Int { max: i64::MAX, what: "a number" }),
    ("bytesOut", Col::ContentSizeOut, Kind::Int { max: i64::MAX, what: "a number" }),
    ("startTime", Col::Time, Kind::Time),
    ("endTime", Col::FlowEndTime, Kind::Time),
    ("action", Col::Action, Kind::Text),
    ("status", Col::Status, Kind::Text),
    ("flowid", Col::FlowId, Kind::Text),
];

/// The OCI fields under `oracle`.
pub(super) const OCI_ORACLE: [(&str, Col); 7] = [
    ("vnicocid", Col::VnicOcid),
    ("vnicsubnetocid", Col::SubnetOcid),
    ("compartmentid", Col::CompartmentOcid),
    ("vcnOcid", Col::VcnOcid),
    ("instanceOcid", Col::InstanceOcid),
    ("resourceType", Col::ResourceType),
    ("loggroupid", Col::LogGroup),
];

/// The record fields OCI's JSON records hold.
pub fn oci_fields() -> impl Iterator<Item = Col> {
    OCI_DATA.iter().map(|f| f.1).chain(OCI_ORACLE.iter().map(|f| f.1))
}

/// A field value decided, to be written once the record's format is known, and whether
/// the load stores it: a field it does not want is still checked, so which records are
/// records never depends on what a query reads.
pub(super) type Found<'a> = Vec<(Col, Val<'a>, Kind, &'static str, bool)>;

/// Whether a field is looked at: stored, or able to be malformed.
#[inline]
pub(super) fn looked_at(mask: FieldMask, col: Col, kind: Kind) -> bool {
    mask.contains(col) || kind != Kind::Text
}

/// Read the value of one field as its kind says; `Err` names what it should be.
pub(super) fn convert<'v>(v: &'v Val, kind: Kind) -> Result<Parsed<'v>, &'static str> {
    let null = || match kind {
        Kind::Ip => Parsed::Ip(None),
        Kind::Text => Parsed::Text(None),
        _ => Parsed::Int(None),
    };
    match v {
        Val::Null => Ok(null()),
        Val::Str(s) if kind == Kind::Text => Ok(Parsed::Text(Some(s).filter(|s| &s[..] != b"-").map(|s| &s[..]))),
        Val::Str(s) if s.is_empty() => Ok(null()),
        Val::Str(s) => match kind {
            Kind::Time if !s.iter().all(u8::is_ascii_digit) => std::str::from_utf8(s)
                .ok()
                .and_then(crate::store::time::parse)
                .map(|ms| Parsed::Int(Some(ms)))
                .ok_or("a time (epoch seconds or RFC 3339)"),
            _ => text::read(s, kind),
        },
        Val::Num(n) => match kind {
            Kind::Ip | Kind::Text => Ok(match kind {
                Kind::Text => Parsed::Text(Some(n)),
                _ => return Err("an IP address"),
            }),
            _ => {
                // Integers, or floats with nothing after the point (`8080.0`).
                let digits = match n.iter().position(|&c| c == b'.') {
                    Some(p) if n[p + 1..].iter().all(|&c| c == b'0') => &n[..p],
                    _ => n,
                };
                text::read(digits, kind)
            }
        },
        Val::Bool(_) | Val::Nested(_) => match kind {
            Kind::Ip => Err("an IP address"),
            Kind::Text => Err("text"),
            Kind::Time => Err("a time"),
            Kind::Int { what, .. } => Err(what),
        },
    }
}

/// The OCI field `data.<key>`.
#[inline]
pub(super) fn oci_data_field(key: &[u8]) -> Option<&'static (&'static str, Col, Kind)> {
    OCI_DATA.iter().find(|(n, _, _)| n.as_bytes() == key)
}

/// Write a record's fields (the ones it lacks stay null).
pub(super) fn write(found: &Found, sink: &mut Sink) -> R<()> {
    for (col, v, kind, name, keep) in found {
        match convert(v, *kind) {
            Ok(_) if !keep => {}
            Ok(Parsed::Int(x)) => sink.int(*col, x),
            Ok(Parsed::Ip(x)) => sink.ip(*col, x),
            Ok(Parsed::Text(x)) => sink.text(*col, x),
            Err(what) => return Err(format!("{name}: {} is not {what}", shown(v))),
        }
    }
    Ok(())
}

fn shown(v: &Val) -> String {
    let s = match v {
        Val::Null => "null".into(),
        Val::Bool(b) => b.to_string(),
        Val::Num(n) => String::from_utf8_lossy(n).into_owned(),
        Val::Str(s) => format!("\"{}\"", String::from_utf8_lossy(s)),
        Val::Nested(t) => String::from_utf8_lossy(t).into_owned(),
    };
    s.chars().take(60).collect()
}
