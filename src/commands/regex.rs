//! `regex <field> = '<re>' | != '<re>' | [not] in ('<re>', ...)`: keep rows whose
//! whole value matches.

use super::{Args, CommandDef, R};
use crate::diag::{Diagnostic, Span};
use crate::plan::expr::one_line;
use crate::plan::{CExpr, Planner};
use crate::syntax::parts::{name, quoted, span, Parts, Rule};
use crate::syntax::{Name, Stage};

pub const DEF: CommandDef = CommandDef {
    name: "regex",
    syntax: "regex <field> = '<re>' | != '<re>' | [not] in ('<re>', ...)",
    about: "keep rows whose whole value matches (as Oracle: 'slc07ptt?' keeps slc07ptt, not slc07ptt:8452; case-sensitive unless (?i)); null values are never kept",
    options: &[],
    phrases: &[(Rule::regex_cmp, "= or != and a quoted regular expression"), (Rule::regex_in, "in (...)")],
    examples: &[("* | regex 'Source IP' = '10\\.0\\.0\\..*' | stats count", "Count\n2\n")],
    build,
};

#[derive(Clone, Debug)]
pub struct RegexFilter {
    pub field: Name,
    pub patterns: Vec<(String, Span)>,
    pub negated: bool,
}

fn build(mut p: Parts<'_>) -> R<Box<dyn Args>> {
    let field = name(p.arg()?)?;
    let test = p.arg()?;
    let negated = match test.as_rule() {
        Rule::regex_cmp => test.as_str().trim_start().starts_with("!="),
        _ => test.clone().into_inner().any(|x| x.as_rule() == Rule::kw_not),
    };
    let patterns = test
        .into_inner()
        .filter(|x| x.as_rule() == Rule::regex_text)
        .map(|x| Ok((quoted(&x)?, span(&x))))
        .collect::<R<_>>()?;
    Ok(Box::new(RegexFilter { field, patterns, negated }))
}

/// A regular expression of the query, or an error at its text.
pub(super) fn compile(p: &str, sp: Span) -> R<regex::Regex> {
    crate::funcs::text::new_regex(p)
        .map_err(|e| Diagnostic::query(format!("bad regular expression: {}", one_line(&e.to_string()))).at(sp))
}

impl Args for RegexFilter {
    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let col = p.field(&self.field)?;
        let mut any: Option<CExpr> = None;
        for (pattern, sp) in &self.patterns {
            compile(pattern, *sp)?;
            // The whole value must match, as Oracle's page shows: `regex entity =
            // 'slc07ptt?'` keeps slc07ptt but not slc07ptt:8452.
            let re = compile(&format!("^(?:{pattern})$"), *sp)?;
            let m = CExpr::Regex { expr: Box::new(CExpr::Col(col)), re, extract: false };
            any = Some(match any {
                None => m,
                Some(a) => CExpr::Or(Box::new(a), Box::new(m)),
            });
        }
        let Some(any) = any else { return Ok(()) };
        // A null value neither matches nor fails to: no form keeps it.
        let test = if self.negated { CExpr::Not(Box::new(any)) } else { any };
        let present = CExpr::IsNull(Box::new(CExpr::Col(col)), false);
        p.push_filter(CExpr::And(Box::new(present), Box::new(test)));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
