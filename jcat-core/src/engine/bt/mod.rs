//! Binary transparency: the bt-checkpoint, bt-manifest, bt-inclusion-proof
//! and bt-logindex blobs verified against log (and witness) keys the user
//! trusts — never against a bt-verifier blob of the catalog, which whoever
//! edits the catalog replaces too.
//!
//! What a PASS proves: the log operator published this manifest (and so this
//! payload digest) in the tree its checkpoint commits to. It is not a
//! signature by the vendor, and without witness cosignatures it gives no
//! protection against a log showing different trees to different clients
//! (split view). See `docs/transparency.md`.
//!
//! * [`note`]: signed notes, verifier keys, witness cosignatures (C2SP);
//! * [`checkpoint`]: checkpoint bodies (C2SP tlog-checkpoint);
//! * [`merkle`]: RFC 9162 hashing and proofs;
//! * [`blobs`]: the manifest, inclusion-proof and log-index blob formats.

pub mod blobs;
pub mod checkpoint;
pub mod log;
pub mod merkle;
pub mod note;
#[cfg(test)]
mod tests;

use blobs::BlobDataError;
use checkpoint::{Checkpoint, CheckpointError};
use merkle::{Hash, ProofError};
use note::{Cosignature, KeyRole, NoteError, NoteKey};

/// At most this many leaf indices are tried when an item has an inclusion
/// proof but no bt-logindex blob (each try costs one hash per proof line).
pub const MAX_INDEX_SEARCH: u64 = 1 << 16;

/// Log and witness keys the user trusts, and the rules they are held to
/// (`--bt-verifier`, `--bt-origin`, `--bt-witness`, `--bt-witness-quorum`).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct LogTrust {
    /// Trusted log keys.
    pub logs: Vec<NoteKey>,
    /// Trusted witness keys.
    pub witnesses: Vec<NoteKey>,
    /// Distinct witnesses whose cosignature must verify (0: none).
    pub quorum: usize,
    /// The checkpoint origin required; by default the verifying log key's name.
    pub origin: Option<String>,
}

impl LogTrust {
    /// Adds a key given as vkey text; log or witness by its type byte.
    pub fn add_vkey(&mut self, vkey: &str) -> Result<KeyRole, NoteError> {
        let key = NoteKey::parse(vkey)?;
        let role = key.role;
        match role {
            KeyRole::Log => self.logs.push(key),
            KeyRole::Witness => self.witnesses.push(key),
        }
        Ok(role)
    }
}

/// Why a transparency blob FAILED.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BtError {
    /// The checkpoint's signed note is refused.
    #[error(transparent)]
    Note(#[from] NoteError),
    /// The checkpoint body is refused.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// A blob's Data is malformed.
    #[error(transparent)]
    Data(#[from] BlobDataError),
    /// The inclusion proof does not verify.
    #[error("inclusion proof does not verify at leaf {index} of {size}: {why}")]
    Inclusion {
        /// The leaf index tried.
        index: u64,
        /// The checkpoint's tree size.
        size: u64,
        /// Why.
        why: ProofError,
    },
    /// No leaf index fits the proof (no bt-logindex blob).
    #[error(
        "inclusion proof verifies at no leaf of the tree of size {size} ({tried} indices tried)"
    )]
    LeafNotFound {
        /// The tree size.
        size: u64,
        /// Indices tried.
        tried: u64,
    },
    /// Too many indices fit the proof to search them all.
    #[error("{candidates} leaf indices fit the proof, over the search limit of {max}: add a bt-logindex blob")]
    SearchLimit {
        /// Indices whose proof length fits.
        candidates: u64,
        /// The limit.
        max: u64,
    },
    /// Fewer witnesses cosigned than the quorum asks.
    #[error("{got} of {want} required witness cosignatures")]
    QuorumMissed {
        /// Distinct witnesses that verified.
        got: usize,
        /// The quorum.
        want: usize,
    },
    /// The manifest's sha256 is not the payload's.
    #[error("manifest sha256 {manifest} does not match the payload ({payload})")]
    ManifestMismatch {
        /// The manifest's value.
        manifest: String,
        /// The payload's SHA-256.
        payload: String,
    },
    /// The manifest's sha256 differs from the item's sha256 blob.
    #[error("manifest sha256 {manifest} differs from the item's sha256 blob {blob}")]
    ManifestDisagrees {
        /// The manifest's value.
        manifest: String,
        /// The sha256 blob's text.
        blob: String,
    },
    /// An inclusion proof or checkpoint without the other blobs it needs.
    #[error("no {0} blob in the item")]
    Missing(&'static str),
    /// The checkpoint the proof is checked against did not verify.
    #[error("the item's checkpoint did not verify")]
    CheckpointUnverified,
}

/// A checkpoint that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifiedCheckpoint {
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// The log key that signed it (`name+id`).
    pub log: String,
    /// Witness cosignatures that verified.
    pub cosignatures: Vec<Cosignature>,
}

/// Verifies a bt-checkpoint blob: a signed note by a trusted log key, the
/// origin, and the witness quorum.
pub fn verify_checkpoint(data: &[u8], trust: &LogTrust) -> Result<VerifiedCheckpoint, BtError> {
    let keys: Vec<NoteKey> = trust
        .logs
        .iter()
        .chain(trust.witnesses.iter())
        .cloned()
        .collect();
    let note = note::open(data, &keys)?;
    let checkpoint = Checkpoint::parse(note.text)?;
    let want = trust
        .origin
        .clone()
        .unwrap_or_else(|| note.log.name.clone());
    if checkpoint.origin != want {
        return Err(CheckpointError::WrongOrigin {
            got: checkpoint.origin,
            want,
        }
        .into());
    }
    if note.cosignatures.len() < trust.quorum {
        return Err(BtError::QuorumMissed {
            got: note.cosignatures.len(),
            want: trust.quorum,
        });
    }
    Ok(VerifiedCheckpoint {
        checkpoint,
        log: format!("{}+{:08x}", note.log.name, note.log.id),
        cosignatures: note.cosignatures,
    })
}

/// Verifies that `manifest` (the exact leaf bytes) is included in the
/// checkpoint's tree: at `index` when the item has a bt-logindex blob,
/// otherwise at the one index (searched, within [`MAX_INDEX_SEARCH`]) whose
/// proof length fits and whose root matches. Returns the index.
pub fn verify_inclusion(
    manifest: &[u8],
    proof: &[Hash],
    index: Option<u64>,
    cp: &Checkpoint,
) -> Result<u64, BtError> {
    let leaf = merkle::leaf_hash(manifest);
    if let Some(index) = index {
        return merkle::verify_inclusion(&leaf, index, cp.size, proof, &cp.root)
            .map(|()| index)
            .map_err(|why| BtError::Inclusion {
                index,
                size: cp.size,
                why,
            });
    }
    // The indices whose proof has this length: count them first (cheap),
    // refuse a search over the limit, then try each.
    let fits = |i: u64| merkle::inclusion_proof_len(i, cp.size) == proof.len();
    let mut candidates = 0u64;
    let mut tried = 0u64;
    let mut i = 0u64;
    while i < cp.size {
        if fits(i) {
            candidates += 1;
            if candidates > MAX_INDEX_SEARCH {
                return Err(BtError::SearchLimit {
                    candidates,
                    max: MAX_INDEX_SEARCH,
                });
            }
        }
        i += 1;
        if i > MAX_INDEX_SEARCH.saturating_mul(64) {
            return Err(BtError::SearchLimit {
                candidates,
                max: MAX_INDEX_SEARCH,
            });
        }
    }
    for i in (0..cp.size).filter(|i| fits(*i)) {
        tried += 1;
        if merkle::verify_inclusion(&leaf, i, cp.size, proof, &cp.root).is_ok() {
            return Ok(i);
        }
    }
    Err(BtError::LeafNotFound {
        size: cp.size,
        tried,
    })
}
