//! `classify`: reduce many link groups to a few clusters and flag the odd ones
//! (docs/ANALYZE.md explains the method). Deterministic: the same groups in the same
//! order give the same clusters.
//!
//! 1. Text properties partition the groups: each combination is its own context.
//! 2. In each context, the groups are cut along each number property where sorted
//!    values leave a gap: half a decade for skewed magnitudes (byte counts, compared
//!    on a log scale), a tenth of the range for other numbers.
//! 3. Time properties put each piece into four equal periods of the whole time range.
//! 4. In a context of 20 groups or more, a piece cut off by a gap that holds at most 1%
//!    of the context, or at most 2 groups at least twice the gap from the rest, is an
//!    anomaly: few, far from the rest.

use std::collections::HashMap;

use super::Frame;
use crate::plan::ClassifyOp;
use crate::store::{Column, ColumnBuilder, ColumnData, DataType, Table, Value};

/// Periods each time property is cut into.
const TIME_PERIODS: f64 = 4.0;
/// The gap that separates pieces of a skewed magnitude, in decades.
const LOG_GAP: f64 = 0.5;
/// The gap for other numbers, as a share of their range.
const LINEAR_GAP: f64 = 0.1;
/// An anomaly holds at most this share of its context ...
const ANOMALY_SHARE: f64 = 0.01;
/// ... or at most this many groups at least twice the gap away from the rest.
const ANOMALY_GROUPS: usize = 2;
/// ... of at least this many groups.
const ANOMALY_CONTEXT: usize = 20;

/// How a number property is compared.
#[derive(Clone, Copy)]
enum Scale {
    /// log10(1 + x): byte counts and other values spread over decades.
    Log,
    Linear {
        gap: f64,
    },
    /// A time: cut into periods of the whole range.
    Periods {
        lo: f64,
        width: f64,
    },
}

fn number(c: &Column, r: usize) -> Option<f64> {
    if !c.is_valid(r) {
        return None;
    }
    match &c.data {
        ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => Some(v[r] as f64),
        ColumnData::Float(v) => Some(v[r]).filter(|f| f.is_finite()),
        _ => None,
    }
}

fn scale_of(c: &Column, rows: &[u32]) -> Scale {
    let mut vals: Vec<f64> = rows.iter().filter_map(|&r| number(c, r as usize)).collect();
    vals.sort_by(f64::total_cmp);
    let (lo, hi) = (vals.first().copied().unwrap_or(0.0), vals.last().copied().unwrap_or(0.0));
    if matches!(c.data, ColumnData::Time(_)) {
        return Scale::Periods { lo, width: ((hi - lo) / TIME_PERIODS).max(1.0) };
    }
    let median = vals.get(vals.len() / 2).copied().unwrap_or(0.0);
    if lo >= 0.0 && hi > 1000.0 * median.max(1.0) {
        Scale::Log
    } else {
        Scale::Linear { gap: ((hi - lo) * LINEAR_GAP).max(f64::MIN_POSITIVE) }
    }
}

/// A piece of a context: its member rows and whether it is an anomaly.
struct Piece {
    rows: Vec<u32>,
    anomaly: bool,
}

/// Cut `rows` where the sorted coordinates leave a gap of more than `gap`; rows without
/// a value are a piece of their own. Each piece comes with its distance from the
/// nearest other piece, in gaps (infinite when alone, 0 for the piece without values).
fn cut_at_gaps(rows: Vec<u32>, coord: impl Fn(u32) -> Option<f64>, gap: f64) -> Vec<(Vec<u32>, f64)> {
    let mut with: Vec<(f64, u32)> = Vec::new();
    let mut without: Vec<u32> = Vec::new();
    for r in rows {
        match coord(r) {
            Some(x) => with.push((x, r)),
            None => without.push(r),
        }
    }
    with.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<(Vec<u32>, f64)> = Vec::new();
    // The gap before each piece.
    let mut before: Vec<f64> = Vec::new();
    let mut last = f64::NEG_INFINITY;
    for (x, r) in with {
        if out.is_empty() || x - last > gap {
            before.push(if out.is_empty() { f64::INFINITY } else { (x - last) / gap });
            out.push((Vec::new(), 0.0));
        }
        if let Some(p) = out.last_mut() {
            p.0.push(r);
        }
        last = x;
    }
    for i in 0..out.len() {
        let after = before.get(i + 1).copied().unwrap_or(f64::INFINITY);
        out[i].1 = before[i].min(after);
    }
    if !without.is_empty() {
        out.push((without, 0.0));
    }
    out
}

pub fn classify(op: &ClassifyOp, mut f: Frame) -> Frame {
    f.compact();
    let t = &f.table;
    let rows: Vec<u32> = f.rows.clone();
    let total = rows.len();
    // 1. Contexts: the text properties' values.
    let text_props: Vec<usize> = op.props.iter().filter(|p| !p.1).map(|p| p.0).collect();
    let mut context_of: HashMap<Vec<Option<String>>, usize> = HashMap::new();
    let mut contexts: Vec<Vec<u32>> = Vec::new();
    for &r in &rows {
        let key: Vec<Option<String>> =
            text_props.iter().map(|&c| t.get(c, r as usize).to_text().map(|s| s.into_owned())).collect();
        let id = *context_of.entry(key).or_insert_with(|| {
            contexts.push(Vec::new());
            contexts.len() - 1
        });
        contexts[id].push(r);
    }
    // 2-4. Pieces.
    let number_props: Vec<(usize, Scale)> =
        op.props.iter().filter(|p| p.1).map(|&(c, _)| (c, scale_of(t.column(c), &rows))).collect();
    let mut pieces: Vec<Piece> = Vec::new();
    for ctx in contexts {
        let size = ctx.len();
        let mut current = vec![Piece { rows: ctx, anomaly: false }];
        for &(c, scale) in &number_props {
            let col = t.column(c);
            let mut next = Vec::new();
            for p in current {
                let parts = match scale {
                    Scale::Log => {
                        cut_at_gaps(p.rows, |r| number(col, r as usize).map(|x| (1.0 + x.max(0.0)).log10()), LOG_GAP)
                    }
                    Scale::Linear { gap } => cut_at_gaps(p.rows, |r| number(col, r as usize), gap),
                    Scale::Periods { lo, width } => {
                        let mut by_period: Vec<(i64, Vec<u32>)> = Vec::new();
                        for r in p.rows {
                            let k = number(col, r as usize).map_or(-1, |x| (((x - lo) / width).floor() as i64).min(3));
                            match by_period.iter_mut().find(|(pk, _)| *pk == k) {
                                Some((_, v)) => v.push(r),
                                None => by_period.push((k, vec![r])),
                            }
                        }
                        by_period.sort_by_key(|(k, _)| *k);
                        let parts: Vec<Vec<u32>> = by_period.into_iter().map(|(_, v)| v).collect();
                        next.extend(parts.into_iter().map(|rows| Piece { rows, anomaly: p.anomaly }));
                        continue;
                    }
                };
                let cut = parts.len() > 1;
                for (rows, apart) in parts {
                    let few = rows.len() as f64 <= ANOMALY_SHARE * size as f64
                        || (rows.len() <= ANOMALY_GROUPS && apart >= 2.0);
                    let anomaly = p.anomaly || (cut && size >= ANOMALY_CONTEXT && few);
                    next.push(Piece { rows, anomaly });
                }
            }
            current = next;
        }
        pieces.extend(current);
    }
    // Largest first; ties in the order the groups came.
    pieces.sort_by(|a, b| b.rows.len().cmp(&a.rows.len()).then(a.rows.first().cmp(&b.rows.first())));
    let n = pieces.len();
    let shown = |i: usize| op.topcount.is_none_or(|k| i < k) && op.bottomcount.is_none_or(|k| i + k >= n);
    let keep: Vec<(usize, &Piece)> = pieces.iter().enumerate().filter(|(i, p)| shown(*i) || p.anomaly).collect();
    output(op, t, total, &keep)
}

/// The values of `col` that characterise `rows`: the one value they all share, or the
/// values (up to 3) held by at least half of them and at least 5 times as often as by
/// all groups.
fn characteristic(col: &Column, rows: &[u32], overall: &HashMap<String, usize>, total: usize) -> Option<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for &r in rows {
        if let Some(v) = col.get(r as usize).to_text() {
            *counts.entry(v.into_owned()).or_default() += 1;
        }
    }
    if counts.len() == 1 {
        return counts.into_keys().next();
    }
    let mut strong: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(v, n)| {
            let share = *n as f64 / rows.len() as f64;
            let base = overall.get(v).copied().unwrap_or(0) as f64 / total.max(1) as f64;
            share >= 0.5 && share >= 5.0 * base
        })
        .collect();
    strong.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    strong.truncate(3);
    (!strong.is_empty()).then(|| strong.into_iter().map(|(v, _)| v).collect::<Vec<_>>().join(", "))
}

fn output(op: &ClassifyOp, t: &Table, total: usize, keep: &[(usize, &Piece)]) -> Frame {
    let n = keep.len();
    let mut out = Table::new(n);
    out.push(op.id_name.clone(), Column::new(ColumnData::Int(keep.iter().map(|(i, _)| *i as i64 + 1).collect()), None));
    out.push(
        "Group Count",
        Column::new(ColumnData::Int(keep.iter().map(|(_, p)| p.rows.len() as i64).collect()), None),
    );
    // Two decimals, four for the smallest clusters (so they do not read as 0).
    let pct = keep
        .iter()
        .map(|(_, p)| {
            let x = 100.0 * p.rows.len() as f64 / total.max(1) as f64;
            let m = if x < 0.1 { 10_000.0 } else { 100.0 };
            (x * m).round() / m
        })
        .collect();
    out.push("Percentage", Column::new(ColumnData::Float(pct), None));
    for &(c, numeric) in &op.props {
        let col = t.column(c);
        let name = &t.fields[c].name;
        if numeric {
            let (mut lo, mut hi) = (ColumnBuilder::new(n), ColumnBuilder::new(n));
            for (_, p) in keep {
                let vals: Vec<(f64, u32)> =
                    p.rows.iter().filter_map(|&r| number(col, r as usize).map(|x| (x, r))).collect();
                let min = vals.iter().min_by(|a, b| a.0.total_cmp(&b.0)).map(|&(_, r)| col.get(r as usize));
                let max = vals.iter().max_by(|a, b| a.0.total_cmp(&b.0)).map(|&(_, r)| col.get(r as usize));
                lo.push(min.unwrap_or(Value::Null));
                hi.push(max.unwrap_or(Value::Null));
            }
            out.push(format!("{name} Min"), keep_type(lo.finish(), col.dtype(), n));
            out.push(format!("{name} Max"), keep_type(hi.finish(), col.dtype(), n));
        } else {
            let mut b = ColumnBuilder::new(n);
            for (_, p) in keep {
                b.push(p.rows.first().map_or(Value::Null, |&r| {
                    col.get(r as usize).to_text().map_or(Value::Null, |s| Value::Str(s.into_owned().into()))
                }));
            }
            out.push(name.clone(), keep_type(b.finish(), DataType::Str, n));
        }
    }
    out.push("Anomaly", Column::new(ColumnData::Bool(keep.iter().map(|(_, p)| p.anomaly).collect()), None));
    for &c in &op.correlate {
        let col = t.column(c);
        let mut overall: HashMap<String, usize> = HashMap::new();
        for r in 0..t.len() {
            if let Some(v) = col.get(r).to_text() {
                *overall.entry(v.into_owned()).or_default() += 1;
            }
        }
        let mut b = ColumnBuilder::new(n);
        for (_, p) in keep {
            b.push(characteristic(col, &p.rows, &overall, t.len()).map_or(Value::Null, |s| Value::Str(s.into())));
        }
        out.push(t.fields[c].name.clone(), keep_type(b.finish(), DataType::Str, n));
    }
    Frame { table: out, rows: (0..n as u32).collect(), natural_order: false, members: None }
}

/// A column of `want`'s type (an all-null builder result has no type of its own).
fn keep_type(c: Column, want: DataType, n: usize) -> Column {
    if c.dtype() == want || c.len() != n {
        c
    } else if c.is_all_null() {
        Column::nulls_of(want, n)
    } else {
        c
    }
}
