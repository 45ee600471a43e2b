//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace's `testdata/` directory.
pub fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata")
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
        eprintln!("SKIPPED: {name} is not installed (install it to run this interop test)");
    }
    found
}
