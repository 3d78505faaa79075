//! `outlier`: rows whose values are far from the rest, by the modified z-score of
//! Iglewicz and Hoaglin: |x − median| / (1.4826 × MAD) above 3.5, MAD being the median
//! absolute deviation (when half the values are equal and MAD is 0, the mean absolute
//! deviation × 1.2533 stands in; when that is 0 too, no value is an outlier). A row is
//! an outlier when any of the fields is.

use super::Frame;
use crate::plan::OutlierOp;
use crate::store::{Column, ColumnData};

/// The modified z-score above which a value is an outlier.
pub const THRESHOLD: f64 = 3.5;

pub(super) fn outlier(op: &OutlierOp, mut f: Frame) -> Frame {
    let mut flag = vec![false; f.rows.len()];
    for &col in &op.cols {
        let vals: Vec<Option<f64>> =
            f.rows.iter().map(|&r| f.table.get(col, r as usize).as_f64().filter(|v| v.is_finite())).collect();
        if let Some(far) = far_from(&vals) {
            flag.iter_mut().zip(&vals).for_each(|(o, v)| *o |= v.is_some_and(&far));
        }
    }
    if op.annotate {
        f.compact();
        if op.remove {
            let keep: Vec<bool> = flag.iter().map(|o| !o).collect();
            f.rows.retain(|&r| keep[r as usize]);
        }
        let column = (0..f.table.len()).map(|r| flag[r]).collect();
        f.table.push(op.name.clone(), Column::new(ColumnData::Bool(column), None));
        return f;
    }
    let rows = std::mem::take(&mut f.rows);
    f.rows = rows.into_iter().zip(&flag).filter(|&(_, &o)| o != op.remove).map(|(r, _)| r).collect();
    f
}

/// The test for "far from the rest" of these values; None when none can be.
fn far_from(vals: &[Option<f64>]) -> Option<impl Fn(f64) -> bool> {
    let mut xs: Vec<f64> = vals.iter().flatten().copied().collect();
    if xs.len() < 3 {
        return None;
    }
    let median = median_of(&mut xs);
    let mut dev: Vec<f64> = xs.iter().map(|x| (x - median).abs()).collect();
    let mad = median_of(&mut dev);
    let scale = if mad > 0.0 { 1.4826 * mad } else { 1.2533 * dev.iter().sum::<f64>() / dev.len() as f64 };
    (scale > 0.0).then_some(move |x: f64| (x - median).abs() / scale > THRESHOLD)
}

fn median_of(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outliers(v: &[f64]) -> Vec<bool> {
        let vals: Vec<Option<f64>> = v.iter().map(|&x| Some(x)).collect();
        match far_from(&vals) {
            Some(far) => v.iter().map(|&x| far(x)).collect(),
            None => vec![false; v.len()],
        }
    }

    #[test]
    fn one_far_value() {
        assert_eq!(outliers(&[10.0, 11.0, 9.0, 10.0, 12.0, 500.0]), [false, false, false, false, false, true]);
    }

    #[test]
    fn equal_values_and_few_values_have_none() {
        assert_eq!(outliers(&[5.0, 5.0, 5.0, 5.0]), [false; 4]);
        assert_eq!(outliers(&[1.0, 1000.0]), [false; 2]);
    }

    #[test]
    fn mostly_equal_values_fall_back_to_the_mean_deviation() {
        assert_eq!(outliers(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 90.0]).last(), Some(&true));
    }
}
