//! Which trusted key made a signature, and whether that key (or subkey) was
//! valid: binding signatures, key flags, expiry and revocation.
//!
//! Rules (documented decisions):
//! * the issuer is found by the Issuer Fingerprint or Issuer Key ID
//!   subpackets (hashed or not: they are only hints, the cryptographic check
//!   decides); several trusted copies of a key are all tried;
//! * a subkey needs a valid binding signature from its primary key, the
//!   signing flag when the binding carries key flags, and a valid embedded
//!   primary-key binding ("back signature"), as GnuPG requires;
//! * a primary key that signs needs the signing flag when its newest
//!   self-signature carries key flags;
//! * revocation: a valid key (or subkey) revocation signature on **any**
//!   trusted copy of the key revokes it, whatever the time, except a "key
//!   superseded" or "key retired" revocation, which only affects signatures
//!   made after the revocation (RFC 9580 §5.2.3.31);
//! * expiry: with [`TimeCheck::At`] the newest self-signature (or binding)
//!   made at or before that time gives the key expiration; the signature's
//!   own expiration is honoured and it must not be made after the time
//!   (allowing [`CLOCK_SKEW`]). [`TimeCheck::Disabled`] skips all of these.

use pgp::composed::SignedPublicSubKey;
use pgp::packet::{
    KeyFlags, RevocationCode, Signature, SignatureType, SignatureVersion, SubpacketData,
};
use pgp::types::{KeyDetails, KeyVersion, Tag, VerifyingKey as _};

use super::issuer::{matches_issuer, Candidate};
use super::PgpError;
use crate::engine::{Malformed, SigError, Unsupported};
use crate::time::TimeCheck;
use crate::trust::context::VerifyContext;
use crate::trust::pgp_keys::{fingerprint_hex, hashed, PgpPublicKey};
use crate::trust::pgp_policy;

fn pgp_err(e: PgpError) -> SigError {
    SigError::OpenPgp(e)
}

/// How far in the future of the verification time a signature may be made.
pub const CLOCK_SKEW: i64 = 300;

/// A signature that verified with a valid key.
pub(super) struct Good {
    /// Fingerprint of the key or subkey that verified.
    pub signer_fpr: String,
    /// Fingerprint of the primary key.
    pub primary_fpr: String,
    /// Fingerprint of the subkey, when a subkey verified.
    pub subkey_fpr: Option<String>,
    /// The primary key's certified user IDs.
    pub user_ids: Vec<String>,
    /// Signature creation time (0 when absent).
    pub created: i64,
}

fn secs(t: Option<pgp::types::Timestamp>) -> Option<i64> {
    t.map(|t| i64::from(t.as_secs()))
}

fn versions_agree(sig: &Signature, key: &impl KeyDetails) -> bool {
    (sig.version() == SignatureVersion::V6) == (key.version() == KeyVersion::V6)
}

/// Finds which of the `candidates` made `sig` (whose full hash is `hash`)
/// and checks that it was valid.
pub(super) fn check_signature(
    sig: &Signature,
    hash: &[u8],
    candidates: Vec<Candidate<'_>>,
    ctx: &VerifyContext<'_>,
) -> Result<Good, SigError> {
    let config = sig
        .config()
        .ok_or(SigError::Unsupported(Unsupported::PgpUnknownVersion))?;
    let sig_bytes = sig
        .signature()
        .ok_or(SigError::Malformed(Malformed::PgpNoSignatureData))?;
    let prefix_ok = sig.signed_hash_value().as_ref().map(|v| v.as_slice()) == hash.get(..2);
    let mut first_err: Option<SigError> = None;
    for (k, sub) in candidates {
        let (fpr, verified) = match sub {
            None => (
                fingerprint_hex(&k.key.primary_key.fingerprint()),
                versions_agree(sig, &k.key.primary_key)
                    && k.key
                        .primary_key
                        .verify(config.hash_alg, hash, sig_bytes)
                        .is_ok(),
            ),
            Some(sk) => (
                fingerprint_hex(&sk.key.fingerprint()),
                versions_agree(sig, &sk.key)
                    && sk.key.verify(config.hash_alg, hash, sig_bytes).is_ok(),
            ),
        };
        if !(prefix_ok && verified) {
            SigError::keep_most_specific(
                &mut first_err,
                pgp_err(PgpError::BadSignature { fingerprint: fpr }),
            );
            continue;
        }
        match validate(k, sub, sig, &fpr, ctx) {
            Ok(g) => return Ok(g),
            Err(e) => SigError::keep_most_specific(&mut first_err, e),
        }
    }
    Err(first_err.unwrap_or_else(|| {
        pgp_err(PgpError::BadSignature {
            fingerprint: String::new(),
        })
    }))
}

/// Whether a revocation made at `revoked` applies to a signature made at `created`.
fn revocation_applies(rev: &Signature, created: Option<i64>) -> bool {
    let soft = matches!(
        rev.revocation_reason_code(),
        Some(RevocationCode::KeySuperseded | RevocationCode::KeyRetired)
    );
    if !soft {
        return true;
    }
    match (secs(rev.created()), created) {
        (Some(r), Some(c)) => r <= c,
        _ => true,
    }
}

fn key_flags(sig: &Signature) -> Option<KeyFlags> {
    hashed(sig, |sp| match &sp.data {
        SubpacketData::KeyFlags(f) => Some(f.clone()),
        _ => None,
    })
}

fn not_after(sig: &Signature, time: TimeCheck) -> bool {
    match time {
        TimeCheck::At(t) => secs(sig.created()).is_none_or(|c| c <= t),
        TimeCheck::Disabled => true,
    }
}

fn newer<'a>(best: Option<&'a Signature>, cand: &'a Signature) -> Option<&'a Signature> {
    match best {
        Some(b) if secs(b.created()) >= secs(cand.created()) => Some(b),
        _ => Some(cand),
    }
}

/// The newest valid self-signature of the primary key (direct-key or user ID
/// certification) made at or before the verification time.
fn primary_self_sig(k: &PgpPublicKey, time: TimeCheck) -> Option<&Signature> {
    let primary = &k.key.primary_key;
    let mut best = None;
    for s in &k.key.details.direct_signatures {
        if s.typ() == Some(SignatureType::Key)
            && not_after(s, time)
            && pgp_policy::self_sig_ok(s)
            && s.verify_key(primary).is_ok()
        {
            best = newer(best, s);
        }
    }
    for u in &k.key.details.users {
        for s in &u.signatures {
            if s.is_certification()
                && s.typ() != Some(SignatureType::CertRevocation)
                && not_after(s, time)
                && matches_issuer(s, primary)
                && pgp_policy::self_sig_ok(s)
                && s.verify_certification(primary, Tag::UserId, &u.id).is_ok()
            {
                best = newer(best, s);
            }
        }
    }
    best
}

fn expired(created_at: pgp::types::Timestamp, sig: Option<&Signature>, t: i64) -> bool {
    sig.and_then(|s| s.key_expiration_time())
        .map(|d| i64::from(d.as_secs()))
        .is_some_and(|d| d > 0 && i64::from(created_at.as_secs()) + d <= t)
}

fn validate(
    k: &PgpPublicKey,
    sub: Option<&SignedPublicSubKey>,
    sig: &Signature,
    fpr: &str,
    ctx: &VerifyContext<'_>,
) -> Result<Good, SigError> {
    let created = secs(sig.created());
    let signer_created = match sub {
        None => k.key.primary_key.created_at(),
        Some(sk) => sk.key.created_at(),
    };
    if created.is_some_and(|c| c < i64::from(signer_created.as_secs())) {
        return Err(pgp_err(PgpError::MadeBeforeKey {
            fingerprint: fpr.to_string(),
        }));
    }
    if let TimeCheck::At(t) = ctx.time {
        if let Some(c) = created.filter(|c| *c > t + CLOCK_SKEW) {
            return Err(pgp_err(PgpError::MadeAfterVerificationTime {
                fingerprint: fpr.to_string(),
                created: c,
                time: t,
            }));
        }
        let sig_exp = sig
            .signature_expiration_time()
            .map(|d| i64::from(d.as_secs()));
        if let (Some(c), Some(d)) = (created, sig_exp) {
            if d > 0 && c + d <= t {
                return Err(pgp_err(PgpError::Expired {
                    fingerprint: fpr.to_string(),
                }));
            }
        }
    }
    component_valid(k, sub, fpr, created, ctx.time, &ctx.trust.pgp)?;
    Ok(Good {
        signer_fpr: fpr.to_string(),
        primary_fpr: k.fingerprint(),
        subkey_fpr: sub.map(|_| fpr.to_string()),
        user_ids: k.user_ids().to_vec(),
        created: created.unwrap_or(0),
    })
}

/// Whether the primary key (`sub` = `None`) or a subkey of `k` may make a
/// data signature at `created`, judged at `time`: not revoked (on any of the
/// trusted copies in `all`), bound, signing-capable, not expired.
/// `fpr` (the component's fingerprint) names it in errors.
pub(crate) fn component_valid(
    k: &PgpPublicKey,
    sub: Option<&SignedPublicSubKey>,
    fpr: &str,
    created: Option<i64>,
    time: TimeCheck,
    all: &[PgpPublicKey],
) -> Result<(), SigError> {
    let primary = &k.key.primary_key;
    let primary_fpr = k.fingerprint();
    let expired_err = || {
        pgp_err(PgpError::Expired {
            fingerprint: fpr.to_string(),
        })
    };
    let revoked_err = || {
        pgp_err(PgpError::Revoked {
            fingerprint: fpr.to_string(),
        })
    };
    // Revocation of the primary key, on any trusted copy of it.
    let copies = all
        .iter()
        .chain(std::iter::once(k))
        .filter(|c| c.key.primary_key.fingerprint() == primary.fingerprint());
    for copy in copies.clone() {
        let revs = copy
            .key
            .details
            .revocation_signatures
            .iter()
            .chain(copy.key.details.direct_signatures.iter());
        for r in revs {
            if r.typ() == Some(SignatureType::KeyRevocation)
                && revocation_applies(r, created)
                && r.verify_key(primary).is_ok()
            {
                return Err(revoked_err());
            }
        }
    }
    let Some(self_sig) = primary_self_sig(k, time) else {
        return Err(pgp_err(PgpError::NoValidSelfSignature {
            fingerprint: primary_fpr,
        }));
    };
    if let TimeCheck::At(t) = time {
        if expired(primary.created_at(), Some(self_sig), t) {
            return Err(expired_err());
        }
    }
    let Some(sk) = sub else {
        if key_flags(self_sig).is_some_and(|f| !f.sign()) {
            return Err(pgp_err(PgpError::KeyCannotSign {
                fingerprint: fpr.to_string(),
            }));
        }
        return Ok(());
    };
    // Subkey: revocations on any copy, then the newest valid binding.
    for copy in copies {
        let same = copy
            .key
            .public_subkeys
            .iter()
            .filter(|c| c.key.fingerprint() == sk.key.fingerprint());
        for csk in same {
            for r in &csk.signatures {
                if r.typ() == Some(SignatureType::SubkeyRevocation)
                    && revocation_applies(r, created)
                    && r.verify_subkey_binding(primary, &sk.key).is_ok()
                {
                    return Err(revoked_err());
                }
            }
        }
    }
    let mut binding = None;
    for s in &sk.signatures {
        if s.typ() == Some(SignatureType::SubkeyBinding)
            && not_after(s, time)
            && pgp_policy::self_sig_ok(s)
            && s.verify_subkey_binding(primary, &sk.key).is_ok()
        {
            binding = newer(binding, s);
        }
    }
    let Some(binding) = binding else {
        return Err(pgp_err(PgpError::UnboundSubkey {
            subkey: fpr.to_string(),
            primary: primary_fpr,
        }));
    };
    if key_flags(binding).is_some_and(|f| !f.sign()) {
        return Err(pgp_err(PgpError::SubkeyCannotSign {
            fingerprint: fpr.to_string(),
        }));
    }
    let back_ok = binding.embedded_signature().is_some_and(|b| {
        pgp_policy::self_sig_ok(b) && b.verify_primary_key_binding(&sk.key, primary).is_ok()
    });
    if !back_ok {
        return Err(pgp_err(PgpError::NotCrossCertified {
            subkey: fpr.to_string(),
        }));
    }
    if let TimeCheck::At(t) = time {
        if expired(sk.key.created_at(), Some(binding), t) {
            return Err(expired_err());
        }
    }
    Ok(())
}
