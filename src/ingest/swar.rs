//! Numbers read eight bytes at a time (SIMD within a register): the field's digits are
//! loaded into one integer and tested and converted together, instead of one byte and
//! one branch at a time. The answer is exactly that of the byte-by-byte `text::uint`,
//! which it falls back on near the start of the buffer; the tests compare them.
//!
//! (IPv4 addresses read sixteen bytes at a time the same way were tried and were slower
//! than `ip::parse_v4_bytes`, whose branches the predictor learns on real addresses.)

use super::text::uint;

/// A non-negative decimal integer of at most 18 digits: the one at `data[a..e]`, read
/// eight digits at a time from the buffer around it (the same answer as `uint`).
#[inline(always)]
pub fn uint_at(data: &[u8], a: usize, e: usize) -> Option<i64> {
    let n = e - a;
    if n == 0 || n > 16 || e < 16 {
        return uint(&data[a..e]);
    }
    let low = eight_digits(word_ending_at(data, e), n.min(8))?;
    if n <= 8 {
        return Some(low);
    }
    Some(eight_digits(word_ending_at(data, e - 8), n - 8)? * 100_000_000 + low)
}

/// The eight bytes before `e` as a little-endian word (`e` is at least 8).
#[inline(always)]
fn word_ending_at(data: &[u8], e: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&data[e - 8..e]);
    u64::from_le_bytes(b)
}

/// The number written by the last `k` (1 to 8) bytes of `w` (the word's high bytes,
/// in text order), if they are all digits. The bytes before them count as zeros; the
/// digit test and the conversion are the usual SWAR ones (as in simdjson).
#[inline(always)]
fn eight_digits(w: u64, k: usize) -> Option<i64> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    let pad = 8 * (8 - k) as u32;
    let before = u64::MAX.checked_shr(64 - pad).unwrap_or(0);
    let x = (w & !before) | (ZEROS & before);
    let high = 0xF0F0_F0F0_F0F0_F0F0u64;
    if (x & high) | ((x.wrapping_add(0x0606_0606_0606_0606) & high) >> 4) != 0x3333_3333_3333_3333 {
        return None;
    }
    let v = (x & 0x0F0F_0F0F_0F0F_0F0F).wrapping_mul(2561) >> 8;
    let v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601) >> 16;
    Some(((v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001) >> 32) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_bytes(seed: &mut u64, alphabet: &[u8], len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                alphabet[(*seed >> 33) as usize % alphabet.len()]
            })
            .collect()
    }

    #[test]
    fn numbers_read_as_one_byte_at_a_time() {
        // Every length up to 19 digits, with digits, non-digits and bytes next to the
        // field that must not count, at every offset the buffer allows.
        let mut seed = 11u64;
        let alphabet = b"0123456789012345678901234567890123456789 -x/:\xff";
        for i in 0..20_000 {
            let (len, before) = (i % 20, (i / 20) % 20);
            let buf = random_bytes(&mut seed, alphabet, before + len + 3);
            let (a, e) = (before, before + len);
            assert_eq!(uint_at(&buf, a, e), uint(&buf[a..e]), "{:?}", &buf[a..e]);
        }
        let buf = b"xxxxxxxxxxxxxxxx 1748736000 99999999 123456789012345678";
        let at = |a, e| uint_at(buf, a, e);
        assert_eq!(at(17, 27), Some(1_748_736_000));
        assert_eq!(at(28, 36), Some(99_999_999));
        assert_eq!(at(37, 55), Some(123_456_789_012_345_678));
    }
}
