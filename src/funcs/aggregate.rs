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
    Median,
    /// `pct(f, p)`: the p-th percentile.
    Pct,
    Stddev,
    Variance,
    /// `values(f)`: the first 10 values, joined.
    Values,
    /// `unique(f)`: the first 10 distinct values, joined.
    Unique,
    Earliest,
    Latest,
    /// `trend(agg)`: the inner aggregate per time bucket, drawn as a sparkline.
    Trend,
    /// `ifnull(agg, value)`: the inner aggregate, `value` where it is null.
    IfNull,
    /// `persecond(f)`, `perminute(f)`, …: in `timestats`, the sum per bucket divided by
    /// the bucket's length in this many milliseconds (the mean rate per unit of time).
    Rate(i64),
}

impl AggKind {
    /// The aggregate's name as a query writes it (`sum`, `persecond`, …).
    pub fn name(self) -> String {
        match self {
            AggKind::Rate(ms) => RATES.iter().find(|r| r.1 == ms).map_or("rate", |r| r.0).to_string(),
            AggKind::Count | AggKind::CountField => "count".to_string(),
            AggKind::Pct => "pct".to_string(),
            other => format!("{other:?}").to_lowercase(),
        }
    }
}

/// The rate aggregates of `timestats`, with the milliseconds of their unit.
pub const RATES: &[(&str, i64)] =
    &[("persecond", 1000), ("perminute", 60_000), ("perhour", 3_600_000), ("perday", 86_400_000)];

pub struct AggDef {
    pub name: &'static str,
    pub signature: &'static str,
    pub about: &'static str,
    /// (query, its result on [`crate::reference::EXAMPLE_RECORDS`] as CSV); the tests run them.
    pub examples: &'static [(&'static str, &'static str)],
}

pub const AGGREGATES: &[AggDef] = &[
    AggDef {
        name: "count",
        signature: "count | count(field)",
        about: "number of rows; with a field, number of non-null values",
        examples: &[("* | stats count, count('Source IP')", "Count,count(Source IP)\n9,8\n")],
    },
    AggDef {
        name: "sum",
        signature: "sum(field)",
        about: "sum of the non-null values of a numeric field",
        examples: &[("* | stats sum('Content Size Out') as Bytes", "Bytes\n102860\n")],
    },
    AggDef {
        name: "avg",
        signature: "avg(field)",
        about: "mean of the non-null values",
        examples: &[("* | stats avg(Packets)", "avg(Packets)\n10.5\n")],
    },
    AggDef {
        name: "min",
        signature: "min(field)",
        about: "smallest value (numbers, times and IPs by value, strings case-insensitively)",
        examples: &[("* | stats min(Time)", "min(Time)\n2020-09-13T12:26:40Z\n")],
    },
    AggDef {
        name: "max",
        signature: "max(field)",
        about: "largest value",
        examples: &[("* | stats max('Content Size Out')", "max(Content Size Out)\n90000\n")],
    },
    AggDef {
        name: "distinctcount",
        signature: "distinctcount(field)",
        about: "number of distinct non-null values",
        examples: &[(
            "Action = reject | stats distinctcount('Destination Port') as Ports by 'Source IP'",
            "Source IP,Ports\n198.51.100.9,2\n",
        )],
    },
    AggDef {
        name: "median",
        signature: "median(field)",
        about: "the middle value (the mean of the two middle values for an even count)",
        examples: &[("* | stats median(Packets)", "median(Packets)\n3.5\n")],
    },
    AggDef {
        name: "pct",
        signature: "pct(field, p)",
        about: "the p-th percentile (0-100), interpolating linearly between the closest ranks",
        examples: &[("* | stats pct('Content Size Out', 95) as P95", "P95\n60950\n")],
    },
    AggDef {
        name: "stddev",
        signature: "stddev(field)",
        about: "sample standard deviation (n - 1); null for fewer than two values",
        examples: &[("* | stats stddev(Packets)", "stddev(Packets)\n16.466416038192925\n")],
    },
    AggDef {
        name: "variance",
        signature: "variance(field)",
        about: "sample variance (n - 1); null for fewer than two values",
        examples: &[("* | stats variance(Packets)", "variance(Packets)\n271.14285714285717\n")],
    },
    AggDef {
        name: "values",
        signature: "values(field [, delimiter])",
        about: "the first 10 values as text, joined by the delimiter (default ', ')",
        examples: &[("Action = reject | stats values(Action)", "values(Action)\n\"reject, REJECT\"\n")],
    },
    AggDef {
        name: "unique",
        signature: "unique(field [, delimiter])",
        about: "the first 10 distinct values as text, joined by the delimiter (default ', ')",
        examples: &[("* | stats unique(Protocol, ' ')", "\"unique(Protocol, ' ')\"\n17 6\n")],
    },
    AggDef {
        name: "earliest",
        signature: "earliest(field)",
        about: "the value at the oldest record (by Time) where it is not null",
        examples: &[("Action = reject | stats earliest(Action) as First", "First\nREJECT\n")],
    },
    AggDef {
        name: "latest",
        signature: "latest(field)",
        about: "the value at the newest record (by Time) where it is not null",
        examples: &[("Action = reject | stats latest(Action) as Last", "Last\nreject\n")],
    },
    AggDef {
        name: "trend",
        signature: "trend[(aggregate [, span])]",
        about:
            "the aggregate per time bucket (the span given, else the link span, else about 20 buckets) as a sparkline; bare `trend` is trend(count)",
        examples: &[
            (
                "* | link span=1day Protocol | stats trend(count) as Days | fields Protocol, Days",
                "Protocol,Days\n6,█▁\n17,▁█\n",
            ),
            (
                "* | link Protocol | stats trend(count, 1day) as Days | fields Protocol, Days",
                "Protocol,Days\n6,█▁\n17,▁█\n",
            ),
        ],
    },
    AggDef {
        name: "ifnull",
        signature: "ifnull(aggregate, value)",
        about: "the aggregate, or the value where it is null (Oracle's ifNull in stats, eventstats and timestats)",
        examples: &[(
            "* | stats ifnull(avg(Packets), 0) as 'Mean Packets' by Protocol",
            "Protocol,Mean Packets\n6,13.666666666666666\n17,1\n,0\n",
        )],
    },
    AggDef {
        name: "persecond",
        signature: "persecond(field)",
        about: "timestats only: per bucket, the field's sum divided by the bucket's length in seconds (the mean rate per second)",
        examples: &[(
            "* | timestats span=1day persecond('Content Size Out') as 'Bytes/s'",
            "Time,Bytes/s\n2020-09-13T00:00:00Z,0.14652777777777778\n2020-09-14T00:00:00Z,1.0439814814814814\n",
        )],
    },
    AggDef {
        name: "perminute",
        signature: "perminute(field)",
        about: "timestats only: per bucket, the field's sum divided by the bucket's length in minutes",
        examples: &[("* | timestats span=1day perminute(Packets)", "Time,perminute(Packets)\n2020-09-13T00:00:00Z,0.022222222222222223\n2020-09-14T00:00:00Z,0.03611111111111111\n")],
    },
    AggDef {
        name: "perhour",
        signature: "perhour(field)",
        about: "timestats only: per bucket, the field's sum divided by the bucket's length in hours",
        examples: &[("* | timestats span=1day perhour(Packets)", "Time,perhour(Packets)\n2020-09-13T00:00:00Z,1.3333333333333333\n2020-09-14T00:00:00Z,2.1666666666666665\n")],
    },
    AggDef {
        name: "perday",
        signature: "perday(field)",
        about: "timestats only: per bucket, the field's sum divided by the bucket's length in days",
        examples: &[("* | timestats span=12hour perday(Packets)", "Time,perday(Packets)\n2020-09-13T12:00:00Z,64\n2020-09-14T00:00:00Z,0\n2020-09-14T12:00:00Z,104\n")],
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
        ("median", 1) => AggKind::Median,
        ("pct" | "percentile", 2) => AggKind::Pct,
        ("stddev", 1) => AggKind::Stddev,
        ("variance", 1) => AggKind::Variance,
        ("values", 1 | 2) => AggKind::Values,
        ("unique", 1 | 2) => AggKind::Unique,
        ("earliest", 1) => AggKind::Earliest,
        ("latest", 1) => AggKind::Latest,
        ("trend", 0..=2) => AggKind::Trend,
        ("ifnull", 2) => AggKind::IfNull,
        (rate, 1) => return RATES.iter().find(|(n, _)| *n == rate).map(|&(_, ms)| AggKind::Rate(ms)),
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
        AggKind::Min | AggKind::Max | AggKind::Earliest | AggKind::Latest => Ok(arg),
        AggKind::Median | AggKind::Pct => match arg {
            DataType::Int | DataType::Float | DataType::Null => Ok(DataType::Float),
            DataType::Duration | DataType::Time => Ok(arg),
            _ => Err("a number"),
        },
        AggKind::Stddev | AggKind::Variance => match arg {
            DataType::Int | DataType::Float | DataType::Null => Ok(DataType::Float),
            DataType::Duration if kind == AggKind::Stddev => Ok(arg),
            DataType::Duration => Ok(DataType::Float),
            _ => Err("a number"),
        },
        AggKind::Values | AggKind::Unique | AggKind::Trend => Ok(DataType::Str),
        // Typed by its inner aggregate (planned apart).
        AggKind::IfNull => Ok(arg),
        AggKind::Rate(_) => match arg {
            DataType::Int | DataType::Float | DataType::Null => Ok(DataType::Float),
            _ => Err("a number"),
        },
    }
}
