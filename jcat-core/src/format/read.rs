//! Bytes -> [`Catalog`]: container detection, capped gzip, JSON, validation.

use std::io::Read;
use std::path::Path;

use crate::model::Catalog;
use crate::{Error, Limits, Result};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Loads a catalog from a file (gzip, or plain JSON as an extension).
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("firmware.jcat");
/// let mut cat = jcat_core::Catalog::new();
/// cat.add_item(jcat_core::Item::new("firmware.bin"))?;
/// jcat_core::save_path(&cat, &path)?;
/// let back = jcat_core::load_path(&path, &jcat_core::Limits::default())?;
/// assert_eq!(back.items()[0].id, "firmware.bin");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_path(path: &Path, limits: &Limits) -> Result<Catalog> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(limits.max_compressed_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    from_bytes(&bytes, limits)
}

/// Loads a catalog from a reader.
pub fn load_reader(reader: impl Read, limits: &Limits) -> Result<Catalog> {
    let mut bytes = Vec::new();
    reader
        .take(limits.max_compressed_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Error::Stream)?;
    from_bytes(&bytes, limits)
}

/// Parses a catalog from the bytes of a `.jcat` file.
///
/// Only the first gzip member is read; bytes after it are ignored (the LVFS CDN
/// appends `IHATECDN`). A plain JSON object is accepted too.
pub fn from_bytes(bytes: &[u8], limits: &Limits) -> Result<Catalog> {
    Limits::check(
        "max_compressed_size",
        bytes.len() as u64,
        limits.max_compressed_size,
    )?;
    if bytes.starts_with(&GZIP_MAGIC) {
        // GzDecoder reads the first member only; trailing bytes are ignored.
        let decoder = flate2::read::GzDecoder::new(bytes);
        from_json_reader(decoder, limits)
    } else {
        let start = bytes
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(bytes.len());
        if bytes.get(start) == Some(&b'{') {
            Limits::check(
                "max_decompressed_size",
                bytes.len() as u64,
                limits.max_decompressed_size,
            )?;
            from_json(bytes, limits)
        } else {
            Err(Error::NotJcat)
        }
    }
}

/// Parses JSON streamed from `reader` (the gzip decoder) under the
/// decompressed-size cap.
fn from_json_reader(reader: impl Read, limits: &Limits) -> Result<Catalog> {
    let mut guard = super::guard::Guard::new(reader, limits.max_decompressed_size);
    let parsed = super::stream::parse(&mut guard, limits);
    match guard.violation.take() {
        Some(v) => Err(v),
        None => parsed,
    }
}

/// Parses the JSON document of a catalog.
pub fn from_json(json: &[u8], limits: &Limits) -> Result<Catalog> {
    super::stream::parse(json, limits)
}
