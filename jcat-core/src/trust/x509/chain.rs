//! Certification path building and validation: signer → certificates from
//! the CMS and the trust store (any order, bounded search) → a trusted
//! certificate. RFC 5280 basics always; CRLs; "most specific error wins".

use crate::engine::{ChainStrictness, SigError, TimeCheck, VerifyContext};

use super::cert::CertView;
use super::crl::CrlView;
use super::pubkey::{self, Message};

/// Signature checks allowed in one path search.
const SEARCH_BUDGET: usize = 64;

/// A certificate available to path building.
#[derive(Debug, Clone)]
pub(crate) struct PoolCert<'a> {
    /// The certificate.
    pub cert: CertView<'a>,
    /// Whether it is in the trust store (an anchor).
    pub trusted: bool,
}

/// Builds the pool: `embedded` (from the CMS) and every parsable trusted
/// certificate, each DER once; a certificate in both counts as trusted.
pub(crate) fn pool<'a>(
    embedded: Vec<CertView<'a>>,
    trust: &'a crate::trust::TrustStore,
) -> Vec<PoolCert<'a>> {
    let mut out: Vec<PoolCert<'a>> = Vec::new();
    for cert in embedded {
        if !out.iter().any(|p| p.cert.der == cert.der) {
            out.push(PoolCert {
                cert,
                trusted: false,
            });
        }
    }
    for t in &trust.certs {
        let Ok(cert) = CertView::parse(&t.der) else {
            continue;
        };
        match out.iter_mut().find(|p| p.cert.der == cert.der) {
            Some(p) => p.trusted = true,
            None => out.push(PoolCert {
                cert,
                trusted: true,
            }),
        }
    }
    out
}

/// Validates a path from `pool[signer]` to a trusted certificate; returns
/// the subjects of the path, signer first.
pub(crate) fn validate(
    pool: &[PoolCert<'_>],
    signer: usize,
    ctx: &VerifyContext<'_>,
) -> Result<Vec<String>, SigError> {
    let mut search = Search {
        pool,
        ctx,
        budget: SEARCH_BUDGET,
        best: None,
    };
    let mut path = vec![signer];
    if search.dfs(&mut path) {
        return Ok(path
            .iter()
            .filter_map(|i| pool.get(*i))
            .map(|p| p.cert.subject_str())
            .collect());
    }
    Err(search.best.unwrap_or_else(|| {
        let s = pool.get(signer).map(|p| &p.cert);
        SigError::Untrusted(format!(
            "no trusted certificate for signer {} issued by {}",
            s.map(|c| c.name()).unwrap_or_default(),
            s.map(|c| c.issuer_str()).unwrap_or_default()
        ))
    }))
}

/// How specific an error is: the most specific of several failed candidates is reported.
pub(crate) fn rank(e: &SigError) -> u8 {
    match e {
        SigError::Revoked(_) => 6,
        SigError::Expired(_) => 5,
        SigError::Chain(_) => 4,
        SigError::BadSignature(_) => 3,
        SigError::Limit(_) | SigError::Unsupported(_) => 2,
        _ => 1,
    }
}

struct Search<'p, 'a> {
    pool: &'p [PoolCert<'a>],
    ctx: &'p VerifyContext<'p>,
    budget: usize,
    best: Option<SigError>,
}

impl Search<'_, '_> {
    fn record(&mut self, e: SigError) {
        if self.best.as_ref().is_none_or(|b| rank(&e) > rank(b)) {
            self.best = Some(e);
        }
    }

    fn dfs(&mut self, path: &mut Vec<usize>) -> bool {
        let Some(cur) = path.last().and_then(|i| self.pool.get(*i)) else {
            return false;
        };
        if cur.trusted {
            return match check_path(self.pool, path, self.ctx) {
                Ok(()) => true,
                Err(e) => {
                    self.record(e);
                    false
                }
            };
        }
        if path.len() >= self.ctx.limits.max_chain_depth {
            self.record(SigError::Limit(format!(
                "certificate chain is longer than max_chain_depth of {}",
                self.ctx.limits.max_chain_depth
            )));
            return false;
        }
        for (i, cand) in self.pool.iter().enumerate() {
            if path.contains(&i) || cand.cert.subject != cur.cert.issuer {
                continue;
            }
            if let (Some(aki), Some(ski)) = (&cur.cert.ext.aki, &cand.cert.ext.ski) {
                if aki != ski {
                    continue;
                }
            }
            if self.budget == 0 {
                self.record(SigError::Limit(format!(
                    "certificate path search gave up after {SEARCH_BUDGET} signature checks"
                )));
                return false;
            }
            self.budget -= 1;
            if !signed_by(self.ctx.trust, &cur.cert, &cand.cert) {
                self.record(SigError::BadSignature(format!(
                    "certificate {} is not validly signed by {}",
                    cur.cert.name(),
                    cand.cert.name()
                )));
                continue;
            }
            path.push(i);
            if self.dfs(path) {
                return true;
            }
            path.pop();
        }
        false
    }
}

/// Whether `issuer`'s key made `child`'s signature. Positive answers are
/// remembered in the trust store for the run, so a link shared by many
/// signatures (leaf → CA in a catalog of hundreds of items) costs one
/// public-key operation.
fn signed_by(
    trust: &crate::trust::TrustStore,
    child: &CertView<'_>,
    issuer: &CertView<'_>,
) -> bool {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update((child.der.len() as u64).to_be_bytes());
    h.update(child.der);
    h.update(issuer.spki);
    let key: [u8; 32] = h.finalize().into();
    if trust.link_verified(&key) {
        return true;
    }
    let ok = pubkey::verify(
        issuer.spki,
        &child.sig_alg,
        None,
        Message::Raw(child.tbs),
        child.signature,
    )
    .is_ok();
    if ok {
        trust.remember_link(key);
    }
    ok
}

/// RFC 3339 UTC for messages.
pub(crate) fn date(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| t.to_string())
}

/// Checks a complete path (indices into `pool`, signer first, anchor last).
fn check_path(
    pool: &[PoolCert<'_>],
    path: &[usize],
    ctx: &VerifyContext<'_>,
) -> Result<(), SigError> {
    let certs: Vec<&CertView<'_>> = path
        .iter()
        .filter_map(|i| pool.get(*i))
        .map(|p| &p.cert)
        .collect();
    // Issuer rules (RFC 5280).
    for (i, pair) in certs.windows(2).enumerate() {
        let [child, issuer] = pair else { continue };
        if !issuer.is_ca() {
            return Err(SigError::Chain(format!(
                "{} is not a CA but issued {}",
                issuer.name(),
                child.name()
            )));
        }
        if issuer
            .ext
            .key_usage
            .as_ref()
            .is_some_and(|ku| !ku.key_cert_sign())
        {
            return Err(SigError::Chain(format!(
                "{} may not sign certificates (keyUsage lacks keyCertSign) but issued {}",
                issuer.name(),
                child.name()
            )));
        }
        let below = i; // CA certificates between this issuer and the signer
        if let Some(pl) = issuer
            .ext
            .basic
            .as_ref()
            .and_then(|b| b.path_len_constraint)
        {
            if below > usize::from(pl) {
                return Err(SigError::Chain(format!(
                    "pathLenConstraint {pl} of {} is exceeded ({below} intermediate certificates below it)",
                    issuer.name()
                )));
            }
        }
    }
    // Signer rules.
    if let (ChainStrictness::Strict, Some(signer)) = (ctx.chain, certs.first()) {
        if signer.is_ca() {
            return Err(SigError::Chain(format!(
                "signer {} is a CA certificate, not an end-entity certificate (strict chain)",
                signer.name()
            )));
        }
        if signer
            .ext
            .key_usage
            .as_ref()
            .is_some_and(|ku| !ku.digital_signature())
        {
            return Err(SigError::Chain(format!(
                "signer {} lacks the digitalSignature key usage (strict chain)",
                signer.name()
            )));
        }
        if signer
            .ext
            .eku
            .as_ref()
            .is_some_and(|eku| !eku.contains(&const_oid::db::rfc5280::ID_KP_CODE_SIGNING))
        {
            return Err(SigError::Chain(format!(
                "signer {} lacks the codeSigning extended key usage (strict chain)",
                signer.name()
            )));
        }
    }
    // Validity periods.
    if let TimeCheck::At(now) = ctx.time {
        for c in &certs {
            if now < c.not_before {
                return Err(SigError::Expired(format!(
                    "certificate {} is not valid before {}",
                    c.name(),
                    date(c.not_before)
                )));
            }
            if now > c.not_after {
                return Err(SigError::Expired(format!(
                    "certificate {} expired on {}",
                    c.name(),
                    date(c.not_after)
                )));
            }
        }
    }
    // Revocation: each certificate against CRLs of its issuer.
    for pair in certs.windows(2) {
        if let [child, issuer] = pair {
            check_crls(child, issuer, ctx)?;
        }
    }
    if let Some(anchor) = certs.last() {
        if anchor.issuer != anchor.subject {
            for p in pool {
                if p.cert.subject == anchor.issuer && signed_by(ctx.trust, anchor, &p.cert) {
                    check_crls(anchor, &p.cert, ctx)?;
                }
            }
        }
    }
    Ok(())
}

fn check_crls(
    child: &CertView<'_>,
    issuer: &CertView<'_>,
    ctx: &VerifyContext<'_>,
) -> Result<(), SigError> {
    for crl in &ctx.trust.crls {
        let Ok(view) = CrlView::parse(&crl.der) else {
            continue;
        };
        if !view.issued_by(issuer) {
            continue;
        }
        if let Some(when) = view.revocation_of(child.serial) {
            return Err(SigError::Revoked(format!(
                "certificate {} (serial {}) was revoked on {} by {}",
                child.name(),
                child.serial_hex(),
                date(when),
                issuer.name()
            )));
        }
        if let (TimeCheck::At(now), Some(next)) = (ctx.time, view.next_update) {
            if now > next {
                return Err(SigError::Expired(format!(
                    "CRL issued by {} is out of date (nextUpdate {})",
                    issuer.name(),
                    date(next)
                )));
            }
        }
    }
    Ok(())
}
