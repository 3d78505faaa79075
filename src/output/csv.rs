//! CSV output: a header row, then one row per result row. Large results are formatted
//! in blocks on all cores by per-column writers prepared once (dictionary strings are
//! quoted once per distinct value, integers and addresses written by hand).

use std::io::{self, Write};

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

#[inline]
pub fn write_int(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
}

#[inline]
fn write_2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10) as u8);
    out.push(b'0' + (v % 10) as u8);
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

impl TimeCache {
    fn write(&mut self, out: &mut Vec<u8>, ms: i64) {
        let day = ms.div_euclid(86_400_000);
        if !self.valid || day != self.day {
            let (y, m, d) = time::civil_from_days(day);
            let s = format!("{y:04}-{m:02}-{d:02}");
            if s.len() != 10 {
                // Years outside 0000-9999: the general formatter.
                let mut t = String::new();
                time::write_rfc3339(&mut t, ms);
                out.extend_from_slice(t.as_bytes());
                return;
            }
            self.date.copy_from_slice(s.as_bytes());
            self.day = day;
            self.valid = true;
        }
        let rem = ms.rem_euclid(86_400_000);
        let secs = (rem / 1000) as u32;
        out.extend_from_slice(&self.date);
        out.push(b'T');
        write_2(out, secs / 3600);
        out.push(b':');
        write_2(out, (secs / 60) % 60);
        out.push(b':');
        write_2(out, secs % 60);
        let frac = rem % 1000;
        if frac != 0 {
            out.extend_from_slice(format!(".{frac:03}").as_bytes());
        }
        out.push(b'Z');
    }
}

fn writer(col: &Column) -> ColWriter<'_> {
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
                    quote(v, &mut q);
                    q
                })
                .collect(),
        ),
        _ => ColWriter::Other,
    }
}

fn write_rows(t: &Table, writers: &[ColWriter], rows: std::ops::Range<usize>, out: &mut Vec<u8>) {
    let mut times: Vec<TimeCache> = writers.iter().map(|_| TimeCache::default()).collect();
    let mut text = String::new();
    for r in rows {
        for (c, w) in writers.iter().enumerate() {
            if c > 0 {
                out.push(b',');
            }
            if !t.column(c).is_valid(r) {
                continue;
            }
            match w {
                ColWriter::Int(v) => write_int(out, v[r]),
                ColWriter::Time(v) => times[c].write(out, v[r]),
                ColWriter::Ip4(v) => {
                    let a = v[r];
                    for (i, shift) in [24, 16, 8, 0].into_iter().enumerate() {
                        if i > 0 {
                            out.push(b'.');
                        }
                        write_int(out, ((a >> shift) & 255) as i64);
                    }
                }
                ColWriter::Str(codes, quoted) => out.extend_from_slice(&quoted[codes[r] as usize]),
                ColWriter::Other => {
                    text.clear();
                    cell(t, c, r, &mut text);
                    quote(&text, out);
                }
            }
        }
        out.push(b'\n');
    }
}

/// Rows per formatting block.
const BLOCK: usize = 1 << 16;

pub fn write(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    let mut head = Vec::new();
    for (i, f) in t.fields.iter().enumerate() {
        if i > 0 {
            head.push(b',');
        }
        quote(&f.name, &mut head);
    }
    head.push(b'\n');
    out.write_all(&head)?;
    let writers: Vec<ColWriter> = t.columns.iter().map(|c| writer(c)).collect();
    let threads = crate::parallel::threads();
    let n = t.len();
    if n <= BLOCK || threads == 1 {
        let mut buf = Vec::with_capacity(n * 64);
        write_rows(t, &writers, 0..n, &mut buf);
        return out.write_all(&buf);
    }
    // Format `threads` blocks at a time in parallel while the previous wave is written.
    // Buffers go round (written, then formatted into again), so after the first waves
    // they are large enough and their memory is touched once.
    let blocks: Vec<std::ops::Range<usize>> = (0..n).step_by(BLOCK).map(|s| s..(s + BLOCK).min(n)).collect();
    let mut pending: Vec<Vec<u8>> = Vec::new();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    for wave in blocks.chunks(threads) {
        let (bufs, written) = std::thread::scope(|s| {
            let handles: Vec<_> = wave
                .iter()
                .map(|range| {
                    let writers = &writers;
                    let mut buf = spare.pop().unwrap_or_else(|| Vec::with_capacity(range.len() * 64));
                    s.spawn(move || {
                        buf.clear();
                        write_rows(t, writers, range.clone(), &mut buf);
                        buf
                    })
                })
                .collect();
            let written: io::Result<()> = pending.iter().try_for_each(|b| out.write_all(b));
            let bufs: Vec<Vec<u8>> =
                handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect();
            (bufs, written)
        });
        written?;
        spare.append(&mut pending);
        pending = bufs;
    }
    pending.iter().try_for_each(|b| out.write_all(b))
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
        write(&t, &mut out).unwrap();
        let writers: Vec<ColWriter> = t.columns.iter().map(|c| writer(c)).collect();
        let mut want = b"N,S\n".to_vec();
        write_rows(&t, &writers, 0..n, &mut want);
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
        write(&t, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"Text, quoted\",Time,N\n\"a,b\",2020-07-26T22:55:00Z,-42\n\"say \"\"hi\"\"\",1969-12-31T23:59:59Z,0\n,2020-07-26T22:55:00.250Z,-9223372036854775808\n"
        );
    }
}
