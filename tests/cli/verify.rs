//! `verify` output lines, exit codes, policy options and `--json`.

use crate::common::*;
use crate::json_schemas::Report;

fn edge_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    // The payload the edge cases describe (testdata/edge-cases/make.py).
    std::fs::write(d.path().join("firmware.bin"), b"hello world\n").unwrap();
    for e in std::fs::read_dir(testdata().join("edge-cases")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), d.path().join(e.file_name())).unwrap();
    }
    d
}

const FWUPD_SHA256: &str = "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";

#[test]
fn checksum_failures_print_like_the_reference() {
    let d = edge_dir();
    jt(d.path(), "verify uppercase-hex.jcat")
        .outputs(
            1,
            &format!(
                "firmware.bin:\n    FAILED sha256: failed to verify data, expected {FWUPD_SHA256} and got {}\n    FAILED: Validation failed\n",
                FWUPD_SHA256.to_uppercase()
            ),
            "Validation failed\n",
        );
    // The reference hashes the blob's own text and reports a mismatch; a
    // checksum over itself is never computed over the payload, so ours says
    // so instead (D22). Both FAIL.
    jt(d.path(), "verify target-sha256-on-checksum.jcat firmware.bin").prints(
        1,
        "firmware.bin:\n    FAILED sha256-of-sha256: target sha256 is itself computed over sha256, not over the payload\n",
    );
}

#[test]
fn unknown_kinds_fail_or_skip_like_the_reference() {
    let d = edge_dir();
    jt(d.path(), "verify unknown-kind-99.jcat").prints(
        1,
        "firmware.bin:\n    FAILED : Jcat engine kind '(null)' not allowed\n    PASSED sha256: OK\n    FAILED: Validation failed\n",
    );
}

#[test]
fn payload_lookup_by_alias_and_missing_payloads() {
    let d = edge_dir();
    let p = d.path();
    verify_at(
        p,
        "alias.jcat firmware.bin",
        0,
        "firmware-00001-stable.bin:\n    PASSED sha256: OK\n",
    );
    std::fs::remove_file(p.join("firmware.bin")).unwrap();
    jt(p, "verify alias.jcat firmware.bin").outputs(
        1,
        "firmware-00001-stable.bin:\n",
        "Could not find ./firmware-00001-stable.bin or ./firmware.bin\n",
    );
    let r = jt(p, "verify alias.jcat");
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str()),
        (
            "firmware-00001-stable.bin:\n    FAILED: Could not find ./firmware-00001-stable.bin or ./firmware.bin\n",
            "Validation failed\n"
        )
    );
    jt(p, "verify alias.jcat nothere").says(1, "failed to find nothere\n");
}

#[test]
fn zero_blobs_of_the_kind_pass_as_in_the_reference() {
    let d = edge_dir();
    verify_at(
        d.path(),
        "alias.jcat --kind sha1",
        0,
        "firmware-00001-stable.bin:\n",
    );
}

/// A target signature only passes when the signed checksum matches the
/// payload (the reference passes it with --kind on a modified payload).
#[test]
fn target_signature_is_tied_to_the_payload() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    self_sign(p, "--kind sha256 t.jcat firmware.bin");
    self_sign(p, "--kind ed25519 --target sha256 t.jcat firmware.bin");
    let verify = "t.jcat --public-key kr/pki/public.ed25519 --kind ed25519";
    verify_at(
        p,
        verify,
        0,
        "firmware.bin:\n    PASSED ed25519-of-sha256: OK\n",
    );
    std::fs::write(p.join("firmware.bin"), b"tampered").unwrap();
    jt(p, &format!("verify {verify}")).code(1).stdout_has(
        "    FAILED ed25519-of-sha256: signed sha256 checksum does not match the payload",
    );
}

#[test]
fn json_report_parses_into_the_documented_schema() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    jt(p, "import f.jcat firmware.bin firmware.bin.sha256").ok();
    jt(p, "import f.jcat firmware.bin firmware.bin.ed25519").ok();
    std::fs::write(p.join("junk.pem"), b"not a key").unwrap();
    let key = crate::shared!("corpus/real/hughsie-libjcat/data/tests/pki/test.ed25519");
    let r = jt(
        p,
        &[
            "verify",
            "--json",
            "f.jcat",
            "--public-key",
            key.to_str().unwrap(),
            "--public-key",
            "junk.pem",
        ],
    )
    .ok();
    let rep: Report = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(rep.verdict, "passed");
    assert_eq!(rep.tool_version, env!("CARGO_PKG_VERSION"));
    assert_eq!(Some(&rep.time), rep.validity_time.as_ref());
    assert_eq!(rep.items.len(), 1);
    let item = &rep.items[0];
    assert_eq!(
        (
            item.id.as_str(),
            item.result.as_str(),
            item.error.as_deref()
        ),
        ("firmware.bin", "passed", None)
    );
    assert_eq!(item.path.as_deref(), Some("./firmware.bin"));
    assert!(item.policy_failures.is_empty());
    assert_eq!(item.blobs.len(), 2);
    assert_eq!(
        (item.blobs[0].kind.as_str(), item.blobs[0].result.as_str()),
        ("sha256", "passed")
    );
    assert_eq!(
        (item.blobs[1].kind.as_str(), item.blobs[1].target.as_deref()),
        ("ed25519", None)
    );
    assert_eq!(item.blobs[1].timestamp, Some(0));
    assert_eq!(item.blobs[1].chain.len(), 1);
    assert!(item.blobs[1].authority.is_none() && item.blobs[1].reason.is_none());
    assert!(rep.unlisted.is_empty());
    assert_eq!(rep.skipped_keys.len(), 1);
    assert!(
        rep.skipped_keys[0].path.ends_with("junk.pem") && !rep.skipped_keys[0].reason.is_empty()
    );
    // Failure: exit 1, still only JSON on stdout.
    let r = jt(p, "verify --json f.jcat").code(1);
    let rep: Report = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(rep.verdict, "failed");
    assert_eq!(
        rep.items[0].blobs[1].reason.as_deref(),
        Some("no keys in keyring")
    );
}

#[test]
fn policy_levels_thresholds_and_required_signers() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    jt(p, "import f.jcat firmware.bin firmware.bin.sha256").ok();
    // require: checksums alone are not enough.
    jt(p, "verify f.jcat --policy require")
        .code(1)
        .stdout_has("    FAILED: signature required\n");
    jt(p, "verify f.jcat --policy verify").ok();
    jt(p, "verify f.jcat --policy bogus").code(2);
    // ignore: a bad signature is skipped.
    jt(p, "import f.jcat firmware.bin firmware.bin.ed25519").ok();
    verify_at(p, "f.jcat --policy ignore", 0, "firmware.bin:\n    PASSED sha256: OK\n    SKIPPED ed25519: signature checks disabled by policy\n");
    // thresholds: one key, counted once however many blobs it signed.
    let key = crate::shared!("corpus/real/hughsie-libjcat/data/tests/pki/test.ed25519");
    let key = key.to_str().unwrap();
    let with_key = |extra: &str| {
        let mut args = vec!["verify", "f.jcat", "--public-key", key];
        args.extend(extra.split(' '));
        args.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    jt(p, &with_key("--min-signers 1")).ok();
    jt(p, &with_key("--min-signers 2"))
        .code(1)
        .stdout_has("1 signature(s) from distinct keys, at least 2 required");
    self_sign(p, "--kind ed25519 f.jcat firmware.bin");
    jt(
        p,
        &with_key("--public-key kr/pki/public.ed25519 --min-signers 2"),
    )
    .ok();
    // a required signer names a key in the verified chain.
    let test_key_hex: String = std::fs::read(key)
        .unwrap()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    jt(
        p,
        &with_key(&format!(
            "--public-key kr/pki/public.ed25519 --require-signer {test_key_hex}"
        )),
    )
    .ok();
    let mut args = with_key("--public-key kr/pki/public.ed25519 --require-signer");
    args.push("QA Department".into());
    jt(p, &args)
        .code(1)
        .stdout_has("no verified signature from \"QA Department\"");
}

#[test]
fn strict_set_catches_extra_files() {
    let Some(d) = colorhug_dir() else { return };
    let p = d.path();
    std::fs::create_dir(p.join("set")).unwrap();
    std::fs::copy(p.join("firmware.bin"), p.join("set/firmware.bin")).unwrap();
    self_sign(p, "--kind sha256 set/c.jcat firmware.bin");
    verify_at(
        p,
        "set/c.jcat --prefix set --strict-set",
        0,
        "firmware.bin:\n    PASSED sha256: OK\n",
    );
    std::fs::create_dir(p.join("set/sub")).unwrap();
    std::fs::write(p.join("set/sub/smuggled.bin"), b"x").unwrap();
    let r = jt(p, "verify set/c.jcat --prefix set --strict-set").code(1);
    assert!(
        r.stdout
            .ends_with("sub/smuggled.bin:\n    FAILED: not listed in the catalog\n"),
        "{}",
        r.stdout
    );
    jt(p, "verify set/c.jcat --prefix set").ok();
}

#[test]
fn at_must_be_rfc3339() {
    let d = edge_dir();
    let r = jt(d.path(), "verify alias.jcat --at yesterday").code(2);
    assert!(r.stderr.starts_with("Failed to parse --at 'yesterday'"));
    jt(d.path(), "verify alias.jcat --at 2026-01-01T00:00:00Z").ok();
}

/// A progress indicator for payloads over 64 MiB, on a terminal only, never
/// with --json.
#[test]
fn progress_only_on_a_terminal_and_never_with_json() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let big = vec![7u8; (64 << 20) + 4096];
    std::fs::write(p.join("big.bin"), &big).unwrap();
    self_sign(p, "--kind sha256 c.jcat big.bin");
    jt(p, "verify c.jcat").says(0, "");
    if !have_tool("script") {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_jcat-tool");
    let under_tty = |extra: &str| {
        let out = std::process::Command::new("script")
            .current_dir(p)
            .args(["-qec", &format!("{bin} verify c.jcat {extra}"), "/dev/null"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = under_tty("");
    assert!(
        shown.contains("big.bin [") && shown.contains("/64.00 MiB"),
        "{shown:?}"
    );
    assert!(shown.contains("PASSED sha256: OK"));
    let json = under_tty("--json");
    assert!(!json.contains('%'), "{json:?}");
    assert!(json.contains("\"verdict\": \"passed\""));
}

/// With trust files the catalog and the trust store load at once, and
/// payloads are hashed meanwhile (D69). Errors still come in the order of
/// the steps (catalog, policy, trust store, item), `--verbose` lists the
/// store only once the catalog has loaded, and verdicts are those of a
/// run without trust files.
#[test]
fn trust_files_load_alongside_without_changing_errors_or_verdicts() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    for i in 0..40 {
        std::fs::write(p.join(format!("f{i}.bin")), format!("payload {i}")).unwrap();
    }
    let files: Vec<String> = (0..40).map(|i| format!("f{i}.bin")).collect();
    self_sign(p, &format!("--kind sha256 c.jcat {}", files.join(" ")));
    self_sign(p, &format!("--kind sha512 c.jcat {}", files.join(" ")));
    std::fs::write(p.join("bad.jcat"), b"not a catalog").unwrap();
    std::fs::create_dir(p.join("keys")).unwrap();
    std::fs::write(p.join("keys/junk.txt"), b"not a key").unwrap();
    let alone = |args: &str| jt(p, args).fails().stderr;

    let bad = alone("verify bad.jcat");
    jt(p, "verify bad.jcat --public-key missing.pem").says(2, &bad);
    jt(p, "--verbose verify bad.jcat --public-keys keys").says(2, &bad);
    let missing_key = alone("verify c.jcat --public-key missing.pem");
    assert!(missing_key.contains("missing.pem"), "{missing_key}");
    jt(p, "verify c.jcat nope.bin --public-key missing.pem").says(2, &missing_key);
    let no_item = alone("verify c.jcat nope.bin");
    assert!(no_item.contains("nope.bin"), "{no_item}");
    jt(p, "verify c.jcat nope.bin --public-keys keys").says(1, &no_item);
    jt(p, "--verbose verify c.jcat --public-keys keys")
        .ok()
        .stderr_has("junk.txt");

    let plain = jt(p, "verify c.jcat").ok().stdout;
    jt(p, "verify c.jcat --public-keys keys").passed(&plain);
    std::fs::write(p.join("f7.bin"), b"tampered").unwrap();
    let tampered = jt(p, "verify c.jcat").code(1).stdout;
    assert!(tampered.contains("FAILED sha256"), "{tampered}");
    jt(p, "verify c.jcat --public-keys keys").failed_with(&tampered);
}
