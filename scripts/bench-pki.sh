# Sourced by scripts/bench.sh and scripts/bench-pq.sh: an RSA-2048 CA and a
# signer certificate made with certtool in the current directory (kept across
# runs of the same BENCH_DIR).
if [ ! -f ca.pem ]; then
  certtool --generate-privkey --key-type rsa --bits 2048 --outfile ca.key 2>/dev/null
  printf 'cn = "Bench CA"\norganization = "jcat bench"\nca\ncert_signing_key\nexpiration_days = 3650\n' > ca.cfg
  certtool --generate-self-signed --load-privkey ca.key --template ca.cfg --outfile ca.pem 2>/dev/null
  certtool --generate-privkey --key-type rsa --bits 2048 --outfile signer.key 2>/dev/null
  printf 'cn = "Bench Signer"\nsigning_key\nexpiration_days = 3650\n' > signer.cfg
  certtool --generate-certificate --load-privkey signer.key --load-ca-certificate ca.pem \
    --load-ca-privkey ca.key --template signer.cfg --outfile signer.pem 2>/dev/null
fi
