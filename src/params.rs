//! Query parameters: a `.q` file declares them in comment lines of its header,
//!
//! ```text
//! # @param days = 7              (an integer, 7 unless given)
//! # @param port: int             (an integer that must be given)
//! # @param action = 'reject'     (text)
//! # @param span = 1hour          (a time span)
//! ```
//!
//! and uses them as `$days`; `--param days=30` sets one. A placeholder stands for one
//! value token: text is put in quotes for it (`Action = $action`), numbers, spans and
//! booleans are written as they are. `$` inside quotes and comments is left alone.

use crate::diag::{did_you_mean, Diagnostic, Span};
use crate::store::time::Span as TimeSpan;
use crate::syntax::lex;

/// What a parameter holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    Int,
    Number,
    Text,
    Span,
    Bool,
}

impl ParamKind {
    fn parse(s: &str) -> Option<ParamKind> {
        Some(match s.to_ascii_lowercase().as_str() {
            "int" | "integer" => ParamKind::Int,
            "number" | "float" => ParamKind::Number,
            "text" | "string" => ParamKind::Text,
            "span" | "duration" => ParamKind::Span,
            "bool" | "boolean" => ParamKind::Bool,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ParamKind::Int => "an integer",
            ParamKind::Number => "a number",
            ParamKind::Text => "text",
            ParamKind::Span => "a time span such as 1hour",
            ParamKind::Bool => "true or false",
        }
    }

    /// The kind a default value written as `v` has.
    fn of_literal(v: &str) -> ParamKind {
        if v.parse::<i64>().is_ok() {
            ParamKind::Int
        } else if v.parse::<f64>().is_ok() {
            ParamKind::Number
        } else if TimeSpan::parse(v).is_some() {
            ParamKind::Span
        } else if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
            ParamKind::Bool
        } else {
            ParamKind::Text
        }
    }

    /// `v` as query text, or `None` when it is not of this kind.
    fn render(self, v: &str) -> Option<String> {
        let v = v.trim();
        let ok = match self {
            ParamKind::Int => v.parse::<i64>().is_ok(),
            ParamKind::Number => v.parse::<f64>().is_ok_and(f64::is_finite),
            ParamKind::Span => TimeSpan::parse(v).is_some(),
            ParamKind::Bool => v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false"),
            ParamKind::Text => return Some(format!("'{}'", v.replace('\\', "\\\\").replace('\'', "''"))),
        };
        ok.then(|| v.to_string())
    }
}

/// One `# @param` line.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamDecl {
    pub name: String,
    pub kind: ParamKind,
    /// The default as written (unquoted), if any.
    pub default: Option<String>,
    pub span: Span,
}

/// The `# @param` declarations of a query file.
pub fn declarations(text: &str) -> Result<Vec<ParamDecl>, Diagnostic> {
    let mut out: Vec<ParamDecl> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let t = line.trim();
        let Some(rest) = t.strip_prefix('#').map(str::trim_start).and_then(|r| r.strip_prefix("@param")) else {
            continue;
        };
        let sp = Span::new(start, start + line.trim_end().len());
        let bad = |why: &str| {
            Diagnostic::query(format!("bad parameter declaration: {why}"))
                .at(sp)
                .help("write # @param name = default, or # @param name: int|number|text|span|bool")
        };
        let (head, default) = match rest.split_once('=') {
            Some((h, d)) => (h.trim(), Some(unquote(d.trim()))),
            None => (rest.trim(), None),
        };
        let (name, kind) = match head.split_once(':') {
            Some((n, k)) => (n.trim(), Some(ParamKind::parse(k.trim()).ok_or_else(|| bad("unknown type"))?)),
            None => (head, None),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(bad("a name is letters, digits and _"));
        }
        let kind = match (kind, &default) {
            (Some(k), Some((d, _))) => {
                if k.render(d).is_none() {
                    return Err(bad(&format!("the default '{d}' is not {}", k.name())));
                }
                k
            }
            (Some(k), None) => k,
            (None, Some((_, true))) => ParamKind::Text,
            (None, Some((d, false))) => ParamKind::of_literal(d),
            (None, None) => ParamKind::Text,
        };
        if out.iter().any(|p| p.name == name) {
            return Err(bad(&format!("'{name}' is declared twice")));
        }
        out.push(ParamDecl { name: name.to_string(), kind, default: default.map(|(d, _)| d), span: sp });
    }
    Ok(out)
}

/// `'text'` or `"text"` without its quotes (and whether it was quoted).
fn unquote(s: &str) -> (String, bool) {
    for q in ['\'', '"'] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return (s[1..s.len() - 1].replace(&format!("{q}{q}"), &q.to_string()), true);
        }
    }
    (s.to_string(), false)
}

/// Replace the `$name` placeholders of `text` (after its `init` variables, see
/// [`crate::init_vars`]) by the given values or the defaults.
/// Values given for names no placeholder uses are returned (for a warning).
pub fn substitute(text: &str, given: &[(String, String)]) -> Result<(String, Vec<String>), Diagnostic> {
    // Oracle's `init { $name = … }` variables first: what they leave is for parameters.
    let expanded = crate::init_vars::expand(text)?;
    let text = expanded.as_str();
    let decls = declarations(text)?;
    for (name, _) in given {
        if !decls.is_empty() && !decls.iter().any(|d| d.name == *name) {
            let d = Diagnostic::usage(format!("--param {name}: the query declares no parameter '{name}'"));
            return Err(match did_you_mean(name, decls.iter().map(|d| d.name.as_str())) {
                Some(s) => d.help(format!("did you mean '{s}'?")),
                None => d.note(format!(
                    "its parameters: {}",
                    decls.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join(", ")
                )),
            });
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut used: Vec<String> = Vec::new();
    // Placeholders stand only in code: quoted text and comments are kept as written.
    for piece in lex::pieces(text) {
        let (at, code) = match piece {
            lex::Piece::Code(at, s) => (at, s),
            lex::Piece::Quoted(_, s) | lex::Piece::Comment(_, s) => {
                out.push_str(s);
                continue;
            }
        };
        let mut rest = code;
        while let Some(d) = rest.find('$') {
            out.push_str(&rest[..d]);
            let after = &rest[d + 1..];
            let len = after.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).unwrap_or(after.len());
            if len == 0 {
                out.push('$');
            } else {
                let name = &after[..len];
                let start = at + (code.len() - rest.len()) + d;
                out.push_str(&value_of(name, Span::new(start, start + 1 + len), &decls, given)?);
                used.push(name.to_string());
            }
            rest = &after[len..];
        }
        out.push_str(rest);
    }
    let unused = given.iter().filter(|(n, _)| !used.contains(n)).map(|(n, _)| n.clone()).collect();
    Ok((out, unused))
}

fn value_of(name: &str, sp: Span, decls: &[ParamDecl], given: &[(String, String)]) -> Result<String, Diagnostic> {
    let decl = decls.iter().find(|d| d.name == name);
    let value = given.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    match (decl, value) {
        (Some(d), Some(v)) => d
            .kind
            .render(v)
            .ok_or_else(|| Diagnostic::usage(format!("--param {name}={v}: '{name}' is {}", d.kind.name()))),
        (Some(d), None) => match &d.default {
            Some(v) => d.kind.render(v).ok_or_else(|| Diagnostic::query("bad parameter default").at(d.span)),
            None => Err(Diagnostic::usage(format!("the parameter ${name} has no value"))
                .help(format!("give one with --param {name}=<{}>", d.kind.name()))),
        },
        // An undeclared placeholder (a -c query): numbers and spans as written, else text.
        (None, Some(v)) if decls.is_empty() => {
            let kind = ParamKind::of_literal(v.trim());
            Ok(kind.render(v).unwrap_or_default())
        }
        (None, _) => {
            let mut d = Diagnostic::query(format!("unknown parameter ${name}")).at(sp);
            if let Some(s) = did_you_mean(name, decls.iter().map(|d| d.name.as_str())) {
                d = d.help(format!("did you mean ${s}?"));
            } else if decls.is_empty() {
                d = d.help(format!("give it with --param {name}=..., or declare it: # @param {name} = <default>"));
            } else {
                d = d.help(format!("declare it in the header: # @param {name} = <default>"));
            }
            Err(d)
        }
    }
}

/// Several queries in one text (`flowq run -`): split at `;` and at blank lines,
/// outside quotes and comments; empty pieces (only comments or space) are left out.
pub fn split_queries(text: &str) -> Vec<String> {
    // Where each query ends: a `;` in code, or a blank line that no quote spans.
    let code = lex::code_only(text);
    let quoted: Vec<(usize, usize)> = lex::regions(text)
        .into_iter()
        .filter(|r| matches!(r.kind, lex::Kind::Quoted { .. }))
        .map(|r| (r.start, r.end))
        .collect();
    let in_quote = |at: usize| quoted.iter().any(|&(s, e)| s < at && at < e);
    let mut cuts: Vec<(usize, usize)> = code.match_indices(';').map(|(i, _)| (i, i + 1)).collect();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() && !in_quote(at) {
            cuts.push((at, at + line.len()));
        }
        at += line.len();
    }
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut from = 0;
    for (start, end) in cuts.into_iter().chain([(text.len(), text.len())]) {
        let piece = &text[from..start.max(from)];
        if lex::has_code(piece) {
            out.push(piece.trim().to_string());
        }
        from = from.max(end);
    }
    out
}

/// `name=value` from the command line.
pub fn parse_assignment(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((n, v)) if !n.trim().is_empty() => Ok((n.trim().trim_start_matches('$').to_string(), v.to_string())),
        _ => Err(format!("'{s}' is not name=value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: &str = "# @param days = 7\n# @param action = 'reject'\n# @param port: int\n\
                     Action = $action and 'Destination Port' = $port # $days\n| where Time > dateadd(now(), day, -$days) | eval x = '$port'";

    fn given(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn declarations_and_kinds() {
        let d = declarations(Q).unwrap();
        assert_eq!(d.len(), 3);
        assert_eq!((d[0].kind, d[0].default.as_deref()), (ParamKind::Int, Some("7")));
        assert_eq!((d[1].kind, d[1].default.as_deref()), (ParamKind::Text, Some("reject")));
        assert_eq!((d[2].kind, d[2].default.as_deref()), (ParamKind::Int, None));
        assert!(declarations("# @param x: colour").is_err());
        assert!(declarations("# @param x: int = abc").is_err());
    }

    #[test]
    fn splitting_queries() {
        let q = split_queries("* | stats count;\nAction = 'a;b'\n| head 1\n\n# only a comment\n\n* # c; d\n| head 2;");
        assert_eq!(q, ["* | stats count", "Action = 'a;b'\n| head 1", "* # c; d\n| head 2"]);
        // An escaped quote does not end the text: the `;` after it is still quoted.
        let q = split_queries("* | where Action = 'it\\'s; no' | head 1; * | head 2");
        assert_eq!(q, ["* | where Action = 'it\\'s; no' | head 1", "* | head 2"]);
        // A blank line inside quoted text is part of it.
        assert_eq!(split_queries("* | where x = 'a\n\nb'\n\n* | head 1").len(), 2);
    }

    #[test]
    fn substitution() {
        let (text, unused) = substitute(Q, &given(&[("port", "22"), ("action", "it's")])).unwrap();
        assert!(text.ends_with("Action = 'it''s' and 'Destination Port' = 22 # $days\n| where Time > dateadd(now(), day, -7) | eval x = '$port'"), "{text}");
        assert!(unused.is_empty());
        let e = substitute(Q, &[]).unwrap_err();
        assert_eq!(e.message, "the parameter $port has no value");
        let e = substitute(Q, &given(&[("port", "ssh")])).unwrap_err();
        assert_eq!(e.message, "--param port=ssh: 'port' is an integer");
        let e = substitute(Q, &given(&[("port", "22"), ("dayz", "3")])).unwrap_err();
        assert_eq!(e.help, ["did you mean 'days'?"]);
        let e = substitute("# @param a = 1\n* | head $b", &[]).unwrap_err();
        assert_eq!(e.message, "unknown parameter $b");
        let (text, _) = substitute("* | head $n | eval s = $s", &given(&[("n", "5"), ("s", "x")])).unwrap();
        assert_eq!(text, "* | head 5 | eval s = 'x'");
        // A backslash before a character of several bytes (this panicked once).
        let (text, _) = substitute("* | eval x = '\\é' | head $n", &given(&[("n", "1")])).unwrap();
        assert_eq!(text, "* | eval x = '\\é' | head 1");
        let (text, _) = substitute("* | eval x = 'a\\'$n' | head $n", &given(&[("n", "1")])).unwrap();
        assert_eq!(text, "* | eval x = 'a\\'$n' | head 1");
    }
}
