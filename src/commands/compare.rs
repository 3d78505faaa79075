//! `compare [fields = <field>, ...] [timeshift = <offset>|auto [size = <span>] [count = <n>]
//! | timerange <time> to <time> [as <name>], ...]`: after `link`, each group's values
//! as they were over other time ranges (Oracle's `compare`, LANGUAGE.md section 10).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::{Diagnostic, Span};
use crate::plan::{CompareOp, CompareRanges, FrameKind, Op, Planner};
use crate::store::time::{self, Span as TimeSpan};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, option, quoted, span, Parts, Rule};
use crate::syntax::{Name, OptionArg, Stage};

const SIZE: OptionDef =
    OptionDef::new("size", OptionKind::Span, "the length of each comparison range (default: the current one's)");
const COUNT: OptionDef = OptionDef::new("count", OptionKind::Count, "how many shifted ranges (default 1)");

pub const DEF: CommandDef = CommandDef {
    name: "compare",
    syntax: "compare [fields = <field>, ...] [timeshift = <offset>|auto [size = <span>] [count = <n>] | timerange <time> to <time> [as <name>], ...]",
    about: "after link (or right after stats, matching rows by its by-fields): each group's fields (default: every number) as they were over other time ranges: `timeshift = -7d count = 2` the current range moved back 7 and 14 days (`auto`: back by its own length), or `timerange` ranges; the rest of the query before compare runs again over each range and its groups are matched by the link fields (a time field moved by the shift); one column per field and range, `<field> -7d` (`<field> <name>` for a named timerange, `<field> previous` for auto), null where the group is absent",
    options: &[SIZE, COUNT],
    phrases: &[
        (Rule::compare_part, "fields =, timeshift =, timerange or an option"),
        (Rule::compare_fields, "fields = <field>, ..."),
        (Rule::compare_shift, "timeshift = <offset>"),
        (Rule::shift_offset, "an offset such as -7d, or auto"),
        (Rule::compare_range, "timerange <time> to <time>"),
        (Rule::range_time, "a time such as '2020-09-13T00:00:00Z'"),
        (Rule::bare_time, "a time such as 2020-09-13"),
    ],
    examples: &[(
        "* | link 'Source IP' | stats sum('Content Size Out') as Bytes | compare fields = Bytes timerange = '2020-09-13' to '2020-09-14' as Sunday | sort -Bytes | head 3",
        "Source IP,Count,Start Time,End Time,Group Duration,Bytes,Bytes Sunday\n10.0.1.10,1,2020-09-14T13:26:40Z,2020-09-14T13:26:40Z,0,90000,\n10.0.0.5,2,2020-09-13T12:26:40Z,2020-09-13T12:27:40Z,60000,12000,12000\n198.51.100.9,2,2020-09-13T13:26:40Z,2020-09-13T13:28:20Z,100000,360,360\n",
    )],
    build,
};

/// A `timerange a to b [as name]` as written.
#[derive(Clone, Debug)]
pub struct TimeRange {
    pub from: String,
    pub to: String,
    pub span: Span,
    pub alias: Option<Name>,
}

#[derive(Clone, Debug, Default)]
pub struct Compare {
    pub options: Vec<OptionArg>,
    pub fields: Vec<Name>,
    /// `timeshift = …` as written, and where.
    pub shift: Option<(String, Span)>,
    pub ranges: Vec<TimeRange>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut out = Compare::default();
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::compare_fields => {
                for f in part.into_inner().filter(|x| x.as_rule() == Rule::field_name) {
                    out.fields.push(name(f)?);
                }
            }
            Rule::compare_shift => {
                let offset = part.clone().into_inner().find(|x| x.as_rule() == Rule::shift_offset);
                let offset = offset.ok_or_else(|| internal(&part))?;
                out.shift = Some((offset.as_str().to_string(), span(&offset)));
            }
            Rule::compare_range => {
                let sp = span(&part);
                let times: Vec<_> = part.clone().into_inner().filter(|x| x.as_rule() == Rule::range_time).collect();
                let [from, to] = times.as_slice() else { return Err(internal(&part)) };
                let alias =
                    part.clone().into_inner().find(|x| x.as_rule() == Rule::field_name).map(name).transpose()?;
                out.ranges.push(TimeRange { from: quoted(from)?, to: quoted(to)?, span: sp, alias });
            }
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

impl Args for Compare {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        // After link the groups match by the link fields; right after `stats` (as Oracle's
        // dashboards write `stats count, trend(count) | compare timeshift = auto`) the
        // rows match by its by-fields (none: the one row).
        let match_by = match (&p.scope.kind, &p.last_stats_keys) {
            (FrameKind::Groups(_), _) => p.link_keys.clone(),
            (FrameKind::Rows, Some(by)) => by.clone(),
            _ => {
                return Err(Diagnostic::query("compare works on the groups of link, or right after stats")
                    .at(s.name_span)
                    .help("* | link 'Source IP' | stats sum('Content Size Out') as Bytes | compare fields = Bytes timeshift = -1d"))
            }
        };
        let ranges = self.ranges(s)?;
        let mut keys = Vec::new();
        for k in match_by {
            let Some(i) = p.scope.resolve(&k) else {
                return Err(Diagnostic::query(format!(
                    "compare matches groups by the link fields, and '{k}' is no longer in the result"
                ))
                .at(s.name_span)
                .help("keep the link fields until compare (rename or fields after it)"));
            };
            keys.push((i, p.scope.fields[i].dtype == DataType::Time));
        }
        let columns: Vec<usize> = if self.fields.is_empty() {
            (0..p.scope.fields.len())
                .filter(|&i| p.scope.fields[i].dtype.is_numeric() && !keys.iter().any(|&(k, _)| k == i))
                .filter(|&i| !p.scope.hidden.contains(&p.scope.fields[i].name))
                .collect()
        } else {
            p.fields_of(&self.fields)?
        };
        let labels = self.labels(&ranges);
        let mut names = Vec::new();
        for label in &labels {
            let mut per_range = Vec::new();
            for &c in &columns {
                let f = &p.scope.fields[c];
                let (name, dtype) = (format!("{} {label}", f.name), f.dtype);
                p.push_field(Field::new(name.clone(), dtype)).map_err(|e| e.at(s.span))?;
                per_range.push(name);
            }
            names.push(per_range);
        }
        let prefix = p.ops.clone();
        p.ops.push(Op::Compare(CompareOp { prefix, keys, columns, ranges, names }));
        Ok(())
    }
}

impl Compare {
    fn ranges(&self, s: &Stage) -> R<CompareRanges> {
        let size = options::find(&self.options, &SIZE);
        let count = options::find(&self.options, &COUNT);
        match (&self.shift, self.ranges.is_empty()) {
            (Some((_, at)), false) => Err(Diagnostic::query("compare takes timeshift or timerange, not both").at(*at)),
            (None, false) => {
                if let Some(o) = size.or(count) {
                    return Err(Diagnostic::query(format!("{} goes with timeshift, not timerange", o.name.text))
                        .at(o.name.span));
                }
                let mut out = Vec::new();
                for r in &self.ranges {
                    let at = |t: &str| {
                        time::parse(t).ok_or_else(|| {
                            Diagnostic::query(format!("'{t}' is not a time"))
                                .at(r.span)
                                .help("write '2020-09-13T00:00:00Z' or '2020-09-13 08:00'")
                        })
                    };
                    let (a, b) = (at(&r.from)?, at(&r.to)?);
                    if a >= b {
                        return Err(
                            Diagnostic::query(format!("the time range {} to {} is empty", r.from, r.to)).at(r.span)
                        );
                    }
                    out.push((a, b));
                }
                Ok(CompareRanges::Fixed(out))
            }
            (shift, true) => {
                let offset = match shift {
                    None => None,
                    Some((text, _)) if text.eq_ignore_ascii_case("auto") => None,
                    Some((text, at)) => Some(parse_offset(text).ok_or_else(|| {
                        Diagnostic::query(format!("timeshift = {text}: not an offset"))
                            .at(*at)
                            .help("write a signed span such as -7d or -1hour, or auto")
                    })?),
                };
                let size = size.map(options::span).transpose()?;
                let count = count.map(|o| options::count(o, 1)).transpose()?.unwrap_or(1);
                if count > MAX_RANGES {
                    return Err(
                        Diagnostic::query(format!("compare count = {count}: at most {MAX_RANGES} ranges")).at(s.span)
                    );
                }
                Ok(CompareRanges::Shift { offset, size, count })
            }
        }
    }

    /// The suffix of each range's columns.
    fn labels(&self, ranges: &CompareRanges) -> Vec<String> {
        match ranges {
            CompareRanges::Fixed(_) => self
                .ranges
                .iter()
                .map(|r| r.alias.as_ref().map_or_else(|| format!("{} to {}", r.from, r.to), |a| a.text.clone()))
                .collect(),
            CompareRanges::Shift { offset: None, count, .. } => {
                (1..=*count).map(|k| if k == 1 { "previous".to_string() } else { format!("previous {k}") }).collect()
            }
            CompareRanges::Shift { offset: Some(_), count, .. } => {
                let text = self.shift.as_ref().map_or("", |(t, _)| t.as_str());
                let unsigned = text.trim_start_matches(['+', '-']);
                let sign = if text.starts_with('+') { "+" } else { "-" };
                let digits = unsigned.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
                let (n, unit) = (unsigned[..digits].parse::<u64>().unwrap_or(1), &unsigned[digits..]);
                (1..=*count as u64).map(|k| format!("{sign}{}{unit}", n.saturating_mul(k))).collect()
            }
        }
    }
}

/// The most comparison ranges one compare runs (each re-runs the query before it).
const MAX_RANGES: usize = 100;

/// `-7d`, `+1hour`, `2h` (a shift without a sign goes back, as Oracle's examples mean).
pub(super) fn parse_offset(text: &str) -> Option<(TimeSpan, i64)> {
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => (-1, text),
    };
    TimeSpan::parse(rest).map(|s| (s, sign))
}

crate::commands::examples_test!(DEF);
