//! pest pairs → AST, one function per grammar rule.

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::Rule;
use crate::commands;
use crate::diag::{did_you_mean, Diagnostic};

type R<T> = Result<T, Diagnostic>;

pub fn span(p: &Pair<Rule>) -> Span {
    Span::new(p.as_span().start(), p.as_span().end())
}

/// A grammar invariant did not hold: a bug in flowq, reported rather than panicking.
pub fn internal(p: &Pair<Rule>) -> Diagnostic {
    Diagnostic::query(format!("internal parser error near '{}' ({:?})", p.as_str(), p.as_rule())).at(span(p))
}

pub fn next<'a>(it: &mut pest::iterators::Pairs<'a, Rule>, parent: &Pair<Rule>) -> R<Pair<'a, Rule>> {
    it.next().ok_or_else(|| internal(parent))
}

pub fn query(p: Pair<Rule>, text: &str) -> R<Query> {
    OPERATORS.with(|c| c.set(0));
    let (search, stages) = search_and_stages(p.into_inner())?;
    let search = search.ok_or_else(|| {
        let at = text.find('|').unwrap_or(0);
        Diagnostic::query("the query has no search clause")
            .at(Span::new(at, at + 1))
            .label("a search clause must come before the first |")
            .help("write * to match all records: * | ...")
    })?;
    Ok(Query { search, stages })
}

/// The search clause (or a leading command) and the stages of a query or subquery.
fn search_and_stages(pairs: Pairs<Rule>) -> R<(Option<SearchClause>, Vec<Stage>)> {
    let mut search = None;
    let mut stages = Vec::new();
    for inner in pairs {
        match inner.as_rule() {
            Rule::search_clause => search = Some(search_clause(inner)?),
            Rule::leading_stage | Rule::sub_leading => {
                // `command ...` first: the command over every record, as `* | command ...`.
                let at = span(&inner).start;
                search = Some(SearchClause { expr: None, span: Span::new(at, at) });
                stages.push(stage(inner)?);
            }
            Rule::stage => stages.push(stage(inner)?),
            _ => {}
        }
    }
    Ok((search, stages))
}

/// `[ <query> ]`.
pub fn subquery(p: Pair<Rule>) -> R<SubQuery> {
    let sp = span(&p);
    let (search, stages) = search_and_stages(p.clone().into_inner())?;
    let search = search.ok_or_else(|| internal(&p))?;
    Ok(SubQuery { query: Query { search, stages }, span: sp })
}

fn search_clause(p: Pair<Rule>) -> R<SearchClause> {
    let sp = span(&p);
    let mut expr = None;
    for inner in p.into_inner() {
        match inner.as_rule() {
            Rule::star_all | Rule::kw_search => {}
            Rule::search_or => expr = Some(fold_or(inner)?),
            _ => return Err(internal(&inner)),
        }
    }
    Ok(SearchClause { expr, span: sp })
}

/// `a or b or c` (search_or, or_expr): left-assoc fold.
pub fn fold_or(p: Pair<Rule>) -> R<Expr> {
    fold_keyword(p, BinOp::Or)
}

fn fold_keyword(p: Pair<Rule>, op: BinOp) -> R<Expr> {
    let mut acc: Option<Expr> = None;
    for inner in p.into_inner() {
        let e = match inner.as_rule() {
            Rule::kw_or | Rule::kw_and => continue,
            Rule::search_and => fold_keyword(inner, BinOp::And)?,
            Rule::and_expr => fold_keyword(inner, BinOp::And)?,
            Rule::not_expr => not_expr(inner)?,
            Rule::subquery => {
                let sp = span(&inner);
                let query = Box::new(subquery(inner)?);
                Expr { kind: ExprKind::InQuery { expr: None, query, negated: false }, span: sp }
            }
            _ => return Err(internal(&inner)),
        };
        acc = Some(match acc {
            None => e,
            Some(l) => binary(op, l, e)?,
        });
    }
    acc.ok_or_else(|| Diagnostic::query("empty expression"))
}

/// Operators one query may hold. A chain of them becomes as deep a tree, which the
/// planner and the evaluator walk recursively (evaluation on worker threads with small
/// stacks): 2,000 keeps far from the stack's end, and no real query comes near it.
pub const MAX_OPERATORS: usize = 2_000;

thread_local! {
    /// Operators built so far for the query being built (reset by [`query`]).
    static OPERATORS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Count one more operator, refusing a query past [`MAX_OPERATORS`].
fn count_operator(at: Span) -> R<()> {
    let n = OPERATORS.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    if n > MAX_OPERATORS {
        return Err(Diagnostic::query(format!("the query holds more than {MAX_OPERATORS} operators"))
            .at(at)
            .help("split the condition or the expression, or use in (...) for long lists of values"));
    }
    Ok(())
}

fn binary(op: BinOp, l: Expr, r: Expr) -> R<Expr> {
    let sp = l.span.to(r.span);
    count_operator(r.span)?;
    Ok(Expr { kind: ExprKind::Binary(op, Box::new(l), Box::new(r)), span: sp })
}

pub fn expr(p: Pair<Rule>) -> R<Expr> {
    let inner = next(&mut p.clone().into_inner(), &p)?;
    fold_keyword(inner, BinOp::Or)
}

fn not_expr(p: Pair<Rule>) -> R<Expr> {
    let mut nots = Vec::new();
    let mut result = None;
    for inner in p.into_inner() {
        match inner.as_rule() {
            Rule::kw_not => nots.push(span(&inner)),
            Rule::cmp_expr => result = Some(cmp_expr(inner)?),
            _ => return Err(internal(&inner)),
        }
    }
    let mut e = result.ok_or_else(|| Diagnostic::query("expected an expression after not"))?;
    for s in nots.into_iter().rev() {
        let sp = s.to(e.span);
        count_operator(s)?;
        e = Expr { kind: ExprKind::Not(Box::new(e)), span: sp };
    }
    Ok(e)
}

fn cmp_expr(p: Pair<Rule>) -> R<Expr> {
    let sp = span(&p);
    let mut it = p.clone().into_inner();
    let left = concat_expr(next(&mut it, &p)?)?;
    let Some(suffix) = it.next() else {
        return Ok(left);
    };
    let mut negated = false;
    let kind = match suffix.as_rule() {
        Rule::cmp_rel => {
            let mut s = suffix.clone().into_inner();
            let op = match next(&mut s, &suffix)?.as_str() {
                "=" => BinOp::Eq,
                "!=" | "<>" => BinOp::Ne,
                "<" => BinOp::Lt,
                "<=" => BinOp::Le,
                ">" => BinOp::Gt,
                _ => BinOp::Ge,
            };
            let right = concat_expr(next(&mut s, &suffix)?)?;
            ExprKind::Binary(op, Box::new(left), Box::new(right))
        }
        Rule::like_clause => {
            let mut patterns = Vec::new();
            for part in suffix.into_inner() {
                match part.as_rule() {
                    Rule::kw_not => negated = true,
                    Rule::kw_like | Rule::kw_in => {}
                    Rule::paren_list => patterns = paren_list(part)?,
                    Rule::concat_expr => patterns.push(concat_expr(part)?),
                    _ => return Err(internal(&part)),
                }
            }
            ExprKind::Like { expr: Box::new(left), patterns, negated }
        }
        Rule::in_clause => {
            let mut list = Vec::new();
            for part in suffix.into_inner() {
                match part.as_rule() {
                    Rule::kw_not => negated = true,
                    Rule::kw_in => {}
                    Rule::paren_list => list = paren_list(part)?,
                    Rule::subquery => {
                        let query = Box::new(subquery(part)?);
                        return Ok(Expr {
                            kind: ExprKind::InQuery { expr: Some(Box::new(left)), query, negated },
                            span: sp,
                        });
                    }
                    _ => return Err(internal(&part)),
                }
            }
            ExprKind::In { expr: Box::new(left), list, negated }
        }
        Rule::between_clause => {
            let mut bounds = Vec::new();
            for part in suffix.into_inner() {
                match part.as_rule() {
                    Rule::kw_not => negated = true,
                    Rule::kw_between | Rule::kw_and => {}
                    Rule::concat_expr => bounds.push(Some(concat_expr(part)?)),
                    Rule::open_bound => bounds.push(None),
                    _ => return Err(internal(&part)),
                }
            }
            let high = bounds.pop().ok_or_else(|| Diagnostic::query("between needs two bounds").at(sp))?;
            let low = bounds.pop().ok_or_else(|| Diagnostic::query("between needs two bounds").at(sp))?;
            ExprKind::between(left, low, high, negated, sp)
        }
        _ => return Err(internal(&suffix)),
    };
    Ok(Expr { kind, span: sp })
}

fn paren_list(p: Pair<Rule>) -> R<Vec<Expr>> {
    p.into_inner().map(expr).collect()
}

/// Left-assoc fold of `operand (op operand)*` (concat_expr, add_expr, mul_expr).
fn fold_ops(p: Pair<Rule>) -> R<Expr> {
    let mut it = p.clone().into_inner();
    let mut acc = operand(next(&mut it, &p)?)?;
    while let Some(op) = it.next() {
        let op = match op.as_str() {
            "||" => BinOp::Concat,
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "*" => BinOp::Mul,
            "/" => BinOp::Div,
            _ => BinOp::Rem,
        };
        let right = operand(next(&mut it, &p)?)?;
        acc = binary(op, acc, right)?;
    }
    Ok(acc)
}

fn concat_expr(p: Pair<Rule>) -> R<Expr> {
    fold_ops(p)
}

fn operand(p: Pair<Rule>) -> R<Expr> {
    match p.as_rule() {
        Rule::add_expr | Rule::mul_expr => fold_ops(p),
        Rule::unary => unary(p),
        _ => Err(internal(&p)),
    }
}

fn unary(p: Pair<Rule>) -> R<Expr> {
    let mut negs = Vec::new();
    let mut result = None;
    for inner in p.into_inner() {
        match inner.as_rule() {
            Rule::neg => negs.push(span(&inner)),
            _ => result = Some(primary(inner)?),
        }
    }
    let mut e = result.ok_or_else(|| Diagnostic::query("expected a value after -"))?;
    for s in negs.into_iter().rev() {
        let sp = s.to(e.span);
        // Fold `-5` into a literal so that `-7` is a number, as written.
        e = match e.kind {
            ExprKind::Int(i) => Expr { kind: ExprKind::Int(-i), span: sp },
            ExprKind::Float(f) => Expr { kind: ExprKind::Float(-f), span: sp },
            kind => {
                count_operator(s)?;
                Expr { kind: ExprKind::Neg(Box::new(Expr { kind, span: e.span })), span: sp }
            }
        };
    }
    Ok(e)
}

fn primary(p: Pair<Rule>) -> R<Expr> {
    let sp = span(&p);
    let kind = match p.as_rule() {
        Rule::paren => return expr(next(&mut p.clone().into_inner(), &p)?).map(|e| Expr { kind: e.kind, span: sp }),
        Rule::call => {
            let mut it = p.clone().into_inner();
            let f = next(&mut it, &p)?;
            let func = Name { text: f.as_str().to_string(), quoted: false, span: span(&f) };
            let args = it.map(expr).collect::<R<Vec<_>>>()?;
            ExprKind::Call { func, args }
        }
        Rule::ip_literal | Rule::span_word => ExprKind::Str(p.as_str().to_string()),
        Rule::number => number(&p)?,
        Rule::dq_string => ExprKind::Str(unescape(inner_text(&p), '"')),
        Rule::kw_true => ExprKind::Bool(true),
        Rule::kw_false => ExprKind::Bool(false),
        Rule::kw_null => ExprKind::Null,
        Rule::sq_string | Rule::bare_word => ExprKind::Name(name(p)?),
        _ => return Err(internal(&p)),
    };
    Ok(Expr { kind, span: sp })
}

fn number(p: &Pair<Rule>) -> R<ExprKind> {
    let s = p.as_str();
    if !s.contains(['.', 'e', 'E']) {
        if let Ok(i) = s.parse::<i64>() {
            return Ok(ExprKind::Int(i));
        }
    }
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(ExprKind::Float)
        .ok_or_else(|| Diagnostic::query(format!("'{s}' is not a number flowq can hold")).at(span(p)))
}

pub fn inner_text<'a>(p: &Pair<'a, Rule>) -> &'a str {
    let s = p.as_str();
    &s[1..s.len() - 1]
}

/// Resolve `''` (or `""`) and backslash escapes `\' \" \\ \n \t`.
pub fn unescape(s: &str, quote: char) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == quote && chars.peek() == Some(&quote) {
            chars.next();
            out.push(quote);
        } else if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(e @ ('\'' | '"' | '\\')) => out.push(e),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A name (`field_name`, `sq_string` or `bare_word`).
pub fn name(p: Pair<Rule>) -> R<Name> {
    match p.as_rule() {
        Rule::field_name | Rule::field_pattern => name(next(&mut p.clone().into_inner(), &p)?),
        Rule::sq_string => Ok(Name { text: unescape(inner_text(&p), '\''), quoted: true, span: span(&p) }),
        Rule::bare_word | Rule::wild_word => Ok(Name { text: p.as_str().to_string(), quoted: false, span: span(&p) }),
        _ => Err(internal(&p)),
    }
}

fn stage(p: Pair<Rule>) -> R<Stage> {
    let cmd = next(&mut p.clone().into_inner(), &p)?;
    let sp = span(&cmd);
    let mut rest = cmd.clone().into_inner();
    let word = next(&mut rest, &cmd)?;
    let name_span = span(&word);
    if cmd.as_rule() == Rule::other_cmd {
        return Err(unknown_command(word.as_str(), name_span));
    }
    // The grammar matched a command word; its file in src/commands/ builds the rest.
    let command = commands::find(word.as_str()).ok_or_else(|| internal(&word))?;
    let args = (command.build)(super::parts::Parts { cmd, word, rest })?;
    Ok(Stage { command, args, span: sp, name_span })
}

fn unknown_command(word: &str, at: Span) -> Diagnostic {
    if let Some(why) = commands::elsewhere::why_not(word) {
        return Diagnostic::query(format!("{} is a command of Oracle's that flowq does not run", word.to_lowercase()))
            .at(at)
            .note(why.to_string());
    }
    let d = Diagnostic::query(format!("unknown command '{word}'")).at(at);
    match did_you_mean(word, commands::names()) {
        Some(s) => d.help(format!("did you mean '{s}'?")),
        None => d.note(format!("commands: {}", commands::names().collect::<Vec<_>>().join(", "))),
    }
}

pub fn agg_item(p: Pair<Rule>) -> R<AggItem> {
    let sp = span(&p);
    let mut it = p.clone().into_inner();
    let call = next(&mut it, &p)?;
    let mut parts = call.clone().into_inner();
    let first = next(&mut parts, &call)?;
    let func = Name { text: first.as_str().to_string(), quoted: false, span: span(&first) };
    let args = if first.as_rule() == Rule::count_bare { Vec::new() } else { parts.map(expr).collect::<R<Vec<_>>>()? };
    let alias = it.find(|x| x.as_rule() == Rule::field_name).map(name).transpose()?;
    Ok(AggItem { func, args, alias, span: sp })
}
