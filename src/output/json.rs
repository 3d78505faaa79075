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
            serde_json::to_writer(&mut *out, buf.as_str()).map_err(io::Error::other)
        }
    }
}

pub fn write(t: &Table, lines: bool, out: &mut dyn Write) -> io::Result<()> {
    let keys: Vec<String> =
        t.fields.iter().map(|f| serde_json::to_string(&f.name).map_err(io::Error::other)).collect::<io::Result<_>>()?;
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
            line.extend_from_slice(k.as_bytes());
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
