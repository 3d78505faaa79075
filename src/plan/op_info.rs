//! What every operator is, beside what it holds ([`super::ops`]): the command it came
//! from, what it reads beyond the frame in hand, and its description.

use super::ops::*;
use crate::store::Field;

impl Op {
    /// The command an operator came from, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Filter(_) => "where",
            Op::Eval(_) => "eval",
            Op::Stats { .. } => "stats",
            Op::GroupStats(_) => "stats",
            Op::Link(_) => "link",
            Op::Sort(_) => "sort",
            Op::Head(_) => "head",
            Op::Tail(_) => "tail",
            Op::Project(_) => "fields",
            Op::Rename(_) => "rename",
            Op::TimeStats(_) => "timestats",
            Op::EventStats { .. } | Op::MemberEventStats { .. } => "eventstats",
            Op::AddFields(_) => "addfields",
            Op::LimitPer { .. } => "top/head by",
            Op::Dedup(_) => "dedup",
            Op::Bucket(_) => "bucket",
            Op::Extract { .. } => "extract",
            Op::PathExtract { targets, .. } => match targets.first() {
                Some((_, DocPath::Xml(_), _)) => "xmlextract",
                _ => "jsonextract",
            },
            Op::Delta { .. } => "delta",
            Op::TimeCompare(_) => "timecompare",
            Op::Compare(_) => "compare",
            Op::TimeCluster { .. } => "timecluster",
            Op::FieldSummary(_) => "fieldsummary",
            Op::Outlier(_) => "outlier",
            Op::Nlp(_) => "nlp",
            Op::Cluster(c) => match c.output {
                ClusterOutput::Summary => "cluster",
                ClusterOutput::Details(_) => "clusterdetails",
                ClusterOutput::Split(_) => "clustersplit",
                ClusterOutput::Compare(_) => "clustercompare",
                ClusterOutput::Tag => "link cluster()",
            },
            Op::Lookup(_) => "lookup",
            Op::Classify(_) => "classify",
            Op::SearchLookup(_) => "searchlookup",
            Op::Highlight { .. } => "highlight",
            Op::MultiSearch(_) => "multisearch",
            Op::Map(_) => "map",
            Op::InQuery { .. } => "in [ … ]",
            Op::LinkDetails { .. } => "linkdetails",
            Op::Sequence(_) => "sequence",
        }
    }

    /// Whether it reads the member records of link groups (so an earlier link must
    /// keep them).
    pub fn needs_members(&self) -> bool {
        matches!(
            self,
            Op::GroupStats(_)
                | Op::AddFields(_)
                | Op::MemberEventStats { .. }
                | Op::Highlight { groups: true, .. }
                | Op::LinkDetails { .. }
                | Op::Sequence(_)
        )
    }

    /// Whether it reads records outside the run's time window (`compare`,
    /// `clustercompare`): the run keeps its first frame for it.
    pub fn reads_other_ranges(&self) -> bool {
        matches!(self, Op::Compare(_) | Op::Cluster(ClusterOp { output: ClusterOutput::Compare(_), .. }))
    }

    /// Whether it reads the run's first frame (its records, in the time window or out
    /// of it) rather than only the frame in hand: the run keeps that frame for it.
    pub fn needs_start(&self) -> bool {
        self.reads_other_ranges() || matches!(self, Op::InQuery { .. })
    }

    /// What it does, in words, over input rows with `fields` (for `flowq explain`).
    pub fn describe(&self, fields: &[Field]) -> String {
        super::explain::describe(self, fields)
    }
}
