//! Grouping rows by key columns (`stats ... by`, `link`). Each row's key is packed into
//! one u64 or u128 where the columns' value ranges allow (an IPv4 and a port fit in 48
//! bits), so hashing and comparing keys is integer work. The packing preserves order,
//! so sorting the packed keys sorts the groups by their key fields.

use std::hash::Hash;

use crate::store::hash::FastMap;
use crate::store::{Bitmap, Column, ColumnData};

/// Groups as compressed rows: group `g` holds `rows[offsets[g]..offsets[g + 1]]`.
#[derive(Clone, Debug, Default)]
pub struct Groups {
    pub offsets: Vec<u32>,
    pub rows: Vec<u32>,
}

impl Groups {
    /// One group holding `rows`.
    pub fn single(rows: Vec<u32>) -> Groups {
        Groups { offsets: vec![0, rows.len() as u32], rows }
    }

    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn members(&self, g: usize) -> &[u32] {
        &self.rows[self.offsets[g] as usize..self.offsets[g + 1] as usize]
    }

    /// The groups `sel`, in that order.
    pub fn select(&self, sel: &[u32]) -> Groups {
        let mut out = Groups { offsets: Vec::with_capacity(sel.len() + 1), rows: Vec::new() };
        out.offsets.push(0);
        for &g in sel {
            out.rows.extend_from_slice(self.members(g as usize));
            out.offsets.push(out.rows.len() as u32);
        }
        out
    }
}

/// One key column, as order-preserving integer codes. Null gets the code after the
/// largest value, so nulls sort last.
struct KeyCodes<'a> {
    data: Codes<'a>,
    valid: Option<&'a Bitmap>,
    null_code: u128,
    bits: u32,
}

enum Codes<'a> {
    Int(&'a [i64], i64),
    Ip4(&'a [u32], u32),
    Ip(&'a [u128], u128),
    Str(&'a [u32], Vec<u32>),
    Bool(&'a [bool]),
    Float(&'a [f64]),
}

fn float_code(f: f64) -> u128 {
    let b = f.to_bits();
    (if b >> 63 == 1 { !b } else { b | (1 << 63) }) as u128
}

fn bits_for(max_code: u128) -> u32 {
    (128 - max_code.leading_zeros()).max(1)
}

impl<'a> KeyCodes<'a> {
    fn new(col: &'a Column, rows: &[u32]) -> Self {
        let valid = col.valid.as_ref();
        let live = || rows.iter().map(|&r| r as usize).filter(move |&r| valid.is_none_or(|v| v.get(r)));
        let (data, max_code) = match &col.data {
            ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => {
                let (lo, hi) = live().fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(v[r]), hi.max(v[r])));
                let range = if lo > hi { 0 } else { (hi as i128 - lo as i128) as u128 };
                (Codes::Int(v, lo.min(hi)), range)
            }
            ColumnData::Ip4(v) => {
                let (lo, hi) = live().fold((u32::MAX, 0), |(lo, hi), r| (lo.min(v[r]), hi.max(v[r])));
                (Codes::Ip4(v, lo.min(hi)), hi.saturating_sub(lo) as u128)
            }
            ColumnData::Ip(v) => {
                let (lo, hi) = live().fold((u128::MAX, 0), |(lo, hi), r| (lo.min(v[r]), hi.max(v[r])));
                (Codes::Ip(v, lo.min(hi)), hi.saturating_sub(lo))
            }
            ColumnData::Str(s) => {
                let ranks = s.dict.sort_ranks();
                let n = ranks.len() as u128;
                (Codes::Str(&s.codes, ranks), n.saturating_sub(1))
            }
            ColumnData::Bool(v) => (Codes::Bool(v), 1),
            ColumnData::Float(v) => (Codes::Float(v), u64::MAX as u128),
        };
        let null_code = max_code.saturating_add(1);
        KeyCodes { data, valid, null_code, bits: bits_for(null_code) }
    }

    #[inline]
    fn code(&self, r: usize) -> u128 {
        if self.valid.is_some_and(|v| !v.get(r)) {
            return self.null_code;
        }
        match &self.data {
            Codes::Int(v, lo) => (v[r] as i128 - *lo as i128) as u128,
            Codes::Ip4(v, lo) => (v[r] - lo) as u128,
            Codes::Ip(v, lo) => v[r] - lo,
            Codes::Str(c, ranks) => ranks[c[r] as usize] as u128,
            Codes::Bool(v) => v[r] as u128,
            Codes::Float(v) => float_code(v[r]),
        }
    }
}

/// Group `rows` by the values of `keys`: groups ordered by key (nulls last), members in
/// the order of `rows`.
pub fn group_by(keys: &[&Column], rows: &[u32]) -> Groups {
    let codes: Vec<KeyCodes> = keys.iter().map(|c| KeyCodes::new(c, rows)).collect();
    let total: u32 = codes.iter().map(|c| c.bits).sum();
    if total <= 64 {
        build(rows, |r| {
            let mut k = 0u64;
            for c in &codes {
                k = (k << c.bits) | c.code(r) as u64;
            }
            k
        })
    } else if total <= 128 {
        build(rows, |r| {
            let mut k = 0u128;
            for c in &codes {
                k = (k << c.bits) | c.code(r);
            }
            k
        })
    } else {
        build(rows, |r| codes.iter().map(|c| c.code(r)).collect::<Vec<u128>>())
    }
}

fn build<K: Hash + Eq + Ord + Clone>(rows: &[u32], key: impl Fn(usize) -> K) -> Groups {
    let mut index: FastMap<K, u32> = FastMap::default();
    let mut keys: Vec<K> = Vec::new();
    let mut gid: Vec<u32> = Vec::with_capacity(rows.len());
    for &r in rows {
        let k = key(r as usize);
        let next = keys.len() as u32;
        let id = *index.entry(k).or_insert_with_key(|k| {
            keys.push(k.clone());
            next
        });
        gid.push(id);
    }
    drop(index);
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
    let mut rank = vec![0u32; keys.len()];
    for (pos, &g) in order.iter().enumerate() {
        rank[g as usize] = pos as u32;
    }
    // Counting sort of the rows by group rank keeps each group's rows in input order.
    let mut offsets = vec![0u32; keys.len() + 1];
    for &g in &gid {
        offsets[rank[g as usize] as usize + 1] += 1;
    }
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let mut fill = offsets.clone();
    let mut out = vec![0u32; rows.len()];
    for (&r, &g) in rows.iter().zip(&gid) {
        let slot = &mut fill[rank[g as usize] as usize];
        out[*slot as usize] = r;
        *slot += 1;
    }
    Groups { offsets, rows: out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ColumnBuilder, Value};

    fn col(vals: &[Value]) -> Column {
        let mut b = ColumnBuilder::new(vals.len());
        for v in vals {
            b.push(v.clone());
        }
        b.finish()
    }

    #[test]
    fn groups_sorted_with_nulls_last() {
        let a = col(&[Value::Int(5), Value::Null, Value::Int(-3), Value::Int(5), Value::Int(-3)]);
        let b = col(&[Value::str("x"), Value::str("y"), Value::str("Y"), Value::str("x"), Value::str("y")]);
        let g = group_by(&[&a, &b], &[0, 1, 2, 3, 4]);
        assert_eq!(g.len(), 4);
        assert_eq!(g.members(0), &[2]); // (-3, Y): equal ignoring case, upper case first
        assert_eq!(g.members(1), &[4]); // (-3, y)
        assert_eq!(g.members(2), &[0, 3]); // (5, x)
        assert_eq!(g.members(3), &[1]); // (null, y)
    }

    #[test]
    fn wide_keys_fall_back_and_agree() {
        let f = col(&[Value::Float(1.5), Value::Float(-2.0), Value::Float(1.5)]);
        let g = group_by(&[&f, &f, &f], &[0, 1, 2]);
        assert_eq!(g.len(), 2);
        assert_eq!(g.members(0), &[1]);
        assert_eq!(g.members(1), &[0, 2]);
        let sel = g.select(&[1]);
        assert_eq!(sel.members(0), &[0, 2]);
    }
}
