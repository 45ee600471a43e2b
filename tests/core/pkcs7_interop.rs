//! Interop with the reference tools: certtool (GnuTLS) and jcat-tool
//! (libjcat 0.2.3), plus CMS shapes we must refuse. PKI is generated here.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use jcat_core::reasons::{LimitName, Malformed, SignedBy};
use jcat_core::sign::pkcs7::{self_sign, sign};
use jcat_core::sign::{Keyring, SignError};
use jcat_core::{Blob, BlobFlags, BlobKind, Catalog, Item, Payload, SigError, TimeCheck};

use super::{trust, verify};
use crate::common::have_tool;

fn run(dir: &Path, prog: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(prog)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{prog} {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// certtool key of a type ("rsa" or "ecdsa").
fn key(dir: &Path, name: &str, kind: &str) {
    let mut args = vec!["--generate-privkey", "--outfile", name];
    if kind == "ecdsa" {
        args.extend(["--key-type", "ecdsa", "--curve", "secp256r1"]);
    } else {
        args.extend(["--key-type", "rsa", "--bits", "2048"]);
    }
    run(dir, "certtool", &args);
}

/// certtool certificate from a template; self-signed when `ca` is None.
fn cert(dir: &Path, name: &str, template: &str, ca: Option<(&str, &str)>) {
    write(dir, &format!("{name}.cfg"), template);
    let (k, c, t) = (
        format!("{name}.key"),
        format!("{name}.pem"),
        format!("{name}.cfg"),
    );
    let mut args = vec![
        "--load-privkey",
        k.as_str(),
        "--template",
        t.as_str(),
        "--outfile",
        c.as_str(),
    ];
    match ca {
        None => args.insert(0, "--generate-self-signed"),
        Some((cak, cac)) => {
            args.insert(0, "--generate-certificate");
            args.extend(["--load-ca-privkey", cak, "--load-ca-certificate", cac]);
        }
    }
    run(dir, "certtool", &args);
}

const CA_TMPL: &str = "cn = \"Interop CA\"\norganization = \"Interop\"\nca\ncert_signing_key\ncrl_signing_key\nexpiration_days = 3650\nserial = 1\n";
const LEAF_TMPL: &str =
    "cn = \"Interop Signer\"\nsigning_key\ncode_signing_key\nexpiration_days = 365\nserial = 2\n";

/// ca.{key,pem} (RSA) and signer.{key,pem} (RSA) issued by it.
fn rsa_pki(dir: &Path) {
    key(dir, "ca.key", "rsa");
    cert(dir, "ca", CA_TMPL, None);
    key(dir, "signer.key", "rsa");
    cert(dir, "signer", LEAF_TMPL, Some(("ca.key", "ca.pem")));
}

fn read(p: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Runs `jcat-tool verify` on a catalog holding `sig` for `payload`.
fn jcat_tool_verify(dir: &Path, payload: &[u8], sig: &[u8], anchor: &Path) -> String {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("data/fw.bin"), payload).unwrap();
    let mut cat = Catalog::new();
    let item = cat.add_item(Item::new("fw.bin")).unwrap();
    item.add_blob(Blob::new(
        BlobKind::Pkcs7,
        BlobFlags::IS_UTF8,
        sig.to_vec(),
        Some(now() as u64),
    ));
    jcat_core::save_path(&cat, &dir.join("fw.jcat")).unwrap();
    let anchor = anchor.to_str().unwrap();
    let out = run(
        dir,
        "jcat-tool",
        &[
            "--keyring",
            "keyring",
            "verify",
            "fw.jcat",
            "--prefix",
            "data",
            "--public-key",
            anchor,
        ],
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn certtool_detached_signature_verifies_in_ours() {
    if !have_tool("certtool") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    rsa_pki(d);
    std::fs::write(d.join("payload"), b"firmware payload\n").unwrap();
    run(
        d,
        "certtool",
        &[
            "--p7-detached-sign",
            "--p7-time",
            "--load-privkey",
            "signer.key",
            "--load-certificate",
            "signer.pem",
            "--infile",
            "payload",
            "--outfile",
            "sig.p7b",
        ],
    );
    let t = trust(&[&d.join("ca.pem")]);
    let sig = read(d.join("sig.p7b"));
    let v = verify(&sig, b"firmware payload\n", &t, TimeCheck::At(now())).unwrap();
    assert_eq!(v.authority.as_deref(), Some("CN=Interop CA,O=Interop"));
    assert_eq!(
        v.chain,
        crate::common::dns(&["CN=Interop Signer", "CN=Interop CA,O=Interop"])
    );
    assert!((v.timestamp - now()).abs() < 600);
    assert!(matches!(
        verify(&sig, b"firmware payload?", &t, TimeCheck::At(now())),
        Err(SigError::DigestMismatch { .. })
    ));
}

#[test]
fn certtool_expired_and_not_yet_valid_signers() {
    if !have_tool("certtool") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    key(d, "ca.key", "rsa");
    cert(
        d,
        "ca",
        &CA_TMPL.replace(
            "expiration_days = 3650",
            "activation_date = \"2000-01-01 00:00:00\"\nexpiration_date = \"2090-01-01 00:00:00\"",
        ),
        None,
    );
    key(d, "signer.key", "rsa");
    for (name, dates) in [
        (
            "old",
            "activation_date = \"2001-01-01 00:00:00\"\nexpiration_date = \"2002-01-01 00:00:00\"",
        ),
        (
            "future",
            "activation_date = \"2080-01-01 00:00:00\"\nexpiration_date = \"2081-01-01 00:00:00\"",
        ),
    ] {
        std::fs::copy(d.join("signer.key"), d.join(format!("{name}.key"))).unwrap();
        cert(
            d,
            name,
            &LEAF_TMPL.replace("expiration_days = 365", dates),
            Some(("ca.key", "ca.pem")),
        );
        let sig = sign(
            Payload::Bytes(b"data"),
            &read(d.join(format!("{name}.pem"))),
            &read(d.join("signer.key")),
            now(),
        )
        .unwrap();
        let t = trust(&[&d.join("ca.pem")]);
        let res = verify(&sig, b"data", &t, TimeCheck::At(now()));
        let want = if name == "old" {
            "expired on 2002-01-01"
        } else {
            "is not valid before 2080-01-01"
        };
        let typed = if name == "old" {
            matches!(&res, Err(SigError::CertExpired { .. }))
        } else {
            matches!(&res, Err(SigError::CertNotYetValid { .. }))
        };
        assert!(
            typed && res.as_ref().is_err_and(|e| e.to_string().contains(want)),
            "{name}: {res:?}"
        );
        assert!(verify(&sig, b"data", &t, TimeCheck::Disabled).is_ok());
    }
}

#[test]
fn our_rsa_signature_verifies_in_certtool_and_jcat_tool() {
    if !have_tool("certtool") || !have_tool("jcat-tool") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    rsa_pki(d);
    let payload = b"our firmware\0with binary".to_vec();
    std::fs::write(d.join("payload"), &payload).unwrap();
    let sig = sign(
        Payload::File(&d.join("payload")),
        &read(d.join("signer.pem")),
        &read(d.join("signer.key")),
        now(),
    )
    .unwrap();
    let text = String::from_utf8(sig.clone()).unwrap();
    assert!(text.starts_with("-----BEGIN PKCS7-----\n") && text.ends_with("-----END PKCS7-----\n"));
    assert!(text.lines().all(|l| l.len() <= 64));
    std::fs::write(d.join("sig.p7b"), &sig).unwrap();
    run(
        d,
        "certtool",
        &[
            "--p7-verify",
            "--load-ca-certificate",
            "ca.pem",
            "--load-data",
            "payload",
            "--infile",
            "sig.p7b",
        ],
    );
    let out = jcat_tool_verify(d, &payload, &sig, &d.join("ca.pem"));
    assert!(
        out.contains("PASSED pkcs7: CN=Interop CA,O=Interop"),
        "{out}"
    );
    // And in ours.
    let t = trust(&[&d.join("ca.pem")]);
    assert_eq!(
        verify(&sig, &payload, &t, TimeCheck::At(now()))
            .unwrap()
            .authority
            .as_deref(),
        Some("CN=Interop CA,O=Interop")
    );
    // Flipped signature byte (the signature is the last OCTET STRING).
    let (_, mut der) = pem_rfc7468::decode_vec(&sig).unwrap();
    let n = der.len();
    der[n - 5] ^= 0x01;
    assert!(
        matches!(verify(&der, &payload, &t, TimeCheck::At(now())), Err(SigError::BadSignature { by: SignedBy::Certificate { subject, .. } }) if subject == "CN=Interop Signer")
    );
    // Mismatched key, empty payload.
    key(d, "other.key", "rsa");
    assert!(matches!(
        sign(
            Payload::Bytes(b"x"),
            &read(d.join("signer.pem")),
            &read(d.join("other.key")),
            now()
        ),
        Err(SignError::CertKeyMismatch { .. })
    ));
    assert!(matches!(
        sign(
            Payload::Bytes(b""),
            &read(d.join("signer.pem")),
            &read(d.join("signer.key")),
            now()
        ),
        Err(SignError::NothingToDo)
    ));
}

#[test]
fn our_ecdsa_chain_under_rsa_root_verifies_everywhere() {
    if !have_tool("certtool") || !have_tool("jcat-tool") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    key(d, "root.key", "rsa");
    cert(
        d,
        "root",
        "cn = \"Root CA\"\nca\ncert_signing_key\nexpiration_days = 3650\nserial = 10\n",
        None,
    );
    key(d, "inter.key", "ecdsa");
    cert(
        d,
        "inter",
        "cn = \"EC Intermediate\"\nca\ncert_signing_key\nexpiration_days = 3650\nserial = 11\n",
        Some(("root.key", "root.pem")),
    );
    key(d, "leaf.key", "ecdsa");
    cert(
        d,
        "leaf",
        "cn = \"EC Signer\"\nsigning_key\nexpiration_days = 365\nserial = 12\n",
        Some(("inter.key", "inter.pem")),
    );
    let bundle = [read(d.join("leaf.pem")), read(d.join("inter.pem"))].concat();
    let payload = b"ecdsa payload".to_vec();
    std::fs::write(d.join("payload"), &payload).unwrap();
    let sig = sign(
        Payload::Bytes(&payload),
        &bundle,
        &read(d.join("leaf.key")),
        now(),
    )
    .unwrap();
    std::fs::write(d.join("sig.p7b"), &sig).unwrap();
    run(
        d,
        "certtool",
        &[
            "--p7-verify",
            "--load-ca-certificate",
            "root.pem",
            "--load-data",
            "payload",
            "--infile",
            "sig.p7b",
        ],
    );
    let out = jcat_tool_verify(d, &payload, &sig, &d.join("root.pem"));
    assert!(out.contains("PASSED pkcs7: CN=EC Intermediate"), "{out}");
    let t = trust(&[&d.join("root.pem")]);
    let v = verify(&sig, &payload, &t, TimeCheck::At(now())).unwrap();
    assert_eq!(
        v.chain,
        crate::common::dns(&["CN=EC Signer", "CN=EC Intermediate", "CN=Root CA"])
    );
    // Without the intermediate embedded the signer does not chain.
    let alone = sign(
        Payload::Bytes(&payload),
        &read(d.join("leaf.pem")),
        &read(d.join("leaf.key")),
        now(),
    )
    .unwrap();
    assert!(matches!(
        verify(&alone, &payload, &t, TimeCheck::At(now())),
        Err(SigError::Untrusted(_))
    ));
    // Non-CA intermediate: the leaf issues a certificate.
    key(d, "sub.key", "ecdsa");
    cert(
        d,
        "sub",
        "cn = \"Sub Of Leaf\"\nsigning_key\nexpiration_days = 365\nserial = 13\n",
        Some(("leaf.key", "leaf.pem")),
    );
    let chain = [
        read(d.join("sub.pem")),
        read(d.join("leaf.pem")),
        read(d.join("inter.pem")),
    ]
    .concat();
    let sig = sign(
        Payload::Bytes(&payload),
        &chain,
        &read(d.join("sub.key")),
        now(),
    )
    .unwrap();
    let err = verify(&sig, &payload, &t, TimeCheck::At(now())).unwrap_err();
    assert!(
        matches!(&err, SigError::Chain(jcat_core::trust::x509::ChainError::NotCa { issuer, child })
            if issuer == "CN=EC Signer" && child == "CN=Sub Of Leaf"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "CN=EC Signer is not a CA but issued CN=Sub Of Leaf"
    );
}

/// One keyring per test process: 3072-bit RSA generation is slow.
fn our_keyring() -> &'static (tempfile::TempDir, Vec<u8>) {
    static K: OnceLock<(tempfile::TempDir, Vec<u8>)> = OnceLock::new();
    K.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let sig = self_sign(
            Payload::Bytes(b"self signed payload"),
            &Keyring::new(tmp.path()),
            now(),
        )
        .unwrap();
        (tmp, sig)
    })
}

#[test]
fn our_self_sign_keyring_and_verification() {
    let (tmp, sig) = our_keyring();
    let pki = tmp.path().join("pki");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(pki.join("secret.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(String::from_utf8(read(pki.join("secret.key")))
        .unwrap()
        .starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let cert_before = read(pki.join("client.pem"));
    let t = trust(&[&pki.join("client.pem")]);
    let v = verify(sig, b"self signed payload", &t, TimeCheck::At(now())).unwrap();
    assert_eq!(
        v.authority.as_deref(),
        Some(jcat_core::sign::pkcs7::SELF_SIGNED_DN)
    );
    assert!(v.timestamp > 1);
    // A second signature reuses the keys.
    let sig2 = self_sign(Payload::Bytes(b"again"), &Keyring::new(tmp.path()), now()).unwrap();
    assert_eq!(read(pki.join("client.pem")), cert_before);
    assert!(verify(&sig2, b"again", &t, TimeCheck::At(now())).is_ok());
    assert!(matches!(
        self_sign(Payload::Bytes(b""), &Keyring::new(tmp.path()), now()),
        Err(SignError::NothingToDo)
    ));
    // Not trusted elsewhere.
    if let Some(ca) = crate::common::shared("corpus/real/fwupd-fwupd/data/pki/LVFS-CA.pem") {
        let lvfs = trust(&[&ca]);
        assert!(matches!(
            verify(sig, b"self signed payload", &lvfs, TimeCheck::At(now())),
            Err(SigError::Untrusted(_))
        ));
    }
    if have_tool("jcat-tool") {
        let work = tempfile::tempdir().unwrap();
        let out = jcat_tool_verify(
            work.path(),
            b"self signed payload",
            sig,
            &pki.join("client.pem"),
        );
        assert!(
            out.contains(&format!(
                "PASSED pkcs7: {}",
                jcat_core::sign::pkcs7::SELF_SIGNED_DN
            )),
            "{out}"
        );
    }
}

#[test]
fn reference_self_sign_verifies_in_ours_with_client_pem() {
    if !have_tool("jcat-tool") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("fw.bin"), b"reference self-signed").unwrap();
    run(
        d,
        "jcat-tool",
        &["--keyring", "kr", "self-sign", "fw.jcat", "fw.bin"],
    );
    let cat = jcat_core::load_path(&d.join("fw.jcat"), &jcat_core::Limits::default()).unwrap();
    let blob = cat.items()[0]
        .blobs_by_kind(BlobKind::Pkcs7)
        .next()
        .unwrap()
        .clone();
    let t = trust(&[&d.join("kr/pki/client.pem")]);
    let v = verify(
        &blob.data,
        b"reference self-signed",
        &t,
        TimeCheck::At(now()),
    )
    .unwrap();
    assert_eq!(v.authority.as_deref(), Some(""));
    assert_eq!(v.timestamp, 1);
    assert!(matches!(
        verify(&blob.data, b"other", &t, TimeCheck::At(now())),
        Err(SigError::BadSignature { .. })
    ));
    assert!(matches!(
        verify(
            &blob.data,
            b"reference self-signed",
            &trust(&[]),
            TimeCheck::At(now())
        ),
        Err(SigError::Untrusted(_))
    ));
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 128 {
        out.push(len as u8);
    } else {
        let b = (len as u32).to_be_bytes();
        out.push(0x84);
        out.extend(b);
    }
    out.extend_from_slice(content);
    out
}

const SIGNED_DATA: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const DATA: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

fn content_info(encap: Vec<u8>, signers: Vec<Vec<u8>>) -> Vec<u8> {
    let sd = tlv(
        0x30,
        &[
            tlv(0x02, &[1]),
            tlv(0x31, &[]),
            encap,
            tlv(0x31, &signers.concat()),
        ]
        .concat(),
    );
    tlv(0x30, &[tlv(0x06, &SIGNED_DATA), tlv(0xa0, &sd)].concat())
}

#[test]
fn refused_shapes_and_limits() {
    let t = trust(&[]);
    let detached = tlv(0x30, &tlv(0x06, &DATA));
    let dummy_signer = tlv(0x30, &tlv(0x02, &[1]));
    assert_eq!(
        verify(
            &content_info(detached.clone(), vec![]),
            b"x",
            &t,
            TimeCheck::Disabled
        )
        .err(),
        Some(SigError::Malformed(Malformed::Pkcs7NoSigners))
    );
    let embedded = tlv(
        0x30,
        &[tlv(0x06, &DATA), tlv(0xa0, &tlv(0x04, b"content"))].concat(),
    );
    assert!(matches!(
        verify(
            &content_info(embedded, vec![dummy_signer.clone()]),
            b"x",
            &t,
            TimeCheck::Disabled
        ),
        Err(SigError::Refused(_))
    ));
    let many = content_info(detached, vec![dummy_signer; 1000]);
    assert_eq!(
        verify(&many, b"x", &t, TimeCheck::Disabled).err(),
        Some(SigError::Limit {
            limit: LimitName::CmsSigners,
            value: 1000,
            max: 16
        })
    );
    // Not signedData.
    let other = tlv(
        0x30,
        &[tlv(0x06, &DATA), tlv(0xa0, &tlv(0x04, b"x"))].concat(),
    );
    assert!(matches!(
        verify(&other, b"x", &t, TimeCheck::Disabled),
        Err(SigError::Malformed(_))
    ));
}
