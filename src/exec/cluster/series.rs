//! `timecluster`: the time series of `timestats` (one per by-value) grouped by shape.
//! Each series is scaled to its own peak (so a busy host and a quiet one with the same
//! daily rhythm match); series are taken largest total first, and one joins the first
//! cluster whose first series is within [`DISTANCE`] of it (root mean square of the
//! differences of the scaled values), else starts one. Clusters are numbered by size.

use crate::exec::Frame;
use crate::store::{Column, ColumnData};

/// How far apart (RMS of peak-scaled values, 0..1) two series of a cluster may be.
pub const DISTANCE: f64 = 0.2;

/// Add column `name`: the cluster of each row's series; `by` are the series' columns,
/// `value` the aggregate compared.
pub(in crate::exec) fn timecluster(by: &[usize], value: usize, name: &str, mut f: Frame) -> Frame {
    f.compact();
    let (groups, ids) = super::super::group_ids(&f.table, by, &f.rows);
    let mut series: Vec<Vec<f64>> = vec![Vec::new(); groups.n];
    for (pos, &g) in ids.iter().enumerate() {
        series[g as usize].push(f.table.get(value, f.rows[pos] as usize).as_f64().unwrap_or(0.0));
    }
    let of_series = cluster_series(&series);
    let cluster = ids.iter().map(|&g| of_series[g as usize] as i64 + 1).collect();
    f.table.push(name, Column::new(ColumnData::Int(cluster), None));
    f
}

/// The cluster (0-based, by size) of each series.
pub fn cluster_series(series: &[Vec<f64>]) -> Vec<usize> {
    let scaled: Vec<Vec<f64>> = series
        .iter()
        .map(|s| {
            let peak = s.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            s.iter().map(|v| if peak > 0.0 { v / peak } else { 0.0 }).collect()
        })
        .collect();
    let total = |i: usize| series[i].iter().sum::<f64>();
    let mut order: Vec<usize> = (0..series.len()).collect();
    order.sort_by(|&a, &b| total(b).total_cmp(&total(a)));
    let mut heads: Vec<usize> = Vec::new();
    let mut raw = vec![0usize; series.len()];
    for &i in &order {
        match heads.iter().position(|&h| rms(&scaled[h], &scaled[i]) <= DISTANCE) {
            Some(c) => raw[i] = c,
            None => {
                raw[i] = heads.len();
                heads.push(i);
            }
        }
    }
    let mut sizes = vec![0usize; heads.len()];
    raw.iter().for_each(|&c| sizes[c] += 1);
    let mut by_size: Vec<usize> = (0..heads.len()).collect();
    by_size.sort_by_key(|&c| std::cmp::Reverse(sizes[c]));
    let mut number = vec![0usize; heads.len()];
    for (n, &c) in by_size.iter().enumerate() {
        number[c] = n;
    }
    raw.iter().map(|&c| number[c]).collect()
}

fn rms(a: &[f64], b: &[f64]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    let sum: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
    (sum / a.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_shape_at_any_scale_is_one_cluster() {
        let s = vec![vec![1.0, 5.0, 1.0], vec![10.0, 50.0, 10.0], vec![5.0, 1.0, 5.0], vec![0.0, 0.0, 0.0]];
        assert_eq!(cluster_series(&s), [0, 0, 1, 2]);
    }

    #[test]
    fn nothing_to_cluster() {
        assert!(cluster_series(&[]).is_empty());
        assert_eq!(cluster_series(&[vec![]]), [0]);
    }
}
