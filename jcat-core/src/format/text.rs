//! libjcat's text dump (`jcat-tool info`, `*_to_string`), byte for byte.

use crate::model::{Blob, Catalog, Item};
use crate::time::format_timestamp;

/// Column where values start.
const ALIGN: usize = 25;
/// ALIGN spaces.
const SPACES: &str = "                         ";

/// libjcat's key/value formatter (spec §5.7).
#[derive(Debug, Default)]
pub(crate) struct KvWriter {
    out: String,
}

impl KvWriter {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `Key:` at `indent` with `value` aligned at column 25.
    ///
    /// `None` prints `Key:` and a newline; `Some("")` prints `Key:` with no
    /// newline at all (as libjcat); a multi-line value continues on lines
    /// indented by 25 spaces, and each piece ends with a newline.
    pub fn kv(&mut self, indent: usize, key: &str, value: Option<&str>) {
        self.out
            .push_str(SPACES.get(..indent * 2).unwrap_or(SPACES));
        self.out.push_str(key);
        self.out.push(':');
        let Some(value) = value else {
            self.out.push('\n');
            return;
        };
        if value.is_empty() {
            return;
        }
        let keysz = indent * 2 + key.chars().count() + 1;
        for (i, piece) in value.split('\n').enumerate() {
            let pad = if i == 0 {
                ALIGN.saturating_sub(keysz)
            } else {
                ALIGN
            };
            self.out.push_str(SPACES.get(..pad).unwrap_or(SPACES));
            self.out.push_str(piece);
            self.out.push('\n');
        }
    }

    /// A header line such as `JcatItem:`.
    pub fn header(&mut self, indent: usize, key: &str) {
        self.kv(indent, key, None);
    }

    /// The text so far.
    #[cfg(test)]
    pub fn finish(self) -> String {
        self.out
    }
}

fn blob(w: &mut KvWriter, indent: usize, b: &Blob) {
    w.header(indent, "JcatBlob");
    let i = indent + 1;
    w.kv(i, "Kind", b.kind.name());
    if let Some(t) = b.target {
        w.kv(i, "Target", t.name());
    }
    w.kv(
        i,
        "Flags",
        Some(if b.flags.is_utf8() { "is-utf8" } else { "none" }),
    );
    if let Some(a) = &b.appstream_id {
        w.kv(i, "AppstreamId", Some(a));
    }
    if let Some(ts) = b.timestamp.filter(|t| *t != 0) {
        if let Some(text) = i64::try_from(ts).ok().and_then(format_timestamp) {
            w.kv(i, "Timestamp", Some(&text));
        }
    }
    w.kv(i, "Size", Some(&format!("0x{:x}", b.data.len())));
    if b.flags.is_utf8() && b.data.is_empty() {
        // libjcat keeps no bytes for an empty UTF-8 blob: a NULL value.
        w.kv(i, "Data", None);
    } else if b.flags.is_utf8() {
        // Borrowed when valid (always, for loaded catalogs): no copy.
        match std::str::from_utf8(&b.data) {
            Ok(text) => w.kv(i, "Data", Some(text)),
            Err(_) => w.kv(i, "Data", Some(&String::from_utf8_lossy(&b.data))),
        }
    } else {
        w.kv(i, "Data", Some(&super::b64::encode(&b.data)));
    }
}

fn item(w: &mut KvWriter, indent: usize, it: &Item) {
    w.header(indent, "JcatItem");
    w.kv(indent + 1, "ID", Some(&it.id));
    for a in &it.alias_ids {
        w.kv(indent + 1, "AliasId", Some(a));
    }
    for b in &it.blobs {
        blob(w, indent + 1, b);
    }
}

/// The text `jcat-tool info` prints for a catalog.
pub fn to_text(cat: &Catalog) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_text(cat, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Streams the `jcat-tool info` text to `out`, one item at a time, so the
/// text of a large catalog is never held whole in memory.
pub fn write_text(cat: &Catalog, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut w = KvWriter::new();
    push_header(&mut w, cat.version_major, cat.version_minor);
    for it in cat.items() {
        write_item(&mut w, it, out)?;
    }
    out.write_all(w.out.as_bytes())
}

/// The `JcatFile:` header (and `Version:` unless 0.0), appended to `w`.
pub(crate) fn push_header(w: &mut KvWriter, major: u32, minor: u32) {
    w.header(0, "JcatFile");
    if major > 0 || minor > 0 {
        w.kv(1, "Version", Some(&format!("{major}.{minor}")));
    }
}

/// Appends one item's text to `w` and writes out everything `w` holds.
pub(crate) fn write_item(
    w: &mut KvWriter,
    it: &Item,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    item(w, 1, it);
    out.write_all(w.out.as_bytes())?;
    w.out.clear();
    Ok(())
}

/// Writes out what `w` holds (the header of a catalog without items).
pub(crate) fn flush_writer(w: &mut KvWriter, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(w.out.as_bytes())?;
    w.out.clear();
    Ok(())
}

/// The text of one blob at indent 0 (libjcat's `jcat_blob_to_string`).
#[cfg(test)]
pub fn blob_to_text(b: &Blob) -> String {
    let mut w = KvWriter::new();
    blob(&mut w, 0, b);
    w.finish()
}

/// The text of one item at indent 0 (libjcat's `jcat_item_to_string`).
#[cfg(test)]
pub fn item_to_text(it: &Item) -> String {
    let mut w = KvWriter::new();
    item(&mut w, 0, it);
    w.finish()
}
