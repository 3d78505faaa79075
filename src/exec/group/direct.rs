//! Small key spaces: a table indexed by the packed key.

use super::Groups;

/// Small key spaces: the packed key indexes a table; walking the table in key order
/// numbers the groups in output order directly. Both passes run on all cores.
pub(super) fn direct(rows: Vec<u32>, bits: u32, key: impl Fn(usize) -> u64 + Sync) -> Groups {
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
