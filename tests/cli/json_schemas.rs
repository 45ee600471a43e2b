//! `info --json` and `verify --json` against typed structs that mirror
//! docs/info-json.md and docs/verify-json.md, both ways: the output parses
//! with `deny_unknown_fields` (nothing undocumented), and the typed value
//! serialises back to the same JSON (nothing documented is missing).

use serde::{Deserialize, Serialize};

use crate::common::*;

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Info {
    version: String,
    version_major: u32,
    version_minor: u32,
    items: Vec<InfoItem>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct InfoItem {
    id: String,
    alias_ids: Vec<String>,
    blobs: Vec<InfoBlob>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct InfoBlob {
    kind: Option<String>,
    kind_number: u32,
    target: Option<String>,
    target_number: Option<u32>,
    flags: Vec<String>,
    flags_number: u32,
    appstream_id: Option<String>,
    timestamp: Option<String>,
    timestamp_unix: Option<u64>,
    size: usize,
    data_encoding: String,
    data: String,
}

/// `verify --json` (docs/verify-json.md); also read by the verify, policy
/// and transparency tests.
#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct Report {
    pub(crate) verdict: String,
    pub(crate) tool_version: String,
    pub(crate) time: String,
    pub(crate) validity_time: Option<String>,
    pub(crate) items: Vec<VerifyItem>,
    pub(crate) unlisted: Vec<String>,
    pub(crate) skipped_keys: Vec<Skipped>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerifyItem {
    pub(crate) id: String,
    pub(crate) path: Option<String>,
    pub(crate) result: String,
    pub(crate) error: Option<String>,
    pub(crate) policy_failures: Vec<String>,
    pub(crate) blobs: Vec<VerifyBlob>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerifyBlob {
    pub(crate) kind: String,
    pub(crate) target: Option<String>,
    pub(crate) result: String,
    pub(crate) authority: Option<String>,
    pub(crate) timestamp: Option<i64>,
    pub(crate) chain: Vec<String>,
    pub(crate) reason: Option<String>,
    pub(crate) transparency: Option<Transparency>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct Transparency {
    pub(crate) log: String,
    pub(crate) origin: String,
    pub(crate) tree_size: u64,
    pub(crate) leaf_index: Option<u64>,
    pub(crate) witnesses: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct Skipped {
    pub(crate) path: String,
    pub(crate) reason: String,
}

/// Parses `text` as `T` and checks that `T` serialises back to the same JSON.
fn both_ways<T: Serialize + for<'de> Deserialize<'de>>(text: &str) -> T {
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let typed: T = serde_json::from_str(text).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), value);
    typed
}

#[test]
fn info_json_matches_the_documented_schema_and_the_text_dump() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // Plain JSON input (accepted, D4): binary and text data, a target, an
    // alias, an AppstreamId, an unknown kind, an unknown flag bit, a blob
    // without timestamp.
    let json = r#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[
      {"Id":"fw.bin","AliasIds":["alias.bin"],"Blobs":[
        {"Kind":1,"Flags":1,"Timestamp":1700000000,"Data":"abc123"},
        {"Kind":9,"Flags":0,"Timestamp":1700000001,"AppstreamId":"com.x","Data":"AAEC/w=="},
        {"Kind":3,"Flags":5,"Target":1,"Data":"sig"},
        {"Kind":77,"Flags":1,"Timestamp":1700000002,"Data":"?"}]}]}"#;
    std::fs::write(p.join("c.jcat"), json).unwrap();
    let r = jt(p, &["info", "--json", "c.jcat"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let info: Info = both_ways(&r.stdout);
    assert_eq!(
        (
            info.version.as_str(),
            info.version_major,
            info.version_minor
        ),
        ("0.1", 0, 1)
    );
    let item = &info.items[0];
    assert_eq!(
        (item.id.as_str(), item.alias_ids.as_slice()),
        ("fw.bin", &["alias.bin".to_owned()][..])
    );
    let b = &item.blobs;
    assert_eq!(b.len(), 4);
    assert_eq!(
        (
            b[0].kind.as_deref(),
            b[0].kind_number,
            b[0].data_encoding.as_str(),
            b[0].data.as_str(),
            b[0].size
        ),
        (Some("sha256"), 1, "text", "abc123", 6)
    );
    assert_eq!(
        (b[0].timestamp.as_deref(), b[0].timestamp_unix),
        (Some("2023-11-14T22:13:20Z"), Some(1700000000))
    );
    assert_eq!(
        (
            b[1].kind.as_deref(),
            b[1].data_encoding.as_str(),
            b[1].data.as_str(),
            b[1].size,
            b[1].appstream_id.as_deref()
        ),
        (Some("ed25519"), "base64", "AAEC/w==", 4, Some("com.x"))
    );
    assert_eq!(b[1].flags, Vec::<String>::new());
    assert_eq!(
        (
            b[2].target.as_deref(),
            b[2].target_number,
            b[2].flags.clone(),
            b[2].flags_number
        ),
        (
            Some("sha256"),
            Some(1),
            vec!["is-utf8".to_owned(), "bit-2".to_owned()],
            5
        )
    );
    assert_eq!(
        (b[2].timestamp.as_deref(), b[2].timestamp_unix),
        (None, None)
    );
    assert_eq!((b[3].kind.as_deref(), b[3].kind_number), (None, 77));
    // Timestamps agree with the text dump.
    let text = jt(p, &["info", "c.jcat"]).stdout;
    for blob in b.iter() {
        if let Some(t) = &blob.timestamp {
            assert!(
                text.contains(&format!("Timestamp:         {t}\n")),
                "{t}: {text}"
            );
        }
    }
}

#[test]
fn verify_json_has_tool_version_and_times() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("fw.bin"), b"verified payload").unwrap();
    jt(p, "self-sign --kind sha256 c.jcat fw.bin").ok();
    jt(p, "--keyring k self-sign --kind ed25519 c.jcat fw.bin").ok();
    std::fs::write(p.join("junk.pem"), b"not a key").unwrap();
    let r = jt(
        p,
        "verify --json c.jcat --public-key k/pki/public.ed25519 --public-key junk.pem --at 2030-05-06T07:08:09Z",
    )
    .ok();
    let rep: Report = both_ways(&r.stdout);
    assert_eq!(rep.verdict, "passed");
    assert_eq!(rep.tool_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(rep.validity_time.as_deref(), Some("2030-05-06T07:08:09Z"));
    let t = chrono::DateTime::parse_from_rfc3339(&rep.time).unwrap();
    assert!(
        (chrono::Utc::now().timestamp() - t.timestamp()).abs() < 3600,
        "{}",
        rep.time
    );
    assert_eq!(rep.items[0].blobs.len(), 2);
    assert_eq!(rep.skipped_keys.len(), 1);
    let r = jt(p, "verify --json --disable-time-checks c.jcat").code(1);
    let rep: Report = both_ways(&r.stdout);
    assert_eq!((rep.verdict.as_str(), rep.validity_time), ("failed", None));
}

#[test]
fn quiet_verify_prints_nothing_and_verbose_ends_with_a_summary() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("a.bin"), b"a").unwrap();
    std::fs::write(p.join("b.bin"), b"b").unwrap();
    jt(p, "self-sign --kind sha256 c.jcat a.bin b.bin").ok();
    jt(p, "self-sign --kind sha512 c.jcat a.bin").ok();
    jt(p, "--keyring k self-sign --kind ed25519 c.jcat b.bin").ok();
    let key = "--public-key k/pki/public.ed25519";
    jt(p, &format!("verify -q c.jcat {key}")).outputs(0, "", "");
    jt(p, "--quiet verify c.jcat").outputs(1, "", "Validation failed\n");
    jt(p, "verify -q --json c.jcat").code(2);
    let r = jt(p, &format!("verify -v c.jcat {key}")).ok();
    assert!(
        r.stderr.ends_with("\n2 items, 4 blobs: 4 passed\n")
            || r.stderr == "2 items, 4 blobs: 4 passed\n",
        "{}",
        r.stderr
    );
    let r = jt(p, "verify -v c.jcat --kind sha256");
    assert!(
        r.stderr.ends_with("2 items, 2 blobs: 2 passed\n"),
        "{}",
        r.stderr
    );
    std::fs::write(p.join("a.bin"), b"changed").unwrap();
    jt(p, &format!("verify -v c.jcat {key}"))
        .code(1)
        .stderr_has("2 items, 4 blobs: 2 passed, 2 failed; 1 item failed\n");
}
