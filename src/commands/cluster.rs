//! `cluster`, `clusterdetails`, `clustersplit`: message signatures of a text field
//! (LANGUAGE.md section 10; the method in `exec/cluster/signatures.rs`).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{time_column, ClusterOp, ClusterOutput, FrameKind, IdFilter, Op, Planner};
use crate::schema;
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, option, Parts, Rule};
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
                        Rule::integer => out.ids.ids.push(piece.as_str().parse().map_err(|_| internal(&piece))?),
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
        let similarity = match options::find(&self.options, &SIMILARITY) {
            None => DEFAULT_SIMILARITY,
            Some(o) => match o.value.parse::<f64>() {
                Ok(v) if (0.0..=1.0).contains(&v) => v,
                _ => {
                    return Err(Diagnostic::query(format!("similarity = {}: not a number from 0 to 1", o.value))
                        .at(o.value_span)
                        .help("similarity = 0.67 lets 3 words of 10 differ"))
                }
            },
        };
        if let Some(o) = options::find(&self.options, &COLLECTION) {
            p.warnings.push(
                Diagnostic::warning(format!(
                    "collection '{}' is a cluster collection saved in Logging Analytics; flowq clusters this query's rows",
                    o.value
                ))
                .at(o.value_span),
            );
        }
        let mut names = self.fields.clone();
        if let Some(o) = options::find(&self.options, &FIELD) {
            names.insert(0, options::field_name(o));
        }
        let text = if names.is_empty() {
            if !matches!(p.scope.kind, FrameKind::Records) {
                return Err(Diagnostic::query(format!(
                    "{} clusters the text of records; name the field here",
                    self.kind
                ))
                .at(s.name_span)
                .help("e.g. field = Signature, or cluster before stats and link"));
            }
            let text = schema::FLOW_FIELDS[schema::Col::OriginalLogContent as usize].name;
            vec![p
                .scope
                .resolve(text)
                .ok_or_else(|| Diagnostic::query(format!("no field '{text}' here")).at(s.name_span))?]
        } else {
            p.fields_of(&names)?
        };
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
        }
        Ok(())
    }
}

crate::commands::examples_test!(CLUSTER, DETAILS, SPLIT);
