//! JSON text in libjcat's key order and omission rules, compact (files) or in
//! json-glib's pretty layout (`jcat_file_export_json`).

use crate::error::Location;
use crate::model::{Blob, Catalog, Item};
use crate::{Error, Result};

/// Options for JSON export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportOptions {
    /// json-glib pretty layout (2 spaces, `" : "`) instead of compact text.
    pub pretty: bool,
    /// Leave out every `Timestamp` (libjcat's `JCAT_EXPORT_FLAG_NO_TIMESTAMP`).
    pub no_timestamp: bool,
}

struct Writer {
    out: String,
    pretty: bool,
    depth: usize,
    /// Whether the current container already has a member.
    first: Vec<bool>,
}

impl Writer {
    fn newline(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str("  ");
            }
        }
    }

    fn open(&mut self, c: char) {
        self.out.push(c);
        self.depth += 1;
        self.first.push(true);
    }

    fn close(&mut self, c: char) {
        self.depth = self.depth.saturating_sub(1);
        let had_members = !self.first.pop().unwrap_or(true);
        if had_members {
            self.newline();
        }
        self.out.push(c);
    }

    fn element(&mut self) {
        if let Some(first) = self.first.last_mut() {
            if !*first {
                self.out.push(',');
            }
            *first = false;
        }
        self.newline();
    }

    fn key(&mut self, k: &str) {
        self.element();
        string(&mut self.out, k);
        self.out.push_str(if self.pretty { " : " } else { ":" });
    }

    fn str_member(&mut self, k: &str, v: &str) {
        self.key(k);
        string(&mut self.out, v);
    }

    fn int_member(&mut self, k: &str, v: u64) {
        self.key(k);
        self.out.push_str(&v.to_string());
    }
}

/// json-glib 1.6 escaping, except that 0x1f is escaped too (json-glib writes it raw).
fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn blob(w: &mut Writer, b: &Blob, loc: &Location, opts: ExportOptions) -> Result<()> {
    w.element();
    w.open('{');
    w.int_member("Kind", u64::from(b.kind.to_u32()));
    if b.target_u32() != 0 {
        w.int_member("Target", u64::from(b.target_u32()));
    }
    w.int_member("Flags", u64::from(b.flags.0));
    if let Some(a) = &b.appstream_id {
        w.str_member("AppstreamId", a);
    }
    match b.timestamp {
        Some(ts) if ts > 0 && !opts.no_timestamp => w.int_member("Timestamp", ts),
        _ => {}
    }
    if b.flags.is_utf8() {
        let text = std::str::from_utf8(&b.data).map_err(|_| Error::DataNotUtf8 {
            location: loc.clone(),
        })?;
        if text.contains('\0') {
            return Err(Error::NulInData {
                location: loc.clone(),
            });
        }
        w.str_member("Data", text);
    } else {
        w.str_member("Data", &super::b64::encode(&b.data));
    }
    w.close('}');
    Ok(())
}

fn item(w: &mut Writer, it: &Item, loc: &Location, opts: ExportOptions) -> Result<()> {
    w.element();
    w.open('{');
    w.str_member("Id", &it.id);
    if !it.alias_ids.is_empty() {
        w.key("AliasIds");
        w.open('[');
        for a in &it.alias_ids {
            w.element();
            string(&mut w.out, a);
        }
        w.close(']');
    }
    // Always written, even when empty, so that libjcat can read the file back.
    w.key("Blobs");
    w.open('[');
    for (i, b) in it.blobs.iter().enumerate() {
        blob(w, b, &loc.blob(i), opts)?;
    }
    w.close(']');
    w.close('}');
    Ok(())
}

/// The catalog as JSON text.
pub fn to_json(cat: &Catalog, opts: ExportOptions) -> Result<String> {
    let mut w = Writer {
        out: String::new(),
        pretty: opts.pretty,
        depth: 0,
        first: Vec::new(),
    };
    w.open('{');
    w.int_member("JcatVersionMajor", u64::from(cat.version_major));
    w.int_member("JcatVersionMinor", u64::from(cat.version_minor));
    // Always written, even when empty, so that libjcat can read the file back.
    w.key("Items");
    w.open('[');
    let mut seen = std::collections::HashSet::with_capacity(cat.items().len());
    for (i, it) in cat.items().iter().enumerate() {
        if !seen.insert(it.id.as_str()) {
            return Err(Error::DuplicateId(it.id.clone()));
        }
        item(&mut w, it, &Location::item(i).with_id(&it.id), opts)?;
    }
    w.close(']');
    w.close('}');
    Ok(w.out)
}
