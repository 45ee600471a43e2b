//! Helpers shared by both integration suites (`tests/core`, `tests/cli`):
//! each suite's `common.rs` includes this file once and re-exports it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace root (the suites are wired from `jcat-core/` and
/// `jcat-cli/`, one level below it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The workspace's `testdata/` directory.
pub fn testdata() -> PathBuf {
    workspace_root().join("testdata")
}

/// The shared corpus folder: `$JCAT_SHARED_DIR` when set, else `../shared`
/// beside the workspace root (on developer machines and in CI it holds
/// `corpus/` and `conformance/`, which are never copied into the repository).
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("JCAT_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("../shared"),
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

/// Whether an external tool is on PATH. In CI (`CI` set) a missing tool is a
/// test failure; on a developer machine the caller skips with a printed reason.
pub fn have_tool(name: &str) -> bool {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|d| d.join(name).is_file()))
        .unwrap_or(false);
    if !found {
        if std::env::var_os("CI").is_some() {
            panic!("{name} is required in CI but is not installed");
        }
        eprintln!("SKIPPED: {name} is not installed (Debian packages jcat, gnutls-bin, gnupg and golang-go hold the tools the interop tests compare with)");
    }
    found
}
