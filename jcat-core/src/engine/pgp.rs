//! OpenPGP detached signatures.

use super::{PayloadCheck, SigError, VerifyContext};

/// Parses an armored or binary detached signature into a check.
pub fn prepare(_sig: &[u8], _ctx: &VerifyContext<'_>) -> Result<Box<dyn PayloadCheck>, SigError> {
    Err(SigError::Unsupported(
        "the gpg engine is not built yet".into(),
    ))
}
