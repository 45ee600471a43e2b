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
