//! Grouping rows by key columns (`stats ... by`, `link`). Each row's key is packed into
//! one u64 or u128 where the columns' value ranges allow (an IPv4 and a port fit in 48
//! bits), so hashing and comparing keys is integer work. The packing preserves order,
//! so sorting the packed keys sorts the groups by their key fields.
//!
//! The strategies, one file each, all take the rows and a key per row and give
//! [`Groups`]; [`group_by`] (and `large` for many keys) is the one place that chooses:
//! - `direct.rs`: key spaces of up to 20 bits, a table indexed by the key;
//! - `merged.rs`: few distinct keys (from a sample), per-core hash tables merged;
//! - `partitioned.rs`: many distinct keys, scattered into key ranges sorted apart;
//! - `hashed.rs`: keys too wide to pack, hashed whole;
//! - and the two fused engines that fold aggregates without member lists, chosen by the
//!   planner (plan/physical.rs): `slots.rs` (stats by one key) and `time_buckets.rs`
//!   (link span=<fixed> Time with stats).

mod direct;
mod hashed;
mod keys;
mod merged;
mod partitioned;
pub mod slots;
pub mod time_buckets;

use direct::direct;
use hashed::hashed;
use keys::{Codes, KeyCodes};
pub use keys::{FastDiv, Key};
use merged::merged;
use partitioned::{balance, partitioned, range_shift, Packed, PARTITIONED_ROWS, PARTITION_BITS};

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

/// Key spaces up to this many bits are grouped through a direct table, not a hash.
const DIRECT_BITS: u32 = 20;

/// Group `rows` by the values of `keys`: groups ordered by key (nulls last).
pub fn group_by(keys: &[Key], rows: Vec<u32>) -> Groups {
    let mut codes: Vec<KeyCodes> = keys.iter().map(|&k| KeyCodes::new(k, &rows)).collect();
    let mut total: u32 = codes.iter().map(|c| c.bits).sum();
    if total > 128 {
        // Wide keys (IPv6 addresses beside other keys) as ranks, so that the key still
        // packs into one integer instead of a vector per row.
        codes.iter_mut().for_each(|c| c.rank_wide(&rows));
        total = codes.iter().map(|c| c.bits).sum();
    }
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

pub(super) fn finish(rows: Vec<u32>, gid: Vec<u32>, n: usize) -> Groups {
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
mod tests;
