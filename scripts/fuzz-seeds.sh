#!/usr/bin/env bash
# Copies the committed seeds and regressions into fuzz/corpus/<target>/, plus
# the real-world files of the shared corpus (../shared/corpus, or
# $JCAT_SHARED_DIR/corpus) when it is there; those are never committed.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
for t in catalog pkcs7 pgp ed25519 trust_file; do
  mkdir -p "corpus/$t"
  cp -n seeds/$t/* "corpus/$t/" 2>/dev/null || true
  find "regressions/$t" -type f ! -name .gitkeep -exec cp -n {} "corpus/$t/" \;
done
SHARED="${JCAT_SHARED_DIR:-$(cd .. && pwd)/../shared}/corpus"
if [ -d "$SHARED" ]; then
  # name-pattern target: every file of the shared corpus whose name matches.
  while read -r pattern t; do
    find "$SHARED" -type f -name "$pattern" | while read -r f; do
      rel="${f#"$SHARED"/}"
      cp -n "$f" "corpus/$t/shared-${rel//\//-}"
    done
  done <<'MAP'
*.jcat catalog
*.p7b pkcs7
*.p7c pkcs7
*.asc pgp
firmware.bin.ed25519 ed25519
*.pem trust_file
GPG-KEY-* trust_file
test.ed25519 trust_file
MAP
else
  echo "no shared corpus at $SHARED: committed seeds only" >&2
fi
