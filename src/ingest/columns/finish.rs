//! The record table from the load's columns: nulls into bitmaps, dictionaries in
//! order, derived fields made (see `schema::DERIVED`).

use std::sync::Arc;

use super::sink::{store_of, Store};
use super::{Columns, Runs};
use crate::schema::{self, protocols, Col, Derivation, FLOW_FIELDS};
use crate::store::hash::FastMap;
use crate::store::{ip, Bitmap, Column, ColumnData, DataType, Dict, DictBuilder, StrData, Table};

impl Columns {
    /// The record table, columns in [`schema::FLOW_FIELDS`] order.
    pub fn finish(self) -> Table {
        let n = self.len;
        let Columns { mask, bufs, sources, inputs, .. } = self;
        let mut cols: Vec<Option<Column>> = (0..FLOW_FIELDS.len()).map(|_| None).collect();
        let mut protocol: Option<(Vec<i64>, Option<Bitmap>)> = None;
        for (i, mut buf) in bufs.into_iter().enumerate() {
            let Some(c) = Col::from_index(i).filter(|&c| mask.contains(c)) else { continue };
            if schema::derivation(c).is_some() {
                continue;
            }
            if buf.nulls.first() == Some(&(0, n)) || n == 0 {
                // Never present (a field the inputs' formats lack): no storage at all.
                continue;
            }
            let valid = validity(&buf.nulls, n);
            // Null rows were never written: give them a defined value.
            for &(start, len) in &buf.nulls {
                let end = (start + len).min(n);
                if !buf.ints.is_empty() {
                    buf.ints[start.min(end)..end].fill(0);
                }
                if !buf.codes.is_empty() {
                    buf.codes[start.min(end)..end].fill(0);
                }
            }
            let data = match (store_of(c), FLOW_FIELDS[i].dtype) {
                (Store::Int, dtype) => {
                    buf.ints.truncate(n);
                    if c == Col::Protocol {
                        protocol = Some((buf.ints.clone(), valid.clone()));
                    }
                    if dtype == DataType::Time {
                        ColumnData::Time(buf.ints)
                    } else {
                        ColumnData::Int(buf.ints)
                    }
                }
                (Store::Ip, _) => {
                    buf.codes.truncate(n);
                    if buf.wide.is_empty() {
                        ColumnData::Ip4(buf.codes)
                    } else {
                        let mut w: Vec<u128> = buf.codes.into_iter().map(ip::from_v4).collect();
                        for &(r, a) in &buf.wide {
                            w[r] = a;
                        }
                        ColumnData::Ip(w)
                    }
                }
                (Store::Str, _) => {
                    buf.codes.truncate(n);
                    let shared = Arc::try_unwrap(buf.dict).unwrap_or_else(|a| (*a).clone());
                    let dict = into_dict(shared, &mut buf.codes);
                    ColumnData::Str(StrData { codes: buf.codes, dict: Arc::new(dict) })
                }
            };
            cols[i] = Some(Column::new(data, valid));
        }
        for &(c, how, _) in schema::DERIVED {
            cols[c as usize] = match how {
                Derivation::ProtocolName if mask.contains(c) => {
                    protocol.take().map(|(codes, valid)| protocol_names(&codes, valid.as_ref()))
                }
                Derivation::ProtocolName => None,
                // Always there: it costs nothing for a load from one source.
                Derivation::LogSource => Some(log_sources(&sources, n)),
                Derivation::UploadName if mask.contains(c) => Some(upload_names(&inputs, n)),
                Derivation::UploadName => None,
                Derivation::Entity if mask.contains(c) => entities(&cols, n),
                Derivation::EntityType if mask.contains(c) => entity_types(&cols, n),
                Derivation::Entity | Derivation::EntityType => None,
            };
        }
        let mut t = Table::new(n);
        for (i, c) in cols.into_iter().enumerate() {
            let f = &FLOW_FIELDS[i];
            // A field not read, or never present: nulls of its type, never allocated.
            t.push(f.name, c.unwrap_or_else(|| Column::nulls_of(f.dtype, n)));
        }
        t
    }
}

/// The load-wide code of string `b` in a column.
pub(super) fn global_code(dict: &mut FastMap<Box<[u8]>, u32>, b: Box<[u8]>) -> u32 {
    let next = dict.len() as u32;
    *dict.entry(b).or_insert(next)
}

/// A column's dictionary from its strings and codes. Bytes that are not UTF-8 are
/// shown with replacement characters; values that then read the same are merged
/// (their codes in `codes` rewritten).
pub(super) fn into_dict(dict: FastMap<Box<[u8]>, u32>, codes: &mut [u32]) -> Dict {
    let mut values: Vec<(u32, Box<[u8]>)> = dict.into_iter().map(|(b, c)| (c, b)).collect();
    values.sort_unstable_by_key(|e| e.0);
    if values.iter().all(|(_, b)| std::str::from_utf8(b).is_ok()) {
        let strs: Vec<Box<str>> =
            values.into_iter().map(|(_, b)| String::from_utf8(b.into_vec()).unwrap_or_default().into()).collect();
        return Dict::new(if strs.is_empty() { vec!["".into()] } else { strs });
    }
    let mut d = DictBuilder::default();
    let remap: Vec<u32> = values.iter().map(|(_, b)| d.intern(&String::from_utf8_lossy(b))).collect();
    for c in codes.iter_mut() {
        *c = remap.get(*c as usize).copied().unwrap_or(0);
    }
    d.finish()
}

/// A validity bitmap from null runs, or `None` when nothing is null.
pub(super) fn validity(nulls: &Runs, n: usize) -> Option<Bitmap> {
    if nulls.is_empty() {
        return None;
    }
    let mut b = Bitmap::filled(n, true);
    for &(start, len) in nulls {
        for r in start..(start + len).min(n) {
            b.set(r, false);
        }
    }
    Some(b)
}

/// Protocol Name: the protocol number is the code into a dictionary of all 256
/// keywords, so the column costs one pass and no per-record strings.
pub(super) fn protocol_names(codes: &[i64], valid: Option<&Bitmap>) -> Column {
    let names: Vec<Box<str>> = (0..256).map(|p| protocols::protocol_name(p).unwrap_or("").into()).collect();
    let known: Vec<bool> = (0..256).map(|p| protocols::protocol_name(p).is_some()).collect();
    let mut name_valid = Bitmap::with_capacity(codes.len());
    let name_codes: Vec<u32> = codes
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let ok = valid.is_none_or(|v| v.get(i)) && known.get(p as usize).copied().unwrap_or(false);
            name_valid.push(ok);
            if ok {
                p as u32
            } else {
                0
            }
        })
        .collect();
    Column::new(ColumnData::Str(StrData { codes: name_codes, dict: Arc::new(Dict::new(names)) }), Some(name_valid))
}

/// Log Source from the runs of rows each format produced.
pub(super) fn log_sources(runs: &[(usize, u32)], n: usize) -> Column {
    // The first run's source is code 0: the codes start as zero pages, so a load from
    // one source (the usual case) writes none of them.
    let first = runs.first().map_or(0, |r| r.1);
    let order: Vec<u32> =
        std::iter::once(first).chain((0..schema::LogSource::ALL.len() as u32).filter(|&s| s != first)).collect();
    let dict = Arc::new(Dict::new(order.iter().map(|&s| schema::LogSource::ALL[s as usize].name().into()).collect()));
    let code_of = |s: u32| order.iter().position(|&o| o == s).unwrap_or(0) as u32;
    let mut codes = vec![0u32; n];
    for (k, &(start, s)) in runs.iter().enumerate() {
        let end = runs.get(k + 1).map_or(n, |r| r.0).min(n);
        let code = code_of(s);
        if code != 0 {
            codes[start.min(n)..end].fill(code);
        }
    }
    Column::new(ColumnData::Str(StrData { codes, dict }), None)
}

/// The Upload Name column: each input's name over its rows.
fn upload_names(inputs: &[(usize, String)], n: usize) -> Column {
    if inputs.is_empty() {
        return Column::nulls_of(DataType::Str, n);
    }
    let mut dict = DictBuilder::default();
    let mut codes = vec![0u32; n];
    for (k, (start, name)) in inputs.iter().enumerate() {
        let end = inputs.get(k + 1).map_or(n, |next| next.0).min(n);
        let code = dict.intern(name);
        codes[(*start).min(end)..end].fill(code);
    }
    Column::new(ColumnData::Str(StrData { codes, dict: Arc::new(dict.finish()) }), None)
}

/// The interface columns of the load that hold a value, with the Entity Type each gives
/// (`schema::ENTITY_SOURCES` order).
fn entity_sources(cols: &[Option<Column>]) -> Vec<(&Column, &'static str)> {
    schema::ENTITY_SOURCES
        .iter()
        .filter_map(|&(c, kind)| cols[c as usize].as_ref().filter(|col| !col.is_all_null()).map(|col| (col, kind)))
        .collect()
}

/// The first of `sources` with a value at row `r`.
fn first_present(sources: &[(&Column, &'static str)], r: usize) -> Option<usize> {
    sources.iter().position(|(col, _)| col.is_valid(r))
}

/// Entity: the interface field the record has. A load from one cloud (the usual case)
/// shares that column's dictionary and copies only its codes.
fn entities(cols: &[Option<Column>], n: usize) -> Option<Column> {
    let sources = entity_sources(cols);
    if let [(only, _)] = sources[..] {
        return Some(only.clone());
    }
    if sources.is_empty() {
        return None;
    }
    let mut dict = DictBuilder::default();
    let mut valid = Bitmap::with_capacity(n);
    let codes = (0..n)
        .map(|r| {
            let at = first_present(&sources, r);
            valid.push(at.is_some());
            at.and_then(|k| sources[k].0.text(r)).map_or(0, |v| dict.intern(&v))
        })
        .collect();
    Some(Column::new(ColumnData::Str(StrData { codes, dict: Arc::new(dict.finish()) }), Some(valid)))
}

/// Entity Type: which interface field gave the row's Entity.
fn entity_types(cols: &[Option<Column>], n: usize) -> Option<Column> {
    let sources = entity_sources(cols);
    if sources.is_empty() {
        return None;
    }
    let dict = Dict::new(sources.iter().map(|(_, kind)| (*kind).into()).collect());
    let mut valid = Bitmap::with_capacity(n);
    let codes = (0..n)
        .map(|r| {
            let at = first_present(&sources, r);
            valid.push(at.is_some());
            at.map_or(0, |k| k as u32)
        })
        .collect();
    Some(Column::new(ColumnData::Str(StrData { codes, dict: Arc::new(dict) }), Some(valid)))
}
