//! The budget of public-key operations for one signature blob, drawn also
//! from the run's budget kept in the trust store (webpki's approach: bounded
//! work whatever the input, and exhaustion is an error of its own). A blob
//! that verifies gives its checks back to the run ([`Budget::refund`]), so
//! the run budget bounds failed work only.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::error::{BudgetScope, ChainError};

/// Path-building steps (candidate issuers considered) allowed per signature
/// check in the budget: the search without signatures is bounded too.
const STEPS_PER_CHECK: usize = 64;

/// Signature checks and path-building steps left for one blob.
#[derive(Debug)]
pub(crate) struct Budget<'a> {
    used: usize,
    max: usize,
    steps: usize,
    run: &'a AtomicUsize,
    run_max: usize,
}

impl<'a> Budget<'a> {
    /// A fresh blob budget of `max` checks drawing on the run counter `run`.
    pub(crate) fn new(max: usize, run: &'a AtomicUsize, run_max: usize) -> Self {
        Self {
            used: 0,
            max,
            steps: 0,
            run,
            run_max,
        }
    }

    /// Takes one signature check, or says which budget ran out.
    pub(crate) fn spend(&mut self) -> Result<(), ChainError> {
        if self.used >= self.max {
            return Err(ChainError::BudgetExhausted {
                checks: self.used,
                max: self.max,
                scope: BudgetScope::Blob,
            });
        }
        let before = self.run.fetch_add(1, Ordering::Relaxed);
        if before >= self.run_max {
            return Err(ChainError::BudgetExhausted {
                checks: before,
                max: self.run_max,
                scope: BudgetScope::Run,
            });
        }
        self.used += 1;
        Ok(())
    }

    /// Gives the blob's checks back to the run once the blob verified: the
    /// run budget bounds the work spent on signatures that *fail* (what a
    /// hostile catalog can make us do), so a large catalog of good
    /// signatures never runs out of it.
    pub(crate) fn refund(self) {
        let used = self.used;
        let _ = self
            .run
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                Some(n.saturating_sub(used))
            });
    }

    /// Takes one path-building step (a candidate issuer considered).
    pub(crate) fn step(&mut self) -> Result<(), ChainError> {
        self.steps += 1;
        let max = self.max.saturating_mul(STEPS_PER_CHECK);
        if self.steps > max {
            return Err(ChainError::BudgetExhausted {
                checks: self.used,
                max: self.max,
                scope: BudgetScope::Blob,
            });
        }
        Ok(())
    }
}
