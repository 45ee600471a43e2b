//! Certificates issued beyond their issuer's constraints, forged with
//! openssl (which, unlike `pki`, issues whatever it is asked): `verify`
//! rejects the signatures with the chain reason (issue 12 §3, Jami).

use std::path::Path;

use crate::common::*;

/// `openssl x509 -req`: `dir/csr.pem` signed by the certificate and key in
/// `issuer`, with the extensions `ext`; writes `dir/cert.pem` and
/// `dir/chain.pem` (it, then the issuer's chain).
fn forge(d: &Path, dir: &str, issuer: &str, ext: &str) {
    let ext_file = d.join(format!("{dir}.ext"));
    std::fs::write(
        &ext_file,
        format!("subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n{ext}\n"),
    )
    .unwrap();
    tool(
        d,
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            &format!("{dir}/csr.pem"),
            "-CA",
            &format!("{issuer}/cert.pem"),
            "-CAkey",
            &format!("{issuer}/key.pem"),
            "-set_serial",
            "4242",
            "-days",
            "30",
            "-extfile",
            &ext_file.display().to_string(),
            "-out",
            &format!("{dir}/cert.pem"),
        ],
    )
    .ok();
    let chain = [
        std::fs::read(d.join(dir).join("cert.pem")).unwrap(),
        std::fs::read(d.join(issuer).join("chain.pem")).unwrap(),
    ]
    .concat();
    std::fs::write(d.join(dir).join("chain.pem"), chain).unwrap();
}

fn pki(d: &Path) {
    jt(d, "pki create-ca root --subject 'CN=Store Root,O=Store'").ok();
    jt(
        d,
        "pki create-cert org --issuer root --profile ca --subject CN=Organization,O=Org",
    )
    .ok();
    jt(
        d,
        "pki create-cert plugin --issuer org --profile code-signing --subject CN=Plugin,O=Org",
    )
    .ok();
    std::fs::write(d.join("fw.bin"), b"payload").unwrap();
}

/// Signs `fw.bin` with `dir`'s chain and key; verify trusting the root fails
/// with `reason`.
fn rejected(d: &Path, dir: &str, reason: &str) {
    jt(
        d,
        &format!("sign {dir}.jcat fw.bin {dir}/chain.pem {dir}/key.pem"),
    )
    .ok();
    jt(d, &format!("verify {dir}.jcat --public-key root/cert.pem"))
        .code(1)
        .stdout_has("FAILED pkcs7")
        .stdout_has(reason);
}

#[test]
fn plugin_certificate_signing_a_certificate_is_rejected_by_verify() {
    if !have_tool("openssl") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    pki(p);
    jt(p, "pki create-csr forged --subject CN=Forged,O=Org").ok();
    forge(
        p,
        "forged",
        "plugin",
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning",
    );
    rejected(
        p,
        "forged",
        "CN=Plugin,O=Org is not a CA but issued CN=Forged,O=Org",
    );
}

#[test]
fn organization_signing_an_intermediate_is_rejected_by_verify() {
    if !have_tool("openssl") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    pki(p);
    jt(p, "pki create-csr sub --subject 'CN=Sub CA,O=Org'").ok();
    forge(
        p,
        "sub",
        "org",
        "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign",
    );
    jt(
        p,
        "pki create-cert leaf --issuer sub --profile code-signing --subject CN=Leaf,O=Org",
    )
    .ok();
    rejected(
        p,
        "leaf",
        "pathLenConstraint 0 of CN=Organization,O=Org is exceeded",
    );
}
