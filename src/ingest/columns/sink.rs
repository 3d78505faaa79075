//! A chunk's sink: where one parser thread writes its rows, into its own slice of the
//! load's columns, with text coded through a short list of recent values before the
//! shared dictionary.

use std::sync::Arc;

use crate::schema::{Col, FLOW_FIELDS};
use crate::store::hash::FastMap;
use crate::store::{ip, DataType};

/// How a column's values are held while loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Store {
    /// Integers and times (milliseconds).
    Int,
    /// IPv4 as u32; IPv6 addresses go to a side list.
    Ip,
    /// Dictionary codes.
    Str,
}

pub(super) fn store_of(c: Col) -> Store {
    match FLOW_FIELDS[c as usize].dtype {
        DataType::Ip => Store::Ip,
        DataType::Str => Store::Str,
        _ => Store::Int,
    }
}

/// One chunk's slice of a column.
pub(super) enum Slot<'a> {
    Off,
    Int(&'a mut [i64]),
    Ip(&'a mut [u32]),
    Str(&'a mut [u32]),
}

/// The load-wide dictionary of a text column: each string once, with its code.
pub(super) type SharedDict = Arc<FastMap<Box<[u8]>, u32>>;

/// How one chunk codes the strings of one column. Codes of strings the load has seen
/// in earlier blocks come from the shared dictionary (read by all chunks at once);
/// strings new in this block get codes from `base` on, reconciled at commit. The first
/// strings met are also kept in a short list: most text fields take a handful of
/// values (actions, statuses, regions), for which a linear scan beats hashing.
#[derive(Default)]
pub(super) struct LocalDict {
    pub(super) shared: SharedDict,
    /// The shared dictionary's size: the first code for new strings.
    pub(super) base: u32,
    pub(super) recent: Vec<(Box<[u8]>, u32)>,
    /// The recent strings of at most eight bytes as integers (see `short`): comparing
    /// two integers beats a call to compare bytes.
    pub(super) recent_short: Vec<((u64, usize), u32)>,
    /// Strings not in the shared dictionary, by code - base.
    pub(super) new: Vec<Box<[u8]>>,
    pub(super) new_index: FastMap<Box<[u8]>, u32>,
}

pub(super) const RECENT: usize = 16;

impl LocalDict {
    pub(super) fn new(shared: SharedDict) -> Self {
        let base = shared.len() as u32;
        LocalDict { shared, base, ..Default::default() }
    }

    #[inline]
    pub(super) fn code(&mut self, b: &[u8]) -> u32 {
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
pub(super) fn short(b: &[u8]) -> Option<(u64, usize)> {
    (b.len() <= 8).then(|| (b.iter().rev().fold(0u64, |w, &c| (w << 8) | c as u64), b.len()))
}

/// Null rows as (first row, count) runs, in increasing order.
pub(super) type Runs = Vec<(usize, usize)>;

/// Where one thread writes the rows of its chunk: slices of the final columns, and
/// what `commit` needs to merge afterwards.
pub struct Sink<'a> {
    pub(super) slots: Vec<Slot<'a>>,
    /// Per column: the first row whose value is not yet written or known to be null.
    /// A row a parser does not write is null: fields a format lacks cost nothing per
    /// row, and `-` needs no write.
    pub(super) next: Vec<usize>,
    pub(super) out: SinkResult,
}

/// What one sink wrote, apart from the values in its slices.
#[derive(Default)]
pub struct SinkResult {
    /// Rows written.
    pub rows: usize,
    /// Rows the sink had room for.
    pub capacity: usize,
    /// Per column: null runs, IPv6 addresses by row, the strings of the codes written.
    pub(super) nulls: Vec<Runs>,
    /// Per column: whether any value was written (the others hold nothing to move).
    pub(super) touched: Vec<bool>,
    pub(super) wide: Vec<Vec<(usize, u128)>>,
    pub(super) dicts: Vec<LocalDict>,
    /// Which Log Source each run of rows came from.
    pub(super) sources: Vec<(usize, u32)>,
}

impl<'a> Sink<'a> {
    /// Room in this chunk's slices.
    pub fn capacity(&self) -> usize {
        self.out.capacity
    }

    /// Rows ended so far.
    pub fn rows(&self) -> usize {
        self.out.rows
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
    pub(super) fn claim_row(&mut self, c: usize) -> usize {
        let row = self.out.rows;
        let next = self.next[c];
        if next != row {
            self.gap(c, next, row);
        }
        self.next[c] = row + 1;
        row
    }

    #[cold]
    pub(super) fn gap(&mut self, c: usize, from: usize, to: usize) {
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
