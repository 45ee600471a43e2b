//! Shared helpers for the jcat-core integration tests: those of both suites
//! (`tests/common/mod.rs`).
#![allow(dead_code)]

#[path = "../common/mod.rs"]
mod both;
pub use both::*;
