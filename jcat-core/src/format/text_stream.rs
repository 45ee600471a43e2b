//! `jcat-tool info` streamed from a file: decompressor → tokenizer → text
//! writer, item by item, with bounded buffers; the document (and the
//! catalog) is never held whole. The output is byte-identical to
//! [`super::write_text`] over [`super::load_path`].

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde_json::Value;

use super::stream::{parse_with, ItemSink};
use super::text::{flush_writer, push_header, write_item, KvWriter};
use crate::model::Item;
use crate::{Error, Limits};

/// Why a streamed text dump stopped.
#[derive(Debug, thiserror::Error)]
pub enum TextDumpError {
    /// The catalog could not be read (the same error [`super::load_path`] gives).
    #[error(transparent)]
    Load(#[from] Error),
    /// Writing the text failed.
    #[error("cannot write the text: {0}")]
    Write(#[source] std::io::Error),
}

/// Read buffer of the compressed file and of the decompressed stream.
const BUF: usize = 64 * 1024;

struct TextSink<'o> {
    w: KvWriter,
    out: &'o mut dyn std::io::Write,
    /// The version members came after `Items` (or are not plain numbers):
    /// the header cannot be written first, so the in-memory path is taken.
    fallback: bool,
    write_error: Option<std::io::Error>,
}

fn small_u32(v: Option<&Value>) -> Option<u32> {
    v.and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
}

impl ItemSink for TextSink<'_> {
    fn begin(&mut self, major: Option<&Value>, minor: Option<&Value>) -> crate::Result<()> {
        match (small_u32(major), small_u32(minor)) {
            (Some(major), Some(minor)) => {
                push_header(&mut self.w, major, minor);
                Ok(())
            }
            _ => {
                self.fallback = true;
                Err(Error::Stream(std::io::Error::other("not streamable")))
            }
        }
    }

    fn item(&mut self, item: Item) -> crate::Result<()> {
        write_item(&mut self.w, &item, self.out).map_err(|e| {
            let kind = e.kind();
            self.write_error = Some(e);
            Error::Stream(std::io::Error::from(kind))
        })
    }
}

/// Writes the `jcat-tool info` text of the catalog file at `path` to `out`,
/// reading it item by item (memory: the read buffers, one item's JSON and
/// text, and the IDs seen). The same limits apply as for
/// [`super::load_path`], with the same errors. Items before a parse error
/// have been written when the error is returned. A catalog whose version
/// members follow `Items`, or that is not gzip, is loaded whole instead
/// (the header comes first in the text).
pub fn write_text_path(
    path: &Path,
    limits: &Limits,
    out: &mut dyn std::io::Write,
) -> Result<(), TextDumpError> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    Limits::check("max_compressed_size", size, limits.max_compressed_size)?;
    let mut input = BufReader::with_capacity(BUF, file.take(limits.max_compressed_size));
    let gzip = input
        .fill_buf()
        .map_err(|e| Error::io(path, e))?
        .starts_with(&[0x1f, 0x8b]);
    if gzip {
        let mut sink = TextSink {
            w: KvWriter::new(),
            out,
            fallback: false,
            write_error: None,
        };
        // GzDecoder reads the first member only; trailing bytes are ignored.
        let decoder = flate2::bufread::GzDecoder::new(input);
        let mut guard = super::guard::Guard::new(decoder, limits.max_decompressed_size);
        let parsed = parse_with(&mut guard, limits, &mut sink);
        if let Some(e) = sink.write_error.take() {
            return Err(TextDumpError::Write(e));
        }
        if let Some(v) = guard.violation.take() {
            return Err(v.into());
        }
        if !sink.fallback {
            parsed?;
            return flush_writer(&mut sink.w, sink.out).map_err(TextDumpError::Write);
        }
        return in_memory(path, limits, sink.out);
    }
    in_memory(path, limits, out)
}

/// The catalog loaded whole, then written (what `info` did before).
fn in_memory(
    path: &Path,
    limits: &Limits,
    out: &mut dyn std::io::Write,
) -> Result<(), TextDumpError> {
    let cat = super::load_path(path, limits)?;
    super::write_text(&cat, out).map_err(TextDumpError::Write)
}

#[cfg(test)]
mod tests;
