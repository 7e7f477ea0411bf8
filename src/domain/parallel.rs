//! Work split over the cores: contiguous chunks of `0..n`, one per thread, or pieces handed
//! out as threads come free; results in order. The finder, full-text search and `kanbao
//! grep`'s output share it.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many items one thread is faster than starting more.
pub const PARALLEL_MIN: usize = 16_384;

fn threads_for(n: usize, min: usize) -> usize {
    if n < min {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |p| p.get()).min(4)
}

/// Runs `f` over `0..n` split into contiguous chunks, one per thread, and concatenates.
pub fn par_chunks<T: Send>(n: usize, f: impl Fn(Range<usize>) -> Vec<T> + Sync) -> Vec<Vec<T>> {
    par_chunks_from(n, PARALLEL_MIN, f)
}

/// `par_chunks` for items that are each more work than a finder entry (a bulletin's bodies to
/// read and scan, an output line to lay out): threads from `min` items on.
pub fn par_chunks_from<T: Send>(n: usize, min: usize, f: impl Fn(Range<usize>) -> Vec<T> + Sync) -> Vec<Vec<T>> {
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

/// `par_chunks_from` with `0..n` cut into pieces of `piece` items, each thread taking the next
/// piece as it finishes one, so that items of unequal cost (bulletins with many hits and with
/// none, short and long) keep every core busy to the end: with one chunk per thread, one half
/// of an archive's search could take much longer than the other. Each thread makes its own
/// state with `init` (a regex used by one thread alone does not share its scratch space
/// through a lock) and hands it to `f` with each piece. Results in order, one list per piece.
pub fn par_pieces_from<S, T: Send>(
    n: usize,
    min: usize,
    piece: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, Range<usize>) -> Vec<T> + Sync,
) -> Vec<Vec<T>> {
    let threads = threads_for(n, min);
    if threads == 1 {
        return vec![f(&mut init(), 0..n)];
    }
    let piece = piece.max(1);
    let pieces = n.div_ceil(piece);
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Vec<T>)> = std::thread::scope(|s| {
        let work = || {
            let mut state = init();
            let mut out = Vec::new();
            loop {
                let p = next.fetch_add(1, Ordering::Relaxed);
                if p >= pieces {
                    return out;
                }
                out.push((p, f(&mut state, p * piece..((p + 1) * piece).min(n))));
            }
        };
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
        handles.into_iter().flat_map(|h| h.join().expect("a worker thread panicked")).collect()
    });
    done.sort_unstable_by_key(|(p, _)| *p);
    done.into_iter().map(|(_, out)| out).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces cover `0..n` once each, in order, whatever the piece size and the cost of items.
    #[test]
    fn pieces_cover_every_item_once_in_order() {
        for n in [0, 1, 5, 63, 64, 65, 1_000, 4_099] {
            for piece in [0, 1, 7, 64, 5_000] {
                let got: Vec<usize> = par_pieces_from(
                    n,
                    2,
                    piece,
                    || (),
                    |_, r| {
                        // Uneven work: later items cost more.
                        let spin: usize = (0..r.start % 97).sum();
                        std::hint::black_box(spin);
                        r.collect()
                    },
                )
                .into_iter()
                .flatten()
                .collect();
                assert_eq!(got, (0..n).collect::<Vec<_>>(), "n {n}, piece {piece}");
            }
        }
    }
}
