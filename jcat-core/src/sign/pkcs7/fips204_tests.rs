//! Cross-check with a second Rust ML-DSA implementation (`fips204`, dev
//! dependency only): key derivation from the seed, our expanded-key checks
//! on its expanded keys, and our signatures (signed attributes, no
//! attributes, from an expanded-only key) verified by it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use fips204::traits::{KeyGen, SerDes, Verifier};

use super::key::PrivateKey;
use super::mldsa_key::MlDsaKey;
use super::pq_tests::{pem, pki};
use super::SignedForm;
use crate::engine::pkcs7::parse;
use crate::x509::mldsa::MlDsaSet;
use crate::{Limits, Payload};

const SETS: [MlDsaSet; 3] = [MlDsaSet::MlDsa44, MlDsaSet::MlDsa65, MlDsaSet::MlDsa87];

macro_rules! fips {
    ($set:expr, $m:ident => $body:expr) => {
        match $set {
            MlDsaSet::MlDsa44 => {
                use fips204::ml_dsa_44 as $m;
                $body
            }
            MlDsaSet::MlDsa65 => {
                use fips204::ml_dsa_65 as $m;
                $body
            }
            MlDsaSet::MlDsa87 => {
                use fips204::ml_dsa_87 as $m;
                $body
            }
        }
    };
}

/// fips204's (public key, expanded private key) from a seed.
fn keygen(set: MlDsaSet, seed: [u8; 32]) -> (Vec<u8>, Vec<u8>) {
    fips!(set, m => {
        let (pk, sk) = m::KG::keygen_from_seed(&seed);
        (pk.into_bytes().to_vec(), sk.into_bytes().to_vec())
    })
}

/// fips204's verdict on a pure ML-DSA signature, empty context.
fn verifies(set: MlDsaSet, pk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    fips!(set, m => {
        let pk = m::PublicKey::try_from_bytes(pk.try_into().unwrap()).unwrap();
        pk.verify(msg, &sig.try_into().unwrap(), b"")
    })
}

/// The SignerInfo's signed bytes (attributes, or `payload` without them)
/// and signature.
fn signed(blob: &[u8], payload: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let der = parse::decode_pem_or_der(blob).unwrap();
    let sd = parse::parse(&der, &Limits::default()).unwrap();
    let si = &sd.signers[0];
    let msg = si
        .attrs
        .as_ref()
        .map_or_else(|| payload.to_vec(), |a| a.signed_bytes());
    (msg, si.signature.to_vec())
}

#[test]
fn seeds_give_the_same_keys_and_its_expanded_keys_pass_our_checks() {
    for set in SETS {
        let (pk, sk) = keygen(set, [0x5a; 32]);
        assert_eq!(
            MlDsaKey::from_seed(set, [0x5a; 32]).public_key(),
            pk,
            "{set}"
        );
        let ours = MlDsaKey::from_expanded(set, &sk).unwrap();
        assert_eq!(ours.public_key(), pk, "{set}");
    }
}

#[test]
fn our_signatures_verify_with_fips204() {
    let payload = b"cross-checked payload";
    for set in SETS {
        let p = pki(set);
        let chain = [pem("CERTIFICATE", &p.leaf), pem("CERTIFICATE", &p.ca)].concat();
        let PrivateKey::MlDsa(k) = &p.key else {
            unreachable!()
        };
        let pk = k.public_key();
        for form in [SignedForm::SignedAttributes, SignedForm::NoAttributes] {
            let key = p.key.to_pem().unwrap();
            let blob =
                super::sign_as(Payload::Bytes(payload), &chain, key.as_bytes(), 1, form).unwrap();
            let (msg, sig) = signed(&blob, payload);
            assert!(verifies(set, &pk, &msg, &sig), "{set} {form:?}");
            let mut bad = msg.clone();
            bad[0] ^= 1;
            assert!(!verifies(set, &pk, &bad, &sig), "{set} {form:?}");
        }
    }
}

#[test]
fn signatures_from_an_expanded_only_key_verify_with_fips204() {
    for set in SETS {
        let (pk, sk) = keygen(set, [0x33; 32]);
        let key = MlDsaKey::from_expanded(set, &sk).unwrap();
        let sig = key.sign(b"message").unwrap();
        assert!(verifies(set, &pk, b"message", &sig), "{set}");
        let (streamed, _) = key.sign_payload(Payload::Bytes(b"message")).unwrap();
        assert_eq!(streamed, sig, "{set}");
    }
}
