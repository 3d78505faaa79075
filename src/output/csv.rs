//! CSV output: a header row, then one row per result row.

use std::io::{self, Write};

use crate::store::{ip, time, ColumnData, Table};

/// Append the CSV text of row `r` of column `c` (nothing for null).
pub fn cell(t: &Table, c: usize, r: usize, out: &mut String) {
    use std::fmt::Write as _;
    let col = t.column(c);
    if !col.is_valid(r) {
        return;
    }
    match &col.data {
        ColumnData::Int(v) | ColumnData::Duration(v) => {
            let _ = write!(out, "{}", v[r]);
        }
        ColumnData::Float(v) => {
            let _ = write!(out, "{}", v[r]);
        }
        ColumnData::Time(v) => time::write_rfc3339(out, v[r]),
        ColumnData::Ip4(v) => ip::write(out, ip::from_v4(v[r])),
        ColumnData::Ip(v) => ip::write(out, v[r]),
        ColumnData::Str(s) => out.push_str(s.dict.get(s.codes[r])),
        ColumnData::Bool(v) => out.push_str(if v[r] { "true" } else { "false" }),
    }
}

pub fn write(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    w.write_record(t.fields.iter().map(|f| f.name.as_str()))?;
    let mut buf = String::new();
    for r in 0..t.len() {
        for c in 0..t.fields.len() {
            buf.clear();
            cell(t, c, r, &mut buf);
            w.write_field(&buf)?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()?;
    Ok(())
}
