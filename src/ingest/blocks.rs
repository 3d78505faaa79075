//! Reading an input in large blocks of whole lines, on a thread of its own.

use std::io::Read;

/// How much input is parsed at once (split across the cores).
pub const BLOCK: usize = 8 << 20;

/// Whole lines of input: `data[..len]` ends at a line end (or the input's end).
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
        let mut filled = carry.len();
        carry.clear();
        let mut eof = false;
        // Fill the buffer with large reads (a decompressor works best so), and on past
        // its end until a line ends (a line longer than a block).
        loop {
            if filled == buf.len() {
                if memchr::memrchr(b'\n', &buf[..filled]).is_some() {
                    break;
                }
                buf.resize(buf.len() * 2, 0);
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
