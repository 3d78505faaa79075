//! `stats <simple aggregates> by <one field>` folded straight into per-key slots: each
//! core keeps a hash map from key to slot over its share of the rows, the maps are
//! merged, and the groups are put in key order. No member lists are made (stats keeps
//! none), which the general path (`group.rs`) has to build for other aggregates.

use super::time_link::{agg_column, simple, Simple};
use super::Frame;
use crate::funcs::aggregate::AggKind;
use crate::plan::AggSpec;
use crate::store::hash::FastMap;
use crate::store::{ColumnData, Table};

/// One share's groups: key → slot, and per slot its key, first row, members and
/// accumulators.
struct Share {
    slot: FastMap<u64, u32>,
    null: Option<u32>,
    keys: Vec<Option<u64>>,
    first: Vec<u32>,
    count: Vec<i64>,
    aggs: Vec<(Vec<i64>, Vec<i64>)>,
}

impl Share {
    fn new(naggs: usize) -> Share {
        Share {
            slot: FastMap::default(),
            null: None,
            keys: Vec::new(),
            first: Vec::new(),
            count: Vec::new(),
            aggs: (0..naggs).map(|_| (Vec::new(), Vec::new())).collect(),
        }
    }

    fn add_slot(&mut self, key: Option<u64>, first: u32, simples: &[Simple]) -> usize {
        self.keys.push(key);
        self.first.push(first);
        self.count.push(0);
        for (a, (acc, seen)) in simples.iter().zip(&mut self.aggs) {
            acc.push(match a.kind {
                AggKind::Min => i64::MAX,
                AggKind::Max => i64::MIN,
                _ => 0,
            });
            seen.push(0);
        }
        self.keys.len() - 1
    }
}

fn fold(acc: &mut i64, x: i64, kind: AggKind) {
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
    let code: &(dyn Fn(usize) -> u64 + Sync) = match &kc.data {
        ColumnData::Ip4(v) => &move |r| v[r] as u64,
        ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => &move |r| v[r] as u64,
        ColumnData::Str(s) => &move |r| s.codes[r] as u64,
        _ => return None,
    };
    let simples: Vec<Simple> = aggs.iter().map(|a| simple(a, t)).collect::<Option<_>>()?;
    let valid = kc.valid.as_ref();
    let shares = crate::parallel::per_share(&f.rows, |_, part| {
        let mut s = Share::new(simples.len());
        for &r in part {
            let ri = r as usize;
            let k = valid.is_none_or(|b| b.get(ri)).then(|| code(ri));
            let slot = match k {
                Some(k) => match s.slot.get(&k) {
                    Some(&g) => g as usize,
                    None => {
                        let g = s.add_slot(Some(k), r, &simples);
                        s.slot.insert(k, g as u32);
                        g
                    }
                },
                None => match s.null {
                    Some(g) => g as usize,
                    None => {
                        let g = s.add_slot(None, r, &simples);
                        s.null = Some(g as u32);
                        g
                    }
                },
            };
            s.count[slot] += 1;
            for (a, (acc, seen)) in simples.iter().zip(&mut s.aggs) {
                let Some((x, xv)) = a.input else { continue };
                if xv.is_some_and(|b| !b.get(ri)) {
                    continue;
                }
                seen[slot] += 1;
                fold(&mut acc[slot], x[ri], a.kind);
            }
        }
        s
    });
    // Merge the shares into the first (shares are in row order: its first rows win).
    let mut shares = shares.into_iter();
    let mut all = shares.next().unwrap_or_else(|| Share::new(simples.len()));
    for s in shares {
        for i in 0..s.keys.len() {
            let g = match s.keys[i] {
                Some(k) => match all.slot.get(&k) {
                    Some(&g) => g as usize,
                    None => {
                        let g = all.add_slot(Some(k), s.first[i], &simples);
                        all.slot.insert(k, g as u32);
                        g
                    }
                },
                None => match all.null {
                    Some(g) => g as usize,
                    None => {
                        let g = all.add_slot(None, s.first[i], &simples);
                        all.null = Some(g as u32);
                        g
                    }
                },
            };
            all.count[g] += s.count[i];
            for ((a, (acc, seen)), (sacc, sseen)) in simples.iter().zip(&mut all.aggs).zip(&s.aggs) {
                seen[g] += sseen[i];
                if sseen[i] > 0 {
                    fold(&mut acc[g], sacc[i], a.kind);
                }
            }
        }
    }
    // Key order, nulls last: numbers by value, text as `sort` orders it.
    let mut order: Vec<usize> = (0..all.keys.len()).collect();
    match &kc.data {
        ColumnData::Str(s) => {
            let ranks = s.dict.sort_ranks();
            order.sort_by_key(|&g| all.keys[g].map_or((1, 0), |k| (0, ranks[k as usize] as u64)));
        }
        ColumnData::Ip4(_) => order.sort_by_key(|&g| all.keys[g].map_or((1, 0), |k| (0, k))),
        _ => order.sort_by_key(|&g| all.keys[g].map_or((1, 0i128), |k| (0, k as i64 as i128))),
    }
    let pick = |v: &[i64]| -> Vec<i64> { order.iter().map(|&g| v[g]).collect() };
    let firsts: Vec<u32> = order.iter().map(|&g| all.first[g]).collect();
    let mut out = Table::new(order.len());
    out.push(t.fields[key].name.clone(), kc.gather(&firsts));
    for ((spec, a), (acc, seen)) in aggs.iter().zip(&simples).zip(&all.aggs) {
        out.push(spec.name.clone(), agg_column(a.kind, pick(acc), pick(seen), pick(&all.count)));
    }
    let n = out.len() as u32;
    Some(Frame { table: out, rows: (0..n).collect(), natural_order: false, members: None })
}
