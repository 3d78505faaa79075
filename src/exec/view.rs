//! Running `map … using <view>`: the view is made from the rows map is given, each row
//! is paired with every view row, and the pairs that pass map's conditions set the
//! row's fields (LANGUAGE.md, createview and map).

use super::subquery::run_sub;
use super::{run_ops, Frame};
use crate::commands::createview::PAIR_FIELD;
use crate::diag::Diagnostic;
use crate::plan::MapOp;
use crate::store::{Column, ColumnBuilder, DataType, Table, Value};

/// Pairs of a row and a view row one map may test: every row against every view row
/// is a cross product, bounded so a large view is an error, not a hang.
pub const MAX_PAIRS: usize = 20_000_000;

pub fn map(m: &MapOp, mut f: Frame) -> Result<Frame, Diagnostic> {
    f.compact();
    let view = run_sub(&m.view, f.clone(), None)?;
    let (rows, views) = (f.table.len(), view.len());
    let pairs = rows.checked_mul(views).filter(|&n| n <= MAX_PAIRS).ok_or_else(|| {
        Diagnostic::runtime(format!(
            "map pairs {rows} rows with {views} view rows: more than {MAX_PAIRS} pairs to test"
        ))
        .help("make the view smaller (where in createview's query), or the rows before map")
    })?;
    // Pair p is row p / views with view row p % views: the last matching view row of a
    // row is its last passing pair.
    let row_of: Vec<u32> = (0..pairs).map(|p| (p / views.max(1)) as u32).collect();
    let view_of: Vec<u32> = (0..pairs).map(|p| (p % views.max(1)) as u32).collect();
    let mut pair = Table::new(pairs);
    for &c in &m.rows {
        pair.push(f.table.fields[c].name.clone(), f.table.column(c).gather(&row_of));
    }
    for &c in &m.views {
        pair.push(view.fields[c].name.clone(), view.column(c).gather(&view_of));
    }
    let mut b = ColumnBuilder::new(pairs);
    (0..pairs).for_each(|p| b.push(Value::Int(p as i64)));
    let id = pair.fields.len();
    pair.push(PAIR_FIELD, b.finish_as(DataType::Int));
    let frame = Frame { rows: (0..pairs as u32).collect(), table: pair, natural_order: false, members: None };
    let passed = run_ops(&m.apply, frame, None, |_| {})?.into_table();
    // For each row, the last passing pair.
    let mut from: Vec<Option<usize>> = vec![None; rows];
    for k in 0..passed.len() {
        if let Value::Int(p) = passed.get(id, k) {
            if let Some(slot) = usize::try_from(p).ok().and_then(|p| from.get_mut(p / views.max(1))) {
                *slot = Some(k);
            }
        }
    }
    for w in &m.writes {
        let src = passed.column(w.from);
        let mut b = ColumnBuilder::new(rows);
        for (r, k) in from.iter().enumerate() {
            b.push(match (k, w.row) {
                (Some(k), _) => src.get(*k),
                (None, Some(t)) => f.table.get(t, r),
                (None, None) => Value::Null,
            });
        }
        // A field set on some rows keeps its old values on the others: its type is theirs
        // together (DataType::together, as the plan has it).
        let col: Column = b.finish_as(w.row.map_or(src.dtype(), |t| f.table.fields[t].dtype));
        match w.row {
            Some(t) => f.table.replace(t, col),
            None => f.table.push(w.name.clone(), col),
        }
    }
    Ok(f)
}
