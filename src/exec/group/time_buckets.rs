//! `link span=<fixed span> Time | stats <simple aggregates>` in one pass: each core
//! folds its share of the records straight into per-bucket slots (count, first and last
//! time, sums, extremes), with no group ids, no member lists and no second pass. Used
//! when no later stage needs the groups' member records; the result equals the general
//! path's (tests/commands.rs checks both).

use super::FastDiv;
use crate::exec::Frame;
use crate::funcs::aggregate::AggKind;
use crate::plan::{AggParam, AggSpec, CExpr, LinkOp};
use crate::store::time::Span;
use crate::store::{Bitmap, Column, ColumnData, Table};

/// More buckets than this go the general way (the slots would outweigh the records).
const MAX_BUCKETS: i64 = 1 << 22;

/// One aggregate the fused pass can do: its kind and its integer input column.
pub(super) struct Simple<'a> {
    pub kind: AggKind,
    pub input: Option<(&'a [i64], Option<&'a Bitmap>)>,
}

/// Per-bucket slots of one share of the records.
#[derive(Clone)]
struct Slots {
    count: Vec<i64>,
    first: Vec<i64>,
    last: Vec<i64>,
    /// Per aggregate: (sum or extreme, values seen).
    /// Per aggregate: its accumulator (wide, so sums cannot wrap) and values seen.
    aggs: Vec<(Vec<i128>, Vec<i64>)>,
}

pub(super) fn simple<'a>(a: &AggSpec, t: &'a Table) -> Option<Simple<'a>> {
    if !matches!(a.param, AggParam::None) {
        return None;
    }
    match (a.kind, &a.arg) {
        (AggKind::Count, None) => Some(Simple { kind: AggKind::Count, input: None }),
        (AggKind::CountField | AggKind::Sum | AggKind::Avg | AggKind::Min | AggKind::Max, Some(CExpr::Col(c))) => {
            match &t.column(*c).data {
                ColumnData::Int(v) => Some(Simple { kind: a.kind, input: Some((v, t.column(*c).valid.as_ref())) }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The fused `link` + `stats`, or `None` when the shape does not allow it.
pub fn link_stats(l: &LinkOp, aggs: &[AggSpec], f: &Frame) -> Option<Frame> {
    let t = &f.table;
    let (&[key], &[Some(Span::Millis(w))]) = (&l.keys[..], &l.floor[..]) else { return None };
    if l.time != Some(key) || w <= 0 {
        return None;
    }
    let col = t.column(key);
    let ColumnData::Time(v) = &col.data else { return None };
    let valid = col.valid.as_ref();
    if l.include_nulls && valid.is_some() {
        return None;
    }
    let simples: Vec<Simple> = aggs.iter().map(|a| simple(a, t)).collect::<Option<_>>()?;
    let present = |r: usize| valid.is_none_or(|b| b.get(r));

    let bounds = crate::parallel::per_share(&f.rows, |_, part| match valid {
        None => bounds_of(v, part),
        Some(_) => part
            .iter()
            .map(|&r| r as usize)
            .filter(|&r| present(r))
            .fold((i64::MAX, i64::MIN), |(lo, hi), r| (lo.min(v[r]), hi.max(v[r]))),
    });
    let (lo, hi) = bounds.into_iter().fold((i64::MAX, i64::MIN), |(a, b), (c, d)| (a.min(c), b.max(d)));
    let (first_bucket, nb) = if lo > hi { (0, 0) } else { (lo.div_euclid(w), hi.div_euclid(w) - lo.div_euclid(w) + 1) };
    if nb > MAX_BUCKETS {
        return None;
    }
    let nb = nb as usize;
    let origin = first_bucket * w;
    let div = FastDiv::new(w as u64);
    let empty = Slots {
        count: vec![0; nb],
        first: vec![i64::MAX; nb],
        last: vec![i64::MIN; nb],
        aggs: simples
            .iter()
            .map(|s| {
                let start = match s.kind {
                    AggKind::Min => i64::MAX as i128,
                    AggKind::Max => i64::MIN as i128,
                    _ => 0,
                };
                (vec![start; nb], vec![0; nb])
            })
            .collect(),
    };
    // The common shape (one sum of a column without nulls, no null times) gets a loop
    // of its own: no per-row checks or dispatch.
    let plain_sum = match &simples[..] {
        [Simple { kind: AggKind::Sum | AggKind::Avg | AggKind::CountField, input: Some((x, None)) }]
            if valid.is_none() =>
        {
            Some(*x)
        }
        _ => None,
    };
    let shares = crate::parallel::per_share(&f.rows, |_, part| {
        let mut s = empty.clone();
        if let Some(x) = plain_sum {
            // 64-bit sums with a count of wraps (cheaper than 128-bit adds in this,
            // the hottest loop), widened once at the end.
            let (mut low, mut wraps) = (vec![0i64; nb], vec![0i64; nb]);
            for &r in part {
                let r = r as usize;
                let ts = v[r];
                let b = div.quotient((ts - origin) as u64) as usize;
                s.count[b] += 1;
                s.first[b] = s.first[b].min(ts);
                s.last[b] = s.last[b].max(ts);
                let (sum, wrapped) = low[b].overflowing_add(x[r]);
                low[b] = sum;
                if wrapped {
                    wraps[b] += if x[r] < 0 { -1 } else { 1 };
                }
            }
            let (acc, seen) = &mut s.aggs[0];
            for b in 0..nb {
                acc[b] = low[b] as i128 + ((wraps[b] as i128) << 64);
            }
            seen.copy_from_slice(&s.count);
            return s;
        }
        for &r in part {
            let r = r as usize;
            if !present(r) {
                continue;
            }
            let ts = v[r];
            let b = div.quotient((ts - origin) as u64) as usize;
            s.count[b] += 1;
            s.first[b] = s.first[b].min(ts);
            s.last[b] = s.last[b].max(ts);
            for (a, (acc, seen)) in simples.iter().zip(&mut s.aggs) {
                let Some((x, xv)) = a.input else { continue };
                if xv.is_some_and(|bm| !bm.get(r)) {
                    continue;
                }
                seen[b] += 1;
                let x = x[r] as i128;
                match a.kind {
                    AggKind::Min => acc[b] = acc[b].min(x),
                    AggKind::Max => acc[b] = acc[b].max(x),
                    _ => acc[b] += x,
                }
            }
        }
        s
    });
    let mut all = empty;
    for s in shares {
        for b in 0..nb {
            all.count[b] += s.count[b];
            all.first[b] = all.first[b].min(s.first[b]);
            all.last[b] = all.last[b].max(s.last[b]);
        }
        for ((a, (acc, seen)), (sacc, sseen)) in simples.iter().zip(&mut all.aggs).zip(&s.aggs) {
            for b in 0..nb {
                seen[b] += sseen[b];
                match a.kind {
                    AggKind::Min => acc[b] = acc[b].min(sacc[b]),
                    AggKind::Max => acc[b] = acc[b].max(sacc[b]),
                    _ => acc[b] += sacc[b],
                }
            }
        }
    }
    Some(output(t, key, aggs, &simples, &all, origin, w))
}

/// An aggregate's column from its per-group accumulator, values seen and member count.
pub(super) fn agg_column(kind: AggKind, acc: Vec<i128>, seen: Vec<i64>, count: Vec<i64>) -> Column {
    let n = seen.len();
    let some = || {
        let mut b = Bitmap::with_capacity(n);
        seen.iter().for_each(|&c| b.push(c > 0));
        if b.all_set() {
            None
        } else {
            Some(b)
        }
    };
    match kind {
        AggKind::Count => Column::new(ColumnData::Int(count), None),
        AggKind::CountField => Column::new(ColumnData::Int(seen.clone()), None),
        AggKind::Avg => {
            let means = acc.iter().zip(&seen).map(|(&x, &c)| if c > 0 { x as f64 / c as f64 } else { 0.0 }).collect();
            Column::new(ColumnData::Float(means), some())
        }
        _ => {
            let vals = acc.iter().zip(&seen).map(|(&x, &c)| if c > 0 { x } else { 0 }).collect();
            crate::exec::aggregate::int_totals(vals, some())
        }
    }
}

/// The smallest and largest of `v` at `rows`, with four independent running pairs so
/// the comparisons do not wait on each other.
fn bounds_of(v: &[i64], rows: &[u32]) -> (i64, i64) {
    let mut lo = [i64::MAX; 4];
    let mut hi = [i64::MIN; 4];
    let mut chunks = rows.chunks_exact(4);
    for c in &mut chunks {
        for k in 0..4 {
            let x = v[c[k] as usize];
            lo[k] = lo[k].min(x);
            hi[k] = hi[k].max(x);
        }
    }
    for &r in chunks.remainder() {
        lo[0] = lo[0].min(v[r as usize]);
        hi[0] = hi[0].max(v[r as usize]);
    }
    (lo.into_iter().min().unwrap_or(i64::MAX), hi.into_iter().max().unwrap_or(i64::MIN))
}

/// The group table of the buckets that hold records, as the general path makes it.
fn output(t: &Table, key: usize, aggs: &[AggSpec], simples: &[Simple], s: &Slots, origin: i64, w: i64) -> Frame {
    let used: Vec<usize> = (0..s.count.len()).filter(|&b| s.count[b] > 0).collect();
    let n = used.len();
    fn pick<T: Copy>(used: &[usize], v: &[T]) -> Vec<T> {
        used.iter().map(|&b| v[b]).collect()
    }
    let mut out = Table::new(n);
    let starts: Vec<i64> = used.iter().map(|&b| origin + b as i64 * w).collect();
    out.push(t.fields[key].name.clone(), Column::new(ColumnData::Time(starts), None));
    out.push("Count", Column::new(ColumnData::Int(pick(&used, &s.count)), None));
    let (first, last) = (pick(&used, &s.first), pick(&used, &s.last));
    let duration = first.iter().zip(&last).map(|(a, b)| b - a).collect();
    out.push("Start Time", Column::new(ColumnData::Time(first), None));
    out.push("End Time", Column::new(ColumnData::Time(last), None));
    out.push("Group Duration", Column::new(ColumnData::Duration(duration), None));
    for ((spec, a), (acc, seen)) in aggs.iter().zip(simples).zip(&s.aggs) {
        out.push(spec.name.clone(), agg_column(a.kind, pick(&used, acc), pick(&used, seen), pick(&used, &s.count)));
    }
    Frame { table: out, rows: (0..n as u32).collect(), natural_order: false, members: None }
}
