//! Vendor toolkit (issue 12): `jcat-tool pki …` (directory sources: sources.rs).

use std::path::Path;

use crate::common::*;
use crate::sources::{ids, tree};

/// Root CA → Organization (pathLen 0) → Plugin (code signing), by the CLI.
fn jami_pki(d: &Path, key: &str) {
    jt(
        d,
        &format!("pki create-ca root --subject 'CN=Plugin Store Root CA,O=Store' --key {key}"),
    )
    .ok();
    jt(
        d,
        &format!("pki create-cert org --issuer root --profile ca --subject CN=Savoir-faire,O=Savoir-faire --key {key}"),
    )
    .ok();
    jt(
        d,
        &format!("pki create-cert plugin-cert --issuer org --profile code-signing --subject CN=GreenScreen,O=Savoir-faire --key {key}"),
    )
    .ok();
}

/// Signs the `plugin` tree into `c.jcat` with the plugin certificate.
fn sign_plugin(d: &Path) {
    jt(
        d,
        "sign c.jcat plugin plugin-cert/chain.pem plugin-cert/key.pem",
    )
    .ok();
}

#[test]
fn pki_chain_signs_a_plugin_directory_verified_everywhere() {
    for key in ["p256", "rsa3072", "p384"] {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        jami_pki(p, key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for dir in ["root", "org", "plugin-cert"] {
                let m = std::fs::metadata(p.join(dir).join("key.pem")).unwrap();
                assert_eq!(m.permissions().mode() & 0o777, 0o600, "{dir}");
            }
        }
        tree(p);
        sign_plugin(p);
        let cat = load(&p.join("c.jcat"));
        assert_eq!(ids(&cat), ["data.bin", "lib/x/a.so", "manifest.json"]);
        jt(p, "verify c.jcat --prefix plugin --public-key root/cert.pem --strict-chain --require-signer CN=Savoir-faire,O=Savoir-faire")
            .ok()
            .stdout_has("PASSED pkcs7");
        jt(p, "verify c.jcat --prefix plugin --public-key root/cert.pem --require-signer 'CN=Someone Else'")
            .code(1);
        if have_tool("jcat-tool") {
            rt(
                p,
                "verify c.jcat --prefix plugin --public-key root/cert.pem",
            )
            .ok();
        }
        if have_tool("certtool") {
            use crate::pki_tools::*;
            certtool_chain(p, "plugin-cert/chain.pem", "root/cert.pem", key);
            certtool_p7(
                p,
                "c.jcat",
                "data.bin",
                "plugin/data.bin",
                "root/cert.pem",
                key,
            );
        }
        if have_tool("openssl") {
            tool(p, "openssl", "verify -x509_strict -CAfile root/cert.pem -untrusted org/cert.pem plugin-cert/cert.pem").ok();
        }
    }
}

#[test]
fn pki_refuses_to_issue_beyond_constraints_and_overwrite_keys() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    jami_pki(p, "p256");
    jt(
        p,
        "pki create-cert x --issuer plugin-cert --profile code-signing --subject CN=X",
    )
    .code(2)
    .stderr_has("is not a CA");
    jt(
        p,
        "pki create-cert y --issuer org --profile ca --subject CN=Y",
    )
    .code(2)
    .stderr_has("pathLenConstraint 0");
    assert!(!p.join("x").exists() && !p.join("y").exists());
    let before = Snapshot::of(p.join("root/key.pem"));
    jt(p, "pki create-ca root --subject CN=Again")
        .code(2)
        .stderr_has("--force");
    before.assert_untouched();
    // ML-DSA-87 CAs are made (tests/cli/pki_csr.rs signs with them).
    jt(p, "pki create-ca pq --subject CN=PQ --key mldsa87").ok();
    assert!(p.join("pq/cert.pem").exists());
}

#[test]
fn pki_create_key_writes_a_raw_pair_sign_accepts() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    jt(p, "pki create-key --key ed25519 keys")
        .ok()
        .stdout_has("secret.ed25519");
    std::fs::write(p.join("fw.bin"), b"firmware").unwrap();
    jt(
        p,
        "--kind ed25519 sign c.jcat fw.bin keys/public.ed25519 keys/secret.ed25519",
    )
    .ok();
    jt(p, "verify c.jcat --public-key keys/public.ed25519").ok();
    jt(p, "pki create-key keys").code(2);
    jt(p, "pki create-key --key p256 k2").code(2);
}

#[test]
fn organization_revokes_its_plugin_certificate() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    jami_pki(p, "p256");
    tree(p);
    sign_plugin(p);
    // An empty CRL first: verification still passes, and tools accept it.
    jt(p, "pki crl create --issuer org").ok();
    jt(p, "pki crl create --issuer root --out root.crl").ok();
    let verify =
        "verify c.jcat --prefix plugin --public-key root/cert.pem --crl org/crl.pem --crl root.crl";
    jt(p, verify).ok();
    let openssl = "verify -x509_strict -crl_check_all -CAfile root/cert.pem -untrusted org/cert.pem -CRLfile org/crl.pem -CRLfile root.crl plugin-cert/cert.pem";
    if have_tool("openssl") {
        tool(p, "openssl", openssl).ok();
    }
    // Only the issuer can revoke: the root did not issue the plugin certificate.
    jt(
        p,
        "pki revoke --issuer root plugin-cert/cert.pem --reason keyCompromise",
    )
    .code(2)
    .stderr_has("only its issuer can revoke it");
    jt(
        p,
        "pki revoke --issuer org plugin-cert/cert.pem --reason stolen",
    )
    .code(2)
    .stderr_has("unknown revocation reason 'stolen'");
    jt(
        p,
        "pki revoke --issuer org plugin-cert/cert.pem --reason keyCompromise",
    )
    .ok();
    jt(p, verify)
        .code(1)
        .stdout_has("was revoked on")
        .stdout_has("(reason: keyCompromise)");
    if have_tool("openssl") {
        let r = tool(p, "openssl", openssl).fails();
        assert!(
            r.stdout.contains("certificate revoked") || r.stderr.contains("certificate revoked"),
            "{r}"
        );
        tool(p, "openssl", "crl -in org/crl.pem -noout -text")
            .stdout_has("CRL Number")
            .stdout_has("2")
            .stdout_has("Key Compromise");
    }
    if have_tool("certtool") {
        tool(p, "certtool", "--crl-info --infile org/crl.pem").ok();
        tool(
            p,
            "certtool",
            "--verify-crl --load-ca-certificate org/cert.pem --infile org/crl.pem",
        )
        .ok();
    }
}

#[test]
fn rehash_directory_works_for_openssl_and_public_keys() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    jami_pki(p, "p256");
    jt(
        p,
        "pki create-ca other --subject 'CN=  Mixed   CASE Root ,O=ACME Corp,C=DE'",
    )
    .ok();
    jt(p, "pki crl create --issuer root").ok();
    std::fs::create_dir(p.join("trust")).unwrap();
    std::fs::copy(p.join("root/cert.pem"), p.join("trust/root.pem")).unwrap();
    std::fs::copy(p.join("other/cert.pem"), p.join("trust/other.pem")).unwrap();
    std::fs::copy(p.join("root/crl.pem"), p.join("trust/root.crl")).unwrap();
    let r = jt(p, "pki rehash trust").ok();
    assert_eq!(r.stdout.lines().count(), 3, "{}", r.stdout);
    if have_tool("openssl") {
        for (file, what) in [
            ("root.pem", "x509"),
            ("other.pem", "x509"),
            ("root.crl", "crl"),
        ] {
            let h = tool(
                p,
                "openssl",
                &format!("{what} -hash -noout -in trust/{file}"),
            );
            let hash = h.stdout.trim().to_owned();
            let suffix = if what == "crl" { "r0" } else { "0" };
            assert!(
                r.stdout
                    .contains(&format!("trust/{hash}.{suffix} -> {file}")),
                "{hash}: {}",
                r.stdout
            );
        }
        // OpenSSL finds the root (and its CRL) by hash in the directory.
        tool(
            p,
            "openssl",
            "verify -CApath trust -crl_check -untrusted org/cert.pem org/cert.pem",
        )
        .ok();
    }
    // Only the hash names: our loader reads them by content.
    for f in ["root.pem", "other.pem", "root.crl"] {
        std::fs::remove_file(p.join("trust").join(f)).unwrap_or(());
    }
    // The links now dangle; BOINC-style directories hold the files under the hash names.
    std::fs::create_dir(p.join("boinc")).unwrap();
    for line in r.stdout.lines() {
        let (link, target) = line.split_once(" -> ").unwrap();
        let name = Path::new(link).file_name().unwrap();
        let src = if target.ends_with(".crl") {
            "root/crl.pem"
        } else if target == "root.pem" {
            "root/cert.pem"
        } else {
            "other/cert.pem"
        };
        std::fs::copy(p.join(src), p.join("boinc").join(name)).unwrap();
    }
    tree(p);
    sign_plugin(p);
    jt(p, "verify c.jcat --prefix plugin --public-keys boinc").ok();
}

#[test]
fn pem_ed25519_and_encrypted_pkcs8_keys_sign() {
    if !have_tool("openssl") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("fw.bin"), b"firmware").unwrap();
    tool(p, "openssl", "genpkey -algorithm ed25519 -out ed.pem").ok();
    tool(p, "openssl", "pkey -in ed.pem -pubout -out edpub.pem").ok();
    jt(p, "--kind ed25519 sign e.jcat fw.bin edpub.pem ed.pem").ok();
    // The same key as libjcat's raw public file verifies the signature.
    tool(
        p,
        "openssl",
        "pkey -in ed.pem -pubout -outform DER -out edpub.der",
    )
    .ok();
    let spki = std::fs::read(p.join("edpub.der")).unwrap();
    std::fs::write(p.join("edpub.ed25519"), &spki[spki.len() - 32..]).unwrap();
    jt(p, "verify e.jcat --public-key edpub.ed25519").ok();
    // Encrypted PKCS#8 (PBES2) for PKCS#7 and Ed25519.
    jami_pki(p, "p256");
    tool(
        p,
        "openssl",
        "pkcs8 -topk8 -in plugin-cert/key.pem -out enc.pem -passout pass:pw -v2 aes-256-cbc",
    )
    .ok();
    let sign_enc = "sign c.jcat fw.bin plugin-cert/chain.pem enc.pem";
    jt(p, sign_enc)
        .code(2)
        .stderr_has("enc.pem: the private key is encrypted PKCS#8: set JCAT_PASSPHRASE");
    let with_passphrase = |pass: &str| {
        let mut c = ours();
        c.env("JCAT_PASSPHRASE", pass);
        c
    };
    run(with_passphrase("wrong"), p, sign_enc)
        .code(2)
        .stderr_has("wrong passphrase");
    run(with_passphrase("pw"), p, sign_enc).ok();
    jt(p, "verify c.jcat --public-key root/cert.pem").ok();
    tool(
        p,
        "openssl",
        "pkcs8 -topk8 -in ed.pem -out edenc.pem -passout pass:pw",
    )
    .ok();
    run(
        with_passphrase("pw"),
        p,
        "--kind ed25519 sign e2.jcat fw.bin edpub.pem edenc.pem",
    )
    .ok();
    jt(p, "verify e2.jcat --public-key edpub.ed25519").ok();
    // Anything else names the format.
    jt(
        p,
        "--kind ed25519 sign e3.jcat fw.bin edpub.pem plugin-cert/key.pem",
    )
    .code(2)
    .stderr_has(
        "plugin-cert/key.pem: unusable Ed25519 secret key: PEM PRIVATE KEY that is not Ed25519",
    );
}

/// libjcat README: an "ACME CA" and a per-user certificate, made with
/// `jcat-tool pki` instead of certtool templates.
#[test]
fn libjcat_readme_acme_ca_and_user_certificate() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    jt(
        p,
        "pki create-ca acme --subject 'CN=ACME CA,O=ACME Corporation' --key rsa3072",
    )
    .ok();
    jt(
        p,
        "pki create-cert user --issuer acme --profile code-signing --subject 'CN=Richard Hughes,O=ACME Corporation' --key rsa3072",
    )
    .ok();
    std::fs::write(p.join("firmware.bin"), b"hello world").unwrap();
    jt(
        p,
        "sign firmware.jcat firmware.bin user/cert.pem user/key.pem",
    )
    .ok();
    let verify = "verify firmware.jcat --public-key acme/cert.pem";
    jt(p, verify)
        .ok()
        .stdout_has("PASSED pkcs7: CN=ACME CA,O=ACME Corporation");
    if have_tool("jcat-tool") {
        rt(p, verify).ok().stdout_has("PASSED pkcs7");
    }
    if have_tool("certtool") {
        jt(p, "export firmware.jcat --prefix exp").ok();
        tool(
            p,
            "certtool",
            "--p7-verify --load-ca-certificate acme/cert.pem --load-data firmware.bin --infile exp/firmware.bin.p7b",
        )
        .ok();
    }
}
