//! JSON output: one array of objects, or NDJSON with one object per line.

use std::io::{self, Write};

use crate::store::{ColumnData, Table};

fn value(t: &Table, c: usize, r: usize, buf: &mut String, out: &mut Vec<u8>) -> io::Result<()> {
    let col = t.column(c);
    if !col.is_valid(r) {
        out.extend_from_slice(b"null");
        return Ok(());
    }
    match &col.data {
        ColumnData::Int(v) | ColumnData::Duration(v) => write!(out, "{}", v[r]),
        ColumnData::Float(v) if v[r].is_finite() => write!(out, "{}", v[r]),
        ColumnData::Float(_) => write!(out, "null"),
        ColumnData::Bool(v) => write!(out, "{}", v[r]),
        _ => {
            buf.clear();
            super::csv::cell(t, c, r, buf);
            push_string(buf, out);
            Ok(())
        }
    }
}

/// `s` as a JSON string: quotes, backslashes and control characters escaped.
fn push_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for b in s.bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..0x20 | 0x7f => {
                let _ = write!(out, "\\u{b:04x}");
            }
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

pub fn write(t: &Table, lines: bool, out: &mut dyn Write) -> io::Result<()> {
    let keys: Vec<Vec<u8>> = t
        .fields
        .iter()
        .map(|f| {
            let mut k = Vec::new();
            push_string(&f.name, &mut k);
            k
        })
        .collect();
    let mut buf = String::new();
    let mut line: Vec<u8> = Vec::with_capacity(512);
    if !lines {
        out.write_all(b"[")?;
    }
    for r in 0..t.len() {
        line.clear();
        if !lines {
            line.extend_from_slice(if r == 0 { b"\n" } else { b",\n" });
        }
        line.push(b'{');
        for (c, k) in keys.iter().enumerate() {
            if c > 0 {
                line.push(b',');
            }
            line.extend_from_slice(k);
            line.push(b':');
            value(t, c, r, &mut buf, &mut line)?;
        }
        line.push(b'}');
        if lines {
            line.push(b'\n');
        }
        out.write_all(&line)?;
    }
    if !lines {
        out.write_all(if t.is_empty() { b"]\n" } else { b"\n]\n" })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::push_string;

    #[test]
    fn strings_read_back_as_written() {
        for s in ["", "plain", "quote \" and \\ back", "line\nbreak\ttab\r", "\u{1b}[31m\u{7f}\u{0}", "é ☃ \u{202e}"]
        {
            let mut out = Vec::new();
            push_string(s, &mut out);
            let back: String = serde_json::from_slice(&out).unwrap();
            assert_eq!(back, s);
            assert!(!out.iter().any(|&b| b < 0x20 || b == 0x7f), "{out:?}");
        }
    }
}
