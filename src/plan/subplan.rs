//! Queries inside a query: a subquery planned on its own (`multisearch`, `x in [ … ]`),
//! and the operators that hold subqueries or patterns of conditions (`sequence`).

use super::{CExpr, FrameKind, Op, Planner, Scope};
use crate::diag::Diagnostic;
use crate::store::Field;
use crate::syntax::{BinOp, Expr, ExprKind, Name, SubQuery};

type R<T> = Result<T, Diagnostic>;

/// A subquery, planned: its operators and the fields of its result.
#[derive(Clone, Debug)]
pub struct SubPlan {
    pub ops: Vec<Op>,
    /// Every column of its result, as the frame holds them.
    pub fields: Vec<Field>,
    /// The columns `fields` hid (still in the frame, not in the result).
    pub hidden: Vec<String>,
    /// Its result is flow records (not stats rows).
    pub records: bool,
}

impl SubPlan {
    /// The first column its result shows: the values `x in [ … ]` tests against.
    pub fn first_shown(&self) -> Option<usize> {
        self.fields.iter().position(|f| !self.hidden.iter().any(|h| h.eq_ignore_ascii_case(&f.name)))
    }
}

/// `multisearch`: each subquery over the same frame; the result holds `fields` (every
/// field of any subquery, by name), a subquery's rows null in the fields it lacks.
#[derive(Clone, Debug)]
pub struct MultiSearchOp {
    pub subs: Vec<SubPlan>,
    pub fields: Vec<Field>,
    /// Every subquery gives records: the result is records, newest first.
    pub records: bool,
}

/// `map [ * | where … | eval … ] using <view>`: the view (`createview`'s query, run over
/// the rows map is given) paired with each row; where a pair passes `apply`'s
/// conditions, its assignments set the row's fields (the view's last matching row wins).
#[derive(Clone, Debug)]
pub struct MapOp {
    pub view: SubPlan,
    /// Filters and evals over the pair table: the `rows` columns, the `views` columns,
    /// the pair's number, then the fields eval makes.
    pub apply: Vec<Op>,
    /// The row's columns map's query reads, in the pair table's order.
    pub rows: Vec<usize>,
    /// The view's columns it reads, after them.
    pub views: Vec<usize>,
    pub writes: Vec<MapWrite>,
}

/// A field map sets: the row's column `row` (or a new one, `None`) takes the pair
/// table's column `from`.
#[derive(Clone, Debug)]
pub struct MapWrite {
    pub row: Option<usize>,
    pub from: usize,
    pub name: String,
}

/// One `[ <condition> ]{min[,max]}` of `sequence`.
#[derive(Clone, Debug)]
pub struct SequenceRule {
    /// Over the member records; `None` for `*`.
    pub cond: Option<CExpr>,
    pub min: usize,
    /// `None`: no upper bound (`{5,}`).
    pub max: Option<usize>,
}

/// `sequence`: in each link group, the runs of member records (in time order) that
/// match the rules one after another.
#[derive(Clone, Debug)]
pub struct SequenceOp {
    pub name: String,
    /// The member records' time column.
    pub time: usize,
    /// A match lasts at most this long (ms), first record to last.
    pub span: Option<i64>,
    /// At most this long (ms) between two matched records.
    pub max_pause: Option<i64>,
    pub rules: Vec<SequenceRule>,
    /// `between A and B`: the match is every record from A's to B's.
    pub between: bool,
    /// Group-row columns each match carries (the link fields).
    pub keys: Vec<usize>,
    /// Member columns shown from the match's first record, with their names.
    pub select: Vec<(usize, String)>,
}

impl Planner<'_> {
    /// Plan `q` as a query of its own over rows with the fields of `input`. With
    /// `over_run`, it runs over the run's records, and may hold subqueries of its own.
    pub(crate) fn subplan(&mut self, q: &SubQuery, input: Scope, over_run: bool) -> R<SubPlan> {
        let mut child = Planner::new(self.text, input, self.lookups);
        child.input = self.input.clone();
        let planned = child.query(&q.query);
        self.warnings.append(&mut child.warnings);
        planned?;
        let nested = |o: &Op| over_run && matches!(o, Op::InQuery { .. });
        if let Some(op) = child.ops.iter().find(|o| o.needs_start() && !nested(o)) {
            return Err(Diagnostic::query(format!("{} cannot run inside a subquery", op.name()))
                .at(q.span)
                .note("it reads the run's records beyond the rows the subquery is given"));
        }
        if child.scope.is_groups() {
            return Err(Diagnostic::query("a subquery here must end with records or rows, not link groups")
                .at(q.span)
                .help("end it with stats, or fields after link"));
        }
        let records = matches!(child.scope.kind, FrameKind::Records);
        Ok(SubPlan { ops: child.ops, fields: child.scope.fields, hidden: child.scope.hidden, records })
    }

    /// Filter by condition `e` (in the search clause's rules when `search`). A
    /// conjunct `x [not] in [ <query> ]` becomes an operator of its own after the rest.
    pub(crate) fn push_condition(&mut self, e: &Expr, search: bool) -> R<()> {
        let mut conjuncts = Vec::new();
        split_and(e, &mut conjuncts);
        if !conjuncts.iter().any(|c| matches!(c.kind, ExprKind::InQuery { .. })) {
            let c = if search { self.search_compiler() } else { self.compiler() }.condition(e)?;
            self.push_filter(c);
            return Ok(());
        }
        let mut subqueries = Vec::new();
        for c in conjuncts {
            match &c.kind {
                ExprKind::InQuery { expr, query, negated } => subqueries.push((expr, query, *negated)),
                _ => {
                    let c = if search { self.search_compiler() } else { self.compiler() }.condition(c)?;
                    self.push_filter(c);
                }
            }
        }
        for (expr, query, negated) in subqueries {
            let sub = self.subplan(query, self.input.clone(), true)?;
            let Some(first) = sub.first_shown() else {
                return Err(Diagnostic::query("the subquery's result has no column to test against").at(query.span));
            };
            let value = match expr {
                Some(expr) => self.compiler().compile(expr)?.0,
                // `[ … | distinct 'Transaction ID' ]` alone: the field of that name.
                None => {
                    let name = sub.fields[first].name.clone();
                    let field = Name { text: name.clone(), quoted: true, span: query.span };
                    let Some(_) = self.scope.resolve(&name) else {
                        return Err(Diagnostic::query(format!(
                            "the subquery's first column is '{name}', which the records do not hold"
                        ))
                        .at(query.span)
                        .help("end the subquery with distinct <a record field>, or write <field> in [ … ]"));
                    };
                    self.compiler().compile(&Expr { kind: ExprKind::Name(field), span: query.span })?.0
                }
            };
            self.ops.push(Op::InQuery { value, sub: Box::new(sub), negated });
        }
        Ok(())
    }
}

/// The operands of a chain of `and`.
fn split_and<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary(BinOp::And, a, b) => {
            split_and(a, out);
            split_and(b, out);
        }
        _ => out.push(e),
    }
}
