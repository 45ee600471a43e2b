//! Directories and files under `--prefix` as sources (issue 12): item IDs
//! relative to the directory or the prefix.

use std::path::Path;

use jcat_core::BlobKind;

use crate::common::*;

/// The catalog's item IDs, sorted.
pub(crate) fn ids(cat: &jcat_core::Catalog) -> Vec<String> {
    let mut v: Vec<String> = cat.items().iter().map(|i| i.id.clone()).collect();
    v.sort();
    v
}

/// A plugin directory: files at the top and two levels down.
pub(crate) fn tree(d: &Path) {
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
    jt(
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
    )
    .ok();
    let cat = load(&d.path().join("c.jcat"));
    assert_eq!(ids(&cat), ["data.bin", "lib/x/a.so", "manifest.json"]);
    assert!(cat
        .items()
        .iter()
        .all(|i| i.blobs.iter().any(|b| b.kind == BlobKind::Ed25519)));
    let pubkey = keyring.join("pki/public.ed25519");
    let verify = [
        "verify",
        "c.jcat",
        "--prefix",
        "plugin",
        "--public-key",
        pubkey.to_str().unwrap(),
    ];
    jt(d.path(), &verify).ok();
    // A changed file under the directory fails verification.
    std::fs::write(d.path().join("plugin/lib/x/a.so"), b"tampered").unwrap();
    jt(d.path(), &verify).code(1);
}

#[test]
fn directory_source_with_checksums_and_basename() {
    let d = tempfile::tempdir().unwrap();
    tree(d.path());
    jt(d.path(), "--kind sha256 --basename self-sign c.jcat plugin").ok();
    assert_eq!(
        ids(&load(&d.path().join("c.jcat"))),
        ["a.so", "data.bin", "manifest.json"]
    );
}

#[test]
fn empty_directory_source_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("empty")).unwrap();
    jt(d.path(), "--kind sha256 self-sign c.jcat empty")
        .code(2)
        .stderr_has("empty: no regular files");
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
    jt(
        d.path(),
        "--kind sha256 --prefix many self-sign c.jcat many/a.bin many/b.bin",
    )
    .ok();
    assert_eq!(ids(&load(&d.path().join("c.jcat"))), ["a.bin", "b.bin"]);
    jt(d.path(), "verify c.jcat --prefix many").ok();
    // Without --prefix the ID stays the path given, as the reference.
    jt(d.path(), "--kind sha256 self-sign d.jcat many/a.bin").ok();
    assert_eq!(ids(&load(&d.path().join("d.jcat"))), ["many/a.bin"]);
}
