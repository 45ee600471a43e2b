//! Streaming catalog reader: the root object is walked by a small tokenizer
//! over the decompressed stream, and each element of `Items` is cut out and
//! parsed on its own with serde_json's fast slice parser. Memory is the
//! catalog being built plus one item's text; the document is never held whole.

use std::io::Read;

use serde_json::Value;

use super::read::{as_u32, convert_item, required, strip_position};
use super::wire::WireItem;
use crate::error::Location;
use crate::model::{Catalog, Item};
use crate::{Error, Limits, Result};

struct Src<R> {
    r: R,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    line: usize,
    col: usize,
}

impl<R: Read> Src<R> {
    fn peek(&mut self) -> Result<Option<u8>> {
        if self.pos == self.len {
            self.len = loop {
                match self.r.read(&mut self.buf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(io_error(e)),
                }
            };
            self.pos = 0;
            if self.len == 0 {
                return Ok(None);
            }
        }
        Ok(self.buf.get(self.pos).copied())
    }

    fn bump(&mut self, c: u8) {
        self.pos += 1;
        if c == b'\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
    }

    fn next(&mut self) -> Result<Option<u8>> {
        let c = self.peek()?;
        if let Some(c) = c {
            self.bump(c);
        }
        Ok(c)
    }

    fn skip_ws(&mut self) -> Result<Option<u8>> {
        while let Some(c) = self.peek()? {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.bump(c);
            } else {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    fn err(&self, message: impl Into<String>) -> Error {
        Error::Json {
            line: self.line,
            column: self.col,
            message: message.into(),
        }
    }

    fn expect(&mut self, want: u8, what: &str) -> Result<()> {
        match self.skip_ws()? {
            Some(c) if c == want => {
                self.bump(c);
                Ok(())
            }
            Some(_) => Err(self.err(format!("expected {what}"))),
            None => Err(self.err("EOF while parsing")),
        }
    }

    /// Copies one JSON value (of any kind) into `out`, checking nesting.
    /// `keep`: `Some(cap)` stores the text in `out` (at most `cap` bytes),
    /// `None` only skips it (unknown members cost no memory).
    fn capture(
        &mut self,
        out: &mut Vec<u8>,
        keep: Option<usize>,
        base_depth: usize,
        max_depth: usize,
    ) -> Result<()> {
        out.clear();
        let first = self
            .skip_ws()?
            .ok_or_else(|| self.err("EOF while parsing a value"))?;
        match first {
            b'"' => {
                self.bump(first);
                keep_bytes(out, keep, &[first])?;
                self.copy_string_rest(out, keep)
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    let c = self
                        .next()?
                        .ok_or_else(|| self.err("EOF while parsing a value"))?;
                    keep_bytes(out, keep, &[c])?;
                    match c {
                        b'"' => self.copy_string_rest(out, keep)?,
                        b'{' | b'[' => {
                            depth += 1;
                            if base_depth + depth > max_depth {
                                return Err(Error::Limit {
                                    limit: "max_depth",
                                    value: (base_depth + depth) as u64,
                                    max: max_depth as u64,
                                });
                            }
                        }
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                return Ok(());
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {
                while let Some(c) = self.peek()? {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.bump(c);
                    keep_bytes(out, keep, &[c])?;
                }
                Ok(())
            }
        }
    }

    /// After an opening quote: copies up to and including the closing quote.
    fn copy_string_rest(&mut self, out: &mut Vec<u8>, keep: Option<usize>) -> Result<()> {
        let mut escaped = false;
        loop {
            if self.peek()?.is_none() {
                return Err(self.err("EOF while parsing a string"));
            }
            let avail = self.buf.get(self.pos..self.len).unwrap_or_default();
            if escaped {
                // The byte after a backslash is taken as it is.
                escaped = false;
                keep_bytes(out, keep, avail.get(..1).unwrap_or_default())?;
                self.pos += 1;
                self.col += 1;
                continue;
            }
            match memchr::memchr2(b'"', b'\\', avail) {
                Some(i) => {
                    let run = avail.get(..=i).unwrap_or_default();
                    keep_bytes(out, keep, run)?;
                    let closing = run.last() == Some(&b'"');
                    self.pos += i + 1;
                    self.col += i + 1;
                    if closing {
                        return Ok(());
                    }
                    escaped = true;
                }
                None => {
                    keep_bytes(out, keep, avail)?;
                    self.pos += avail.len();
                    self.col += avail.len();
                }
            }
        }
    }
}

/// Appends `bytes` when keeping, refusing to grow past the cap.
fn keep_bytes(out: &mut Vec<u8>, keep: Option<usize>, bytes: &[u8]) -> Result<()> {
    let Some(cap) = keep else {
        return Ok(());
    };
    if out.len() + bytes.len() > cap {
        return Err(Error::Limit {
            limit: "max_item_size",
            value: (out.len() + bytes.len()) as u64,
            max: cap as u64,
        });
    }
    out.extend_from_slice(bytes);
    Ok(())
}

fn io_error(e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => Error::Gzip("truncated stream".into()),
        _ => Error::Gzip(e.to_string()),
    }
}

fn json_err(e: &serde_json::Error, line: usize, col: usize) -> Error {
    let message = strip_position(&e.to_string());
    let (l, c) = if e.line() <= 1 {
        (line, col + e.column().saturating_sub(1))
    } else {
        (line + e.line() - 1, e.column())
    };
    Error::Json {
        line: l,
        column: c,
        message,
    }
}

/// serde_json reports bad UTF-8 in a string as a syntax error; say what it is.
fn utf8_or_json_err(text: &[u8], e: &serde_json::Error, line: usize, col: usize) -> Error {
    if std::str::from_utf8(text).is_err() {
        Error::NotUtf8
    } else {
        json_err(e, line, col)
    }
}

/// Parses a catalog from a decompressed JSON stream.
pub(crate) fn parse(reader: impl Read, limits: &Limits) -> Result<Catalog> {
    let mut src = Src {
        r: reader,
        buf: vec![0u8; 1 << 16],
        pos: 0,
        len: 0,
        line: 1,
        col: 1,
    };
    let root = Location::root();
    let (mut major, mut minor): (Option<Value>, Option<Value>) = (None, None);
    let mut items: Option<Vec<Item>> = None;
    let mut ids = std::collections::HashSet::new();
    let mut scratch = Vec::new();
    src.expect(b'{', "a JSON object")?;
    if 1 > limits.max_depth {
        return Err(Error::Limit {
            limit: "max_depth",
            value: 1,
            max: limits.max_depth as u64,
        });
    }
    let mut first = true;
    loop {
        match src.skip_ws()? {
            Some(b'}') if first => {
                src.bump(b'}');
                break;
            }
            Some(b'"') => {}
            Some(_) => return Err(src.err("key must be a string")),
            None => return Err(src.err("EOF while parsing an object")),
        }
        let (kl, kc) = (src.line, src.col);
        src.capture(
            &mut scratch,
            Some(limits.max_string_len),
            1,
            limits.max_depth,
        )?;
        let key: String = serde_json::from_slice(&scratch).map_err(|e| json_err(&e, kl, kc))?;
        src.expect(b':', "`:`")?;
        match key.as_str() {
            "Items" => {
                if items.is_some() {
                    return Err(src.err("duplicate field `Items`"));
                }
                let list = items.insert(Vec::new());
                if src.skip_ws()? != Some(b'[') {
                    return Err(Error::InvalidMember {
                        location: root.clone(),
                        member: "Items",
                        expected: "an array",
                    });
                }
                src.bump(b'[');
                if 2 > limits.max_depth {
                    return Err(Error::Limit {
                        limit: "max_depth",
                        value: 2,
                        max: limits.max_depth as u64,
                    });
                }
                let mut first_item = true;
                loop {
                    match src.skip_ws()? {
                        Some(b']') if first_item => {
                            src.bump(b']');
                            break;
                        }
                        None => return Err(src.err("EOF while parsing a list")),
                        _ => {}
                    }
                    first_item = false;
                    let index = list.len();
                    Limits::check("max_items", index as u64 + 1, limits.max_items as u64)?;
                    let (il, ic) = (src.line, src.col);
                    src.capture(
                        &mut scratch,
                        Some(limits.max_item_size),
                        2,
                        limits.max_depth,
                    )?;
                    let wi: WireItem = serde_json::from_slice(&scratch)
                        .map_err(|e| utf8_or_json_err(&scratch, &e, il, ic))?;
                    let item = convert_item(wi, Location::item(index), limits)?;
                    if !ids.insert(item.id.clone()) {
                        return Err(Error::DuplicateId(item.id));
                    }
                    list.push(item);
                    match src.skip_ws()? {
                        Some(b',') => src.bump(b','),
                        Some(b']') => {
                            src.bump(b']');
                            break;
                        }
                        Some(_) => return Err(src.err("expected `,` or `]`")),
                        None => return Err(src.err("EOF while parsing a list")),
                    }
                }
            }
            other => {
                let (vl, vc) = (src.line, src.col);
                let slot = match other {
                    "JcatVersionMajor" => Some(&mut major),
                    "JcatVersionMinor" => Some(&mut minor),
                    _ => None,
                };
                // Unknown strings, objects and arrays are skipped without
                // being stored (their structure is still checked).
                let container = matches!(src.skip_ws()?, Some(b'"' | b'{' | b'['));
                if slot.is_none() && container {
                    src.capture(&mut scratch, None, 1, limits.max_depth)?;
                    first = false;
                    match src.skip_ws()? {
                        Some(b',') => {
                            src.bump(b',');
                            continue;
                        }
                        Some(b'}') => {
                            src.bump(b'}');
                            break;
                        }
                        Some(_) => return Err(src.err("expected `,` or `}`")),
                        None => return Err(src.err("EOF while parsing an object")),
                    }
                }
                src.capture(
                    &mut scratch,
                    Some(limits.max_string_len),
                    1,
                    limits.max_depth,
                )?;
                let value: Value = serde_json::from_slice(&scratch)
                    .map_err(|e| utf8_or_json_err(&scratch, &e, vl, vc))?;
                if let Some(slot) = slot {
                    if slot.is_some() {
                        return Err(src.err(format!("duplicate field `{other}`")));
                    }
                    *slot = Some(value);
                }
            }
        }
        first = false;
        match src.skip_ws()? {
            Some(b',') => src.bump(b','),
            Some(b'}') => {
                src.bump(b'}');
                break;
            }
            Some(_) => return Err(src.err("expected `,` or `}`")),
            None => return Err(src.err("EOF while parsing an object")),
        }
    }
    if src.skip_ws()?.is_some() {
        return Err(src.err("trailing characters"));
    }
    let major = required(major, &root, "JcatVersionMajor")?;
    let major = as_u32(&major, &root, "JcatVersionMajor")?;
    let minor = required(minor, &root, "JcatVersionMinor")?;
    let minor = as_u32(&minor, &root, "JcatVersionMinor")?;
    let items = required(items, &root, "Items")?;
    Catalog::from_items(major, minor, items)
}
