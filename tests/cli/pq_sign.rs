//! ML-DSA signing from the command line: `--no-signed-attributes` (RFC 9882
//! section 3.3, for GnuTLS up to 3.8.12), and the RFC 9881 private key forms
//! (expanded-only accepted after its consistency checks, inconsistent keys
//! refused with the reason).

use std::path::Path;

use jcat_core::testing::{certificate, pem, CertParams, Role, TestKey};

use crate::common::*;

const T0: i64 = 1_767_225_600; // 2026-01-01
const AT: &str = "2027-01-01T00:00:00Z";

/// `ca.pem`, `signer.pem` and `signer.key` (ML-DSA-87, seed form) in `d`.
fn mldsa_pki(d: &Path) {
    let params = |subject, serial, role| CertParams {
        subject,
        serial,
        role,
        not_before: T0,
        not_after: T0 + 10 * 31_536_000,
    };
    let ca_key = TestKey::mldsa87_from_seed([7; 32]);
    let key = TestKey::mldsa87_from_seed([8; 32]);
    let ca = certificate(
        &params("CN=CLI PQ CA,O=jcat tests", 1, Role::Ca { path_len: None }),
        &ca_key,
        None,
    )
    .unwrap();
    let signer = certificate(
        &params("CN=CLI PQ Signer,O=jcat tests", 2, Role::CodeSigning),
        &key,
        Some((&ca, &ca_key)),
    )
    .unwrap();
    std::fs::write(d.join("ca.pem"), pem("CERTIFICATE", &ca).unwrap()).unwrap();
    std::fs::write(d.join("signer.pem"), pem("CERTIFICATE", &signer).unwrap()).unwrap();
    std::fs::write(d.join("signer.key"), key.to_pem().unwrap()).unwrap();
}

/// `verify --public-key TRUST --at AT EXTRA… c.jcat`.
fn verify(d: &Path, trust: &str, extra: &str) -> Run {
    jt(
        d,
        &format!("verify --public-key {trust} --at {AT} {extra} c.jcat"),
    )
}

#[test]
fn sign_no_signed_attributes_verifies_with_only_pq() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    mldsa_pki(p);
    std::fs::write(p.join("f.bin"), b"firmware image").unwrap();
    jt(
        p,
        "sign --no-signed-attributes c.jcat f.bin signer.pem signer.key",
    )
    .ok();
    for extra in ["", "--only-pq --policy require"] {
        verify(p, "ca.pem", extra)
            .ok()
            .stdout_has("    PASSED pkcs7: CN=CLI PQ CA,O=jcat tests\n");
    }
    std::fs::write(p.join("f.bin"), b"firmware imagE").unwrap();
    verify(p, "ca.pem", "--only-pq")
        .code(1)
        .stdout_has("    FAILED pkcs7: ");
}

#[test]
fn no_signed_attributes_is_refused_for_classical_keys_and_other_kinds() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let key = TestKey::generate_p256();
    let cert = certificate(
        &CertParams {
            subject: "CN=Classic,O=jcat tests",
            serial: 3,
            role: Role::CodeSigning,
            not_before: T0,
            not_after: T0 + 31_536_000,
        },
        &key,
        None,
    )
    .unwrap();
    std::fs::write(p.join("c.pem"), pem("CERTIFICATE", &cert).unwrap()).unwrap();
    std::fs::write(p.join("c.key"), key.to_pem().unwrap()).unwrap();
    std::fs::write(p.join("f.bin"), b"x").unwrap();
    jt(p, "sign --no-signed-attributes c.jcat f.bin c.pem c.key")
        .code(2)
        .stderr_has("c.key: signing without signed attributes is offered for ML-DSA keys only");
    assert!(!p.join("c.jcat").exists());
    // self-sign: only with the ML-DSA keyring.
    jt(
        p,
        "--keyring kr self-sign --no-signed-attributes c.jcat f.bin",
    )
    .code(2);
}

#[test]
fn self_sign_only_pq_no_signed_attributes_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("f.bin"), b"firmware").unwrap();
    self_sign(p, "--only-pq --no-signed-attributes c.jcat f.bin");
    jt(
        p,
        "verify --only-pq --public-key kr/pki/client-mldsa87.pem c.jcat",
    )
    .ok()
    .stdout_has("    PASSED pkcs7: ");
}

#[test]
fn no_signed_attributes_is_spelled_out_in_help() {
    let d = tempfile::tempdir().unwrap();
    for cmd in ["sign", "self-sign"] {
        jt(d.path(), &[cmd, "--help"])
            .stdout_has("--no-signed-attributes")
            .stdout_has("GnuTLS");
    }
}

/// RFC 9881 Appendix C keys: the expanded-only form signs (after the
/// consistency checks); the inconsistent expanded key is refused, naming
/// the file and the reason.
#[test]
fn rfc9881_expanded_key_signs_and_inconsistent_keys_are_refused() {
    let dir = crate::shared!("corpus/pq/real/lamps-wg-dilithium-certificates/examples");
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::copy(dir.join("ML-DSA-44.crt"), p.join("cert.pem")).unwrap();
    std::fs::copy(dir.join("ML-DSA-44-expanded.priv"), p.join("expanded.key")).unwrap();
    std::fs::copy(dir.join("bad-ML-DSA-44-3.priv"), p.join("bad.key")).unwrap();
    std::fs::write(p.join("f.bin"), b"payload").unwrap();
    jt(p, "sign c.jcat f.bin cert.pem expanded.key").ok();
    jt(
        p,
        "verify --disable-time-checks --public-key cert.pem c.jcat",
    )
    .ok()
    .stdout_has("    PASSED pkcs7: ");
    jt(p, "sign c2.jcat f.bin cert.pem bad.key")
        .code(2)
        .stderr_has("bad.key: unusable private key: ML-DSA-44 expandedKey: t0 is not the one rho, s1 and s2 give");
}
