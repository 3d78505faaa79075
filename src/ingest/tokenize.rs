//! Cutting whitespace-separated text into lines and fields, 64 bytes at a time.
//!
//! Every text format flowq reads (OCI VCN text, AWS VPC text) is lines of fields
//! separated by spaces. Rather than searching each line for its end and then for each
//! separator, a block is classified 64 bytes at a time into two bit masks (separators
//! and line ends); field starts and ends are where the separator mask changes, and the
//! fields of a line are read off the masks with a count of trailing zeros. This is the
//! structural-index idea of simdjson applied to the simplest grammar there is.

/// Fields kept per line; a line may have more (the count says how many), the rest are
/// counted but not located.
pub const MAX_FIELDS: usize = 64;

/// One line of a block, as the tokenizer hands it over.
pub struct Line<'a, 'b> {
    /// The block the line is in: field bounds index into it.
    pub data: &'a [u8],
    /// Line number within the block, from 1.
    pub number: u64,
    /// Byte range of the line (without its line end or a trailing carriage return).
    pub start: usize,
    pub end: usize,
    /// Fields in all on the line (possibly more than were located).
    pub count: usize,
    /// Where the first `min(count, MAX_FIELDS)` fields start in `data`.
    pub starts: &'b [usize],
}

impl<'a> Line<'a, '_> {
    /// The text of field `i` (which must be below `min(count, MAX_FIELDS)`).
    #[inline(always)]
    pub fn field(&self, i: usize) -> &'a [u8] {
        let (a, e) = self.bounds(i);
        &self.data[a..e]
    }

    /// Where field `i` starts and ends in `data`. A field ends one byte before the
    /// next one starts when a single separator lies between them (the usual case), and
    /// the last one at the line's end when nothing trails it; otherwise the end is
    /// searched for.
    #[inline(always)]
    pub fn bounds(&self, i: usize) -> (usize, usize) {
        let a = self.starts[i];
        let e = match self.starts.get(i + 1) {
            // `next` is at least `a + 2`: a field byte, then a separator.
            Some(&next) if !is_delimiter(self.data[next - 2]) => next - 1,
            None if i + 1 == self.count && !is_delimiter(self.data[self.end - 1]) => self.end,
            _ => field_end(self.data, a),
        };
        (a, e)
    }

    /// Fields located (at most [`MAX_FIELDS`]).
    pub fn located(&self) -> usize {
        self.starts.len()
    }

    /// The whole line, for messages.
    pub fn text(&self) -> &'a [u8] {
        let l = &self.data[self.start..self.end];
        l.strip_suffix(b"\r").unwrap_or(l)
    }
}

/// Call `on_line` for every line of `data` (blank lines included, with no fields), in
/// order. A last line without a line end counts. Returns the number of lines.
#[inline]
pub fn for_each_line<'a>(data: &'a [u8], mut on_line: impl FnMut(&Line<'a, '_>)) -> u64 {
    let mut starts = [0usize; MAX_FIELDS];
    let mut count = 0usize;
    let mut line_start = 0usize;
    let mut number = 0u64;
    // Whether the byte before the current window is a separator (the block's start is).
    let mut carry = 1u64;
    let mut base = 0usize;
    let mut tail = [b' '; 64];
    while base < data.len() {
        let window: &[u8; 64] = match data.get(base..base + 64).and_then(|w| w.try_into().ok()) {
            Some(w) => w,
            None => {
                // The last partial window, padded with separators (which end a field
                // but not a line).
                let rest = &data[base..];
                tail[..rest.len()].copy_from_slice(rest);
                &tail
            }
        };
        let (sep, nl) = masks(window);
        let delim = sep | nl;
        let before = (delim << 1) | carry;
        carry = delim >> 63;
        let field_starts = !delim & before;
        let mut events = field_starts | nl;
        while events != 0 {
            let p = events.trailing_zeros();
            events &= events - 1;
            let pos = base + p as usize;
            if nl & (1u64 << p) == 0 {
                if count < MAX_FIELDS {
                    starts[count] = pos;
                }
                count += 1;
                continue;
            }
            number += 1;
            on_line(&Line {
                data,
                number,
                start: line_start,
                end: pos,
                count,
                starts: &starts[..count.min(MAX_FIELDS)],
            });
            count = 0;
            line_start = pos + 1;
        }
        base += 64;
    }
    if line_start < data.len() {
        number += 1;
        on_line(&Line {
            data,
            number,
            start: line_start,
            end: data.len(),
            count,
            starts: &starts[..count.min(MAX_FIELDS)],
        });
    }
    number
}

/// Where the field starting at `i` ends: the next separator or line end, or the end of
/// `data`. Eight bytes are tested at a time for a byte below `!` (every delimiter is
/// one; other control bytes are rare and checked one by one).
#[inline(always)]
fn field_end(data: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = data.get(i..i + 8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(chunk);
        let w = u64::from_le_bytes(b);
        // High bit set in each byte below 0x21 (exact per byte: no borrows cross lanes).
        let mut low = !((w & !HIGHS) + ONES * (0x80 - 0x21)) & !w & HIGHS;
        while low != 0 {
            let at = i + (low.trailing_zeros() / 8) as usize;
            if is_delimiter(data[at]) {
                return at;
            }
            low &= low - 1;
        }
        i += 8;
    }
    while i < data.len() && !is_delimiter(data[i]) {
        i += 1;
    }
    i
}

#[inline(always)]
fn is_delimiter(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Bit masks of one 64-byte window: separators (space, tab, carriage return) and line
/// feeds, bit `k` for byte `k`.
#[inline(always)]
fn masks(w: &[u8; 64]) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    {
        sse2::masks(w)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        swar::masks(w)
    }
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    // One of the three places flowq uses `unsafe` (the others are the allocator,
    // src/alloc.rs, and the file map, src/ingest/mapped.rs): calling a function
    // compiled for SSE2, which every x86_64 processor has (it is part of the
    // architecture's baseline, so the compiler's own code already assumes it). The
    // function itself is safe code.
    #![allow(unsafe_code)]
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x};

    #[inline(always)]
    pub fn masks(w: &[u8; 64]) -> (u64, u64) {
        // SAFETY: SSE2 is enabled on every x86_64 target (see above).
        unsafe { masks_sse2(w) }
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    fn masks_sse2(w: &[u8; 64]) -> (u64, u64) {
        let (space, tab, cr, lf) = (
            _mm_set1_epi8(b' ' as i8),
            _mm_set1_epi8(b'\t' as i8),
            _mm_set1_epi8(b'\r' as i8),
            _mm_set1_epi8(b'\n' as i8),
        );
        let (mut sep, mut nl) = (0u64, 0u64);
        for (k, chunk) in w.chunks_exact(16).enumerate() {
            let v = load(chunk);
            let s = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, tab)), _mm_cmpeq_epi8(v, cr));
            sep |= (_mm_movemask_epi8(s) as u16 as u64) << (16 * k);
            nl |= (_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)) as u16 as u64) << (16 * k);
        }
        (sep, nl)
    }

    /// Sixteen bytes into a register without a raw-pointer load.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(chunk: &[u8]) -> __m128i {
        let half = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&chunk[i..i + 8]);
            i64::from_le_bytes(b)
        };
        _mm_set_epi64x(half(8), half(0))
    }
}

/// The portable fallback: eight bytes at a time in a u64.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
mod swar {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;

    /// Bit `k` set where byte `k` of `w` equals `c` (exact: no carries cross bytes).
    #[inline(always)]
    fn equal_bits(w: u64, c: u8) -> u64 {
        let x = w ^ (ONES * c as u64);
        let zero = !(((x & !HIGHS) + !HIGHS) | x) & HIGHS;
        (zero >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
    }

    pub fn masks(w: &[u8; 64]) -> (u64, u64) {
        let (mut sep, mut nl) = (0u64, 0u64);
        for (k, chunk) in w.chunks_exact(8).enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            let v = u64::from_le_bytes(b);
            sep |= (equal_bits(v, b' ') | equal_bits(v, b'\t') | equal_bits(v, b'\r')) << (8 * k);
            nl |= equal_bits(v, b'\n') << (8 * k);
        }
        (sep, nl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(data: &[u8]) -> Vec<(u64, String, Vec<String>, usize)> {
        let mut out = Vec::new();
        let n = for_each_line(data, |l| {
            let fields = (0..l.located()).map(|i| String::from_utf8_lossy(l.field(i)).into_owned()).collect();
            out.push((l.number, String::from_utf8_lossy(l.text()).into_owned(), fields, l.count));
        });
        assert_eq!(n as usize, out.len());
        out
    }

    /// The obvious implementation, to compare with.
    fn naive(data: &[u8]) -> Vec<(u64, String, Vec<String>, usize)> {
        let text = String::from_utf8_lossy(data);
        let mut v: Vec<&str> = text.split('\n').collect();
        if text.ends_with('\n') || text.is_empty() {
            v.pop();
        }
        v.iter()
            .enumerate()
            .map(|(i, l)| {
                let l = l.strip_suffix('\r').unwrap_or(l);
                let f: Vec<String> = l.split([' ', '\t', '\r']).filter(|f| !f.is_empty()).map(String::from).collect();
                let count = f.len();
                (i as u64 + 1, l.to_string(), f.into_iter().take(MAX_FIELDS).collect(), count)
            })
            .collect()
    }

    #[test]
    fn fields_lines_and_odd_spacing() {
        let got = lines(b"a bb  ccc\n\n  x\ty \r\nlast");
        assert_eq!(got[0], (1, "a bb  ccc".into(), vec!["a".into(), "bb".into(), "ccc".into()], 3));
        assert_eq!(got[1], (2, "".into(), vec![], 0));
        assert_eq!(got[2], (3, "  x\ty ".into(), vec!["x".into(), "y".into()], 2));
        assert_eq!(got[3], (4, "last".into(), vec!["last".into()], 1));
        assert!(lines(b"").is_empty());
        // More fields than are located: the first MAX_FIELDS, and the count of all.
        let long: Vec<String> = (0..MAX_FIELDS + 30).map(|i| format!("f{i}")).collect();
        let text = format!("{}\nx y\n", long.join(" "));
        assert_eq!(lines(text.as_bytes()), naive(text.as_bytes()));
        assert_eq!(lines(text.as_bytes())[0].3, MAX_FIELDS + 30);
    }

    #[test]
    fn agrees_with_the_obvious_split_across_window_edges() {
        // Lines and fields of every length around the 64-byte window edges, with and
        // without a final line end, and lines with more fields than are located.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..300 {
            let mut data = Vec::new();
            for _ in 0..next() % 6 {
                for _ in 0..next() % 40 {
                    let sep: &[u8] = [b" ".as_slice(), b"  ", b"\t", b" \r"][next() % 4];
                    data.extend_from_slice(sep);
                    data.extend(std::iter::repeat_n(b'a' + (next() % 26) as u8, next() % 70));
                }
                data.push(b'\n');
            }
            if next() % 2 == 0 {
                data.pop();
            }
            assert_eq!(lines(&data), naive(&data), "{:?}", String::from_utf8_lossy(&data));
        }
    }

    #[test]
    fn swar_and_simd_masks_agree() {
        let mut w = [0u8; 64];
        for (i, b) in w.iter_mut().enumerate() {
            *b = [b' ', b'\t', b'\r', b'\n', b'a', 0x80, 0xff, b'0'][(i * 7 + i / 3) % 8];
        }
        assert_eq!(masks(&w), swar::masks(&w));
    }
}
