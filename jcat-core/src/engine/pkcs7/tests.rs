//! Chain, CRL and CMS rules with PKI built in Rust (ECDSA P-256: fast keygen).

use std::path::Path;

use der::flagset::FlagSet;
use x509_cert::ext::pkix::KeyUsages;

use crate::digest::{digest, DigestAlg};
use crate::engine::{ChainStrictness, SigError, TimeCheck, Verified};
use crate::sign::pkcs7::certgen::{self, CertSpec};
use crate::sign::pkcs7::key::PrivateKey;
use crate::sign::pkcs7::{assemble, attr, oid, set_of, tlv, SignedContent};
use crate::trust::x509::{ChainError, CrlProblem};
use crate::trust::TrustStore;
use crate::x509::cert::CertView;
use crate::{BlobKind, Limits};

const T0: i64 = 1_700_000_000;
const YEAR: i64 = 365 * 86_400;
const NOW: i64 = T0 + YEAR;

struct Pk {
    key: PrivateKey,
    der: Vec<u8>,
}

fn p256() -> PrivateKey {
    PrivateKey::P256(p256::ecdsa::SigningKey::random(&mut rand_core::OsRng))
}

fn ca_ku() -> FlagSet<KeyUsages> {
    KeyUsages::KeyCertSign | KeyUsages::CRLSign
}

fn spec(subject: &str, basic: Option<(bool, Option<u8>)>, ku: FlagSet<KeyUsages>) -> CertSpec {
    CertSpec {
        subject: subject.into(),
        serial: certgen::random_serial().unwrap(),
        not_before: T0,
        not_after: T0 + 10 * YEAR,
        basic,
        key_usage: Some(ku),
        eku: None,
        extra: Default::default(),
    }
}

fn issue(spec: &CertSpec, issuer: Option<&Pk>) -> Pk {
    let key = p256();
    let spki = key.spki_der().unwrap();
    let der = match issuer {
        Some(i) => {
            let v = CertView::parse(&i.der).unwrap();
            certgen::build(spec, &spki, &i.key, Some((v.subject, v.spki))).unwrap()
        }
        None => certgen::build(spec, &spki, &key, None).unwrap(),
    };
    Pk { key, der }
}

fn root(name: &str) -> Pk {
    issue(&spec(name, Some((true, None)), ca_ku()), None)
}

fn leaf(name: &str, issuer: &Pk) -> Pk {
    let mut s = spec(
        name,
        Some((false, None)),
        KeyUsages::DigitalSignature.into(),
    );
    s.eku = Some(vec![const_oid::db::rfc5280::ID_KP_CODE_SIGNING]);
    issue(&s, Some(issuer))
}

fn store(certs: &[&Pk], crls: &[Vec<u8>]) -> TrustStore {
    let mut t = TrustStore::new();
    let limits = Limits::default();
    for c in certs {
        t.add_bytes(Path::new("cert"), &c.der, &limits);
    }
    for c in crls {
        t.add_bytes(Path::new("crl"), c, &limits);
    }
    assert!(t.skipped().is_empty(), "{:?}", t.skipped());
    t
}

const PAYLOAD: &[u8] = b"plugin payload";

/// A CMS by `signer` embedding `chain` (signer first), with a key our
/// signer accepts (checked by signing once the normal way).
fn cms(signer: &Pk, chain: &[&Pk]) -> Vec<u8> {
    crate::sign::pkcs7::sign(
        crate::Payload::Bytes(PAYLOAD),
        pem_bundle(&[signer]).as_bytes(),
        signer.key.to_pem().unwrap().as_bytes(),
        NOW,
    )
    .unwrap();
    support::cms_raw(signer, chain)
}

fn pem_bundle(certs: &[&Pk]) -> String {
    certs
        .iter()
        .map(|c| {
            pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &c.der).unwrap()
        })
        .collect()
}

fn check(
    sig: &[u8],
    payload: &[u8],
    trust: &TrustStore,
    time: TimeCheck,
    chain: ChainStrictness,
) -> Result<Verified, SigError> {
    let mut policy = crate::verify::Policy::new(time);
    policy.chain = chain;
    crate::verify::verify_signature(BlobKind::Pkcs7, sig, payload, trust, &policy)
}

fn ok(sig: &[u8], trust: &TrustStore) -> Result<Verified, SigError> {
    check(
        sig,
        PAYLOAD,
        trust,
        TimeCheck::At(NOW),
        ChainStrictness::Reference,
    )
}

/// Root → Org (pathLen 0) → Plugin.
struct Jami {
    root: Pk,
    org: Pk,
    plugin: Pk,
}

fn jami() -> Jami {
    let root = root("CN=Store Root CA,O=Store");
    let org = issue(
        &spec("CN=Org,O=Store", Some((true, Some(0))), ca_ku()),
        Some(&root),
    );
    let plugin = leaf("CN=Plugin,O=Org", &org);
    Jami { root, org, plugin }
}

#[test]
fn valid_chain_and_result_fields() {
    let j = jami();
    let t = store(&[&j.root], &[]);
    let v = ok(&cms(&j.plugin, &[&j.plugin, &j.org]), &t).unwrap();
    assert_eq!(v.authority.as_deref(), Some("CN=Org,O=Store"));
    assert!(
        matches!(&v.chain[..], [
            crate::ChainEntry::Dn(a),
            crate::ChainEntry::Dn(b),
            crate::ChainEntry::Dn(c),
        ] if a == "CN=Plugin,O=Org" && b == "CN=Org,O=Store" && c == "CN=Store Root CA,O=Store"),
        "{:?}",
        v.chain
    );
    assert_eq!(v.timestamp, 1, "no signingTime attribute");
    let spki = CertView::parse(&j.plugin.der).unwrap().spki.to_vec();
    let sha: [u8; 32] = digest(DigestAlg::Sha256, &spki).try_into().unwrap();
    assert!(
        matches!(&v.keys[..], [crate::KeyId::X509 { spki_sha256 }] if *spki_sha256 == sha),
        "{:?}",
        v.keys
    );
    assert_eq!(
        v.keys[0].to_string(),
        format!("x509:{}", crate::digest::hex(&sha))
    );
    // Intermediate in the trust store instead of the CMS; any order of embedding.
    let t2 = store(&[&j.root, &j.org], &[]);
    assert!(ok(&cms(&j.plugin, &[&j.plugin]), &t2).is_ok());
    assert!(ok(&cms(&j.plugin, &[&j.org, &j.plugin]), &t).is_ok());
    // Strict passes for a codeSigning end-entity.
    assert!(check(
        &cms(&j.plugin, &[&j.plugin, &j.org]),
        PAYLOAD,
        &t,
        TimeCheck::At(NOW),
        ChainStrictness::Strict
    )
    .is_ok());
    // Missing intermediate: untrusted.
    assert!(matches!(
        ok(&cms(&j.plugin, &[&j.plugin]), &t),
        Err(SigError::Untrusted(_))
    ));
    // Wrong anchor.
    let other = root("CN=Other Root");
    assert!(matches!(
        ok(
            &cms(&j.plugin, &[&j.plugin, &j.org]),
            &store(&[&other], &[])
        ),
        Err(SigError::Untrusted(_))
    ));
}

#[test]
fn path_len_violated() {
    let j = jami();
    let sub = issue(&spec("CN=Sub", Some((true, None)), ca_ku()), Some(&j.org));
    let l = leaf("CN=Deep", &sub);
    let err = ok(&cms(&l, &[&l, &sub, &j.org]), &store(&[&j.root], &[])).unwrap_err();
    assert!(
        matches!(&err, SigError::Chain(ChainError::PathLenExceeded { issuer, path_len: 0, below: 1 }) if issuer == "CN=Org,O=Store"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "pathLenConstraint 0 of CN=Org,O=Store is exceeded (1 intermediate certificates below it)"
    );
}

#[test]
fn certificate_issued_by_non_ca() {
    let j = jami();
    let evil = leaf("CN=Evil", &j.plugin);
    let err = ok(
        &cms(&evil, &[&evil, &j.plugin, &j.org]),
        &store(&[&j.root], &[]),
    )
    .unwrap_err();
    assert!(
        matches!(&err, SigError::Chain(ChainError::NotCa { issuer, child }) if issuer == "CN=Plugin,O=Org" && child == "CN=Evil"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "CN=Plugin,O=Org is not a CA but issued CN=Evil"
    );
    // A CA without keyCertSign.
    let noku = issue(
        &spec(
            "CN=NoSign",
            Some((true, None)),
            KeyUsages::DigitalSignature.into(),
        ),
        Some(&j.root),
    );
    let l = leaf("CN=L", &noku);
    assert!(matches!(
        ok(&cms(&l, &[&l, &noku]), &store(&[&j.root], &[])),
        Err(SigError::Chain(ChainError::KeyCertSignMissing { .. }))
    ));
}

#[test]
fn ca_signing_directly_passes_reference_fails_strict() {
    let j = jami();
    let t = store(&[&j.root], &[]);
    let sig = cms(&j.org, &[&j.org]);
    assert!(check(
        &sig,
        PAYLOAD,
        &t,
        TimeCheck::At(NOW),
        ChainStrictness::Reference
    )
    .is_ok());
    let err = check(
        &sig,
        PAYLOAD,
        &t,
        TimeCheck::At(NOW),
        ChainStrictness::Strict,
    )
    .unwrap_err();
    assert!(
        matches!(&err, SigError::Chain(ChainError::SignerIsCa { subject }) if subject == "CN=Org,O=Store"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "signer CN=Org,O=Store is a CA certificate, not an end-entity certificate (strict chain)"
    );
    // The trusted leaf may be the signer itself (reference behaviour).
    assert!(ok(&cms(&j.plugin, &[&j.plugin]), &store(&[&j.plugin], &[])).is_ok());
}

#[test]
fn validity_periods() {
    let j = jami();
    let t = store(&[&j.root], &[]);
    let sig = cms(&j.plugin, &[&j.plugin, &j.org]);
    let end = T0 + 10 * YEAR;
    let at = |time| check(&sig, PAYLOAD, &t, time, ChainStrictness::Reference);
    assert!(
        matches!(at(TimeCheck::At(end + 1)), Err(SigError::CertExpired { not_after, .. }) if not_after == end)
    );
    assert!(
        matches!(at(TimeCheck::At(T0 - 1)), Err(SigError::CertNotYetValid { not_before, .. }) if not_before == T0)
    );
    assert!(at(TimeCheck::At(end)).is_ok());
    assert!(at(TimeCheck::Disabled).is_ok());
}

#[test]
fn signed_attributes_are_hashed_as_encoded() {
    let j = jami();
    let t = store(&[&j.root], &[]);
    let v = CertView::parse(&j.plugin.der).unwrap();
    let md = digest(DigestAlg::Sha256, PAYLOAD);
    let ct = attr(
        const_oid::db::rfc5911::ID_CONTENT_TYPE,
        oid(const_oid::db::rfc5911::ID_DATA),
    );
    let mdattr = attr(const_oid::db::rfc5911::ID_MESSAGE_DIGEST, tlv(0x04, &md));
    // Not in DER SET order: a verifier that re-encodes would hash other bytes.
    let (a, b) = if ct < mdattr {
        (mdattr.clone(), ct.clone())
    } else {
        (ct.clone(), mdattr.clone())
    };
    let unsorted = tlv(0x31, &[a, b].concat());
    assert_ne!(unsorted, set_of(vec![ct.clone(), mdattr.clone()]));
    let sig = assemble(
        &[j.plugin.der.clone(), j.org.der.clone()],
        &v,
        &j.plugin.key,
        SignedContent::Attrs(unsorted),
    )
    .unwrap();
    assert!(ok(&sig, &t).is_ok());
    // No signed attributes: signature over the payload digest.
    let sig = assemble(
        &[j.plugin.der.clone(), j.org.der.clone()],
        &v,
        &j.plugin.key,
        SignedContent::Digest(md),
    )
    .unwrap();
    assert_eq!(ok(&sig, &t).unwrap().timestamp, 1);
    assert!(matches!(
        check(
            &sig,
            b"other",
            &t,
            TimeCheck::At(NOW),
            ChainStrictness::Reference
        ),
        Err(SigError::BadSignature { .. })
    ));
    // contentType other than id-data is refused; messageDigest mismatch is a bad signature.
    let bad_ct = attr(
        const_oid::db::rfc5911::ID_CONTENT_TYPE,
        oid(const_oid::db::rfc5911::ID_SIGNED_DATA),
    );
    let sig = assemble(
        &[j.plugin.der.clone(), j.org.der.clone()],
        &v,
        &j.plugin.key,
        SignedContent::Attrs(set_of(vec![bad_ct, mdattr])),
    )
    .unwrap();
    assert!(matches!(ok(&sig, &t), Err(SigError::Refused(_))));
    let wrong_md = attr(
        const_oid::db::rfc5911::ID_MESSAGE_DIGEST,
        tlv(0x04, &[0u8; 32]),
    );
    let sig = assemble(
        &[j.plugin.der.clone(), j.org.der.clone()],
        &v,
        &j.plugin.key,
        SignedContent::Attrs(set_of(vec![ct, wrong_md])),
    )
    .unwrap();
    assert_eq!(
        ok(&sig, &t),
        Err(SigError::DigestMismatch {
            alg: "2.16.840.1.101.3.4.2.1".into()
        })
    );
}

#[test]
fn signer_only_in_trust_store_and_key_usage_rules() {
    let j = jami();
    let v = CertView::parse(&j.plugin.der).unwrap();
    let md = digest(DigestAlg::Sha256, PAYLOAD);
    // No embedded certificates, no signed attributes (libjcat self-sign shape).
    let sig = assemble(&[], &v, &j.plugin.key, SignedContent::Digest(md)).unwrap();
    assert!(ok(&sig, &store(&[&j.plugin], &[])).is_ok());
    assert!(
        matches!(ok(&sig, &store(&[&j.root], &[])), Err(SigError::Untrusted(crate::engine::Signer::IssuerSerial { issuer, .. })) if issuer == "CN=Org,O=Store")
    );
    // Trust-file key usage: keyEncipherment only is refused with GnuTLS's bits.
    let enc = issue(
        &spec("CN=Enc", None, KeyUsages::KeyEncipherment.into()),
        None,
    );
    let parsed = crate::trust::x509::parse_trust_file(&enc.der, &Limits::default()).unwrap();
    assert!(parsed.certs.is_empty());
    assert_eq!(
        parsed.rejected,
        vec!["certificate CN=Enc not suitable for use [0x20]".to_string()]
    );
    // No KeyUsage at all: accepted (documented difference).
    let mut s = spec("CN=NoKU", None, KeyUsages::DigitalSignature.into());
    s.key_usage = None;
    let noku = issue(&s, None);
    assert_eq!(
        crate::trust::x509::parse_trust_file(&noku.der, &Limits::default())
            .unwrap()
            .certs
            .len(),
        1
    );
}

mod bounds;
mod crls;
mod names;
mod rules;
mod support;
