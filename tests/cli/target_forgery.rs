//! The forgery from the issue "A forged catalog never passes" §1, with the
//! LVFS's own signature: its PKCS#7 blob over `fakedevice123.metainfo.xml`,
//! put with `Target: bt-manifest` next to a bt-manifest holding that text, in
//! an item for an arbitrary `firmware.bin`. The reference PASSes it against
//! `LVFS-CA.pem`; ours must FAIL it, with and without `--kind pkcs7`.

use std::path::PathBuf;

use jcat_core::{Blob, BlobFlags, BlobKind, Catalog, Item};

use crate::common::*;

/// `corpus/real/fwupd-fwupd` of the shared corpus, or `None` with a printed
/// reason (a failure in CI).
fn lvfs_real() -> Option<PathBuf> {
    crate::common::shared("corpus/real/fwupd-fwupd")
}

#[test]
fn lvfs_signature_moved_onto_a_bt_manifest_fails() {
    let Some(real) = lvfs_real() else { return };
    let tests = real.join("data/tests");
    let cat = jcat_core::load_path(
        &tests.join("fakedevice123.jcat"),
        &jcat_core::Limits::default(),
    )
    .unwrap();
    let meta = cat
        .items()
        .iter()
        .find(|i| i.id == "fakedevice123.metainfo.xml")
        .unwrap();
    let mut sig = meta.blob_by_kind(BlobKind::Pkcs7).unwrap().clone();
    sig.target = Some(BlobKind::BtManifest);
    let text = std::fs::read(tests.join("fakedevice123.metainfo.xml")).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut forged = Catalog::new();
    let item = forged.add_item(Item::new("firmware.bin")).unwrap();
    item.blobs.push(Blob::new(
        BlobKind::BtManifest,
        BlobFlags::IS_UTF8,
        text.clone(),
        Some(1),
    ));
    item.blobs.push(sig);
    jcat_core::save_path(&forged, &dir.path().join("forged.jcat")).unwrap();
    std::fs::write(dir.path().join("firmware.bin"), b"anything at all").unwrap();
    let ca = real.join("data/pki/LVFS-CA.pem");
    let ca = ca.to_str().unwrap();

    // Sanity: the moved signature is genuine: over its own text it passes.
    std::fs::write(dir.path().join("fakedevice123.metainfo.xml"), &text).unwrap();
    let mut genuine = Catalog::new();
    let g = genuine
        .add_item(Item::new("fakedevice123.metainfo.xml"))
        .unwrap();
    g.blobs
        .push(meta.blob_by_kind(BlobKind::Pkcs7).unwrap().clone());
    jcat_core::save_path(&genuine, &dir.path().join("genuine.jcat")).unwrap();
    // `verify CATALOG --prefix . --public-key CA --at … EXTRA…`.
    let verify = |catalog: &str, extra: &str| {
        let mut args = vec![
            "verify".to_owned(),
            catalog.to_owned(),
            "--prefix".to_owned(),
            ".".to_owned(),
            "--public-key".to_owned(),
            ca.to_owned(),
        ];
        args.extend(words(&format!("--at 2026-06-01T00:00:00Z {extra}")));
        jt(dir.path(), &args)
    };
    verify("genuine.jcat", "").ok();

    for extra in ["", "--kind pkcs7", "--policy require"] {
        let r = verify("forged.jcat", extra)
            .code(1)
            .stdout_has("FAILED pkcs7-of-bt-manifest: ");
        assert!(!r.stdout.contains("PASSED pkcs7"), "{}", r.stdout);
    }
}
