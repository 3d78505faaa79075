//! Azure flow logs: NSG flow logs (versions 1 and 2) and VNet flow logs (version 4),
//! blobs of `{"records": [...]}` whose records hold many flow tuples each. Read by the
//! JSON reader (`ingest/json_azure.rs`), never as JSON lines: a line holds many records.

use super::{Context, FirstLine, FlowFormat, Parser};
use crate::ingest::json_azure::AZURE_FIELDS;
use crate::schema::{Col, LogSource};

pub struct AzureNsg;
pub struct AzureVnet;

pub const AZURE_NSG: AzureNsg = AzureNsg;
pub const AZURE_VNET: AzureVnet = AzureVnet;

fn holds(first: &FirstLine<'_>, key: &[u8]) -> bool {
    first.is_json() && memchr::memmem::find(first.bytes, key).is_some()
}

impl FlowFormat for AzureNsg {
    fn name(&self) -> &'static str {
        "azure-nsg"
    }

    fn label(&self) -> &'static str {
        "Azure NSG flow logs"
    }

    fn about(&self) -> &'static str {
        "Azure NSG flow logs (versions 1 and 2: records[].properties.flows[].flows[].flowTuples)"
    }

    fn log_sources(&self) -> &'static [LogSource] {
        &[LogSource::AzureNsg]
    }

    fn fields(&self) -> Vec<Col> {
        AZURE_FIELDS.iter().copied().filter(|&c| !matches!(c, Col::AclId | Col::FlowEncryption)).collect()
    }

    fn detect(&self, first: &FirstLine<'_>, _: &Context) -> bool {
        holds(first, b"\"flowTuples\"") && !holds(first, b"\"flowRecords\"")
    }

    fn parser(&self, _: &FirstLine<'_>, _: &Context) -> Parser {
        Parser::Json { lines: false }
    }
}

impl FlowFormat for AzureVnet {
    fn name(&self) -> &'static str {
        "azure-vnet"
    }

    fn label(&self) -> &'static str {
        "Azure VNet flow logs"
    }

    fn about(&self) -> &'static str {
        "Azure VNet flow logs (version 4: records[].flowRecords.flows[].flowGroups[].flowTuples)"
    }

    fn log_sources(&self) -> &'static [LogSource] {
        &[LogSource::AzureVnet]
    }

    fn fields(&self) -> Vec<Col> {
        AZURE_FIELDS.to_vec()
    }

    fn detect(&self, first: &FirstLine<'_>, _: &Context) -> bool {
        holds(first, b"\"flowRecords\"")
    }

    fn parser(&self, _: &FirstLine<'_>, _: &Context) -> Parser {
        Parser::Json { lines: false }
    }
}
