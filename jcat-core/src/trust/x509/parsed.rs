//! Trusted certificates and CRLs kept parsed, so that the trust store parses
//! each once, when it is loaded, instead of for every signature that uses it
//! (issue 11 §3).
//!
//! The views ([`CertView`], [`CrlView`]) borrow the DER they were parsed from;
//! a store entry owning both would borrow from itself. `self_cell` (the
//! crate made for owner + borrowing dependent pairs, no `unsafe` here) holds
//! the DER and its view together.

use crate::trust::x509::crl::CrlView;
use crate::x509::cert::CertView;

self_cell::self_cell!(
    /// A certificate's DER with its parsed view.
    pub(crate) struct ParsedCert {
        owner: Vec<u8>,
        #[covariant]
        dependent: CertView,
    }
    impl {Debug}
);

self_cell::self_cell!(
    /// A CRL's DER with its parsed view.
    pub(crate) struct ParsedCrl {
        owner: Vec<u8>,
        #[covariant]
        dependent: CrlView,
    }
    impl {Debug}
);

impl ParsedCert {
    /// Parses `der` with the lenient view.
    pub(crate) fn parse(der: Vec<u8>) -> Result<Self, String> {
        Self::try_new(der, |d| CertView::parse(d))
    }

    /// The view.
    pub(crate) fn view(&self) -> &CertView<'_> {
        self.borrow_dependent()
    }
}

impl ParsedCrl {
    /// Parses `der` with the lenient view.
    pub(crate) fn parse(der: Vec<u8>) -> Result<Self, String> {
        Self::try_new(der, |d| CrlView::parse(d))
    }

    /// The view.
    pub(crate) fn view(&self) -> &CrlView<'_> {
        self.borrow_dependent()
    }
}

#[cfg(test)]
mod tests {
    use crate::sign::pki::{create_ca, CaOptions, KeyType, CERT_FILE};
    use crate::trust::x509::chain::{pool, SignerName};

    /// Path building takes the view parsed at load: the pool's certificate
    /// borrows the store's parsed copy, not a fresh parse of the DER.
    #[test]
    fn path_building_uses_the_view_parsed_at_load() {
        let dir = tempfile::tempdir().unwrap();
        let opts = CaOptions {
            subject: "CN=Parsed Once".into(),
            key: KeyType::P256,
            days: 10,
            path_len: None,
            force: false,
        };
        create_ca(dir.path(), &opts, 1_800_000_000).unwrap();
        let pem = std::fs::read(dir.path().join(CERT_FILE)).unwrap();
        let mut store = crate::TrustStore::new();
        store.add_bytes(std::path::Path::new("ca.pem"), &pem, &Default::default());
        let t = &store.certs[0];
        let (issuer, serial) = (&t.issuer_serial.0, &t.issuer_serial.1);
        let p = pool(
            Vec::new(),
            &store,
            &[SignerName::IssuerSerial { issuer, serial }],
        );
        assert_eq!(p.len(), 1);
        assert!(p[0].trusted);
        assert_eq!(p[0].cert.der, t.der.as_slice());
        assert!(std::ptr::eq(p[0].cert.der.as_ptr(), t.view().der.as_ptr()));
        assert!(!std::ptr::eq(p[0].cert.der.as_ptr(), t.der.as_ptr()));
    }
}
