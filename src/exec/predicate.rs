//! Fast filters: a condition that reads only one dictionary-encoded text column (such
//! as `Action = reject` or `Status in (NODATA, SKIPDATA)`) is evaluated once per distinct
//! value, and each row then costs a table lookup instead of a string comparison.

use std::sync::Arc;

use crate::plan::CExpr;
use crate::store::{Column, ColumnData, StrData, Table};

/// The one column `e` reads, if it reads exactly one (and not the record text).
fn single_column(e: &CExpr) -> Option<usize> {
    let mut cols = Vec::new();
    e.columns(&mut cols);
    let first = *cols.first()?;
    cols.iter().all(|&c| c == first).then_some(first)
}

/// A row test by dictionary lookup, when `cond` allows one on `t`.
pub struct DictPredicate<'a> {
    codes: &'a [u32],
    valid: Option<&'a crate::store::Bitmap>,
    /// Per dictionary code.
    truth: Vec<bool>,
    if_null: bool,
}

impl DictPredicate<'_> {
    #[inline]
    pub fn test(&self, row: usize) -> bool {
        if self.valid.is_some_and(|v| !v.get(row)) {
            return self.if_null;
        }
        self.truth[self.codes[row] as usize]
    }
}

/// Build the lookup for `cond` over `t`, if `cond` reads one text column only.
pub fn dict_predicate<'a>(cond: &CExpr, t: &'a Table) -> Option<DictPredicate<'a>> {
    let c = single_column(cond)?;
    let col = t.column(c);
    let ColumnData::Str(s) = &col.data else { return None };
    if s.dict.len() > s.codes.len() / 4 + 16 {
        return None; // nearly unique values: a lookup table would not pay
    }
    // A table whose column `c` holds each dictionary value once, then a null.
    let k = s.dict.len();
    let mut valid = crate::store::Bitmap::filled(k + 1, true);
    valid.set(k, false);
    let values = Column::new(
        ColumnData::Str(StrData { codes: (0..k as u32).chain([0]).collect(), dict: s.dict.clone() }),
        Some(valid),
    );
    let mut probe = t.clone();
    probe.columns[c] = Arc::new(values);
    let truth: Vec<bool> = (0..k).map(|i| cond.eval(&probe, i).is_true()).collect();
    let if_null = cond.eval(&probe, k).is_true();
    Some(DictPredicate { codes: &s.codes, valid: col.valid.as_ref(), truth, if_null })
}
