//! Work split over the cores: contiguous chunks of `0..n`, one per thread, or pieces handed
//! out as threads come free; results in order. The finder, full-text search and `kanbao
//! grep`'s output share it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// Below this many items one thread is faster than starting more.
pub const PARALLEL_MIN: usize = 16_384;

/// Fewer items than this are freed where they are: a thread costs more than freeing them.
const ASIDE_MIN: usize = 1024;

/// Frees `items` on a thread of its own, not waited for, when they are many: a load is done
/// with 10,000 file names at its end, and freeing them one by one held up its last step on one
/// core. If no thread can be started they are freed here.
pub fn drop_aside<T: Send + 'static>(items: Vec<T>) {
    if items.len() >= ASIDE_MIN {
        let _ = std::thread::Builder::new().name("drop".into()).spawn(move || drop(items));
    }
}

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
    let mut out = Vec::with_capacity(n.div_ceil(piece.max(1)));
    par_pieces_into(n, min, piece, init, f, |piece| {
        out.push(piece);
        true
    });
    out
}

/// `par_pieces_from`, each piece's result handed to `sink` in order, on the calling thread, as
/// soon as it and every piece before it are done (while the threads work on the rest): a
/// `kanbao grep` of 50,000 lines writes them as they come, and holds a few pieces of them,
/// not all of them. When `sink` says `false` (the output was closed), no further piece is
/// begun and the rest are not handed on.
pub fn par_pieces_into<S, T: Send>(
    n: usize,
    min: usize,
    piece: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, Range<usize>) -> T + Sync,
    mut sink: impl FnMut(T) -> bool,
) {
    let piece = piece.max(1);
    let pieces = n.div_ceil(piece);
    let range = |p: usize| p * piece..((p + 1) * piece).min(n);
    let threads = threads_for(n, min);
    if threads == 1 {
        let mut state = init();
        for p in 0..pieces {
            if !sink(f(&mut state, range(p))) {
                return;
            }
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (done, results) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let done = done.clone();
            let (next, stop, init, f) = (&next, &stop, &init, &f);
            s.spawn(move || {
                let mut state = init();
                while !stop.load(Ordering::Relaxed) {
                    let p = next.fetch_add(1, Ordering::Relaxed);
                    // A send fails only once the caller stopped listening.
                    if p >= pieces || done.send((p, f(&mut state, range(p)))).is_err() {
                        return;
                    }
                }
            });
        }
        // Only the threads' senders are left: the loop ends when they all have.
        drop(done);
        let mut waiting = BTreeMap::new();
        let mut due = 0;
        for (p, out) in results {
            waiting.insert(p, out);
            while let Some(out) = waiting.remove(&due) {
                due += 1;
                if !sink(out) {
                    stop.store(true, Ordering::Relaxed);
                    return;
                }
            }
        }
    });
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

    /// Handed on as they come, pieces still arrive once each, in order; a sink that stops is
    /// given nothing more.
    #[test]
    fn pieces_handed_on_arrive_in_order_and_stop_when_told() {
        for n in [0, 1, 5, 63, 64, 65, 1_000, 4_099] {
            for piece in [0, 1, 7, 64, 5_000] {
                let mut got = Vec::new();
                let work = |_: &mut (), r: Range<usize>| {
                    let spin: usize = (0..(r.start * 7919) % 997).sum();
                    std::hint::black_box(spin);
                    r.collect::<Vec<usize>>()
                };
                par_pieces_into(
                    n,
                    2,
                    piece,
                    || (),
                    work,
                    |r| {
                        got.extend(r);
                        true
                    },
                );
                assert_eq!(got, (0..n).collect::<Vec<_>>(), "n {n}, piece {piece}");
                let mut taken = 0;
                par_pieces_into(
                    n,
                    2,
                    piece,
                    || (),
                    |_, r| r.start,
                    |start| {
                        assert_eq!(start, taken * piece.max(1), "n {n}, piece {piece}");
                        taken += 1;
                        taken < 3
                    },
                );
                assert_eq!(taken, n.div_ceil(piece.max(1)).min(3), "n {n}, piece {piece}");
            }
        }
    }
}
