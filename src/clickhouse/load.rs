//! `flowq clickhouse load`: records read by flowq's own ingest (any format, the same
//! skipped-line accounting) inserted into the flow table in batches over HTTP.

use super::http::Endpoint;
use super::result::escape_into;
use crate::diag::Diagnostic;
use crate::schema::{Col, FLOW_FIELDS};
use crate::sql::{model, quote, Target};
use crate::store::{Table, Value};

/// Rows per INSERT: about 20 MB of text, one round trip each.
pub const BATCH_ROWS: usize = 100_000;

/// The `seq` the next record gets: after the ones already in the table, so records
/// loaded later come after them in the newest-first order of equal times.
pub fn next_seq(endpoint: &Endpoint, target: &Target) -> Result<u64, Diagnostic> {
    let table = model::table_ref(target.database.as_deref(), &target.table);
    let answer = endpoint.execute(&format!("SELECT count(), max(seq) FROM {table} FORMAT TabSeparated"))?;
    let mut parts = answer.split_whitespace();
    let count: u64 = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
    let max: u64 = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
    Ok(if count == 0 { 0 } else { max + 1 })
}

/// Insert every record of `records`, calling `progress(rows done)` after each batch.
pub fn insert(
    endpoint: &Endpoint,
    target: &Target,
    records: &Table,
    mut progress: impl FnMut(usize),
) -> Result<usize, Diagnostic> {
    let first_seq = next_seq(endpoint, target)?;
    let fields: Vec<Col> = model::stored_fields().collect();
    let sources: Vec<Option<usize>> = fields.iter().map(|c| records.index_of(FLOW_FIELDS[*c as usize].name)).collect();
    let columns: Vec<String> = std::iter::once("seq".to_string())
        .chain(fields.iter().map(|c| quote::ident(&model::column_name(FLOW_FIELDS[*c as usize].name))))
        .collect();
    let statement = format!(
        "INSERT INTO {} ({}) FORMAT TabSeparated",
        model::table_ref(target.database.as_deref(), &target.table),
        columns.join(", ")
    );
    let mut body = Vec::with_capacity(BATCH_ROWS * 200);
    let mut done = 0;
    while done < records.len() {
        body.clear();
        let end = (done + BATCH_ROWS).min(records.len());
        for row in done..end {
            body.extend_from_slice((first_seq + row as u64).to_string().as_bytes());
            for (c, src) in fields.iter().zip(&sources) {
                body.push(b'\t');
                let v = src.map_or(Value::Null, |i| records.get(i, row));
                cell(*c, &v, &mut body);
            }
            body.push(b'\n');
        }
        let mut answer = endpoint.post(&[("query", &statement)], &body)?;
        std::io::copy(&mut answer.inner, &mut std::io::sink())
            .map_err(|e| Diagnostic::runtime(format!("ClickHouse at {}: {e}", endpoint.url)))?;
        done = end;
        progress(done);
    }
    Ok(done)
}

/// One stored value as a TSV cell.
fn cell(col: Col, v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null if col == Col::Time => out.extend_from_slice(model::TIME_NULL.to_string().as_bytes()),
        Value::Null => out.extend_from_slice(b"\\N"),
        // Every byte as \xHH: the body stays ASCII (and valid UTF-8 for any server).
        Value::Ip(a) => {
            for b in a.to_be_bytes() {
                out.extend_from_slice(format!("\\x{b:02X}").as_bytes());
            }
        }
        Value::Int(i) | Value::Time(i) | Value::Duration(i) => out.extend_from_slice(i.to_string().as_bytes()),
        other => escape_into(other.to_text().unwrap_or_default().as_bytes(), out),
    }
}

/// Insert the matches of a lookup: per row, for each of the first `keys` columns its
/// (is null, value) pair, then 1 (matched), then the other columns.
pub fn insert_rows(endpoint: &Endpoint, table: &str, rows: &Table, keys: usize) -> Result<(), Diagnostic> {
    let mut body = Vec::new();
    for r in 0..rows.len() {
        for c in 0..keys {
            let v = rows.get(c, r);
            // assumeNotNull() of a null is the type's default: 0, '' or zero bytes.
            body.extend_from_slice(if v.is_null() { b"1\t" } else { b"0\t" });
            let v = match (&v, rows.fields[c].dtype) {
                (Value::Null, crate::store::DataType::Ip) => Value::Ip(0),
                (Value::Null, crate::store::DataType::Int) => Value::Int(0),
                (Value::Null, _) => Value::Str("".into()),
                _ => v,
            };
            cell(Col::Version, &v, &mut body);
            body.push(b'\t');
        }
        body.push(b'1');
        for c in keys..rows.fields.len() {
            body.push(b'\t');
            match rows.get(c, r) {
                Value::Bool(b) => body.push(if b { b'1' } else { b'0' }),
                v => cell(Col::Version, &v, &mut body),
            }
        }
        body.push(b'\n');
    }
    let statement = format!("INSERT INTO {table} FORMAT TabSeparated");
    let mut answer = endpoint.post(&[("query", &statement)], &body)?;
    std::io::copy(&mut answer.inner, &mut std::io::sink())
        .map_err(|e| Diagnostic::runtime(format!("ClickHouse at {}: {e}", endpoint.url)))?;
    Ok(())
}
