//! Why a blob FAILED or was SKIPPED: typed reasons whose `Display` is the
//! text printed after `FAILED kind:` / `SKIPPED kind:` (libjcat's wording
//! where it has one).

use crate::engine::checksum::ChecksumMismatch;
use crate::engine::SigError;
use crate::model::BlobKind;

/// Why a blob FAILED.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Failure {
    /// A checksum blob does not match the payload (or its target's text).
    #[error(transparent)]
    Checksum(#[from] ChecksumMismatch),
    /// A signature did not verify, or was not trusted.
    #[error(transparent)]
    Signature(#[from] SigError),
    /// A blob with a `Target` is not tied to the payload.
    #[error(transparent)]
    Target(#[from] TargetError),
    /// A transparency blob did not verify against the trusted log keys.
    #[error(transparent)]
    Transparency(#[from] crate::engine::bt::BtError),
    /// libjcat's allow-list refuses the kind (kinds 32..=63 modulo 64).
    #[error("Jcat engine kind '{}' not allowed", kind_name(*kind))]
    KindNotAllowed {
        /// The kind.
        kind: BlobKind,
    },
}

/// Why a blob with a `Target` (`pkcs7-of-sha256`, `sha512-of-sha256`) did
/// not pass. Such a blob vouches for the text of another blob of the item;
/// it vouches for the payload only when that blob is a checksum that itself
/// matches the payload in the same run (compatibility note D22).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetError {
    /// The target is a signature, an unknown kind or a transparency kind
    /// other than bt-manifest: its text says nothing about the payload.
    #[error("target {target} is not a checksum: only a sha1, sha256 or sha512 blob of the item can be signed in place of the payload")]
    NotAChecksum {
        /// The target kind.
        target: BlobKind,
    },
    /// The target is a bt-manifest whose `sha256` member, which ties it to
    /// the payload, cannot be read.
    #[error("target {0}")]
    ManifestMalformed(crate::engine::bt::blobs::BlobDataError),
    /// The target checksum blob has a target itself, so it was computed
    /// over another blob, not over the payload.
    #[error("target {target} is itself computed over {inner}, not over the payload")]
    Chained {
        /// The target kind.
        target: BlobKind,
        /// The target's own target.
        inner: BlobKind,
    },
    /// The signature (or checksum) over the target is valid, but the target
    /// checksum does not match the payload.
    #[error("signed {target} checksum does not match the payload: {mismatch}")]
    Mismatch {
        /// The target kind.
        target: BlobKind,
        /// How the target differs from the payload's digest.
        mismatch: ChecksumMismatch,
    },
}

/// Why a blob was SKIPPED.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Skip {
    /// No engine for the kind (libjcat's wording).
    #[error("Jcat engine kind '{}' not supported", kind_name(*kind))]
    NotSupported {
        /// The kind.
        kind: BlobKind,
    },
    /// `--policy ignore`.
    #[error("signature checks disabled by policy")]
    PolicyIgnore,
    /// A bt-verifier blob: never a trust anchor (whoever edits the catalog
    /// replaces it too).
    #[error("a bt-verifier blob is not a trust anchor: give the log key with --bt-verifier")]
    VerifierBlob,
    /// A bt-logindex blob: read by the inclusion-proof check, not judged alone.
    #[error("leaf index, used by the bt-inclusion-proof check")]
    LogIndex,
    /// An ML-DSA PKCS#7 signature in the GnuTLS form: valid, but it binds no
    /// content (empty messageDigest), so it is never counted as a signature.
    #[error("ML-DSA signature by {issuer} does not bind the payload (empty messageDigest)")]
    Unbound {
        /// The signer certificate's issuer DN.
        issuer: String,
    },
    /// The item stopped at an item-level error before this blob was judged.
    #[error("item aborted")]
    ItemAborted,
}

fn kind_name(kind: BlobKind) -> &'static str {
    kind.name().unwrap_or("(null)")
}
