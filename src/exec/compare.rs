//! Running `compare`: the operators before it run again over the records of each
//! comparison range, and each current group takes the values of the group there with
//! the same link fields (a time field moved by the range's shift, so `link span=1day
//! Time` days line up with the days a week before).

use std::collections::HashMap;

use crate::diag::Diagnostic;
use crate::plan::{CompareOp, CompareRanges};
use crate::store::{Column, ColumnBuilder, DataType, Table, Value};

use super::{run_ops, Frame, Start};

/// A link field's value as a key that compares across tables (text by content, not
/// by dictionary code).
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
enum Part {
    Null,
    Bits(u8, u128),
    Text(String),
}

pub(super) fn compare(c: &CompareOp, mut f: Frame, start: &Start) -> Result<Frame, Diagnostic> {
    f.compact();
    let current = current_range(start);
    for (k, names) in c.names.iter().enumerate() {
        let range = current.and_then(|cur| comparison_range(&c.ranges, cur, k));
        let other = match range {
            Some((from, to)) => {
                let shift = current.map_or(0, |(a, _)| from.saturating_sub(a));
                let other = run_ops(&c.prefix, records_in(start, from, to), Some(start), |_| {})?.into_table();
                let mut by_key = HashMap::with_capacity(other.len());
                for r in 0..other.len() {
                    by_key.entry(key(c, &other, r, shift)).or_insert(r as u32);
                }
                let matched: Vec<Option<u32>> =
                    (0..f.table.len()).map(|r| by_key.get(&key(c, &f.table, r, 0)).copied()).collect();
                Some((other, matched))
            }
            None => None,
        };
        for (&col, name) in c.columns.iter().zip(names) {
            let column = match &other {
                Some((other, matched)) if matched.iter().any(Option::is_some) => picked(other, col, matched),
                _ => Column::nulls_of(f.table.fields[col].dtype, f.table.len()),
            };
            f.table.push(name.clone(), column);
        }
    }
    Ok(f)
}

/// The current time range: the run's window where it has ends, else the records' own
/// first time and just after their last.
pub(super) fn current_range(start: &Start) -> Option<(i64, i64)> {
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    if let Some(times) = time_column(&start.input.table) {
        for &r in &start.input.rows {
            if let Some(t) = times(r as usize) {
                lo = lo.min(t);
                hi = hi.max(t);
            }
        }
    }
    let from = start.window.from.or((lo <= hi).then_some(lo))?;
    let to = start.window.to.or((lo <= hi).then(|| hi.saturating_add(1)))?;
    (from < to).then_some((from, to))
}

/// The k-th (0-based) comparison range, `[from, to)`; None when it is out of range.
pub(super) fn comparison_range(ranges: &CompareRanges, (from, to): (i64, i64), k: usize) -> Option<(i64, i64)> {
    let n = k as i64 + 1;
    match ranges {
        CompareRanges::Fixed(r) => r.get(k).copied(),
        CompareRanges::Shift { offset, size, .. } => {
            let (a, b) = match offset {
                None => {
                    let back = to.checked_sub(from)?.checked_mul(n)?;
                    (from.checked_sub(back)?, to.checked_sub(back)?)
                }
                Some((span, sign)) => {
                    let a = crate::funcs::dates::shift(from, *span, sign * n)?;
                    (a, crate::funcs::dates::shift(to, *span, sign * n)?)
                }
            };
            let b = match size {
                Some(s) => crate::funcs::dates::shift(a, *s, 1)?,
                None => b,
            };
            (a < b).then_some((a, b))
        }
    }
}

/// The frame of every record (in or out of the run's window) with a time in `[from, to)`.
pub(super) fn records_in(start: &Start, from: i64, to: i64) -> Frame {
    let table = start.input.table.clone();
    let rows = match time_column(&table) {
        Some(times) => {
            (0..table.len() as u32).filter(|&r| times(r as usize).is_some_and(|t| t >= from && t < to)).collect()
        }
        None => Vec::new(),
    };
    Frame { table, rows, natural_order: true, members: None }
}

/// Row → its `Time`, when the table has a time column of that name.
pub(super) fn time_column(t: &Table) -> Option<impl Fn(usize) -> Option<i64> + '_> {
    let i = t.index_of("Time").filter(|&i| t.fields[i].dtype == DataType::Time)?;
    let c = t.column(i);
    Some(move |r: usize| match c.get(r) {
        Value::Time(ms) => Some(ms),
        _ => None,
    })
}

/// Row `r`'s link-field values; time fields moved back by `shift`.
fn key(c: &CompareOp, t: &Table, r: usize, shift: i64) -> Vec<Part> {
    c.keys
        .iter()
        .map(|&(col, is_time)| match t.get(col, r) {
            Value::Null => Part::Null,
            Value::Time(ms) if is_time => Part::Bits(1, ms.saturating_sub(shift) as u64 as u128),
            Value::Bool(b) => Part::Bits(2, b as u128),
            Value::Int(v) | Value::Time(v) | Value::Duration(v) => Part::Bits(3, v as u64 as u128),
            Value::Float(v) => Part::Bits(4, v.to_bits() as u128),
            Value::Ip(v) => Part::Bits(5, v),
            Value::Str(s) => Part::Text(s.into_owned()),
        })
        .collect()
}

/// Column `col` of `other` at the matched rows, null where none matched.
fn picked(other: &Table, col: usize, matched: &[Option<u32>]) -> Column {
    let mut b = ColumnBuilder::new(matched.len());
    for m in matched {
        b.push(m.map_or(Value::Null, |r| other.get(col, r as usize)));
    }
    b.finish()
}
