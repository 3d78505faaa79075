//! Oracle's query variables: `init { $name = <value> }` blocks before the search clause,
//! as Oracle's own dashboards write them:
//!
//! ```text
//! init { $cluster = 'octane' } init { $prefix = '$cluster' || '-bm-' }
//! 'Log Source' = 'SLURM scontrol nodes' | eval Node = replace(Node, '$prefix', '')
//! ```
//!
//! Oracle's command reference has no page for `init`; what the dashboards show is
//! followed: a value is quoted text, a number, or earlier variables, joined with `||`;
//! `$name` then stands for the value everywhere in the query, inside quotes too (the
//! dashboards write `'$cluster'`). In code a text value is put in quotes. The blocks are
//! replaced by spaces, so positions in the rest of the query do not move.

use crate::diag::{Diagnostic, Span};
use crate::syntax::lex;

/// One variable: its name (without `$`) and its value; `number` when the value is a
/// lone number (written as it is in code).
#[derive(Clone, Debug, PartialEq)]
struct Var {
    name: String,
    value: String,
    number: bool,
}

/// `text` with its leading `init { … }` blocks taken out and their variables filled in.
/// Text without them is returned as it is.
pub fn expand(text: &str) -> Result<String, Diagnostic> {
    let mut vars: Vec<Var> = Vec::new();
    let mut out = text.to_string();
    let mut at = skip_space_and_comments(text, 0);
    while let Some(open) = init_keyword(text, at) {
        let close = closing_brace(text, open).ok_or_else(|| {
            Diagnostic::query("init { … } is not closed").at(Span::new(at, open + 1)).help("init { $name = 'value' }")
        })?;
        for assignment in split_top_level(text, open + 1, close) {
            vars.push(assign(text, assignment, &vars)?);
        }
        blank(&mut out, at, close + 1);
        at = skip_space_and_comments(text, close + 1);
    }
    if vars.is_empty() {
        return Ok(out);
    }
    Ok(fill(&out, &vars))
}

fn skip_space_and_comments(text: &str, mut at: usize) -> usize {
    let b = text.as_bytes();
    loop {
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        if b.get(at) == Some(&b'#') {
            at = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |e| at + e);
        } else {
            return at;
        }
    }
}

/// Where the `{` of an `init {` at `at` is.
fn init_keyword(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    // Bytes, not a str slice: the text after `at` may open with a multi-byte character.
    if !rest.as_bytes().get(..4).is_some_and(|w| w.eq_ignore_ascii_case(b"init")) {
        return None;
    }
    let after = rest[4..].trim_start();
    after.starts_with('{').then(|| text.len() - after.len())
}

/// The `}` closing the `{` at `open`, outside quotes.
fn closing_brace(text: &str, open: usize) -> Option<usize> {
    let mut at = open + 1;
    for r in lex::regions(text).into_iter().filter(|r| r.end > open) {
        if let Some(i) = text[at..r.start.max(at)].find('}') {
            return Some(at + i);
        }
        at = at.max(r.end);
    }
    text[at..].find('}').map(|i| at + i)
}

/// The pieces of `start..end` between top-level `,` or `;`, outside quotes.
fn split_top_level(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let code = lex::code_only(&text[..end]);
    let mut out = Vec::new();
    let mut from = start;
    for (i, ch) in code[start..end].char_indices() {
        if ch == ',' || ch == ';' || ch == '\n' {
            out.push((from, start + i));
            from = start + i + 1;
        }
    }
    out.push((from, end));
    out.into_iter().filter(|&(a, b)| !text[a..b].trim().is_empty()).collect()
}

/// `$name = <value>` at `a..b`.
fn assign(text: &str, (a, b): (usize, usize), known: &[Var]) -> Result<Var, Diagnostic> {
    let piece = &text[a..b];
    let lead = piece.len() - piece.trim_start().len();
    let whole = Span::new(a + lead, b);
    let bad = || Diagnostic::query("init takes $name = <value>").at(whole).help("init { $cluster = 'octane' }");
    let eq = lex::code_only(piece).find('=').ok_or_else(bad)?;
    let name = piece[..eq].trim().strip_prefix('$').ok_or_else(bad)?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(bad());
    }
    let value_at = a + eq + 1;
    let (value, number) = value(text, value_at, b, known)?;
    Ok(Var { name: name.to_string(), value, number })
}

/// A value: operands joined with `||`.
fn value(text: &str, a: usize, b: usize, known: &[Var]) -> Result<(String, bool), Diagnostic> {
    let code = lex::code_only(&text[..b]);
    let mut parts = Vec::new();
    let mut from = a;
    while let Some(i) = code[from..b].find("||") {
        parts.push((from, from + i));
        from += i + 2;
    }
    parts.push((from, b));
    let mut out = String::new();
    let mut number = parts.len() == 1;
    for (pa, pb) in parts {
        let raw = &text[pa..pb];
        let lead = raw.len() - raw.trim_start().len();
        let operand = raw.trim();
        // A missing operand is shown at the `=` or `||` before it.
        let at = match operand.is_empty() {
            true => Span::new(pa.saturating_sub(1), pa),
            false => Span::new(pa + lead, pa + lead + operand.len()),
        };
        let q = operand.chars().next();
        if let Some(q @ ('\'' | '"')) = q {
            if operand.len() < 2 || !operand.ends_with(q) {
                return Err(Diagnostic::query("this quoted value is not closed").at(at));
            }
            number = false;
            out.push_str(&unquote(&fill(operand, known), q));
        } else if let Some(name) = operand.strip_prefix('$') {
            let v = known
                .iter()
                .rev()
                .find(|v| v.name == name)
                .ok_or_else(|| Diagnostic::query(format!("${name} is not set by an earlier init")).at(at))?;
            number &= v.number;
            out.push_str(&v.value);
        } else if operand.parse::<f64>().is_ok_and(f64::is_finite) {
            out.push_str(operand);
        } else {
            return Err(Diagnostic::query("an init value is quoted text, a number or a $variable, joined with ||")
                .at(at)
                .help("init { $prefix = '$cluster' || '-bm-' }"));
        }
    }
    Ok((out, number))
}

/// The text inside quotes, with the grammar's escapes undone.
fn unquote(s: &str, q: char) -> String {
    let inner = &s[1..s.len() - 1];
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c if c == q && chars.peek() == Some(&q) => {
                chars.next();
                out.push(q);
            }
            c => out.push(c),
        }
    }
    out
}

/// Every byte of `a..b` but line ends made a space.
fn blank(out: &mut String, a: usize, b: usize) {
    let spaced: String = out[a..b].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
    // Multi-byte characters become one space each: keep the byte length with padding.
    let pad = (b - a).saturating_sub(spaced.len());
    out.replace_range(a..b, &(spaced + &" ".repeat(pad)));
}

/// `$name` of every known variable replaced: in code by a literal, inside quotes by the
/// text (escaped for those quotes); comments are left alone.
fn fill(text: &str, vars: &[Var]) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in lex::pieces(text) {
        match piece {
            lex::Piece::Code(_, s) => out.push_str(&replace(s, vars, |v| {
                if v.number {
                    v.value.clone()
                } else {
                    format!("'{}'", escape(&v.value, '\''))
                }
            })),
            lex::Piece::Quoted(r, s) => {
                let quote = match r.kind {
                    lex::Kind::Quoted { quote, .. } => quote,
                    lex::Kind::Comment => '\'',
                };
                out.push_str(&replace(s, vars, |v| escape(&v.value, quote)));
            }
            lex::Piece::Comment(_, s) => out.push_str(s),
        }
    }
    out
}

fn escape(v: &str, q: char) -> String {
    v.replace('\\', "\\\\").replace(q, &format!("{q}{q}"))
}

/// `s` with each `$name` of a variable replaced by `render` of it (the longest name
/// wins: `$cluster_prefix` is not `$cluster` followed by `_prefix`).
fn replace(s: &str, vars: &[Var], render: impl Fn(&Var) -> String) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(d) = rest.find('$') {
        out.push_str(&rest[..d]);
        let after = &rest[d + 1..];
        let len = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        match vars.iter().rev().find(|v| v.name == after[..len]) {
            Some(v) => out.push_str(&render(v)),
            None => out.push_str(&rest[d..d + 1 + len]),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests;
