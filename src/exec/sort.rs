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

fn prepare<'a>(t: &'a Table, keys: &[(usize, bool)]) -> Vec<Key<'a>> {
    keys.iter()
        .map(|&(c, descending)| {
            let col = t.column(c);
            let ranks = match &col.data {
                ColumnData::Str(s) => Some(s.dict.sort_ranks()),
                _ => None,
            };
            Key { col, ranks, descending }
        })
        .collect()
}

fn compare_rows(keys: &[Key], a: u32, b: u32) -> Ordering {
    for k in keys {
        match k.cmp(a as usize, b as usize) {
            Ordering::Equal => continue,
            o => return o,
        }
    }
    Ordering::Equal
}

/// Stable-sort `rows` by the columns `keys` (column index, descending).
pub fn sort_rows(t: &Table, rows: &mut [u32], keys: &[(usize, bool)]) {
    // One key that maps to integers (numbers, times, IPv4, text by rank): sort
    // (null, key, position) triples, which is stable, puts nulls last and compares
    // plain integers.
    if let [(c, descending)] = keys {
        let col = t.column(*c);
        let ranks = match &col.data {
            ColumnData::Str(s) => Some(s.dict.sort_ranks()),
            _ => None,
        };
        let as_int = |r: usize| -> Option<i64> {
            match &col.data {
                ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => Some(v[r]),
                ColumnData::Ip4(v) => Some(v[r] as i64),
                ColumnData::Str(s) => ranks.as_ref().map(|k| k[s.codes[r] as usize] as i64),
                _ => None,
            }
        };
        if rows.is_empty() || as_int(rows[0] as usize).is_some() {
            let mut triples: Vec<(bool, i64, u32)> = rows
                .iter()
                .enumerate()
                .map(|(p, &r)| {
                    let null = !col.is_valid(r as usize);
                    let k = if null { 0 } else { as_int(r as usize).unwrap_or(0) };
                    // `!k` reverses the order of i64 without overflow.
                    (null, if *descending && !null { !k } else { k }, p as u32)
                })
                .collect();
            triples.sort_unstable();
            let before = rows.to_vec();
            for (slot, (_, _, p)) in rows.iter_mut().zip(triples) {
                *slot = before[p as usize];
            }
            return;
        }
    }
    let keys = prepare(t, keys);
    rows.sort_by(|&a, &b| compare_rows(&keys, a, b));
}

/// The first `n` rows in the order of `keys`, as a stable sort would give them, without
/// sorting the rest.
pub fn top_rows(t: &Table, rows: &mut Vec<u32>, keys: &[(usize, bool)], n: usize) {
    if n == 0 {
        rows.clear();
        return;
    }
    if n >= rows.len() / 8 {
        sort_rows(t, rows, keys);
        rows.truncate(n);
        return;
    }
    let prepared = prepare(t, keys);
    // Ties keep their input order: compare positions last.
    let mut idx: Vec<(u32, u32)> = rows.iter().enumerate().map(|(p, &r)| (r, p as u32)).collect();
    let cmp = |a: &(u32, u32), b: &(u32, u32)| compare_rows(&prepared, a.0, b.0).then(a.1.cmp(&b.1));
    idx.select_nth_unstable_by(n - 1, cmp);
    idx.truncate(n);
    idx.sort_by(cmp);
    *rows = idx.into_iter().map(|(r, _)| r).collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Bitmap, Column};

    fn table() -> Table {
        let n = 1000;
        let mut t = Table::new(n);
        let v: Vec<i64> = (0..n as i64).map(|i| (i * 7919) % 97).collect();
        t.push("k", Column::new(ColumnData::Int(v.clone()), None));
        let mut valid = Bitmap::with_capacity(n);
        (0..n).for_each(|i| valid.push(i % 13 != 0));
        t.push("nullable", Column::new(ColumnData::Int(v), Some(valid)));
        t
    }

    /// The fast paths (integer keys, top-n selection) order rows exactly as the
    /// general stable sort does, ties in input order, nulls last.
    #[test]
    fn fast_paths_agree_with_the_general_sort() {
        let t = table();
        for keys in [[(0, false)], [(0, true)], [(1, false)], [(1, true)]] {
            let general = {
                let prepared = prepare(&t, &keys);
                let mut rows: Vec<u32> = (0..1000).rev().collect();
                rows.sort_by(|&a, &b| compare_rows(&prepared, a, b));
                rows
            };
            let mut fast: Vec<u32> = (0..1000).rev().collect();
            sort_rows(&t, &mut fast, &keys);
            assert_eq!(fast, general);
            for n in [0, 1, 5, 100, 999, 2000] {
                let mut top: Vec<u32> = (0..1000).rev().collect();
                top_rows(&t, &mut top, &keys, n);
                assert_eq!(top, general[..n.min(1000)], "n = {n}");
            }
            let mut asc: Vec<u32> = (0..1000).collect();
            sort_rows(&t, &mut asc, &keys);
            let prepared = prepare(&t, &keys);
            let mut want: Vec<u32> = (0..1000).collect();
            want.sort_by(|&a, &b| compare_rows(&prepared, a, b));
            assert_eq!(asc, want);
        }
    }
}
