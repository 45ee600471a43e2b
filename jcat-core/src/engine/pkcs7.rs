//! PKCS#7 / CMS detached signatures.

use super::{PayloadCheck, SigError, VerifyContext};

/// Parses a PEM or DER CMS SignedData into a check.
pub fn prepare(_sig: &[u8], _ctx: &VerifyContext<'_>) -> Result<Box<dyn PayloadCheck>, SigError> {
    Err(SigError::Unsupported(
        "the pkcs7 engine is not built yet".into(),
    ))
}
