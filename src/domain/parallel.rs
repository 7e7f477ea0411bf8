//! Work split over the cores: contiguous chunks of `0..n`, one per thread, results in order.
//! The finder, full-text search and `kanbao grep`'s output share it.

/// Below this many items one thread is faster than starting more.
pub const PARALLEL_MIN: usize = 16_384;

fn threads_for(n: usize, min: usize) -> usize {
    if n < min {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |p| p.get()).min(4)
}

/// Runs `f` over `0..n` split into contiguous chunks, one per thread, and concatenates.
pub fn par_chunks<T: Send>(n: usize, f: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync) -> Vec<Vec<T>> {
    par_chunks_from(n, PARALLEL_MIN, f)
}

/// `par_chunks` for items that are each more work than a finder entry (a bulletin's bodies to
/// read and scan, an output line to lay out): threads from `min` items on.
pub fn par_chunks_from<T: Send>(
    n: usize,
    min: usize,
    f: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync,
) -> Vec<Vec<T>> {
    let threads = threads_for(n, min);
    if threads == 1 {
        return vec![f(0..n)];
    }
    let step = n.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..threads).map(|t| (t * step)..((t + 1) * step).min(n)).map(|r| s.spawn(|| f(r))).collect();
        handles.into_iter().map(|h| h.join().expect("a worker thread panicked")).collect()
    })
}
