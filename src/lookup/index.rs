//! Finding the rows of a lookup table that match a value in one column: exact values
//! in a hash map; CIDR blocks in one hash map per prefix length, longest first; number
//! ranges painted onto the number line narrowest first, so the best range of any value
//! is one binary search. Every candidate list is ordered most specific first.

use std::collections::HashMap;

use super::table::{Cell, ColumnKind, LookupTable};
use crate::store::hash::FastMap;
use crate::store::ip::{self, mask};
use crate::store::Value;

#[derive(Debug)]
pub enum KeyIndex {
    Exact {
        numbers: FastMap<u64, Vec<u32>>,
        ips: FastMap<u128, Vec<u32>>,
        texts: HashMap<String, Vec<u32>>,
    },
    /// (prefix length, network → rows), longest prefix first.
    Blocks(Vec<(u32, FastMap<u128, Vec<u32>>)>),
    Spans {
        /// (low, high, row), narrowest first.
        spans: Vec<(i64, i64, u32)>,
        /// The number line cut where any span starts or ends: `best[i]` is the narrowest
        /// span holding `[bounds[i], bounds[i + 1])`, or `u32::MAX`.
        bounds: Vec<i64>,
        best: Vec<u32>,
    },
}

/// Warnings about the key columns `cols` of a lookup: key combinations that repeat (the
/// first is used), and ranges that overlap without one holding the other.
pub fn problems(t: &LookupTable, cols: &[usize]) -> Vec<String> {
    let line = |r: usize| t.lines.get(r).copied().unwrap_or(0);
    let mut out = Vec::new();
    let mut seen: HashMap<Vec<CellKey>, usize> = HashMap::new();
    for r in 0..t.rows.len() {
        if cols.iter().any(|&c| matches!(t.cells[c][r], Cell::Empty)) {
            continue;
        }
        let key: Vec<CellKey> = cols.iter().map(|&c| CellKey::of(&t.cells[c][r])).collect();
        if let Some(&first) = seen.get(&key) {
            let shown = cols.iter().map(|&c| &*t.rows[r][c]).collect::<Vec<_>>().join(", ");
            out.push(format!("'{shown}' is on lines {} and {}; line {} is used", line(first), line(r), line(first)));
        } else {
            seen.insert(key, r);
        }
    }
    for &col in cols {
        out.extend(overlaps(t, col));
    }
    out
}

/// Ranges of column `col` that overlap without one holding the other.
fn overlaps(t: &LookupTable, col: usize) -> Vec<String> {
    let cells = &t.cells[col];
    let line = |r: usize| t.lines.get(r).copied().unwrap_or(0);
    let mut out = Vec::new();
    if t.kinds[col] == ColumnKind::Range {
        let mut spans: Vec<(i64, i64, usize)> = cells
            .iter()
            .enumerate()
            .filter_map(|(r, c)| match c {
                Cell::Span(a, b) => Some((*a, *b, r)),
                _ => None,
            })
            .collect();
        spans.sort_unstable();
        // Compare each span with the ones starting inside it.
        for (i, &(lo, hi, r)) in spans.iter().enumerate() {
            if out.len() >= 1000 {
                break;
            }
            for &(lo2, hi2, r2) in spans[i + 1..].iter().take_while(|s| s.0 <= hi) {
                if lo2 > lo && hi2 > hi {
                    out.push(format!(
                        "ranges '{}' (line {}) and '{}' (line {}) overlap; a value in both takes the narrower",
                        t.rows[r][col],
                        line(r),
                        t.rows[r2][col],
                        line(r2)
                    ));
                }
            }
        }
    }
    out
}

/// A cell as a hashable key (for finding repeated keys).
#[derive(Hash, PartialEq, Eq)]
enum CellKey<'a> {
    Empty,
    Block(u128, u32),
    Span(i64, i64),
    Ip(u128),
    Number(u64),
    Text(&'a str),
}

impl<'a> CellKey<'a> {
    fn of(c: &'a Cell) -> Self {
        match c {
            Cell::Empty => CellKey::Empty,
            Cell::Block(b) => CellKey::Block(b.network, b.prefix),
            Cell::Span(a, b) => CellKey::Span(*a, *b),
            Cell::Ip(a) => CellKey::Ip(*a),
            Cell::Number(f) => CellKey::Number(number_key(*f)),
            Cell::Text(s) => CellKey::Text(s),
        }
    }
}

fn number_key(f: f64) -> u64 {
    if f == 0.0 {
        0
    } else {
        f.to_bits()
    }
}

/// A value as an address, if it is one.
pub fn value_ip(v: &Value) -> Option<u128> {
    match v {
        Value::Ip(a) => Some(*a),
        Value::Str(s) => ip::parse(s),
        _ => None,
    }
}

/// A value as a number, if it reads as one.
pub fn value_number(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) | Value::Duration(i) | Value::Time(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => s.trim().parse::<f64>().ok(),
        Value::Bool(b) => Some(*b as i64 as f64),
        _ => None,
    }
}

fn value_text(v: &Value) -> Option<String> {
    v.to_text().map(|t| t.trim().to_lowercase())
}

impl KeyIndex {
    pub fn build(t: &LookupTable, col: usize) -> KeyIndex {
        let cells = &t.cells[col];
        match t.kinds[col] {
            ColumnKind::Cidr => {
                let mut by_prefix: FastMap<u32, FastMap<u128, Vec<u32>>> = FastMap::default();
                for (r, c) in cells.iter().enumerate() {
                    if let Cell::Block(b) = c {
                        by_prefix.entry(b.prefix).or_default().entry(b.network).or_default().push(r as u32);
                    }
                }
                let mut v: Vec<_> = by_prefix.into_iter().collect();
                v.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
                KeyIndex::Blocks(v)
            }
            ColumnKind::Range => {
                let mut spans: Vec<(i64, i64, u32)> = cells
                    .iter()
                    .enumerate()
                    .filter_map(|(r, c)| match c {
                        Cell::Span(a, b) => Some((*a, *b, r as u32)),
                        _ => None,
                    })
                    .collect();
                spans.sort_by_key(|&(a, b, r)| ((b as i128 - a as i128), r));
                let mut bounds: Vec<i64> = spans.iter().flat_map(|&(a, b, _)| [a, b.saturating_add(1)]).collect();
                bounds.sort_unstable();
                bounds.dedup();
                let mut best = vec![u32::MAX; bounds.len()];
                // Narrowest first: a segment keeps the first span that paints it.
                let mut next_free: Vec<usize> = (0..=bounds.len()).collect();
                fn find(next: &mut [usize], i: usize) -> usize {
                    let mut root = i;
                    while next[root] != root {
                        root = next[root];
                    }
                    let mut j = i;
                    while next[j] != root {
                        let k = next[j];
                        next[j] = root;
                        j = k;
                    }
                    root
                }
                for &(a, b, r) in &spans {
                    let start = bounds.partition_point(|&x| x < a);
                    let end = bounds.partition_point(|&x| x <= b);
                    let mut i = find(&mut next_free, start);
                    while i < end {
                        best[i] = r;
                        next_free[i] = i + 1;
                        i = find(&mut next_free, i + 1);
                    }
                }
                KeyIndex::Spans { spans, bounds, best }
            }
            _ => {
                let mut numbers: FastMap<u64, Vec<u32>> = FastMap::default();
                let mut ips: FastMap<u128, Vec<u32>> = FastMap::default();
                let mut texts: HashMap<String, Vec<u32>> = HashMap::new();
                for (r, c) in cells.iter().enumerate() {
                    match c {
                        Cell::Number(f) => numbers.entry(number_key(*f)).or_default().push(r as u32),
                        Cell::Ip(a) => ips.entry(*a).or_default().push(r as u32),
                        Cell::Text(s) => texts.entry(s.clone()).or_default().push(r as u32),
                        // Blocks and spans only occur in their own kinds of column.
                        Cell::Block(_) | Cell::Span(..) | Cell::Empty => {}
                    }
                }
                KeyIndex::Exact { numbers, ips, texts }
            }
        }
    }

    /// The best (most specific) row matching `v`.
    pub fn best(&self, v: &Value) -> Option<u32> {
        match self {
            KeyIndex::Spans { bounds, best, .. } => {
                let x = value_number(v)?;
                if x.fract() != 0.0 {
                    return None;
                }
                let i = bounds.partition_point(|&b| b as f64 <= x).checked_sub(1)?;
                best.get(i).copied().filter(|&r| r != u32::MAX)
            }
            _ => {
                let mut out = Vec::new();
                self.candidates(v, &mut out);
                out.first().copied()
            }
        }
    }

    /// Every row matching `v`, most specific first (file order among equals).
    pub fn candidates(&self, v: &Value, out: &mut Vec<u32>) {
        match self {
            KeyIndex::Exact { numbers, ips, texts } => {
                let hit = match (value_ip(v), value_number(v)) {
                    (Some(a), _) if !ips.is_empty() => ips.get(&a),
                    (_, Some(f)) if !numbers.is_empty() => numbers.get(&number_key(f)),
                    _ => None,
                };
                let hit = hit.or_else(|| value_text(v).and_then(|t| texts.get(&t)));
                if let Some(rows) = hit {
                    out.extend_from_slice(rows);
                }
            }
            KeyIndex::Blocks(by_prefix) => {
                let Some(a) = value_ip(v) else { return };
                for (prefix, nets) in by_prefix {
                    if let Some(rows) = nets.get(&(a & mask(*prefix))) {
                        out.extend_from_slice(rows);
                    }
                }
            }
            KeyIndex::Spans { spans, .. } => {
                let Some(x) = value_number(v) else { return };
                out.extend(spans.iter().filter(|&&(a, b, _)| a as f64 <= x && x <= b as f64).map(|&(_, _, r)| r));
            }
        }
    }
}

/// Whether cell `c` of a key column matches `v` (the other keys of a multi-key lookup).
pub fn cell_matches(c: &Cell, v: &Value) -> bool {
    match c {
        Cell::Empty => false,
        Cell::Block(b) => value_ip(v).is_some_and(|a| b.contains(a)),
        Cell::Span(lo, hi) => value_number(v).is_some_and(|x| *lo as f64 <= x && x <= *hi as f64),
        Cell::Ip(a) => value_ip(v) == Some(*a),
        Cell::Number(f) => value_number(v).is_some_and(|x| x == *f),
        Cell::Text(s) => value_text(v).is_some_and(|t| t == *s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(csv: &str) -> LookupTable {
        LookupTable::from_csv("t", "t.csv", csv.as_bytes()).unwrap()
    }

    #[test]
    fn most_specific_block_and_range_win() {
        let t = table("Net,Name\n10.0.0.0/8,corp\n10.0.3.0/24,app\n10.0.3.7,host\n2001:db8::/32,v6\n");
        let i = t.index(0);
        assert_eq!(i.best(&Value::str("10.0.3.7")), Some(2));
        assert_eq!(i.best(&Value::str("10.0.3.8")), Some(1));
        assert_eq!(i.best(&Value::Ip(ip::parse("10.200.0.1").unwrap())), Some(0));
        assert_eq!(i.best(&Value::str("2001:db8::5")), Some(3));
        assert_eq!(i.best(&Value::str("11.0.0.1")), None);
        let mut all = Vec::new();
        i.candidates(&Value::str("10.0.3.7"), &mut all);
        assert_eq!(all, [2, 1, 0]);

        let t = table("Ports,Name\n0-65535,any\n8000-8100,web\n8080,proxy\n9000-9999,x\n");
        let i = t.index(0);
        assert_eq!(i.best(&Value::Int(8080)), Some(2));
        assert_eq!(i.best(&Value::Int(8081)), Some(1));
        assert_eq!(i.best(&Value::Int(22)), Some(0));
        assert_eq!(i.best(&Value::Int(70000)), None);
        assert_eq!(i.best(&Value::str(" 9000 ")), Some(3));
    }

    #[test]
    fn exact_keys_by_value_and_case() {
        let t = table("Port,Name\n22,ssh\n 443 ,https\n");
        let i = t.index(0);
        assert_eq!(i.best(&Value::Int(443)), Some(1));
        assert_eq!(i.best(&Value::str("22")), Some(0));
        let t = table("Name,X\nWeb,1\n");
        assert_eq!(t.index(0).best(&Value::str("web")), Some(0));
    }

    #[test]
    fn overlaps_and_repeats_are_reported() {
        let t = table("Ports,N\n8000-8100,a\n8050-8200,b\n22,c\n22,d\n1-65535,e\n");
        let p = problems(&t, &[0]);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p
            .iter()
            .any(|m| m
                == "ranges '8000-8100' (line 2) and '8050-8200' (line 3) overlap; a value in both takes the narrower"));
        assert!(p.iter().any(|m| m == "'22' is on lines 4 and 5; line 4 is used"));
    }
}
