//! Parquet flow logs: AWS's S3 delivery (`FileFormat=parquet`: typed columns named as
//! the AWS fields with `_` for `-`) and the files `-f parquet` writes (columns named as
//! the record fields). Read column by column: only the columns a load looks at (the
//! fields it wants and those that can be malformed), row groups on all cores, each
//! into its own slice of the load's columns.

use std::path::Path;

use parquet::basic::{ConvertedType, LogicalType, TimeUnit};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::ColumnDescPtr;

mod chunks;

use chunks::{int_value, read_column, Cell, Values};

use super::columns::Sink;
use super::json_fields::looked_at;
use super::layout::{aws_field, Kind};
use super::text::{self, Parsed, PartOutcome};
use super::{Loader, Skip};
use crate::diag::Diagnostic;
use crate::schema::{derivation, Col, FieldMask, LogSource, FLOW_FIELDS};
use crate::store::DataType;

/// Records a Parquet file may claim per byte of its size: flow records vary in their
/// addresses, ports and times, so even long runs of repeats encode in well over 1/16 of
/// a byte each (docs/USER_GUIDE.md, Limits).
const ROWS_PER_BYTE: i64 = 16;

/// Whether `head` (a file's first bytes) opens a Parquet file.
pub fn is_parquet(head: &[u8]) -> bool {
    head.starts_with(b"PAR1")
}

/// Whether the file at `path` opens as Parquet does.
pub fn file_is_parquet(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && is_parquet(&head)
}

/// A column of the file that a record field comes from.
#[derive(Clone, Copy)]
struct Source {
    leaf: usize,
    col: Col,
    kind: Kind,
    /// The column's name in the file.
    name: &'static str,
    /// Milliseconds per stored unit of a time column: 1000 for AWS's epoch seconds,
    /// 1 for Parquet millisecond timestamps (negative: divide, for micro- and
    /// nanoseconds).
    scale: i64,
}

/// The kind of value a record field holds, as the readers check it.
fn kind_of(c: Col) -> Kind {
    match FLOW_FIELDS[c as usize].dtype {
        DataType::Ip => Kind::Ip,
        DataType::Time => Kind::Time,
        DataType::Str => Kind::Text,
        _ => match c {
            Col::SourcePort | Col::DestinationPort => super::layout::PORT,
            Col::Protocol => super::layout::PROTOCOL,
            _ => super::layout::NUMBER,
        },
    }
}

/// The record field a file column holds: an AWS field name (`srcaddr`, `log_status`) or a
/// record field's own name (`Source IP`), as `-f parquet` writes. Derived fields are made
/// again at load, not read.
fn field_of(name: &str) -> Option<(Col, Kind, &'static str)> {
    if let Some(f) = aws_field(name) {
        return Some((f.col, f.kind, f.name));
    }
    let c = FieldMask::field_named(name)?;
    (derivation(c).is_none() || c == Col::LogSource).then(|| (c, kind_of(c), FLOW_FIELDS[c as usize].name))
}

fn time_scale(d: &ColumnDescPtr) -> i64 {
    match (d.logical_type_ref(), d.converted_type()) {
        (Some(LogicalType::Timestamp(t)), _) => match t.unit {
            TimeUnit::MILLIS => 1,
            TimeUnit::MICROS => -1000,
            TimeUnit::NANOS => -1_000_000,
        },
        (_, ConvertedType::TIMESTAMP_MILLIS) => 1,
        (_, ConvertedType::TIMESTAMP_MICROS) => -1000,
        _ => 1000,
    }
}

/// Write row `r` of the chunks into the sink's current row; `Err` says what is wrong.
fn write_row(sources: &[Source], chunks: &[Values], r: usize, mask: FieldMask, sink: &mut Sink) -> Result<(), String> {
    let mut source = LogSource::AwsVpc.code();
    for (s, values) in sources.iter().zip(chunks) {
        let keep = mask.contains(s.col);
        match values.cell(r) {
            Cell::Null => {}
            Cell::Bytes(b) if s.col == Col::LogSource => {
                let found = LogSource::ALL.iter().find(|l| l.name().as_bytes() == b);
                source = found.ok_or_else(|| format!("{}: not a Log Source flowq knows", s.name))?.code();
            }
            Cell::Int(v) => {
                let v = int_value(s, v)?;
                match s.kind {
                    Kind::Text if keep => sink.text(s.col, Some(v.to_string().as_bytes())),
                    Kind::Text => {}
                    _ => sink.int(s.col, keep.then_some(v)),
                }
            }
            Cell::Bytes(b) => match text::read(b, s.kind) {
                Ok(_) if !keep => {}
                Ok(Parsed::Int(x)) => sink.int(s.col, x),
                Ok(Parsed::Ip(x)) => sink.ip(s.col, x),
                Ok(Parsed::Text(x)) => sink.text(s.col, x),
                Err(what) => {
                    let shown: String = String::from_utf8_lossy(b).chars().take(60).collect();
                    return Err(format!("{}: '{shown}' is not {what}", s.name));
                }
            },
        }
    }
    sink.source(source);
    Ok(())
}

/// Where a Parquet file's bytes are: each thread opens its own reader of them.
pub(super) enum Bytes<'a> {
    File(&'a Path),
    Memory(bytes::Bytes),
}

impl Bytes<'_> {
    fn open(&self) -> Result<Box<dyn FileReader>, String> {
        let reader: Box<dyn FileReader> = match self {
            Bytes::File(path) => {
                let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
                Box::new(SerializedFileReader::new(file).map_err(|e| e.to_string())?)
            }
            Bytes::Memory(b) => Box::new(SerializedFileReader::new(b.clone()).map_err(|e| e.to_string())?),
        };
        Ok(reader)
    }
}

/// Read one row group into its sink; skipped records are counted from its first.
fn read_group(
    bytes: &Bytes,
    group: usize,
    sources: &[Source],
    mask: FieldMask,
    sink: &mut Sink,
) -> Result<PartOutcome, String> {
    let reader = bytes.open()?;
    let rg = reader.get_row_group(group).map_err(|e| e.to_string())?;
    let rows = usize::try_from(rg.metadata().num_rows()).unwrap_or(0);
    let mut chunks = Vec::with_capacity(sources.len());
    for s in sources {
        let at = |e: parquet::errors::ParquetError| format!("row group {group}, column {}: {e}", s.name);
        let only_checked = !mask.contains(s.col) && s.col != Col::LogSource;
        chunks.push(read_column(&*rg, s, only_checked, rows).map_err(at)?);
    }
    let mut skips = Vec::new();
    for r in 0..rows {
        match write_row(sources, &chunks, r, mask, sink) {
            Ok(()) => sink.end_row(),
            Err(reason) => {
                sink.abandon_row();
                skips.push(Skip { line: r as u64 + 1, reason });
            }
        }
    }
    Ok(PartOutcome { lines: rows as u64, skips, state: Default::default() })
}

/// Whether a file of `size` bytes can hold `rows` records (see [`ROWS_PER_BYTE`]).
fn plausible_rows(rows: i64, size: u64) -> Result<(), String> {
    let most = i64::try_from(size).unwrap_or(i64::MAX).saturating_mul(ROWS_PER_BYTE).max(1 << 20);
    if rows > most {
        return Err(format!(
            "its footer claims {rows} records in {size} bytes, more than {ROWS_PER_BYTE} a byte (the most a flow log compresses to)"
        ));
    }
    Ok(())
}

/// Check that every column chunk to be read lies inside the file, as the footer says
/// where: the decoder trusts the footer (and stops the process on a negative offset).
fn check_layout(meta: &parquet::file::metadata::ParquetMetaData, sources: &[Source], size: u64) -> Result<(), String> {
    // The columns are sized from the footer's row counts before a page is read: a
    // footer claiming more rows than the file could hold would be an allocation bomb.
    let rows: i64 =
        (0..meta.num_row_groups()).map(|g| meta.row_group(g).num_rows().max(0)).fold(0, i64::saturating_add);
    plausible_rows(rows, size)?;
    for g in 0..meta.num_row_groups() {
        let rg = meta.row_group(g);
        if rg.num_rows() < 0 {
            return Err(format!("row group {g} has {} rows", rg.num_rows()));
        }
        for s in sources {
            let c = rg.columns().get(s.leaf).ok_or_else(|| format!("row group {g} lacks column {}", s.name))?;
            let start = c.dictionary_page_offset().unwrap_or(c.data_page_offset()).min(c.data_page_offset());
            let inside = u64::try_from(start)
                .ok()
                .zip(u64::try_from(c.compressed_size()).ok())
                .is_some_and(|(at, len)| at.checked_add(len).is_some_and(|end| end <= size));
            if !inside {
                return Err(format!("the footer places column {} of row group {g} outside the file", s.name));
            }
        }
    }
    Ok(())
}

impl Loader {
    /// Read the Parquet file at `path` (named `name` in reports).
    pub(super) fn add_parquet(&mut self, name: &str, source: Bytes) -> Result<(), Diagnostic> {
        let fail = |e: String| Diagnostic::data(format!("cannot read '{name}' as Parquet: {e}"));
        let size = match &source {
            Bytes::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
            Bytes::Memory(b) => b.len() as u64,
        };
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| source.open()));
        let reader = opened.unwrap_or_else(|_| Err("its footer is damaged".into())).map_err(fail)?;
        let meta = reader.metadata();
        let mask = self.opts.fields;
        let mut sources = Vec::new();
        for (leaf, d) in meta.file_metadata().schema_descr().columns().iter().enumerate() {
            let Some((col, kind, field_name)) = field_of(d.name()) else { continue };
            if !(looked_at(mask, col, kind) || col == Col::LogSource) || sources.iter().any(|s: &Source| s.col == col) {
                continue;
            }
            sources.push(Source { leaf, col, kind, name: field_name, scale: time_scale(d) });
        }
        if !meta.file_metadata().schema_descr().columns().iter().any(|d| field_of(d.name()).is_some()) {
            return Err(fail("none of its columns is a flow log field".into()).help(
                "flowq reads AWS VPC flow logs as Parquet (srcaddr, dstport, …) and the files -f parquet writes",
            ));
        }
        check_layout(meta, &sources, size).map_err(fail)?;
        let groups: Vec<usize> =
            (0..meta.num_row_groups()).map(|g| usize::try_from(meta.row_group(g).num_rows()).unwrap_or(0)).collect();
        let first_row = self.columns.len;
        self.columns.begin_input(name);
        let mut report = super::InputReport {
            name: name.to_string(),
            format: "AWS VPC Parquet",
            place: "record",
            ..Default::default()
        };
        let threads = self.opts.threads.max(1);
        let sinks = self.columns.sinks(&groups, self.expected);
        let mut results: Vec<Option<Result<(super::columns::SinkResult, PartOutcome), String>>> =
            (0..groups.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let mut work: Vec<Vec<(usize, Sink)>> = (0..threads).map(|_| Vec::new()).collect();
            for (g, sink) in sinks.into_iter().enumerate() {
                work[g % threads].push((g, sink));
            }
            let handles: Vec<_> = work
                .into_iter()
                .map(|part| {
                    let (sources, source) = (&sources, &source);
                    scope.spawn(move || {
                        part.into_iter()
                            .map(|(g, mut sink)| {
                                // A panic of the Parquet decoder on damaged data is an
                                // error of the file, not of flowq.
                                let run =
                                    std::panic::AssertUnwindSafe(|| read_group(source, g, sources, mask, &mut sink));
                                let outcome = std::panic::catch_unwind(run)
                                    .unwrap_or_else(|_| Err(format!("row group {g} is damaged")));
                                (g, outcome.map(|o| (sink.done(), o)))
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for h in handles {
                for (g, r) in h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)) {
                    results[g] = Some(r);
                }
            }
        });
        let mut outcomes = Vec::with_capacity(results.len());
        for r in results.into_iter().flatten() {
            outcomes.push(r.map_err(fail)?);
        }
        let mut lines_before = 0;
        self.account(name, &mut report, &mut lines_before, outcomes)?;
        report.bytes = size;
        let seen = self.columns.sources_since(first_row);
        if seen.iter().any(|&s| s != LogSource::AwsVpc.code()) {
            report.format = "Parquet";
        }
        self.finish_input(name, report, first_row, None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_footer_is_believed_up_to_sixteen_records_a_byte() {
        assert!(plausible_rows(1 << 20, 10).is_ok(), "small files may hold a million");
        assert!(plausible_rows((1 << 20) + 1, 10).is_err());
        assert!(plausible_rows(16_000_000, 1_000_000).is_ok());
        let e = plausible_rows(16_000_001, 1_000_000).unwrap_err();
        assert!(e.contains("claims 16000001 records in 1000000 bytes"), "{e}");
        assert!(plausible_rows(i64::MAX, u64::MAX).is_ok(), "no overflow at the ends");
    }
}
