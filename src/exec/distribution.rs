//! Aggregates of a distribution: `median`, `pct`, `stddev`, `variance`.

use super::aggregate::Input;
use crate::exec::group::Groups;
use crate::store::{Bitmap, Column, ColumnData};

/// The member values of each group as numbers: (group, value) for non-null values.
fn numbers(src: &Input, groups: &Groups) -> Vec<(u32, f64)> {
    let col = &*src.col;
    let mut out = Vec::with_capacity(groups.gid.len());
    for (k, &g) in groups.gid.iter().enumerate() {
        let i = src.index(groups, k);
        if !col.is_valid(i) {
            continue;
        }
        let v = match &col.data {
            ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => Some(v[i] as f64),
            ColumnData::Float(v) => Some(v[i]),
            _ => col.get(i).as_f64(),
        };
        if let Some(v) = v.filter(|v| v.is_finite()) {
            out.push((g, v));
        }
    }
    out
}

/// A result column of `vals`, in the input's type when that is a time or duration.
fn result(like: &Column, vals: Vec<Option<f64>>) -> Column {
    let mut valid = Bitmap::with_capacity(vals.len());
    for v in &vals {
        valid.push(v.is_some());
    }
    let valid = if valid.all_set() { None } else { Some(valid) };
    let ints = || vals.iter().map(|v| v.map_or(0, |f| f.round() as i64)).collect();
    let data = match &like.data {
        ColumnData::Time(_) => ColumnData::Time(ints()),
        ColumnData::Duration(_) => ColumnData::Duration(ints()),
        _ => ColumnData::Float(vals.iter().map(|v| v.unwrap_or(0.0)).collect()),
    };
    Column::new(data, valid)
}

/// The p-th percentile of each group, interpolating linearly between closest ranks.
pub fn percentile(src: &Input, groups: &Groups, p: f64) -> Column {
    let mut pairs = numbers(src, groups);
    pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out = vec![None; groups.n];
    for run in pairs.chunk_by(|a, b| a.0 == b.0) {
        // rank = p% of (n - 1), kept in hundredths so that 90% of 7 is 6.3 exactly.
        let scaled = p * (run.len() - 1) as f64;
        let lo = (scaled / 100.0).floor() as usize;
        let frac = scaled - lo as f64 * 100.0;
        let hi = (lo + 1).min(run.len() - 1);
        let (a, b) = (run[lo].1, run[hi].1);
        out[run[0].0 as usize] = Some(if frac == 0.0 { a } else { (a * (100.0 - frac) + b * frac) / 100.0 });
    }
    result(&src.col, out)
}

/// Sample standard deviation (`root`) or variance per group (Welford's method).
pub fn spread(src: &Input, groups: &Groups, root: bool) -> Column {
    let mut acc = vec![(0u64, 0f64, 0f64); groups.n];
    for (g, x) in numbers(src, groups) {
        let (n, mean, m2) = &mut acc[g as usize];
        *n += 1;
        let d = x - *mean;
        *mean += d / *n as f64;
        *m2 += d * (x - *mean);
    }
    let vals = acc
        .iter()
        .map(|&(n, _, m2)| (n > 1).then(|| m2 / (n - 1) as f64).map(|v| if root { v.sqrt() } else { v }))
        .collect();
    // A variance of durations is not a duration (its unit is ms squared).
    let like = if root { src.col.as_ref() } else { &Column::nulls(0) };
    result(like, vals)
}
