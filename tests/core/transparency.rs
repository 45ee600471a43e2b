//! Transparency primitives against the public vectors, read at run time from
//! `../shared` (never copied into the repository): every transparency-dev
//! Merkle proof vector, the real LVFS-QA checkpoints and the 2021 archive.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use jcat_core::engine::bt::{self, merkle, note, LogTrust};

use crate::common::shared;

fn b64(v: &serde_json::Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(v.as_str().unwrap_or(""))
        .unwrap()
}

fn b64_list(v: &serde_json::Value) -> Vec<Vec<u8>> {
    v.as_array()
        .map(|a| a.iter().map(b64).collect())
        .unwrap_or_default()
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

#[test]
fn every_transparency_dev_merkle_vector_agrees() {
    let Some(root) = shared("conformance/merkle") else {
        return;
    };
    let (mut agreed, mut total, mut accepted) = (0, 0, 0);
    for kind in ["inclusion", "consistency"] {
        let mut files = Vec::new();
        json_files(&root.join(kind), &mut files);
        files.sort();
        for f in files {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
            let want_err = v["wantErr"].as_bool().unwrap();
            let got = if kind == "inclusion" {
                merkle::verify_inclusion(
                    &b64(&v["leafHash"]),
                    v["leafIdx"].as_u64().unwrap(),
                    v["treeSize"].as_u64().unwrap(),
                    &b64_list(&v["proof"]),
                    &b64(&v["root"]),
                )
            } else {
                merkle::verify_consistency(
                    v["size1"].as_u64().unwrap(),
                    v["size2"].as_u64().unwrap(),
                    &b64_list(&v["proof"]),
                    &b64(&v["root1"]),
                    &b64(&v["root2"]),
                )
            };
            total += 1;
            if got.is_err() == want_err {
                agreed += 1;
                accepted += usize::from(!want_err);
            } else {
                eprintln!(
                    "disagree: {} (wantErr {want_err}, got {got:?})",
                    f.display()
                );
            }
        }
    }
    eprintln!("merkle: {agreed}/{total} ({accepted} accepted)");
    assert_eq!(agreed, total);
    assert_eq!(total, 196, "the suite has 196 vectors");
    assert_eq!(
        accepted, 12,
        "6 inclusion + 6 consistency vectors must be accepted"
    );
}

fn lvfsqa_trust(tests: &Path) -> LogTrust {
    let mut t = LogTrust::default();
    let vkey = std::fs::read_to_string(tests.join("test.btverifier")).unwrap();
    assert_eq!(t.add_vkey(&vkey).unwrap(), note::KeyRole::Log);
    t
}

#[test]
fn real_lvfs_qa_checkpoints_verify_and_a_flipped_bit_fails() {
    let Some(tests) = shared("corpus/real/hughsie-libjcat/data/tests") else {
        return;
    };
    let trust = lvfsqa_trust(&tests);
    let cp = std::fs::read(tests.join("test.btcheckpoint")).unwrap();
    let v = bt::verify_checkpoint(&cp, &trust).unwrap();
    assert_eq!(v.log, "lvfsqa+c463f084");
    assert_eq!(
        (v.checkpoint.origin.as_str(), v.checkpoint.size),
        ("lvfsqa", 4)
    );

    // One changed character of the body: the known key's line fails.
    let mut bad = cp.clone();
    let at = bad.iter().position(|b| *b == b'4').unwrap();
    bad[at] = b'5';
    assert!(matches!(
        bt::verify_checkpoint(&bad, &trust),
        Err(bt::BtError::Note(note::NoteError::BadSignature { .. }))
    ));
    // Another origin is refused.
    let mut other = trust.clone();
    other.origin = Some("lvfs".into());
    assert!(matches!(
        bt::verify_checkpoint(&cp, &other),
        Err(bt::BtError::Checkpoint(
            bt::checkpoint::CheckpointError::WrongOrigin { .. }
        ))
    ));
    // Without the key: no trusted signature.
    assert!(matches!(
        bt::verify_checkpoint(&cp, &LogTrust::default()),
        Err(bt::BtError::Note(
            note::NoteError::NoTrustedSignature { .. }
        ))
    ));
}

#[test]
fn real_2021_archive_leaf_is_at_index_3_of_7() {
    let (Some(tests), Some(archive)) = (
        shared("corpus/real/hughsie-libjcat/data/tests"),
        shared("corpus/real/alcutter-lvfs-scratch"),
    ) else {
        return;
    };
    let trust = lvfsqa_trust(&tests);
    let read = |n: &str| std::fs::read(archive.join(n)).unwrap();
    let cp = bt::verify_checkpoint(&read("at90usbkey123.hex.btcheckpoint"), &trust).unwrap();
    assert_eq!(cp.checkpoint.size, 7);
    let manifest = read("at90usbkey123.hex.btmanifest");
    let proof = bt::blobs::inclusion_proof(&read("at90usbkey123.hex.btinclusionproof")).unwrap();
    assert_eq!(proof.len(), 3);
    // Found by search, and confirmed with the index given.
    assert_eq!(
        bt::verify_inclusion(&manifest, &proof, None, &cp.checkpoint).unwrap(),
        3
    );
    assert_eq!(
        bt::verify_inclusion(&manifest, &proof, Some(3), &cp.checkpoint).unwrap(),
        3
    );
    assert!(matches!(
        bt::verify_inclusion(&manifest, &proof, Some(2), &cp.checkpoint),
        Err(bt::BtError::Inclusion {
            index: 2,
            size: 7,
            ..
        })
    ));
    // The manifest names the payload's SHA-256.
    let payload = read("at90usbkey123.hex");
    assert_eq!(
        bt::blobs::manifest_sha256(&manifest).unwrap(),
        jcat_core::engine::checksum::create(jcat_core::digest::DigestAlg::Sha256, &payload)
    );
    // Another leaf is found nowhere.
    let mut other = manifest.clone();
    other.push(b' ');
    assert!(matches!(
        bt::verify_inclusion(&other, &proof, None, &cp.checkpoint),
        Err(bt::BtError::LeafNotFound { size: 7, .. })
    ));
}

// ---- the transparency lines of `verify`, through the one evaluator ----

use ed25519_dalek::SigningKey;
use jcat_core::engine::bt::log::{witness, Log};
use jcat_core::verify::{Failure, Skip};
use jcat_core::{
    verify_item, Blob, BlobFlags, BlobKind, Item, ItemReport, Outcome, Payload, Policy, TimeCheck,
    TrustStore,
};

fn policy_with(trust: LogTrust) -> Policy {
    let mut p = Policy::new(jcat_core::TimeCheck::At(chrono::Utc::now().timestamp()));
    p.time = TimeCheck::At(1_780_272_000); // 2026-06-01
    p.transparency = Some(trust);
    p
}

fn line(r: &ItemReport, kind: BlobKind) -> &jcat_core::BlobReport {
    r.blobs
        .iter()
        .find(|b| b.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} line: {r:?}"))
}

fn authority(r: &ItemReport, kind: BlobKind) -> String {
    match &line(r, kind).outcome {
        Outcome::Passed(v) => v.authority.clone().unwrap_or_default(),
        other => panic!("{kind} did not pass: {other:?}"),
    }
}

#[test]
fn real_2021_archive_verifies_end_to_end() {
    let (Some(tests), Some(archive), Some(fwupd)) = (
        shared("corpus/real/hughsie-libjcat/data/tests"),
        shared("corpus/real/alcutter-lvfs-scratch"),
        shared("corpus/real/fwupd-fwupd/data/pki"),
    ) else {
        return;
    };
    let cat = jcat_core::load_path(&archive.join("firmware.jcat"), &Default::default()).unwrap();
    let item = cat
        .items()
        .iter()
        .find(|i| i.id == "at90usbkey123.hex")
        .unwrap();
    let mut keys = TrustStore::new();
    keys.add_file(&fwupd.join("LVFS-CA.pem"), &Default::default());
    keys.add_file(
        &tests.join("pki/GPG-KEY-Linux-Vendor-Firmware-Service"),
        &Default::default(),
    );
    let mut p = policy_with(lvfsqa_trust(&tests));
    p.require_transparency = true;
    let payload = archive.join("at90usbkey123.hex");
    let r = verify_item(item, Payload::File(&payload), &keys, &p);
    assert_eq!(
        authority(&r, BlobKind::BtCheckpoint),
        "lvfsqa+c463f084, tree size 7"
    );
    assert_eq!(
        authority(&r, BlobKind::BtManifest),
        "sha256 of payload matches"
    );
    assert_eq!(authority(&r, BlobKind::BtInclusionProof), "leaf 3 of 7");
    let facts = line(&r, BlobKind::BtInclusionProof)
        .transparency
        .clone()
        .unwrap();
    assert_eq!(
        (facts.origin.as_str(), facts.tree_size, facts.leaf_index),
        ("lvfsqa", 7, Some(3))
    );
    assert!(r.passed(), "{r:?}");

    // A bt-logindex of 2 makes the proof fail at that index.
    let mut at2 = item.clone();
    at2.blobs.push(Blob::new(
        BlobKind::BtLogindex,
        BlobFlags::IS_UTF8,
        b"2".to_vec(),
        Some(1),
    ));
    let r = verify_item(&at2, Payload::File(&payload), &keys, &p);
    assert!(matches!(
        line(&r, BlobKind::BtInclusionProof).outcome,
        Outcome::Failed(Failure::Transparency(bt::BtError::Inclusion {
            index: 2,
            size: 7,
            ..
        }))
    ));
    assert!(matches!(
        line(&r, BlobKind::BtLogindex).outcome,
        Outcome::Skipped(Skip::LogIndex)
    ));
    assert!(!r.passed());

    // Another payload: the manifest fails, and so does the item.
    let other = archive.join("at90usbkey123.metainfo.xml");
    let r = verify_item(item, Payload::File(&other), &keys, &p);
    assert!(matches!(
        line(&r, BlobKind::BtManifest).outcome,
        Outcome::Failed(Failure::Transparency(bt::BtError::ManifestMismatch { .. }))
    ));

    // The metainfo item has no transparency blobs: required, so it fails.
    let meta = cat
        .items()
        .iter()
        .find(|i| i.id == "at90usbkey123.metainfo.xml")
        .unwrap();
    let r = verify_item(meta, Payload::File(&other), &keys, &p);
    assert!(!r.passed());
    assert!(
        r.policy_failures
            .contains(&jcat_core::PolicyFailure::TransparencyRequired),
        "{r:?}"
    );
}

fn sk() -> SigningKey {
    SigningKey::generate(&mut rand_core::OsRng)
}

/// An item for `payload` carrying the blobs of our own log, which holds the
/// item's manifest at index 2 of 5.
fn logged_item(
    payload: &[u8],
    log: &mut Log,
    witnesses: &[(&note::NoteKey, &SigningKey, u64)],
) -> Item {
    let digest = jcat_core::engine::checksum::create(jcat_core::digest::DigestAlg::Sha256, payload);
    let manifest = format!("{{\"sha256\": \"{digest}\"}}");
    log.append(b"zero");
    log.append(b"one");
    let idx = log.append(manifest.as_bytes());
    log.append(b"three");
    log.append(b"four");
    let mut item = Item::new("firmware.bin");
    for (kind, data) in [
        (BlobKind::Sha256, digest.clone()),
        (BlobKind::BtManifest, manifest),
        (
            BlobKind::BtCheckpoint,
            log.signed_checkpoint(&[], witnesses),
        ),
        (BlobKind::BtInclusionProof, log.inclusion_proof(idx)),
    ] {
        item.blobs.push(Blob::new(
            kind,
            BlobFlags::IS_UTF8,
            data.into_bytes(),
            Some(1),
        ));
    }
    item
}

#[test]
fn own_log_negatives_each_fail_for_their_reason() {
    let mut log = Log::new("example.org/log", sk()).unwrap();
    let item = logged_item(b"payload", &mut log, &[]);
    let mut trust = LogTrust::default();
    trust.add_vkey(&log.vkey()).unwrap();
    let keys = TrustStore::new();
    let r = verify_item(
        &item,
        Payload::Bytes(b"payload"),
        &keys,
        &policy_with(trust.clone()),
    );
    assert!(r.passed(), "{r:?}");
    assert_eq!(authority(&r, BlobKind::BtInclusionProof), "leaf 2 of 5");

    // Tampered payload: the sha256 and the manifest fail; inclusion still
    // proves the manifest was logged.
    let r = verify_item(
        &item,
        Payload::Bytes(b"tampered"),
        &keys,
        &policy_with(trust.clone()),
    );
    assert!(matches!(
        line(&r, BlobKind::BtManifest).outcome,
        Outcome::Failed(Failure::Transparency(bt::BtError::ManifestMismatch { .. }))
    ));
    assert!(!r.passed());

    // A manifest for another payload next to the right sha256 blob.
    let mut other = item.clone();
    let m = other
        .blobs
        .iter_mut()
        .find(|b| b.kind == BlobKind::BtManifest)
        .unwrap();
    m.data = br#"{"sha256": "0000000000000000000000000000000000000000000000000000000000000000"}"#
        .to_vec();
    let r = verify_item(
        &other,
        Payload::Bytes(b"payload"),
        &keys,
        &policy_with(trust.clone()),
    );
    assert!(matches!(
        line(&r, BlobKind::BtManifest).outcome,
        Outcome::Failed(Failure::Transparency(bt::BtError::ManifestDisagrees { .. }))
    ));
    // ... and its leaf is in no position of the tree.
    assert!(matches!(
        line(&r, BlobKind::BtInclusionProof).outcome,
        Outcome::Failed(Failure::Transparency(bt::BtError::LeafNotFound { .. }))
    ));

    // A bt-verifier blob in the catalog is not a trust anchor: an attacker's
    // log key there does not make the attacker's checkpoint pass.
    let mut evil = Log::new("example.org/log", sk()).unwrap();
    let mut forged = logged_item(b"payload", &mut evil, &[]);
    forged.blobs.push(Blob::new(
        BlobKind::BtVerifier,
        BlobFlags::IS_UTF8,
        evil.vkey().into_bytes(),
        Some(1),
    ));
    let r = verify_item(
        &forged,
        Payload::Bytes(b"payload"),
        &keys,
        &policy_with(trust.clone()),
    );
    assert!(matches!(
        line(&r, BlobKind::BtCheckpoint).outcome,
        Outcome::Failed(Failure::Transparency(bt::BtError::Note(
            note::NoteError::NoTrustedSignature { .. }
        )))
    ));
    assert!(matches!(
        line(&r, BlobKind::BtInclusionProof).outcome,
        Outcome::Failed(Failure::Transparency(bt::BtError::CheckpointUnverified))
    ));
    assert!(matches!(
        line(&r, BlobKind::BtVerifier).outcome,
        Outcome::Skipped(Skip::VerifierBlob)
    ));
    // Without log keys the reference's output is kept: all SKIPPED.
    let mut plain = Policy::new(jcat_core::TimeCheck::At(chrono::Utc::now().timestamp()));
    plain.time = TimeCheck::At(1_780_272_000);
    let r = verify_item(&forged, Payload::Bytes(b"payload"), &keys, &plain);
    assert!(matches!(
        line(&r, BlobKind::BtCheckpoint).outcome,
        Outcome::Skipped(Skip::NotSupported { .. })
    ));
    assert!(r.passed());
}

#[test]
fn witness_quorum_through_the_evaluator() {
    let mut log = Log::new("example.org/log", sk()).unwrap();
    let (w, ws) = witness("witness.example", sk()).unwrap();
    let item = logged_item(b"payload", &mut log, &[(&w, &ws, 1_780_000_000)]);
    let mut trust = LogTrust::default();
    trust.add_vkey(&log.vkey()).unwrap();
    trust.add_vkey(&w.vkey()).unwrap();
    trust.quorum = 1;
    let keys = TrustStore::new();
    let r = verify_item(
        &item,
        Payload::Bytes(b"payload"),
        &keys,
        &policy_with(trust.clone()),
    );
    assert!(r.passed(), "{r:?}");
    let facts = line(&r, BlobKind::BtCheckpoint)
        .transparency
        .clone()
        .unwrap();
    assert_eq!(
        facts.witnesses,
        vec![format!("witness.example+{:08x}", w.id)]
    );
    trust.quorum = 2;
    let r = verify_item(
        &item,
        Payload::Bytes(b"payload"),
        &keys,
        &policy_with(trust),
    );
    assert!(matches!(
        line(&r, BlobKind::BtCheckpoint).outcome,
        Outcome::Failed(Failure::Transparency(bt::BtError::QuorumMissed {
            got: 1,
            want: 2
        }))
    ));
    assert!(!r.passed());
}

#[test]
fn lvfs_manifest_layout_is_reproduced_byte_for_byte() {
    let Some(archive) = shared("corpus/real/alcutter-lvfs-scratch") else {
        return;
    };
    let real = std::fs::read(archive.join("at90usbkey123.hex.btmanifest")).unwrap();
    let payload = std::fs::read(archive.join("at90usbkey123.hex")).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&real).unwrap();
    let ours = bt::blobs::write_manifest(&bt::blobs::ManifestFields {
        component_id: v["component_id"].as_u64(),
        guids: v["guids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_str().unwrap().to_string())
            .collect(),
        filename_contents: "at90usbkey123.hex".into(),
        sha256: jcat_core::engine::checksum::create(jcat_core::digest::DigestAlg::Sha256, &payload),
    });
    assert_eq!(ours.as_bytes(), &real[..]);
}
