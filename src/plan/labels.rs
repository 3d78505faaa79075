//! `Label` from the user's label rules: Logging Analytics labels a log at ingestion by
//! rules of the form "where this condition holds, add this label"; flowq reads such rules
//! from the lookup table `labels` (columns `Label` and `Condition`, each condition in the
//! search clause's language) and gives each record the label of the first rule that
//! holds for it (LANGUAGE.md, Label rules).

use super::expr::Compiler;
use super::{Assign, CExpr, Op, Planner, R};
use crate::diag::Diagnostic;
use crate::lookup::LookupTable;
use crate::store::{DataType, Field, Value};

/// The lookup table that holds the label rules.
pub const LABELS_TABLE: &str = "labels";

/// Whether `query` may read `Label`: the rules cost a test per record, so they run only
/// for a query that names the field (a false match only costs that time).
pub fn named_in(query: &str) -> bool {
    query.to_ascii_lowercase().contains("label")
}

/// Put `Label` in the records' scope, computed by the rules of `table`.
pub fn plan(p: &mut Planner<'_>, table: &LookupTable) -> R<()> {
    let column = |name: &str| {
        table.column_index(name).ok_or_else(|| {
            Diagnostic::query(format!("the label rules ({}) have no column {name}", table.source))
                .help("label rules are a CSV with the columns Label and Condition: SSH,'Destination Port' = 22")
        })
    };
    let (label, condition) = (column("Label")?, column("Condition")?);
    let mut branches = Vec::new();
    for (row, cells) in table.rows.iter().enumerate() {
        let line = table.lines.get(row).copied().unwrap_or(0);
        let at = format!("label rule on line {line} of {}", table.source);
        let text = cells.get(condition).map_or("", |c| c);
        let rule = crate::syntax::parse(text).map_err(|e| in_rule(&at, text, e))?;
        let (Some(e), true) = (rule.search.expr, rule.stages.is_empty()) else {
            return Err(Diagnostic::query(format!("{at}: its condition must be one condition, without |"))
                .note(format!("the condition: {text}")));
        };
        let mut warnings = Vec::new();
        let test = Compiler { scope: &p.scope, warnings: &mut warnings, search: true }
            .condition(&e)
            .map_err(|d| in_rule(&at, text, d))?;
        p.warnings.extend(warnings.into_iter().map(|w| in_rule(&at, text, w)));
        let name = cells.get(label).map_or("", |c| c).to_string();
        branches.push((test, CExpr::Lit(Value::Str(name.into()))));
    }
    if branches.is_empty() {
        return Ok(());
    }
    p.ops.push(Op::Eval(vec![Assign {
        target: None,
        name: "Label".into(),
        expr: CExpr::If { branches, default: None },
    }]));
    p.push_field(Field::new("Label", DataType::Str))?;
    p.implicit.push("Label".into());
    Ok(())
}

/// A diagnostic about a rule's condition, which is not in the query's text: where the
/// rule is, the condition, and no span into the query.
fn in_rule(at: &str, text: &str, mut d: Diagnostic) -> Diagnostic {
    d.message = format!("{at}: {}", d.message);
    d.span = None;
    d.label = None;
    d.notes.push(format!("the condition: {text}"));
    d
}
