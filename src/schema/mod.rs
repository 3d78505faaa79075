//! The flow record model (LANGUAGE.md section 8): every input format is read into
//! these columns, in this order.

pub mod protocols;

use crate::store::{DataType, Field};

/// One field of the flow record model.
pub struct FlowField {
    pub name: &'static str,
    pub dtype: DataType,
    pub about: &'static str,
}

macro_rules! flow_fields {
    ($($idx:ident = $name:literal : $t:ident, $about:literal;)*) => {
        /// Column positions of the record table.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        pub enum Col { $($idx),* }

        impl Col {
            /// The field at column position `i`.
            pub fn from_index(i: usize) -> Option<Col> {
                [$(Col::$idx),*].get(i).copied()
            }
        }

        /// The record fields in column order.
        pub const FLOW_FIELDS: &[FlowField] = &[
            $(FlowField { name: $name, dtype: DataType::$t, about: $about }),*
        ];
    };
}

flow_fields! {
    LogSource = "Log Source": Str, "the format the record was read from";
    Version = "Version": Int, "flow log format version";
    SourceIp = "Source IP": Ip, "source address (IPv4 or IPv6)";
    DestinationIp = "Destination IP": Ip, "destination address (IPv4 or IPv6)";
    SourcePort = "Source Port": Int, "source port";
    DestinationPort = "Destination Port": Int, "destination port";
    Protocol = "Protocol": Int, "IANA protocol number";
    ProtocolName = "Protocol Name": Str, "IANA protocol keyword (TCP, UDP, ICMP, ...)";
    Packets = "Packets": Int, "packets in the capture window";
    ContentSizeOut = "Content Size Out": Int, "bytes in the capture window";
    Time = "Time": Time, "start of the capture window (flow start)";
    FlowEndTime = "Flow End Time": Time, "end of the capture window";
    Action = "Action": Str, "ACCEPT, REJECT (or ALLOW), as written";
    Status = "Status": Str, "OK, NODATA or SKIPDATA";
    OriginalLogContent = "Original Log Content": Str, "the record as written in the input (its line, or its JSON text)";
    FlowId = "Flow ID": Str, "OCI JSON: data.flowid";
    VnicOcid = "VNIC OCID": Str, "OCI JSON: oracle.vnicocid";
    SubnetOcid = "Subnet OCID": Str, "OCI JSON: oracle.vnicsubnetocid";
    CompartmentOcid = "Compartment OCID": Str, "OCI JSON: oracle.compartmentid";
    VcnOcid = "VCN OCID": Str, "OCI JSON: oracle.vcnOcid";
    InstanceOcid = "Instance OCID": Str, "OCI JSON: oracle.instanceOcid";
    ResourceType = "Resource Type": Str, "OCI JSON: oracle.resourceType";
    AccountId = "Account ID": Str, "AWS: account-id";
    InterfaceId = "Interface ID": Str, "AWS: interface-id (eni-...)";
    VpcId = "VPC ID": Str, "AWS: vpc-id";
    SubnetId = "Subnet ID": Str, "AWS: subnet-id";
    InstanceId = "Instance ID": Str, "AWS: instance-id";
    TcpFlags = "TCP Flags": Int, "AWS: tcp-flags, the OR of the flags seen (FIN 1, SYN 2, RST 4, SYN-ACK 18)";
    TrafficType = "Traffic Type": Str, "AWS: type (IPv4, IPv6, EFA)";
    PacketSourceIp = "Packet Source IP": Ip, "AWS: pkt-srcaddr, the packet's original source";
    PacketDestinationIp = "Packet Destination IP": Ip, "AWS: pkt-dstaddr, the packet's original destination";
    Region = "Region": Str, "AWS: region";
    AzId = "AZ ID": Str, "AWS: az-id";
    SublocationType = "Sublocation Type": Str, "AWS: sublocation-type (wavelength, outpost, localzone)";
    SublocationId = "Sublocation ID": Str, "AWS: sublocation-id";
    SourceAwsService = "Source AWS Service": Str, "AWS: pkt-src-aws-service";
    DestinationAwsService = "Destination AWS Service": Str, "AWS: pkt-dst-aws-service";
    FlowDirection = "Flow Direction": Str, "AWS: flow-direction (ingress, egress)";
    TrafficPath = "Traffic Path": Int, "AWS: traffic-path (1-8, the path egress traffic takes)";
    EcsClusterArn = "ECS Cluster ARN": Str, "AWS: ecs-cluster-arn";
    EcsClusterName = "ECS Cluster Name": Str, "AWS: ecs-cluster-name";
    EcsContainerInstanceArn = "ECS Container Instance ARN": Str, "AWS: ecs-container-instance-arn";
    EcsContainerInstanceId = "ECS Container Instance ID": Str, "AWS: ecs-container-instance-id";
    EcsContainerId = "ECS Container ID": Str, "AWS: ecs-container-id";
    EcsSecondContainerId = "ECS Second Container ID": Str, "AWS: ecs-second-container-id";
    EcsServiceName = "ECS Service Name": Str, "AWS: ecs-service-name";
    EcsTaskDefinitionArn = "ECS Task Definition ARN": Str, "AWS: ecs-task-definition-arn";
    EcsTaskArn = "ECS Task ARN": Str, "AWS: ecs-task-arn";
    EcsTaskId = "ECS Task ID": Str, "AWS: ecs-task-id";
    RejectReason = "Reject Reason": Str, "AWS: reject-reason";
}

/// Fields before this position are common to every format; the ones from it on are
/// format-specific (and `Original Log Content`), left out of a record listing when a
/// result holds no value of them.
pub const FIRST_EXTRA: usize = Col::OriginalLogContent as usize;

/// The record's text: read only when a query names it.
pub const ORIGINAL_LOG_CONTENT: &str = "Original Log Content";

/// Other names accepted for record fields.
pub const ALIASES: &[(&str, &str)] =
    &[("Protocol Number", "Protocol"), ("Protocol (Transport)", "Protocol Name"), ("Packets In", "Packets")];

/// Log Source of OCI VCN text records.
pub const OCI_TEXT_SOURCE: &str = "OCI VCN Flow Logs";
/// Log Source of OCI Logging (JSON) records.
pub const OCI_JSON_SOURCE: &str = "OCI VCN Flow Unified Schema Logs";
/// Log Source of AWS VPC records (text or JSON).
pub const AWS_SOURCE: &str = "AWS VPC Flow Logs";
/// Every Log Source, in the order of their dictionary codes.
pub const SOURCES: [&str; 3] = [OCI_TEXT_SOURCE, OCI_JSON_SOURCE, AWS_SOURCE];

/// The record table's fields (without the computed `Original Log Content`).
pub fn record_fields() -> Vec<Field> {
    FLOW_FIELDS.iter().map(|f| Field::new(f.name, f.dtype)).collect()
}

/// A set of record fields: the ones a query reads, so a load can skip the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldMask(u64);

impl Default for FieldMask {
    /// Every field.
    fn default() -> Self {
        FieldMask::all()
    }
}

impl FieldMask {
    pub const NONE: FieldMask = FieldMask(0);

    pub fn all() -> FieldMask {
        FieldMask(u64::MAX >> (64 - FLOW_FIELDS.len()))
    }

    pub fn contains(self, c: Col) -> bool {
        self.0 & (1 << c as u64) != 0
    }

    pub fn insert(&mut self, c: Col) {
        self.0 |= 1 << c as u64;
    }

    pub fn remove(&mut self, c: Col) {
        self.0 &= !(1 << c as u64);
    }

    /// The fields that must be read to produce these: `Protocol Name` is made from
    /// `Protocol`.
    pub fn with_sources(mut self) -> FieldMask {
        if self.contains(Col::ProtocolName) {
            self.insert(Col::Protocol);
        }
        self
    }

    /// The fields in both sets.
    pub fn intersect(self, other: FieldMask) -> FieldMask {
        FieldMask(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The fields of the set, in column order.
    pub fn iter(self) -> impl Iterator<Item = Col> {
        (0..FLOW_FIELDS.len()).filter(move |i| self.0 & (1 << i) != 0).filter_map(Col::from_index)
    }

    pub fn union(self, other: FieldMask) -> FieldMask {
        FieldMask(self.0 | other.0)
    }

    /// The field named `name` (exactly as in [`FLOW_FIELDS`], any case), if it is one.
    pub fn field_named(name: &str) -> Option<Col> {
        FLOW_FIELDS.iter().position(|f| f.name.eq_ignore_ascii_case(name)).and_then(Col::from_index)
    }
}

/// The canonical name of an alias, if `name` is one.
pub fn resolve_alias(name: &str) -> Option<&'static str> {
    ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(name)).map(|(_, c)| *c)
}
