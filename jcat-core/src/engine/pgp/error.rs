//! Typed reasons an OpenPGP signature is refused (carried by
//! [`SigError::OpenPgp`](crate::SigError::OpenPgp)).

use pgp::crypto::hash::HashAlgorithm;

/// Why an OpenPGP signature was refused. `Display` is the message printed
/// after `FAILED gpg:`, the reference's wording where it has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PgpError {
    /// No trusted key matches the signature's issuer. `id` is the issuer
    /// fingerprint when the signature carries one (as gpgme reports it), else
    /// the 16-hex key ID.
    #[error("Could not check signature '{id}' as no public key")]
    UnknownKey {
        /// Uppercase hex fingerprint or key ID.
        id: String,
    },
    /// A hashed subpacket marked critical that we do not implement
    /// (RFC 9580 §5.2.3.7): unknown and experimental types, and any critical
    /// notation (none is known to us).
    #[error("signature '{signer}' has an unknown critical subpacket (type {subpacket})")]
    UnknownCriticalSubpacket {
        /// Issuer fingerprint or key ID.
        signer: String,
        /// The subpacket type (without the critical bit).
        subpacket: u8,
    },
    /// A data signature made with a hash that is no longer collision
    /// resistant (SHA-1 and weaker).
    #[error(
        "signature '{signer}' uses the {alg} hash algorithm, which is too weak for data signatures"
    )]
    WeakHash {
        /// Fingerprint of the key that made it (or the issuer ID).
        signer: String,
        /// The hash algorithm.
        alg: HashAlgorithm,
    },
    /// The cryptographic check failed (or no trusted key with the issuer's ID
    /// made the signature).
    #[error("'{fingerprint}' is not a valid signature")]
    BadSignature {
        /// Fingerprint of the key or subkey that was tried.
        fingerprint: String,
    },
    /// The signature claims a creation time before its key existed.
    #[error("signature '{fingerprint}' was made before its key was created")]
    MadeBeforeKey {
        /// Fingerprint of the key or subkey.
        fingerprint: String,
    },
    /// The signature was made after the verification time (beyond the
    /// allowed clock skew).
    #[error(
        "signature '{fingerprint}' was made at {}, after the verification time {}",
        crate::time::date(*created),
        crate::time::date(*time)
    )]
    MadeAfterVerificationTime {
        /// Fingerprint of the key or subkey.
        fingerprint: String,
        /// Signature creation time (unix seconds).
        created: i64,
        /// Verification time (unix seconds).
        time: i64,
    },
    /// The signature, the key or the subkey has expired (reference text).
    #[error("valid signature '{fingerprint}' has expired")]
    Expired {
        /// Fingerprint of the key or subkey.
        fingerprint: String,
    },
    /// The key or subkey is revoked (reference text).
    #[error("valid signature '{fingerprint}' has been revoked")]
    Revoked {
        /// Fingerprint of the key or subkey.
        fingerprint: String,
    },
    /// The primary key's self-signature gives key flags without signing.
    #[error("key '{fingerprint}' is not allowed to sign data (its key flags lack the signing capability)")]
    KeyCannotSign {
        /// Fingerprint of the primary key.
        fingerprint: String,
    },
    /// The subkey's binding gives key flags without signing.
    #[error("subkey '{fingerprint}' is not allowed to sign data (its key flags lack the signing capability)")]
    SubkeyCannotSign {
        /// Fingerprint of the subkey.
        fingerprint: String,
    },
    /// The subkey has no valid binding signature from its primary key.
    #[error("subkey '{subkey}' has no valid binding signature from its primary key {primary}")]
    UnboundSubkey {
        /// Fingerprint of the subkey.
        subkey: String,
        /// Fingerprint of the primary key.
        primary: String,
    },
    /// A signing subkey's binding lacks a valid back-signature.
    #[error(
        "signing subkey '{subkey}' is not cross-certified (no valid primary key binding signature)"
    )]
    NotCrossCertified {
        /// Fingerprint of the subkey.
        subkey: String,
    },
    /// The signing key has no valid self-signature (user ID certification or
    /// direct-key signature) that our policy accepts, so it is unusable.
    #[error("key '{fingerprint}' has no valid self-signature")]
    NoValidSelfSignature {
        /// Fingerprint of the primary key.
        fingerprint: String,
    },
}
