//! OCI VCN flow logs in their text form: 12 space-separated fields,
//! `version srcaddr dstaddr srcport dstport protocol packets bytes start end action status`.

use super::columns::Record;
use crate::schema::Col;
use crate::schema::FieldMask;
use crate::store::{ip, Table, Value};

const FIELDS: usize = 12;
const NAMES: [&str; FIELDS] = [
    "version", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action",
    "status",
];

/// Split a line on runs of spaces and tabs into at most 12 fields; returns how many
/// fields the line has in all.
#[inline]
fn split_fields<'a>(line: &'a [u8], out: &mut [&'a [u8]; FIELDS]) -> usize {
    let mut n = 0;
    let mut i = 0;
    let len = line.len();
    while i < len {
        while i < len && (line[i] == b' ' || line[i] == b'\t') {
            i += 1;
        }
        if i >= len {
            break;
        }
        let start = i;
        while i < len && line[i] != b' ' && line[i] != b'\t' {
            i += 1;
        }
        if n < FIELDS {
            out[n] = &line[start..i];
        }
        n += 1;
    }
    n
}

#[inline(always)]
fn is_dash(b: &[u8]) -> bool {
    b == b"-"
}

/// A non-negative decimal integer, by hand.
#[inline]
fn parse_uint(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i64;
    }
    Some(v)
}

fn bad(idx: usize, b: &[u8], what: &str) -> String {
    format!("field {} ({}): '{}' is not {what}", idx + 1, NAMES[idx], String::from_utf8_lossy(b))
}

/// True when a line looks like OCI text: 12 fields with numeric times in 9 and 10.
pub fn looks_like(line: &[u8]) -> bool {
    let mut f: [&[u8]; FIELDS] = [&[]; FIELDS];
    split_fields(line, &mut f) == FIELDS && parse_uint(f[8]).is_some() && parse_uint(f[9]).is_some()
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Where the field starting at `i` ends: the next space or tab, or the line's end.
/// Eight bytes are tested at a time (a zero-byte test on the word XOR the separator).
#[inline(always)]
fn field_end(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else { break };
        let w = u64::from_le_bytes(bytes);
        let sp = w ^ (ONES * b' ' as u64);
        let tab = w ^ (ONES * b'\t' as u64);
        let hit = (sp.wrapping_sub(ONES) & !sp | tab.wrapping_sub(ONES) & !tab) & HIGHS;
        if hit != 0 {
            return i + (hit.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && !is_space(b[i]) {
        i += 1;
    }
    i
}

/// A single pass over one line: each field is parsed where it stands, without first
/// cutting the line into pieces (this is the hot loop of every load).
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    /// Fields read so far.
    n: usize,
}

#[inline(always)]
fn is_space(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

impl<'a> Scan<'a> {
    /// Move to the start of the next field; `Err` when the line has no more.
    #[inline(always)]
    fn next_start(&mut self) -> Option<usize> {
        while self.i < self.b.len() && is_space(self.b[self.i]) {
            self.i += 1;
        }
        if self.i >= self.b.len() {
            return None;
        }
        self.n += 1;
        Some(self.i)
    }

    #[inline(always)]
    fn start(&mut self) -> Result<usize, String> {
        match self.next_start() {
            Some(i) => Ok(i),
            None => Err(self.too_few()),
        }
    }

    #[cold]
    fn too_few(&self) -> String {
        format!("expected {FIELDS} fields, found {}", self.n)
    }

    /// The rest of the current field from `from`.
    #[inline(always)]
    fn finish_token(&mut self, from: usize) -> &'a [u8] {
        self.i = field_end(self.b, from);
        &self.b[from..self.i]
    }

    #[inline(always)]
    fn uint(&mut self, idx: usize) -> Result<Option<i64>, String> {
        let from = self.start()?;
        let mut v: i64 = 0;
        while self.i < self.b.len() {
            let d = self.b[self.i].wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            v = v * 10 + d as i64;
            self.i += 1;
        }
        let digits = self.i - from;
        if digits > 0 && digits <= 18 && (self.i == self.b.len() || is_space(self.b[self.i])) {
            return Ok(Some(v));
        }
        let tok = self.finish_token(from);
        if is_dash(tok) {
            return Ok(None);
        }
        Err(bad(idx, tok, "a number"))
    }

    #[inline(always)]
    fn ip(&mut self, idx: usize) -> Result<Option<u128>, String> {
        let from = self.start()?;
        let (mut out, mut octet, mut digits, mut dots) = (0u32, 0u32, 0u32, 0u32);
        while self.i < self.b.len() {
            let c = self.b[self.i];
            let d = c.wrapping_sub(b'0');
            if d <= 9 {
                octet = octet * 10 + d as u32;
                digits += 1;
                if digits > 3 || octet > 255 {
                    break;
                }
            } else if c == b'.' && digits > 0 && dots < 3 {
                out = (out << 8) | octet;
                octet = 0;
                digits = 0;
                dots += 1;
            } else {
                break;
            }
            self.i += 1;
        }
        if dots == 3 && digits > 0 && (self.i == self.b.len() || is_space(self.b[self.i])) {
            return Ok(Some(ip::from_v4((out << 8) | octet)));
        }
        // Not plain IPv4: IPv6, `-`, or garbage.
        self.i = from;
        let tok = self.finish_token(from);
        if is_dash(tok) {
            return Ok(None);
        }
        ip::parse_bytes(tok).map(Some).ok_or_else(|| bad(idx, tok, "an IP address"))
    }

    /// Pass over a field the query does not read (it is not checked).
    #[inline(always)]
    fn skip<T>(&mut self) -> Result<Option<T>, String> {
        let from = self.start()?;
        self.finish_token(from);
        Ok(None)
    }

    #[inline(always)]
    fn text(&mut self) -> Result<Option<&'a [u8]>, String> {
        let from = self.start()?;
        let tok = self.finish_token(from);
        Ok(Some(tok).filter(|t| !is_dash(t)))
    }
}

/// Parse one line; a bad line says why.
pub fn parse_line(line: &[u8]) -> Result<Record<'_>, String> {
    parse_line_fields(line, FieldMask::all())
}

/// Parse the fields of `mask` from one line, passing over the others.
pub fn parse_line_fields(line: &[u8], mask: FieldMask) -> Result<Record<'_>, String> {
    parse_fields(line, mask).map_err(|reason| {
        // A line with the wrong number of fields is best described by that.
        let mut all: [&[u8]; FIELDS] = [&[]; FIELDS];
        match split_fields(line, &mut all) {
            FIELDS => reason,
            n => format!("expected {FIELDS} fields, found {n}"),
        }
    })
}

/// Bit `k` set where byte `k` of the word is a space or a tab (exact per byte: no
/// carries cross byte lanes).
#[inline(always)]
fn separator_bits(w: u64) -> u64 {
    let zero = |x: u64| !(((x & !HIGHS) + !HIGHS) | x) & HIGHS;
    let hits = zero(w ^ (ONES * b' ' as u64)) | zero(w ^ (ONES * b'\t' as u64));
    (hits >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The fields of a line shorter than 128 bytes, as (start, end) pairs, found with
/// bit masks: separators are marked eight bytes at a time, then field starts and ends
/// are where the mask changes. Returns the count of fields (which may exceed 12).
#[inline(always)]
fn field_bounds(line: &[u8], out: &mut [(usize, usize); FIELDS]) -> Option<usize> {
    if line.len() >= 128 {
        return None;
    }
    // Two u64 halves: a variable shift of a u128 costs several instructions.
    let (mut lo, mut hi) = (0u64, 0u64);
    let mut i = 0;
    while let Some(chunk) = line.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else { break };
        let bits = separator_bits(u64::from_le_bytes(bytes));
        if i < 64 {
            lo |= bits << i;
        } else {
            hi |= bits << (i - 64);
        }
        i += 8;
    }
    for (j, &c) in line[i..].iter().enumerate() {
        if is_space(c) {
            let at = i + j;
            if at < 64 {
                lo |= 1 << at;
            } else {
                hi |= 1 << (at - 64);
            }
        }
    }
    let sep = ((hi as u128) << 64) | lo as u128;
    let field = !sep & ((1u128 << line.len()) - 1);
    let mut starts = field & !(field << 1);
    let mut ends = (field << 1) & !field;
    let n = starts.count_ones() as usize;
    for slot in out.iter_mut().take(n.min(FIELDS)) {
        let a = starts.trailing_zeros() as usize;
        let b = ends.trailing_zeros() as usize;
        *slot = (a, b);
        starts &= starts - 1;
        ends &= ends - 1;
    }
    Some(n)
}

#[inline(always)]
fn uint_token(tok: &[u8], idx: usize) -> Result<Option<i64>, String> {
    if tok.len() <= 18 {
        let mut v: i64 = 0;
        let mut ok = !tok.is_empty();
        for &c in tok {
            let d = c.wrapping_sub(b'0');
            ok &= d <= 9;
            v = v.wrapping_mul(10).wrapping_add(d as i64);
        }
        if ok {
            return Ok(Some(v));
        }
    }
    if is_dash(tok) {
        return Ok(None);
    }
    Err(bad(idx, tok, "a number"))
}

#[inline(always)]
fn ip_token(tok: &[u8], idx: usize) -> Result<Option<u128>, String> {
    if let Some(v4) = ip::parse_v4_bytes(tok) {
        return Ok(Some(ip::from_v4(v4)));
    }
    if is_dash(tok) {
        return Ok(None);
    }
    ip::parse_bytes(tok).map(Some).ok_or_else(|| bad(idx, tok, "an IP address"))
}

/// The fast path: fields located by bit masks, then only the wanted ones parsed.
#[inline(always)]
fn parse_by_bounds<'a>(line: &'a [u8], mask: FieldMask) -> Option<Result<Record<'a>, String>> {
    let mut f = [(0usize, 0usize); FIELDS];
    let n = field_bounds(line, &mut f)?;
    if n != FIELDS {
        return Some(Err(format!("expected {FIELDS} fields, found {n}")));
    }
    let tok = |i: usize| &line[f[i].0..f[i].1];
    Some((|| {
        let int = |c: Col, i: usize| if mask.contains(c) { uint_token(tok(i), i) } else { Ok(None) };
        let ipf = |c: Col, i: usize| if mask.contains(c) { ip_token(tok(i), i) } else { Ok(None) };
        let text = |c: Col, i: usize| if mask.contains(c) { Some(tok(i)).filter(|t| !is_dash(t)) } else { None };
        let sport = int(Col::SourcePort, 3)?;
        let dport = int(Col::DestinationPort, 4)?;
        let proto = int(Col::Protocol, 5)?;
        check_ranges(line, sport, dport, proto)?;
        Ok(Record {
            ints: [
                int(Col::Version, 0)?,
                sport,
                dport,
                proto,
                int(Col::Packets, 6)?,
                int(Col::ContentSizeOut, 7)?,
                millis(int(Col::Time, 8)?, tok(8), 8)?,
                millis(int(Col::FlowEndTime, 9)?, tok(9), 9)?,
            ],
            ips: [ipf(Col::SourceIp, 1)?, ipf(Col::DestinationIp, 2)?],
            strs: [text(Col::Action, 10), text(Col::Status, 11)],
        })
    })())
}

/// Epoch seconds to milliseconds; a value too large to hold is a bad field.
#[inline(always)]
fn millis(secs: Option<i64>, tok: &[u8], idx: usize) -> Result<Option<i64>, String> {
    match secs {
        None => Ok(None),
        Some(s) => s.checked_mul(1000).map(Some).ok_or_else(|| bad(idx, tok, "a time flowq can hold")),
    }
}

fn check_ranges(line: &[u8], sport: Option<i64>, dport: Option<i64>, proto: Option<i64>) -> Result<(), String> {
    let over = |p: Option<i64>, max: i64| p.is_some_and(|p| p > max);
    if over(sport, 65_535) || over(dport, 65_535) || over(proto, 255) {
        let mut f: [&[u8]; FIELDS] = [&[]; FIELDS];
        split_fields(line, &mut f);
        return Err(if over(sport, 65_535) {
            bad(3, f[3], "a port (0-65535)")
        } else if over(dport, 65_535) {
            bad(4, f[4], "a port (0-65535)")
        } else {
            bad(5, f[5], "a protocol number (0-255)")
        });
    }
    Ok(())
}

#[inline(always)]
fn parse_fields(line: &[u8], mask: FieldMask) -> Result<Record<'_>, String> {
    if let Some(r) = parse_by_bounds(line, mask) {
        return r;
    }
    scan_fields(line, mask)
}

/// The general path (any line length): one byte scan over the line.
fn scan_fields(line: &[u8], mask: FieldMask) -> Result<Record<'_>, String> {
    let mut s = Scan { b: line, i: 0, n: 0 };
    let int = |s: &mut Scan, c: Col, idx: usize| if mask.contains(c) { s.uint(idx) } else { s.skip() };
    let version = int(&mut s, Col::Version, 0)?;
    let src = if mask.contains(Col::SourceIp) { s.ip(1)? } else { s.skip()? };
    let dst = if mask.contains(Col::DestinationIp) { s.ip(2)? } else { s.skip()? };
    let sport = int(&mut s, Col::SourcePort, 3)?;
    let dport = int(&mut s, Col::DestinationPort, 4)?;
    let proto = int(&mut s, Col::Protocol, 5)?;
    let packets = int(&mut s, Col::Packets, 6)?;
    let bytes = int(&mut s, Col::ContentSizeOut, 7)?;
    let start = int(&mut s, Col::Time, 8)?;
    let end = int(&mut s, Col::FlowEndTime, 9)?;
    let (start, end) = match (start.map(|t| t.checked_mul(1000)), end.map(|t| t.checked_mul(1000))) {
        (Some(None), _) => return Err("field 9 (start): not a time flowq can hold".into()),
        (_, Some(None)) => return Err("field 10 (end): not a time flowq can hold".into()),
        (a, b) => (a.flatten(), b.flatten()),
    };
    let action = if mask.contains(Col::Action) { s.text()? } else { s.skip()? };
    let status = if mask.contains(Col::Status) { s.text()? } else { s.skip()? };
    if s.next_start().is_some() {
        return Err("too many fields".into());
    }
    if sport.is_some_and(|p| p > 65_535) || dport.is_some_and(|p| p > 65_535) {
        let mut f: [&[u8]; FIELDS] = [&[]; FIELDS];
        split_fields(line, &mut f);
        let idx = if sport.is_some_and(|p| p > 65_535) { 3 } else { 4 };
        return Err(bad(idx, f[idx], "a port (0-65535)"));
    }
    if proto.is_some_and(|p| p > 255) {
        let mut f: [&[u8]; FIELDS] = [&[]; FIELDS];
        split_fields(line, &mut f);
        return Err(bad(5, f[5], "a protocol number (0-255)"));
    }
    Ok(Record {
        ints: [version, sport, dport, proto, packets, bytes, start, end],
        ips: [src, dst],
        strs: [action, status],
    })
}

/// Write record `row` back in the OCI text form: its `Original Log Content`.
/// The line is rebuilt from the columns (single spaces, `-` for nulls) rather than
/// kept, which would double the memory of a load.
pub fn write_line(t: &Table, row: usize, out: &mut String) {
    let cols = [
        Col::Version,
        Col::SourceIp,
        Col::DestinationIp,
        Col::SourcePort,
        Col::DestinationPort,
        Col::Protocol,
        Col::Packets,
        Col::ContentSizeOut,
        Col::Time,
        Col::FlowEndTime,
        Col::Action,
        Col::Status,
    ];
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match t.get(*c as usize, row) {
            Value::Null => out.push('-'),
            Value::Time(ms) => out.push_str(&ms.div_euclid(1000).to_string()),
            v => out.push_str(&v.to_text().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{LoadOptions, Loader};

    fn table(text: &str) -> Table {
        let mut l = Loader::new(LoadOptions::default());
        l.add_bytes("t.log", text.as_bytes()).unwrap();
        l.finish().0
    }

    #[test]
    fn parses_ipv4_ipv6_and_nodata() {
        let t = table(
            "2 172.16.2.139 172.16.1.107 73 89 11 102 349 1557424462 1557424510 ALLOW OK\n\
             2 - - - - - - - 1598917969 1598917970 - NODATA\n\
             2 2001:db8::1  2001:db8::2 443 5000 6 1 2 1 2 ACCEPT OK\n",
        );
        assert_eq!(t.len(), 3);
        assert_eq!(t.get(Col::SourcePort as usize, 0), Value::Int(73));
        assert_eq!(t.get(Col::Time as usize, 0), Value::Time(1_557_424_462_000));
        assert_eq!(t.get(Col::SourceIp as usize, 1), Value::Null);
        assert_eq!(t.get(Col::Action as usize, 1), Value::Null);
        assert_eq!(t.get(Col::Status as usize, 1), Value::str("NODATA"));
        assert_eq!(t.get(Col::SourceIp as usize, 2), Value::Ip(ip::parse("2001:db8::1").unwrap()));
        assert_eq!(t.get(Col::SourceIp as usize, 0), Value::Ip(ip::parse("172.16.2.139").unwrap()));
        assert_eq!(t.get(Col::ProtocolName as usize, 0), Value::str("NVP-II"));
        assert_eq!(t.get(Col::ProtocolName as usize, 1), Value::Null);
        let mut line = String::new();
        write_line(&t, 1, &mut line);
        assert_eq!(line, "2 - - - - - - - 1598917969 1598917970 - NODATA");
    }

    #[test]
    fn reasons_name_the_field() {
        assert_eq!(parse_line(b"2 1.2.3.4 5.6.7.8 1 2").unwrap_err(), "expected 12 fields, found 5");
        assert_eq!(
            parse_line(b"2 1.2.3.4 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK extra").unwrap_err(),
            "expected 12 fields, found 13"
        );
        let e = parse_line(b"2 1.2.3.x 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK").unwrap_err();
        assert_eq!(e, "field 2 (srcaddr): '1.2.3.x' is not an IP address");
        let e = parse_line(b"2 1.2.3.4 5.6.7.8 99999 2 6 1 1 1 1 ACCEPT OK").unwrap_err();
        assert_eq!(e, "field 4 (srcport): '99999' is not a port (0-65535)");
        let e = parse_line(b"2 1.2.3.4 5.6.7.8 1 2 6 1 1x 1 1 ACCEPT OK").unwrap_err();
        assert_eq!(e, "field 8 (bytes): '1x' is not a number");
        let e = parse_line(b"2 1.2.3.4 5.6.7.8 1 2 300 1 1 1 1 ACCEPT OK").unwrap_err();
        assert!(e.contains("protocol"), "{e}");
        let e = parse_line(b"2 1.2.3.4 5.6.7.8 1 2 6 1 1 999999999999999999 1 ACCEPT OK").unwrap_err();
        assert_eq!(e, "field 9 (start): '999999999999999999' is not a time flowq can hold");
        let r = parse_line(b"2 1.2.3.4 ::1 1 2 6 1 1 1 1 ACCEPT OK").unwrap();
        assert_eq!(r.ips[1], Some(1));
    }
}

#[cfg(test)]
mod scan_tests {
    use super::*;

    /// The bit-mask path and the byte scanner agree on every line, good or bad.
    #[test]
    fn fast_and_scanning_paths_agree() {
        let lines: &[&[u8]] = &[
            b"2 172.16.2.139 172.16.1.107 73 89 11 102 349 1557424462 1557424510 ALLOW OK",
            b"  2\t1.2.3.4   5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK   ",
            b"2 - - - - - - - 1598917969 1598917970 - NODATA",
            b"2 2001:db8::1 2001:db8::2 443 5000 6 1 2 1 2 ACCEPT OK",
            b"2 1.2.3.4 5.6.7.8 1 2",
            b"2 1.2.3.4 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK extra",
            b"2 1.2.3.x 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK",
            b"2 1.2.3.4 5.6.7.8 70000 2 6 1 1 1 1 ACCEPT OK",
            b"2 1.2.3.4 5.6.7.8 1 2 6 1 1x 1 1 ACCEPT OK",
            b"2 1.2.3.4 5.6.7.8 1 2 6 1 1 999999999999999999 1 ACCEPT OK",
            b"",
            b"x",
        ];
        for line in lines {
            for mask in [FieldMask::all(), FieldMask::NONE] {
                let fast = parse_by_bounds(line, mask).unwrap();
                let slow = parse_line_fields(line, mask);
                // parse_line_fields takes the fast path; compare with the scanner directly.
                let scanned = scan_fields(line, mask);
                match (&fast, &scanned) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", String::from_utf8_lossy(line)),
                    (Err(_), Err(_)) => {}
                    _ => panic!("paths disagree on {}: {fast:?} / {scanned:?}", String::from_utf8_lossy(line)),
                }
                assert_eq!(slow.is_ok(), fast.is_ok());
            }
        }
    }

    #[test]
    fn field_end_finds_spaces_and_tabs_in_words_and_tails() {
        let line = b"2 172.16.2.139\t172.16.1.107 73 1557424462 ACCEPT";
        assert_eq!(field_end(line, 0), 1);
        assert_eq!(field_end(line, 2), 14);
        assert_eq!(field_end(line, 15), 27);
        assert_eq!(field_end(line, 42), line.len());
        assert_eq!(field_end(b"abcdefghijklmnop q", 0), 16);
        assert_eq!(field_end(b"", 0), 0);
    }
}
