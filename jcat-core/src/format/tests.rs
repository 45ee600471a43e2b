//! Format tests: reading rules with exact error variants, writing rules, layouts.

use super::text::{blob_to_text, item_to_text, KvWriter};
use super::*;
use crate::{Blob, BlobFlags, BlobKind, Catalog, Error, Item, Limits, Location};

fn parse(json: &str) -> crate::Result<Catalog> {
    from_json(json.as_bytes(), &Limits::default())
}

fn gz(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

const MIN: &str = r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"fw.bin","Blobs":[{"Kind":1,"Flags":1,"Timestamp":5,"Data":"abc"}]}]}"#;

#[test]
fn minimal_document_parses() {
    let cat = parse(MIN).unwrap();
    assert_eq!((cat.version_major, cat.version_minor), (0, 1));
    let item = cat.item("fw.bin").unwrap();
    assert_eq!(item.blobs.len(), 1);
    assert_eq!(item.blobs[0].kind, BlobKind::Sha256);
    assert_eq!(item.blobs[0].timestamp, Some(5));
    assert_eq!(item.blobs[0].data, b"abc");
}

fn missing(json: &str) -> (&'static str, Location) {
    match parse(json) {
        Err(Error::MissingMember { member, location }) => (member, location),
        other => panic!("expected MissingMember, got {other:?}"),
    }
}

#[test]
fn required_members_in_libjcat_order() {
    assert_eq!(missing(r#"{}"#).0, "JcatVersionMajor");
    assert_eq!(missing(r#"{"JcatVersionMajor":0}"#).0, "JcatVersionMinor");
    assert_eq!(
        missing(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1}"#).0,
        "Items"
    );
    let (m, loc) = missing(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Blobs":[]}]}"#);
    assert_eq!((m, loc.item), ("Id", Some(0)));
    let (m, loc) = missing(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a"}]}"#);
    assert_eq!((m, loc.item_id.as_deref()), ("Blobs", Some("a")));
    // Kind, then Data, then Flags.
    let (m, loc) = missing(
        r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a","Blobs":[{"Kind":1}]}]}"#,
    );
    assert_eq!((m, loc.blob), ("Data", Some(0)));
    let (m, _) = missing(
        r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a","Blobs":[{"Kind":1,"Data":"x"}]}]}"#,
    );
    assert_eq!(m, "Flags");
    let (m, _) = missing(
        r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a","Blobs":[{"Data":"x","Flags":1}]}]}"#,
    );
    assert_eq!(m, "Kind");
}

fn invalid(json: &str) -> (&'static str, &'static str) {
    match parse(json) {
        Err(Error::InvalidMember {
            member, expected, ..
        }) => (member, expected),
        other => panic!("expected InvalidMember, got {other:?}"),
    }
}

fn blob_json(blob: &str) -> String {
    format!(
        r#"{{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{{"Id":"a","Blobs":[{blob}]}}]}}"#
    )
}

#[test]
fn wrong_types_and_negative_numbers_are_refused() {
    assert_eq!(
        invalid(&blob_json(r#"{"Kind":-1,"Flags":1,"Data":"x"}"#)).0,
        "Kind"
    );
    assert_eq!(
        invalid(&blob_json(r#"{"Kind":1,"Flags":-1,"Data":"x"}"#)).0,
        "Flags"
    );
    assert_eq!(
        invalid(&blob_json(
            r#"{"Kind":1,"Flags":1,"Data":"x","Timestamp":-5}"#
        ))
        .0,
        "Timestamp"
    );
    assert_eq!(
        invalid(&blob_json(r#"{"Kind":1,"Flags":1,"Data":"x","Target":-1}"#)).0,
        "Target"
    );
    assert_eq!(
        invalid(&blob_json(r#"{"Kind":4294967297,"Flags":1,"Data":"x"}"#)).0,
        "Kind"
    );
    assert_eq!(
        invalid(&blob_json(r#"{"Kind":"1","Flags":1,"Data":"x"}"#)).0,
        "Kind"
    );
    assert_eq!(
        invalid(&blob_json(r#"{"Kind":1,"Flags":1,"Data":5}"#)).0,
        "Data"
    );
    assert_eq!(
        invalid(&blob_json(
            r#"{"Kind":1,"Flags":1,"Data":"x","AppstreamId":5}"#
        ))
        .0,
        "AppstreamId"
    );
    assert_eq!(
        invalid(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"","Blobs":[]}]}"#),
        ("Id", "a non-empty string")
    );
    assert_eq!(
        invalid(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":5,"Blobs":[]}]}"#).0,
        "Id"
    );
    assert_eq!(
        invalid(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a","AliasIds":[5],"Blobs":[]}]}"#).0,
        "AliasIds"
    );
    assert_eq!(
        invalid(r#"{"JcatVersionMajor":-1,"JcatVersionMinor":1,"Items":[]}"#).0,
        "JcatVersionMajor"
    );
    assert_eq!(
        invalid(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":{}}"#),
        ("Items", "an array")
    );
    // Duplicate members are refused (json-glib: the last wins).
    assert!(matches!(
        parse(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"JcatVersionMinor":2,"Items":[]}"#),
        Err(Error::Json { message, .. }) if message == "duplicate field `JcatVersionMinor`"
    ));
    assert!(matches!(
        parse(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a","Id":"b","Blobs":[]}]}"#),
        Err(Error::Json { message, .. }) if message.contains("duplicate field `Id`")
    ));
    // Trailing commas and garbage after the document are refused.
    assert!(matches!(
        parse(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[],}"#),
        Err(Error::Json { .. })
    ));
    assert!(matches!(
        parse(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[1,]}"#),
        Err(Error::Json { .. })
    ));
    assert!(matches!(
        parse(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[]} x"#),
        Err(Error::Json { .. })
    ));
    assert!(matches!(
        parse(
            r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a","AliasIds":"x","Blobs":[]}]}"#
        ),
        Err(Error::Json { .. })
    ));
}

#[test]
fn unknown_kinds_flags_targets_and_missing_timestamp_are_kept() {
    let cat = parse(&blob_json(
        r#"{"Kind":99,"Target":42,"Flags":7,"Data":"x"}"#,
    ))
    .unwrap();
    let b = &cat.items()[0].blobs[0];
    assert_eq!(b.kind, BlobKind::Unknown(99));
    assert_eq!(b.target, Some(BlobKind::Unknown(42)));
    assert_eq!(b.flags, BlobFlags(7));
    assert_eq!(b.timestamp, None);
    let back = from_bytes(&to_bytes(&cat).unwrap(), &Limits::default()).unwrap();
    assert_eq!(back, cat);
    let json = to_json(&cat, ExportOptions::default()).unwrap();
    assert!(
        json.contains(r#"{"Kind":99,"Target":42,"Flags":7,"Data":"x"}"#),
        "{json}"
    );
}

#[test]
fn base64_rules() {
    let cat = parse(&blob_json(r#"{"Kind":9,"Flags":0,"Data":"aGVs\nbG8="}"#)).unwrap();
    assert_eq!(cat.items()[0].blobs[0].data, b"hello");
    match parse(&blob_json(r#"{"Kind":9,"Flags":0,"Data":"aGVs!bG8="}"#)) {
        Err(Error::Base64 { offset, location }) => {
            assert_eq!(offset, 4);
            assert_eq!(location.blob, Some(0));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn nul_in_utf8_data_and_ids_refused() {
    assert!(matches!(
        parse(&blob_json(r#"{"Kind":1,"Flags":1,"Data":"a\u0000b"}"#)),
        Err(Error::NulInData { .. })
    ));
    assert_eq!(
        invalid(
            r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"a\u0000","Blobs":[]}]}"#
        )
        .0,
        "Id"
    );
}

#[test]
fn duplicate_ids_name_the_id() {
    let json = r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"x","Blobs":[]},{"Id":"x","Blobs":[]}]}"#;
    assert!(matches!(parse(json), Err(Error::DuplicateId(id)) if id == "x"));
}

#[test]
fn container_rules() {
    let limits = Limits::default();
    // Trailer after the first member is ignored, so is a second member.
    let mut with_trailer = gz(MIN.as_bytes());
    with_trailer.extend_from_slice(b"IHATECDN");
    assert!(from_bytes(&with_trailer, &limits).is_ok());
    let mut two = gz(MIN.as_bytes());
    two.extend(gz(b"garbage"));
    assert_eq!(from_bytes(&two, &limits).unwrap(), parse(MIN).unwrap());
    // Plain JSON is accepted; other bytes are not.
    assert!(from_bytes(MIN.as_bytes(), &limits).is_ok());
    assert!(matches!(from_bytes(b"hello", &limits), Err(Error::NotJcat)));
    assert!(matches!(from_bytes(b"", &limits), Err(Error::NotJcat)));
    let full = gz(MIN.as_bytes());
    assert!(matches!(
        from_bytes(&full[..full.len() / 2], &limits),
        Err(Error::Gzip(_))
    ));
    assert!(matches!(
        from_bytes(&gz(b"hello world"), &limits),
        Err(Error::Json { .. })
    ));
    assert!(matches!(
        from_bytes(&gz(b"{\"a\":\xff}"), &limits),
        Err(Error::NotUtf8)
    ));
}

#[test]
fn limits_stop_reading() {
    let limits = Limits {
        max_decompressed_size: 100,
        ..Limits::default()
    };
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(10_000));
    assert!(matches!(
        from_bytes(&gz(big.as_bytes()), &limits),
        Err(Error::Limit {
            limit: "max_decompressed_size",
            value,
            max: 100
        }) if value > 100 && value <= 100_000
    ));
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(matches!(
        from_json(format!("{{\"x\":{deep}}}").as_bytes(), &Limits::default()),
        Err(Error::Limit {
            limit: "max_depth",
            ..
        })
    ));
}

fn sample() -> Catalog {
    let mut cat = Catalog::new();
    let item = cat.add_item(Item::new("firmware.bin")).unwrap();
    item.add_alias("foo.bin");
    let mut gpg = Blob::new(
        BlobKind::Gpg,
        BlobFlags::IS_UTF8,
        b"BEGIN".to_vec(),
        Some(0),
    );
    gpg.appstream_id = Some("org.fwupd".into());
    item.blobs.push(gpg);
    item.blobs.push(Blob::new(
        BlobKind::Sha256,
        BlobFlags::NONE,
        b"hello world\0".to_vec(),
        Some(0),
    ));
    cat
}

/// libjcat's self-test `json_perfect` (spec §1.7).
#[test]
fn pretty_export_matches_json_glib() {
    let expected = "{\n  \"JcatVersionMajor\" : 0,\n  \"JcatVersionMinor\" : 1,\n  \"Items\" : [\n    {\n      \"Id\" : \"firmware.bin\",\n      \"AliasIds\" : [\n        \"foo.bin\"\n      ],\n      \"Blobs\" : [\n        {\n          \"Kind\" : 2,\n          \"Flags\" : 1,\n          \"AppstreamId\" : \"org.fwupd\",\n          \"Data\" : \"BEGIN\"\n        },\n        {\n          \"Kind\" : 1,\n          \"Flags\" : 0,\n          \"Data\" : \"aGVsbG8gd29ybGQA\"\n        }\n      ]\n    }\n  ]\n}";
    let opts = ExportOptions {
        pretty: true,
        no_timestamp: false,
    };
    assert_eq!(to_json(&sample(), opts).unwrap(), expected);
    // Round trip through a gzip file, then export without timestamps.
    let mut cat = sample();
    cat.items_mut()[0].blobs[0].timestamp = Some(12345);
    let back = from_bytes(&to_bytes(&cat).unwrap(), &Limits::default()).unwrap();
    let opts = ExportOptions {
        pretty: true,
        no_timestamp: true,
    };
    assert_eq!(to_json(&back, opts).unwrap(), expected);
}

#[test]
fn compact_export_and_empty_round_trips() {
    let cat = Catalog::new();
    assert_eq!(
        to_json(&cat, ExportOptions::default()).unwrap(),
        r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[]}"#
    );
    let mut cat = Catalog::new();
    cat.add_item(Item::new("empty")).unwrap();
    let json = to_json(&cat, ExportOptions::default()).unwrap();
    assert_eq!(
        json,
        r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Id":"empty","Blobs":[]}]}"#
    );
    assert_eq!(parse(&json).unwrap(), cat);
    let bytes = to_bytes(&cat).unwrap();
    assert_eq!(&bytes[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
}

#[test]
fn escaping_follows_json_glib() {
    let mut cat = Catalog::new();
    let item = cat.add_item(Item::new("a\"b\\c\u{1}\u{1f}/é")).unwrap();
    item.blobs.push(Blob::new(
        BlobKind::Gpg,
        BlobFlags::IS_UTF8,
        b"l1\nl2\t".to_vec(),
        None,
    ));
    let json = to_json(&cat, ExportOptions::default()).unwrap();
    assert!(json.contains(r#""Id":"a\"b\\c\u0001\u001f/é""#), "{json}");
    assert!(json.contains(r#""Data":"l1\nl2\t""#), "{json}");
    assert_eq!(parse(&json).unwrap(), cat);
}

#[test]
fn writer_refuses_what_it_could_not_read_back() {
    let mut cat = Catalog::new();
    let item = cat.add_item(Item::new("a")).unwrap();
    item.blobs.push(Blob::new(
        BlobKind::Gpg,
        BlobFlags::IS_UTF8,
        vec![0xff, 0xfe],
        None,
    ));
    assert!(matches!(to_bytes(&cat), Err(Error::DataNotUtf8 { .. })));
}

#[test]
fn text_dump_of_blob_matches_libjcat_self_test() {
    let mut b = Blob::new(
        BlobKind::Gpg,
        BlobFlags::IS_UTF8,
        b"BEGIN".to_vec(),
        Some(12345),
    );
    b.appstream_id = Some("org.fwupd".into());
    assert_eq!(
        blob_to_text(&b),
        "JcatBlob:\n  Kind:                  gpg\n  Flags:                 is-utf8\n  AppstreamId:           org.fwupd\n  Timestamp:             1970-01-01T03:25:45Z\n  Size:                  0x5\n  Data:                  BEGIN\n"
    );
    let mut item = Item::new("filename.bin");
    item.add_alias("foo.bin");
    item.add_alias("bar.bin");
    item.remove_alias("bar.bin");
    assert_eq!(
        item_to_text(&item),
        "JcatItem:\n  ID:                    filename.bin\n  AliasId:               foo.bin\n"
    );
}

#[test]
fn kv_formatter_edge_cases() {
    let mut w = KvWriter::new();
    w.kv(2, "Data", Some("a\n"));
    w.kv(2, "Kind", None);
    w.kv(2, "Data", Some(""));
    w.kv(0, "X", Some("y"));
    assert_eq!(
        w.finish(),
        format!(
            "    Data:{}a\n{}\n    Kind:\n    Data:X:{}y\n",
            " ".repeat(16),
            " ".repeat(25),
            " ".repeat(23)
        )
    );
}

#[test]
fn text_dump_rules() {
    let mut cat = Catalog::new();
    cat.version_major = 0;
    cat.version_minor = 0;
    let item = cat.add_item(Item::new("a")).unwrap();
    let mut b = Blob::new(BlobKind::Unknown(99), BlobFlags::NONE, Vec::new(), Some(0));
    b.target = Some(BlobKind::Unknown(50));
    item.blobs.push(b);
    item.blobs.push(Blob::new(
        BlobKind::Sha1,
        BlobFlags::IS_UTF8,
        Vec::new(),
        Some(253_402_300_800),
    ));
    let text = to_text(&cat);
    assert_eq!(
        text,
        "JcatFile:\n  JcatItem:\n    ID:                  a\n    JcatBlob:\n      Kind:\n      Target:\n      Flags:             none\n      Size:              0x0\n      Data:    JcatBlob:\n      Kind:              sha1\n      Flags:             is-utf8\n      Size:              0x0\n      Data:\n"
    );
}

/// A reader that hands out one byte per call: every token and every escape
/// sequence crosses a buffer boundary.
struct OneByte<'a>(&'a [u8]);

impl std::io::Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((b, rest)), Some(slot)) => {
                *slot = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

#[test]
fn streaming_reader_is_independent_of_chunk_boundaries() {
    let mut cat = sample();
    for b in &mut cat.items_mut()[0].blobs {
        b.timestamp = None;
    }
    let item = cat.add_item(Item::new("esc\\aped \"id\"\n")).unwrap();
    item.add_alias("a\\\"b");
    item.blobs.push(Blob::new(
        BlobKind::Pkcs7,
        BlobFlags::IS_UTF8,
        b"-----BEGIN\\ \"PKCS7\"\n\tx\n".to_vec(),
        Some(9),
    ));
    for pretty in [false, true] {
        let json = to_json(
            &cat,
            ExportOptions {
                pretty,
                no_timestamp: false,
            },
        )
        .unwrap();
        let one = super::stream::parse(OneByte(json.as_bytes()), &Limits::default()).unwrap();
        assert_eq!(one, cat);
        assert_eq!(parse(&json).unwrap(), cat);
    }
}

#[test]
fn unknown_members_are_skipped_and_items_are_capped() {
    // An unknown top-level member is skipped, whatever its size or shape.
    let json = format!(
        r#"{{"JcatVersionMajor":0,"x":"{}","y":[1,{{"z":[]}}],"JcatVersionMinor":1,"Items":[],"n":12}}"#,
        "0".repeat(100_000)
    );
    assert_eq!(parse(&json).unwrap(), Catalog::new());
    // Its structure is still checked.
    assert!(matches!(
        parse(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[],"x":[1,2"#),
        Err(Error::Json { .. })
    ));
    assert!(matches!(
        parse(r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[],"x":nonsense}"#),
        Err(Error::Json { .. })
    ));
    // One item's text is capped.
    let limits = Limits {
        max_item_size: 1000,
        ..Limits::default()
    };
    let big = format!(
        r#"{{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{{"Id":"a","Blobs":[{{"Kind":1,"Flags":1,"Data":"{}"}}]}}]}}"#,
        "a".repeat(2000)
    );
    assert!(matches!(
        from_json(big.as_bytes(), &limits),
        Err(Error::Limit {
            limit: "max_item_size",
            max: 1000,
            ..
        })
    ));
    let many_numbers = format!(
        r#"{{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{{"Id":"a","Blobs":[],"w":[{}1]}}]}}"#,
        "1,".repeat(1000)
    );
    assert!(matches!(
        from_json(many_numbers.as_bytes(), &limits),
        Err(Error::Limit {
            limit: "max_item_size",
            ..
        })
    ));
}
