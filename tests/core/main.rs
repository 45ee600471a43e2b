//! jcat-core integration tests (one binary): engines against real vectors and
//! against the reference tools (jcat-tool, certtool, gpg).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
mod fuzz_replay;
mod item_reasons;
mod layers;
mod pgp;
mod pkcs11;
mod pkcs7;
mod provenance;
mod targets;
mod transparency;
mod transparency_go;
mod verdict;
