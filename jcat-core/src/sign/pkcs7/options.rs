//! The choices of a PKCS#7 signature: plain data, also in a build without
//! the `pkcs7` feature (where [`crate::sign::blob`] refuses the kind), so
//! [`crate::sign::SignOptions`] has one shape.

/// The CMS shape of a PKCS#7 signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SignedForm {
    /// Signed attributes (contentType, signingTime, messageDigest), as
    /// libjcat writes them; for ML-DSA the RFC 9882 form with a SHA-512
    /// messageDigest.
    #[default]
    SignedAttributes,
    /// No signed attributes: the signature covers the payload itself (RFC
    /// 9882 section 3.3), and there is no signingTime. ML-DSA keys only
    /// ([`crate::sign::SignError::NoAttributesNeedsMlDsa`] otherwise): the form GnuTLS up
    /// to 3.8.12 (libjcat/fwupd today) can check, since it refuses
    /// attribute-bearing ML-DSA blobs whose messageDigest is not empty. The
    /// payload is streamed into ML-DSA's message representative μ (FIPS 204
    /// external μ), so memory stays constant whatever its size.
    NoAttributes,
}

/// Choices of `sign_opts` (PKCS#7 signing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignOptions {
    /// RSA keys sign with RSA-PSS (SHA-256, MGF1-SHA-256, 32-octet salt)
    /// instead of PKCS#1 v1.5; other keys are refused.
    pub rsa_pss: bool,
    /// The CMS shape ([`SignedForm::NoAttributes`] for ML-DSA keys only).
    pub form: SignedForm,
}
