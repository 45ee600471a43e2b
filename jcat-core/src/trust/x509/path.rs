//! Checks of one complete candidate path (signer first, anchor last):
//! each certificate's profile, issuer rules, name constraints, validity
//! periods and revocation (RFC 5280 §6.1).

use crate::time::{ChainStrictness, TimeCheck};
use crate::trust::context::VerifyContext;

use super::budget::Budget;
use super::cert::CertView;
use super::chain::{signed_by, PoolCert};
use super::error::{BudgetScope, ChainError};
use super::names;
use super::profile::{self, Role};

/// Name-constraint comparisons allowed for one path.
const MAX_NAME_COMPARISONS: usize = 1 << 18;

/// Checks a complete path (indices into `pool`, signer first, anchor last).
pub(crate) fn check_path(
    pool: &[PoolCert<'_>],
    path: &[usize],
    ctx: &VerifyContext<'_>,
    budget: &mut Budget<'_>,
) -> Result<(), ChainError> {
    let certs: Vec<&CertView<'_>> = path
        .iter()
        .filter_map(|i| pool.get(*i))
        .map(|p| &p.cert)
        .collect();
    let last = certs.len().saturating_sub(1);
    for (i, c) in certs.iter().enumerate() {
        let role = Role {
            issues: i > 0,
            signature_checked: i < last,
        };
        profile::check_cert(c, role)?;
    }
    issuer_rules(&certs)?;
    name_constraints(&certs)?;
    signer_rules(&certs, ctx)?;
    validity(&certs, ctx)?;
    // Revocation: each certificate against CRLs of its issuer.
    for pair in certs.windows(2) {
        if let [child, issuer] = pair {
            check_crls(child, issuer, ctx, budget)?;
        }
    }
    if let Some(anchor) = certs.last() {
        if anchor.issuer != anchor.subject {
            for p in pool {
                if p.cert.subject == anchor.issuer && signed_by(ctx.run, anchor, &p.cert, budget)? {
                    check_crls(anchor, &p.cert, ctx, budget)?;
                }
            }
        }
    }
    Ok(())
}

/// cA, keyCertSign and pathLenConstraint of every issuer.
fn issuer_rules(certs: &[&CertView<'_>]) -> Result<(), ChainError> {
    for (i, pair) in certs.windows(2).enumerate() {
        let [child, issuer] = pair else { continue };
        if !issuer.is_ca() {
            return Err(ChainError::NotCa {
                issuer: issuer.name(),
                child: child.name(),
            });
        }
        if issuer
            .ext
            .key_usage
            .as_ref()
            .is_some_and(|ku| !ku.key_cert_sign())
        {
            return Err(ChainError::KeyCertSignMissing {
                issuer: issuer.name(),
                child: child.name(),
            });
        }
        // Non-self-issued CA certificates between this issuer and the signer.
        let below = certs
            .get(1..=i)
            .unwrap_or(&[])
            .iter()
            .filter(|c| !c.self_issued())
            .count();
        if let Some(pl) = issuer
            .ext
            .basic
            .as_ref()
            .and_then(|b| b.path_len_constraint)
        {
            if below > usize::from(pl) {
                return Err(ChainError::PathLenExceeded {
                    issuer: issuer.name(),
                    path_len: pl,
                    below,
                });
            }
        }
    }
    Ok(())
}

/// Every certificate below a CA with nameConstraints is checked against
/// them (self-issued intermediates excepted, RFC 5280 6.1.3 (b)).
fn name_constraints(certs: &[&CertView<'_>]) -> Result<(), ChainError> {
    let mut comparisons = 0usize;
    for (ci, ca) in certs.iter().enumerate().skip(1) {
        let Some((value, critical)) = ca.ext.name_constraints else {
            continue;
        };
        let c = names::constraints(value, critical).map_err(|form| {
            ChainError::NameConstraintUnsupported {
                subject: ca.name(),
                form,
            }
        })?;
        let ca_name = ca.name();
        for (i, cert) in certs.iter().enumerate().take(ci) {
            if i > 0 && cert.self_issued() {
                continue;
            }
            let all = names::names_of(cert).map_err(|_| ChainError::InvalidSubjectAltName {
                subject: cert.name(),
                name: "(malformed)".into(),
            })?;
            comparisons = comparisons.saturating_add(all.len().saturating_mul(c.len()));
            if comparisons > MAX_NAME_COMPARISONS {
                return Err(ChainError::BudgetExhausted {
                    checks: comparisons,
                    max: MAX_NAME_COMPARISONS,
                    scope: BudgetScope::NameConstraints,
                });
            }
            let subject = cert.name();
            for n in &all {
                names::check(&c, n, &subject, &ca_name)?;
            }
        }
    }
    Ok(())
}

/// Strict chain: the signer is an end-entity code-signing certificate.
fn signer_rules(certs: &[&CertView<'_>], ctx: &VerifyContext<'_>) -> Result<(), ChainError> {
    let (ChainStrictness::Strict, Some(signer)) = (ctx.chain, certs.first()) else {
        return Ok(());
    };
    if signer.is_ca() {
        return Err(ChainError::SignerIsCa {
            subject: signer.name(),
        });
    }
    if signer
        .ext
        .key_usage
        .as_ref()
        .is_some_and(|ku| !ku.digital_signature())
    {
        return Err(ChainError::SignerLacksDigitalSignature {
            subject: signer.name(),
        });
    }
    if signer
        .ext
        .eku
        .as_ref()
        .is_some_and(|eku| !eku.contains(&const_oid::db::rfc5280::ID_KP_CODE_SIGNING))
    {
        return Err(ChainError::SignerLacksCodeSigning {
            subject: signer.name(),
        });
    }
    Ok(())
}

fn validity(certs: &[&CertView<'_>], ctx: &VerifyContext<'_>) -> Result<(), ChainError> {
    if let TimeCheck::At(now) = ctx.time {
        for c in certs {
            if now < c.not_before {
                return Err(ChainError::CertNotYetValid {
                    subject: c.name(),
                    not_before: c.not_before,
                    at: now,
                });
            }
            if now > c.not_after {
                return Err(ChainError::CertExpired {
                    subject: c.name(),
                    not_after: c.not_after,
                    at: now,
                });
            }
        }
    }
    Ok(())
}

/// Checks `child` against every CRL `issuer` issued. A CRL naming this
/// issuer (and, when it says, its key identifier) that cannot be used is an
/// error: a revocation list that was given never silently goes missing.
fn check_crls(
    child: &CertView<'_>,
    issuer: &CertView<'_>,
    ctx: &VerifyContext<'_>,
    budget: &mut Budget<'_>,
) -> Result<(), ChainError> {
    // Only the CRLs naming this issuer (the store's index; load order).
    for crl in ctx.trust.crls_of(issuer.subject) {
        let unusable = |problem| ChainError::CrlUnusable {
            issuer: issuer.name(),
            problem,
        };
        // Parsed when the store was loaded (a list that does not parse is
        // refused then).
        let view = crl.view();
        if !view.names_issuer(issuer) {
            continue;
        }
        if let Some(problem) = view.problem(issuer, ctx.run, budget)? {
            return Err(unusable(problem));
        }
        if let Some((when, reason)) = view.revocation_of(child.serial) {
            return Err(ChainError::Revoked {
                subject: child.name(),
                serial: child.serial_hex(),
                on: when,
                by: issuer.name(),
                reason: reason.and_then(super::crl::reason_name),
            });
        }
        if let (TimeCheck::At(now), Some(next)) = (ctx.time, view.next_update) {
            if now > next {
                return Err(ChainError::CrlStale {
                    issuer: issuer.name(),
                    next_update: next,
                    at: now,
                });
            }
        }
    }
    Ok(())
}
