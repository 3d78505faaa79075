//! Query text in classified pieces, from the real grammar: what the REPL colours.

use pest::iterators::Pair;
use pest::Parser as _;

use super::{QueryParser, Rule};
use crate::diag::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A command word (`stats`, `where`, the search clause's `search`).
    Command,
    /// `and`, `or`, `by`, `as`, option names, `true`, `null`, ...
    Keyword,
    /// A name in a position that holds a field, or a name in an expression.
    Name,
    Function,
    /// `"text"`.
    Text,
    Number,
}

fn kind(p: &Pair<Rule>) -> Option<TokenKind> {
    use Rule::*;
    Some(match p.as_rule() {
        kw_search | kw_where | kw_eval | kw_stats | kw_link | kw_sort | kw_head | kw_tail | kw_fields | kw_rename
        | kw_timestats | kw_eventstats | kw_addfields | kw_top | kw_bottom | kw_distinct | kw_dedup | kw_bucket
        | kw_regex | kw_extract | kw_delta | kw_timecompare | kw_highlightrows | kw_highlightgroups | kw_lookup
        | kw_searchlookup => TokenKind::Command,
        kw_and | kw_or | kw_not | kw_in | kw_like | kw_between | kw_as | kw_by | kw_limit | kw_true | kw_false
        | kw_null | kw_select | kw_using | option_name | count_bare => TokenKind::Keyword,
        sq_string | bare_word | wild_word => TokenKind::Name,
        func_name => TokenKind::Function,
        dq_string | regex_text => TokenKind::Text,
        number | integer | span_word | span_lit | ip_literal | signed_number => TokenKind::Number,
        _ => return None,
    })
}

fn walk(p: Pair<Rule>, out: &mut Vec<(Span, TokenKind)>) {
    let span = Span::new(p.as_span().start(), p.as_span().end());
    // A classified rule is one token, whatever it holds.
    if let Some(k) = kind(&p) {
        out.push((span, k));
        return;
    }
    for inner in p.into_inner() {
        walk(inner, out);
    }
}

/// The classified tokens of `text`, in order; `Err(offset)` where it stops parsing.
pub fn tokens(text: &str) -> Result<Vec<(Span, TokenKind)>, usize> {
    match QueryParser::parse(Rule::query, text) {
        Ok(pairs) => {
            let mut out = Vec::new();
            for p in pairs {
                walk(p, &mut out);
            }
            Ok(out)
        }
        Err(e) => Err(match e.location {
            pest::error::InputLocation::Pos(p) => p,
            pest::error::InputLocation::Span((s, _)) => s,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_pieces() {
        let q = "Action = reject | stats sum('Content Size Out') as B by Action | eval t = \"x\" || 22";
        let t = tokens(q).unwrap();
        let text = |k: TokenKind| -> Vec<&str> {
            t.iter().filter(|(_, kk)| *kk == k).map(|(s, _)| &q[s.start..s.end]).collect()
        };
        assert_eq!(text(TokenKind::Command), ["stats", "eval"]);
        assert_eq!(text(TokenKind::Function), ["sum"]);
        assert_eq!(text(TokenKind::Keyword), ["as", "by"]);
        assert_eq!(text(TokenKind::Name), ["Action", "reject", "'Content Size Out'", "B", "Action", "t"]);
        assert_eq!(text(TokenKind::Text), ["\"x\""]);
        assert_eq!(text(TokenKind::Number), ["22"]);
        assert_eq!(tokens("* | stats count by"), Err(18));
    }
}
