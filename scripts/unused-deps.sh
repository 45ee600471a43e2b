#!/usr/bin/env bash
# Fails when a crate declares a dependency its sources never name.
#
# For each crate, every entry of [dependencies] must appear as a Rust path
# (`name::`, `use name`, `extern crate name`, the `-` spelled `_`) in its
# `src/` (and benches), and every [dev-dependencies] entry in its sources or
# its integration tests. No network, no cargo plugins: a grep over the
# sources, with the exceptions below (each with its reason).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each entry: "crate-dir:dependency" and, after a space, why it is kept.
# None today: every dependency is named in a path where it is used.
exceptions=()

is_exception() {
  local key=$1 e
  for e in ${exceptions[@]+"${exceptions[@]}"}; do
    [ "${e%% *}" = "$key" ] && return 0
  done
  return 1
}

# The dependency names of one [section] of a manifest (keys only).
deps_of() {
  local manifest=$1 section=$2
  awk -v sec="[$section]" '
    /^\[/ { on = ($0 == sec); next }
    on && /^[A-Za-z0-9_-]+(\.workspace)? *=/ { sub(/[ .=].*/, ""); print }
  ' "$manifest"
}

status=0
check() {
  local crate=$1 section=$2; shift 2
  local dep name
  for dep in $(deps_of "$crate/Cargo.toml" "$section"); do
    name=${dep//-/_}
    is_exception "$crate:$dep" && continue
    # Comment lines do not count as a use.
    if ! grep -rhE "(^|[^A-Za-z0-9_])${name}::|use ${name}\b|extern crate ${name}\b" "$@" 2>/dev/null \
        | grep -vE '^[[:space:]]*//' >/dev/null; then
      echo "unused $section in $crate/Cargo.toml: $dep (no ${name}:: in $*)"
      status=1
    fi
  done
}

check jcat-core dependencies jcat-core/src jcat-core/benches
check jcat-core dev-dependencies jcat-core/src jcat-core/benches tests/core tests/common
check jcat-cli dependencies jcat-cli/src
check jcat-cli dev-dependencies jcat-cli/src tests/cli tests/common
check fuzz dependencies fuzz/fuzz_targets

if [ $status -eq 0 ]; then
  echo "unused-deps: every dependency is used"
fi
exit $status
