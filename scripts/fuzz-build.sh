#!/usr/bin/env bash
# Builds every fuzz target (does not fuzz). CI-friendly: works on the stable
# toolchain through RUSTC_BOOTSTRAP=1, which cargo-fuzz needs for
# -Zsanitizer / -Cpasses=sancov-module.
#
#   scripts/fuzz-build.sh            # cargo fuzz build (ASan + coverage), as used for fuzzing
#   scripts/fuzz-build.sh --plain    # no cargo-fuzz needed: plain release build, no sanitizer
#
# The corpus replay itself runs in `cargo test -p jcat-core` (tests/core/fuzz_replay.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
if [[ "${1:-}" != "--plain" ]] && cargo fuzz --version >/dev/null 2>&1; then
  exec cargo fuzz build
else
  # Same targets, without instrumentation: proves they compile and link.
  exec cargo build --release --manifest-path fuzz/Cargo.toml --bins
fi
