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

mod chains;
mod crl;
mod levels;

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
