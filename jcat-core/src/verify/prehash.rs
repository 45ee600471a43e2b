//! Payload digests computed ahead of verification, while something else
//! keeps the caller waiting: the trust store loading (issue 15 V5). A bundle
//! of 1 000 certificates takes milliseconds to load, and verification cannot
//! start before it is there; the checksums the catalog alone names can.
//!
//! [`Prehashed::compute`] hashes, item after item on the worker threads, the
//! payload digests an item's checksum blobs will certainly request (those
//! are known without the trust store), until every item is done or `stop`
//! is raised; an item being read when `stop` rises is abandoned, so the
//! work never outlasts the wait. [`super::Verifier::prehashed`] then uses an
//! item's digests instead of reading its payload when they cover every
//! digest the item's checks ask for and no check reads the payload itself
//! (Ed25519, OpenPGP, ML-DSA without signed attributes); otherwise the
//! payload is read as usual. The payload is still read once: each digest
//! is computed once, from the one read of the bytes the report vouches for.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{find_payload, Policy};
use crate::digest::DigestSet;
use crate::engine::checksum;
use crate::model::Item;

/// One item's digests, computed ahead.
#[derive(Clone)]
pub(crate) struct ItemDigests {
    /// The item ID they were computed for.
    id: String,
    /// The payload file that was read.
    pub(crate) path: PathBuf,
    /// Its length in bytes.
    pub(crate) len: u64,
    /// The finished states.
    pub(crate) set: DigestSet,
}

/// Digests of some items' payloads, computed before the trust store was
/// there (see the module documentation). Made by [`Prehashed::compute`],
/// used through [`super::Verifier::prehashed`].
#[derive(Clone, Default)]
pub struct Prehashed {
    /// By position in the item list given to `compute`.
    items: Vec<Option<ItemDigests>>,
}

impl std::fmt::Debug for Prehashed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prehashed")
            .field("items", &self.items.len())
            .field("hashed", &self.hashed())
            .finish()
    }
}

/// A reader that fails once `stop` is raised (the item is abandoned).
struct Until<'a, R> {
    inner: R,
    stop: &'a AtomicBool,
}

impl<R: Read> Read for Until<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.load(Ordering::Acquire) {
            return Err(std::io::Error::other("stopped"));
        }
        self.inner.read(buf)
    }
}

impl Prehashed {
    /// Hashes the payloads of `items` (found under `base` as verification
    /// finds them) for the digests their checksum blobs need, on `threads`
    /// threads, until all are done or `stop` is raised. Items whose payload
    /// is missing or unreadable, or that have no checksum blob the policy's
    /// kind filter lets through, are left to verification.
    pub fn compute(
        items: &[&Item],
        base: &Path,
        policy: &Policy,
        threads: usize,
        stop: &AtomicBool,
    ) -> Self {
        let mut out = Vec::with_capacity(items.len());
        crate::par::ordered_map(
            items,
            threads,
            |_, item| hash_one(item, base, policy, stop),
            |_, r| out.push(r),
        );
        Self { items: out }
    }

    /// How many items have their digests.
    pub fn hashed(&self) -> usize {
        self.items.iter().filter(|d| d.is_some()).count()
    }

    /// The digests of the item at `index`, if they were computed for an
    /// item of this ID.
    pub(crate) fn take(&self, index: usize, item: &Item) -> Option<ItemDigests> {
        self.items
            .get(index)
            .and_then(Option::as_ref)
            .filter(|d| d.id == item.id)
            .cloned()
    }
}

fn hash_one(item: &Item, base: &Path, policy: &Policy, stop: &AtomicBool) -> Option<ItemDigests> {
    if stop.load(Ordering::Acquire) {
        return None;
    }
    let mut set = DigestSet::new();
    for blob in &item.blobs {
        if blob.target.is_some() || policy.kind_filter.is_some_and(|k| k != blob.kind) {
            continue;
        }
        if let Some(alg) = checksum::algorithm(blob.kind) {
            set.request(alg);
        }
    }
    // Nothing the catalog alone asks for: left to verification.
    set.algorithms().next()?;
    let path = find_payload(base, item).ok()?;
    let file = std::fs::File::open(&path).ok()?;
    let len_hint = file.metadata().ok().map(|m| m.len());
    let mut reader = Until { inner: file, stop };
    let len = crate::digest::feed(
        &mut reader,
        len_hint,
        set.sinks_mut().collect(),
        usize::MAX,
        &mut |_| {},
    )
    .ok()?;
    Some(ItemDigests {
        id: item.id.clone(),
        path,
        len,
        set,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::DigestAlg;
    use crate::{Blob, BlobFlags, BlobKind, TimeCheck};

    fn item(name: &str, kinds: &[BlobKind]) -> Item {
        let mut item = Item::new(name);
        for k in kinds {
            item.blobs
                .push(Blob::new(*k, BlobFlags::IS_UTF8, b"00".to_vec(), None));
        }
        item
    }

    #[test]
    fn hashes_what_the_checksum_blobs_need_and_skips_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.bin"), b"payload a").unwrap();
        std::fs::write(dir.path().join("b.bin"), b"payload b").unwrap();
        let items = [
            item(
                "a.bin",
                &[BlobKind::Sha256, BlobKind::Sha512, BlobKind::Pkcs7],
            ),
            item("b.bin", &[BlobKind::Pkcs7]),
            item("missing.bin", &[BlobKind::Sha256]),
        ];
        let refs: Vec<&Item> = items.iter().collect();
        let policy = Policy::new(TimeCheck::At(0));
        let pre = Prehashed::compute(&refs, dir.path(), &policy, 2, &AtomicBool::new(false));
        assert_eq!(pre.hashed(), 1);
        let a = pre.take(0, &items[0]).unwrap();
        assert_eq!(a.path, dir.path().join("a.bin"));
        assert_eq!(a.len, 9);
        let mut algs: Vec<_> = a.set.algorithms().collect();
        algs.sort();
        assert_eq!(algs, [DigestAlg::Sha256, DigestAlg::Sha512]);
        assert_eq!(
            a.set.digest(DigestAlg::Sha256).unwrap(),
            crate::digest::digest(DigestAlg::Sha256, b"payload a")
        );
        // Another item at that position (a different list) gets nothing.
        assert!(pre.take(0, &items[1]).is_none());
        assert!(pre.take(1, &items[1]).is_none());
        assert!(pre.take(2, &items[2]).is_none());

        // The kind filter leaves only what verification will ask for.
        let mut only = Policy::new(TimeCheck::At(0));
        only.kind_filter = Some(BlobKind::Sha512);
        let pre = Prehashed::compute(&refs, dir.path(), &only, 1, &AtomicBool::new(false));
        let algs: Vec<_> = pre.take(0, &items[0]).unwrap().set.algorithms().collect();
        assert_eq!(algs, [DigestAlg::Sha512]);
    }

    #[test]
    fn nothing_is_hashed_once_stopped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.bin"), b"payload a").unwrap();
        let items = [item("a.bin", &[BlobKind::Sha256])];
        let refs: Vec<&Item> = items.iter().collect();
        let policy = Policy::new(TimeCheck::At(0));
        let pre = Prehashed::compute(&refs, dir.path(), &policy, 1, &AtomicBool::new(true));
        assert_eq!(pre.hashed(), 0);
        // A read under way when the flag rises is abandoned.
        let stop = AtomicBool::new(false);
        let mut r = Until {
            inner: &b"0123456789"[..],
            stop: &stop,
        };
        let mut buf = [0u8; 4];
        assert_eq!(r.read(&mut buf).unwrap(), 4);
        stop.store(true, Ordering::Release);
        assert!(r.read(&mut buf).is_err());
    }

    /// The verifier takes the digests instead of reading (the payload
    /// changed since, and the report is on the bytes that were read), and
    /// only for its next run: the run after reads the payload again.
    #[test]
    fn the_verifier_uses_the_digests_for_one_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.bin");
        std::fs::write(&path, b"first").unwrap();
        let mut catalog = crate::Catalog::new();
        let item = catalog.add_item(Item::new("a.bin")).unwrap();
        item.add_blob(
            crate::sign::checksum_blob(BlobKind::Sha256, crate::Payload::Bytes(b"first"), 0)
                .unwrap(),
        );
        let items: Vec<&Item> = catalog.items().iter().collect();
        let policy = Policy::new(TimeCheck::At(0));
        let pre = Prehashed::compute(&items, dir.path(), &policy, 1, &AtomicBool::new(false));
        assert_eq!(pre.hashed(), 1);
        std::fs::write(&path, b"second").unwrap();
        let trust = crate::TrustStore::new();
        let verifier = crate::Verifier::new(&trust, policy).threads(1);
        let fresh = verifier.verify_items(&items, catalog.items(), dir.path(), |_| {});
        assert!(!fresh.passed(), "without digests the payload is read");
        let verifier = verifier.prehashed(pre.clone());
        let first = verifier.verify_items(&items, catalog.items(), dir.path(), |_| {});
        assert!(first.passed(), "{first:?}");
        let again = verifier.verify_items(&items, catalog.items(), dir.path(), |_| {});
        assert!(!again.passed(), "digests are used by one run only");
        // Digests made for another item at that position are not taken.
        let mut other = crate::Catalog::new();
        let o = other.add_item(Item::new("a.bin.other")).unwrap();
        o.add_blob(
            crate::sign::checksum_blob(BlobKind::Sha256, crate::Payload::Bytes(b"first"), 0)
                .unwrap(),
        );
        o.alias_ids.push("a.bin".into());
        let others: Vec<&Item> = other.items().iter().collect();
        let r = crate::Verifier::new(&trust, Policy::new(TimeCheck::At(0)))
            .threads(1)
            .prehashed(pre)
            .verify_items(&others, other.items(), dir.path(), |_| {});
        assert!(!r.passed(), "{r:?}");
    }

    /// A check that reads the payload itself (Ed25519) makes the item read
    /// again: its digests alone cannot serve it, and the item passes.
    #[test]
    fn an_item_with_a_raw_payload_check_is_read_again() {
        use crate::sign::{Ed25519Key, SignOptions, SigningKey};
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.bin"), b"firmware").unwrap();
        let key = Ed25519Key::from_seed(&[9; 32]);
        let opts = SignOptions::at(0);
        let mut catalog = crate::Catalog::new();
        let item = catalog.add_item(Item::new("a.bin")).unwrap();
        for (kind, k) in [
            (BlobKind::Sha256, SigningKey::None),
            (BlobKind::Ed25519, SigningKey::Ed25519(&key)),
        ] {
            let blob = crate::sign::blob(kind, crate::Payload::Bytes(b"firmware"), &k, &opts);
            item.add_blob(blob.unwrap());
        }
        let items: Vec<&Item> = catalog.items().iter().collect();
        let policy = Policy::new(TimeCheck::At(0));
        let pre = Prehashed::compute(&items, dir.path(), &policy, 1, &AtomicBool::new(false));
        assert_eq!(pre.hashed(), 1);
        let mut trust = crate::TrustStore::new();
        trust.add_ed25519(&key.public_key()).unwrap();
        let r = crate::Verifier::new(&trust, policy)
            .threads(1)
            .prehashed(pre)
            .verify_items(&items, catalog.items(), dir.path(), |_| {});
        assert!(r.passed(), "{r:?}");
        assert!(matches!(
            r.items[0].blobs[1].outcome,
            crate::Outcome::Passed(_)
        ));
    }
}
