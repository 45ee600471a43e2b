//! One detached signature over bytes in memory, judged under a [`Policy`]:
//! the library entry point for callers (tests, fuzz targets, tools) that
//! hold a signature and its payload rather than a catalog item. It is the
//! same engine path [`super::verify_item`] takes for a signature blob
//! (`engine::prepare`, then one pass over the payload), so the verdict
//! (and its [`SigError`] variant) is what `jcat-tool verify` reports.

use crate::engine::{self, SigError, Verified, VerifyContext};
use crate::model::BlobKind;
use crate::trust::TrustStore;

use super::Policy;

/// Verifies one detached signature blob of `kind` (`Pkcs7`, `Gpg` or
/// `Ed25519`) over `payload`, against `trust`.
///
/// Of the policy, only [`Policy::time`], [`Policy::chain`] and
/// [`Policy::limits`] apply: the other rules (kind filter, signature
/// counts, required signers, transparency) judge whole items and are
/// [`super::verify_item`]'s.
///
/// Errors: [`SigError::Limit`] when `sig` exceeds
/// [`crate::Limits::max_signature_size`], [`SigError::Unsupported`] when
/// `kind` is not a signature kind (checksums are not verified here), and
/// otherwise the engine's verdict (`BadSignature`, `Untrusted`, …).
///
/// ```
/// use jcat_core::reasons::SignedBy;
/// use jcat_core::sign::ed25519_sign;
/// use jcat_core::verify::{verify_signature, Policy};
/// use jcat_core::{BlobKind, Payload, SigError, TimeCheck, TrustStore};
///
/// let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
/// let sig = ed25519_sign(&key, Payload::Bytes(b"firmware")).unwrap();
/// let mut trust = TrustStore::new();
/// trust.add_ed25519(key.verifying_key().as_bytes()).unwrap();
/// let policy = Policy::new(TimeCheck::Disabled);
///
/// let ok = verify_signature(BlobKind::Ed25519, &sig, b"firmware", &trust, &policy);
/// assert!(ok.is_ok());
/// let bad = verify_signature(BlobKind::Ed25519, &sig, b"firmwarX", &trust, &policy);
/// assert!(matches!(
///     bad,
///     Err(SigError::BadSignature { by: SignedBy::AnyTrustedKey })
/// ));
/// ```
pub fn verify_signature(
    kind: BlobKind,
    sig: &[u8],
    payload: &[u8],
    trust: &TrustStore,
    policy: &Policy,
) -> Result<Verified, SigError> {
    let run = crate::trust::context::RunState::new();
    let ctx = VerifyContext {
        trust,
        time: policy.time,
        chain: policy.chain,
        limits: &policy.limits,
        run: &run,
    };
    engine::prepare(kind, sig, &ctx).and_then(|check| engine::check_bytes(check, payload, &ctx))
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::SigningKey;

    use super::*;
    use crate::engine::ed25519::sign;
    use crate::engine::{LimitName, SignedBy, Unsupported};
    use crate::TimeCheck;

    fn setup() -> (Vec<u8>, TrustStore) {
        let key = SigningKey::from_bytes(&[9u8; 32]);
        let mut trust = TrustStore::new();
        assert!(trust.add_ed25519(key.verifying_key().as_bytes()).is_ok());
        (sign(&key, b"payload"), trust)
    }

    #[test]
    fn a_good_ed25519_signature_passes() {
        let (sig, trust) = setup();
        let policy = Policy::new(TimeCheck::Disabled);
        let v = verify_signature(BlobKind::Ed25519, &sig, b"payload", &trust, &policy);
        assert!(
            matches!(v, Ok(Verified { ref keys, .. }) if keys.len() == 1),
            "{v:?}"
        );
    }

    #[test]
    fn a_tampered_payload_is_a_bad_signature() {
        let (sig, trust) = setup();
        let policy = Policy::new(TimeCheck::At(1_700_000_000));
        let v = verify_signature(BlobKind::Ed25519, &sig, b"payloaX", &trust, &policy);
        assert!(
            matches!(
                v,
                Err(SigError::BadSignature {
                    by: SignedBy::AnyTrustedKey
                })
            ),
            "{v:?}"
        );
    }

    #[test]
    fn an_untrusted_key_is_not_a_pass() {
        let (sig, _) = setup();
        let policy = Policy::new(TimeCheck::Disabled);
        let v = verify_signature(
            BlobKind::Ed25519,
            &sig,
            b"payload",
            &TrustStore::new(),
            &policy,
        );
        assert!(
            matches!(v, Err(SigError::Untrusted(crate::reasons::Signer::NoKeys))),
            "{v:?}"
        );
    }

    #[test]
    fn a_checksum_kind_is_unsupported() {
        let (_, trust) = setup();
        let policy = Policy::new(TimeCheck::Disabled);
        let v = verify_signature(BlobKind::Sha256, b"00", b"payload", &trust, &policy);
        assert!(
            matches!(
                v,
                Err(SigError::Unsupported(Unsupported::NotASignatureKind(
                    BlobKind::Sha256
                )))
            ),
            "{v:?}"
        );
    }

    #[test]
    fn an_over_limit_signature_is_refused_before_parsing() {
        let (sig, trust) = setup();
        let mut policy = Policy::new(TimeCheck::Disabled);
        policy.limits.max_signature_size = sig.len() - 1;
        let v = verify_signature(BlobKind::Ed25519, &sig, b"payload", &trust, &policy);
        assert!(
            matches!(
                v,
                Err(SigError::Limit {
                    limit: LimitName::SignatureSize,
                    value,
                    max,
                }) if value == sig.len() && max == sig.len() - 1
            ),
            "{v:?}"
        );
    }
}
