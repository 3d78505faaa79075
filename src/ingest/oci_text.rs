//! OCI VCN flow logs in their text form: 12 space-separated fields,
//! `version srcaddr dstaddr srcport dstport protocol packets bytes start end action status`.

use super::batch::RecordBatch;
use crate::schema::Col;
use crate::store::{ip, Table, Value};

const FIELDS: usize = 12;
const NAMES: [&str; FIELDS] = [
    "version", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start",
    "end", "action", "status",
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

#[inline]
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
    format!(
        "field {} ({}): '{}' is not {what}",
        idx + 1,
        NAMES[idx],
        String::from_utf8_lossy(b)
    )
}

fn int_field(f: &[&[u8]; FIELDS], idx: usize) -> Result<Option<i64>, String> {
    let b = f[idx];
    if is_dash(b) {
        return Ok(None);
    }
    parse_uint(b)
        .map(Some)
        .ok_or_else(|| bad(idx, b, "a number"))
}

fn ip_field(f: &[&[u8]; FIELDS], idx: usize) -> Result<Option<u128>, String> {
    let b = f[idx];
    if is_dash(b) {
        return Ok(None);
    }
    if let Some(v4) = ip::parse_v4_bytes(b) {
        return Ok(Some(ip::from_v4(v4)));
    }
    ip::parse_bytes(b)
        .map(Some)
        .ok_or_else(|| bad(idx, b, "an IP address"))
}

fn time_field(f: &[&[u8]; FIELDS], idx: usize) -> Result<Option<i64>, String> {
    Ok(int_field(f, idx)?.map(|s| s * 1000))
}

fn str_field<'a>(f: &[&'a [u8]; FIELDS], idx: usize) -> Option<&'a [u8]> {
    Some(f[idx]).filter(|b| !is_dash(b))
}

/// True when a line looks like OCI text: 12 fields with numeric times in 9 and 10.
pub fn looks_like(line: &[u8]) -> bool {
    let mut f: [&[u8]; FIELDS] = [&[]; FIELDS];
    split_fields(line, &mut f) == FIELDS && parse_uint(f[8]).is_some() && parse_uint(f[9]).is_some()
}

/// Parse one line into `batch`; a bad line leaves `batch` untouched and says why.
pub fn parse_line(line: &[u8], batch: &mut RecordBatch) -> Result<(), String> {
    let mut f: [&[u8]; FIELDS] = [&[]; FIELDS];
    let n = split_fields(line, &mut f);
    if n != FIELDS {
        return Err(format!("expected {FIELDS} fields, found {n}"));
    }
    let version = int_field(&f, 0)?;
    let src = ip_field(&f, 1)?;
    let dst = ip_field(&f, 2)?;
    let sport = int_field(&f, 3)?;
    let dport = int_field(&f, 4)?;
    let proto = int_field(&f, 5)?;
    let packets = int_field(&f, 6)?;
    let bytes = int_field(&f, 7)?;
    let start = time_field(&f, 8)?;
    let end = time_field(&f, 9)?;
    for (idx, port) in [(3, sport), (4, dport)] {
        if port.is_some_and(|p| p > 65_535) {
            return Err(bad(idx, f[idx], "a port (0-65535)"));
        }
    }
    if proto.is_some_and(|p| p > 255) {
        return Err(bad(5, f[5], "a protocol number (0-255)"));
    }
    batch.len += 1;
    batch.log_source.push(0);
    batch.version.push(version);
    batch.src_ip.push(src);
    batch.dst_ip.push(dst);
    batch.src_port.push(sport);
    batch.dst_port.push(dport);
    batch.protocol.push(proto);
    batch.packets.push(packets);
    batch.bytes.push(bytes);
    batch.start.push(start);
    batch.end.push(end);
    batch.action.push(str_field(&f, 10));
    batch.status.push(str_field(&f, 11));
    Ok(())
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

    #[test]
    fn parses_ipv4_ipv6_and_nodata() {
        let mut b = RecordBatch::default();
        parse_line(
            b"2 172.16.2.139 172.16.1.107 73 89 11 102 349 1557424462 1557424510 ALLOW OK",
            &mut b,
        )
        .unwrap();
        parse_line(b"2 - - - - - - - 1598917969 1598917970 - NODATA", &mut b).unwrap();
        parse_line(
            b"2 2001:db8::1  2001:db8::2 443 5000 6 1 2 1 2 ACCEPT OK",
            &mut b,
        )
        .unwrap();
        let t = b.finish();
        assert_eq!(t.len(), 3);
        assert_eq!(t.get(Col::SourcePort as usize, 0), Value::Int(73));
        assert_eq!(t.get(Col::Time as usize, 0), Value::Time(1_557_424_462_000));
        assert_eq!(t.get(Col::SourceIp as usize, 1), Value::Null);
        assert_eq!(t.get(Col::Action as usize, 1), Value::Null);
        assert_eq!(t.get(Col::Status as usize, 1), Value::str("NODATA"));
        assert_eq!(
            t.get(Col::SourceIp as usize, 2),
            Value::Ip(ip::parse("2001:db8::1").unwrap())
        );
        assert_eq!(
            t.get(Col::SourceIp as usize, 0),
            Value::Ip(ip::parse("172.16.2.139").unwrap())
        );
        let mut line = String::new();
        write_line(&t, 1, &mut line);
        assert_eq!(line, "2 - - - - - - - 1598917969 1598917970 - NODATA");
    }

    #[test]
    fn reasons_name_the_field() {
        let mut b = RecordBatch::default();
        assert_eq!(
            parse_line(b"2 1.2.3.4 5.6.7.8 1 2", &mut b).unwrap_err(),
            "expected 12 fields, found 5"
        );
        let e = parse_line(b"2 1.2.3.x 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK", &mut b).unwrap_err();
        assert_eq!(e, "field 2 (srcaddr): '1.2.3.x' is not an IP address");
        let e = parse_line(b"2 1.2.3.4 5.6.7.8 99999 2 6 1 1 1 1 ACCEPT OK", &mut b).unwrap_err();
        assert!(e.contains("srcport"), "{e}");
        assert_eq!(b.len, 0);
    }
}
