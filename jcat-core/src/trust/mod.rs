//! The trust store: keys and certificates the user trusts, loaded once per
//! run, classified by content. A file that cannot be used is skipped with a
//! reason and never affects the others.

pub mod context;
pub mod ed25519_keys;
pub mod ed25519_raw;
mod index;
#[cfg(feature = "pgp")]
pub mod pgp_keys;
#[cfg(not(feature = "pgp"))]
#[path = "pgp_keys_disabled.rs"]
pub mod pgp_keys;
#[cfg(feature = "pgp")]
pub(crate) mod pgp_policy;
#[cfg(feature = "pgp")]
pub use pgp_policy::SHA1_SELF_SIG_CUTOFF;
#[cfg(feature = "pkcs7")]
pub mod x509;
#[cfg(not(feature = "pkcs7"))]
#[path = "x509_disabled.rs"]
pub mod x509;

pub use pgp_keys::PgpPublicKey;
pub use x509::TrustedCert;

use std::path::{Path, PathBuf};

use crate::Limits;

/// A file (or part of one) that was not loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SkippedKey {
    /// The file.
    pub path: PathBuf,
    /// Why it was skipped.
    pub reason: String,
    /// The typed reason, where there is one.
    pub cause: Option<SkipCause>,
}

/// A typed reason for skipping a key file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipCause {
    /// An Ed25519 key file that was refused (weak or non-canonical key,
    /// wrong length, a secret key).
    Ed25519(ed25519_raw::Ed25519KeyError),
    /// A file this build cannot read: X.509 certificates and CRLs without
    /// the `pkcs7` feature.
    NeedsFeature {
        /// The cargo feature of jcat-core that reads it.
        feature: &'static str,
    },
}

/// A file that was loaded, and what it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadedKey {
    /// The file.
    pub path: PathBuf,
    /// What it held ("2 X.509 certificates", "OpenPGP key 3FC6…", …).
    pub what: String,
}

/// Trusted certificates, OpenPGP keys and Ed25519 keys.
#[derive(Default)]
pub struct TrustStore {
    pub(crate) certs: Vec<x509::TrustedCert>,
    pub(crate) crls: Vec<x509::Crl>,
    /// `certs` and `crls` by subject, key identifier and issuer.
    index: index::X509Index,
    pub(crate) pgp: Vec<pgp_keys::PgpPublicKey>,
    pub(crate) ed25519: Vec<ed25519_dalek::VerifyingKey>,
    ed25519_origins: Vec<ed25519_keys::Origin>,
    loaded: Vec<LoadedKey>,
    skipped: Vec<SkippedKey>,
}

impl std::fmt::Debug for TrustStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustStore")
            .field("certs", &self.certs.len())
            .field("crls", &self.crls.len())
            .field("pgp", &self.pgp.len())
            .field("ed25519", &self.ed25519.len())
            .field("skipped", &self.skipped)
            .finish()
    }
}

impl TrustStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds trusted certificates, indexed.
    fn push_certs(&mut self, certs: Vec<x509::TrustedCert>) {
        self.index.reserve(certs.len());
        self.certs.reserve(certs.len());
        for c in certs {
            self.index.add_cert(self.certs.len(), &c);
            self.certs.push(c);
        }
    }

    /// Adds CRLs, indexed.
    fn push_crls(&mut self, crls: Vec<x509::Crl>) {
        for c in crls {
            self.index.add_crl(self.crls.len(), &c);
            self.crls.push(c);
        }
    }

    /// Files loaded so far.
    pub fn loaded(&self) -> &[LoadedKey] {
        &self.loaded
    }

    /// Files skipped so far, with reasons.
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.skipped
    }

    /// Number of trusted X.509 certificates.
    pub fn certificate_count(&self) -> usize {
        self.certs.len()
    }

    /// The trusted certificates, in load order.
    pub fn certificates(&self) -> &[TrustedCert] {
        &self.certs
    }

    /// The trusted OpenPGP keys, in load order.
    pub fn pgp_keys(&self) -> &[PgpPublicKey] {
        &self.pgp
    }

    /// Number of trusted OpenPGP keys.
    pub fn pgp_key_count(&self) -> usize {
        self.pgp.len()
    }

    /// Number of trusted Ed25519 keys.
    pub fn ed25519_key_count(&self) -> usize {
        self.ed25519.len()
    }

    /// Number of CRLs.
    pub fn crl_count(&self) -> usize {
        self.crls.len()
    }

    fn skip(&mut self, path: &Path, reason: impl Into<String>) {
        self.skipped.push(SkippedKey {
            path: path.to_path_buf(),
            reason: reason.into(),
            cause: None,
        });
    }

    pub(crate) fn skip_ed25519(&mut self, path: &Path, e: ed25519_raw::Ed25519KeyError) {
        self.skipped.push(SkippedKey {
            path: path.to_path_buf(),
            reason: e.to_string(),
            cause: Some(SkipCause::Ed25519(e)),
        });
    }

    /// Adds a raw 32-byte Ed25519 public key, refusing non-canonical
    /// encodings and points of small order
    /// ([`Ed25519KeyError`](ed25519_raw::Ed25519KeyError) says which).
    pub fn add_ed25519(&mut self, key: &[u8]) -> Result<(), ed25519_raw::Ed25519KeyError> {
        let vk = ed25519_raw::parse_public_key(key)?;
        if !self.ed25519.contains(&vk) {
            self.ed25519.push(vk);
        }
        Ok(())
    }

    /// Loads one file, classified by content: PEM or DER X.509 certificates
    /// (every one of a bundle), CRLs, OpenPGP public keys (armored or binary),
    /// or a raw 32-byte Ed25519 key (any name; a secret key file is refused,
    /// `docs/signatures.md`). Never fails: an unusable file is recorded in
    /// [`TrustStore::skipped`].
    pub fn add_file(&mut self, path: &Path, limits: &Limits) {
        self.add_file_from(path, limits, ed25519_keys::Source::Named);
    }

    fn add_file_from(&mut self, path: &Path, limits: &Limits, source: ed25519_keys::Source) {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => return self.skip(path, format!("cannot read: {e}")),
        };
        if !meta.is_file() {
            return self.skip(path, "not a regular file");
        }
        if meta.len() > limits.max_key_file_size {
            return self.skip(
                path,
                format!(
                    "{} bytes is over the limit max_key_file_size of {}",
                    meta.len(),
                    limits.max_key_file_size
                ),
            );
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return self.skip(path, format!("cannot read: {e}")),
        };
        self.add_bytes_from(path, &bytes, limits, source);
    }

    /// Loads a file that must hold certificate revocation lists and nothing
    /// else (PEM `X509 CRL` blocks or one DER CRL), as `--crl` does. Unlike
    /// [`TrustStore::add_file`], which classifies by content, this never adds
    /// a trusted certificate or key, and it fails instead of skipping, so a
    /// revocation list the caller asked for cannot silently go missing.
    /// Returns the number of CRLs added.
    pub fn add_crl_file(&mut self, path: &Path, limits: &Limits) -> Result<usize, String> {
        let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
        if !meta.is_file() {
            return Err("not a regular file".into());
        }
        if meta.len() > limits.max_key_file_size {
            return Err(format!(
                "{} bytes is over the limit max_key_file_size of {}",
                meta.len(),
                limits.max_key_file_size
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
        self.add_crl_bytes(path, &bytes, limits)
    }

    /// Like [`TrustStore::add_crl_file`] for bytes already read; `path` names them.
    /// A CRL whose issuer is already a trusted certificate must be usable by
    /// it (signature, cRLSign, CRLNumber rules), else this fails: load
    /// trusted certificates first.
    pub fn add_crl_bytes(
        &mut self,
        path: &Path,
        bytes: &[u8],
        limits: &Limits,
    ) -> Result<usize, String> {
        let parsed = x509::parse_trust_file(bytes, limits)
            .map_err(|e| format!("not a certificate revocation list ({e})"))?;
        if !parsed.certs.is_empty() {
            return Err(format!(
                "holds {} certificate(s): a CRL file must hold revocation lists only",
                parsed.certs.len()
            ));
        }
        if let Some(r) = parsed.rejected.first() {
            return Err(r.clone());
        }
        if parsed.crls.is_empty() {
            return Err("no certificate revocation list found".into());
        }
        // Fail closed: a CRL a trusted issuer cannot use is an error now.
        for crl in &parsed.crls {
            if let Some(reason) = x509::crl::unusable_with_trusted(&crl.der, self) {
                return Err(reason);
            }
        }
        let n = parsed.crls.len();
        self.push_crls(parsed.crls);
        self.loaded.push(LoadedKey {
            path: path.to_path_buf(),
            what: describe(0, "", n, "CRL"),
        });
        Ok(n)
    }

    /// Like [`TrustStore::add_file`] for bytes already read; `path` names them.
    pub fn add_bytes(&mut self, path: &Path, bytes: &[u8], limits: &Limits) {
        self.add_bytes_from(path, bytes, limits, ed25519_keys::Source::Named);
    }

    fn add_bytes_from(
        &mut self,
        path: &Path,
        bytes: &[u8],
        limits: &Limits,
        source: ed25519_keys::Source,
    ) {
        #[cfg(not(feature = "pkcs7"))]
        if x509::looks_like_x509(bytes) {
            return self.skipped.push(SkippedKey {
                path: path.to_path_buf(),
                reason: x509::NEEDS_PKCS7.into(),
                cause: Some(SkipCause::NeedsFeature { feature: "pkcs7" }),
            });
        }
        let mut reasons = Vec::new();
        match x509::parse_trust_file(bytes, limits) {
            Ok(parsed) if !parsed.is_empty() => {
                let x509::ParsedTrustFile {
                    certs,
                    crls,
                    rejected,
                } = parsed;
                for r in rejected {
                    self.skip(path, r);
                }
                let what = describe(certs.len(), "X.509 certificate", crls.len(), "CRL");
                self.push_certs(certs);
                self.push_crls(crls);
                if !what.is_empty() {
                    self.loaded.push(LoadedKey {
                        path: path.to_path_buf(),
                        what,
                    });
                }
                return;
            }
            Ok(parsed) => {
                for r in parsed.rejected {
                    reasons.push(r);
                }
            }
            Err(e) => reasons.push(e),
        }
        match pgp_keys::parse_public_keys(bytes) {
            Ok(keys) if !keys.is_empty() => {
                let what = keys
                    .iter()
                    .map(|k| format!("OpenPGP key {}", k.fingerprint()))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.pgp.extend(keys);
                self.loaded.push(LoadedKey {
                    path: path.to_path_buf(),
                    what,
                });
                return;
            }
            Ok(_) => {}
            Err(e) => reasons.push(e),
        }
        match ed25519_keys::candidate(path, bytes, source) {
            ed25519_keys::Candidate::Key(raw) => match self.add_ed25519_file(path, &raw) {
                Ok(()) => {
                    self.loaded.push(LoadedKey {
                        path: path.to_path_buf(),
                        what: ED25519_LOADED.into(),
                    });
                    return;
                }
                Err(e) => return self.skip_ed25519(path, e),
            },
            ed25519_keys::Candidate::Refused(e) => return self.skip_ed25519(path, e),
            ed25519_keys::Candidate::No(why) => reasons.extend(why.map(String::from)),
        }
        if reasons.is_empty() {
            reasons.push("not a certificate, CRL, OpenPGP public key or raw Ed25519 key".into());
        }
        let reason = reasons.join("; ");
        self.skip(path, reason);
    }

    /// Loads every regular file of a directory (sorted by name, not recursive);
    /// raw Ed25519 keys only from `*.ed25519` files.
    pub fn add_dir(&mut self, dir: &Path, limits: &Limits) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.skip(dir, format!("cannot read directory: {e}")),
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                self.skip(&p, "a directory (not searched)");
            } else {
                self.add_file_from(&p, limits, ed25519_keys::Source::Directory);
            }
        }
    }
}

/// What [`TrustStore::loaded`] says of an Ed25519 key file.
pub(crate) const ED25519_LOADED: &str = "Ed25519 public key";

fn describe(n1: usize, what1: &str, n2: usize, what2: &str) -> String {
    let part = |n: usize, w: &str| match n {
        0 => None,
        1 => Some(format!("1 {w}")),
        n => Some(format!("{n} {w}s")),
    };
    [part(n1, what1), part(n2, what2)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}
