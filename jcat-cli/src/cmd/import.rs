//! `import FILENAME DATA DETACHED_KEY`: adds a detached signature or checksum
//! file, its kind taken from the extension.

use std::io::Write;
use std::path::Path;

use jcat_core::{Blob, BlobFlags, BlobKind};

use crate::context::Context;
use crate::error::CliError;

/// The extensions `import` accepts, in the reference's order (for the error
/// message); the table is the library's (`BlobKind::for_file_name`).
pub fn extensions() -> Vec<String> {
    BlobKind::file_extensions().collect()
}

/// The kind and flags for a detached file's name, by extension (case-sensitive).
pub fn kind_for_extension(name: &str) -> Option<(BlobKind, BlobFlags)> {
    BlobKind::for_file_name(name)
}

pub fn run(ctx: &Context, args: &[&str], _out: &mut dyn Write) -> Result<u8, CliError> {
    let [file, data, detached] = args else {
        return Err(CliError::usage(
            "Invalid arguments, expected FILENAME DATA DETACHED_KEY",
        ));
    };
    let mut cat = super::load_or_new(ctx, file)?;
    let (kind, mut flags) = kind_for_extension(detached).ok_or_else(|| {
        CliError::usage(format!(
            "Cannot detect blob kind from extension, expected {}",
            extensions().join(" ")
        ))
    })?;
    let path = Path::new(detached);
    let meta = std::fs::metadata(path)
        .map_err(|e| CliError::error(format!("{detached}: {}", crate::error::io_text(&e))))?;
    let max = ctx.limits.max_signature_size as u64;
    if meta.len() > max {
        return Err(CliError::error(format!(
            "{detached}: {} bytes is over the limit max_signature_size of {max}",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::error(format!("{detached}: {}", crate::error::io_text(&e))))?;
    // Binary content under a text extension (a binary .asc) is stored as
    // base64: libjcat would write a catalog nobody can read back.
    if flags.is_utf8() && (std::str::from_utf8(&bytes).is_err() || bytes.contains(&0)) {
        flags = BlobFlags::NONE;
    }
    let id = ctx.id_for(data);
    let mut bytes = bytes;
    if kind.is_checksum() {
        // sha256sum output (newline, `<hex>  <name>` lines) becomes bare hex.
        let hex = jcat_core::import::checksum_text(kind, &bytes, &id)
            .map_err(|e| CliError::error(format!("{detached}: {e}")))?;
        bytes = hex.into_bytes();
        flags = BlobFlags::IS_UTF8;
    } else if kind == BlobKind::Pkcs7 {
        // CMS PEM and DER become PKCS7 PEM, the form libjcat 0.2.3 reads.
        if let Some(pem) = jcat_core::import::pkcs7_pem(&bytes) {
            bytes = pem;
            flags = BlobFlags::IS_UTF8;
        }
    }
    let mut blob = Blob::new(kind, flags, bytes, Some(ctx.now_u64()));
    blob.appstream_id = ctx.args.appstream_id.clone();
    blob.target = ctx.target;
    cat.item_or_insert(&id)?.add_blob(blob);
    super::save(ctx, &cat, file)?;
    Ok(0)
}
