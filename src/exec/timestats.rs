//! `timestats` (aggregates per time bucket and by-tuple, empty buckets included) and
//! `timecompare` (the same aggregates some spans earlier).

use std::collections::HashMap;

use super::aggregate::aggregate;
use super::group::Groups;
use super::{group_ids, Frame};
use crate::diag::Diagnostic;
use crate::funcs::aggregate::AggKind;
use crate::plan::{TimeCompareOp, TimeStatsOp};
use crate::store::time::Span;
use crate::store::{Bitmap, Column, ColumnBuilder, ColumnData, DataType, Table, Value};

/// The automatic span gives at most this many buckets (LANGUAGE.md section 6).
const AUTO_MAX_BUCKETS: i64 = 200;
/// Time buckets × by-tuples a result may hold.
const MAX_CELLS: usize = 5_000_000;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The smallest of the usual spans that covers `lo..=hi` in at most 200 buckets.
pub fn auto_span(lo: i64, hi: i64) -> Span {
    let fixed = [
        MINUTE,
        5 * MINUTE,
        10 * MINUTE,
        15 * MINUTE,
        30 * MINUTE,
        HOUR,
        2 * HOUR,
        3 * HOUR,
        6 * HOUR,
        12 * HOUR,
        DAY,
        7 * DAY,
    ];
    for w in fixed {
        if hi.div_euclid(w) - lo.div_euclid(w) < AUTO_MAX_BUCKETS {
            return Span::Millis(w);
        }
    }
    for months in [1, 3, 6, 12] {
        if (hi - lo) / (31 * DAY * months) + 1 < AUTO_MAX_BUCKETS {
            return Span::Months(months);
        }
    }
    Span::Months(12 * ((hi - lo) / (365 * DAY * AUTO_MAX_BUCKETS) + 1))
}

/// The start of every bucket from the one holding `lo` to the one holding `hi`.
fn bucket_starts(lo: i64, hi: i64, span: Span) -> Result<Vec<i64>, Diagnostic> {
    let mut starts = vec![span.floor(lo)];
    while let Some(&last) = starts.last() {
        let next = next_start(last, span);
        if next > hi {
            break;
        }
        if starts.len() >= MAX_CELLS {
            return Err(Diagnostic::runtime(format!(
                "timestats: this span gives more than {MAX_CELLS} buckets; use a larger span"
            )));
        }
        starts.push(next);
    }
    Ok(starts)
}

pub fn timestats(op: &TimeStatsOp, f: Frame) -> Result<Frame, Diagnostic> {
    let table = &f.table;
    let tcol = table.column(op.time);
    let ColumnData::Time(t) = &tcol.data else { return Err(Diagnostic::runtime("timestats: no time column")) };
    let mut rows: Vec<u32> = f.rows.iter().copied().filter(|&r| tcol.is_valid(r as usize)).collect();
    let (lo, hi) = rows.iter().fold((i64::MAX, i64::MIN), |(a, b), &r| (a.min(t[r as usize]), b.max(t[r as usize])));
    let starts =
        if rows.is_empty() { Vec::new() } else { bucket_starts(lo, hi, op.span.unwrap_or(auto_span(lo, hi)))? };

    // The by-tuples (in key order), keeping only the top ones when asked.
    let (tuples, mut tuple_of) = group_ids(table, &op.by, &rows);
    let mut keep: Vec<u32> = (0..tuples.n as u32).collect();
    if let (Some((n, largest)), Some(first)) = (op.top, op.aggs.first()) {
        let totals = aggregate(first, table, &tuples);
        let mut ranked: Vec<(Option<f64>, u32)> = keep.iter().map(|&g| (totals.get(g as usize).as_f64(), g)).collect();
        // Largest (or smallest) totals first; ties keep key order; no total ranks last.
        ranked.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => if largest { y.total_cmp(&x) } else { x.total_cmp(&y) }.then(a.1.cmp(&b.1)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.1.cmp(&b.1),
        });
        keep = ranked.into_iter().take(n).map(|(_, g)| g).collect();
        keep.sort_unstable();
    }
    let mut renumber = vec![u32::MAX; tuples.n];
    for (i, &g) in keep.iter().enumerate() {
        renumber[g as usize] = i as u32;
    }
    let nt = if op.by.is_empty() { 1 } else { keep.len() };
    let cells = starts.len() * nt;
    if cells > MAX_CELLS {
        return Err(Diagnostic::runtime(format!(
            "timestats would make {cells} rows ({} buckets × {nt} by-values); use a larger span or topcount=",
            starts.len()
        )));
    }
    // Each record's cell: bucket × tuple, buckets first so rows come out by time.
    let mut gid = Vec::with_capacity(rows.len());
    let mut kept_rows = Vec::with_capacity(rows.len());
    for (&r, g) in rows.iter().zip(tuple_of.iter_mut()) {
        let tuple = renumber[*g as usize];
        if tuple == u32::MAX {
            continue;
        }
        let b = starts.partition_point(|&s| s <= t[r as usize]) - 1;
        gid.push((b * nt) as u32 + tuple);
        kept_rows.push(r);
    }
    rows = kept_rows;
    let cell_groups = Groups { rows, gid, n: cells, first: Vec::new(), segments: Vec::new() };
    let members = cell_groups.counts();

    let mut out = Table::new(cells);
    let times: Vec<i64> = (0..cells).map(|c| starts[c / nt.max(1)]).collect();
    out.push("Time", Column::new(ColumnData::Time(times), None));
    for &b in &op.by {
        let firsts: Vec<u32> = (0..cells).map(|c| tuples.first[keep[c % nt] as usize]).collect();
        out.push(table.fields[b].name.clone(), table.column(b).gather(&firsts));
    }
    for a in &op.aggs {
        let mut col = aggregate(a, table, &cell_groups);
        if matches!(a.kind, AggKind::Sum | AggKind::Rate(_)) {
            col = zero_empty(col, &members);
        }
        if let AggKind::Rate(unit) = a.kind {
            col = per_unit(&col, &starts, nt, op.span.unwrap_or(auto_span(lo, hi)), unit);
        }
        out.push(a.name.clone(), col);
    }
    let n = out.len() as u32;
    Ok(Frame { table: out, rows: (0..n).collect(), natural_order: false, members: None })
}

/// Each cell's sum divided by its bucket's length in `unit` milliseconds (the last
/// bucket is as long as its span, though the records may end sooner).
fn per_unit(sums: &Column, starts: &[i64], nt: usize, span: Span, unit: i64) -> Column {
    let mut b = ColumnBuilder::new(sums.len());
    for i in 0..sums.len() {
        let bucket = i / nt.max(1);
        let start = starts[bucket];
        let end = starts.get(bucket + 1).copied().unwrap_or_else(|| next_start(start, span));
        let units = end.saturating_sub(start) as f64 / unit as f64;
        b.push(match sums.get(i).as_f64() {
            Some(x) if units > 0.0 => Value::Float(x / units),
            _ => Value::Null,
        });
    }
    b.finish_as(DataType::Float)
}

/// The start of the bucket after the one starting at `start`.
fn next_start(start: i64, span: Span) -> i64 {
    match span {
        Span::Millis(w) => start.saturating_add(w),
        // A bucket of n months is shorter than n × 31 days: stepping that far from a
        // bucket's start and flooring lands on the next bucket's start.
        Span::Months(n) => span.floor(start.saturating_add(n * 31 * DAY)),
    }
}

/// A sum over no records is 0 in timestats (an empty bucket carried no traffic).
fn zero_empty(mut col: Column, members: &[i64]) -> Column {
    if let Some(valid) = &col.valid {
        let mut v = Bitmap::with_capacity(members.len());
        for (i, &m) in members.iter().enumerate() {
            v.push(valid.get(i) || m == 0);
        }
        col.valid = if v.all_set() { None } else { Some(v) };
    }
    col
}

/// Add, for each aggregate column, its value `k` shifts earlier (k = 1..=count) for the
/// same by-values; null where that time is before the first bucket.
pub fn timecompare(op: &TimeCompareOp, mut f: Frame) -> Frame {
    f.compact();
    let t = &f.table;
    let key = |r: usize| -> String {
        let mut k = String::new();
        for &b in &op.by {
            if let Some(s) = t.get(b, r).to_text() {
                k.push_str(&s);
            }
            k.push('\u{1f}');
        }
        k
    };
    let time = |r: usize| match t.get(op.time, r) {
        Value::Time(ms) => Some(ms),
        _ => None,
    };
    let mut at: HashMap<(String, i64), usize> = HashMap::with_capacity(t.len());
    for r in 0..t.len() {
        if let Some(ms) = time(r) {
            at.insert((key(r), ms), r);
        }
    }
    let mut new_cols = Vec::new();
    for (col, names) in &op.columns {
        for (k, name) in names.iter().enumerate() {
            let mut b = ColumnBuilder::new(t.len());
            for r in 0..t.len() {
                let earlier = time(r).and_then(|ms| crate::funcs::dates::shift(ms, op.shift, -(k as i64 + 1)));
                let row = earlier.and_then(|e| at.get(&(key(r), e)));
                b.push(row.map_or(Value::Null, |&e| t.get(*col, e)));
            }
            let mut c = b.finish();
            if c.is_all_null() {
                c = Column::nulls_of(t.fields[*col].dtype, t.len());
            }
            new_cols.push((name.clone(), c));
        }
    }
    for (name, c) in new_cols {
        f.table.push(name, c);
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_spans() {
        assert_eq!(auto_span(0, 30 * MINUTE), Span::Millis(MINUTE));
        assert_eq!(auto_span(0, 3 * DAY), Span::Millis(30 * MINUTE));
        assert_eq!(auto_span(0, 100 * DAY), Span::Millis(DAY));
        assert_eq!(auto_span(0, 10 * 365 * DAY), Span::Months(1));
    }

    #[test]
    fn month_buckets_follow_the_calendar() {
        let jan31 = crate::store::time::parse("2020-01-31").unwrap();
        let apr2 = crate::store::time::parse("2020-04-02").unwrap();
        let s = bucket_starts(jan31, apr2, Span::Months(1)).unwrap();
        let text: Vec<String> = s.iter().map(|&ms| crate::store::time::rfc3339(ms)).collect();
        assert_eq!(
            text,
            ["2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z", "2020-03-01T00:00:00Z", "2020-04-01T00:00:00Z"]
        );
    }
}
