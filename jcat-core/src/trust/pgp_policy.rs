//! Which OpenPGP signatures we accept at all, before and beside the
//! cryptographic check: hash algorithms and critical subpackets.
//!
//! Hash algorithms follow Sequoia's standard policy:
//! * **data signatures** need a collision-resistant hash: SHA-224, SHA-256,
//!   SHA-384 or SHA-512; SHA-1 is refused (`PgpError::WeakHash`);
//! * **self-signatures** (user ID certifications, direct-key signatures,
//!   subkey bindings and back-signatures) only need second-preimage
//!   resistance: SHA-2 always, SHA-1 and RIPEMD-160 when made before
//!   [`SHA1_SELF_SIG_CUTOFF`] (2023-02-01), MD5 never;
//! * **revocations** are accepted with any hash we can compute: a forged
//!   revocation can only make a key unusable, never trusted.
//!
//! Below the engine so that the trust store judges self-signatures with the
//! same policy when it loads keys; `engine::pgp::policy` re-exports it.

use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{Signature, SubpacketData};

/// SHA-1 (and RIPEMD-160) self-signatures made at or after this instant
/// (2023-02-01T00:00:00Z, unix seconds) are refused, as in Sequoia's
/// standard policy.
pub const SHA1_SELF_SIG_CUTOFF: i64 = 1_675_209_600;

/// Whether a data signature's hash is strong enough.
pub(crate) fn data_hash_ok(alg: HashAlgorithm) -> bool {
    matches!(
        alg,
        HashAlgorithm::Sha224
            | HashAlgorithm::Sha256
            | HashAlgorithm::Sha384
            | HashAlgorithm::Sha512
            | HashAlgorithm::Sha3_256
            | HashAlgorithm::Sha3_512
    )
}

/// Whether a self-signature's hash is acceptable, given when it was made.
pub(crate) fn self_sig_hash_ok(sig: &Signature) -> bool {
    let Some(alg) = sig.hash_alg() else {
        return false;
    };
    if data_hash_ok(alg) {
        return true;
    }
    let created = sig.created().map(|t| i64::from(t.as_secs()));
    matches!(alg, HashAlgorithm::Sha1 | HashAlgorithm::Ripemd160)
        && created.is_some_and(|c| c < SHA1_SELF_SIG_CUTOFF)
}

/// The first hashed subpacket that is critical but not understood: unknown
/// or experimental types and critical notations. Returns its type.
pub(crate) fn unknown_critical(sig: &Signature) -> Option<u8> {
    let config = sig.config()?;
    config
        .hashed_subpackets()
        .filter(|sp| sp.is_critical)
        .find_map(|sp| match &sp.data {
            SubpacketData::Other(t, _) | SubpacketData::Experimental(t, _) => Some(*t),
            SubpacketData::Notation(_) => Some(sp.typ().as_u8(false)),
            _ => None,
        })
}

/// Whether a self-signature passes the policy (hash and critical
/// subpackets); the cryptographic check is separate.
pub(crate) fn self_sig_ok(sig: &Signature) -> bool {
    self_sig_hash_ok(sig) && unknown_critical(sig).is_none()
}
