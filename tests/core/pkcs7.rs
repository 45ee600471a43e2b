//! PKCS#7 / CMS engine tests: real vectors (`../shared/corpus/real`)
//! and interop with the reference tools (`pkcs7_interop`).

use std::path::{Path, PathBuf};

use jcat_core::engine::{ChainStrictness, TimeCheck};
use jcat_core::reasons::Signer;
use jcat_core::{BlobKind, Limits, SigError, TrustStore, Verified};

#[path = "pkcs7_interop.rs"]
mod interop;

/// A real PKCS#7 vector in the shared corpus, by its short name (the test
/// must first check the corpus is there: `crate::shared!("corpus/real")`).
pub fn td(rel: &str) -> PathBuf {
    let path = match rel.split_once('/') {
        None => format!("fwupd-fwupd/data/pki/{rel}"),
        Some(("fwupd-colorhug", "test.pem")) => "fwupd-fwupd/src/tests/pki/test.pem".into(),
        Some(("fwupd-colorhug", f)) => format!("fwupd-fwupd/src/tests/colorhug/{f}"),
        Some(("libjcat-colorhug", f)) => format!("hughsie-libjcat/data/tests/colorhug/{f}"),
        Some(("fakedevice", f)) => format!("fwupd-fwupd/data/tests/{f}"),
        Some(("michaelmadell", f)) => format!("michaelmadell-libjcat/{f}"),
        Some(_) => panic!("no such vector: {rel}"),
    };
    crate::common::shared_dir().join("corpus/real").join(path)
}

pub fn trust(files: &[&Path]) -> TrustStore {
    let mut t = TrustStore::new();
    for f in files {
        t.add_file(f, &Limits::default());
    }
    assert!(t.skipped().is_empty(), "skipped: {:?}", t.skipped());
    t
}

pub fn verify(
    sig: &[u8],
    payload: &[u8],
    trust: &TrustStore,
    time: TimeCheck,
) -> Result<Verified, SigError> {
    verify_with(sig, payload, trust, time, ChainStrictness::Reference)
}

pub fn verify_with(
    sig: &[u8],
    payload: &[u8],
    trust: &TrustStore,
    time: TimeCheck,
    chain: ChainStrictness,
) -> Result<Verified, SigError> {
    let mut policy = jcat_core::verify::Policy::new(time);
    policy.chain = chain;
    jcat_core::verify::verify_signature(BlobKind::Pkcs7, sig, payload, trust, &policy)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(td(rel)).unwrap()
}

/// 2026-01-01T00:00:00Z and 2028-02-01T00:00:00Z.
const T_2026: i64 = 1_767_225_600;
const T_2028_02: i64 = 1_832_976_000;

const LVFS: &str = "O=Linux Vendor Firmware Project,CN=LVFS CA";

#[test]
fn libjcat_colorhug_p7b_passes_only_without_time_checks() {
    crate::shared!("corpus/real");
    let t = trust(&[&td("LVFS-CA.pem")]);
    let sig = read("libjcat-colorhug/firmware.bin.p7b");
    let fw = read("libjcat-colorhug/firmware.bin");
    let v = verify(&sig, &fw, &t, TimeCheck::Disabled).unwrap();
    assert_eq!(v.authority.as_deref(), Some(LVFS));
    assert_eq!(v.timestamp, 1_503_498_945);
    assert_eq!(v.chain, crate::common::dns(&["CN=Richard Hughes", LVFS]));
    assert!(
        matches!(v.keys[..], [jcat_core::KeyId::X509 { .. }]),
        "{:?}",
        v.keys
    );
    assert!(v.keys[0].to_string().starts_with("x509:"));
    let now = chrono::Utc::now().timestamp();
    assert_eq!(
        verify(&sig, &fw, &t, TimeCheck::At(now)),
        Err(SigError::CertExpired {
            subject: "CN=Richard Hughes".into(),
            not_after: 1_564_617_600,
            at: now,
        })
    );
    // Inside the signer's validity it passes with time checks on.
    assert!(verify(&sig, &fw, &t, TimeCheck::At(1_503_498_945)).is_ok());
    // Over other data.
    assert!(matches!(
        verify(&sig, b"other data", &t, TimeCheck::Disabled),
        Err(SigError::DigestMismatch { .. })
    ));
    // Without the CA.
    assert!(matches!(
        verify(&sig, &fw, &TrustStore::new(), TimeCheck::Disabled),
        Err(SigError::Untrusted(_))
    ));
}

#[test]
fn fwupd_colorhug_lvfs_2025_p7b() {
    crate::shared!("corpus/real");
    let t = trust(&[&td("LVFS-CA.pem")]);
    let fw = read("fwupd-colorhug/firmware.bin");
    let v = verify(
        &read("fwupd-colorhug/firmware.bin.p7b"),
        &fw,
        &t,
        // After its signingTime (2026-05-02): a later signingTime is FAILED.
        TimeCheck::At(T_2026 + 365 * 86_400),
    )
    .unwrap();
    assert_eq!(v.authority.as_deref(), Some(LVFS));
    assert!(
        matches!(&v.chain[..], [jcat_core::ChainEntry::Dn(_), jcat_core::ChainEntry::Dn(ca)] if ca == LVFS),
        "{:?}",
        v.chain
    );
    assert!(v.timestamp > 1_700_000_000, "{}", v.timestamp);
}

#[test]
fn fwupd_colorhug_hughski_p7c_and_sha256_p7c() {
    crate::shared!("corpus/real");
    let t = trust(&[&td("fwupd-colorhug/test.pem")]);
    let fw = read("fwupd-colorhug/firmware.bin");
    let now = chrono::Utc::now().timestamp();
    let v = verify(
        &read("fwupd-colorhug/firmware.bin.p7c"),
        &fw,
        &t,
        TimeCheck::At(now),
    )
    .unwrap();
    assert_eq!(v.authority.as_deref(), Some("O=Hughski Limited"));
    assert_eq!(v.chain, crate::common::dns(&["O=Hughski Limited"]));
    assert!(v.timestamp >= 1_502_871_248);
    let hex = read("fwupd-colorhug/firmware.bin.sha256");
    assert_eq!(hex.len(), 64);
    assert_eq!(
        hex,
        b"a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447"
    );
    let v = verify(
        &read("fwupd-colorhug/firmware.bin.sha256.p7c"),
        &hex,
        &t,
        TimeCheck::Disabled,
    )
    .unwrap();
    assert_eq!(v.authority.as_deref(), Some("O=Hughski Limited"));
    // The Hughski-signed .p7c is not trusted by the LVFS CA (self-test 12).
    let lvfs = trust(&[&td("LVFS-CA.pem")]);
    assert!(matches!(
        verify(
            &read("fwupd-colorhug/firmware.bin.p7c"),
            &fw,
            &lvfs,
            TimeCheck::Disabled
        ),
        Err(SigError::Untrusted(_))
    ));
}

#[test]
fn lvfs_fakedevice_catalogs() {
    crate::shared!("corpus/real");
    let t = trust(&[&td("LVFS-CA.pem")]);
    for n in ["123", "124"] {
        let cat = jcat_core::load_path(
            &td(&format!("fakedevice/fakedevice{n}.jcat")),
            &Limits::default(),
        )
        .unwrap();
        let mut checked = 0;
        for item in cat.items() {
            let payload = read(&format!("fakedevice/{}", item.id));
            for blob in item.blobs_by_kind(BlobKind::Pkcs7) {
                let v = verify(&blob.data, &payload, &t, TimeCheck::At(T_2026)).unwrap();
                assert_eq!(v.authority.as_deref(), Some(LVFS));
                assert!(
                    matches!(v.chain.first(), Some(jcat_core::ChainEntry::Dn(s)) if s == "CN=Richard Hughes"),
                    "{:?}",
                    v.chain
                );
                assert!(matches!(
                    verify(&blob.data, &payload, &t, TimeCheck::At(T_2028_02)),
                    Err(SigError::CertExpired { .. })
                ));
                assert!(verify(&blob.data, &payload, &t, TimeCheck::Disabled).is_ok());
                assert!(matches!(
                    verify(&blob.data, b"tampered", &t, TimeCheck::At(T_2026)),
                    Err(SigError::DigestMismatch { .. })
                ));
                checked += 1;
            }
        }
        assert_eq!(checked, 2, "fakedevice{n}");
    }
}

#[test]
fn reference_self_signed_output_parses_but_is_untrusted() {
    crate::shared!("corpus/real");
    let cat =
        jcat_core::load_path(&td("michaelmadell/firmware1.jcat"), &Limits::default()).unwrap();
    let blob = cat.items()[0]
        .blobs_by_kind(BlobKind::Pkcs7)
        .next()
        .unwrap();
    let t = trust(&[&td("LVFS-CA.pem")]);
    let err = verify(&blob.data, b"whatever", &t, TimeCheck::Disabled).unwrap_err();
    assert!(
        matches!(&err, SigError::Untrusted(Signer::IssuerSerial { issuer, .. }) if issuer == "<empty DN>"),
        "{err:?}"
    );
}

#[test]
fn garbage_truncated_and_wrong_types_are_malformed() {
    crate::shared!("corpus/real");
    let t = TrustStore::new();
    let sig = read("libjcat-colorhug/firmware.bin.p7b");
    let der = {
        let text = String::from_utf8(sig.clone()).unwrap();
        pem_rfc7468::decode_vec(text.trim().as_bytes()).unwrap().1
    };
    for bad in [
        b"random bytes that are not a signature".to_vec(),
        vec![0x30, 0x82, 0xff, 0xff, 0x06],
        der[..der.len() / 2].to_vec(),
        der[..10].to_vec(),
        vec![],
        b"-----BEGIN PKCS7-----\n!!!\n-----END PKCS7-----\n".to_vec(),
    ] {
        assert!(
            matches!(
                verify(&bad, b"x", &t, TimeCheck::Disabled),
                Err(SigError::Malformed(_))
            ),
            "{bad:?}"
        );
    }
    // Every prefix: never a panic, always an error.
    for n in 0..der.len() {
        assert!(verify(&der[..n], b"x", &t, TimeCheck::Disabled).is_err());
    }
    // DER input is accepted as well as PEM.
    let lvfs = trust(&[&td("LVFS-CA.pem")]);
    assert!(verify(
        &der,
        &read("libjcat-colorhug/firmware.bin"),
        &lvfs,
        TimeCheck::Disabled
    )
    .is_ok());
}
