//! `import` of files other tools write: CMS PEM and DER PKCS#7, sha256sum
//! output. Stored in the form every libjcat client verifies.

use base64::Engine as _;

use crate::common::*;

/// fw.bin signed by our self-sign (fresh keyring `kr`), exported as PEM.
fn signed_dir() -> (tempfile::TempDir, String) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let payload: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(p.join("fw.bin"), payload).unwrap();
    self_sign(p, "s.jcat fw.bin");
    jt(p, "export s.jcat --prefix out").ok();
    let pem = std::fs::read_to_string(p.join("out/fw.bin.p7b")).unwrap();
    assert!(pem.starts_with("-----BEGIN PKCS7-----\n"), "{pem}");
    (d, pem)
}

fn pem_body(pem: &str) -> Vec<u8> {
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

#[test]
fn cms_pem_and_der_are_stored_as_pkcs7_pem() {
    let (d, pem) = signed_dir();
    let p = d.path();
    let der = pem_body(&pem);
    // CMS label, 76 columns (as `openssl cms` and GnuTLS write it), CRLF.
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let cms = format!(
        "-----BEGIN CMS-----\r\n{}\r\n-----END CMS-----\r\n",
        lines.join("\r\n")
    );
    std::fs::write(p.join("fw.bin.pem"), &cms).unwrap();
    std::fs::write(p.join("fw.bin.der"), &der).unwrap();
    std::fs::write(p.join("bin.p7b"), &der).unwrap();
    for (n, file) in ["fw.bin.pem", "fw.bin.der", "bin.p7b"].iter().enumerate() {
        let cat = format!("i{n}.jcat");
        jt(p, &format!("import {cat} fw.bin {file}")).ok();
        let loaded = load(&p.join(&cat));
        let blob = &loaded.items()[0].blobs[0];
        assert_eq!(blob.kind, jcat_core::BlobKind::Pkcs7);
        assert!(blob.flags.is_utf8(), "{file}");
        assert_eq!(String::from_utf8_lossy(&blob.data), pem, "{file}");
        let verify = format!("verify {cat} --public-key kr/pki/client.pem");
        jt(p, &verify).ok();
        if have_tool("jcat-tool") {
            let r = rt(p, &verify);
            assert_eq!(
                (r.code, r.stdout.lines().nth(1).unwrap_or_default()),
                (0, "    PASSED pkcs7: CN=jcat self-signed key,O=jcat"),
                "{file}: {}",
                r.stdout
            );
        }
    }
    // Already PKCS7 PEM: stored verbatim.
    jt(p, "import v.jcat fw.bin out/fw.bin.p7b").ok();
    assert_eq!(
        load(&p.join("v.jcat")).items()[0].blobs[0].data,
        pem.as_bytes()
    );
}

#[test]
fn sha256sum_files_are_accepted_and_stored_as_bare_hex() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    std::fs::write(p.join("fw.bin"), b"some firmware").unwrap();
    jt(p, "self-sign --kind sha256 ref.jcat fw.bin").ok();
    let hex =
        String::from_utf8(load(&p.join("ref.jcat")).items()[0].blobs[0].data.clone()).unwrap();
    let other = "0".repeat(64);
    let forms = [
        format!("{hex}\n"),
        format!("{hex}  fw.bin\n"),
        format!("{} *fw.bin\n", hex.to_uppercase()),
        format!("{other}  a.bin\n{hex}  ./fw.bin\n"),
    ];
    for (n, text) in forms.iter().enumerate() {
        let file = format!("f{n}.sha256");
        std::fs::write(p.join(&file), text).unwrap();
        let cat = format!("c{n}.jcat");
        jt(p, &format!("import {cat} fw.bin {file}")).ok();
        assert_eq!(
            load(&p.join(&cat)).items()[0].blobs[0].data,
            hex.as_bytes(),
            "{text:?}"
        );
        let passed = "fw.bin:\n    PASSED sha256: OK\n";
        verify_at(p, &cat, 0, passed);
        if have_tool("jcat-tool") {
            rt(p, &format!("verify {cat}")).prints(0, passed);
        }
    }
    // Anything else is refused, and nothing is written.
    let refused = [
        (format!("{hex}  other.bin\n"), "the checksum file is for other.bin, not for fw.bin"),
        (format!("SHA256 (fw.bin) = {hex}\n"), "not a sha256 checksum: expected 64 hex digits, optionally followed by two spaces (or \" *\") and the file name, as sha256sum writes them"),
        (hex[..40].to_owned(), "not a sha256 checksum: expected 64 hex digits, optionally followed by two spaces (or \" *\") and the file name, as sha256sum writes them"),
        (format!("{hex}  a/fw.bin\n{hex}  b/fw.bin\n"), "the checksum file has 2 lines for fw.bin"),
    ];
    for (text, why) in refused {
        std::fs::write(p.join("bad.sha256"), &text).unwrap();
        jt(p, "import bad.jcat fw.bin bad.sha256").says(2, &format!("bad.sha256: {why}\n"));
        assert!(!p.join("bad.jcat").exists());
    }
}

#[test]
fn import_extension_list_matches_the_readme() {
    let d = tempfile::tempdir().unwrap();
    let r = jt(d.path(), "import a.jcat fw.bin fw.bin.txt").code(2);
    let first = r.stderr.lines().next().unwrap();
    let list = first
        .strip_prefix("Cannot detect blob kind from extension, expected ")
        .unwrap();
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let reference = readme.split("## Command reference").nth(1).unwrap();
    for ext in list.split(' ') {
        assert!(
            reference.contains(ext),
            "README's command reference lacks {ext}"
        );
    }
    assert_eq!(list.split(' ').count(), 16);
}
