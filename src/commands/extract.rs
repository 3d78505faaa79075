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
        // Oracle's group names may hold spaces (`(?P<Action Type>...)`), which the regex
        // engine does not take: such groups get stand-in names, and the columns theirs.
        let (pattern, spelled) = rename_groups(&self.pattern);
        let re = super::regex::compile(&pattern, self.pattern_span)?;
        let names: Vec<String> = re
            .capture_names()
            .flatten()
            .map(|n| spelled.iter().find(|(s, _)| s == n).map_or(n.to_string(), |(_, o)| o.clone()))
            .collect();
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

/// `pattern` with every group name the regex engine would refuse (spaces and other
/// characters beyond letters, digits and `_`) replaced by a stand-in, and the stand-ins
/// with the names as written. A `(` after a backslash opens no group.
fn rename_groups(pattern: &str) -> (String, Vec<(String, String)>) {
    let mut out = String::with_capacity(pattern.len());
    let mut renamed = Vec::new();
    let mut rest = pattern;
    while let Some(at) = rest.find("(?") {
        let escaped = rest[..at].chars().rev().take_while(|&c| c == '\\').count() % 2 == 1;
        let after = &rest[at + 2..];
        let open = after.strip_prefix("P<").or_else(|| after.strip_prefix('<').filter(|a| !a.starts_with(['=', '!'])));
        let name = open.and_then(|o| o.find('>').map(|end| &o[..end]));
        match name {
            Some(name) if !escaped && !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                let stand_in = format!("flowq_group_{}", renamed.len());
                out.push_str(&rest[..at]);
                out.push_str(&format!("(?P<{stand_in}>"));
                renamed.push((stand_in, name.to_string()));
                rest = &open.unwrap_or_default()[name.len() + 1..];
            }
            _ => {
                out.push_str(&rest[..at + 2]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, renamed)
}

#[cfg(test)]
mod tests {
    use super::rename_groups;

    #[test]
    fn group_names_with_spaces_get_stand_ins() {
        let (p, names) = rename_groups(r"(?P<Action Type>\w+) (?P<Port>\d+) (?<Dst Host>\S+) \(?P<x y>");
        assert_eq!(p, r"(?P<flowq_group_0>\w+) (?P<Port>\d+) (?P<flowq_group_1>\S+) \(?P<x y>");
        assert_eq!(
            names,
            [("flowq_group_0".into(), "Action Type".into()), ("flowq_group_1".into(), "Dst Host".into())]
        );
        assert_eq!(rename_groups("(?i)a(?:b)(?=c)").0, "(?i)a(?:b)(?=c)");
    }
}

crate::commands::examples_test!(DEF);
