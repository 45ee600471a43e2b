//! Command behaviour, no reference tool needed: exit codes, messages,
//! reloading what the binary wrote.

use jcat_core::{BlobFlags, BlobKind};

use crate::common::*;

#[test]
fn usage_errors_exit_2_with_reference_messages() {
    let d = tempfile::tempdir().unwrap();
    let r = jt(d.path(), "").code(2);
    assert!(
        r.stderr
            .starts_with("Command not found\n\nUsage:\n  jcat-tool [OPTION…]\n"),
        "{}",
        r.stderr
    );
    let r = jt(d.path(), "info");
    assert_eq!(
        (r.code, r.stderr.lines().next()),
        (2, Some("Invalid arguments, expected FILENAME"))
    );
    let r = jt(d.path(), "sign a b c");
    assert_eq!(
        r.stderr.lines().next(),
        Some("Invalid arguments, expected FILENAME SOURCE CERT PRIVKEY")
    );
    let r = jt(d.path(), "add-alias a b");
    assert_eq!(
        r.stderr.lines().next(),
        Some("Invalid arguments, expected FILENAME ID ALIAS_ID")
    );
    jt(d.path(), "--bogus info x").says(2, "Failed to parse arguments: Unknown option --bogus\n");
    jt(d.path(), "--kind foo info x").says(2, "Failed to parse 'foo', expected sha256,gpg,pkcs7,sha1,bt-manifest,bt-checkpoint,bt-inclusion-proof,bt-verifier,ed25519,sha512,bt-logindex\n");
    let r = jt(d.path(), "--target bar --kind sha256 info x");
    assert_eq!(
        r.stderr,
        "Failed to parse target 'bar', expected sha256,gpg,pkcs7,sha1,bt-manifest,bt-checkpoint,bt-inclusion-proof,bt-verifier,ed25519,sha512,bt-logindex\n"
    );
}

#[test]
fn version_and_help_exit_0() {
    let d = tempfile::tempdir().unwrap();
    let r = jt(d.path(), "--version").ok();
    assert!(r.stdout.starts_with("libjcat 0.2.3"), "{}", r.stdout);
    jt(d.path(), "--help")
        .ok()
        .stdout_has("  verify FILENAME [SOURCE]      Verify a signature from a file\n")
        .stdout_has("  add-alias FILENAME ID ALIAS_ID\n                                Add an alias for a specific item\n");
}

#[test]
fn missing_or_broken_catalog_is_exit_2() {
    let d = tempfile::tempdir().unwrap();
    jt(d.path(), "info nope.jcat")
        .code(2)
        .stderr_has("nope.jcat");
    let bad = crate::shared!(
        "corpus/real/chromium-chromium/chromeos/ash/components/fwupd/kIncorrectTestChecksumData.jcat"
    );
    jt(d.path(), &["info", bad.to_str().unwrap()]).says(
        2,
        &format!("{}: item 0: failed to find Id\n", bad.display()),
    );
}

#[test]
fn import_by_extension_and_reload() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    for sig in [
        "firmware.bin.sha256",
        "firmware.bin.asc",
        "firmware.bin.p7b",
        "firmware.bin.ed25519",
    ] {
        jt(p, &["import", "f.jcat", "firmware.bin", sig]).ok();
    }
    let cat = load(&p.join("f.jcat"));
    let item = cat.item("firmware.bin").unwrap();
    let kinds: Vec<_> = item.blobs.iter().map(|b| (b.kind, b.flags)).collect();
    assert_eq!(
        kinds,
        [
            (BlobKind::Sha256, BlobFlags::IS_UTF8),
            (BlobKind::Gpg, BlobFlags::IS_UTF8),
            (BlobKind::Pkcs7, BlobFlags::IS_UTF8),
            (BlobKind::Ed25519, BlobFlags::NONE)
        ]
    );
    assert_eq!(item.blobs[0].data, FW_SHA256.as_bytes());
    assert_eq!(
        item.blobs[3].data,
        std::fs::read(p.join("firmware.bin.ed25519")).unwrap()
    );
    // .sha1 is importable here (the reference lists it but refuses it).
    std::fs::write(p.join("x.sha1"), "7c0ae84b191822bcadbdcbe2f74a011695d783c7").unwrap();
    jt(p, "import f.jcat firmware.bin x.sha1").ok();
    assert_eq!(
        load(&p.join("f.jcat"))
            .item("firmware.bin")
            .unwrap()
            .blobs_by_kind(BlobKind::Sha1)
            .count(),
        1
    );
    let before = Snapshot::of(p.join("f.jcat"));
    let r = jt(p, "import f.jcat firmware.bin firmware.bin").code(2);
    assert!(r
        .stderr
        .starts_with("Cannot detect blob kind from extension, expected .asc .btmanifest "));
    before.assert_untouched();
}

#[test]
fn import_binary_under_text_extension_is_stored_as_base64() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("bin.asc"), [0x89u8, 0x01, 0xff, 0x00, 0x10]).unwrap();
    jt(d.path(), "import x.jcat fw bin.asc").ok();
    let cat = load(&d.path().join("x.jcat"));
    let b = &cat.item("fw").unwrap().blobs[0];
    assert_eq!((b.kind, b.flags), (BlobKind::Gpg, BlobFlags::NONE));
    assert_eq!(b.data, [0x89u8, 0x01, 0xff, 0x00, 0x10]);
}

#[test]
fn self_sign_checksums_target_appstream_basename() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    let kr = p.join("kr");
    let kr = kr.to_str().unwrap();
    // `--keyring KR` (an absolute path, kept as one word) before `line`.
    let with_kr = |line: &str| {
        let mut args = vec!["--keyring".to_owned(), kr.to_owned()];
        args.extend(words(line));
        args
    };
    jt(p, &with_kr("self-sign f.jcat firmware.bin --kind sha256")).ok();
    jt(
        p,
        &with_kr("self-sign f.jcat firmware.bin --kind sha512 --target sha256"),
    )
    .ok();
    std::fs::create_dir(p.join("sub")).unwrap();
    std::fs::copy(p.join("firmware.bin"), p.join("sub/other.bin")).unwrap();
    jt(
        p,
        &[
            "self-sign",
            "--keyring",
            kr,
            "--basename",
            "--appstream-id",
            "com.x",
            "--kind",
            "sha1",
            "f.jcat",
            "sub/other.bin",
        ],
    )
    .ok();
    let cat = load(&p.join("f.jcat"));
    let fw = cat.item("firmware.bin").unwrap();
    assert_eq!(fw.blobs[0].data, FW_SHA256.as_bytes());
    assert_eq!(fw.blobs[1].target, Some(BlobKind::Sha256));
    let expected = jcat_core::engine::checksum::create(
        jcat_core::digest::DigestAlg::Sha512,
        FW_SHA256.as_bytes(),
    );
    assert_eq!(fw.blobs[1].data, expected.as_bytes());
    let other = cat.item("other.bin").unwrap();
    assert_eq!(other.blobs[0].appstream_id.as_deref(), Some("com.x"));
    assert_eq!(
        other.blobs[0].data,
        b"7c0ae84b191822bcadbdcbe2f74a011695d783c7"
    );
    // A missing target is an error and the catalog stays as it was.
    let before = Snapshot::of(p.join("f.jcat"));
    jt(
        p,
        &with_kr("self-sign f.jcat firmware.bin --kind sha1 --target sha1"),
    )
    .says(2, "no existing checksum of type sha1\n");
    before.assert_untouched();
    // The target signature verifies.
    let r = jt(p, "verify f.jcat firmware.bin");
    assert_eq!(
        r.stdout,
        "firmware.bin:\n    PASSED sha256: OK\n    PASSED sha512-of-sha256: OK\n"
    );
}

#[test]
fn self_sign_several_sources_in_one_call() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    for i in 0..5 {
        std::fs::write(p.join(format!("f{i}.bin")), format!("payload {i}")).unwrap();
    }
    self_sign(p, "--kind sha256 c.jcat f0.bin f1.bin f2.bin f3.bin f4.bin");
    let cat = load(&p.join("c.jcat"));
    assert_eq!(cat.items().len(), 5);
    let r = jt(p, "verify c.jcat").ok();
    assert_eq!(r.stdout.matches("PASSED sha256: OK").count(), 5);
    // A missing source fails the whole call and writes nothing.
    let before = Snapshot::of(p.join("c.jcat"));
    jt(
        p,
        "--keyring kr self-sign --kind sha1 c.jcat f0.bin missing.bin",
    )
    .code(2);
    before.assert_untouched();
}

#[test]
fn ed25519_self_sign_and_sign_with_raw_keys() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    self_sign(p, "--kind ed25519 s.jcat firmware.bin");
    let passed = "firmware.bin:\n    PASSED ed25519: OK\n";
    verify_at(p, "s.jcat --public-key kr/pki/public.ed25519", 0, passed);
    jt(p, "verify s.jcat").prints(
        1,
        "firmware.bin:\n    FAILED ed25519: no keys in keyring\n    FAILED: Validation failed\n",
    );
    // sign with raw key files: the keyring's 32-byte seed, and the 64-byte seed ‖ public form.
    jt(
        p,
        "sign --kind ed25519 t.jcat firmware.bin kr/pki/public.ed25519 kr/pki/secret.ed25519",
    )
    .ok();
    verify_at(p, "t.jcat --public-key kr/pki/public.ed25519", 0, passed);
    let mut pair = std::fs::read(p.join("kr/pki/secret.ed25519")).unwrap();
    pair.extend(std::fs::read(p.join("kr/pki/public.ed25519")).unwrap());
    std::fs::write(p.join("pair.key"), &pair).unwrap();
    jt(
        p,
        "sign --kind ed25519 t2.jcat firmware.bin kr/pki/public.ed25519 pair.key",
    )
    .ok();
    // Ed25519 is deterministic: both forms give the same signature.
    assert_eq!(
        load(&p.join("t.jcat")).items()[0].blobs[0].data,
        load(&p.join("t2.jcat")).items()[0].blobs[0].data
    );
    // A mismatched pair is refused, and so is libjcat's 64-byte test secret
    // (which the reference refuses too).
    let tests = crate::shared!("corpus/real/hughsie-libjcat/data/tests");
    let public = tests.join("pki/test.ed25519");
    let sign_u = |secret: &str| {
        jt(
            p,
            &[
                "sign",
                "--kind",
                "ed25519",
                "u.jcat",
                "firmware.bin",
                public.to_str().unwrap(),
                secret,
            ],
        )
    };
    sign_u("kr/pki/secret.ed25519")
        .says(2, "the Ed25519 secret key does not match the public key\n");
    sign_u(tests.join("secret.ed25519").to_str().unwrap()).code(2);
    assert!(!p.join("u.jcat").exists());
}

#[test]
fn aliases_add_remove_and_lookup() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    jt(p, "import f.jcat firmware.bin firmware.bin.sha256").ok();
    jt(p, "add-alias f.jcat firmware.bin fw.bin").ok();
    // alias lookup
    jt(p, "add-alias f.jcat fw.bin other.bin").ok();
    assert_eq!(
        load(&p.join("f.jcat"))
            .item("firmware.bin")
            .unwrap()
            .alias_ids,
        ["fw.bin", "other.bin"]
    );
    jt(p, "remove-alias f.jcat firmware.bin fw.bin").ok();
    jt(p, "remove-alias f.jcat firmware.bin absent").ok();
    assert_eq!(
        load(&p.join("f.jcat"))
            .item("firmware.bin")
            .unwrap()
            .alias_ids,
        ["other.bin"]
    );
    let before = Snapshot::of(p.join("f.jcat"));
    jt(p, "add-alias f.jcat nothere x").says(1, "failed to find nothere\n");
    before.assert_untouched();
}

#[test]
fn export_names_files_like_the_reference() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    jt(p, "import f.jcat firmware.bin firmware.bin.sha256").ok();
    jt(
        p,
        "import --appstream-id com.x f.jcat sub/fw.bin firmware.bin.ed25519",
    )
    .ok();
    let r = jt(p, "export f.jcat --prefix out").ok();
    assert_eq!(
        r.stdout,
        "Wrote out/firmware.bin.sha256\nWrote out/sub/fw.bin-com.x.ed25519\n"
    );
    assert_eq!(
        std::fs::read(p.join("out/firmware.bin.sha256")).unwrap(),
        FW_SHA256.as_bytes()
    );
    assert_eq!(
        std::fs::read(p.join("out/sub/fw.bin-com.x.ed25519")).unwrap(),
        std::fs::read(p.join("firmware.bin.ed25519")).unwrap()
    );
    let r = jt(p, "export f.jcat --prefix out2 --kind ed25519");
    assert_eq!(r.stdout, "Wrote out2/sub/fw.bin-com.x.ed25519\n");
}

/// The reference's `-v` also turns on --basename and --disable-time-checks; ours is verbose only.
#[test]
fn short_v_is_verbose_only() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    std::fs::create_dir(p.join("dir")).unwrap();
    std::fs::copy(p.join("firmware.bin.sha256"), p.join("dir/fw.bin.sha256")).unwrap();
    jt(p, "-v import x.jcat dir/fw.bin dir/fw.bin.sha256").ok();
    assert_eq!(load(&p.join("x.jcat")).items()[0].id, "dir/fw.bin");
    // verbose lists trust files on stderr
    let key = crate::shared!("corpus/real/hughsie-libjcat/data/tests/pki/test.ed25519");
    jt(p, "import y.jcat firmware.bin firmware.bin.ed25519").ok();
    jt(
        p,
        &[
            "-v",
            "verify",
            "y.jcat",
            "--public-key",
            key.to_str().unwrap(),
        ],
    )
    .ok()
    .stderr_has("test.ed25519: Ed25519 public key");
}

/// Several sources signed in parallel on a fresh keyring: the keyring is
/// created once and every signature verifies with its certificate.
#[test]
fn self_sign_pkcs7_many_sources_fresh_keyring() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let names: Vec<String> = (0..6).map(|i| format!("f{i}.bin")).collect();
    for n in &names {
        std::fs::write(p.join(n), n.as_bytes()).unwrap();
    }
    let mut args = vec!["--keyring", "kr", "self-sign", "c.jcat"];
    args.extend(names.iter().map(String::as_str));
    jt(p, &args).ok();
    let r = jt(p, "verify c.jcat --public-key kr/pki/client.pem").ok();
    assert_eq!(
        r.stdout
            .matches("    PASSED pkcs7: CN=jcat self-signed key,O=jcat\n")
            .count(),
        6
    );
    let ids: Vec<String> = load(&p.join("c.jcat"))
        .items()
        .iter()
        .map(|i| i.id.clone())
        .collect();
    assert_eq!(ids, names, "items in source order");
}
