//! Hash states fed from one pass over a payload; every algorithm at most once.

use digest::Digest;

mod fanout;
#[doc(hidden)]
pub use fanout::feed_chunked;
pub use fanout::{alg_cost, feed, ChunkSink, Occupied};

/// A digest algorithm a check may need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DigestAlg {
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// A running hash; cloneable so that a finished payload state can be continued
/// (OpenPGP appends its signature trailer).
#[derive(Clone)]
pub enum HashState {
    /// SHA-1.
    Sha1(sha1::Sha1),
    /// SHA-224.
    Sha224(sha2::Sha224),
    /// SHA-256.
    Sha256(sha2::Sha256),
    /// SHA-384.
    Sha384(sha2::Sha384),
    /// SHA-512.
    Sha512(sha2::Sha512),
}

impl HashState {
    /// A fresh state.
    pub fn new(alg: DigestAlg) -> Self {
        match alg {
            DigestAlg::Sha1 => Self::Sha1(sha1::Sha1::new()),
            DigestAlg::Sha224 => Self::Sha224(sha2::Sha224::new()),
            DigestAlg::Sha256 => Self::Sha256(sha2::Sha256::new()),
            DigestAlg::Sha384 => Self::Sha384(sha2::Sha384::new()),
            DigestAlg::Sha512 => Self::Sha512(sha2::Sha512::new()),
        }
    }

    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha1(h) => h.update(data),
            Self::Sha224(h) => h.update(data),
            Self::Sha256(h) => h.update(data),
            Self::Sha384(h) => h.update(data),
            Self::Sha512(h) => h.update(data),
        }
    }

    /// The digest.
    pub fn finalize(self) -> Vec<u8> {
        match self {
            Self::Sha1(h) => h.finalize().to_vec(),
            Self::Sha224(h) => h.finalize().to_vec(),
            Self::Sha256(h) => h.finalize().to_vec(),
            Self::Sha384(h) => h.finalize().to_vec(),
            Self::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

/// The digest of `data` in one call.
pub fn digest(alg: DigestAlg, data: &[u8]) -> Vec<u8> {
    let mut h = HashState::new(alg);
    h.update(data);
    h.finalize()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Hash states for one payload: request algorithms, feed chunks once, then read.
#[derive(Clone, Default)]
pub struct DigestSet {
    states: Vec<(DigestAlg, HashState)>,
}

impl DigestSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an algorithm (no-op if already requested).
    pub fn request(&mut self, alg: DigestAlg) {
        if !self.states.iter().any(|(a, _)| *a == alg) {
            self.states.push((alg, HashState::new(alg)));
        }
    }

    /// Feeds a chunk of the payload to every requested algorithm.
    pub fn update(&mut self, chunk: &[u8]) {
        for (_, s) in &mut self.states {
            s.update(chunk);
        }
    }

    /// The state after the whole payload, to be continued (cloned).
    pub fn state(&self, alg: DigestAlg) -> Option<&HashState> {
        self.states.iter().find(|(a, _)| *a == alg).map(|(_, s)| s)
    }

    /// The finished digest of the payload.
    pub fn digest(&self, alg: DigestAlg) -> Option<Vec<u8>> {
        self.state(alg).map(|s| s.clone().finalize())
    }

    /// The running states, as sinks for [`feed`] (the digest fan-out).
    pub fn sinks_mut(&mut self) -> impl Iterator<Item = &mut dyn ChunkSink> + '_ {
        self.states.iter_mut().map(|(_, s)| s as &mut dyn ChunkSink)
    }

    /// Requested algorithms.
    pub fn algorithms(&self) -> impl Iterator<Item = DigestAlg> + '_ {
        self.states.iter().map(|(a, _)| *a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(
            hex(&digest(DigestAlg::Sha256, b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&digest(DigestAlg::Sha1, b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }

    #[test]
    fn set_feeds_once_and_states_continue() {
        let mut set = DigestSet::new();
        set.request(DigestAlg::Sha256);
        set.request(DigestAlg::Sha256);
        set.request(DigestAlg::Sha1);
        assert_eq!(set.algorithms().count(), 2);
        set.update(b"hello ");
        set.update(b"world");
        assert_eq!(
            set.digest(DigestAlg::Sha256),
            Some(digest(DigestAlg::Sha256, b"hello world"))
        );
        assert_eq!(set.digest(DigestAlg::Sha512), None);
        let mut cont = set.state(DigestAlg::Sha1).cloned().map(|s| {
            let mut s = s;
            s.update(b"!");
            s.finalize()
        });
        assert_eq!(cont.take(), Some(digest(DigestAlg::Sha1, b"hello world!")));
    }
}
