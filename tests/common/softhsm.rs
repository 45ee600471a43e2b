//! A throw-away SoftHSM2 token for the PKCS#11 tests: its own
//! `SOFTHSM2_CONF` and token directory in a tempdir, initialised here; keys
//! imported with `softhsm2-util --import`, certificates written with OpenSC's
//! `pkcs11-tool`. Used by both test binaries (`#[path]`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The user PIN of the test token.
pub const PIN: &str = "246810";
/// The token label.
pub const TOKEN: &str = "jcat test";

/// An initialised token.
pub struct Hsm {
    /// Holds the configuration and token directory.
    pub dir: tempfile::TempDir,
    /// `SOFTHSM2_CONF` for processes that use the token.
    pub conf: PathBuf,
    /// The PKCS#11 module.
    pub module: PathBuf,
}

fn module() -> Option<PathBuf> {
    if let Some(m) = std::env::var_os("JCAT_TEST_SOFTHSM_MODULE") {
        return Some(PathBuf::from(m));
    }
    [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib64/pkcs11/libsofthsm2.so",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.is_file())
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
        .unwrap_or(false)
}

/// A fresh token, or `None` after `SKIPPED: …` when SoftHSM2 or OpenSC is
/// missing (a failure when `CI` is `true`).
pub fn token() -> Option<Hsm> {
    let missing = match module() {
        None => Some("the SoftHSM2 module (Debian softhsm2)"),
        Some(_) if !on_path("softhsm2-util") => Some("softhsm2-util (Debian softhsm2)"),
        Some(_) if !on_path("pkcs11-tool") => Some("pkcs11-tool (Debian opensc)"),
        Some(_) if !on_path("openssl") => Some("openssl"),
        Some(_) => None,
    };
    if let Some(what) = missing {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{what} is required in CI but is not installed");
        }
        eprintln!("SKIPPED: {what} is not installed; the PKCS#11 tests need it");
        return None;
    }
    let module = module()?;
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    let conf = dir.path().join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    let hsm = Hsm { dir, conf, module };
    hsm.run(
        "softhsm2-util",
        &[
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--pin",
            PIN,
            "--so-pin",
            "13579",
        ],
    );
    Some(hsm)
}

impl Hsm {
    /// Runs a tool with this token's configuration; it must succeed.
    #[track_caller]
    pub fn run(&self, tool: &str, args: &[&str]) -> String {
        let out = Command::new(tool)
            .env("SOFTHSM2_CONF", &self.conf)
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{tool} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Imports a private key PEM (any form openssl reads; converted to
    /// PKCS#8 for softhsm2-util) as `label` with CKA_ID `id` (hex).
    pub fn import_key(&self, key_pem: &Path, label: &str, id: &str) {
        let p8 = self.dir.path().join(format!("{label}.p8.pem"));
        self.run(
            "openssl",
            &[
                "pkcs8",
                "-topk8",
                "-nocrypt",
                "-in",
                &key_pem.display().to_string(),
                "-out",
                &p8.display().to_string(),
            ],
        );
        self.run(
            "softhsm2-util",
            &[
                "--import",
                &p8.display().to_string(),
                "--token",
                TOKEN,
                "--label",
                label,
                "--id",
                id,
                "--pin",
                PIN,
            ],
        );
        std::fs::remove_file(p8).unwrap();
    }

    /// Writes a PEM certificate onto the token as `label`, CKA_ID `id`.
    pub fn import_cert(&self, cert_pem: &Path, label: &str, id: &str) {
        let der = self.dir.path().join(format!("{label}.der"));
        self.run(
            "openssl",
            &[
                "x509",
                "-in",
                &cert_pem.display().to_string(),
                "-outform",
                "der",
                "-out",
                &der.display().to_string(),
            ],
        );
        self.run(
            "pkcs11-tool",
            &[
                "--module",
                &self.module.display().to_string(),
                "--token-label",
                TOKEN,
                "--login",
                "--pin",
                PIN,
                "--write-object",
                &der.display().to_string(),
                "--type",
                "cert",
                "--label",
                label,
                "--id",
                id,
            ],
        );
    }
}
