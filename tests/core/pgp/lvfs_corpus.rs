//! The real LVFS OpenPGP material, read at run time from the shared corpus
//! (`../shared/corpus/real`): the SHA-1 and critical-subpacket rules must not
//! touch it. The LVFS key self-signs with SHA-256 (2015); its catalogs
//! (fwupd's fakedevice 2024, the LVFS-QA archive 2021) sign with SHA-256.

use jcat_core::PgpPublicKey;
use jcat_core::{BlobKind, Limits, Outcome, Policy, TimeCheck, TrustStore};
use pgp::composed::Deserializable as _;
use pgp::crypto::hash::HashAlgorithm;
use pgp::types::KeyDetails as _;

use super::PINNED;

const LVFS_FPR: &str = "3FC6B804410ED0840D8F2F9748A6D80E4538BAC2";

fn corpus() -> Option<std::path::PathBuf> {
    crate::common::shared("corpus/real")
}

#[test]
fn lvfs_key_self_signatures_are_sha256_from_2015() {
    let Some(base) = corpus() else { return };
    let bytes = std::fs::read(
        base.join("hughsie-libjcat/data/tests/pki/GPG-KEY-Linux-Vendor-Firmware-Service"),
    )
    .unwrap();
    let keys = PgpPublicKey::parse_all(&bytes).unwrap();
    assert_eq!(keys[0].fingerprint(), LVFS_FPR);
    // The self-signatures themselves, read with the `pgp` crate (the
    // library's key type does not expose it).
    let (raw, _) = pgp::composed::SignedPublicKey::from_armor_single(&bytes[..]).unwrap();
    assert_eq!(format!("{:X}", raw.fingerprint()), LVFS_FPR);
    let sigs: Vec<_> = raw
        .details
        .users
        .iter()
        .flat_map(|u| u.signatures.iter())
        .collect();
    assert!(!sigs.is_empty());
    for s in sigs {
        assert_eq!(s.hash_alg(), Some(HashAlgorithm::Sha256));
        let created = i64::from(s.created().unwrap().as_secs());
        assert!(created < jcat_core::SHA1_SELF_SIG_CUTOFF);
    }
    assert_eq!(
        keys[0].user_ids(),
        ["Linux Vendor Firmware Service <sign@fwupd.org>".to_string()]
    );
}

#[test]
fn lvfs_catalogs_gpg_blobs_still_pass() {
    let Some(base) = corpus() else { return };
    let mut trust = TrustStore::new();
    trust.add_file(
        &base.join("hughsie-libjcat/data/tests/pki/GPG-KEY-Linux-Vendor-Firmware-Service"),
        &Limits::default(),
    );
    let mut policy = Policy::new(jcat_core::TimeCheck::At(chrono::Utc::now().timestamp()));
    policy.time = TimeCheck::At(PINNED);
    policy.kind_filter = Some(BlobKind::Gpg);
    let catalogs = [
        "fwupd-fwupd/data/tests/fakedevice123.jcat",
        "fwupd-fwupd/data/tests/fakedevice124.jcat",
        "alcutter-lvfs-scratch/firmware.jcat",
    ];
    let mut passed = 0;
    for c in catalogs {
        let path = base.join(c);
        let dir = path.parent().unwrap();
        let catalog = jcat_core::load_path(&path, &Limits::default()).unwrap();
        for item in catalog.items() {
            let payload = jcat_core::find_payload(dir, item).unwrap();
            let r =
                jcat_core::verify_item(item, jcat_core::Payload::File(&payload), &trust, &policy);
            assert!(r.passed(), "{c} {}: {r:?}", item.id);
            for b in &r.blobs {
                match &b.outcome {
                    Outcome::Passed(v) => {
                        assert_eq!(v.authority.as_deref(), Some(LVFS_FPR));
                        passed += 1;
                    }
                    other => panic!("{c} {}: {other:?}", item.id),
                }
            }
        }
    }
    assert_eq!(passed, 6);
}
