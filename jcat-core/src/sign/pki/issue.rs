//! `create-ca` and `create-cert`: keys, a self-signed root, certificates
//! issued by a CA directory within its constraints.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use der::{Decode, DecodePem, Encode};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::{
    make_dir, refuse_existing, KeyType, PkiError, CERT_FILE, CHAIN_FILE, KEY_FILE, SERIAL_FILE,
};
use crate::sign::pkcs7::certgen::{self, CertSpec};
use crate::sign::pkcs7::key::PrivateKey;

const DAY: i64 = 86_400;
const MAX_DAYS: u32 = 36_500;

/// What `create-cert` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// An intermediate CA (keyCertSign + cRLSign, cA=TRUE, pathLen 0 unless
    /// given).
    Ca,
    /// An end-entity code-signing certificate (digitalSignature, EKU
    /// codeSigning, cA=FALSE).
    CodeSigning,
}

/// Options of [`create_ca`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CaOptions {
    /// Subject, RFC 4514 (`CN=Vendor Root CA,O=Vendor`).
    pub subject: String,
    /// Key algorithm.
    pub key: KeyType,
    /// Validity in days from `now`.
    pub days: u32,
    /// pathLenConstraint (none: unlimited).
    pub path_len: Option<u8>,
    /// Replace an existing key.
    pub force: bool,
}

impl CaOptions {
    /// A CA `subject` with a new `key`, valid `days` from `now`; no
    /// pathLenConstraint, an existing key is kept (set the fields to change).
    pub fn new(subject: impl Into<String>, key: KeyType, days: u32) -> Self {
        Self {
            subject: subject.into(),
            key,
            days,
            path_len: None,
            force: false,
        }
    }
}

/// Options of [`create_cert`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CertOptions {
    /// Subject, RFC 4514.
    pub subject: String,
    /// Key algorithm.
    pub key: KeyType,
    /// Validity in days from `now` (cut to the issuer's).
    pub days: u32,
    /// What the certificate is for.
    pub profile: Profile,
    /// pathLenConstraint of a CA profile (default 0).
    pub path_len: Option<u8>,
    /// Replace an existing key.
    pub force: bool,
}

impl CertOptions {
    /// A certificate for `subject` with a new `key` and `profile`, valid
    /// `days` from `now`; the profile's default pathLenConstraint, an
    /// existing key is kept (set the fields to change).
    pub fn new(subject: impl Into<String>, key: KeyType, days: u32, profile: Profile) -> Self {
        Self {
            subject: subject.into(),
            key,
            days,
            profile,
            path_len: None,
            force: false,
        }
    }
}

/// The files written: certificate and key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Written {
    /// `DIR/cert.pem`.
    pub cert: PathBuf,
    /// `DIR/key.pem` (0600).
    pub key: PathBuf,
}

pub(crate) fn generate(key: KeyType) -> Result<PrivateKey, PkiError> {
    Ok(match key {
        KeyType::Rsa3072 => PrivateKey::generate_rsa(3072)?,
        KeyType::Rsa4096 => PrivateKey::generate_rsa(4096)?,
        KeyType::P256 => PrivateKey::P256(p256::ecdsa::SigningKey::random(&mut rand_core::OsRng)),
        KeyType::P384 => PrivateKey::P384(p384::ecdsa::SigningKey::random(&mut rand_core::OsRng)),
        KeyType::Ed25519 => PrivateKey::Ed25519(Box::new(ed25519_dalek::SigningKey::generate(
            &mut rand_core::OsRng,
        ))),
        KeyType::MlDsa87 => PrivateKey::MlDsa(crate::sign::pkcs7::mldsa_key::MlDsaKey::generate(
            crate::x509::mldsa::MlDsaSet::MlDsa87,
        )?),
    })
}

pub(crate) fn check_subject(subject: &str) -> Result<(), PkiError> {
    let bad = |reason: String| PkiError::BadSubject {
        subject: subject.to_owned(),
        reason,
    };
    let name = Name::from_str(subject).map_err(|e| bad(e.to_string()))?;
    if name.0.is_empty() {
        return Err(bad("empty".to_owned()));
    }
    Ok(())
}

pub(crate) fn check_days(days: u32) -> Result<i64, PkiError> {
    if days == 0 || days > MAX_DAYS {
        return Err(PkiError::BadDays { days });
    }
    Ok(i64::from(days) * DAY)
}

fn write_pair(dir: &Path, cert_der: &[u8], key: &PrivateKey) -> Result<Written, PkiError> {
    let cert = dir.join(CERT_FILE);
    let key_path = dir.join(KEY_FILE);
    let pem = pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, cert_der)
        .map_err(|e| bad_file(&cert, e))?;
    crate::fsutil::write_atomic(&key_path, key.to_pem()?.as_bytes(), Some(0o600))?;
    crate::fsutil::write_atomic(&cert, pem.as_bytes(), None)?;
    Ok(Written {
        cert,
        key: key_path,
    })
}

fn bad_file(path: &Path, e: impl std::fmt::Display) -> PkiError {
    PkiError::BadFile {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Creates a self-signed root CA in `dir`: basicConstraints critical cA=TRUE
/// (with `path_len`), keyUsage keyCertSign + cRLSign, subjectKeyIdentifier,
/// a random 20-octet serial, valid from `now` for `days`.
pub fn create_ca(dir: &Path, opts: &CaOptions, now: i64) -> Result<Written, PkiError> {
    check_subject(&opts.subject)?;
    let span = check_days(opts.days)?;
    refuse_existing(&dir.join(KEY_FILE), opts.force)?;
    let key = generate(opts.key)?;
    let spec = CertSpec {
        subject: opts.subject.clone(),
        serial: certgen::random_serial()?,
        not_before: now,
        not_after: now.saturating_add(span),
        basic: Some((true, opts.path_len)),
        key_usage: Some(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        eku: None,
        extra: certgen::Extra::default(),
    };
    let der = certgen::build(&spec, &key.spki_der()?, &key, None)?;
    make_dir(dir)?;
    let written = write_pair(dir, &der, &key)?;
    crate::fsutil::write_atomic(&dir.join(SERIAL_FILE), b"0\n", None)?;
    Ok(written)
}

/// A CA directory: its certificate and key.
pub(crate) struct Issuer {
    pub(crate) dir: PathBuf,
    pub(crate) cert: Certificate,
    pub(crate) key: PrivateKey,
}

impl Issuer {
    /// Reads `dir/cert.pem` and `dir/key.pem`.
    pub(crate) fn load(dir: &Path) -> Result<Self, PkiError> {
        let cert_path = dir.join(CERT_FILE);
        let key_path = dir.join(KEY_FILE);
        let read = |p: &Path| std::fs::read(p).map_err(|e| crate::Error::io(p, e));
        let cert_pem = read(&cert_path)?;
        let cert = Certificate::from_pem(&cert_pem).map_err(|e| bad_file(&cert_path, e))?;
        let key = PrivateKey::from_pem(&read(&key_path)?).map_err(|e| bad_file(&key_path, e))?;
        if !crate::sign::pkcs7::key::same_public_key(
            &cert
                .tbs_certificate
                .subject_public_key_info
                .to_der()
                .map_err(|e| bad_file(&cert_path, e))?,
            &key,
        ) {
            return Err(bad_file(&key_path, "not the key of cert.pem"));
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            cert,
            key,
        })
    }

    /// The subject, RFC 4514.
    pub(crate) fn subject(&self) -> String {
        self.cert.tbs_certificate.subject.to_string()
    }

    fn ext<T>(&self) -> Option<T>
    where
        T: const_oid::AssociatedOid + for<'a> Decode<'a>,
    {
        self.cert
            .tbs_certificate
            .get::<T>()
            .ok()
            .flatten()
            .map(|(_, v)| v)
    }

    /// basicConstraints cA=TRUE and keyUsage keyCertSign (when present).
    pub(crate) fn check_can_issue(&self) -> Result<Option<u8>, PkiError> {
        let basic = self.ext::<BasicConstraints>();
        let ku_ok = self
            .ext::<KeyUsage>()
            .is_none_or(|ku| ku.0.contains(KeyUsages::KeyCertSign));
        match basic {
            Some(b) if b.ca && ku_ok => Ok(b.path_len_constraint),
            _ => Err(PkiError::IssuerNotCa {
                issuer: self.subject(),
            }),
        }
    }

    /// Whether the issuer may sign CRLs (keyUsage cRLSign).
    pub(crate) fn can_sign_crls(&self) -> bool {
        self.ext::<KeyUsage>()
            .is_some_and(|ku| ku.0.contains(KeyUsages::CRLSign))
    }

    /// (notBefore, notAfter), unix seconds.
    pub(crate) fn validity(&self) -> (i64, i64) {
        let v = &self.cert.tbs_certificate.validity;
        let secs = |t: &x509_cert::time::Time| {
            i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
        };
        (secs(&v.not_before), secs(&v.not_after))
    }

    /// The next issuer-relative serial (stored in `SERIAL_FILE`).
    pub(crate) fn next_serial(&self) -> Result<Vec<u8>, PkiError> {
        let path = self.dir.join(SERIAL_FILE);
        let last = match std::fs::read_to_string(&path) {
            Ok(s) => s.trim().parse::<u64>().map_err(|e| bad_file(&path, e))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0,
            Err(e) => return Err(crate::Error::io(&path, e).into()),
        };
        let next = last
            .checked_add(1)
            .ok_or_else(|| bad_file(&path, "serial numbers exhausted"))?;
        crate::fsutil::write_atomic(&path, format!("{next}\n").as_bytes(), None)?;
        // Unique under this issuer by the counter; 8 random octets in front
        // keep serials of different issuers apart (GnuTLS picks a PKCS#7
        // signer among embedded certificates by serial).
        let mut serial = certgen::random_serial()?;
        serial.truncate(8);
        serial.extend_from_slice(&next.to_be_bytes());
        Ok(serial)
    }

    /// Subject DER and SubjectPublicKeyInfo DER.
    pub(crate) fn name_and_spki(&self) -> Result<(Vec<u8>, Vec<u8>), PkiError> {
        let t = &self.cert.tbs_certificate;
        let e = |e: der::Error| bad_file(&self.dir.join(CERT_FILE), e);
        Ok((
            t.subject.to_der().map_err(e)?,
            t.subject_public_key_info.to_der().map_err(e)?,
        ))
    }
}

/// Issues a certificate for a fresh key in `dir`, signed by the CA in
/// `issuer_dir`: serial from the issuer's counter, AKI from the issuer's key,
/// validity from `now` for `days` cut to the issuer's.
pub fn create_cert(
    dir: &Path,
    issuer_dir: &Path,
    opts: &CertOptions,
    now: i64,
) -> Result<Written, PkiError> {
    check_subject(&opts.subject)?;
    let span = check_days(opts.days)?;
    refuse_existing(&dir.join(KEY_FILE), opts.force)?;
    let issuer = Issuer::load(issuer_dir)?;
    let key = generate(opts.key)?;
    let der = issue(
        &issuer,
        &opts.subject,
        &key.spki_der()?,
        opts.profile,
        opts.path_len,
        span,
        now,
    )?;
    make_dir(dir)?;
    let written = write_pair(dir, &der, &key)?;
    // The chain up to (not including) the root: what `sign` embeds.
    let mut chain = std::fs::read(&written.cert).map_err(|e| crate::Error::io(&written.cert, e))?;
    let issuer_chain = issuer_dir.join(CHAIN_FILE);
    if std::fs::symlink_metadata(&issuer_chain).is_ok() {
        let more = std::fs::read(&issuer_chain).map_err(|e| crate::Error::io(&issuer_chain, e))?;
        chain.extend_from_slice(&more);
    }
    crate::fsutil::write_atomic(&dir.join(CHAIN_FILE), &chain, None)?;
    if opts.profile == Profile::Ca {
        crate::fsutil::write_atomic(&dir.join(SERIAL_FILE), b"0\n", None)?;
    }
    Ok(written)
}

/// Signs a certificate for `spki` with the issuer, within its constraints.
pub(crate) fn issue(
    issuer: &Issuer,
    subject: &str,
    spki: &[u8],
    profile: Profile,
    path_len: Option<u8>,
    span: i64,
    now: i64,
) -> Result<Vec<u8>, PkiError> {
    let issuer_path_len = issuer.check_can_issue()?;
    let (nb, na) = issuer.validity();
    if now < nb || now >= na {
        return Err(PkiError::IssuerExpired {
            issuer: issuer.subject(),
        });
    }
    let (basic, key_usage, eku) = match profile {
        Profile::Ca => {
            let wanted = path_len.unwrap_or(0);
            if let Some(p) = issuer_path_len {
                if wanted >= p {
                    return Err(PkiError::PathLenExceeded {
                        issuer: issuer.subject(),
                        path_len: p,
                        wanted,
                    });
                }
            }
            (
                (true, Some(wanted)),
                KeyUsages::KeyCertSign | KeyUsages::CRLSign,
                None,
            )
        }
        Profile::CodeSigning => (
            (false, None),
            KeyUsages::DigitalSignature.into(),
            Some(vec![const_oid::db::rfc5280::ID_KP_CODE_SIGNING]),
        ),
    };
    let spec = CertSpec {
        subject: subject.to_owned(),
        serial: issuer.next_serial()?,
        not_before: now,
        not_after: now.saturating_add(span).min(na),
        basic: Some(basic),
        key_usage: Some(key_usage),
        eku,
        extra: certgen::Extra::default(),
    };
    let (name, issuer_spki) = issuer.name_and_spki()?;
    Ok(certgen::build(
        &spec,
        spki,
        &issuer.key,
        Some((&name, &issuer_spki)),
    )?)
}
