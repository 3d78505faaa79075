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
        Bitmap { words: Vec::with_capacity(cap.div_ceil(64)), len: 0 }
    }

    /// `len` bits, all set to `bit`.
    pub fn filled(len: usize, bit: bool) -> Self {
        let fill = if bit { u64::MAX } else { 0 };
        let mut b = Bitmap { words: vec![fill; len.div_ceil(64)], len };
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
        if self.len.is_multiple_of(64) {
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

    /// Append all bits of `other`, a word at a time.
    pub fn extend_from(&mut self, other: &Bitmap) {
        let shift = self.len % 64;
        let new_len = self.len + other.len;
        if shift == 0 {
            self.words.extend_from_slice(&other.words);
        } else {
            for &w in &other.words {
                if let Some(last) = self.words.last_mut() {
                    *last |= w << shift;
                }
                self.words.push(w >> (64 - shift));
            }
        }
        // Bits past `len` are always zero, so the shifted-in tail is clean.
        self.words.truncate(new_len.div_ceil(64));
        self.len = new_len;
    }

    /// True when every bit is set (the bitmap can then be dropped).
    pub fn all_set(&self) -> bool {
        self.count_set() == self.len
    }
}

/// Validity that costs nothing while every value is present: the bitmap is made at
/// the first null.
#[derive(Clone, Debug, Default)]
pub struct Validity {
    bits: Option<Bitmap>,
    len: usize,
}

impl Validity {
    #[inline(always)]
    pub fn push(&mut self, valid: bool) {
        match &mut self.bits {
            Some(b) => b.push(valid),
            None if valid => {}
            None => {
                let mut b = Bitmap::filled(self.len, true);
                b.push(false);
                self.bits = Some(b);
            }
        }
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn append(&mut self, other: &Validity) {
        match (&mut self.bits, &other.bits) {
            (None, None) => {}
            (Some(b), None) => b.extend_from(&Bitmap::filled(other.len, true)),
            (Some(b), Some(o)) => b.extend_from(o),
            (None, Some(o)) => {
                let mut b = Bitmap::filled(self.len, true);
                b.extend_from(o);
                self.bits = Some(b);
            }
        }
        self.len += other.len;
    }

    /// The bitmap, or `None` when nothing is null.
    pub fn into_bitmap(self) -> Option<Bitmap> {
        self.bits
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
        let mut c = Bitmap::default();
        for i in 0..3 {
            c.push(i != 1);
        }
        c.extend_from(&a);
        for i in 0..70 {
            assert_eq!(c.get(3 + i), i % 3 == 0, "bit {i}");
        }
        assert_eq!(c.len(), 73);
    }

    #[test]
    fn validity_is_lazy() {
        let mut v = Validity::default();
        v.push(true);
        v.push(true);
        let mut w = Validity::default();
        w.push(false);
        v.append(&w);
        v.push(true);
        let b = v.into_bitmap().unwrap();
        assert_eq!((0..4).map(|i| b.get(i)).collect::<Vec<_>>(), [true, true, false, true]);
        let mut all = Validity::default();
        all.push(true);
        assert!(all.into_bitmap().is_none());
    }
}
