//! Small files read whole, ahead of the parser. S3 and Object Storage hold flow logs as
//! thousands of objects of a few hundred KB each (one per interface per 5-60 minutes):
//! read one at a time, the cores would wait on every open and every decompression.
//! Here workers open, read and decompress the next files while the calling thread
//! parses the current one, and hand them over in input order.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use super::input::{Input, GZIP_MAGIC};

/// Files smaller than this on disk are read whole, ahead.
pub(super) const SMALL_FILE: u64 = 4 << 20;

/// The most a small file may hold once decompressed and still be read whole; past it
/// (a very compressible log, a gzip bomb) it is streamed like a large file, so memory
/// stays bounded.
pub(super) const MAX_WHOLE: usize = 32 << 20;

/// Files that decompress to less than this are parsed on the parsing thread alone.
pub(super) const PARSE_ALONE: usize = 2 << 20;

/// How many files past the one being parsed may be read ahead, per worker.
const AHEAD_PER_WORKER: usize = 4;

/// What a worker made of an input.
pub(super) enum Ahead {
    /// Its bytes, decompressed; `disk` is its size on disk.
    Whole(Whole),
    /// To be read the usual way by the parsing thread: standard input, a large file,
    /// a Parquet file, one that decompresses past [`MAX_WHOLE`], one that cannot be
    /// read (the usual way says why, in order with the other inputs).
    Usual,
}

/// A small file read whole.
pub(super) struct Whole {
    /// Its bytes, decompressed.
    pub data: Vec<u8>,
    pub compressed: bool,
    /// Its size on disk.
    pub disk: u64,
}

/// Read `inputs` ahead on `workers` threads and call `parse` on each, in order, on the
/// calling thread (`None`: read it the usual way); stops at the first error `parse`
/// returns.
pub(super) fn each<E>(
    inputs: &[Input],
    workers: usize,
    mut parse: impl FnMut(&Input, Option<&Whole>) -> Result<(), E>,
) -> Result<(), E> {
    // One small file on its own gains nothing from a worker.
    if inputs.len() < 2 || workers == 0 {
        return inputs.iter().try_for_each(|i| parse(i, None));
    }
    let window = workers * AHEAD_PER_WORKER;
    let state = Shared {
        next: AtomicUsize::new(0),
        done: Mutex::new(Done::default()),
        changed: Condvar::new(),
        free: Mutex::new(Vec::new()),
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| state.work(inputs, window));
        }
        let mut result = Ok(());
        for (k, input) in inputs.iter().enumerate() {
            result = match state.take(k) {
                Ahead::Whole(whole) => {
                    let r = parse(input, Some(&whole));
                    state.give_back(whole.data, window);
                    r
                }
                Ahead::Usual => parse(input, None),
            };
            if result.is_err() {
                break;
            }
        }
        state.stop();
        result
    })
}

#[derive(Default)]
struct Done {
    /// Files read, by index, not yet taken.
    ready: BTreeMap<usize, Ahead>,
    /// The index the parser waits for next.
    taken: usize,
    stopped: bool,
}

struct Shared {
    /// The next index a worker claims.
    next: AtomicUsize,
    done: Mutex<Done>,
    changed: Condvar,
    /// Buffers parsed and given back, for the next files: fresh memory costs a page
    /// fault per 4 KB, more than the copy into it.
    free: Mutex<Vec<Vec<u8>>>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Done> {
        // A worker that panicked leaves nothing half-written behind: the map is whole.
        self.done.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn work(&self, inputs: &[Input], window: usize) {
        let mut raw = Vec::new();
        loop {
            let k = self.next.fetch_add(1, Ordering::Relaxed);
            if k >= inputs.len() {
                return;
            }
            // Stay within the window past what the parser has taken: memory is bounded.
            {
                let mut d = self.lock();
                while !d.stopped && k >= d.taken + window {
                    d = self.changed.wait(d).unwrap_or_else(std::sync::PoisonError::into_inner);
                }
                if d.stopped {
                    return;
                }
            }
            // A worker that failed leaves the file to the usual way: the parser never
            // waits for a file nobody will bring.
            let data = self.free.lock().ok().and_then(|mut f| f.pop()).unwrap_or_default();
            let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_whole(&inputs[k], &mut raw, data)))
                .unwrap_or(Ahead::Usual);
            self.lock().ready.insert(k, got);
            self.changed.notify_all();
        }
    }

    /// Wait for input `k` and take it.
    fn take(&self, k: usize) -> Ahead {
        let mut d = self.lock();
        loop {
            if let Some(got) = d.ready.remove(&k) {
                d.taken = k + 1;
                drop(d);
                self.changed.notify_all();
                return got;
            }
            d = self.changed.wait(d).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// Keep a parsed file's buffer for a later file (as many as may be in flight).
    fn give_back(&self, mut data: Vec<u8>, window: usize) {
        data.clear();
        if let Ok(mut free) = self.free.lock() {
            if free.len() < window {
                free.push(data);
            }
        }
    }

    fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }
}

/// A small file's bytes, decompressed when gzipped, into `data` (`raw` holds the
/// compressed bytes); anything else is left to the usual way.
fn read_whole(input: &Input, raw: &mut Vec<u8>, mut data: Vec<u8>) -> Ahead {
    let Input::File(path) = input else { return Ahead::Usual };
    let Ok(mut file) = std::fs::File::open(path) else { return Ahead::Usual };
    let disk = match file.metadata() {
        Ok(m) if m.is_file() && m.len() < SMALL_FILE => m.len(),
        _ => return Ahead::Usual,
    };
    raw.clear();
    data.clear();
    if file.read_to_end(raw).is_err() || super::parquet::is_parquet(raw) {
        return Ahead::Usual;
    }
    if !raw.starts_with(&GZIP_MAGIC) {
        data.extend_from_slice(raw);
        return Ahead::Whole(Whole { data, compressed: false, disk });
    }
    // Flow logs compress about 6-10 times; the buffer grows past that if need be.
    data.reserve((raw.len() * 8).min(MAX_WHOLE));
    let decoder = flate2::bufread::MultiGzDecoder::new(&raw[..]);
    match decoder.take(MAX_WHOLE as u64 + 1).read_to_end(&mut data) {
        // A damaged stream is read the usual way, which keeps what came before the
        // damage and reports where the input was cut short.
        Ok(n) if n <= MAX_WHOLE => Ahead::Whole(Whole { data, compressed: true, disk }),
        _ => Ahead::Usual,
    }
}

impl super::Loader {
    /// Read `inputs` in order, the small files among them read whole ahead of the
    /// parser (see `ahead`).
    pub fn add_inputs(&mut self, inputs: &[Input]) -> Result<(), crate::diag::Diagnostic> {
        each(inputs, self.opts.threads, |i, whole| match whole {
            Some(w) => self.add_whole(&i.name(), w),
            None => self.add_input(i),
        })
    }

    /// Read a small file read whole ahead.
    fn add_whole(&mut self, name: &str, w: &Whole) -> Result<(), crate::diag::Diagnostic> {
        if let Some(p) = &self.opts.progress {
            p.fetch_add(w.disk, std::sync::atomic::Ordering::Relaxed);
        }
        self.size_hint = Some(w.data.len() as u64);
        // A small file is parsed on this thread alone: the workers reading ahead keep
        // the other cores busy, and handing a few hundred KB to parser threads costs
        // more than it saves.
        let threads = self.opts.threads;
        if w.data.len() < PARSE_ALONE {
            self.opts.threads = 1;
        }
        let r = self.parse_blocks(name, super::blocks::slices(&w.data, self.slices.0, self.slices.1).map(Ok), |_| {});
        self.opts.threads = threads;
        self.size_hint = None;
        if let Some(last) = self.report.inputs.last_mut() {
            last.compressed = w.compressed;
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_come_back_in_order_whatever_the_workers_do() {
        let dir = std::env::temp_dir().join(format!("flowq-ahead-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut inputs = Vec::new();
        for k in 0..40 {
            let p = dir.join(format!("{k}.log"));
            // Sizes that differ a lot, so workers finish out of order.
            std::fs::write(&p, format!("{k}\n").repeat(1 + (k * 7919) % 5000)).unwrap();
            inputs.push(Input::File(p));
        }
        inputs.push(Input::File(dir.join("missing.log")));
        for workers in [1, 2, 5] {
            let mut seen = Vec::new();
            each(&inputs, workers, |i, got| {
                let first = match got {
                    Some(w) => String::from_utf8_lossy(&w.data).lines().next().unwrap().to_string(),
                    None => "usual".to_string(),
                };
                seen.push((i.name(), first));
                Ok::<_, ()>(())
            })
            .unwrap();
            let want: Vec<(String, String)> = (0..40)
                .map(|k| (dir.join(format!("{k}.log")).display().to_string(), k.to_string()))
                .chain([(dir.join("missing.log").display().to_string(), "usual".to_string())])
                .collect();
            assert_eq!(seen, want, "{workers} workers");
        }
        // An error stops the reading: later files are not parsed.
        let mut parsed = 0;
        let r = each(&inputs, 2, |_, _| {
            parsed += 1;
            if parsed == 3 {
                Err("bad")
            } else {
                Ok(())
            }
        });
        assert_eq!((r, parsed), (Err("bad"), 3));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_bomb_is_left_to_the_stream() {
        let dir = std::env::temp_dir().join(format!("flowq-ahead-bomb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("zeros.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &vec![b'0'; MAX_WHOLE + 10]).unwrap();
        std::fs::write(&p, gz.finish().unwrap()).unwrap();
        assert!(matches!(read_whole(&Input::File(p), &mut Vec::new(), Vec::new()), Ahead::Usual));
        let small = dir.join("small.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"2 a b\n").unwrap();
        std::fs::write(&small, gz.finish().unwrap()).unwrap();
        // A buffer given back holds nothing of its last file.
        match read_whole(&Input::File(small), &mut Vec::new(), b"stale".to_vec()) {
            Ahead::Whole(Whole { data, compressed, .. }) => assert_eq!((data, compressed), (b"2 a b\n".to_vec(), true)),
            Ahead::Usual => panic!("a small gzip file is read whole"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
