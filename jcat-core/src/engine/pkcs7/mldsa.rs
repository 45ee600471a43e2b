//! ML-DSA signers in CMS (RFC 9882): algorithm identifiers, the digests
//! Table 2 allows per set, the GnuTLS "unbound" form (empty messageDigest,
//! id-shake256), and signatures over the payload itself checked from the
//! streamed μ.

use der::Decode;
use spki::SubjectPublicKeyInfoRef;

use super::digests::{CmsDigest, ExtraKind};
use super::parse::SignerInfo;
use super::Computed;
use crate::engine::SigError;
use crate::trust::x509::ChainError;
use crate::x509::cert::CertView;
use crate::x509::mldsa::{self, MlDsaProblem, MlDsaSet};
use crate::x509::pubkey::VerifyError;

/// The raw public key of an ML-DSA SubjectPublicKeyInfo (any set).
pub(super) fn raw_key(spki_der: &[u8]) -> Option<Vec<u8>> {
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der).ok()?;
    MlDsaSet::from_oid(&spki.algorithm.oid)?;
    Some(spki.subject_public_key.raw_bytes().to_vec())
}

/// RFC 9882 §3: the signatureAlgorithm's parameters are absent.
pub(super) fn check_sig_alg(si: &SignerInfo<'_>, set: MlDsaSet) -> Result<(), SigError> {
    if si.sig_alg.parameters.is_some() {
        return Err(ChainError::MlDsaParameters {
            what: "PKCS7 signer".into(),
            set,
        }
        .into());
    }
    if si.signature.len() != set.signature_len() {
        return Err(ChainError::MlDsaSignatureLength {
            set,
            len: si.signature.len(),
            expected: set.signature_len(),
        }
        .into());
    }
    Ok(())
}

/// Judges the digest of signed attributes. `Ok(true)`: the GnuTLS form
/// (id-shake256, empty messageDigest), which binds nothing; `Ok(false)`:
/// an RFC 9882 digest to compare with the payload's.
pub(super) fn check_digest(set: MlDsaSet, d: CmsDigest, md: &[u8]) -> Result<bool, SigError> {
    if d == CmsDigest::Shake256 && md.is_empty() {
        return Ok(true);
    }
    if !d.suits(set) {
        return Err(ChainError::MlDsaDigestUnsuitable {
            set,
            digest: d.name().into(),
        }
        .into());
    }
    if md.len() != d.output_len() {
        return Err(ChainError::MessageDigestLength {
            digest: d.name().into(),
            len: md.len(),
            expected: d.output_len(),
        }
        .into());
    }
    Ok(false)
}

/// The candidate's key must be the set the signature algorithm names.
pub(super) fn check_signer_key(
    set: MlDsaSet,
    cert: &CertView<'_>,
    _sig: &[u8],
) -> Result<(), ChainError> {
    let key_alg = SubjectPublicKeyInfoRef::from_der(cert.spki).map(|s| s.algorithm.oid);
    if key_alg.as_ref().ok() != Some(&set.oid()) {
        return Err(ChainError::MlDsaKeyMismatch {
            subject: cert.name(),
            set,
            key_alg: key_alg.map_or_else(|_| "<invalid key>".into(), |o| o.to_string()),
        });
    }
    Ok(())
}

/// Without signed attributes the signature covers the payload: μ was
/// streamed for this key during the pass.
pub(super) fn verify_payload(
    set: MlDsaSet,
    cert: &CertView<'_>,
    si: &SignerInfo<'_>,
    computed: &Computed<'_>,
) -> Result<(), VerifyError> {
    let pk = raw_key(cert.spki).ok_or_else(|| VerifyError::Bad("not an ML-DSA key".into()))?;
    let mu = computed
        .extra(&ExtraKind::Mu(pk.clone()))
        .ok_or_else(|| VerifyError::Bad("μ was not computed for this key".into()))?;
    let mu: [u8; 64] = mu
        .try_into()
        .map_err(|_| VerifyError::Bad("μ is not 64 bytes".into()))?;
    mldsa::verify_mu(set, &pk, &mu, si.signature).map_err(|p| match p {
        MlDsaProblem::KeyLength(n) => VerifyError::Bad(format!("{set} key of {n} bytes")),
        MlDsaProblem::SignatureLength(n) => {
            VerifyError::Bad(format!("{set} signature of {n} bytes"))
        }
        MlDsaProblem::Invalid => VerifyError::Bad(format!("{set} signature does not verify")),
    })
}

/// Whether a PASSED PKCS#7 blob is post-quantum throughout (`--only-pq`):
/// every SignerInfo is ML-DSA, and every certificate (embedded or trusted)
/// whose subject is on a verified path is ML-DSA-signed with an ML-DSA key.
/// Judged by subject, so a classical certificate sharing a subject with a
/// path certificate makes the blob fail (fail closed).
pub(crate) fn post_quantum(
    sig: &[u8],
    verified: &crate::engine::Verified,
    trust: &crate::trust::TrustStore,
    limits: &crate::Limits,
) -> bool {
    let Ok(der) = super::parse::decode_pem_or_der(sig) else {
        return false;
    };
    let Ok(sd) = super::parse::parse(&der, limits) else {
        return false;
    };
    if !sd
        .signers
        .iter()
        .all(|s| MlDsaSet::from_oid(&s.sig_alg.oid).is_some())
    {
        return false;
    }
    let embedded = sd
        .certs
        .iter()
        .filter_map(|d| CertView::parse(d).ok())
        .collect();
    let pool = crate::trust::x509::chain::pool(embedded, trust, &sd.signer_names());
    verified.chain.iter().all(|entry| {
        let crate::engine::ChainEntry::Dn(subject) = entry else {
            return true;
        };
        pool.iter()
            .filter(|p| p.cert.subject_str() == *subject)
            .all(|p| {
                MlDsaSet::from_oid(&p.cert.sig_alg.oid).is_some() && raw_key(p.cert.spki).is_some()
            })
    })
}

/// Whether the trust store holds a certificate whose own signature
/// algorithm is ML-DSA (libjcat's `ONLY_PQ` trust-list filter).
pub(crate) fn has_pq_anchor(trust: &crate::trust::TrustStore) -> bool {
    // Decided per certificate at load, so a bundle is not parsed again for
    // every item.
    trust.certs.iter().any(|t| t.mldsa_signed && t.usable())
}
