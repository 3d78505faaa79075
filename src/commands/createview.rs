//! `createview [ <query> ] as <name>` and `map [ * | where … | eval … ] using <name>`:
//! Oracle's dashboards make a view of the rows with a query over them, then set fields
//! of the rows from the view's rows they match:
//!
//! ```text
//! … | createview [ * | where 'Log Source' = 'Kubernetes Service Object Logs'
//!                  | rename 'Load Balancer IP' as LB, Service as S ] as 'KSS Logs'
//!   | map [ * | where Service = S | eval 'Load Balancer' = LB ] using 'KSS Logs'
//! ```
//!
//! In map's query a name is the row's field, else the view's; where a row matches
//! several view rows, the last one sets its fields (LANGUAGE.md).

use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{FrameKind, MapOp, MapWrite, Op, Planner, Scope};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, subquery, Parts, Rule};
use crate::syntax::{Name, Stage, SubQuery};

pub const CREATEVIEW: CommandDef = CommandDef {
    name: "createview",
    syntax: "createview [ <query over the rows> ] as <name>",
    about: "name the result of a query over the rows (a view) for map to read; the rows go on unchanged",
    options: &[],
    phrases: &[],
    examples: &[(
        "* | stats count by Action | createview [ * | where Count > 1 | rename Action as A, Count as N ] as big | map [ * | where Action = A | eval Big = N ] using big",
        "Action,Count,Big\nACCEPT,6,6\nREJECT,1,\nreject,1,\n,1,\n",
    )],
    build: build_view,
};

pub const MAP: CommandDef = CommandDef {
    name: "map",
    syntax: "map [ * | where <condition> | eval <field> = <expr>, ... ] using <view>",
    about: "right after createview: pair each row with the view's rows; where a pair passes the conditions (names: the row's fields, else the view's), eval sets the row's fields (the last matching view row wins; unmatched rows keep theirs, null for new fields)",
    options: &[],
    phrases: &[],
    examples: &[(
        "* | stats count by Action | createview [ * | stats max(Count) as Top ] as t | map [ * | where Count = Top | eval Most = true ] using t",
        "Action,Count,Most\nACCEPT,6,true\nREJECT,1,\nreject,1,\n,1,\n",
    )],
    build: build_map,
};

#[derive(Clone, Debug)]
pub struct View {
    pub query: SubQuery,
    pub name: Name,
}

fn parts(p: Parts<'_>) -> R<View> {
    let (mut query, mut view) = (None, None);
    for part in p.rest {
        match part.as_rule() {
            Rule::subquery => query = Some(subquery(part)?),
            Rule::field_name => view = Some(name(part)?),
            Rule::kw_as | Rule::kw_using => {}
            _ => return Err(internal(&part)),
        }
    }
    Ok(View {
        query: query.ok_or_else(|| Diagnostic::runtime("a view without its query (a bug in flowq)"))?,
        name: view.ok_or_else(|| Diagnostic::runtime("a view without its name (a bug in flowq)"))?,
    })
}

fn build_view(p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(CreateView(parts(p)?)))
}

fn build_map(p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(Map(parts(p)?)))
}

#[derive(Clone, Debug)]
pub struct CreateView(pub View);

#[derive(Clone, Debug)]
pub struct Map(pub View);

impl Args for CreateView {
    fn order_free(&self) -> bool {
        true
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let sub = p.subplan(&self.0.query, row_scope(&p.scope), false)?;
        p.views.retain(|(n, _, _)| !n.eq_ignore_ascii_case(&self.0.name.text));
        p.views.push((self.0.name.text.clone(), sub, p.ops.len()));
        Ok(())
    }
}

/// The scope a view's query and map's query see: link groups as rows of their fields;
/// records stay records, so the fields they read are loaded.
fn row_scope(s: &Scope) -> Scope {
    let kind = if s.is_groups() { FrameKind::Rows } else { s.kind.clone() };
    Scope { kind, ..s.clone() }
}

impl Args for Map {
    fn order_free(&self) -> bool {
        true
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let wanted = &self.0.name;
        let Some((_, view, at)) = p.views.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(&wanted.text)).cloned() else {
            return Err(Diagnostic::query(format!("no createview before map made '{}'", wanted.text))
                .at(wanted.span)
                .help("createview [ <query over the rows> ] as <name> | map [ … ] using <name>"));
        };
        // The view is made again from the rows map is given: only other maps may stand
        // between (flowq does not keep the rows as createview saw them).
        if p.ops[at..].iter().any(|o| !matches!(o, Op::Map(_))) {
            return Err(Diagnostic::query(format!(
                "map must follow createview '{}' (maps may stand between)",
                wanted.text
            ))
            .at(s.name_span));
        }
        let q = &self.0.query;
        if q.query.search.expr.is_some() {
            return Err(Diagnostic::query("map's query starts with *, then where and eval").at(q.span));
        }
        // A pair: the row's fields, the view's, then which pair it is.
        let width = p.scope.fields.len();
        let base = width + view.fields.len();
        let mut pair = row_scope(&p.scope);
        pair.fields.extend(view.fields.iter().cloned());
        pair.fields.push(Field::new(PAIR_FIELD, DataType::Int));
        pair.hidden.clear();
        let child = p.subplan(q, pair, false)?;
        let (mut read, mut writes) = (Vec::new(), Vec::<MapWrite>::new());
        for op in &child.ops {
            match op {
                Op::Filter(c) => c.columns(&mut read),
                Op::Eval(assigns) => {
                    for a in assigns {
                        // Into the row's field, else a field this query made.
                        let (row, from) = match a.target {
                            Some(t) if t < width => (Some(t), t),
                            Some(t) if t > base => (None, t),
                            Some(_) => {
                                return Err(Diagnostic::query(format!(
                                    "map sets the rows' fields, and '{}' is the view's",
                                    a.name
                                ))
                                .at(q.span))
                            }
                            None => (None, child.fields.iter().position(|f| f.name == a.name).unwrap_or(base)),
                        };
                        a.expr.columns(&mut read);
                        read.extend(row);
                        writes.retain(|w| !w.name.eq_ignore_ascii_case(&a.name));
                        writes.push(MapWrite { row, from, name: a.name.clone() });
                    }
                }
                other => {
                    return Err(
                        Diagnostic::query(format!("map's query takes where and eval, not {}", other.name())).at(q.span)
                    )
                }
            }
        }
        for w in &writes {
            let dtype = child.fields.get(w.from).map(|f| f.dtype);
            let dtype = dtype.ok_or_else(|| Diagnostic::runtime("map lost a field (a bug in flowq)"))?;
            match w.row {
                Some(t) => p.scope.fields[t].dtype = p.scope.fields[t].dtype.together(dtype),
                None => p.push_field(Field::new(w.name.clone(), dtype)).map_err(|e| e.at(s.span))?,
            }
        }
        // The pair table holds only the columns map's query reads (a view of many
        // fields would otherwise be copied once per pair); the fields it makes follow.
        read.retain(|&c| c < base);
        read.sort_unstable();
        read.dedup();
        let to = |c: usize| match read.binary_search(&c) {
            Ok(k) => k,
            Err(_) => read.len() + c.saturating_sub(base),
        };
        let mut apply = child.ops;
        for op in &mut apply {
            match op {
                Op::Filter(c) => c.remap_columns(&to),
                Op::Eval(assigns) => assigns.iter_mut().for_each(|a| {
                    a.expr.remap_columns(&to);
                    a.target = a.target.map(to);
                }),
                _ => {}
            }
        }
        writes.iter_mut().for_each(|w| w.from = to(w.from));
        let rows = read.iter().copied().filter(|&c| c < width).collect();
        let views = read.iter().filter(|&&c| c >= width).map(|c| c - width).collect();
        p.ops.push(Op::Map(MapOp { view, apply, rows, views, writes }));
        Ok(())
    }
}

/// The pair table's column saying which pair a row is (no query can name it).
pub const PAIR_FIELD: &str = "\u{1}map pair";

crate::commands::examples_test!(CREATEVIEW, MAP);
