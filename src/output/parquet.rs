//! Parquet output (`-f parquet`): one file of typed columns, readable by flowq (as an
//! input), DuckDB, Polars and pandas. Integers and durations are INT64, fractions
//! DOUBLE, times INT64 timestamps in milliseconds (UTC), addresses and text UTF-8
//! strings (an address as flowq writes it, so every reader sees `10.0.0.1`, not bytes);
//! every column is optional (nulls stay nulls). Snappy-compressed row groups of
//! 131,072 rows.

use std::io::{self, Write};
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::store::{ColumnData, Table};

/// Rows per row group: big enough for fast scans, small enough that a file of a few
/// million records is read on all cores (DuckDB writes 122,880).
const ROW_GROUP: usize = 1 << 17;

fn column_type(name: &str, data: &ColumnData) -> parquet::errors::Result<Type> {
    let (physical, logical) = match data {
        ColumnData::Bool(_) => (Physical::BOOLEAN, None),
        ColumnData::Int(_) | ColumnData::Duration(_) => (Physical::INT64, None),
        ColumnData::Float(_) => (Physical::DOUBLE, None),
        ColumnData::Time(_) => (Physical::INT64, Some(LogicalType::timestamp(true, TimeUnit::MILLIS))),
        ColumnData::Ip4(_) | ColumnData::Ip(_) | ColumnData::Str(_) => {
            (Physical::BYTE_ARRAY, Some(LogicalType::String))
        }
    };
    Type::primitive_type_builder(name, physical)
        .with_repetition(Repetition::OPTIONAL)
        .with_logical_type(logical)
        .build()
}

fn to_io(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Write `t` as a Parquet file to `out`.
pub fn write(t: &Table, out: &mut dyn Write) -> io::Result<()> {
    let fields = t
        .fields
        .iter()
        .enumerate()
        .map(|(c, f)| column_type(&f.name, &t.column(c).data).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()
        .map_err(to_io)?;
    let schema = Arc::new(Type::group_type_builder("flowq").with_fields(fields).build().map_err(to_io)?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP))
            .build(),
    );
    // The writer wants an owned, sendable sink: the file is made in memory, then written.
    let mut w = SerializedFileWriter::new(Vec::new(), schema, props).map_err(to_io)?;
    let mut text = String::new();
    let mut start = 0;
    while start < t.len() || (start == 0 && t.is_empty()) {
        let rows = start..(start + ROW_GROUP).min(t.len());
        let mut group = w.next_row_group().map_err(to_io)?;
        let mut c = 0;
        while let Some(mut col) = group.next_column().map_err(to_io)? {
            let column = t.column(c);
            let valid: Vec<usize> = rows.clone().filter(|&r| column.is_valid(r)).collect();
            let defs: Vec<i16> = rows.clone().map(|r| i16::from(column.is_valid(r))).collect();
            match &column.data {
                ColumnData::Bool(v) => {
                    let vals: Vec<bool> = valid.iter().map(|&r| v[r]).collect();
                    col.typed::<BoolType>().write_batch(&vals, Some(&defs), None)
                }
                ColumnData::Int(v) | ColumnData::Duration(v) | ColumnData::Time(v) => {
                    let vals: Vec<i64> = valid.iter().map(|&r| v[r]).collect();
                    col.typed::<Int64Type>().write_batch(&vals, Some(&defs), None)
                }
                ColumnData::Float(v) => {
                    let vals: Vec<f64> = valid.iter().map(|&r| v[r]).collect();
                    col.typed::<DoubleType>().write_batch(&vals, Some(&defs), None)
                }
                ColumnData::Ip4(_) | ColumnData::Ip(_) | ColumnData::Str(_) => {
                    let vals: Vec<ByteArray> = valid
                        .iter()
                        .map(|&r| {
                            text.clear();
                            super::csv::cell(t, c, r, &mut text);
                            ByteArray::from(text.as_bytes().to_vec())
                        })
                        .collect();
                    col.typed::<ByteArrayType>().write_batch(&vals, Some(&defs), None)
                }
            }
            .map_err(to_io)?;
            col.close().map_err(to_io)?;
            c += 1;
        }
        group.close().map_err(to_io)?;
        if t.is_empty() {
            break;
        }
        start = rows.end;
    }
    let bytes = w.into_inner().map_err(to_io)?;
    out.write_all(&bytes)
}
