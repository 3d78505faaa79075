//! `link`: one row per group of records, with Count, Start Time, End Time and Group
//! Duration; each group keeps its member rows for `stats` after it.

use super::group::{group_by, Groups, Key};
use super::Frame;
use crate::plan::LinkOp;
use crate::store::time::Span;
use crate::store::{Bitmap, Column, ColumnData, Table};

pub fn link(op: &LinkOp, f: Frame) -> Frame {
    let records = f.table;
    let mut rows = f.rows;
    let nullable = op.keys.iter().any(|&k| records.column(k).valid.is_some());
    if !op.include_nulls && nullable {
        rows.retain(|&r| op.keys.iter().all(|&k| records.column(k).is_valid(r as usize)));
    }
    // Time keys with a fixed span are grouped by bucket; calendar spans (months) are
    // floored into a new column first.
    let floored: Vec<Option<Column>> = op
        .keys
        .iter()
        .zip(&op.floor)
        .map(|(&k, span)| match (&records.column(k).data, span) {
            (ColumnData::Time(v), Some(span @ Span::Months(_))) => Some(Column::new(
                ColumnData::Time(v.iter().map(|&t| span.floor(t)).collect()),
                records.column(k).valid.clone(),
            )),
            _ => None,
        })
        .collect();
    let keys: Vec<Key> = op
        .keys
        .iter()
        .zip(&floored)
        .zip(&op.floor)
        .map(|((&k, fl), span)| match (fl, span) {
            (Some(c), _) => Key::plain(c),
            (None, Some(Span::Millis(w))) => Key { col: records.column(k), bucket: Some(*w) },
            _ => Key::plain(records.column(k)),
        })
        .collect();
    let groups = group_by(&keys, rows);
    let mut out = Table::new(groups.len());
    for (key, &k) in keys.iter().zip(&op.keys) {
        let mut col = key.col.gather(&groups.first);
        if let (Some(w), ColumnData::Time(v)) = (key.bucket, &mut col.data) {
            v.iter_mut().for_each(|t| *t = t.div_euclid(w) * w);
        }
        out.push(records.fields[k].name.clone(), col);
    }
    let (counts, start, end) = counts_and_time_bounds(op.time.map(|t| records.column(t)), &groups);
    out.push("Count", Column::new(ColumnData::Int(counts), None));
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

/// Members per group, and the earliest and latest member time per group (null when no
/// member has one), in one pass over the members.
fn counts_and_time_bounds(time: Option<&Column>, groups: &Groups) -> (Vec<i64>, Column, Column) {
    let n = groups.len();
    let Some((ColumnData::Time(v), col)) = time.map(|c| (&c.data, c)) else {
        let none = || Column::new(ColumnData::Time(vec![0; n]), Some(Bitmap::filled(n, false)));
        return (groups.counts(), none(), none());
    };
    let acc = groups.par_fold(
        (0i64, i64::MAX, i64::MIN),
        |slots, k, g| {
            let r = groups.rows[k] as usize;
            let s = &mut slots[g];
            s.0 += 1;
            if col.is_valid(r) {
                s.1 = s.1.min(v[r]);
                s.2 = s.2.max(v[r]);
            }
        },
        |a, b| {
            a.0 += b.0;
            a.1 = a.1.min(b.1);
            a.2 = a.2.max(b.2);
        },
    );
    let mut counts = Vec::with_capacity(n);
    let mut lo = vec![0i64; n];
    let mut hi = vec![0i64; n];
    let mut valid = Bitmap::with_capacity(n);
    for (g, &(c, a, b)) in acc.iter().enumerate() {
        counts.push(c);
        let any = a <= b;
        if any {
            lo[g] = a;
            hi[g] = b;
        }
        valid.push(any);
    }
    (counts, Column::new(ColumnData::Time(lo), Some(valid.clone())), Column::new(ColumnData::Time(hi), Some(valid)))
}
