//! Parsing the space-separated formats (OCI VCN text, AWS VPC text) into a sink, line
//! by line, reading only the fields the load wants.

use std::sync::Arc;

use super::columns::Sink;
use super::layout::{self, Kind, Layout, TextField, AWS_DEFAULT_WIDTH, AWS_FIELDS, OCI_FIELDS};
use super::swar;
use super::tokenize::{self, Line};
use super::Skip;
use crate::schema::{Col, FieldMask, LogSource};
use crate::store::ip;

/// A field's value as read from its text.
pub enum Parsed<'a> {
    Int(Option<i64>),
    Ip(Option<u128>),
    Text(Option<&'a [u8]>),
}

#[inline(always)]
fn is_dash(b: &[u8]) -> bool {
    b == b"-"
}

/// A non-negative decimal integer that fits in 64 bits (`i64::MAX`, 19 digits, at most).
#[inline(always)]
pub(super) fn uint(tok: &[u8]) -> Option<i64> {
    if tok.is_empty() || tok.len() > 19 {
        return None;
    }
    if tok.len() == 19 {
        // Only the longest numbers can pass i64::MAX: checked there, not in the hot loop.
        let head = uint(&tok[..18])?;
        let d = tok[18].wrapping_sub(b'0');
        return if d <= 9 { head.checked_mul(10)?.checked_add(d as i64) } else { None };
    }
    let mut v: i64 = 0;
    let mut ok = true;
    for &c in tok {
        let d = c.wrapping_sub(b'0');
        ok &= d <= 9;
        v = v.wrapping_mul(10).wrapping_add(d as i64);
    }
    ok.then_some(v)
}

/// All digits: a number whatever its size (detection judges a line by its shape; a
/// count too large to hold is that line's error, not the file's).
fn all_digits(tok: &[u8]) -> bool {
    !tok.is_empty() && tok.iter().all(u8::is_ascii_digit)
}

/// Read one field; `Err` says what the field should have been.
#[inline(always)]
pub fn read(tok: &[u8], kind: Kind) -> Result<Parsed<'_>, &'static str> {
    let number = if is_number(kind) { uint(tok) } else { None };
    read_with(tok, kind, number)
}

#[inline(always)]
fn is_number(kind: Kind) -> bool {
    matches!(kind, Kind::Int { .. } | Kind::Time)
}

/// `read`, given what `uint` makes of the field if it is a number.
#[inline(always)]
fn read_with(tok: &[u8], kind: Kind, number: Option<i64>) -> Result<Parsed<'_>, &'static str> {
    match kind {
        Kind::Int { max, what } => match number {
            Some(v) if v <= max => Ok(Parsed::Int(Some(v))),
            _ if is_dash(tok) => Ok(Parsed::Int(None)),
            None if max == i64::MAX && all_digits(tok) => Err(TOO_LARGE),
            _ => Err(what),
        },
        Kind::Time => match number {
            Some(s) => s.checked_mul(1000).map(|ms| Parsed::Int(Some(ms))).ok_or("a time flowq can hold"),
            None if is_dash(tok) => Ok(Parsed::Int(None)),
            None => Err("a time (epoch seconds)"),
        },
        Kind::Ip => {
            if let Some(v4) = ip::parse_v4_bytes(tok) {
                return Ok(Parsed::Ip(Some(ip::from_v4(v4))));
            }
            if is_dash(tok) {
                return Ok(Parsed::Ip(None));
            }
            ip::parse_v6_bytes(tok).map(|a| Parsed::Ip(Some(a))).ok_or("an IP address")
        }
        Kind::Text => Ok(Parsed::Text(Some(tok).filter(|t| !is_dash(t)))),
    }
}

/// What a count past 64 bits is not (LANGUAGE.md, Flow record fields: no capture window
/// holds 9.2 × 10^18 bytes; such a value is damage, so its line is skipped and counted).
pub const TOO_LARGE: &str = "a count flowq holds (at most 9223372036854775807)";

fn bad(pos: usize, field: &TextField, tok: &[u8], what: &str) -> String {
    format!("field {} ({}): '{}' is not {what}", pos + 1, field.name, String::from_utf8_lossy(tok))
}

/// Parse a tokenized line with `layout` into the sink's current row.
#[inline(always)]
fn parse_line(line: &Line, layout: &Layout, sink: &mut Sink) -> Result<(), String> {
    if line.count != layout.width {
        return Err(format!("expected {} fields, found {}", layout.width, line.count));
    }
    for s in &layout.steps {
        let (a, e) = line.bounds(s.pos);
        let tok = &line.data[a..e];
        let col = s.field.col;
        let number = if is_number(s.field.kind) { swar::uint_at(line.data, a, e) } else { None };
        match read_with(tok, s.field.kind, number) {
            Ok(_) if !s.keep => {}
            Ok(Parsed::Int(v)) => sink.int(col, v),
            Ok(Parsed::Ip(v)) => sink.ip(col, v),
            Ok(Parsed::Text(v)) => sink.text(col, v),
            Err(what) => return Err(bad(s.pos, &s.field, tok, what)),
        }
    }
    if layout.keep_line {
        sink.text(Col::OriginalLogContent, Some(line.text()));
    }
    Ok(())
}

/// Whether every field of `tokens` reads as `fields` say (for detection).
pub fn fits(tokens: &[&[u8]], fields: &[TextField]) -> Result<(), String> {
    if tokens.len() != fields.len() {
        return Err(format!("expected {} fields, found {}", fields.len(), tokens.len()));
    }
    for (pos, (tok, field)) in tokens.iter().zip(fields).enumerate() {
        if is_number(field.kind) && all_digits(tok) {
            continue;
        }
        read(tok, field.kind).map_err(|what| bad(pos, field, tok, what))?;
    }
    Ok(())
}

/// The fields of one line, split on runs of whitespace.
pub fn tokens(line: &[u8]) -> Vec<&[u8]> {
    line.split(|c| matches!(c, b' ' | b'\t' | b'\r')).filter(|t| !t.is_empty()).collect()
}

/// How the lines of one text input are read; it changes as the input goes (an AWS
/// header line sets the layout of the lines after it).
#[derive(Clone)]
pub enum TextFormat {
    Oci(Arc<Layout>),
    Aws(Arc<AwsLayouts>),
}

/// The AWS layouts of one load.
pub struct AwsLayouts {
    mask: FieldMask,
    /// Headerless lines by their field count: the default 14, or more fields in the
    /// order of AWS's table.
    by_width: Vec<Option<Layout>>,
    /// Set by `--aws-format`: the layout of lines before any header.
    given: Option<Arc<Layout>>,
}

impl AwsLayouts {
    pub fn new(mask: FieldMask, given: Option<&[TextField]>) -> AwsLayouts {
        let by_width = (0..=AWS_FIELDS.len())
            .map(|w| (w >= AWS_DEFAULT_WIDTH).then(|| Layout::new(&AWS_FIELDS[..w], mask, AWS)))
            .collect();
        AwsLayouts { mask, by_width, given: given.map(|g| Arc::new(Layout::new(g, mask, AWS))) }
    }
}

/// Log Source codes (see [`LogSource`]).
pub const OCI_TEXT: u32 = LogSource::OciVcn.code();
pub const OCI_JSON: u32 = LogSource::OciVcnUnified.code();
pub const AWS: u32 = LogSource::AwsVpc.code();
pub const GCP: u32 = LogSource::GcpVpc.code();
pub const AZURE_NSG: u32 = LogSource::AzureNsg.code();
pub const AZURE_VNET: u32 = LogSource::AzureVnet.code();

impl TextFormat {
    pub fn oci(mask: FieldMask) -> TextFormat {
        TextFormat::Oci(Arc::new(Layout::new(&OCI_FIELDS, mask, OCI_TEXT)))
    }

    fn source(&self) -> u32 {
        match self {
            TextFormat::Oci(_) => OCI_TEXT,
            TextFormat::Aws(_) => AWS,
        }
    }
}

/// The state of an AWS input between parts: the layout set by the last header.
#[derive(Clone, Default, PartialEq)]
pub struct HeaderState {
    /// The header's field names and line (in the part that read it), if one was read.
    pub names: Option<Arc<Vec<&'static str>>>,
}

/// What parsing one part of a text input produced besides the rows.
pub struct PartOutcome {
    pub lines: u64,
    pub skips: Vec<Skip>,
    /// The header state at the end of the part.
    pub state: HeaderState,
}

/// Parse the lines of `data` into `sink`.
pub fn parse_part(data: &[u8], sink: &mut Sink, format: &TextFormat, start: &HeaderState) -> PartOutcome {
    let mut skips = Vec::new();
    sink.source(format.source());
    let mut state = start.clone();
    let lines = match format {
        TextFormat::Oci(layout) => tokenize::for_each_line(data, |line| {
            if line.count == 0 {
                return; // blank lines hold no record
            }
            match parse_line(line, layout, sink) {
                Ok(()) => sink.end_row(),
                Err(reason) => {
                    sink.abandon_row();
                    skips.push(Skip { line: line.number, reason });
                }
            }
        }),
        TextFormat::Aws(aws) => {
            let mut header: Option<Arc<Layout>> = state.names.as_ref().map(|n| header_layout(n, aws.mask));
            tokenize::for_each_line(data, |line| {
                if line.count == 0 {
                    return;
                }
                if line.field(0).first().is_some_and(u8::is_ascii_alphabetic) {
                    let toks: Vec<&[u8]> = (0..line.located()).map(|i| line.field(i)).collect();
                    if line.count == line.located() && layout::is_aws_header(&toks) {
                        let names: Vec<&'static str> = toks
                            .iter()
                            .filter_map(|t| std::str::from_utf8(t).ok().and_then(layout::aws_field))
                            .map(|f| f.name)
                            .collect();
                        header = Some(header_layout(&names, aws.mask));
                        state.names = Some(Arc::new(names));
                        return;
                    }
                }
                let layout = match (&header, &aws.given) {
                    (Some(h), _) => Some(&**h),
                    (None, Some(g)) => Some(&**g),
                    (None, None) => aws.by_width.get(line.count).and_then(Option::as_ref),
                };
                let result = match layout {
                    Some(l) => parse_line(line, l, sink),
                    None => Err(format!(
                        "expected {AWS_DEFAULT_WIDTH} fields (the default AWS format) or up to {} in AWS's field order, found {}; give the format with --aws-format",
                        AWS_FIELDS.len(),
                        line.count
                    )),
                };
                match result {
                    Ok(()) => sink.end_row(),
                    Err(reason) => {
                        sink.abandon_row();
                        skips.push(Skip { line: line.number, reason });
                    }
                }
            })
        }
    };
    PartOutcome { lines, skips, state }
}

fn header_layout(names: &[&'static str], mask: FieldMask) -> Arc<Layout> {
    let fields: Vec<TextField> = names.iter().filter_map(|n| layout::aws_field(n)).copied().collect();
    Arc::new(Layout::new(&fields, mask, AWS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_kind_and_says_what_is_wrong() {
        let port = OCI_FIELDS[3].kind;
        assert!(matches!(read(b"443", port), Ok(Parsed::Int(Some(443)))));
        assert!(matches!(read(b"-", port), Ok(Parsed::Int(None))));
        assert_eq!(read(b"70000", port).err(), Some("a port (0-65535)"));
        assert_eq!(read(b"4x", port).err(), Some("a port (0-65535)"));
        assert!(matches!(read(b"2", Kind::Time), Ok(Parsed::Int(Some(2000)))));
        assert_eq!(read(b"999999999999999999", Kind::Time).err(), Some("a time flowq can hold"));
        assert!(matches!(read(b"::1", Kind::Ip), Ok(Parsed::Ip(Some(1)))));
        assert_eq!(read(b"1.2.3", Kind::Ip).err(), Some("an IP address"));
        assert!(matches!(read(b"-", Kind::Text), Ok(Parsed::Text(None))));
    }

    #[test]
    fn fits_checks_counts_and_values() {
        let ok = tokens(b"2 1.2.3.4 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK");
        assert!(fits(&ok, &OCI_FIELDS).is_ok());
        let e = fits(&tokens(b"2 1.2.3.x 5.6.7.8 1 2 6 1 1 1 1 ACCEPT OK"), &OCI_FIELDS).unwrap_err();
        assert_eq!(e, "field 2 (srcaddr): '1.2.3.x' is not an IP address");
        assert_eq!(fits(&tokens(b"2 1"), &OCI_FIELDS).unwrap_err(), "expected 12 fields, found 2");
    }
}
