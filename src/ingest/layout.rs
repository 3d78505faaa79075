//! Field layouts of the space-separated text formats: which record field each
//! position holds and how to read it. OCI VCN text has one fixed layout; AWS VPC flow
//! logs take any subset of their fields in any order (FORMATS.md).

use crate::schema::{Col, FieldMask};

/// How a text field is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A non-negative integer no larger than `max`, `what` naming it in errors.
    Int {
        max: i64,
        what: &'static str,
    },
    /// Epoch seconds, held as milliseconds.
    Time,
    Ip,
    Text,
}

pub(crate) const NUMBER: Kind = Kind::Int { max: i64::MAX, what: "a number" };
pub(crate) const PORT: Kind = Kind::Int { max: 65_535, what: "a port (0-65535)" };
pub(crate) const PROTOCOL: Kind = Kind::Int { max: 255, what: "a protocol number (0-255)" };

/// A field of a text format: its name in the format, and where it goes.
#[derive(Clone, Copy, Debug)]
pub struct TextField {
    pub name: &'static str,
    pub col: Col,
    pub kind: Kind,
}

const fn f(name: &'static str, col: Col, kind: Kind) -> TextField {
    TextField { name, col, kind }
}

/// OCI VCN text, in order.
pub const OCI_FIELDS: [TextField; 12] = [
    f("version", Col::Version, NUMBER),
    f("srcaddr", Col::SourceIp, Kind::Ip),
    f("dstaddr", Col::DestinationIp, Kind::Ip),
    f("srcport", Col::SourcePort, PORT),
    f("dstport", Col::DestinationPort, PORT),
    f("protocol", Col::Protocol, PROTOCOL),
    f("packets", Col::Packets, NUMBER),
    f("bytes", Col::ContentSizeOut, NUMBER),
    f("start", Col::Time, Kind::Time),
    f("end", Col::FlowEndTime, Kind::Time),
    f("action", Col::Action, Kind::Text),
    f("status", Col::Status, Kind::Text),
];

/// Every AWS VPC field, in the order of AWS's field table (versions 2, 3, 4, 5, 7, 8):
/// the order headerless "all fields" lines follow.
pub const AWS_FIELDS: [TextField; 40] = [
    f("version", Col::Version, NUMBER),
    f("account-id", Col::AccountId, Kind::Text),
    f("interface-id", Col::InterfaceId, Kind::Text),
    f("srcaddr", Col::SourceIp, Kind::Ip),
    f("dstaddr", Col::DestinationIp, Kind::Ip),
    f("srcport", Col::SourcePort, PORT),
    f("dstport", Col::DestinationPort, PORT),
    f("protocol", Col::Protocol, PROTOCOL),
    f("packets", Col::Packets, NUMBER),
    f("bytes", Col::ContentSizeOut, NUMBER),
    f("start", Col::Time, Kind::Time),
    f("end", Col::FlowEndTime, Kind::Time),
    f("action", Col::Action, Kind::Text),
    f("log-status", Col::Status, Kind::Text),
    f("vpc-id", Col::VpcId, Kind::Text),
    f("subnet-id", Col::SubnetId, Kind::Text),
    f("instance-id", Col::InstanceId, Kind::Text),
    f("tcp-flags", Col::TcpFlags, NUMBER),
    f("type", Col::TrafficType, Kind::Text),
    f("pkt-srcaddr", Col::PacketSourceIp, Kind::Ip),
    f("pkt-dstaddr", Col::PacketDestinationIp, Kind::Ip),
    f("region", Col::Region, Kind::Text),
    f("az-id", Col::AzId, Kind::Text),
    f("sublocation-type", Col::SublocationType, Kind::Text),
    f("sublocation-id", Col::SublocationId, Kind::Text),
    f("pkt-src-aws-service", Col::SourceAwsService, Kind::Text),
    f("pkt-dst-aws-service", Col::DestinationAwsService, Kind::Text),
    f("flow-direction", Col::FlowDirection, Kind::Text),
    f("traffic-path", Col::TrafficPath, NUMBER),
    f("ecs-cluster-arn", Col::EcsClusterArn, Kind::Text),
    f("ecs-cluster-name", Col::EcsClusterName, Kind::Text),
    f("ecs-container-instance-arn", Col::EcsContainerInstanceArn, Kind::Text),
    f("ecs-container-instance-id", Col::EcsContainerInstanceId, Kind::Text),
    f("ecs-container-id", Col::EcsContainerId, Kind::Text),
    f("ecs-second-container-id", Col::EcsSecondContainerId, Kind::Text),
    f("ecs-service-name", Col::EcsServiceName, Kind::Text),
    f("ecs-task-definition-arn", Col::EcsTaskDefinitionArn, Kind::Text),
    f("ecs-task-arn", Col::EcsTaskArn, Kind::Text),
    f("ecs-task-id", Col::EcsTaskId, Kind::Text),
    f("reject-reason", Col::RejectReason, Kind::Text),
];

/// Fields of the AWS default format (version 2).
pub const AWS_DEFAULT_WIDTH: usize = 14;

/// The AWS field called `name`: as in AWS's docs, with underscores for dashes (the
/// Parquet and Athena spelling) or wrapped as `${name}`, any case.
pub fn aws_field(name: &str) -> Option<&'static TextField> {
    let name = name.strip_prefix("${").and_then(|n| n.strip_suffix('}')).unwrap_or(name);
    AWS_FIELDS.iter().find(|f| {
        f.name.len() == name.len()
            && f.name.bytes().zip(name.bytes()).all(|(a, b)| a == b.to_ascii_lowercase() || (a == b'-' && b == b'_'))
    })
}

/// A header line: every token an AWS field name.
pub fn is_aws_header(tokens: &[&[u8]]) -> bool {
    !tokens.is_empty() && tokens.iter().all(|t| std::str::from_utf8(t).ok().and_then(aws_field).is_some())
}

/// An AWS format string (`${version} ${srcaddr} ...` or plain names, dashes or
/// underscores) as its fields; an unknown name is an error that names it.
pub fn parse_aws_format(spec: &str) -> Result<Vec<TextField>, String> {
    let names: Vec<&str> = spec.split([' ', '\t', ',']).filter(|s| !s.is_empty()).collect();
    if names.is_empty() {
        return Err("the AWS format names no fields".into());
    }
    names
        .iter()
        .map(|n| {
            aws_field(n).copied().ok_or_else(|| {
                let hint = crate::diag::did_you_mean(n, AWS_FIELDS.iter().map(|f| f.name))
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_default();
                format!("'{n}' is not an AWS VPC flow log field{hint}")
            })
        })
        .collect()
}

/// One field to read: where it is on the line, and where it goes.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    pub pos: usize,
    pub field: TextField,
    /// Whether the load wants the value; a field it does not want is still checked, so
    /// that which lines are records never depends on what a query reads.
    pub keep: bool,
}

/// A layout ready for parsing with one load's field mask: only the wanted fields are
/// stored (the others stay null); every field that can be malformed is checked.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Fields a line must have.
    pub width: usize,
    pub steps: Vec<Step>,
    /// Whether to keep each line's text.
    pub keep_line: bool,
    /// Index of the Log Source.
    pub source: u32,
}

impl Layout {
    pub fn new(fields: &[TextField], mask: FieldMask, source: u32) -> Layout {
        let steps: Vec<Step> = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| mask.contains(f.col) || f.kind != Kind::Text)
            .map(|(pos, &field)| Step { pos, field, keep: mask.contains(field.col) })
            .collect();
        Layout { width: fields.len(), steps, keep_line: mask.contains(Col::OriginalLogContent), source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_names_in_every_spelling() {
        assert_eq!(aws_field("pkt-srcaddr").map(|f| f.col), Some(Col::PacketSourceIp));
        assert_eq!(aws_field("pkt_srcaddr").map(|f| f.col), Some(Col::PacketSourceIp));
        assert_eq!(aws_field("${log-status}").map(|f| f.col), Some(Col::Status));
        assert_eq!(aws_field("Account_ID").map(|f| f.col), Some(Col::AccountId));
        assert!(aws_field("srcadr").is_none());
        let f = parse_aws_format("${version} ${vpc-id} ${srcaddr}").unwrap();
        assert_eq!(f.iter().map(|f| f.name).collect::<Vec<_>>(), ["version", "vpc-id", "srcaddr"]);
        assert_eq!(
            parse_aws_format("version srcadr").unwrap_err(),
            "'srcadr' is not an AWS VPC flow log field (did you mean 'srcaddr'?)"
        );
    }

    #[test]
    fn every_record_field_of_aws_is_distinct() {
        for (i, a) in AWS_FIELDS.iter().enumerate() {
            assert!(AWS_FIELDS[i + 1..].iter().all(|b| b.col != a.col && b.name != a.name), "{}", a.name);
        }
    }
}
