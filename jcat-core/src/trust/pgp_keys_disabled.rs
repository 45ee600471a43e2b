//! OpenPGP public keys in a build without the `pgp` feature: no file is
//! read as one (the trust store records it as skipped for its other
//! reasons), so no OpenPGP signature can be trusted.

/// An OpenPGP key: none exists without the `pgp` feature.
#[derive(Debug, Clone)]
pub enum PgpPublicKey {}

impl PgpPublicKey {
    /// Uppercase hex fingerprint (never called: no value exists).
    pub fn fingerprint(&self) -> String {
        match *self {}
    }

    /// Uppercase 16-hex key ID (never called: no value exists).
    pub fn key_id(&self) -> String {
        match *self {}
    }

    /// Certified user IDs (never called: no value exists).
    pub fn user_ids(&self) -> &[String] {
        match *self {}
    }

    /// Subkey fingerprints (never called: no value exists).
    pub fn subkey_fingerprints(&self) -> Vec<String> {
        match *self {}
    }

    /// Without the `pgp` feature no bytes hold an OpenPGP key we read.
    pub fn parse_all(bytes: &[u8]) -> Result<Vec<Self>, String> {
        parse_public_keys(bytes)
    }
}

/// Without the `pgp` feature no bytes hold an OpenPGP key we read.
pub(crate) fn parse_public_keys(_bytes: &[u8]) -> Result<Vec<PgpPublicKey>, String> {
    Ok(Vec::new())
}
