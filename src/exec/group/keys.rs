//! Key columns as order-preserving integer codes, and the packing of several into one
//! integer.

use super::Packed;
use crate::store::{Bitmap, Column, ColumnData};

/// One key column, as order-preserving integer codes. Null gets the code after the
/// largest value, so nulls sort last.
pub(crate) struct KeyCodes<'a> {
    pub(super) data: Codes<'a>,
    pub(super) valid: Option<&'a Bitmap>,
    pub(super) null_code: u128,
    pub(super) bits: u32,
}

pub(crate) enum Codes<'a> {
    Int(&'a [i64], i64),
    /// Times put in buckets of a fixed span: (value - start of first bucket) / span.
    Bucket(&'a [i64], i64, FastDiv),
    Ip4(&'a [u32], u32),
    Ip(&'a [u128], u128),
    /// A wide column (IPv6 addresses) as the rank of each row's value among the
    /// distinct values grouped, indexed by row: a few thousand addresses need a dozen
    /// bits, not 128, so several wide keys still pack into one integer.
    Ranked(Vec<u32>),
    Str(&'a [u32], Vec<u32>),
    Bool(&'a [bool]),
    Float(&'a [f64]),
}

pub(super) fn float_code(f: f64) -> u128 {
    let b = f.to_bits();
    (if b >> 63 == 1 { !b } else { b | (1 << 63) }) as u128
}

pub(super) fn bits_for(max_code: u128) -> u32 {
    (128 - max_code.leading_zeros()).max(1)
}

/// Smallest and largest valid value of `v` at `rows` (`None` when there are none), on
/// all cores.
pub(super) fn bounds<T: Copy + Ord + Send + Sync>(v: &[T], valid: Option<&Bitmap>, rows: &[u32]) -> Option<(T, T)> {
    let parts = crate::parallel::per_share(rows, |_, part| {
        part.iter()
            .map(|&r| r as usize)
            .filter(|&r| valid.is_none_or(|b| b.get(r)))
            .fold(None, |acc: Option<(T, T)>, r| {
                Some(acc.map_or((v[r], v[r]), |(lo, hi)| (lo.min(v[r]), hi.max(v[r]))))
            })
    });
    parts.into_iter().flatten().reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
}

/// Division by a fixed positive divisor without a divide instruction per value: a
/// multiply by the reciprocal, then a one-step correction (exact).
#[derive(Clone, Copy, Debug)]
pub struct FastDiv {
    d: u64,
    m: u64,
}

impl FastDiv {
    pub fn new(d: u64) -> Self {
        let d = d.max(1);
        FastDiv { d, m: u64::MAX / d }
    }

    #[inline(always)]
    pub fn quotient(self, x: u64) -> u64 {
        // m = floor((2^64 - 1) / d) underestimates x / d by less than 2: one step
        // corrects it.
        let q = ((x as u128 * self.m as u128) >> 64) as u64;
        if (q + 1).saturating_mul(self.d) <= x {
            q + 1
        } else {
            q
        }
    }
}

/// A grouping key: a column, and for times a fixed span to bucket them by.
#[derive(Clone, Copy)]
pub struct Key<'a> {
    pub col: &'a Column,
    /// Milliseconds: group by the span-aligned bucket (epoch-aligned) of each time.
    pub bucket: Option<i64>,
}

impl<'a> Key<'a> {
    pub fn plain(col: &'a Column) -> Self {
        Key { col, bucket: None }
    }
}

impl<'a> KeyCodes<'a> {
    pub(super) fn new(key: Key<'a>, rows: &[u32]) -> Self {
        let col = key.col;
        let valid = col.valid.as_ref();
        let (data, max_code) = match (&col.data, key.bucket) {
            (ColumnData::Time(v), Some(w)) if w > 0 => {
                let (lo, hi) =
                    bounds(v, valid, rows).map_or((0, 0), |(lo, hi)| (lo.div_euclid(w) * w, hi.div_euclid(w) * w));
                (Codes::Bucket(v, lo, FastDiv::new(w as u64)), ((hi - lo) / w) as u128)
            }
            _ => Self::plain(col, rows),
        };
        let null_code = max_code.saturating_add(1);
        KeyCodes { data, valid, null_code, bits: bits_for(null_code) }
    }

    pub(super) fn plain(col: &'a Column, rows: &[u32]) -> (Codes<'a>, u128) {
        let valid = col.valid.as_ref();
        match &col.data {
            ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => {
                let (lo, hi) = bounds(v, valid, rows).unwrap_or((0, 0));
                (Codes::Int(v, lo), (hi as i128 - lo as i128) as u128)
            }
            ColumnData::Ip4(v) => {
                let (lo, hi) = bounds(v, valid, rows).unwrap_or((0, 0));
                (Codes::Ip4(v, lo), (hi - lo) as u128)
            }
            ColumnData::Ip(v) => {
                let (lo, hi) = bounds(v, valid, rows).unwrap_or((0, 0));
                (Codes::Ip(v, lo), hi - lo)
            }
            ColumnData::Str(s) => {
                let ranks = s.dict.sort_ranks();
                let n = ranks.len() as u128;
                (Codes::Str(&s.codes, ranks), n.saturating_sub(1))
            }
            ColumnData::Bool(v) => (Codes::Bool(v), 1),
            ColumnData::Float(v) => (Codes::Float(v), u64::MAX as u128),
        }
    }

    /// The column's codes as ranks of its distinct values, when they are wide (IPv6)
    /// and ranks are fewer bits: one hash lookup per row, with the distinct values
    /// numbered as first seen, then renumbered in sorted order (ranks keep the order).
    pub(super) fn rank_wide(&mut self, rows: &[u32]) {
        let Codes::Ip(v, _) = self.data else { return };
        if self.bits <= 32 {
            return;
        }
        let valid = self.valid;
        let mut seen: crate::store::hash::FastMap<u128, u32> = Default::default();
        let mut codes = vec![0u32; v.len()];
        for &r in rows {
            let r = r as usize;
            if valid.is_none_or(|b| b.get(r)) {
                let next = seen.len() as u32;
                codes[r] = *seen.entry(v[r]).or_insert(next);
            }
        }
        let mut distinct: Vec<(u128, u32)> = seen.into_iter().collect();
        distinct.sort_unstable();
        let mut rank = vec![0u32; distinct.len()];
        for (i, &(_, first_seen)) in distinct.iter().enumerate() {
            rank[first_seen as usize] = i as u32;
        }
        for &r in rows {
            let c = &mut codes[r as usize];
            *c = rank.get(*c as usize).copied().unwrap_or(0);
        }
        if bits_for(distinct.len() as u128) < self.bits {
            self.null_code = distinct.len() as u128;
            self.bits = bits_for(self.null_code);
            self.data = Codes::Ranked(codes);
        }
    }

    /// Append this column's code of row `rows[i]` to `keys[i]`, for every `i`.
    pub(super) fn shift_in<K: Packed>(&self, rows: &[u32], keys: &mut [K]) {
        fn each<K: Packed>(rows: &[u32], keys: &mut [K], bits: u32, code: impl Fn(usize) -> u128) {
            for (k, &r) in keys.iter_mut().zip(rows) {
                *k = k.shift_in(bits, code(r as usize));
            }
        }
        let bits = self.bits;
        match (&self.data, self.valid) {
            (Codes::Int(v, lo), None) => each(rows, keys, bits, |r| (v[r] as i128 - *lo as i128) as u128),
            (Codes::Bucket(v, lo, div), None) => each(rows, keys, bits, |r| div.quotient((v[r] - lo) as u64) as u128),
            (Codes::Ip4(v, lo), None) => each(rows, keys, bits, |r| (v[r] - lo) as u128),
            _ => each(rows, keys, bits, |r| self.code(r)),
        }
    }

    #[inline(always)]
    pub(super) fn code(&self, r: usize) -> u128 {
        if self.valid.is_some_and(|v| !v.get(r)) {
            return self.null_code;
        }
        match &self.data {
            Codes::Int(v, lo) => (v[r] as i128 - *lo as i128) as u128,
            Codes::Bucket(v, lo, div) => div.quotient((v[r] - lo) as u64) as u128,
            Codes::Ip4(v, lo) => (v[r] - lo) as u128,
            Codes::Ip(v, lo) => v[r] - lo,
            Codes::Ranked(codes) => codes[r] as u128,
            Codes::Str(c, ranks) => ranks[c[r] as usize] as u128,
            Codes::Bool(v) => v[r] as u128,
            Codes::Float(v) => float_code(v[r]),
        }
    }
}
