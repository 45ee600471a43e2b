//! One regression test per certificate-profile and algorithm rule, asserting
//! the exact [`ChainError`] variant; certificates are made fresh here.

use super::support::*;
use super::*;
use crate::sign::pkcs7::certgen::{raw_ext, Extra};

#[test]
fn unknown_critical_extension_is_refused() {
    let r = root("CN=R");
    let ext = raw_ext(PRIVATE_OID.parse().unwrap(), true, vec![0x05, 0x00]).unwrap();
    let l = leaf_with(
        "CN=L",
        &r,
        Extra {
            extensions: vec![ext.clone()],
            ..Default::default()
        },
    );
    let err = verify_leaf(&l, &[], &store(&[&r], &[]));
    assert!(
        matches!(&err, SigError::X509(ChainError::CriticalExtensionUnknown { subject, oid }) if subject == "CN=L" && oid == PRIVATE_OID),
        "{err:?}"
    );
    // The same extension non-critical is ignored.
    let mut ext2 = ext;
    ext2.critical = false;
    let l = leaf_with(
        "CN=L2",
        &r,
        Extra {
            extensions: vec![ext2],
            ..Default::default()
        },
    );
    assert!(ok(&cms(&l, &[&l]), &store(&[&r], &[])).is_ok());
}

#[test]
fn duplicate_extension_is_refused() {
    let r = root("CN=R");
    let ext = raw_ext(PRIVATE_OID.parse().unwrap(), false, vec![0x05, 0x00]).unwrap();
    let l = leaf_with(
        "CN=L",
        &r,
        Extra {
            extensions: vec![ext.clone(), ext],
            ..Default::default()
        },
    );
    let err = verify_leaf(&l, &[], &store(&[&r], &[]));
    assert!(
        matches!(&err, SigError::X509(ChainError::DuplicateExtension { oid, .. }) if oid == PRIVATE_OID),
        "{err:?}"
    );
}

#[test]
fn inner_and_outer_signature_algorithms_must_match() {
    let r = root("CN=R");
    let other = spki::AlgorithmIdentifierOwned {
        oid: "1.2.840.10045.4.3.3".parse().unwrap(),
        parameters: None,
    };
    let l = leaf_with(
        "CN=L",
        &r,
        Extra {
            inner_alg: Some(other),
            ..Default::default()
        },
    );
    let err = verify_leaf(&l, &[], &store(&[&r], &[]));
    assert!(
        matches!(&err, SigError::X509(ChainError::SignatureAlgorithmMismatch { subject }) if subject == "CN=L"),
        "{err:?}"
    );
}

#[test]
fn weak_rsa_signer_is_refused_and_never_used_to_sign() {
    let r = root("CN=R");
    let weak = PrivateKey::generate_rsa(1024).unwrap();
    let spki = weak.spki_der().unwrap();
    let v = CertView::parse(&r.der).unwrap();
    let mut s = spec(
        "CN=Weak",
        Some((false, None)),
        KeyUsages::DigitalSignature.into(),
    );
    s.eku = None;
    let der = certgen::build(&s, &spki, &r.key, Some((v.subject, v.spki))).unwrap();
    let l = Pk { key: weak, der };
    // We refuse to sign with it…
    let refused = crate::sign::pkcs7::sign(
        crate::Payload::Bytes(PAYLOAD),
        pem_bundle(&[&l]).as_bytes(),
        l.key.to_pem().unwrap().as_bytes(),
        NOW,
    );
    assert!(
        matches!(
            refused,
            Err(crate::sign::SignError::WeakRsaKey { bits: 1024 })
        ),
        "{refused:?}"
    );
    // …and a signature made with it anyway does not verify.
    let err = verify_leaf(&l, &[], &store(&[&r], &[]));
    assert!(
        matches!(&err, SigError::X509(ChainError::WeakRsaKey { subject, bits: 1024 }) if subject == "CN=Weak"),
        "{err:?}"
    );
}

#[test]
fn weak_ed25519_and_unsupported_curves_are_refused() {
    let r = root("CN=R");
    let v = CertView::parse(&r.der).unwrap();
    // The identity point: small order.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let ed_spki = [
        &[
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ][..],
        &identity,
    ]
    .concat();
    let s = spec(
        "CN=Ed",
        Some((false, None)),
        KeyUsages::DigitalSignature.into(),
    );
    let der = certgen::build(&s, &ed_spki, &r.key, Some((v.subject, v.spki))).unwrap();
    let c = CertView::parse(&der).unwrap();
    assert!(matches!(
        crate::trust::x509::profile::key(&c),
        Err(ChainError::WeakEd25519Key { .. })
    ));
    // secp192r1 (1.2.840.10045.3.1.1) with some point.
    let oid192 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01];
    let alg = tlv(
        0x30,
        &[
            &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01][..],
            &oid192,
        ]
        .concat(),
    );
    let point = [vec![0x04], vec![7u8; 48]].concat();
    let p192 = tlv(
        0x30,
        &[alg, tlv(0x03, &[&[0u8][..], &point].concat())].concat(),
    );
    let der = certgen::build(&s, &p192, &r.key, Some((v.subject, v.spki))).unwrap();
    let c = CertView::parse(&der).unwrap();
    assert!(
        matches!(crate::trust::x509::profile::key(&c), Err(ChainError::UnsupportedCurve { curve, .. }) if curve == "1.2.840.10045.3.1.1")
    );
}

#[test]
fn serial_subject_and_key_usage_rules() {
    let r = root("CN=R");
    let t = store(&[&r], &[]);
    let mut s = spec(
        "CN=Zero",
        Some((false, None)),
        KeyUsages::DigitalSignature.into(),
    );
    s.serial = vec![0];
    let l = issue(&s, Some(&r));
    let err = verify_leaf(&l, &[], &t);
    assert!(
        matches!(
            &err,
            SigError::X509(ChainError::InvalidSerial {
                reason: "not positive",
                ..
            })
        ),
        "{err:?}"
    );
    // keyCertSign without cA.
    let l = issue(
        &spec(
            "CN=KCS",
            Some((false, None)),
            KeyUsages::DigitalSignature | KeyUsages::KeyCertSign,
        ),
        Some(&r),
    );
    let err = verify_leaf(&l, &[], &t);
    assert!(
        matches!(&err, SigError::X509(ChainError::InconsistentCaExtensions { subject }) if subject == "CN=KCS"),
        "{err:?}"
    );
    // A CA with an empty subject issuing.
    let ca = issue(
        &spec("CN=placeholder", Some((true, None)), ca_ku()),
        Some(&r),
    );
    let empty = resign(&ca, &r, |tbs| tbs.subject = Default::default());
    let l = leaf("CN=Under Empty", &empty);
    let err = verify_leaf(&l, &[&empty], &t);
    // The certificate it issued has an empty issuer: found first.
    assert!(
        matches!(&err, SigError::X509(ChainError::EmptyName { subject, field: "issuer" }) if subject == "CN=Under Empty"),
        "{err:?}"
    );
    // The CA itself, as an issuer on a path.
    let v = CertView::parse(&empty.der).unwrap();
    let role = crate::trust::x509::profile::Role {
        issues: true,
        signature_checked: true,
    };
    assert!(matches!(
        crate::trust::x509::profile::check_cert(&v, role),
        Err(ChainError::EmptyName {
            field: "subject",
            ..
        })
    ));
}

#[test]
fn key_identifiers_and_criticality() {
    let r = root("CN=R");
    let t = store(&[&r], &[]);
    let l = leaf_with(
        "CN=NoAki",
        &r,
        Extra {
            no_aki: true,
            ..Default::default()
        },
    );
    let err = verify_leaf(&l, &[], &t);
    assert!(
        matches!(
            &err,
            SigError::X509(ChainError::MissingKeyIdentifier {
                extension: "authorityKeyIdentifier",
                ..
            })
        ),
        "{err:?}"
    );
    let mut s = spec("CN=NoSki CA", Some((true, None)), ca_ku());
    s.extra.no_ski = true;
    let mid = issue(&s, Some(&r));
    let l = leaf("CN=L", &mid);
    let err = verify_leaf(&l, &[&mid], &t);
    assert!(
        matches!(&err, SigError::X509(ChainError::MissingKeyIdentifier { subject, extension: "subjectKeyIdentifier" }) if subject == "CN=NoSki CA"),
        "{err:?}"
    );
    let mut s = spec("CN=Soft CA", Some((true, None)), ca_ku());
    s.extra.basic_noncritical = true;
    let mid = issue(&s, Some(&r));
    let l = leaf("CN=L", &mid);
    let err = verify_leaf(&l, &[&mid], &t);
    assert!(
        matches!(
            &err,
            SigError::X509(ChainError::WrongCriticality {
                extension: "basicConstraints",
                must_be: "critical",
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn sha1_certificate_signatures_are_refused() {
    let r = root("CN=R");
    let l = leaf("CN=Sha1", &r);
    // ecdsa-with-SHA1, inner and outer, signed over the SHA-1 digest.
    let sha1 = spki::AlgorithmIdentifierOwned {
        oid: "1.2.840.10045.4.1".parse().unwrap(),
        parameters: None,
    };
    use der::{Decode, Encode};
    let mut c = x509_cert::Certificate::from_der(&l.der).unwrap();
    c.tbs_certificate.signature = sha1.clone();
    c.signature_algorithm = sha1;
    let tbs = c.tbs_certificate.to_der().unwrap();
    let sig = r.key.sign_digest(&digest(DigestAlg::Sha1, &tbs)).unwrap();
    c.signature = der::asn1::BitString::from_bytes(&sig).unwrap();
    let weak = Pk {
        key: l.key.clone(),
        der: c.to_der().unwrap(),
    };
    let err = verify_leaf(&weak, &[], &store(&[&r], &[]));
    assert!(
        matches!(&err, SigError::X509(ChainError::WeakDigest { subject, alg }) if subject == "CN=Sha1" && alg == "SHA-1"),
        "{err:?}"
    );
}
