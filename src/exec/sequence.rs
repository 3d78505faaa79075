//! `sequence`: in each link group, the runs of member records, in time order, that
//! match the rules one after another (Oracle's `[ … ]{min,max} then [ … ]{…}`).
//!
//! A record that matches no rule is passed over; one that matches a rule but cannot
//! continue the run ends it (and may start the next). A run ends complete when its last
//! rule has had its minimum; it is cut when `span` or `maxpause` is exceeded. Runs do
//! not overlap.

use super::Frame;
use crate::diag::Diagnostic;
use crate::plan::{SequenceOp, SequenceRule};
use crate::store::{Column, ColumnBuilder, ColumnData, Table, Value};

/// One run found: positions in the group's time-ordered records.
struct Run {
    first: usize,
    last: usize,
    matched: usize,
}

struct Progress {
    step: usize,
    count: usize,
    first: usize,
    last: usize,
    matched: usize,
}

pub fn sequence(q: &SequenceOp, f: Frame) -> Result<Frame, Diagnostic> {
    let Some(m) = &f.members else {
        return Err(Diagnostic::runtime("sequence found no link groups (a bug in flowq)"));
    };
    let records = &m.records;
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); m.groups.len()];
    let mut chosen = vec![false; m.groups.len()];
    f.rows.iter().for_each(|&g| chosen[g as usize] = true);
    for (&r, &g) in m.groups.rows.iter().zip(&m.groups.gid) {
        if chosen[g as usize] {
            members[g as usize].push(r);
        }
    }
    let time = records.column(q.time);
    // (group, first record, last record, records in the run, first record's row)
    let mut found: Vec<(u32, i64, i64, usize, u32)> = Vec::new();
    for &g in &f.rows {
        let mut timed: Vec<(i64, u32)> = members[g as usize]
            .iter()
            .filter_map(|&r| match time.get(r as usize) {
                Value::Time(t) => Some((t, r)),
                _ => None,
            })
            .collect();
        timed.sort_unstable();
        let test =
            |rule: &SequenceRule, r: u32| rule.cond.as_ref().is_none_or(|c| c.eval(records, r as usize).is_true());
        for run in runs(q, &timed, test) {
            let records_in = if q.between { run.last - run.first + 1 } else { run.matched };
            found.push((g, timed[run.first].0, timed[run.last].0, records_in, timed[run.first].1));
        }
    }
    let mut out = Table::new(found.len());
    let groups: Vec<u32> = found.iter().map(|x| x.0).collect();
    for &k in &q.keys {
        out.push(f.table.fields[k].name.clone(), f.table.column(k).gather(&groups));
    }
    out.push("Sequence", Column::texts(found.iter().map(|_| Some(q.name.clone()))));
    out.push("Match Start", Column::new(ColumnData::Time(found.iter().map(|x| x.1).collect()), None));
    out.push("Match End", Column::new(ColumnData::Time(found.iter().map(|x| x.2).collect()), None));
    out.push("Match Duration", Column::new(ColumnData::Duration(found.iter().map(|x| x.2 - x.1).collect()), None));
    out.push("Records", Column::new(ColumnData::Int(found.iter().map(|x| x.3 as i64).collect()), None));
    let firsts: Vec<u32> = found.iter().map(|x| x.4).collect();
    for (c, name) in &q.select {
        let mut b = ColumnBuilder::new(firsts.len());
        firsts.iter().for_each(|&r| b.push(records.get(*c, r as usize)));
        out.push(name.clone(), b.finish_as(records.fields[*c].dtype));
    }
    let n = out.len() as u32;
    Ok(Frame { table: out, rows: (0..n).collect(), natural_order: false, members: None })
}

/// The runs in `timed` (time, row), oldest first; `test` says whether a row meets a rule.
fn runs(q: &SequenceOp, timed: &[(i64, u32)], test: impl Fn(&SequenceRule, u32) -> bool) -> Vec<Run> {
    let last_rule = q.rules.len() - 1;
    let complete = |p: &Progress| p.step == last_rule && p.count >= q.rules[last_rule].min;
    let full = |p: &Progress| complete(p) && q.rules[last_rule].max == Some(p.count);
    let run_of = |p: &Progress| Run { first: p.first, last: p.last, matched: p.matched };
    let mut out = Vec::new();
    let mut state: Option<Progress> = None;
    for (i, &(t, r)) in timed.iter().enumerate() {
        loop {
            let Some(p) = &mut state else {
                if test(&q.rules[0], r) {
                    let p = Progress { step: 0, count: 1, first: i, last: i, matched: 1 };
                    if full(&p) {
                        out.push(run_of(&p));
                    } else {
                        state = Some(p);
                    }
                }
                break;
            };
            let expired = q.span.is_some_and(|s| t - timed[p.first].0 > s)
                || q.max_pause.is_some_and(|m| t - timed[p.last].0 > m);
            if !expired {
                let rule = &q.rules[p.step];
                let advanced = if rule.max.is_none_or(|m| p.count < m) && test(rule, r) {
                    p.count += 1;
                    true
                } else if p.count >= rule.min && p.step < last_rule && test(&q.rules[p.step + 1], r) {
                    p.step += 1;
                    p.count = 1;
                    true
                } else {
                    false
                };
                if advanced {
                    p.last = i;
                    p.matched += 1;
                    if full(p) {
                        out.push(run_of(p));
                        state = None;
                    }
                    break;
                }
                // A record meeting no rule is passed over.
                if !q.rules.iter().any(|rule| test(rule, r)) {
                    break;
                }
            }
            // The run cannot go on: keep it if complete, and look at this record afresh.
            if complete(p) {
                out.push(run_of(p));
            }
            state = None;
        }
    }
    if let Some(p) = &state {
        if complete(p) {
            out.push(run_of(p));
        }
    }
    out
}
