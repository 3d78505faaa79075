//! Typed columns with null bitmaps; strings are dictionary-encoded.

use std::borrow::Cow;
use std::sync::Arc;

use super::bitmap::Bitmap;
pub use super::builder::ColumnBuilder;
pub use super::dict::{Dict, DictBuilder};
use super::value::{format_float, DataType, Value};
use super::{ip, time};

/// A dictionary-encoded string column.
#[derive(Clone, Debug)]
pub struct StrData {
    pub codes: Vec<u32>,
    pub dict: Arc<Dict>,
}

/// The values of a column, one vector per physical type.
#[derive(Clone, Debug)]
pub enum ColumnData {
    Bool(Vec<bool>),
    Int(Vec<i64>),
    Float(Vec<f64>),
    Time(Vec<i64>),
    Duration(Vec<i64>),
    /// IPv4-only columns stay 4 bytes a value.
    Ip4(Vec<u32>),
    Ip(Vec<u128>),
    Str(StrData),
}

/// A column: values plus validity (`None` = no nulls).
#[derive(Clone, Debug)]
pub struct Column {
    pub data: ColumnData,
    pub valid: Option<Bitmap>,
}

impl Column {
    pub fn new(data: ColumnData, valid: Option<Bitmap>) -> Self {
        let valid = valid.filter(|v| !v.all_set());
        Column { data, valid }
    }

    /// A column of `len` nulls of type `t`. Its memory is zeroed lazily by the
    /// allocator, so a column nobody reads costs no resident memory.
    pub fn nulls_of(t: DataType, len: usize) -> Self {
        let data = match t {
            DataType::Bool => ColumnData::Bool(vec![false; len]),
            DataType::Float => ColumnData::Float(vec![0.0; len]),
            DataType::Time => ColumnData::Time(vec![0; len]),
            DataType::Duration => ColumnData::Duration(vec![0; len]),
            DataType::Ip => ColumnData::Ip4(vec![0; len]),
            DataType::Str => {
                ColumnData::Str(StrData { codes: vec![0; len], dict: Arc::new(Dict::new(vec!["".into()])) })
            }
            DataType::Int | DataType::Null => ColumnData::Int(vec![0; len]),
        };
        Column { data, valid: Some(Bitmap::filled(len, false)) }
    }

    /// A column of `len` nulls.
    pub fn nulls(len: usize) -> Self {
        Column { data: ColumnData::Int(vec![0; len]), valid: Some(Bitmap::filled(len, false)) }
    }

    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Bool(v) => v.len(),
            ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => v.len(),
            ColumnData::Float(v) => v.len(),
            ColumnData::Ip4(v) => v.len(),
            ColumnData::Ip(v) => v.len(),
            ColumnData::Str(s) => s.codes.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn dtype(&self) -> DataType {
        match &self.data {
            ColumnData::Bool(_) => DataType::Bool,
            ColumnData::Int(_) => DataType::Int,
            ColumnData::Float(_) => DataType::Float,
            ColumnData::Time(_) => DataType::Time,
            ColumnData::Duration(_) => DataType::Duration,
            ColumnData::Ip4(_) | ColumnData::Ip(_) => DataType::Ip,
            ColumnData::Str(_) => DataType::Str,
        }
    }

    #[inline]
    /// Whether no value is present.
    pub fn is_all_null(&self) -> bool {
        self.valid.as_ref().is_some_and(|v| v.count_set() == 0)
    }

    pub fn is_valid(&self, i: usize) -> bool {
        self.valid.as_ref().is_none_or(|v| v.get(i))
    }

    /// The value at row `i`.
    #[inline]
    pub fn get(&self, i: usize) -> Value<'_> {
        if !self.is_valid(i) {
            return Value::Null;
        }
        match &self.data {
            ColumnData::Bool(v) => Value::Bool(v[i]),
            ColumnData::Int(v) => Value::Int(v[i]),
            ColumnData::Float(v) => Value::Float(v[i]),
            ColumnData::Time(v) => Value::Time(v[i]),
            ColumnData::Duration(v) => Value::Duration(v[i]),
            ColumnData::Ip4(v) => Value::Ip(ip::from_v4(v[i])),
            ColumnData::Ip(v) => Value::Ip(v[i]),
            ColumnData::Str(s) => Value::Str(Cow::Borrowed(s.dict.get(s.codes[i]))),
        }
    }

    /// The rows `rows` of this column, in that order.
    pub fn gather(&self, rows: &[u32]) -> Column {
        // Many rows: on all cores (the reads are at random, so the cores' memory
        // accesses overlap).
        fn pick<T: Copy + Default + Send + Sync>(v: &[T], rows: &[u32]) -> Vec<T> {
            if rows.len() < 1 << 16 {
                return rows.iter().map(|&r| v[r as usize]).collect();
            }
            let mut out = vec![T::default(); rows.len()];
            crate::parallel::per_core(rows, &mut out, |rs, o| {
                o.iter_mut().zip(rs).for_each(|(o, &r)| *o = v[r as usize]);
            });
            out
        }
        let data = match &self.data {
            ColumnData::Bool(v) => ColumnData::Bool(pick(v, rows)),
            ColumnData::Int(v) => ColumnData::Int(pick(v, rows)),
            ColumnData::Float(v) => ColumnData::Float(pick(v, rows)),
            ColumnData::Time(v) => ColumnData::Time(pick(v, rows)),
            ColumnData::Duration(v) => ColumnData::Duration(pick(v, rows)),
            ColumnData::Ip4(v) => ColumnData::Ip4(pick(v, rows)),
            ColumnData::Ip(v) => ColumnData::Ip(pick(v, rows)),
            ColumnData::Str(s) => ColumnData::Str(StrData { codes: pick(&s.codes, rows), dict: s.dict.clone() }),
        };
        let valid = self.valid.as_ref().map(|v| {
            let mut out = Bitmap::with_capacity(rows.len());
            for &r in rows {
                out.push(v.get(r as usize));
            }
            out
        });
        Column::new(data, valid)
    }

    /// Text of the value at `i` for messages and string conversion.
    pub fn text(&self, i: usize) -> Option<String> {
        self.get(i).to_text().map(Cow::into_owned)
    }
}

/// Format a value for a terminal table: times as `2020-07-26 22:55:00`, durations humanised.
pub fn display_value(v: &Value, out: &mut String) {
    match v {
        Value::Null => {}
        Value::Time(t) => time::write_table(out, *t),
        Value::Duration(d) => time::write_duration(out, *d),
        Value::Float(f) => {
            let r = (f * 100.0).round() / 100.0;
            out.push_str(&format_float(if f.abs() >= 0.01 || *f == 0.0 { r } else { *f }));
        }
        other => {
            if let Some(t) = other.to_text() {
                out.push_str(&t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gathering_many_rows_on_all_cores_keeps_their_order() {
        let n = 200_000usize;
        let mut valid = Bitmap::with_capacity(n);
        (0..n).for_each(|i| valid.push(i % 5 != 0));
        let c = Column::new(ColumnData::Int((0..n as i64).map(|i| i * 3).collect()), Some(valid));
        let rows: Vec<u32> = (0..n as u32).rev().step_by(2).collect();
        let g = c.gather(&rows);
        assert_eq!(g.len(), rows.len());
        for (k, &r) in rows.iter().enumerate() {
            assert_eq!(g.get(k), c.get(r as usize), "row {r}");
        }
    }

    #[test]
    fn builder_widens_and_falls_back_to_text() {
        let mut b = ColumnBuilder::new(4);
        b.push(Value::Null);
        b.push(Value::Int(1));
        b.push(Value::Float(2.5));
        let c = b.finish();
        assert_eq!(c.dtype(), DataType::Float);
        assert_eq!(c.get(0), Value::Null);
        assert_eq!(c.get(1), Value::Float(1.0));

        let mut b = ColumnBuilder::new(4);
        b.push(Value::Int(22));
        b.push(Value::str("SSH"));
        b.push(Value::Null);
        let c = b.finish();
        assert_eq!(c.dtype(), DataType::Str);
        assert_eq!(c.get(0), Value::str("22"));
        assert_eq!(c.get(1), Value::str("SSH"));
        assert_eq!(c.get(2), Value::Null);
    }

    #[test]
    fn gather_keeps_nulls_and_dict() {
        let mut b = ColumnBuilder::new(3);
        for v in [Value::str("a"), Value::Null, Value::str("b")] {
            b.push(v);
        }
        let c = b.finish().gather(&[2, 1, 0]);
        assert_eq!(c.get(0), Value::str("b"));
        assert_eq!(c.get(1), Value::Null);
        assert_eq!(c.get(2), Value::str("a"));
    }

    #[test]
    fn ranks_sort_case_insensitively() {
        let d = Dict::new(vec!["b".into(), "A".into(), "a".into()]);
        assert_eq!(d.sort_ranks(), vec![2, 0, 1]);
    }
}
