//! Interop with the reference jcat-tool 0.2.3: `info` byte-identical, files
//! written by each read by the other, checksum verdicts equal.

use std::path::Path;

use jcat_core::{Blob, BlobFlags, BlobKind, Catalog, Item};

use crate::common::*;

/// Files both accept, and whether the reference invents timestamps for them.
fn compare_info(dir: &Path, file: &Path) {
    let f = file.to_str().unwrap();
    let a = jt(dir, &["info", f]).ok();
    let b = rt(dir, &["info", f]).ok();
    let cat = load(file);
    let missing_ts = cat
        .items()
        .iter()
        .flat_map(|i| &i.blobs)
        .any(|b| b.timestamp.is_none());
    if missing_ts {
        assert_eq!(
            without_timestamps(&a.stdout),
            without_timestamps(&b.stdout),
            "{f}"
        );
    } else {
        assert_eq!(a.stdout, b.stdout, "{f}");
    }
}

#[test]
fn info_is_byte_identical_on_real_files() {
    if !have_tool("jcat-tool") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let mut compared = 0;
    let mut stack = vec![
        crate::shared!("corpus/real"),
        crate::shared!("corpus/derived/libjcat-colorhug"),
        crate::shared!("corpus/derived/fwupd-colorhug"),
    ];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "jcat") {
                let reference_ok = rt(d.path(), &["info", p.to_str().unwrap()]).code == 0;
                if reference_ok {
                    compare_info(d.path(), &p);
                    compared += 1;
                } else {
                    jt(d.path(), &["info", p.to_str().unwrap()]).code(2);
                }
            }
        }
    }
    assert!(compared >= 9, "compared {compared} files");
}

/// Edge cases: identical where both accept; where the reference accepts and we
/// refuse, it is a documented deviation (docs/compatibility.md).
#[test]
fn edge_cases_agree_or_deviate_as_documented() {
    if !have_tool("jcat-tool") {
        return;
    }
    let deviations = [
        "duplicate-ids.jcat",
        "empty-id.jcat",
        "negative-timestamp.jcat",
    ];
    let extensions = ["uncompressed.jcat"];
    let d = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(testdata().join("edge-cases")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.ends_with(".jcat") {
            continue;
        }
        let ours = jt(d.path(), &["info", p.to_str().unwrap()]);
        let theirs = rt(d.path(), &["info", p.to_str().unwrap()]);
        if deviations.contains(&name.as_str()) {
            assert_eq!((ours.code, theirs.code), (2, 0), "{name}");
        } else if extensions.contains(&name.as_str()) {
            assert_eq!((ours.code, theirs.code), (0, 1), "{name}");
        } else if theirs.code == 0 {
            compare_info(d.path(), &p);
        } else {
            assert_eq!(ours.code, 2, "{name}");
            assert!(
                ours.stderr.contains(theirs.stdout.trim()),
                "{name}: {} vs {}",
                ours.stderr,
                theirs.stdout
            );
        }
    }
}

fn blob(kind: BlobKind, flags: BlobFlags, data: &[u8], ts: u64) -> Blob {
    Blob::new(kind, flags, data.to_vec(), Some(ts))
}

/// Catalogs we write for a spread of scenarios are read by the reference
/// with identical `info`.
#[test]
fn files_we_write_are_read_by_the_reference() {
    if !have_tool("jcat-tool") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let mut cat = Catalog::new();
    let a = cat.add_item(Item::new("firmware.bin")).unwrap();
    a.add_alias("firmware-1.2.3.bin");
    a.add_alias("fw.bin");
    a.blobs.push(blob(
        BlobKind::Sha256,
        BlobFlags::IS_UTF8,
        FW_SHA256.as_bytes(),
        1_700_000_000,
    ));
    let mut t = blob(BlobKind::Sha512, BlobFlags::IS_UTF8, b"abc", 1_700_000_001);
    t.target = Some(BlobKind::Sha256);
    a.blobs.push(t);
    let mut app = blob(
        BlobKind::Gpg,
        BlobFlags::IS_UTF8,
        b"-----BEGIN PGP SIGNATURE-----\n\nxx\n-----END PGP SIGNATURE-----\n",
        12345,
    );
    app.appstream_id = Some("com.example.Firmware".into());
    a.blobs.push(app);
    a.blobs.push(blob(
        BlobKind::Ed25519,
        BlobFlags::NONE,
        &[0u8, 1, 2, 250, 255],
        0,
    ));
    a.blobs
        .push(blob(BlobKind::Unknown(99), BlobFlags(6), b"\x00\x01", 5));
    a.blobs
        .push(blob(BlobKind::BtManifest, BlobFlags::IS_UTF8, b"m", 6));
    let b = cat
        .add_item(Item::new("sub/dir/other.metainfo.xml"))
        .unwrap();
    b.blobs.push(blob(
        BlobKind::Sha1,
        BlobFlags::IS_UTF8,
        "tab\there \"quoted\" back\\slash é".as_bytes(),
        7,
    ));
    cat.add_item(Item::new("empty-item.bin")).unwrap();
    let path = d.path().join("ours.jcat");
    jcat_core::save_path(&cat, &path).unwrap();
    compare_info(d.path(), &path);
    // And it survives a rewrite by the reference (which drops an empty
    // `Blobs` array and then cannot read its own output: leave that item out).
    cat.remove_item("empty-item.bin").unwrap();
    jcat_core::save_path(&cat, &path).unwrap();
    rt(d.path(), "add-alias ours.jcat firmware.bin new.bin").ok();
    let back = load(&path);
    cat.items_mut()[0].add_alias("new.bin");
    // The reference injects "now" for the blob that had no Timestamp (spec §7.6).
    assert!(back.items()[0].blobs[3]
        .timestamp
        .is_some_and(|t| t > 1_700_000_000));
    cat.items_mut()[0].blobs[3].timestamp = back.items()[0].blobs[3].timestamp;
    assert_eq!(back, cat);
    // An empty catalog too.
    let empty = d.path().join("empty.jcat");
    jcat_core::save_path(&Catalog::new(), &empty).unwrap();
    compare_info(d.path(), &empty);
}

/// Files the reference writes are read by us identically.
#[test]
fn files_the_reference_writes_are_read_by_us() {
    if !have_tool("jcat-tool") {
        return;
    }
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    let kr = p.join("kr");
    let kr = kr.to_str().unwrap();
    for sig in [
        "firmware.bin.sha256",
        "firmware.bin.asc",
        "firmware.bin.p7b",
        "firmware.bin.ed25519",
    ] {
        rt(p, &["import", "r.jcat", "firmware.bin", sig]).ok();
    }
    for line in [
        "self-sign --kind sha512 --appstream-id com.x r.jcat firmware.bin",
        "self-sign --kind pkcs7 r.jcat firmware.bin",
    ] {
        let mut args = vec!["--keyring".to_owned(), kr.to_owned()];
        args.extend(words(line));
        rt(p, &args).ok();
    }
    rt(p, "add-alias r.jcat firmware.bin alias.bin").ok();
    compare_info(p, &p.join("r.jcat"));
    // 0.2.3 replaced the imported pkcs7 blob with the self-signed one.
    let cat = load(&p.join("r.jcat"));
    assert_eq!(cat.item("alias.bin").unwrap().blobs.len(), 5);
}

/// Checksum verdicts agree on intact and tampered payloads.
#[test]
fn checksum_verdicts_agree() {
    if !have_tool("jcat-tool") {
        return;
    }
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    for kind in ["sha1", "sha256", "sha512"] {
        self_sign(p, &format!("--kind {kind} c.jcat firmware.bin"));
    }
    let ours = jt(p, "verify c.jcat").ok();
    let theirs = rt(p, "verify c.jcat").ok();
    assert_eq!(ours.stdout, theirs.stdout);
    let mut data = std::fs::read(p.join("firmware.bin")).unwrap();
    data[100] ^= 1;
    std::fs::write(p.join("firmware.bin"), data).unwrap();
    let a = jt(p, "verify c.jcat").code(1);
    let b = rt(p, "verify c.jcat").code(1);
    // The reference prints its final error on stdout; we print it on stderr.
    assert_eq!(format!("{}{}", a.stdout, a.stderr), b.stdout);
}
