use super::*;
use crate::{Blob, BlobFlags, BlobKind, Catalog};
use std::io::Write as _;

fn in_memory_text(path: &Path) -> Vec<u8> {
    let cat = crate::load_path(path, &Limits::default()).unwrap();
    let mut out = Vec::new();
    crate::write_text(&cat, &mut out).unwrap();
    out
}

fn streamed_text(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    write_text_path(path, &Limits::default(), &mut out).unwrap();
    out
}

fn gz(json: &str) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(json.as_bytes()).unwrap();
    e.finish().unwrap()
}

#[test]
fn large_generated_catalog_streams_byte_identically() {
    let dir = tempfile::tempdir().unwrap();
    let mut cat = Catalog::new();
    cat.version_major = 0;
    cat.version_minor = 1;
    for i in 0..3000u32 {
        let mut item = Item::new(format!("firmware-{i}.bin"));
        if i % 5 == 0 {
            item.alias_ids.push(format!("alias-{i}"));
        }
        let data = crate::digest::hex(&crate::digest::digest(
            crate::digest::DigestAlg::Sha256,
            &i.to_le_bytes(),
        ));
        item.blobs.push(Blob::new(
            BlobKind::Sha256,
            BlobFlags::IS_UTF8,
            data.into_bytes(),
            Some(1_700_000_000 + u64::from(i)),
        ));
        // A binary blob (base64 in the text).
        item.blobs.push(Blob::new(
            BlobKind::Ed25519,
            BlobFlags::NONE,
            (0..64).map(|k| (k as u32 * i) as u8).collect(),
            None,
        ));
        cat.add_item(item).unwrap();
    }
    let path = dir.path().join("big.jcat");
    crate::save_path(&cat, &path).unwrap();
    let streamed = streamed_text(&path);
    assert!(streamed.len() > 3000 * 100);
    assert!(streamed == in_memory_text(&path));
}

#[test]
fn version_after_items_empty_catalogs_and_plain_json_match_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let item = r#"{"Id":"a","Blobs":[{"Kind":1,"Flags":1,"Data":"00"}]}"#;
    let docs = [
        format!(r#"{{"Items":[{item}],"JcatVersionMajor":0,"JcatVersionMinor":1}}"#),
        format!(r#"{{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{item}]}}"#),
        r#"{"JcatVersionMajor":0,"JcatVersionMinor":0,"Items":[]}"#.to_string(),
        r#"{"JcatVersionMajor":2,"JcatVersionMinor":3,"Items":[]}"#.to_string(),
        format!(r#"{{"JcatVersionMajor":0,"Items":[{item}],"JcatVersionMinor":7}}"#),
    ];
    for (i, doc) in docs.iter().enumerate() {
        let gz_path = dir.path().join(format!("{i}.jcat"));
        std::fs::write(&gz_path, gz(doc)).unwrap();
        assert_eq!(streamed_text(&gz_path), in_memory_text(&gz_path), "{doc}");
        let json_path = dir.path().join(format!("{i}.json"));
        std::fs::write(&json_path, doc).unwrap();
        assert_eq!(
            streamed_text(&json_path),
            in_memory_text(&json_path),
            "{doc}"
        );
    }
}

#[test]
fn errors_are_the_load_errors() {
    let dir = tempfile::tempdir().unwrap();
    let dup = r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a","Blobs":[]},{"Id":"a","Blobs":[]}]}"#;
    let path = dir.path().join("dup.jcat");
    std::fs::write(&path, gz(dup)).unwrap();
    let mut out = Vec::new();
    let err = write_text_path(&path, &Limits::default(), &mut out).unwrap_err();
    assert!(matches!(err, TextDumpError::Load(Error::DuplicateId(ref id)) if id == "a"));
    // The first item was already written.
    assert!(String::from_utf8_lossy(&out).contains("ID:"));

    let missing = dir.path().join("nope.jcat");
    let err = write_text_path(&missing, &Limits::default(), &mut Vec::new()).unwrap_err();
    assert!(matches!(err, TextDumpError::Load(Error::Io { .. })));

    // The decompressed-size cap stops a bomb as the in-memory path does.
    let bomb = format!(
        r#"{{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[],"X":"{}"}}"#,
        "0".repeat(1 << 20)
    );
    let path = dir.path().join("bomb.jcat");
    std::fs::write(&path, gz(&bomb)).unwrap();
    let limits = Limits {
        max_decompressed_size: 1000,
        ..Limits::default()
    };
    let err = write_text_path(&path, &limits, &mut Vec::new()).unwrap_err();
    assert!(matches!(
        err,
        TextDumpError::Load(Error::Limit {
            limit: "max_decompressed_size",
            ..
        })
    ));
    let limits = Limits {
        max_compressed_size: 10,
        ..Limits::default()
    };
    let err = write_text_path(&path, &limits, &mut Vec::new()).unwrap_err();
    assert!(matches!(
        err,
        TextDumpError::Load(Error::Limit {
            limit: "max_compressed_size",
            ..
        })
    ));
}

/// A writer that fails after some bytes.
struct Full(usize);

impl std::io::Write for Full {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.0 < buf.len() {
            return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        }
        self.0 -= buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn write_errors_are_write_errors() {
    let dir = tempfile::tempdir().unwrap();
    let doc = r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a","Blobs":[]},{"Id":"b","Blobs":[]}]}"#;
    let path = dir.path().join("c.jcat");
    std::fs::write(&path, gz(doc)).unwrap();
    let err = write_text_path(&path, &Limits::default(), &mut Full(40)).unwrap_err();
    assert!(
        matches!(err, TextDumpError::Write(ref e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    );
}
