//! The trust store's X.509 lookups: the few trusted certificates and CRLs
//! a certification path can use, found through the store's index (built
//! with the `pkcs7` feature only, as the rest of this module).

use super::{Crl, TrustedCert};
use crate::trust::TrustStore;

impl TrustStore {
    /// The trusted certificates (with their positions) whose subject Name is
    /// `subject` (DER), in load order.
    pub(crate) fn certs_with_subject<'s>(
        &'s self,
        subject: &[u8],
    ) -> impl Iterator<Item = (usize, &'s TrustedCert)> + 's {
        let at = self.index.subject(subject);
        at.iter()
            .filter_map(|i| self.certs.get(*i).map(|c| (*i, c)))
            .filter(|(_, c)| c.usable())
    }

    /// The trusted certificates with this subjectKeyIdentifier, in load order.
    pub(crate) fn certs_with_ski<'s>(
        &'s self,
        ski: &[u8],
    ) -> impl Iterator<Item = (usize, &'s TrustedCert)> + 's {
        let at = self.index.ski(ski);
        at.iter()
            .filter_map(|i| self.certs.get(*i).map(|c| (*i, c)))
            .filter(|(_, c)| c.usable())
    }

    /// The trusted certificates with this issuer Name (DER) and serial
    /// number (magnitude, leading zeros stripped), in load order.
    pub(crate) fn certs_with_issuer_serial<'s>(
        &'s self,
        issuer: &[u8],
        serial: &[u8],
    ) -> impl Iterator<Item = (usize, &'s TrustedCert)> + 's {
        let at = self.index.issuer_serial(issuer, serial);
        at.iter()
            .filter_map(|i| self.certs.get(*i).map(|c| (*i, c)))
            .filter(|(_, c)| c.usable())
    }

    /// The CRLs whose issuer Name is `issuer` (DER), in load order.
    pub(crate) fn crls_of<'s>(&'s self, issuer: &[u8]) -> impl Iterator<Item = &'s Crl> + 's {
        let at = self.index.crl_issuer(issuer);
        at.iter().filter_map(|i| self.crls.get(*i))
    }
}
