//! One regression test per path-validation rule, asserting the exact
//! [`ChainError`] variant; certificates are made fresh here.

use super::*;
use crate::sign::pkcs7::certgen::{raw_ext, Extra};
use crate::trust::x509::error::BudgetScope;

/// A leaf under `issuer` with `extra` departures from the profile.
fn leaf_with(name: &str, issuer: &Pk, extra: Extra) -> Pk {
    let mut s = spec(
        name,
        Some((false, None)),
        KeyUsages::DigitalSignature.into(),
    );
    s.extra = extra;
    issue(&s, Some(issuer))
}

/// A CMS by `signer` (any key, even one we refuse to sign with) embedding
/// `chain`, signed attributes without signingTime.
fn cms_raw(signer: &Pk, chain: &[&Pk]) -> Vec<u8> {
    let certs: Vec<Vec<u8>> = chain.iter().map(|c| c.der.clone()).collect();
    let v = CertView::parse(&signer.der).unwrap();
    let md = digest(DigestAlg::Sha256, PAYLOAD);
    let attrs = set_of(vec![
        attr(
            const_oid::db::rfc5911::ID_CONTENT_TYPE,
            oid(const_oid::db::rfc5911::ID_DATA),
        ),
        attr(const_oid::db::rfc5911::ID_MESSAGE_DIGEST, tlv(0x04, &md)),
    ]);
    assemble(&certs, &v, &signer.key, SignedContent::Attrs(attrs)).unwrap()
}

fn verify_leaf(l: &Pk, chain: &[&Pk], trust: &TrustStore) -> SigError {
    let mut all = vec![l];
    all.extend(chain);
    ok(&cms_raw(l, &all), trust).unwrap_err()
}

/// `cert` with its tbsCertificate changed by `f` and signed again by `issuer`.
fn resign(cert: &Pk, issuer: &Pk, f: impl FnOnce(&mut x509_cert::TbsCertificate)) -> Pk {
    use der::{Decode, Encode};
    let mut c = x509_cert::Certificate::from_der(&cert.der).unwrap();
    f(&mut c.tbs_certificate);
    let sig = issuer
        .key
        .sign(&c.tbs_certificate.to_der().unwrap())
        .unwrap();
    c.signature = der::asn1::BitString::from_bytes(&sig).unwrap();
    Pk {
        key: cert.key.clone(),
        der: c.to_der().unwrap(),
    }
}

const PRIVATE_OID: &str = "1.3.6.1.4.1.55738.666.1";

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
        super::super::profile::key(&c),
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
        matches!(super::super::profile::key(&c), Err(ChainError::UnsupportedCurve { curve, .. }) if curve == "1.2.840.10045.3.1.1")
    );
}

/// A root with critical nameConstraints `value`.
fn constrained_root(value: Vec<u8>) -> Pk {
    let mut s = spec("CN=NC Root", Some((true, None)), ca_ku());
    s.extra.extensions =
        vec![raw_ext(const_oid::db::rfc5280::ID_CE_NAME_CONSTRAINTS, true, value).unwrap()];
    issue(&s, None)
}

fn san(entries: Vec<u8>) -> Extra {
    Extra {
        extensions: vec![raw_ext(
            const_oid::db::rfc5280::ID_CE_SUBJECT_ALT_NAME,
            false,
            tlv(0x30, &entries),
        )
        .unwrap()],
        ..Default::default()
    }
}

#[test]
fn name_constraints_permit_exclude_and_refuse_unknown_forms() {
    // permitted dNSName example.com
    let permitted = tlv(0x30, &tlv(0xa0, &tlv(0x30, &tlv(0x82, b"example.com"))));
    let r = constrained_root(permitted);
    let t = store(&[&r], &[]);
    let good = leaf_with("CN=Good", &r, san(tlv(0x82, b"fw.example.com")));
    assert!(ok(&cms(&good, &[&good]), &t).is_ok());
    let bad = leaf_with("CN=Bad", &r, san(tlv(0x82, b"evil.org")));
    let err = verify_leaf(&bad, &[], &t);
    assert!(
        matches!(&err, SigError::X509(ChainError::NameConstraintViolation { subject, name, constrained_by })
            if subject == "CN=Bad" && name == "DNS:evil.org" && constrained_by == "CN=NC Root"),
        "{err:?}"
    );
    // excluded directoryName CN=Bad, through an intermediate.
    let dn = CertView::parse(&bad.der).unwrap().subject.to_vec();
    let excluded = tlv(0x30, &tlv(0xa1, &tlv(0x30, &tlv(0xa4, &dn))));
    let r2 = constrained_root(excluded);
    let mid = issue(&spec("CN=Mid", Some((true, None)), ca_ku()), Some(&r2));
    let l = leaf("CN=Bad", &mid);
    let err = verify_leaf(&l, &[&mid], &store(&[&r2], &[]));
    assert!(
        matches!(&err, SigError::X509(ChainError::NameConstraintViolation { name, .. }) if name == "DN:CN=Bad"),
        "{err:?}"
    );
    // A critical URI constraint with a URI name on the path: cannot be processed.
    let uri = tlv(
        0x30,
        &tlv(0xa1, &tlv(0x30, &tlv(0x86, b"https://example.com"))),
    );
    let r3 = constrained_root(uri);
    let l = leaf_with("CN=Uri", &r3, san(tlv(0x86, b"https://example.com/x")));
    let err = verify_leaf(&l, &[], &store(&[&r3], &[]));
    assert!(
        matches!(&err, SigError::X509(ChainError::NameConstraintUnsupported { subject, .. }) if subject == "CN=NC Root"),
        "{err:?}"
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

/// A CRL by `issuer` (no entries) with crlExtensions `exts`.
fn crl_with(issuer: &Pk, exts: Vec<u8>) -> Vec<u8> {
    let v = CertView::parse(&issuer.der).unwrap();
    let time = |t| der::Encode::to_der(&certgen::x509_time(t).unwrap()).unwrap();
    let alg = der::Encode::to_der(&issuer.key.cert_sig_alg()).unwrap();
    let tbs = tlv(
        0x30,
        &[
            tlv(0x02, &[1]),
            alg.clone(),
            v.subject.to_vec(),
            time(T0),
            time(NOW + YEAR),
            exts,
        ]
        .concat(),
    );
    let sig = issuer.key.sign(&tbs).unwrap();
    tlv(
        0x30,
        &[tbs, alg, tlv(0x03, &[&[0u8][..], &sig].concat())].concat(),
    )
}

#[test]
fn unusable_crls_fail_closed() {
    let j = jami();
    let sig = cms(&j.plugin, &[&j.plugin, &j.org]);
    let problem = |crl: Vec<u8>| match ok(&sig, &store(&[&j.root], &[crl])) {
        Err(SigError::X509(ChainError::CrlUnusable { problem, .. })) => problem,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        problem(crl_with(&j.org, Vec::new())),
        CrlProblem::CrlNumberMissing
    );
    assert_eq!(
        problem(crl_with(&j.org, super::crl_number_ext(true))),
        CrlProblem::CrlNumberCritical
    );
    // An issuer without cRLSign.
    let org = issue(
        &spec(
            "CN=Org NoCrl",
            Some((true, Some(0))),
            KeyUsages::KeyCertSign.into(),
        ),
        Some(&j.root),
    );
    let l = leaf("CN=P", &org);
    let err = ok(
        &cms(&l, &[&l, &org]),
        &store(&[&j.root], &[crl_with(&org, super::crl_number_ext(false))]),
    )
    .unwrap_err();
    assert!(
        matches!(
            &err,
            SigError::X509(ChainError::CrlUnusable {
                problem: CrlProblem::IssuerLacksCrlSign,
                ..
            })
        ),
        "{err:?}"
    );
    // A good CRL of that issuer that lists nothing: passes.
    assert!(ok(
        &sig,
        &store(
            &[&j.root],
            &[crl_with(&j.org, super::crl_number_ext(false))]
        )
    )
    .is_ok());
}

#[test]
fn signing_time_later_than_verification_time_fails() {
    let j = jami();
    let t = store(&[&j.root], &[]);
    let signed_at = NOW + 3600;
    let sig = crate::sign::pkcs7::sign(
        crate::Payload::Bytes(PAYLOAD),
        pem_bundle(&[&j.plugin, &j.org]).as_bytes(),
        j.plugin.key.to_pem().unwrap().as_bytes(),
        signed_at,
    )
    .unwrap();
    let err = ok(&sig, &t).unwrap_err();
    assert!(
        matches!(err, SigError::X509(ChainError::SigningTimeInFuture { signing_time, at }) if signing_time == signed_at && at == NOW),
        "{err:?}"
    );
    // Within the skew, and at a later time: passes.
    let at = |time| {
        check(
            &sig,
            PAYLOAD,
            &t,
            TimeCheck::At(time),
            ChainStrictness::Reference,
        )
    };
    assert!(at(signed_at - crate::trust::x509::chain::SIGNING_TIME_SKEW).is_ok());
    assert!(at(signed_at + 1).is_ok());
}

#[test]
fn budget_exhaustion_is_fatal_per_blob_and_per_run() {
    let j = jami();
    let t = store(&[&j.root], &[]);
    let sig = cms(&j.plugin, &[&j.plugin, &j.org]);
    let with = |limits: &Limits, trust: &TrustStore| {
        let ctx = VerifyContext {
            trust,
            time: TimeCheck::At(NOW),
            chain: ChainStrictness::Reference,
            limits,
        };
        engine::check_bytes(
            engine::prepare(BlobKind::Pkcs7, &sig, &ctx).unwrap(),
            PAYLOAD,
            &ctx,
        )
    };
    let limits = Limits {
        // The signer and one link; the second link is over.
        max_signature_checks_per_blob: 2,
        ..Limits::default()
    };
    let err = with(&limits, &t).unwrap_err();
    assert!(
        matches!(
            err,
            SigError::X509(ChainError::BudgetExhausted {
                checks: 2,
                max: 2,
                scope: BudgetScope::Blob
            })
        ),
        "{err:?}"
    );
    // Per run: the first blob uses 3 checks; a second one (new key material) finds none left.
    let limits = Limits {
        max_signature_checks_per_run: 4,
        ..Limits::default()
    };
    let fresh = store(&[&j.root], &[]);
    assert!(with(&limits, &fresh).is_ok());
    let other = leaf("CN=Other", &j.org);
    let sig2 = cms(&other, &[&other, &j.org]);
    let ctx = VerifyContext {
        trust: &fresh,
        time: TimeCheck::At(NOW),
        chain: ChainStrictness::Reference,
        limits: &limits,
    };
    let err = engine::check_bytes(
        engine::prepare(BlobKind::Pkcs7, &sig2, &ctx).unwrap(),
        PAYLOAD,
        &ctx,
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            SigError::X509(ChainError::BudgetExhausted {
                scope: BudgetScope::Run,
                max: 4,
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn crl_option_refuses_a_crl_its_trusted_issuer_cannot_use() {
    let j = jami();
    let mut t = store(&[&j.root], &[]);
    let limits = Limits::default();
    // Made by another key under the root's name: refused when loading.
    let impostor = root("CN=Store Root CA,O=Store");
    let forged = crl_with(&impostor, super::crl_number_ext(false));
    let err = t.add_crl_bytes(Path::new("forged.crl"), &forged, &limits);
    assert!(
        matches!(&err, Err(m) if m.contains("cannot be used: its signature does not verify")),
        "{err:?}"
    );
    // Missing CRLNumber: refused too.
    let bare = crl_with(&j.root, Vec::new());
    assert!(t
        .add_crl_bytes(Path::new("bare.crl"), &bare, &limits)
        .is_err());
    // The root's own CRL, and one of an issuer not (yet) trusted, load.
    let good = crl_with(&j.root, super::crl_number_ext(false));
    assert_eq!(
        t.add_crl_bytes(Path::new("good.crl"), &good, &limits),
        Ok(1)
    );
    let orgs = crl_with(&j.org, super::crl_number_ext(false));
    assert_eq!(t.add_crl_bytes(Path::new("org.crl"), &orgs, &limits), Ok(1));
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
