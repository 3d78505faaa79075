//! The program's allocator: the system's, asking the kernel to back large blocks with
//! huge pages.
//!
//! flowq's working set is a few large arrays (record columns, group keys, output
//! buffers), each written once soon after it is allocated. With 4 KiB pages every
//! first write of a page is a page fault; a 10-million-record query took half a million
//! of them, over a second of kernel time on two cores. Where the kernel leaves huge
//! pages to programs that ask (`/sys/kernel/mm/transparent_hugepage/enabled` set to
//! `madvise`, the common default), marking large blocks `MADV_HUGEPAGE` lets one fault
//! map 2 MiB. Where huge pages are off or always on, the advice changes nothing.
//!
//! This is one of the three places flowq uses `unsafe` (the others are the SSE2
//! helper in `ingest::tokenize` and the file map in `ingest::mapped`): implementing `GlobalAlloc` is unsafe by definition,
//! and `madvise` is a system call on raw addresses.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};

/// The system allocator, advising huge pages for blocks of [`LARGE`] bytes or more.
pub struct HugePageAlloc;

/// Blocks from this size on are advised (smaller ones would hold at most one whole
/// huge page, if any).
pub const LARGE: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;

/// Advise huge pages for the whole 2 MiB frames inside `[ptr, ptr + size)`.
#[cfg(target_os = "linux")]
fn advise(ptr: *mut u8, size: usize) {
    if size < LARGE || ptr.is_null() {
        return;
    }
    let addr = ptr as usize;
    let start = addr.next_multiple_of(HUGE_PAGE);
    let end = (addr + size) / HUGE_PAGE * HUGE_PAGE;
    if end > start {
        // SAFETY: the range lies inside a block the system allocator has just given
        // us, and MADV_HUGEPAGE only says how to back it: its contents and validity are
        // unchanged. A failure (huge pages unsupported) leaves things as they were, so
        // the result is ignored.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_ptr: *mut u8, _size: usize) {}

// SAFETY: every method hands the request to `System` unchanged and returns its answer;
// `advise` only adds advice on memory `System` returned.
unsafe impl GlobalAlloc for HugePageAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        let p = unsafe { System.alloc(layout) };
        advise(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        advise(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` with `layout` (all blocks do).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; the caller's contract for `realloc` is passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        advise(p, new_size);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_every_size_come_back_usable() {
        let a = HugePageAlloc;
        for size in [1, 4096, LARGE - 1, LARGE, LARGE + 12345, 3 * LARGE] {
            let layout = Layout::from_size_align(size, 64).unwrap();
            // SAFETY: a non-zero size; the block is written within bounds and freed
            // with its layout.
            unsafe {
                let p = a.alloc_zeroed(layout);
                assert!(!p.is_null());
                assert_eq!(*p.add(size - 1), 0);
                *p.add(size - 1) = 7;
                let q = a.realloc(p, layout, size * 2);
                assert_eq!(*q.add(size - 1), 7);
                a.dealloc(q, Layout::from_size_align(size * 2, 64).unwrap());
            }
        }
    }
}
