//! Private keys for PKCS#7 signing: RSA (PKCS#1 v1.5), ECDSA P-256/P-384,
//! Ed25519 (PKCS#8, RFC 8410/8419), ML-DSA-44/65/87 (PKCS#8 seed,
//! expandedKey or both form).

use der::{Decode, Encode};
use signature::hazmat::PrehashSigner;
use spki::{AlgorithmIdentifierOwned, EncodePublicKey};

use crate::digest::{digest, DigestAlg};
use crate::sign::SignError;
use crate::x509::{pem_blocks, pubkey};

/// A private key read from PEM.
#[derive(Clone)]
pub(crate) enum PrivateKey {
    /// RSA.
    Rsa(Box<rsa::RsaPrivateKey>),
    /// ECDSA P-256.
    P256(p256::ecdsa::SigningKey),
    /// ECDSA P-384.
    P384(p384::ecdsa::SigningKey),
    /// ML-DSA (pure, empty context).
    MlDsa(super::mldsa_key::MlDsaKey),
    /// Ed25519 (pure; CMS with SHA-512 as RFC 8419 says).
    Ed25519(Box<ed25519_dalek::SigningKey>),
}

fn key_err(e: impl std::fmt::Display) -> SignError {
    SignError::unusable_key(e)
}

impl PrivateKey {
    /// Reads the first private key PEM block: `RSA PRIVATE KEY` (PKCS#1),
    /// `EC PRIVATE KEY` (SEC 1) or `PRIVATE KEY` (PKCS#8).
    pub(crate) fn from_pem(pem: &[u8]) -> Result<Self, SignError> {
        let text = std::str::from_utf8(pem).map_err(|_| key_err("not PEM text"))?;
        for block in pem_blocks(text) {
            let Ok((label, der)) = pem_rfc7468::decode_vec(block.as_bytes()) else {
                continue;
            };
            match label {
                "RSA PRIVATE KEY" => {
                    use rsa::pkcs1::DecodeRsaPrivateKey;
                    let k = rsa::RsaPrivateKey::from_pkcs1_der(&der).map_err(key_err)?;
                    return Ok(Self::Rsa(Box::new(k)));
                }
                "EC PRIVATE KEY" => return sec1(&der),
                "PRIVATE KEY" => {
                    use rsa::pkcs8::DecodePrivateKey;
                    if let Some(k) = mldsa_pkcs8(&der)? {
                        return Ok(Self::MlDsa(k));
                    }
                    if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(&der) {
                        return Ok(Self::Rsa(Box::new(k)));
                    }
                    if let Ok(k) = p256::SecretKey::from_pkcs8_der(&der) {
                        return Ok(Self::P256(k.into()));
                    }
                    if let Ok(k) = p384::SecretKey::from_pkcs8_der(&der) {
                        return Ok(Self::P384(k.into()));
                    }
                    if let Ok(k) = ed25519_dalek::SigningKey::from_pkcs8_der(&der) {
                        return Ok(Self::Ed25519(Box::new(k)));
                    }
                    return Err(key_err("PKCS#8 key is not RSA, P-256, P-384 or Ed25519"));
                }
                _ => {}
            }
        }
        Err(key_err("no PEM private key found"))
    }

    /// A fresh RSA key of `bits` bits.
    pub(crate) fn generate_rsa(bits: usize) -> Result<Self, SignError> {
        let k = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, bits).map_err(key_err)?;
        Ok(Self::Rsa(Box::new(k)))
    }

    /// The key as PEM (`RSA PRIVATE KEY` for RSA as GnuTLS writes it, PKCS#8 otherwise).
    pub(crate) fn to_pem(&self) -> Result<String, SignError> {
        use rsa::pkcs8::EncodePrivateKey;
        let le = rsa::pkcs8::LineEnding::LF;
        match self {
            Self::Rsa(k) => {
                use rsa::pkcs1::EncodeRsaPrivateKey;
                k.to_pkcs1_pem(le).map(|s| s.to_string()).map_err(key_err)
            }
            Self::P256(k) => k.to_pkcs8_pem(le).map(|s| s.to_string()).map_err(key_err),
            Self::P384(k) => k.to_pkcs8_pem(le).map(|s| s.to_string()).map_err(key_err),
            Self::Ed25519(k) => k.to_pkcs8_pem(le).map(|s| s.to_string()).map_err(key_err),
            Self::MlDsa(k) => pem_rfc7468::encode_string(
                "PRIVATE KEY",
                pem_rfc7468::LineEnding::LF,
                &k.to_pkcs8_der()?,
            )
            .map_err(key_err),
        }
    }

    /// The SubjectPublicKeyInfo DER.
    pub(crate) fn spki_der(&self) -> Result<Vec<u8>, SignError> {
        let doc = match self {
            Self::Rsa(k) => k.to_public_key().to_public_key_der(),
            Self::P256(k) => k.verifying_key().to_public_key_der(),
            Self::P384(k) => k.verifying_key().to_public_key_der(),
            Self::Ed25519(k) => k.verifying_key().to_public_key_der(),
            Self::MlDsa(k) => {
                let bits = der::asn1::BitString::from_bytes(&k.public_key()).map_err(key_err)?;
                let spki = spki::SubjectPublicKeyInfoOwned {
                    algorithm: k.alg(),
                    subject_public_key: bits,
                };
                return spki.to_der().map_err(key_err);
            }
        };
        doc.map(|d| d.as_bytes().to_vec()).map_err(key_err)
    }

    /// The digest used with this key: SHA-384 for P-384, SHA-512 for ML-DSA
    /// (RFC 9882 Table 2 suits every set), SHA-256 otherwise.
    pub(crate) fn digest(&self) -> DigestAlg {
        match self {
            Self::P384(_) => DigestAlg::Sha384,
            Self::MlDsa(_) | Self::Ed25519(_) => DigestAlg::Sha512,
            _ => DigestAlg::Sha256,
        }
    }

    /// Signs `msg` (hashed with [`PrivateKey::digest`]); ECDSA signatures are DER.
    pub(crate) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        if let Self::MlDsa(k) = self {
            return k.sign(msg);
        }
        if let Self::Ed25519(k) = self {
            use ed25519_dalek::Signer;
            return Ok(k.sign(msg).to_bytes().to_vec());
        }
        self.sign_digest(&digest(self.digest(), msg))
    }

    /// Signs a digest made with [`PrivateKey::digest`].
    pub(crate) fn sign_digest(&self, hashed: &[u8]) -> Result<Vec<u8>, SignError> {
        match self {
            Self::Rsa(k) => k
                .sign(pubkey::pkcs1v15_scheme(self.digest()), hashed)
                .map_err(key_err),
            Self::P256(k) => {
                let s: p256::ecdsa::Signature = k.sign_prehash(hashed).map_err(key_err)?;
                Ok(s.to_der().as_bytes().to_vec())
            }
            Self::P384(k) => {
                let s: p384::ecdsa::Signature = k.sign_prehash(hashed).map_err(key_err)?;
                Ok(s.to_der().as_bytes().to_vec())
            }
            Self::MlDsa(_) => Err(key_err(
                "ML-DSA signs messages, not digests (use signed attributes)",
            )),
            Self::Ed25519(_) => Err(key_err(
                "Ed25519 signs messages, not digests (use signed attributes)",
            )),
        }
    }

    /// The signature algorithm for certificates (sha256WithRSAEncryption,
    /// ecdsa-with-SHA256/384).
    pub(crate) fn cert_sig_alg(&self) -> AlgorithmIdentifierOwned {
        match self {
            Self::Rsa(_) => AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            },
            Self::P256(_) => AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ECDSA_WITH_SHA_256,
                parameters: None,
            },
            Self::P384(_) => AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ECDSA_WITH_SHA_384,
                parameters: None,
            },
            Self::MlDsa(k) => k.alg(),
            Self::Ed25519(_) => AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc8410::ID_ED_25519,
                parameters: None,
            },
        }
    }

    /// The SignerInfo signatureAlgorithm (`rsaEncryption` for RSA as GnuTLS).
    pub(crate) fn cms_sig_alg(&self) -> AlgorithmIdentifierOwned {
        match self {
            Self::Rsa(_) => AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::RSA_ENCRYPTION,
                parameters: Some(der::asn1::Null.into()),
            },
            _ => self.cert_sig_alg(),
        }
    }
}

/// A PKCS#8 OneAsymmetricKey with an ML-DSA algorithm, if it is one.
fn mldsa_pkcs8(der: &[u8]) -> Result<Option<super::mldsa_key::MlDsaKey>, SignError> {
    use super::mldsa_key::MlDsaKeyError;
    use crate::x509::mldsa::MlDsaSet;
    use crate::x509::tlv;
    let Ok(seq) = tlv::expect(der, tlv::SEQUENCE, "PrivateKeyInfo") else {
        return Ok(None);
    };
    let mut c = tlv::Cursor::new(seq.value);
    if c.next_tag(tlv::INTEGER, "version").is_err() {
        return Ok(None);
    }
    let Ok(alg) = c.next_tag(tlv::SEQUENCE, "privateKeyAlgorithm") else {
        return Ok(None);
    };
    let Ok(alg) = AlgorithmIdentifierOwned::from_der(alg.raw) else {
        return Ok(None);
    };
    let Some(set) = MlDsaSet::from_oid(&alg.oid) else {
        return Ok(None);
    };
    if alg.parameters.is_some() {
        return Err(MlDsaKeyError::Parameters { set }.into());
    }
    let inner = c
        .next_tag(tlv::OCTET_STRING, "privateKey")
        .map_err(|what| MlDsaKeyError::Malformed { set, what })?;
    Ok(Some(super::mldsa_key::MlDsaKey::from_private_key(
        set,
        inner.value,
    )?))
}

/// SEC 1 ECPrivateKey, leniently: GnuTLS may write the scalar with a
/// leading zero byte (33 bytes for P-256), which `sec1` refuses.
fn sec1(der: &[u8]) -> Result<PrivateKey, SignError> {
    use crate::x509::tlv;
    let seq = tlv::expect(der, tlv::SEQUENCE, "ECPrivateKey").map_err(key_err)?;
    let mut c = tlv::Cursor::new(seq.value);
    c.next_tag(tlv::INTEGER, "version").map_err(key_err)?;
    let scalar = tlv::int_magnitude(
        c.next_tag(tlv::OCTET_STRING, "privateKey")
            .map_err(key_err)?
            .value,
    );
    let curve = c
        .optional(0xa0)
        .map_err(key_err)?
        .and_then(|p| tlv::read_one(p.value).ok())
        .map(|o| o.value.to_vec())
        .unwrap_or_default();
    let padded = |n: usize| -> Result<Vec<u8>, SignError> {
        let pad = n
            .checked_sub(scalar.len())
            .ok_or_else(|| key_err("EC private key too long"))?;
        Ok([vec![0u8; pad], scalar.to_vec()].concat())
    };
    let p256_oid = const_oid::db::rfc5912::SECP_256_R_1;
    let p384_oid = const_oid::db::rfc5912::SECP_384_R_1;
    if curve == p256_oid.as_bytes() {
        let k = p256::ecdsa::SigningKey::from_slice(&padded(32)?).map_err(key_err)?;
        Ok(PrivateKey::P256(k))
    } else if curve == p384_oid.as_bytes() {
        let k = p384::ecdsa::SigningKey::from_slice(&padded(48)?).map_err(key_err)?;
        Ok(PrivateKey::P384(k))
    } else {
        Err(key_err("EC key is not on P-256 or P-384"))
    }
}

/// Whether `spki_der` (from a certificate) holds the same public key as `key`.
pub(crate) fn same_public_key(cert_spki: &[u8], key: &PrivateKey) -> bool {
    let Ok(ours) = key.spki_der() else {
        return false;
    };
    let a = spki::SubjectPublicKeyInfoRef::from_der(cert_spki);
    let b = spki::SubjectPublicKeyInfoRef::from_der(&ours);
    match (a, b) {
        (Ok(a), Ok(b)) => {
            a.algorithm.oid == b.algorithm.oid
                && a.subject_public_key.raw_bytes() == b.subject_public_key.raw_bytes()
        }
        _ => false,
    }
}

/// DER of an AlgorithmIdentifier (never fails for the ones we build).
pub(crate) fn alg_der(alg: &AlgorithmIdentifierOwned) -> Result<Vec<u8>, SignError> {
    alg.to_der().map_err(key_err)
}
