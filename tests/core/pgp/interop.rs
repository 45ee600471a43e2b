//! Interop with GnuPG (`gpg`) and the reference `jcat-tool`. Keys are made by
//! the tests in a temporary GNUPGHOME; every agent is killed afterwards.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jcat_core::engine::pgp::PgpError;
use jcat_core::sign::pgp::sign;
use jcat_core::{ChainEntry, Payload, SigError, TimeCheck};

use super::{trust_with, verify};

pub struct Gpg {
    pub home: tempfile::TempDir,
}

impl Gpg {
    pub fn new() -> Self {
        let home = tempfile::Builder::new()
            .prefix("jcat-gpg")
            .tempdir_in("/tmp")
            .unwrap();
        Self { home }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    fn cmd(&self, passphrase: &str) -> Command {
        let mut c = Command::new("gpg");
        c.env("GNUPGHOME", self.home.path()).args([
            "--batch",
            "--yes",
            "--no-tty",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
        ]);
        c
    }

    pub fn try_run(&self, passphrase: &str, args: &[&str]) -> Output {
        self.cmd(passphrase).args(args).output().unwrap()
    }

    pub fn run(&self, args: &[&str]) -> Vec<u8> {
        let out = self.try_run("", args);
        assert!(
            out.status.success(),
            "gpg {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    /// Generates a key and returns its primary fingerprint.
    pub fn gen(
        &self,
        passphrase: &str,
        uid: &str,
        algo: &str,
        usage: &str,
        expire: &str,
    ) -> String {
        let out = self.try_run(passphrase, &["--quick-gen-key", uid, algo, usage, expire]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.fingerprints(uid)[0].clone()
    }

    /// Primary then subkey fingerprints of a key.
    pub fn fingerprints(&self, who: &str) -> Vec<String> {
        let out = self.run(&[
            "--with-colons",
            "--with-subkey-fingerprints",
            "--list-keys",
            who,
        ]);
        String::from_utf8_lossy(&out)
            .lines()
            .filter(|l| l.starts_with("fpr:"))
            .map(|l| l.split(':').nth(9).unwrap().to_string())
            .collect()
    }

    /// Exports the public key (armored) to a file named `GPG-KEY-<name>`.
    pub fn export(&self, who: &str, dir: &Path, name: &str) -> PathBuf {
        let p = dir.join(format!("GPG-KEY-{name}"));
        std::fs::write(&p, self.run(&["--armor", "--export", who])).unwrap();
        p
    }
}

impl Drop for Gpg {
    fn drop(&mut self) {
        kill_agent(self.home.path());
    }
}

pub fn kill_agent(home: &Path) {
    let _ = Command::new("gpgconf")
        .env("GNUPGHOME", home)
        .args(["--kill", "all"])
        .output();
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub const PAYLOAD: &[u8] = b"firmware payload \x00\x01\x02 for OpenPGP interop\n";

pub fn setup(gpg: &Gpg) -> PathBuf {
    let p = gpg.path("payload.bin");
    std::fs::write(&p, PAYLOAD).unwrap();
    p
}

#[test]
fn gpg_rsa_detached_signatures_verify() {
    if !crate::common::have_tool("gpg") {
        return;
    }
    let gpg = Gpg::new();
    let fpr = gpg.gen(
        "",
        "RSA Signer <rsa@example.org>",
        "rsa2048",
        "sign",
        "never",
    );
    let key = gpg.export(&fpr, gpg.home.path(), "rsa");
    let payload = setup(&gpg);
    let trust = trust_with(&[key]);
    for armor in [true, false] {
        let mut args = vec!["--detach-sign", "--digest-algo", "SHA512", "-o", "-"];
        if armor {
            args.insert(0, "--armor");
        }
        args.push(payload.to_str().unwrap());
        let sig = gpg.run(&args);
        let v = verify(&trust, TimeCheck::At(now()), &sig, PAYLOAD).unwrap();
        assert_eq!(v.authority.as_deref(), Some(fpr.as_str()));
        assert!((v.timestamp - now()).abs() < 600);
        assert_eq!(
            v.chain,
            [
                ChainEntry::Fingerprint(fpr.clone()),
                ChainEntry::UserId("RSA Signer <rsa@example.org>".into())
            ]
        );
        assert_eq!(
            verify(&trust, TimeCheck::At(now()), &sig, b"other"),
            Err(SigError::OpenPgp(PgpError::BadSignature {
                fingerprint: fpr.clone()
            }))
        );
    }
}

#[test]
fn gpg_ed25519_signing_subkey_verifies_with_subkey_authority() {
    if !crate::common::have_tool("gpg") {
        return;
    }
    let gpg = Gpg::new();
    let fpr = gpg.gen("", "Ed Signer <ed@example.org>", "ed25519", "cert", "never");
    gpg.run(&["--quick-add-key", &fpr, "ed25519", "sign", "never"]);
    let fprs = gpg.fingerprints(&fpr);
    assert_eq!(fprs.len(), 2);
    let sub = fprs[1].clone();
    let key = gpg.export(&fpr, gpg.home.path(), "ed");
    let payload = setup(&gpg);
    let sig = gpg.run(&[
        "--armor",
        "--detach-sign",
        "-o",
        "-",
        payload.to_str().unwrap(),
    ]);
    let trust = trust_with(&[key]);
    let v = verify(&trust, TimeCheck::At(now()), &sig, PAYLOAD).unwrap();
    assert_eq!(v.authority.as_deref(), Some(sub.as_str()));
    // The subkey signed, but the key counted for thresholds is the primary.
    assert_eq!(
        v.keys,
        [jcat_core::KeyId::OpenPgp {
            fingerprint: fpr.clone()
        }]
    );
    assert_eq!(v.keys[0].to_string(), format!("pgp:{fpr}"));
    assert_eq!(
        v.chain,
        [
            ChainEntry::Fingerprint(sub.clone()),
            ChainEntry::Fingerprint(fpr.clone()),
            ChainEntry::UserId("Ed Signer <ed@example.org>".into())
        ]
    );
    // Our own signature with the exported secret picks the signing subkey.
    let secret = gpg.run(&["--armor", "--export-secret-keys", &fpr]);
    let public = gpg.run(&["--armor", "--export", &fpr]);
    let ours = sign(Payload::Bytes(PAYLOAD), &public, &secret, None, now()).unwrap();
    let v = verify(&trust, TimeCheck::At(now()), &ours, PAYLOAD).unwrap();
    assert_eq!(v.authority.as_deref(), Some(sub.as_str()));
    let sig_path = gpg.path("ours.asc");
    std::fs::write(&sig_path, &ours).unwrap();
    gpg.run(&[
        "--verify",
        sig_path.to_str().unwrap(),
        payload.to_str().unwrap(),
    ]);
}

#[test]
fn expired_key_fails_after_its_expiry() {
    if !crate::common::have_tool("gpg") {
        return;
    }
    let gpg = Gpg::new();
    let fpr = gpg.gen(
        "",
        "Short Lived <short@example.org>",
        "ed25519",
        "sign",
        "1d",
    );
    let key = gpg.export(&fpr, gpg.home.path(), "short");
    let payload = setup(&gpg);
    let sig = gpg.run(&["--detach-sign", "-o", "-", payload.to_str().unwrap()]);
    let trust = trust_with(&[key]);
    assert!(verify(&trust, TimeCheck::At(now()), &sig, PAYLOAD).is_ok());
    assert_eq!(
        verify(&trust, TimeCheck::At(now() + 2 * 86_400), &sig, PAYLOAD),
        Err(SigError::OpenPgp(PgpError::Expired {
            fingerprint: fpr.clone()
        }))
    );
    assert!(verify(&trust, TimeCheck::Disabled, &sig, PAYLOAD).is_ok());
}

#[test]
fn revoked_key_fails() {
    if !crate::common::have_tool("gpg") {
        return;
    }
    let gpg = Gpg::new();
    let fpr = gpg.gen("", "Revoked <rev@example.org>", "rsa2048", "sign", "never");
    let payload = setup(&gpg);
    let sig = gpg.run(&["--detach-sign", "-o", "-", payload.to_str().unwrap()]);
    let before = gpg.export(&fpr, gpg.home.path(), "before");
    assert!(verify(
        &trust_with(std::slice::from_ref(&before)),
        TimeCheck::At(now()),
        &sig,
        PAYLOAD
    )
    .is_ok());
    // GnuPG's own revocation certificate (reason 0, a hard revocation), with
    // its guard colon removed, then imported.
    let rev = std::fs::read_to_string(gpg.path(&format!("openpgp-revocs.d/{fpr}.rev"))).unwrap();
    let rev = rev.replace(
        ":-----BEGIN PGP PUBLIC KEY BLOCK-----",
        "-----BEGIN PGP PUBLIC KEY BLOCK-----",
    );
    let rev_path = gpg.path("key.rev");
    std::fs::write(&rev_path, rev).unwrap();
    gpg.run(&["--import", rev_path.to_str().unwrap()]);
    let after = gpg.export(&fpr, gpg.home.path(), "after");
    let revoked = Err(SigError::OpenPgp(PgpError::Revoked {
        fingerprint: fpr.clone(),
    }));
    for time in [TimeCheck::At(now()), TimeCheck::Disabled] {
        assert_eq!(
            verify(
                &trust_with(std::slice::from_ref(&after)),
                time,
                &sig,
                PAYLOAD
            ),
            revoked
        );
    }
    // A revoked copy beside an unrevoked one still revokes.
    assert_eq!(
        verify(
            &trust_with(&[before, after]),
            TimeCheck::At(now()),
            &sig,
            PAYLOAD
        ),
        revoked
    );
}

#[test]
fn inline_and_cleartext_signatures_are_refused() {
    if !crate::common::have_tool("gpg") {
        return;
    }
    let gpg = Gpg::new();
    let fpr = gpg.gen(
        "",
        "Inline <inline@example.org>",
        "ed25519",
        "sign",
        "never",
    );
    let key = gpg.export(&fpr, gpg.home.path(), "inline");
    let payload = setup(&gpg);
    let trust = trust_with(&[key]);
    let p = payload.to_str().unwrap();
    for args in [
        vec!["--sign", "--armor", "-o", "-", p],
        vec!["--sign", "-o", "-", p],
        vec!["--sign", "--compress-level", "0", "-o", "-", p],
        vec!["--clearsign", "-o", "-", p],
    ] {
        let sig = gpg.run(&args);
        let r = verify(&trust, TimeCheck::At(now()), &sig, PAYLOAD);
        assert!(matches!(r, Err(SigError::Refused(_))), "{args:?}: {r:?}");
    }
}

#[test]
fn every_signature_of_a_blob_must_verify() {
    if !crate::common::have_tool("gpg") {
        return;
    }
    let gpg = Gpg::new();
    let a = gpg.gen("", "Signer A <a@example.org>", "ed25519", "sign", "never");
    let b = gpg.gen("", "Signer B <b@example.org>", "rsa2048", "sign", "never");
    let ka = gpg.export(&a, gpg.home.path(), "a");
    let kb = gpg.export(&b, gpg.home.path(), "b");
    let payload = setup(&gpg);
    let p = payload.to_str().unwrap();
    let sig = gpg.run(&["--armor", "--detach-sign", "-u", &a, "-u", &b, "-o", "-", p]);
    let v = verify(
        &trust_with(&[ka.clone(), kb]),
        TimeCheck::At(now()),
        &sig,
        PAYLOAD,
    )
    .unwrap();
    assert_eq!(v.keys.len(), 2);
    assert!(v.authority == Some(a.clone()) || v.authority == Some(b.clone()));
    // The signature carries an issuer fingerprint: named in full (as gpgme).
    assert_eq!(
        verify(&trust_with(&[ka]), TimeCheck::At(now()), &sig, PAYLOAD),
        Err(SigError::OpenPgp(PgpError::UnknownKey { id: b.clone() }))
    );
}
