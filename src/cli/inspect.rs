//! `flowq inspect`: what flowq makes of its inputs, before any query.

use std::fmt::Write as _;

use clap::Args;

use flowq::diag::Diagnostic;
use flowq::ingest::InputReport;
use flowq::schema::{self, Col, FieldMask, FIRST_EXTRA};
use flowq::session::Session;
use flowq::store::{time, ColumnData, Table};

#[derive(Args, Debug)]
pub struct InspectArgs {
    #[command(flatten)]
    input: super::inputs::InputArgs,
}

pub fn inspect(args: InspectArgs) -> Result<u8, Diagnostic> {
    let mut fields = FieldMask::all();
    fields.remove(Col::OriginalLogContent);
    let session = if args.input.inputs.is_empty() {
        Session::demo_for(fields)?
    } else {
        Session::load(&args.input.inputs, args.input.load_options(fields)?)?
    };
    let mut out = String::new();
    for (n, input) in session.report.inputs.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        describe(&session.records, input, &mut out);
    }
    // A report for people: what the inputs hold is shown, never acted on.
    print!("{}", flowq::escape::escape_lines(out.as_bytes()));
    super::inputs::warn(&session.report);
    Ok(0)
}

/// One input's summary: format, counts, time range, and its fields with how many
/// values each holds.
fn describe(t: &Table, input: &InputReport, out: &mut String) {
    let rows = input.rows.clone();
    let gz = if input.compressed { ", gzip" } else { "" };
    let _ = writeln!(out, "{} ({}{gz})", input.name, input.format);
    let _ = writeln!(out, "  records        {}", input.records);
    let _ = writeln!(out, "  {:<14} {}", format!("{}s skipped", input.place()), input.skipped);
    for s in &input.examples {
        let _ = writeln!(out, "    line {}: {}", s.line, s.reason);
    }
    if let Some(why) = &input.cut_short {
        let _ = writeln!(out, "  cut short      {why}");
    }
    let _ = writeln!(out, "  bytes          {}", input.bytes);
    let times = t.column(Col::Time as usize);
    let range = match &times.data {
        ColumnData::Time(v) => rows.clone().filter(|&r| times.is_valid(r)).fold(None, |acc: Option<(i64, i64)>, r| {
            Some(acc.map_or((v[r], v[r]), |(lo, hi)| (lo.min(v[r]), hi.max(v[r]))))
        }),
        _ => None,
    };
    match range {
        Some((lo, hi)) => {
            let _ = writeln!(out, "  time           {} .. {}", time::rfc3339(lo), time::rfc3339(hi));
        }
        None => {
            let _ = writeln!(out, "  time           (none)");
        }
    }
    let _ = writeln!(out, "  fields (type, values present):");
    for (i, f) in schema::FLOW_FIELDS.iter().enumerate() {
        let c = t.column(i);
        let present = rows.clone().filter(|&r| c.is_valid(r)).count();
        // Format-specific fields are listed when the input has them.
        if i >= FIRST_EXTRA && present == 0 {
            continue;
        }
        let _ = writeln!(out, "    {:<28} {:<9} {present}", f.name, f.dtype.name());
    }
}
