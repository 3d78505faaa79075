//! Keys too wide to pack: hashed whole.

use std::hash::Hash;

use super::{finish, Groups};
use crate::store::hash::FastMap;

pub(super) fn hashed<K: Hash + Eq + Ord + Clone>(rows: &[u32], key: impl Fn(usize) -> K) -> Groups {
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
