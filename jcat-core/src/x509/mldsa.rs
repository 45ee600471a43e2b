//! ML-DSA (FIPS 204) as used in X.509 (RFC 9881) and CMS (RFC 9882): the
//! three parameter sets, their key and signature lengths, pure-mode
//! verification with the empty context, and the message representative μ
//! computed outside the crate ("external μ") so that a CMS signature over a
//! whole payload is checked from the one streamed pass.

use const_oid::ObjectIdentifier;
use sha3::digest::{ExtendableOutput, Update, XofReader};

// The ML-DSA OIDs (RFC 9881), not in const-oid 0.9's database.
/// id-ml-dsa-44.
pub(crate) const ID_ML_DSA_44: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.17");
/// id-ml-dsa-65.
pub(crate) const ID_ML_DSA_65: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.18");
/// id-ml-dsa-87.
pub(crate) const ID_ML_DSA_87: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.3.19");

/// An ML-DSA parameter set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MlDsaSet {
    /// ML-DSA-44 (NIST category 2).
    MlDsa44,
    /// ML-DSA-65 (category 3).
    MlDsa65,
    /// ML-DSA-87 (category 5).
    MlDsa87,
}

impl std::fmt::Display for MlDsaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::MlDsa44 => "ML-DSA-44",
            Self::MlDsa65 => "ML-DSA-65",
            Self::MlDsa87 => "ML-DSA-87",
        })
    }
}

impl MlDsaSet {
    /// The set an algorithm OID names.
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            ID_ML_DSA_44 => Some(Self::MlDsa44),
            ID_ML_DSA_65 => Some(Self::MlDsa65),
            ID_ML_DSA_87 => Some(Self::MlDsa87),
            _ => None,
        }
    }

    /// The algorithm OID.
    pub(crate) fn oid(self) -> ObjectIdentifier {
        match self {
            Self::MlDsa44 => ID_ML_DSA_44,
            Self::MlDsa65 => ID_ML_DSA_65,
            Self::MlDsa87 => ID_ML_DSA_87,
        }
    }

    /// The encoded public key length (FIPS 204 Table 2).
    pub(crate) fn public_key_len(self) -> usize {
        match self {
            Self::MlDsa44 => 1312,
            Self::MlDsa65 => 1952,
            Self::MlDsa87 => 2592,
        }
    }

    /// The signature length (FIPS 204 Table 2).
    pub(crate) fn signature_len(self) -> usize {
        match self {
            Self::MlDsa44 => 2420,
            Self::MlDsa65 => 3309,
            Self::MlDsa87 => 4627,
        }
    }
}

/// Why an ML-DSA check failed before or during the lattice arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MlDsaProblem {
    /// The public key is not the set's length.
    KeyLength(usize),
    /// The signature is not the set's length.
    SignatureLength(usize),
    /// The signature does not decode (hint encoding) or does not verify.
    Invalid,
}

/// tr = SHAKE256(pk, 64) (FIPS 204 Algorithm 8 step 6).
pub(crate) fn tr(pk: &[u8]) -> [u8; 64] {
    let mut h = sha3::Shake256::default();
    h.update(pk);
    let mut out = [0u8; 64];
    h.finalize_xof().read(&mut out);
    out
}

/// The running μ for pure ML-DSA with the empty context: SHAKE256 over
/// tr ‖ 0x00 ‖ 0x00 (domain separator, context length), then the message.
#[derive(Clone)]
pub(crate) struct MuState(sha3::Shake256);

impl MuState {
    /// A fresh state for the public key `pk`.
    pub(crate) fn new(pk: &[u8]) -> Self {
        let mut h = sha3::Shake256::default();
        h.update(&tr(pk));
        h.update(&[0u8, 0u8]);
        Self(h)
    }

    /// Feeds message bytes.
    pub(crate) fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// μ.
    pub(crate) fn finish(self) -> [u8; 64] {
        let mut out = [0u8; 64];
        self.0.finalize_xof().read(&mut out);
        out
    }
}

fn verify_mu_with<P: ml_dsa::MlDsaParams>(
    pk: &[u8],
    mu: &[u8; 64],
    sig: &[u8],
) -> Result<(), MlDsaProblem> {
    let enc = ml_dsa::EncodedVerifyingKey::<P>::try_from(pk)
        .map_err(|_| MlDsaProblem::KeyLength(pk.len()))?;
    let sig_enc = ml_dsa::EncodedSignature::<P>::try_from(sig)
        .map_err(|_| MlDsaProblem::SignatureLength(sig.len()))?;
    let sig = ml_dsa::Signature::<P>::decode(&sig_enc).ok_or(MlDsaProblem::Invalid)?;
    let vk = ml_dsa::VerifyingKey::<P>::decode(&enc);
    if vk.verify_mu(&(*mu).into(), &sig) {
        Ok(())
    } else {
        Err(MlDsaProblem::Invalid)
    }
}

/// Checks lengths, then verifies `sig` against the precomputed μ.
pub(crate) fn verify_mu(
    set: MlDsaSet,
    pk: &[u8],
    mu: &[u8; 64],
    sig: &[u8],
) -> Result<(), MlDsaProblem> {
    if pk.len() != set.public_key_len() {
        return Err(MlDsaProblem::KeyLength(pk.len()));
    }
    if sig.len() != set.signature_len() {
        return Err(MlDsaProblem::SignatureLength(sig.len()));
    }
    match set {
        MlDsaSet::MlDsa44 => verify_mu_with::<ml_dsa::MlDsa44>(pk, mu, sig),
        MlDsaSet::MlDsa65 => verify_mu_with::<ml_dsa::MlDsa65>(pk, mu, sig),
        MlDsaSet::MlDsa87 => verify_mu_with::<ml_dsa::MlDsa87>(pk, mu, sig),
    }
}

/// Pure ML-DSA verification of `sig` over `msg` with the empty context.
pub(crate) fn verify(set: MlDsaSet, pk: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), MlDsaProblem> {
    let mut mu = MuState::new(pk);
    mu.update(msg);
    verify_mu(set, pk, &mu.finish(), sig)
}

/// [`super::pubkey::verify`] for an ML-DSA signature algorithm: the key
/// must be of the same set, without parameters; the message is signed
/// directly (a digest cannot be).
pub(crate) fn verify_spki(
    set: MlDsaSet,
    spki: &spki::SubjectPublicKeyInfoRef<'_>,
    msg: super::pubkey::Message<'_>,
    sig: &[u8],
) -> Result<(), super::pubkey::VerifyError> {
    use super::pubkey::{Message, VerifyError};
    let key_oid = spki.algorithm.oid;
    if key_oid != set.oid() {
        return Err(VerifyError::Bad(format!(
            "{set} signature with a {key_oid} key"
        )));
    }
    if spki.algorithm.parameters.is_some() {
        return Err(VerifyError::Bad(format!("{set} key carries parameters")));
    }
    let Message::Raw(data) = msg else {
        return Err(VerifyError::Unsupported(format!(
            "{set} signatures over a digest are not supported"
        )));
    };
    verify(set, spki.subject_public_key.raw_bytes(), data, sig).map_err(|p| match p {
        MlDsaProblem::KeyLength(n) => VerifyError::Bad(format!("{set} key of {n} bytes")),
        MlDsaProblem::SignatureLength(n) => {
            VerifyError::Bad(format!("{set} signature of {n} bytes"))
        }
        MlDsaProblem::Invalid => VerifyError::Bad(format!("{set} signature does not verify")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keypair(seed: u8) -> (Vec<u8>, ml_dsa::SigningKey<ml_dsa::MlDsa87>) {
        let sk = ml_dsa::SigningKey::<ml_dsa::MlDsa87>::from_seed(&[seed; 32].into());
        let pk = sk.expanded_key().verifying_key().encode().to_vec();
        (pk, sk)
    }

    #[test]
    fn external_mu_matches_the_crate_and_rejects_changes() {
        let (pk, sk) = keypair(7);
        let sig = sk
            .expanded_key()
            .sign_deterministic(b"payload", b"")
            .expect("sign")
            .encode()
            .to_vec();
        assert_eq!(verify(MlDsaSet::MlDsa87, &pk, b"payload", &sig), Ok(()));
        // Streamed in pieces gives the same μ.
        let mut mu = MuState::new(&pk);
        mu.update(b"pay");
        mu.update(b"load");
        assert_eq!(
            verify_mu(MlDsaSet::MlDsa87, &pk, &mu.finish(), &sig),
            Ok(())
        );
        assert_eq!(
            verify(MlDsaSet::MlDsa87, &pk, b"payloaD", &sig),
            Err(MlDsaProblem::Invalid)
        );
        // A non-empty context is a different message.
        let ctx_sig = sk
            .expanded_key()
            .sign_deterministic(b"payload", b"jcat")
            .expect("sign")
            .encode()
            .to_vec();
        assert_eq!(
            verify(MlDsaSet::MlDsa87, &pk, b"payload", &ctx_sig),
            Err(MlDsaProblem::Invalid)
        );
    }

    #[test]
    fn lengths_are_checked_per_set() {
        let (pk, _) = keypair(1);
        assert_eq!(
            verify(MlDsaSet::MlDsa65, &pk, b"x", &[0u8; 3309]),
            Err(MlDsaProblem::KeyLength(2592))
        );
        assert_eq!(
            verify(MlDsaSet::MlDsa87, &pk, b"x", &[0u8; 4626]),
            Err(MlDsaProblem::SignatureLength(4626))
        );
    }
}
