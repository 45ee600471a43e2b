//! `--only-pq`: only post-quantum signatures count. A PKCS#7 blob passes
//! only when its signers are ML-DSA and every certificate on its path is
//! ML-DSA-signed (libjcat filters its trust list by the anchor's own
//! signature algorithm; we require it of the whole path). Every other
//! signature FAILS, OpenPGP and Ed25519 included (libjcat ignores the flag
//! for them; neither is post-quantum). Checksums are unaffected, but an
//! item without a PASSED post-quantum signature fails
//! (`post-quantum signature required`): `--only-pq` is a requirement.
//! The same holds for an item that aborts before its signatures are checked
//! (a missing target, an unreadable payload): the blobs judged so far get the
//! same `--only-pq` verdicts and the requirement is recorded.

use crate::engine::pkcs7::mldsa;
use crate::engine::SigError;
use crate::model::{BlobKind, Item};
use crate::trust::TrustStore;

use super::{Failure, ItemReport, Outcome, PolicyFailure, Skip};

/// [`apply`] when the policy asks for `--only-pq`.
pub(super) fn apply_if(
    report: &mut ItemReport,
    item: &Item,
    trust: &TrustStore,
    policy: &super::Policy,
) {
    if policy.only_pq {
        apply(report, item, trust, &policy.limits);
    }
}

fn apply(report: &mut ItemReport, item: &Item, trust: &TrustStore, limits: &crate::Limits) {
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
            .push(PolicyFailure::PostQuantumRequired);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{verify_item, Policy};
    use crate::{Blob, BlobFlags, Payload};

    fn pkcs7(data: &[u8], target: Option<BlobKind>) -> Blob {
        let mut b = Blob::new(BlobKind::Pkcs7, BlobFlags::IS_UTF8, data.to_vec(), Some(1));
        b.target = target;
        b
    }

    /// An item that aborts (its pkcs7-of-sha256 has no sha256 blob) gets the
    /// same `--only-pq` verdict on the blobs judged before the abort, and
    /// the requirement, as the item without the aborting blob.
    #[test]
    fn aborted_item_gets_the_only_pq_verdict() {
        let policy = Policy {
            only_pq: true,
            ..Policy::new(crate::TimeCheck::At(chrono::Utc::now().timestamp()))
        };
        let mut whole = Item::new("f.bin");
        whole.add_blob(pkcs7(b"not a PKCS7 blob", None));
        let mut aborted = whole.clone();
        let mut ed = Blob::new(BlobKind::Ed25519, BlobFlags::NONE, vec![0; 64], Some(1));
        ed.target = Some(BlobKind::Sha256);
        aborted.add_blob(ed);
        let trust = TrustStore::new();
        let a = verify_item(&aborted, Payload::Bytes(b"x"), &trust, &policy);
        let w = verify_item(&whole, Payload::Bytes(b"x"), &trust, &policy);
        assert!(
            matches!(
                a.error,
                Some(crate::verify::ItemError::TargetMissing {
                    target: BlobKind::Sha256
                })
            ),
            "{a:?}"
        );
        assert!(!a.passed());
        assert_eq!(a.blobs.len(), 1);
        assert!(
            matches!(
                a.blobs[0].outcome,
                Outcome::Failed(Failure::Signature(SigError::NoPqTrust))
            ),
            "{a:?}"
        );
        assert_eq!(a.blobs[0].outcome, w.blobs[0].outcome);
        assert!(
            matches!(a.policy_failures[..], [PolicyFailure::PostQuantumRequired]),
            "{a:?}"
        );
        assert_eq!(a.policy_failures, w.policy_failures);
        // Without --only-pq the aborted item keeps the engine's own reason.
        let plain = verify_item(
            &aborted,
            Payload::Bytes(b"x"),
            &trust,
            &Policy::new(crate::TimeCheck::At(chrono::Utc::now().timestamp())),
        );
        assert!(plain.policy_failures.is_empty(), "{plain:?}");
        assert!(!matches!(
            plain.blobs[0].outcome,
            Outcome::Failed(Failure::Signature(SigError::NoPqTrust))
        ));
    }

    /// An unreadable payload aborts the item too: the requirement is recorded.
    #[test]
    fn unreadable_payload_records_the_requirement() {
        let policy = Policy {
            only_pq: true,
            ..Policy::new(crate::TimeCheck::At(chrono::Utc::now().timestamp()))
        };
        let mut item = Item::new("f.bin");
        item.add_blob(pkcs7(b"x", None));
        item.add_blob(Blob::new(
            BlobKind::Sha256,
            BlobFlags::IS_UTF8,
            b"00".to_vec(),
            None,
        ));
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let r = verify_item(&item, Payload::File(&missing), &TrustStore::new(), &policy);
        assert!(
            matches!(
                &r.error,
                Some(crate::verify::ItemError::Read { path: Some(p), kind: std::io::ErrorKind::NotFound, .. })
                    if p == &missing
            ),
            "{r:?}"
        );
        assert!(
            matches!(r.policy_failures[..], [PolicyFailure::PostQuantumRequired]),
            "{r:?}"
        );
    }
}
