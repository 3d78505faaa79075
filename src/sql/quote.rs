//! Quoting for generated SQL: every identifier and every literal goes through here, so
//! names and values holding quotes, backslashes, `;` or comment markers stay data.

/// A quoted identifier: `"Source IP"`. Inside, `\` and `"` are escaped with a
/// backslash (ClickHouse reads escapes in quoted identifiers as in strings).
pub fn ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    escape_into(name, '"', &mut out);
    out.push('"');
    out
}

/// A string literal: `'it''s'` written as `'it\'s'`; control characters escaped so a
/// literal never spans lines.
pub fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    escape_into(value, '\'', &mut out);
    out.push('\'');
    out
}

fn escape_into(s: &str, quote: char, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_and_literals_cannot_break_out() {
        assert_eq!(ident("Source IP"), r#""Source IP""#);
        assert_eq!(ident(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string("it's"), r"'it\'s'");
        assert_eq!(string("a\\'; DROP TABLE flows; --"), r"'a\\\'; DROP TABLE flows; --'");
        assert_eq!(string("two\nlines"), r"'two\nlines'");
    }
}
