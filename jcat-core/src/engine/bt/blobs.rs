//! The Data of the bt-manifest, bt-inclusion-proof and bt-logindex blobs.
//!
//! * bt-manifest: JSON (the log leaf is its exact bytes) whose `sha256`
//!   member is the lowercase hex SHA-256 of the payload.
//! * bt-inclusion-proof: strict base64 SHA-256 hashes, one per line, bottom
//!   up, each line ending in `\n` (the last newline may be missing); empty for
//!   a tree of one leaf.
//! * bt-logindex: the leaf index in ASCII decimal (no sign, no leading
//!   zeros), with at most one trailing newline.

use super::merkle::Hash;
use super::note::strict_b64;

/// Why a transparency blob's Data is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BlobDataError {
    /// The manifest is not a JSON object with a 64-hex-digit `sha256` string.
    #[error("bt-manifest is not JSON with a sha256 member of 64 hex digits")]
    Manifest,
    /// A proof line is not strict base64 of 32 bytes.
    #[error("bt-inclusion-proof line {line} is not base64 of a 32-byte hash")]
    ProofLine {
        /// 1-based line number.
        line: usize,
    },
    /// The proof has more lines than any tree of 2^64 leaves needs.
    #[error("bt-inclusion-proof has {0} lines, at most 64 are possible")]
    ProofTooLong(usize),
    /// The log index is not canonical ASCII decimal u64.
    #[error("bt-logindex is not a decimal number without leading zeros that fits 64 bits")]
    Index,
}

/// The lowercase `sha256` member of a manifest.
pub fn manifest_sha256(manifest: &[u8]) -> Result<String, BlobDataError> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        sha256: String,
    }
    let m: Manifest = serde_json::from_slice(manifest).map_err(|_| BlobDataError::Manifest)?;
    if m.sha256.len() != 64 || !m.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(BlobDataError::Manifest);
    }
    Ok(m.sha256.to_ascii_lowercase())
}

/// What an LVFS bt-manifest records about a payload.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ManifestFields {
    /// The LVFS component ID, if any.
    pub component_id: Option<u64>,
    /// The device GUIDs, if any.
    pub guids: Vec<String>,
    /// The payload's file name.
    pub filename_contents: String,
    /// The payload's SHA-256, lowercase hex.
    pub sha256: String,
}

/// Writes a bt-manifest in the LVFS layout (JSON, keys in the LVFS order,
/// 4-space indent, no final newline): the exact bytes that become the log
/// leaf. Absent `component_id` and empty `guids` are left out.
pub fn write_manifest(m: &ManifestFields) -> String {
    let q = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    let mut members: Vec<String> = Vec::new();
    if let Some(id) = m.component_id {
        members.push(format!("    \"component_id\": {id}"));
    }
    if !m.guids.is_empty() {
        let guids: Vec<String> = m
            .guids
            .iter()
            .map(|g| format!("        {}", q(g)))
            .collect();
        members.push(format!("    \"guids\": [\n{}\n    ]", guids.join(",\n")));
    }
    members.push(format!(
        "    \"filename_contents\": {}",
        q(&m.filename_contents)
    ));
    members.push(format!("    \"sha256\": {}", q(&m.sha256)));
    format!("{{\n{}\n}}", members.join(",\n"))
}

/// The bt-manifest of a payload file in the LVFS layout: its file name and
/// SHA-256 (streamed), no component ID or GUIDs.
pub fn manifest_for(payload: &std::path::Path) -> crate::Result<String> {
    let (set, _) = crate::Payload::File(payload).digests(&[crate::digest::DigestAlg::Sha256])?;
    let sha256 = set
        .digest(crate::digest::DigestAlg::Sha256)
        .map(|d| crate::digest::hex(&d))
        .unwrap_or_default();
    let filename_contents = payload
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(write_manifest(&ManifestFields {
        filename_contents,
        sha256,
        ..ManifestFields::default()
    }))
}

/// The hashes of an inclusion proof.
pub fn inclusion_proof(data: &[u8]) -> Result<Vec<Hash>, BlobDataError> {
    let text = std::str::from_utf8(data).map_err(|_| BlobDataError::ProofLine { line: 1 })?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.len() > 64 {
        return Err(BlobDataError::ProofTooLong(lines.len()));
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            strict_b64(l)
                .and_then(|h| h.try_into().ok())
                .ok_or(BlobDataError::ProofLine { line: i + 1 })
        })
        .collect()
}

/// The leaf index of a bt-logindex blob.
pub fn log_index(data: &[u8]) -> Result<u64, BlobDataError> {
    let text = std::str::from_utf8(data).map_err(|_| BlobDataError::Index)?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    canonical
        .then(|| text.parse().ok())
        .flatten()
        .ok_or(BlobDataError::Index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_member() {
        let h = "AB".repeat(32);
        let m = format!("{{\n    \"component_id\": 7,\n    \"sha256\": \"{h}\"\n}}");
        assert_eq!(manifest_sha256(m.as_bytes()).unwrap(), "ab".repeat(32));
        for bad in [
            "{}",
            "[]",
            "not json",
            "{\"sha256\": 5}",
            "{\"sha256\": \"abcd\"}",
            "{\"sha256\": \"zz\"}",
        ] {
            assert!(
                matches!(
                    manifest_sha256(bad.as_bytes()),
                    Err(BlobDataError::Manifest)
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn proofs_and_indices() {
        let h = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        assert_eq!(inclusion_proof(b"").unwrap().len(), 0);
        assert_eq!(
            inclusion_proof(format!("{h}\n{h}\n").as_bytes())
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            inclusion_proof(format!("{h}\n{h}").as_bytes())
                .unwrap()
                .len(),
            2
        );
        assert!(matches!(
            inclusion_proof(format!("{h}\n\n{h}\n").as_bytes()),
            Err(BlobDataError::ProofLine { line: 2 })
        ));
        assert!(matches!(
            inclusion_proof(format!("{h}\r\n").as_bytes()),
            Err(BlobDataError::ProofLine { line: 1 })
        ));
        // Non-canonical trailing bits (…FV= → …FW=) are refused.
        let lenient = h.replace("FU=", "FV=");
        assert!(inclusion_proof(lenient.as_bytes()).is_err());
        assert!(matches!(
            inclusion_proof(format!("{h}\n").repeat(65).as_bytes()),
            Err(BlobDataError::ProofTooLong(65))
        ));
        assert_eq!(log_index(b"3").unwrap(), 3);
        assert_eq!(log_index(b"0\n").unwrap(), 0);
        for bad in [
            &b""[..],
            b"03",
            b"3\n\n",
            b"-1",
            b" 3",
            b"18446744073709551616",
            b"3\r\n",
        ] {
            assert!(log_index(bad).is_err(), "{bad:?}");
        }
    }
}
