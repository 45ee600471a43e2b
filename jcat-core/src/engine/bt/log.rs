//! A minimal transparency log: entries in memory, RFC 9162 tree, signed
//! checkpoints with optional witness cosignatures, and the blob texts an
//! item carries (bt-checkpoint, bt-inclusion-proof, bt-logindex). For tests,
//! and for vendors trying the format before a real log publishes them.

use crate::trust::ed25519_raw::Ed25519Key;
use base64::Engine as _;

use super::checkpoint::Checkpoint;
use super::merkle::{self, Hash};
use super::note::{self, KeyRole, NoteError, NoteKey};

/// An in-memory log signed by one Ed25519 key.
pub struct Log {
    origin: String,
    key: NoteKey,
    secret: Ed25519Key,
    leaves: Vec<Hash>,
}

impl Log {
    /// A log named `origin` (also its key name) signing with `secret`.
    pub fn new(origin: &str, secret: Ed25519Key) -> Result<Self, NoteError> {
        let key = NoteKey::new(origin, KeyRole::Log, secret.0.verifying_key())?;
        Ok(Self {
            origin: origin.to_string(),
            key,
            secret,
            leaves: Vec::new(),
        })
    }

    /// The log's verifier key (what clients pass as `--bt-verifier`).
    pub fn vkey(&self) -> String {
        self.key.vkey()
    }

    /// Appends an entry (e.g. a bt-manifest's exact bytes); returns its index.
    pub fn append(&mut self, entry: &[u8]) -> u64 {
        self.leaves.push(merkle::leaf_hash(entry));
        self.leaves.len() as u64 - 1
    }

    /// The current checkpoint body.
    pub fn checkpoint(&self, extensions: &[&str]) -> Checkpoint {
        Checkpoint {
            origin: self.origin.clone(),
            size: self.leaves.len() as u64,
            root: merkle::root_of(&self.leaves),
            extensions: extensions.iter().map(|e| e.to_string()).collect(),
        }
    }

    /// The signed checkpoint note: body, blank line, the log's signature and
    /// one cosignature per `(witness key, secret, time)`.
    pub fn signed_checkpoint(
        &self,
        extensions: &[&str],
        witnesses: &[(&NoteKey, &Ed25519Key, u64)],
    ) -> String {
        let text = self.checkpoint(extensions).to_text();
        let mut out = format!(
            "{text}\n{}",
            note::sign_line(&self.key, &self.secret.0, &text)
        );
        for (k, s, t) in witnesses {
            out.push_str(&note::cosign_line(k, &s.0, *t, &text));
        }
        out
    }

    /// The bt-inclusion-proof text of leaf `index` in the current tree.
    pub fn inclusion_proof(&self, index: u64) -> String {
        let i = usize::try_from(index).unwrap_or(usize::MAX);
        merkle::inclusion_proof(&self.leaves, i)
            .iter()
            .map(|h| format!("{}\n", base64::engine::general_purpose::STANDARD.encode(h)))
            .collect()
    }
}

/// A witness key pair for tests: its vkey and its secret.
pub fn witness(name: &str, secret: Ed25519Key) -> Result<(NoteKey, Ed25519Key), NoteError> {
    Ok((
        NoteKey::new(name, KeyRole::Witness, secret.0.verifying_key())?,
        secret,
    ))
}
