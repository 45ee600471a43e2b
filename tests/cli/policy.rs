//! Trust policy (issue 4 §6) through the binary: a Jami-style store
//! (Root → Organization → Plugin → files) made in each test by our own
//! certificate generator (`jcat_core::testing`), signatures made by our
//! `jcat-tool sign` with leaf + intermediate bundles.
//!
//! All certificates have fixed validity periods (2020 … 2070+) and CRLs fixed
//! dates, so every message is asserted exactly.

use std::path::{Path, PathBuf};

use jcat_core::testing::{self, CertParams, CrlParams, Role, TestKey};

use crate::common::*;
use crate::json_schemas::Report;

/// Validity of the long-lived certificates.
const LONG: (&str, &str) = ("2020-01-01 00:00:00", "2070-01-01 00:00:00");
/// A Root: self-signed CA that signs certificates and CRLs.
const ROOT: Role = Role::Ca { path_len: None };
/// An Organization: a CA with pathLen 0 that signs certificates and CRLs.
const ORG: Role = Role::Ca { path_len: Some(0) };
/// A Plugin: end-entity, digitalSignature, EKU codeSigning.
const PLUGIN: Role = Role::CodeSigning;

/// `YYYY-MM-DD HH:MM:SS` (UTC) as unix seconds.
fn unix(date: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M:%S")
        .unwrap()
        .and_utc()
        .timestamp()
}

const PASSED_A: &str = "    PASSED pkcs7: CN=QA Department,O=Org A\n";
const ORG_A: &str = "CN=QA Department,O=Org A";
const ROOT_DN: &str = "CN=Store Root CA,O=Example Store";

/// A temp dir holding the PKI, payloads, catalogs and trust dirs.
struct Pki {
    tmp: tempfile::TempDir,
}

impl Pki {
    /// The store: `root`, `orga` (QA Department, Org A, pathLen 0), `plugin1`
    /// and `plugin2` issued by `orga`; bundles `plugin1.bundle` /
    /// `plugin2.bundle` (leaf + Org); trust dir `trust/` holding only the
    /// Root; payloads `fw.bin` and `fw2.bin`.
    fn store() -> Self {
        let pki = Pki {
            tmp: tempfile::tempdir().unwrap(),
        };
        pki.cert("root", "Store Root CA", "Example Store", 1, ROOT, None);
        pki.cert("orga", "QA Department", "Org A", 2, ORG, Some("root"));
        pki.cert("plugin1", "Plugin One", "Org A", 3, PLUGIN, Some("orga"));
        pki.cert("plugin2", "Plugin Two", "Org A", 4, PLUGIN, Some("orga"));
        pki.bundle("plugin1", &["plugin1", "orga"]);
        pki.bundle("plugin2", &["plugin2", "orga"]);
        std::fs::create_dir(pki.p("trust")).unwrap();
        std::fs::copy(pki.p("root.pem"), pki.p("trust/root.pem")).unwrap();
        std::fs::write(pki.p("fw.bin"), b"plugin payload one\n").unwrap();
        std::fs::write(pki.p("fw2.bin"), b"plugin payload two\n").unwrap();
        pki
    }

    /// [`Pki::store`], or `None` (after a printed reason; a failure in CI)
    /// without the external tools a scenario compares with (the reference
    /// jcat-tool, openssl for hash names).
    fn with_tools(tools: &[&str]) -> Option<Self> {
        tools.iter().all(|t| have_tool(t)).then(Self::store)
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    fn p(&self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    fn tool(&self, prog: &str, args: &str) -> String {
        tool(self.dir(), prog, args).ok().stdout
    }

    /// `name.key` (ECDSA P-256, made once) and `name.pem`, valid [`LONG`];
    /// self-signed when `issuer` is None.
    fn cert(&self, name: &str, cn: &str, o: &str, serial: u64, role: Role, issuer: Option<&str>) {
        self.cert_valid(name, cn, o, serial, role, LONG, issuer);
    }

    /// [`Pki::cert`] valid from `valid.0` until `valid.1` (`YYYY-MM-DD HH:MM:SS`).
    #[allow(clippy::too_many_arguments)]
    fn cert_valid(
        &self,
        name: &str,
        cn: &str,
        o: &str,
        serial: u64,
        role: Role,
        valid: (&str, &str),
        issuer: Option<&str>,
    ) {
        let key_path = self.p(&format!("{name}.key"));
        let key = if key_path.exists() {
            TestKey::from_pem(&std::fs::read(&key_path).unwrap()).unwrap()
        } else {
            let key = TestKey::generate_p256();
            std::fs::write(&key_path, key.to_pem().unwrap()).unwrap();
            key
        };
        let params = CertParams {
            subject: &format!("CN={cn},O={o}"),
            serial,
            role,
            not_before: unix(valid.0),
            not_after: unix(valid.1),
        };
        let der = match issuer {
            Some(i) => {
                let (issuer_der, issuer_key) = self.load(i);
                testing::certificate(&params, &key, Some((&issuer_der, &issuer_key)))
            }
            None => testing::certificate(&params, &key, None),
        }
        .unwrap();
        let pem = testing::pem("CERTIFICATE", &der).unwrap();
        std::fs::write(self.p(&format!("{name}.pem")), pem).unwrap();
    }

    /// The certificate (DER) and key of `name`.
    fn load(&self, name: &str) -> (Vec<u8>, TestKey) {
        let pem = std::fs::read(self.p(&format!("{name}.pem"))).unwrap();
        let der = testing::pem_der(&pem).unwrap();
        let key = std::fs::read(self.p(&format!("{name}.key"))).unwrap();
        (der, TestKey::from_pem(&key).unwrap())
    }

    /// `name.bundle`: the PEM certificates of `parts`, leaf first.
    fn bundle(&self, name: &str, parts: &[&str]) {
        let text: String = parts
            .iter()
            .map(|c| std::fs::read_to_string(self.p(&format!("{c}.pem"))).unwrap())
            .collect();
        std::fs::write(self.p(&format!("{name}.bundle")), text).unwrap();
    }

    /// A CRL `out` (PEM, or DER when `der`) issued by `issuer`, revoking the
    /// certificates `revoked` on 2026-01-02T03:04:05Z, valid from 2026-01-01
    /// until `next_update` ("YYYY-MM-DD").
    fn crl(&self, out: &str, issuer: &str, revoked: &[&str], next_update: &str, der: bool) {
        let (issuer_der, issuer_key) = self.load(issuer);
        let revoked: Vec<Vec<u8>> = revoked.iter().map(|c| self.load(c).0).collect();
        let revoked: Vec<&[u8]> = revoked.iter().map(Vec::as_slice).collect();
        let params = CrlParams {
            number: 7,
            this_update: unix("2026-01-01 00:00:00"),
            next_update: unix(&format!("{next_update} 00:00:00")),
            revoked: &revoked,
            revocation_date: unix("2026-01-02 03:04:05"),
        };
        let crl = testing::crl(&params, &issuer_der, &issuer_key).unwrap();
        if der {
            std::fs::write(self.p(out), crl).unwrap();
        } else {
            std::fs::write(self.p(out), testing::pem("X509 CRL", &crl).unwrap()).unwrap();
        }
    }

    /// `jcat-tool sign CAT SOURCES… NAME.bundle NAME.key`, which must succeed.
    fn sign(&self, cat: &str, sources: &[&str], signer: &str) {
        let (bundle, key) = (format!("{signer}.bundle"), format!("{signer}.key"));
        let mut args = vec!["sign", cat];
        args.extend(sources);
        args.extend([bundle.as_str(), key.as_str()]);
        jt(self.dir(), &args).says(0, "");
    }

    /// Ours: `verify CAT --public-keys trust EXTRA…`.
    fn verify<A: Args + ?Sized>(&self, cat: &str, extra: &A) -> Run {
        let mut args = words(&format!("verify {cat} --public-keys trust"));
        args.extend(extra.words());
        jt(self.dir(), &args)
    }

    /// The reference: `verify CAT --public-keys trust` (its own keyring dir).
    fn reference_verify(&self, cat: &str) -> Run {
        rt(
            self.dir(),
            &format!("--keyring rkr verify {cat} --public-keys trust"),
        )
    }

    /// `--json` report of ours, which must be the only thing on stdout.
    fn json<A: Args + ?Sized>(&self, cat: &str, extra: &A) -> (i32, Report) {
        let mut args = words("--json");
        args.extend(extra.words());
        let r = self.verify(cat, &args);
        let rep: Report = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", r.stdout, r.stderr));
        (r.code, rep)
    }
}

fn failed(id: &str, msg: &str) -> String {
    format!("{id}:\n    FAILED pkcs7: {msg}\n    FAILED: Validation failed\n")
}

/// A PKCS#7 signature whose signingTime is later than `at`: FAILED.
fn assert_signed_later(r: Run, at: &str) {
    r.code(1)
        .stdout_has(&format!("is later than the verification time {at}"));
}

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
    let r = pki.reference_verify("c.jcat");
    assert_eq!((r.code, r.stdout.as_str()), (0, pass.as_str()));
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
    assert_eq!(pki.reference_verify("c.jcat").code, 0);
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
    assert_eq!(pki.reference_verify("c.jcat").code, 1);
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
    let r = pki.reference_verify("c.jcat");
    assert_eq!((r.code, r.stdout.as_str()), (0, pass));
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
    assert_eq!(pki.reference_verify("c.jcat").code, 0);
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

#[test]
fn policy_levels_ignore_verify_require() {
    let Some(pki) = Pki::with_tools(&["jcat-tool"]) else {
        return;
    };
    for f in ["fw.bin", "fw2.bin"] {
        jt(
            pki.dir(),
            &format!("--keyring kr self-sign --kind sha256 c.jcat {f}"),
        )
        .ok();
    }
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    // verify (the default): checksum-only fw2.bin passes, as in the reference.
    let verify_out =
        format!("fw.bin:\n    PASSED sha256: OK\n{PASSED_A}fw2.bin:\n    PASSED sha256: OK\n");
    pki.verify("c.jcat", "").passed(&verify_out);
    pki.verify("c.jcat", "--policy verify").passed(&verify_out);
    pki.reference_verify("c.jcat").prints(0, &verify_out);
    // require: an item without a passed signature fails.
    pki.verify("c.jcat", "--policy require").failed_with(&format!(
        "fw.bin:\n    PASSED sha256: OK\n{PASSED_A}fw2.bin:\n    PASSED sha256: OK\n    FAILED: signature required\n"
    ));
    let (_, rep) = pki.json("c.jcat", "--policy require");
    assert_eq!(rep.items[1].policy_failures, ["signature required"]);
    assert!(rep.items[0].policy_failures.is_empty());
    // Untrusted (no trust dir): verify and require fail on the signature,
    // ignore skips it.
    jt(
        pki.dir(),
        &["verify", "c.jcat", "fw.bin", "--policy", "ignore"],
    )
    .passed(
        "fw.bin:\n    PASSED sha256: OK\n    SKIPPED pkcs7: signature checks disabled by policy\n",
    );
    jt(pki.dir(), "verify c.jcat fw.bin")
        .code(1)
        .stdout_has("    FAILED pkcs7: ");
    // ignore still checks checksums.
    std::fs::write(pki.p("fw2.bin"), b"tampered").unwrap();
    let r = pki.verify("c.jcat", "--policy ignore fw2.bin").code(1);
    assert!(
        r.stdout
            .starts_with("fw2.bin:\n    FAILED sha256: failed to verify data"),
        "{}",
        r.stdout
    );
    pki.verify("c.jcat", "--policy never").says(
        2,
        "Failed to parse --policy 'never', expected ignore,verify,require\n",
    );
}

#[test]
fn required_signers_present_and_absent() {
    let pki = Pki::store();
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    let pass = format!("fw.bin:\n{PASSED_A}");
    for name in [
        ORG_A,
        "CN=QA Department",
        "QA Department",
        "cn=QA Department, o=Org A",
        "CN=Plugin One,O=Org A",
        ROOT_DN,
        "O=Example Store",
    ] {
        pki.verify("c.jcat", &["--require-signer", name])
            .passed(&pass);
    }
    // Both required, both present.
    pki.verify(
        "c.jcat",
        &[
            "--require-signer",
            "QA Department",
            "--require-signer",
            "Plugin One",
        ],
    )
    .passed(&pass);
    for name in [
        "CN=Release Team",
        "Release Team",
        "O=Org B",
        "QA",
        "CN=Org A",
    ] {
        pki.verify("c.jcat", &["--require-signer", name])
            .failed_with(&format!(
                "{pass}    FAILED: no verified signature from {name:?}\n"
            ));
    }
    // A name in an untrusted chain does not count.
    let r = jt(pki.dir(), "verify c.jcat --require-signer 'QA Department'").code(1);
    assert!(
        r.stdout
            .ends_with("    FAILED: no verified signature from \"QA Department\"\n    FAILED: Validation failed\n"),
        "{}",
        r.stdout
    );
    let (code, rep) = pki.json("c.jcat", &["--require-signer", "Release Team"]);
    assert_eq!(code, 1);
    assert_eq!(
        rep.items[0].policy_failures,
        ["no verified signature from \"Release Team\""]
    );
}

#[test]
fn thresholds_count_distinct_keys() {
    let pki = Pki::store();
    let lacking = |n: usize, k: usize| {
        format!("    FAILED: {n} signature(s) from distinct keys, at least {k} required\n")
    };
    // Two distinct plugin keys.
    pki.sign("two.jcat", &["fw.bin"], "plugin1");
    pki.sign("two.jcat", &["fw.bin"], "plugin2");
    let pass2 = format!("fw.bin:\n{PASSED_A}{PASSED_A}");
    pki.verify("two.jcat", "--min-signers 2").passed(&pass2);
    pki.verify("two.jcat", "--min-signers 3")
        .failed_with(&format!("{pass2}{}", lacking(2, 3)));
    // One key: missed.
    pki.sign("one.jcat", &["fw.bin"], "plugin1");
    pki.verify("one.jcat", "--min-signers 2")
        .failed_with(&format!("fw.bin:\n{PASSED_A}{}", lacking(1, 2)));
    // One key signing twice (a re-issued certificate for the same key, so
    // the two blobs differ) is counted once.
    std::fs::copy(pki.p("plugin1.key"), pki.p("plugin1b.key")).unwrap();
    pki.cert("plugin1b", "Plugin One", "Org A", 6, PLUGIN, Some("orga"));
    pki.bundle("plugin1b", &["plugin1b", "orga"]);
    pki.sign("one.jcat", &["fw.bin"], "plugin1b");
    let cat = load(&pki.p("one.jcat"));
    assert_eq!(cat.items()[0].blobs.len(), 2);
    pki.verify("one.jcat", "--min-signers 2")
        .failed_with(&format!("fw.bin:\n{PASSED_A}{PASSED_A}{}", lacking(1, 2)));
    // A signature that does not verify does not count.
    std::fs::remove_file(pki.p("trust/root.pem")).unwrap();
    std::fs::copy(pki.p("orga.pem"), pki.p("trust/orga.pem")).unwrap();
    pki.verify("two.jcat", "--min-signers 2").passed(&pass2);
    std::fs::remove_file(pki.p("trust/orga.pem")).unwrap();
    std::fs::copy(pki.p("plugin2.pem"), pki.p("trust/plugin2.pem")).unwrap();
    pki.verify("two.jcat", "--min-signers 2").prints(
        1,
        &format!(
            "fw.bin:\n    FAILED pkcs7: no trusted certificate for signer CN=Plugin One,O=Org A issued by CN=QA Department,O=Org A\n    PASSED pkcs7: CN=QA Department,O=Org A\n{}    FAILED: Validation failed\n",
            lacking(1, 2)
        ),
    );
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
    assert_eq!(pki.reference_verify("c.jcat").code, 1);
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

#[test]
fn several_sources_in_one_sign_call() {
    let pki = Pki::store();
    std::fs::write(pki.p("fw3.bin"), b"three").unwrap();
    pki.sign("c.jcat", &["fw.bin", "fw2.bin", "fw3.bin"], "plugin1");
    let cat = load(&pki.p("c.jcat"));
    let ids: Vec<&str> = cat.items().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["fw.bin", "fw2.bin", "fw3.bin"]);
    assert!(cat.items().iter().all(|i| i.blobs.len() == 1));
    pki.verify("c.jcat", "--strict-chain --min-signers 1")
        .passed(&format!(
            "fw.bin:\n{PASSED_A}fw2.bin:\n{PASSED_A}fw3.bin:\n{PASSED_A}"
        ));
    // A second call adds to the existing items.
    pki.sign("c.jcat", &["fw.bin", "fw3.bin"], "plugin2");
    let cat = load(&pki.p("c.jcat"));
    let counts: Vec<usize> = cat.items().iter().map(|i| i.blobs.len()).collect();
    assert_eq!(counts, [2, 1, 2]);
    // A missing source fails the call and leaves the catalog untouched.
    let before = Snapshot::of(pki.p("c.jcat"));
    let r = jt(
        pki.dir(),
        "sign c.jcat fw2.bin nothere.bin plugin2.bundle plugin2.key",
    )
    .code(2);
    assert!(r.stderr.starts_with("nothere.bin: "), "{}", r.stderr);
    before.assert_untouched();
}

#[test]
fn strict_set_with_a_smuggled_extra_file() {
    let pki = Pki::store();
    std::fs::create_dir(pki.p("set")).unwrap();
    std::fs::copy(pki.p("fw.bin"), pki.p("set/fw.bin")).unwrap();
    std::fs::copy(pki.p("fw2.bin"), pki.p("set/fw2.bin")).unwrap();
    jt(
        pki.p("set").as_path(),
        "sign set.jcat fw.bin fw2.bin ../plugin1.bundle ../plugin1.key",
    )
    .ok();
    let args = "--prefix set --strict-set --policy require";
    let pass = format!("fw.bin:\n{PASSED_A}fw2.bin:\n{PASSED_A}");
    pki.verify("set/set.jcat", args).passed(&pass);
    std::fs::write(pki.p("set/payload.sh"), b"#!/bin/sh\nrm -rf ~\n").unwrap();
    pki.verify("set/set.jcat", args).failed_with(&format!(
        "{pass}payload.sh:\n    FAILED: not listed in the catalog\n"
    ));
    let (code, rep) = pki.json("set/set.jcat", args);
    assert_eq!((code, rep.verdict.as_str()), (1, "failed"));
    assert_eq!(rep.unlisted, ["payload.sh"]);
    assert!(rep.items.iter().all(|i| i.result == "passed"));
    // Without --strict-set the smuggled file goes unnoticed (reference behaviour).
    pki.verify("set/set.jcat", "--prefix set").passed(&pass);
    // A missing file fails too.
    std::fs::remove_file(pki.p("set/payload.sh")).unwrap();
    std::fs::remove_file(pki.p("set/fw2.bin")).unwrap();
    pki.verify("set/set.jcat", args).failed_with(&format!(
        "fw.bin:\n{PASSED_A}fw2.bin:\n    FAILED: Could not find set/fw2.bin\n"
    ));
}

/// OpenPGP: a required signer by user ID or fingerprint, and `--at` judging
/// the signature time (the real LVFS catalog, signed 2024-01-21).
#[test]
fn openpgp_required_signer_by_user_id_and_time() {
    let tests = crate::shared!("corpus/real/fwupd-fwupd/data/tests");
    let key = crate::shared!(
        "corpus/real/hughsie-libjcat/data/tests/pki/GPG-KEY-Linux-Vendor-Firmware-Service"
    );
    let (tests, key) = (tests.to_str().unwrap(), key.to_str().unwrap());
    let cat = format!("{tests}/fakedevice123.jcat");
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            cat.as_str(),
            "fakedevice123.bin",
            "--prefix",
            tests,
            "--kind",
            "gpg",
            "--public-key",
            key,
        ];
        args.extend(extra);
        jt(Path::new("."), &args)
    };
    let pass = "fakedevice123.bin:\n    PASSED gpg: 3FC6B804410ED0840D8F2F9748A6D80E4538BAC2\n";
    for name in [
        "Linux Vendor Firmware Service <sign@fwupd.org>",
        "3fc6b804410ed0840d8f2f9748a6d80e4538bac2",
    ] {
        verify(&["--at", "2026-06-01T00:00:00Z", "--require-signer", name]).prints(0, pass);
    }
    for name in ["sign@fwupd.org", "Linux Vendor Firmware Service"] {
        verify(&["--at", "2026-06-01T00:00:00Z", "--require-signer", name]).prints(
            1,
            &format!("{pass}    FAILED: no verified signature from {name:?}\n"),
        );
    }
    verify(&["--at", "2020-01-01T00:00:00Z"]).prints(
        1,
        "fakedevice123.bin:\n    FAILED gpg: signature '3FC6B804410ED0840D8F2F9748A6D80E4538BAC2' was made at 2024-01-21T09:35:29Z, after the verification time 2020-01-01T00:00:00Z\n",
    );
}
