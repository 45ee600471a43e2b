//! Which trusted keys a signature's issuer subpackets name, and the
//! refusals that are decided from the issuer alone.

use pgp::composed::SignedPublicSubKey;
use pgp::packet::Signature;
use pgp::types::KeyDetails;

use super::{policy, PgpError};
use crate::engine::SigError;
use crate::trust::context::VerifyContext;
use crate::trust::pgp_keys::{fingerprint_hex, PgpPublicKey};

/// How a signature names its issuer: the issuer fingerprint when it carries
/// one (what gpgme reports), else the 16-hex key ID.
pub(super) fn issuer_label(sig: &Signature) -> String {
    if let Some(fp) = sig.issuer_fingerprint().first() {
        return fingerprint_hex(fp);
    }
    if let Some(id) = sig.issuer_key_id().first() {
        return id.to_string().to_uppercase();
    }
    "(unknown)".into()
}

/// Refuses a data signature with an unknown critical subpacket.
pub(super) fn check_critical(sig: &Signature) -> Result<(), SigError> {
    policy::check_critical(sig, &issuer_label(sig)).map_err(SigError::OpenPgp)
}

/// A trusted key (and subkey, if the issuer is a subkey) that may have made a signature.
pub(super) type Candidate<'a> = (&'a PgpPublicKey, Option<&'a SignedPublicSubKey>);

/// The trusted keys and subkeys the signature's issuer subpackets name (all
/// of them when it names none), or [`PgpError::UnknownKey`].
pub(super) fn candidates<'a>(
    sig: &Signature,
    ctx: &VerifyContext<'a>,
) -> Result<Vec<Candidate<'a>>, SigError> {
    let mut out: Vec<Candidate<'a>> = Vec::new();
    for k in &ctx.trust.pgp {
        if matches_issuer(sig, &k.key.primary_key) {
            out.push((k, None));
        }
        for sk in &k.key.public_subkeys {
            if matches_issuer(sig, &sk.key) {
                out.push((k, Some(sk)));
            }
        }
    }
    if out.is_empty() {
        return Err(SigError::OpenPgp(PgpError::UnknownKey {
            id: issuer_label(sig),
        }));
    }
    Ok(out)
}

/// The refusal of a data signature whose hash is too weak, naming the key.
pub(super) fn weak_hash(sig: &Signature, candidates: &[Candidate<'_>]) -> SigError {
    let signer = match candidates.first() {
        Some((_, Some(sk))) => fingerprint_hex(&sk.key.fingerprint()),
        Some((k, None)) => k.fingerprint(),
        None => issuer_label(sig),
    };
    SigError::OpenPgp(PgpError::WeakHash {
        signer,
        alg: sig
            .hash_alg()
            .unwrap_or(pgp::crypto::hash::HashAlgorithm::None),
    })
}

pub(super) fn matches_issuer(sig: &Signature, key: &impl KeyDetails) -> bool {
    let ids = sig.issuer_key_id();
    let fps = sig.issuer_fingerprint();
    if ids.is_empty() && fps.is_empty() {
        return true;
    }
    ids.iter().any(|id| **id == key.legacy_key_id())
        || fps.iter().any(|fp| **fp == key.fingerprint())
}
