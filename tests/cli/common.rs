//! Helpers: run ours or the reference, temp dirs; test data and the shared
//! corpus through the helpers of both suites (`tests/common/mod.rs`).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

#[path = "../common/mod.rs"]
mod both;
pub use both::*;

/// Our binary.
pub fn ours() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jcat-tool"));
    c.env_remove("XDG_DATA_HOME");
    c
}

/// The reference jcat-tool (Debian's `jcat` package).
pub fn reference() -> Command {
    let mut c = Command::new("jcat-tool");
    c.env("G_MESSAGES_DEBUG", "");
    c
}

/// Result of a run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(mut cmd: Command, dir: &Path, args: &[&str]) -> Run {
    let out: Output = cmd.current_dir(dir).args(args).output().expect("spawn");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs ours in `dir`.
pub fn jt(dir: &Path, args: &[&str]) -> Run {
    run(ours(), dir, args)
}

/// Runs the reference in `dir`.
pub fn rt(dir: &Path, args: &[&str]) -> Run {
    run(reference(), dir, args)
}

/// A temp dir holding a copy of libjcat's colorhug payload and signatures
/// (from the shared corpus); `None` after `SKIPPED: …` when it is absent.
pub fn colorhug_dir() -> Option<tempfile::TempDir> {
    let src = shared("corpus/real/hughsie-libjcat/data/tests/colorhug")?;
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    Some(dir)
}

/// Loads a catalog with the library.
pub fn load(path: &Path) -> jcat_core::Catalog {
    jcat_core::load_path(path, &jcat_core::Limits::default()).unwrap()
}

/// Drops `Timestamp:` lines (the reference invents "now" for missing ones).
pub fn without_timestamps(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim_start().starts_with("Timestamp:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

pub const FW_SHA256: &str = "a196504d09871da4f7d83b874b500f8ee6e0619ab799f074814b316d88f96f7f";

/// Runs ours in `dir`; the run must succeed (exit 0, else the stderr is shown).
#[track_caller]
pub fn jt_ok(dir: &Path, args: &[&str]) -> Run {
    let r = jt(dir, args);
    assert_eq!(r.code, 0, "jcat-tool {args:?}: {}", r.stderr);
    r
}

/// Runs ours as `verify ARGS…` in `dir` and asserts its exit code and stdout.
#[track_caller]
pub fn verify_at(dir: &Path, args: &[&str], code: i32, stdout: &str) -> Run {
    let mut all = vec!["verify"];
    all.extend(args);
    let r = jt(dir, &all);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (code, stdout),
        "jcat-tool {all:?}: {}",
        r.stderr
    );
    r
}

/// Runs ours as `--keyring kr self-sign ARGS…` in `dir`; it must succeed.
#[track_caller]
pub fn self_sign(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--keyring", "kr", "self-sign"];
    all.extend(args);
    jt_ok(dir, &all)
}

/// Runs `gpg --batch` in the parent of `home`, with `GNUPGHOME=home` and the
/// loopback `passphrase`; it must succeed. Returns its stdout.
#[track_caller]
pub fn gpg_in(home: &Path, passphrase: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new("gpg")
        .current_dir(home.parent().unwrap_or(home))
        .env("GNUPGHOME", home)
        .args([
            "--batch",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            passphrase,
        ])
        .args(args)
        .output()
        .expect("spawn gpg");
    assert!(
        out.status.success(),
        "gpg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}
