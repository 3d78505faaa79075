//! A table: named, typed columns of equal length, shared cheaply between stages.

use std::sync::Arc;

use super::column::Column;
use super::unit::Unit;
use super::value::{DataType, Value};

/// A column's name and type as the language sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub dtype: DataType,
    /// Set by `unit()`: terminal tables show the values humanised.
    pub unit: Option<Unit>,
}

impl Field {
    pub fn new(name: impl Into<String>, dtype: DataType) -> Self {
        Field { name: name.into(), dtype, unit: None }
    }

    pub fn with_unit(mut self, unit: Option<Unit>) -> Self {
        self.unit = unit;
        self
    }

    /// The same field under another name.
    pub fn renamed(&self, name: impl Into<String>) -> Self {
        Field { name: name.into(), ..self.clone() }
    }
}

/// Columns are behind `Arc` so a stage that adds one column does not copy the others.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub fields: Vec<Field>,
    pub columns: Vec<Arc<Column>>,
    len: usize,
}

impl Table {
    pub fn new(len: usize) -> Self {
        Table { fields: Vec::new(), columns: Vec::new(), len }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Append a column; its length must match the table's.
    pub fn push(&mut self, name: impl Into<String>, column: Column) {
        debug_assert_eq!(column.len(), self.len);
        let name = name.into();
        let dtype = column.dtype();
        self.fields.push(Field::new(name, dtype));
        self.columns.push(Arc::new(column));
    }

    /// Replace column `i` (keeping its name) with `column`.
    pub fn replace(&mut self, i: usize, column: Column) {
        self.fields[i].dtype = column.dtype();
        self.columns[i] = Arc::new(column);
    }

    /// Keep only the columns `keep` approves of.
    pub fn retain_columns(&mut self, mut keep: impl FnMut(&Field, &Column) -> bool) {
        let keep: Vec<bool> = self.fields.iter().zip(&self.columns).map(|(f, c)| keep(f, c)).collect();
        let mut k = keep.iter();
        self.fields.retain(|_| k.next().copied().unwrap_or(true));
        let mut k = keep.iter();
        self.columns.retain(|_| k.next().copied().unwrap_or(true));
    }

    /// Index of a field by name, case-insensitively.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn column(&self, i: usize) -> &Column {
        &self.columns[i]
    }

    pub fn get(&self, col: usize, row: usize) -> Value<'_> {
        self.columns[col].get(row)
    }

    /// A new table holding `rows` of this one, in that order.
    pub fn gather(&self, rows: &[u32]) -> Table {
        Table {
            fields: self.fields.clone(),
            columns: self.columns.iter().map(|c| Arc::new(c.gather(rows))).collect(),
            len: rows.len(),
        }
    }
}
