//! Creating blobs: checksums, and signatures with given or keyring keys.

pub mod pkcs7;

use std::path::{Path, PathBuf};

use crate::digest::DigestAlg;
use crate::engine::checksum;
use crate::model::{Blob, BlobFlags, BlobKind};
use crate::payload::Payload;

/// Errors while creating a blob.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// Reading the payload or a key failed.
    #[error(transparent)]
    Io(#[from] crate::Error),
    /// Key material is unusable.
    #[error("{0}")]
    Key(String),
    /// The key does not belong to the certificate or public key.
    #[error("{0}")]
    Mismatch(String),
    /// The payload is empty and the engine refuses it (libjcat: `nothing to do`).
    #[error("nothing to do")]
    NothingToDo,
    /// The kind cannot sign this way (libjcat wording).
    #[error("{0}")]
    Unsupported(String),
}

/// Where self-sign keys live: `<keyring>/pki/…`.
#[derive(Debug, Clone)]
pub struct Keyring {
    root: PathBuf,
}

impl Keyring {
    /// A keyring at `root` (jcat-tool's `--keyring`, default `~/.local/share/libjcat`).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
    /// `<keyring>/pki`.
    pub fn pki_dir(&self) -> PathBuf {
        self.root.join("pki")
    }
    /// The keyring root.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// A checksum blob (lowercase hex, IS_UTF8) of the payload, streamed.
pub fn checksum_blob(kind: BlobKind, payload: Payload<'_>, now: u64) -> Result<Blob, SignError> {
    let alg: DigestAlg = checksum::algorithm(kind)
        .ok_or_else(|| SignError::Unsupported(format!("{kind} is not a checksum kind")))?;
    let (set, _) = payload.digests(&[alg])?;
    let hex = set
        .digest(alg)
        .map(|d| crate::digest::hex(&d))
        .unwrap_or_default();
    Ok(Blob::new(
        kind,
        BlobFlags::IS_UTF8,
        hex.into_bytes(),
        Some(now),
    ))
}
