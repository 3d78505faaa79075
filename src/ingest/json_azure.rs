//! Azure flow logs: network security group (NSG) flow logs, versions 1 and 2
//! (`properties.flows[].flows[].flowTuples`), and virtual network (VNet) flow logs,
//! version 4 (`flowRecords.flows[].flowGroups[].flowTuples`). One JSON record holds
//! many tuples; each tuple is a flow.
//!
//! A version 2 or 4 tuple counts both directions of its flow (packets and bytes source
//! to destination, and destination to source, since the last update). flowq's records
//! are one direction each, as OCI's and AWS's are, so a tuple with traffic both ways is
//! two records: the tuple as written, and its reply with the addresses, ports and
//! direction turned round and the destination-to-source counters (docs/INPUTS.md).
//! Then `sum('Content Size Out')` by source and destination means the same in every
//! cloud.

use std::borrow::Cow;

use super::columns::Sink;
use super::json_cursor::{Reader, Val, R};
use super::layout::{Kind, NUMBER, PORT, PROTOCOL};
use super::text::{self, Parsed, AZURE_NSG, AZURE_VNET};
use super::Skip;
use crate::schema::{Col, FieldMask};

/// Whether a JSON record (or a blob of them) is Azure's: it holds flow tuples.
pub(super) fn is_azure(text: &[u8]) -> bool {
    memchr::memmem::find(text, b"\"flowTuples\"").is_some()
}

/// The record fields Azure's records hold.
pub const AZURE_FIELDS: [Col; 17] = [
    Col::Version,
    Col::SourceIp,
    Col::DestinationIp,
    Col::SourcePort,
    Col::DestinationPort,
    Col::Protocol,
    Col::Packets,
    Col::ContentSizeOut,
    Col::Time,
    Col::Action,
    Col::FlowDirection,
    Col::FlowState,
    Col::FlowEncryption,
    Col::Rule,
    Col::MacAddress,
    Col::ResourceId,
    Col::AclId,
];

/// What the tuples of one group share.
#[derive(Clone, Default)]
struct Group<'a> {
    vnet: bool,
    version: Option<i64>,
    mac: Option<Cow<'a, [u8]>>,
    resource: Option<Cow<'a, [u8]>>,
    acl: Option<Cow<'a, [u8]>>,
    rule: Option<Cow<'a, [u8]>>,
}

/// Where the tuples go, and what went wrong with some of them.
pub(super) struct Out<'s, 'b, 'c> {
    pub sink: &'s mut Sink<'b>,
    pub mask: FieldMask,
    /// The line the record starts on, for skipped tuples.
    pub line: u64,
    pub skips: &'c mut Vec<Skip>,
}

/// Read an Azure record, or a blob `{"records": [...]}` of them, writing a row per
/// tuple direction (each row ended here). A malformed tuple is skipped and counted with
/// its place; a malformed record is the error.
pub(super) fn parse(text: &[u8], out: &mut Out) -> R<()> {
    let mut records = None;
    each_field(text, |k, v| {
        if k == b"records" {
            records = Some(v);
        }
    })?;
    match records {
        Some(Val::Nested(list)) => Reader { b: list, i: 0 }.array(|i, r| match r.value()? {
            Val::Nested(rec) => record(rec, out).map_err(|e| format!("records[{i}]: {e}")),
            _ => Err(format!("records[{i}] is not an object")),
        }),
        Some(_) => Err("records is not an array".into()),
        None => record(text, out),
    }
}

/// Call `f` with each key of the object `text` and its value.
fn each_field<'a>(text: &'a [u8], mut f: impl FnMut(&[u8], Val<'a>)) -> R<()> {
    let mut r = Reader { b: text, i: 0 };
    r.object(|k, r| {
        let v = r.value()?;
        f(k, v);
        Ok(())
    })
}

/// The elements of the array `v`, each with its index.
fn each_element<'a>(v: &Val<'a>, what: &str, mut f: impl FnMut(usize, Val<'a>) -> R<()>) -> R<()> {
    let Val::Nested(list) = v else { return Err(format!("{what} is not an array")) };
    Reader { b: list, i: 0 }.array(|i, r| {
        let v = r.value()?;
        f(i, v).map_err(|e| format!("{what}[{i}]: {e}"))
    })
}

fn text_of<'a>(v: Val<'a>) -> Option<Cow<'a, [u8]>> {
    match v {
        Val::Str(s) => Some(s),
        Val::Num(n) => Some(Cow::Borrowed(n)),
        _ => None,
    }
}

/// One record: NSG (`properties`) or VNet (`flowRecords`).
fn record(text: &[u8], out: &mut Out) -> R<()> {
    let mut g = Group::default();
    let (mut properties, mut flow_records) = (None, None);
    each_field(text, |k, v| match k {
        b"macAddress" => g.mac = text_of(v),
        b"resourceId" | b"targetResourceID" => g.resource = text_of(v),
        b"flowLogVersion" => {
            g.vnet = true;
            g.version = text_of(v).and_then(|t| text::uint(&t));
        }
        b"properties" => properties = Some(v),
        b"flowRecords" => flow_records = Some(v),
        _ => {}
    })?;
    if let Some(Val::Nested(p)) = properties {
        let mut flows = None;
        each_field(p, |k, v| match k {
            b"Version" => g.version = text_of(v).and_then(|t| text::uint(&t)),
            b"flows" => flows = Some(v),
            _ => {}
        })?;
        let flows = flows.ok_or("properties has no flows")?;
        return each_element(&flows, "flows", |_, rule| {
            let mut g = g.clone();
            let mut inner = None;
            fields_of(&rule, |k, v| match k {
                b"rule" => g.rule = text_of(v),
                b"flows" => inner = Some(v),
                _ => {}
            })?;
            each_element(&inner.ok_or("no flows")?, "flows", |_, nic| {
                let mut g = g.clone();
                let mut tuples = None;
                fields_of(&nic, |k, v| match k {
                    b"mac" => g.mac = text_of(v),
                    b"flowTuples" => tuples = Some(v),
                    _ => {}
                })?;
                write_tuples(&tuples.ok_or("no flowTuples")?, &g, out)
            })
        });
    }
    if let Some(Val::Nested(f)) = flow_records {
        g.vnet = true;
        let mut flows = None;
        each_field(f, |k, v| {
            if k == b"flows" {
                flows = Some(v);
            }
        })?;
        return each_element(&flows.ok_or("flowRecords has no flows")?, "flows", |_, acl| {
            let mut g = g.clone();
            let mut groups = None;
            fields_of(&acl, |k, v| match k {
                b"aclID" => g.acl = text_of(v),
                b"flowGroups" => groups = Some(v),
                _ => {}
            })?;
            each_element(&groups.ok_or("no flowGroups")?, "flowGroups", |_, group| {
                let mut g = g.clone();
                let mut tuples = None;
                fields_of(&group, |k, v| match k {
                    b"rule" => g.rule = text_of(v),
                    b"flowTuples" => tuples = Some(v),
                    _ => {}
                })?;
                write_tuples(&tuples.ok_or("no flowTuples")?, &g, out)
            })
        });
    }
    Err("an Azure record without properties.flows or flowRecords.flows".into())
}

fn fields_of<'a>(v: &Val<'a>, f: impl FnMut(&[u8], Val<'a>)) -> R<()> {
    match v {
        Val::Nested(t) if t.starts_with(b"{") => each_field(t, f),
        _ => Err("not an object".into()),
    }
}

/// Write each tuple of `tuples`; a malformed one is skipped and counted.
fn write_tuples(tuples: &Val, g: &Group, out: &mut Out) -> R<()> {
    each_element(tuples, "flowTuples", |i, t| {
        let result = match &t {
            Val::Str(s) => Tuple::parse(s, g.vnet).and_then(|tuple| tuple.write(s, g, out)),
            _ => Err("a tuple is not a string".into()),
        };
        if let Err(reason) = result {
            let shown = match &t {
                Val::Str(s) => String::from_utf8_lossy(s).chars().take(60).collect(),
                _ => String::new(),
            };
            out.skips.push(Skip { line: out.line, reason: format!("flowTuples[{i}] \"{shown}\": {reason}") });
        }
        Ok(())
    })
}

/// One flow tuple, read and checked before anything is written.
struct Tuple<'t> {
    time: i64,
    src: Option<u128>,
    dst: Option<u128>,
    sport: Option<i64>,
    dport: Option<i64>,
    protocol: Option<i64>,
    inbound: bool,
    denied: bool,
    state: Option<&'t [u8]>,
    encryption: Option<&'t [u8]>,
    /// Packets and bytes, source to destination and back.
    forward: (Option<i64>, Option<i64>),
    reply: (Option<i64>, Option<i64>),
}

/// A number of a tuple; an empty field (the counters of B tuples and denies) is null.
fn int(tok: &[u8], kind: Kind, name: &str) -> R<Option<i64>> {
    if tok.is_empty() {
        return Ok(None);
    }
    match text::read(tok, kind) {
        Ok(Parsed::Int(v)) => Ok(v),
        Ok(_) => Ok(None),
        Err(what) => Err(format!("{name}: '{}' is not {what}", String::from_utf8_lossy(tok))),
    }
}

fn addr(tok: &[u8], name: &str) -> R<Option<u128>> {
    match text::read(tok, Kind::Ip) {
        Ok(Parsed::Ip(v)) => Ok(v),
        _ => Err(format!("{name}: '{}' is not an IP address", String::from_utf8_lossy(tok))),
    }
}

impl<'t> Tuple<'t> {
    /// NSG: `time,src,dst,sport,dport,T|U,I|O,A|D` and (v2) `,B|C|E,packets,bytes,
    /// packets,bytes`; VNet: `time-ms,src,dst,sport,dport,protocol,I|O,B|C|E|D,
    /// encryption,packets,bytes,packets,bytes`.
    fn parse(s: &'t [u8], vnet: bool) -> R<Tuple<'t>> {
        let f: Vec<&[u8]> = s.split(|&c| c == b',').map(<[u8]>::trim_ascii).collect();
        let widths: &[usize] = if vnet { &[13] } else { &[8, 13] };
        if !widths.contains(&f.len()) {
            let want = if vnet { "13" } else { "8 or 13" };
            return Err(format!("expected {want} comma-separated fields, found {}", f.len()));
        }
        let ms = int(f[0], NUMBER, "time")?.ok_or("time: missing")?;
        let time = if vnet { ms } else { ms.checked_mul(1000).ok_or("time: past what a time holds")? };
        let protocol = if vnet {
            int(f[5], PROTOCOL, "protocol")?
        } else {
            match f[5] {
                b"T" => Some(6),
                b"U" => Some(17),
                b"*" | b"" => None,
                p => return Err(format!("protocol: '{}' is not T or U", String::from_utf8_lossy(p))),
            }
        };
        let inbound = match f[6] {
            b"I" => true,
            b"O" => false,
            d => return Err(format!("direction: '{}' is not I or O", String::from_utf8_lossy(d))),
        };
        let (denied, state, encryption, counters) = if vnet {
            let state = f[7];
            if !matches!(state, b"B" | b"C" | b"E" | b"D") {
                return Err(format!("flow state: '{}' is not B, C, E or D", String::from_utf8_lossy(state)));
            }
            (state == b"D", Some(state), Some(f[8]).filter(|e| !e.is_empty()), &f[9..])
        } else {
            let denied = match f[7] {
                b"A" => false,
                b"D" => true,
                d => return Err(format!("decision: '{}' is not A or D", String::from_utf8_lossy(d))),
            };
            let state = f.get(8).copied().filter(|s| !s.is_empty());
            if let Some(s) = state.filter(|s| !matches!(*s, b"B" | b"C" | b"E")) {
                return Err(format!("flow state: '{}' is not B, C or E", String::from_utf8_lossy(s)));
            }
            (denied, state, None, f.get(9..).unwrap_or(&[]))
        };
        let count = |i: usize, name| counters.get(i).map_or(Ok(None), |t| int(t, NUMBER, name));
        Ok(Tuple {
            time,
            src: addr(f[1], "source address")?,
            dst: addr(f[2], "destination address")?,
            sport: int(f[3], PORT, "source port")?,
            dport: int(f[4], PORT, "destination port")?,
            protocol,
            inbound,
            denied,
            state,
            encryption,
            forward: (count(0, "packets sent")?, count(1, "bytes sent")?),
            reply: (count(2, "packets received")?, count(3, "bytes received")?),
        })
    }

    /// Write the tuple's row, and its reply's when traffic went back.
    fn write(&self, text: &[u8], g: &Group, out: &mut Out) -> R<()> {
        let back = matches!(self.reply, (Some(p), _) if p > 0) || matches!(self.reply, (_, Some(b)) if b > 0);
        if out.sink.rows() + 1 + back as usize > out.sink.capacity() {
            return Err("more flow tuples than this part of the input was read for: read the file on its own".into());
        }
        self.row(text, g, out, false);
        if back {
            self.row(text, g, out, true);
        }
        Ok(())
    }

    fn row(&self, text: &[u8], g: &Group, out: &mut Out, reply: bool) {
        let s = &mut *out.sink;
        s.source(if g.vnet { AZURE_VNET } else { AZURE_NSG });
        let ((src, sport), (dst, dport)) = ((self.src, self.sport), (self.dst, self.dport));
        let (from, to) = if reply { ((dst, dport), (src, sport)) } else { ((src, sport), (dst, dport)) };
        let ((packets, bytes), inbound) =
            if reply { (self.reply, !self.inbound) } else { (self.forward, self.inbound) };
        s.int(Col::Version, g.version);
        s.int(Col::Time, Some(self.time));
        s.ip(Col::SourceIp, from.0);
        s.int(Col::SourcePort, from.1);
        s.ip(Col::DestinationIp, to.0);
        s.int(Col::DestinationPort, to.1);
        s.int(Col::Protocol, self.protocol);
        s.int(Col::Packets, packets);
        s.int(Col::ContentSizeOut, bytes);
        s.text(Col::Action, Some(if self.denied { b"REJECT" } else { b"ACCEPT" }));
        s.text(Col::FlowDirection, Some(if inbound { &b"ingress"[..] } else { b"egress" }));
        s.text(Col::FlowState, self.state);
        s.text(Col::FlowEncryption, self.encryption);
        s.text(Col::Rule, g.rule.as_deref());
        s.text(Col::MacAddress, g.mac.as_deref());
        s.text(Col::ResourceId, g.resource.as_deref());
        s.text(Col::AclId, g.acl.as_deref());
        if out.mask.contains(Col::OriginalLogContent) {
            s.text(Col::OriginalLogContent, Some(text));
        }
        s.end_row();
    }
}
