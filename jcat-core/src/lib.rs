#![doc = include_str!("../README.md")]
//!
//! # The crate `jcat-core`
//!
//! Read, write, verify and sign [Jcat](https://github.com/hughsie/libjcat)
//! catalogs: gzip-compressed JSON listing, per file, checksums and detached
//! signatures. Compatible with libjcat (see `docs/compatibility.md`).
//!
//! The library never prints, prompts or exits; time, trust and policy are
//! always passed in.
//!
//! ```
//! use jcat_core::{Blob, BlobFlags, BlobKind, Catalog, Item};
//! let mut cat = Catalog::new();
//! let item = cat.add_item(Item::new("firmware.bin")).unwrap();
//! item.add_blob(Blob::new(BlobKind::Sha256, BlobFlags::IS_UTF8, b"abc".to_vec(), Some(1)));
//! let bytes = jcat_core::to_bytes(&cat).unwrap();
//! let back = jcat_core::from_bytes(&bytes, &jcat_core::Limits::default()).unwrap();
//! assert_eq!(back, cat);
//! ```
//!
//! Checksum a payload, then verify the item against it (what `jcat-tool
//! self-sign --kind sha256` and `jcat-tool verify` do):
//!
//! ```
//! use jcat_core::{sign, verify_item, BlobKind, Catalog, Item, Payload, Policy, TrustStore};
//! let payload = b"firmware bytes";
//! let mut cat = Catalog::new();
//! let item = cat.add_item(Item::new("firmware.bin"))?;
//! item.add_blob(sign::checksum_blob(BlobKind::Sha256, Payload::Bytes(payload), 0)?);
//! let report = verify_item(&cat.items()[0], Payload::Bytes(payload), &TrustStore::new(), &Policy::new(jcat_core::TimeCheck::Disabled));
//! assert!(report.passed());
//! let tampered = verify_item(&cat.items()[0], Payload::Bytes(b"other"), &TrustStore::new(), &Policy::new(jcat_core::TimeCheck::Disabled));
//! assert!(!tampered.passed());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
#![warn(missing_docs)]
// Without `pkcs7` the hidden `testing` module (the tests' and benches' way
// to internals) is not built, so helpers only it names look unused there;
// the default build still reports dead code.
#![cfg_attr(not(feature = "pkcs7"), allow(dead_code, unused_imports))]
#![warn(unnameable_types)]

mod digest;
mod engine;
mod error;
mod format;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
mod limits;
mod model;
pub mod par;
mod payload;
pub mod sign;
#[cfg(feature = "pkcs7")]
#[doc(hidden)]
pub mod testing;
mod time;
mod trust;
mod verify;
#[cfg(feature = "pkcs7")]
mod x509;

pub use engine::{ChainEntry, KeyId, SigError, Verified};
pub use error::{Error, Location, Result};
pub use format::{
    from_bytes, from_json, load_path, load_reader, save_path, save_writer, to_bytes, to_json,
    to_text, write_text, write_text_path, ExportOptions, TextDumpError,
};
pub use limits::Limits;
pub use model::{Blob, BlobFlags, BlobKind, BlobMethod, Catalog, Item, NameIndex, KNOWN_KINDS};
pub use payload::Payload;
pub use time::{format_timestamp, ChainStrictness, TimeCheck};
#[cfg(feature = "pgp")]
pub use trust::SHA1_SELF_SIG_CUTOFF;
pub use trust::{LoadedKey, PgpPublicKey, SkipCause, SkippedKey, TrustStore, TrustedCert};
pub use verify::{
    find_payload, verify_item, verify_item_observed, verify_signature, BlobReport, CatalogReport,
    ItemError, ItemReport, Outcome, ParsePolicyError, Policy, PolicyFailure, Prehashed,
    SignaturePolicy, Verifier,
};

/// Why something failed, typed: the detail enums of [`SigError`] and of the
/// per-blob [`Outcome`], each `Display` the text `jcat-tool` prints.
pub mod reasons {
    pub use crate::engine::checksum::ChecksumMismatch;
    pub use crate::engine::pgp::PgpError;
    pub use crate::engine::reasons::{
        LimitName, Malformed, Refusal, SignedBy, Signer, Unsupported,
    };
    pub use crate::trust::ed25519_raw::{Ed25519KeyError, SecretKeyEvidence};
    pub use crate::trust::x509::{rank, ChainError};
    #[cfg(feature = "pkcs7")]
    pub use crate::trust::x509::{BudgetScope, CrlProblem};
    pub use crate::verify::{Failure, Skip, TargetError};
    #[cfg(feature = "pkcs7")]
    pub use crate::x509::mldsa::MlDsaSet;
}

/// Turning files found on disk into blobs, as `jcat-tool import` does:
/// `sha256sum`-style checksum text and CMS PEM / DER PKCS#7 normalised to
/// what libjcat stores.
pub mod import {
    pub use crate::format::import::{checksum_text, pkcs7_pem, ImportError};
}

/// Binary transparency (our extension, `docs/transparency.md`): the log and
/// witness keys a user trusts, the manifest a log includes, and a small
/// in-memory log for tests and vendors trying the format.
pub mod transparency {
    pub use crate::engine::bt::blobs::{write_manifest, BlobDataError, ManifestFields};
    pub use crate::engine::bt::checkpoint::{Checkpoint, CheckpointError};
    pub use crate::engine::bt::log::{witness, Log};
    pub use crate::engine::bt::merkle::ProofError;
    pub use crate::engine::bt::note::{KeyRole, NoteError, NoteKey};
    pub use crate::engine::bt::{BtError, LogTrust, MAX_INDEX_SEARCH};
    pub use crate::verify::TransparencyFacts;
}
