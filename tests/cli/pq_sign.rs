//! ML-DSA signing from the command line: `--no-signed-attributes` (RFC 9882
//! section 3.3, for GnuTLS up to 3.8.12), and the RFC 9881 private key forms
//! (expanded-only accepted after its consistency checks, inconsistent keys
//! refused with the reason).

use std::path::Path;

use jcat_core::testing::{certificate, pem, CertParams, Role, TestKey};

use crate::common::jt;

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

fn verify(d: &Path, trust: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["verify", "--public-key", trust, "--at", AT];
    args.extend_from_slice(extra);
    args.push("c.jcat");
    jt(d, &args)
}

#[test]
fn sign_no_signed_attributes_verifies_with_only_pq() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    mldsa_pki(p);
    std::fs::write(p.join("f.bin"), b"firmware image").unwrap();
    let r = jt(
        p,
        &[
            "sign",
            "--no-signed-attributes",
            "c.jcat",
            "f.bin",
            "signer.pem",
            "signer.key",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    for extra in [&[][..], &["--only-pq", "--policy", "require"]] {
        let r = verify(p, "ca.pem", extra);
        assert_eq!(r.code, 0, "{extra:?}: {}{}", r.stdout, r.stderr);
        assert!(
            r.stdout
                .contains("    PASSED pkcs7: CN=CLI PQ CA,O=jcat tests\n"),
            "{}",
            r.stdout
        );
    }
    std::fs::write(p.join("f.bin"), b"firmware imagE").unwrap();
    let r = verify(p, "ca.pem", &["--only-pq"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("    FAILED pkcs7: "), "{}", r.stdout);
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
    let r = jt(
        p,
        &[
            "sign",
            "--no-signed-attributes",
            "c.jcat",
            "f.bin",
            "c.pem",
            "c.key",
        ],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("c.key: signing without signed attributes is offered for ML-DSA keys only"),
        "{}",
        r.stderr
    );
    assert!(!p.join("c.jcat").exists());
    // self-sign: only with the ML-DSA keyring.
    let r = jt(
        p,
        &[
            "--keyring",
            "kr",
            "self-sign",
            "--no-signed-attributes",
            "c.jcat",
            "f.bin",
        ],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
}

#[test]
fn self_sign_only_pq_no_signed_attributes_round_trip() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("f.bin"), b"firmware").unwrap();
    crate::common::self_sign(
        p,
        &["--only-pq", "--no-signed-attributes", "c.jcat", "f.bin"],
    );
    let r = jt(
        p,
        &[
            "verify",
            "--only-pq",
            "--public-key",
            "kr/pki/client-mldsa87.pem",
            "c.jcat",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("    PASSED pkcs7: "), "{}", r.stdout);
}

#[test]
fn no_signed_attributes_is_spelled_out_in_help() {
    let d = tempfile::tempdir().unwrap();
    for cmd in ["sign", "self-sign"] {
        let r = jt(d.path(), &[cmd, "--help"]);
        assert!(
            r.stdout.contains("--no-signed-attributes"),
            "{cmd}: {}",
            r.stdout
        );
        assert!(r.stdout.contains("GnuTLS"), "{cmd}: {}", r.stdout);
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
    let r = jt(p, &["sign", "c.jcat", "f.bin", "cert.pem", "expanded.key"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = jt(
        p,
        &[
            "verify",
            "--disable-time-checks",
            "--public-key",
            "cert.pem",
            "c.jcat",
        ],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("    PASSED pkcs7: "), "{}", r.stdout);
    let r = jt(p, &["sign", "c2.jcat", "f.bin", "cert.pem", "bad.key"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(
            "bad.key: unusable private key: ML-DSA-44 expandedKey: t0 is not the one rho, s1 and s2 give"
        ),
        "{}",
        r.stderr
    );
}
