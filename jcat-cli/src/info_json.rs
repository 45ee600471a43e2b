//! `info --json`: the catalog as one JSON document (schema in `docs/info-json.md`).

use serde::Serialize;

/// The document.
#[derive(Debug, Serialize)]
pub struct InfoJson {
    /// `JcatVersionMajor.JcatVersionMinor`, as `info` prints it.
    pub version: String,
    /// `JcatVersionMajor`.
    pub version_major: u32,
    /// `JcatVersionMinor`.
    pub version_minor: u32,
    /// Items in file order.
    pub items: Vec<ItemJson>,
}

/// One item.
#[derive(Debug, Serialize)]
pub struct ItemJson {
    /// The ID.
    pub id: String,
    /// Aliases in order.
    pub alias_ids: Vec<String>,
    /// Blobs in file order.
    pub blobs: Vec<BlobJson>,
}

/// One blob.
#[derive(Debug, Serialize)]
pub struct BlobJson {
    /// Kind name, or `null` for an unknown kind number.
    pub kind: Option<&'static str>,
    /// Kind number.
    pub kind_number: u32,
    /// Target kind name (`null` without a target or for unknown numbers).
    pub target: Option<&'static str>,
    /// Target kind number, `null` without a target.
    pub target_number: Option<u32>,
    /// Flag names (`is-utf8`; unknown bits as `bit-N`).
    pub flags: Vec<String>,
    /// The raw flags number.
    pub flags_number: u32,
    /// AppstreamId or `null`.
    pub appstream_id: Option<String>,
    /// Timestamp as RFC 3339 UTC (`null` when absent or out of range).
    pub timestamp: Option<String>,
    /// Timestamp as unix seconds (`null` when absent).
    pub timestamp_unix: Option<u64>,
    /// Size of the data in bytes.
    pub size: usize,
    /// `text` (UTF-8 blob) or `base64`.
    pub data_encoding: &'static str,
    /// The data: the text, or standard base64.
    pub data: String,
}

fn flag_names(bits: u32) -> Vec<String> {
    (0..32)
        .filter(|b| bits & (1u32 << b) != 0)
        .map(|b| match b {
            0 => "is-utf8".to_owned(),
            n => format!("bit-{n}"),
        })
        .collect()
}

/// Builds the document.
pub fn build(cat: &jcat_core::Catalog) -> InfoJson {
    InfoJson {
        version: format!("{}.{}", cat.version_major, cat.version_minor),
        version_major: cat.version_major,
        version_minor: cat.version_minor,
        items: cat
            .items()
            .iter()
            .map(|item| ItemJson {
                id: item.id.clone(),
                alias_ids: item.alias_ids.clone(),
                blobs: item
                    .blobs
                    .iter()
                    .map(|b| BlobJson {
                        kind: b.kind.name(),
                        kind_number: b.kind.to_u32(),
                        target: b.target.and_then(|t| t.name()),
                        target_number: b.target.map(|t| t.to_u32()),
                        flags: flag_names(b.flags.0),
                        flags_number: b.flags.0,
                        appstream_id: b.appstream_id.clone(),
                        timestamp: b
                            .timestamp
                            .and_then(|t| i64::try_from(t).ok())
                            .and_then(jcat_core::format_timestamp),
                        timestamp_unix: b.timestamp,
                        size: b.data.len(),
                        data_encoding: if b.flags.is_utf8() { "text" } else { "base64" },
                        data: b.data_as_text(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
