//! Hostile catalogs: nothing written or read outside --prefix, nothing lost.

use std::io::Write;

use crate::common::*;

fn write_gz(path: &std::path::Path, json: &str) {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(json.as_bytes()).unwrap();
    std::fs::write(path, e.finish().unwrap()).unwrap();
}

fn one_item(id: &str, appstream: Option<&str>) -> String {
    let a = appstream
        .map(|a| format!(",\"AppstreamId\":{a:?}"))
        .unwrap_or_default();
    format!(
        r#"{{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{{"Id":{id:?},"Blobs":[{{"Kind":1,"Flags":1{a},"Data":"{FW_SHA256}"}}]}}]}}"#
    )
}

#[test]
fn export_refuses_traversal_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::create_dir(p.join("out")).unwrap();
    for (id, app) in [
        ("../escape.bin", None),
        ("/abs/path.bin", None),
        ("fw.bin", Some("../../x")),
    ] {
        write_gz(&p.join("h.jcat"), &one_item(id, app));
        let r = jt(p, "export h.jcat --prefix out")
            .code(2)
            .stderr_has("is not a safe path");
        assert!(r.stdout.is_empty());
    }
    assert!(!p.join("escape.bin.sha256").exists());
    assert!(!p.join("x.sha256").exists());
    assert_eq!(std::fs::read_dir(p.join("out")).unwrap().count(), 0);
}

#[cfg(unix)]
#[test]
fn export_and_verify_refuse_symlinks_leading_out() {
    let d = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::create_dir(p.join("out")).unwrap();
    std::os::unix::fs::symlink(outside.path(), p.join("out/link")).unwrap();
    write_gz(&p.join("h.jcat"), &one_item("link/fw.bin", None));
    jt(p, "export h.jcat --prefix out")
        .code(2)
        .stderr_has("symbolic link");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    // verify must not read the payload through the link either.
    std::fs::write(outside.path().join("fw.bin"), b"secret").unwrap();
    jt(p, "verify h.jcat --prefix out")
        .code(1)
        .stdout_has("FAILED: item ID \"link/fw.bin\" is not a safe path");
}

#[test]
fn verify_refuses_traversal_ids() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::create_dir(p.join("pfx")).unwrap();
    std::fs::write(p.join("fw.bin"), b"outside").unwrap();
    write_gz(&p.join("h.jcat"), &one_item("../fw.bin", None));
    jt(p, "verify h.jcat --prefix pfx").prints(
        1,
        "../fw.bin:\n    FAILED: item ID \"../fw.bin\" is not a safe path inside pfx: it contains a '..' component\n",
    );
}

#[test]
fn failing_commands_leave_the_catalog_byte_for_byte() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    jt(p, "import f.jcat firmware.bin firmware.bin.sha256").ok();
    let before = Snapshot::of(p.join("f.jcat"));
    for a in [
        "sign f.jcat firmware.bin nocert.pem nokey.pem",
        "--kind ed25519 sign f.jcat firmware.bin firmware.bin firmware.bin",
        "--kind gpg --keyring kr self-sign f.jcat firmware.bin",
        "--kind bt-checkpoint --keyring kr self-sign f.jcat firmware.bin",
        "import f.jcat firmware.bin missing.asc",
        "remove-alias f.jcat absent.bin x",
    ] {
        jt(p, a).fails();
        before.assert_untouched();
    }
    // A catalog that does not parse is never overwritten.
    std::fs::write(p.join("bad.jcat"), b"not a catalog").unwrap();
    jt(p, "import bad.jcat firmware.bin firmware.bin.sha256").code(2);
    assert_eq!(std::fs::read(p.join("bad.jcat")).unwrap(), b"not a catalog");
    let leftovers: Vec<_> = std::fs::read_dir(p)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".jcat-tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[cfg(unix)]
#[test]
fn rewrite_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    jt(p, "import f.jcat firmware.bin firmware.bin.sha256").ok();
    std::fs::set_permissions(p.join("f.jcat"), std::fs::Permissions::from_mode(0o640)).unwrap();
    jt(p, "add-alias f.jcat firmware.bin a").ok();
    assert_eq!(
        std::fs::metadata(p.join("f.jcat"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o640
    );
}

#[test]
fn hostile_catalogs_give_one_line_errors() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("garbage", b"\x1f\x8b\x08garbage".to_vec()),
        ("deep", format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()),
        ("data-not-string", br#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a","Blobs":[{"Kind":1,"Flags":1,"Data":{}}]}]}"#.to_vec()),
        ("items-not-array", br#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":5}"#.to_vec()),
        ("root-array", b"[1,2]".to_vec()),
    ];
    for (name, bytes) in cases {
        std::fs::write(p.join(name), &bytes).unwrap();
        let r = jt(p, &["info", name]).code(2);
        assert_eq!(r.stderr.lines().count(), 1, "{name}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{name}");
    }
}

#[test]
fn export_names_never_collide() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // Two unknown-kind blobs and two identical-name blobs in different items.
    let json = r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[
        {"Id":"a-b","Blobs":[{"Kind":1,"Flags":1,"Data":"x"}]},
        {"Id":"a","Blobs":[{"Kind":1,"Flags":1,"AppstreamId":"b","Data":"y"}]}]}"#;
    write_gz(&p.join("c.jcat"), json);
    // Names never collide (D35): the second gets a number.
    jt(p, "export c.jcat --prefix out").prints(0, "Wrote out/a-b.sha256\nWrote out/a-b.2.sha256\n");
    assert_eq!(std::fs::read(p.join("out/a-b.2.sha256")).unwrap(), b"y");
    std::fs::remove_dir_all(p.join("out")).unwrap();
    let json = r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[
        {"Id":"a","Blobs":[{"Kind":99,"Flags":1,"Data":"x"},{"Kind":98,"Flags":1,"Data":"y"}]}]}"#;
    write_gz(&p.join("u.jcat"), json);
    jt(p, "export u.jcat --prefix out").prints(0, "Wrote out/a.kind99\nWrote out/a.kind98\n");
}

/// A process killed at any moment leaves the old catalog intact: kill
/// `self-sign` at spread-out moments while it hashes a large payload and
/// writes, and check the catalog is either the old bytes or a complete new one.
#[cfg(unix)]
#[test]
fn killed_process_leaves_old_or_new_catalog() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("big.bin"), vec![1u8; 48 << 20]).unwrap();
    std::fs::write(p.join("small.bin"), b"x").unwrap();
    self_sign(p, "--kind sha1 c.jcat small.bin");
    let old = std::fs::read(p.join("c.jcat")).unwrap();
    for delay_ms in [0u64, 5, 20, 60, 150, 400] {
        let mut child = ours()
            .current_dir(p)
            .args(words("--keyring kr self-sign --kind sha512 c.jcat big.bin"))
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(p.join("c.jcat")).unwrap();
        if now != old {
            // The rename happened: the new catalog is complete and readable.
            let cat = load(&p.join("c.jcat"));
            assert!(cat.item("big.bin").is_ok(), "after {delay_ms} ms");
            std::fs::write(p.join("c.jcat"), &old).unwrap();
        }
        assert!(jcat_core::load_path(&p.join("c.jcat"), &jcat_core::Limits::default()).is_ok());
    }
}
