//! CSV output: a header row, then one row per result row. Large results are formatted
//! in blocks on all cores by per-column writers prepared once (dictionary strings are
//! quoted once per distinct value, integers and addresses written by hand).

use std::io::{self, Write};

use super::row_buf::{RowBuf, INT_WIDTH, IPV4_WIDTH};
use crate::store::{ip, time, Column, ColumnData, Table};

/// Append the CSV text of row `r` of column `c` (nothing for null), unquoted.
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

/// Text as a CSV field: quoted when it holds a comma, quote, or line break.
pub fn quote(s: &str, out: &mut Vec<u8>) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// A column's writer, prepared once per output.
enum ColWriter<'a> {
    Int(&'a [i64]),
    Time(&'a [i64]),
    Ip4(&'a [u32]),
    /// Each dictionary entry, already quoted.
    Str(&'a [u32], Vec<Vec<u8>>),
    Other,
}

/// Formats times, remembering the date of the last one (consecutive rows share days).
#[derive(Default)]
struct TimeCache {
    day: i64,
    date: [u8; 10],
    valid: bool,
}

/// The most bytes a time takes (`yyyy-mm-ddThh:mm:ss.fffZ`) in the usual years.
const TIME_WIDTH: usize = 24;

impl TimeCache {
    /// Write a time as RFC 3339 (room for [`TIME_WIDTH`] bytes is reserved).
    #[inline]
    fn write(&mut self, out: &mut RowBuf, ms: i64) {
        let day = ms.div_euclid(86_400_000);
        if !self.valid || day != self.day {
            let (y, m, d) = time::civil_from_days(day);
            let s = format!("{y:04}-{m:02}-{d:02}");
            if s.len() != 10 {
                // Years outside 0000-9999: the general formatter.
                let mut t = String::new();
                time::write_rfc3339(&mut t, ms);
                out.bytes(t.as_bytes());
                return;
            }
            self.date.copy_from_slice(s.as_bytes());
            self.day = day;
            self.valid = true;
        }
        let rem = ms.rem_euclid(86_400_000);
        let secs = (rem / 1000) as u32;
        out.fixed(&self.date);
        out.byte(b'T');
        out.pair(secs / 3600);
        out.byte(b':');
        out.pair((secs / 60) % 60);
        out.byte(b':');
        out.pair(secs % 60);
        let frac = (rem % 1000) as u32;
        if frac != 0 {
            out.byte(b'.');
            out.byte(b'0' + (frac / 100) as u8);
            out.pair(frac % 100);
        }
        out.byte(b'Z');
    }
}

/// Whether a spreadsheet would run `s` as a formula (OWASP's list: `= + - @`, tab, CR).
fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Text as a CSV field, with `guard`: a `'` before text a spreadsheet would run
/// (`--csv-guard`, USER_GUIDE.md).
fn quote_text(s: &str, guard: bool, out: &mut Vec<u8>) {
    if guard && looks_like_formula(s) {
        quote(&format!("'{s}"), out);
    } else {
        quote(s, out);
    }
}

fn writer(col: &Column, guard: bool) -> ColWriter<'_> {
    match &col.data {
        ColumnData::Int(v) | ColumnData::Duration(v) => ColWriter::Int(v),
        ColumnData::Time(v) => ColWriter::Time(v),
        ColumnData::Ip4(v) => ColWriter::Ip4(v),
        ColumnData::Str(s) => ColWriter::Str(
            &s.codes,
            s.dict
                .values()
                .iter()
                .map(|v| {
                    let mut q = Vec::new();
                    quote_text(v, guard, &mut q);
                    q
                })
                .collect(),
        ),
        _ => ColWriter::Other,
    }
}

/// Bytes of a row that `write_rows` reserves before writing it: each column's widest
/// value of fixed width, a comma each, the line end. (Text is reserved as it is
/// copied.)
fn row_width(writers: &[ColWriter]) -> usize {
    let widest = |w: &ColWriter| match w {
        ColWriter::Int(_) => INT_WIDTH,
        ColWriter::Time(_) => TIME_WIDTH,
        ColWriter::Ip4(_) => IPV4_WIDTH + 4,
        ColWriter::Str(..) | ColWriter::Other => 0,
    };
    writers.iter().map(|w| widest(w) + 1).sum::<usize>() + 1
}

fn write_rows(t: &Table, writers: &[ColWriter], rows: std::ops::Range<usize>, out: &mut RowBuf) {
    let mut times: Vec<TimeCache> = writers.iter().map(|_| TimeCache::default()).collect();
    let mut text = String::new();
    let mut quoted = Vec::new();
    let width = row_width(writers);
    let one_column = writers.len() == 1;
    for r in rows {
        out.reserve(width);
        let start = out.as_slice().len();
        for (c, w) in writers.iter().enumerate() {
            if c > 0 {
                out.byte(b',');
            }
            if !t.column(c).is_valid(r) {
                continue;
            }
            match w {
                ColWriter::Int(v) => out.int(v[r]),
                ColWriter::Time(v) => times[c].write(out, v[r]),
                ColWriter::Ip4(v) => out.ipv4(v[r]),
                ColWriter::Str(codes, quoted) => out.bytes(&quoted[codes[r] as usize]),
                ColWriter::Other => {
                    text.clear();
                    cell(t, c, r, &mut text);
                    quoted.clear();
                    quote(&text, &mut quoted);
                    out.bytes(&quoted);
                }
            }
            // Text written by `bytes` may have used up the row's room.
            if matches!(w, ColWriter::Str(..) | ColWriter::Other) {
                out.reserve(width);
            }
        }
        // A row of one empty cell is `""`, not an empty line, which CSV readers skip.
        if one_column && out.as_slice().len() == start {
            out.bytes(b"\"\"");
        }
        out.byte(b'\n');
    }
}

/// Rows per formatting block.
const BLOCK: usize = 1 << 16;

/// Write `t` as CSV; with `guard`, text cells (and names) a spreadsheet would run as
/// formulas get a leading `'`.
pub fn write(t: &Table, guard: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut head = Vec::new();
    for (i, f) in t.fields.iter().enumerate() {
        if i > 0 {
            head.push(b',');
        }
        quote_text(&f.name, guard, &mut head);
    }
    head.push(b'\n');
    out.write_all(&head)?;
    let writers: Vec<ColWriter> = t.columns.iter().map(|c| writer(c, guard)).collect();
    let threads = crate::parallel::threads();
    let n = t.len();
    if n <= BLOCK || threads == 1 {
        let mut buf = RowBuf::default();
        write_rows(t, &writers, 0..n, &mut buf);
        return out.write_all(buf.as_slice());
    }
    // Format `threads` blocks at a time in parallel while the previous wave is written.
    // Buffers go round (written, then formatted into again), so after the first waves
    // they are large enough and their memory is touched once.
    let blocks: Vec<std::ops::Range<usize>> = (0..n).step_by(BLOCK).map(|s| s..(s + BLOCK).min(n)).collect();
    let mut pending: Vec<RowBuf> = Vec::new();
    let mut spare: Vec<RowBuf> = Vec::new();
    for wave in blocks.chunks(threads) {
        let (bufs, written) = std::thread::scope(|s| {
            let handles: Vec<_> = wave
                .iter()
                .map(|range| {
                    let writers = &writers;
                    let mut buf = spare.pop().unwrap_or_default();
                    s.spawn(move || {
                        buf.clear();
                        write_rows(t, writers, range.clone(), &mut buf);
                        buf
                    })
                })
                .collect();
            let written: io::Result<()> = pending.iter().try_for_each(|b| out.write_all(b.as_slice()));
            let bufs: Vec<RowBuf> =
                handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect();
            (bufs, written)
        });
        written?;
        spare.append(&mut pending);
        pending = bufs;
    }
    pending.iter().try_for_each(|b| out.write_all(b.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ColumnBuilder, Value};

    #[test]
    fn blocks_written_in_parallel_keep_the_order() {
        // More than two waves of blocks, so buffers are reused.
        let n = BLOCK * 5 + 123;
        let mut t = Table::new(n);
        let mut b = ColumnBuilder::new(n);
        let mut s = ColumnBuilder::new(n);
        for i in 0..n {
            b.push(Value::Int(i as i64 * 7 - 3));
            s.push(if i % 3 == 0 { Value::Null } else { Value::str(["a", "b,c", "dd"][i % 3]) });
        }
        t.push("N", b.finish());
        t.push("S", s.finish());
        let mut out = Vec::new();
        write(&t, false, &mut out).unwrap();
        let writers: Vec<ColWriter> = t.columns.iter().map(|c| writer(c, false)).collect();
        let mut rows = RowBuf::default();
        write_rows(&t, &writers, 0..n, &mut rows);
        let want = [b"N,S\n".as_slice(), rows.as_slice()].concat();
        assert_eq!(out.len(), want.len());
        assert!(out == want);
    }

    #[test]
    fn fields_are_quoted_and_typed() {
        let mut t = Table::new(3);
        let mut b = ColumnBuilder::new(3);
        for v in [Value::str("a,b"), Value::str("say \"hi\""), Value::Null] {
            b.push(v);
        }
        t.push("Text, quoted", b.finish());
        let mut b = ColumnBuilder::new(3);
        for v in [Value::Time(1_595_804_100_000), Value::Time(-1000), Value::Time(1_595_804_100_250)] {
            b.push(v);
        }
        t.push("Time", b.finish());
        let mut b = ColumnBuilder::new(3);
        for v in [Value::Int(-42), Value::Int(0), Value::Int(i64::MIN)] {
            b.push(v);
        }
        t.push("N", b.finish());
        let mut out = Vec::new();
        write(&t, false, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"Text, quoted\",Time,N\n\"a,b\",2020-07-26T22:55:00Z,-42\n\"say \"\"hi\"\"\",1969-12-31T23:59:59Z,0\n,2020-07-26T22:55:00.250Z,-9223372036854775808\n"
        );
    }

    #[test]
    fn a_row_of_one_empty_cell_is_not_an_empty_line() {
        let mut t = Table::new(3);
        let mut b = ColumnBuilder::new(3);
        for v in [Value::str("ACCEPT"), Value::Null, Value::str("")] {
            b.push(v);
        }
        t.push("Action", b.finish());
        let mut out = Vec::new();
        write(&t, false, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "Action\nACCEPT\n\"\"\n\"\"\n");
    }
}
