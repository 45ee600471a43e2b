//! `pki create-csr` / `sign-csr` (the organization keeps its key) and the
//! Ed25519 and ML-DSA-87 key types, end to end: chains and signatures checked
//! by ours, and by openssl, certtool and the reference jcat-tool where they
//! implement the algorithm (ML-DSA: ours only, the installed tools predate it).

use std::path::Path;

use crate::common::*;

/// Root (create-ca) → Organization (create-csr + sign-csr, pathLen 0) →
/// Plugin (create-cert by the organization), all with `key`.
fn csr_pki(d: &Path, key: &str) {
    jt(
        d,
        &format!("pki create-ca root --subject 'CN=Store Root,O=Store' --key {key}"),
    )
    .ok();
    jt(
        d,
        &format!("pki create-csr org --subject CN=Organization,O=Org --key {key}"),
    )
    .ok()
    .stdout_has("org/csr.pem")
    .stdout_has("org/key.pem");
    let key_before = Snapshot::of(d.join("org/key.pem"));
    jt(d, "pki sign-csr org/csr.pem --issuer root --profile ca")
        .ok()
        .stdout_has("org/cert.pem")
        .stdout_has("org/chain.pem");
    key_before.assert_untouched();
    jt(
        d,
        &format!("pki create-cert plugin --issuer org --profile code-signing --subject CN=Plugin,O=Org --key {key}"),
    )
    .ok();
    std::fs::write(d.join("fw.bin"), b"plugin payload\n").unwrap();
    jt(d, "sign c.jcat fw.bin plugin/chain.pem plugin/key.pem").ok();
    jt(
        d,
        "verify c.jcat --public-key root/cert.pem --strict-chain --require-signer CN=Organization,O=Org",
    )
    .ok()
    .stdout_has("PASSED pkcs7");
}

#[test]
fn csr_workflow_with_classical_and_ed25519_keys_passes_openssl_and_certtool() {
    for key in ["p256", "rsa3072", "ed25519"] {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        csr_pki(p, key);
        if have_tool("openssl") {
            let r = tool(p, "openssl", "req -verify -noout -in org/csr.pem").ok();
            assert!(
                format!("{}{}", r.stdout, r.stderr).contains("verify OK"),
                "{key}"
            );
            tool(
                p,
                "openssl",
                "verify -x509_strict -CAfile root/cert.pem -untrusted org/cert.pem plugin/cert.pem",
            )
            .ok();
        }
        if have_tool("certtool") {
            use crate::pki_tools::*;
            certtool_chain(p, "plugin/chain.pem", "root/cert.pem", key);
            certtool_p7(p, "c.jcat", "fw.bin", "fw.bin", "root/cert.pem", key);
        }
        if have_tool("jcat-tool") {
            rt(p, "verify c.jcat --public-key root/cert.pem").ok();
        }
    }
}

#[test]
fn mldsa87_chain_signs_and_verifies_post_quantum_only() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    csr_pki(p, "mldsa87");
    let only_pq = "verify c.jcat --public-key root/cert.pem --only-pq";
    jt(p, only_pq).ok().stdout_has("PASSED pkcs7");
    // A classical chain is not post-quantum.
    let c = tempfile::tempdir().unwrap();
    csr_pki(c.path(), "p256");
    jt(c.path(), only_pq).fails();
}

#[test]
fn sign_csr_refuses_forged_requests_and_what_the_issuer_may_not_issue() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    csr_pki(p, "p256");
    // The organization (pathLen 0) may not certify another CA.
    jt(p, "pki create-csr sub --subject 'CN=Sub CA'").ok();
    jt(p, "pki sign-csr sub/csr.pem --issuer org --profile ca")
        .fails()
        .stderr_has("pathLenConstraint 0");
    // The plugin certificate (cA=FALSE) may not certify anything.
    jt(
        p,
        "pki sign-csr sub/csr.pem --issuer plugin --profile code-signing",
    )
    .fails()
    .stderr_has("is not a CA");
    assert!(!p.join("sub/cert.pem").exists());
    // --out; an existing key is kept without --force.
    jt(
        p,
        "pki sign-csr sub/csr.pem --issuer org --profile code-signing --out issued/sub.pem",
    )
    .ok();
    assert!(p.join("issued/sub.pem").exists() && p.join("issued/chain.pem").exists());
    jt(p, "pki create-csr sub --subject 'CN=Sub CA'")
        .fails()
        .stderr_has("--force");
    // A request that is not one.
    std::fs::write(
        p.join("bad.pem"),
        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
    )
    .unwrap();
    jt(
        p,
        "pki sign-csr bad.pem --issuer org --profile code-signing",
    )
    .fails()
    .stderr_has("bad.pem");
}
