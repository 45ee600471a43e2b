//! What a signature check is judged against: the trust store, the time and
//! the chain rules, and the parser limits. It lives with the trust store
//! (below the engines) because the certification-path code takes it too.

use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::Mutex;

use super::TrustStore;
use crate::time::{ChainStrictness, TimeCheck};
use crate::x509::rsa_public::RsaKeys;
use crate::Limits;

/// What one verification run remembers and spends: certificate links
/// already checked (good and bad), prepared RSA keys, and the public-key
/// operations drawn from [`Limits::max_signature_checks_per_run`].
///
/// A [`crate::verify::Verifier`] makes a fresh one for every catalog it
/// verifies, and `verify_item` / `verify_signature` one per call, so a trust
/// store loaded once and used for many runs (a daemon) never exhausts the
/// per-run budget and keeps no cache between runs.
#[derive(Default)]
pub struct RunState {
    /// Certificate links (child, issuer key) checked in this run: whether the
    /// signature verified. Failed links are remembered too, so a hostile blob
    /// repeated across a catalog costs its signature checks once.
    links: Mutex<HashMap<[u8; 32], bool>>,
    /// Public-key operations made for PKCS#7 blobs in this run.
    pub(crate) signature_checks: AtomicUsize,
    /// Prepared RSA public keys.
    pub(crate) rsa_keys: RsaKeys,
}

impl std::fmt::Debug for RunState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunState")
            .field("signature_checks", &self.signature_checks)
            .finish_non_exhaustive()
    }
}

impl RunState {
    /// A run with nothing remembered and nothing spent.
    pub fn new() -> Self {
        Self::default()
    }

    /// The result of a certificate link already checked in this run.
    pub(crate) fn link_result(&self, key: &[u8; 32]) -> Option<bool> {
        self.links.lock().ok().and_then(|map| map.get(key).copied())
    }

    /// Remembers the result of a certificate link check.
    pub(crate) fn remember_link(&self, key: [u8; 32], ok: bool) {
        if let Ok(mut map) = self.links.lock() {
            map.insert(key, ok);
        }
    }
}

/// What a signature check is judged against.
#[derive(Debug, Clone, Copy)]
pub struct VerifyContext<'a> {
    /// The trusted keys and certificates (and CRLs).
    pub trust: &'a TrustStore,
    /// Validity periods.
    pub time: TimeCheck,
    /// Chain rules.
    pub chain: ChainStrictness,
    /// Parser limits.
    pub limits: &'a Limits,
    /// What this run remembers and spends.
    pub run: &'a RunState,
}
