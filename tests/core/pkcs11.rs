//! `sign::pkcs11` against a SoftHSM2 token: signatures that verify, and the
//! typed reasons a token is refused.

use jcat_core::sign::pkcs11::{self, Module, Pkcs11Error, Pkcs11Uri};
use jcat_core::sign::pki::{self, CaOptions, CertOptions, KeyType, Profile};
use jcat_core::sign::SignError;
use jcat_core::Payload;

#[path = "../common/softhsm.rs"]
mod softhsm;

const NOW: i64 = 1_767_225_600; // 2026-01-01

fn uri(s: &str) -> Pkcs11Uri {
    pkcs11::parse_uri(s).unwrap()
}

#[test]
fn module_that_does_not_load_is_a_typed_error() {
    let e = Module::load(std::path::Path::new("/nonexistent/libnothing.so")).unwrap_err();
    assert!(matches!(e, Pkcs11Error::ModuleLoad { .. }), "{e:?}");
}

/// The only test of this binary that uses a token: SoftHSM2 reads
/// `SOFTHSM2_CONF` from the process environment.
#[test]
fn softhsm_keys_sign_and_failures_are_typed() {
    let Some(hsm) = softhsm::token() else {
        return;
    };
    std::env::set_var("SOFTHSM2_CONF", &hsm.conf);
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("root");
    let ca = CaOptions::new("CN=Core Token Root,O=Vendor", KeyType::P256, 30);
    pki::create_ca(&root, &ca, NOW).unwrap();
    for (key, label, id) in [
        (KeyType::P384, "ec384", "02"),
        (KeyType::Rsa3072, "rsa", "03"),
    ] {
        let opts = CertOptions::new(
            format!("CN={label},O=Vendor"),
            key,
            10,
            Profile::CodeSigning,
        );
        let dir = d.path().join(label);
        pki::create_cert(&dir, &root, &opts, NOW).unwrap();
        hsm.import_key(&dir.join(pki::KEY_FILE), label, id);
        hsm.import_cert(&dir.join(pki::CERT_FILE), label, id);
    }
    let module = Module::load(&hsm.module).unwrap();
    let token = format!("pkcs11:token={}", softhsm::TOKEN.replace(' ', "%20"));
    let session = module.open(&uri(&token), Some(softhsm::PIN)).unwrap();

    // Both key types sign; the certificate comes from the token.
    for label in ["ec384", "rsa"] {
        let u = uri(&format!("{token};object={label}"));
        let key = session.private_key(&u, false).unwrap();
        let cert = session.certificate_pem(&u).unwrap();
        let pem = pkcs11::sign(Payload::Bytes(b"payload"), &cert, &key, NOW + 60).unwrap();
        assert!(pem.starts_with(b"-----BEGIN PKCS7-----"), "{label}");
    }
    assert_eq!(
        session
            .private_key(&uri(&format!("{token};object=ec384")), false)
            .unwrap()
            .key_type(),
        "ECDSA P-384"
    );
    // The key of another certificate is refused.
    let ec = session
        .private_key(&uri(&format!("{token};object=ec384")), false)
        .unwrap();
    let rsa_cert = session
        .certificate_pem(&uri(&format!("{token};object=rsa")))
        .unwrap();
    let e = pkcs11::sign(Payload::Bytes(b"x"), &rsa_cert, &ec, NOW).unwrap_err();
    assert!(matches!(e, SignError::TokenKeyMismatch { .. }), "{e:?}");

    let e = session
        .private_key(&uri(&format!("{token};object=ec384")), true)
        .unwrap_err();
    assert!(matches!(e, Pkcs11Error::PssNeedsRsa { .. }), "{e:?}");
    let e = session
        .private_key(&uri(&format!("{token};object=none")), false)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Pkcs11Error::ObjectNotFound {
                class: "private key",
                ..
            }
        ),
        "{e:?}"
    );
    let e = session.private_key(&uri(&token), false).unwrap_err();
    assert!(
        matches!(e, Pkcs11Error::Ambiguous { count: 2, .. }),
        "{e:?}"
    );
    let e = session
        .certificate_pem(&uri(&format!("{token};object=rsa;type=private")))
        .unwrap_err();
    assert!(
        matches!(
            e,
            Pkcs11Error::ObjectNotFound {
                class: "certificate",
                ..
            }
        ),
        "{e:?}"
    );

    let e = module
        .open(&uri("pkcs11:token=elsewhere"), Some(softhsm::PIN))
        .unwrap_err();
    assert!(matches!(e, Pkcs11Error::TokenNotFound { .. }), "{e:?}");
    drop((session, ec));
    let e = module.open(&uri(&token), Some("000000")).unwrap_err();
    assert!(matches!(e, Pkcs11Error::WrongPin { .. }), "{e:?}");
    assert!(!e.to_string().contains("000000"));
    let anonymous = module.open(&uri(&token), None).unwrap();
    let e = anonymous
        .private_key(&uri(&format!("{token};object=rsa")), false)
        .unwrap_err();
    assert!(matches!(e, Pkcs11Error::NoPin { .. }), "{e:?}");
}
