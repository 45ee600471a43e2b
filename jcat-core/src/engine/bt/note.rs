//! C2SP signed notes (`signed-note`), verifier keys (`vkey`) and witness
//! cosignatures (`tlog-cosignature`), Ed25519 only.
//!
//! * A vkey is `name+<8 hex key ID>+base64(type ‖ key)`, type 0x01 for a log
//!   key (Ed25519 over the note text) and 0x04 for a witness cosignature key;
//!   the key ID is SHA-256(name ‖ 0x0A ‖ type ‖ key)\[:4\] and must recompute.
//! * A note is valid UTF-8 without control characters other than `\n`: the
//!   text up to and including the last blank line's first `\n`, then one or
//!   more lines `— <name> <base64(key ID ‖ signature)>`, each ending in `\n`.
//! * Lines from unknown (name, key ID) pairs are ignored; a line from a known
//!   key that fails rejects the whole note; a repeated line from a key already
//!   verified is ignored (as Go's `x/mod/sumdb/note`). Base64 is strict:
//!   padded, canonical, no whitespace.
//!
//! Written here rather than taken from a crate: no maintained Rust crate
//! implements signed notes with cosignatures on our `ed25519-dalek` line.

use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};

/// At most this many signature lines are read (Go's limit).
pub const MAX_SIGNATURES: usize = 100;

/// Signature-type byte of a log key (Ed25519 over the note text).
const TYPE_ED25519: u8 = 0x01;
/// Signature-type byte of a witness key (tlog-cosignature/v1).
const TYPE_COSIGNATURE: u8 = 0x04;

/// Why a key or a note is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NoteError {
    /// A verifier key that does not parse.
    #[error("malformed verifier key {vkey:?}: {why}")]
    MalformedKey {
        /// The key text (at most 200 characters of it).
        vkey: String,
        /// What is wrong.
        why: &'static str,
    },
    /// The key ID in a verifier key does not recompute from its name and key.
    #[error("verifier key {name}: key ID {stated:08x} does not match the key ({computed:08x})")]
    KeyIdMismatch {
        /// The key name.
        name: String,
        /// The ID the vkey states.
        stated: u32,
        /// The ID computed from name and key.
        computed: u32,
    },
    /// The note is not well formed.
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    /// A signature line of a known key does not verify.
    #[error("invalid signature by {name}+{id:08x}")]
    BadSignature {
        /// The key name.
        name: String,
        /// The key ID.
        id: u32,
    },
    /// No line verified with any of the given log keys.
    #[error("no signature by a trusted log key{}", if .names.is_empty() { String::new() } else { format!(" (signed by {})", .names.join(", ")) })]
    NoTrustedSignature {
        /// The names on the lines that were not verified.
        names: Vec<String>,
    },
}

/// What a verifier key verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// A log's key: Ed25519 over the note text (type 0x01).
    Log,
    /// A witness's key: tlog-cosignature/v1 (type 0x04).
    Witness,
}

/// A parsed, checked verifier key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteKey {
    /// The key name (for a log, by default also its checkpoint origin).
    pub name: String,
    /// The 4-byte key ID.
    pub id: u32,
    /// Log or witness.
    pub role: KeyRole,
    key: VerifyingKey,
}

impl NoteKey {
    /// Parses `name+<hex id>+<base64 key>` and checks the key ID.
    pub fn parse(vkey: &str) -> Result<Self, NoteError> {
        let bad = |why| NoteError::MalformedKey {
            vkey: vkey.chars().take(200).collect(),
            why,
        };
        let vkey_t = vkey.trim_end_matches(['\n', '\r']);
        let mut parts = vkey_t.splitn(3, '+');
        let (Some(name), Some(hex_id), Some(b64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad("expected name+keyid+key"));
        };
        if !valid_name(name) {
            return Err(bad("invalid name"));
        }
        if hex_id.len() != 8 || !hex_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("key ID is not 8 hex digits"));
        }
        let stated = u32::from_str_radix(hex_id, 16).map_err(|_| bad("key ID is not hex"))?;
        let raw = strict_b64(b64).ok_or(bad("key is not canonical base64"))?;
        let (role, key) = match raw.split_first() {
            Some((&TYPE_ED25519, k)) => (KeyRole::Log, k),
            Some((&TYPE_COSIGNATURE, k)) => (KeyRole::Witness, k),
            Some(_) => {
                return Err(bad(
                    "unsupported key type (not Ed25519 0x01 or cosignature 0x04)",
                ))
            }
            None => return Err(bad("empty key")),
        };
        let key: [u8; 32] = key
            .try_into()
            .map_err(|_| bad("Ed25519 key is not 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| bad("not an Ed25519 point"))?;
        if key.is_weak() {
            return Err(bad("weak (small-order) Ed25519 key"));
        }
        let computed = key_id(name, &raw);
        if computed != stated {
            return Err(NoteError::KeyIdMismatch {
                name: name.to_string(),
                stated,
                computed,
            });
        }
        Ok(Self {
            name: name.to_string(),
            id: stated,
            role,
            key,
        })
    }

    /// The vkey text of this key.
    pub fn vkey(&self) -> String {
        let t = match self.role {
            KeyRole::Log => TYPE_ED25519,
            KeyRole::Witness => TYPE_COSIGNATURE,
        };
        let mut raw = vec![t];
        raw.extend_from_slice(self.key.as_bytes());
        format!(
            "{}+{:08x}+{}",
            self.name,
            self.id,
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    /// A key from its parts (the test-log builder and `pki`-style tools).
    pub(crate) fn new(name: &str, role: KeyRole, key: VerifyingKey) -> Result<Self, NoteError> {
        if !valid_name(name) {
            return Err(NoteError::MalformedKey {
                vkey: name.chars().take(200).collect(),
                why: "invalid name",
            });
        }
        let t = match role {
            KeyRole::Log => TYPE_ED25519,
            KeyRole::Witness => TYPE_COSIGNATURE,
        };
        let mut raw = vec![t];
        raw.extend_from_slice(key.as_bytes());
        Ok(Self {
            name: name.to_string(),
            id: key_id(name, &raw),
            role,
            key,
        })
    }
}

/// SHA-256(name ‖ "\n" ‖ type ‖ key)\[:4\], big-endian.
fn key_id(name: &str, typed_key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update(typed_key);
    let d: [u8; 32] = h.finalize().into();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// A name: non-empty, no Unicode white space, no `+`.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

/// Strict standard base64: padded, canonical trailing bits, no white space.
pub(crate) fn strict_b64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// A witness cosignature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cosignature {
    /// The witness key name.
    pub name: String,
    /// Its key ID.
    pub id: u32,
    /// When the witness cosigned (unix seconds, as it stated).
    pub time: u64,
}

/// A note whose log signature verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedNote<'a> {
    /// The signed text (ends with `\n`).
    pub text: &'a str,
    /// The log key that verified it.
    pub log: NoteKey,
    /// Witness cosignatures that verified (one per witness key).
    pub cosignatures: Vec<Cosignature>,
    /// Signature lines from keys we were not given (name, key ID).
    pub unknown: Vec<(String, u32)>,
}

/// Opens a signed note: checks the form, verifies every line from a known
/// key (log keys and witness keys) and requires at least one verified log
/// signature.
pub fn open<'a>(msg: &'a [u8], keys: &[NoteKey]) -> Result<VerifiedNote<'a>, NoteError> {
    let msg = std::str::from_utf8(msg).map_err(|_| NoteError::Malformed("not UTF-8"))?;
    if msg.chars().any(|c| c.is_ascii_control() && c != '\n') {
        return Err(NoteError::Malformed("control character other than newline"));
    }
    let split = msg
        .rfind("\n\n")
        .ok_or(NoteError::Malformed("no blank line before the signatures"))?;
    let (text, sigs) = (
        msg.get(..=split).unwrap_or_default(),
        msg.get(split + 2..).unwrap_or_default(),
    );
    if sigs.is_empty() || !sigs.ends_with('\n') {
        return Err(NoteError::Malformed(
            "signature block does not end with a newline",
        ));
    }
    let mut log: Option<NoteKey> = None;
    let mut cosignatures: Vec<Cosignature> = Vec::new();
    let mut unknown: Vec<(String, u32)> = Vec::new();
    let mut seen: Vec<(String, u32)> = Vec::new();
    let lines: Vec<&str> = sigs
        .strip_suffix('\n')
        .unwrap_or(sigs)
        .split('\n')
        .collect();
    if lines.len() > MAX_SIGNATURES {
        return Err(NoteError::Malformed("too many signatures"));
    }
    for line in lines {
        let rest = line.strip_prefix("\u{2014} ").ok_or(NoteError::Malformed(
            "signature line does not start with an em dash",
        ))?;
        let (name, b64) = rest
            .split_once(' ')
            .ok_or(NoteError::Malformed("signature line without a name"))?;
        let raw =
            strict_b64(b64).ok_or(NoteError::Malformed("signature is not canonical base64"))?;
        if !valid_name(name) || raw.len() < 5 {
            return Err(NoteError::Malformed("invalid signature line"));
        }
        let (id, sig) = raw
            .split_first_chunk::<4>()
            .ok_or(NoteError::Malformed("invalid signature line"))?;
        let id = u32::from_be_bytes(*id);
        let Some(key) = keys.iter().find(|k| k.name == name && k.id == id) else {
            if !unknown.iter().any(|(n, i)| n == name && *i == id) {
                unknown.push((name.to_string(), id));
            }
            continue;
        };
        if seen.iter().any(|(n, i)| n == name && *i == id) {
            continue;
        }
        seen.push((name.to_string(), id));
        let bad = || NoteError::BadSignature {
            name: name.to_string(),
            id,
        };
        match key.role {
            KeyRole::Log => {
                let sig = Signature::from_slice(sig).map_err(|_| bad())?;
                key.key
                    .verify_strict(text.as_bytes(), &sig)
                    .map_err(|_| bad())?;
                log.get_or_insert_with(|| key.clone());
            }
            KeyRole::Witness => {
                let (time, sig) = sig.split_at_checked(8).ok_or_else(bad)?;
                let time = u64::from_be_bytes(time.try_into().map_err(|_| bad())?);
                let sig = Signature::from_slice(sig).map_err(|_| bad())?;
                let signed = cosigned_message(time, text);
                key.key
                    .verify_strict(signed.as_bytes(), &sig)
                    .map_err(|_| bad())?;
                cosignatures.push(Cosignature {
                    name: name.to_string(),
                    id,
                    time,
                });
            }
        }
    }
    match log {
        Some(log) => Ok(VerifiedNote {
            text,
            log,
            cosignatures,
            unknown,
        }),
        None => Err(NoteError::NoTrustedSignature {
            names: unknown.into_iter().map(|(n, _)| n).collect(),
        }),
    }
}

/// What a witness signs: `cosignature/v1\ntime <t>\n` followed by the note text.
pub fn cosigned_message(time: u64, text: &str) -> String {
    format!("cosignature/v1\ntime {time}\n{text}")
}

/// A log signature line over note text, `— name base64\n` (Ed25519 over the
/// text; for the test-log builder and vendors producing checkpoints).
pub fn sign_line(key: &NoteKey, secret: &ed25519_dalek::SigningKey, text: &str) -> String {
    use ed25519_dalek::Signer as _;
    line(key, &secret.sign(text.as_bytes()).to_bytes())
}

/// A witness cosignature line over note text at `time`.
pub fn cosign_line(
    key: &NoteKey,
    secret: &ed25519_dalek::SigningKey,
    time: u64,
    text: &str,
) -> String {
    use ed25519_dalek::Signer as _;
    let mut body = time.to_be_bytes().to_vec();
    body.extend_from_slice(
        &secret
            .sign(cosigned_message(time, text).as_bytes())
            .to_bytes(),
    );
    line(key, &body)
}

fn line(key: &NoteKey, body: &[u8]) -> String {
    let mut raw = key.id.to_be_bytes().to_vec();
    raw.extend_from_slice(body);
    format!(
        "\u{2014} {} {}\n",
        key.name,
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}
