//! `--only-pq`: only post-quantum signatures count. A PKCS#7 blob passes
//! only when its signers are ML-DSA and every certificate on its path is
//! ML-DSA-signed (libjcat filters its trust list by the anchor's own
//! signature algorithm; we require it of the whole path). Every other
//! signature FAILS, OpenPGP and Ed25519 included (libjcat ignores the flag
//! for them; neither is post-quantum). Checksums are unaffected, but an
//! item without a PASSED post-quantum signature fails
//! (`post-quantum signature required`): `--only-pq` is a requirement.

use crate::engine::pkcs7::mldsa;
use crate::engine::SigError;
use crate::model::{BlobKind, Item};
use crate::trust::TrustStore;

use super::{Failure, ItemReport, Outcome, Skip};

pub(super) fn apply(
    report: &mut ItemReport,
    item: &Item,
    trust: &TrustStore,
    limits: &crate::Limits,
) {
    let anchor = mldsa::has_pq_anchor(trust);
    for b in &mut report.blobs {
        if !b.kind.is_signature() {
            continue;
        }
        let Some(blob) = item.blobs.get(b.index) else {
            continue;
        };
        if b.kind == BlobKind::Pkcs7 && !anchor {
            if matches!(
                b.outcome,
                Outcome::Skipped(Skip::ItemAborted | Skip::PolicyIgnore)
            ) {
                continue;
            }
            b.outcome = Outcome::Failed(Failure::Signature(SigError::NoPqTrust));
            continue;
        }
        if let Outcome::Passed(v) = &b.outcome {
            let pq = b.kind == BlobKind::Pkcs7 && mldsa::post_quantum(&blob.data, v, trust, limits);
            if !pq {
                b.outcome = Outcome::Failed(Failure::Signature(SigError::NotPostQuantum {
                    authority: v.authority.clone().unwrap_or_default(),
                }));
            }
        }
    }
    let any = report
        .blobs
        .iter()
        .any(|b| b.kind.is_signature() && matches!(b.outcome, Outcome::Passed(_)));
    if !any {
        report
            .policy_failures
            .push("post-quantum signature required".into());
    }
}
