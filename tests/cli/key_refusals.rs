//! How `verify` reports the OpenPGP and Ed25519 refusals of issue 9 §4: the
//! unknown-key message (compared with the reference), secret and weak
//! Ed25519 key files in key directories (`-v`, `--json`).

use std::path::Path;

use crate::common::*;

/// A temp dir with a fresh payload `firmware.bin`.
fn payload_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("firmware.bin"), b"fresh payload\n").unwrap();
    d
}

fn gpg(home: &Path, args: &[&str]) -> Vec<u8> {
    gpg_in(home, "", args)
}

#[test]
fn unknown_gpg_key_is_named_by_fingerprint_as_the_reference_does() {
    if !have_tool("gpg") || !have_tool("jcat-tool") {
        return;
    }
    let d = payload_dir();
    let p = d.path();
    let home = p.join("gnupg");
    std::fs::create_dir(&home).unwrap();
    gpg(
        &home,
        &[
            "--quick-gen-key",
            "Absent <absent@example.org>",
            "ed25519",
            "sign",
            "never",
        ],
    );
    let colons = String::from_utf8(gpg(&home, &["--with-colons", "--fingerprint"])).unwrap();
    let fpr = colons
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9))
        .unwrap()
        .to_owned();
    gpg(
        &home,
        &[
            "--armor",
            "--detach-sign",
            "-o",
            "firmware.bin.asc",
            "firmware.bin",
        ],
    );
    let _ = std::process::Command::new("gpgconf")
        .env("GNUPGHOME", &home)
        .args(["--kill", "all"])
        .status();
    jt(p, "import c.jcat firmware.bin firmware.bin.asc").ok();
    std::fs::create_dir(p.join("keys")).unwrap();
    let expected = format!(
        "firmware.bin:\n    FAILED gpg: Could not check signature '{fpr}' as no public key\n    FAILED: Validation failed\n"
    );
    verify_at(p, "c.jcat --public-keys keys", 1, &expected);
    let theirs = rt(p, "--keyring rk verify c.jcat --public-keys keys");
    // The reference's gpgme may have started an agent for its keyring.
    let _ = std::process::Command::new("gpgconf")
        .env("GNUPGHOME", p.join("rk/gnupg"))
        .args(["--kill", "all"])
        .status();
    assert!(
        theirs.stdout.starts_with(&expected),
        "reference: {}",
        theirs.stdout
    );
}

#[test]
fn keyring_directory_trusts_the_public_key_only() {
    let d = payload_dir();
    let p = d.path();
    self_sign(p, "--kind ed25519 s.jcat firmware.bin");
    // A renamed copy of the secret beside it is recognised too.
    std::fs::copy(
        p.join("kr/pki/secret.ed25519"),
        p.join("kr/pki/backup.ed25519"),
    )
    .unwrap();
    jt(p, "-v verify s.jcat --public-keys kr/pki")
        .prints(0, "firmware.bin:\n    PASSED ed25519: OK\n")
        .stderr_has("skipped kr/pki/secret.ed25519: the keyring's secret key file (secret.ed25519): a secret key is never trusted as a public key")
        .stderr_has("backup.ed25519: an Ed25519 secret key (it derives the trusted public key ");
    let json = jt(p, "verify s.jcat --public-keys kr/pki --json");
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let skipped = doc["skipped_keys"].as_array().unwrap();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
}

#[test]
fn weak_and_misnamed_ed25519_keys_are_not_trusted() {
    let d = payload_dir();
    let p = d.path();
    self_sign(p, "--kind ed25519 s.jcat firmware.bin");
    std::fs::create_dir(p.join("keys")).unwrap();
    let mut identity = [0u8; 32];
    identity[0] = 1;
    std::fs::write(p.join("keys/identity.ed25519"), identity).unwrap();
    std::fs::copy(p.join("kr/pki/public.ed25519"), p.join("keys/public.key")).unwrap();
    let r = jt(p, "-v verify s.jcat --public-keys keys")
        .prints(
            1,
            "firmware.bin:\n    FAILED ed25519: no keys in keyring\n    FAILED: Validation failed\n",
        )
        .stderr_has("identity.ed25519: weak Ed25519 public key: a point of small order is refused");
    assert!(
        r.stderr.lines().any(|l| l.starts_with("skipped keys/public.key: ")
            && l.ends_with("32 bytes, but raw Ed25519 keys are only read from *.ed25519 files in a key directory")),
        "{}",
        r.stderr
    );
    // Named explicitly, the same file is trusted.
    verify_at(
        p,
        "s.jcat --public-key keys/public.key",
        0,
        "firmware.bin:\n    PASSED ed25519: OK\n",
    );
}
