//! Key files in the forms vendors have: PEM/PKCS#8 Ed25519 keys (beside
//! libjcat's raw 32-byte files) and encrypted PKCS#8 (PBES2) keys, decrypted
//! with a passphrase the caller supplies (jcat-tool: `JCAT_PASSPHRASE`).

use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey};

/// Why a key file cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyFileError {
    /// An `ENCRYPTED PRIVATE KEY` and no passphrase.
    #[error("the private key is encrypted PKCS#8: set JCAT_PASSPHRASE to its passphrase")]
    NeedPassphrase,
    /// Decryption failed (wrong passphrase, or an unsupported scheme).
    #[error("cannot decrypt the encrypted PKCS#8 private key: wrong passphrase or unsupported scheme ({reason})")]
    Decrypt {
        /// The decoder's reason.
        reason: String,
    },
    /// A PEM key of a kind that cannot be used here.
    #[error("unusable {what}: {format} (expected {expected})")]
    WrongFormat {
        /// `Ed25519 secret key`, `Ed25519 public key`.
        what: &'static str,
        /// What the file holds (its PEM label or `DER/raw, N bytes`).
        format: String,
        /// What is accepted.
        expected: &'static str,
    },
}

fn pem_label(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find("-----BEGIN ")?;
    let rest = text.get(start + 11..)?;
    let end = rest.find("-----")?;
    rest.get(..end).map(str::to_owned)
}

/// An `ENCRYPTED PRIVATE KEY` PEM decrypted to a `PRIVATE KEY` PEM; any
/// other input is returned as it is.
pub fn decrypt_pkcs8(pem: &[u8], passphrase: Option<&str>) -> Result<Vec<u8>, KeyFileError> {
    if pem_label(pem).as_deref() != Some("ENCRYPTED PRIVATE KEY") {
        return Ok(pem.to_vec());
    }
    let Some(pass) = passphrase else {
        return Err(KeyFileError::NeedPassphrase);
    };
    let decrypt = |e: String| KeyFileError::Decrypt { reason: e };
    let text = std::str::from_utf8(pem).map_err(|e| decrypt(e.to_string()))?;
    let (_, doc) = pkcs8::SecretDocument::from_pem(text).map_err(|e| decrypt(e.to_string()))?;
    let info = pkcs8::EncryptedPrivateKeyInfo::try_from(doc.as_bytes())
        .map_err(|e| decrypt(e.to_string()))?;
    let plain = info.decrypt(pass).map_err(|e| decrypt(e.to_string()))?;
    let out = plain
        .to_pem("PRIVATE KEY", pkcs8::LineEnding::LF)
        .map_err(|e| decrypt(e.to_string()))?;
    Ok(out.as_bytes().to_vec())
}

/// An Ed25519 secret key file as libjcat's raw 32-byte seed: raw files are
/// returned as they are, PKCS#8 PEM (`PRIVATE KEY`, or `ENCRYPTED PRIVATE
/// KEY` with `passphrase`) is decoded.
pub fn ed25519_secret_raw(bytes: &[u8], passphrase: Option<&str>) -> Result<Vec<u8>, KeyFileError> {
    let Some(label) = pem_label(bytes) else {
        return Ok(bytes.to_vec());
    };
    let wrong = |format: String| KeyFileError::WrongFormat {
        what: "Ed25519 secret key",
        format,
        expected: "a raw 32-byte file or a PKCS#8 Ed25519 PRIVATE KEY PEM",
    };
    if label != "PRIVATE KEY" && label != "ENCRYPTED PRIVATE KEY" {
        return Err(wrong(format!("PEM {label}")));
    }
    let plain = decrypt_pkcs8(bytes, passphrase)?;
    let text = String::from_utf8_lossy(&plain);
    let key = ed25519_dalek::SigningKey::from_pkcs8_pem(&text)
        .map_err(|_| wrong(format!("PEM {label} that is not Ed25519")))?;
    Ok(key.to_bytes().to_vec())
}

/// An Ed25519 public key file as 32 raw bytes: raw files as they are, a
/// `PUBLIC KEY` PEM (SubjectPublicKeyInfo) decoded.
pub fn ed25519_public_raw(bytes: &[u8]) -> Result<Vec<u8>, KeyFileError> {
    let Some(label) = pem_label(bytes) else {
        return Ok(bytes.to_vec());
    };
    let wrong = |format: String| KeyFileError::WrongFormat {
        what: "Ed25519 public key",
        format,
        expected: "a raw 32-byte file or an Ed25519 PUBLIC KEY PEM",
    };
    if label != "PUBLIC KEY" {
        return Err(wrong(format!("PEM {label}")));
    }
    let text = String::from_utf8_lossy(bytes);
    let key = ed25519_dalek::VerifyingKey::from_public_key_pem(&text)
        .map_err(|_| wrong("PEM PUBLIC KEY that is not Ed25519".to_owned()))?;
    Ok(key.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};

    fn key() -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng)
    }

    #[test]
    fn pem_ed25519_keys_become_raw() {
        let k = key();
        let le = pkcs8::LineEnding::LF;
        let sk = k.to_pkcs8_pem(le).unwrap();
        let pk = k.verifying_key().to_public_key_pem(le).unwrap();
        assert_eq!(
            ed25519_secret_raw(sk.as_bytes(), None).unwrap(),
            k.to_bytes()
        );
        assert_eq!(
            ed25519_public_raw(pk.as_bytes()).unwrap(),
            k.verifying_key().as_bytes()
        );
        let raw = k.to_bytes();
        assert_eq!(ed25519_secret_raw(&raw, None).unwrap(), raw);
        let e = ed25519_secret_raw(b"-----BEGIN RSA PRIVATE KEY-----\n", None).unwrap_err();
        assert!(matches!(e, KeyFileError::WrongFormat { .. }), "{e:?}");
        assert!(e.to_string().contains("RSA PRIVATE KEY"));
        #[cfg(feature = "pkcs7")]
        {
            let p256 = p256::SecretKey::random(&mut rand_core::OsRng)
                .to_pkcs8_pem(le)
                .unwrap();
            let e = ed25519_secret_raw(p256.as_bytes(), None).unwrap_err();
            assert!(matches!(e, KeyFileError::WrongFormat { .. }), "{e:?}");
        }
    }

    #[test]
    fn encrypted_pkcs8_needs_the_right_passphrase() {
        let k = key();
        let enc = k.to_pkcs8_der().unwrap().to_bytes();
        let info = pkcs8::PrivateKeyInfo::try_from(enc.as_slice()).unwrap();
        let encrypted = info.encrypt(rand_core::OsRng, "s3cret").unwrap();
        let pem = encrypted
            .to_pem("ENCRYPTED PRIVATE KEY", pkcs8::LineEnding::LF)
            .unwrap();
        assert_eq!(
            decrypt_pkcs8(pem.as_bytes(), None),
            Err(KeyFileError::NeedPassphrase)
        );
        let e = decrypt_pkcs8(pem.as_bytes(), Some("wrong")).unwrap_err();
        assert!(matches!(e, KeyFileError::Decrypt { .. }), "{e:?}");
        assert_eq!(
            ed25519_secret_raw(pem.as_bytes(), Some("s3cret")).unwrap(),
            k.to_bytes()
        );
        let plain = decrypt_pkcs8(pem.as_bytes(), Some("s3cret")).unwrap();
        assert!(String::from_utf8(plain)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----"));
    }
}
