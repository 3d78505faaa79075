//! `stats <simple aggregates> by <one field>` folded straight into per-key slots: each
//! core keeps a hash map from key to slot over its share of the rows, the maps are
//! merged, and the groups are put in key order. No member lists are made (stats keeps
//! none), which the general path (`group_by`) has to build for other aggregates.

use super::time_buckets::{agg_column, simple, Simple};
use crate::exec::Frame;
use crate::funcs::aggregate::AggKind;
use crate::plan::AggSpec;
use crate::store::hash::SlotMap;
use crate::store::{Bitmap, ColumnData, Table};

/// One share's groups: key → slot, and per slot its key, first row, members and
/// accumulators.
struct Share {
    slot: SlotMap,
    null: Option<u32>,
    keys: Vec<Option<u64>>,
    first: Vec<u32>,
    count: Vec<i64>,
    /// Per aggregate: its accumulator (wide, so sums cannot wrap) and values seen.
    aggs: Vec<(Vec<i128>, Vec<i64>)>,
}

impl Share {
    fn new(naggs: usize) -> Share {
        Share {
            slot: SlotMap::default(),
            null: None,
            keys: Vec::new(),
            first: Vec::new(),
            count: Vec::new(),
            aggs: (0..naggs).map(|_| (Vec::new(), Vec::new())).collect(),
        }
    }

    /// The slot of `key` (null: `None`), made with `first` as its first row if new.
    #[inline]
    fn slot_of(&mut self, key: Option<u64>, first: u32, simples: &[Simple]) -> usize {
        match key {
            Some(k) => {
                let next = self.keys.len() as u32;
                let g = self.slot.get_or_insert_with(k, || next) as usize;
                // A new key got the next slot number: make that slot.
                if g == self.keys.len() {
                    self.add_slot(key, first, simples);
                }
                g
            }
            None => match self.null {
                Some(g) => g as usize,
                None => {
                    let g = self.add_slot(None, first, simples);
                    self.null = Some(g as u32);
                    g
                }
            },
        }
    }

    fn add_slot(&mut self, key: Option<u64>, first: u32, simples: &[Simple]) -> usize {
        self.keys.push(key);
        self.first.push(first);
        self.count.push(0);
        for (a, (acc, seen)) in simples.iter().zip(&mut self.aggs) {
            acc.push(match a.kind {
                AggKind::Min => i64::MAX as i128,
                AggKind::Max => i64::MIN as i128,
                _ => 0,
            });
            seen.push(0);
        }
        self.keys.len() - 1
    }
}

fn fold(acc: &mut i128, x: i128, kind: AggKind) {
    match kind {
        AggKind::Min => *acc = (*acc).min(x),
        AggKind::Max => *acc = (*acc).max(x),
        _ => *acc += x,
    }
}

/// The fused `stats ... by key`, or `None` when the key or an aggregate is of a kind it
/// does not do.
pub fn stats_by_one(aggs: &[AggSpec], key: usize, f: &Frame) -> Option<Frame> {
    let t = &f.table;
    let kc = t.column(key);
    let simples: Vec<Simple> = aggs.iter().map(|a| simple(a, t)).collect::<Option<_>>()?;
    let valid = kc.valid.as_ref();
    // The key's reader is made for its column type (no call through a pointer per row).
    let shares = match &kc.data {
        ColumnData::Ip4(v) => fold_shares(&f.rows, |r| v[r] as u64, valid, &simples),
        ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => {
            fold_shares(&f.rows, |r| v[r] as u64, valid, &simples)
        }
        ColumnData::Str(s) => fold_shares(&f.rows, |r| s.codes[r] as u64, valid, &simples),
        _ => return None,
    };
    Some(finish(aggs, key, t, &simples, merge(shares, &simples)))
}

/// Each core folds its share of `rows` into a share of groups.
fn fold_shares(
    rows: &[u32],
    code: impl Fn(usize) -> u64 + Sync,
    valid: Option<&Bitmap>,
    simples: &[Simple],
) -> Vec<Share> {
    crate::parallel::per_share(rows, |_, part| {
        let mut s = Share::new(simples.len());
        for &r in part {
            let ri = r as usize;
            let k = valid.is_none_or(|b| b.get(ri)).then(|| code(ri));
            let slot = s.slot_of(k, r, simples);
            s.count[slot] += 1;
            for (a, (acc, seen)) in simples.iter().zip(&mut s.aggs) {
                let Some((x, xv)) = a.input else { continue };
                if xv.is_some_and(|b| !b.get(ri)) {
                    continue;
                }
                seen[slot] += 1;
                fold(&mut acc[slot], x[ri] as i128, a.kind);
            }
        }
        s
    })
}

/// Merge the shares into the first (shares are in row order: its first rows win).
fn merge(shares: Vec<Share>, simples: &[Simple]) -> Share {
    let mut shares = shares.into_iter();
    let mut all = shares.next().unwrap_or_else(|| Share::new(simples.len()));
    for s in shares {
        for i in 0..s.keys.len() {
            let g = all.slot_of(s.keys[i], s.first[i], simples);
            all.count[g] += s.count[i];
            for ((a, (acc, seen)), (sacc, sseen)) in simples.iter().zip(&mut all.aggs).zip(&s.aggs) {
                seen[g] += sseen[i];
                if sseen[i] > 0 {
                    fold(&mut acc[g], sacc[i], a.kind);
                }
            }
        }
    }
    all
}

/// The stats by key: the rest of `stats_by_one` after the fold.
fn finish(aggs: &[AggSpec], key: usize, t: &Table, simples: &[Simple], all: Share) -> Frame {
    let kc = t.column(key);
    let mut order: Vec<usize> = (0..all.keys.len()).collect();
    match &kc.data {
        ColumnData::Str(s) => {
            let ranks = s.dict.sort_ranks();
            order.sort_by_key(|&g| all.keys[g].map_or((1, 0), |k| (0, ranks[k as usize] as u64)));
        }
        ColumnData::Ip4(_) => order.sort_by_key(|&g| all.keys[g].map_or((1, 0), |k| (0, k))),
        _ => order.sort_by_key(|&g| all.keys[g].map_or((1, 0i128), |k| (0, k as i64 as i128))),
    }
    fn pick<T: Copy>(order: &[usize], v: &[T]) -> Vec<T> {
        order.iter().map(|&g| v[g]).collect()
    }
    let firsts: Vec<u32> = order.iter().map(|&g| all.first[g]).collect();
    let mut out = Table::new(order.len());
    out.push(t.fields[key].name.clone(), kc.gather(&firsts));
    for ((spec, a), (acc, seen)) in aggs.iter().zip(simples).zip(&all.aggs) {
        out.push(
            spec.name.clone(),
            agg_column(a.kind, pick(&order, acc), pick(&order, seen), pick(&order, &all.count)),
        );
    }
    let n = out.len() as u32;
    Frame { table: out, rows: (0..n).collect(), natural_order: false, members: None }
}
