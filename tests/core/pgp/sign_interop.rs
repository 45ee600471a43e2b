//! Interop of our OpenPGP signer with GnuPG and the reference jcat-tool.

use std::process::Command;

use jcat_core::sign::pgp::sign;
use jcat_core::sign::{PrivateKeyProblem, SignError};
use jcat_core::{Payload, TimeCheck};

use super::interop::{kill_agent, now, setup, Gpg, PAYLOAD};
use super::{trust_with, verify};

#[test]
fn our_signature_verifies_in_gpg_and_jcat_tool() {
    if !crate::common::have_tool("gpg") || !crate::common::have_tool("jcat-tool") {
        return;
    }
    let gpg = Gpg::new();
    let fpr = gpg.gen(
        "",
        "Our Signer <ours@example.org>",
        "rsa2048",
        "sign",
        "never",
    );
    let keys = tempfile::tempdir().unwrap();
    let key = gpg.export(&fpr, keys.path(), "test");
    let secret = gpg.run(&["--export-secret-keys", &fpr]); // binary
    let public = std::fs::read(&key).unwrap();
    let payload = setup(&gpg);
    let ts = now();
    let armored = sign(Payload::File(&payload), &public, &secret, None, ts).unwrap();
    assert!(armored.starts_with(b"-----BEGIN PGP SIGNATURE-----"));
    let v = verify(&trust_with(&[key]), TimeCheck::At(now()), &armored, PAYLOAD).unwrap();
    assert_eq!(
        (v.authority.as_deref(), v.timestamp),
        (Some(fpr.as_str()), ts)
    );
    let sig_path = gpg.path("payload.bin.asc");
    std::fs::write(&sig_path, &armored).unwrap();
    gpg.run(&[
        "--verify",
        sig_path.to_str().unwrap(),
        payload.to_str().unwrap(),
    ]);

    let mut cat = jcat_core::Catalog::new();
    let item = cat.add_item(jcat_core::Item::new("payload.bin")).unwrap();
    item.add_blob(jcat_core::Blob::new(
        jcat_core::BlobKind::Gpg,
        jcat_core::BlobFlags::IS_UTF8,
        armored,
        Some(ts as u64),
    ));
    let jcat = gpg.path("test.jcat");
    jcat_core::save_path(&cat, &jcat).unwrap();
    let keyring = tempfile::tempdir().unwrap();
    let out = Command::new("jcat-tool")
        .arg("--keyring")
        .arg(keyring.path())
        .arg("verify")
        .arg(&jcat)
        .arg("--prefix")
        .arg(gpg.home.path())
        .arg("--public-keys")
        .arg(keys.path())
        .output()
        .unwrap();
    kill_agent(&keyring.path().join("gnupg"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(&format!("PASSED gpg: {fpr}")), "{stdout}");
}

#[test]
fn sign_passphrases_mismatch_and_empty_payload() {
    if !crate::common::have_tool("gpg") {
        return;
    }
    let gpg = Gpg::new();
    let fpr = gpg.gen(
        "s3cret",
        "Protected <prot@example.org>",
        "ed25519",
        "sign",
        "never",
    );
    let other = gpg.gen("", "Other <other@example.org>", "ed25519", "sign", "never");
    let public = gpg.run(&["--armor", "--export", &fpr]);
    let out = gpg.try_run("s3cret", &["--armor", "--export-secret-keys", &fpr]);
    assert!(out.status.success());
    let secret = out.stdout;
    let trust = trust_with(&[gpg.export(&fpr, gpg.home.path(), "prot")]);

    let sig = sign(
        Payload::Bytes(PAYLOAD),
        &public,
        &secret,
        Some("s3cret"),
        now(),
    )
    .unwrap();
    assert_eq!(
        verify(&trust, TimeCheck::At(now()), &sig, PAYLOAD)
            .unwrap()
            .authority
            .as_deref(),
        Some(fpr.as_str())
    );
    for pw in [Some("wrong"), None] {
        let r = sign(Payload::Bytes(PAYLOAD), &public, &secret, pw, now());
        assert!(
            matches!(&r, Err(e @ SignError::PgpLocked { fingerprint, .. })
                if *fingerprint == fpr && e.to_string().contains("wrong or missing passphrase")),
            "{r:?}"
        );
    }
    let other_public = gpg.run(&["--armor", "--export", &other]);
    let r = sign(
        Payload::Bytes(PAYLOAD),
        &other_public,
        &secret,
        Some("s3cret"),
        now(),
    );
    assert!(
        matches!(&r, Err(e @ SignError::PgpKeyMismatch { fingerprint }) if *fingerprint == fpr
            && e.to_string() == format!("the OpenPGP secret key {fpr} does not belong to the given public key")),
        "{r:?}"
    );
    let r = sign(Payload::Bytes(b""), &public, &secret, Some("s3cret"), now());
    assert!(matches!(r, Err(SignError::NothingToDo)), "{r:?}");
    // A public key given as the secret key.
    let r = sign(Payload::Bytes(PAYLOAD), &public, &public, None, now());
    assert!(
        matches!(&r, Err(e @ SignError::PrivateKey(PrivateKeyProblem::WrongPgpBlock { label }))
            if label == "PGP PUBLIC KEY BLOCK"
            && e.to_string() == "expected an OpenPGP secret key, found -----BEGIN PGP PUBLIC KEY BLOCK-----"),
        "{r:?}"
    );
}
