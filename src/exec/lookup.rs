//! Running `lookup`: each row's key values are matched once per distinct combination
//! (rows repeat their keys: ten million flows have a few thousand addresses), and the
//! selected table columns are gathered by the matched table row.

use crate::lookup::index::{cell_matches, KeyIndex};
use crate::plan::LookupOp;
use crate::store::hash::FastMap;
use crate::store::{Column, ColumnBuilder, ColumnData, DataType, Table, Value};

use super::Frame;

/// A key value as a hashable code: (kind, bits); nulls are kind 0.
fn code(col: &Column, r: usize) -> (u8, u128) {
    if !col.is_valid(r) {
        return (0, 0);
    }
    match &col.data {
        ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => (1, v[r] as u64 as u128),
        ColumnData::Ip4(v) => (2, crate::store::ip::from_v4(v[r])),
        ColumnData::Ip(v) => (2, v[r]),
        ColumnData::Str(s) => (3, s.codes[r] as u128),
        ColumnData::Float(v) => (4, v[r].to_bits() as u128),
        ColumnData::Bool(v) => (5, v[r] as u128),
    }
}

/// The table rows matching the key values of frame row `r`, most specific first.
fn matches(op: &LookupOp, indexes: &[std::sync::Arc<KeyIndex>], t: &Table, r: usize) -> Vec<u32> {
    let vals: Vec<Value> = op.keys.iter().map(|&(fc, _)| t.get(fc, r)).collect();
    if vals.iter().any(Value::is_null) {
        return Vec::new();
    }
    if op.keys.len() == 1 && op.max_matches == 1 {
        return indexes[0].best(&vals[0]).into_iter().collect();
    }
    let mut cands = Vec::new();
    indexes[0].candidates(&vals[0], &mut cands);
    cands.retain(|&row| {
        op.keys[1..].iter().zip(&vals[1..]).all(|(&(_, tc), v)| cell_matches(&op.table.cells[tc][row as usize], v))
    });
    cands.truncate(op.max_matches);
    cands
}

/// Per frame row of `rows`, the id of its key combination in `results` (matched once per
/// combination by `remember`).
fn combination_ids(key_cols: &[&Column], rows: &[u32], mut remember: impl FnMut(usize) -> u32) -> Vec<u32> {
    let mut ids = Vec::with_capacity(rows.len());
    let mut null = u32::MAX;
    match (key_cols, key_cols.first().map(|c| &c.data)) {
        // One text key: one slot per dictionary entry.
        ([c], Some(ColumnData::Str(s))) => {
            let mut slot = vec![u32::MAX; s.dict.len()];
            for &r in rows {
                let r = r as usize;
                let id = if c.is_valid(r) { &mut slot[s.codes[r] as usize] } else { &mut null };
                if *id == u32::MAX {
                    *id = remember(r);
                }
                ids.push(*id);
            }
        }
        // One IPv4 key (addresses): a map keyed by the address itself.
        ([c], Some(ColumnData::Ip4(v))) => {
            let mut memo: FastMap<u32, u32> = FastMap::default();
            for &r in rows {
                let r = r as usize;
                let id = if c.is_valid(r) {
                    *memo.entry(v[r]).or_insert_with(|| remember(r))
                } else {
                    if null == u32::MAX {
                        null = remember(r);
                    }
                    null
                };
                ids.push(id);
            }
        }
        ([c], _) => {
            let mut memo: FastMap<(u8, u128), u32> = FastMap::default();
            for &r in rows {
                ids.push(*memo.entry(code(c, r as usize)).or_insert_with(|| remember(r as usize)));
            }
        }
        _ => {
            let mut memo: FastMap<Vec<(u8, u128)>, u32> = FastMap::default();
            let mut key = Vec::with_capacity(key_cols.len());
            for &r in rows {
                key.clear();
                key.extend(key_cols.iter().map(|c| code(c, r as usize)));
                let id = match memo.get(&key) {
                    Some(&id) => id,
                    None => {
                        let id = remember(r as usize);
                        memo.insert(key.clone(), id);
                        id
                    }
                };
                ids.push(id);
            }
        }
    }
    ids
}

pub fn lookup(op: &LookupOp, mut f: Frame) -> Frame {
    f.compact();
    let t = &f.table;
    let n = t.len();
    let indexes: Vec<_> = op.keys.iter().map(|&(_, tc)| op.table.index(tc)).collect();
    let key_cols: Vec<&Column> = op.keys.iter().map(|&(fc, _)| t.column(fc)).collect();
    let none = op.table.rows.len() as u32;
    let mut new_cols = Vec::new();
    if op.max_matches == 1 {
        // The best table row of each frame row (`none` for no match), on all cores:
        // each core matches the combinations it meets.
        let mut best = vec![none; n];
        crate::parallel::per_core(&f.rows, &mut best, |rows, out| {
            let mut found: Vec<u32> = Vec::new();
            let ids = combination_ids(&key_cols, rows, |r| {
                found.push(matches(op, &indexes, t, r).first().copied().unwrap_or(none));
                found.len() as u32 - 1
            });
            for (o, id) in out.iter_mut().zip(ids) {
                *o = found[id as usize];
            }
        });
        for (tc, name, target) in &op.select {
            new_cols.push((name.clone(), *target, selected_values(op, *tc).gather(&best)));
        }
    } else {
        let mut results: Vec<Vec<u32>> = Vec::new();
        let ids = combination_ids(&key_cols, &f.rows, |r| {
            results.push(matches(op, &indexes, t, r));
            results.len() as u32 - 1
        });
        let default = || op.default.as_ref().map_or(Value::Null, |d| Value::Str(d.clone().into()));
        for (tc, name, target) in &op.select {
            let joined: Vec<Option<String>> = results
                .iter()
                .map(|rows| {
                    let vals: Vec<&str> =
                        rows.iter().map(|&r| &*op.table.rows[r as usize][*tc]).filter(|v| !v.is_empty()).collect();
                    (!vals.is_empty()).then(|| vals.join(", "))
                })
                .collect();
            let mut b = ColumnBuilder::new(n);
            for &id in &ids {
                b.push(joined[id as usize].as_ref().map_or_else(default, |s| Value::Str(s.clone().into())));
            }
            let c = b.finish();
            let c = if c.dtype() == DataType::Str { c } else { Column::nulls_of(DataType::Str, n) };
            new_cols.push((name.clone(), *target, c));
        }
    }
    for (name, target, col) in new_cols {
        match target {
            Some(i) => f.table.replace(i, col),
            None => f.table.push(name, col),
        }
    }
    f
}

/// The values table column `tc` gives a single-match lookup: one per table row, then
/// the "no match" row holding the default (or null).
pub(crate) fn selected_values(op: &LookupOp, tc: usize) -> std::sync::Arc<Column> {
    let extra = match op.default.as_ref() {
        None => Value::Null,
        Some(d) => typed_default(d, op.table.output_type(tc)),
    };
    op.table.column_with(tc, extra, op.default.as_deref())
}

/// The default as a value of the selected column's type when it reads as one.
fn typed_default(d: &str, t: DataType) -> Value<'static> {
    let parsed = match t {
        DataType::Int => d.trim().parse::<i64>().ok().map(Value::Int),
        DataType::Float => d.trim().parse::<f64>().ok().map(Value::Float),
        DataType::Ip => crate::store::ip::parse(d).map(Value::Ip),
        _ => None,
    };
    parsed.unwrap_or_else(|| Value::Str(d.to_string().into()))
}

/// `searchlookup`: the table's rows as the frame.
pub fn searchlookup(table: &crate::lookup::LookupTable) -> Frame {
    let mut out = Table::new(table.rows.len());
    for c in 0..table.columns.len() {
        let mut b = ColumnBuilder::new(table.rows.len());
        for r in 0..table.rows.len() {
            b.push(table.value(r, c));
        }
        let col = b.finish();
        let col = if col.len() == table.rows.len() && col.dtype() == table.output_type(c) {
            col
        } else {
            Column::nulls_of(table.output_type(c), table.rows.len())
        };
        out.push(table.columns[c].clone(), col);
    }
    let n = out.len() as u32;
    Frame { table: out, rows: (0..n).collect(), natural_order: false, members: None }
}
