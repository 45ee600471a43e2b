//! A reader between the decompressor and the JSON parser that enforces the
//! decompressed-size cap as the bytes stream past: a gzip bomb costs bounded
//! time and memory.

use std::io::Read;

use crate::Error;

pub(crate) struct Guard<R> {
    inner: R,
    cap: u64,
    seen: u64,
    /// The limit that stopped the stream, if any.
    pub(crate) violation: Option<Error>,
}

impl<R: Read> Guard<R> {
    pub(crate) fn new(inner: R, cap: u64) -> Self {
        Self {
            inner,
            cap,
            seen: 0,
            violation: None,
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
            self.violation = Some(Error::Limit {
                limit: "max_decompressed_size",
                value: self.seen,
                max: self.cap,
            });
            return Err(std::io::Error::other("stream stopped by a limit"));
        }
        Ok(n)
    }
}
