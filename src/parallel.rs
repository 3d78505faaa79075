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
