//! OpenPGP signing (being merged from the pgp branch).

use super::SignError;
use crate::payload::Payload;

/// Signs with an exported OpenPGP secret key.
pub fn sign(
    _payload: Payload<'_>,
    _public_key: &[u8],
    _secret_key: &[u8],
    _passphrase: Option<&str>,
    _now: i64,
) -> Result<Vec<u8>, SignError> {
    Err(SignError::Unsupported(
        "gpg signing is not available in this build".into(),
    ))
}
