//! The one "most specific error wins" scale: when several candidates fail,
//! the first error of the highest rank is reported (X.509 paths and
//! signers, OpenPGP keys alike).

/// Budget exhaustion: ends the search.
pub const FATAL: u8 = 9;
/// A revoked certificate.
pub const REVOKED: u8 = 6;
/// A validity period (certificate, CRL, signing time).
pub const TIME: u8 = 5;
/// A path, profile or key rule (and OpenPGP key validity).
pub const RULE: u8 = 4;
/// A signature that does not verify.
pub const BAD_SIGNATURE: u8 = 3;
/// An unsupported algorithm or a limit.
pub const UNSUPPORTED: u8 = 2;
/// Nothing trusted matches; anything else.
pub const UNTRUSTED: u8 = 1;
