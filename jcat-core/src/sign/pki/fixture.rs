//! What the `pki` unit tests share: the pinned time, the payload, the
//! options of a test CA and certificate, and "sign with this directory's key
//! and chain, then verify" (one copy instead of one per test file).
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use super::{CaOptions, CertOptions, KeyType, Profile, CERT_FILE, CHAIN_FILE, KEY_FILE};
use crate::engine::{SigError, Verified};
use crate::time::ChainStrictness;
use crate::time::TimeCheck;
use crate::trust::TrustStore;
use crate::verify::{verify_signature, Policy};
use crate::{BlobKind, Limits};

/// Issuing time of every test certificate.
pub(super) const NOW: i64 = 1_800_000_000;
/// What the test signatures cover.
pub(super) const PAYLOAD: &[u8] = b"plugin payload";

/// A CA valid for ten years, without `--force`.
pub(super) fn ca_options(subject: &str, key: KeyType, path_len: Option<u8>) -> CaOptions {
    CaOptions {
        subject: subject.to_owned(),
        key,
        days: 3650,
        path_len,
        force: false,
    }
}

/// A certificate valid for a year, without `--force` or a pathLen.
pub(super) fn cert_options(subject: &str, key: KeyType, profile: Profile) -> CertOptions {
    CertOptions {
        subject: subject.to_owned(),
        key,
        days: 365,
        profile,
        path_len: None,
        force: false,
    }
}

/// Signs [`PAYLOAD`] with `dir`'s key and chain at `NOW + 60`; verifies at
/// `NOW + 120` trusting only the certificates of `trusted` (each must load).
pub(super) fn check(
    dir: &Path,
    trusted: &[&Path],
    strict: ChainStrictness,
) -> Result<Verified, SigError> {
    let chain = std::fs::read(dir.join(CHAIN_FILE)).unwrap();
    let key = std::fs::read(dir.join(KEY_FILE)).unwrap();
    let sig =
        crate::sign::pkcs7::sign(crate::Payload::Bytes(PAYLOAD), &chain, &key, NOW + 60).unwrap();
    let limits = Limits::default();
    let mut t = TrustStore::new();
    for p in trusted {
        t.add_file(&p.join(CERT_FILE), &limits);
    }
    assert!(t.skipped().is_empty(), "{:?}", t.skipped());
    let mut policy = Policy::new(TimeCheck::At(NOW + 120));
    policy.chain = strict;
    verify_signature(BlobKind::Pkcs7, &sig, PAYLOAD, &t, &policy)
}

/// [`check`] trusting only `root`, with the default chain rules.
pub(super) fn verify(dir: &Path, root: &Path) -> Result<Verified, SigError> {
    check(dir, &[root], ChainStrictness::default())
}
