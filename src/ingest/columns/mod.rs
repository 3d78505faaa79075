//! The record columns of a load, written in place: each block of input is cut into one
//! chunk per core, every chunk gets its own disjoint slice of the final columns, and the
//! threads parse straight into them. Nothing is copied after parsing.
//!
//! Nulls are kept as runs of rows rather than a bit per value: most fields are never
//! null, and a field a format lacks is one run per chunk.

use std::sync::Arc;

use crate::schema::{self, Col, FieldMask, FLOW_FIELDS};

mod finish;
mod sink;

use finish::global_code;
use sink::{store_of, LocalDict, Runs, SharedDict, Slot, Store};
pub use sink::{Sink, SinkResult};

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
    /// Where each input's rows start, with its name (for Upload Name).
    inputs: Vec<(usize, String)>,
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

    /// The rows after the ones written so far come from the input called `name`.
    pub fn begin_input(&mut self, name: &str) {
        if self.inputs.last().is_some_and(|(row, _)| *row == self.len) {
            self.inputs.pop();
        }
        self.inputs.push((self.len, name.to_string()));
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
}

#[cfg(test)]
mod tests {
    use super::finish::log_sources;
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
