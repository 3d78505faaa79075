//! Row filtering on all cores, the one place `where`, link's key check and `in`
//! subqueries split rows across threads.

use std::sync::atomic::Ordering;

use super::{expr, CANCEL, CHECK_EVERY};

/// Keep the rows for which `keep` holds, on all cores for large inputs; order is kept.
pub(crate) fn par_filter(rows: &[u32], keep: impl Fn(u32) -> bool + Sync) -> Vec<u32> {
    let threads = crate::parallel::threads();
    let filter_part = |part: &[u32]| -> (Vec<u32>, Option<expr::Overflow>) {
        let mut out = Vec::new();
        for block in part.chunks(CHECK_EVERY) {
            if CANCEL.load(Ordering::Relaxed) {
                break;
            }
            out.extend(block.iter().copied().filter(|&r| keep(r)));
        }
        (out, expr::take_overflow())
    };
    let mut out = Vec::new();
    let mut overflow = None;
    if rows.len() < 100_000 || threads == 1 {
        (out, overflow) = filter_part(rows);
    } else {
        let chunk = rows.len().div_ceil(threads);
        std::thread::scope(|s| {
            let filter_part = &filter_part;
            let parts: Vec<_> = rows.chunks(chunk).map(|c| s.spawn(move || filter_part(c))).collect();
            for p in parts {
                let (part, o) = p.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                out.extend(part);
                overflow = overflow.or(o);
            }
        });
    }
    // The stage's thread reports what its workers computed past 64 bits.
    if let Some(o) = overflow {
        expr::note_overflow(o);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::BinOp;

    #[test]
    fn an_overflow_on_a_worker_thread_reaches_the_caller() {
        // Enough rows for the threaded path; one row overflows on whichever worker.
        expr::take_overflow();
        let rows: Vec<u32> = (0..300_000).collect();
        let kept = par_filter(&rows, |r| {
            if r == 250_000 {
                expr::note_overflow(expr::Overflow { x: i64::MAX, op: BinOp::Add, y: 1, time: false });
            }
            r % 2 == 0
        });
        assert_eq!(kept.len(), 150_000);
        assert!(kept.windows(2).all(|w| w[0] < w[1]), "order is kept");
        let o = expr::take_overflow().expect("the worker's overflow is noted on the caller");
        assert_eq!((o.x, o.y), (i64::MAX, 1));
        assert!(expr::take_overflow().is_none());
    }
}
