//! Why a blob FAILED or was SKIPPED: typed reasons whose `Display` is the
//! text printed after `FAILED kind:` / `SKIPPED kind:` (libjcat's wording
//! where it has one); [`ItemError`] and [`PolicyFailure`] for the item lines.

use std::path::PathBuf;

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

/// What stopped an item before (or while) its blobs were judged
/// ([`super::ItemReport::error`]). `Display` is the item line `jcat-tool
/// verify` prints (libjcat's wording where it has one).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ItemError {
    /// No payload file exists under the base directory for the item's ID or
    /// any alias (libjcat: `Could not find a or b`).
    #[error("Could not find {}", join_paths(tried))]
    PayloadNotFound {
        /// The paths tried, ID first, then each alias.
        tried: Vec<PathBuf>,
    },
    /// The item's ID or an alias would leave the base directory, so no
    /// file was looked for.
    #[error("{what} {name:?} is not a safe path inside {}: {reason}", base.display())]
    UnsafeName {
        /// `item ID` or `alias`.
        what: &'static str,
        /// The offending name.
        name: String,
        /// The base directory.
        base: PathBuf,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A blob's target kind has no blob in the item (libjcat aborts the
    /// item: `no existing checksum of type sha256`).
    #[error("no existing checksum of type {target}")]
    TargetMissing {
        /// The target kind.
        target: BlobKind,
    },
    /// A blob's target kind has several blobs in the item, so the signed
    /// text is ambiguous (`multiple checksums of type sha256`).
    #[error("multiple checksums of type {target}")]
    TargetAmbiguous {
        /// The target kind.
        target: BlobKind,
    },
    /// Reading the payload failed.
    #[error("{}", read_text(path.as_deref(), message))]
    Read {
        /// The payload file (`None` for a payload in memory).
        path: Option<PathBuf>,
        /// The I/O error's kind.
        kind: std::io::ErrorKind,
        /// The I/O error's text (`No such file or directory (os error 2)`).
        message: String,
    },
}

impl ItemError {
    /// A read error of the payload at `path`.
    pub(crate) fn read(path: Option<PathBuf>, e: &std::io::Error) -> Self {
        Self::Read {
            path,
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" or ")
}

fn read_text(path: Option<&std::path::Path>, message: &str) -> String {
    match path {
        Some(p) => format!("{}: {message}", p.display()),
        None => format!("I/O error: {message}"),
    }
}

/// A policy rule an item broke ([`super::ItemReport::policy_failures`]);
/// each is printed as a `FAILED:` line of its own.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyFailure {
    /// `--policy require` and no signature of the item PASSED.
    #[error("signature required")]
    SignatureRequired,
    /// `--require-transparency` and no verified checkpoint, manifest and
    /// inclusion proof.
    #[error(
        "transparency required: no verified bt-checkpoint, bt-manifest and bt-inclusion-proof"
    )]
    TransparencyRequired,
    /// `--min-signers`: fewer distinct keys made PASSED signatures.
    #[error("{have} signature(s) from distinct keys, at least {need} required")]
    TooFewSigners {
        /// Distinct keys among the PASSED signatures.
        have: usize,
        /// The threshold.
        need: usize,
    },
    /// `--require-signer`: no PASSED signature has this name on its chain.
    #[error("no verified signature from {name:?}")]
    MissingSigner {
        /// The required name, as given.
        name: String,
    },
    /// `--only-pq` and no post-quantum signature PASSED.
    #[error("post-quantum signature required")]
    PostQuantumRequired,
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{ItemError, PolicyFailure};
    use crate::Error;

    /// The item lines are the texts `crate::Error` printed for the same
    /// cases before they were typed (the CLI prints `Display`).
    #[test]
    fn item_errors_print_the_old_texts() {
        let tried = vec![PathBuf::from("/d/a.bin"), PathBuf::from("/d/b.bin")];
        assert_eq!(
            ItemError::PayloadNotFound { tried }.to_string(),
            "Could not find /d/a.bin or /d/b.bin"
        );
        let Err(unsafe_path) = crate::fsutil::safe_join(Path::new("/d"), "../x", "item ID") else {
            panic!("'..' joined");
        };
        let typed = ItemError::UnsafeName {
            what: "item ID",
            name: "../x".into(),
            base: "/d".into(),
            reason: "it contains a '..' component",
        };
        assert_eq!(typed.to_string(), unsafe_path.to_string());
        let io = || std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let on_file = ItemError::read(Some("/d/a.bin".into()), &io());
        assert_eq!(on_file.to_string(), Error::io("/d/a.bin", io()).to_string());
        assert!(matches!(
            on_file,
            ItemError::Read {
                kind: std::io::ErrorKind::PermissionDenied,
                ..
            }
        ));
        let in_memory = ItemError::read(None, &io());
        assert_eq!(in_memory.to_string(), Error::Stream(io()).to_string());
        let kind = crate::BlobKind::Sha256;
        assert_eq!(
            ItemError::TargetMissing { target: kind }.to_string(),
            Error::NoBlobOfKind(kind.to_string()).to_string()
        );
        assert_eq!(
            ItemError::TargetAmbiguous { target: kind }.to_string(),
            Error::MultipleBlobsOfKind(kind.to_string()).to_string()
        );
    }

    #[test]
    fn policy_failures_print_the_old_texts() {
        for (f, text) in [
            (PolicyFailure::SignatureRequired, "signature required"),
            (
                PolicyFailure::TransparencyRequired,
                "transparency required: no verified bt-checkpoint, bt-manifest and bt-inclusion-proof",
            ),
            (
                PolicyFailure::TooFewSigners { have: 1, need: 2 },
                "1 signature(s) from distinct keys, at least 2 required",
            ),
            (
                PolicyFailure::MissingSigner {
                    name: "CN=QA \"x\"".into(),
                },
                r#"no verified signature from "CN=QA \"x\"""#,
            ),
            (
                PolicyFailure::PostQuantumRequired,
                "post-quantum signature required",
            ),
        ] {
            assert_eq!(f.to_string(), text);
        }
    }
}
