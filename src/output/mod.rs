//! Writing result tables: a terminal table, CSV, JSON (one array) or NDJSON (one
//! object per line). Times are RFC 3339 UTC and durations milliseconds in CSV/JSON;
//! nulls are empty in CSV and `null` in JSON.

pub mod chart;
pub mod csv;
pub mod json;
mod row_buf;
pub mod terminal;

use std::io::{self, Write};

use crate::store::Table;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Ndjson,
}

/// How a terminal table is drawn.
#[derive(Clone, Copy, Debug)]
pub struct TableStyle {
    pub color: bool,
    /// Show at most this many rows, then a footer saying how many more there are.
    pub max_rows: Option<usize>,
    /// Fit the table in this many columns (a terminal's width): the widest columns are
    /// narrowed and long values shown cut with `…`.
    pub width: Option<usize>,
}

/// Write `t` in `format`.
pub fn write(t: &Table, format: Format, style: TableStyle, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => terminal::write(t, style, out),
        Format::Csv => csv::write(t, out),
        Format::Json => json::write(t, false, out),
        Format::Ndjson => json::write(t, true, out),
    }
}
