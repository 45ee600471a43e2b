//! sha1 / sha256 / sha512: lowercase hex, compared exactly (spec §4.1).

use crate::digest::{hex, DigestAlg, DigestSet};
use crate::model::BlobKind;

/// The digest algorithm of a checksum kind.
pub fn algorithm(kind: BlobKind) -> Option<DigestAlg> {
    match kind {
        BlobKind::Sha1 => Some(DigestAlg::Sha1),
        BlobKind::Sha256 => Some(DigestAlg::Sha256),
        BlobKind::Sha512 => Some(DigestAlg::Sha512),
        _ => None,
    }
}

/// A checksum that did not match, with libjcat's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("failed to verify data, expected {expected} and got {got}")]
#[non_exhaustive]
pub struct ChecksumMismatch {
    /// The lowercase hex we computed.
    pub expected: String,
    /// The blob's text (up to a NUL, as libjcat).
    pub got: String,
}

/// Compares the blob bytes with the lowercase hex digest: byte for byte, no
/// case folding and no trimming, as libjcat.
pub fn verify(
    alg: DigestAlg,
    digests: &DigestSet,
    blob_data: &[u8],
) -> Result<(), ChecksumMismatch> {
    let computed = digests.digest(alg).map(|d| hex(&d)).unwrap_or_default();
    if computed.as_bytes() == blob_data {
        Ok(())
    } else {
        let end = blob_data
            .iter()
            .position(|b| *b == 0)
            .unwrap_or(blob_data.len());
        Err(ChecksumMismatch {
            expected: computed,
            got: String::from_utf8_lossy(blob_data.get(..end).unwrap_or_default()).into_owned(),
        })
    }
}

/// The lowercase hex checksum of `data`.
pub fn create(alg: DigestAlg, data: &[u8]) -> String {
    hex(&crate::digest::digest(alg, data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(data: &[u8]) -> DigestSet {
        let mut s = DigestSet::new();
        for a in [DigestAlg::Sha1, DigestAlg::Sha256, DigestAlg::Sha512] {
            s.request(a);
        }
        s.update(data);
        s
    }

    #[test]
    fn exact_comparison() {
        let s = set(b"hello");
        let good = create(DigestAlg::Sha256, b"hello");
        assert!(verify(DigestAlg::Sha256, &s, good.as_bytes()).is_ok());
        let upper = good.to_uppercase();
        let err = verify(DigestAlg::Sha256, &s, upper.as_bytes());
        assert_eq!(
            err,
            Err(ChecksumMismatch {
                expected: good.clone(),
                got: upper
            })
        );
        let nl = format!("{good}\n");
        assert!(verify(DigestAlg::Sha256, &s, nl.as_bytes()).is_err());
        assert!(verify(DigestAlg::Sha1, &s, good.as_bytes()).is_err());
    }

    #[test]
    fn algorithm_map() {
        assert_eq!(algorithm(BlobKind::Sha512), Some(DigestAlg::Sha512));
        assert_eq!(algorithm(BlobKind::Pkcs7), None);
    }
}
