#!/usr/bin/env bash
# Copies the committed seeds and regressions into fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
for t in catalog pkcs7 pgp ed25519 trust_file; do
  mkdir -p "corpus/$t"
  cp -n seeds/$t/* "corpus/$t/" 2>/dev/null || true
  find "regressions/$t" -type f ! -name .gitkeep -exec cp -n {} "corpus/$t/" \;
done
