//! Policy levels, required signers, thresholds, `--strict-set` and multi-source signing.

use super::*;

#[test]
fn policy_levels_ignore_verify_require() {
    let Some(pki) = Pki::with_tools(&["jcat-tool"]) else {
        return;
    };
    for f in ["fw.bin", "fw2.bin"] {
        jt(
            pki.dir(),
            &format!("--keyring kr self-sign --kind sha256 c.jcat {f}"),
        )
        .ok();
    }
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    // verify (the default): checksum-only fw2.bin passes, as in the reference.
    let verify_out =
        format!("fw.bin:\n    PASSED sha256: OK\n{PASSED_A}fw2.bin:\n    PASSED sha256: OK\n");
    pki.verify("c.jcat", "").passed(&verify_out);
    pki.verify("c.jcat", "--policy verify").passed(&verify_out);
    pki.reference_verify("c.jcat").prints(0, &verify_out);
    // require: an item without a passed signature fails.
    pki.verify("c.jcat", "--policy require").failed_with(&format!(
        "fw.bin:\n    PASSED sha256: OK\n{PASSED_A}fw2.bin:\n    PASSED sha256: OK\n    FAILED: signature required\n"
    ));
    let (_, rep) = pki.json("c.jcat", "--policy require");
    assert_eq!(rep.items[1].policy_failures, ["signature required"]);
    assert!(rep.items[0].policy_failures.is_empty());
    // Untrusted (no trust dir): verify and require fail on the signature,
    // ignore skips it.
    jt(
        pki.dir(),
        &["verify", "c.jcat", "fw.bin", "--policy", "ignore"],
    )
    .passed(
        "fw.bin:\n    PASSED sha256: OK\n    SKIPPED pkcs7: signature checks disabled by policy\n",
    );
    jt(pki.dir(), "verify c.jcat fw.bin")
        .code(1)
        .stdout_has("    FAILED pkcs7: ");
    // ignore still checks checksums.
    std::fs::write(pki.p("fw2.bin"), b"tampered").unwrap();
    let r = pki.verify("c.jcat", "--policy ignore fw2.bin").code(1);
    assert!(
        r.stdout
            .starts_with("fw2.bin:\n    FAILED sha256: failed to verify data"),
        "{}",
        r.stdout
    );
    pki.verify("c.jcat", "--policy never").says(
        2,
        "Failed to parse --policy 'never', expected ignore,verify,require\n",
    );
}

#[test]
fn required_signers_present_and_absent() {
    let pki = Pki::store();
    pki.sign("c.jcat", &["fw.bin"], "plugin1");
    let pass = format!("fw.bin:\n{PASSED_A}");
    for name in [
        ORG_A,
        "CN=QA Department",
        "QA Department",
        "cn=QA Department, o=Org A",
        "CN=Plugin One,O=Org A",
        ROOT_DN,
        "O=Example Store",
    ] {
        pki.verify("c.jcat", &["--require-signer", name])
            .passed(&pass);
    }
    // Both required, both present.
    pki.verify(
        "c.jcat",
        &[
            "--require-signer",
            "QA Department",
            "--require-signer",
            "Plugin One",
        ],
    )
    .passed(&pass);
    for name in [
        "CN=Release Team",
        "Release Team",
        "O=Org B",
        "QA",
        "CN=Org A",
    ] {
        pki.verify("c.jcat", &["--require-signer", name])
            .failed_with(&format!(
                "{pass}    FAILED: no verified signature from {name:?}\n"
            ));
    }
    // A name in an untrusted chain does not count.
    let r = jt(pki.dir(), "verify c.jcat --require-signer 'QA Department'").code(1);
    assert!(
        r.stdout
            .ends_with("    FAILED: no verified signature from \"QA Department\"\n    FAILED: Validation failed\n"),
        "{}",
        r.stdout
    );
    let (code, rep) = pki.json("c.jcat", &["--require-signer", "Release Team"]);
    assert_eq!(code, 1);
    assert_eq!(
        rep.items[0].policy_failures,
        ["no verified signature from \"Release Team\""]
    );
}

#[test]
fn thresholds_count_distinct_keys() {
    let pki = Pki::store();
    let lacking = |n: usize, k: usize| {
        format!("    FAILED: {n} signature(s) from distinct keys, at least {k} required\n")
    };
    // Two distinct plugin keys.
    pki.sign("two.jcat", &["fw.bin"], "plugin1");
    pki.sign("two.jcat", &["fw.bin"], "plugin2");
    let pass2 = format!("fw.bin:\n{PASSED_A}{PASSED_A}");
    pki.verify("two.jcat", "--min-signers 2").passed(&pass2);
    pki.verify("two.jcat", "--min-signers 3")
        .failed_with(&format!("{pass2}{}", lacking(2, 3)));
    // One key: missed.
    pki.sign("one.jcat", &["fw.bin"], "plugin1");
    pki.verify("one.jcat", "--min-signers 2")
        .failed_with(&format!("fw.bin:\n{PASSED_A}{}", lacking(1, 2)));
    // One key signing twice (a re-issued certificate for the same key, so
    // the two blobs differ) is counted once.
    std::fs::copy(pki.p("plugin1.key"), pki.p("plugin1b.key")).unwrap();
    pki.cert("plugin1b", "Plugin One", "Org A", 6, PLUGIN, Some("orga"));
    pki.bundle("plugin1b", &["plugin1b", "orga"]);
    pki.sign("one.jcat", &["fw.bin"], "plugin1b");
    let cat = load(&pki.p("one.jcat"));
    assert_eq!(cat.items()[0].blobs.len(), 2);
    pki.verify("one.jcat", "--min-signers 2")
        .failed_with(&format!("fw.bin:\n{PASSED_A}{PASSED_A}{}", lacking(1, 2)));
    // A signature that does not verify does not count.
    std::fs::remove_file(pki.p("trust/root.pem")).unwrap();
    std::fs::copy(pki.p("orga.pem"), pki.p("trust/orga.pem")).unwrap();
    pki.verify("two.jcat", "--min-signers 2").passed(&pass2);
    std::fs::remove_file(pki.p("trust/orga.pem")).unwrap();
    std::fs::copy(pki.p("plugin2.pem"), pki.p("trust/plugin2.pem")).unwrap();
    pki.verify("two.jcat", "--min-signers 2").prints(
        1,
        &format!(
            "fw.bin:\n    FAILED pkcs7: no trusted certificate for signer CN=Plugin One,O=Org A issued by CN=QA Department,O=Org A\n    PASSED pkcs7: CN=QA Department,O=Org A\n{}    FAILED: Validation failed\n",
            lacking(1, 2)
        ),
    );
}

#[test]
fn several_sources_in_one_sign_call() {
    let pki = Pki::store();
    std::fs::write(pki.p("fw3.bin"), b"three").unwrap();
    pki.sign("c.jcat", &["fw.bin", "fw2.bin", "fw3.bin"], "plugin1");
    let cat = load(&pki.p("c.jcat"));
    let ids: Vec<&str> = cat.items().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["fw.bin", "fw2.bin", "fw3.bin"]);
    assert!(cat.items().iter().all(|i| i.blobs.len() == 1));
    pki.verify("c.jcat", "--strict-chain --min-signers 1")
        .passed(&format!(
            "fw.bin:\n{PASSED_A}fw2.bin:\n{PASSED_A}fw3.bin:\n{PASSED_A}"
        ));
    // A second call adds to the existing items.
    pki.sign("c.jcat", &["fw.bin", "fw3.bin"], "plugin2");
    let cat = load(&pki.p("c.jcat"));
    let counts: Vec<usize> = cat.items().iter().map(|i| i.blobs.len()).collect();
    assert_eq!(counts, [2, 1, 2]);
    // A missing source fails the call and leaves the catalog untouched.
    let before = Snapshot::of(pki.p("c.jcat"));
    let r = jt(
        pki.dir(),
        "sign c.jcat fw2.bin nothere.bin plugin2.bundle plugin2.key",
    )
    .code(2);
    assert!(r.stderr.starts_with("nothere.bin: "), "{}", r.stderr);
    before.assert_untouched();
}

#[test]
fn strict_set_with_a_smuggled_extra_file() {
    let pki = Pki::store();
    std::fs::create_dir(pki.p("set")).unwrap();
    std::fs::copy(pki.p("fw.bin"), pki.p("set/fw.bin")).unwrap();
    std::fs::copy(pki.p("fw2.bin"), pki.p("set/fw2.bin")).unwrap();
    jt(
        pki.p("set").as_path(),
        "sign set.jcat fw.bin fw2.bin ../plugin1.bundle ../plugin1.key",
    )
    .ok();
    let args = "--prefix set --strict-set --policy require";
    let pass = format!("fw.bin:\n{PASSED_A}fw2.bin:\n{PASSED_A}");
    pki.verify("set/set.jcat", args).passed(&pass);
    std::fs::write(pki.p("set/payload.sh"), b"#!/bin/sh\nrm -rf ~\n").unwrap();
    pki.verify("set/set.jcat", args).failed_with(&format!(
        "{pass}payload.sh:\n    FAILED: not listed in the catalog\n"
    ));
    let (code, rep) = pki.json("set/set.jcat", args);
    assert_eq!((code, rep.verdict.as_str()), (1, "failed"));
    assert_eq!(rep.unlisted, ["payload.sh"]);
    assert!(rep.items.iter().all(|i| i.result == "passed"));
    // Without --strict-set the smuggled file goes unnoticed (reference behaviour).
    pki.verify("set/set.jcat", "--prefix set").passed(&pass);
    // A missing file fails too.
    std::fs::remove_file(pki.p("set/payload.sh")).unwrap();
    std::fs::remove_file(pki.p("set/fw2.bin")).unwrap();
    pki.verify("set/set.jcat", args).failed_with(&format!(
        "fw.bin:\n{PASSED_A}fw2.bin:\n    FAILED: Could not find set/fw2.bin\n"
    ));
}

/// OpenPGP: a required signer by user ID or fingerprint, and `--at` judging
/// the signature time (the real LVFS catalog, signed 2024-01-21).
#[test]
fn openpgp_required_signer_by_user_id_and_time() {
    let tests = crate::shared!("corpus/real/fwupd-fwupd/data/tests");
    let key = crate::shared!(
        "corpus/real/hughsie-libjcat/data/tests/pki/GPG-KEY-Linux-Vendor-Firmware-Service"
    );
    let (tests, key) = (tests.to_str().unwrap(), key.to_str().unwrap());
    let cat = format!("{tests}/fakedevice123.jcat");
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            cat.as_str(),
            "fakedevice123.bin",
            "--prefix",
            tests,
            "--kind",
            "gpg",
            "--public-key",
            key,
        ];
        args.extend(extra);
        jt(Path::new("."), &args)
    };
    let pass = "fakedevice123.bin:\n    PASSED gpg: 3FC6B804410ED0840D8F2F9748A6D80E4538BAC2\n";
    for name in [
        "Linux Vendor Firmware Service <sign@fwupd.org>",
        "3fc6b804410ed0840d8f2f9748a6d80e4538bac2",
    ] {
        verify(&["--at", "2026-06-01T00:00:00Z", "--require-signer", name]).prints(0, pass);
    }
    for name in ["sign@fwupd.org", "Linux Vendor Firmware Service"] {
        verify(&["--at", "2026-06-01T00:00:00Z", "--require-signer", name]).prints(
            1,
            &format!("{pass}    FAILED: no verified signature from {name:?}\n"),
        );
    }
    verify(&["--at", "2020-01-01T00:00:00Z"]).prints(
        1,
        "fakedevice123.bin:\n    FAILED gpg: signature '3FC6B804410ED0840D8F2F9748A6D80E4538BAC2' was made at 2024-01-21T09:35:29Z, after the verification time 2020-01-01T00:00:00Z\n",
    );
}
