//! Which files may hold a trusted raw Ed25519 public key, and how a secret key
//! file is told apart from a public one.
//!
//! Rules (docs/compatibility.md D33):
//! * in a key **directory** only files named `*.ed25519` are read as raw
//!   Ed25519 keys (the reference's rule); a 32-byte file of another name is
//!   skipped with a reason;
//! * an explicitly named file (`--public-key FILE`, [`TrustStore::add_file`])
//!   is classified by content, whatever its name;
//! * a secret key is never trusted: a file named `secret.ed25519` (the
//!   keyring's layout), a 64-byte seed‖public pair, and a 32-byte file whose
//!   public key *as a seed* is also in the store (in either loading order) are
//!   refused with [`Ed25519KeyError::SecretKeyFile`].
//!
//! [`TrustStore::add_file`]: super::TrustStore::add_file

use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;

use super::ed25519_raw::{derived_public, parse_public_key, Ed25519KeyError, SecretKeyEvidence};
use super::{SkipCause, TrustStore, ED25519_LOADED};

/// Where a file being loaded comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Named by the caller (`--public-key FILE`).
    Named,
    /// Found in a key directory (`--public-keys DIR`).
    Directory,
}

/// The keyring's secret key file name.
pub(crate) const SECRET_FILE_NAME: &str = "secret.ed25519";

/// What the loader should do with a file that is not a certificate or an
/// OpenPGP key.
pub(crate) enum Candidate {
    /// Not an Ed25519 key file; `Some` explains why a 32-byte file was not read.
    No(Option<&'static str>),
    /// Refused, with the reason.
    Refused(Ed25519KeyError),
    /// Read these 32 bytes as a public key.
    Key([u8; 32]),
}

fn file_name(path: &Path) -> Option<&str> {
    path.file_name().and_then(|n| n.to_str())
}

/// Decides whether `bytes` (from `path`) are read as a raw Ed25519 key.
pub(crate) fn candidate(path: &Path, bytes: &[u8], source: Source) -> Candidate {
    let name = file_name(path);
    if name == Some(SECRET_FILE_NAME) {
        return Candidate::Refused(Ed25519KeyError::SecretKeyFile {
            evidence: SecretKeyEvidence::FileName,
        });
    }
    let suffixed = name.is_some_and(|n| n.ends_with(".ed25519"));
    if source == Source::Directory && !suffixed {
        return Candidate::No((bytes.len() == 32).then_some(
            "32 bytes, but raw Ed25519 keys are only read from *.ed25519 files in a key directory",
        ));
    }
    if let Ok(raw) = <[u8; 32]>::try_from(bytes) {
        return Candidate::Key(raw);
    }
    if is_keypair(bytes) {
        return Candidate::Refused(Ed25519KeyError::SecretKeyFile {
            evidence: SecretKeyEvidence::KeypairLayout,
        });
    }
    if suffixed {
        return Candidate::Refused(Ed25519KeyError::WrongLength { len: bytes.len() });
    }
    Candidate::No(None)
}

/// 64 bytes: a seed followed by the public key it derives.
fn is_keypair(bytes: &[u8]) -> bool {
    let (Some(seed), Some(public)) = (bytes.get(..32), bytes.get(32..)) else {
        return false;
    };
    let (Ok(seed), Ok(public)) = (<[u8; 32]>::try_from(seed), <[u8; 32]>::try_from(public)) else {
        return false;
    };
    derived_public(&seed).as_bytes() == &public
}

/// A 32-byte Ed25519 key file that was read (trusted or refused).
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub path: PathBuf,
    /// The trusted key, `None` when the file was refused.
    pub key: Option<VerifyingKey>,
    /// The public key the same 32 bytes derive when read as a seed.
    pub derived: VerifyingKey,
}

/// The evidence that a file is a secret key because it derives `public`.
pub(crate) fn derives(public: &VerifyingKey) -> Ed25519KeyError {
    Ed25519KeyError::SecretKeyFile {
        evidence: SecretKeyEvidence::DerivesTrustedKey {
            public: crate::digest::hex(public.as_bytes()),
        },
    }
}

impl TrustStore {
    /// Adds the Ed25519 key of a file, refusing a secret key in either loading
    /// order: this file's seed derives a trusted key, or an earlier file's
    /// seed derives this one (that file is then dropped or its skip reason
    /// replaced).
    pub(super) fn add_ed25519_file(
        &mut self,
        path: &Path,
        raw: &[u8; 32],
    ) -> Result<(), Ed25519KeyError> {
        let derived = derived_public(raw);
        if derived.as_bytes() != raw && self.ed25519.contains(&derived) {
            return Err(derives(&derived));
        }
        let mut origin = Origin {
            path: path.to_path_buf(),
            key: None,
            derived,
        };
        let vk = match parse_public_key(raw) {
            Ok(vk) => vk,
            Err(e) => {
                self.ed25519_origins.push(origin);
                return Err(e);
            }
        };
        let is_secret_of_vk = |o: &Origin| o.derived == vk && o.key != Some(vk);
        let mut secrets = Vec::new();
        if self.ed25519_origins.iter().any(is_secret_of_vk) {
            let (found, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.ed25519_origins)
                .into_iter()
                .partition(is_secret_of_vk);
            self.ed25519_origins = kept;
            secrets = found;
        }
        for s in secrets {
            if let Some(key) = s.key {
                self.ed25519.retain(|k| *k != key);
                self.loaded
                    .retain(|l| !(l.path == s.path && l.what == ED25519_LOADED));
            }
            self.skipped
                .retain(|k| !(k.path == s.path && matches!(k.cause, Some(SkipCause::Ed25519(_)))));
            self.skip_ed25519(&s.path, derives(&vk));
        }
        self.add_ed25519(raw)?;
        origin.key = Some(vk);
        self.ed25519_origins.push(origin);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::SigningKey;

    use super::*;
    use crate::engine::ed25519::sign;
    use crate::verify::{verify_signature, Policy};
    use crate::{BlobKind, Limits};

    fn cause(t: &TrustStore, name: &str) -> Option<Ed25519KeyError> {
        t.skipped()
            .iter()
            .find(|s| s.path.file_name().and_then(|n| n.to_str()) == Some(name))
            .and_then(|s| match &s.cause {
                Some(SkipCause::Ed25519(e)) => Some(e.clone()),
                _ => None,
            })
    }

    fn verifies(t: &TrustStore, sig: &[u8], payload: &[u8]) -> bool {
        let policy = Policy::new(crate::TimeCheck::Disabled);
        verify_signature(BlobKind::Ed25519, sig, payload, t, &policy).is_ok()
    }

    #[test]
    fn directories_read_raw_keys_only_from_ed25519_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = SigningKey::from_bytes(&[11u8; 32]);
        let b = SigningKey::from_bytes(&[12u8; 32]);
        std::fs::write(dir.path().join("a.ed25519"), a.verifying_key().as_bytes()).unwrap();
        std::fs::write(dir.path().join("b.key"), b.verifying_key().as_bytes()).unwrap();
        let mut t = TrustStore::new();
        t.add_dir(dir.path(), &Limits::default());
        assert_eq!(t.ed25519_key_count(), 1);
        assert!(verifies(&t, &sign(&a, b"p"), b"p"));
        assert!(!verifies(&t, &sign(&b, b"p"), b"p"));
        let skipped = t
            .skipped()
            .iter()
            .find(|s| s.path.ends_with("b.key"))
            .unwrap();
        assert!(skipped.cause.is_none());
        assert!(skipped.reason.contains("*.ed25519"), "{}", skipped.reason);
        // Named explicitly, the same file is read by content.
        t.add_file(&dir.path().join("b.key"), &Limits::default());
        assert_eq!(t.ed25519_key_count(), 2);
        assert!(verifies(&t, &sign(&b, b"p"), b"p"));
    }

    #[test]
    fn weak_and_wrong_length_key_files_are_skipped_with_typed_causes() {
        let dir = tempfile::tempdir().unwrap();
        let mut identity = [0u8; 32];
        identity[0] = 1;
        std::fs::write(dir.path().join("identity.ed25519"), identity).unwrap();
        std::fs::write(dir.path().join("short.ed25519"), [7u8; 31]).unwrap();
        let mut t = TrustStore::new();
        t.add_dir(dir.path(), &Limits::default());
        assert_eq!(t.ed25519_key_count(), 0);
        assert_eq!(
            cause(&t, "identity.ed25519"),
            Some(Ed25519KeyError::WeakKey)
        );
        assert_eq!(
            cause(&t, "short.ed25519"),
            Some(Ed25519KeyError::WrongLength { len: 31 })
        );
    }

    #[test]
    fn keyring_secret_is_refused_by_name() {
        let keyring = tempfile::tempdir().unwrap();
        let kr = crate::sign::Keyring::new(keyring.path());
        let key = crate::sign::ed25519_keyring_key(&kr).unwrap();
        for load in [true, false] {
            let mut t = TrustStore::new();
            if load {
                t.add_dir(&kr.pki_dir(), &Limits::default());
            } else {
                t.add_file(&kr.pki_dir().join("secret.ed25519"), &Limits::default());
                t.add_file(&kr.pki_dir().join("public.ed25519"), &Limits::default());
            }
            assert_eq!(t.ed25519_key_count(), 1);
            assert_eq!(
                cause(&t, "secret.ed25519"),
                Some(Ed25519KeyError::SecretKeyFile {
                    evidence: SecretKeyEvidence::FileName
                })
            );
            assert!(verifies(&t, &sign(&key.0, b"data"), b"data"));
        }
    }

    #[test]
    fn renamed_secret_is_refused_in_either_order() {
        // A seed whose bytes also decode as a curve point (it would load as a
        // "public key") and one whose bytes do not.
        let seed_is_point = |n: &u8| super::super::ed25519_raw::parse_public_key(&[*n; 32]).is_ok();
        let as_point = (1u8..=255).find(seed_is_point).unwrap();
        let not_point = (1u8..=255).find(|n| !seed_is_point(n)).unwrap();
        for seed in [as_point, not_point] {
            renamed_secret_case(&SigningKey::from_bytes(&[seed; 32]));
        }
    }

    fn renamed_secret_case(key: &SigningKey) {
        let public_hex = crate::digest::hex(key.verifying_key().as_bytes());
        let expected = Some(Ed25519KeyError::SecretKeyFile {
            evidence: SecretKeyEvidence::DerivesTrustedKey { public: public_hex },
        });
        // "a-seed" sorts before "b-pub" and after "0-pub".
        for public_name in ["0-pub.ed25519", "b-pub.ed25519"] {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("a-seed.ed25519"), key.as_bytes()).unwrap();
            std::fs::write(dir.path().join(public_name), key.verifying_key().as_bytes()).unwrap();
            let mut t = TrustStore::new();
            t.add_dir(dir.path(), &Limits::default());
            assert_eq!(t.ed25519_key_count(), 1, "{public_name}");
            assert_eq!(cause(&t, "a-seed.ed25519"), expected, "{public_name}");
            assert_eq!(t.loaded().len(), 1, "{:?}", t.loaded());
            assert!(t.loaded()[0].path.ends_with(public_name));
            assert!(verifies(&t, &sign(key, b"data"), b"data"));
            assert_eq!(t.skipped().len(), 1, "{public_name}: {:?}", t.skipped());
        }
    }

    #[test]
    fn keypair_file_is_refused() {
        let key = SigningKey::from_bytes(&[22u8; 32]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pair.ed25519");
        std::fs::write(&path, key.to_keypair_bytes()).unwrap();
        let mut t = TrustStore::new();
        t.add_file(&path, &Limits::default());
        assert_eq!(t.ed25519_key_count(), 0);
        assert_eq!(
            cause(&t, "pair.ed25519"),
            Some(Ed25519KeyError::SecretKeyFile {
                evidence: SecretKeyEvidence::KeypairLayout
            })
        );
    }

    /// libjcat's own test secret (`data/tests/secret.ed25519`, 64 bytes) and
    /// public key, read at run time from the shared corpus.
    #[test]
    fn libjcat_test_keys_from_the_corpus() {
        let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/corpus/real/hughsie-libjcat/data/tests");
        if !base.is_dir() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "the shared corpus is required in CI"
            );
            eprintln!("SKIPPED: {} is absent", base.display());
            return;
        }
        let mut t = TrustStore::new();
        t.add_file(&base.join("secret.ed25519"), &Limits::default());
        t.add_dir(&base.join("pki"), &Limits::default());
        assert_eq!(t.ed25519_key_count(), 1);
        assert_eq!(
            cause(&t, "secret.ed25519"),
            Some(Ed25519KeyError::SecretKeyFile {
                evidence: SecretKeyEvidence::FileName
            })
        );
        let colorhug = base.join("colorhug");
        let sig = std::fs::read(colorhug.join("firmware.bin.ed25519")).unwrap();
        let payload = std::fs::read(colorhug.join("firmware.bin")).unwrap();
        assert!(verifies(&t, &sig, &payload));
    }
}
