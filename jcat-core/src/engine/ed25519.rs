//! Raw Ed25519 signatures (64 bytes) over the payload, pure EdDSA, streamed.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::{KeyId, PayloadCheck, SigError, Verified, VerifyContext};
use crate::digest::{hex, DigestAlg, DigestSet};

struct Ed25519Check {
    /// One streaming verifier per trusted key (pure Ed25519 hashes R‖A‖M).
    streams: Vec<(VerifyingKey, ed25519_dalek::StreamVerifier)>,
}

/// Parses a raw 64-byte signature and prepares one streaming verifier per key.
pub fn prepare(sig: &[u8], ctx: &VerifyContext<'_>) -> Result<Box<dyn PayloadCheck>, SigError> {
    let bytes: [u8; 64] = sig.try_into().map_err(|_| {
        SigError::Malformed(format!(
            "an Ed25519 signature is 64 bytes, not {}",
            sig.len()
        ))
    })?;
    if ctx.trust.ed25519.is_empty() {
        return Err(SigError::Untrusted("no keys in keyring".into()));
    }
    let signature = Signature::from_bytes(&bytes);
    let mut streams = Vec::new();
    for key in &ctx.trust.ed25519 {
        if let Ok(s) = key.verify_stream(&signature) {
            streams.push((*key, s));
        }
    }
    Ok(Box::new(Ed25519Check { streams }))
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
                    keys: vec![KeyId(format!("ed25519:{}", hex(key.as_bytes())))],
                    chain: vec![hex(key.as_bytes())],
                });
            }
        }
        Err(SigError::BadSignature("failed to verify data".into()))
    }
}

/// Errors loading Ed25519 key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ed25519KeyError {
    /// The public key file is not 32 bytes or not a valid point.
    #[error("invalid Ed25519 public key: {0}")]
    Public(String),
    /// The secret key file is not 32 (seed) or 64 (seed‖public) bytes.
    #[error("invalid Ed25519 secret key: {0}")]
    Secret(String),
    /// The secret key does not belong to the public key.
    #[error("the Ed25519 secret key does not match the public key")]
    Mismatch,
}

/// Builds a signing key from a raw public key and a raw 32-byte seed or a
/// 64-byte seed‖public secret, refusing a mismatched pair.
pub fn signing_key(public: &[u8], secret: &[u8]) -> Result<SigningKey, Ed25519KeyError> {
    let pub_bytes: [u8; 32] = public
        .try_into()
        .map_err(|_| Ed25519KeyError::Public(format!("expected 32 bytes, got {}", public.len())))?;
    let vk =
        VerifyingKey::from_bytes(&pub_bytes).map_err(|e| Ed25519KeyError::Public(e.to_string()))?;
    let sk = match secret.len() {
        32 => {
            let mut seed = [0u8; 32];
            seed.copy_from_slice(secret);
            SigningKey::from_bytes(&seed)
        }
        64 => {
            let mut kp = [0u8; 64];
            kp.copy_from_slice(secret);
            SigningKey::from_keypair_bytes(&kp).map_err(|_| Ed25519KeyError::Mismatch)?
        }
        n => {
            return Err(Ed25519KeyError::Secret(format!(
                "expected 32 or 64 bytes, got {n}"
            )))
        }
    };
    if sk.verifying_key() != vk {
        return Err(Ed25519KeyError::Mismatch);
    }
    Ok(sk)
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
            Err(SigError::BadSignature("failed to verify data".into()))
        );
    }

    #[test]
    fn no_keys_and_bad_length() {
        let trust = TrustStore::new();
        let limits = Limits::default();
        assert_eq!(
            prepare(&[0u8; 64], &ctx(&trust, &limits)).err(),
            Some(SigError::Untrusted("no keys in keyring".into()))
        );
        assert!(matches!(
            prepare(&[0u8; 63], &ctx(&trust, &limits)),
            Err(SigError::Malformed(_))
        ));
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
