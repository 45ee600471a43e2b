//! Certification path building and validation: signer → certificates from
//! the CMS and the trust store (any order, bounded search) → a trusted
//! certificate. RFC 5280 basics always; CRLs; "most specific error wins".

use crate::trust::context::VerifyContext;

use super::budget::Budget;
use super::cert::CertView;
use super::error::ChainError;
use super::path::check_path;
use super::pubkey::{self, Message};

/// Seconds a CMS signingTime may be ahead of the verification time (clock skew).
pub(crate) const SIGNING_TIME_SKEW: i64 = 300;

/// A certificate available to path building.
#[derive(Debug, Clone)]
pub(crate) struct PoolCert<'a> {
    /// The certificate.
    pub cert: CertView<'a>,
    /// Whether it is in the trust store (an anchor).
    pub trusted: bool,
}

/// What names a signer's certificate (a CMS SignerIdentifier).
#[derive(Debug, Clone, Copy)]
pub(crate) enum SignerName<'s> {
    /// issuerAndSerialNumber: issuer Name element, serial contents octets.
    IssuerSerial {
        /// Issuer Name, whole element.
        issuer: &'s [u8],
        /// Serial contents octets.
        serial: &'s [u8],
    },
    /// subjectKeyIdentifier.
    Ski(&'s [u8]),
}

/// Builds the pool: `embedded` (from the CMS), then the trusted
/// certificates a path from them can use, found through the trust store's
/// index (never by walking the store): those a signer names, the issuers
/// (by subject) of every embedded certificate, and the copies of embedded
/// certificates (which then count as trusted). Path building never looks
/// past a trusted certificate, so no other trusted certificate can be on a
/// path. Each DER appears once.
pub(crate) fn pool<'a>(
    embedded: Vec<CertView<'a>>,
    trust: &'a crate::trust::TrustStore,
    signers: &[SignerName<'_>],
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
    let mut wanted: Vec<(usize, &'a super::TrustedCert)> = Vec::new();
    for s in signers {
        match s {
            SignerName::IssuerSerial { issuer, serial } => wanted
                .extend(trust.certs_with_issuer_serial(issuer, super::tlv::int_magnitude(serial))),
            SignerName::Ski(ski) => wanted.extend(trust.certs_with_ski(ski)),
        }
    }
    for p in &out {
        wanted.extend(trust.certs_with_subject(p.cert.subject));
        wanted.extend(trust.certs_with_subject(p.cert.issuer));
    }
    // In load order, as when the pool held the whole store.
    wanted.sort_by_key(|(at, _)| *at);
    wanted.dedup_by_key(|(at, _)| *at);
    for (_, t) in wanted {
        if let Some(p) = out.iter_mut().find(|p| p.cert.der == t.der.as_slice()) {
            p.trusted = true;
            continue;
        }
        // Parsed when the store was loaded.
        let cert = t.view().clone();
        out.push(PoolCert {
            cert,
            trusted: true,
        });
    }
    out
}

/// Validates a path from `pool[signer]` to a trusted certificate; returns
/// the subjects of the path, signer first.
/// Validates a path from `pool[signer]` to a trusted certificate; returns
/// the subjects of the path, signer first. Paths are tried shortest first
/// (iterative deepening) and trusted issuers before untrusted ones; a
/// certificate, or a (subject, key) pair, never appears twice in a path.
/// Every public-key operation is drawn from `budget`; running out is fatal.
pub(crate) fn validate(
    pool: &[PoolCert<'_>],
    signer: usize,
    ctx: &VerifyContext<'_>,
    budget: &mut Budget<'_>,
) -> Result<Vec<String>, ChainError> {
    let max = ctx.limits.max_chain_depth.max(1);
    let mut search = Search {
        pool,
        ctx,
        budget,
        best: None,
        limit: 1,
        max,
        cut: false,
    };
    for limit in 1..=max {
        search.limit = limit;
        search.cut = false;
        let mut path = vec![signer];
        if search.dfs(&mut path)? {
            return Ok(path
                .iter()
                .filter_map(|i| pool.get(*i))
                .map(|p| p.cert.subject_str())
                .collect());
        }
        if !search.cut {
            // Nothing was cut off by this depth: a deeper search finds nothing new.
            break;
        }
    }
    Err(search.best.unwrap_or_else(|| {
        let s = pool.get(signer).map(|p| &p.cert);
        ChainError::NoTrustedPath {
            subject: s.map(|c| c.name()).unwrap_or_default(),
            issuer: s.map(|c| c.issuer_str()).unwrap_or_default(),
        }
    }))
}

/// The length of a path as limited by `max_chain_depth`: self-issued
/// intermediates (RFC 5280 6.1.4 (l)) do not count.
fn logical_len(pool: &[PoolCert<'_>], path: &[usize]) -> usize {
    let inner = path.get(1..path.len().saturating_sub(1)).unwrap_or(&[]);
    path.len()
        - inner
            .iter()
            .filter(|i| pool.get(**i).is_some_and(|p| p.cert.self_issued()))
            .count()
}

struct Search<'p, 'a, 'b> {
    pool: &'p [PoolCert<'a>],
    ctx: &'p VerifyContext<'p>,
    budget: &'p mut Budget<'b>,
    best: Option<ChainError>,
    limit: usize,
    max: usize,
    /// Whether a candidate was left out for the current depth limit.
    cut: bool,
}

impl Search<'_, '_, '_> {
    fn record(&mut self, e: ChainError) {
        if self.best.as_ref().is_none_or(|b| e.rank() > b.rank()) {
            self.best = Some(e);
        }
    }

    /// `Ok(true)`: `path` is valid and complete. `Err`: fatal.
    fn dfs(&mut self, path: &mut Vec<usize>) -> Result<bool, ChainError> {
        let Some(cur) = path.last().and_then(|i| self.pool.get(*i)) else {
            return Ok(false);
        };
        if cur.trusted {
            return match check_path(self.pool, path, self.ctx, self.budget) {
                Ok(()) => Ok(true),
                Err(e) if e.is_fatal() => Err(e),
                Err(e) => {
                    self.record(e);
                    Ok(false)
                }
            };
        }
        let mut cands: Vec<usize> = (0..self.pool.len())
            .filter(|i| !path.contains(i))
            .filter(|i| {
                self.pool.get(*i).is_some_and(|cand| {
                    cand.cert.subject == cur.cert.issuer
                        && match (&cur.cert.ext.aki, &cand.cert.ext.ski) {
                            (Some(aki), Some(ski)) => aki == ski,
                            _ => true,
                        }
                        && !path.iter().filter_map(|j| self.pool.get(*j)).any(|p| {
                            p.cert.subject == cand.cert.subject && p.cert.spki == cand.cert.spki
                        })
                })
            })
            .collect();
        // Trusted issuers first (stable: pool order otherwise).
        cands.sort_by_key(|i| !self.pool.get(*i).is_some_and(|p| p.trusted));
        for i in cands {
            let Some(cand) = self.pool.get(i) else {
                continue;
            };
            self.budget.step()?;
            path.push(i);
            let len = logical_len(self.pool, path);
            path.pop();
            if len > self.limit {
                self.cut = true;
                if self.limit == self.max {
                    self.record(ChainError::TooDeep { max: self.max });
                }
                continue;
            }
            if !signed_by(self.ctx.run, &cur.cert, &cand.cert, self.budget)? {
                self.record(ChainError::BadLinkSignature {
                    child: cur.cert.name(),
                    issuer: cand.cert.name(),
                });
                continue;
            }
            path.push(i);
            if self.dfs(path)? {
                return Ok(true);
            }
            path.pop();
        }
        Ok(false)
    }
}

/// Whether `issuer`'s key made `child`'s signature. Answers (good and bad)
/// are remembered in the run's state, so a link shared by many
/// signatures (leaf → CA in a catalog of hundreds of items) costs one
/// public-key operation, and so does a broken link repeated by a hostile
/// catalog. A check not answered from memory is drawn from `budget`.
pub(crate) fn signed_by(
    run: &crate::trust::context::RunState,
    child: &CertView<'_>,
    issuer: &CertView<'_>,
    budget: &mut Budget<'_>,
) -> Result<bool, ChainError> {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update((child.der.len() as u64).to_be_bytes());
    h.update(child.der);
    h.update(issuer.spki);
    let key: [u8; 32] = h.finalize().into();
    if let Some(ok) = run.link_result(&key) {
        return Ok(ok);
    }
    budget.spend()?;
    let ok = pubkey::verify_with(
        &run.rsa_keys,
        issuer.spki,
        &child.sig_alg,
        None,
        Message::Raw(child.tbs),
        child.signature,
    )
    .is_ok();
    run.remember_link(key, ok);
    Ok(ok)
}
