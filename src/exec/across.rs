//! Aggregates that add columns instead of collapsing rows: `eventstats` (across rows
//! or groups) and `addfields` (over filtered member records of link groups).

use super::aggregate::aggregate;
use super::group::Groups;
use super::{group_ids, Frame};
use crate::plan::{AggSpec, CExpr};

/// Each aggregate over the rows of each by-tuple, attached to every row of it.
pub fn eventstats(aggs: &[AggSpec], by: &[usize], only: Option<&CExpr>, mut f: Frame) -> Frame {
    f.compact();
    let (mut groups, ids) = group_ids(&f.table, by, &f.rows);
    if let Some(c) = only {
        let keep: Vec<bool> = groups.rows.iter().map(|&r| c.eval(&f.table, r as usize).is_true()).collect();
        let mut k = keep.iter();
        groups.gid.retain(|_| *k.next().unwrap_or(&false));
        let mut k = keep.iter();
        groups.rows.retain(|_| *k.next().unwrap_or(&false));
        (groups.first, groups.segments) = (Vec::new(), Vec::new());
    }
    let cols: Vec<_> = aggs.iter().map(|a| (a.name.clone(), aggregate(a, &f.table, &groups))).collect();
    for (name, c) in cols {
        // After compact, position i of the frame is row i of the table.
        f.table.push(name, c.gather(&ids));
    }
    f
}

/// After link: each aggregate over the member records of all the groups of each
/// by-tuple (of group columns), attached to every group of it.
pub fn member_eventstats(aggs: &[AggSpec], by: &[usize], mut f: Frame) -> Frame {
    f.compact();
    let (tuples, ids) = group_ids(&f.table, by, &f.rows);
    let cols: Vec<_> = match &f.members {
        Some(m) => {
            // After compact, group g is row g of the table and position g of the frame.
            let gid = m.groups.gid.iter().map(|&g| ids[g as usize]).collect();
            let members =
                Groups { rows: m.groups.rows.clone(), gid, n: tuples.n, first: Vec::new(), segments: Vec::new() };
            aggs.iter().map(|a| (a.name.clone(), aggregate(a, &m.records, &members).gather(&ids))).collect()
        }
        None => aggs.iter().map(|a| (a.name.clone(), crate::store::Column::nulls(f.table.len()))).collect(),
    };
    for (name, c) in cols {
        f.table.push(name, c);
    }
    f
}

/// Per link group, each set of aggregates over the member records that match its filter.
pub fn addfields(subs: &[(Option<CExpr>, Vec<AggSpec>)], mut f: Frame) -> Frame {
    let Some(m) = &f.members else { return f };
    let mut cols = Vec::new();
    for (filter, specs) in subs {
        let filtered;
        let groups = match filter {
            None => &m.groups,
            Some(c) => {
                let (mut rows, mut gid) = (Vec::new(), Vec::new());
                for (&r, &g) in m.groups.rows.iter().zip(&m.groups.gid) {
                    if c.eval(&m.records, r as usize).is_true() {
                        rows.push(r);
                        gid.push(g);
                    }
                }
                filtered = Groups { rows, gid, n: m.groups.n, first: Vec::new(), segments: Vec::new() };
                &filtered
            }
        };
        for s in specs {
            cols.push((s.name.clone(), aggregate(s, &m.records, groups)));
        }
    }
    for (name, c) in cols {
        f.table.push(name, c);
    }
    f
}
