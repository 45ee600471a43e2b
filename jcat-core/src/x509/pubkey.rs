//! Signature verification by algorithm: RSA PKCS#1 v1.5, RSA-PSS, ECDSA
//! P-256/P-384, Ed25519 and ML-DSA-44/65/87 (pure, empty context), over a
//! message or a precomputed digest.

use super::rsa_public::RsaKeys;
use const_oid::db::{rfc5912, rfc8410};
use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use signature::hazmat::PrehashVerifier;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoRef};

use super::mldsa::{self, MlDsaSet};
use crate::digest::{digest, DigestAlg};

/// What was signed.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Message<'a> {
    /// The bytes themselves (hashed here, or signed directly by Ed25519).
    Raw(&'a [u8]),
    /// Only their digest is known (CMS without signed attributes).
    Digest(&'a [u8]),
}

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum VerifyError {
    /// An algorithm or key type we do not implement.
    Unsupported(String),
    /// The key or signature is malformed, or the signature is wrong.
    Bad(String),
}

const RSA_ENCRYPTION: ObjectIdentifier = rfc5912::RSA_ENCRYPTION;
const RSA_PSS: ObjectIdentifier = rfc5912::ID_RSASSA_PSS;
const EC_PUBLIC_KEY: ObjectIdentifier = rfc5912::ID_EC_PUBLIC_KEY;
const ED25519: ObjectIdentifier = rfc8410::ID_ED_25519;
const P256: ObjectIdentifier = rfc5912::SECP_256_R_1;
const P384: ObjectIdentifier = rfc5912::SECP_384_R_1;
/// ecdsa-with-SHA1 (RFC 3279 §2.2.3; not in `const_oid::db`).
const ECDSA_WITH_SHA_1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
/// sha1WithRSASignature, the OIW arc (not in `const_oid::db`).
const OIW_SHA_1_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.29");

/// The digest algorithm an OID names (the inverse of [`digest_oid`], over
/// `const_oid::db` constants).
pub(crate) fn digest_alg(oid: &ObjectIdentifier) -> Option<DigestAlg> {
    use DigestAlg::*;
    [Sha1, Sha224, Sha256, Sha384, Sha512]
        .into_iter()
        .find(|alg| digest_oid(*alg) == *oid)
}

/// The OID of a digest algorithm.
pub(crate) fn digest_oid(alg: DigestAlg) -> ObjectIdentifier {
    match alg {
        DigestAlg::Sha1 => const_oid::db::rfc5912::ID_SHA_1,
        DigestAlg::Sha224 => const_oid::db::rfc5912::ID_SHA_224,
        DigestAlg::Sha256 => const_oid::db::rfc5912::ID_SHA_256,
        DigestAlg::Sha384 => const_oid::db::rfc5912::ID_SHA_384,
        DigestAlg::Sha512 => const_oid::db::rfc5912::ID_SHA_512,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    RsaPkcs1,
    RsaPss { salt: usize },
    Ecdsa,
    Ed25519,
    MlDsa(MlDsaSet),
}

/// Maps a signature algorithm to a scheme and the digest it implies, if any.
fn scheme(alg: &AlgorithmIdentifierOwned) -> Result<(Scheme, Option<DigestAlg>), VerifyError> {
    use DigestAlg::*;
    let r = match alg.oid {
        RSA_ENCRYPTION => (Scheme::RsaPkcs1, None),
        rfc5912::SHA_1_WITH_RSA_ENCRYPTION => (Scheme::RsaPkcs1, Some(Sha1)),
        rfc5912::SHA_224_WITH_RSA_ENCRYPTION => (Scheme::RsaPkcs1, Some(Sha224)),
        rfc5912::SHA_256_WITH_RSA_ENCRYPTION => (Scheme::RsaPkcs1, Some(Sha256)),
        rfc5912::SHA_384_WITH_RSA_ENCRYPTION => (Scheme::RsaPkcs1, Some(Sha384)),
        rfc5912::SHA_512_WITH_RSA_ENCRYPTION => (Scheme::RsaPkcs1, Some(Sha512)),
        RSA_PSS => return pss(alg),
        EC_PUBLIC_KEY => (Scheme::Ecdsa, None),
        ECDSA_WITH_SHA_1 => (Scheme::Ecdsa, Some(Sha1)),
        rfc5912::ECDSA_WITH_SHA_224 => (Scheme::Ecdsa, Some(Sha224)),
        rfc5912::ECDSA_WITH_SHA_256 => (Scheme::Ecdsa, Some(Sha256)),
        rfc5912::ECDSA_WITH_SHA_384 => (Scheme::Ecdsa, Some(Sha384)),
        rfc5912::ECDSA_WITH_SHA_512 => (Scheme::Ecdsa, Some(Sha512)),
        ED25519 => (Scheme::Ed25519, None),
        other if MlDsaSet::from_oid(&other).is_some() => {
            let set = MlDsaSet::from_oid(&other)
                .ok_or_else(|| VerifyError::Unsupported(other.to_string()))?;
            // RFC 9881 §2 / RFC 9882 §3: parameters MUST be absent.
            if alg.parameters.is_some() {
                return Err(VerifyError::Bad(format!(
                    "{set} signature algorithm carries parameters"
                )));
            }
            (Scheme::MlDsa(set), None)
        }
        other => {
            return Err(VerifyError::Unsupported(format!(
                "signature algorithm {other} is not supported"
            )))
        }
    };
    Ok(r)
}

fn pss(alg: &AlgorithmIdentifierOwned) -> Result<(Scheme, Option<DigestAlg>), VerifyError> {
    let params = alg
        .parameters
        .as_ref()
        .map(|p| p.to_der())
        .transpose()
        .map_err(|e| VerifyError::Bad(format!("RSA-PSS parameters: {e}")))?;
    let params = match &params {
        Some(p) => rsa::pkcs1::RsaPssParams::from_der(p)
            .map_err(|e| VerifyError::Bad(format!("RSA-PSS parameters: {e}")))?,
        None => rsa::pkcs1::RsaPssParams::default(),
    };
    let hash = digest_alg(&params.hash.oid).ok_or_else(|| {
        VerifyError::Unsupported(format!("RSA-PSS hash {} is not supported", params.hash.oid))
    })?;
    let mgf_hash = params
        .mask_gen
        .parameters
        .as_ref()
        .and_then(|p| digest_alg(&p.oid));
    if mgf_hash != Some(hash) {
        return Err(VerifyError::Unsupported(
            "RSA-PSS with an MGF1 hash different from the message hash is not supported".into(),
        ));
    }
    Ok((
        Scheme::RsaPss {
            salt: usize::from(params.salt_len),
        },
        Some(hash),
    ))
}

/// Verifies `sig` over `msg` with the key `spki_der`. `hash` is the digest
/// algorithm to use when the signature algorithm does not name one (CMS
/// `rsaEncryption`); when both are given, the explicit `hash` wins, as the CMS
/// digestAlgorithm is what was hashed.
pub(crate) fn verify(
    spki_der: &[u8],
    sig_alg: &AlgorithmIdentifierOwned,
    hash: Option<DigestAlg>,
    msg: Message<'_>,
    sig: &[u8],
) -> Result<(), VerifyError> {
    verify_with(&RsaKeys::default(), spki_der, sig_alg, hash, msg, sig)
}

/// [`verify`], keeping prepared RSA keys in `keys` (a verification run's).
pub(crate) fn verify_with(
    keys: &RsaKeys,
    spki_der: &[u8],
    sig_alg: &AlgorithmIdentifierOwned,
    hash: Option<DigestAlg>,
    msg: Message<'_>,
    sig: &[u8],
) -> Result<(), VerifyError> {
    let (scheme, implied) = scheme(sig_alg)?;
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der)
        .map_err(|e| VerifyError::Bad(format!("public key: {e}")))?;
    let key_oid = spki.algorithm.oid;
    let key_bits = spki.subject_public_key.raw_bytes();
    if let Scheme::MlDsa(set) = scheme {
        return mldsa::verify_spki(set, &spki, msg, sig);
    }
    if scheme == Scheme::Ed25519 {
        if key_oid != ED25519 {
            return Err(VerifyError::Bad(
                "Ed25519 signature with a non-Ed25519 key".into(),
            ));
        }
        let Message::Raw(data) = msg else {
            return Err(VerifyError::Unsupported(
                "Ed25519 CMS signatures without signed attributes are not supported".into(),
            ));
        };
        let key: [u8; 32] = key_bits
            .try_into()
            .map_err(|_| VerifyError::Bad("Ed25519 key is not 32 bytes".into()))?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(&key)
            .map_err(|e| VerifyError::Bad(format!("Ed25519 key: {e}")))?;
        let sig = ed25519_dalek::Signature::from_slice(sig)
            .map_err(|e| VerifyError::Bad(format!("Ed25519 signature: {e}")))?;
        return key
            .verify_strict(data, &sig)
            .map_err(|_| VerifyError::Bad("Ed25519 signature does not verify".into()));
    }
    let hash = hash.or(implied).ok_or_else(|| {
        VerifyError::Unsupported(format!("no digest algorithm for {}", sig_alg.oid))
    })?;
    let owned;
    let hashed: &[u8] = match msg {
        Message::Raw(data) => {
            owned = digest(hash, data);
            &owned
        }
        Message::Digest(d) => d,
    };
    match scheme {
        Scheme::RsaPkcs1 | Scheme::RsaPss { .. } => {
            if key_oid != RSA_ENCRYPTION && key_oid != RSA_PSS {
                return Err(VerifyError::Bad("RSA signature with a non-RSA key".into()));
            }
            let bad = || VerifyError::Bad("RSA signature does not verify".into());
            if let Scheme::RsaPss { salt } = scheme {
                use rsa::pkcs1::DecodeRsaPublicKey;
                let key = rsa::RsaPublicKey::from_pkcs1_der(key_bits)
                    .map_err(|e| VerifyError::Bad(format!("RSA key: {e}")))?;
                return key
                    .verify(pss_scheme(hash, salt), hashed, sig)
                    .map_err(|_| bad());
            }
            // PKCS#1 v1.5 with the key's precomputation kept (D56).
            let key = keys
                .prepared(key_bits)
                .map_err(|e| VerifyError::Bad(format!("RSA key: {e}")))?;
            if key.verify(&pkcs1v15_scheme(hash), hashed, sig) {
                Ok(())
            } else {
                Err(bad())
            }
        }
        Scheme::Ecdsa => {
            if key_oid != EC_PUBLIC_KEY {
                return Err(VerifyError::Bad("ECDSA signature with a non-EC key".into()));
            }
            let curve = spki
                .algorithm
                .parameters
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            let bad = |_| VerifyError::Bad("ECDSA signature does not verify".into());
            match curve {
                Some(P256) => {
                    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                        .map_err(|e| VerifyError::Bad(format!("P-256 key: {e}")))?;
                    let sig = p256::ecdsa::Signature::from_der(sig).map_err(bad)?;
                    key.verify_prehash(hashed, &sig).map_err(bad)
                }
                Some(P384) => {
                    let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(key_bits)
                        .map_err(|e| VerifyError::Bad(format!("P-384 key: {e}")))?;
                    let sig = p384::ecdsa::Signature::from_der(sig).map_err(bad)?;
                    key.verify_prehash(hashed, &sig).map_err(bad)
                }
                other => Err(VerifyError::Unsupported(format!(
                    "EC curve {} is not supported",
                    other.map(|o| o.to_string()).unwrap_or_default()
                ))),
            }
        }
        Scheme::Ed25519 | Scheme::MlDsa(_) => Err(VerifyError::Unsupported("unreachable".into())),
    }
}

/// The PKCS#1 v1.5 scheme (DigestInfo prefix and length) for a digest
/// algorithm, from the hash crates' OIDs.
pub(crate) fn pkcs1v15_scheme(hash: DigestAlg) -> rsa::Pkcs1v15Sign {
    match hash {
        DigestAlg::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        DigestAlg::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
        DigestAlg::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        DigestAlg::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        DigestAlg::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    }
}

fn pss_scheme(hash: DigestAlg, salt: usize) -> rsa::Pss {
    match hash {
        DigestAlg::Sha1 => rsa::Pss::new_with_salt::<sha1::Sha1>(salt),
        DigestAlg::Sha224 => rsa::Pss::new_with_salt::<sha2::Sha224>(salt),
        DigestAlg::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(salt),
        DigestAlg::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(salt),
        DigestAlg::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(salt),
    }
}

/// Why a public key is refused whatever it signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyProblem {
    /// RSA below [`MIN_RSA_BITS`].
    WeakRsa(usize),
    /// An EC key on a curve we do not support (or explicit parameters).
    Curve(String),
    /// Not RSA, EC or Ed25519 (DSA, …).
    Algorithm(String),
    /// Ed25519 of small order or non-canonical encoding.
    WeakEd25519,
    /// The key does not decode.
    Malformed(String),
    /// An ML-DSA key with parameters or of the wrong length (RFC 9881 §4).
    MlDsa {
        /// The parameter set.
        set: MlDsaSet,
        /// What is wrong.
        reason: &'static str,
    },
}

/// The smallest RSA modulus accepted, in a chain, as CMS signer, and to sign with.
pub(crate) const MIN_RSA_BITS: usize = 2048;

/// Checks a SubjectPublicKeyInfo against our key policy: RSA ≥ 2048 bits,
/// EC on P-256/P-384 by named curve, Ed25519 not weak (small order) and
/// canonically encoded, ML-DSA without parameters and of its set's length.
pub(crate) fn key_policy(spki_der: &[u8]) -> Result<(), KeyProblem> {
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der)
        .map_err(|e| KeyProblem::Malformed(e.to_string()))?;
    let bits = spki.subject_public_key.raw_bytes();
    match spki.algorithm.oid {
        RSA_ENCRYPTION | RSA_PSS => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            use rsa::traits::PublicKeyParts;
            let key = rsa::RsaPublicKey::from_pkcs1_der(bits)
                .map_err(|e| KeyProblem::Malformed(e.to_string()))?;
            let n = key.n().bits();
            if n < MIN_RSA_BITS {
                return Err(KeyProblem::WeakRsa(n));
            }
            Ok(())
        }
        EC_PUBLIC_KEY => {
            let curve = match spki.algorithm.parameters {
                Some(p) if der::Tagged::tag(&p) == der::Tag::ObjectIdentifier => p
                    .decode_as::<ObjectIdentifier>()
                    .map_err(|e| KeyProblem::Malformed(e.to_string()))?,
                Some(_) => return Err(KeyProblem::Curve("explicit parameters".into())),
                None => return Err(KeyProblem::Curve("no parameters".into())),
            };
            match curve {
                P256 | P384 => Ok(()),
                _ => Err(KeyProblem::Curve(curve.to_string())),
            }
        }
        ED25519 => {
            let key: [u8; 32] = bits
                .try_into()
                .map_err(|_| KeyProblem::Malformed("Ed25519 key is not 32 bytes".into()))?;
            let vk = ed25519_dalek::VerifyingKey::from_bytes(&key)
                .map_err(|e| KeyProblem::Malformed(e.to_string()))?;
            if vk.is_weak() || vk.to_edwards().compress().to_bytes() != key {
                return Err(KeyProblem::WeakEd25519);
            }
            Ok(())
        }
        other => match MlDsaSet::from_oid(&other) {
            Some(set) if spki.algorithm.parameters.is_some() => Err(KeyProblem::MlDsa {
                set,
                reason: "parameters present (they must be absent)",
            }),
            Some(set) if bits.len() != set.public_key_len() => Err(KeyProblem::MlDsa {
                set,
                reason: "public key of the wrong length",
            }),
            Some(_) => Ok(()),
            None => Err(KeyProblem::Algorithm(other.to_string())),
        },
    }
}

/// The weak digest (SHA-1, MD5, MD2) a signature algorithm uses, if any.
pub(crate) fn weak_digest(alg: &AlgorithmIdentifierOwned) -> Option<&'static str> {
    match alg.oid {
        rfc5912::MD_2_WITH_RSA_ENCRYPTION => Some("MD2"),
        rfc5912::MD_5_WITH_RSA_ENCRYPTION => Some("MD5"),
        rfc5912::SHA_1_WITH_RSA_ENCRYPTION
        | ECDSA_WITH_SHA_1
        | rfc5912::DSA_WITH_SHA_1
        | OIW_SHA_1_WITH_RSA => Some("SHA-1"),
        RSA_PSS => match pss(alg) {
            Ok((_, Some(DigestAlg::Sha1))) => Some("SHA-1"),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod oid_tests {
    use super::*;

    /// The named constants are the OIDs the dotted strings used to spell.
    #[test]
    fn named_oids_are_the_registered_ones() {
        for (oid, dotted) in [
            (RSA_ENCRYPTION, "1.2.840.113549.1.1.1"),
            (RSA_PSS, "1.2.840.113549.1.1.10"),
            (EC_PUBLIC_KEY, "1.2.840.10045.2.1"),
            (ED25519, "1.3.101.112"),
            (P256, "1.2.840.10045.3.1.7"),
            (P384, "1.3.132.0.34"),
            (ECDSA_WITH_SHA_1, "1.2.840.10045.4.1"),
            (OIW_SHA_1_WITH_RSA, "1.3.14.3.2.29"),
            (rfc5912::SHA_1_WITH_RSA_ENCRYPTION, "1.2.840.113549.1.1.5"),
            (
                rfc5912::SHA_224_WITH_RSA_ENCRYPTION,
                "1.2.840.113549.1.1.14",
            ),
            (
                rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                "1.2.840.113549.1.1.11",
            ),
            (
                rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
                "1.2.840.113549.1.1.12",
            ),
            (
                rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
                "1.2.840.113549.1.1.13",
            ),
            (rfc5912::ECDSA_WITH_SHA_224, "1.2.840.10045.4.3.1"),
            (rfc5912::ECDSA_WITH_SHA_256, "1.2.840.10045.4.3.2"),
            (rfc5912::ECDSA_WITH_SHA_384, "1.2.840.10045.4.3.3"),
            (rfc5912::ECDSA_WITH_SHA_512, "1.2.840.10045.4.3.4"),
            (rfc5912::MD_2_WITH_RSA_ENCRYPTION, "1.2.840.113549.1.1.2"),
            (rfc5912::MD_5_WITH_RSA_ENCRYPTION, "1.2.840.113549.1.1.4"),
            (rfc5912::DSA_WITH_SHA_1, "1.2.840.10040.4.3"),
        ] {
            assert_eq!(oid.to_string(), dotted);
        }
        let sha1_rsa = AlgorithmIdentifierOwned {
            oid: OIW_SHA_1_WITH_RSA,
            parameters: None,
        };
        assert_eq!(weak_digest(&sha1_rsa), Some("SHA-1"));
        let ecdsa256 = AlgorithmIdentifierOwned {
            oid: rfc5912::ECDSA_WITH_SHA_256,
            parameters: None,
        };
        assert_eq!(
            scheme(&ecdsa256),
            Ok((Scheme::Ecdsa, Some(DigestAlg::Sha256)))
        );
    }
}
