//! testdata/hostile: every vector ends with its expected error.

use crate::common::*;

#[test]
fn every_hostile_vector_gets_its_expected_error() {
    let dir = testdata().join("hostile");
    let table = std::fs::read_to_string(dir.join("EXPECTED.tsv")).unwrap();
    let work = tempfile::tempdir().unwrap();
    let mut covered = std::collections::HashSet::new();
    let mut rows = 0;
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.splitn(4, '\t').collect();
        let [file, command, code, text] = cols[..] else {
            panic!("bad row: {line}");
        };
        let path = dir.join(file);
        let p = path.to_str().unwrap();
        let args: Vec<&str> = match command {
            "info" => vec!["info", p],
            "export" => vec!["export", p, "--prefix", "out"],
            "verify" => vec!["verify", p],
            // With the payload the hostile PKCS#7 blobs sign (pkcs7_shapes.py).
            "verify-payload" => {
                std::fs::write(work.path().join("firmware.bin"), b"hostile payload\n").unwrap();
                vec!["verify", p]
            }
            other => panic!("unknown command {other}"),
        };
        let r = jt(work.path(), &args);
        assert_eq!(
            r.code.to_string(),
            code,
            "{file} {command}: {}{}",
            r.stdout,
            r.stderr
        );
        let shown = if command.starts_with("verify") {
            &r.stdout
        } else {
            &r.stderr
        };
        assert!(
            shown.contains(text),
            "{file} {command}: expected {text:?}, got {shown:?}"
        );
        if !command.starts_with("verify") {
            assert_eq!(
                r.stderr.lines().count(),
                1,
                "{file}: one-line error expected"
            );
        }
        assert!(!r.stderr.contains("panicked"));
        covered.insert(file.to_owned());
        rows += 1;
    }
    assert!(rows >= 40);
    // Nothing was written outside the work dir's out/.
    assert!(!work.path().join("etc").exists());
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".jcat") {
            assert!(covered.contains(&name), "{name} has no row in EXPECTED.tsv");
        }
    }
}
