//! PKCS#7 / CMS detached signatures: `sign` with a given certificate and key,
//! `self_sign` with the keyring's generated RSA key and certificate.
//!
//! Output is what libjcat's GnuTLS backend makes with `ADD_TIMESTAMP |
//! ADD_CERT`, minus its duplicate certificate: a PEM `PKCS7` ContentInfo
//! (64-column base64, trailing newline) holding a detached SignedData with
//! the certificates once each and one SignerInfo (issuerAndSerialNumber,
//! signed attributes contentType = id-data, signingTime, messageDigest).
//!
//! Why the DER is assembled here and not with `cms`'s builder (D60): the
//! output must stay byte-compatible with GnuTLS's (attribute order, the
//! `rsaEncryption` signature algorithm identifier, certificate order), the
//! signature is computed over the signed attributes exactly as they are
//! written, the ML-DSA forms (no signed attributes; GnuTLS's id-shake256
//! form) are not what the builder makes, and PKCS#11 and external signers
//! only ever see a prehash. `cms` is used to decode in tests only (a
//! dev-dependency, without its `builder` feature).

pub(crate) mod certgen;
mod dertlv;
pub(crate) mod key;
pub(crate) mod mldsa_expanded;
pub(crate) mod mldsa_key;
mod options;
pub(crate) mod signer;

pub(crate) use dertlv::{attr, oid, set_of, tlv};
pub use mldsa_key::MlDsaKeyError;
pub use options::{SignOptions, SignedForm};

use std::path::Path;

use const_oid::ObjectIdentifier;
use der::Encode;

use super::{CertProblem, Encoding, Keyring, SignError};
use crate::payload::Payload;
use crate::x509::cert::CertView;
use crate::x509::{pem_blocks, pubkey};
use key::PrivateKey;
use signer::CmsSigner;

/// Subject and issuer of the certificate `self_sign` generates. libjcat uses
/// an empty DN, which GnuTLS prints as `(null)` and which cannot be told
/// apart from other keyrings; ours names what it is, without a host name.
pub const SELF_SIGNED_DN: &str = "CN=jcat self-signed key,O=jcat";
/// Size of the generated self-sign RSA key (libjcat's SEC_PARAM_HIGH).
pub const SELF_SIGNED_RSA_BITS: usize = 3072;

fn encode_err(e: impl std::fmt::Display) -> SignError {
    SignError::encode(Encoding::Signature)(e)
}

/// signingTime value: UTCTime for 1950–2049, GeneralizedTime otherwise.
fn signing_time(now: i64) -> Result<Vec<u8>, SignError> {
    certgen::x509_time(now)?.to_der().map_err(encode_err)
}

/// Reads the certificates of a PEM bundle (DER, each once, in order).
pub(crate) fn read_certs(cert_pem: &[u8]) -> Result<Vec<Vec<u8>>, SignError> {
    let text = std::str::from_utf8(cert_pem).map_err(|_| SignError::cert(CertProblem::NotPem))?;
    let mut out: Vec<Vec<u8>> = Vec::new();
    for block in pem_blocks(text) {
        let Ok((label, der)) = pem_rfc7468::decode_vec(block.as_bytes()) else {
            continue;
        };
        if label == "CERTIFICATE" && !out.contains(&der) {
            CertView::parse(&der).map_err(SignError::cert_parse)?;
            out.push(der);
        }
    }
    if out.is_empty() {
        return Err(SignError::cert(CertProblem::NoPemCertificate));
    }
    Ok(out)
}

/// Signs the payload (streamed) with `key_pem` for the first certificate of
/// `cert_pem`; the other certificates of the bundle (intermediates) are
/// embedded after it. `now` becomes the signingTime.
///
/// Errors: [`SignError::Certificate`] and [`SignError::PrivateKey`] for unusable PEM, [`SignError::CertKeyMismatch`] when
/// the key is not the certificate's (libjcat signs anyway),
/// [`SignError::NothingToDo`] for an empty payload.
pub fn sign(
    payload: Payload<'_>,
    cert_pem: &[u8],
    key_pem: &[u8],
    now: i64,
) -> Result<Vec<u8>, SignError> {
    sign_opts(payload, cert_pem, key_pem, now, SignOptions::default())
}

/// [`sign`] in the given [`SignedForm`].
pub fn sign_as(
    payload: Payload<'_>,
    cert_pem: &[u8],
    key_pem: &[u8],
    now: i64,
    form: SignedForm,
) -> Result<Vec<u8>, SignError> {
    let opts = SignOptions {
        form,
        ..SignOptions::default()
    };
    sign_opts(payload, cert_pem, key_pem, now, opts)
}

/// [`sign`] with [`SignOptions`].
pub fn sign_opts(
    payload: Payload<'_>,
    cert_pem: &[u8],
    key_pem: &[u8],
    now: i64,
    opts: SignOptions,
) -> Result<Vec<u8>, SignError> {
    let certs = read_certs(cert_pem)?;
    let key = PrivateKey::from_pem(key_pem)?;
    if opts.rsa_pss {
        return sign_with(payload, &certs, &signer::RsaPss(&key), now, opts.form);
    }
    sign_with(payload, &certs, &key, now, opts.form)
}

/// Signs with any [`CmsSigner`] for the first of `certs` (DER).
pub(crate) fn sign_with(
    payload: Payload<'_>,
    certs: &[Vec<u8>],
    key: &dyn CmsSigner,
    now: i64,
    form: SignedForm,
) -> Result<Vec<u8>, SignError> {
    let signer_der = certs.first().ok_or(SignError::cert(CertProblem::Missing))?;
    let signer = CertView::parse(signer_der).map_err(SignError::cert_parse)?;
    key.check_certificate(signer.spki, &signer.name())?;
    if form == SignedForm::NoAttributes {
        let k = key.mldsa().ok_or(SignError::NoAttributesNeedsMlDsa)?;
        let (signature, len) = k.sign_payload(payload)?;
        if len == 0 {
            return Err(SignError::NothingToDo);
        }
        return pem_out(&assemble(
            certs,
            &signer,
            key,
            SignedContent::Presigned(signature),
        )?);
    }
    let alg = key.digest();
    let (set, len) = payload.digests(&[alg])?;
    if len == 0 {
        return Err(SignError::NothingToDo);
    }
    let md = set
        .digest(alg)
        .ok_or(SignError::Internal("payload digest missing"))?;

    let attrs = vec![
        attr(cms_oids::ID_CONTENT_TYPE, oid(cms_oids::ID_DATA)),
        attr(cms_oids::ID_SIGNING_TIME, signing_time(now)?),
        attr(cms_oids::ID_MESSAGE_DIGEST, tlv(0x04, &md)),
    ];
    pem_out(&assemble(
        certs,
        &signer,
        key,
        SignedContent::Attrs(set_of(attrs)),
    )?)
}

/// A ContentInfo as libjcat's PEM `PKCS7` text (trailing newline).
pub(crate) fn pem_out(content_info: &[u8]) -> Result<Vec<u8>, SignError> {
    let mut pem = pem_rfc7468::encode_string("PKCS7", pem_rfc7468::LineEnding::LF, content_info)
        .map_err(encode_err)?;
    if !pem.ends_with('\n') {
        pem.push('\n');
    }
    Ok(pem.into_bytes())
}

/// Signs with the keyring's key, creating `<keyring>/pki/secret.key` (RSA-3072,
/// PEM PKCS#1, mode 0600) and `<keyring>/pki/client.pem` (self-signed,
/// [`SELF_SIGNED_DN`], v3, random 20-byte serial, CA:FALSE and
/// digitalSignature both critical, subjectKeyIdentifier, valid from `now` to
/// 9999-12-31T23:59:59Z) when missing, as libjcat does (also when the payload
/// then turns out empty). Unlike libjcat's, the signature embeds the
/// certificate and a signingTime, so `verify --public-key <keyring>/pki/client.pem`
/// accepts it here and in the reference jcat-tool.
pub fn self_sign(payload: Payload<'_>, keyring: &Keyring, now: i64) -> Result<Vec<u8>, SignError> {
    let (cert, key) = ensure_keyring(keyring, now, false)?;
    sign_with(payload, &[cert], &key, now, SignedForm::SignedAttributes)
}

/// [`self_sign`] with the post-quantum keyring (`self-sign --only-pq`):
/// `<keyring>/pki/secret-mldsa87.key` (ML-DSA-87, PKCS#8 seed form, mode
/// 0600) and `<keyring>/pki/client-mldsa87.pem` (self-signed with it, as
/// [`self_sign`]'s), created when missing; the output is an RFC 9882 blob
/// (SHA-512 signed attributes) that `verify --only-pq --public-key
/// <keyring>/pki/client-mldsa87.pem` accepts. An existing key that is not
/// ML-DSA-87 is refused.
pub fn self_sign_pq(
    payload: Payload<'_>,
    keyring: &Keyring,
    now: i64,
) -> Result<Vec<u8>, SignError> {
    self_sign_pq_as(payload, keyring, now, SignedForm::SignedAttributes)
}

/// [`self_sign_pq`] in the given [`SignedForm`].
pub fn self_sign_pq_as(
    payload: Payload<'_>,
    keyring: &Keyring,
    now: i64,
    form: SignedForm,
) -> Result<Vec<u8>, SignError> {
    let (cert, key) = ensure_keyring(keyring, now, true)?;
    if !matches!(&key, PrivateKey::MlDsa(k) if k.set == crate::x509::mldsa::MlDsaSet::MlDsa87) {
        return Err(SignError::KeyringNotMlDsa87);
    }
    sign_with(payload, &[cert], &key, now, form)
}

fn read_file(path: &Path) -> Result<Vec<u8>, SignError> {
    std::fs::read(path).map_err(|e| SignError::Io(crate::Error::io(path, e)))
}

use const_oid::db::rfc5911 as cms_oids;

/// What the SignerInfo signature covers.
pub(crate) enum SignedContent {
    /// Signed attributes, as their SET encoding (signed as given).
    Attrs(Vec<u8>),
    /// No signed attributes: the payload digest itself.
    #[cfg_attr(not(test), allow(dead_code))]
    Digest(Vec<u8>),
    /// Signed attributes as their SET encoding, under an explicit
    /// digestAlgorithm (the test builder of the GnuTLS ML-DSA form).
    AttrsDigest(Vec<u8>, ObjectIdentifier),
    /// No signed attributes: a signature already made over the payload
    /// itself (ML-DSA, RFC 9882 section 3.3).
    Presigned(Vec<u8>),
}

/// The signature over a signed-attributes SET, and the SET re-tagged `[0]`.
fn implicit_attrs(set: Vec<u8>, key: &dyn CmsSigner) -> Result<(Vec<u8>, Vec<u8>), SignError> {
    let signature = key.sign(&set)?;
    let mut implicit = set;
    if let Some(first) = implicit.first_mut() {
        *first = 0xa0;
    }
    Ok((implicit, signature))
}

/// Builds the ContentInfo DER: `embedded` certificates (may be empty), one
/// SignerInfo for `signer` made with `key`.
pub(crate) fn assemble(
    embedded: &[Vec<u8>],
    signer: &CertView<'_>,
    key: &dyn CmsSigner,
    content: SignedContent,
) -> Result<Vec<u8>, SignError> {
    let mut digest_oid = pubkey::digest_oid(key.digest());
    let (attrs_implicit, signature) = match content {
        SignedContent::Attrs(set) => implicit_attrs(set, key)?,
        SignedContent::AttrsDigest(set, o) => {
            digest_oid = o;
            implicit_attrs(set, key)?
        }
        SignedContent::Digest(d) => (Vec::new(), key.sign_digest(&d)?),
        SignedContent::Presigned(sig) => (Vec::new(), sig),
    };
    let digest_alg = tlv(0x30, &oid(digest_oid));
    let serial = tlv(0x02, signer.serial);
    let signer_info = tlv(
        0x30,
        &[
            tlv(0x02, &[1]),
            tlv(0x30, &[signer.issuer.to_vec(), serial].concat()),
            digest_alg.clone(),
            attrs_implicit,
            key::alg_der(&key.cms_sig_alg()?)?,
            tlv(0x04, &signature),
        ]
        .concat(),
    );
    let mut cert_set = embedded.to_vec();
    cert_set.sort();
    let certs = if cert_set.is_empty() {
        Vec::new()
    } else {
        tlv(0xa0, &cert_set.concat())
    };
    let signed_data = tlv(
        0x30,
        &[
            tlv(0x02, &[1]),
            tlv(0x31, &digest_alg),
            tlv(0x30, &oid(cms_oids::ID_DATA)),
            certs,
            tlv(0x31, &signer_info),
        ]
        .concat(),
    );
    Ok(tlv(
        0x30,
        &[oid(cms_oids::ID_SIGNED_DATA), tlv(0xa0, &signed_data)].concat(),
    ))
}

/// Loads or creates the keyring's key and certificate.
fn ensure_keyring(
    keyring: &Keyring,
    now: i64,
    pq: bool,
) -> Result<(Vec<u8>, PrivateKey), SignError> {
    let dir = keyring.pki_dir();
    std::fs::create_dir_all(&dir).map_err(|e| SignError::Io(crate::Error::io(&dir, e)))?;
    let (key_file, cert_file) = if pq {
        ("secret-mldsa87.key", "client-mldsa87.pem")
    } else {
        ("secret.key", "client.pem")
    };
    let key_path = dir.join(key_file);
    let key = if key_path.exists() {
        PrivateKey::from_pem(&read_file(&key_path)?)?
    } else {
        let key = if pq {
            PrivateKey::MlDsa(mldsa_key::MlDsaKey::generate(
                crate::x509::mldsa::MlDsaSet::MlDsa87,
            )?)
        } else {
            PrivateKey::generate_rsa(SELF_SIGNED_RSA_BITS)?
        };
        crate::fsutil::write_atomic(&key_path, key.to_pem()?.as_bytes(), Some(0o600))?;
        key
    };
    let cert_path = dir.join(cert_file);
    let cert = if cert_path.exists() {
        read_certs(&read_file(&cert_path)?)?
            .into_iter()
            .next()
            .ok_or_else(|| {
                SignError::cert(CertProblem::MissingIn {
                    file: cert_file.to_string(),
                })
            })?
    } else {
        let spec = certgen::CertSpec {
            subject: SELF_SIGNED_DN.into(),
            serial: certgen::random_serial()?,
            not_before: now,
            not_after: certgen::NO_EXPIRY,
            basic: Some((false, None)),
            key_usage: Some(x509_cert::ext::pkix::KeyUsages::DigitalSignature.into()),
            eku: None,
            extra: Default::default(),
        };
        let der = certgen::build(&spec, &key.spki_der()?, &key, None)?;
        let pem = pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &der)
            .map_err(encode_err)?;
        crate::fsutil::write_atomic(&cert_path, pem.as_bytes(), None)?;
        der
    };
    Ok((cert, key))
}

#[cfg(test)]
mod fips204_tests;
#[cfg(test)]
mod noattr_tests;
#[cfg(test)]
mod pq_tests;
