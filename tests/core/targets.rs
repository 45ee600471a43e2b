//! Blobs with a `Target` vouch for the payload only through a checksum blob
//! of the same item that matches the payload in the same run (issue "A forged
//! catalog never passes" §1, compatibility note D22). Fresh Ed25519 keys.

use ed25519_dalek::SigningKey;
use jcat_core::digest::DigestAlg;
use jcat_core::engine::checksum;
use jcat_core::verify::{Failure, SignaturePolicy, TargetError};
use jcat_core::PolicyFailure;
use jcat_core::{
    verify_item, Blob, BlobFlags, BlobKind, Item, Outcome, Payload, Policy, TimeCheck, TrustStore,
};

const PAYLOAD: &[u8] = b"the real firmware";
const TAMPERED: &[u8] = b"the evil firmware";

fn key() -> SigningKey {
    SigningKey::generate(&mut rand_core::OsRng)
}

fn trust(key: &SigningKey) -> TrustStore {
    let mut t = TrustStore::new();
    t.add_ed25519(key.verifying_key().as_bytes()).unwrap();
    t
}

fn policy(signatures: SignaturePolicy, kind_filter: Option<BlobKind>) -> Policy {
    let mut p = Policy::new(jcat_core::TimeCheck::At(chrono::Utc::now().timestamp()));
    p.time = TimeCheck::At(1_767_225_600);
    p.signatures = signatures;
    p.kind_filter = kind_filter;
    p
}

fn blob(kind: BlobKind, data: &[u8], target: Option<BlobKind>) -> Blob {
    let mut b = Blob::new(kind, BlobFlags::NONE, data.to_vec(), Some(1));
    b.target = target;
    b
}

fn sha256(data: &[u8]) -> Vec<u8> {
    checksum::create(DigestAlg::Sha256, data).into_bytes()
}

fn ed25519_over(key: &SigningKey, data: &[u8]) -> Vec<u8> {
    jcat_core::engine::ed25519::sign(key, data)
}

fn outcome_of(report: &jcat_core::ItemReport, kind: BlobKind) -> &Outcome {
    &report
        .blobs
        .iter()
        .find(|b| b.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} line in {report:?}"))
        .outcome
}

/// The attack: a real signature over some other text, put next to a
/// bt-manifest holding that text, with Target = bt-manifest: that text names
/// no payload digest, so it fails.
#[test]
fn signature_over_bt_manifest_never_passes() {
    let k = key();
    let other_text = b"<component>some other file</component>";
    let mut item = Item::new("firmware.bin");
    item.blobs
        .push(blob(BlobKind::BtManifest, other_text, None));
    item.blobs.push(blob(
        BlobKind::Ed25519,
        &ed25519_over(&k, other_text),
        Some(BlobKind::BtManifest),
    ));
    for filter in [None, Some(BlobKind::Ed25519)] {
        let r = verify_item(
            &item,
            Payload::Bytes(TAMPERED),
            &trust(&k),
            &policy(SignaturePolicy::Require, filter),
        );
        assert!(
            matches!(
                outcome_of(&r, BlobKind::Ed25519),
                Outcome::Failed(Failure::Target(TargetError::ManifestMalformed(_)))
            ),
            "{r:?}"
        );
        assert!(!r.passed());
        // It does not count as "a signature".
        assert!(
            matches!(r.policy_failures[..], [PolicyFailure::SignatureRequired]),
            "{r:?}"
        );
    }
}

/// Under a kind filter the target checksum is not reported, but it is still
/// checked against the payload: a `pkcs7-of-sha256`-style signature does not
/// pass on a tampered payload (the reference's sharp edge 10).
#[test]
fn kind_filter_does_not_untie_the_target() {
    let k = key();
    let digest = sha256(PAYLOAD);
    let mut item = Item::new("firmware.bin");
    item.blobs.push(blob(BlobKind::Sha256, &digest, None));
    item.blobs.push(blob(
        BlobKind::Ed25519,
        &ed25519_over(&k, &digest),
        Some(BlobKind::Sha256),
    ));
    let only_sigs = policy(SignaturePolicy::Verify, Some(BlobKind::Ed25519));
    let good = verify_item(&item, Payload::Bytes(PAYLOAD), &trust(&k), &only_sigs);
    assert!(good.passed(), "{good:?}");
    assert_eq!(good.blobs.len(), 1);
    assert!(matches!(good.blobs[0].outcome, Outcome::Passed(_)));

    let bad = verify_item(&item, Payload::Bytes(TAMPERED), &trust(&k), &only_sigs);
    assert!(!bad.passed());
    assert!(
        matches!(
            &bad.blobs[0].outcome,
            Outcome::Failed(Failure::Target(TargetError::Mismatch {
                target: BlobKind::Sha256,
                ..
            }))
        ),
        "{bad:?}"
    );
}

/// A signature over another signature (`ed25519-of-gpg`), over an unknown
/// kind or over a transparency kind says nothing about the payload.
#[test]
fn non_checksum_targets_fail() {
    let k = key();
    for target in [
        BlobKind::Gpg,
        BlobKind::Pkcs7,
        BlobKind::BtCheckpoint,
        BlobKind::BtInclusionProof,
        BlobKind::Unknown(99),
    ] {
        let text = b"whatever the target blob holds";
        let mut item = Item::new("firmware.bin");
        item.blobs.push(blob(target, text, None));
        item.blobs.push(blob(
            BlobKind::Ed25519,
            &ed25519_over(&k, text),
            Some(target),
        ));
        for filter in [None, Some(BlobKind::Ed25519)] {
            let r = verify_item(
                &item,
                Payload::Bytes(PAYLOAD),
                &trust(&k),
                &policy(SignaturePolicy::Verify, filter),
            );
            assert!(
                matches!(
                    outcome_of(&r, BlobKind::Ed25519),
                    Outcome::Failed(Failure::Target(TargetError::NotAChecksum { target: t }))
                        if *t == target
                ),
                "{target}: {r:?}"
            );
            assert!(!r.passed());
        }
    }
}

/// A checksum over a checksum passes only through the payload: each one
/// targeting the other (so neither is computed over the payload) fails.
#[test]
fn checksum_targets_are_tied_too() {
    let digest = sha256(PAYLOAD);
    let over_digest = checksum::create(DigestAlg::Sha512, &digest).into_bytes();
    let mut item = Item::new("firmware.bin");
    item.blobs.push(blob(BlobKind::Sha256, &digest, None));
    item.blobs
        .push(blob(BlobKind::Sha512, &over_digest, Some(BlobKind::Sha256)));
    let p = policy(SignaturePolicy::Verify, Some(BlobKind::Sha512));
    let t = TrustStore::new();
    assert!(verify_item(&item, Payload::Bytes(PAYLOAD), &t, &p).passed());
    let bad = verify_item(&item, Payload::Bytes(TAMPERED), &t, &p);
    assert!(matches!(
        &bad.blobs[0].outcome,
        Outcome::Failed(Failure::Target(TargetError::Mismatch { .. }))
    ));

    // sha1-of-sha256 and sha256-of-sha1: a closed loop that never reads the payload.
    let fake = b"0000000000000000000000000000000000000000000000000000000000000000";
    let fake_sha1 = checksum::create(DigestAlg::Sha1, fake).into_bytes();
    let mut looped = Item::new("firmware.bin");
    looped
        .blobs
        .push(blob(BlobKind::Sha256, fake, Some(BlobKind::Sha1)));
    looped
        .blobs
        .push(blob(BlobKind::Sha1, &fake_sha1, Some(BlobKind::Sha256)));
    let r = verify_item(
        &looped,
        Payload::Bytes(TAMPERED),
        &t,
        &policy(SignaturePolicy::Verify, None),
    );
    assert!(!r.passed());
    assert!(r.blobs.iter().all(|b| matches!(
        b.outcome,
        Outcome::Failed(Failure::Target(TargetError::Chained { .. }))
    )));
}

/// A valid target signature still counts for `--policy require` and
/// `--min-signers`; a failed one counts for neither.
#[test]
fn only_tied_target_signatures_count() {
    let k = key();
    let digest = sha256(PAYLOAD);
    let mut item = Item::new("firmware.bin");
    item.blobs.push(blob(BlobKind::Sha256, &digest, None));
    item.blobs.push(blob(
        BlobKind::Ed25519,
        &ed25519_over(&k, &digest),
        Some(BlobKind::Sha256),
    ));
    let mut p = policy(SignaturePolicy::Require, None);
    p.min_signers = 1;
    assert!(verify_item(&item, Payload::Bytes(PAYLOAD), &trust(&k), &p).passed());
    let bad = verify_item(&item, Payload::Bytes(TAMPERED), &trust(&k), &p);
    assert!(!bad.passed());
    assert!(
        matches!(
            bad.policy_failures[..],
            [
                PolicyFailure::SignatureRequired,
                PolicyFailure::TooFewSigners { have: 0, need: 1 }
            ]
        ),
        "{bad:?}"
    );
}

/// A signature over a bt-manifest passes when the manifest's `sha256` is the
/// payload's — checked with no log key at all — and fails otherwise.
#[test]
fn signature_over_a_manifest_passes_only_for_its_payload() {
    let k = key();
    let manifest = format!(
        "{{\n    \"component_id\": 7,\n    \"sha256\": \"{}\"\n}}",
        String::from_utf8(sha256(PAYLOAD)).unwrap()
    );
    let mut item = Item::new("firmware.bin");
    item.blobs
        .push(blob(BlobKind::BtManifest, manifest.as_bytes(), None));
    item.blobs.push(blob(
        BlobKind::Ed25519,
        &ed25519_over(&k, manifest.as_bytes()),
        Some(BlobKind::BtManifest),
    ));
    let p = policy(SignaturePolicy::Require, None);
    let good = verify_item(&item, Payload::Bytes(PAYLOAD), &trust(&k), &p);
    assert!(good.passed(), "{good:?}");
    assert!(matches!(
        outcome_of(&good, BlobKind::Ed25519),
        Outcome::Passed(_)
    ));
    let bad = verify_item(&item, Payload::Bytes(TAMPERED), &trust(&k), &p);
    assert!(!bad.passed());
    assert!(matches!(
        outcome_of(&bad, BlobKind::Ed25519),
        Outcome::Failed(Failure::Target(TargetError::Mismatch {
            target: BlobKind::BtManifest,
            ..
        }))
    ));
}
