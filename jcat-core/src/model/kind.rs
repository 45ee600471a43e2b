//! Blob kinds: the numbering is libjcat's ABI (spec §1.3); unknown numbers are kept.

use std::fmt;

/// The kind of a blob. Numbers are libjcat's; any other number is kept as
/// [`BlobKind::Unknown`] so that it survives a round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlobKind {
    /// 1: lowercase hex SHA-256 of the payload.
    Sha256,
    /// 2: detached OpenPGP signature.
    Gpg,
    /// 3: detached PKCS#7 / CMS signature.
    Pkcs7,
    /// 4: lowercase hex SHA-1 of the payload.
    Sha1,
    /// 5: binary-transparency manifest (no engine).
    BtManifest,
    /// 6: binary-transparency checkpoint (no engine).
    BtCheckpoint,
    /// 7: binary-transparency inclusion proof (no engine).
    BtInclusionProof,
    /// 8: binary-transparency verifier (no engine).
    BtVerifier,
    /// 9: raw 64-byte Ed25519 signature.
    Ed25519,
    /// 10: lowercase hex SHA-512 of the payload.
    Sha512,
    /// 11: binary-transparency log index (no engine).
    BtLogindex,
    /// Any other number, 0 included, kept verbatim.
    Unknown(u32),
}

/// Whether a kind is a checksum or a signature (libjcat's `JcatBlobMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobMethod {
    /// sha1, sha256, sha512.
    Checksum,
    /// gpg, pkcs7, ed25519.
    Signature,
    /// Kinds without an engine.
    Unknown,
}

/// All kinds libjcat names, in numeric order (1..=11).
pub const KNOWN_KINDS: [BlobKind; 11] = [
    BlobKind::Sha256,
    BlobKind::Gpg,
    BlobKind::Pkcs7,
    BlobKind::Sha1,
    BlobKind::BtManifest,
    BlobKind::BtCheckpoint,
    BlobKind::BtInclusionProof,
    BlobKind::BtVerifier,
    BlobKind::Ed25519,
    BlobKind::Sha512,
    BlobKind::BtLogindex,
];

impl BlobKind {
    /// The kind for a wire number.
    pub fn from_u32(n: u32) -> Self {
        match n {
            1 => Self::Sha256,
            2 => Self::Gpg,
            3 => Self::Pkcs7,
            4 => Self::Sha1,
            5 => Self::BtManifest,
            6 => Self::BtCheckpoint,
            7 => Self::BtInclusionProof,
            8 => Self::BtVerifier,
            9 => Self::Ed25519,
            10 => Self::Sha512,
            11 => Self::BtLogindex,
            other => Self::Unknown(other),
        }
    }

    /// The wire number.
    pub fn to_u32(self) -> u32 {
        match self {
            Self::Sha256 => 1,
            Self::Gpg => 2,
            Self::Pkcs7 => 3,
            Self::Sha1 => 4,
            Self::BtManifest => 5,
            Self::BtCheckpoint => 6,
            Self::BtInclusionProof => 7,
            Self::BtVerifier => 8,
            Self::Ed25519 => 9,
            Self::Sha512 => 10,
            Self::BtLogindex => 11,
            Self::Unknown(n) => n,
        }
    }

    /// libjcat's `jcat_blob_kind_to_string`; `None` for unknown kinds (libjcat's NULL).
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::Sha256 => "sha256",
            Self::Gpg => "gpg",
            Self::Pkcs7 => "pkcs7",
            Self::Sha1 => "sha1",
            Self::BtManifest => "bt-manifest",
            Self::BtCheckpoint => "bt-checkpoint",
            Self::BtInclusionProof => "bt-inclusion-proof",
            Self::BtVerifier => "bt-verifier",
            Self::Ed25519 => "ed25519",
            Self::Sha512 => "sha512",
            Self::BtLogindex => "bt-logindex",
            Self::Unknown(_) => return None,
        })
    }

    /// libjcat's `jcat_blob_kind_from_string`: exact and case-sensitive.
    pub fn from_name(s: &str) -> Option<Self> {
        KNOWN_KINDS.iter().copied().find(|k| k.name() == Some(s))
    }

    /// libjcat's `jcat_blob_kind_to_filename_ext`.
    pub fn filename_ext(self) -> Option<&'static str> {
        Some(match self {
            Self::Sha256 => "sha256",
            Self::Gpg => "asc",
            Self::Pkcs7 => "p7b",
            Self::Sha1 => "sha1",
            Self::BtManifest => "btmanifest",
            Self::BtCheckpoint => "btcheckpoint",
            Self::BtInclusionProof => "btinclusionproof",
            Self::BtVerifier => "btverifier",
            Self::Ed25519 => "ed25519",
            Self::Sha512 => "sha512",
            Self::BtLogindex => "btlogindex",
            Self::Unknown(_) => return None,
        })
    }

    /// Checksum, signature or neither.
    pub fn method(self) -> BlobMethod {
        match self {
            Self::Sha1 | Self::Sha256 | Self::Sha512 => BlobMethod::Checksum,
            Self::Gpg | Self::Pkcs7 | Self::Ed25519 => BlobMethod::Signature,
            _ => BlobMethod::Unknown,
        }
    }

    /// True for sha1/sha256/sha512.
    pub fn is_checksum(self) -> bool {
        self.method() == BlobMethod::Checksum
    }

    /// True for gpg/pkcs7/ed25519.
    pub fn is_signature(self) -> bool {
        self.method() == BlobMethod::Signature
    }

    /// Whether the kind is one of the binary-transparency kinds (bt-*).
    pub fn is_transparency(self) -> bool {
        matches!(
            self,
            Self::BtManifest
                | Self::BtCheckpoint
                | Self::BtInclusionProof
                | Self::BtVerifier
                | Self::BtLogindex
        )
    }
}

impl fmt::Display for BlobKind {
    /// The libjcat name, or `kind-<N>` for unknown numbers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "kind-{}", self.to_u32()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_round_trips_and_matches_libjcat() {
        for n in 0..40u32 {
            assert_eq!(BlobKind::from_u32(n).to_u32(), n);
        }
        assert_eq!(BlobKind::from_u32(1), BlobKind::Sha256);
        assert_eq!(BlobKind::from_u32(9), BlobKind::Ed25519);
        assert_eq!(BlobKind::from_u32(10), BlobKind::Sha512);
        assert_eq!(BlobKind::from_u32(12), BlobKind::Unknown(12));
        assert_eq!(BlobKind::from_u32(0), BlobKind::Unknown(0));
    }

    #[test]
    fn names_round_trip_and_are_case_sensitive() {
        for k in KNOWN_KINDS {
            let name = k.name().unwrap_or_default();
            assert_eq!(BlobKind::from_name(name), Some(k));
            assert!(k.filename_ext().is_some());
        }
        assert_eq!(BlobKind::from_name("SHA256"), None);
        assert_eq!(BlobKind::from_name(""), None);
        assert_eq!(BlobKind::Unknown(99).name(), None);
        assert_eq!(BlobKind::Unknown(99).to_string(), "kind-99");
    }

    #[test]
    fn methods() {
        assert!(BlobKind::Sha1.is_checksum());
        assert!(BlobKind::Pkcs7.is_signature());
        assert_eq!(BlobKind::BtManifest.method(), BlobMethod::Unknown);
    }
}
