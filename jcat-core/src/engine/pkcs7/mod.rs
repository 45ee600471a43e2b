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
//!   SignerInfo without one), one [`KeyId`] `x509:<sha256 of SPKI>` per signer,
//!   chain = subjects of the newest signer's path, signer first, then
//!   subjects only other signers' paths hold.

pub(crate) mod parse;

use super::{KeyId, PayloadCheck, SigError, Verified, VerifyContext};
use crate::digest::{digest, hex, DigestAlg, DigestSet};
use crate::trust::x509::budget::Budget;
use crate::trust::x509::chain::{self, PoolCert};
use crate::trust::x509::pubkey::{self, Message, VerifyError};
use crate::trust::x509::ChainError;
use crate::trust::x509::{cert::CertView, dn, tlv};

use parse::{Sid, SignerInfo};

struct Pkcs7Check {
    der: Vec<u8>,
    digests: Vec<DigestAlg>,
}

/// Parses a PEM or DER CMS SignedData into a check.
pub fn prepare(sig: &[u8], ctx: &VerifyContext<'_>) -> Result<Box<dyn PayloadCheck>, SigError> {
    let der = parse::decode_pem_or_der(sig)?;
    let sd = parse::parse(&der, ctx.limits)?;
    let mut digests: Vec<DigestAlg> = Vec::new();
    for s in &sd.signers {
        if !digests.contains(&s.digest) {
            digests.push(s.digest);
        }
    }
    Ok(Box::new(Pkcs7Check { der, digests }))
}

struct SignerOk {
    authority: String,
    timestamp: i64,
    key: KeyId,
    chain: Vec<String>,
}

impl PayloadCheck for Pkcs7Check {
    fn digests_needed(&self) -> Vec<DigestAlg> {
        self.digests.clone()
    }

    fn finish(
        self: Box<Self>,
        digests: &DigestSet,
        ctx: &VerifyContext<'_>,
    ) -> Result<Verified, SigError> {
        let sd = parse::parse(&self.der, ctx.limits)?;
        let embedded: Vec<CertView<'_>> = sd
            .certs
            .iter()
            .filter_map(|d| CertView::parse(d).ok())
            .collect();
        let pool = chain::pool(embedded, ctx.trust);
        // One budget for the blob, drawn from the run's.
        let mut budget = Budget::new(
            ctx.limits.max_signature_checks_per_blob,
            &ctx.trust.signature_checks,
            ctx.limits.max_signature_checks_per_run,
        );
        let mut results = Vec::with_capacity(sd.signers.len());
        for si in &sd.signers {
            results.push(verify_signer(si, &pool, digests, ctx, &mut budget)?);
        }
        budget.refund();
        let mut newest: Option<&SignerOk> = None;
        for r in &results {
            if newest.is_none_or(|n| r.timestamp > n.timestamp) {
                newest = Some(r);
            }
        }
        let newest =
            newest.ok_or_else(|| SigError::Malformed("no PKCS7 signatures found".into()))?;
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
    digests: &DigestSet,
    ctx: &VerifyContext<'_>,
    budget: &mut Budget<'_>,
) -> Result<SignerOk, SigError> {
    let payload_digest = digests
        .digest(si.digest)
        .ok_or_else(|| SigError::Malformed("the payload digest was not computed".into()))?;
    let signed;
    let (msg, timestamp) = match &si.attrs {
        Some(attrs) => {
            match &attrs.content_type {
                Some(ct) if ct.to_string() == parse::ID_DATA => {}
                Some(ct) => {
                    return Err(SigError::Refused(format!(
                        "signed content type {ct} is not id-data"
                    )))
                }
                None => {
                    return Err(SigError::Malformed(
                        "signed attributes lack contentType".into(),
                    ))
                }
            }
            let md = attrs.message_digest.ok_or_else(|| {
                SigError::Malformed("signed attributes lack messageDigest".into())
            })?;
            if md != payload_digest.as_slice() {
                return Err(SigError::BadSignature(
                    "messageDigest does not match the payload".into(),
                ));
            }
            signed = attrs.signed_bytes();
            (Message::Raw(&signed), attrs.signing_time.unwrap_or(1))
        }
        None => (Message::Digest(&payload_digest), 1),
    };
    let mut best: Option<SigError> = None;
    let mut record = |e: SigError| {
        if best.as_ref().is_none_or(|b| e.rank() > b.rank()) {
            best = Some(e);
        }
    };
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
                budget.spend()?;
                let r = pubkey::verify(cert.spki, &si.sig_alg, Some(si.digest), msg, si.signature);
                tried.push((cert.spki, r.clone()));
                r
            }
        };
        match outcome {
            Err(VerifyError::Unsupported(m)) => record(SigError::Unsupported(m)),
            Err(VerifyError::Bad(_)) => record(SigError::BadSignature(format!(
                "signature by {} (issuer {}) does not verify",
                cert.name(),
                dn_or_empty(cert.issuer)
            ))),
            Ok(()) => match chain::validate(pool, idx, ctx, budget) {
                Ok(chain) => {
                    // Judged once the signature and chain are good, so a
                    // broken chain keeps its own reason.
                    signing_time_not_future(si, ctx)?;
                    return Ok(SignerOk {
                        authority: dn::format_dn(cert.issuer).unwrap_or_default(),
                        timestamp,
                        key: KeyId(format!(
                            "x509:{}",
                            hex(&digest(DigestAlg::Sha256, cert.spki))
                        )),
                        chain,
                    });
                }
                Err(e) if e.is_fatal() => return Err(e),
                Err(e) => record(e),
            },
        }
    }
    Err(best.unwrap_or_else(|| match &si.sid {
        Sid::IssuerSerial { issuer, serial } => SigError::Untrusted(format!(
            "no trusted certificate for signer issued by {} with serial {}",
            dn_or_empty(issuer),
            hex(tlv::int_magnitude(serial))
        )),
        Sid::Ski(ski) => SigError::Untrusted(format!(
            "no trusted certificate for signer with subject key identifier {}",
            hex(ski)
        )),
    }))
}
