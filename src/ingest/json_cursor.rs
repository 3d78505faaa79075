//! A small cursor over JSON text: just what reading flow records needs (strings with
//! escapes, numbers kept as text, nested values passed over or walked in place).

use std::borrow::Cow;

/// A JSON value, as far as flow records need one.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Null,
    Bool(bool),
    Num(&'a [u8]),
    Str(Cow<'a, [u8]>),
    /// An object or array: its text.
    Nested(&'a [u8]),
}

/// A cursor over JSON text.
pub struct Reader<'a> {
    pub b: &'a [u8],
    pub i: usize,
}

pub type R<T> = Result<T, String>;

impl<'a> Reader<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\r' | b'\n') {
            self.i += 1;
        }
    }

    pub fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    pub fn expect(&mut self, c: u8) -> R<()> {
        match self.peek() {
            Some(x) if x == c => {
                self.i += 1;
                Ok(())
            }
            Some(x) => Err(format!("expected '{}' but found '{}'", c as char, (x as char).escape_default())),
            None => Err(format!("expected '{}' but the record ends", c as char)),
        }
    }

    pub fn string(&mut self) -> R<Cow<'a, [u8]>> {
        self.expect(b'"')?;
        let start = self.i;
        // The common case: no escapes, borrowed as is. (A local scan: the strings of flow
        // records are short, and storing the cursor at every byte cost a third of it.)
        let rest = &self.b[start..];
        let n = rest.iter().position(|&c| c == b'"' || c == b'\\').unwrap_or(rest.len());
        self.i = start + n;
        if rest.get(n) == Some(&b'"') {
            self.i += 1;
            return Ok(Cow::Borrowed(&rest[..n]));
        }
        let mut out = self.b[start..self.i].to_vec();
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'"' => return Ok(Cow::Owned(out)),
                b'\\' => {
                    let e = *self.b.get(self.i).ok_or("a string is not closed")?;
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xD800..0xDC00).contains(&cp) && self.b.get(self.i..self.i + 2) == Some(b"\\u") {
                                self.i += 2;
                                let lo = self.hex4()?;
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
                            }
                            let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                        other => return Err(format!("bad escape '\\{}' in a string", other as char)),
                    }
                }
                _ => out.push(c),
            }
        }
        Err("a string is not closed".into())
    }

    fn hex4(&mut self) -> R<u32> {
        let h = self.b.get(self.i..self.i + 4).ok_or("a \\u escape is cut short")?;
        self.i += 4;
        let s = std::str::from_utf8(h).map_err(|_| "bad \\u escape")?;
        u32::from_str_radix(s, 16).map_err(|_| format!("bad \\u escape '{s}'"))
    }

    pub fn value(&mut self) -> R<Val<'a>> {
        match self.peek() {
            Some(b'"') => Ok(Val::Str(self.string()?)),
            Some(b'{' | b'[') => {
                let start = self.i;
                self.skip_nested()?;
                Ok(Val::Nested(&self.b[start..self.i]))
            }
            Some(b't') => self.word(b"true", Val::Bool(true)),
            Some(b'f') => self.word(b"false", Val::Bool(false)),
            Some(b'n') => self.word(b"null", Val::Null),
            Some(c) if c == b'-' || c.is_ascii_digit() => {
                let start = self.i;
                while self.i < self.b.len() && matches!(self.b[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    self.i += 1;
                }
                Ok(Val::Num(&self.b[start..self.i]))
            }
            Some(c) => Err(format!("unexpected '{}'", (c as char).escape_default())),
            None => Err("the record ends where a value should be".into()),
        }
    }

    fn word(&mut self, w: &[u8], v: Val<'a>) -> R<Val<'a>> {
        if self.b.get(self.i..self.i + w.len()) == Some(w) {
            self.i += w.len();
            Ok(v)
        } else {
            Err("unexpected word (not true, false or null)".into())
        }
    }

    /// Pass over an object or array, minding strings.
    fn skip_nested(&mut self) -> R<()> {
        match nested_end(self.b, self.i) {
            Some(end) => {
                self.i = end;
                Ok(())
            }
            None => Err("an object or array is not closed".into()),
        }
    }

    /// Call `f` for each key of the object at the cursor; `f` reads the value.
    pub fn object(&mut self, mut f: impl FnMut(&[u8], &mut Self) -> R<()>) -> R<()> {
        self.expect(b'{')?;
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            f(&key, self)?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err("expected ',' or '}' in an object".into()),
            }
        }
    }
}

impl<'a> Reader<'a> {
    /// Call `f` for each element of the array at the cursor, with its index; `f` reads
    /// the element.
    pub fn array(&mut self, mut f: impl FnMut(usize, &mut Self) -> R<()>) -> R<()> {
        self.expect(b'[')?;
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        let mut index = 0;
        loop {
            f(index, self)?;
            index += 1;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err("expected ',' or ']' in an array".into()),
            }
        }
    }
}

/// Where the object at the start of `b` ends (one past its brace), if it does.
pub fn object_end(b: &[u8]) -> Option<usize> {
    nested_end(b, 0)
}

/// Where the object or array starting at `start` ends (one past its closing bracket),
/// or `None` when `b` ends first.
pub fn nested_end(b: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    let mut in_string = false;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}
