//! The tokenizer under the streaming reader: bytes of the decompressed
//! stream with line/column tracking, and whole JSON values cut out by
//! [`Src::capture`] under size and depth caps.

use std::io::Read;

use crate::{Error, Result};

pub(super) struct Src<R> {
    pub(super) r: R,
    pub(super) buf: Vec<u8>,
    pub(super) pos: usize,
    pub(super) len: usize,
    pub(super) line: usize,
    pub(super) col: usize,
}

impl<R: Read> Src<R> {
    pub(super) fn peek(&mut self) -> Result<Option<u8>> {
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

    pub(super) fn bump(&mut self, c: u8) {
        self.pos += 1;
        if c == b'\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
    }

    pub(super) fn next(&mut self) -> Result<Option<u8>> {
        let c = self.peek()?;
        if let Some(c) = c {
            self.bump(c);
        }
        Ok(c)
    }

    pub(super) fn skip_ws(&mut self) -> Result<Option<u8>> {
        while let Some(c) = self.peek()? {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                self.bump(c);
            } else {
                return Ok(Some(c));
            }
        }
        Ok(None)
    }

    pub(super) fn err(&self, message: impl Into<String>) -> Error {
        Error::Json {
            line: self.line,
            column: self.col,
            message: message.into(),
        }
    }

    pub(super) fn expect(&mut self, want: u8, what: &str) -> Result<()> {
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
    pub(super) fn capture(
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
    pub(super) fn copy_string_rest(
        &mut self,
        out: &mut Vec<u8>,
        keep: Option<usize>,
    ) -> Result<()> {
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

pub(super) fn io_error(e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof => Error::Gzip("truncated stream".into()),
        _ => Error::Gzip(e.to_string()),
    }
}

pub(super) fn json_err(e: &serde_json::Error, line: usize, col: usize) -> Error {
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
pub(super) fn utf8_or_json_err(
    text: &[u8],
    e: &serde_json::Error,
    line: usize,
    col: usize,
) -> Error {
    if std::str::from_utf8(text).is_err() {
        Error::NotUtf8
    } else {
        json_err(e, line, col)
    }
}

/// A serde_json message without its ` at line … column …` suffix.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(pos) => msg.get(..pos).unwrap_or(msg).to_owned(),
        None => msg.to_owned(),
    }
}
