//! `pki create-csr` / `sign-csr` (the organization keeps its key) and the
//! Ed25519 and ML-DSA-87 key types, end to end: chains and signatures checked
//! by ours, and by openssl, certtool and the reference jcat-tool where they
//! implement the algorithm (ML-DSA: ours only, the installed tools predate it).

use std::path::Path;

use crate::common::*;

fn ok(r: Run) -> Run {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r
}

fn tool(d: &Path, name: &str, args: &[&str]) -> Run {
    run(std::process::Command::new(name), d, args)
}

/// Root (create-ca) → Organization (create-csr + sign-csr, pathLen 0) →
/// Plugin (create-cert by the organization), all with `key`.
fn csr_pki(d: &Path, key: &str) {
    ok(jt(
        d,
        &[
            "pki",
            "create-ca",
            "root",
            "--subject",
            "CN=Store Root,O=Store",
            "--key",
            key,
        ],
    ));
    let r = ok(jt(
        d,
        &[
            "pki",
            "create-csr",
            "org",
            "--subject",
            "CN=Organization,O=Org",
            "--key",
            key,
        ],
    ));
    assert!(
        r.stdout.contains("org/csr.pem") && r.stdout.contains("org/key.pem"),
        "{}",
        r.stdout
    );
    let key_before = std::fs::read(d.join("org/key.pem")).unwrap();
    let r = ok(jt(
        d,
        &[
            "pki",
            "sign-csr",
            "org/csr.pem",
            "--issuer",
            "root",
            "--profile",
            "ca",
        ],
    ));
    assert!(
        r.stdout.contains("org/cert.pem") && r.stdout.contains("org/chain.pem"),
        "{}",
        r.stdout
    );
    assert_eq!(std::fs::read(d.join("org/key.pem")).unwrap(), key_before);
    ok(jt(
        d,
        &[
            "pki",
            "create-cert",
            "plugin",
            "--issuer",
            "org",
            "--profile",
            "code-signing",
            "--subject",
            "CN=Plugin,O=Org",
            "--key",
            key,
        ],
    ));
    std::fs::write(d.join("fw.bin"), b"plugin payload\n").unwrap();
    ok(jt(
        d,
        &[
            "sign",
            "c.jcat",
            "fw.bin",
            "plugin/chain.pem",
            "plugin/key.pem",
        ],
    ));
    let r = ok(jt(
        d,
        &[
            "verify",
            "c.jcat",
            "--public-key",
            "root/cert.pem",
            "--strict-chain",
            "--require-signer",
            "CN=Organization,O=Org",
        ],
    ));
    assert!(r.stdout.contains("PASSED pkcs7"), "{key}: {}", r.stdout);
}

#[test]
fn csr_workflow_with_classical_and_ed25519_keys_passes_openssl_and_certtool() {
    for key in ["p256", "rsa3072", "ed25519"] {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        csr_pki(p, key);
        if have_tool("openssl") {
            let r = tool(
                p,
                "openssl",
                &["req", "-verify", "-noout", "-in", "org/csr.pem"],
            );
            assert_eq!(r.code, 0, "openssl req ({key}): {}{}", r.stdout, r.stderr);
            assert!(
                format!("{}{}", r.stdout, r.stderr).contains("verify OK"),
                "{key}"
            );
            let r = tool(
                p,
                "openssl",
                &[
                    "verify",
                    "-x509_strict",
                    "-CAfile",
                    "root/cert.pem",
                    "-untrusted",
                    "org/cert.pem",
                    "plugin/cert.pem",
                ],
            );
            assert_eq!(
                r.code, 0,
                "openssl verify ({key}): {}{}",
                r.stdout, r.stderr
            );
        }
        if have_tool("certtool") {
            use crate::pki_tools::*;
            certtool_chain(p, "plugin/chain.pem", "root/cert.pem", key);
            certtool_p7(p, "c.jcat", "fw.bin", "fw.bin", "root/cert.pem", key);
        }
        if have_tool("jcat-tool") {
            let r = rt(p, &["verify", "c.jcat", "--public-key", "root/cert.pem"]);
            assert_eq!(r.code, 0, "reference ({key}): {}{}", r.stdout, r.stderr);
        }
    }
}

#[test]
fn mldsa87_chain_signs_and_verifies_post_quantum_only() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    csr_pki(p, "mldsa87");
    let r = ok(jt(
        p,
        &[
            "verify",
            "c.jcat",
            "--public-key",
            "root/cert.pem",
            "--only-pq",
        ],
    ));
    assert!(r.stdout.contains("PASSED pkcs7"), "{}", r.stdout);
    // A classical chain is not post-quantum.
    let c = tempfile::tempdir().unwrap();
    csr_pki(c.path(), "p256");
    let r = jt(
        c.path(),
        &[
            "verify",
            "c.jcat",
            "--public-key",
            "root/cert.pem",
            "--only-pq",
        ],
    );
    assert_ne!(r.code, 0, "{}", r.stdout);
}

#[test]
fn sign_csr_refuses_forged_requests_and_what_the_issuer_may_not_issue() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    csr_pki(p, "p256");
    // The organization (pathLen 0) may not certify another CA.
    ok(jt(
        p,
        &["pki", "create-csr", "sub", "--subject", "CN=Sub CA"],
    ));
    let r = jt(
        p,
        &[
            "pki",
            "sign-csr",
            "sub/csr.pem",
            "--issuer",
            "org",
            "--profile",
            "ca",
        ],
    );
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("pathLenConstraint 0"), "{}", r.stderr);
    // The plugin certificate (cA=FALSE) may not certify anything.
    let r = jt(
        p,
        &[
            "pki",
            "sign-csr",
            "sub/csr.pem",
            "--issuer",
            "plugin",
            "--profile",
            "code-signing",
        ],
    );
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("is not a CA"), "{}", r.stderr);
    assert!(!p.join("sub/cert.pem").exists());
    // --out; an existing key is kept without --force.
    ok(jt(
        p,
        &[
            "pki",
            "sign-csr",
            "sub/csr.pem",
            "--issuer",
            "org",
            "--profile",
            "code-signing",
            "--out",
            "issued/sub.pem",
        ],
    ));
    assert!(p.join("issued/sub.pem").exists() && p.join("issued/chain.pem").exists());
    let r = jt(p, &["pki", "create-csr", "sub", "--subject", "CN=Sub CA"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    // A request that is not one.
    std::fs::write(
        p.join("bad.pem"),
        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
    )
    .unwrap();
    let r = jt(
        p,
        &[
            "pki",
            "sign-csr",
            "bad.pem",
            "--issuer",
            "org",
            "--profile",
            "code-signing",
        ],
    );
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("bad.pem"), "{}", r.stderr);
}
