//! Typed item-level reasons (issue 11 §1): [`ItemError`] for what stops an
//! item, [`PolicyFailure`] for the rules it breaks, [`KeyId`] and
//! [`ChainEntry`] for who signed. Asserted by variant; the texts printed
//! today are asserted once each, through `Display`.

use std::path::Path;

use jcat_core::testing::{self, CertParams, Role, TestKey};
use jcat_core::{
    sign, Blob, BlobFlags, BlobKind, ChainEntry, Item, ItemError, ItemReport, KeyId, Outcome,
    Payload, Policy, PolicyFailure, TimeCheck, TrustStore, Verifier,
};

const T0: i64 = 1_767_225_600; // 2026-01-01
const YEAR: i64 = 365 * 86_400;
const CA: &str = "CN=Reasons CA,O=jcat tests";
const PAYLOAD: &[u8] = b"firmware";

/// A CA and signer certificates issued by it.
struct Pki {
    ca_der: Vec<u8>,
    ca_key: TestKey,
}

impl Pki {
    fn new() -> Self {
        let (ca_der, ca_key) = crate::common::test_ca(CA, T0);
        Self { ca_der, ca_key }
    }

    /// A PKCS#7 signature over [`PAYLOAD`] by a certificate `subject` for `key`.
    fn sign(&self, subject: &str, serial: u64, key: &TestKey) -> Vec<u8> {
        let leaf = testing::certificate(
            &CertParams {
                subject,
                serial,
                role: Role::CodeSigning,
                not_before: T0 - YEAR,
                not_after: T0 + YEAR,
            },
            key,
            Some((&self.ca_der, &self.ca_key)),
        )
        .unwrap();
        sign::pkcs7::sign(
            Payload::Bytes(PAYLOAD),
            testing::pem("CERTIFICATE", &leaf).unwrap().as_bytes(),
            key.to_pem().unwrap().as_bytes(),
            T0,
        )
        .unwrap()
    }

    fn trust(&self) -> TrustStore {
        let mut t = TrustStore::new();
        let pem = testing::pem("CERTIFICATE", &self.ca_der).unwrap();
        t.add_bytes(Path::new("ca.pem"), pem.as_bytes(), &Default::default());
        t
    }
}

fn pkcs7(sig: Vec<u8>, target: Option<BlobKind>) -> Blob {
    let mut b = Blob::new(BlobKind::Pkcs7, BlobFlags::NONE, sig, Some(0));
    b.target = target;
    b
}

fn checksum() -> Blob {
    sign::checksum_blob(BlobKind::Sha256, Payload::Bytes(PAYLOAD), 0).unwrap()
}

/// Verifies `item` under a fresh directory holding `files`.
fn verify(item: Item, files: &[&str], trust: &TrustStore, policy: Policy) -> ItemReport {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        std::fs::write(dir.path().join(f), PAYLOAD).unwrap();
    }
    let mut cat = jcat_core::Catalog::new();
    cat.add_item(item).unwrap();
    let mut report = Verifier::new(trust, policy)
        .threads(1)
        .verify_catalog(&cat, dir.path());
    assert_eq!(report.items.len(), 1);
    report.items.remove(0)
}

fn policy() -> Policy {
    Policy::new(TimeCheck::At(T0))
}

#[test]
fn a_missing_payload_names_every_path_tried() {
    let mut item = Item::new("fw.bin");
    item.alias_ids.push("fw-alias.bin".into());
    item.add_blob(checksum());
    let dir = tempfile::tempdir().unwrap();
    let mut cat = jcat_core::Catalog::new();
    cat.add_item(item).unwrap();
    let report = Verifier::new(&TrustStore::new(), policy()).verify_catalog(&cat, dir.path());
    let r = &report.items[0];
    let (id, alias) = (dir.path().join("fw.bin"), dir.path().join("fw-alias.bin"));
    assert!(
        matches!(&r.error, Some(ItemError::PayloadNotFound { tried }) if tried == &[id.clone(), alias.clone()]),
        "{r:?}"
    );
    assert_eq!(
        r.failure_message(),
        Some(format!(
            "Could not find {} or {}",
            id.display(),
            alias.display()
        ))
    );
    assert!(!r.passed());
}

#[test]
fn an_unsafe_id_is_refused_before_any_file_is_read() {
    let mut item = Item::new("../fw.bin");
    item.add_blob(checksum());
    let r = verify(item, &[], &TrustStore::new(), policy());
    assert!(
        matches!(
            &r.error,
            Some(ItemError::UnsafeName { what: "item ID", name, reason: "it contains a '..' component", .. })
                if name == "../fw.bin"
        ),
        "{r:?}"
    );
}

#[test]
fn a_missing_or_ambiguous_target_stops_the_item() {
    let pki = Pki::new();
    let key = TestKey::generate_p256();
    let sig = pki.sign("CN=Signer", 2, &key);
    let mut item = Item::new("fw.bin");
    item.blobs.push(pkcs7(sig.clone(), Some(BlobKind::Sha256)));
    let r = verify(item.clone(), &["fw.bin"], &pki.trust(), policy());
    assert!(
        matches!(
            r.error,
            Some(ItemError::TargetMissing {
                target: BlobKind::Sha256
            })
        ),
        "{r:?}"
    );
    assert_eq!(
        r.failure_message().as_deref(),
        Some("no existing checksum of type sha256")
    );
    item.blobs.push(checksum());
    item.blobs.push(checksum());
    let r = verify(item, &["fw.bin"], &pki.trust(), policy());
    assert!(
        matches!(
            r.error,
            Some(ItemError::TargetAmbiguous {
                target: BlobKind::Sha256
            })
        ),
        "{r:?}"
    );
    assert_eq!(
        r.error.map(|e| e.to_string()).as_deref(),
        Some("multiple checksums of type sha256")
    );
}

/// Two certificates for one key are one signer: equal [`KeyId`]s, counted
/// once by `min_signers`; a second key makes two.
#[test]
fn the_same_key_signing_twice_counts_once() {
    let pki = Pki::new();
    let key = TestKey::generate_p256();
    let mut item = Item::new("fw.bin");
    item.blobs.push(checksum());
    item.blobs.push(pkcs7(pki.sign("CN=Signer", 2, &key), None));
    item.blobs
        .push(pkcs7(pki.sign("CN=Signer Renewed", 3, &key), None));
    let mut p = policy();
    p.min_signers = 2;
    let r = verify(item.clone(), &["fw.bin"], &pki.trust(), p.clone());
    let keys: Vec<&KeyId> = r
        .blobs
        .iter()
        .filter_map(|b| match &b.outcome {
            Outcome::Passed(v) => v.keys.first(),
            _ => None,
        })
        .collect();
    assert!(
        matches!(keys[..], [a @ KeyId::X509 { .. }, b] if a == b),
        "{keys:?}"
    );
    assert!(
        matches!(
            r.policy_failures[..],
            [PolicyFailure::TooFewSigners { have: 1, need: 2 }]
        ),
        "{r:?}"
    );
    assert_eq!(
        r.policy_failures[0].to_string(),
        "1 signature(s) from distinct keys, at least 2 required"
    );
    assert!(!r.passed());
    item.blobs.push(pkcs7(
        pki.sign("CN=Other", 4, &TestKey::generate_p256()),
        None,
    ));
    let r = verify(item, &["fw.bin"], &pki.trust(), p);
    assert!(r.passed(), "{r:?}");
}

#[test]
fn a_pkcs7_chain_is_dns_and_required_signers_match_them() {
    let pki = Pki::new();
    let mut item = Item::new("fw.bin");
    item.blobs.push(checksum());
    item.blobs.push(pkcs7(
        pki.sign("CN=QA,O=Org", 2, &TestKey::generate_p256()),
        None,
    ));
    let mut p = policy();
    p.require_signers = vec!["CN=QA".into(), "O=jcat tests".into(), "CN=Release".into()];
    let r = verify(item, &["fw.bin"], &pki.trust(), p);
    let Some(Outcome::Passed(v)) = r.blobs.get(1).map(|b| &b.outcome) else {
        panic!("{r:?}");
    };
    assert_eq!(
        v.chain,
        [
            ChainEntry::Dn("CN=QA,O=Org".into()),
            ChainEntry::Dn(CA.into())
        ]
    );
    assert!(
        matches!(&r.policy_failures[..], [PolicyFailure::MissingSigner { name }] if name == "CN=Release"),
        "{r:?}"
    );
    assert_eq!(
        r.policy_failures[0].to_string(),
        r#"no verified signature from "CN=Release""#
    );
}

#[test]
fn an_ed25519_signature_names_its_key() {
    let key = sign::Ed25519Key::from_seed(&[5u8; 32]);
    let public = key.public_key();
    let mut trust = TrustStore::new();
    trust.add_ed25519(&public).unwrap();
    let sig = sign::ed25519_sign(&key, Payload::Bytes(PAYLOAD)).unwrap();
    let mut item = Item::new("fw.bin");
    item.blobs
        .push(Blob::new(BlobKind::Ed25519, BlobFlags::NONE, sig, Some(0)));
    let mut p = policy();
    p.signatures = jcat_core::SignaturePolicy::Require;
    // A key is hex: matched case-insensitively.
    p.require_signers = vec![public.iter().map(|b| format!("{b:02X}")).collect()];
    let r = verify(item, &["fw.bin"], &trust, p);
    assert!(r.passed(), "{r:?}");
    let Some(Outcome::Passed(v)) = r.blobs.first().map(|b| &b.outcome) else {
        panic!("{r:?}");
    };
    assert_eq!(v.keys, [KeyId::Ed25519(public)]);
    assert_eq!(v.chain, [ChainEntry::Ed25519Key(public)]);
}

#[test]
fn require_without_a_signature_is_signature_required() {
    let mut item = Item::new("fw.bin");
    item.blobs.push(checksum());
    let mut p = policy();
    p.signatures = "require".parse().unwrap();
    let r = verify(item, &["fw.bin"], &TrustStore::new(), p);
    assert!(
        matches!(r.policy_failures[..], [PolicyFailure::SignatureRequired]),
        "{r:?}"
    );
    assert!(r.error.is_none());
}
