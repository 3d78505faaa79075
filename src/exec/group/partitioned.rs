//! Many distinct keys: each core scatters (key, position) pairs into key ranges, each
//! range is sorted on its own, and runs of equal keys are its groups.

use std::hash::Hash;

use super::Groups;

/// From this many rows on, grouping is split into key ranges grouped in parallel.
pub(super) const PARTITIONED_ROWS: usize = 1 << 18;
/// Key ranges for partitioned grouping.
pub(super) const PARTITION_BITS: u32 = 10;
/// Rows whose keys are computed together (column by column) before they are scattered.
pub(super) const KEY_BLOCK: usize = 4096;

/// A packed key: an integer whose top bits say which key range it falls in.
pub(super) trait Packed: Copy + Default + Hash + Eq + Ord + Send + Sync {
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
pub(super) trait Entry: Copy + Ord + Default + Send + Sync {
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
pub(super) fn range_shift(bits: u32) -> u32 {
    bits.saturating_sub(PARTITION_BITS)
}

/// Large inputs: rows are split by the top bits of their packed key into key ranges
/// (each core computes the keys of its share of the rows a block at a time and scatters
/// (key, position) by range); each range is then sorted by (key, position) on its own,
/// in parallel and small enough to stay in cache. The ranges, in order, give the groups
/// in key order, each group's members contiguous and in input order.
pub(super) fn partitioned<K: Packed, E: Entry>(
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
pub(super) fn balance(sizes: &[usize], threads: usize) -> Vec<usize> {
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
