//! PKCS#7 signatures in a build without the `pkcs7` feature: the blob is
//! read, written and printed as any other, and verification reports it as
//! unsupported instead of checking it.

use super::{PayloadCheck, SigError, Unsupported, VerifyContext};

/// Every PKCS#7 signature is unsupported in this build.
pub fn prepare(_sig: &[u8], _ctx: &VerifyContext<'_>) -> Result<Box<dyn PayloadCheck>, SigError> {
    Err(SigError::Unsupported(Unsupported::Pkcs7Feature))
}

/// `--only-pq` without the X.509 stack: no certificate is trusted, so no
/// ML-DSA anchor exists and no blob is post-quantum.
pub(crate) mod mldsa {
    /// Never a post-quantum PKCS#7 blob (none verifies in this build).
    pub(crate) fn post_quantum(
        _sig: &[u8],
        _verified: &crate::engine::Verified,
        _trust: &crate::trust::TrustStore,
        _limits: &crate::Limits,
    ) -> bool {
        false
    }

    /// The trust store holds no certificate in this build.
    pub(crate) fn has_pq_anchor(_trust: &crate::trust::TrustStore) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use crate::verify::{verify_signature, Policy};
    use crate::{BlobKind, SigError, TimeCheck, TrustStore};

    /// Any PKCS#7 blob, well-formed or not, is the typed "needs the
    /// feature" refusal, with the message the CLI prints after `FAILED`.
    #[test]
    fn pkcs7_blobs_are_unsupported_without_the_feature() {
        let policy = Policy::new(TimeCheck::Disabled);
        for sig in [
            &b""[..],
            b"-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n",
            &[0x30, 0],
        ] {
            let e = verify_signature(
                BlobKind::Pkcs7,
                sig,
                b"payload",
                &TrustStore::new(),
                &policy,
            )
            .unwrap_err();
            assert!(matches!(
                e,
                SigError::Unsupported(super::Unsupported::Pkcs7Feature)
            ));
            assert_eq!(
                e.to_string(),
                "pkcs7 signatures need jcat-core's `pkcs7` feature"
            );
        }
    }
}
