//! Running `cluster`, `clusterdetails` and `clustersplit`: the frame's texts reduced to
//! message signatures ([`signatures`]), then one row per cluster, the rows of chosen
//! clusters, or one row per cluster and combination of its variable words.

mod baseline;
pub mod series;
pub mod signatures;

pub(super) use baseline::compare;

use std::collections::HashMap;

use signatures::{pattern, Clusterer, Slot};

use super::group::Groups;
use super::Frame;
use crate::diag::Diagnostic;
use crate::funcs::aggregate::AggKind;
use crate::plan::{AggParam, AggSpec, ClusterOp, ClusterOutput, IdFilter};
use crate::store::{Column, DataType, Table};

/// Words that mark a signature as a potential issue (compared ignoring case).
const ISSUE_WORDS: &[&str] = &[
    "reject",
    "rejected",
    "deny",
    "denied",
    "drop",
    "dropped",
    "error",
    "errors",
    "fail",
    "failed",
    "failure",
    "fatal",
    "critical",
    "exception",
    "timeout",
    "refused",
    "unreachable",
    "abort",
    "aborted",
    "nodata",
    "skipdata",
];

/// The clusters of a frame's rows.
struct Clustered {
    /// Per frame position, the cluster's Id - 1 (Ids number clusters by size).
    id_of_row: Vec<u32>,
    /// Per pattern, its cluster's Id - 1, and its slots.
    patterns: Vec<(u32, Vec<Slot>)>,
    /// Per frame position, its pattern.
    pattern_of_row: Vec<u32>,
    /// Per cluster (by Id - 1): signature text, slots, patterns merged, rows.
    clusters: Vec<(Vec<Slot>, usize, u64)>,
}

pub(super) fn cluster(op: &ClusterOp, mut f: Frame) -> Result<Frame, Diagnostic> {
    f.compact();
    let texts = |r: usize| text_of(&f.table, &op.text, r);
    let c = clustered(op.similarity, f.rows.len(), texts);
    Ok(match &op.output {
        ClusterOutput::Summary => summary(op, &f, &c),
        ClusterOutput::Details(ids) => details(ids, f, &c),
        ClusterOutput::Split(ids) => split(ids, &f, &c, &op.text),
        ClusterOutput::Tag => tag(f, &c, &op.text),
        ClusterOutput::Compare(_) => {
            return Err(Diagnostic::runtime("clustercompare runs as a step of its own (a bug in flowq)"))
        }
    })
}

/// The text of row `r`: the columns' values joined by a space (nulls left out).
fn text_of(t: &Table, cols: &[usize], r: usize) -> String {
    let parts: Vec<String> = cols.iter().filter_map(|&c| t.column(c).text(r)).collect();
    parts.join(" ")
}

/// Patterns on all cores, then clusters in order of first appearance.
fn clustered(similarity: f64, n: usize, text: impl Fn(usize) -> String + Sync) -> Clustered {
    let positions: Vec<u32> = (0..n as u32).collect();
    let parts = crate::parallel::per_share(&positions, |_, part| {
        let mut seen: HashMap<Vec<Slot>, u32> = HashMap::new();
        let mut order: Vec<Vec<Slot>> = Vec::new();
        let ids: Vec<u32> = part
            .iter()
            .map(|&r| {
                let p = pattern(&text(r as usize));
                *seen.entry(p.clone()).or_insert_with(|| {
                    order.push(p);
                    order.len() as u32 - 1
                })
            })
            .collect();
        (order, ids)
    });
    let mut global: HashMap<Vec<Slot>, u32> = HashMap::new();
    let mut patterns: Vec<Vec<Slot>> = Vec::new();
    let mut pattern_of_row = Vec::with_capacity(n);
    for (order, ids) in parts {
        let local: Vec<u32> = order
            .into_iter()
            .map(|p| {
                *global.entry(p.clone()).or_insert_with(|| {
                    patterns.push(p);
                    patterns.len() as u32 - 1
                })
            })
            .collect();
        pattern_of_row.extend(ids.iter().map(|&i| local[i as usize]));
    }
    let mut clusterer = Clusterer::new(similarity);
    let raw_of_pattern: Vec<usize> = patterns.iter().map(|p| clusterer.add(p)).collect();
    let mut rows_of = vec![0u64; clusterer.signatures.len()];
    for &p in &pattern_of_row {
        rows_of[raw_of_pattern[p as usize]] += 1;
    }
    // Ids by size, largest first; ties in order of first appearance.
    let mut order: Vec<usize> = (0..rows_of.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(rows_of[c]));
    let mut id_of_raw = vec![0u32; order.len()];
    for (id, &raw) in order.iter().enumerate() {
        id_of_raw[raw] = id as u32;
    }
    let clusters = order
        .iter()
        .map(|&raw| (clusterer.signatures[raw].slots.clone(), clusterer.signatures[raw].patterns, rows_of[raw]))
        .collect();
    let id_of_row = pattern_of_row.iter().map(|&p| id_of_raw[raw_of_pattern[p as usize]]).collect();
    let patterns = patterns.into_iter().zip(&raw_of_pattern).map(|(slots, &raw)| (id_of_raw[raw], slots)).collect();
    Clustered { id_of_row, patterns, pattern_of_row, clusters }
}

/// Per cluster, its words that mark a potential issue, joined; None when it has none.
fn issues(c: &Clustered) -> Vec<Option<String>> {
    let mut found: Vec<Vec<String>> = vec![Vec::new(); c.clusters.len()];
    for (id, slots) in &c.patterns {
        for s in slots {
            if let Slot::Word(w) = s {
                let known = &mut found[*id as usize];
                if ISSUE_WORDS.iter().any(|i| w.eq_ignore_ascii_case(i))
                    && !known.iter().any(|k| k.eq_ignore_ascii_case(w))
                {
                    known.push(w.clone());
                }
            }
        }
    }
    found.into_iter().map(|w| (!w.is_empty()).then(|| w.join(", "))).collect()
}

fn signature_text(slots: &[Slot]) -> String {
    signatures::Signature { slots: slots.to_vec(), patterns: 0 }.text()
}

/// One row per cluster: Id, Count, Cluster Sample, Signature, Sample Count, Potential
/// Issue, Start Time, End Time, Trend, Shape.
fn summary(op: &ClusterOp, f: &Frame, c: &Clustered) -> Frame {
    let n = c.clusters.len();
    let mut first = vec![u32::MAX; n];
    for (pos, &id) in c.id_of_row.iter().enumerate() {
        if first[id as usize] == u32::MAX {
            first[id as usize] = f.rows[pos];
        }
    }
    let mut out = Table::new(n);
    let ints = |v: Vec<i64>| Column::new(crate::store::ColumnData::Int(v), None);
    out.push("Id", ints((1..=n as i64).collect()));
    out.push("Count", ints(c.clusters.iter().map(|x| i64::try_from(x.2).unwrap_or(i64::MAX)).collect()));
    out.push("Cluster Sample", Column::texts(first.iter().map(|&r| Some(text_of(&f.table, &op.text, r as usize)))));
    out.push("Signature", Column::texts(c.clusters.iter().map(|x| Some(signature_text(&x.0)))));
    out.push("Sample Count", ints(c.clusters.iter().map(|x| x.1 as i64).collect()));
    out.push("Potential Issue", Column::texts(issues(c)));
    let groups =
        Groups { rows: f.rows.clone(), gid: c.id_of_row.clone(), n, first: first.clone(), segments: Vec::new() };
    match op.time {
        Some(t) => {
            let min = |kind| AggSpec { kind, arg: None, name: String::new(), param: AggParam::None };
            let span = |kind: AggKind| {
                let mut spec = min(kind);
                spec.arg = Some(crate::plan::CExpr::Col(t));
                super::aggregate::aggregate(&spec, &f.table, &groups)
            };
            out.push("Start Time", span(AggKind::Min));
            out.push("End Time", span(AggKind::Max));
            let trend = super::picks::trend(&min(AggKind::Count), &f.table, t, None, &groups);
            let mut shapes: Vec<String> = Vec::new();
            let shape: Vec<i64> = (0..n)
                .map(|g| {
                    let s = trend.text(g).unwrap_or_default();
                    let k = shapes.iter().position(|x| *x == s).unwrap_or_else(|| {
                        shapes.push(s);
                        shapes.len() - 1
                    });
                    k as i64 + 1
                })
                .collect();
            out.push("Trend", trend);
            out.push("Shape", ints(shape));
        }
        None => {
            for (name, dtype) in [
                ("Start Time", DataType::Time),
                ("End Time", DataType::Time),
                ("Trend", DataType::Str),
                ("Shape", DataType::Int),
            ] {
                out.push(name, Column::nulls_of(dtype, n));
            }
        }
    }
    Frame { table: out, rows: (0..n as u32).collect(), natural_order: false, members: None }
}

/// The rows of the clusters `ids` admits, with `Cluster Id` and `Signature`.
fn details(ids: &IdFilter, mut f: Frame, c: &Clustered) -> Frame {
    let ids_col = c.id_of_row.iter().map(|&i| i as i64 + 1);
    let mut id_of_row = vec![0i64; f.table.len()];
    for (&r, id) in f.rows.iter().zip(ids_col) {
        id_of_row[r as usize] = id;
    }
    let sig: Vec<String> = c.clusters.iter().map(|x| signature_text(&x.0)).collect();
    let signature_col = Column::texts(id_of_row.iter().map(|&id| sig.get(id as usize - 1).cloned()));
    f.table.push("Cluster Id", Column::new(crate::store::ColumnData::Int(id_of_row.clone()), None));
    f.table.push("Signature", signature_col);
    f.rows.retain(|&r| ids.admits(id_of_row[r as usize]));
    f
}

/// Every row with its cluster's sample text and potential issue.
fn tag(mut f: Frame, c: &Clustered, text: &[usize]) -> Frame {
    let mut first = vec![u32::MAX; c.clusters.len()];
    for (pos, &id) in c.id_of_row.iter().enumerate() {
        if first[id as usize] == u32::MAX {
            first[id as usize] = f.rows[pos];
        }
    }
    let samples: Vec<String> = first.iter().map(|&r| text_of(&f.table, text, r as usize)).collect();
    let issues = issues(c);
    let mut id_of_row = vec![0u32; f.table.len()];
    for (&r, &id) in f.rows.iter().zip(&c.id_of_row) {
        id_of_row[r as usize] = id;
    }
    let sample_col = Column::texts(id_of_row.iter().map(|&id| Some(samples[id as usize].clone())));
    let issue_col = Column::texts(id_of_row.iter().map(|&id| issues[id as usize].clone()));
    f.table.push("Cluster Sample", sample_col);
    f.table.push("Potential Issue", issue_col);
    f
}

/// One row per cluster and combination of the words in its variable places: Id, Count,
/// Sample Message, Variables (`13: ACCEPT`), in Id order, then by count.
fn split(ids: &IdFilter, f: &Frame, c: &Clustered, text: &[usize]) -> Frame {
    // Per pattern: (cluster id, the words in its cluster's variable places).
    let facet_of_pattern: Vec<(u32, String)> = c
        .patterns
        .iter()
        .map(|(id, slots)| {
            let places = &c.clusters[*id as usize].0;
            let words: Vec<String> = places
                .iter()
                .zip(slots)
                .enumerate()
                .filter(|(_, (place, _))| **place == Slot::Variable)
                .map(|(i, (_, s))| match s {
                    Slot::Word(w) => format!("{}: {w}", i + 1),
                    _ => format!("{}: <*>", i + 1),
                })
                .collect();
            (*id, words.join("; "))
        })
        .collect();
    let mut facets: HashMap<(u32, String), (u64, u32)> = HashMap::new();
    let mut order = Vec::new();
    for (pos, &p) in c.pattern_of_row.iter().enumerate() {
        let key = facet_of_pattern[p as usize].clone();
        if !ids.admits(key.0 as i64 + 1) {
            continue;
        }
        let e = facets.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            (0, f.rows[pos])
        });
        e.0 += 1;
    }
    order.sort_by_key(|k| (k.0, std::cmp::Reverse(facets[k].0)));
    let n = order.len();
    let mut out = Table::new(n);
    let ints = |v: Vec<i64>| Column::new(crate::store::ColumnData::Int(v), None);
    out.push("Id", ints(order.iter().map(|k| k.0 as i64 + 1).collect()));
    out.push("Count", ints(order.iter().map(|k| i64::try_from(facets[k].0).unwrap_or(i64::MAX)).collect()));
    out.push(
        "Sample Message",
        Column::texts(order.iter().map(|k| Some(text_of(&f.table, text, facets[k].1 as usize)))),
    );
    out.push("Variables", Column::texts(order.iter().map(|k| (!k.1.is_empty()).then(|| k.1.clone()))));
    Frame { table: out, rows: (0..n as u32).collect(), natural_order: false, members: None }
}
