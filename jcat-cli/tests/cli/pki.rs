//! Vendor toolkit (issue 12): directories as sources, `jcat-tool pki …`.

use std::path::Path;

use jcat_core::BlobKind;

use crate::common::*;

fn ids(cat: &jcat_core::Catalog) -> Vec<String> {
    let mut v: Vec<String> = cat.items().iter().map(|i| i.id.clone()).collect();
    v.sort();
    v
}

fn tree(d: &Path) {
    std::fs::create_dir_all(d.join("plugin/lib/x")).unwrap();
    std::fs::write(d.join("plugin/manifest.json"), b"{}").unwrap();
    std::fs::write(d.join("plugin/lib/x/a.so"), b"so").unwrap();
    std::fs::write(d.join("plugin/data.bin"), b"data").unwrap();
}

#[test]
fn directory_source_signs_every_file_with_relative_ids() {
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    let keyring = d.path().join("keyring");
    let k = keyring.to_str().unwrap();
    let r = jt(
        d.path(),
        &[
            "--kind",
            "ed25519",
            "--keyring",
            k,
            "self-sign",
            "c.jcat",
            "plugin",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cat = load(&d.path().join("c.jcat"));
    assert_eq!(ids(&cat), ["data.bin", "lib/x/a.so", "manifest.json"]);
    assert!(cat
        .items()
        .iter()
        .all(|i| i.blobs.iter().any(|b| b.kind == BlobKind::Ed25519)));
    let pubkey = keyring.join("pki/public.ed25519");
    let r = jt(
        d.path(),
        &[
            "verify",
            "c.jcat",
            "--prefix",
            "plugin",
            "--public-key",
            pubkey.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // A changed file under the directory fails verification.
    std::fs::write(d.path().join("plugin/lib/x/a.so"), b"tampered").unwrap();
    let r = jt(
        d.path(),
        &[
            "verify",
            "c.jcat",
            "--prefix",
            "plugin",
            "--public-key",
            pubkey.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
}

#[test]
fn directory_source_with_checksums_and_basename() {
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    let r = jt(
        d.path(),
        &[
            "--kind",
            "sha256",
            "--basename",
            "self-sign",
            "c.jcat",
            "plugin",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        ids(&load(&d.path().join("c.jcat"))),
        ["a.so", "data.bin", "manifest.json"]
    );
}

#[test]
fn empty_directory_source_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("empty")).unwrap();
    let r = jt(
        d.path(),
        &["--kind", "sha256", "self-sign", "c.jcat", "empty"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("empty: no regular files"), "{}", r.stderr);
    assert!(!d.path().join("c.jcat").exists());
}

#[test]
fn files_under_prefix_get_ids_relative_to_it() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("many")).unwrap();
    for n in ["a.bin", "b.bin"] {
        std::fs::write(d.path().join("many").join(n), n.as_bytes()).unwrap();
    }
    // What the shell makes of `many/*`.
    let r = jt(
        d.path(),
        &[
            "--kind",
            "sha256",
            "--prefix",
            "many",
            "self-sign",
            "c.jcat",
            "many/a.bin",
            "many/b.bin",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ids(&load(&d.path().join("c.jcat"))), ["a.bin", "b.bin"]);
    let r = jt(d.path(), &["verify", "c.jcat", "--prefix", "many"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Without --prefix the ID stays the path given, as the reference.
    let r = jt(
        d.path(),
        &["--kind", "sha256", "self-sign", "d.jcat", "many/a.bin"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(ids(&load(&d.path().join("d.jcat"))), ["many/a.bin"]);
}
