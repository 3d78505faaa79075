//! `jsonextract [field=<field>] <new field> = '<json path>', ...`: values at JSON paths
//! of a field holding JSON (Oracle's jsonextract page). For flow logs the JSON is the
//! record's own text (OCI Logging and AWS JSON lines), so that is the default field.
//! `xmlextract field=<field> <new field> = '<xpath>', ...` is its twin for XML (Oracle's
//! xmlextract page): the same targets, XPath instead.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::funcs::json_path::JsonPath;
use crate::funcs::xml_path::XmlPath;
use crate::plan::{DocPath, Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, name, next, option, quoted, span, Parts, Rule};
use crate::syntax::{Name, OptionArg, Span, Stage};

const FIELD: OptionDef =
    OptionDef::new("field", OptionKind::Field, "the field holding JSON (default Original Log Content)");

pub const DEF: CommandDef = CommandDef {
    name: "jsonextract",
    syntax: "jsonextract [field=<field>] <new field> = '<json path>', ...",
    about: "each new field is the value at its JSON path ($.a.b[0], $['a']['b']) of the field's JSON, as text (numbers, objects and arrays as their JSON; toNumber() to compute), null where the text is not JSON or the path finds nothing; the field defaults to Original Log Content (the JSON of OCI Logging and AWS JSON records)",
    options: &[FIELD],
    phrases: &[(Rule::json_target, "<new field> = '<json path>'"), (Rule::json_item, "field= or <new field> = '<json path>'")],
    examples: &[(
        "* | head 1 | eval J = concat('{\"port\": ', 'Destination Port', ', \"tags\": [\"a\", \"b\"]}') | jsonextract field = J Port = '$.port', Tag = '$.tags[1]' | fields Port, Tag",
        "Port,Tag\n53,b\n",
    )],
    build,
};

const XML_FIELD: OptionDef =
    OptionDef::new("field", OptionKind::Field, "the field holding XML (default Original Log Content)");

pub const XML: CommandDef = CommandDef {
    name: "xmlextract",
    syntax: "xmlextract [field=<field>] <new field> = '<xpath>', ...",
    about: "each new field is the text its XPath finds in the field's XML (/a/b, //title, (//title)[1], [n], [@id='x'], @attr, text(); several matches joined by \", \"), null where the text is not XML or the path finds nothing; the field defaults to Original Log Content",
    options: &[XML_FIELD],
    phrases: &[],
    examples: &[(
        "* | head 1 | eval X = concat('<flow><port>', 'Destination Port', '</port><tag n=\"1\">a</tag><tag n=\"2\">b</tag></flow>') | xmlextract field = X Port = '/flow/port', Tag = \"//tag[@n='2']\" | fields Port, Tag",
        "Port,Tag\n53,b\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct JsonExtract {
    /// `xmlextract`: the paths are XPath.
    pub xml: bool,
    /// `field=` (others are targets, moved out at build).
    pub options: Vec<OptionArg>,
    /// (new field, path text, where the path is written).
    pub targets: Vec<(Name, String, Span)>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let xml = p.word.as_rule() == Rule::kw_xmlextract;
    let mut out = JsonExtract { xml, options: Vec::new(), targets: Vec::new() };
    for part in p.rest {
        match part.as_rule() {
            // `name = 'path'` with a bare name reads as an option: it is a target unless
            // it is `field=`.
            Rule::option => {
                let o = option(part)?;
                if FIELD.is(&o.name.text) {
                    out.options.push(o);
                } else {
                    out.targets.push((o.name, o.value, o.value_span));
                }
            }
            Rule::json_target => {
                let mut it = part.clone().into_inner();
                let target = name(next(&mut it, &part)?)?;
                let path = next(&mut it, &part)?;
                out.targets.push((target, quoted(&path)?, span(&path)));
            }
            _ => return Err(internal(&part)),
        }
    }
    Ok(Box::new(out))
}

impl Args for JsonExtract {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        let col = match options::find(&self.options, &FIELD) {
            Some(o) => p.field(&options::field_name(o))?,
            None => p.scope.resolve(crate::schema::ORIGINAL_LOG_CONTENT).ok_or_else(|| {
                Diagnostic::query(format!("{} needs field=<field> here", self.command()))
                    .at(s.name_span)
                    .help("without field=, it reads the records' Original Log Content, which these rows lack")
            })?,
        };
        if self.targets.is_empty() {
            return Err(Diagnostic::query(format!("{} needs <new field> = '<path>'", self.command())).at(s.span));
        }
        let mut targets = Vec::new();
        for (target, path, at) in &self.targets {
            let parsed = if self.xml {
                DocPath::Xml(XmlPath::parse(path).map_err(|why| {
                    Diagnostic::query(format!("bad XPath: {why}")).at(*at).help("e.g. '(//title)[1]'")
                })?)
            } else {
                DocPath::Json(JsonPath::parse(path).map_err(|why| {
                    Diagnostic::query(format!("bad JSON path: {why}")).at(*at).help("e.g. '$.data.action'")
                })?)
            };
            let replaces = p.scope.resolve(&target.text);
            match replaces {
                Some(i) => p.scope.fields[i].dtype = DataType::Str,
                None => p.scope.fields.push(Field::new(target.text.clone(), DataType::Str)),
            }
            targets.push((target.text.clone(), parsed, replaces));
        }
        p.ops.push(Op::PathExtract { col, targets });
        Ok(())
    }
}

impl JsonExtract {
    fn command(&self) -> &'static str {
        if self.xml {
            "xmlextract"
        } else {
            "jsonextract"
        }
    }
}

crate::commands::examples_test!(DEF, XML);
