//! ML-DSA (post-quantum) PKCS#7 end to end, on the LVFS-shaped catalogs of
//! the shared corpus (`corpus/pq/derived`, read at run time): today's
//! metadata shape passes on its checksums and RSA signature with the
//! GnuTLS-form ML-DSA blob SKIPPED as unbound; the replayed blob never
//! counts as a signature.

use std::path::Path;

use crate::common::jt;

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

fn verify(d: &Path, catalog: &Path, extra: &[&str]) -> crate::common::Run {
    let mut args = vec![
        "verify",
        "--public-keys",
        "keys",
        "--prefix",
        ".",
        "--at",
        "2027-01-01T00:00:00Z",
    ];
    args.extend_from_slice(extra);
    args.push(catalog.to_str().unwrap());
    jt(d, &args)
}

const UNBOUND: &str = "    SKIPPED pkcs7: ML-DSA signature by CN=Test LVFS CA 2025PQ,O=jcat-rs test PKI (NOT LVFS) does not bind the payload (empty messageDigest)\n";

#[test]
fn lvfs_shape_metadata_passes_on_rsa_with_the_mldsa_blob_unbound() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = setup(&derived, "payload.xml");
    let cat = derived.join("lvfs-shape-metadata.jcat");
    for policy in ["verify", "require"] {
        let r = verify(d.path(), &cat, &["--policy", policy]);
        assert_eq!(r.code, 0, "{policy}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout
                .contains("    PASSED pkcs7: CN=Test LVFS CA,O=jcat-rs test PKI (NOT LVFS)\n"),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains(UNBOUND), "{}", r.stdout);
    }
    // The unbound blob is no second signer.
    let r = verify(d.path(), &cat, &["--min-signers", "2"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn replayed_pq_blob_counts_for_nothing() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = setup(&derived, "other-payload.xml");
    let cat = derived.join("neg-replayed-pq-blob-other-payload.jcat");
    // Without a signature requirement it passes on its checksums alone,
    // like any checksum-only catalog.
    let r = verify(d.path(), &cat, &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(UNBOUND), "{}", r.stdout);
    let r = verify(d.path(), &cat, &["--policy", "require"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("FAILED: signature required"),
        "{}",
        r.stdout
    );
    let r = verify(d.path(), &cat, &["--min-signers", "1"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn only_pq_fails_lvfs_shape_and_replay() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = setup(&derived, "payload.xml");
    let r = verify(
        d.path(),
        &derived.join("lvfs-shape-metadata.jcat"),
        &["--only-pq"],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("    FAILED pkcs7: failed to verify data for CN=Test LVFS CA,O=jcat-rs test PKI (NOT LVFS): not a post-quantum signature"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(UNBOUND), "{}", r.stdout);
    assert!(
        r.stdout.contains("post-quantum signature required"),
        "{}",
        r.stdout
    );
    let o = setup(&derived, "other-payload.xml");
    let cat = derived.join("neg-replayed-pq-blob-other-payload.jcat");
    let r = verify(o.path(), &cat, &["--only-pq"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("    PASSED sha256: OK\n"), "{}", r.stdout);
}

#[test]
fn only_pq_without_an_mldsa_anchor_says_no_certificates_in_trust_list() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = setup(&derived, "payload.xml");
    std::fs::remove_file(d.path().join("keys/test-pq-signer.pem")).unwrap();
    let r = verify(
        d.path(),
        &derived.join("lvfs-shape-metadata.jcat"),
        &["--only-pq"],
    );
    assert_eq!(r.code, 1);
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
    let r = jt(p, &["import", "c.jcat", "payload.xml", "payload.xml.p7b"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for extra in [
        &[][..],
        &["--only-pq"],
        &["--only-pq", "--policy", "require"],
    ] {
        let r = verify(p, &p.join("c.jcat"), extra);
        assert_eq!(r.code, 0, "{extra:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout.contains(
                "    PASSED pkcs7: CN=Test LVFS CA 2025PQ,O=jcat-rs test PKI (NOT LVFS)\n"
            ),
            "{}",
            r.stdout
        );
    }
    std::fs::copy(derived.join("other-payload.xml"), p.join("payload.xml")).unwrap();
    let r = verify(p, &p.join("c.jcat"), &["--only-pq"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn only_pq_is_spelled_out_in_help() {
    let d = tempfile::tempdir().unwrap();
    for cmd in ["verify", "self-sign"] {
        let r = jt(d.path(), &[cmd, "--help"]);
        assert!(r.stdout.contains("--only-pq"), "{cmd}: {}", r.stdout);
        assert!(r.stdout.contains("ML-DSA"), "{cmd}: {}", r.stdout);
    }
    let r = jt(
        d.path(),
        &["self-sign", "--only-pq", "--kind", "ed25519", "x.jcat", "y"],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
}

/// `self-sign --only-pq` creates the ML-DSA-87 keyring on first use and
/// its blob verifies with `--only-pq` against the keyring certificate.
#[test]
fn self_sign_only_pq_round_trip() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("f.bin"), b"firmware").unwrap();
    let r = jt(
        p,
        &[
            "--keyring",
            "kr",
            "self-sign",
            "--only-pq",
            "c.jcat",
            "f.bin",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let key = p.join("kr/pki/secret-mldsa87.key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&key)
        .unwrap()
        .starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(!p.join("kr/pki/secret.key").exists());
    let cert = "kr/pki/client-mldsa87.pem";
    let r = jt(p, &["verify", "--only-pq", "--public-key", cert, "c.jcat"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("    PASSED pkcs7: "), "{}", r.stdout);
    // Second use reuses the keyring; a changed payload fails.
    let before = std::fs::read(&key).unwrap();
    let r = jt(
        p,
        &[
            "--keyring",
            "kr",
            "self-sign",
            "--only-pq",
            "c2.jcat",
            "f.bin",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(std::fs::read(&key).unwrap(), before);
    std::fs::write(p.join("f.bin"), b"firmwarE").unwrap();
    let r = jt(p, &["verify", "--only-pq", "--public-key", cert, "c.jcat"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

/// Ed25519 (and likewise OpenPGP) is not post-quantum: it PASSES normally
/// and FAILS under `--only-pq`, where libjcat would ignore the flag for it.
#[test]
fn only_pq_fails_ed25519() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("f.bin"), b"hello").unwrap();
    let r = jt(
        p,
        &[
            "--keyring",
            "kr",
            "self-sign",
            "--kind",
            "ed25519",
            "c.jcat",
            "f.bin",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = jt(p, &["verify", "--public-keys", "kr/pki", "c.jcat"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = jt(
        p,
        &["verify", "--only-pq", "--public-keys", "kr/pki", "c.jcat"],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("    FAILED ed25519: failed to verify data: not a post-quantum signature"),
        "{}",
        r.stdout
    );
}
