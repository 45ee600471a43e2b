//! The LVFS metadata shape from our own generator (`jcat_core::testing::pq`):
//! CAs and signers with authorityKeyIdentifier, so the chains verify under
//! our RFC 5280 profile with only the two CAs trusted. The GnuTLS-form
//! ML-DSA blob is SKIPPED as unbound; `--only-pq` fails the catalog; the
//! replayed blob never counts as a signature. Also: the shared derived
//! catalog, whose certificates lack AKI, fails for exactly that reason.

use std::path::Path;

use jcat_core::testing::pq::{self, LvfsShape};

use crate::common::*;

const T0: i64 = 1_737_000_000; // 2025-01-16
const SIGNED: i64 = 1_790_000_000; // 2026-09-21
const AT: &str = "2027-01-01T00:00:00Z";

const PAYLOAD: &[u8] = b"<?xml version=\"1.0\"?><components origin=\"lvfs\"></components>\n";
const OTHER: &[u8] = b"<?xml version=\"1.0\"?><components origin=\"evil\"></components>\n";

const UNBOUND: &str = "    SKIPPED pkcs7: ML-DSA signature by CN=Generated LVFS CA 2025PQ,O=jcat test PKI (NOT LVFS) does not bind the payload (empty messageDigest)\n";
const RSA_PASSED: &str = "    PASSED pkcs7: CN=Generated LVFS CA,O=jcat test PKI (NOT LVFS)\n";

/// A directory with `keys/` (the two CAs only), the payload under the item
/// ID, and `metadata.jcat` + `replay.jcat` written from the generator.
fn setup(shape: &LvfsShape, payload: &[u8]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::create_dir(p.join("keys")).unwrap();
    std::fs::write(p.join("keys/rsa-ca.pem"), &shape.rsa_ca).unwrap();
    std::fs::write(p.join("keys/pq-ca.pem"), &shape.pq_ca).unwrap();
    std::fs::write(p.join(pq::ITEM_ID), payload).unwrap();
    let meta =
        pq::metadata_catalog(PAYLOAD, &[&shape.rsa_blob, &shape.pq_blob], SIGNED as u64).unwrap();
    jcat_core::save_path(&meta, &p.join("metadata.jcat")).unwrap();
    // The replay: checksums of another payload next to the unchanged PQ blob.
    let replay = pq::metadata_catalog(OTHER, &[&shape.pq_blob], SIGNED as u64).unwrap();
    jcat_core::save_path(&replay, &p.join("replay.jcat")).unwrap();
    d
}

/// `verify --public-keys keys --prefix . --at AT EXTRA… CATALOG`.
fn verify(d: &Path, catalog: &str, extra: &str) -> Run {
    let mut args = words(&format!(
        "verify --public-keys keys --prefix . --at {AT} {extra}"
    ));
    args.push(catalog.to_owned());
    jt(d, &args)
}

fn shape() -> LvfsShape {
    pq::lvfs_shape(PAYLOAD, T0, SIGNED).unwrap()
}

#[test]
fn generated_lvfs_metadata_passes_with_the_cas_and_fails_with_only_pq() {
    let s = shape();
    let d = setup(&s, PAYLOAD);
    for policy in ["verify", "require"] {
        verify(d.path(), "metadata.jcat", &format!("--policy {policy}"))
            .ok()
            .stdout_has("    PASSED sha1: OK\n")
            .stdout_has("    PASSED sha256: OK\n")
            .stdout_has(RSA_PASSED)
            .stdout_has(UNBOUND);
    }
    // The unbound blob is no second signer.
    verify(d.path(), "metadata.jcat", "--min-signers 2").code(1);
    // --only-pq: the RSA signature is not post-quantum and the ML-DSA one
    // binds nothing, so no post-quantum signature is left.
    verify(d.path(), "metadata.jcat", "--only-pq")
        .code(1)
        .stdout_has("    FAILED pkcs7: failed to verify data for CN=Generated LVFS CA,O=jcat test PKI (NOT LVFS): not a post-quantum signature")
        .stdout_has(UNBOUND)
        .stdout_has("post-quantum signature required");
    // On another payload the checksums and the RSA signature fail.
    let o = setup(&s, OTHER);
    verify(o.path(), "metadata.jcat", "")
        .code(1)
        .stdout_has(UNBOUND);
}

#[test]
fn generated_replay_fails_whenever_a_signature_is_required() {
    let s = shape();
    let d = setup(&s, OTHER);
    // No requirement: it passes on its checksums alone, like any
    // checksum-only catalog (docs/pq.md says so).
    verify(d.path(), "replay.jcat", "").ok().stdout_has(UNBOUND);
    verify(d.path(), "replay.jcat", "--policy require")
        .code(1)
        .stdout_has("FAILED: signature required");
    verify(d.path(), "replay.jcat", "--only-pq")
        .code(1)
        .stdout_has("    PASSED sha256: OK\n")
        .stdout_has("post-quantum signature required");
}

/// A GnuTLS-shaped blob whose chain does not verify is FAILED, not SKIPPED:
/// with only the RSA CA trusted the ML-DSA blob fails.
#[test]
fn generated_unbound_blob_without_its_ca_fails() {
    let s = shape();
    let d = setup(&s, PAYLOAD);
    std::fs::remove_file(d.path().join("keys/pq-ca.pem")).unwrap();
    let r = verify(d.path(), "metadata.jcat", "")
        .code(1)
        .stdout_has(RSA_PASSED);
    assert!(!r.stdout.contains("SKIPPED pkcs7"), "{}", r.stdout);
    assert_eq!(
        r.stdout.matches("    FAILED pkcs7: ").count(),
        1,
        "{}",
        r.stdout
    );
}

/// The shared `corpus/pq/derived/lvfs-shape-metadata.jcat` with only its two
/// CAs trusted fails: its signer certificates lack authorityKeyIdentifier,
/// which our RFC 5280 profile requires below an anchor (RFC 5280 section
/// 4.2.1.1, x509-limbo `rfc5280::aki::leaf-missing-aki`; GnuTLS accepts).
#[test]
fn shared_derived_metadata_fails_for_missing_authority_key_identifier() {
    let derived = crate::shared!("corpus/pq/derived");
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::create_dir(p.join("keys")).unwrap();
    for f in ["test-rsa-ca.pem", "test-pq-ca.pem"] {
        std::fs::copy(derived.join(f), p.join("keys").join(f)).unwrap();
    }
    std::fs::copy(derived.join("payload.xml"), p.join(pq::ITEM_ID)).unwrap();
    let cat = derived.join("lvfs-shape-metadata.jcat");
    let r = verify(p, cat.to_str().unwrap(), "")
        .code(1)
        .stdout_has("    PASSED sha256: OK\n");
    let aki = "lacks the authorityKeyIdentifier extension";
    let failed: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("    FAILED pkcs7: "))
        .collect();
    assert_eq!(failed.len(), 2, "{}", r.stdout);
    assert!(failed.iter().all(|l| l.contains(aki)), "{}", r.stdout);
}
