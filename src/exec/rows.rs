//! Row-wise commands: top/bottom's per-group limit, dedup, bucket, extract, delta and
//! highlighting. Each keeps the frame's order.

use regex::Regex;

use super::{group_ids, Frame};
use crate::plan::{BucketOp, CExpr, DocPath};
use crate::store::value::format_float;
use crate::store::{Column, ColumnBuilder, Value};
use crate::syntax::BinOp;

/// The first `n` rows of each combination of `by` (all of them: the first `n`).
pub fn limit_per(by: &[usize], n: usize, mut f: Frame) -> Frame {
    f.ensure_order();
    if by.is_empty() {
        f.rows.truncate(n);
        return f;
    }
    let (groups, ids) = group_ids(&f.table, by, &f.rows);
    let mut seen = vec![0usize; groups.n];
    let mut keep = ids.iter().map(|&g| {
        seen[g as usize] += 1;
        seen[g as usize] <= n
    });
    f.rows.retain(|_| keep.next().unwrap_or(false));
    f
}

/// The first row of each combination of `cols`.
pub fn dedup(d: &crate::plan::DedupOp, mut f: Frame) -> Frame {
    f.ensure_order();
    if !d.include_nulls {
        let t = &f.table;
        f.rows.retain(|&r| d.cols.iter().all(|&c| t.column(c).is_valid(r as usize)));
    }
    let (groups, ids) = group_ids(&f.table, &d.cols, &f.rows);
    let mut kept = vec![0usize; groups.n];
    let mut previous = None;
    let mut keep = ids.iter().map(|&g| {
        let g = g as usize;
        // A run ends where another combination comes between: its count starts again.
        if d.consecutive && previous != Some(g) {
            kept[g] = 0;
        }
        previous = Some(g);
        kept[g] += 1;
        kept[g] <= d.count
    });
    f.rows.retain(|_| keep.next().unwrap_or(false));
    f
}

/// A width of 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_width(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|w| *w >= raw * (1.0 - 1e-12)).unwrap_or(10.0 * p)
}

/// The width of about `max_buckets` round-numbered buckets from `lo` to `hi`.
pub(crate) fn auto_width(lo: f64, hi: f64, max_buckets: usize) -> f64 {
    if hi > lo {
        nice_width((hi - lo) / max_buckets as f64)
    } else {
        1.0
    }
}

pub(crate) fn range_label(lo: f64, hi: f64) -> String {
    format!("{} - {}", format_float(lo), format_float(hi))
}

/// Replace a numeric column by range labels: the named ranges (ends inclusive, the
/// first that holds the value wins), or equal-width buckets of round numbers.
pub fn bucket(op: &BucketOp, mut f: Frame) -> Frame {
    f.compact();
    let col = f.table.column(op.col);
    let vals: Vec<Option<f64>> = (0..f.table.len()).map(|r| col.get(r).as_f64()).collect();
    let width = op.width.unwrap_or_else(|| {
        let present = vals.iter().flatten();
        let (lo, hi) = present.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        auto_width(lo, hi, op.max_buckets)
    });
    let label = |v: f64| -> Value<'static> {
        if op.ranges.is_empty() {
            let lo = (v / width).floor() * width;
            return Value::Str(range_label(lo, lo + width).into());
        }
        match op.ranges.iter().find(|r| r.low <= v && v <= r.high) {
            Some(r) => Value::Str(r.label.clone().into()),
            None => op.others.as_ref().map_or(Value::Null, |o| Value::Str(o.clone().into())),
        }
    };
    let mut b = ColumnBuilder::new(vals.len());
    for v in vals {
        b.push(v.map_or(Value::Null, label));
    }
    f.table.replace(op.col, b.finish());
    f
}

/// The named groups of `re` in column `col`, as text columns (null when no match).
pub fn extract(col: usize, re: &Regex, targets: &[(String, Option<usize>)], mut f: Frame) -> Frame {
    f.compact();
    let n = f.table.len();
    let mut builders: Vec<ColumnBuilder> = targets.iter().map(|_| ColumnBuilder::new(n)).collect();
    let src = f.table.column(col);
    // The targets are the named groups in order (their columns may be named otherwise:
    // a name with spaces has a stand-in in the pattern).
    let groups: Vec<usize> = re.capture_names().enumerate().filter_map(|(i, n)| n.map(|_| i)).collect();
    for r in 0..n {
        let text = src.get(r).to_text().map(|t| t.into_owned());
        let caps = text.as_deref().and_then(|t| re.captures(t));
        for (&g, b) in groups.iter().zip(&mut builders) {
            let v = caps.as_ref().and_then(|c| c.get(g));
            b.push(v.map_or(Value::Null, |m| Value::Str(m.as_str().to_string().into())));
        }
    }
    for ((name, target), b) in targets.iter().zip(builders) {
        put_text_column(&mut f, name, *target, b);
    }
    f
}

/// Values at JSON or XML paths of each row's text, as text (the planner cannot know
/// their kind). JSON: strings as they are, numbers, booleans, objects and arrays as
/// their JSON. XML: the text of each element (or attribute) found, several joined by
/// ", ". Text that does not parse, or has nothing at the path, gives null.
pub fn path_extract(col: usize, targets: &[(String, DocPath, Option<usize>)], mut f: Frame) -> Frame {
    f.compact();
    let n = f.table.len();
    let mut builders: Vec<ColumnBuilder> = targets.iter().map(|_| ColumnBuilder::new(n)).collect();
    let src = f.table.column(col);
    let wants_json = targets.iter().any(|(_, p, _)| matches!(p, DocPath::Json(_)));
    let wants_xml = targets.iter().any(|(_, p, _)| matches!(p, DocPath::Xml(_)));
    for r in 0..n {
        let value = src.get(r);
        let text = value.to_text();
        let text = text.as_deref();
        let json = text.filter(|_| wants_json).and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok());
        let xml = text.filter(|_| wants_xml).and_then(crate::funcs::xml_path::parse);
        for ((_, path, _), b) in targets.iter().zip(&mut builders) {
            b.push(match path {
                DocPath::Json(p) => match json.as_ref().and_then(|d| p.find(d)) {
                    None | Some(serde_json::Value::Null) => Value::Null,
                    Some(serde_json::Value::String(s)) => Value::Str(s.clone().into()),
                    Some(other) => Value::Str(other.to_string().into()),
                },
                DocPath::Xml(p) => match xml.as_ref().map(|d| p.find(d)) {
                    Some(found) if !found.is_empty() => Value::Str(found.join(", ").into()),
                    _ => Value::Null,
                },
            });
        }
    }
    for ((name, _, target), b) in targets.iter().zip(builders) {
        put_text_column(&mut f, name, *target, b);
    }
    f
}

/// A text column the planner declared: it replaces column `target`, or is added as
/// `name`; one that held no value at all is nulls of text.
fn put_text_column(f: &mut Frame, name: &str, target: Option<usize>, b: ColumnBuilder) {
    let c = b.finish();
    let c = if c.dtype() == crate::store::DataType::Str {
        c
    } else {
        Column::nulls_of(crate::store::DataType::Str, c.len())
    };
    match target {
        Some(i) => f.table.replace(i, c),
        None => f.table.push(name.to_string(), c),
    }
}

/// `col` minus `prev` of the row `step` rows earlier (null for the first rows).
pub fn delta(col: usize, prev: usize, step: usize, name: &str, mut f: Frame) -> Frame {
    f.ensure_order();
    f.compact();
    let n = f.table.len();
    let mut b = ColumnBuilder::new(n);
    for r in 0..n {
        if r < step {
            b.push(Value::Null);
        } else {
            b.push(super::expr::arith(BinOp::Sub, f.table.get(col, r), f.table.get(prev, r - step)));
        }
    }
    f.table.push(name.to_string(), b.finish());
    f
}

/// Set the Highlight column to `color` on rows (or groups with a member) where `cond`
/// holds; other rows keep their colour from an earlier highlight, if any.
pub fn highlight(
    cond: &CExpr,
    color: &str,
    (groups, target): (bool, Option<usize>),
    name: &str,
    mut f: Frame,
) -> Frame {
    f.compact();
    let n = f.table.len();
    let mut hit = vec![false; n];
    match (&f.members, groups) {
        (Some(m), true) => {
            for (&r, &g) in m.groups.rows.iter().zip(&m.groups.gid) {
                if !hit[g as usize] && cond.eval(&m.records, r as usize).is_true() {
                    hit[g as usize] = true;
                }
            }
        }
        _ => {
            for (r, h) in hit.iter_mut().enumerate() {
                *h = cond.eval(&f.table, r).is_true();
            }
        }
    }
    let mut b = ColumnBuilder::new(n);
    for (r, h) in hit.into_iter().enumerate() {
        b.push(match (h, target) {
            (true, _) => Value::Str(color.to_string().into()),
            (false, Some(t)) => f.table.get(t, r).into_owned(),
            (false, None) => Value::Null,
        });
    }
    let mut c = b.finish();
    if c.dtype() != crate::store::DataType::Str {
        c = Column::nulls_of(crate::store::DataType::Str, n);
    }
    match target {
        Some(t) => f.table.replace(t, c),
        None => f.table.push(name, c),
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_widths() {
        assert_eq!(nice_width(8982.0), 10000.0);
        assert_eq!(nice_width(1.5), 2.0);
        assert_eq!(nice_width(0.3), 0.5);
        assert_eq!(nice_width(100.0), 100.0);
    }
}
