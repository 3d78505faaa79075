//! Running `clustercompare`: the current rows and a baseline's are clustered together
//! (so their signatures are the same ones), and the clusters found on one side only
//! are the answer, current ones first.

use super::{clustered, issues, signature_text, text_of};
use crate::diag::Diagnostic;
use crate::exec::compare::{comparison_range, current_range, records_in};
use crate::exec::picks::CountBuckets;
use crate::exec::{run_ops, Frame, Start};
use crate::plan::{ClusterBaseline, ClusterOp, Op};
use crate::store::{Column, ColumnBuilder, ColumnData, DataType, Table, Value};

/// One side's share of a cluster.
#[derive(Clone, Default)]
struct Side {
    count: u64,
    first: Option<u32>,
    times: Vec<i64>,
}

pub(in crate::exec) fn compare(
    op: &ClusterOp,
    b: &ClusterBaseline,
    mut f: Frame,
    start: &Start,
) -> Result<Frame, Diagnostic> {
    f.compact();
    let mut base = match current_range(start).and_then(|cur| comparison_range(&b.range, cur, 0)) {
        Some((from, to)) => {
            let records = records_in(start, from, to);
            match &b.filter {
                Some(c) => run_ops(&[Op::Filter(c.clone())], records, Some(start), |_| {})?,
                None => run_ops(&b.prefix, records, Some(start), |_| {})?,
            }
        }
        None => Frame { rows: Vec::new(), ..records_in(start, 0, 0) },
    };
    base.compact();
    let sides = [&f.table, &base.table];
    let n_cur = f.table.len();
    let text = |i: usize| {
        if i < n_cur {
            text_of(&f.table, &op.text, i)
        } else {
            text_of(&base.table, &op.text, i - n_cur)
        }
    };
    let c = clustered(op.similarity, n_cur + base.table.len(), text);
    let mut per: Vec<[Side; 2]> = vec![Default::default(); c.clusters.len()];
    for (i, &id) in c.id_of_row.iter().enumerate() {
        let (side, r) = if i < n_cur { (0, i) } else { (1, i - n_cur) };
        let s = &mut per[id as usize][side];
        s.count += 1;
        s.first.get_or_insert(r as u32);
        if let Some(Value::Time(t)) = op.time.map(|t| sides[side].get(t, r)) {
            s.times.push(t);
        }
    }
    // Clusters on one side only: (side, id).
    let mut only: Vec<(usize, usize)> = Vec::new();
    for side in 0..2 {
        only.extend(
            (0..per.len()).filter(|&id| per[id][side].count > 0 && per[id][1 - side].count == 0).map(|id| (side, id)),
        );
    }
    let issues = issues(&c);
    let n = only.len();
    let mut out = Table::new(n);
    let ints = |v: Vec<i64>| Column::new(ColumnData::Int(v), None);
    out.push("Collection", Column::texts(only.iter().map(|&(s, _)| Some(["current", "baseline"][s].to_string()))));
    out.push("Id", ints(only.iter().map(|&(_, id)| id as i64 + 1).collect()));
    out.push("Count", ints(only.iter().map(|&(s, id)| i64::try_from(per[id][s].count).unwrap_or(i64::MAX)).collect()));
    out.push(
        "Cluster Sample",
        Column::texts(only.iter().map(|&(s, id)| per[id][s].first.map(|r| text_of(sides[s], &op.text, r as usize)))),
    );
    out.push("Signature", Column::texts(only.iter().map(|&(_, id)| Some(signature_text(&c.clusters[id].0)))));
    out.push("Sample Count", ints(only.iter().map(|&(_, id)| c.clusters[id].1 as i64).collect()));
    out.push("Potential Issue", Column::texts(only.iter().map(|&(_, id)| issues[id].clone())));
    if b.trends {
        let edge = |pick: fn(&[i64]) -> Option<i64>| {
            let mut b = ColumnBuilder::new(n);
            for &(s, id) in &only {
                b.push(pick(&per[id][s].times).map_or(Value::Null, Value::Time));
            }
            b.finish_as(DataType::Time)
        };
        out.push("Start Time", edge(|t| t.iter().min().copied()));
        out.push("End Time", edge(|t| t.iter().max().copied()));
        let all = only.iter().flat_map(|&(s, id)| per[id][s].times.iter().copied());
        let (lo, hi) = all.fold((i64::MAX, i64::MIN), |(a, z), t| (a.min(t), z.max(t)));
        let buckets = CountBuckets::over(lo, hi, b.span);
        let trends: Vec<Option<String>> =
            only.iter().map(|&(s, id)| buckets.and_then(|k| k.trend(&per[id][s].times))).collect();
        let mut shapes: Vec<&Option<String>> = Vec::new();
        let shape = trends
            .iter()
            .map(|t| {
                let k = shapes.iter().position(|x| *x == t).unwrap_or_else(|| {
                    shapes.push(t);
                    shapes.len() - 1
                });
                k as i64 + 1
            })
            .collect();
        out.push("Trend", Column::texts(trends.iter().cloned()));
        out.push("Shape", ints(shape));
    }
    Ok(Frame { table: out, rows: (0..n as u32).collect(), natural_order: false, members: None })
}
