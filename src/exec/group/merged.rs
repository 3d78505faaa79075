//! Few distinct keys: per-core hash tables over shares of the rows, merged.

use super::{finish, Groups, Packed};
use crate::store::hash::FastMap;

/// Few groups: per-core hash tables over contiguous shares of the rows, merged.
pub(super) fn merged<K: Packed>(rows: &[u32], key: impl Fn(usize) -> K + Sync) -> Groups {
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
