//! Ordering rows: `sort`, and the newest-first order of records.

use std::cmp::Ordering;

use crate::store::value::{cmp_sort_str, compare};
use crate::store::{Column, ColumnData, Table};

/// One sort key prepared for fast comparison: strings compare by precomputed rank.
struct Key<'a> {
    col: &'a Column,
    ranks: Option<Vec<u32>>,
    descending: bool,
}

impl Key<'_> {
    /// Nulls last in either direction.
    fn cmp(&self, a: usize, b: usize) -> Ordering {
        let (va, vb) = (self.col.is_valid(a), self.col.is_valid(b));
        match (va, vb) {
            (false, false) => return Ordering::Equal,
            (false, true) => return Ordering::Greater,
            (true, false) => return Ordering::Less,
            _ => {}
        }
        let o = match (&self.col.data, &self.ranks) {
            (ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v), _) => v[a].cmp(&v[b]),
            (ColumnData::Ip4(v), _) => v[a].cmp(&v[b]),
            (ColumnData::Ip(v), _) => v[a].cmp(&v[b]),
            (ColumnData::Float(v), _) => v[a].total_cmp(&v[b]),
            (ColumnData::Str(s), Some(r)) => r[s.codes[a] as usize].cmp(&r[s.codes[b] as usize]),
            (ColumnData::Str(s), None) => cmp_sort_str(s.dict.get(s.codes[a]), s.dict.get(s.codes[b])),
            _ => compare(&self.col.get(a), &self.col.get(b)).unwrap_or(Ordering::Equal),
        };
        if self.descending {
            o.reverse()
        } else {
            o
        }
    }
}

/// Stable-sort `rows` by the columns `keys` (column index, descending).
pub fn sort_rows(t: &Table, rows: &mut [u32], keys: &[(usize, bool)]) {
    let keys: Vec<Key> = keys
        .iter()
        .map(|&(c, descending)| {
            let col = t.column(c);
            let ranks = match &col.data {
                ColumnData::Str(s) => Some(s.dict.sort_ranks()),
                _ => None,
            };
            Key { col, ranks, descending }
        })
        .collect();
    rows.sort_by(|&a, &b| {
        for k in &keys {
            match k.cmp(a as usize, b as usize) {
                Ordering::Equal => continue,
                o => return o,
            }
        }
        Ordering::Equal
    });
}
