//! [`blob`]: one finished [`Blob`] for a kind, a payload and a key. The
//! library, not each caller, decides the flags (IS_UTF8 for hex, PEM and
//! armor; none for raw Ed25519 bytes) and the timestamp.

use super::{pkcs7, Keyring, SignError};
use crate::model::{Blob, BlobFlags, BlobKind};
use crate::payload::Payload;

/// What makes the blob.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum SigningKey<'a> {
    /// No key: the checksum kinds, and `bt-manifest` (a file's manifest).
    None,
    /// An Ed25519 key in memory (kind `ed25519`).
    Ed25519(&'a super::Ed25519Key),
    /// Raw Ed25519 key files (kind `ed25519`): a 32-byte public key and a
    /// 32-byte seed or 64-byte seed‖public secret; a mismatched pair is
    /// refused.
    Ed25519Raw {
        /// The public key bytes.
        public: &'a [u8],
        /// The secret key bytes.
        secret: &'a [u8],
    },
    /// A PEM certificate (bundle: the signer first) and its PEM private key
    /// (kind `pkcs7`).
    Pkcs7 {
        /// The certificate PEM.
        cert_pem: &'a [u8],
        /// The private key PEM (RSA, ECDSA, Ed25519, ML-DSA; decrypted).
        key_pem: &'a [u8],
    },
    /// The keyring's self-sign key (kind `pkcs7`), created when missing:
    /// RSA-3072, or with `pq` ML-DSA-87 ([`pkcs7::self_sign`],
    /// [`pkcs7::self_sign_pq`]).
    Keyring {
        /// The keyring.
        keyring: &'a Keyring,
        /// The post-quantum keyring key instead of the RSA one.
        pq: bool,
    },
    /// A key on a PKCS#11 token and its certificate PEM (kind `pkcs7`).
    #[cfg(feature = "pkcs11")]
    Pkcs11 {
        /// The certificate PEM (from a file or the token).
        cert_pem: &'a [u8],
        /// The device key.
        key: &'a super::pkcs11::DeviceKey,
    },
    /// An exported OpenPGP public and secret key (kind `gpg`).
    Pgp {
        /// The public key (armored or binary).
        public: &'a [u8],
        /// The secret key (armored or binary).
        secret: &'a [u8],
        /// The passphrase of a protected secret key.
        passphrase: Option<&'a str>,
    },
}

impl std::fmt::Debug for SigningKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never key material: only which source it is.
        f.write_str(match self {
            Self::None => "SigningKey::None",
            Self::Ed25519(_) => "SigningKey::Ed25519",
            Self::Ed25519Raw { .. } => "SigningKey::Ed25519Raw",
            Self::Pkcs7 { .. } => "SigningKey::Pkcs7",
            Self::Keyring { .. } => "SigningKey::Keyring",
            #[cfg(feature = "pkcs11")]
            Self::Pkcs11 { .. } => "SigningKey::Pkcs11",
            Self::Pgp { .. } => "SigningKey::Pgp",
        })
    }
}

/// Choices of [`blob`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SignOptions {
    /// The signing time and blob timestamp, unix seconds.
    pub now: i64,
    /// PKCS#7 choices (RSA-PSS, signed attributes or not).
    pub pkcs7: pkcs7::SignOptions,
}

impl SignOptions {
    /// Defaults, signing at `now` (unix seconds).
    pub fn at(now: i64) -> Self {
        Self {
            now,
            ..Self::default()
        }
    }

    /// With these PKCS#7 choices.
    pub fn with_pkcs7(mut self, pkcs7: pkcs7::SignOptions) -> Self {
        self.pkcs7 = pkcs7;
        self
    }
}

/// Makes a blob of `kind` over `payload` with `key`.
///
/// A kind that the key cannot make (an Ed25519 key for `pkcs7`, a key for a
/// checksum, a kind we do not sign) is [`SignError::NotSupported`]. The
/// timestamp is `opts.now`; PKCS#7 signatures also carry it as signingTime.
///
/// ```
/// use jcat_core::sign::{self, Ed25519Key, SignOptions, SigningKey};
/// use jcat_core::{BlobFlags, BlobKind, Payload};
/// let key = Ed25519Key::from_seed(&[7; 32]);
/// let opts = SignOptions::at(1_700_000_000);
/// let sig = sign::blob(BlobKind::Ed25519, Payload::Bytes(b"fw"), &SigningKey::Ed25519(&key), &opts)?;
/// assert_eq!((sig.data.len(), sig.flags), (64, BlobFlags::NONE));
/// let sum = sign::blob(BlobKind::Sha256, Payload::Bytes(b"fw"), &SigningKey::None, &opts)?;
/// assert_eq!(sum.timestamp, Some(1_700_000_000));
/// assert!(matches!(
///     sign::blob(BlobKind::Pkcs7, Payload::Bytes(b"fw"), &SigningKey::Ed25519(&key), &opts),
///     Err(sign::SignError::NotSupported(BlobKind::Pkcs7))
/// ));
/// # Ok::<(), sign::SignError>(())
/// ```
pub fn blob(
    kind: BlobKind,
    payload: Payload<'_>,
    key: &SigningKey<'_>,
    opts: &SignOptions,
) -> Result<Blob, SignError> {
    let now = opts.now;
    let (flags, data) = match (kind, key) {
        (k, SigningKey::None) if k.is_checksum() => {
            return super::checksum_blob(k, payload, now);
        }
        (BlobKind::BtManifest, SigningKey::None) => {
            let Payload::File(path) = payload else {
                return Err(SignError::ManifestNeedsFile);
            };
            let manifest = crate::engine::bt::blobs::manifest_for(path)?;
            (BlobFlags::IS_UTF8, manifest.into_bytes())
        }
        (BlobKind::Ed25519, SigningKey::Ed25519(k)) => {
            (BlobFlags::NONE, super::ed25519_sign(k, payload)?)
        }
        (BlobKind::Ed25519, SigningKey::Ed25519Raw { public, secret }) => (
            BlobFlags::NONE,
            super::ed25519_sign_with(public, secret, payload)?,
        ),
        #[cfg(feature = "pkcs7")]
        (BlobKind::Pkcs7, SigningKey::Pkcs7 { cert_pem, key_pem }) => (
            BlobFlags::IS_UTF8,
            pkcs7::sign_opts(payload, cert_pem, key_pem, now, opts.pkcs7)?,
        ),
        #[cfg(feature = "pkcs7")]
        (BlobKind::Pkcs7, SigningKey::Keyring { keyring, pq }) => {
            let pem = if *pq {
                pkcs7::self_sign_pq_as(payload, keyring, now, opts.pkcs7.form)?
            } else {
                pkcs7::self_sign(payload, keyring, now)?
            };
            (BlobFlags::IS_UTF8, pem)
        }
        #[cfg(feature = "pkcs11")]
        (BlobKind::Pkcs7, SigningKey::Pkcs11 { cert_pem, key }) => (
            BlobFlags::IS_UTF8,
            super::pkcs11::sign(payload, cert_pem, key, now)?,
        ),
        #[cfg(feature = "pgp")]
        (
            BlobKind::Gpg,
            SigningKey::Pgp {
                public,
                secret,
                passphrase,
            },
        ) => (
            BlobFlags::IS_UTF8,
            super::pgp::sign(payload, public, secret, *passphrase, now)?,
        ),
        (other, _) => return Err(SignError::NotSupported(other)),
    };
    Ok(Blob::new(kind, flags, data, super::timestamp(now)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_timestamp_follow_the_kind() {
        let key = super::super::Ed25519Key::from_seed(&[3; 32]);
        let opts = SignOptions::at(-5);
        let b = blob(
            BlobKind::Ed25519,
            Payload::Bytes(b"x"),
            &SigningKey::Ed25519(&key),
            &opts,
        )
        .unwrap();
        assert_eq!(b.data, crate::engine::ed25519::sign(&key.0, b"x"));
        assert_eq!((b.flags, b.timestamp), (BlobFlags::NONE, Some(0)));
        assert!(matches!(
            blob(
                BlobKind::Sha1,
                Payload::Bytes(b"x"),
                &SigningKey::Ed25519(&key),
                &opts
            ),
            Err(SignError::NotSupported(BlobKind::Sha1))
        ));
        assert!(matches!(
            blob(
                BlobKind::BtManifest,
                Payload::Bytes(b"x"),
                &SigningKey::None,
                &opts
            ),
            Err(SignError::ManifestNeedsFile)
        ));
    }

    #[test]
    fn raw_ed25519_mismatch_is_typed() {
        let a = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let b = ed25519_dalek::SigningKey::from_bytes(&[2; 32]);
        let public = a.verifying_key();
        let key = SigningKey::Ed25519Raw {
            public: public.as_bytes(),
            secret: b.as_bytes(),
        };
        let e = blob(
            BlobKind::Ed25519,
            Payload::Bytes(b"x"),
            &key,
            &SignOptions::at(1),
        )
        .unwrap_err();
        assert!(matches!(
            e,
            SignError::Ed25519Key(crate::trust::ed25519_raw::Ed25519KeyError::Mismatch)
        ));
        assert_eq!(e.input(), None);
    }
}
