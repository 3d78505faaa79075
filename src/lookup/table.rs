//! A lookup table read from CSV: a header row, then rows of text. Each column is
//! classified once by what its values are (addresses, CIDR blocks, number ranges,
//! numbers or text), which decides how it matches and what type it gives.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::index::KeyIndex;
use crate::diag::Diagnostic;
use crate::store::ip::{self, Cidr};
use crate::store::{Column, ColumnBuilder, DataType, Value};

/// What a column's values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// IP addresses and CIDR blocks (at least one block): matched by containment.
    Cidr,
    /// Whole numbers and `low-high` ranges (at least one range): matched by containment.
    Range,
    /// IP addresses: matched by value.
    Ip,
    /// Numbers: matched by value (`22` matches `"22"` and `" 22 "`).
    Number,
    /// Anything else: matched ignoring case.
    Text,
}

/// One cell, parsed for its column's kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Block(Cidr),
    Span(i64, i64),
    Ip(u128),
    Number(f64),
    /// Lower case.
    Text(String),
}

/// A selected column made for a lookup: (column, default).
type MadeKey = (usize, Option<String>);

#[derive(Debug)]
pub struct LookupTable {
    pub name: String,
    /// Where it came from, for messages: a path, or "built-in".
    pub source: String,
    pub columns: Vec<String>,
    /// Cells as written (trimmed), row by row.
    pub rows: Vec<Vec<Box<str>>>,
    /// The line of each row in the source.
    pub lines: Vec<u64>,
    pub kinds: Vec<ColumnKind>,
    /// Per column, the cells parsed for its kind.
    pub cells: Vec<Vec<Cell>>,
    /// Per column, its key index, built the first time a query matches on it.
    indexes: Vec<OnceLock<Arc<KeyIndex>>>,
    columns_made: Mutex<HashMap<MadeKey, Arc<Column>>>,
    problems_found: Mutex<HashMap<Vec<usize>, Arc<Vec<String>>>>,
}

fn parse_range(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once('-')?;
    let (a, b) = (a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?);
    (a <= b).then_some((a, b))
}

fn classify(values: &[&str]) -> ColumnKind {
    let present: Vec<&str> = values.iter().copied().filter(|v| !v.is_empty()).collect();
    if present.is_empty() {
        return ColumnKind::Text;
    }
    let all = |f: &dyn Fn(&str) -> bool| present.iter().all(|v| f(v));
    let any = |f: &dyn Fn(&str) -> bool| present.iter().any(|v| f(v));
    if all(&|v| ip::parse(v).is_some()) {
        return ColumnKind::Ip;
    }
    if all(&|v| Cidr::parse(v).is_some()) && any(&|v| v.contains('/')) {
        return ColumnKind::Cidr;
    }
    if all(&|v| v.parse::<f64>().is_ok_and(f64::is_finite)) {
        return ColumnKind::Number;
    }
    if all(&|v| v.parse::<i64>().is_ok() || parse_range(v).is_some()) {
        return ColumnKind::Range;
    }
    ColumnKind::Text
}

fn parse_cell(kind: ColumnKind, v: &str) -> Cell {
    if v.is_empty() {
        return Cell::Empty;
    }
    let parsed = match kind {
        ColumnKind::Cidr => Cidr::parse(v).map(Cell::Block),
        ColumnKind::Range => {
            v.parse::<i64>().ok().map(|n| (n, n)).or_else(|| parse_range(v)).map(|(a, b)| Cell::Span(a, b))
        }
        ColumnKind::Ip => ip::parse(v).map(Cell::Ip),
        ColumnKind::Number => v.parse::<f64>().ok().map(Cell::Number),
        ColumnKind::Text => None,
    };
    parsed.unwrap_or_else(|| Cell::Text(v.to_lowercase()))
}

/// The most columns a lookup CSV may have (USER_GUIDE.md, Limits): tables of conditions
/// and names need a handful; a file of 300,000 is no lookup table.
pub const MAX_COLUMNS: usize = 1_024;

impl LookupTable {
    /// Read CSV text (`source` names it in messages). Quoted fields, a byte order mark,
    /// CRLF line ends and blank lines are handled; a row with the wrong number of fields
    /// is an error naming its line.
    pub fn from_csv(name: &str, source: &str, text: &[u8]) -> Result<LookupTable, Diagnostic> {
        let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
        let mut r = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text);
        let bad = |line: u64, what: String| Diagnostic::data(format!("lookup table '{name}': {source}:{line}: {what}"));
        let headers = r.headers().map_err(|e| bad(1, e.to_string()))?.clone();
        let columns: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
        if columns.iter().all(String::is_empty) {
            return Err(bad(1, "the first line must name the columns".into()));
        }
        if columns.len() > MAX_COLUMNS {
            return Err(bad(1, format!("{} columns; a lookup table has at most {MAX_COLUMNS}", columns.len()))
                .help("keep the columns the queries select and match on"));
        }
        for (i, c) in columns.iter().enumerate() {
            if c.is_empty() {
                return Err(bad(1, format!("column {} has no name", i + 1)));
            }
            if columns[..i].iter().any(|p| p.eq_ignore_ascii_case(c)) {
                return Err(bad(1, format!("column '{c}' is named twice")));
            }
        }
        let mut rows = Vec::new();
        let mut lines = Vec::new();
        // Line numbers from byte offsets: the csv crate's own count is off with CRLF, and
        // a record's offset is where the blank lines before it start.
        let mut counted = (0usize, 1u64);
        let mut line_at = |byte: u64| {
            let mut byte = (byte as usize).min(text.len());
            while byte < text.len() && matches!(text[byte], b'\n' | b'\r') {
                byte += 1;
            }
            if byte >= counted.0 {
                counted = (byte, counted.1 + memchr::memchr_iter(b'\n', &text[counted.0..byte]).count() as u64);
            }
            counted.1
        };
        for rec in r.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                let what = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("expected {expected_len} fields (as the header), found {len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                bad(line, what)
            })?;
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            lines.push(rec.position().map_or(0, |p| line_at(p.byte())));
            rows.push(rec.iter().map(|c| c.trim().into()).collect::<Vec<Box<str>>>());
        }
        Ok(Self::new(name, source, columns, rows, lines))
    }

    fn new(name: &str, source: &str, columns: Vec<String>, rows: Vec<Vec<Box<str>>>, lines: Vec<u64>) -> LookupTable {
        let mut kinds = Vec::new();
        let mut cells = Vec::new();
        for c in 0..columns.len() {
            let values: Vec<&str> = rows.iter().map(|r| &*r[c]).collect();
            let kind = classify(&values);
            cells.push(values.iter().map(|v| parse_cell(kind, v)).collect());
            kinds.push(kind);
        }
        let indexes = (0..columns.len()).map(|_| OnceLock::new()).collect();
        LookupTable {
            name: name.to_string(),
            source: source.to_string(),
            columns,
            rows,
            lines,
            kinds,
            cells,
            indexes,
            columns_made: Mutex::default(),
            problems_found: Mutex::default(),
        }
    }

    /// The column named `name`, case-insensitively.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.eq_ignore_ascii_case(name))
    }

    /// The type a selected column gives.
    pub fn output_type(&self, col: usize) -> DataType {
        match self.kinds[col] {
            ColumnKind::Ip => DataType::Ip,
            ColumnKind::Number
                if self.cells[col].iter().all(|c| match c {
                    Cell::Number(f) => f.fract() == 0.0 && f.abs() < 9e15,
                    _ => true,
                }) =>
            {
                DataType::Int
            }
            ColumnKind::Number => DataType::Float,
            _ => DataType::Str,
        }
    }

    /// A cell as a value of the column's output type (empty cells are null).
    pub fn value(&self, row: usize, col: usize) -> Value<'_> {
        let text = &*self.rows[row][col];
        if text.is_empty() {
            return Value::Null;
        }
        match (self.output_type(col), &self.cells[col][row]) {
            (DataType::Ip, Cell::Ip(a)) => Value::Ip(*a),
            (DataType::Int, Cell::Number(f)) => Value::Int(*f as i64),
            (DataType::Float, Cell::Number(f)) => Value::Float(*f),
            _ => Value::str(text),
        }
    }

    /// Column `col` as a typed column of every row, then one more row holding `extra`
    /// (the default of a lookup, written `default`, or null): row `rows.len()` is "no
    /// match". Made once per column and default.
    pub fn column_with(&self, col: usize, extra: Value, default: Option<&str>) -> Arc<Column> {
        let key = (col, default.map(str::to_string));
        let mut cache = self.columns_made.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(key)
            .or_insert_with(|| {
                let mut b = ColumnBuilder::new(self.rows.len() + 1);
                for r in 0..self.rows.len() {
                    b.push(self.value(r, col));
                }
                b.push(extra);
                Arc::new(b.finish())
            })
            .clone()
    }

    /// Warnings about the key columns `cols` (see [`super::index::problems`]), found once.
    pub fn problems(&self, cols: &[usize]) -> Arc<Vec<String>> {
        let mut cache = self.problems_found.lock().unwrap_or_else(|e| e.into_inner());
        cache.entry(cols.to_vec()).or_insert_with(|| Arc::new(super::index::problems(self, cols))).clone()
    }

    /// The index of column `col` for matching, built once.
    pub fn index(&self, col: usize) -> Arc<KeyIndex> {
        self.indexes[col].get_or_init(|| Arc::new(KeyIndex::build(self, col))).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_columns() {
        let t = LookupTable::from_csv(
            "t",
            "t.csv",
            b"\xef\xbb\xbfNet,Ports,Port,IP,Name\r\n10.0.0.0/8,8000-8100,22,10.0.0.5,App\r\n\r\n\"10.1.0.0/16\",443,443,10.0.0.6,\"Db, main\"\r\n",
        )
        .unwrap();
        assert_eq!(
            t.kinds,
            [ColumnKind::Cidr, ColumnKind::Range, ColumnKind::Number, ColumnKind::Ip, ColumnKind::Text]
        );
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.lines, [2, 4]);
        assert_eq!(&*t.rows[1][4], "Db, main");
        assert_eq!(t.output_type(2), DataType::Int);
    }

    #[test]
    fn malformed_csv_names_the_line() {
        let e = LookupTable::from_csv("t", "t.csv", b"A,B\n1,2\n3\n").unwrap_err();
        assert_eq!(e.message, "lookup table 't': t.csv:3: expected 2 fields (as the header), found 1");
        let e = LookupTable::from_csv("t", "t.csv", b"A,A\n1,2\n").unwrap_err();
        assert_eq!(e.message, "lookup table 't': t.csv:1: column 'A' is named twice");
        // 300,000 columns: refused at once (the name check is quadratic), not a hang.
        let wide: String = (0..300_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
        let e = LookupTable::from_csv("t", "t.csv", wide.as_bytes()).unwrap_err();
        assert_eq!(e.message, "lookup table 't': t.csv:1: 300000 columns; a lookup table has at most 1024");
        let most: String = (0..MAX_COLUMNS).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
        assert!(LookupTable::from_csv("t", "t.csv", most.as_bytes()).is_ok());
    }
}
