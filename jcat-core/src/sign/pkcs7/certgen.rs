//! Building X.509 v3 certificates (self-sign keyring certificate; test PKI).

use std::str::FromStr;
use std::time::Duration;

use der::asn1::{BitString, GeneralizedTime, OctetString, UtcTime};
use der::{Decode, Encode};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectKeyIdentifier,
};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate, Version};

use super::key::PrivateKey;
use crate::digest::{digest, DigestAlg};
use crate::sign::SignError;

/// 9999-12-31T23:59:59Z, RFC 5280's "no well-defined expiration date".
pub(crate) const NO_EXPIRY: i64 = 253_402_300_799;

/// What goes into a certificate.
#[derive(Debug, Clone)]
pub(crate) struct CertSpec {
    /// Subject, RFC 4514 string.
    pub subject: String,
    /// Serial number (big-endian magnitude).
    pub serial: Vec<u8>,
    /// notBefore, unix seconds.
    pub not_before: i64,
    /// notAfter, unix seconds.
    pub not_after: i64,
    /// `None`: no basicConstraints; `Some((ca, pathLen))`.
    pub basic: Option<(bool, Option<u8>)>,
    /// keyUsage bits, if the extension is wanted.
    pub key_usage: Option<der::flagset::FlagSet<KeyUsages>>,
    /// extKeyUsage purposes, if wanted.
    pub eku: Option<Vec<const_oid::ObjectIdentifier>>,
    /// Test shapes beyond the profile (defaults: none).
    pub extra: Extra,
}

/// Departures from the usual profile, for tests of the rules that refuse them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Extra {
    /// Extensions appended as given.
    pub extensions: Vec<Extension>,
    /// Leave out subjectKeyIdentifier.
    pub no_ski: bool,
    /// Leave out authorityKeyIdentifier.
    pub no_aki: bool,
    /// Mark basicConstraints non-critical.
    pub basic_noncritical: bool,
    /// An inner `signature` algorithm different from the outer one.
    pub inner_alg: Option<spki::AlgorithmIdentifierOwned>,
}

/// An extension with a DER value, for [`Extra::extensions`].
#[cfg(test)]
pub(crate) fn raw_ext(
    oid: const_oid::ObjectIdentifier,
    critical: bool,
    value_der: Vec<u8>,
) -> Result<Extension, SignError> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(value_der).map_err(err)?,
    })
}

fn err(e: impl std::fmt::Display) -> SignError {
    SignError::encode(crate::sign::Encoding::Certificate)(e)
}

/// X.509 time: UTCTime before 2050, GeneralizedTime from then on.
pub(crate) fn x509_time(t: i64) -> Result<Time, SignError> {
    let secs = u64::try_from(t).map_err(err)?;
    let d = Duration::from_secs(secs);
    if t < 2_524_608_000 {
        Ok(Time::UtcTime(UtcTime::from_unix_duration(d).map_err(err)?))
    } else {
        Ok(Time::GeneralTime(
            GeneralizedTime::from_unix_duration(d).map_err(err)?,
        ))
    }
}

fn ext<E: Encode>(
    oid: const_oid::ObjectIdentifier,
    critical: bool,
    v: &E,
) -> Result<Extension, SignError> {
    Ok(Extension {
        extn_id: oid,
        critical,
        extn_value: OctetString::new(v.to_der().map_err(err)?).map_err(err)?,
    })
}

/// The SHA-1 key identifier of a SubjectPublicKeyInfo (RFC 5280 method 1).
pub(crate) fn key_id(spki_der: &[u8]) -> Result<Vec<u8>, SignError> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(spki_der).map_err(err)?;
    Ok(digest(DigestAlg::Sha1, spki.subject_public_key.raw_bytes()))
}

/// Builds a certificate for `subject_spki`, signed by `issuer_key`. `issuer`
/// is `None` for a self-signed certificate, else the issuer's subject DER and
/// SubjectPublicKeyInfo DER (for the authorityKeyIdentifier).
pub(crate) fn build(
    spec: &CertSpec,
    subject_spki: &[u8],
    issuer_key: &PrivateKey,
    issuer: Option<(&[u8], &[u8])>,
) -> Result<Vec<u8>, SignError> {
    use const_oid::db::rfc5280 as o;
    let subject = Name::from_str(&spec.subject).map_err(err)?;
    let (issuer_name, issuer_spki) = match issuer {
        Some((name, spki)) => (Name::from_der(name).map_err(err)?, spki.to_vec()),
        None => (subject.clone(), subject_spki.to_vec()),
    };
    let mut exts = Vec::new();
    if let Some((ca, path_len)) = spec.basic {
        exts.push(ext(
            o::ID_CE_BASIC_CONSTRAINTS,
            !spec.extra.basic_noncritical,
            &BasicConstraints {
                ca,
                path_len_constraint: path_len,
            },
        )?);
    }
    if let Some(ku) = spec.key_usage {
        exts.push(ext(o::ID_CE_KEY_USAGE, true, &KeyUsage(ku))?);
    }
    if let Some(eku) = &spec.eku {
        exts.push(ext(
            o::ID_CE_EXT_KEY_USAGE,
            false,
            &ExtendedKeyUsage(eku.clone()),
        )?);
    }
    let ski = OctetString::new(key_id(subject_spki)?).map_err(err)?;
    if !spec.extra.no_ski {
        exts.push(ext(
            o::ID_CE_SUBJECT_KEY_IDENTIFIER,
            false,
            &SubjectKeyIdentifier(ski),
        )?);
    }
    if issuer.is_some() && !spec.extra.no_aki {
        let aki = AuthorityKeyIdentifier {
            key_identifier: Some(OctetString::new(key_id(&issuer_spki)?).map_err(err)?),
            authority_cert_issuer: None,
            authority_cert_serial_number: None,
        };
        exts.push(ext(o::ID_CE_AUTHORITY_KEY_IDENTIFIER, false, &aki)?);
    }
    exts.extend(spec.extra.extensions.iter().cloned());
    let sig_alg = issuer_key.cert_sig_alg();
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&spec.serial).map_err(err)?,
        signature: spec
            .extra
            .inner_alg
            .clone()
            .unwrap_or_else(|| sig_alg.clone()),
        issuer: issuer_name,
        validity: Validity {
            not_before: x509_time(spec.not_before)?,
            not_after: x509_time(spec.not_after)?,
        },
        subject,
        subject_public_key_info: spki::SubjectPublicKeyInfoOwned::from_der(subject_spki)
            .map_err(err)?,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(exts),
    };
    let tbs_der = tbs.to_der().map_err(err)?;
    let sig = issuer_key.sign(&tbs_der)?;
    let cert = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: sig_alg,
        signature: BitString::from_bytes(&sig).map_err(err)?,
    };
    cert.to_der().map_err(err)
}

/// A random positive 20-byte serial number.
pub(crate) fn random_serial() -> Result<Vec<u8>, SignError> {
    use rand_core::RngCore;
    let mut serial = vec![0u8; 20];
    rand_core::OsRng
        .try_fill_bytes(&mut serial)
        .map_err(SignError::randomness)?;
    if let Some(first) = serial.first_mut() {
        *first = (*first & 0x7f) | 0x40;
    }
    Ok(serial)
}
