//! GCP VPC Flow Logs: Cloud Logging entries (`jsonPayload.connection`, …) as JSON lines
//! or arrays, as Cloud Logging exports them to files, Cloud Storage or BigQuery. Read
//! by the JSON reader (`ingest/json_gcp.rs`).

use super::{Context, FirstLine, FlowFormat, Parser};
use crate::ingest::json_gcp::gcp_fields;
use crate::schema::{Col, LogSource};

pub struct Gcp;

pub const GCP: Gcp = Gcp;

impl FlowFormat for Gcp {
    fn name(&self) -> &'static str {
        "gcp-json"
    }

    fn aliases(&self) -> &'static [&'static str] {
        &["gcp"]
    }

    fn label(&self) -> &'static str {
        "GCP VPC Flow Logs JSON"
    }

    fn about(&self) -> &'static str {
        "GCP VPC Flow Logs (Cloud Logging entries with jsonPayload, one a line or in arrays)"
    }

    fn log_sources(&self) -> &'static [LogSource] {
        &[LogSource::GcpVpc]
    }

    fn fields(&self) -> Vec<Col> {
        gcp_fields().collect()
    }

    fn detect(&self, first: &FirstLine<'_>, _: &Context) -> bool {
        first.is_json() && memchr::memmem::find(first.bytes, b"\"jsonPayload\"").is_some()
    }

    fn parser(&self, first: &FirstLine<'_>, cx: &Context) -> Parser {
        super::json::JSON.parser(first, cx)
    }
}
