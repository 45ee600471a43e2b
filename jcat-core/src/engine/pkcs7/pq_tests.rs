//! ML-DSA in CMS against the shared corpus (`corpus/pq`, read at run time):
//! RFC 9882 examples with RFC 9881 certificates, the real LVFS-CA-2025PQ,
//! and the LVFS-shaped positives and negatives of `derived/`, each judged
//! for its own reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use der::{Decode, Encode};

use crate::engine::{SigError, Verified};
use crate::time::TimeCheck;
use crate::trust::x509::ChainError;
use crate::trust::TrustStore;
use crate::verify::{verify_signature, Policy};
use crate::x509::cert::CertView;
use crate::x509::mldsa::MlDsaSet;
use crate::x509::pubkey::{self, Message};
use crate::{BlobKind, Limits};

/// The shared corpus file `rel` (under `JCAT_SHARED_DIR`, or `../shared`
/// beside the workspace); `None` after `SKIPPED: …` when the corpus is
/// absent, a panic then under `CI=true`.
fn shared(rel: &str) -> Option<PathBuf> {
    let root = match std::env::var_os("JCAT_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    if !root.is_dir() {
        assert!(
            std::env::var("CI").map(|v| v != "true").unwrap_or(true),
            "CI=true but the shared corpus is missing at {} (needed: {rel})",
            root.display()
        );
        println!(
            "SKIPPED: the shared corpus is not at {} (needed: {rel})",
            root.display()
        );
        return None;
    }
    let p = root.join(rel);
    assert!(
        p.exists(),
        "{} is missing from the shared corpus",
        p.display()
    );
    Some(p)
}

macro_rules! corpus {
    ($rel:expr) => {
        match shared(concat!("corpus/pq/", $rel)) {
            Some(p) => std::fs::read(p).unwrap(),
            None => return,
        }
    };
}

fn store(pems: &[&[u8]]) -> TrustStore {
    let mut t = TrustStore::new();
    for (i, pem) in pems.iter().enumerate() {
        t.add_bytes(
            std::path::Path::new(&format!("t{i}.pem")),
            pem,
            &Limits::default(),
        );
    }
    assert_eq!(t.certs.len(), pems.len(), "every trust file loads");
    t
}

fn check(
    sig: &[u8],
    payload: &[u8],
    trust: &TrustStore,
    time: TimeCheck,
) -> Result<Verified, SigError> {
    verify_signature(BlobKind::Pkcs7, sig, payload, trust, &Policy::new(time))
}

/// 2027-01-01, after the derived blobs' signingTime (2026-10-06), inside the PKI's validity.
const AT: TimeCheck = TimeCheck::At(1_798_761_600);

/// An attached SignedData made detached: (detached DER, the eContent).
fn detach(pem: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (_, der) = pem_rfc7468::decode_vec(pem).unwrap();
    let ci = cms::content_info::ContentInfo::from_der(&der).unwrap();
    let mut sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
    let content = sd.encap_content_info.econtent.take().unwrap();
    let content = der::asn1::OctetString::from_der(&content.to_der().unwrap())
        .unwrap()
        .into_bytes();
    let ci = cms::content_info::ContentInfo {
        content_type: ci.content_type,
        content: der::Any::encode_from(&sd).unwrap(),
    };
    (ci.to_der().unwrap(), content)
}

#[test]
fn rfc9882_examples_verify_detached_against_rfc9881_certificates() {
    for n in ["44", "65", "87"] {
        let Some(cms) = shared(&format!(
            "corpus/pq/real/lamps-wg-cms-ml-dsa/examples/mldsa{n}-signed-attrs.pem"
        )) else {
            return;
        };
        let crt = shared(&format!(
            "corpus/pq/real/lamps-wg-dilithium-certificates/examples/ML-DSA-{n}.crt"
        ))
        .unwrap();
        let (sig, content) = detach(&std::fs::read(cms).unwrap());
        assert!(content.starts_with(format!("ML-DSA-{n} signed-data").as_bytes()));
        let trust = store(&[&std::fs::read(crt).unwrap()]);
        let v = check(&sig, &content, &trust, TimeCheck::Disabled).unwrap();
        assert_eq!(
            v.authority.as_deref(),
            Some("CN=LAMPS WG,O=IETF"),
            "ML-DSA-{n}"
        );
        let mut other = content.clone();
        other[0] ^= 1;
        let e = check(&sig, &other, &trust, TimeCheck::Disabled).unwrap_err();
        assert!(
            matches!(
                e,
                SigError::BadSignature { .. } | SigError::DigestMismatch { .. }
            ),
            "ML-DSA-{n}: {e:?}"
        );
    }
}

#[test]
fn rfc9882_attached_examples_are_refused_as_attached() {
    let pem = corpus!("real/lamps-wg-cms-ml-dsa/examples/mldsa87-signed-attrs.pem");
    let crt = corpus!("real/lamps-wg-dilithium-certificates/examples/ML-DSA-87.crt");
    let e = check(&pem, b"", &store(&[&crt]), TimeCheck::Disabled).unwrap_err();
    assert!(matches!(e, SigError::Refused(_)), "{e:?}");
}

#[test]
fn real_lvfs_ca_2025pq_self_signature_verifies_and_a_bit_flip_fails() {
    let Some(p) = shared("corpus/real/fwupd-fwupd/data/pki/LVFS-CA-2025PQ.pem") else {
        return;
    };
    let (_, der) = pem_rfc7468::decode_vec(&std::fs::read(p).unwrap()).unwrap();
    let c = CertView::parse(&der).unwrap();
    assert_eq!(MlDsaSet::from_oid(&c.sig_alg.oid), Some(MlDsaSet::MlDsa87));
    assert_eq!(
        pubkey::verify(c.spki, &c.sig_alg, None, Message::Raw(c.tbs), c.signature),
        Ok(())
    );
    let mut sig = c.signature.to_vec();
    sig[100] ^= 0x01;
    assert!(pubkey::verify(c.spki, &c.sig_alg, None, Message::Raw(c.tbs), &sig).is_err());
    let mut tbs = c.tbs.to_vec();
    let last = tbs.len() - 1;
    tbs[last] ^= 0x01;
    assert!(pubkey::verify(c.spki, &c.sig_alg, None, Message::Raw(&tbs), c.signature).is_err());
    // It loads as a trust anchor, with the GnuTLS subject form.
    let trust = store(&[&std::fs::read(
        shared("corpus/real/fwupd-fwupd/data/pki/LVFS-CA-2025PQ.pem").unwrap(),
    )
    .unwrap()]);
    assert_eq!(
        CertView::parse(&trust.certs[0].der).unwrap().subject_str(),
        "CN=LVFS CA 2025PQ,O=Linux Vendor Firmware Project"
    );
}

/// The derived test signer trusted directly: the derived certificates lack
/// authorityKeyIdentifier, which our profile requires below an anchor.
fn signer_trust() -> Option<TrustStore> {
    let pem = std::fs::read(shared("corpus/pq/derived/test-pq-signer.pem")?).unwrap();
    Some(store(&[&pem]))
}

#[test]
fn derived_rfc9882_positives_pass() {
    let payload = corpus!("derived/payload.xml");
    let other = corpus!("derived/other-payload.xml");
    let trust = signer_trust().unwrap();
    for name in [
        "mldsa87-rfc9882-sha512.p7b",
        "mldsa87-rfc9882-shake256-64.p7b",
        "mldsa87-rfc9882-noattrs.p7b",
    ] {
        let sig = std::fs::read(shared(&format!("corpus/pq/derived/{name}")).unwrap()).unwrap();
        let v = check(&sig, &payload, &trust, AT).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            v.authority.as_deref(),
            Some("CN=Test LVFS CA 2025PQ,O=jcat-rs test PKI (NOT LVFS)"),
            "{name}"
        );
        let e = check(&sig, &other, &trust, AT).unwrap_err();
        assert!(
            matches!(
                e,
                SigError::BadSignature { .. } | SigError::DigestMismatch { .. }
            ),
            "{name}: {e:?}"
        );
    }
}

#[test]
fn gnutls_form_is_unbound_for_any_payload() {
    let sig = corpus!("derived/mldsa87-gnutls-shake256-empty-md.p7b");
    let trust = signer_trust().unwrap();
    for payload in [&b"payload"[..], b"", b"anything else at all"] {
        let e = check(&sig, payload, &trust, AT).unwrap_err();
        assert!(
            matches!(&e, SigError::Unbound { issuer } if issuer == "CN=Test LVFS CA 2025PQ,O=jcat-rs test PKI (NOT LVFS)"),
            "{e:?}"
        );
    }
    // The same shape with a broken signature is FAILED, not unbound.
    let (_, mut der) = (
        0,
        crate::engine::pkcs7::parse::decode_pem_or_der(&sig).unwrap(),
    );
    let last = der.len() - 10;
    der[last] ^= 0x01;
    let e = check(&der, b"payload", &trust, AT).unwrap_err();
    assert!(matches!(e, SigError::BadSignature { .. }), "{e:?}");
    // Without a trusted path it is FAILED too.
    let ca = corpus!("derived/test-rsa-ca.pem");
    let e = check(&sig, b"payload", &store(&[&ca]), AT).unwrap_err();
    assert!(!matches!(e, SigError::Unbound { .. }), "{e:?}");
}

#[test]
fn gnutls_form_without_certificate_needs_the_signer_trusted() {
    let sig = corpus!("derived/neg-mldsa87-nocert.p7b");
    let e = check(&sig, b"x", &signer_trust().unwrap(), AT).unwrap_err();
    assert!(matches!(e, SigError::Unbound { .. }), "{e:?}");
    let ca = corpus!("derived/test-pq-ca.pem");
    let e = check(&sig, b"x", &store(&[&ca]), AT).unwrap_err();
    assert!(matches!(e, SigError::Untrusted(_)), "{e:?}");
}

#[test]
fn derived_negatives_fail_for_their_own_reason() {
    let payload = corpus!("derived/payload.xml");
    let trust = signer_trust().unwrap();
    let run = |name: &str| {
        let sig = std::fs::read(shared(&format!("corpus/pq/derived/{name}")).unwrap()).unwrap();
        check(&sig, &payload, &trust, AT).unwrap_err()
    };
    let e = run("neg-mldsa87-sha512-wrong-md.p7b");
    assert!(matches!(&e, SigError::DigestMismatch { .. }), "{e:?}");
    let e = run("neg-mldsa87-nonempty-context.p7b");
    assert!(
        matches!(
            &e,
            SigError::BadSignature {
                by: crate::engine::SignedBy::Certificate { .. }
            }
        ),
        "{e:?}"
    );
    let e = run("neg-mldsa87-sigalg-null-params.p7b");
    assert!(
        matches!(
            e,
            SigError::Chain(ChainError::MlDsaParameters {
                set: MlDsaSet::MlDsa87,
                ..
            })
        ),
        "{e:?}"
    );
    let e = run("neg-mldsa87-oid-says-65.p7b");
    assert!(
        matches!(
            e,
            SigError::Chain(ChainError::MlDsaSignatureLength {
                set: MlDsaSet::MlDsa65,
                len: 4627,
                expected: 3309
            })
        ),
        "{e:?}"
    );
    let e = run("neg-mldsa87-sha256-md.p7b");
    assert!(
        matches!(&e, SigError::Chain(ChainError::MlDsaDigestUnsuitable { set: MlDsaSet::MlDsa87, digest }) if digest == "SHA-256"),
        "{e:?}"
    );
}

#[test]
fn derived_chain_below_the_test_ca_lacks_authority_key_identifier() {
    let sig = corpus!("derived/mldsa87-rfc9882-sha512.p7b");
    let payload = corpus!("derived/payload.xml");
    let ca = corpus!("derived/test-pq-ca.pem");
    let e = check(&sig, &payload, &store(&[&ca]), AT).unwrap_err();
    assert!(
        matches!(e, SigError::Chain(ChainError::MissingKeyIdentifier { .. })),
        "{e:?}"
    );
}
