//! The record columns of a load, written in place: each block of input is cut into one
//! chunk per core, every chunk gets its own disjoint slice of the final columns, and the
//! threads parse straight into them. Nothing is copied after parsing.
//!
//! Nulls are kept as runs of rows rather than a bit per value: most fields are never
//! null, and a field a format lacks is one run per chunk.

use std::sync::Arc;

use crate::schema::{self, protocols, Col, Derivation, FieldMask, FLOW_FIELDS};
use crate::store::hash::FastMap;
use crate::store::{ip, Bitmap, Column, ColumnData, DataType, Dict, DictBuilder, StrData, Table};

/// How a column's values are held while loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Store {
    /// Integers and times (milliseconds).
    Int,
    /// IPv4 as u32; IPv6 addresses go to a side list.
    Ip,
    /// Dictionary codes.
    Str,
}

fn store_of(c: Col) -> Store {
    match FLOW_FIELDS[c as usize].dtype {
        DataType::Ip => Store::Ip,
        DataType::Str => Store::Str,
        _ => Store::Int,
    }
}

/// One chunk's slice of a column.
enum Slot<'a> {
    Off,
    Int(&'a mut [i64]),
    Ip(&'a mut [u32]),
    Str(&'a mut [u32]),
}

/// The load-wide dictionary of a text column: each string once, with its code.
type SharedDict = Arc<FastMap<Box<[u8]>, u32>>;

/// How one chunk codes the strings of one column. Codes of strings the load has seen
/// in earlier blocks come from the shared dictionary (read by all chunks at once);
/// strings new in this block get codes from `base` on, reconciled at commit. The first
/// strings met are also kept in a short list: most text fields take a handful of
/// values (actions, statuses, regions), for which a linear scan beats hashing.
#[derive(Default)]
struct LocalDict {
    shared: SharedDict,
    /// The shared dictionary's size: the first code for new strings.
    base: u32,
    recent: Vec<(Box<[u8]>, u32)>,
    /// The recent strings of at most eight bytes as integers (see `short`): comparing
    /// two integers beats a call to compare bytes.
    recent_short: Vec<((u64, usize), u32)>,
    /// Strings not in the shared dictionary, by code - base.
    new: Vec<Box<[u8]>>,
    new_index: FastMap<Box<[u8]>, u32>,
}

const RECENT: usize = 16;

impl LocalDict {
    fn new(shared: SharedDict) -> Self {
        let base = shared.len() as u32;
        LocalDict { shared, base, ..Default::default() }
    }

    #[inline]
    fn code(&mut self, b: &[u8]) -> u32 {
        let short = short(b);
        if let Some(key) = short {
            if let Some(&(_, c)) = self.recent_short.iter().find(|(k, _)| *k == key) {
                return c;
            }
        } else if let Some((_, c)) = self.recent.iter().find(|(d, _)| &d[..] == b) {
            return *c;
        }
        let c = match self.shared.get(b).or_else(|| self.new_index.get(b)) {
            Some(&c) => c,
            None => {
                let c = self.base + self.new.len() as u32;
                self.new.push(b.into());
                self.new_index.insert(b.into(), c);
                c
            }
        };
        match short {
            Some(key) if self.recent_short.len() < RECENT => self.recent_short.push((key, c)),
            None if self.recent.len() < RECENT => self.recent.push((b.into(), c)),
            _ => {}
        }
        c
    }
}

/// A string of at most eight bytes as (its bytes in one integer, its length).
#[inline(always)]
fn short(b: &[u8]) -> Option<(u64, usize)> {
    (b.len() <= 8).then(|| (b.iter().rev().fold(0u64, |w, &c| (w << 8) | c as u64), b.len()))
}

/// Null rows as (first row, count) runs, in increasing order.
type Runs = Vec<(usize, usize)>;

/// Where one thread writes the rows of its chunk: slices of the final columns, and
/// what `commit` needs to merge afterwards.
pub struct Sink<'a> {
    slots: Vec<Slot<'a>>,
    /// Per column: the first row whose value is not yet written or known to be null.
    /// A row a parser does not write is null: fields a format lacks cost nothing per
    /// row, and `-` needs no write.
    next: Vec<usize>,
    out: SinkResult,
}

/// What one sink wrote, apart from the values in its slices.
#[derive(Default)]
pub struct SinkResult {
    /// Rows written.
    pub rows: usize,
    /// Rows the sink had room for.
    pub capacity: usize,
    /// Per column: null runs, IPv6 addresses by row, the strings of the codes written.
    nulls: Vec<Runs>,
    /// Per column: whether any value was written (the others hold nothing to move).
    touched: Vec<bool>,
    wide: Vec<Vec<(usize, u128)>>,
    dicts: Vec<LocalDict>,
    /// Which Log Source each run of rows came from.
    sources: Vec<(usize, u32)>,
}

impl<'a> Sink<'a> {
    /// Room in this chunk's slices.
    pub fn capacity(&self) -> usize {
        self.out.capacity
    }

    /// Whether the load reads column `c`.
    #[inline(always)]
    pub fn wants(&self, c: Col) -> bool {
        !matches!(self.slots[c as usize], Slot::Off)
    }

    /// The rows after this one come from `source` (a [`schema::LogSource`] code).
    pub fn source(&mut self, source: u32) {
        let row = self.out.rows;
        match self.out.sources.last_mut() {
            Some((r, s)) if *r == row => *s = source,
            Some((_, s)) if *s == source => {}
            _ => self.out.sources.push((row, source)),
        }
    }

    /// Column `c` gets a value at the current row: rows skipped since its last value
    /// are null.
    #[inline(always)]
    fn claim_row(&mut self, c: usize) -> usize {
        let row = self.out.rows;
        let next = self.next[c];
        if next != row {
            self.gap(c, next, row);
        }
        self.next[c] = row + 1;
        row
    }

    #[cold]
    fn gap(&mut self, c: usize, from: usize, to: usize) {
        if from < to {
            self.out.nulls[c].push((from, to - from));
        }
    }

    /// An integer or a time (in milliseconds); `None` is null.
    #[inline(always)]
    pub fn int(&mut self, c: Col, v: Option<i64>) {
        let Some(v) = v else { return };
        if matches!(self.slots[c as usize], Slot::Int(_)) {
            let row = self.claim_row(c as usize);
            if let Slot::Int(s) = &mut self.slots[c as usize] {
                s[row] = v;
            }
        }
    }

    #[inline(always)]
    pub fn ip(&mut self, c: Col, v: Option<u128>) {
        let Some(a) = v else { return };
        if matches!(self.slots[c as usize], Slot::Ip(_)) {
            let row = self.claim_row(c as usize);
            let v4 = match ip::as_v4(a) {
                Some(v4) => v4,
                None => {
                    self.out.wide[c as usize].push((row, a));
                    0
                }
            };
            if let Slot::Ip(s) = &mut self.slots[c as usize] {
                s[row] = v4;
            }
        }
    }

    #[inline(always)]
    pub fn text(&mut self, c: Col, v: Option<&[u8]>) {
        let Some(b) = v else { return };
        if matches!(self.slots[c as usize], Slot::Str(_)) {
            let row = self.claim_row(c as usize);
            let code = self.out.dicts[c as usize].code(b);
            if let Slot::Str(s) = &mut self.slots[c as usize] {
                s[row] = code;
            }
        }
    }

    /// The row is complete: the next writes go to the next row.
    #[inline(always)]
    pub fn end_row(&mut self) {
        self.out.rows += 1;
    }

    /// Forget what was written of the current row (its line turned out malformed).
    #[cold]
    pub fn abandon_row(&mut self) {
        let row = self.out.rows;
        for next in &mut self.next {
            if *next > row {
                *next = row;
            }
        }
        for w in &mut self.out.wide {
            while w.last().is_some_and(|&(r, _)| r == row) {
                w.pop();
            }
        }
    }

    /// Release the slices, keeping what `commit` needs: rows after each column's last
    /// value are null.
    pub fn done(mut self) -> SinkResult {
        let rows = self.out.rows;
        for c in 0..self.next.len() {
            let next = self.next[c];
            self.out.touched.push(next > 0);
            if next < rows {
                self.out.nulls[c].push((next, rows - next));
            }
        }
        self.out
    }
}

/// One column of the whole load.
#[derive(Default)]
struct Buffer {
    ints: Vec<i64>,
    codes: Vec<u32>,
    nulls: Runs,
    wide: Vec<(usize, u128)>,
    dict: SharedDict,
}

/// The whole load's columns.
#[derive(Default)]
pub struct Columns {
    pub len: usize,
    /// The fields read; the others stay unallocated and come out as nulls.
    mask: FieldMask,
    bufs: Vec<Buffer>,
    sources: Vec<(usize, u32)>,
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
        let mask = mask.with_sources();
        Columns { mask, bufs: FLOW_FIELDS.iter().map(|_| Buffer::default()).collect(), ..Default::default() }
    }

    /// Whether a column is written by the parsers (derived fields are made afterwards).
    fn parsed(&self, c: Col) -> bool {
        self.mask.contains(c) && schema::derivation(c).is_none()
    }

    /// Sinks for chunks of at most `sizes` rows each, after the rows written so far.
    /// `expected` is a hint of the load's total rows.
    pub fn sinks(&mut self, sizes: &[usize], expected: usize) -> Vec<Sink<'_>> {
        let end = self.len + sizes.iter().sum::<usize>();
        let target = end.max(expected);
        let rows = self.len..end;
        let n = FLOW_FIELDS.len();
        let mut sinks: Vec<Sink> = sizes
            .iter()
            .map(|&cap| Sink {
                slots: Vec::with_capacity(n),
                next: vec![0; n],
                out: SinkResult {
                    capacity: cap,
                    nulls: vec![Vec::new(); n],
                    wide: (0..n).map(|_| Vec::new()).collect(),
                    dicts: self.bufs.iter().map(|b| LocalDict::new(b.dict.clone())).collect(),
                    ..Default::default()
                },
            })
            .collect();
        let parsed: Vec<bool> = (0..n).map(|i| Col::from_index(i).is_some_and(|c| self.parsed(c))).collect();
        for (i, buf) in self.bufs.iter_mut().enumerate() {
            let store = Col::from_index(i).map_or(Store::Int, store_of);
            if !parsed[i] {
                sinks.iter_mut().for_each(|s| s.slots.push(Slot::Off));
                continue;
            }
            match store {
                Store::Int => {
                    grow(&mut buf.ints, target);
                    for (s, part) in sinks.iter_mut().zip(split(&mut buf.ints[rows.clone()], sizes)) {
                        s.slots.push(Slot::Int(part));
                    }
                }
                Store::Ip | Store::Str => {
                    grow(&mut buf.codes, target);
                    for (s, part) in sinks.iter_mut().zip(split(&mut buf.codes[rows.clone()], sizes)) {
                        s.slots.push(if store == Store::Ip { Slot::Ip(part) } else { Slot::Str(part) });
                    }
                }
            }
        }
        sinks
    }

    /// The Log Sources of the rows from `row` on, each once, in order of first use.
    pub fn sources_since(&self, row: usize) -> Vec<u32> {
        let mut out = Vec::new();
        for (k, &(start, s)) in self.sources.iter().enumerate() {
            let end = self.sources.get(k + 1).map_or(self.len, |r| r.0);
            if end > row && end > start && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// Take in what the sinks of one block wrote (in order): close the gaps left by
    /// chunks that wrote fewer rows than they had room for, merge nulls, dictionaries
    /// and IPv6 addresses.
    pub fn commit(&mut self, done: Vec<SinkResult>) {
        let mut at = self.len; // where the next chunk's rows go
        let mut slot = self.len; // where the next chunk's rows are
        let mut done = done;
        // Let go of the chunks' references to the shared dictionaries, so they can be
        // extended in place.
        for d in &mut done {
            for local in &mut d.dicts {
                local.shared = SharedDict::default();
            }
        }
        for mut d in done {
            for &(r, s) in &d.sources {
                match self.sources.last() {
                    Some(&(_, last)) if last == s => {}
                    _ => self.sources.push((at + r, s)),
                }
            }
            for (i, buf) in self.bufs.iter_mut().enumerate() {
                // Only columns the chunk wrote hold rows to move (the others are null).
                if at != slot && d.rows > 0 && d.touched.get(i).copied().unwrap_or(false) {
                    if !buf.ints.is_empty() {
                        buf.ints.copy_within(slot..slot + d.rows, at);
                    }
                    if !buf.codes.is_empty() {
                        buf.codes.copy_within(slot..slot + d.rows, at);
                    }
                }
                for &(r, n) in &d.nulls[i] {
                    match buf.nulls.last_mut() {
                        Some((start, len)) if *start + *len == at + r => *len += n,
                        _ => buf.nulls.push((at + r, n)),
                    }
                }
                buf.wide.extend(d.wide[i].iter().map(|&(r, a)| (at + r, a)));
                // Strings new in this block join the shared dictionary; a chunk's codes
                // for them change only when an earlier chunk brought the same string.
                let local = std::mem::take(&mut d.dicts[i]);
                let (base, fresh) = (local.base, local.new);
                if fresh.is_empty() {
                    continue;
                }
                let dict = Arc::make_mut(&mut buf.dict);
                let remap: Vec<u32> = fresh.into_iter().map(|b| global_code(dict, b)).collect();
                if !remap.iter().enumerate().all(|(k, &c)| base + k as u32 == c) {
                    for c in &mut buf.codes[at..at + d.rows] {
                        if *c >= base {
                            *c = remap.get((*c - base) as usize).copied().unwrap_or(0);
                        }
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
        let Columns { mask, bufs, sources, .. } = self;
        let mut cols: Vec<Option<Column>> = (0..FLOW_FIELDS.len()).map(|_| None).collect();
        let mut protocol: Option<(Vec<i64>, Option<Bitmap>)> = None;
        for (i, mut buf) in bufs.into_iter().enumerate() {
            let Some(c) = Col::from_index(i).filter(|&c| mask.contains(c)) else { continue };
            if schema::derivation(c).is_some() {
                continue;
            }
            if buf.nulls.first() == Some(&(0, n)) || n == 0 {
                // Never present (a field the inputs' formats lack): no storage at all.
                continue;
            }
            let valid = validity(&buf.nulls, n);
            // Null rows were never written: give them a defined value.
            for &(start, len) in &buf.nulls {
                let end = (start + len).min(n);
                if !buf.ints.is_empty() {
                    buf.ints[start.min(end)..end].fill(0);
                }
                if !buf.codes.is_empty() {
                    buf.codes[start.min(end)..end].fill(0);
                }
            }
            let data = match (store_of(c), FLOW_FIELDS[i].dtype) {
                (Store::Int, dtype) => {
                    buf.ints.truncate(n);
                    if c == Col::Protocol {
                        protocol = Some((buf.ints.clone(), valid.clone()));
                    }
                    if dtype == DataType::Time {
                        ColumnData::Time(buf.ints)
                    } else {
                        ColumnData::Int(buf.ints)
                    }
                }
                (Store::Ip, _) => {
                    buf.codes.truncate(n);
                    if buf.wide.is_empty() {
                        ColumnData::Ip4(buf.codes)
                    } else {
                        let mut w: Vec<u128> = buf.codes.into_iter().map(ip::from_v4).collect();
                        for &(r, a) in &buf.wide {
                            w[r] = a;
                        }
                        ColumnData::Ip(w)
                    }
                }
                (Store::Str, _) => {
                    buf.codes.truncate(n);
                    let shared = Arc::try_unwrap(buf.dict).unwrap_or_else(|a| (*a).clone());
                    let dict = into_dict(shared, &mut buf.codes);
                    ColumnData::Str(StrData { codes: buf.codes, dict: Arc::new(dict) })
                }
            };
            cols[i] = Some(Column::new(data, valid));
        }
        for &(c, how, _) in schema::DERIVED {
            cols[c as usize] = match how {
                Derivation::ProtocolName if mask.contains(c) => {
                    protocol.take().map(|(codes, valid)| protocol_names(&codes, valid.as_ref()))
                }
                Derivation::ProtocolName => None,
                // Always there: it costs nothing for a load from one source.
                Derivation::LogSource => Some(log_sources(&sources, n)),
            };
        }
        let mut t = Table::new(n);
        for (i, c) in cols.into_iter().enumerate() {
            let f = &FLOW_FIELDS[i];
            // A field not read, or never present: nulls of its type, never allocated.
            t.push(f.name, c.unwrap_or_else(|| Column::nulls_of(f.dtype, n)));
        }
        t
    }
}

/// The load-wide code of string `b` in a column.
fn global_code(dict: &mut FastMap<Box<[u8]>, u32>, b: Box<[u8]>) -> u32 {
    let next = dict.len() as u32;
    *dict.entry(b).or_insert(next)
}

/// A column's dictionary from its strings and codes. Bytes that are not UTF-8 are
/// shown with replacement characters; values that then read the same are merged
/// (their codes in `codes` rewritten).
fn into_dict(dict: FastMap<Box<[u8]>, u32>, codes: &mut [u32]) -> Dict {
    let mut values: Vec<(u32, Box<[u8]>)> = dict.into_iter().map(|(b, c)| (c, b)).collect();
    values.sort_unstable_by_key(|e| e.0);
    if values.iter().all(|(_, b)| std::str::from_utf8(b).is_ok()) {
        let strs: Vec<Box<str>> =
            values.into_iter().map(|(_, b)| String::from_utf8(b.into_vec()).unwrap_or_default().into()).collect();
        return Dict::new(if strs.is_empty() { vec!["".into()] } else { strs });
    }
    let mut d = DictBuilder::default();
    let remap: Vec<u32> = values.iter().map(|(_, b)| d.intern(&String::from_utf8_lossy(b))).collect();
    for c in codes.iter_mut() {
        *c = remap.get(*c as usize).copied().unwrap_or(0);
    }
    d.finish()
}

/// A validity bitmap from null runs, or `None` when nothing is null.
fn validity(nulls: &Runs, n: usize) -> Option<Bitmap> {
    if nulls.is_empty() {
        return None;
    }
    let mut b = Bitmap::filled(n, true);
    for &(start, len) in nulls {
        for r in start..(start + len).min(n) {
            b.set(r, false);
        }
    }
    Some(b)
}

/// Protocol Name: the protocol number is the code into a dictionary of all 256
/// keywords, so the column costs one pass and no per-record strings.
fn protocol_names(codes: &[i64], valid: Option<&Bitmap>) -> Column {
    let names: Vec<Box<str>> = (0..256).map(|p| protocols::protocol_name(p).unwrap_or("").into()).collect();
    let known: Vec<bool> = (0..256).map(|p| protocols::protocol_name(p).is_some()).collect();
    let mut name_valid = Bitmap::with_capacity(codes.len());
    let name_codes: Vec<u32> = codes
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let ok = valid.is_none_or(|v| v.get(i)) && known.get(p as usize).copied().unwrap_or(false);
            name_valid.push(ok);
            if ok {
                p as u32
            } else {
                0
            }
        })
        .collect();
    Column::new(ColumnData::Str(StrData { codes: name_codes, dict: Arc::new(Dict::new(names)) }), Some(name_valid))
}

/// Log Source from the runs of rows each format produced.
fn log_sources(runs: &[(usize, u32)], n: usize) -> Column {
    // The first run's source is code 0: the codes start as zero pages, so a load from
    // one source (the usual case) writes none of them.
    let first = runs.first().map_or(0, |r| r.1);
    let order: Vec<u32> =
        std::iter::once(first).chain((0..schema::LogSource::ALL.len() as u32).filter(|&s| s != first)).collect();
    let dict = Arc::new(Dict::new(order.iter().map(|&s| schema::LogSource::ALL[s as usize].name().into()).collect()));
    let code_of = |s: u32| order.iter().position(|&o| o == s).unwrap_or(0) as u32;
    let mut codes = vec![0u32; n];
    for (k, &(start, s)) in runs.iter().enumerate() {
        let end = runs.get(k + 1).map_or(n, |r| r.0).min(n);
        let code = code_of(s);
        if code != 0 {
            codes[start.min(n)..end].fill(code);
        }
    }
    Column::new(ColumnData::Str(StrData { codes, dict }), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Value;

    #[test]
    fn log_source_of_each_run_whatever_comes_first() {
        for runs in [vec![(0, 2), (3, 0), (5, 1)], vec![(0, 0), (2, 2)], vec![(0, 1)]] {
            let n = 7;
            let c = log_sources(&runs, n);
            for r in 0..n {
                let k = runs.iter().rposition(|&(start, _)| start <= r).unwrap();
                let want = schema::LogSource::ALL[runs[k].1 as usize].name();
                assert_eq!(c.get(r), Value::str(want), "row {r} of {runs:?}");
            }
        }
    }
}
