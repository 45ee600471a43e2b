//! Chains: what the Root, Organization and Plugin certificates may sign, their validity at a time, and hash-named trust stores.

use super::*;

#[test]
fn valid_root_org_plugin_chain_passes_with_only_the_root_trusted() {
    let Some(pki) = Pki::with_tools(&["jcat-tool"]) else {
        return;
    };
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    let pass = format!("fw.bin:\n{PASSED_A}");
    pki.verify("c.jcat", "").passed(&pass);
    pki.verify("c.jcat", "--strict-chain").passed(&pass);
    // The reference agrees line for line.
    pki.reference_verify("c.jcat").prints(0, &pass);
    // --json: the verified chain, signer first.
    let (code, rep) = pki.json("c.jcat", "");
    assert_eq!((code, rep.verdict.as_str()), (0, "passed"));
    let blob = &rep.items[0].blobs[0];
    assert_eq!(
        (blob.kind.as_str(), blob.result.as_str()),
        ("pkcs7", "passed")
    );
    assert_eq!(blob.authority.as_deref(), Some(ORG_A));
    assert_eq!(blob.chain, ["CN=Plugin One,O=Org A", ORG_A, ROOT_DN]);
    // Nothing trusted: untrusted.
    jt(pki.dir(), "verify c.jcat").code(1);
}

#[test]
fn path_len_constraint_of_the_root_is_honoured() {
    let Some(pki) = Pki::with_tools(&["jcat-tool"]) else {
        return;
    };
    // A root with pathLen 0 may not have an intermediate below it.
    std::fs::copy(pki.p("root.key"), pki.p("root0.key")).unwrap();
    pki.cert("root0", "Store Root CA", "Example Store", 1, ORG, None);
    std::fs::copy(pki.p("root0.pem"), pki.p("trust/root.pem")).unwrap();
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    pki.verify("c.jcat", "").failed_with(&failed(
            "fw.bin",
            "pathLenConstraint 0 of CN=Store Root CA,O=Example Store is exceeded (1 intermediate certificates below it)",
        ));
    // Documented deviation: the reference does not apply the anchor's
    // pathLenConstraint (docs/policy.md).
    pki.reference_verify("c.jcat").ok();
}

#[test]
fn certificate_issued_by_a_plugin_certificate_fails_naming_it() {
    let Some(pki) = Pki::with_tools(&["jcat-tool"]) else {
        return;
    };
    pki.cert("sub", "Sub Plugin", "Org A", 9, PLUGIN, Some("plugin1"));
    pki.bundle("sub", &["sub", "plugin1", "orga"]);
    pki.sign("c.jcat", &["fw.bin"], "sub");
    pki.verify("c.jcat", "").failed_with(&failed(
        "fw.bin",
        "CN=Plugin One,O=Org A is not a CA but issued CN=Sub Plugin,O=Org A",
    ));
    // The reference refuses it too.
    pki.reference_verify("c.jcat").code(1);
}

#[test]
fn ca_signing_files_passes_by_default_and_fails_with_strict_chain() {
    let Some(pki) = Pki::with_tools(&["jcat-tool"]) else {
        return;
    };
    pki.bundle("orga", &["orga"]);
    pki.sign("c.jcat", &["fw.bin"], "orga");
    let pass = "fw.bin:\n    PASSED pkcs7: CN=Store Root CA,O=Example Store\n";
    pki.verify("c.jcat", "").passed(pass);
    pki.reference_verify("c.jcat").prints(0, pass);
    pki.verify("c.jcat", "--strict-chain").failed_with(&failed(
            "fw.bin",
            "signer CN=QA Department,O=Org A is a CA certificate, not an end-entity certificate (strict chain)",
        ));
    // An end-entity certificate for TLS, not code signing.
    pki.cert(
        "tls",
        "TLS Client",
        "Org A",
        10,
        Role::ClientAuth,
        Some("orga"),
    );
    pki.bundle("tls", &["tls", "orga"]);
    pki.sign("t.jcat", &["fw.bin"], "tls");
    pki.verify("t.jcat", "")
        .passed(&format!("fw.bin:\n{PASSED_A}"));
    pki.verify("t.jcat", "--strict-chain").failed_with(&failed(
        "fw.bin",
        "signer CN=TLS Client,O=Org A lacks the codeSigning extended key usage (strict chain)",
    ));
}

#[test]
fn expired_certificate_judged_at_a_time() {
    let Some(pki) = Pki::with_tools(&["jcat-tool"]) else {
        return;
    };
    pki.cert_valid(
        "old",
        "Old Plugin",
        "Org A",
        8,
        PLUGIN,
        ("2021-01-01 00:00:00", "2022-01-01 00:00:00"),
        Some("orga"),
    );
    pki.bundle("old", &["old", "orga"]);
    pki.sign("c.jcat", &["fw.bin"], "old");
    let expired = failed(
        "fw.bin",
        "certificate CN=Old Plugin,O=Org A expired on 2022-01-01T00:00:00Z",
    );
    pki.verify("c.jcat", "").failed_with(&expired);
    pki.reference_verify("c.jcat").code(1);
    // Within the certificate's validity but before the signature's
    // signingTime (made now): FAILED, as for OpenPGP creation times.
    assert_signed_later(
        pki.verify("c.jcat", "--at 2021-06-01T12:00:00Z"),
        "2021-06-01T12:00:00Z",
    );
    assert_signed_later(
        pki.verify("c.jcat", "--at 2021-06-01T14:00:00+02:00"),
        "2021-06-01T12:00:00Z",
    );
    pki.verify("c.jcat", "--at 2020-06-01T00:00:00Z")
        .failed_with(&failed(
            "fw.bin",
            "certificate CN=Old Plugin,O=Org A is not valid before 2021-01-01T00:00:00Z",
        ));
    pki.verify("c.jcat", "--at 2022-01-01T00:00:01Z")
        .failed_with(&expired);
    // Every certificate of the chain is judged, not only the signer's.
    pki.cert_valid(
        "early",
        "Early Plugin",
        "Org A",
        11,
        PLUGIN,
        ("2019-01-01 00:00:00", "2060-01-01 00:00:00"),
        Some("orga"),
    );
    pki.bundle("early", &["early", "orga"]);
    pki.sign("e.jcat", &["fw.bin"], "early");
    pki.verify("e.jcat", "--at 2019-06-01T00:00:00Z")
        .failed_with(&failed(
            "fw.bin",
            "certificate CN=QA Department,O=Org A is not valid before 2020-01-01T00:00:00Z",
        ));
    pki.verify("c.jcat", "--disable-time-checks")
        .passed(&format!("fw.bin:\n{PASSED_A}"));
}

#[test]
fn hash_named_trust_dir_with_garbage_beside_it() {
    let Some(pki) = Pki::with_tools(&["openssl", "jcat-tool"]) else {
        return;
    };
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    let hash = pki.tool("openssl", "x509 -hash -noout -in root.pem");
    let hash = hash.trim();
    assert_eq!(hash.len(), 8, "{hash}");
    std::fs::create_dir(pki.p("certs")).unwrap();
    std::fs::copy(pki.p("root.pem"), pki.p(&format!("certs/{hash}.0"))).unwrap();
    std::fs::write(
        pki.p("certs/README"),
        b"BOINC trusted signing certificates\n",
    )
    .unwrap();
    std::fs::write(
        pki.p("certs/deadbeef.0"),
        [0x30u8, 0x82, 0xff, 0xff, 1, 2, 3],
    )
    .unwrap();
    std::fs::write(
        pki.p("certs/truncated.pem"),
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    std::fs::create_dir(pki.p("certs/old")).unwrap();
    let pass = format!("fw.bin:\n{PASSED_A}");
    jt(pki.dir(), "verify c.jcat --public-keys certs -v").outputs(
        0,
        &pass,
        &format!(
            "loaded certs/{hash}.0: 1 X.509 certificate\n\
             skipped certs/README: not an X.509 certificate or CRL\n\
             skipped certs/deadbeef.0: not an X.509 certificate or CRL\n\
             skipped certs/old: a directory (not searched)\n\
             skipped certs/truncated.pem: certificate does not parse: truncated DER length\n\
             1 item, 1 blob: 1 passed\n"
        ),
    );
    let r = jt(pki.dir(), "verify --json c.jcat --public-keys certs").ok();
    let rep: Report = serde_json::from_str(&r.stdout).unwrap();
    let skipped: Vec<(&str, &str)> = rep
        .skipped_keys
        .iter()
        .map(|s| (s.path.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("certs/README", "not an X.509 certificate or CRL"),
            ("certs/deadbeef.0", "not an X.509 certificate or CRL"),
            ("certs/old", "a directory (not searched)"),
            (
                "certs/truncated.pem",
                "certificate does not parse: truncated DER length"
            ),
        ]
    );
    // Documented deviation: the reference does not load `<hash>.0` files.
    rt(pki.dir(), "--keyring rkr verify c.jcat --public-keys certs").code(1);
    // Without the hash-named file nothing is trusted.
    std::fs::remove_file(pki.p(&format!("certs/{hash}.0"))).unwrap();
    jt(pki.dir(), "verify c.jcat --public-keys certs").code(1);
}
