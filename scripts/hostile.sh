#!/usr/bin/env bash
# Prints wall time and peak RSS of `jcat-tool info` on every hostile vector.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release -p jcat-cli --manifest-path "$ROOT/Cargo.toml" >/dev/null 2>&1
BIN="$ROOT/target/release/jcat-tool"
printf "%-32s %5s %8s %10s\n" file exit seconds "peak KiB"
for f in "$ROOT"/testdata/hostile/*.jcat; do
  /usr/bin/time -f "%e %M" -o /tmp/jcat-hostile.t "$BIN" info "$f" >/dev/null 2>&1 && rc=0 || rc=$?
  read -r s k < <(tail -1 /tmp/jcat-hostile.t)
  printf "%-32s %5s %8s %10s\n" "$(basename "$f")" "$rc" "$s" "$k"
done
