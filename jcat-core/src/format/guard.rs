//! A reader between the decompressor and the JSON parser that enforces the
//! decompressed-size cap, the nesting-depth cap and UTF-8, as the bytes
//! stream past: the decompressed document is never held whole in memory.

use std::io::Read;

use crate::Error;

pub(crate) struct Guard<R> {
    inner: R,
    cap: u64,
    max_depth: usize,
    seen: u64,
    depth: usize,
    in_str: bool,
    escaped: bool,
    /// Bytes of an incomplete UTF-8 sequence at the end of the last chunk.
    utf8_pending: Vec<u8>,
    /// The limit or encoding error that stopped the stream, if any.
    pub(crate) violation: Option<Error>,
}

impl<R: Read> Guard<R> {
    pub(crate) fn new(inner: R, cap: u64, max_depth: usize) -> Self {
        Self {
            inner,
            cap,
            max_depth,
            seen: 0,
            depth: 0,
            in_str: false,
            escaped: false,
            utf8_pending: Vec::new(),
            violation: None,
        }
    }

    fn stop(&mut self, e: Error) -> std::io::Error {
        self.violation = Some(e);
        std::io::Error::other("stream stopped by a limit")
    }

    fn scan(&mut self, buf: &[u8]) -> Result<(), Error> {
        for &c in buf {
            if self.in_str {
                match (self.escaped, c) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => self.in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                b'"' => self.in_str = true,
                b'{' | b'[' => {
                    self.depth += 1;
                    if self.depth > self.max_depth {
                        return Err(Error::Limit {
                            limit: "max_depth",
                            value: self.depth as u64,
                            max: self.max_depth as u64,
                        });
                    }
                }
                b'}' | b']' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
        }
        // UTF-8, across chunk boundaries.
        let mut joined;
        let bytes = if self.utf8_pending.is_empty() {
            buf
        } else {
            joined = std::mem::take(&mut self.utf8_pending);
            joined.extend_from_slice(buf);
            &joined[..]
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => Ok(()),
            Err(e) if e.error_len().is_none() => {
                self.utf8_pending = bytes.get(e.valid_up_to()..).unwrap_or_default().to_vec();
                Ok(())
            }
            Err(_) => Err(Error::NotUtf8),
        }
    }

    /// Call at the end: a document ending inside a UTF-8 sequence is invalid.
    pub(crate) fn finish(&self) -> Result<(), Error> {
        if self.utf8_pending.is_empty() {
            Ok(())
        } else {
            Err(Error::NotUtf8)
        }
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.violation.is_some() {
            return Err(std::io::Error::other("stream stopped by a limit"));
        }
        let n = self.inner.read(buf)?;
        self.seen += n as u64;
        if self.seen > self.cap {
            let e = Error::Limit {
                limit: "max_decompressed_size",
                value: self.seen,
                max: self.cap,
            };
            return Err(self.stop(e));
        }
        let chunk = buf.get(..n).unwrap_or_default();
        if let Err(e) = self.scan(chunk) {
            return Err(self.stop(e));
        }
        Ok(n)
    }
}
