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

/// Replace the `$name` placeholders of `text` by the given values or the defaults.
/// Values given for names no placeholder uses are returned (for a warning).
pub fn substitute(text: &str, given: &[(String, String)]) -> Result<(String, Vec<String>), Diagnostic> {
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
    let b = text.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), b'\\') if i + 1 < b.len() => {
                out.push_str(&text[i..i + 2]);
                i += 2;
                continue;
            }
            (Some(_), _) => {}
            (None, b'\'' | b'"') => quote = Some(c),
            (None, b'#') => {
                let end = text[i..].find('\n').map_or(b.len(), |e| i + e);
                out.push_str(&text[i..end]);
                i = end;
                continue;
            }
            (None, b'$') => {
                let len = text[i + 1..]
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .unwrap_or(b.len() - i - 1);
                if len > 0 {
                    let name = &text[i + 1..i + 1 + len];
                    let sp = Span::new(i, i + 1 + len);
                    out.push_str(&value_of(name, sp, &decls, given)?);
                    used.push(name.to_string());
                    i += 1 + len;
                    continue;
                }
            }
            _ => {}
        }
        let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + ch_len]);
        i += ch_len;
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
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut scan = crate::syntax::scan::Scanner::default();
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        let has_code = cur.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        });
        if has_code {
            out.push(cur.trim().to_string());
        }
        cur.clear();
    };
    for line in text.split_inclusive('\n') {
        if scan.open_quote().is_none() && line.trim().is_empty() {
            flush(&mut cur, &mut out);
            continue;
        }
        for c in line.chars() {
            if scan.step(c) == crate::syntax::scan::Place::Code && c == ';' {
                flush(&mut cur, &mut out);
                continue;
            }
            cur.push(c);
        }
        scan.end_line();
    }
    flush(&mut cur, &mut out);
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
    }
}
