//! Query text → AST. The only module that knows pest: [`parse`] returns our own
//! [`ast::Query`] or a [`Diagnostic`] that says, in words, what was expected where.

pub mod ast;
mod build;
mod errors;
pub mod lex;
pub mod parts;
pub mod tokens;

use pest::Parser as _;

use crate::diag::Diagnostic;
pub use ast::*;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/flowq.pest"]
struct QueryParser;

/// The keywords of the language that are not commands, each a `kw_<word>` rule of the
/// grammar (a test checks the two agree). Completion offers them; parse errors name them.
pub const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "like",
    "between",
    "as",
    "by",
    "select",
    "then",
    "using",
    "correlate",
    "timeshift",
    "timerange",
    "to",
    "limit",
    "true",
    "false",
    "null",
];

/// Parse a query.
pub fn parse(text: &str) -> Result<Query, Diagnostic> {
    if !lex::has_code(text) {
        return Err(Diagnostic::query("empty query")
            .at(Span::new(0, text.len()))
            .help("write * to match all records, then add commands: * | stats count by Action"));
    }
    check_depth(text)?;
    let mut pairs = QueryParser::parse(Rule::query, text).map_err(|e| errors::from_pest(e, text))?;
    let query = pairs.next().ok_or_else(|| Diagnostic::query("empty query"))?;
    build::query(query, text)
}

/// Parentheses nested deeper than this are refused before parsing: the parser and the
/// planner recurse once per level, and a runaway query must not exhaust the stack.
const MAX_DEPTH: usize = 128;

/// Brackets counted in code only (the lexer's view of quotes and comments is the grammar's,
/// so no quoted `\'` can hide brackets from this count).
fn check_depth(text: &str) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    for (i, c) in lex::code_only(text).bytes().enumerate() {
        match c {
            b'(' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Diagnostic::query(format!("expressions are nested more than {MAX_DEPTH} deep"))
                        .at(crate::diag::Span::new(i, i + 1)));
                }
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
