//! Column builders for flow records: what a reader fills, chunk by chunk, before the
//! chunks are concatenated into the record table.

use std::sync::Arc;

use crate::schema::{self, protocols, Col};
use crate::store::{Bitmap, Column, ColumnData, Dict, DictBuilder, StrData, Table};

/// Integers with validity.
#[derive(Default)]
pub struct IntVec {
    pub values: Vec<i64>,
    pub valid: Bitmap,
}

impl IntVec {
    #[inline]
    pub fn push(&mut self, v: Option<i64>) {
        self.values.push(v.unwrap_or(0));
        self.valid.push(v.is_some());
    }

    fn append(&mut self, other: IntVec) {
        self.values.extend_from_slice(&other.values);
        self.valid.extend_from(&other.valid);
    }
}

/// Addresses: 4 bytes each until the first IPv6 address turns the column into u128.
#[derive(Default)]
pub struct IpVec {
    v4: Vec<u32>,
    wide: Option<Vec<u128>>,
    pub valid: Bitmap,
}

impl IpVec {
    #[inline]
    pub fn push(&mut self, v: Option<u128>) {
        let a = v.unwrap_or(0);
        match (&mut self.wide, crate::store::ip::as_v4(a)) {
            (Some(w), _) => w.push(a),
            (None, Some(v4)) => self.v4.push(v4),
            (None, None) if v.is_none() => self.v4.push(0),
            (None, None) => {
                let mut w = self.widened();
                w.push(a);
                self.wide = Some(w);
            }
        }
        self.valid.push(v.is_some());
    }

    fn widened(&mut self) -> Vec<u128> {
        std::mem::take(&mut self.v4)
            .into_iter()
            .map(crate::store::ip::from_v4)
            .collect()
    }

    fn append(&mut self, other: IpVec) {
        match (&mut self.wide, other.wide) {
            (None, None) => self.v4.extend_from_slice(&other.v4),
            (Some(w), None) => w.extend(other.v4.into_iter().map(crate::store::ip::from_v4)),
            (Some(w), Some(o)) => w.extend_from_slice(&o),
            (None, Some(o)) => {
                let mut w = self.widened();
                w.extend_from_slice(&o);
                self.wide = Some(w);
            }
        }
        self.valid.extend_from(&other.valid);
    }

    fn finish(self) -> Column {
        let data = match self.wide {
            Some(w) => ColumnData::Ip(w),
            None => ColumnData::Ip4(self.v4),
        };
        Column::new(data, Some(self.valid))
    }
}

/// Repeating strings (actions, statuses): codes into a small local dictionary.
#[derive(Default)]
pub struct StrVec {
    pub codes: Vec<u32>,
    pub valid: Bitmap,
    dict: Vec<Box<[u8]>>,
}

impl StrVec {
    /// Push a string given as bytes. The dictionaries of these columns are tiny, so a
    /// linear scan beats hashing.
    #[inline]
    pub fn push(&mut self, v: Option<&[u8]>) {
        let code = match v {
            None => 0,
            Some(b) => match self.dict.iter().position(|d| &d[..] == b) {
                Some(i) => i as u32,
                None => {
                    self.dict.push(b.into());
                    (self.dict.len() - 1) as u32
                }
            },
        };
        self.codes.push(code);
        self.valid.push(v.is_some());
    }

    fn append(&mut self, other: StrVec) {
        let remap: Vec<u32> = other
            .dict
            .iter()
            .map(|d| match self.dict.iter().position(|x| x == d) {
                Some(i) => i as u32,
                None => {
                    self.dict.push(d.clone());
                    (self.dict.len() - 1) as u32
                }
            })
            .collect();
        let valid = &other.valid;
        self.codes
            .extend(other.codes.iter().enumerate().map(|(i, &c)| {
                if valid.get(i) {
                    remap[c as usize]
                } else {
                    0
                }
            }));
        self.valid.extend_from(&other.valid);
    }

    fn finish(self) -> Column {
        let mut d = DictBuilder::default();
        let codes_of: Vec<u32> = self
            .dict
            .iter()
            .map(|b| d.intern(&String::from_utf8_lossy(b)))
            .collect();
        if codes_of.is_empty() {
            d.intern("");
        }
        let codes = self
            .codes
            .into_iter()
            .map(|c| codes_of.get(c as usize).copied().unwrap_or(0))
            .collect();
        Column::new(
            ColumnData::Str(StrData {
                codes,
                dict: Arc::new(d.finish()),
            }),
            Some(self.valid),
        )
    }
}

/// The record columns being built from one chunk of input, or a whole load.
#[derive(Default)]
pub struct RecordBatch {
    pub len: usize,
    /// Code into [`LOG_SOURCES`] per record.
    pub log_source: Vec<u32>,
    pub version: IntVec,
    pub src_ip: IpVec,
    pub dst_ip: IpVec,
    pub src_port: IntVec,
    pub dst_port: IntVec,
    pub protocol: IntVec,
    pub packets: IntVec,
    pub bytes: IntVec,
    pub start: IntVec,
    pub end: IntVec,
    pub action: StrVec,
    pub status: StrVec,
}

/// The Log Source values, by code.
pub const LOG_SOURCES: &[&str] = &[schema::OCI_TEXT_SOURCE];

impl RecordBatch {
    pub fn append(&mut self, other: RecordBatch) {
        self.len += other.len;
        self.log_source.extend_from_slice(&other.log_source);
        self.version.append(other.version);
        self.src_ip.append(other.src_ip);
        self.dst_ip.append(other.dst_ip);
        self.src_port.append(other.src_port);
        self.dst_port.append(other.dst_port);
        self.protocol.append(other.protocol);
        self.packets.append(other.packets);
        self.bytes.append(other.bytes);
        self.start.append(other.start);
        self.end.append(other.end);
        self.action.append(other.action);
        self.status.append(other.status);
    }

    /// The record table, columns in [`schema::FLOW_FIELDS`] order.
    pub fn finish(self) -> Table {
        let n = self.len;
        let int = |v: IntVec| Column::new(ColumnData::Int(v.values), Some(v.valid));
        let time = |v: IntVec| Column::new(ColumnData::Time(v.values), Some(v.valid));
        // Protocol Name is the protocol number used directly as a code into a
        // dictionary of all 256 keywords: no per-record work or memory beyond the codes.
        let names: Vec<Box<str>> = (0..256)
            .map(|n| protocols::protocol_name(n).unwrap_or("").into())
            .collect();
        let mut name_valid = Bitmap::with_capacity(n);
        let name_codes: Vec<u32> = (0..n)
            .map(|i| {
                let p = self.protocol.values[i];
                let known = self.protocol.valid.get(i) && protocols::protocol_name(p).is_some();
                name_valid.push(known);
                if known {
                    p as u32
                } else {
                    0
                }
            })
            .collect();
        let sources = Arc::new(Dict::new(LOG_SOURCES.iter().map(|s| (*s).into()).collect()));
        let columns: Vec<(Col, Column)> = vec![
            (
                Col::LogSource,
                Column::new(
                    ColumnData::Str(StrData {
                        codes: self.log_source,
                        dict: sources,
                    }),
                    None,
                ),
            ),
            (Col::Version, int(self.version)),
            (Col::SourceIp, self.src_ip.finish()),
            (Col::DestinationIp, self.dst_ip.finish()),
            (Col::SourcePort, int(self.src_port)),
            (Col::DestinationPort, int(self.dst_port)),
            (Col::Protocol, int(self.protocol)),
            (
                Col::ProtocolName,
                Column::new(
                    ColumnData::Str(StrData {
                        codes: name_codes,
                        dict: Arc::new(Dict::new(names)),
                    }),
                    Some(name_valid),
                ),
            ),
            (Col::Packets, int(self.packets)),
            (Col::ContentSizeOut, int(self.bytes)),
            (Col::Time, time(self.start)),
            (Col::FlowEndTime, time(self.end)),
            (Col::Action, self.action.finish()),
            (Col::Status, self.status.finish()),
        ];
        let mut t = Table::new(n);
        for (i, (col, column)) in columns.into_iter().enumerate() {
            debug_assert_eq!(col as usize, i);
            t.push(schema::FLOW_FIELDS[i].name, column);
        }
        t
    }
}
