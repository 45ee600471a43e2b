//! Replays the committed fuzz seeds and every past crash through the same
//! functions the fuzz targets call: none may panic.

use std::path::Path;

use jcat_core::fuzzing;
use jcat_core::BlobKind;

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut out = Vec::new();
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_name() != ".gitkeep" {
                out.push(std::fs::read(e.path()).unwrap());
            }
        }
    }
    out
}

fn trust(rel: &str) -> Vec<u8> {
    std::fs::read(crate::common::testdata().join(rel)).unwrap()
}

#[test]
fn catalog_seeds_and_regressions() {
    let all = inputs("catalog");
    assert!(all.len() >= 20, "seeds missing: {}", all.len());
    for data in all {
        fuzzing::catalog(&data);
    }
}

#[test]
fn signature_seeds_and_regressions() {
    let ca = trust("real/fwupd-fwupd/data/pki/LVFS-CA.pem");
    let gpg = trust("real/hughsie-libjcat/data/tests/pki/GPG-KEY-Linux-Vendor-Firmware-Service");
    let ed = trust("real/hughsie-libjcat/data/tests/pki/test.ed25519");
    for (target, kind, key) in [
        ("pkcs7", BlobKind::Pkcs7, &ca),
        ("pgp", BlobKind::Gpg, &gpg),
        ("ed25519", BlobKind::Ed25519, &ed),
    ] {
        let all = inputs(target);
        assert!(!all.is_empty(), "{target}: no seeds");
        for data in all {
            fuzzing::signature(kind, &data, key);
        }
    }
}

#[test]
fn trust_file_seeds_and_regressions() {
    let all = inputs("trust_file");
    assert!(all.len() >= 4);
    for data in all {
        fuzzing::trust_file(&data);
    }
}
