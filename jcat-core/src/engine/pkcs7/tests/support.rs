//! Helpers for the rule tests: certificates with departures from the
//! profile, CMS made with any key, CRLs with chosen extensions.

use super::*;
use crate::sign::pkcs7::certgen::{raw_ext, Extra};

/// A leaf under `issuer` with `extra` departures from the profile.
pub(super) fn leaf_with(name: &str, issuer: &Pk, extra: Extra) -> Pk {
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
pub(super) fn cms_raw(signer: &Pk, chain: &[&Pk]) -> Vec<u8> {
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

pub(super) fn verify_leaf(l: &Pk, chain: &[&Pk], trust: &TrustStore) -> SigError {
    let mut all = vec![l];
    all.extend(chain);
    ok(&cms_raw(l, &all), trust).unwrap_err()
}

/// `cert` with its tbsCertificate changed by `f` and signed again by `issuer`.
pub(super) fn resign(cert: &Pk, issuer: &Pk, f: impl FnOnce(&mut x509_cert::TbsCertificate)) -> Pk {
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

pub(super) const PRIVATE_OID: &str = "1.3.6.1.4.1.55738.666.1";

/// A root with critical nameConstraints `value`.
pub(super) fn constrained_root(value: Vec<u8>) -> Pk {
    let mut s = spec("CN=NC Root", Some((true, None)), ca_ku());
    s.extra.extensions =
        vec![raw_ext(const_oid::db::rfc5280::ID_CE_NAME_CONSTRAINTS, true, value).unwrap()];
    issue(&s, None)
}

pub(super) fn san(entries: Vec<u8>) -> Extra {
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

/// A CRL by `issuer` (no entries) with crlExtensions `exts`.
pub(super) fn crl_with(issuer: &Pk, exts: Vec<u8>) -> Vec<u8> {
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
