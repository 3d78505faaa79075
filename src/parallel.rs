//! Splitting work over the cores.

/// Cores to use.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).max(1)
}

/// Run `f` on each core over matching shares of `input` and `output` (same length);
/// the results come back in share order.
pub fn per_core<I: Sync, O: Send, R: Send>(
    input: &[I],
    output: &mut [O],
    f: impl Fn(&[I], &mut [O]) -> R + Sync,
) -> Vec<R> {
    let share = input.len().div_ceil(threads()).max(1);
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> =
            input.chunks(share).zip(output.chunks_mut(share)).map(|(i, o)| s.spawn(move || f(i, o))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// Run `f` on each core over a share of `input`; the results come back in share order.
pub fn per_share<I: Sync, R: Send>(input: &[I], f: impl Fn(usize, &[I]) -> R + Sync) -> Vec<R> {
    let share = input.len().div_ceil(threads()).max(1);
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> =
            input.chunks(share).enumerate().map(|(i, part)| s.spawn(move || f(i * share, part))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// Run `f` on every job on up to `workers` threads: each takes the next job when it is
/// done with one, so a thread that is slow or briefly descheduled holds up little.
/// The results come back in job order.
pub fn jobs<J: Send, R: Send>(jobs: Vec<J>, workers: usize, f: impl Fn(J) -> R + Sync) -> Vec<R> {
    let workers = workers.min(jobs.len());
    if workers <= 1 {
        return jobs.into_iter().map(f).collect();
    }
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let (queue, f) = (&queue, &f);
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(move || {
                    let mut mine = Vec::new();
                    // The lock is held only to take a job (it cannot be poisoned).
                    while let Some((i, job)) = queue.lock().ok().and_then(|mut q| q.next()) {
                        mine.push((i, f(job)));
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    });
    done.sort_unstable_by_key(|&(i, _)| i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `(0..n).map(f)` collected, computed on all cores for large `n` (so the output's
/// pages are also first touched, and faulted in, by the cores that fill them).
pub fn build<O: Copy + Default + Send + Sync>(n: usize, f: impl Fn(usize) -> O + Sync) -> Vec<O> {
    let mut out = vec![O::default(); n];
    if n < 1 << 16 {
        out.iter_mut().enumerate().for_each(|(i, o)| *o = f(i));
        return out;
    }
    let share = n.div_ceil(threads()).max(1);
    std::thread::scope(|s| {
        let f = &f;
        for (c, part) in out.chunks_mut(share).enumerate() {
            s.spawn(move || part.iter_mut().enumerate().for_each(|(j, o)| *o = f(c * share + j)));
        }
    });
    out
}

/// Run `f` on each core over a share of `data`, in place.
pub fn per_core_mut<T: Send>(data: &mut [T], f: impl Fn(&mut [T]) + Sync) {
    let share = data.len().div_ceil(threads()).max(1);
    std::thread::scope(|s| {
        let f = &f;
        for part in data.chunks_mut(share) {
            s.spawn(move || f(part));
        }
    });
}
