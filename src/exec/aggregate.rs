//! Aggregates over groups of rows (for `stats ... by` and `stats` after `link`).

use crate::exec::group::Groups;
use crate::funcs::aggregate::AggKind;
use crate::plan::{AggSpec, CExpr};
use crate::store::hash::FastSet;
use crate::store::value::compare;
use crate::store::{Bitmap, Column, ColumnBuilder, ColumnData, Table, Value};

/// Where an aggregate reads its input: a column indexed by row, or values computed for
/// the members in group order (position `k` of `groups.rows`).
struct Input<'a> {
    col: std::borrow::Cow<'a, Column>,
    by_row: bool,
}

impl Input<'_> {
    #[inline]
    fn index(&self, groups: &Groups, k: usize) -> usize {
        if self.by_row {
            groups.rows[k] as usize
        } else {
            k
        }
    }
}

/// Compute `spec` for every group of `groups` over the rows of `input`.
pub fn aggregate(spec: &AggSpec, input: &Table, groups: &Groups) -> Column {
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
        AggKind::Sum => sum(&src, groups, false),
        AggKind::Avg => sum(&src, groups, true),
        AggKind::Min => extreme(&src, groups, std::cmp::Ordering::Less),
        AggKind::Max => extreme(&src, groups, std::cmp::Ordering::Greater),
        AggKind::DistinctCount => distinct(&src, groups),
    }
}

/// Rows per group: `count`.
pub fn row_counts(groups: &Groups) -> Column {
    let counts = ranges(groups).map(|r| r.len() as i64).collect();
    Column::new(ColumnData::Int(counts), None)
}

fn ranges(groups: &Groups) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    (0..groups.len()).map(|g| groups.offsets[g] as usize..groups.offsets[g + 1] as usize)
}

fn count_valid(src: &Input, groups: &Groups) -> Column {
    let counts = ranges(groups).map(|r| r.filter(|&k| src.col.is_valid(src.index(groups, k))).count() as i64).collect();
    Column::new(ColumnData::Int(counts), None)
}

/// `sum` and `avg`: integers sum exactly, floats as f64; no values gives null.
fn sum(src: &Input, groups: &Groups, mean: bool) -> Column {
    let n = groups.len();
    let mut valid = Bitmap::with_capacity(n);
    let col = &*src.col;
    macro_rules! fold {
        ($v:expr, $zero:expr, $conv:expr) => {{
            let mut out = Vec::with_capacity(n);
            let mut counts = Vec::with_capacity(n);
            for r in ranges(groups) {
                let mut acc = $zero;
                let mut c = 0usize;
                for k in r {
                    let i = src.index(groups, k);
                    if col.is_valid(i) {
                        acc += $conv($v[i]);
                        c += 1;
                    }
                }
                valid.push(c > 0);
                out.push(acc);
                counts.push(c);
            }
            (out, counts)
        }};
    }
    let data = match &col.data {
        ColumnData::Int(v) if !mean => ColumnData::Int(fold!(v, 0i64, |x: i64| x).0),
        ColumnData::Duration(v) => {
            let (s, c) = fold!(v, 0i64, |x: i64| x);
            ColumnData::Duration(if mean {
                s.iter().zip(&c).map(|(s, c)| if *c > 0 { s / *c as i64 } else { 0 }).collect()
            } else {
                s
            })
        }
        ColumnData::Int(v) => {
            let (s, c) = fold!(v, 0f64, |x: i64| x as f64);
            ColumnData::Float(s.iter().zip(&c).map(|(s, c)| if *c > 0 { s / *c as f64 } else { 0.0 }).collect())
        }
        ColumnData::Float(v) => {
            let (s, c) = fold!(v, 0f64, |x: f64| x);
            ColumnData::Float(if mean {
                s.iter().zip(&c).map(|(s, c)| if *c > 0 { s / *c as f64 } else { 0.0 }).collect()
            } else {
                s
            })
        }
        // Text that reads as numbers (an eval'd column): sum what parses.
        _ => {
            let mut b = ColumnBuilder::new(n);
            for r in ranges(groups) {
                let vals: Vec<f64> = r.filter_map(|k| col.get(src.index(groups, k)).as_f64()).collect();
                b.push(if vals.is_empty() {
                    Value::Null
                } else if mean {
                    Value::Float(vals.iter().sum::<f64>() / vals.len() as f64)
                } else {
                    Value::Float(vals.iter().sum())
                });
            }
            return b.finish();
        }
    };
    Column::new(data, Some(valid))
}

fn extreme(src: &Input, groups: &Groups, want: std::cmp::Ordering) -> Column {
    let mut b = ColumnBuilder::new(groups.len());
    for r in ranges(groups) {
        let mut best: Value = Value::Null;
        for k in r {
            let v = src.col.get(src.index(groups, k));
            if v.is_null() {
                continue;
            }
            if best.is_null() || total_order(&v, &best) == Some(want) {
                best = v;
            }
        }
        b.push(best);
    }
    let out = b.finish();
    // Keep the input's type for all-null results (an empty group of times is a null time).
    if out.valid.as_ref().is_some_and(|v| v.count_set() == 0) && !out.is_empty() {
        return typed_nulls(&src.col, out.len());
    }
    out
}

/// The order of sort: strings case-insensitively with ties broken by case, so that
/// min and max pick one value deterministically.
fn total_order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(crate::store::value::cmp_sort_str(x, y)),
        _ => compare(a, b),
    }
}

fn typed_nulls(like: &Column, n: usize) -> Column {
    let data = match &like.data {
        ColumnData::Time(_) => ColumnData::Time(vec![0; n]),
        ColumnData::Float(_) => ColumnData::Float(vec![0.0; n]),
        ColumnData::Duration(_) => ColumnData::Duration(vec![0; n]),
        ColumnData::Ip4(_) | ColumnData::Ip(_) => ColumnData::Ip4(vec![0; n]),
        ColumnData::Str(s) => ColumnData::Str(crate::store::StrData { codes: vec![0; n], dict: s.dict.clone() }),
        ColumnData::Bool(_) => ColumnData::Bool(vec![false; n]),
        ColumnData::Int(_) => ColumnData::Int(vec![0; n]),
    };
    Column::new(data, Some(Bitmap::filled(n, false)))
}

fn distinct(src: &Input, groups: &Groups) -> Column {
    let col = &*src.col;
    let mut seen: FastSet<u128> = FastSet::default();
    let counts = ranges(groups)
        .map(|r| {
            seen.clear();
            for k in r {
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
                seen.insert(code);
            }
            seen.len() as i64
        })
        .collect();
    Column::new(ColumnData::Int(counts), None)
}
