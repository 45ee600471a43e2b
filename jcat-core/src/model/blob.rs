//! One checksum or signature.

use super::kind::BlobKind;

/// Blob flags. Bit 0 is `IS_UTF8`; other bits are kept verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct BlobFlags(pub u32);

impl BlobFlags {
    /// No flags: `Data` is base64 in the JSON.
    pub const NONE: Self = Self(0);
    /// `Data` is stored as a JSON string as it is.
    pub const IS_UTF8: Self = Self(1);

    /// Whether bit 0 is set.
    pub fn is_utf8(self) -> bool {
        self.0 & 1 != 0
    }
}

/// One blob: a checksum or a detached signature of an item's payload (or, with
/// a `target`, of one of the item's checksums).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// What the blob holds.
    pub kind: BlobKind,
    /// `Some(kind)` when the blob signs the item's checksum of that kind
    /// instead of the payload. `None` is the wire value 0.
    pub target: Option<BlobKind>,
    /// Flags; bit 0 decides how `data` is stored in the JSON.
    pub flags: BlobFlags,
    /// AppStream ID the blob belongs to, if any.
    pub appstream_id: Option<String>,
    /// Creation time, unix seconds. `None` when the file had no `Timestamp`
    /// or had 0, which libjcat treats as unset (never shown, never written).
    pub timestamp: Option<u64>,
    /// The raw bytes (decoded from base64 for binary blobs).
    pub data: Vec<u8>,
}

impl Blob {
    /// A new blob with the given kind, flags and data, no target, no AppstreamId.
    pub fn new(kind: BlobKind, flags: BlobFlags, data: Vec<u8>, timestamp: Option<u64>) -> Self {
        Self {
            kind,
            target: None,
            flags,
            appstream_id: None,
            timestamp,
            data,
        }
    }

    /// The wire number of the target (0 = none).
    pub fn target_u32(&self) -> u32 {
        self.target.map_or(0, BlobKind::to_u32)
    }

    /// libjcat's label in `verify` output: the kind name plus `-of-<target>`.
    /// Unknown kinds give an empty name, as in the reference.
    pub fn label(&self) -> String {
        let mut s = self.kind.name().unwrap_or("").to_owned();
        if let Some(t) = self.target {
            s.push_str("-of-");
            s.push_str(t.name().unwrap_or("(null)"));
        }
        s
    }

    /// The data as it appears in the JSON `Data` member and in `info`:
    /// the text of a UTF-8 blob, or standard base64.
    pub fn data_as_text(&self) -> String {
        if self.flags.is_utf8() {
            String::from_utf8_lossy(&self.data).into_owned()
        } else {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode(&self.data)
        }
    }
}
