#!/usr/bin/env bash
# Benchmarks jcat-tool (ours, release build) against the reference jcat-tool
# and `openssl dgst -sha256`, alternating runs, and prints the median wall time
# and peak RSS of each with the ratios the performance targets use.
#
#   scripts/bench.sh [RUNS] [PAYLOAD_MIB]      (defaults: 5 runs, 1024 MiB)
#
# Needs: jcat-tool (Debian package jcat), certtool (gnutls-bin), openssl,
# /usr/bin/time (GNU time). Work files go to $BENCH_DIR (default a temp dir).
set -euo pipefail
RUNS=${1:-5}
MIB=${2:-1024}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release -p jcat-cli --manifest-path "$ROOT/Cargo.toml" >/dev/null 2>&1
OURS="$ROOT/target/release/jcat-tool"
REF=$(command -v jcat-tool)
W=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$W"
cd "$W"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "# work dir: $W, runs: $RUNS, payload: $MIB MiB"

# --- PKI for pkcs7 blobs (certtool) -------------------------------------------
if [ ! -f ca.pem ]; then
  certtool --generate-privkey --key-type rsa --bits 2048 --outfile ca.key 2>/dev/null
  printf 'cn = "Bench CA"\norganization = "jcat bench"\nca\ncert_signing_key\nexpiration_days = 3650\n' > ca.cfg
  certtool --generate-self-signed --load-privkey ca.key --template ca.cfg --outfile ca.pem 2>/dev/null
  certtool --generate-privkey --key-type rsa --bits 2048 --outfile signer.key 2>/dev/null
  printf 'cn = "Bench Signer"\nsigning_key\nexpiration_days = 3650\n' > signer.cfg
  certtool --generate-certificate --load-privkey signer.key --load-ca-certificate ca.pem \
    --load-ca-privkey ca.key --template signer.cfg --outfile signer.pem 2>/dev/null
fi

# --- workloads ------------------------------------------------------------------
mkdir -p w1
if [ ! -f w1/payload.bin ] || [ "$(stat -c %s w1/payload.bin)" != $((MIB * 1048576)) ]; then
  head -c $((MIB * 1048576)) /dev/urandom > w1/payload.bin
  rm -f w1/w1.jcat
fi
if [ ! -f w1/w1.jcat ]; then
  (cd w1 && "$OURS" self-sign --kind sha256 w1.jcat payload.bin && "$OURS" sign w1.jcat payload.bin ../signer.pem ../signer.key)
fi
# W3: a 20 000-item catalog (sha1 + sha256 + PEM pkcs7 per item), built by the library via the CLI
if [ ! -f w3.jcat ]; then
  python3 - "$W" <<'PY'
import gzip, json, sys, hashlib, os
w = sys.argv[1]
pem = open(os.path.join(w, "w1", "w1.jcat"), "rb").read()
cat = json.loads(gzip.decompress(pem))
sig = [b for b in cat["Items"][0]["Blobs"] if b["Kind"] == 3][0]["Data"]
items = []
for i in range(20000):
    d = f"payload {i}".encode()
    items.append({"Id": f"firmware-{i}.bin", "Blobs": [
        {"Kind": 4, "Flags": 1, "Timestamp": 1700000000, "Data": hashlib.sha1(d).hexdigest()},
        {"Kind": 1, "Flags": 1, "Timestamp": 1700000000, "Data": hashlib.sha256(d).hexdigest()},
        {"Kind": 3, "Flags": 1, "Timestamp": 1700000000, "Data": sig}]})
open(os.path.join(w, "w3.jcat"), "wb").write(gzip.compress(json.dumps(
    {"JcatVersionMajor": 0, "JcatVersionMinor": 1, "Items": items}, separators=(",", ":")).encode()))
PY
fi
# W4/W5: 300 files of 64 KiB
mkdir -p w4
if [ ! -f w4/f299.bin ]; then
  for i in $(seq 0 299); do head -c 65536 /dev/urandom > w4/f$i.bin; done
fi
FILES=$(cd w4 && ls f*.bin | sort -V | tr '\n' ' ')
build_ours() { (cd w4 && rm -f ours.jcat && "$OURS" self-sign --kind sha256 ours.jcat $FILES && "$OURS" sign ours.jcat $FILES ../signer.pem ../signer.key); }
build_ref() { (cd w4 && rm -f ref.jcat && for f in $FILES; do "$REF" --keyring ../kr self-sign --kind sha256 ref.jcat "$f" >/dev/null; "$REF" --keyring ../kr sign ref.jcat "$f" ../signer.pem ../signer.key >/dev/null; done); }
[ -f w4/ours.jcat ] || build_ours

# --- measurement ----------------------------------------------------------------
# measure NAME CMD... : appends "wall_seconds peak_kib" to $W/NAME.times
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$W/.t" "$@" >/dev/null 2>&1 || true
  cat "$W/.t" >> "$W/$name.times"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
col() { awk -v c="$2" '{print $c}' "$W/$1.times" | median; }
rm -f "$W"/*.times
for r in $(seq 1 "$RUNS"); do
  measure w1_openssl openssl dgst -sha256 w1/payload.bin
  measure w1_ours "$OURS" verify w1/w1.jcat --prefix w1 --public-key ca.pem
  measure w1_ref "$REF" --keyring kr verify w1/w1.jcat --prefix w1 --public-key ca.pem
  measure w2_openssl openssl dgst -sha256 w1/payload.bin
  measure w2_ours sh -c "cd w1 && rm -f w2.jcat && '$OURS' self-sign --kind sha256 w2.jcat payload.bin"
  measure w3_ours "$OURS" info w3.jcat
  measure w3_ref "$REF" info w3.jcat
  measure w4_ours "$OURS" verify w4/ours.jcat --prefix w4 --public-key ca.pem
  measure w4_ref "$REF" --keyring kr verify w4/ours.jcat --prefix w4 --public-key ca.pem
  if [ "$r" -le 2 ]; then
    measure w5_ours bash -c "$(declare -f build_ours); OURS='$OURS' FILES='$FILES'; build_ours"
    measure w5_ref bash -c "$(declare -f build_ref); REF='$REF' FILES='$FILES'; build_ref"
  fi
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
row() { printf "%-34s %9s s %9s MiB\n" "$1" "$(col "$2" 1)" "$(awk -v k="$(col "$2" 2)" 'BEGIN{printf "%.1f", k/1024}')"; }
echo
printf "%-34s %11s %13s\n" "workload (median of runs)" "wall" "peak RSS"
row "W1 openssl dgst -sha256" w1_openssl
row "W1 verify, ours" w1_ours
row "W1 verify, jcat-tool" w1_ref
row "W2 self-sign sha256, ours" w2_ours
row "W3 info 20k items, ours" w3_ours
row "W3 info 20k items, jcat-tool" w3_ref
row "W4 verify 300 items, ours" w4_ours
row "W4 verify 300 items, jcat-tool" w4_ref
row "W5 build 300 items, ours (2 calls)" w5_ours
row "W5 build 300 items, jcat-tool (600)" w5_ref
echo
echo "W1 time ours/openssl:   $(ratio "$(col w1_ours 1)" "$(col w1_openssl 1)")   (target <= 1.15; RSS target <= 16 MiB)"
echo "W2 time ours/openssl:   $(ratio "$(col w2_ours 1)" "$(col w2_openssl 1)")   (target <= 1.10; RSS target <= 16 MiB)"
echo "W3 time ours/jcat-tool: $(ratio "$(col w3_ours 1)" "$(col w3_ref 1)")   (target <= 0.20)"
echo "W3 RSS  ours/jcat-tool: $(ratio "$(col w3_ours 2)" "$(col w3_ref 2)")   (target <= 0.25)"
echo "W4 time ours/jcat-tool: $(ratio "$(col w4_ours 1)" "$(col w4_ref 1)")   (target <= 0.5)"
echo "W5 time ours/jcat-tool: $(ratio "$(col w5_ours 1)" "$(col w5_ref 1)")   (target <= 0.10)"
"$REF" --keyring kr verify w4/ours.jcat --prefix w4 --public-key ca.pem >/dev/null && echo "W5 result verified by jcat-tool: yes" || echo "W5 result verified by jcat-tool: NO"
