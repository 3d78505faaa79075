//! Reading an input in large blocks of whole lines, on a thread of its own.

use std::io::Read;

/// How much input is parsed at once (split across the cores).
pub const BLOCK: usize = 8 << 20;

/// The longest line a block is stretched to hold (`MAX_LINE_BLOCK`): past it the block
/// is cut inside the line, so memory stays bounded on any input (a gzip bomb of zeros
/// with no line end). No flow record is near this long: text pieces of such a line are
/// skipped as malformed, and JSON carries a record across blocks anyway.
pub const MAX_LINE_BLOCK: usize = 64 << 20;

/// Whole lines of input: `data[..len]` ends at a line end (or the input's end, or
/// inside a line longer than [`MAX_LINE_BLOCK`]).
pub struct Block {
    pub data: Vec<u8>,
    pub len: usize,
}

/// Read `reader` in blocks cut at line ends, carrying a partial last line over to the
/// next block; stops at the end of input, at an error, or when nobody listens.
pub fn read_blocks(
    mut reader: impl Read,
    full: std::sync::mpsc::SyncSender<std::io::Result<Block>>,
    free: std::sync::mpsc::Receiver<Vec<u8>>,
) {
    let mut carry: Vec<u8> = Vec::new();
    loop {
        // Buffers come back from the parsers at full size: they are zeroed only once.
        let mut buf = free.try_recv().unwrap_or_default();
        if buf.len() < carry.len() + BLOCK {
            buf.resize(carry.len() + BLOCK, 0);
        }
        buf[..carry.len()].copy_from_slice(&carry);
        let carry_len = carry.len();
        let mut filled = carry_len;
        carry.clear();
        let mut eof = false;
        // Fill the buffer with large reads (a decompressor works best so), and on past
        // its end until a line ends (a line longer than a block).
        loop {
            if filled == buf.len() {
                if filled >= MAX_LINE_BLOCK || memchr::memrchr(b'\n', &buf[..filled]).is_some() {
                    break;
                }
                buf.resize((buf.len() * 2).min(MAX_LINE_BLOCK.max(carry_len + BLOCK)), 0);
            }
            match reader.read(&mut buf[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(k) => filled += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // What was read before the error is still good.
                    if filled > 0 {
                        let _ = full.send(Ok(Block { data: buf, len: filled }));
                    }
                    let _ = full.send(Err(e));
                    return;
                }
            }
        }
        let len = if eof { filled } else { memchr::memrchr(b'\n', &buf[..filled]).map_or(filled, |i| i + 1) };
        carry.extend_from_slice(&buf[len..filled]);
        if len > 0 && full.send(Ok(Block { data: buf, len })).is_err() {
            return;
        }
        if eof {
            return;
        }
    }
}

impl AsRef<[u8]> for Block {
    fn as_ref(&self) -> &[u8] {
        &self.data[..self.len]
    }
}

/// How much input already in memory (a mapped file) is parsed at once: a first block
/// of `FIRST_SLICE` (it sizes the columns and fills the text dictionaries, so later
/// blocks mostly find their strings there), then blocks of `SLICE`. No buffer is filled,
/// and fewer blocks mean fewer waits for the slowest core (~5-10% of a load).
pub const FIRST_SLICE: usize = 16 << 20;
pub const SLICE: usize = 128 << 20;

/// `data` in blocks of about `first` bytes and then `later` bytes, each ending at a
/// line end (or the end of `data`), for input already in memory.
pub fn slices(data: &[u8], first: usize, later: usize) -> impl Iterator<Item = &[u8]> {
    let mut rest = data;
    let mut next_size = first;
    std::iter::from_fn(move || {
        let size = std::mem::replace(&mut next_size, later);
        if rest.is_empty() {
            return None;
        }
        let cut = if rest.len() <= size {
            rest.len()
        } else {
            // The last line end within `size`, or past it when a line is longer.
            match memchr::memrchr(b'\n', &rest[..size]) {
                Some(i) => i + 1,
                None => memchr::memchr(b'\n', &rest[size..]).map_or(rest.len(), |i| size + i + 1),
            }
        };
        let (piece, tail) = rest.split_at(cut);
        rest = tail;
        Some(piece)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_end_at_line_ends_and_cover_everything() {
        let data = b"aaaa\nbb\ncccccccccccccccc\nd\n\neeeee";
        for block in 1..12 {
            let parts: Vec<&[u8]> = slices(data, block, block).collect();
            assert_eq!(parts.concat(), data.to_vec(), "block {block}");
            for p in &parts[..parts.len() - 1] {
                assert!(p.ends_with(b"\n"), "block {block}: {:?}", String::from_utf8_lossy(p));
                // A block holds more than one line only when they fit.
                assert!(p.len() <= block || p.iter().filter(|&&c| c == b'\n').count() == 1);
            }
        }
        assert_eq!(slices(b"", 4, 4).count(), 0);
        let sizes: Vec<usize> = slices(b"a\nb\nc\nd\ne\nf\n", 2, 4).map(<[u8]>::len).collect();
        assert_eq!(sizes, [2, 4, 4, 2]);
    }
}
