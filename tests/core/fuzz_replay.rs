//! Replays the committed fuzz seeds and every past crash through the same
//! functions the fuzz targets call: none may panic.

use jcat_core::fuzzing;
use jcat_core::BlobKind;

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let fuzz = crate::common::workspace_root().join("fuzz");
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

/// The real-world files of the shared corpus a target would be seeded with
/// (by file name ending); none, after `SKIPPED: …`, when it is absent.
fn shared_inputs(endings: &[&str]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let Some(corpus) = crate::common::shared("corpus") else {
        return out;
    };
    let mut stack = vec![corpus];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if endings.iter().any(|x| name.ends_with(x)) {
                out.push(std::fs::read(p).unwrap());
            }
        }
    }
    out
}

/// A trust anchor of our example (`testdata/example/make.sh`).
fn trust(name: &str) -> Vec<u8> {
    std::fs::read(crate::common::testdata().join("example/pki").join(name)).unwrap()
}

#[test]
fn catalog_seeds_and_regressions() {
    let all = inputs("catalog");
    assert!(all.len() >= 20, "seeds missing: {}", all.len());
    for data in all.into_iter().chain(shared_inputs(&[".jcat"])) {
        fuzzing::catalog(&data);
    }
}

#[test]
fn signature_seeds_and_regressions() {
    let ca = trust("example-ca.pem");
    let gpg = trust("GPG-KEY-Jcat-Example");
    let ed = trust("example.ed25519");
    for (target, kind, key, endings) in [
        ("pkcs7", BlobKind::Pkcs7, &ca, &[".p7b", ".p7c"][..]),
        ("pgp", BlobKind::Gpg, &gpg, &[".asc"][..]),
        (
            "ed25519",
            BlobKind::Ed25519,
            &ed,
            &["firmware.bin.ed25519"][..],
        ),
    ] {
        let all = inputs(target);
        assert!(!all.is_empty(), "{target}: no seeds");
        for data in all.into_iter().chain(shared_inputs(endings)) {
            fuzzing::signature(kind, &data, key);
        }
    }
}

#[test]
fn trust_file_seeds_and_regressions() {
    let all = inputs("trust_file");
    assert!(all.len() >= 4);
    let anchors = [
        ".pem",
        "GPG-KEY-Linux-Vendor-Firmware-Service",
        "test.ed25519",
    ];
    for data in all.into_iter().chain(shared_inputs(&anchors)) {
        fuzzing::trust_file(&data);
    }
}
