//! pest pairs → AST for the commands beyond the core ones of `build.rs`: timestats,
//! eventstats, addfields, top/bottom, distinct, dedup, bucket, regex, extract, delta,
//! timecompare, highlightrows/highlightgroups and search.

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::build::{
    agg_item, fold_or, inner_text, internal, limit, name, names_after_keyword, next, option, span, unescape,
};
use super::Rule;
use crate::diag::Diagnostic;

type R<T> = Result<T, Diagnostic>;

/// Aggregates, options and a by-clause, in any of the stats-like commands.
#[derive(Default)]
struct StatsParts {
    options: Vec<OptionArg>,
    aggs: Vec<AggItem>,
    by: Vec<Name>,
}

fn stats_parts(parts: Pairs<Rule>) -> R<StatsParts> {
    let mut out = StatsParts::default();
    for part in parts {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::agg_item => out.aggs.push(agg_item(part)?),
            Rule::by_clause => out.by = names_after_keyword(part)?,
            Rule::kw_stats => {}
            _ => return Err(internal(&part)),
        }
    }
    Ok(out)
}

/// The text of a quoted regex or label.
fn quoted(p: &Pair<Rule>) -> R<String> {
    let inner = next(&mut p.clone().into_inner(), p)?;
    Ok(match inner.as_rule() {
        Rule::sq_string => unescape(inner_text(&inner), '\''),
        Rule::dq_string => unescape(inner_text(&inner), '"'),
        _ => inner.as_str().to_string(),
    })
}

/// `*` (None) or a condition in the search clause's syntax.
fn search_condition(p: Pair<Rule>) -> R<Option<Expr>> {
    match p.as_rule() {
        Rule::star_all => Ok(None),
        Rule::search_or => Ok(Some(fold_or(p)?)),
        _ => Err(internal(&p)),
    }
}

pub fn stage_kind(cmd: &Pair<Rule>, word: &Pair<Rule>, mut it: Pairs<Rule>) -> R<StageKind> {
    Ok(match cmd.as_rule() {
        Rule::timestats_cmd => {
            let p = stats_parts(it)?;
            StageKind::TimeStats { options: p.options, aggs: p.aggs, by: p.by }
        }
        Rule::eventstats_cmd => {
            let p = stats_parts(it)?;
            StageKind::EventStats { aggs: p.aggs, by: p.by }
        }
        Rule::addfields_cmd => StageKind::AddFields(it.map(sub_stats).collect::<R<_>>()?),
        Rule::top_cmd => {
            let mut l = None;
            let mut fields = Vec::new();
            let mut by = Vec::new();
            for part in it {
                match part.as_rule() {
                    Rule::limit => l = Some(limit(part)?),
                    Rule::field_name => fields.push(name(part)?),
                    Rule::by_clause => by = names_after_keyword(part)?,
                    _ => return Err(internal(&part)),
                }
            }
            StageKind::Top { bottom: word.as_rule() == Rule::kw_bottom, limit: l, fields, by }
        }
        Rule::distinct_cmd => StageKind::Distinct(it.map(name).collect::<R<_>>()?),
        Rule::dedup_cmd => StageKind::Dedup(it.map(name).collect::<R<_>>()?),
        Rule::bucket_cmd => bucket(it, cmd)?,
        Rule::regex_cmd => {
            let field = name(next(&mut it, cmd)?)?;
            let test = next(&mut it, cmd)?;
            let negated = match test.as_rule() {
                Rule::regex_cmp => test.as_str().trim_start().starts_with("!="),
                _ => test.clone().into_inner().any(|x| x.as_rule() == Rule::kw_not),
            };
            let patterns = test
                .into_inner()
                .filter(|x| x.as_rule() == Rule::regex_text)
                .map(|x| Ok((quoted(&x)?, span(&x))))
                .collect::<R<_>>()?;
            StageKind::Regex { field, patterns, negated }
        }
        Rule::extract_cmd => {
            let mut options = Vec::new();
            let mut pattern = None;
            for part in it {
                match part.as_rule() {
                    Rule::option => options.push(option(part)?),
                    Rule::regex_text => pattern = Some((quoted(&part)?, span(&part))),
                    _ => return Err(internal(&part)),
                }
            }
            let (pattern, pattern_span) = pattern.ok_or_else(|| internal(cmd))?;
            StageKind::Extract { options, pattern, pattern_span }
        }
        Rule::delta_cmd => {
            let mut options = Vec::new();
            let mut names = Vec::new();
            for part in it {
                match part.as_rule() {
                    Rule::option => options.push(option(part)?),
                    Rule::field_name => names.push(name(part)?),
                    Rule::kw_as => {}
                    _ => return Err(internal(&part)),
                }
            }
            let mut names = names.into_iter();
            let field = names.next().ok_or_else(|| internal(cmd))?;
            StageKind::Delta { options, field, alias: names.next() }
        }
        Rule::timecompare_cmd => StageKind::TimeCompare(it.map(option).collect::<R<_>>()?),
        Rule::highlight_cmd => highlight(it, word)?,
        Rule::search_cmd => StageKind::Search(search_condition(next(&mut it, cmd)?)?),
        Rule::lookup_cmd => {
            let mut options = Vec::new();
            let mut select = Vec::new();
            let mut using = Vec::new();
            for part in it {
                let pair = |p: Pair<Rule>| -> R<(Name, Option<Name>)> {
                    let mut names = p.into_inner().filter(|x| x.as_rule() == Rule::field_name).map(name);
                    let first = names.next().ok_or_else(|| internal(cmd))??;
                    Ok((first, names.next().transpose()?))
                };
                match part.as_rule() {
                    Rule::option => options.push(option(part)?),
                    Rule::lookup_select => select.push(pair(part)?),
                    Rule::lookup_using => using.push(pair(part)?),
                    Rule::kw_select | Rule::kw_using => {}
                    _ => return Err(internal(&part)),
                }
            }
            StageKind::Lookup { options, select, using }
        }
        Rule::searchlookup_cmd => StageKind::SearchLookup(it.map(option).collect::<R<_>>()?),
        Rule::classify_cmd => {
            let mut options = Vec::new();
            let mut fields = Vec::new();
            let mut correlate = Vec::new();
            let mut alias = None;
            let mut after_as = false;
            for part in it {
                match part.as_rule() {
                    Rule::option => options.push(option(part)?),
                    Rule::classify_correlate => correlate = names_after_keyword(part)?,
                    Rule::kw_as => after_as = true,
                    Rule::field_name if after_as => alias = Some(name(part)?),
                    Rule::field_name => fields.push(name(part)?),
                    _ => return Err(internal(&part)),
                }
            }
            StageKind::Classify { options, fields, correlate, alias }
        }
        _ => return Err(internal(cmd)),
    })
}

fn sub_stats(p: Pair<Rule>) -> R<SubStats> {
    let sp = span(&p);
    let mut it = p.clone().into_inner();
    let filter = search_condition(next(&mut it, &p)?)?;
    let parts = stats_parts(it)?;
    Ok(SubStats { filter, aggs: parts.aggs, span: sp })
}

fn bucket(it: Pairs<Rule>, cmd: &Pair<Rule>) -> R<StageKind> {
    let mut options = Vec::new();
    let mut field = None;
    let mut ranges = Vec::new();
    let mut others = None;
    for part in it {
        match part.as_rule() {
            Rule::option => options.push(option(part)?),
            Rule::field_name => field = Some(name(part)?),
            Rule::bucket_range => {
                let sp = span(&part);
                let mut r = part.clone().into_inner();
                let label = quoted(&next(&mut r, &part)?)?;
                let mut bound = || -> R<f64> {
                    let b = next(&mut r, &part)?;
                    b.as_str().parse().map_err(|_| Diagnostic::query("expected a number").at(span(&b)))
                };
                let (low, high) = (bound()?, bound()?);
                if low > high {
                    return Err(Diagnostic::query(format!("the range of '{label}' ends before it starts")).at(sp));
                }
                ranges.push(BucketRange { label, low, high, span: sp });
            }
            Rule::bucket_others => others = Some(quoted(&next(&mut part.clone().into_inner(), &part)?)?),
            _ => return Err(internal(&part)),
        }
    }
    Ok(StageKind::Bucket { options, field: field.ok_or_else(|| internal(cmd))?, ranges, others })
}

fn highlight(it: Pairs<Rule>, word: &Pair<Rule>) -> R<StageKind> {
    let groups = word.as_rule() == Rule::kw_highlightgroups;
    let mut options = Vec::new();
    let mut condition = None;
    let mut keywords = false;
    for part in it {
        match part.as_rule() {
            Rule::option => options.push(option(part)?),
            Rule::highlight_cond => {
                condition = Some(fold_or(next(&mut part.clone().into_inner(), &part)?)?);
            }
            Rule::highlight_words => {
                keywords = true;
                // Any keyword may match: join them with `or`.
                for w in part.into_inner() {
                    let sp = span(&w);
                    let e = Expr { kind: ExprKind::Str(quoted(&w)?), span: sp };
                    condition = Some(match condition.take() {
                        None => e,
                        Some(l) => {
                            let all = l.span.to(sp);
                            Expr { kind: ExprKind::Binary(BinOp::Or, Box::new(l), Box::new(e)), span: all }
                        }
                    });
                }
            }
            _ => return Err(internal(&part)),
        }
    }
    let condition = condition.ok_or_else(|| internal(word))?;
    Ok(StageKind::Highlight { groups, options, condition, keywords })
}
