//! Base64 for binary blobs: standard alphabet, whitespace skipped, anything
//! else refused (GLib's decoder silently skips garbage; we do not).

use base64::engine::{general_purpose, DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;

const LENIENT_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes standard base64, skipping ASCII whitespace. On failure returns the
/// byte offset (in `text`) of the first character that is not acceptable.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, usize> {
    let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let stripped: Vec<u8> = text.bytes().filter(|c| !is_ws(*c)).collect();
    LENIENT_PADDING.decode(&stripped).map_err(|e| {
        let pos = match e {
            base64::DecodeError::InvalidByte(pos, _) => pos,
            base64::DecodeError::InvalidLastSymbol(pos, _) => pos,
            base64::DecodeError::InvalidLength(len) => len,
            base64::DecodeError::InvalidPadding => stripped.len(),
        };
        // Map the offset in the stripped text back to the original text.
        text.bytes()
            .enumerate()
            .filter(|(_, c)| !is_ws(*c))
            .nth(pos)
            .map_or(text.len(), |(i, _)| i)
    })
}

/// Standard padded base64, as GLib's `g_base64_encode`.
pub(crate) fn encode(data: &[u8]) -> String {
    general_purpose::STANDARD.encode(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_with_whitespace_and_optional_padding() {
        assert_eq!(decode("aGVs\nbG8=").ok(), Some(b"hello".to_vec()));
        assert_eq!(decode(" aGVsbG8 ").ok(), Some(b"hello".to_vec()));
        assert_eq!(decode("").ok(), Some(Vec::new()));
    }

    #[test]
    fn refuses_garbage_glib_would_skip() {
        assert_eq!(decode("aGVs!bG8="), Err(4));
        // GLib decodes past the padding; we refuse.
        assert!(decode("aGVsbG8=extr").is_err());
        // GLib silently drops an incomplete group.
        assert!(decode("abcde").is_err());
    }

    #[test]
    fn encode_round_trips() {
        let data: Vec<u8> = (0..=255u8).collect();
        assert_eq!(decode(&encode(&data)).ok(), Some(data));
    }
}
