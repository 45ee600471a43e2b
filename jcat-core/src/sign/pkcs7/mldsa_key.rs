//! ML-DSA private keys for signing (RFC 9881 §6 PKCS#8 `privateKey` CHOICE):
//! seed `[0]`, and both `SEQUENCE { seed, expandedKey }` with the
//! consistency check (the expanded key must be the one the seed gives).
//! An expanded-only key is refused: `ml-dsa` 0.1.2's decoder for it does not
//! validate its input and may panic on a malformed key.

use crate::sign::SignError;
use crate::trust::x509::mldsa::MlDsaSet;
use crate::trust::x509::tlv;

/// An ML-DSA signing key (from a 32-byte seed).
#[derive(Clone)]
pub(crate) struct MlDsaKey {
    /// The parameter set.
    pub set: MlDsaSet,
    seed: [u8; 32],
}

fn key_err(e: impl std::fmt::Display) -> SignError {
    SignError::Key(format!("unusable private key: {e}"))
}

fn expanded<P: ml_dsa::MlDsaParams>(seed: &[u8; 32]) -> Vec<u8> {
    #[allow(deprecated)]
    ml_dsa::SigningKey::<P>::from_seed(&(*seed).into())
        .expanded_key()
        .to_expanded()
        .to_vec()
}

fn public<P: ml_dsa::MlDsaParams>(seed: &[u8; 32]) -> Vec<u8> {
    ml_dsa::SigningKey::<P>::from_seed(&(*seed).into())
        .expanded_key()
        .verifying_key()
        .encode()
        .to_vec()
}

fn sign_with<P: ml_dsa::MlDsaParams>(seed: &[u8; 32], msg: &[u8]) -> Result<Vec<u8>, SignError> {
    ml_dsa::SigningKey::<P>::from_seed(&(*seed).into())
        .expanded_key()
        .sign_deterministic(msg, b"")
        .map(|s| s.encode().to_vec())
        .map_err(|_| key_err("ML-DSA signing failed"))
}

impl MlDsaKey {
    /// A key from its seed.
    pub(crate) fn from_seed(set: MlDsaSet, seed: [u8; 32]) -> Self {
        Self { set, seed }
    }

    /// A fresh key (seed from the operating system).
    pub(crate) fn generate(set: MlDsaSet) -> Result<Self, SignError> {
        let mut seed = [0u8; 32];
        rand_core::RngCore::try_fill_bytes(&mut rand_core::OsRng, &mut seed).map_err(key_err)?;
        Ok(Self::from_seed(set, seed))
    }

    /// Reads the PKCS#8 `privateKey` contents for `set`.
    pub(crate) fn from_private_key(set: MlDsaSet, inner: &[u8]) -> Result<Self, SignError> {
        let t = tlv::read_one(inner).map_err(key_err)?;
        let seed_of = |v: &[u8]| -> Result<[u8; 32], SignError> {
            v.try_into()
                .map_err(|_| key_err(format!("{set} seed of {} bytes (32 expected)", v.len())))
        };
        match t.tag {
            0x80 => Ok(Self::from_seed(set, seed_of(t.value)?)),
            tlv::OCTET_STRING => Err(key_err(format!(
                "{set} expandedKey-only private keys are not supported (give the seed or both form)"
            ))),
            tlv::SEQUENCE => {
                let mut c = tlv::Cursor::new(t.value);
                let seed = c.next_tag(tlv::OCTET_STRING, "seed").map_err(key_err)?;
                let exp = c
                    .next_tag(tlv::OCTET_STRING, "expandedKey")
                    .map_err(key_err)?;
                let key = Self::from_seed(set, seed_of(seed.value)?);
                if key.expanded() != exp.value {
                    return Err(key_err(format!(
                        "{set} private key: the expandedKey is not the one its seed gives (RFC 9881 section 6)"
                    )));
                }
                Ok(key)
            }
            other => Err(key_err(format!("{set} private key of tag 0x{other:02x}"))),
        }
    }

    fn expanded(&self) -> Vec<u8> {
        match self.set {
            MlDsaSet::MlDsa44 => expanded::<ml_dsa::MlDsa44>(&self.seed),
            MlDsaSet::MlDsa65 => expanded::<ml_dsa::MlDsa65>(&self.seed),
            MlDsaSet::MlDsa87 => expanded::<ml_dsa::MlDsa87>(&self.seed),
        }
    }

    /// The raw public key.
    pub(crate) fn public_key(&self) -> Vec<u8> {
        match self.set {
            MlDsaSet::MlDsa44 => public::<ml_dsa::MlDsa44>(&self.seed),
            MlDsaSet::MlDsa65 => public::<ml_dsa::MlDsa65>(&self.seed),
            MlDsaSet::MlDsa87 => public::<ml_dsa::MlDsa87>(&self.seed),
        }
    }

    /// Pure ML-DSA, empty context, deterministic variant (FIPS 204 §3.4).
    pub(crate) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        match self.set {
            MlDsaSet::MlDsa44 => sign_with::<ml_dsa::MlDsa44>(&self.seed, msg),
            MlDsaSet::MlDsa65 => sign_with::<ml_dsa::MlDsa65>(&self.seed, msg),
            MlDsaSet::MlDsa87 => sign_with::<ml_dsa::MlDsa87>(&self.seed, msg),
        }
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

    /// PKCS#8 DER, seed form.
    pub(crate) fn to_pkcs8_der(&self) -> Result<Vec<u8>, SignError> {
        use super::tlv as t;
        let alg = super::key::alg_der(&self.alg())?;
        Ok(t(
            0x30,
            &[t(0x02, &[0]), alg, t(0x04, &t(0x80, &self.seed))].concat(),
        ))
    }
}
