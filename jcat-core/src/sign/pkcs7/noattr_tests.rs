//! ML-DSA signing without signed attributes ([`SignedForm::NoAttributes`],
//! RFC 9882 §3.3): the signature covers the payload itself, streamed into μ;
//! checked by our verifier and by PyPI `cryptography` over the payload.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::pq_tests::{check, pem, pki, pyca_verifies, python, store, Pki, NOW};
use super::SignedForm;
use crate::engine::pkcs7::parse;
use crate::engine::SigError;
use crate::sign::SignError;
use crate::x509::cert::CertView;
use crate::x509::mldsa::MlDsaSet;
use crate::{Limits, Payload};

fn sign_no_attrs(p: &Pki, payload: Payload<'_>) -> Result<Vec<u8>, SignError> {
    let chain = [pem("CERTIFICATE", &p.leaf), pem("CERTIFICATE", &p.ca)].concat();
    let key = p.key.to_pem().unwrap();
    super::sign_as(
        payload,
        &chain,
        key.as_bytes(),
        NOW,
        SignedForm::NoAttributes,
    )
}

#[test]
fn no_attribute_blobs_verify_for_every_set_and_carry_no_attributes() {
    for set in [MlDsaSet::MlDsa44, MlDsaSet::MlDsa65, MlDsaSet::MlDsa87] {
        let p = pki(set);
        let sig = sign_no_attrs(&p, Payload::Bytes(b"firmware")).unwrap();
        let der = parse::decode_pem_or_der(&sig).unwrap();
        let sd = parse::parse(&der, &Limits::default()).unwrap();
        assert!(sd.signers[0].attrs.is_none(), "{set}");
        let trust = store(&[&pem("CERTIFICATE", &p.ca)]);
        let v = check(&sig, b"firmware", &trust).unwrap_or_else(|e| panic!("{set}: {e}"));
        assert_eq!(v.authority.as_deref(), Some("CN=PQ Test CA,O=jcat tests"));
        let e = check(&sig, b"firmwarE", &trust).unwrap_err();
        assert!(matches!(e, SigError::BadSignature(_)), "{set}: {e:?}");
    }
}

/// Streamed from a file of several chunks, the signature is the one the
/// deterministic signer gives over the whole payload in memory.
#[test]
fn streamed_no_attribute_signature_equals_the_in_memory_one() {
    let p = pki(MlDsaSet::MlDsa87);
    let data = vec![0xa5u8; 3 * crate::payload::CHUNK + 11];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("payload");
    std::fs::write(&path, &data).unwrap();
    let super::key::PrivateKey::MlDsa(k) = &p.key else {
        unreachable!()
    };
    let (streamed, len) = k.sign_payload(Payload::File(&path)).unwrap();
    assert_eq!(len, data.len() as u64);
    assert_eq!(streamed, k.sign(&data).unwrap());
    let sig = sign_no_attrs(&p, Payload::File(&path)).unwrap();
    let trust = store(&[&pem("CERTIFICATE", &p.ca)]);
    assert!(check(&sig, &data, &trust).is_ok());
    // Verified from the file too: μ streamed in the item's one pass.
    let mut item = crate::Item::new("payload");
    item.add_blob(crate::Blob::new(
        crate::BlobKind::Pkcs7,
        crate::BlobFlags::IS_UTF8,
        sig,
        None,
    ));
    let policy = crate::Policy {
        time: crate::TimeCheck::At(NOW),
        ..crate::Policy::default()
    };
    let r = crate::verify_item(&item, Payload::File(&path), &trust, &policy);
    assert!(r.passed(), "{r:?}");
    std::fs::write(&path, [data.as_slice(), b"!"].concat()).unwrap();
    let r = crate::verify_item(&item, Payload::File(&path), &trust, &policy);
    assert!(!r.passed(), "{r:?}");
}

#[test]
fn no_attribute_form_is_refused_for_classical_keys_and_empty_payloads() {
    let p = pki(MlDsaSet::MlDsa65);
    assert!(matches!(
        sign_no_attrs(&p, Payload::Bytes(b"")),
        Err(SignError::NothingToDo)
    ));
    let key = super::key::PrivateKey::P256(p256::ecdsa::SigningKey::random(&mut rand_core::OsRng));
    let spec = super::certgen::CertSpec {
        subject: "CN=Classic,O=jcat tests".into(),
        serial: vec![1],
        not_before: NOW - 100,
        not_after: NOW + 100,
        basic: Some((false, None)),
        key_usage: Some(x509_cert::ext::pkix::KeyUsages::DigitalSignature.into()),
        eku: None,
        extra: Default::default(),
    };
    let cert = super::certgen::build(&spec, &key.spki_der().unwrap(), &key, None).unwrap();
    let classic = Pki {
        ca: cert.clone(),
        leaf: cert,
        key,
    };
    assert!(matches!(
        sign_no_attrs(&classic, Payload::Bytes(b"x")),
        Err(SignError::NoAttributesNeedsMlDsa)
    ));
}

#[test]
fn no_attribute_signature_verifies_with_pyca_cryptography() {
    let Some(py) = python() else { return };
    let p = pki(MlDsaSet::MlDsa87);
    let payload = b"payload signed without attributes";
    let sig = sign_no_attrs(&p, Payload::Bytes(payload)).unwrap();
    let der = parse::decode_pem_or_der(&sig).unwrap();
    let sd = parse::parse(&der, &Limits::default()).unwrap();
    let spki = CertView::parse(&p.leaf).unwrap().spki.to_vec();
    let si = &sd.signers[0];
    assert_eq!(
        pyca_verifies(&py, &spki, payload, si.signature).as_deref(),
        Some("MLDSA87PublicKey")
    );
    assert_eq!(
        pyca_verifies(&py, &spki, b"another payload", si.signature),
        None
    );
}
