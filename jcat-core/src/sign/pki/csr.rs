//! `create-csr` and `sign-csr`: an organization keeps its key, sends a
//! PKCS#10 request, and gets back a certificate issued within the CA's
//! constraints (the same rules as `create-cert`).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use der::{Decode, DecodePem, Encode};
use x509_cert::name::Name;
use x509_cert::request::{CertReq, CertReqInfo, Version};

use super::issue::{check_days, check_subject, generate, issue, Issuer};
use super::{make_dir, refuse_existing, KeyType, PkiError, Profile, CHAIN_FILE, KEY_FILE};
use crate::x509::pubkey;

/// The request file `create-csr` writes.
pub const CSR_FILE: &str = "csr.pem";

/// Options of [`create_csr`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CsrOptions {
    /// Subject, RFC 4514.
    pub subject: String,
    /// Key algorithm.
    pub key: KeyType,
    /// Replace an existing key.
    pub force: bool,
}

impl CsrOptions {
    /// A request for `subject` with a new `key`; an existing key is kept
    /// (set `force` to replace it).
    pub fn new(subject: impl Into<String>, key: KeyType) -> Self {
        Self {
            subject: subject.into(),
            key,
            force: false,
        }
    }
}

/// Options of [`sign_csr`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SignCsrOptions {
    /// What the certificate is for.
    pub profile: Profile,
    /// pathLenConstraint of a CA profile (default 0).
    pub path_len: Option<u8>,
    /// Validity in days from `now` (cut to the issuer's).
    pub days: u32,
}

impl SignCsrOptions {
    /// Issue for `profile`, valid `days` from `now` (the profile's default
    /// pathLenConstraint; set `path_len` to change it).
    pub fn new(profile: Profile, days: u32) -> Self {
        Self {
            profile,
            path_len: None,
            days,
        }
    }
}

/// The files [`create_csr`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsrWritten {
    /// `DIR/csr.pem`.
    pub csr: PathBuf,
    /// `DIR/key.pem` (0600).
    pub key: PathBuf,
}

/// The files [`sign_csr`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Issued {
    /// The certificate (default: `cert.pem` beside the request).
    pub cert: PathBuf,
    /// `chain.pem` beside it: the certificate and the issuer's chain.
    pub chain: PathBuf,
}

fn bad(path: &Path, reason: impl std::fmt::Display) -> PkiError {
    PkiError::BadFile {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Writes a fresh key (`DIR/key.pem`, 0600) and a PKCS#10 request for it
/// (`DIR/csr.pem`, signed with the key, no attributes).
pub fn create_csr(dir: &Path, opts: &CsrOptions) -> Result<CsrWritten, PkiError> {
    check_subject(&opts.subject)?;
    let key_path = dir.join(KEY_FILE);
    refuse_existing(&key_path, opts.force)?;
    let key = generate(opts.key)?;
    let csr_path = dir.join(CSR_FILE);
    let e = |e: der::Error| bad(&csr_path, e);
    let info = CertReqInfo {
        version: Version::V1,
        subject: Name::from_str(&opts.subject).map_err(e)?,
        public_key: spki::SubjectPublicKeyInfoOwned::from_der(&key.spki_der()?).map_err(e)?,
        attributes: Default::default(),
    };
    let signature = key.sign(&info.to_der().map_err(e)?)?;
    let req = CertReq {
        info,
        algorithm: key.cert_sig_alg(),
        signature: der::asn1::BitString::from_bytes(&signature).map_err(e)?,
    };
    let pem = pem_rfc7468::encode_string(
        "CERTIFICATE REQUEST",
        pem_rfc7468::LineEnding::LF,
        &req.to_der().map_err(e)?,
    )
    .map_err(|err| bad(&csr_path, err))?;
    make_dir(dir)?;
    crate::fsutil::write_atomic(&key_path, key.to_pem()?.as_bytes(), Some(0o600))?;
    crate::fsutil::write_atomic(&csr_path, pem.as_bytes(), None)?;
    Ok(CsrWritten {
        csr: csr_path,
        key: key_path,
    })
}

/// Reads a PKCS#10 request and checks its self-signature; returns the
/// subject (RFC 4514) and SubjectPublicKeyInfo DER.
pub fn check_csr(path: &Path, pem: &[u8]) -> Result<(String, Vec<u8>), PkiError> {
    let req = CertReq::from_pem(pem).map_err(|e| bad(path, e))?;
    let subject = req.info.subject.to_string();
    let info = req.info.to_der().map_err(|e| bad(path, e))?;
    let spki = req.info.public_key.to_der().map_err(|e| bad(path, e))?;
    let sig = req.signature.as_bytes().unwrap_or_default();
    pubkey::verify(
        &spki,
        &req.algorithm,
        None,
        pubkey::Message::Raw(&info),
        sig,
    )
    .map_err(|e| PkiError::CsrSignature {
        subject: subject.clone(),
        reason: match e {
            pubkey::VerifyError::Bad(r) | pubkey::VerifyError::Unsupported(r) => r,
        },
    })?;
    pubkey::key_policy(&spki).map_err(|p| PkiError::CsrSignature {
        subject: subject.clone(),
        reason: format!("{p:?}"),
    })?;
    Ok((subject, spki))
}

/// Issues a certificate for the request at `csr_path` with the CA in
/// `issuer_dir` (the rules of [`super::create_cert`]: constraints,
/// issuer-relative serial, validity cut to the issuer's). Writes the
/// certificate to `out` (default: `cert.pem` beside the request) and
/// `chain.pem` beside it.
pub fn sign_csr(
    csr_path: &Path,
    issuer_dir: &Path,
    opts: &SignCsrOptions,
    out: Option<&Path>,
    now: i64,
) -> Result<Issued, PkiError> {
    let span = check_days(opts.days)?;
    let pem = std::fs::read(csr_path).map_err(|e| crate::Error::io(csr_path, e))?;
    let (subject, spki) = check_csr(csr_path, &pem)?;
    let issuer = Issuer::load(issuer_dir)?;
    let der = issue(
        &issuer,
        &subject,
        &spki,
        opts.profile,
        opts.path_len,
        span,
        now,
    )?;
    let cert = match out {
        Some(p) => p.to_path_buf(),
        None => csr_path
            .parent()
            .unwrap_or(Path::new("."))
            .join(super::CERT_FILE),
    };
    let dir = cert.parent().unwrap_or(Path::new(".")).to_path_buf();
    if !dir.as_os_str().is_empty() {
        make_dir(&dir)?;
    }
    let cert_pem = pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &der)
        .map_err(|e| bad(&cert, e))?;
    let mut chain = cert_pem.clone().into_bytes();
    let issuer_chain = issuer_dir.join(CHAIN_FILE);
    if std::fs::symlink_metadata(&issuer_chain).is_ok() {
        chain.extend(std::fs::read(&issuer_chain).map_err(|e| crate::Error::io(&issuer_chain, e))?);
    }
    crate::fsutil::write_atomic(&cert, cert_pem.as_bytes(), None)?;
    let chain_path = dir.join(CHAIN_FILE);
    crate::fsutil::write_atomic(&chain_path, &chain, None)?;
    Ok(Issued {
        cert,
        chain: chain_path,
    })
}
