//! `nlp [category=] [wordcount=] [table=] [similarity=] keywords(<field>) | cluster(<field>)
//! [as <name>]`: keywords of a text field, or rows clustered by them (Oracle's nlp; the
//! method is in `exec/nlp.rs`).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::plan::{NlpOp, Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, option, Parts, Rule};
use crate::syntax::{Name, OptionArg, Stage};

const CATEGORY: OptionDef = OptionDef::new(
    "category",
    OptionKind::Text,
    "Oracle's part of speech (verb, noun): accepted; flowq has no tagger, so every keyword counts",
);
const WORDCOUNT: OptionDef = OptionDef::new(
    "wordcount",
    OptionKind::Count,
    "keywords taken from each text (default 3 for cluster, 10 for keywords)",
);
const TABLE: OptionDef =
    OptionDef::new("table", OptionKind::Table, "a lookup table whose first column lists the only words that count");
const SIMILARITY: OptionDef = OptionDef::new(
    "similarity",
    OptionKind::Number,
    "cluster: the share of keywords two rows must share (default 0.75)",
);

pub const DEF: CommandDef = CommandDef {
    name: "nlp",
    syntax: "nlp [category=<word>] [wordcount=<n>] [table=<dictionary>] [similarity=<0..1>] keywords(<field>) | cluster(<field>) [as <name>]",
    about: "keywords(field): the text's keywords (words of three letters or more, no digits, no stop words, first appearance first), joined by ', ', as Keywords (or the as name); cluster(field): a number per row, rows sharing enough of their first keywords alike (Semantic Cluster, or the as name); table= keeps only a dictionary's words",
    options: &[CATEGORY, WORDCOUNT, TABLE, SIMILARITY],
    phrases: &[(Rule::nlp_call, "keywords(<field>) or cluster(<field>)"), (Rule::nlp_function, "keywords or cluster")],
    examples: &[(
        "* | head 2 | eval Text = if(Action = ACCEPT, 'Connection accepted by the firewall', 'Connection refused') | nlp keywords(Text) as Words | fields Words",
        "Words\n\"connection, accepted, firewall\"\n\"connection, accepted, firewall\"\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct Nlp {
    pub options: Vec<OptionArg>,
    pub cluster: bool,
    pub field: Name,
    pub alias: Option<Name>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let (mut options, mut call, mut alias) = (Vec::new(), None, None);
    for part in p.rest {
        match part.as_rule() {
            Rule::option => options.push(option(part)?),
            Rule::nlp_call => {
                let mut it = part.clone().into_inner();
                let f = it.next().ok_or_else(|| internal(&part))?;
                let field = it.next().ok_or_else(|| internal(&part))?;
                call = Some((f.as_str().eq_ignore_ascii_case("cluster"), name(field)?));
            }
            Rule::field_name => alias = Some(name(part)?),
            Rule::kw_as => {}
            _ => return Err(internal(&part)),
        }
    }
    let (cluster, field) = call.ok_or_else(|| internal(&p.cmd))?;
    Ok(Box::new(Nlp { options, cluster, field, alias }))
}

impl Args for Nlp {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let col = p.field(&self.field)?;
        let words = match options::find(&self.options, &WORDCOUNT) {
            Some(o) => options::count(o, 1)?,
            None if self.cluster => 3,
            None => 10,
        };
        let similarity = options::find(&self.options, &SIMILARITY).map_or(Ok(0.75), options::fraction)?;
        let vocabulary = match options::find(&self.options, &TABLE) {
            None => None,
            Some(_) => {
                let t = super::lookup::table(p, s, &self.options)?;
                Some(t.rows.iter().filter_map(|r| r.first()).map(|w| w.to_lowercase()).collect())
            }
        };
        let default = if self.cluster { "Semantic Cluster" } else { "Keywords" };
        let name = self.alias.as_ref().map_or(default.to_string(), |a| a.text.clone());
        let dtype = if self.cluster { DataType::Int } else { DataType::Str };
        let target = p.scope.resolve(&name);
        match target {
            Some(i) => p.scope.fields[i].dtype = dtype,
            None => p.scope.fields.push(Field::new(name.clone(), dtype)),
        }
        p.ops.push(Op::Nlp(NlpOp { col, cluster: self.cluster, words, similarity, vocabulary, name, target }));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
