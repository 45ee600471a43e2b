//! OpenPGP detached signatures made with an exported secret key
//! (`gpg --export-secret-keys`, armored or binary, unprotected or protected
//! with a passphrase).
//!
//! The payload is hashed in one streamed pass (SHA-256); the signature packet
//! is then built from that digest (version 4 keys: a v4 signature; version 6
//! keys: a salted v6 signature). Output: an armored detached signature
//! (`-----BEGIN PGP SIGNATURE-----`) that `gpg --verify` and the reference
//! `jcat-tool verify` accept.

use pgp::composed::{ArmorOptions, Deserializable as _, DetachedSignature, SignedSecretKey};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{Signature, SignatureConfig, SignatureType, Subpacket, SubpacketData};
use pgp::types::{KeyDetails, KeyVersion, Password, SigningKey, Timestamp};
use rand_core::RngCore as _;

use super::{CertProblem, Encoding, PrivateKeyProblem, SignError};
use crate::digest::{DigestAlg, HashState};
use crate::engine::pgp::{finish_hash, validity};
use crate::payload::Payload;
use crate::time::TimeCheck;
use crate::trust::pgp_keys::{armor_blocks, fingerprint_hex, parse_public_keys, PgpPublicKey};

fn parse_secret(bytes: &[u8]) -> Result<SignedSecretKey, SignError> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let body = bytes.get(start..).unwrap_or_default();
    let bad = |e: pgp::errors::Error| {
        SignError::PrivateKey(PrivateKeyProblem::InvalidPgp {
            reason: e.to_string(),
        })
    };
    if body.first().is_some_and(|b| b & 0x80 != 0) {
        return SignedSecretKey::from_bytes(body).map_err(bad);
    }
    let blocks = armor_blocks(body);
    if let Some(b) = blocks.iter().find(|b| b.label == "PGP PRIVATE KEY BLOCK") {
        return SignedSecretKey::from_armor_single(b.text)
            .map(|(k, _)| k)
            .map_err(bad);
    }
    Err(SignError::PrivateKey(match blocks.first() {
        Some(b) => PrivateKeyProblem::WrongPgpBlock {
            label: b.label.to_string(),
        },
        None => PrivateKeyProblem::NotPgp,
    }))
}

/// The component that signs: the newest usable signing subkey, else the
/// primary key. Returns the public view's subkey index (`None` = primary).
fn pick_signer(
    public: &PgpPublicKey,
    secret: &SignedSecretKey,
    now: i64,
) -> Result<Option<usize>, SignError> {
    let all = std::slice::from_ref(public);
    let mut best: Option<(usize, u32)> = None;
    for (i, sk) in public.key.public_subkeys.iter().enumerate() {
        let fpr = fingerprint_hex(&sk.key.fingerprint());
        let has_secret = secret
            .secret_subkeys
            .iter()
            .any(|s| s.key.fingerprint() == sk.key.fingerprint());
        if has_secret
            && validity::component_valid(public, Some(sk), &fpr, Some(now), TimeCheck::At(now), all)
                .is_ok()
        {
            let created = sk.key.created_at().as_secs();
            if best.is_none_or(|(_, c)| created >= c) {
                best = Some((i, created));
            }
        }
    }
    if let Some((i, _)) = best {
        return Ok(Some(i));
    }
    let fpr = public.fingerprint();
    validity::component_valid(public, None, &fpr, Some(now), TimeCheck::At(now), all)
        .map(|()| None)
        .map_err(|e| SignError::PgpCannotSign {
            fingerprint: fpr.clone(),
            reason: e.to_string(),
        })
}

fn sign_digest(
    key: &dyn SigningKey,
    pw: &Password,
    encrypted: bool,
    hash: &[u8],
) -> Result<pgp::types::SignatureBytes, SignError> {
    key.sign(pw, HashAlgorithm::Sha256, hash).map_err(|e| {
        let (fingerprint, reason) = (fingerprint_hex(&key.fingerprint()), e.to_string());
        if encrypted {
            SignError::PgpLocked {
                fingerprint,
                reason,
            }
        } else {
            SignError::PgpSigning {
                fingerprint,
                reason,
            }
        }
    })
}

/// Signs `payload` with an exported OpenPGP secret key, giving an armored
/// detached signature (SHA-256, creation time `now`).
///
/// `public_key` must hold the public key of `secret_key` (refused with
/// [`SignError::PgpKeyMismatch`] otherwise). The signer is the newest valid
/// signing subkey that has secret material, else the primary key. An empty
/// payload is [`SignError::NothingToDo`].
pub fn sign(
    payload: Payload<'_>,
    public_key: &[u8],
    secret_key: &[u8],
    passphrase: Option<&str>,
    now: i64,
) -> Result<Vec<u8>, SignError> {
    let created = u32::try_from(now).map_err(|_| SignError::PgpTimeRange { now })?;
    let secret = parse_secret(secret_key)?;
    let secret_fpr = fingerprint_hex(&secret.primary_key.fingerprint());
    let publics = parse_public_keys(public_key).map_err(|e| {
        SignError::cert(CertProblem::InvalidPgp {
            reason: e.to_string(),
        })
    })?;
    if publics.is_empty() {
        return Err(SignError::cert(CertProblem::NotPgp));
    }
    let public = publics
        .into_iter()
        .find(|k| k.fingerprint() == secret_fpr)
        .ok_or_else(|| SignError::PgpKeyMismatch {
            fingerprint: secret_fpr.clone(),
        })?;
    let signer = pick_signer(&public, &secret, now)?;
    let (key, verifier): (&dyn SigningKey, Box<dyn pgp::types::VerifyingKey>) = match signer {
        None => (
            &secret.primary_key,
            Box::new(public.key.primary_key.clone()),
        ),
        Some(i) => {
            let pk = public
                .key
                .public_subkeys
                .get(i)
                .ok_or(SignError::Internal("subkey vanished"))?;
            let sk = secret
                .secret_subkeys
                .iter()
                .find(|s| s.key.fingerprint() == pk.key.fingerprint())
                .ok_or(SignError::Internal("subkey secret vanished"))?;
            (&sk.key, Box::new(pk.key.clone()))
        }
    };
    let encrypted = match signer {
        None => secret.primary_key.secret_params().is_encrypted(),
        Some(_) => secret
            .secret_subkeys
            .iter()
            .find(|s| s.key.fingerprint() == key.fingerprint())
            .is_some_and(|s| s.key.secret_params().is_encrypted()),
    };
    let pw = passphrase.map(Password::from).unwrap_or_default();

    let sub = |d| Subpacket::regular(d).map_err(SignError::encode(Encoding::PgpPacket));
    let (mut config, mut state) = match key.version() {
        KeyVersion::V4 => (
            SignatureConfig::v4(
                SignatureType::Binary,
                key.algorithm(),
                HashAlgorithm::Sha256,
            ),
            HashState::new(DigestAlg::Sha256),
        ),
        KeyVersion::V6 => {
            let mut salt = vec![0u8; HashAlgorithm::Sha256.salt_len().unwrap_or(16)];
            rand_core::OsRng.fill_bytes(&mut salt);
            let mut state = HashState::new(DigestAlg::Sha256);
            state.update(&salt);
            let config = SignatureConfig::v6_with_salt(
                SignatureType::Binary,
                key.algorithm(),
                HashAlgorithm::Sha256,
                salt,
            );
            (config, state)
        }
        v => {
            return Err(SignError::PgpKeyVersion {
                version: format!("{v:?}"),
            })
        }
    };
    config.hashed_subpackets = vec![
        sub(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
            created,
        )))?,
        sub(SubpacketData::IssuerFingerprint(key.fingerprint()))?,
    ];
    if key.version() == KeyVersion::V4 {
        config.unhashed_subpackets = vec![sub(SubpacketData::IssuerKeyId(key.legacy_key_id()))?];
    }

    let len = payload.for_each_chunk(|c| state.update(c))?;
    if len == 0 {
        return Err(SignError::NothingToDo);
    }
    let hash = finish_hash(&config, state).map_err(SignError::encode(Encoding::PgpPacket))?;
    let prefix: [u8; 2] = hash
        .get(..2)
        .and_then(|p| p.try_into().ok())
        .ok_or(SignError::Internal("short digest"))?;
    let bytes = sign_digest(key, &pw, encrypted, &hash)?;
    verifier
        .verify(HashAlgorithm::Sha256, &hash, &bytes)
        .map_err(|e| SignError::SelfCheck {
            reason: e.to_string(),
        })?;
    let sig = Signature::from_config(config, prefix, bytes)
        .map_err(SignError::encode(Encoding::PgpPacket))?;
    DetachedSignature::new(sig)
        .to_armored_bytes(ArmorOptions::default())
        .map_err(SignError::encode(Encoding::PgpArmor))
}
