//! PKCS#7 / CMS detached signatures (RFC 5652), GnuTLS-compatible results.
//!
//! * Input: PEM (`PKCS7` or `CMS` label) or DER `ContentInfo` of type
//!   signedData, detached only (a SignedData carrying its own content is
//!   [`SigError::Refused`]).
//! * Every SignerInfo must verify. With signed attributes, contentType must be
//!   id-data, messageDigest must equal the payload digest, and the signature
//!   covers the attributes as encoded (re-tagged as SET); without, it covers
//!   the payload digest.
//! * The signer certificate is found by issuerAndSerialNumber or
//!   subjectKeyIdentifier among the embedded certificates, then among the
//!   trusted ones (libjcat's self-sign output embeds nothing).
//! * Its chain must reach a trusted certificate (see
//!   [`crate::trust::x509`]); a trusted certificate may be the signer itself.
//! * Result: authority = issuer DN of the signer certificate in GnuTLS RFC 4514
//!   form (`""` for an empty DN), timestamp = newest signingTime (1 for a
//!   SignerInfo without one), one [`KeyId::X509`] (SHA-256 of the SPKI) per signer,
//!   chain = [`ChainEntry::Dn`] subjects of the newest signer's path, signer first, then
//!   subjects only other signers' paths hold.

pub(crate) mod digests;
pub(crate) mod mldsa;
mod owned;
pub(crate) mod parse;

use super::{
    ChainEntry, KeyId, Malformed, PayloadCheck, Refusal, SigError, SignedBy, Signer, Unsupported,
    Verified, VerifyContext,
};
use crate::digest::{hex, DigestAlg, DigestSet};
use crate::trust::x509::budget::Budget;
use crate::trust::x509::chain::{self, PoolCert};
use crate::trust::x509::ChainError;
use crate::x509::mldsa::MlDsaSet;
use crate::x509::pubkey::{self, Message, VerifyError};
use crate::x509::{cert::CertView, dn, tlv};

use digests::{CmsDigest, Extra, ExtraKind};
use parse::{Sid, SignerInfo};

struct Pkcs7Check {
    /// The blob, parsed once (in `prepare`).
    cms: owned::ParsedCms,
    digests: Vec<DigestAlg>,
    /// States this engine feeds itself: SHA-3/SHAKE digests and, for ML-DSA
    /// signers without signed attributes, μ per candidate key (external μ:
    /// constant memory, the same one pass).
    extras: Vec<(ExtraKind, Extra)>,
}

/// Parses a PEM or DER CMS SignedData into a check.
pub fn prepare(sig: &[u8], ctx: &VerifyContext<'_>) -> Result<Box<dyn PayloadCheck>, SigError> {
    let cms = owned::ParsedCms::parse(parse::decode_pem_or_der(sig)?, ctx.limits)?;
    let sd = cms.view();
    let mut digests: Vec<DigestAlg> = Vec::new();
    let mut kinds: Vec<ExtraKind> = Vec::new();
    let mut pool: Option<Vec<PoolCert<'_>>> = None;
    for s in &sd.signers {
        let mldsa = MlDsaSet::from_oid(&s.sig_alg.oid);
        if mldsa.is_some() && s.attrs.is_none() {
            // The signature covers the payload itself: one μ per key a
            // matching certificate holds.
            let pool = pool.get_or_insert_with(|| {
                let embedded = sd
                    .certs
                    .iter()
                    .filter_map(|d| CertView::parse(d).ok())
                    .collect();
                chain::pool(embedded, ctx.trust, &sd.signer_names())
            });
            for cand in pool.iter().filter(|c| matches(&s.sid, &c.cert)) {
                if let Some(pk) = mldsa::raw_key(cand.cert.spki) {
                    let kind = ExtraKind::Mu(pk);
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
            }
            continue;
        }
        match s.digest {
            Some(CmsDigest::Sha2(alg)) if !digests.contains(&alg) => digests.push(alg),
            Some(CmsDigest::Sha2(_)) | None => {}
            Some(d) => {
                let kind = ExtraKind::Digest(d);
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
        }
    }
    let extras = kinds
        .into_iter()
        .filter_map(|k| Extra::new(&k).map(|e| (k, e)))
        .collect();
    drop(pool);
    drop(sd);
    Ok(Box::new(Pkcs7Check {
        cms,
        digests,
        extras,
    }))
}

/// The payload's digests and μ values, once the pass is over.
pub(crate) struct Computed<'a> {
    set: &'a DigestSet,
    extras: Vec<(ExtraKind, Vec<u8>)>,
}

impl Computed<'_> {
    fn digest(&self, d: CmsDigest) -> Option<Vec<u8>> {
        match d {
            CmsDigest::Sha2(alg) => self.set.digest(alg),
            other => self.extra(&ExtraKind::Digest(other)),
        }
    }

    fn extra(&self, kind: &ExtraKind) -> Option<Vec<u8>> {
        self.extras
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, v)| v.clone())
    }
}

struct SignerOk {
    /// An ML-DSA signer in the GnuTLS form: signature and chain valid, but
    /// the messageDigest is empty.
    unbound: bool,
    authority: String,
    timestamp: i64,
    key: KeyId,
    chain: Vec<ChainEntry>,
}

impl PayloadCheck for Pkcs7Check {
    fn digests_needed(&self) -> Vec<DigestAlg> {
        self.digests.clone()
    }

    fn update(&mut self, chunk: &[u8]) {
        for (_, e) in &mut self.extras {
            e.update(chunk);
        }
    }

    fn wants_raw(&self) -> bool {
        !self.extras.is_empty()
    }

    fn finish(
        self: Box<Self>,
        digests: &DigestSet,
        ctx: &VerifyContext<'_>,
    ) -> Result<Verified, SigError> {
        let computed = Computed {
            set: digests,
            extras: self
                .extras
                .into_iter()
                .map(|(k, e)| (k, e.finish()))
                .collect(),
        };
        let sd = self.cms.view();
        let embedded: Vec<CertView<'_>> = sd
            .certs
            .iter()
            .filter_map(|d| CertView::parse(d).ok())
            .collect();
        let pool = chain::pool(embedded, ctx.trust, &sd.signer_names());
        // One budget for the blob, drawn from the run's.
        let mut budget = Budget::new(
            ctx.limits.max_signature_checks_per_blob,
            &ctx.run.signature_checks,
            ctx.limits.max_signature_checks_per_run,
        );
        let mut results = Vec::with_capacity(sd.signers.len());
        for si in &sd.signers {
            results.push(verify_signer(si, &pool, &computed, ctx, &mut budget)?);
        }
        budget.refund();
        // A valid ML-DSA signature that binds no content (the GnuTLS form)
        // is reported as such, never as a signature.
        if let Some(r) = results.iter().find(|r| r.unbound) {
            return Err(SigError::Unbound {
                issuer: r.authority.clone(),
            });
        }
        let mut newest: Option<&SignerOk> = None;
        for r in &results {
            if newest.is_none_or(|n| r.timestamp > n.timestamp) {
                newest = Some(r);
            }
        }
        let newest = newest.ok_or(SigError::Malformed(Malformed::Pkcs7NoSigners))?;
        // The newest signer's chain first, then what other signers add, so
        // a required signer is found whichever SignerInfo it made.
        let mut chain = newest.chain.clone();
        for r in &results {
            for s in &r.chain {
                if !chain.contains(s) {
                    chain.push(s.clone());
                }
            }
        }
        Ok(Verified {
            authority: Some(newest.authority.clone()),
            timestamp: newest.timestamp,
            keys: results.iter().map(|r| r.key.clone()).collect(),
            chain,
        })
    }
}

fn dn_or_empty(name: &[u8]) -> String {
    match dn::format_dn(name) {
        Ok(s) if s.is_empty() => "<empty DN>".into(),
        Ok(s) => s,
        Err(_) => "<invalid DN>".into(),
    }
}

fn matches(sid: &Sid<'_>, cert: &CertView<'_>) -> bool {
    match sid {
        Sid::IssuerSerial { issuer, serial } => {
            cert.issuer == *issuer && tlv::int_magnitude(cert.serial) == tlv::int_magnitude(serial)
        }
        Sid::Ski(ski) => cert.ext.ski.as_deref() == Some(*ski),
    }
}

/// A signingTime later than the verification time (plus
/// [`chain::SIGNING_TIME_SKEW`]) is FAILED, as OpenPGP creation times are.
fn signing_time_not_future(si: &SignerInfo<'_>, ctx: &VerifyContext<'_>) -> Result<(), SigError> {
    let (crate::engine::TimeCheck::At(at), Some(t)) =
        (ctx.time, si.attrs.as_ref().and_then(|a| a.signing_time))
    else {
        return Ok(());
    };
    if t > at.saturating_add(chain::SIGNING_TIME_SKEW) {
        return Err(ChainError::SigningTimeInFuture {
            signing_time: t,
            at,
        }
        .into());
    }
    Ok(())
}

fn verify_signer(
    si: &SignerInfo<'_>,
    pool: &[PoolCert<'_>],
    computed: &Computed<'_>,
    ctx: &VerifyContext<'_>,
    budget: &mut Budget<'_>,
) -> Result<SignerOk, SigError> {
    let mldsa = MlDsaSet::from_oid(&si.sig_alg.oid);
    if let Some(set) = mldsa {
        mldsa::check_sig_alg(si, set)?;
    }
    let unsupported = || SigError::Unsupported(Unsupported::Pkcs7Digest(si.digest_oid.to_string()));
    let mut unbound = false;
    let signed;
    let payload_digest;
    let (msg, timestamp) = match &si.attrs {
        Some(attrs) => {
            match &attrs.content_type {
                Some(ct) if *ct == parse::ID_DATA => {}
                Some(ct) => {
                    return Err(SigError::Refused(Refusal::Pkcs7ContentType(ct.to_string())))
                }
                None => return Err(SigError::Malformed(Malformed::Pkcs7NoContentType)),
            }
            let md = attrs
                .message_digest
                .ok_or(SigError::Malformed(Malformed::Pkcs7NoMessageDigest))?;
            let d = si.digest.ok_or_else(unsupported)?;
            if mldsa.is_none() && !matches!(d, CmsDigest::Sha2(_)) {
                return Err(unsupported());
            }
            if let Some(set) = mldsa {
                unbound = mldsa::check_digest(set, d, md)?;
            }
            if !unbound {
                let want = computed
                    .digest(d)
                    .ok_or(SigError::Malformed(Malformed::DigestNotComputed))?;
                if md != want.as_slice() {
                    return Err(SigError::DigestMismatch {
                        alg: si.digest_oid.to_string(),
                    });
                }
            }
            signed = attrs.signed_bytes();
            (Message::Raw(&signed), attrs.signing_time.unwrap_or(1))
        }
        None if mldsa.is_some() => (Message::Raw(&[]), 1),
        None => {
            let Some(CmsDigest::Sha2(alg)) = si.digest else {
                return Err(unsupported());
            };
            payload_digest = computed
                .set
                .digest(alg)
                .ok_or(SigError::Malformed(Malformed::DigestNotComputed))?;
            (Message::Digest(&payload_digest), 1)
        }
    };
    let hash = match si.digest {
        Some(CmsDigest::Sha2(alg)) => Some(alg),
        _ => None,
    };
    let mut best: Option<SigError> = None;
    let mut record = |e: SigError| SigError::keep_most_specific(&mut best, e);
    // Candidates sharing a key share the answer: one check per key.
    let mut tried: Vec<(&[u8], Result<(), VerifyError>)> = Vec::new();
    for (idx, cand) in pool.iter().enumerate() {
        let cert = &cand.cert;
        if !matches(&si.sid, cert) {
            continue;
        }
        let outcome = match tried.iter().find(|(k, _)| *k == cert.spki) {
            Some((_, r)) => r.clone(),
            None => {
                if let Some(set) = mldsa {
                    if let Err(e) = mldsa::check_signer_key(set, cert, si.signature) {
                        record(e.into());
                        continue;
                    }
                }
                budget.spend()?;
                let r = match mldsa {
                    Some(set) if si.attrs.is_none() => {
                        mldsa::verify_payload(set, cert, si, computed)
                    }
                    _ => pubkey::verify_with(
                        &ctx.run.rsa_keys,
                        cert.spki,
                        &si.sig_alg,
                        hash,
                        msg,
                        si.signature,
                    ),
                };
                tried.push((cert.spki, r.clone()));
                r
            }
        };
        match outcome {
            Err(VerifyError::Unsupported(m)) => record(SigError::Unsupported(Unsupported::Key(m))),
            Err(VerifyError::Bad(_)) => record(SigError::BadSignature {
                by: SignedBy::Certificate {
                    subject: cert.name(),
                    issuer: dn_or_empty(cert.issuer),
                },
            }),
            Ok(()) => match chain::validate(pool, idx, ctx, budget) {
                Ok(chain) => {
                    // Judged once the signature and chain are good, so a
                    // broken chain keeps its own reason.
                    signing_time_not_future(si, ctx)?;
                    return Ok(SignerOk {
                        unbound,
                        authority: dn::format_dn(cert.issuer).unwrap_or_default(),
                        timestamp,
                        key: KeyId::x509_from_spki(cert.spki),
                        chain: chain.into_iter().map(ChainEntry::Dn).collect(),
                    });
                }
                Err(e) if e.is_fatal() => return Err(e.into()),
                Err(e) => record(e.into()),
            },
        }
    }
    Err(best.unwrap_or_else(|| match &si.sid {
        Sid::IssuerSerial { issuer, serial } => SigError::Untrusted(Signer::IssuerSerial {
            issuer: dn_or_empty(issuer),
            serial: hex(tlv::int_magnitude(serial)),
        }),
        Sid::Ski(ski) => SigError::Untrusted(Signer::Ski(hex(ski))),
    }))
}

#[cfg(test)]
mod pq_tests;
#[cfg(test)]
mod tests;
