//! Validation of an ML-DSA expanded private key (FIPS 204 skEncode: ρ ‖ K ‖
//! tr ‖ s1 ‖ s2 ‖ t0), before `ml-dsa` 0.1.2 is given it: its decoder
//! (`ExpandedSigningKey::from_expanded`) asserts that every s1/s2
//! coefficient is in range (a malformed key panics) and checks nothing
//! else. We check, with our own arithmetic (the crate does not expose its
//! NTT), that the key is the one its parts give:
//!
//! * every s1, s2 coefficient in [-η, η];
//! * t0 is the low part of t = NTT⁻¹(Â ∘ NTT(s1)) + s2 (Power2Round), Â
//!   expanded from ρ (ExpandA);
//! * tr = SHAKE256(ρ ‖ t1, 64), the hash of the public key the key gives.
//!
//! The same public key is then compared with the certificate's by the
//! signer, as for every key.

use sha3::digest::{ExtendableOutput, Update, XofReader};

use super::mldsa_key::MlDsaKeyError;
use crate::x509::mldsa::MlDsaSet;

const Q: i64 = 8_380_417;
const N: usize = 256;
type Poly = [i64; N];

/// (k, l, η) of a parameter set.
fn shape(set: MlDsaSet) -> (usize, usize, u32) {
    match set {
        MlDsaSet::MlDsa44 => (4, 4, 2),
        MlDsaSet::MlDsa65 => (6, 5, 4),
        MlDsaSet::MlDsa87 => (8, 7, 2),
    }
}

/// Bytes of one s1/s2 polynomial (3 bits a coefficient for η = 2, 4 for η = 4).
fn eta_bits(eta: u32) -> usize {
    if eta == 2 {
        3
    } else {
        4
    }
}

/// The length of the expanded key of `set`.
pub(crate) fn expanded_len(set: MlDsaSet) -> usize {
    let (k, l, eta) = shape(set);
    128 + (k + l) * 32 * eta_bits(eta) + k * 416
}

/// FIPS 204 BitUnpack's raw fields: `bits`-bit little-endian values.
fn unpack(bytes: &[u8], bits: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(bytes.len() * 8 / bits);
    let (mut acc, mut have) = (0u64, 0usize);
    let mask = (1u64 << bits) - 1;
    for b in bytes {
        acc |= u64::from(*b) << have;
        have += 8;
        while have >= bits {
            out.push((acc & mask) as u32);
            acc >>= bits;
            have -= bits;
        }
    }
    out
}

/// Polynomials of `fields` values each mapped by `f` (`None`: out of range).
fn polys(raw: &[u32], f: impl Fn(u32) -> Option<i64>) -> Option<Vec<Poly>> {
    raw.chunks_exact(N)
        .map(|c| {
            let mut p = [0i64; N];
            for (dst, v) in p.iter_mut().zip(c) {
                *dst = f(*v)?;
            }
            Some(p)
        })
        .collect()
}

fn pow_mod(mut b: i64, mut e: u32) -> i64 {
    let mut r = 1i64;
    while e > 0 {
        if e & 1 == 1 {
            r = r * b % Q;
        }
        b = b * b % Q;
        e >>= 1;
    }
    r
}

/// ζ^BitRev8(i) mod q for i in 0..256, ζ = 1753.
fn zetas() -> Vec<i64> {
    (0u32..256)
        .map(|i| pow_mod(1753, (i as u8).reverse_bits().into()))
        .collect()
}

/// FIPS 204 Algorithm 41.
fn ntt(w: &mut Poly, z: &[i64]) {
    let mut m = 0usize;
    let mut len = 128usize;
    while len >= 1 {
        for chunk in w.chunks_exact_mut(2 * len) {
            m += 1;
            let zeta = z.get(m).copied().unwrap_or(0);
            let (lo, hi) = chunk.split_at_mut(len);
            for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
                let t = zeta * *b % Q;
                *b = (*a - t).rem_euclid(Q);
                *a = (*a + t) % Q;
            }
        }
        len /= 2;
    }
}

/// FIPS 204 Algorithm 42.
fn ntt_inverse(w: &mut Poly, z: &[i64]) {
    let mut m = 256usize;
    let mut len = 1usize;
    while len < N {
        for chunk in w.chunks_exact_mut(2 * len) {
            m -= 1;
            let zeta = Q - z.get(m).copied().unwrap_or(0);
            let (lo, hi) = chunk.split_at_mut(len);
            for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
                let t = *a;
                *a = (t + *b) % Q;
                *b = (t - *b).rem_euclid(Q) * zeta % Q;
            }
        }
        len *= 2;
    }
    for c in w.iter_mut() {
        *c = *c * 8_347_681 % Q;
    }
}

/// FIPS 204 Algorithm 30 (RejNTTPoly) of ρ ‖ s ‖ r.
fn rej_ntt_poly(rho: &[u8], s: u8, r: u8) -> Poly {
    let mut h = sha3::Shake128::default();
    h.update(rho);
    h.update(&[s, r]);
    let mut xof = h.finalize_xof();
    let mut p = [0i64; N];
    let mut filled = 0usize;
    let mut three = [0u8; 3];
    while filled < N {
        xof.read(&mut three);
        let [b0, b1, b2] = three;
        let z = i64::from(b0) | i64::from(b1) << 8 | i64::from(b2 & 0x7f) << 16;
        if z < Q {
            if let Some(slot) = p.get_mut(filled) {
                *slot = z;
            }
            filled += 1;
        }
    }
    p
}

/// Checks an expanded key of `set` (length already checked by the caller
/// or here): coefficient ranges, t0 and tr against what ρ, s1 and s2 give.
pub(crate) fn check(set: MlDsaSet, key: &[u8]) -> Result<(), MlDsaKeyError> {
    let expected = expanded_len(set);
    if key.len() != expected {
        return Err(MlDsaKeyError::ExpandedLength {
            set,
            len: key.len(),
            expected,
        });
    }
    let (k, l, eta) = shape(set);
    let sb = 32 * eta_bits(eta);
    let (head, rest) = key.split_at(128);
    let (rho, tr) = (
        head.get(..32).unwrap_or_default(),
        head.get(64..).unwrap_or_default(),
    );
    let (s1b, rest) = rest.split_at(l * sb);
    let (s2b, t0b) = rest.split_at(k * sb);
    let eta_coeff = |x: u32| (x <= 2 * eta).then(|| (i64::from(eta) - i64::from(x)).rem_euclid(Q));
    let s1 = polys(&unpack(s1b, eta_bits(eta)), eta_coeff)
        .ok_or(MlDsaKeyError::CoefficientRange { set, part: "s1" })?;
    let s2 = polys(&unpack(s2b, eta_bits(eta)), eta_coeff)
        .ok_or(MlDsaKeyError::CoefficientRange { set, part: "s2" })?;
    let t0 = polys(&unpack(t0b, 13), |x| Some(4096 - i64::from(x))).unwrap_or_default();
    let z = zetas();
    let s1_hat: Vec<Poly> = s1
        .iter()
        .map(|p| {
            let mut h = *p;
            ntt(&mut h, &z);
            h
        })
        .collect();
    let mut pk = rho.to_vec();
    let mut t1_bits = (0u64, 0usize);
    for (r, (s2r, t0r)) in s2.iter().zip(&t0).enumerate() {
        let mut acc = [0i64; N];
        for (s, s1h) in s1_hat.iter().enumerate() {
            let a = rej_ntt_poly(rho, s as u8, r as u8);
            for ((c, x), y) in acc.iter_mut().zip(&a).zip(s1h) {
                *c = (*c + x * y) % Q;
            }
        }
        ntt_inverse(&mut acc, &z);
        for ((t, s2c), t0c) in acc.iter().zip(s2r).zip(t0r) {
            let t = (t + s2c) % Q;
            let mut low = t % 8192;
            if low > 4096 {
                low -= 8192;
            }
            if low != *t0c {
                return Err(MlDsaKeyError::T0Mismatch { set });
            }
            // t1 (10 bits) into the public key, little-endian bit order.
            let high = ((t - low) >> 13) as u64;
            t1_bits.0 |= high << t1_bits.1;
            t1_bits.1 += 10;
            while t1_bits.1 >= 8 {
                pk.push((t1_bits.0 & 0xff) as u8);
                t1_bits.0 >>= 8;
                t1_bits.1 -= 8;
            }
        }
    }
    let mut h = sha3::Shake256::default();
    h.update(&pk);
    let mut ours = [0u8; 64];
    h.finalize_xof().read(&mut ours);
    if ours.as_slice() != tr {
        return Err(MlDsaKeyError::TrMismatch { set });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(deprecated)]
    fn expanded(set: MlDsaSet, seed: u8) -> (Vec<u8>, Vec<u8>) {
        fn go<P: ml_dsa::MlDsaParams>(seed: u8) -> (Vec<u8>, Vec<u8>) {
            let sk = ml_dsa::SigningKey::<P>::from_seed(&[seed; 32].into());
            (
                sk.expanded_key().to_expanded().to_vec(),
                sk.expanded_key().verifying_key().encode().to_vec(),
            )
        }
        match set {
            MlDsaSet::MlDsa44 => go::<ml_dsa::MlDsa44>(seed),
            MlDsaSet::MlDsa65 => go::<ml_dsa::MlDsa65>(seed),
            MlDsaSet::MlDsa87 => go::<ml_dsa::MlDsa87>(seed),
        }
    }

    #[test]
    fn keys_from_seeds_pass_and_each_part_is_checked() {
        for set in [MlDsaSet::MlDsa44, MlDsaSet::MlDsa65, MlDsaSet::MlDsa87] {
            let (key, _) = expanded(set, 3);
            assert_eq!(key.len(), expanded_len(set), "{set}");
            assert_eq!(check(set, &key), Ok(()), "{set}");
            let (k, l, eta) = shape(set);
            let sb = 32 * eta_bits(eta);
            // tr, s1 (to another in-range value), t0: each change is caught.
            let mut bad = key.clone();
            bad[70] ^= 1;
            assert_eq!(check(set, &bad), Err(MlDsaKeyError::TrMismatch { set }));
            let t0_at = 128 + (k + l) * sb;
            let mut bad = key.clone();
            bad[t0_at + 5] ^= 1;
            assert_eq!(check(set, &bad), Err(MlDsaKeyError::T0Mismatch { set }));
            let mut bad = key.clone();
            bad[128] ^= 1;
            assert!(check(set, &bad).is_err(), "{set}");
            // An s2 coefficient of all ones is out of range (> 2η).
            let mut bad = key.clone();
            bad[128 + l * sb] = 0xff;
            assert_eq!(
                check(set, &bad),
                Err(MlDsaKeyError::CoefficientRange { set, part: "s2" })
            );
            assert!(matches!(
                check(set, &key[1..]),
                Err(MlDsaKeyError::ExpandedLength { .. })
            ));
        }
    }

    #[test]
    fn ntt_round_trips() {
        let z = zetas();
        let mut p = [0i64; N];
        for (i, c) in p.iter_mut().enumerate() {
            *c = (i as i64 * 7919) % Q;
        }
        let orig = p;
        ntt(&mut p, &z);
        assert_ne!(p, orig);
        ntt_inverse(&mut p, &z);
        assert_eq!(p, orig);
    }
}
