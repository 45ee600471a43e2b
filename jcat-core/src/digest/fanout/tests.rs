use super::*;
use crate::digest::DigestSet;

/// Deterministic pseudo-random bytes (xorshift), seeded per test case.
fn bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn lvfs_set() -> DigestSet {
    let mut set = DigestSet::new();
    for a in [DigestAlg::Sha1, DigestAlg::Sha256, DigestAlg::Sha512] {
        set.request(a);
    }
    set
}

fn digests(set: &DigestSet) -> Vec<Vec<u8>> {
    set.algorithms().filter_map(|a| set.digest(a)).collect()
}

/// A sink that records every byte it is fed.
struct Record(Vec<u8>);

impl ChunkSink for Record {
    fn feed(&mut self, chunk: &[u8]) {
        self.0.extend_from_slice(chunk);
    }
    fn cost(&self) -> u32 {
        18
    }
}

/// A reader that fails after `ok` bytes.
struct FailAfter {
    data: Vec<u8>,
    pos: usize,
    ok: usize,
}

impl Read for FailAfter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.ok {
            return Err(std::io::Error::other("disk on fire"));
        }
        let end = self.ok.min(self.pos + buf.len()).min(self.data.len());
        let src = self.data.get(self.pos..end).unwrap_or_default();
        let n = src.len();
        if let Some(dst) = buf.get_mut(..n) {
            dst.copy_from_slice(src);
        }
        self.pos = end;
        Ok(n)
    }
}

#[test]
fn fan_out_equals_one_thread_on_random_sizes_and_chunk_boundaries() {
    let chunk = 4096;
    let mut sizes = vec![
        0,
        1,
        chunk - 1,
        chunk,
        chunk + 1,
        2 * chunk,
        POOL * chunk + 3,
    ];
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..12 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        sizes.push((x >> 40) as usize % (40 * chunk));
    }
    for (i, len) in sizes.into_iter().enumerate() {
        let data = bytes(len, i as u64 + 7);
        let mut one = lvfs_set();
        let n1 = feed_one(
            &mut data.as_slice(),
            one.sinks_mut().collect(),
            chunk,
            &mut |_| {},
        )
        .unwrap();
        for groups in 2..=3 {
            let mut fan = lvfs_set();
            let mut last = 0;
            let n2 = feed_fan(
                &mut data.as_slice(),
                balance(fan.sinks_mut().collect(), groups),
                chunk,
                &mut |read| {
                    assert!(read > last && read <= len as u64);
                    last = read;
                },
            )
            .unwrap();
            assert_eq!((n1, n2), (len as u64, len as u64));
            assert_eq!(last, len as u64);
            assert_eq!(digests(&one), digests(&fan), "len {len}, {groups} groups");
        }
        // And against the one-call digests.
        assert_eq!(
            one.digest(DigestAlg::Sha512),
            Some(crate::digest::digest(DigestAlg::Sha512, &data))
        );
    }
}

#[test]
fn every_sink_sees_every_byte_in_order() {
    let data = bytes(100_003, 3);
    let mut sinks: Vec<Record> = (0..4).map(|_| Record(Vec::new())).collect();
    let refs: Vec<&mut dyn ChunkSink> = sinks.iter_mut().map(|s| s as &mut dyn ChunkSink).collect();
    feed_fan(&mut data.as_slice(), balance(refs, 3), 1000, &mut |_| {}).unwrap();
    for s in &sinks {
        assert!(s.0 == data);
    }
}

#[test]
fn io_error_mid_stream_is_reported_by_both_paths() {
    let data = bytes(50_000, 5);
    for ok in [0, 4096, 4097, 30_000] {
        let mut one = lvfs_set();
        let mut r = FailAfter {
            data: data.clone(),
            pos: 0,
            ok,
        };
        let e1 = feed_one(&mut r, one.sinks_mut().collect(), 4096, &mut |_| {}).unwrap_err();
        let mut fan = lvfs_set();
        let mut r = FailAfter {
            data: data.clone(),
            pos: 0,
            ok,
        };
        let e2 = feed_fan(
            &mut r,
            balance(fan.sinks_mut().collect(), 2),
            4096,
            &mut |_| {},
        )
        .unwrap_err();
        assert_eq!(e1.kind(), std::io::ErrorKind::Other);
        assert_eq!(e1.to_string(), e2.to_string());
    }
}

#[test]
fn groups_balance_sha512_against_sha1_and_sha256() {
    let mut set = lvfs_set();
    let groups = balance(set.sinks_mut().collect(), 2);
    let loads: Vec<u32> = groups.iter().map(|(l, _)| *l).collect();
    assert_eq!(loads.len(), 2);
    assert!(loads.contains(&alg_cost(DigestAlg::Sha512)));
    assert!(loads.contains(&(2 * alg_cost(DigestAlg::Sha256))));
    // Fewer sinks than groups: no empty group.
    let mut one = DigestSet::new();
    one.request(DigestAlg::Sha256);
    assert_eq!(balance(one.sinks_mut().collect(), 3).len(), 1);
}

#[test]
fn small_payloads_and_single_sinks_stay_on_one_thread() {
    assert_eq!(threads_for(Some(FAN_MIN - 1), 3, usize::MAX), 1);
    assert_eq!(threads_for(Some(1 << 30), 1, usize::MAX), 1);
    assert_eq!(threads_for(Some(1 << 30), 3, 1), 1);
    let _me = Occupied::this_thread();
    // Every core taken by (pretend) item workers: no fan-out.
    let _all = Occupied::workers(cores());
    assert_eq!(threads_for(Some(1 << 30), 3, usize::MAX), 1);
}

#[test]
fn feed_through_payload_matches_one_call_digests() {
    let data = bytes((FAN_MIN as usize) + 12_345, 11);
    let (set, len) = crate::Payload::Bytes(&data)
        .digests(&[DigestAlg::Sha1, DigestAlg::Sha256, DigestAlg::Sha512])
        .unwrap();
    assert_eq!(len, data.len() as u64);
    for a in [DigestAlg::Sha1, DigestAlg::Sha256, DigestAlg::Sha512] {
        assert_eq!(set.digest(a), Some(crate::digest::digest(a, &data)));
    }
}
