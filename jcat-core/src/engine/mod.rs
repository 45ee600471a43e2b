//! Engines: one per blob method family. Checksums live in `checksum`; each
//! signature engine parses its blob up front into a [`PayloadCheck`] that is
//! fed by the one pass over the payload made in [`crate::verify`].

pub mod bt;
pub mod checksum;
pub mod ed25519;
#[cfg(feature = "pgp")]
pub mod pgp;
#[cfg(not(feature = "pgp"))]
#[path = "pgp_disabled.rs"]
pub mod pgp;
pub mod pkcs7;

use crate::digest::{DigestAlg, DigestSet};

// Transitional re-exports (issue 11 §2): these now live in the `time` and
// `trust` layers; the old paths keep compiling.
pub use crate::time::{ChainStrictness, TimeCheck};
pub use crate::trust::context::VerifyContext;

/// The identity of a key that made a verified signature; two signatures by the
/// same key have the same `KeyId` (used for thresholds).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub String);

/// A signature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// What libjcat prints after `PASSED kind:` (`None` prints `OK`).
    pub authority: Option<String>,
    /// Signing time, unix seconds (0 when none; PKCS#7 without signingTime is 1).
    pub timestamp: i64,
    /// The key(s) that verified (one per signer).
    pub keys: Vec<KeyId>,
    /// The verified chain, signer first: RFC 4514 subjects for X.509, user IDs
    /// and fingerprints for OpenPGP.
    pub chain: Vec<String>,
}

/// Why a signature did not verify. `Display` is the message printed after
/// `FAILED kind:`; libjcat's wording where it has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigError {
    /// The blob does not parse as a signature of its kind.
    #[error("{0}")]
    Malformed(String),
    /// A valid structure we refuse (embedded content, inline-signed message …).
    #[error("{0}")]
    Refused(String),
    /// No trusted key or certificate matches the signer.
    #[error("{0}")]
    Untrusted(String),
    /// The cryptographic check failed.
    #[error("{0}")]
    BadSignature(String),
    /// A certificate or key is outside its validity period.
    #[error("{0}")]
    Expired(String),
    /// A certificate or key in the chain is revoked.
    #[error("{0}")]
    Revoked(String),
    /// The chain breaks a rule (non-CA issuer, path length, key usage …).
    #[error("{0}")]
    Chain(String),
    /// An algorithm we do not implement.
    #[error("{0}")]
    Unsupported(String),
    /// A limit was exceeded while parsing.
    #[error("{0}")]
    Limit(String),
    /// An X.509 certification path, CRL or CMS signer rule failed (typed).
    #[error("{0}")]
    X509(crate::trust::x509::ChainError),
    /// An ML-DSA PKCS#7 signature that verifies, with a valid chain, but
    /// binds no content: the GnuTLS form (digestAlgorithm id-shake256,
    /// empty messageDigest), valid for any payload. Reported SKIPPED.
    #[error("ML-DSA signature by {issuer} does not bind the payload (empty messageDigest)")]
    Unbound {
        /// The signer certificate's issuer DN (GnuTLS RFC 4514 form).
        issuer: String,
    },
    /// `--only-pq` with no certificate in the trust store whose own
    /// signature algorithm is ML-DSA (libjcat's wording).
    #[error("no certificates in trust list")]
    NoPqTrust,
    /// `--only-pq`: a signature that verified but is not post-quantum
    /// throughout (a classical PKCS#7 signer or certificate on the path,
    /// OpenPGP, Ed25519).
    #[error("{}", not_post_quantum(authority))]
    NotPostQuantum {
        /// What PASSED would have printed (issuer DN, or empty).
        authority: String,
    },
    /// An OpenPGP signature refused for a typed reason.
    #[error(transparent)]
    OpenPgp(pgp::PgpError),
}

fn not_post_quantum(authority: &str) -> String {
    let what = "not a post-quantum signature (--only-pq needs an ML-DSA signer and an ML-DSA-signed chain)";
    if authority.is_empty() {
        format!("failed to verify data: {what}")
    } else {
        format!("failed to verify data for {authority}: {what}")
    }
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
        return Err(SigError::Limit(format!(
            "signature of {} bytes is over the limit max_signature_size of {}",
            sig.len(),
            ctx.limits.max_signature_size
        )));
    }
    match kind {
        crate::BlobKind::Pkcs7 => pkcs7::prepare(sig, ctx),
        crate::BlobKind::Gpg => pgp::prepare(sig, ctx),
        crate::BlobKind::Ed25519 => ed25519::prepare(sig, ctx),
        other => Err(SigError::Unsupported(format!(
            "{other} is not a signature kind"
        ))),
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
