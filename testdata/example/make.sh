#!/usr/bin/env bash
# Regenerates the example in this folder: a sample firmware image, its catalog
# (sha256 + PKCS#7 + Ed25519 + OpenPGP blobs) and the trust anchors to verify
# it with. Everything is made fresh here by our own jcat-tool, certtool
# (GnuTLS, for the test CA) and gpg (for the OpenPGP test key); private keys
# live in a temporary directory and are thrown away.
#
#   testdata/example/make.sh            # builds jcat-tool (debug) first
#   JCAT_TOOL=path/to/jcat-tool testdata/example/make.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
if [ -z "${JCAT_TOOL:-}" ]; then
  cargo build -q -p jcat-cli --manifest-path "$ROOT/Cargo.toml"
  JCAT_TOOL="$ROOT/target/debug/jcat-tool"
fi
WORK="$(mktemp -d)"
trap 'gpgconf --homedir "$WORK/gnupg" --kill all 2>/dev/null || true; rm -rf "$WORK"' EXIT
cd "$WORK"

# The payload: a 4 KiB "flash image" (a version string, then erased 0xFF).
{ printf 'jcat example firmware 1.2.3\n'; head -c 4068 /dev/zero | tr '\0' '\377'; } > firmware.bin

# A test CA and a code-signing certificate issued by it, both without a
# well-defined expiry (notAfter 9999-12-31), so the example verifies forever.
cat > ca.cfg <<'CFG'
cn = "Jcat Example CA"
organization = "Jcat Example"
ca
cert_signing_key
crl_signing_key
expiration_days = -1
serial = 1
CFG
cat > signer.cfg <<'CFG'
cn = "Jcat Example Signer"
organization = "Jcat Example"
signing_key
code_signing_key
expiration_days = -1
serial = 2
CFG
certtool --generate-privkey --key-type rsa --bits 3072 --outfile ca.key 2>/dev/null
certtool --generate-self-signed --load-privkey ca.key --template ca.cfg --outfile ca.pem 2>/dev/null
certtool --generate-privkey --key-type rsa --bits 2048 --outfile signer.key 2>/dev/null
certtool --generate-certificate --load-privkey signer.key --load-ca-privkey ca.key \
  --load-ca-certificate ca.pem --template signer.cfg --outfile signer.pem 2>/dev/null

# An OpenPGP signing key (Ed25519, no expiry, no passphrase).
mkdir -m 700 gnupg
gpg --homedir gnupg --batch --passphrase '' --quick-gen-key \
  'Jcat Example <example@jcat.invalid>' ed25519 sign never 2>/dev/null
gpg --homedir gnupg --armor --export > pgp-public.asc
gpg --homedir gnupg --armor --batch --pinentry-mode loopback --passphrase '' \
  --export-secret-keys > pgp-secret.asc

# The catalog: the checksum, then one signature per engine.
"$JCAT_TOOL" --keyring keyring self-sign --kind sha256 firmware.jcat firmware.bin
"$JCAT_TOOL" --keyring keyring sign firmware.jcat firmware.bin signer.pem signer.key
"$JCAT_TOOL" --keyring keyring self-sign --kind ed25519 firmware.jcat firmware.bin
"$JCAT_TOOL" --keyring keyring sign --kind gpg firmware.jcat firmware.bin pgp-public.asc pgp-secret.asc

rm -rf "$HERE/pki"
mkdir -p "$HERE/pki"
cp firmware.bin firmware.jcat "$HERE/"
cp ca.pem "$HERE/pki/example-ca.pem"
cp keyring/pki/public.ed25519 "$HERE/pki/example.ed25519"
# libjcat loads OpenPGP keys only from files named GPG-KEY-*.
cp pgp-public.asc "$HERE/pki/GPG-KEY-Jcat-Example"

# Fuzz seeds of our own: the catalog, each signature blob, each trust anchor.
SEEDS="$ROOT/fuzz/seeds"
mkdir -p "$SEEDS"/{catalog,pkcs7,pgp,ed25519,trust_file}
"$JCAT_TOOL" export --prefix blobs firmware.jcat >/dev/null
cp firmware.jcat "$SEEDS/catalog/example-firmware.jcat"
cp blobs/firmware.bin.p7b "$SEEDS/pkcs7/example.p7b"
cp blobs/firmware.bin.asc "$SEEDS/pgp/example.asc"
cp blobs/firmware.bin.ed25519 "$SEEDS/ed25519/example.ed25519"
cp "$HERE"/pki/* "$SEEDS/trust_file/"

# The README's first command prints exactly this (update README.md with it).
"$JCAT_TOOL" verify "$HERE/firmware.jcat" --prefix "$HERE" --public-keys "$HERE/pki"
