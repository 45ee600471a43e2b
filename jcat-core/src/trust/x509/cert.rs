//! A certificate viewed through its original bytes: the pieces chain building
//! and CMS signer matching need, without re-encoding anything.

use const_oid::db::rfc5280 as oids;
use der::Decode;
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectKeyIdentifier,
};

use super::{dn, tlv};

/// The extensions chain rules look at.
#[derive(Debug, Clone, Default)]
pub(crate) struct CertExtensions {
    /// basicConstraints.
    pub basic: Option<BasicConstraints>,
    /// keyUsage.
    pub key_usage: Option<KeyUsage>,
    /// extKeyUsage purposes.
    pub eku: Option<Vec<const_oid::ObjectIdentifier>>,
    /// subjectKeyIdentifier.
    pub ski: Option<Vec<u8>>,
    /// authorityKeyIdentifier keyIdentifier.
    pub aki: Option<Vec<u8>>,
}

/// A parsed certificate borrowing its DER.
#[derive(Debug, Clone)]
pub(crate) struct CertView<'a> {
    /// The whole certificate.
    pub der: &'a [u8],
    /// tbsCertificate, whole element (what the issuer signed).
    pub tbs: &'a [u8],
    /// serialNumber contents octets.
    pub serial: &'a [u8],
    /// issuer Name, whole element.
    pub issuer: &'a [u8],
    /// subject Name, whole element.
    pub subject: &'a [u8],
    /// subjectPublicKeyInfo, whole element.
    pub spki: &'a [u8],
    /// The outer signatureAlgorithm.
    pub sig_alg: AlgorithmIdentifierOwned,
    /// The signature bits.
    pub signature: &'a [u8],
    /// notBefore, unix seconds.
    pub not_before: i64,
    /// notAfter, unix seconds.
    pub not_after: i64,
    /// Extensions.
    pub ext: CertExtensions,
}

impl<'a> CertView<'a> {
    /// Parses a DER certificate.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Self, String> {
        let (tbs, sig_alg, signature) = signed_envelope(der, "Certificate", "tbsCertificate")?;

        let mut t = tlv::Cursor::new(tbs.value);
        t.optional(0xa0)?;
        let serial = t.next_tag(tlv::INTEGER, "serialNumber")?;
        t.next_tag(tlv::SEQUENCE, "signature")?;
        let issuer = t.next_tag(tlv::SEQUENCE, "issuer")?;
        let validity = t.next_tag(tlv::SEQUENCE, "validity")?;
        let subject = t.next_tag(tlv::SEQUENCE, "subject")?;
        let spki = t.next_tag(tlv::SEQUENCE, "subjectPublicKeyInfo")?;
        t.optional(0x81)?;
        t.optional(0x82)?;
        let exts = t.optional(0xa3)?;

        let mut v = tlv::Cursor::new(validity.value);
        let not_before = time(v.next("notBefore")?)?;
        let not_after = time(v.next("notAfter")?)?;
        let ext = match exts {
            Some(e) => parse_extensions(e.value)?,
            None => CertExtensions::default(),
        };
        Ok(Self {
            der,
            tbs: tbs.raw,
            serial: serial.value,
            issuer: issuer.raw,
            subject: subject.raw,
            spki: spki.raw,
            sig_alg,
            signature,
            not_before,
            not_after,
            ext,
        })
    }

    /// The subject in RFC 4514 form.
    pub(crate) fn subject_str(&self) -> String {
        dn::display_dn(self.subject)
    }

    /// The issuer in RFC 4514 form.
    pub(crate) fn issuer_str(&self) -> String {
        dn::display_dn(self.issuer)
    }

    /// Whether basicConstraints says cA.
    pub(crate) fn is_ca(&self) -> bool {
        self.ext.basic.as_ref().is_some_and(|b| b.ca)
    }

    /// Serial number as lowercase hex (leading zero bytes dropped).
    pub(crate) fn serial_hex(&self) -> String {
        crate::digest::hex(tlv::int_magnitude(self.serial))
    }

    /// The subject named for messages: `CN=Foo` or `<empty DN>`.
    pub(crate) fn name(&self) -> String {
        let s = self.subject_str();
        if s.is_empty() {
            "<empty DN>".into()
        } else {
            s
        }
    }
}

/// Drops the unused-bits octet of a BIT STRING (which must be 0).
/// The common outer shape of certificates and CRLs:
/// `SEQUENCE { tbs SEQUENCE, signatureAlgorithm, signature BIT STRING }`.
pub(crate) fn signed_envelope<'a>(
    der: &'a [u8],
    what: &str,
    tbs_what: &str,
) -> Result<(tlv::Tlv<'a>, AlgorithmIdentifierOwned, &'a [u8]), String> {
    let outer = tlv::expect(der, tlv::SEQUENCE, what)?;
    let mut c = tlv::Cursor::new(outer.value);
    let tbs = c.next_tag(tlv::SEQUENCE, tbs_what)?;
    let sig_alg = c.next_tag(tlv::SEQUENCE, "signatureAlgorithm")?;
    let sig = c.next_tag(tlv::BIT_STRING, "signature")?;
    let sig_alg = AlgorithmIdentifierOwned::from_der(sig_alg.raw)
        .map_err(|e| format!("signatureAlgorithm: {e}"))?;
    Ok((tbs, sig_alg, bit_string_bytes(sig.value)?))
}

pub(crate) fn bit_string_bytes(value: &[u8]) -> Result<&[u8], String> {
    match value.split_first() {
        Some((0, rest)) => Ok(rest),
        _ => Err("signature BIT STRING has unused bits".into()),
    }
}

/// UTCTime or GeneralizedTime element to unix seconds.
pub(crate) fn time(t: tlv::Tlv<'_>) -> Result<i64, String> {
    let dt = match t.tag {
        0x17 => der::asn1::UtcTime::from_der(t.raw)
            .map(|u| u.to_unix_duration())
            .map_err(|e| format!("UTCTime: {e}"))?,
        0x18 => der::asn1::GeneralizedTime::from_der(t.raw)
            .map(|g| g.to_unix_duration())
            .map_err(|e| format!("GeneralizedTime: {e}"))?,
        other => return Err(format!("expected a time, found tag 0x{other:02x}")),
    };
    i64::try_from(dt.as_secs()).map_err(|_| "time out of range".into())
}

fn parse_extensions(value: &[u8]) -> Result<CertExtensions, String> {
    let seq = tlv::expect(value, tlv::SEQUENCE, "extensions")?;
    let mut out = CertExtensions::default();
    for e in tlv::children(seq.value, 256)? {
        let ext =
            x509_cert::ext::Extension::from_der(e.raw).map_err(|e| format!("extension: {e}"))?;
        let bytes = ext.extn_value.as_bytes();
        let bad = |what: &str, e: der::Error| format!("{what}: {e}");
        match ext.extn_id {
            oids::ID_CE_BASIC_CONSTRAINTS => {
                out.basic = Some(
                    BasicConstraints::from_der(bytes).map_err(|e| bad("basicConstraints", e))?,
                )
            }
            oids::ID_CE_KEY_USAGE => {
                out.key_usage = Some(KeyUsage::from_der(bytes).map_err(|e| bad("keyUsage", e))?)
            }
            oids::ID_CE_EXT_KEY_USAGE => {
                out.eku = Some(
                    ExtendedKeyUsage::from_der(bytes)
                        .map_err(|e| bad("extKeyUsage", e))?
                        .0,
                )
            }
            oids::ID_CE_SUBJECT_KEY_IDENTIFIER => {
                out.ski = Some(
                    SubjectKeyIdentifier::from_der(bytes)
                        .map_err(|e| bad("subjectKeyIdentifier", e))?
                        .0
                        .as_bytes()
                        .to_vec(),
                )
            }
            oids::ID_CE_AUTHORITY_KEY_IDENTIFIER => {
                out.aki = AuthorityKeyIdentifier::from_der(bytes)
                    .map_err(|e| bad("authorityKeyIdentifier", e))?
                    .key_identifier
                    .map(|k| k.as_bytes().to_vec())
            }
            _ => {}
        }
    }
    Ok(out)
}

/// GnuTLS's bit values for a KeyUsage (as in `certificate not suitable for use [0x20]`).
pub(crate) fn gnutls_key_usage_bits(ku: &KeyUsage) -> u32 {
    let mut bits = 0;
    let table = [
        (ku.digital_signature(), 0x80),
        (ku.non_repudiation(), 0x40),
        (ku.key_encipherment(), 0x20),
        (ku.data_encipherment(), 0x10),
        (ku.key_agreement(), 0x08),
        (ku.key_cert_sign(), 0x04),
        (ku.crl_sign(), 0x02),
        (ku.encipher_only(), 0x01),
        (ku.decipher_only(), 0x8000),
    ];
    for (set, bit) in table {
        if set {
            bits |= bit;
        }
    }
    bits
}
