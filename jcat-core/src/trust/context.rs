//! What a signature check is judged against: the trust store, the time and
//! the chain rules, and the parser limits. It lives with the trust store
//! (below the engines) because the certification-path code takes it too.

use super::TrustStore;
use crate::time::{ChainStrictness, TimeCheck};
use crate::Limits;

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
}
