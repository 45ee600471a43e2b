//! Shared helpers for the jcat-core integration tests: those of both suites
//! (`tests/common/mod.rs`).
#![allow(dead_code)]

#[path = "../common/mod.rs"]
mod both;
pub use both::*;

/// X.509 chain entries ([`jcat_core::ChainEntry::Dn`]) for these subjects.
pub fn dns(subjects: &[&str]) -> Vec<jcat_core::ChainEntry> {
    subjects
        .iter()
        .map(|s| jcat_core::ChainEntry::Dn((*s).to_owned()))
        .collect()
}
