//! `link`: one row per group of records, with Count, Start Time, End Time and Group
//! Duration; each group keeps its member rows for `stats` after it.

use super::group::{group_by, Groups};
use super::Frame;
use crate::plan::LinkOp;
use crate::store::{Bitmap, Column, ColumnData, Table};

pub fn link(op: &LinkOp, f: Frame) -> Frame {
    let records = f.table;
    let mut rows = f.rows;
    if !op.include_nulls {
        rows.retain(|&r| op.keys.iter().all(|&k| records.column(k).is_valid(r as usize)));
    }
    // Time keys floored to the span: a new column, so grouping sees bucket starts.
    let floored: Vec<Option<Column>> = op
        .keys
        .iter()
        .zip(&op.floor)
        .map(|(&k, span)| {
            let span = (*span)?;
            match &records.column(k).data {
                ColumnData::Time(v) => Some(Column::new(
                    ColumnData::Time(v.iter().map(|&t| span.floor(t)).collect()),
                    records.column(k).valid.clone(),
                )),
                _ => None,
            }
        })
        .collect();
    let key_cols: Vec<&Column> =
        op.keys.iter().zip(&floored).map(|(&k, fl)| fl.as_ref().unwrap_or(records.column(k))).collect();
    let groups = group_by(&key_cols, &rows);
    let mut out = Table::new(groups.len());
    for (col, &k) in key_cols.iter().zip(&op.keys) {
        out.push(records.fields[k].name.clone(), col.gather(&groups.first));
    }
    out.push("Count", super::aggregate::row_counts(&groups));
    let (start, end) = time_bounds(op.time.map(|t| records.column(t)), &groups);
    let duration = match (&start.data, &end.data) {
        (ColumnData::Time(s), ColumnData::Time(e)) => {
            ColumnData::Duration(s.iter().zip(e).map(|(s, e)| e - s).collect())
        }
        _ => ColumnData::Duration(vec![0; groups.len()]),
    };
    let dvalid = start.valid.clone();
    out.push("Start Time", start);
    out.push("End Time", end);
    out.push("Group Duration", Column::new(duration, dvalid));
    let n = out.len();
    Frame {
        table: out,
        rows: (0..n as u32).collect(),
        natural_order: false,
        members: Some(super::Members { records, groups }),
    }
}

/// Earliest and latest member time per group (null when no member has one).
fn time_bounds(time: Option<&Column>, groups: &Groups) -> (Column, Column) {
    let n = groups.len();
    let mut lo = vec![0i64; n];
    let mut hi = vec![0i64; n];
    let mut valid = Bitmap::with_capacity(n);
    match time.map(|c| (&c.data, c)) {
        Some((ColumnData::Time(v), col)) => {
            let mut any = vec![false; n];
            lo.fill(i64::MAX);
            hi.fill(i64::MIN);
            for (&r, &g) in groups.rows.iter().zip(&groups.gid) {
                if col.is_valid(r as usize) {
                    let (t, g) = (v[r as usize], g as usize);
                    lo[g] = lo[g].min(t);
                    hi[g] = hi[g].max(t);
                    any[g] = true;
                }
            }
            for g in 0..n {
                if !any[g] {
                    lo[g] = 0;
                    hi[g] = 0;
                }
                valid.push(any[g]);
            }
        }
        _ => valid = Bitmap::filled(n, false),
    }
    (Column::new(ColumnData::Time(lo), Some(valid.clone())), Column::new(ColumnData::Time(hi), Some(valid)))
}
