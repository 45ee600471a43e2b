//! The library's one verdict: [`Verifier::verify_catalog`] on small catalogs
//! signed by a PKI made here (issue 11 §3), asserting typed reasons.

use std::path::Path;

use jcat_core::reasons::ChainError;
use jcat_core::reasons::Failure;
use jcat_core::testing::{self, CertParams, Role, TestKey};
use jcat_core::{sign, Blob, BlobFlags, BlobKind, Catalog, Item, Outcome, Payload, SigError};
use jcat_core::{Policy, Verifier};
use jcat_core::{TimeCheck, TrustStore};

const T0: i64 = 1_767_225_600; // 2026-01-01
const YEAR: i64 = 365 * 86_400;

struct Pki {
    ca_der: Vec<u8>,
    leaf_pem: String,
    key_pem: String,
}

fn pki(leaf_not_after: i64) -> Pki {
    let (ca_der, ca_key) = crate::common::test_ca("CN=Verdict CA,O=jcat tests", T0);
    let key = TestKey::generate_p256();
    let leaf = testing::certificate(
        &CertParams {
            subject: "CN=Verdict Signer",
            serial: 2,
            role: Role::CodeSigning,
            not_before: T0 - YEAR,
            not_after: leaf_not_after,
        },
        &key,
        Some((&ca_der, &ca_key)),
    )
    .unwrap();
    Pki {
        ca_der,
        leaf_pem: testing::pem("CERTIFICATE", &leaf).unwrap(),
        key_pem: key.to_pem().unwrap(),
    }
}

fn trust(p: &Pki) -> TrustStore {
    let mut t = TrustStore::new();
    let pem = testing::pem("CERTIFICATE", &p.ca_der).unwrap();
    t.add_bytes(Path::new("ca.pem"), pem.as_bytes(), &Default::default());
    t
}

/// A catalog with one item `fw.bin` (sha256 + pkcs7 over `signed`), and the
/// payload `on_disk` written under a fresh directory.
fn setup(p: &Pki, signed: &[u8], on_disk: &[u8]) -> (Catalog, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fw.bin"), on_disk).unwrap();
    let mut cat = Catalog::new();
    let item = cat.add_item(Item::new("fw.bin")).unwrap();
    item.add_blob(sign::checksum_blob(BlobKind::Sha256, Payload::Bytes(signed), 0).unwrap());
    let sig = sign::pkcs7::sign(
        Payload::Bytes(signed),
        p.leaf_pem.as_bytes(),
        p.key_pem.as_bytes(),
        T0,
    )
    .unwrap();
    item.add_blob(Blob::new(BlobKind::Pkcs7, BlobFlags::NONE, sig, Some(0)));
    (cat, dir)
}

fn signature_error(report: &jcat_core::CatalogReport) -> Option<&SigError> {
    report
        .items
        .iter()
        .flat_map(|i| i.blobs.iter())
        .find_map(|b| match &b.outcome {
            Outcome::Failed(Failure::Signature(e)) => Some(e),
            _ => None,
        })
}

#[test]
fn passing_catalog() {
    let p = pki(T0 + 5 * YEAR);
    let (cat, dir) = setup(&p, b"firmware", b"firmware");
    let t = trust(&p);
    let report = Verifier::new(&t, Policy::new(TimeCheck::At(T0)))
        .threads(2)
        .verify_catalog(&cat, dir.path());
    assert!(report.passed(), "{report:?}");
    assert_eq!(report.blob_counts(), (2, 0, 0));
    assert!(report.unlisted.is_empty());
}

#[test]
fn tampered_payload_is_a_digest_mismatch() {
    let p = pki(T0 + 5 * YEAR);
    let (cat, dir) = setup(&p, b"firmware", b"firmwarE");
    let t = trust(&p);
    let report = Verifier::new(&t, Policy::new(TimeCheck::At(T0))).verify_catalog(&cat, dir.path());
    assert!(!report.passed());
    let e = signature_error(&report);
    assert!(matches!(e, Some(SigError::DigestMismatch { .. })), "{e:?}");
    assert_eq!(
        report.items[0].failure_message().as_deref(),
        Some("Validation failed")
    );
}

#[test]
fn expired_signer() {
    let p = pki(T0 + YEAR);
    let (cat, dir) = setup(&p, b"firmware", b"firmware");
    let t = trust(&p);
    let at = T0 + 2 * YEAR;
    let report = Verifier::new(&t, Policy::new(TimeCheck::At(at))).verify_catalog(&cat, dir.path());
    assert!(!report.passed());
    let e = signature_error(&report);
    assert!(
        matches!(e, Some(SigError::CertExpired { subject, not_after, at: when })
            if subject == "CN=Verdict Signer" && *not_after == T0 + YEAR && *when == at),
        "{e:?}"
    );
    // Without time checks it passes.
    let report =
        Verifier::new(&t, Policy::new(TimeCheck::Disabled)).verify_catalog(&cat, dir.path());
    assert!(report.passed(), "{report:?}");
}

#[test]
fn strict_set_reports_unlisted_files() {
    let p = pki(T0 + 5 * YEAR);
    let (cat, dir) = setup(&p, b"firmware", b"firmware");
    std::fs::write(dir.path().join("extra.bin"), b"x").unwrap();
    std::fs::write(dir.path().join("c.jcat"), b"catalog").unwrap();
    let t = trust(&p);
    let report = Verifier::new(&t, Policy::new(TimeCheck::At(T0))).verify_catalog(&cat, dir.path());
    assert!(report.passed(), "no strict set: {report:?}");
    let mut policy = Policy::new(TimeCheck::At(T0));
    policy.strict_set = true;
    let report = Verifier::new(&t, policy)
        .catalog_file(dir.path().join("c.jcat"))
        .verify_catalog(&cat, dir.path());
    assert!(report.items.iter().all(|i| i.passed()));
    assert_eq!(report.unlisted, vec![std::path::PathBuf::from("extra.bin")]);
    assert!(!report.passed());
}

#[test]
fn rank_chooses_the_most_specific_candidate() {
    let untrusted = SigError::Untrusted(jcat_core::reasons::Signer::NoKeys);
    let bad = SigError::BadSignature {
        by: jcat_core::reasons::SignedBy::AnyTrustedKey,
    };
    let expired = SigError::from(ChainError::CertExpired {
        subject: "CN=A".into(),
        not_after: 1,
        at: 2,
    });
    let revoked = SigError::from(ChainError::Revoked {
        subject: "CN=A".into(),
        serial: "02".into(),
        on: 1,
        by: "CN=CA".into(),
        reason: None,
    });
    let mut all = [&untrusted, &bad, &expired, &revoked, &bad];
    all.sort_by_key(|e| std::cmp::Reverse(e.rank()));
    assert!(matches!(all[0], SigError::Revoked { .. }));
    assert!(matches!(all[1], SigError::CertExpired { .. }));
    assert!(matches!(all[4], SigError::Untrusted(_)));
    assert!(
        revoked.rank() > expired.rank()
            && expired.rank() > bad.rank()
            && bad.rank() > untrusted.rank()
    );
}
