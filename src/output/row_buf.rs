//! A byte buffer for formatting many small values fast: room for a whole row is made
//! once (`reserve`), then values are stored by index into memory that is already
//! there, with no capacity check or library call per byte. Numbers are written two
//! digits at a time from a table; IPv4 octets are copied whole from a table.

/// Output being formatted: `buf[..len]` is written; `buf[len..]` is room (its bytes are
/// whatever was there, to be overwritten).
#[derive(Default)]
pub struct RowBuf {
    buf: Vec<u8>,
    len: usize,
}

/// "00".."99" back to back.
const PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// Each octet's digits (up to three, then padding) and, in the last byte, their count.
const OCTETS: [[u8; 4]; 256] = {
    let mut t = [[0u8; 4]; 256];
    let mut i = 0;
    while i < 256 {
        let (h, d, o) = ((i / 100) as u8, (i / 10 % 10) as u8, (i % 10) as u8);
        t[i] = if i >= 100 {
            [b'0' + h, b'0' + d, b'0' + o, 3]
        } else if i >= 10 {
            [b'0' + d, b'0' + o, 0, 2]
        } else {
            [b'0' + o, 0, 0, 1]
        };
        i += 1;
    }
    t
};

/// The most bytes `int` writes.
pub const INT_WIDTH: usize = 20;
/// The most bytes `ipv4` writes.
pub const IPV4_WIDTH: usize = 15;

impl RowBuf {
    /// The written bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Make room for `n` more bytes (grown by doubling: rows are reserved one by one).
    #[inline(always)]
    pub fn reserve(&mut self, n: usize) {
        if self.len + n > self.buf.len() {
            self.grow(n);
        }
    }

    #[cold]
    fn grow(&mut self, n: usize) {
        let want = (self.len + n).max(self.buf.len() * 2).max(1 << 16);
        self.buf.resize(want, 0);
    }

    /// One byte, into reserved room.
    #[inline(always)]
    pub fn byte(&mut self, b: u8) {
        self.buf[self.len] = b;
        self.len += 1;
    }

    /// Bytes of a size known when compiling, into reserved room.
    #[inline(always)]
    pub fn fixed<const N: usize>(&mut self, b: &[u8; N]) {
        self.buf[self.len..self.len + N].copy_from_slice(b);
        self.len += N;
    }

    /// Any bytes (room made here).
    #[inline]
    pub fn bytes(&mut self, b: &[u8]) {
        self.reserve(b.len());
        self.buf[self.len..self.len + b.len()].copy_from_slice(b);
        self.len += b.len();
    }

    /// Two digits, `v` below 100, into reserved room.
    #[inline(always)]
    pub fn pair(&mut self, v: u32) {
        let i = 2 * v as usize;
        self.fixed(&[PAIRS[i], PAIRS[i + 1]]);
    }

    /// An integer in decimal, into reserved room (at most [`INT_WIDTH`] bytes).
    #[inline]
    pub fn int(&mut self, v: i64) {
        if v < 0 {
            self.byte(b'-');
        }
        let mut n = v.unsigned_abs();
        let digits = n.checked_ilog10().unwrap_or(0) as usize + 1;
        let end = self.len + digits;
        let mut i = end;
        while n >= 100 {
            let r = 2 * (n % 100) as usize;
            n /= 100;
            i -= 2;
            self.buf[i..i + 2].copy_from_slice(&PAIRS[r..r + 2]);
        }
        if n >= 10 {
            let r = 2 * n as usize;
            self.buf[i - 2..i].copy_from_slice(&PAIRS[r..r + 2]);
        } else {
            self.buf[i - 1] = b'0' + n as u8;
        }
        self.len = end;
    }

    /// An IPv4 address in dotted-quad form, into reserved room (at most
    /// [`IPV4_WIDTH`] bytes, but four more are touched past the end).
    #[inline]
    pub fn ipv4(&mut self, a: u32) {
        for (k, shift) in [24, 16, 8, 0].into_iter().enumerate() {
            if k > 0 {
                self.byte(b'.');
            }
            let o = OCTETS[((a >> shift) & 255) as usize];
            // All four bytes are stored; the length byte says how many count.
            self.buf[self.len..self.len + 4].copy_from_slice(&o);
            self.len += o[3] as usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_addresses_read_back() {
        let mut b = RowBuf::default();
        for v in [0, 7, 10, 99, 100, 12345, -1, -100, i64::MAX, i64::MIN, 1_000_000_000_000] {
            b.clear();
            b.reserve(INT_WIDTH);
            b.int(v);
            assert_eq!(std::str::from_utf8(b.as_slice()).unwrap(), v.to_string());
        }
        for a in [0u32, 0x0a00_0001, 0xffff_ffff, 0x7f00_6301, 0x0102_0a64] {
            b.clear();
            b.reserve(IPV4_WIDTH + 4);
            b.ipv4(a);
            assert_eq!(std::str::from_utf8(b.as_slice()).unwrap(), std::net::Ipv4Addr::from(a).to_string());
        }
        b.clear();
        b.reserve(4);
        b.pair(5);
        b.pair(42);
        b.bytes(b"xyz");
        assert_eq!(b.as_slice(), b"0542xyz");
    }
}
