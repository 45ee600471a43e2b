#!/usr/bin/env bash
# Benchmarks jcat-tool (ours, release build) against the reference jcat-tool
# and `openssl dgst -sha256`, alternating runs, and prints the median wall time
# and peak RSS of each with the ratios the performance targets use.
#
#   scripts/bench.sh [RUNS] [PAYLOAD_MIB]      (defaults: 5 runs, 1024 MiB)
#
# W1-W5 are issue 5's workloads, V1-V5 issue 15's. Sizes of the V workloads:
# V3_ITEMS (5000 items of 64 KiB), V4_FILES (10000 files of 32 KiB),
# V4_REF_FILES (the reference builds this many files, 3 calls each, and its
# time is scaled to V4_FILES: 30 000 processes would take a quarter of an
# hour), V5_CERTS (1000 trusted certificates), V5_RUNS (60 alternating runs for
# V5's medians, scripts/bench-v5.py). BENCH_ONLY=V skips W1-W5.
#
# Needs: jcat-tool (Debian package jcat), certtool (gnutls-bin), openssl,
# /usr/bin/time (GNU time). Work files go to $BENCH_DIR (default a temp dir).
set -euo pipefail
RUNS=${1:-5}
MIB=${2:-1024}
V3_ITEMS=${V3_ITEMS:-5000}
V4_FILES=${V4_FILES:-10000}
V4_REF_FILES=${V4_REF_FILES:-200}
V5_CERTS=${V5_CERTS:-1000}
CORES=$(nproc)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release -p jcat-cli --manifest-path "$ROOT/Cargo.toml" >/dev/null 2>&1
OURS="$ROOT/target/release/jcat-tool"
REF=$(command -v jcat-tool)
W=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$W"
cd "$W"
echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "# work dir: $W, runs: $RUNS, payload: $MIB MiB"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- PKI for pkcs7 blobs (certtool) -------------------------------------------
# shellcheck source=bench-pki.sh
. "$ROOT/scripts/bench-pki.sh"

# --- workloads ------------------------------------------------------------------
mkdir -p w1
if [ ! -f w1/payload.bin ] || [ "$(stat -c %s w1/payload.bin)" != $((MIB * 1048576)) ]; then
  head -c $((MIB * 1048576)) /dev/urandom > w1/payload.bin
  rm -f w1/w1.jcat w1/v1.jcat
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

# V1: the LVFS item shape, sha1 + sha256 + sha512 + pkcs7 over the 1 GiB payload
if [ ! -f w1/v1.jcat ]; then
  (cd w1 && for k in sha1 sha256 sha512; do "$OURS" self-sign --kind $k v1.jcat payload.bin; done \
    && "$OURS" sign v1.jcat payload.bin ../signer.pem ../signer.key)
fi
# V3: V3_ITEMS files of 64 KiB, sha256 + RSA pkcs7 each, one CA
# V4: V4_FILES files of 32 KiB to build sha256 + sha512 + pkcs7 for
mkfiles() { # DIR COUNT SIZE
  python3 - "$1" "$2" "$3" <<'PY'
import os, sys
d, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(d, exist_ok=True)
for i in range(n):
    p = os.path.join(d, f"f{i}.bin")
    if not os.path.exists(p) or os.path.getsize(p) != size:
        with open(p, "wb") as f:
            f.write(os.urandom(size))
PY
}
mkfiles v3 "$V3_ITEMS" 65536
mkfiles v4 "$V4_FILES" 32768
# File lists go through files, not command strings: one argument of the
# `sh -c` string may not exceed 128 KiB (MAX_ARG_STRLEN), which 10 000 names do.
(cd v3 && ls f*.bin | sort -V | awk -v n="$V3_ITEMS" 'NR <= n') > v3.list
(cd v4 && ls f*.bin | sort -V | awk -v n="$V4_FILES" 'NR <= n') > v4.list
(cd v4 && ls f*.bin | sort -V | awk -v n="$V4_REF_FILES" 'NR <= n') > v4ref.list
if [ ! -f v3/v3.jcat ]; then
  (cd v3 && mapfile -t L < ../v3.list && "$OURS" self-sign --kind sha256 v3.jcat "${L[@]}" && "$OURS" sign v3.jcat "${L[@]}" ../signer.pem ../signer.key)
fi
build_v4_ours() { (cd v4 && mapfile -t L < ../v4.list && rm -f ours.jcat && "$OURS" self-sign --kind sha256 ours.jcat "${L[@]}" \
  && "$OURS" self-sign --kind sha512 ours.jcat "${L[@]}" && "$OURS" sign ours.jcat "${L[@]}" ../signer.pem ../signer.key); }
build_v4_ref() { (cd v4 && mapfile -t L < ../v4ref.list && rm -f ref.jcat && for f in "${L[@]}"; do
  "$REF" --keyring ../kr self-sign --kind sha256 ref.jcat "$f" >/dev/null
  "$REF" --keyring ../kr self-sign --kind sha512 ref.jcat "$f" >/dev/null
  "$REF" --keyring ../kr sign ref.jcat "$f" ../signer.pem ../signer.key >/dev/null; done); }
# V5: V5_CERTS trusted certificates (a distribution's bundle: self-signed
# P-256 CAs in one PEM file) next to the CA that signed W4's catalog.
mkdir -p v5/keys v5/one
if [ "$(grep -c 'BEGIN CERTIFICATE' v5/keys/bundle.pem 2>/dev/null || echo 0)" != "$V5_CERTS" ]; then
  rm -f v5/keys/bundle.pem
  for i in $(seq 1 "$V5_CERTS"); do
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
      -subj "/O=Bundle/CN=Bundle Root $i" -days 3650 -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  done > v5/keys/bundle.pem
fi
cp ca.pem v5/keys/ca.pem
if [ ! -f v5/one/one.jcat ]; then
  cp w4/f0.bin v5/one/f0.bin
  (cd v5/one && "$OURS" self-sign --kind sha256 one.jcat f0.bin && "$OURS" sign one.jcat f0.bin ../../signer.pem ../../signer.key)
fi

# --- openssl speed: the public-key limits --------------------------------------
openssl speed -seconds 2 rsa2048 rsa3072 ecdsap256 2>/dev/null > speed.txt || true
RSA2048_SIGN=$(awk '/^rsa 2048 bits/ {print $6}' speed.txt)
RSA2048_VERIFY=$(awk '/^rsa 2048 bits/ {print $7}' speed.txt)
RSA3072_VERIFY=$(awk '/^rsa 3072 bits/ {print $7}' speed.txt)
P256_VERIFY=$(awk '/ecdsa \(nistp256\)/ {print $8}' speed.txt)

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
  measure v1_sha1 openssl dgst -sha1 w1/payload.bin
  measure v1_sha256 openssl dgst -sha256 w1/payload.bin
  measure v1_sha512 openssl dgst -sha512 w1/payload.bin
  measure v1_ours "$OURS" verify w1/v1.jcat --prefix w1 --public-key ca.pem
  measure v1_ref "$REF" --keyring kr verify w1/v1.jcat --prefix w1 --public-key ca.pem
  measure v2_gzip sh -c "gzip -dc w3.jcat > /dev/null"
  measure v2_ours "$OURS" info w3.jcat
  measure v3_hash sh -c "cd v3 && xargs openssl dgst -sha256 < ../v3.list"
  measure v3_ours "$OURS" verify v3/v3.jcat --prefix v3 --public-key ca.pem
  measure v3_ref "$REF" --keyring kr verify v3/v3.jcat --prefix v3 --public-key ca.pem
  measure v4_hash sh -c "cd v4 && xargs openssl dgst -sha256 < ../v4.list && xargs openssl dgst -sha512 < ../v4.list"
  measure v4_ours bash -c "$(declare -f build_v4_ours); OURS='$OURS'; build_v4_ours"
  if [ "$r" -eq 1 ]; then
    measure v4_ref bash -c "$(declare -f build_v4_ref); REF='$REF'; build_v4_ref"
  fi
  measure v5_one_ca "$OURS" verify v5/one/one.jcat --prefix v5/one --public-key ca.pem
  measure v5_one_bundle "$OURS" verify v5/one/one.jcat --prefix v5/one --public-keys v5/keys
  measure v5_300_ca "$OURS" verify w4/ours.jcat --prefix w4 --public-key ca.pem
  measure v5_300_bundle "$OURS" verify w4/ours.jcat --prefix w4 --public-keys v5/keys
  [ "${BENCH_ONLY:-}" = V ] && continue
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
if [ "${BENCH_ONLY:-}" != V ]; then
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
fi

# --- V1-V5 (issue 15) -----------------------------------------------------------
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }
echo
echo "openssl speed: rsa2048 sign $RSA2048_SIGN/s verify $RSA2048_VERIFY/s; rsa3072 verify $RSA3072_VERIFY/s; ecdsap256 verify $P256_VERIFY/s"
printf "%-34s %11s %13s\n" "workload (median of runs)" "wall" "peak RSS"
row "V1 openssl dgst -sha1" v1_sha1
row "V1 openssl dgst -sha256" v1_sha256
row "V1 openssl dgst -sha512" v1_sha512
row "V1 verify 4 blobs, ours" v1_ours
row "V1 verify 4 blobs, jcat-tool" v1_ref
row "V2 gzip -dc" v2_gzip
row "V2 info 20k items, ours" v2_ours
row "V3 openssl dgst -sha256 (files)" v3_hash
row "V3 verify $V3_ITEMS items, ours" v3_ours
row "V3 verify $V3_ITEMS items, jcat-tool" v3_ref
row "V4 openssl sha256+sha512 (files)" v4_hash
row "V4 build $V4_FILES files, ours (3)" v4_ours
row "V4 build $V4_REF_FILES files, jcat-tool" v4_ref
row "V5 verify 1 item, 1 CA" v5_one_ca
row "V5 verify 1 item, +$V5_CERTS certs" v5_one_bundle
row "V5 verify 300 items, 1 CA" v5_300_ca
row "V5 verify 300 items, +$V5_CERTS" v5_300_bundle
SLOWEST=$(for n in v1_sha1 v1_sha256 v1_sha512; do col $n 1; done | sort -n | tail -1)
V3_LIMIT=$(calc "($(col v3_hash 1) + $V3_ITEMS / $RSA2048_VERIFY) / $CORES")
V4_LIMIT=$(calc "($(col v4_hash 1) + $V4_FILES / $RSA2048_SIGN) / $CORES")
V4_REF=$(calc "$(col v4_ref 1) * $V4_FILES / $V4_REF_FILES")
echo
echo "V1 time ours/slowest openssl digest: $(ratio "$(col v1_ours 1)" "$SLOWEST")   (target <= 1.15; RSS <= 16 MiB)"
echo "V2 time ours/gzip -dc:               $(ratio "$(col v2_ours 1)" "$(col v2_gzip 1)")   (target <= 1.3; RSS <= 16 MiB)"
echo "V3 jcat-tool/ours:                   $(ratio "$(col v3_ref 1)" "$(col v3_ours 1)")   (target >= 10)"
echo "V3 ours/limit ($V3_LIMIT s):         $(ratio "$(col v3_ours 1)" "$V3_LIMIT")   (target <= 2)"
echo "V4 jcat-tool (scaled, $V4_REF s)/ours: $(ratio "$V4_REF" "$(col v4_ours 1)")   (target >= 50)"
echo "V4 ours/limit ($V4_LIMIT s):         $(ratio "$(col v4_ours 1)" "$V4_LIMIT")   (target <= 1.3)"
echo "V5 load of $V5_CERTS certificates:       $(calc "($(col v5_one_bundle 1) - $(col v5_one_ca 1)) * 1000") ms   (target <= 50)"
echo "V5 300 items bundle/one CA:          $(ratio "$(col v5_300_bundle 1)" "$(col v5_300_ca 1)")   (target <= 1.2)"
"$REF" --keyring kr verify v4/ours.jcat --prefix v4 --public-key ca.pem >/dev/null && echo "V4 result verified by jcat-tool: yes" || echo "V4 result verified by jcat-tool: NO"
# V5 at millisecond resolution (the runs are tens of ms; /usr/bin/time has
# 10 ms): perf stat's mean wall time and task-clock (CPU) over 20 runs.
if command -v perf >/dev/null 2>&1 && perf stat -e task-clock true >/dev/null 2>&1; then
  pstat() { perf stat -r 20 -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ {print $1}'; }
  pwall() { perf stat -r 20 "$@" 2>&1 >/dev/null | awk '/seconds time elapsed/ {print $1 * 1000}'; }
  for v in "one_ca v5/one/one.jcat --prefix v5/one --public-key ca.pem" \
           "one_bundle v5/one/one.jcat --prefix v5/one --public-keys v5/keys" \
           "300_ca w4/ours.jcat --prefix w4 --public-key ca.pem" \
           "300_bundle w4/ours.jcat --prefix w4 --public-keys v5/keys"; do
    set -- $v; n=$1; shift
    eval "P_CPU_$n=$(pstat "$OURS" verify "$@")"; eval "P_WALL_$n=$(pwall "$OURS" verify "$@")"
  done
  echo "V5 (perf stat -r 20) CPU ms: 1 item $P_CPU_one_ca / +bundle $P_CPU_one_bundle; 300 items $P_CPU_300_ca / +bundle $P_CPU_300_bundle"
  echo "V5 (perf stat -r 20) wall ms: 1 item $P_WALL_one_ca / +bundle $P_WALL_one_bundle; 300 items $P_WALL_300_ca / +bundle $P_WALL_300_bundle"
  echo "V5 load (CPU ms):                    $(calc "$P_CPU_one_bundle - $P_CPU_one_ca")   (target <= 50)"
  echo "V5 300 items bundle/one CA, CPU:     $(ratio "$P_CPU_300_bundle" "$P_CPU_300_ca")   (target <= 1.2)"
  echo "V5 300 items bundle/one CA, wall:    $(ratio "$P_WALL_300_bundle" "$P_WALL_300_ca")   (target <= 1.2)"
fi
# The same ratio from medians of alternating runs (perf stat reports means).
python3 "$ROOT/scripts/bench-v5.py" "$W" "${V5_RUNS:-60}" "$OURS"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
