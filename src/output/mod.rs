//! Writing result tables: a terminal table, CSV, JSON (one array), NDJSON (one
//! object per line) or Parquet (typed columns, `parquet.rs`). Times are RFC 3339 UTC and durations milliseconds in CSV/JSON;
//! nulls are empty in CSV (a row of one empty cell `""`) and `null` in JSON.

pub mod chart;
pub mod csv;
pub mod json;
mod map;
pub mod parquet;
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
    /// Typed columns in a Parquet file (binary: to a file or a pipe, never a terminal).
    Parquet,
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
    /// The output is a terminal: CSV and JSON are escaped as tables are (control and
    /// text-reordering characters shown as escapes, [`crate::escape`]); files and pipes
    /// get the exact bytes.
    pub terminal: bool,
    /// CSV text that a spreadsheet would run as a formula gets a leading `'`
    /// (`--csv-guard`; off by default: CSV keeps the data's exact text).
    pub csv_guard: bool,
}

/// Write `t` in `format`.
pub fn write(t: &Table, format: Format, style: TableStyle, out: &mut dyn Write) -> io::Result<()> {
    if style.terminal && format == Format::Parquet {
        return Err(io::Error::other("Parquet is binary: write it to a file with -o FILE.parquet, or to a pipe"));
    }
    if style.terminal && format != Format::Table {
        let mut buf = Vec::new();
        write(t, format, TableStyle { terminal: false, ..style }, &mut buf)?;
        return out.write_all(crate::escape::escape_lines(&buf).as_bytes());
    }
    match format {
        Format::Table => terminal::write(t, style, out),
        Format::Csv => csv::write(t, style.csv_guard, out),
        Format::Json => json::write(t, false, out),
        Format::Ndjson => json::write(t, true, out),
        Format::Parquet => parquet::write(t, out),
    }
}
