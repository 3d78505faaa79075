//! Plans in words, for `flowq explain`: each operator with the field names it resolved.

use super::{AggParam, AggSpec, CExpr, ClusterOutput, CompareRanges, Op};
use crate::store::time::Span as TimeSpan;
use crate::store::{Field, Value};
use crate::syntax::BinOp;

fn field(fields: &[Field], i: usize) -> String {
    match fields.get(i) {
        Some(f) if f.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => f.name.clone(),
        Some(f) => format!("'{}'", f.name),
        None => format!("#{i}"),
    }
}

fn list(fields: &[Field], cols: &[usize]) -> String {
    cols.iter().map(|&c| field(fields, c)).collect::<Vec<_>>().join(", ")
}

fn literal(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Str(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Time(_) | Value::Ip(_) => format!("'{}'", v.to_text().unwrap_or_default()),
        other => other.to_text().map_or("null".into(), |t| t.into_owned()),
    }
}

/// An expression with its columns named.
pub fn expr_text(e: &CExpr, fields: &[Field]) -> String {
    let x = |e: &CExpr| expr_text(e, fields);
    match e {
        CExpr::Col(i) => field(fields, *i),
        CExpr::Lit(v) => literal(v),
        CExpr::Neg(a) => format!("-{}", x(a)),
        CExpr::Not(a) => format!("not ({})", x(a)),
        CExpr::And(a, b) => format!("({} and {})", x(a), x(b)),
        CExpr::Or(a, b) => format!("({} or {})", x(a), x(b)),
        CExpr::Arith(op, a, b) | CExpr::Cmp(op, a, b) => format!("{} {} {}", x(a), op.symbol(), x(b)),
        CExpr::Concat(a, b) => format!("{} {} {}", x(a), BinOp::Concat.symbol(), x(b)),
        CExpr::IsNull(a, true) => format!("{} = null", x(a)),
        CExpr::IsNull(a, false) => format!("{} != null", x(a)),
        CExpr::Like { expr, patterns, negated } => {
            let p: Vec<String> = patterns.iter().map(|r| format!("/{}/", r.as_str())).collect();
            format!("{} {}like {}", x(expr), if *negated { "not " } else { "" }, p.join(" or "))
        }
        CExpr::In { expr, list, negated } => format!(
            "{} {}in ({})",
            x(expr),
            if *negated { "not " } else { "" },
            list.iter().map(x).collect::<Vec<_>>().join(", ")
        ),
        CExpr::Between { expr, low, high, negated } => {
            format!("{} {}between {} and {}", x(expr), if *negated { "not " } else { "" }, x(low), x(high))
        }
        CExpr::Contains { expr, needle } => format!("{} contains '{}'", x(expr), needle),
        CExpr::CidrMatch { ip, cidr } => format!("cidrmatch({}, {cidr:?})", x(ip)),
        CExpr::Call { args, .. } => format!("call({})", args.iter().map(x).collect::<Vec<_>>().join(", ")),
        CExpr::Regex { expr, re, extract } => {
            format!("{}({}, /{}/)", if *extract { "extractfirst" } else { "matches" }, x(expr), re.as_str())
        }
        CExpr::If { branches, default } => {
            let mut parts: Vec<String> = branches.iter().map(|(c, v)| format!("{}, {}", x(c), x(v))).collect();
            if let Some(d) = default {
                parts.push(x(d));
            }
            format!("if({})", parts.join(", "))
        }
    }
}

fn agg_text(a: &AggSpec, fields: &[Field]) -> String {
    let kind = format!("{:?}", a.kind).to_lowercase();
    let inner = match &a.param {
        AggParam::Trend { inner, .. } => format!("trend of {}", agg_text(inner, fields)),
        _ => a.arg.as_ref().map_or(kind.clone(), |e| format!("{kind}({})", expr_text(e, fields))),
    };
    format!("{inner} as '{}'", a.name)
}

fn aggs_text(aggs: &[AggSpec], fields: &[Field]) -> String {
    aggs.iter().map(|a| agg_text(a, fields)).collect::<Vec<_>>().join(", ")
}

fn span_text(s: &Option<TimeSpan>) -> String {
    match s {
        None => "auto".into(),
        Some(TimeSpan::Millis(ms)) => {
            let mut t = String::new();
            crate::store::time::write_duration(&mut t, *ms);
            t
        }
        Some(TimeSpan::Months(m)) => format!("{m} month(s)"),
    }
}

/// One operator, over input rows with `fields`.
pub fn describe(op: &Op, fields: &[Field]) -> String {
    let by = |cols: &[usize]| if cols.is_empty() { String::new() } else { format!(" by {}", list(fields, cols)) };
    match op {
        Op::Filter(c) => format!("filter {}", expr_text(c, fields)),
        Op::Eval(assigns) => {
            let a: Vec<String> =
                assigns.iter().map(|a| format!("'{}' = {}", a.name, expr_text(&a.expr, fields))).collect();
            format!("eval {}", a.join(", "))
        }
        Op::Stats { aggs, by: b } if aggs.is_empty() => format!("distinct{}", by(b)),
        Op::Stats { aggs, by: b } => format!("group {}{}", aggs_text(aggs, fields), by(b)),
        Op::GroupStats(aggs) => format!("per link group: {}", aggs_text(aggs, fields)),
        Op::Link(l) => format!(
            "link {}{}{}",
            list(fields, &l.keys),
            l.floor
                .iter()
                .flatten()
                .next()
                .map_or(String::new(), |s| format!(" (times floored to {})", span_text(&Some(*s)))),
            if l.include_nulls { " including nulls" } else { "" }
        ),
        Op::Sort(keys) => {
            let k: Vec<String> = keys
                .iter()
                .map(|k| format!("{}{}", if k.descending { "-" } else { "" }, field(fields, k.col)))
                .collect();
            format!("sort {}", k.join(", "))
        }
        Op::Head(n) => format!("first {n} rows"),
        Op::Tail(n) => format!("last {n} rows"),
        Op::Project(cols) => {
            let c: Vec<String> = cols
                .iter()
                .map(|(i, n)| {
                    let f = field(fields, *i);
                    if fields.get(*i).is_some_and(|x| x.name == *n) {
                        f
                    } else {
                        format!("{f} as '{n}'")
                    }
                })
                .collect();
            format!("fields {}", c.join(", "))
        }
        Op::Rename(pairs) => {
            let p: Vec<String> = pairs.iter().map(|(i, n)| format!("{} as '{n}'", field(fields, *i))).collect();
            format!("rename {}", p.join(", "))
        }
        Op::TimeStats(t) => format!(
            "time buckets of {} (span {}): {}{}{}",
            field(fields, t.time),
            span_text(&t.span),
            aggs_text(&t.aggs, fields),
            by(&t.by),
            t.top.map_or(String::new(), |(n, top)| format!(", {} {n}", if top { "top" } else { "bottom" }))
        ),
        Op::EventStats { aggs, by: b, only } => format!(
            "attach {}{}{}",
            aggs_text(aggs, fields),
            only.as_ref().map_or(String::new(), |c| format!(" over the rows where {}", expr_text(c, fields))),
            by(b)
        ),
        Op::MemberEventStats { aggs, by_names, .. } => format!(
            "attach {} over the member records of {}",
            aggs_text(aggs, fields),
            if by_names.is_empty() {
                "all the groups".to_string()
            } else {
                format!(
                    "the groups of each {}",
                    by_names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
                )
            }
        ),
        Op::AddFields(subs) => {
            let s: Vec<String> = subs
                .iter()
                .map(|(f, aggs)| {
                    format!(
                        "[{} | {}]",
                        f.as_ref().map_or("*".into(), |c| format!("members where {}", expr_text(c, fields))),
                        aggs_text(aggs, fields)
                    )
                })
                .collect();
            format!("per link group: {}", s.join(", "))
        }
        Op::LimitPer { by: b, n } if *n == usize::MAX => format!("all rows{}", by(b)),
        Op::LimitPer { by: b, n } => {
            format!("first {n} rows{}", if b.is_empty() { String::new() } else { format!(" per {}", list(fields, b)) })
        }
        Op::Dedup(d) => format!(
            "first {} of each {}{}{}",
            if d.count == 1 { "row".to_string() } else { format!("{} rows", d.count) },
            if d.consecutive { "run of " } else { "" },
            list(fields, &d.cols),
            if d.include_nulls { "" } else { " (rows with nulls in them dropped)" }
        ),
        Op::Bucket(b) => format!(
            "bucket {} ({})",
            field(fields, b.col),
            if b.ranges.is_empty() {
                b.width.map_or(format!("about {} ranges", b.max_buckets), |w| format!("width {w}"))
            } else {
                format!("{} named ranges", b.ranges.len())
            }
        ),
        Op::PathExtract { col, targets } => format!(
            "from the {} of {}: {}",
            if matches!(targets.first(), Some((_, super::DocPath::Xml(_), _))) { "XML" } else { "JSON" },
            field(fields, *col),
            targets.iter().map(|(n, p, _)| format!("'{n}' at {}", p.text())).collect::<Vec<_>>().join(", ")
        ),
        Op::Extract { col, re, targets } => format!(
            "extract {} from {} by /{}/",
            targets.iter().map(|(n, _)| format!("'{n}'")).collect::<Vec<_>>().join(", "),
            field(fields, *col),
            re.as_str()
        ),
        Op::Delta { col, prev, step, name } => {
            format!("'{name}' = {} - {} of {step} row(s) before", field(fields, *col), field(fields, *prev))
        }
        Op::Lookup(l) => format!(
            "lookup in '{}' ({} rows) where {}: {}{}",
            l.table.name,
            l.table.rows.len(),
            l.keys
                .iter()
                .map(|&(f, c)| format!("{} = {}", field(fields, f), l.table.columns[c]))
                .collect::<Vec<_>>()
                .join(" and "),
            l.select.iter().map(|(c, n, _)| format!("{} as '{n}'", l.table.columns[*c])).collect::<Vec<_>>().join(", "),
            if l.max_matches > 1 { format!(", up to {} matches", l.max_matches) } else { String::new() }
        ),
        Op::Classify(c) => format!(
            "classify by {}{}",
            c.props.iter().map(|(i, _)| field(fields, *i)).collect::<Vec<_>>().join(", "),
            if c.correlate.is_empty() {
                String::new()
            } else {
                format!(", correlating {}", list(fields, &c.correlate))
            }
        ),
        Op::SearchLookup(t) => format!("the rows of lookup table '{}' ({})", t.name, t.source),
        Op::TimeCompare(t) => format!("shift back {} x {}", span_text(&Some(t.shift)), t.count),
        Op::FieldSummary(s) => format!(
            "the {} most common values of {}{}",
            if s.max_values == usize::MAX { "all".to_string() } else { s.max_values.to_string() },
            list(fields, &s.cols),
            if s.include_nulls { ", and the nulls" } else { "" }
        ),
        Op::Nlp(n) => format!(
            "'{}': {} of {}",
            n.name,
            if n.cluster {
                format!("clusters of the first {} keywords, alike in {} of them", n.words, n.similarity)
            } else {
                format!("up to {} keywords", n.words)
            },
            field(fields, n.col)
        ),
        Op::Outlier(o) => format!(
            "{} where {} is far from the rest (modified z-score over 3.5)",
            match (o.annotate, o.remove) {
                (true, false) => format!("'{}' says", o.name),
                (true, true) | (false, true) => "drop the rows".to_string(),
                (false, false) => "keep the rows".to_string(),
            },
            list(fields, &o.cols)
        ),
        Op::TimeCluster { by, value, name } => format!(
            "'{name}': series of {} by {} grouped by shape",
            field(fields, *value),
            if by.is_empty() { "nothing".to_string() } else { list(fields, by) }
        ),
        Op::Cluster(c) => format!(
            "{} of {} (similarity {})",
            match c.output {
                ClusterOutput::Summary => "message signatures",
                ClusterOutput::Details(_) => "the records of message signatures",
                ClusterOutput::Split(_) => "message signatures split by their variable words",
                ClusterOutput::Tag => "each record's message signature sample",
                ClusterOutput::Compare(_) => "message signatures only in these rows or only in the baseline's",
            },
            list(fields, &c.text),
            c.similarity
        ),
        Op::Compare(c) => format!(
            "compare {} with the same groups in {}: the {} operator(s) before run again there",
            list(fields, &c.columns),
            match &c.ranges {
                CompareRanges::Shift { offset: None, count, .. } => format!("the {count} range(s) before this one"),
                CompareRanges::Shift { offset: Some((span, sign)), count, .. } => format!(
                    "{count} range(s) shifted by {}{}",
                    if *sign < 0 { "-" } else { "+" },
                    span_text(&Some(*span))
                ),
                CompareRanges::Fixed(r) => r
                    .iter()
                    .map(|(a, b)| format!("{} to {}", crate::store::time::rfc3339(*a), crate::store::time::rfc3339(*b)))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            c.prefix.len()
        ),
        Op::Highlight { cond, color, groups, .. } => format!(
            "highlight {} {color} where {}",
            if *groups { "groups with a member" } else { "rows" },
            expr_text(cond, fields)
        ),
        Op::Map(m) => format!(
            "each row with the rows of its view ({} operators) that pass the map's conditions; {} field(s) set from them",
            m.view.ops.len(),
            m.writes.len()
        ),
        Op::MultiSearch(m) => format!(
            "run {} subqueries over these rows ({} operators in all) and keep their rows one after another",
            m.subs.len(),
            m.subs.iter().map(|s| s.ops.len()).sum::<usize>()
        ),
        Op::InQuery { value, sub, negated } => format!(
            "keep rows whose {} is {}among the first column of a subquery ({} operators) over the run's records",
            expr_text(value, fields),
            if *negated { "not " } else { "" },
            sub.ops.len()
        ),
        Op::LinkDetails { attach } if attach.is_empty() => "the member records of each group".to_string(),
        Op::LinkDetails { attach } => {
            format!("the member records of each group, each with the {} fields of its group they lack", attach.len())
        }
        Op::Sequence(q) => format!(
            "'{}': runs of member records matching {} rule(s) {} in time order",
            q.name,
            q.rules.len(),
            if q.between { "(between the first and the last)" } else { "one after another" }
        ),
    }
}
