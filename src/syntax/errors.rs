//! pest's "expected …" errors, said in words.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::Rule;
use crate::diag::{Diagnostic, Span};

/// What a user would call each rule: the core rules here, a command's own rules in its
/// file ([`crate::commands::CommandDef::phrases`]), a command rule "a command", and a
/// keyword rule its word.
fn phrase(rule: Rule) -> Option<&'static str> {
    if let Some(p) = core_phrase(rule) {
        return p;
    }
    let commands = crate::commands::REGISTRY.iter();
    if let Some(p) = commands.flat_map(|c| c.phrases.iter()).find(|(r, _)| *r == rule).map(|(_, p)| *p) {
        return Some(p);
    }
    let name = format!("{rule:?}");
    if name.ends_with("_cmd") {
        return Some("a command");
    }
    // A keyword rule is its word: `kw_correlate` is "correlate".
    crate::commands::names().chain(super::KEYWORDS.iter().copied()).find(|w| name.strip_prefix("kw_") == Some(*w))
}

/// The core grammar's rules (`None` inside: no phrase, such as for white space).
fn core_phrase(rule: Rule) -> Option<Option<&'static str>> {
    Some(Some(match rule {
        Rule::EOI => "end of query",
        Rule::query | Rule::search_clause | Rule::search_or | Rule::search_and => "a search clause",
        Rule::star_all => "*",
        Rule::stage => "|",
        Rule::leading_stage | Rule::sub_leading => "a command",
        Rule::subquery => "[ <query> ]",
        Rule::other_tail | Rule::other_brackets => "the rest of the command",
        Rule::sub_stats => "[ condition | stats ... ]",
        Rule::sub_where => "where <condition>",
        Rule::signed_number => "a number",
        Rule::regex_text => "a quoted regular expression",
        Rule::paren_list => "a parenthesised list",
        Rule::concat_op => "||",
        Rule::add_op => "+ or -",
        Rule::mul_op => "* / or %",
        Rule::neg => "-",
        Rule::call => "a function call",
        Rule::ip_literal => "an IP address",
        Rule::number => "a number",
        Rule::span_word => "a time span such as 5min",
        Rule::field_name => "a field name",
        Rule::sq_string => "a quoted name ('...')",
        Rule::sq_inner | Rule::dq_inner => "text",
        Rule::dq_string => "a string (\"...\")",
        Rule::bare_word => "a name",
        Rule::func_name => "a name",
        Rule::kw_true | Rule::kw_false => "true or false",
        Rule::kw_limit => "limit=",
        Rule::command | Rule::known_command => "a command",
        Rule::primary | Rule::literal => "a value",
        Rule::name => "a name",
        Rule::bare_char => "a name character",
        Rule::reserved => "a keyword",
        Rule::by_clause => "by",
        Rule::agg_item | Rule::agg_call | Rule::count_bare => "an aggregate such as count or sum(field)",
        Rule::option => "an option (name=value)",
        Rule::option_name => "an option name",
        Rule::option_value | Rule::span_lit => "an option value",
        Rule::hex_colour => "a colour (#RRGGBB)",
        Rule::negative_number => "a number",
        Rule::sign => "+ or -",
        Rule::limit | Rule::integer => "a whole number",
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::concat_expr
        | Rule::add_expr
        | Rule::mul_expr
        | Rule::unary
        | Rule::paren => "an expression",
        Rule::cmp_rel | Rule::cmp_op => "a comparison (= != < > <= >=)",
        Rule::like_clause => "like",
        Rule::in_clause => "in",
        Rule::between_clause => "between",
        Rule::open_bound => "* (an open end)",
        Rule::between_bound => "a bound or *",
        Rule::search_term => "a search term or [ <query> ]",
        Rule::WHITESPACE | Rule::COMMENT => return Some(None),
        _ => return None,
    }))
}

/// Turn a pest error into a diagnostic: what was found, what was expected, where.
pub fn from_pest(e: Error<Rule>, text: &str) -> Diagnostic {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let found = found_at(text, pos);
    let mut expected: Vec<&str> = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.iter().filter_map(|r| phrase(*r)).collect(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort_unstable();
    expected.dedup();
    // "a command" says it: the command words themselves would only make the list long.
    if expected.contains(&"a command") {
        expected.retain(|e| crate::commands::find(e).is_none());
    }
    let end = (pos + found.len().max(1)).min(text.len().max(pos + 1));
    let mut d = Diagnostic::query(format!("unexpected {}", describe(&found))).at(Span::new(pos, end));
    if !expected.is_empty() {
        d = d.label(format!("expected {}", join_or(&expected)));
    }
    if found.starts_with('\'') || found.starts_with('"') {
        d = d.help("a quote is not closed");
    }
    if text[..pos.min(text.len())].trim_end().ends_with('|') && found.is_empty() {
        d = d.help("a | must be followed by a command");
    }
    d
}

/// The token at `pos`: a word, a quoted string, or one character.
fn found_at(text: &str, pos: usize) -> String {
    let rest = text.get(pos..).unwrap_or("");
    let mut chars = rest.chars();
    match chars.next() {
        None => String::new(),
        Some(q @ ('\'' | '"')) => {
            let close = rest[1..].find(q).map_or(rest.len(), |i| i + 2);
            rest[..close].lines().next().unwrap_or("").to_string()
        }
        Some(c) if c.is_alphanumeric() || c == '_' => {
            rest.chars().take_while(|c| c.is_alphanumeric() || "_.-:/".contains(*c)).collect()
        }
        Some(c) => c.to_string(),
    }
}

fn describe(found: &str) -> String {
    if found.is_empty() {
        "end of query".to_string()
    } else {
        format!("'{found}'")
    }
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_words() {
        // Every rule of the grammar, core or a command's, is said in words (or, for
        // white space and comments, is never named).
        for &rule in Rule::all_rules() {
            let silent = matches!(rule, Rule::WHITESPACE | Rule::COMMENT);
            assert_eq!(phrase(rule).is_some(), !silent, "{rule:?} has no phrase");
        }
    }
}
