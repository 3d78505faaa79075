//! Reading query text a character at a time while knowing whether each one is code, or
//! inside quotes or a `#` comment: what the multi-line rule, query splitting and
//! completion need without a full parse.

/// What a character is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Code,
    /// An opening or closing quote, or a character between them.
    Quoted,
    /// `#` and what follows it on the line.
    Comment,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Scanner {
    quote: Option<char>,
    comment: bool,
}

impl Scanner {
    /// Where `c`, the next character, stands.
    pub fn step(&mut self, c: char) -> Place {
        if self.comment {
            if c == '\n' {
                self.comment = false;
                return Place::Code;
            }
            return Place::Comment;
        }
        match (self.quote, c) {
            (Some(q), c) if c == q => {
                self.quote = None;
                Place::Quoted
            }
            (Some(_), _) => Place::Quoted,
            (None, '#') => {
                self.comment = true;
                Place::Comment
            }
            (None, '\'' | '"') => {
                self.quote = Some(c);
                Place::Quoted
            }
            _ => Place::Code,
        }
    }

    /// The quote left open, if any.
    pub fn open_quote(&self) -> Option<char> {
        self.quote
    }

    /// A new line ends a comment (for callers that walk line by line).
    pub fn end_line(&mut self) {
        self.comment = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places() {
        let mut s = Scanner::default();
        let p: Vec<Place> = "a'b'#c\nd".chars().map(|c| s.step(c)).collect();
        use Place::*;
        assert_eq!(p, [Code, Quoted, Quoted, Quoted, Comment, Comment, Code, Code]);
        let mut s = Scanner::default();
        "x = 'ab".chars().for_each(|c| {
            s.step(c);
        });
        assert_eq!(s.open_quote(), Some('\''));
    }
}
