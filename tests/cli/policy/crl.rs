//! Revocation: CRLs from `--crl` and from key directories, by the right issuer, while they are current.

use super::*;

const ORG_REVOKED: &str = "certificate CN=QA Department,O=Org A (serial 02) was revoked on 2026-01-02T03:04:05Z by CN=Store Root CA,O=Example Store";

#[test]
fn root_crl_revoking_the_organization_via_crl_option_and_trust_dir() {
    let Some(pki) = Pki::with_tools(&["openssl", "jcat-tool"]) else {
        return;
    };
    pki.sign("c.jcat", &["fw.bin", "fw2.bin"], "plugin1");
    pki.crl("root.crl", "root", &["orga"], "2099-01-01", false);
    let both_failed = format!(
        "{}{}",
        failed("fw.bin", ORG_REVOKED),
        failed("fw2.bin", ORG_REVOKED)
    );
    pki.verify("c.jcat", "")
        .passed(&format!("fw.bin:\n{PASSED_A}fw2.bin:\n{PASSED_A}"));
    // --crl FILE (PEM).
    pki.verify("c.jcat", "--crl root.crl")
        .failed_with(&both_failed);
    // A DER `*.crl` in the --public-keys dir.
    pki.crl("trust/root.crl", "root", &["orga"], "2099-01-01", true);
    pki.verify("c.jcat", "").failed_with(&both_failed);
    // Documented deviation: the reference reads no CRL from key directories.
    pki.reference_verify("c.jcat").ok();
    let (code, rep) = pki.json("c.jcat", "");
    assert_eq!((code, rep.verdict.as_str()), (1, "failed"));
    assert_eq!(rep.items[0].blobs[0].reason.as_deref(), Some(ORG_REVOKED));
    assert!(rep.items[0].blobs[0].chain.is_empty());
    assert!(rep.skipped_keys.is_empty(), "{:?}", rep.skipped_keys);
    // An OpenSSL hash-named store: `<hash>.0` and `<hash>.r0`.
    std::fs::remove_dir_all(pki.p("trust")).unwrap();
    std::fs::create_dir(pki.p("trust")).unwrap();
    let hash = pki.tool("openssl", "x509 -hash -noout -in root.pem");
    let hash = hash.trim();
    std::fs::copy(pki.p("root.pem"), pki.p(&format!("trust/{hash}.0"))).unwrap();
    std::fs::copy(pki.p("root.crl"), pki.p(&format!("trust/{hash}.r0"))).unwrap();
    pki.verify("c.jcat", "-v").outputs(
        1,
        &both_failed,
        &format!("loaded trust/{hash}.0: 1 X.509 certificate\nloaded trust/{hash}.r0: 1 CRL\n2 items, 2 blobs: 0 passed, 2 failed; 2 items failed\nValidation failed\n"),
    );
}

#[test]
fn crl_option_accepts_only_revocation_lists() {
    let pki = Pki::store();
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    // A certificate given as --crl must not become a trust anchor.
    jt(pki.dir(), "verify c.jcat --crl root.pem").outputs(
        2,
        "",
        "Failed to load CRL root.pem: holds 1 certificate(s): a CRL file must hold revocation lists only\n",
    );
    // A missing revocation list is an error, not silently no revocation.
    pki.verify("c.jcat", "--crl missing.crl").outputs(
        2,
        "",
        "Failed to load CRL missing.crl: No such file or directory\n",
    );
    pki.verify("c.jcat", "--crl fw.bin").says(
        2,
        "Failed to load CRL fw.bin: not a certificate revocation list (not an X.509 certificate or CRL)\n",
    );
}

#[test]
fn organization_crl_revokes_one_plugin_but_not_its_sibling() {
    let pki = Pki::store();
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    pki.sign("c.jcat", &["fw2.bin"], "plugin2");
    pki.crl("orga.crl", "orga", &["plugin1"], "2099-01-01", false);
    pki.verify("c.jcat", "--crl orga.crl").failed_with(&format!(
            "{}fw2.bin:\n{PASSED_A}",
            failed(
                "fw.bin",
                "certificate CN=Plugin One,O=Org A (serial 03) was revoked on 2026-01-02T03:04:05Z by CN=QA Department,O=Org A"
            )
        ));
    // One item at a time.
    pki.verify("c.jcat", "--crl orga.crl fw2.bin")
        .passed(&format!("fw2.bin:\n{PASSED_A}"));
}

#[test]
fn crl_from_another_issuer_has_no_effect() {
    let pki = Pki::store();
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    let pass = format!("fw.bin:\n{PASSED_A}");
    // Organization B revokes its own plugin, which has Plugin One's serial.
    pki.cert("orgb", "Org B CA", "Org B", 5, ORG, Some("root"));
    pki.cert("pluginb", "Plugin B", "Org B", 3, PLUGIN, Some("orgb"));
    pki.crl("orgb.crl", "orgb", &["pluginb"], "2099-01-01", false);
    pki.verify("c.jcat", "--crl orgb.crl").passed(&pass);
    // Even with Org B's certificate trusted and its CRL in the trust dir.
    std::fs::copy(pki.p("orgb.pem"), pki.p("trust/orgb.pem")).unwrap();
    std::fs::copy(pki.p("orgb.crl"), pki.p("trust/orgb.crl")).unwrap();
    pki.verify("c.jcat", "").passed(&pass);
    // The root lists serial 03, but the root did not issue Plugin One.
    pki.crl("root.crl", "root", &["pluginb"], "2099-01-01", false);
    pki.verify("c.jcat", "--crl root.crl").passed(&pass);
    // An impostor with Org A's name but another key cannot revoke for it.
    pki.cert("impostor", "QA Department", "Org A", 2, ORG, None);
    pki.crl(
        "impostor.crl",
        "impostor",
        &["plugin1"],
        "2099-01-01",
        false,
    );
    pki.verify("c.jcat", "--crl impostor.crl").passed(&pass);
    // The genuine Org A CRL does revoke it.
    pki.crl("orga.crl", "orga", &["plugin1"], "2099-01-01", false);
    assert_eq!(pki.verify("c.jcat", "--crl orga.crl").code, 1);
}

#[test]
fn stale_crl_is_an_error_unless_time_checks_are_disabled() {
    let pki = Pki::store();
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    pki.crl("orga.crl", "orga", &[], "2026-03-01", false);
    let pass = format!("fw.bin:\n{PASSED_A}");
    // Fresh CRL; once the signature (made now) is later than that time, FAILED.
    let r = pki.verify(
        "c.jcat",
        &["--crl", "orga.crl", "--at", "2026-02-01T00:00:00Z"],
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    if now > 1_769_904_000 + 300 {
        assert_signed_later(r, "2026-02-01T00:00:00Z");
    } else {
        r.passed(&pass);
    }
    pki.verify("c.jcat", "--crl orga.crl --at 2026-06-01T00:00:00Z").failed_with(&failed(
            "fw.bin",
            "CRL issued by CN=QA Department,O=Org A is out of date (nextUpdate 2026-03-01T00:00:00Z)",
        ));
    pki.verify("c.jcat", "--crl orga.crl --disable-time-checks")
        .passed(&pass);
}
