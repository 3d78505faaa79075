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
        "JSON (OCI Logging and AWS records, one a line or in arrays; the reader of every JSON format)"
    }

    fn log_sources(&self) -> &'static [LogSource] {
        &[LogSource::OciVcnUnified, LogSource::AwsVpc, LogSource::GcpVpc, LogSource::AzureNsg, LogSource::AzureVnet]
    }

    fn fields(&self) -> Vec<Col> {
        let oci = crate::ingest::json::oci_fields();
        let gcp = crate::ingest::json_gcp::gcp_fields();
        let azure = crate::ingest::json_azure::AZURE_FIELDS.iter().copied();
        let mut all: Vec<Col> = oci.chain(AWS_FIELDS.iter().map(|f| f.col)).chain(gcp).chain(azure).collect();
        all.sort_by_key(|&c| c as usize);
        all.dedup();
        all
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
            [LogSource::GcpVpc] => "GCP VPC Flow Logs JSON",
            [LogSource::AzureNsg] => "Azure NSG flow logs",
            [LogSource::AzureVnet] => "Azure VNet flow logs",
            _ => "JSON",
        }
    }
}
