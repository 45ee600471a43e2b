//! Who made a verified signature: [`KeyId`] (the key, for distinct-signer
//! thresholds) and [`ChainEntry`] (the names on the verified path, for
//! required signers). Both are typed so that callers never have to guess
//! from a string whether it is a DN, a user ID or a fingerprint.

use std::fmt;

use crate::digest::hex;

/// The identity of a key that made a verified signature; two signatures by
/// the same key have equal `KeyId`s (used for `--min-signers` thresholds).
///
/// `Display` is the text of earlier versions: `x509:<sha256 of SPKI>`,
/// `pgp:<primary fingerprint>`, `ed25519:<key hex>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum KeyId {
    /// An X.509 (PKCS#7) signer, identified by its public key, not by its
    /// certificate: two certificates for one key are one signer.
    X509 {
        /// SHA-256 of the signer certificate's SubjectPublicKeyInfo DER.
        spki_sha256: [u8; 32],
    },
    /// An OpenPGP signer: signatures by a subkey count as its primary key.
    OpenPgp {
        /// The primary key's fingerprint, uppercase hex.
        fingerprint: String,
    },
    /// A raw Ed25519 public key.
    Ed25519([u8; 32]),
}

impl KeyId {
    /// The identity of the X.509 key whose SubjectPublicKeyInfo DER is `spki`.
    pub fn x509_from_spki(spki: &[u8]) -> Self {
        use sha2::Digest as _;
        Self::X509 {
            spki_sha256: sha2::Sha256::digest(spki).into(),
        }
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::X509 { spki_sha256 } => write!(f, "x509:{}", hex(spki_sha256)),
            Self::OpenPgp { fingerprint } => write!(f, "pgp:{fingerprint}"),
            Self::Ed25519(key) => write!(f, "ed25519:{}", hex(key)),
        }
    }
}

/// One name on a verified path, signer first (`Verified::chain`). The
/// engines build the variant that says what the name is, and required-signer
/// matching ([`crate::verify::name_matches`]) decides by it.
///
/// `Display` is the text printed in `verify --json`'s `chain`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChainEntry {
    /// An X.509 certificate subject, RFC 4514 (GnuTLS order and escaping).
    Dn(String),
    /// An OpenPGP user ID (`Name <mail>`), never split into parts.
    UserId(String),
    /// An OpenPGP key fingerprint (signing subkey or primary), uppercase hex.
    Fingerprint(String),
    /// A trusted raw Ed25519 public key (printed as lowercase hex).
    Ed25519Key([u8; 32]),
}

impl fmt::Display for ChainEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dn(s) | Self::UserId(s) | Self::Fingerprint(s) => f.write_str(s),
            Self::Ed25519Key(key) => f.write_str(&hex(key)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_print_as_before_and_compare_by_key() {
        let a = KeyId::x509_from_spki(b"spki");
        assert_eq!(a, KeyId::x509_from_spki(b"spki"));
        assert_ne!(a, KeyId::x509_from_spki(b"other"));
        assert_eq!(
            a.to_string(),
            format!(
                "x509:{}",
                hex(&crate::digest::digest(
                    crate::digest::DigestAlg::Sha256,
                    b"spki"
                ))
            )
        );
        let pgp = KeyId::OpenPgp {
            fingerprint: "3FC6B804".into(),
        };
        assert_eq!(pgp.to_string(), "pgp:3FC6B804");
        assert_eq!(
            KeyId::Ed25519([0xab; 32]).to_string(),
            format!("ed25519:{}", "ab".repeat(32))
        );
    }

    #[test]
    fn chain_entries_print_their_text() {
        assert_eq!(ChainEntry::Dn("CN=A,O=B".into()).to_string(), "CN=A,O=B");
        assert_eq!(ChainEntry::UserId("A <a@b>".into()).to_string(), "A <a@b>");
        assert_eq!(ChainEntry::Fingerprint("3FC6".into()).to_string(), "3FC6");
        assert_eq!(ChainEntry::Ed25519Key([1; 32]).to_string(), "01".repeat(32));
    }
}
