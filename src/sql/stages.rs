//! The operators that need more than one layer of SQL: link (with the aggregates of
//! the stages that read its groups), eventstats, timestats, bucket, and the aggregates
//! they share (lookup: `lookup.rs`).

use super::expr::{Refusal, SqlCol};
use super::{funcs, key_list, keys_order, quote, ResultKind, State};
use crate::funcs::aggregate::AggKind;
use crate::plan::{AggParam, AggSpec, CExpr, LinkOp, Op};
use crate::store::time::Span as TimeSpan;
use crate::store::DataType;

/// Buckets of one width are labelled by a constant table of at most this many.
const MAX_BUCKETS: usize = 10_000;

impl State<'_> {
    /// link: GROUP BY the keys (times floored to the span), with Count, Start Time,
    /// End Time and Group Duration, and every aggregate a later `stats` or `addfields`
    /// computes over the groups' records.
    pub(super) fn link(&mut self, at: usize, link: &LinkOp, ops: &[Op]) -> Result<(), Refusal> {
        if self.kind != ResultKind::Records {
            return Err("link over rows that are not records".into());
        }
        if link.keys.is_empty() {
            return Err("link with no fields runs locally".into());
        }
        let mut select = Vec::new();
        let mut keys = Vec::new();
        let mut not_null = Vec::new();
        for (&k, floor) in link.keys.iter().zip(&link.floor) {
            let c = self.visible_col(k)?.clone();
            not_null.push(format!("isNotNull({})", quote::ident(&c.name)));
            match floor {
                Some(span) if c.dtype == DataType::Time => {
                    let alias = self.fresh();
                    let src = quote::ident(&c.name);
                    select.push(format!("{} AS {}", funcs::span_floor(&src, *span), quote::ident(&alias)));
                    keys.push(SqlCol { name: alias, ..c });
                }
                _ => {
                    select.push(quote::ident(&c.name));
                    keys.push(c);
                }
            }
        }
        let time = match link.time {
            Some(t) => quote::ident(&self.visible_col(t)?.name),
            None => "CAST(NULL AS Nullable(Int64))".into(),
        };
        let mut cols = keys.clone();
        for (display, text, t) in [
            ("Count", "toInt64(count())".to_string(), DataType::Int),
            ("Start Time", format!("min({time})"), DataType::Time),
            ("End Time", format!("max({time})"), DataType::Time),
            ("Group Duration", format!("toInt64(max({time}) - min({time}))"), DataType::Duration),
        ] {
            let alias = self.fresh();
            select.push(format!("{text} AS {}", quote::ident(&alias)));
            cols.push(SqlCol { name: alias, display: display.into(), dtype: t, visible: true });
        }
        // Aggregates of the stages that read this link's groups' records.
        for (j, later) in ops.iter().enumerate().skip(at + 1) {
            let subs: Vec<(Option<&CExpr>, &Vec<AggSpec>)> = match later {
                Op::GroupStats(specs) => vec![(None, specs)],
                Op::AddFields(subs) => subs.iter().map(|(c, s)| (c.as_ref(), s)).collect(),
                Op::Filter(_) | Op::Eval(_) | Op::Sort(_) | Op::Head(_) | Op::Tail(_) | Op::Project(_) => continue,
                Op::Rename(_) => continue,
                _ => break,
            };
            let mut made = Vec::new();
            for (cond, specs) in subs {
                let cond = match cond {
                    Some(c) => Some(self.writer().write(c)?.text),
                    None => None,
                };
                for spec in specs {
                    let (text, t) = self.aggregate(spec, cond.as_deref())?;
                    let alias = self.fresh();
                    select.push(format!("{text} AS {}", quote::ident(&alias)));
                    cols.push(SqlCol { name: alias.clone(), display: spec.name.clone(), dtype: t, visible: false });
                    made.push((alias, spec.name.clone(), t));
                }
            }
            self.hoisted.insert(j, made);
        }
        let filter = if link.include_nulls { String::new() } else { format!(" WHERE {}", not_null.join(" AND ")) };
        let group = format!(" GROUP BY {}", key_list(&keys));
        let select = select.join(", ");
        if keys.is_empty() {
            self.wrap(&select, &filter);
        } else {
            self.wrap(&select, &format!("{filter}{group}"));
        }
        self.order = keys_order(&keys);
        self.cols = cols;
        self.kind = ResultKind::Groups;
        Ok(())
    }

    /// An aggregate over the current rows (those where `cond` holds, when given).
    pub(super) fn aggregate(&self, spec: &AggSpec, cond: Option<&str>) -> Result<(String, DataType), Refusal> {
        if !matches!(spec.param, AggParam::None) {
            return Err(format!("{} is not pushed down", spec.name));
        }
        let cond_text = cond.map(|c| format!("ifNull({c}, 0)"));
        let when = |base: &str| match &cond_text {
            Some(c) => format!("({base}) AND {c}"),
            None => base.to_string(),
        };
        let if_ = |f: &str, x: &str| match &cond_text {
            Some(c) => format!("{f}If({x}, {c})"),
            None => format!("{f}({x})"),
        };
        let Some(arg) = &spec.arg else {
            let count = match &cond_text {
                Some(c) => format!("countIf({c})"),
                None => "count()".into(),
            };
            return Ok((format!("toInt64({count})"), DataType::Int));
        };
        let x = self.writer().write(arg)?;
        let seen = format!("countIf({})", when(&format!("isNotNull({})", x.text)));
        let none_or = |v: String| format!("if({seen} = 0, NULL, {v})");
        use DataType::*;
        Ok(match (spec.kind, x.dtype) {
            (AggKind::Count | AggKind::CountField, _) => (format!("toInt64({seen})"), Int),
            (AggKind::Sum, Int | Duration) => (none_or(format!("toInt64({})", if_("sum", &x.text))), x.dtype),
            // The integer sum, then one division: exactly the local engine's mean.
            (AggKind::Avg, Int) => (none_or(format!("toFloat64({}) / {seen}", if_("sum", &x.text))), Float),
            (AggKind::Avg, Duration) => {
                (none_or(format!("toInt64(intDiv({}, {seen}))", if_("sum", &x.text))), Duration)
            }
            (AggKind::Min | AggKind::Max, Int | Float | Time | Duration | Ip) => {
                let f = if spec.kind == AggKind::Min { "min" } else { "max" };
                (none_or(if_(f, &x.text)), x.dtype)
            }
            (AggKind::DistinctCount, _) if x.dtype != Null => {
                (format!("toInt64(ifNull({}, 0))", if_("uniqExact", &x.text)), Int)
            }
            // A sum of floats depends on the order of the additions: ClickHouse's order
            // is not ours, so the last digits would differ. They run locally.
            (AggKind::Sum | AggKind::Avg, Float) => {
                return Err(format!("{} of fractional numbers (the sum depends on the order of additions)", spec.name))
            }
            (kind, t) => return Err(format!("{} of {} is not pushed down", kind.name(), t.a_value())),
        })
    }

    /// eventstats: the aggregates per by-tuple joined back onto every row. The join
    /// keys are (is null, value) pairs, since a join never matches null with null while
    /// the by-tuples group nulls together.
    pub(super) fn eventstats(&mut self, aggs: &[AggSpec], by: &[usize]) -> Result<(), Refusal> {
        let keys: Vec<SqlCol> = by.iter().map(|&b| self.visible_col(b).cloned()).collect::<Result<_, _>>()?;
        let mut join_keys = Vec::new();
        let mut key_exprs = Vec::new();
        for k in &keys {
            let c = quote::ident(&k.name);
            for e in [format!("isNull({c})"), format!("assumeNotNull({c})")] {
                let alias = self.fresh();
                key_exprs.push(format!("{e} AS {}", quote::ident(&alias)));
                join_keys.push(quote::ident(&alias));
            }
        }
        let mut right = key_exprs.clone();
        let mut new_cols = Vec::new();
        for spec in aggs {
            let (text, t) = self.aggregate(spec, None)?;
            let alias = self.fresh();
            right.push(format!("{text} AS {}", quote::ident(&alias)));
            new_cols.push(SqlCol { name: alias, display: spec.name.clone(), dtype: t, visible: true });
        }
        let left_cols: Vec<String> =
            self.cols.iter().filter(|c| !self.unread.contains(&c.name)).map(|c| quote::ident(&c.name)).collect();
        let out_cols: Vec<String> =
            left_cols.iter().cloned().chain(new_cols.iter().map(|c| quote::ident(&c.name))).collect();
        // Current ClickHouse wants every joined subquery named.
        let (l, r) = (quote::ident(&self.fresh()), quote::ident(&self.fresh()));
        let joined = if keys.is_empty() {
            format!("({}) AS {l} CROSS JOIN (SELECT {} FROM ({})) AS {r}", self.from, right.join(", "), self.from)
        } else {
            format!(
                "(SELECT {}, {} FROM ({})) AS {l} ANY LEFT JOIN (SELECT {} FROM ({}) GROUP BY {}) AS {r} USING ({})",
                left_cols.join(", "),
                key_exprs.join(", "),
                self.from,
                right.join(", "),
                self.from,
                join_keys.join(", "),
                join_keys.join(", ")
            )
        };
        self.from = format!("SELECT {} FROM {joined}", out_cols.join(", "));
        self.cols.extend(new_cols);
        Ok(())
    }

    /// bucket: with named ranges, the first range holding the value names it; without,
    /// buckets of one width (given, or picked from the data's smallest and largest
    /// value as locally, asked of the server), each value's bucket number computed in
    /// SQL and turned into flowq's own label by a constant table.
    pub(super) fn bucket(&mut self, b: &crate::plan::BucketOp) -> Result<(), Refusal> {
        let pos = self.position_of_visible(b.col)?;
        let x = quote::ident(&self.cols[pos].name);
        let label = if b.ranges.is_empty() {
            self.bucket_by_width(b, &x, self.cols[pos].dtype)?
        } else {
            let mut parts = vec![format!("isNull({x})"), "NULL".to_string()];
            for r in &b.ranges {
                parts.push(format!("toFloat64({x}) >= {:?} AND toFloat64({x}) <= {:?}", r.low, r.high));
                parts.push(quote::string(&r.label));
            }
            parts.push(b.others.as_deref().map_or("NULL".to_string(), quote::string));
            format!("multiIf({})", parts.join(", "))
        };
        let alias = self.fresh();
        self.wrap(&format!("*, {label} AS {}", quote::ident(&alias)), "");
        let old = std::mem::replace(
            &mut self.cols[pos],
            SqlCol { name: alias, display: String::new(), dtype: DataType::Str, visible: true },
        );
        self.cols[pos].display = old.display.clone();
        self.cols.push(SqlCol { visible: false, ..old });
        Ok(())
    }

    /// The label expression of equal-width buckets of column `x`.
    fn bucket_by_width(&self, b: &crate::plan::BucketOp, x: &str, dtype: DataType) -> Result<String, Refusal> {
        if !matches!(dtype, DataType::Int | DataType::Float) {
            return Err(format!("bucket over a {} column", dtype.name()));
        }
        let Some(probe) = self.probe else {
            return Err(
                "bucket without named ranges (its buckets come from the data: flowq sql --url asks the server)".into(),
            );
        };
        let answer = probe(&format!(
            "SELECT count(), min(toFloat64({x})), max(toFloat64({x})) FROM ({}) WHERE isNotNull({x}) FORMAT TabSeparated",
            self.from
        ))?;
        let cells: Vec<Option<f64>> = answer.split_whitespace().map(|c| c.parse().ok()).collect();
        // No values (min and max are then null, or zero on some versions): all null.
        if cells.first() == Some(&Some(0.0)) {
            return Ok("CAST(NULL AS Nullable(String))".into());
        }
        let [Some(_), Some(lo), Some(hi)] = cells[..] else {
            return Err(format!("the server's smallest and largest value: {answer}"));
        };
        let width = b.width.unwrap_or_else(|| crate::exec::rows::auto_width(lo, hi, b.max_buckets));
        // Bucket k holds [k * width, (k + 1) * width), as locally: (v / width).floor() * width.
        let (first, last) = ((lo / width).floor(), (hi / width).floor());
        let count = last - first;
        if count.is_nan() || count >= MAX_BUCKETS as f64 {
            return Err(format!("bucket with more than {MAX_BUCKETS} buckets"));
        }
        let (first, last) = (first as i64, last as i64);
        let numbers: Vec<String> = (first..=last).map(|k| format!("toInt64({k})")).collect();
        let labels: Vec<String> = (first..=last)
            .map(|k| {
                let from = k as f64 * width;
                quote::string(&crate::exec::rows::range_label(from, from + width))
            })
            .collect();
        Ok(format!(
            "if(isNull({x}), NULL, transform(toInt64(floor(toFloat64(assumeNotNull({x})) / {width:?})), [{}], [{}], ''))",
            numbers.join(", "),
            labels.join(", ")
        ))
    }

    /// timestats with a fixed span: every bucket from the first record's to the last's,
    /// crossed with every by-tuple, left-joined to the aggregates of the cells that hold
    /// records (empty cells: counts and sums 0, other aggregates null).
    pub(super) fn timestats(&mut self, op: &crate::plan::TimeStatsOp) -> Result<(), Refusal> {
        let span = match op.span {
            Some(s) => s,
            None => self.automatic_span(op.time)?,
        };
        let t = quote::ident(&self.visible_col(op.time)?.name);
        let floor = funcs::span_floor(&t, span);
        // Buckets are numbered from the first: k-th start = start(first index + k × step).
        let (index, step, start): (String, i64, fn(&str) -> String) = match span {
            TimeSpan::Millis(w) => (funcs::euclid_floor(&t, w), w, |k| format!("toInt64({k})")),
            TimeSpan::Months(n) => (funcs::month_floor_index(&t, n), n, |k| funcs::month_start(k)),
        };
        let frame = format!("SELECT * FROM ({}) WHERE isNotNull({t})", self.from);
        let keys: Vec<SqlCol> = op.by.iter().map(|&b| self.visible_col(b).cloned()).collect::<Result<_, _>>()?;
        let at = self.fresh();
        let at_q = quote::ident(&at);
        let mut join_keys = vec![at_q.clone()];
        let mut key_exprs = Vec::new();
        for k in &keys {
            let c = quote::ident(&k.name);
            for e in [format!("isNull({c})"), format!("assumeNotNull({c})")] {
                let alias = quote::ident(&self.fresh());
                key_exprs.push(format!("{e} AS {alias}"));
                join_keys.push(alias);
            }
        }
        let matched = quote::ident(&self.fresh());
        let mut cells = vec![format!("{floor} AS {at_q}")];
        cells.extend(key_exprs.iter().cloned());
        cells.push(format!("1 AS {matched}"));
        let mut out = vec![format!("{at_q}")];
        out.extend(keys.iter().map(|k| quote::ident(&k.name)));
        let mut cols = vec![SqlCol { name: at.clone(), display: "Time".into(), dtype: DataType::Time, visible: true }];
        cols.extend(keys.iter().cloned());
        for spec in &op.aggs {
            let (text, ty) = self.aggregate(spec, None)?;
            let inner = self.fresh();
            cells.push(format!("{text} AS {}", quote::ident(&inner)));
            let empty = match spec.kind {
                AggKind::Count | AggKind::CountField | AggKind::DistinctCount | AggKind::Sum => "0",
                _ => "NULL",
            };
            let alias = self.fresh();
            out.push(format!("if({matched} = 1, {}, {empty}) AS {}", quote::ident(&inner), quote::ident(&alias)));
            cols.push(SqlCol { name: alias, display: spec.name.clone(), dtype: ty, visible: true });
        }
        let (lo, hi, n) = (self.fresh(), self.fresh(), self.fresh());
        let (lo, hi, n) = (quote::ident(&lo), quote::ident(&hi), quote::ident(&n));
        let k = format!(
            "arrayJoin(range(toUInt64(intDiv(assumeNotNull({hi}) - assumeNotNull({lo}), {step}) + 1))) * {step} \
             + assumeNotNull({lo})"
        );
        let buckets = format!(
            "SELECT {} AS {at_q} \
             FROM (SELECT min({index}) AS {lo}, max({index}) AS {hi}, count() AS {n} FROM ({frame})) WHERE {n} > 0",
            start(&k)
        );
        let (x, y, z) = (quote::ident(&self.fresh()), quote::ident(&self.fresh()), quote::ident(&self.fresh()));
        let grid = if keys.is_empty() {
            buckets
        } else {
            let tuple_cols: Vec<String> =
                keys.iter().map(|k| quote::ident(&k.name)).chain(key_exprs.iter().cloned()).collect();
            let tuples = match (op.top, op.aggs.first()) {
                // topcount=n / bottomcount=n: the n by-tuples with the largest (smallest)
                // total of the first aggregate; ties in key order, no total last.
                (Some((n, largest)), Some(first)) => {
                    let (total, _) = self.aggregate(first, None)?;
                    let t = quote::ident(&self.fresh());
                    let mut order = vec![format!("{t} {} NULLS LAST", if largest { "DESC" } else { "ASC" })];
                    let by_keys = keys_order(&keys);
                    let saved = std::mem::replace(&mut self.order, by_keys);
                    order.push(self.order_by(false));
                    self.order = saved;
                    let plain: Vec<String> = keys.iter().map(|k| quote::ident(&k.name)).collect();
                    format!(
                        "SELECT {} FROM (SELECT {}, {total} AS {t} FROM ({frame}) GROUP BY {} ORDER BY {} LIMIT {n})",
                        tuple_cols.join(", "),
                        plain.join(", "),
                        plain.join(", "),
                        order.join(", ")
                    )
                }
                _ => format!("SELECT DISTINCT {} FROM ({frame})", tuple_cols.join(", ")),
            };
            format!("SELECT * FROM ({buckets}) AS {x} CROSS JOIN ({tuples}) AS {y}")
        };
        self.from = format!(
            "SELECT {} FROM ({grid}) AS {z} ANY LEFT JOIN (SELECT {} FROM ({frame}) GROUP BY {}) AS {} USING ({})",
            out.join(", "),
            cells.join(", "),
            join_keys.join(", "),
            quote::ident(&self.fresh()),
            join_keys.join(", ")
        );
        self.order = keys_order(&cols[..=keys.len()]);
        self.cols = cols;
        self.kind = ResultKind::Rows;
        Ok(())
    }

    /// The span timestats picks from the data (as the local engine does: from the
    /// earliest and latest time of the rows), asked of the server.
    pub(super) fn automatic_span(&self, time: usize) -> Result<TimeSpan, Refusal> {
        let Some(probe) = self.probe else {
            return Err(
                "timestats without span= (its span comes from the data: flowq sql --url asks the server)".into()
            );
        };
        let t = quote::ident(&self.visible_col(time)?.name);
        let answer = probe(&format!(
            "SELECT count(), min({t}), max({t}) FROM ({}) WHERE isNotNull({t}) FORMAT TabSeparated",
            self.from
        ))?;
        let cells: Vec<i64> = answer.split_whitespace().filter_map(|c| c.parse().ok()).collect();
        Ok(match cells[..] {
            [n, lo, hi] if n > 0 => crate::exec::timestats::auto_span(lo, hi),
            // No rows: no buckets, whatever the span.
            _ => TimeSpan::Millis(60_000),
        })
    }

    pub(super) fn limit_by(&mut self, by: &[usize], n: usize) -> Result<(), Refusal> {
        let keys: Vec<String> =
            by.iter().map(|&b| self.visible_col(b).map(|c| quote::ident(&c.name))).collect::<Result<_, _>>()?;
        let order = self.order_by(false);
        let order = if order.is_empty() { String::new() } else { format!(" ORDER BY {order}") };
        let limit = match (n, keys.is_empty()) {
            (usize::MAX, _) => String::new(),
            (n, true) => format!(" LIMIT {n}"),
            (n, false) => format!(" LIMIT {n} BY {}", keys.join(", ")),
        };
        self.wrap("*", &format!("{order}{limit}"));
        Ok(())
    }
}
