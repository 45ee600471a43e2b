//! jcat-tool end-to-end tests (one binary): run the binary, reload what it
//! wrote with the library, and compare with the reference jcat-tool.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod commands;
mod common;
mod daily;
mod daily_keys;
mod differential;
mod generated;
mod hostile;
mod import_forms;
mod interop;
mod json_schemas;
mod key_refusals;
mod pkcs11;
mod pki;
mod pki_csr;
mod pki_forged;
mod pki_tools;
mod policy;
mod pq;
mod pq_lvfs;
mod pq_sign;
mod progress;
mod readme;
mod safety;
mod signatures;
mod sources;
mod target_forgery;
mod transparency;
mod verify;
