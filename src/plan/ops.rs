//! The operators a plan is made of: what each holds, the command it came from, whether
//! it reads the member records of link groups, and its description in `flowq explain`
//! (in `explain.rs`). How each runs is its arm of `exec::apply`; the local engine's
//! fused forms of some pairs are in `physical.rs`.

pub use super::subplan::{MapOp, MapWrite, MultiSearchOp, SequenceOp, SequenceRule, SubPlan};
use super::CExpr;
use crate::funcs::aggregate::AggKind;
use crate::store::time::Span as TimeSpan;

/// One step of the pipeline.
#[derive(Clone, Debug)]
pub enum Op {
    Filter(CExpr),
    Eval(Vec<Assign>),
    /// Collapse rows into one row per by-tuple.
    Stats {
        aggs: Vec<AggSpec>,
        by: Vec<usize>,
    },
    /// After link: aggregate each group's member records into new group columns.
    GroupStats(Vec<AggSpec>),
    Link(LinkOp),
    Sort(Vec<SortSpec>),
    Head(usize),
    Tail(usize),
    /// The new columns: (source column, name).
    Project(Vec<(usize, String)>),
    Rename(Vec<(usize, String)>),
    TimeStats(TimeStatsOp),
    /// Aggregates across rows (per by-tuple) attached to every row.
    EventStats {
        aggs: Vec<AggSpec>,
        by: Vec<usize>,
        /// Only the rows where this holds are aggregated (addfields' eventstats form);
        /// the result still goes to every row.
        only: Option<CExpr>,
    },
    /// After link: aggregates over the member records of all the groups of each by-tuple
    /// (of group fields), attached to every group of it (Oracle's second-level
    /// aggregation with eventstats).
    MemberEventStats {
        aggs: Vec<AggSpec>,
        by: Vec<usize>,
        /// The by-fields' names (explain reads the aggregates against the members'
        /// fields, these against the groups').
        by_names: Vec<String>,
    },
    /// After link: per group, aggregates over the member records matching each filter.
    AddFields(Vec<(Option<CExpr>, Vec<AggSpec>)>),
    /// Keep the first `n` rows of each by-tuple, in frame order.
    LimitPer {
        by: Vec<usize>,
        n: usize,
    },
    /// Keep the first rows of each combination of the columns, in frame order.
    Dedup(DedupOp),
    Bucket(BucketOp),
    /// Named regex groups of column `col` into string columns (replace or append).
    Extract {
        col: usize,
        re: regex::Regex,
        targets: Vec<(String, Option<usize>)>,
    },
    /// Values at JSON or XML paths of the text in column `col`, as new (or replaced)
    /// columns: (name, path, column it replaces).
    PathExtract {
        col: usize,
        targets: Vec<(String, DocPath, Option<usize>)>,
    },
    /// `col` minus `prev` of the row `step` rows earlier, as column `name`.
    Delta {
        col: usize,
        prev: usize,
        step: usize,
        name: String,
    },
    TimeCompare(TimeCompareOp),
    /// After timestats: column `name`, the shape cluster of each row's series (by `by`)
    /// of the aggregate in `value`.
    TimeCluster {
        by: Vec<usize>,
        value: usize,
        name: String,
    },
    /// Per field, its distinct values with their counts (and trends).
    FieldSummary(FieldSummaryOp),
    /// Keywords of a text, or clusters of rows by their keywords.
    Nlp(NlpOp),
    /// Rows whose values are far from the rest.
    Outlier(OutlierOp),
    /// Message signatures of a text (`cluster`, `clusterdetails`, `clustersplit`).
    Cluster(ClusterOp),
    /// After link: the same query up to here, re-run over other time ranges, its
    /// values matched to the current groups.
    Compare(CompareOp),
    Lookup(LookupOp),
    Classify(ClassifyOp),
    /// The rows of a lookup table replace the frame.
    SearchLookup(std::sync::Arc<crate::lookup::LookupTable>),
    /// Subqueries over the frame, their results one after another (`multisearch`).
    MultiSearch(MultiSearchOp),
    /// `createview [ … ] as V | map [ … ] using V`: rows updated from the view's rows
    /// they match.
    Map(MapOp),
    /// Rows whose `value` is (or, `negated`, is not) among the values of the first
    /// column of `sub`, run over the run's records (`x in [ … ]`).
    InQuery {
        value: CExpr,
        sub: Box<SubPlan>,
        negated: bool,
    },
    /// After link: the member records of the groups in the frame (`linkdetails`), each
    /// with the columns `attach` of its group appended.
    LinkDetails {
        attach: Vec<usize>,
    },
    /// After link: the runs of member records that follow a pattern (`sequence`).
    Sequence(SequenceOp),
    /// Set column `name` (`Highlight` unless the query names it) to `color` where `cond`
    /// holds (on the member records of each group for `groups`); `target` is that
    /// column when it exists already.
    Highlight {
        cond: CExpr,
        color: String,
        groups: bool,
        target: Option<usize>,
        name: String,
    },
}

/// A path into structured text: JSON (`jsonextract`) or XML (`xmlextract`).
#[derive(Clone, Debug)]
pub enum DocPath {
    Json(crate::funcs::json_path::JsonPath),
    Xml(crate::funcs::xml_path::XmlPath),
}

impl DocPath {
    pub fn text(&self) -> &str {
        match self {
            DocPath::Json(p) => p.text(),
            DocPath::Xml(p) => p.text(),
        }
    }
}

/// `dedup`: per combination of `cols`, the first `count` rows (of each run of equal
/// rows when `consecutive`); rows with a null in `cols` only when `include_nulls`.
#[derive(Clone, Debug)]
pub struct DedupOp {
    pub cols: Vec<usize>,
    pub count: usize,
    pub include_nulls: bool,
    pub consecutive: bool,
}

/// `fieldsummary`: each of `cols`, its `max_values` most common values (and the nulls).
#[derive(Clone, Debug)]
pub struct FieldSummaryOp {
    pub cols: Vec<usize>,
    pub max_values: usize,
    pub include_nulls: bool,
    pub include_trends: bool,
    /// The time column the trends are drawn over.
    pub time: Option<usize>,
}

/// `nlp keywords(f)` / `nlp cluster(f)`: column `name` (replacing `target`) holds the
/// text's keywords (at most `words`), or the cluster number of its first `words`.
#[derive(Clone, Debug)]
pub struct NlpOp {
    pub col: usize,
    pub cluster: bool,
    pub words: usize,
    pub similarity: f64,
    /// A dictionary's words (lower case): only these are keywords.
    pub vocabulary: Option<Vec<String>>,
    pub name: String,
    pub target: Option<usize>,
}

/// `outlier`: with `annotate`, column `name` says whether each row is an outlier; else
/// only the outliers are kept; `remove` drops them instead.
#[derive(Clone, Debug)]
pub struct OutlierOp {
    pub cols: Vec<usize>,
    pub annotate: bool,
    pub remove: bool,
    pub name: String,
}

/// `cluster` and its kin: the rows' text (`text` columns joined by a space) reduced to
/// signatures with Oracle's `similarity`.
#[derive(Clone, Debug)]
pub struct ClusterOp {
    pub text: Vec<usize>,
    pub similarity: f64,
    /// The time column (Start Time, End Time and Trend of each cluster).
    pub time: Option<usize>,
    pub output: ClusterOutput,
}

#[derive(Clone, Debug)]
pub enum ClusterOutput {
    /// One row per cluster.
    Summary,
    /// The rows of the chosen clusters, with their cluster's Id and signature.
    Details(IdFilter),
    /// One row per cluster and combination of the words in its variable places.
    Split(IdFilter),
    /// Every row, with its cluster's `Cluster Sample` and `Potential Issue` (`link
    /// cluster()`).
    Tag,
    /// The clusters found only in the current rows or only in a baseline's.
    Compare(Box<ClusterBaseline>),
}

/// The baseline of `clustercompare`: the records of `range` that pass `filter` (the
/// bracketed query), or else the operators before it (`prefix`) run over that range.
#[derive(Clone, Debug)]
pub struct ClusterBaseline {
    pub range: CompareRanges,
    pub filter: Option<CExpr>,
    pub prefix: Vec<Op>,
    /// Add Start Time, End Time, Trend (buckets of `span`, or 20) and Shape.
    pub trends: bool,
    pub span: Option<TimeSpan>,
}

/// `id = n`, `id in (…)` (keep these) or `id != n`, `id not in (…)` (keep the others).
#[derive(Clone, Debug, Default)]
pub struct IdFilter {
    pub ids: Vec<i64>,
    pub keep: bool,
}

impl IdFilter {
    pub fn admits(&self, id: i64) -> bool {
        self.ids.contains(&id) == self.keep
    }
}

/// `compare`: the operators before it (`prefix`) run again over each comparison range;
/// each group gets the values of `columns` from the group with the same `keys` there.
#[derive(Clone, Debug)]
pub struct CompareOp {
    pub prefix: Vec<Op>,
    /// The link fields' columns, and whether each is a time (shifted back to match).
    pub keys: Vec<(usize, bool)>,
    pub columns: Vec<usize>,
    pub ranges: CompareRanges,
    /// The new columns' names: per range, per column.
    pub names: Vec<Vec<String>>,
}

/// The comparison ranges of `compare`, relative to the current time range.
#[derive(Clone, Debug)]
pub enum CompareRanges {
    /// `timeshift`: the k-th range (k = 1..count) starts `k × offset` (`auto`: `k ×`
    /// the current range's length, back) from the current one; `size` its length.
    Shift { offset: Option<(TimeSpan, i64)>, size: Option<TimeSpan>, count: usize },
    /// `timerange a to b`, each `[a, b)` in epoch milliseconds.
    Fixed(Vec<(i64, i64)>),
}

#[derive(Clone, Debug)]
pub struct TimeStatsOp {
    /// The time column bucketed.
    pub time: usize,
    /// `None`: chosen from the data so there are at most 200 buckets.
    pub span: Option<TimeSpan>,
    pub by: Vec<usize>,
    pub aggs: Vec<AggSpec>,
    /// `topcount=n` (true) / `bottomcount=n` (false): keep n by-tuples by their total.
    pub top: Option<(usize, bool)>,
}

#[derive(Clone, Debug)]
pub struct ClassifyOp {
    /// The properties: (group column, is a number or time).
    pub props: Vec<(usize, bool)>,
    pub correlate: Vec<usize>,
    /// Show the n largest clusters (and every anomalous one).
    pub topcount: Option<usize>,
    /// Show the n smallest clusters (and every anomalous one).
    pub bottomcount: Option<usize>,
    /// The name of the cluster number column.
    pub id_name: String,
}

#[derive(Clone, Debug)]
pub struct LookupOp {
    pub table: std::sync::Arc<crate::lookup::LookupTable>,
    /// (frame column, table column) pairs that must all match.
    pub keys: Vec<(usize, usize)>,
    /// (table column, output name, frame column it replaces).
    pub select: Vec<(usize, String, Option<usize>)>,
    pub max_matches: usize,
    pub default: Option<String>,
}

#[derive(Clone, Debug)]
pub struct BucketOp {
    pub col: usize,
    pub ranges: Vec<crate::syntax::BucketRange>,
    pub others: Option<String>,
    /// Auto buckets: a fixed width, or about this many between min and max.
    pub width: Option<f64>,
    pub max_buckets: usize,
}

#[derive(Clone, Debug)]
pub struct TimeCompareOp {
    pub time: usize,
    pub by: Vec<usize>,
    /// The aggregate columns and their shifted names, per shift 1..=count.
    pub columns: Vec<(usize, Vec<String>)>,
    pub shift: TimeSpan,
    pub count: usize,
}

/// `eval` target: replace column `target` or append a column `name`.
#[derive(Clone, Debug)]
pub struct Assign {
    pub target: Option<usize>,
    pub name: String,
    pub expr: CExpr,
}

#[derive(Clone, Debug)]
pub struct AggSpec {
    pub kind: AggKind,
    pub arg: Option<CExpr>,
    pub name: String,
    pub param: AggParam,
}

/// What some aggregates need besides their argument.
#[derive(Clone, Debug, Default)]
pub enum AggParam {
    #[default]
    None,
    /// `pct`: the percentile, 0-100.
    Percentile(f64),
    /// `values` / `unique`: the delimiter.
    Delimiter(String),
    /// `earliest` / `latest`: the input's Time column.
    Time(usize),
    /// `ifnull`: the aggregate, and the value that stands for its nulls.
    IfNull { inner: Box<AggSpec>, default: crate::store::Value<'static> },
    /// `trend`: the aggregate per bucket, the input's Time column, the bucket span.
    Trend { inner: Box<AggSpec>, time: usize, span: Option<TimeSpan> },
}

#[derive(Clone, Debug)]
pub struct LinkOp {
    pub keys: Vec<usize>,
    /// Per key: the span its times are floored to.
    pub floor: Vec<Option<TimeSpan>>,
    pub include_nulls: bool,
    /// The record column that gives Start Time and End Time.
    pub time: Option<usize>,
}

#[derive(Clone, Copy, Debug)]
pub struct SortSpec {
    pub col: usize,
    pub descending: bool,
}
