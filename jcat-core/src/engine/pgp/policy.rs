//! Critical subpackets as the engine refuses them. The OpenPGP signature
//! policy itself (hash algorithms, critical subpackets) lives in the trust
//! layer (`trust::pgp_policy`), which also judges self-signatures when it
//! loads keys.

use pgp::packet::Signature;

use super::error::PgpError;
use crate::trust::pgp_policy::unknown_critical;

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
