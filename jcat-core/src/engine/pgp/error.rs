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
    /// The signing key has no valid self-signature (user ID certification or
    /// direct-key signature) that our policy accepts, so it is unusable.
    #[error("key '{fingerprint}' has no valid self-signature")]
    NoValidSelfSignature {
        /// Fingerprint of the primary key.
        fingerprint: String,
    },
}
