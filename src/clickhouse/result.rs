//! ClickHouse answers (`FORMAT TabSeparatedWithNames`) read into a [`Table`], one row at
//! a time as the answer streams in, with the types the plan expects.

use std::io::BufRead;

use crate::diag::Diagnostic;
use crate::store::{Column, ColumnBuilder, DataType, Field, Table, Value};

/// Read the answer to a compiled statement whose result columns are `fields`.
pub fn read_tsv(mut input: impl BufRead, fields: &[Field]) -> Result<Table, Diagnostic> {
    let bad = |line: usize, why: String| Diagnostic::runtime(format!("ClickHouse answer, line {line}: {why}"));
    let mut header = Vec::new();
    input.read_until(b'\n', &mut header).map_err(|e| bad(1, e.to_string()))?;
    let names = header.strip_suffix(b"\n").unwrap_or(&header).split(|&b| b == b'\t').count();
    if header.is_empty() || names != fields.len() {
        let text = String::from_utf8_lossy(&header).trim().to_string();
        return Err(bad(1, format!("expected {} columns, found: {text}", fields.len())));
    }
    let mut builders: Vec<ColumnBuilder> = fields.iter().map(|_| ColumnBuilder::new(1024)).collect();
    let mut line = Vec::new();
    let mut rows = 0usize;
    loop {
        line.clear();
        let n = input.read_until(b'\n', &mut line).map_err(|e| bad(rows + 2, e.to_string()))?;
        if n == 0 {
            break;
        }
        let row = line.strip_suffix(b"\n").unwrap_or(&line);
        let cells: Vec<&[u8]> = row.split(|&b| b == b'\t').collect();
        if cells.len() != fields.len() {
            // An error raised after the answer started comes as text at its end.
            let text = String::from_utf8_lossy(row);
            return Err(if text.starts_with("Code:") {
                crate::clickhouse::http::server_error("the server", 200, &text)
            } else {
                bad(rows + 2, format!("expected {} values, found {}", fields.len(), cells.len()))
            });
        }
        for ((cell, f), b) in cells.iter().zip(fields).zip(builders.iter_mut()) {
            let v = value(cell, f.dtype).map_err(|why| bad(rows + 2, format!("{}: {why}", f.name)))?;
            b.push(v);
        }
        rows += 1;
    }
    let mut table = Table::new(rows);
    for (f, b) in fields.iter().zip(builders) {
        let mut col = b.finish();
        if col.is_all_null() {
            col = Column::nulls_of(f.dtype, rows);
        }
        table.push(f.name.clone(), col);
        if let Some(last) = table.fields.last_mut() {
            last.dtype = f.dtype;
        }
    }
    Ok(table)
}

/// One TSV cell as a value of type `t`.
fn value(cell: &[u8], t: DataType) -> Result<Value<'static>, String> {
    if cell == b"\\N" {
        return Ok(Value::Null);
    }
    let text = unescape(cell);
    let int = || text.parse::<i64>().map_err(|_| format!("{text:?} is not an integer"));
    Ok(match t {
        DataType::Null => Value::Null,
        DataType::Int => Value::Int(int()?),
        DataType::Time => Value::Time(int()?),
        DataType::Duration => Value::Duration(int()?),
        DataType::Bool => Value::Bool(int()? != 0),
        DataType::Float => {
            let f = text.parse::<f64>().map_err(|_| format!("{text:?} is not a number"))?;
            if f.is_finite() {
                Value::Float(f)
            } else {
                Value::Null
            }
        }
        DataType::Ip => Value::Ip(u128::from_str_radix(&text, 16).map_err(|_| format!("{text:?} is not an address"))?),
        DataType::Str => Value::Str(text.into()),
    })
}

/// TSV escapes: `\t \n \r \0 \\ \' \b \f`.
fn unescape(cell: &[u8]) -> String {
    if !cell.contains(&b'\\') {
        return String::from_utf8_lossy(cell).into_owned();
    }
    let mut out = Vec::with_capacity(cell.len());
    let mut it = cell.iter();
    while let Some(&c) = it.next() {
        if c != b'\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some(b't') => out.push(b'\t'),
            Some(b'n') => out.push(b'\n'),
            Some(b'r') => out.push(b'\r'),
            Some(b'0') => out.push(0),
            Some(b'b') => out.push(8),
            Some(b'f') => out.push(12),
            Some(&o) => out.push(o),
            None => out.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A value as a TSV cell (for inserts), appended to `out`.
pub fn escape_into(bytes: &[u8], out: &mut Vec<u8>) {
    for &b in bytes {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => out.extend_from_slice(b"\\0"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_with_the_planned_types() {
        let fields = vec![
            Field::new("Source IP", DataType::Ip),
            Field::new("B", DataType::Int),
            Field::new("Note", DataType::Str),
            Field::new("Avg", DataType::Float),
        ];
        let tsv = "a\tb\tc\td\n00000000000000000000FFFF0A000005\t42\ttab\\there\t0.5\n\\N\t\\N\t\\N\tinf\n";
        let t = read_tsv(tsv.as_bytes(), &fields).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.get(0, 0), Value::Ip(crate::store::ip::parse("10.0.0.5").unwrap()));
        assert_eq!(t.get(2, 0), Value::str("tab\there"));
        assert_eq!(t.get(1, 1), Value::Null);
        assert_eq!(t.get(3, 1), Value::Null);
        let err = read_tsv("a\n".as_bytes(), &fields).unwrap_err();
        assert!(err.message.contains("expected 4 columns"));
    }

    #[test]
    fn escaping_round_trips() {
        let mut out = Vec::new();
        escape_into(b"a\tb\\c\nd", &mut out);
        assert_eq!(unescape(&out), "a\tb\\c\nd");
    }
}
