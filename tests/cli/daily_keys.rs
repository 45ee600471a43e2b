//! Issue 13, signing side: swapped CERT/PRIVKEY, protected OpenPGP keys,
//! signatures old clients drop, and the documented install command.

use crate::common::*;

fn payload_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("fw.bin"), b"payload to sign\n").unwrap();
    d
}

#[test]
fn swapped_cert_and_privkey_say_so() {
    let d = payload_dir();
    let p = d.path();
    // Our self-sign makes a keyring with a certificate and an RSA key.
    self_sign(p, "s.jcat fw.bin");
    jt(p, "sign c.jcat fw.bin kr/pki/secret.key kr/pki/client.pem").says(
        2,
        "CERT and PRIVKEY are swapped: kr/pki/secret.key holds a private key and kr/pki/client.pem a certificate or public key (expected sign FILENAME SOURCE CERT PRIVKEY)\n",
    );
    assert!(!p.join("c.jcat").exists());
    jt(p, "sign c.jcat fw.bin kr/pki/client.pem kr/pki/client.pem").says(
        2,
        "kr/pki/client.pem: PRIVKEY holds a certificate or public key, expected a private key (expected sign FILENAME SOURCE CERT PRIVKEY)\n",
    );
    // Raw Ed25519 key files have no label: caught by trying the other order.
    self_sign(p, "--kind ed25519 s.jcat fw.bin");
    jt(
        p,
        "sign --kind ed25519 e.jcat fw.bin kr/pki/secret.ed25519 kr/pki/public.ed25519",
    )
    .says(
        2,
        "CERT and PRIVKEY are swapped: kr/pki/secret.ed25519 holds the Ed25519 secret key and kr/pki/public.ed25519 the public key (expected sign FILENAME SOURCE CERT PRIVKEY)\n",
    );
    jt(
        p,
        "sign --kind ed25519 e.jcat fw.bin kr/pki/public.ed25519 kr/pki/secret.ed25519",
    )
    .ok();
    // Unusable key and certificate files are named.
    std::fs::write(p.join("junk.pem"), "not a key\n").unwrap();
    for (args, want) in [
        (
            "sign c.jcat fw.bin kr/pki/client.pem junk.pem",
            "junk.pem: unusable private key: no PEM private key found\n",
        ),
        (
            "sign c.jcat fw.bin junk.pem kr/pki/secret.key",
            "junk.pem: no PEM certificate found\n",
        ),
        (
            "sign --kind gpg c.jcat fw.bin junk.pem junk.pem",
            "junk.pem: not an OpenPGP secret key (armored or binary)\n",
        ),
    ] {
        jt(p, args).says(2, want);
    }
    // The right order signs.
    jt(p, "sign c.jcat fw.bin kr/pki/client.pem kr/pki/secret.key").ok();
}

#[test]
fn protected_openpgp_key_names_the_variable() {
    if !have_tool("gpg") {
        return;
    }
    let d = payload_dir();
    let p = d.path();
    let home = p.join("gnupg");
    std::fs::create_dir(&home).unwrap();
    let gpg = |args: &[&str]| gpg_in(&home, "pw1", args);
    gpg(&[
        "--quick-gen-key",
        "Jcat Daily <d@example.invalid>",
        "ed25519",
        "sign",
        "never",
    ]);
    std::fs::write(p.join("pub.asc"), gpg(&["--armor", "--export"])).unwrap();
    std::fs::write(p.join("sec.asc"), gpg(&["--armor", "--export-secret-keys"])).unwrap();
    let sign = |pass: Option<&str>| {
        let mut c = ours();
        c.env_remove("JCAT_PASSPHRASE");
        if let Some(pw) = pass {
            c.env("JCAT_PASSPHRASE", pw);
        }
        run(c, p, "sign --kind gpg g.jcat fw.bin pub.asc sec.asc")
    };
    sign(None).says(
        2,
        "sec.asc: the OpenPGP secret key is protected by a passphrase: set JCAT_PASSPHRASE to it\n",
    );
    sign(Some("wrong")).says(
        2,
        "sec.asc: cannot unlock the OpenPGP secret key: the passphrase in JCAT_PASSPHRASE is wrong\n",
    );
    assert!(!p.join("g.jcat").exists());
    sign(Some("pw1")).ok();
    // Swapped OpenPGP files are caught too.
    let r = run(ours(), p, "sign --kind gpg h.jcat fw.bin sec.asc pub.asc").code(2);
    assert!(
        r.stderr
            .starts_with("CERT and PRIVKEY are swapped: sec.asc holds a private key"),
        "{}",
        r.stderr
    );
}

/// Two signers of one kind: `--verbose` warns that libjcat 0.2.3 keeps only
/// the last; a target signature lands before the plain one (old clients
/// that dedupe by kind keep the plain one).
#[test]
fn signatures_old_clients_drop_are_warned_about_and_ordered() {
    let d = payload_dir();
    let p = d.path();
    jt(p, "self-sign --kind sha256 c.jcat fw.bin").ok();
    let r = jt(p, "-v --keyring k1 self-sign c.jcat fw.bin").ok();
    assert!(!r.stderr.contains("warning:"), "{}", r.stderr);
    jt(p, "-v --keyring k2 self-sign c.jcat fw.bin")
        .ok()
        .stderr_has("warning: fw.bin: 2 pkcs7 signatures with the same target and AppstreamId; libjcat 0.2.3 and older keep only the last (blob 2)\n");
    // Not verbose: no warning.
    jt(p, "--keyring k1 self-sign --target sha256 c.jcat fw.bin").says(0, "");
    let cat = load(&p.join("c.jcat"));
    let labels: Vec<String> = cat.items()[0]
        .blobs
        .iter()
        .map(|b| match b.target {
            Some(t) => format!("{}-of-{t}", b.kind),
            None => b.kind.to_string(),
        })
        .collect();
    assert_eq!(labels, ["sha256", "pkcs7-of-sha256", "pkcs7", "pkcs7"]);
    if have_tool("jcat-tool") {
        // The reference (0.2.3) keeps one of the two plain pkcs7 blobs: the last.
        let info = rt(p, "info c.jcat").stdout;
        let pkcs7 = info
            .lines()
            .filter(|l| l.split_whitespace().eq(["Kind:", "pkcs7"]))
            .count();
        assert_eq!(pkcs7, 2, "{info}");
    }
}

/// The README's install command uses the lock file, and the lock file is
/// complete (what `cargo install --locked` requires); a full install is not
/// run here (a release build of every dependency).
#[test]
fn install_command_is_locked_and_the_lock_file_is_current() {
    let root = workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains("cargo install --locked --path jcat-cli"),
        "README install"
    );
    assert!(
        !readme.contains("cargo install --path"),
        "README has an unlocked install"
    );
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    tool(
        &root,
        &cargo,
        "metadata --locked --offline --format-version 1 --no-deps",
    )
    .ok();
}
