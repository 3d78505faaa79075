//! `flowq explain` and `run --explain`: the parsed pipeline, the plan with resolved
//! field names and types, and, after running it, rows in and out and time per operator.

use std::fmt::Write as _;
use std::time::Duration;

use crate::output::terminal::group_digits;
use crate::session::{QueryFailure, QueryOutput, Session};
use crate::store::Field;
use crate::syntax;
use crate::window::TimeWindow;

/// One operator as it ran.
struct Step {
    /// The stages its operators came from: `3`, or `1-2` for a fused step.
    stage: String,
    what: String,
    rows_in: usize,
    rows_out: usize,
    time: Duration,
}

fn fields_text(fields: &[Field]) -> String {
    fields.iter().map(|f| format!("{} ({})", f.name, f.dtype.name())).collect::<Vec<_>>().join(", ")
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Run `text` over `session` in `window` and explain it.
pub fn explain(session: &Session, text: &str, window: TimeWindow) -> Result<(String, QueryOutput), QueryFailure> {
    let query = syntax::parse(text)?;
    let plan = crate::session::check_with(text, &session.lookups)?;
    let mut out = String::new();
    let src =
        |s: crate::diag::Span| text.get(s.start..s.end).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = writeln!(out, "pipeline");
    let search = query.search.expr.as_ref().map_or("*".to_string(), |e| src(e.span));
    let _ = writeln!(out, "  0  search clause  {search}");
    for (n, s) in query.stages.iter().enumerate() {
        let _ = writeln!(out, "  {:<2} {:<14} {}", n + 1, s.command.name, src(s.span));
    }

    let input = session.frame(window);
    let first_in = input.rows.len();
    let mut fields: Vec<Field> = input.table.fields.clone();
    // The fields of the records the last link grouped: what its groups' aggregates read.
    let mut member_fields: Vec<Field> = fields.clone();
    let mut steps: Vec<Step> = Vec::new();
    let mut rows_in = first_in;
    let result = session.run_observed(text, window, |ran, time| {
        // The steps are the local engine's (plan/physical.rs): what really ran.
        let first = ran.step.ops().start;
        if matches!(plan.ops[first], crate::plan::Op::Link(_)) {
            member_fields = fields.clone();
        }
        let mut what = ran.step.describe(&plan.ops, &fields, &member_fields);
        if let Some(why) = ran.fell_back {
            what.push_str(&format!(" [ran one operator at a time: {why}]"));
        }
        steps.push(Step {
            stage: {
                let of = |i: usize| plan.stage_of.get(i).copied().unwrap_or(0);
                let (a, b) = (of(first), of(ran.step.ops().end - 1));
                if a == b {
                    a.to_string()
                } else {
                    format!("{a}-{b}")
                }
            },
            what,
            rows_in,
            rows_out: ran.frame.rows.len(),
            time,
        });
        rows_in = ran.frame.rows.len();
        fields = ran.frame.table.fields.clone();
    })?;

    let _ = writeln!(
        out,
        "\nplan, run over {} records{}",
        group_digits(first_in),
        if window.is_all() { String::new() } else { format!(" ({})", window.describe()) }
    );
    let what_w = steps.iter().map(|s| s.what.chars().count()).max().unwrap_or(8).clamp(8, 90);
    let _ =
        writeln!(out, "  step  stage  {:<what_w$}  {:>12}  {:>12}  {:>10}", "operator", "rows in", "rows out", "time");
    for (i, s) in steps.iter().enumerate() {
        let what: String = if s.what.chars().count() > what_w {
            s.what.chars().take(what_w - 1).chain(['…']).collect()
        } else {
            s.what.clone()
        };
        let _ = writeln!(
            out,
            "  {:<4}  {:<5}  {:<what_w$}  {:>12}  {:>12}  {:>10}",
            i + 1,
            s.stage,
            what,
            group_digits(s.rows_in),
            group_digits(s.rows_out),
            ms(s.time)
        );
    }
    if steps.is_empty() {
        let _ = writeln!(out, "  (no operator: every record in the window is the answer)");
    }
    let total: Duration = steps.iter().map(|s| s.time).sum();
    let _ = writeln!(out, "  total {}", ms(total));
    let _ = writeln!(out, "\nresult: {} rows; {}", group_digits(result.table.len()), fields_text(&result.table.fields));
    Ok((out, result))
}
