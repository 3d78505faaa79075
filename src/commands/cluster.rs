//! `cluster`, `clusterdetails`, `clustersplit`: message signatures of a text field
//! (LANGUAGE.md section 10; the method in `exec/cluster/signatures.rs`).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{
    time_column, ClusterBaseline, ClusterOp, ClusterOutput, CompareRanges, FrameKind, IdFilter, Op, Planner,
};
use crate::schema;
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, option, search_condition, Parts, Rule};
use crate::syntax::{Name, OptionArg, Stage};

const SIMILARITY: OptionDef = OptionDef::new(
    "similarity",
    OptionKind::Number,
    "0 to 1: the share of words two messages of a cluster may differ in is 1 - similarity (default 0.67)",
);
const FIELD: OptionDef =
    OptionDef::new("field", OptionKind::Field, "the text to cluster (default Original Log Content)");
const COLLECTION: OptionDef = OptionDef::new(
    "collection",
    OptionKind::Text,
    "a cluster collection saved in Logging Analytics: accepted, and the query's own records are clustered",
);

const PHRASES: &[(Rule, &str)] =
    &[(Rule::cluster_ids, "id = <n>, id != <n> or id in (<n>, ...)"), (Rule::id_word, "id"), (Rule::id_cmp, "= or !=")];

/// The default similarity, Oracle's.
const DEFAULT_SIMILARITY: f64 = 0.67;

pub const CLUSTER: CommandDef = CommandDef {
    name: "cluster",
    syntax: "cluster [similarity=<0..1>] [field=<field>] [<field>, ...]",
    about: "group the rows by message signature: the text's words with numbers, addresses and other digit-holding words masked, similar patterns merged (Oracle's similarity: 0.67 lets 3 of 10 words differ); one row per cluster, largest first: Id, Count, Cluster Sample, Signature (<*> where values vary), Sample Count (patterns merged), Potential Issue (words such as REJECT, error, timeout), Start Time, End Time, Trend, Shape (clusters with the same trend share it)",
    options: &[SIMILARITY, FIELD],
    phrases: PHRASES,
    examples: &[(
        "* | cluster | fields Id, Count, Signature, 'Potential Issue'",
        "Id,Count,Signature,Potential Issue\n1,8,<*> <*> <*> <*> <*> <*> <*> <*> <*> <*> <*> OK,REJECT\n2,1,<*> <*> <*> NODATA,NODATA\n",
    )],
    build,
};

pub const DETAILS: CommandDef = CommandDef {
    name: "clusterdetails",
    syntax: "clusterdetails [collection=<name>] [similarity=<0..1>] [field=<field>] [id = <n> | id != <n> | id [not] in (<n>, ...)]",
    about: "the rows of the clusters chosen by id (all without it), each with its Cluster Id and Signature as cluster numbers and writes them",
    options: &[COLLECTION, SIMILARITY, FIELD],
    phrases: PHRASES,
    examples: &[(
        "* | clusterdetails id = 2 | fields 'Cluster Id', Signature",
        "Cluster Id,Signature\n2,<*> <*> <*> NODATA\n",
    )],
    build,
};

pub const SPLIT: CommandDef = CommandDef {
    name: "clustersplit",
    syntax: "clustersplit [collection=<name>] [similarity=<0..1>] [field=<field>] [id = <n> | id != <n> | id [not] in (<n>, ...)]",
    about: "one row per cluster and combination of the words in its variable places: Id, Count, Sample Message, Variables (`13: ACCEPT`, the place and its word)",
    options: &[COLLECTION, SIMILARITY, FIELD],
    phrases: PHRASES,
    examples: &[(
        "* | clustersplit id = 1 | fields Id, Count, Variables",
        "Id,Count,Variables\n1,6,11: ACCEPT\n1,1,11: REJECT\n1,1,11: reject\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct Cluster {
    pub kind: &'static str,
    pub options: Vec<OptionArg>,
    pub fields: Vec<Name>,
    pub ids: IdFilter,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let kind = match p.word.as_rule() {
        Rule::kw_clusterdetails => "clusterdetails",
        Rule::kw_clustersplit => "clustersplit",
        _ => "cluster",
    };
    let mut out = Cluster { kind, options: Vec::new(), fields: Vec::new(), ids: IdFilter::default() };
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::cluster_ids => {
                let mut keep = true;
                for piece in part.clone().into_inner() {
                    match piece.as_rule() {
                        Rule::id_cmp => keep = piece.as_str() == "=",
                        Rule::kw_not => keep = false,
                        Rule::integer => out.ids.ids.push(piece.as_str().parse().map_err(|_| {
                            Diagnostic::query(format!("id {} is not a whole number flowq holds", piece.as_str()))
                                .at(crate::syntax::parts::span(&piece))
                        })?),
                        _ => {}
                    }
                }
                out.ids.keep = keep;
            }
            Rule::field_name => out.fields.push(name(part)?),
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

impl Args for Cluster {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        if self.kind == "cluster" && !self.ids.ids.is_empty() {
            return Err(Diagnostic::query("cluster takes no id; clusterdetails and clustersplit do")
                .at(s.name_span)
                .help("* | clusterdetails id = 1"));
        }
        let similarity = similarity(&self.options)?;
        if let Some(o) = options::find(&self.options, &COLLECTION) {
            p.warnings.push(
                Diagnostic::warning(format!(
                    "collection '{}' is a cluster collection saved in Logging Analytics; flowq clusters this query's rows",
                    o.value
                ))
                .at(o.value_span),
            );
        }
        let text = text_columns(p, &self.fields, &self.options, self.kind, s)?;
        let time = time_column(&p.scope);
        let output = match self.kind {
            "clusterdetails" => ClusterOutput::Details(self.ids.clone()),
            "clustersplit" => ClusterOutput::Split(self.ids.clone()),
            _ => ClusterOutput::Summary,
        };
        p.ops.push(Op::Cluster(ClusterOp { text, similarity, time, output: output.clone() }));
        let field = |n: &str, t| Field::new(n, t);
        match output {
            ClusterOutput::Summary => {
                let fields = vec![
                    field("Id", DataType::Int),
                    field("Count", DataType::Int),
                    field("Cluster Sample", DataType::Str),
                    field("Signature", DataType::Str),
                    field("Sample Count", DataType::Int),
                    field("Potential Issue", DataType::Str),
                    field("Start Time", DataType::Time),
                    field("End Time", DataType::Time),
                    field("Trend", DataType::Str),
                    field("Shape", DataType::Int),
                ];
                p.scope = p.scope.derived(fields, FrameKind::Rows);
            }
            ClusterOutput::Details(_) => {
                p.push_field(field("Cluster Id", DataType::Int)).map_err(|e| e.at(s.span))?;
                p.push_field(field("Signature", DataType::Str)).map_err(|e| e.at(s.span))?;
            }
            ClusterOutput::Split(_) => {
                let fields = vec![
                    field("Id", DataType::Int),
                    field("Count", DataType::Int),
                    field("Sample Message", DataType::Str),
                    field("Variables", DataType::Str),
                ];
                p.scope = p.scope.derived(fields, FrameKind::Rows);
            }
            ClusterOutput::Compare(_) | ClusterOutput::Tag => {
                return Err(Diagnostic::query("that cluster form is planned elsewhere (a bug in flowq)").at(s.name_span))
            }
        }
        Ok(())
    }
}

/// `link …, cluster()`: add each record's `Cluster Sample` and `Potential Issue`
/// (clusters as `cluster` makes them by default) and return their columns.
pub(super) fn tag_records(p: &mut Planner<'_>, at: crate::diag::Span) -> R<Vec<usize>> {
    if !matches!(p.scope.kind, FrameKind::Records) {
        return Err(Diagnostic::query(
            "cluster() in link reads the text of records; use it in a link over records, before stats or another link",
        )
        .at(at));
    }
    let text = schema::FLOW_FIELDS[schema::Col::OriginalLogContent as usize].name;
    let text = p.scope.resolve(text).ok_or_else(|| Diagnostic::query(format!("no field '{text}' here")).at(at))?;
    let time = time_column(&p.scope);
    p.ops.push(Op::Cluster(ClusterOp {
        text: vec![text],
        similarity: DEFAULT_SIMILARITY,
        time,
        output: ClusterOutput::Tag,
    }));
    let first = p.scope.fields.len();
    p.push_field(Field::new("Cluster Sample", DataType::Str)).map_err(|e| e.at(at))?;
    p.push_field(Field::new("Potential Issue", DataType::Str)).map_err(|e| e.at(at))?;
    Ok(vec![first, first + 1])
}

/// Oracle's `similarity=`, 0.67 unless given.
fn similarity(written: &[OptionArg]) -> R<f64> {
    options::find(written, &SIMILARITY).map_or(Ok(DEFAULT_SIMILARITY), options::fraction)
}

/// The columns whose text is clustered: `field=` and the fields named, else the
/// records' text.
fn text_columns(p: &mut Planner<'_>, fields: &[Name], written: &[OptionArg], kind: &str, s: &Stage) -> R<Vec<usize>> {
    let mut names = fields.to_vec();
    if let Some(o) = options::find(written, &FIELD) {
        names.insert(0, options::field_name(o));
    }
    if !names.is_empty() {
        return p.fields_of(&names);
    }
    if !matches!(p.scope.kind, FrameKind::Records) {
        return Err(Diagnostic::query(format!("{kind} clusters the text of records; name the field here"))
            .at(s.name_span)
            .help("e.g. field = Signature, or cluster before stats and link"));
    }
    let text = schema::FLOW_FIELDS[schema::Col::OriginalLogContent as usize].name;
    Ok(vec![p
        .scope
        .resolve(text)
        .ok_or_else(|| Diagnostic::query(format!("no field '{text}' here")).at(s.name_span))?])
}

/// Not on Oracle's page, but in its dashboards (`timeshift = -12hour size = 12hour`), as
/// compare's `size`.
const SIZE: OptionDef =
    OptionDef::new("size", OptionKind::Span, "with timeshift: the baseline's length (default: the current range's)");
const STARTTIME: OptionDef = OptionDef::new("starttime", OptionKind::Text, "the baseline's start (with endtime)");
const ENDTIME: OptionDef = OptionDef::new("endtime", OptionKind::Text, "the baseline's end (with starttime)");
const INCLUDE_TRENDS: OptionDef =
    OptionDef::new("includetrends", OptionKind::Bool, "add Start Time, End Time, Trend and Shape (default true)");
const SPAN: OptionDef =
    OptionDef::new("span", OptionKind::Span, "the bucket of the Trend sparklines (default: 20 buckets)");

pub const COMPARE: CommandDef = CommandDef {
    name: "clustercompare",
    syntax: "clustercompare [timeshift = <offset>|auto [size = <span>] | starttime = <time> endtime = <time>] [includetrends = true|false] [span = <span>] [similarity=<0..1>] [field=<field>] [ [<baseline query>] ]",
    about: "the clusters (as cluster makes them) found only in the current rows or only in a baseline's: the baseline is the query before clustercompare over the range timeshift moves to (auto: the range just before, as long), or starttime to endtime, or the records there that match the bracketed condition; Collection says which side (current or baseline)",
    options: &[SIZE, STARTTIME, ENDTIME, INCLUDE_TRENDS, SPAN, SIMILARITY, FIELD],
    phrases: &[(Rule::baseline_query, "[ <baseline condition> ]")],
    examples: &[(
        "* | clustercompare starttime = '2020-09-13' endtime = '2020-09-14' [ Action = reject ] | fields Collection, Id, Count, Signature",
        "Collection,Id,Count,Signature\ncurrent,2,1,<*> <*> <*> NODATA\n",
    )],
    build: build_compare,
};

#[derive(Clone, Debug)]
pub struct ClusterCompare {
    pub options: Vec<OptionArg>,
    pub shift: Option<(String, crate::diag::Span)>,
    /// The bracketed baseline query: None for none, Some(None) for `[*]`.
    pub baseline: Option<Option<crate::syntax::Expr>>,
}

fn build_compare(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut out = ClusterCompare { options: Vec::new(), shift: None, baseline: None };
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::compare_shift => {
                let offset = part.clone().into_inner().find(|x| x.as_rule() == Rule::shift_offset);
                let offset = offset.ok_or_else(|| internal(&part))?;
                out.shift = Some((offset.as_str().to_string(), crate::syntax::parts::span(&offset)));
            }
            Rule::baseline_query => {
                let inner = part.clone().into_inner().next().ok_or_else(|| internal(&part))?;
                out.baseline = Some(search_condition(inner)?);
            }
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

impl Args for ClusterCompare {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let similarity = similarity(&self.options)?;
        let text = text_columns(p, &[], &self.options, "clustercompare", s)?;
        let range = self.range(s)?;
        let filter = match &self.baseline {
            None => None,
            Some(_)
                if !matches!(p.scope.kind, FrameKind::Records)
                    || text.iter().any(|&c| c >= schema::FLOW_FIELDS.len()) =>
            {
                return Err(Diagnostic::query(
                    "a [baseline query] picks records: clustercompare must read the records' own fields",
                )
                .at(s.name_span))
            }
            Some(Some(e)) => Some(p.search_compiler().condition(e)?),
            Some(None) => Some(crate::plan::CExpr::Lit(crate::store::Value::Bool(true))),
        };
        let trends = options::find(&self.options, &INCLUDE_TRENDS).map(options::boolean).transpose()?.unwrap_or(true);
        let span = options::find(&self.options, &SPAN).map(options::span).transpose()?;
        let prefix = p.ops.clone();
        let baseline = ClusterBaseline { range, filter, prefix, trends, span };
        let time = time_column(&p.scope);
        let output = ClusterOutput::Compare(Box::new(baseline));
        p.ops.push(Op::Cluster(ClusterOp { text, similarity, time, output }));
        let mut fields = vec![
            Field::new("Collection", DataType::Str),
            Field::new("Id", DataType::Int),
            Field::new("Count", DataType::Int),
            Field::new("Cluster Sample", DataType::Str),
            Field::new("Signature", DataType::Str),
            Field::new("Sample Count", DataType::Int),
            Field::new("Potential Issue", DataType::Str),
        ];
        if trends {
            fields.push(Field::new("Start Time", DataType::Time));
            fields.push(Field::new("End Time", DataType::Time));
            fields.push(Field::new("Trend", DataType::Str));
            fields.push(Field::new("Shape", DataType::Int));
        }
        p.scope = p.scope.derived(fields, FrameKind::Rows);
        Ok(())
    }
}

impl ClusterCompare {
    fn range(&self, s: &Stage) -> R<CompareRanges> {
        let (from, to) = (options::find(&self.options, &STARTTIME), options::find(&self.options, &ENDTIME));
        let size = options::find(&self.options, &SIZE);
        if let (Some(o), None) = (size, &self.shift) {
            return Err(
                Diagnostic::query("size is the length of the timeshift baseline: give timeshift too").at(o.name.span)
            );
        }
        match (from, to, &self.shift) {
            (Some(a), Some(b), None) => {
                let at = |o: &OptionArg| {
                    crate::store::time::parse(&o.value).ok_or_else(|| {
                        Diagnostic::query(format!("'{}' is not a time", o.value))
                            .at(o.value_span)
                            .help("write '2020-09-13T00:00:00Z' or '2020-09-13 08:00'")
                    })
                };
                let (a_ms, b_ms) = (at(a)?, at(b)?);
                if a_ms >= b_ms {
                    return Err(
                        Diagnostic::query(format!("the baseline {} to {} is empty", a.value, b.value)).at(a.value_span)
                    );
                }
                Ok(CompareRanges::Fixed(vec![(a_ms, b_ms)]))
            }
            (None, None, shift) => {
                let offset = match shift {
                    Some((t, at)) if !t.eq_ignore_ascii_case("auto") => {
                        Some(super::compare::parse_offset(t).ok_or_else(|| {
                            Diagnostic::query(format!("timeshift = {t}: not an offset"))
                                .at(*at)
                                .help("write -7d, -1hour or auto")
                        })?)
                    }
                    _ => None,
                };
                let size = size.map(options::span).transpose()?;
                Ok(CompareRanges::Shift { offset, size, count: 1 })
            }
            _ => Err(Diagnostic::query("clustercompare takes timeshift, or starttime with endtime").at(s.name_span)),
        }
    }
}

crate::commands::examples_test!(CLUSTER, DETAILS, SPLIT, COMPARE);
