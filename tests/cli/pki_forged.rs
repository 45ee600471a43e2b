//! Certificates issued beyond their issuer's constraints, forged with
//! openssl (which, unlike `pki`, issues whatever it is asked): `verify`
//! rejects the signatures with the chain reason (issue 12 §3, Jami).

use std::path::Path;

use crate::common::*;

fn ok(r: Run) -> Run {
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    r
}

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
    let r = run(
        std::process::Command::new("openssl"),
        d,
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
    );
    assert_eq!(r.code, 0, "openssl x509 -req: {}", r.stderr);
    let chain = [
        std::fs::read(d.join(dir).join("cert.pem")).unwrap(),
        std::fs::read(d.join(issuer).join("chain.pem")).unwrap(),
    ]
    .concat();
    std::fs::write(d.join(dir).join("chain.pem"), chain).unwrap();
}

fn pki(d: &Path) {
    ok(jt(
        d,
        &[
            "pki",
            "create-ca",
            "root",
            "--subject",
            "CN=Store Root,O=Store",
        ],
    ));
    for (dir, issuer, profile, subject) in [
        ("org", "root", "ca", "CN=Organization,O=Org"),
        ("plugin", "org", "code-signing", "CN=Plugin,O=Org"),
    ] {
        ok(jt(
            d,
            &[
                "pki",
                "create-cert",
                dir,
                "--issuer",
                issuer,
                "--profile",
                profile,
                "--subject",
                subject,
            ],
        ));
    }
    std::fs::write(d.join("fw.bin"), b"payload").unwrap();
}

/// Signs `fw.bin` with `dir`'s chain and key; verify trusting the root fails
/// with `reason`.
fn rejected(d: &Path, dir: &str, reason: &str) {
    let cat = format!("{dir}.jcat");
    ok(jt(
        d,
        &[
            "sign",
            &cat,
            "fw.bin",
            &format!("{dir}/chain.pem"),
            &format!("{dir}/key.pem"),
        ],
    ));
    let r = jt(d, &["verify", &cat, "--public-key", "root/cert.pem"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("FAILED pkcs7") && r.stdout.contains(reason),
        "{}",
        r.stdout
    );
}

#[test]
fn plugin_certificate_signing_a_certificate_is_rejected_by_verify() {
    if !have_tool("openssl") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    pki(p);
    ok(jt(
        p,
        &[
            "pki",
            "create-csr",
            "forged",
            "--subject",
            "CN=Forged,O=Org",
        ],
    ));
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
    ok(jt(
        p,
        &["pki", "create-csr", "sub", "--subject", "CN=Sub CA,O=Org"],
    ));
    forge(
        p,
        "sub",
        "org",
        "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign",
    );
    ok(jt(
        p,
        &[
            "pki",
            "create-cert",
            "leaf",
            "--issuer",
            "sub",
            "--profile",
            "code-signing",
            "--subject",
            "CN=Leaf,O=Org",
        ],
    ));
    rejected(
        p,
        "leaf",
        "pathLenConstraint 0 of CN=Organization,O=Org is exceeded",
    );
}
