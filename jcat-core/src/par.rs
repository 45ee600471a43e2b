//! One ordered parallel map: items handed to worker threads one at a time
//! (longest-running items do not hold up a fixed share), results delivered
//! in input order as soon as each one and all before it are done. Used by
//! catalog verification ([`crate::verify::Verifier`]) and by the
//! CLI's `sign` / `self-sign` of many sources.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::digest::Occupied;

/// A sensible number of worker threads: the machine's parallelism, at most `items`.
pub fn worker_count(items: usize) -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.max(1))
}

/// Applies `f` to every item on `threads` threads (1: on the caller's
/// thread, in order) and calls `sink` with `(index, result)` in input order.
/// Worker threads register as busy, so a payload they read is not fanned
/// out over cores the other workers use ([`crate::digest::feed`]).
pub fn ordered_map<T, R, F, S>(items: &[T], threads: usize, f: F, mut sink: S)
where
    T: Sync,
    R: Send,
    F: Fn(usize, &T) -> R + Sync,
    S: FnMut(usize, R),
{
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        for (i, item) in items.iter().enumerate() {
            sink(i, f(i, item));
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, f) = (&next, &f);
            scope.spawn(move || {
                let _busy = Occupied::this_thread();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if tx.send((i, f(i, item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut emitted = 0usize;
        for (i, r) in rx {
            pending.insert(i, r);
            while let Some(r) = pending.remove(&emitted) {
                sink(emitted, r);
                emitted += 1;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_input_order_whatever_the_thread_count() {
        let items: Vec<u64> = (0..200).collect();
        for threads in [1, 2, 3, 8, 500] {
            let mut got = Vec::new();
            ordered_map(
                &items,
                threads,
                |i, x| {
                    // Uneven work so that completion order differs from input order.
                    let spins = (x % 7) * 1000;
                    let mut acc = *x;
                    for k in 0..spins {
                        acc = acc.wrapping_mul(31).wrapping_add(k);
                    }
                    (i, x * 2, acc)
                },
                |i, (j, y, _)| {
                    assert_eq!(i, j);
                    got.push(y);
                },
            );
            let want: Vec<u64> = items.iter().map(|x| x * 2).collect();
            assert_eq!(got, want, "{threads} threads");
        }
    }

    #[test]
    fn empty_input_calls_nothing() {
        let items: Vec<u8> = Vec::new();
        let mut calls = 0;
        ordered_map(&items, 4, |_, _| 1, |_, _: i32| calls += 1);
        assert_eq!(calls, 0);
    }
}
