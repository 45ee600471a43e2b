//! Signatures through the binary: real LVFS vectors, our signatures verified
//! by the reference, the reference's verified by us.

use crate::common::*;

fn fakedevice_dir() -> Option<std::path::PathBuf> {
    shared("corpus/real/fwupd-fwupd/data/tests")
}

fn lvfs_keys() -> Vec<String> {
    vec![
        "--public-key".into(),
        shared_dir()
            .join("corpus/real/fwupd-fwupd/data/pki/LVFS-CA.pem")
            .to_string_lossy()
            .into_owned(),
        "--public-key".into(),
        shared_dir()
            .join(
                "corpus/real/hughsie-libjcat/data/tests/pki/GPG-KEY-Linux-Vendor-Firmware-Service",
            )
            .to_string_lossy()
            .into_owned(),
    ]
}

fn verify_fakedevice(name: &str, extra: &[&str]) -> Option<Run> {
    let d = fakedevice_dir()?;
    let file = d.join(name);
    let mut args: Vec<String> = vec![
        "verify".into(),
        file.to_string_lossy().into_owned(),
        "--prefix".into(),
        d.to_string_lossy().into_owned(),
    ];
    args.extend(lvfs_keys());
    args.extend(extra.iter().map(|s| s.to_string()));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    Some(jt(&d, &argv))
}

/// The two LVFS-made catalogs pass on every blob at a time inside the signer's
/// validity (2018-01-16 .. 2028-01-16) and fail pkcs7 after it.
#[test]
fn lvfs_catalogs_pass_at_a_pinned_time_and_expire_in_2028() {
    for (name, bin) in [
        ("fakedevice123.jcat", "fakedevice123"),
        ("fakedevice124.jcat", "fakedevice124"),
    ] {
        let Some(r) = verify_fakedevice(name, &["--at", "2026-06-01T00:00:00Z"]) else {
            return;
        };
        let r = r.ok();
        let item = |suffix: &str| {
            format!(
                "{bin}.{suffix}:\n    PASSED sha1: OK\n    PASSED sha256: OK\n    PASSED gpg: 3FC6B804410ED0840D8F2F9748A6D80E4538BAC2\n    PASSED pkcs7: O=Linux Vendor Firmware Project,CN=LVFS CA\n"
            )
        };
        assert_eq!(r.stdout, format!("{}{}", item("bin"), item("metainfo.xml")));
        let r = verify_fakedevice(name, &["--at", "2028-02-01T00:00:00Z"])
            .unwrap()
            .code(1)
            .stdout_has("PASSED gpg: 3FC6B804410ED0840D8F2F9748A6D80E4538BAC2");
        assert_eq!(
            r.stdout.matches("    FAILED pkcs7: ").count(),
            2,
            "{}",
            r.stdout
        );
        verify_fakedevice(
            name,
            &["--at", "2028-02-01T00:00:00Z", "--disable-time-checks"],
        )
        .unwrap()
        .ok();
    }
}

#[test]
fn lvfs_catalog_verdict_matches_the_reference_today() {
    if !have_tool("jcat-tool") {
        return;
    }
    let Some(d) = fakedevice_dir() else { return };
    // The reference keeps only the last --public-key: give it a directory.
    let kr = tempfile::tempdir().unwrap();
    let keys = kr.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    std::fs::copy(
        shared_dir().join("corpus/real/fwupd-fwupd/data/pki/LVFS-CA.pem"),
        keys.join("LVFS-CA.pem"),
    )
    .unwrap();
    let gpg = "GPG-KEY-Linux-Vendor-Firmware-Service";
    std::fs::copy(
        shared_dir()
            .join("corpus/real/hughsie-libjcat/data/tests/pki")
            .join(gpg),
        keys.join(gpg),
    )
    .unwrap();
    let args: Vec<&str> = vec![
        "--keyring",
        kr.path().to_str().unwrap(),
        "verify",
        "fakedevice123.jcat",
        "--public-keys",
        keys.to_str().unwrap(),
    ];
    let theirs = rt(&d, &args);
    let ours = jt(&d, &args[2..]);
    assert_eq!(
        (ours.code == 0, ours.stdout.as_str()),
        (theirs.code == 0, theirs.stdout.as_str())
    );
}

#[test]
fn colorhug_vectors() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    let pki = crate::shared!("corpus/real/hughsie-libjcat/data/tests/pki");
    let ca = pki.join("LVFS-CA.pem");
    let ca = ca.to_str().unwrap();
    for sig in ["firmware.bin.sha256", "firmware.bin.p7b"] {
        jt(p, &["import", "c.jcat", "firmware.bin", sig]).ok();
    }
    // The signer certificate expired in 2019.
    jt(p, &["verify", "c.jcat", "--public-key", ca])
        .code(1)
        .stdout_has("    FAILED pkcs7: ");
    verify_at(p, &["c.jcat",
            "--public-key",
            ca,
            "--disable-time-checks"], 0, "firmware.bin:\n    PASSED sha256: OK\n    PASSED pkcs7: O=Linux Vendor Firmware Project,CN=LVFS CA\n");
    // OpenPGP: the shipped .asc is by an unknown key; the LVFS one verifies.
    std::fs::copy(
        crate::shared!("corpus/derived/libjcat-colorhug/firmware.bin.lvfs-good.asc"),
        p.join("good.asc"),
    )
    .unwrap();
    jt(p, "import g.jcat firmware.bin firmware.bin.asc").ok();
    jt(p, "import h.jcat firmware.bin good.asc").ok();
    let key = pki.join("GPG-KEY-Linux-Vendor-Firmware-Service");
    jt(p, &["verify", "g.jcat", "--public-keys", pki.to_str().unwrap()]).prints(
        1,
        "firmware.bin:\n    FAILED gpg: Could not check signature 'AD8A528FEC44881E' as no public key\n    FAILED: Validation failed\n",
    );
    verify_at(
        p,
        &["h.jcat", "--public-key", key.to_str().unwrap()],
        0,
        "firmware.bin:\n    PASSED gpg: 3FC6B804410ED0840D8F2F9748A6D80E4538BAC2\n",
    );
    // A whole key directory: one engine's unusable file does not break the others.
    jt(p, "import c.jcat firmware.bin firmware.bin.ed25519").ok();
    let r = jt(
        p,
        &[
            "verify",
            "c.jcat",
            "--public-keys",
            pki.to_str().unwrap(),
            "--public-keys",
            p.to_str().unwrap(),
            "--disable-time-checks",
        ],
    )
    .ok();
    assert!(r.stdout.ends_with("    PASSED ed25519: OK\n"));
}

#[test]
fn fwupd_vectors_pass_with_their_anchors() {
    let d = tempfile::tempdir().unwrap();
    let src = crate::shared!("corpus/derived/fwupd-colorhug");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), d.path().join(e.file_name())).unwrap();
    }
    let lvfs = crate::shared!("corpus/real/fwupd-fwupd/data/pki/LVFS-CA.pem");
    let hughski = crate::shared!("corpus/real/fwupd-fwupd/src/tests/pki/test.pem");
    for (catalog, anchor, passed) in [
        (
            "lvfs2025.jcat",
            &lvfs,
            "PASSED pkcs7: O=Linux Vendor Firmware Project,CN=LVFS CA",
        ),
        (
            "hughski-selfsigned.jcat",
            &hughski,
            "PASSED pkcs7: O=Hughski Limited",
        ),
        (
            "sig-of-checksum.jcat",
            &hughski,
            "PASSED pkcs7-of-sha256: O=Hughski Limited",
        ),
    ] {
        jt(
            d.path(),
            &[
                "verify",
                catalog,
                "--public-key",
                anchor.to_str().unwrap(),
                "--at",
                "2026-06-10T00:00:00Z",
            ],
        )
        .ok()
        .stdout_has(passed);
    }
    // The wrong anchor fails.
    jt(
        d.path(),
        &[
            "verify",
            "hughski-selfsigned.jcat",
            "--public-key",
            lvfs.to_str().unwrap(),
        ],
    )
    .code(1);
}

/// Our `self-sign` output verifies with ours and with the reference given the
/// keyring's client.pem; the reference's own self-sign output verifies with ours.
#[test]
fn self_signed_pkcs7_both_ways() {
    if !have_tool("jcat-tool") {
        return;
    }
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    self_sign(p, "s.jcat firmware.bin");
    verify_at(
        p,
        "s.jcat --public-key kr/pki/client.pem",
        0,
        "firmware.bin:\n    PASSED pkcs7: CN=jcat self-signed key,O=jcat\n",
    );
    rt(
        p,
        "--keyring rk verify s.jcat --public-key kr/pki/client.pem",
    )
    .ok()
    .stdout_has("PASSED pkcs7: ");
    // The reference's self-sign (no certificates, no signed attributes, empty issuer).
    rt(p, "--keyring rk self-sign r.jcat firmware.bin").ok();
    verify_at(
        p,
        "r.jcat --public-key rk/pki/client.pem",
        0,
        "firmware.bin:\n    PASSED pkcs7: \n",
    );
    // ... and not with another key.
    jt(p, "verify r.jcat --public-key kr/pki/client.pem").code(1);
}

fn certtool_pki(dir: &std::path::Path) {
    let certtool = |args: &str| tool(dir, "certtool", args).ok();
    std::fs::write(dir.join("ca.cfg"), "cn = \"ACME CA\"\norganization = \"ACME Corp.\"\nca\ncert_signing_key\nexpiration_days = 3650\n").unwrap();
    std::fs::write(
        dir.join("leaf.cfg"),
        "cn = \"ACME Signer\"\nsigning_key\nexpiration_days = 365\n",
    )
    .unwrap();
    certtool("--generate-privkey --key-type rsa --bits 2048 --outfile ca.key");
    certtool("--generate-self-signed --load-privkey ca.key --template ca.cfg --outfile ca.pem");
    certtool("--generate-privkey --key-type rsa --bits 2048 --outfile leaf.key");
    certtool("--generate-certificate --load-privkey leaf.key --load-ca-certificate ca.pem --load-ca-privkey ca.key --template leaf.cfg --outfile leaf.pem");
}

/// `sign` both ways: ours verified by the reference, the reference's by ours,
/// with the same authority line; targets included.
#[test]
fn sign_pkcs7_both_ways_with_targets() {
    if !have_tool("certtool") || !have_tool("jcat-tool") {
        return;
    }
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    certtool_pki(p);
    for (tool, file) in [("ours", "o.jcat"), ("ref", "t.jcat")] {
        for s in [
            format!("--keyring kr self-sign --kind sha256 {file} firmware.bin"),
            format!("sign --target sha256 {file} firmware.bin leaf.pem leaf.key"),
            format!("sign {file} firmware.bin leaf.pem leaf.key"),
        ] {
            if tool == "ours" { jt(p, &s) } else { rt(p, &s) }.ok();
        }
    }
    let expected = "firmware.bin:\n    PASSED sha256: OK\n    PASSED pkcs7-of-sha256: CN=ACME CA,O=ACME Corp.\n    PASSED pkcs7: CN=ACME CA,O=ACME Corp.\n";
    for file in ["o.jcat", "t.jcat"] {
        jt(p, &format!("verify {file} --public-key ca.pem")).prints(0, expected);
        rt(
            p,
            &format!("--keyring rk verify {file} --public-key ca.pem"),
        )
        .prints(0, expected);
    }
    // A key that does not match the certificate is refused (the reference signs anyway).
    let before = Snapshot::of(p.join("o.jcat"));
    jt(p, "sign o.jcat firmware.bin leaf.pem ca.key").code(2);
    before.assert_untouched();
    // Tampered payload: both fail.
    std::fs::write(p.join("firmware.bin"), b"tampered").unwrap();
    jt(p, "verify o.jcat --public-key ca.pem").code(1);
    rt(p, "--keyring rk verify o.jcat --public-key ca.pem").fails();
}

/// `sign --kind gpg` with an exported (protected) secret key: verified by us,
/// by the reference and by gpg itself.
#[test]
fn sign_gpg_through_the_cli() {
    if !have_tool("gpg") || !have_tool("jcat-tool") {
        return;
    }
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    let home = p.join("gnupg");
    std::fs::create_dir(&home).unwrap();
    let gpg = |args: &[&str]| gpg_in(&home, "s3cret", args);
    gpg(&[
        "--quick-gen-key",
        "Jcat Test <test@example.invalid>",
        "rsa2048",
        "sign",
        "never",
    ]);
    std::fs::create_dir(p.join("keys")).unwrap();
    std::fs::write(p.join("keys/GPG-KEY-test"), gpg(&["--armor", "--export"])).unwrap();
    std::fs::write(
        p.join("secret.asc"),
        gpg(&["--armor", "--export-secret-keys"]),
    )
    .unwrap();
    let fpr_out = String::from_utf8(gpg(&["--with-colons", "--fingerprint"])).unwrap();
    let fpr = fpr_out
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .unwrap()
        .split(':')
        .nth(9)
        .unwrap()
        .to_owned();
    // Without the passphrase the key cannot be used; nothing is written.
    let sign = "sign --kind gpg g.jcat firmware.bin keys/GPG-KEY-test secret.asc";
    jt(p, sign).code(2);
    assert!(!p.join("g.jcat").exists());
    let mut with_passphrase = ours();
    with_passphrase.env("JCAT_PASSPHRASE", "s3cret");
    run(with_passphrase, p, sign).ok();
    let expected = format!("firmware.bin:\n    PASSED gpg: {fpr}\n");
    verify_at(p, "g.jcat --public-key keys/GPG-KEY-test", 0, &expected);
    rt(p, "--keyring rk verify g.jcat --public-keys keys").prints(0, &expected);
    // gpg --verify on the exported signature.
    jt(p, "export g.jcat --prefix out").ok();
    gpg(&[
        "--verify",
        p.join("out/firmware.bin.asc").to_str().unwrap(),
        p.join("firmware.bin").to_str().unwrap(),
    ]);
    let _ = std::process::Command::new("gpgconf")
        .env("GNUPGHOME", &home)
        .args(["--kill", "all"])
        .status();
}

/// Our Ed25519 signatures (self-sign and sign) verify in the reference, and
/// the reference's verify in ours.
#[test]
fn ed25519_both_ways() {
    if !have_tool("jcat-tool") {
        return;
    }
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    self_sign(p, "--kind ed25519 o.jcat firmware.bin");
    rt(
        p,
        "--keyring rk verify o.jcat --public-key kr/pki/public.ed25519",
    )
    .prints(0, "firmware.bin:\n    PASSED ed25519: OK\n");
    rt(
        p,
        "--keyring rk self-sign --kind ed25519 t.jcat firmware.bin",
    )
    .code(0);
    verify_at(
        p,
        "t.jcat --public-key rk/pki/public.ed25519",
        0,
        "firmware.bin:\n    PASSED ed25519: OK\n",
    );
    // Each side's key does not verify the other's signature.
    jt(p, "verify t.jcat --public-key kr/pki/public.ed25519").code(1);
}
