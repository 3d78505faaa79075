//! How the local engine runs a plan: one pass over the operators that fuses the pairs
//! it has faster forms for. `exec` runs these steps and `flowq explain` describes
//! them, so what explain shows is what ran. (ClickHouse gets the operators
//! themselves: `sql/` writes its own statements.)
//!
//! A fused step decides from the plan; where the data turn out not to fit it (too
//! many time buckets, a key of a kind it does not fold), it runs the operators one by
//! one and says so in explain.

use std::ops::Range;

use super::{Op, TimeSpan};
use crate::store::Field;

/// One step of the local engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Operator `i` as it is.
    Op(usize),
    /// `sort … | head n` (operators `sort`, `sort + 1`): only the first n rows are put
    /// in order.
    TopN { sort: usize, n: usize },
    /// `link span=<fixed> Time | stats …` with nothing after it that reads the member
    /// records: groups folded in one pass over time buckets, no member lists.
    LinkStats { link: usize },
    /// `stats … by <one field>`: aggregates folded into one slot per key value.
    StatsByKey(usize),
}

impl Step {
    /// The operators it runs.
    pub fn ops(&self) -> Range<usize> {
        match *self {
            Step::Op(i) | Step::StatsByKey(i) => i..i + 1,
            Step::TopN { sort, .. } => sort..sort + 2,
            Step::LinkStats { link } => link..link + 2,
        }
    }

    /// What it does, over input rows with `fields` (`members`: the fields of the
    /// records the last link grouped, which member aggregates read).
    pub fn describe(&self, ops: &[Op], fields: &[Field], members: &[Field]) -> String {
        match *self {
            Step::Op(i) => ops[i].describe(if ops[i].needs_members() { members } else { fields }),
            Step::TopN { sort, n } => {
                format!("top {n}: {}, only the first {n} put in order", ops[sort].describe(fields))
            }
            Step::LinkStats { link } => format!(
                "{}, with {} in the same pass (no member lists)",
                ops[link].describe(fields),
                ops[link + 1].describe(fields)
            ),
            Step::StatsByKey(i) => format!("{} (one slot per key value)", ops[i].describe(fields)),
        }
    }
}

/// The steps that run `ops`.
pub fn steps(ops: &[Op]) -> Vec<Step> {
    let mut out = Vec::with_capacity(ops.len());
    let mut i = 0;
    while i < ops.len() {
        let step = match (&ops[i], ops.get(i + 1)) {
            (Op::Sort(_), Some(Op::Head(n))) => Step::TopN { sort: i, n: *n },
            (Op::Link(l), Some(Op::GroupStats(aggs)))
                if fixed_time_link(l) && aggs.iter().all(simple) && !ops[i + 2..].iter().any(Op::needs_members) =>
            {
                Step::LinkStats { link: i }
            }
            (Op::Stats { aggs, by }, _) if by.len() == 1 && aggs.iter().all(simple) => Step::StatsByKey(i),
            _ => Step::Op(i),
        };
        i = step.ops().end;
        out.push(step);
    }
    out
}

/// A link by its Time alone, floored to a fixed span.
fn fixed_time_link(l: &super::LinkOp) -> bool {
    matches!((&l.keys[..], &l.floor[..]), (&[key], &[Some(TimeSpan::Millis(w))]) if l.time == Some(key) && w > 0)
}

/// An aggregate the fused steps fold: count, or count/sum/avg/min/max of a field.
fn simple(a: &super::AggSpec) -> bool {
    use crate::funcs::aggregate::AggKind::*;
    matches!(a.param, super::AggParam::None)
        && matches!((a.kind, &a.arg), (Count, None) | (CountField | Sum | Avg | Min | Max, Some(super::CExpr::Col(_))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(q: &str) -> Vec<Step> {
        steps(&crate::session::check(q).unwrap_or_else(|f| panic!("{q}: {}", f.error.message)).ops)
    }

    #[test]
    fn fused_pairs() {
        assert_eq!(plan("* | sort -Packets | head 3"), [Step::TopN { sort: 0, n: 3 }]);
        assert_eq!(plan("* | sort -Packets | tail 3"), [Step::Op(0), Step::Op(1)]);
        assert_eq!(plan("* | stats count by Action"), [Step::StatsByKey(0)]);
        assert_eq!(plan("* | stats count, median(Packets) by Action"), [Step::Op(0)]);
        assert_eq!(plan("* | stats count by Action, Protocol"), [Step::Op(0)]);
        assert_eq!(
            plan("* | link span=1hour Time | stats sum(Packets) as P | sort -P | head 2"),
            [Step::LinkStats { link: 0 }, Step::TopN { sort: 2, n: 2 }]
        );
        // A later stage reads the members: the link keeps them.
        assert_eq!(
            plan("* | link span=1hour Time | stats count as N | addfields [ * | stats sum(Packets) as P ]"),
            [Step::Op(0), Step::Op(1), Step::Op(2)]
        );
        assert_eq!(plan("* | link Time | stats count as N"), [Step::Op(0), Step::Op(1)]);
    }
}
