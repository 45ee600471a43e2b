//! Certificate revocation lists, read from their original bytes.

use spki::AlgorithmIdentifierOwned;

use super::cert::{time, CertView};
use super::pubkey::{self, Message};
use super::tlv;

/// One revoked entry: serial magnitude and revocation date.
#[derive(Debug, Clone)]
pub(crate) struct RevokedEntry<'a> {
    /// Serial number, leading zeros removed.
    pub serial: &'a [u8],
    /// revocationDate, unix seconds.
    pub date: i64,
}

/// A parsed CRL borrowing its DER.
#[derive(Debug, Clone)]
pub(crate) struct CrlView<'a> {
    /// tbsCertList, whole element.
    pub tbs: &'a [u8],
    /// issuer Name, whole element.
    pub issuer: &'a [u8],
    /// signatureAlgorithm.
    pub sig_alg: AlgorithmIdentifierOwned,
    /// Signature bits.
    pub signature: &'a [u8],
    /// nextUpdate, unix seconds.
    pub next_update: Option<i64>,
    /// Revoked certificates.
    pub revoked: Vec<RevokedEntry<'a>>,
}

impl<'a> CrlView<'a> {
    /// Parses a DER CRL.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Self, String> {
        let (tbs, sig_alg, signature) =
            super::cert::signed_envelope(der, "CertificateList", "tbsCertList")?;
        let mut t = tlv::Cursor::new(tbs.value);
        t.optional(tlv::INTEGER)?;
        t.next_tag(tlv::SEQUENCE, "signature")?;
        let issuer = t.next_tag(tlv::SEQUENCE, "issuer")?;
        time(t.next("thisUpdate")?)?;
        let next_update = match t.peek_tag() {
            Some(0x17 | 0x18) => Some(time(t.next("nextUpdate")?)?),
            _ => None,
        };
        let mut revoked = Vec::new();
        if let Some(list) = t.optional(tlv::SEQUENCE)? {
            for entry in tlv::children(list.value, usize::MAX)? {
                let mut e = tlv::Cursor::new(entry.value);
                let serial = e.next_tag(tlv::INTEGER, "userCertificate")?;
                let date = time(e.next("revocationDate")?)?;
                revoked.push(RevokedEntry {
                    serial: tlv::int_magnitude(serial.value),
                    date,
                });
            }
        }
        Ok(Self {
            tbs: tbs.raw,
            issuer: issuer.raw,
            sig_alg,
            signature,
            next_update,
            revoked,
        })
    }

    /// Whether `issuer` issued this CRL: same name, cRLSign when KeyUsage is
    /// present, and a signature that verifies with its key.
    pub(crate) fn issued_by(&self, issuer: &CertView<'_>) -> bool {
        if self.issuer != issuer.subject {
            return false;
        }
        if issuer
            .ext
            .key_usage
            .as_ref()
            .is_some_and(|ku| !ku.crl_sign())
        {
            return false;
        }
        pubkey::verify(
            issuer.spki,
            &self.sig_alg,
            None,
            Message::Raw(self.tbs),
            self.signature,
        )
        .is_ok()
    }

    /// The revocation date of a certificate serial (contents octets), if listed.
    pub(crate) fn revocation_of(&self, serial: &[u8]) -> Option<i64> {
        let serial = tlv::int_magnitude(serial);
        self.revoked
            .iter()
            .find(|r| r.serial == serial)
            .map(|r| r.date)
    }
}
