//! Grouping rows by key columns (`stats ... by`, `link`). Each row's key is packed into
//! one u64 or u128 where the columns' value ranges allow (an IPv4 and a port fit in 48
//! bits), so hashing and comparing keys is integer work. The packing preserves order,
//! so sorting the packed keys sorts the groups by their key fields.

use std::hash::Hash;

use crate::store::hash::FastMap;
use crate::store::{Bitmap, Column, ColumnData};

/// Rows assigned to groups: member `k` is row `rows[k]` of the input, in group
/// `gid[k]`. Groups are numbered in output order (by key, nulls last).
#[derive(Clone, Debug, Default)]
pub struct Groups {
    pub rows: Vec<u32>,
    pub gid: Vec<u32>,
    /// The number of groups.
    pub n: usize,
    /// The first member row of each group.
    pub first: Vec<u32>,
    /// When members come in runs that each hold a contiguous range of groups (key
    /// ranges of partitioned grouping): the start of each run in members and in groups,
    /// with a final entry `(members, n)`. Per-group work can then run on all cores.
    pub segments: Vec<(usize, usize)>,
}

impl Groups {
    /// One group holding `rows` (also when there are none: `stats count` of nothing is 0).
    pub fn single(rows: Vec<u32>) -> Groups {
        let first = rows.first().copied().into_iter().collect();
        Groups { gid: vec![0; rows.len()], rows, n: 1, first, segments: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Fold the members into per-group accumulators on all cores: each core folds a
    /// share of the members into its own `n` slots (`fold(slots, k, group)`), then the
    /// shares are merged slot by slot. Sequential when the groups are many (per-core
    /// slots would cost more memory than they save time) or the members few.
    pub fn par_fold<A: Clone + Send + Sync>(
        &self,
        init: A,
        fold: impl Fn(&mut [A], usize, usize) + Sync,
        merge: impl Fn(&mut A, &A),
    ) -> Vec<A> {
        let threads = crate::parallel::threads();
        let m = self.gid.len();
        if threads > 1 && self.n > 1 << 16 && self.segments.len() > 2 {
            return self.fold_segments(init, &fold, threads);
        }
        if threads == 1 || m < 1 << 18 || self.n > 1 << 16 {
            let mut slots = vec![init; self.n];
            for (k, &g) in self.gid.iter().enumerate() {
                fold(&mut slots, k, g as usize);
            }
            return slots;
        }
        let share = m.div_ceil(threads);
        let parts: Vec<Vec<A>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..m)
                .step_by(share)
                .map(|start| {
                    let (fold, init, gid) = (&fold, init.clone(), &self.gid);
                    s.spawn(move || {
                        let mut slots = vec![init; self.n];
                        let end = (start + share).min(m);
                        for (k, &g) in gid.iter().enumerate().take(end).skip(start) {
                            fold(&mut slots, k, g as usize);
                        }
                        slots
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        let mut it = parts.into_iter();
        let mut out = it.next().unwrap_or_default();
        for p in it {
            for (a, b) in out.iter_mut().zip(&p) {
                merge(a, b);
            }
        }
        out
    }

    /// Many groups in segments: each core folds whole segments into their own
    /// (disjoint) ranges of the slots.
    fn fold_segments<A: Clone + Send + Sync>(
        &self,
        init: A,
        fold: &(impl Fn(&mut [A], usize, usize) + Sync),
        threads: usize,
    ) -> Vec<A> {
        let mut slots = vec![init; self.n];
        // Cut the slots at segment boundaries; deal the segments out to the cores.
        // Per core: (first member, end member, first group, that range of slots).
        type Piece<'s, A> = (usize, usize, usize, &'s mut [A]);
        let mut pieces: Vec<Vec<Piece<A>>> = (0..threads).map(|_| Vec::new()).collect();
        let members: Vec<usize> = self.segments.windows(2).map(|w| w[1].0 - w[0].0).collect();
        let owner = balance(&members, threads);
        let mut rest: &mut [A] = &mut slots;
        for (s, w) in self.segments.windows(2).enumerate() {
            let ((k0, g0), (k1, g1)) = (w[0], w[1]);
            let (head, tail) = std::mem::take(&mut rest).split_at_mut(g1 - g0);
            pieces[owner[s]].push((k0, k1, g0, head));
            rest = tail;
        }
        std::thread::scope(|sc| {
            for mine in pieces {
                let gid = &self.gid;
                sc.spawn(move || {
                    for (k0, k1, g0, part) in mine {
                        for (k, &g) in gid.iter().enumerate().take(k1).skip(k0) {
                            fold(part, k, g as usize - g0);
                        }
                    }
                });
            }
        });
        slots
    }

    /// Members per group.
    pub fn counts(&self) -> Vec<i64> {
        self.par_fold(0i64, |slots, _, g| slots[g] += 1, |a, b| *a += b)
    }

    /// The groups `sel`, in that order, renumbered 0.. .
    pub fn select(&self, sel: &[u32]) -> Groups {
        let mut new_id = vec![u32::MAX; self.n];
        for (i, &g) in sel.iter().enumerate() {
            new_id[g as usize] = i as u32;
        }
        let mut rows = Vec::new();
        let mut gid = Vec::new();
        for (&r, &g) in self.rows.iter().zip(&self.gid) {
            let id = new_id[g as usize];
            if id != u32::MAX {
                rows.push(r);
                gid.push(id);
            }
        }
        let first = sel.iter().map(|&g| self.first[g as usize]).collect();
        Groups { rows, gid, n: sel.len(), first, segments: Vec::new() }
    }
}

/// One key column, as order-preserving integer codes. Null gets the code after the
/// largest value, so nulls sort last.
struct KeyCodes<'a> {
    data: Codes<'a>,
    valid: Option<&'a Bitmap>,
    null_code: u128,
    bits: u32,
}

enum Codes<'a> {
    Int(&'a [i64], i64),
    /// Times put in buckets of a fixed span: (value - start of first bucket) / span.
    Bucket(&'a [i64], i64, FastDiv),
    Ip4(&'a [u32], u32),
    Ip(&'a [u128], u128),
    Str(&'a [u32], Vec<u32>),
    Bool(&'a [bool]),
    Float(&'a [f64]),
}

fn float_code(f: f64) -> u128 {
    let b = f.to_bits();
    (if b >> 63 == 1 { !b } else { b | (1 << 63) }) as u128
}

fn bits_for(max_code: u128) -> u32 {
    (128 - max_code.leading_zeros()).max(1)
}

/// Smallest and largest valid value of `v` at `rows` (`None` when there are none), on
/// all cores.
fn bounds<T: Copy + Ord + Send + Sync>(v: &[T], valid: Option<&Bitmap>, rows: &[u32]) -> Option<(T, T)> {
    let parts = crate::parallel::per_share(rows, |_, part| {
        part.iter()
            .map(|&r| r as usize)
            .filter(|&r| valid.is_none_or(|b| b.get(r)))
            .fold(None, |acc: Option<(T, T)>, r| {
                Some(acc.map_or((v[r], v[r]), |(lo, hi)| (lo.min(v[r]), hi.max(v[r]))))
            })
    });
    parts.into_iter().flatten().reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
}

/// Division by a fixed positive divisor without a divide instruction per value: a
/// multiply by the reciprocal, then a one-step correction (exact).
#[derive(Clone, Copy, Debug)]
pub struct FastDiv {
    d: u64,
    m: u64,
}

impl FastDiv {
    pub fn new(d: u64) -> Self {
        let d = d.max(1);
        FastDiv { d, m: u64::MAX / d }
    }

    #[inline(always)]
    pub fn quotient(self, x: u64) -> u64 {
        // m = floor((2^64 - 1) / d) underestimates x / d by less than 2: one step
        // corrects it.
        let q = ((x as u128 * self.m as u128) >> 64) as u64;
        if (q + 1).saturating_mul(self.d) <= x {
            q + 1
        } else {
            q
        }
    }
}

/// A grouping key: a column, and for times a fixed span to bucket them by.
#[derive(Clone, Copy)]
pub struct Key<'a> {
    pub col: &'a Column,
    /// Milliseconds: group by the span-aligned bucket (epoch-aligned) of each time.
    pub bucket: Option<i64>,
}

impl<'a> Key<'a> {
    pub fn plain(col: &'a Column) -> Self {
        Key { col, bucket: None }
    }
}

impl<'a> KeyCodes<'a> {
    fn new(key: Key<'a>, rows: &[u32]) -> Self {
        let col = key.col;
        let valid = col.valid.as_ref();
        let (data, max_code) = match (&col.data, key.bucket) {
            (ColumnData::Time(v), Some(w)) if w > 0 => {
                let (lo, hi) =
                    bounds(v, valid, rows).map_or((0, 0), |(lo, hi)| (lo.div_euclid(w) * w, hi.div_euclid(w) * w));
                (Codes::Bucket(v, lo, FastDiv::new(w as u64)), ((hi - lo) / w) as u128)
            }
            _ => Self::plain(col, rows),
        };
        let null_code = max_code.saturating_add(1);
        KeyCodes { data, valid, null_code, bits: bits_for(null_code) }
    }

    fn plain(col: &'a Column, rows: &[u32]) -> (Codes<'a>, u128) {
        let valid = col.valid.as_ref();
        match &col.data {
            ColumnData::Int(v) | ColumnData::Time(v) | ColumnData::Duration(v) => {
                let (lo, hi) = bounds(v, valid, rows).unwrap_or((0, 0));
                (Codes::Int(v, lo), (hi as i128 - lo as i128) as u128)
            }
            ColumnData::Ip4(v) => {
                let (lo, hi) = bounds(v, valid, rows).unwrap_or((0, 0));
                (Codes::Ip4(v, lo), (hi - lo) as u128)
            }
            ColumnData::Ip(v) => {
                let (lo, hi) = bounds(v, valid, rows).unwrap_or((0, 0));
                (Codes::Ip(v, lo), hi - lo)
            }
            ColumnData::Str(s) => {
                let ranks = s.dict.sort_ranks();
                let n = ranks.len() as u128;
                (Codes::Str(&s.codes, ranks), n.saturating_sub(1))
            }
            ColumnData::Bool(v) => (Codes::Bool(v), 1),
            ColumnData::Float(v) => (Codes::Float(v), u64::MAX as u128),
        }
    }

    /// Append this column's code of row `rows[i]` to `keys[i]`, for every `i`.
    fn shift_in<K: Packed>(&self, rows: &[u32], keys: &mut [K]) {
        fn each<K: Packed>(rows: &[u32], keys: &mut [K], bits: u32, code: impl Fn(usize) -> u128) {
            for (k, &r) in keys.iter_mut().zip(rows) {
                *k = k.shift_in(bits, code(r as usize));
            }
        }
        let bits = self.bits;
        match (&self.data, self.valid) {
            (Codes::Int(v, lo), None) => each(rows, keys, bits, |r| (v[r] as i128 - *lo as i128) as u128),
            (Codes::Bucket(v, lo, div), None) => each(rows, keys, bits, |r| div.quotient((v[r] - lo) as u64) as u128),
            (Codes::Ip4(v, lo), None) => each(rows, keys, bits, |r| (v[r] - lo) as u128),
            _ => each(rows, keys, bits, |r| self.code(r)),
        }
    }

    #[inline(always)]
    fn code(&self, r: usize) -> u128 {
        if self.valid.is_some_and(|v| !v.get(r)) {
            return self.null_code;
        }
        match &self.data {
            Codes::Int(v, lo) => (v[r] as i128 - *lo as i128) as u128,
            Codes::Bucket(v, lo, div) => div.quotient((v[r] - lo) as u64) as u128,
            Codes::Ip4(v, lo) => (v[r] - lo) as u128,
            Codes::Ip(v, lo) => v[r] - lo,
            Codes::Str(c, ranks) => ranks[c[r] as usize] as u128,
            Codes::Bool(v) => v[r] as u128,
            Codes::Float(v) => float_code(v[r]),
        }
    }
}

/// Key spaces up to this many bits are grouped through a direct table, not a hash.
const DIRECT_BITS: u32 = 20;

/// Group `rows` by the values of `keys`: groups ordered by key (nulls last).
pub fn group_by(keys: &[Key], rows: Vec<u32>) -> Groups {
    let codes: Vec<KeyCodes> = keys.iter().map(|&k| KeyCodes::new(k, &rows)).collect();
    let total: u32 = codes.iter().map(|c| c.bits).sum();
    let pack64 = |r: usize| {
        let mut k = 0u64;
        for c in &codes {
            k = (k << c.bits) | c.code(r) as u64;
        }
        k
    };
    let small = total <= DIRECT_BITS && (1usize << total) <= 4 * rows.len() + 4096;
    // One key (time buckets, ports, addresses, actions): a key function made for its
    // kind, with no per-row dispatch.
    if let [c] = &codes[..] {
        if total <= 64 {
            let (valid, null) = (c.valid, c.null_code as u64);
            macro_rules! by {
                ($code:expr) => {{
                    let code = $code;
                    let key = |r: usize| if valid.is_some_and(|v| !v.get(r)) { null } else { code(r) };
                    let fill =
                        |rs: &[u32], ks: &mut [u64]| ks.iter_mut().zip(rs).for_each(|(k, &r)| *k = key(r as usize));
                    return if small { direct(rows, total, key) } else { large(&rows, total, key, fill) };
                }};
            }
            match &c.data {
                Codes::Bucket(v, lo, div) => by!(|r: usize| div.quotient((v[r] - lo) as u64)),
                Codes::Int(v, lo) => by!(|r: usize| (v[r] as i128 - *lo as i128) as u64),
                Codes::Ip4(v, lo) => by!(|r: usize| (v[r] - lo) as u64),
                Codes::Str(c, ranks) => by!(|r: usize| ranks[c[r] as usize] as u64),
                _ => {}
            }
        }
    }
    if small {
        direct(rows, total, pack64)
    } else if total <= 64 {
        large_packed::<u64>(&codes, rows, total)
    } else if total <= 128 {
        large_packed::<u128>(&codes, rows, total)
    } else {
        hashed(&rows, |r| codes.iter().map(|c| c.code(r)).collect::<Vec<u128>>())
    }
}

/// Small key spaces: the packed key indexes a table; walking the table in key order
/// numbers the groups in output order directly. Both passes run on all cores.
fn direct(rows: Vec<u32>, bits: u32, key: impl Fn(usize) -> u64 + Sync) -> Groups {
    let size = 1usize << bits;
    let mut gid = vec![0u32; rows.len()];
    // Per core: the first row of each key in its share (shares are in row order, so the
    // earliest share that has a key holds the key's first row).
    let firsts: Vec<Vec<u32>> = crate::parallel::per_core(&rows, &mut gid, |rs, ks| {
        let mut first = vec![u32::MAX; size];
        for (&r, k) in rs.iter().zip(ks) {
            let v = key(r as usize) as u32;
            *k = v;
            let f = &mut first[v as usize];
            if *f == u32::MAX {
                *f = r;
            }
        }
        first
    });
    let mut slot_of = vec![u32::MAX; size];
    let mut first = Vec::new();
    for (slot, id) in slot_of.iter_mut().enumerate() {
        if let Some(r) = firsts.iter().map(|t| t[slot]).find(|&r| r != u32::MAX) {
            *id = first.len() as u32;
            first.push(r);
        }
    }
    let n = first.len();
    // Every key present (the usual case for time buckets): the keys are the group ids.
    if n < size {
        crate::parallel::per_core_mut(&mut gid, |ks| ks.iter_mut().for_each(|k| *k = slot_of[*k as usize]));
    }
    Groups { rows, gid, n, first, segments: Vec::new() }
}

fn hashed<K: Hash + Eq + Ord + Clone>(rows: &[u32], key: impl Fn(usize) -> K) -> Groups {
    let mut index: FastMap<K, u32> = FastMap::default();
    let mut keys: Vec<K> = Vec::new();
    let mut gid: Vec<u32> = Vec::with_capacity(rows.len());
    for &r in rows {
        let k = key(r as usize);
        let next = keys.len() as u32;
        let id = *index.entry(k).or_insert_with_key(|k| {
            keys.push(k.clone());
            next
        });
        gid.push(id);
    }
    drop(index);
    let mut order: Vec<u32> = (0..keys.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
    let mut rank = vec![0u32; keys.len()];
    for (pos, &g) in order.iter().enumerate() {
        rank[g as usize] = pos as u32;
    }
    for g in &mut gid {
        *g = rank[*g as usize];
    }
    finish(rows.to_vec(), gid, keys.len())
}

/// Several key columns: per-row keys for small inputs and few groups; for many groups,
/// keys are computed a block of rows at a time, column by column (one tight loop per
/// column, no per-row dispatch).
fn large_packed<K: Packed>(codes: &[KeyCodes], rows: Vec<u32>, bits: u32) -> Groups {
    let key = |r: usize| codes.iter().fold(K::default(), |k, c| k.shift_in(c.bits, c.code(r)));
    let fill = |rs: &[u32], ks: &mut [K]| {
        ks.fill(K::default());
        codes.iter().for_each(|c| c.shift_in(rs, ks));
    };
    large(&rows, bits, key, fill)
}

/// Key spaces too large for a direct table. Few distinct keys (judged on a sample):
/// each core hashes its share of the rows into a small table, and the tables are
/// merged. Many: rows are split into key ranges grouped in parallel. `key(r)` is row
/// `r`'s packed key; `fill(rows, keys)` puts the keys of `rows` in `keys`.
fn large<K: Packed>(
    rows: &[u32],
    bits: u32,
    key: impl Fn(usize) -> K + Sync,
    fill: impl Fn(&[u32], &mut [K]) + Sync,
) -> Groups {
    if rows.len() < PARTITIONED_ROWS {
        return hashed(rows, key);
    }
    let sample = &rows[..SAMPLE.min(rows.len())];
    let distinct: crate::store::hash::FastSet<K> = sample.iter().map(|&r| key(r as usize)).collect();
    if distinct.len() <= sample.len() / 8 {
        merged(rows, key)
    } else if std::mem::size_of::<K>() == 16 && bits <= 96 + PARTITION_BITS {
        // 128-bit keys whose bits below a range's top bits leave room for a position:
        // one 16-byte integer per row instead of a 32-byte (key, position) pair.
        let shift = range_shift(bits);
        let low = (1u128 << shift) - 1;
        partitioned(rows, bits, fill, |k: K, pos| ((k.wide() & low) << 32) | pos as u128)
    } else {
        partitioned(rows, bits, fill, |k: K, pos| (k, pos))
    }
}

const SAMPLE: usize = 1 << 16;

/// Few groups: per-core hash tables over contiguous shares of the rows, merged.
fn merged<K: Packed>(rows: &[u32], key: impl Fn(usize) -> K + Sync) -> Groups {
    let threads = crate::parallel::threads();
    let share = rows.len().div_ceil(threads);
    let locals: Vec<(Vec<K>, Vec<u32>)> = std::thread::scope(|s| {
        let handles: Vec<_> = rows
            .chunks(share)
            .map(|part| {
                let key = &key;
                s.spawn(move || {
                    let mut index: FastMap<K, u32> = FastMap::default();
                    let mut keys = Vec::new();
                    let gid: Vec<u32> = part
                        .iter()
                        .map(|&r| {
                            let k = key(r as usize);
                            let next = keys.len() as u32;
                            *index.entry(k).or_insert_with(|| {
                                keys.push(k);
                                next
                            })
                        })
                        .collect();
                    (keys, gid)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    let mut all: Vec<K> = locals.iter().flat_map(|(k, _)| k.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    let mut gid = Vec::with_capacity(rows.len());
    for (keys, local) in &locals {
        // A local group's final number is its key's rank among all keys.
        let to_global: Vec<u32> = keys.iter().map(|k| all.binary_search(k).unwrap_or(0) as u32).collect();
        gid.extend(local.iter().map(|&g| to_global[g as usize]));
    }
    finish(rows.to_vec(), gid, all.len())
}

/// From this many rows on, grouping is split into key ranges grouped in parallel.
const PARTITIONED_ROWS: usize = 1 << 18;
/// Key ranges for partitioned grouping.
const PARTITION_BITS: u32 = 10;
/// Rows whose keys are computed together (column by column) before they are scattered.
const KEY_BLOCK: usize = 4096;

/// A packed key: an integer whose top bits say which key range it falls in.
trait Packed: Copy + Default + Hash + Eq + Ord + Send + Sync {
    fn top(self, shift: u32) -> usize;
    /// The key with `bits` more bits at the bottom holding `code`.
    fn shift_in(self, bits: u32, code: u128) -> Self;
    fn wide(self) -> u128;
}

impl Packed for u64 {
    fn top(self, shift: u32) -> usize {
        (self >> shift) as usize
    }
    #[inline(always)]
    fn shift_in(self, bits: u32, code: u128) -> Self {
        (self << bits) | code as u64
    }
    #[inline(always)]
    fn wide(self) -> u128 {
        self as u128
    }
}

impl Packed for u128 {
    fn top(self, shift: u32) -> usize {
        (self >> shift) as usize
    }
    #[inline(always)]
    fn shift_in(self, bits: u32, code: u128) -> Self {
        (self << bits) | code
    }
    #[inline(always)]
    fn wide(self) -> u128 {
        self
    }
}

/// What a key range sorts: a row's key (or the part of it below the range's top bits)
/// and its position, ordered by key, then position.
trait Entry: Copy + Ord + Default + Send + Sync {
    fn pos(self) -> u32;
    fn same_key(self, other: Self) -> bool;
}

impl<K: Packed> Entry for (K, u32) {
    #[inline(always)]
    fn pos(self) -> u32 {
        self.1
    }
    #[inline(always)]
    fn same_key(self, other: Self) -> bool {
        self.0 == other.0
    }
}

/// The key's bits below its range's top bits, then the position in the low 32 bits.
impl Entry for u128 {
    #[inline(always)]
    fn pos(self) -> u32 {
        self as u32
    }
    #[inline(always)]
    fn same_key(self, other: Self) -> bool {
        self >> 32 == other >> 32
    }
}

/// How far a key of `bits` bits is shifted down to leave its range number.
fn range_shift(bits: u32) -> u32 {
    bits.saturating_sub(PARTITION_BITS)
}

/// Large inputs: rows are split by the top bits of their packed key into key ranges
/// (each core computes the keys of its share of the rows a block at a time and scatters
/// (key, position) by range); each range is then sorted by (key, position) on its own,
/// in parallel and small enough to stay in cache. The ranges, in order, give the groups
/// in key order, each group's members contiguous and in input order.
fn partitioned<K: Packed, E: Entry>(
    rows: &[u32],
    bits: u32,
    fill: impl Fn(&[u32], &mut [K]) + Sync,
    entry: impl Fn(K, u32) -> E + Sync,
) -> Groups {
    let shift = range_shift(bits);
    let parts = 1usize << (bits - shift);
    let threads = crate::parallel::threads();
    // Per core: (key, position in `rows`) of its share laid out by key range, and where
    // each range starts.
    type Laid<E> = (Vec<E>, Vec<usize>);
    let scattered: Vec<Laid<E>> = crate::parallel::per_share(rows, |from, share| {
        let mut keys = vec![K::default(); share.len()];
        for (rs, ks) in share.chunks(KEY_BLOCK).zip(keys.chunks_mut(KEY_BLOCK)) {
            fill(rs, ks);
        }
        let mut starts = vec![0usize; parts + 1];
        for k in &keys {
            starts[k.top(shift) + 1] += 1;
        }
        for p in 0..parts {
            starts[p + 1] += starts[p];
        }
        let mut at = starts.clone();
        let mut laid = vec![E::default(); share.len()];
        for (i, k) in keys.into_iter().enumerate() {
            let p = k.top(shift);
            laid[at[p]] = entry(k, (from + i) as u32);
            at[p] += 1;
        }
        (laid, starts)
    });
    let sizes: Vec<usize> = (0..parts).map(|p| scattered.iter().map(|(_, st)| st[p + 1] - st[p]).sum()).collect();
    // Cut the output into one slice per range; deal the ranges out to the cores.
    let mut out_rows = vec![0u32; rows.len()];
    let mut out_gid = vec![0u32; rows.len()];
    type Piece<'s> = (usize, &'s mut [u32], &'s mut [u32]);
    let mut pieces: Vec<Vec<Piece>> = (0..threads).map(|_| Vec::new()).collect();
    let owner = balance(&sizes, threads);
    let (mut rest_rows, mut rest_gid): (&mut [u32], &mut [u32]) = (&mut out_rows, &mut out_gid);
    for p in 0..parts {
        let n = sizes[p];
        let (r, rr) = std::mem::take(&mut rest_rows).split_at_mut(n);
        let (g, gg) = std::mem::take(&mut rest_gid).split_at_mut(n);
        (rest_rows, rest_gid) = (rr, gg);
        if n > 0 {
            pieces[owner[p]].push((p, r, g));
        }
    }
    // Per range: (range, first member row of each of its groups), local group ids in out_gid.
    let firsts: Vec<Vec<(usize, Vec<u32>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = pieces
            .into_iter()
            .map(|mine| {
                let scattered = &scattered;
                s.spawn(move || {
                    let mut pairs: Vec<E> = Vec::new();
                    let mut done = Vec::with_capacity(mine.len());
                    for (p, out_r, out_g) in mine {
                        pairs.clear();
                        for (laid, st) in scattered {
                            pairs.extend_from_slice(&laid[st[p]..st[p + 1]]);
                        }
                        pairs.sort_unstable();
                        let mut first = Vec::new();
                        let mut prev: Option<E> = None;
                        for (&e, (r, g)) in pairs.iter().zip(out_r.iter_mut().zip(out_g.iter_mut())) {
                            *r = rows[e.pos() as usize];
                            if prev.is_none_or(|p| !p.same_key(e)) {
                                first.push(*r);
                            }
                            prev = Some(e);
                            *g = first.len() as u32 - 1;
                        }
                        done.push((p, first));
                    }
                    done
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    drop(scattered);
    let mut by_part: Vec<Vec<u32>> = vec![Vec::new(); parts];
    for (p, first) in firsts.into_iter().flatten() {
        by_part[p] = first;
    }
    // Number the groups across ranges: each range's ids follow the previous ranges'.
    let mut first = Vec::new();
    let mut segments = vec![(0usize, 0usize)];
    let mut at = 0usize;
    for (f, &n) in by_part.iter().zip(&sizes) {
        if n == 0 {
            continue;
        }
        let base = first.len() as u32;
        if base > 0 {
            out_gid[at..at + n].iter_mut().for_each(|g| *g += base);
        }
        first.extend_from_slice(f);
        at += n;
        segments.push((at, first.len()));
    }
    Groups { n: first.len(), rows: out_rows, gid: out_gid, first, segments }
}

/// Which of `threads` cores takes each job, given the jobs' sizes: the largest jobs
/// first, each to the core with the least so far. (Key ranges are far from even: real
/// addresses crowd into a few prefixes, and dealing ranges out in turn once left one
/// core with five sixths of the rows.)
fn balance(sizes: &[usize], threads: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_unstable_by_key(|&p| std::cmp::Reverse(sizes[p]));
    let mut load = vec![0usize; threads.max(1)];
    let mut owner = vec![0usize; sizes.len()];
    for p in order {
        let least = (0..load.len()).min_by_key(|&t| load[t]).unwrap_or(0);
        owner[p] = least;
        load[least] += sizes[p];
    }
    owner
}

fn finish(rows: Vec<u32>, gid: Vec<u32>, n: usize) -> Groups {
    // The first member of each group: per core for few groups (the earliest share that
    // has one wins), in one pass otherwise.
    let first_in = |from: usize, part: &[u32]| {
        let mut first = vec![u32::MAX; n];
        for (k, &g) in part.iter().enumerate() {
            let f = &mut first[g as usize];
            if *f == u32::MAX {
                *f = rows[from + k];
            }
        }
        first
    };
    let first = if n <= 1 << 16 && gid.len() >= 1 << 18 {
        let parts = crate::parallel::per_share(&gid, first_in);
        let mut first = vec![u32::MAX; n];
        for p in parts {
            for (f, x) in first.iter_mut().zip(p) {
                if *f == u32::MAX {
                    *f = x;
                }
            }
        }
        first
    } else {
        first_in(0, &gid)
    };
    Groups { rows, gid, n, first, segments: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ColumnBuilder, Value};

    fn col(vals: &[Value]) -> Column {
        let mut b = ColumnBuilder::new(vals.len());
        for v in vals {
            b.push(v.clone());
        }
        b.finish()
    }

    #[test]
    fn groups_sorted_with_nulls_last() {
        let a = col(&[Value::Int(5), Value::Null, Value::Int(-3), Value::Int(5), Value::Int(-3)]);
        let b = col(&[Value::str("x"), Value::str("y"), Value::str("Y"), Value::str("x"), Value::str("y")]);
        let g = group_by(&[Key::plain(&a), Key::plain(&b)], vec![0, 1, 2, 3, 4]);
        assert_eq!(g.len(), 4);
        // (-3, Y) first: equal to (-3, y) ignoring case, upper case first; nulls last.
        assert_eq!(g.gid, [2, 3, 0, 2, 1]);
        assert_eq!(g.first, [2, 4, 0, 1]);
        assert_eq!(g.counts(), [1, 1, 2, 1]);
    }

    #[test]
    fn ranges_go_to_the_least_loaded_core() {
        // Dealt out in turn, the two large ranges would both go to core 0.
        let sizes = [8, 1, 8, 1, 0, 3];
        let owner = balance(&sizes, 2);
        let mut load = [0usize; 2];
        for (p, &o) in owner.iter().enumerate() {
            load[o] += sizes[p];
        }
        assert_eq!(load.iter().sum::<usize>(), 21);
        assert!(load[0].abs_diff(load[1]) <= 1, "{load:?}");
        assert_ne!(owner[0], owner[2]);
    }

    #[test]
    fn fast_division_is_exact() {
        for d in [1u64, 3, 7, 1000, 60_000, 3_600_000, 86_400_000, 604_800_000] {
            let f = FastDiv::new(d);
            for x in
                (0..2000u64).chain([d - 1, d, d + 1, 5 * d - 1, 5 * d, u32::MAX as u64, 1 << 45, (1 << 45) + d - 1])
            {
                assert_eq!(f.quotient(x), x / d, "{x} / {d}");
            }
        }
    }

    #[test]
    fn time_buckets_group_like_floored_times() {
        let t = col(&(0..50)
            .map(|i| if i == 7 { Value::Null } else { Value::Time(i * 1_700_000 - 20_000_000) })
            .collect::<Vec<_>>());
        let rows: Vec<u32> = (0..50).collect();
        let g = group_by(&[Key { col: &t, bucket: Some(3_600_000) }], rows.clone());
        let floored = col(&(0..50)
            .map(|i| {
                if i == 7 {
                    Value::Null
                } else {
                    Value::Time((i * 1_700_000 - 20_000_000i64).div_euclid(3_600_000) * 3_600_000)
                }
            })
            .collect::<Vec<_>>());
        let h = group_by(&[Key::plain(&floored)], rows);
        assert_eq!(g.gid, h.gid);
        assert_eq!(g.n, h.n);
    }

    #[test]
    fn merged_grouping_agrees_with_hashing() {
        let n = PARTITIONED_ROWS + 1000;
        let a = col(&(0..n).map(|i| Value::Int(((i * 31) % 1000) as i64 * 1_000_000_007)).collect::<Vec<_>>());
        let rows: Vec<u32> = (0..n as u32).collect();
        let g = group_by(&[Key::plain(&a)], rows.clone());
        let codes = [KeyCodes::new(Key::plain(&a), &rows)];
        let h = hashed(&rows, |r| codes[0].code(r) as u64);
        assert_eq!(g.n, 1000);
        assert_eq!(g.gid, h.gid);
        assert_eq!(g.first, h.first);
    }

    #[test]
    fn partitioned_grouping_agrees_with_hashing() {
        let n = PARTITIONED_ROWS + 1000;
        let a = col(&(0..n).map(|i| Value::Int((i as i64 * 7919) % 5003 * 1_000_003)).collect::<Vec<_>>());
        let b = col(&(0..n)
            .map(|i| if i % 97 == 0 { Value::Null } else { Value::Int((i % 17) as i64) })
            .collect::<Vec<_>>());
        let rows: Vec<u32> = (0..n as u32).rev().collect();
        let g = group_by(&[Key::plain(&a), Key::plain(&b)], rows.clone());
        let codes: Vec<KeyCodes> = [&a, &b].iter().map(|c| KeyCodes::new(Key::plain(c), &rows)).collect();
        let h = hashed(&rows, |r| codes.iter().fold(0u64, |k, c| (k << c.bits) | c.code(r) as u64));
        assert_eq!(g.n, h.n);
        // Same groups in the same (key) order: every row lands in the same group number.
        let mut by_row_g = vec![0u32; n];
        for (&r, &x) in g.rows.iter().zip(&g.gid) {
            by_row_g[r as usize] = x;
        }
        for (&r, &x) in h.rows.iter().zip(&h.gid) {
            assert_eq!(by_row_g[r as usize], x);
        }
        // Folds over many groups run per key range on all cores; same sums as one pass.
        assert!(g.n > 1 << 16 && g.segments.len() > 2);
        let sums = g.par_fold(0i64, |slots, k, x| slots[x] += g.rows[k] as i64, |a, b| *a += b);
        let mut want = vec![0i64; g.n];
        for (&r, &x) in g.rows.iter().zip(&g.gid) {
            want[x as usize] += r as i64;
        }
        assert_eq!(sums, want);
        // Members of a group keep the input order.
        let firsts: Vec<u32> = (0..g.n).map(|x| g.rows[g.gid.iter().position(|&y| y == x as u32).unwrap()]).collect();
        assert_eq!(firsts, g.first);
    }

    /// Rows of `g` by group, in group order, members in the order grouping kept them.
    fn members(g: &Groups) -> Vec<Vec<u32>> {
        let mut by = vec![Vec::new(); g.n];
        for (&r, &x) in g.rows.iter().zip(&g.gid) {
            by[x as usize].push(r);
        }
        by
    }

    #[test]
    fn keys_over_64_bits_group_by_range_and_agree() {
        // Two wide columns (a 128-bit packed key), one with nulls; a subset of the rows
        // in shuffled order: members must follow that order, groups the key order. With
        // the second column shifted by 49 the key leaves room for a position below its
        // range bits (one 16-byte entry per row); by 60 it does not ((key, position)
        // pairs).
        for (shift, compact) in [(49, true), (60, false)] {
            let n = 2 * PARTITIONED_ROWS;
            let a = col(&(0..n).map(|i| Value::Int((i as i64 * 7919) % 100_003 * 3_000_000_007)).collect::<Vec<_>>());
            let b = col(&(0..n)
                .map(|i| if i % 89 == 0 { Value::Null } else { Value::Int((i as i64 % 13) << shift) })
                .collect::<Vec<_>>());
            let rows: Vec<u32> =
                (0..n as u32).filter(|r| r % 7 != 3).map(|r| (r as u64 * 48271 % n as u64) as u32).collect();
            let keys = [Key::plain(&a), Key::plain(&b)];
            let g = group_by(&keys, rows.clone());
            let codes: Vec<KeyCodes> = keys.iter().map(|&k| KeyCodes::new(k, &rows)).collect();
            let bits = codes.iter().map(|c| c.bits).sum::<u32>();
            assert!(bits > 64 && (bits <= 96 + PARTITION_BITS) == compact, "{bits} bits");
            let h = hashed(&rows, |r| codes.iter().map(|c| c.code(r)).collect::<Vec<u128>>());
            assert!(g.n > 1 << 15 && g.segments.len() > 2, "{} groups, {} segments", g.n, g.segments.len());
            assert_eq!(members(&g), members(&h));
            assert_eq!(g.first, h.first);
        }
    }

    #[test]
    fn one_wide_key_groups_by_range_and_agrees() {
        let n = PARTITIONED_ROWS + 3000;
        let a = col(&(0..n).map(|i| Value::Int((i as i64 * 7919) % 200_003 * 1_000_003)).collect::<Vec<_>>());
        let rows: Vec<u32> = (0..n as u32).rev().collect();
        let g = group_by(&[Key::plain(&a)], rows.clone());
        let codes = [KeyCodes::new(Key::plain(&a), &rows)];
        let h = hashed(&rows, |r| codes[0].code(r) as u64);
        assert_eq!(members(&g), members(&h));
        assert_eq!(g.first, h.first);
    }

    #[test]
    fn wide_keys_fall_back_and_agree() {
        let f = col(&[Value::Float(1.5), Value::Float(-2.0), Value::Float(1.5)]);
        let g = group_by(&[Key::plain(&f), Key::plain(&f), Key::plain(&f)], vec![0, 1, 2]);
        assert_eq!(g.len(), 2);
        assert_eq!(g.gid, [1, 0, 1]);
        let sel = g.select(&[1]);
        assert_eq!(
            (sel.rows.as_slice(), sel.gid.as_slice(), sel.first.as_slice()),
            (&[0, 2][..], &[0, 0][..], &[0][..])
        );
        let wide = col(&[Value::Int(1), Value::Int(1_000_000_000_000), Value::Int(1)]);
        let g = group_by(&[Key::plain(&wide)], vec![0, 1, 2]);
        assert_eq!(g.gid, [0, 1, 0]);
    }
}
