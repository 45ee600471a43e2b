//! The OpenPGP signature policy (hash algorithms, critical subpackets) as
//! the engine applies it. The policy itself lives in the trust layer
//! (`trust::pgp_policy`), which also judges self-signatures when it loads
//! keys; these re-exports keep the old paths (transitional).

use pgp::packet::Signature;

use super::error::PgpError;
pub use crate::trust::pgp_policy::SHA1_SELF_SIG_CUTOFF;
pub(crate) use crate::trust::pgp_policy::{data_hash_ok, self_sig_ok, unknown_critical};

/// [`unknown_critical`] as an error naming `signer`.
pub(crate) fn check_critical(sig: &Signature, signer: &str) -> Result<(), PgpError> {
    match unknown_critical(sig) {
        Some(subpacket) => Err(PgpError::UnknownCriticalSubpacket {
            signer: signer.to_string(),
            subpacket,
        }),
        None => Ok(()),
    }
}
