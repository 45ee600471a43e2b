//! Why a signature did not verify: [`SigError`], one exact variant per
//! reason (webpki's shape), with the one "most specific error wins" rule
//! ([`SigError::rank`]) that X.509 candidate paths and signers and OpenPGP
//! candidate keys all use.

use super::reasons::{LimitName, Malformed, Refusal, SignedBy, Signer, Unsupported};
use crate::time::date;
use crate::trust::x509::ChainError;

/// Why a signature did not verify. `Display` is the message printed after
/// `FAILED kind:`; libjcat's wording where it has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigError {
    /// The blob does not parse as a signature of its kind.
    #[error(transparent)]
    Malformed(Malformed),
    /// A valid structure we refuse (embedded content, inline-signed message …).
    #[error(transparent)]
    Refused(Refusal),
    /// No trusted key or certificate matches the signer.
    #[error("{0}")]
    Untrusted(Signer),
    /// The cryptographic check failed.
    #[error("{by}")]
    BadSignature {
        /// Whose signature it is.
        by: SignedBy,
    },
    /// A CMS messageDigest that is not the payload's digest.
    #[error("messageDigest does not match the payload")]
    DigestMismatch {
        /// The digest algorithm (its name or OID).
        alg: String,
    },
    /// A certificate on the path expired before the verification time.
    #[error("certificate {subject} expired on {}", date(*not_after))]
    CertExpired {
        /// Its subject.
        subject: String,
        /// Its notAfter, unix seconds.
        not_after: i64,
        /// The verification time.
        at: i64,
    },
    /// A certificate on the path is not yet valid at the verification time.
    #[error("certificate {subject} is not valid before {}", date(*not_before))]
    CertNotYetValid {
        /// Its subject.
        subject: String,
        /// Its notBefore, unix seconds.
        not_before: i64,
        /// The verification time.
        at: i64,
    },
    /// A certificate on the path is revoked by a CRL of its issuer.
    #[error("certificate {subject} (serial {serial}) was revoked on {} by {by}{}", date(*on), reason.map(|r| format!(" (reason: {r})")).unwrap_or_default())]
    Revoked {
        /// Its subject.
        subject: String,
        /// Its serial number, hex.
        serial: String,
        /// The revocation date, unix seconds.
        on: i64,
        /// The CRL issuer.
        by: String,
        /// The CRL entry's reason code name, if any.
        reason: Option<&'static str>,
    },
    /// A CRL of an issuer on the path is past its nextUpdate.
    #[error("CRL issued by {issuer} is out of date (nextUpdate {})", date(*next_update))]
    CrlStale {
        /// The CRL issuer.
        issuer: String,
        /// Its nextUpdate, unix seconds.
        next_update: i64,
        /// The verification time.
        at: i64,
    },
    /// An X.509 certification path, CRL or CMS signer rule failed.
    #[error(transparent)]
    Chain(ChainError),
    /// An algorithm we do not implement.
    #[error(transparent)]
    Unsupported(Unsupported),
    /// A limit was exceeded while parsing.
    #[error("{}", limit_message(*limit, *value, *max))]
    Limit {
        /// Which limit.
        limit: LimitName,
        /// The value found.
        value: usize,
        /// The limit.
        max: usize,
    },
    /// An ML-DSA PKCS#7 signature that verifies, with a valid chain, but
    /// binds no content: the GnuTLS form (digestAlgorithm id-shake256,
    /// empty messageDigest), valid for any payload. Reported SKIPPED.
    #[error("ML-DSA signature by {issuer} does not bind the payload (empty messageDigest)")]
    Unbound {
        /// The signer certificate's issuer DN (GnuTLS RFC 4514 form).
        issuer: String,
    },
    /// `--only-pq` with no certificate in the trust store whose own
    /// signature algorithm is ML-DSA (libjcat's wording).
    #[error("no certificates in trust list")]
    NoPqTrust,
    /// `--only-pq`: a signature that verified but is not post-quantum
    /// throughout (a classical PKCS#7 signer or certificate on the path,
    /// OpenPGP, Ed25519).
    #[error("{}", not_post_quantum(authority))]
    NotPostQuantum {
        /// What PASSED would have printed (issuer DN, or empty).
        authority: String,
    },
    /// An OpenPGP signature refused for a typed reason.
    #[error(transparent)]
    OpenPgp(super::pgp::PgpError),
}

fn limit_message(limit: LimitName, value: usize, max: usize) -> String {
    match limit {
        LimitName::SignatureSize => format!(
            "signature of {value} bytes is over the limit max_signature_size of {max}"
        ),
        LimitName::CmsCertificates => format!(
            "{value} certificates in the PKCS7 signature is over the limit max_cms_certificates of {max}"
        ),
        LimitName::CmsSigners => format!(
            "{value} SignerInfos in the PKCS7 signature is over the limit max_cms_signers of {max}"
        ),
        LimitName::PgpSignatures => format!("more than {max} OpenPGP signatures in one blob"),
    }
}

fn not_post_quantum(authority: &str) -> String {
    let what = "not a post-quantum signature (--only-pq needs an ML-DSA signer and an ML-DSA-signed chain)";
    if authority.is_empty() {
        format!("failed to verify data: {what}")
    } else {
        format!("failed to verify data for {authority}: {what}")
    }
}

#[cfg(feature = "pkcs7")]
impl From<ChainError> for SigError {
    /// The path rules that have a variant of their own (validity, revocation,
    /// a broken link, no trusted anchor) are lifted to it; the rest stay
    /// [`SigError::Chain`].
    fn from(e: ChainError) -> Self {
        match e {
            ChainError::CertExpired {
                subject,
                not_after,
                at,
            } => SigError::CertExpired {
                subject,
                not_after,
                at,
            },
            ChainError::CertNotYetValid {
                subject,
                not_before,
                at,
            } => SigError::CertNotYetValid {
                subject,
                not_before,
                at,
            },
            ChainError::Revoked {
                subject,
                serial,
                on,
                by,
                reason,
            } => SigError::Revoked {
                subject,
                serial,
                on,
                by,
                reason,
            },
            ChainError::CrlStale {
                issuer,
                next_update,
                at,
            } => SigError::CrlStale {
                issuer,
                next_update,
                at,
            },
            ChainError::BadLinkSignature { child, issuer } => SigError::BadSignature {
                by: SignedBy::Issuer { child, issuer },
            },
            ChainError::NoTrustedPath { subject, issuer } => {
                SigError::Untrusted(Signer::Certificate { subject, issuer })
            }
            other => SigError::Chain(other),
        }
    }
}

impl SigError {
    /// How specific an error is: when several candidate signers, paths or
    /// keys fail, the first of the highest rank is reported (a revoked
    /// certificate says more than "no trusted certificate"; an OpenPGP key
    /// that verified but is expired says more than one that did not
    /// verify). Fatal errors outrank everything. Errors lifted from a
    /// [`ChainError`] keep its [`ChainError::rank`].
    pub fn rank(&self) -> u8 {
        use crate::trust::x509::rank;
        match self {
            SigError::Chain(e) => e.rank(),
            SigError::Revoked { .. } => rank::REVOKED,
            SigError::CertExpired { .. }
            | SigError::CertNotYetValid { .. }
            | SigError::CrlStale { .. } => rank::TIME,
            #[cfg(feature = "pgp")]
            SigError::OpenPgp(super::pgp::PgpError::BadSignature { .. }) => rank::BAD_SIGNATURE,
            SigError::OpenPgp(_) => rank::RULE,
            SigError::BadSignature { .. } | SigError::DigestMismatch { .. } => rank::BAD_SIGNATURE,
            SigError::Limit { .. } | SigError::Unsupported(_) => rank::UNSUPPORTED,
            _ => rank::UNTRUSTED,
        }
    }

    /// Whether the error ends the check of the whole blob (budget
    /// exhaustion): no other candidate is tried.
    pub fn is_fatal(&self) -> bool {
        matches!(self, SigError::Chain(e) if e.is_fatal())
    }

    /// Keeps `e` in `best` when it is more specific than what `best` holds
    /// (the first of equal rank stays).
    #[cfg(any(feature = "pkcs7", feature = "pgp"))]
    pub(crate) fn keep_most_specific(best: &mut Option<SigError>, e: SigError) {
        if best.as_ref().is_none_or(|b| e.rank() > b.rank()) {
            *best = Some(e);
        }
    }
}

// The cases are X.509 path errors: built with the `pkcs7` feature only.
#[cfg(all(test, feature = "pkcs7"))]
mod tests {
    use super::*;

    fn expired() -> ChainError {
        ChainError::CertExpired {
            subject: "CN=Leaf".into(),
            not_after: 1_000,
            at: 2_000,
        }
    }

    #[test]
    fn lifted_chain_errors_keep_their_rank_and_wording() {
        let cases = [
            expired(),
            ChainError::CertNotYetValid {
                subject: "CN=Leaf".into(),
                not_before: 3_000,
                at: 2_000,
            },
            ChainError::Revoked {
                subject: "CN=Leaf".into(),
                serial: "01".into(),
                on: 1_500,
                by: "CN=CA".into(),
                reason: Some("keyCompromise"),
            },
            ChainError::CrlStale {
                issuer: "CN=CA".into(),
                next_update: 1_000,
                at: 2_000,
            },
            ChainError::BadLinkSignature {
                child: "CN=Leaf".into(),
                issuer: "CN=CA".into(),
            },
            ChainError::NoTrustedPath {
                subject: "CN=Leaf".into(),
                issuer: "CN=CA".into(),
            },
            ChainError::TooDeep { max: 8 },
        ];
        for c in cases {
            let s = SigError::from(c.clone());
            assert_eq!(s.rank(), c.rank(), "{c:?}");
            assert_eq!(s.to_string(), c.to_string(), "{c:?}");
        }
        assert!(matches!(
            SigError::from(expired()),
            SigError::CertExpired {
                not_after: 1_000,
                at: 2_000,
                ..
            }
        ));
        assert!(matches!(
            SigError::from(ChainError::TooDeep { max: 8 }),
            SigError::Chain(ChainError::TooDeep { max: 8 })
        ));
    }

    #[test]
    fn most_specific_wins_and_budget_is_fatal() {
        let mut best = None;
        SigError::keep_most_specific(&mut best, SigError::Untrusted(Signer::NoKeys));
        SigError::keep_most_specific(
            &mut best,
            SigError::BadSignature {
                by: SignedBy::AnyTrustedKey,
            },
        );
        SigError::keep_most_specific(&mut best, expired().into());
        SigError::keep_most_specific(&mut best, ChainError::TooDeep { max: 1 }.into());
        assert!(
            matches!(best, Some(SigError::CertExpired { .. })),
            "{best:?}"
        );
        let budget = SigError::from(ChainError::BudgetExhausted {
            checks: 9,
            max: 9,
            scope: crate::trust::x509::BudgetScope::Run,
        });
        assert!(budget.is_fatal());
        assert!(!SigError::from(expired()).is_fatal());
        SigError::keep_most_specific(&mut best, budget);
        assert!(matches!(
            best,
            Some(SigError::Chain(ChainError::BudgetExhausted { .. }))
        ));
        #[cfg(feature = "pgp")]
        {
            // OpenPGP: a key that verified but fails a rule beats a bad signature.
            let bad = SigError::OpenPgp(crate::engine::pgp::PgpError::BadSignature {
                fingerprint: "AA".into(),
            });
            let mut best = Some(bad.clone());
            SigError::keep_most_specific(
                &mut best,
                SigError::OpenPgp(crate::engine::pgp::PgpError::MadeBeforeKey {
                    fingerprint: "BB".into(),
                }),
            );
            assert!(matches!(
                best,
                Some(SigError::OpenPgp(
                    crate::engine::pgp::PgpError::MadeBeforeKey { .. }
                ))
            ));
            SigError::keep_most_specific(&mut best, bad);
            assert!(matches!(
                best,
                Some(SigError::OpenPgp(
                    crate::engine::pgp::PgpError::MadeBeforeKey { .. }
                ))
            ));
        }
    }
}
