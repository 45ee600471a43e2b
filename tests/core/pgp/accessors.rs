//! `PgpPublicKey` (D66): the trust store's OpenPGP keys seen through
//! accessors, without the `pgp` crate's key type in the API.

use jcat_core::PgpPublicKey;
use pgp::composed::{KeyType, SubkeyParamsBuilder};
use pgp::types::{KeyDetails as _, Timestamp};

use super::fresh::{self, Y2020};

#[test]
fn loaded_keys_show_fingerprints_key_id_user_ids_and_subkeys() {
    let sub = SubkeyParamsBuilder::default()
        .key_type(KeyType::Ed25519Legacy)
        .can_sign(true)
        .created_at(Timestamp::from_secs(Y2020))
        .build()
        .unwrap();
    let secret = fresh::key_with(
        KeyType::Ed25519Legacy,
        &["First <first@example.org>", "Second <second@example.org>"],
        Y2020,
        vec![sub],
    );
    let public = secret.to_public_key();
    let trust = fresh::trust(&public);
    let [key] = trust.pgp_keys() else {
        panic!("one key expected: {:?}", trust.pgp_keys());
    };
    let fpr = format!("{:X}", public.fingerprint());
    assert_eq!(key.fingerprint(), fpr);
    assert_eq!(key.key_id(), fpr[fpr.len() - 16..]);
    assert_eq!(
        key.user_ids(),
        ["First <first@example.org>", "Second <second@example.org>"]
    );
    assert_eq!(
        key.subkey_fingerprints(),
        [format!("{:X}", public.public_subkeys[0].key.fingerprint())]
    );
    assert_ne!(key.subkey_fingerprints()[0], fpr);
    // parse_all reads the same key from the exported bytes.
    let bytes = public.to_armored_bytes(Default::default()).unwrap();
    let parsed = PgpPublicKey::parse_all(&bytes).unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0].fingerprint(), fpr);
    assert_eq!(parsed[0].user_ids(), key.user_ids());
}
