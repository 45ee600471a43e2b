//! [`Catalog`] -> gzip bytes, and atomic saving.

use std::io::Write;
use std::path::Path;

use super::json_out::{to_json, ExportOptions};
use crate::model::Catalog;
use crate::{Error, Result};

/// The `.jcat` bytes: compact JSON in a gzip member with GLib's header
/// (no name, mtime 0, OS 3).
pub fn to_bytes(cat: &Catalog) -> Result<Vec<u8>> {
    let json = to_json(cat, ExportOptions::default())?;
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(3)
        .write(Vec::new(), flate2::Compression::default());
    enc.write_all(json.as_bytes()).map_err(Error::Stream)?;
    enc.finish().map_err(Error::Stream)
}

/// Writes the catalog to a writer.
pub fn save_writer(cat: &Catalog, mut w: impl Write) -> Result<()> {
    let bytes = to_bytes(cat)?;
    w.write_all(&bytes).map_err(Error::Stream)?;
    w.flush().map_err(Error::Stream)
}

/// Saves the catalog atomically: the whole file is serialised first, written
/// to a temporary file in the same directory, synced and renamed over `path`.
/// On any error the existing file is untouched.
pub fn save_path(cat: &Catalog, path: &Path) -> Result<()> {
    let bytes = to_bytes(cat)?;
    crate::fsutil::write_atomic(path, &bytes, None)
}
