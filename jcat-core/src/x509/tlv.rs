//! A minimal, lenient DER walker: tag, length, value, with the original bytes
//! kept. Used where `der`'s typed decoding is too strict for real files (SET OF
//! duplicates, re-sorting that loses the encoded order).
//!
//! Why not `der`'s `SliceReader`/`AnyRef`/`Header` (issue 11 §4, D61): they
//! would do for the framing, but every caller here needs the element's whole
//! original encoding (`raw`) to hash or compare it as found, and walks SETs
//! that `der` refuses to hand back unsorted or with duplicates (GnuTLS puts
//! the signer certificate in the SignedData's certificate SET twice; signed
//! attributes are hashed from their encoded bytes, in their encoded order).
//! `AnyRef` re-validates and drops the header, and `SetOf` decoding rejects
//! the duplicate. The walker is small (one length rule, bounds-checked
//! slices, fuzzed through the PKCS#7 and trust-file targets), so it stays.

/// One DER element: its tag byte, its contents and its whole encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (single-byte tags only).
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
    /// Identifier, length and contents octets as found.
    pub raw: &'a [u8],
}

/// Universal SEQUENCE.
pub(crate) const SEQUENCE: u8 = 0x30;
/// Universal SET.
pub(crate) const SET: u8 = 0x31;
/// Universal INTEGER.
pub(crate) const INTEGER: u8 = 0x02;
/// Universal OBJECT IDENTIFIER.
pub(crate) const OID: u8 = 0x06;
/// Universal OCTET STRING.
pub(crate) const OCTET_STRING: u8 = 0x04;
/// Universal BIT STRING.
pub(crate) const BIT_STRING: u8 = 0x03;

/// Reads one element from the front of `input`; returns it and the rest.
pub(crate) fn read(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), String> {
    let (&tag, rest) = input.split_first().ok_or("unexpected end of DER data")?;
    if tag & 0x1f == 0x1f {
        return Err("multi-byte DER tags are not supported".into());
    }
    let (&first, rest) = rest.split_first().ok_or("truncated DER length")?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else if first == 0x80 {
        return Err("indefinite-length (BER) encoding is not supported".into());
    } else {
        let n = usize::from(first & 0x7f);
        if n > 4 {
            return Err("DER length is too large".into());
        }
        let bytes = rest.get(..n).ok_or("truncated DER length")?;
        let len = bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, rest.get(n..).unwrap_or_default())
    };
    let value = rest.get(..len).ok_or("truncated DER value")?;
    let header = input.len() - rest.len();
    let raw = input.get(..header + len).ok_or("truncated DER value")?;
    Ok((Tlv { tag, value, raw }, rest.get(len..).unwrap_or_default()))
}

/// Reads exactly one element (no trailing bytes allowed).
pub(crate) fn read_one(input: &[u8]) -> Result<Tlv<'_>, String> {
    let (tlv, rest) = read(input)?;
    if !rest.is_empty() {
        return Err("trailing data after DER element".into());
    }
    Ok(tlv)
}

/// Reads one element and checks its tag.
pub(crate) fn expect<'a>(input: &'a [u8], tag: u8, what: &str) -> Result<Tlv<'a>, String> {
    let tlv = read_one(input)?;
    if tlv.tag != tag {
        return Err(format!(
            "{what}: expected tag 0x{tag:02x}, found 0x{:02x}",
            tlv.tag
        ));
    }
    Ok(tlv)
}

/// The elements inside a constructed value, at most `max` of them.
pub(crate) fn children(value: &[u8], max: usize) -> Result<Vec<Tlv<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        if out.len() >= max {
            return Err(format!("more than {max} DER elements"));
        }
        let (tlv, r) = read(rest)?;
        out.push(tlv);
        rest = r;
    }
    Ok(out)
}

/// A cursor over the children of a constructed value.
pub(crate) struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    /// A cursor over `value`.
    pub(crate) fn new(value: &'a [u8]) -> Self {
        Self { rest: value }
    }
    /// The next element's tag, if any.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }
    /// The next element.
    pub(crate) fn next(&mut self, what: &str) -> Result<Tlv<'a>, String> {
        let (tlv, rest) = read(self.rest).map_err(|e| format!("{what}: {e}"))?;
        self.rest = rest;
        Ok(tlv)
    }
    /// The next element, which must have `tag`.
    pub(crate) fn next_tag(&mut self, tag: u8, what: &str) -> Result<Tlv<'a>, String> {
        let tlv = self.next(what)?;
        if tlv.tag != tag {
            return Err(format!(
                "{what}: expected tag 0x{tag:02x}, found 0x{:02x}",
                tlv.tag
            ));
        }
        Ok(tlv)
    }
    /// The next element if it has `tag`.
    pub(crate) fn optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, String> {
        if self.peek_tag() == Some(tag) {
            self.next("optional element").map(Some)
        } else {
            Ok(None)
        }
    }
    /// Whether everything was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// A positive INTEGER's magnitude: leading zero bytes removed.
pub(crate) fn int_magnitude(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_forms() {
        let (t, rest) = read(&[0x04, 0x02, 0xaa, 0xbb, 0x05, 0x00]).unwrap();
        assert_eq!(
            (t.tag, t.value, rest),
            (0x04, &[0xaa, 0xbb][..], &[0x05, 0x00][..])
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 128]);
        assert_eq!(read_one(&long).unwrap().value.len(), 128);
    }

    #[test]
    fn refuses_truncated_and_indefinite() {
        assert!(read(&[0x30, 0x05, 0x01]).is_err());
        assert!(read(&[0x30, 0x80, 0x00, 0x00]).is_err());
        assert!(read(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_err());
        assert!(read(&[]).is_err());
        assert!(read_one(&[0x05, 0x00, 0x00]).is_err());
        assert!(children(&[0x05, 0x00, 0x05, 0x00], 1).is_err());
        assert_eq!(int_magnitude(&[0, 0, 1]), &[1]);
    }
}
