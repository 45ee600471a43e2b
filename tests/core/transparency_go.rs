//! Our test log and note code against an independent implementation: Go's
//! `golang.org/x/mod/sumdb/note` and `sumdb/tlog` (Debian packages
//! `golang-go golang-golang-x-mod-dev`), through `tests/go/btcheck`, built
//! offline in GOPATH mode. Skipped with a reason where Go is missing (a
//! failure in CI, which installs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use jcat_core::sign::Ed25519Key;
use jcat_core::testing::internals::bt::{self, log::Log, LogTrust};

const X_MOD: &str = "/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog";

/// Builds `btcheck` once per test run; `None` (with a printed reason) when Go
/// or x/mod is missing.
fn btcheck() -> Option<&'static Path> {
    static BIN: OnceLock<Option<PathBuf>> = OnceLock::new();
    BIN.get_or_init(|| {
        let have_go = Command::new("go").arg("version").output().is_ok();
        if !have_go || !Path::new(X_MOD).is_dir() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "go and golang-golang-x-mod-dev are required in CI"
            );
            eprintln!("SKIPPED: go or golang-golang-x-mod-dev is not installed (Debian packages golang-go golang-golang-x-mod-dev)");
            return None;
        }
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("btcheck");
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("btcheck");
        let src = crate::common::workspace_root().join("tests/go/btcheck/main.go");
        let status = Command::new("go")
            .args(["build", "-o"])
            .arg(&out)
            .arg(&src)
            .env("GO111MODULE", "off")
            .env("GOPATH", "/usr/share/gocode")
            .env("GOCACHE", dir.join("cache"))
            .current_dir(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "go build of btcheck failed");
        Some(out)
    })
    .as_deref()
}

fn sk() -> Ed25519Key {
    Ed25519Key::generate()
}

#[test]
fn go_verifies_our_checkpoints_and_inclusion_proofs() {
    let Some(go) = btcheck() else { return };
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, data: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, data).unwrap();
        p
    };
    for size in [1usize, 2, 3, 5, 7, 8, 13, 64, 100] {
        let mut log = Log::new("example.org/log", sk()).unwrap();
        let mut manifests = Vec::new();
        for i in 0..size {
            let m = format!("{{\"sha256\": \"{i:064x}\"}}");
            log.append(m.as_bytes());
            manifests.push(m);
        }
        let vkey = w("vkey", log.vkey().as_bytes());
        let note = w("note", log.signed_checkpoint(&["ext"], &[]).as_bytes());
        for index in [0, size / 2, size - 1] {
            let manifest = w("manifest", manifests[index].as_bytes());
            let proof = w("proof", log.inclusion_proof(index as u64).as_bytes());
            let ok = Command::new(go)
                .arg("verify")
                .args([&vkey, &note, &manifest, &proof])
                .arg(index.to_string())
                .output()
                .unwrap();
            assert!(
                ok.status.success(),
                "size {size} index {index}: {}",
                String::from_utf8_lossy(&ok.stderr)
            );
            assert_eq!(
                String::from_utf8_lossy(&ok.stdout),
                format!("ok example.org/log {size}\n")
            );
            if size > 1 {
                // The same proof at another index: Go refuses it too.
                let other = (index + 1) % size;
                let bad = Command::new(go)
                    .arg("verify")
                    .args([&vkey, &note, &manifest, &proof])
                    .arg(other.to_string())
                    .output()
                    .unwrap();
                assert!(!bad.status.success(), "size {size}: index {other} accepted");
            }
        }
    }
}

#[test]
fn we_verify_notes_signed_by_go() {
    let Some(go) = btcheck() else { return };
    let mut log = Log::new("go.example/log", sk()).unwrap();
    for i in 0..9u8 {
        log.append(&[i]);
    }
    let body = log.checkpoint(&[]).to_text();
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("text");
    std::fs::write(&text, &body).unwrap();
    let out = Command::new(go)
        .args(["sign", "go.example/log"])
        .arg(&text)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = String::from_utf8(out.stdout).unwrap();
    let (vkey, note) = out.split_once('\n').unwrap();
    let mut trust = LogTrust::default();
    trust.add_vkey(vkey).unwrap();
    let v = bt::verify_checkpoint(note.as_bytes(), &trust).unwrap();
    assert_eq!(v.checkpoint, log.checkpoint(&[]));
    // One flipped character of the signature: refused.
    let mut bad = note.as_bytes().to_vec();
    let at = bad.len() - 3;
    bad[at] = if bad[at] == b'A' { b'B' } else { b'A' };
    assert!(bt::verify_checkpoint(&bad, &trust).is_err());
}
