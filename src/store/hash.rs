//! A small fast hasher for integer keys (group keys, dictionary codes). SipHash's
//! DoS resistance buys nothing for a local tool hashing its own packed keys.

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        // Fold the high bits down: hashbrown takes its bucket index from the low bits.
        self.hash.rotate_left(26)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.hash = (self.hash.wrapping_add(i)).wrapping_mul(K);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(i as u64);
    }

    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.write_u64(i as u64);
        self.write_u64((i >> 64) as u64);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

pub type FastBuild = BuildHasherDefault<FastHasher>;
pub type FastMap<K, V> = std::collections::HashMap<K, V, FastBuild>;
pub type FastSet<K> = std::collections::HashSet<K, FastBuild>;

/// Small numbers (group slots) by 64-bit key: open addressing with linear probing, each
/// key beside its number, so a lookup that finds its key reads one cache line (a
/// general hash map reads its control bytes and then the entry). For the per-row
/// lookups of grouping, where the map is probed once per record.
pub struct SlotMap {
    /// `(key, number + 1)`; a number of 0 marks a free entry.
    entries: Vec<(u64, u32)>,
    /// Right shift that turns a multiplied key into an entry index.
    shift: u32,
    len: usize,
}

impl Default for SlotMap {
    fn default() -> Self {
        SlotMap::with_bits(10)
    }
}

impl SlotMap {
    fn with_bits(bits: u32) -> SlotMap {
        SlotMap { entries: vec![(0, 0); 1 << bits], shift: 64 - bits, len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline(always)]
    fn home(&self, key: u64) -> usize {
        // Fibonacci hashing: the high bits of the product depend on every key bit.
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The number of `key`, or `make()` as its number if it has none yet.
    #[inline(always)]
    pub fn get_or_insert_with(&mut self, key: u64, make: impl FnOnce() -> u32) -> u32 {
        let mask = self.entries.len() - 1;
        let mut i = self.home(key);
        loop {
            let (k, n) = self.entries[i];
            if n == 0 {
                let v = make();
                self.entries[i] = (key, v + 1);
                self.len += 1;
                if self.len * 2 > self.entries.len() {
                    self.grow();
                }
                return v;
            }
            if k == key {
                return n - 1;
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn grow(&mut self) {
        let bits = 64 - self.shift + 1;
        let old = std::mem::replace(self, SlotMap::with_bits(bits));
        let mask = self.entries.len() - 1;
        for (k, n) in old.entries.into_iter().filter(|e| e.1 != 0) {
            let mut i = self.home(k);
            while self.entries[i].1 != 0 {
                i = (i + 1) & mask;
            }
            self.entries[i] = (k, n);
        }
        self.len = old.len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_map_numbers_keys_as_a_hash_map_does() {
        let mut map = SlotMap::default();
        let mut reference: FastMap<u64, u32> = FastMap::default();
        let mut seed = 3u64;
        for _ in 0..200_000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            // Keys from a few thousand values, with extremes and collisions of low bits.
            let key = match seed >> 60 {
                0 => u64::MAX,
                1 => 0,
                _ => ((seed >> 20) % 5000) << 32 | (seed >> 50),
            };
            let next = reference.len() as u32;
            let want = *reference.entry(key).or_insert(next);
            assert_eq!(map.get_or_insert_with(key, || next), want);
        }
        assert_eq!(map.len(), reference.len());
    }
}
