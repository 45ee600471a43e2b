//! X.509 primitives: certificate and Name views over the DER as found, the
//! lenient TLV walker they use, and public-key signature checks (RSA,
//! ECDSA, Ed25519, ML-DSA).
//!
//! Pure: nothing here knows the trust store, chain rules or CRL policy (those
//! are in [`crate::trust::x509`], the layer above). Signatures are always
//! checked over the bytes as found, never over a re-encoding.

pub(crate) mod cert;
pub mod dn;
pub mod mldsa;
pub(crate) mod pem;
pub(crate) mod pubkey;
pub(crate) mod rsa_public;
pub(crate) mod tlv;

/// The PEM blocks of a text (`-----BEGIN` … `-----END` lines), other text ignored.
pub(crate) fn pem_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let line = line.trim_end();
        if line.starts_with("-----BEGIN ") {
            current = Some(String::new());
        }
        if let Some(cur) = current.as_mut() {
            cur.push_str(line);
            cur.push('\n');
        }
        if line.starts_with("-----END ") {
            if let Some(b) = current.take() {
                blocks.push(b);
            }
        }
    }
    blocks
}
