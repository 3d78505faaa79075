//! JSON flow records: OCI Logging (`data` and `oracle` objects, optionally inside a
//! Service Connector `logContent` envelope), AWS records with underscore keys, AWS
//! text lines wrapped as `{"message": "..."}`, GCP Cloud Logging entries (`jsonPayload`,
//! `json_gcp.rs`) and Azure records of flow tuples (`json_azure.rs`, many records each).
//! Records are objects one after another (JSON lines, pretty-printed, inside arrays, or
//! inside Azure's `{"records": [...]}`). A small hand-written reader walks
//! each object once and keeps only the fields the load wants; nothing is allocated per
//! record unless a string holds escapes.

use std::borrow::Cow;

use super::columns::Sink;
use super::json_azure;
use super::json_cursor::{nested_end, Reader, Val, R};
pub use super::json_fields::oci_fields;
use super::json_fields::{looked_at, oci_data_field, write, Found, OCI_ORACLE};
pub use super::json_walk::record_ends;
use super::json_walk::walk;
use super::layout::{self, Kind, AWS_DEFAULT_WIDTH, AWS_FIELDS};
use super::text::{self, PartOutcome, AWS, GCP, OCI_JSON};
use super::Skip;
use crate::schema::{Col, FieldMask};

/// An upper bound of the records in `buf`: every record opens at least one brace, and
/// an Azure tuple (a string, so two quotes) is at most two records.
pub fn record_bound(buf: &[u8]) -> usize {
    let braces = memchr::memchr_iter(b'{', buf).count() + 1;
    if json_azure::is_azure(buf) {
        braces + memchr::memchr_iter(b'"', buf).count()
    } else {
        braces
    }
}

/// What one JSON record held (its buffers reused from record to record).
#[derive(Default)]
struct Record<'a> {
    oci: Found<'a>,
    aws: Found<'a>,
    gcp: Found<'a>,
    /// Keys that make it an OCI record.
    is_oci: bool,
    /// A `jsonPayload` object: a GCP entry.
    is_gcp: bool,
    /// Any GCP flow field in it (wanted or not).
    has_gcp: bool,
    /// Any OCI field key (wanted or not): `{"data":{}}` holds no flow record.
    has_oci: bool,
    /// Any AWS field key (wanted or not).
    has_aws: bool,
    /// An AWS text line in `message`.
    message: Option<Cow<'a, [u8]>>,
}

impl Record<'_> {
    fn clear(&mut self) {
        self.oci.clear();
        self.aws.clear();
        self.gcp.clear();
        self.is_oci = false;
        self.is_gcp = false;
        self.has_gcp = false;
        self.has_oci = false;
        self.has_aws = false;
        self.message = None;
    }
}

/// Read one record object at the cursor.
fn read_record<'a>(r: &mut Reader<'a>, rec: &mut Record<'a>, mask: FieldMask, depth: usize) -> R<()> {
    if depth > 3 {
        return Err("records nested too deep".into());
    }
    r.object(|k, r| {
        let nested_object = r.peek() == Some(b'{');
        match k {
            b"data" if nested_object => {
                rec.is_oci = true;
                r.object(|k, r| {
                    let v = r.value()?;
                    if let Some(&(name, col, kind)) = oci_data_field(k) {
                        rec.has_oci = true;
                        if looked_at(mask, col, kind) {
                            rec.oci.push((col, v, kind, name, mask.contains(col)));
                        }
                    }
                    Ok(())
                })
            }
            b"oracle" if nested_object => {
                rec.is_oci = true;
                r.object(|k, r| {
                    let v = r.value()?;
                    if let Some(&(name, col)) = OCI_ORACLE.iter().find(|(n, _)| n.as_bytes() == k) {
                        rec.has_oci = true;
                        if mask.contains(col) {
                            rec.oci.push((col, v, Kind::Text, name, true));
                        }
                    }
                    Ok(())
                })
            }
            b"jsonPayload" if nested_object => {
                rec.is_gcp = true;
                rec.has_gcp |= super::json_gcp::read_payload(r, &mut rec.gcp, mask)?;
                Ok(())
            }
            b"resource" if nested_object => super::json_gcp::read_resource(r, &mut rec.gcp, mask),
            b"logContent" if nested_object => {
                rec.is_oci = true;
                read_record(r, rec, mask, depth + 1)
            }
            _ => {
                let v = r.value()?;
                match (k, v) {
                    (b"message", Val::Str(s)) => rec.message = Some(s),
                    (k, v) => {
                        if let Some(f) = std::str::from_utf8(k).ok().and_then(layout::aws_field) {
                            rec.has_aws = true;
                            if looked_at(mask, f.col, f.kind) {
                                rec.aws.push((f.col, v, f.kind, f.name, mask.contains(f.col)));
                            }
                        }
                    }
                }
                Ok(())
            }
        }
    })
}

/// What [`parse_record`] wrote.
enum Wrote {
    /// The sink's current row, for the caller to end: the record ends at this offset.
    Row(usize),
    /// Rows of their own, each ended (Azure's tuples); the record ends at this offset.
    Rows(usize),
}

/// Where a record is, for what is skipped inside it.
struct Place<'s> {
    line: u64,
    skips: &'s mut Vec<Skip>,
}

/// Parse the record object that `text` starts with into the sink.
fn parse_record<'a>(text: &'a [u8], rec: &mut Record<'a>, sink: &mut Sink, mask: FieldMask, place: Place) -> R<Wrote> {
    if json_azure::is_azure(text) {
        let end = nested_end(text, 0).ok_or("the JSON record is not closed")?;
        let mut out = json_azure::Out { sink, mask, line: place.line, skips: place.skips };
        json_azure::parse(&text[..end], &mut out)?;
        return Ok(Wrote::Rows(end));
    }
    parse_one(text, rec, sink, mask).map(Wrote::Row)
}

/// Parse the one-row record that `text` starts with into the sink's current row;
/// returns where it ended.
fn parse_one<'a>(text: &'a [u8], rec: &mut Record<'a>, sink: &mut Sink, mask: FieldMask) -> R<usize> {
    rec.clear();
    let mut r = Reader { b: text, i: 0 };
    read_record(&mut r, rec, mask, 0)?;
    let end = r.i;
    let keep = mask.contains(Col::OriginalLogContent);
    if rec.is_oci && !rec.has_oci {
        return Err("no flow log fields in this JSON record's data or oracle object".into());
    }
    if rec.is_gcp && !rec.has_gcp {
        return Err("no flow log fields in this entry's jsonPayload".into());
    }
    if rec.is_oci {
        sink.source(OCI_JSON);
        write(&rec.oci, sink)?;
    } else if rec.is_gcp {
        sink.source(GCP);
        write(&rec.gcp, sink)?;
    } else if let Some(line) = rec.message.take() {
        let trimmed = match &line {
            Cow::Borrowed(b) => Cow::Borrowed(b.trim_ascii()),
            Cow::Owned(v) => Cow::Owned(v.trim_ascii().to_vec()),
        };
        if trimmed.starts_with(b"{") {
            // A JSON record inside a string (Firehose and CloudWatch deliveries).
            let mut inner = Record::default();
            let text: &[u8] = &trimmed;
            parse_one(text, &mut inner, sink, mask)?;
            return Ok(end);
        }
        sink.source(AWS);
        aws_line(&trimmed, sink, mask)?;
        if keep {
            sink.text(Col::OriginalLogContent, Some(&trimmed));
        }
        return Ok(end);
    } else if rec.has_aws {
        sink.source(AWS);
        write(&rec.aws, sink)?;
    } else {
        return Err("no flow log fields in this JSON record".into());
    }
    if keep {
        sink.text(Col::OriginalLogContent, Some(&text[..end]));
    }
    Ok(end)
}

/// An AWS text line from a `message`: the default layout or AWS's field order by
/// count (a wrapped line carries no header).
fn aws_line(line: &[u8], sink: &mut Sink, mask: FieldMask) -> R<()> {
    let toks = text::tokens(line);
    if !(AWS_DEFAULT_WIDTH..=AWS_FIELDS.len()).contains(&toks.len()) {
        return Err(format!(
            "message: expected {AWS_DEFAULT_WIDTH} to {} AWS fields, found {}",
            AWS_FIELDS.len(),
            toks.len()
        ));
    }
    let mut found: Found = Vec::new();
    for (tok, f) in toks.iter().zip(&AWS_FIELDS) {
        if looked_at(mask, f.col, f.kind) {
            let v = if tok == b"-" { Val::Null } else { Val::Str(Cow::Borrowed(tok)) };
            found.push((f.col, v, f.kind, f.name, mask.contains(f.col)));
        }
    }
    write(&found, sink)
}

/// Parse JSON lines (one record per line) into the sink.
pub fn parse_lines(buf: &[u8], sink: &mut Sink, mask: FieldMask) -> PartOutcome {
    let mut rec = Record::default();
    let mut skips = Vec::new();
    let mut number = 0u64;
    let mut start = 0usize;
    while start < buf.len() {
        let end = memchr::memchr(b'\n', &buf[start..]).map_or(buf.len(), |e| start + e);
        number += 1;
        let line = buf[start..end].trim_ascii();
        let line = line.strip_prefix(b"\xef\xbb\xbf").unwrap_or(line);
        start = end + 1;
        if line.is_empty() {
            continue;
        }
        let result = if line.starts_with(b"{") {
            parse_record(line, &mut rec, sink, mask, Place { line: number, skips: &mut skips }).and_then(|wrote| {
                let (Wrote::Row(used) | Wrote::Rows(used)) = wrote;
                if line[used..].trim_ascii().is_empty() {
                    Ok(wrote)
                } else {
                    Err("text after the JSON record on its line".into())
                }
            })
        } else {
            let shown: String = String::from_utf8_lossy(line).chars().take(60).collect();
            Err(format!("not a JSON object: {shown}"))
        };
        match result {
            Ok(Wrote::Row(_)) => sink.end_row(),
            Ok(Wrote::Rows(_)) => {}
            Err(reason) => {
                sink.abandon_row();
                skips.push(Skip { line: number, reason });
            }
        }
    }
    PartOutcome { lines: number, skips, state: Default::default() }
}

/// Parse the records at the front of `buf` into the sink: every complete top-level
/// object (an array's objects count one by one). Returns the outcome and how many
/// bytes were used; without `at_end`, an unfinished last record is left for later.
pub fn parse(buf: &[u8], sink: &mut Sink, mask: FieldMask, at_end: bool) -> (PartOutcome, usize) {
    let mut rec = Record::default();
    walk(buf, at_end, |start, end, line, skips| {
        match parse_record(&buf[start..end], &mut rec, sink, mask, Place { line, skips }) {
            Ok(Wrote::Row(_)) => sink.end_row(),
            Ok(Wrote::Rows(_)) => {}
            Err(reason) => {
                sink.abandon_row();
                skips.push(Skip { line, reason });
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::json_fields::convert;
    use super::super::text::Parsed;
    use super::*;

    #[test]
    fn strings_numbers_and_escapes() {
        let mut r = Reader { b: br#" "a\"b\u00e9\ud83d\ude00" "#, i: 0 };
        assert_eq!(r.string().unwrap().as_ref(), "a\"bé😀".as_bytes());
        let mut r = Reader { b: br#"{"x": [1, {"y": "}"}], "z": 8080.0}"#, i: 0 };
        let mut seen = Vec::new();
        r.object(|k, r| {
            seen.push((String::from_utf8_lossy(k).into_owned(), r.value()?));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen[0].1, Val::Nested(br#"[1, {"y": "}"}]"#));
        assert_eq!(seen[1].1, Val::Num(b"8080.0"));
        assert!(matches!(convert(&Val::Num(b"8080.0"), layout::AWS_FIELDS[5].kind), Ok(Parsed::Int(Some(8080)))));
        assert!(convert(&Val::Num(b"80.5"), layout::AWS_FIELDS[5].kind).is_err());
        assert!(matches!(convert(&Val::Str(Cow::Borrowed(b"-")), Kind::Ip), Ok(Parsed::Ip(None))));
        assert!(
            matches!(convert(&Val::Str(Cow::Borrowed(b"10.0.0.1")), Kind::Ip), Ok(Parsed::Ip(Some(a))) if a == crate::store::ip::parse("10.0.0.1").unwrap())
        );
        assert_eq!(nested_end(br#"{"a": "\"}"}"#, 0), Some(12));
        assert_eq!(nested_end(br#"{"a": {"#, 0), None);
    }
}
