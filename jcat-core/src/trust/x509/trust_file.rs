//! What one trust file held. Shared by the X.509 module and its stand-in
//! without the `pkcs7` feature (included by path, as `rank.rs` is), so the
//! trust store reads one shape in both builds.

use super::{Crl, TrustedCert};

/// What one trust file held.
#[derive(Default, Debug)]
pub struct ParsedTrustFile {
    /// Usable certificates.
    pub certs: Vec<TrustedCert>,
    /// CRLs.
    pub crls: Vec<Crl>,
    /// Certificates that parsed but cannot be used, with reasons.
    pub rejected: Vec<String>,
}

impl ParsedTrustFile {
    /// Whether nothing usable was found.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty() && self.crls.is_empty()
    }
}
