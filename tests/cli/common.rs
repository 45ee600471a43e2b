//! Helpers: run ours or the reference, temp dirs, test data.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace `testdata/`.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
}

/// The shared corpus folder: `$JCAT_SHARED_DIR` when set, else `../shared`
/// beside the workspace root (on developer machines and in CI it holds
/// `corpus/` and `conformance/`, which are never copied into the repository).
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("JCAT_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    }
}

/// Whether `CI=true`: there a missing shared corpus fails the test.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Resolves `rel` (e.g. `corpus/real/fwupd-fwupd/data/pki/LVFS-CA.pem`) under
/// [`shared_dir`]. When the shared folder is absent it prints
/// `SKIPPED: <reason>` and returns `None` (the caller returns early), except
/// with `CI=true`, where it panics. A file missing from a present shared
/// folder is always a failure.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let root = shared_dir();
    if !root.is_dir() {
        assert!(
            !in_ci(),
            "CI=true but the shared corpus is missing at {} (needed: {rel})",
            root.display()
        );
        let test = std::thread::current().name().unwrap_or("?").to_owned();
        eprintln!(
            "SKIPPED: {test}: the shared corpus is not at {} (needed: {rel}; check it out beside the workspace or set JCAT_SHARED_DIR)",
            root.display()
        );
        return None;
    }
    let path = root.join(rel);
    assert!(
        path.exists(),
        "{} is missing from the shared corpus",
        path.display()
    );
    Some(path)
}

/// `shared!("corpus/…")`: the path under the shared folder, or an early
/// `return` from the calling test (after `SKIPPED: …`) when it is absent.
#[macro_export]
macro_rules! shared {
    ($rel:expr) => {
        match $crate::common::shared($rel) {
            Some(path) => path,
            None => return,
        }
    };
}

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

/// Whether a tool is installed; in CI (`CI` set) a missing tool fails the test,
/// elsewhere the caller skips with a printed reason.
pub fn have_tool(name: &str) -> bool {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
        .unwrap_or(false);
    if !found {
        if std::env::var_os("CI").is_some() {
            panic!("{name} is required in CI but is not installed");
        }
        eprintln!("SKIPPED: {name} is not installed (install Debian package jcat/gnutls-bin/gnupg to run this interop test)");
    }
    found
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
