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
        while self.i < self.b.len() && !is_space(self.b[self.i]) {
            self.i += 1;
        }
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

#[inline(always)]
fn parse_fields(line: &[u8], mask: FieldMask) -> Result<Record<'_>, String> {
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
    let start = int(&mut s, Col::Time, 8)?.map(|t| t * 1000);
    let end = int(&mut s, Col::FlowEndTime, 9)?.map(|t| t * 1000);
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
        let r = parse_line(b"2 1.2.3.4 ::1 1 2 6 1 1 1 1 ACCEPT OK").unwrap();
        assert_eq!(r.ips[1], Some(1));
    }
}
