//! Each operator of a plan as SQL over the statement so far, or the reason it stops
//! the push-down there.

use super::*;

impl State<'_> {
    pub(super) fn op(&mut self, i: usize, op: &Op, ops: &[Op]) -> Result<(), Refusal> {
        if matches!(
            op,
            Op::Sort(_)
                | Op::Head(_)
                | Op::Tail(_)
                | Op::Stats { .. }
                | Op::Link(_)
                | Op::LimitPer { .. }
                | Op::Dedup(_)
        ) {
            self.natural = false;
        }
        match op {
            Op::Filter(c) => {
                let cond = self.writer().write(c)?;
                if cond.dtype != DataType::Bool && cond.dtype != DataType::Null {
                    return Err("a condition that is not true or false".into());
                }
                let text = if cond.nullable { format!("ifNull({}, 0)", cond.text) } else { cond.text };
                self.wrap("*", &format!(" WHERE {text}"));
            }
            Op::Eval(assigns) => {
                for a in assigns {
                    let v = self.writer().write(&a.expr)?;
                    let alias = self.fresh();
                    self.wrap(&format!("*, {} AS {}", v.text, quote::ident(&alias)), "");
                    let new = SqlCol { name: alias, display: a.name.clone(), dtype: v.dtype, visible: true };
                    match a.target {
                        Some(t) => {
                            let pos = self.position_of_visible(t)?;
                            let old = std::mem::replace(&mut self.cols[pos], new);
                            self.cols.push(SqlCol { visible: false, ..old });
                        }
                        None => self.cols.push(new),
                    }
                }
            }
            Op::Stats { aggs, by } => {
                if self.kind == ResultKind::Groups {
                    return Err("stats by after link".into());
                }
                let keys: Vec<SqlCol> = by.iter().map(|&b| self.visible_col(b).cloned()).collect::<Result<_, _>>()?;
                let mut select: Vec<String> = keys.iter().map(|k| quote::ident(&k.name)).collect();
                let mut cols = keys.clone();
                for spec in aggs {
                    let (text, t) = self.aggregate(spec, None)?;
                    let alias = self.fresh();
                    select.push(format!("{text} AS {}", quote::ident(&alias)));
                    cols.push(SqlCol { name: alias, display: spec.name.clone(), dtype: t, visible: true });
                }
                let group = if keys.is_empty() { String::new() } else { format!(" GROUP BY {}", key_list(&keys)) };
                self.wrap(&select.join(", "), &group);
                self.order = keys_order(&keys);
                self.cols = cols;
                self.kind = ResultKind::Rows;
            }
            Op::Link(link) => self.link(i, link, ops)?,
            Op::GroupStats(_) | Op::AddFields(_) => {
                let Some(cols) = self.hoisted.remove(&i) else {
                    return Err("stats after link here".into());
                };
                for (name, display, dtype) in cols {
                    self.cols.retain(|c| c.name != name);
                    self.cols.push(SqlCol { name, display, dtype, visible: true });
                }
            }
            Op::Sort(specs) => {
                let mut order = Vec::new();
                for s in specs {
                    let c = self.visible_col(s.col)?;
                    order.push(OrderKey { col: c.name.clone(), dtype: c.dtype, descending: s.descending });
                }
                // A stable sort: ties keep the order before it.
                let old = std::mem::take(&mut self.order);
                let new: Vec<String> = order.iter().map(|k| k.col.clone()).collect();
                order.extend(old.into_iter().filter(|k| !new.contains(&k.col)));
                self.order = order;
            }
            Op::Head(n) => {
                let order = self.order_by(false);
                let by = if order.is_empty() { String::new() } else { format!(" ORDER BY {order}") };
                self.wrap("*", &format!("{by} LIMIT {n}"));
            }
            Op::Tail(n) => {
                if self.order.is_empty() {
                    self.wrap("*", &format!(" LIMIT {n}"));
                } else {
                    let order = self.order_by(true);
                    self.wrap("*", &format!(" ORDER BY {order} LIMIT {n}"));
                }
            }
            Op::EventStats { aggs, by, only: None } => self.eventstats(aggs, by)?,
            Op::Bucket(b) => self.bucket(b)?,
            Op::TimeStats(t) => self.timestats(t)?,
            Op::Lookup(l) => self.lookup(l)?,
            // The first n rows of each by-tuple in the current order (top ... by, dedup).
            Op::LimitPer { by, n } => self.limit_by(by, *n)?,
            Op::Dedup(d) if d.consecutive => return Err("dedup consecutive=true is not pushed down".into()),
            Op::Dedup(d) => {
                if !d.include_nulls {
                    let present = d
                        .cols
                        .iter()
                        .map(|&c| self.visible_col(c).map(|c| format!("isNotNull({})", quote::ident(&c.name))))
                        .collect::<Result<Vec<_>, _>>()?;
                    self.wrap("*", &format!(" WHERE {}", present.join(" AND ")));
                }
                self.limit_by(&d.cols, d.count)?
            }
            Op::Project(chosen) => {
                let mut out = Vec::new();
                for (c, name) in chosen {
                    let col = self.visible_col(*c)?;
                    out.push(SqlCol { display: name.clone(), ..col.clone() });
                }
                let chosen_names: Vec<String> = out.iter().map(|c| c.name.clone()).collect();
                for c in &self.cols {
                    if !chosen_names.contains(&c.name) {
                        out.push(SqlCol { visible: false, ..c.clone() });
                    }
                }
                self.cols = out;
            }
            Op::Rename(pairs) => {
                for (c, name) in pairs {
                    let pos = self.position_of_visible(*c)?;
                    self.cols[pos].display = name.clone();
                }
            }
            other => return Err(format!("{} is not pushed down", other.name())),
        }
        Ok(())
    }
}
