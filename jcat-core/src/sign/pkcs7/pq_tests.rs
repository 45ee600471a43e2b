//! ML-DSA signing: RFC 9881 private keys (seed / both / expanded / bad),
//! fresh ML-DSA PKIs from our certificate generator (pinned times), our
//! RFC 9882 output verified by our verifier and by an independent ML-DSA
//! implementation (PyPI `cryptography`, `JCAT_PYTHON` or `python3`) over
//! the exact signed-attribute bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use x509_cert::ext::pkix::KeyUsages;

use super::certgen::{self, CertSpec};
use super::key::PrivateKey;
use super::mldsa_key::MlDsaKey;
use super::MlDsaKeyError;
use crate::engine::{SigError, Verified};
use crate::sign::SignError;
use crate::time::TimeCheck;
use crate::trust::TrustStore;
use crate::verify::{verify_signature, Policy};
use crate::x509::cert::CertView;
use crate::x509::mldsa::MlDsaSet;
use crate::{BlobKind, Limits, Payload};

const T0: i64 = 1_767_225_600; // 2026-01-01
const YEAR: i64 = 31_536_000;
pub(super) const NOW: i64 = T0 + YEAR;

fn shared(rel: &str) -> Option<PathBuf> {
    let root = match std::env::var_os("JCAT_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    if !root.is_dir() {
        assert!(
            std::env::var("CI").map(|v| v != "true").unwrap_or(true),
            "CI=true but the shared corpus is missing at {}",
            root.display()
        );
        println!(
            "SKIPPED: the shared corpus is not at {} (needed: {rel})",
            root.display()
        );
        return None;
    }
    Some(root.join(rel))
}

pub(super) fn store(pems_or_ders: &[&[u8]]) -> TrustStore {
    let mut t = TrustStore::new();
    for (i, b) in pems_or_ders.iter().enumerate() {
        t.add_bytes(
            std::path::Path::new(&format!("t{i}.pem")),
            b,
            &Limits::default(),
        );
    }
    t
}

pub(super) fn check(sig: &[u8], payload: &[u8], trust: &TrustStore) -> Result<Verified, SigError> {
    verify_signature(
        BlobKind::Pkcs7,
        sig,
        payload,
        trust,
        &Policy::new(TimeCheck::At(NOW)),
    )
}

pub(super) fn pem(label: &str, der: &[u8]) -> Vec<u8> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .unwrap()
        .into_bytes()
}

pub(super) struct Pki {
    pub ca: Vec<u8>,
    pub leaf: Vec<u8>,
    pub key: PrivateKey,
}

/// CA (ML-DSA-87) → signer (`set`), pinned validity.
pub(super) fn pki(set: MlDsaSet) -> Pki {
    let ca_key = PrivateKey::MlDsa(MlDsaKey::from_seed(MlDsaSet::MlDsa87, [1; 32]));
    let ca_spec = CertSpec {
        subject: "CN=PQ Test CA,O=jcat tests".into(),
        serial: vec![1],
        not_before: T0,
        not_after: T0 + 10 * YEAR,
        basic: Some((true, None)),
        key_usage: Some(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        eku: None,
        extra: Default::default(),
    };
    let ca = certgen::build(&ca_spec, &ca_key.spki_der().unwrap(), &ca_key, None).unwrap();
    let key = PrivateKey::MlDsa(MlDsaKey::from_seed(set, [2; 32]));
    let leaf_spec = CertSpec {
        subject: "CN=PQ Signer,O=jcat tests".into(),
        serial: vec![2],
        basic: Some((false, None)),
        key_usage: Some(KeyUsages::DigitalSignature.into()),
        eku: Some(vec![const_oid::db::rfc5280::ID_KP_CODE_SIGNING]),
        ..ca_spec
    };
    let v = CertView::parse(&ca).unwrap();
    let leaf = certgen::build(
        &leaf_spec,
        &key.spki_der().unwrap(),
        &ca_key,
        Some((v.subject, v.spki)),
    )
    .unwrap();
    Pki { ca, leaf, key }
}

pub(super) fn sign(p: &Pki, payload: &[u8]) -> Vec<u8> {
    let chain = [pem("CERTIFICATE", &p.leaf), pem("CERTIFICATE", &p.ca)].concat();
    let key = p.key.to_pem().unwrap();
    super::sign(Payload::Bytes(payload), &chain, key.as_bytes(), NOW - 10).unwrap()
}

#[test]
fn fresh_mldsa_pkis_sign_and_verify_for_every_set() {
    for set in [MlDsaSet::MlDsa44, MlDsaSet::MlDsa65, MlDsaSet::MlDsa87] {
        let p = pki(set);
        let sig = sign(&p, b"firmware");
        let trust = store(&[&pem("CERTIFICATE", &p.ca)]);
        let v = check(&sig, b"firmware", &trust).unwrap_or_else(|e| panic!("{set}: {e}"));
        assert_eq!(v.authority.as_deref(), Some("CN=PQ Test CA,O=jcat tests"));
        let e = check(&sig, b"firmwarE", &trust).unwrap_err();
        assert!(
            matches!(
                e,
                SigError::BadSignature { .. } | SigError::DigestMismatch { .. }
            ),
            "{set}: {e:?}"
        );
    }
}

#[test]
fn rfc9881_private_key_forms() {
    for n in ["44", "65", "87"] {
        let dir = match shared("corpus/pq/real/lamps-wg-dilithium-certificates/examples") {
            Some(d) => d,
            None => return,
        };
        let crt = std::fs::read(dir.join(format!("ML-DSA-{n}.crt"))).unwrap();
        let (_, crt_der) = pem_rfc7468::decode_vec(&crt).unwrap();
        let spki = CertView::parse(&crt_der).unwrap().spki.to_vec();
        // Expanded-only keys are checked (ranges, t0, tr), then usable and
        // written back in the same form.
        for form in ["seed", "both", "expanded"] {
            let k = PrivateKey::from_pem(
                &std::fs::read(dir.join(format!("ML-DSA-{n}-{form}.priv"))).unwrap(),
            )
            .unwrap_or_else(|e| panic!("{n} {form}: {e}"));
            assert_eq!(k.spki_der().unwrap(), spki, "{n} {form}");
            let again = PrivateKey::from_pem(k.to_pem().unwrap().as_bytes()).unwrap();
            for key in [&k, &again] {
                let expanded_only = matches!(key, PrivateKey::MlDsa(m) if m.is_expanded_only());
                assert_eq!(expanded_only, form == "expanded", "{n} {form}");
            }
            // Signing with it and the RFC 9881 certificate verifies.
            let sig = super::sign(
                Payload::Bytes(b"x"),
                &crt,
                k.to_pem().unwrap().as_bytes(),
                NOW,
            )
            .unwrap();
            let trust = store(&[&crt]);
            let policy = Policy::new(TimeCheck::Disabled);
            let v = verify_signature(BlobKind::Pkcs7, &sig, b"x", &trust, &policy);
            assert!(v.is_ok(), "{n} {form}: {v:?}");
        }
    }
    // The three inconsistent RFC 9881 keys, each for its own reason: a both
    // form whose expandedKey is not its seed's, an expanded key with a
    // changed tr, one with a changed t0.
    let dir = shared("corpus/pq/real/lamps-wg-dilithium-certificates/examples").unwrap();
    let bad = |i: u8| {
        PrivateKey::from_pem(&std::fs::read(dir.join(format!("bad-ML-DSA-44-{i}.priv"))).unwrap())
            .err()
            .unwrap()
    };
    let set = MlDsaSet::MlDsa44;
    assert!(
        matches!(bad(1), SignError::MlDsaKey(MlDsaKeyError::SeedMismatch { set: s }) if s == set),
        "{:?}",
        bad(1)
    );
    assert!(
        matches!(bad(2), SignError::MlDsaKey(MlDsaKeyError::TrMismatch { set: s }) if s == set),
        "{:?}",
        bad(2)
    );
    assert!(
        matches!(bad(3), SignError::MlDsaKey(MlDsaKeyError::T0Mismatch { set: s }) if s == set),
        "{:?}",
        bad(3)
    );
}

/// An expanded key with an s1 coefficient out of range is refused with a
/// typed error before the crate's decoder (which would panic) sees it.
#[test]
fn expanded_key_out_of_range_is_refused_not_a_panic() {
    #[allow(deprecated)]
    let mut exp = ml_dsa::SigningKey::<ml_dsa::MlDsa87>::from_seed(&[4; 32].into())
        .expanded_key()
        .to_expanded()
        .to_vec();
    exp[128] = 0xff;
    let e = MlDsaKey::from_expanded(MlDsaSet::MlDsa87, &exp)
        .err()
        .unwrap();
    assert_eq!(
        e,
        MlDsaKeyError::CoefficientRange {
            set: MlDsaSet::MlDsa87,
            part: "s1"
        }
    );
    let e = MlDsaKey::from_expanded(MlDsaSet::MlDsa65, &exp)
        .err()
        .unwrap();
    assert!(matches!(e, MlDsaKeyError::ExpandedLength { .. }), "{e:?}");
}

#[test]
fn seed_form_round_trips() {
    let k = PrivateKey::MlDsa(MlDsaKey::from_seed(MlDsaSet::MlDsa65, [9; 32]));
    let again = PrivateKey::from_pem(k.to_pem().unwrap().as_bytes()).unwrap();
    assert_eq!(k.spki_der().unwrap(), again.spki_der().unwrap());
}

/// The interpreter with PyPI `cryptography` ML-DSA, if any.
pub(super) fn python() -> Option<String> {
    let py = std::env::var("JCAT_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = std::process::Command::new(&py)
        .args([
            "-c",
            "from cryptography.hazmat.primitives.asymmetric import mldsa",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(py);
    }
    assert!(
        std::env::var("CI").map(|v| v != "true").unwrap_or(true),
        "CI=true but {py} has no cryptography with ML-DSA (set JCAT_PYTHON)"
    );
    println!("SKIPPED: {py} has no PyPI cryptography with ML-DSA (set JCAT_PYTHON)");
    None
}

/// Whether PyPI `cryptography` (interpreter `py`) verifies `sig` over
/// `msg` with the SubjectPublicKeyInfo `spki` (pure ML-DSA, empty context);
/// the key's class name on success.
pub(super) fn pyca_verifies(py: &str, spki: &[u8], msg: &[u8], sig: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("spki"), spki).unwrap();
    std::fs::write(dir.path().join("msg"), msg).unwrap();
    std::fs::write(dir.path().join("sig"), sig).unwrap();
    let script = "import sys\nfrom cryptography.hazmat.primitives.serialization import load_der_public_key\nd=sys.argv[1]\nk=load_der_public_key(open(d+'/spki','rb').read())\nk.verify(open(d+'/sig','rb').read(), open(d+'/msg','rb').read())\nprint(type(k).__name__)\n";
    let out = std::process::Command::new(py)
        .args(["-c", script, dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[test]
fn our_mldsa_signatures_verify_with_pyca_cryptography() {
    let Some(py) = python() else { return };
    let p = pki(MlDsaSet::MlDsa87);
    let sig = sign(&p, b"payload bytes");
    let der = crate::engine::pkcs7::parse::decode_pem_or_der(&sig).unwrap();
    let sd = crate::engine::pkcs7::parse::parse(&der, &Limits::default()).unwrap();
    let si = &sd.signers[0];
    let signed = si.attrs.as_ref().unwrap().signed_bytes();
    let spki = CertView::parse(&p.leaf).unwrap().spki.to_vec();
    assert_eq!(
        pyca_verifies(&py, &spki, &signed, si.signature).as_deref(),
        Some("MLDSA87PublicKey")
    );
    // A changed attribute byte fails there too.
    let mut bad = signed.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    assert_eq!(pyca_verifies(&py, &spki, &bad, si.signature), None);
}

/// RFC 9881 §5: an ML-DSA certificate with an encipherment bit is refused.
#[test]
fn mldsa_key_with_key_encipherment_is_refused() {
    let ca_key = PrivateKey::MlDsa(MlDsaKey::from_seed(MlDsaSet::MlDsa87, [1; 32]));
    let p = pki(MlDsaSet::MlDsa87);
    let v = CertView::parse(&p.ca).unwrap();
    let spec = CertSpec {
        subject: "CN=PQ Bad KU,O=jcat tests".into(),
        serial: vec![3],
        not_before: T0,
        not_after: T0 + 10 * YEAR,
        basic: Some((false, None)),
        key_usage: Some(KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment),
        eku: None,
        extra: Default::default(),
    };
    let leaf = certgen::build(
        &spec,
        &p.key.spki_der().unwrap(),
        &ca_key,
        Some((v.subject, v.spki)),
    )
    .unwrap();
    let bad = Pki {
        ca: p.ca.clone(),
        leaf,
        key: p.key.clone(),
    };
    let sig = sign(&bad, b"x");
    let e = check(&sig, b"x", &store(&[&pem("CERTIFICATE", &p.ca)])).unwrap_err();
    assert!(
        matches!(
            &e,
            SigError::Chain(crate::trust::x509::ChainError::MlDsaKeyUsage {
                usage: "keyEncipherment",
                ..
            })
        ),
        "{e:?}"
    );
}

/// `--only-pq` needs every certificate on the path ML-DSA-signed: an
/// ML-DSA signer certified by a P-256 CA verifies but is not post-quantum.
#[test]
fn mldsa_signer_under_a_classical_ca_is_not_post_quantum() {
    let ca_key = PrivateKey::P256(p256::ecdsa::SigningKey::random(&mut rand_core::OsRng));
    let ca_spec = CertSpec {
        subject: "CN=Classic CA,O=jcat tests".into(),
        serial: vec![1],
        not_before: T0,
        not_after: T0 + 10 * YEAR,
        basic: Some((true, None)),
        key_usage: Some(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        eku: None,
        extra: Default::default(),
    };
    let ca = certgen::build(&ca_spec, &ca_key.spki_der().unwrap(), &ca_key, None).unwrap();
    let key = PrivateKey::MlDsa(MlDsaKey::from_seed(MlDsaSet::MlDsa87, [5; 32]));
    let v = CertView::parse(&ca).unwrap();
    let leaf_spec = CertSpec {
        subject: "CN=PQ Signer Under Classic,O=jcat tests".into(),
        serial: vec![2],
        basic: Some((false, None)),
        key_usage: Some(KeyUsages::DigitalSignature.into()),
        ..ca_spec
    };
    let leaf = certgen::build(
        &leaf_spec,
        &key.spki_der().unwrap(),
        &ca_key,
        Some((v.subject, v.spki)),
    )
    .unwrap();
    let mixed = Pki { ca, leaf, key };
    let sig = sign(&mixed, b"x");
    let trust = store(&[&pem("CERTIFICATE", &mixed.ca)]);
    let verified = check(&sig, b"x", &trust).unwrap();
    let limits = Limits::default();
    assert!(!crate::engine::pkcs7::mldsa::post_quantum(
        &sig, &verified, &trust, &limits
    ));
    assert!(!crate::engine::pkcs7::mldsa::has_pq_anchor(&trust));
    // The all-ML-DSA PKI is.
    let p = pki(MlDsaSet::MlDsa87);
    let sig = sign(&p, b"x");
    let trust = store(&[&pem("CERTIFICATE", &p.ca)]);
    let verified = check(&sig, b"x", &trust).unwrap();
    assert!(crate::engine::pkcs7::mldsa::post_quantum(
        &sig, &verified, &trust, &limits
    ));
    assert!(crate::engine::pkcs7::mldsa::has_pq_anchor(&trust));
}
