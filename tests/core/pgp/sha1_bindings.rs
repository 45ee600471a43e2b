//! The SHA-1 self-signature cut-off applied to subkey bindings and their
//! back-signatures (fresh RSA keys with a signing subkey, made by rPGP).

use jcat_core::reasons::PgpError;
use jcat_core::SHA1_SELF_SIG_CUTOFF;
use jcat_core::{SigError, TimeCheck};
use pgp::composed::{KeyType, SignedPublicKey, SignedSecretKey, SubkeyParamsBuilder};
use pgp::crypto::hash::HashAlgorithm;
use pgp::packet::{KeyFlags, SignatureConfig, SignatureType, Subpacket, SubpacketData};
use pgp::types::{KeyDetails as _, Password, Timestamp};

use super::fresh::{self, data_sig_by, standard_hashed_by, Y2020};
use super::verify;

const PAYLOAD: &[u8] = b"signed by a subkey\n";

fn key_with_signing_subkey() -> SignedSecretKey {
    let sub = SubkeyParamsBuilder::default()
        .key_type(KeyType::Rsa(2048))
        .can_sign(true)
        .created_at(Timestamp::from_secs(Y2020))
        .build()
        .unwrap();
    fresh::key_with(
        KeyType::Rsa(2048),
        &["Subkeys <subkeys@example.org>"],
        Y2020,
        vec![sub],
    )
}

fn sub(subpacket: SubpacketData) -> Subpacket {
    Subpacket::regular(subpacket).unwrap()
}

/// The public key with the subkey bound by a `binding_hash` binding whose
/// back-signature uses `back_hash`, both made at `created`.
fn bound(
    k: &SignedSecretKey,
    binding_hash: HashAlgorithm,
    back_hash: HashAlgorithm,
    created: u32,
) -> SignedPublicKey {
    let primary = &k.primary_key;
    let secret_sub = &k.secret_subkeys[0].key;
    let mut public = k.to_public_key();
    let public_sub = public.public_subkeys[0].key.clone();
    let time = || {
        sub(SubpacketData::SignatureCreationTime(Timestamp::from_secs(
            created,
        )))
    };
    let mut back =
        SignatureConfig::v4(SignatureType::KeyBinding, secret_sub.algorithm(), back_hash);
    back.hashed_subpackets = vec![
        time(),
        sub(SubpacketData::IssuerFingerprint(secret_sub.fingerprint())),
    ];
    let back = back
        .sign_primary_key_binding(
            secret_sub,
            &public_sub,
            &Password::empty(),
            primary.public_key(),
        )
        .unwrap();
    let mut flags = KeyFlags::default();
    flags.set_sign(true);
    let mut binding = SignatureConfig::v4(
        SignatureType::SubkeyBinding,
        primary.algorithm(),
        binding_hash,
    );
    binding.hashed_subpackets = vec![
        time(),
        sub(SubpacketData::IssuerFingerprint(primary.fingerprint())),
        sub(SubpacketData::KeyFlags(flags)),
    ];
    binding.unhashed_subpackets = vec![sub(SubpacketData::EmbeddedSignature(Box::new(back)))];
    let binding = binding
        .sign_subkey_binding(
            primary,
            primary.public_key(),
            &Password::empty(),
            &public_sub,
        )
        .unwrap();
    public.public_subkeys[0].signatures = vec![binding];
    public
}

#[test]
fn sha1_bindings_and_back_signatures_count_only_before_the_cutoff() {
    let cutoff = u32::try_from(SHA1_SELF_SIG_CUTOFF).unwrap();
    let k = key_with_signing_subkey();
    let subkey = &k.secret_subkeys[0].key;
    let subkey_fpr = format!("{:X}", subkey.fingerprint());
    let sig = data_sig_by(
        subkey,
        HashAlgorithm::Sha256,
        standard_hashed_by(subkey, cutoff + 86_400),
        PAYLOAD,
    );
    let at = TimeCheck::At(i64::from(cutoff) + 30 * 86_400);
    let (sha1, sha256) = (HashAlgorithm::Sha1, HashAlgorithm::Sha256);
    for (binding, back, created) in [(sha1, sha1, cutoff - 60), (sha256, sha256, cutoff + 60)] {
        let trust = fresh::trust(&bound(&k, binding, back, created));
        let v = verify(&trust, at, &sig, PAYLOAD).unwrap();
        assert_eq!(v.authority.as_deref(), Some(subkey_fpr.as_str()));
    }
    let primary_fpr = format!("{:X}", k.primary_key.fingerprint());
    let trust = fresh::trust(&bound(&k, sha1, sha256, cutoff + 60));
    assert_eq!(
        verify(&trust, at, &sig, PAYLOAD),
        Err(SigError::OpenPgp(PgpError::UnboundSubkey {
            subkey: subkey_fpr.clone(),
            primary: primary_fpr
        }))
    );
    let trust = fresh::trust(&bound(&k, sha256, sha1, cutoff + 60));
    assert_eq!(
        verify(&trust, at, &sig, PAYLOAD),
        Err(SigError::OpenPgp(PgpError::NotCrossCertified {
            subkey: subkey_fpr
        }))
    );
}
