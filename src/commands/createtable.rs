//! `createtable name=<name> select <expr> [as <name>], ...`: Oracle's dashboards make a
//! named table of the rows with it (its command reference has no page for it). In a
//! terminal there is one result: createtable as the query's last command gives that
//! table; anywhere else the rows go on unchanged and a warning says which table was not
//! shown (LANGUAGE.md).

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::{Diagnostic, Span};
use crate::plan::{Assign, CExpr, Op, Planner};
use crate::store::{DataType, Field};
use crate::syntax::parts::{expr, internal, name, option, Parts, Rule};
use crate::syntax::{Expr, ExprKind, Name, OptionArg, Stage};

const NAME: OptionDef =
    OptionDef::new("name", OptionKind::Text, "the table's name (Oracle's console shows it as a tab)");

pub const DEF: CommandDef = CommandDef {
    name: "createtable",
    syntax: "createtable name=<name> select <expr> [as <name>], ...",
    about: "as the last command: the table of the selected columns (fields or expressions such as literal(x)) of each row; elsewhere the rows go on unchanged, with a warning that the named table is not shown",
    options: &[NAME],
    phrases: &[(Rule::table_column, "a field or expression, [as <name>]")],
    examples: &[(
        "* | stats count by Action | createtable name = Actions select Action as Verdict, literal(seen) as Note, Count",
        "Verdict,Note,Count\nACCEPT,seen,6\nREJECT,seen,1\nreject,seen,1\n,seen,1\n",
    )],
    build,
};

#[derive(Clone, Debug)]
pub struct CreateTable {
    pub options: Vec<OptionArg>,
    pub columns: Vec<(Expr, Option<Name>)>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    Ok(Box::new(parse(p)?))
}

/// A `createtable_cmd` (also inside an `addfields` bracket).
pub fn parse(p: Parts<'_>) -> R<CreateTable> {
    let mut out = CreateTable { options: Vec::new(), columns: Vec::new() };
    for part in p.rest {
        match part.as_rule() {
            Rule::option => out.options.push(option(part)?),
            Rule::kw_select => {}
            Rule::table_column => {
                let mut it = part.clone().into_inner().filter(|x| x.as_rule() != Rule::kw_as);
                let value = expr(it.next().ok_or_else(|| internal(&part))?)?;
                let alias = it.next().map(name).transpose()?;
                out.columns.push((value, alias));
            }
            _ => return Err(internal(&part)),
        }
    }
    Ok(out)
}

impl Args for CreateTable {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, s: &Stage) -> R<()> {
        self.name(s.name_span)?;
        if !p.last_stage {
            return self.not_shown(p, s.name_span, s.span);
        }
        let compiled = self.columns(p)?;
        // Each column is computed beside the rows' own, then those are all that is left.
        let base = p.scope.fields.len();
        let mut layout = Vec::new();
        let mut fields = Vec::new();
        for (i, (c, t, shown)) in compiled.into_iter().enumerate() {
            let scratch = format!("\u{1}createtable {i}");
            p.ops.push(Op::Eval(vec![Assign { target: None, name: scratch.clone(), expr: c }]));
            p.scope.fields.push(Field::new(scratch, t));
            layout.push((base + i, shown.clone()));
            fields.push(Field::new(shown, t));
        }
        p.ops.push(Op::Project(layout));
        p.scope.fields = fields;
        p.scope.hidden.clear();
        Ok(())
    }
}

impl CreateTable {
    /// The table's name, from `name=`.
    fn name(&self, at: Span) -> R<String> {
        options::find(&self.options, &NAME)
            .map(|o| o.value.clone())
            .ok_or_else(|| Diagnostic::query("createtable needs name=<name>").at(at))
    }

    /// Its columns compiled over the frame here: (expression, type, column name).
    fn columns(&self, p: &mut Planner<'_>) -> R<Vec<(CExpr, DataType, String)>> {
        let mut compiled: Vec<(CExpr, DataType, String)> = Vec::new();
        for (value, alias) in &self.columns {
            let (c, t) = p.compiler().compile(value)?;
            let shown = match (&value.kind, alias) {
                (_, Some(a)) => a.text.clone(),
                (ExprKind::Name(n), None) => {
                    p.scope.resolve(&n.text).map_or(n.text.clone(), |i| p.scope.fields[i].name.clone())
                }
                (_, None) => p.text.get(value.span.start..value.span.end).unwrap_or("column").to_string(),
            };
            if compiled.iter().any(|(_, _, n)| n.eq_ignore_ascii_case(&shown)) {
                return Err(Diagnostic::query(format!("createtable names '{shown}' twice")).at(value.span));
            }
            compiled.push((c, t, shown));
        }
        Ok(compiled)
    }

    /// Where its table cannot be the result: the columns are checked all the same, the
    /// rows go on unchanged, and a warning at `span` names the table not shown.
    pub fn not_shown(&self, p: &mut Planner<'_>, name_span: Span, span: Span) -> R<()> {
        let table = self.name(name_span)?;
        self.columns(p)?;
        p.warnings.push(
            Diagnostic::warning(format!(
                "createtable '{table}' is not shown: Oracle's console shows it as a table of its own; here the rows go on unchanged"
            ))
            .at(span)
            .help("end a query at createtable to get that table"),
        );
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
