//! OCI VCN flow logs as text: twelve space-separated fields a line.

use super::{Context, FirstLine, FlowFormat, Parser};
use crate::ingest::layout::OCI_FIELDS;
use crate::ingest::text::{fits, TextFormat};
use crate::schema::{Col, LogSource};

pub struct OciText;

pub const OCI_TEXT: OciText = OciText;

impl FlowFormat for OciText {
    fn name(&self) -> &'static str {
        "oci"
    }

    fn label(&self) -> &'static str {
        "OCI VCN text"
    }

    fn about(&self) -> &'static str {
        "OCI VCN text (12 fields)"
    }

    fn log_sources(&self) -> &'static [LogSource] {
        &[LogSource::OciVcn]
    }

    fn fields(&self) -> Vec<Col> {
        OCI_FIELDS.iter().map(|f| f.col).collect()
    }

    fn detect(&self, first: &FirstLine<'_>, _: &Context) -> bool {
        fits(&first.tokens, &OCI_FIELDS).is_ok()
    }

    fn parser(&self, _: &FirstLine<'_>, cx: &Context) -> Parser {
        Parser::Text(TextFormat::oci(cx.fields))
    }
}

/// Why a line of twelve fields is not OCI VCN text (`None` for other widths).
pub(super) fn why_not(first: &FirstLine<'_>) -> Option<String> {
    match first.tokens.len() {
        12 => fits(&first.tokens, &OCI_FIELDS).err(),
        _ => None,
    }
}
