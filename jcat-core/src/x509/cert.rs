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
pub(crate) struct CertExtensions<'a> {
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
    /// Whether an authorityKeyIdentifier extension is present at all.
    pub has_aki: bool,
    /// nameConstraints extension value (DER) and its criticality.
    pub name_constraints: Option<(&'a [u8], bool)>,
    /// subjectAltName extension value (DER).
    pub san: Option<&'a [u8]>,
    /// Whether subjectAltName is marked critical.
    pub san_critical: bool,
    /// The first OID found twice, if any.
    pub duplicate: Option<const_oid::ObjectIdentifier>,
    /// The first critical extension we do not process, if any.
    pub unknown_critical: Option<const_oid::ObjectIdentifier>,
    /// The first extension whose criticality RFC 5280 forbids, if any
    /// (name, what it must be).
    pub wrong_criticality: Option<(&'static str, &'static str)>,
    /// Whether basicConstraints is marked critical.
    pub basic_critical: bool,
    /// Whether an extKeyUsage extension is present but empty.
    pub eku_empty: bool,
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
    pub ext: CertExtensions<'a>,
    /// Whether the inner `signature` algorithm differs from the outer one.
    pub alg_mismatch: bool,
}

impl<'a> CertView<'a> {
    /// Parses a DER certificate.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Self, String> {
        let (tbs, sig_alg, signature) = signed_envelope(der, "Certificate", "tbsCertificate")?;
        let outer_alg = outer_alg_raw(der)?;

        let mut t = tlv::Cursor::new(tbs.value);
        if let Some(v) = t.optional(0xa0)? {
            if !matches!(
                tlv::expect(v.value, tlv::INTEGER, "version")?.value,
                [0..=2]
            ) {
                return Err("version is not 0, 1 or 2".into());
            }
        }
        let serial = t.next_tag(tlv::INTEGER, "serialNumber")?;
        let inner_alg = t.next_tag(tlv::SEQUENCE, "signature")?;
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
            alg_mismatch: inner_alg.raw != outer_alg,
        })
    }

    /// Whether subject and issuer are the same name (RFC 5280 "self-issued").
    pub(crate) fn self_issued(&self) -> bool {
        self.subject == self.issuer
    }

    /// Whether it looks self-signed: self-issued, and its AKI (if any) names
    /// its own key. Such a certificate needs no authorityKeyIdentifier.
    pub(crate) fn self_signed_shape(&self) -> bool {
        self.self_issued()
            && match (&self.ext.aki, &self.ext.ski) {
                (Some(a), Some(s)) => a == s,
                _ => true,
            }
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

/// The outer signatureAlgorithm element as found.
fn outer_alg_raw(der: &[u8]) -> Result<&[u8], String> {
    let outer = tlv::expect(der, tlv::SEQUENCE, "Certificate")?;
    let mut c = tlv::Cursor::new(outer.value);
    c.next("tbsCertificate")?;
    Ok(c.next_tag(tlv::SEQUENCE, "signatureAlgorithm")?.raw)
}

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

/// Drops the unused-bits octet of a BIT STRING (which must be 0).
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

fn parse_extensions(value: &[u8]) -> Result<CertExtensions<'_>, String> {
    let seq = tlv::expect(value, tlv::SEQUENCE, "extensions")?;
    let mut out = CertExtensions::default();
    let mut seen: Vec<const_oid::ObjectIdentifier> = Vec::new();
    for e in tlv::children(seq.value, 256)? {
        let ext =
            x509_cert::ext::Extension::from_der(e.raw).map_err(|e| format!("extension: {e}"))?;
        // The value's bytes inside the certificate (not the decoded copy).
        let bytes = ext_value(e.value)?;
        if seen.contains(&ext.extn_id) {
            out.duplicate.get_or_insert(ext.extn_id);
        }
        seen.push(ext.extn_id);
        let bad = |what: &str, e: der::Error| format!("{what}: {e}");
        let crit = ext.critical;
        let mut wrong: Option<(&'static str, &'static str)> = None;
        match ext.extn_id {
            oids::ID_CE_BASIC_CONSTRAINTS => {
                out.basic_critical = crit;
                out.basic = Some(
                    BasicConstraints::from_der(bytes).map_err(|e| bad("basicConstraints", e))?,
                )
            }
            oids::ID_CE_KEY_USAGE => {
                out.key_usage = Some(KeyUsage::from_der(bytes).map_err(|e| bad("keyUsage", e))?)
            }
            oids::ID_CE_EXT_KEY_USAGE => {
                let inner = tlv::expect(bytes, tlv::SEQUENCE, "extKeyUsage")?;
                if inner.value.is_empty() {
                    out.eku_empty = true;
                    out.eku = Some(Vec::new());
                } else {
                    out.eku = Some(
                        ExtendedKeyUsage::from_der(bytes)
                            .map_err(|e| bad("extKeyUsage", e))?
                            .0,
                    )
                }
            }
            oids::ID_CE_SUBJECT_KEY_IDENTIFIER => {
                if crit {
                    wrong = Some(("subjectKeyIdentifier", "non-critical"));
                }
                out.ski = Some(
                    SubjectKeyIdentifier::from_der(bytes)
                        .map_err(|e| bad("subjectKeyIdentifier", e))?
                        .0
                        .as_bytes()
                        .to_vec(),
                )
            }
            oids::ID_CE_AUTHORITY_KEY_IDENTIFIER => {
                if crit {
                    wrong = Some(("authorityKeyIdentifier", "non-critical"));
                }
                out.has_aki = true;
                out.aki = AuthorityKeyIdentifier::from_der(bytes)
                    .map_err(|e| bad("authorityKeyIdentifier", e))?
                    .key_identifier
                    .map(|k| k.as_bytes().to_vec())
            }
            oids::ID_CE_NAME_CONSTRAINTS => {
                if !crit {
                    wrong = Some(("nameConstraints", "critical"));
                }
                out.name_constraints = Some((bytes, crit))
            }
            oids::ID_CE_SUBJECT_ALT_NAME => {
                x509_cert::ext::pkix::SubjectAltName::from_der(bytes)
                    .map_err(|e| bad("subjectAltName", e))?;
                out.san = Some(bytes);
                out.san_critical = crit;
            }
            oids::ID_CE_POLICY_CONSTRAINTS if !crit => {
                wrong = Some(("policyConstraints", "critical"))
            }
            oids::ID_PE_AUTHORITY_INFO_ACCESS => {
                if crit {
                    wrong = Some(("authorityInfoAccess", "non-critical"));
                }
                let aia = tlv::expect(bytes, tlv::SEQUENCE, "authorityInfoAccess")?;
                if aia.value.is_empty() {
                    return Err("authorityInfoAccess holds no AccessDescription".into());
                }
                x509_cert::ext::pkix::AuthorityInfoAccessSyntax::from_der(bytes)
                    .map_err(|e| bad("authorityInfoAccess", e))?;
            }
            other if crit => {
                out.unknown_critical.get_or_insert(other);
            }
            _ => {}
        }
        if let (Some(w), None) = (wrong, out.wrong_criticality) {
            out.wrong_criticality = Some(w);
        }
    }
    Ok(out)
}

/// The contents of an Extension's extnValue OCTET STRING, borrowed.
fn ext_value(ext_body: &[u8]) -> Result<&[u8], String> {
    let mut c = tlv::Cursor::new(ext_body);
    c.next_tag(tlv::OID, "extnID")?;
    if c.peek_tag() == Some(0x01) {
        c.next("critical")?;
    }
    Ok(c.next_tag(tlv::OCTET_STRING, "extnValue")?.value)
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
