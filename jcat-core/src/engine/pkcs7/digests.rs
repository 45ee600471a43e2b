//! CMS digest algorithms beyond SHA-1/SHA-2 (SHA-3 and SHAKE, which RFC 9882
//! lists for ML-DSA), their suitability per ML-DSA set (RFC 9882 Table 2),
//! and the running states this engine feeds from the payload pass itself.

use const_oid::ObjectIdentifier;
use sha3::digest::{Digest, ExtendableOutput, Update, XofReader};

use crate::digest::DigestAlg;
use crate::x509::mldsa::{MlDsaSet, MuState};
use crate::x509::pubkey;

// The SHA-3 / SHAKE OIDs (FIPS 202, RFC 8702), not in const-oid 0.9's database.
const ID_SHA3_256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.8");
const ID_SHA3_384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.9");
const ID_SHA3_512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.10");
const ID_SHAKE128: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.11");
/// id-shake256.
pub(crate) const ID_SHAKE256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.12");

/// A CMS digestAlgorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmsDigest {
    /// SHA-1 or SHA-2, computed by the shared [`crate::digest::DigestSet`].
    Sha2(DigestAlg),
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
    /// SHAKE128 with 32 bytes of output (RFC 8702 / RFC 9882).
    Shake128,
    /// SHAKE256 with 64 bytes of output.
    Shake256,
}

impl CmsDigest {
    /// The digest an OID names.
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        if let Some(alg) = pubkey::digest_alg(oid) {
            return Some(Self::Sha2(alg));
        }
        match *oid {
            ID_SHA3_256 => Some(Self::Sha3_256),
            ID_SHA3_384 => Some(Self::Sha3_384),
            ID_SHA3_512 => Some(Self::Sha3_512),
            ID_SHAKE128 => Some(Self::Shake128),
            ID_SHAKE256 => Some(Self::Shake256),
            _ => None,
        }
    }

    /// The output length.
    pub(crate) fn output_len(self) -> usize {
        match self {
            Self::Sha2(DigestAlg::Sha1) => 20,
            Self::Sha2(DigestAlg::Sha224) => 28,
            Self::Sha2(DigestAlg::Sha256) | Self::Sha3_256 | Self::Shake128 => 32,
            Self::Sha2(DigestAlg::Sha384) | Self::Sha3_384 => 48,
            Self::Sha2(DigestAlg::Sha512) | Self::Sha3_512 | Self::Shake256 => 64,
        }
    }

    /// A name for messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Sha2(DigestAlg::Sha1) => "SHA-1",
            Self::Sha2(DigestAlg::Sha224) => "SHA-224",
            Self::Sha2(DigestAlg::Sha256) => "SHA-256",
            Self::Sha2(DigestAlg::Sha384) => "SHA-384",
            Self::Sha2(DigestAlg::Sha512) => "SHA-512",
            Self::Sha3_256 => "SHA3-256",
            Self::Sha3_384 => "SHA3-384",
            Self::Sha3_512 => "SHA3-512",
            Self::Shake128 => "SHAKE128",
            Self::Shake256 => "SHAKE256",
        }
    }

    /// Whether RFC 9882 Table 2 lists the digest for the set: at least the
    /// set's collision strength (-44: 128 bits, -65: 192, -87: 256).
    pub(crate) fn suits(self, set: MlDsaSet) -> bool {
        let strength = match self {
            Self::Sha2(DigestAlg::Sha1 | DigestAlg::Sha224) => 0,
            Self::Sha2(DigestAlg::Sha256) | Self::Sha3_256 | Self::Shake128 => 128,
            Self::Sha2(DigestAlg::Sha384) | Self::Sha3_384 => 192,
            Self::Sha2(DigestAlg::Sha512) | Self::Sha3_512 | Self::Shake256 => 256,
        };
        let needed = match set {
            MlDsaSet::MlDsa44 => 128,
            MlDsaSet::MlDsa65 => 192,
            MlDsaSet::MlDsa87 => 256,
        };
        strength >= needed
    }
}

/// A state this engine runs over the payload itself.
#[derive(Clone)]
pub(crate) enum Extra {
    /// SHA3-256.
    Sha3_256(sha3::Sha3_256),
    /// SHA3-384.
    Sha3_384(sha3::Sha3_384),
    /// SHA3-512.
    Sha3_512(sha3::Sha3_512),
    /// SHAKE128.
    Shake128(sha3::Shake128),
    /// SHAKE256.
    Shake256(sha3::Shake256),
    /// ML-DSA μ for one candidate key (CMS without signed attributes).
    Mu(MuState),
}

/// What an [`Extra`] computes, to find it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ExtraKind {
    /// A non-SHA-2 digest.
    Digest(CmsDigest),
    /// μ for the key with this raw public key.
    Mu(Vec<u8>),
}

impl Extra {
    /// A fresh state (`None` for SHA-2, which the shared set computes).
    pub(crate) fn new(kind: &ExtraKind) -> Option<Self> {
        Some(match kind {
            ExtraKind::Digest(CmsDigest::Sha2(_)) => return None,
            ExtraKind::Digest(CmsDigest::Sha3_256) => Self::Sha3_256(sha3::Sha3_256::new()),
            ExtraKind::Digest(CmsDigest::Sha3_384) => Self::Sha3_384(sha3::Sha3_384::new()),
            ExtraKind::Digest(CmsDigest::Sha3_512) => Self::Sha3_512(sha3::Sha3_512::new()),
            ExtraKind::Digest(CmsDigest::Shake128) => Self::Shake128(sha3::Shake128::default()),
            ExtraKind::Digest(CmsDigest::Shake256) => Self::Shake256(sha3::Shake256::default()),
            ExtraKind::Mu(pk) => Self::Mu(MuState::new(pk)),
        })
    }

    /// Feeds payload bytes.
    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha3_256(h) => Digest::update(h, data),
            Self::Sha3_384(h) => Digest::update(h, data),
            Self::Sha3_512(h) => Digest::update(h, data),
            Self::Shake128(h) => Update::update(h, data),
            Self::Shake256(h) => Update::update(h, data),
            Self::Mu(m) => m.update(data),
        }
    }

    /// The output (32 bytes for SHAKE128, 64 for SHAKE256 and μ).
    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            Self::Sha3_256(h) => h.finalize().to_vec(),
            Self::Sha3_384(h) => h.finalize().to_vec(),
            Self::Sha3_512(h) => h.finalize().to_vec(),
            Self::Shake128(h) => {
                let mut out = vec![0u8; 32];
                h.finalize_xof().read(&mut out);
                out
            }
            Self::Shake256(h) => {
                let mut out = vec![0u8; 64];
                h.finalize_xof().read(&mut out);
                out
            }
            Self::Mu(m) => m.finish().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::hex;

    fn run(d: CmsDigest, data: &[u8]) -> String {
        let mut e = Extra::new(&ExtraKind::Digest(d)).expect("extra");
        e.update(data);
        hex(&e.finish())
    }

    #[test]
    fn sha3_and_shake_known_answers() {
        // FIPS 202 examples for the empty string.
        assert_eq!(
            run(CmsDigest::Sha3_256, b""),
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
        );
        assert!(run(CmsDigest::Shake256, b"").starts_with("46b9dd2b0ba88d13233b3feb743eeb24"));
        assert!(run(CmsDigest::Shake128, b"").starts_with("7f9c2ba4e88f827d616045507605853e"));
        assert_eq!(run(CmsDigest::Shake128, b"").len(), 64);
    }

    #[test]
    fn table_2_suitability() {
        let sha256 = CmsDigest::Sha2(DigestAlg::Sha256);
        assert!(sha256.suits(MlDsaSet::MlDsa44));
        assert!(!sha256.suits(MlDsaSet::MlDsa65));
        assert!(!CmsDigest::Sha3_384.suits(MlDsaSet::MlDsa87));
        assert!(CmsDigest::Sha3_384.suits(MlDsaSet::MlDsa65));
        assert!(CmsDigest::Shake256.suits(MlDsaSet::MlDsa87));
        assert!(!CmsDigest::Shake128.suits(MlDsaSet::MlDsa65));
        assert!(!CmsDigest::Sha2(DigestAlg::Sha1).suits(MlDsaSet::MlDsa44));
    }

    /// The OID constants name what their registries say (a typo in one
    /// would make a digest silently unsupported or another one's).
    #[test]
    fn oids_map_to_their_digests_and_sets() {
        let o = |s: &str| ObjectIdentifier::new(s).unwrap();
        for (dotted, d) in [
            ("2.16.840.1.101.3.4.2.8", CmsDigest::Sha3_256),
            ("2.16.840.1.101.3.4.2.9", CmsDigest::Sha3_384),
            ("2.16.840.1.101.3.4.2.10", CmsDigest::Sha3_512),
            ("2.16.840.1.101.3.4.2.11", CmsDigest::Shake128),
            ("2.16.840.1.101.3.4.2.12", CmsDigest::Shake256),
            ("2.16.840.1.101.3.4.2.1", CmsDigest::Sha2(DigestAlg::Sha256)),
        ] {
            assert_eq!(CmsDigest::from_oid(&o(dotted)), Some(d), "{dotted}");
        }
        assert_eq!(CmsDigest::from_oid(&o("2.16.840.1.101.3.4.2.13")), None);
        for (dotted, set) in [
            ("2.16.840.1.101.3.4.3.17", MlDsaSet::MlDsa44),
            ("2.16.840.1.101.3.4.3.18", MlDsaSet::MlDsa65),
            ("2.16.840.1.101.3.4.3.19", MlDsaSet::MlDsa87),
        ] {
            assert_eq!(MlDsaSet::from_oid(&o(dotted)), Some(set), "{dotted}");
            assert_eq!(set.oid(), o(dotted));
        }
        assert_eq!(MlDsaSet::from_oid(&o("2.16.840.1.101.3.4.3.20")), None);
    }
}
