//! Columns built from values whose type is learnt as they come.

use std::borrow::Cow;
use std::sync::Arc;

use super::bitmap::Bitmap;
use super::column::{Column, ColumnData, StrData};
use super::dict::DictBuilder;
use super::ip;
use super::value::{DataType, Value};

/// Builds a column from values whose type is learnt as they come: integers widen to
/// floats, and a column that meets mixed types becomes text.
pub struct ColumnBuilder {
    data: Building,
    valid: Bitmap,
}

enum Building {
    Unknown,
    Bool(Vec<bool>),
    Int(Vec<i64>),
    Float(Vec<f64>),
    Time(Vec<i64>),
    Duration(Vec<i64>),
    Ip(Vec<u128>),
    Str(Vec<u32>, DictBuilder),
}

impl ColumnBuilder {
    pub fn new(capacity: usize) -> Self {
        ColumnBuilder { data: Building::Unknown, valid: Bitmap::with_capacity(capacity) }
    }

    fn len(&self) -> usize {
        self.valid.len()
    }

    fn start(&mut self, t: DataType) {
        let n = self.len();
        self.data = match t {
            DataType::Bool => Building::Bool(vec![false; n]),
            DataType::Int | DataType::Null => Building::Int(vec![0; n]),
            DataType::Float => Building::Float(vec![0.0; n]),
            DataType::Time => Building::Time(vec![0; n]),
            DataType::Duration => Building::Duration(vec![0; n]),
            DataType::Ip => Building::Ip(vec![0; n]),
            DataType::Str => {
                let mut d = DictBuilder::default();
                let empty = d.intern("");
                Building::Str(vec![empty; n], d)
            }
        };
    }

    /// Turn what was built so far into text, so that any value can follow.
    fn become_text(&mut self) {
        let old = std::mem::replace(&mut self.data, Building::Unknown);
        let mut dict = DictBuilder::default();
        let n = self.len();
        let mut codes = Vec::with_capacity(n);
        let text = |i: usize, v: Value| -> String {
            if self.valid.get(i) {
                v.to_text().map(Cow::into_owned).unwrap_or_default()
            } else {
                String::new()
            }
        };
        for i in 0..n {
            let v = match &old {
                Building::Unknown => Value::Null,
                Building::Bool(v) => Value::Bool(v[i]),
                Building::Int(v) => Value::Int(v[i]),
                Building::Float(v) => Value::Float(v[i]),
                Building::Time(v) => Value::Time(v[i]),
                Building::Duration(v) => Value::Duration(v[i]),
                Building::Ip(v) => Value::Ip(v[i]),
                Building::Str(..) => Value::Null,
            };
            codes.push(dict.intern(&text(i, v)));
        }
        self.data = Building::Str(codes, dict);
    }

    pub fn push(&mut self, v: Value) {
        if v.is_null() {
            match &mut self.data {
                Building::Unknown => {}
                Building::Bool(x) => x.push(false),
                Building::Int(x) | Building::Time(x) | Building::Duration(x) => x.push(0),
                Building::Float(x) => x.push(0.0),
                Building::Ip(x) => x.push(0),
                Building::Str(c, d) => c.push(d.intern("")),
            }
            self.valid.push(false);
            return;
        }
        if matches!(self.data, Building::Unknown) {
            self.start(v.dtype());
        }
        match (&mut self.data, v) {
            (Building::Bool(x), Value::Bool(b)) => x.push(b),
            (Building::Int(x), Value::Int(i)) => x.push(i),
            (Building::Float(x), Value::Float(f)) => x.push(f),
            (Building::Float(x), Value::Int(i)) => x.push(i as f64),
            (Building::Time(x), Value::Time(t)) => x.push(t),
            (Building::Duration(x), Value::Duration(d)) => x.push(d),
            (Building::Ip(x), Value::Ip(a)) => x.push(a),
            (Building::Str(c, d), v) => {
                let t = v.to_text().unwrap_or_default();
                c.push(d.intern(&t));
            }
            (Building::Int(x), Value::Float(f)) => {
                let mut fl: Vec<f64> = x.iter().map(|&i| i as f64).collect();
                fl.push(f);
                self.data = Building::Float(fl);
            }
            (_, v) => {
                self.become_text();
                if let Building::Str(c, d) = &mut self.data {
                    let t = v.to_text().unwrap_or_default();
                    c.push(d.intern(&t));
                }
            }
        }
        self.valid.push(true);
    }

    /// [`ColumnBuilder::finish`], with nothing but nulls typed as `t`.
    pub fn finish_as(self, t: DataType) -> Column {
        match self.data {
            Building::Unknown => Column::nulls_of(t, self.valid.len()),
            _ => self.finish(),
        }
    }

    pub fn finish(self) -> Column {
        let n = self.valid.len();
        let data = match self.data {
            Building::Unknown => return Column::nulls(n),
            Building::Bool(v) => ColumnData::Bool(v),
            Building::Int(v) => ColumnData::Int(v),
            Building::Float(v) => ColumnData::Float(v),
            Building::Time(v) => ColumnData::Time(v),
            Building::Duration(v) => ColumnData::Duration(v),
            Building::Ip(v) => {
                if v.iter().all(|&a| ip::as_v4(a).is_some() || a == 0) {
                    ColumnData::Ip4(v.iter().map(|&a| a as u32).collect())
                } else {
                    ColumnData::Ip(v)
                }
            }
            Building::Str(codes, d) => ColumnData::Str(StrData { codes, dict: Arc::new(d.finish()) }),
        };
        Column::new(data, Some(self.valid))
    }
}

impl Column {
    /// A text column of `values` (None is null).
    pub fn texts(values: impl IntoIterator<Item = Option<String>>) -> Column {
        let values = values.into_iter();
        let mut b = ColumnBuilder::new(values.size_hint().0);
        for v in values {
            b.push(v.map_or(Value::Null, |s| Value::Str(s.into())));
        }
        b.finish_as(DataType::Str)
    }
}
