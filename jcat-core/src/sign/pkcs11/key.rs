//! A private key on a token: signs digests of CMS signed attributes, each
//! signature checked against the certificate it is made for.

use std::sync::{Arc, Mutex};

use cryptoki::error::Error as CkError;
use cryptoki::mechanism::rsa::{PkcsMgfType, PkcsPssParams};
use cryptoki::mechanism::{Mechanism, MechanismType};
use cryptoki::object::ObjectHandle;
use cryptoki::session::Session;
use spki::AlgorithmIdentifierOwned;

use super::session::poisoned;
use super::Pkcs11Error;
use crate::digest::{digest, DigestAlg};
use crate::payload::Payload;
use crate::sign::pkcs7::signer::{self, CmsSigner};
use crate::sign::SignError;
use crate::x509::cert::CertView;
use crate::x509::pubkey;

/// The key types we sign with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Rsa { bits: usize },
    P256,
    P384,
}

impl Kind {
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Rsa { .. } => "RSA",
            Kind::P256 => "ECDSA P-256",
            Kind::P384 => "ECDSA P-384",
        }
    }
}

/// A private key on a token, ready to sign digests.
pub struct DeviceKey {
    session: Arc<Mutex<Session>>,
    handle: ObjectHandle,
    kind: Kind,
    pss: bool,
    uri: String,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey")
            .field("uri", &self.uri)
            .field("kind", &self.kind)
            .field("pss", &self.pss)
            .finish()
    }
}

impl DeviceKey {
    pub(super) fn new(
        session: Arc<Mutex<Session>>,
        handle: ObjectHandle,
        kind: Kind,
        pss: bool,
        uri: String,
    ) -> Self {
        Self {
            session,
            handle,
            kind,
            pss,
            uri,
        }
    }

    /// `RSA`, `ECDSA P-256` or `ECDSA P-384`.
    pub fn key_type(&self) -> &'static str {
        self.kind.name()
    }

    fn digest_alg(&self) -> DigestAlg {
        match self.kind {
            Kind::P384 => DigestAlg::Sha384,
            _ => DigestAlg::Sha256,
        }
    }

    fn device_sign(&self, hashed: &[u8]) -> Result<Vec<u8>, SignError> {
        let fail = |operation: &'static str, reason: String| {
            SignError::Pkcs11(Pkcs11Error::Device {
                uri: self.uri.clone(),
                operation,
                reason,
            })
        };
        let (mechanism, data) = match self.kind {
            Kind::Rsa { .. } if self.pss => {
                let params = PkcsPssParams {
                    hash_alg: MechanismType::SHA256,
                    mgf: PkcsMgfType::MGF1_SHA256,
                    s_len: usize::from(signer::PSS_SALT)
                        .try_into()
                        .map_err(|e: CkError| fail("C_SignInit", e.to_string()))?,
                };
                (Mechanism::RsaPkcsPss(params), hashed.to_vec())
            }
            Kind::Rsa { .. } => {
                let prefix = pubkey::pkcs1v15_scheme(self.digest_alg()).prefix;
                (Mechanism::RsaPkcs, [&prefix[..], hashed].concat())
            }
            Kind::P256 | Kind::P384 => (Mechanism::Ecdsa, hashed.to_vec()),
        };
        let raw = self
            .session
            .lock()
            .map_err(|_| SignError::Pkcs11(poisoned(&self.uri)))?
            .sign(&mechanism, self.handle, &data)
            .map_err(|e| fail("C_Sign", e.to_string()))?;
        let bad = |e: ecdsa::Error| fail("C_Sign", format!("not an ECDSA signature: {e}"));
        Ok(match self.kind {
            Kind::Rsa { .. } => raw,
            Kind::P256 => p256::ecdsa::Signature::from_slice(&raw)
                .map_err(bad)?
                .to_der()
                .as_bytes()
                .to_vec(),
            Kind::P384 => p384::ecdsa::Signature::from_slice(&raw)
                .map_err(bad)?
                .to_der()
                .as_bytes()
                .to_vec(),
        })
    }

    fn sig_alg(&self) -> Result<AlgorithmIdentifierOwned, SignError> {
        use const_oid::db::rfc5912 as o;
        Ok(match self.kind {
            Kind::Rsa { .. } if self.pss => signer::pss_alg()?,
            Kind::Rsa { .. } => AlgorithmIdentifierOwned {
                oid: o::RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            },
            Kind::P256 => AlgorithmIdentifierOwned {
                oid: o::ECDSA_WITH_SHA_256,
                parameters: None,
            },
            Kind::P384 => AlgorithmIdentifierOwned {
                oid: o::ECDSA_WITH_SHA_384,
                parameters: None,
            },
        })
    }
}

/// A device key bound to the certificate it signs for: each signature is
/// verified with the certificate's key before it is used.
struct Bound<'a> {
    key: &'a DeviceKey,
    spki: Vec<u8>,
    subject: String,
}

impl CmsSigner for Bound<'_> {
    fn digest(&self) -> DigestAlg {
        self.key.digest_alg()
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        let sig = self.sign_digest(&digest(self.digest(), msg))?;
        let alg = self.cms_sig_alg()?;
        pubkey::verify(
            &self.spki,
            &alg,
            Some(self.digest()),
            pubkey::Message::Raw(msg),
            &sig,
        )
        .map_err(|_| SignError::TokenKeyMismatch {
            uri: self.key.uri.to_string(),
            subject: self.subject.clone(),
        })?;
        Ok(sig)
    }
    fn sign_digest(&self, hashed: &[u8]) -> Result<Vec<u8>, SignError> {
        self.key.device_sign(hashed)
    }
    fn cms_sig_alg(&self) -> Result<AlgorithmIdentifierOwned, SignError> {
        self.key.sig_alg()
    }
    fn check_certificate(&self, _spki: &[u8], _subject: &str) -> Result<(), SignError> {
        match self.key.kind {
            Kind::Rsa { bits } => signer::check_rsa_bits(bits),
            _ => Ok(()),
        }
    }
}

/// Signs the payload (digested here, streamed) with a device key for the
/// first certificate of `cert_pem` (a file's bundle, or
/// [`super::TokenSession::certificate_pem`]); the other certificates are embedded
/// after it, as [`crate::sign::pkcs7::sign`] does.
pub fn sign(
    payload: Payload<'_>,
    cert_pem: &[u8],
    key: &DeviceKey,
    now: i64,
) -> Result<Vec<u8>, SignError> {
    let certs = crate::sign::pkcs7::read_certs(cert_pem)?;
    let first = certs
        .first()
        .ok_or(SignError::cert(crate::sign::CertProblem::NoPemCertificate))?;
    let view = CertView::parse(first).map_err(SignError::cert_parse)?;
    let bound = Bound {
        key,
        spki: view.spki.to_vec(),
        subject: view.name(),
    };
    crate::sign::pkcs7::sign_with(
        payload,
        &certs,
        &bound,
        now,
        crate::sign::pkcs7::SignedForm::SignedAttributes,
    )
}
