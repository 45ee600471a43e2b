//! Raw Ed25519 signatures (64 bytes) over the payload, pure EdDSA, streamed.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::reasons::{self, Malformed, SignedBy};
use super::{ChainEntry, KeyId, PayloadCheck, SigError, Verified, VerifyContext};
// Transitional re-exports: the key primitives live in the trust layer
// (`trust::ed25519_raw`), which loads keys without the engine.
use crate::digest::{DigestAlg, DigestSet};
pub use crate::trust::ed25519_raw::{
    parse_public_key, signing_key, Ed25519KeyError, SecretKeyEvidence,
};

struct Ed25519Check {
    /// One streaming verifier per trusted key (pure Ed25519 hashes R‖A‖M).
    streams: Vec<(VerifyingKey, ed25519_dalek::StreamVerifier)>,
}

/// Parses a raw 64-byte signature and prepares one streaming verifier per key.
///
/// Verification is strict (as `verify_strict`): the scalar `S` must be
/// canonical, `R` must be a canonical encoding of a point that is not of small
/// order, and weak (small-order) keys never verify — the trust store refuses
/// them when loading, and they are skipped here as well.
pub fn prepare(sig: &[u8], ctx: &VerifyContext<'_>) -> Result<Box<dyn PayloadCheck>, SigError> {
    let bytes: [u8; 64] = sig
        .try_into()
        .map_err(|_| SigError::Malformed(Malformed::Ed25519Length(sig.len())))?;
    if ctx.trust.ed25519.is_empty() {
        return Err(SigError::Untrusted(reasons::Signer::NoKeys));
    }
    let signature = Signature::from_bytes(&bytes);
    let mut streams = Vec::new();
    if r_is_acceptable(&signature) {
        for key in ctx.trust.ed25519.iter().filter(|k| !k.is_weak()) {
            if let Ok(s) = key.verify_stream(&signature) {
                streams.push((*key, s));
            }
        }
    }
    Ok(Box::new(Ed25519Check { streams }))
}

/// Whether the signature's `R` decodes to a point that is not of small order
/// (the strict check; a non-canonical `R` encoding then fails the final
/// comparison, which is made on canonical bytes).
fn r_is_acceptable(signature: &Signature) -> bool {
    VerifyingKey::from_bytes(signature.r_bytes()).is_ok_and(|r| !r.is_weak())
}

impl PayloadCheck for Ed25519Check {
    fn digests_needed(&self) -> Vec<DigestAlg> {
        Vec::new()
    }
    fn wants_raw(&self) -> bool {
        true
    }
    fn update(&mut self, chunk: &[u8]) {
        for (_, s) in &mut self.streams {
            s.update(chunk);
        }
    }
    fn finish(
        self: Box<Self>,
        _digests: &DigestSet,
        _ctx: &VerifyContext<'_>,
    ) -> Result<Verified, SigError> {
        for (key, stream) in self.streams {
            if stream.finalize_and_verify().is_ok() {
                return Ok(Verified {
                    authority: None,
                    timestamp: 0,
                    keys: vec![KeyId::Ed25519(key.to_bytes())],
                    chain: vec![ChainEntry::Ed25519Key(key.to_bytes())],
                });
            }
        }
        Err(SigError::BadSignature {
            by: SignedBy::AnyTrustedKey,
        })
    }
}

/// Signs `data` (pure Ed25519): the raw 64-byte signature.
pub fn sign(key: &SigningKey, data: &[u8]) -> Vec<u8> {
    key.sign(data).to_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trust::TrustStore;
    use crate::Limits;

    fn ctx<'a>(trust: &'a TrustStore, limits: &'a Limits) -> VerifyContext<'a> {
        VerifyContext {
            trust,
            time: super::super::TimeCheck::Disabled,
            chain: Default::default(),
            limits,
            // A test's run (leaked: a few bytes per test).
            run: Box::leak(Box::default()),
        }
    }

    #[test]
    fn sign_then_verify_streamed() {
        let sk = SigningKey::from_bytes(&[7u8; 32]);
        let mut trust = TrustStore::new();
        assert!(trust.add_ed25519(sk.verifying_key().as_bytes()).is_ok());
        let limits = Limits::default();
        let sig = sign(&sk, b"payload");
        let check = prepare(&sig, &ctx(&trust, &limits));
        let res =
            check.and_then(|c| super::super::check_bytes(c, b"payload", &ctx(&trust, &limits)));
        assert!(res.is_ok());
        let check = prepare(&sig, &ctx(&trust, &limits));
        let res =
            check.and_then(|c| super::super::check_bytes(c, b"payloaX", &ctx(&trust, &limits)));
        assert_eq!(
            res,
            Err(SigError::BadSignature {
                by: SignedBy::AnyTrustedKey,
            })
        );
    }

    #[test]
    fn no_keys_and_bad_length() {
        let trust = TrustStore::new();
        let limits = Limits::default();
        assert_eq!(
            prepare(&[0u8; 64], &ctx(&trust, &limits)).err(),
            Some(SigError::Untrusted(reasons::Signer::NoKeys))
        );
        assert!(matches!(
            prepare(&[0u8; 63], &ctx(&trust, &limits)),
            Err(SigError::Malformed(Malformed::Ed25519Length(_)))
        ));
    }

    /// Small-order points (the torsion subgroup), as constant bytes.
    const SMALL_ORDER: [&str; 7] = [
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
    ];

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn identity_key_and_its_universal_signature_are_refused() {
        let identity = unhex(SMALL_ORDER[0]);
        // R = identity, S = 0: the lenient equation [S]B = R + [k]A holds for
        // every message when A is the identity.
        let mut forged = [0u8; 64];
        forged[..32].copy_from_slice(&identity);
        let lenient = VerifyingKey::from_bytes(&identity.clone().try_into().unwrap()).unwrap();
        let mut stream = lenient
            .verify_stream(&Signature::from_bytes(&forged))
            .unwrap();
        stream.update(b"any payload at all");
        assert!(stream.finalize_and_verify().is_ok(), "the attack is real");
        let mut trust = TrustStore::new();
        assert_eq!(trust.add_ed25519(&identity), Err(Ed25519KeyError::WeakKey));
        assert_eq!(trust.ed25519_key_count(), 0);
        let limits = Limits::default();
        assert!(matches!(
            prepare(&forged, &ctx(&trust, &limits)),
            Err(SigError::Untrusted(reasons::Signer::NoKeys))
        ));
        // With a genuine key beside it the forgery does not verify either.
        let sk = SigningKey::from_bytes(&[3u8; 32]);
        assert!(trust.add_ed25519(sk.verifying_key().as_bytes()).is_ok());
        let res = prepare(&forged, &ctx(&trust, &limits))
            .and_then(|c| super::super::check_bytes(c, b"x", &ctx(&trust, &limits)));
        assert!(matches!(res, Err(SigError::BadSignature { .. })));
    }

    #[test]
    fn every_small_order_point_is_a_weak_key() {
        for p in SMALL_ORDER {
            assert_eq!(
                parse_public_key(&unhex(p)),
                Err(Ed25519KeyError::WeakKey),
                "{p}"
            );
        }
        // The identity with the sign bit set is a non-canonical encoding.
        let mut neg_zero = unhex(SMALL_ORDER[0]);
        neg_zero[31] |= 0x80;
        assert_eq!(
            parse_public_key(&neg_zero),
            Err(Ed25519KeyError::NonCanonical)
        );
    }

    #[test]
    fn non_canonical_and_invalid_encodings_are_refused() {
        // y + p for small y: decodes (reduced mod p) but is not canonical.
        let mut found = 0;
        for y in 2u8..=18 {
            let mut enc = [0xffu8; 32];
            enc[0] = 0xed + y;
            enc[31] = 0x7f;
            if VerifyingKey::from_bytes(&enc).is_ok_and(|k| !k.is_weak()) {
                assert_eq!(parse_public_key(&enc), Err(Ed25519KeyError::NonCanonical));
                found += 1;
            }
        }
        assert!(found > 0, "no non-canonical point of order > 8 found");
        let off_curve = (0u8..=255)
            .map(|b| [b; 32])
            .find(|k| VerifyingKey::from_bytes(k).is_err())
            .unwrap();
        assert_eq!(
            parse_public_key(&off_curve),
            Err(Ed25519KeyError::NotAPoint)
        );
        assert_eq!(
            parse_public_key(&[0u8; 31]),
            Err(Ed25519KeyError::WrongLength { len: 31 })
        );
        let sk = SigningKey::from_bytes(&[5u8; 32]);
        assert_eq!(
            parse_public_key(sk.verifying_key().as_bytes()),
            Ok(sk.verifying_key())
        );
    }

    #[test]
    fn small_order_r_is_refused() {
        let sk = SigningKey::from_bytes(&[4u8; 32]);
        let mut trust = TrustStore::new();
        assert!(trust.add_ed25519(sk.verifying_key().as_bytes()).is_ok());
        let limits = Limits::default();
        let mut sig = sign(&sk, b"payload");
        for p in SMALL_ORDER {
            sig[..32].copy_from_slice(&unhex(p));
            let res = prepare(&sig, &ctx(&trust, &limits))
                .and_then(|c| super::super::check_bytes(c, b"payload", &ctx(&trust, &limits)));
            assert_eq!(
                res,
                Err(SigError::BadSignature {
                    by: SignedBy::AnyTrustedKey,
                })
            );
        }
    }

    #[test]
    fn weak_public_key_cannot_sign() {
        let identity = unhex(SMALL_ORDER[0]);
        assert_eq!(
            signing_key(&identity, &[1u8; 32]).err(),
            Some(Ed25519KeyError::WeakKey)
        );
    }

    #[test]
    fn mismatched_pair_refused() {
        let a = SigningKey::from_bytes(&[1u8; 32]);
        let b = SigningKey::from_bytes(&[2u8; 32]);
        assert_eq!(
            signing_key(a.verifying_key().as_bytes(), &b.to_bytes()).err(),
            Some(Ed25519KeyError::Mismatch)
        );
        assert!(signing_key(a.verifying_key().as_bytes(), &a.to_bytes()).is_ok());
        assert!(signing_key(a.verifying_key().as_bytes(), &a.to_keypair_bytes()).is_ok());
        assert!(matches!(
            signing_key(a.verifying_key().as_bytes(), &[0u8; 5]),
            Err(Ed25519KeyError::Secret(_))
        ));
    }
}
