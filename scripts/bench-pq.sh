#!/usr/bin/env bash
# Benchmarks post-quantum (ML-DSA-87) PKCS#7 in jcat-tool (ours, release
# build) next to RSA-2048: 300-item catalogs verified with checksums only,
# + RSA, + ML-DSA-87, + both (today's LVFS metadata shape, with a bound
# RFC 9882 ML-DSA blob), and the signing of 300 files with each key.
# Prints the median wall time, user CPU and peak RSS of each (GNU time
# `%e %U %M`), the per-blob verify cost from the user-CPU differences, and
# the machine load (`uptime`) at start and end.
#
#   scripts/bench-pq.sh [RUNS]      (default: 5 runs; at least 3)
#
# Needs: certtool (gnutls-bin, RSA PKI), /usr/bin/time (GNU time). The
# ML-DSA-87 key and certificate are the ones `self-sign --only-pq` creates.
# Work files go to $BENCH_DIR (default a temp dir).
set -euo pipefail
RUNS=${1:-5}
[ "$RUNS" -ge 3 ] || { echo "RUNS must be at least 3" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# JCAT_BENCH_BIN: another jcat-tool binary (a dry run of the script), no build.
if [ -n "${JCAT_BENCH_BIN:-}" ]; then
  OURS=$JCAT_BENCH_BIN
else
  cargo build --release -p jcat-cli --manifest-path "$ROOT/Cargo.toml" >/dev/null 2>&1
  OURS="$ROOT/target/release/jcat-tool"
fi
W=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$W"
cd "$W"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "# work dir: $W, runs: $RUNS"
echo "# load at start: $(uptime)"

# --- PKI: RSA-2048 CA + signer (certtool), ML-DSA-87 keyring (ours) ----------
# shellcheck source=bench-pki.sh
. "$ROOT/scripts/bench-pki.sh"

# --- workloads: 300 files of 64 KiB ------------------------------------------
mkdir -p p keys
if [ ! -f p/f299.bin ]; then
  for i in $(seq 0 299); do head -c 65536 /dev/urandom > p/f$i.bin; done
fi
FILES=$(cd p && ls f*.bin | sort -V | tr '\n' ' ')
if [ ! -f p/sum.jcat ]; then
  (cd p && "$OURS" self-sign --kind sha1 sum.jcat $FILES && "$OURS" self-sign --kind sha256 sum.jcat $FILES)
  (cd p && cp sum.jcat rsa.jcat && "$OURS" sign rsa.jcat $FILES ../signer.pem ../signer.key)
  (cd p && cp sum.jcat pq.jcat && "$OURS" --keyring ../kr self-sign --only-pq pq.jcat $FILES)
  (cd p && cp rsa.jcat both.jcat && "$OURS" --keyring ../kr self-sign --only-pq both.jcat $FILES)
  cp ca.pem keys/rsa-ca.pem
  cp kr/pki/client-mldsa87.pem keys/pq.pem
fi

# --- measurement ----------------------------------------------------------------
# measure NAME CMD... : appends "wall_seconds user_seconds peak_kib" to $W/NAME.times
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %M" -o "$W/.t" "$@" >/dev/null 2>&1 || true
  cat "$W/.t" >> "$W/$name.times"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v c="$2" '{print $c}' "$W/$1.times" | median; }
rm -f "$W"/*.times
# Every catalog must verify (the signed ones with a signature required).
"$OURS" verify -q --public-keys keys --prefix p p/sum.jcat || { echo "sum.jcat fails" >&2; exit 1; }
for c in rsa pq both; do
  "$OURS" verify -q --policy require --public-keys keys --prefix p "p/$c.jcat" ||
    { echo "$c.jcat fails" >&2; exit 1; }
done
"$OURS" verify -q --only-pq --public-keys keys --prefix p p/pq.jcat || { echo "pq.jcat fails --only-pq" >&2; exit 1; }
for r in $(seq 1 "$RUNS"); do
  measure v_sum "$OURS" verify -q --public-keys keys --prefix p p/sum.jcat
  for c in rsa pq both; do
    measure "v_$c" "$OURS" verify -q --policy require --public-keys keys --prefix p "p/$c.jcat"
  done
  measure v_pq_only "$OURS" verify -q --only-pq --public-keys keys --prefix p p/pq.jcat
  measure s_rsa sh -c "cd p && rm -f s.jcat && '$OURS' sign s.jcat $FILES ../signer.pem ../signer.key"
  measure s_pq sh -c "cd p && rm -f s.jcat && '$OURS' --keyring ../kr self-sign --only-pq s.jcat $FILES"
done
row() {
  printf "%-46s %7s s %7s s %7s MiB\n" "$1" "$(col "$2" 1)" "$(col "$2" 2)" \
    "$(awk -v k="$(col "$2" 3)" 'BEGIN{printf "%.1f", k/1024}')"
}
per_blob() { awk -v a="$(col "$1" 2)" -v b="$(col "$2" 2)" 'BEGIN { printf "%.2f", (a - b) * 1000 / 300 }'; }
echo
printf "%-46s %9s %9s %11s\n" "workload, 300 items (median of $RUNS)" "wall" "user" "peak RSS"
row "verify sha1+sha256" v_sum
row "verify sha1+sha256+RSA-2048" v_rsa
row "verify sha1+sha256+ML-DSA-87" v_pq
row "verify sha1+sha256+RSA+ML-DSA-87 (LVFS shape)" v_both
row "verify --only-pq sha1+sha256+ML-DSA-87" v_pq_only
row "sign 300 files, RSA-2048" s_rsa
row "self-sign --only-pq 300 files, ML-DSA-87" s_pq
echo
echo "RSA-2048 verify per blob (user CPU):  $(per_blob v_rsa v_sum) ms"
echo "ML-DSA-87 verify per blob (user CPU): $(per_blob v_pq v_sum) ms"
echo "# load at end: $(uptime)"
