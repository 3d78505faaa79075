//! How JSON records are found in a stream: between them whitespace, array brackets,
//! commas and Azure's `{"records": [ … ]}` wrapper; a line that opens no object is
//! skipped; a record left unclosed waits for more input. [`walk`] goes through them for
//! the parser (`json.rs`) and for the quick pass that cuts a large buffer between records.

use super::json_cursor::{nested_end, Reader};
use super::text::PartOutcome;
use super::Skip;

/// A record this long without its closing brace is taken as broken.
const MAX_RECORD: usize = 4 << 20;

/// The start of the first line at or after `from` that begins with `{` (after
/// blanks), or the end of `buf`.
fn next_record_line(buf: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(nl) = memchr::memchr(b'\n', &buf[i.min(buf.len())..]) {
        let start = i + nl + 1;
        let rest = &buf[start..];
        let blank = rest.iter().take_while(|c| matches!(c, b' ' | b'\t')).count();
        if rest.get(blank) == Some(&b'{') {
            return start;
        }
        i = start;
    }
    buf.len()
}

/// Where the records of an Azure blob `{"records": [` at `i` begin, if one opens there.
fn records_start(buf: &[u8], i: usize) -> Option<usize> {
    let mut r = Reader { b: buf, i };
    r.expect(b'{').ok()?;
    (r.string().ok()?.as_ref() == b"records").then_some(())?;
    r.expect(b':').ok()?;
    r.expect(b'[').ok()?;
    Some(r.i)
}

/// Whether `before` (what precedes a `}` between records) ends with the `]` of a
/// records array.
fn ends_records(before: &[u8]) -> bool {
    before.trim_ascii_end().ends_with(b"]")
}

/// Where each complete record of `buf` ends, and how far the records go (what
/// [`parse`](super::json::parse) would use): a quick pass that lets a large buffer be cut between records
/// and parsed on all cores.
pub fn record_ends(buf: &[u8], at_end: bool) -> (Vec<usize>, usize) {
    let mut ends = Vec::new();
    let (_, used) = walk(buf, at_end, |_, end, _, _| ends.push(end));
    (ends, used)
}

/// Go through the records of `buf` as [`parse`](super::json::parse) reads them (separators, arrays, Azure
/// blobs, lines that are no record), calling `on_record(start, end, line, skips)` for each.
pub(super) fn walk(
    buf: &[u8],
    at_end: bool,
    mut on_record: impl FnMut(usize, usize, u64, &mut Vec<Skip>),
) -> (PartOutcome, usize) {
    let mut skips = Vec::new();
    let mut line = 1u64;
    let mut i = 0usize;
    let count_lines = |from: usize, to: usize| memchr::memchr_iter(b'\n', &buf[from..to]).count() as u64;
    loop {
        // Between records: whitespace, array brackets and commas, and the closing brace
        // of an Azure blob after its records' array.
        let before = i;
        while i < buf.len() && matches!(buf[i], b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'}') {
            if buf[i] == b'}' && !ends_records(&buf[..i]) {
                break;
            }
            i += 1;
        }
        if buf[before..i].starts_with(b"\xef\xbb\xbf") {
            i = before + 3;
        }
        if i >= buf.len() && !at_end {
            // Keep the separators for the next block: a `]` and the `}` after it belong
            // together.
            i = before;
            break;
        }
        line += count_lines(before, i);
        if i >= buf.len() {
            break;
        }
        if let Some(inside) = records_start(buf, i) {
            // An Azure blob: its records are read one by one, as an array's are.
            line += count_lines(i, inside);
            i = inside;
            continue;
        }
        if buf[i..].starts_with(b"\xef\xbb\xbf") {
            i += 3;
            continue;
        }
        if buf[i] != b'{' {
            // Not a record: skip the rest of the line.
            let end = memchr::memchr(b'\n', &buf[i..]).map_or(buf.len(), |e| i + e);
            if end == buf.len() && !at_end {
                break;
            }
            let shown: String = String::from_utf8_lossy(&buf[i..end]).chars().take(60).collect();
            skips.push(Skip { line, reason: format!("not a JSON object: {shown}") });
            i = end;
            continue;
        }
        let Some(end) = nested_end(buf, i) else {
            // Unclosed: wait for more input, unless the input ends here or the record
            // has grown beyond any real one; then skip to the next line that opens one.
            if !at_end && buf.len() - i < MAX_RECORD {
                break;
            }
            skips.push(Skip { line, reason: "the JSON record is not closed".into() });
            let next = next_record_line(buf, i + 1);
            line += count_lines(i, next);
            i = next;
            continue;
        };
        on_record(i, end, line, &mut skips);
        line += count_lines(i, end);
        i = end;
    }
    (PartOutcome { lines: line - 1, skips, state: Default::default() }, i)
}
