//! The transparency blobs of one item, judged against the log keys of
//! [`Policy::transparency`](super::Policy::transparency): the checkpoint
//! (signed note, origin, witness quorum), the manifest against the payload's
//! SHA-256 (from the same streamed pass as every other digest), and the
//! manifest's inclusion in the checkpoint's tree. bt-verifier and bt-logindex
//! blobs are informational and never counted.

use crate::engine::bt::{self, BtError, LogTrust, VerifiedCheckpoint};
use crate::engine::Verified;
use crate::model::{BlobKind, Item};

use super::{Failure, Outcome, Skip};

/// What a transparency line established, for reports (`--json`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransparencyFacts {
    /// The log key that signed the checkpoint (`name+keyid`).
    pub log: String,
    /// The checkpoint's origin.
    pub origin: String,
    /// The checkpoint's tree size.
    pub tree_size: u64,
    /// The leaf index of the manifest (inclusion proofs only).
    pub leaf_index: Option<u64>,
    /// Witnesses whose cosignature verified (`name+keyid`).
    pub witnesses: Vec<String>,
}

/// The checkpoint an item's inclusion proof is checked against: its first
/// bt-checkpoint blob, verified once per item.
pub(super) struct ItemLog<'a> {
    /// The first bt-checkpoint blob's Data and its verdict.
    first: Option<(&'a [u8], Result<VerifiedCheckpoint, BtError>)>,
}

impl<'a> ItemLog<'a> {
    /// Verifies the item's first bt-checkpoint blob, if any.
    pub(super) fn new(item: &'a Item, trust: &LogTrust) -> Self {
        let first = item
            .blobs_by_kind(BlobKind::BtCheckpoint)
            .next()
            .map(|b| (b.data.as_slice(), bt::verify_checkpoint(&b.data, trust)));
        Self { first }
    }

    /// The verdict on the checkpoint the inclusion proof is checked against.
    fn checkpoint(&self) -> Option<&Result<VerifiedCheckpoint, BtError>> {
        self.first.as_ref().map(|(_, r)| r)
    }

    /// The verdict on a checkpoint blob's `data`: the one already reached
    /// for the first blob, else verified now.
    fn judge(&self, data: &[u8], trust: &LogTrust) -> Result<VerifiedCheckpoint, BtError> {
        match &self.first {
            Some((first, r)) if std::ptr::eq(*first, data) => r.clone(),
            _ => bt::verify_checkpoint(data, trust),
        }
    }
}

/// The plan for one transparency blob.
pub(super) enum BtPlan {
    /// Judged without the payload.
    Done(Outcome, Option<TransparencyFacts>),
    /// The manifest's sha256 (lowercase hex), compared with the payload's.
    Manifest(String),
}

fn passed(authority: String) -> Outcome {
    Outcome::Passed(Verified {
        authority: Some(authority),
        timestamp: 0,
        keys: Vec::new(),
        chain: Vec::new(),
    })
}

fn failed(e: impl Into<BtError>) -> Outcome {
    Outcome::Failed(Failure::Transparency(e.into()))
}

fn facts(cp: &VerifiedCheckpoint, leaf_index: Option<u64>) -> TransparencyFacts {
    TransparencyFacts {
        log: cp.log.clone(),
        origin: cp.checkpoint.origin.clone(),
        tree_size: cp.checkpoint.size,
        leaf_index,
        witnesses: cp
            .cosignatures
            .iter()
            .map(|c| format!("{}+{:08x}", c.name, c.id))
            .collect(),
    }
}

/// Plans a bt-* blob of `item`.
pub(super) fn plan(
    item: &Item,
    kind: BlobKind,
    data: &[u8],
    log: &ItemLog<'_>,
    trust: &LogTrust,
) -> BtPlan {
    match kind {
        BlobKind::BtCheckpoint => match log.judge(data, trust) {
            Ok(cp) => {
                let mut text = format!("{}, tree size {}", cp.log, cp.checkpoint.size);
                if !cp.cosignatures.is_empty() {
                    text.push_str(&format!(
                        ", {} witness cosignature(s)",
                        cp.cosignatures.len()
                    ));
                }
                BtPlan::Done(passed(text), Some(facts(&cp, None)))
            }
            Err(e) => BtPlan::Done(failed(e), None),
        },
        BlobKind::BtManifest => match bt::blobs::manifest_sha256(data) {
            Ok(hex) => match item
                .blobs_by_kind(BlobKind::Sha256)
                .find(|b| b.target.is_none())
            {
                Some(b) if b.data != hex.as_bytes() => BtPlan::Done(
                    failed(BtError::ManifestDisagrees {
                        manifest: hex,
                        blob: String::from_utf8_lossy(&b.data).into_owned(),
                    }),
                    None,
                ),
                _ => BtPlan::Manifest(hex),
            },
            Err(e) => BtPlan::Done(failed(e), None),
        },
        BlobKind::BtInclusionProof => match inclusion(item, data, log) {
            Ok((cp, index)) => BtPlan::Done(
                passed(format!("leaf {index} of {}", cp.checkpoint.size)),
                Some(facts(cp, Some(index))),
            ),
            Err(e) => BtPlan::Done(failed(e), None),
        },
        BlobKind::BtVerifier => BtPlan::Done(Outcome::Skipped(Skip::VerifierBlob), None),
        BlobKind::BtLogindex => BtPlan::Done(Outcome::Skipped(Skip::LogIndex), None),
        _ => BtPlan::Done(Outcome::Skipped(Skip::NotSupported { kind }), None),
    }
}

fn inclusion<'l>(
    item: &Item,
    data: &[u8],
    log: &'l ItemLog<'_>,
) -> Result<(&'l VerifiedCheckpoint, u64), BtError> {
    let cp = match log.checkpoint() {
        Some(Ok(cp)) => cp,
        Some(Err(_)) => return Err(BtError::CheckpointUnverified),
        None => return Err(BtError::Missing("bt-checkpoint")),
    };
    let manifest = item
        .blobs_by_kind(BlobKind::BtManifest)
        .next()
        .ok_or(BtError::Missing("bt-manifest"))?;
    let proof = bt::blobs::inclusion_proof(data)?;
    let index = match item.blobs_by_kind(BlobKind::BtLogindex).next() {
        Some(b) => Some(bt::blobs::log_index(&b.data)?),
        None => None,
    };
    let index = bt::verify_inclusion(&manifest.data, &proof, index, &cp.checkpoint)?;
    Ok((cp, index))
}

/// Whether the item's transparency chain verified end to end: a PASSED
/// checkpoint, manifest and inclusion proof.
pub(super) fn chain_passed(blobs: &[super::BlobReport]) -> bool {
    [
        BlobKind::BtCheckpoint,
        BlobKind::BtManifest,
        BlobKind::BtInclusionProof,
    ]
    .iter()
    .all(|k| {
        blobs
            .iter()
            .any(|b| b.kind == *k && matches!(b.outcome, Outcome::Passed(_)))
    })
}
