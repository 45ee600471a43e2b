//! Typed OpenPGP refusals (issue 9 §4), with keys and signatures made fresh
//! by rPGP: unknown critical subpackets, SHA-1 data signatures, the SHA-1
//! self-signature cut-off, keys without a valid self-signature, revoked user
//! IDs and the unknown-key message.

use jcat_core::engine::pgp::policy::SHA1_SELF_SIG_CUTOFF;
use jcat_core::engine::pgp::PgpError;
use jcat_core::{Blob, BlobFlags, BlobKind, Item, Payload, Policy, SigError, TimeCheck};
use pgp::bytes::Bytes;
use pgp::composed::KeyType;
use pgp::composed::{SignedPublicKey, SignedSecretKey};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{Notation, Signature, SignatureType, Subpacket, SubpacketData, UserId};
use pgp::types::{KeyDetails as _, Timestamp};

use super::fresh::{self, certify, data_sig, good_sig, standard_hashed, Y2020};
use super::{verify, PINNED};

const PAYLOAD: &[u8] = b"firmware payload\n";

fn fpr(k: &SignedSecretKey) -> String {
    format!("{:X}", k.primary_key.fingerprint())
}

/// `k`'s public key whose first user ID carries only this self-signature.
fn with_only_self_sig(k: &SignedSecretKey, sig: impl Fn(&UserId) -> Signature) -> SignedPublicKey {
    let mut public = k.to_public_key();
    let uid = public.details.users[0].id.clone();
    public.details.users[0].signatures = vec![sig(&uid)];
    public
}

#[test]
fn unknown_critical_subpackets_reject_the_signature() {
    let k = fresh::key(&["Critical <critical@example.org>"], Y2020);
    let trust = fresh::trust(&k.to_public_key());
    let notation = Notation {
        readable: true,
        name: Bytes::from_static(b"unknown@example.org"),
        value: Bytes::from_static(b"1"),
    };
    let cases = [
        (SubpacketData::Other(77, Bytes::from_static(b"x")), 77u8),
        (
            SubpacketData::Experimental(101, Bytes::from_static(b"x")),
            101,
        ),
        (SubpacketData::Notation(notation), 20),
    ];
    for (data, typ) in cases {
        let mut hashed = standard_hashed(&k, Y2020 + 1000);
        hashed.push(Subpacket::regular(data.clone()).unwrap());
        let sig = data_sig(&k, HashAlgorithm::Sha256, hashed, PAYLOAD);
        assert!(
            verify(&trust, TimeCheck::At(PINNED), &sig, PAYLOAD).is_ok(),
            "non-critical {typ} is ignored"
        );
        let mut hashed = standard_hashed(&k, Y2020 + 1000);
        hashed.push(Subpacket::critical(data).unwrap());
        let sig = data_sig(&k, HashAlgorithm::Sha256, hashed, PAYLOAD);
        let err = verify(&trust, TimeCheck::At(PINNED), &sig, PAYLOAD).unwrap_err();
        assert!(
            matches!(
                &err,
                SigError::OpenPgp(PgpError::UnknownCriticalSubpacket { subpacket, signer })
                    if *subpacket == typ && *signer == fpr(&k)
            ),
            "{typ}: {err:?}"
        );
    }
    // A known critical subpacket (the creation time) is fine.
    let mut hashed = standard_hashed(&k, Y2020 + 1000);
    hashed[0].is_critical = true;
    let sig = data_sig(&k, HashAlgorithm::Sha256, hashed, PAYLOAD);
    assert!(verify(&trust, TimeCheck::At(PINNED), &sig, PAYLOAD).is_ok());
}

#[test]
fn sha1_data_signatures_are_refused_once_the_key_is_known() {
    // RSA: rPGP refuses to make Ed25519 signatures with hashes under 256 bits.
    let k = fresh::key_of(KeyType::Rsa(2048), &["Hashes <hashes@example.org>"], Y2020);
    let trust = fresh::trust(&k.to_public_key());
    for alg in [
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ] {
        let sig = data_sig(&k, alg, standard_hashed(&k, Y2020 + 60), PAYLOAD);
        assert!(
            verify(&trust, TimeCheck::At(PINNED), &sig, PAYLOAD).is_ok(),
            "{alg}"
        );
    }
    let sha1 = data_sig(
        &k,
        HashAlgorithm::Sha1,
        standard_hashed(&k, Y2020 + 60),
        PAYLOAD,
    );
    for time in [TimeCheck::At(PINNED), TimeCheck::Disabled] {
        assert_eq!(
            verify(&trust, time, &sha1, PAYLOAD),
            Err(SigError::OpenPgp(PgpError::WeakHash {
                signer: fpr(&k),
                alg: HashAlgorithm::Sha1
            }))
        );
    }
    // Without the key, the unknown key is what is reported.
    let other = fresh::key(&["Other <other@example.org>"], Y2020);
    assert_eq!(
        verify(
            &fresh::trust(&other.to_public_key()),
            TimeCheck::At(PINNED),
            &sha1,
            PAYLOAD
        ),
        Err(SigError::OpenPgp(PgpError::UnknownKey { id: fpr(&k) }))
    );
}

#[test]
fn sha1_self_signatures_count_only_before_the_cutoff() {
    let cutoff = u32::try_from(SHA1_SELF_SIG_CUTOFF).unwrap();
    let k = fresh::key_of(KeyType::Rsa(2048), &["Old Key <old@example.org>"], Y2020);
    let sig = good_sig(&k, cutoff + 2 * 86_400, PAYLOAD);
    let at = TimeCheck::At(i64::from(cutoff) + 30 * 86_400);
    let k = &k;
    let self_sig = |hash, created| {
        with_only_self_sig(k, move |uid| {
            certify(k, uid, hash, created, SignatureType::CertPositive)
        })
    };
    let v = verify(
        &fresh::trust(&self_sig(HashAlgorithm::Sha1, cutoff - 1)),
        at,
        &sig,
        PAYLOAD,
    )
    .unwrap();
    assert!(v.chain.contains(&old_uid()));
    let v = verify(
        &fresh::trust(&self_sig(HashAlgorithm::Sha256, cutoff + 86_400)),
        at,
        &sig,
        PAYLOAD,
    )
    .unwrap();
    assert!(v.chain.contains(&old_uid()));
    for (hash, created) in [
        (HashAlgorithm::Sha1, cutoff),
        (HashAlgorithm::Sha1, cutoff + 86_400),
        (HashAlgorithm::Md5, cutoff - 86_400),
    ] {
        let trust = fresh::trust(&self_sig(hash, created));
        for time in [at, TimeCheck::Disabled] {
            assert_eq!(
                verify(&trust, time, &sig, PAYLOAD),
                Err(SigError::OpenPgp(PgpError::NoValidSelfSignature {
                    fingerprint: fpr(k)
                })),
                "{hash} at {created}"
            );
        }
    }
}

#[test]
fn key_whose_only_self_signature_is_invalid_is_unusable() {
    let k = fresh::key(&["Broken <broken@example.org>"], Y2020);
    let sig = good_sig(&k, Y2020 + 100, PAYLOAD);
    let r = verify(
        &fresh::trust(&k.to_public_key()),
        TimeCheck::At(PINNED),
        &sig,
        PAYLOAD,
    );
    assert!(r.is_ok(), "{r:?}");
    // A genuine certification, but of another user ID.
    let elsewhere =
        UserId::from_str(Default::default(), "Someone Else <else@example.org>").unwrap();
    let broken = with_only_self_sig(&k, |_| {
        certify(
            &k,
            &elsewhere,
            HashAlgorithm::Sha256,
            Y2020 + 10,
            SignatureType::CertPositive,
        )
    });
    let trust = fresh::trust(&broken);
    for time in [TimeCheck::At(PINNED), TimeCheck::Disabled] {
        assert_eq!(
            verify(&trust, time, &sig, PAYLOAD),
            Err(SigError::OpenPgp(PgpError::NoValidSelfSignature {
                fingerprint: fpr(&k)
            }))
        );
    }
}

fn item_with(sig: Vec<u8>) -> Item {
    let mut item = Item::new("firmware.bin");
    item.add_blob(Blob::new(BlobKind::Gpg, BlobFlags::IS_UTF8, sig, Some(1)));
    item
}

fn passes_requiring(trust: &jcat_core::TrustStore, item: &Item, signer: &str) -> bool {
    let mut policy = Policy::new(jcat_core::TimeCheck::At(chrono::Utc::now().timestamp()));
    policy.time = TimeCheck::At(PINNED);
    policy.require_signers = vec![signer.to_string()];
    jcat_core::verify_item(item, Payload::Bytes(PAYLOAD), trust, &policy).passed()
}

#[test]
fn revoked_user_id_never_satisfies_require_signer() {
    const KEPT: &str = "Kept <kept@example.org>";
    const GONE: &str = "Revoked <revoked@example.org>";
    let k = fresh::key(&[KEPT, GONE], Y2020);
    let item = item_with(good_sig(&k, Y2020 + 100, PAYLOAD));
    let intact = fresh::trust(&k.to_public_key());
    assert!(passes_requiring(&intact, &item, GONE));
    let public = k.to_public_key();
    let user = public
        .details
        .users
        .iter()
        .find(|u| u.id.id() == GONE.as_bytes())
        .unwrap();
    // Revoked after (and, for a second case, before) its certification.
    for when in [Y2020 + 50, Y2020 - 50] {
        let mut user = user.clone();
        user.signatures.push(certify(
            &k,
            &user.id,
            HashAlgorithm::Sha256,
            when,
            SignatureType::CertRevocation,
        ));
        let mut public = public.clone();
        public.details.users[1] = user;
        let trust = fresh::trust(&public);
        let keys = jcat_core::trust::pgp_keys::parse_public_keys(
            &public.to_armored_bytes(Default::default()).unwrap(),
        )
        .unwrap();
        assert_eq!(keys[0].user_ids(), [KEPT.to_string()]);
        assert!(!passes_requiring(&trust, &item, GONE), "{when}");
        assert!(passes_requiring(&trust, &item, KEPT), "{when}");
        assert!(passes_requiring(&trust, &item, &fpr(&k)), "{when}");
    }
    assert_eq!(public.details.users[1].id.id(), GONE.as_bytes());
}

#[test]
fn unknown_key_is_named_by_issuer_fingerprint_when_present() {
    let k = fresh::key(&["Absent <absent@example.org>"], Y2020);
    let other = fresh::key(&["Present <present@example.org>"], Y2020);
    let trust = fresh::trust(&other.to_public_key());
    let with_fpr = good_sig(&k, Y2020 + 5, PAYLOAD);
    let err = verify(&trust, TimeCheck::At(PINNED), &with_fpr, PAYLOAD).unwrap_err();
    assert_eq!(err, SigError::OpenPgp(PgpError::UnknownKey { id: fpr(&k) }));
    assert_eq!(
        err.to_string(),
        format!("Could not check signature '{}' as no public key", fpr(&k))
    );
    // Only the (unhashed) 16-hex key ID: that is what is printed.
    let only_id = data_sig(
        &k,
        HashAlgorithm::Sha256,
        vec![
            Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
                Y2020 + 5,
            )))
            .unwrap(),
        ],
        PAYLOAD,
    );
    let key_id = fpr(&k)[24..].to_string();
    assert_eq!(
        verify(&trust, TimeCheck::At(PINNED), &only_id, PAYLOAD),
        Err(SigError::OpenPgp(PgpError::UnknownKey { id: key_id }))
    );
}

/// The user ID of the old key, as a chain entry.
fn old_uid() -> jcat_core::ChainEntry {
    jcat_core::ChainEntry::UserId("Old Key <old@example.org>".into())
}
