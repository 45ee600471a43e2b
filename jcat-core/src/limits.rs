//! Resource limits applied while reading untrusted catalogs and signatures.

/// Caps on what a catalog may make us read or allocate. Every check that fails
/// reports [`crate::Error::Limit`] naming the field below and the value seen.
///
/// The defaults are generous for real catalogs (the largest known LVFS cabinet
/// catalog has 296 items; metadata catalogs are a few KiB) and keep `info` on any
/// input well under 256 MiB of memory.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Size of the file as stored (compressed). Default 64 MiB.
    pub max_compressed_size: u64,
    /// Size of the JSON text after decompression; reading stops at the cap.
    /// Default 128 MiB.
    pub max_decompressed_size: u64,
    /// Number of items in a catalog. Default 100 000.
    pub max_items: usize,
    /// Number of blobs in one item. Default 1 000.
    pub max_blobs_per_item: usize,
    /// Number of aliases of one item. Default 1 000.
    pub max_aliases_per_item: usize,
    /// Length in bytes of any string (IDs, aliases, AppstreamIds, Data). Default 16 MiB.
    pub max_string_len: usize,
    /// Size of one item's JSON text (the streaming reader holds one item at
    /// a time). Default 48 MiB.
    pub max_item_size: usize,
    /// JSON nesting depth. Default 16 (a catalog needs 5).
    pub max_depth: usize,
    /// Size of one signature blob handed to a signature parser. Default 1 MiB.
    pub max_signature_size: usize,
    /// Size of a certificate, key or CRL file read into a trust store. Default 1 MiB.
    pub max_key_file_size: u64,
    /// Number of certificates in one CMS structure. Default 64.
    pub max_cms_certificates: usize,
    /// Number of SignerInfos in one CMS structure. Default 16.
    pub max_cms_signers: usize,
    /// Length of a certificate chain (certificates in the path, self-issued
    /// intermediates not counted). Default 8.
    pub max_chain_depth: usize,
    /// Public-key operations (CMS signer and certificate links) one signature
    /// blob may cost; exhaustion FAILS the blob. Default 64 (a real blob needs
    /// one per signer, one per uncached link and one per CRL).
    pub max_signature_checks_per_blob: usize,
    /// Public-key operations one run (one trust store) may spend on PKCS#7
    /// blobs that FAIL (a blob that verifies gives its checks back, so a
    /// catalog of any size of good signatures never runs out); exhaustion
    /// FAILS every later PKCS#7 blob. Default 16 000.
    pub max_signature_checks_per_run: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_compressed_size: 64 << 20,
            max_decompressed_size: 128 << 20,
            max_items: 100_000,
            max_blobs_per_item: 1_000,
            max_aliases_per_item: 1_000,
            max_string_len: 16 << 20,
            max_item_size: 48 << 20,
            max_depth: 16,
            max_signature_size: 1 << 20,
            max_key_file_size: 1 << 20,
            max_cms_certificates: 64,
            max_cms_signers: 16,
            max_chain_depth: 8,
            max_signature_checks_per_blob: 64,
            max_signature_checks_per_run: 16_000,
        }
    }
}

impl Limits {
    /// Checks `value <= max`, naming the limit otherwise.
    pub(crate) fn check(limit: &'static str, value: u64, max: u64) -> crate::Result<()> {
        if value > max {
            Err(crate::Error::Limit { limit, value, max })
        } else {
            Ok(())
        }
    }
}
