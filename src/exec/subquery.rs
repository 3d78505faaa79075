//! Operators that run queries inside the query (`multisearch`, `x in [ … ]`) and the
//! one that turns link groups back into their records (`linkdetails`).

use std::collections::HashSet;

use super::{par_filter, run_ops, Frame, Start};
use crate::diag::Diagnostic;
use crate::plan::{CExpr, MultiSearchOp, SubPlan};
use crate::store::{ColumnBuilder, Table, Value};

/// Run `sub` over `f`: the table of its result, rows in its order. `start` is there
/// for the subqueries of a subquery run over the run's records.
pub(super) fn run_sub(sub: &SubPlan, f: Frame, start: Option<&Start>) -> Result<Table, Diagnostic> {
    Ok(run_ops(&sub.ops, f, start, |_| {})?.into_table())
}

/// Each subquery over a copy of the frame (its columns are shared, not copied); their
/// rows one after another, every field of any of them, null where a subquery lacks one.
pub fn multisearch(m: &MultiSearchOp, f: Frame) -> Result<Frame, Diagnostic> {
    let tables = m.subs.iter().map(|s| run_sub(s, f.clone(), None)).collect::<Result<Vec<_>, _>>()?;
    let len = tables.iter().map(Table::len).sum();
    let mut out = Table::new(len);
    for field in &m.fields {
        let mut b = ColumnBuilder::new(len);
        for t in &tables {
            match t.index_of(&field.name) {
                Some(c) => (0..t.len()).for_each(|r| b.push(t.get(c, r))),
                None => (0..t.len()).for_each(|_| b.push(Value::Null)),
            }
        }
        out.push(field.name.clone(), b.finish_as(field.dtype));
        if let Some(last) = out.fields.last_mut() {
            last.unit = field.unit;
        }
    }
    let rows = (0..len as u32).collect();
    Ok(Frame { table: out, rows, natural_order: m.records, members: None })
}

/// The rows whose value is (or is not) among the first shown column of the subquery's
/// result, the subquery run over the run's records. Values match as text, ignoring
/// case, as `=` compares text; a null value matches nothing.
pub fn in_query(value: &CExpr, sub: &SubPlan, negated: bool, mut f: Frame, start: &Start) -> Result<Frame, Diagnostic> {
    let result = run_sub(sub, start.input.clone(), Some(start))?;
    let col = sub.first_shown().and_then(|i| result.index_of(&sub.fields[i].name));
    let mut set = HashSet::new();
    if let Some(c) = col {
        for r in 0..result.len() {
            if let Some(k) = member_key(&result.get(c, r)) {
                set.insert(k);
            }
        }
    }
    let t = &f.table;
    f.rows = par_filter(&f.rows, |r| match member_key(&value.eval(t, r as usize)) {
        Some(k) => set.contains(&k) != negated,
        None => false,
    });
    Ok(f)
}

/// The text a value is matched by in `in [ … ]`: lower-cased, so `=`'s case rule holds.
fn member_key(v: &Value) -> Option<String> {
    v.to_text().map(|t| t.to_lowercase())
}

/// The member records of the groups in the frame, in record order (newest first when
/// shown), each once; with `attach`, each also with those columns of its group.
pub fn link_details(attach: &[usize], mut f: Frame) -> Result<Frame, Diagnostic> {
    // After compact, the members hold only the frame's groups, group g being row g.
    f.compact();
    let Some(m) = f.members else {
        return Err(Diagnostic::runtime("linkdetails found no link groups (a bug in flowq)"));
    };
    let mut pairs: Vec<(u32, u32)> = m.groups.rows.iter().copied().zip(m.groups.gid.iter().copied()).collect();
    pairs.sort_unstable();
    let rows: Vec<u32> = pairs.iter().map(|&(r, _)| r).collect();
    if attach.is_empty() {
        return Ok(Frame { table: m.records, rows, natural_order: true, members: None });
    }
    let mut table = m.records.gather(&rows);
    let gids: Vec<u32> = pairs.iter().map(|&(_, g)| g).collect();
    for &c in attach {
        table.push(f.table.fields[c].name.clone(), f.table.column(c).gather(&gids));
    }
    Ok(Frame { rows: (0..table.len() as u32).collect(), table, natural_order: true, members: None })
}
