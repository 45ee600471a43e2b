//! `sign` with keys (and certificates) on a PKCS#11 token: a SoftHSM2 token
//! made by the test, keys made by `jcat-tool pki` and imported (P-384 too:
//! OpenSC cannot read back P-384 keys generated on SoftHSM), catalogs signed
//! through `pkcs11:` URIs and verified by ours, the reference jcat-tool and
//! `certtool --p7-verify`.

use std::path::Path;

use base64::Engine as _;

use crate::common::*;

#[path = "../common/softhsm.rs"]
mod softhsm;
use softhsm::{Hsm, PIN, TOKEN};

/// `jcat-tool ARGS` with the token's configuration and `JCAT_PIN` = `pin`.
fn jt_hsm<A: Args + ?Sized>(hsm: &Hsm, d: &Path, pin: Option<&str>, args: &A) -> Run {
    let mut cmd = ours();
    cmd.env("SOFTHSM2_CONF", &hsm.conf)
        .env_remove("JCAT_PIN")
        .env_remove("JCAT_PKCS11_MODULE");
    if let Some(pin) = pin {
        cmd.env("JCAT_PIN", pin);
    }
    run(cmd, d, args)
}

/// A root CA and a code-signing certificate of `key` made by `pki`; the
/// signer's key and certificate imported on the token as `label`/`id`.
fn pki_on_token(hsm: &Hsm, d: &Path, key: &str, label: &str, id: &str) {
    if !d.join("root/cert.pem").exists() {
        jt(
            d,
            "pki create-ca root --subject 'CN=Token Root CA,O=Vendor' --key p256",
        )
        .ok();
    }
    jt(
        d,
        &format!("pki create-cert {label} --issuer root --profile code-signing --subject 'CN=Token Signer {label},O=Vendor' --key {key}"),
    )
    .ok();
    hsm.import_key(&d.join(label).join("key.pem"), label, id);
    hsm.import_cert(&d.join(label).join("cert.pem"), label, id);
}

/// The CMS DER of the catalog's only PKCS#7 blob.
fn blob_der(d: &Path, catalog: &str) -> Vec<u8> {
    let cat = load(&d.join(catalog));
    let item = cat.items().first().unwrap();
    let blob = item.blobs.first().unwrap();
    let text = String::from_utf8(blob.data.clone()).unwrap();
    let b64: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// id-RSASSA-PSS, DER.
const PSS_OID: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
];

fn verified_everywhere(d: &Path, catalog: &str, what: &str) {
    jt(
        d,
        &format!("verify {catalog} --public-key root/cert.pem --strict-chain"),
    )
    .ok()
    .stdout_has("PASSED pkcs7");
    if have_tool("jcat-tool") {
        rt(d, &format!("verify {catalog} --public-key root/cert.pem"))
            .ok()
            .stdout_has("PASSED pkcs7");
    }
    if have_tool("certtool") {
        crate::pki_tools::certtool_p7(d, catalog, "fw.bin", "fw.bin", "root/cert.pem", what);
    }
}

#[test]
fn token_keys_sign_catalogs_verified_by_ours_reference_and_certtool() {
    let Some(hsm) = softhsm::token() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("fw.bin"), b"firmware payload\n".repeat(1000)).unwrap();
    let module = hsm.module.display().to_string();
    for (key, label, id) in [
        ("p256", "ec256", "01"),
        ("p384", "ec384", "02"),
        ("rsa3072", "rsa", "03"),
    ] {
        pki_on_token(&hsm, p, key, label, id);
    }
    // `sign --pkcs11-module MODULE CATALOG SOURCE CERT PRIVKEY`, PIN from JCAT_PIN.
    let sign = |catalog: &str, source: &str, cert: &str, key: &str| {
        jt_hsm(
            &hsm,
            p,
            Some(PIN),
            &[
                "sign",
                "--pkcs11-module",
                &module,
                catalog,
                source,
                cert,
                key,
            ],
        )
        .ok()
    };
    // Key and certificate both on the token, found by label.
    for label in ["ec256", "ec384", "rsa"] {
        let cat = format!("{label}.jcat");
        let uri = format!("pkcs11:token={};object={label}", TOKEN.replace(' ', "%20"));
        sign(
            &cat,
            "fw.bin",
            &format!("{uri};type=cert"),
            &format!("{uri};type=private"),
        );
        verified_everywhere(p, &cat, label);
        assert!(!contains(&blob_der(p, &cat), &PSS_OID), "{label}");
    }
    // Many sources in one call share the token session (signed in parallel).
    let plugin = p.join("plugin");
    std::fs::create_dir_all(plugin.join("lib")).unwrap();
    for (i, name) in ["a.bin", "b.bin", "lib/c.so", "lib/d.so", "e.json"]
        .iter()
        .enumerate()
    {
        std::fs::write(plugin.join(name), vec![i as u8; 5000 + i]).unwrap();
    }
    sign(
        "dir.jcat",
        "plugin",
        "ec384/chain.pem",
        "pkcs11:object=ec384;type=private",
    );
    assert_eq!(load(&p.join("dir.jcat")).items().len(), 5);
    let r = jt(
        p,
        "verify dir.jcat --prefix plugin --public-key root/cert.pem",
    )
    .ok();
    assert_eq!(r.stdout.matches("PASSED pkcs7").count(), 5, "{}", r.stdout);
    // RSA-PSS; the key by CKA_ID, the PIN from the URI's pin-source, the
    // module from JCAT_PKCS11_MODULE, the certificate chain from a file.
    let pin_file = p.join("pin.txt");
    std::fs::write(&pin_file, format!("{PIN}\n")).unwrap();
    let mut cmd = ours();
    cmd.env("SOFTHSM2_CONF", &hsm.conf)
        .env("JCAT_PKCS11_MODULE", &hsm.module)
        .env_remove("JCAT_PIN");
    run(
        cmd,
        p,
        &[
            "sign",
            "--rsa-pss",
            "pss.jcat",
            "fw.bin",
            "rsa/chain.pem",
            &format!("pkcs11:id=%03?pin-source={}", pin_file.display()),
        ],
    )
    .ok();
    verified_everywhere(p, "pss.jcat", "rsa-pss");
    assert!(contains(&blob_der(p, "pss.jcat"), &PSS_OID));
    // --rsa-pss with a file key signs PSS too.
    jt(
        p,
        "sign --rsa-pss pss-file.jcat fw.bin rsa/chain.pem rsa/key.pem",
    )
    .ok();
    verified_everywhere(p, "pss-file.jcat", "rsa-pss-file");
    assert!(contains(&blob_der(p, "pss-file.jcat"), &PSS_OID));
}

#[test]
fn token_failures_name_the_uri_and_never_the_pin() {
    let Some(hsm) = softhsm::token() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("fw.bin"), b"payload").unwrap();
    pki_on_token(&hsm, p, "p256", "ec256", "01");
    pki_on_token(&hsm, p, "p384", "ec384", "02");
    let module = hsm.module.display().to_string();
    let sign = |pin: Option<&str>, module: &str, cert: &str, key: &str| {
        jt_hsm(
            &hsm,
            p,
            pin,
            &[
                "sign",
                "--pkcs11-module",
                module,
                "c.jcat",
                "fw.bin",
                cert,
                key,
            ],
        )
    };
    let key = "pkcs11:object=ec256;type=private";
    let cases: [(Option<&str>, &str, &str, &str, &str); 8] = [
        (
            Some("999999"),
            &module,
            "ec256/cert.pem",
            key,
            "the PIN is wrong",
        ),
        (
            None,
            &module,
            "ec256/cert.pem",
            key,
            "the token needs a PIN",
        ),
        (
            Some(PIN),
            &module,
            "ec256/cert.pem",
            "pkcs11:token=absent;object=ec256",
            "no token matches",
        ),
        (
            Some(PIN),
            &module,
            "ec256/cert.pem",
            "pkcs11:object=nothing",
            "no private key matches on the token",
        ),
        (
            Some(PIN),
            &module,
            "pkcs11:object=nothing;type=cert",
            key,
            "no certificate matches on the token",
        ),
        (
            Some(PIN),
            "/nonexistent/module.so",
            "ec256/cert.pem",
            key,
            "cannot load the PKCS#11 module /nonexistent/module.so",
        ),
        (
            Some(PIN),
            &module,
            "ec256/cert.pem",
            "pkcs11:object=ec384",
            "the token's key does not match the certificate CN=Token Signer ec256",
        ),
        (
            Some(PIN),
            &module,
            "ec256/cert.pem",
            "pkcs11:type=private",
            "2 objects of class private key match",
        ),
    ];
    for (pin, module, cert, key, wanted) in cases {
        let r = sign(pin, module, cert, key).fails().stderr_has(wanted);
        if !wanted.contains("module") {
            let uri = if cert.starts_with("pkcs11:") {
                cert
            } else {
                key
            };
            assert!(r.stderr.contains(uri), "{uri} is named: {}", r.stderr);
        }
        assert!(!r.stderr.contains(PIN) && !r.stderr.contains("999999"));
        assert!(!p.join("c.jcat").exists(), "{key}: nothing written");
    }
    // A pin-value in the URI is used, and redacted wherever the URI is shown.
    let r = sign(
        None,
        &module,
        "ec256/cert.pem",
        "pkcs11:object=nothing?pin-value=246810",
    )
    .fails();
    assert!(
        r.stderr.contains("pin-value=***") && !r.stderr.contains(PIN),
        "{}",
        r.stderr
    );
    sign(
        None,
        &module,
        "ec256/cert.pem",
        &format!("pkcs11:object=ec256?pin-value={PIN}"),
    )
    .ok();
    // Without a module; and a URI that does not parse.
    jt_hsm(
        &hsm,
        p,
        Some(PIN),
        &format!("sign c2.jcat fw.bin ec256/cert.pem {key}"),
    )
    .stderr_has("no PKCS#11 module given");
    sign(Some(PIN), &module, "ec256/cert.pem", "pkcs11:object=%zz")
        .stderr_has("bad percent-encoding");
    // pkcs11: URIs are for PKCS#7; --rsa-pss needs an RSA key.
    jt_hsm(
        &hsm,
        p,
        Some(PIN),
        &format!("sign --kind ed25519 c3.jcat fw.bin x {key}"),
    )
    .fails()
    .stderr_has("PKCS#7 signatures only");
    jt_hsm(
        &hsm,
        p,
        Some(PIN),
        &[
            "sign",
            "--rsa-pss",
            "--pkcs11-module",
            &module,
            "c3.jcat",
            "fw.bin",
            "ec256/cert.pem",
            key,
        ],
    )
    .stderr_has("--rsa-pss needs an RSA key");
}
