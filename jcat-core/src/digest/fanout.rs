//! Digest fan-out: one reader, the payload's chunks handed to one worker per
//! digest group, so that SHA-512 and SHA-1 + SHA-256 (the LVFS item shape)
//! run on different cores. Chunks are shared (`Arc`'d buffers from a small
//! pool, never copied per digest), so memory is bounded by
//! [`POOL`] × [`FAN_CHUNK`] whatever the payload size.
//!
//! The fan-out is used only when it can help: several sinks, a payload of
//! at least [`FAN_MIN`] bytes, and a core that nobody else is using (item
//! workers of a parallel verification register themselves, see
//! [`Occupied`]). Otherwise the one-thread loop of [`crate::payload::CHUNK`]
//! chunks runs, exactly as before.

use std::cell::Cell;
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

use super::{DigestAlg, HashState};

/// Chunk size of the fan-out (measured, see BENCHMARKS.md and D54: large
/// enough that the hand-over costs nothing, small enough to stay in L2).
pub const FAN_CHUNK: usize = 256 * 1024;

/// Buffers in flight: the reader runs at most this many chunks ahead of the
/// slowest worker.
pub const POOL: usize = 8;

/// Payloads below this size are hashed on one thread (spawning costs more).
pub const FAN_MIN: u64 = 4 * 1024 * 1024;

/// Something fed the payload's chunks, in order.
pub trait ChunkSink: Send {
    /// Feeds the next chunk.
    fn feed(&mut self, chunk: &[u8]);
    /// Relative cost per byte (SHA-256 with SHA-NI = 10), to balance the groups.
    fn cost(&self) -> u32;
}

impl ChunkSink for HashState {
    fn feed(&mut self, chunk: &[u8]) {
        self.update(chunk);
    }

    fn cost(&self) -> u32 {
        alg_cost(match self {
            Self::Sha1(_) => DigestAlg::Sha1,
            Self::Sha224(_) => DigestAlg::Sha224,
            Self::Sha256(_) => DigestAlg::Sha256,
            Self::Sha384(_) => DigestAlg::Sha384,
            Self::Sha512(_) => DigestAlg::Sha512,
        })
    }
}

/// Relative cost per byte of an algorithm (measured with `openssl speed`
/// and `sha2` on this machine: SHA-1 ≈ SHA-256 with SHA-NI, SHA-512 in
/// software ≈ 1.8 ×).
pub fn alg_cost(alg: DigestAlg) -> u32 {
    match alg {
        DigestAlg::Sha1 | DigestAlg::Sha224 | DigestAlg::Sha256 => 10,
        DigestAlg::Sha384 | DigestAlg::Sha512 => 18,
    }
}

/// Threads doing payload work in this process (parallel item workers and
/// fan-out workers): the fan-out uses only the cores left over.
static BUSY: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static REGISTERED: Cell<bool> = const { Cell::new(false) };
}

/// A registration of `n` threads in the busy count, released on drop.
#[derive(Debug)]
pub struct Occupied {
    n: usize,
    this_thread: bool,
}

impl Occupied {
    /// Registers the calling thread (once: nested registrations of the same
    /// thread count nothing).
    pub fn this_thread() -> Self {
        let fresh = REGISTERED.with(|r| !r.replace(true));
        if fresh {
            BUSY.fetch_add(1, Ordering::Relaxed);
        }
        Self {
            n: usize::from(fresh),
            this_thread: fresh,
        }
    }

    fn workers(n: usize) -> Self {
        BUSY.fetch_add(n, Ordering::Relaxed);
        Self {
            n,
            this_thread: false,
        }
    }
}

impl Drop for Occupied {
    fn drop(&mut self) {
        BUSY.fetch_sub(self.n, Ordering::Relaxed);
        if self.this_thread {
            REGISTERED.with(|r| r.set(false));
        }
    }
}

fn cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Splits `sinks` into `groups` groups of balanced cost (longest first, each
/// to the least loaded group); returns the groups and their loads.
fn balance<'s>(
    sinks: Vec<&'s mut dyn ChunkSink>,
    groups: usize,
) -> Vec<(u32, Vec<&'s mut dyn ChunkSink>)> {
    let mut sinks = sinks;
    sinks.sort_by_key(|s| std::cmp::Reverse(s.cost()));
    let mut out: Vec<(u32, Vec<&'s mut dyn ChunkSink>)> =
        (0..groups.max(1)).map(|_| (0, Vec::new())).collect();
    for s in sinks {
        let cost = s.cost();
        if let Some(g) = out.iter_mut().min_by_key(|(load, _)| *load) {
            g.0 += cost;
            g.1.push(s);
        }
    }
    out.retain(|(_, g)| !g.is_empty());
    out
}

/// How many threads (the caller included) a payload of `len` bytes with
/// `sinks` sinks gets now.
fn threads_for(len: Option<u64>, sinks: usize, limit: usize) -> usize {
    if sinks < 2 || len.is_some_and(|l| l < FAN_MIN) {
        return 1;
    }
    let free = cores().saturating_sub(BUSY.load(Ordering::Relaxed));
    // The calling thread is registered already: it counts as one of ours.
    (free + 1).min(sinks).min(limit).max(1)
}

/// Reads `reader` to the end, feeding every sink every byte in order.
/// `len` (if known) and the machine decide between the fan-out and one
/// thread; `max_threads` caps the threads (1 forces the one-thread loop).
/// `progress` gets the bytes read so far after each chunk. Returns the
/// number of bytes read; on a read error the sinks have been fed a prefix.
pub fn feed(
    reader: &mut dyn Read,
    len: Option<u64>,
    sinks: Vec<&mut dyn ChunkSink>,
    max_threads: usize,
    progress: &mut dyn FnMut(u64),
) -> std::io::Result<u64> {
    let _me = Occupied::this_thread();
    let threads = threads_for(len, sinks.len(), max_threads);
    if threads <= 1 {
        return feed_one(reader, sinks, crate::payload::CHUNK, progress);
    }
    let _workers = Occupied::workers(threads - 1);
    feed_fan(reader, balance(sinks, threads), FAN_CHUNK, progress)
}

/// [`feed`] with the fan-out's chunk size given (for the chunk-size
/// benchmark; `threads` ≥ 2 always fans out, whatever the load).
#[doc(hidden)]
pub fn feed_chunked(
    reader: &mut dyn Read,
    sinks: Vec<&mut dyn ChunkSink>,
    threads: usize,
    chunk: usize,
) -> std::io::Result<u64> {
    if threads <= 1 {
        return feed_one(reader, sinks, chunk, &mut |_| {});
    }
    feed_fan(reader, balance(sinks, threads), chunk, &mut |_| {})
}

/// Reads a chunk: fills `buf` unless the end comes first; returns the length.
fn fill(reader: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        let Some(rest) = buf.get_mut(n..) else { break };
        match reader.read(rest) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The one-thread loop.
pub(crate) fn feed_one(
    reader: &mut dyn Read,
    mut sinks: Vec<&mut dyn ChunkSink>,
    chunk: usize,
    progress: &mut dyn FnMut(u64),
) -> std::io::Result<u64> {
    let mut buf = vec![0u8; chunk.max(1)];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let data = buf.get(..n).unwrap_or_default();
        for s in sinks.iter_mut() {
            s.feed(data);
        }
        total += n as u64;
        progress(total);
    }
    Ok(total)
}

/// The fan-out: the calling thread reads and feeds the lightest group; one
/// scoped worker per other group.
pub(crate) fn feed_fan(
    reader: &mut dyn Read,
    mut groups: Vec<(u32, Vec<&mut dyn ChunkSink>)>,
    chunk: usize,
    progress: &mut dyn FnMut(u64),
) -> std::io::Result<u64> {
    // The lightest group stays with the reader (it also pays for the reads).
    groups.sort_by_key(|(load, _)| std::cmp::Reverse(*load));
    let Some((_, mut mine)) = groups.pop() else {
        return feed_one(reader, Vec::new(), chunk, progress);
    };
    let chunk = chunk.max(1);
    let (back_tx, back_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let mut txs = Vec::with_capacity(groups.len());
        for (_, mut group) in groups {
            let (tx, rx) = mpsc::sync_channel::<Arc<Vec<u8>>>(POOL);
            let back = back_tx.clone();
            txs.push(tx);
            scope.spawn(move || {
                for data in rx {
                    for s in group.iter_mut() {
                        s.feed(&data);
                    }
                    if let Some(v) = Arc::into_inner(data) {
                        let _ = back.send(v);
                    }
                }
            });
        }
        drop(back_tx);
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let mut allocated = 0usize;
        let mut total = 0u64;
        let result = loop {
            let mut buf = match spare.pop().or_else(|| back_rx.try_recv().ok()) {
                Some(b) => b,
                None if allocated < POOL => {
                    allocated += 1;
                    Vec::with_capacity(chunk)
                }
                None => match back_rx.recv() {
                    Ok(b) => b,
                    // Every worker is gone (cannot happen unless one panicked).
                    Err(_) => break Err(std::io::Error::other("digest worker stopped")),
                },
            };
            buf.resize(chunk, 0);
            let n = match fill(reader, &mut buf) {
                Ok(0) => break Ok(total),
                Ok(n) => n,
                Err(e) => break Err(e),
            };
            buf.truncate(n);
            let data = Arc::new(buf);
            for tx in &txs {
                if tx.send(Arc::clone(&data)).is_err() {
                    break;
                }
            }
            for s in mine.iter_mut() {
                s.feed(&data);
            }
            total += n as u64;
            progress(total);
            if let Some(v) = Arc::into_inner(data) {
                spare.push(v);
            }
        };
        drop(txs);
        result
    })
}

#[cfg(test)]
mod tests;
