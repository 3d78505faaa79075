//! The flow record model as a ClickHouse table: column names, storage types, the DDL,
//! and the expressions that read a stored column back as the language's type.
//!
//! Storage is compact and portable down to ClickHouse 18.16: addresses are
//! `FixedString(16)` (IPv6, IPv4 in its mapped form, byte-compatible with the newer
//! `IPv6` type), ports `UInt16`, protocols `UInt8`, the Log Source an `Enum8`; times
//! are epoch milliseconds in `Int64` (DateTime64 is newer than 18.16), with
//! `time_ms` never null so it can be the sorting key: a record without a time holds
//! [`TIME_NULL`]. `seq` numbers the records in the order they were loaded, which keeps
//! the newest-first order of records with equal times the same as the local engine's.

use super::quote;
use crate::schema::{self, Col, FLOW_FIELDS};
use crate::store::DataType;

/// `time_ms` of a record without a time.
pub const TIME_NULL: i64 = i64::MIN;

/// The column holding a field: `Source IP` → `source_ip`.
pub fn column_name(field: &str) -> String {
    if field == "Time" {
        return "time_ms".into();
    }
    if field == "Flow End Time" {
        return "flow_end_time_ms".into();
    }
    let mut out = String::new();
    for c in field.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

/// The stored type of a record field.
pub fn storage_type(col: Col) -> String {
    let f = &FLOW_FIELDS[col as usize];
    match col {
        Col::LogSource => {
            let values = schema::LogSource::ALL
                .iter()
                .map(|s| format!("{} = {}", quote::string(s.name()), s.code() + 1))
                .collect::<Vec<_>>()
                .join(", ");
            format!("Enum8({values})")
        }
        Col::Time => "Int64".into(),
        Col::SourcePort | Col::DestinationPort | Col::TcpFlags => "Nullable(UInt16)".into(),
        Col::Protocol | Col::TrafficPath => "Nullable(UInt8)".into(),
        _ => match f.dtype {
            DataType::Int => "Nullable(UInt64)".into(),
            DataType::Ip => "Nullable(FixedString(16))".into(),
            DataType::Time => "Nullable(Int64)".into(),
            _ => "Nullable(String)".into(),
        },
    }
}

/// The stored fields: every record field but the record's text (rebuilt, not stored).
pub fn stored_fields() -> impl Iterator<Item = Col> {
    (0..FLOW_FIELDS.len()).filter_map(Col::from_index).filter(|c| *c != Col::OriginalLogContent)
}

/// A stored column read back as the language's type.
pub fn read_expr(col: Col) -> String {
    let name = quote::ident(&column_name(FLOW_FIELDS[col as usize].name));
    match (col, FLOW_FIELDS[col as usize].dtype) {
        (Col::LogSource, _) => format!("toString({name})"),
        (Col::Time, _) => format!("if({name} = {TIME_NULL}, NULL, {name})"),
        (_, DataType::Int) => format!("toInt64({name})"),
        _ => name,
    }
}

/// `db.table`, quoted.
pub fn table_ref(database: Option<&str>, table: &str) -> String {
    match database {
        Some(db) => format!("{}.{}", quote::ident(db), quote::ident(table)),
        None => quote::ident(table),
    }
}

/// The statements that create the table (and, on a cluster, the local tables and a
/// Distributed table over them), separated by `;` for `clickhouse-client --multiquery`.
pub fn ddl(database: Option<&str>, table: &str, cluster: Option<&str>) -> String {
    let mut out = String::new();
    let on_cluster = cluster.map_or(String::new(), |c| format!(" ON CLUSTER {}", quote::ident(c)));
    if let Some(db) = database {
        out.push_str(&format!("CREATE DATABASE IF NOT EXISTS {}{on_cluster};\n\n", quote::ident(db)));
    }
    let local = if cluster.is_some() { format!("{table}_local") } else { table.to_string() };
    out.push_str(&format!("CREATE TABLE IF NOT EXISTS {}{on_cluster}\n(\n", table_ref(database, &local)));
    out.push_str("    seq UInt64,\n");
    let fields: Vec<Col> = stored_fields().collect();
    for c in &fields {
        let f = &FLOW_FIELDS[*c as usize];
        out.push_str(&format!(
            "    {} {} COMMENT {},\n",
            quote::ident(&column_name(f.name)),
            storage_type(*c),
            quote::string(&format!("{}: {}", f.name, f.about))
        ));
    }
    out.push_str("    time DateTime ALIAS toDateTime(intDiv(time_ms, 1000))\n");
    out.push_str(")\nENGINE = MergeTree()\n");
    out.push_str("PARTITION BY toYYYYMM(toDateTime(intDiv(greatest(time_ms, 0), 1000)))\n");
    out.push_str("ORDER BY (time_ms, seq);\n");
    if let Some(c) = cluster {
        let db = database.map_or("currentDatabase()".to_string(), quote::string);
        out.push_str(&format!(
            "\nCREATE TABLE IF NOT EXISTS {}{on_cluster} AS {}\nENGINE = Distributed({}, {db}, {}, rand());\n",
            table_ref(database, table),
            table_ref(database, &local),
            quote::string(c),
            quote::string(&local)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_snake_case() {
        assert_eq!(column_name("Source IP"), "source_ip");
        assert_eq!(column_name("ECS Cluster ARN"), "ecs_cluster_arn");
        assert_eq!(column_name("AZ ID"), "az_id");
        assert_eq!(column_name("Time"), "time_ms");
        let names: std::collections::HashSet<String> =
            stored_fields().map(|c| column_name(FLOW_FIELDS[c as usize].name)).collect();
        assert_eq!(names.len(), stored_fields().count(), "column names must be distinct");
    }

    #[test]
    fn ddl_names_a_distributed_table_on_a_cluster() {
        let d = ddl(Some("net"), "flows", Some("prod"));
        assert!(d.contains("CREATE TABLE IF NOT EXISTS \"net\".\"flows_local\" ON CLUSTER \"prod\""));
        assert!(d.contains("ENGINE = Distributed('prod', 'net', 'flows_local', rand())"));
        assert!(!ddl(None, "flows", None).contains("Distributed"));
    }
}
