//! One diagnostic type for everything a user can get wrong, and its renderer.
//! Every stage reports through [`Diagnostic`]; only this file formats them.

use crate::escape::escape_controls;
use owo_colors::OwoColorize;
use std::fmt::Write as _;

/// A byte range in the query text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// What went wrong decides the exit code: 2 for usage and query errors, 1 for data
/// and runtime errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Usage,
    Query,
    Data,
    Runtime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
    pub span: Option<Span>,
    /// Printed beside the caret.
    pub label: Option<String>,
    /// `help:` lines: suggestions such as "did you mean 'Source IP'?".
    pub help: Vec<String>,
    /// `note:` lines: extra facts.
    pub notes: Vec<String>,
}

impl Diagnostic {
    fn new(severity: Severity, kind: Kind, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            kind,
            message: message.into(),
            span: None,
            label: None,
            help: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// An error in the query text.
    pub fn query(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Kind::Query, message)
    }

    /// A warning about the query text: it runs, but probably not as meant.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, Kind::Query, message)
    }

    /// An input file that cannot be read as flow logs.
    pub fn data(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Kind::Data, message)
    }

    /// A failure while running (an output file that cannot be written, ...).
    pub fn runtime(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Kind::Runtime, message)
    }

    /// Wrong use of the command line.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Kind::Usage, message)
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Usage | Kind::Query => 2,
            Kind::Data | Kind::Runtime => 1,
        }
    }
}

/// The text a diagnostic's span points into, and the name to show for it.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// 1-based line and column (in characters) of byte offset `pos`.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = &text[..floor_char_boundary(text, pos)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A source line this long is shown whole; a longer one (a 20,000-term query on one
/// line) shows `CONTEXT` characters either side of the span, not screenfuls.
const WHOLE_LINE: usize = 200;
const CONTEXT: usize = 60;
/// The most carets drawn under a long span.
const MAX_CARETS: usize = 80;

/// The part of `line` shown under a diagnostic, escaped for a terminal, with the column
/// (0-based, in shown characters) and width of the span `[start, end)` (byte offsets
/// into `line`, clamped to it).
fn excerpt(line: &str, start: usize, end: usize) -> (String, usize, usize) {
    let start = floor_char_boundary(line, start.min(line.len()));
    let end = floor_char_boundary(line, end.clamp(start, line.len()));
    if line.chars().count() <= WHOLE_LINE {
        let col = escape_controls(&line[..start]).chars().count();
        let width = escape_controls(&line[start..end]).chars().count().max(1);
        return (escape_controls(line), col, width);
    }
    let before: Vec<char> = line[..start].chars().collect();
    let (cut_before, before) = match before.len().checked_sub(CONTEXT) {
        Some(skip) if skip > 0 => (true, before[skip..].iter().collect::<String>()),
        _ => (false, before.iter().collect()),
    };
    let span: String = line[start..end].chars().take(MAX_CARETS).collect();
    let span_cut = line[start..end].chars().count() > MAX_CARETS;
    let after_from = if span_cut { end } else { start + span.len() };
    let rest = &line[after_from.min(line.len())..];
    let after: String = rest.chars().take(CONTEXT).collect();
    let cut_after = span_cut || rest.chars().count() > CONTEXT;
    let mut shown = String::new();
    if cut_before {
        shown.push('…');
    }
    shown.push_str(&escape_controls(&before));
    let col = shown.chars().count();
    let span_shown = escape_controls(&span);
    shown.push_str(&span_shown);
    if !span_cut {
        shown.push_str(&escape_controls(&after));
    }
    if cut_after {
        shown.push('…');
    }
    (shown, col, span_shown.chars().count().max(1))
}

/// Render a diagnostic rustc-style: headline, location, the source line with a caret
/// under the span, then help and notes.
pub fn render(d: &Diagnostic, source: Option<&Source>, color: bool) -> String {
    let mut out = String::new();
    let (word, paint): (&str, fn(&str) -> String) = match d.severity {
        Severity::Error => ("error", |s| s.red().bold().to_string()),
        Severity::Warning => ("warning", |s| s.yellow().bold().to_string()),
    };
    let style = |s: &str, f: fn(&str) -> String| if color { f(s) } else { s.to_string() };
    let blue = |s: &str| style(s, |s| s.blue().bold().to_string());
    let message = escape_controls(&d.message);
    let _ = writeln!(out, "{}: {}", style(word, paint), style(&message, |s| s.bold().to_string()));
    if let (Some(span), Some(src)) = (d.span, source) {
        let (line, _) = line_col(src.text, span.start);
        let line_text = src.text.lines().nth(line - 1).unwrap_or("");
        let gutter = " ".repeat(line.to_string().len());
        let line_start = src.text[..floor_char_boundary(src.text, span.start)].rfind('\n').map_or(0, |i| i + 1);
        let (shown, col, width) = excerpt(line_text, span.start - line_start, span.end.saturating_sub(line_start));
        let _ = writeln!(out, "{gutter}{} {}:{line}:{}", blue("-->"), src.name, line_col(src.text, span.start).1);
        let _ = writeln!(out, "{gutter} {}", blue("|"));
        let _ = writeln!(out, "{} {} {shown}", blue(&line.to_string()), blue("|"));
        let mut caret = format!("{}{}", " ".repeat(col), "^".repeat(width));
        if let Some(label) = &d.label {
            caret.push(' ');
            caret.push_str(&escape_controls(label));
        }
        let _ = writeln!(out, "{gutter} {} {}", blue("|"), style(&caret, paint));
        for h in &d.help {
            let _ = writeln!(
                out,
                "{gutter} {} {}: {}",
                blue("="),
                style("help", |s| s.bold().to_string()),
                escape_controls(h)
            );
        }
        for n in &d.notes {
            let _ = writeln!(
                out,
                "{gutter} {} {}: {}",
                blue("="),
                style("note", |s| s.bold().to_string()),
                escape_controls(n)
            );
        }
    } else {
        for h in &d.help {
            let _ =
                writeln!(out, "  {} {}: {}", blue("="), style("help", |s| s.bold().to_string()), escape_controls(h));
        }
        for n in &d.notes {
            let _ =
                writeln!(out, "  {} {}: {}", blue("="), style("note", |s| s.bold().to_string()), escape_controls(n));
        }
    }
    out
}

/// Edit distance between two names, ignoring case.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    // Levenshtein with adjacent transpositions as one edit ('Nmae' → 'Name').
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                cur[j + 1] = cur[j + 1].min(before[j - 1] + 1);
            }
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

/// The candidate closest to `name`, if close enough to be a likely typo: at most a
/// third of the name's length in edits (and at least one), or the same words in another
/// case. Far-off names are not suggested: a wrong suggestion misleads more than none.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            // A name typed short ('Destinaton' for 'Destination IP') is judged against
            // the candidate's prefix of the same length, at one edit's cost.
            let prefix: String = c.chars().take(len).collect();
            let short = if c.chars().count() > len { edit_distance(name, &prefix) + 1 } else { usize::MAX };
            (edit_distance(name, c).min(short), c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_policy() {
        let fields = ["Source IP", "Destination IP", "Action", "Time"];
        assert_eq!(did_you_mean("Sorce IP", fields), Some("Source IP"));
        assert_eq!(did_you_mean("acton", fields), Some("Action"));
        assert_eq!(did_you_mean("bytes", fields), None);
        assert_eq!(did_you_mean("x", fields), None);
        assert_eq!(did_you_mean("Destinaton", fields), Some("Destination IP"));
        assert_eq!(did_you_mean("Sour", fields), Some("Source IP"));
        assert_eq!(did_you_mean("Tim", ["Time"]), Some("Time"));
        assert_eq!(did_you_mean("Zzz", fields), None);
        assert_eq!(did_you_mean("Nmae", ["Name", "Role"]), Some("Name"));
        assert_eq!(edit_distance("ab", "ba"), 1);
    }

    #[test]
    fn renders_caret_under_span() {
        let text = "*\n| stats count by 'Sorce IP'";
        let d = Diagnostic::query("unknown field 'Sorce IP'").at(Span::new(19, 29)).help("did you mean 'Source IP'?");
        let r = render(&d, Some(&Source { name: "q.q", text }), false);
        assert!(r.contains("--> q.q:2:18"), "{r}");
        assert!(r.contains("2 | | stats count by 'Sorce IP'"), "{r}");
        assert!(r.contains("  |                  ^^^^^^^^^^"), "{r}");
        assert!(r.contains("= help: did you mean 'Source IP'?"), "{r}");
    }
}
