//! OCI VCN flow logs in their text form: 12 space-separated fields,
//! `version srcaddr dstaddr srcport dstport protocol packets bytes start end action status`.

use super::columns::Record;
use super::tokenize::{self, Line};
use crate::schema::Col;
use crate::schema::FieldMask;
use crate::store::{ip, Table, Value};

const FIELDS: usize = 12;
const NAMES: [&str; FIELDS] = [
    "version", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action",
    "status",
];

#[inline(always)]
fn is_dash(b: &[u8]) -> bool {
    b == b"-"
}

fn bad(idx: usize, b: &[u8], what: &str) -> String {
    format!("field {} ({}): '{}' is not {what}", idx + 1, NAMES[idx], String::from_utf8_lossy(b))
}

/// True when a line looks like OCI text: 12 fields with numeric times in 9 and 10.
pub fn looks_like(line: &[u8]) -> bool {
    parse_line(line).is_ok()
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

/// Parse one line on its own (detection, tests); a bad line says why.
pub fn parse_line(line: &[u8]) -> Result<Record<'_>, String> {
    let mut out = Err(format!("expected {FIELDS} fields, found 0"));
    tokenize::for_each_line(line, |l| {
        if l.number == 1 {
            out = parse_fields(l, FieldMask::all());
        }
    });
    out
}

/// Parse the fields of `mask` from a tokenized line, passing over the others (which
/// are not checked).
#[inline(always)]
pub fn parse_fields<'a>(line: &Line<'a, '_>, mask: FieldMask) -> Result<Record<'a>, String> {
    if line.count != FIELDS {
        return Err(format!("expected {FIELDS} fields, found {}", line.count));
    }
    let tok = |i: usize| line.field(i);
    let int = |c: Col, i: usize| if mask.contains(c) { uint_token(tok(i), i) } else { Ok(None) };
    let ipf = |c: Col, i: usize| if mask.contains(c) { ip_token(tok(i), i) } else { Ok(None) };
    let text = |c: Col, i: usize| if mask.contains(c) { Some(tok(i)).filter(|t| !is_dash(t)) } else { None };
    let sport = int(Col::SourcePort, 3)?;
    let dport = int(Col::DestinationPort, 4)?;
    let proto = int(Col::Protocol, 5)?;
    let over = |p: Option<i64>, max: i64| p.is_some_and(|p| p > max);
    if over(sport, 65_535) {
        return Err(bad(3, tok(3), "a port (0-65535)"));
    }
    if over(dport, 65_535) {
        return Err(bad(4, tok(4), "a port (0-65535)"));
    }
    if over(proto, 255) {
        return Err(bad(5, tok(5), "a protocol number (0-255)"));
    }
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
}

/// Epoch seconds to milliseconds; a value too large to hold is a bad field.
#[inline(always)]
fn millis(secs: Option<i64>, tok: &[u8], idx: usize) -> Result<Option<i64>, String> {
    match secs {
        None => Ok(None),
        Some(s) => s.checked_mul(1000).map(Some).ok_or_else(|| bad(idx, tok, "a time flowq can hold")),
    }
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
