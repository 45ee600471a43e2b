//! PKCS#7 signing in a build without the `pkcs7` feature: only the option
//! types exist (so [`super::SignOptions`] keeps its shape);
//! [`super::blob`] refuses the kind with [`super::SignError::NotSupported`].

#[path = "pkcs7/options.rs"]
mod options;
pub use options::{SignOptions, SignedForm};

#[cfg(test)]
mod tests {
    use crate::sign::{blob, Keyring, SignError, SignOptions, SigningKey};
    use crate::{BlobKind, Payload};

    /// Every PKCS#7 key source is refused, without touching the keyring.
    #[test]
    fn pkcs7_blobs_are_not_supported_without_the_feature() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Keyring::new(dir.path());
        let keys = [
            SigningKey::Pkcs7 {
                cert_pem: b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
                key_pem: b"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n",
            },
            SigningKey::Keyring {
                keyring: &keyring,
                pq: false,
            },
            SigningKey::Keyring {
                keyring: &keyring,
                pq: true,
            },
        ];
        for key in &keys {
            let e = blob(
                BlobKind::Pkcs7,
                Payload::Bytes(b"fw"),
                key,
                &SignOptions::at(1),
            )
            .unwrap_err();
            assert!(
                matches!(e, SignError::NotSupported(BlobKind::Pkcs7)),
                "{e:?}"
            );
        }
        assert!(!keyring.pki_dir().exists());
    }
}
