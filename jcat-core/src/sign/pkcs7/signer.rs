//! What makes a SignerInfo signature: a key in memory ([`PrivateKey`], or
//! its RSA-PSS form [`RsaPss`]) or one in a device (`sign::pkcs11`).

use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;

use super::key::{self, PrivateKey};
use crate::digest::{digest, DigestAlg};
use crate::sign::SignError;
use crate::x509::pubkey;

/// RSA-PSS salt length: the SHA-256 output size (RFC 4056's recommendation).
pub(crate) const PSS_SALT: u8 = 32;

/// A key that signs CMS signed attributes.
pub(crate) trait CmsSigner: Sync {
    /// The digest of the payload and of the signed attributes.
    fn digest(&self) -> DigestAlg;
    /// Signs `msg` (the DER of the signed attributes).
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError>;
    /// Signs a digest made with [`CmsSigner::digest`].
    fn sign_digest(&self, hashed: &[u8]) -> Result<Vec<u8>, SignError>;
    /// The SignerInfo signatureAlgorithm.
    fn cms_sig_alg(&self) -> Result<AlgorithmIdentifierOwned, SignError>;
    /// Refuses a certificate whose public key is not this key's (or weak).
    fn check_certificate(&self, spki: &[u8], subject: &str) -> Result<(), SignError>;
    /// The ML-DSA key, for signatures over the payload itself
    /// ([`super::SignedForm::NoAttributes`]); `None` for every other signer.
    fn mldsa(&self) -> Option<&super::mldsa_key::MlDsaKey> {
        None
    }
}

/// Refuses RSA keys below [`pubkey::MIN_RSA_BITS`].
pub(crate) fn check_rsa_bits(bits: usize) -> Result<(), SignError> {
    if bits < pubkey::MIN_RSA_BITS {
        return Err(SignError::WeakRsaKey { bits });
    }
    Ok(())
}

fn check_key(key: &PrivateKey, spki: &[u8], subject: &str) -> Result<(), SignError> {
    if let PrivateKey::Rsa(k) = key {
        use rsa::traits::PublicKeyParts;
        check_rsa_bits(k.n().bits())?;
    }
    if !key::same_public_key(spki, key) {
        return Err(SignError::CertKeyMismatch {
            subject: subject.to_string(),
        });
    }
    Ok(())
}

impl CmsSigner for PrivateKey {
    fn mldsa(&self) -> Option<&super::mldsa_key::MlDsaKey> {
        match self {
            PrivateKey::MlDsa(k) => Some(k),
            _ => None,
        }
    }
    fn digest(&self) -> DigestAlg {
        PrivateKey::digest(self)
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        PrivateKey::sign(self, msg)
    }
    fn sign_digest(&self, hashed: &[u8]) -> Result<Vec<u8>, SignError> {
        PrivateKey::sign_digest(self, hashed)
    }
    fn cms_sig_alg(&self) -> Result<AlgorithmIdentifierOwned, SignError> {
        Ok(PrivateKey::cms_sig_alg(self))
    }
    fn check_certificate(&self, spki: &[u8], subject: &str) -> Result<(), SignError> {
        check_key(self, spki, subject)
    }
}

/// The id-RSASSA-PSS AlgorithmIdentifier: SHA-256, MGF1-SHA-256, salt
/// [`PSS_SALT`], trailer 1.
pub(crate) fn pss_alg() -> Result<AlgorithmIdentifierOwned, SignError> {
    let err = |e: der::Error| SignError::encode(crate::sign::Encoding::RsaPssParameters)(e);
    let params = rsa::pkcs1::RsaPssParams::new::<sha2::Sha256>(PSS_SALT)
        .to_der()
        .map_err(err)?;
    Ok(AlgorithmIdentifierOwned {
        oid: const_oid::db::rfc5912::ID_RSASSA_PSS,
        parameters: Some(der::Any::from_der(&params).map_err(err)?),
    })
}

/// An RSA key file used with RSA-PSS (`sign --rsa-pss`).
pub(crate) struct RsaPss<'a>(pub(crate) &'a PrivateKey);

impl CmsSigner for RsaPss<'_> {
    fn digest(&self) -> DigestAlg {
        DigestAlg::Sha256
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, SignError> {
        self.sign_digest(&digest(DigestAlg::Sha256, msg))
    }
    fn sign_digest(&self, hashed: &[u8]) -> Result<Vec<u8>, SignError> {
        let PrivateKey::Rsa(k) = self.0 else {
            return Err(SignError::RsaPssNeedsRsa);
        };
        let scheme = rsa::Pss::new_with_salt::<sha2::Sha256>(usize::from(PSS_SALT));
        k.sign_with_rng(&mut rand_core::OsRng, scheme, hashed)
            .map_err(SignError::unusable_key)
    }
    fn cms_sig_alg(&self) -> Result<AlgorithmIdentifierOwned, SignError> {
        pss_alg()
    }
    fn check_certificate(&self, spki: &[u8], subject: &str) -> Result<(), SignError> {
        if !matches!(self.0, PrivateKey::Rsa(_)) {
            return Err(SignError::RsaPssNeedsRsa);
        }
        check_key(self.0, spki, subject)
    }
}
