//! Normalising detached files on import: what other tools write (sha256sum
//! output, `-----BEGIN CMS-----` PEM, DER), stored in the one form every
//! libjcat client verifies (bare lowercase hex; `-----BEGIN PKCS7-----` PEM).

use crate::BlobKind;

/// Why an imported checksum file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The text is not a checksum of the kind in any accepted form.
    #[error(
        "not a {kind} checksum: expected {digits} hex digits, optionally followed by \
         two spaces (or \" *\") and the file name, as {kind}sum writes them"
    )]
    NotAChecksum {
        /// The kind name (`sha256` …).
        kind: &'static str,
        /// Hex digits the kind has.
        digits: usize,
    },
    /// The file names other files than the item.
    #[error("the checksum file is for {found}, not for {expected}")]
    NameMismatch {
        /// The names found in the file, comma-separated.
        found: String,
        /// The item ID.
        expected: String,
    },
    /// More than one line names the item.
    #[error("the checksum file has {count} lines for {name}")]
    AmbiguousName {
        /// The item ID.
        name: String,
        /// How many lines matched.
        count: usize,
    },
}

/// Hex digits of a checksum kind (none for other kinds).
fn hex_digits(kind: BlobKind) -> Option<usize> {
    match kind {
        BlobKind::Sha1 => Some(40),
        BlobKind::Sha256 => Some(64),
        BlobKind::Sha512 => Some(128),
        _ => None,
    }
}

/// Whether a name written by sha256sum denotes the item called `id`
/// (same path, ignoring a leading `./`, or same final component).
fn same_file(written: &str, id: &str) -> bool {
    let a = written.strip_prefix("./").unwrap_or(written);
    let b = id.strip_prefix("./").unwrap_or(id);
    a == b || std::path::Path::new(a).file_name() == std::path::Path::new(b).file_name()
}

/// The checksum an imported `.sha1`/`.sha256`/`.sha512` file holds, as bare
/// lowercase hex: accepts the bare digest (trailing newline allowed) and
/// sha256sum's `<hex>  <name>` / `<hex> *<name>` lines, of which exactly one
/// must name the item (`id`, by path or final component).
///
/// ```
/// use jcat_core::{import::checksum_text, BlobKind};
/// let hex = "a".repeat(40);
/// let line = format!("{}  dir/fw.bin\n", hex.to_uppercase());
/// assert_eq!(checksum_text(BlobKind::Sha1, line.as_bytes(), "fw.bin"), Ok(hex));
/// ```
pub fn checksum_text(kind: BlobKind, bytes: &[u8], id: &str) -> Result<String, ImportError> {
    let digits = hex_digits(kind).unwrap_or(0);
    let bad = || ImportError::NotAChecksum {
        kind: kind.name().unwrap_or("checksum"),
        digits,
    };
    let text = std::str::from_utf8(bytes).map_err(|_| bad())?;
    let mut lines: Vec<(String, Option<&str>)> = Vec::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let hex = line.get(..digits).ok_or_else(bad)?;
        if digits == 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let rest = line.get(digits..).unwrap_or_default();
        let name = match rest {
            "" => None,
            r => Some(
                r.strip_prefix("  ")
                    .or_else(|| r.strip_prefix(" *"))
                    .filter(|n| !n.is_empty())
                    .ok_or_else(bad)?,
            ),
        };
        lines.push((hex.to_ascii_lowercase(), name));
    }
    match lines.as_slice() {
        [] => Err(bad()),
        [(hex, None)] => Ok(hex.clone()),
        _ if lines.iter().any(|(_, n)| n.is_none()) => Err(bad()),
        _ => {
            let matching: Vec<&String> = lines
                .iter()
                .filter(|(_, n)| n.is_some_and(|n| same_file(n, id)))
                .map(|(h, _)| h)
                .collect();
            match matching.as_slice() {
                [one] => Ok((*one).clone()),
                [] => Err(ImportError::NameMismatch {
                    found: lines
                        .iter()
                        .filter_map(|(_, n)| *n)
                        .collect::<Vec<_>>()
                        .join(", "),
                    expected: id.to_owned(),
                }),
                many => Err(ImportError::AmbiguousName {
                    name: id.to_owned(),
                    count: many.len(),
                }),
            }
        }
    }
}

/// A PKCS#7 file as libjcat 0.2.3 clients read it: `-----BEGIN CMS-----` PEM
/// and DER `ContentInfo` become `-----BEGIN PKCS7-----` PEM with 64 columns
/// (the same bytes after decoding). `None` when there is nothing to change
/// (already `PKCS7` PEM) or the input is neither form.
///
/// ```
/// use jcat_core::import::pkcs7_pem;
/// let pem = "-----BEGIN CMS-----\nMAA=\n-----END CMS-----\n";
/// assert_eq!(pkcs7_pem(pem.as_bytes()), None); // not a ContentInfo
/// ```
pub fn pkcs7_pem(bytes: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let der = match std::str::from_utf8(bytes) {
        Ok(text) if text.contains("-----BEGIN CMS-----") => {
            // Any line width and line ending (openssl writes 64, GnuTLS 76).
            let (_, body) = text.split_once("-----BEGIN CMS-----")?;
            let (body, _) = body.split_once("-----END CMS-----")?;
            let b64: String = body.split_whitespace().collect();
            base64::engine::general_purpose::STANDARD.decode(b64).ok()?
        }
        _ if bytes.first() == Some(&0x30) => bytes.to_vec(),
        _ => return None,
    };
    is_content_info(&der).then_some(())?;
    pem_rfc7468::encode_string("PKCS7", pem_rfc7468::LineEnding::LF, &der)
        .ok()
        .map(String::into_bytes)
}

/// Whether `der` is exactly one CMS `ContentInfo` (RFC 5652 section 3:
/// SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }),
/// decoded as `cms::content_info::ContentInfo::from_der` does, without the
/// X.509 stack (the `pkcs7` feature).
fn is_content_info(der: &[u8]) -> bool {
    use der::asn1::{AnyRef, ContextSpecific, ObjectIdentifier};
    use der::{Decode, Reader, SliceReader, TagNumber};
    let Ok(mut r) = SliceReader::new(der) else {
        return false;
    };
    let info = r.sequence(|r| {
        ObjectIdentifier::decode(r)?;
        ContextSpecific::<AnyRef<'_>>::decode_explicit(r, TagNumber::N0)?
            .ok_or_else(|| r.error(der::ErrorKind::TagNumberInvalid))?;
        Ok(())
    });
    info.is_ok() && r.finish(()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "a196504d09871da4f7d83b874b500f8ee6e0619ab799f074814b316d88f96f7f";

    #[test]
    fn sha256sum_forms_give_bare_lowercase_hex() {
        let upper = HEX.to_uppercase();
        for text in [
            HEX.to_owned(),
            format!("{HEX}\n"),
            format!("{upper}\r\n"),
            format!("{HEX}  fw.bin\n"),
            format!("{HEX} *fw.bin\n"),
            format!("{HEX}  ./dir/fw.bin\n"),
            format!("{}  other.bin\n{HEX}  fw.bin\n", "0".repeat(64)),
        ] {
            assert_eq!(
                checksum_text(BlobKind::Sha256, text.as_bytes(), "dir/fw.bin"),
                Ok(HEX.to_owned()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn anything_else_is_refused_with_the_reason() {
        let not = |t: &str, k: BlobKind| checksum_text(k, t.as_bytes(), "fw.bin");
        assert!(matches!(
            not(&format!("{HEX}x"), BlobKind::Sha256),
            Err(ImportError::NotAChecksum {
                kind: "sha256",
                digits: 64
            })
        ));
        assert!(matches!(
            not(HEX, BlobKind::Sha512),
            Err(ImportError::NotAChecksum { digits: 128, .. })
        ));
        assert!(matches!(
            not(&format!("SHA256 (fw.bin) = {HEX}"), BlobKind::Sha256),
            Err(ImportError::NotAChecksum { .. })
        ));
        assert!(matches!(
            not("", BlobKind::Sha1),
            Err(ImportError::NotAChecksum { .. })
        ));
        assert!(matches!(
            not(&format!("{HEX}  other.bin\n"), BlobKind::Sha256),
            Err(ImportError::NameMismatch { found, expected }) if found == "other.bin" && expected == "fw.bin"
        ));
        assert!(matches!(
            not(
                &format!("{HEX}  a/fw.bin\n{HEX}  b/fw.bin\n"),
                BlobKind::Sha256
            ),
            Err(ImportError::AmbiguousName { count: 2, .. })
        ));
        assert!(matches!(
            not(&format!("{HEX}\n{HEX}  fw.bin\n"), BlobKind::Sha256),
            Err(ImportError::NotAChecksum { .. })
        ));
    }

    #[test]
    fn pkcs7_pem_leaves_other_text_alone() {
        assert_eq!(
            pkcs7_pem(b"-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n"),
            None
        );
        assert_eq!(pkcs7_pem(b"hello"), None);
        assert_eq!(pkcs7_pem(&[0x30, 0x03, 0x01]), None);
    }

    /// The `der` check accepts exactly what `cms`'s strict `ContentInfo`
    /// decoder accepts (what the import check used before): a well-formed
    /// one, and every truncation, extension and one-byte change of it.
    #[test]
    fn content_info_check_agrees_with_cms() {
        use der::Decode;
        // SEQUENCE { signedData OID, [0] EXPLICIT NULL }
        let good: Vec<u8> = [
            &[0x30, 0x0f, 0x06, 0x09][..],
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02],
            &[0xa0, 0x02, 0x05, 0x00],
        ]
        .concat();
        let cms = |d: &[u8]| cms::content_info::ContentInfo::from_der(d).is_ok();
        assert!(is_content_info(&good) && cms(&good));
        let mut cases = vec![good.clone(), [good.as_slice(), &[0]].concat()];
        cases.extend((0..good.len()).map(|n| good[..n].to_vec()));
        for i in 0..good.len() {
            for x in [0x01u8, 0x02, 0x20, 0x80, 0xff] {
                let mut d = good.clone();
                d[i] ^= x;
                cases.push(d);
            }
        }
        let mut accepted = 0;
        for d in &cases {
            assert_eq!(is_content_info(d), cms(d), "{d:02x?}");
            accepted += usize::from(cms(d));
        }
        // Both accept some changes (another OID, another inner value) and
        // refuse the rest.
        assert!(accepted > 1 && accepted < cases.len(), "{accepted}");
    }
}
