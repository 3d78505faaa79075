//! Reading a plain file through a read-only memory map instead of `read` calls.
//!
//! A file already in the page cache is then parsed where it lies: no copy into a
//! buffer (a tenth of a load's CPU time with `read`), and no reader thread taking a
//! core from the parsers. Gzip files, standard input and small files go through
//! `read` as before.
//!
//! This is the third of the three places flowq uses `unsafe` (with the SSE2 helper
//! in `ingest::tokenize` and the allocator in `alloc`): mapping a file is a system call
//! on raw addresses. The map is private and read-only, so flowq can never write
//! through it. A file *truncated by another program while it is being read* makes
//! the kernel raise SIGBUS on the pages past its new end; flowq's handler for it ends
//! the run with an error naming the file (exit 1) rather than a crash, and
//! `--no-mmap` reads with `read` calls instead, for inputs that may shrink under flowq
//! (a log rotated with copy-and-truncate).
#![allow(unsafe_code)]

use std::fs::File;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// The name of the file mapped last, for the SIGBUS handler: plain atomics, which a
/// signal handler may read (a lock or an allocation it may not).
static NAME: [AtomicU8; 512] = [const { AtomicU8::new(0) }; 512];
static NAME_LEN: AtomicUsize = AtomicUsize::new(0);

/// Remember `name` as the file being read.
fn set_name(name: &str) {
    let bytes = &name.as_bytes()[..name.len().min(NAME.len())];
    for (slot, &b) in NAME.iter().zip(bytes) {
        slot.store(b, Ordering::Relaxed);
    }
    NAME_LEN.store(bytes.len(), Ordering::Release);
}

#[cfg(unix)]
extern "C" fn on_bus_error(_: libc::c_int) {
    let mut msg = [0u8; 700];
    let mut n = 0;
    let mut put = |b: &[u8]| {
        for &c in b {
            if n < msg.len() {
                msg[n] = c;
                n += 1;
            }
        }
    };
    put(b"error: cannot read '");
    for slot in &NAME[..NAME_LEN.load(Ordering::Acquire)] {
        let c = slot.load(Ordering::Relaxed);
        put(&[if c.is_ascii_control() { b'?' } else { c }]);
    }
    put(b"': the file shrank while flowq read it (another program truncated it)\n");
    put(b"  = help: --no-mmap reads files with read calls, which a shrinking file cannot stop\n");
    // SAFETY: write(2) and _exit(2) are async-signal-safe; `msg` is a local buffer.
    unsafe {
        libc::write(2, msg.as_ptr().cast(), n);
        libc::_exit(1);
    }
}

/// Install the SIGBUS handler, once.
#[cfg(unix)]
fn catch_bus_errors() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: a zeroed sigaction with a handler that only calls async-signal-safe
        // functions; installing it changes no memory of ours.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_bus_error as extern "C" fn(libc::c_int) as *const () as usize;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
        }
    });
}

/// Files smaller than this are read with `read` (mapping costs more than it saves).
pub const MAP_FROM_BYTES: u64 = 1 << 20;

/// A read-only map of a whole file, unmapped when dropped.
pub struct Mapped {
    ptr: *mut libc::c_void,
    len: usize,
}

// SAFETY: the map is read-only and owned by this value alone; sharing a `&[u8]` view of
// it between threads is as safe as sharing any other immutable byte slice.
unsafe impl Send for Mapped {}
unsafe impl Sync for Mapped {}

impl Mapped {
    /// Map `file` (of `len` bytes, from its metadata), or `None` where mapping is not
    /// available or fails (the caller then reads the file instead).
    #[cfg(unix)]
    pub fn new(file: &File, len: u64, name: &str) -> Option<Mapped> {
        use std::os::unix::io::AsRawFd;
        let len = usize::try_from(len).ok().filter(|&n| n > 0)?;
        catch_bus_errors();
        set_name(name);
        // SAFETY: a fresh private read-only mapping of an open file descriptor; the
        // kernel picks the address, and a failure is reported as MAP_FAILED.
        let ptr =
            unsafe { libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ, libc::MAP_PRIVATE, file.as_raw_fd(), 0) };
        if ptr == libc::MAP_FAILED {
            return None;
        }
        // The file is read front to back once: let the kernel read ahead far and map
        // pages in large batches. Advice only; a failure changes nothing.
        // SAFETY: the range is exactly the mapping just made.
        unsafe {
            libc::madvise(ptr, len, libc::MADV_SEQUENTIAL);
        }
        Some(Mapped { ptr, len })
    }

    #[cfg(not(unix))]
    pub fn new(_file: &File, _len: u64, _name: &str) -> Option<Mapped> {
        None
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` is a live read-only mapping of `len` bytes (non-zero), valid
        // until `drop`, which needs `&mut self` and so cannot run while this borrow
        // lives.
        unsafe { std::slice::from_raw_parts(self.ptr as *const u8, self.len) }
    }
}

impl Mapped {
    /// Say that bytes `start..end` of the file have been read: the whole pages among
    /// them and any before them leave the process (they stay in the page cache), so its
    /// resident memory is the records it holds, not the whole file. Reading them again
    /// would fault them back in unchanged.
    pub fn done_with(&self, start: usize, end: usize) {
        #[cfg(unix)]
        {
            const PAGE: usize = 4096;
            let (start, end) = (start / PAGE * PAGE, end.min(self.len) / PAGE * PAGE);
            if end > start {
                // SAFETY: the range lies inside the mapping (`ptr` is page aligned). For
                // a private, never written file mapping, MADV_DONTNEED only drops page
                // table entries: a later read maps the same file contents again, so no
                // byte seen through `bytes` changes. Advice only; failure changes nothing.
                unsafe {
                    libc::madvise(self.ptr.cast::<u8>().add(start).cast(), end - start, libc::MADV_DONTNEED);
                }
            }
        }
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: unmapping exactly the mapping made in `new`, once; no borrow of it
        // outlives `self`.
        unsafe {
            libc::munmap(self.ptr, self.len);
        }
    }
}
