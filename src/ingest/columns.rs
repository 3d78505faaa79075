//! The record columns of a load, written in place: each block of input is cut into one
//! chunk per core, every chunk gets its own disjoint slice of the final columns, and the
//! threads parse straight into them. Nothing is copied after parsing.

use std::sync::Arc;

use crate::schema::{self, protocols, Col, FieldMask};
use crate::store::{ip, Bitmap, Column, ColumnData, Dict, DictBuilder, StrData, Table, Validity};

/// Integer fields, in this order.
pub const INTS: [Col; 8] = [
    Col::Version,
    Col::SourcePort,
    Col::DestinationPort,
    Col::Protocol,
    Col::Packets,
    Col::ContentSizeOut,
    Col::Time,
    Col::FlowEndTime,
];
const IPS: [Col; 2] = [Col::SourceIp, Col::DestinationIp];
const STRS: [Col; 2] = [Col::Action, Col::Status];

/// One parsed record, its text fields borrowed from the line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record<'a> {
    /// In [`INTS`] order; times in milliseconds.
    pub ints: [Option<i64>; 8],
    pub ips: [Option<u128>; 2],
    pub strs: [Option<&'a [u8]>; 2],
}

/// Where one thread writes the rows of its chunk: slices of the final columns, and
/// what `commit` needs to merge afterwards.
pub struct Sink<'a> {
    mask: FieldMask,
    ints: Vec<&'a mut [i64]>,
    ips: Vec<&'a mut [u32]>,
    strs: Vec<&'a mut [u32]>,
    out: SinkResult,
}

/// What one sink wrote, apart from the values in its slices.
#[derive(Default)]
pub struct SinkResult {
    /// Rows written.
    pub rows: usize,
    /// Rows the sink had room for.
    pub capacity: usize,
    int_valid: [Validity; 8],
    ip_valid: [Validity; 2],
    str_valid: [Validity; 2],
    /// IPv6 addresses, by row of the chunk: the u32 slot holds 0.
    wide: [Vec<(usize, u128)>; 2],
    dicts: [Vec<Box<[u8]>>; 2],
}

impl Sink<'_> {
    fn new(mask: FieldMask, capacity: usize) -> Self {
        Sink {
            mask,
            ints: Vec::new(),
            ips: Vec::new(),
            strs: Vec::new(),
            out: SinkResult { capacity, ..Default::default() },
        }
    }

    /// Room in this chunk's slices.
    pub fn capacity(&self) -> usize {
        self.out.capacity
    }

    /// Release the slices, keeping what `commit` needs.
    pub fn done(self) -> SinkResult {
        self.out
    }

    // Several parallel arrays are indexed by field number: a range loop says it best.
    #[allow(clippy::needless_range_loop)]
    #[inline]
    pub fn write(&mut self, r: &Record) {
        let row = self.out.rows;
        for f in 0..8 {
            if self.mask.contains(INTS[f]) {
                self.ints[f][row] = r.ints[f].unwrap_or(0);
                self.out.int_valid[f].push(r.ints[f].is_some());
            }
        }
        for f in 0..2 {
            if !self.mask.contains(IPS[f]) {
                continue;
            }
            let a = r.ips[f].unwrap_or(0);
            self.ips[f][row] = match ip::as_v4(a) {
                Some(v4) => v4,
                None => {
                    if r.ips[f].is_some() {
                        self.out.wide[f].push((row, a));
                    }
                    0
                }
            };
            self.out.ip_valid[f].push(r.ips[f].is_some());
        }
        for f in 0..2 {
            if !self.mask.contains(STRS[f]) {
                continue;
            }
            // Actions and statuses take a handful of values: a linear scan beats hashing.
            self.strs[f][row] = match r.strs[f] {
                None => 0,
                Some(b) => match self.out.dicts[f].iter().position(|d| &d[..] == b) {
                    Some(i) => i as u32,
                    None => {
                        self.out.dicts[f].push(b.into());
                        (self.out.dicts[f].len() - 1) as u32
                    }
                },
            };
            self.out.str_valid[f].push(r.strs[f].is_some());
        }
        self.out.rows += 1;
    }
}

/// The whole load's columns.
#[derive(Default)]
pub struct Columns {
    pub len: usize,
    /// The fields read; the others stay unallocated and come out as nulls.
    mask: FieldMask,
    ints: [Vec<i64>; 8],
    ips: [Vec<u32>; 2],
    strs: [Vec<u32>; 2],
    int_valid: [Validity; 8],
    ip_valid: [Validity; 2],
    str_valid: [Validity; 2],
    wide: [Vec<(usize, u128)>; 2],
    dicts: [Vec<Box<[u8]>>; 2],
}

/// Make `v` hold at least `n` values. A first allocation is zeroed by the allocator
/// lazily, so pages are touched by the threads that fill them, in parallel.
fn grow<T: Clone + Default>(v: &mut Vec<T>, n: usize) {
    if v.len() >= n {
        return;
    }
    if v.is_empty() {
        *v = vec![T::default(); n];
    } else {
        v.resize(n.max(v.len() + v.len() / 2), T::default());
    }
}

/// The slices of `v[rows]` for chunks of `sizes` (growing `v` to `target` first), or
/// empty slices when the field is not read.
fn claim<'v, T: Clone + Default>(
    v: &'v mut Vec<T>,
    need: bool,
    target: usize,
    rows: std::ops::Range<usize>,
    sizes: &[usize],
) -> Vec<&'v mut [T]> {
    if !need {
        return sizes.iter().map(|_| <&mut [T]>::default()).collect();
    }
    grow(v, target);
    split(&mut v[rows], sizes)
}

/// Cut `v` into consecutive slices of `sizes`.
fn split<'a, T>(v: &'a mut [T], sizes: &[usize]) -> Vec<&'a mut [T]> {
    let mut rest = v;
    let mut out = Vec::with_capacity(sizes.len());
    for &n in sizes {
        let n = n.min(rest.len());
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(n);
        out.push(head);
        rest = tail;
    }
    out
}

impl Columns {
    /// Columns for the fields of `mask` (Protocol Name is made from Protocol).
    pub fn new(mask: FieldMask) -> Self {
        Columns { mask: mask.with_sources(), ..Default::default() }
    }

    fn needed(&self) -> impl Iterator<Item = bool> + '_ {
        INTS.iter().chain(&IPS).chain(&STRS).map(|c| self.mask.contains(*c))
    }

    /// Sinks for chunks of at most `sizes` rows each, after the rows written so far.
    /// `expected` is a hint of the load's total rows.
    pub fn sinks(&mut self, sizes: &[usize], expected: usize) -> Vec<Sink<'_>> {
        let end = self.len + sizes.iter().sum::<usize>();
        let target = end.max(expected);
        let len = self.len;
        let needed: Vec<bool> = self.needed().collect();
        let mask = self.mask;
        let mut sinks: Vec<Sink> = sizes.iter().map(|&n| Sink::new(mask, n)).collect();
        // Fields not read get empty slices and are never written.
        let (ni, rest) = needed.split_at(8);
        let (np, ns) = rest.split_at(2);
        for (v, &need) in self.ints.iter_mut().zip(ni) {
            for (s, part) in sinks.iter_mut().zip(claim(v, need, target, len..end, sizes)) {
                s.ints.push(part);
            }
        }
        for (v, &need) in self.ips.iter_mut().zip(np) {
            for (s, part) in sinks.iter_mut().zip(claim(v, need, target, len..end, sizes)) {
                s.ips.push(part);
            }
        }
        for (v, &need) in self.strs.iter_mut().zip(ns) {
            for (s, part) in sinks.iter_mut().zip(claim(v, need, target, len..end, sizes)) {
                s.strs.push(part);
            }
        }
        sinks
    }

    /// Take in what the sinks of one block wrote (in order): close the gaps left by
    /// chunks that wrote fewer rows than they had room for, merge validity,
    /// dictionaries and IPv6 addresses.
    pub fn commit(&mut self, done: Vec<SinkResult>) {
        let mut at = self.len; // where the next chunk's rows go
        let mut slot = self.len; // where the next chunk's rows are
        for d in done {
            if at != slot && d.rows > 0 {
                for v in &mut self.ints {
                    if !v.is_empty() {
                        v.copy_within(slot..slot + d.rows, at);
                    }
                }
                for v in self.ips.iter_mut().chain(self.strs.iter_mut()) {
                    if !v.is_empty() {
                        v.copy_within(slot..slot + d.rows, at);
                    }
                }
            }
            for f in 0..8 {
                self.int_valid[f].append(&d.int_valid[f]);
            }
            for f in 0..2 {
                self.ip_valid[f].append(&d.ip_valid[f]);
                self.wide[f].extend(d.wide[f].iter().map(|&(r, a)| (at + r, a)));
                self.str_valid[f].append(&d.str_valid[f]);
                let remap: Vec<u32> = d.dicts[f]
                    .iter()
                    .map(|b| match self.dicts[f].iter().position(|x| x == b) {
                        Some(i) => i as u32,
                        None => {
                            self.dicts[f].push(b.clone());
                            (self.dicts[f].len() - 1) as u32
                        }
                    })
                    .collect();
                if !remap.iter().enumerate().all(|(i, &c)| i as u32 == c) && !self.strs[f].is_empty() {
                    for c in &mut self.strs[f][at..at + d.rows] {
                        *c = remap.get(*c as usize).copied().unwrap_or(0);
                    }
                }
            }
            at += d.rows;
            slot += d.capacity;
        }
        self.len = at;
    }

    /// The record table, columns in [`schema::FLOW_FIELDS`] order.
    pub fn finish(self) -> Table {
        let n = self.len;
        let mask = self.mask;
        let Columns { mut ints, mut ips, mut strs, int_valid, ip_valid, str_valid, wide, dicts, .. } = self;
        let mut cols: Vec<Option<Column>> = (0..schema::FLOW_FIELDS.len()).map(|_| None).collect();
        let mut proto_codes = Vec::new();
        let mut proto_valid = None;
        for (f, valid) in int_valid.into_iter().enumerate() {
            if !mask.contains(INTS[f]) {
                continue;
            }
            let mut v = std::mem::take(&mut ints[f]);
            v.truncate(n);
            let valid = valid.into_bitmap();
            if INTS[f] == Col::Protocol {
                proto_codes = v.clone();
                proto_valid = valid.clone();
            }
            let data =
                if matches!(INTS[f], Col::Time | Col::FlowEndTime) { ColumnData::Time(v) } else { ColumnData::Int(v) };
            cols[INTS[f] as usize] = Some(Column::new(data, valid));
        }
        for (f, valid) in ip_valid.into_iter().enumerate() {
            if !mask.contains(IPS[f]) {
                continue;
            }
            let mut v = std::mem::take(&mut ips[f]);
            v.truncate(n);
            let data = if wide[f].is_empty() {
                ColumnData::Ip4(v)
            } else {
                let mut w: Vec<u128> = v.into_iter().map(ip::from_v4).collect();
                for &(r, a) in &wide[f] {
                    w[r] = a;
                }
                ColumnData::Ip(w)
            };
            cols[IPS[f] as usize] = Some(Column::new(data, valid.into_bitmap()));
        }
        for (f, valid) in str_valid.into_iter().enumerate() {
            if !mask.contains(STRS[f]) {
                continue;
            }
            let mut codes = std::mem::take(&mut strs[f]);
            codes.truncate(n);
            let mut d = DictBuilder::default();
            for b in &dicts[f] {
                d.intern(&String::from_utf8_lossy(b));
            }
            if dicts[f].is_empty() {
                d.intern("");
            }
            let data = ColumnData::Str(StrData { codes, dict: Arc::new(d.finish()) });
            cols[STRS[f] as usize] = Some(Column::new(data, valid.into_bitmap()));
        }
        // Protocol Name: the protocol number is the code into a dictionary of all 256
        // keywords, so the column costs one pass and no per-record strings.
        let names: Vec<Box<str>> = (0..256).map(|p| protocols::protocol_name(p).unwrap_or("").into()).collect();
        let known: Vec<bool> = (0..256).map(|p| protocols::protocol_name(p).is_some()).collect();
        let mut name_valid = Bitmap::with_capacity(n);
        let name_codes: Vec<u32> = proto_codes
            .iter()
            .enumerate()
            .map(|(i, &p)| {
                let ok =
                    proto_valid.as_ref().is_none_or(|v| v.get(i)) && known.get(p as usize).copied().unwrap_or(false);
                name_valid.push(ok);
                if ok {
                    p as u32
                } else {
                    0
                }
            })
            .collect();
        if mask.contains(Col::ProtocolName) {
            cols[Col::ProtocolName as usize] = Some(Column::new(
                ColumnData::Str(StrData { codes: name_codes, dict: Arc::new(Dict::new(names)) }),
                Some(name_valid),
            ));
        }
        let sources = Arc::new(Dict::new(vec![schema::OCI_TEXT_SOURCE.into()]));
        cols[Col::LogSource as usize] =
            Some(Column::new(ColumnData::Str(StrData { codes: vec![0; n], dict: sources }), None));
        let mut t = Table::new(n);
        for (i, c) in cols.into_iter().enumerate() {
            let f = &schema::FLOW_FIELDS[i];
            // A field the query does not read: nulls of its type, never touched.
            t.push(f.name, c.unwrap_or_else(|| Column::nulls_of(f.dtype, n)));
        }
        t
    }
}
