#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;

use super::fixture::{ca_options, cert_options, check, NOW, PAYLOAD};
use super::*;
use crate::engine::SigError;
use crate::time::ChainStrictness;
use crate::time::TimeCheck;
use crate::trust::TrustStore;
use crate::{BlobKind, Limits};

fn ca(dir: &Path, subject: &str, path_len: Option<u8>) {
    create_ca(dir, &ca_options(subject, KeyType::P256, path_len), NOW).unwrap();
}

fn cert_opts(subject: &str, profile: Profile) -> CertOptions {
    cert_options(subject, KeyType::P256, profile)
}

#[test]
fn root_organization_plugin_chain_verifies_strictly() {
    let d = tempfile::tempdir().unwrap();
    let (root, org, plugin) = (
        d.path().join("root"),
        d.path().join("org"),
        d.path().join("plugin"),
    );
    ca(&root, "CN=Root CA,O=Store", None);
    create_cert(
        &org,
        &root,
        &cert_opts("CN=Organization,O=Org", Profile::Ca),
        NOW,
    )
    .unwrap();
    create_cert(
        &plugin,
        &org,
        &cert_opts("CN=Plugin,O=Org", Profile::CodeSigning),
        NOW,
    )
    .unwrap();
    let v = check(&plugin, &[&root], ChainStrictness::Strict);
    assert!(v.is_ok(), "{v:?}");
    // Serials are issuer-relative: the root's first, the organization's first.
    assert_eq!(
        std::fs::read_to_string(root.join(SERIAL_FILE)).unwrap(),
        "1\n"
    );
    assert_eq!(
        std::fs::read_to_string(org.join(SERIAL_FILE)).unwrap(),
        "1\n"
    );
    assert!(!plugin.join(SERIAL_FILE).exists());
}

#[test]
fn keys_are_private_and_never_overwritten() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    ca(d.path(), "CN=Root", None);
    let mode = std::fs::metadata(d.path().join(KEY_FILE))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let before = std::fs::read(d.path().join(KEY_FILE)).unwrap();
    let opts = CaOptions {
        subject: "CN=Other".to_owned(),
        key: KeyType::P256,
        days: 1,
        path_len: None,
        force: false,
    };
    let e = create_ca(d.path(), &opts, NOW).unwrap_err();
    assert!(matches!(e, PkiError::KeyExists { .. }), "{e:?}");
    assert_eq!(std::fs::read(d.path().join(KEY_FILE)).unwrap(), before);
    create_ca(
        d.path(),
        &CaOptions {
            force: true,
            ..opts
        },
        NOW,
    )
    .unwrap();
    assert_ne!(std::fs::read(d.path().join(KEY_FILE)).unwrap(), before);
}

#[test]
fn constraints_are_enforced_when_issuing() {
    let d = tempfile::tempdir().unwrap();
    let (root, org, plugin) = (
        d.path().join("root"),
        d.path().join("org"),
        d.path().join("plugin"),
    );
    ca(&root, "CN=Root CA", None);
    create_cert(&org, &root, &cert_opts("CN=Org", Profile::Ca), NOW).unwrap();
    create_cert(
        &plugin,
        &org,
        &cert_opts("CN=Plugin", Profile::CodeSigning),
        NOW,
    )
    .unwrap();
    // The plugin certificate signs files, never certificates.
    let e = create_cert(
        &d.path().join("x"),
        &plugin,
        &cert_opts("CN=X", Profile::CodeSigning),
        NOW,
    )
    .unwrap_err();
    assert!(matches!(e, PkiError::IssuerNotCa { .. }), "{e:?}");
    // The organization (pathLen 0) may not issue an intermediate.
    let e = create_cert(
        &d.path().join("y"),
        &org,
        &cert_opts("CN=Y", Profile::Ca),
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            PkiError::PathLenExceeded {
                path_len: 0,
                wanted: 0,
                ..
            }
        ),
        "{e:?}"
    );
    // An expired issuer issues nothing.
    let e = create_cert(
        &d.path().join("z"),
        &root,
        &cert_opts("CN=Z", Profile::CodeSigning),
        NOW + 3651 * 86_400,
    )
    .unwrap_err();
    assert!(matches!(e, PkiError::IssuerExpired { .. }), "{e:?}");
}

#[test]
fn validity_is_cut_to_the_issuers() {
    let d = tempfile::tempdir().unwrap();
    let (root, leaf) = (d.path().join("root"), d.path().join("leaf"));
    let opts = CaOptions {
        subject: "CN=Short Root".to_owned(),
        key: KeyType::P256,
        days: 10,
        path_len: Some(0),
        force: false,
    };
    create_ca(&root, &opts, NOW).unwrap();
    let mut o = cert_opts("CN=Leaf", Profile::CodeSigning);
    o.days = 3650;
    create_cert(&leaf, &root, &o, NOW).unwrap();
    let issuer = issue::Issuer::load(&root).unwrap();
    let pem = std::fs::read(leaf.join(CERT_FILE)).unwrap();
    let cert = <x509_cert::Certificate as der::DecodePem>::from_pem(&pem).unwrap();
    let na = cert
        .tbs_certificate
        .validity
        .not_after
        .to_unix_duration()
        .as_secs();
    assert_eq!(na as i64, issuer.validity().1);
}

#[test]
fn unsupported_and_unknown_key_types_and_bad_input() {
    let d = tempfile::tempdir().unwrap();
    let mut opts = CaOptions {
        subject: "CN=Root".to_owned(),
        key: KeyType::P256,
        days: 10,
        path_len: None,
        force: false,
    };
    assert!(matches!(
        "dsa".parse::<KeyType>(),
        Err(PkiError::UnknownKeyType { .. })
    ));
    assert_eq!("p384".parse::<KeyType>().unwrap(), KeyType::P384);
    opts.days = 0;
    assert!(matches!(
        create_ca(d.path(), &opts, NOW),
        Err(PkiError::BadDays { days: 0 })
    ));
    opts.days = 1;
    opts.subject = "not a dn".to_owned();
    assert!(matches!(
        create_ca(d.path(), &opts, NOW),
        Err(PkiError::BadSubject { .. })
    ));
    assert!(!d.path().join(KEY_FILE).exists());
}

#[test]
fn raw_ed25519_pair_signs_and_verifies() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let [secret, public] = create_ed25519_key(d.path(), false).unwrap();
    assert_eq!(
        std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let (s, p) = (
        std::fs::read(&secret).unwrap(),
        std::fs::read(&public).unwrap(),
    );
    assert_eq!((s.len(), p.len()), (32, 32));
    crate::sign::ed25519_sign_with(&p, &s, crate::Payload::Bytes(b"x")).unwrap();
    let e = create_ed25519_key(d.path(), false).unwrap_err();
    assert!(matches!(e, PkiError::KeyExists { .. }));
    assert_eq!(std::fs::read(&secret).unwrap(), s);
}

#[test]
fn crls_are_numbered_and_only_the_issuer_revokes() {
    let d = tempfile::tempdir().unwrap();
    let (root, org, plugin) = (
        d.path().join("root"),
        d.path().join("org"),
        d.path().join("plugin"),
    );
    ca(&root, "CN=Root CA", None);
    create_cert(&org, &root, &cert_opts("CN=Org", Profile::Ca), NOW).unwrap();
    create_cert(
        &plugin,
        &org,
        &cert_opts("CN=Plugin", Profile::CodeSigning),
        NOW,
    )
    .unwrap();
    let pem = std::fs::read(plugin.join(CERT_FILE)).unwrap();
    let e = revoke(&root, &pem, RevocationReason::KeyCompromise, 30, None, NOW).unwrap_err();
    assert!(matches!(e, PkiError::NotIssuedBy { .. }), "{e:?}");
    let e = revoke(
        &plugin,
        &pem,
        RevocationReason::KeyCompromise,
        30,
        None,
        NOW,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            PkiError::NotIssuedBy { .. } | PkiError::IssuerCannotSignCrls { .. }
        ),
        "{e:?}"
    );
    assert!(matches!(
        "stolen".parse::<RevocationReason>(),
        Err(PkiError::UnknownReason { .. })
    ));
    assert_eq!(
        "cACompromise".parse::<RevocationReason>().unwrap().code(),
        2
    );
    let out = create_crl(&org, 30, None, NOW).unwrap();
    assert_eq!(out, org.join(CRL_FILE));
    revoke(&org, &pem, RevocationReason::Superseded, 30, None, NOW + 10).unwrap();
    revoke(
        &org,
        &pem,
        RevocationReason::KeyCompromise,
        30,
        None,
        NOW + 20,
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(org.join(CRL_NUMBER_FILE)).unwrap(),
        "3\n"
    );
    let listed = std::fs::read_to_string(org.join(REVOKED_FILE)).unwrap();
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(listed.contains("superseded"), "{listed}");
    // Our verifier refuses the revoked signer, with the reason.
    let limits = Limits::default();
    let mut t = TrustStore::new();
    t.add_file(&root.join(CERT_FILE), &limits);
    t.add_file(&org.join(CRL_FILE), &limits);
    assert!(t.skipped().is_empty(), "{:?}", t.skipped());
    let chain = std::fs::read(plugin.join(CHAIN_FILE)).unwrap();
    let key = std::fs::read(plugin.join(KEY_FILE)).unwrap();
    let sig =
        crate::sign::pkcs7::sign(crate::Payload::Bytes(PAYLOAD), &chain, &key, NOW + 60).unwrap();
    let policy = crate::verify::Policy::new(TimeCheck::At(NOW + 120));
    let r = crate::verify::verify_signature(BlobKind::Pkcs7, &sig, PAYLOAD, &t, &policy);
    match r {
        Err(SigError::Revoked { reason, .. }) => assert_eq!(reason, Some("superseded")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rehash_links_by_subject_hash_with_collisions_numbered() {
    let d = tempfile::tempdir().unwrap();
    let (a, b, t) = (
        d.path().join("a"),
        d.path().join("b"),
        d.path().join("trust"),
    );
    ca(&a, "CN=Same Name", None);
    ca(&b, "CN=Same Name", None);
    std::fs::create_dir(&t).unwrap();
    std::fs::copy(a.join(CERT_FILE), t.join("a.pem")).unwrap();
    std::fs::copy(b.join(CERT_FILE), t.join("b.pem")).unwrap();
    std::fs::copy(a.join(CERT_FILE), t.join("a-again.crt")).unwrap();
    std::fs::write(t.join("notes.pem"), b"not a certificate").unwrap();
    let made = rehash(&t).unwrap();
    let links: Vec<String> = made
        .iter()
        .map(|(l, target)| format!("{} {target}", l.file_name().unwrap().to_string_lossy()))
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    let stem = &links[0][..8];
    assert!(
        links[0].ends_with(".0 a-again.crt") && links[1] == format!("{stem}.1 b.pem"),
        "{links:?}"
    );
    // Running again replaces the links, it does not add more.
    assert_eq!(rehash(&t).unwrap().len(), 2);
    assert_eq!(std::fs::read_dir(&t).unwrap().count(), 6);
}

#[test]
fn subject_hash_canonicalises_case_and_white_space() {
    use der::Encode;
    use std::str::FromStr;
    let name = |s: &str| {
        x509_cert::name::Name::from_str(s)
            .unwrap()
            .to_der()
            .unwrap()
    };
    assert_eq!(
        subject_hash(&name("CN=ACME  Root,O=Acme")).unwrap(),
        subject_hash(&name("CN=acme root,O=ACME")).unwrap()
    );
    assert_ne!(
        subject_hash(&name("CN=acme root,O=ACME")).unwrap(),
        subject_hash(&name("CN=acme roots,O=ACME")).unwrap()
    );
}
