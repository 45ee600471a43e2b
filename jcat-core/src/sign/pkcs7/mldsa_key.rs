//! ML-DSA private keys for signing (RFC 9881 §6 PKCS#8 `privateKey` CHOICE):
//! seed `[0]`; expandedKey-only `OCTET STRING`, checked first
//! ([`super::mldsa_expanded`]: coefficient ranges, t0 and tr against what its
//! parts give), since `ml-dsa` 0.1.2's decoder for it checks nothing and
//! panics on an out-of-range coefficient; both `SEQUENCE { seed,
//! expandedKey }` with the consistency check (the expanded key must be the
//! one the seed gives).

use crate::sign::SignError;
use crate::x509::mldsa::MlDsaSet;
use crate::x509::tlv;

/// Why an ML-DSA private key is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MlDsaKeyError {
    /// The privateKeyAlgorithm carries parameters (RFC 9881: absent).
    #[error("{set} key algorithm carries parameters")]
    Parameters {
        /// The parameter set.
        set: MlDsaSet,
    },
    /// The PKCS#8 structure or the CHOICE does not parse.
    #[error("{set} private key does not parse: {what}")]
    Malformed {
        /// The parameter set.
        set: MlDsaSet,
        /// What is wrong.
        what: String,
    },
    /// A CHOICE alternative RFC 9881 does not define.
    #[error("{set} private key of tag 0x{tag:02x} (seed [0], expandedKey or both expected)")]
    UnknownForm {
        /// The parameter set.
        set: MlDsaSet,
        /// The tag found.
        tag: u8,
    },
    /// A seed that is not 32 bytes.
    #[error("{set} seed of {len} bytes (32 expected)")]
    SeedLength {
        /// The parameter set.
        set: MlDsaSet,
        /// Its length.
        len: usize,
    },
    /// An expanded key of the wrong length for its set.
    #[error("{set} expandedKey of {len} bytes ({expected} expected)")]
    ExpandedLength {
        /// The parameter set.
        set: MlDsaSet,
        /// Its length.
        len: usize,
        /// The set's length.
        expected: usize,
    },
    /// The both form's expandedKey is not the one its seed gives.
    #[error(
        "{set} private key: the expandedKey is not the one its seed gives (RFC 9881 section 6)"
    )]
    SeedMismatch {
        /// The parameter set.
        set: MlDsaSet,
    },
    /// An s1 or s2 coefficient outside [-η, η].
    #[error("{set} expandedKey: an {part} coefficient is out of range")]
    CoefficientRange {
        /// The parameter set.
        set: MlDsaSet,
        /// `s1` or `s2`.
        part: &'static str,
    },
    /// t0 is not the low part of t = A·s1 + s2.
    #[error("{set} expandedKey: t0 is not the one rho, s1 and s2 give")]
    T0Mismatch {
        /// The parameter set.
        set: MlDsaSet,
    },
    /// tr is not the hash of the public key the key gives.
    #[error("{set} expandedKey: tr is not the hash of its public key")]
    TrMismatch {
        /// The parameter set.
        set: MlDsaSet,
    },
    /// ML-DSA signing found no signature (rejection sampling exhausted).
    #[error("{set} signing failed")]
    SigningFailed {
        /// The parameter set.
        set: MlDsaSet,
    },
}

/// The secret as the key file gave it.
#[derive(Clone)]
enum Secret {
    /// The 32-byte seed ξ.
    Seed([u8; 32]),
    /// A checked expanded key (FIPS 204 skEncode).
    Expanded(Vec<u8>),
}

/// An ML-DSA signing key.
#[derive(Clone)]
pub(crate) struct MlDsaKey {
    /// The parameter set.
    pub set: MlDsaSet,
    secret: Secret,
}

fn key_err(e: impl std::fmt::Display) -> SignError {
    SignError::unusable_key(e)
}

/// Runs `f` with the crate's expanded key for `secret`.
fn with_key<P: ml_dsa::MlDsaParams, R>(
    secret: &Secret,
    f: impl FnOnce(&ml_dsa::ExpandedSigningKey<P>) -> R,
) -> Option<R> {
    match secret {
        Secret::Seed(seed) => Some(f(
            ml_dsa::SigningKey::<P>::from_seed(&(*seed).into()).expanded_key()
        )),
        Secret::Expanded(bytes) => {
            let enc = ml_dsa::ExpandedSigningKeyBytes::<P>::try_from(bytes.as_slice()).ok()?;
            // Checked by `mldsa_expanded::check` when the key was read, so
            // the crate's range assertions hold.
            #[allow(deprecated)]
            let key = ml_dsa::ExpandedSigningKey::<P>::from_expanded(&enc);
            Some(f(&key))
        }
    }
}

macro_rules! per_set {
    ($set:expr, $f:ident ( $($arg:expr),* )) => {
        match $set {
            MlDsaSet::MlDsa44 => $f::<ml_dsa::MlDsa44>($($arg),*),
            MlDsaSet::MlDsa65 => $f::<ml_dsa::MlDsa65>($($arg),*),
            MlDsaSet::MlDsa87 => $f::<ml_dsa::MlDsa87>($($arg),*),
        }
    };
}

#[allow(deprecated)]
fn expanded<P: ml_dsa::MlDsaParams>(secret: &Secret) -> Option<Vec<u8>> {
    with_key::<P, _>(secret, |k| k.to_expanded().to_vec())
}

fn public<P: ml_dsa::MlDsaParams>(secret: &Secret) -> Option<Vec<u8>> {
    with_key::<P, _>(secret, |k| k.verifying_key().encode().to_vec())
}

fn sign_msg<P: ml_dsa::MlDsaParams>(secret: &Secret, msg: &[u8]) -> Option<Option<Vec<u8>>> {
    with_key::<P, _>(secret, |k| {
        k.sign_deterministic(msg, b"")
            .ok()
            .map(|s| s.encode().to_vec())
    })
}

/// Pure ML-DSA over the streamed payload: the crate prefixes tr ‖ 0 ‖ 0 to
/// its μ hash and we feed the chunks (FIPS 204 external μ). Returns the
/// signature and the payload length.
fn sign_stream<P: ml_dsa::MlDsaParams>(
    set: MlDsaSet,
    secret: &Secret,
    payload: &crate::Payload<'_>,
) -> Result<(Vec<u8>, u64), SignError> {
    use ml_dsa::signature::digest::Update;
    use ml_dsa::signature::DigestSigner;
    let failed = || SignError::MlDsaKey(MlDsaKeyError::SigningFailed { set });
    with_key::<P, _>(secret, |k| {
        let outcome = std::cell::RefCell::new(None);
        let sig = k.try_sign_digest(|h| {
            let read = payload.for_each_chunk(|c| h.update(c));
            let failed = read.is_err();
            *outcome.borrow_mut() = Some(read);
            if failed {
                Err(ml_dsa::Error::new())
            } else {
                Ok(())
            }
        });
        match (outcome.into_inner(), sig) {
            (Some(Err(e)), _) => Err(SignError::Io(e)),
            (Some(Ok(len)), Ok(sig)) => Ok((sig.encode().to_vec(), len)),
            _ => Err(failed()),
        }
    })
    .unwrap_or_else(|| Err(failed()))
}

impl MlDsaKey {
    /// A key from its seed.
    pub(crate) fn from_seed(set: MlDsaSet, seed: [u8; 32]) -> Self {
        Self {
            set,
            secret: Secret::Seed(seed),
        }
    }

    /// A key from a checked expanded key (FIPS 204 skEncode).
    pub(crate) fn from_expanded(set: MlDsaSet, expanded: &[u8]) -> Result<Self, MlDsaKeyError> {
        super::mldsa_expanded::check(set, expanded)?;
        Ok(Self {
            set,
            secret: Secret::Expanded(expanded.to_vec()),
        })
    }

    /// A fresh key (seed from the operating system).
    pub(crate) fn generate(set: MlDsaSet) -> Result<Self, SignError> {
        let mut seed = [0u8; 32];
        rand_core::RngCore::try_fill_bytes(&mut rand_core::OsRng, &mut seed).map_err(key_err)?;
        Ok(Self::from_seed(set, seed))
    }

    /// Reads the PKCS#8 `privateKey` contents for `set`.
    pub(crate) fn from_private_key(set: MlDsaSet, inner: &[u8]) -> Result<Self, MlDsaKeyError> {
        let malformed = |e: String| MlDsaKeyError::Malformed { set, what: e };
        let t = tlv::read_one(inner).map_err(malformed)?;
        let seed_of = |v: &[u8]| -> Result<[u8; 32], MlDsaKeyError> {
            v.try_into()
                .map_err(|_| MlDsaKeyError::SeedLength { set, len: v.len() })
        };
        match t.tag {
            0x80 => Ok(Self::from_seed(set, seed_of(t.value)?)),
            tlv::OCTET_STRING => Self::from_expanded(set, t.value),
            tlv::SEQUENCE => {
                let mut c = tlv::Cursor::new(t.value);
                let seed = c.next_tag(tlv::OCTET_STRING, "seed").map_err(malformed)?;
                let exp = c
                    .next_tag(tlv::OCTET_STRING, "expandedKey")
                    .map_err(malformed)?;
                let key = Self::from_seed(set, seed_of(seed.value)?);
                if key.expanded().as_deref() != Some(exp.value) {
                    return Err(MlDsaKeyError::SeedMismatch { set });
                }
                Ok(key)
            }
            tag => Err(MlDsaKeyError::UnknownForm { set, tag }),
        }
    }

    /// Whether the key came as an expanded key only (no seed).
    #[cfg(test)]
    pub(crate) fn is_expanded_only(&self) -> bool {
        matches!(self.secret, Secret::Expanded(_))
    }

    fn expanded(&self) -> Option<Vec<u8>> {
        per_set!(self.set, expanded(&self.secret))
    }

    /// The raw public key.
    pub(crate) fn public_key(&self) -> Vec<u8> {
        per_set!(self.set, public(&self.secret)).unwrap_or_default()
    }

    /// Pure ML-DSA, empty context, deterministic variant (FIPS 204 §3.4).
    pub(crate) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        per_set!(self.set, sign_msg(&self.secret, msg))
            .flatten()
            .ok_or(SignError::MlDsaKey(MlDsaKeyError::SigningFailed {
                set: self.set,
            }))
    }

    /// [`MlDsaKey::sign`] over the payload, streamed (constant memory);
    /// returns the signature and the payload length.
    pub(crate) fn sign_payload(
        &self,
        payload: crate::Payload<'_>,
    ) -> Result<(Vec<u8>, u64), SignError> {
        per_set!(self.set, sign_stream(self.set, &self.secret, &payload))
    }

    /// The algorithm identifier (parameters absent).
    pub(crate) fn alg(&self) -> spki::AlgorithmIdentifierOwned {
        use const_oid::ObjectIdentifier as Oid;
        const ML_DSA_44: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.17");
        const ML_DSA_65: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.18");
        const ML_DSA_87: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.3.19");
        spki::AlgorithmIdentifierOwned {
            oid: match self.set {
                MlDsaSet::MlDsa44 => ML_DSA_44,
                MlDsaSet::MlDsa65 => ML_DSA_65,
                MlDsaSet::MlDsa87 => ML_DSA_87,
            },
            parameters: None,
        }
    }

    /// PKCS#8 DER in the form the key came in (seed, or expandedKey only).
    pub(crate) fn to_pkcs8_der(&self) -> Result<Vec<u8>, SignError> {
        use super::tlv as t;
        let alg = super::key::alg_der(&self.alg())?;
        let inner = match &self.secret {
            Secret::Seed(seed) => t(0x80, seed),
            Secret::Expanded(bytes) => t(0x04, bytes),
        };
        Ok(t(0x30, &[t(0x02, &[0]), alg, t(0x04, &inner)].concat()))
    }
}
