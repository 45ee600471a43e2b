//! Creating blobs: checksums, and signatures with given or keyring keys.
//!
//! The entry point is [`blob`]: a kind, a payload and a [`SigningKey`] give
//! a finished [`Blob`] (flags and timestamp chosen here, per kind). The
//! per-engine functions ([`pkcs7::sign_opts`], [`pgp::sign`],
//! [`ed25519_sign`], …) stay public for callers that want the raw bytes.

use std::path::{Path, PathBuf};

use crate::digest::DigestAlg;
use crate::engine::checksum;
use crate::model::{Blob, BlobFlags, BlobKind};
use crate::payload::Payload;

mod blob;
mod error;
pub mod keyfile;
#[cfg(feature = "pgp")]
pub mod pgp;
pub mod pkcs11;
#[cfg(feature = "pkcs7")]
pub mod pkcs7;
#[cfg(not(feature = "pkcs7"))]
#[path = "pkcs7_disabled.rs"]
pub mod pkcs7;
#[cfg(feature = "pkcs7")]
pub mod pki;

pub use crate::trust::ed25519_raw::Ed25519Key;
pub use blob::{blob, SignOptions, SigningKey};
pub use error::{CertProblem, Encoding, KeyInput, PrivateKeyProblem, SignError};

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

/// The blob timestamp for `now` (unix seconds; times before 1970 become 0).
pub(crate) fn timestamp(now: i64) -> Option<u64> {
    Some(u64::try_from(now).unwrap_or(0))
}

/// A checksum blob (lowercase hex, IS_UTF8) of the payload, streamed, with
/// timestamp `now` (unix seconds).
///
/// ```
/// use jcat_core::{sign, BlobFlags, BlobKind, Payload};
/// let b = sign::checksum_blob(BlobKind::Sha1, Payload::Bytes(b"abc"), 7)?;
/// assert_eq!(b.data, b"a9993e364706816aba3e25717850c26c9cd0d89d");
/// assert_eq!((b.flags, b.timestamp), (BlobFlags::IS_UTF8, Some(7)));
/// # Ok::<(), jcat_core::sign::SignError>(())
/// ```
pub fn checksum_blob(kind: BlobKind, payload: Payload<'_>, now: i64) -> Result<Blob, SignError> {
    let alg: DigestAlg = checksum::algorithm(kind).ok_or(SignError::NotAChecksumKind(kind))?;
    let (set, _) = payload.digests(&[alg])?;
    let hex = set
        .digest(alg)
        .map(|d| crate::digest::hex(&d))
        .unwrap_or_default();
    Ok(Blob::new(
        kind,
        BlobFlags::IS_UTF8,
        hex.into_bytes(),
        timestamp(now),
    ))
}

/// Signs a payload with Ed25519 (pure), streaming it twice from its source
/// instead of holding it in memory. Returns the raw 64-byte signature.
pub fn ed25519_sign(key: &Ed25519Key, payload: Payload<'_>) -> Result<Vec<u8>, SignError> {
    use ed25519_dalek::hazmat::{raw_sign_byupdate, ExpandedSecretKey};
    let key = &key.0;
    use ed25519_dalek::Digest as _;
    let esk = ExpandedSecretKey::from(key.as_bytes());
    let failure = std::cell::RefCell::new(None);
    let sig = raw_sign_byupdate::<sha2::Sha512, _>(
        &esk,
        |h: &mut sha2::Sha512| {
            payload
                .for_each_chunk(|c| h.update(c))
                .map(|_| ())
                .map_err(|e| {
                    *failure.borrow_mut() = Some(e);
                    ed25519_dalek::SignatureError::new()
                })
        },
        &key.verifying_key(),
    );
    if let Some(e) = failure.into_inner() {
        return Err(SignError::Io(e));
    }
    sig.map(|s| s.to_bytes().to_vec())
        .map_err(|_| SignError::Internal("Ed25519 signing failed"))
}

/// Signs with raw key files: a 32-byte public key and a 32-byte seed or
/// 64-byte seed‖public secret (mismatched pairs are refused).
pub fn ed25519_sign_with(
    public: &[u8],
    secret: &[u8],
    payload: Payload<'_>,
) -> Result<Vec<u8>, SignError> {
    let key = Ed25519Key::from_raw(public, secret)?;
    ed25519_sign(&key, payload)
}

/// The keyring's Ed25519 pair (`pki/secret.ed25519`, 0600, and
/// `pki/public.ed25519`), generated when the secret is missing.
pub fn ed25519_keyring_key(keyring: &Keyring) -> Result<Ed25519Key, SignError> {
    let dir = keyring.pki_dir();
    let secret_path = dir.join("secret.ed25519");
    let public_path = dir.join("public.ed25519");
    if secret_path.exists() {
        let secret = std::fs::read(&secret_path).map_err(|e| crate::Error::io(&secret_path, e))?;
        let public = std::fs::read(&public_path).map_err(|e| crate::Error::io(&public_path, e))?;
        return Ok(Ed25519Key::from_raw(&public, &secret)?);
    }
    std::fs::create_dir_all(&dir).map_err(|e| crate::Error::io(&dir, e))?;
    let key = Ed25519Key::generate();
    crate::fsutil::write_atomic(&secret_path, key.0.as_bytes(), Some(0o600))?;
    crate::fsutil::write_atomic(&public_path, &key.public_key(), Some(0o644))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_ed25519_signature_equals_in_memory_one() {
        let key = Ed25519Key::from_seed(&[9u8; 32]);
        let data = vec![0x5au8; 3 * crate::payload::CHUNK + 17];
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("payload");
        std::fs::write(&p, &data).unwrap();
        let streamed = ed25519_sign(&key, Payload::File(&p)).unwrap();
        assert_eq!(streamed, crate::engine::ed25519::sign(&key.0, &data));
    }

    #[cfg(unix)]
    #[test]
    fn keyring_is_created_once_with_private_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let kr = Keyring::new(dir.path());
        let a = ed25519_keyring_key(&kr).unwrap();
        let b = ed25519_keyring_key(&kr).unwrap();
        assert_eq!(a.0.to_bytes(), b.0.to_bytes());
        let mode = std::fs::metadata(kr.pki_dir().join("secret.ed25519"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            std::fs::read(kr.pki_dir().join("public.ed25519")).unwrap(),
            a.public_key()
        );
    }

    #[test]
    fn checksum_blob_is_lowercase_hex() {
        let b = checksum_blob(BlobKind::Sha1, Payload::Bytes(b"abc"), 7).unwrap();
        assert_eq!(b.data, b"a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!((b.flags, b.timestamp), (BlobFlags::IS_UTF8, Some(7)));
        assert!(matches!(
            checksum_blob(BlobKind::Pkcs7, Payload::Bytes(b"abc"), 7),
            Err(SignError::NotAChecksumKind(BlobKind::Pkcs7))
        ));
    }
}
