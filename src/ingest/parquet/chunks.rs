//! Reading one column chunk of a row group: whole, as values with nulls in place, or
//! not at all when the load only checks the column and its values are known good.

use parquet::column::reader::ColumnReader;
use parquet::data_type::ByteArray;
use parquet::file::reader::RowGroupReader;

use super::Source;
use crate::ingest::layout::Kind;
use crate::ingest::text;

/// One column chunk read whole: values with nulls in place, or nothing when the load
/// only checks the column and its dictionary showed every value good.
pub(super) enum Values {
    Int(Vec<Option<i64>>),
    Bytes(Vec<Option<ByteArray>>),
    Checked,
}

/// Whether a text column chunk the load only checks (it reads none of its values) holds
/// good values throughout, seen from its dictionary alone: every data page is dictionary
/// encoded and every dictionary entry reads as the field's kind. Then no row needs its
/// value: the addresses of AWS's files and of `-f parquet`'s repeat, and a million rows
/// hold a few thousand distinct ones. `false` sends the chunk down the row-by-row path
/// (plain pages, a bad entry: the rows that use it are skipped there, named).
fn checked_by_dictionary(rg: &dyn RowGroupReader, s: &Source) -> parquet::errors::Result<bool> {
    use parquet::basic::Encoding;
    use parquet::column::page::Page;
    if rg.metadata().column(s.leaf).column_type() != parquet::basic::Type::BYTE_ARRAY {
        return Ok(false);
    }
    let mut pages = rg.get_column_page_reader(s.leaf)?;
    let mut dictionary = false;
    while let Some(page) = pages.get_next_page()? {
        match page {
            Page::DictionaryPage {
                buf, num_values, encoding: Encoding::PLAIN | Encoding::PLAIN_DICTIONARY, ..
            } => {
                if !plain_byte_arrays(&buf, num_values as usize, |b| text::read(b, s.kind).is_ok()) {
                    return Ok(false);
                }
                dictionary = true;
            }
            Page::DataPage { encoding: Encoding::RLE_DICTIONARY | Encoding::PLAIN_DICTIONARY, .. }
            | Page::DataPageV2 { encoding: Encoding::RLE_DICTIONARY | Encoding::PLAIN_DICTIONARY, .. } => {}
            _ => return Ok(false),
        }
    }
    Ok(dictionary)
}

/// Whether `buf` holds `n` PLAIN-encoded byte arrays (a little-endian u32 length, then
/// the bytes), each passing `good`.
fn plain_byte_arrays(mut buf: &[u8], n: usize, mut good: impl FnMut(&[u8]) -> bool) -> bool {
    for _ in 0..n {
        let Some((len, rest)) = buf.split_first_chunk::<4>() else { return false };
        let len = u32::from_le_bytes(*len) as usize;
        let Some((value, rest)) = rest.split_at_checked(len) else { return false };
        if !good(value) {
            return false;
        }
        buf = rest;
    }
    true
}

/// A column chunk's values as stored (nulls left out), with the definition levels that
/// place them among the rows.
struct Stored {
    values: StoredValues,
    defs: Vec<i16>,
    max_def: i16,
}

enum StoredValues {
    Int(Vec<i64>),
    Bytes(Vec<ByteArray>),
}

fn read_stored(rg: &dyn RowGroupReader, leaf: usize, rows: usize) -> parquet::errors::Result<Stored> {
    let max_def = rg.metadata().column(leaf).column_descr().max_def_level();
    let mut defs = Vec::new();
    macro_rules! read {
        ($r:expr, $vals:expr) => {{
            let mut got = 0;
            while got < rows {
                let (records, _, _) = $r.read_records(rows - got, Some(&mut defs), None, &mut $vals)?;
                if records == 0 {
                    break;
                }
                got += records;
            }
        }};
    }
    let values = match rg.get_column_reader(leaf)? {
        ColumnReader::Int32ColumnReader(mut r) => {
            let mut v: Vec<i32> = Vec::with_capacity(rows);
            read!(r, v);
            StoredValues::Int(v.into_iter().map(i64::from).collect())
        }
        ColumnReader::Int64ColumnReader(mut r) => {
            let mut v: Vec<i64> = Vec::with_capacity(rows);
            read!(r, v);
            StoredValues::Int(v)
        }
        ColumnReader::ByteArrayColumnReader(mut r) => {
            let mut v: Vec<ByteArray> = Vec::with_capacity(rows);
            read!(r, v);
            StoredValues::Bytes(v)
        }
        _ => return Err(parquet::errors::ParquetError::General("its type is not an integer or text".into())),
    };
    Ok(Stored { values, defs, max_def })
}

impl Stored {
    /// The values spread over the rows: a definition level below the maximum is a null.
    fn spread(self, rows: usize) -> Values {
        fn spread<T>(vals: Vec<T>, defs: &[i16], max_def: i16, rows: usize) -> Vec<Option<T>> {
            if max_def == 0 {
                return vals.into_iter().map(Some).chain(std::iter::repeat_with(|| None)).take(rows).collect();
            }
            let mut it = vals.into_iter();
            defs.iter().map(|&d| if d == max_def { it.next() } else { None }).collect()
        }
        match self.values {
            StoredValues::Int(v) => Values::Int(spread(v, &self.defs, self.max_def, rows)),
            StoredValues::Bytes(v) => Values::Bytes(spread(v, &self.defs, self.max_def, rows)),
        }
    }
}

/// An integer of column `s` as the record field holds it (a time in milliseconds), or
/// what is wrong with it.
pub(super) fn int_value(s: &Source, v: i64) -> Result<i64, String> {
    match s.kind {
        Kind::Int { max, what } if !(0..=max).contains(&v) => Err(format!("{}: {v} is not {what}", s.name)),
        Kind::Int { .. } | Kind::Text => Ok(v),
        Kind::Time => {
            let ms = if s.scale > 0 { v.checked_mul(s.scale) } else { Some(v.div_euclid(-s.scale)) };
            ms.ok_or_else(|| format!("{}: {v} is past what a time holds", s.name))
        }
        Kind::Ip => Err(format!("{}: {v} is not an IP address", s.name)),
    }
}

/// Read the chunk of column `s`; one the load only checks is [`Values::Checked`] when
/// all its values are good (its dictionary says so, or its integers pass at once).
pub(super) fn read_column(
    rg: &dyn RowGroupReader,
    s: &Source,
    only_checked: bool,
    rows: usize,
) -> parquet::errors::Result<Values> {
    if only_checked && checked_by_dictionary(rg, s)? {
        return Ok(Values::Checked);
    }
    let stored = read_stored(rg, s.leaf, rows)?;
    if let (true, StoredValues::Int(v)) = (only_checked, &stored.values) {
        if v.iter().all(|&x| int_value(s, x).is_ok()) {
            return Ok(Values::Checked);
        }
    }
    Ok(stored.spread(rows))
}

/// A cell of a chunk, borrowed.
pub(super) enum Cell<'a> {
    Null,
    Int(i64),
    Bytes(&'a [u8]),
}

impl Values {
    pub(super) fn cell(&self, r: usize) -> Cell<'_> {
        match self {
            Values::Int(v) => v.get(r).copied().flatten().map_or(Cell::Null, Cell::Int),
            Values::Bytes(v) => v.get(r).and_then(Option::as_ref).map_or(Cell::Null, |b| Cell::Bytes(b.data())),
            Values::Checked => Cell::Null,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_byte_arrays_are_read_to_their_count_and_no_further() {
        let buf = [&3u32.to_le_bytes()[..], b"a.b", &0u32.to_le_bytes()[..], &9u32.to_le_bytes()[..], b"xy"].concat();
        let mut seen = Vec::new();
        assert!(plain_byte_arrays(&buf, 2, |b| {
            seen.push(b.to_vec());
            true
        }));
        assert_eq!(seen, [b"a.b".to_vec(), Vec::new()]);
        assert!(!plain_byte_arrays(&buf, 3, |_| true), "a length past the page's end");
        assert!(!plain_byte_arrays(&buf[..2], 1, |_| true), "a length cut short");
        assert!(!plain_byte_arrays(&buf, 1, |b| b != b"a.b"), "a bad value");
        assert!(plain_byte_arrays(&[], 0, |_| false));
    }
}
