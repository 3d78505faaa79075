//! `fieldsummary`: for each field, its distinct values with how many rows hold each and
//! the trend of those rows over time.

use super::group::{self, Groups};
use super::picks::CountBuckets;
use super::Frame;
use crate::plan::FieldSummaryOp;
use crate::store::{Column, ColumnData, Table, Value};

pub(super) fn fieldsummary(op: &FieldSummaryOp, f: Frame) -> Frame {
    // By table row: the row's time.
    let times: Option<Vec<Option<i64>>> = op.time.map(|t| {
        (0..f.table.len())
            .map(|r| match f.table.get(t, r) {
                Value::Time(ms) => Some(ms),
                _ => None,
            })
            .collect()
    });
    let in_frame = f.rows.iter().filter_map(|&r| times.as_ref().and_then(|t| t[r as usize]));
    let (lo, hi) = in_frame.fold((i64::MAX, i64::MIN), |(a, z), t| (a.min(t), z.max(t)));
    let buckets = CountBuckets::over(lo, hi, None);
    let (mut names, mut values, mut counts, mut trends) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for &col in &op.cols {
        let key = group::Key::plain(f.table.column(col));
        let groups: Groups = group::group_by(&[key], f.rows.clone());
        // The rows of each value, for counts and trends.
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); groups.n];
        for (&r, &g) in groups.rows.iter().zip(&groups.gid) {
            members[g as usize].push(r);
        }
        let mut order: Vec<usize> = (0..groups.n).collect();
        order.sort_by_key(|&g| std::cmp::Reverse(members[g].len()));
        let mut shown = 0;
        for g in order {
            let value = f.table.get(col, groups.first[g] as usize);
            let null = value.is_null();
            if null && !op.include_nulls || !null && shown >= op.max_values {
                continue;
            }
            shown += usize::from(!null);
            names.push(Some(f.table.fields[col].name.clone()));
            values.push(value.to_text().map(|t| t.into_owned()));
            counts.push(members[g].len() as i64);
            let member_times: Vec<i64> =
                times.as_ref().map_or(Vec::new(), |t| members[g].iter().filter_map(|&r| t[r as usize]).collect());
            trends.push(buckets.and_then(|b| b.trend(&member_times)));
        }
    }
    let n = counts.len();
    let mut out = Table::new(n);
    out.push("Field", Column::texts(names));
    out.push("Value", Column::texts(values));
    out.push("Count", Column::new(ColumnData::Int(counts), None));
    if op.include_trends {
        out.push("Trend", Column::texts(trends));
    }
    Frame { table: out, rows: (0..n as u32).collect(), natural_order: false, members: None }
}
