//! The rustyline helper: Tab completion, colouring from the real grammar, a hint for
//! the rest of a word when only one completion fits, and multi-line input while
//! quotes or brackets are open or the query stops short at its end.

use std::borrow::Cow;

use owo_colors::OwoColorize;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use flowq::repl::complete::{complete, incomplete, Vocabulary};
use flowq::syntax::tokens::{tokens, TokenKind};

pub struct QueryHelper {
    pub vocab: Vocabulary,
    pub color: bool,
}

impl Completer for QueryHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, found) = complete(&line[..pos], &self.vocab);
        Ok((start, found.into_iter().map(|c| Pair { display: c.clone(), replacement: c }).collect()))
    }
}

impl Hinter for QueryHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _: &Context<'_>) -> Option<String> {
        if pos < line.len() || line.trim().is_empty() || line.ends_with(' ') {
            return None;
        }
        let (start, found) = complete(line, &self.vocab);
        let typed = line.get(start..pos)?;
        match &found[..] {
            [only] if only.to_lowercase().starts_with(&typed.to_lowercase()) => {
                only.get(typed.len()..).filter(|rest| !rest.is_empty()).map(str::to_string)
            }
            _ => None,
        }
    }
}

fn paint(piece: &str, kind: TokenKind) -> String {
    match kind {
        TokenKind::Command => piece.bold().magenta().to_string(),
        TokenKind::Keyword => piece.blue().to_string(),
        TokenKind::Name => piece.cyan().to_string(),
        TokenKind::Function => piece.yellow().to_string(),
        TokenKind::Text => piece.green().to_string(),
        TokenKind::Number => piece.bright_magenta().to_string(),
    }
}

impl Highlighter for QueryHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.starts_with(':') {
            return Cow::Borrowed(line);
        }
        let (pieces, error_at) = match tokens(line) {
            Ok(t) => (t, None),
            // Unfinished input is not an error yet: only text after the point where the
            // grammar stops, on a finished line, is.
            Err(at) => (Vec::new(), (!incomplete(line) && at < line.trim_end().len()).then_some(at)),
        };
        let mut out = String::with_capacity(line.len() * 2);
        let mut at = 0;
        for (span, kind) in pieces {
            if span.start < at || span.end > line.len() {
                continue;
            }
            out.push_str(&line[at..span.start]);
            out.push_str(&paint(&line[span.start..span.end], kind));
            at = span.end;
        }
        match error_at {
            Some(e) if e >= at => {
                out.push_str(&line[at..e]);
                out.push_str(&(&line[e..]).red().underline().to_string());
            }
            _ => out.push_str(&line[at..]),
        }
        Cow::Owned(out)
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(hint.dimmed().to_string())
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl Validator for QueryHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if input.starts_with(':') || !incomplete(input) {
            Ok(ValidationResult::Valid(None))
        } else {
            Ok(ValidationResult::Incomplete)
        }
    }
}

impl Helper for QueryHelper {}
