//! What a command's file needs to build its arguments from the grammar's pairs: the
//! pairs of its stage ([`Parts`]) and readers of the pieces commands share (names,
//! options, aggregates, limits, quoted text, conditions). With `build.rs`, the only
//! place outside `syntax/` that sees pest's types is a command's `build` function.

pub use pest::iterators::{Pair, Pairs};

use super::ast::*;
pub use super::build::{agg_item, expr, fold_or, inner_text, internal, name, next, span, subquery, unescape};
pub use super::Rule;
use crate::diag::Diagnostic;

type R<T> = Result<T, Diagnostic>;

/// One stage as pest matched it: the command's rule, its command word, and the pairs
/// after the word.
pub struct Parts<'i> {
    pub cmd: Pair<'i, Rule>,
    pub word: Pair<'i, Rule>,
    pub rest: Pairs<'i, Rule>,
}

impl<'i> Parts<'i> {
    /// The next pair, which the grammar guarantees.
    pub fn arg(&mut self) -> R<Pair<'i, Rule>> {
        self.rest.next().ok_or_else(|| internal(&self.cmd))
    }

    /// A grammar invariant did not hold: a bug in flowq, reported rather than panicking.
    pub fn internal(&self) -> Diagnostic {
        internal(&self.cmd)
    }
}

/// Aggregates, options and a by-clause, in any of the stats-like commands.
#[derive(Default)]
pub struct StatsParts {
    pub options: Vec<OptionArg>,
    pub aggs: Vec<AggItem>,
    pub by: Vec<Name>,
}

pub fn stats_parts(parts: Pairs<Rule>) -> R<StatsParts> {
    stats_parts_with(parts, |_| Ok(false))
}

/// [`stats_parts`], with `own` taking the pairs of a command's own rules first (it says
/// whether it took the pair).
pub fn stats_parts_with(parts: Pairs<Rule>, mut own: impl FnMut(&Pair<Rule>) -> R<bool>) -> R<StatsParts> {
    let mut out = StatsParts::default();
    for part in parts {
        if own(&part)? {
            continue;
        }
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

/// `name=value` options and then field names (`link`, `dedup`).
pub fn options_and_fields(parts: Pairs<Rule>) -> R<(Vec<OptionArg>, Vec<Name>)> {
    let (mut options, mut fields) = (Vec::new(), Vec::new());
    for part in parts {
        match part.as_rule() {
            Rule::option => options.push(option(part)?),
            Rule::field_name => fields.push(name(part)?),
            _ => return Err(internal(&part)),
        }
    }
    Ok((options, fields))
}

/// `<name> [as|= <name>]` (lookup's select and using, sequence's select).
pub fn name_pair(p: Pair<Rule>) -> R<(Name, Option<Name>)> {
    let at = p.clone();
    let mut names = p.into_inner().filter(|x| x.as_rule() == Rule::field_name).map(name);
    let first = names.next().ok_or_else(|| internal(&at))??;
    Ok((first, names.next().transpose()?))
}

/// The text of a quoted regex or label.
pub fn quoted(p: &Pair<Rule>) -> R<String> {
    let inner = next(&mut p.clone().into_inner(), p)?;
    Ok(match inner.as_rule() {
        Rule::sq_string => unescape(inner_text(&inner), '\''),
        Rule::dq_string => unescape(inner_text(&inner), '"'),
        _ => inner.as_str().to_string(),
    })
}

/// `*` (None) or a condition in the search clause's syntax.
pub fn search_condition(p: Pair<Rule>) -> R<Option<Expr>> {
    match p.as_rule() {
        Rule::star_all => Ok(None),
        Rule::search_or => Ok(Some(fold_or(p)?)),
        _ => Err(internal(&p)),
    }
}

pub fn names_after_keyword(p: Pair<Rule>) -> R<Vec<Name>> {
    p.into_inner().filter(|x| x.as_rule() == Rule::field_name).map(name).collect()
}

pub fn option(p: Pair<Rule>) -> R<OptionArg> {
    let mut it = p.clone().into_inner();
    let n = next(&mut it, &p)?;
    let v = next(&mut it, &p)?;
    let value_span = span(&v);
    let inner = next(&mut v.clone().into_inner(), &v)?;
    let value = match inner.as_rule() {
        Rule::sq_string => unescape(inner_text(&inner), '\''),
        Rule::dq_string => unescape(inner_text(&inner), '"'),
        _ => inner.as_str().to_string(),
    };
    Ok(OptionArg { name: Name { text: n.as_str().to_string(), quoted: false, span: span(&n) }, value, value_span })
}

pub fn limit(p: Pair<Rule>) -> R<Limit> {
    let sp = span(&p);
    let int = p
        .into_inner()
        .find(|x| x.as_rule() == Rule::integer)
        .ok_or_else(|| Diagnostic::query("expected a number").at(sp))?;
    let n = int.as_str().parse::<i64>().map_err(|_| Diagnostic::query("the limit is too large").at(span(&int)))?;
    Ok(Limit { n, span: span(&int) })
}
