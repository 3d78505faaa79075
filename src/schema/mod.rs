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
}

/// Computed from the record on demand rather than stored: the record's text.
pub const ORIGINAL_LOG_CONTENT: &str = "Original Log Content";

/// Other names accepted for record fields.
pub const ALIASES: &[(&str, &str)] =
    &[("Protocol Number", "Protocol"), ("Protocol (Transport)", "Protocol Name"), ("Packets In", "Packets")];

/// Log Source of OCI VCN text records.
pub const OCI_TEXT_SOURCE: &str = "OCI VCN Flow Logs";

/// The record table's fields (without the computed `Original Log Content`).
pub fn record_fields() -> Vec<Field> {
    FLOW_FIELDS.iter().map(|f| Field::new(f.name, f.dtype)).collect()
}

/// A set of record fields: the ones a query reads, so a load can skip the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldMask(u32);

impl Default for FieldMask {
    /// Every field.
    fn default() -> Self {
        FieldMask::all()
    }
}

impl FieldMask {
    pub const NONE: FieldMask = FieldMask(0);

    pub fn all() -> FieldMask {
        FieldMask((1 << FLOW_FIELDS.len()) - 1)
    }

    pub fn contains(self, c: Col) -> bool {
        self.0 & (1 << c as u32) != 0
    }

    pub fn insert(&mut self, c: Col) {
        self.0 |= 1 << c as u32;
    }

    /// The fields that must be read to produce these: `Protocol Name` is made from
    /// `Protocol`.
    pub fn with_sources(mut self) -> FieldMask {
        if self.contains(Col::ProtocolName) {
            self.insert(Col::Protocol);
        }
        self
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
