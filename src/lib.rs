//! flowq: query network flow logs with the pipe language of Oracle Logging Analytics.
//!
//! ```text
//! query text ──syntax──▶ AST (own types, spans) ──plan──▶ operator pipeline ──exec──▶ Table ──output──▶ terminal / csv / json
//! flow log files ──ingest──▶ columnar store (Table) ──────────────────────────▲
//! ```
//!
//! - [`syntax`] parses query text (a pest grammar, `grammar/flowq.pest`) into our AST.
//! - [`plan`] resolves names against the fields in scope and builds [`plan::Op`]s.
//! - [`exec`] runs the ops over [`store`] tables, on selection vectors.
//! - [`ingest`] reads flow log files into the record table, in parallel.
//! - [`output`] writes results; [`diag`] is the one error type and its renderer.
//! - [`sql`] compiles plans to ClickHouse SQL; [`clickhouse`] runs them over HTTP.
//! - [`session::Session`] ties them together: the entry point of the CLI and the tests.
//!
//! ```
//! let s = flowq::session::Session::from_text(
//!     "example.log",
//!     b"2 10.0.0.5 203.0.113.7 443 51000 6 10 5000 1600000000 1600000060 ACCEPT OK\n\
//!       2 203.0.113.7 10.0.0.5 51000 443 6 4 300 1600000000 1600000060 ACCEPT OK\n",
//! ).unwrap();
//! let out = s.run("* | stats sum('Content Size Out') as Bytes").unwrap();
//! assert_eq!(out.table.get(0, 0), flowq::store::Value::Int(5300));
//! ```

/// The architecture of flowq (docs/ARCHITECTURE.md): the stages, where each concept
/// lives, and what to write to add a command, an operator or an input format.
#[doc = include_str!("../docs/ARCHITECTURE.md")]
pub mod architecture {}
pub mod alloc;
pub mod clickhouse;
pub mod commands;
pub mod diag;
pub mod escape;
pub mod exec;
pub mod explain;
pub mod funcs;
pub mod gen;
pub mod ingest;
pub mod init_vars;
pub mod lookup;
pub mod output;
pub mod parallel;
pub mod params;
pub mod plan;
pub mod reference;
pub mod repl;
pub mod saved_search;
pub mod schema;
pub mod session;
pub mod sql;
pub mod store;
pub mod syntax;
pub mod window;
