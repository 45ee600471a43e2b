//! The trust store's X.509 index: trusted certificates by subject Name and
//! by subjectKeyIdentifier and by issuer + serial number, CRLs by issuer Name (whole DER elements, the
//! bytes path building compares). Filled once as files load; a signature
//! looks up the few certificates and CRLs its path can use instead of
//! walking (and parsing) the whole store.

use std::collections::HashMap;

use super::x509::{Crl, TrustedCert};

/// Positions in the store's lists, by key.
#[derive(Debug, Default)]
pub(crate) struct X509Index {
    by_subject: HashMap<Vec<u8>, Vec<usize>>,
    by_ski: HashMap<Vec<u8>, Vec<usize>>,
    by_issuer_serial: HashMap<(Vec<u8>, Vec<u8>), Vec<usize>>,
    crls_by_issuer: HashMap<Vec<u8>, Vec<usize>>,
}

impl X509Index {
    /// Room for `more` certificates (a bundle is indexed in one go).
    pub(crate) fn reserve(&mut self, more: usize) {
        self.by_subject.reserve(more);
        self.by_ski.reserve(more);
        self.by_issuer_serial.reserve(more);
    }

    /// Indexes `certs[at]`.
    pub(crate) fn add_cert(&mut self, at: usize, cert: &TrustedCert) {
        self.by_subject
            .entry(cert.subject.clone())
            .or_default()
            .push(at);
        if let Some(ski) = &cert.ski {
            self.by_ski.entry(ski.clone()).or_default().push(at);
        }
        self.by_issuer_serial
            .entry(cert.issuer_serial.clone())
            .or_default()
            .push(at);
    }

    /// Indexes `crls[at]`.
    pub(crate) fn add_crl(&mut self, at: usize, crl: &Crl) {
        self.crls_by_issuer
            .entry(crl.issuer.clone())
            .or_default()
            .push(at);
    }

    #[cfg(feature = "pkcs7")]
    /// Positions of the certificates with this subject, in load order.
    pub(crate) fn subject(&self, subject: &[u8]) -> &[usize] {
        self.by_subject.get(subject).map_or(&[], Vec::as_slice)
    }

    #[cfg(feature = "pkcs7")]
    /// Positions of the certificates with this subjectKeyIdentifier, in load order.
    pub(crate) fn ski(&self, ski: &[u8]) -> &[usize] {
        self.by_ski.get(ski).map_or(&[], Vec::as_slice)
    }

    #[cfg(feature = "pkcs7")]
    /// Positions of the certificates with this issuer and serial magnitude.
    pub(crate) fn issuer_serial(&self, issuer: &[u8], serial: &[u8]) -> &[usize] {
        // The key is owned; the lookup allocates once per signer, not per certificate.
        self.by_issuer_serial
            .get(&(issuer.to_vec(), serial.to_vec()))
            .map_or(&[], Vec::as_slice)
    }

    #[cfg(feature = "pkcs7")]
    /// Positions of the CRLs with this issuer, in load order.
    pub(crate) fn crl_issuer(&self, issuer: &[u8]) -> &[usize] {
        self.crls_by_issuer.get(issuer).map_or(&[], Vec::as_slice)
    }
}
