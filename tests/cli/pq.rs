//! ML-DSA (post-quantum) PKCS#7 end to end, on the LVFS-shaped catalogs of
//! the shared corpus (`corpus/pq/derived`, read at run time): today's
//! metadata shape passes on its checksums and RSA signature with the
//! GnuTLS-form ML-DSA blob SKIPPED as unbound; the replayed blob never
//! counts as a signature.

use std::path::Path;

use crate::common::*;

/// A payload directory holding `payload` under the item's ID, and a keyring
/// with the derived test signers (trusted directly: the derived
/// certificates lack authorityKeyIdentifier, which our profile requires of
/// a certificate below an anchor).
fn setup(derived: &Path, payload: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("keys")).unwrap();
    for f in ["test-rsa-signer.pem", "test-pq-signer.pem"] {
        std::fs::copy(derived.join(f), d.path().join("keys").join(f)).unwrap();
    }
    std::fs::copy(
        derived.join(payload),
        d.path().join("firmware-00001-stable.xml.zst"),
    )
    .unwrap();
    d
}

/// `verify --public-keys keys --prefix . --at 2027-01-01T00:00:00Z EXTRA… CATALOG`.
fn verify(d: &Path, catalog: &Path, extra: &str) -> Run {
    let mut args = words("verify --public-keys keys --prefix . --at 2027-01-01T00:00:00Z");
    args.extend(words(extra));
    args.push(catalog.to_str().unwrap().to_owned());
    jt(d, &args)
}

const UNBOUND: &str = "    SKIPPED pkcs7: ML-DSA signature by CN=Test LVFS CA 2025PQ,O=jcat-rs test PKI (NOT LVFS) does not bind the payload (empty messageDigest)\n";

#[test]
fn lvfs_shape_metadata_passes_on_rsa_with_the_mldsa_blob_unbound() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = setup(&derived, "payload.xml");
    let cat = derived.join("lvfs-shape-metadata.jcat");
    for policy in ["verify", "require"] {
        verify(d.path(), &cat, &format!("--policy {policy}"))
            .ok()
            .stdout_has("    PASSED pkcs7: CN=Test LVFS CA,O=jcat-rs test PKI (NOT LVFS)\n")
            .stdout_has(UNBOUND);
    }
    // The unbound blob is no second signer.
    verify(d.path(), &cat, "--min-signers 2").code(1);
}

#[test]
fn replayed_pq_blob_counts_for_nothing() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = setup(&derived, "other-payload.xml");
    let cat = derived.join("neg-replayed-pq-blob-other-payload.jcat");
    // Without a signature requirement it passes on its checksums alone,
    // like any checksum-only catalog.
    verify(d.path(), &cat, "").ok().stdout_has(UNBOUND);
    verify(d.path(), &cat, "--policy require")
        .code(1)
        .stdout_has("FAILED: signature required");
    verify(d.path(), &cat, "--min-signers 1").code(1);
}

#[test]
fn only_pq_fails_lvfs_shape_and_replay() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = setup(&derived, "payload.xml");
    verify(d.path(), &derived.join("lvfs-shape-metadata.jcat"), "--only-pq")
        .code(1)
        .stdout_has("    FAILED pkcs7: failed to verify data for CN=Test LVFS CA,O=jcat-rs test PKI (NOT LVFS): not a post-quantum signature")
        .stdout_has(UNBOUND)
        .stdout_has("post-quantum signature required");
    let o = setup(&derived, "other-payload.xml");
    let cat = derived.join("neg-replayed-pq-blob-other-payload.jcat");
    verify(o.path(), &cat, "--only-pq")
        .code(1)
        .stdout_has("    PASSED sha256: OK\n");
}

#[test]
fn only_pq_without_an_mldsa_anchor_says_no_certificates_in_trust_list() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = setup(&derived, "payload.xml");
    std::fs::remove_file(d.path().join("keys/test-pq-signer.pem")).unwrap();
    let r = verify(
        d.path(),
        &derived.join("lvfs-shape-metadata.jcat"),
        "--only-pq",
    )
    .code(1);
    assert_eq!(
        r.stdout
            .matches("    FAILED pkcs7: no certificates in trust list\n")
            .count(),
        2,
        "{}",
        r.stdout
    );
}

/// An RFC 9882 ML-DSA-87 blob (SHA-512 messageDigest) imported next to the
/// payload: it binds the payload, so it passes with and without
/// `--only-pq`, and on another payload it fails.
#[test]
fn only_pq_passes_a_bound_mldsa_signature() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = setup(&derived, "payload.xml");
    let p = d.path();
    std::fs::copy(derived.join("payload.xml"), p.join("payload.xml")).unwrap();
    std::fs::copy(
        derived.join("mldsa87-rfc9882-sha512.p7b"),
        p.join("payload.xml.p7b"),
    )
    .unwrap();
    jt(p, "import c.jcat payload.xml payload.xml.p7b").ok();
    for extra in ["", "--only-pq", "--only-pq --policy require"] {
        verify(p, &p.join("c.jcat"), extra)
            .ok()
            .stdout_has("    PASSED pkcs7: CN=Test LVFS CA 2025PQ,O=jcat-rs test PKI (NOT LVFS)\n");
    }
    std::fs::copy(derived.join("other-payload.xml"), p.join("payload.xml")).unwrap();
    verify(p, &p.join("c.jcat"), "--only-pq").code(1);
}

#[test]
fn only_pq_is_spelled_out_in_help() {
    let d = tempfile::tempdir().unwrap();
    for cmd in ["verify", "self-sign"] {
        jt(d.path(), &[cmd, "--help"])
            .stdout_has("--only-pq")
            .stdout_has("ML-DSA");
    }
    jt(d.path(), "self-sign --only-pq --kind ed25519 x.jcat y").code(2);
}

/// `self-sign --only-pq` creates the ML-DSA-87 keyring on first use and
/// its blob verifies with `--only-pq` against the keyring certificate.
#[test]
fn self_sign_only_pq_round_trip() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("f.bin"), b"firmware").unwrap();
    jt(p, "--keyring kr self-sign --only-pq c.jcat f.bin").ok();
    let key = p.join("kr/pki/secret-mldsa87.key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&key)
        .unwrap()
        .starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(!p.join("kr/pki/secret.key").exists());
    let verify = "verify --only-pq --public-key kr/pki/client-mldsa87.pem c.jcat";
    jt(p, verify).ok().stdout_has("    PASSED pkcs7: ");
    // Second use reuses the keyring; a changed payload fails.
    let before = Snapshot::of(&key);
    jt(p, "--keyring kr self-sign --only-pq c2.jcat f.bin").ok();
    before.assert_untouched();
    std::fs::write(p.join("f.bin"), b"firmwarE").unwrap();
    jt(p, verify).code(1);
}

/// Ed25519 (and likewise OpenPGP) is not post-quantum: it PASSES normally
/// and FAILS under `--only-pq`, where libjcat would ignore the flag for it.
#[test]
fn only_pq_fails_ed25519() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("f.bin"), b"hello").unwrap();
    jt(p, "--keyring kr self-sign --kind ed25519 c.jcat f.bin").ok();
    jt(p, "verify --public-keys kr/pki c.jcat").ok();
    jt(p, "verify --only-pq --public-keys kr/pki c.jcat")
        .code(1)
        .stdout_has("    FAILED ed25519: failed to verify data: not a post-quantum signature");
}
