//! OpenPGP keys and signatures made by the tests with rPGP (no external
//! tool): v4 Ed25519 keys, and data signatures whose hashed subpackets and
//! hash algorithm the test chooses (hashed by hand, so that even subpackets
//! rPGP refuses to sign can be made).

use std::path::Path;

use jcat_core::{Limits, TrustStore};
use pgp::composed::{
    ArmorOptions, DetachedSignature, KeyType, SecretKeyParamsBuilder, SignedPublicKey,
    SignedSecretKey, SubkeyParams,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{
    KeyFlags, Signature, SignatureConfig, SignatureType, Subpacket, SubpacketData, UserId,
};
use pgp::ser::Serialize as _;
use pgp::types::{KeyDetails as _, Password, SigningKey, Tag, Timestamp};

/// 2020-01-01T00:00:00Z.
pub const Y2020: u32 = 1_577_836_800;

/// A fresh v4 Ed25519 signing key with the given user IDs (first = primary),
/// created at `created`, self-certified (SHA-256) one second later.
pub fn key(uids: &[&str], created: u32) -> SignedSecretKey {
    key_of(KeyType::Ed25519Legacy, uids, created)
}

/// [`key`] with another algorithm.
pub fn key_of(key_type: KeyType, uids: &[&str], created: u32) -> SignedSecretKey {
    key_with(key_type, uids, created, Vec::new())
}

/// [`key_of`] with subkeys (their bindings are rPGP's, dated "now").
pub fn key_with(
    key_type: KeyType,
    uids: &[&str],
    created: u32,
    subkeys: Vec<SubkeyParams>,
) -> SignedSecretKey {
    let mut b = SecretKeyParamsBuilder::default();
    b.key_type(key_type)
        .can_certify(true)
        .can_sign(true)
        .created_at(Timestamp::from_secs(created))
        .primary_user_id(uids[0].to_string())
        .user_ids(uids[1..].iter().map(|u| u.to_string()).collect())
        .subkeys(subkeys);
    let mut k = b.build().unwrap().generate(rand_core::OsRng).unwrap();
    // rPGP dates its self-signatures "now": re-certify at a fixed time.
    let users = std::mem::take(&mut k.details.users);
    for mut u in users {
        u.signatures = vec![certify(
            &k,
            &u.id,
            HashAlgorithm::Sha256,
            created + 1,
            SignatureType::CertPositive,
        )];
        k.details.users.push(u);
    }
    k
}

/// A trust store holding `public`.
pub fn trust(public: &SignedPublicKey) -> TrustStore {
    let mut t = TrustStore::new();
    let bytes = public.to_armored_bytes(ArmorOptions::default()).unwrap();
    t.add_bytes(Path::new("GPG-KEY-test"), &bytes, &Limits::default());
    assert!(t.skipped().is_empty(), "{:?}", t.skipped());
    t
}

/// The usual hashed subpackets: creation time and issuer fingerprint.
pub fn standard_hashed(key: &SignedSecretKey, created: u32) -> Vec<Subpacket> {
    standard_hashed_by(&key.primary_key, created)
}

/// [`standard_hashed`] naming any signing key (a subkey).
pub fn standard_hashed_by(signer: &dyn SigningKey, created: u32) -> Vec<Subpacket> {
    vec![
        Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
            created,
        )))
        .unwrap(),
        Subpacket::regular(SubpacketData::IssuerFingerprint(signer.fingerprint())).unwrap(),
    ]
}

/// An armored detached v4 binary signature over `payload` by the primary
/// key, with exactly these hashed subpackets (and the key ID unhashed).
pub fn data_sig(
    key: &SignedSecretKey,
    hash: HashAlgorithm,
    hashed: Vec<Subpacket>,
    payload: &[u8],
) -> Vec<u8> {
    data_sig_by(&key.primary_key, hash, hashed, payload)
}

/// [`data_sig`] by any signing key (a subkey).
pub fn data_sig_by(
    primary: &dyn SigningKey,
    hash: HashAlgorithm,
    hashed: Vec<Subpacket>,
    payload: &[u8],
) -> Vec<u8> {
    let mut config = SignatureConfig::v4(SignatureType::Binary, primary.algorithm(), hash);
    config.hashed_subpackets = hashed;
    config.unhashed_subpackets =
        vec![Subpacket::regular(SubpacketData::IssuerKeyId(primary.legacy_key_id())).unwrap()];
    // RFC 9580 §5.2.4, version 4: payload, then the hashed part and trailer.
    let mut area = Vec::new();
    for sp in &config.hashed_subpackets {
        sp.to_writer(&mut area).unwrap();
    }
    let mut hashed_part = vec![
        4,
        SignatureType::Binary.into(),
        primary.algorithm().into(),
        hash.into(),
    ];
    hashed_part.extend_from_slice(&u16::try_from(area.len()).unwrap().to_be_bytes());
    hashed_part.extend_from_slice(&area);
    let mut h = hash.new_hasher().unwrap();
    h.update(payload);
    h.update(&hashed_part);
    h.update(&[4, 0xff]);
    h.update(&u32::try_from(hashed_part.len()).unwrap().to_be_bytes());
    let digest = h.finalize().to_vec();
    let bytes = primary.sign(&Password::empty(), hash, &digest).unwrap();
    let sig = Signature::from_config(config, [digest[0], digest[1]], bytes).unwrap();
    DetachedSignature::new(sig)
        .to_armored_bytes(ArmorOptions::default())
        .unwrap()
}

/// A SHA-256 data signature with the standard subpackets made at `created`.
pub fn good_sig(key: &SignedSecretKey, created: u32, payload: &[u8]) -> Vec<u8> {
    data_sig(
        key,
        HashAlgorithm::Sha256,
        standard_hashed(key, created),
        payload,
    )
}

/// A self-certification (or certification revocation) of `uid` by the
/// primary key of `k`, with the given hash and creation time.
pub fn certify(
    k: &SignedSecretKey,
    uid: &UserId,
    hash: HashAlgorithm,
    created: u32,
    typ: SignatureType,
) -> Signature {
    let primary = &k.primary_key;
    let mut config = SignatureConfig::v4(typ, primary.algorithm(), hash);
    let mut flags = KeyFlags::default();
    flags.set_sign(true);
    flags.set_certify(true);
    config.hashed_subpackets = vec![
        Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
            created,
        )))
        .unwrap(),
        Subpacket::regular(SubpacketData::IssuerFingerprint(primary.fingerprint())).unwrap(),
        Subpacket::regular(SubpacketData::KeyFlags(flags)).unwrap(),
    ];
    config.unhashed_subpackets =
        vec![Subpacket::regular(SubpacketData::IssuerKeyId(primary.legacy_key_id())).unwrap()];
    config
        .sign_certification(
            primary,
            primary.public_key(),
            &Password::empty(),
            Tag::UserId,
            uid,
        )
        .unwrap()
}
