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
        kw_search => TokenKind::Command,
        option_name | count_bare => TokenKind::Keyword,
        sq_string | bare_word | wild_word => TokenKind::Name,
        func_name => TokenKind::Function,
        dq_string | regex_text | hex_colour => TokenKind::Text,
        number | negative_number | integer | span_word | span_lit | ip_literal | signed_number => TokenKind::Number,
        // Every other keyword rule (`and`, `by`, `select`, `correlate`, ...); a command
        // word is found by its place instead (see `walk`).
        r if format!("{r:?}").starts_with("kw_") => TokenKind::Keyword,
        _ => return None,
    })
}

fn walk(p: Pair<Rule>, out: &mut Vec<(Span, TokenKind)>) {
    let span = Span::new(p.as_span().start(), p.as_span().end());
    // The first word of a stage's command is its command word, whatever the command: the
    // registry's commands are coloured without a list here.
    if matches!(p.as_rule(), Rule::stage | Rule::leading_stage) {
        let mut inner = p.into_inner();
        if let Some(cmd) = inner.next() {
            let mut parts = cmd.into_inner();
            if let Some(word) = parts.next() {
                out.push((Span::new(word.as_span().start(), word.as_span().end()), TokenKind::Command));
            }
            for part in parts {
                walk(part, out);
            }
        }
        return;
    }
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

    #[test]
    fn every_command_word_is_coloured_as_a_command() {
        // From the registry: no command can be missed (classify once was).
        for def in crate::commands::REGISTRY {
            for (q, _) in def.examples.iter().filter(|(q, _)| q.contains(&format!("| {}", def.name))) {
                let t = tokens(q).unwrap();
                let words: Vec<&str> =
                    t.iter().filter(|(_, k)| *k == TokenKind::Command).map(|(s, _)| &q[s.start..s.end]).collect();
                assert!(words.contains(&def.name), "{q}: {words:?}");
            }
        }
        let t = tokens("* | link a | classify topcount=2 b correlate = c").unwrap();
        let q = "* | link a | classify topcount=2 b correlate = c";
        let of = |k: TokenKind| -> Vec<&str> {
            t.iter().filter(|(_, kk)| *kk == k).map(|(s, _)| &q[s.start..s.end]).collect()
        };
        assert_eq!(of(TokenKind::Command), ["link", "classify"]);
        assert_eq!(of(TokenKind::Keyword), ["topcount", "correlate"]);
    }
}
