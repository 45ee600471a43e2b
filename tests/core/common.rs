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

/// A P-256 CA certificate (DER) named `subject` and its key, valid from a
/// year before `t0` to ten years after.
pub fn test_ca(subject: &str, t0: i64) -> (Vec<u8>, jcat_core::testing::TestKey) {
    use jcat_core::testing::{certificate, CertParams, Role, TestKey};
    const YEAR: i64 = 365 * 86_400;
    let key = TestKey::generate_p256();
    let der = certificate(
        &CertParams {
            subject,
            serial: 1,
            role: Role::Ca { path_len: None },
            not_before: t0 - YEAR,
            not_after: t0 + 10 * YEAR,
        },
        &key,
        None,
    )
    .expect("test CA");
    (der, key)
}
