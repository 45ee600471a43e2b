//! A small signing PKI made by jcat alone (`jcat-tool pki …`): raw Ed25519
//! key pairs, a self-signed root CA, intermediate ("organization") CAs and
//! code-signing certificates that pass our own X.509 profile.
//!
//! Layout of a PKI directory (see `docs/pki.md`):
//! * [`CERT_FILE`] — the certificate, PEM;
//! * [`KEY_FILE`] — its private key, PEM, mode 0600;
//! * [`CHAIN_FILE`] — issued certificates: it and its issuers below the root;
//! * [`SERIAL_FILE`] — CAs only: the last serial number issued (decimal);
//! * [`CSR_FILE`] — `create-csr`: the PKCS#10 request for `key.pem`.
//!
//! Every file is written atomically; an existing key is never replaced
//! unless `force` is given. The library never reads the clock: `now` is
//! passed in (unix seconds).

mod crl;
mod csr;
mod issue;
mod rehash;

use std::path::{Path, PathBuf};

pub use crl::{create_crl, revoke, RevocationReason, CRL_FILE, CRL_NUMBER_FILE, REVOKED_FILE};
pub use csr::{
    check_csr, create_csr, sign_csr, CsrOptions, CsrWritten, Issued, SignCsrOptions, CSR_FILE,
};
pub use issue::{create_ca, create_cert, CaOptions, CertOptions, Profile, Written};
pub use rehash::{rehash, subject_hash};

/// The certificate file of a PKI directory.
pub const CERT_FILE: &str = "cert.pem";
/// The private key file of a PKI directory (0600).
pub const KEY_FILE: &str = "key.pem";
/// Issued certificates: the certificate followed by its issuers' up to (not
/// including) the root — the CERT to give `sign`.
pub const CHAIN_FILE: &str = "chain.pem";
/// A CA's last issued serial number.
pub const SERIAL_FILE: &str = "serial";
/// The raw Ed25519 secret key file `create-key` writes (0600), as libjcat.
pub const ED25519_SECRET_FILE: &str = "secret.ed25519";
/// The raw Ed25519 public key file `create-key` writes.
pub const ED25519_PUBLIC_FILE: &str = "public.ed25519";

/// Key algorithms `pki` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// RSA, 3072-bit modulus.
    Rsa3072,
    /// RSA, 4096-bit modulus.
    Rsa4096,
    /// ECDSA on P-256.
    P256,
    /// ECDSA on P-384.
    P384,
    /// Ed25519.
    Ed25519,
    /// ML-DSA-87 (FIPS 204).
    MlDsa87,
}

impl KeyType {
    /// Every type, in the order of `--key`'s help.
    pub const ALL: [KeyType; 6] = [
        KeyType::Rsa3072,
        KeyType::Rsa4096,
        KeyType::P256,
        KeyType::P384,
        KeyType::Ed25519,
        KeyType::MlDsa87,
    ];

    /// The `--key` name.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Rsa3072 => "rsa3072",
            KeyType::Rsa4096 => "rsa4096",
            KeyType::P256 => "p256",
            KeyType::P384 => "p384",
            KeyType::Ed25519 => "ed25519",
            KeyType::MlDsa87 => "mldsa87",
        }
    }
}

impl std::str::FromStr for KeyType {
    type Err = PkiError;
    fn from_str(s: &str) -> Result<Self, PkiError> {
        KeyType::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| PkiError::UnknownKeyType { name: s.to_owned() })
    }
}

impl std::fmt::Display for KeyType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a `pki` operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PkiError {
    /// `--key` names no key type.
    #[error(
        "unknown key type '{name}', expected rsa3072, rsa4096, p256, p384, ed25519 or mldsa87"
    )]
    UnknownKeyType {
        /// What was given.
        name: String,
    },
    /// A key file is there already and `force` was not given.
    #[error("{}: a key exists already (use --force to replace it)", path.display())]
    KeyExists {
        /// The existing file.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error(transparent)]
    Io(#[from] crate::Error),
    /// A file of the PKI directory is not what it should be.
    #[error("{}: {reason}", path.display())]
    BadFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The issuer is no CA (cA=FALSE or no keyCertSign): it can sign files,
    /// never certificates.
    #[error("the issuer {issuer} is not a CA (it may sign files, never certificates)")]
    IssuerNotCa {
        /// The issuer's subject.
        issuer: String,
    },
    /// The issuer's pathLenConstraint forbids issuing another CA.
    #[error("the issuer {issuer} has pathLenConstraint {path_len}: it may not issue a CA with pathLen {wanted}")]
    PathLenExceeded {
        /// The issuer's subject.
        issuer: String,
        /// The issuer's constraint.
        path_len: u8,
        /// What was asked for the new CA.
        wanted: u8,
    },
    /// The issuer is not valid at `now`.
    #[error("the issuer {issuer} is not valid at this time")]
    IssuerExpired {
        /// The issuer's subject.
        issuer: String,
    },
    /// `--days` is zero or too large.
    #[error("--days {days}: expected 1 to 36500")]
    BadDays {
        /// What was given.
        days: u32,
    },
    /// The subject is not an RFC 4514 distinguished name.
    #[error("--subject '{subject}': not a distinguished name (e.g. CN=Signer,O=Vendor): {reason}")]
    BadSubject {
        /// What was given.
        subject: String,
        /// The parser's reason.
        reason: String,
    },
    /// `--reason` names no RFC 5280 reason.
    #[error("unknown revocation reason '{name}', expected one of unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold, privilegeWithdrawn, aACompromise")]
    UnknownReason {
        /// What was given.
        name: String,
    },
    /// The certificate to revoke was not issued by this CA.
    #[error("{subject} was not issued by {issuer}: only its issuer can revoke it")]
    NotIssuedBy {
        /// The certificate's subject.
        subject: String,
        /// The CA asked to revoke it.
        issuer: String,
    },
    /// The CA's keyUsage lacks cRLSign.
    #[error("the issuer {issuer} may not sign CRLs (no cRLSign)")]
    IssuerCannotSignCrls {
        /// The issuer's subject.
        issuer: String,
    },
    /// A distinguished name that does not parse.
    #[error("cannot read the name: {reason}")]
    BadName {
        /// The parser's reason.
        reason: String,
    },
    /// A PKCS#10 request whose self-signature does not verify (or whose
    /// key we refuse).
    #[error("the certificate request of {subject} is not signed by its key: {reason}")]
    CsrSignature {
        /// The request's subject.
        subject: String,
        /// Why.
        reason: String,
    },
    /// Building or signing failed.
    #[error(transparent)]
    Sign(#[from] crate::sign::SignError),
}

/// Writes a fresh raw Ed25519 pair into `dir` as libjcat keeps them:
/// [`ED25519_SECRET_FILE`] (the 32-byte seed, 0600) and
/// [`ED25519_PUBLIC_FILE`] (32 bytes). Returns the two paths.
pub fn create_ed25519_key(dir: &Path, force: bool) -> Result<[PathBuf; 2], PkiError> {
    use rand_core::RngCore;
    let secret_path = dir.join(ED25519_SECRET_FILE);
    let public_path = dir.join(ED25519_PUBLIC_FILE);
    refuse_existing(&secret_path, force)?;
    make_dir(dir)?;
    let mut seed = [0u8; 32];
    rand_core::OsRng
        .try_fill_bytes(&mut seed)
        .map_err(crate::sign::SignError::randomness)?;
    let key = ed25519_dalek::SigningKey::from_bytes(&seed);
    crate::fsutil::write_atomic(&secret_path, &seed, Some(0o600))?;
    crate::fsutil::write_atomic(&public_path, key.verifying_key().as_bytes(), None)?;
    Ok([secret_path, public_path])
}

/// `path` may be written: it is absent, or `force` is set.
pub(crate) fn refuse_existing(path: &Path, force: bool) -> Result<(), PkiError> {
    if !force && std::fs::symlink_metadata(path).is_ok() {
        return Err(PkiError::KeyExists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Creates `dir` (and parents) when missing.
pub(crate) fn make_dir(dir: &Path) -> Result<(), PkiError> {
    std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e))?;
    Ok(())
}

#[cfg(test)]
mod csr_tests;
#[cfg(test)]
mod fixture;
#[cfg(test)]
mod forged_tests;
#[cfg(test)]
mod tests;
