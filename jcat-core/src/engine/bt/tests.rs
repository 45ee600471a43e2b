//! Signed-note, checkpoint and witness rules with fresh keys from our own
//! test log.

use crate::trust::ed25519_raw::Ed25519Key;

use super::log::{witness, Log};
use super::note::{self, KeyRole, NoteError, NoteKey};
use super::{verify_checkpoint, verify_inclusion, BtError, LogTrust};

fn sk() -> Ed25519Key {
    Ed25519Key::generate()
}

fn log_with(n: usize) -> Log {
    let mut log = Log::new("example.org/log", sk()).unwrap();
    for i in 0..n {
        log.append(format!("leaf {i}").as_bytes());
    }
    log
}

fn trust(log: &Log) -> LogTrust {
    let mut t = LogTrust::default();
    t.add_vkey(&log.vkey()).unwrap();
    t
}

/// The note text and the signature lines of a signed checkpoint.
fn split(note: &str) -> (String, String) {
    let i = note.rfind("\n\n").unwrap();
    (note[..=i].to_string(), note[i + 2..].to_string())
}

#[test]
fn vkeys_parse_and_key_ids_recompute() {
    let log = log_with(1);
    let k = NoteKey::parse(&log.vkey()).unwrap();
    assert_eq!(k.role, KeyRole::Log);
    assert_eq!(k.vkey(), log.vkey());
    // A wrong key ID, a bad name, lenient base64, an unknown type.
    let v = log.vkey();
    let mut parts: Vec<String> = v.splitn(3, '+').map(str::to_string).collect();
    let wrong_id = format!("{}+{:08x}+{}", parts[0], k.id ^ 1, parts[2]);
    assert!(matches!(
        NoteKey::parse(&wrong_id),
        Err(NoteError::KeyIdMismatch { .. })
    ));
    assert!(matches!(
        NoteKey::parse(&format!("bad name+{}+{}", parts[1], parts[2])),
        Err(NoteError::MalformedKey { .. })
    ));
    // Lenient base64 (a line break inside, as Go's decoder would skip).
    parts[2].insert(10, '\n');
    assert!(matches!(
        NoteKey::parse(&parts.join("+")),
        Err(NoteError::MalformedKey { .. })
    ));
    // The identity point as a key is refused.
    let mut raw = vec![1u8];
    raw.extend_from_slice(&{
        let mut p = [0u8; 32];
        p[0] = 1;
        p
    });
    use base64::Engine as _;
    let weak = format!(
        "w+00000000+{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    );
    assert!(
        matches!(NoteKey::parse(&weak), Err(NoteError::MalformedKey { why, .. }) if why.contains("weak"))
    );
}

#[test]
fn checkpoint_verifies_and_unknown_lines_are_ignored() {
    let log = log_with(5);
    let cp = log.signed_checkpoint(&["extension line"], &[]);
    let v = verify_checkpoint(cp.as_bytes(), &trust(&log)).unwrap();
    assert_eq!(v.checkpoint.size, 5);
    assert_eq!(v.checkpoint.extensions, vec!["extension line".to_string()]);
    // An extra line from a key we do not know: still passes.
    let other = Log::new("other", sk()).unwrap();
    let (text, sigs) = split(&cp);
    let extra = note::sign_line(&NoteKey::parse(&other.vkey()).unwrap(), &sk().0, &text);
    let with_extra = format!("{text}\n{extra}{sigs}");
    assert!(verify_checkpoint(with_extra.as_bytes(), &trust(&log)).is_ok());
    // 17 signature lines (16 unknown + ours) are accepted.
    let many = format!("{text}\n{}{sigs}", extra.repeat(16));
    assert!(verify_checkpoint(many.as_bytes(), &trust(&log)).is_ok());
    // The same verified line twice is ignored, not an error.
    let twice = format!("{text}\n{sigs}{sigs}");
    assert!(verify_checkpoint(twice.as_bytes(), &trust(&log)).is_ok());
    // Over the cap of 100 lines: refused.
    let too_many = format!("{text}\n{}{sigs}", extra.repeat(100));
    assert!(matches!(
        verify_checkpoint(too_many.as_bytes(), &trust(&log)),
        Err(BtError::Note(NoteError::Malformed(_)))
    ));
}

#[test]
fn a_known_line_that_fails_rejects_the_note() {
    let log = log_with(3);
    let cp = log.signed_checkpoint(&[], &[]);
    let (text, sigs) = split(&cp);
    // A second line claiming the same key, signed by another one, placed first.
    let k = NoteKey::parse(&log.vkey()).unwrap();
    let forged = note::sign_line(&k, &sk().0, &text);
    let bad = format!("{text}\n{forged}{sigs}");
    assert!(matches!(
        verify_checkpoint(bad.as_bytes(), &trust(&log)),
        Err(BtError::Note(NoteError::BadSignature { .. }))
    ));
}

#[test]
fn malformed_notes_are_refused() {
    let log = log_with(2);
    let t = trust(&log);
    let cp = log.signed_checkpoint(&[], &[]);
    let (text, sigs) = split(&cp);
    let cases: Vec<(String, &str)> = vec![
        (cp.replacen('\n', "\r\n", 1), "CR"),
        (format!("{}\t\n\n{sigs}", text.trim_end()), "tab"),
        (cp.replace("\n\n", "\n"), "no blank line"),
        (cp.trim_end().to_string(), "no final newline"),
        (
            format!("{text}\n{}", sigs.replacen('=', "", 1)),
            "unpadded base64",
        ),
        (
            format!("{text}\n{}", sigs.replacen("\u{2014} ", "- ", 1)),
            "no em dash",
        ),
    ];
    for (note, what) in cases {
        let r = verify_checkpoint(note.as_bytes(), &t);
        assert!(
            matches!(r, Err(BtError::Note(NoteError::Malformed(_)))),
            "{what}: {r:?}"
        );
    }
    let mut invalid_utf8 = cp.clone().into_bytes();
    invalid_utf8.insert(1, 0xff);
    assert!(matches!(
        verify_checkpoint(&invalid_utf8, &t),
        Err(BtError::Note(NoteError::Malformed(_)))
    ));
}

#[test]
fn witness_quorum_met_and_missed() {
    let log = log_with(4);
    let (w1, s1) = witness("witness.one", sk()).unwrap();
    let (w2, s2) = witness("witness.two", sk()).unwrap();
    let mut t = trust(&log);
    t.witnesses = vec![w1.clone(), w2.clone()];
    t.quorum = 2;
    let both = log.signed_checkpoint(&[], &[(&w1, &s1, 1_700_000_000), (&w2, &s2, 1_700_000_001)]);
    let v = verify_checkpoint(both.as_bytes(), &t).unwrap();
    assert_eq!(v.cosignatures.len(), 2);
    assert_eq!(v.cosignatures[0].time, 1_700_000_000);
    let one = log.signed_checkpoint(&[], &[(&w1, &s1, 1_700_000_000)]);
    assert!(matches!(
        verify_checkpoint(one.as_bytes(), &t),
        Err(BtError::QuorumMissed { got: 1, want: 2 })
    ));
    // The same witness twice counts once.
    let dup = log.signed_checkpoint(&[], &[(&w1, &s1, 5), (&w1, &s1, 5)]);
    assert!(matches!(
        verify_checkpoint(dup.as_bytes(), &t),
        Err(BtError::QuorumMissed { got: 1, want: 2 })
    ));
    // A cosignature over another time than it states fails the note.
    let (text, sigs) = split(&one);
    let lie = tamper_time(&note::cosign_line(&w2, &s2.0, 9, &text));
    let lied = format!("{text}\n{sigs}{lie}");
    assert!(matches!(
        verify_checkpoint(lied.as_bytes(), &t),
        Err(BtError::Note(NoteError::BadSignature { .. }))
    ));
}

/// Changes the stated time of a cosignature line (bytes 4..12 of its body).
fn tamper_time(line: &str) -> String {
    use base64::Engine as _;
    let e = base64::engine::general_purpose::STANDARD;
    let (head, b64) = line.trim_end().rsplit_once(' ').unwrap();
    let mut raw = e.decode(b64).unwrap();
    raw[11] ^= 1;
    format!("{head} {}\n", e.encode(raw))
}

#[test]
fn inclusion_in_our_own_log() {
    let mut log = log_with(6);
    let manifest = br#"{"sha256": "00"}"#;
    let idx = log.append(manifest);
    log.append(b"after");
    let t = trust(&log);
    let cp = verify_checkpoint(log.signed_checkpoint(&[], &[]).as_bytes(), &t).unwrap();
    let proof = super::blobs::inclusion_proof(log.inclusion_proof(idx).as_bytes()).unwrap();
    assert_eq!(
        verify_inclusion(manifest, &proof, None, &cp.checkpoint).unwrap(),
        idx
    );
    assert_eq!(
        verify_inclusion(manifest, &proof, Some(idx), &cp.checkpoint).unwrap(),
        idx
    );
    // A proof for another leaf.
    let other = super::blobs::inclusion_proof(log.inclusion_proof(idx - 1).as_bytes()).unwrap();
    assert!(verify_inclusion(manifest, &other, Some(idx), &cp.checkpoint).is_err());
    // A one-leaf log has an empty proof.
    let mut single = Log::new("one", sk()).unwrap();
    single.append(manifest);
    assert_eq!(single.inclusion_proof(0), "");
    let cp1 = verify_checkpoint(
        single.signed_checkpoint(&[], &[]).as_bytes(),
        &trust(&single),
    )
    .unwrap();
    assert_eq!(
        verify_inclusion(manifest, &[], None, &cp1.checkpoint).unwrap(),
        0
    );
}
