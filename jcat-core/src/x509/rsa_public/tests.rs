use super::*;
use rsa::pkcs1::EncodeRsaPublicKey;
use sha2::Digest as _;

fn schemes() -> Vec<(rsa::Pkcs1v15Sign, Vec<u8>)> {
    vec![
        (
            rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
            sha1::Sha1::digest(b"payload").to_vec(),
        ),
        (
            rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            sha2::Sha256::digest(b"payload").to_vec(),
        ),
        (
            rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            sha2::Sha512::digest(b"payload").to_vec(),
        ),
    ]
}

/// Our verdict and the `rsa` crate's, which must agree.
fn both(
    key: &rsa::RsaPublicKey,
    prepared: &PreparedKey,
    scheme: &rsa::Pkcs1v15Sign,
    hashed: &[u8],
    sig: &[u8],
) -> bool {
    let ours = prepared.verify(scheme, hashed, sig);
    let theirs = key.verify(scheme.clone(), hashed, sig).is_ok();
    assert_eq!(
        ours,
        theirs,
        "disagreement on a {}-byte signature",
        sig.len()
    );
    ours
}

#[test]
fn agrees_with_the_rsa_crate_on_good_and_broken_signatures() {
    // 2048 and 3072 bits (the V3 sizes), 1024 (a small key in the 2048-bit
    // integers) and 2056 (a modulus one byte over 2048 bits).
    for bits in [2048, 3072, 1024, 2056] {
        let sk = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, bits).unwrap();
        let pk = sk.to_public_key();
        let der = pk.to_pkcs1_der().unwrap();
        let prepared = PreparedKey::from_pkcs1_der(der.as_bytes()).unwrap();
        assert!(!matches!(prepared.fast, Fast::Big(_)), "{bits} bits");
        for (scheme, hashed) in schemes() {
            let sig = sk.sign(scheme.clone(), &hashed).unwrap();
            assert!(both(&pk, &prepared, &scheme, &hashed, &sig), "{bits} bits");
            // Every bit of a few bytes flipped.
            for at in [0, 1, sig.len() / 2, sig.len() - 1] {
                for bit in 0..8 {
                    let mut bad = sig.clone();
                    bad[at] ^= 1 << bit;
                    assert!(!both(&pk, &prepared, &scheme, &hashed, &bad));
                }
            }
            // Another hash, a truncated hash, a wrong-length signature.
            let mut other = hashed.clone();
            other[0] ^= 1;
            assert!(!both(&pk, &prepared, &scheme, &other, &sig));
            assert!(!both(&pk, &prepared, &scheme, &hashed[1..], &sig));
            assert!(!both(&pk, &prepared, &scheme, &hashed, &sig[1..]));
            let mut long = vec![0u8];
            long.extend_from_slice(&sig);
            assert!(!both(&pk, &prepared, &scheme, &hashed, &long));
            // s = 0, s = n, s = n + 1 (not below the modulus), all ones.
            let n = pk.n().to_bytes_be();
            let mut n1 = n.clone();
            *n1.last_mut().unwrap() = n1.last().unwrap().wrapping_add(1);
            for s in [vec![0u8; n.len()], n.clone(), n1, vec![0xff; n.len()]] {
                assert!(!both(&pk, &prepared, &scheme, &hashed, &s));
            }
        }
    }
}

#[test]
fn a_signature_under_another_scheme_or_key_fails() {
    let sk = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
    let other = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
    let der = other.to_public_key().to_pkcs1_der().unwrap();
    let prepared = PreparedKey::from_pkcs1_der(der.as_bytes()).unwrap();
    let s = schemes();
    let (sha1, h1) = &s[0];
    let (sha256, h256) = &s[1];
    let sig = sk.sign(sha256.clone(), h256).unwrap();
    assert!(!both(&other.to_public_key(), &prepared, sha256, h256, &sig));
    let own = other.sign(sha256.clone(), h256).unwrap();
    // The right key, the DigestInfo of another hash: refused.
    assert!(!both(&other.to_public_key(), &prepared, sha1, h1, &own));
    // Unprefixed (raw) PKCS#1 v1.5 is the `rsa` crate's too.
    let raw = rsa::Pkcs1v15Sign::new_unprefixed();
    let sig = other.sign(raw.clone(), h256).unwrap();
    assert!(both(&other.to_public_key(), &prepared, &raw, h256, &sig));
}

#[test]
fn keys_are_decoded_by_the_rsa_crate_and_cached() {
    assert!(PreparedKey::from_pkcs1_der(b"\x30\x03\x02\x01\x01").is_err());
    let keys = RsaKeys::default();
    assert!(keys.prepared(b"not a key").is_err());
    let sk = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 1024).unwrap();
    let der = sk.to_public_key().to_pkcs1_der().unwrap();
    let a = keys.prepared(der.as_bytes()).unwrap();
    let b = keys.prepared(der.as_bytes()).unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert_eq!(keys.len(), 1);
    // Another run's cache does not share it.
    let other = RsaKeys::default();
    assert!(!Arc::ptr_eq(&a, &other.prepared(der.as_bytes()).unwrap()));
}

#[test]
fn public_exponentiation_agrees_with_the_constant_time_pow() {
    use crypto_bigint::{Random, U2048};
    let sk = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).unwrap();
    let n = U2048::from_be_slice(&pad(&sk.n().to_bytes_be(), 256).unwrap());
    let params = DynResidueParams::new(&n);
    // 0 and 1 (edge cases), small exponents, 65537, and random exponents of
    // every length up to the modulus'.
    let mut exps: Vec<U2048> = [0u64, 1, 2, 3, 17, 65537, (1 << 33) - 1]
        .iter()
        .map(|e| U2048::from_u64(*e))
        .collect();
    for bits in [5usize, 64, 1000, 2047] {
        exps.push(U2048::random(&mut rand_core::OsRng) >> (2048 - bits));
    }
    for e in exps {
        let base = DynResidue::new(&(U2048::random(&mut rand_core::OsRng) >> 1), params);
        let bits = e.bits_vartime();
        assert_eq!(
            pow_public(&base, &e, bits).retrieve(),
            base.pow_bounded_exp(&e, bits).retrieve(),
            "exponent of {bits} bits"
        );
    }
}
