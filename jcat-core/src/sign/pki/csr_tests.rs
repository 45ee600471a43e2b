//! `create-csr` / `sign-csr`, and the Ed25519 and ML-DSA-87 key types.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

use der::{DecodePem, EncodePem};
use x509_cert::request::CertReq;

use super::fixture::{ca_options, cert_options, verify, NOW};
use super::*;

fn root(d: &Path, key: KeyType) {
    create_ca(
        &d.join("root"),
        &ca_options("CN=Root,O=Store", key, None),
        NOW,
    )
    .unwrap();
}

fn cert(d: &Path, name: &str, issuer: &str, key: KeyType, profile: Profile) {
    let opts = cert_options(&format!("CN={name},O=Org"), key, profile);
    create_cert(&d.join(name), &d.join(issuer), &opts, NOW).unwrap();
}

fn csr_opts(profile: Profile) -> SignCsrOptions {
    SignCsrOptions {
        profile,
        path_len: None,
        days: 365,
    }
}

#[test]
fn the_organization_keeps_its_key_and_gets_a_constrained_ca() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    root(p, KeyType::P256);
    let org = p.join("org");
    let csr = CsrOptions {
        subject: "CN=org,O=Org".into(),
        key: KeyType::P384,
        force: false,
    };
    let w = create_csr(&org, &csr).unwrap();
    assert_eq!(
        (w.csr.clone(), w.key.clone()),
        (org.join(CSR_FILE), org.join(KEY_FILE))
    );
    let key_before = std::fs::read(&w.key).unwrap();
    assert!(matches!(
        create_csr(&org, &csr),
        Err(PkiError::KeyExists { .. })
    ));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&w.key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let issued = sign_csr(&w.csr, &p.join("root"), &csr_opts(Profile::Ca), None, NOW).unwrap();
    assert_eq!(issued.cert, org.join(CERT_FILE));
    assert_eq!(issued.chain, org.join(CHAIN_FILE));
    // The key never left the organization: the issued certificate is its key's.
    assert_eq!(std::fs::read(&w.key).unwrap(), key_before);
    // pathLen 0: the organization issues code-signing certificates only.
    cert(p, "plugin", "org", KeyType::P256, Profile::CodeSigning);
    assert!(verify(&p.join("plugin"), &p.join("root")).is_ok());
    let sub = create_csr(
        &p.join("sub"),
        &CsrOptions {
            subject: "CN=sub".into(),
            key: KeyType::P256,
            force: false,
        },
    )
    .unwrap();
    let e = sign_csr(&sub.csr, &org, &csr_opts(Profile::Ca), None, NOW).unwrap_err();
    assert!(
        matches!(e, PkiError::PathLenExceeded { path_len: 0, .. }),
        "{e:?}"
    );
    // --out puts the certificate (and chain.pem) elsewhere.
    let out = p.join("elsewhere").join("sub.pem");
    let issued = sign_csr(
        &sub.csr,
        &org,
        &csr_opts(Profile::CodeSigning),
        Some(&out),
        NOW,
    )
    .unwrap();
    assert_eq!(issued.cert, out);
    assert_eq!(issued.chain, p.join("elsewhere").join(CHAIN_FILE));
    let chain = std::fs::read_to_string(&issued.chain).unwrap();
    assert_eq!(chain.matches("BEGIN CERTIFICATE").count(), 2);
}

#[test]
fn a_request_whose_signature_is_not_its_keys_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    root(p, KeyType::P256);
    let mk = |name: &str| {
        create_csr(
            &p.join(name),
            &CsrOptions {
                subject: format!("CN={name}"),
                key: KeyType::P256,
                force: false,
            },
        )
        .unwrap()
    };
    let (a, b) = (mk("a"), mk("b"));
    let read = |p: &Path| CertReq::from_pem(std::fs::read(p).unwrap()).unwrap();
    let mut forged = read(&a.csr);
    forged.signature = read(&b.csr).signature;
    let forged_path = p.join("forged.pem");
    std::fs::write(
        &forged_path,
        forged.to_pem(der::pem::LineEnding::LF).unwrap(),
    )
    .unwrap();
    let e = sign_csr(
        &forged_path,
        &p.join("root"),
        &csr_opts(Profile::CodeSigning),
        None,
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(&e, PkiError::CsrSignature { subject, .. } if subject == "CN=a"),
        "{e:?}"
    );
    std::fs::write(&forged_path, "not a request").unwrap();
    let e = sign_csr(
        &forged_path,
        &p.join("root"),
        &csr_opts(Profile::CodeSigning),
        None,
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, PkiError::BadFile { .. }), "{e:?}");
    assert!(check_csr(&a.csr, &std::fs::read(&a.csr).unwrap()).is_ok());
}

#[test]
fn ed25519_and_mldsa87_chains_verify() {
    for key in [KeyType::Ed25519, KeyType::MlDsa87] {
        let d = tempfile::tempdir().unwrap();
        let p = d.path();
        root(p, key);
        cert(p, "org", "root", key, Profile::Ca);
        cert(p, "plugin", "org", key, Profile::CodeSigning);
        let v = verify(&p.join("plugin"), &p.join("root"));
        assert!(v.is_ok(), "{key}: {v:?}");
        // A request of this key type is signed and accepted too.
        let w = create_csr(
            &p.join("req"),
            &CsrOptions {
                subject: "CN=req,O=Org".into(),
                key,
                force: false,
            },
        )
        .unwrap();
        sign_csr(
            &w.csr,
            &p.join("org"),
            &csr_opts(Profile::CodeSigning),
            None,
            NOW,
        )
        .unwrap();
        assert!(verify(&p.join("req"), &p.join("root")).is_ok(), "{key}");
        // A root of the same type that issued nothing anchors nothing.
        let other = tempfile::tempdir().unwrap();
        root(other.path(), key);
        let e = verify(&p.join("plugin"), &other.path().join("root"));
        assert!(e.is_err(), "{key}: {e:?}");
    }
}
