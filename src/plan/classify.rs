//! Planning `classify` (LANGUAGE.md section 10, docs/ANALYZE.md).

use super::{ClassifyOp, FrameKind, Op, Planner, R};
use crate::diag::Diagnostic;
use crate::store::{DataType, Field};
use crate::syntax::{Name, OptionArg, Stage};

impl Planner<'_> {
    pub(super) fn classify(
        &mut self,
        s: &Stage,
        options: &[OptionArg],
        fields: &[Name],
        correlate: &[Name],
        alias: Option<&Name>,
    ) -> R<()> {
        if !matches!(self.scope.kind, FrameKind::Groups(_)) {
            return Err(Diagnostic::query("classify works on the groups of link").at(s.name_span).help(
                "* | link 'Source IP', 'Destination IP' | stats sum('Content Size Out') as Bytes | classify Bytes",
            ));
        }
        let mut topcount = None;
        for o in options {
            match o.name.text.to_ascii_lowercase().as_str() {
                "topcount" => match o.value.parse::<usize>() {
                    Ok(n) if n >= 1 => topcount = Some(n),
                    _ => return Err(Diagnostic::query("topcount needs a whole number of 1 or more").at(o.value_span)),
                },
                other => {
                    return Err(Diagnostic::query(format!("classify has no option '{other}'"))
                        .at(o.name.span)
                        .note("classify takes topcount="))
                }
            }
        }
        let id_name = alias.map_or("Id".to_string(), |a| a.text.clone());
        let mut out = vec![
            Field::new(id_name.clone(), DataType::Int),
            Field::new("Group Count", DataType::Int),
            Field::new("Percentage", DataType::Float),
        ];
        let mut props = Vec::new();
        for f in fields {
            let c = self.field(f)?;
            let field = self.scope.fields[c].clone();
            let numeric = matches!(field.dtype, DataType::Int | DataType::Float | DataType::Duration | DataType::Time);
            if numeric {
                out.push(field.renamed(format!("{} Min", field.name)));
                out.push(field.renamed(format!("{} Max", field.name)));
            } else {
                out.push(Field::new(field.name.clone(), DataType::Str));
            }
            props.push((c, numeric));
        }
        out.push(Field::new("Anomaly", DataType::Bool));
        let mut cols = Vec::new();
        for f in correlate {
            let c = self.field(f)?;
            let name = self.scope.fields[c].name.clone();
            if out.iter().any(|o| o.name.eq_ignore_ascii_case(&name)) {
                return Err(
                    Diagnostic::query(format!("'{name}' is a property already; correlate other fields")).at(f.span)
                );
            }
            out.push(Field::new(name, DataType::Str));
            cols.push(c);
        }
        self.ops.push(Op::Classify(ClassifyOp { props, correlate: cols, topcount, id_name }));
        self.scope = self.scope.derived(out, FrameKind::Rows);
        Ok(())
    }
}
