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
//! through it. As with every program that maps files (ripgrep, databases), a file
//! *truncated by another program while it is being read* ends the process with a bus
//! error; `--no-mmap` reads with `read` calls instead, for inputs that may shrink
//! under flowq (a log rotated with copy-and-truncate).
#![allow(unsafe_code)]

use std::fs::File;

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
    pub fn new(file: &File, len: u64) -> Option<Mapped> {
        use std::os::unix::io::AsRawFd;
        let len = usize::try_from(len).ok().filter(|&n| n > 0)?;
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
    pub fn new(_file: &File, _len: u64) -> Option<Mapped> {
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
