//! PKCS#7 signing (being merged from the pkcs7 branch).

use super::{Keyring, SignError};
use crate::payload::Payload;

/// Signs with a PEM certificate (bundle) and private key.
pub fn sign(
    _payload: Payload<'_>,
    _cert_pem: &[u8],
    _key_pem: &[u8],
    _now: i64,
) -> Result<Vec<u8>, SignError> {
    Err(SignError::Unsupported(
        "pkcs7 signing is not available in this build".into(),
    ))
}

/// Signs with the keyring's self-signed certificate.
pub fn self_sign(
    _payload: Payload<'_>,
    _keyring: &Keyring,
    _now: i64,
) -> Result<Vec<u8>, SignError> {
    Err(SignError::Unsupported(
        "pkcs7 signing is not available in this build".into(),
    ))
}
