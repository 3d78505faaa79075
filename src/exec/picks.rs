//! Aggregates that pick values rather than compute them: `values`, `unique`,
//! `earliest`, `latest`; and `trend`, which draws another aggregate over time.

use super::aggregate::{aggregate, Input};
use crate::exec::group::Groups;
use crate::funcs::aggregate::AggKind;
use crate::plan::AggSpec;
use crate::store::time::Span;
use crate::store::{Column, ColumnBuilder, ColumnData, Table, Value};

/// How many values `values` and `unique` keep per group.
const MAX_VALUES: usize = 10;

/// The first values (distinct ones when `distinct`) of each group as joined text.
pub fn values(src: &Input, groups: &Groups, delim: &str, distinct: bool) -> Column {
    let mut lists: Vec<Vec<String>> = vec![Vec::new(); groups.n];
    for (k, &g) in groups.gid.iter().enumerate() {
        let list = &mut lists[g as usize];
        if list.len() >= MAX_VALUES {
            continue;
        }
        if let Some(t) = src.col.get(src.index(groups, k)).to_text() {
            if !distinct || !list.iter().any(|x| *x == t) {
                list.push(t.into_owned());
            }
        }
    }
    let mut b = ColumnBuilder::new(groups.n);
    for l in lists {
        b.push(if l.is_empty() { Value::Null } else { Value::Str(l.join(delim).into()) });
    }
    b.finish()
}

/// The value at each group's oldest (or newest, `latest`) record where it is not null;
/// ties go to the first member.
pub fn at_time(src: &Input, time: &Column, groups: &Groups, latest: bool) -> Column {
    let ColumnData::Time(t) = &time.data else { return super::aggregate::typed_nulls(&src.col, groups.n) };
    let mut best: Vec<Option<(i64, usize)>> = vec![None; groups.n];
    for (k, &g) in groups.gid.iter().enumerate() {
        let (row, i) = (groups.rows[k] as usize, src.index(groups, k));
        if !time.is_valid(row) || !src.col.is_valid(i) {
            continue;
        }
        let b = &mut best[g as usize];
        let better = match b {
            None => true,
            Some((bt, _)) => {
                if latest {
                    t[row] > *bt
                } else {
                    t[row] < *bt
                }
            }
        };
        if better {
            *b = Some((t[row], i));
        }
    }
    if best.iter().all(Option::is_none) {
        return super::aggregate::typed_nulls(&src.col, groups.n);
    }
    let mut b = ColumnBuilder::new(groups.n);
    for x in best {
        b.push(x.map_or(Value::Null, |(_, i)| src.col.get(i)));
    }
    b.finish()
}

/// The bars of a sparkline, lowest first.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Buckets when no span is given (or the span gives too many).
const AUTO_BUCKETS: i64 = 20;
const MAX_BUCKETS: i64 = 60;

/// `trend(inner)`: `inner` per group and time bucket, each group drawn as a sparkline
/// scaled to its own range. All groups share the buckets (the input's time range), so
/// the sparklines line up.
pub fn trend(inner: &AggSpec, input: &Table, time: usize, span: Option<Span>, groups: &Groups) -> Column {
    let tcol = input.column(time);
    let ColumnData::Time(t) = &tcol.data else { return Column::nulls_of(crate::store::DataType::Str, groups.n) };
    let mut members: Vec<(u32, u32)> = Vec::with_capacity(groups.rows.len());
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for (&r, &g) in groups.rows.iter().zip(&groups.gid) {
        if tcol.is_valid(r as usize) {
            lo = lo.min(t[r as usize]);
            hi = hi.max(t[r as usize]);
            members.push((r, g));
        }
    }
    if members.is_empty() {
        return Column::nulls_of(crate::store::DataType::Str, groups.n);
    }
    let bucket_of = bucketing(lo, hi, span);
    let nb = bucket_of(hi) + 1;
    let mut rows = Vec::with_capacity(members.len());
    let mut gid = Vec::with_capacity(members.len());
    for &(r, g) in &members {
        rows.push(r);
        gid.push((g as i64 * nb + bucket_of(t[r as usize])) as u32);
    }
    let cells = Groups { rows, gid, n: groups.n * nb as usize, first: Vec::new(), segments: Vec::new() };
    let per_bucket = aggregate(inner, input, &cells);
    // An empty bucket holds no traffic: a zero bar for counts and sums, a gap otherwise.
    let empty = match inner.kind {
        AggKind::Count | AggKind::CountField | AggKind::Sum | AggKind::DistinctCount => Some(0.0),
        _ => None,
    };
    let mut b = ColumnBuilder::new(groups.n);
    for g in 0..groups.n {
        let vals: Vec<Option<f64>> =
            (0..nb as usize).map(|k| per_bucket.get(g * nb as usize + k).as_f64().or(empty)).collect();
        b.push(Value::Str(sparkline(&vals).into()));
    }
    b.finish()
}

/// Buckets of equal width over a time range, for sparklines of how many times fall in
/// each (`clustercompare`, `fieldsummary`).
#[derive(Clone, Copy, Debug)]
pub struct CountBuckets {
    lo: i64,
    width: i64,
    n: usize,
}

impl CountBuckets {
    /// The span's buckets over `lo..=hi` where it makes at most 60, else 20 equal ones;
    /// None for an empty range.
    pub fn over(lo: i64, hi: i64, span: Option<Span>) -> Option<CountBuckets> {
        if hi < lo {
            return None;
        }
        let range = hi.saturating_sub(lo);
        let width = match span {
            Some(Span::Millis(w)) if range / w < MAX_BUCKETS => w,
            _ => (range / AUTO_BUCKETS).saturating_add(1),
        };
        Some(CountBuckets { lo, width, n: (range / width + 1) as usize })
    }

    /// The sparkline of `times` (each within the range); None when there are none.
    pub fn trend(&self, times: &[i64]) -> Option<String> {
        if times.is_empty() {
            return None;
        }
        let mut counts = vec![0.0; self.n];
        for &t in times {
            let b = (t.saturating_sub(self.lo) / self.width).clamp(0, self.n as i64 - 1);
            counts[b as usize] += 1.0;
        }
        Some(sparkline(&counts.into_iter().map(Some).collect::<Vec<_>>()))
    }
}

/// Bucket numbers for times in `lo..=hi`: the span's buckets, or about 20 equal ones.
fn bucketing(lo: i64, hi: i64, span: Option<Span>) -> Box<dyn Fn(i64) -> i64> {
    if let Some(s @ Span::Months(n)) = span {
        let month = move |ms: i64| {
            let (y, m, _) = crate::store::time::civil_from_days(s.floor(ms).div_euclid(86_400_000));
            (y * 12 + m as i64) / n
        };
        let first = month(lo);
        if month(hi) - first < MAX_BUCKETS {
            return Box::new(move |ms| month(ms) - first);
        }
    }
    if let Some(Span::Millis(w)) = span {
        let first = lo.div_euclid(w);
        if hi.div_euclid(w) - first < MAX_BUCKETS {
            return Box::new(move |ms| ms.div_euclid(w) - first);
        }
    }
    let w = ((hi - lo) / AUTO_BUCKETS + 1).max(1);
    Box::new(move |ms| (ms - lo) / w)
}

/// One bar per value, scaled from the smallest to the largest; a gap for no value.
pub fn sparkline(vals: &[Option<f64>]) -> String {
    let present = vals.iter().flatten().copied();
    let (min, max) = present.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    vals.iter()
        .map(|v| match v {
            None => ' ',
            Some(_) if max <= min => BARS[BARS.len() / 2],
            Some(v) => BARS[(((v - min) / (max - min)) * (BARS.len() - 1) as f64).round() as usize],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines() {
        assert_eq!(sparkline(&[Some(0.0), Some(7.0), None, Some(3.5)]), "▁█ ▅");
        assert_eq!(sparkline(&[Some(2.0), Some(2.0)]), "▅▅");
        assert_eq!(sparkline(&[]), "");
    }
}
