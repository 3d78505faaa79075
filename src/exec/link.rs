//! `link`: one row per group of records, with Count, Start Time, End Time and Group
//! Duration; each group keeps its member rows for `stats` after it.

use super::group::{group_by, Groups, Key};
use super::Frame;
use crate::parallel::build;
use crate::plan::LinkOp;
use crate::store::time::Span;
use crate::store::{Bitmap, Column, ColumnData, Table};

pub fn link(op: &LinkOp, f: Frame) -> Frame {
    let records = f.table;
    let mut rows = f.rows;
    let nullable = op.keys.iter().any(|&k| records.column(k).valid.is_some());
    if !op.include_nulls && nullable {
        rows = super::par_filter(&rows, |r| op.keys.iter().all(|&k| records.column(k).is_valid(r as usize)));
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
    // `link` with no fields: one group of every record (none when there are none).
    let groups = match (keys.is_empty(), rows.is_empty()) {
        (true, false) => Groups::single(rows),
        (true, true) => Groups { rows, gid: Vec::new(), n: 0, first: Vec::new(), segments: Vec::new() },
        (false, _) => group_by(&keys, rows),
    };
    let mut out = Table::new(groups.len());
    for (key, &k) in keys.iter().zip(&op.keys) {
        let mut col = key.col.gather(&groups.first);
        if let (Some(w), ColumnData::Time(v)) = (key.bucket, &mut col.data) {
            crate::parallel::per_core_mut(v, |part| part.iter_mut().for_each(|t| *t = t.div_euclid(w) * w));
        }
        out.push(records.fields[k].name.clone(), col);
    }
    let (counts, start, end) = counts_and_time_bounds(op.time.map(|t| records.column(t)), &groups);
    out.push("Count", Column::new(ColumnData::Int(counts), None));
    let duration = match (&start.data, &end.data) {
        (ColumnData::Time(s), ColumnData::Time(e)) => ColumnData::Duration(build(groups.len(), |g| e[g] - s[g])),
        _ => ColumnData::Duration(vec![0; groups.len()]),
    };
    let dvalid = start.valid.clone();
    out.push("Start Time", start);
    out.push("End Time", end);
    out.push("Group Duration", Column::new(duration, dvalid));
    let n = out.len();
    Frame {
        table: out,
        rows: build(n, |g| g as u32),
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
    // (members, members with a time, earliest, latest): all zero to start with, so the
    // slots are allocated as zero pages and first touched by the cores folding them.
    let acc = groups.par_fold(
        (0i64, 0i64, 0i64, 0i64),
        |slots, k, g| {
            let r = groups.rows[k] as usize;
            let s = &mut slots[g];
            s.0 += 1;
            if col.is_valid(r) {
                let t = v[r];
                (s.2, s.3) = if s.1 == 0 { (t, t) } else { (s.2.min(t), s.3.max(t)) };
                s.1 += 1;
            }
        },
        |a, b| {
            if b.1 > 0 {
                (a.2, a.3) = if a.1 == 0 { (b.2, b.3) } else { (a.2.min(b.2), a.3.max(b.3)) };
            }
            a.0 += b.0;
            a.1 += b.1;
        },
    );
    let counts = build(n, |g| acc[g].0);
    let lo = build(n, |g| acc[g].2);
    let hi = build(n, |g| acc[g].3);
    let valid = (!acc.iter().all(|a| a.1 > 0)).then(|| {
        let mut b = Bitmap::with_capacity(n);
        acc.iter().for_each(|a| b.push(a.1 > 0));
        b
    });
    (counts, Column::new(ColumnData::Time(lo), valid.clone()), Column::new(ColumnData::Time(hi), valid))
}
