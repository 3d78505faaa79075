//! Text from the data or the query on its way to a terminal: control characters and
//! the characters that reorder text are shown as escapes, so a log value cannot move
//! the cursor, retitle the window, or make `exe.txt` read as `txt.exe`. Files get the
//! exact bytes; only what a terminal shows is escaped (USER_GUIDE.md, Output).

/// Whether `c` reorders the text around it on a terminal (bidirectional embeddings,
/// overrides, isolates and marks: U+202E makes `exe.txt` read as `txt.exe`).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether a terminal would act on `c` rather than show it.
pub fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Escape control characters (ESC, BEL, newlines, ...) as `\x1b`-style text, and the
/// characters that reorder text as `\u{202e}`-style text.
pub fn escape_controls(s: &str) -> String {
    if !s.chars().any(needs_escape) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        push_escaped(ch, &mut out);
    }
    out
}

fn push_escaped(ch: char, out: &mut String) {
    match ch {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if c.is_control() && (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if needs_escape(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
        c => out.push(c),
    }
}

/// Output text (CSV, JSON) bound for a terminal: each line escaped, line ends kept;
/// bytes that are not UTF-8 shown as U+FFFD.
pub fn escape_lines(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        for ch in line.chars() {
            push_escaped(ch, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminals_see_escapes() {
        assert_eq!(escape_controls("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(escape_controls("exe\u{202e}txt"), "exe\\u{202e}txt");
        assert_eq!(escape_controls("\u{9b}31m"), "\\x9b31m");
        assert_eq!(escape_controls("plain é"), "plain é");
        assert_eq!(escape_lines(b"a,\x07b\r\nc\n"), "a,\\x07b\nc\n");
        assert_eq!(escape_lines(b"\xff"), "\u{fffd}");
    }
}
