//! `bucket [span=<n>] [maxbuckets=<n>] <field> [<label> = <low> - <high>, ...
//! [, others = <label>]]`: replace a number by its range.

use super::options::{self, OptionDef, OptionKind};
use super::{Args, CommandDef, R};
use crate::diag::Diagnostic;
use crate::plan::{BucketOp, Op, Planner};
use crate::store::DataType;
use crate::syntax::parts::{internal, name, next, option, quoted, span, Parts, Rule};
use crate::syntax::{BucketRange, Name, OptionArg, Stage};

const SPAN: OptionDef = OptionDef::new("span", OptionKind::Number, "the width of every bucket");
const MAX_BUCKETS: OptionDef = OptionDef::new("maxbuckets", OptionKind::Count, "about how many buckets (default 10)");

pub const DEF: CommandDef = CommandDef {
    name: "bucket",
    syntax: "bucket [span=<n>] [maxbuckets=<n>] <field> [<label> = <low> - <high>, ... [, others = <label>]]",
    about: "replace a number by its range: named ranges (ends inclusive, first match wins), or equal round-number widths (low inclusive, high exclusive; about 10)",
    options: &[SPAN, MAX_BUCKETS],
    phrases: &[(Rule::bucket_range, "a range (label = low - high)"), (Rule::bucket_item, "a range (label = low - high)"), (Rule::bucket_others, "others = label"), (Rule::bucket_label, "a word or quoted text")],
    examples: &[
        ("* | bucket 'Content Size Out' | stats count by 'Content Size Out'", "Content Size Out,Count\n0 - 10000,7\n90000 - 100000,1\n,1\n"),
        ("* | bucket Packets few = 0 - 5, others = many | stats count by Packets", "Packets,Count\nfew,5\nmany,3\n,1\n"),
    ],
    build,
};

#[derive(Clone, Debug)]
pub struct Bucket {
    pub options: Vec<OptionArg>,
    pub field: Name,
    pub ranges: Vec<BucketRange>,
    pub others: Option<String>,
}

fn build(p: Parts<'_>) -> R<Box<dyn Args>> {
    let mut options = Vec::new();
    let mut field = None;
    let mut ranges = Vec::new();
    let mut others = None;
    for part in p.rest {
        match part.as_rule() {
            Rule::option => options.push(option(part)?),
            Rule::field_name => field = Some(name(part)?),
            Rule::bucket_range => {
                let sp = span(&part);
                let mut r = part.clone().into_inner();
                let label = quoted(&next(&mut r, &part)?)?;
                let mut bound = || -> R<f64> {
                    let b = next(&mut r, &part)?;
                    b.as_str().parse().map_err(|_| Diagnostic::query("expected a number").at(span(&b)))
                };
                let (low, high) = (bound()?, bound()?);
                if low > high {
                    return Err(Diagnostic::query(format!("the range of '{label}' ends before it starts")).at(sp));
                }
                ranges.push(BucketRange { label, low, high, span: sp });
            }
            Rule::bucket_others => others = Some(quoted(&next(&mut part.clone().into_inner(), &part)?)?),
            _ => return Err(internal(&part)),
        }
    }
    let field = field.ok_or_else(|| internal(&p.cmd))?;
    Ok(Box::new(Bucket { options, field, ranges, others }))
}

impl Args for Bucket {
    fn options(&self) -> &[OptionArg] {
        &self.options
    }

    fn plan(&self, p: &mut Planner<'_>, _: &Stage) -> R<()> {
        let width = match options::find(&self.options, &SPAN) {
            None => None,
            Some(o) => match o.value.parse::<f64>() {
                Ok(w) if w > 0.0 && w.is_finite() => Some(w),
                _ => return Err(Diagnostic::query("span needs a number above 0").at(o.value_span)),
            },
        };
        let max_buckets = options::find(&self.options, &MAX_BUCKETS).map(|o| options::count(o, 1)).transpose()?;
        let col = p.field(&self.field)?;
        let t = p.scope.fields[col].dtype;
        if !matches!(t, DataType::Int | DataType::Float | DataType::Duration | DataType::Null) {
            return Err(Diagnostic::query(format!(
                "bucket needs a numeric field; '{}' is {}",
                self.field.text,
                t.name()
            ))
            .at(self.field.span));
        }
        if self.others.is_some() && self.ranges.is_empty() {
            return Err(Diagnostic::query("others = ... goes with named ranges").at(self.field.span));
        }
        p.scope.fields[col].dtype = DataType::Str;
        p.ops.push(Op::Bucket(BucketOp {
            col,
            ranges: self.ranges.clone(),
            others: self.others.clone(),
            width,
            max_buckets: max_buckets.unwrap_or(10),
        }));
        Ok(())
    }
}

crate::commands::examples_test!(DEF);
