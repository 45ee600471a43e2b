//! Raw Ed25519 key material: the strict public-key parser, the secret key
//! checks, and their errors. Below the engine so that the trust store loads
//! keys without it; the signature check itself is `engine::ed25519`.

use ed25519_dalek::{SigningKey, VerifyingKey};

/// Errors loading Ed25519 key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Ed25519KeyError {
    /// The secret key file is not 32 (seed) or 64 (seed‖public) bytes.
    #[error("invalid Ed25519 secret key: {0}")]
    Secret(String),
    /// The secret key does not belong to the public key.
    #[error("the Ed25519 secret key does not match the public key")]
    Mismatch,
    /// A raw public key is not 32 bytes.
    #[error("an Ed25519 public key is 32 bytes, not {len}")]
    WrongLength {
        /// The length found.
        len: usize,
    },
    /// The 32 bytes do not decode to a curve point.
    #[error("invalid Ed25519 public key: not a point on the curve")]
    NotAPoint,
    /// The point is encoded non-canonically (y ≥ p, or a sign bit on x = 0).
    #[error("invalid Ed25519 public key: non-canonical encoding")]
    NonCanonical,
    /// The point has small order (the identity among others): one fixed
    /// signature would verify any payload.
    #[error("weak Ed25519 public key: a point of small order is refused")]
    WeakKey,
    /// The file holds a secret key, which is never trusted as a public key.
    #[error("{evidence}: a secret key is never trusted as a public key")]
    SecretKeyFile {
        /// How it was recognised.
        evidence: SecretKeyEvidence,
    },
}

/// How a file was recognised as an Ed25519 secret key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretKeyEvidence {
    /// Its name is the keyring's `secret.ed25519`.
    #[error("the keyring's secret key file (secret.ed25519)")]
    FileName,
    /// Read as a seed, it derives a public key that is trusted too.
    #[error("an Ed25519 secret key (it derives the trusted public key {public})")]
    DerivesTrustedKey {
        /// Lowercase hex of the derived public key.
        public: String,
    },
    /// 64 bytes: a seed followed by the public key it derives.
    #[error("an Ed25519 secret key pair (seed followed by its public key)")]
    KeypairLayout,
}

/// Parses a raw 32-byte Ed25519 public key strictly: the encoding must be
/// canonical and the point must not have small order.
pub fn parse_public_key(bytes: &[u8]) -> Result<VerifyingKey, Ed25519KeyError> {
    let raw: [u8; 32] = bytes
        .try_into()
        .map_err(|_| Ed25519KeyError::WrongLength { len: bytes.len() })?;
    let vk = VerifyingKey::from_bytes(&raw).map_err(|_| Ed25519KeyError::NotAPoint)?;
    if vk.to_edwards().compress().to_bytes() != raw {
        return Err(Ed25519KeyError::NonCanonical);
    }
    if vk.is_weak() {
        return Err(Ed25519KeyError::WeakKey);
    }
    Ok(vk)
}

/// The public key that `seed` derives when read as a 32-byte secret seed.
pub(crate) fn derived_public(seed: &[u8; 32]) -> VerifyingKey {
    SigningKey::from_bytes(seed).verifying_key()
}

/// Builds a signing key from a raw public key and a raw 32-byte seed or a
/// 64-byte seed‖public secret, refusing a mismatched pair and a public key
/// that [`parse_public_key`] refuses.
pub fn signing_key(public: &[u8], secret: &[u8]) -> Result<SigningKey, Ed25519KeyError> {
    let vk = parse_public_key(public)?;
    let sk = match secret.len() {
        32 => {
            let mut seed = [0u8; 32];
            seed.copy_from_slice(secret);
            SigningKey::from_bytes(&seed)
        }
        64 => {
            let mut kp = [0u8; 64];
            kp.copy_from_slice(secret);
            SigningKey::from_keypair_bytes(&kp).map_err(|_| Ed25519KeyError::Mismatch)?
        }
        n => {
            return Err(Ed25519KeyError::Secret(format!(
                "expected 32 or 64 bytes, got {n}"
            )))
        }
    };
    if sk.verifying_key() != vk {
        return Err(Ed25519KeyError::Mismatch);
    }
    Ok(sk)
}

/// An Ed25519 signing key (RFC 8032, pure EdDSA). The library keeps the
/// `ed25519-dalek` key inside; callers make one from a seed, from raw key
/// files, or at random, and read its public key.
#[derive(Clone)]
pub struct Ed25519Key(pub(crate) SigningKey);

impl Ed25519Key {
    /// The key of a 32-byte seed (the secret half of RFC 8032's key pair).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(seed))
    }

    /// A new key from the operating system's random generator.
    pub fn generate() -> Self {
        Self(SigningKey::generate(&mut rand_core::OsRng))
    }

    /// A key from raw key files: a 32-byte public key and a 32-byte seed or
    /// 64-byte seed‖public secret; a mismatched pair or a public key the
    /// strict parser refuses is an error.
    pub fn from_raw(public: &[u8], secret: &[u8]) -> Result<Self, Ed25519KeyError> {
        signing_key(public, secret).map(Self)
    }

    /// The 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.0.verifying_key().to_bytes()
    }
}

impl std::fmt::Debug for Ed25519Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret: only the public key.
        f.debug_struct("Ed25519Key")
            .field("public", &crate::digest::hex(&self.public_key()))
            .finish()
    }
}
