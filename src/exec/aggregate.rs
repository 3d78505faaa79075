//! Aggregates over groups (`stats ... by`, and `stats` after `link`): one pass over the
//! member rows, accumulating into per-group slots.

use std::cmp::Ordering;

use crate::exec::group::Groups;
use crate::funcs::aggregate::AggKind;
use crate::plan::{AggParam, AggSpec, CExpr};

use super::{distribution, picks};
use crate::store::hash::FastSet;
use crate::store::value::{cmp_sort_str, compare};
use crate::store::{Bitmap, Column, ColumnBuilder, ColumnData, StrData, Table, Value};

/// Where an aggregate reads its input: a column indexed by row, or values computed for
/// the members (position `k` of `groups.rows`).
pub(crate) struct Input<'a> {
    pub col: std::borrow::Cow<'a, Column>,
    by_row: bool,
}

impl Input<'_> {
    #[inline]
    pub fn index(&self, groups: &Groups, k: usize) -> usize {
        if self.by_row {
            groups.rows[k] as usize
        } else {
            k
        }
    }
}

/// Compute `spec` for every group of `groups` over the rows of `input`.
pub fn aggregate(spec: &AggSpec, input: &Table, groups: &Groups) -> Column {
    if let AggParam::Trend { inner, time, span } = &spec.param {
        return picks::trend(inner, input, *time, *span, groups);
    }
    if let AggParam::IfNull { inner, default } = &spec.param {
        let c = aggregate(inner, input, groups);
        if c.valid.is_none() {
            return c;
        }
        let mut b = ColumnBuilder::new(c.len());
        for r in 0..c.len() {
            let v = c.get(r);
            b.push(if v.is_null() { default.clone() } else { v });
        }
        return b.finish();
    }
    let Some(arg) = &spec.arg else {
        return row_counts(groups);
    };
    let src = match arg {
        CExpr::Col(i) => Input { col: std::borrow::Cow::Borrowed(input.column(*i)), by_row: true },
        other => {
            let mut b = ColumnBuilder::new(groups.rows.len());
            for &r in &groups.rows {
                b.push(other.eval(input, r as usize));
            }
            Input { col: std::borrow::Cow::Owned(b.finish()), by_row: false }
        }
    };
    match spec.kind {
        AggKind::Count => row_counts(groups),
        AggKind::CountField => count_valid(&src, groups),
        // timestats divides by each bucket's length.
        AggKind::Sum | AggKind::Rate(_) => sum(&src, groups, false),
        AggKind::Avg => sum(&src, groups, true),
        AggKind::Min => extreme(&src, groups, Ordering::Less),
        AggKind::Max => extreme(&src, groups, Ordering::Greater),
        AggKind::DistinctCount => distinct(&src, groups),
        AggKind::Median => distribution::percentile(&src, groups, 50.0),
        AggKind::Pct => match spec.param {
            AggParam::Percentile(p) => distribution::percentile(&src, groups, p),
            _ => distribution::percentile(&src, groups, 50.0),
        },
        AggKind::Stddev => distribution::spread(&src, groups, true),
        AggKind::Variance => distribution::spread(&src, groups, false),
        AggKind::Values | AggKind::Unique => {
            let delim = match &spec.param {
                AggParam::Delimiter(d) => d.as_str(),
                _ => ", ",
            };
            picks::values(&src, groups, delim, spec.kind == AggKind::Unique)
        }
        AggKind::Earliest | AggKind::Latest => match spec.param {
            AggParam::Time(t) => picks::at_time(&src, input.column(t), groups, spec.kind == AggKind::Latest),
            _ => typed_nulls(&src.col, groups.n),
        },
        // Planned with no argument: handled above.
        AggKind::Trend | AggKind::IfNull => row_counts(groups),
    }
}

/// Rows per group: `count`.
pub fn row_counts(groups: &Groups) -> Column {
    Column::new(ColumnData::Int(groups.counts()), None)
}

fn count_valid(src: &Input, groups: &Groups) -> Column {
    let mut counts = vec![0i64; groups.n];
    for (k, &g) in groups.gid.iter().enumerate() {
        if src.col.is_valid(src.index(groups, k)) {
            counts[g as usize] += 1;
        }
    }
    Column::new(ColumnData::Int(counts), None)
}

/// Integer totals as a column: whole numbers while every total fits in 64 bits; past
/// ±9.2 × 10^18 (ten byte counts of 10^18 do it) the column is of fractions, exact to
/// about 16 digits, rather than wrapped (LANGUAGE.md, Aggregates).
pub(crate) fn int_totals(totals: Vec<i128>, valid: Option<Bitmap>) -> Column {
    match totals.iter().map(|&t| i64::try_from(t)).collect::<Result<Vec<i64>, _>>() {
        Ok(ints) => Column::new(ColumnData::Int(ints), valid),
        Err(_) => Column::new(ColumnData::Float(totals.iter().map(|&t| t as f64).collect()), valid),
    }
}

/// Per-group totals of a numeric column (accumulated as `A`, wide enough not to wrap)
/// and how many values went in.
fn totals<T: Copy + Send + Sync, A: Copy + std::ops::AddAssign + Default + From<T> + Send + Sync>(
    v: &[T],
    src: &Input,
    groups: &Groups,
) -> (Vec<A>, Vec<u32>) {
    let valid = src.col.valid.as_ref();
    let slots = groups.par_fold(
        (A::default(), 0u32),
        |slots, k, g| {
            let i = src.index(groups, k);
            if valid.is_none_or(|b| b.get(i)) {
                slots[g].0 += A::from(v[i]);
                slots[g].1 += 1;
            }
        },
        |a, b| {
            a.0 += b.0;
            a.1 += b.1;
        },
    );
    (crate::parallel::build(slots.len(), |g| slots[g].0), crate::parallel::build(slots.len(), |g| slots[g].1))
}

/// Which groups had a value (none when every group did).
fn validity(seen: &[u32]) -> Option<Bitmap> {
    if seen.iter().all(|&c| c > 0) {
        return None;
    }
    let mut b = Bitmap::with_capacity(seen.len());
    for &c in seen {
        b.push(c > 0);
    }
    Some(b)
}

/// `sum` and `avg`: integers sum exactly, floats as f64; no values gives null.
fn sum(src: &Input, groups: &Groups, mean: bool) -> Column {
    let div = |s: &[f64], c: &[u32]| -> Vec<f64> {
        s.iter().zip(c).map(|(s, &c)| if c > 0 { s / c as f64 } else { 0.0 }).collect()
    };
    let (data, seen) = match &src.col.data {
        ColumnData::Int(v) if !mean => {
            let (s, c): (Vec<i128>, _) = totals(v, src, groups);
            return int_totals(s, validity(&c));
        }
        ColumnData::Int(v) => {
            let (s, c): (Vec<i128>, _) = totals(v, src, groups);
            let s: Vec<f64> = s.iter().map(|&x| x as f64).collect();
            (ColumnData::Float(div(&s, &c)), c)
        }
        ColumnData::Duration(v) => {
            // A duration total past ±292 million years is null, not wrapped.
            let (s, c): (Vec<i128>, _) = totals(v, src, groups);
            let c: Vec<u32> = s.iter().zip(&c).map(|(&t, &n)| if i64::try_from(t).is_ok() { n } else { 0 }).collect();
            let s = s
                .iter()
                .zip(&c)
                .map(|(&s, &n)| match (i64::try_from(s), mean) {
                    (Ok(s), false) => s,
                    // The mean to the nearest millisecond (half away from zero), not cut.
                    (Ok(_), true) if n > 0 => rounded_div(s, n as i128) as i64,
                    _ => 0,
                })
                .collect();
            (ColumnData::Duration(s), c)
        }
        ColumnData::Float(v) => {
            let (s, c): (Vec<f64>, _) = totals(v, src, groups);
            (ColumnData::Float(if mean { div(&s, &c) } else { s }), c)
        }
        // Text that reads as numbers (an eval'd column): sum what parses.
        _ => {
            let mut s = vec![0f64; groups.n];
            let mut c = vec![0u32; groups.n];
            for (k, &g) in groups.gid.iter().enumerate() {
                if let Some(x) = src.col.get(src.index(groups, k)).as_f64() {
                    s[g as usize] += x;
                    c[g as usize] += 1;
                }
            }
            (ColumnData::Float(if mean { div(&s, &c) } else { s }), c)
        }
    };
    Column::new(data, validity(&seen))
}

/// The order of sort: strings case-insensitively with ties broken by case, so that
/// min and max pick one value deterministically.
fn total_order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(cmp_sort_str(x, y)),
        _ => compare(a, b),
    }
}

fn extreme(src: &Input, groups: &Groups, want: Ordering) -> Column {
    let mut best: Vec<Value> = vec![Value::Null; groups.n];
    for (k, &g) in groups.gid.iter().enumerate() {
        let v = src.col.get(src.index(groups, k));
        if v.is_null() {
            continue;
        }
        let b = &mut best[g as usize];
        if b.is_null() || total_order(&v, b) == Some(want) {
            *b = v;
        }
    }
    if best.iter().all(Value::is_null) {
        // Keep the input's type for all-null results (no times is a null time).
        return typed_nulls(&src.col, groups.n);
    }
    let mut b = ColumnBuilder::new(groups.n);
    for v in best {
        b.push(v);
    }
    b.finish()
}

pub(crate) fn typed_nulls(like: &Column, n: usize) -> Column {
    let data = match &like.data {
        ColumnData::Time(_) => ColumnData::Time(vec![0; n]),
        ColumnData::Float(_) => ColumnData::Float(vec![0.0; n]),
        ColumnData::Duration(_) => ColumnData::Duration(vec![0; n]),
        ColumnData::Ip4(_) | ColumnData::Ip(_) => ColumnData::Ip4(vec![0; n]),
        ColumnData::Str(s) => ColumnData::Str(StrData { codes: vec![0; n], dict: s.dict.clone() }),
        ColumnData::Bool(_) => ColumnData::Bool(vec![false; n]),
        ColumnData::Int(_) => ColumnData::Int(vec![0; n]),
    };
    Column::new(data, Some(Bitmap::filled(n, false)))
}

fn distinct(src: &Input, groups: &Groups) -> Column {
    let col = &*src.col;
    let mut seen: FastSet<(u32, u128)> = FastSet::default();
    let mut counts = vec![0i64; groups.n];
    for (k, &g) in groups.gid.iter().enumerate() {
        let i = src.index(groups, k);
        if !col.is_valid(i) {
            continue;
        }
        let code = match &col.data {
            ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => v[i] as u128,
            ColumnData::Float(v) => v[i].to_bits() as u128,
            ColumnData::Ip4(v) => v[i] as u128,
            ColumnData::Ip(v) => v[i],
            ColumnData::Str(s) => s.codes[i] as u128,
            ColumnData::Bool(v) => v[i] as u128,
        };
        if seen.insert((g, code)) {
            counts[g as usize] += 1;
        }
    }
    Column::new(ColumnData::Int(counts), None)
}

/// `a / b` rounded to the nearest whole number, halves away from zero (`b > 0`).
fn rounded_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    let r = a % b;
    if 2 * r.abs() >= b {
        q + a.signum()
    } else {
        q
    }
}

#[cfg(test)]
mod rounding_tests {
    #[test]
    fn means_of_durations_round_to_the_millisecond() {
        assert_eq!(super::rounded_div(3, 2), 2);
        assert_eq!(super::rounded_div(-3, 2), -2);
        assert_eq!(super::rounded_div(4, 3), 1);
        assert_eq!(super::rounded_div(5, 3), 2);
        assert_eq!(super::rounded_div(-5, 3), -2);
        assert_eq!(super::rounded_div(6, 3), 2);
    }
}
