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
//! use jcat_core::verify::{verify_item, Policy};
//! use jcat_core::{sign, BlobKind, Catalog, Item, Payload, TrustStore};
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

pub mod digest;
pub mod engine;
mod error;
pub mod format;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
mod limits;
mod model;
pub mod par;
pub mod payload;
pub mod sign;
#[cfg(feature = "pkcs7")]
#[doc(hidden)]
pub mod testing;
mod time;
pub mod trust;
pub mod verify;
#[cfg(feature = "pkcs7")]
mod x509;

pub use engine::{reasons, ChainEntry, KeyId, SigError, Verified};
pub use error::{Error, Location, Result};
pub use format::{
    from_bytes, from_json, load_path, load_reader, save_path, save_writer, to_bytes, to_json,
    to_text, write_text, ExportOptions,
};
pub use limits::Limits;
pub use model::{Blob, BlobFlags, BlobKind, BlobMethod, Catalog, Item, NameIndex, KNOWN_KINDS};
pub use payload::Payload;
pub use time::{ChainStrictness, TimeCheck};
pub use trust::TrustStore;
pub use verify::{
    find_payload, verify_item, verify_item_observed, verify_signature, BlobReport, ItemError,
    ItemReport, Outcome, ParsePolicyError, Policy, PolicyFailure, SignaturePolicy,
};
