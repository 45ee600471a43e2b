//! Issue 13 ("daily use without surprises"): each defect reproduced through
//! the binary, with payloads and catalogs made fresh by the test.

use crate::common::*;

/// A temp dir with `fw.bin` and `c.jcat` holding its sha256 (made by us).
fn sha256_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("fw.bin"), b"firmware payload\n").unwrap();
    jt(d.path(), "self-sign --kind sha256 c.jcat fw.bin").ok();
    d
}

#[test]
fn explicit_trust_paths_that_do_not_exist_are_errors() {
    let d = sha256_dir();
    let p = d.path();
    for (opt, what) in [
        ("--public-keys", "public key directory"),
        ("--public-key", "public key"),
        ("--crl", "CRL"),
    ] {
        jt(p, &["verify", "c.jcat", opt, "/nonexistent"]).outputs(
            2,
            "",
            &format!("Failed to load {what} /nonexistent: No such file or directory\n"),
        );
    }
    // A file where a directory is expected, and the other way round.
    jt(p, "verify c.jcat --public-keys fw.bin").says(
        2,
        "Failed to load public key directory fw.bin: Not a directory\n",
    );
    jt(p, "verify c.jcat --public-key .").says(2, "Failed to load public key .: Is a directory\n");
    // Without the bad path the same verify passes.
    jt(p, "verify c.jcat").ok();
}

#[test]
fn options_that_do_not_apply_are_usage_errors_naming_the_option() {
    let d = sha256_dir();
    let p = d.path();
    let before = Snapshot::of(p.join("c.jcat"));
    jt(
        p,
        "self-sign --min-signers 3 --strict-set --crl /nonexistent c.jcat fw.bin",
    )
    .outputs(
        2,
        "",
        "Failed to parse arguments: --min-signers does not apply to self-sign (only to verify)\n",
    );
    before.assert_untouched();
    // Before the command too (options may stand anywhere).
    jt(p, "--strict-chain export c.jcat").says(
        2,
        "Failed to parse arguments: --strict-chain does not apply to export (only to verify)\n",
    );
    jt(p, "import --quiet c.jcat x y.sha256").says(
        2,
        "Failed to parse arguments: --quiet does not apply to import (only to verify)\n",
    );
    // libjcat's own options stay accepted everywhere, as the reference does.
    jt(p, "--keyring k info c.jcat --prefix x").ok();
    // Truly unknown options keep the reference's message.
    jt(p, "info c.jcat --bogus").says(2, "Failed to parse arguments: Unknown option --bogus\n");
}

#[test]
fn extension_options_work_before_or_after_the_command() {
    let d = sha256_dir();
    let p = d.path();
    let a = jt(p, "--json --policy ignore verify c.jcat").ok();
    let b = jt(p, "verify c.jcat --policy=ignore --json").ok();
    assert!(a.stdout.contains("\"verdict\": \"passed\""), "{}", a.stdout);
    assert_eq!(jcat_json(&a.stdout)["items"], jcat_json(&b.stdout)["items"]);
    // An option value that looks like a command is a value.
    std::fs::create_dir(p.join("info")).unwrap();
    std::fs::copy(p.join("fw.bin"), p.join("info/fw.bin")).unwrap();
    jt(p, "--prefix info verify c.jcat").prints(0, "fw.bin:\n    PASSED sha256: OK\n");
}

fn jcat_json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn bad_option_values_name_the_option_without_rust_text() {
    let d = sha256_dir();
    let p = d.path();
    for (args, want) in [
        (
            "verify c.jcat --min-signers abc",
            "Failed to parse --min-signers 'abc', expected a whole number from 0\n",
        ),
        (
            "verify c.jcat --policy never",
            "Failed to parse --policy 'never', expected ignore,verify,require\n",
        ),
        (
            "verify c.jcat --at yesterday",
            "Failed to parse --at 'yesterday', expected an RFC 3339 time, e.g. 2026-01-01T00:00:00Z\n",
        ),
        (
            "self-sign --target md5 c.jcat fw.bin",
            "Failed to parse target 'md5', expected sha256,gpg,pkcs7,sha1,bt-manifest,bt-checkpoint,bt-inclusion-proof,bt-verifier,ed25519,sha512,bt-logindex\n",
        ),
    ] {
        jt(p, args).says(2, want);
    }
}

#[test]
fn io_errors_read_like_the_os_not_like_rust() {
    let d = sha256_dir();
    let p = d.path();
    std::fs::create_dir(p.join("dir.jcat")).unwrap();
    for (args, want) in [
        ("info dir.jcat", "dir.jcat: Is a directory\n"),
        ("info nope.jcat", "nope.jcat: No such file or directory\n"),
        (
            "import c.jcat fw.bin missing.sha256",
            "missing.sha256: No such file or directory\n",
        ),
        (
            "self-sign --kind sha256 c.jcat gone.bin",
            "gone.bin: No such file or directory\n",
        ),
    ] {
        jt(p, args).says(2, want);
    }
}

#[test]
fn catalog_level_errors_name_the_file() {
    let d = sha256_dir();
    let p = d.path();
    let whole = std::fs::read(p.join("c.jcat")).unwrap();
    std::fs::write(p.join("trunc.jcat"), &whole[..whole.len() / 2]).unwrap();
    jt(p, "info trunc.jcat").says(2, "trunc.jcat: invalid gzip data: truncated stream\n");
    std::fs::write(p.join("text.jcat"), b"hello").unwrap();
    jt(p, "verify text.jcat").says(
        2,
        "text.jcat: not a Jcat file: neither gzip-compressed nor a JSON object\n",
    );
    std::fs::write(
        p.join("noid.jcat"),
        br#"{"JcatVersionMajor":0,"JcatVersionMinor":1,"Items":[{"Blobs":[]}]}"#,
    )
    .unwrap();
    jt(p, "info noid.jcat").says(2, "noid.jcat: item 0: failed to find Id\n");
}

#[test]
fn per_command_help() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    for (cmd, usage, option) in [
        (
            "verify",
            "jcat-tool verify [OPTIONS] FILENAME [SOURCE]",
            "--min-signers <K>",
        ),
        ("info", "jcat-tool info [OPTIONS] FILENAME", "--json"),
        (
            "sign",
            "jcat-tool sign [OPTIONS] FILENAME SOURCE... CERT PRIVKEY",
            "--appstream-id <ID>",
        ),
        (
            "export",
            "jcat-tool export [OPTIONS] FILENAME",
            "--prefix <DIR>",
        ),
    ] {
        for args in [vec![cmd, "--help"], vec!["help", cmd], vec![cmd, "-h"]] {
            let r = jt(p, &args)
                .ok()
                .stdout_has(&format!("Usage: {usage}\n"))
                .stdout_has(option);
            assert!(!r.stdout.contains("Application Options:"), "{}", r.stdout);
        }
    }
    // verify's options are not listed for info.
    let r = jt(p, "info --help");
    assert!(!r.stdout.contains("--min-signers"), "{}", r.stdout);
    // The global help keeps the reference's layout, also before a command.
    for args in ["--help", "--help verify", "help", "-h"] {
        let r = jt(p, args).ok();
        assert!(
            r.stdout
                .starts_with("Usage:\n  jcat-tool [OPTION…]\n\n  add-alias FILENAME ID ALIAS_ID\n"),
            "{args:?}: {}",
            r.stdout
        );
        r.stdout_has(
            "\nApplication Options:\n  --version                 Print the version number\n",
        );
    }
    let r = jt(p, "help bogus").code(2);
    assert!(
        r.stderr.starts_with("Command not found\n\nUsage:\n"),
        "{}",
        r.stderr
    );
}

/// The global help is the reference's, byte for byte, up to our extensions.
#[test]
fn global_help_matches_the_reference() {
    if !have_tool("jcat-tool") {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let ours = jt(d.path(), "--help").stdout;
    let theirs = rt(d.path(), "--help").stdout;
    let (head, ext) = ours
        .split_once("\nExtensions (not in libjcat's jcat-tool")
        .unwrap();
    assert_eq!(format!("{head}\n"), theirs);
    assert!(ext.contains("--generate WHAT"), "{ext}");
}

/// A catalog with a target signature and two signers of one kind exports
/// every blob under a name of its own; the single-signature names stay.
#[test]
fn export_of_several_signatures_and_target_signatures() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("fw.bin"), b"payload for export").unwrap();
    for s in [
        "self-sign --kind sha256 c.jcat fw.bin",
        "--keyring k1 self-sign c.jcat fw.bin",
        "--keyring k2 self-sign c.jcat fw.bin",
        "--keyring k1 self-sign --target sha256 c.jcat fw.bin",
        "--keyring k1 self-sign --kind ed25519 c.jcat fw.bin",
        "--keyring k2 self-sign --kind ed25519 c.jcat fw.bin",
    ] {
        jt(p, s).ok();
    }
    let cat = load(&p.join("c.jcat"));
    let blobs = &cat.items()[0].blobs;
    assert_eq!(blobs.len(), 6);
    let r = jt(p, "export c.jcat --prefix out").ok();
    let mut names: Vec<&str> = r
        .stdout
        .lines()
        .map(|l| l.strip_prefix("Wrote out/").unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "fw.bin.2.ed25519",
            "fw.bin.2.p7b",
            "fw.bin.ed25519",
            "fw.bin.p7b",
            "fw.bin.sha256",
            "fw.bin.sha256.p7b"
        ]
    );
    // Each file holds a distinct blob of the catalog.
    let mut found = std::collections::HashSet::new();
    for n in &names {
        let data = std::fs::read(p.join("out").join(n)).unwrap();
        let i = blobs.iter().position(|b| b.data == data).unwrap();
        assert!(found.insert(i), "{n} repeats blob {i}");
    }
    let target = blobs.iter().find(|b| b.target.is_some()).unwrap();
    assert_eq!(
        std::fs::read(p.join("out/fw.bin.sha256.p7b")).unwrap(),
        target.data
    );
    // --kind still filters.
    let r = jt(p, "export c.jcat --prefix o2 --kind ed25519");
    assert_eq!(
        r.stdout,
        "Wrote o2/fw.bin.ed25519\nWrote o2/fw.bin.2.ed25519\n"
    );
}

#[test]
fn command_options_without_a_command_or_in_the_wrong_place() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    jt(p, "--json").says(
        2,
        "Failed to parse arguments: --json needs a command (info, verify)\n",
    );
    jt(p, "info x.jcat --generate man").says(
        2,
        "Failed to parse arguments: --generate does not apply to info (only to jcat-tool --generate without a command)\n",
    );
    assert!(!p.join("jcat-tool.1").exists());
}
