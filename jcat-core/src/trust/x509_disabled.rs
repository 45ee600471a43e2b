//! X.509 trust material in a build without the `pkcs7` feature: no
//! certificate or CRL is read (the trust store skips such a file with
//! [`super::SkipCause::NeedsFeature`]), so no PKCS#7 signature can be
//! trusted. The types keep the shapes the store's code uses; no value of
//! [`TrustedCert`] or [`Crl`] is ever made.

use crate::Limits;

#[path = "x509/rank.rs"]
pub mod rank;

/// Why X.509 material is not read in this build.
pub const NEEDS_PKCS7: &str = "X.509 certificates and CRLs need jcat-core's `pkcs7` feature";

/// Why an X.509 certification path is refused: nothing to say without
/// the X.509 stack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {}

impl ChainError {
    /// Never called: no value exists.
    pub fn is_fatal(&self) -> bool {
        match *self {}
    }

    /// Never called: no value exists.
    pub fn rank(&self) -> u8 {
        match *self {}
    }
}

/// A trusted certificate: none is made without the `pkcs7` feature.
#[derive(Clone, Debug)]
pub struct TrustedCert {
    /// The DER encoding.
    pub der: Vec<u8>,
    pub(crate) subject: Vec<u8>,
    pub(crate) ski: Option<Vec<u8>>,
    pub(crate) issuer_serial: (Vec<u8>, Vec<u8>),
}

/// A certificate revocation list: none is made without the `pkcs7` feature.
#[derive(Clone, Debug)]
pub struct Crl {
    /// The DER encoding.
    pub der: Vec<u8>,
    pub(crate) issuer: Vec<u8>,
}

#[path = "x509/trust_file.rs"]
mod trust_file;
pub use trust_file::ParsedTrustFile;

/// Never reads X.509 material: `Err` says why ([`NEEDS_PKCS7`] for what
/// looks like a certificate or CRL).
pub fn parse_trust_file(bytes: &[u8], _limits: &Limits) -> Result<ParsedTrustFile, String> {
    Err(if looks_like_x509(bytes) {
        NEEDS_PKCS7.into()
    } else {
        "not an X.509 certificate or CRL".into()
    })
}

/// CRL checks against trusted certificates: none exist in this build.
pub(crate) mod crl {
    /// Nothing to refuse (no CRL is ever read).
    pub(crate) fn unusable_with_trusted(
        _der: &[u8],
        _trust: &crate::trust::TrustStore,
    ) -> Option<String> {
        None
    }
}

/// Whether `bytes` look like what the `pkcs7` feature reads: a PEM
/// certificate or CRL block, or DER of a signed X.509 object's shape
/// (SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }, nothing after it).
pub(crate) fn looks_like_x509(bytes: &[u8]) -> bool {
    const LABELS: [&str; 4] = [
        "-----BEGIN CERTIFICATE-----",
        "-----BEGIN X509 CERTIFICATE-----",
        "-----BEGIN TRUSTED CERTIFICATE-----",
        "-----BEGIN X509 CRL-----",
    ];
    if let Ok(text) = std::str::from_utf8(bytes) {
        if LABELS.iter().any(|l| text.contains(l)) {
            return true;
        }
    }
    signed_der_shape(bytes)
}

fn signed_der_shape(bytes: &[u8]) -> bool {
    use der::asn1::{AnyRef, BitStringRef};
    use der::{Decode, Reader, SliceReader, Tag, Tagged};
    let Ok(mut r) = SliceReader::new(bytes) else {
        return false;
    };
    let shape = r.sequence(|r| {
        AnyRef::decode(r)?.tag().assert_eq(Tag::Sequence)?;
        AnyRef::decode(r)?.tag().assert_eq(Tag::Sequence)?;
        BitStringRef::decode(r)?;
        Ok(())
    });
    shape.is_ok() && r.finish(()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::{SkipCause, TrustStore};
    use std::path::Path;

    /// SEQUENCE { SEQUENCE {}, SEQUENCE {}, BIT STRING '' }: a certificate's
    /// (or CRL's) outer shape.
    const SIGNED_SHAPE: [u8; 9] = [0x30, 0x07, 0x30, 0x00, 0x30, 0x00, 0x03, 0x01, 0x00];

    #[test]
    fn certificates_and_crls_are_skipped_as_needing_the_feature() {
        let limits = Limits::default();
        let pem = b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
        let crl = b"-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n";
        let mut store = TrustStore::new();
        for (name, bytes) in [
            ("a.pem", &pem[..]),
            ("b.crl", crl),
            ("c.der", &SIGNED_SHAPE),
        ] {
            store.add_bytes(Path::new(name), bytes, &limits);
        }
        assert_eq!((store.certificate_count(), store.crl_count()), (0, 0));
        assert!(store.loaded().is_empty());
        assert_eq!(store.skipped().len(), 3);
        for s in store.skipped() {
            assert!(
                matches!(s.cause, Some(SkipCause::NeedsFeature { feature: "pkcs7" })),
                "{s:?}"
            );
            assert_eq!(s.reason, NEEDS_PKCS7);
        }
        let e = store
            .add_crl_bytes(Path::new("b.crl"), crl, &limits)
            .unwrap_err();
        assert!(e.contains(NEEDS_PKCS7), "{e}");
        assert_eq!(store.crl_count(), 0);
    }

    /// Other files are not mistaken for X.509: a raw Ed25519 key still loads,
    /// and garbage is skipped for the usual reasons.
    #[test]
    fn other_files_keep_their_classification() {
        assert!(!looks_like_x509(&SIGNED_SHAPE[..8]));
        assert!(!looks_like_x509(&[SIGNED_SHAPE.as_slice(), &[0]].concat()));
        assert!(!looks_like_x509(b"hello"));
        let limits = Limits::default();
        let mut store = TrustStore::new();
        let key = ed25519_dalek::SigningKey::from_bytes(&[5; 32]);
        store.add_bytes(
            Path::new("k.ed25519"),
            key.verifying_key().as_bytes(),
            &limits,
        );
        store.add_bytes(Path::new("junk"), b"hello", &limits);
        assert_eq!(store.ed25519_key_count(), 1);
        assert_eq!(store.skipped().len(), 1);
        assert!(store.skipped()[0].cause.is_none());
    }
}
