//! pest's "expected …" errors, said in words.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::Rule;
use crate::diag::{Diagnostic, Span};

/// What a user would call each rule. Exhaustive on purpose: a new rule must get a
/// phrase, or the compiler says so.
fn phrase(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "end of query",
        Rule::query | Rule::search_clause | Rule::search_or | Rule::search_and => "a search clause",
        Rule::star_all => "*",
        Rule::stage => "|",
        Rule::where_cmd
        | Rule::eval_cmd
        | Rule::stats_cmd
        | Rule::link_cmd
        | Rule::sort_cmd
        | Rule::head_cmd
        | Rule::tail_cmd
        | Rule::fields_cmd
        | Rule::rename_cmd
        | Rule::timestats_cmd
        | Rule::eventstats_cmd
        | Rule::addfields_cmd
        | Rule::top_cmd
        | Rule::distinct_cmd
        | Rule::dedup_cmd
        | Rule::bucket_cmd
        | Rule::regex_cmd
        | Rule::extract_cmd
        | Rule::delta_cmd
        | Rule::timecompare_cmd
        | Rule::highlight_cmd
        | Rule::search_cmd
        | Rule::lookup_cmd
        | Rule::searchlookup_cmd
        | Rule::classify_cmd
        | Rule::other_cmd => "a command",
        Rule::classify_correlate => "correlate = <field>, ...",
        Rule::kw_classify => "classify",
        Rule::kw_correlate => "correlate",
        Rule::lookup_select => "a table column to select",
        Rule::lookup_using => "a field to match (field = column)",
        Rule::kw_lookup => "lookup",
        Rule::kw_searchlookup => "searchlookup",
        Rule::kw_select => "select",
        Rule::kw_using => "using",
        Rule::sub_stats => "[ condition | stats ... ]",
        Rule::bucket_range | Rule::bucket_item => "a range (label = low - high)",
        Rule::bucket_others => "others = label",
        Rule::bucket_label | Rule::highlight_word => "a word or quoted text",
        Rule::signed_number => "a number",
        Rule::regex_cmp => "= or != and a quoted regular expression",
        Rule::regex_in => "in (...)",
        Rule::regex_text => "a quoted regular expression",
        Rule::highlight_cond => "[ condition ]",
        Rule::highlight_words => "keywords",
        Rule::assignment => "an assignment (field = expression)",
        Rule::agg_item | Rule::agg_call | Rule::count_bare => "an aggregate such as count or sum(field)",
        Rule::by_clause | Rule::kw_by => "by",
        Rule::option => "an option (name=value)",
        Rule::option_name => "an option name",
        Rule::option_value | Rule::span_lit => "an option value",
        Rule::sort_key => "a field to sort by",
        Rule::sign => "+ or -",
        Rule::limit | Rule::integer => "a whole number",
        Rule::fields_item | Rule::field_pattern | Rule::wild_word => "a field name or pattern",
        Rule::rename_item => "a rename (field as name)",
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
        Rule::like_clause | Rule::kw_like => "like",
        Rule::in_clause | Rule::kw_in => "in",
        Rule::between_clause | Rule::kw_between => "between",
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
        Rule::kw_search => "search",
        Rule::kw_where => "where",
        Rule::kw_eval => "eval",
        Rule::kw_stats => "stats",
        Rule::kw_link => "link",
        Rule::kw_sort => "sort",
        Rule::kw_head => "head",
        Rule::kw_tail => "tail",
        Rule::kw_fields => "fields",
        Rule::kw_rename => "rename",
        Rule::kw_limit => "limit=",
        Rule::kw_timestats => "timestats",
        Rule::kw_eventstats => "eventstats",
        Rule::kw_addfields => "addfields",
        Rule::kw_top => "top",
        Rule::kw_bottom => "bottom",
        Rule::kw_distinct => "distinct",
        Rule::kw_dedup => "dedup",
        Rule::kw_bucket => "bucket",
        Rule::kw_regex => "regex",
        Rule::kw_extract => "extract",
        Rule::kw_delta => "delta",
        Rule::kw_timecompare => "timecompare",
        Rule::kw_highlightrows => "highlightrows",
        Rule::kw_highlightgroups => "highlightgroups",
        Rule::kw_and => "and",
        Rule::kw_or => "or",
        Rule::kw_not => "not",
        Rule::kw_as => "as",
        Rule::kw_true | Rule::kw_false => "true or false",
        Rule::kw_null => "null",
        Rule::command | Rule::known_command => "a command",
        Rule::primary | Rule::literal => "a value",
        Rule::name => "a name",
        Rule::bare_char => "a name character",
        Rule::reserved => "a keyword",
        Rule::WHITESPACE | Rule::COMMENT => return None,
    })
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
