//! Blob kinds: the numbering is libjcat's ABI (spec §1.3); unknown numbers are kept.

use std::fmt;

use super::blob::BlobFlags;

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

/// One row of the kind table.
struct KindRow {
    kind: BlobKind,
    /// The wire number (libjcat's ABI).
    number: u32,
    /// `jcat_blob_kind_to_string`.
    name: &'static str,
    /// `jcat_blob_kind_to_filename_ext` (no dot).
    ext: &'static str,
    method: BlobMethod,
    /// The flags a blob of this kind is written with (text kinds are UTF-8).
    flags: BlobFlags,
}

const fn row(
    kind: BlobKind,
    number: u32,
    name: &'static str,
    ext: &'static str,
    method: BlobMethod,
    flags: BlobFlags,
) -> KindRow {
    KindRow {
        kind,
        number,
        name,
        ext,
        method,
        flags,
    }
}

use BlobMethod::{Checksum, Signature, Unknown as NoEngine};
const UTF8: BlobFlags = BlobFlags::IS_UTF8;

/// The one kind table (number, name, extension, method, default flags), in
/// numeric order; [`KNOWN_KINDS`] lists the same kinds (a unit test checks).
const KINDS: [KindRow; 11] = [
    row(BlobKind::Sha256, 1, "sha256", "sha256", Checksum, UTF8),
    row(BlobKind::Gpg, 2, "gpg", "asc", Signature, UTF8),
    row(BlobKind::Pkcs7, 3, "pkcs7", "p7b", Signature, UTF8),
    row(BlobKind::Sha1, 4, "sha1", "sha1", Checksum, UTF8),
    row(
        BlobKind::BtManifest,
        5,
        "bt-manifest",
        "btmanifest",
        NoEngine,
        UTF8,
    ),
    row(
        BlobKind::BtCheckpoint,
        6,
        "bt-checkpoint",
        "btcheckpoint",
        NoEngine,
        UTF8,
    ),
    row(
        BlobKind::BtInclusionProof,
        7,
        "bt-inclusion-proof",
        "btinclusionproof",
        NoEngine,
        UTF8,
    ),
    row(
        BlobKind::BtVerifier,
        8,
        "bt-verifier",
        "btverifier",
        NoEngine,
        UTF8,
    ),
    row(
        BlobKind::Ed25519,
        9,
        "ed25519",
        "ed25519",
        Signature,
        BlobFlags::NONE,
    ),
    row(BlobKind::Sha512, 10, "sha512", "sha512", Checksum, UTF8),
    row(
        BlobKind::BtLogindex,
        11,
        "bt-logindex",
        "btlogindex",
        NoEngine,
        UTF8,
    ),
];

/// The extensions a detached file may have (`jcat-tool import`), in the
/// order the reference lists them (spec §5.4, plus `.sha1`): each kind's
/// own extension and the aliases `.p7c`, `.pem`, `.der` (binary) and the
/// upper-case checksum names. Case-sensitive.
const EXTENSIONS: [(&str, BlobKind, BlobFlags); 16] = [
    ("asc", BlobKind::Gpg, UTF8),
    ("btmanifest", BlobKind::BtManifest, UTF8),
    ("btcheckpoint", BlobKind::BtCheckpoint, UTF8),
    ("btinclusionproof", BlobKind::BtInclusionProof, UTF8),
    ("btverifier", BlobKind::BtVerifier, UTF8),
    ("btlogindex", BlobKind::BtLogindex, UTF8),
    ("p7b", BlobKind::Pkcs7, UTF8),
    ("p7c", BlobKind::Pkcs7, UTF8),
    ("pem", BlobKind::Pkcs7, UTF8),
    ("der", BlobKind::Pkcs7, BlobFlags::NONE),
    ("ed25519", BlobKind::Ed25519, BlobFlags::NONE),
    ("sha256", BlobKind::Sha256, UTF8),
    ("SHA256", BlobKind::Sha256, UTF8),
    ("sha512", BlobKind::Sha512, UTF8),
    ("SHA512", BlobKind::Sha512, UTF8),
    ("sha1", BlobKind::Sha1, UTF8),
];

impl BlobKind {
    fn row(self) -> Option<&'static KindRow> {
        KINDS.iter().find(|r| r.kind == self)
    }

    /// The kind for a wire number.
    pub fn from_u32(n: u32) -> Self {
        KINDS
            .iter()
            .find(|r| r.number == n)
            .map_or(Self::Unknown(n), |r| r.kind)
    }

    /// The wire number.
    pub fn to_u32(self) -> u32 {
        match (self, self.row()) {
            (_, Some(r)) => r.number,
            (Self::Unknown(n), None) => n,
            (_, None) => 0,
        }
    }

    /// libjcat's `jcat_blob_kind_to_string`; `None` for unknown kinds (libjcat's NULL).
    pub fn name(self) -> Option<&'static str> {
        self.row().map(|r| r.name)
    }

    /// libjcat's `jcat_blob_kind_from_string`: exact and case-sensitive.
    pub fn from_name(s: &str) -> Option<Self> {
        KINDS.iter().find(|r| r.name == s).map(|r| r.kind)
    }

    /// libjcat's `jcat_blob_kind_to_filename_ext`.
    pub fn filename_ext(self) -> Option<&'static str> {
        self.row().map(|r| r.ext)
    }

    /// The flags a blob of this kind is made with: `IS_UTF8` for the text
    /// kinds (checksums, armoured signatures, transparency), none for the
    /// raw Ed25519 signature and unknown kinds.
    pub fn default_flags(self) -> BlobFlags {
        self.row().map_or(BlobFlags::NONE, |r| r.flags)
    }

    /// The kind of a detached file with extension `ext` (no dot, as
    /// `jcat-tool import` accepts them: `asc`, `p7b`, `p7c`, `pem`, `der`,
    /// `SHA256` …), case-sensitive.
    pub fn from_extension(ext: &str) -> Option<Self> {
        EXTENSIONS.iter().find(|e| e.0 == ext).map(|e| e.1)
    }

    /// The kind and flags for a detached file's name, by the end of the name
    /// (`import`'s rule: `x.der` is a binary PKCS#7 blob).
    pub fn for_file_name(name: &str) -> Option<(Self, BlobFlags)> {
        EXTENSIONS.iter().find_map(|(ext, kind, flags)| {
            let stem = name.strip_suffix(ext)?;
            stem.ends_with('.').then_some((*kind, *flags))
        })
    }

    /// The extensions [`BlobKind::for_file_name`] knows, with their dot, in
    /// the reference's order (for `import`'s error message).
    pub fn file_extensions() -> impl Iterator<Item = String> {
        EXTENSIONS.iter().map(|e| format!(".{}", e.0))
    }

    /// Checksum, signature or neither.
    pub fn method(self) -> BlobMethod {
        self.row().map_or(BlobMethod::Unknown, |r| r.method)
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
    fn one_table_consistent_with_known_kinds_and_extensions() {
        assert_eq!(KINDS.len(), KNOWN_KINDS.len());
        for (i, (row, kind)) in KINDS.iter().zip(KNOWN_KINDS).enumerate() {
            assert_eq!(row.kind, kind);
            assert_eq!(row.number as usize, i + 1, "numeric order");
            // Each kind's own extension is importable, with its default flags.
            assert_eq!(BlobKind::from_extension(row.ext), Some(kind));
            assert_eq!(
                BlobKind::for_file_name(&format!("x.{}", row.ext)),
                Some((kind, kind.default_flags()))
            );
        }
        for (ext, kind, _) in EXTENSIONS {
            assert!(KNOWN_KINDS.contains(&kind), "{ext}");
        }
        assert_eq!(
            BlobKind::for_file_name("fw.bin.der"),
            Some((BlobKind::Pkcs7, BlobFlags::NONE))
        );
        assert_eq!(
            BlobKind::for_file_name("fw.bin.SHA256").map(|k| k.0),
            Some(BlobKind::Sha256)
        );
        assert_eq!(BlobKind::for_file_name("fw.bin.Sha256"), None);
        assert_eq!(BlobKind::for_file_name("fwasc"), None);
        assert_eq!(BlobKind::from_extension(".asc"), None);
        assert_eq!(BlobKind::Ed25519.default_flags(), BlobFlags::NONE);
        assert_eq!(BlobKind::Gpg.default_flags(), BlobFlags::IS_UTF8);
        assert_eq!(BlobKind::Unknown(42).default_flags(), BlobFlags::NONE);
        assert_eq!(BlobKind::file_extensions().count(), EXTENSIONS.len());
    }

    #[test]
    fn methods() {
        assert!(BlobKind::Sha1.is_checksum());
        assert!(BlobKind::Pkcs7.is_signature());
        assert_eq!(BlobKind::BtManifest.method(), BlobMethod::Unknown);
    }
}
