//! `verify --bt-verifier …`: the transparency lines through the binary, on
//! the real 2021 LVFS-QA archive (read from the shared corpus) and on
//! catalogs made with our own test log.

use ed25519_dalek::SigningKey;
use jcat_core::engine::bt::log::{witness, Log};
use jcat_core::{Blob, BlobFlags, BlobKind, Catalog, Item};

use crate::common::*;
use crate::json_schemas::Report;

const AT: [&str; 2] = ["--at", "2026-06-01T00:00:00Z"];

#[test]
fn real_2021_archive_passes_with_the_lvfs_qa_log_key() {
    let archive = crate::shared!("corpus/real/alcutter-lvfs-scratch");
    let tests = crate::shared!("corpus/real/hughsie-libjcat/data/tests");
    let fwupd = crate::shared!("corpus/real/fwupd-fwupd/data/pki");
    let s = |p: std::path::PathBuf| p.to_str().unwrap().to_owned();
    let (prefix, vkey) = (s(archive.clone()), s(tests.join("test.btverifier")));
    let ca = s(fwupd.join("LVFS-CA.pem"));
    let gpg = s(tests.join("pki/GPG-KEY-Linux-Vendor-Firmware-Service"));
    let cat = s(archive.join("firmware.jcat"));
    let base = [
        "verify",
        &cat,
        "--prefix",
        &prefix,
        "--public-key",
        &ca,
        "--public-key",
        &gpg,
        AT[0],
        AT[1],
    ];
    let dir = tempfile::tempdir().unwrap();

    // Without a log key: the reference's SKIPPED lines.
    jt(dir.path(), &base)
        .ok()
        .stdout_has("SKIPPED bt-checkpoint: Jcat engine kind 'bt-checkpoint' not supported");

    let with_key = [&base[..], &["--bt-verifier", &vkey]].concat();
    let with = |extra: &str| {
        let mut args: Vec<String> = with_key.iter().map(|a| (*a).to_owned()).collect();
        args.extend(words(extra));
        args
    };
    jt(dir.path(), &with_key)
        .ok()
        .stdout_has("    PASSED bt-manifest: sha256 of payload matches\n")
        .stdout_has("    PASSED bt-checkpoint: lvfsqa+c463f084, tree size 7\n")
        .stdout_has("    PASSED bt-inclusion-proof: leaf 3 of 7\n");
    // The vkey as text works the same.
    let text = std::fs::read_to_string(tests.join("test.btverifier")).unwrap();
    jt(
        dir.path(),
        &[&base[..], &["--bt-verifier", text.trim()]].concat(),
    )
    .ok();

    // --json carries the facts.
    let r = jt(dir.path(), &with("--json"));
    let report: Report = serde_json::from_str(&r.stdout).unwrap();
    let item = report
        .items
        .iter()
        .find(|i| i.id == "at90usbkey123.hex")
        .unwrap();
    let proof = item
        .blobs
        .iter()
        .find(|b| b.kind == "bt-inclusion-proof")
        .unwrap();
    let t = proof.transparency.as_ref().unwrap();
    assert_eq!(
        (t.log.as_str(), t.origin.as_str(), t.tree_size, t.leaf_index),
        ("lvfsqa+c463f084", "lvfsqa", 7, Some(3))
    );
    assert!(t.witnesses.is_empty());

    // The metainfo item is not in the log: required, it fails.
    jt(dir.path(), &with("--require-transparency"))
        .code(1)
        .stdout_has("FAILED: transparency required");
    // Another origin: the checkpoint fails, exit 1.
    jt(dir.path(), &with("--bt-origin lvfs"))
        .code(1)
        .stdout_has(
            "FAILED bt-checkpoint: checkpoint origin \"lvfsqa\" is not the expected \"lvfs\"",
        );
}

fn sk() -> SigningKey {
    SigningKey::generate(&mut rand_core::OsRng)
}

#[test]
fn own_log_with_witnesses_and_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let payload = b"firmware image";
    std::fs::write(d.join("firmware.bin"), payload).unwrap();
    let digest = jcat_core::engine::checksum::create(jcat_core::digest::DigestAlg::Sha256, payload);
    let manifest = jcat_core::engine::bt::blobs::write_manifest(
        &jcat_core::engine::bt::blobs::ManifestFields {
            filename_contents: "firmware.bin".into(),
            sha256: digest.clone(),
            ..Default::default()
        },
    );
    let mut log = Log::new("example.org/log", sk()).unwrap();
    log.append(b"an earlier entry");
    let idx = log.append(manifest.as_bytes());
    let (w1, s1) = witness("w1.example", sk()).unwrap();
    let (w2, _) = witness("w2.example", sk()).unwrap();
    let mut cat = Catalog::new();
    let item = cat.add_item(Item::new("firmware.bin")).unwrap();
    for (kind, data) in [
        (BlobKind::Sha256, digest),
        (BlobKind::BtManifest, manifest),
        (
            BlobKind::BtCheckpoint,
            log.signed_checkpoint(&[], &[(&w1, &s1, 1_780_000_000)]),
        ),
        (BlobKind::BtInclusionProof, log.inclusion_proof(idx)),
        (BlobKind::BtLogindex, idx.to_string()),
    ] {
        item.blobs.push(Blob::new(
            kind,
            BlobFlags::IS_UTF8,
            data.into_bytes(),
            Some(1),
        ));
    }
    jcat_core::save_path(&cat, &d.join("fw.jcat")).unwrap();
    let (vkey, wk1, wk2) = (log.vkey(), w1.vkey(), w2.vkey());
    let base = ["verify", "fw.jcat", "--prefix", ".", "--bt-verifier", &vkey];

    jt(
        d,
        &[
            &base[..],
            &["--bt-witness", &wk1, "--bt-witness-quorum", "1"],
        ]
        .concat(),
    )
    .ok()
    .stdout_has(", 1 witness cosignature(s)\n")
    .stdout_has("PASSED bt-inclusion-proof: leaf 1 of 2\n")
    .stdout_has("SKIPPED bt-logindex: ");

    let two = [
        "--bt-witness",
        &wk1,
        "--bt-witness",
        &wk2,
        "--bt-witness-quorum",
        "2",
    ];
    jt(d, &[&base[..], &two].concat())
        .code(1)
        .stdout_has("FAILED bt-checkpoint: 1 of 2 required witness cosignatures");

    // Usage and trust-input errors: exit 2, naming the option.
    for (args, says) in [
        (
            vec!["verify", "fw.jcat", "--bt-origin", "x"],
            "--bt-origin needs --bt-verifier",
        ),
        (
            vec!["verify", "fw.jcat", "--bt-verifier", "not-a-key"],
            "Failed to load --bt-verifier not-a-key",
        ),
        (
            vec!["verify", "fw.jcat", "--bt-verifier", &wk1],
            "this is a witness key",
        ),
        (
            vec![
                "verify",
                "fw.jcat",
                "--bt-verifier",
                &vkey,
                "--bt-witness-quorum",
                "1",
            ],
            "--bt-witness-quorum 1 needs at least as many --bt-witness keys",
        ),
        (
            vec!["info", "fw.jcat", "--bt-verifier", &vkey],
            "--bt-verifier does not apply to info",
        ),
    ] {
        jt(d, &args).code(2).stderr_has(says);
    }
}

/// `self-sign --kind bt-manifest` writes the payload's manifest in the LVFS
/// layout; a signature over it (`--target bt-manifest`) is tied to the
/// payload through the manifest's sha256.
#[test]
fn self_signed_manifest_and_a_signature_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("firmware.bin"), b"version 1").unwrap();
    jt(
        d,
        "self-sign fw.jcat firmware.bin --kind bt-manifest --keyring kr",
    )
    .ok();
    let cat = load(&d.join("fw.jcat"));
    let m = cat.items()[0].blob_by_kind(BlobKind::BtManifest).unwrap();
    let want = jcat_core::engine::bt::blobs::write_manifest(
        &jcat_core::engine::bt::blobs::ManifestFields {
            filename_contents: "firmware.bin".into(),
            sha256: jcat_core::engine::checksum::create(
                jcat_core::digest::DigestAlg::Sha256,
                b"version 1",
            ),
            ..Default::default()
        },
    );
    assert_eq!(m.data, want.as_bytes());
    jt(
        d,
        "self-sign fw.jcat firmware.bin --kind ed25519 --target bt-manifest --keyring kr",
    )
    .ok();
    let verify = "verify fw.jcat --prefix . --public-key kr/pki/public.ed25519";
    jt(d, verify)
        .ok()
        .stdout_has("PASSED ed25519-of-bt-manifest");
    std::fs::write(d.join("firmware.bin"), b"version 2").unwrap();
    jt(d, verify).code(1).stdout_has(
        "FAILED ed25519-of-bt-manifest: signed bt-manifest checksum does not match the payload",
    );
}
