//! Subkeys whose binding to the primary key is broken (keys made by gpg,
//! then altered with rPGP).

use jcat_core::engine::pgp::PgpError;
use jcat_core::{SigError, TimeCheck};

use super::interop::{now, setup, Gpg, PAYLOAD};
use super::{trust_with, verify};

/// A primary key (certify only) for `uid` with an Ed25519 signing subkey,
/// and gpg's detached signature of the payload by that subkey: (primary
/// fingerprint, subkey fingerprint, signature).
fn signed_by_a_subkey(gpg: &Gpg, uid: &str) -> (String, String, Vec<u8>) {
    let fpr = gpg.gen("", uid, "ed25519", "cert", "never");
    gpg.run(&["--quick-add-key", &fpr, "ed25519", "sign", "never"]);
    let sub = gpg.fingerprints(&fpr)[1].clone();
    let payload = setup(gpg);
    let sig = gpg.run(&["--detach-sign", "-o", "-", payload.to_str().unwrap()]);
    (fpr, sub, sig)
}

#[test]
fn subkey_without_binding_signature_is_refused() {
    use pgp::composed::{Deserializable as _, SignedPublicKey};
    if !crate::common::have_tool("gpg") {
        return;
    }
    let gpg = Gpg::new();
    let (fpr, sub, sig) = signed_by_a_subkey(&gpg, "Unbound <unbound@example.org>");
    let mut key = SignedPublicKey::from_bytes(&gpg.run(&["--export", &fpr])[..]).unwrap();
    // rPGP drops a subkey without signatures, so give it another key's binding.
    let other = gpg.gen("", "Other <other@example.org>", "ed25519", "cert", "never");
    gpg.run(&["--quick-add-key", &other, "ed25519", "sign", "never"]);
    let other_key = SignedPublicKey::from_bytes(&gpg.run(&["--export", &other])[..]).unwrap();
    key.public_subkeys[0].signatures = other_key.public_subkeys[0].signatures.clone();
    let path = gpg.path("GPG-KEY-unbound");
    std::fs::write(&path, key.to_armored_bytes(Default::default()).unwrap()).unwrap();
    let r = verify(&trust_with(&[path]), TimeCheck::At(now()), &sig, PAYLOAD);
    assert_eq!(
        r,
        Err(SigError::OpenPgp(PgpError::UnboundSubkey {
            subkey: sub,
            primary: fpr
        }))
    );
}

#[test]
fn signing_subkey_without_back_signature_is_refused() {
    use pgp::composed::{Deserializable as _, SignedPublicKey, SignedSecretKey};
    use pgp::crypto::hash::HashAlgorithm;
    use pgp::packet::{KeyFlags, SignatureConfig, SignatureType, Subpacket, SubpacketData};
    use pgp::types::{KeyDetails as _, Password, Timestamp};
    if !crate::common::have_tool("gpg") {
        return;
    }
    let gpg = Gpg::new();
    let (fpr, sub, sig) = signed_by_a_subkey(&gpg, "No Backsig <nb@example.org>");
    let secret =
        SignedSecretKey::from_bytes(&gpg.run(&["--export-secret-keys", &fpr])[..]).unwrap();
    let mut key = SignedPublicKey::from_bytes(&gpg.run(&["--export", &fpr])[..]).unwrap();
    // A valid binding by the primary key with the signing flag, but without
    // the embedded primary-key binding signature of the subkey.
    let primary = &secret.primary_key;
    let mut config = SignatureConfig::v4(
        SignatureType::SubkeyBinding,
        primary.algorithm(),
        HashAlgorithm::Sha256,
    );
    let mut flags = KeyFlags::default();
    flags.set_sign(true);
    config.hashed_subpackets = vec![
        Subpacket::regular(SubpacketData::SignatureCreationTime(Timestamp::now())).unwrap(),
        Subpacket::regular(SubpacketData::IssuerFingerprint(primary.fingerprint())).unwrap(),
        Subpacket::regular(SubpacketData::KeyFlags(flags)).unwrap(),
    ];
    let subkey = key.public_subkeys[0].key.clone();
    let binding = config
        .sign_subkey_binding(primary, primary.public_key(), &Password::empty(), &subkey)
        .unwrap();
    key.public_subkeys[0].signatures = vec![binding];
    let path = gpg.path("GPG-KEY-nobacksig");
    std::fs::write(&path, key.to_armored_bytes(Default::default()).unwrap()).unwrap();
    assert_eq!(
        verify(&trust_with(&[path]), TimeCheck::At(now()), &sig, PAYLOAD),
        Err(SigError::OpenPgp(PgpError::NotCrossCertified {
            subkey: sub
        }))
    );
}
