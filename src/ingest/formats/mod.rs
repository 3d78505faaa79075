//! The flow log formats flowq reads: one file each, each an implementation of
//! [`FlowFormat`], listed once in [`FORMATS`]. That list is `--input-format`'s values
//! and help, the order in which an input's first line is tried, and the words load
//! reports use; each format names its [`LogSource`] (the record model's dictionary of
//! sources, which the ClickHouse DDL reads too).
//!
//! Adding a format: a file here with its implementation, its line in [`FORMATS`], a
//! [`LogSource`] if it is a new kind of log, and the parser it returns (a text
//! [`Layout`](super::layout) or a reader of its own beside `json.rs`).

mod aws_text;
mod azure;
mod gcp;
mod json;
mod oci_text;

use std::sync::Arc;

use super::layout::TextField;
use super::text::{AwsLayouts, TextFormat};
use crate::diag::Diagnostic;
use crate::schema::{Col, FieldMask, LogSource};

/// What detection and parsers need to know about the load.
pub struct Context {
    /// The record fields read.
    pub fields: FieldMask,
    /// The AWS layouts of this load (by width, and `--aws-format`'s).
    pub aws: Arc<AwsLayouts>,
    /// The fields `--aws-format` gave.
    pub aws_format: Option<Vec<TextField>>,
}

/// An input's first line, as detection reads it.
pub struct FirstLine<'a> {
    pub bytes: &'a [u8],
    /// Its whitespace-separated fields.
    pub tokens: Vec<&'a [u8]>,
}

impl<'a> FirstLine<'a> {
    pub fn new(bytes: &'a [u8]) -> FirstLine<'a> {
        FirstLine { bytes, tokens: super::text::tokens(bytes) }
    }

    /// Whether the line opens a JSON value.
    pub fn is_json(&self) -> bool {
        matches!(self.bytes.trim_ascii_start().first(), Some(b'{' | b'['))
    }
}

/// How one input's blocks are parsed.
pub enum Parser {
    Text(TextFormat),
    /// JSON; `lines` when every record is one line (JSON lines), which lets blocks be
    /// cut at any line end and parsed on all cores.
    Json {
        lines: bool,
    },
}

/// One flow log format.
pub trait FlowFormat: Sync {
    /// Its name for `--input-format`.
    fn name(&self) -> &'static str;
    /// Other names `--input-format` accepts.
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }
    /// What it is, for load reports.
    fn label(&self) -> &'static str;
    /// What it is and how it is recognised, for `--help` and errors.
    fn about(&self) -> &'static str;
    /// The Log Sources its records get.
    fn log_sources(&self) -> &'static [LogSource];
    /// The record fields it can fill.
    fn fields(&self) -> Vec<Col>;
    /// Whether an input whose first line is `first` is in this format.
    fn detect(&self, first: &FirstLine<'_>, cx: &Context) -> bool;
    /// The parser of an input in this format.
    fn parser(&self, first: &FirstLine<'_>, cx: &Context) -> Parser;
    /// The report's words once the input is read, from the Log Sources seen.
    fn label_after(&self, _seen: &[LogSource]) -> &'static str {
        self.label()
    }
}

impl std::fmt::Debug for dyn FlowFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Every format, in the order detection tries them.
pub const FORMATS: &[&dyn FlowFormat] =
    &[&azure::AZURE_VNET, &azure::AZURE_NSG, &gcp::GCP, &json::JSON, &aws_text::AWS_TEXT, &oci_text::OCI_TEXT];

/// The format `--input-format` calls `name`.
pub fn find(name: &str) -> Option<&'static dyn FlowFormat> {
    FORMATS.iter().copied().find(|f| f.name().eq_ignore_ascii_case(name) || f.aliases().contains(&name))
}

/// The names `--input-format` takes.
pub fn names() -> Vec<&'static str> {
    FORMATS.iter().map(|f| f.name()).collect()
}

/// The format of an input (`forced` by `--input-format`, else the first that claims
/// its first line) and its parser.
pub fn decide(
    name: &str,
    first: &[u8],
    forced: Option<&'static dyn FlowFormat>,
    cx: &Context,
) -> Result<(&'static dyn FlowFormat, Parser), Diagnostic> {
    let line = FirstLine::new(first);
    // JSON content is read as JSON whatever was forced: its reader knows every cloud.
    let format = match forced {
        Some(f) if !line.is_json() => Some(f),
        _ => FORMATS.iter().copied().find(|f| f.detect(&line, cx)),
    };
    match format {
        Some(f) => Ok((f, f.parser(&line, cx))),
        None => Err(not_a_format(name, &line)),
    }
}

/// Why no format claims an input, with the nearest hint.
fn not_a_format(name: &str, line: &FirstLine<'_>) -> Diagnostic {
    if crate::ingest::parquet::is_parquet(line.bytes) {
        // Parquet is read from a file it can seek in, not from a stream.
        return Diagnostic::data(format!(
            "cannot read '{name}': Parquet is read from plain files, not through gzip or a pipe"
        ))
        .help("decompress it to a file (gunzip -k) and name that file with -i");
    }
    let shown: String = String::from_utf8_lossy(line.bytes).chars().take(200).collect();
    if line.tokens.iter().any(|t| t.starts_with(b"eni-")) {
        return Diagnostic::data(format!(
            "cannot read '{name}': it looks like AWS VPC flow logs, but without a header line"
        ))
        .note(format!("first line: {shown}"))
        .help(format!(
            "give the {} fields of its lines in order, e.g. --aws-format 'version account-id interface-id ...'",
            line.tokens.len()
        ));
    }
    let d = Diagnostic::data(format!("cannot read '{name}': not a flow log format flowq knows"))
        .note(format!("first line: {shown}"));
    match oci_text::why_not(line) {
        Some(why) => d.help(format!("as OCI VCN text: {why}")),
        None => d.help(format!(
            "flowq reads {}; --input-format {} names the format",
            FORMATS.iter().map(|f| f.about()).collect::<Vec<_>>().join("; "),
            names().join("|")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{derivation, FLOW_FIELDS};

    #[test]
    fn names_are_unique_and_found() {
        let mut n = names();
        for name in &n {
            assert_eq!(find(name).map(|f| f.name()), Some(*name));
        }
        n.sort_unstable();
        n.dedup();
        assert_eq!(n.len(), FORMATS.len());
    }

    #[test]
    fn every_record_field_comes_from_some_format() {
        // No field of the record model is orphaned: each is read by a format, derived,
        // or the record's own text.
        for (i, f) in FLOW_FIELDS.iter().enumerate() {
            let Some(c) = Col::from_index(i) else { continue };
            let read = FORMATS.iter().any(|fmt| fmt.fields().contains(&c));
            assert!(read || derivation(c).is_some() || c == Col::OriginalLogContent, "{} is read by no format", f.name);
        }
        // And every Log Source belongs to a format.
        for s in LogSource::ALL {
            assert!(FORMATS.iter().any(|f| f.log_sources().contains(&s)), "{s:?}");
        }
    }
}
