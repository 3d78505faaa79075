//! The aggregates of `stats` (and of `stats` after `link`).

use crate::store::DataType;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggKind {
    /// `count`: rows.
    Count,
    /// `count(f)`: non-null values.
    CountField,
    Sum,
    Avg,
    Min,
    Max,
    DistinctCount,
}

pub struct AggDef {
    pub name: &'static str,
    pub signature: &'static str,
    pub about: &'static str,
    pub examples: &'static [(&'static str, &'static str)],
}

pub const AGGREGATES: &[AggDef] = &[
    AggDef {
        name: "count",
        signature: "count | count(field)",
        about: "number of rows; with a field, number of non-null values",
        examples: &[("* | stats count", "Count"), ("* | stats count('Source IP')", "count(Source IP)")],
    },
    AggDef {
        name: "sum",
        signature: "sum(field)",
        about: "sum of the non-null values of a numeric field",
        examples: &[("* | stats sum('Content Size Out') as Bytes", "Bytes")],
    },
    AggDef {
        name: "avg",
        signature: "avg(field)",
        about: "mean of the non-null values",
        examples: &[("* | stats avg(Packets)", "avg(Packets)")],
    },
    AggDef {
        name: "min",
        signature: "min(field)",
        about: "smallest value (numbers, times and IPs by value, strings case-insensitively)",
        examples: &[("* | stats min(Time)", "min(Time)")],
    },
    AggDef {
        name: "max",
        signature: "max(field)",
        about: "largest value",
        examples: &[("* | stats max('Content Size Out')", "max(Content Size Out)")],
    },
    AggDef {
        name: "distinctcount",
        signature: "distinctcount(field)",
        about: "number of distinct non-null values",
        examples: &[("* | stats distinctcount('Destination Port') by 'Source IP'", "distinctcount(Destination Port)")],
    },
];

/// The aggregate named `name` with `nargs` arguments.
pub fn lookup(name: &str, nargs: usize) -> Option<AggKind> {
    Some(match (name.to_ascii_lowercase().as_str(), nargs) {
        ("count", 0) => AggKind::Count,
        ("count", 1) => AggKind::CountField,
        ("sum", 1) => AggKind::Sum,
        ("avg", 1) => AggKind::Avg,
        ("min", 1) => AggKind::Min,
        ("max", 1) => AggKind::Max,
        ("distinctcount", 1) => AggKind::DistinctCount,
        _ => return None,
    })
}

/// Whether `name` is an aggregate at all (with any number of arguments).
pub fn is_aggregate(name: &str) -> bool {
    AGGREGATES.iter().any(|a| a.name.eq_ignore_ascii_case(name))
}

/// The result type for an argument of type `arg`; `Err` names what the argument must be.
pub fn result_type(kind: AggKind, arg: DataType) -> Result<DataType, &'static str> {
    match kind {
        AggKind::Count | AggKind::CountField | AggKind::DistinctCount => Ok(DataType::Int),
        AggKind::Sum => match arg {
            DataType::Int | DataType::Float | DataType::Duration | DataType::Null => Ok(arg),
            _ => Err("a number"),
        },
        AggKind::Avg => match arg {
            DataType::Int | DataType::Float | DataType::Null => Ok(DataType::Float),
            DataType::Duration => Ok(DataType::Duration),
            _ => Err("a number"),
        },
        AggKind::Min | AggKind::Max => Ok(arg),
    }
}
