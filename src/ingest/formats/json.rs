//! JSON records: OCI Logging's (`data`, `oracle`, `logContent`) and AWS's (the field
//! names with underscores, or a line under `message`), one a line or in arrays and
//! pretty-printed objects. One reader knows both (`ingest/json.rs`).

use super::{Context, FirstLine, FlowFormat, Parser};
use crate::ingest::json_cursor::object_end;
use crate::ingest::layout::AWS_FIELDS;
use crate::schema::{Col, LogSource};

pub struct Json;

pub const JSON: Json = Json;

impl FlowFormat for Json {
    fn name(&self) -> &'static str {
        "oci-json"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["json"]
    }

    fn label(&self) -> &'static str {
        "JSON"
    }

    fn about(&self) -> &'static str {
        "JSON (OCI Logging and AWS records, one a line or in arrays)"
    }

    fn log_sources(&self) -> &'static [LogSource] {
        &[LogSource::OciVcnUnified, LogSource::AwsVpc]
    }

    fn fields(&self) -> Vec<Col> {
        let oci = crate::ingest::json::oci_fields();
        oci.chain(AWS_FIELDS.iter().map(|f| f.col)).collect()
    }

    fn detect(&self, first: &FirstLine<'_>, _: &Context) -> bool {
        first.is_json()
    }

    fn parser(&self, first: &FirstLine<'_>, _: &Context) -> Parser {
        let t = first.bytes.trim_ascii();
        Parser::Json { lines: t.starts_with(b"{") && object_end(t) == Some(t.len()) }
    }

    fn label_after(&self, seen: &[LogSource]) -> &'static str {
        match seen {
            [LogSource::OciVcnUnified] => "OCI Logging JSON",
            [LogSource::AwsVpc] => "AWS VPC JSON",
            _ => "JSON",
        }
    }
}
