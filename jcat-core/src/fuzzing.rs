//! Entry points shared by the fuzz targets (`fuzz/`) and the corpus replay
//! test: each feeds untrusted bytes to one parser and must never panic.
//! Not part of the stable API.

use std::path::Path;

use crate::time::TimeCheck;
use crate::trust::TrustStore;
use crate::verify::{verify_signature, Policy};
use crate::{BlobKind, Limits};

/// Catalog bytes: parse, and if that works, write, re-read and dump.
pub fn catalog(data: &[u8]) {
    let limits = Limits::default();
    if let Ok(cat) = crate::from_bytes(data, &limits) {
        let _ = crate::to_text(&cat);
        if let Ok(bytes) = crate::to_bytes(&cat) {
            // What we write we must read back identically.
            let back = crate::from_bytes(&bytes, &limits).ok();
            debug_assert_eq!(back.as_ref(), Some(&cat));
        }
    }
}

/// A signature blob of `kind` over a fixed payload, with the trust material
/// in `trust_bytes` (any file content) in the store.
pub fn signature(kind: BlobKind, sig: &[u8], trust_bytes: &[u8]) {
    signature_with(kind, sig, &trust_store(trust_bytes));
}

/// The trust store [`signature`] uses for `trust_bytes`. Fuzz targets build it
/// once and call [`signature_with`]: loading an OpenPGP key checks its
/// self-signatures, which otherwise dominates every execution.
pub fn trust_store(trust_bytes: &[u8]) -> TrustStore {
    let mut trust = TrustStore::new();
    if !trust_bytes.is_empty() {
        trust.add_bytes(Path::new("fuzz"), trust_bytes, &Limits::default());
    }
    trust
}

/// A signature blob of `kind` over a fixed payload, checked against `trust`.
pub fn signature_with(kind: BlobKind, sig: &[u8], trust: &TrustStore) {
    for time in [TimeCheck::Disabled, TimeCheck::At(1_700_000_000)] {
        let _ = verify_signature(kind, sig, b"payload", trust, &Policy::new(time));
    }
}

/// A trust-store file (certificate, CRL, OpenPGP key, raw key).
pub fn trust_file(data: &[u8]) {
    let mut trust = TrustStore::new();
    trust.add_bytes(Path::new("fuzz"), data, &Limits::default());
    let _ = trust.skipped();
}
