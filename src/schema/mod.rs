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
    UploadName = "Upload Name": Str, "the input the record was read from: its path as named, - for standard input (Logging Analytics' upload name)";
    LogGroup = "Log Group": Str, "OCI JSON: oracle.loggroupid, the log group the records were written to";
    Entity = "Entity": Str, "what the record was captured at: the VNIC OCID (OCI JSON), the Interface ID (AWS) or the MAC Address (Azure)";
    EntityType = "Entity Type": Str, "the kind of Entity: OCI VNIC, AWS Network Interface or Azure Network Interface";
    Reporter = "Reporter": Str, "GCP: reporter, the end that reported the flow (SRC, DEST, SRC_GATEWAY, DEST_GATEWAY)";
    SourceVm = "Source VM": Str, "GCP: src_instance.vm_name";
    DestinationVm = "Destination VM": Str, "GCP: dest_instance.vm_name";
    SourceVpc = "Source VPC": Str, "GCP: src_vpc.vpc_name";
    DestinationVpc = "Destination VPC": Str, "GCP: dest_vpc.vpc_name";
    SourceCountry = "Source Country": Str, "GCP: src_location.country (ISO 3166-1 alpha-3)";
    DestinationCountry = "Destination Country": Str, "GCP: dest_location.country (ISO 3166-1 alpha-3)";
    Rtt = "RTT": Int, "GCP: rtt_msec, the round-trip time measured on the flow (ms)";
    ProjectId = "Project ID": Str, "GCP: resource.labels.project_id, the project of the reporting subnet";
    FlowState = "Flow State": Str, "Azure: the tuple's flow state (B begin, C continuing, E end; VNet flow logs: D denied)";
    Rule = "Rule": Str, "Azure: the rule that allowed or denied the flow";
    MacAddress = "MAC Address": Str, "Azure: the MAC address of the network interface that captured the flow";
    ResourceId = "Resource ID": Str, "Azure: the network security group (NSG logs) or target resource (VNet logs)";
    AclId = "ACL ID": Str, "Azure VNet: aclID, the NSG or Virtual Network Manager that evaluated the flow";
    FlowEncryption = "Flow Encryption": Str, "Azure VNet: the flow's encryption state (X, NX, NX_HW_NOT_SUPPORTED, ...)";
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

/// The `Log Source` of a record: the kind of flow log it was read from, by Logging
/// Analytics' names. Its position here is its code in the column's dictionary (and in
/// the ClickHouse table's Enum).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum LogSource {
    /// OCI VCN text records.
    OciVcn,
    /// OCI Logging (JSON) records.
    OciVcnUnified,
    /// AWS VPC records (text or JSON).
    AwsVpc,
    /// GCP VPC Flow Logs (Cloud Logging entries).
    GcpVpc,
    /// Azure network security group flow logs (versions 1 and 2).
    AzureNsg,
    /// Azure virtual network flow logs (version 4).
    AzureVnet,
}

impl LogSource {
    /// Every Log Source, in the order of their codes.
    pub const ALL: [LogSource; 6] = [
        LogSource::OciVcn,
        LogSource::OciVcnUnified,
        LogSource::AwsVpc,
        LogSource::GcpVpc,
        LogSource::AzureNsg,
        LogSource::AzureVnet,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            LogSource::OciVcn => "OCI VCN Flow Logs",
            LogSource::OciVcnUnified => "OCI VCN Flow Unified Schema Logs",
            LogSource::AwsVpc => "AWS VPC Flow Logs",
            LogSource::GcpVpc => "GCP VPC Flow Logs",
            LogSource::AzureNsg => "Azure NSG Flow Logs",
            LogSource::AzureVnet => "Azure VNet Flow Logs",
        }
    }

    /// Its dictionary code.
    pub const fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(code: u32) -> Option<LogSource> {
        LogSource::ALL.get(code as usize).copied()
    }
}

/// The record table's fields (without the computed `Original Log Content`).
pub fn record_fields() -> Vec<Field> {
    FLOW_FIELDS.iter().map(|f| Field::new(f.name, f.dtype)).collect()
}

/// How the loader makes a record field that no parser writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Derivation {
    /// The IANA keyword of the protocol number: codes are the numbers, the dictionary
    /// the 256 keywords, so it costs nothing per record.
    ProtocolName,
    /// The Log Source of the input each record was read from.
    LogSource,
    /// The name of the input each record was read from.
    UploadName,
    /// Logging Analytics' Entity of a flow record: the network interface it was
    /// captured at, whichever cloud names it.
    Entity,
    /// The kind of that Entity, by which field gave it.
    EntityType,
}

/// The network-interface fields [`Derivation::Entity`] takes, first present wins, each
/// with the Entity Type it gives.
pub const ENTITY_SOURCES: &[(Col, &str)] = &[
    (Col::VnicOcid, "OCI VNIC"),
    (Col::InterfaceId, "AWS Network Interface"),
    (Col::MacAddress, "Azure Network Interface"),
];

const ENTITY_COLS: &[Col] = &[Col::VnicOcid, Col::InterfaceId, Col::MacAddress];

/// The fields made rather than parsed, with what each is made from.
pub const DERIVED: &[(Col, Derivation, &[Col])] = &[
    (Col::ProtocolName, Derivation::ProtocolName, &[Col::Protocol]),
    (Col::LogSource, Derivation::LogSource, &[]),
    (Col::UploadName, Derivation::UploadName, &[]),
    (Col::Entity, Derivation::Entity, ENTITY_COLS),
    (Col::EntityType, Derivation::EntityType, ENTITY_COLS),
];

/// Fields a listing of whole records leaves out unless a stage names them: the record's
/// text (it repeats the other fields), its input's name and log group (the same for
/// every record of a file), and its Entity (it repeats the interface's own field).
pub const SHOWN_WHEN_NAMED: &[Col] =
    &[Col::OriginalLogContent, Col::UploadName, Col::LogGroup, Col::Entity, Col::EntityType];

/// Whether the field called `name` is one of [`SHOWN_WHEN_NAMED`].
pub fn shown_when_named(name: &str) -> bool {
    SHOWN_WHEN_NAMED.iter().any(|&c| FLOW_FIELDS[c as usize].name == name)
}

/// How field `c` is made, if no parser writes it.
pub fn derivation(c: Col) -> Option<Derivation> {
    DERIVED.iter().find(|(d, _, _)| *d == c).map(|(_, how, _)| *how)
}

/// Words of a [`FieldMask`]: as many as the field table needs, so the record model has
/// no fixed limit on its fields.
const MASK_WORDS: usize = FLOW_FIELDS.len().div_ceil(64);

/// A set of record fields: the ones a query reads, so a load can skip the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldMask([u64; MASK_WORDS]);

impl Default for FieldMask {
    /// Every field.
    fn default() -> Self {
        FieldMask::all()
    }
}

impl FieldMask {
    pub const NONE: FieldMask = FieldMask([0; MASK_WORDS]);

    pub fn all() -> FieldMask {
        let mut m = FieldMask::NONE;
        for i in 0..FLOW_FIELDS.len() {
            m.0[i / 64] |= 1 << (i % 64);
        }
        m
    }

    fn bit(c: Col) -> (usize, u64) {
        let i = c as usize;
        (i / 64, 1 << (i % 64))
    }

    pub fn contains(self, c: Col) -> bool {
        let (w, b) = Self::bit(c);
        self.0[w] & b != 0
    }

    pub fn insert(&mut self, c: Col) {
        let (w, b) = Self::bit(c);
        self.0[w] |= b;
    }

    pub fn remove(&mut self, c: Col) {
        let (w, b) = Self::bit(c);
        self.0[w] &= !b;
    }

    /// The fields that must be read to produce these: a derived field's source (see
    /// [`DERIVED`]).
    pub fn with_sources(mut self) -> FieldMask {
        for &(c, _, from) in DERIVED {
            if self.contains(c) {
                for &f in from {
                    self.insert(f);
                }
            }
        }
        self
    }

    /// The fields in both sets.
    pub fn intersect(mut self, other: FieldMask) -> FieldMask {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a &= b;
        }
        self
    }

    pub fn is_empty(self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// The fields of the set, in column order.
    pub fn iter(self) -> impl Iterator<Item = Col> {
        (0..FLOW_FIELDS.len()).filter_map(Col::from_index).filter(move |&c| self.contains(c))
    }

    pub fn union(mut self, other: FieldMask) -> FieldMask {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
        self
    }

    /// The field named `name` (exactly as in [`FLOW_FIELDS`], any case), if it is one.
    pub fn field_named(name: &str) -> Option<Col> {
        FLOW_FIELDS.iter().position(|f| f.name.eq_ignore_ascii_case(name)).and_then(Col::from_index)
    }
}

/// Fields Logging Analytics gives every log it ingests (or derives from it) that flow log
/// files do not hold, each with where Logging Analytics takes it from. A query that
/// names one is refused with this reason rather than comparing the name as text and
/// quietly matching nothing (LANGUAGE.md section 2).
pub const LA_ONLY_FIELDS: &[(&str, &str)] = &[
    ("Label", "its label rules, applied at ingestion; flowq applies rules of yours loaded as the lookup table labels (--lookup labels=rules.csv, columns Label and Condition)"),
    ("Host Name (Server)", "the entity's host, associated at ingestion"),
    ("Problem Priority", "its label rules, applied at ingestion"),
    ("Log Entity", "the file or object the logs were collected from"),
    ("Severity", "the severity parsed from application logs"),
    ("Client Host City", "Logging Analytics' geolocation of the client address"),
    ("Client Host Country", "Logging Analytics' geolocation of the client address"),
    ("Client Host Region", "Logging Analytics' geolocation of the client address"),
    ("Client Host Continent", "Logging Analytics' geolocation of the client address"),
    ("Client Coordinates", "Logging Analytics' geolocation of the client address"),
    ("Host IP Address (Client)", "the client address parsed from application logs (a flow's is Source IP)"),
];

/// Where Logging Analytics takes `name` from, if it is one of [`LA_ONLY_FIELDS`].
pub fn la_only_field(name: &str) -> Option<(&'static str, &'static str)> {
    LA_ONLY_FIELDS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).copied()
}

/// The canonical name of an alias, if `name` is one.
pub fn resolve_alias(name: &str) -> Option<&'static str> {
    ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(name)).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_hold_every_field() {
        let all = FieldMask::all();
        assert_eq!(all.iter().count(), FLOW_FIELDS.len());
        let mut m = FieldMask::NONE;
        assert!(m.is_empty());
        m.insert(Col::RejectReason);
        m.insert(Col::LogSource);
        assert_eq!(m.iter().collect::<Vec<_>>(), [Col::LogSource, Col::RejectReason]);
        assert_eq!(m.intersect(all), m);
        assert_eq!(m.union(FieldMask::NONE), m);
        m.remove(Col::RejectReason);
        assert!(!m.contains(Col::RejectReason));
        let mut p = FieldMask::NONE;
        p.insert(Col::ProtocolName);
        assert!(p.with_sources().contains(Col::Protocol));
        assert_eq!(derivation(Col::ProtocolName), Some(Derivation::ProtocolName));
        assert_eq!(derivation(Col::Protocol), None);
        // Entity reads exactly the interface fields it chooses among.
        let chosen: Vec<Col> = ENTITY_SOURCES.iter().map(|(c, _)| *c).collect();
        assert_eq!(ENTITY_COLS, &chosen[..]);
        for (i, s) in LogSource::ALL.iter().enumerate() {
            assert_eq!(s.code() as usize, i);
            assert_eq!(LogSource::from_code(s.code()), Some(*s));
        }
    }
}
