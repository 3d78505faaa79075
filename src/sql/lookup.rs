//! `lookup` pushed down, two ways.
//!
//! - **CIDR blocks** (one address key matched against a column of blocks, one match):
//!   the blocks are uploaded and ClickHouse matches every address itself, with one
//!   equality join per prefix length, longest first, the first join that matches
//!   winning: the longest-prefix match of the local engine, on any ClickHouse version
//!   (no `ip_trie` dictionary, which 18.16 can only take from its configuration files).
//! - **Everything else** (exact values, number ranges, text, several keys or matches):
//!   ClickHouse gives the distinct key values at that stage, flowq matches each with its
//!   own lookup code and uploads the matches, which the statement joins (see
//!   [`LookupStep`]).

use std::sync::Arc;

use super::expr::{literal, Refusal, SqlCol};
use super::{model, quote, LookupStep, State};
use crate::lookup::index::KeyIndex;
use crate::lookup::table::ColumnKind;
use crate::plan::LookupOp;
use crate::store::{Column, ColumnData, DataType, Field, Table};

/// More prefix lengths than this in one table (a join each) and the matches are
/// uploaded instead.
const MAX_PREFIX_LENGTHS: usize = 32;

/// Number-range tables with more range ends than this are matched by flowq (each
/// number is compared with every end).
const MAX_BOUNDS: usize = 4096;

/// One selected column as the statement gives it.
struct Output {
    /// The table column and where its value goes (a new column, or one it replaces).
    tc: usize,
    target: Option<usize>,
    /// The uploaded column's ClickHouse type.
    ch_type: &'static str,
    col: SqlCol,
}

impl State<'_> {
    pub(super) fn lookup(&mut self, l: &LookupOp) -> Result<(), Refusal> {
        let keys: Vec<SqlCol> = l.keys.iter().map(|&(c, _)| self.visible_col(c).cloned()).collect::<Result<_, _>>()?;
        if let Some(k) = keys.iter().find(|k| !matches!(k.dtype, DataType::Str | DataType::Int | DataType::Ip)) {
            return Err(format!("lookup on a {} key", k.dtype.name()));
        }
        let outputs = self.lookup_outputs(l)?;
        let index = match (&keys[..], &l.keys[..]) {
            ([k], &[(_, tc)]) if l.max_matches == 1 => Some((k, l.table.kinds[tc], l.table.index(tc))),
            _ => None,
        };
        match index.as_ref().map(|(k, kind, i)| (k, kind, &**i)) {
            Some((k, ColumnKind::Cidr, KeyIndex::Blocks(by_prefix)))
                if k.dtype == DataType::Ip && by_prefix.len() <= MAX_PREFIX_LENGTHS =>
            {
                self.join_blocks(l, k, by_prefix, &outputs)?
            }
            Some((k, ColumnKind::Range, KeyIndex::Spans { bounds, best, .. }))
                if k.dtype == DataType::Int && bounds.len() <= MAX_BOUNDS =>
            {
                self.join_spans(l, k, bounds, best, &outputs)?
            }
            _ => self.join_matches(l, &keys, &outputs),
        }
        for o in outputs {
            match o.target {
                Some(t) => {
                    let pos = self.position_of_visible(t)?;
                    let old = std::mem::replace(&mut self.cols[pos], o.col);
                    self.cols.push(SqlCol { visible: false, ..old });
                }
                None => self.cols.push(o.col),
            }
        }
        Ok(())
    }

    /// The selected columns: their types as the local engine gives them (text for
    /// several matches, or a default that does not read as the column's type).
    fn lookup_outputs(&mut self, l: &LookupOp) -> Result<Vec<Output>, Refusal> {
        let mut out = Vec::new();
        for (tc, name, target) in &l.select {
            let mut t = if l.max_matches == 1 { l.table.output_type(*tc) } else { DataType::Str };
            if l.default.as_deref().is_some_and(|d| !crate::lookup::default_fits(d, t)) {
                t = DataType::Str;
            }
            let ch_type = match t {
                DataType::Str => "Nullable(String)",
                DataType::Int | DataType::Time | DataType::Duration => "Nullable(Int64)",
                DataType::Float => "Nullable(Float64)",
                DataType::Ip => "Nullable(FixedString(16))",
                DataType::Bool => "Nullable(UInt8)",
                DataType::Null => return Err("a lookup column with no values".into()),
            };
            let col = SqlCol { name: self.fresh(), display: name.clone(), dtype: t, visible: true };
            out.push(Output { tc: *tc, target: *target, ch_type, col });
        }
        Ok(out)
    }

    /// The table for the lookup's `step`-th upload.
    fn upload_table(&self) -> String {
        let step = self.lookups.len() + 1;
        model::table_ref(self.target.database.as_deref(), &format!("{}_{step}", self.target.scratch))
    }

    /// The columns the layer below gives that later layers may read.
    fn read_cols(&self) -> Vec<String> {
        self.cols.iter().filter(|c| !self.unread.contains(&c.name)).map(|c| quote::ident(&c.name)).collect()
    }

    /// Longest-prefix match in ClickHouse. The upload holds, per block, its prefix
    /// length, its network as two Int64 halves, and the selected values (the first row
    /// of the table for each block, as locally). Each address is cut into the same two
    /// halves once; then per prefix length, longest first, the masked halves are joined
    /// with that length's blocks; the first length that matched gives the values, no
    /// match the default, a null address the default.
    fn join_blocks(
        &mut self,
        l: &LookupOp,
        key: &SqlCol,
        by_prefix: &[(u32, crate::store::hash::FastMap<u128, Vec<u32>>)],
        outputs: &[Output],
    ) -> Result<(), Refusal> {
        let table = self.upload_table();
        let values: Vec<Arc<Column>> = outputs.iter().map(|o| crate::exec::lookup::selected_values(l, o.tc)).collect();
        let no_match = l.table.rows.len() as u32;
        // The upload: (prefix, high half, low half), then each selected value.
        let mut prefix = Vec::new();
        let (mut high, mut low) = (Vec::new(), Vec::new());
        let mut first_rows = Vec::new();
        for (p, nets) in by_prefix {
            let mut nets: Vec<(&u128, &Vec<u32>)> = nets.iter().collect();
            nets.sort_unstable();
            for (net, rows) in nets {
                prefix.push(*p as i64);
                high.push((net >> 64) as u64 as i64);
                low.push(*net as u64 as i64);
                first_rows.push(rows.first().copied().unwrap_or(no_match));
            }
        }
        let mut upload = Table::new(prefix.len());
        let mut columns = Vec::new();
        for (name, v) in [("prefix", prefix), ("high", high), ("low", low)] {
            upload.push(name, Column::new(ColumnData::Int(v), None));
            columns.push((name.to_string(), "Int64".to_string()));
        }
        add_values(&mut upload, &mut columns, outputs, &values, &first_rows);
        columns.insert(0, ("matched".into(), "UInt8".into()));

        // The address's halves and whether it is null, beside the columns read later.
        let mut carried = self.read_cols();
        let c = quote::ident(&key.name);
        let (is_null, hi, lo) = (self.fresh(), self.fresh(), self.fresh());
        let half = |from: usize| format!("reinterpretAsInt64(reverse(substring(assumeNotNull({c}), {from}, 8)))");
        self.from = format!(
            "SELECT {}, isNull({c}) AS {}, {} AS {}, {} AS {} FROM ({})",
            carried.join(", "),
            quote::ident(&is_null),
            half(1),
            quote::ident(&hi),
            half(9),
            quote::ident(&lo),
            self.from
        );
        carried.extend([&is_null, &hi, &lo].map(|a| quote::ident(a)));
        // Per prefix length: (matched flag, the values) of its join.
        let mut joins: Vec<(String, Vec<String>)> = Vec::new();
        for (p, _) in by_prefix {
            let mask = crate::store::ip::mask(*p);
            let (mask_hi, mask_lo) = ((mask >> 64) as u64 as i64, mask as u64 as i64);
            let (k_hi, k_lo, matched) = (quote::ident(&self.fresh()), quote::ident(&self.fresh()), self.fresh());
            let vals: Vec<String> = outputs.iter().map(|_| quote::ident(&self.fresh())).collect();
            let (a, b) = (quote::ident(&self.fresh()), quote::ident(&self.fresh()));
            let matched_q = quote::ident(&matched);
            let mut out_cols = carried.clone();
            out_cols.push(matched_q.clone());
            out_cols.extend(vals.iter().cloned());
            let mut right =
                vec![format!("high AS {k_hi}"), format!("low AS {k_lo}"), format!("matched AS {matched_q}")];
            right.extend(vals.iter().enumerate().map(|(i, v)| format!("v{i} AS {v}")));
            self.from = format!(
                "SELECT {} FROM (SELECT {}, bitAnd({}, toInt64({mask_hi})) AS {k_hi}, bitAnd({}, toInt64({mask_lo})) AS {k_lo} \
                 FROM ({})) AS {a} ANY LEFT JOIN (SELECT {} FROM {table} WHERE prefix = {p}) AS {b} USING ({k_hi}, {k_lo})",
                out_cols.join(", "),
                carried.join(", "),
                quote::ident(&hi),
                quote::ident(&lo),
                self.from,
                right.join(", "),
            );
            carried.push(quote::ident(&matched));
            carried.extend(vals.iter().cloned());
            joins.push((quote::ident(&matched), vals));
        }
        // The first join that matched gives the values.
        let left = self.read_cols();
        let mut picked = Vec::new();
        for (i, o) in outputs.iter().enumerate() {
            let default = literal(&values[i].get(no_match as usize))?.text;
            let mut branches = vec![format!("{} = 1", quote::ident(&is_null)), default.clone()];
            for (matched, vals) in &joins {
                branches.push(format!("{matched} = 1"));
                branches.push(vals[i].clone());
            }
            branches.push(default);
            picked.push(format!("multiIf({}) AS {}", branches.join(", "), quote::ident(&o.col.name)));
        }
        let mut out_cols = left;
        out_cols.extend(picked);
        self.from = format!("SELECT {} FROM ({})", out_cols.join(", "), self.from);
        let lengths: Vec<String> = by_prefix.iter().map(|(p, _)| format!("/{p}")).collect();
        let what = format!(
            "its {} CIDR blocks (prefix lengths {} in the 128-bit form, where an IPv4 /n is /96+n), which ClickHouse \
             matches each address with, longest prefix first",
            upload.len(),
            lengths.join(" ")
        );
        self.push_upload(l, key, table, upload, columns, what);
        Ok(())
    }

    /// Narrowest-range match in ClickHouse. flowq cuts the number line where any range
    /// starts or ends and knows the narrowest range over each piece (as the local engine
    /// does); the upload holds, per piece that has one, the piece's number and that
    /// range's values. The statement finds each number's piece by counting the cuts at
    /// or below it, and joins.
    fn join_spans(
        &mut self,
        l: &LookupOp,
        key: &SqlCol,
        bounds: &[i64],
        best: &[u32],
        outputs: &[Output],
    ) -> Result<(), Refusal> {
        let table = self.upload_table();
        let values: Vec<Arc<Column>> = outputs.iter().map(|o| crate::exec::lookup::selected_values(l, o.tc)).collect();
        let no_match = l.table.rows.len();
        let (pieces, rows): (Vec<i64>, Vec<u32>) =
            best.iter().enumerate().filter(|(_, &r)| r != u32::MAX).map(|(i, &r)| (i as i64 + 1, r)).unzip();
        let mut upload = Table::new(pieces.len());
        upload.push("piece", Column::new(ColumnData::Int(pieces), None));
        let mut columns = vec![("matched".to_string(), "UInt8".to_string()), ("piece".into(), "Int64".into())];
        add_values(&mut upload, &mut columns, outputs, &values, &rows);
        let carried = self.read_cols();
        let c = quote::ident(&key.name);
        let cuts: Vec<String> = bounds.iter().map(|b| format!("toInt64({b})")).collect();
        let (piece, matched) = (quote::ident(&self.fresh()), quote::ident(&self.fresh()));
        let vals: Vec<String> = outputs.iter().map(|_| quote::ident(&self.fresh())).collect();
        let mut right = vec![format!("piece AS {piece}"), format!("matched AS {matched}")];
        right.extend(vals.iter().enumerate().map(|(i, v)| format!("v{i} AS {v}")));
        let mut out_cols = carried.clone();
        for (i, o) in outputs.iter().enumerate() {
            let default = literal(&values[i].get(no_match))?.text;
            out_cols.push(format!("if({matched} = 1, {}, {default}) AS {}", vals[i], quote::ident(&o.col.name)));
        }
        let (a, b) = (quote::ident(&self.fresh()), quote::ident(&self.fresh()));
        // A null number is in piece 0, which the upload never holds.
        self.from = format!(
            "SELECT {} FROM (SELECT {}, toInt64(if(isNull({c}), 0, arrayCount(x -> x <= assumeNotNull({c}), [{}]))) AS {piece} \
             FROM ({})) AS {a} ANY LEFT JOIN (SELECT {} FROM {table}) AS {b} USING ({piece})",
            out_cols.join(", "),
            carried.join(", "),
            cuts.join(", "),
            self.from,
            right.join(", "),
        );
        let what = format!(
            "the narrowest range over each of its {} pieces of the number line (cut where a range starts or \
             ends), which ClickHouse finds each number's piece in",
            upload.len()
        );
        self.push_upload(l, key, table, upload, columns, what);
        Ok(())
    }

    /// An upload of prepared rows (no probe) that the statement joins.
    fn push_upload(&mut self, l: &LookupOp, key: &SqlCol, table: String, rows: Table, columns: Columns, what: String) {
        self.lookups.push(LookupStep {
            probe: None,
            upload: Some((rows, what)),
            keys: vec![Field::new(key.display.clone(), key.dtype)],
            op: l.clone(),
            table,
            columns,
        });
    }

    /// Joined with the matches of each distinct key combination, which flowq computes
    /// with its own lookup and uploads.
    fn join_matches(&mut self, l: &LookupOp, keys: &[SqlCol], outputs: &[Output]) {
        let probe_cols: Vec<String> = keys
            .iter()
            .map(|k| {
                let c = quote::ident(&k.name);
                if k.dtype == DataType::Ip {
                    format!("hex({c})")
                } else {
                    c
                }
            })
            .collect();
        let probe = format!("SELECT DISTINCT {} FROM ({})", probe_cols.join(", "), self.from);
        let mut columns = Vec::new();
        let mut join_keys = Vec::new();
        let mut key_exprs = Vec::new();
        for k in keys {
            let c = quote::ident(&k.name);
            let t = match k.dtype {
                DataType::Str => "String",
                DataType::Ip => "FixedString(16)",
                _ => "Int64",
            };
            for (e, ty) in [(format!("isNull({c})"), "UInt8"), (format!("assumeNotNull({c})"), t)] {
                let alias = self.fresh();
                key_exprs.push(format!("{e} AS {}", quote::ident(&alias)));
                join_keys.push(quote::ident(&alias));
                columns.push((alias, ty.to_string()));
            }
        }
        let matched = self.fresh();
        columns.push((matched.clone(), "UInt8".into()));
        let mut values = Vec::new();
        for o in outputs {
            let stored = self.fresh();
            columns.push((stored.clone(), o.ch_type.to_string()));
            values.push(format!(
                "if({} = 1, {}, NULL) AS {}",
                quote::ident(&matched),
                quote::ident(&stored),
                quote::ident(&o.col.name)
            ));
        }
        let table = self.upload_table();
        let left_cols = self.read_cols();
        let (a, b) = (quote::ident(&self.fresh()), quote::ident(&self.fresh()));
        self.from = format!(
            "SELECT {}, {} FROM (SELECT {}, {} FROM ({})) AS {a} ANY LEFT JOIN {table} AS {b} USING ({})",
            left_cols.join(", "),
            values.join(", "),
            left_cols.join(", "),
            key_exprs.join(", "),
            self.from,
            join_keys.join(", ")
        );
        let mut op = l.clone();
        op.keys = l.keys.iter().enumerate().map(|(i, &(_, tc))| (i, tc)).collect();
        op.select = outputs.iter().map(|o| (o.tc, o.col.display.clone(), None)).collect();
        self.lookups.push(LookupStep {
            probe: Some(probe),
            upload: None,
            keys: keys.iter().map(|k| Field::new(k.display.clone(), k.dtype)).collect(),
            op,
            table,
            columns,
        });
    }
}

/// An upload's columns: (name, ClickHouse type).
type Columns = Vec<(String, String)>;

/// The selected values of table rows `rows` as upload columns `v0`, `v1`, ...
fn add_values(upload: &mut Table, columns: &mut Columns, outputs: &[Output], values: &[Arc<Column>], rows: &[u32]) {
    for (i, (o, v)) in outputs.iter().zip(values).enumerate() {
        upload.push(format!("v{i}"), v.gather(rows));
        columns.push((format!("v{i}"), o.ch_type.to_string()));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn halves_of_an_address_are_its_big_endian_words() {
        // What the statement computes from the 16 bytes (reverse, then read as a
        // little-endian Int64), and what the upload holds.
        let a = crate::store::ip::parse("2001:db8::ff00:42:8329").unwrap();
        let bytes = a.to_be_bytes();
        let half = |from: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[from..from + 8]);
            b.reverse();
            i64::from_le_bytes(b)
        };
        assert_eq!(half(0), (a >> 64) as u64 as i64);
        assert_eq!(half(8), a as u64 as i64);
    }
}
