//! Engines: one per blob method family. Checksums live in `checksum`; each
//! signature engine parses its blob up front into a [`PayloadCheck`] that is
//! fed by the one pass over the payload made in [`crate::verify`].

pub mod bt;
pub mod checksum;
pub mod ed25519;
mod error;
mod identity;
#[cfg(feature = "pgp")]
pub mod pgp;
#[cfg(not(feature = "pgp"))]
#[path = "pgp_disabled.rs"]
pub mod pgp;
#[cfg(feature = "pkcs7")]
pub mod pkcs7;
#[cfg(not(feature = "pkcs7"))]
#[path = "pkcs7_disabled.rs"]
pub mod pkcs7;
pub mod reasons;

pub use error::SigError;
pub use identity::{ChainEntry, KeyId};
pub use reasons::{LimitName, Malformed, Refusal, SignedBy, Signer, Unsupported};

use crate::digest::{DigestAlg, DigestSet};

use crate::trust::context::VerifyContext;

/// A signature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// What libjcat prints after `PASSED kind:` (`None` prints `OK`).
    pub authority: Option<String>,
    /// Signing time, unix seconds (0 when none; PKCS#7 without signingTime is 1).
    pub timestamp: i64,
    /// The key(s) that verified (one per signer).
    pub keys: Vec<KeyId>,
    /// The verified chain, signer first: [`ChainEntry::Dn`] subjects for
    /// X.509; fingerprints and user IDs for OpenPGP; the key for Ed25519.
    pub chain: Vec<ChainEntry>,
}

/// A prepared check of one signature blob over one payload.
pub trait PayloadCheck: Send {
    /// The digests of the payload this check needs.
    fn digests_needed(&self) -> Vec<DigestAlg>;
    /// Raw payload chunks, for checks that cannot work from a digest
    /// (pure Ed25519). The default ignores them.
    fn update(&mut self, _chunk: &[u8]) {}
    /// Whether [`PayloadCheck::update`] must be called.
    fn wants_raw(&self) -> bool {
        false
    }
    /// Finishes the check once the whole payload went through.
    fn finish(
        self: Box<Self>,
        digests: &DigestSet,
        ctx: &VerifyContext<'_>,
    ) -> Result<Verified, SigError>;
}

/// Parses a signature blob of `kind` into a check, or says why it cannot be.
pub fn prepare(
    kind: crate::BlobKind,
    sig: &[u8],
    ctx: &VerifyContext<'_>,
) -> Result<Box<dyn PayloadCheck>, SigError> {
    if sig.len() > ctx.limits.max_signature_size {
        return Err(SigError::Limit {
            limit: LimitName::SignatureSize,
            value: sig.len(),
            max: ctx.limits.max_signature_size,
        });
    }
    match kind {
        crate::BlobKind::Pkcs7 => pkcs7::prepare(sig, ctx),
        crate::BlobKind::Gpg => pgp::prepare(sig, ctx),
        crate::BlobKind::Ed25519 => ed25519::prepare(sig, ctx),
        other => Err(SigError::Unsupported(Unsupported::NotASignatureKind(other))),
    }
}

/// Runs a check over an in-memory payload (small payloads, targets, tests).
pub fn check_bytes(
    mut check: Box<dyn PayloadCheck>,
    payload: &[u8],
    ctx: &VerifyContext<'_>,
) -> Result<Verified, SigError> {
    let mut set = DigestSet::new();
    for alg in check.digests_needed() {
        set.request(alg);
    }
    set.update(payload);
    if check.wants_raw() {
        check.update(payload);
    }
    check.finish(&set, ctx)
}
