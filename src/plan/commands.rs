//! Planning the commands beyond the core ones: timestats, eventstats, addfields,
//! top/bottom, bucket, regex, extract, delta, timecompare and highlighting.

use regex::Regex;

use super::expr::{one_line, Compiler};
use super::{AggSpec, BucketOp, FrameKind, Op, Planner, SortSpec, TimeCompareOp, TimeStatsOp, R};
use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::funcs::aggregate::AggKind;
use crate::plan::CExpr;
use crate::store::time::Span as TimeSpan;
use crate::store::{DataType, Field, Value};
use crate::syntax::{AggItem, BinOp, BucketRange, Expr, ExprKind, Limit, Name, OptionArg, Stage, SubStats};

/// The colours `highlightrows` and `highlightgroups` accept.
pub const HIGHLIGHT_COLORS: &[&str] = &["red", "green", "yellow", "blue", "magenta", "cyan"];

/// The name of the column highlighting adds.
pub const HIGHLIGHT_COLUMN: &str = "Highlight";

/// An option a command does not take: an error naming the ones it does.
fn unknown_option(cmd: &str, o: &OptionArg, known: &[&str]) -> Diagnostic {
    let d = Diagnostic::query(format!("{cmd} has no option '{}'", o.name.text)).at(o.name.span);
    match did_you_mean(&o.name.text, known.iter().copied()) {
        Some(s) => d.help(format!("did you mean '{s}'?")),
        None => d.note(format!("{cmd} takes {}", known.iter().map(|k| format!("{k}=")).collect::<Vec<_>>().join(", "))),
    }
}

fn span_option(o: &OptionArg) -> R<TimeSpan> {
    TimeSpan::parse(&o.value).ok_or_else(|| {
        Diagnostic::query(format!("'{}' is not a time span", o.value))
            .at(o.value_span)
            .help("write a number and a unit: 30s, 5min, 1hour, 1day, 1week, 1month")
    })
}

fn count_option(o: &OptionArg, min: i64) -> R<usize> {
    match o.value.parse::<i64>() {
        Ok(n) if n >= min => Ok(n as usize),
        _ => Err(Diagnostic::query(format!("{} needs a whole number of {min} or more", o.name.text)).at(o.value_span)),
    }
}

impl Planner<'_> {
    fn fields_of(&mut self, names: &[Name]) -> R<Vec<usize>> {
        names.iter().map(|n| self.field(n)).collect()
    }

    /// Aggregates over the rows of the current scope, with their output fields.
    fn aggs_here(&mut self, aggs: &[AggItem]) -> R<(Vec<AggSpec>, Vec<Field>)> {
        let input = self.scope.clone();
        let mut specs = Vec::new();
        let mut fields = Vec::new();
        for a in aggs {
            let (spec, t) = self.agg(a, &input)?;
            fields.push(super::agg_field(&spec, t, &input));
            specs.push(spec);
        }
        Ok((specs, fields))
    }

    pub(super) fn timestats(&mut self, options: &[OptionArg], aggs: &[AggItem], by: &[Name]) -> R<()> {
        let mut span = None;
        let mut time_name: Option<(String, Span)> = None;
        let mut top = None;
        for o in options {
            match o.name.text.to_ascii_lowercase().as_str() {
                "span" => span = Some(span_option(o)?),
                "field" => time_name = Some((o.value.clone(), o.value_span)),
                "topcount" => top = Some((count_option(o, 1)?, true)),
                "bottomcount" => top = Some((count_option(o, 1)?, false)),
                _ => return Err(unknown_option("timestats", o, &["span", "field", "topcount", "bottomcount"])),
            }
        }
        let time = match &time_name {
            Some((n, sp)) => self.field(&Name { text: n.clone(), quoted: true, span: *sp })?,
            None => match ["Time", "Start Time"].iter().find_map(|n| self.scope.resolve(n)) {
                Some(i) => i,
                None => {
                    return Err(Diagnostic::query("timestats needs a time field")
                        .help("name one with field=, e.g. timestats field='Flow End Time' count"))
                }
            },
        };
        if self.scope.fields[time].dtype != DataType::Time {
            let sp = time_name.map_or(Span::new(0, 0), |(_, s)| s);
            return Err(Diagnostic::query(format!("'{}' is not a time field", self.scope.fields[time].name)).at(sp));
        }
        let by_cols = self.fields_of(by)?;
        let (specs, agg_fields) = self.aggs_here(aggs)?;
        if top.is_some() && by_cols.is_empty() {
            return Err(Diagnostic::query("topcount and bottomcount rank the by-values: add by <field>")
                .at(options.iter().find(|o| o.name.text.ends_with("count")).map_or(Span::new(0, 0), |o| o.name.span)));
        }
        let mut fields = vec![Field::new("Time", DataType::Time)];
        fields.extend(by_cols.iter().map(|&i| self.scope.fields[i].clone()));
        fields.extend(agg_fields);
        let nby = by_cols.len();
        self.ops.push(Op::TimeStats(TimeStatsOp { time, span, by: by_cols, aggs: specs, top }));
        self.scope = self.scope.derived(fields, FrameKind::Rows);
        let aggs_out = (1 + nby..self.scope.fields.len()).collect();
        self.timestats = Some((0, (1..1 + nby).collect(), aggs_out));
        Ok(())
    }

    pub(super) fn eventstats(&mut self, aggs: &[AggItem], by: &[Name]) -> R<()> {
        let by_cols = self.fields_of(by)?;
        let (specs, fields) = self.aggs_here(aggs)?;
        for f in fields {
            self.push_field(f)?;
        }
        self.ops.push(Op::EventStats { aggs: specs, by: by_cols });
        Ok(())
    }

    /// Add a field that must not exist yet.
    fn push_field(&mut self, f: Field) -> R<()> {
        if let Some(i) = self.scope.resolve(&f.name) {
            return Err(Diagnostic::query(format!("a field named '{}' exists already", self.scope.fields[i].name))
                .help("name the new one with as"));
        }
        self.scope.fields.push(f);
        Ok(())
    }

    pub(super) fn addfields(&mut self, s: &Stage, subs: &[SubStats]) -> R<()> {
        let FrameKind::Groups(records) = &self.scope.kind else {
            return Err(Diagnostic::query("addfields works on the groups of link").at(s.name_span).help(
                "put it after link: * | link 'Source IP' | addfields [ Action = reject | stats count as Rejected ]",
            ));
        };
        let records = (**records).clone();
        let mut out = Vec::new();
        for sub in subs {
            let filter = match &sub.filter {
                None => None,
                Some(e) => Some(Compiler { scope: &records, warnings: &mut self.warnings, search: true }.condition(e)?),
            };
            let mut specs = Vec::new();
            for a in &sub.aggs {
                let (spec, t) = self.agg(a, &records)?;
                self.push_field(super::agg_field(&spec, t, &records)).map_err(|e| e.at(a.span))?;
                specs.push(spec);
            }
            out.push((filter, specs));
        }
        self.ops.push(Op::AddFields(out));
        Ok(())
    }

    pub(super) fn top(&mut self, bottom: bool, limit: Option<&Limit>, fields: &[Name], by: &[Name]) -> R<()> {
        let cmd = if bottom { "bottom" } else { "top" };
        let n = match limit {
            None => 10,
            Some(l) if l.n == -1 => usize::MAX,
            Some(l) if l.n < 0 => {
                return Err(Diagnostic::query(format!("{cmd} needs a count of 0 or more (or -1 for all)")).at(l.span))
            }
            Some(l) => l.n as usize,
        };
        let by_cols = self.fields_of(by)?;
        let cols = self.fields_of(fields)?;
        if matches!(self.scope.kind, FrameKind::Records) {
            // The most frequent values: count each combination, largest counts first.
            let mut keys = by_cols.clone();
            keys.extend(&cols);
            let mut out: Vec<Field> = keys.iter().map(|&i| self.scope.fields[i].clone()).collect();
            out.push(Field::new("Count", DataType::Int));
            let count = AggSpec { kind: AggKind::Count, arg: None, name: "Count".into(), param: Default::default() };
            self.ops.push(Op::Stats { aggs: vec![count], by: keys.clone() });
            let nby = by_cols.len();
            let mut sort: Vec<SortSpec> = (0..nby).map(|col| SortSpec { col, descending: false }).collect();
            sort.push(SortSpec { col: keys.len(), descending: !bottom });
            self.ops.push(Op::Sort(sort));
            self.ops.push(Op::LimitPer { by: (0..nby).collect(), n });
            self.scope = self.scope.derived(out, FrameKind::Rows);
            return Ok(());
        }
        // Rows of stats or link: the rows with the largest (smallest) values.
        let mut sort: Vec<SortSpec> = by_cols.iter().map(|&col| SortSpec { col, descending: false }).collect();
        sort.extend(cols.iter().map(|&col| SortSpec { col, descending: !bottom }));
        self.ops.push(Op::Sort(sort));
        self.ops.push(Op::LimitPer { by: by_cols, n });
        Ok(())
    }

    pub(super) fn bucket(
        &mut self,
        options: &[OptionArg],
        field: &Name,
        ranges: &[BucketRange],
        others: &Option<String>,
    ) -> R<()> {
        let mut width = None;
        let mut max_buckets = 10;
        for o in options {
            match o.name.text.to_ascii_lowercase().as_str() {
                "span" => match o.value.parse::<f64>() {
                    Ok(w) if w > 0.0 && w.is_finite() => width = Some(w),
                    _ => return Err(Diagnostic::query("span needs a number above 0").at(o.value_span)),
                },
                "maxbuckets" => max_buckets = count_option(o, 1)?,
                _ => return Err(unknown_option("bucket", o, &["span", "maxbuckets"])),
            }
        }
        let col = self.field(field)?;
        let t = self.scope.fields[col].dtype;
        if !matches!(t, DataType::Int | DataType::Float | DataType::Duration | DataType::Null) {
            return Err(Diagnostic::query(format!("bucket needs a numeric field; '{}' is {}", field.text, t.name()))
                .at(field.span));
        }
        if others.is_some() && ranges.is_empty() {
            return Err(Diagnostic::query("others = ... goes with named ranges").at(field.span));
        }
        self.scope.fields[col].dtype = DataType::Str;
        self.ops.push(Op::Bucket(BucketOp {
            col,
            ranges: ranges.to_vec(),
            others: others.clone(),
            width,
            max_buckets,
        }));
        Ok(())
    }

    pub(super) fn regex(&mut self, field: &Name, patterns: &[(String, Span)], negated: bool) -> R<()> {
        let col = self.field(field)?;
        let mut any: Option<CExpr> = None;
        for (p, sp) in patterns {
            let re = compile_regex(p, *sp)?;
            let m = CExpr::Regex { expr: Box::new(CExpr::Col(col)), re, extract: false };
            any = Some(match any {
                None => m,
                Some(a) => CExpr::Or(Box::new(a), Box::new(m)),
            });
        }
        let Some(any) = any else { return Ok(()) };
        // A null value neither matches nor fails to: no form keeps it.
        let test = if negated { CExpr::Not(Box::new(any)) } else { any };
        let present = CExpr::IsNull(Box::new(CExpr::Col(col)), false);
        self.push_filter(CExpr::And(Box::new(present), Box::new(test)));
        Ok(())
    }

    pub(super) fn extract(&mut self, options: &[OptionArg], pattern: &str, pattern_span: Span) -> R<()> {
        let mut source: Option<Name> = None;
        for o in options {
            match o.name.text.to_ascii_lowercase().as_str() {
                "field" => source = Some(Name { text: o.value.clone(), quoted: true, span: o.value_span }),
                _ => return Err(unknown_option("extract", o, &["field"])),
            }
        }
        let col = match &source {
            Some(n) => self.field(n)?,
            None => match self.scope.resolve(crate::schema::ORIGINAL_LOG_CONTENT) {
                Some(i) => i,
                None => {
                    return Err(Diagnostic::query("extract needs field=<field> here").at(pattern_span).help(
                        "without field=, extract reads the records' Original Log Content, which these rows lack",
                    ))
                }
            },
        };
        let re = compile_regex(pattern, pattern_span)?;
        let names: Vec<String> = re.capture_names().flatten().map(str::to_string).collect();
        if names.is_empty() {
            return Err(Diagnostic::query("the pattern has no named group")
                .at(pattern_span)
                .help("name each part to keep: (?P<Port>\\d+)"));
        }
        let mut targets = Vec::new();
        for n in names {
            let target = match self.scope.resolve(&n) {
                Some(i) => {
                    self.scope.fields[i].dtype = DataType::Str;
                    Some(i)
                }
                None => {
                    self.scope.fields.push(Field::new(n.clone(), DataType::Str));
                    None
                }
            };
            targets.push((n, target));
        }
        self.ops.push(Op::Extract { col, re, targets });
        Ok(())
    }

    pub(super) fn delta(&mut self, options: &[OptionArg], field: &Name, alias: Option<&Name>) -> R<()> {
        let mut prev_name = None;
        let mut step = 1;
        for o in options {
            match o.name.text.to_ascii_lowercase().as_str() {
                "field" => prev_name = Some(Name { text: o.value.clone(), quoted: true, span: o.value_span }),
                "step" => step = count_option(o, 1)?,
                _ => return Err(unknown_option("delta", o, &["field", "step"])),
            }
        }
        let col = self.field(field)?;
        let prev = match &prev_name {
            Some(n) => self.field(n)?,
            None => col,
        };
        let (a, b) = (self.scope.fields[col].dtype, self.scope.fields[prev].dtype);
        use DataType::*;
        let t = match (a, b) {
            (Time, Time) => Duration,
            (Time, Int | Duration) => Time,
            (Int, Int) => Int,
            (Duration, Duration | Int) | (Int, Duration) => Duration,
            (Int | Float | Null, Int | Float | Null) => Float,
            _ => {
                return Err(Diagnostic::query(format!(
                    "delta subtracts numbers or times; '{}' is {} and '{}' is {}",
                    self.scope.fields[col].name,
                    a.name(),
                    self.scope.fields[prev].name,
                    b.name()
                ))
                .at(field.span))
            }
        };
        let name = alias.map_or_else(|| format!("delta({})", self.scope.fields[col].name), |a| a.text.clone());
        self.push_field(Field::new(name.clone(), t)).map_err(|e| e.at(alias.map_or(field.span, |a| a.span)))?;
        self.ops.push(Op::Delta { col, prev, step, name });
        Ok(())
    }

    pub(super) fn timecompare(&mut self, s: &Stage, options: &[OptionArg]) -> R<()> {
        let Some((time, by, aggs)) = self.timestats.clone() else {
            return Err(Diagnostic::query("timecompare goes right after timestats")
                .at(s.name_span)
                .help("* | timestats span=1hour count | timecompare shift=1day"));
        };
        let mut shift = None;
        let mut count = 1;
        for o in options {
            match o.name.text.to_ascii_lowercase().as_str() {
                "shift" => shift = Some((span_option(o)?, o.value.clone())),
                "count" => count = count_option(o, 1)?,
                _ => return Err(unknown_option("timecompare", o, &["shift", "count"])),
            }
        }
        let Some((shift, shift_text)) = shift else {
            return Err(Diagnostic::query("timecompare needs shift=<span>").at(s.name_span).help("e.g. shift=1day"));
        };
        let digits = shift_text.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
        let (n, unit) = (shift_text[..digits].parse::<u64>().unwrap_or(1), &shift_text[digits..]);
        let mut columns = Vec::new();
        for &a in &aggs {
            let base = self.scope.fields[a].name.clone();
            let dtype = self.scope.fields[a].dtype;
            let mut names = Vec::new();
            for k in 1..=count as u64 {
                let name = format!("{base} -{}{unit}", n * k);
                self.push_field(Field::new(name.clone(), dtype)).map_err(|e| e.at(s.span))?;
                names.push(name);
            }
            columns.push((a, names));
        }
        self.ops.push(Op::TimeCompare(TimeCompareOp { time, by: by.clone(), columns, shift, count }));
        self.timestats = Some((time, by, aggs));
        Ok(())
    }

    pub(super) fn highlight(
        &mut self,
        s: &Stage,
        groups: bool,
        options: &[OptionArg],
        condition: &Expr,
        keywords: bool,
    ) -> R<()> {
        let mut color = "yellow".to_string();
        for o in options {
            match o.name.text.to_ascii_lowercase().as_str() {
                "color" | "colour" => {
                    let c = o.value.to_ascii_lowercase();
                    if !HIGHLIGHT_COLORS.contains(&c.as_str()) {
                        let d = Diagnostic::query(format!("'{}' is not a highlight colour", o.value)).at(o.value_span);
                        return Err(match did_you_mean(&c, HIGHLIGHT_COLORS.iter().copied()) {
                            Some(s) => d.help(format!("did you mean '{s}'?")),
                            None => d.note(format!("colours: {}", HIGHLIGHT_COLORS.join(", "))),
                        });
                    }
                    color = c;
                }
                _ => return Err(unknown_option(s.kind.command(), o, &["color"])),
            }
        }
        let scope = match (&self.scope.kind, groups) {
            (FrameKind::Groups(records), true) => (**records).clone(),
            (_, true) => {
                return Err(Diagnostic::query("highlightgroups works on the groups of link")
                    .at(s.name_span)
                    .help("use highlightrows on other rows"))
            }
            _ => self.scope.clone(),
        };
        let cond = if keywords && !matches!(scope.kind, FrameKind::Records) {
            keyword_in_any_column(condition, &scope)
        } else {
            Compiler { scope: &scope, warnings: &mut self.warnings, search: true }.condition(condition)?
        };
        let target = match self.scope.resolve(HIGHLIGHT_COLUMN) {
            Some(i) => Some(i),
            None => {
                self.scope.fields.push(Field::new(HIGHLIGHT_COLUMN, DataType::Str));
                None
            }
        };
        self.ops.push(Op::Highlight { cond, color, groups, target });
        Ok(())
    }
}

/// Keywords (joined by `or`) on rows that are not records: a keyword matches a row
/// when any of its columns contains it, ignoring case.
fn keyword_in_any_column(e: &Expr, scope: &super::Scope) -> CExpr {
    match &e.kind {
        ExprKind::Binary(BinOp::Or, a, b) => {
            CExpr::Or(Box::new(keyword_in_any_column(a, scope)), Box::new(keyword_in_any_column(b, scope)))
        }
        ExprKind::Str(word) => {
            let needle = word.to_lowercase();
            (0..scope.fields.len())
                .map(|i| CExpr::Contains { expr: Box::new(CExpr::Col(i)), needle: needle.clone() })
                .reduce(|a, b| CExpr::Or(Box::new(a), Box::new(b)))
                .unwrap_or(CExpr::Lit(Value::Bool(false)))
        }
        _ => CExpr::Lit(Value::Bool(false)),
    }
}

fn compile_regex(p: &str, sp: Span) -> R<Regex> {
    Regex::new(p).map_err(|e| Diagnostic::query(format!("bad regular expression: {}", one_line(&e.to_string()))).at(sp))
}
