//! RSA PKCS#1 v1.5 verification with per-key precomputation (issue 15 V3).
//!
//! The `rsa` crate (0.9, `num-bigint-dig`) redoes the Montgomery set-up of
//! the modulus for every signature, which made it 7 × slower than OpenSSL
//! per verify here. The key is still decoded and validated by `rsa`
//! (`RsaPublicKey::from_pkcs1_der`: size, exponent range); its modulus'
//! Montgomery parameters are computed once with `crypto-bigint` and kept in
//! a small bounded cache owned by the verification run (public data only), and `s^e mod n` runs on
//! fixed-size integers. The encoding check is RFC 8017 §8.2.2 with the
//! DigestInfo prefix `rsa::Pkcs1v15Sign` gives, the same comparison as the
//! `rsa` crate's. Moduli over 4096 bits go to the `rsa` crate.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crypto_bigint::modular::runtime_mod::{DynResidue, DynResidueParams};
use crypto_bigint::{Limb, Uint, U2048, U3072, U4096};
use rsa::traits::PublicKeyParts;

/// Keys whose parameters are kept (per run; beyond this, computed per call).
const CACHE_KEYS: usize = 64;

/// Montgomery parameters of one modulus, with the exponent.
struct Mont<const L: usize> {
    params: DynResidueParams<L>,
    e: Uint<L>,
    e_bits: usize,
}

enum Fast {
    R2048(Box<Mont<{ U2048::LIMBS }>>),
    R3072(Box<Mont<{ U3072::LIMBS }>>),
    R4096(Box<Mont<{ U4096::LIMBS }>>),
    /// Larger than 4096 bits: the `rsa` crate's own operation.
    Big(rsa::RsaPublicKey),
}

/// A decoded, validated RSA public key ready to verify.
pub(crate) struct PreparedKey {
    /// The modulus length in bytes (`k` of RFC 8017).
    k: usize,
    fast: Fast,
}

/// Big-endian bytes of `bytes` left-padded to `len` (`None` if longer).
fn pad(bytes: &[u8], len: usize) -> Option<Vec<u8>> {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let bytes = bytes.get(skip..).unwrap_or_default();
    let mut out = vec![0u8; len.checked_sub(bytes.len())?];
    out.extend_from_slice(bytes);
    Some(out)
}

fn mont<const L: usize>(key: &rsa::RsaPublicKey) -> Option<Mont<L>> {
    let width = L * Limb::BYTES;
    let n_bytes = key.n().to_bytes_be();
    if n_bytes.last().is_none_or(|b| b & 1 == 0) {
        return None;
    }
    let n = Uint::<L>::from_be_slice(&pad(&n_bytes, width)?);
    let e = Uint::<L>::from_be_slice(&pad(&key.e().to_bytes_be(), width)?);
    #[allow(deprecated)] // `new` panics on an even modulus; `new_checked` is its checked form.
    let params = Option::from(DynResidueParams::new_checked(&n))?;
    Some(Mont {
        params,
        e,
        e_bits: e.bits_vartime(),
    })
}

/// `base^e` by left-to-right square-and-multiply. The exponent is public
/// (a certificate's RSA exponent), so its bits may steer the loop: for
/// e = 65537 this is 16 squarings and one multiplication, where
/// `pow_bounded_exp`'s constant-time 4-bit windows spend about 39 products
/// and a full table scan per window (issue 15 V3: RSA verify halved).
fn pow_public<const L: usize>(base: &DynResidue<L>, e: &Uint<L>, e_bits: usize) -> DynResidue<L> {
    if e_bits == 0 {
        return DynResidue::one(*base.params());
    }
    let mut acc = *base;
    for i in (0..e_bits - 1).rev() {
        acc = acc.square();
        if e.bit_vartime(i) {
            acc = acc.mul(base);
        }
    }
    acc
}

impl<const L: usize> Mont<L> {
    /// `s^e mod n` as `k` big-endian bytes; `None` when `s ≥ n`.
    fn apply(&self, sig: &[u8], k: usize) -> Option<Vec<u8>> {
        let width = L * Limb::BYTES;
        let s = Uint::<L>::from_be_slice(&pad(sig, width)?);
        if &s >= self.params.modulus() {
            return None;
        }
        let m = pow_public(&DynResidue::new(&s, self.params), &self.e, self.e_bits).retrieve();
        let mut out = Vec::with_capacity(width);
        for w in m.as_words().iter().rev() {
            out.extend_from_slice(&w.to_be_bytes());
        }
        // m < n < 2^(8k): the leading bytes are zero.
        out.get(width.checked_sub(k)?..).map(<[u8]>::to_vec)
    }
}

impl PreparedKey {
    /// Decodes (with the `rsa` crate's checks) and prepares a PKCS#1 key.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<Self, String> {
        use rsa::pkcs1::DecodeRsaPublicKey;
        let key = rsa::RsaPublicKey::from_pkcs1_der(der).map_err(|e| e.to_string())?;
        let k = key.size();
        let fast = match k {
            0..=256 => mont(&key).map(|m| Fast::R2048(Box::new(m))),
            257..=384 => mont(&key).map(|m| Fast::R3072(Box::new(m))),
            385..=512 => mont(&key).map(|m| Fast::R4096(Box::new(m))),
            _ => None,
        }
        .unwrap_or(Fast::Big(key));
        Ok(Self { k, fast })
    }

    /// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2) of `hashed` under `scheme`.
    pub(crate) fn verify(&self, scheme: &rsa::Pkcs1v15Sign, hashed: &[u8], sig: &[u8]) -> bool {
        if let Fast::Big(key) = &self.fast {
            return key.verify(scheme.clone(), hashed, sig).is_ok();
        }
        if scheme.hash_len.is_some_and(|l| l != hashed.len()) || sig.len() != self.k {
            return false;
        }
        let em = match &self.fast {
            Fast::R2048(m) => m.apply(sig, self.k),
            Fast::R3072(m) => m.apply(sig, self.k),
            Fast::R4096(m) => m.apply(sig, self.k),
            Fast::Big(_) => None,
        };
        let Some(em) = em else { return false };
        let t_len = scheme.prefix.len() + hashed.len();
        let Some(ps) = self.k.checked_sub(t_len + 3).filter(|ps| *ps >= 8) else {
            return false;
        };
        let mut expected = Vec::with_capacity(self.k);
        expected.extend_from_slice(&[0x00, 0x01]);
        expected.resize(2 + ps, 0xff);
        expected.push(0x00);
        expected.extend_from_slice(&scheme.prefix);
        expected.extend_from_slice(hashed);
        em == expected
    }
}

/// Prepared RSA keys by PKCS#1 `RSAPublicKey` DER, for one verification
/// run (the signer and CA keys of a catalog repeat). Owned by the run's
/// state (`trust::context::RunState`), never process-wide: nothing outlives
/// the run that made it.
#[derive(Default)]
pub(crate) struct RsaKeys(Mutex<HashMap<Vec<u8>, Arc<PreparedKey>>>);

impl RsaKeys {
    /// The prepared key for `der`, from this cache when it was seen before.
    pub(crate) fn prepared(&self, der: &[u8]) -> Result<Arc<PreparedKey>, String> {
        if let Some(k) = self.0.lock().ok().and_then(|c| c.get(der).cloned()) {
            return Ok(k);
        }
        let key = Arc::new(PreparedKey::from_pkcs1_der(der)?);
        if let Ok(mut c) = self.0.lock() {
            if c.len() < CACHE_KEYS {
                c.insert(der.to_vec(), Arc::clone(&key));
            }
        }
        Ok(key)
    }

    /// Number of keys held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.lock().map_or(0, |c| c.len())
    }
}

#[cfg(test)]
mod tests;
