//! OpenPGP signatures in a build without the `pgp` feature: the blob is
//! read, written and printed as any other, and verification reports it as
//! unsupported instead of checking it.

use super::{PayloadCheck, SigError};
use crate::trust::context::VerifyContext;

/// Why an OpenPGP signature was refused: nothing to say without the engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PgpError {}

/// Every OpenPGP signature is unsupported in this build.
pub fn prepare(_sig: &[u8], _ctx: &VerifyContext<'_>) -> Result<Box<dyn PayloadCheck>, SigError> {
    Err(SigError::Unsupported(super::Unsupported::PgpFeature))
}
