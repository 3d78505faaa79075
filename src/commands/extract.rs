//! `extract [field=<field>] '<re with (?P<Name>...) groups>'`: named groups become
//! text columns.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::{Diagnostic, Span};
use crate::plan::{Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{internal, option, quoted, span, Parts, Rule};
use crate::syntax::{OptionArg, Stage};

const FIELD: OptionDef = OptionDef::new("field", OptionKind::Field, "the field read (default Original Log Content)");

pub const DEF: CommandDef = CommandDef {
    name: "extract",
    syntax: "extract [field=<field>] '<re with (?P<Name>...) groups>'",
    about: "each named group becomes a text column (no match gives nulls); the field defaults to Original Log Content",
    options: &[FIELD],
    phrases: &[],
    examples: &[(
        "'Destination Port' = 22 | extract '^\\d+ (?P<Src>\\S+) (?P<Dst>\\S+)' | fields Src, Dst",
        "Src,Dst\n198.51.100.9,10.0.0.6\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct Extract {
    pub options: Vec<OptionArg>,
    pub pattern: String,
    pub pattern_span: Span,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut options = Vec::new();
    let mut pattern = None;
    for part in p.rest {
        match part.as_rule() {
            Rule::option => options.push(option(part)?),
            Rule::regex_text => pattern = Some((quoted(&part)?, span(&part))),
            _ => return Err(internal(&part)),
        }
    }
    let (pattern, pattern_span) = pattern.ok_or_else(|| internal(&p.cmd))?;
    Ok(Box::new(Extract { options, pattern, pattern_span }))
}

impl Args for Extract {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let col = match options::find(&self.options, &FIELD) {
            Some(o) => p.field(&options::field_name(o))?,
            None => match p.scope.resolve(crate::schema::ORIGINAL_LOG_CONTENT) {
                Some(i) => i,
                None => {
                    return Err(Diagnostic::query("extract needs field=<field> here").at(self.pattern_span).help(
                        "without field=, extract reads the records' Original Log Content, which these rows lack",
                    ))
                }
            },
        };
        let re = super::regex::compile(&self.pattern, self.pattern_span)?;
        let names: Vec<String> = re.capture_names().flatten().map(str::to_string).collect();
        if names.is_empty() {
            return Err(Diagnostic::query("the pattern has no named group")
                .at(self.pattern_span)
                .help("name each part to keep: (?P<Port>\\d+)"));
        }
        let mut targets = Vec::new();
        for n in names {
            let target = match p.scope.resolve(&n) {
                Some(i) => {
                    p.scope.fields[i].dtype = DataType::Str;
                    Some(i)
                }
                None => {
                    p.scope.fields.push(Field::new(n.clone(), DataType::Str));
                    None
                }
            };
            targets.push((n, target));
        }
        p.ops.push(Op::Extract { col, re, targets });
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
