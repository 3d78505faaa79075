//! Validity bitmaps: one bit per row, set when the row holds a value.

/// A growable bitmap. Bit `i` set means row `i` is valid (not null).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bitmap {
    words: Vec<u64>,
    len: usize,
}

impl Bitmap {
    /// An empty bitmap with room for `cap` bits.
    pub fn with_capacity(cap: usize) -> Self {
        Bitmap {
            words: Vec::with_capacity(cap.div_ceil(64)),
            len: 0,
        }
    }

    /// `len` bits, all set to `bit`.
    pub fn filled(len: usize, bit: bool) -> Self {
        let fill = if bit { u64::MAX } else { 0 };
        let mut b = Bitmap {
            words: vec![fill; len.div_ceil(64)],
            len,
        };
        b.clear_tail();
        b
    }

    fn clear_tail(&mut self) {
        let rem = self.len % 64;
        if rem != 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= (1u64 << rem) - 1;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn get(&self, i: usize) -> bool {
        (self.words[i >> 6] >> (i & 63)) & 1 == 1
    }

    #[inline]
    pub fn set(&mut self, i: usize, bit: bool) {
        let w = &mut self.words[i >> 6];
        if bit {
            *w |= 1 << (i & 63);
        } else {
            *w &= !(1 << (i & 63));
        }
    }

    #[inline]
    pub fn push(&mut self, bit: bool) {
        if self.len % 64 == 0 {
            self.words.push(0);
        }
        if bit {
            let i = self.len;
            self.words[i >> 6] |= 1 << (i & 63);
        }
        self.len += 1;
    }

    /// Number of set bits.
    pub fn count_set(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Append all bits of `other`.
    pub fn extend_from(&mut self, other: &Bitmap) {
        if self.len % 64 == 0 {
            self.words.extend_from_slice(&other.words);
            self.len += other.len;
            return;
        }
        for i in 0..other.len {
            self.push(other.get(i));
        }
    }

    /// True when every bit is set (the bitmap can then be dropped).
    pub fn all_set(&self) -> bool {
        self.count_set() == self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_get_extend() {
        let mut a = Bitmap::default();
        for i in 0..70 {
            a.push(i % 3 == 0);
        }
        assert!(a.get(0) && !a.get(1) && a.get(69));
        let mut b = Bitmap::filled(5, true);
        b.extend_from(&a);
        assert_eq!(b.len(), 75);
        assert!(b.get(4) && b.get(5) && !b.get(6));
        assert_eq!(b.count_set(), 5 + 24);
        assert!(Bitmap::filled(130, true).all_set());
        assert!(!b.all_set());
    }
}
