//! The one lexer beside the grammar: where quoted text and `#` comments are in a query,
//! by exactly the grammar's rules (`sq_string`, `dq_string`, `COMMENT` in
//! grammar/flowq.pest). Everything that must know "is this character code?" without a
//! full parse asks here: the nesting limit, the empty-query test, `$param`
//! substitution, splitting `flowq run -` input into queries, and the console's
//! completion and multi-line rule. A test compares these ranges with pest's spans over
//! every saved query and registry example.
//!
//! The grammar's quoting: inside `'…'`, `''` stands for one quote and a backslash takes
//! the next character whatever it is (`\'` does not close); the same for `"…"`. A
//! repetition in a PEG is greedy, so `'''` is an opening quote, one escaped quote and
//! no closing quote. A comment runs from `#` outside quotes to the end of the line.

/// What a stretch of query text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Quoted text, quotes included; `closed` is false when the text ends inside it.
    Quoted { quote: char, closed: bool },
    /// `#` up to (not including) the end of the line.
    Comment,
}

/// One quoted or comment stretch: bytes `start..end` of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// The quoted and comment stretches of `text`, in order; everything between them is code.
pub fn regions(text: &str) -> Vec<Region> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                let start = i;
                i += 1;
                let mut closed = false;
                while i < b.len() {
                    match b[i] {
                        c if c == q && b.get(i + 1) == Some(&q) => i += 2,
                        c if c == q => {
                            i += 1;
                            closed = true;
                            break;
                        }
                        // The escaped character may be several bytes long.
                        b'\\' if i + 1 < b.len() => i += 1 + char_len(text, i + 1),
                        _ => i += 1,
                    }
                }
                out.push(Region { kind: Kind::Quoted { quote: q as char, closed }, start, end: i.min(b.len()) });
            }
            // `#` and six hex digits alone is a colour value, as the grammar's hex_colour.
            b'#' if is_hex_colour(&b[i..]) => i += 7,
            b'#' => {
                let end = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |e| i + e);
                out.push(Region { kind: Kind::Comment, start: i, end });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether `b` opens with `#` and six hex digits not followed by a name character.
fn is_hex_colour(b: &[u8]) -> bool {
    b.len() >= 7
        && b[1..7].iter().all(u8::is_ascii_hexdigit)
        && !b.get(7).is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b':' | b'/'))
}

fn char_len(text: &str, at: usize) -> usize {
    text[at..].chars().next().map_or(1, char::len_utf8)
}

/// A piece of `text`: code, or one [`Region`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Code(usize, &'a str),
    Quoted(Region, &'a str),
    Comment(Region, &'a str),
}

/// `text` cut into code and regions, in order, covering every byte once.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in regions(text) {
        if r.start > at {
            out.push(Piece::Code(at, &text[at..r.start]));
        }
        let s = &text[r.start..r.end];
        out.push(match r.kind {
            Kind::Quoted { .. } => Piece::Quoted(r, s),
            Kind::Comment => Piece::Comment(r, s),
        });
        at = r.end;
    }
    if at < text.len() {
        out.push(Piece::Code(at, &text[at..]));
    }
    out
}

/// The code of `text` with each byte of quoted text and comments replaced by a space:
/// positions are kept, and nothing in quotes or comments can look like code.
pub fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for p in pieces(text) {
        match p {
            Piece::Code(_, s) => out.push_str(s),
            Piece::Quoted(_, s) | Piece::Comment(_, s) => out.extend(std::iter::repeat_n(' ', s.len())),
        }
    }
    out
}

/// The quote left open at the end of `text`: its character and where it starts.
pub fn open_quote(text: &str) -> Option<(char, usize)> {
    match regions(text).last() {
        Some(Region { kind: Kind::Quoted { quote, closed: false }, start, .. }) => Some((*quote, *start)),
        _ => None,
    }
}

/// Whether `text` holds anything but white space and comments.
pub fn has_code(text: &str) -> bool {
    pieces(text).iter().any(|p| match p {
        Piece::Code(_, s) => !s.trim().is_empty(),
        Piece::Quoted(..) => true,
        Piece::Comment(..) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<&str> {
        regions(text)
            .into_iter()
            .filter(|r| matches!(r.kind, Kind::Quoted { .. }))
            .map(|r| &text[r.start..r.end])
            .collect()
    }

    #[test]
    fn quotes_as_the_grammar_reads_them() {
        assert_eq!(quoted("a = 'x' and b = \"y\""), ["'x'", "\"y\""]);
        assert_eq!(quoted("x = 'it''s' | y"), ["'it''s'"]);
        assert_eq!(quoted(r"x = 'a\'' or b"), [r"'a\''"]);
        assert_eq!(quoted(r#"x = "say \"hi\"" | z"#), [r#""say \"hi\"""#]);
        assert_eq!(quoted("x = '' | y = ''"), ["''", "''"]);
        // A backslash before a character of several bytes takes all of it.
        assert_eq!(quoted("x = '\\é' | y"), ["'\\é'"]);
        assert_eq!(open_quote("x = '''"), Some(('\'', 4)));
        assert_eq!(open_quote(r"x = 'a\'"), Some(('\'', 4)));
        assert_eq!(open_quote("x = 'ab' "), None);
        assert_eq!(open_quote("x = 'ab\\"), Some(('\'', 4)));
    }

    #[test]
    fn comments_outside_quotes() {
        let t = "a # one 'x\nb = '#not' # two";
        let c: Vec<&str> =
            regions(t).into_iter().filter(|r| r.kind == Kind::Comment).map(|r| &t[r.start..r.end]).collect();
        assert_eq!(c, ["# one 'x", "# two"]);
        assert_eq!(code_only(t).len(), t.len());
        assert_eq!(code_only(t).trim_end(), "a         \nb =");
        assert!(!has_code("  # only\n# comments\n"));
        // A colour is code; a longer word after # is a comment.
        assert_eq!(code_only("x color=#32A852 y"), "x color=#32A852 y");
        assert_eq!(code_only("x #32A852z").trim_end(), "x");
        assert_eq!(code_only("x #32A85").trim_end(), "x");
        assert!(has_code("# c\n*"));
    }

    #[test]
    fn pieces_cover_the_text() {
        for t in ["", "*", "a 'b' c", "'x", "# c", "x = \"a\"#c\n| y"] {
            let joined: String = pieces(t)
                .iter()
                .map(|p| match p {
                    Piece::Code(_, s) | Piece::Quoted(_, s) | Piece::Comment(_, s) => *s,
                })
                .collect();
            assert_eq!(joined, t);
        }
    }
}
