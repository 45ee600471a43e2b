//! Certificates the `pki` commands refuse to issue, forged with the library
//! (the issuing rules bypassed): verification rejects them with the typed
//! chain reason (issue 12 §3, Jami's constraints).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

use x509_cert::ext::pkix::KeyUsages;

use super::fixture::{ca_options, cert_options, verify, NOW};
use super::issue::Issuer;
use super::*;
use crate::engine::SigError;
use crate::sign::pkcs7::certgen::{self, CertSpec};
use crate::sign::pkcs7::key::PrivateKey;
use crate::trust::x509::ChainError;

fn pem(der: &[u8]) -> String {
    pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, der).unwrap()
}

/// Root CA → Organization (pathLen 0) → Plugin (code signing), as `pki` makes them.
fn jami(d: &Path) {
    let root = ca_options("CN=Store Root,O=Store", KeyType::P256, None);
    create_ca(&d.join("root"), &root, NOW).unwrap();
    let mut opts = cert_options("CN=Organization,O=Org", KeyType::P256, Profile::Ca);
    create_cert(&d.join("org"), &d.join("root"), &opts, NOW).unwrap();
    opts.subject = "CN=Plugin,O=Org".into();
    opts.profile = Profile::CodeSigning;
    create_cert(&d.join("plugin"), &d.join("org"), &opts, NOW).unwrap();
}

/// Issues a certificate with `issuer_dir`'s key whatever its constraints
/// say; writes `dir/cert.pem`, `key.pem` and `chain.pem` (it, then the
/// issuer's chain).
fn forge(dir: &Path, issuer_dir: &Path, subject: &str, ca: bool) {
    let issuer = Issuer::load(issuer_dir).unwrap();
    let key = PrivateKey::P256(p256::ecdsa::SigningKey::random(&mut rand_core::OsRng));
    let spec = CertSpec {
        subject: subject.into(),
        serial: certgen::random_serial().unwrap(),
        not_before: NOW,
        not_after: NOW + 86_400 * 30,
        basic: Some((ca, ca.then_some(0))),
        key_usage: Some(if ca {
            KeyUsages::KeyCertSign | KeyUsages::CRLSign
        } else {
            KeyUsages::DigitalSignature.into()
        }),
        eku: (!ca).then(|| vec![const_oid::db::rfc5280::ID_KP_CODE_SIGNING]),
        extra: certgen::Extra::default(),
    };
    let (name, spki) = issuer.name_and_spki().unwrap();
    let der = certgen::build(
        &spec,
        &key.spki_der().unwrap(),
        &issuer.key,
        Some((&name, &spki)),
    )
    .unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(CERT_FILE), pem(&der)).unwrap();
    std::fs::write(dir.join(KEY_FILE), key.to_pem().unwrap()).unwrap();
    let chain = [
        pem(&der).into_bytes(),
        std::fs::read(issuer_dir.join(CHAIN_FILE)).unwrap(),
    ]
    .concat();
    std::fs::write(dir.join(CHAIN_FILE), chain).unwrap();
}

#[test]
fn a_plugin_certificate_that_signs_a_certificate_is_rejected() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    jami(p);
    assert!(verify(&p.join("plugin"), &p.join("root")).is_ok());
    // `pki create-cert --issuer plugin` refuses; the library forges it.
    let refused = create_cert(
        &p.join("x"),
        &p.join("plugin"),
        &CertOptions {
            subject: "CN=Forged".into(),
            key: KeyType::P256,
            days: 30,
            profile: Profile::CodeSigning,
            path_len: None,
            force: false,
        },
        NOW,
    );
    assert!(
        matches!(refused, Err(PkiError::IssuerNotCa { .. })),
        "{refused:?}"
    );
    forge(
        &p.join("forged"),
        &p.join("plugin"),
        "CN=Forged Signer,O=Org",
        false,
    );
    let e = verify(&p.join("forged"), &p.join("root")).unwrap_err();
    assert!(
        matches!(
            &e,
            SigError::Chain(ChainError::NotCa { issuer, child })
                if issuer.contains("CN=Plugin") && child.contains("CN=Forged Signer")
        ),
        "{e:?}"
    );
}

#[test]
fn an_organization_that_signs_an_intermediate_is_rejected() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    jami(p);
    // pathLen 0: `pki create-cert --profile ca --issuer org` refuses.
    let refused = create_cert(
        &p.join("x"),
        &p.join("org"),
        &CertOptions {
            subject: "CN=Sub CA".into(),
            key: KeyType::P256,
            days: 30,
            profile: Profile::Ca,
            path_len: None,
            force: false,
        },
        NOW,
    );
    assert!(
        matches!(refused, Err(PkiError::PathLenExceeded { .. })),
        "{refused:?}"
    );
    forge(
        &p.join("sub"),
        &p.join("org"),
        "CN=Forged Sub CA,O=Org",
        true,
    );
    std::fs::write(p.join("sub").join(SERIAL_FILE), "0\n").unwrap();
    // The sub-CA's code-signing certificate is issued by the normal rules.
    create_cert(
        &p.join("leaf"),
        &p.join("sub"),
        &CertOptions {
            subject: "CN=Leaf,O=Org".into(),
            key: KeyType::P256,
            days: 10,
            profile: Profile::CodeSigning,
            path_len: None,
            force: false,
        },
        NOW,
    )
    .unwrap();
    let e = verify(&p.join("leaf"), &p.join("root")).unwrap_err();
    assert!(
        matches!(
            &e,
            SigError::Chain(ChainError::PathLenExceeded { issuer, path_len: 0, below: 1 })
                if issuer.contains("CN=Organization")
        ),
        "{e:?}"
    );
}
