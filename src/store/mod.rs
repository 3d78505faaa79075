//! The in-memory columnar store: typed columns with null bitmaps, dictionary-encoded
//! strings, IPs as integers, times as i64 milliseconds.

pub mod bitmap;
mod builder;
pub mod column;
mod dict;
pub mod hash;
pub mod ip;
pub mod table;
pub mod time;
pub mod unit;
pub mod value;

pub use bitmap::{Bitmap, Validity};
pub use column::{Column, ColumnBuilder, ColumnData, Dict, DictBuilder, StrData};
pub use table::{Field, Table};
pub use unit::Unit;
pub use value::{DataType, Value};
