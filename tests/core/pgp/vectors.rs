//! Real OpenPGP vectors, read from `../shared/corpus` (provenance in its
//! `real/MANIFEST.md` and `derived/README.md`).

use std::io::Read as _;

use jcat_core::engine::pgp::PgpError;
use jcat_core::reasons::{Malformed, Refusal, Unsupported};
use jcat_core::trust::pgp_keys::parse_public_keys;
use jcat_core::{BlobKind, ChainEntry, KeyId, Limits, SigError, TimeCheck};

use super::{pgpdata, trust_with, verify, PINNED};

const LVFS_FPR: &str = "3FC6B804410ED0840D8F2F9748A6D80E4538BAC2";
const LVFS_UID: &str = "Linux Vendor Firmware Service <sign@fwupd.org>";
const TEST_FPR: &str = "771CC6D4F046B941D94465B212956C12D64F5C21";

fn lvfs_trust() -> jcat_core::TrustStore {
    trust_with(&[pgpdata("GPG-KEY-Linux-Vendor-Firmware-Service")])
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(pgpdata(name)).unwrap()
}

fn dearmor(armored: &[u8]) -> Vec<u8> {
    let mut d = pgp::armor::Dearmor::new(armored);
    let mut out = Vec::new();
    d.read_to_end(&mut out).unwrap();
    out
}

#[test]
fn lvfs_key_loads_with_user_id() {
    crate::shared!("corpus");
    let keys = parse_public_keys(&read("GPG-KEY-Linux-Vendor-Firmware-Service")).unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].fingerprint(), LVFS_FPR);
    assert_eq!(keys[0].key_id(), "48A6D80E4538BAC2");
    assert_eq!(keys[0].user_ids(), [LVFS_UID.to_string()]);
    let trust = lvfs_trust();
    assert_eq!(trust.pgp_key_count(), 1);
    assert!(trust.skipped().is_empty(), "{:?}", trust.skipped());
}

#[test]
fn key_parser_classifies() {
    crate::shared!("corpus");
    assert!(parse_public_keys(b"not a key at all").unwrap().is_empty());
    assert!(parse_public_keys(&[0u8; 32]).unwrap().is_empty());
    assert_eq!(
        parse_public_keys(&read("firmware.bin.lvfs-good.asc")).err(),
        Some("OpenPGP data without a key (PGP SIGNATURE)".to_string())
    );
    // Binary (dearmored) key.
    let bin = dearmor(&read("GPG-KEY-Linux-Vendor-Firmware-Service"));
    let keys = parse_public_keys(&bin).unwrap();
    assert_eq!(keys[0].fingerprint(), LVFS_FPR);
    // Two keys in one file.
    let mut both = read("GPG-KEY-Linux-Vendor-Firmware-Service");
    both.extend(read("GPG-KEY-Linux-Vendor-Firmware-Service-Test-Key"));
    let fprs: Vec<String> = parse_public_keys(&both)
        .unwrap()
        .iter()
        .map(|k| k.fingerprint())
        .collect();
    assert_eq!(fprs, [LVFS_FPR, TEST_FPR]);
    // A truncated key block is OpenPGP but unusable.
    let key = read("GPG-KEY-Linux-Vendor-Firmware-Service");
    let cut = &bin[..bin.len() / 2];
    assert!(parse_public_keys(cut).is_err());
    assert!(!key.is_empty());
}

#[test]
fn lvfs_good_signature_passes() {
    crate::shared!("corpus");
    let trust = lvfs_trust();
    let payload = read("firmware.bin");
    let sig = read("firmware.bin.lvfs-good.asc");
    for time in [TimeCheck::At(PINNED), TimeCheck::Disabled] {
        let v = verify(&trust, time, &sig, &payload).unwrap();
        assert_eq!(v.authority.as_deref(), Some(LVFS_FPR));
        assert_eq!(v.timestamp, 1_438_072_952);
        assert!(
            matches!(&v.keys[..], [KeyId::OpenPgp { fingerprint }] if fingerprint == LVFS_FPR),
            "{:?}",
            v.keys
        );
        assert_eq!(
            v.chain,
            [
                ChainEntry::Fingerprint(LVFS_FPR.into()),
                ChainEntry::UserId(LVFS_UID.into())
            ]
        );
    }
    // The binary form of the same signature.
    let v = verify(&trust, TimeCheck::At(PINNED), &dearmor(&sig), &payload).unwrap();
    assert_eq!(v.authority.as_deref(), Some(LVFS_FPR));
}

#[test]
fn lvfs_good_signature_over_other_bytes_is_bad() {
    crate::shared!("corpus");
    let trust = lvfs_trust();
    let other = read("firmware.bin.asc");
    let sig = read("firmware.bin.lvfs-good.asc");
    assert_eq!(
        verify(&trust, TimeCheck::At(PINNED), &sig, &other),
        Err(SigError::OpenPgp(PgpError::BadSignature {
            fingerprint: LVFS_FPR.into()
        }))
    );
    // A flipped byte in the RSA signature value.
    let mut bin = dearmor(&sig);
    let last = bin.len() - 1;
    bin[last] ^= 1;
    assert_eq!(
        verify(&trust, TimeCheck::At(PINNED), &bin, &read("firmware.bin")),
        Err(SigError::OpenPgp(PgpError::BadSignature {
            fingerprint: LVFS_FPR.into()
        }))
    );
}

#[test]
fn signature_made_after_the_verification_time_fails() {
    crate::shared!("corpus");
    let trust = lvfs_trust();
    let r = verify(
        &trust,
        TimeCheck::At(1_438_072_952 - 3600),
        &read("firmware.bin.lvfs-good.asc"),
        &read("firmware.bin"),
    );
    let err = r.unwrap_err();
    assert_eq!(
        err,
        SigError::OpenPgp(PgpError::MadeAfterVerificationTime {
            fingerprint: LVFS_FPR.into(),
            created: 1_438_072_952,
            time: 1_438_072_952 - 3600
        })
    );
    assert_eq!(
        err.to_string(),
        format!("signature '{LVFS_FPR}' was made at 2015-07-28T08:42:32Z, after the verification time 2015-07-28T07:42:32Z")
    );
}

#[test]
fn unknown_key_is_untrusted_with_reference_message() {
    crate::shared!("corpus");
    let trust = lvfs_trust();
    let r = verify(
        &trust,
        TimeCheck::At(PINNED),
        &read("firmware.bin.asc"),
        &read("firmware.bin"),
    );
    // Only an issuer key ID (and SHA-1): the unknown key is reported first,
    // with the reference's text.
    let err = r.unwrap_err();
    assert_eq!(
        err.to_string(),
        "Could not check signature 'AD8A528FEC44881E' as no public key"
    );
    assert!(matches!(
        err,
        SigError::OpenPgp(PgpError::UnknownKey { .. })
    ));
}

#[test]
fn fakedevice_catalogs_pass_with_lvfs_key() {
    crate::shared!("corpus");
    let trust = lvfs_trust();
    for cat in ["fakedevice123.jcat", "fakedevice124.jcat"] {
        let catalog = jcat_core::load_path(&pgpdata(cat), &Limits::default()).unwrap();
        assert_eq!(catalog.items().len(), 2);
        for item in catalog.items() {
            let blob = item.blob_by_kind(BlobKind::Gpg).unwrap();
            let payload = read(&item.id);
            let v = verify(&trust, TimeCheck::At(PINNED), &blob.data, &payload).unwrap();
            assert_eq!(v.authority.as_deref(), Some(LVFS_FPR), "{cat} {}", item.id);
            assert!(v.timestamp >= 1_705_829_729, "{}", v.timestamp);
            let mut tampered = payload.clone();
            tampered.push(b'\n');
            assert!(matches!(
                verify(&trust, TimeCheck::At(PINNED), &blob.data, &tampered),
                Err(SigError::OpenPgp(PgpError::BadSignature { .. }))
            ));
        }
    }
}

#[test]
fn lvfs_website_signatures_name_the_test_key() {
    crate::shared!("corpus");
    let catalog =
        jcat_core::load_path(&pgpdata("lvfs-website-firmware.jcat"), &Limits::default()).unwrap();
    let with_key = trust_with(&[pgpdata("GPG-KEY-Linux-Vendor-Firmware-Service-Test-Key")]);
    let without = lvfs_trust();
    let mut n = 0;
    for item in catalog.items() {
        let blob = item.blob_by_kind(BlobKind::Gpg).unwrap();
        // The payloads are not published: the signature parses, finds the
        // test key, and fails only cryptographically.
        assert_eq!(
            verify(
                &with_key,
                TimeCheck::At(PINNED),
                &blob.data,
                b"not the payload"
            ),
            Err(SigError::OpenPgp(PgpError::BadSignature {
                fingerprint: TEST_FPR.into()
            }))
        );
        assert_eq!(
            verify(
                &without,
                TimeCheck::At(PINNED),
                &blob.data,
                b"not the payload"
            ),
            Err(SigError::OpenPgp(PgpError::UnknownKey {
                id: TEST_FPR.into()
            }))
        );
        n += 1;
    }
    assert_eq!(n, 2);
}

#[test]
fn non_detached_and_empty_inputs_are_refused() {
    crate::shared!("corpus");
    let trust = lvfs_trust();
    let payload = read("firmware.bin");
    let msg = b"-----BEGIN PGP MESSAGE-----\n\nowGbwMvMwCF2\n=AAAA\n-----END PGP MESSAGE-----\n";
    assert!(matches!(
        verify(&trust, TimeCheck::At(PINNED), msg, &payload),
        Err(SigError::Refused(_))
    ));
    let clear = b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nhello\n-----BEGIN PGP SIGNATURE-----\n\niQ==\n-----END PGP SIGNATURE-----\n";
    assert!(matches!(
        verify(&trust, TimeCheck::At(PINNED), clear, &payload),
        Err(SigError::Refused(_))
    ));
    // Binary literal data packet (tag 11): 'b', empty name, date 0, "hi".
    let literal = [0xCB, 8, b'b', 0, 0, 0, 0, 0, b'h', b'i'];
    assert_eq!(
        verify(&trust, TimeCheck::At(PINNED), &literal, &payload),
        Err(SigError::Refused(Refusal::PgpLiteralData))
    );
    // Only a marker packet: OpenPGP, but no signature.
    let marker = [0xCA, 3, b'P', b'G', b'P'];
    assert_eq!(
        verify(&trust, TimeCheck::At(PINNED), &marker, &payload),
        Err(SigError::Malformed(Malformed::PgpNoSignatures))
    );
    assert!(matches!(
        verify(&trust, TimeCheck::At(PINNED), b"garbage", &payload),
        Err(SigError::Malformed(_))
    ));
    assert!(matches!(
        verify(
            &trust,
            TimeCheck::At(PINNED),
            &read("GPG-KEY-Linux-Vendor-Firmware-Service"),
            &payload
        ),
        Err(SigError::Malformed(_))
    ));
}

#[test]
fn unsupported_hash_algorithm() {
    crate::shared!("corpus");
    let trust = lvfs_trust();
    let mut bin = dearmor(&read("firmware.bin.lvfs-good.asc"));
    // Old-format header (0x89 + 2 length bytes), then version 4, type, pubkey alg, hash alg.
    assert_eq!(&bin[..7], &[0x89, 0x01, 0x1c, 4, 0, 1, 8]);
    bin[6] = 1; // MD5
    assert_eq!(
        verify(&trust, TimeCheck::At(PINNED), &bin, &read("firmware.bin")),
        Err(SigError::Unsupported(Unsupported::PgpHash("MD5".into())))
    );
}

#[test]
fn fakedevice_items_pass_through_the_streamed_evaluator() {
    crate::shared!("corpus");
    let trust = lvfs_trust();
    let mut policy =
        jcat_core::Policy::new(jcat_core::TimeCheck::At(chrono::Utc::now().timestamp()));
    policy.time = TimeCheck::At(PINNED);
    policy.kind_filter = Some(BlobKind::Gpg);
    policy.require_signers = vec![LVFS_UID.to_string(), LVFS_FPR.to_lowercase()];
    let catalog = jcat_core::load_path(&pgpdata("fakedevice123.jcat"), &Limits::default()).unwrap();
    for item in catalog.items() {
        let path = pgpdata(&item.id);
        let report = jcat_core::verify_item(item, jcat_core::Payload::File(&path), &trust, &policy);
        assert!(report.passed(), "{report:?}");
        assert_eq!(report.blobs.len(), 1);
        match &report.blobs[0].outcome {
            jcat_core::Outcome::Passed(v) => assert_eq!(v.authority.as_deref(), Some(LVFS_FPR)),
            other => panic!("{other:?}"),
        }
    }
    policy.require_signers = vec!["Someone Else".into()];
    let item = &catalog.items()[0];
    let path = pgpdata(&item.id);
    let report = jcat_core::verify_item(item, jcat_core::Payload::File(&path), &trust, &policy);
    assert!(!report.passed());
}
