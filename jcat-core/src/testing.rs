//! Test support: the certificate and CRL generator the integration tests build
//! their PKI with (ECDSA P-256 keys; the same code as `self-sign`'s keyring
//! certificate, `sign::pkcs7::certgen`). Not part of the stable API.
//!
//! Every time is given by the caller (unix seconds): nothing here reads the
//! clock, so certificates and CRLs with fixed dates give fixed messages.

use der::asn1::{BitString, OctetString};
use der::{Decode, Encode};
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber, KeyUsages};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::{Certificate, Version};

use crate::sign::pkcs7::certgen::{self, CertSpec};
use crate::sign::pkcs7::key::PrivateKey;
use crate::sign::SignError;

pub mod pq;

/// Internals that the integration tests and the benches reach into: the
/// digests, the checksum engine, raw Ed25519 signing and the transparency
/// engine's building blocks. Not part of the API; any of it may change.
pub mod internals {
    pub use crate::digest::{feed_chunked, ChunkSink, DigestAlg, DigestSet, HashState};
    pub use crate::engine::bt;
    pub use crate::engine::checksum;
    pub use crate::engine::ed25519::sign as ed25519_sign;
    pub use crate::payload::CHUNK;
}

fn err(e: impl std::fmt::Display) -> SignError {
    SignError::encode(crate::sign::Encoding::TestPki)(e)
}

/// A private key for test certificates.
#[derive(Clone)]
pub struct TestKey(PrivateKey);

impl TestKey {
    /// A fresh ECDSA P-256 key.
    pub fn generate_p256() -> Self {
        Self(PrivateKey::P256(p256::ecdsa::SigningKey::random(
            &mut rand_core::OsRng,
        )))
    }

    /// Reads a PEM private key (as `jcat-tool sign` does).
    pub fn from_pem(pem: &[u8]) -> Result<Self, SignError> {
        PrivateKey::from_pem(pem).map(Self)
    }

    /// The key as PEM (PKCS#8), readable by `jcat-tool sign`.
    pub fn to_pem(&self) -> Result<String, SignError> {
        self.0.to_pem()
    }
}

/// What a test certificate is for (its basicConstraints, keyUsage and
/// extKeyUsage, as certtool's `ca`/`signing_key`/… template lines give them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A CA (basicConstraints CA, keyUsage keyCertSign and cRLSign) with an
    /// optional pathLenConstraint.
    Ca {
        /// The pathLenConstraint, if any.
        path_len: Option<u8>,
    },
    /// An end entity with keyUsage digitalSignature and EKU codeSigning.
    CodeSigning,
    /// An end entity with keyUsage digitalSignature and EKU clientAuth.
    ClientAuth,
}

/// A certificate to make.
#[derive(Debug, Clone)]
pub struct CertParams<'a> {
    /// Subject, RFC 4514 string (`CN=…,O=…`).
    pub subject: &'a str,
    /// Serial number.
    pub serial: u64,
    /// basicConstraints, keyUsage and extKeyUsage.
    pub role: Role,
    /// notBefore, unix seconds.
    pub not_before: i64,
    /// notAfter, unix seconds.
    pub not_after: i64,
}

/// The minimal big-endian bytes of `n` (at least one).
fn be_bytes(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count().min(7);
    bytes.iter().skip(skip).copied().collect()
}

/// The subject DER and SubjectPublicKeyInfo DER of a certificate.
fn subject_and_spki(cert_der: &[u8]) -> Result<(Vec<u8>, Vec<u8>), SignError> {
    let cert = Certificate::from_der(cert_der).map_err(err)?;
    let tbs = cert.tbs_certificate;
    Ok((
        tbs.subject.to_der().map_err(err)?,
        tbs.subject_public_key_info.to_der().map_err(err)?,
    ))
}

/// A certificate (DER) for `key`: self-signed when `issuer` is `None`, else
/// signed by the issuer's key and naming the issuer's certificate (DER) as
/// its issuer and authority key.
pub fn certificate(
    params: &CertParams<'_>,
    key: &TestKey,
    issuer: Option<(&[u8], &TestKey)>,
) -> Result<Vec<u8>, SignError> {
    let (basic, key_usage, eku) = match params.role {
        Role::Ca { path_len } => (
            (true, path_len),
            KeyUsages::KeyCertSign | KeyUsages::CRLSign,
            None,
        ),
        Role::CodeSigning => (
            (false, None),
            KeyUsages::DigitalSignature.into(),
            Some(vec![const_oid::db::rfc5280::ID_KP_CODE_SIGNING]),
        ),
        Role::ClientAuth => (
            (false, None),
            KeyUsages::DigitalSignature.into(),
            Some(vec![const_oid::db::rfc5280::ID_KP_CLIENT_AUTH]),
        ),
    };
    let spec = CertSpec {
        subject: params.subject.to_owned(),
        serial: be_bytes(params.serial),
        not_before: params.not_before,
        not_after: params.not_after,
        basic: Some(basic),
        key_usage: Some(key_usage),
        eku,
        extra: Default::default(),
    };
    let spki = key.0.spki_der()?;
    match issuer {
        Some((issuer_der, issuer_key)) => {
            let (name, issuer_spki) = subject_and_spki(issuer_der)?;
            certgen::build(&spec, &spki, &issuer_key.0, Some((&name, &issuer_spki)))
        }
        None => certgen::build(&spec, &spki, &key.0, None),
    }
}

/// A CRL to make.
#[derive(Debug, Clone)]
pub struct CrlParams<'a> {
    /// The cRLNumber extension's value.
    pub number: u64,
    /// thisUpdate, unix seconds.
    pub this_update: i64,
    /// nextUpdate, unix seconds.
    pub next_update: i64,
    /// The revoked certificates (DER); their serial numbers are listed.
    pub revoked: &'a [&'a [u8]],
    /// The revocationDate of every entry, unix seconds.
    pub revocation_date: i64,
}

/// A v2 CRL (DER) signed by the issuer's key, naming the issuer's
/// certificate (DER) as issuer and authority key, with a cRLNumber.
pub fn crl(
    params: &CrlParams<'_>,
    issuer_der: &[u8],
    issuer_key: &TestKey,
) -> Result<Vec<u8>, SignError> {
    let (name, issuer_spki) = subject_and_spki(issuer_der)?;
    let revoked = params
        .revoked
        .iter()
        .map(|der| {
            let cert = Certificate::from_der(der).map_err(err)?;
            Ok(RevokedCert {
                serial_number: cert.tbs_certificate.serial_number,
                revocation_date: certgen::x509_time(params.revocation_date)?,
                crl_entry_extensions: None,
            })
        })
        .collect::<Result<Vec<_>, SignError>>()?;
    let number = CrlNumber(der::asn1::Uint::new(&be_bytes(params.number)).map_err(err)?);
    let aki = AuthorityKeyIdentifier {
        key_identifier: Some(OctetString::new(certgen::key_id(&issuer_spki)?).map_err(err)?),
        authority_cert_issuer: None,
        authority_cert_serial_number: None,
    };
    let extensions = vec![
        Extension {
            extn_id: const_oid::db::rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER,
            critical: false,
            extn_value: OctetString::new(aki.to_der().map_err(err)?).map_err(err)?,
        },
        Extension {
            extn_id: const_oid::db::rfc5280::ID_CE_CRL_NUMBER,
            critical: false,
            extn_value: OctetString::new(number.to_der().map_err(err)?).map_err(err)?,
        },
    ];
    let sig_alg = issuer_key.0.cert_sig_alg();
    let tbs = TbsCertList {
        version: Version::V2,
        signature: sig_alg.clone(),
        issuer: Name::from_der(&name).map_err(err)?,
        this_update: certgen::x509_time(params.this_update)?,
        next_update: Some(certgen::x509_time(params.next_update)?),
        revoked_certificates: (!revoked.is_empty()).then_some(revoked),
        crl_extensions: Some(extensions),
    };
    let sig = issuer_key.0.sign(&tbs.to_der().map_err(err)?)?;
    CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: sig_alg,
        signature: BitString::from_bytes(&sig).map_err(err)?,
    }
    .to_der()
    .map_err(err)
}

/// PEM text of one DER object under `label` (`CERTIFICATE`, `X509 CRL`).
pub fn pem(label: &str, der: &[u8]) -> Result<String, SignError> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).map_err(err)
}

/// The DER of the first PEM block of `text`.
pub fn pem_der(text: &[u8]) -> Result<Vec<u8>, SignError> {
    pem_rfc7468::decode_vec(text)
        .map(|(_, der)| der)
        .map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_bytes_are_minimal() {
        assert_eq!(be_bytes(0), [0]);
        assert_eq!(be_bytes(1), [1]);
        assert_eq!(be_bytes(0x1234), [0x12, 0x34]);
    }

    #[test]
    fn a_chain_and_its_crl_load_into_a_trust_store() {
        let limits = crate::Limits::default();
        let (root_key, leaf_key) = (TestKey::generate_p256(), TestKey::generate_p256());
        let params = |subject, serial, role| CertParams {
            subject,
            serial,
            role,
            not_before: 1_600_000_000,
            not_after: 1_900_000_000,
        };
        let root = certificate(
            &params("CN=Root,O=Test", 1, Role::Ca { path_len: None }),
            &root_key,
            None,
        )
        .unwrap();
        let leaf = certificate(
            &params("CN=Leaf,O=Test", 300, Role::CodeSigning),
            &leaf_key,
            Some((&root, &root_key)),
        )
        .unwrap();
        let list = crl(
            &CrlParams {
                number: 7,
                this_update: 1_700_000_000,
                next_update: 1_800_000_000,
                revoked: &[&leaf],
                revocation_date: 1_700_000_100,
            },
            &root,
            &root_key,
        )
        .unwrap();
        assert_eq!(
            pem_der(pem("CERTIFICATE", &leaf).unwrap().as_bytes()).unwrap(),
            leaf
        );
        let mut store = crate::TrustStore::new();
        store.add_bytes(std::path::Path::new("root.pem"), &root, &limits);
        store.add_bytes(std::path::Path::new("root.crl"), &list, &limits);
        assert!(store.skipped().is_empty(), "{:?}", store.skipped());
        assert_eq!(store.crl_count(), 1);
    }
}
